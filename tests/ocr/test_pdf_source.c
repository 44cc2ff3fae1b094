/*
 * test_pdf_source.c - PDF as a kt_source (ocr/source_pdf.c, MuPDF): format
 * by content, page count, the rendering resolution, /Rotate, the visible
 * text of a born-digital page (invisible text is not text), encryption,
 * truncated and zero-page files, the pixel and memory caps, and pages of one
 * source read from several threads at once, and a page whose largest image
 * is 1 bit per pixel rendered 1 bpp (bitonal_page). Every PDF is made here
 * (pdf_fixture.c); the encrypted ones with qpdf (tools/setup.sh installs it).
 */
#define _GNU_SOURCE /* memmem */
#include "kt_ocr.h"
#include "pdf_fixture.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define LETTER_W 612.0
#define LETTER_H 792.0

/* The born-digital page's text, and what kt_source_page_text gives. */
static const char born_text[] = "Lemums Nr. 12/345\nRiga, 2021. gada 3. marts\n\nParaksts (A. Berzins)";
static const char born_expect[] = "Lemums Nr. 12/345\nRiga, 2021. gada 3. marts\n\nParaksts (A. Berzins)\n";

static kt_source *open_ok(const unsigned char *pdf, size_t len, const char *name, long cap)
{
	kt_source *s = NULL;
	kt_error err = { 0 };

	if (kt_source_open(pdf, len, name, cap, &s, &err) != KT_OK)
		fail_msg("%s: %s", name, err.msg);
	return s;
}

static void expect_open_fails(const unsigned char *pdf, size_t len, const char *name, const char *why)
{
	kt_source *s = (kt_source *)1;
	kt_error err = { 0 };

	assert_int_equal(kt_source_open(pdf, len, name, 0, &s, &err), KT_FAILED);
	assert_null(s);
	kt_expect_in(err.msg, name);
	kt_expect_in(err.msg, why);
	assert_null(strchr(err.msg, '\n'));
}

static unsigned char *one_page(const char *text, int mode, size_t *len)
{
	pdf_fx_page p = { .width = LETTER_W, .height = LETTER_H, .text = text, .text_mode = mode };

	return pdf_fx_make(&p, 1, len);
}

static void test_format_and_pages(void **state)
{
	unsigned char *grey = pdf_fx_pattern(400, 500);
	pdf_fx_page pages[2] = {
		{ .width = LETTER_W, .height = LETTER_H, .text = born_text },
		{ .width = 288, .height = 360, .grey = grey, .img_w = 400, .img_h = 500, .img_dpi = 100 },
	};
	size_t len;
	unsigned char *pdf = pdf_fx_make(pages, 2, &len);
	kt_source *s;
	unsigned char *late = calloc(1, 2000 + len);

	(void)state;
	s = open_ok(pdf, len, "mixed.pdf", 0);
	assert_string_equal(kt_source_format(s), "pdf");
	assert_int_equal(kt_source_pages(s), 2);
	kt_source_free(&s);
	/* "%PDF-" after the first 1024 bytes does not make a PDF */
	memset(late, ' ', 1500);
	memcpy(late + 1500, pdf, len);
	expect_open_fails(late, 1500 + len, "late.pdf", "not a TIFF, PNG or JPEG image or a PDF");
	free(late);
	free(pdf);
	free(grey);
}

static void test_visible_text(void **state)
{
	size_t len;
	unsigned char *pdf = one_page(born_text, 0, &len);
	kt_source *s = open_ok(pdf, len, "born.pdf", 0);
	char *text = NULL;
	kt_error err = { 0 };

	(void)state;
	assert_int_equal(kt_source_page_text(s, 0, &text, &err), KT_OK);
	assert_non_null(text);
	assert_string_equal(text, born_expect);
	free(text);
	assert_int_equal(kt_source_page_text(s, 1, &text, &err), KT_FAILED);
	kt_expect_in(err.msg, "born.pdf");
	kt_source_free(&s);
	free(pdf);
}

