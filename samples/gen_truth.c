/*
 * gen_truth.c - what kt_gen_samples writes besides the scans:
 * truth/<stem>.json for each document (format in samples/README.md; the
 * layout of the JSON text is fixed, so that two runs give the same bytes)
 * and cases.csv, the case table.
 */
#include "gen_private.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Output.                                                                   */

void json_str(FILE *f, const char *s)
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

void json_lines_text(FILE *f, const StrList *lines)
{
    fputs(",\n     \"lines\": [", f);
    for (int i = 0; i < lines->n; i++) {
        fputs(i ? ",\n       " : "\n       ", f);
        json_str(f, lines->v[i]);
    }
    fputs(lines->n ? "\n     ],\n     \"text\": " : "],\n     \"text\": ", f);
    size_t total = 1;
    for (int i = 0; i < lines->n; i++)
        total += strlen(lines->v[i]) + 1;
    char *text = calloc(1, total);
    if (!text)
        die("out of memory");
    size_t at = 0;
    for (int i = 0; i < lines->n; i++) {
        size_t len = strlen(lines->v[i]);
        if (i)
            text[at++] = '\n';
        memcpy(text + at, lines->v[i], len);
        at += len;
    }
    text[at] = '\0';
    json_str(f, text);
    free(text);
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

FILE *truth_begin(const char *dir, const Doc *d, char *path, size_t size)
{
    char stem[128];
    snprintf(stem, sizeof stem, "%s", d->file);
    char *dot_ = strrchr(stem, '.');
    if (dot_)
        *dot_ = '\0';
    snprintf(path, size, "%s/%s.json", dir, stem);
    FILE *f = xfopen(path, "w");
    fputs("{\n  \"file\": ", f);
    json_str(f, d->file);
    fputs(",\n  \"format\": ", f);
    json_str(f, d->format);
    fprintf(f, ",\n  \"expect_error\": %s,\n  \"pages\": [", d->expect_error ? "true" : "false");
    return f;
}

void write_truth(const char *outdir, const Doc *d)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/truth", outdir);
    FILE *f = truth_begin(dir, d, path, sizeof path);
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
        json_lines_text(f, &lines);
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

void write_cases(const char *outdir)
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

