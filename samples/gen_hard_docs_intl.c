/*
 * gen_hard_docs_intl.c - the text of the hard set's Lithuanian, Russian and
 * English documents: an application under a book fold's shadow, a leaflet
 * in two columns, a form of ruled cells, a faint carbon copy, a letter with
 * a handwritten note, a decision inside black scanner borders. Every
 * person, number and company is invented; Mammadova is in the case table.
 */
#include "gen_hard_private.h"

#include <string.h>

/* 2. A Lithuanian application on yellowed paper under a book fold. */
HardDoc *hard_fold_application(void)
{
    static char code[12];
    lt_code11(code, 23, 10, 1987, 0, "146");
    HardDoc *h = hard_new("lt_prasymas_raukle.jpg", "jpeg", "application", R_FOLD);
    Page *p = &h->d.pages[0];
    page_init(p, "Liberation Serif", 12, "lit");
    set_left(p, 1300);
    L(p, "Arman Sultanov");
    L(p, "Asmens kodas %s", code);
    L(p, "Savanorių pr. 176-31, Kaunas");
    set_left(p, MARGIN);
    gap(p, 70);
    L(p, "Migracijos departamentui prie");
    L(p, "Lietuvos Respublikos vidaus reikalų ministerijos");
    gap(p, 80);
    line(p, S_TITLE, AL_CENTER, "PRAŠYMAS");
    line(p, S_BOLD, AL_CENTER, "DĖL LEIDIMO NUOLAT GYVENTI IŠDAVIMO");
    gap(p, 20);
    line(p, S_BODY, AL_CENTER, "2023 m. lapkričio 20 d.");
    line(p, S_BODY, AL_CENTER, "Kaunas");
    gap(p, 60);
    L(p, "Bylos Nr. MD-LT-2023-004416");
    L(p, "Vardas, pavardė: Arman Sultanov");
    L(p, "Pilietybė: Kazachstano Respublikos");
    gap(p, 30);
    L(p, "Prašau išduoti man leidimą nuolat gyventi Lietuvos Respublikoje.");
    L(p, "Lietuvoje teisėtai gyvenu nuo 2018-05-14, dabartinis leidimas laikinai");
    L(p, "gyventi galioja iki 2024-01-31. Dirbu UAB „Nemuno tiltai“ inžinieriumi");
    L(p, "pagal neterminuotą darbo sutartį, valstybinės kalbos egzaminą išlaikiau");
    L(p, "2021 m. birželio 8 d.");
    gap(p, 20);
    L(p, "Pridedu šiuos dokumentus:");
    L(p, "1. Galiojančio paso kopiją;");
    L(p, "2. Valstybinės kalbos egzamino pažymėjimo kopiją;");
    L(p, "3. Darbo sutarties kopiją;");
    L(p, "4. Pažymą apie gyvenamosios vietos deklaravimą.");
    gap(p, 20);
    L(p, "Patvirtinu, kad pateikti duomenys yra teisingi.");
    gap(p, 70);
    L(p, "Parašas: (parašas) Arman Sultanov");

    sl_add(&h->d.case_numbers, "MD-LT-2023-004416");
    sl_add(&h->d.personal_codes, "%s", code);
    static const char *const dates[] = {"2023-11-20", "2018-05-14", "2024-01-31", "2021-06-08",
                                        NULL};
    add_dates(h, dates);
    add_name(h, "Sultanov", "Arman");
    return h;
}

