/*
 * gen_hard.c - the hard sample set (`kt_gen_samples --hard OUTDIR`): makes
 * the fourteen documents, checks their truth against their lines, links
 * them to the case table, and writes OUTDIR/hard/<file> and
 * OUTDIR/truth/hard/<stem>.json. gen_hard_private.h lists the other files.
 */
#include "gen_hard_private.h"

#include <stdlib.h>

HardDoc *hard_new(const char *file, const char *format, const char *doc_type, int recipe)
{
    HardDoc *h = calloc(1, sizeof *h);
    if (!h)
        die("out of memory");
    h->d.file = file;
    h->d.format = format;
    h->d.doc_type = doc_type;
    h->d.npages = 1;
    h->recipe = recipe;
    h->dpi = DPI;
    return h;
}

void hard_free(HardDoc *h)
{
    for (int pg = 0; pg < h->d.npages; pg++)
        page_free(&h->d.pages[pg]);
    sl_free(&h->d.case_numbers);
    sl_free(&h->d.personal_codes);
    sl_free(&h->d.dates);
    sl_free(&h->d.cases);
    free(h);
}

void add_name(HardDoc *h, const char *surname, const char *given_names)
{
    if (h->nnames >= MAX_NAMES)
        die("%s: too many names", h->d.file);
    h->names[h->nnames].surname = surname;
    h->names[h->nnames].given_names = given_names;
    h->nnames++;
}

void add_dates(HardDoc *h, const char *const *iso)
{
    for (; *iso; iso++)
        sl_add(&h->d.dates, "%s", *iso);
}

void produce_hard(const char *outdir)
{
    char path[1024];
    xmkdir(outdir);
    snprintf(path, sizeof path, "%s/hard", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth/hard", outdir);
    xmkdir(path);

    people_init();
    hard_layout_init();
    HardDoc *docs[] = {
        hard_lowres_letter(),   hard_fold_application(), hard_stamp_decision(),
        hard_columns_leaflet(), hard_table_form(),       hard_carbon_letter(),
        hard_handnote_letter(), hard_border_decision(),  hard_holes_interview(),
        hard_skew10_application(), hard_mixed_interview(), hard_card_td1(),
        hard_visa_mrva(),       hard_newcode_certificate(),
    };
    const size_t n = sizeof docs / sizeof *docs;
    for (size_t i = 0; i < n; i++) {
        hard_check(docs[i]);
        link_cases(&docs[i]->d);
    }
    for (size_t i = 0; i < n; i++) {
        hard_produce(outdir, docs[i]);
        hard_write_truth(outdir, docs[i]);
        printf("hard/%s\n", docs[i]->d.file);
        hard_free(docs[i]);
    }
    hard_layout_done();
}
