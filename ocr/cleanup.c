/*
 * cleanup.c - image clean-up with Leptonica: grey conversion, binarisation,
 * skew measure and correction, blank page test. Every function returns a new
 * image and leaves its input as it was.
 */
#include "cleanup_private.h"

#include <leptonica/allheaders.h>
#include <math.h>

/* How much colour makes a colour page (kt_clean_colour). */
#define KT_COLOUR_DIFF 40
#define KT_COLOUR_AREA 0.0005f

struct Pix *kt_clean_grey(struct Pix *pix)
{
	PIX *p1, *p2;

	if (pixGetColormap(pix) != NULL) {
		p1 = pixRemoveColormap(pix, REMOVE_CMAP_TO_GRAYSCALE);
		p2 = p1 ? pixConvertTo8(p1, 0) : NULL;
		pixDestroy(&p1);
		return p2;
	}
	switch (pixGetDepth(pix)) {
	case 8:
		return pixCopy(NULL, pix);
	case 16:
		return pixConvert16To8(pix, L_MS_BYTE);
	case 32:
		return pixConvertRGBToLuminance(pix);
	default:
		return pixConvertTo8(pix, 0);
	}
}

struct Pix *kt_clean_colour(struct Pix *pix)
{
	PIX *rgb = NULL, *flat = NULL;
	l_float32 inrange = 0, coloured = 0;

	if (pixGetColormap(pix) != NULL)
		rgb = pixRemoveColormap(pix, REMOVE_CMAP_TO_FULL_COLOR);
	else if (pixGetDepth(pix) == 32)
		rgb = pixClone(pix);
	if (rgb == NULL || pixGetDepth(rgb) != 32) {
		pixDestroy(&rgb);
		return NULL;
	}
	/* an alpha channel (RGBA PNG) is laid over white paper */
	if (pixGetSpp(rgb) == 4) {
		flat = pixRemoveAlpha(rgb);
		pixDestroy(&rgb);
		if (flat == NULL)
			return NULL;
		rgb = flat;
	}
	/* Real colour: pixels neither near white nor near black whose channels
	 * differ by KT_COLOUR_DIFF or more (a tinted grey scan or JPEG's chroma
	 * noise stays below), on KT_COLOUR_AREA of the page or more (a stamp or
	 * a signature in blue ink is more; scanner fringes on black text less). */
	if (pixColorFraction(rgb, 20, 244, KT_COLOUR_DIFF, 2, &inrange, &coloured) != 0 ||
	    inrange * coloured < KT_COLOUR_AREA) {
		pixDestroy(&rgb);
		return NULL;
	}
	flat = pixCopy(NULL, rgb);
	pixDestroy(&rgb);
	if (flat != NULL)
		pixSetSpp(flat, 3);
	return flat;
}

struct Pix *kt_clean_binary(struct Pix *grey)
{
	PIX *bin = NULL;
	l_int32 w = pixGetWidth(grey), h = pixGetHeight(grey);
	/* Tiles of about 1/4 page: adapts to uneven backgrounds, yet each tile
	 * holds enough text for Otsu to find two classes. */
	l_int32 sx = w / 4 > 16 ? w / 4 : 16, sy = h / 4 > 16 ? h / 4 : 16;

	if (pixOtsuAdaptiveThreshold(grey, sx, sy, 0, 0, 0.1f, NULL, &bin) != 0 || bin == NULL)
		bin = pixConvertTo1(grey, 160);
	return bin;
}

float kt_clean_find_skew(struct Pix *binary)
{
	l_float32 angle = 0, conf = 0;

	/* Leptonica returns the clockwise turn that levels the lines: lines that
	 * rise counter-clockwise need exactly that turn, so the two agree. */
	if (pixFindSkewSweepAndSearch(binary, &angle, &conf, 4, 2, 12.0f, 1.0f, 0.01f) != 0)
		return 0.0f;
	if (conf < 3.0f || fabsf(angle) < 0.05f)
		return 0.0f;
	return angle;
}

struct Pix *kt_clean_deskew(struct Pix *grey, float skew)
{
	if (skew == 0.0f)
		return pixClone(grey);
	return pixRotate(grey, (l_float32)(skew * M_PI / 180.0), L_ROTATE_AREA_MAP,
			 L_BRING_IN_WHITE, 0, 0);
}

