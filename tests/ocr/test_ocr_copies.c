/*
 * test_ocr_copies.c - the master and the access copy of a page (issue 18):
 *   master_lossless     kt_ocr_tiff of a known grey, a known 1 bpp and a
 *                       known RGB image decodes to the same pixels, depth
 *                       and resolution, as Deflate, CCITT G4 and RGB Deflate
 *   copies_bitonal      a bitonal sample (G4 TIFF): its cleaned page stays
 *                       1 bpp; the master is G4 and equal to it; the page PDF
 *                       shows it as CCITT G4
 *   copies_grey         grey samples: master Deflate, equal to the cleaned
 *                       page; the page PDF has one page, JPEG for a noisy
 *                       page (smaller when the page's own file is smaller
 *                       than that JPEG: a lower quality), Flate (smaller
 *                       than its JPEG) for a clean one
 *   pdfa_merge          page PDFs and born-digital pages of a PDF original
 *                       merged in order: qpdf --check passes, the page count,
 *                       the XMP (pdfaid part 2, conformance B), OutputIntent,
 *                       /ID, no encryption, the born page's text by pdftotext
 *   pdfa_no_copy        every page born-digital: no access copy; a page with
 *                       no PDF and an original that is not one: refused
 *   pdfa_title          a hostile title (markup, bad UTF-8) in XMP and Info
 *   pdf_bitonal         a PDF of a bitonal scan (img2pdf of the G4 sample,
 *                       skipped without img2pdf): the page is read 1 bpp, stays
 *                       bitonal, master G4, and the access PDF shows it as
 *                       CCITT G4 (no JPEG)
 *
 * usage: test_ocr_copies SAMPLES CASE
 */
#define _GNU_SOURCE /* memmem */
#include "kt_ocr.h"
#include "pdf_fixture.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *samples;

static kt_ocr *engine(void)
{
	kt_ocr *o = kt_ocr_new();

	assert_non_null(o);
	if (kt_ocr_init(o, NULL) != KT_OK)
		fail_msg("no Tesseract engine: %s", kt_ocr_errmsg(o));
	return o;
}

/* Recognise page 0 of a sample and make its copies, with budget as the
 * page's own bytes (r->source_bytes; 0: unknown); clean to *clean. */
static void copies_budget(kt_ocr *o, const char *name, size_t budget, kt_page_result *r,
			  struct Pix **clean)
{
	char path[4096];
	size_t len;
	unsigned char *buf;
	kt_source *s = NULL;
	kt_error err = { 0 };
	struct Pix *pix = NULL;
	int dpi = 0;

	snprintf(path, sizeof path, "%s/scans/%s", samples, name);
	buf = kt_test_read_file(path, &len);
	if (buf == NULL)
		fail_msg("cannot read %s", path);
	assert_int_equal(kt_source_open(buf, len, name, 0, &s, &err), KT_OK);
	assert_int_equal(kt_source_page(s, 0, &pix, &dpi, &err), KT_OK);
	kt_page_result_init(r);
	if (kt_ocr_page(o, pix, dpi, r, clean) != KT_OK)
		fail_msg("%s: %s", name, kt_ocr_errmsg(o));
	r->source_bytes = budget;
	if (kt_ocr_page_copies(o, *clean, r, NULL) != KT_OK)
		fail_msg("%s copies: %s", name, kt_ocr_errmsg(o));
	pixDestroy(&pix);
	kt_source_free(&s);
	free(buf);
}

static void copies_of(kt_ocr *o, const char *name, kt_page_result *r, struct Pix **clean)
{
	copies_budget(o, name, 0, r, clean);
}

/* The master decoded: the same pixels, depth and resolution as want, and
 * the TIFF compression named by format. */
