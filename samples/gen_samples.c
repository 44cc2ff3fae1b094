/*
 * gen_samples.c - generator of synthetic document scans with exact truth.
 *
 * Renders invented migration-office documents with pango+cairo (A4 at
 * 300 dpi, one pango layout per text line, never wrapped), degrades them with
 * Leptonica (quarter turns, small skew, speckle, blur, JPEG, G4, LZW) and
 * writes, under OUTDIR:
 *
 *   scans/<file>          the input files the pipeline reads
 *   truth/<stem>.json     what each file contains (lines, rotation, skew,
 *                         personal codes, case numbers, dates, MRZ, links)
 *   cases.csv             the case records the documents link to
 *
 * Usage: kt_gen_samples OUTDIR
 *
 * Everything is deterministic: noise comes from a fixed-seed splitmix64
 * generator of our own (never rand()), seeded per document.  All people,
 * numbers, addresses and companies are invented.  Personal codes and MRZ
 * check digits are computed here and the truth is cross-checked against the
 * rendered lines before anything is written (the program aborts with a
 * message naming the document if a check fails).
 *
 * Conventions recorded in the truth (see samples/README.md):
 *   rotation  clockwise turn in degrees (0, 90, 180, 270) that makes the
 *             page upright; equals "Rotate:" of `tesseract --psm 0 -l osd`.
 *   skew      degrees, positive = text lines rotated counter-clockwise as
 *             seen on screen (the page needs a clockwise turn to deskew).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <cairo.h>
#include <leptonica/allheaders.h>
#include <pango/pangocairo.h>

/* ------------------------------------------------------------------------ */
/* Page geometry: A4 at 300 dpi, 2.5 cm margins.                             */

#define DPI 300
#define PAGE_W 2480
#define PAGE_H 3508
#define MARGIN 295 /* 2.5 cm */
#define RIGHT_EDGE (PAGE_W - MARGIN)
#define BOTTOM_EDGE (PAGE_H - MARGIN)

#define MAX_ITEMS 96
#define MAX_PAGES 3
#define MAX_LIST 128

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kt_gen_samples: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        die("out of memory");
    memcpy(p, s, n);
    return p;
}

static char *vfmt(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        die("formatted text too long: '%s'", fmt);
    return xstrdup(buf);
}

/* ------------------------------------------------------------------------ */
/* Deterministic PRNG: splitmix64.                                           */

typedef struct {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
static int rng_range(Rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int)(rng_next(r) % span);
}

/* ------------------------------------------------------------------------ */
/* String lists.                                                             */

typedef struct {
    char *v[MAX_LIST];
    int n;
} StrList;

static void sl_add(StrList *l, const char *f, ...)
{
    if (l->n >= MAX_LIST)
        die("list full");
    va_list ap;
    va_start(ap, f);
    l->v[l->n++] = vfmt(f, ap);
    va_end(ap);
}

static int sl_has(const StrList *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates. */
static void sl_sort_unique(StrList *l)
{
    qsort(l->v, (size_t)l->n, sizeof l->v[0], cmp_str);
    int j = 0;
    for (int i = 0; i < l->n; i++) {
        if (j > 0 && strcmp(l->v[j - 1], l->v[i]) == 0) {
            free(l->v[i]);
            continue;
        }
        l->v[j++] = l->v[i];
    }
    l->n = j;
}

static void sl_free(StrList *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    l->n = 0;
}

/* ------------------------------------------------------------------------ */
/* Personal codes and MRZ.                                                   */

/* Latvian code DDMMYY-CNNNN + check digit; returns the check digit or -1
 * when the weighted sum gives 10 (no valid code with these digits). */
static int lv_check_digit(const char *d10)
{
    static const int w[10] = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int s = 0;
    for (int i = 0; i < 10; i++)
        s += (d10[i] - '0') * w[i];
    int c = ((1101 - s) % 11 + 11) % 11;
    return c == 10 ? -1 : c;
}

/* Whether "DDMMYY-NNNNN" has a correct check digit. */
static int lv_valid(const char *code)
{
    char d10[11];
    if (strlen(code) != 12 || code[6] != '-')
        return 0;
    snprintf(d10, sizeof d10, "%.6s%.4s", code, code + 7);
    return lv_check_digit(d10) == code[11] - '0';
}

/* Builds "DDMMYY-CNNNK" into out[13]. */
static void lv_code(char out[13], int d, int m, int y, const char *serial3)
{
    int c = y < 1900 ? 0 : y < 2000 ? 1 : 2;
    char d10[11];
    snprintf(d10, sizeof d10, "%02d%02d%02d%d%s", d, m, y % 100, c, serial3);
    int k = lv_check_digit(d10);
    if (k < 0)
        die("serial %s gives no valid Latvian check digit", serial3);
    snprintf(out, 13, "%.6s-%.4s%d", d10, d10 + 6, k);
}

/* Lithuanian check digit for the first 10 digits of GYYMMDDNNNK. */
static int lt_check_digit(const char *d10)
{
    static const int w1[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1};
    static const int w2[10] = {3, 4, 5, 6, 7, 8, 9, 1, 2, 3};
    int s = 0;
    for (int i = 0; i < 10; i++)
        s += (d10[i] - '0') * w1[i];
    if (s % 11 != 10)
        return s % 11;
    s = 0;
    for (int i = 0; i < 10; i++)
        s += (d10[i] - '0') * w2[i];
    return s % 11 == 10 ? 0 : s % 11;
}

/* Builds the 11-digit Lithuanian code into out[12]; female selects G. */
static void lt_code(char out[12], int d, int m, int y, int female, const char *serial3)
{
    int g = (y < 2000 ? 3 : 5) + (female ? 1 : 0);
    char d10[11];
    snprintf(d10, sizeof d10, "%d%02d%02d%02d%s", g, y % 100, m, d, serial3);
    snprintf(out, 12, "%s%d", d10, lt_check_digit(d10));
}

/* ICAO 9303 check digit over s[0..n-1]: weights 7,3,1; A-Z = 10..35; '<' = 0. */
static int mrz_check(const char *s, size_t n)
{
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        char c = s[i];
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else if (c == '<')
            v = 0;
        else
            die("bad MRZ character '%c'", c);
        sum += v * w[i % 3];
    }
    return sum % 10;
}

/* Pads s with '<' to width n into out (n + 1 bytes). */
static void mrz_field(char *out, const char *s, size_t n)
{
    size_t len = strlen(s);
    if (len > n)
        die("MRZ field '%s' longer than %zu", s, n);
    memcpy(out, s, len);
    memset(out + len, '<', n - len);
    out[n] = '\0';
}

