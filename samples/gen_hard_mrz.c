/*
 * gen_hard_mrz.c - the machine readable zones of the hard set (ICAO Doc
 * 9303): TD1 (ID-1 cards, 3 lines of 30) and MRV-A (visas, 2 lines of 44).
 * Built from their fields and verified again from the finished lines alone.
 * The check digit and the padding are those of gen_people.c's TD3 zone,
 * written again here, so that gen_people.c (static helpers, the committed
 * TD3 zone) stays untouched; mrz_verify recomputes every check digit.
 *
 * TD1  line 1: type 2, issuer 3, document number 9, check, optional 15
 *      line 2: birth 6, check, sex, expiry 6, check, nationality 3,
 *              optional 11, composite check over line 1 positions 6-30,
 *              line 2 positions 1-7, 9-15 and 19-29
 *      line 3: SURNAME<<GIVEN<NAMES in 30
 * MRV-A line 1: type 2 ("V" first), issuer 3, names 39
 *      line 2: document number 9, check, nationality 3, birth 6, check,
 *              sex, expiry 6, check, optional 16 (no composite)
 */
#include "gen_hard_private.h"

#include <string.h>

/* SURNAME<<GIVEN<NAMES padded to n. */
static void mrz_names(char *out, const IdMrz *z, size_t n)
{
    char name[96];
    snprintf(name, sizeof name, "%s<<%s", z->surname, z->given_names);
    for (char *p = name; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '<';
    mrz_pad(out, name, n);
}

static void yymmdd(char out[7], int y, int m, int d)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%02d%02d%02d", y % 100, m, d);
    if (strlen(buf) != 6)
        die("bad MRZ date %d-%d-%d", y, m, d);
    memcpy(out, buf, 7);
}

void mrz_build(IdMrz *z)
{
    char num[10], birth[7], exp[7], names[45];
    if (strlen(z->issuer) != 3 || strlen(z->nationality) != 3 || strlen(z->doc_code) != 2)
        die("MRZ: issuer, nationality and type must have 3, 3 and 2 characters");
    mrz_pad(num, z->document_number, 9);
    yymmdd(birth, z->by, z->bm, z->bd);
    yymmdd(exp, z->ey, z->em, z->ed);
    memset(z->line, 0, sizeof z->line);
    if (strcmp(z->format, "TD1") == 0) {
        char opt[16], opt2[12], comp[64];
        z->nlines = 3;
        z->width = 30;
        mrz_pad(opt, z->optional_data, 15);
        mrz_pad(opt2, z->optional_data_2, 11);
        snprintf(z->line[0], 45, "%s%s%s%d%s", z->doc_code, z->issuer, num, mrz_check_digit(num, 9),
                 opt);
        char l2[32];
        snprintf(l2, sizeof l2, "%s%d%c%s%d%s%s", birth, mrz_check_digit(birth, 6), z->sex, exp,
                 mrz_check_digit(exp, 6), z->nationality, opt2);
        if (strlen(l2) != 29)
            die("TD1 line 2 has %zu characters before the composite", strlen(l2));
        memcpy(comp, z->line[0] + 5, 25);
        memcpy(comp + 25, l2, 7);
        memcpy(comp + 32, l2 + 8, 7);
        memcpy(comp + 39, l2 + 18, 11);
        snprintf(z->line[1], 45, "%s%d", l2, mrz_check_digit(comp, 50));
        mrz_names(names, z, 30);
        snprintf(z->line[2], 45, "%s", names);
    } else if (strcmp(z->format, "MRVA") == 0) {
        char opt[17];
        z->nlines = 2;
        z->width = 44;
        if (z->doc_code[0] != 'V')
            die("MRV-A: the type must start with V");
        mrz_names(names, z, 39);
        snprintf(z->line[0], 45, "%s%s%s", z->doc_code, z->issuer, names);
        mrz_pad(opt, z->optional_data, 16);
        snprintf(z->line[1], 45, "%s%d%s%s%d%c%s%d%s", num, mrz_check_digit(num, 9), z->nationality,
                 birth, mrz_check_digit(birth, 6), z->sex, exp, mrz_check_digit(exp, 6), opt);
    } else {
        die("MRZ: unknown format '%s'", z->format);
    }
    mrz_verify(z, z->format);
}

/* The check digit at line[l][at] over line[l][from..from+n-1]. */
static int holds(const IdMrz *z, int l, int from, int n, int at)
{
    return mrz_check_digit(z->line[l] + from, (size_t)n) == z->line[l][at] - '0';
}

void mrz_verify(const IdMrz *z, const char *what)
{
    for (int l = 0; l < z->nlines; l++) {
        if ((int)strlen(z->line[l]) != z->width)
            die("%s: MRZ line %d has %zu characters", what, l + 1, strlen(z->line[l]));
        for (const char *c = z->line[l]; *c; c++)
            if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '<'))
                die("%s: MRZ line %d has '%c'", what, l + 1, *c);
    }
    int ok;
    if (z->nlines == 3) {
        char comp[64];
        memcpy(comp, z->line[0] + 5, 25);
        memcpy(comp + 25, z->line[1], 7);
        memcpy(comp + 32, z->line[1] + 8, 7);
        memcpy(comp + 39, z->line[1] + 18, 11);
        ok = holds(z, 0, 5, 9, 14) && holds(z, 1, 0, 6, 6) && holds(z, 1, 8, 6, 14) &&
             mrz_check_digit(comp, 50) == z->line[1][29] - '0';
    } else {
        ok = z->line[0][0] == 'V' && holds(z, 1, 0, 9, 9) && holds(z, 1, 13, 6, 19) &&
             holds(z, 1, 21, 6, 27);
    }
    if (!ok)
        die("%s: an MRZ check digit does not hold", what);
}
