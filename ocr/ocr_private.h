/* ocr_private.h - what the files of ocr/ share and nobody else sees. */
#ifndef KT_OCR_PRIVATE_H
#define KT_OCR_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "kt_ocr.h"

/* One TIFF page's header, read with libtiff before anything is decoded. */
typedef struct kt_tiff_page {
	uint32_t width, height;
} kt_tiff_page;

/*
 * kt_tiff_scan: count the pages of an in-memory TIFF and read each page's
 * size without decoding pixels (tiff.c, the one file using libtiff).
 *   pages  receives a malloc'd array of *n entries; caller frees with free()
 * Returns KT_OK or KT_FAILED with the reason in err.
 */
int kt_tiff_scan(const void *data, size_t len, const char *name,
		 kt_tiff_page **pages, int *n, kt_error *err);

/* ------------------------------------------------ PDF (source_pdf.c, MuPDF) */

/* Most pages of one PDF accepted; more is refused when the file is opened. */
#define KT_PDF_MAX_PAGES 10000
/* Most memory MuPDF may hold for one PDF source, every thread together
 * (its own allocator counts it); a page that needs more fails. */
#define KT_PDF_MAX_MEMORY ((size_t)1 << 30)

/* A PDF held in memory, opened with MuPDF. The page functions may be called
 * from several threads at once. */
typedef struct kt_pdf kt_pdf;

/* kt_is_pdf: 1 when "%PDF-" occurs within the first 1024 bytes (source.c). */
int kt_is_pdf(const void *data, size_t len);

/*
 * kt_pdf_open: open a PDF (data borrowed, must outlive it), with the empty
 * user password when it is encrypted. *out receives it (caller frees with
 * kt_pdf_free), *npages its page count (1 to KT_PDF_MAX_PAGES).
 * Returns KT_OK, KT_FAILED (encrypted with a user password, broken, no
 * pages, too many; the message names the file and the reason) or KT_FATAL
 * (out of memory).
 */
int kt_pdf_open(const void *data, size_t len, const char *name, long max_pixels,
		kt_pdf **out, int *npages, kt_error *err);

/* kt_pdf_page: render page i as kt_source_page does (docs/ocr.md, "PDF
 * input"); *pix is new, caller frees with pixDestroy. */
int kt_pdf_page(kt_pdf *p, int i, struct Pix **pix, int *dpi, kt_error *err);

/* kt_pdf_page_text: the visible text of page i as kt_source_page_text
 * gives it; *text malloc'd (caller frees with free()) or NULL. */
int kt_pdf_page_text(kt_pdf *p, int i, char **text, kt_error *err);

/* kt_pdf_free: close it and set *p to NULL; NULL is a no-op. */
void kt_pdf_free(kt_pdf **p);

/* Language of recognised text, from its letters (lang.c): writes "lav",
 * "lit", "rus", "eng" or "" into lang[8]. */
void kt_lang_guess(const char *text, char lang[8]);

#endif
