/*
 * test_index.c - tests of the full-text index (index/kt_index.h) and of the
 * diacritic folding and transliteration under it (index/fold_private.h,
 * index/translit_private.h).
 *
 * `test_index NAME` runs one test case (one CTest entry each, see
 * CMakeLists.txt); `test_index` runs them all; `test_index --check-list
 * NAME...` checks that the names given are exactly the test cases. Each case
 * gets a fresh temporary folder (mkdtemp) with a writable index open in
 * it, removed afterwards.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fold_private.h"
#include "kt_index.h"
#include "translit_private.h"

/* ------------------------------------------------------------- fixture */

typedef struct fixture {
	char dir[256];		/* the temporary folder */
	char db[300];		/* dir/xapian */
	kt_index *w;		/* writable handle on db */
} fixture;

static void remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[1024];

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/kt-index-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof f->db, "%s/xapian", f->dir);
	f->w = kt_index_new();
	if (f->w == NULL || kt_index_open(f->w, f->db, 1) != KT_OK) {
		fprintf(stderr, "setup: %s\n", kt_index_errmsg(f->w));
		kt_index_free(&f->w);
		remove_tree(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kt_index_free(&f->w);
	remove_tree(f->dir);
	free(f);
	return 0;
}

/* A read-only handle on the fixture's index. */
static kt_index *reader(fixture *f)
{
	kt_index *r = kt_index_new();

	assert_non_null(r);
	if (kt_index_open(r, f->db, 0) != KT_OK)
		fail_msg("open read-only: %s", kt_index_errmsg(r));
	return r;
}

/* ------------------------------------------------------------- helpers */

static void put_text(kt_index *ix, long long doc, int page, const char *lang, const char *text)
{
	kt_index_page p = { .doc_id = doc, .page = page, .text = text, .lang = lang };

	if (kt_index_put_page(ix, &p) != KT_OK)
		fail_msg("put %lld-%d: %s", doc, page, kt_index_errmsg(ix));
}

static void commit(kt_index *ix)
{
	if (kt_index_commit(ix) != KT_OK)
		fail_msg("commit: %s", kt_index_errmsg(ix));
}

static kt_index_hits *search(kt_index *ix, const char *q)
{
	kt_index_hits *h = NULL;

	if (kt_index_search(ix, q, 0, 100, &h) != KT_OK)
		fail_msg("search '%s': %s", q, kt_index_errmsg(ix));
	assert_non_null(h);
	return h;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The documents a query finds, "doc-page" in rank order (ranked) or sorted. */
static void hits_string(kt_index *ix, const char *q, int ranked, char *out, size_t size)
{
	kt_index_hits *h = search(ix, q);
	long long keys[100];
	size_t len = 0;
	int i;

	for (i = 0; i < h->n && i < 100; i++)
		keys[i] = h->hits[i].doc_id * 1000 + h->hits[i].page;
	if (!ranked)
		qsort(keys, (size_t)i, sizeof keys[0], cmp_ll);
	out[0] = '\0';
	for (int j = 0; j < i && len < size; j++)
		len += (size_t)snprintf(out + len, size - len, "%s%lld-%lld", j ? " " : "", keys[j] / 1000,
					keys[j] % 1000);
	kt_index_hits_free(&h);
}

/* Assert the set of pages a query finds, e.g. "1-1 5-2"; "" for none. */
#define expect_pages(ix, q, want) expect_(ix, q, want, 0)
/* Assert the pages a query finds, best first. */
#define expect_ranked(ix, q, want) expect_(ix, q, want, 1)

static void expect_(kt_index *ix, const char *q, const char *want, int ranked)
{
	char got[1024];

	hits_string(ix, q, ranked, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("query '%s': want [%s], got [%s]", q, want, got);
}

/* The snippet of the first hit of a query. */
static char *first_snippet(kt_index *ix, const char *q)
{
	kt_index_hits *h = search(ix, q);
	char *s;

	if (h->n < 1)
		fail_msg("query '%s' found nothing", q);
	s = strdup(h->hits[0].snippet);
	kt_index_hits_free(&h);
	assert_non_null(s);
	return s;
}

static void expect_in(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, hay);
}

static void expect_not_in(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		fail_msg("'%s' unexpectedly in '%s'", needle, hay);
}

/* ------------------------------------------------------------- sample pages */

static const char *const a_cases[] = { "PMLP-LV-2023-004571" };
static const char *const a_codes[] = { "010180-12345" };
static const char *const a_dates[] = { "2019-05-02", "2021-07-15" };
static const char *const a_names[] = { "Ali Karimi" };
static const char *const b_names[] = { "Jonas Žukauskas" };
static const char *const b_codes[] = { "38001010123" };
static const char *const c_names[] = { "Anna-Maria Eriksson" };
static const char *const c_cases[] = { "PMLP-LV-2022-000001" };	/* not in the text */

/* 1-1 Latvian decision, 2-1 Lithuanian, 3-1 Russian, 4-1 English,
 * 5-2 Lithuanian with diacritics lost by OCR, 6-1 Latvian+English. */
static void load_samples(kt_index *w)
{
	kt_index_page a = {
		.doc_id = 1, .page = 1, .lang = "lav", .doc_type = "decision", .batch = "B-2024-03",
		.text = "Lēmums par uzturēšanās atļaujas anulēšanu. Pieteicējs Ali Karimi, personas kods "
			"010180-12345. Lieta PMLP-LV-2023-004571. Rīgā, 2021. gada 15. jūlijā.",
		.case_numbers = a_cases, .n_case_numbers = 1,
		.personal_codes = a_codes, .n_personal_codes = 1,
		.dates = a_dates, .n_dates = 2,
		.names = a_names, .n_names = 1,
	};
	kt_index_page b = {
		.doc_id = 2, .page = 1, .lang = "lit", .doc_type = "residence permit", .batch = "B-2024-04",
		.text = "Sprendimas dėl leidimo gyventi. Pareiškėjas Jonas Žukauskas, asmens kodas 38001010123. "
			"Migracijos departamentas priėmė sprendimą.",
		.personal_codes = b_codes, .n_personal_codes = 1,
		.names = b_names, .n_names = 1,
	};
	kt_index_page c = {
		.doc_id = 3, .page = 1, .lang = "rus", .doc_type = "application",
		.text = "Решение о выдаче вида на жительство. Заявитель Пётр Иванов, ёлка.",
		.case_numbers = c_cases, .n_case_numbers = 1,
		.names = c_names, .n_names = 1,
	};

	if (kt_index_put_page(w, &a) != KT_OK || kt_index_put_page(w, &b) != KT_OK ||
	    kt_index_put_page(w, &c) != KT_OK)
		fail_msg("put: %s", kt_index_errmsg(w));
	put_text(w, 4, 1, "eng", "The decisions were applied to the applicants. Karimi appealed against A&B <x> \"quoted\".");
	put_text(w, 5, 2, "lit", "Jonas Zukauskas pateike prasyma.");
	put_text(w, 6, 1, "lav+eng", "Iesniegums (application) reģistrēts.");
	commit(w);
}

/* ------------------------------------------------------------- tests */

static void fold(void **state)
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

static void put_search(void **state)
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

static void snippet_markers(void **state)
{
	fixture *f = *state;
	char *s;

	load_samples(f->w);
	s = first_snippet(f->w, "Karimi lēmums");
	expect_in(s, "«Karimi»");
	expect_in(s, "«Lēmums»");
	free(s);
	/* Found without diacritics: the word as written is highlighted. */
	s = first_snippet(f->w, "lemums");
	expect_in(s, "«Lēmums»");
	free(s);
	s = first_snippet(f->w, "zukauskas pareiskejas");
	expect_in(s, "«Pareiškėjas»");
	expect_in(s, "«Žukauskas»");
	free(s);
	/* Found by its stem. */
	s = first_snippet(f->w, "decision");
	expect_in(s, "«decisions»");
	free(s);
	/* A phrase is highlighted as one. */
	s = first_snippet(f->w, "\"lēmums par\"");
	expect_in(s, "«Lēmums par»");
	free(s);
	/* Long text is cut to about 200 bytes with … */
	{
		char text[4000] = "";
		for (int i = 0; i < 60; i++)
			strcat(text, i == 40 ? "vajadzīgais vārds šeit. " : "cits teikums bez nozīmes. ");
		put_text(f->w, 9, 1, "lav", text);
		commit(f->w);
		s = first_snippet(f->w, "vajadzīgais");
		expect_in(s, "«vajadzīgais»");
		expect_in(s, "…");
		assert_true(strlen(s) < 320);
		free(s);
	}
}

static void snippet_plain_text(void **state)
{
	fixture *f = *state;
	char *s;

	load_samples(f->w);
	s = first_snippet(f->w, "appealed");
	expect_in(s, "«appealed»");
	expect_in(s, "A&B <x> \"quoted\"");
	expect_not_in(s, "&amp;");
	expect_not_in(s, "&lt;");
	expect_not_in(s, "&quot;");
	free(s);
	/* A literal entity in the text stays as it was. */
	put_text(f->w, 9, 1, "eng", "Literal &lt; and &amp; entities near keyword.");
	commit(f->w);
	s = first_snippet(f->w, "keyword");
	expect_in(s, "Literal &lt; and &amp; entities");
	free(s);
	/* A page found by a filter only still gets a snippet: its beginning. */
	s = first_snippet(f->w, "type:decision");
	expect_in(s, "Lēmums par");
	expect_not_in(s, "«");
	free(s);
}

static void and_semantics(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "lēmums Karimi", "1-1");
	expect_pages(f->w, "Karimi", "1-1 4-1");
	expect_pages(f->w, "lēmums", "1-1");
	expect_pages(f->w, "lēmums Žukauskas", "");
	expect_pages(f->w, "lemums karimi", "1-1");
}

static void operators(void **state)
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

static void phrase(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "\"lēmums par\"", "1-1");
	expect_pages(f->w, "\"par lēmums\"", "");
	expect_pages(f->w, "\"lemums par uzturesanas\"", "1-1");
	expect_pages(f->w, "\"Ali Karimi\"", "1-1");
	expect_pages(f->w, "\"Karimi Ali\"", "");
}

