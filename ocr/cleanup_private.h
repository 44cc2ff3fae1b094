/* cleanup_private.h - Leptonica image clean-up steps used by the page stages. */
#ifndef KT_CLEANUP_PRIVATE_H
#define KT_CLEANUP_PRIVATE_H

struct Pix;

/* 8-bit grey copy of any page (1, 8, 16 bpp, colour-mapped or RGB); new Pix. */
struct Pix *kt_clean_grey(struct Pix *pix);
/* A 32 bpp RGB copy of a page with real colour (issue 18: its master and
 * access copy keep it), or NULL when the page is grey: every pixel grey, or
 * channels apart by less than 40 levels (a tinted or JPEG-noisy grey scan),
 * or colour on less than 0.05% of the page. Colour-mapped and RGBA pages are
 * made RGB (alpha over white). New Pix; the caller frees it. */
struct Pix *kt_clean_colour(struct Pix *pix);
/* 1-bit copy with foreground = 1, by adaptive (Otsu tiles) thresholding; new Pix. */
struct Pix *kt_clean_binary(struct Pix *grey);
/* Skew of the text lines in degrees, counter-clockwise positive; 0 when no
 * confident measure. */
float kt_clean_find_skew(struct Pix *binary);
/* Grey page rotated by -skew (so its lines are level), white filled; new Pix. */
struct Pix *kt_clean_deskew(struct Pix *grey, float skew);
/* Grey page with isolated specks (scanner dust, noise) painted white; diacritics,
 * dots and full stops next to letters are kept. New Pix (a clone when clean). */
struct Pix *kt_clean_despeckle(struct Pix *grey, int dpi);
/* 1 when the binary page holds no content beyond dust and scanner edges. */
int kt_clean_is_blank(struct Pix *binary, int dpi);
/* The grey levels of a page as scanned: *paper the mean of its background,
 * *ink the mean of its dark class (Otsu's split of the histogram, the larger
 * class being the background), -1 when less than 0.05% of the page is dark. */
void kt_clean_levels(struct Pix *grey, int *paper, int *ink);
/* How uneven the page's background is: the grey levels between the darkest
 * and the brightest paper of its 6 x 8 tiles (a tile's paper: the level 90%
 * of it lies below). 0 on an even page; a book fold's shadow or a stain make
 * tens. */
int kt_clean_background_spread(struct Pix *grey);

/* A page evened out for Tesseract: the background made even (Leptonica's
 * pixBackgroundNormSimple: shadows, yellowed paper) and the levels stretched
 * so that the text's mean is black and the background white (a faint carbon
 * copy). 8-bit grey in, new Pix out (a clone of grey when it cannot). */
struct Pix *kt_clean_normalize(struct Pix *grey);

#endif
