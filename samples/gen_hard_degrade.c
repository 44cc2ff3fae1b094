/*
 * gen_hard_degrade.c - the degradations of the hard set, on Leptonica PIXes:
 * skew, speckle, blur, downscaling, yellowed paper, the shadow of a book
 * fold, ink masks laid on a page (a stamp, a signature, handwriting), a
 * faint carbon copy, black scanner borders, punched holes and a staple, the
 * background pattern of a security document. Each returns a new PIX and
 * leaves its input alone, except hd_ink and hd_ink_grey, which ink in
 * place. Noise comes from the caller's splitmix64 stream.
 */
#include "gen_hard_private.h"

#include <math.h>

#include <glib.h>

static PIX *check(PIX *pix, const char *what)
{
    if (!pix)
        die("%s failed", what);
    return pix;
}

PIX *hd_skew(PIX *pixs, double deg, int black)
{
    /* truth: + = counter-clockwise; pixRotate turns clockwise for + */
    return check(pixRotate(pixs, (float)(-deg * G_PI / 180.0), L_ROTATE_AREA_MAP,
                           black ? L_BRING_IN_BLACK : L_BRING_IN_WHITE, 0, 0),
                 "pixRotate");
}

PIX *hd_blur(PIX *pixs, int half)
{
    return check(pixBlockconv(pixs, half, half), "pixBlockconv");
}

PIX *hd_scale(PIX *pixs, double f)
{
    return check(pixScaleAreaMap(pixs, (float)f, (float)f), "pixScaleAreaMap");
}

/* Darkens an 8 bpp disc of radius r at (cx, cy) to at most v. */
static void disc(PIX *pix, int cx, int cy, int r, int v)
{
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix), wpl = pixGetWpl(pix);
    l_uint32 *data = pixGetData(pix);
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++) {
            int x = cx + dx, y = cy + dy;
            if (x < 0 || y < 0 || x >= w || y >= h || dx * dx + dy * dy > r * r + r)
                continue;
            l_uint32 *ln = data + (size_t)y * wpl;
            if ((int)GET_DATA_BYTE(ln, x) > v)
                SET_DATA_BYTE(ln, x, v);
        }
}

PIX *hd_speckle(PIX *pixs, Rng *rng, int count, int rmax)
{
    PIX *pix = check(pixCopy(NULL, pixs), "pixCopy");
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
    for (int i = 0; i < count; i++) {
        int x = rng_range(rng, 0, w - 1);
        int y = rng_range(rng, 0, h - 1);
        int r = rng_range(rng, 0, rmax);
        int grey = rng_range(rng, 30, 140);
        disc(pix, x, y, r, grey);
    }
    return pix;
}

/* A smooth random field (values lo..hi) of w x h: a coarse grid of random
 * values scaled up with linear interpolation (Leptonica). */
static PIX *blotches(Rng *rng, int w, int h, int cell, int lo, int hi)
{
    int gw = w / cell + 2, gh = h / cell + 2;
    PIX *g = check(pixCreate(gw, gh, 8), "pixCreate");
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++)
            pixSetPixel(g, x, y, (l_uint32)rng_range(rng, lo, hi));
    PIX *big = check(pixScaleGrayLI(g, (float)cell, (float)cell), "pixScaleGrayLI");
    pixDestroy(&g);
    BOX *box = boxCreate(0, 0, w, h);
    PIX *out = check(pixClipRectangle(big, box, NULL), "pixClipRectangle");
    boxDestroy(&box);
    pixDestroy(&big);
    return out;
}

PIX *hd_yellow_paper(PIX *pixs, Rng *rng)
{
    int w = (int)pixGetWidth(pixs), h = (int)pixGetHeight(pixs);
    PIX *field = blotches(rng, w, h, 160, 226, 255);
    PIX *out = check(pixCreate(w, h, 32), "pixCreate");
    pixCopyResolution(out, pixs);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            l_uint32 v, f;
            pixGetPixel(pixs, x, y, &v);
            pixGetPixel(field, x, y, &f);
            double k = v / 255.0 * f / 255.0;
            int r = (int)(246 * k + (1 - v / 255.0) * 18), g = (int)(234 * k + (1 - v / 255.0) * 14),
                b = (int)(196 * k + (1 - v / 255.0) * 10);
            pixSetRGBPixel(out, x, y, r, g, b);
        }
    pixDestroy(&field);
    return out;
}

