/*
 * gen_linking.c - the linking samples of kt_gen_samples: born-digital PDFs
 * (one page each, real text, no OCR needed to read them) under
 * OUTDIR/linking, with their truth in OUTDIR/truth/linking/<stem>.json, each
 * made for one rule of docs/cases.md "Linking":
 *
 *   link_mrz_kovalenko.pdf        a copy of Oleg Kovalenko's Ukrainian
 *                                 passport: no case number, no personal
 *                                 code, only the MRZ (and the labelled name
 *                                 and birth date) say who he is
 *   link_near_number_tkachenko.pdf  a letter whose case number has one digit
 *                                 wrong (PMLP-LV-2021-007784 for ...754, as
 *                                 OCR misreads it), with Iryna Tkachenko's
 *                                 name and birth date: together enough
 *   link_near_number_only.pdf     a notice whose case number is one digit
 *                                 off Nazari's and nothing else: the rules
 *                                 must not link it, only suggest it ("review")
 *   link_unrelated_liepina.pdf    a landlord's letter about a person not in
 *                                 the case records, born on Karimi's
 *                                 birthday: must link to nothing
 *
 * The truth's "cases" are the cases the document belongs to; "review" (only
 * when not empty) those the rules must leave to a person (a suggestion in
 * the review queue, not a link).
 */
#include "gen_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

static Doc *new_doc(const char *file, const char *doc_type)
{
    Doc *d = calloc(1, sizeof *d);
    if (!d)
        die("out of memory");
    d->file = file;
    d->format = "pdf";
    d->doc_type = doc_type;
    d->npages = 1;
    return d;
}

static Mrz mrz_kovalenko;

static Doc *doc_mrz_kovalenko(void)
{
    Doc *d = new_doc("link_mrz_kovalenko.pdf", "identity");
    Mrz *z = &mrz_kovalenko;
    memset(z, 0, sizeof *z);
    z->issuer = "UKR";
    z->surname = "KOVALENKO";
    z->given_names = "OLEG";
    z->document_number = "FT7724519";
    z->nationality = "UKR";
    z->by = 1979, z->bm = 11, z->bd = 2;
    z->sex = 'M';
    z->ey = 2030, z->em = 5, z->ed = 17;
    z->optional_data = "";
    mrz_td3(z);
    d->mrz = z;
    Page *p = &d->pages[0];
    /* monospaced, so the MRZ lines are set as on the document (a text PDF
     * needs no OCR-B face, and Cairo cannot embed that one) */
    page_init(p, "DejaVu Sans Mono", 10, "eng");
    line(p, S_HEAD, AL_CENTER, "UKRAINE / УКРАЇНА");
    line(p, S_BODY, AL_CENTER, "PASSPORT / ПАСПОРТ (copy)");
    gap(p, 90);
    L(p, "Passport No.: FT7724519");
    L(p, "Surname: KOVALENKO");
    L(p, "Given names: OLEG");
    L(p, "Nationality: UKRAINE");
    L(p, "Date of birth: 02.11.1979");
    L(p, "Sex: M");
    L(p, "Date of expiry: 17.05.2030");
    gap(p, 120);
    L(p, "%s", z->line1);
    L(p, "%s", z->line2);
    sl_add(&d->dates, "1979-11-02");
    sl_add(&d->dates, "2030-05-17");
    return d;
}

static Doc *doc_near_tkachenko(void)
{
    Doc *d = new_doc("link_near_number_tkachenko.pdf", "letter");
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Biedrība „Patvērums — Drošā māja”");
    gap(p, 90);
    L(p, "Pilsonības un migrācijas lietu pārvaldei");
    gap(p, 60);
    L(p, "Rīgā, 12.09.2021.");
    gap(p, 60);
    line(p, S_TITLE, AL_CENTER, "VĒSTULE");
    gap(p, 60);
    L(p, "Lieta Nr. PMLP-LV-2021-007784");
    gap(p, 30);
    L(p, "Vārds, uzvārds: Iryna Tkachenko");
    L(p, "Dzimšanas datums: 30.06.2001.");
    gap(p, 30);
    L(p, "Apliecinām, ka minētā persona no 01.09.2021. dzīvo biedrības");
    L(p, "patversmē un apmeklē latviešu valodas kursus.");
    gap(p, 60);
    L(p, "Ar cieņu");
    L(p, "valdes priekšsēdētāja Ilze Kļaviņa");
    sl_add(&d->case_numbers, "PMLP-LV-2021-007784");
    sl_add(&d->dates, "2021-09-12");
    sl_add(&d->dates, "2001-06-30");
    sl_add(&d->dates, "2021-09-01");
    sl_add(&d->cases, "PMLP-LV-2021-007754");
    return d;
}

