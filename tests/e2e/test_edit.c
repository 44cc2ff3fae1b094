/*
 * test_edit.c - `kartoteka edit` end to end (issue 9, corrections; issue 18,
 * "corrections made by people carry forward into every later version"): on
 * a born-digital sample (no OCR, so it is quick), an archivist's corrections
 * of fields and of a page's text make version 2, version 1 stays bit for
 * bit, the corrected text is what show, search and the package say; a later
 * reprocess keeps every correction; a rebuild from the archive alone gets
 * them back; refused values record nothing and make no version.
 * Run as `test_edit KARTOTEKA SAMPLES WORK`.
 */
#include "e2e.h"

#include "kt_sha.h"
#include "kt_status.h"
#include "kt_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME "lv_vestule_digital.pdf"
#define PAGE_TEXT "VĒSTULE\nLieta Nr. PMLP-LV-2023-004571\nLabojums: Ahmad Karimi strādā kopš 01.03.2023.\n"

static char store[1024], in[1024];

static json_t *doc(void)
{
	return e2e_doc_of(store, FILE_NAME, "done");
}

/* `edit` with these arguments (NULL-terminated, at most 12); its exit status. */
static int edit(const char *a, ...)
{
	const char *v[14] = { "edit" };
	va_list ap;
	e2e_out o;
	int n = 1, status;

	va_start(ap, a);
	for (v[n] = a; v[n] != NULL && n < 12; v[++n] = va_arg(ap, const char *))
		;
	va_end(ap);
	o = e2e_run(store, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
		    v[12], NULL);
	status = o.status;
	if (status != 0)
		print_message("edit: exit %d: %s", status, o.err);
	e2e_out_free(&o);
	return status;
}

static void check_corrected(json_t *d, size_t n_versions)
{
	json_t *m = json_object_get(d, "metadata"), *p = json_array_get(json_object_get(d, "pages"), 0);

	assert_int_equal(json_array_size(json_object_get(d, "versions")), n_versions);
	assert_string_equal(json_string_value(json_object_get(m, "doc_type")), "decision");
	assert_int_equal(json_array_size(json_object_get(m, "dates")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(m, "dates"), 0)),
			    "2023-04-21");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(m, "names"), 0),
							      "surname")), "Karimi");
	assert_string_equal(json_string_value(json_object_get(p, "text")), PAGE_TEXT);
	assert_string_equal(json_string_value(json_object_get(p, "text_source")), "edited");
	/* found again in the corrected text: the case number it names */
	assert_string_equal(json_string_value(json_array_get(json_object_get(m, "case_numbers"), 0)),
			    "PMLP-LV-2023-004571");
	assert_int_equal(json_array_size(json_object_get(d, "corrections")), 4);
	assert_true(json_is_string(json_object_get(json_array_get(json_object_get(d, "corrections"), 0),
						   "user")));
}

static void test_edit(void **state)
{
	char from[2048], to[2048], text[1200], id[32], sha_v1[KT_SHA256_HEX], again[KT_SHA256_HEX];
	char *v1, *pkg_text, *rec_text;
	unsigned char *data;
	size_t len;
	json_t *d, *rec;
	e2e_out o;

	(void)state;
	e2e_fresh("edit", store, sizeof store, in, sizeof in);
	snprintf(from, sizeof from, "%s/pdf/%s", E2E.samples, FILE_NAME);
	snprintf(to, sizeof to, "%s/%s", in, FILE_NAME);
	data = kt_test_read_file(from, &len);
	assert_non_null(data);
	kt_test_write_file(to, data, len);
	free(data);
	o = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	d = doc();
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(d, "id")));
	v1 = strdup(json_string_value(json_object_get(d, "package")));
	json_decref(d);
	e2e_package_sha(store, v1, sha_v1);
	snprintf(text, sizeof text, "%s/page1.txt", in);
	kt_test_write_file(text, PAGE_TEXT, strlen(PAGE_TEXT));
	snprintf(to, sizeof to, "1=%s", text);

	/* refused: nothing recorded, no version */
	assert_int_equal(edit("--dates", "2023-02-30", "--reason", "r", id, NULL), 1);
	assert_int_equal(edit("--personal-codes", "220791-14728", "--reason", "r", id, NULL), 1);
	assert_int_equal(edit("--page-text", "2=/dev/null", "--reason", "r", id, NULL), 1);
	assert_int_equal(edit("--doc-type", "memo", "--reason", "r", id, NULL), 1);
	assert_int_equal(edit("--doc-type", "letter", id, NULL), 2);
	assert_int_equal(edit("--reason", "r", id, NULL), 2);
	d = doc();
	assert_int_equal(json_array_size(json_object_get(d, "versions")), 1);
	assert_null(json_object_get(d, "corrections"));
	json_decref(d);

	/* the corrections: version 2, version 1 untouched */
	assert_int_equal(edit("--doc-type", "decision", "--dates", "2023-04-21", "--name",
			      "Karimi, Ahmad", "--page-text", to, "--reason", "retyped from the paper",
			      id, NULL), 0);
	d = doc();
	check_corrected(d, 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(d, "versions"), 1),
							      "reason")), "correction: retyped from the paper");
	e2e_package_sha(store, v1, again);
	assert_string_equal(again, sha_v1);
	/* the package holds the corrected text and the corrections */
	pkg_text = e2e_package_file(store, json_string_value(json_object_get(d, "package")),
				    "text/page-0001.txt", NULL);
	assert_string_equal(pkg_text, PAGE_TEXT);
	free(pkg_text);
	rec = e2e_package_record(store, d);
	assert_int_equal(json_array_size(json_object_get(rec, "corrections")), 4);
	rec_text = json_dumps(json_object_get(rec, "metadata"), 0);
	kt_expect_in(rec_text, "2023-04-21");
	free(rec_text);
	json_decref(rec);
	json_decref(d);
	/* search finds the corrected words, not the old ones alone */
	o = e2e_run(store, "search", "Labojums", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "1 hit");
	e2e_out_free(&o);

	/* a later version (an engine upgrade) keeps every correction */
	o = e2e_run(store, "reprocess", "--reason", "engine upgrade (test)", id, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	d = doc();
	check_corrected(d, 3);
	json_decref(d);

	/* the archive alone gives them back */
	o = e2e_run(store, "rebuild", "--force", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	d = doc();
	check_corrected(d, 3);
	json_decref(d);
	free(v1);
}

static const kt_test_case cases[] = {
	KT_TEST(edit),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_edit", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
