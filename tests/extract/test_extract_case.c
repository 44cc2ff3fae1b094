/*
 * test_extract_case.c - case numbers: the configuration, the default and
 * configured patterns, known numbers read with one OCR error, ambiguous
 * ones left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_extract.h"

/* the case numbers found, joined by spaces, each with '*' when repaired */
static const char *cases_of(const kt_extract_cfg *c, const char *text)
{
	static char buf[1024];
	kt_case *k = NULL;
	size_t n = 0, i, o = 0;

	assert_int_equal(kt_extract_case_numbers(c, text, NULL, 0, &k, &n), KT_OK);
	buf[0] = '\0';
	for (i = 0; i < n && o + 80 < sizeof buf; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s%s", i ? " " : "", k[i].value,
				      k[i].repaired ? "*" : "");
	free(k);
	return buf;
}

static kt_extract_cfg *with_known(void)
{
	kt_extract_cfg *c = kt_extract_cfg_new();

	assert_non_null(c);
	assert_int_equal(kt_extract_cfg_add_known_case(c, "PMLP-LV-2023-004571"), KT_OK);
	assert_int_equal(kt_extract_cfg_add_known_case(c, "MD-LT-2022-001288"), KT_OK);
	return c;
}

static void test_cfg(void **state)
{
	kt_extract_cfg *c = kt_extract_cfg_new();

	(void)state;
	assert_non_null(c);
	assert_string_equal(kt_extract_cfg_errmsg(c), "");
	assert_int_equal(kt_extract_cfg_add_pattern(c, "([A-Z"), KT_FAILED);
	assert_non_null(strstr(kt_extract_cfg_errmsg(c), "bad case-number pattern '([A-Z'"));
	assert_int_equal(kt_extract_cfg_add_pattern(c, NULL), KT_FAILED);
	assert_int_equal(kt_extract_cfg_add_known_case(c, ""), KT_FAILED);
	assert_string_equal(kt_extract_cfg_errmsg(c), "empty known case number");
	assert_int_equal(kt_extract_cfg_add_known_case(c, "AB 12"), KT_FAILED);
	assert_int_equal(kt_extract_cfg_add_known_case(c, NULL), KT_FAILED);
	assert_int_equal(kt_extract_cfg_add_known_case(
				 c, "X234567890123456789012345678901234567890123456789012345678901234"),
			 KT_FAILED);
	assert_int_equal(kt_extract_cfg_add_known_case(c, "AB-2023-0001"), KT_OK);
	assert_int_equal(kt_extract_cfg_add_known_case(c, "AB-2023-0001"), KT_OK);
	assert_int_equal(kt_extract_cfg_set_today(c, 20230229), KT_FAILED);
	assert_int_equal(kt_extract_cfg_set_today(c, 20240229), KT_OK);
	assert_int_equal(kt_extract_cfg_set_today(c, 0), KT_OK);
	kt_extract_cfg_free(&c);
	assert_null(c);
	kt_extract_cfg_free(&c);
	kt_extract_cfg_free(NULL);
	assert_string_equal(kt_extract_cfg_errmsg(NULL), "");
}

static void test_default_pattern(void **state)
{
	kt_extract_cfg *c = kt_extract_cfg_new();

	(void)state;
	assert_string_equal(cases_of(c, "Lieta Nr. PMLP-LV-2023-004571, skat. MD-LT-2022-001288."),
			    "PMLP-LV-2023-004571 MD-LT-2022-001288");
	assert_string_equal(cases_of(NULL, "byla MD-2022-00128899"), "MD-2022-00128899");
	/* glued to more digits or letters: no case number */
	assert_string_equal(cases_of(c, "PMLP-LV-2023-0045712345"), "");
	assert_string_equal(cases_of(c, "PMLP-LV-2023-004571X"), "");
	assert_string_equal(cases_of(c, "pmlp-lv-2023-004571"), "");
	/* OCR spaces around dashes, Unicode dashes */
	assert_string_equal(cases_of(c, "PMLP-LV-2023 - 004571"), "PMLP-LV-2023-004571");
	assert_string_equal(cases_of(c, "PMLP\xe2\x80\x93LV\xe2\x80\x93" "2023\xe2\x80\x94" "004571"),
			    "PMLP-LV-2023-004571");
	kt_extract_cfg_free(&c);
}

static void test_configured_pattern(void **state)
{
	kt_extract_cfg *c = kt_extract_cfg_new();

	(void)state;
	assert_int_equal(kt_extract_cfg_add_pattern(c, "[0-9]{2}/[0-9]{4}"), KT_OK);
	assert_int_equal(kt_extract_cfg_add_pattern(c, "^LIETA [0-9]+"), KT_OK);
	/* the default pattern is replaced */
	assert_string_equal(cases_of(c, "lieta 12/2023 un PMLP-LV-2023-004571\nLIETA 77 un LIETA 78"),
			    "12/2023 LIETA 77");
	kt_extract_cfg_free(&c);
}