/* 4. An English information leaflet in two columns (no person). */
HardDoc *hard_columns_leaflet(void)
{
    HardDoc *h = hard_new("en_two_columns.png", "png", "other", R_COLUMNS);
    Page *p = &h->d.pages[0];
    page_init(p, "Nimbus Sans", 10, "eng");
    p->spacing = 0.35;
    const int mid = PAGE_W / 2, gutter = 50;
    const int lx1 = mid - gutter, rx0 = mid + gutter, rx1 = RIGHT_EDGE;
    line(p, S_TITLE, AL_CENTER, "Working in Latvia: what employers of foreign staff need to know");
    line(p, S_BODY, AL_CENTER, "Office of Citizenship and Migration Affairs, updated 2 September 2024");
    gap(p, 70);
    set_y(p, 520);
    static const char *const left[] = {
        "#Who needs a permit",
        "A foreign worker from outside the",
        "European Union needs a residence",
        "permit and, in most cases, a work",
        "permit before the first working day.",
        "The employer registers the vacancy",
        "with the State Employment Agency and",
        "waits ten working days before the",
        "invitation is confirmed.",
        "#Documents",
        "The worker submits a valid passport,",
        "a signed employment contract, proof",
        "of health insurance and proof of a",
        "place to live. Copies of foreign",
        "documents need a certified",
        "translation into Latvian.",
        "#Fees and time limits",
        "The state fee depends on the time in",
        "which the decision is wanted: thirty",
        "days, ten working days or five",
        "working days. The fee is paid before",
        "the documents are submitted, and it",
        "is not returned if the permit is",
        "refused.",
        "#Changes in employment",
        "If the worker changes employer or",
        "position, the new employer confirms",
        "a new invitation first.",
    };
    static const char *const right[] = {
        "#What changes in 2025",
        "From 1 January 2025 invitations are",
        "confirmed only electronically, in the",
        "online services of the Office. Paper",
        "forms submitted after that day are",
        "returned to the employer unread.",
        "#Salary threshold",
        "The monthly gross salary must be at",
        "least the national average salary",
        "published for the previous year.",
        "Employers check the published figure",
        "before each new contract is signed.",
        "#Reporting",
        "Employers report the end of an",
        "employment relationship within three",
        "working days. Reports for the year",
        "2024 are due before 31 March 2025.",
        "#Where to ask",
        "Questions are answered by the",
        "information line on working days",
        "from nine to five, and by e-mail.",
        "Answers by e-mail are usually given",
        "within five working days.",
        "#Keep in mind",
        "A residence permit does not replace",
        "a work permit when one is required.",
    };
    set_left(p, MARGIN);
    for (size_t i = 0; i < sizeof left / sizeof *left; i++) {
        if (left[i][0] == '#') {
            if (i)
                gap(p, 24);
            bounded(p, S_BOLD, lx1, "%s", left[i] + 1);
        } else {
            bounded(p, S_BODY, lx1, "%s", left[i]);
        }
    }
    set_y(p, 520);
    set_left(p, rx0);
    for (size_t i = 0; i < sizeof right / sizeof *right; i++) {
        if (right[i][0] == '#') {
            if (i)
                gap(p, 24);
            bounded(p, S_BOLD, rx1, "%s", right[i] + 1);
        } else {
            bounded(p, S_BODY, rx1, "%s", right[i]);
        }
    }
    set_left(p, MARGIN);
    set_y(p, BOTTOM_EDGE - 60);
    line(p, S_SMALL, AL_CENTER, "Leaflet 7/2024, free of charge");

    static const char *const dates[] = {"2024-09-02", "2025-01-01", "2025-03-31", NULL};
    add_dates(h, dates);
    return h;
}

/* 5. A Lithuanian application form of ruled cells: labels and values. */
HardDoc *hard_table_form(void)
{
    static char code[12];
    lt_code11(code, 17, 6, 1990, 1, "108");
    HardDoc *h = hard_new("lt_anketa_lentele.tif", "tiff", "application", R_TABLE);
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Sans", 10, "lit");
    p->skew = 0.7;
    line(p, S_BODY, AL_CENTER, "Migracijos departamentas prie Lietuvos Respublikos VRM");
    gap(p, 60);
    line(p, S_TITLE, AL_CENTER, "PRAŠYMAS IŠDUOTI LEIDIMĄ LAIKINAI GYVENTI");
    gap(p, 60);
    line(p, S_BOLD, AL_LEFT, "1. Duomenys apie užsienietį");
    /* four columns: label, value, label, value; rows of 110 px */
    const int cx[5] = {MARGIN, 770, 1300, 1740, RIGHT_EDGE};
    const int row_h = 110, pad = 22;
    struct {
        const char *c[4]; /* NULL in c[2]: the value spans three cells */
    } rows1[] = {
        {{"Pavardė:", "HUSEYNLI", "Vardas:", "AYSEL"}},
        {{"Gimimo data:", "1990-06-17", "Lytis:", "moteris"}},
        {{"Pilietybė:", "Azerbaidžano", "Asmens kodas:", code}},
        {{"Paso Nr.:", "C03817265", "Galioja iki:", "2031-02-14"}},
        {{"Adresas Lietuvoje:", "Kalvarijų g. 112-5, LT-08221 Vilnius", NULL, NULL}},
        {{"Telefonas:", "+370 612 48 305", "El. paštas:", "aysel@pastas.lt"}},
    };
    struct {
        const char *c[4];
    } rows2[] = {
        {{"Pagrindas:", "darbas pagal darbo sutartį", NULL, NULL}},
        {{"Darbdavys:", "UAB „Šiaurės linija“", "Sutarties data:", "2024-03-18"}},
        {{"Pareigos:", "buhalterė", "Atlyginimas:", "2150 Eur"}},
    };
    int y = 720;
    for (int t = 0; t < 2; t++) {
        int n = t ? (int)(sizeof rows2 / sizeof *rows2) : (int)(sizeof rows1 / sizeof *rows1);
        if (t) {
            y += 70;
            at(p, S_BOLD, MARGIN, y, RIGHT_EDGE, "2. Leidimo išdavimo pagrindas");
            y += 80;
        }
        for (int r = 0; r < n; r++) {
            const char *const *c = t ? rows2[r].c : rows1[r].c;
            int ty = y + (row_h - 50) / 2;
            for (int k = 0; k < 4; k++) {
                if (!c[k])
                    continue;
                int x0 = cx[k], x1 = (k == 1 && !c[2]) ? cx[4] : cx[k + 1];
                rect(p, IT_RECT, x0, y, x1 - x0, row_h);
                at(p, k % 2 ? S_BOLD : S_BODY, x0 + pad, ty, x1 - pad, "%s", c[k]);
            }
            y += row_h;
        }
    }
    set_y(p, y + 90);
    L(p, "Prašymo pateikimo data: 2024-04-02");
    L(p, "Užsieniečio parašas: (parašas)");

    sl_add(&h->d.personal_codes, "%s", code);
    static const char *const dates[] = {"1990-06-17", "2031-02-14", "2024-03-18", "2024-04-02",
                                        NULL};
    add_dates(h, dates);
    add_name(h, "HUSEYNLI", "AYSEL");
    return h;
}

