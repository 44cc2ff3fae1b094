/*
 * test_access_copy.c - the master and the access copy in every package
 * (issue 18), end to end: files go through `kartoteka ingest` into a store of
 * their own in WORK, and the packages are taken apart with tar.
 *   scans  a bitonal G4 TIFF, a two-page grey TIFF, a JPEG and a blank page:
 *          master/page-NNNN.tif per page, lossless TIFF (G4 for the bitonal
 *          page, Deflate for grey) of the page's size (its ALTO's) and
 *          resolution; access/document.pdf passes `qpdf --check`, every font
 *          embedded (`pdffonts`), each page's `pdftotext` against the page's
 *          text by CER, the PDF/A-2b markers (XMP pdfaid part 2 and
 *          conformance B, OutputIntent, /ID, no encryption); `export` gives
 *          it as <stem>.pdf. Bytes per page of each access copy are printed
 *          (for bench/pdf).
 *   pdf    a born-digital PDF: no access copy and no master (the original is
 *          the access copy), export still works; a mixed PDF (born page and
 *          image page): a two-page access copy whose first page is the
 *          original's own, the second the scan's, and one master.
 *
 * usage: test_access_copy KARTOTEKA SAMPLES WORK CASE
 */
#include "e2e.h"
#include "pdf_fixture.h"

#include "kt_buf.h"
#include "kt_status.h"
#include "kt_test.h"

#include <ctype.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Access-copy text against the page text (both ours): as the OCR tests. */
#define MAX_CER 0.03

static char store[4096], in[4096], out[4096];

static void fresh(const char *tag)
{
	snprintf(store, sizeof store, "%s/%s-store", E2E.work, tag);
	snprintf(in, sizeof in, "%s/%s-in", E2E.work, tag);
	snprintf(out, sizeof out, "%s/%s-out", E2E.work, tag);
	kt_test_remove_tree(store);
	kt_test_remove_tree(in);
	kt_test_remove_tree(out);
	if (mkdir(in, 0755) != 0 || mkdir(out, 0755) != 0)
		fail_msg("cannot make %s or %s", in, out);
}

static void ingest(void)
{
	e2e_out o = e2e_run(store, "ingest", "--batch", "access", in, NULL);

	if (o.status != 0)
		fail_msg("ingest exit %d: %s%s", o.status, o.out, o.err);
	e2e_out_free(&o);
}

/* A shell command's standard output (malloc'd) and exit status. */
static char *run(const char *cmd, int *status)
{
	FILE *f = popen(cmd, "r");
	kt_buf b = KT_BUF_INIT;
	char chunk[65536];
	size_t k;
	int st;

	assert_non_null(f);
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		assert_int_equal(kt_buf_add(&b, chunk, k), KT_OK);
	assert_int_equal(kt_buf_puts(&b, ""), KT_OK);
	st = pclose(f);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return kt_buf_detach(&b, NULL);
}

/* The done document of file name (new reference). */
static json_t *done_doc(const char *file)
{
	return e2e_doc_of(store, file, "done");
}

