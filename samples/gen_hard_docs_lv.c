/*
 * gen_hard_docs_lv.c - the text of the hard set's Latvian documents (a
 * 150 dpi letter, a stamped decision, an interview with punched holes, an
 * application skewed 9.5 degrees, an interview in Latvian and Russian, a
 * certificate with a new-format personal code) and the codes of the new
 * people. Every person, number and company is invented; Karimi, Nazari and
 * Kovalenko are the people of the case table (gen_people.c).
 */
#include "gen_hard_private.h"

#include <string.h>

void old_code(char out[13], int d, int m, int y, const char *serial3)
{
    int c = y < 1900 ? 0 : y < 2000 ? 1 : 2;
    for (int k = 0; k <= 9; k++) {
        snprintf(out, 13, "%02d%02d%02d-%d%s%d", d, m, y % 100, c, serial3, k);
        if (lv_valid(out))
            return;
    }
    die("serial %s gives no valid Latvian check digit", serial3);
}

void lt_code11(char out[12], int d, int m, int y, int female, const char *serial3)
{
    char d10[11];
    snprintf(d10, sizeof d10, "%d%02d%02d%02d%s", (y < 2000 ? 3 : 5) + (female ? 1 : 0),
             y % 100, m, d, serial3);
    snprintf(out, 12, "%s%d", d10, lt_check_digit(d10));
}

/* 1. A 150 dpi letter of an employer about Dilnoza Yusupova. */
HardDoc *hard_lowres_letter(void)
{
    static char code[13];
    old_code(code, 5, 8, 1993, "104");
    HardDoc *h = hard_new("lv_vestule_150dpi.jpg", "jpeg", "letter", R_LOWRES);
    h->dpi = 150;
    Page *p = &h->d.pages[0];
    page_init(p, "Liberation Sans", 10, "lav");
    line(p, S_HEAD, AL_LEFT, "SIA „Baltijas Mēbeļu Fabrika”");
    L(p, "Rūpniecības iela 27, Jelgava, LV-3008");
    L(p, "Tālrunis 63 012 345, birojs@bmfabrika.lv");
    gap(p, 80);
    L(p, "Jelgavā, 2024. gada 12. septembrī");
    L(p, "Nr. 2024/118");
    gap(p, 60);
    set_left(p, 1240);
    L(p, "Pilsonības un migrācijas lietu");
    L(p, "pārvaldes Zemgales nodaļai");
    set_left(p, MARGIN);
    gap(p, 80);
    line(p, S_BOLD, AL_LEFT, "Par darbinieces uzturēšanās atļauju");
    gap(p, 40);
    L(p, "Cienījamie kungi un kundzes!");
    gap(p, 20);
    L(p, "SIA „Baltijas Mēbeļu Fabrika” apliecina, ka pie mums strādā:");
    L(p, "Vārds, uzvārds: Dilnoza Yusupova");
    L(p, "Personas kods: %s", code);
    L(p, "Lietas Nr. PMLP-LV-2024-006238");
    gap(p, 20);
    L(p, "Dilnoza Yusupova strādā par šuvēju kopš 01.02.2022. Darba līgums ir");
    L(p, "noslēgts uz nenoteiktu laiku, darba laiks ir 40 stundas nedēļā, un");
    L(p, "mēneša alga ir 1150 eiro pirms nodokļu nomaksas. Darbiniece ir");
    L(p, "apguvusi visus ražošanas procesus un vada jauno šuvēju apmācību.");
    gap(p, 20);
    L(p, "Viņas termiņuzturēšanās atļaujas derīguma termiņš beidzas 30.11.2024.");
    L(p, "Lūdzam to pagarināt, jo uzņēmums vēlas turpināt darba attiecības.");
    L(p, "Uzņēmumam nav nodokļu parādu, un tas nodrošina darbiniecei veselības");
    L(p, "apdrošināšanu visā darba attiecību laikā.");
    gap(p, 60);
    L(p, "Ar cieņu");
    gap(p, 60);
    L(p, "valdes loceklis Valdemārs Krūmiņš");
    L(p, "(paraksts)");

    sl_add(&h->d.case_numbers, "PMLP-LV-2024-006238");
    sl_add(&h->d.personal_codes, "%s", code);
    static const char *const dates[] = {"2024-09-12", "2022-02-01", "2024-11-30", NULL};
    add_dates(h, dates);
    add_name(h, "Yusupova", "Dilnoza");
    add_name(h, "Krūmiņš", "Valdemārs");
    return h;
}

