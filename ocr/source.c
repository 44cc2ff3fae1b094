/*
 * source.c - one input file, recognised by content and decoded page by page
 * with Leptonica (a PDF is rendered by source_pdf.c; an e-signed container's
 * data files are nested sources of source_asice.c). Page sizes are checked
 * against the pixel cap before any pixels are decoded.
 */
#include "ocr_private.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kt_source {
	const unsigned char *data;
	size_t len;
	char *name;
	int format;          /* IFF_TIFF, IFF_PNG or IFF_JFIF_JPEG; unused for PDF */
	int npages;
	long max_pixels;
	kt_tiff_page *tiff;  /* page sizes when format is TIFF */
	kt_pdf *pdf;         /* when the file is a PDF */
	kt_asice *asice;     /* when the file is an e-signed container */
};

int kt_is_pdf(const void *data, size_t len)
{
	static const char magic[] = "%PDF-";
	const unsigned char *d = data;
	size_t i, n = len < 1024 ? len : 1024;

	for (i = 0; i + sizeof magic - 1 <= n; i++)
		if (d[i] == '%' && memcmp(d + i, magic, sizeof magic - 1) == 0)
			return 1;
	return 0;
}

/* A PDF (MuPDF, source_pdf.c) or an e-signed container (source_asice.c,
 * whose data files are nested sources): the reader opens it and counts its
 * pages into the new source. */
static int open_with(int asice, const void *data, size_t len, const char *name, long max_pixels,
		     kt_source **out, kt_error *err)
{
	kt_source *s = calloc(1, sizeof *s);
	int rc;

	if (s == NULL || (s->name = strdup(name)) == NULL) {
		free(s);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	s->data = data;
	s->len = len;
	s->max_pixels = max_pixels;
	rc = asice ? kt_asice_open(data, len, name, max_pixels, &s->asice, &s->npages, err)
		   : kt_pdf_open(data, len, name, max_pixels, &s->pdf, &s->npages, err);
	if (rc != KT_OK) {
		kt_source_free(&s);
		return rc;
	}
	*out = s;
	return KT_OK;
}

static int is_tiff(int f)
{
	return L_FORMAT_IS_TIFF(f);
}

int kt_source_recognised(const void *data, size_t len)
{
	l_int32 format = IFF_UNKNOWN;

	if (len > 0 && kt_is_pdf(data, len))
		return 1;
	if (len < 12 || findFileFormatBuffer(data, &format) != 0)
		return 0;
	return is_tiff(format) || format == IFF_PNG || format == IFF_JFIF_JPEG;
}

int kt_source_open(const void *data, size_t len, const char *name,
		   long max_pixels, kt_source **out, kt_error *err)
{
	kt_source *s;
	l_int32 format = IFF_UNKNOWN;
	int rc;

	*out = NULL;
	if (max_pixels <= 0)
		max_pixels = KT_OCR_DEFAULT_MAX_PIXELS;
	if (len == 0)
		return kt_error_set(err, KT_FAILED, "cannot read '%s': empty file", name);
	if (kt_is_pdf(data, len))
		return open_with(0, data, len, name, max_pixels, out, err);
	if (kt_is_zip(data, len))
		return open_with(1, data, len, name, max_pixels, out, err);
	if (len < 12 || findFileFormatBuffer(data, &format) != 0)
		format = IFF_UNKNOWN;
	if (!is_tiff(format) && format != IFF_PNG && format != IFF_JFIF_JPEG)
		return kt_error_set(err, KT_FAILED,
				    "cannot read '%s': not a TIFF, PNG or JPEG image or a PDF, "
				    "nor an e-signed container", name);
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->name = strdup(name)) == NULL) {
		free(s);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	s->data = data;
	s->len = len;
	s->max_pixels = max_pixels;
	s->format = is_tiff(format) ? IFF_TIFF : format;
	if (s->format == IFF_TIFF) {
		rc = kt_tiff_scan(data, len, name, &s->tiff, &s->npages, err);
		if (rc != KT_OK) {
			kt_source_free(&s);
			return rc;
		}
	} else {
		l_int32 f, w = 0, h = 0, bps, spp, iscmap;

		if (pixReadHeaderMem(data, len, &f, &w, &h, &bps, &spp, &iscmap) != 0 ||
		    w <= 0 || h <= 0) {
			kt_source_free(&s);
			return kt_error_set(err, KT_FAILED, "cannot read %s '%s': corrupt header",
					    format == IFF_PNG ? "PNG" : "JPEG", name);
		}
		if ((double)w * h > (double)max_pixels) {
			kt_source_free(&s);
			return kt_error_set(err, KT_FAILED,
					    "refusing '%s': %d x %d pixels is above the cap of %ld",
					    name, w, h, max_pixels);
		}
		s->npages = 1;
	}
	*out = s;
	return KT_OK;
}

const char *kt_source_format(const kt_source *s)
{
	if (s->pdf != NULL)
		return "pdf";
	if (s->asice != NULL)
		return "asice";
	return s->format == IFF_TIFF ? "tiff" : s->format == IFF_PNG ? "png" : "jpeg";
}