typedef struct {
    const char *issuer, *surname, *given_names, *document_number, *nationality;
    int by, bm, bd; /* birth */
    char sex;
    int ey, em, ed; /* expiry */
    const char *optional_data; /* without fillers */
    char line1[45], line2[45];
} Mrz;

/* Fills line1/line2 of a TD3 passport MRZ. */
static void mrz_td3(Mrz *z)
{
    char name[80], f[45];
    snprintf(name, sizeof name, "%s<<%s", z->surname, z->given_names);
    for (char *p = name; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '<';
    mrz_field(f, name, 39);
    if (strlen(z->issuer) != 3)
        die("issuer must have 3 letters");
    memcpy(z->line1, "P<", 2);
    memcpy(z->line1 + 2, z->issuer, 3);
    memcpy(z->line1 + 5, f, 40); /* 39 characters and the NUL */

    char num[10], opt[15], birth[16], exp[16];
    mrz_field(num, z->document_number, 9);
    mrz_field(opt, z->optional_data, 14);
    snprintf(birth, sizeof birth, "%02d%02d%02d", z->by % 100, z->bm, z->bd);
    snprintf(exp, sizeof exp, "%02d%02d%02d", z->ey % 100, z->em, z->ed);
    if (strlen(birth) != 6 || strlen(exp) != 6)
        die("bad MRZ date");
    char l2[64];
    snprintf(l2, sizeof l2, "%s%d%s%s%d%c%s%d%s%d", num, mrz_check(num, 9), z->nationality,
             birth, mrz_check(birth, 6), z->sex, exp, mrz_check(exp, 6), opt,
             mrz_check(opt, 14));
    if (strlen(l2) != 43)
        die("MRZ line 2 has %zu characters before the composite", strlen(l2));
    /* Composite: positions 1-10, 14-20, 22-43 (1-based). */
    char comp[40];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    snprintf(z->line2, sizeof z->line2, "%s%d", l2, mrz_check(comp, 39));
    if (strlen(z->line1) != 44 || strlen(z->line2) != 44)
        die("MRZ lines must be 44 characters");
}

/* ------------------------------------------------------------------------ */
/* Page description: a list of items rendered top to bottom.                */

enum { IT_TEXT, IT_GAP, IT_SETY, IT_LEFT, IT_RECT, IT_PHOTO };
enum { AL_LEFT, AL_CENTER, AL_RIGHT };
/* Styles; BODY/BOLD/TITLE/HEAD/SMALL use the page's family and size. */
enum { S_BODY, S_BOLD, S_TITLE, S_HEAD, S_SMALL, S_LABEL, S_VALUE, S_MRZ };

typedef struct {
    int kind, style, align;
    int x, y, w, h; /* SETY: y; LEFT: x; RECT/PHOTO: box; GAP: h */
    char *text;
} Item;

typedef struct {
    const char *family; /* body font family */
    double pt;          /* body size in points */
    double spacing;     /* extra leading, fraction of the font size */
    int rotation;       /* truth: clockwise turn that makes it upright */
    double skew;        /* truth: degrees, + = counter-clockwise */
    const char *lang;
    Item it[MAX_ITEMS];
    int n;
} Page;

static Item *page_item(Page *p, int kind)
{
    if (p->n >= MAX_ITEMS)
        die("too many items on a page");
    Item *it = &p->it[p->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

static void line(Page *p, int style, int align, const char *f, ...)
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

#define L(p, ...) line((p), S_BODY, AL_LEFT, __VA_ARGS__)

static void gap(Page *p, int px) { page_item(p, IT_GAP)->h = px; }
static void set_y(Page *p, int y) { page_item(p, IT_SETY)->y = y; }
static void set_left(Page *p, int x) { page_item(p, IT_LEFT)->x = x; }

static void rect(Page *p, int kind, int x, int y, int w, int h)
{
    Item *it = page_item(p, kind);
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

static void page_init(Page *p, const char *family, double pt, const char *lang)
{
    memset(p, 0, sizeof *p);
    p->family = family;
    p->pt = pt;
    p->spacing = 0.45;
    p->lang = lang;
}

static int page_is_blank(const Page *p)
{
    for (int i = 0; i < p->n; i++)
        if (p->it[i].kind == IT_TEXT)
            return 0;
    return 1;
}

static void page_free(Page *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->it[i].text);
    p->n = 0;
}

/* ------------------------------------------------------------------------ */
/* Rendering with pango+cairo.                                               */

static PangoContext *g_ctx;

static void render_init(void)
{
    PangoFontMap *fm = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm), DPI);
    g_ctx = pango_font_map_create_context(fm);
    g_object_unref(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(g_ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(g_ctx, FALSE);
}

static PangoFontDescription *style_font(const Page *p, int style)
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

/* Renders a page upright; returns an 8 bpp grey PIX, caller destroys. */
static PIX *render_page(const Page *p, const char *what)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(sf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    pango_cairo_update_context(cr, g_ctx);

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
        case IT_TEXT: {
            PangoLayout *lo = pango_layout_new(g_ctx);
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
                die("%s: line too wide (%d px from x=%.0f): '%s'", what, log.width, x,
                    it->text);
            double pt = pango_font_description_get_size(fd) / (double)PANGO_SCALE;
            if (y + log.height > BOTTOM_EDGE)
                die("%s: page overflows at '%s'", what, it->text);
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_move_to(cr, x, y);
            pango_cairo_show_layout(cr, lo);
            y += log.height + p->spacing * pt * DPI / 72.0;
            pango_font_description_free(fd);
            g_object_unref(lo);
            break;
        }
        default: die("bad item");
        }
    }
    cairo_destroy(cr);
    cairo_surface_flush(sf);

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
            dot(pix, x, y, rng_range(rng, 0, rmax), rng_range(rng, 15, 110));
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
    for (int i = 0; i < specks; i++)
        dot(pix, rng_range(rng, 60, w - 60), rng_range(rng, 60, h - 60), rng_range(rng, 1, 5),
            rng_range(rng, 30, 120));
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

/* ------------------------------------------------------------------------ */
/* Documents.                                                                */

typedef struct {
    const char *file, *format, *doc_type;
    int expect_error;
    int npages;
    Page pages[MAX_PAGES];
    StrList case_numbers, personal_codes, dates;
    const Mrz *mrz;
    StrList cases; /* computed from the case table */
} Doc;

typedef struct {
    const char *case_number;
    char personal_code[13];
    const char *surname, *given_names, *birth_date, *nationality, *case_type, *status,
        *officer;
} CaseRow;

/* The people (invented). */
static char code_karimi[13], code_kovalenko[13], code_nazari[13], code_tkachenko[13];
static char code_mammadova[12];
static Mrz mrz_nazari;

static CaseRow g_cases[5];
static const int g_ncases = 5;

static void people_init(void)
{
    lv_code(code_karimi, 22, 7, 1991, "472");
    lv_code(code_kovalenko, 2, 11, 1979, "385");
    lv_code(code_nazari, 14, 3, 1988, "296");
    lv_code(code_tkachenko, 30, 6, 2001, "148");
    lt_code(code_mammadova, 11, 4, 1995, 1, "217");

    CaseRow rows[5] = {
        {"PMLP-LV-2021-007754", "", "Tkachenko", "Iryna", "2001-06-30", "UKR", "asylum",
         "closed", "R. Ozoliņa"},
        {"PMLP-LV-2022-003310", "", "Kovalenko", "Oleg", "1979-11-02", "UKR",
         "residence_permit", "open", "M. Kalniņš"},
        {"PMLP-LV-2023-004571", "", "Karimi", "Ahmad", "1991-07-22", "AFG",
         "residence_permit", "decided", "I. Bērziņa"},
        {"PMLP-LV-2024-000912", "", "Nazari", "Farid", "1988-03-14", "AFG",
         "residence_permit_extension", "open", "I. Bērziņa"},
        {"MD-LT-2022-001288", "", "Mammadova", "Leyla", "1995-04-11", "AZE",
         "residence_permit_extension", "open", "A. Petrauskienė"},
    };
    const char *codes[5] = {code_tkachenko, code_kovalenko, code_karimi, code_nazari,
                            code_mammadova};
    for (int i = 0; i < 5; i++) {
        g_cases[i] = rows[i];
        snprintf(g_cases[i].personal_code, sizeof g_cases[i].personal_code, "%s", codes[i]);
    }

    Mrz *z = &mrz_nazari;
    memset(z, 0, sizeof *z);
    z->issuer = "LVA";
    z->surname = "NAZARI";
    z->given_names = "FARID";
    z->document_number = "AP0381572";
    z->nationality = "AFG";
    z->by = 1988, z->bm = 3, z->bd = 14;
    z->sex = 'M';
    z->ey = 2029, z->em = 1, z->ed = 8;
    static char opt[12];
    snprintf(opt, sizeof opt, "%.6s%.5s", code_nazari, code_nazari + 7);
    z->optional_data = opt;
    mrz_td3(z);
}

static Doc *doc_new(const char *file, const char *format, const char *doc_type, int npages)
{
    Doc *d = calloc(1, sizeof *d);
    if (!d)
        die("out of memory");
    d->file = file;
    d->format = format;
    d->doc_type = doc_type;
    d->npages = npages;
    return d;
}

/* 1. Latvian decision on a residence permit for Ahmad Karimi. */
static Doc *doc_lemums(void)
{
    Doc *d = doc_new("lv_lemums_karimi.png", "png", "decision", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    line(p, S_BODY, AL_CENTER, "Uzturēšanās atļauju nodaļa");
    line(p, S_SMALL, AL_CENTER, "Kalnciema iela 120, Rīga, LV-1046");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "LĒMUMS");
    line(p, S_BODY, AL_CENTER, "par termiņuzturēšanās atļaujas izsniegšanu");
    gap(p, 60);
    L(p, "Rīgā, 2023. gada 14. martā");
    L(p, "Lietas Nr. PMLP-LV-2023-004571");
    gap(p, 50);
    L(p, "Pilsonības un migrācijas lietu pārvalde (turpmāk – Pārvalde),");
    L(p, "izskatot Afganistānas pilsoņa Ahmad Karimi, personas kods %s,", code_karimi);
    L(p, "dzimšanas datums 22.07.1991., 2023. gada 10. janvārī iesniegto");
    L(p, "iesniegumu un tam pievienotos dokumentus, konstatēja:");
    L(p, "1. Iesniedzējs lūdz izsniegt termiņuzturēšanās atļauju uz vienu");
    L(p, "gadu saskaņā ar Imigrācijas likuma 23. pantu.");
    L(p, "2. Iesniedzējs ir noslēdzis darba līgumu ar SIA „Ziemeļu Loģistika”");
    L(p, "un iesniedzis derīgu veselības apdrošināšanas polisi.");
    L(p, "3. Pārrunās 2023. gada 2. februārī iesniedzējs sniedza ticamas");
    L(p, "ziņas par savu nodarbinātību un dzīvesvietu Latvijā.");
    gap(p, 30);
    L(p, "Ņemot vērā minēto un pamatojoties uz Imigrācijas likuma 23. pantu,");
    L(p, "Pārvalde nolēma:");
    L(p, "izsniegt Ahmad Karimi termiņuzturēšanās atļauju līdz 13.03.2024.");
    gap(p, 30);
    L(p, "Šis lēmums stājas spēkā 14.03.2023. Lēmumu var apstrīdēt");
    L(p, "Iekšlietu ministrijā viena mēneša laikā no tā spēkā stāšanās dienas.");
    gap(p, 90);
    L(p, "Vecākā inspektore I. Bērziņa");
    L(p, "(paraksts)");

    sl_add(&d->case_numbers, "PMLP-LV-2023-004571");
    sl_add(&d->personal_codes, "%s", code_karimi);
    const char *dates[] = {"2023-03-14", "1991-07-22", "2023-01-10", "2023-02-02", "2024-03-13"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 2. Lithuanian application to extend a temporary residence permit. */
static Doc *doc_prasymas(void)
{
    Doc *d = doc_new("lt_prasymas.tif", "tiff", "application", 1);
    Page *p = &d->pages[0];
    page_init(p, "Liberation Serif", 12, "lit");
    p->skew = 1.5;
    set_left(p, 1300);
    L(p, "Leyla Mammadova");
    L(p, "Asmens kodas %s", code_mammadova);
    L(p, "Žirmūnų g. 58-14, LT-09105 Vilnius");
    set_left(p, MARGIN);
    gap(p, 70);
    L(p, "Migracijos departamentui prie");
    L(p, "Lietuvos Respublikos vidaus reikalų ministerijos");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "PRAŠYMAS");
    line(p, S_BOLD, AL_CENTER, "DĖL LEIDIMO LAIKINAI GYVENTI PRATĘSIMO");
    gap(p, 20);
    line(p, S_BODY, AL_CENTER, "2022 m. rugsėjo 5 d.");
    line(p, S_BODY, AL_CENTER, "Vilnius");
    gap(p, 60);
    L(p, "Bylos Nr. MD-LT-2022-001288");
    gap(p, 30);
    L(p, "Prašau pratęsti man išduotą leidimą laikinai gyventi Lietuvos Respublikoje,");
    L(p, "kurio galiojimo laikas baigiasi 2022-10-31.");
    L(p, "Lietuvoje gyvenu nuo 2019 m. sausio 15 d., dirbu UAB „Baltų tiltas“");
    L(p, "programuotoja pagal neterminuotą darbo sutartį.");
    L(p, "Mano gyvenamoji vieta deklaruota Vilniuje, Žirmūnų g. 58-14.");
    gap(p, 20);
    L(p, "Pridedu šiuos dokumentus:");
    L(p, "1. Galiojančio paso kopiją;");
    L(p, "2. Darbo sutarties kopiją;");
    L(p, "3. Sveikatos draudimo polisą;");
    L(p, "4. Pažymą apie gaunamas pajamas.");
    gap(p, 20);
    L(p, "Patvirtinu, kad pateikti duomenys yra teisingi ir išsamūs.");
    gap(p, 60);
    L(p, "Prašymo pateikimo data: 2022-09-05");
    L(p, "Parašas: (parašas) Leyla Mammadova");
    gap(p, 90);
    L(p, "Migracijos departamentas, gauta 2022-09-05");
    L(p, "Priėmė: A. Petrauskienė");

    sl_add(&d->case_numbers, "MD-LT-2022-001288");
    sl_add(&d->personal_codes, "%s", code_mammadova);
    const char *dates[] = {"2022-09-05", "2022-10-31", "2019-01-15"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 3. Russian interview record (the office interviews in Russian). */
static Doc *doc_sobesedovanie(void)
{
    Doc *d = doc_new("ru_sobesedovanie.jpg", "jpeg", "interview", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Sans", 11, "rus");
    p->rotation = 180;
    line(p, S_HEAD, AL_CENTER, "Управление по делам гражданства и миграции");
    line(p, S_BODY, AL_CENTER, "Отдел видов на жительство");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "ПРОТОКОЛ СОБЕСЕДОВАНИЯ");
    line(p, S_BODY, AL_CENTER, "(интервью с заявителем)");
    gap(p, 60);
    L(p, "Дело № PMLP-LV-2022-003310");
    L(p, "Рига, 5 сентября 2022 г.");
    gap(p, 30);
    L(p, "Заявитель: Коваленко Олег Петрович");
    L(p, "Дата рождения: 02.11.1979, гражданство: Украина");
    L(p, "Заявление о выдаче вида на жительство подано 17.03.2022.");
    L(p, "Интервью проводит инспектор М. Калныньш, язык: русский.");
    gap(p, 40);
    L(p, "Вопрос: Когда вы прибыли в Латвию?");
    L(p, "Ответ: Я приехал в Ригу 9 марта 2022 года на автобусе.");
    L(p, "Вопрос: Где вы проживаете в настоящее время?");
    L(p, "Ответ: Снимаю квартиру в Даугавпилсе, ул. Ригас, д. 12, кв. 3.");
    L(p, "Вопрос: Чем вы занимаетесь?");
    L(p, "Ответ: Работаю водителем в транспортной компании.");
    L(p, "Вопрос: Есть ли у вас родственники в Латвии?");
    L(p, "Ответ: Да, со мной живёт жена, Коваленко Наталья Ивановна.");
    L(p, "Вопрос: Хотите ли вы что-нибудь добавить?");
    L(p, "Ответ: Нет. Прошу выдать мне вид на жительство.");
    gap(p, 40);
    L(p, "Протокол прочитан заявителю, замечаний нет.");
    gap(p, 40);
    L(p, "Подпись заявителя: (подпись)");
    L(p, "Инспектор М. Калныньш: (подпись)");

    sl_add(&d->case_numbers, "PMLP-LV-2022-003310");
    const char *dates[] = {"2022-09-05", "1979-11-02", "2022-03-17", "2022-03-09"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 4. English employer's letter about a person with no case here. */
static Doc *doc_letter(void)
{
    Doc *d = doc_new("en_letter.png", "png", "letter", 1);
    Page *p = &d->pages[0];
    page_init(p, "Liberation Serif", 12, "eng");
    p->rotation = 90;
    line(p, S_HEAD, AL_LEFT, "Northgate Timber Systems Ltd");
    L(p, "14 Harrow Wharf, Leeds LS2 7QT, United Kingdom");
    gap(p, 80);
    L(p, "19 August 2021");
    gap(p, 40);
    L(p, "Office of Citizenship and Migration Affairs");
    L(p, "Riga, Latvia");
    gap(p, 60);
    L(p, "Dear Sir or Madam,");
    gap(p, 20);
    line(p, S_BOLD, AL_LEFT, "Re: Confirmation of employment of Mr Jonathan Ashdown");
    gap(p, 20);
    L(p, "I am writing to confirm that Mr Jonathan Ashdown, born on 14 March 1988,");
    L(p, "has been employed by Northgate Timber Systems Ltd as a senior site engineer");
    L(p, "since 3 February 2015. His employment is permanent and full-time, and his");
    L(p, "current annual salary is GBP 48,500.");
    gap(p, 20);
    L(p, "Mr Ashdown has been assigned to our project in Riga from 1 October 2021");
    L(p, "to 30 September 2022. During this period he will remain on our payroll,");
    L(p, "and the company will cover the cost of his accommodation in Riga.");
    gap(p, 20);
    L(p, "We kindly ask you to consider his application for a residence permit");
    L(p, "favourably. Should you need any further information, please contact our");
    L(p, "human resources department at the address above.");
    gap(p, 40);
    L(p, "Yours sincerely,");
    gap(p, 100);
    L(p, "Margaret Ellison");
    L(p, "Head of Human Resources");
    L(p, "Northgate Timber Systems Ltd");

    const char *dates[] = {"2021-08-19", "1988-03-14", "2015-02-03", "2021-10-01",
                           "2022-09-30"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 5. Data page of a Latvian alien's passport of Farid Nazari, TD3 MRZ. */
static Doc *doc_passport(void)
{
    Doc *d = doc_new("passport_td3.png", "png", "identity", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Sans", 12, "lav");
    p->spacing = 0.18;
    const int box_x = MARGIN, box_y = MARGIN, box_w = PAGE_W - 2 * MARGIN, box_h = 2000;
    rect(p, IT_RECT, box_x, box_y, box_w, box_h);
    set_y(p, box_y + 40);
    line(p, S_HEAD, AL_CENTER, "LATVIJAS REPUBLIKA / REPUBLIC OF LATVIA");
    line(p, S_BODY, AL_CENTER, "ĀRZEMNIEKA PASE / ALIEN'S PASSPORT");
    const int photo_x = box_x + 70, photo_y = box_y + 230, photo_w = 413, photo_h = 531;
    rect(p, IT_PHOTO, photo_x, photo_y, photo_w, photo_h);
    set_left(p, photo_x + photo_w + 90);
    set_y(p, photo_y - 10);
    struct {
        const char *label, *value;
    } f[] = {
        {"Pases Nr. / Passport No.", "AP0381572"},
        {"Uzvārds / Surname", "NAZARI"},
        {"Vārdi / Given names", "FARID"},
        {"Pilsonība / Nationality", "AFG"},
        {"Dzimšanas datums / Date of birth", "14 MAR 1988"},
        {"Dzimums / Sex", "M"},
        {"Personas kods / Personal code", code_nazari},
        {"Izdošanas datums / Date of issue", "09 JAN 2024"},
        {"Derīguma termiņš / Date of expiry", "08 JAN 2029"},
        {"Izdevējiestāde / Authority", "PMLP"},
    };
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        line(p, S_LABEL, AL_LEFT, "%s", f[i].label);
        line(p, S_VALUE, AL_LEFT, "%s", f[i].value);
        gap(p, 14);
    }
    set_left(p, box_x + 70);
    set_y(p, box_y + box_h - 250);
    line(p, S_MRZ, AL_LEFT, "%s", mrz_nazari.line1);
    line(p, S_MRZ, AL_LEFT, "%s", mrz_nazari.line2);

    sl_add(&d->personal_codes, "%s", code_nazari);
    const char *dates[] = {"1988-03-14", "2024-01-09", "2029-01-08"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    d->mrz = &mrz_nazari;
    return d;
}

/* 6. Blank page with scanner dust. */
static Doc *doc_blank(void)
{
    Doc *d = doc_new("blank_dust.png", "png", "other", 1);
    page_init(&d->pages[0], "DejaVu Serif", 11, "");
    return d;
}

/* 7. Latvian interview protocol, two pages and a blank back page. */
static Doc *doc_intervija(void)
{
    Doc *d = doc_new("lv_intervija_2p.tif", "tiff", "interview", 3);
    Page *p = &d->pages[0];
    page_init(p, "Liberation Serif", 12, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    line(p, S_BODY, AL_CENTER, "Uzturēšanās atļauju nodaļa");
    gap(p, 80);
    line(p, S_TITLE, AL_CENTER, "PĀRRUNU PROTOKOLS");
    line(p, S_BODY, AL_CENTER, "(intervija ar iesniedzēju)");
    gap(p, 60);
    L(p, "Lietas Nr. PMLP-LV-2023-004571");
    L(p, "Rīgā, 2023. gada 2. februārī, plkst. 10.30");
    L(p, "Intervijas vieta: Pārvaldes telpas, 214. kabinets");
    L(p, "Intervētāja: vecākā inspektore I. Bērziņa");
    L(p, "Tulks: A. Rahimi (dari valoda)");
    L(p, "Iesniedzējs: Ahmad Karimi, personas kods %s", code_karimi);
    L(p, "Dzimšanas datums: 22.07.1991., pilsonība: Afganistāna");
    gap(p, 40);
    L(p, "Iesniedzējam izskaidrotas viņa tiesības un pienākumi, kā arī tas, ka intervijā");
    L(p, "sniegtās ziņas tiks izmantotas lietas izskatīšanā. Iesniedzējs apliecina, ka");
    L(p, "tulku saprot labi un jūtas vesels.");
    gap(p, 40);
    L(p, "Jautājums: Kad un kā jūs ieradāties Latvijā?");
    L(p, "Atbilde: Es ierados Rīgā 2022. gada 18. novembrī ar lidmašīnu no Stambulas.");
    L(p, "Man bija derīga darba vīza, ko izsniedza Latvijas vēstniecība.");
    L(p, "Jautājums: Kur jūs strādājat?");
    L(p, "Atbilde: Strādāju SIA „Ziemeļu Loģistika” par noliktavas darbinieku.");
    L(p, "Darba līgums ir noslēgts uz nenoteiktu laiku.");
    L(p, "Jautājums: Kur jūs dzīvojat?");
    L(p, "Atbilde: Īrēju istabu Rīgā, Ganību dambī 17, dzīvoklī 4.");
    set_y(p, BOTTOM_EDGE - 60);
    line(p, S_SMALL, AL_CENTER, "1. lapa no 2");

    p = &d->pages[1];
    page_init(p, "Liberation Serif", 12, "lav");
    p->rotation = 270;
    L(p, "Lietas Nr. PMLP-LV-2023-004571, pārrunu protokola turpinājums");
    gap(p, 40);
    L(p, "Jautājums: Vai jums Latvijā ir ģimenes locekļi?");
    L(p, "Atbilde: Nē, mana sieva un meita dzīvo Herātā. Vēlos viņas uzaicināt");
    L(p, "pie sevis, kad būšu saņēmis uzturēšanās atļauju.");
    L(p, "Jautājums: Vai jūs esat sodīts vai saukts pie atbildības?");
    L(p, "Atbilde: Nē, ne Latvijā, ne citā valstī.");
    L(p, "Jautājums: Vai vēlaties ko papildināt?");
    L(p, "Atbilde: Nē. Lūdzu izsniegt man termiņuzturēšanās atļauju.");
    gap(p, 40);
    L(p, "Intervija pabeigta plkst. 11.15. Protokols iesniedzējam nolasīts tulkojumā");
    L(p, "dari valodā, iebildumu un papildinājumu nav.");
    gap(p, 60);
    L(p, "Iesniedzējs: A. Karimi (paraksts)");
    L(p, "Tulks: A. Rahimi (paraksts)");
    L(p, "Intervētāja: I. Bērziņa (paraksts)");
    gap(p, 40);
    L(p, "Protokols sastādīts 02.02.2023.");
    set_y(p, BOTTOM_EDGE - 60);
    line(p, S_SMALL, AL_CENTER, "2. lapa no 2");

    page_init(&d->pages[2], "Liberation Serif", 12, "");

    sl_add(&d->case_numbers, "PMLP-LV-2023-004571");
    sl_add(&d->personal_codes, "%s", code_karimi);
    const char *dates[] = {"2023-02-02", "1991-07-22", "2022-11-18"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 8. Latvian application of Farid Nazari: linked by personal code only. */
static Doc *doc_iesniegums(void)
{
    Doc *d = doc_new("lv_iesniegums_skew.png", "png", "application", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    p->skew = -2.0;
    set_left(p, 1150);
    L(p, "Pilsonības un migrācijas lietu");
    L(p, "pārvaldei");
    gap(p, 30);
    L(p, "Farid Nazari");
    L(p, "personas kods %s", code_nazari);
    L(p, "Brīvības iela 151-8, Rīga, LV-1012");
    set_left(p, MARGIN);
    gap(p, 120);
    line(p, S_TITLE, AL_CENTER, "IESNIEGUMS");
    line(p, S_BODY, AL_CENTER, "Rīgā, 2024. gada 3. aprīlī");
    gap(p, 60);
    L(p, "Lūdzu pagarināt man izsniegtās termiņuzturēšanās atļaujas derīguma");
    L(p, "termiņu, jo turpinu strādāt SIA „Daugavas Būvnieks” par elektriķi.");
    L(p, "Darba līgums ir spēkā līdz 31.03.2026.");
    L(p, "Mana ārzemnieka pase Nr. AP0381572 ir derīga līdz 08.01.2029.");
    L(p, "Dzīvoju Rīgā, Brīvības ielā 151, dzīvoklī 8, kopš 2021. gada.");
    gap(p, 30);
    L(p, "Iesniegumam pievienoju:");
    L(p, "1) darba līguma kopiju;");
    L(p, "2) veselības apdrošināšanas polisi;");
    L(p, "3) izziņu par ienākumiem no Valsts ieņēmumu dienesta;");
    L(p, "4) dzīvesvietas īres līguma kopiju.");
    gap(p, 30);
    L(p, "Apliecinu, ka sniegtās ziņas ir patiesas.");
    L(p, "Lēmumu lūdzu paziņot, nosūtot to uz manu dzīvesvietas adresi.");
    gap(p, 90);
    L(p, "F. Nazari (paraksts)");
    L(p, "03.04.2024.");

    sl_add(&d->personal_codes, "%s", code_nazari);
    const char *dates[] = {"2024-04-03", "2026-03-31", "2029-01-08"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 9. A notice rendered as G4 TIFF, then cut: only the truth "error" holds. */
static Doc *doc_broken(Page *source)
{
    Doc *d = doc_new("broken_scan.tif", "tiff", "other", 0);
    d->expect_error = 1;
    Page *p = source;
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    gap(p, 80);
    line(p, S_TITLE, AL_CENTER, "IZZIŅA");
    gap(p, 60);
    L(p, "Izsniegta Irynai Tkachenko, personas kods %s, par to, ka", code_tkachenko);
    L(p, "viņas lieta Nr. PMLP-LV-2021-007754 ir izskatīta un slēgta.");
    L(p, "Izziņa izsniegta pēc pieprasījuma iesniegšanai darba devējam.");
    gap(p, 60);
    L(p, "Rīgā, 2022. gada 11. maijā");
    L(p, "Inspektore R. Ozoliņa");
    return d;
}

/* ------------------------------------------------------------------------ */
/* Truth cross-checks.                                                       */

static const char *const MON_LV[12] = {"janvārī", "februārī", "martā",    "aprīlī",
                                       "maijā",   "jūnijā",   "jūlijā",   "augustā",
                                       "septembrī", "oktobrī", "novembrī", "decembrī"};
static const char *const MON_LT[12] = {"sausio",  "vasario",   "kovo",      "balandžio",
                                       "gegužės", "birželio",  "liepos",    "rugpjūčio",
                                       "rugsėjo", "spalio",    "lapkričio", "gruodžio"};
static const char *const MON_RU[12] = {"января", "февраля",  "марта",   "апреля",
                                       "мая",    "июня",     "июля",    "августа",
                                       "сентября", "октября", "ноября", "декабря"};
static const char *const MON_EN[12] = {"January", "February", "March",    "April",
                                       "May",     "June",     "July",     "August",
                                       "September", "October", "November", "December"};
static const char *const MON_MRZ[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                        "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

/* All printed forms of an ISO date that the documents use. */
static int date_forms(const char *iso, char forms[][64])
{
    int y, m, dd;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &dd) != 3 || m < 1 || m > 12)
        die("bad ISO date '%s'", iso);
    int n = 0;
    snprintf(forms[n++], 64, "%02d.%02d.%04d", dd, m, y);
    snprintf(forms[n++], 64, "%04d-%02d-%02d", y, m, dd);
    snprintf(forms[n++], 64, "%d. gada %d. %s", y, dd, MON_LV[m - 1]);
    snprintf(forms[n++], 64, "%d m. %s %d d.", y, MON_LT[m - 1], dd);
    snprintf(forms[n++], 64, "%d %s %d", dd, MON_RU[m - 1], y);
    snprintf(forms[n++], 64, "%d %s %d", dd, MON_EN[m - 1], y);
    snprintf(forms[n++], 64, "%02d %s %d", dd, MON_MRZ[m - 1], y);
    return n;
}

static int isdig(char c) { return c >= '0' && c <= '9'; }

/* Checks that the truth of d agrees with its rendered lines. */
static void check_doc(const Doc *d)
{
    StrList all = {0};
    for (int pg = 0; pg < d->npages; pg++)
        for (int i = 0; i < d->pages[pg].n; i++)
            if (d->pages[pg].it[i].kind == IT_TEXT)
                sl_add(&all, "%s", d->pages[pg].it[i].text);

    /* Every listed item is printed somewhere. */
    for (int k = 0; k < d->case_numbers.n; k++) {
        int found = 0;
        for (int i = 0; i < all.n && !found; i++)
            found = strstr(all.v[i], d->case_numbers.v[k]) != NULL;
        if (!found)
            die("%s: case number %s not printed", d->file, d->case_numbers.v[k]);
    }
    for (int k = 0; k < d->personal_codes.n; k++) {
        int found = 0;
        for (int i = 0; i < all.n && !found; i++)
            found = strstr(all.v[i], d->personal_codes.v[k]) != NULL;
        if (!found)
            die("%s: personal code %s not printed", d->file, d->personal_codes.v[k]);
    }
    for (int k = 0; k < d->dates.n; k++) {
        char forms[8][64];
        int nf = date_forms(d->dates.v[k], forms), found = 0;
        for (int i = 0; i < all.n && !found; i++)
            for (int f = 0; f < nf && !found; f++)
                found = strstr(all.v[i], forms[f]) != NULL;
        if (!found)
            die("%s: date %s not printed", d->file, d->dates.v[k]);
    }

    /* Everything printed is listed: scan for the shapes. */
    for (int i = 0; i < all.n; i++) {
        const char *s = all.v[i];
        size_t len = strlen(s);
        for (size_t j = 0; j < len; j++) {
            char buf[32];
            if (j > 0 && (isdig(s[j - 1]) || s[j - 1] == '-'))
                continue;
            /* case numbers: PMLP-LV-YYYY-NNNNNN, MD-LT-YYYY-NNNNNN */
            if (strncmp(s + j, "PMLP-LV-", 8) == 0 || strncmp(s + j, "MD-LT-", 6) == 0) {
                size_t e = j;
                while (e < len && (isdig(s[e]) || s[e] == '-' || (s[e] >= 'A' && s[e] <= 'Z')))
                    e++;
                snprintf(buf, sizeof buf, "%.*s", (int)(e - j), s + j);
                if (!sl_has(&d->case_numbers, buf))
                    die("%s: printed case number %s not listed", d->file, buf);
            }
            if (!isdig(s[j]))
                continue;
            size_t e = j;
            while (e < len && isdig(s[e]))
                e++;
            size_t run = e - j;
            if (run == 6 && e + 6 <= len && s[e] == '-' && isdig(s[e + 1]) && isdig(s[e + 5]) &&
                (e + 6 == len || !isdig(s[e + 6]))) {
                snprintf(buf, sizeof buf, "%.12s", s + j);
                if (!sl_has(&d->personal_codes, buf))
                    die("%s: printed LV code %s not listed", d->file, buf);
                if (!lv_valid(buf))
                    die("%s: printed LV code %s has a wrong check digit", d->file, buf);
            }
            if (run == 11) {
                snprintf(buf, sizeof buf, "%.11s", s + j);
                if (!sl_has(&d->personal_codes, buf))
                    die("%s: printed 11-digit code %s not listed", d->file, buf);
                if (lt_check_digit(buf) != buf[10] - '0')
                    die("%s: printed LT code %s has a wrong check digit", d->file, buf);
            }
            if (run == 2 && e + 8 <= len && s[e] == '.' && isdig(s[e + 1]) &&
                isdig(s[e + 2]) && s[e + 3] == '.' && isdig(s[e + 4]) && isdig(s[e + 7])) {
                snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", s + e + 4, s + e + 1, s + j);
                if (!sl_has(&d->dates, buf))
                    die("%s: printed date %s not listed", d->file, buf);
            }
            if (run == 4 && e + 6 <= len && s[e] == '-' && isdig(s[e + 1]) && s[e + 3] == '-') {
                snprintf(buf, sizeof buf, "%.10s", s + j);
                if (!sl_has(&d->dates, buf))
                    die("%s: printed date %s not listed", d->file, buf);
            }
            j = e - 1;
        }
        /* Month words must be inside a listed date's printed form. */
        const char *const *tables[5] = {MON_LV, MON_LT, MON_RU, MON_EN, MON_MRZ};
        for (int t = 0; t < 5; t++) {
            for (int m = 0; m < 12; m++) {
                const char *hit = s;
                while ((hit = strstr(hit, tables[t][m])) != NULL) {
                    size_t pos = (size_t)(hit - s);
                    int covered = 0;
                    for (int k = 0; k < d->dates.n && !covered; k++) {
                        char forms[8][64];
                        int nf = date_forms(d->dates.v[k], forms);
                        for (int f = 0; f < nf && !covered; f++) {
                            const char *h2 = s;
                            while (!covered && (h2 = strstr(h2, forms[f])) != NULL) {
                                size_t a = (size_t)(h2 - s), b = a + strlen(forms[f]);
                                covered = a <= pos && pos < b;
                                h2++;
                            }
                        }
                    }
                    if (!covered)
                        die("%s: month word '%s' outside a listed date in '%s'", d->file,
                            tables[t][m], s);
                    hit++;
                }
            }
        }
    }
    if (d->mrz) {
        for (int k = 0; k < 2; k++) {
            const char *ln = k ? d->mrz->line2 : d->mrz->line1;
            if (!sl_has(&all, ln))
                die("%s: MRZ line %d not rendered", d->file, k + 1);
        }
    }
    sl_free(&all);
}

/* Links: a case is linked when its number or its person's code is printed. */
static void link_cases(Doc *d)
{
    for (int c = 0; c < g_ncases; c++) {
        int hit = 0;
        for (int pg = 0; pg < d->npages && !hit; pg++)
            for (int i = 0; i < d->pages[pg].n && !hit; i++) {
                const Item *it = &d->pages[pg].it[i];
                if (it->kind != IT_TEXT)
                    continue;
                hit = strstr(it->text, g_cases[c].case_number) ||
                      strstr(it->text, g_cases[c].personal_code);
            }
        if (hit)
            sl_add(&d->cases, "%s", g_cases[c].case_number);
    }
    sl_sort_unique(&d->cases);
    sl_sort_unique(&d->case_numbers);
    sl_sort_unique(&d->personal_codes);
    sl_sort_unique(&d->dates);
}

/* ------------------------------------------------------------------------ */
/* Output.                                                                   */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void json_list(FILE *f, const StrList *l)
{
    fputc('[', f);
    for (int i = 0; i < l->n; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, l->v[i]);
    }
    fputc(']', f);
}

static FILE *xfopen(const char *path, const char *mode)
{
    FILE *f = fopen(path, mode);
    if (!f)
        die("cannot open '%s': %s", path, strerror(errno));
    return f;
}

static void xfclose(FILE *f, const char *path)
{
    if (ferror(f) | fclose(f))
        die("cannot write '%s'", path);
}

static void write_truth(const char *outdir, const Doc *d)
{
    char stem[128], path[1024];
    snprintf(stem, sizeof stem, "%s", d->file);
    char *dot_ = strrchr(stem, '.');
    if (dot_)
        *dot_ = '\0';
    snprintf(path, sizeof path, "%s/truth/%s.json", outdir, stem);
    FILE *f = xfopen(path, "w");
    fputs("{\n  \"file\": ", f);
    json_str(f, d->file);
    fputs(",\n  \"format\": ", f);
    json_str(f, d->format);
    fprintf(f, ",\n  \"expect_error\": %s,\n  \"pages\": [", d->expect_error ? "true" : "false");
    for (int pg = 0; pg < d->npages; pg++) {
        const Page *p = &d->pages[pg];
        StrList lines = {0};
        for (int i = 0; i < p->n; i++)
            if (p->it[i].kind == IT_TEXT)
                sl_add(&lines, "%s", p->it[i].text);
        fprintf(f, "%s\n    {\"n\": %d, \"rotation\": %d, \"skew\": %.1f, \"blank\": %s, ",
                pg ? "," : "", pg + 1, p->rotation, p->skew,
                page_is_blank(p) ? "true" : "false");
        fputs("\"lang\": ", f);
        json_str(f, p->lang);
        fputs(",\n     \"lines\": [", f);
        for (int i = 0; i < lines.n; i++) {
            fputs(i ? ",\n       " : "\n       ", f);
            json_str(f, lines.v[i]);
        }
        fputs(lines.n ? "\n     ],\n     \"text\": " : "],\n     \"text\": ", f);
        size_t total = 1;
        for (int i = 0; i < lines.n; i++)
            total += strlen(lines.v[i]) + 1;
        char *text = calloc(1, total);
        if (!text)
            die("out of memory");
        size_t at = 0;
        for (int i = 0; i < lines.n; i++) {
            size_t len = strlen(lines.v[i]);
            if (i)
                text[at++] = '\n';
            memcpy(text + at, lines.v[i], len);
            at += len;
        }
        text[at] = '\0';
        json_str(f, text);
        free(text);
        fputs("}", f);
        sl_free(&lines);
    }
    fputs(d->npages ? "\n  ],\n" : "],\n", f);
    fputs("  \"metadata\": {\n    \"case_numbers\": ", f);
    json_list(f, &d->case_numbers);
    fputs(",\n    \"personal_codes\": ", f);
    json_list(f, &d->personal_codes);
    fputs(",\n    \"dates\": ", f);
    json_list(f, &d->dates);
    fputs(",\n    \"doc_type\": ", f);
    json_str(f, d->doc_type);
    if (d->mrz) {
        const Mrz *z = d->mrz;
        char bd[11], ed[11], sex[2] = {z->sex, 0};
        snprintf(bd, sizeof bd, "%04d-%02d-%02d", z->by, z->bm, z->bd);
        snprintf(ed, sizeof ed, "%04d-%02d-%02d", z->ey, z->em, z->ed);
        const char *kv[][2] = {
            {"format", "TD3"},
            {"document_type", "P"},
            {"issuer", z->issuer},
            {"surname", z->surname},
            {"given_names", z->given_names},
            {"document_number", z->document_number},
            {"nationality", z->nationality},
            {"birth_date", bd},
            {"sex", sex},
            {"expiry_date", ed},
            {"optional_data", z->optional_data},
        };
        fputs(",\n    \"mrz\": {", f);
        for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
            fputs(i ? ",\n            " : "", f);
            json_str(f, kv[i][0]);
            fputs(": ", f);
            json_str(f, kv[i][1]);
        }
        fputs(",\n            \"valid\": true,\n            \"line1\": ", f);
        json_str(f, z->line1);
        fputs(",\n            \"line2\": ", f);
        json_str(f, z->line2);
        fputs("}", f);
    }
    fputs("\n  },\n  \"cases\": ", f);
    json_list(f, &d->cases);
    fputs("\n}\n", f);
    xfclose(f, path);
}

static void write_cases(const char *outdir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/cases.csv", outdir);
    FILE *f = xfopen(path, "w");
    fputs("case_number,personal_code,surname,given_names,birth_date,nationality,case_type,"
          "status,officer\n",
          f);
    for (int i = 0; i < g_ncases; i++) {
        const CaseRow *c = &g_cases[i];
        const char *v[9] = {c->case_number, c->personal_code, c->surname, c->given_names,
                            c->birth_date,  c->nationality,   c->case_type, c->status,
                            c->officer};
        for (int k = 0; k < 9; k++) {
            if (strpbrk(v[k], ",\"\n"))
                die("csv field needs quoting: '%s'", v[k]);
            fprintf(f, "%s%s", k ? "," : "", v[k]);
        }
        fputc('\n', f);
    }
    xfclose(f, path);
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

static void xmkdir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("cannot create '%s': %s", path, strerror(errno));
}

/* Renders, degrades and writes the scan(s) of d. */
static void produce(const char *outdir, Doc *d, Page *broken_src)
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

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: kt_gen_samples OUTDIR\n");
        return 2;
    }
    const char *outdir = argv[1];
    setMsgSeverity(L_SEVERITY_ERROR);
    char path[1024];
    xmkdir(outdir);
    snprintf(path, sizeof path, "%s/scans", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth", outdir);
    xmkdir(path);

    people_init();
    render_init();

    static Page broken_src;
    Doc *docs[] = {doc_lemums(),    doc_prasymas(),  doc_sobesedovanie(),
                   doc_letter(),    doc_passport(),  doc_blank(),
                   doc_intervija(), doc_iesniegums(), doc_broken(&broken_src)};
    const size_t ndocs = sizeof docs / sizeof *docs;

    for (size_t i = 0; i < ndocs; i++) {
        check_doc(docs[i]);
        link_cases(docs[i]);
    }
    write_cases(outdir);
    for (size_t i = 0; i < ndocs; i++) {
        produce(outdir, docs[i], &broken_src);
        write_truth(outdir, docs[i]);
        printf("%s\n", docs[i]->file);
    }

    for (size_t i = 0; i < ndocs; i++) {
        for (int pg = 0; pg < docs[i]->npages; pg++)
            page_free(&docs[i]->pages[pg]);
        sl_free(&docs[i]->case_numbers);
        sl_free(&docs[i]->personal_codes);
        sl_free(&docs[i]->dates);
        sl_free(&docs[i]->cases);
        free(docs[i]);
    }
    page_free(&broken_src);
    g_object_unref(g_ctx);
    return 0;
}