/* The package of doc extracted under out/<id>; its data folder into data. */
static void extract(json_t *doc, char *data, size_t size)
{
	char cmd[16384], dir[4400];
	const char *pkg = json_string_value(json_object_get(doc, "package"));
	const char *name;
	int st;

	assert_non_null(pkg);
	snprintf(dir, sizeof dir, "%.4096s/%lld", out, (long long)json_integer_value(json_object_get(doc, "id")));
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' && tar -xf '%s/archive/%s' -C '%s'", dir, store, pkg, dir);
	free(run(cmd, &st));
	assert_int_equal(st, 0);
	name = strrchr(pkg, '/');
	snprintf(data, size, "%s/%.*s/data", dir, (int)(strlen(name + 1) - 4), name + 1);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* An attribute's number in the first element <tag ...> of an XML file. */
static int xml_attr(const char *path, const char *tag, const char *attr)
{
	char *x = (char *)kt_test_read_file(path, NULL), key[64], *p;
	int v;

	assert_non_null(x);
	p = strstr(x, tag);
	assert_non_null(p);
	snprintf(key, sizeof key, " %s=\"", attr);
	p = strstr(p, key);
	assert_non_null(p);
	v = atoi(p + strlen(key));
	free(x);
	return v;
}

/* Page n's master: lossless TIFF of the given compression and samples per
 * pixel (1 grey or bitonal, 3 RGB), the size of the page's ALTO (when
 * alto_size) and its resolution; the decoded master to *got (when not NULL,
 * caller frees). */
static void check_master_pix(const char *data, int n, int format, int spp_want, int dpi,
			     int alto_size, PIX **got)
{
	char tif[4800], alto[4800];
	l_int32 w, h, bps, spp, res, cmap, f;
	PIX *pix;

	snprintf(tif, sizeof tif, "%s/master/page-%04d.tif", data, n);
	snprintf(alto, sizeof alto, "%s/alto/page-%04d.xml", data, n);
	if (!exists(tif))
		fail_msg("no %s", tif);
	assert_int_equal(readHeaderTiff(tif, 0, &w, &h, &bps, &spp, &res, &cmap, &f), 0);
	assert_int_equal(f, format);
	assert_int_equal(bps, format == IFF_TIFF_G4 ? 1 : 8);
	assert_int_equal(spp, spp_want);
	pix = pixRead(tif);
	assert_non_null(pix);
	if (alto_size) {
		assert_int_equal(pixGetWidth(pix), xml_attr(alto, "<Page ", "WIDTH"));
		assert_int_equal(pixGetHeight(pix), xml_attr(alto, "<Page ", "HEIGHT"));
	}
	assert_int_equal(pixGetXRes(pix), dpi);
	assert_int_equal(pixGetYRes(pix), dpi);
	if (got != NULL)
		*got = pix;
	else
		pixDestroy(&pix);
}

static void check_master(const char *data, int n, int format, int dpi)
{
	check_master_pix(data, n, format, 1, dpi, 1, NULL);
}

/* Every font pdffonts lists is embedded (column "emb" says yes). */
static void check_fonts(const char *pdf)
{
	char cmd[9000], *o, *line, *emb;
	int st, rows = 0;
	size_t col;

	snprintf(cmd, sizeof cmd, "pdffonts '%s'", pdf);
	o = run(cmd, &st);
	assert_int_equal(st, 0);
	emb = strstr(o, " emb ");
	assert_non_null(emb);
	col = (size_t)(emb + 1 - o);
	line = strchr(o, '\n');                 /* the dashes */
	line = line ? strchr(line + 1, '\n') : NULL;
	while (line != NULL && line[1] != '\0') {
		line++;
		if (strlen(line) > col && strncmp(line + col, "yes", 3) != 0)
			fail_msg("a font is not embedded in %s:\n%s", pdf, o);
		rows++;
		line = strchr(line, '\n');
	}
	assert_true(rows >= 1);
	free(o);
}

/* The PDF/A-2b markers, read from qpdf's uncompressed form of the file. */
static void check_markers(const char *pdf)
{
	char cmd[9800], qdf[4900], *s;
	size_t n, i;
	int st;

	snprintf(qdf, sizeof qdf, "%s.qdf", pdf);
	snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' '%s'", pdf, qdf);
	free(run(cmd, &st));
	assert_int_equal(st, 0);
	s = (char *)kt_test_read_file(qdf, &n);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	kt_expect_in(s, "<pdfaid:part>2</pdfaid:part>");
	kt_expect_in(s, "<pdfaid:conformance>B</pdfaid:conformance>");
	kt_expect_in(s, "/OutputIntents");
	kt_expect_in(s, "/S /GTS_PDFA1");
	kt_expect_in(s, "/DestOutputProfile");
	kt_expect_in(s, "/ID [");
	kt_expect_not_in(s, "/Encrypt");
	free(s);
	remove(qdf);
}

static int pdf_pages(const char *pdf)
{
	char cmd[9000], *o;
	int st, n;

	snprintf(cmd, sizeof cmd, "qpdf --show-npages '%s'", pdf);
	o = run(cmd, &st);
	assert_int_equal(st, 0);
	n = atoi(o);
	free(o);
	return n;
}

static char *page_text(const char *pdf, int n)
{
	char cmd[9000];
	int st;
	char *o;

	snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 -f %d -l %d '%s' -", n, n, pdf);
	o = run(cmd, &st);
	assert_int_equal(st, 0);
	return o;
}

/* The access copy of a scanned document: real tools' checks, text by CER. */
static void check_access(const char *data, json_t *rec, const char *label)
{
	char pdf[4800], cmd[9000], *o;
	json_t *pages = json_object_get(rec, "pages");
	int n = (int)json_array_size(pages), i, st;
	size_t len = 0;

	snprintf(pdf, sizeof pdf, "%s/access/document.pdf", data);
	free(kt_test_read_file(pdf, &len));
	if (len == 0)
		fail_msg("no access copy %s", pdf);
	snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", pdf);
	o = run(cmd, &st);
	if (st != 0)
		fail_msg("qpdf --check %s: exit %d\n%s", pdf, st, o);
	free(o);
	assert_int_equal(pdf_pages(pdf), n);
	check_fonts(pdf);
	check_markers(pdf);
	for (i = 0; i < n; i++) {
		const char *want = json_string_value(json_object_get(json_array_get(pages, (size_t)i), "text"));
		char *got = page_text(pdf, i + 1);

		if (want[0] == '\0') {
			for (char *c = got; *c; c++)
				if (isalnum((unsigned char)*c))
					fail_msg("%s page %d: blank, but the PDF says '%s'", label, i + 1, got);
		} else {
			double cer = e2e_cer(want, got);

			printf("%s page %d: access-copy text CER %.2f%%\n", label, i + 1, 100 * cer);
			if (cer > MAX_CER)
				fail_msg("%s page %d: CER %.4f\nwant: %s\ngot: %s", label, i + 1, cer, want, got);
		}
		free(got);
	}
	printf("access copy %s: %zu bytes, %d pages, %zu bytes per page\n", label, len, n,
	       len / (size_t)n);
}

static json_t *record_of(const char *data)
{
	char path[4800];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof path, "%s/metadata/document.json", data);
	j = json_load_file(path, 0, &je);
	if (j == NULL)
		fail_msg("%s: %s", path, je.text);
	return j;
}

