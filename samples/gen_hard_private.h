/*
 * gen_hard_private.h - what the files of the hard sample set share
 * (`kt_gen_samples --hard OUTDIR`): the hard document with its extra truth
 * (names, languages, handwriting, a TD1 or MRV-A zone), positioned and
 * bounded text lines, the renderer of hard pages, the marks drawn on a page
 * and the degradations.
 *
 *   gen_hard.c          the driver: documents checked, linked and written
 *   gen_hard_layout.c   measuring text, positioned and bounded lines, the
 *                       renderer of hard pages (cards, columns, tables)
 *   gen_hard_docs_lv.c  the text of the Latvian documents
 *   gen_hard_docs_intl.c the text of the Lithuanian, Russian, English ones
 *   gen_hard_ids.c      the residence permit card (TD1) and the visa (MRV-A)
 *   gen_hard_mrz.c      TD1 and MRV-A zones: building and checking them
 *   gen_hard_marks.c    a stamp, a signature and handwriting (cairo masks)
 *   gen_hard_degrade.c  degradations (Leptonica): shadow, paper, carbon,
 *                       border, holes, staple, ink, speckle, skew
 *   gen_hard_scan.c     the recipe of each file: render, degrade, write
 *   gen_hard_check.c    the checks of gen_check.c plus new-format codes,
 *                       names, handwriting and the zones
 *   gen_hard_truth.c    truth/hard/<stem>.json
 *
 * As in gen_private.h, anything that goes wrong calls die().
 */
#ifndef KT_GEN_HARD_PRIVATE_H
#define KT_GEN_HARD_PRIVATE_H

#include "gen_private.h"

#define MAX_NAMES 4
#define MAX_HAND 12

/* A person's name as printed on the document. */
typedef struct {
    const char *surname, *given_names;
} Name;

/* A TD1 (3 x 30) or MRV-A (2 x 44) zone (ICAO 9303). */
typedef struct {
    const char *format;    /* "TD1" or "MRV-A" */
    const char *doc_code;  /* the first two characters: "IR", "VC" */
    const char *issuer, *surname, *given_names, *document_number, *nationality;
    int by, bm, bd;        /* birth */
    char sex;
    int ey, em, ed;        /* expiry */
    const char *optional_data;   /* line 1 (TD1) or line 2 (MRV-A), no fillers */
    const char *optional_data_2; /* TD1 line 2, no fillers; "" when none */
    int nlines, width;
    char line[3][45];
} IdMrz;

/* Which recipe of gen_hard_scan.c makes the file. */
enum {
    R_LOWRES, R_FOLD, R_STAMP, R_COLUMNS, R_TABLE, R_CARBON, R_HANDNOTE,
    R_BORDER, R_HOLES, R_SKEW10, R_MIXED, R_CARD, R_VISA, R_NEWCODE
};

/* A hard document: the base Doc (d.mrz stays NULL) and the extra truth. */
typedef struct {
    Doc d;
    int recipe;
    int dpi;                 /* resolution of the file: 300 or 150 */
    const char *langs[2];    /* page 1's languages when it has two */
    int nlangs;
    const char *hand[MAX_HAND]; /* the handwritten words of page 1 */
    int nhand;
    Name names[MAX_NAMES];
    int nnames;
    IdMrz *mrz;
    /* what the scan recipe needs of the layout */
    int box_x, box_y, box_w, box_h; /* card, sticker: the clip; else 0 */
    double mrz_pt;                  /* the zone's font size; 0: S_MRZ's */
} HardDoc;

/* ---- gen_hard.c ---- */

/* A calloc'd hard document (the caller frees it with hard_free). */
HardDoc *hard_new(const char *file, const char *format, const char *doc_type, int recipe);
void hard_free(HardDoc *h);
void add_name(HardDoc *h, const char *surname, const char *given_names);
/* Adds the ISO dates of the NULL-terminated list. */
void add_dates(HardDoc *h, const char *const *iso);
/* Writes OUTDIR/hard/<file> and OUTDIR/truth/hard/<stem>.json. */
void produce_hard(const char *outdir);

/* ---- gen_hard_layout.c ---- */

/* Makes and frees the pango context of hard pages (the settings of
 * gen_render.c, so a line renders and measures the same). */
void hard_layout_init(void);
void hard_layout_done(void);
/* The logical size in pixels of text in a style of page p. */
void text_size(const Page *p, int style, const char *text, int *w, int *h);
/* A line at (x, y) (its top left) that must end before xmax; it does not
 * move the flow of the other lines. */
void at(Page *p, int style, int x, int y, int xmax, const char *f, ...)
    __attribute__((format(printf, 6, 7)));
/* A left-aligned flowing line that must end before xmax (a column). */
void bounded(Page *p, int style, int xmax, const char *f, ...)
    __attribute__((format(printf, 4, 5)));
