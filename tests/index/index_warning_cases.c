/*
 * index_warning_cases.c - warnings of a query: an unknown field prefix, an
 * unknown type: or lang: value and a reversed date range are dropped with a
 * warning (KT_WARN, the hits' warnings, the handle's message) and the rest of
 * the query runs; text with a colon in it is no field and warns nothing.
 */
#include "index_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Search q, which must warn: the pages found (sorted) are `want`, and
 * warning number `at` holds `warn`, as does the handle's message with the
 * query. Returns the number of warnings. */
static int expect_warned(kt_index *ix, const char *q, const char *want, int at, const char *warn)
{
	kt_index_hits *h = NULL;
	long long keys[100];
	char got[1024], quoted[512];
	size_t len = 0;
	int i, n;

	if (kt_index_search(ix, q, 0, 100, &h) != KT_WARN)
		fail_msg("query '%s': no warning (%s)", q, kt_index_errmsg(ix));
	assert_non_null(h);
	if (h->n_warnings <= at || strstr(h->warnings[at], warn) == NULL)
		fail_msg("query '%s': want warning %d [%s], got %d: [%s]", q, at, warn, h->n_warnings,
			 h->n_warnings > 0 ? h->warnings[0] : "");
	kt_expect_in(kt_index_errmsg(ix), warn);
	snprintf(quoted, sizeof quoted, "'%s'", q);
	kt_expect_in(kt_index_errmsg(ix), quoted);
	for (i = 0; i < h->n && i < 100; i++)
		keys[i] = h->hits[i].doc_id * 1000 + h->hits[i].page;
	qsort(keys, (size_t)i, sizeof keys[0], cmp_ll);
	got[0] = '\0';
	for (int j = 0; j < i && len < sizeof got; j++)
		len += (size_t)snprintf(got + len, sizeof got - len, "%s%lld-%lld", j ? " " : "", keys[j] / 1000,
					keys[j] % 1000);
	if (strcmp(got, want) != 0)
		fail_msg("query '%s': want [%s], got [%s]", q, want, got);
	n = h->n_warnings;
	kt_index_hits_free(&h);
	return n;
}

/* Search q, which must not warn. */
static void expect_no_warning(kt_index *ix, const char *q)
{
	kt_index_hits *h = NULL;

	if (kt_index_search(ix, q, 0, 10, &h) != KT_OK)
		fail_msg("query '%s': %s", q, kt_index_errmsg(ix));
	assert_int_equal(h->n_warnings, 0);
	assert_null(h->warnings);
	kt_index_hits_free(&h);
}

void test_warn_unknown_field(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_pages(f->w, "Karimi", "1-1 4-1");
	/* once, though the query is parsed once per stemmer and form */
	assert_int_equal(expect_warned(f->w, "Karimi foo:bar", "1-1 4-1", 0, "unknown field 'foo:' (fields: case, "), 1);
	expect_warned(f->w, "foo:\"Ali Karimi\" Karimi", "1-1 4-1", 0, "unknown field 'foo:'");
	expect_warned(f->w, "Karimi NOT foo:bar", "1-1 4-1", 0, "unknown field 'foo:'");
	expect_warned(f->w, "Karimi OR foo:bar", "1-1 4-1", 0, "unknown field 'foo:'");
	/* fields are lower case */
	expect_warned(f->w, "Type:decision lēmums", "1-1", 0, "unknown field 'Type:'");
	/* nothing left: no page (an empty query would list every page) */
	expect_warned(f->w, "foo:bar", "", 0, "unknown field 'foo:'");
	/* colons that are no field prefix */
	expect_no_warning(f->w, "Karimi 10:30");
	expect_no_warning(f->w, "Note: Karimi");
	expect_no_warning(f->w, "http://example.org Karimi");
	expect_no_warning(f->w, "a::b");
	expect_no_warning(f->w, "Karimi2:x");
	expect_no_warning(f->w, "lēmums:x");
	expect_no_warning(f->w, "\"Karimi foo:bar\"");	/* in a phrase: text */
}

void test_warn_unknown_type_lang(void **state)
{
	fixture *f = *state;

	load_samples(f->w);
	expect_warned(f->w, "Karimi type:xyz", "1-1 4-1", 0,
		      "unknown type 'xyz' (types: decision, application, interview, identity, letter, other)");
	/* the same field twice is OR: the known value stays */
	expect_warned(f->w, "type:xyz type:decision", "1-1", 0, "unknown type 'xyz'");
	expect_warned(f->w, "type:passport", "", 0, "unknown type 'passport'");
	expect_warned(f->w, "Karimi lang:deu", "1-1 4-1", 0, "unknown language 'deu' (languages: lav, lit, rus, eng)");
	expect_warned(f->w, "lang:deu lang:lit", "2-1 5-2", 0, "unknown language 'deu'");
	/* every warning, each once */
	assert_int_equal(expect_warned(f->w, "type:xyz Karimi lang:deu type:xyz", "1-1 4-1", 1, "unknown "), 2);
	/* the types and languages the pipeline gives, and those the index holds */
	expect_no_warning(f->w, "type:letter");
	expect_no_warning(f->w, "type:Decision");
	expect_no_warning(f->w, "type:\"residence permit\"");
	expect_no_warning(f->w, "lang:eng lang:LIT");
}

void test_warn_reversed_dates(void **state)
{
	fixture *f = *state;
	kt_index_hits *h = NULL;

	load_samples(f->w);
	expect_pages(f->w, "date:2020..2022 Karimi", "1-1");
	expect_warned(f->w, "Karimi date:2024-01-01..2023-01-01", "1-1 4-1", 0,
		      "date range 2024-01-01..2023-01-01 is reversed");
	expect_warned(f->w, "date:2022..2020 type:decision", "1-1", 0, "date range 2022..2020 is reversed");
	expect_no_warning(f->w, "date:2021-07..2021-07");
	expect_no_warning(f->w, "date:2021-07-15..2021-07-15");
	/* a bad date is still an error, not a warning */
	assert_int_equal(kt_index_search(f->w, "date:2024-13..2023", 0, 10, &h), KT_FAILED);
	assert_null(h);
}
