/*
 * gen_private.h - what the files of kt_gen_samples share: page geometry,
 * errors, the PRNG, string lists, codes and MRZ, the page description, the
 * documents and the case table.
 *
 *   gen_samples.c  main: the nine documents checked, linked and written
 *   gen_util.c     errors, formatted strings, splitmix64, string lists, files
 *   gen_people.c   the people: personal codes, the TD3 MRZ, the case table
 *   gen_page.c     the page description: lines, gaps, boxes (no rendering)
 *   gen_render.c   rendering a page with pango+cairo into a Leptonica PIX
 *   gen_docs.c     the people, the case table and the text of each document
 *   gen_check.c    cross-checks of the truth against the lines, case links
 *   gen_scan.c     degradations (Leptonica) and the scan file of each document
 *   gen_truth.c    truth/<stem>.json and cases.csv
 *   gen_pdf.c      the PDF samples: pdf/<file>.pdf and truth/pdf/<stem>.json
 *   gen_hard*.c    the hard samples (--hard; gen_hard_private.h)
 *
 * Anything that goes wrong calls die(), which ends the program: no function
 * here returns an error.
 */
#ifndef KT_GEN_PRIVATE_H
#define KT_GEN_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* ------------------------------------------------------------------------ */
/* Errors, strings, files (gen_util.c).                                      */

/* Prints "kt_gen_samples: " and the message on stderr and exits 1. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* A malloc'd copy of s (the caller frees it); dies when out of memory. */
char *xstrdup(const char *s);

/* A malloc'd formatted string of at most 511 bytes (the caller frees it);
 * dies when longer. */
char *vfmt(const char *fmt, va_list ap);

/* fopen that dies when the file cannot be opened; xfclose dies when the
 * file could not be written; xmkdir makes a folder unless it exists. */
FILE *xfopen(const char *path, const char *mode);
void xfclose(FILE *f, const char *path);
void xmkdir(const char *path);

/* ------------------------------------------------------------------------ */
/* Deterministic PRNG: splitmix64.                                           */

typedef struct {
    uint64_t s;
} Rng;

/* The next number of the stream; rng_range: uniform integer in [lo, hi]. */
uint64_t rng_next(Rng *r);
int rng_range(Rng *r, int lo, int hi);

/* ------------------------------------------------------------------------ */
/* String lists.                                                             */

typedef struct {
    char *v[MAX_LIST];
    int n;
} StrList;

/* Adds a formatted string (owned by the list); dies when the list is full. */
void sl_add(StrList *l, const char *f, ...) __attribute__((format(printf, 2, 3)));
/* Whether the list holds s. */
int sl_has(const StrList *l, const char *s);
/* Sorts and drops duplicates. */
void sl_sort_unique(StrList *l);
/* Frees the strings and empties the list. */
void sl_free(StrList *l);

/* ------------------------------------------------------------------------ */
/* Personal codes, MRZ and the people (gen_people.c).                       */

/* Whether "DDMMYY-NNNNN" has a correct check digit. */
int lv_valid(const char *code);
/* Lithuanian check digit for the first 10 digits of GYYMMDDNNNK. */
int lt_check_digit(const char *d10);

/* ICAO 9303 check digit over s[0..n-1]: weights 7, 3, 1; A-Z = 10..35;
 * '<' = 0; dies on any other character. */
int mrz_check_digit(const char *s, size_t n);

/* s padded with '<' to width n into out (n + 1 bytes); dies when longer. */
void mrz_pad(char *out, const char *s, size_t n);

typedef struct {
    const char *issuer, *surname, *given_names, *document_number, *nationality;
    int by, bm, bd; /* birth */
    char sex;
    int ey, em, ed; /* expiry */
    const char *optional_data; /* without fillers */
    char line1[45], line2[45];
} Mrz;

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

/* ------------------------------------------------------------------------ */
/* Page description (gen_page.c).                                            */

/* Starts an empty page (no rotation or skew, spacing 0.45). */
void page_init(Page *p, const char *family, double pt, const char *lang);
/* Adds a text line (formatted; non-empty, no line break); it must fit. */
void line(Page *p, int style, int align, const char *f, ...) __attribute__((format(printf, 4, 5)));
#define L(p, ...) line((p), S_BODY, AL_LEFT, __VA_ARGS__)
/* A vertical gap of px, the next line at y, the left edge of the next lines
 * at x, and a box (IT_RECT) or a photo (IT_PHOTO). */
void gap(Page *p, int px);
void set_y(Page *p, int y);
void set_left(Page *p, int x);
void rect(Page *p, int kind, int x, int y, int w, int h);
/* Whether the page has no text line. */
int page_is_blank(const Page *p);
/* Frees the lines and empties the page. */
void page_free(Page *p);

/* ------------------------------------------------------------------------ */
/* Rendering (gen_render.c).                                                 */

/* Makes the pango context of every page; render_done frees it. */
void render_init(void);
void render_done(void);
/* Renders a page upright; returns an 8 bpp grey PIX, caller destroys. `what`
 * names the document in a message. */
