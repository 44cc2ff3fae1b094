/*
 * index_filter_cases.c - kt_index_search_with: a search restricted to some
 * case numbers (the web officer's cases) or documents. The restriction
 * changes which pages match, so the hits, their paging, the total and the
 * facets; never the order or the scores of the pages it lets through.
 */
#include "index_test.h"

#include <stdio.h>
#include <string.h>

/* Search with options into *h; fails the test on an error. */
static void run(kt_index *ix, const char *q, int offset, int limit, const kt_index_search_opts *o,
		kt_index_hits **h)
{
	*h = NULL;
	if (kt_index_search_with(ix, q, offset, limit, o, h) != KT_OK)
		fail_msg("search '%s': %s", q, kt_index_errmsg(ix));
}

/* The hits as "doc-page doc-page". */
static void pages_of(const kt_index_hits *h, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < h->n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%lld-%d", i ? " " : "", h->hits[i].doc_id,
					h->hits[i].page);
}

/* The facets as "value=count value=count", "|" between facets. */
static void facets_of(const kt_index_hits *h, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int f = 0; f < h->n_facets && len < size; f++) {
		len += (size_t)snprintf(out + len, size - len, "%s", f ? "|" : "");
		for (int j = 0; j < h->facets[f].n && len < size; j++)
			len += (size_t)snprintf(out + len, size - len, "%s%s=%lld", j ? " " : "",
						h->facets[f].values[j].value, h->facets[f].values[j].count);
	}
}

/* Search with o and compare the hits (best first; NULL: not compared), the
 * total and the facets. */
static void expect_with(kt_index *ix, const char *q, const kt_index_search_opts *o, const char *pages,
			long long total, const char *facets)
{
	kt_index_hits *h;
	char got[512];

	run(ix, q, 0, 100, o, &h);
	pages_of(h, got, sizeof got);
	if (pages && strcmp(got, pages) != 0)
		fail_msg("query '%s': want pages [%s], got [%s]", q, pages, got);
	if (h->estimated_total != total)
		fail_msg("query '%s': want total %lld, got %lld", q, total, h->estimated_total);
	facets_of(h, got, sizeof got);
	if (strcmp(got, facets) != 0)
		fail_msg("query '%s': want facets [%s], got [%s]", q, facets, got);
	kt_index_hits_free(&h);
}

/* Two more pages of case PMLP-LV-2023-004571 (doc 1 has it too). */
static void load_case_doc(kt_index *w)
{
	static const char *const cases[] = { "PMLP-LV-2023-004571" };
	static const char *const dates[] = { "2023-06-30" };
	kt_index_page p = {
		.doc_id = 7, .page = 1, .lang = "lav", .doc_type = "decision", .text = "Otrs lēmums.",
		.case_numbers = cases, .n_case_numbers = 1, .dates = dates, .n_dates = 1,
	};

	load_samples(w);
	if (kt_index_put_page(w, &p) != KT_OK)
		fail_msg("put: %s", kt_index_errmsg(w));
	p.page = 2;
	p.text = "Lēmuma otrā lapa.";
	if (kt_index_put_page(w, &p) != KT_OK)
		fail_msg("put: %s", kt_index_errmsg(w));
	commit(w);
}

