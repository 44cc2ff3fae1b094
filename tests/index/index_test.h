/*
 * index_test.h - private header of test_index (tests/index/): the fixture and
 * the helpers (test_index.c) and the test cases, one file per area
 * (index_search_cases.c, index_writer_cases.c, index_script_cases.c); the
 * case table is in test_index.c.
 */
#ifndef KT_INDEX_TEST_H
#define KT_INDEX_TEST_H

#include "kt_test.h"

#include "kt_fold.h"
#include "kt_index.h"
#include "kt_translit.h"

/* A fresh temporary folder with a writable index open in it. */
typedef struct fixture {
	char dir[256];		/* the temporary folder */
	char db[300];		/* dir/xapian */
	kt_index *w;		/* writable handle on db */
} fixture;

/* Assert the set of pages a query finds, e.g. "1-1 5-2"; "" for none. */
#define expect_pages(ix, q, want) expect_(ix, q, want, 0)
/* Assert the pages a query finds, best first. */
#define expect_ranked(ix, q, want) expect_(ix, q, want, 1)

/* ---- the fixture and the helpers (test_index.c) ---- */

/* A read-only handle on the fixture's index. */
kt_index *reader(fixture *f);
/* Put one page (doc, page, lang, text) into ix; fails the test on an error. */
void put_text(kt_index *ix, long long doc, int page, const char *lang, const char *text);
/* Commit ix; fails the test on an error. */
void commit(kt_index *ix);
/* The hits of query q (never NULL; fails the test on an error). */
kt_index_hits *search(kt_index *ix, const char *q);
/* The snippet of the first hit of q, malloc'd. */
char *first_snippet(kt_index *ix, const char *q);
/* Used by expect_pages and expect_ranked. */
void expect_(kt_index *ix, const char *q, const char *want, int ranked);
/* The sample pages: 1-1 Latvian decision, 2-1 Lithuanian, 3-1 Russian,
 * 4-1 English, 5-2 Lithuanian with diacritics lost by OCR, 6-1 Latvian+English. */
void load_samples(kt_index *w);

/* ---- index_search_cases.c ---- */

void test_fold(void **state);
void test_put_search(void **state);
void test_snippet_markers(void **state);
void test_snippet_plain_text(void **state);
void test_and_semantics(void **state);
void test_operators(void **state);
void test_phrase(void **state);
void test_reput_no_duplicate(void **state);
void test_delete_doc(void **state);
void test_field_case(void **state);
void test_field_pc(void **state);
void test_field_type_lang_batch_doc(void **state);
void test_field_name(void **state);
void test_date_range(void **state);
void test_date_bad(void **state);
void test_diacritics_query_without(void **state);
void test_diacritics_text_without(void **state);
void test_exact_ranks_first(void **state);
void test_stem_english(void **state);
void test_stem_lithuanian(void **state);
void test_stem_russian(void **state);
void test_latvian_unstemmed(void **state);

/* ---- index_writer_cases.c ---- */

void test_uncommitted_invisible(void **state);
void test_free_discards_uncommitted(void **state);
void test_no_autocommit(void **state);
void test_killed_writer(void **state);
void test_meta_roundtrip(void **state);
void test_missing_db(void **state);
void test_second_writer(void **state);
void test_read_only_refuses_writes(void **state);
void test_bad_args(void **state);
void test_query_syntax_error(void **state);
void test_warn_bad_fields(void **state);
void test_no_hits(void **state);
void test_empty_query(void **state);
void test_paging(void **state);
void test_total_bounds(void **state);

/* ---- index_script_cases.c ---- */

void test_translit(void **state);
void test_cross_script(void **state);
void test_name_cross_script(void **state);
void test_facets(void **state);
void test_date_range_long(void **state);
/* index_filter_cases.c */
void test_case_filter(void **state);
void test_doc_filter(void **state);

/* index_warning_cases.c */
void test_warn_unknown_field(void **state);
void test_warn_unknown_type_lang(void **state);
void test_warn_reversed_dates(void **state);

#endif