static void expect_master(const unsigned char *tif, size_t len, PIX *want, int format)
{
	PIX *got;
	l_int32 same = 0, f = 0, w, h, bps, spp, res, cmap;

	assert_non_null(tif);
	assert_int_equal(readHeaderMemTiff(tif, len, 0, &w, &h, &bps, &spp, &res, &cmap, &f), 0);
	assert_int_equal(f, format);
	got = pixReadMemTiff(tif, len, 0);
	assert_non_null(got);
	assert_int_equal(pixGetDepth(got), pixGetDepth(want));
	assert_int_equal(pixGetWidth(got), pixGetWidth(want));
	assert_int_equal(pixGetHeight(got), pixGetHeight(want));
	assert_int_equal(pixGetXRes(got), pixGetXRes(want));
	assert_int_equal(pixGetYRes(got), pixGetYRes(want));
	assert_int_equal(pixEqual(got, want, &same), 0);
	assert_true(same);
	pixDestroy(&got);
}

static void test_master_lossless(void **state)
{
	PIX *grey = pixCreate(301, 207, 8), *bin, *rgb;
	unsigned char *tif = NULL;
	size_t len = 0;
	kt_error err = { 0 };
	int x, y;

	(void)state;
	assert_non_null(grey);
	/* every grey level, and noise no run-length coder could guess */
	for (y = 0; y < 207; y++)
		for (x = 0; x < 301; x++)
			pixSetPixel(grey, x, y, (l_uint32)((x * 7 + y * 13 + (x * y) % 17) & 0xff));
	pixSetResolution(grey, 240, 240);
	assert_int_equal(kt_ocr_tiff(grey, &tif, &len, &err), KT_OK);
	expect_master(tif, len, grey, IFF_TIFF_ZIP);
	free(tif);

	bin = pixConvertTo1(grey, 128);
	assert_non_null(bin);
	pixSetResolution(bin, 300, 300);
	assert_int_equal(kt_ocr_tiff(bin, &tif, &len, &err), KT_OK);
	expect_master(tif, len, bin, IFF_TIFF_G4);
	free(tif);
	pixDestroy(&bin);

	/* a colour page: RGB, Deflate, every channel kept */
	rgb = pixCreate(257, 193, 32);
	assert_non_null(rgb);
	for (y = 0; y < 193; y++)
		for (x = 0; x < 257; x++)
			pixSetPixel(rgb, x, y, (l_uint32)((x * 5 + y) & 0xff) << 24 |
					       (l_uint32)((x * y) & 0xff) << 16 |
					       (l_uint32)((y * 11 + x % 7) & 0xff) << 8);
	pixSetSpp(rgb, 3);
	pixSetResolution(rgb, 200, 200);
	assert_int_equal(kt_ocr_tiff(rgb, &tif, &len, &err), KT_OK);
	expect_master(tif, len, rgb, IFF_TIFF_ZIP);
	{
		l_int32 w, h, bps, spp, res, cmap, f;

		assert_int_equal(readHeaderMemTiff(tif, len, 0, &w, &h, &bps, &spp, &res, &cmap,
						   &f), 0);
		assert_int_equal(spp, 3);
		assert_int_equal(bps, 8);
	}
	free(tif);
	pixDestroy(&rgb);
	pixDestroy(&grey);
}

static void test_copies_bitonal(void **state)
{
	kt_ocr *o = engine();
	kt_page_result r;
	struct Pix *clean = NULL;

	(void)state;
	copies_of(o, "lt_prasymas.tif", &r, &clean);
	assert_int_equal(r.bitonal, 1);
	assert_int_equal(pixGetDepth(clean), 1);
	assert_int_equal(pixGetXRes(clean), 300);
	kt_expect_in(r.text, "Vilnius");
	expect_master(r.master, r.master_len, clean, IFF_TIFF_G4);
	assert_non_null(r.page_pdf);
	assert_memory_equal(r.page_pdf, "%PDF-", 5);
	assert_non_null(memmem(r.page_pdf, r.page_pdf_len, "/Count 1", 8));
	assert_non_null(memmem(r.page_pdf, r.page_pdf_len, "/CCITTFaxDecode", 15));
	printf("bitonal page: master %zu bytes, page PDF %zu bytes\n", r.master_len, r.page_pdf_len);
	pixDestroy(&clean);
	kt_page_result_release(&r);
	assert_null(r.master);
	kt_ocr_free(&o);
}

