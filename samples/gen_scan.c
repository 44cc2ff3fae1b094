/*
 * gen_scan.c - the scan files of kt_gen_samples: the degradations (Leptonica:
 * speckle, dust and a hair, skew, quarter turns, blur; each returns a new
 * PIX and leaves its input alone) and, per document, the recipe that renders
 * its pages, degrades them and writes PNG, G4 or LZW TIFF, or JPEG. The
 * noise is drawn from a splitmix64 stream seeded from the file name.
 */
#include "gen_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* ------------------------------------------------------------------------ */
/* Degradations (each returns a new PIX; the input is left alone).           */

/* Darkens a filled disc of radius r at (cx, cy) to at most value v. */
static void dot(PIX *pix, int cx, int cy, int r, int v)
{
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int dy = -r; dy <= r; dy++) {
        for (int dx = -r; dx <= r; dx++) {
            int x = cx + dx, y = cy + dy;
            if (x < 0 || y < 0 || x >= w || y >= h || dx * dx + dy * dy > r * r + r)
                continue;
            l_uint32 *ln = data + (size_t)y * wpl;
            if ((int)GET_DATA_BYTE(ln, x) > v)
                SET_DATA_BYTE(ln, x, v);
        }
    }
}

/* Speckle: count small dark dots (radius 0..rmax, grey 15..110), a few of
 * them as clusters of two or three touching dots. */
static PIX *speckle(PIX *pixs, Rng *rng, int count, int rmax)
{
    PIX *pix = pixCopy(NULL, pixs);
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
    for (int i = 0; i < count; i++) {
        int x = rng_range(rng, 0, w - 1), y = rng_range(rng, 0, h - 1);
        int parts = rng_range(rng, 0, 9) == 0 ? rng_range(rng, 2, 3) : 1;
        for (int k = 0; k < parts; k++) {
            /* the draws in a fixed order (arguments have none in C): the
             * last argument first, as gcc made the committed samples */
            int grey = rng_range(rng, 15, 110), r = rng_range(rng, 0, rmax);

            dot(pix, x, y, r, grey);
            x += rng_range(rng, -2, 2);
            y += rng_range(rng, -2, 2);
        }
    }
    return pix;
}

/* Scanner dust: a few larger specks and one short hair (a wobbly line). */
static PIX *dust(PIX *pixs, Rng *rng, int specks, int hairs)
{
    PIX *pix = pixCopy(NULL, pixs);
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
    for (int i = 0; i < specks; i++) {
        /* last argument first, as above */
        int grey = rng_range(rng, 30, 120), r = rng_range(rng, 1, 5);
        int y = rng_range(rng, 60, h - 60), x = rng_range(rng, 60, w - 60);

        dot(pix, x, y, r, grey);
    }
    for (int i = 0; i < hairs; i++) {
        double x = rng_range(rng, 200, w - 200), y = rng_range(rng, 200, h - 200);
        double a = rng_range(rng, 0, 359) * G_PI / 180.0;
        int len = rng_range(rng, 80, 180);
        for (int k = 0; k < len; k++) {
            dot(pix, (int)x, (int)y, 1, 70);
            a += rng_range(rng, -8, 8) * G_PI / 180.0;
            x += cos(a);
            y += sin(a);
        }
    }
    return pix;
}

/* Skew by the truth convention (degrees, + = counter-clockwise on screen).
 * Leptonica's pixRotate takes clockwise-positive radians, hence the sign. */
static PIX *skew(PIX *pixs, double deg)
{
    PIX *pix = pixRotate(pixs, (float)(-deg * G_PI / 180.0), L_ROTATE_AREA_MAP,
                         L_BRING_IN_WHITE, 0, 0);
    if (!pix)
        die("pixRotate failed");
    return pix;
}

/* Turns an upright page so that a clockwise turn of `rotation` degrees makes
 * it upright again, i.e. turns it counter-clockwise by `rotation`. */
static PIX *unrotate(PIX *pixs, int rotation)
{
    int quads = ((360 - rotation) / 90) % 4; /* pixRotateOrth turns clockwise */
    PIX *pix = quads ? pixRotateOrth(pixs, quads) : pixCopy(NULL, pixs);
    if (!pix)
        die("pixRotateOrth failed");
    return pix;
}

static PIX *blur(PIX *pixs)
{
    PIX *pix = pixBlockconv(pixs, 1, 1); /* 3x3 mean */
    if (!pix)
        die("pixBlockconv failed");
    return pix;
}

