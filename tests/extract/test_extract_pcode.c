/*
 * test_extract_pcode.c - Latvian and Lithuanian personal codes: check
 * digits, validation, finding them in text (labels, longer digit runs,
 * candidates for review).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <stdlib.h>
#include <string.h>

#include "kt_extract.h"
#include "kt_record.h"

static void test_lv_check_digit(void **state)
{
	(void)state;
	assert_int_equal(kt_record_pcode_lv_check_digit("1203851234"), 2);
	assert_int_equal(kt_record_pcode_lv_check_digit("1611751999"), 7);
	assert_int_equal(kt_record_pcode_lv_check_digit("0101001000"), 5);
	/* (1101 - sum) mod 11 == 10: no digit */
	assert_int_equal(kt_record_pcode_lv_check_digit("1203851003"), -1);
	assert_int_equal(kt_record_pcode_lv_check_digit("12038512a4"), -1);
	assert_int_equal(kt_record_pcode_lv_check_digit("123"), -1);
	assert_int_equal(kt_record_pcode_lv_check_digit(NULL), -1);
}

static void test_lt_check_digit(void **state)
{
	(void)state;
	assert_int_equal(kt_record_pcode_lt_check_digit("3330924006"), 4);
	assert_int_equal(kt_record_pcode_lt_check_digit("4940315002"), 4);
	/* first sum gives 10: second weights */
	assert_int_equal(kt_record_pcode_lt_check_digit("3850101008"), 7);
	assert_int_equal(kt_record_pcode_lt_check_digit("38501x1008"), -1);
}

static void test_lv_validate(void **state)
{
	(void)state;
	assert_null(kt_record_pcode_lv_validate("120385-12342"));
	assert_null(kt_record_pcode_lv_validate("12038512342"));
	assert_null(kt_record_pcode_lv_validate("161175-19997"));
	assert_null(kt_record_pcode_lv_validate("010100-10005"));
	assert_string_equal(kt_record_pcode_lv_validate("120385-12343"), "checksum");
	assert_string_equal(kt_record_pcode_lv_validate("161375-19997"), "date");
	assert_string_equal(kt_record_pcode_lv_validate("290285-12345"), "date");	/* 1985 no leap year */
	assert_string_equal(kt_record_pcode_lv_validate("120385-32345"), "century");
	assert_string_equal(kt_record_pcode_lv_validate("120385-10030"), "no_check_digit");
	assert_string_equal(kt_record_pcode_lv_validate("120385 12342"), "format");
	assert_string_equal(kt_record_pcode_lv_validate("1203851234"), "format");
	/* since 1 July 2017: 3, then 2-9, no date, no check digit */
	assert_null(kt_record_pcode_lv_validate("320517-12345"));
	assert_null(kt_record_pcode_lv_validate("32051712340"));
	assert_null(kt_record_pcode_lv_validate("391234-56789"));
	/* day 31 / 30 are old codes */
	assert_string_equal(kt_record_pcode_lv_validate("310285-12345"), "date");
}

static void test_lt_validate(void **state)
{
	(void)state;
	assert_null(kt_record_pcode_lt_validate("33309240064"));
	assert_null(kt_record_pcode_lt_validate("49403150024"));
	assert_null(kt_record_pcode_lt_validate("38501010087"));
	assert_string_equal(kt_record_pcode_lt_validate("33309240065"), "checksum");
	assert_string_equal(kt_record_pcode_lt_validate("73309240064"), "format");
	assert_string_equal(kt_record_pcode_lt_validate("33313240064"), "date");
	assert_string_equal(kt_record_pcode_lt_validate("33302300064"), "date");
	assert_string_equal(kt_record_pcode_lt_validate("3330924006"), "format");
	/* month and day 00: unknown, allowed */
	assert_null(kt_record_pcode_lt_validate("38500001238"));
}

static kt_pcode *find(const char *text, size_t *n)
{
	kt_pcode *p = NULL;

	assert_int_equal(kt_pcode_find(text, NULL, 0, &p, n), KT_OK);
	return p;
}

static void test_find_lv(void **state)
{
	const char *text = "Jānis Bērziņš, personas kods 120385-12342, dzīvo Rīgā.";
	size_t n;
	kt_pcode *p = find(text, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_string_equal(p[0].value, "120385-12342");
	assert_string_equal(p[0].country, "LV");
	assert_true(p[0].valid);
	assert_null(p[0].reason);
	assert_int_equal(p[0].span.start, (size_t)(strstr(text, "120385") - text));
	assert_int_equal(p[0].span.end, p[0].span.start + 12);
	free(p);

	/* hyphenated: no label needed; OCR spaces around the dash; an en dash */
	p = find("120385 - 12342 un 161175\xe2\x80\x93" "19997", &n);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].value, "120385-12342");
	assert_true(p[0].valid);
	assert_string_equal(p[1].value, "161175-19997");
	assert_true(p[1].valid);
	free(p);

	/* without hyphen only when labelled */
	p = find("P.k. 12038512342", &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].value, "120385-12342");
	assert_string_equal(p[0].country, "LV");
	free(p);
	p = find("Pers. kods: 12038512342", &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].value, "120385-12342");
	free(p);
	p = find("tālrunis 12038512342", &n);
	assert_int_equal(n, 0);
	free(p);
}

