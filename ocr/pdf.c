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

/* The quality steps of a re-encoded JPEG: KT_TESS_JPEG_QUALITY, and when the
 * page's own file is smaller than that JPEG, lower by 5 down to this floor
 * (text stays legible at 300 dpi; ocrmypdf's PDF/A JPEGs are about 55). */
#define KT_ACCESS_MIN_QUALITY 50

/* pix as a JPEG for the access copy (*cid, caller frees with
 * l_CIDataDestroy): at KT_TESS_JPEG_QUALITY, lower while it is larger than
 * budget (0: no budget), not below KT_ACCESS_MIN_QUALITY; *quality gets the
 * JPEG's quality. A grey page (8 bpp) is made lossless (Flate) instead
 * when that is no larger (*quality 0). */
static int access_cid(PIX *pix, size_t budget, L_COMP_DATA **cid, int *quality)
{
	L_COMP_DATA *flate = NULL;
	int q = KT_TESS_JPEG_QUALITY;

	*cid = NULL;
	*quality = 0;
	for (;;) {
		l_CIDataDestroy(cid);
		if (pixGenerateCIData(pix, L_JPEG_ENCODE, q, 0, cid) != 0 || *cid == NULL)
			return KT_FATAL;
		if (budget == 0 || (*cid)->nbytescomp <= budget || q - 5 < KT_ACCESS_MIN_QUALITY)
			break;
		q -= 5;
	}
	*quality = q;
	if (pixGetDepth(pix) == 8 && pixGenerateCIData(pix, L_FLATE_ENCODE, 0, 0, &flate) == 0 &&
	    flate != NULL && flate->nbytescomp <= (*cid)->nbytescomp && flate->predictor == 0) {
		l_CIDataDestroy(cid);
		*cid = flate;
		flate = NULL;
		*quality = 0;
	}
	l_CIDataDestroy(&flate);
	return KT_OK;
}

/* The page's own JPEG as its access image, when the page is shown as it
 * came (not turned, deskewed or rescaled; the same size) and is grey or
 * RGB: 1 and img filled, else 0. */
static int own_jpeg(const kt_page_result *r, PIX *shown, kt_access_image *img)
{
	l_int32 w = 0, h = 0, spp = 0, ycck = 0, cmyk = 0;

	if (r->source_jpeg == NULL || r->rotation != 0 || r->skew != 0.0f || r->bitonal ||
	    readHeaderMemJpeg(r->source_jpeg, r->source_jpeg_len, &w, &h, &spp, &ycck, &cmyk) != 0 ||
	    ycck || cmyk || (spp != 1 && spp != 3) || w != pixGetWidth(shown) ||
	    h != pixGetHeight(shown))
		return 0;
	*img = (kt_access_image){ .data = r->source_jpeg, .len = r->source_jpeg_len, .width = w,
				  .height = h, .spp = spp, .bpc = 8, .dct = 1 };
	return 1;
}

/* The access image of the page Tesseract's renderer showed as clean: the
 * page's own JPEG, the kept page (colour, own resolution), or a grey JPEG
 * too large for the page's own bytes made again; then kt_pdfa_page_image. */
static int access_image(kt_ocr *o, PIX *clean, PIX *keep, kt_page_result *r)
{
	L_COMP_DATA *cid = NULL;
	kt_access_image img;
	int have, rc, q = 0;

	have = own_jpeg(r, keep ? keep : clean, &img);
	if (!have && (keep != NULL || (pixGetDepth(clean) == 8 && r->source_bytes > 0 &&
				       pixGetInputFormat(clean) != IFF_PNG))) {
		PIX *shown = keep ? keep : clean;

		if (access_cid(shown, r->source_bytes, &cid, &q) != KT_OK)
			return kt_error_set(&o->err, KT_FATAL, "cannot encode the access image");
		/* Tesseract's own JPEG of clean is already this one: keep it */
		have = keep != NULL || q != KT_TESS_JPEG_QUALITY;
		img = (kt_access_image){ .data = cid->datacomp, .len = cid->nbytescomp,
					 .width = cid->w, .height = cid->h, .spp = cid->spp,
					 .bpc = cid->bps, .dct = cid->type == L_JPEG_ENCODE };
	}
	rc = kt_pdfa_page_image(&r->page_pdf, &r->page_pdf_len, have ? &img : NULL, &o->err);
	l_CIDataDestroy(&cid);
	return rc;
}

int kt_ocr_page_copies(kt_ocr *o, struct Pix *clean, kt_page_result *r, const char *tmpdir)
{
	kt_ocr_pdf *pdf = NULL;
	/* a colour page, or one enlarged for OCR: what its copies keep */
	PIX *keep = o->keep != NULL && o->keep_serial == r->serial && !r->bitonal ? o->keep : NULL;
	int rc;

	kt_error_clear(&o->err);
	free(r->master);
	free(r->page_pdf);
	r->master = r->page_pdf = NULL;
	r->master_len = r->page_pdf_len = 0;
	/* the master first: the PDF below may replace what the engine holds */
	rc = kt_ocr_tiff(keep ? keep : clean, &r->master, &r->master_len, &o->err);
	if (rc == KT_OK)
		rc = kt_ocr_pdf_new(o, tmpdir, NULL, &pdf);
	if (rc == KT_OK)
		rc = kt_ocr_pdf_add(pdf, clean, r);
	if (rc == KT_OK)
		rc = kt_ocr_pdf_finish(pdf, &r->page_pdf, &r->page_pdf_len);
	kt_ocr_pdf_free(&pdf);
	if (rc == KT_OK)
		rc = access_image(o, clean, keep, r);
	if (rc != KT_OK) {
		free(r->master);
		free(r->page_pdf);
		r->master = r->page_pdf = NULL;
		r->master_len = r->page_pdf_len = 0;
	}
	return rc;
}
