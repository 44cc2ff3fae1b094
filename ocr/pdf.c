/*
 * pdf.c - the searchable PDF of a document (kt_ocr_pdf), and the master and
 * one-page PDF of a page (kt_ocr_page_copies): cleaned page images
 * with an invisible text layer, by Tesseract's PDF renderer (tesseract.c).
 * The renderer writes a file; it is made in a temporary folder, read back
 * into memory and removed.
 */
#include "engine_private.h"

#include <errno.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct kt_ocr_pdf {
	kt_ocr *o;
	kt_tess_pdf *r;
	char *base;         /* DIR/kt-pdf-XXXXXX: a reserved empty file */
	char *path;         /* base + ".pdf": the renderer's output */
	int failed;
};

int kt_ocr_pdf_new(kt_ocr *o, const char *tmpdir, const char *title, kt_ocr_pdf **out)
{
	kt_ocr_pdf *p;
	size_t n;
	int fd;

	*out = NULL;
	kt_error_clear(&o->err);
	if (o->latin == NULL)
		return kt_error_set(&o->err, KT_FATAL, "the OCR engine is not initialised");
	if (tmpdir == NULL || tmpdir[0] == '\0')
		tmpdir = getenv("TMPDIR");
	if (tmpdir == NULL || tmpdir[0] == '\0')
		tmpdir = "/tmp";
	p = calloc(1, sizeof *p);
	n = strlen(tmpdir) + sizeof "/kt-pdf-XXXXXX.pdf";
	if (p == NULL || (p->base = malloc(n)) == NULL || (p->path = malloc(n)) == NULL) {
		kt_ocr_pdf_free(&p);
		return kt_error_set(&o->err, KT_FATAL, "out of memory");
	}
	p->o = o;
	snprintf(p->base, n, "%s/kt-pdf-XXXXXX", tmpdir);
	/* The empty file reserves the name; the renderer writes NAME.pdf. */
	fd = mkstemp(p->base);
	if (fd < 0) {
		int e = errno;

		free(p->base);
		p->base = NULL;
		kt_ocr_pdf_free(&p);
		return kt_error_set(&o->err, KT_FAILED, "cannot make a temporary file in '%s': %s",
				    tmpdir, strerror(e));
	}
	close(fd);
	snprintf(p->path, n, "%s.pdf", p->base);
	p->r = kt_tess_pdf_begin(o->latin, p->base, title, &o->err);
	if (p->r == NULL) {
		kt_ocr_pdf_free(&p);
		return o->err.code;
	}
	*out = p;
	return KT_OK;
}

int kt_ocr_pdf_add(kt_ocr_pdf *p, struct Pix *clean, const kt_page_result *r)
{
	kt_ocr *o = p->o;
	kt_tess *t;
	int rc;

	kt_error_clear(&o->err);
	if (p->failed || p->r == NULL)
		return kt_error_set(&o->err, KT_FAILED, "the PDF has failed or is finished");
	if (!r->blank && o->live != NULL && o->live_serial == r->serial && o->live_pix == clean) {
		/* The engine still holds this very page: no second recognition. */
		t = o->live;
		rc = KT_OK;
	} else {
		char *text = NULL;
		int conf = 0;

		t = strcmp(r->script, "Cyrillic") == 0 ? o->cyrillic : o->latin;
		o->live = NULL;
		if (r->blank)
			rc = kt_tess_empty(t, clean, r->dpi > 0 ? r->dpi : 300, &o->err);
		else
			rc = kt_tess_recognize(t, clean, r->dpi > 0 ? r->dpi : 300, &text, &conf,
					       NULL, &o->err);
		free(text);
	}
	if (rc == KT_OK)
		rc = kt_tess_pdf_add(p->r, t, &o->err);
	if (rc != KT_OK)
		p->failed = 1;
	return rc;
}

int kt_ocr_pdf_finish(kt_ocr_pdf *p, unsigned char **bytes, size_t *len)
{
	kt_ocr *o = p->o;
	FILE *f;
	long n;
	unsigned char *buf;
	int rc;

	*bytes = NULL;
	*len = 0;
	kt_error_clear(&o->err);
	if (p->failed || p->r == NULL)
		return kt_error_set(&o->err, KT_FAILED, "the PDF has failed or is finished");
	rc = kt_tess_pdf_end(p->r, &o->err);
	kt_tess_pdf_free(&p->r);
	if (rc != KT_OK)
		return rc;
	f = fopen(p->path, "rb");
	if (f == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot read '%s': %s", p->path,
				    strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return kt_error_set(&o->err, KT_FAILED, "cannot read '%s': empty or unseekable",
				    p->path);
	}
	buf = malloc((size_t)n);
	if (buf == NULL) {
		fclose(f);
		return kt_error_set(&o->err, KT_FATAL, "out of memory");
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return kt_error_set(&o->err, KT_FAILED, "cannot read '%s': short read", p->path);
	}
	fclose(f);
	remove(p->path);
	*bytes = buf;
	*len = (size_t)n;
	return KT_OK;
}

void kt_ocr_pdf_free(kt_ocr_pdf **p)
{
	if (p == NULL || *p == NULL)
		return;
	kt_tess_pdf_free(&(*p)->r);
	if ((*p)->path != NULL && (*p)->base != NULL)
		remove((*p)->path);
	if ((*p)->base != NULL)
		remove((*p)->base);
	free((*p)->base);
	free((*p)->path);
	free(*p);
	*p = NULL;
}

int kt_ocr_page_copies(kt_ocr *o, struct Pix *clean, kt_page_result *r, const char *tmpdir)
{
	kt_ocr_pdf *pdf = NULL;
	int rc;

	kt_error_clear(&o->err);
	free(r->master);
	free(r->page_pdf);
	r->master = r->page_pdf = NULL;
	r->master_len = r->page_pdf_len = 0;
	/* the master first: the PDF below may replace what the engine holds */
	rc = kt_ocr_tiff(clean, &r->master, &r->master_len, &o->err);
	if (rc == KT_OK)
		rc = kt_ocr_pdf_new(o, tmpdir, NULL, &pdf);
	if (rc == KT_OK)
		rc = kt_ocr_pdf_add(pdf, clean, r);
	if (rc == KT_OK)
		rc = kt_ocr_pdf_finish(pdf, &r->page_pdf, &r->page_pdf_len);
	kt_ocr_pdf_free(&pdf);
	if (rc != KT_OK) {
		free(r->master);
		free(r->page_pdf);
		r->master = r->page_pdf = NULL;
		r->master_len = r->page_pdf_len = 0;
	}
	return rc;
}
