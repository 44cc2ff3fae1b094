/*
 * test_extract_date.c - every date form of the four languages, month names
 * in their case forms with and without diacritics, impossible dates, OCR
 * noise, and numbers that are not dates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_extract.h"

/* the dates of text, ISO, joined by spaces */
static const char *dates_of(const char *text)
{
	static char buf[1024];
	kt_date *d = NULL;
	size_t n = 0, i, o = 0;

	assert_int_equal(kt_date_find(text, NULL, 0, &d, &n), KT_OK);
	buf[0] = '\0';
	for (i = 0; i < n && o + 12 < sizeof buf; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? " " : "", d[i].iso);
	free(d);
	return buf;
}

#define EXPECT(text, want) assert_string_equal(dates_of(text), want)

static void test_valid(void **state)
{
	(void)state;
	assert_true(kt_date_valid(2024, 2, 29));
	assert_false(kt_date_valid(2023, 2, 29));
	assert_false(kt_date_valid(1900, 2, 29));
	assert_true(kt_date_valid(2000, 2, 29));
	assert_false(kt_date_valid(2023, 13, 1));
	assert_false(kt_date_valid(2023, 4, 31));
	assert_false(kt_date_valid(1849, 12, 31));
	assert_true(kt_date_valid(1850, 1, 1));
	assert_true(kt_date_valid(2100, 12, 31));
	assert_false(kt_date_valid(2101, 1, 1));
}

static void test_latvian(void **state)
{
	(void)state;
	EXPECT("Rīgā, 2023. gada 14. martā", "2023-03-14");
	EXPECT("14.03.2023.", "2023-03-14");
	EXPECT("2023. g. 14. marts", "2023-03-14");
	EXPECT("2023.gada 2.februārī", "2023-02-02");
	EXPECT("2023. GADA 14. MARTĀ", "2023-03-14");
	EXPECT("2023. gada 14. marta", "2023-03-14");	/* OCR lost the macron */
	EXPECT("līdz 2024. gada 1. jūlijam", "2024-07-01");
	EXPECT("14. martā 2023. gadā", "2023-03-14");
}

static void test_latvian_months(void **state)
{
	static const char *const forms[12][4] = {
		{ "janvāris", "janvāra", "janvārī", "janvārim" },
		{ "februāris", "februāra", "februārī", "februārim" },
		{ "marts", "marta", "martā", "martam" },
		{ "aprīlis", "aprīļa", "aprīlī", "aprīlim" },
		{ "maijs", "maija", "maijā", "maijam" },
		{ "jūnijs", "jūnija", "jūnijā", "jūnijam" },
		{ "jūlijs", "jūlija", "jūlijā", "jūlijam" },
		{ "augusts", "augusta", "augustā", "augustam" },
		{ "septembris", "septembra", "septembrī", "septembrim" },
		{ "oktobris", "oktobra", "oktobrī", "oktobrim" },
		{ "novembris", "novembra", "novembrī", "novembrim" },
		{ "decembris", "decembra", "decembrī", "decembrim" },
	};
	int m, k;

	(void)state;
	for (m = 0; m < 12; m++)
		for (k = 0; k < 4; k++) {
			char text[64], want[16];

			/* aprīļa folds to "aprila": the stem "april" + "a" */
			snprintf(text, sizeof text, "2021. gada 5. %s", forms[m][k]);
			snprintf(want, sizeof want, "2021-%02d-05", m + 1);
			if (strcmp(dates_of(text), want) != 0)
				fail_msg("'%s' gave '%s'", text, dates_of(text));
		}
}

static void test_lithuanian(void **state)
{
	static const char *const gen[12] = {
		"sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos",
		"rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio"
	};
	static const char *const plain[12] = {
		"sausio", "vasario", "kovo", "balandzio", "geguzes", "birzelio", "liepos",
		"rugpjucio", "rugsejo", "spalio", "lapkricio", "gruodzio"
	};
	int m;

	(void)state;
	EXPECT("Vilnius, 2022 m. rugsėjo 5 d.", "2022-09-05");
	EXPECT("2022-09-05", "2022-09-05");
	EXPECT("2022 m. rugsėjo mėn. 5 d.", "2022-09-05");
	EXPECT("2022 m. rugsejo 5 d.", "2022-09-05");
	EXPECT("2022 M. RUGSĖJO 5 D.", "2022-09-05");
	EXPECT("2022.09.05", "2022-09-05");
	for (m = 0; m < 12; m++) {
		char text[64], want[16];

		snprintf(want, sizeof want, "2020-%02d-09", m + 1);
		snprintf(text, sizeof text, "2020 m. %s 9 d.", gen[m]);
		if (strcmp(dates_of(text), want) != 0)
			fail_msg("'%s' gave '%s'", text, dates_of(text));
		snprintf(text, sizeof text, "2020 m. %s men. 9 d.", plain[m]);
		if (strcmp(dates_of(text), want) != 0)
			fail_msg("'%s' gave '%s'", text, dates_of(text));
	}
}

static void test_russian(void **state)
{
	static const char *const gen[12] = {
		"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
		"августа", "сентября", "октября", "ноября", "декабря"
	};
	int m;

	(void)state;
	EXPECT("17.03.2022", "2022-03-17");
	EXPECT("5 сентября 2022 г.", "2022-09-05");
	EXPECT("05.09.2022 г.", "2022-09-05");
	EXPECT("«05» сентября 2022 г.", "2022-09-05");
	EXPECT("5 СЕНТЯБРЯ 2022 Г.", "2022-09-05");
	EXPECT("1 сент. 2022", "2022-09-01");
	for (m = 0; m < 12; m++) {
		char text[64], want[16];

		snprintf(text, sizeof text, "от 28 %s 1999 г.", gen[m]);
		snprintf(want, sizeof want, "1999-%02d-28", m + 1);
		if (strcmp(dates_of(text), want) != 0)
			fail_msg("'%s' gave '%s'", text, dates_of(text));
	}
}

