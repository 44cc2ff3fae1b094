/*
 * test_ocr.c - decoding by content with real broken files, the pixel cap
 * checked from headers, the language of a text told from its letters.
 * Recognition itself is checked on the samples by the end-to-end tests.
 */
#define _GNU_SOURCE /* memmem, mkdtemp */
#include "kt_ocr.h"
#include "engine_private.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static const char *samples;

static unsigned char *load(const char *name, size_t *len)
{
	char path[4096];
	unsigned char *buf;

	snprintf(path, sizeof path, "%s/scans/%s", samples, name);
	buf = kt_test_read_file(path, len);
	if (buf == NULL)
		fail_msg("cannot read %s", path);
	return buf;
}

static void expect_open_fails(const void *data, size_t len, const char *name, const char *why)
{
	kt_source *s = (kt_source *)1;
	kt_error err = { 0 };

	assert_int_equal(kt_source_open(data, len, name, 0, &s, &err), KT_FAILED);
	assert_null(s);
	assert_non_null(strstr(err.msg, name));
	if (strstr(err.msg, why) == NULL)
		fail_msg("message '%s' does not say '%s'", err.msg, why);
}

static void test_not_images(void **state)
{
	static const char text[] = "Lēmums par uzturēšanās atļauju: this is a text file, not a scan.";
	static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";

	(void)state;
	expect_open_fails("", 0, "empty.tif", "empty file");
	expect_open_fails(text, sizeof text - 1, "notes.png", "not a TIFF, PNG or JPEG");
	/* a PDF now (issue 18), but a broken one: named, with MuPDF's reason */
	expect_open_fails(pdf, sizeof pdf - 1, "scan.pdf", "cannot read 'scan.pdf': ");
}

/* Each truncated sample fails with its name, at open or at decoding. */
static void expect_truncated_fails(const char *name, double keep)
{
	size_t len;
	unsigned char *buf = load(name, &len);
	size_t cut = (size_t)(len * keep);
	kt_source *s = NULL;
	kt_error err = { 0 };
	struct Pix *pix = NULL;
	int dpi, rc;

	rc = kt_source_open(buf, cut, name, 0, &s, &err);
	if (rc == KT_OK) {
		rc = kt_source_page(s, 0, &pix, &dpi, &err);
		pixDestroy(&pix);
	}
	if (rc != KT_FAILED)
		fail_msg("%s cut to %zu of %zu bytes was read", name, cut, len);
	assert_non_null(strstr(err.msg, name));
	kt_source_free(&s);
	free(buf);
}

static void test_truncated(void **state)
{
	(void)state;
	expect_truncated_fails("lv_lemums_karimi.png", 0.5);
	expect_truncated_fails("ru_sobesedovanie.jpg", 0.5);
	expect_truncated_fails("lt_prasymas.tif", 0.3);
	expect_truncated_fails("lv_intervija_2p.tif", 0.2);
}