static void reput_no_duplicate(void **state)
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

static void delete_doc(void **state)
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

static void field_case(void **state)
{
	fixture *f = *state;
	char *d;

	load_samples(f->w);
	d = kt_index_describe_query(f->w, "case:PMLP-LV-2023-004571");
	assert_non_null(d);
	expect_in(d, "XCPMLP-LV-2023-004571");	/* one term, hyphens kept */
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

static void field_pc(void **state)
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

static void field_type_lang_batch_doc(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	expect_pages(f->w, "type:decision", "1-1");
	expect_pages(f->w, "type:Decision", "1-1");
	expect_pages(f->w, "type:\"residence permit\"", "2-1");
	expect_pages(f->w, "type:passport", "");
	expect_pages(f->w, "type:decision type:application", "1-1 3-1");
	expect_pages(f->w, "lang:lav", "1-1 6-1");
	expect_pages(f->w, "lang:eng", "4-1 6-1");
	expect_pages(f->w, "lang:lit Žukauskas", "2-1 5-2");
	expect_pages(f->w, "lang:rus", "3-1");
	expect_pages(f->w, "lang:deu", "");
	expect_pages(f->w, "batch:B-2024-03", "1-1");
	expect_pages(f->w, "batch:B-2024-05", "");
	expect_pages(f->w, "doc:2", "2-1");
	expect_pages(f->w, "doc:5 Zukauskas", "5-2");
	expect_pages(f->w, "doc:99", "");
	expect_pages(f->w, "type:decision lang:lav", "1-1");
	expect_pages(f->w, "type:decision lang:lit", "");
	assert_int_equal(kt_index_search(f->w, "doc:x", 0, 10, &h), KT_FAILED);
	assert_null(h);
	expect_in(kt_index_errmsg(f->w), "doc:x");
}

static void field_name(void **state)
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

static void date_range(void **state)
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

static void date_bad(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	assert_int_equal(kt_index_search(f->w, "date:2021-13-01..2021-12-31", 0, 10, &h), KT_FAILED);
	assert_null(h);
	expect_in(kt_index_errmsg(f->w), "2021-13-01");
	assert_int_equal(kt_index_search(f->w, "date:yesterday", 0, 10, &h), KT_FAILED);
	expect_in(kt_index_errmsg(f->w), "yesterday");
	/* Not fatal: the next search works. */
	expect_pages(f->w, "date:2021", "1-1");
}

static void diacritics_query_without(void **state)
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

static void diacritics_text_without(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	/* OCR dropped the diacritics of 5-2: typed with them, it is found too. */
	expect_pages(f->w, "Žukauskas", "2-1 5-2");
	expect_pages(f->w, "pateikė", "5-2");
	expect_pages(f->w, "prašymą", "5-2");
}

static void exact_ranks_first(void **state)
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

static void stem_english(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "decision", "4-1");
	expect_pages(f->w, "apply", "4-1");
	expect_pages(f->w, "applicant", "4-1");
	expect_pages(f->w, "appeal", "4-1");
}

