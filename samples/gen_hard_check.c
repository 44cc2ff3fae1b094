/*
 * gen_hard_check.c - the checks of a hard document before anything is
 * written. gen_check.c's check_doc runs on a copy whose new-format Latvian
 * codes (3DNNNN-NNNNN, no check digit) are masked, since check_doc reads
 * every DDMMYY-NNNNN as an old code with a check digit; the new codes are
 * then checked here: every one printed is listed and every one listed is
 * printed. Also: the names are printed, the MRZ lines are rendered and
 * their check digits hold.
 */
#include "gen_hard_private.h"

#include <stdlib.h>
#include <string.h>

static int dig(char c) { return c >= '0' && c <= '9'; }

int is_new_code(const char *s)
{
    if (s[0] != '3' || s[1] < '2' || s[1] > '9')
        return 0;
    for (int i = 2; i < 12; i++)
        if (i == 6 ? s[i] != '-' : !dig(s[i]))
            return 0;
    return !dig(s[12]);
}

/* The new codes printed in s, added to out. */
static void find_new_codes(const char *s, StrList *out)
{
    size_t len = strlen(s);
    for (size_t j = 0; j + 12 <= len; j++)
        if ((j == 0 || (!dig(s[j - 1]) && s[j - 1] != '-')) && is_new_code(s + j))
            sl_add(out, "%.12s", s + j);
}

/* A malloc'd copy of s with every new code replaced by "[new code]". */
static char *mask_new_codes(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    if (!out)
        die("out of memory");
    size_t o = 0;
    for (size_t j = 0; j < len;) {
        if (j + 12 <= len && (j == 0 || (!dig(s[j - 1]) && s[j - 1] != '-')) &&
            is_new_code(s + j)) {
            memcpy(out + o, "[new code]", 10); /* 10 bytes replace 12 */
            o += 10;
            j += 12;
        } else {
            out[o++] = s[j++];
        }
    }
    out[o] = '\0';
    return out;
}

static void copy_list(StrList *to, const StrList *from, int skip_new)
{
    for (int i = 0; i < from->n; i++)
        if (!skip_new || !is_new_code(from->v[i]))
            sl_add(to, "%s", from->v[i]);
}

static int printed(const Doc *d, const char *s)
{
    for (int pg = 0; pg < d->npages; pg++)
        for (int i = 0; i < d->pages[pg].n; i++)
            if (d->pages[pg].it[i].kind == IT_TEXT && strstr(d->pages[pg].it[i].text, s))
                return 1;
    return 0;
}

static int line_is(const Doc *d, const char *s)
{
    for (int pg = 0; pg < d->npages; pg++)
        for (int i = 0; i < d->pages[pg].n; i++)
            if (d->pages[pg].it[i].kind == IT_TEXT && strcmp(d->pages[pg].it[i].text, s) == 0)
                return 1;
    return 0;
}

void hard_check(const HardDoc *h)
{
    const Doc *d = &h->d;
    const char *f = d->file;

    /* check_doc on a copy with the new codes masked */
    Doc *shadow = calloc(1, sizeof *shadow);
    if (!shadow)
        die("out of memory");
    shadow->file = d->file;
    shadow->format = d->format;
    shadow->doc_type = d->doc_type;
    shadow->npages = d->npages;
    StrList found = {0};
    for (int pg = 0; pg < d->npages; pg++) {
        shadow->pages[pg] = d->pages[pg];
        for (int i = 0; i < d->pages[pg].n; i++) {
            Item *it = &shadow->pages[pg].it[i];
            it->text = it->kind == IT_TEXT ? mask_new_codes(it->text) : NULL;
            if (it->kind == IT_TEXT)
                find_new_codes(d->pages[pg].it[i].text, &found);
        }
    }
    copy_list(&shadow->case_numbers, &d->case_numbers, 0);
    copy_list(&shadow->personal_codes, &d->personal_codes, 1);
    copy_list(&shadow->dates, &d->dates, 0);
    check_doc(shadow);
    for (int pg = 0; pg < shadow->npages; pg++)
        page_free(&shadow->pages[pg]);
    sl_free(&shadow->case_numbers);
    sl_free(&shadow->personal_codes);
    sl_free(&shadow->dates);
    free(shadow);

    /* the new codes */
    for (int k = 0; k < found.n; k++)
        if (!sl_has(&d->personal_codes, found.v[k]))
            die("%s: printed new-format code %s not listed", f, found.v[k]);
    for (int k = 0; k < d->personal_codes.n; k++)
        if (is_new_code(d->personal_codes.v[k]) && !sl_has(&found, d->personal_codes.v[k]))
            die("%s: new-format code %s not printed", f, d->personal_codes.v[k]);
    sl_free(&found);

    /* names, as printed */
    for (int k = 0; k < h->nnames; k++)
        if (!printed(d, h->names[k].surname) || !printed(d, h->names[k].given_names))
            die("%s: name %s, %s not printed", f, h->names[k].surname, h->names[k].given_names);

    /* the handwriting is not a line of the page */
    for (int k = 0; k < h->nhand; k++)
        if (line_is(d, h->hand[k]))
            die("%s: handwritten '%s' is a printed line", f, h->hand[k]);

    /* the zone: check digits, rendered, its name among the names (its dates
     * count only where the visual zone prints them: check_doc) */
    if (h->mrz) {
        const IdMrz *z = h->mrz;
        mrz_verify(z, f);
        for (int l = 0; l < z->nlines; l++)
            if (!line_is(d, z->line[l]))
                die("%s: MRZ line %d not rendered", f, l + 1);
        int named = 0;
        for (int k = 0; k < h->nnames; k++)
            named |= strcmp(h->names[k].surname, z->surname) == 0;
        if (!named)
            die("%s: the MRZ surname %s is not among the names", f, z->surname);
    }
}
