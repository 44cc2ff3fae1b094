/*
 * test_search_samples.c - `kartoteka search` against the real sample store:
 * every query form (diacritics both ways, exact spelling first, names across
 * scripts, the fields, date ranges, phrases, NOT, facets, paging) and the
 * absence of hits where there should be none.
 *
 * usage: test_search_samples KARTOTEKA SAMPLES STORE CASE
 * STORE is the store the e2e_store fixture ingested samples/scans into with
 * --batch samples; it is only read. One ctest entry per CASE.
 *
 * What the assertions rely on: the samples' truth (case numbers, personal
 * codes, dates, document types in samples/truth/), the words of their
 * text (checked against the truth by the e2e text tests) and the passport's
 * machine readable zone (Farid Nazari). Expected facet counts are computed
 * from `docs --json`, so that they follow the store.
 */
#include "e2e.h"

#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- helpers */

/* Run `kartoteka search ARGS...` (NULL-terminated); the output lines as an
 * array (new reference). Fails the test unless it exits with `status`. */
static json_t *run_search(int status, const char *first, ...)
{
	const char *a[24];
	int n = 0;
	va_list ap;
	e2e_out o;
	json_t *lines;

	va_start(ap, first);
	for (const char *s = first; s != NULL && n < 23; s = va_arg(ap, const char *))
		a[n++] = s;
	va_end(ap);
	while (n < 23)
		a[n++] = NULL;
	o = e2e_run(E2E.store, "search", a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
		    a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22], NULL);
	if (o.status != status)
		fail_msg("search %s ...: exit %d, want %d; stderr: %s", first, o.status, status, o.err);
	lines = status == 0 ? e2e_json_lines(o.out) : json_array();
	if (lines == NULL)
		fail_msg("search %s ...: output is not JSON lines: %s", first, o.out);
	e2e_out_free(&o);
	return lines;
}

/* `search --json --limit 100 QUERY`: the hits (new reference). */
static json_t *hits_of(const char *query)
{
	return run_search(0, "--json", "--limit", "100", query, NULL);
}

static const char *file_of(json_t *hit)
{
	const char *src = json_string_value(json_object_get(hit, "source"));
	const char *slash = src ? strrchr(src, '/') : NULL;

	return slash ? slash + 1 : src ? src : "";
}

static int page_of(json_t *hit) { return (int)json_integer_value(json_object_get(hit, "page")); }

/* Rank (0 = best) of the first hit on a file (page 0: any page); -1 if none. */
static int rank_of(json_t *hits, const char *file, int page)
{
	size_t i;
	json_t *h;

	json_array_foreach(hits, i, h) {
		if (json_object_get(h, "facets"))
			continue;
		if (strcmp(file_of(h), file) == 0 && (page == 0 || page_of(h) == page))
			return (int)i;
	}
	return -1;
}