/* ---------------------------------------------------------------- cases */

static void test_scans(void **state)
{
	static const struct { const char *file; int pages, format; } docs[] = {
		{ "lt_prasymas.tif", 1, IFF_TIFF_G4 },
		{ "lv_intervija_2p.tif", 3, IFF_TIFF_ZIP },  /* page 3 blank */
		{ "ru_sobesedovanie.jpg", 1, IFF_TIFF_ZIP },
		{ "blank_dust.png", 1, IFF_TIFF_ZIP },
	};
	char data[4608];
	size_t i;
	int p;

	(void)state;
	fresh("scans");
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		char rel[300];

		snprintf(rel, sizeof rel, "scans/%s", docs[i].file);
		e2e_copy_sample(rel, in, docs[i].file, "");
	}
	ingest();
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		json_t *doc = done_doc(docs[i].file), *rec;

		extract(doc, data, sizeof data);
		rec = record_of(data);
		assert_int_equal(json_array_size(json_object_get(rec, "pages")), docs[i].pages);
		for (p = 1; p <= docs[i].pages; p++)
			check_master(data, p, docs[i].format, 300);
		check_access(data, rec, docs[i].file);
		json_decref(rec);
		json_decref(doc);
	}
	/* export offers the access copy as <stem>.pdf beside the original */
	{
		json_t *doc = done_doc("lt_prasymas.tif");
		char id[32], dir[4800], file[4900];
		e2e_out o;

		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(doc, "id")));
		snprintf(dir, sizeof dir, "%s/export", out);
		o = e2e_run(store, "export", id, dir, NULL);
		if (o.status != 0)
			fail_msg("export exit %d: %s%s", o.status, o.out, o.err);
		e2e_out_free(&o);
		snprintf(file, sizeof file, "%s/lt_prasymas.pdf", dir);
		assert_true(exists(file));
		snprintf(file, sizeof file, "%s/lt_prasymas.tif", dir);
		assert_true(exists(file));
		json_decref(doc);
	}
}

