/*
 * test_barcode.c - bar codes and separator sheets (ocr/barcode.c, zbar;
 * issue 9). The sheets are drawn by the test (sheet_fixture.c), so the code
 * zbar must read is known exactly:
 *   read_code39        a Code 39 sheet at 300 and at 200 dpi: one code, its
 *                      text, its type, its box where it was drawn
 *   sheet_plain        a sheet with only the code: a separator sheet
 *   sheet_caption      with a caption above the code: still one
 *   sheet_turned       scanned upside down and sideways: still one
 *   sheet_bitonal      a 1 bpp sheet (what a G4 scan decodes to): still one
 *   letter_with_code   a letter (a sample page) with the code in its corner:
 *                      the code is read, but the page is no separator sheet
 *   no_code            a letter and a blank page: no code, no sheet
 *
 * usage: test_barcode SAMPLES CASE
 */
#include "kt_ocr.h"
#include "sheet_fixture.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <string.h>

static const char *samples;

static PIX *sample(const char *name)
{
	char path[4096];
	PIX *pix;

	snprintf(path, sizeof path, "%s/scans/%s", samples, name);
	pix = pixRead(path);
	if (pix == NULL)
		fail_msg("cannot read %s", path);
	return pix;
}

/* 1 when pix is a separator sheet whose code is text. */
static int is_sheet(PIX *pix, int dpi, const char *text)
{
	kt_barcode *code = NULL;
	kt_error err = { 0 };
	int r = kt_separator_sheet(pix, dpi, &code, &err);

	assert_int_not_equal(r, -1);
	if (r == 1) {
		assert_non_null(code);
		assert_string_equal(code->data, text);
		kt_barcodes_free(&code, 1);
	} else {
		assert_null(code);
	}
	return r;
}

static void test_read_code39(void **state)
{
	int dpi;

	(void)state;
	for (dpi = 200; dpi <= 300; dpi += 100) {
		PIX *pix = sheet_fixture_page("KT-SEP 0042", dpi, 0);
		kt_barcode *codes = NULL;
		kt_error err = { 0 };
		int n = 0;

		assert_non_null(pix);
		if (kt_barcode_find(pix, dpi, &codes, &n, &err) != KT_OK)
			fail_msg("kt_barcode_find: %s", err.msg);
		assert_int_equal(n, 1);
		assert_string_equal(codes[0].data, "KT-SEP 0042");
		assert_string_equal(codes[0].type, "CODE-39");
		/* drawn across the middle, from h/2 down 20 mm */
		assert_true(codes[0].y >= pixGetHeight(pix) / 2 - dpi / 10);
		assert_true(codes[0].y <= pixGetHeight(pix) / 2 + dpi / 2);
		assert_true(codes[0].w > pixGetWidth(pix) / 4);
		kt_barcodes_free(&codes, n);
		assert_null(codes);
		pixDestroy(&pix);
	}
}

static void test_sheet_plain(void **state)
{
	PIX *pix = sheet_fixture_page("SEPARATOR-1", 300, 0);

	(void)state;
	assert_int_equal(is_sheet(pix, 300, "SEPARATOR-1"), 1);
	pixDestroy(&pix);
}

static void test_sheet_caption(void **state)
{
	PIX *pix = sheet_fixture_page("LIETA 2", 300, 1);

	(void)state;
	assert_int_equal(is_sheet(pix, 300, "LIETA 2"), 1);
	pixDestroy(&pix);
}

static void test_sheet_turned(void **state)
{
	PIX *pix = sheet_fixture_page("KT-SEP-7", 300, 1);
	PIX *r180 = pixRotateOrth(pix, 2), *r90 = pixRotateOrth(pix, 1);

	(void)state;
	assert_int_equal(is_sheet(r180, 300, "KT-SEP-7"), 1);
	assert_int_equal(is_sheet(r90, 300, "KT-SEP-7"), 1);
	pixDestroy(&r90);
	pixDestroy(&r180);
	pixDestroy(&pix);
}

static void test_sheet_bitonal(void **state)
{
	PIX *pix = sheet_fixture_page("KT-SEP-8", 300, 1);
	PIX *bin = pixConvertTo1(pix, 128);

	(void)state;
	assert_int_equal(pixGetDepth(bin), 1);
	assert_int_equal(is_sheet(bin, 300, "KT-SEP-8"), 1);
	pixDestroy(&bin);
	pixDestroy(&pix);
}

static void test_letter_with_code(void **state)
{
	PIX *letter = sample("en_letter.png"), *grey = pixConvertTo8(letter, 0);
	kt_barcode *codes = NULL;
	kt_error err = { 0 };
	int n = 0, dpi = 300;

	(void)state;
	assert_non_null(grey);
	/* a small code in a white field near the page's edge, as forms carry
	 * (the sample lies sideways: 3508 x 2480) */
	{
		BOX *field = boxCreate(pixGetWidth(grey) - dpi * 3, dpi / 3, dpi * 5 / 2, dpi * 3 / 4);

		pixSetInRectArbitrary(grey, field, 255);
		boxDestroy(&field);
	}
	assert_true(sheet_fixture_draw(grey, "FORM 12", pixGetWidth(grey) - dpi * 3 + dpi / 8,
				       dpi / 3 + dpi / 8, 4, dpi / 2) > 0);
	assert_int_equal(kt_barcode_find(grey, dpi, &codes, &n, &err), KT_OK);
	assert_int_equal(n, 1);
	assert_string_equal(codes[0].data, "FORM 12");
	kt_barcodes_free(&codes, n);
	assert_int_equal(is_sheet(grey, dpi, "FORM 12"), 0);
	pixDestroy(&grey);
	pixDestroy(&letter);
}

static void test_no_code(void **state)
{
	const char *names[] = { "en_letter.png", "blank_dust.png", "passport_td3.png" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		PIX *pix = sample(names[i]);
		kt_barcode *codes = NULL;
		kt_error err = { 0 };
		int n = -1;

		assert_int_equal(kt_barcode_find(pix, 300, &codes, &n, &err), KT_OK);
		assert_int_equal(n, 0);
		assert_null(codes);
		assert_int_equal(is_sheet(pix, 300, ""), 0);
		pixDestroy(&pix);
	}
}

static const kt_test_case cases[] = {
	KT_TEST(read_code39),
	KT_TEST(sheet_plain),
	KT_TEST(sheet_caption),
	KT_TEST(sheet_turned),
	KT_TEST(sheet_bitonal),
	KT_TEST(letter_with_code),
	KT_TEST(no_code),
};

static void init(char **args)
{
	samples = args[0];
	setMsgSeverity(L_SEVERITY_NONE);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_barcode", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "SAMPLES", .n_args = 1, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
