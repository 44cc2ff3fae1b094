/*
 * test_e2e.c - end-to-end tests: the samples go through `kartoteka` into a
 * store, and every stage is checked against the samples' exact truth.
 *
 * usage: test_e2e KARTOTEKA SAMPLES STORE WORK GROUP
 * The group "setup" makes the store (a ctest fixture); the other groups read
 * it, and those that change a store work on a copy in WORK.
 */
#include "e2e.h"

#include "kt_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Upper bound of the character error rate of any page of the samples. */
#define MAX_PAGE_CER 0.03
/* Largest tolerated difference between measured and true skew, degrees. */
#define MAX_SKEW_ERROR 0.5

/* The truth's text of one page: its lines joined by line breaks. */
static char *truth_text(json_t *page)
{
	json_t *lines = json_object_get(page, "lines"), *l;
	size_t i, len = 1;
	char *s;

	json_array_foreach(lines, i, l)
		len += strlen(json_string_value(l)) + 1;
	s = calloc(1, len);
	json_array_foreach(lines, i, l) {
		strcat(s, json_string_value(l));
		strcat(s, "\n");
	}
	return s;
}

/* Each truth with its document; fn is called for the ones that must be done. */
static void for_each_sample(void (*fn)(json_t *truth, json_t *doc, void *ctx), void *ctx)
{
	json_t *truths = e2e_truths(), *docs = e2e_docs_json(E2E.store), *t;
	size_t i;

	assert_true(json_array_size(truths) >= 8);
	json_array_foreach(truths, i, t) {
		const char *file = json_string_value(json_object_get(t, "file"));
		json_t *doc = e2e_find_doc(docs, file);

		if (doc == NULL)
			fail_msg("no document for sample '%s'", file);
		if (json_is_true(json_object_get(t, "expect_error"))) {
			assert_string_equal(json_string_value(json_object_get(doc, "status")), "failed");
			continue;
		}
		if (strcmp(json_string_value(json_object_get(doc, "status")), "done") != 0)
			fail_msg("sample '%s' not done: %s", file,
				 json_string_value(json_object_get(doc, "error")));
		fn(t, doc, ctx);
	}
	json_decref(truths);
	json_decref(docs);
}

/* ------------------------------------------------------------------ setup */

static void test_setup(void **state)
{
	char csv[4096], scans[4096];
	e2e_out o;

	(void)state;
	snprintf(csv, sizeof csv, "%s/cases.csv", E2E.samples);
	snprintf(scans, sizeof scans, "%s/scans", E2E.samples);
	o = e2e_run(E2E.store, "cases", "import", csv, NULL);
	if (o.status != 0)
		fail_msg("cases import: %s", o.err);
	assert_non_null(strstr(o.out, "added"));
	e2e_out_free(&o);

	o = e2e_run(E2E.store, "ingest", "--batch", "samples", scans, NULL);
	fprintf(stderr, "%s%s", o.out, o.err);
	/* The samples hold one corrupt file: some failed, the batch went on. */
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "broken_scan.tif"));
	assert_non_null(strstr(o.out, "1 failed"));
	e2e_out_free(&o);
}

/* ------------------------------------------------------------------- text */

static void check_text(json_t *t, json_t *doc, void *ctx)
{
	json_t *tp = json_object_get(t, "pages"), *dp = json_object_get(doc, "pages"), *p;
	size_t i;
	double *worst = ctx;

	assert_int_equal(json_array_size(dp), json_array_size(tp));
	json_array_foreach(tp, i, p) {
		char *want = truth_text(p);
		const char *got = json_string_value(json_object_get(json_array_get(dp, i), "text"));
		double cer = e2e_cer(want, got);

		printf("CER %-28s page %zu: %6.2f%%\n", json_string_value(json_object_get(t, "file")),
		       i + 1, cer * 100);
		if (cer > *worst)
			*worst = cer;
		if (cer > MAX_PAGE_CER)
			fail_msg("page %zu of %s: CER %.2f%% above %.2f%%\n--- want:\n%s\n--- got:\n%s",
				 i + 1, json_string_value(json_object_get(t, "file")), cer * 100,
				 MAX_PAGE_CER * 100, want, got);
		free(want);
	}
}

static void test_text(void **state)
{
	double worst = 0;

	(void)state;
	for_each_sample(check_text, &worst);
	printf("worst page CER: %.2f%%\n", worst * 100);
}

/* ---------------------------------------------------------------- cleanup */