static void stem_lithuanian(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "sprendimo", "2-1");
	expect_pages(f->w, "sprendimu", "2-1");
	expect_pages(f->w, "leidimas", "2-1");
	expect_pages(f->w, "departamento", "2-1");
}

static void stem_russian(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "решения", "3-1");
	expect_pages(f->w, "решением", "3-1");
	expect_pages(f->w, "заявителя", "3-1");
	expect_pages(f->w, "выдача", "3-1");
}

static void latvian_unstemmed(void **state)
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

static void uncommitted_invisible(void **state)
{
	fixture *f = *state;
	kt_index *r = reader(f);

	put_text(f->w, 1, 1, "eng", "visible only after commit");
	assert_int_equal(kt_index_doc_count(f->w), 1);	/* the writer sees its own */
	expect_pages(f->w, "visible", "1-1");
	assert_int_equal(kt_index_doc_count(r), 0);
	expect_pages(r, "visible", "");
	commit(f->w);
	assert_int_equal(kt_index_doc_count(r), 1);
	expect_pages(r, "visible", "1-1");
	/* A delete is invisible until committed too. */
	assert_int_equal(kt_index_delete_doc(f->w, 1), KT_OK);
	expect_pages(r, "visible", "1-1");
	commit(f->w);
	expect_pages(r, "visible", "");
	kt_index_free(&r);
	assert_null(r);
}

