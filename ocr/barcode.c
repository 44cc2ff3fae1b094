/*
 * barcode.c - bar codes and QR codes on a page, and the separator sheet rule
 * (kt_ocr.h, "Separator sheets"); the one file that uses zbar (Debian's
 * libzbar-dev).
 *
 * zbar scans the grey page line by line in both directions and decodes what
 * it finds: EAN/UPC, Code 39, Code 93, Code 128, Interleaved 2 of 5,
 * Codabar, DataBar and QR codes. The page is brought to at most
 * KT_BARCODE_DPI first: the codes of a separator sheet are large, and zbar's
 * time grows with the pixels.
 */
#include "kt_ocr.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

/* Resolution at which the page is scanned for codes; a 300 dpi A4 page is
 * brought to about 1650 x 2340 pixels, a module of a printed code (0.25 mm
 * and more) is then 2 pixels or more. */
#define KT_BARCODE_DPI 200

/* A separator sheet is otherwise empty: dark pixels outside the codes' boxes
 * (each grown by a margin of a fifth of its size) and outside a border of 5%
 * of the page on every side (scanner edges, punch holes) cover less than this
 * part of the page. A caption in large print ("SEPARATOR", a batch number)
 * covers well under 1%; a page of text 4% to 10%. */
#define KT_SEPARATOR_MAX_INK 0.015

void kt_barcodes_free(kt_barcode **codes, int n)
{
	int i;

	if (*codes == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*codes)[i].data);
	free(*codes);
	*codes = NULL;
}

/* The bounding box of a symbol's location polygon, in pixels of the scanned
 * image, scaled back by 1/scale. */
static void symbol_box(const zbar_symbol_t *sym, float scale, kt_barcode *b)
{
	unsigned k, n = zbar_symbol_get_loc_size(sym);
	int x0 = 0, y0 = 0, x1 = 0, y1 = 0;

	for (k = 0; k < n; k++) {
		int x = zbar_symbol_get_loc_x(sym, k), y = zbar_symbol_get_loc_y(sym, k);

		if (k == 0 || x < x0)
			x0 = x;
		if (k == 0 || y < y0)
			y0 = y;
		if (k == 0 || x > x1)
			x1 = x;
		if (k == 0 || y > y1)
			y1 = y;
	}
	b->x = (int)(x0 / scale);
	b->y = (int)(y0 / scale);
	b->w = (int)((x1 - x0 + 1) / scale);
	b->h = (int)((y1 - y0 + 1) / scale);
}

/* Append the symbols zbar found on img to *codes; KT_OK or KT_FATAL. */
static int collect(zbar_image_t *img, float scale, kt_barcode **codes, int *n, kt_error *err)
{
	const zbar_symbol_t *sym;

	for (sym = zbar_image_first_symbol(img); sym != NULL; sym = zbar_symbol_next(sym)) {
		const char *data = zbar_symbol_get_data(sym);
		unsigned len = zbar_symbol_get_data_length(sym);
		kt_barcode *grown = realloc(*codes, (size_t)(*n + 1) * sizeof **codes), *b;

		if (grown == NULL)
			return kt_error_set(err, KT_FATAL, "out of memory");
		*codes = grown;
		b = &grown[*n];
		memset(b, 0, sizeof *b);
		b->data = malloc((size_t)len + 1);
		if (b->data == NULL)
			return kt_error_set(err, KT_FATAL, "out of memory");
		memcpy(b->data, data, len);
		b->data[len] = '\0';
		(*n)++;
		strncpy(b->type, zbar_get_symbol_name(zbar_symbol_get_type(sym)), sizeof b->type - 1);
		symbol_box(sym, scale, b);
	}
	return KT_OK;
}

