/*
 * index_search_cases.c - test_index cases: folding, putting and searching,
 * snippets, AND and the operators, phrases, re-putting and deleting, the
 * fields, date ranges, diacritics both ways, exact spelling first, stemming.
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

/* ------------------------------------------------------------- tests */

void test_fold(void **state)
{
	static const struct {
		const char *in;
		unsigned flags;
		const char *out;
	} cases[] = {
		{ "lēmums", 0, "lemums" },
		{ "Žukauskas", 0, "Zukauskas" },
		{ "Žukauskas", KT_FOLD_LOWER, "zukauskas" },
		{ "ā č ē ģ ī ķ ļ ņ š ū ž", 0, "a c e g i k l n s u z" },
		{ "ą č ę ė į š ų ū ž", 0, "a c e e i s u u z" },
		{ "Ёлка йод ЙОД", 0, "Елка иод ИОД" },
		{ "Łódź Øre đ", KT_FOLD_LOWER, "lodz ore d" },
		{ "PMLP-LV-2023", KT_FOLD_LOWER, "pmlp-lv-2023" },
		{ "e\xcc\x81t\xc3\xa9", 0, "ete" },		/* NFD and NFC input */
		{ "한국어", 0, "한국어" },			/* NFD must not leave jamo */
		{ "", 0, "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = 0;
		char *s = kt_fold(cases[i].in, strlen(cases[i].in), cases[i].flags, &n);

		assert_non_null(s);
		assert_string_equal(s, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		free(s);
	}
	/* Invalid UTF-8 is replaced, not a crash; length-bounded input. */
	char *s = kt_fold("a\xff\xfe" "b", 4, 0, NULL);
	assert_non_null(s);
	assert_int_equal(s[0], 'a');
	free(s);
	s = kt_fold("ābc", 2, 0, NULL);
	assert_string_equal(s, "a");
	free(s);
}

void test_put_search(void **state)
{
	fixture *f = *state;
	kt_index_hits *h;

	load_samples(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 6);
	h = search(f->w, "Karimi");
	assert_int_equal(h->n, 2);
	assert_true(h->estimated_total >= 2);
	for (int i = 0; i < h->n; i++) {
		assert_true(h->hits[i].doc_id == 1 || h->hits[i].doc_id == 4);
		assert_int_equal(h->hits[i].page, 1);
		assert_true(h->hits[i].score > 0 && h->hits[i].score <= 100);
		assert_non_null(h->hits[i].snippet);
	}
	kt_index_hits_free(&h);
	assert_null(h);
	expect_pages(f->w, "Žukauskas", "2-1 5-2");
}

void test_snippet_markers(void **state)
{
	fixture *f = *state;
	char *s;

	load_samples(f->w);
	s = first_snippet(f->w, "Karimi lēmums");
	kt_expect_in(s, "«Karimi»");
	kt_expect_in(s, "«Lēmums»");
	free(s);
	/* Found without diacritics: the word as written is highlighted. */
	s = first_snippet(f->w, "lemums");
	kt_expect_in(s, "«Lēmums»");
	free(s);
	s = first_snippet(f->w, "zukauskas pareiskejas");
	kt_expect_in(s, "«Pareiškėjas»");
	kt_expect_in(s, "«Žukauskas»");
	free(s);
	/* Found by its stem. */
	s = first_snippet(f->w, "decision");
	kt_expect_in(s, "«decisions»");
	free(s);
	/* A phrase is highlighted as one. */
	s = first_snippet(f->w, "\"lēmums par\"");
	kt_expect_in(s, "«Lēmums par»");
	free(s);
	/* Long text is cut to about 200 bytes with … */
	{
		char text[4000] = "";
		for (int i = 0; i < 60; i++)
			strcat(text, i == 40 ? "vajadzīgais vārds šeit. " : "cits teikums bez nozīmes. ");
		put_text(f->w, 9, 1, "lav", text);
		commit(f->w);
		s = first_snippet(f->w, "vajadzīgais");
		kt_expect_in(s, "«vajadzīgais»");
		kt_expect_in(s, "…");
		assert_true(strlen(s) < 320);
		free(s);
	}
}

void test_snippet_plain_text(void **state)
{
	fixture *f = *state;
	char *s;

	load_samples(f->w);
	s = first_snippet(f->w, "appealed");
	kt_expect_in(s, "«appealed»");
	kt_expect_in(s, "A&B <x> \"quoted\"");
	kt_expect_not_in(s, "&amp;");
	kt_expect_not_in(s, "&lt;");
	kt_expect_not_in(s, "&quot;");
	free(s);
	/* A literal entity in the text stays as it was. */
	put_text(f->w, 9, 1, "eng", "Literal &lt; and &amp; entities near keyword.");
	commit(f->w);
	s = first_snippet(f->w, "keyword");
	kt_expect_in(s, "Literal &lt; and &amp; entities");
	free(s);
	/* A page found by a filter only still gets a snippet: its beginning. */
	s = first_snippet(f->w, "type:decision");
	kt_expect_in(s, "Lēmums par");
	kt_expect_not_in(s, "«");
	free(s);
}

void test_and_semantics(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "lēmums Karimi", "1-1");
	expect_pages(f->w, "Karimi", "1-1 4-1");
	expect_pages(f->w, "lēmums", "1-1");
	expect_pages(f->w, "lēmums Žukauskas", "");
	expect_pages(f->w, "lemums karimi", "1-1");
}

void test_operators(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "Karimi OR Žukauskas", "1-1 2-1 4-1 5-2");
	expect_pages(f->w, "Karimi NOT lēmums", "4-1");
	expect_pages(f->w, "Karimi -lēmums", "4-1");
	expect_pages(f->w, "Karimi AND (lēmums OR appealed)", "1-1 4-1");
	expect_pages(f->w, "NOT Karimi", "2-1 3-1 5-2 6-1");
	/* An excluded word is excluded in every form: folded, stemmed, phrase. */
	expect_pages(f->w, "Karimi NOT lemums", "4-1");
	expect_pages(f->w, "Karimi NOT decision", "1-1");
	expect_pages(f->w, "Karimi NOT \"lēmums par\"", "4-1");
	expect_pages(f->w, "NOT zukauskas", "1-1 3-1 4-1 6-1");
	expect_pages(f->w, "Jonas NOT Žukauskas", "");
	/* Lower-case "or" is a word, so this is karimi AND or AND žukauskas. */
	expect_pages(f->w, "Karimi or Žukauskas", "");
}