/* 6. A faint carbon copy of a lawyer's letter in Russian (typewriter). */
HardDoc *hard_carbon_letter(void)
{
    HardDoc *h = hard_new("ru_kopija_bleda.jpg", "jpeg", "letter", R_CARBON);
    Page *p = &h->d.pages[0];
    page_init(p, "Liberation Mono", 12, "rus");
    p->spacing = 0.6;
    L(p, "Адвокатское бюро «Озолс и партнёры»");
    L(p, "ул. Элизабетес, 41/43-7, Рига, LV-1010");
    gap(p, 60);
    L(p, "Рига, 18 марта 2025 г.");
    L(p, "Исх. № 25/041");
    gap(p, 50);
    set_left(p, 1100);
    L(p, "В Управление по делам");
    L(p, "гражданства и миграции");
    set_left(p, MARGIN);
    gap(p, 50);
    L(p, "Дело № PMLP-LV-2025-001947");
    gap(p, 40);
    L(p, "Уважаемые господа!");
    gap(p, 20);
    L(p, "Настоящим сообщаем, что мы представляем интересы");
    L(p, "заявителя по указанному делу.");
    L(p, "Фамилия, имя: Садыков Руслан");
    L(p, "Дата рождения: 09.12.1990");
    L(p, "Заявление о выдаче вида на жительство подано");
    L(p, "04.02.2025. Просим приобщить к делу копию трудового");
    L(p, "договора от 10.01.2025 и справку о доходах заявителя.");
    L(p, "Все письма по делу просим направлять в наше бюро.");
    gap(p, 40);
    L(p, "С уважением,");
    gap(p, 60);
    L(p, "адвокат И. Озола");

    sl_add(&h->d.case_numbers, "PMLP-LV-2025-001947");
    static const char *const dates[] = {"2025-03-18", "1990-12-09", "2025-02-04", "2025-01-10",
                                        NULL};
    add_dates(h, dates);
    add_name(h, "Садыков", "Руслан");
    return h;
}

