/*
 * test_container.c - e-signed containers (ASiC-E: .edoc, .asice) as a
 * kt_source (ocr/source_asice.c): pages of the data files in the manifest's
 * order, the text of a PDF page and of a text/plain file, the signer and the
 * signing time read from the XAdES file (not verified), refusals (only a
 * DOCX, not a ZIP, a ZIP that is no container, truncated, a ZIP bomb) and a
 * broken signature file as a warning. Every container is made here
 * (asice_fixture.c, the PDFs with pdf_fixture.c).
 */
#include "kt_ocr.h"
#include "asice_fixture.h"
#include "pdf_fixture.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char pdf_text[] = "Lemums Nr. 12/345\nRiga, 2021. gada 3. marts";
static const char pdf_expect[] = "Lemums Nr. 12/345\nRiga, 2021. gada 3. marts\n";
/* Latvian letters in the signer's name and in the text file */
static const char signer[] = "ANNA B\xc4\x92RZI\xc5\x85" "A";
static const char txt[] = "Iesniegums\nL\xc5\xab" "dzu pie\xc5\xa1\xc4\xb7irt atva\xc4\xbcin\xc4\x81jumu.\n";

#define DOCX_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* A one-page born-digital PDF (malloc'd). */
static unsigned char *make_pdf(size_t *len)
{
	pdf_fx_page p = { .width = 595, .height = 842, .text = pdf_text };

	return pdf_fx_make(&p, 1, len);
}

/* A w x h grey PNG (malloc'd). */
static unsigned char *make_png(int w, int h, size_t *len)
{
	PIX *pix = pixCreate(w, h, 8);
	l_uint8 *data = NULL;
	size_t n = 0;

	assert_non_null(pix);
	pixSetAll(pix);
	pixSetResolution(pix, 300, 300);
	assert_int_equal(pixWriteMem(&data, &n, pix, IFF_PNG), 0);
	pixDestroy(&pix);
	*len = n;
	return data;
}

/* Some bytes of a DOCX: a ZIP that is no image, PDF or text. */
static unsigned char *make_docx(size_t *len)
{
	static const char body[] = "<w:document/>";
	asice_fx_file f = { "word/document.xml", body, sizeof body - 1, 0 };

	return asice_fx_zip(&f, 1, len);
}

static kt_source *open_ok(const unsigned char *d, size_t len, const char *name)
{
	kt_source *s = NULL;
	kt_error err = { 0 };

	if (kt_source_open(d, len, name, 0, &s, &err) != KT_OK)
		fail_msg("%s: %s", name, err.msg);
	return s;
}

static void expect_fails(const unsigned char *d, size_t len, const char *name, const char *why)
{
	kt_source *s = (kt_source *)1;
	kt_error err = { 0 };

	assert_int_equal(kt_source_open(d, len, name, 0, &s, &err), KT_FAILED);
	assert_null(s);
	printf("%s: %s\n", name, err.msg);
	kt_expect_in(err.msg, name);
	kt_expect_in(err.msg, why);
	assert_null(strchr(err.msg, '\n'));
}

/* The container of the first cases: a PDF and a PNG, listed PNG first in
 * the manifest and written PDF first in the ZIP. */
static unsigned char *pdf_png(size_t *len, unsigned char **pdf, size_t *pdf_len)
{
	size_t png_len;
	unsigned char *png = make_png(320, 200, &png_len), *c;
	asice_fx_data files[2];

	*pdf = make_pdf(pdf_len);
	files[0] = (asice_fx_data){ "scan.png", "image/png", png, png_len };
	files[1] = (asice_fx_data){ "lemums.pdf", "application/pdf", *pdf, *pdf_len };
	c = asice_fx_container(files, 2, 1, signer, "2024-03-05T12:11:12+02:00", len);
	free(png);
	return c;
}

/* ---------------------------------------------------------------- cases */

