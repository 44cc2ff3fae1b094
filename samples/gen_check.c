/*
 * gen_check.c - the cross-checks of kt_gen_samples, run before anything is
 * written: every listed case number, personal code and date is printed;
 * every case number, personal code, numeric date or month word printed is
 * listed; check digits are right; the MRZ is rendered. And the case links:
 * a case is linked when its number or its person's code is printed.
 */
#include "gen_private.h"

#include <stdio.h>
#include <string.h>

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
void check_doc(const Doc *d)
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
void link_cases(Doc *d)
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