static void test_invisible_text(void **state)
{
	size_t len, plen;
	unsigned char *pdf = one_page("Hidden OCR layer\nof a scanner", 3, &len);
	kt_source *s = open_ok(pdf, len, "hidden.pdf", 0);
	char *text = (char *)1;
	kt_error err = { 0 };
	PIX *pix = pixCreate(40, 30, 8);
	l_uint8 *png = NULL;

	(void)state;
	assert_int_equal(kt_source_page_text(s, 0, &text, &err), KT_OK);
	assert_null(text);
	kt_source_free(&s);
	free(pdf);
	/* an image has no text of its own */
	pixSetAll(pix);
	assert_int_equal(pixWriteMem(&png, &plen, pix, IFF_PNG), 0);
	s = open_ok(png, plen, "page.png", 0);
	text = (char *)1;
	assert_int_equal(kt_source_page_text(s, 0, &text, &err), KT_OK);
	assert_null(text);
	kt_source_free(&s);
	lept_free(png);
	pixDestroy(&pix);
}

/* Page 0 of a one-page PDF with an image shown at img_dpi: its dpi and size. */
static void render(const pdf_fx_page *p, int *dpi, int *w, int *h)
{
	size_t len;
	unsigned char *pdf = pdf_fx_make(p, 1, &len);
	kt_source *s = open_ok(pdf, len, "render.pdf", 0);
	kt_error err = { 0 };
	PIX *pix = NULL;

	if (kt_source_page(s, 0, &pix, dpi, &err) != KT_OK)
		fail_msg("%s", err.msg);
	*w = pixGetWidth(pix);
	*h = pixGetHeight(pix);
	assert_int_equal(pixGetXRes(pix), *dpi);
	pixDestroy(&pix);
	kt_source_free(&s);
	free(pdf);
}

static void test_dpi_choice(void **state)
{
	unsigned char *big = pdf_fx_pattern(1000, 1400), *small = pdf_fx_pattern(100, 140);
	pdf_fx_page p = { .width = 360, .height = 504, .grey = big, .img_w = 1000, .img_h = 1400,
			  .img_dpi = 200 };
	int dpi, w, h;

	(void)state;
	/* the image's own resolution: 1000 px over 5 in */
	render(&p, &dpi, &w, &h);
	assert_int_equal(dpi, 200);
	assert_int_equal(w, 1000);
	assert_int_equal(h, 1400);
	/* the largest image decides, not the first */
	{
		pdf_fx_page q = p;

		q.img_dpi = 1000; /* 1000 px over 1 in: clamped to 600 */
		render(&q, &dpi, &w, &h);
		assert_int_equal(dpi, 600);
		assert_int_equal(w, 3000);
	}
	p.grey = small;
	p.img_w = 100;
	p.img_h = 140;
	p.img_dpi = 50; /* clamped to 150 */
	render(&p, &dpi, &w, &h);
	assert_int_equal(dpi, 150);
	assert_int_equal(w, 750);
	/* no image: 300 dpi */
	p.grey = NULL;
	p.text = "only text";
	render(&p, &dpi, &w, &h);
	assert_int_equal(dpi, 300);
	assert_int_equal(w, 1500);
	assert_int_equal(h, 2100);
	free(big);
	free(small);
}

static void test_rotation(void **state)
{
	pdf_fx_page p = { .width = LETTER_W, .height = LETTER_H, .text = "turned" };
	int dpi, w, h;

	(void)state;
	render(&p, &dpi, &w, &h);
	assert_int_equal(w, 2550);
	assert_int_equal(h, 3300);
	p.rotate = 90;
	render(&p, &dpi, &w, &h);
	assert_int_equal(w, 3300);
	assert_int_equal(h, 2550);
}

