/*
 * test_hard.c - the hard samples end to end (issue 19, samples/hard, made by
 * `kt_gen_samples --hard` with exact truth in samples/truth/hard): all of
 * them ingested in one batch after the samples' case records, then for every
 * page: the orientation and blank decision of its truth, and a character
 * error rate of at most MAX_PAGE_CER; for every document: the case numbers,
 * personal codes (the new Latvian form included) and the whole MRZ (TD1,
 * MRV-A) exactly, no date that is not in the truth, and over all documents
 * at least MIN_DATE_RECALL of the dates.
 * Run as `test_hard KARTOTEKA SAMPLES WORK`.
 */
#include "e2e.h"

#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bounds met by today's pipeline with a margin (docs/benchmarks.md has the
 * figures of each page); the worst page is the Latvian protocol with
 * answers in Russian */
#define MAX_PAGE_CER 0.06
#define MIN_DATE_RECALL 0.95

static char store[1024], in[1024];

/* 1 when arr holds a value equal to v */
static int holds(json_t *arr, json_t *v)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		if (json_equal(v, x))
			return 1;
	return 0;
}

/* every item of want is in got and the reverse */
static void same_set(const char *file, const char *what, json_t *want, json_t *got)
{
	size_t i;
	json_t *v;

	json_array_foreach(want, i, v)
		if (!holds(got, v))
			fail_msg("%s: %s: %s missed", file, what, json_string_value(v));
	json_array_foreach(got, i, v)
		if (!holds(want, v))
			fail_msg("%s: %s: %s is not in the truth", file, what, json_string_value(v));
}

static void test_hard(void **state)
{
	char csv[1200];
	json_t *truths, *docs, *t;
	size_t i;
	int dates_want = 0, dates_found = 0;
	e2e_out o;

	(void)state;
	e2e_fresh("hard", store, sizeof store, in, sizeof in);
	snprintf(csv, sizeof csv, "%s/cases.csv", E2E.samples);
	o = e2e_run(store, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(csv, sizeof csv, "%s/hard", E2E.samples);
	o = e2e_run(store, "ingest", "--batch", "hard", csv, NULL);
	if (o.status != 0)
		fail_msg("ingest: exit %d: %s", o.status, o.err);
	e2e_out_free(&o);
	truths = e2e_truths_in("truth/hard");
	assert_true(json_array_size(truths) >= 14);
	docs = e2e_docs_json(store);
	json_array_foreach(truths, i, t) {
		const char *file = json_string_value(json_object_get(t, "file"));
		json_t *doc = e2e_find_doc(docs, file), *tp, *dp, *tm, *dm, *d, *v;
		char id[32];
		size_t p, k;

		if (doc == NULL)
			fail_msg("%s: no document", file);
		if (strcmp(json_string_value(json_object_get(doc, "status")), "done") != 0)
			fail_msg("%s: %s", file, json_string_value(json_object_get(doc, "error")));
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(doc, "id")));
		o = e2e_run(store, "show", "--json", id, NULL);
		assert_int_equal(o.status, 0);
		d = json_loads(o.out, 0, NULL);
		assert_non_null(d);
		e2e_out_free(&o);
		tp = json_object_get(t, "pages");
		dp = json_object_get(d, "pages");
		assert_int_equal(json_array_size(dp), json_array_size(tp));
		for (p = 0; p < json_array_size(tp); p++) {
			json_t *want = json_array_get(tp, p), *got = json_array_get(dp, p);
			double cer = e2e_cer(json_string_value(json_object_get(want, "text")),
					     json_string_value(json_object_get(got, "text")));

			if (json_integer_value(json_object_get(got, "rotation")) !=
			    json_integer_value(json_object_get(want, "rotation")))
				fail_msg("%s page %zu: turned %lld, truth %lld", file, p + 1,
					 (long long)json_integer_value(json_object_get(got, "rotation")),
					 (long long)json_integer_value(json_object_get(want, "rotation")));
			assert_int_equal(json_is_true(json_object_get(got, "blank")),
					 json_is_true(json_object_get(want, "blank")));
			if (cer > MAX_PAGE_CER)
				fail_msg("%s page %zu: CER %.2f%% over %.2f%%", file, p + 1, 100 * cer,
					 100 * MAX_PAGE_CER);
		}
		tm = json_object_get(t, "metadata");
		dm = json_object_get(d, "metadata");
		same_set(file, "case number", json_object_get(tm, "case_numbers"),
			 json_object_get(dm, "case_numbers"));
		same_set(file, "personal code", json_object_get(tm, "personal_codes"),
			 json_object_get(dm, "personal_codes"));
		if (json_object_get(tm, "mrz") != NULL) {
			const char *key;

			json_object_foreach(json_object_get(tm, "mrz"), key, v)
				if (!json_equal(v, json_object_get(json_object_get(dm, "mrz"), key)))
					fail_msg("%s: mrz.%s differs from the truth", file, key);
		}
		/* dates: never one the truth lacks; the recall over all below */
		json_array_foreach(json_object_get(dm, "dates"), k, v) {
			if (!holds(json_object_get(tm, "dates"), v))
				fail_msg("%s: date %s is not in the truth", file, json_string_value(v));
			dates_found++;
		}
		dates_want += (int)json_array_size(json_object_get(tm, "dates"));
		json_decref(d);
	}
	if (dates_found < MIN_DATE_RECALL * dates_want)
		fail_msg("dates: %d of %d found", dates_found, dates_want);
	json_decref(docs);
	json_decref(truths);
}

static const kt_test_case cases[] = {
	KT_TEST(hard),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_hard", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
