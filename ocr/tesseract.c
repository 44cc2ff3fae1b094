/*
 * tesseract.c - Tesseract's C API: engines, orientation and script detection
 * (OSD), recognition. The one file of kartoteka that talks to Tesseract.
 *
 * Engines are made once per worker (kt_ocr_init) and reused for every page;
 * each is single-threaded (OMP_THREAD_LIMIT is the caller's business).
 */
#include "engine_private.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

struct kt_tess {
	TessBaseAPI *api;
};

kt_tess *kt_tess_new(const char *tessdata, const char *langs, kt_error *err)
{
	kt_tess *t = calloc(1, sizeof *t);

	if (t == NULL) {
		kt_error_set(err, KT_FATAL, "out of memory");
		return NULL;
	}
	t->api = TessBaseAPICreate();
	if (t->api == NULL ||
	    TessBaseAPIInit2(t->api, tessdata, langs,
			     strcmp(langs, "osd") == 0 ? OEM_DEFAULT : OEM_LSTM_ONLY) != 0) {
		kt_error_set(err, KT_FATAL,
			     "cannot load Tesseract models '%s' from %s: is tesseract-ocr-%s installed?",
			     langs, tessdata ? tessdata : "the default tessdata folder", langs);
		kt_tess_free(&t);
		return NULL;
	}
	/* Word-level results only need the LSTM; keep Tesseract quiet on stderr. */
	TessBaseAPISetVariable(t->api, "debug_file", "/dev/null");
	/* The access copy's grey JPEG pages (docs/ocr.md: 75, as ocrmypdf) */
	TessBaseAPISetVariable(t->api, "jpg_quality", KT_STR(KT_TESS_JPEG_QUALITY));
	return t;
}

void kt_tess_free(kt_tess **t)
{
	if (t == NULL || *t == NULL)
		return;
	if ((*t)->api != NULL) {
		TessBaseAPIEnd((*t)->api);
		TessBaseAPIDelete((*t)->api);
	}
	free(*t);
	*t = NULL;
}

void kt_tess_osd(kt_tess *t, struct Pix *pix, int dpi, kt_osd *out)
{
	int deg = 0;
	float oconf = 0, sconf = 0;
	const char *script = NULL;

	memset(out, 0, sizeof *out);
	TessBaseAPISetPageSegMode(t->api, PSM_OSD_ONLY);
	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	if (TessBaseAPIDetectOrientationScript(t->api, &deg, &oconf, &script, &sconf)) {
		out->ok = 1;
		/* deg is the page's orientation counter-clockwise; the clockwise turn
		 * that makes it upright is its complement (Tesseract's "Rotate:"). */
		out->rotate = (360 - deg) % 360;
		out->orient_conf = oconf;
		out->script_conf = sconf;
		if (script != NULL)
			snprintf(out->script, sizeof out->script, "%s", script);
	}
	TessBaseAPIClear(t->api);
}

/* Copy a string Tesseract made into our heap and free Tesseract's copy. */
static char *take_text(char *s)
{
	char *copy = s ? strdup(s) : NULL;

	TessDeleteText(s);
	return copy;
}

int kt_tess_recognize(kt_tess *t, struct Pix *pix, int dpi, char **text, int *conf,
		      char **alto, kt_error *err)
{
	*text = NULL;
	*conf = 0;
	if (alto != NULL)
		*alto = NULL;
	TessBaseAPISetPageSegMode(t->api, PSM_AUTO);
	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	if (TessBaseAPIRecognize(t->api, NULL) != 0) {
		TessBaseAPIClear(t->api);
		return kt_error_set(err, KT_FAILED, "recognition failed");
	}
	/* The recognition stays on the engine until its next page, so that a
	 * searchable PDF can take it without recognising the page again. */
	*text = take_text(TessBaseAPIGetUTF8Text(t->api));
	*conf = TessBaseAPIMeanTextConf(t->api);
	if (*text == NULL)
		return kt_error_set(err, KT_FAILED, "recognition returned no text");
	if (alto != NULL) {
		*alto = take_text(TessBaseAPIGetAltoText(t->api, 0));
		if (*alto == NULL) {
			free(*text);
			*text = NULL;
			return kt_error_set(err, KT_FAILED, "cannot make the ALTO XML of the page");
		}
	}
	return KT_OK;
}

/* letters and digits in a word's UTF-8 text (every non-ASCII byte sequence
 * counts as one: Latvian, Lithuanian and Cyrillic letters) */
static int alnum_count(const char *s)
{
	int n = 0;

	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0xC0)
			n++;
	}
	return n;
}