static void test_encrypted(void **state)
{
	char dir[4096], plain[4200], open_pw[4200], user_pw[4200];
	size_t len, elen;
	unsigned char *pdf = one_page(born_text, 0, &len), *enc;
	kt_source *s;
	kt_error err = { 0 };
	char *text = NULL;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "pdfenc"), 0);
	snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
	snprintf(open_pw, sizeof open_pw, "%s/open.pdf", dir);
	snprintf(user_pw, sizeof user_pw, "%s/locked.pdf", dir);
	kt_test_write_file(plain, pdf, len);
	if (pdf_fx_encrypt(plain, open_pw, "") != 0 || pdf_fx_encrypt(plain, user_pw, "user-secret") != 0)
		fail_msg("qpdf --encrypt failed (is qpdf installed? tools/setup.sh deps)");
	/* no user password: opened with the empty one */
	enc = kt_test_read_file(open_pw, &elen);
	assert_non_null(enc);
	assert_non_null(memmem(enc, elen, "/Encrypt", 8));
	s = open_ok(enc, elen, "open.pdf", 0);
	assert_int_equal(kt_source_page_text(s, 0, &text, &err), KT_OK);
	assert_non_null(text);
	assert_string_equal(text, born_expect);
	free(text);
	kt_source_free(&s);
	free(enc);
	/* a user password: refused */
	enc = kt_test_read_file(user_pw, &elen);
	assert_non_null(enc);
	expect_open_fails(enc, elen, "locked.pdf", "'locked.pdf': encrypted PDF that needs a password");
	free(enc);
	free(pdf);
	kt_test_remove_tree(dir);
}

static void test_truncated(void **state)
{
	size_t len;
	unsigned char *pdf = one_page(born_text, 0, &len);

	(void)state;
	expect_open_fails(pdf, len / 2, "half.pdf", "truncated");
	expect_open_fails(pdf, 40, "head.pdf", "cannot read 'head.pdf': ");
	free(pdf);
}

static void test_zero_pages(void **state)
{
	size_t len;
	unsigned char *pdf = pdf_fx_make(NULL, 0, &len);
	static const unsigned char junk[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";

	(void)state;
	expect_open_fails(pdf, len, "empty.pdf", "cannot read 'empty.pdf': PDF has no pages");
	expect_open_fails(junk, sizeof junk - 1, "junk.pdf", "cannot read 'junk.pdf': ");
	free(pdf);
}

static void test_pixel_cap(void **state)
{
	size_t len;
	unsigned char *pdf = one_page("a letter page", 0, &len);
	kt_source *s = open_ok(pdf, len, "big.pdf", 1000L * 1000);
	kt_error err = { 0 };
	PIX *pix = NULL;
	int dpi;

	(void)state;
	/* 2550 x 3300 at 300 dpi is above a cap of 1 Mpx: refused, not rendered */
	assert_int_equal(kt_source_page(s, 0, &pix, &dpi, &err), KT_FAILED);
	assert_null(pix);
	kt_expect_in(err.msg, "refusing page 1 of 'big.pdf'");
	kt_expect_in(err.msg, "2550 x 3300");
	kt_source_free(&s);
	free(pdf);
}

static void test_memory_cap(void **state)
{
	unsigned char *grey = pdf_fx_pattern(100, 100);
	/* a 40 x 40 inch page whose image asks for 600 dpi: 24000 x 24000 RGB
	 * pixels, 1.7 GB, more than MuPDF may use for one PDF */
	pdf_fx_page p = { .width = 2880, .height = 2880, .grey = grey, .img_w = 100, .img_h = 100,
			  .img_dpi = 600 };
	size_t len;
	unsigned char *pdf = pdf_fx_make(&p, 1, &len);
	kt_source *s = open_ok(pdf, len, "huge.pdf", 1000L * 1000 * 1000);
	kt_error err = { 0 };
	PIX *pix = NULL;
	int dpi;

	(void)state;
	assert_int_equal(kt_source_page(s, 0, &pix, &dpi, &err), KT_FAILED);
	assert_null(pix);
	kt_expect_in(err.msg, "page 1 of 'huge.pdf': out of memory");
	kt_source_free(&s);
	free(pdf);
	free(grey);
}

/* ------------------------------------------------------------ bitonal */

/* A one-page PDF (page_w x page_h points) showing pix (1 bpp, 1 = black) at
 * its lower left at dpi as a 1-bit image, Flate-compressed: a DeviceGray
 * image with /Decode [1 0], or a stencil (/ImageMask, painted black) when
 * mask. pdf_fixture.c writes 8-bit grey only. malloc'd, *len its size. */
static unsigned char *bitonal_pdf(PIX *pix, int dpi, int mask, double page_w, double page_h,
				  size_t *len)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix), bpl = (w + 7) / 8, x, y, i;
	size_t raw_n = (size_t)bpl * (size_t)h, off[6];
	unsigned char *raw = calloc(1, raw_n);
	uLongf zn = compressBound(raw_n);
	unsigned char *z = malloc(zn);
	char *buf = NULL, cont[160];
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(raw);
	assert_non_null(z);
	assert_non_null(f);
	for (y = 0; y < h; y++) {
		l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);

		for (x = 0; x < w; x++)
			if (GET_DATA_BIT(line, x))
				raw[(size_t)y * bpl + x / 8] |= (unsigned char)(0x80 >> (x % 8));
	}
	assert_int_equal(compress2(z, &zn, raw, raw_n, 9), Z_OK);
	snprintf(cont, sizeof cont, "q %s%.4f 0 0 %.4f 0 0 cm /Im1 Do Q\n", mask ? "0 g " : "",
		 w * 72.0 / dpi, h * 72.0 / dpi);
	fputs("%PDF-1.4\n", f);
	off[1] = (size_t)ftell(f);
	fputs("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", f);
	off[2] = (size_t)ftell(f);
	fputs("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n", f);
	off[3] = (size_t)ftell(f);
	fprintf(f, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.4f %.4f] "
		"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n",
		page_w, page_h);
	off[4] = (size_t)ftell(f);
	fprintf(f, "4 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d "
		"/BitsPerComponent 1 %s /Decode [1 0] /Filter /FlateDecode /Length %lu >>\nstream\n",
		w, h, mask ? "/ImageMask true" : "/ColorSpace /DeviceGray", (unsigned long)zn);
	fwrite(z, 1, zn, f);
	fputs("\nendstream\nendobj\n", f);
	off[5] = (size_t)ftell(f);
	fprintf(f, "5 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n", strlen(cont),
		cont);
	off[0] = (size_t)ftell(f);
	fputs("xref\n0 6\n0000000000 65535 f \n", f);
	for (i = 1; i < 6; i++)
		fprintf(f, "%010zu 00000 n \n", off[i]);
	fprintf(f, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", off[0]);
	assert_int_equal(fclose(f), 0);
	free(raw);
	free(z);
	*len = n;
	return (unsigned char *)buf;
}