/* Replaces *ppix with next, destroying the old one. */
static void step(PIX **ppix, PIX *next)
{
    pixDestroy(ppix);
    *ppix = next;
}

static void scan_path(char *buf, size_t n, const char *outdir, const char *file)
{
    snprintf(buf, n, "%s/scans/%s", outdir, file);
}

static void write_png(const char *path, PIX *pix)
{
    pixSetResolution(pix, DPI, DPI);
    pixSetZlibCompression(pix, 9);
    if (pixWritePng(path, pix, 0.0))
        die("cannot write '%s'", path);
}

/* Renders, degrades and writes the scan(s) of d. */
void produce(const char *outdir, Doc *d, Page *broken_src)
{
    char path[1024];
    scan_path(path, sizeof path, outdir, d->file);
    const char *f = d->file;
    Rng rng = {0};
    for (const char *c = f; *c; c++) /* per-document seed from the name */
        rng.s = rng.s * 131 + (unsigned char)*c;

    if (strcmp(f, "lv_lemums_karimi.png") == 0) {
        PIX *pix = render_page(&d->pages[0], f);
        write_png(path, pix);
        pixDestroy(&pix);
    } else if (strcmp(f, "lt_prasymas.tif") == 0) {
        PIX *pix = render_page(&d->pages[0], f);
        step(&pix, skew(pix, d->pages[0].skew));
        step(&pix, speckle(pix, &rng, 150, 1));
        step(&pix, pixThresholdToBinary(pix, 140));
        pixSetResolution(pix, DPI, DPI);
        if (pixWriteTiff(path, pix, IFF_TIFF_G4, "w"))
            die("cannot write '%s'", path);
        pixDestroy(&pix);
    } else if (strcmp(f, "ru_sobesedovanie.jpg") == 0) {
        PIX *pix = render_page(&d->pages[0], f);
        step(&pix, unrotate(pix, d->pages[0].rotation));
        pixSetResolution(pix, DPI, DPI);
        if (pixWriteJpeg(path, pix, 75, 0))
            die("cannot write '%s'", path);
        pixDestroy(&pix);
    } else if (strcmp(f, "en_letter.png") == 0) {
        PIX *pix = render_page(&d->pages[0], f);
        step(&pix, unrotate(pix, d->pages[0].rotation));
        write_png(path, pix);
        pixDestroy(&pix);
    } else if (strcmp(f, "passport_td3.png") == 0) {
        PIX *pix = render_page(&d->pages[0], f);
        step(&pix, speckle(pix, &rng, 400, 1));
        write_png(path, pix);
        pixDestroy(&pix);
    } else if (strcmp(f, "blank_dust.png") == 0) {
        PIX *pix = render_page(&d->pages[0], f);
        step(&pix, dust(pix, &rng, 9, 1));
        write_png(path, pix);
        pixDestroy(&pix);
    } else if (strcmp(f, "lv_intervija_2p.tif") == 0) {
        for (int pg = 0; pg < d->npages; pg++) {
            PIX *pix = render_page(&d->pages[pg], f);
            if (page_is_blank(&d->pages[pg]))
                step(&pix, dust(pix, &rng, 3, 0));
            step(&pix, unrotate(pix, d->pages[pg].rotation));
            pixSetResolution(pix, DPI, DPI);
            if (pixWriteTiff(path, pix, IFF_TIFF_LZW, pg ? "a" : "w"))
                die("cannot write '%s'", path);
            pixDestroy(&pix);
        }
    } else if (strcmp(f, "lv_iesniegums_skew.png") == 0) {
        PIX *pix = render_page(&d->pages[0], f);
        step(&pix, skew(pix, d->pages[0].skew));
        step(&pix, speckle(pix, &rng, 450, 1));
        step(&pix, blur(pix));
        write_png(path, pix);
        pixDestroy(&pix);
    } else if (strcmp(f, "broken_scan.tif") == 0) {
        PIX *pix = render_page(broken_src, f);
        step(&pix, pixThresholdToBinary(pix, 140));
        pixSetResolution(pix, DPI, DPI);
        l_uint8 *data = NULL;
        size_t size = 0;
        if (pixWriteMemTiff(&data, &size, pix, IFF_TIFF_G4))
            die("cannot encode '%s'", f);
        size_t keep = size * 2 / 5; /* the first 40 % of the bytes */
        FILE *out = xfopen(path, "wb");
        fwrite(data, 1, keep, out);
        xfclose(out, path);
        lept_free(data);
        pixDestroy(&pix);
    } else {
        die("no recipe for '%s'", f);
    }
}
