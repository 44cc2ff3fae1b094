/*
 * page.c - the engine set and the page stages.
 *
 * A page walks the const table page_stages[] in order. Each stage reads
 * w->cur, leaves it untouched, and puts its own result in w->next (a clone
 * when it has nothing to change); the walker then frees cur and moves next
 * into its place. Adding a stage touches this table and one function.
 */
#include "engine_private.h"
#include "cleanup_private.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

/* Below this resolution a page is enlarged to KT_WORK_DPI before recognition. */
#define KT_MIN_DPI 200
#define KT_WORK_DPI 300
/* OSD orientation confidence needed before a page is turned. */
#define KT_MIN_ORIENT_CONF 1.5f
/* Below this mean confidence a Latin reading is checked against a Cyrillic one. */
#define KT_RETRY_CONF 60

typedef struct kt_page_work {
	PIX *cur, *next;
	int dpi;
	kt_osd osd;
	kt_page_result *res;
} kt_page_work;

typedef struct kt_page_stage {
	const char *name;
	int (*run)(kt_ocr *o, kt_page_work *w);
} kt_page_stage;

static int stage_grey(kt_ocr *o, kt_page_work *w)
{
	PIX *grey = kt_clean_grey(w->cur);

	if (grey == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot convert the page to grey");
	if (w->dpi <= 0)
		w->dpi = KT_WORK_DPI;
	if (w->dpi < KT_MIN_DPI) {
		float f = (float)KT_WORK_DPI / (float)w->dpi;
		PIX *big = pixScaleGrayLI(grey, f, f);

		pixDestroy(&grey);
		if (big == NULL)
			return kt_error_set(&o->err, KT_FAILED, "cannot rescale the page");
		grey = big;
		w->dpi = KT_WORK_DPI;
	}
	w->next = grey;
	return KT_OK;
}

static int stage_orient(kt_ocr *o, kt_page_work *w)
{
	kt_tess_osd(o->osd, w->cur, w->dpi, &w->osd);
	w->res->orient_conf = w->osd.ok ? w->osd.orient_conf : 0.0f;
	if (w->osd.ok && w->osd.rotate != 0 && w->osd.orient_conf >= KT_MIN_ORIENT_CONF) {
		w->res->rotation = w->osd.rotate;
		w->next = pixRotateOrth(w->cur, w->osd.rotate / 90);
		if (w->next == NULL)
			return kt_error_set(&o->err, KT_FAILED, "cannot turn the page upright");
	} else {
		w->next = pixClone(w->cur);
	}
	return KT_OK;
}

static int stage_deskew(kt_ocr *o, kt_page_work *w)
{
	PIX *bin = kt_clean_binary(w->cur);

	if (bin == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot binarise the page");
	w->res->skew = kt_clean_find_skew(bin);
	pixDestroy(&bin);
	w->next = kt_clean_deskew(w->cur, w->res->skew);
	if (w->next == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot deskew the page");
	return KT_OK;
}

static int stage_blank(kt_ocr *o, kt_page_work *w)
{
	PIX *bin = kt_clean_binary(w->cur);

	if (bin == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot binarise the page");
	w->res->blank = kt_clean_is_blank(bin, w->dpi);
	pixDestroy(&bin);
	w->next = pixClone(w->cur);
	return KT_OK;
}

static int stage_recognize(kt_ocr *o, kt_page_work *w)
{
	kt_page_result *r = w->res;
	int cyr_first = w->osd.ok && strcmp(w->osd.script, "Cyrillic") == 0;
	kt_tess *first = cyr_first ? o->cyrillic : o->latin;
	int rc;

	w->next = pixClone(w->cur);
	r->width = pixGetWidth(w->cur);
	r->height = pixGetHeight(w->cur);
	r->dpi = w->dpi;
	snprintf(r->script, sizeof r->script, "%s", w->osd.ok ? w->osd.script : "");
	if (r->blank) {
		r->text = strdup("");
		return r->text ? KT_OK : kt_error_set(&o->err, KT_FATAL, "out of memory");
	}
	rc = kt_tess_recognize(first, w->cur, w->dpi, &r->text, &r->confidence, &o->err);
	if (rc != KT_OK)
		return rc;
	/* No confident script from OSD and a weak Latin reading: try Cyrillic too. */
	if (!w->osd.ok && r->confidence < KT_RETRY_CONF) {
		char *text2 = NULL;
		int conf2 = 0;

		if (kt_tess_recognize(o->cyrillic, w->cur, w->dpi, &text2, &conf2, &o->err) == KT_OK &&
		    conf2 > r->confidence) {
			free(r->text);
			r->text = text2;
			r->confidence = conf2;
			snprintf(r->script, sizeof r->script, "Cyrillic");
		} else {
			free(text2);
		}
		kt_error_clear(&o->err);
	}
	kt_lang_guess(r->text, r->lang);
	return KT_OK;
}

static const kt_page_stage page_stages[] = {
	{ "grey", stage_grey },
	{ "orient", stage_orient },
	{ "deskew", stage_deskew },
	{ "blank", stage_blank },
	{ "recognize", stage_recognize },
};

int kt_ocr_page(kt_ocr *o, struct Pix *pix, int dpi, kt_page_result *out, struct Pix **clean)
{
	kt_page_work w = { .cur = pixClone(pix), .dpi = dpi, .res = out };
	size_t i;
	int rc = KT_OK;

	if (clean != NULL)
		*clean = NULL;
	kt_error_clear(&o->err);
	if (o->osd == NULL)
		return kt_error_set(&o->err, KT_FATAL, "the OCR engine is not initialised");
	for (i = 0; i < sizeof page_stages / sizeof page_stages[0]; i++) {
		rc = page_stages[i].run(o, &w);
		if (rc != KT_OK) {
			pixDestroy(&w.next);
			break;
		}
		pixDestroy(&w.cur);
		w.cur = w.next;
		w.next = NULL;
	}
	if (rc == KT_OK && clean != NULL)
		*clean = pixClone(w.cur);
	pixDestroy(&w.cur);
	return rc;
}

kt_ocr *kt_ocr_new(void)
{
	return calloc(1, sizeof(kt_ocr));
}

int kt_ocr_init(kt_ocr *o, const char *tessdata)
{
	kt_error_clear(&o->err);
	if (o->osd != NULL)
		return KT_OK;
	o->osd = kt_tess_new(tessdata, "osd", &o->err);
	if (o->osd != NULL)
		o->latin = kt_tess_new(tessdata, "lav+lit+eng", &o->err);
	if (o->latin != NULL)
		o->cyrillic = kt_tess_new(tessdata, "rus+eng", &o->err);
	if (o->cyrillic == NULL) {
		kt_tess_free(&o->osd);
		kt_tess_free(&o->latin);
		return o->err.code;
	}
	return KT_OK;
}

const char *kt_ocr_errmsg(const kt_ocr *o)
{
	return o->err.msg;
}

void kt_ocr_free(kt_ocr **o)
{
	if (o == NULL || *o == NULL)
		return;
	kt_tess_free(&(*o)->osd);
	kt_tess_free(&(*o)->latin);
	kt_tess_free(&(*o)->cyrillic);
	free(*o);
	*o = NULL;
}

void kt_page_result_init(kt_page_result *r)
{
	memset(r, 0, sizeof *r);
}

void kt_page_result_release(kt_page_result *r)
{
	if (r == NULL)
		return;
	free(r->text);
	memset(r, 0, sizeof *r);
}