static void free_discards_uncommitted(void **state)
{
	fixture *f = *state;
	kt_index *r;

	put_text(f->w, 1, 1, "eng", "committed page");
	commit(f->w);
	put_text(f->w, 2, 1, "eng", "never committed page");
	assert_int_equal(kt_index_set_meta(f->w, "seq", "2"), KT_OK);
	kt_index_free(&f->w);
	r = reader(f);
	assert_int_equal(kt_index_doc_count(r), 1);
	expect_pages(r, "page", "1-1");
	assert_null(kt_index_get_meta(r, "seq"));
	kt_index_free(&r);
}

static void no_autocommit(void **state)
{
	fixture *f = *state;
	kt_index *r;
	char text[64];

	/* Xapian commits by itself every XAPIAN_FLUSH_THRESHOLD changes; not here. */
	kt_index_free(&f->w);
	setenv("XAPIAN_FLUSH_THRESHOLD", "10", 1);
	f->w = kt_index_new();
	assert_int_equal(kt_index_open(f->w, f->db, 1), KT_OK);
	r = reader(f);
	for (int i = 0; i < 60; i++) {
		snprintf(text, sizeof text, "page number %d of many", i);
		put_text(f->w, 100 + i, 1, "eng", text);
	}
	assert_int_equal(kt_index_doc_count(r), 0);
	commit(f->w);
	assert_int_equal(kt_index_doc_count(r), 60);
	unsetenv("XAPIAN_FLUSH_THRESHOLD");
	kt_index_free(&r);
}

/* The writer of killed_writer, in a child process: batches of 5 pages, the
 * batch number as "seq" metadata, commit; SIGKILL after `kill_after` steps. */