static void test_good_sources(void **state)
{
	static const struct { const char *name, *format; int pages; } good[] = {
		{ "lv_lemums_karimi.png", "png", 1 },
		{ "ru_sobesedovanie.jpg", "jpeg", 1 },
		{ "lt_prasymas.tif", "tiff", 1 },
		{ "lv_intervija_2p.tif", "tiff", 3 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		size_t len;
		unsigned char *buf = load(good[i].name, &len);
		kt_source *s = NULL;
		kt_error err = { 0 };
		int p;

		assert_int_equal(kt_source_open(buf, len, good[i].name, 0, &s, &err), KT_OK);
		assert_string_equal(kt_source_format(s), good[i].format);
		assert_int_equal(kt_source_pages(s), good[i].pages);
		for (p = 0; p < good[i].pages; p++) {
			struct Pix *pix = NULL;
			int dpi = 0;

			assert_int_equal(kt_source_page(s, p, &pix, &dpi, &err), KT_OK);
			assert_true(pixGetWidth(pix) > 1000);
			pixDestroy(&pix);
		}
		kt_source_free(&s);
		kt_source_free(&s);
		free(buf);
	}
}

static void put16(unsigned char *p, unsigned v) { p[0] = v & 255; p[1] = (v >> 8) & 255; }
static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

/* A TIFF whose header claims 100000 x 100000 pixels, with no pixel data. */
static void test_huge_tiff_refused(void **state)
{
	unsigned char t[256] = { 'I', 'I', 42, 0, 8, 0, 0, 0 };
	static const struct { unsigned tag, type; uint32_t value; } e[] = {
		{ 256, 4, 100000 }, { 257, 4, 100000 }, { 258, 3, 1 }, { 259, 3, 1 },
		{ 262, 3, 0 }, { 273, 4, 200 }, { 278, 4, 100000 }, { 279, 4, 1250000000u },
	};
	kt_source *s = NULL;
	kt_error err = { 0 };
	struct Pix *pix = NULL;
	int dpi, i;

	(void)state;
	put16(t + 8, 8);
	for (i = 0; i < 8; i++) {
		unsigned char *p = t + 10 + 12 * i;

		put16(p, e[i].tag);
		put16(p + 2, e[i].type);
		put32(p + 4, 1);
		if (e[i].type == 3)
			put16(p + 8, (unsigned)e[i].value);
		else
			put32(p + 8, e[i].value);
	}
	assert_int_equal(kt_source_open(t, sizeof t, "huge.tif", 0, &s, &err), KT_OK);
	assert_int_equal(kt_source_page(s, 0, &pix, &dpi, &err), KT_FAILED);
	assert_null(pix);
	assert_non_null(strstr(err.msg, "100000 x 100000"));
	assert_non_null(strstr(err.msg, "huge.tif"));
	kt_source_free(&s);
}

/* A PNG whose header claims 100000 x 100000 pixels: refused at open. */
static void test_huge_png_refused(void **state)
{
	unsigned char png[64] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
				  'I', 'H', 'D', 'R' };
	kt_source *s = NULL;
	kt_error err = { 0 };

	(void)state;
	png[16] = 0; png[17] = 1; png[18] = 0x86; png[19] = 0xA0; /* 100000, big-endian */
	png[20] = 0; png[21] = 1; png[22] = 0x86; png[23] = 0xA0;
	png[24] = 8; /* grey, 8 bits */
	assert_int_equal(kt_source_open(png, sizeof png, "bomb.png", 0, &s, &err), KT_FAILED);
	assert_null(s);
	assert_non_null(strstr(err.msg, "bomb.png"));
}

static void expect_lang(const char *text, const char *want)
{
	char lang[8];

	kt_lang_guess(text, lang);
	if (strcmp(lang, want) != 0)
		fail_msg("'%s' guessed as '%s', want '%s'", text, lang, want);
}

static void test_lang_guess(void **state)
{
	(void)state;
	expect_lang("Pilsonības un migrācijas lietu pārvalde pieņēma lēmumu", "lav");
	expect_lang("Migracijos departamentas gavo prašymą išduoti leidimą gyventi", "lit");
	expect_lang("Протокол собеседования с заявителем", "rus");
	expect_lang("Dear Sir or Madam, I am writing to confirm his employment", "eng");
	/* one stray diacritic in a long English text is still English */
	expect_lang("Office of Citizenship and Migration Affairs, Rīga. I am writing to confirm that "
		    "Mr Jonathan Ashdown has been employed by our company since February 2015 as a "
		    "senior site engineer; his employment is permanent and full-time.", "eng");
	/* a Russian form with a Latvian stamp is Russian */
	expect_lang("ЗАЯВЛЕНИЕ о выдаче вида на жительство. Прошу рассмотреть. PMLP saņemts", "rus");
	expect_lang("", "");
	expect_lang("12.03.2023 4571 --- ...", "");
}


/* ------------------------------------------------ ALTO and searchable PDF */

static kt_ocr *engine(void)
{
	kt_ocr *o = kt_ocr_new();

	assert_non_null(o);
	if (kt_ocr_init(o, NULL) != KT_OK)
		fail_msg("no Tesseract engine: %s", kt_ocr_errmsg(o));
	return o;
}

/* Recognise page p of a sample; the clean page goes to *clean. */
static void ocr_sample(kt_ocr *o, const char *name, int p, kt_page_result *r, struct Pix **clean)
{
	size_t len;
	unsigned char *buf = load(name, &len);
	kt_source *s = NULL;
	kt_error err = { 0 };
	struct Pix *pix = NULL;
	int dpi = 0;

	assert_int_equal(kt_source_open(buf, len, name, 0, &s, &err), KT_OK);
	assert_int_equal(kt_source_page(s, p, &pix, &dpi, &err), KT_OK);
	kt_page_result_init(r);
	if (kt_ocr_page(o, pix, dpi, r, clean) != KT_OK)
		fail_msg("%s page %d: %s", name, p + 1, kt_ocr_errmsg(o));
	pixDestroy(&pix);
	kt_source_free(&s);
	free(buf);
}