/* A 1 bpp page of text-like strokes: bars and blocks in black on white. */
static PIX *bitonal_pattern(int w, int h)
{
	PIX *pix = pixCreate(w, h, 1);
	int y;

	assert_non_null(pix);
	for (y = 40; y + 12 < h - 40; y += 30)
		pixRasterop(pix, 40 + y % 70, y, w - 120 - y % 50, 12, PIX_SET, NULL, 0, 0);
	pixRasterop(pix, w / 3, h / 3, 5, h / 3, PIX_SET, NULL, 0, 0);
	return pix;
}

/* Page 0 of pdf as kt_source_page gives it; its dpi in *dpi. */
static PIX *page0(const unsigned char *pdf, size_t len, int *dpi)
{
	kt_source *s = open_ok(pdf, len, "bitonal.pdf", 0);
	kt_error err = { 0 };
	PIX *pix = NULL;

	if (kt_source_page(s, 0, &pix, dpi, &err) != KT_OK)
		fail_msg("%s", err.msg);
	kt_source_free(&s);
	return pix;
}

/* A page whose largest image is 1 bit per pixel (a G4 or JBIG2 scan) and
 * covers the page comes out 1 bpp at the image's resolution, with its
 * pixels: the page stages keep it bitonal as a 1 bpp TIFF. A 1-bit logo on
 * a page, or an 8-bit scan, stays grey. */