static void doomed_writer(const char *db, int kill_after)
{
	kt_index *w = kt_index_new();
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	char buf[32], text[64];
	char *seq;
	int s, steps = 0, tries = 0;

	/* The killed writer's lock may take a moment to go. */
	while (kt_index_open(w, db, 1) != KT_OK) {
		if (++tries > 100)
			_exit(3);
		nanosleep(&pause, NULL);
	}
	seq = kt_index_get_meta(w, "seq");
	s = seq ? atoi(seq) : 0;
	free(seq);
	for (;;) {
		s++;
		for (int p = 1; p <= 5; p++) {
			kt_index_page pg = { .doc_id = s, .page = p, .text = text, .lang = "eng" };

			snprintf(text, sizeof text, "batch %d page %d survivor", s, p);
			if (kt_index_put_page(w, &pg) != KT_OK)
				_exit(4);
			if (++steps == kill_after)
				raise(SIGKILL);
		}
		snprintf(buf, sizeof buf, "%d", s);
		if (kt_index_set_meta(w, "seq", buf) != KT_OK)
			_exit(5);
		if (++steps == kill_after)
			raise(SIGKILL);
		if (kt_index_commit(w) != KT_OK)
			_exit(6);
		if (++steps == kill_after)
			raise(SIGKILL);
	}
}

static void killed_writer(void **state)
{
	fixture *f = *state;
	unsigned seed = 20240301;

	/* kill -9 at many moments of a batch: afterwards the index holds exactly
	 * the committed batches, each page once, and says which ("seq"). */
	kt_index_free(&f->w);
	for (int round = 0; round < 12; round++) {
		int kill_after = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 30;
		int status = 0, s;
		pid_t pid = fork();
		kt_index *r;
		char *seq;

		assert_true(pid >= 0);
		if (pid == 0)
			doomed_writer(f->db, kill_after);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			fail_msg("round %d: writer exited with status %d", round, status);
		r = reader(f);
		seq = kt_index_get_meta(r, "seq");
		s = seq ? atoi(seq) : 0;
		free(seq);
		assert_int_equal(kt_index_doc_count(r), 5LL * s);
		for (int d = 1; d <= s; d++) {
			char q[32];
			kt_index_hits *h;

			snprintf(q, sizeof q, "doc:%d survivor", d);
			h = search(r, q);
			assert_int_equal(h->n, 5);
			kt_index_hits_free(&h);
		}
		kt_index_free(&r);
	}
	/* And a writer can take over. */
	f->w = kt_index_new();
	assert_int_equal(kt_index_open(f->w, f->db, 1), KT_OK);
}

static void meta_roundtrip(void **state)
{
	fixture *f = *state;
	kt_index *r = reader(f);
	char *v;

	assert_null(kt_index_get_meta(f->w, "catalog_seq"));
	assert_int_equal(kt_index_errcode(f->w), KT_OK);
	assert_int_equal(kt_index_set_meta(f->w, "catalog_seq", "17"), KT_OK);
	put_text(f->w, 1, 1, "eng", "page with sequence 17");
	v = kt_index_get_meta(f->w, "catalog_seq");
	assert_non_null(v);
	assert_string_equal(v, "17");
	free(v);
	/* Not committed: neither the value nor the page is visible elsewhere. */
	assert_null(kt_index_get_meta(r, "catalog_seq"));
	assert_int_equal(kt_index_errcode(r), KT_OK);
	assert_int_equal(kt_index_doc_count(r), 0);
	commit(f->w);
	v = kt_index_get_meta(r, "catalog_seq");
	assert_non_null(v);
	assert_string_equal(v, "17");
	free(v);
	assert_int_equal(kt_index_doc_count(r), 1);
	/* UTF-8 and binary-ish values survive. */
	assert_int_equal(kt_index_set_meta(f->w, "note", "Rīga ёлка\t1"), KT_OK);
	/* Removing a key. */
	assert_int_equal(kt_index_set_meta(f->w, "catalog_seq", NULL), KT_OK);
	commit(f->w);
	assert_null(kt_index_get_meta(r, "catalog_seq"));
	v = kt_index_get_meta(r, "note");
	assert_string_equal(v, "Rīga ёлка\t1");
	free(v);
	assert_int_equal(kt_index_set_meta(f->w, "", "x"), KT_FAILED);
	assert_int_equal(kt_index_set_meta(r, "k", "x"), KT_FAILED);
	kt_index_free(&r);
}