static void test_pages_in_manifest_order(void **state)
{
	size_t len, pdf_len, plen;
	unsigned char *pdf, *c = pdf_png(&len, &pdf, &pdf_len);
	kt_source *s;
	kt_error err = { 0 };
	struct Pix *pix = NULL;
	char *text = (char *)1;
	const void *p;
	int dpi, page;

	(void)state;
	/* by content: the name says nothing */
	s = open_ok(c, len, "signed.bin");
	assert_string_equal(kt_source_format(s), "asice");
	assert_int_equal(kt_source_pages(s), 2);
	assert_null(kt_source_warning(s));
	/* page 1: the PNG, first in the manifest (last in the ZIP) */
	assert_int_equal(kt_source_page_text(s, 0, &text, &err), KT_OK);
	assert_null(text);
	assert_null(kt_source_text_source(s, 0));
	assert_int_equal(kt_source_page(s, 0, &pix, &dpi, &err), KT_OK);
	assert_int_equal(pixGetWidth(pix), 320);
	assert_int_equal(pixGetHeight(pix), 200);
	assert_int_equal(dpi, 300);
	pixDestroy(&pix);
	assert_int_equal(kt_source_page_pdf(s, 0, &p, &plen, &page), 0);
	/* page 2: the PDF's page, with its own text */
	assert_int_equal(kt_source_page_text(s, 1, &text, &err), KT_OK);
	assert_non_null(text);
	assert_string_equal(text, pdf_expect);
	free(text);
	assert_string_equal(kt_source_text_source(s, 1), "pdf");
	assert_int_equal(kt_source_page(s, 1, &pix, &dpi, &err), KT_OK);
	assert_int_equal(dpi, 300);
	pixDestroy(&pix);
	/* the access copy can take it from the data file */
	assert_int_equal(kt_source_page_pdf(s, 1, &p, &plen, &page), 1);
	assert_int_equal(plen, pdf_len);
	assert_memory_equal(p, pdf, pdf_len);
	assert_int_equal(page, 0);
	/* no page 3 */
	assert_int_equal(kt_source_page(s, 2, &pix, &dpi, &err), KT_FAILED);
	kt_source_free(&s);
	kt_source_free(&s);
	free(pdf);
	free(c);
}

static void test_signature_read(void **state)
{
	size_t len, pdf_len, n;
	unsigned char *pdf, *c = pdf_png(&len, &pdf, &pdf_len);
	const kt_source_signature *sig;
	kt_source *s;

	(void)state;
	s = open_ok(c, len, "signed.edoc");
	n = kt_source_signatures(s, &sig);
	assert_int_equal(n, 1);
	assert_string_equal(sig[0].xml, "META-INF/signatures0.xml");
	assert_string_equal(sig[0].signer, signer);
	/* +02:00 normalised to UTC */
	assert_string_equal(sig[0].signing_time, "2024-03-05T10:11:12Z");
	assert_int_equal(sig[0].files.n, 2);
	assert_string_equal(sig[0].files.v[0], "scan.png");
	assert_string_equal(sig[0].files.v[1], "lemums.pdf");
	assert_null(sig[0].error);
	kt_source_free(&s);
	free(pdf);
	free(c);
}

/* No manifest order and no mimetype: a ZIP with the manifest and two
 * signature files, one signer named by givenName and surname only, a URI
 * percent-encoded, a time in another zone across midnight. */
