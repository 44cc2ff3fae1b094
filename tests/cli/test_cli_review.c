/*
 * test_cli_review.c - `kartoteka review` on a copy of the e2e fixture store
 * (the samples ingested, samples/cases.csv imported): the queue holds
 * exactly the sample documents that belong to no case (the blank page and
 * the English letter about a man born on a case person's birthday), every
 * other sample is linked; decisions are made, refused with exit 1, recorded
 * with the operating system user, and kept when the case records are
 * imported again. Run as `test_cli_review KARTOTEKA STORE`.
 */
#include "e2e.h"
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `review --json` of store as an array (new reference). */
static json_t *queue(const char *store)
{
	e2e_out o = e2e_run(store, "review", "--json", NULL);
	json_t *q;

	if (o.status != 0)
		fail_msg("review --json: exit %d: %s", o.status, o.err);
	q = json_loads(o.out, 0, NULL);
	assert_true(json_is_array(q));
	e2e_out_free(&o);
	return q;
}

static long long id_of(const char *store, const char *file)
{
	json_t *d = e2e_doc_of(store, file, "done");
	long long id = json_integer_value(json_object_get(d, "id"));

	json_decref(d);
	return id;
}

static void run_ok(const char *store, const char *a, const char *b, const char *c, int want)
{
	e2e_out o = e2e_run(store, "review", a, b, c, NULL);

	if (o.status != want)
		fail_msg("review %s %s %s: exit %d (want %d): %s", a, b, c ? c : "", o.status, want,
			 o.err);
	e2e_out_free(&o);
}

static void test_queue_and_decisions(void **state)
{
	char dir[512], store[600], csv[700], id[32], blank[32];
	json_t *q, *o, *d;
	size_t i;
	e2e_out out;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-review"), 0);
	snprintf(store, sizeof store, "%s/store", dir);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);

	/* the queue: the two documents of no case, nothing else */
	q = queue(store);
	assert_int_equal(json_array_size(q), 2);
	json_array_foreach(q, i, o) {
		const char *src = json_string_value(json_object_get(o, "source"));

		assert_string_equal(json_string_value(json_object_get(o, "reason")), "unlinked");
		assert_true(strstr(src, "blank_dust.png") || strstr(src, "en_letter.png"));
	}
	json_decref(q);

	/* the human list names them */
	out = e2e_run(store, "review", NULL);
	assert_int_equal(out.status, 0);
	kt_expect_in(out.out, "en_letter.png");
	kt_expect_in(out.out, "no case");
	kt_expect_in(out.out, "2 in the review queue");
	e2e_out_free(&out);

	/* refused: nothing to accept, an unknown case, not a document id */
	snprintf(id, sizeof id, "%lld", id_of(store, "en_letter.png"));
	snprintf(blank, sizeof blank, "%lld", id_of(store, "blank_dust.png"));
	run_ok(store, "accept", id, "PMLP-LV-2024-000912", 1);
	run_ok(store, "link", id, "NO-SUCH-CASE", 1);
	run_ok(store, "link", "x1", "PMLP-LV-2024-000912", 2);
	run_ok(store, "none", blank, NULL, 0);
	run_ok(store, "link", id, "PMLP-LV-2021-007754", 0);
	assert_int_equal(json_array_size(q = queue(store)), 0);
	json_decref(q);

	/* an automatic run (the case records imported again) keeps both */
	snprintf(csv, sizeof csv, "%s/cases.csv", E2E.samples);
	out = e2e_run(store, "cases", "import", csv, NULL);
	assert_int_equal(out.status, 0);
	e2e_out_free(&out);
	assert_int_equal(json_array_size(q = queue(store)), 0);
	json_decref(q);
	d = e2e_doc_of(store, "en_letter.png", "done");
	o = json_array_get(json_object_get(d, "links"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "case_number")), "PMLP-LV-2021-007754");
	assert_string_equal(json_string_value(json_object_get(o, "state")), "manual");
	assert_true(json_is_string(json_object_get(o, "decided_by")));
	json_decref(d);

	/* taken back: the letter is in the queue again */
	run_ok(store, "reject", id, "PMLP-LV-2021-007754", 0);
	q = queue(store);
	assert_int_equal(json_array_size(q), 1);
	kt_expect_in(json_string_value(json_object_get(json_array_get(q, 0), "source")), "en_letter");
	json_decref(q);
	kt_test_remove_tree(dir);
}

static const kt_test_case cases[] = {
	KT_TEST(queue_and_decisions),
};

/* KARTOTEKA SAMPLES STORE */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = args[2];
	E2E.work = NULL;
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_review", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES STORE", .n_args = 3, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