static void missing_db(void **state)
{
	fixture *f = *state;
	kt_index *r = kt_index_new();
	char path[400];

	snprintf(path, sizeof path, "%s/no-such-index", f->dir);
	assert_int_equal(kt_index_open(r, path, 0), KT_FAILED);
	expect_in(kt_index_errmsg(r), path);
	expect_in(kt_index_errmsg(r), "no such folder");
	assert_int_equal(kt_index_errcode(r), KT_FAILED);
	/* The handle is not open, and says so. */
	assert_int_equal(kt_index_doc_count(r), -1);
	expect_in(kt_index_errmsg(r), "not open");
	/* A folder that holds no database. */
	snprintf(path, sizeof path, "%s/empty", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(kt_index_open(r, path, 0), KT_FAILED);
	expect_in(kt_index_errmsg(r), path);
	expect_in(kt_index_errmsg(r), "no index database there");
	/* A missing parent folder when creating. */
	snprintf(path, sizeof path, "%s/no/such/parent", f->dir);
	assert_int_equal(kt_index_open(r, path, 1), KT_FAILED);
	expect_in(kt_index_errmsg(r), path);
	kt_index_free(&r);
}

static void second_writer(void **state)
{
	fixture *f = *state;
	kt_index *w2 = kt_index_new();
	kt_index *r;

	assert_int_equal(kt_index_open(w2, f->db, 1), KT_FAILED);
	expect_in(kt_index_errmsg(w2), "locked by another writer");
	expect_in(kt_index_errmsg(w2), f->db);
	kt_index_free(&w2);
	/* Readers are welcome; a handle opens once. */
	r = reader(f);
	assert_int_equal(kt_index_open(r, f->db, 0), KT_FAILED);
	expect_in(kt_index_errmsg(r), "already");
	kt_index_free(&r);
}

static void read_only_refuses_writes(void **state)
{
	fixture *f = *state;
	kt_index *r = reader(f);
	kt_index_page p = { .doc_id = 1, .page = 1, .text = "x" };

	assert_int_equal(kt_index_put_page(r, &p), KT_FAILED);
	expect_in(kt_index_errmsg(r), "read-only");
	assert_int_equal(kt_index_delete_doc(r, 1), KT_FAILED);
	assert_int_equal(kt_index_commit(r), KT_FAILED);
	/* Still usable for reading. */
	assert_int_equal(kt_index_doc_count(r), 0);
	assert_string_equal(kt_index_errmsg(r), "");
	kt_index_free(&r);
}

static void bad_args(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;
	kt_index *none = NULL;
	kt_index_page p = { .doc_id = -1, .page = 1, .text = "x" };
	kt_index_page q = { .doc_id = 1, .page = 1, .text = "x", .n_names = 2 };
	kt_index_page empty = { .doc_id = 3, .page = 0 };	/* every pointer NULL */

	assert_int_equal(kt_index_put_page(f->w, NULL), KT_FAILED);
	assert_int_equal(kt_index_put_page(f->w, &p), KT_FAILED);
	expect_in(kt_index_errmsg(f->w), "negative");
	assert_int_equal(kt_index_put_page(f->w, &q), KT_FAILED);
	assert_int_equal(kt_index_put_page(f->w, &empty), KT_OK);
	assert_int_equal(kt_index_search(f->w, "x", -1, 10, &h), KT_FAILED);
	assert_int_equal(kt_index_search(f->w, "x", 0, -1, &h), KT_FAILED);
	assert_int_equal(kt_index_search(f->w, "x", 0, 10, NULL), KT_FAILED);
	assert_int_equal(kt_index_open(f->w, NULL, 0), KT_FAILED);
	/* NULL handles. */
	assert_int_equal(kt_index_open(NULL, f->db, 0), KT_FAILED);
	assert_int_equal(kt_index_put_page(NULL, &empty), KT_FAILED);
	assert_int_equal(kt_index_search(NULL, "x", 0, 10, &h), KT_FAILED);
	assert_null(h);
	assert_int_equal(kt_index_doc_count(NULL), -1);
	assert_null(kt_index_get_meta(NULL, "k"));
	assert_non_null(kt_index_errmsg(NULL));
	kt_index_free(NULL);
	kt_index_free(&none);
	kt_index_hits_free(NULL);
	kt_index_hits_free(&h);
	/* The writer still works after all that. */
	commit(f->w);
	assert_int_equal(kt_index_doc_count(f->w), 1);
}

static void query_syntax_error(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	assert_int_equal(kt_index_search(f->w, "Karimi AND", 0, 10, &h), KT_FAILED);
	assert_null(h);
	expect_in(kt_index_errmsg(f->w), "'Karimi AND'");
	expect_pages(f->w, "Karimi AND lēmums", "1-1");
}

static void warn_bad_fields(void **state)
{
	fixture *f = *state;
	char longcase[300];
	const char *cases[] = { longcase, "PMLP-LV-2024-000009" };
	const char *dates[] = { "2021-02-30", "garbage", "2021-03-01", NULL, "" };
	kt_index_page p = {
		.doc_id = 1, .page = 1, .text = "page with odd fields", .lang = "eng",
		.case_numbers = cases, .n_case_numbers = 2, .dates = dates, .n_dates = 5,
	};

	memset(longcase, 'A', sizeof longcase - 1);
	longcase[sizeof longcase - 1] = '\0';
	assert_int_equal(kt_index_put_page(f->w, &p), KT_WARN);
	expect_in(kt_index_errmsg(f->w), "'garbage'");
	expect_in(kt_index_errmsg(f->w), "'2021-02-30'");
	expect_in(kt_index_errmsg(f->w), "case number");
	commit(f->w);
	/* The page is there with its good values. */
	expect_pages(f->w, "odd", "1-1");
	expect_pages(f->w, "date:2021-03-01", "1-1");
	expect_pages(f->w, "date:2021-02", "");
	expect_pages(f->w, "case:PMLP-LV-2024-000009", "1-1");
}

static void no_hits(void **state)
{
	fixture *f = *state;
	kt_index_hits *h;

	h = search(f->w, "Karimi");	/* empty index */
	assert_int_equal(h->n, 0);
	assert_int_equal(h->estimated_total, 0);
	assert_null(h->hits);
	kt_index_hits_free(&h);
	load_samples(f->w);
	h = search(f->w, "neeksistējošs");
	assert_int_equal(h->n, 0);
	assert_int_equal(h->estimated_total, 0);
	kt_index_hits_free(&h);
	expect_pages(f->w, "Karimi NOT Karimi", "");
	expect_pages(f->w, "Karimi neeksistējošs", "");
	expect_pages(f->w, "kari", "");		/* no prefix matching */
	expect_pages(f->w, "!!!", "");
	expect_pages(f->w, "lēmums lang:lit", "");
	/* Other languages' stems do not leak: "decisions" is not Latvian "lēmums". */
	expect_pages(f->w, "decisions lang:lav", "");
}

static void empty_query(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	expect_pages(f->w, "", "1-1 2-1 3-1 4-1 5-2 6-1");
	expect_pages(f->w, "   ", "1-1 2-1 3-1 4-1 5-2 6-1");
	assert_int_equal(kt_index_search(f->w, NULL, 0, 100, &h), KT_OK);
	assert_int_equal(h->n, 6);
	kt_index_hits_free(&h);
}

static void paging(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;
	char text[64];

	for (int i = 1; i <= 5; i++) {
		snprintf(text, sizeof text, "common word page %d", i);
		put_text(f->w, i, 1, "eng", text);
	}
	commit(f->w);
	assert_int_equal(kt_index_search(f->w, "common", 0, 2, &h), KT_OK);
	assert_int_equal(h->n, 2);
	assert_int_equal(h->estimated_total, 5);
	kt_index_hits_free(&h);
	assert_int_equal(kt_index_search(f->w, "common", 4, 2, &h), KT_OK);
	assert_int_equal(h->n, 1);
	kt_index_hits_free(&h);
	assert_int_equal(kt_index_search(f->w, "common", 10, 2, &h), KT_OK);
	assert_int_equal(h->n, 0);
	kt_index_hits_free(&h);
	assert_int_equal(kt_index_search(f->w, "common", 0, 0, &h), KT_OK);
	assert_int_equal(h->n, 0);
	assert_int_equal(h->estimated_total, 5);
	kt_index_hits_free(&h);
}

static void translit(void **state)
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

static void cross_script(void **state)
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
		expect_in(h->hits[1].snippet, "«Коваленко»");
		expect_in(h->hits[0].snippet, "«Kovalenko»");
		kt_index_hits_free(&h);
	}
	s = first_snippet(f->w, "Коваленко");
	expect_in(s, "«Коваленко»");
	free(s);
	/* A Cyrillic word OCR spelt with Latin look-alikes is found either way. */
	put_text(f->w, 12, 1, "rus", "Заявитель Kовaленко Наталья");
	commit(f->w);
	expect_pages(f->w, "Kovalenko Natalia", "12-1");
	expect_pages(f->w, "Наталья", "12-1");
}

