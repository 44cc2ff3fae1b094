/*
 * test_versions.c - package versions end to end (issue 18): `kartoteka
 * reprocess` on a copy of the sample store writes version 2 beside version 1,
 * which stays bit for bit; show, export, verify, search and rebuild see the
 * versions; refusals are named.
 *
 * usage: test_versions KARTOTEKA SAMPLES STORE WORK CASE
 */
#include "e2e.h"

#include "kt_sha.h"
#include "kt_status.h"
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REASON "engine upgrade: Tesseract 5.3 to 5.4 (test)"

static char store[700];

/* A copy of the fixture store in WORK/NAME. */
static void copy_store(const char *name)
{
	snprintf(store, sizeof store, "%s/%s", E2E.work, name);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);
}

/* `show --json ID` (new reference). */
static json_t *show(long long id)
{
	char arg[32];
	e2e_out o;
	json_t *lines, *d;

	snprintf(arg, sizeof arg, "%lld", id);
	o = e2e_run(store, "show", "--json", arg, NULL);
	assert_int_equal(o.status, 0);
	lines = e2e_json_lines(o.out);
	d = json_incref(json_array_get(lines, 0));
	json_decref(lines);
	e2e_out_free(&o);
	assert_non_null(d);
	return d;
}

/* A payload file of a package (malloc'd text). */
static char *payload(const char *relpath, const char *name)
{
	return e2e_package_file(store, relpath, name, NULL);
}

static long long doc_id(const char *file, char **package)
{
	json_t *docs = e2e_docs_json(store), *d = e2e_find_doc(docs, file);
	long long id;

	assert_non_null(d);
	id = (long long)json_integer_value(json_object_get(d, "id"));
	if (package)
		*package = strdup(json_string_value(json_object_get(d, "package")));
	json_decref(docs);
	return id;
}

static void expect_versions(json_t *doc, const char *v1_created)
{
	json_t *vs = json_object_get(doc, "versions"), *v1, *v2;

	assert_int_equal(json_array_size(vs), 2);
	v1 = json_array_get(vs, 0);
	v2 = json_array_get(vs, 1);
	assert_int_equal(json_integer_value(json_object_get(v1, "n")), 1);
	assert_true(json_is_null(json_object_get(v1, "reason")));
	if (v1_created)
		assert_string_equal(json_string_value(json_object_get(v1, "created")), v1_created);
	assert_int_equal(json_integer_value(json_object_get(v2, "n")), 2);
	assert_string_equal(json_string_value(json_object_get(v2, "reason")), REASON);
	assert_non_null(json_string_value(json_object_get(v2, "created")));
	kt_expect_in(json_string_value(json_object_get(v2, "package")), "-v2.tar");
	assert_int_equal(json_integer_value(json_object_get(doc, "package_version")), 2);
}