static void check_cleanup(json_t *t, json_t *doc, void *ctx)
{
	json_t *tp = json_object_get(t, "pages"), *dp = json_object_get(doc, "pages"), *p;
	const char *file = json_string_value(json_object_get(t, "file"));
	size_t i;

	(void)ctx;
	json_array_foreach(tp, i, p) {
		json_t *d = json_array_get(dp, i);
		int blank = json_is_true(json_object_get(p, "blank"));

		if (blank != json_is_true(json_object_get(d, "blank")))
			fail_msg("%s page %zu: blank should be %d", file, i + 1, blank);
		if (blank)
			continue;
		if (json_integer_value(json_object_get(p, "rotation")) !=
		    json_integer_value(json_object_get(d, "rotation")))
			fail_msg("%s page %zu: rotation %lld, truth %lld", file, i + 1,
				 json_integer_value(json_object_get(d, "rotation")),
				 json_integer_value(json_object_get(p, "rotation")));
		if (fabs(json_number_value(json_object_get(p, "skew")) -
			 json_number_value(json_object_get(d, "skew"))) > MAX_SKEW_ERROR)
			fail_msg("%s page %zu: skew %.2f, truth %.2f", file, i + 1,
				 json_number_value(json_object_get(d, "skew")),
				 json_number_value(json_object_get(p, "skew")));
		if (strcmp(json_string_value(json_object_get(p, "lang")),
			   json_string_value(json_object_get(d, "lang"))) != 0)
			fail_msg("%s page %zu: lang %s, truth %s", file, i + 1,
				 json_string_value(json_object_get(d, "lang")),
				 json_string_value(json_object_get(p, "lang")));
	}
}

static void test_cleanup(void **state)
{
	(void)state;
	for_each_sample(check_cleanup, NULL);
}

/* --------------------------------------------------------------- metadata */

static void expect_equal_json(const char *file, const char *what, json_t *want, json_t *got)
{
	if (!json_equal(want, got)) {
		char *w = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
		char *g = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);

		fail_msg("%s: %s is %s, truth %s", file, what, g ? g : "(none)", w ? w : "(none)");
	}
}

static void check_metadata(json_t *t, json_t *doc, void *ctx)
{
	static const char *const keys[] = { "case_numbers", "personal_codes", "dates", "doc_type" };
	json_t *tm = json_object_get(t, "metadata"), *dm = json_object_get(doc, "metadata");
	const char *file = json_string_value(json_object_get(t, "file"));
	json_t *tmrz = json_object_get(tm, "mrz"), *dmrz = json_object_get(dm, "mrz"), *v;
	const char *key;
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		expect_equal_json(file, keys[i], json_object_get(tm, keys[i]), json_object_get(dm, keys[i]));
	if (tmrz == NULL) {
		if (dmrz != NULL)
			fail_msg("%s: an MRZ was found where there is none", file);
		return;
	}
	if (dmrz == NULL)
		fail_msg("%s: no MRZ found", file);
	json_object_foreach(tmrz, key, v)
		expect_equal_json(file, key, v, json_object_get(dmrz, key));
}

static void test_metadata(void **state)
{
	(void)state;
	for_each_sample(check_metadata, NULL);
}

/* ------------------------------------------------------------------ links */

static void check_links(json_t *t, json_t *doc, void *ctx)
{
	(void)ctx;
	expect_equal_json(json_string_value(json_object_get(t, "file")), "cases",
			  json_object_get(t, "cases"), json_object_get(doc, "cases"));
}

static void test_links(void **state)
{
	json_t *truths = e2e_truths(), *t, *c;
	size_t i, j;

	(void)state;
	for_each_sample(check_links, NULL);
	/* `case --json` lists exactly the documents whose truth names the case. */
	json_array_foreach(truths, i, t) {
		json_array_foreach(json_object_get(t, "cases"), j, c) {
			e2e_out o = e2e_run(E2E.store, "case", "--json", json_string_value(c), NULL);
			json_t *docs;

			assert_int_equal(o.status, 0);
			docs = e2e_json_lines(o.out);
			if (e2e_find_doc(docs, json_string_value(json_object_get(t, "file"))) == NULL)
				fail_msg("case %s does not list %s", json_string_value(c),
					 json_string_value(json_object_get(t, "file")));
			json_decref(docs);
			e2e_out_free(&o);
		}
	}
	json_decref(truths);
}

/* ----------------------------------------------------------------- search */

