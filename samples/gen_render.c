/*
 * gen_render.c - rendering a page description (gen_page.c) with pango and
 * cairo: A4 at 300 dpi, grey antialiasing without hinting, one layout per
 * line; dies when a line wraps, lacks a glyph, leaves the margins or the
 * page overflows. The result is an 8 bpp grey Leptonica PIX.
 */
#include "gen_private.h"

#include <cairo.h>
#include <pango/pangocairo.h>

/* ------------------------------------------------------------------------ */
/* Rendering with pango+cairo.                                               */

static PangoContext *g_ctx;

PangoContext *render_context_new(void)
{
    PangoFontMap *fm = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm), DPI);
    PangoContext *ctx = pango_font_map_create_context(fm);
    g_object_unref(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    return ctx;
}

cairo_t *page_canvas(PangoContext *ctx, cairo_surface_t **sf)
{
    *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(*sf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    pango_cairo_update_context(cr, ctx);
    return cr;
}

void render_init(void)
{
    g_ctx = render_context_new();
}

PangoFontDescription *style_font(const Page *p, int style)
{
    PangoFontDescription *fd = pango_font_description_new();
    const char *family = p->family;
    double pt = p->pt;
    int bold = 0;
    switch (style) {
    case S_BODY: break;
    case S_BOLD: bold = 1; break;
    case S_TITLE: bold = 1; pt += 4; break;
    case S_HEAD: bold = 1; pt += 1; break;
    case S_SMALL: pt = pt - 1 < 10 ? 10 : pt - 1; break;
    case S_LABEL: family = "DejaVu Sans"; pt = 10; break;
    case S_VALUE: family = "DejaVu Sans"; pt = 12; bold = 1; break;
    case S_MRZ: family = "OCR B"; pt = 11; break;
    default: die("unknown style %d", style);
    }
    pango_font_description_set_family(fd, family);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_size(fd, (int)(pt * PANGO_SCALE + 0.5));
    return fd;
}

double render_text_line(PangoContext *ctx, cairo_t *cr, const Page *p, const Item *it, int left,
                        double y, const char *what)
{
    PangoLayout *lo = pango_layout_new(ctx);
    PangoFontDescription *fd = style_font(p, it->style);
    pango_layout_set_font_description(lo, fd);
    pango_layout_set_text(lo, it->text, -1);
    if (pango_layout_get_line_count(lo) != 1)
        die("%s: line wraps: '%s'", what, it->text);
    if (pango_layout_get_unknown_glyphs_count(lo) != 0)
        die("%s: missing glyphs in '%s'", what, it->text);
    PangoRectangle ink, log;
    pango_layout_get_pixel_extents(lo, &ink, &log);
    double x = it->align == AL_LEFT     ? left
               : it->align == AL_CENTER ? (PAGE_W - log.width) / 2.0
                                        : RIGHT_EDGE - log.width;
    if (x + log.width > RIGHT_EDGE + 1 || x < MARGIN - 1)
        die("%s: line too wide (%d px from x=%.0f): '%s'", what, log.width, x, it->text);
    double pt = pango_font_description_get_size(fd) / (double)PANGO_SCALE;
    if (y + log.height > BOTTOM_EDGE)
        die("%s: page overflows at '%s'", what, it->text);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, lo);
    y += log.height + p->spacing * pt * DPI / 72.0;
    pango_font_description_free(fd);
    g_object_unref(lo);
    return y;
}

/* Draws a stylised photo: a frame and a grey head-and-shoulders silhouette. */
static void draw_photo(cairo_t *cr, const Item *it)
{
    cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
    cairo_rectangle(cr, it->x, it->y, it->w, it->h);
    cairo_fill(cr);
    double cx = it->x + it->w / 2.0;
    cairo_set_source_rgb(cr, 0.72, 0.72, 0.72);
    cairo_save(cr);
    cairo_translate(cr, cx, it->y + it->h * 0.36);
    cairo_scale(cr, it->w * 0.22, it->h * 0.2);
    cairo_arc(cr, 0, 0, 1, 0, 2 * G_PI);
    cairo_restore(cr);
    cairo_fill(cr);
    cairo_save(cr);
    cairo_rectangle(cr, it->x, it->y, it->w, it->h);
    cairo_clip(cr);
    cairo_translate(cr, cx, it->y + it->h);
    cairo_scale(cr, it->w * 0.42, it->h * 0.3);
    cairo_arc(cr, 0, 0, 1, G_PI, 2 * G_PI);
    cairo_restore(cr);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 4);
    cairo_rectangle(cr, it->x, it->y, it->w, it->h);
    cairo_stroke(cr);
}

PIX *surface_pix(cairo_surface_t *sf)
{
    PIX *pix = pixCreate(PAGE_W, PAGE_H, 8);
    if (!pix)
        die("pixCreate failed");
    pixSetResolution(pix, DPI, DPI);
    const unsigned char *src = cairo_image_surface_get_data(sf);
    int stride = cairo_image_surface_get_stride(sf);
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int r = 0; r < PAGE_H; r++) {
        const uint32_t *s = (const uint32_t *)(src + (size_t)r * stride);
        l_uint32 *d = data + (size_t)r * wpl;
        for (int c = 0; c < PAGE_W; c++)
            SET_DATA_BYTE(d, c, (s[c] >> 8) & 0xff); /* green channel */
    }
    cairo_surface_destroy(sf);
    return pix;
}

/* Renders a page upright; returns an 8 bpp grey PIX, caller destroys. */
PIX *render_page(const Page *p, const char *what)
{
    cairo_surface_t *sf;
    cairo_t *cr = page_canvas(g_ctx, &sf);

    double y = MARGIN;
    int left = MARGIN;
    for (int i = 0; i < p->n; i++) {
        const Item *it = &p->it[i];
        switch (it->kind) {
        case IT_GAP: y += it->h; break;
        case IT_SETY: y = it->y; break;
        case IT_LEFT: left = it->x; break;
        case IT_RECT:
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, 4);
            cairo_rectangle(cr, it->x, it->y, it->w, it->h);
            cairo_stroke(cr);
            break;
        case IT_PHOTO: draw_photo(cr, it); break;
        case IT_TEXT:
            y = render_text_line(g_ctx, cr, p, it, left, y, what);
            break;
        default: die("bad item");
        }
    }
    cairo_destroy(cr);
    cairo_surface_flush(sf);

    return surface_pix(sf);
}

void render_done(void)
{
    g_object_unref(g_ctx);
}
