/*
 * index_writer_cases.c - test_index cases: commits and what readers see, a
 * killed writer, the meta data, missing databases, a second writer,
 * read-only handles, bad arguments and queries, warnings, no hits, paging.
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

void test_uncommitted_invisible(void **state)
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

void test_free_discards_uncommitted(void **state)
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

void test_no_autocommit(void **state)
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

void test_killed_writer(void **state)
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

void test_meta_roundtrip(void **state)
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

void test_missing_db(void **state)
{
	fixture *f = *state;
	kt_index *r = kt_index_new();
	char path[400];

	snprintf(path, sizeof path, "%s/no-such-index", f->dir);
	assert_int_equal(kt_index_open(r, path, 0), KT_FAILED);
	kt_expect_in(kt_index_errmsg(r), path);
	kt_expect_in(kt_index_errmsg(r), "no such folder");
	assert_int_equal(kt_index_errcode(r), KT_FAILED);
	/* The handle is not open, and says so. */
	assert_int_equal(kt_index_doc_count(r), -1);
	kt_expect_in(kt_index_errmsg(r), "not open");
	/* A folder that holds no database. */
	snprintf(path, sizeof path, "%s/empty", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(kt_index_open(r, path, 0), KT_FAILED);
	kt_expect_in(kt_index_errmsg(r), path);
	kt_expect_in(kt_index_errmsg(r), "no index database there");
	/* A missing parent folder when creating. */
	snprintf(path, sizeof path, "%s/no/such/parent", f->dir);
	assert_int_equal(kt_index_open(r, path, 1), KT_FAILED);
	kt_expect_in(kt_index_errmsg(r), path);
	kt_index_free(&r);
}

void test_second_writer(void **state)
{
	fixture *f = *state;
	kt_index *w2 = kt_index_new();
	kt_index *r;

	assert_int_equal(kt_index_open(w2, f->db, 1), KT_FAILED);
	kt_expect_in(kt_index_errmsg(w2), "locked by another writer");
	kt_expect_in(kt_index_errmsg(w2), f->db);
	kt_index_free(&w2);
	/* Readers are welcome; a handle opens once. */
	r = reader(f);
	assert_int_equal(kt_index_open(r, f->db, 0), KT_FAILED);
	kt_expect_in(kt_index_errmsg(r), "already");
	kt_index_free(&r);
}

void test_read_only_refuses_writes(void **state)
{
	fixture *f = *state;
	kt_index *r = reader(f);
	kt_index_page p = { .doc_id = 1, .page = 1, .text = "x" };

	assert_int_equal(kt_index_put_page(r, &p), KT_FAILED);
	kt_expect_in(kt_index_errmsg(r), "read-only");
	assert_int_equal(kt_index_delete_doc(r, 1), KT_FAILED);
	assert_int_equal(kt_index_commit(r), KT_FAILED);
	/* Still usable for reading. */
	assert_int_equal(kt_index_doc_count(r), 0);
	assert_string_equal(kt_index_errmsg(r), "");
	kt_index_free(&r);
}

void test_bad_args(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;
	kt_index *none = NULL;
	kt_index_page p = { .doc_id = -1, .page = 1, .text = "x" };
	kt_index_page q = { .doc_id = 1, .page = 1, .text = "x", .n_names = 2 };
	kt_index_page empty = { .doc_id = 3, .page = 0 };	/* every pointer NULL */

	assert_int_equal(kt_index_put_page(f->w, NULL), KT_FAILED);
	assert_int_equal(kt_index_put_page(f->w, &p), KT_FAILED);
	kt_expect_in(kt_index_errmsg(f->w), "negative");
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

void test_query_syntax_error(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	assert_int_equal(kt_index_search(f->w, "Karimi AND", 0, 10, &h), KT_FAILED);
	assert_null(h);
	kt_expect_in(kt_index_errmsg(f->w), "'Karimi AND'");
	expect_pages(f->w, "Karimi AND lēmums", "1-1");
}

void test_warn_bad_fields(void **state)
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
	kt_expect_in(kt_index_errmsg(f->w), "'garbage'");
	kt_expect_in(kt_index_errmsg(f->w), "'2021-02-30'");
	kt_expect_in(kt_index_errmsg(f->w), "case number");
	commit(f->w);
	/* The page is there with its good values. */
	expect_pages(f->w, "odd", "1-1");
	expect_pages(f->w, "date:2021-03-01", "1-1");
	expect_pages(f->w, "date:2021-02", "");
	expect_pages(f->w, "case:PMLP-LV-2024-000009", "1-1");
}

void test_no_hits(void **state)
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

void test_empty_query(void **state)
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

void test_paging(void **state)
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

/*
 * The bounds of the number of matching pages (kt_index_hits.total_lower and
 * total_upper, for `search --total`): Xapian counts up to 100 matches past
 * the page wanted and estimates the rest, so an AND of two words on 200 of
 * 600 pages gives an estimate between bounds that differ; with facets every
 * match is counted and the bounds meet at the exact number, as they do for
 * a query with few matches and for none.
 */
void test_total_bounds(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;
	char text[64];

	for (int i = 1; i <= 600; i++) {
		snprintf(text, sizeof text, "alpha%s%s %d", i % 2 == 0 ? " beta" : "",
			 i % 3 != 0 ? " gamma" : "", i);
		put_text(f->w, i, 1, "eng", text);
	}
	commit(f->w);
	/* 200 pages have both words: an estimate */
	assert_int_equal(kt_index_search(f->w, "beta gamma", 0, 10, &h), KT_OK);
	assert_int_equal(h->n, 10);
	assert_true(h->total_lower <= h->estimated_total);
	assert_true(h->estimated_total <= h->total_upper);
	assert_true(h->total_lower <= 200 && 200 <= h->total_upper);
	if (h->total_lower == h->total_upper)
		fail_msg("bounds %lld..%lld of an estimate are equal", h->total_lower, h->total_upper);
	kt_index_hits_free(&h);
	/* with facets every match is counted: exact */
	assert_int_equal(kt_index_search_ex(f->w, "beta gamma", 0, 10, KT_INDEX_FACETS, &h), KT_OK);
	assert_int_equal(h->estimated_total, 200);
	assert_int_equal(h->total_lower, 200);
	assert_int_equal(h->total_upper, 200);
	kt_index_hits_free(&h);
	/* few matches, all counted: exact without facets too */
	assert_int_equal(kt_index_search(f->w, "beta gamma 10", 0, 0, &h), KT_OK);
	assert_int_equal(h->estimated_total, 1);
	assert_int_equal(h->total_lower, 1);
	assert_int_equal(h->total_upper, 1);
	kt_index_hits_free(&h);
	assert_int_equal(kt_index_search(f->w, "delta", 0, 10, &h), KT_OK);
	assert_int_equal(h->estimated_total, 0);
	assert_int_equal(h->total_lower, 0);
	assert_int_equal(h->total_upper, 0);
	kt_index_hits_free(&h);
}
