/*
 * gen_hard_truth.c - truth/hard/<stem>.json of a hard document: the layout
 * of gen_truth.c's files (so that what reads the other truth files reads these), plus
 * "langs" and "handwriting" on a page where they apply, "names" in the
 * metadata, and a TD1 ("line3", "optional_data_2") or MRV-A zone. The JSON
 * text is laid out the same way on every run.
 */
#include "gen_hard_private.h"

#include <stdlib.h>
#include <string.h>

static void jlist(FILE *f, const char *const *v, int n)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, v[i]);
    }
    fputc(']', f);
}

static void jstrlist(FILE *f, const StrList *l)
{
    jlist(f, (const char *const *)l->v, l->n);
}

static void write_page(FILE *f, const HardDoc *h, int pg)
{
    const Page *p = &h->d.pages[pg];
    StrList lines = {0};
    for (int i = 0; i < p->n; i++)
        if (p->it[i].kind == IT_TEXT)
            sl_add(&lines, "%s", p->it[i].text);
    fprintf(f, "%s\n    {\"n\": %d, \"rotation\": %d, \"skew\": %.1f, \"blank\": %s, ",
            pg ? "," : "", pg + 1, p->rotation, p->skew, page_is_blank(p) ? "true" : "false");
    fputs("\"lang\": ", f);
    json_str(f, p->lang);
    if (pg == 0 && h->nlangs) {
        fputs(", \"langs\": ", f);
        jlist(f, h->langs, h->nlangs);
    }
    json_lines_text(f, &lines);
    if (pg == 0 && h->nhand) {
        fputs(",\n     \"handwriting\": ", f);
        jlist(f, h->hand, h->nhand);
    }
    fputs("}", f);
    sl_free(&lines);
}

static void write_mrz(FILE *f, const IdMrz *z)
{
    char bd[11], ed[11], sex[2] = {z->sex, 0};
    snprintf(bd, sizeof bd, "%04d-%02d-%02d", z->by, z->bm, z->bd);
    snprintf(ed, sizeof ed, "%04d-%02d-%02d", z->ey, z->em, z->ed);
    const char *kv[][2] = {
        {"format", z->format},
        {"document_type", z->doc_code},
        {"issuer", z->issuer},
        {"surname", z->surname},
        {"given_names", z->given_names},
        {"document_number", z->document_number},
        {"nationality", z->nationality},
        {"birth_date", bd},
        {"sex", sex},
        {"expiry_date", ed},
        {"optional_data", z->optional_data},
        {"optional_data_2", z->optional_data_2},
    };
    fputs(",\n    \"mrz\": {", f);
    for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
        if (kv[i][1] == NULL || (i == 11 && kv[i][1][0] == '\0'))
            continue; /* optional_data_2: TD1 only, and only when there is some */
        fputs(i ? ",\n            " : "", f);
        json_str(f, kv[i][0]);
        fputs(": ", f);
        json_str(f, kv[i][1]);
    }
    fputs(",\n            \"valid\": true", f);
    for (int l = 0; l < z->nlines; l++) {
        fprintf(f, ",\n            \"line%d\": ", l + 1);
        json_str(f, z->line[l]);
    }
    fputs("}", f);
}

void hard_write_truth(const char *outdir, const HardDoc *h)
{
    const Doc *d = &h->d;
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/truth/hard", outdir);
    FILE *f = truth_begin(dir, d, path, sizeof path);
    for (int pg = 0; pg < d->npages; pg++)
        write_page(f, h, pg);
    fputs(d->npages ? "\n  ],\n" : "],\n", f);
    fputs("  \"metadata\": {\n    \"case_numbers\": ", f);
    jstrlist(f, &d->case_numbers);
    fputs(",\n    \"personal_codes\": ", f);
    jstrlist(f, &d->personal_codes);
    fputs(",\n    \"dates\": ", f);
    jstrlist(f, &d->dates);
    fputs(",\n    \"doc_type\": ", f);
    json_str(f, d->doc_type);
    fputs(",\n    \"names\": [", f);
    for (int k = 0; k < h->nnames; k++) {
        fputs(k ? ",\n              {\"surname\": " : "{\"surname\": ", f);
        json_str(f, h->names[k].surname);
        fputs(", \"given_names\": ", f);
        json_str(f, h->names[k].given_names);
        fputs("}", f);
    }
    fputs("]", f);
    if (h->mrz)
        write_mrz(f, h->mrz);
    fputs("\n  },\n  \"cases\": ", f);
    jstrlist(f, &d->cases);
    fputs("\n}\n", f);
    xfclose(f, path);
}
