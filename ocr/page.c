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
/* Below this confidence a turn OSD proposes is checked by reading the page
 * (kt_orient_by_ocr): on a card, a visa or a page dominated by an MRZ or a
 * table OSD sees few characters and can be wrong with some confidence (an
 * upright visa sticker: 180 at 3.6; the letters turned 90 and 180 of the
 * samples: 23 and 27). */
#define KT_SURE_ORIENT_CONF 10.0f
/* Points of mean word confidence a turned reading must win by to be chosen
 * over the page as scanned, when OSD could not decide. */
#define KT_ORIENT_MARGIN 10
/* A mean word confidence no sideways or upside-down reading reaches. */
#define KT_ORIENT_SURE 85
/* A page is evened out before it is read (kt_clean_normalize) when its
 * background is uneven by more than KT_UNEVEN levels (kt_clean_background_spread:
 * a fold's shadow, a stain) or its text is less than KT_FAINT levels darker
 * than its paper (a faint carbon copy). Measured on the samples and the hard
 * samples (docs/ocr.md): evening out every page makes some worse (a coloured
 * stamp comes out darker over the text), these pages alone gain. */
#define KT_UNEVEN 30
#define KT_FAINT 100
/* Below this mean confidence a reading with one script's languages is
 * checked against one with Latvian and Russian together (a Latvian protocol
 * with answers written in Russian: 30% CER read as Latin, 6% read mixed). A
 * clean page in one script reads at 90 or more. */
#define KT_MIXED_CONF 88
/* Below this mean confidence a Latin reading is checked against a Cyrillic one. */
#define KT_RETRY_CONF 60
/* The JPEG quality of Tesseract's PDF renderer (its variable jpg_quality,
 * which tesseract.c sets to this, KT_TESS_JPEG_QUALITY): what stage_access
 * weighs Flate against. */
#define KT_ACCESS_JPEG_QUALITY KT_TESS_JPEG_QUALITY

typedef struct kt_page_work {
	PIX *cur, *next;
	int dpi;
	/* What the master and the access copy keep when it is not the page
	 * recognised (issue 18): a colour page in colour, a page enlarged for
	 * OCR at its own resolution (keep_dpi); turned and deskewed as cur is.
	 * NULL: they keep the recognised page. */
	PIX *keep;
	int keep_dpi;
	kt_osd osd;
	kt_page_result *res;
} kt_page_work;

typedef struct kt_page_stage {
	const char *name;
	int (*run)(kt_ocr *o, kt_page_work *w);
} kt_page_stage;

/* Some letters or digits in a reading (not just punctuation and space). */
static int is_text(const char *s)
{
	int n = 0;

	for (; s != NULL && *s; s++)
		if ((unsigned char)*s >= 0x80 || (*s >= '0' && *s <= '9') ||
		    ((*s | 32) >= 'a' && (*s | 32) <= 'z'))
			n++;
	return n >= 8;
}

