/*
 * test_pdf_page.c - the web's page image (tools/web/render.c,
 * kt_web_render_page) of a PDF original: rendered from the archived PDF
 * through kt_source, as for a scan. The PDF is made here
 * (tests/ocr/pdf_fixture.c) and ingested with `kartoteka ingest`.
 *
 * usage: test_pdf_page KARTOTEKA WORK [CASE]
 */
#include "e2e.h"
#include "kt_pipeline.h"
#include "kt_web.h"
#include "pdf_fixture.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_page_image(void **state)
{
	pdf_fx_page p = { .width = 612, .height = 792, .text = "Page image of a PDF", .rotate = 90 };
	char store[4096], in[4096], path[8192];
	unsigned char *pdf, *png = NULL;
	size_t len, plen = 0;
	kt_store *s = NULL;
	kt_error err = { 0 };
	e2e_out o;
	PIX *pix;

	(void)state;
	snprintf(store, sizeof store, "%s/store", E2E.work);
	snprintf(in, sizeof in, "%s/in", E2E.work);
	kt_test_remove_tree(store);
	kt_test_remove_tree(in);
	assert_int_equal(mkdir(in, 0755), 0);
	pdf = pdf_fx_make(&p, 1, &len);
	snprintf(path, sizeof path, "%s/page.pdf", in);
	kt_test_write_file(path, pdf, len);
	free(pdf);
	o = e2e_run(store, "ingest", in, NULL);
	if (o.status != 0)
		fail_msg("ingest: %s%s", o.out, o.err);
	e2e_out_free(&o);
	if (kt_store_open(store, KT_STORE_READ, &s, &err) != KT_OK)
		fail_msg("%s", err.msg);
	/* the page as shown: /Rotate 90 makes it landscape, 11 x 8.5 in */
	if (kt_web_render_page(s, 1, 1, 0, 1100, &png, &plen, &err) != KT_OK)
		fail_msg("%s", err.msg);
	pix = pixReadMem(png, plen);
	assert_non_null(pix);
	assert_int_equal(pixGetWidth(pix), 1100);
	assert_int_equal(pixGetHeight(pix), 850);
	pixDestroy(&pix);
	free(png);
	png = NULL;
	assert_int_equal(kt_web_render_page(s, 1, 2, 0, 800, &png, &plen, &err), KT_FAILED);
	kt_expect_in(err.msg, "no page 2");
	kt_store_free(&s);
}

static const kt_test_case cases[] = {
	KT_TEST(page_image),
};

/* KARTOTEKA WORK */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.work = args[1];
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_pdf_page", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA WORK", .n_args = 2, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