static void test_pdf(void **state)
{
	static const char born[] = "LEMUMS Nr. PMLP-LV-2023-009911\nRiga, 2023. gada 14. marts";
	unsigned char *grey = pdf_fx_pattern(600, 800), *pdf;
	pdf_fx_page fx[2] = {
		{ .width = 595, .height = 842, .text = born },
		{ .width = 600 * 72.0 / 200, .height = 800 * 72.0 / 200, .grey = grey,
		  .img_w = 600, .img_h = 800, .img_dpi = 200 },
	};
	char data[4608], path[5100], dir[5000], id[32], *t;
	size_t len;
	json_t *doc;
	e2e_out o;
	int st;

	(void)state;
	fresh("pdf");
	pdf = pdf_fx_make(fx, 1, &len);
	snprintf(path, sizeof path, "%s/born.pdf", in);
	kt_test_write_file(path, pdf, len);
	free(pdf);
	pdf = pdf_fx_make(fx, 2, &len);
	snprintf(path, sizeof path, "%s/mixed.pdf", in);
	kt_test_write_file(path, pdf, len);
	free(pdf);
	ingest();

	/* born-digital: the original is the access copy; nothing breaks */
	doc = done_doc("born.pdf");
	extract(doc, data, sizeof data);
	snprintf(path, sizeof path, "%s/access", data);
	assert_false(exists(path));
	snprintf(path, sizeof path, "%s/master", data);
	assert_false(exists(path));
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(doc, "id")));
	snprintf(dir, sizeof dir, "%s/export-born", out);
	o = e2e_run(store, "export", id, dir, NULL);
	if (o.status != 0)
		fail_msg("export exit %d: %s%s", o.status, o.out, o.err);
	e2e_out_free(&o);
	snprintf(path, sizeof path, "%s/born.pdf", dir);
	assert_true(exists(path));
	o = e2e_run(store, "verify", NULL);
	if (o.status != 0)
		fail_msg("verify exit %d: %s%s", o.status, o.out, o.err);
	e2e_out_free(&o);
	json_decref(doc);

	/* mixed: the born page as it is, the image page recognised */
	doc = done_doc("mixed.pdf");
	extract(doc, data, sizeof data);
	snprintf(path, sizeof path, "%s/master/page-0001.tif", data);
	assert_false(exists(path));
	check_master(data, 2, IFF_TIFF_ZIP, 200);
	snprintf(path, sizeof path, "%s/access/document.pdf", data);
	assert_int_equal(pdf_pages(path), 2);
	check_markers(path);
	{
		char cmd[5200];

		snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
		free(run(cmd, &st));
	}
	assert_int_equal(st, 0);
	t = page_text(path, 1);
	kt_expect_in(t, "PMLP-LV-2023-009911");
	free(t);
	free(kt_test_read_file(path, &len));
	printf("access copy mixed.pdf: %zu bytes, 2 pages (one the original's own)\n", len);
	json_decref(doc);
	free(grey);
}

/* pdfimages -list of page n's first image: colour ("gray", "rgb"), enc
 * ("jpeg", "image" for Flate, "ccitt") and x-ppi into the buffers. */
static void image_of(const char *pdf, int n, char *color, char *enc, int *ppi)
{
	char cmd[9000], *o, *line;
	int st, page = 0, num, w, h, comp, bpc, xppi = 0;
	char type[16], col[16], en[16];

	snprintf(cmd, sizeof cmd, "pdfimages -list -f %d -l %d '%s'", n, n, pdf);
	o = run(cmd, &st);
	assert_int_equal(st, 0);
	line = strstr(o, "-----");
	line = line ? strchr(line, '\n') : NULL;
	if (line == NULL || sscanf(line + 1, "%d %d %15s %d %d %15s %d %d %15s %*s %*d %*d %d",
				   &page, &num, type, &w, &h, col, &comp, &bpc, en, &xppi) != 10)
		fail_msg("no image on page %d of %s:\n%s", n, pdf, o);
	strcpy(color, col);
	strcpy(enc, en);
	*ppi = xppi;
	free(o);
}

/* A grey sample made a colour page: a blue stamp drawn on it, turned upside
 * down (the pipeline turns it back); a grey sample at 150 dpi (half its
 * pixels); a grey sample as a JPEG, upright and level. */
