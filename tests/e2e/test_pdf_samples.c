/*
 * test_pdf_samples.c - the committed PDF samples (samples/pdf, made by
 * samples/gen_pdf.c, truth in samples/truth/pdf/<stem>.json) through
 * `kartoteka ingest`, each case into a store of its own in WORK:
 *   born_digital    its page text is the truth exactly (CER 0), text_source "pdf"
 *   scanned         both pages recognised within the samples' CER bound, each
 *                   turned as the truth says, text_source "ocr"
 *   mixed           page 1 the PDF's own text, page 2 recognised
 *   rotate90        a /Rotate 90 page is rendered upright (rotation 0) and read
 *   user_password   failed, the reason names the password
 *   owner_only      done: the empty user password opens it, its text is kept
 *   truncated       failed, with a reason
 *   zero_pages      failed: no pages
 * text_source is read from the catalog (`docs --json`) and from the
 * package's document.json; both must say the same.
 *
 * usage: test_pdf_samples KARTOTEKA SAMPLES WORK CASE
 */
#include "e2e.h"

#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The bound every OCR test of the samples uses (tests/e2e/test_e2e.c). */
#define MAX_PAGE_CER 0.03

static char store[4096], in[4096];

/* A fresh store and an input folder under WORK holding the sample file. */
static void fresh(const char *tag, const char *file)
{
	char from[8192], to[8192];
	unsigned char *data;
	size_t len;

	e2e_fresh(tag, store, sizeof store, in, sizeof in);
	snprintf(from, sizeof from, "%s/pdf/%s", E2E.samples, file);
	snprintf(to, sizeof to, "%s/%s", in, file);
	data = kt_test_read_file(from, &len);
	if (data == NULL)
		fail_msg("cannot read %s", from);
	kt_test_write_file(to, data, len);
	free(data);
}

/* Ingest the input folder; the exit status must be want. */
static void ingest(int want)
{
	e2e_out o = e2e_run(store, "ingest", "--batch", "pdf", in, (char *)NULL);

	fprintf(stderr, "%s%s", o.out, o.err);
	if (o.status != want)
		fail_msg("ingest exit %d, want %d: %s%s", o.status, want, o.out, o.err);
	e2e_out_free(&o);
}

/* The truth of a PDF sample (new reference). */
static json_t *truth(const char *file)
{
	char path[8192], stem[256];
	json_error_t je;
	json_t *t;

	snprintf(stem, sizeof stem, "%s", file);
	if (strrchr(stem, '.') != NULL)
		*strrchr(stem, '.') = '\0';
	snprintf(path, sizeof path, "%s/truth/pdf/%s.json", E2E.samples, stem);
	t = json_load_file(path, 0, &je);
	if (t == NULL)
		fail_msg("truth %s: %s", path, je.text);
	assert_string_equal(json_string_value(json_object_get(t, "file")), file);
	return t;
}

static json_t *truth_page(json_t *t, int i)
{
	return json_array_get(json_object_get(t, "pages"), (size_t)i);
}

/* The document of file from `docs --json` (new reference), with its status. */
static json_t *doc_of(const char *file, const char *status)
{
	return e2e_doc_of(store, file, status);
}

/* The package's document.json of doc (new reference). */
static json_t *package_record(json_t *doc)
{
	return e2e_package_record(store, doc);
}

static json_t *doc_page(json_t *doc, int i)
{
	return json_array_get(json_object_get(doc, "pages"), (size_t)i);
}

static const char *page_str(json_t *doc, int i, const char *key)
{
	return json_string_value(json_object_get(doc_page(doc, i), key));
}

/* text with its empty lines dropped and a line break after each line
 * (malloc'd): MuPDF puts a blank line between the text blocks of a page,
 * and every line of a generated page is a block of its own. */
static char *nonblank_lines(const char *text)
{
	char *s = malloc(strlen(text) + 2);
	size_t k = 0;
	const char *p;

	assert_non_null(s);
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n' && (k == 0 || s[k - 1] == '\n'))
			continue;
		s[k++] = *p;
	}
	if (k > 0 && s[k - 1] != '\n')
		s[k++] = '\n';
	s[k] = '\0';
	return s;
}

/* The truth's lines of a page, each followed by a line break (malloc'd). */
static char *truth_lines(json_t *tpage)
{
	const char *text = json_string_value(json_object_get(tpage, "text"));
	char *s = malloc(strlen(text) + 2);

	assert_non_null(s);
	strcpy(s, text);
	if (*text != '\0')
		strcat(s, "\n");
	return s;
}

/* Page i of doc (catalog) and rec (package) is the PDF's own text and equals
 * the truth's page exactly, line for line. */