static void test_search(void **state)
{
	e2e_out o;
	json_t *hits, *h;
	const char *snip;

	(void)state;
	o = e2e_run(E2E.store, "search", "--json", "lēmums Karimi", NULL);
	assert_int_equal(o.status, 0);
	hits = e2e_json_lines(o.out);
	assert_non_null(hits);
	assert_true(json_array_size(hits) >= 1);
	h = json_array_get(hits, 0);
	assert_non_null(e2e_find_doc(hits, "lv_lemums_karimi.png"));
	assert_true(json_integer_value(json_object_get(h, "page")) >= 1);
	assert_true(json_integer_value(json_object_get(h, "score")) > 0);
	assert_true(json_integer_value(json_object_get(h, "score")) <= 100);
	snip = json_string_value(json_object_get(h, "snippet"));
	assert_non_null(snip);
	assert_non_null(strstr(snip, "«"));
	assert_non_null(strstr(snip, "»"));
	json_decref(hits);
	e2e_out_free(&o);

	/* A word that is nowhere gives no hit. */
	o = e2e_run(E2E.store, "search", "--json", "zzyzxqwv", NULL);
	assert_int_equal(o.status, 0);
	assert_string_equal(o.out, "");
	e2e_out_free(&o);

	/* Human output shows the hit count and the snippet. */
	o = e2e_run(E2E.store, "search", "lēmums", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "lv_lemums_karimi.png"));
	e2e_out_free(&o);

	/* A Russian word finds the Russian interview, and only pages that hold it. */
	o = e2e_run(E2E.store, "search", "--json", "собеседования", NULL);
	assert_int_equal(o.status, 0);
	hits = e2e_json_lines(o.out);
	assert_non_null(e2e_find_doc(hits, "ru_sobesedovanie.jpg"));
	assert_null(e2e_find_doc(hits, "lv_lemums_karimi.png"));
	json_decref(hits);
	e2e_out_free(&o);
}

/* ---------------------------------------------------------------- reingest */

static void test_reingest(void **state)
{
	char copy[4096], scans[4096];
	json_t *before, *after, *batches;
	e2e_out o;

	(void)state;
	snprintf(copy, sizeof copy, "%s/store", E2E.work);
	snprintf(scans, sizeof scans, "%s/scans", E2E.samples);
	assert_int_equal(e2e_copy_tree(E2E.store, copy), 0);
	before = e2e_docs_json(copy);
	o = e2e_run(copy, "ingest", scans, NULL);
	/* Nothing new: the done files and the known failure are skipped. */
	if (o.status != 0)
		fail_msg("re-ingest exit %d: %s%s", o.status, o.out, o.err);
	assert_non_null(strstr(o.out, " 0 done"));
	assert_non_null(strstr(o.out, " 0 failed"));
	assert_non_null(strstr(o.err, "already done"));
	e2e_out_free(&o);
	after = e2e_docs_json(copy);
	assert_true(json_equal(before, after));
	o = e2e_run(copy, "batches", "--json", NULL);
	assert_int_equal(o.status, 0);
	batches = e2e_json_lines(o.out);
	assert_int_equal(json_array_size(batches), 2);
	/* The first batch recorded the corrupt file with its reason. */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(batches, 1), "failed")), 1);
	json_decref(batches);
	e2e_out_free(&o);

	/* --retry-failed tries the corrupt file again: still failed, named. */
	o = e2e_run(copy, "ingest", "--retry-failed", scans, NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "broken_scan.tif"));
	e2e_out_free(&o);
	json_decref(before);
	json_decref(after);
}

/* ----------------------------------------------------------------- verify */

static void test_verify(void **state)
{
	char copy[4096], pkg[8192];
	json_t *docs, *d;
	e2e_out o;
	FILE *f;
	long size;
	int c;

	(void)state;
	/* the shared store is only read: no fixity record written into it */
	o = e2e_run(E2E.store, "verify", "--no-record", NULL);
	if (o.status != 0)
		fail_msg("verify: %s%s", o.out, o.err);
	assert_non_null(strstr(o.out, "all intact"));
	e2e_out_free(&o);

	/* Flip one byte of the original inside a package of a copy: named. */
	snprintf(copy, sizeof copy, "%s/store", E2E.work);
	assert_int_equal(e2e_copy_tree(E2E.store, copy), 0);
	docs = e2e_docs_json(copy);
	d = e2e_find_doc(docs, "lv_lemums_karimi.png");
	assert_non_null(d);
	snprintf(pkg, sizeof pkg, "%s/archive/%s", copy, json_string_value(json_object_get(d, "package")));
	chmod(pkg, 0644);
	f = fopen(pkg, "r+b");
	assert_non_null(f);
	/* The middle byte of the original: its tar entry found by walking the
	 * ustar headers (name at 0, octal size at 124), since the masters and
	 * the access copy (issue 18) are payload files as large. */
	size = -1;
	for (long at = 0;;) {
		char h[512], name[101];
		long n;

		fseek(f, at, SEEK_SET);
		if (fread(h, 1, sizeof h, f) != sizeof h || h[0] == '\0')
			break;
		memcpy(name, h, 100);
		name[100] = '\0';
		n = strtol(h + 124, NULL, 8);
		if (strstr(name, "/data/original/") != NULL && n > 0) {
			size = at + 512 + n / 2;
			break;
		}
		at += 512 + (n + 511) / 512 * 512;
	}
	assert_true(size > 0);
	fseek(f, size, SEEK_SET);
	c = fgetc(f);
	fseek(f, size, SEEK_SET);
	fputc(c ^ 0x01, f);
	fclose(f);
	o = e2e_run(copy, "verify", NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "FAILED"));
	assert_non_null(strstr(o.out, "data/original/"));
	e2e_out_free(&o);
	json_decref(docs);
}