/* Bytes of pix as the renderer's JPEG (Tesseract's jpg_quality, 85). */
static size_t jpeg_bytes(PIX *pix)
{
	L_COMP_DATA *cid = NULL;
	size_t n;

	assert_int_equal(pixGenerateCIData(pix, L_JPEG_ENCODE, 85, 0, &cid), 0);
	n = cid->nbytescomp;
	l_CIDataDestroy(&cid);
	return n;
}

static void test_copies_grey(void **state)
{
	kt_ocr *o = engine();
	kt_page_result r;
	struct Pix *clean = NULL;
	size_t jpeg;

	(void)state;
	/* a noisy grey page: smaller as JPEG than lossless */
	copies_of(o, "lv_iesniegums_skew.png", &r, &clean);
	assert_int_equal(r.bitonal, 0);
	assert_int_equal(pixGetDepth(clean), 8);
	expect_master(r.master, r.master_len, clean, IFF_TIFF_ZIP);
	assert_non_null(r.page_pdf);
	assert_non_null(memmem(r.page_pdf, r.page_pdf_len, "/Count 1", 8));
	assert_non_null(memmem(r.page_pdf, r.page_pdf_len, "/DCTDecode", 10));
	printf("noisy grey page: master %zu bytes, page PDF %zu bytes (JPEG)\n", r.master_len,
	       r.page_pdf_len);
	pixDestroy(&clean);
	/* the same page whose own file is smaller than its JPEG: a lower quality
	 * (down to 50), still JPEG, the master unchanged */
	{
		size_t full = r.page_pdf_len, master = r.master_len;

		kt_page_result_release(&r);
		copies_budget(o, "lv_iesniegums_skew.png", 100000, &r, &clean);
		assert_non_null(memmem(r.page_pdf, r.page_pdf_len, "/DCTDecode", 10));
		assert_int_equal(r.master_len, master);
		if (r.page_pdf_len * 20 > full * 19) /* at least 5% smaller */
			fail_msg("page PDF %zu bytes with a budget, %zu without", r.page_pdf_len, full);
		printf("noisy grey page, own file 100000 bytes: page PDF %zu bytes\n", r.page_pdf_len);
		pixDestroy(&clean);
		kt_page_result_release(&r);
	}
	/* a clean grey page: shown lossless (Flate), smaller than its JPEG */
	copies_of(o, "lv_lemums_karimi.png", &r, &clean);
	assert_int_equal(pixGetDepth(clean), 8);
	expect_master(r.master, r.master_len, clean, IFF_TIFF_ZIP);
	assert_non_null(r.page_pdf);
	assert_null(memmem(r.page_pdf, r.page_pdf_len, "/DCTDecode", 10));
	assert_null(memmem(r.page_pdf, r.page_pdf_len, "/CCITTFaxDecode", 15));
	assert_true(memmem(r.page_pdf, r.page_pdf_len, "/Subtype /Image", 15) != NULL ||
		    memmem(r.page_pdf, r.page_pdf_len, "/Subtype/Image", 14) != NULL);
	jpeg = jpeg_bytes(clean);
	if (r.page_pdf_len >= jpeg)
		fail_msg("page PDF %zu bytes, its JPEG alone %zu", r.page_pdf_len, jpeg);
	printf("clean grey page: master %zu bytes, page PDF %zu bytes (Flate; JPEG %zu)\n",
	       r.master_len, r.page_pdf_len, jpeg);
	pixDestroy(&clean);
	kt_page_result_release(&r);
	kt_ocr_free(&o);
}

/* ------------------------------------------------------------ access PDF */

static char dir[4096], file[4200];

