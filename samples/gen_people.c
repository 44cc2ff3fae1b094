/*
 * gen_people.c - the invented people of kt_gen_samples and their numbers
 * with check digits: Latvian personal codes (DDMMYY-CNNNK), Lithuanian ones
 * (GYYMMDDNNNK), the two lines of Farid Nazari's TD3 passport MRZ (ICAO
 * 9303), and the case table (cases.csv) that the documents link to.
 */
#include "gen_private.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* Personal codes and MRZ.                                                   */

/* Latvian code DDMMYY-CNNNN + check digit; returns the check digit or -1
 * when the weighted sum gives 10 (no valid code with these digits). */
static int lv_check_digit(const char *d10)
{
    static const int w[10] = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int s = 0;
    for (int i = 0; i < 10; i++)
        s += (d10[i] - '0') * w[i];
    int c = ((1101 - s) % 11 + 11) % 11;
    return c == 10 ? -1 : c;
}

/* Whether "DDMMYY-NNNNN" has a correct check digit. */
int lv_valid(const char *code)
{
    char d10[11];
    if (strlen(code) != 12 || code[6] != '-')
        return 0;
    snprintf(d10, sizeof d10, "%.6s%.4s", code, code + 7);
    return lv_check_digit(d10) == code[11] - '0';
}

/* Builds "DDMMYY-CNNNK" into out[13]. */
static void lv_code(char out[13], int d, int m, int y, const char *serial3)
{
    int c = y < 1900 ? 0 : y < 2000 ? 1 : 2;
    char d10[11];
    snprintf(d10, sizeof d10, "%02d%02d%02d%d%s", d, m, y % 100, c, serial3);
    int k = lv_check_digit(d10);
    if (k < 0)
        die("serial %s gives no valid Latvian check digit", serial3);
    snprintf(out, 13, "%.6s-%.4s%c", d10, d10 + 6, (char)('0' + k % 10));
}

/* Lithuanian check digit for the first 10 digits of GYYMMDDNNNK. */
int lt_check_digit(const char *d10)
{
    static const int w1[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1};
    static const int w2[10] = {3, 4, 5, 6, 7, 8, 9, 1, 2, 3};
    int s = 0;
    for (int i = 0; i < 10; i++)
        s += (d10[i] - '0') * w1[i];
    if (s % 11 != 10)
        return s % 11;
    s = 0;
    for (int i = 0; i < 10; i++)
        s += (d10[i] - '0') * w2[i];
    return s % 11 == 10 ? 0 : s % 11;
}

/* Builds the 11-digit Lithuanian code into out[12]; female selects G. */
static void lt_code(char out[12], int d, int m, int y, int female, const char *serial3)
{
    int g = (y < 2000 ? 3 : 5) + (female ? 1 : 0);
    char d10[11];
    snprintf(d10, sizeof d10, "%d%02d%02d%02d%s", g, y % 100, m, d, serial3);
    snprintf(out, 12, "%s%d", d10, lt_check_digit(d10));
}

/* ICAO 9303 check digit over s[0..n-1]: weights 7,3,1; A-Z = 10..35; '<' = 0. */
int mrz_check_digit(const char *s, size_t n)
{
    static const int w[3] = {7, 3, 1};
    unsigned sum = 0; /* unsigned: the compiler sees a result of 0..9 */
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        char c = s[i];
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else if (c == '<')
            v = 0;
        else
            die("bad MRZ character '%c'", c);
        sum += (unsigned)(v * w[i % 3]);
    }
    return (int)(sum % 10);
}

/* Pads s with '<' to width n into out (n + 1 bytes). */
void mrz_pad(char *out, const char *s, size_t n)
{
    size_t len = strlen(s);
    if (len > n)
        die("MRZ field '%s' longer than %zu", s, n);
    memcpy(out, s, len);
    memset(out + len, '<', n - len);
    out[n] = '\0';
}


