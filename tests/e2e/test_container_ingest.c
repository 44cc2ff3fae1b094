/*
 * test_container_ingest.c - e-signed containers end to end (issue 18):
 * containers made here (tests/ocr/asice_fixture.c, PDFs with pdf_fixture.c)
 * go through `kartoteka ingest` into a store of their own in WORK.
 *   signed  a container of a born-digital PDF, a text file and a DOCX: one
 *           document of two pages, format "asice", the signer and the
 *           signing time in `show --json` and in the package's
 *           document.json ("verified": false), the container as the
 *           original, the DOCX named in the warning
 *   broken  a container with only a DOCX, a truncated one and one whose
 *           signature file does not parse, next to a good one: the batch
 *           goes on, the first two fail with their reason, the third is
 *           done with a warning
 *
 * usage: test_container_ingest KARTOTEKA SAMPLES WORK CASE
 */
#include "e2e.h"
#include "asice_fixture.h"
#include "pdf_fixture.h"

#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char pdf_text[] = "LEMUMS Nr. PMLP-LV-2023-009911\nRiga, 2023. gada 14. marts";
static const char pdf_expect[] = "LEMUMS Nr. PMLP-LV-2023-009911\nRiga, 2023. gada 14. marts\n";
static const char txt[] = "Pielikums\nPersonas kods 140388-12969\n";
/* "ANNA BĒRZIŅA" */
static const char signer[] = "ANNA B\xc4\x92RZI\xc5\x85" "A";
#define DOCX_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

static char store[4096], in[4096];

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

static unsigned char *make_pdf(size_t *len)
{
	pdf_fx_page p = { .width = 595, .height = 842, .text = pdf_text };

	return pdf_fx_make(&p, 1, len);
}

static unsigned char *make_docx(size_t *len)
{
	static const char body[] = "<w:document/>";
	asice_fx_file f = { "word/document.xml", body, sizeof body - 1, 0 };

	return asice_fx_zip(&f, 1, len);
}

/* A container of a PDF, a text file and a DOCX, signed by signer; its
 * bytes, length in *len. */
static unsigned char *signed_container(size_t *len)
{
	size_t pdf_len, docx_len;
	unsigned char *pdf = make_pdf(&pdf_len), *docx = make_docx(&docx_len), *c;
	asice_fx_data files[] = {
		{ "lemums.pdf", "application/pdf", pdf, pdf_len },
		{ "pielikums.txt", "text/plain", txt, sizeof txt - 1 },
		{ "piezimes.docx", DOCX_TYPE, docx, docx_len },
	};

	c = asice_fx_container(files, 3, 1, signer, "2023-03-14T16:05:09+02:00", len);
	free(pdf);
	free(docx);
	return c;
}

static e2e_out ingest(int want)
{
	e2e_out o = e2e_run(store, "ingest", "--batch", "edoc", in, NULL);

	fprintf(stderr, "%s%s", o.out, o.err);
	if (o.status != want)
		fail_msg("ingest exit %d, want %d: %s%s", o.status, want, o.out, o.err);
	return o;
}

/* The package's file data/PATH (wildcard) as text (malloc'd). */
static char *package_file(const char *pkg, const char *path, size_t *len)
{
	return e2e_package_file(store, pkg, path, len);
}

/* The one signature of a document object's metadata, checked. */
static void check_signature(json_t *doc, const char *where)
{
	json_t *sigs = json_object_get(json_object_get(doc, "metadata"), "signatures"), *s, *files;

	if (json_array_size(sigs) != 1)
		fail_msg("%s: want one signature in metadata.signatures", where);
	s = json_array_get(sigs, 0);
	assert_string_equal(json_string_value(json_object_get(s, "signer")), signer);
	assert_string_equal(json_string_value(json_object_get(s, "signing_time")),
			    "2023-03-14T14:05:09Z");
	assert_true(json_is_false(json_object_get(s, "verified")));
	assert_string_equal(json_string_value(json_object_get(s, "xml")), "META-INF/signatures0.xml");
	files = json_object_get(s, "files");
	assert_int_equal(json_array_size(files), 3);
	assert_string_equal(json_string_value(json_array_get(files, 0)), "lemums.pdf");
	assert_string_equal(json_string_value(json_array_get(files, 1)), "pielikums.txt");
	assert_string_equal(json_string_value(json_array_get(files, 2)), "piezimes.docx");
}