static void test_bitonal_page(void **state)
{
	PIX *want = bitonal_pattern(800, 1000), *got, *diff;
	unsigned char *pdf, *grey = pdf_fx_pattern(800, 1000);
	size_t len;
	l_int32 ndiff = -1;
	int dpi = 0, mask;

	(void)state;
	for (mask = 0; mask <= 1; mask++) {
		pdf = bitonal_pdf(want, 200, mask, 800 * 72.0 / 200, 1000 * 72.0 / 200, &len);
		got = page0(pdf, len, &dpi);
		assert_int_equal(dpi, 200);
		assert_int_equal(pixGetDepth(got), 1);
		assert_int_equal(pixGetXRes(got), 200);
		assert_int_equal(pixGetWidth(got), 800);
		assert_int_equal(pixGetHeight(got), 1000);
		/* rendered at the image's own resolution: its very pixels */
		diff = pixXor(NULL, got, want);
		pixCountPixels(diff, &ndiff, NULL);
		if (ndiff > 800 * 1000 / 1000)
			fail_msg("mask %d: %d pixels differ", mask, ndiff);
		pixDestroy(&diff);
		pixDestroy(&got);
		free(pdf);
	}
	/* a 1-bit image on a quarter of the page is no bitonal scan */
	pdf = bitonal_pdf(want, 200, 0, 800 * 72.0 / 100, 1000 * 72.0 / 100, &len);
	got = page0(pdf, len, &dpi);
	assert_int_equal(pixGetDepth(got), 8);
	pixDestroy(&got);
	free(pdf);
	/* an 8-bit grey scan stays 8-bit */
	{
		pdf_fx_page p = { .width = 800 * 72.0 / 200, .height = 1000 * 72.0 / 200,
				  .grey = grey, .img_w = 800, .img_h = 1000, .img_dpi = 200 };

		pdf = pdf_fx_make(&p, 1, &len);
		got = page0(pdf, len, &dpi);
		assert_int_equal(pixGetDepth(got), 8);
		pixDestroy(&got);
		free(pdf);
	}
	free(grey);
	pixDestroy(&want);
}

/* ------------------------------------------------------------- threads */

typedef struct job {
	kt_source *s;
	int page, w, text_ok;
	int rc;
} job;

static void *run_job(void *arg)
{
	job *j = arg;
	kt_error err = { 0 };
	PIX *pix = NULL;
	char *text = NULL;
	int dpi, k;

	for (k = 0; k < 3 && j->rc == KT_OK; k++) {
		j->rc = kt_source_page(j->s, j->page, &pix, &dpi, &err);
		if (j->rc == KT_OK)
			j->w = pixGetWidth(pix);
		pixDestroy(&pix);
		if (j->rc == KT_OK)
			j->rc = kt_source_page_text(j->s, j->page, &text, &err);
		j->text_ok = text != NULL && strncmp(text, "page ", 5) == 0;
		free(text);
		text = NULL;
	}
	return NULL;
}

static void test_threads(void **state)
{
	enum { N = 4 };
	unsigned char *grey = pdf_fx_pattern(300, 400);
	char texts[N][32];
	pdf_fx_page pages[N];
	pthread_t t[N];
	job jobs[N];
	size_t len;
	unsigned char *pdf;
	kt_source *s;
	int i;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(texts[i], sizeof texts[i], "page %d", i + 1);
		pages[i] = (pdf_fx_page){ .width = 216, .height = 288, .text = texts[i], .grey = grey,
					  .img_w = 300, .img_h = 400, .img_dpi = 100 + 50 * i };
	}
	pdf = pdf_fx_make(pages, N, &len);
	s = open_ok(pdf, len, "threads.pdf", 0);
	for (i = 0; i < N; i++) {
		jobs[i] = (job){ .s = s, .page = i };
		assert_int_equal(pthread_create(&t[i], NULL, run_job, &jobs[i]), 0);
	}
	for (i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].rc, KT_OK);
		assert_true(jobs[i].text_ok);
	}
	/* 3 in at 150 (clamped), 150, 200 and 250 dpi */
	assert_int_equal(jobs[0].w, 450);
	assert_int_equal(jobs[3].w, 750);
	kt_source_free(&s);
	free(pdf);
	free(grey);
}

static const kt_test_case cases[] = {
	KT_TEST(format_and_pages),
	KT_TEST(visible_text),
	KT_TEST(invisible_text),
	KT_TEST(dpi_choice),
	KT_TEST(rotation),
	KT_TEST(encrypted),
	KT_TEST(truncated),
	KT_TEST(zero_pages),
	KT_TEST(pixel_cap),
	KT_TEST(memory_cap),
	KT_TEST(bitonal_page),
	KT_TEST(threads),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_pdf_source", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
