/*
 * gen_docs.c - the content of kt_gen_samples' nine documents: for each its
 * pages (lines in order, fonts, rotation, skew) and the case numbers,
 * personal codes and dates its truth lists; the people are in gen_people.c.
 * What is printed and what is listed are checked against each other by
 * gen_check.c.
 */
#include "gen_private.h"

#include <stdlib.h>
#include <string.h>

static Doc *doc_new(const char *file, const char *format, const char *doc_type, int npages)
{
    Doc *d = calloc(1, sizeof *d);
    if (!d)
        die("out of memory");
    d->file = file;
    d->format = format;
    d->doc_type = doc_type;
    d->npages = npages;
    return d;
}

/* 1. Latvian decision on a residence permit for Ahmad Karimi. */
Doc *doc_lemums(void)
{
    Doc *d = doc_new("lv_lemums_karimi.png", "png", "decision", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    line(p, S_BODY, AL_CENTER, "Uzturēšanās atļauju nodaļa");
    line(p, S_SMALL, AL_CENTER, "Kalnciema iela 120, Rīga, LV-1046");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "LĒMUMS");
    line(p, S_BODY, AL_CENTER, "par termiņuzturēšanās atļaujas izsniegšanu");
    gap(p, 60);
    L(p, "Rīgā, 2023. gada 14. martā");
    L(p, "Lietas Nr. PMLP-LV-2023-004571");
    gap(p, 50);
    L(p, "Pilsonības un migrācijas lietu pārvalde (turpmāk – Pārvalde),");
    L(p, "izskatot Afganistānas pilsoņa Ahmad Karimi, personas kods %s,", code_karimi);
    L(p, "dzimšanas datums 22.07.1991., 2023. gada 10. janvārī iesniegto");
    L(p, "iesniegumu un tam pievienotos dokumentus, konstatēja:");
    L(p, "1. Iesniedzējs lūdz izsniegt termiņuzturēšanās atļauju uz vienu");
    L(p, "gadu saskaņā ar Imigrācijas likuma 23. pantu.");
    L(p, "2. Iesniedzējs ir noslēdzis darba līgumu ar SIA „Ziemeļu Loģistika”");
    L(p, "un iesniedzis derīgu veselības apdrošināšanas polisi.");
    L(p, "3. Pārrunās 2023. gada 2. februārī iesniedzējs sniedza ticamas");
    L(p, "ziņas par savu nodarbinātību un dzīvesvietu Latvijā.");
    gap(p, 30);
    L(p, "Ņemot vērā minēto un pamatojoties uz Imigrācijas likuma 23. pantu,");
    L(p, "Pārvalde nolēma:");
    L(p, "izsniegt Ahmad Karimi termiņuzturēšanās atļauju līdz 13.03.2024.");
    gap(p, 30);
    L(p, "Šis lēmums stājas spēkā 14.03.2023. Lēmumu var apstrīdēt");
    L(p, "Iekšlietu ministrijā viena mēneša laikā no tā spēkā stāšanās dienas.");
    gap(p, 90);
    L(p, "Vecākā inspektore I. Bērziņa");
    L(p, "(paraksts)");

    sl_add(&d->case_numbers, "PMLP-LV-2023-004571");
    sl_add(&d->personal_codes, "%s", code_karimi);
    const char *dates[] = {"2023-03-14", "1991-07-22", "2023-01-10", "2023-02-02", "2024-03-13"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 2. Lithuanian application to extend a temporary residence permit. */
Doc *doc_prasymas(void)
{
    Doc *d = doc_new("lt_prasymas.tif", "tiff", "application", 1);
    Page *p = &d->pages[0];
    page_init(p, "Liberation Serif", 12, "lit");
    p->skew = 1.5;
    set_left(p, 1300);
    L(p, "Leyla Mammadova");
    L(p, "Asmens kodas %s", code_mammadova);
    L(p, "Žirmūnų g. 58-14, LT-09105 Vilnius");
    set_left(p, MARGIN);
    gap(p, 70);
    L(p, "Migracijos departamentui prie");
    L(p, "Lietuvos Respublikos vidaus reikalų ministerijos");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "PRAŠYMAS");
    line(p, S_BOLD, AL_CENTER, "DĖL LEIDIMO LAIKINAI GYVENTI PRATĘSIMO");
    gap(p, 20);
    line(p, S_BODY, AL_CENTER, "2022 m. rugsėjo 5 d.");
    line(p, S_BODY, AL_CENTER, "Vilnius");
    gap(p, 60);
    L(p, "Bylos Nr. MD-LT-2022-001288");
    gap(p, 30);
    L(p, "Prašau pratęsti man išduotą leidimą laikinai gyventi Lietuvos Respublikoje,");
    L(p, "kurio galiojimo laikas baigiasi 2022-10-31.");
    L(p, "Lietuvoje gyvenu nuo 2019 m. sausio 15 d., dirbu UAB „Baltų tiltas“");
    L(p, "programuotoja pagal neterminuotą darbo sutartį.");
    L(p, "Mano gyvenamoji vieta deklaruota Vilniuje, Žirmūnų g. 58-14.");
    gap(p, 20);
    L(p, "Pridedu šiuos dokumentus:");
    L(p, "1. Galiojančio paso kopiją;");
    L(p, "2. Darbo sutarties kopiją;");
    L(p, "3. Sveikatos draudimo polisą;");
    L(p, "4. Pažymą apie gaunamas pajamas.");
    gap(p, 20);
    L(p, "Patvirtinu, kad pateikti duomenys yra teisingi ir išsamūs.");
    gap(p, 60);
    L(p, "Prašymo pateikimo data: 2022-09-05");
    L(p, "Parašas: (parašas) Leyla Mammadova");
    gap(p, 90);
    L(p, "Migracijos departamentas, gauta 2022-09-05");
    L(p, "Priėmė: A. Petrauskienė");

    sl_add(&d->case_numbers, "MD-LT-2022-001288");
    sl_add(&d->personal_codes, "%s", code_mammadova);
    const char *dates[] = {"2022-09-05", "2022-10-31", "2019-01-15"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 3. Russian interview record (the office interviews in Russian). */
Doc *doc_sobesedovanie(void)
{
    Doc *d = doc_new("ru_sobesedovanie.jpg", "jpeg", "interview", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Sans", 11, "rus");
    p->rotation = 180;
    line(p, S_HEAD, AL_CENTER, "Управление по делам гражданства и миграции");
    line(p, S_BODY, AL_CENTER, "Отдел видов на жительство");
    gap(p, 90);
    line(p, S_TITLE, AL_CENTER, "ПРОТОКОЛ СОБЕСЕДОВАНИЯ");
    line(p, S_BODY, AL_CENTER, "(интервью с заявителем)");
    gap(p, 60);
    L(p, "Дело № PMLP-LV-2022-003310");
    L(p, "Рига, 5 сентября 2022 г.");
    gap(p, 30);
    L(p, "Заявитель: Коваленко Олег Петрович");
    L(p, "Дата рождения: 02.11.1979, гражданство: Украина");
    L(p, "Заявление о выдаче вида на жительство подано 17.03.2022.");
    L(p, "Интервью проводит инспектор М. Калныньш, язык: русский.");
    gap(p, 40);
    L(p, "Вопрос: Когда вы прибыли в Латвию?");
    L(p, "Ответ: Я приехал в Ригу 9 марта 2022 года на автобусе.");
    L(p, "Вопрос: Где вы проживаете в настоящее время?");
    L(p, "Ответ: Снимаю квартиру в Даугавпилсе, ул. Ригас, д. 12, кв. 3.");
    L(p, "Вопрос: Чем вы занимаетесь?");
    L(p, "Ответ: Работаю водителем в транспортной компании.");
    L(p, "Вопрос: Есть ли у вас родственники в Латвии?");
    L(p, "Ответ: Да, со мной живёт жена, Коваленко Наталья Ивановна.");
    L(p, "Вопрос: Хотите ли вы что-нибудь добавить?");
    L(p, "Ответ: Нет. Прошу выдать мне вид на жительство.");
    gap(p, 40);
    L(p, "Протокол прочитан заявителю, замечаний нет.");
    gap(p, 40);
    L(p, "Подпись заявителя: (подпись)");
    L(p, "Инспектор М. Калныньш: (подпись)");

    sl_add(&d->case_numbers, "PMLP-LV-2022-003310");
    const char *dates[] = {"2022-09-05", "1979-11-02", "2022-03-17", "2022-03-09"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 4. English employer's letter about a person with no case here. */
Doc *doc_letter(void)
{
    Doc *d = doc_new("en_letter.png", "png", "letter", 1);
    Page *p = &d->pages[0];
    page_init(p, "Liberation Serif", 12, "eng");
    p->rotation = 90;
    line(p, S_HEAD, AL_LEFT, "Northgate Timber Systems Ltd");
    L(p, "14 Harrow Wharf, Leeds LS2 7QT, United Kingdom");
    gap(p, 80);
    L(p, "19 August 2021");
    gap(p, 40);
    L(p, "Office of Citizenship and Migration Affairs");
    L(p, "Riga, Latvia");
    gap(p, 60);
    L(p, "Dear Sir or Madam,");
    gap(p, 20);
    line(p, S_BOLD, AL_LEFT, "Re: Confirmation of employment of Mr Jonathan Ashdown");
    gap(p, 20);
    L(p, "I am writing to confirm that Mr Jonathan Ashdown, born on 14 March 1988,");
    L(p, "has been employed by Northgate Timber Systems Ltd as a senior site engineer");
    L(p, "since 3 February 2015. His employment is permanent and full-time, and his");
    L(p, "current annual salary is GBP 48,500.");
    gap(p, 20);
    L(p, "Mr Ashdown has been assigned to our project in Riga from 1 October 2021");
    L(p, "to 30 September 2022. During this period he will remain on our payroll,");
    L(p, "and the company will cover the cost of his accommodation in Riga.");
    gap(p, 20);
    L(p, "We kindly ask you to consider his application for a residence permit");
    L(p, "favourably. Should you need any further information, please contact our");
    L(p, "human resources department at the address above.");
    gap(p, 40);
    L(p, "Yours sincerely,");
    gap(p, 100);
    L(p, "Margaret Ellison");
    L(p, "Head of Human Resources");
    L(p, "Northgate Timber Systems Ltd");

    const char *dates[] = {"2021-08-19", "1988-03-14", "2015-02-03", "2021-10-01",
                           "2022-09-30"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 5. Data page of a Latvian alien's passport of Farid Nazari, TD3 MRZ. */
Doc *doc_passport(void)
{
    Doc *d = doc_new("passport_td3.png", "png", "identity", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Sans", 12, "lav");
    p->spacing = 0.18;
    const int box_x = MARGIN, box_y = MARGIN, box_w = PAGE_W - 2 * MARGIN, box_h = 2000;
    rect(p, IT_RECT, box_x, box_y, box_w, box_h);
    set_y(p, box_y + 40);
    line(p, S_HEAD, AL_CENTER, "LATVIJAS REPUBLIKA / REPUBLIC OF LATVIA");
    line(p, S_BODY, AL_CENTER, "ĀRZEMNIEKA PASE / ALIEN'S PASSPORT");
    const int photo_x = box_x + 70, photo_y = box_y + 230, photo_w = 413, photo_h = 531;
    rect(p, IT_PHOTO, photo_x, photo_y, photo_w, photo_h);
    set_left(p, photo_x + photo_w + 90);
    set_y(p, photo_y - 10);
    struct {
        const char *label, *value;
    } f[] = {
        {"Pases Nr. / Passport No.", "AP0381572"},
        {"Uzvārds / Surname", "NAZARI"},
        {"Vārdi / Given names", "FARID"},
        {"Pilsonība / Nationality", "AFG"},
        {"Dzimšanas datums / Date of birth", "14 MAR 1988"},
        {"Dzimums / Sex", "M"},
        {"Personas kods / Personal code", code_nazari},
        {"Izdošanas datums / Date of issue", "09 JAN 2024"},
        {"Derīguma termiņš / Date of expiry", "08 JAN 2029"},
        {"Izdevējiestāde / Authority", "PMLP"},
    };
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        line(p, S_LABEL, AL_LEFT, "%s", f[i].label);
        line(p, S_VALUE, AL_LEFT, "%s", f[i].value);
        gap(p, 14);
    }
    set_left(p, box_x + 70);
    set_y(p, box_y + box_h - 250);
    line(p, S_MRZ, AL_LEFT, "%s", mrz_nazari.line1);
    line(p, S_MRZ, AL_LEFT, "%s", mrz_nazari.line2);

    sl_add(&d->personal_codes, "%s", code_nazari);
    const char *dates[] = {"1988-03-14", "2024-01-09", "2029-01-08"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    d->mrz = &mrz_nazari;
    return d;
}

/* 6. Blank page with scanner dust. */
Doc *doc_blank(void)
{
    Doc *d = doc_new("blank_dust.png", "png", "other", 1);
    page_init(&d->pages[0], "DejaVu Serif", 11, "");
    return d;
}

/* 7. Latvian interview protocol, two pages and a blank back page. */
Doc *doc_intervija(void)
{
    Doc *d = doc_new("lv_intervija_2p.tif", "tiff", "interview", 3);
    Page *p = &d->pages[0];
    page_init(p, "Liberation Serif", 12, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    line(p, S_BODY, AL_CENTER, "Uzturēšanās atļauju nodaļa");
    gap(p, 80);
    line(p, S_TITLE, AL_CENTER, "PĀRRUNU PROTOKOLS");
    line(p, S_BODY, AL_CENTER, "(intervija ar iesniedzēju)");
    gap(p, 60);
    L(p, "Lietas Nr. PMLP-LV-2023-004571");
    L(p, "Rīgā, 2023. gada 2. februārī, plkst. 10.30");
    L(p, "Intervijas vieta: Pārvaldes telpas, 214. kabinets");
    L(p, "Intervētāja: vecākā inspektore I. Bērziņa");
    L(p, "Tulks: A. Rahimi (dari valoda)");
    L(p, "Iesniedzējs: Ahmad Karimi, personas kods %s", code_karimi);
    L(p, "Dzimšanas datums: 22.07.1991., pilsonība: Afganistāna");
    gap(p, 40);
    L(p, "Iesniedzējam izskaidrotas viņa tiesības un pienākumi, kā arī tas, ka intervijā");
    L(p, "sniegtās ziņas tiks izmantotas lietas izskatīšanā. Iesniedzējs apliecina, ka");
    L(p, "tulku saprot labi un jūtas vesels.");
    gap(p, 40);
    L(p, "Jautājums: Kad un kā jūs ieradāties Latvijā?");
    L(p, "Atbilde: Es ierados Rīgā 2022. gada 18. novembrī ar lidmašīnu no Stambulas.");
    L(p, "Man bija derīga darba vīza, ko izsniedza Latvijas vēstniecība.");
    L(p, "Jautājums: Kur jūs strādājat?");
    L(p, "Atbilde: Strādāju SIA „Ziemeļu Loģistika” par noliktavas darbinieku.");
    L(p, "Darba līgums ir noslēgts uz nenoteiktu laiku.");
    L(p, "Jautājums: Kur jūs dzīvojat?");
    L(p, "Atbilde: Īrēju istabu Rīgā, Ganību dambī 17, dzīvoklī 4.");
    set_y(p, BOTTOM_EDGE - 60);
    line(p, S_SMALL, AL_CENTER, "1. lapa no 2");

    p = &d->pages[1];
    page_init(p, "Liberation Serif", 12, "lav");
    p->rotation = 270;
    L(p, "Lietas Nr. PMLP-LV-2023-004571, pārrunu protokola turpinājums");
    gap(p, 40);
    L(p, "Jautājums: Vai jums Latvijā ir ģimenes locekļi?");
    L(p, "Atbilde: Nē, mana sieva un meita dzīvo Herātā. Vēlos viņas uzaicināt");
    L(p, "pie sevis, kad būšu saņēmis uzturēšanās atļauju.");
    L(p, "Jautājums: Vai jūs esat sodīts vai saukts pie atbildības?");
    L(p, "Atbilde: Nē, ne Latvijā, ne citā valstī.");
    L(p, "Jautājums: Vai vēlaties ko papildināt?");
    L(p, "Atbilde: Nē. Lūdzu izsniegt man termiņuzturēšanās atļauju.");
    gap(p, 40);
    L(p, "Intervija pabeigta plkst. 11.15. Protokols iesniedzējam nolasīts tulkojumā");
    L(p, "dari valodā, iebildumu un papildinājumu nav.");
    gap(p, 60);
    L(p, "Iesniedzējs: A. Karimi (paraksts)");
    L(p, "Tulks: A. Rahimi (paraksts)");
    L(p, "Intervētāja: I. Bērziņa (paraksts)");
    gap(p, 40);
    L(p, "Protokols sastādīts 02.02.2023.");
    set_y(p, BOTTOM_EDGE - 60);
    line(p, S_SMALL, AL_CENTER, "2. lapa no 2");

    page_init(&d->pages[2], "Liberation Serif", 12, "");

    sl_add(&d->case_numbers, "PMLP-LV-2023-004571");
    sl_add(&d->personal_codes, "%s", code_karimi);
    const char *dates[] = {"2023-02-02", "1991-07-22", "2022-11-18"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 8. Latvian application of Farid Nazari: linked by personal code only. */
Doc *doc_iesniegums(void)
{
    Doc *d = doc_new("lv_iesniegums_skew.png", "png", "application", 1);
    Page *p = &d->pages[0];
    page_init(p, "DejaVu Serif", 11, "lav");
    p->skew = -2.0;
    set_left(p, 1150);
    L(p, "Pilsonības un migrācijas lietu");
    L(p, "pārvaldei");
    gap(p, 30);
    L(p, "Farid Nazari");
    L(p, "personas kods %s", code_nazari);
    L(p, "Brīvības iela 151-8, Rīga, LV-1012");
    set_left(p, MARGIN);
    gap(p, 120);
    line(p, S_TITLE, AL_CENTER, "IESNIEGUMS");
    line(p, S_BODY, AL_CENTER, "Rīgā, 2024. gada 3. aprīlī");
    gap(p, 60);
    L(p, "Lūdzu pagarināt man izsniegtās termiņuzturēšanās atļaujas derīguma");
    L(p, "termiņu, jo turpinu strādāt SIA „Daugavas Būvnieks” par elektriķi.");
    L(p, "Darba līgums ir spēkā līdz 31.03.2026.");
    L(p, "Mana ārzemnieka pase Nr. AP0381572 ir derīga līdz 08.01.2029.");
    L(p, "Dzīvoju Rīgā, Brīvības ielā 151, dzīvoklī 8, kopš 2021. gada.");
    gap(p, 30);
    L(p, "Iesniegumam pievienoju:");
    L(p, "1) darba līguma kopiju;");
    L(p, "2) veselības apdrošināšanas polisi;");
    L(p, "3) izziņu par ienākumiem no Valsts ieņēmumu dienesta;");
    L(p, "4) dzīvesvietas īres līguma kopiju.");
    gap(p, 30);
    L(p, "Apliecinu, ka sniegtās ziņas ir patiesas.");
    L(p, "Lēmumu lūdzu paziņot, nosūtot to uz manu dzīvesvietas adresi.");
    gap(p, 90);
    L(p, "F. Nazari (paraksts)");
    L(p, "03.04.2024.");

    sl_add(&d->personal_codes, "%s", code_nazari);
    const char *dates[] = {"2024-04-03", "2026-03-31", "2029-01-08"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        sl_add(&d->dates, "%s", dates[i]);
    return d;
}

/* 9. A notice rendered as G4 TIFF, then cut: only the truth "error" holds. */
Doc *doc_broken(Page *source)
{
    Doc *d = doc_new("broken_scan.tif", "tiff", "other", 0);
    d->expect_error = 1;
    Page *p = source;
    page_init(p, "DejaVu Serif", 11, "lav");
    line(p, S_HEAD, AL_CENTER, "Pilsonības un migrācijas lietu pārvalde");
    gap(p, 80);
    line(p, S_TITLE, AL_CENTER, "IZZIŅA");
    gap(p, 60);
    L(p, "Izsniegta Irynai Tkachenko, personas kods %s, par to, ka", code_tkachenko);
    L(p, "viņas lieta Nr. PMLP-LV-2021-007754 ir izskatīta un slēgta.");
    L(p, "Izziņa izsniegta pēc pieprasījuma iesniegšanai darba devējam.");
    gap(p, 60);
    L(p, "Rīgā, 2022. gada 11. maijā");
    L(p, "Inspektore R. Ozoliņa");
    return d;
}

