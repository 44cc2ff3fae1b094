/*
 * test_separators.c - separator sheets end to end (issue 9): one multi-page
 * TIFF made by the test, as an operator scans a stack: a sheet with a Code 39
 * code, a Lithuanian application (lt_prasymas), a second sheet, a Latvian
 * interview record of two pages (lv_intervija_2p), drawn and read back
 * (tests/ocr/sheet_fixture.c). Cases:
 *   divided      two documents of the one file, each its pages of it (2 and
 *                4-5), its sheet's code, the file's SHA-256; no sheet is a
 *                page of either, no code in any text; each package's record
 *                says the part; ingesting again does nothing
 *   resumed      a batch stopped after the second part was written
 *                (KT_FAULT=archive_write:1) leaves the file to do; the next
 *                batch writes the first part only (the second has one
 *                package); rebuild from the archive gives the parts back
 *   reprocessed  reprocess of the second part: version 2, its two pages again
 *   off          separator_sheets = no: one document of all five pages
 *   only_sheets  a file of sheets alone fails, named, with the reason
 * Run as `test_separators KARTOTEKA SAMPLES WORK`.
 */
#include "e2e.h"
#include "sheet_fixture.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME "stack.tif"

static char store[1024], in[1024];

/* Write the stack: sheet, lt_prasymas, sheet, lv_intervija_2p pages 1-2 (or
 * the sheets alone) as one Deflate TIFF, 8-bit grey, 300 dpi. */
static void make_stack(const char *dir, int sheets_only)
{
	char path[2048], src[2048];
	PIX *pages[5] = { NULL };
	int n = 0, i;

	pages[n++] = sheet_fixture_page("KT-SEP-1", 300, 1);
	if (!sheets_only) {
		snprintf(src, sizeof src, "%s/scans/lt_prasymas.tif", E2E.samples);
		pages[n++] = pixRead(src);
	}
	pages[n++] = sheet_fixture_page("KT-SEP-2", 300, 0);
	if (!sheets_only) {
		PIXA *two;

		snprintf(src, sizeof src, "%s/scans/lv_intervija_2p.tif", E2E.samples);
		two = pixaReadMultipageTiff(src);
		assert_non_null(two);
		pages[n++] = pixaGetPix(two, 0, L_COPY);
		pages[n++] = pixaGetPix(two, 1, L_COPY);
		pixaDestroy(&two);
	}
	snprintf(path, sizeof path, "%s/%s", dir, FILE_NAME);
	for (i = 0; i < n; i++) {
		PIX *g;

		assert_non_null(pages[i]);
		g = pixConvertTo8(pages[i], 0);
		assert_non_null(g);
		pixSetResolution(g, 300, 300);
		assert_int_equal(pixWriteTiff(path, g, IFF_TIFF_ZIP, i == 0 ? "w" : "a"), 0);
		pixDestroy(&g);
		pixDestroy(&pages[i]);
	}
}

static int run(const char *a, const char *b, const char *c)
{
	e2e_out o = e2e_run(store, a, b, c, NULL);
	int status = o.status;

	if (status != 0)
		print_message("%s: exit %d: %s\n", a, status, o.err);
	e2e_out_free(&o);
	return status;
}

/* The documents of the store from FILE_NAME, by part number (index 0: part 1). */
static int parts_of(json_t *docs, json_t *out[4])
{
	size_t i;
	json_t *d;
	int n = 0;

	memset(out, 0, 4 * sizeof *out);
	json_array_foreach(docs, i, d) {
		const char *src = json_string_value(json_object_get(d, "source"));
		json_t *part = json_object_get(d, "part");
		json_int_t k = json_integer_value(json_object_get(part, "n"));

		if (src == NULL || strstr(src, FILE_NAME) == NULL)
			continue;
		n++;
		if (k >= 1 && k <= 4)
			out[k - 1] = d;
	}
	return n;
}

static const char *page_text(json_t *d, size_t i)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(d, "pages"), i), "text"));
}

static void check_part(json_t *d, int n, int first, int last, const char *code)
{
	json_t *part = json_object_get(d, "part");

	assert_non_null(part);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "done");
	assert_int_equal(json_integer_value(json_object_get(part, "n")), n);
	assert_int_equal(json_integer_value(json_object_get(part, "of")), 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(part, "pages"), 0)), first);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(part, "pages"), 1)), last);
	assert_string_equal(json_string_value(json_object_get(part, "separator")), code);
	assert_int_equal(json_array_size(json_object_get(d, "pages")), last - first + 1);
}

/* The two parts, as the stack makes them. */
static void check_divided(json_t *p[4])
{
	size_t i;

	assert_non_null(p[0]);
	assert_non_null(p[1]);
	check_part(p[0], 1, 2, 2, "KT-SEP-1");
	check_part(p[1], 2, 4, 5, "KT-SEP-2");
	assert_string_equal(json_string_value(json_object_get(p[0], "sha256")),
			    json_string_value(json_object_get(p[1], "sha256")));
	assert_non_null(strstr(page_text(p[0], 0), "PRA"));
	assert_non_null(strstr(page_text(p[0], 0), "Mammadova"));
	assert_non_null(strstr(page_text(p[1], 0), "migr"));
	for (i = 0; i < 2; i++) {
		assert_null(strstr(page_text(p[1], i), "Mammadova"));
		assert_null(strstr(page_text(p[1], i), "KT-SEP"));
	}
	assert_null(strstr(page_text(p[0], 0), "KT-SEP"));
}

