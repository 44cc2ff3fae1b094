/*
 * test_rescan.c - `kartoteka batches --rescan` end to end (issue 19): the
 * clean Latvian decision (lv_lemums_karimi.png) and three scans of it made
 * badly by the test with Leptonica: darkened (every grey level times 0.45:
 * the paper at about 115), faded (levels mapped into 175-255: the text at
 * about 185) and cut (its right 30% gone, lines cut off). Each bad page is
 * listed with its reason, the clean one is not; a batch is chosen by name
 * or number, an unknown one refused; the measures are in the record.
 * Run as `test_rescan KARTOTEKA SAMPLES WORK`.
 */
#include "e2e.h"

#include "kt_test.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE "lv_lemums_karimi.png"
#define BATCH "rescan-test"

static char store[1024], in[1024];

/* The sample with each grey level v mapped to lo + v * (hi - lo) / 255. */
static PIX *mapped(PIX *src, int lo, int hi)
{
	NUMA *na = numaCreate(256);
	PIX *out = pixCopy(NULL, src);
	int v;

	for (v = 0; v < 256; v++)
		numaAddNumber(na, (l_float32)(lo + v * (hi - lo) / 255));
	assert_int_equal(pixTRCMap(out, NULL, na), 0);
	numaDestroy(&na);
	return out;
}

static void write_png(PIX *pix, const char *name)
{
	char path[1200];

	snprintf(path, sizeof path, "%s/%s", in, name);
	assert_int_equal(pixWritePng(path, pix, 0.0f), 0);
}

static json_t *listed(const char *arg)
{
	e2e_out o = e2e_run(store, "batches", "--rescan", "--json", arg, NULL);
	json_t *a;

	if (o.status != 0)
		fail_msg("batches --rescan: exit %d: %s", o.status, o.err);
	a = e2e_json_lines(o.out);
	assert_non_null(a);
	e2e_out_free(&o);
	return a;
}

/* The reasons of file's page 1 in the list, joined by " | "; "" when not listed. */
static const char *reasons_of(json_t *list, const char *file)
{
	static char buf[1024];
	json_t *p, *r;
	size_t i, j;

	buf[0] = '\0';
	json_array_foreach(list, i, p) {
		const char *src = json_string_value(json_object_get(p, "source"));

		if (strlen(src) < strlen(file) || strcmp(src + strlen(src) - strlen(file), file) != 0)
			continue;
		json_array_foreach(json_object_get(p, "reasons"), j, r)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", j ? " | " : "",
				 json_string_value(r));
	}
	return buf;
}

static void test_listed(void **state)
{
	char path[1200];
	PIX *pix, *bad;
	BOX *box;
	json_t *list, *doc, *q;
	e2e_out o;

	(void)state;
	e2e_fresh("rescan", store, sizeof store, in, sizeof in);
	snprintf(path, sizeof path, "%s/scans/%s", E2E.samples, SAMPLE);
	pix = pixRead(path);
	assert_non_null(pix);
	assert_int_equal(pixGetDepth(pix), 8);
	pixSetResolution(pix, 300, 300);
	write_png(pix, "1_good.png");
	bad = mapped(pix, 0, 115);
	write_png(bad, "2_dark.png");
	pixDestroy(&bad);
	bad = mapped(pix, 175, 255);
	write_png(bad, "3_faded.png");
	pixDestroy(&bad);
	box = boxCreate(0, 0, pixGetWidth(pix) * 7 / 10, pixGetHeight(pix));
	bad = pixClipRectangle(pix, box, NULL);
	boxDestroy(&box);
	assert_non_null(bad);
	write_png(bad, "4_cut.png");
	pixDestroy(&bad);
	pixDestroy(&pix);

	o = e2e_run(store, "ingest", "--batch", BATCH, in, NULL);
	if (o.status != 0)
		fail_msg("ingest: exit %d: %s", o.status, o.err);
	e2e_out_free(&o);

	list = listed(NULL);
	assert_string_equal(reasons_of(list, "1_good.png"), "");
	kt_expect_in(reasons_of(list, "2_dark.png"), "too dark (background at grey");
	kt_expect_in(reasons_of(list, "3_faded.png"), "too light (text at grey");
	kt_expect_in(reasons_of(list, "4_cut.png"), "text cut at the right edge (");
	assert_int_equal(json_array_size(list), 3);
	json_decref(list);

	/* by name and by number; an unknown batch is refused */
	list = listed(BATCH);
	assert_int_equal(json_array_size(list), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "batch")), BATCH);
	snprintf(path, sizeof path, "%lld",
		 (long long)json_integer_value(json_object_get(json_array_get(list, 0), "batch_id")));
	json_decref(list);
	list = listed(path);
	assert_int_equal(json_array_size(list), 3);
	json_decref(list);
	o = e2e_run(store, "batches", "--rescan", "no-such-batch", NULL);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "no batch 'no-such-batch'");
	e2e_out_free(&o);

	/* the text form names each page and its reasons */
	o = e2e_run(store, "batches", "--rescan", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "page 1  ");
	kt_expect_in(o.out, "    too dark");
	kt_expect_in(o.out, "3 pages to rescan");
	e2e_out_free(&o);

	/* the measures are in the document's record */
	doc = e2e_doc_of(store, "2_dark.png", "done");
	snprintf(path, sizeof path, "%lld", (long long)json_integer_value(json_object_get(doc, "id")));
	json_decref(doc);
	o = e2e_run(store, "show", "--json", path, NULL);
	assert_int_equal(o.status, 0);
	doc = json_loads(o.out, 0, NULL);
	assert_non_null(doc);
	q = json_object_get(json_array_get(json_object_get(doc, "pages"), 0), "quality");
	assert_true(json_is_integer(json_object_get(q, "paper")));
	assert_true(json_integer_value(json_object_get(q, "paper")) < 150);
	assert_true(json_is_object(json_object_get(q, "cut")));
	json_decref(doc);
	e2e_out_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST(listed),
};

static void init(char **args)
{
	e2e_init_work(args);
	setMsgSeverity(L_SEVERITY_NONE);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_rescan", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