void test_phrase(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "\"lēmums par\"", "1-1");
	expect_pages(f->w, "\"par lēmums\"", "");
	expect_pages(f->w, "\"lemums par uzturesanas\"", "1-1");
	expect_pages(f->w, "\"Ali Karimi\"", "1-1");
	expect_pages(f->w, "\"Karimi Ali\"", "");
}

void test_reput_no_duplicate(void **state)
{
	fixture *f = *state;

	put_text(f->w, 1, 1, "lav", "Pirmā versija ar Karimi.");
	commit(f->w);
	put_text(f->w, 1, 1, "lav", "Pirmā versija ar Karimi.");
	put_text(f->w, 1, 1, "lav", "Pirmā versija ar Karimi.");
	commit(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 1);
	expect_pages(f->w, "Karimi", "1-1");
	/* New text replaces the old one. */
	put_text(f->w, 1, 1, "lav", "Otrā versija bez vārda.");
	commit(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 1);
	expect_pages(f->w, "Karimi", "");
	expect_pages(f->w, "otrā", "1-1");
	/* Another page of the same document is another page. */
	put_text(f->w, 1, 2, "lav", "Otrā lapa.");
	commit(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 2);
}

void test_delete_doc(void **state)
{
	fixture *f = *state;

	put_text(f->w, 7, 1, "eng", "first page of seven, common word");
	put_text(f->w, 7, 2, "eng", "second page of seven, common word");
	put_text(f->w, 8, 1, "eng", "only page of eight, common word");
	put_text(f->w, 70, 1, "eng", "page of seventy, common word");
	commit(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 4);
	assert_int_equal(kt_index_delete_doc(f->w, 7), KT_OK);
	commit(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 2);
	expect_pages(f->w, "common", "8-1 70-1");
	expect_pages(f->w, "seven", "");
	/* Deleting what is not there is fine. */
	assert_int_equal(kt_index_delete_doc(f->w, 12345), KT_OK);
	commit(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 2);
}

