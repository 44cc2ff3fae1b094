/*
 * gen_pdf.c - the PDF samples of kt_gen_samples, written under OUTDIR/pdf
 * with their truth in OUTDIR/truth/pdf/<stem>.json (same format as the
 * scans' truth; kept in a folder of their own because every reader of
 * truth/<stem>.json takes it for a file of scans/):
 *
 *   lv_vestule_digital.pdf     born-digital Latvian letter: Cairo's PDF
 *                              surface writes real text, embedded fonts
 *   lv_intervija_scan.pdf      pages 1 and 2 of scans/lv_intervija_2p.tif as
 *                              images at 300 dpi, no text (page 2 sideways)
 *   lv_pavadvestule_mixed.pdf  page 1 born-digital, page 2 scans/passport_td3.png
 *   en_letter_rotate90.pdf     scans/en_letter.png (stored sideways) on a
 *                              landscape page with /Rotate 90, so that it is
 *                              displayed (and rendered) upright
 *   lv_vestule_user_password.pdf  the letter, AES-256, user password
 *   lv_vestule_owner_only.pdf  the letter, AES-256, owner password only
 *   lv_vestule_truncated.pdf   the letter cut to its first half of bytes
 *   zero_pages.pdf             a valid PDF with /Count 0, written by hand
 *
 * The scan pages are read back from OUTDIR/scans, which main writes first.
 * /Rotate and the encryption are done by qpdf (required: tools/setup.sh
 * installs it). Reproducible bytes: Cairo's creation and modification
 * dates are fixed with cairo_pdf_surface_set_metadata; qpdf is run with
 * --deterministic-id when it only rotates, and with its test-only options
 * --static-id and --static-aes-iv when it encrypts (they make AES-256
 * output repeatable and must never be used for real encryption).
 */
#include "gen_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#define PT_PER_PX (72.0 / DPI)
#define FIXED_DATE "2024-05-06T10:00:00Z"

/* ------------------------------------------------------------------------ */
/* Text pages on a PDF surface.                                              */

static PangoContext *g_pdf_ctx;

/* The pango context of the PDF pages: resolution 300 dpi, as the scans', so
 * that a page description lays out the same; the surface is scaled to
 * points. */
void pdf_ctx_init(void)
{
    PangoFontMap *fm = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm), DPI);
    g_pdf_ctx = pango_font_map_create_context(fm);
    g_object_unref(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(g_pdf_ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(g_pdf_ctx, FALSE);
}

/* Draws the text lines of p on an A4 page of cr (units: points), laid out
 * as gen_render.c lays out a scan; dies when a line wraps, lacks a glyph or
 * leaves the margins. */
void pdf_text_page(cairo_t *cr, const Page *p, const char *what)
{
    cairo_save(cr);
    cairo_scale(cr, PT_PER_PX, PT_PER_PX);
    pango_cairo_update_context(cr, g_pdf_ctx);
    double y = MARGIN;
    int left = MARGIN;
    for (int i = 0; i < p->n; i++) {
        const Item *it = &p->it[i];
        if (it->kind == IT_GAP) {
            y += it->h;
            continue;
        }
        if (it->kind == IT_SETY) {
            y = it->y;
            continue;
        }
        if (it->kind == IT_LEFT) {
            left = it->x;
            continue;
        }
        if (it->kind != IT_TEXT)
            die("%s: only text on a born-digital page", what);
        /* the styles a letter uses; the scans' form styles are not drawn here */
        if (it->style != S_BODY && it->style != S_BOLD && it->style != S_TITLE &&
            it->style != S_HEAD && it->style != S_SMALL)
            die("style %d is not used on a born-digital page", it->style);
        y = render_text_line(g_pdf_ctx, cr, p, it, left, y, what);
    }
    cairo_restore(cr);
}

/* ------------------------------------------------------------------------ */
/* Scan pages: a committed scan's pixels as the page's one image.            */

/* Page n (0-based) of OUTDIR/scans/file as 8 bpp grey; caller destroys. */
static PIX *read_scan(const char *outdir, const char *file, int n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/scans/%s", outdir, file);
    PIX *pix = strstr(file, ".tif") ? pixReadTiff(path, n) : pixRead(path);
    if (!pix)
        die("cannot read '%s' page %d (the scans are written first)", path, n + 1);
    PIX *grey = pixConvertTo8(pix, 0);
    pixDestroy(&pix);
    if (!grey)
        die("cannot make '%s' grey", path);
    return grey;
}

/* Sets the size of the next page of sf to the pixels of pix at 300 dpi and
 * draws them as one image filling the page (Cairo stores an image of grey
 * pixels as an 8-bit DeviceGray image, Flate). */
static void pdf_scan_page(cairo_surface_t *sf, cairo_t *cr, PIX *pix)
{
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
    cairo_pdf_surface_set_size(sf, w * PT_PER_PX, h * PT_PER_PX);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS)
        die("cannot make an image of %d x %d", w, h);
    cairo_surface_flush(img);
    unsigned char *dst = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    const l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int r = 0; r < h; r++) {
        uint32_t *d = (uint32_t *)(void *)(dst + (size_t)r * stride);
        const l_uint32 *s = data + (size_t)r * wpl;
        for (int c = 0; c < w; c++) {
            uint32_t v = GET_DATA_BYTE(s, c);
            d[c] = (v << 16) | (v << 8) | v;
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_save(cr);
    cairo_scale(cr, PT_PER_PX, PT_PER_PX);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_FAST);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

/* A new PDF surface at path with fixed metadata (no clock in the bytes); the
 * first page is A4 unless the first drawing sets its size. */
cairo_surface_t *pdf_open(const char *path, const char *title)
{
    cairo_surface_t *sf = cairo_pdf_surface_create(path, PAGE_W * PT_PER_PX, PAGE_H * PT_PER_PX);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS)
        die("cannot make '%s'", path);
    cairo_pdf_surface_restrict_to_version(sf, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "kt_gen_samples");
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATE_DATE, FIXED_DATE);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_MOD_DATE, FIXED_DATE);
    return sf;
}

