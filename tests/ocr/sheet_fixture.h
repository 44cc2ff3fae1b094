/*
 * sheet_fixture.h - separator sheets for the tests (issue 9): an A4 page with
 * a Code 39 bar code drawn by the test, bar by bar, so that what zbar must
 * read is known exactly.
 */
#ifndef KT_SHEET_FIXTURE_H
#define KT_SHEET_FIXTURE_H

struct Pix;

/*
 * sheet_fixture_page: a white 8-bit A4 page at dpi with text (digits, upper
 * case letters, '-', '.', ' ') as a Code 39 bar code across its middle
 * (narrow bar 0.5 mm, wide 1.25 mm, 20 mm high); with caption, a line of
 * dark blocks above it where a printed caption would stand. NULL when text
 * holds a character Code 39 has no pattern for. Caller frees (pixDestroy).
 */
struct Pix *sheet_fixture_page(const char *text, int dpi, int caption);

/*
 * sheet_fixture_draw: draw text as a Code 39 bar code on pix (8 bpp) with
 * its top left corner at x, y, the narrow bar nw pixels wide and h high.
 * Returns the width drawn, or -1 for a character Code 39 has no pattern for.
 */
int sheet_fixture_draw(struct Pix *pix, const char *text, int x, int y, int nw, int h);

#endif
