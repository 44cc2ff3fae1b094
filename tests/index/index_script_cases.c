/*
 * index_script_cases.c - test_index cases: transliteration, names across
 * scripts, facets, long date ranges.
 */
#include "index_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void test_translit(void **state)
{
	static const struct {
		const char *in;
		unsigned flags;
		const char *out;
	} cases[] = {
		/* ICAO Doc 9303 Part 3, letter by letter. */
		{ "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", 0, "abvgdeezhziiklmnoprstufkhtschshshchieyeiuia" },
		{ "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", 0, "ABVGDEEZHZIIKLMNOPRSTUFKHTSCHSHSHCHIEYEIUIA" },
		{ "ђѓєѕіїјљњћќўџґ", 0, "dgiedziijljnjckudzg" },
		/* Names: capitalised, in capitals, lower case on request. */
		{ "Коваленко Олег Петрович", 0, "Kovalenko Oleg Petrovich" },
		{ "Щеглова Юлия", 0, "Shcheglova Iuliia" },
		{ "ЩЕГЛОВА ЮЛИЯ", 0, "SHCHEGLOVA IULIIA" },
		{ "ЩЕГЛОВА Юлия", KT_TRANSLIT_LOWER, "shcheglova iuliia" },
		{ "ЩЕГЛОВА Юлия ОР НОТ", KT_TRANSLIT_NO_CAPS, "Shcheglova Iuliia Or Not" },
		{ "KОВАЛЕНКО OR Жук", KT_TRANSLIT_NO_CAPS, "Kovalenko OR Zhuk" },
		{ "Хрущёв", 0, "Khrushchev" },
		{ "Игорь Объедков", 0, "Igor Obieedkov" },
		{ "Я", 0, "Ia" },
		{ "ТКАЧ", 0, "TKACH" },
		/* A word with a Ukrainian letter reads г as h and и as y. */
		{ "Ігор Гриців", 0, "Ihor Hrytsiv" },
		{ "Григорій Игорь", 0, "Hryhorii Igor" },
		{ "м'ясо м’ясо", 0, "miaso miaso" },
		/* Serbian letters take ICAO's base value. */
		{ "Ђорђе Љубиша Њего", 0, "Dorde Ljubisha Njego" },
		/* Everything else passes through. */
		{ "O'Brien, Rīga 2021-07-15 № 5", 0, "O'Brien, Rīga 2021-07-15 № 5" },
		{ "Kовaленко", 0, "Kovalenko" },		/* Latin K and a in a Cyrillic word */
		{ "Джон Smith", 0, "Dzhon Smith" },
		{ "", 0, "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = 0;
		char *s = kt_translit(cases[i].in, strlen(cases[i].in), cases[i].flags, &n);

		assert_non_null(s);
		if (strcmp(s, cases[i].out) != 0)
			fail_msg("translit '%s': want '%s', got '%s'", cases[i].in, cases[i].out, s);
		assert_int_equal(n, strlen(cases[i].out));
		free(s);
	}
	/* Bytes that are not UTF-8 become U+FFFD, not a crash, and never join
	 * into a letter when one between them is dropped; length-bounded input. */
	char *s = kt_translit("a\xff\xd0" "б\xd0", 6, 0, NULL);
	assert_non_null(s);
	assert_string_equal(s, "a\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd");
	free(s);
	s = kt_translit("\xd0" "ь\x8c", 4, 0, NULL);
	assert_string_equal(s, "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = kt_translit("жук", 2, 0, NULL);
	assert_string_equal(s, "zh");
	free(s);
	s = kt_translit(NULL, 0, 0, NULL);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(kt_translit_has_cyrillic("Rīga", 5), 0);
	assert_int_equal(kt_translit_has_cyrillic("Рига", 8), 1);
	assert_int_equal(kt_translit_has_cyrillic("ґ", 2), 1);
	assert_int_equal(kt_translit_has_cyrillic("\xd0", 1), 0);
	assert_int_equal(kt_translit_has_cyrillic("Ҕ", 2), 0);	/* outside the table */
}

static const char *const k_names_cyr[] = { "Олег Коваленко" };
static const char *const k_names_lat[] = { "Oleg Kovalenko" };

/* 10-1 Russian page naming Коваленко Олег, 11-1 Latvian page naming Oleg Kovalenko. */
static void load_kovalenko(kt_index *w)
{
	kt_index_page r = {
		.doc_id = 10, .page = 1, .lang = "rus", .doc_type = "interview",
		.text = "Протокол собеседования. Заявитель: Коваленко Олег Петрович, гражданство: Украина.",
		.names = k_names_cyr, .n_names = 1,
	};
	kt_index_page l = {
		.doc_id = 11, .page = 1, .lang = "lav", .doc_type = "application",
		.text = "Iesniegums. Iesniedzējs Oleg Kovalenko, pilsonība: Ukraina.",
		.names = k_names_lat, .n_names = 1,
	};

	if (kt_index_put_page(w, &r) != KT_OK || kt_index_put_page(w, &l) != KT_OK)
		fail_msg("put: %s", kt_index_errmsg(w));
	commit(w);
}

void test_cross_script(void **state)
{
	fixture *f = *state;
	char *s;

	load_samples(f->w);
	load_kovalenko(f->w);
	/* Latin finds Cyrillic and Cyrillic finds Latin; the same script first. */
	expect_ranked(f->w, "Kovalenko", "11-1 10-1");
	expect_ranked(f->w, "Коваленко", "10-1 11-1");
	expect_ranked(f->w, "kovalenko", "11-1 10-1");
	expect_ranked(f->w, "KOVALENKO", "11-1 10-1");
	expect_pages(f->w, "Ivanov", "3-1");		/* Иванов */
	expect_pages(f->w, "Petr Ivanov", "3-1");	/* Пётр: ё is e */
	expect_pages(f->w, "Petrovich", "10-1");
	expect_pages(f->w, "Карими", "1-1 4-1");	/* Karimi */
	/* Words and phrases across scripts, with other words and operators. */
	expect_pages(f->w, "Kovalenko Oleg", "10-1 11-1");
	expect_pages(f->w, "\"Kovalenko Oleg\"", "10-1");
	expect_pages(f->w, "\"Oleg Kovalenko\"", "11-1");
	expect_pages(f->w, "\"Олег Коваленко\"", "11-1");
	expect_pages(f->w, "Kovalenko NOT Олег", "");
	expect_pages(f->w, "Kovalenko NOT Iesniegums", "10-1");
	expect_pages(f->w, "Коваленко lang:rus", "10-1");
	expect_pages(f->w, "Kovalenko OR Karimi", "1-1 4-1 10-1 11-1");
	/* The Latin reading is not a guess at Cyrillic: near spellings do not match. */
	expect_pages(f->w, "Kowalenko", "");
	expect_pages(f->w, "Kovalenka", "");
	/* The word as written on the page is highlighted. */
	{
		kt_index_hits *h = NULL;

		assert_int_equal(kt_index_search(f->w, "Kovalenko", 0, 10, &h), KT_OK);
		assert_int_equal(h->n, 2);
		assert_int_equal(h->hits[1].doc_id, 10);
		kt_expect_in(h->hits[1].snippet, "«Коваленко»");
		kt_expect_in(h->hits[0].snippet, "«Kovalenko»");
		kt_index_hits_free(&h);
	}
	s = first_snippet(f->w, "Коваленко");
	kt_expect_in(s, "«Коваленко»");
	free(s);
	/* A Cyrillic word OCR spelt with Latin look-alikes is found either way. */
	put_text(f->w, 12, 1, "rus", "Заявитель Kовaленко Наталья");
	commit(f->w);
	expect_pages(f->w, "Kovalenko Natalia", "12-1");
	expect_pages(f->w, "Наталья", "12-1");
}

void test_name_cross_script(void **state)
{
	fixture *f = *state;

	load_kovalenko(f->w);
	expect_pages(f->w, "name:Kovalenko", "10-1 11-1");
	expect_pages(f->w, "name:Коваленко", "10-1 11-1");
	expect_pages(f->w, "name:КОВАЛЕНКО", "10-1 11-1");
	expect_pages(f->w, "name:\"Oleg Kovalenko\"", "10-1 11-1");
	expect_pages(f->w, "name:\"Олег Коваленко\"", "10-1 11-1");
	expect_pages(f->w, "name:oleg type:interview", "10-1");
	expect_pages(f->w, "name:Kowalenko", "");
	expect_pages(f->w, "name:\"Kovalenko Oleg\"", "");
}

/* The values of one facet as "a=1 b=2". */
static void facet_string(const kt_index_hits *h, const char *name, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < h->n_facets; i++) {
		if (strcmp(h->facets[i].name, name) != 0)
			continue;
		for (int j = 0; j < h->facets[i].n && len < size; j++)
			len += (size_t)snprintf(out + len, size - len, "%s%s=%lld", j ? " " : "",
						h->facets[i].values[j].value, h->facets[i].values[j].count);
		return;
	}
	fail_msg("no facet '%s'", name);
}

static void expect_facets(kt_index *ix, const char *q, const char *type, const char *year, const char *lang)
{
	kt_index_hits *h = NULL;
	char got[512];

	if (kt_index_search_ex(ix, q, 0, 1, KT_INDEX_FACETS, &h) != KT_OK)
		fail_msg("search '%s': %s", q, kt_index_errmsg(ix));
	assert_int_equal(h->n_facets, 3);
	assert_string_equal(h->facets[0].name, "type");
	assert_string_equal(h->facets[1].name, "year");
	assert_string_equal(h->facets[2].name, "lang");
	facet_string(h, "type", got, sizeof got);
	if (strcmp(got, type) != 0)
		fail_msg("query '%s', type: want [%s], got [%s]", q, type, got);
	facet_string(h, "year", got, sizeof got);
	if (strcmp(got, year) != 0)
		fail_msg("query '%s', year: want [%s], got [%s]", q, year, got);
	facet_string(h, "lang", got, sizeof got);
	if (strcmp(got, lang) != 0)
		fail_msg("query '%s', lang: want [%s], got [%s]", q, lang, got);
	kt_index_hits_free(&h);
}

void test_facets(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;
	static const char *const d_dates[] = { "2021-01-05", "2023-06-30" };
	kt_index_page d = {
		.doc_id = 7, .page = 1, .lang = "lav", .doc_type = "decision", .text = "Otrs lēmums.",
		.dates = d_dates, .n_dates = 2,
	};

	load_samples(f->w);
	if (kt_index_put_page(f->w, &d) != KT_OK)
		fail_msg("put: %s", kt_index_errmsg(f->w));
	commit(f->w);
	/* Every page: types by count then name, years in order, each language. */
	expect_facets(f->w, "", "decision=2 application=1 residence permit=1", "2019=1 2021=2 2023=1",
		      "lav=3 eng=2 lit=2 rus=1");
	/* Over the whole match set, not only the hits returned (limit 1). */
	expect_facets(f->w, "lēmums", "decision=2", "2019=1 2021=2 2023=1", "lav=2");
	expect_facets(f->w, "Karimi", "decision=1", "2019=1 2021=1", "eng=1 lav=1");
	expect_facets(f->w, "date:2023", "decision=1", "2021=1 2023=1", "lav=1");
	expect_facets(f->w, "nekas", "", "", "");
	/* The total is exact with facets; the hits are the same as without. */
	assert_int_equal(kt_index_search_ex(f->w, "lēmums", 0, 10, KT_INDEX_FACETS, &h), KT_OK);
	assert_int_equal(h->estimated_total, 2);
	assert_int_equal(h->n, 2);
	kt_index_hits_free(&h);
	assert_null(h);
	/* Paging past the hits still counts them all. */
	assert_int_equal(kt_index_search_ex(f->w, "", 50, 10, KT_INDEX_FACETS, &h), KT_OK);
	assert_int_equal(h->n, 0);
	assert_int_equal(h->estimated_total, 7);
	assert_int_equal(h->facets[2].n, 4);
	kt_index_hits_free(&h);
	/* Without the flag, no facets. */
	assert_int_equal(kt_index_search(f->w, "lēmums", 0, 10, &h), KT_OK);
	assert_null(h->facets);
	assert_int_equal(h->n_facets, 0);
	kt_index_hits_free(&h);
	/* An unknown flag is refused. */
	assert_int_equal(kt_index_search_ex(f->w, "lēmums", 0, 10, 4, &h), KT_FAILED);
	assert_null(h);
	kt_expect_in(kt_index_errmsg(f->w), "flags");
}

void test_date_range_long(void **state)
{
	fixture *f = *state;
	static const char *const d1[] = { "2020-12-30" };
	static const char *const d2[] = { "2021-03-15" };
	static const char *const d3[] = { "2022-02-28" };
	static const char *const d4[] = { "2024-02-29", "1999-12-31" };
	kt_index_page p[] = {
		{ .doc_id = 1, .page = 1, .text = "viens", .dates = d1, .n_dates = 1 },
		{ .doc_id = 2, .page = 1, .text = "divi", .dates = d2, .n_dates = 1 },
		{ .doc_id = 3, .page = 1, .text = "trīs", .dates = d3, .n_dates = 1 },
		{ .doc_id = 4, .page = 1, .text = "četri", .dates = d4, .n_dates = 2 },
	};
	char *d;

	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (kt_index_put_page(f->w, &p[i]) != KT_OK)
			fail_msg("put: %s", kt_index_errmsg(f->w));
	commit(f->w);
	/* Ranges over days, months and years, and the edges of each. */
	expect_pages(f->w, "date:2020-12-30..2022-02-28", "1-1 2-1 3-1");
	expect_pages(f->w, "date:2020-12-31..2022-02-27", "2-1");
	expect_pages(f->w, "date:2020-12-01..2022-02-01", "1-1 2-1");
	expect_pages(f->w, "date:2020-12-30..2020-12-30", "1-1");
	expect_pages(f->w, "date:2020-12-31..2020-12-31", "");
	expect_pages(f->w, "date:2021-03", "2-1");
	expect_pages(f->w, "date:2021-02..2021-03", "2-1");
	expect_pages(f->w, "date:2021-03-16..2021-12-31", "");
	expect_pages(f->w, "date:2021-02-01..2021-03-15", "2-1");
	expect_pages(f->w, "date:2021-03-15..2021-04-30", "2-1");
	expect_pages(f->w, "date:2020-12..2021-02", "1-1");
	expect_pages(f->w, "date:2020..2021", "1-1 2-1");
	expect_pages(f->w, "date:..2020", "1-1 4-1");
	expect_pages(f->w, "date:..1999-12-30", "");
	expect_pages(f->w, "date:2022..", "3-1 4-1");
	expect_pages(f->w, "date:2024-02", "4-1");
	expect_pages(f->w, "date:2024-02-29", "4-1");
	expect_pages(f->w, "date:2022-02-28..2022-02", "3-1");
	/* a reversed range warns: index_warning_cases.c */
	expect_pages(f->w, "date:2000..2019", "");		/* between a page's two dates */
	/* Whole years and months are one term each. */
	d = kt_index_describe_query(f->w, "date:2020..2022");
	assert_non_null(d);
	kt_expect_in(d, "XY2020");
	kt_expect_in(d, "XY2022");
	kt_expect_not_in(d, "XM");
	kt_expect_not_in(d, "XD");
	free(d);
	d = kt_index_describe_query(f->w, "date:2020-12-30..2022-02-28");
	kt_expect_in(d, "XD20201230");
	kt_expect_in(d, "XY2021");
	kt_expect_in(d, "XM202202");
	free(d);
}
