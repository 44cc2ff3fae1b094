/*
 * gen_page.c - the description of a page of kt_gen_samples: a list of items
 * (text lines with their style and alignment, gaps, positions, boxes, a
 * photo) that gen_render.c draws top to bottom and gen_truth.c writes as
 * the page's lines. One item is one pango layout line: never wrapped.
 */
#include "gen_private.h"

#include <stdlib.h>
#include <string.h>

static Item *page_item(Page *p, int kind)
{
    if (p->n >= MAX_ITEMS)
        die("too many items on a page");
    Item *it = &p->it[p->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void line(Page *p, int style, int align, const char *f, ...)
{
    Item *it = page_item(p, IT_TEXT);
    it->style = style;
    it->align = align;
    va_list ap;
    va_start(ap, f);
    it->text = vfmt(f, ap);
    va_end(ap);
    if (strchr(it->text, '\n') || it->text[0] == '\0')
        die("a line must be non-empty and single: '%s'", it->text);
}

void gap(Page *p, int px) { page_item(p, IT_GAP)->h = px; }
void set_y(Page *p, int y) { page_item(p, IT_SETY)->y = y; }
void set_left(Page *p, int x) { page_item(p, IT_LEFT)->x = x; }

void rect(Page *p, int kind, int x, int y, int w, int h)
{
    Item *it = page_item(p, kind);
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

void page_init(Page *p, const char *family, double pt, const char *lang)
{
    memset(p, 0, sizeof *p);
    p->family = family;
    p->pt = pt;
    p->spacing = 0.45;
    p->lang = lang;
}

int page_is_blank(const Page *p)
{
    for (int i = 0; i < p->n; i++)
        if (p->it[i].kind == IT_TEXT)
            return 0;
    return 1;
}

void page_free(Page *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->it[i].text);
    p->n = 0;
}