static void name_cross_script(void **state)
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

static void facets(void **state)
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
	assert_int_equal(kt_index_search_ex(f->w, "lēmums", 0, 10, 2, &h), KT_FAILED);
	assert_null(h);
	expect_in(kt_index_errmsg(f->w), "flags");
}

static void date_range_long(void **state)
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
	expect_pages(f->w, "date:2022-01-01..2020-12-31", "");	/* reversed */
	expect_pages(f->w, "date:2000..2019", "");		/* between a page's two dates */
	/* Whole years and months are one term each. */
	d = kt_index_describe_query(f->w, "date:2020..2022");
	assert_non_null(d);
	expect_in(d, "XY2020");
	expect_in(d, "XY2022");
	expect_not_in(d, "XM");
	expect_not_in(d, "XD");
	free(d);
	d = kt_index_describe_query(f->w, "date:2020-12-30..2022-02-28");
	expect_in(d, "XD20201230");
	expect_in(d, "XY2021");
	expect_in(d, "XM202202");
	free(d);
}

/* ------------------------------------------------------------- main */

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(fold), T(put_search), T(snippet_markers), T(snippet_plain_text), T(and_semantics),
		T(operators), T(phrase), T(reput_no_duplicate), T(delete_doc), T(field_case), T(field_pc),
		T(field_type_lang_batch_doc), T(field_name), T(date_range), T(date_bad),
		T(diacritics_query_without), T(diacritics_text_without), T(exact_ranks_first),
		T(stem_english), T(stem_lithuanian), T(stem_russian), T(latvian_unstemmed),
		T(uncommitted_invisible), T(free_discards_uncommitted), T(no_autocommit), T(killed_writer),
		T(meta_roundtrip), T(missing_db), T(second_writer), T(read_only_refuses_writes),
		T(bad_args), T(query_syntax_error), T(warn_bad_fields), T(no_hits), T(empty_query),
		T(paging), T(translit), T(cross_script), T(name_cross_script), T(facets),
		T(date_range_long),
	};
	const size_t n = sizeof tests / sizeof tests[0];

	if (argc > 1 && strcmp(argv[1], "--check-list") == 0) {
		int bad = 0;

		for (size_t i = 0; i < n; i++) {
			int listed = 0;

			for (int a = 2; a < argc; a++)
				listed |= strcmp(argv[a], tests[i].name) == 0;
			if (!listed) {
				fprintf(stderr, "test case '%s' has no ctest entry\n", tests[i].name);
				bad = 1;
			}
		}
		for (int a = 2; a < argc; a++) {
			int known = 0;

			for (size_t i = 0; i < n; i++)
				known |= strcmp(argv[a], tests[i].name) == 0;
			if (!known) {
				fprintf(stderr, "ctest entry '%s' names no test case\n", argv[a]);
				bad = 1;
			}
		}
		return bad;
	}
	if (argc > 1) {
		size_t i;

		for (i = 0; i < n && strcmp(argv[1], tests[i].name) != 0; i++)
			;
		if (i == n) {
			fprintf(stderr, "no test case '%s'\n", argv[1]);
			return 2;
		}
		cmocka_set_test_filter(argv[1]);
	}
	return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