static void test_known_exact_and_ocr(void **state)
{
	kt_extract_cfg *c = with_known();

	(void)state;
	assert_string_equal(cases_of(c, "PMLP-LV-2023-004571"), "PMLP-LV-2023-004571");
	/* O for 0, I for 1, S for 5, B for 8, lower case */
	assert_string_equal(cases_of(c, "PMLP-LV-2O23-OO4571"), "PMLP-LV-2023-004571*");
	assert_string_equal(cases_of(c, "MD-LT-2022-OOI2B8"), "MD-LT-2022-001288*");
	assert_string_equal(cases_of(c, "PMLP-LV-2023-004S71"), "PMLP-LV-2023-004571*");
	assert_string_equal(cases_of(c, "pmlp-lv-2023-004571"), "PMLP-LV-2023-004571*");
	/* one substituted character of any kind */
	assert_string_equal(cases_of(c, "lieta PMLP-LV-2023-00#571."), "");
	assert_string_equal(cases_of(c, "lieta PMLP-LV-2023-0045X1."), "PMLP-LV-2023-004571*");
	assert_string_equal(cases_of(c, "lieta PMLP-LV-2O23-0045X1."), "");	/* two errors */
	/* a well-formed number that is not known stays as read: it may be another case */
	assert_string_equal(cases_of(c, "PMLP-LV-2023-004572"), "PMLP-LV-2023-004572");
	kt_extract_cfg_free(&c);
}

static void test_known_ambiguous(void **state)
{
	kt_extract_cfg *c = kt_extract_cfg_new();
	kt_case *k = NULL;
	size_t n;

	(void)state;
	assert_int_equal(kt_extract_cfg_add_known_case(c, "AB-2023-0011"), KT_OK);
	assert_int_equal(kt_extract_cfg_add_known_case(c, "AB-2023-0017"), KT_OK);
	/* one substitution away from both: not matched */
	assert_string_equal(cases_of(c, "AB-2023-001X"), "");
	/* a confusion that fits only one */
	assert_string_equal(cases_of(c, "AB-2O23-0011"), "AB-2023-0011*");
	assert_string_equal(cases_of(c, "AB-2023-00I7"), "AB-2023-0017*");
	/* known numbers that no pattern matches are found exactly */
	assert_int_equal(kt_extract_cfg_add_known_case(c, "A/1-3"), KT_OK);
	assert_string_equal(cases_of(c, "skat. A/1-3."), "A/1-3");
	/* short known numbers are not matched across an error */
	assert_string_equal(cases_of(c, "skat. A/1-4."), "");

	assert_int_equal(kt_extract_case_numbers(c, "AB-2023-0011", NULL, 0, &k, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_true(k[0].known);
	assert_false(k[0].repaired);
	assert_int_equal(k[0].span.start, 0);
	assert_int_equal(k[0].span.end, 12);
	free(k);
	kt_extract_cfg_free(&c);
}

/* a dense list of imported numbers: confusions still resolve, fast */
static void test_many_known(void **state)
{
	kt_extract_cfg *c = kt_extract_cfg_new();
	char num[32];
	int i;

	(void)state;
	for (i = 0; i < 50000; i++) {
		snprintf(num, sizeof num, "PMLP-LV-2023-%06d", i);
		assert_int_equal(kt_extract_cfg_add_known_case(c, num), KT_OK);
	}
	assert_string_equal(cases_of(c, "PMLP-LV-2023-004571 un PMLP-LV-2O23-0O4572, PMLP-LV-2023-0X4573"),
			    "PMLP-LV-2023-004571 PMLP-LV-2023-004572*");
	assert_string_equal(cases_of(c, "MD-LT-2022-001288"), "MD-LT-2022-001288");
	kt_extract_cfg_free(&c);
}

static void test_spans_map_to_the_original(void **state)
{
	const char *text = "Nr.\xc2\xa0PMLP \xe2\x80\x93 LV-2023-004571 tālāk";
	kt_extract_cfg *c = kt_extract_cfg_new();
	kt_case *k = NULL;
	size_t n;
	kt_extract_span ex = { 0, 8 };

	(void)state;
	assert_int_equal(kt_extract_case_numbers(c, text, NULL, 0, &k, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_string_equal(k[0].value, "PMLP-LV-2023-004571");
	assert_int_equal(k[0].span.start, (size_t)(strstr(text, "PMLP") - text));
	assert_int_equal(k[0].span.end, (size_t)(strstr(text, " tālāk") - text));
	free(k);
	assert_int_equal(kt_extract_case_numbers(c, text, &ex, 1, &k, &n), KT_OK);
	assert_int_equal(n, 0);
	free(k);
	kt_extract_cfg_free(&c);
}

static const kt_test_case cases[] = {
	KT_TEST(cfg),
	KT_TEST(default_pattern),
	KT_TEST(configured_pattern),
	KT_TEST(known_exact_and_ocr),
	KT_TEST(known_ambiguous),
	KT_TEST(many_known),
	KT_TEST(spans_map_to_the_original),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_case", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