/* Renders a page like render_page, with positioned lines and bounds
 * checked; boxes (IT_RECT) are drawn rect_px wide; S_MRZ lines in OCR B
 * at mrz_pt when > 0 (a card's zone is smaller). 8 bpp grey, A4. */
PIX *hard_render_page(const Page *p, int rect_px, double mrz_pt, const char *what);

/* ---- documents ---- */

HardDoc *hard_lowres_letter(void);   /* gen_hard_docs_lv.c */
HardDoc *hard_stamp_decision(void);
HardDoc *hard_holes_interview(void);
HardDoc *hard_skew10_application(void);
HardDoc *hard_mixed_interview(void);
HardDoc *hard_newcode_certificate(void);
HardDoc *hard_fold_application(void); /* gen_hard_docs_intl.c */
HardDoc *hard_columns_leaflet(void);
HardDoc *hard_table_form(void);
HardDoc *hard_carbon_letter(void);
HardDoc *hard_handnote_letter(void);
HardDoc *hard_border_decision(void);
HardDoc *hard_card_td1(void);        /* gen_hard_ids.c */
HardDoc *hard_visa_mrva(void);

/* The codes of the hard set's new people (gen_hard_docs_lv.c):
 * old_code builds a valid "DDMMYY-CNNNK" (century digit from the year)
 * into out[13]; lt_code11 an 11-digit Lithuanian code into out[12]. */
void old_code(char out[13], int d, int m, int y, const char *serial3);
void lt_code11(char out[12], int d, int m, int y, int female, const char *serial3);
/* Whether s starts a new-format Latvian code "3DNNNN-NNNNN", D 2..9. */
int is_new_code(const char *s);

/* ---- gen_hard_mrz.c ---- */

/* Fills z->line of a TD1 or MRV-A zone from its fields. */
void mrz_build(IdMrz *z);
/* Dies unless every check digit of the zone's lines holds (recomputed from
 * the lines alone, not from the fields). */
void mrz_verify(const IdMrz *z, const char *what);

/* ---- gen_hard_marks.c ---- */

/* An 8 bpp ink mask (0 no ink .. 255 full) of w x h: a round stamp with
 * text on its ring, a signature scribble, handwritten lines in a script
 * font, each drawn with cairo; the caller destroys it. */
PIX *mark_stamp(int diameter, const char *ring, const char *centre1, const char *centre2);
PIX *mark_signature(int w, int h, Rng *rng);
PIX *mark_handwriting(const char *const *lines, int nlines, double pt, Rng *rng);

/* ---- gen_hard_degrade.c (each returns a new PIX; input left alone) ---- */

PIX *hd_skew(PIX *pixs, double deg, int black);
PIX *hd_speckle(PIX *pixs, Rng *rng, int count, int rmax);
PIX *hd_blur(PIX *pixs, int half);
/* Downscaling by f (area map). */
PIX *hd_scale(PIX *pixs, double f);
/* Grey 8 bpp to RGB paper: yellowed tint and faint blotches. */
PIX *hd_yellow_paper(PIX *pixs, Rng *rng);
/* The shadow of a book fold: a dark gradient over the left `width` px. */
PIX *hd_fold_shadow(PIX *pixs, int width, double depth);
/* Ink of colour rgb through mask, multiplied onto 32 bpp pixd at (x, y),
 * strength 0..1 (semi-transparent). In place. */
void hd_ink(PIX *pixd, PIX *mask, int x, int y, int r, int g, int b, double strength);
/* Grey ink mask darkened onto 8 bpp pixd at (x, y), at most to `dark`. */
void hd_ink_grey(PIX *pixd, PIX *mask, int x, int y, int dark);
/* A faint carbon copy: text lightened to about `ink`, blurred, smudged. */
PIX *hd_carbon(PIX *pixs, Rng *rng, int ink);
/* Black scanner borders, uneven, on the left, bottom and top of pixs; dies
 * if they would come near the ink of ref (the same page on white). */
PIX *hd_black_border(PIX *pixs, PIX *ref, Rng *rng);
/* Two punched holes at the left margin and a staple at the top left. */
PIX *hd_holes_staple(PIX *pixs);
/* Light grey background pattern of a security document, then the ink on
 * top (darker of the two). */
PIX *hd_guilloche(PIX *pixs, int x, int y, int w, int h, int grey);

/* ---- gen_hard_scan.c, gen_hard_check.c, gen_hard_truth.c ---- */

void hard_produce(const char *outdir, HardDoc *h);
/* Where the text line `text` of p is drawn: its left, top, size (dies when
 * the page has no such line). gen_hard_layout.c. */
void line_box(const Page *p, const char *text, int *x, int *y, int *w, int *h);
/* check_doc of gen_check.c (new-format codes masked), then the new codes,
 * the names, the handwriting and the zone. */
void hard_check(const HardDoc *h);
void hard_write_truth(const char *outdir, const HardDoc *h);

#endif
