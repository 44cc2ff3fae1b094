/*
 * gen_hard_scan.c - the recipe of each hard file: render its page, lay on
 * the marks, degrade it (gen_hard_degrade.c) and write it to OUTDIR/hard as
 * PNG, JPEG or G4 TIFF with its resolution. The noise of each file comes
 * from a splitmix64 stream seeded from its name, as in gen_scan.c.
 */
#include "gen_hard_private.h"

#include <string.h>

/* Replaces *ppix with next, destroying the old one. */
static void step(PIX **ppix, PIX *next)
{
    pixDestroy(ppix);
    *ppix = next;
}

static void write_file(const char *path, PIX *pix, const HardDoc *h, int jpeg_q)
{
    pixSetResolution(pix, h->dpi, h->dpi);
    int bad;
    if (strcmp(h->d.format, "png") == 0) {
        pixSetZlibCompression(pix, 9);
        bad = pixWritePng(path, pix, 0.0);
    } else if (strcmp(h->d.format, "jpeg") == 0) {
        bad = pixWriteJpeg(path, pix, jpeg_q, 0);
    } else {
        PIX *bw = pixThresholdToBinary(pix, 150);
        if (!bw)
            die("pixThresholdToBinary failed");
        pixSetResolution(bw, h->dpi, h->dpi);
        bad = pixWriteTiff(path, bw, IFF_TIFF_G4, "w");
        pixDestroy(&bw);
    }
    if (bad)
        die("cannot write '%s'", path);
}

/* Cuts the card or sticker out of its A4 page. */
static PIX *cut(PIX *pix, const HardDoc *h)
{
    BOX *box = boxCreate(h->box_x, h->box_y, h->box_w, h->box_h);
    PIX *out = pixClipRectangle(pix, box, NULL);
    boxDestroy(&box);
    if (!out)
        die("pixClipRectangle failed");
    /* nothing may be drawn outside the box */
    int w = (int)pixGetWidth(pix), hh = (int)pixGetHeight(pix), wpl = pixGetWpl(pix);
    l_uint32 *data = pixGetData(pix);
    for (int y = 0; y < hh; y++)
        for (int x = 0; x < w; x++) {
            int in = x >= h->box_x && x < h->box_x + h->box_w && y >= h->box_y &&
                     y < h->box_y + h->box_h;
            if (!in && GET_DATA_BYTE(data + (size_t)y * wpl, x) != 255)
                die("%s: ink outside the card at (%d, %d)", h->d.file, x, y);
        }
    return out;
}

void hard_produce(const char *outdir, HardDoc *h)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/hard/%s", outdir, h->d.file);
    const char *f = h->d.file;
    const Page *p = &h->d.pages[0];
    Rng rng = {0};
    for (const char *c = f; *c; c++)
        rng.s = rng.s * 131 + (unsigned char)*c;

    PIX *pix = hard_render_page(p, h->recipe == R_TABLE ? 3 : 4, h->mrz_pt, f);
    int q = 80;
    switch (h->recipe) {
    case R_LOWRES:
        step(&pix, hd_scale(pix, 0.5)); /* 150 dpi */
        step(&pix, hd_speckle(pix, &rng, 60, 0));
        q = 70;
        break;
    case R_FOLD:
        step(&pix, hd_yellow_paper(pix, &rng));
        step(&pix, hd_fold_shadow(pix, 760, 0.86));
        q = 78;
        break;
    case R_STAMP: {
        int x, y, w, hh;
        line_box(p, "I. Bērziņa", &x, &y, &w, &hh);
        step(&pix, pixConvertTo32(pix));
        PIX *sig = mark_signature(520, 170, &rng);
        hd_ink(pix, sig, x + 40, y - 110, 20, 30, 110, 0.95);
        pixDestroy(&sig);
        PIX *st = mark_stamp(440, "PILSONĪBAS UN MIGRĀCIJAS LIETU PĀRVALDE * RĪGA * ",
                             "UZTURĒŠANĀS", "ATĻAUJU NODAĻA");
        hd_ink(pix, st, x + 260, y - 300, 70, 60, 170, 0.72);
        pixDestroy(&st);
        step(&pix, hd_blur(pix, 1));
        q = 82;
        break;
    }
    case R_COLUMNS:
        step(&pix, hd_speckle(pix, &rng, 250, 1));
        step(&pix, hd_blur(pix, 1));
        break;
    case R_TABLE:
        step(&pix, hd_skew(pix, p->skew, 0));
        step(&pix, hd_speckle(pix, &rng, 150, 1));
        break;
    case R_CARBON:
        step(&pix, hd_carbon(pix, &rng, 168));
        q = 80;
        break;
    case R_HANDNOTE: {
        /* beside the paragraph, 40 px right of its longest line */
        static const char *const beside[] = {
            "This is to confirm that Ms Amira Haddad, born on",
            "21 October 2001, a citizen of Lebanon, is enrolled as a",
            "full-time student of our Master's programme in",
            "Interaction Design, student number 24M0317.",
            "The programme runs from 1 September 2024 to",
        };
        int x, y, w, hh, right = 0, top = 0;
        for (int i = 0; i < 5; i++) {
            line_box(p, beside[i], &x, &y, &w, &hh);
            if (x + w > right)
                right = x + w;
            if (i == 0)
                top = y;
        }
        static const char *const note[] = {"copy checked", "ask for bank", "statement",
                                           "R.K."};
        PIX *m = mark_handwriting(note, 4, 22, &rng);
        PIX *r = hd_skew(m, 7.0, 1); /* black: no ink brought in */
        pixDestroy(&m);
        hd_ink_grey(pix, r, right + 40, top - 90, 45);
        pixDestroy(&r);
        break;
    }
    case R_BORDER: {
        PIX *white = hd_skew(pix, p->skew, 0);
        PIX *black = hd_skew(pix, p->skew, 1);
        step(&pix, hd_black_border(black, white, &rng));
        pixDestroy(&white);
        pixDestroy(&black);
        step(&pix, hd_speckle(pix, &rng, 150, 1));
        break;
    }
    case R_HOLES:
        step(&pix, hd_holes_staple(pix));
        step(&pix, hd_speckle(pix, &rng, 120, 1));
        break;
    case R_SKEW10:
        step(&pix, hd_skew(pix, p->skew, 0));
        step(&pix, hd_speckle(pix, &rng, 300, 1));
        step(&pix, hd_blur(pix, 1));
        break;
    case R_MIXED:
        step(&pix, hd_speckle(pix, &rng, 200, 1));
        break;
    case R_CARD:
    case R_VISA:
        step(&pix, hd_guilloche(pix, h->box_x, h->box_y, h->box_w, h->box_h, 214));
        step(&pix, cut(pix, h));
        step(&pix, hd_speckle(pix, &rng, h->recipe == R_CARD ? 40 : 70, 0));
        step(&pix, hd_blur(pix, 1));
        break;
    case R_NEWCODE:
        step(&pix, hd_skew(pix, p->skew, 0));
        step(&pix, hd_speckle(pix, &rng, 150, 1));
        break;
    default: die("no recipe for '%s'", f);
    }
    write_file(path, pix, h, q);
    pixDestroy(&pix);
}
