/*
 * test_pdf_ingest.c - PDF input end to end (issue 18): PDFs made here
 * (tests/ocr/pdf_fixture.c) go through `kartoteka ingest` into a store of
 * their own in WORK.
 *   born_digital  the page's own text, exactly, no OCR: text_source "pdf"
 *   scanned       an image-only page (a sample scan) is recognised and found
 *                 by search: text_source "ocr"
 *   mixed         one page of each in one document
 *   broken        broken, zero-page and locked PDFs next to a good one: the
 *                 batch goes on, each bad one named with its reason
 * text_source is read from the package's document.json and from the
 * catalog (`show --json`); both must say the same.
 *
 * usage: test_pdf_ingest KARTOTEKA SAMPLES WORK CASE
 */
#include "e2e.h"
#include "pdf_fixture.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


/* The born-digital page and the text ingest must keep, byte for byte. */
static const char born_text[] = "LEMUMS Nr. PMLP-LV-2023-009911\nRiga, 2023. gada 14. marts\n\n"
				"Ahmad Karimi, personas kods 140388-12969";
static const char born_expect[] = "LEMUMS Nr. PMLP-LV-2023-009911\nRiga, 2023. gada 14. marts\n\n"
				  "Ahmad Karimi, personas kods 140388-12969\n";

/* The sample scan made into an image-only PDF page, and its truth. */
#define SCAN_SAMPLE "lv_lemums_karimi.png"
#define MAX_SCAN_CER 0.03

static char store[4096], in[4096];

/* A fresh store and input folder under WORK for this case. */
static void fresh(const char *tag)
{
	e2e_fresh(tag, store, sizeof store, in, sizeof in);
}

static void put(const char *name, const unsigned char *data, size_t len)
{
	char path[8192];

	snprintf(path, sizeof path, "%s/%s", in, name);
	kt_test_write_file(path, data, len);
}

static pdf_fx_page born_page(void)
{
	return (pdf_fx_page){ .width = 595, .height = 842, .text = born_text };
}

/* The sample scan as a page: grey samples (malloc'd) shown at its own dpi. */
static pdf_fx_page scan_page(unsigned char **grey)
{
	char path[4096];
	PIX *pix, *g;
	int w, h, y, dpi;

	snprintf(path, sizeof path, "%s/scans/%s", E2E.samples, SCAN_SAMPLE);
	pix = pixRead(path);
	if (pix == NULL)
		fail_msg("cannot read %s", path);
	g = pixConvertTo8(pix, 0);
	assert_non_null(g);
	w = pixGetWidth(g);
	h = pixGetHeight(g);
	dpi = pixGetXRes(pix) > 0 ? pixGetXRes(pix) : 300;
	*grey = malloc((size_t)w * h);
	assert_non_null(*grey);
	for (y = 0; y < h; y++) {
		l_uint32 *line = pixGetData(g) + (size_t)y * pixGetWpl(g);
		int x;

		for (x = 0; x < w; x++)
			(*grey)[(size_t)y * w + x] = (unsigned char)GET_DATA_BYTE(line, x);
	}
	pixDestroy(&g);
	pixDestroy(&pix);
	return (pdf_fx_page){ .width = w * 72.0 / dpi, .height = h * 72.0 / dpi, .grey = *grey,
			      .img_w = w, .img_h = h, .img_dpi = dpi };
}

static void write_pdf(const char *name, const pdf_fx_page *pages, int n)
{
	size_t len;
	unsigned char *pdf = pdf_fx_make(pages, n, &len);

	put(name, pdf, len);
	free(pdf);
}

/* Ingest the input folder; the exit status must be want. */
static void ingest(int want)
{
	e2e_out o = e2e_run(store, "ingest", "--batch", "pdf", in, NULL);

	fprintf(stderr, "%s%s", o.out, o.err);
	if (o.status != want)
		fail_msg("ingest exit %d, want %d: %s%s", o.status, want, o.out, o.err);
	e2e_out_free(&o);
}

/* The document of file name, done, from `docs --json` (new reference). */
static json_t *done_doc(const char *file)
{
	return e2e_doc_of(store, file, "done");
}

/* The package's document.json of doc (new reference). */
static json_t *package_record(json_t *doc)
{
	return e2e_package_record(store, doc);
}

static const char *page_str(json_t *doc, int i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(doc, "pages"),
								(size_t)i), key));
}