/* Run a shell command; its standard output (malloc'd) and exit status. */
static char *run(const char *cmd, int *status)
{
	FILE *f = popen(cmd, "r");
	char *out = calloc(1, 1 << 20);
	size_t n;
	int st;

	assert_non_null(f);
	assert_non_null(out);
	n = fread(out, 1, (1 << 20) - 1, f);
	out[n] = '\0';
	st = pclose(f);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}

/* Write the access copy to a file of a fresh folder and check it with qpdf;
 * the whole file uncompressed (qpdf --qdf) is returned, malloc'd. */
static char *checked(const unsigned char *pdf, size_t len, int pages)
{
	char cmd[9000], *out;
	size_t n;
	int st;

	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "test-copies"), 0);
	snprintf(file, sizeof file, "%s/access.pdf", dir);
	kt_test_write_file(file, pdf, len);
	snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", file);
	out = run(cmd, &st);
	if (st != 0)
		fail_msg("qpdf --check: exit %d\n%s", st, out);
	free(out);
	snprintf(cmd, sizeof cmd, "qpdf --show-npages '%s'", file);
	out = run(cmd, &st);
	assert_int_equal(st, 0);
	assert_int_equal(atoi(out), pages);
	free(out);
	/* every stream but the images' uncompressed, NULs made spaces */
	snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' '%s.qdf'", file, file);
	free(run(cmd, &st));
	assert_int_equal(st, 0);
	snprintf(cmd, sizeof cmd, "%s.qdf", file);
	out = (char *)kt_test_read_file(cmd, &n);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		if (out[i] == '\0')
			out[i] = ' ';
	kt_expect_in(out, "<pdfaid:part>2</pdfaid:part>");
	kt_expect_in(out, "<pdfaid:conformance>B</pdfaid:conformance>");
	kt_expect_in(out, "/S /GTS_PDFA1");
	kt_expect_in(out, "/DestOutputProfile");
	kt_expect_in(out, "/OutputIntents");
	kt_expect_in(out, "/Type /Metadata");
	kt_expect_in(out, "/ID [");
	kt_expect_not_in(out, "/Encrypt");
	return out;
}

static void test_pdfa_merge(void **state)
{
	static const char born1[] = "Born digital page one\nwith its own text";
	static const char born3[] = "Page three, also the file's own";
	kt_ocr *o = engine();
	unsigned char *grey = pdf_fx_pattern(200, 300), *orig, *pdf = NULL;
	pdf_fx_page fx[3] = {
		{ .width = 595, .height = 842, .text = born1 },
		{ .width = 200 * 72.0 / 150, .height = 300 * 72.0 / 150, .grey = grey,
		  .img_w = 200, .img_h = 300, .img_dpi = 150 },
		{ .width = 595, .height = 842, .text = born3 },
	};
	kt_page_result r[3];
	struct Pix *clean = NULL;
	kt_pdfa_info info = { .title = "kt 17", .producer = "kartoteka test", .created = 1700000000 };
	size_t olen, len = 0;
	kt_error err = { 0 };
	char *qdf, cmd[9000], *text;
	int st;

	(void)state;
	orig = pdf_fx_make(fx, 3, &olen);
	kt_page_result_init(&r[0]);
	kt_page_result_from_text(&r[0], strdup(born1));
	/* the middle page recognised (a sample stands in for its image) */
	copies_of(o, "lv_lemums_karimi.png", &r[1], &clean);
	kt_page_result_init(&r[2]);
	kt_page_result_from_text(&r[2], strdup(born3));
	assert_int_equal(kt_pdfa_document(r, 3, orig, olen, &info, &pdf, &len, &err), KT_OK);
	assert_non_null(pdf);
	qdf = checked(pdf, len, 3);
	kt_expect_in(qdf, "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>");
	kt_expect_in(qdf, "/CreationDate (D:20231114221320Z)");
	kt_expect_in(qdf, "<pdf:Producer>kartoteka test</pdf:Producer>");
	kt_expect_in(qdf, "/Producer (kartoteka test)");
	kt_expect_in(qdf, "<rdf:li xml:lang=\"x-default\">kt 17</rdf:li>");
	kt_expect_in(qdf, "/Title (kt 17)");
	free(qdf);
	/* each page in its place: the born pages' text, the scan's words */
	snprintf(cmd, sizeof cmd, "pdftotext -raw -f 1 -l 1 '%s' -", file);
	text = run(cmd, &st);
	kt_expect_in(text, "Born digital page one");
	free(text);
	snprintf(cmd, sizeof cmd, "pdftotext -raw -f 2 -l 2 '%s' -", file);
	text = run(cmd, &st);
	kt_expect_in(text, "Karimi");
	free(text);
	snprintf(cmd, sizeof cmd, "pdftotext -raw -f 3 -l 3 '%s' -", file);
	text = run(cmd, &st);
	kt_expect_in(text, "Page three");
	free(text);
	printf("merged 3 pages: %zu bytes (page PDF of the scan %zu)\n", len, r[1].page_pdf_len);
	kt_test_remove_tree(dir);
	free(pdf);
	free(orig);
	free(grey);
	pixDestroy(&clean);
	for (int i = 0; i < 3; i++)
		kt_page_result_release(&r[i]);
	kt_ocr_free(&o);
}