/* ------------------------------------------------------------------ names */

/* A file name with a line break and a byte that is not UTF-8, and a text
 * file dressed as a PNG: the name is kept (escaped), the impostor named. */
static void test_names(void **state)
{
	char copy[4096], dir[4096], src[4096], odd[8192], fake[8192];
	FILE *in, *out;
	json_t *docs, *d;
	size_t i;
	int c, found = 0;
	e2e_out o;

	(void)state;
	snprintf(copy, sizeof copy, "%s/store", E2E.work);
	snprintf(dir, sizeof dir, "%s/in", E2E.work);
	assert_int_equal(e2e_copy_tree(E2E.store, copy), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(src, sizeof src, "%s/scans/lv_lemums_karimi.png", E2E.samples);
	snprintf(odd, sizeof odd, "%s/sk\xe4n\nlemums.png", dir);
	snprintf(fake, sizeof fake, "%s/notes.png", dir);
	/* The same scan plus one trailing byte: new bytes, new document. */
	in = fopen(src, "rb");
	out = fopen(odd, "wb");
	assert_non_null(in);
	assert_non_null(out);
	while ((c = fgetc(in)) != EOF)
		fputc(c, out);
	fputc(0, out);
	fclose(in);
	fclose(out);
	out = fopen(fake, "wb");
	fputs("not a scan at all\n", out);
	fclose(out);

	o = e2e_run(copy, "ingest", dir, NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "notes.png"));
	assert_non_null(strstr(o.out, "not a TIFF, PNG or JPEG"));
	e2e_out_free(&o);
	docs = e2e_docs_json(copy);
	json_array_foreach(docs, i, d) {
		const char *s = json_string_value(json_object_get(d, "source"));

		if (strstr(s, "sk\\xe4n\nlemums.png") != NULL) {
			found = 1;
			assert_string_equal(json_string_value(json_object_get(d, "status")), "done");
		}
	}
	assert_true(found);
	json_decref(docs);
}

/* ----------------------------------------------------------------- errors */

static void test_errors(void **state)
{
	e2e_out o;
	json_t *docs, *d;
	const char *err;

	(void)state;
	docs = e2e_docs_json(E2E.store);
	d = e2e_find_doc(docs, "broken_scan.tif");
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "failed");
	err = json_string_value(json_object_get(d, "error"));
	assert_non_null(err);
	assert_non_null(strstr(err, "broken_scan.tif"));
	/* show by id and by SHA-256 prefix give the same object */
	{
		char id[32], prefix[16];
		e2e_out a, b;

		snprintf(id, sizeof id, "%lld", json_integer_value(json_object_get(d, "id")));
		snprintf(prefix, sizeof prefix, "%.10s", json_string_value(json_object_get(d, "sha256")));
		a = e2e_run(E2E.store, "show", "--json", id, NULL);
		b = e2e_run(E2E.store, "show", "--json", prefix, NULL);
		assert_int_equal(a.status, 0);
		assert_int_equal(b.status, 0);
		assert_string_equal(a.out, b.out);
		e2e_out_free(&a);
		e2e_out_free(&b);
	}
	json_decref(docs);
	o = e2e_run(E2E.store, "show", "999999", NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.err, "no document"));
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "frobnicate", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "ingest", "--help", NULL);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "usage: kartoteka"));
	e2e_out_free(&o);
}

static const kt_test_case groups[] = {
	KT_TEST(setup),
	KT_TEST(text),
	KT_TEST(cleanup),
	KT_TEST(metadata),
	KT_TEST(links),
	KT_TEST(search),
	KT_TEST(reingest),
	KT_TEST(verify),
	KT_TEST(errors),
	KT_TEST(names),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_e2e", .cases = groups, .n_cases = KT_N_CASES(groups),
		.args = "KARTOTEKA SAMPLES STORE WORK", .n_args = 4, .case_required = 1, .init = e2e_init_store,
	};

	return kt_test_main(&prog, argc, argv);
}