static void test_signature_names_and_times(void **state)
{
	static const char *const uris[] = { "scan%201.png" };
	static const char *const types[] = { "image/png" };
	static const char *const paths[] = { "scan 1.png" };
	size_t png_len, len, n;
	unsigned char *png = make_png(100, 80, &png_len), *c;
	char *cert1 = asice_fx_cert(NULL, "J\xc4\x81nis", "Ozols");
	char *cert2 = asice_fx_cert("MARI MAASIKAS", NULL, NULL);
	char *sig1 = asice_fx_signature(cert1, "2023-12-31T23:30:00.125-01:00", uris, 1);
	char *sig2 = asice_fx_signature(cert2, "not a time", uris, 1);
	char *man = asice_fx_manifest(paths, types, 1);
	asice_fx_file z[] = {
		{ "META-INF/manifest.xml", man, strlen(man), 0 },
		{ "scan 1.png", png, png_len, 0 },
		{ "META-INF/signatures0.xml", sig1, strlen(sig1), 0 },
		{ "META-INF/signatures1.xml", sig2, strlen(sig2), 0 },
	};
	const kt_source_signature *sig;
	kt_source *s;

	(void)state;
	c = asice_fx_zip(z, 4, &len);
	s = open_ok(c, len, "x.asice");
	assert_string_equal(kt_source_format(s), "asice");
	assert_int_equal(kt_source_pages(s), 1);
	n = kt_source_signatures(s, &sig);
	assert_int_equal(n, 2);
	assert_string_equal(sig[0].signer, "J\xc4\x81nis Ozols");
	assert_string_equal(sig[0].signing_time, "2024-01-01T00:30:00Z");
	assert_int_equal(sig[0].files.n, 1);
	assert_string_equal(sig[0].files.v[0], "scan 1.png");
	assert_string_equal(sig[1].xml, "META-INF/signatures1.xml");
	assert_string_equal(sig[1].signer, "MARI MAASIKAS");
	assert_null(sig[1].signing_time);
	kt_source_free(&s);
	free(c);
	free(png);
	free(cert1);
	free(cert2);
	free(sig1);
	free(sig2);
	free(man);
}

static void test_text_file(void **state)
{
	size_t len, pdf_len;
	unsigned char *pdf = make_pdf(&pdf_len), *c;
	asice_fx_data files[] = {
		{ "iesniegums.txt", "text/plain", txt, sizeof txt - 1 },
		{ "lemums.pdf", "application/pdf", pdf, pdf_len },
	};
	kt_source *s;
	kt_error err = { 0 };
	struct Pix *pix = NULL;
	char *text = NULL;
	int dpi;

	(void)state;
	c = asice_fx_container(files, 2, 0, signer, "2024-03-05T10:11:12Z", &len);
	s = open_ok(c, len, "text.asice");
	assert_int_equal(kt_source_pages(s), 2);
	assert_int_equal(kt_source_page_text(s, 0, &text, &err), KT_OK);
	assert_non_null(text);
	assert_string_equal(text, txt);
	free(text);
	assert_string_equal(kt_source_text_source(s, 0), "text");
	/* a text page has no image */
	assert_int_equal(kt_source_page(s, 0, &pix, &dpi, &err), KT_FAILED);
	kt_expect_in(err.msg, "iesniegums.txt");
	assert_int_equal(kt_source_page_text(s, 1, &text, &err), KT_OK);
	assert_string_equal(text, pdf_expect);
	free(text);
	kt_source_free(&s);
	free(pdf);
	free(c);
}

static void test_docx_only(void **state)
{
	size_t len, dlen;
	unsigned char *docx = make_docx(&dlen), *c;
	asice_fx_data files[] = { { "report.docx", DOCX_TYPE, docx, dlen } };

	(void)state;
	c = asice_fx_container(files, 1, 0, signer, "2024-03-05T10:11:12Z", &len);
	expect_fails(c, len, "docx.edoc", "no data file of the e-signed container gives a page");
	expect_fails(c, len, "docx.edoc", "'report.docx' (" DOCX_TYPE ")");
	free(c);
	free(docx);
}

/* A DOCX next to a PDF: the PDF's page counts, the DOCX is named. */
static void test_docx_beside_pdf(void **state)
{
	size_t len, dlen, pdf_len;
	unsigned char *docx = make_docx(&dlen), *pdf = make_pdf(&pdf_len), *c;
	asice_fx_data files[] = {
		{ "report.docx", DOCX_TYPE, docx, dlen },
		{ "lemums.pdf", "application/pdf", pdf, pdf_len },
	};
	kt_source *s;

	(void)state;
	c = asice_fx_container(files, 2, 0, signer, "2024-03-05T10:11:12Z", &len);
	s = open_ok(c, len, "mixed.edoc");
	assert_int_equal(kt_source_pages(s), 1);
	assert_non_null(kt_source_warning(s));
	kt_expect_in(kt_source_warning(s), "'report.docx' (" DOCX_TYPE ")");
	kt_source_free(&s);
	free(c);
	free(pdf);
	free(docx);
}

