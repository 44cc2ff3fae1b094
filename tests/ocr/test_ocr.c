/*
 * test_ocr.c - decoding by content with real broken files, the pixel cap
 * checked from headers, the language of a text told from its letters.
 * Recognition itself is checked on the samples by the end-to-end tests.
 */
#include "kt_ocr.h"
#include "ocr_private.h"

#include <leptonica/allheaders.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char *samples;

static unsigned char *load(const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	unsigned char *buf;
	long n;

	snprintf(path, sizeof path, "%s/scans/%s", samples, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
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
	expect_open_fails(pdf, sizeof pdf - 1, "scan.pdf", "not a TIFF, PNG or JPEG");
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

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_images),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_good_sources),
		cmocka_unit_test(test_huge_tiff_refused),
		cmocka_unit_test(test_huge_png_refused),
		cmocka_unit_test(test_lang_guess),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: test_ocr SAMPLES [TEST]\n");
		return 2;
	}
	samples = argv[1];
	setMsgSeverity(L_SEVERITY_NONE);
	if (argc > 2)
		cmocka_set_test_filter(argv[2]);
	return cmocka_run_group_tests_name("ocr", tests, NULL, NULL);
}
