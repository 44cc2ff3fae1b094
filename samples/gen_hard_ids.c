/*
 * gen_hard_ids.c - the layouts of the hard set's identity documents: a
 * Latvian residence permit card (ID-1, 85.6 x 54 mm = 1011 x 638 px, a TD1
 * zone under the printed fields) of Ahmad Karimi, and a Latvian Schengen
 * visa sticker (120 x 80 mm = 1417 x 945 px, an MRV-A zone) of Priya Raman.
 * Each is laid out on an A4 page, centred across (so AL_CENTER centres on
 * it), and cut out by the scan recipe at box_*. Fields sit in a grid; the
 * truth reads the grid by visual lines: the labels of a row left to right,
 * then their values.
 */
#include "gen_hard_private.h"

/* A row of up to three label-over-value fields at x[k], ending at xe[k]. */
static void field_row(Page *p, int y, int gap_px, const int *x, const int *xe,
                      const char *const *label, const char *const *value, int n)
{
    for (int k = 0; k < n; k++)
        at(p, S_BODY, x[k], y, xe[k], "%s", label[k]);
    for (int k = 0; k < n; k++)
        at(p, S_BOLD, x[k], y + gap_px, xe[k], "%s", value[k]);
}

/* 12. A residence permit card with a TD1 zone, upright. */
HardDoc *hard_card_td1(void)
{
    static IdMrz z;
    static char opt[12];
    snprintf(opt, sizeof opt, "%.6s%.5s", code_karimi, code_karimi + 7);
    z = (IdMrz){.format = "TD1", .doc_code = "IR", .issuer = "LVA", .surname = "KARIMI",
                .given_names = "AHMAD", .document_number = "RP0472215", .nationality = "AFG",
                .by = 1991, .bm = 7, .bd = 22, .sex = 'M', .ey = 2024, .em = 3, .ed = 13,
                .optional_data = opt, .optional_data_2 = ""};
    mrz_build(&z);

    HardDoc *h = hard_new("lv_atlauja_td1.png", "png", "identity", R_CARD);
    const int W = 1011, H = 638, X = (PAGE_W - W) / 2, Y = 400;
    h->box_x = X, h->box_y = Y, h->box_w = W, h->box_h = H;
    h->mrz_pt = 10; /* 30 px a character: ICAO's 10 per inch */
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Sans Condensed", 6.2, "lav");
    at(p, S_HEAD, X + 36, Y + 22, X + W - 30, "LATVIJAS REPUBLIKA");
    at(p, S_HEAD, X + 36, Y + 60, X + W - 30, "UZTURĒŠANĀS ATĻAUJA / RESIDENCE PERMIT");
    rect(p, IT_PHOTO, X + 36, Y + 118, 210, 270);
    const int x[2] = {X + 262, X + 692}, xe[2] = {X + 684, X + W - 12};
    static const char *const l1[] = {"Uzvārds / Surname", "Kartes Nr. / Card No."};
    static const char *const v1[] = {"KARIMI", "RP0472215"};
    static const char *const l2[] = {"Vārds / Given names", "Dzimums / Sex"};
    static const char *const v2[] = {"AHMAD", "M"};
    static const char *const l3[] = {"Dzimšanas datums / Date of birth", "Pilsonība / Nationality"};
    static const char *const v3[] = {"22.07.1991", "AFG"};
    static const char *const l4[] = {"Personas kods / Personal code", "Derīga līdz / Valid until"};
    static const char *const v4[] = {code_karimi, "13.03.2024"};
    field_row(p, Y + 116, 29, x, xe, l1, v1, 2);
    field_row(p, Y + 192, 29, x, xe, l2, v2, 2);
    field_row(p, Y + 268, 29, x, xe, l3, v3, 2);
    field_row(p, Y + 344, 29, x, xe, l4, v4, 2);
    for (int l = 0; l < 3; l++)
        at(p, S_MRZ, X + 55, Y + 446 + 50 * l, X + W - 20, "%s", z.line[l]);

    sl_add(&h->d.personal_codes, "%s", code_karimi);
    static const char *const dates[] = {"1991-07-22", "2024-03-13", NULL};
    add_dates(h, dates);
    add_name(h, "KARIMI", "AHMAD");
    h->mrz = &z;
    return h;
}

/* 13. A Schengen visa sticker with an MRV-A zone, upright. */
HardDoc *hard_visa_mrva(void)
{
    static IdMrz z;
    z = (IdMrz){.format = "MRVA", .doc_code = "VC", .issuer = "LVA", .surname = "RAMAN",
                .given_names = "PRIYA", .document_number = "LV0214583", .nationality = "IND",
                .by = 1994, .bm = 2, .bd = 9, .sex = 'F', .ey = 2025, .em = 8, .ed = 4,
                .optional_data = ""};
    mrz_build(&z);

    HardDoc *h = hard_new("visa_mrva.png", "png", "identity", R_VISA);
    const int W = 1417, H = 945, X = (PAGE_W - W) / 2, Y = 400;
    h->box_x = X, h->box_y = Y, h->box_w = W, h->box_h = H;
    h->mrz_pt = 10;
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Sans Condensed", 6.8, "lav");
    at(p, S_TITLE, X + 40, Y + 36, X + 700, "VĪZA / VISA");
    at(p, S_HEAD, X + 1060, Y + 44, X + W - 30, "Nr. LV0214583");
    rect(p, IT_PHOTO, X + 40, Y + 150, 300, 380);
    const int x[3] = {X + 360, X + 755, X + 1105};
    const int xe[3] = {X + 748, X + 1098, X + W - 20};
    static const char *const l1[] = {"DERĪGA / VALID FOR", "NO / FROM", "LĪDZ / UNTIL"};
    static const char *const v1[] = {"ŠENGENAS VALSTĪM", "05.05.2025", "04.08.2025"};
    static const char *const l2[] = {"VĪZAS VEIDS / TYPE OF VISA", "IEBRAUKŠANAS / ENTRIES",
                                     "DIENAS / DAYS"};
    static const char *const v2[] = {"C", "MULT", "90"};
    static const char *const l3[] = {"IZDOTA / ISSUED IN", "DATUMS / ON"};
    static const char *const v3[] = {"RĪGA", "28.04.2025"};
    static const char *const l4[] = {"PASES NR. / NUMBER OF PASSPORT"};
    static const char *const v4[] = {"Z7162094"};
    static const char *const l5[] = {"UZVĀRDS, VĀRDS / SURNAME, NAME"};
    static const char *const v5[] = {"RAMAN, PRIYA"};
    static const char *const l6[] = {"PIEZĪMES / NOTES"};
    static const char *const v6[] = {"UZAICINĀTĀJS SIA ZIEMEĻU DATI"};
    const int xw[1] = {X + W - 30};
    field_row(p, Y + 150, 36, x, xe, l1, v1, 3);
    field_row(p, Y + 245, 36, x, xe, l2, v2, 3);
    field_row(p, Y + 340, 36, x, xe, l3, v3, 2);
    field_row(p, Y + 435, 36, x, xw, l4, v4, 1);
    field_row(p, Y + 530, 36, x, xw, l5, v5, 1);
    field_row(p, Y + 625, 36, x, xw, l6, v6, 1);
    for (int l = 0; l < 2; l++)
        at(p, S_MRZ, X + 45, Y + 790 + 56 * l, X + W - 30, "%s", z.line[l]);

    static const char *const dates[] = {"2025-05-05", "2025-08-04", "2025-04-28", NULL};
    add_dates(h, dates);
    add_name(h, "RAMAN", "PRIYA");
    h->mrz = &z;
    return h;
}