static void test_find_lv_new(void **state)
{
	size_t n;
	kt_pcode *p;

	(void)state;
	p = find("bērna personas kods 320517-12345", &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].value, "320517-12345");
	assert_string_equal(p[0].country, "LV");
	assert_true(p[0].valid);
	free(p);
	p = find("Personas kods: 32051712345", &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].value, "320517-12345");
	free(p);
	/* an unlabelled 11-digit number starting 32 is not taken */
	p = find("rēķins 32051712345", &n);
	assert_int_equal(n, 0);
	free(p);
}

static void test_find_lt(void **state)
{
	size_t n;
	kt_pcode *p;

	(void)state;
	p = find("Asmens kodas 33309240064; kitas 49403150024.", &n);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].value, "33309240064");
	assert_string_equal(p[0].country, "LT");
	assert_true(p[0].valid);
	assert_string_equal(p[1].value, "49403150024");
	free(p);
	/* unlabelled Lithuanian codes are found by their checksum */
	p = find("pareiškėjas 38501010087", &n);
	assert_int_equal(n, 1);
	assert_true(p[0].valid);
	free(p);
}

static void test_candidates(void **state)
{
	size_t n;
	kt_pcode *p;

	(void)state;
	p = find("p.k. 120385-12343 un a.k. 33309240065, 161375-19997", &n);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].value, "120385-12343");
	assert_false(p[0].valid);
	assert_string_equal(p[0].reason, "checksum");
	assert_string_equal(p[1].value, "33309240065");
	assert_string_equal(p[1].country, "LT");
	assert_string_equal(p[1].reason, "checksum");
	assert_string_equal(p[2].reason, "date");
	free(p);
	/* an unlabelled 11-digit number that is no date at all is no candidate */
	p = find("summa 99999999999", &n);
	assert_int_equal(n, 0);
	free(p);
}

static void test_longer_runs(void **state)
{
	static const char *const texts[] = {
		"konts 9933309240064",
		"konts 333092400641",
		"120385-123425",
		"0120385-12342",
		"LV80HABA12038512342",
		"12-120385-12342",
		"120385-12342-7",
		"1.120385-12342",
		"33309240064.5",
		"x120385-12342",
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		kt_pcode *p = find(texts[i], &n);

		if (n != 0)
			fail_msg("'%s' gave %s", texts[i], p[0].value);
		free(p);
	}
}

/* Letters OCR read for digits are repaired where the check digit (and the
 * date) proves the repair, and only there. */
static void test_repaired(void **state)
{
	static const struct {
		const char *text, *want, *country;
	} ok[] = {
		{ "personas kods 12O385-12342", "120385-12342", "LV" },
		{ "p.k. l20385-1234Z", "120385-12342", "LV" },
		{ "kods 161175-I9997.", "161175-19997", "LV" },
		{ "a.k. 333O9240064", "33309240064", "LT" },
		{ "pareiškėjas 3850IO10087", "38501010087", "LT" },
		{ "Personas kods: 12O385I2342", "120385-12342", "LV" },
	};
	static const char *const refused[] = {
		"personas kods 12O385-12343",   /* the check digit fails */
		"personas kods 32O517-12345",   /* a new code: nothing proves it */
		"kods 1ZO3B5-12342",            /* three letters or more */
		"a.k. 333O924OO65",
		"SIA 12O385-12342x",
		"BOOKS 120385-OOOOO",
		"OSLO 1234",
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		kt_pcode *p = find(ok[i].text, &n);

		if (n != 1)
			fail_msg("'%s' gave %zu codes", ok[i].text, n);
		assert_string_equal(p[0].value, ok[i].want);
		assert_string_equal(p[0].country, ok[i].country);
		assert_true(p[0].valid);
		assert_int_equal(p[0].span.start, (size_t)(strpbrk(ok[i].text, "0123456789lIO") - ok[i].text));
		free(p);
	}
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		kt_pcode *p = find(refused[i], &n);

		if (n != 0)
			fail_msg("'%s' gave %s", refused[i], p[0].value);
		free(p);
	}
}

static void test_exclusion_and_null(void **state)
{
	const char *text = "120385-12342 33309240064";
	kt_extract_span ex = { 0, 12 };
	kt_pcode *p = NULL;
	size_t n = 99;

	(void)state;
	assert_int_equal(kt_pcode_find(text, &ex, 1, &p, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].value, "33309240064");
	free(p);
	assert_int_equal(kt_pcode_find(NULL, NULL, 0, &p, &n), KT_OK);
	assert_null(p);
	assert_int_equal(n, 0);
	assert_int_equal(kt_pcode_find("", NULL, 0, &p, &n), KT_OK);
	assert_int_equal(n, 0);
}

static const kt_test_case cases[] = {
	KT_TEST(lv_check_digit),
	KT_TEST(lt_check_digit),
	KT_TEST(lv_validate),
	KT_TEST(lt_validate),
	KT_TEST(find_lv),
	KT_TEST(find_lv_new),
	KT_TEST(find_lt),
	KT_TEST(candidates),
	KT_TEST(longer_runs),
	KT_TEST(repaired),
	KT_TEST(exclusion_and_null),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_pcode", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