static void test_english(void **state)
{
	static const char *const full[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};
	static const char *const abbr[12] = {
		"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
	};
	int m;

	(void)state;
	EXPECT("born 14 March 1988", "1988-03-14");
	EXPECT("19 August 2021", "2021-08-19");
	EXPECT("14 MAR 1988", "1988-03-14");
	EXPECT("March 14, 1988", "1988-03-14");
	EXPECT("on 14th March 1988", "1988-03-14");
	EXPECT("March 14th, 1988", "1988-03-14");
	EXPECT("Sept. 3, 2001", "2001-09-03");
	for (m = 0; m < 12; m++) {
		char text[64], want[16];

		snprintf(want, sizeof want, "2010-%02d-07", m + 1);
		snprintf(text, sizeof text, "7 %s 2010", full[m]);
		if (strcmp(dates_of(text), want) != 0)
			fail_msg("'%s' gave '%s'", text, dates_of(text));
		snprintf(text, sizeof text, "7 %s 2010", abbr[m]);
		if (strcmp(dates_of(text), want) != 0)
			fail_msg("'%s' gave '%s'", text, dates_of(text));
		snprintf(text, sizeof text, "%s 7, 2010", full[m]);
		if (strcmp(dates_of(text), want) != 0)
			fail_msg("'%s' gave '%s'", text, dates_of(text));
	}
}

static void test_impossible(void **state)
{
	(void)state;
	EXPECT("31.02.2023", "");
	EXPECT("14.13.2023", "");
	EXPECT("29.02.2023", "");
	EXPECT("29.02.2024", "2024-02-29");
	EXPECT("2023. gada 31. aprīlī", "");
	EXPECT("30 February 2020", "");
	EXPECT("2022-13-01", "");
	EXPECT("01.01.1849", "");
	EXPECT("01.01.2101", "");
	EXPECT("1 января 1850 г.", "1850-01-01");
	EXPECT("00.01.2020", "");
}

static void test_ocr_noise(void **state)
{
	(void)state;
	EXPECT("14.O3.2023", "2023-03-14");
	EXPECT("2O23-09-05", "2023-09-05");
	EXPECT("14. 03. 2023", "2023-03-14");
	EXPECT("2023.  gada\n14. martā", "2023-03-14");
	/* stray marks between the parts of a date with a month name */
	EXPECT("dated 19 August: 2021", "2021-08-19");
	EXPECT("19 August : 2021", "2021-08-19");
	EXPECT("14 March, ' 1988", "1988-03-14");
	EXPECT("14; martā 2023", "2023-03-14");
	EXPECT("5 сентября; 2022 г.", "2022-09-05");
	EXPECT("March 14;, 1988", "1988-03-14");
	EXPECT("August| 19, 2021", "2021-08-19");
	/* a comma read for one of the two dots */
	EXPECT("14,03.2023", "2023-03-14");
	EXPECT("14.03,2023", "2023-03-14");
	/* but not noise that proves nothing */
	EXPECT("14,03,2023", "");
	EXPECT("19 August:\n2021", "");
	EXPECT("19 August ::: 2021", "");
	EXPECT("19 August - 2021", "");
	EXPECT("14. 03: 2023", "");
}

static void test_not_dates(void **state)
{
	(void)state;
	EXPECT("personas kods 120385-12342", "");
	EXPECT("lieta PMLP-LV-2023-004571", "");
	EXPECT("1.14.03.2023", "");
	EXPECT("14.03.2023.5", "");
	EXPECT("X-2022-09-05", "");
	EXPECT("2022-09-05-1", "");
	EXPECT("14.03.20231", "");
	EXPECT("7408122F1204159", "");
	EXPECT("version 2.14", "");
	EXPECT("14 marmalade 2020", "");
	EXPECT("", "");
}

static void test_several_and_spans(void **state)
{
	const char *text = "No 2023. gada 14. martā līdz 17.03.2022; 5 сентября 2022 г.";
	kt_date *d = NULL;
	size_t n = 0;
	kt_extract_span ex;

	(void)state;
	assert_int_equal(kt_date_find(text, NULL, 0, &d, &n), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(d[0].iso, "2023-03-14");
	assert_int_equal(d[0].span.start, 3);
	assert_int_equal(d[0].span.end, (size_t)(strstr(text, " līdz") - text));
	assert_int_equal(d[1].year, 2022);
	assert_int_equal(d[1].month, 3);
	assert_int_equal(d[1].day, 17);
	assert_string_equal(d[2].iso, "2022-09-05");
	ex = d[1].span;
	free(d);
	/* what overlaps an excluded span is skipped */
	assert_int_equal(kt_date_find(text, &ex, 1, &d, &n), KT_OK);
	assert_int_equal(n, 2);
	assert_string_equal(d[1].iso, "2022-09-05");
	free(d);
	assert_int_equal(kt_date_find(NULL, NULL, 0, &d, &n), KT_OK);
	assert_int_equal(n, 0);
	assert_null(d);
}

static const kt_test_case cases[] = {
	KT_TEST(valid),
	KT_TEST(latvian),
	KT_TEST(latvian_months),
	KT_TEST(lithuanian),
	KT_TEST(russian),
	KT_TEST(english),
	KT_TEST(impossible),
	KT_TEST(ocr_noise),
	KT_TEST(not_dates),
	KT_TEST(several_and_spans),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_date", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