/* The truth's text of the sample scan's page 1 (malloc'd). */
static char *scan_truth(void)
{
	json_t *truths = e2e_truths(), *t, *lines, *l;
	size_t i, k;
	char *s = NULL;

	json_array_foreach(truths, i, t) {
		if (strcmp(json_string_value(json_object_get(t, "file")), SCAN_SAMPLE) != 0)
			continue;
		lines = json_object_get(json_array_get(json_object_get(t, "pages"), 0), "lines");
		s = calloc(1, 65536);
		assert_non_null(s);
		json_array_foreach(lines, k, l) {
			strcat(s, json_string_value(l));
			strcat(s, "\n");
		}
	}
	json_decref(truths);
	if (s == NULL)
		fail_msg("no truth for %s", SCAN_SAMPLE);
	return s;
}

/* ---------------------------------------------------------------- cases */

static void test_born_digital(void **state)
{
	pdf_fx_page p = born_page();
	json_t *doc, *rec;
	e2e_out o;
	char *meta;

	(void)state;
	fresh("born");
	write_pdf("born.pdf", &p, 1);
	ingest(0);
	doc = done_doc("born.pdf");
	assert_string_equal(json_string_value(json_object_get(doc, "format")), "pdf");
	assert_int_equal(json_array_size(json_object_get(doc, "pages")), 1);
	assert_string_equal(page_str(doc, 0, "text"), born_expect);
	assert_true(e2e_cer(born_expect, page_str(doc, 0, "text")) == 0.0);
	/* the same in `show --json` */
	o = e2e_run(store, "show", "--json", "1", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "\"text\":\"LEMUMS Nr. PMLP-LV-2023-009911\\nRiga, 2023. gada 14. marts\\n\\n");
	e2e_out_free(&o);
	/* kept as the PDF's text, not recognised */
	rec = package_record(doc);
	assert_string_equal(page_str(rec, 0, "text_source"), "pdf");
	assert_string_equal(page_str(doc, 0, "text_source"), "pdf");
	assert_string_equal(page_str(rec, 0, "text"), born_expect);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
		json_object_get(rec, "pages"), 0), "confidence")), 100);
	/* its fields were extracted from that text */
	meta = json_dumps(json_object_get(doc, "metadata"), 0);
	kt_expect_in(meta, "140388-12969");
	free(meta);
	json_decref(rec);
	json_decref(doc);
}

static void test_scanned(void **state)
{
	unsigned char *grey = NULL;
	pdf_fx_page p;
	json_t *doc, *rec, *hits;
	e2e_out o;
	char *truth;
	double cer;

	(void)state;
	fresh("scan");
	p = scan_page(&grey);
	write_pdf("scan.pdf", &p, 1);
	free(grey);
	ingest(0);
	doc = done_doc("scan.pdf");
	truth = scan_truth();
	cer = e2e_cer(truth, page_str(doc, 0, "text"));
	printf("CER scan.pdf page 1: %.2f%%\n", cer * 100);
	assert_true(cer <= MAX_SCAN_CER);
	free(truth);
	rec = package_record(doc);
	assert_string_equal(page_str(rec, 0, "text_source"), "ocr");
	json_decref(rec);
	json_decref(doc);
	o = e2e_run(store, "search", "--json", "lēmums Karimi", NULL);
	assert_int_equal(o.status, 0);
	hits = e2e_json_lines(o.out);
	assert_true(json_array_size(hits) >= 1);
	kt_expect_in(o.out, "scan.pdf");
	json_decref(hits);
	e2e_out_free(&o);
}

static void test_mixed(void **state)
{
	unsigned char *grey = NULL;
	pdf_fx_page pages[2];
	json_t *doc, *rec;

	(void)state;
	fresh("mixed");
	pages[0] = born_page();
	pages[1] = scan_page(&grey);
	write_pdf("mixed.pdf", pages, 2);
	free(grey);
	ingest(0);
	doc = done_doc("mixed.pdf");
	rec = package_record(doc);
	assert_int_equal(json_array_size(json_object_get(rec, "pages")), 2);
	assert_string_equal(page_str(rec, 0, "text_source"), "pdf");
	assert_string_equal(page_str(rec, 0, "text"), born_expect);
	assert_string_equal(page_str(rec, 1, "text_source"), "ocr");
	assert_string_equal(page_str(doc, 0, "text_source"), "pdf");
	assert_string_equal(page_str(doc, 1, "text_source"), "ocr");
	kt_expect_in(page_str(rec, 1, "text"), "Karimi");
	json_decref(rec);
	json_decref(doc);
}