static const char *page_str(json_t *doc, int i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(doc, "pages"),
								(size_t)i), key));
}

/* ---------------------------------------------------------------- cases */

static void test_signed(void **state)
{
	size_t len, olen;
	unsigned char *c = signed_container(&len);
	json_t *docs, *doc, *shown, *rec;
	json_error_t je;
	e2e_out o;
	char *text, *orig;

	(void)state;
	fresh("signed");
	put("ligums.edoc", c, len);
	o = ingest(0);
	/* the DOCX gives no page, and the batch says so */
	kt_expect_in(o.err, "piezimes.docx");
	e2e_out_free(&o);
	docs = e2e_docs_json(store);
	assert_int_equal(json_array_size(docs), 1);
	doc = json_array_get(docs, 0);
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "done");
	assert_string_equal(json_string_value(json_object_get(doc, "format")), "asice");
	assert_int_equal(json_array_size(json_object_get(doc, "pages")), 2);
	/* the manifest's order: the PDF's page, then the text file */
	assert_string_equal(page_str(doc, 0, "text"), pdf_expect);
	assert_string_equal(page_str(doc, 0, "text_source"), "pdf");
	assert_string_equal(page_str(doc, 1, "text"), txt);
	check_signature(doc, "docs --json");
	/* the fields of every page were extracted */
	text = json_dumps(json_object_get(doc, "metadata"), 0);
	kt_expect_in(text, "140388-12969");
	free(text);

	/* show --json (the catalog) */
	o = e2e_run(store, "show", "--json", "1", NULL);
	assert_int_equal(o.status, 0);
	shown = json_loads(o.out, 0, &je);
	if (shown == NULL)
		fail_msg("show --json: %s", je.text);
	check_signature(shown, "show --json");
	json_decref(shown);
	e2e_out_free(&o);

	/* the package: its record, and the container as the original */
	text = package_file(json_string_value(json_object_get(doc, "package")),
			    "metadata/document.json", &olen);
	rec = json_loads(text, 0, &je);
	if (rec == NULL)
		fail_msg("document.json: %s", je.text);
	assert_string_equal(json_string_value(json_object_get(rec, "format")), "asice");
	check_signature(rec, "document.json");
	json_decref(rec);
	free(text);
	orig = package_file(json_string_value(json_object_get(doc, "package")),
			    "original/original.asice", &olen);
	assert_int_equal(olen, len);
	assert_memory_equal(orig, c, len);
	free(orig);
	json_decref(docs);
	free(c);
}