void test_field_case(void **state)
{
	fixture *f = *state;
	char *d;

	load_samples(f->w);
	d = kt_index_describe_query(f->w, "case:PMLP-LV-2023-004571");
	assert_non_null(d);
	kt_expect_in(d, "XCPMLP-LV-2023-004571");	/* one term, hyphens kept */
	free(d);
	expect_pages(f->w, "case:PMLP-LV-2023-004571", "1-1");
	expect_pages(f->w, "case:pmlp-lv-2023-004571", "1-1");
	expect_pages(f->w, "case:PMLP-LV-2023-004572", "");
	expect_pages(f->w, "case:PMLP", "");
	expect_pages(f->w, "case:PMLP-LV-2023-004571 Karimi", "1-1");
	expect_pages(f->w, "case:PMLP-LV-2023-004571 Žukauskas", "");
	/* Typed without prefix: found in the text. */
	expect_pages(f->w, "PMLP-LV-2023-004571", "1-1");
	expect_pages(f->w, "PMLP-LV-2023-004572", "");
	/* A case number of the page that its text does not show. */
	expect_pages(f->w, "PMLP-LV-2022-000001", "3-1");
	expect_pages(f->w, "case:PMLP-LV-2022-000001", "3-1");
}

void test_field_pc(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "pc:010180-12345", "1-1");
	expect_pages(f->w, "pc:01018012345", "1-1");
	expect_pages(f->w, "pc:010180-12346", "");
	expect_pages(f->w, "pc:38001010123", "2-1");
	expect_pages(f->w, "pc:380010-10123", "2-1");	/* digits compared, hyphen ignored */
	expect_pages(f->w, "010180-12345", "1-1");
	expect_pages(f->w, "01018012345", "1-1");
	expect_pages(f->w, "38001010123", "2-1");
}

void test_field_type_lang_batch_doc(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	expect_pages(f->w, "type:decision", "1-1");
	expect_pages(f->w, "type:Decision", "1-1");
	expect_pages(f->w, "type:\"residence permit\"", "2-1");
	expect_pages(f->w, "type:letter", "");	/* known, on no page: no warning */
	expect_pages(f->w, "type:decision type:application", "1-1 3-1");
	expect_pages(f->w, "lang:lav", "1-1 6-1");
	expect_pages(f->w, "lang:eng", "4-1 6-1");
	expect_pages(f->w, "lang:lit Žukauskas", "2-1 5-2");
	expect_pages(f->w, "lang:rus", "3-1");
	expect_pages(f->w, "batch:B-2024-03", "1-1");
	expect_pages(f->w, "batch:B-2024-05", "");
	expect_pages(f->w, "doc:2", "2-1");
	expect_pages(f->w, "doc:5 Zukauskas", "5-2");
	expect_pages(f->w, "doc:99", "");
	expect_pages(f->w, "type:decision lang:lav", "1-1");
	expect_pages(f->w, "type:decision lang:lit", "");
	assert_int_equal(kt_index_search(f->w, "doc:x", 0, 10, &h), KT_FAILED);
	assert_null(h);
	kt_expect_in(kt_index_errmsg(f->w), "doc:x");
}

void test_field_name(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "name:karimi", "1-1");
	expect_pages(f->w, "name:Karimi", "1-1");
	expect_pages(f->w, "name:ALI", "1-1");
	expect_pages(f->w, "name:\"Ali Karimi\"", "1-1");
	expect_pages(f->w, "name:\"ali  karimi\"", "1-1");
	expect_pages(f->w, "name:\"Karimi Ali\"", "");
	expect_pages(f->w, "name:zukauskas", "2-1");
	expect_pages(f->w, "name:Žukauskas", "2-1");
	expect_pages(f->w, "name:maria", "3-1");
	expect_pages(f->w, "name:anna-maria", "3-1");
	expect_pages(f->w, "name:petrov", "");
	/* Names are a field: a text-only mention is not a name: hit. */
	expect_pages(f->w, "name:appealed", "");
}

