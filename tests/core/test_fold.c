/*
 * test_fold.c - the one folding of text for matching (pipeline/core/kt_fold.h)
 * that the extractors and the full-text index share, with its offset map.
 * Run as `test_fold CASE`.
 */
#include "kt_test.h"

#include <stdlib.h>
#include <string.h>

#include "kt_fold.h"
#include "kt_text.h"
#include "kt_translit.h"

static void expect_fold(const char *in, unsigned flags, const char *want)
{
	size_t n = 0, m = 0, *map = NULL;
	char *f = kt_fold(in, strlen(in), flags, &n);
	char *g = kt_fold_map(in, strlen(in), flags, &m, &map);

	assert_non_null(f);
	assert_non_null(g);
	if (strcmp(f, want) != 0)
		fail_msg("fold '%s' (flags %u): want '%s', got '%s'", in, flags, want, f);
	assert_int_equal(n, strlen(want));
	/* the same folding with and without the map */
	assert_string_equal(g, f);
	assert_int_equal(m, n);
	assert_int_equal(map[m], strlen(in));
	free(f);
	free(g);
	free(map);
}

static void test_latin(void **state)
{
	(void)state;
	expect_fold("LĒMUMS", KT_FOLD_LOWER, "lemums");
	expect_fold("Pārrunu Protokols", KT_FOLD_LOWER, "parrunu protokols");
	expect_fold("UZTURĒŠANĀS ATĻAUJA", KT_FOLD_LOWER, "uzturesanas atlauja");
	expect_fold("Ąžuolas GEGUŽĖS rugsėjo", KT_FOLD_LOWER, "azuolas geguzes rugsejo");
	expect_fold("ĶĢŅĻ ķģņļ Īī Ūū Čč", KT_FOLD_LOWER, "kgnl kgnl ii uu cc");
	expect_fold("Straße Æsir Œuvre Øre Þór", KT_FOLD_LOWER, "strasse aesir oeuvre ore thor");
	expect_fold("ŞȘşș ȚțŢ", KT_FOLD_LOWER, "ssss ttt");
	expect_fold("Łódź Đakovo ðıħŧĸŀŉŋſ", KT_FOLD_LOWER, "lodz dakovo dihtklnns");
	expect_fold("× ÷ ª", KT_FOLD_LOWER, "× ÷ ª");
	/* without KT_FOLD_LOWER the case is kept, ligatures too */
	expect_fold("Žukauskas", 0, "Zukauskas");
	expect_fold("ÆSIR Straße ẞ Ĳssel", 0, "AESIR Strasse SS IJssel");
	expect_fold("PMLP-LV-2023", KT_FOLD_LOWER, "pmlp-lv-2023");
	/* a letter of the rules under a mark: Ǿ is Ø with an acute, Ǣ Æ with a macron */
	expect_fold("Ǿǿ Ǣǣ Ǽ", 0, "Oo AEae AE");
	expect_fold("Ǿǿ Ǣǣ Ǽ", KT_FOLD_LOWER, "oo aeae ae");
}

static void test_cyrillic(void **state)
{
	(void)state;
	expect_fold("РЕШЕНИЕ", KT_FOLD_LOWER, "решение");
	expect_fold("Ёлка ЁЖИК", KT_FOLD_LOWER, "елка ежик");
	expect_fold("ЗАЯВЛЕНИЕ о ВИДЕ", KT_FOLD_LOWER, "заявление о виде");
	/* the breve and the diaeresis are marks: й -> и, ї -> і, ў -> у */
	expect_fold("Май ЙОД", KT_FOLD_LOWER, "маи иод");
	expect_fold("Ёлка йод ЙОД", 0, "Елка иод ИОД");
	expect_fold("Іі Її Єє Ўў", KT_FOLD_LOWER, "іі іі єє уу");
}

static void test_other_scripts(void **state)
{
	(void)state;
	expect_fold("e\xcc\x81t\xc3\xa9", 0, "ete");	/* decomposed and composed input */
	expect_fold("한국어", 0, "한국어");		/* NFD must not leave jamo */
	expect_fold("Ωμέγα", KT_FOLD_LOWER, "ωμεγα");
	expect_fold("東京 “quoted” № 5 €", KT_FOLD_LOWER, "東京 “quoted” № 5 €");
	expect_fold("", KT_FOLD_LOWER, "");
}

static void test_spaces_dashes_invalid(void **state)
{
	(void)state;
	expect_fold("a\xc2\xa0" "b\xe2\x80\xaf" "c\xe3\x80\x80" "d", KT_FOLD_LOWER, "a b c d");
	expect_fold("1\xe2\x80\x93" "2\xe2\x80\x94" "3\xe2\x88\x92" "4\xe2\x80\x90" "5", 0, "1-2-3-4-5");
	expect_fold("\xff" "A\xc3", KT_FOLD_LOWER, "?a?");
	expect_fold("\xc0\xaf", KT_FOLD_LOWER, "??");		/* overlong */
	expect_fold("\xed\xa0\x80", KT_FOLD_LOWER, "???");	/* surrogate */
	expect_fold("\xef\xbf\xbd", 0, "?");			/* U+FFFD itself */
	expect_fold("\xf0\x9f\x98\x80", KT_FOLD_LOWER, "\xf0\x9f\x98\x80");
}

static void test_map(void **state)
{
	const char *in = "ĀB\xe2\x80\x93" "ß";
	size_t n, *map;
	char *f = kt_fold_map(in, strlen(in), KT_FOLD_LOWER, &n, &map);

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

/* Folding a folded string changes nothing; a length bound is kept. */
static void test_idempotent_bounded(void **state)
{
	static const char *const in[] = {
		"Lēmums Nr. 12/3-4 par uzturēšanās atļauju", "Жалоба на решение от 5 мая",
		"Ąžuolas Straße Æ Ĳ ẞ", "e\xcc\x81\xcc\x82x", "\xff\xfe",
	};
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		unsigned flags;

		for (flags = 0; flags <= KT_FOLD_LOWER; flags++) {
			size_t n1, n2;
			char *a = kt_fold(in[i], strlen(in[i]), flags, &n1);
			char *b = kt_fold(a, n1, flags, &n2);

			assert_string_equal(a, b);
			free(a);
			free(b);
		}
	}
	s = kt_fold("ābc", 2, 0, NULL);
	assert_string_equal(s, "a");
	free(s);
	s = kt_fold(NULL, 0, 0, NULL);
	assert_string_equal(s, "");
	free(s);
}

/* The extractors and the index read a Cyrillic name in Latin letters the
 * same way: folding first, then the ICAO transliteration, as the index does
 * for a query. */
static void test_fold_then_translit(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Андрей Щеглов", "andrei shcheglov" },
		{ "АНДРЕЙ", "andrei" },
		{ "Юлия Ёлкина", "iuliia elkina" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n;
		char *f = kt_fold(cases[i].in, strlen(cases[i].in), KT_FOLD_LOWER, &n);
		char *t = kt_translit(f, n, KT_TRANSLIT_LOWER, NULL);

		assert_string_equal(t, cases[i].out);
		free(f);
		free(t);
	}
}

static const kt_test_case cases[] = {
	KT_TEST(latin),
	KT_TEST(cyrillic),
	KT_TEST(other_scripts),
	KT_TEST(spaces_dashes_invalid),
	KT_TEST(map),
	KT_TEST(idempotent_bounded),
	KT_TEST(fold_then_translit),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "fold", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