/* 3. A decision on Farid Nazari's permit, with a stamp and a signature. */
HardDoc *hard_stamp_decision(void)
{
    HardDoc *h = hard_new("lv_lemums_zimogs.jpg", "jpeg", "decision", R_STAMP);
    Page *p = &h->d.pages[0];
    page_init(p, "Liberation Serif", 12, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    line(p, S_BODY, AL_CENTER, "Uzturēšanās atļauju nodaļa");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "LĒMUMS");
    line(p, S_BODY, AL_CENTER, "par termiņuzturēšanās atļaujas derīguma termiņa pagarināšanu");
    gap(p, 60);
    L(p, "Rīgā, 2024. gada 24. aprīlī");
    L(p, "Lietas Nr. PMLP-LV-2024-000912");
    gap(p, 40);
    L(p, "Pilsonības un migrācijas lietu pārvalde, izskatot Afganistānas pilsoņa");
    L(p, "Farid Nazari, personas kods %s, dzimšanas datums 14.03.1988.,", code_nazari);
    L(p, "03.04.2024. iesniegto iesniegumu par termiņuzturēšanās atļaujas");
    L(p, "derīguma termiņa pagarināšanu un tam pievienotos dokumentus, konstatēja:");
    L(p, "1. Iesniedzējs turpina strādāt SIA „Daugavas Būvnieks” par elektriķi, un");
    L(p, "darba līgums ir spēkā līdz 31.03.2026.");
    L(p, "2. Iesniedzēja ārzemnieka pase Nr. AP0381572 ir derīga līdz 08.01.2029.");
    L(p, "3. Iesniedzējam ir veselības apdrošināšana un deklarēta dzīvesvieta Rīgā.");
    gap(p, 30);
    L(p, "Pamatojoties uz Imigrācijas likuma 23. panta pirmo daļu, Pārvalde nolēma:");
    L(p, "pagarināt Farid Nazari termiņuzturēšanās atļaujas derīguma termiņu");
    L(p, "līdz 23.04.2026.");
    gap(p, 30);
    L(p, "Lēmums stājas spēkā tā paziņošanas dienā. To var apstrīdēt Iekšlietu");
    L(p, "ministrijā viena mēneša laikā no tā spēkā stāšanās dienas.");
    gap(p, 120);
    L(p, "Nodaļas vadītāja vietniece");
    L(p, "I. Bērziņa");
    gap(p, 30);
    L(p, "Z. v.");

    sl_add(&h->d.case_numbers, "PMLP-LV-2024-000912");
    sl_add(&h->d.personal_codes, "%s", code_nazari);
    static const char *const dates[] = {"2024-04-24", "1988-03-14", "2024-04-03", "2026-03-31",
                                        "2029-01-08", "2026-04-23", NULL};
    add_dates(h, dates);
    add_name(h, "Nazari", "Farid");
    return h;
}