void pdf_close(cairo_surface_t *sf, cairo_t *cr, const char *path)
{
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS)
        die("cannot write '%s': %s", path, cairo_status_to_string(cairo_surface_status(sf)));
    cairo_surface_destroy(sf);
}

/* ------------------------------------------------------------------------ */
/* Files and qpdf.                                                           */

/* The whole of path (malloc'd, caller frees) and its size in *len. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = xfopen(path, "rb");
    if (fseek(f, 0, SEEK_END) != 0)
        die("cannot seek '%s'", path);
    long n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
        die("cannot size '%s'", path);
    unsigned char *b = malloc((size_t)n + 1);
    if (!b)
        die("out of memory");
    if (fread(b, 1, (size_t)n, f) != (size_t)n)
        die("cannot read '%s'", path);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void spill(const char *path, const void *data, size_t len)
{
    FILE *f = xfopen(path, "wb");
    if (fwrite(data, 1, len, f) != len)
        die("cannot write '%s'", path);
    xfclose(f, path);
}

/* Runs qpdf with argv (argv[0] "qpdf", NULL-terminated); dies unless it
 * exits 0. */
static void run_qpdf(char *const argv[])
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        execvp("qpdf", argv);
        fprintf(stderr, "kt_gen_samples: cannot run qpdf: %s (install qpdf: tools/setup.sh "
                        "deps)\n", strerror(errno));
        _exit(127);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die("qpdf %s failed", argv[1]);
}

/* ------------------------------------------------------------------------ */
/* The documents.                                                            */