int kt_clean_is_blank(struct Pix *binary, int dpi)
{
	l_int32 w = pixGetWidth(binary), h = pixGetHeight(binary), count = 0;
	l_int32 mx = w * 4 / 100, my = h * 4 / 100, dust = dpi / 40;
	BOX *inner;
	PIX *p1, *p2;
	double frac;

	/* Scanner edges and shadows sit in the outer margin: leave it out. */
	inner = boxCreate(mx, my, w - 2 * mx, h - 2 * my);
	p1 = pixClipRectangle(binary, inner, NULL);
	boxDestroy(&inner);
	if (p1 == NULL)
		return 0;
	/* Dust: specks smaller than about 0.6 mm each way. A stamp, a signature
	 * or a single word is far larger. */
	if (dust < 3)
		dust = 3;
	p2 = pixSelectBySize(p1, dust, dust, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	pixDestroy(&p1);
	if (p2 == NULL)
		return 0;
	pixCountPixels(p2, &count, NULL);
	frac = (double)count / ((double)pixGetWidth(p2) * pixGetHeight(p2));
	pixDestroy(&p2);
	return frac < 0.0002;
}

struct Pix *kt_clean_despeckle(struct Pix *grey, int dpi)
{
	/* A speck is a small blot (under ~0.6 mm each way) with no larger ink
	 * within ~2 mm. Diacritics (ā ē ī ū č š ž ė ę ų ё й), i's dots, full
	 * stops and commas sit right by their letters and are kept whole. */
	l_int32 small = dpi / 40 > 3 ? dpi / 40 : 3, reach = dpi / 12 > 4 ? dpi / 12 : 4;
	l_int32 n = 0;
	PIX *bin, *dots = NULL, *ink = NULL, *near = NULL, *seed = NULL, *kept = NULL;
	PIX *specks = NULL, *mask = NULL, *out = NULL;

	bin = kt_clean_binary(grey);
	if (bin == NULL)
		return NULL;
	dots = pixSelectBySize(bin, small, small, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LT, NULL);
	if (dots != NULL)
		ink = pixSubtract(NULL, bin, dots);
	if (ink != NULL)
		near = pixDilateBrick(NULL, ink, 2 * reach + 1, 2 * reach + 1);
	if (near != NULL)
		seed = pixAnd(NULL, near, dots);
	if (seed != NULL)
		kept = pixSeedfillBinary(NULL, seed, dots, 8);
	if (kept != NULL)
		specks = pixSubtract(NULL, dots, kept);
	if (specks != NULL && pixCountPixels(specks, &n, NULL) == 0) {
		if (n == 0) {
			out = pixClone(grey);
		} else if ((mask = pixDilateBrick(NULL, specks, 3, 3)) != NULL &&
			   (out = pixCopy(NULL, grey)) != NULL) {
			/* the blot and its anti-aliased rim become paper */
			pixSetMasked(out, mask, 255);
		}
	}
	pixDestroy(&bin);
	pixDestroy(&dots);
	pixDestroy(&ink);
	pixDestroy(&near);
	pixDestroy(&seed);
	pixDestroy(&kept);
	pixDestroy(&specks);
	pixDestroy(&mask);
	return out;
}

void kt_clean_levels(struct Pix *grey, int *paper, int *ink)
{
	NUMA *hist = pixGetGrayHistogram(grey, 2);
	l_float32 ave1 = 0, ave2 = 255, n1 = 0, n2 = 0;
	l_int32 split = 0;

	*paper = 255;
	*ink = -1;
	if (hist == NULL)
		return;
	if (numaSplitDistribution(hist, 0.0f, &split, &ave1, &ave2, &n1, &n2, NULL) == 0) {
		/* the larger class is the paper (a page is mostly background) */
		int dark_paper = n1 > n2;
		float paper_n = dark_paper ? n1 : n2, ink_n = dark_paper ? n2 : n1;

		*paper = (int)((dark_paper ? ave1 : ave2) + 0.5f);
		/* ink on less than 0.05% of the page: none to measure */
		if (ink_n >= 0.0005f * (paper_n + ink_n))
			*ink = (int)((dark_paper ? ave2 : ave1) + 0.5f);
	}
	numaDestroy(&hist);
}

struct Pix *kt_clean_normalize(struct Pix *grey)
{
	PIX *norm = pixBackgroundNormSimple(grey, NULL, NULL);
	int paper, ink;

	if (norm == NULL)
		return pixClone(grey);
	kt_clean_levels(norm, &paper, &ink);
	/* the text's mean level to black, the background's to white */
	if (ink >= 0 && paper > ink + 10)
		pixGammaTRC(norm, norm, 1.0f, ink, paper);
	return norm;
}

int kt_clean_background_spread(struct Pix *grey)
{
	NUMAA *tiles = pixGetGrayHistogramTiled(grey, 2, 6, 8);
	l_float32 lo = 255, hi = 0;
	l_int32 i, n = tiles ? numaaGetCount(tiles) : 0;

	for (i = 0; i < n; i++) {
		NUMA *hist = numaaGetNuma(tiles, i, L_CLONE);
		l_float32 v;

		/* a tile's paper: the level 90% of it is darker than (text, a
		 * border or a stamp cover less than that of a tile) */
		if (hist != NULL && numaHistogramGetValFromRank(hist, 0.9f, &v) == 0) {
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		numaDestroy(&hist);
	}
	numaaDestroy(&tiles);
	return hi > lo ? (int)(hi - lo + 0.5f) : 0;
}