PIX *hd_fold_shadow(PIX *pixs, int width, double depth)
{
    PIX *pix = check(pixConvertTo32(pixs), "pixConvertTo32");
    pixCopyResolution(pix, pixs);
    int h = (int)pixGetHeight(pix);
    for (int x = 0; x < width; x++) {
        double t = 1.0 - (double)x / width, k = 1.0 - depth * pow(t, 1.6);
        for (int y = 0; y < h; y++) {
            l_int32 r, g, b;
            pixGetRGBPixel(pix, x, y, &r, &g, &b);
            pixSetRGBPixel(pix, x, y, (int)(r * k), (int)(g * k * 0.98), (int)(b * k * 0.93));
        }
    }
    return pix;
}

void hd_ink(PIX *pixd, PIX *mask, int x0, int y0, int r, int g, int b, double strength)
{
    int mw = (int)pixGetWidth(mask), mh = (int)pixGetHeight(mask);
    int w = (int)pixGetWidth(pixd), h = (int)pixGetHeight(pixd);
    const int ink[3] = {r, g, b};
    for (int y = 0; y < mh; y++)
        for (int x = 0; x < mw; x++) {
            l_uint32 a;
            pixGetPixel(mask, x, y, &a);
            if (!a || x0 + x < 0 || y0 + y < 0 || x0 + x >= w || y0 + y >= h)
                continue;
            double al = strength * a / 255.0;
            l_int32 c[3];
            pixGetRGBPixel(pixd, x0 + x, y0 + y, &c[0], &c[1], &c[2]);
            for (int k = 0; k < 3; k++)
                c[k] = (int)(c[k] * (1 - al * (1 - ink[k] / 255.0)));
            pixSetRGBPixel(pixd, x0 + x, y0 + y, c[0], c[1], c[2]);
        }
}

void hd_ink_grey(PIX *pixd, PIX *mask, int x0, int y0, int dark)
{
    int mw = (int)pixGetWidth(mask), mh = (int)pixGetHeight(mask);
    int w = (int)pixGetWidth(pixd), h = (int)pixGetHeight(pixd);
    for (int y = 0; y < mh; y++)
        for (int x = 0; x < mw; x++) {
            l_uint32 a, v;
            pixGetPixel(mask, x, y, &a);
            if (!a || x0 + x < 0 || y0 + y < 0 || x0 + x >= w || y0 + y >= h)
                continue;
            pixGetPixel(pixd, x0 + x, y0 + y, &v);
            l_uint32 ink = (l_uint32)(255 - a / 255.0 * (255 - dark));
            if (ink < v)
                pixSetPixel(pixd, x0 + x, y0 + y, ink);
        }
}

PIX *hd_carbon(PIX *pixs, Rng *rng, int ink)
{
    int w = (int)pixGetWidth(pixs), h = (int)pixGetHeight(pixs);
    /* a faint ghost of the strike 3 px right and 2 down (the carbon slid) */
    PIX *ghost = check(pixCreate(w, h, 8), "pixCreate");
    pixSetAll(ghost);
    pixRasterop(ghost, 3, 2, w - 3, h - 2, PIX_SRC, pixs, 0, 0);
    pixMultConstantGray(ghost, 0.35f);
    pixAddConstantGray(ghost, 166);
    PIX *both = check(pixMinOrMax(NULL, pixs, ghost, L_CHOOSE_MIN), "pixMinOrMax");
    pixDestroy(&ghost);
    PIX *soft = hd_blur(both, 3);
    pixDestroy(&both);
    /* lighten the strokes to about `ink` on paper of about 225 */
    pixMultConstantGray(soft, (float)((232 - ink) / 255.0));
    pixAddConstantGray(soft, ink);
    PIX *field = blotches(rng, w, h, 220, 212, 248);
    PIX *out = check(pixCreate(w, h, 8), "pixCreate");
    pixCopyResolution(out, pixs);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            l_uint32 v, f;
            pixGetPixel(soft, x, y, &v);
            pixGetPixel(field, x, y, &f);
            int o = (int)(v * f / 255.0) + rng_range(rng, -3, 3);
            pixSetPixel(out, x, y, (l_uint32)(o < 0 ? 0 : o > 255 ? 255 : o));
        }
    pixDestroy(&soft);
    pixDestroy(&field);
    return out;
}