/* The born-digital letter: an employer's letter about Ahmad Karimi. */
static Doc *doc_vestule(void)
{
    Doc *d = calloc(1, sizeof *d);
    if (!d)
        die("out of memory");
    d->file = "lv_vestule_digital.pdf";
    d->format = "pdf";
    d->doc_type = "letter";
    d->npages = 1;
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "SIA „Ziemeļu Loģistika”");
    line(p, S_SMALL, AL_CENTER, "Reģ. Nr. 4010398765, Krasta iela 52, Rīga, LV-1019");
    gap(p, 90);
    L(p, "Pilsonības un migrācijas lietu pārvaldei");
    L(p, "Čiekurkalna 1. līnija 1, k-3, Rīga, LV-1026");
    gap(p, 60);
    L(p, "Rīgā, 2023. gada 20. aprīlī");
    L(p, "Nr. ZL-117");
    gap(p, 60);
    line(p, S_TITLE, AL_CENTER, "VĒSTULE");
    line(p, S_BODY, AL_CENTER, "par darba attiecību apstiprināšanu");
    gap(p, 60);
    L(p, "Lieta Nr. PMLP-LV-2023-004571");
    gap(p, 30);
    L(p, "SIA „Ziemeļu Loģistika” apliecina, ka Ahmad Karimi, personas kods");
    L(p, "%s, strādā uzņēmumā par noliktavas pārzini kopš 01.02.2023.", code_karimi);
    L(p, "Darba līgums ir noslēgts uz nenoteiktu laiku, darba alga ir");
    L(p, "1450 EUR mēnesī pirms nodokļu nomaksas.");
    L(p, "Darbinieks ir čakls, precīzs un ievēro darba kārtības noteikumus.");
    L(p, "Ģimenes apstākļi un dzīvesvieta Ķengaragā uzņēmumam ir zināmi.");
    L(p, "Lūdzam ņemt vērā šo vēstuli, izskatot viņa iesniegumu.");
    L(p, "Pielikumā: darba līguma kopija uz 3 lapām.");
    gap(p, 60);
    L(p, "Ar cieņu");
    L(p, "valdes locekle Žanna Ošiņa");
    L(p, "Tālrunis +371 67 123 456, e-pasts birojs@ziemelu-logistika.lv");

    sl_add(&d->case_numbers, "PMLP-LV-2023-004571");
    sl_add(&d->personal_codes, "%s", code_karimi);
    sl_add(&d->dates, "2023-04-20");
    sl_add(&d->dates, "2023-02-01");
    return d;
}

/* The born-digital cover page of the mixed document (Nazari's lawyer). */
static void page_pavadvestule(Page *p)
{
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Zvērinātu advokātu birojs „Daugavmala”");
    line(p, S_SMALL, AL_CENTER, "Elizabetes iela 21, Rīga, LV-1010");
    gap(p, 90);
    L(p, "Pilsonības un migrācijas lietu pārvaldei");
    gap(p, 60);
    L(p, "Rīgā, 2024. gada 5. aprīlī");
    gap(p, 60);
    line(p, S_TITLE, AL_CENTER, "PAVADVĒSTULE");
    gap(p, 60);
    L(p, "Lieta Nr. PMLP-LV-2024-000912");
    gap(p, 30);
    L(p, "Pārstāvot Farid Nazari, personas kods %s, nosūtām", code_nazari);
    L(p, "viņa ārzemnieka pases datu lapas kopiju (1 lapa).");
    L(p, "Lūdzam pievienot to lietai un ņemt vērā, izskatot iesniegumu.");
    gap(p, 60);
    L(p, "Ar cieņu");
    L(p, "zvērināts advokāts Ģirts Ķēniņš");
}

/* A document d of the PDF set: file, its pages copied from src (page
 * indexes in `which`, -1 ends; the texts stay owned by src) and src's
 * lists. */
static Doc *doc_from(const char *file, const char *doc_type, const Doc *src, const int *which)
{
    Doc *d = calloc(1, sizeof *d);
    if (!d)
        die("out of memory");
    d->file = file;
    d->format = "pdf";
    d->doc_type = doc_type;
    for (; src && *which >= 0; which++)
        d->pages[d->npages++] = src->pages[*which];
    if (src) {
        for (int i = 0; i < src->case_numbers.n; i++)
            sl_add(&d->case_numbers, "%s", src->case_numbers.v[i]);
        for (int i = 0; i < src->personal_codes.n; i++)
            sl_add(&d->personal_codes, "%s", src->personal_codes.v[i]);
        for (int i = 0; i < src->dates.n; i++)
            sl_add(&d->dates, "%s", src->dates.v[i]);
        d->mrz = src->mrz;
    }
    return d;
}

/* A document that must fail: no pages, no lists. */
static Doc *doc_failing(const char *file)
{
    Doc *d = doc_from(file, "other", NULL, NULL);
    d->expect_error = 1;
    return d;
}

/* Frees the lists of d and d; pages only when owns_pages. */
static void doc_free(Doc *d, int owns_pages)
{
    if (!d)
        return;
    for (int pg = 0; owns_pages && pg < d->npages; pg++)
        page_free(&d->pages[pg]);
    sl_free(&d->case_numbers);
    sl_free(&d->personal_codes);
    sl_free(&d->dates);
    sl_free(&d->cases);
    free(d);
}