/* A fresh temporary folder for one test; removed by rm_dir. */
static char *make_dir(void)
{
	char *d = malloc(4096);

	assert_non_null(d);
	assert_int_equal(kt_test_mkdtemp(d, 4096, "test-ocr"), 0);
	return d;
}

/* 0 when the folder holds nothing (then it is removed). */
static int rm_dir(char *d)
{
	int rc = rmdir(d);

	free(d);
	return rc;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void test_alto_per_page(void **state)
{
	kt_ocr *o = engine();
	kt_page_result r, b;
	struct Pix *clean = NULL;
	char dim[64];

	(void)state;
	ocr_sample(o, "en_letter.png", 0, &r, &clean);
	assert_non_null(r.alto);
	assert_non_null(strstr(r.alto, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	assert_non_null(strstr(r.alto, "ns-v3#"));
	assert_non_null(strstr(r.alto, "</alto>"));
	/* the upright page's size, words with position, size and confidence */
	snprintf(dim, sizeof dim, "WIDTH=\"%d\" HEIGHT=\"%d\"", r.width, r.height);
	assert_non_null(strstr(r.alto, dim));
	assert_true(count_of(r.alto, "<String ") > 50);
	assert_int_equal(count_of(r.alto, "<String "), count_of(r.alto, " WC=\""));
	assert_non_null(strstr(r.alto, "CONTENT=\"Northgate\""));
	assert_non_null(strstr(r.alto, "HPOS=\""));
	assert_non_null(strstr(r.alto, "<TextLine "));
	pixDestroy(&clean);

	/* a blank page: a valid document with an empty page */
	ocr_sample(o, "blank_dust.png", 0, &b, NULL);
	assert_true(b.blank);
	assert_non_null(b.alto);
	assert_int_equal(count_of(b.alto, "<String "), 0);
	assert_non_null(strstr(b.alto, "<Page "));
	assert_non_null(strstr(b.alto, "</alto>"));
	assert_true(b.serial > r.serial);
	kt_page_result_release(&r);
	kt_page_result_release(&b);
	assert_null(r.alto);
	kt_ocr_free(&o);
}

/* The text of a PDF's FlateDecode streams, inflated and joined. */
static char *pdf_streams(const unsigned char *pdf, size_t len)
{
	size_t cap = 1 << 20, used = 0;
	char *out = calloc(1, cap + 1);
	const unsigned char *p = pdf, *end = pdf + len;

	while (p < end) {
		const unsigned char *s = memmem(p, (size_t)(end - p), "stream\n", 7);
		const unsigned char *e;
		uLongf n = (uLongf)(cap - used);

		if (s == NULL)
			break;
		s += 7;
		e = memmem(s, (size_t)(end - s), "endstream", 9);
		if (e == NULL)
			break;
		/* content streams only: binary ones (fonts, maps) hold NUL bytes */
		if (uncompress((Bytef *)out + used, &n, s, (uLong)(e - s)) == Z_OK &&
		    memchr(out + used, 0, n) == NULL)
			used += n;
		p = e + 9;
	}
	out[used] = '\0';
	return out;
}

/* A word as the PDF's text layer writes it: UTF-16BE in hex. */
static void hex16(const char *ascii, char *out)
{
	for (; *ascii; ascii++, out += 4)
		sprintf(out, "%04X", (unsigned)(unsigned char)*ascii);
	*out = '\0';
}

static void test_pdf_builder(void **state)
{
	kt_ocr *o = engine();
	kt_page_result r1, r2, r3;
	struct Pix *c1 = NULL, *c2 = NULL, *c3 = NULL;
	kt_ocr_pdf *pdf = NULL;
	unsigned char *bytes = NULL;
	size_t len = 0;
	char *dir = make_dir(), *text, word[64];

	(void)state;
	assert_int_equal(kt_ocr_pdf_new(o, dir, "Lēmums — kt 17", &pdf), KT_OK);
	/* pages 1 and 2 straight after their recognition; page 3 (a blank) too */
	ocr_sample(o, "en_letter.png", 0, &r1, &c1);
	assert_int_equal(kt_ocr_pdf_add(pdf, c1, &r1), KT_OK);
	ocr_sample(o, "ru_sobesedovanie.jpg", 0, &r2, &c2);
	assert_int_equal(kt_ocr_pdf_add(pdf, c2, &r2), KT_OK);
	ocr_sample(o, "blank_dust.png", 0, &r3, &c3);
	assert_true(r3.blank);
	assert_int_equal(kt_ocr_pdf_add(pdf, c3, &r3), KT_OK);
	/* page 1 again, no longer on the engine: recognised a second time */
	assert_int_equal(kt_ocr_pdf_add(pdf, c1, &r1), KT_OK);
	assert_int_equal(kt_ocr_pdf_finish(pdf, &bytes, &len), KT_OK);
	kt_ocr_pdf_free(&pdf);
	assert_null(pdf);

	assert_true(len > 10000);
	assert_memory_equal(bytes, "%PDF-", 5);
	assert_non_null(memmem(bytes, len, "/Count 4", 8));
	assert_non_null(memmem(bytes, len, "%%EOF", 5));
	assert_non_null(memmem(bytes, len, "/Subtype /Image", 15));
	assert_non_null(memmem(bytes, len, "GlyphLessFont", 13));
	text = pdf_streams(bytes, len);
	/* invisible text (render mode 3) holding the letter's words, twice */
	assert_non_null(strstr(text, "3 Tr"));
	hex16("Northgate", word);
	assert_true(count_of(r1.text, "Northgate") > 0);
	assert_int_equal(count_of(text, word), 2 * count_of(r1.text, "Northgate"));
	free(text);
	free(bytes);
	/* the temporary files are gone */
	assert_int_equal(rm_dir(dir), 0);
	pixDestroy(&c1);
	pixDestroy(&c2);
	pixDestroy(&c3);
	kt_page_result_release(&r1);
	kt_page_result_release(&r2);
	kt_page_result_release(&r3);
	kt_ocr_free(&o);
}


/* When OSD cannot decide, reading the page each way round finds upright:
 * a Latin page turned every way is put back, and a Cyrillic one upside down. */
static void expect_orient_by_ocr(kt_ocr *o, const char *name, int cyrillic, int from, int to)
{
	kt_page_result r;
	struct Pix *clean = NULL;
	int q;

	ocr_sample(o, name, 0, &r, &clean);
	for (q = from; q <= to; q++) {
		struct Pix *turned = pixRotateOrth(clean, q);
		int conf = -1, want = (360 - 90 * q) % 360;
		int got = kt_orient_by_ocr(o, turned, r.dpi, cyrillic, &conf);

		if (got != want)
			fail_msg("%s turned %d clockwise: upright by %d, want %d", name, 90 * q, got,
				 want);
		assert_true(conf > 50);
		pixDestroy(&turned);
	}
	pixDestroy(&clean);
	kt_page_result_release(&r);
}

static void test_orient_by_ocr(void **state)
{
	kt_ocr *o = engine();

	(void)state;
	expect_orient_by_ocr(o, "lv_lemums_karimi.png", 0, 0, 3);
	expect_orient_by_ocr(o, "ru_sobesedovanie.jpg", 1, 2, 2);
	kt_ocr_free(&o);
}

/* A folder that cannot be written: refused at the start, with its name. */
static void test_pdf_bad_folder(void **state)
{
	kt_ocr *o = engine();
	kt_ocr_pdf *pdf = (kt_ocr_pdf *)1;

	(void)state;
	assert_int_equal(kt_ocr_pdf_new(o, "/nonexistent/kt-folder", NULL, &pdf), KT_FAILED);
	assert_null(pdf);
	assert_non_null(strstr(kt_ocr_errmsg(o), "/nonexistent/kt-folder"));
	kt_ocr_pdf_free(&pdf);
	kt_ocr_pdf_free(NULL);
	kt_ocr_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST(not_images),
	KT_TEST(truncated),
	KT_TEST(good_sources),
	KT_TEST(huge_tiff_refused),
	KT_TEST(huge_png_refused),
	KT_TEST(lang_guess),
	KT_TEST(alto_per_page),
	KT_TEST(pdf_builder),
	KT_TEST(orient_by_ocr),
	KT_TEST(pdf_bad_folder),
};

/* The samples folder, the first argument. */
static void init(char **args)
{
	samples = args[0];
	setMsgSeverity(L_SEVERITY_NONE);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_ocr", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "SAMPLES", .n_args = 1, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