static void test_pdf_bitonal(void **state)
{
	kt_ocr *o;
	kt_page_result r;
	kt_pdfa_info info = { .title = "bitonal", .producer = "kartoteka test",
			      .created = 1700000000 };
	kt_source *s = NULL;
	kt_error err = { 0 };
	struct Pix *pix = NULL, *clean = NULL;
	unsigned char *orig, *pdf = NULL;
	size_t olen, len = 0;
	char cmd[9000], *out;
	int st, dpi = 0;

	(void)state;
	free(run("command -v img2pdf", &st));
	if (st != 0) {
		fprintf(stderr, "skipped: img2pdf is not installed\n");
		skip();
	}
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "test-copies"), 0);
	snprintf(file, sizeof file, "%s/g4.pdf", dir);
	/* the G4 TIFF wrapped as it is: one CCITT image, 1 bit, 300 dpi */
	snprintf(cmd, sizeof cmd, "img2pdf '%s/scans/lt_prasymas.tif' -o '%s' 2>&1", samples, file);
	out = run(cmd, &st);
	if (st != 0)
		fail_msg("img2pdf: exit %d\n%s", st, out);
	free(out);
	orig = kt_test_read_file(file, &olen);
	assert_non_null(orig);
	assert_non_null(memmem(orig, olen, "/CCITTFaxDecode", 15));
	assert_int_equal(kt_source_open(orig, olen, "g4.pdf", 0, &s, &err), KT_OK);
	assert_int_equal(kt_source_page(s, 0, &pix, &dpi, &err), KT_OK);
	assert_int_equal(pixGetDepth(pix), 1);
	assert_int_equal(dpi, 300);
	o = engine();
	kt_page_result_init(&r);
	if (kt_ocr_page(o, pix, dpi, &r, &clean) != KT_OK)
		fail_msg("g4.pdf: %s", kt_ocr_errmsg(o));
	assert_int_equal(r.bitonal, 1);
	assert_int_equal(pixGetDepth(clean), 1);
	kt_expect_in(r.text, "Vilnius");
	if (kt_ocr_page_copies(o, clean, &r, NULL) != KT_OK)
		fail_msg("g4.pdf copies: %s", kt_ocr_errmsg(o));
	expect_master(r.master, r.master_len, clean, IFF_TIFF_G4);
	snprintf(r.text_source, sizeof r.text_source, "ocr");
	assert_int_equal(kt_pdfa_document(&r, 1, orig, olen, &info, &pdf, &len, &err), KT_OK);
	assert_non_null(pdf);
	assert_non_null(memmem(pdf, len, "/CCITTFaxDecode", 15));
	assert_null(memmem(pdf, len, "/DCTDecode", 10));
	printf("bitonal PDF page: original %zu bytes, access %zu bytes, master %zu bytes\n",
	       olen, len, r.master_len);
	kt_test_remove_tree(dir);
	free(pdf);
	free(orig);
	pixDestroy(&pix);
	pixDestroy(&clean);
	kt_page_result_release(&r);
	kt_source_free(&s);
	kt_ocr_free(&o);
}