/* Checks d, links its cases and writes OUTDIR/truth/pdf/<stem>.json. */
static void pdf_truth(const char *outdir, Doc *d)
{
    check_doc(d);
    link_cases(d);
    truth_into(outdir, "pdf", d);
}

/* Writes OUTDIR/truth/SUB/<stem>.json of d: write_truth writes under the
 * staging folder OUTDIR/truth/SUB/.stage/truth (made by the caller), and the
 * file is moved into place. */
void truth_into(const char *outdir, const char *sub, const Doc *d)
{
    char stage[1024], from[1200], to[1200], stem[128];
    snprintf(stage, sizeof stage, "%s/truth/%s/.stage", outdir, sub);
    write_truth(stage, d);
    snprintf(stem, sizeof stem, "%s", d->file);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    snprintf(from, sizeof from, "%s/truth/%s.json", stage, stem);
    snprintf(to, sizeof to, "%s/truth/%s/%s.json", outdir, sub, stem);
    if (rename(from, to) != 0)
        die("cannot move '%s' to '%s': %s", from, to, strerror(errno));
    printf("%s/%s\n", sub, d->file);
}

/* ------------------------------------------------------------------------ */
/* The files.                                                                */

/* Writes a valid PDF with no pages (/Count 0), offsets computed. */
static void write_zero_pages(const char *path)
{
    static const char *const obj[] = {
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n",
    };
    char buf[1024];
    size_t at = 0, off[2];
    at += (size_t)snprintf(buf + at, sizeof buf - at, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
    for (int i = 0; i < 2; i++) {
        off[i] = at;
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s", obj[i]);
    }
    size_t xref = at;
    at += (size_t)snprintf(buf + at, sizeof buf - at, "xref\n0 3\n0000000000 65535 f \n");
    for (int i = 0; i < 2; i++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%010zu 00000 n \n", off[i]);
    at += (size_t)snprintf(buf + at, sizeof buf - at,
                           "trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    if (at >= sizeof buf)
        die("zero-page PDF too long");
    spill(path, buf, at);
}

/* Writes the PDF samples and their truth (see the head of this file). */
void produce_pdfs(const char *outdir)
{
    char dir[1024], path[1200], tmp[1200], path2[1200];
    snprintf(dir, sizeof dir, "%s/pdf", outdir);
    xmkdir(dir);
    snprintf(path, sizeof path, "%s/truth/pdf", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth/pdf/.stage", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth/pdf/.stage/truth", outdir);
    xmkdir(path);
    pdf_ctx_init();

    /* 1. the born-digital letter */
    Doc *letter = doc_vestule();
    snprintf(path, sizeof path, "%s/%s", dir, letter->file);
    cairo_surface_t *sf = pdf_open(path, "Vēstule par darba attiecībām");
    cairo_t *cr = cairo_create(sf);
    pdf_text_page(cr, &letter->pages[0], letter->file);
    pdf_close(sf, cr, path);
    pdf_truth(outdir, letter);

    /* 2. two pages of the interview scan */
    Doc *intervija = doc_intervija();
    const int two[] = {0, 1, -1};
    Doc *scanned = doc_from("lv_intervija_scan.pdf", "interview", intervija, two);
    snprintf(path, sizeof path, "%s/%s", dir, scanned->file);
    sf = pdf_open(path, "Pārrunu protokols (skenēts)");
    cr = cairo_create(sf);
    for (int pg = 0; pg < 2; pg++) {
        PIX *pix = read_scan(outdir, "lv_intervija_2p.tif", pg);
        pdf_scan_page(sf, cr, pix);
        cairo_show_page(cr);
        pixDestroy(&pix);
    }
    pdf_close(sf, cr, path);
    pdf_truth(outdir, scanned);

    /* 3. mixed: a born-digital cover page and the passport scan */
    Doc *passport = doc_passport();
    const int first[] = {0, -1};
    Doc *mixed = doc_from("lv_pavadvestule_mixed.pdf", "letter", passport, first);
    mixed->pages[1] = mixed->pages[0];
    page_pavadvestule(&mixed->pages[0]);
    mixed->npages = 2;
    sl_add(&mixed->case_numbers, "PMLP-LV-2024-000912");
    sl_add(&mixed->dates, "2024-04-05");
    snprintf(path, sizeof path, "%s/%s", dir, mixed->file);
    sf = pdf_open(path, "Pavadvēstule ar pases kopiju");
    cr = cairo_create(sf);
    pdf_text_page(cr, &mixed->pages[0], mixed->file);
    cairo_show_page(cr);
    PIX *pix = read_scan(outdir, "passport_td3.png", 0);
    pdf_scan_page(sf, cr, pix);
    pixDestroy(&pix);
    pdf_close(sf, cr, path);
    pdf_truth(outdir, mixed);
    page_free(&mixed->pages[0]);

    /* 4. the sideways English letter on a landscape page, /Rotate 90 by qpdf:
     * displayed upright, so its truth has rotation 0 */
    Doc *en = doc_letter();
    Doc *rotated = doc_from("en_letter_rotate90.pdf", "letter", en, first);
    rotated->pages[0].rotation = 0;
    snprintf(tmp, sizeof tmp, "%s/.unrotated.pdf", dir);
    sf = pdf_open(tmp, "Confirmation of employment");
    cr = cairo_create(sf);
    pix = read_scan(outdir, "en_letter.png", 0);
    pdf_scan_page(sf, cr, pix);
    pixDestroy(&pix);
    pdf_close(sf, cr, tmp);
    snprintf(path, sizeof path, "%s/%s", dir, rotated->file);
    run_qpdf((char *const[]){"qpdf", "--deterministic-id", "--rotate=+90:1", tmp, path, NULL});
    if (unlink(tmp) != 0)
        die("cannot remove '%s'", tmp);
    pdf_truth(outdir, rotated);

    /* 5. the letter encrypted (AES-256): with a user password, and with an
     * owner password only (the empty user password opens it) */
    snprintf(tmp, sizeof tmp, "%s/%s", dir, letter->file);
    Doc *locked = doc_failing("lv_vestule_user_password.pdf");
    snprintf(path, sizeof path, "%s/%s", dir, locked->file);
    run_qpdf((char *const[]){"qpdf", "--static-id", "--static-aes-iv", "--encrypt",
                             "lietotajs-2023", "ipasnieks-2023", "256", "--", tmp, path, NULL});
    pdf_truth(outdir, locked);
    Doc *owner = doc_from("lv_vestule_owner_only.pdf", "letter", letter, first);
    snprintf(path, sizeof path, "%s/%s", dir, owner->file);
    run_qpdf((char *const[]){"qpdf", "--static-id", "--static-aes-iv", "--encrypt", "",
                             "ipasnieks-2023", "256", "--", tmp, path, NULL});
    pdf_truth(outdir, owner);

    /* 6. the letter cut to its first half of bytes; a PDF with no pages */
    size_t len = 0;
    unsigned char *bytes = slurp(tmp, &len);
    Doc *cut = doc_failing("lv_vestule_truncated.pdf");
    snprintf(path, sizeof path, "%s/%s", dir, cut->file);
    spill(path, bytes, len / 2);
    free(bytes);
    pdf_truth(outdir, cut);
    Doc *zero = doc_failing("zero_pages.pdf");
    snprintf(path2, sizeof path2, "%s/%s", dir, zero->file);
    write_zero_pages(path2);
    pdf_truth(outdir, zero);

    snprintf(path, sizeof path, "%s/truth/pdf/.stage/truth", outdir);
    snprintf(path2, sizeof path2, "%s/truth/pdf/.stage", outdir);
    if (rmdir(path) != 0 || rmdir(path2) != 0)
        die("cannot remove the staging folder '%s': %s", path2, strerror(errno));

    doc_free(zero, 0);
    doc_free(cut, 0);
    doc_free(owner, 0);
    doc_free(locked, 0);
    doc_free(rotated, 0);
    doc_free(en, 1);
    doc_free(mixed, 0);
    doc_free(passport, 1);
    doc_free(scanned, 0);
    doc_free(intervija, 1);
    doc_free(letter, 1);
    pdf_ctx_free();
}

void pdf_ctx_free(void)
{
    g_object_unref(g_pdf_ctx);
    g_pdf_ctx = NULL;
}