int kt_barcode_find(struct Pix *pix, int dpi, kt_barcode **codes, int *n, kt_error *err)
{
	PIX *grey = NULL, *scaled = NULL;
	zbar_image_scanner_t *scanner = NULL;
	zbar_image_t *img = NULL;
	float scale = 1.0f;
	int rc = KT_OK, w, h, wpl, y;
	unsigned char *raw = NULL;
	l_uint32 *line;

	*codes = NULL;
	*n = 0;
	if (dpi <= 0)
		dpi = 300;
	if (dpi > KT_BARCODE_DPI)
		scale = (float)KT_BARCODE_DPI / (float)dpi;
	grey = pixConvertTo8(pix, 0);
	if (grey != NULL)
		scaled = scale < 1.0f ? pixScale(grey, scale, scale) : pixClone(grey);
	if (scaled != NULL && pixGetDepth(scaled) != 8) {
		PIX *g8 = pixConvertTo8(scaled, 0);

		pixDestroy(&scaled);
		scaled = g8;
	}
	if (scaled == NULL) {
		pixDestroy(&grey);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	w = pixGetWidth(scaled);
	h = pixGetHeight(scaled);
	wpl = pixGetWpl(scaled);
	/* zbar takes packed 8-bit rows ("Y800"); Leptonica's rows are words. */
	raw = malloc((size_t)w * (size_t)h);
	scanner = zbar_image_scanner_create();
	img = zbar_image_create();
	if (raw == NULL || scanner == NULL || img == NULL) {
		rc = kt_error_set(err, KT_FATAL, "out of memory");
		goto done;
	}
	for (y = 0, line = pixGetData(scaled); y < h; y++, line += wpl) {
		int x;

		for (x = 0; x < w; x++)
			raw[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)GET_DATA_BYTE(line, x);
	}
	zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, raw, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(scanner, img) < 0)
		rc = kt_error_set(err, KT_FAILED, "the bar code reader failed on the page");
	else
		rc = collect(img, scale, codes, n, err);
	if (rc != KT_OK)
		kt_barcodes_free(codes, *n), *n = 0;
done:
	if (img != NULL)
		zbar_image_destroy(img);
	if (scanner != NULL)
		zbar_image_scanner_destroy(scanner);
	free(raw);
	pixDestroy(&scaled);
	pixDestroy(&grey);
	return rc;
}

/* The part of the page's inner 90% covered by dark pixels outside the
 * codes' boxes, each grown by a fifth of its size; -1 when out of memory. */
static double ink_outside(struct Pix *pix, const kt_barcode *codes, int n)
{
	PIX *bin = pixConvertTo1(pix, 128);
	l_int32 w, h, dark = 0;
	int i;
	double area;

	if (bin == NULL)
		return -1;
	w = pixGetWidth(bin);
	h = pixGetHeight(bin);
	for (i = 0; i < n; i++) {
		int mx = codes[i].w / 5 + 4, my = codes[i].h / 5 + 4;

		BOX *b = boxCreate(codes[i].x - mx, codes[i].y - my, codes[i].w + 2 * mx,
				   codes[i].h + 2 * my);

		if (b == NULL) {
			pixDestroy(&bin);
			return -1;
		}
		pixClearInRect(bin, b);
		boxDestroy(&b);
	}
	{
		BOX *inner = boxCreate(w / 20, h / 20, w - w / 10, h - h / 10);
		PIX *c = inner ? pixClipRectangle(bin, inner, NULL) : NULL;

		boxDestroy(&inner);
		if (c == NULL || pixCountPixels(c, &dark, NULL) != 0) {
			pixDestroy(&c);
			pixDestroy(&bin);
			return -1;
		}
		area = (double)pixGetWidth(c) * (double)pixGetHeight(c);
		pixDestroy(&c);
	}
	pixDestroy(&bin);
	return area > 0 ? (double)dark / area : 1.0;
}

int kt_separator_sheet(struct Pix *pix, int dpi, kt_barcode **code, kt_error *err)
{
	kt_barcode *codes = NULL;
	int n = 0, rc;
	double ink;

	*code = NULL;
	rc = kt_barcode_find(pix, dpi, &codes, &n, err);
	if (rc == KT_FATAL)
		return -1;
	if (rc != KT_OK) {
		/* a reader that fails on a page finds no sheet there */
		kt_error_clear(err);
		return 0;
	}
	if (n == 0)
		return 0;
	ink = ink_outside(pix, codes, n);
	if (ink < 0) {
		kt_barcodes_free(&codes, n);
		kt_error_set(err, KT_FATAL, "out of memory");
		return -1;
	}
	if (ink >= KT_SEPARATOR_MAX_INK) {
		kt_barcodes_free(&codes, n);
		return 0;
	}
	/* The first code is the sheet's; the others are freed. */
	{
		int i;

		for (i = 1; i < n; i++)
			free(codes[i].data);
		*code = realloc(codes, sizeof *codes);
		if (*code == NULL)
			*code = codes;
	}
	return 1;
}
