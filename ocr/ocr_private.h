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

/* Language of recognised text, from its letters (lang.c): writes "lav",
 * "lit", "rus", "eng" or "" into lang[8]. */
void kt_lang_guess(const char *text, char lang[8]);

#endif