/* 9. An interview protocol with punched holes and a staple. */
HardDoc *hard_holes_interview(void)
{
    static char code[13];
    old_code(code, 27, 6, 1985, "318");
    HardDoc *h = hard_new("lv_protokols_caurumi.png", "png", "interview", R_HOLES);
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Sans Condensed", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    gap(p, 70);
    line(p, S_TITLE, AL_CENTER, "PĀRRUNU PROTOKOLS");
    gap(p, 50);
    L(p, "Rīgā, 2025. gada 14. janvārī");
    L(p, "Lietas Nr. PMLP-LV-2025-005817");
    L(p, "Vārds, uzvārds: Giorgi Beridze");
    L(p, "Personas kods: %s, dzimšanas datums: 27.06.1985.", code);
    L(p, "Pilsonība: Gruzija. Tulks nav vajadzīgs, pārrunas notiek krievu valodā.");
    gap(p, 40);
    L(p, "Jautājums: Kad jūs ieradāties Latvijā?");
    L(p, "Atbilde: 2024. gada 3. septembrī, ar autobusu no Viļņas.");
    L(p, "Jautājums: Kāds ir jūsu iesnieguma mērķis?");
    L(p, "Atbilde: Es iesniedzu iesniegumu 02.12.2024., jo vēlos strādāt par pavāru");
    L(p, "restorānā „Pie Daugavas” Rīgā, Krasta ielā 12.");
    L(p, "Jautājums: Kur jūs dzīvojat?");
    L(p, "Atbilde: Īrēju dzīvokli kopā ar brāli Imantas ielā 8, dzīvoklī 23.");
    L(p, "Jautājums: Vai jums ir līdzekļi iztikai?");
    L(p, "Atbilde: Jā, man ir uzkrājumi, un brālis mani atbalsta.");
    L(p, "Jautājums: Vai esat agrāk uzturējies citās Eiropas Savienības valstīs?");
    L(p, "Atbilde: Nē, tikai tranzītā caur Lietuvu.");
    gap(p, 40);
    L(p, "Protokols nolasīts, iebildumu nav.");
    gap(p, 60);
    L(p, "Iesniedzējs: G. Beridze (paraksts)");
    L(p, "Inspektors: M. Kalniņš (paraksts)");

    sl_add(&h->d.case_numbers, "PMLP-LV-2025-005817");
    sl_add(&h->d.personal_codes, "%s", code);
    static const char *const dates[] = {"2025-01-14", "1985-06-27", "2024-09-03", "2024-12-02",
                                        NULL};
    add_dates(h, dates);
    add_name(h, "Beridze", "Giorgi");
    return h;
}

/* 10. Ahmad Karimi's application to extend his permit, skewed 9.5 degrees. */
HardDoc *hard_skew10_application(void)
{
    HardDoc *h = hard_new("lv_iesniegums_skew10.png", "png", "application", R_SKEW10);
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Sans", 11, "lav");
    p->skew = -9.5;
    set_left(p, 1180);
    L(p, "Pilsonības un migrācijas lietu");
    L(p, "pārvaldei");
    gap(p, 30);
    L(p, "Ahmad Karimi");
    L(p, "personas kods %s", code_karimi);
    L(p, "Ganību dambis 17-4, Rīga, LV-1045");
    set_left(p, MARGIN);
    gap(p, 110);
    line(p, S_TITLE, AL_CENTER, "IESNIEGUMS");
    line(p, S_BODY, AL_CENTER, "Rīgā, 2024. gada 12. februārī");
    gap(p, 60);
    L(p, "Lietas Nr. PMLP-LV-2023-004571");
    gap(p, 30);
    L(p, "Lūdzu pagarināt man izsniegto termiņuzturēšanās atļauju, kuras");
    L(p, "derīguma termiņš beidzas 13.03.2024. Es turpinu strādāt");
    L(p, "SIA „Ziemeļu Loģistika” par noliktavas darbinieku, un darba");
    L(p, "līgums ir noslēgts uz nenoteiktu laiku.");
    L(p, "Kopš 01.09.2023. esmu noliktavas maiņas vadītājs.");
    gap(p, 30);
    L(p, "Iesniegumam pievienoju:");
    L(p, "1) darba devēja izziņu;");
    L(p, "2) veselības apdrošināšanas polisi;");
    L(p, "3) dzīvesvietas īres līgumu.");
    gap(p, 30);
    L(p, "Apliecinu, ka sniegtās ziņas ir patiesas.");
    gap(p, 90);
    L(p, "A. Karimi (paraksts)");
    L(p, "12.02.2024.");

    sl_add(&h->d.case_numbers, "PMLP-LV-2023-004571");
    sl_add(&h->d.personal_codes, "%s", code_karimi);
    static const char *const dates[] = {"2024-02-12", "2024-03-13", "2023-09-01", NULL};
    add_dates(h, dates);
    add_name(h, "Karimi", "Ahmad");
    return h;
}

/* 11. A Latvian interview with Oleg Kovalenko whose answers are recorded in
 * Russian. */
