/*
 * gen_hard_layout.c - the layout of hard pages: text measured with the
 * pango settings of gen_render.c, lines placed at a position (table cells,
 * card fields) or bounded on the right (columns), and the renderer of such
 * pages. A positioned line is an IT_TEXT item with h = 1 and its top left
 * in x, y; a bounded one has its right limit in w. Both stay IT_TEXT, so
 * the checks and the truth of gen_check.c and gen_truth.c see them as lines
 * in item order: the order of the truth.
 */
#include "gen_hard_private.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

static PangoContext *g_hctx;

void hard_layout_init(void)
{
    g_hctx = render_context_new();
}

void hard_layout_done(void)
{
    g_object_unref(g_hctx);
}

void text_size(const Page *p, int style, const char *text, int *w, int *h)
{
    PangoLayout *lo = pango_layout_new(g_hctx);
    PangoFontDescription *fd = style_font(p, style);
    pango_layout_set_font_description(lo, fd);
    pango_layout_set_text(lo, text, -1);
    PangoRectangle ink, log;
    pango_layout_get_pixel_extents(lo, &ink, &log);
    *w = log.width;
    *h = log.height;
    pango_font_description_free(fd);
    g_object_unref(lo);
}

void at(Page *p, int style, int x, int y, int xmax, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = vfmt(f, ap);
    va_end(ap);
    line(p, style, AL_LEFT, "%s", s);
    free(s);
    Item *it = &p->it[p->n - 1];
    it->x = x;
    it->y = y;
    it->w = xmax;
    it->h = 1;
}

void bounded(Page *p, int style, int xmax, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = vfmt(f, ap);
    va_end(ap);
    line(p, style, AL_LEFT, "%s", s);
    free(s);
    p->it[p->n - 1].w = xmax;
}

PIX *hard_render_page(const Page *p, int rect_px, double mrz_pt, const char *what)
{
    Page mrzp; /* MRZ lines at mrz_pt: OCR B as the body font of a copy */
    page_init(&mrzp, "OCR B", mrz_pt > 0 ? mrz_pt : 11, p->lang);
    cairo_surface_t *sf;
    cairo_t *cr = page_canvas(g_hctx, &sf);

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
            cairo_set_line_width(cr, rect_px);
            cairo_rectangle(cr, it->x, it->y, it->w, it->h);
            cairo_stroke(cr);
            break;
        case IT_TEXT: {
            int w, h;
            Item mi = *it;
            const Page *tp = p;
            if (it->style == S_MRZ && mrz_pt > 0) {
                mi.style = S_BODY;
                tp = &mrzp;
            }
            text_size(tp, mi.style, it->text, &w, &h);
            if (it->h == 1) { /* positioned: the flow does not move */
                if (it->w && it->x + w > it->w)
                    die("%s: '%s' leaves its cell (%d px)", what, it->text, it->x + w - it->w);
                (void)render_text_line(g_hctx, cr, tp, &mi, it->x, it->y, what);
                break;
            }
            if (it->w && it->align == AL_LEFT && left + w > it->w)
                die("%s: '%s' leaves its column (%d px)", what, it->text, left + w - it->w);
            y = render_text_line(g_hctx, cr, p, it, left, y, what);
            break;
        }
        case IT_PHOTO: /* a plain stand-in: grey field, head and shoulders */
            cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
            cairo_rectangle(cr, it->x, it->y, it->w, it->h);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.62, 0.62, 0.62);
            cairo_save(cr);
            cairo_translate(cr, it->x + it->w / 2.0, it->y + it->h * 0.38);
            cairo_scale(cr, it->w * 0.22, it->h * 0.19);
            cairo_arc(cr, 0, 0, 1, 0, 2 * G_PI);
            cairo_restore(cr);
            cairo_fill(cr);
            cairo_save(cr);
            cairo_rectangle(cr, it->x, it->y, it->w, it->h);
            cairo_clip(cr);
            cairo_translate(cr, it->x + it->w / 2.0, it->y + it->h);
            cairo_scale(cr, it->w * 0.42, it->h * 0.3);
            cairo_arc(cr, 0, 0, 1, G_PI, 2 * G_PI);
            cairo_restore(cr);
            cairo_fill(cr);
            break;
        default: die("%s: item kind %d not drawn on hard pages", what, it->kind);
        }
    }
    cairo_destroy(cr);
    cairo_surface_flush(sf);

    return surface_pix(sf);
}

void line_box(const Page *p, const char *text, int *x, int *y, int *w, int *h)
{
    double fy = MARGIN;
    int left = MARGIN;
    for (int i = 0; i < p->n; i++) {
        const Item *it = &p->it[i];
        if (it->kind == IT_GAP)
            fy += it->h;
        else if (it->kind == IT_SETY)
            fy = it->y;
        else if (it->kind == IT_LEFT)
            left = it->x;
        if (it->kind != IT_TEXT)
            continue;
        int tw, th;
        text_size(p, it->style, it->text, &tw, &th);
        int lx = it->h == 1 ? it->x
                 : it->align == AL_LEFT   ? left
                 : it->align == AL_CENTER ? (int)((PAGE_W - tw) / 2.0)
                                          : RIGHT_EDGE - tw;
        int ly = it->h == 1 ? it->y : (int)fy;
        if (strcmp(it->text, text) == 0) {
            *x = lx, *y = ly, *w = tw, *h = th;
            return;
        }
        if (it->h != 1) { /* the flow moves as in render_text_line */
            PangoFontDescription *fd = style_font(p, it->style);
            double pt = pango_font_description_get_size(fd) / (double)PANGO_SCALE;
            pango_font_description_free(fd);
            fy += th + p->spacing * pt * DPI / 72.0;
        }
    }
    die("no line '%s' on the page", text);
}