static Doc *doc_near_only(StrList *review)
{
    Doc *d = new_doc("link_near_number_only.pdf", "other");
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "PAZIŅOJUMS");
    gap(p, 60);
    L(p, "Lieta Nr. PMLP-LV-2024-000812");
    gap(p, 30);
    L(p, "Informējam, ka lietas izskatīšanas termiņš ir pagarināts");
    L(p, "par vienu mēnesi. Papildu dokumenti nav jāiesniedz.");
    gap(p, 60);
    L(p, "Rīgā, 03.06.2024.");
    sl_add(&d->case_numbers, "PMLP-LV-2024-000812");
    sl_add(&d->dates, "2024-06-03");
    sl_add(&d->cases, "PMLP-LV-2024-000912");
    sl_add(review, "PMLP-LV-2024-000912");
    return d;
}

static Doc *doc_unrelated(void)
{
    Doc *d = new_doc("link_unrelated_liepina.pdf", "other");
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    L(p, "Dzīvokļa īpašnieks Jānis Ozols");
    L(p, "Ganību dambis 17, Rīga, LV-1045");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "IZZIŅA");
    gap(p, 60);
    L(p, "Vārds, uzvārds: Marta Liepiņa");
    L(p, "Dzimšanas datums: 22.07.1991.");
    gap(p, 30);
    L(p, "Izsniegta apliecināšanai, ka minētā persona īrē dzīvokli");
    L(p, "kopš 15.01.2022. un īres maksu maksā laikā.");
    gap(p, 60);
    L(p, "Rīgā, 10.02.2024.");
    sl_add(&d->dates, "1991-07-22");
    sl_add(&d->dates, "2022-01-15");
    sl_add(&d->dates, "2024-02-10");
    return d;
}

/* Writes the truth of d, with "review" added before its last line. */
static void linking_truth(const char *outdir, Doc *d, const StrList *review)
{
    char path[1200], stem[128];
    check_doc(d);
    sl_sort_unique(&d->cases);
    sl_sort_unique(&d->case_numbers);
    sl_sort_unique(&d->personal_codes);
    sl_sort_unique(&d->dates);
    truth_into(outdir, "linking", d);
    if (review->n == 0)
        return;
    snprintf(stem, sizeof stem, "%s", d->file);
    *strrchr(stem, '.') = '\0';
    snprintf(path, sizeof path, "%s/truth/linking/%s.json", outdir, stem);
    FILE *f = fopen(path, "r+");
    if (!f || fseek(f, -3, SEEK_END) != 0) /* before "\n}\n" */
        die("cannot reopen '%s': %s", path, strerror(errno));
    fputs(",\n  \"review\": [", f);
    for (int i = 0; i < review->n; i++)
        fprintf(f, "%s\"%s\"", i ? ", " : "", review->v[i]);
    fputs("]\n}\n", f);
    if (fclose(f) != 0)
        die("cannot write '%s'", path);
}

void produce_linking(const char *outdir)
{
    char dir[1024], path[1200];
    StrList none = {0}, review = {0};
    snprintf(dir, sizeof dir, "%s/linking", outdir);
    xmkdir(dir);
    snprintf(path, sizeof path, "%s/truth/linking", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth/linking/.stage", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth/linking/.stage/truth", outdir);
    xmkdir(path);
    pdf_ctx_init();

    Doc *docs[4] = {doc_mrz_kovalenko(), doc_near_tkachenko(), doc_near_only(&review),
                    doc_unrelated()};
    for (int i = 0; i < 4; i++) {
        Doc *d = docs[i];
        snprintf(path, sizeof path, "%s/%s", dir, d->file);
        cairo_surface_t *sf = pdf_open(path, d->file);
        cairo_t *cr = cairo_create(sf);
        pdf_text_page(cr, &d->pages[0], d->file);
        pdf_close(sf, cr, path);
        if (d == docs[0])
            sl_add(&d->cases, "PMLP-LV-2022-003310");
        linking_truth(outdir, d, i == 2 ? &review : &none);
        page_free(&d->pages[0]);
        sl_free(&d->cases);
        sl_free(&d->case_numbers);
        sl_free(&d->personal_codes);
        sl_free(&d->dates);
        free(d);
    }
    sl_free(&review);
    snprintf(path, sizeof path, "%s/truth/linking/.stage/truth", outdir);
    char stage[1200];
    snprintf(stage, sizeof stage, "%s/truth/linking/.stage", outdir);
    if (rmdir(path) != 0 || rmdir(stage) != 0)
        die("cannot remove the staging folder '%s': %s", stage, strerror(errno));
    pdf_ctx_free();
}