static void test_broken(void **state)
{
	pdf_fx_page p = born_page();
	size_t len;
	unsigned char *pdf = pdf_fx_make(&p, 1, &len), *zero;
	char plain[8192], locked[8192];
	json_t *docs, *d;
	e2e_out o;

	(void)state;
	fresh("broken");
	put("a_good.pdf", pdf, len);
	put("b_truncated.pdf", pdf, len / 2);
	zero = pdf_fx_make(NULL, 0, &len);
	put("c_zero.pdf", zero, len);
	snprintf(plain, sizeof plain, "%s/a_good.pdf", in);
	snprintf(locked, sizeof locked, "%s/d_locked.pdf", in);
	if (pdf_fx_encrypt(plain, locked, "user-secret") != 0)
		fail_msg("qpdf --encrypt failed (is qpdf installed? tools/setup.sh deps)");
	o = e2e_run(store, "ingest", "--batch", "pdf", in, NULL);
	fprintf(stderr, "%s%s", o.out, o.err);
	assert_int_equal(o.status, 1); /* some failed, the batch went on */
	kt_expect_in(o.out, "b_truncated.pdf': truncated PDF (no %%EOF at its end)");
	kt_expect_in(o.out, "c_zero.pdf': PDF has no pages");
	kt_expect_in(o.out, "d_locked.pdf': encrypted PDF that needs a password");
	e2e_out_free(&o);
	docs = e2e_docs_json(store);
	d = e2e_find_doc(docs, "a_good.pdf");
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "done");
	d = e2e_find_doc(docs, "b_truncated.pdf");
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "failed");
	kt_expect_in(json_string_value(json_object_get(d, "error")), "b_truncated.pdf': truncated PDF");
	json_decref(docs);
	free(zero);
	free(pdf);
}

/* 2,000 born-digital pages in one PDF: ingested without OCR within an
 * address space of 2 GiB (RLIMIT_AS), every page kept with its own text.
 * Under the sanitizers, which reserve terabytes of address space, there is
 * no limit to test and 300 pages check the same code in a fifth of the time. */
#ifdef KT_UNDER_ASAN
#define MANY_PAGES 300
#else
#define MANY_PAGES 2000
#endif
#define MANY_AS_LIMIT (2ull << 30)

/* kartoteka --store STORE ingest --batch many IN under the address-space
 * limit; its exit status, its output in WORK/many.log. */
static int ingest_limited(void)
{
	char log[4200];
	pid_t pid;
	int st = 0;

	snprintf(log, sizeof log, "%s/many.log", E2E.work);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
#ifndef KT_UNDER_ASAN
		struct rlimit rl = { MANY_AS_LIMIT, MANY_AS_LIMIT };

		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(126);
#endif
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execl(E2E.kartoteka, E2E.kartoteka, "--store", store, "ingest", "--batch", "many", in,
		      (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_many_pages(void **state)
{
	static pdf_fx_page pages[MANY_PAGES];
	static char text[MANY_PAGES][96];
	json_t *doc, *pg;
	int i, rc;
	size_t k;

	(void)state;
	fresh("many");
	for (i = 0; i < MANY_PAGES; i++) {
		snprintf(text[i], sizeof text[i], "LEMUMS Nr. PMLP-LV-2023-%06d\nlapa %d no %d", i + 1, i + 1,
			 MANY_PAGES);
		pages[i] = (pdf_fx_page){ .width = 595, .height = 842, .text = text[i] };
	}
	write_pdf("many.pdf", pages, MANY_PAGES);
	rc = ingest_limited();
	if (rc != 0)
		fail_msg("ingest of %d pages under a %llu MiB address space: exit %d (see %s/many.log)",
			 MANY_PAGES, MANY_AS_LIMIT >> 20, rc, E2E.work);
	doc = done_doc("many.pdf");
	assert_int_equal(json_array_size(json_object_get(doc, "pages")), MANY_PAGES);
	json_array_foreach(json_object_get(doc, "pages"), k, pg) {
		char want[96];

		snprintf(want, sizeof want, "LEMUMS Nr. PMLP-LV-2023-%06zu\nlapa %zu no %d", k + 1, k + 1,
			 MANY_PAGES);
		if (strncmp(json_string_value(json_object_get(pg, "text")), want, strlen(want)) != 0)
			fail_msg("page %zu: '%s'", k + 1, json_string_value(json_object_get(pg, "text")));
		assert_string_equal(json_string_value(json_object_get(pg, "text_source")), "pdf");
	}
	json_decref(doc);
}

static const kt_test_case cases[] = {
	KT_TEST(born_digital),
	KT_TEST(scanned),
	KT_TEST(mixed),
	KT_TEST(broken),
	KT_TEST(many_pages),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_pdf_ingest", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