static int stage_grey(kt_ocr *o, kt_page_work *w)
{
	PIX *grey = kt_clean_grey(w->cur);

	if (grey == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot convert the page to grey");
	if (w->dpi <= 0)
		w->dpi = KT_WORK_DPI;
	w->keep_dpi = w->dpi;
	/* for the rescan list: the page's levels as scanned */
	kt_clean_levels(grey, &w->res->paper, &w->res->ink);
	w->res->measured = 1;
	if (w->dpi < KT_MIN_DPI) {
		float f = (float)KT_WORK_DPI / (float)w->dpi;
		PIX *big = pixScaleGrayLI(grey, f, f);

		/* the master and the access copy stay at the page's own
		 * resolution (a bitonal page is thresholded from the enlarged one) */
		if (w->keep == NULL && !w->res->bitonal)
			w->keep = pixClone(grey);
		pixDestroy(&grey);
		if (big == NULL)
			return kt_error_set(&o->err, KT_FAILED, "cannot rescale the page");
		grey = big;
		w->dpi = KT_WORK_DPI;
	}
	w->next = grey;
	return KT_OK;
}

int kt_orient_by_ocr(kt_ocr *o, struct Pix *grey, int dpi, int cyrillic, int *best_conf)
{
	static const int turns[4] = { 0, 180, 90, 270 };
	kt_tess *t = cyrillic ? o->cyrillic : o->latin;
	l_int32 w = pixGetWidth(grey), h = pixGetHeight(grey), side = (w < h ? w : h) / 2;
	/* the same square from the middle of the page, read four ways round */
	BOX *box = boxCreate((w - side) / 2, (h - side) / 2, side, side);
	PIX *square = box ? pixClipRectangle(grey, box, NULL) : NULL;
	int best = 0, conf0 = -1, top = -1, i;

	boxDestroy(&box);
	for (i = 0; i < 4 && square != NULL; i++) {
		PIX *turned = pixRotateOrth(square, turns[i] / 90);
		char *text = NULL;
		int conf = -1;

		if (turned != NULL && kt_tess_read_block(t, turned, dpi, &text, &conf,
							 &o->err) == KT_OK && is_text(text)) {
			if (i == 0)
				conf0 = conf;
			if (conf > top) {
				top = conf;
				best = turns[i];
			}
		}
		free(text);
		pixDestroy(&turned);
		/* a reading this sure is the right way round: stop early */
		if (top >= KT_ORIENT_SURE)
			break;
	}
	pixDestroy(&square);
	kt_error_clear(&o->err);
	/* stay as scanned unless a turn reads clearly better */
	if (best != 0 && conf0 >= 0 && top < conf0 + KT_ORIENT_MARGIN) {
		best = 0;
		top = conf0;
	}
	if (best_conf != NULL)
		*best_conf = top;
	return best;
}

static int stage_orient(kt_ocr *o, kt_page_work *w)
{
	int rotate = 0;

	kt_tess_osd(o->osd, w->cur, w->dpi, &w->osd);
	w->res->orient_conf = w->osd.ok ? w->osd.orient_conf : 0.0f;
	if (w->osd.ok && w->osd.orient_conf >= KT_MIN_ORIENT_CONF &&
	    (w->osd.rotate == 0 || w->osd.orient_conf >= KT_SURE_ORIENT_CONF)) {
		rotate = w->osd.rotate;
	} else {
		/* OSD unsure or silent, or a turn it is not sure of: read the page
		 * every way round and keep the reading Tesseract is surest of,
		 * upright unless a turn reads clearly better (a blank page is left
		 * as it is). */
		PIX *bin = kt_clean_binary(w->cur);

		if (bin != NULL && !kt_clean_is_blank(bin, w->dpi))
			rotate = kt_orient_by_ocr(o, w->cur, w->dpi,
						  w->osd.ok && strcmp(w->osd.script, "Cyrillic") == 0,
						  NULL);
		pixDestroy(&bin);
		w->osd.rotate = rotate;
	}
	if (rotate != 0) {
		w->res->rotation = rotate;
		w->next = pixRotateOrth(w->cur, rotate / 90);
		if (w->next == NULL)
			return kt_error_set(&o->err, KT_FAILED, "cannot turn the page upright");
		if (w->keep != NULL) {
			PIX *turned = pixRotateOrth(w->keep, rotate / 90);

			pixDestroy(&w->keep);
			w->keep = turned;
			if (turned == NULL)
				return kt_error_set(&o->err, KT_FAILED, "cannot turn the page upright");
		}
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
	if (w->keep != NULL) {
		/* the same angle about the centre: the text layer stays in place */
		PIX *level = kt_clean_deskew(w->keep, w->res->skew);

		pixDestroy(&w->keep);
		w->keep = level;
		if (level == NULL)
			return kt_error_set(&o->err, KT_FAILED, "cannot deskew the page");
	}
	return KT_OK;
}

static int stage_despeckle(kt_ocr *o, kt_page_work *w)
{
	w->next = kt_clean_despeckle(w->cur, w->dpi);
	if (w->next == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot despeckle the page");
	/* a grey page kept at its own resolution is despeckled at it; a colour
	 * page keeps its pixels (only turned and deskewed) */
	if (w->keep != NULL && pixGetDepth(w->keep) == 8) {
		PIX *clean = kt_clean_despeckle(w->keep, w->keep_dpi);

		pixDestroy(&w->keep);
		w->keep = clean;
		if (clean == NULL)
			return kt_error_set(&o->err, KT_FAILED, "cannot despeckle the page");
	}
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

/* ALTO document around Tesseract's <Page> element (or an empty page). */
static const char alto_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\" "
	"xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	"xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v3# "
	"http://www.loc.gov/alto/v3/alto-3-0.xsd\">\n"
	"\t<Description>\n"
	"\t\t<MeasurementUnit>pixel</MeasurementUnit>\n"
	"\t\t<OCRProcessing ID=\"OCR_0\">\n"
	"\t\t\t<ocrProcessingStep>\n"
	"\t\t\t\t<processingSoftware>\n"
	"\t\t\t\t\t<softwareName>kartoteka (Tesseract %s)</softwareName>\n"
	"\t\t\t\t</processingSoftware>\n"
	"\t\t\t</ocrProcessingStep>\n"
	"\t\t</OCRProcessing>\n"
	"\t</Description>\n"
	"\t<Layout>\n";
static const char alto_tail[] = "\t</Layout>\n</alto>\n";

static char *alto_document(const char *page, int width, int height)
{
	char empty[160];
	size_t n;
	char *doc;

	if (page == NULL) {
		snprintf(empty, sizeof empty,
			 "\t\t<Page WIDTH=\"%d\" HEIGHT=\"%d\" PHYSICAL_IMG_NR=\"0\" ID=\"page_0\">\n"
			 "\t\t\t<PrintSpace HPOS=\"0\" VPOS=\"0\" WIDTH=\"%d\" HEIGHT=\"%d\"/>\n"
			 "\t\t</Page>\n", width, height, width, height);
		page = empty;
	}
	n = sizeof alto_head + 64 + strlen(page) + sizeof alto_tail;
	doc = malloc(n);
	if (doc != NULL) {
		int k = snprintf(doc, n, alto_head, kt_ocr_version());

		snprintf(doc + k, n - (size_t)k, "%s%s", page, alto_tail);
	}
	return doc;
}

/* The engine with Latvian and Russian together, loaded at its first use
 * (few pages need it; it adds its models to a worker only then); NULL when
 * it cannot be loaded (the first reading then stands). */
static kt_tess *mixed_engine(kt_ocr *o)
{
	if (o->mixed == NULL) {
		o->mixed = kt_tess_new(o->tessdata, "lav+rus+eng", &o->err);
		kt_error_clear(&o->err);
	}
	return o->mixed;
}

/* Read seen again with engine t: its reading replaces r's text, confidence
 * and *alto (and *used becomes t) when always, or when it is surer. 1 when
 * it did; 0 when kept (or the reading failed: the first one stands). */
static int read_again(kt_ocr *o, kt_tess *t, PIX *seen, int dpi, int always, kt_page_result *r,
		      char **alto, kt_tess **used)
{
	char *text2 = NULL, *alto2 = NULL;
	int conf2 = 0, taken;

	taken = kt_tess_recognize(t, seen, dpi, &text2, &conf2, &alto2, &o->err) == KT_OK &&
		(always || conf2 > r->confidence);
	kt_error_clear(&o->err);
	if (!taken) {
		free(text2);
		free(alto2);
		return 0;
	}
	free(r->text);
	free(*alto);
	r->text = text2;
	*alto = alto2;
	r->confidence = conf2;
	*used = t;
	return 1;
}

static int stage_recognize(kt_ocr *o, kt_page_work *w)
{
	kt_page_result *r = w->res;
	int cyr_first = w->osd.ok && strcmp(w->osd.script, "Cyrillic") == 0;
	kt_tess *first = cyr_first ? o->cyrillic : o->latin, *used = first;
	char *page_alto = NULL;
	PIX *seen;
	int rc;

	w->next = pixClone(w->cur);
	r->width = pixGetWidth(w->cur);
	r->height = pixGetHeight(w->cur);
	r->dpi = w->dpi;
	snprintf(r->script, sizeof r->script, "%s", w->osd.ok ? w->osd.script : "");
	if (r->blank) {
		r->text = strdup("");
		r->alto = alto_document(NULL, r->width, r->height);
		return r->text && r->alto ? KT_OK : kt_error_set(&o->err, KT_FATAL, "out of memory");
	}
	/* what Tesseract reads: the grey page, evened out when uneven or faint
	 * (the page kept and shown stays as cleaned) */
	if (pixGetDepth(w->cur) == 8 && ((r->measured && r->ink >= 0 && r->paper - r->ink < KT_FAINT) ||
					 kt_clean_background_spread(w->cur) > KT_UNEVEN))
		seen = kt_clean_normalize(w->cur);
	else
		seen = pixClone(w->cur);
	if (seen == NULL)
		return kt_error_set(&o->err, KT_FATAL, "out of memory");
	rc = kt_tess_recognize(first, seen, w->dpi, &r->text, &r->confidence, &page_alto,
			       &o->err);
	if (rc != KT_OK) {
		pixDestroy(&seen);
		return rc;
	}
	/* No confident script from OSD and a weak Latin reading: try Cyrillic too. */
	if (!w->osd.ok && r->confidence < KT_RETRY_CONF &&
	    read_again(o, o->cyrillic, seen, w->dpi, 0, r, &page_alto, &used))
		snprintf(r->script, sizeof r->script, "Cyrillic");
	/* A weak reading: the page may hold both scripts; keep the surer one. */
	if (r->confidence < KT_MIXED_CONF && mixed_engine(o) != NULL)
		read_again(o, o->mixed, seen, w->dpi, 0, r, &page_alto, &used);
	kt_lang_guess(r->text, r->lang);
	/* Lithuanian read by the Latin set, where Latvian leads, loses ų ė į ę to
	 * y ē i e: read it again with Lithuanian first (measured on the samples:
	 * lt_prasymas.tif 0.56% -> 0.00% CER; see docs/ocr.md). */
	if (used == o->latin && strcmp(r->lang, "lit") == 0 && o->lithuanian != NULL)
		read_again(o, o->lithuanian, seen, w->dpi, 1, r, &page_alto, &used);
	pixDestroy(&seen);
	r->alto = alto_document(page_alto, r->width, r->height);
	free(page_alto);
	if (r->alto == NULL)
		return kt_error_set(&o->err, KT_FATAL, "out of memory");
	/* words the scan cut off: within 0.2 mm of the edge (2 px at 300 dpi) */
	kt_tess_cut_words(used, r->width, r->height, w->dpi >= 300 ? w->dpi / 150 : 2,
			  &r->cut_words, &r->cut_edges);
	o->live = used;
	o->live_pix = w->cur;
	o->live_serial = r->serial;
	return KT_OK;
}

/* A bitonal scan stays bitonal: its cleaned page (turned and deskewed in
 * grey) is thresholded at half grey back to 1 bpp, which is what is
 * recognised, kept as the master (CCITT G4) and shown in the access copy. */
static int stage_bitonal(kt_ocr *o, kt_page_work *w)
{
	if (!w->res->bitonal) {
		w->next = pixClone(w->cur);
		return KT_OK;
	}
	w->next = pixConvertTo1(w->cur, 128);
	if (w->next == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot make the page bitonal");
	return KT_OK;
}

/* Bytes of pix encoded for a PDF as type (L_JPEG_ENCODE at the renderer's
 * quality, L_FLATE_ENCODE), as Leptonica encodes it for Tesseract's PDF
 * renderer; 0 when it cannot. */
static size_t pdf_bytes(PIX *pix, int type)
{
	L_COMP_DATA *cid = NULL;
	size_t n = 0;

	if (pixGenerateCIData(pix, type, type == L_JPEG_ENCODE ? KT_ACCESS_JPEG_QUALITY : 0, 0,
			      &cid) == 0 && cid != NULL)
		n = cid->nbytescomp;
	l_CIDataDestroy(&cid);
	return n;
}

/* How the access copy shows the page (issue 18). Tesseract's PDF renderer
 * shows the image it recognised: 1 bpp as CCITT G4, 8-bit grey as JPEG, or
 * as Flate (lossless) when the image's input format is PNG. A grey page is
 * encoded both ways here and marked PNG when Flate is no larger than the
 * JPEG: a clean scan (few grey levels, large white areas) is about 3 times
 * smaller lossless than as JPEG at 85; a noisy or photographic page stays JPEG.
 * Every other page is marked unknown (the format it was read from says
 * nothing any more). The mark rides on the recognised image into the engine
 * and stays on the cleaned page (kt_ocr_pdf_add without the live engine). */
static int stage_access(kt_ocr *o, kt_page_work *w)
{
	int png = 0;

	w->next = pixCopy(NULL, w->cur);
	if (w->next == NULL)
		return kt_error_set(&o->err, KT_FAILED, "cannot copy the page");
	if (pixGetDepth(w->next) == 8 && pixGetColormap(w->next) == NULL) {
		size_t flate = pdf_bytes(w->next, L_FLATE_ENCODE);
		size_t jpeg = pdf_bytes(w->next, L_JPEG_ENCODE);

		png = flate > 0 && (jpeg == 0 || flate <= jpeg);
	}
	pixSetInputFormat(w->next, png ? IFF_PNG : IFF_UNKNOWN);
	return KT_OK;
}

static const kt_page_stage page_stages[] = {
	{ "grey", stage_grey },
	{ "orient", stage_orient },
	{ "deskew", stage_deskew },
	{ "despeckle", stage_despeckle },
	{ "blank", stage_blank },
	{ "bitonal", stage_bitonal },
	{ "access", stage_access },
	{ "recognize", stage_recognize },
};

int kt_ocr_page(kt_ocr *o, struct Pix *pix, int dpi, kt_page_result *out, struct Pix **clean)
{
	kt_page_work w = { .cur = NULL, .dpi = dpi, .res = out, .keep = NULL };
	size_t i;
	int rc = KT_OK;

	if (clean != NULL)
		*clean = NULL;
	kt_error_clear(&o->err);
	if (o->osd == NULL)
		return kt_error_set(&o->err, KT_FATAL, "the OCR engine is not initialised");
	/* Whatever an engine held is about to be replaced. */
	o->live = NULL;
	o->live_pix = NULL;
	pixDestroy(&o->keep);
	out->serial = ++o->serial;
	out->bitonal = pixGetDepth(pix) == 1;
	/* a colour page: its master and access copy keep the colour */
	w.keep = kt_clean_colour(pix);
	w.cur = pixClone(pix);
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
	if (rc == KT_OK) {
		/* The input format is stage_access's mark (PNG: the PDF shows the
		 * page as Flate); the master chooses by depth alone. */
		pixSetResolution(w.cur, w.dpi, w.dpi);
		if (w.keep != NULL) {
			pixSetResolution(w.keep, w.keep_dpi, w.keep_dpi);
			o->keep = w.keep;
			o->keep_serial = out->serial;
			w.keep = NULL;
		}
	}
	pixDestroy(&w.keep);
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
	if (o->cyrillic != NULL)
		o->lithuanian = kt_tess_new(tessdata, "lit+eng", &o->err);
	/* the mixed set is loaded when a page first needs it (mixed_engine) */
	if (o->lithuanian != NULL && tessdata != NULL && (o->tessdata = strdup(tessdata)) == NULL)
		kt_error_set(&o->err, KT_FATAL, "out of memory");
	if (o->lithuanian == NULL || o->err.code != KT_OK) {
		kt_tess_free(&o->osd);
		kt_tess_free(&o->latin);
		kt_tess_free(&o->cyrillic);
		kt_tess_free(&o->lithuanian);
		return o->err.code;
	}
	return KT_OK;
}

const char *kt_ocr_errmsg(const kt_ocr *o)
{
	return o->err.msg;
}

const kt_error *kt_ocr_error(const kt_ocr *o)
{
	static const kt_error no_handle = { KT_FAILED, "no OCR engine" };

	return o ? &o->err : &no_handle;
}

void kt_ocr_free(kt_ocr **o)
{
	if (o == NULL || *o == NULL)
		return;
	kt_tess_free(&(*o)->osd);
	kt_tess_free(&(*o)->latin);
	kt_tess_free(&(*o)->cyrillic);
	kt_tess_free(&(*o)->lithuanian);
	kt_tess_free(&(*o)->mixed);
	free((*o)->tessdata);
	pixDestroy(&(*o)->keep);
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
	free(r->alto);
	free(r->master);
	free(r->page_pdf);
	free(r->separator);
	memset(r, 0, sizeof *r);
}

int kt_ocr_tiff(struct Pix *pix, unsigned char **bytes, size_t *len, kt_error *err)
{
	l_uint8 *data = NULL;
	size_t n = 0;
	int format = pixGetDepth(pix) == 1 ? IFF_TIFF_G4 : IFF_TIFF_ZIP;

	*bytes = NULL;
	*len = 0;
	/* Leptonica writes the resolution the Pix holds (XResolution,
	 * YResolution, ResolutionUnit inch). */
	if (pixWriteMemTiff(&data, &n, pix, format) != 0 || data == NULL || n == 0) {
		lept_free(data);
		return kt_error_set(err, KT_FATAL, "cannot encode the page as TIFF (%s)",
				    format == IFF_TIFF_G4 ? "G4" : "Deflate");
	}
	*bytes = malloc(n);
	if (*bytes == NULL) {
		lept_free(data);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	memcpy(*bytes, data, n);
	*len = n;
	lept_free(data);
	return KT_OK;
}