static void test_reprocess(void **state)
{
	char *v1 = NULL, *v2 = NULL, *rec, *mets, arg[32], d1[800], d2[800];
	char before[KT_SHA256_HEX], after[KT_SHA256_HEX], *created1;
	unsigned char *a, *b;
	size_t la, lb;
	long long id;
	json_t *doc, *lines;
	e2e_out o;

	(void)state;
	copy_store("reprocess");
	id = doc_id("lv_lemums_karimi.png", &v1);
	kt_expect_in(v1, "-v1.tar");
	e2e_package_sha(store, v1, before);
	doc = show(id);
	created1 = strdup(json_string_value(json_object_get(json_array_get(
		json_object_get(doc, "versions"), 0), "created")));
	json_decref(doc);
	snprintf(arg, sizeof arg, "%lld", id);

	o = e2e_run(store, "reprocess", "--jobs", "1", "--reason", REASON, arg, NULL);
	if (o.status != 0)
		fail_msg("reprocess: %s%s", o.out, o.err);
	kt_expect_in(o.out, "version 2 written as");
	e2e_out_free(&o);

	/* version 1 is there, bit for bit; version 2 beside it */
	e2e_package_sha(store, v1, after);
	assert_string_equal(before, after);
	doc = show(id);
	expect_versions(doc, created1);
	v2 = strdup(json_string_value(json_object_get(doc, "package")));
	kt_expect_in(v2, "-v2.tar");
	json_decref(doc);

	/* the new package tells its history and why it was made */
	rec = payload(v2, "metadata/document.json");
	kt_expect_in(rec, REASON);
	kt_expect_in(rec, "\"n\": 1");
	free(rec);
	mets = payload(v2, "metadata/mets.xml");
	kt_expect_in(mets, "<premis:eventType>modification</premis:eventType>");
	kt_expect_in(mets, REASON);
	free(mets);

	/* export: the newest by default, any version on request; same original */
	snprintf(d1, sizeof d1, "%s/export-v1", E2E.work);
	snprintf(d2, sizeof d2, "%s/export-v2", E2E.work);
	o = e2e_run(store, "export", "--version", "1", arg, d1, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	o = e2e_run(store, "export", arg, d2, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(d1, sizeof d1, "%s/export-v1/lv_lemums_karimi.png", E2E.work);
	snprintf(d2, sizeof d2, "%s/export-v2/lv_lemums_karimi.png", E2E.work);
	a = kt_test_read_file(d1, &la);
	b = kt_test_read_file(d2, &lb);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	o = e2e_run(store, "export", "--version", "3", arg, d1, NULL);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "has no version 3 (it has 1 2)");
	e2e_out_free(&o);

	/* verify checks every version */
	o = e2e_run(store, "verify", "--json", "--no-record", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, v1);
	kt_expect_in(o.out, v2);
	e2e_out_free(&o);

	/* search finds the document in its newest version */
	o = e2e_run(store, "search", "--json", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	lines = e2e_json_lines(o.out);
	assert_true(json_array_size(lines) >= 1);
	json_decref(lines);
	e2e_out_free(&o);

	/* rebuild puts every version back, with when and why */
	o = e2e_run(store, "rebuild", "--force", NULL);
	if (o.status != 0)
		fail_msg("rebuild: %s%s", o.out, o.err);
	e2e_out_free(&o);
	doc = show(id);
	expect_versions(doc, created1);
	assert_string_equal(json_string_value(json_object_get(doc, "package")), v2);
	json_decref(doc);
	free(created1);
	free(v1);
	free(v2);
}

static void test_refusals(void **state)
{
	char arg[32];
	long long id;
	e2e_out o;

	(void)state;
	copy_store("refusals");
	id = doc_id("lv_lemums_karimi.png", NULL);
	snprintf(arg, sizeof arg, "%lld", id);
	o = e2e_run(store, "reprocess", arg, NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "--reason is required");
	e2e_out_free(&o);
	o = e2e_run(store, "reprocess", "--reason", " \t", arg, NULL);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "needs a reason");
	e2e_out_free(&o);
	o = e2e_run(store, "reprocess", "--reason", "x", "99999", NULL);
	assert_int_equal(o.status, 1);
	e2e_out_free(&o);
	/* nothing was written */
	o = e2e_run(store, "show", "--json", arg, NULL);
	kt_expect_in(o.out, "\"package_version\":1");
	e2e_out_free(&o);
}

/* An export keeps the letters of a file's name (courts get Windows media:
 * only what a file system refuses is replaced). */
static void test_export_names(void **state)
{
	static const char name[] = "01 paziņojums Bērziņš.png";
	char in[800], src[1200], dst[1600], out[900], *text;
	unsigned char *data;
	size_t len;
	long long id;
	e2e_out o;

	(void)state;
	copy_store("names");
	snprintf(in, sizeof in, "%s/names-in", E2E.work);
	assert_int_equal(mkdir(in, 0755), 0);
	snprintf(src, sizeof src, "%s/scans/en_letter.png", E2E.samples);
	data = kt_test_read_file(src, &len);
	assert_non_null(data);
	snprintf(dst, sizeof dst, "%s/%s", in, name);
	kt_test_write_file(dst, data, len);
	/* a byte after the PNG's end: another SHA-256, the same image */
	{
		FILE *f = fopen(dst, "ab");

		assert_non_null(f);
		fputs("kt-names", f);
		fclose(f);
	}
	free(data);
	o = e2e_run(store, "ingest", "--jobs", "1", in, NULL);
	if (o.status != 0)
		fail_msg("ingest: %s%s", o.out, o.err);
	e2e_out_free(&o);
	id = doc_id(name, NULL);
	snprintf(out, sizeof out, "%s/names-out", E2E.work);
	snprintf(src, sizeof src, "%lld", id);
	o = e2e_run(store, "export", src, out, NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "01 paziņojums Bērziņš.png\toriginal");
	kt_expect_in(o.out, "01 paziņojums Bērziņš.txt\t");
	e2e_out_free(&o);
	snprintf(dst, sizeof dst, "%s/%s", out, name);
	data = kt_test_read_file(dst, &len);
	assert_non_null(data);
	free(data);
	snprintf(dst, sizeof dst, "%s/01 paziņojums Bērziņš.txt", out);
	text = (char *)kt_test_read_file(dst, &len);
	assert_non_null(text);
	free(text);
}

static const kt_test_case cases[] = {
	KT_TEST(reprocess),
	KT_TEST(refusals),
	KT_TEST(export_names),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_versions", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES STORE WORK", .n_args = 4, .case_required = 1, .init = e2e_init_store,
	};

	return kt_test_main(&prog, argc, argv);
}