static void test_not_a_zip(void **state)
{
	static const unsigned char junk[] = "PK\003\004 this is not a ZIP at all, only its first bytes";
	static const unsigned char text[] = "plain text, named .asice";
	static const char body[] = "hello";
	asice_fx_file f = { "hello.txt", body, sizeof body - 1, 0 };
	size_t len;
	unsigned char *zip = asice_fx_zip(&f, 1, &len);

	(void)state;
	expect_fails(text, sizeof text - 1, "text.asice", "nor an e-signed container");
	expect_fails(junk, sizeof junk - 1, "junk.asice", "truncated ZIP");
	/* a ZIP, but no container */
	expect_fails(zip, len, "plain.zip", "a ZIP that is not an e-signed container");
	free(zip);
}

static void test_truncated(void **state)
{
	size_t len, pdf_len;
	unsigned char *pdf, *c = pdf_png(&len, &pdf, &pdf_len);

	(void)state;
	expect_fails(c, len / 2, "cut.asice", "truncated ZIP");
	expect_fails(c, len - 10, "cut.asice", "truncated ZIP");
	free(pdf);
	free(c);
}

/* 40 MiB of zeros deflate to some 40 KiB: far past the ratio cap. */
static void test_zip_bomb(void **state)
{
	size_t big = (size_t)40 << 20, len;
	unsigned char *zeros = calloc(1, big), *c;
	asice_fx_data files[] = { { "bomb.txt", "text/plain", zeros, big } };

	(void)state;
	assert_non_null(zeros);
	c = asice_fx_container(files, 1, 0, signer, "2024-03-05T10:11:12Z", &len);
	assert_true(len < big / 100);
	expect_fails(c, len, "bomb.asice", "a ZIP bomb?");
	free(c);
	free(zeros);
}

/* A signature file that does not parse, and one with a DTD: warnings, the
 * pages still count. */
static void test_broken_signature(void **state)
{
	static const char mime[] = "application/vnd.etsi.asic-e+zip";
	static const char broken[] = "<asic:XAdESSignatures xmlns:asic=\"x\"><ds:Signature>";
	static const char dtd[] = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>";
	size_t len, pdf_len, n;
	unsigned char *pdf = make_pdf(&pdf_len), *c;
	asice_fx_file z[] = {
		{ "mimetype", mime, sizeof mime - 1, 1 },
		{ "lemums.pdf", pdf, pdf_len, 0 },
		{ "META-INF/signatures0.xml", broken, sizeof broken - 1, 0 },
		{ "META-INF/signatures1.xml", dtd, sizeof dtd - 1, 0 },
	};
	const kt_source_signature *sig;
	kt_error err = { 0 };
	kt_source *s;
	char *text = NULL;

	(void)state;
	c = asice_fx_zip(z, 4, &len);
	s = open_ok(c, len, "broken-sig.asice");
	assert_int_equal(kt_source_pages(s), 1);
	assert_int_equal(kt_source_page_text(s, 0, &text, &err), KT_OK);
	assert_string_equal(text, pdf_expect);
	free(text);
	assert_non_null(kt_source_warning(s));
	printf("warning: %s\n", kt_source_warning(s));
	kt_expect_in(kt_source_warning(s), "broken-sig.asice");
	kt_expect_in(kt_source_warning(s), "'META-INF/signatures0.xml': it does not parse");
	kt_expect_in(kt_source_warning(s), "'META-INF/signatures1.xml': it has a DTD");
	assert_null(strchr(kt_source_warning(s), '\n'));
	n = kt_source_signatures(s, &sig);
	assert_int_equal(n, 2);
	assert_null(sig[0].signer);
	assert_null(sig[0].signing_time);
	kt_expect_in(sig[0].error, "does not parse");
	kt_source_free(&s);
	free(c);
	free(pdf);
}

static const kt_test_case cases[] = {
	KT_TEST(pages_in_manifest_order),
	KT_TEST(signature_read),
	KT_TEST(signature_names_and_times),
	KT_TEST(text_file),
	KT_TEST(docx_only),
	KT_TEST(docx_beside_pdf),
	KT_TEST(not_a_zip),
	KT_TEST(truncated),
	KT_TEST(zip_bomb),
	KT_TEST(broken_signature),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_container", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
