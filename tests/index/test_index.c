/*
 * test_index.c - tests of the full-text index (index/kt_index.h) and of the
 * folding and transliteration of the core under it (kt_fold.h,
 * kt_translit.h).
 *
 * This file holds the fixture, the helpers and the case table; the cases are
 * in index_*_cases.c (index_test.h). `test_index NAME` runs one test case
 * (one CTest entry each, made from the table, see CMakeLists.txt);
 * `test_index` runs them all; `test_index --list` names them
 * (tests/common/kt_test.h). Each case gets a fresh temporary folder (mkdtemp)
 * with a writable index open in it, removed afterwards.
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

/* ------------------------------------------------------------- fixture */

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	if (kt_test_mkdtemp(f->dir, sizeof f->dir, "index") != 0) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof f->db, "%s/xapian", f->dir);
	f->w = kt_index_new();
	if (f->w == NULL || kt_index_open(f->w, f->db, 1) != KT_OK) {
		fprintf(stderr, "setup: %s\n", kt_index_errmsg(f->w));
		kt_index_free(&f->w);
		kt_test_remove_tree(f->dir);
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
	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

/* A read-only handle on the fixture's index. */
kt_index *reader(fixture *f)
{
	kt_index *r = kt_index_new();

	assert_non_null(r);
	if (kt_index_open(r, f->db, 0) != KT_OK)
		fail_msg("open read-only: %s", kt_index_errmsg(r));
	return r;
}

/* ------------------------------------------------------------- helpers */

void put_text(kt_index *ix, long long doc, int page, const char *lang, const char *text)
{
	kt_index_page p = { .doc_id = doc, .page = page, .text = text, .lang = lang };

	if (kt_index_put_page(ix, &p) != KT_OK)
		fail_msg("put %lld-%d: %s", doc, page, kt_index_errmsg(ix));
}

void commit(kt_index *ix)
{
	if (kt_index_commit(ix) != KT_OK)
		fail_msg("commit: %s", kt_index_errmsg(ix));
}

kt_index_hits *search(kt_index *ix, const char *q)
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


void expect_(kt_index *ix, const char *q, const char *want, int ranked)
{
	char got[1024];

	hits_string(ix, q, ranked, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("query '%s': want [%s], got [%s]", q, want, got);
}

/* The snippet of the first hit of a query. */
char *first_snippet(kt_index *ix, const char *q)
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
void load_samples(kt_index *w)
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

/* ------------------------------------------------------------- main */

static const kt_test_case cases[] = {
	KT_TEST_FX(fold, setup, teardown),
	KT_TEST_FX(put_search, setup, teardown),
	KT_TEST_FX(snippet_markers, setup, teardown),
	KT_TEST_FX(snippet_plain_text, setup, teardown),
	KT_TEST_FX(and_semantics, setup, teardown),
	KT_TEST_FX(operators, setup, teardown),
	KT_TEST_FX(phrase, setup, teardown),
	KT_TEST_FX(reput_no_duplicate, setup, teardown),
	KT_TEST_FX(delete_doc, setup, teardown),
	KT_TEST_FX(field_case, setup, teardown),
	KT_TEST_FX(field_pc, setup, teardown),
	KT_TEST_FX(field_type_lang_batch_doc, setup, teardown),
	KT_TEST_FX(field_name, setup, teardown),
	KT_TEST_FX(date_range, setup, teardown),
	KT_TEST_FX(date_bad, setup, teardown),
	KT_TEST_FX(diacritics_query_without, setup, teardown),
	KT_TEST_FX(diacritics_text_without, setup, teardown),
	KT_TEST_FX(exact_ranks_first, setup, teardown),
	KT_TEST_FX(stem_english, setup, teardown),
	KT_TEST_FX(stem_lithuanian, setup, teardown),
	KT_TEST_FX(stem_russian, setup, teardown),
	KT_TEST_FX(latvian_unstemmed, setup, teardown),
	KT_TEST_FX(uncommitted_invisible, setup, teardown),
	KT_TEST_FX(free_discards_uncommitted, setup, teardown),
	KT_TEST_FX(no_autocommit, setup, teardown),
	KT_TEST_FX(killed_writer, setup, teardown),
	KT_TEST_FX(meta_roundtrip, setup, teardown),
	KT_TEST_FX(missing_db, setup, teardown),
	KT_TEST_FX(second_writer, setup, teardown),
	KT_TEST_FX(read_only_refuses_writes, setup, teardown),
	KT_TEST_FX(bad_args, setup, teardown),
	KT_TEST_FX(query_syntax_error, setup, teardown),
	KT_TEST_FX(warn_bad_fields, setup, teardown),
	KT_TEST_FX(no_hits, setup, teardown),
	KT_TEST_FX(empty_query, setup, teardown),
	KT_TEST_FX(paging, setup, teardown),
	KT_TEST_FX(total_bounds, setup, teardown),
	KT_TEST_FX(translit, setup, teardown),
	KT_TEST_FX(cross_script, setup, teardown),
	KT_TEST_FX(name_cross_script, setup, teardown),
	KT_TEST_FX(facets, setup, teardown),
	KT_TEST_FX(date_range_long, setup, teardown),
	KT_TEST_FX(case_filter, setup, teardown),
	KT_TEST_FX(doc_filter, setup, teardown),
	KT_TEST_FX(warn_unknown_field, setup, teardown),
	KT_TEST_FX(warn_unknown_type_lang, setup, teardown),
	KT_TEST_FX(warn_reversed_dates, setup, teardown),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_index", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