int kt_source_pages(const kt_source *s)
{
	return s->npages;
}

int kt_source_page(kt_source *s, int i, struct Pix **out, int *dpi, kt_error *err)
{
	PIX *pix = NULL;
	l_int32 nwarn = 0;

	*out = NULL;
	*dpi = 0;
	if (i < 0 || i >= s->npages)
		return kt_error_set(err, KT_FAILED, "'%s' has no page %d", s->name, i + 1);
	if (s->pdf != NULL)
		return kt_pdf_page(s->pdf, i, out, dpi, err);
	if (s->asice != NULL)
		return kt_asice_page(s->asice, i, out, dpi, err);
	if (s->format == IFF_TIFF) {
		double px = (double)s->tiff[i].width * s->tiff[i].height;

		if (px > (double)s->max_pixels)
			return kt_error_set(err, KT_FAILED,
					    "refusing page %d of '%s': %u x %u pixels is above the cap of %ld",
					    i + 1, s->name, s->tiff[i].width, s->tiff[i].height,
					    s->max_pixels);
		pix = pixReadMemTiff(s->data, s->len, i);
	} else if (s->format == IFF_PNG) {
		pix = pixReadMemPng(s->data, s->len);
	} else {
		pix = pixReadMemJpeg(s->data, s->len, 0, 1, &nwarn, 0);
		if (pix != NULL && nwarn > 0) {
			pixDestroy(&pix);
			return kt_error_set(err, KT_FAILED,
					    "cannot read JPEG '%s': truncated or corrupt image data", s->name);
		}
	}
	if (pix == NULL) {
		if (s->npages > 1)
			return kt_error_set(err, KT_FAILED, "cannot decode page %d of '%s': corrupt image data",
					    i + 1, s->name);
		return kt_error_set(err, KT_FAILED, "cannot decode '%s': corrupt image data", s->name);
	}
	*dpi = pixGetXRes(pix);
	*out = pix;
	return KT_OK;
}

int kt_source_page_text(kt_source *s, int i, char **text, kt_error *err)
{
	*text = NULL;
	if (i < 0 || i >= s->npages)
		return kt_error_set(err, KT_FAILED, "'%s' has no page %d", s->name, i + 1);
	if (s->asice != NULL)
		return kt_asice_page_text(s->asice, i, text, err);
	if (s->pdf == NULL)
		return KT_OK; /* an image has no text of its own */
	return kt_pdf_page_text(s->pdf, i, text, err);
}

const char *kt_source_text_source(const kt_source *s, int i)
{
	if (i < 0 || i >= s->npages)
		return NULL;
	if (s->asice != NULL)
		return kt_asice_text_source(s->asice, i);
	return s->pdf != NULL ? "pdf" : NULL;
}

int kt_source_page_pdf(const kt_source *s, int i, const void **pdf, size_t *len, int *page)
{
	*pdf = NULL;
	*len = 0;
	*page = -1;
	if (i < 0 || i >= s->npages)
		return 0;
	if (s->asice != NULL)
		return kt_asice_page_pdf(s->asice, i, pdf, len, page);
	if (s->pdf == NULL)
		return 0;
	*pdf = s->data;
	*len = s->len;
	*page = i;
	return 1;
}

int kt_source_page_file(const kt_source *s, int i, const void **data, size_t *len, int *jpeg)
{
	*data = NULL;
	*len = 0;
	*jpeg = 0;
	if (i < 0 || i >= s->npages || s->pdf != NULL || s->asice != NULL || s->npages != 1)
		return 0;
	*data = s->data;
	*len = s->len;
	*jpeg = s->format == IFF_JFIF_JPEG;
	return 1;
}

size_t kt_source_page_bytes(const kt_source *s, int i)
{
	const void *data;
	size_t len;
	int jpeg;

	if (s->pdf != NULL)
		return kt_pdf_page_coded(s->pdf, i);
	return kt_source_page_file(s, i, &data, &len, &jpeg) ? len : 0;
}

size_t kt_source_signatures(const kt_source *s, const kt_source_signature **sigs)
{
	*sigs = NULL;
	return s->asice != NULL ? kt_asice_signatures(s->asice, sigs) : 0;
}

const char *kt_source_warning(const kt_source *s)
{
	return s->asice != NULL ? kt_asice_warning(s->asice) : NULL;
}

void kt_page_result_from_text(kt_page_result *r, char *text)
{
	kt_page_result_release(r);
	r->text = text;
	kt_lang_guess(text, r->lang);
	snprintf(r->script, sizeof r->script, "%s",
		 strcmp(r->lang, "rus") == 0 ? "Cyrillic" : r->lang[0] ? "Latin" : "");
	r->confidence = 100;
	snprintf(r->text_source, sizeof r->text_source, "pdf");
}

void kt_source_free(kt_source **s)
{
	if (s == NULL || *s == NULL)
		return;
	kt_pdf_free(&(*s)->pdf);
	kt_asice_free(&(*s)->asice);
	free((*s)->tiff);
	free((*s)->name);
	free(*s);
	*s = NULL;
}
