/*
 * kt_ocr.h - page images in, upright clean pages and their text out.
 *
 * Two handles:
 *   kt_source  one input file decoded page by page (Leptonica, libtiff):
 *              format recognised by content, never by the file name.
 *   kt_ocr     one worker's engines (Tesseract: orientation and script
 *              detection, a Latin model set and a Cyrillic one), created once
 *              per worker and reused for every page it is given.
 *
 * A page goes through a table of page stages (see page.c): grey -> orient ->
 * deskew -> blank -> recognize. Each stage makes a new image from the last one
 * and never changes its input. A worker needs nothing but a page and an engine:
 * no catalog, no index, no global state.
 */
#ifndef KT_OCR_H
#define KT_OCR_H

#include <stddef.h>

#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct Pix;

/* ---------------------------------------------------------------- source */

typedef struct kt_source kt_source;

/* Largest page accepted, in pixels (width x height): an A3 page at 600 dpi is
 * about 70 Mpx. Larger pages are refused with KT_FAILED before decoding. */
#define KT_OCR_DEFAULT_MAX_PIXELS (100L * 1000 * 1000)

/*
 * kt_source_open: recognise and open an image file held in memory.
 *   data, len   the file's bytes; borrowed, must outlive the source
 *   name        the file's name, for messages only
 *   max_pixels  page size cap (0 = KT_OCR_DEFAULT_MAX_PIXELS)
 *   out         receives the source; caller frees with kt_source_free
 *   err         receives the message on failure
 * Returns KT_OK, or KT_FAILED when the bytes are not a readable TIFF, PNG or
 * JPEG image (message names the file and the reason).
 */
int kt_source_open(const void *data, size_t len, const char *name,
		   long max_pixels, kt_source **out, kt_error *err);

/* kt_source_format: "tiff", "png" or "jpeg"; static string. */
const char *kt_source_format(const kt_source *s);

/* kt_source_pages: number of pages (1 for PNG and JPEG). */
int kt_source_pages(const kt_source *s);

/*
 * kt_source_page: decode page i (0-based).
 *   pix  receives a new Pix; caller frees with pixDestroy
 *   dpi  receives the resolution recorded in the file, or 0 when none is
 * Returns KT_OK or KT_FAILED (message in err names the file and page).
 */
int kt_source_page(kt_source *s, int i, struct Pix **pix, int *dpi, kt_error *err);

/* kt_source_free: free the source and set *s to NULL; NULL is a no-op. */
void kt_source_free(kt_source **s);

/* ---------------------------------------------------------------- engine */

typedef struct kt_ocr kt_ocr;

/* kt_ocr_new: an engine set with nothing loaded yet; NULL when out of memory.
 * Caller frees with kt_ocr_free. */
kt_ocr *kt_ocr_new(void);

/*
 * kt_ocr_init: load the Tesseract models (osd, lav+lit+eng, rus+eng).
 *   tessdata  the tessdata folder, or NULL for Tesseract's default
 * Returns KT_OK or KT_FATAL (no engine: the batch cannot go on).
 */
int kt_ocr_init(kt_ocr *o, const char *tessdata);

/* kt_ocr_errmsg: the last error message; borrowed until the next call. */
const char *kt_ocr_errmsg(const kt_ocr *o);

/* kt_ocr_version: the Tesseract version string; static. */
const char *kt_ocr_version(void);

/* kt_ocr_free: release every engine and set *o to NULL; NULL is a no-op. */
void kt_ocr_free(kt_ocr **o);

/* What one page became. Value struct: kt_page_result_init / _release. */
typedef struct kt_page_result {
	int rotation;       /* clockwise turn (0/90/180/270) that made the page upright */
	float orient_conf;  /* OSD orientation confidence; 0 when OSD had too little text */
	float skew;         /* angle of the text lines in the scan, degrees, counter-clockwise positive */
	int blank;          /* 1 when the page holds no content (no OCR was run) */
	char script[16];    /* "Latin", "Cyrillic" or "" */
	char lang[8];       /* main language: lav, lit, rus, eng, or "" when blank */
	int confidence;     /* mean word confidence 0-100; 0 when blank */
	int width, height;  /* pixels of the upright page */
	int dpi;            /* resolution used for recognition */
	char *text;         /* UTF-8, with line breaks; "" when blank; owned, freed by _release */
} kt_page_result;

void kt_page_result_init(kt_page_result *r);
void kt_page_result_release(kt_page_result *r);

/*
 * kt_ocr_page: clean up and recognise one page.
 *   pix   the decoded page; borrowed and not changed
 *   dpi   its resolution, 0 when unknown (300 is assumed)
 *   out   filled in; caller releases with kt_page_result_release
 *   clean when not NULL, receives the upright, deskewed grey page (new Pix,
 *         caller frees with pixDestroy)
 * Returns KT_OK, or KT_FAILED for this page (message on the engine).
 */
int kt_ocr_page(kt_ocr *o, struct Pix *pix, int dpi, kt_page_result *out,
		struct Pix **clean);

#ifdef __cplusplus
}
#endif

#endif
