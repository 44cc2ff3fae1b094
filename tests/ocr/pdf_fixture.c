/*
 * pdf_fixture.c - the PDF writer of the tests (pdf_fixture.h). Objects:
 * 1 catalog, 2 page tree, 3 font, then per page: page, contents, image.
 */
#include "pdf_fixture.h"
#include "kt_buf.h"
#include "kt_status.h"
#include "kt_vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

typedef struct out {
	kt_buf b;
	kt_vec off;     /* size_t: the offset of object i + 1 (0: not written) */
	int nobj;
} out;

static void put(out *o, const void *d, size_t n)
{
	if (kt_buf_add(&o->b, d, n) != KT_OK)
		abort();
}

static void putf(out *o, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	put(o, buf, (size_t)n);
}

static void obj(out *o, int num)
{
	static const size_t none = 0;

	while (o->off.len < (size_t)num)
		if (kt_vec_push(&o->off, &none) != KT_OK)
			abort();
	((size_t *)o->off.data)[num - 1] = o->b.len;
	if (num > o->nobj)
		o->nobj = num;
	putf(o, "%d 0 obj\n", num);
}

/* The content stream of a page into c. */
static void contents(out *c, const pdf_fx_page *p)
{
	if (p->grey != NULL)
		putf(c, "q %.4f 0 0 %.4f 0 0 cm /Im1 Do Q\n", p->img_w * 72.0 / p->img_dpi,
		     p->img_h * 72.0 / p->img_dpi);
	if (p->text != NULL) {
		const char *s = p->text;
		double y = p->height - 72;

		putf(c, "BT /F1 12 Tf %d Tr 14 TL 72 %.2f Td (", p->text_mode, y);
		for (; *s; s++) {
			if (s[0] == '\n' && s[1] == '\n') {
				/* a new block, well below the last line */
				y -= 100;
				putf(c, ") Tj ET\nBT /F1 12 Tf %d Tr 14 TL 72 %.2f Td (", p->text_mode, y);
				s++;
			} else if (*s == '\n') {
				y -= 14;
				putf(c, ") Tj T* (");
			} else {
				if (*s == '(' || *s == ')' || *s == '\\')
					put(c, "\\", 1);
				put(c, s, 1);
			}
		}
		putf(c, ") Tj ET\n");
	}
}

unsigned char *pdf_fx_make(const pdf_fx_page *pages, int n, size_t *len)
{
	out o = { KT_BUF_INIT, { 0 }, 0 };
	size_t xref;
	int i, k;

	kt_vec_init(&o.off, sizeof(size_t));
	putf(&o, "%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n");
	obj(&o, 1);
	putf(&o, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	obj(&o, 2);
	putf(&o, "<< /Type /Pages /Count %d /Kids [", n);
	for (i = 0; i < n; i++)
		putf(&o, " %d 0 R", 4 + 3 * i);
	putf(&o, " ] >>\nendobj\n");
	obj(&o, 3);
	putf(&o, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
	     "/Encoding /WinAnsiEncoding >>\nendobj\n");
	for (i = 0; i < n; i++) {
		const pdf_fx_page *p = &pages[i];
		int pg = 4 + 3 * i;
		out c = { KT_BUF_INIT, { 0 }, 0 };	/* only c.b is used */

		obj(&o, pg);
		putf(&o, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
		     "/Resources << /Font << /F1 3 0 R >>", p->width, p->height, pg + 1);
		if (p->grey != NULL)
			putf(&o, " /XObject << /Im1 %d 0 R >>", pg + 2);
		putf(&o, " >>");
		if (p->rotate)
			putf(&o, " /Rotate %d", p->rotate);
		putf(&o, " >>\nendobj\n");
		contents(&c, p);
		obj(&o, pg + 1);
		putf(&o, "<< /Length %zu >>\nstream\n", c.b.len);
		put(&o, c.b.s, c.b.len);
		putf(&o, "\nendstream\nendobj\n");
		kt_buf_release(&c.b);
		if (p->grey != NULL) {
			uLongf zlen = compressBound((uLong)p->img_w * p->img_h);
			unsigned char *z = malloc(zlen);

			if (z == NULL || compress(z, &zlen, p->grey, (uLong)p->img_w * p->img_h) != Z_OK)
				abort();
			obj(&o, pg + 2);
			putf(&o, "<< /Type /XObject /Subtype /Image /Width %d /Height %d "
			     "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "
			     "/Length %lu >>\nstream\n", p->img_w, p->img_h, (unsigned long)zlen);
			put(&o, z, zlen);
			putf(&o, "\nendstream\nendobj\n");
			free(z);
		} else {
			obj(&o, pg + 2);
			putf(&o, "null\nendobj\n");
		}
	}
	xref = o.b.len;
	putf(&o, "xref\n0 %d\n0000000000 65535 f \n", o.nobj + 1);
	for (k = 1; k <= o.nobj; k++)
		putf(&o, "%010zu 00000 n \n", ((size_t *)o.off.data)[k - 1]);
	putf(&o, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", o.nobj + 1, xref);
	kt_vec_release(&o.off);
	return (unsigned char *)kt_buf_detach(&o.b, len);
}

unsigned char *pdf_fx_pattern(int w, int h)
{
	unsigned char *g = malloc((size_t)w * h);
	int x, y;

	if (g == NULL)
		abort();
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			g[(size_t)y * w + x] = (y / 20) % 3 == 0 && x > w / 10 && x < w * 9 / 10 ? 30 : 255;
	return g;
}

int pdf_fx_encrypt(const char *in, const char *out, const char *user)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("qpdf", "qpdf", "--encrypt", user, "owner-secret", "256", "--", in, out,
		       (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	/* 0, or 3: written with warnings */
	return WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3 ? 0 : -1;
}