static void expect_own_text(json_t *doc, json_t *rec, int i, json_t *tpage, const char *file)
{
	char *want = truth_lines(tpage), *got = nonblank_lines(page_str(doc, i, "text"));
	double cer = e2e_cer(json_string_value(json_object_get(tpage, "text")), page_str(doc, i, "text"));

	printf("CER %s page %d: %.2f%% (text_source %s)\n", file, i + 1, cer * 100,
	       page_str(doc, i, "text_source"));
	assert_string_equal(got, want);
	assert_true(cer == 0.0);
	assert_string_equal(page_str(doc, i, "text_source"), "pdf");
	assert_string_equal(page_str(rec, i, "text_source"), "pdf");
	assert_string_equal(page_str(rec, i, "text"), page_str(doc, i, "text"));
	free(want);
	free(got);
}

/* Page i was recognised: CER within the bound, turned as the truth says. */
static void expect_ocr(json_t *doc, json_t *rec, int i, json_t *tpage, const char *file)
{
	double cer = e2e_cer(json_string_value(json_object_get(tpage, "text")), page_str(doc, i, "text"));

	printf("CER %s page %d: %.2f%% (text_source %s, rotation %lld)\n", file, i + 1, cer * 100,
	       page_str(doc, i, "text_source"),
	       json_integer_value(json_object_get(doc_page(doc, i), "rotation")));
	if (cer > MAX_PAGE_CER)
		fail_msg("%s page %d: CER %.2f%% above %.0f%%", file, i + 1, cer * 100, MAX_PAGE_CER * 100);
	assert_string_equal(page_str(doc, i, "text_source"), "ocr");
	assert_string_equal(page_str(rec, i, "text_source"), "ocr");
	assert_int_equal(json_integer_value(json_object_get(doc_page(doc, i), "rotation")),
			 json_integer_value(json_object_get(tpage, "rotation")));
}

/* A sample that must be done: ingested, every page checked against its
 * truth, own text or recognised as the page's kind says. */
static void expect_done(const char *tag, const char *file, const char *const kinds)
{
	json_t *t = truth(file), *doc, *rec;
	int i, n = (int)strlen(kinds);

	assert_false(json_is_true(json_object_get(t, "expect_error")));
	assert_int_equal(json_array_size(json_object_get(t, "pages")), (size_t)n);
	fresh(tag, file);
	ingest(0);
	doc = doc_of(file, "done");
	assert_string_equal(json_string_value(json_object_get(doc, "format")), "pdf");
	assert_int_equal(json_array_size(json_object_get(doc, "pages")), (size_t)n);
	rec = package_record(doc);
	assert_int_equal(json_array_size(json_object_get(rec, "pages")), (size_t)n);
	for (i = 0; i < n; i++) {
		if (kinds[i] == 'p')
			expect_own_text(doc, rec, i, truth_page(t, i), file);
		else
			expect_ocr(doc, rec, i, truth_page(t, i), file);
	}
	json_decref(rec);
	json_decref(doc);
	json_decref(t);
}

/* A sample that must fail: the batch exits 1 and the error names the file
 * and holds reason. */
static void expect_failed(const char *tag, const char *file, const char *reason)
{
	json_t *t = truth(file), *doc;
	const char *err;
	char named[512];

	assert_true(json_is_true(json_object_get(t, "expect_error")));
	fresh(tag, file);
	ingest(1);
	doc = doc_of(file, "failed");
	err = json_string_value(json_object_get(doc, "error"));
	assert_non_null(err);
	printf("%s: %s\n", file, err);
	snprintf(named, sizeof named, "%s': ", file);
	kt_expect_in(err, named);
	kt_expect_in(err, reason);
	json_decref(doc);
	json_decref(t);
}

/* ---------------------------------------------------------------- cases */

static void test_born_digital(void **state)
{
	(void)state;
	expect_done("born", "lv_vestule_digital.pdf", "p");
}

static void test_scanned(void **state)
{
	(void)state;
	expect_done("scanned", "lv_intervija_scan.pdf", "oo");
}

static void test_mixed(void **state)
{
	(void)state;
	expect_done("mixed", "lv_pavadvestule_mixed.pdf", "po");
}

static void test_rotate90(void **state)
{
	(void)state;
	expect_done("rotate", "en_letter_rotate90.pdf", "o");
}

static void test_user_password(void **state)
{
	(void)state;
	expect_failed("user", "lv_vestule_user_password.pdf", "password");
}

static void test_owner_only(void **state)
{
	(void)state;
	expect_done("owner", "lv_vestule_owner_only.pdf", "p");
}

static void test_truncated(void **state)
{
	(void)state;
	/* cut in the middle, the page tree is lost: MuPDF's repair finds no page */
	expect_failed("truncated", "lv_vestule_truncated.pdf", "cannot read '");
}

static void test_zero_pages(void **state)
{
	(void)state;
	expect_failed("zero", "zero_pages.pdf", "PDF has no pages");
}

static const kt_test_case cases[] = {
	KT_TEST(born_digital),
	KT_TEST(scanned),
	KT_TEST(mixed),
	KT_TEST(rotate90),
	KT_TEST(user_password),
	KT_TEST(owner_only),
	KT_TEST(truncated),
	KT_TEST(zero_pages),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_pdf_samples", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
