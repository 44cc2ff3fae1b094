/*
 * gen_hard_marks.c - marks made by hand or by a rubber stamp, drawn with
 * cairo into 8 bpp ink masks (0 = no ink, 255 = full ink) that
 * gen_hard_degrade.c lays onto a page: a round office stamp with text on
 * its ring, a signature scribble, and handwritten lines in a script font
 * (URW Z003) with each letter jittered. The jitter comes from the caller's
 * splitmix64 stream.
 */
#include "gen_hard_private.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

/* An A8 surface's alpha as an 8 bpp PIX; destroys the surface. */
static PIX *mask_from(cairo_surface_t *sf)
{
    cairo_surface_flush(sf);
    int w = cairo_image_surface_get_width(sf), h = cairo_image_surface_get_height(sf);
    int stride = cairo_image_surface_get_stride(sf);
    const unsigned char *src = cairo_image_surface_get_data(sf);
    PIX *pix = pixCreate(w, h, 8);
    if (!pix)
        die("pixCreate failed");
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
            SET_DATA_BYTE(data + (size_t)r * wpl, c, src[(size_t)r * stride + c]);
    cairo_surface_destroy(sf);
    return pix;
}

/* A layout of text in family at pt, at 300 dpi, on cr. */
static PangoLayout *layout(cairo_t *cr, const char *family, double pt, int bold,
                           const char *text)
{
    PangoLayout *lo = pango_cairo_create_layout(cr);
    pango_cairo_context_set_resolution(pango_layout_get_context(lo), DPI);
    pango_layout_context_changed(lo);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_size(fd, (int)(pt * PANGO_SCALE + 0.5));
    pango_layout_set_font_description(lo, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(lo, text, -1);
    return lo;
}

PIX *mark_stamp(int diameter, const char *ring, const char *centre1, const char *centre2)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_A8, diameter, diameter);
    cairo_t *cr = cairo_create(sf);
    const double c = diameter / 2.0, R = c - 8;
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    cairo_set_line_width(cr, 9);
    cairo_arc(cr, c, c, R, 0, 2 * G_PI);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 4);
    cairo_arc(cr, c, c, R - 72, 0, 2 * G_PI);
    cairo_stroke(cr);

    /* the ring text, letter by letter, spread over the whole circle */
    int n = (int)g_utf8_strlen(ring, -1);
    double widths[256], total = 0;
    if (n > 256)
        die("stamp ring text too long");
    const char *s = ring;
    for (int i = 0; i < n; i++, s = g_utf8_next_char(s)) {
        char ch[8] = {0};
        memcpy(ch, s, (size_t)(g_utf8_next_char(s) - s));
        PangoLayout *lo = layout(cr, "DejaVu Sans", 8.5, 1, ch);
        int w, h;
        pango_layout_get_pixel_size(lo, &w, &h);
        widths[i] = w;
        total += w;
        g_object_unref(lo);
    }
    const double rt = R - 14; /* the top of the letters */
    double stretch = (2 * G_PI * (rt - 25)) / total, a = 0;
    s = ring;
    for (int i = 0; i < n; i++, s = g_utf8_next_char(s)) {
        char ch[8] = {0};
        memcpy(ch, s, (size_t)(g_utf8_next_char(s) - s));
        double da = widths[i] * stretch / (rt - 25);
        cairo_save(cr);
        cairo_translate(cr, c, c);
        cairo_rotate(cr, a + da / 2);
        PangoLayout *lo = layout(cr, "DejaVu Sans", 8.5, 1, ch);
        cairo_move_to(cr, -widths[i] / 2, -rt);
        pango_cairo_show_layout(cr, lo);
        g_object_unref(lo);
        cairo_restore(cr);
        a += da;
    }
    /* two centre lines */
    const char *centre[2] = {centre1, centre2};
    for (int k = 0; k < 2; k++) {
        PangoLayout *lo = layout(cr, "DejaVu Sans", 11, 1, centre[k]);
        int w, h;
        pango_layout_get_pixel_size(lo, &w, &h);
        cairo_move_to(cr, c - w / 2.0, c - h + k * h - 4);
        pango_cairo_show_layout(cr, lo);
        g_object_unref(lo);
    }
    cairo_destroy(cr);
    return mask_from(sf);
}

static double frand(Rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * (double)(rng_next(rng) >> 11) / 9007199254740992.0;
}

PIX *mark_signature(int w, int h, Rng *rng)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    cairo_t *cr = cairo_create(sf);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(cr, 5);
    /* a run of loops left to right, then a long flourish back under it */
    double x = w * 0.05, y = h * 0.6;
    cairo_move_to(cr, x, y);
    while (x < w * 0.8) {
        /* one draw per statement: C leaves the order of arguments open */
        double step = frand(rng, 40, 75);
        double up1 = frand(rng, 40, h * 0.5);
        double up2 = frand(rng, 10, h * 0.45);
        double down = frand(rng, -12, 18);
        cairo_curve_to(cr, x + step * 0.3, y - up1, x + step * 0.9, y - up2, x + step,
                       y + down);
        x += step;
        y = h * 0.6 + frand(rng, -15, 15);
    }
    cairo_curve_to(cr, w * 0.95, h * 0.2, w * 0.7, h * 0.95, w * 0.1, h * 0.82);
    cairo_stroke(cr);
    cairo_destroy(cr);
    return mask_from(sf);
}

PIX *mark_handwriting(const char *const *lines, int nlines, double pt, Rng *rng)
{
    const int W = 900, lh = (int)(pt * DPI / 72.0 * 1.25);
    const int H = lh * nlines + 60;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_A8, W, H);
    cairo_t *cr = cairo_create(sf);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    for (int l = 0; l < nlines; l++) {
        double x = 20 + frand(rng, 0, 40), y = 20 + l * lh;
        for (const char *s = lines[l]; *s; s = g_utf8_next_char(s)) {
            char ch[8] = {0};
            memcpy(ch, s, (size_t)(g_utf8_next_char(s) - s));
            double size = pt * frand(rng, 0.92, 1.08);
            PangoLayout *lo = layout(cr, "Z003", size, 0, ch);
            int w, h;
            pango_layout_get_pixel_size(lo, &w, &h);
            double dy = frand(rng, -4, 4);
            double turn = frand(rng, -0.06, 0.06);
            cairo_save(cr);
            cairo_translate(cr, x, y + dy);
            cairo_rotate(cr, turn);
            cairo_move_to(cr, 0, 0);
            pango_cairo_show_layout(cr, lo);
            cairo_restore(cr);
            g_object_unref(lo);
            x += w * frand(rng, 0.93, 1.02);
            if (x > W - 40)
                die("handwritten line too long: '%s'", lines[l]);
        }
    }
    cairo_destroy(cr);
    return mask_from(sf);
}