void kt_tess_cut_words(kt_tess *t, int width, int height, int margin, int *words, int *edges)
{
	TessResultIterator *it = TessBaseAPIGetIterator(t->api);

	*words = 0;
	*edges = 0;
	if (it == NULL)
		return;
	do {
		const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(it);
		int l, tp, r, b, e = 0;
		char *w;

		if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &tp, &r, &b))
			continue;
		e |= l <= margin ? KT_EDGE_LEFT : 0;
		e |= tp <= margin ? KT_EDGE_TOP : 0;
		e |= r >= width - margin ? KT_EDGE_RIGHT : 0;
		e |= b >= height - margin ? KT_EDGE_BOTTOM : 0;
		if (e == 0)
			continue;
		/* a scanner's edge or a black border read as | or _ or as
		 * letters Tesseract doubts (below 50) is no text */
		w = TessResultIteratorGetUTF8Text(it, RIL_WORD);
		if (alnum_count(w) >= 2 && TessResultIteratorConfidence(it, RIL_WORD) >= 50.0f) {
			(*words)++;
			*edges |= e;
		}
		TessDeleteText(w);
	} while (TessResultIteratorNext(it, RIL_WORD));
	TessResultIteratorDelete(it);
}

int kt_tess_read_block(kt_tess *t, struct Pix *pix, int dpi, char **text, int *conf,
		       kt_error *err)
{
	*text = NULL;
	*conf = 0;
	/* One block of horizontal lines: unlike PSM_AUTO, no vertical text
	 * finding, so a page lying on its side reads as nonsense. */
	TessBaseAPISetPageSegMode(t->api, PSM_SINGLE_BLOCK);
	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	if (TessBaseAPIRecognize(t->api, NULL) != 0) {
		TessBaseAPIClear(t->api);
		return kt_error_set(err, KT_FAILED, "recognition failed");
	}
	*text = take_text(TessBaseAPIGetUTF8Text(t->api));
	*conf = TessBaseAPIMeanTextConf(t->api);
	TessBaseAPIClear(t->api);
	return *text ? KT_OK : kt_error_set(err, KT_FAILED, "recognition returned no text");
}

int kt_tess_empty(kt_tess *t, struct Pix *pix, int dpi, kt_error *err)
{
	TessBaseAPISetPageSegMode(t->api, PSM_SINGLE_BLOCK);
	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	/* A blank page keeps no text: recognise a 1 x 1 corner only. The input
	 * image (what the PDF shows) is still the whole page. */
	TessBaseAPISetRectangle(t->api, 0, 0, 1, 1);
	if (TessBaseAPIRecognize(t->api, NULL) != 0) {
		TessBaseAPIClear(t->api);
		return kt_error_set(err, KT_FAILED, "cannot prepare the blank page");
	}
	return KT_OK;
}

/* ------------------------------------------------------- searchable PDF */

struct kt_tess_pdf {
	TessResultRenderer *r;
};

kt_tess_pdf *kt_tess_pdf_begin(kt_tess *t, const char *base, const char *title, kt_error *err)
{
	kt_tess_pdf *p = calloc(1, sizeof *p);

	if (p == NULL) {
		kt_error_set(err, KT_FATAL, "out of memory");
		return NULL;
	}
	/* The renderer writes BASE.pdf and needs pdf.ttf from the tessdata folder. */
	p->r = TessPDFRendererCreate(base, TessBaseAPIGetDatapath(t->api), 0);
	if (p->r == NULL || !TessResultRendererBeginDocument(p->r, title ? title : "")) {
		kt_error_set(err, KT_FAILED, "cannot start the PDF '%s.pdf'", base);
		kt_tess_pdf_free(&p);
		return NULL;
	}
	return p;
}

int kt_tess_pdf_add(kt_tess_pdf *p, kt_tess *t, kt_error *err)
{
	if (!TessResultRendererAddImage(p->r, t->api))
		return kt_error_set(err, KT_FAILED, "cannot add page %d to the PDF",
				    TessResultRendererImageNum(p->r) + 1);
	return KT_OK;
}

int kt_tess_pdf_end(kt_tess_pdf *p, kt_error *err)
{
	int ok = TessResultRendererEndDocument(p->r);

	/* Deleting the renderer closes its file. */
	TessDeleteResultRenderer(p->r);
	p->r = NULL;
	return ok ? KT_OK : kt_error_set(err, KT_FAILED, "cannot finish the PDF");
}

void kt_tess_pdf_free(kt_tess_pdf **p)
{
	if (p == NULL || *p == NULL)
		return;
	if ((*p)->r != NULL)
		TessDeleteResultRenderer((*p)->r);
	free(*p);
	*p = NULL;
}

const char *kt_ocr_version(void)
{
	return TessVersion();
}
