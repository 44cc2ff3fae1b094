/*
 * test_extract_fold.c - the UTF-8 lower-casing and diacritic folding the
 * word matchers rely on, with its offset map.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <stdlib.h>
#include <string.h>

#include "extract_private.h"

static void expect_fold(const char *in, const char *want)
{
	size_t n;
	char *f = kt_extract_fold(in, strlen(in), NULL, &n);

	assert_non_null(f);
	assert_string_equal(f, want);
	assert_int_equal(n, strlen(want));
	free(f);
}

static void test_latin(void **state)
{
	(void)state;
	expect_fold("LĒMUMS", "lemums");
	expect_fold("Pārrunu Protokols", "parrunu protokols");
	expect_fold("UZTURĒŠANĀS ATĻAUJA", "uzturesanas atlauja");
	expect_fold("Ąžuolas GEGUŽĖS rugsėjo", "azuolas geguzes rugsejo");
	expect_fold("ĶĢŅĻ ķģņļ Īī Ūū Čč", "kgnl kgnl ii uu cc");
	expect_fold("Straße Æsir Œuvre Øre Þór", "strasse aesir oeuvre ore thor");
	expect_fold("ŞȘşș ȚțŢ", "ssss ttt");
	expect_fold("× ÷", "× ÷");
}

static void test_cyrillic(void **state)
{
	(void)state;
	expect_fold("РЕШЕНИЕ", "решение");
	expect_fold("Ёлка ЁЖИК", "елка ежик");
	expect_fold("ЗАЯВЛЕНИЕ о ВИДЕ", "заявление о виде");
	expect_fold("Іі Її Єє Ўў", "іі її єє ўў");
}

static void test_spaces_dashes_invalid(void **state)
{
	(void)state;
	expect_fold("a\xc2\xa0" "b\xe2\x80\xaf" "c", "a b c");
	expect_fold("1\xe2\x80\x93" "2\xe2\x80\x94" "3\xe2\x88\x92" "4", "1-2-3-4");
	expect_fold("\xff" "A\xc3", "?a?");
	expect_fold("\xc0\xaf", "??");		/* overlong */
	expect_fold("\xed\xa0\x80", "???");	/* surrogate */
	expect_fold("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	expect_fold("", "");
}

static void test_map(void **state)
{
	const char *in = "ĀB\xe2\x80\x93" "ß";
	size_t n, *map;
	char *f = kt_extract_fold(in, strlen(in), &map, &n);

	(void)state;
	assert_string_equal(f, "ab-ss");
	assert_int_equal(map[0], 0);	/* a <- Ā at 0 */
	assert_int_equal(map[1], 2);	/* b */
	assert_int_equal(map[2], 3);	/* - <- en dash at 3 */
	assert_int_equal(map[3], 6);	/* s <- ß at 6 */
	assert_int_equal(map[4], 6);
	assert_int_equal(map[5], strlen(in));
	free(f);
	free(map);
}

static void test_utf8_next(void **state)
{
	const char *s = "a\xc4\x80\xe2\x80\x93\xf0\x9f\x98\x80\x80";
	size_t i = 0, n = strlen(s);

	(void)state;
	assert_int_equal(kt_extract_utf8_next(s, n, &i), 'a');
	assert_int_equal(kt_extract_utf8_next(s, n, &i), 0x100);
	assert_int_equal(kt_extract_utf8_next(s, n, &i), 0x2013);
	assert_int_equal(kt_extract_utf8_next(s, n, &i), 0x1F600);
	assert_int_equal(kt_extract_utf8_next(s, n, &i), 0xFFFD);
	assert_int_equal(i, n);
	/* truncated sequence */
	i = 0;
	assert_int_equal(kt_extract_utf8_next("\xe2\x80", 2, &i), 0xFFFD);
	assert_int_equal(i, 1);
}

static const kt_test_case cases[] = {
	KT_TEST(latin),
	KT_TEST(cyrillic),
	KT_TEST(spaces_dashes_invalid),
	KT_TEST(map),
	KT_TEST(utf8_next),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_fold", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
