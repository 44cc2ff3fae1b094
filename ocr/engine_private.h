/* engine_private.h - the engine set behind kt_ocr (page.c, pdf.c, tesseract.c). */
#ifndef KT_ENGINE_PRIVATE_H
#define KT_ENGINE_PRIVATE_H

#include "ocr_private.h"

/* The JPEG quality of the access copy's re-encoded pages, which Tesseract's
 * PDF renderer writes (its variable jpg_quality; Tesseract's default is 85):
 * 60, a little above what ocrmypdf's PDF/A output has after Ghostscript
 * re-encodes a page (about 55), with no visible difference on text from 85;
 * the master keeps the page lossless (docs/ocr.md "Master and access
 * copy"). */
#define KT_TESS_JPEG_QUALITY 60
#define KT_STR_(x) #x
#define KT_STR(x) KT_STR_(x)

struct Pix;

/* Orientation and script of a page, from Tesseract's OSD. */
typedef struct kt_osd {
	int ok;             /* 0 when OSD found too little text to decide */
	int rotate;         /* clockwise turn that makes the page upright */
	float orient_conf;
	char script[16];
	float script_conf;
} kt_osd;

typedef struct kt_tess kt_tess;
typedef struct kt_tess_pdf kt_tess_pdf;

struct kt_ocr {
	kt_tess *osd;       /* "osd" */
	kt_tess *latin;     /* "lav+lit+eng" */
	kt_tess *cyrillic;  /* "rus+eng" */
	kt_tess *lithuanian; /* "lit+eng": second reading of pages found Lithuanian */
	kt_tess *mixed;     /* "lav+rus+eng": second reading of a weak first one,
	                     * for pages in both scripts; loaded at first use */
	char *tessdata;     /* kt_ocr_init's folder (owned; NULL: Tesseract's own) */
	kt_error err;
	/* The engine still holding the last recognised page (for the PDF), the
	 * page it read (identity only, not owned) and that page's serial. */
	unsigned long serial;
	kt_tess *live;
	const struct Pix *live_pix;
	unsigned long live_serial;
	/* The page's master and access image when it is not the recognised
	 * page (a colour page; a page enlarged for OCR, at its own resolution),
	 * turned and deskewed as it, for kt_ocr_page_copies; owned (pixDestroy),
	 * NULL when none. keep_serial: the kt_ocr_page call that made it. */
	struct Pix *keep;
	unsigned long keep_serial;
};

/* tesseract.c: the one file using Tesseract's C API. */
kt_tess *kt_tess_new(const char *tessdata, const char *langs, kt_error *err);
void kt_tess_free(kt_tess **t);
void kt_tess_osd(kt_tess *t, struct Pix *pix, int dpi, kt_osd *out);
/* Recognise: text (malloc'd, caller frees), mean word confidence and, when
 * alto is not NULL, the page's ALTO <Page> element as Tesseract writes it
 * (malloc'd, caller frees). The recognition stays on the engine until its
 * next page. */
int kt_tess_recognize(kt_tess *t, struct Pix *pix, int dpi, char **text, int *conf,
		      char **alto, kt_error *err);
/* Words of the engine's last kt_tess_recognize (a page width x height)
 * whose box comes within margin pixels of the page's edge and that hold two
 * letters or digits or more, read with a confidence of 50 or more: text cut
 * off by the scanner. *words receives how
 * many, *edges which edges (KT_EDGE_* of kt_ocr.h, or-ed). */
void kt_tess_cut_words(kt_tess *t, int width, int height, int margin, int *words, int *edges);
/* Recognise the image as one block of horizontal lines (no vertical text
 * finding): text (malloc'd, caller frees) and mean word confidence. */
int kt_tess_read_block(kt_tess *t, struct Pix *pix, int dpi, char **text, int *conf,
		       kt_error *err);
/* Set a page on the engine with no text recognised (a blank page for the PDF). */
int kt_tess_empty(kt_tess *t, struct Pix *pix, int dpi, kt_error *err);

/* page.c: the upright turn of a grey page (0, 90, 180, 270 clockwise) chosen
 * by recognising the middle of the page each way round with the Latin (or
 * the Cyrillic) set; *best_conf (may be NULL) gets the winner's mean word
 * confidence, -1 when no way round read as text. For pages OSD cannot decide. */
int kt_orient_by_ocr(kt_ocr *o, struct Pix *grey, int dpi, int cyrillic, int *best_conf);

/* Tesseract's PDF renderer writing BASE.pdf: begin, add the page an engine
 * holds, end (closes the file), free. */
kt_tess_pdf *kt_tess_pdf_begin(kt_tess *t, const char *base, const char *title, kt_error *err);
int kt_tess_pdf_add(kt_tess_pdf *p, kt_tess *t, kt_error *err);
int kt_tess_pdf_end(kt_tess_pdf *p, kt_error *err);
void kt_tess_pdf_free(kt_tess_pdf **p);

#endif