/* 7. An English university letter with a handwritten note in the margin. */
HardDoc *hard_handnote_letter(void)
{
    HardDoc *h = hard_new("en_letter_handnote.png", "png", "letter", R_HANDNOTE);
    Page *p = &h->d.pages[0];
    page_init(p, "C059", 11, "eng");
    const int xmax = 1760;
    line(p, S_HEAD, AL_LEFT, "Riga Institute of Technology and Design");
    bounded(p, S_BODY, xmax, "Admissions Office, 12 Valdemara Street, Riga");
    gap(p, 80);
    bounded(p, S_BODY, xmax, "6 February 2025");
    gap(p, 40);
    bounded(p, S_BODY, xmax, "Office of Citizenship and Migration Affairs");
    bounded(p, S_BODY, xmax, "Riga, Latvia");
    gap(p, 60);
    bounded(p, S_BODY, xmax, "Dear Sir or Madam,");
    gap(p, 20);
    bounded(p, S_BOLD, xmax, "Re: Studies of Ms Amira Haddad");
    gap(p, 20);
    static const char *const body[] = {
        "This is to confirm that Ms Amira Haddad, born on",
        "21 October 2001, a citizen of Lebanon, is enrolled as a",
        "full-time student of our Master's programme in",
        "Interaction Design, student number 24M0317.",
        "",
        "The programme runs from 1 September 2024 to",
        "30 June 2026. Tuition fees for the first year have",
        "been paid in full, and the student has attended all",
        "classes of the autumn term.",
        "",
        "We kindly ask you to consider her application for a",
        "temporary residence permit for the period of studies.",
        "",
        "Yours faithfully,",
    };
    for (size_t i = 0; i < sizeof body / sizeof *body; i++) {
        if (!body[i][0])
            gap(p, 20);
        else
            bounded(p, S_BODY, xmax, "%s", body[i]);
    }
    gap(p, 100);
    bounded(p, S_BODY, xmax, "Dr Thomas Whitcombe");
    bounded(p, S_BODY, xmax, "Head of Admissions");

    static const char *const hand[] = {"copy", "checked", "ask", "for", "bank", "statement",
                                       "R.K."};
    for (size_t i = 0; i < sizeof hand / sizeof *hand; i++)
        h->hand[h->nhand++] = hand[i];
    static const char *const dates[] = {"2025-02-06", "2001-10-21", "2024-09-01", "2026-06-30",
                                        NULL};
    add_dates(h, dates);
    add_name(h, "Haddad", "Amira");
    add_name(h, "Whitcombe", "Thomas");
    return h;
}

/* 8. A Lithuanian decision on Leyla Mammadova's permit, skewed 6 degrees
 * inside black scanner borders. */
HardDoc *hard_border_decision(void)
{
    HardDoc *h = hard_new("lt_sprendimas_remelis.png", "png", "decision", R_BORDER);
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Serif Condensed", 12, "lit");
    p->skew = 6.0;
    line(p, S_HEAD, AL_CENTER, "MIGRACIJOS DEPARTAMENTAS");
    line(p, S_BODY, AL_CENTER, "prie Lietuvos Respublikos vidaus reikalų ministerijos");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "SPRENDIMAS");
    line(p, S_BOLD, AL_CENTER, "DĖL LEIDIMO LAIKINAI GYVENTI PRATĘSIMO");
    gap(p, 30);
    line(p, S_BODY, AL_CENTER, "2022 m. spalio 12 d. Nr. 15/4-2281");
    line(p, S_BODY, AL_CENTER, "Vilnius");
    gap(p, 60);
    L(p, "Bylos Nr. MD-LT-2022-001288");
    gap(p, 30);
    L(p, "Išnagrinėjęs Azerbaidžano Respublikos pilietės Leyla Mammadova,");
    L(p, "asmens kodas %s, gimusios 1995-04-11, 2022-09-05 pateiktą", code_mammadova);
    L(p, "prašymą pratęsti leidimą laikinai gyventi ir pridėtus dokumentus,");
    L(p, "Migracijos departamentas nustatė, kad užsienietė dirba pagal");
    L(p, "neterminuotą darbo sutartį, turi sveikatos draudimą ir deklaravo");
    L(p, "gyvenamąją vietą Vilniuje.");
    gap(p, 30);
    L(p, "Vadovaudamasis Įstatymo dėl užsieniečių teisinės padėties 44 straipsniu,");
    L(p, "Migracijos departamentas nusprendė:");
    L(p, "pratęsti Leyla Mammadova leidimą laikinai gyventi iki 2024-10-31.");
    gap(p, 30);
    L(p, "Sprendimas per vieną mėnesį nuo jo įteikimo dienos gali būti");
    L(p, "skundžiamas Vilniaus apygardos administraciniam teismui.");
    gap(p, 90);
    L(p, "Vyriausioji specialistė A. Petrauskienė");

    sl_add(&h->d.case_numbers, "MD-LT-2022-001288");
    sl_add(&h->d.personal_codes, "%s", code_mammadova);
    static const char *const dates[] = {"2022-10-12", "1995-04-11", "2022-09-05", "2024-10-31",
                                        NULL};
    add_dates(h, dates);
    add_name(h, "Mammadova", "Leyla");
    return h;
}