static void test_pdfa_no_copy(void **state)
{
	static const char born[] = "Only text";
	pdf_fx_page fx = { .width = 595, .height = 842, .text = born };
	kt_page_result r;
	unsigned char *orig, *pdf = (unsigned char *)1;
	size_t olen, len = 1;
	kt_error err = { 0 };
	PIX *pix = pixCreate(40, 40, 8);

	(void)state;
	orig = pdf_fx_make(&fx, 1, &olen);
	kt_page_result_init(&r);
	kt_page_result_from_text(&r, strdup(born));
	/* every page the original's own: the original is the access copy */
	assert_int_equal(kt_pdfa_document(&r, 1, orig, olen, NULL, &pdf, &len, &err), KT_OK);
	assert_null(pdf);
	assert_int_equal(len, 0);
	kt_page_result_release(&r);
	/* a page with a PDF beside one without, and an original that is not a PDF */
	{
		kt_page_result two[2];
		l_uint8 *png = NULL;
		size_t plen = 0;

		kt_page_result_init(&two[0]);
		kt_page_result_init(&two[1]);
		two[0].page_pdf = malloc(olen);
		memcpy(two[0].page_pdf, orig, olen);
		two[0].page_pdf_len = olen;
		assert_int_equal(pixWriteMem(&png, &plen, pix, IFF_PNG), 0);
		assert_int_equal(kt_pdfa_document(two, 2, png, plen, NULL, &pdf, &len, &err), KT_FAILED);
		assert_null(pdf);
		kt_expect_in(err.msg, "page 2 has no PDF of its own");
		/* a page PDF that is no PDF: named */
		memset(two[0].page_pdf, 'x', olen);
		kt_page_result_from_text(&two[1], strdup(born));
		assert_int_equal(kt_pdfa_document(two, 2, orig, olen, NULL, &pdf, &len, &err), KT_FAILED);
		kt_expect_in(err.msg, "cannot take page 1");
		lept_free(png);
		kt_page_result_release(&two[0]);
		kt_page_result_release(&two[1]);
	}
	pixDestroy(&pix);
	free(orig);
}

static void test_pdfa_title(void **state)
{
	kt_ocr *o = engine();
	kt_page_result r;
	struct Pix *clean = NULL;
	kt_pdfa_info info = { .title = "<a&b> \"Lēmums\" \xff\xfe\x01 end" };
	unsigned char *pdf = NULL;
	size_t len = 0;
	kt_error err = { 0 };
	char *qdf;

	(void)state;
	copies_of(o, "blank_dust.png", &r, &clean);
	assert_true(r.blank);
	assert_non_null(r.page_pdf);
	assert_int_equal(kt_pdfa_document(&r, 1, NULL, 0, &info, &pdf, &len, &err), KT_OK);
	qdf = checked(pdf, len, 1);
	kt_expect_in(qdf, "&lt;a&amp;b&gt; \"L\xc4\x93mums\" ??? end</rdf:li>");
	kt_expect_in(qdf, "<pdf:Producer>kartoteka</pdf:Producer>");
	free(qdf);
	kt_test_remove_tree(dir);
	free(pdf);
	pixDestroy(&clean);
	kt_page_result_release(&r);
	kt_ocr_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST(master_lossless),
	KT_TEST(copies_bitonal),
	KT_TEST(copies_grey),
	KT_TEST(pdfa_merge),
	KT_TEST(pdfa_no_copy),
	KT_TEST(pdfa_title),
	KT_TEST(pdf_bitonal),
};

static void init(char **args)
{
	samples = args[0];
	setMsgSeverity(L_SEVERITY_NONE);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_ocr_copies", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "SAMPLES", .n_args = 1, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