HardDoc *hard_mixed_interview(void)
{
    HardDoc *h = hard_new("lv_ru_intervija.png", "png", "interview", R_MIXED);
    h->langs[0] = "lav";
    h->langs[1] = "rus";
    h->nlangs = 2;
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    line(p, S_BODY, AL_CENTER, "Daugavpils nodaļa");
    gap(p, 70);
    line(p, S_TITLE, AL_CENTER, "PĀRRUNU PROTOKOLS");
    line(p, S_BODY, AL_CENTER, "(atkārtota intervija, atbildes pierakstītas krieviski)");
    gap(p, 50);
    L(p, "Daugavpilī, 2023. gada 21. jūnijā");
    L(p, "Lietas Nr. PMLP-LV-2022-003310");
    L(p, "Vārds, uzvārds: Oleg Kovalenko, personas kods %s", code_kovalenko);
    L(p, "Dzimšanas datums: 02.11.1979.");
    gap(p, 40);
    L(p, "Jautājums: Kur jūs šobrīd strādājat?");
    L(p, "Ответ: Я работаю водителем в транспортной компании с 1 апреля 2022 года.");
    L(p, "Jautājums: Vai jūsu dzīvesvieta ir mainījusies?");
    L(p, "Ответ: Да, теперь мы с женой живём в Даугавпилсе, ул. Виестура, д. 5.");
    L(p, "Jautājums: Vai jūs apmeklējat latviešu valodas kursus?");
    L(p, "Ответ: Да, два раза в неделю, по вечерам. Я понимаю простые вопросы.");
    L(p, "Jautājums: Vai vēlaties ko piebilst?");
    L(p, "Ответ: Прошу продлить мне вид на жительство.");
    gap(p, 40);
    L(p, "Protokols nolasīts un iztulkots, iebildumu nav.");
    gap(p, 60);
    L(p, "Iesniedzējs: O. Kovalenko (paraksts)");
    L(p, "Inspektors: M. Kalniņš (paraksts)");

    sl_add(&h->d.case_numbers, "PMLP-LV-2022-003310");
    sl_add(&h->d.personal_codes, "%s", code_kovalenko);
    static const char *const dates[] = {"2023-06-21", "1979-11-02", "2022-04-01", NULL};
    add_dates(h, dates);
    add_name(h, "Kovalenko", "Oleg");
    return h;
}

/* 14. A certificate of a change of personal code: the old code and the new
 * one (32NNNN-NNNNN: no birth date, no check digit). */
HardDoc *hard_newcode_certificate(void)
{
    static char old[13];
    old_code(old, 15, 3, 1992, "207");
    static const char *const newc = "328514-60273";
    if (!is_new_code(newc) || lv_valid(newc))
        die("the new code must have the new form and fail the old check digit");
    HardDoc *h = hard_new("lv_izzina_jaunais_kods.tif", "tiff", "other", R_NEWCODE);
    Page *p = &h->d.pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    p->skew = 0.8;
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    line(p, S_SMALL, AL_CENTER, "Čiekurkalna 1. līnija 1, k-3, Rīga, LV-1026");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "IZZIŅA");
    line(p, S_BODY, AL_CENTER, "par personas koda maiņu");
    gap(p, 60);
    L(p, "Rīgā, 2024. gada 15. oktobrī");
    L(p, "Nr. 4-18/6731");
    gap(p, 50);
    L(p, "Pilsonības un migrācijas lietu pārvalde apliecina, ka personai:");
    L(p, "Vārds, uzvārds: Tamar Kapanadze");
    L(p, "Dzimšanas datums: 15.03.1992.");
    L(p, "Iepriekšējais personas kods: %s", old);
    gap(p, 20);
    L(p, "Iedzīvotāju reģistrā 2024. gada 9. oktobrī reģistrēts jauns");
    L(p, "personas kods: %s", newc);
    gap(p, 20);
    L(p, "Jaunais personas kods nesatur ziņas par personas dzimšanas datumu.");
    L(p, "Iepriekšējais personas kods turpmāk netiek izmantots. Personai ir");
    L(p, "tiesības lūgt izdarīt grozījumus citos reģistros un dokumentos.");
    gap(p, 20);
    L(p, "Izziņa izsniegta pēc personas pieprasījuma.");
    gap(p, 90);
    L(p, "Inspektore R. Ozoliņa");

    sl_add(&h->d.personal_codes, "%s", old);
    sl_add(&h->d.personal_codes, "%s", newc);
    static const char *const dates[] = {"2024-10-15", "1992-03-15", "2024-10-09", NULL};
    add_dates(h, dates);
    add_name(h, "Kapanadze", "Tamar");
    return h;
}
