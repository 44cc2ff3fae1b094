/*
 * pdf_fixture.h - PDF files made by the tests at run time (no binary blobs):
 * a small hand-written PDF writer (text in Helvetica, grey images with
 * FlateDecode, /Rotate, a correct cross-reference table), shared by the
 * ocr unit tests (test_pdf_source.c) and the end-to-end tests.
 */
#ifndef KT_PDF_FIXTURE_H
#define KT_PDF_FIXTURE_H

#include <stddef.h>

/* One page. Sizes in points (1/72 inch). */
typedef struct pdf_fx_page {
	double width, height;        /* MediaBox [0 0 width height] */
	int rotate;                  /* /Rotate, 0 for none */
	const char *text;            /* ASCII lines ("\n"), blocks apart ("\n\n"); NULL: none */
	int text_mode;               /* Tr: 0 visible, 3 invisible */
	const unsigned char *grey;   /* 8-bit grey samples, img_w x img_h; NULL: none */
	int img_w, img_h;
	double img_dpi;              /* placed at the lower left, img_w / img_dpi inches wide */
} pdf_fx_page;

/* A PDF of n pages (n may be 0); malloc'd, *len its size. Never NULL. */
unsigned char *pdf_fx_make(const pdf_fx_page *pages, int n, size_t *len);

/* A grey test pattern (malloc'd w x h): dark bars on white. */
unsigned char *pdf_fx_pattern(int w, int h);

/* qpdf --encrypt USER owner 256 of in (a file) into out; 0 on success. */
int pdf_fx_encrypt(const char *in, const char *out, const char *user);

#endif
