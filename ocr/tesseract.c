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

int kt_tess_recognize(kt_tess *t, struct Pix *pix, int dpi, char **text, int *conf,
		      kt_error *err)
{
	char *s;

	*text = NULL;
	*conf = 0;
	TessBaseAPISetPageSegMode(t->api, PSM_AUTO);
	TessBaseAPISetImage2(t->api, pix);
	TessBaseAPISetSourceResolution(t->api, dpi);
	if (TessBaseAPIRecognize(t->api, NULL) != 0) {
		TessBaseAPIClear(t->api);
		return kt_error_set(err, KT_FAILED, "recognition failed");
	}
	s = TessBaseAPIGetUTF8Text(t->api);
	*conf = TessBaseAPIMeanTextConf(t->api);
	TessBaseAPIClear(t->api);
	if (s == NULL)
		return kt_error_set(err, KT_FAILED, "recognition returned no text");
	*text = strdup(s);
	TessDeleteText(s);
	if (*text == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	return KT_OK;
}

const char *kt_ocr_version(void)
{
	return TessVersion();
}