static void test_broken(void **state)
{
	static const char mime[] = "application/vnd.etsi.asic-e+zip";
	static const char bad_sig[] = "<asic:XAdESSignatures><ds:Signature>";
	size_t len, dlen, plen, blen;
	unsigned char *good = signed_container(&len), *docx = make_docx(&dlen);
	unsigned char *pdf = make_pdf(&plen), *only_docx, *bad;
	asice_fx_data files[] = { { "report.docx", DOCX_TYPE, docx, dlen } };
	asice_fx_file z[] = {
		{ "mimetype", mime, sizeof mime - 1, 1 },
		{ "lemums.pdf", pdf, plen, 0 },
		{ "META-INF/signatures0.xml", bad_sig, sizeof bad_sig - 1, 0 },
	};
	json_t *docs, *d;
	e2e_out o;

	(void)state;
	fresh("broken");
	only_docx = asice_fx_container(files, 1, 0, signer, "2024-01-02T03:04:05Z", &blen);
	put("a_docx.asice", only_docx, blen);
	put("b_truncated.asice", good, len / 2);
	bad = asice_fx_zip(z, 3, &blen);
	put("c_bad_signature.asice", bad, blen);
	put("d_good.edoc", good, len);
	o = ingest(1); /* some failed, the batch went on */
	kt_expect_in(o.err, "signatures0.xml");
	e2e_out_free(&o);
	docs = e2e_docs_json(store);
	d = e2e_find_doc(docs, "a_docx.asice");
	assert_string_equal(json_string_value(json_object_get(d, "status")), "failed");
	kt_expect_in(json_string_value(json_object_get(d, "error")), "'report.docx' (" DOCX_TYPE ")");
	d = e2e_find_doc(docs, "b_truncated.asice");
	assert_string_equal(json_string_value(json_object_get(d, "status")), "failed");
	kt_expect_in(json_string_value(json_object_get(d, "error")), "truncated ZIP");
	d = e2e_find_doc(docs, "c_bad_signature.asice");
	assert_string_equal(json_string_value(json_object_get(d, "status")), "done");
	assert_int_equal(json_array_size(json_object_get(d, "pages")), 1);
	d = json_array_get(json_object_get(json_object_get(d, "metadata"), "signatures"), 0);
	kt_expect_in(json_string_value(json_object_get(d, "error")), "does not parse");
	assert_true(json_is_null(json_object_get(d, "signer")));
	d = e2e_find_doc(docs, "d_good.edoc");
	assert_string_equal(json_string_value(json_object_get(d, "status")), "done");
	json_decref(docs);
	free(good);
	free(docx);
	free(pdf);
	free(only_docx);
	free(bad);
}

/* A container of a born-digital PDF and a scanned PNG: the access copy holds
 * the PDF's page as it is (taken from the data file) and the recognised scan. */
static void test_pdf_and_scan(void **state)
{
	char path[4200], cmd[9000], line[64];
	size_t pdf_len, png_len, len;
	unsigned char *pdf = make_pdf(&pdf_len), *png, *c;
	json_t *doc;
	FILE *p;
	e2e_out o;

	(void)state;
	fresh("pdfscan");
	snprintf(path, sizeof path, "%s/scans/lv_lemums_karimi.png", E2E.samples);
	png = kt_test_read_file(path, &png_len);
	assert_non_null(png);
	{
		asice_fx_data files[] = {
			{ "vestule.pdf", "application/pdf", pdf, pdf_len },
			{ "lemums.png", "image/png", png, png_len },
		};

		c = asice_fx_container(files, 2, 0, signer, "2023-03-14T16:05:09+02:00", &len);
	}
	put("pdf_and_scan.edoc", c, len);
	o = ingest(0);
	e2e_out_free(&o);
	doc = e2e_doc_of(store, "pdf_and_scan.edoc", "done");
	assert_string_equal(page_str(doc, 0, "text_source"), "pdf");
	assert_string_equal(page_str(doc, 1, "text_source"), "ocr");
	/* two pages in the access copy, the first with the PDF's own text */
	snprintf(path, sizeof path, "%s/pdfscan-access.pdf", E2E.work);
	{
		size_t alen;
		char *access = package_file(json_string_value(json_object_get(doc, "package")),
					    "access/document.pdf", &alen);

		assert_true(alen > 1000);
		kt_test_write_file(path, access, alen);
		free(access);
	}
	snprintf(cmd, sizeof cmd, "qpdf --show-npages '%s'", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof line, p));
	pclose(p);
	assert_int_equal(atoi(line), 2);
	snprintf(cmd, sizeof cmd, "pdftotext -f 1 -l 1 '%s' -", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	{
		static char text[65536];
		size_t n = fread(text, 1, sizeof text - 1, p);

		text[n] = '\0';
		kt_expect_in(text, "PMLP");
	}
	pclose(p);
	json_decref(doc);
	free(c);
	free(png);
	free(pdf);
}

static const kt_test_case cases[] = {
	KT_TEST(signed),
	KT_TEST(broken),
	KT_TEST(pdf_and_scan),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_container_ingest", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