/* The bounding box of pixels darker than 128: *x0, *y0, *x1, *y1. */
static void ink_box(PIX *pix, int *x0, int *y0, int *x1, int *y1)
{
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
    *x0 = w, *y0 = h, *x1 = -1, *y1 = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            l_uint32 v;
            pixGetPixel(pix, x, y, &v);
            if (v < 128) {
                if (x < *x0) *x0 = x;
                if (x > *x1) *x1 = x;
                if (y < *y0) *y0 = y;
                if (y > *y1) *y1 = y;
            }
        }
}

PIX *hd_black_border(PIX *pixs, PIX *ref, Rng *rng)
{
    int w = (int)pixGetWidth(pixs), h = (int)pixGetHeight(pixs), bx0, by0, bx1, by1;
    ink_box(ref, &bx0, &by0, &bx1, &by1);
    PIX *pix = check(pixCopy(NULL, pixs), "pixCopy");
    double ph1 = rng_range(rng, 0, 628) / 100.0, ph2 = rng_range(rng, 0, 628) / 100.0;
    for (int y = 0; y < h; y++) { /* left: 70..150 px, wavy */
        int lw = (int)(110 + 30 * sin(y / 640.0 + ph1) + 10 * sin(y / 97.0));
        if (lw >= bx0 - 15)
            die("black border would cover the text (left)");
        for (int x = 0; x < lw; x++)
            pixSetPixel(pix, x, y, (l_uint32)(8 + (x * 7) % 11));
    }
    for (int x = 0; x < w; x++) { /* bottom: 60..140 px; top: 20..50 px */
        int bh = (int)(100 + 30 * sin(x / 520.0 + ph2) + 10 * sin(x / 73.0));
        int th = (int)(35 + 12 * sin(x / 410.0 + ph1));
        if (h - bh <= by1 + 15 || th >= by0 - 15)
            die("black border would cover the text (top or bottom)");
        for (int y = h - bh; y < h; y++)
            pixSetPixel(pix, x, y, (l_uint32)(6 + (y * 5) % 13));
        for (int y = 0; y < th; y++)
            pixSetPixel(pix, x, y, 10);
    }
    return pix;
}

PIX *hd_holes_staple(PIX *pixs)
{
    PIX *pix = check(pixCopy(NULL, pixs), "pixCopy");
    int h = (int)pixGetHeight(pix);
    /* holes of 6 mm (71 px), 12 mm from the edge, 80 mm apart; the dark lid
     * shows through, with a grey rim where the edge of the paper shades */
    for (int k = -1; k <= 1; k += 2) {
        int cx = 142, cy = h / 2 + k * 472;
        for (int r = 44; r >= 36; r--)
            disc(pix, cx + 2, cy + 2, r, 150 + (r - 36) * 12);
        disc(pix, cx, cy, 35, 28);
    }
    /* a staple at 45 degrees in the corner: shadow, then metal */
    for (int t = 0; t < 160; t++) { /* soft shadow below the staple */
        int x = 134 + t * 120 / 160, y = 254 - t * 120 / 160;
        disc(pix, x + 6, y + 6, 7, 175);
    }
    for (int t = 0; t <= 120; t++) { /* the metal: dark with a light ridge */
        int x = 130 + t, y = 250 - t;
        disc(pix, x, y, 5, 70);
        disc(pix, x - 1, y - 1, 1, 150);
    }
    disc(pix, 130, 250, 6, 60); /* the bent legs */
    disc(pix, 250, 130, 6, 60);
    return pix;
}

PIX *hd_guilloche(PIX *pixs, int bx, int by, int bw, int bh, int grey)
{
    PIX *pix = check(pixCopy(NULL, pixs), "pixCopy");
    for (int y = by; y < by + bh; y++)
        for (int x = bx; x < bx + bw; x++) {
            double u = x - bx, v = y - by;
            double a = pow(0.5 + 0.5 * sin(0.05 * u + 3.5 * sin(0.012 * v)), 14);
            double b = pow(0.5 + 0.5 * sin(0.043 * v + 3.0 * sin(0.010 * u)), 14);
            double t = a + b > 1 ? 1 : a + b;
            l_uint32 old, bg = (l_uint32)(250 - t * (250 - grey));
            pixGetPixel(pix, x, y, &old);
            if (bg < old)
                pixSetPixel(pix, x, y, bg);
        }
    return pix;
}