static void test_divided(void **state)
{
	json_t *docs, *p[4], *rec;

	(void)state;
	e2e_fresh("divided", store, sizeof store, in, sizeof in);
	make_stack(in, 0);
	assert_int_equal(run("ingest", in, NULL), 0);
	docs = e2e_docs_json(store);
	assert_int_equal(parts_of(docs, p), 2);
	check_divided(p);
	/* each package's own record says the part */
	rec = e2e_package_record(store, p[1]);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(rec, "part"), "n")), 2);
	assert_int_equal(json_array_size(json_object_get(rec, "pages")), 2);
	json_decref(rec);
	json_decref(docs);
	/* again: nothing new */
	assert_int_equal(run("ingest", in, NULL), 0);
	docs = e2e_docs_json(store);
	assert_int_equal(json_array_size(docs), 2);
	json_decref(docs);
}

static void test_resumed(void **state)
{
	json_t *docs, *p[4];
	e2e_out o;

	(void)state;
	e2e_fresh("resumed", store, sizeof store, in, sizeof in);
	make_stack(in, 0);
	setenv("KT_FAULT", "archive_write:1", 1);
	o = e2e_run(store, "ingest", in, NULL);
	unsetenv("KT_FAULT");
	assert_int_not_equal(o.status, 0);
	e2e_out_free(&o);
	docs = e2e_docs_json(store);
	assert_int_equal(parts_of(docs, p), 2);
	assert_string_equal(json_string_value(json_object_get(p[1], "status")), "done");
	assert_true(strcmp(json_string_value(json_object_get(p[0], "status")), "done") != 0);
	json_decref(docs);
	assert_int_equal(run("ingest", in, NULL), 0);
	docs = e2e_docs_json(store);
	assert_int_equal(parts_of(docs, p), 2);
	check_divided(p);
	/* the second part was not written twice */
	assert_int_equal(json_array_size(json_object_get(p[1], "versions")), 1);
	json_decref(docs);
	/* the archive alone gives the parts back */
	assert_int_equal(run("rebuild", "--force", NULL), 0);
	docs = e2e_docs_json(store);
	assert_int_equal(parts_of(docs, p), 2);
	check_divided(p);
	json_decref(docs);
}

static void test_reprocessed(void **state)
{
	json_t *docs, *p[4];
	char id[32];

	(void)state;
	e2e_fresh("reprocessed", store, sizeof store, in, sizeof in);
	make_stack(in, 0);
	assert_int_equal(run("ingest", in, NULL), 0);
	docs = e2e_docs_json(store);
	assert_int_equal(parts_of(docs, p), 2);
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(p[1], "id")));
	json_decref(docs);
	{
		e2e_out o = e2e_run(store, "reprocess", id, "--reason", "engine upgrade", NULL);

		if (o.status != 0)
			print_message("reprocess: %s\n", o.err);
		assert_int_equal(o.status, 0);
		e2e_out_free(&o);
	}
	docs = e2e_docs_json(store);
	assert_int_equal(parts_of(docs, p), 2);
	check_divided(p);
	assert_int_equal(json_array_size(json_object_get(p[1], "versions")), 2);
	json_decref(docs);
}

static void test_off(void **state)
{
	char conf[2048];
	FILE *f;
	json_t *docs, *d;

	(void)state;
	e2e_fresh("off", store, sizeof store, in, sizeof in);
	make_stack(in, 0);
	assert_int_equal(run("init", NULL, NULL), 0);
	snprintf(conf, sizeof conf, "%s/kartoteka.conf", store);
	f = fopen(conf, "a");
	assert_non_null(f);
	fputs("separator_sheets = no\n", f);
	fclose(f);
	assert_int_equal(run("ingest", in, NULL), 0);
	docs = e2e_docs_json(store);
	assert_int_equal(json_array_size(docs), 1);
	d = json_array_get(docs, 0);
	assert_null(json_object_get(d, "part"));
	assert_int_equal(json_array_size(json_object_get(d, "pages")), 5);
	json_decref(docs);
}

static void test_only_sheets(void **state)
{
	json_t *docs;
	e2e_out o;

	(void)state;
	e2e_fresh("only", store, sizeof store, in, sizeof in);
	make_stack(in, 1);
	o = e2e_run(store, "ingest", in, NULL);
	assert_int_not_equal(o.status, 0);
	kt_expect_in(o.err, FILE_NAME);
	kt_expect_in(o.err, "separator sheet");
	e2e_out_free(&o);
	docs = e2e_docs_json(store);
	assert_int_equal(json_array_size(docs), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(docs, 0), "status")),
			    "failed");
	json_decref(docs);
}

static const kt_test_case cases[] = {
	KT_TEST(divided),
	KT_TEST(resumed),
	KT_TEST(reprocessed),
	KT_TEST(off),
	KT_TEST(only_sheets),
};

static void init(char **args)
{
	e2e_init_work(args);
	setMsgSeverity(L_SEVERITY_NONE);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_separators", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