static void make_pages(void)
{
	char path[8192];
	PIX *grey, *rgb, *turned, *small;
	BOX *box = boxCreate(1500, 2700, 700, 420);

	snprintf(path, sizeof path, "%s/scans/lv_lemums_karimi.png", E2E.samples);
	grey = pixRead(path);
	assert_non_null(grey);
	rgb = pixConvertTo32(grey);
	assert_non_null(rgb);
	assert_int_equal(pixRenderBoxArb(rgb, box, 14, 0x20, 0x40, 0xd0), 0);
	turned = pixRotateOrth(rgb, 2);
	pixSetResolution(turned, 300, 300);
	snprintf(path, sizeof path, "%s/colour.png", in);
	assert_int_equal(pixWrite(path, turned, IFF_PNG), 0);
	small = pixScale(grey, 0.5f, 0.5f);
	assert_non_null(small);
	pixSetResolution(small, 150, 150);
	snprintf(path, sizeof path, "%s/small.png", in);
	assert_int_equal(pixWrite(path, small, IFF_PNG), 0);
	pixSetResolution(grey, 300, 300);
	snprintf(path, sizeof path, "%s/plain.jpg", in);
	assert_int_equal(pixWriteJpeg(path, grey, 80, 0), 0);
	boxDestroy(&box);
	pixDestroy(&small);
	pixDestroy(&turned);
	pixDestroy(&rgb);
	pixDestroy(&grey);
}

static void test_colour(void **state)
{
	char data[4608], pdf[4800], color[16], enc[16], path[8192], cmd[20000];
	json_t *doc, *rec, *page;
	PIX *master, *src;
	int ppi, st;

	(void)state;
	fresh("colour");
	make_pages();
	ingest();

	/* colour: an RGB Deflate master with its resolution, an RGB JPEG page */
	doc = done_doc("colour.png");
	extract(doc, data, sizeof data);
	rec = record_of(data);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
		json_object_get(rec, "pages"), 0), "rotation")), 180);
	check_master_pix(data, 1, IFF_TIFF_ZIP, 3, 300, 1, &master);
	assert_int_equal(pixGetDepth(master), 32);
	pixDestroy(&master);
	check_access(data, rec, "colour.png");
	snprintf(pdf, sizeof pdf, "%s/access/document.pdf", data);
	image_of(pdf, 1, color, enc, &ppi);
	assert_string_equal(color, "rgb");
	assert_string_equal(enc, "jpeg");
	assert_int_equal(ppi, 300);
	json_decref(rec);
	json_decref(doc);

	/* 150 dpi: master and access image at 150 dpi, the source's pixels */
	doc = done_doc("small.png");
	extract(doc, data, sizeof data);
	rec = record_of(data);
	page = json_array_get(json_object_get(rec, "pages"), 0);
	check_master_pix(data, 1, IFF_TIFF_ZIP, 1, 150, 0, &master);
	snprintf(path, sizeof path, "%s/small.png", in);
	src = pixRead(path);
	assert_non_null(src);
	assert_int_equal(pixGetWidth(master), pixGetWidth(src));
	assert_int_equal(pixGetHeight(master), pixGetHeight(src));
	pixDestroy(&src);
	pixDestroy(&master);
	check_access(data, rec, "small.png");
	snprintf(pdf, sizeof pdf, "%s/access/document.pdf", data);
	image_of(pdf, 1, color, enc, &ppi);
	assert_string_equal(color, "gray");
	assert_int_equal(ppi, 150);
	(void)page;
	json_decref(rec);
	json_decref(doc);

	/* a JPEG upright and level: its own bytes are the access image */
	doc = done_doc("plain.jpg");
	extract(doc, data, sizeof data);
	rec = record_of(data);
	page = json_array_get(json_object_get(rec, "pages"), 0);
	assert_int_equal(json_integer_value(json_object_get(page, "rotation")), 0);
	assert_true(json_real_value(json_object_get(page, "skew")) == 0.0);
	check_master(data, 1, IFF_TIFF_ZIP, 300);
	check_access(data, rec, "plain.jpg");
	snprintf(pdf, sizeof pdf, "%s/access/document.pdf", data);
	snprintf(cmd, sizeof cmd, "pdfimages -j '%s' '%s/own' && cmp '%s/own-000.jpg' '%s/plain.jpg'",
		 pdf, out, out, in);
	free(run(cmd, &st));
	if (st != 0)
		fail_msg("the access image of plain.jpg is not the file's own JPEG");
	json_decref(rec);
	json_decref(doc);
}

static const kt_test_case cases[] = {
	KT_TEST(scans),
	KT_TEST(pdf),
	KT_TEST(colour),
};

/* KARTOTEKA SAMPLES WORK */
static void init(char **args)
{
	e2e_init_work(args);
	setMsgSeverity(L_SEVERITY_NONE);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_access_copy", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