PIX *render_page(const Page *p, const char *what);
/* The font of a text style on page p (pango; caller frees). */
PangoFontDescription *style_font(const Page *p, int style);
/* Draws the text item it at (left or aligned, y) on cr with ctx, the pango
 * context of cr's surface (a scan's, or gen_pdf.c's for born-digital pages);
 * dies when the line wraps, lacks a glyph or leaves the margins. Returns the
 * y of the next line. */
double render_text_line(PangoContext *ctx, cairo_t *cr, const Page *p, const Item *it, int left,
                        double y, const char *what);

/* ------------------------------------------------------------------------ */
/* Documents (gen_docs.c).                                                   */

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

/* The people (invented), their codes and Nazari's MRZ (gen_people.c);
 * people_init fills them and the case table, before any document is made. */
extern char code_karimi[13], code_kovalenko[13], code_nazari[13], code_tkachenko[13];
extern char code_mammadova[12];
extern Mrz mrz_nazari;
void people_init(void);

/* The case table (cases.csv; gen_people.c). */
extern CaseRow g_cases[5];
extern const int g_ncases;

/* The nine documents, each calloc'd (the caller frees it); doc_broken
 * describes its page in *source, which the caller keeps to render it. */
Doc *doc_lemums(void);
Doc *doc_prasymas(void);
Doc *doc_sobesedovanie(void);
Doc *doc_letter(void);
Doc *doc_passport(void);
Doc *doc_blank(void);
Doc *doc_intervija(void);
Doc *doc_iesniegums(void);
Doc *doc_broken(Page *source);

/* ------------------------------------------------------------------------ */
/* Checks, scans, truth.                                                     */

/* Dies unless the truth of d agrees with its rendered lines (gen_check.c). */
void check_doc(const Doc *d);
/* Lists the cases d links to and sorts its lists (gen_check.c). */
void link_cases(Doc *d);
/* Renders, degrades and writes the scan(s) of d under outdir/scans
 * (gen_scan.c); broken_src is the page of broken_scan.tif. */
void produce(const char *outdir, Doc *d, Page *broken_src);
/* Writes outdir/truth/<stem>.json of d (gen_truth.c). */
void write_truth(const char *outdir, const Doc *d);
/* Writes outdir/cases.csv (gen_truth.c). */
void write_cases(const char *outdir);

/* Writes the PDF samples under outdir/pdf and their truth under
 * outdir/truth/pdf (gen_pdf.c); reads the scans produce() wrote, and runs
 * qpdf. */
void produce_pdfs(const char *outdir);

/* What gen_linking.c shares of gen_pdf.c: the pango context of born-digital
 * pages (made by pdf_ctx_init, freed by pdf_ctx_free), a page of text lines
 * drawn on cr (the letter styles), a new PDF surface with fixed
 * metadata and its closing, and d's truth written as
 * OUTDIR/truth/SUB/<stem>.json (through the staging folder
 * OUTDIR/truth/SUB/.stage/truth, which the caller makes and removes). */
void pdf_ctx_init(void);
void pdf_ctx_free(void);
void pdf_text_page(cairo_t *cr, const Page *p, const char *what);
cairo_surface_t *pdf_open(const char *path, const char *title);
void pdf_close(cairo_surface_t *sf, cairo_t *cr, const char *path);
void truth_into(const char *outdir, const char *sub, const Doc *d);

/* Fills line1/line2 of a TD3 passport MRZ from its fields (gen_people.c). */
void mrz_td3(Mrz *z);

/* s as a JSON string on f (quotes, backslashes, line breaks and control
 * characters escaped; UTF-8 as it is) (gen_truth.c). */
void json_str(FILE *f, const char *s);

/* A truth page's ",\n "lines": [...],\n "text": "..."": the lines, then
 * their text joined by line breaks (gen_truth.c). */
void json_lines_text(FILE *f, const StrList *lines);

/* DIR/<file without extension>.json (its name into path) opened, its head
 * written up to the opening of "pages" (gen_truth.c); the caller writes the
 * rest and closes it. */
FILE *truth_begin(const char *dir, const Doc *d, char *path, size_t size);

/* A pango context at DPI with grey antialiasing, no hinting, glyph
 * positions unrounded, as every page is laid out (gen_render.c). */
PangoContext *render_context_new(void);

/* A white A4 cairo surface (*sf) and its context for ctx (gen_render.c). */
cairo_t *page_canvas(PangoContext *ctx, cairo_surface_t **sf);

/* The green channel of an A4 cairo image surface as an 8-bit Leptonica
 * page at DPI; destroys sf (gen_render.c). */
PIX *surface_pix(cairo_surface_t *sf);

/* Writes the linking samples under outdir/linking and their truth under
 * outdir/truth/linking (gen_linking.c): born-digital PDFs whose case links
 * test each rule of docs/cases.md; the truth's "cases" are the cases each
 * document belongs to, whether the rules may link it or must leave it to
 * the review queue ("review"). */
void produce_linking(const char *outdir);

#endif
