/*
 * sheet_fixture.c - separator sheets for the tests (sheet_fixture.h): Code 39
 * drawn from its table of bar and space widths.
 */
#include "sheet_fixture.h"

#include <leptonica/allheaders.h>
#include <string.h>

/* Code 39: each character is five bars and four spaces, bar first; 'w' a
 * wide element, 'n' a narrow one; '*' starts and ends every code. */
static const struct {
	char c;
	const char *p;
} code39[] = {
	{ '0', "nnnwwnwnn" }, { '1', "wnnwnnnnw" }, { '2', "nnwwnnnnw" }, { '3', "wnwwnnnnn" },
	{ '4', "nnnwwnnnw" }, { '5', "wnnwwnnnn" }, { '6', "nnwwwnnnn" }, { '7', "nnnwnnwnw" },
	{ '8', "wnnwnnwnn" }, { '9', "nnwwnnwnn" }, { 'A', "wnnnnwnnw" }, { 'B', "nnwnnwnnw" },
	{ 'C', "wnwnnwnnn" }, { 'D', "nnnnwwnnw" }, { 'E', "wnnnwwnnn" }, { 'F', "nnwnwwnnn" },
	{ 'G', "nnnnnwwnw" }, { 'H', "wnnnnwwnn" }, { 'I', "nnwnnwwnn" }, { 'J', "nnnnwwwnn" },
	{ 'K', "wnnnnnnww" }, { 'L', "nnwnnnnww" }, { 'M', "wnwnnnnwn" }, { 'N', "nnnnwnnww" },
	{ 'O', "wnnnwnnwn" }, { 'P', "nnwnwnnwn" }, { 'Q', "nnnnnnwww" }, { 'R', "wnnnnnwwn" },
	{ 'S', "nnwnnnwwn" }, { 'T', "nnnnwnwwn" }, { 'U', "wwnnnnnnw" }, { 'V', "nwwnnnnnw" },
	{ 'W', "wwwnnnnnn" }, { 'X', "nwnnwnnnw" }, { 'Y', "wwnnwnnnn" }, { 'Z', "nwwnwnnnn" },
	{ '-', "nwnnnnwnw" }, { '.', "wwnnnnwnn" }, { ' ', "nwwnnnwnn" }, { '*', "nwnnwnwnn" },
};

static const char *pattern(char c)
{
	size_t i;

	for (i = 0; i < sizeof code39 / sizeof code39[0]; i++)
		if (code39[i].c == c)
			return code39[i].p;
	return NULL;
}

/* One character at x; returns the x after it (and its gap). */
static int draw_char(PIX *pix, const char *p, int x, int y, int nw, int h)
{
	int k;

	for (k = 0; k < 9; k++) {
		int w = p[k] == 'w' ? nw * 5 / 2 : nw;

		if (k % 2 == 0)
			pixRasterop(pix, x, y, w, h, PIX_SET, NULL, 0, 0);
		x += w;
	}
	return x + nw; /* the gap between characters: one narrow space */
}

int sheet_fixture_draw(struct Pix *pix, const char *text, int x, int y, int nw, int h)
{
	int x0 = x;
	size_t i;
	PIX *mask;

	for (i = 0; text[i]; i++)
		if (pattern(text[i]) == NULL || text[i] == '*')
			return -1;
	/* Bars are drawn on a 1 bpp mask, then painted black on the page. */
	mask = pixCreate(pixGetWidth(pix), pixGetHeight(pix), 1);
	if (mask == NULL)
		return -1;
	x = draw_char(mask, pattern('*'), x, y, nw, h);
	for (i = 0; text[i]; i++)
		x = draw_char(mask, pattern(text[i]), x, y, nw, h);
	x = draw_char(mask, pattern('*'), x, y, nw, h);
	pixPaintThroughMask(pix, mask, 0, 0, 0);
	pixDestroy(&mask);
	return x - x0;
}

struct Pix *sheet_fixture_page(const char *text, int dpi, int caption)
{
	int w = dpi * 210 * 10 / 254, h = dpi * 297 * 10 / 254;
	int nw = dpi * 5 / 254 > 1 ? dpi * 5 / 254 : 1, bh = dpi * 200 / 254, drawn;
	PIX *pix = pixCreate(w, h, 8);
	PIX *probe;

	if (pix == NULL)
		return NULL;
	pixSetAllArbitrary(pix, 255);
	pixSetResolution(pix, dpi, dpi);
	/* how wide the code comes out, to centre it */
	probe = pixCreate(w * 4, 8, 8);
	drawn = probe ? sheet_fixture_draw(probe, text, 0, 0, nw, 4) : -1;
	pixDestroy(&probe);
	if (drawn < 0 || sheet_fixture_draw(pix, text, (w - drawn) / 2, h / 2, nw, bh) < 0) {
		pixDestroy(&pix);
		return NULL;
	}
	if (caption) {
		/* blocks as large as words in 24 pt print, one line above the code */
		int x, bw = dpi / 2, gap = dpi / 8, ch = dpi / 6;

		for (x = w / 4; x + bw < w * 3 / 4; x += bw + gap) {
			BOX *b = boxCreate(x, h / 2 - dpi, bw, ch);

			pixSetInRectArbitrary(pix, b, 0);
			boxDestroy(&b);
		}
	}
	return pix;
}