/* The distinct files of the hits, sorted, joined by spaces. */
static void files_string(json_t *hits, char *out, size_t size)
{
	const char *names[128];
	size_t n = 0, i, len = 0;
	json_t *h;

	json_array_foreach(hits, i, h) {
		size_t k;

		if (json_object_get(h, "facets"))
			continue;
		for (k = 0; k < n && strcmp(names[k], file_of(h)) != 0; k++)
			;
		if (k == n && n < 128)
			names[n++] = file_of(h);
	}
	for (i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	out[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "", names[i]);
}

/* Assert the files a query finds: "a.png b.tif" in name order, "" for none. */
static void expect_files(const char *query, const char *want)
{
	json_t *hits = hits_of(query);
	char got[2048];

	files_string(hits, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("query '%s': want files [%s], got [%s]", query, want, got);
	json_decref(hits);
}

/* Assert a file (page 0: any page) is among a query's hits. */
static void expect_hit(const char *query, const char *file, int page)
{
	json_t *hits = hits_of(query);

	if (rank_of(hits, file, page) < 0)
		fail_msg("query '%s': no hit on %s page %d", query, file, page);
	json_decref(hits);
}

/* Assert page a of file fa ranks above page b of file fb. */
static void expect_before(const char *query, const char *fa, int pa, const char *fb, int pb)
{
	json_t *hits = hits_of(query);
	int ra = rank_of(hits, fa, pa), rb = rank_of(hits, fb, pb);

	if (ra < 0 || rb < 0 || ra > rb)
		fail_msg("query '%s': want %s p%d (rank %d) before %s p%d (rank %d)", query, fa, pa, ra, fb, pb,
			 rb);
	json_decref(hits);
}

/* The snippet of the first hit on a file. */
static char *snippet_on(const char *query, const char *file)
{
	json_t *hits = hits_of(query);
	int r = rank_of(hits, file, 0);
	char *s;

	if (r < 0)
		fail_msg("query '%s': no hit on %s", query, file);
	s = strdup(json_string_value(json_object_get(json_array_get(hits, (size_t)r), "snippet")));
	json_decref(hits);
	return s;
}

/* ------------------------------------------------------------- query forms */

/* A word found with or without its diacritics, both ways. */
static void test_diacritics(void **state)
{
	(void)state;
	/* Typed without, written with. */
	expect_files("lemums", "lv_lemums_karimi.png");
	expect_hit("zirmunu", "lt_prasymas.tif", 1);			/* Žirmūnų */
	expect_hit("terminuzturesanas", "lv_lemums_karimi.png", 1);	/* termiņuzturēšanās */
	expect_hit("BERZINA", "lv_intervija_2p.tif", 1);		/* Bērziņa */
	/* Other forms of diacritics: typed "Rīga", written "Rīgā". */
	expect_hit("Pilsonība", "passport_td3.png", 1);
	expect_hit("Rīga", "lv_intervija_2p.tif", 1);			/* Rīgā */
	/* The highlighted word is the word as written. */
	{
		char *s = snippet_on("lemums", "lv_lemums_karimi.png");

		kt_expect_in(s, "«LĒMUMS»");
		free(s);
	}
}

/* The spelling as typed ranks first. */
static void test_exact_first(void **state)
{
	(void)state;
	expect_before("Rīga", "lv_lemums_karimi.png", 1, "lv_intervija_2p.tif", 1);
	expect_before("Rīga", "lv_iesniegums_skew.png", 1, "lv_intervija_2p.tif", 1);
	/* Typed without diacritics: the English letter's "Riga" before "Rīga".
	 * (Only spellings the samples' truth holds: no assertion may rest on an
	 * OCR mistake.) */
	expect_before("Riga", "en_letter.png", 1, "lv_lemums_karimi.png", 1);
	/* And the script as typed. */
	expect_before("Рига", "ru_sobesedovanie.jpg", 1, "lv_intervija_2p.tif", 1);
	expect_before("Рига", "ru_sobesedovanie.jpg", 1, "en_letter.png", 1);
}

/* A name in Latin letters finds it in Cyrillic and the other way round. */
static void test_cross_script(void **state)
{
	char *s;

	(void)state;
	expect_files("Kovalenko", "ru_sobesedovanie.jpg");
	expect_files("KOVALENKO", "ru_sobesedovanie.jpg");
	expect_files("Коваленко", "ru_sobesedovanie.jpg");
	expect_files("\"Kovalenko Oleg\"", "ru_sobesedovanie.jpg");
	expect_files("Kovalenko Natalia", "ru_sobesedovanie.jpg");	/* Наталья */
	expect_files("Kalnynsh", "ru_sobesedovanie.jpg");		/* Калныньш, ICAO */
	s = snippet_on("Kovalenko", "ru_sobesedovanie.jpg");
	kt_expect_in(s, "«Коваленко»");
	free(s);
	/* Cyrillic finds Latin. */
	expect_files("Карими", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("Назари", "lv_iesniegums_skew.png passport_td3.png");
	s = snippet_on("Карими", "lv_lemums_karimi.png");
	kt_expect_in(s, "«Karimi»");
	free(s);
	expect_hit("Рига", "en_letter.png", 1);
	/* A reading is not a guess: near spellings find nothing. */
	expect_files("Kowalenko", "");
	expect_files("Kovalenko Karimi", "");
}

static void test_field_pc(void **state)
{
	(void)state;
	expect_files("pc:220791-14729", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("pc:22079114729", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("pc:140388-12969", "lv_iesniegums_skew.png passport_td3.png");
	expect_files("pc:14038812969", "lv_iesniegums_skew.png passport_td3.png");
	expect_files("pc:49504112173", "lt_prasymas.tif");
	expect_files("pc:220791-14728", "");
	/* Typed without the prefix, with and without the hyphen. */
	expect_files("220791-14729", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("22079114729", "lv_intervija_2p.tif lv_lemums_karimi.png");
}

static void test_field_case(void **state)
{
	(void)state;
	expect_files("case:PMLP-LV-2023-004571", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("case:pmlp-lv-2022-003310", "ru_sobesedovanie.jpg");
	expect_files("case:MD-LT-2022-001288", "lt_prasymas.tif");
	expect_files("case:PMLP-LV-2023-004572", "");
	expect_files("case:PMLP-LV-2023-004571 Karimi", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("case:PMLP-LV-2023-004571 type:decision", "lv_lemums_karimi.png");
	expect_files("PMLP-LV-2022-003310", "ru_sobesedovanie.jpg");
}

static void test_field_type(void **state)
{
	(void)state;
	expect_files("type:decision", "lv_lemums_karimi.png");
	expect_files("type:interview", "lv_intervija_2p.tif ru_sobesedovanie.jpg");
	expect_files("type:application", "lt_prasymas.tif lv_iesniegums_skew.png");
	expect_files("type:identity", "passport_td3.png");
	expect_files("type:letter", "en_letter.png");
	expect_files("type:decision type:letter", "en_letter.png lv_lemums_karimi.png");
	expect_files("type:Interview Karimi", "lv_intervija_2p.tif");
}

static void test_field_lang(void **state)
{
	(void)state;
	expect_files("lang:rus", "ru_sobesedovanie.jpg");
	expect_files("lang:lit", "lt_prasymas.tif");
	expect_files("lang:eng", "en_letter.png");
	expect_files("lang:lav", "lv_iesniegums_skew.png lv_intervija_2p.tif lv_lemums_karimi.png passport_td3.png");
	expect_files("lang:rus Рига", "ru_sobesedovanie.jpg");
}

/* Every page of every document done, and nothing else. */
static void test_field_batch(void **state)
{
	json_t *docs = e2e_docs_json(E2E.store), *hits = hits_of("batch:samples"), *d;
	size_t i, pages = 0;

	(void)state;
	json_array_foreach(docs, i, d) {
		const char *src = json_string_value(json_object_get(d, "source"));
		const char *file = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
		int done = strcmp(json_string_value(json_object_get(d, "status")), "done") == 0;

		if (done) {
			pages += json_array_size(json_object_get(d, "pages"));
			if (rank_of(hits, file, 0) < 0)
				fail_msg("batch:samples: no hit on %s", file);
		} else if (rank_of(hits, file, 0) >= 0) {
			fail_msg("batch:samples: a hit on %s, which failed", file);
		}
	}
	assert_true(pages >= 10);
	assert_int_equal(json_array_size(hits), pages);
	json_decref(hits);
	json_decref(docs);
	expect_files("batch:other", "");
	expect_files("batch:samples Коваленко", "ru_sobesedovanie.jpg");
}

/* The passport's holder, from its machine readable zone. */
static void test_field_name(void **state)
{
	(void)state;
	expect_hit("name:nazari", "passport_td3.png", 1);
	expect_hit("name:NAZARI", "passport_td3.png", 1);
	expect_hit("name:farid", "passport_td3.png", 1);
	expect_hit("name:\"Farid Nazari\"", "passport_td3.png", 1);
	expect_hit("name:Назари", "passport_td3.png", 1);
	expect_files("name:\"Nazari Farid\"", "");
	expect_files("name:zzyzxqwv", "");
	/* A word of the text is not a name. */
	expect_files("name:Migracijos", "");
}

static void test_date_range(void **state)
{
	(void)state;
	expect_files("date:2023-03-14", "lv_lemums_karimi.png");
	expect_files("date:2023-01-01..2023-12-31", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("date:2023", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("date:2022", "en_letter.png lt_prasymas.tif lv_intervija_2p.tif ru_sobesedovanie.jpg");
	expect_files("date:1979-11", "ru_sobesedovanie.jpg");
	expect_files("date:2022-03-01..2022-03-31", "ru_sobesedovanie.jpg");
	expect_files("date:2029..", "lv_iesniegums_skew.png passport_td3.png");
	expect_files("date:..1985", "ru_sobesedovanie.jpg");
	expect_files("date:2022 Kovalenko", "ru_sobesedovanie.jpg");
	expect_files("date:2021-08-19 type:letter", "en_letter.png");
	/* Misses: between dates, after the last, wrong type. */
	expect_files("date:2010..2014", "");
	expect_files("date:2030..", "");
	expect_files("date:2023-03-15..2023-12-31", "");
	expect_files("date:2023-03-14 type:interview", "");
}

static void test_phrase(void **state)
{
	(void)state;
	expect_files("\"termiņuzturēšanās atļauju\"", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("\"terminuzturesanas atlauju\"", "lv_intervija_2p.tif lv_lemums_karimi.png");
	expect_files("\"atļauju termiņuzturēšanās\"", "");
	expect_files("\"residence permit\"", "en_letter.png");
	expect_files("\"permit residence\"", "");
	expect_files("\"вида на жительство\"", "ru_sobesedovanie.jpg");
}

static void test_boolean_not(void **state)
{
	json_t *hits;

	(void)state;
	expect_files("Karimi NOT lēmums", "lv_intervija_2p.tif");
	expect_files("Karimi -lēmums", "lv_intervija_2p.tif");
	expect_files("Karimi NOT lemums", "lv_intervija_2p.tif");
	expect_files("Karimi NOT type:interview", "lv_lemums_karimi.png");
	expect_files("Karimi OR Kovalenko", "lv_intervija_2p.tif lv_lemums_karimi.png ru_sobesedovanie.jpg");
	expect_files("Kovalenko NOT Олег", "");
	hits = hits_of("Karimi NOT lēmums");
	assert_true(rank_of(hits, "lv_intervija_2p.tif", 1) >= 0);
	assert_true(rank_of(hits, "lv_intervija_2p.tif", 2) >= 0);
	json_decref(hits);
}

/* The facets line: its object (borrowed from lines), failing if absent. */
static json_t *facets_of(json_t *lines)
{
	json_t *last = json_array_get(lines, json_array_size(lines) - 1);
	json_t *f = json_object_get(last, "facets");

	if (!json_is_object(f))
		fail_msg("no facets line at the end");
	assert_int_equal(json_object_size(f), 3);
	return f;
}

static void expect_count(json_t *facets, const char *facet, const char *value, long long want)
{
	json_t *v = json_object_get(json_object_get(facets, facet), value);

	if (!json_is_integer(v) || json_integer_value(v) != want)
		fail_msg("facet %s '%s': want %lld, got %lld", facet, value, want,
			 v ? (long long)json_integer_value(v) : -1LL);
}

static void test_facets(void **state)
{
	json_t *lines, *f, *docs, *d, *want;
	e2e_out o;
	size_t i;

	(void)state;
	lines = run_search(0, "--json", "--facets", "Karimi", NULL);
	f = facets_of(lines);
	assert_int_equal(json_array_size(lines), 4);	/* three pages, then the facets */
	expect_count(f, "type", "decision", 1);
	expect_count(f, "type", "interview", 2);
	assert_int_equal(json_object_size(json_object_get(f, "type")), 2);
	expect_count(f, "lang", "lav", 3);
	assert_int_equal(json_object_size(json_object_get(f, "lang")), 1);
	expect_count(f, "year", "1991", 3);
	expect_count(f, "year", "2022", 2);
	expect_count(f, "year", "2023", 3);
	expect_count(f, "year", "2024", 1);
	assert_int_equal(json_object_size(json_object_get(f, "year")), 4);
	json_decref(lines);

	/* Over every page of the batch: counts made from `docs --json`. The
	 * facets count every match, however few hits are printed. */
	want = json_pack("{s:{},s:{},s:{}}", "type", "year", "lang");
	docs = e2e_docs_json(E2E.store);
	json_array_foreach(docs, i, d) {
		json_t *meta = json_object_get(d, "metadata"), *p, *dt;
		const char *type = json_string_value(json_object_get(meta, "doc_type"));
		size_t j, k;

		if (strcmp(json_string_value(json_object_get(d, "status")), "done") != 0)
			continue;
		json_array_foreach(json_object_get(d, "pages"), j, p) {
			const char *lang = json_string_value(json_object_get(p, "lang"));
			json_t *seen = json_object();
			json_t *t = json_object_get(want, "type"), *y = json_object_get(want, "year");
			json_t *l = json_object_get(want, "lang");

			if (type && *type)
				json_object_set_new(t, type, json_integer(json_integer_value(json_object_get(t, type)) + 1));
			json_array_foreach(json_object_get(meta, "dates"), k, dt) {
				char year[5];

				snprintf(year, sizeof year, "%.4s", json_string_value(dt));
				if (json_object_get(seen, year))
					continue;
				json_object_set_new(seen, year, json_true());
				json_object_set_new(y, year, json_integer(json_integer_value(json_object_get(y, year)) + 1));
			}
			/* "lav+eng" counts in both. */
			for (const char *c = lang ? lang : ""; *c;) {
				char code[16];
				size_t len = strcspn(c, "+");

				snprintf(code, sizeof code, "%.*s", (int)len, c);
				if (*code && !json_object_get(seen, code)) {
					json_object_set_new(seen, code, json_true());
					json_object_set_new(l, code,
							    json_integer(json_integer_value(json_object_get(l, code)) + 1));
				}
				c += len + (c[len] == '+');
			}
			json_decref(seen);
		}
	}
	json_decref(docs);
	lines = run_search(0, "--json", "--facets", "--limit", "1", "batch:samples", NULL);
	f = facets_of(lines);
	assert_int_equal(json_array_size(lines), 2);	/* one hit, then the facets */
	if (!json_equal(f, want)) {
		char *a = json_dumps(f, JSON_SORT_KEYS), *b = json_dumps(want, JSON_SORT_KEYS);

		fail_msg("batch:samples facets: got %s, want %s", a, b);
	}
	json_decref(lines);
	json_decref(want);

	/* --limit 0 with --facets: the counts alone. */
	lines = run_search(0, "--json", "--facets", "--limit", "0", "Kovalenko", NULL);
	assert_int_equal(json_array_size(lines), 1);
	expect_count(facets_of(lines), "type", "interview", 1);
	expect_count(facets_of(lines), "lang", "rus", 1);
	json_decref(lines);

	/* No match: empty counts. */
	lines = run_search(0, "--json", "--facets", "zzyzxqwv", NULL);
	assert_int_equal(json_array_size(lines), 1);
	assert_int_equal(json_object_size(json_object_get(facets_of(lines), "type")), 0);
	json_decref(lines);

	/* Human output shows them too. */
	o = e2e_run(E2E.store, "search", "--facets", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "by type:");
	kt_expect_in(o.out, "interview 2, decision 1");
	kt_expect_in(o.out, "by year:");
	kt_expect_in(o.out, "1991 3, 2022 2, 2023 3, 2024 1");
	kt_expect_in(o.out, "by lang:");
	kt_expect_in(o.out, "lav 3");
	e2e_out_free(&o);
}

/* --offset and --limit walk the same ranking a page at a time. */
static void test_paging(void **state)
{
	json_t *all = run_search(0, "--json", "--limit", "100", "batch:samples", NULL);
	json_t *h;
	size_t n = json_array_size(all), i;
	char off[32];

	(void)state;
	assert_true(n >= 10);
	for (i = 0; i < n; i += 3) {
		json_t *part;
		size_t j;

		snprintf(off, sizeof off, "%zu", i);
		part = run_search(0, "--json", "--limit", "3", "--offset", off, "batch:samples", NULL);
		assert_int_equal(json_array_size(part), n - i < 3 ? n - i : 3);
		json_array_foreach(part, j, h) {
			json_t *w = json_array_get(all, i + j);

			assert_int_equal(json_integer_value(json_object_get(h, "id")),
					 json_integer_value(json_object_get(w, "id")));
			assert_int_equal(page_of(h), page_of(w));
		}
		json_decref(part);
	}
	/* Past the end: nothing; the default limit is 20. */
	snprintf(off, sizeof off, "%zu", n);
	h = run_search(0, "--json", "--offset", off, "batch:samples", NULL);
	assert_int_equal(json_array_size(h), 0);
	json_decref(h);
	h = run_search(0, "--json", "--limit", "2", "Karimi", NULL);
	assert_int_equal(json_array_size(h), 2);
	json_decref(h);
	/* Human output numbers the hits from the offset. */
	{
		e2e_out o = e2e_run(E2E.store, "search", "--limit", "1", "--offset", "2", "batch:samples", NULL);

		assert_int_equal(o.status, 0);
		kt_expect_in(o.out, "\n3. document ");
		e2e_out_free(&o);
	}
	/* Bad values are usage errors. */
	json_decref(run_search(2, "--limit", "0", "Karimi", NULL));
	json_decref(run_search(2, "--limit", "x", "Karimi", NULL));
	json_decref(run_search(2, "--offset", "-1", "Karimi", NULL));
	json_decref(all);
}

/* No hits where there are none, and errors for bad queries. */
static void test_none(void **state)
{
	e2e_out o;

	(void)state;
	expect_files("zzyzxqwv", "");
	expect_files("Kovalenko lang:lav", "");
	expect_files("lēmums lang:rus", "");
	expect_files("Karimi type:letter", "");
	expect_files("Karimi Mammadova", "");
	expect_files("kari", "");		/* no prefix matching */
	expect_files("\"Karimi Ahmad\"", "");	/* written "Ahmad Karimi" */
	o = e2e_run(E2E.store, "search", "date:2021-13", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "2021-13");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "search", "Karimi AND", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "Karimi AND");
	e2e_out_free(&o);
}

/* ------------------------------------------------------------- main */

static const kt_test_case cases[] = {
	KT_TEST(diacritics),
	KT_TEST(exact_first),
	KT_TEST(cross_script),
	KT_TEST(field_pc),
	KT_TEST(field_case),
	KT_TEST(field_type),
	KT_TEST(field_lang),
	KT_TEST(field_batch),
	KT_TEST(field_name),
	KT_TEST(date_range),
	KT_TEST(phrase),
	KT_TEST(boolean_not),
	KT_TEST(facets),
	KT_TEST(paging),
	KT_TEST(none),
};

/* KARTOTEKA SAMPLES STORE */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = args[2];
	E2E.work = NULL;
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_search_samples", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES STORE", .n_args = 3, .case_required = 1, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