void test_date_range(void **state)
{
	fixture *f = *state;

	load_samples(f->w);	/* page 1-1 has 2019-05-02 and 2021-07-15 */
	expect_pages(f->w, "date:2021-01-01..2021-12-31", "1-1");
	expect_pages(f->w, "date:2019-01-01..2019-12-31", "1-1");
	expect_pages(f->w, "date:2020-01-01..2020-12-31", "");	/* between the two */
	expect_pages(f->w, "date:2019-05-03..2021-07-14", "");
	expect_pages(f->w, "date:2021-07-15..2021-07-15", "1-1");
	expect_pages(f->w, "date:2021-07-15", "1-1");
	expect_pages(f->w, "date:2021-07-16", "");
	expect_pages(f->w, "date:2021", "1-1");
	expect_pages(f->w, "date:2020", "");
	expect_pages(f->w, "date:2019-05", "1-1");
	expect_pages(f->w, "date:2019-06", "");
	expect_pages(f->w, "date:2021..", "1-1");
	expect_pages(f->w, "date:2022..", "");
	expect_pages(f->w, "date:..2019-12-31", "1-1");
	expect_pages(f->w, "date:..2018", "");
	expect_pages(f->w, "date:2020..2022 Karimi", "1-1");
	expect_pages(f->w, "date:2020..2022 Žukauskas", "");
	expect_pages(f->w, "date:2020 OR Žukauskas", "2-1 5-2");
}

void test_date_bad(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	assert_int_equal(kt_index_search(f->w, "date:2021-13-01..2021-12-31", 0, 10, &h), KT_FAILED);
	assert_null(h);
	kt_expect_in(kt_index_errmsg(f->w), "2021-13-01");
	assert_int_equal(kt_index_search(f->w, "date:yesterday", 0, 10, &h), KT_FAILED);
	kt_expect_in(kt_index_errmsg(f->w), "yesterday");
	/* Not fatal: the next search works. */
	expect_pages(f->w, "date:2021", "1-1");
}

void test_diacritics_query_without(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "lemums", "1-1");
	expect_pages(f->w, "zukauskas", "2-1 5-2");
	expect_pages(f->w, "ZUKAUSKAS", "2-1 5-2");
	expect_pages(f->w, "pareiskejas", "2-1");
	expect_pages(f->w, "uzturesanas atlaujas", "1-1");
	expect_pages(f->w, "Петр", "3-1");		/* Пётр */
	expect_pages(f->w, "елка", "3-1");		/* ёлка */
}

void test_diacritics_text_without(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	/* OCR dropped the diacritics of 5-2: typed with them, it is found too. */
	expect_pages(f->w, "Žukauskas", "2-1 5-2");
	expect_pages(f->w, "pateikė", "5-2");
	expect_pages(f->w, "prašymą", "5-2");
}

void test_exact_ranks_first(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_ranked(f->w, "Žukauskas", "2-1 5-2");
	expect_ranked(f->w, "zukauskas", "5-2 2-1");
	expect_ranked(f->w, "Zukauskas", "5-2 2-1");
	/* Same length, same words otherwise: only the spelling differs. */
	put_text(f->w, 20, 1, "lav", "Ārlietu ministrija");
	put_text(f->w, 21, 1, "lav", "Arlietu ministrija");
	commit(f->w);
	expect_ranked(f->w, "ārlietu", "20-1 21-1");
	expect_ranked(f->w, "arlietu", "21-1 20-1");
	expect_ranked(f->w, "ārlietu ministrija", "20-1 21-1");
}

void test_stem_english(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "decision", "4-1");
	expect_pages(f->w, "apply", "4-1");
	expect_pages(f->w, "applicant", "4-1");
	expect_pages(f->w, "appeal", "4-1");
}

void test_stem_lithuanian(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "sprendimo", "2-1");
	expect_pages(f->w, "sprendimu", "2-1");
	expect_pages(f->w, "leidimas", "2-1");
	expect_pages(f->w, "departamento", "2-1");
}

void test_stem_russian(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "решения", "3-1");
	expect_pages(f->w, "решением", "3-1");
	expect_pages(f->w, "заявителя", "3-1");
	expect_pages(f->w, "выдача", "3-1");
}

void test_latvian_unstemmed(void **state)
{
	fixture *f = *state;

	/* Xapian 1.4 has no Latvian stemmer: word forms and folded forms only. */
	load_samples(f->w);
	expect_pages(f->w, "lēmums", "1-1");
	expect_pages(f->w, "lēmumu", "");
	expect_pages(f->w, "anulēšanu", "1-1");
	expect_pages(f->w, "anulesanu", "1-1");
	expect_pages(f->w, "anulēšana", "");
}