/* Fills line1/line2 of a TD3 passport MRZ. */
void mrz_td3(Mrz *z)
{
    char name[80], f[45];
    snprintf(name, sizeof name, "%s<<%s", z->surname, z->given_names);
    for (char *p = name; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '<';
    mrz_pad(f, name, 39);
    if (strlen(z->issuer) != 3)
        die("issuer must have 3 letters");
    memcpy(z->line1, "P<", 2);
    memcpy(z->line1 + 2, z->issuer, 3);
    memcpy(z->line1 + 5, f, 40); /* 39 characters and the NUL */

    char num[10], opt[15], birth[16], exp[16];
    mrz_pad(num, z->document_number, 9);
    mrz_pad(opt, z->optional_data, 14);
    snprintf(birth, sizeof birth, "%02d%02d%02d", z->by % 100, z->bm, z->bd);
    snprintf(exp, sizeof exp, "%02d%02d%02d", z->ey % 100, z->em, z->ed);
    if (strlen(birth) != 6 || strlen(exp) != 6)
        die("bad MRZ date");
    char l2[64];
    snprintf(l2, sizeof l2, "%s%d%s%s%d%c%s%d%s%d", num, mrz_check_digit(num, 9), z->nationality,
             birth, mrz_check_digit(birth, 6), z->sex, exp, mrz_check_digit(exp, 6), opt,
             mrz_check_digit(opt, 14));
    if (strlen(l2) != 43)
        die("MRZ line 2 has %zu characters before the composite", strlen(l2));
    /* Composite: positions 1-10, 14-20, 22-43 (1-based). */
    char comp[40];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    snprintf(z->line2, sizeof z->line2, "%.43s%c", l2, (char)('0' + mrz_check_digit(comp, 39)));
    if (strlen(z->line1) != 44 || strlen(z->line2) != 44)
        die("MRZ lines must be 44 characters");
}


/* ------------------------------------------------------------------------ */
/* The people and the case table.                                           */

/* The people (invented). */
char code_karimi[13], code_kovalenko[13], code_nazari[13], code_tkachenko[13];
char code_mammadova[12];
Mrz mrz_nazari;

CaseRow g_cases[5];
const int g_ncases = 5;

void people_init(void)
{
    lv_code(code_karimi, 22, 7, 1991, "472");
    lv_code(code_kovalenko, 2, 11, 1979, "385");
    lv_code(code_nazari, 14, 3, 1988, "296");
    lv_code(code_tkachenko, 30, 6, 2001, "148");
    lt_code(code_mammadova, 11, 4, 1995, 1, "217");

    CaseRow rows[5] = {
        {"PMLP-LV-2021-007754", "", "Tkachenko", "Iryna", "2001-06-30", "UKR", "asylum",
         "closed", "R. Ozoliņa"},
        {"PMLP-LV-2022-003310", "", "Kovalenko", "Oleg", "1979-11-02", "UKR",
         "residence_permit", "open", "M. Kalniņš"},
        {"PMLP-LV-2023-004571", "", "Karimi", "Ahmad", "1991-07-22", "AFG",
         "residence_permit", "decided", "I. Bērziņa"},
        {"PMLP-LV-2024-000912", "", "Nazari", "Farid", "1988-03-14", "AFG",
         "residence_permit_extension", "open", "I. Bērziņa"},
        {"MD-LT-2022-001288", "", "Mammadova", "Leyla", "1995-04-11", "AZE",
         "residence_permit_extension", "open", "A. Petrauskienė"},
    };
    const char *codes[5] = {code_tkachenko, code_kovalenko, code_karimi, code_nazari,
                            code_mammadova};
    for (int i = 0; i < 5; i++) {
        g_cases[i] = rows[i];
        snprintf(g_cases[i].personal_code, sizeof g_cases[i].personal_code, "%s", codes[i]);
    }

    Mrz *z = &mrz_nazari;
    memset(z, 0, sizeof *z);
    z->issuer = "LVA";
    z->surname = "NAZARI";
    z->given_names = "FARID";
    z->document_number = "AP0381572";
    z->nationality = "AFG";
    z->by = 1988, z->bm = 3, z->bd = 14;
    z->sex = 'M';
    z->ey = 2029, z->em = 1, z->ed = 8;
    static char opt[12];
    snprintf(opt, sizeof opt, "%.6s%.5s", code_nazari, code_nazari + 7);
    z->optional_data = opt;
    mrz_td3(z);
}