void test_case_filter(void **state)
{
	fixture *f = *state;
	static const char *const one[] = { "pmlp-lv-2023-004571" };	/* any letter case */
	static const char *const two[] = { "PMLP-LV-2023-004571", "PMLP-LV-2022-000001" };
	static const char *const other[] = { "PMLP-LV-2022-000001" };
	static const char *const unknown[] = { "PMLP-LV-1999-999999", "", "   " };
	kt_index_search_opts o = { .flags = KT_INDEX_FACETS, .only_cases = 1, .cases = one, .n_cases = 1 };
	kt_index_hits *h;

	load_case_doc(f->w);
	/* Every page of the case, and the facets over those only. */
	expect_with(f->w, "", &o, NULL, 3, "decision=3|2019=1 2021=1 2023=2|lav=3");
	expect_with(f->w, "Karimi", &o, "1-1", 1, "decision=1|2019=1 2021=1|lav=1");
	/* Doc 4 has Karimi too, but not the case. */
	o.cases = other;
	expect_with(f->w, "Karimi", &o, "", 0, "||");
	expect_with(f->w, "", &o, "3-1", 1, "application=1||rus=1");
	/* Several cases: a page of any of them. */
	o.cases = two;
	o.n_cases = 2;
	expect_with(f->w, "", &o, NULL, 4, "decision=3 application=1|2019=1 2021=1 2023=2|lav=3 rus=1");
	/* No case, or only cases no page has: nothing, with a total of 0. */
	o.n_cases = 0;
	expect_with(f->w, "", &o, "", 0, "||");
	o.cases = NULL;
	expect_with(f->w, "Karimi", &o, "", 0, "||");
	o.cases = unknown;
	o.n_cases = 3;
	expect_with(f->w, "", &o, "", 0, "||");
	/* Xapian pages the restricted set: the second page of 3 hits. */
	o.cases = one;
	o.n_cases = 1;
	run(f->w, "", 1, 1, &o, &h);
	assert_int_equal(h->n, 1);
	assert_int_equal(h->estimated_total, 3);
	assert_int_equal(h->facets[0].values[0].count, 3);
	kt_index_hits_free(&h);
	run(f->w, "", 3, 10, &o, &h);
	assert_int_equal(h->n, 0);
	assert_int_equal(h->estimated_total, 3);
	kt_index_hits_free(&h);
	/* Without facets the estimate is of the restricted set too. */
	o.flags = 0;
	run(f->w, "lēmums", 0, 10, &o, &h);
	assert_int_equal(h->estimated_total, h->n);
	assert_null(h->facets);
	kt_index_hits_free(&h);
	/* A restriction not asked for (only_cases 0) restricts nothing. */
	o.only_cases = 0;
	run(f->w, "", 0, 100, &o, &h);
	assert_int_equal(h->n, 8);
	kt_index_hits_free(&h);
	/* Bad arguments. */
	o.only_cases = 1;
	o.n_cases = -1;
	assert_int_equal(kt_index_search_with(f->w, "", 0, 10, &o, &h), KT_FAILED);
	assert_null(h);
	kt_expect_in(kt_index_errmsg(f->w), "restriction");
	o.cases = NULL;
	o.n_cases = 2;
	assert_int_equal(kt_index_search_with(f->w, "", 0, 10, &o, &h), KT_FAILED);
	o.n_cases = 1;
	o.cases = one;
	o.flags = 8;
	assert_int_equal(kt_index_search_with(f->w, "", 0, 10, &o, &h), KT_FAILED);
	kt_expect_in(kt_index_errmsg(f->w), "flags");
	/* NULL options: as kt_index_search. */
	run(f->w, "Karimi", 0, 10, NULL, &h);
	assert_int_equal(h->n, 2);
	kt_index_hits_free(&h);
}

void test_doc_filter(void **state)
{
	fixture *f = *state;
	static const char *const one[] = { "PMLP-LV-2023-004571" };
	static const long long docs[] = { 1, 4 }, seven[] = { 7, -3 };
	kt_index_search_opts o = {
		.flags = KT_INDEX_FACETS | KT_INDEX_FACET_DOCS, .only_docs = 1, .doc_ids = docs, .n_doc_ids = 2,
	};
	kt_index_hits *all, *some;

	load_case_doc(f->w);
	expect_with(f->w, "", &o, NULL, 2, "decision=1|2019=1 2021=1|eng=1 lav=1|1=1 4=1");
	/* The pages let through keep their order and scores. */
	run(f->w, "Karimi appealed", 0, 10, NULL, &all);
	o.only_docs = 1;
	run(f->w, "Karimi appealed", 0, 10, &o, &some);
	assert_true(all->n >= 1);
	assert_int_equal(some->n, all->n);
	for (int i = 0; i < all->n; i++) {
		assert_int_equal(some->hits[i].doc_id, all->hits[i].doc_id);
		assert_int_equal(some->hits[i].score, all->hits[i].score);
	}
	kt_index_hits_free(&all);
	kt_index_hits_free(&some);
	/* Both restrictions: a page must pass both; a negative id matches nothing. */
	o.doc_ids = seven;
	o.only_cases = 1;
	o.cases = one;
	o.n_cases = 1;
	expect_with(f->w, "", &o, NULL, 2, "decision=2|2023=2|lav=2|7=2");
	o.doc_ids = docs;
	expect_with(f->w, "", &o, "1-1", 1, "decision=1|2019=1 2021=1|lav=1|1=1");
	o.n_doc_ids = 0;
	expect_with(f->w, "", &o, "", 0, "|||");
	/* The doc facet only with KT_INDEX_FACETS. */
	o.only_cases = 0;
	o.n_doc_ids = 2;
	o.flags = KT_INDEX_FACET_DOCS;
	run(f->w, "", 0, 10, &o, &some);
	assert_int_equal(some->n_facets, 0);
	kt_index_hits_free(&some);
}
