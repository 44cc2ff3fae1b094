/*
 * test_linking_samples.c - the linking samples (samples/linking, made by
 * samples/gen_linking.c, truth in samples/truth/linking) end to end: with
 * samples/cases.csv imported, every link the rules make is one of the
 * document's true cases (precision 100%), every true case the rules may
 * find is linked, a case the truth leaves to review ("review") is a
 * suggestion in the queue and not a link, and a document of no case waits
 * in the queue as unlinked; the same letter in other bytes is flagged as a
 * duplicate for review. The samples are born-digital (no OCR).
 * Run as `test_linking_samples KARTOTEKA SAMPLES WORK`.
 */
#include "e2e.h"
#include "kt_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int in_list(json_t *a, const char *s)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x)
		if (json_is_string(x) && strcmp(json_string_value(x), s) == 0)
			return 1;
	return 0;
}

/* The queue entry of the document whose source ends in file, for case cn
 * (NULL: the "unlinked" entry). */
static json_t *queued(json_t *q, const char *file, const char *cn)
{
	size_t i, n = strlen(file);
	json_t *o;

	json_array_foreach(q, i, o) {
		const char *src = json_string_value(json_object_get(o, "source"));
		json_t *c = json_object_get(o, "case_number");
		size_t len = src ? strlen(src) : 0;

		if (len < n || strcmp(src + len - n, file) != 0)
			continue;
		if (cn == NULL ? strcmp(json_string_value(json_object_get(o, "reason")), "unlinked") == 0
			       : json_is_string(c) && strcmp(json_string_value(c), cn) == 0)
			return o;
	}
	return NULL;
}

static void test_links(void **state)
{
	char store[1024], in[1024], path[2048], dir[1024];
	struct dirent **names = NULL;
	json_t *q;
	e2e_out o;
	int n, i, checked = 0;

	(void)state;
	e2e_fresh("linking", store, sizeof store, in, sizeof in);
	snprintf(path, sizeof path, "%s/cases.csv", E2E.samples);
	o = e2e_run(store, "cases", "import", path, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(path, sizeof path, "%s/linking", E2E.samples);
	o = e2e_run(store, "ingest", path, NULL);
	if (o.status != 0)
		fail_msg("ingest: exit %d: %s", o.status, o.err);
	e2e_out_free(&o);
	o = e2e_run(store, "review", "--json", NULL);
	assert_int_equal(o.status, 0);
	q = json_loads(o.out, 0, NULL);
	assert_true(json_is_array(q));
	e2e_out_free(&o);

	snprintf(dir, sizeof dir, "%s/truth/linking", E2E.samples);
	n = scandir(dir, &names, NULL, alphasort);
	assert_true(n > 2);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name), k;
		json_t *t, *doc, *want, *review, *x;
		char file[512];

		if (len < 6 || strcmp(name + len - 5, ".json") != 0) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, name);
		t = json_load_file(path, 0, NULL);
		assert_non_null(t);
		snprintf(file, sizeof file, "%s", json_string_value(json_object_get(t, "file")));
		want = json_object_get(t, "cases");
		review = json_object_get(t, "review");
		doc = e2e_doc_of(store, file, "done");
		/* every link is a true case the rules may find; each such case linked */
		json_array_foreach(json_object_get(doc, "cases"), k, x)
			if (!in_list(want, json_string_value(x)) || in_list(review, json_string_value(x)))
				fail_msg("%s: linked to %s (truth: cases %s, review %s)", file,
					 json_string_value(x), json_dumps(want, 0), review ? json_dumps(review, 0) : "-");
		json_array_foreach(want, k, x)
			if (!in_list(review, json_string_value(x)) &&
			    !in_list(json_object_get(doc, "cases"), json_string_value(x)))
				fail_msg("%s: not linked to %s", file, json_string_value(x));
		/* what the rules must leave to a person waits in the queue */
		json_array_foreach(review, k, x)
			if (queued(q, file, json_string_value(x)) == NULL)
				fail_msg("%s: no suggestion of %s in the review queue", file,
					 json_string_value(x));
		if (json_array_size(want) == 0 && queued(q, file, NULL) == NULL)
			fail_msg("%s: of no case, but not in the review queue", file);
		json_decref(doc);
		json_decref(t);
		free(names[i]);
		checked++;
	}
	free(names);
	assert_int_equal(checked, 4);
	json_decref(q);
}

/* `review --json` of store (new reference). */
static json_t *queue_of(const char *store)
{
	e2e_out o = e2e_run(store, "review", "--json", NULL);
	json_t *q = json_loads(o.out, 0, NULL);

	assert_int_equal(o.status, 0);
	assert_true(json_is_array(q));
	e2e_out_free(&o);
	return q;
}

/* The same letter twice in other bytes (the born-digital PDF sample, and it
 * encrypted with an owner password only): the later is flagged as a
 * duplicate of the earlier for review, and leaves the queue when decided. */
static void test_rescan(void **state)
{
	static const char *const files[] = { "lv_vestule_digital.pdf", "lv_vestule_owner_only.pdf" };
	char store[1024], in[1024], from[2048], to[2048], a[32], b[32];
	json_t *q, *o = NULL, *x;
	unsigned char *data;
	size_t len, i;
	e2e_out r;

	(void)state;
	e2e_fresh("rescan", store, sizeof store, in, sizeof in);
	for (i = 0; i < 2; i++) {
		snprintf(from, sizeof from, "%s/pdf/%s", E2E.samples, files[i]);
		snprintf(to, sizeof to, "%s/%s", in, files[i]);
		data = kt_test_read_file(from, &len);
		assert_non_null(data);
		kt_test_write_file(to, data, len);
		free(data);
	}
	r = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(r.status, 0);
	e2e_out_free(&r);
	x = e2e_doc_of(store, files[0], "done");
	snprintf(a, sizeof a, "%lld", (long long)json_integer_value(json_object_get(x, "id")));
	json_decref(x);
	x = e2e_doc_of(store, files[1], "done");
	snprintf(b, sizeof b, "%lld", (long long)json_integer_value(json_object_get(x, "id")));
	json_decref(x);

	q = queue_of(store);
	json_array_foreach(q, i, x)
		if (strcmp(json_string_value(json_object_get(x, "reason")), "duplicate") == 0)
			o = x;
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "doc_id")), atoll(b));
	assert_int_equal(json_integer_value(json_object_get(o, "of_doc")), atoll(a));
	assert_true(json_real_value(json_object_get(o, "similarity")) > 0.95);
	json_decref(q);
	r = e2e_run(store, "review", "distinct", a, "999", NULL);
	assert_int_equal(r.status, 1);
	e2e_out_free(&r);
	r = e2e_run(store, "review", "duplicate", a, b, NULL);
	assert_int_equal(r.status, 0);
	e2e_out_free(&r);
	q = queue_of(store);
	json_array_foreach(q, i, x)
		assert_string_not_equal(json_string_value(json_object_get(x, "reason")), "duplicate");
	json_decref(q);
}

/* A paper file: a letter of Karimi's case and a landlord's statement with no
 * evidence of a case, scanned into one folder. `file` lists both in name
 * order, by the folder or by either document; the statement waits in the
 * queue with its paper file's case as a hint. */
static void test_paper_file(void **state)
{
	static const char *const files[][2] = {
		{ "pdf/lv_vestule_digital.pdf", "01_vestule.pdf" },
		{ "linking/link_unrelated_liepina.pdf", "02_izzina.pdf" },
	};
	char store[1024], in[1024], from[2048], to[2048], id[32], csv[2048];
	json_t *q, *x, *o = NULL;
	unsigned char *data;
	size_t len, i;
	e2e_out r;

	(void)state;
	e2e_fresh("paper", store, sizeof store, in, sizeof in);
	for (i = 0; i < 2; i++) {
		snprintf(from, sizeof from, "%s/%s", E2E.samples, files[i][0]);
		snprintf(to, sizeof to, "%s/%s", in, files[i][1]);
		data = kt_test_read_file(from, &len);
		assert_non_null(data);
		kt_test_write_file(to, data, len);
		free(data);
	}
	snprintf(csv, sizeof csv, "%s/cases.csv", E2E.samples);
	r = e2e_run(store, "cases", "import", csv, NULL);
	assert_int_equal(r.status, 0);
	e2e_out_free(&r);
	r = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(r.status, 0);
	e2e_out_free(&r);
	x = e2e_doc_of(store, files[1][1], "done");
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(x, "id")));
	json_decref(x);

	/* by the document and by the folder: the same two, in name order */
	r = e2e_run(store, "file", "--json", id, NULL);
	assert_int_equal(r.status, 0);
	x = json_loads(r.out, 0, NULL);
	e2e_out_free(&r);
	assert_int_equal(json_array_size(json_object_get(x, "documents")), 2);
	kt_expect_in(json_string_value(json_object_get(json_array_get(json_object_get(x, "documents"), 0),
						       "source")), files[0][1]);
	kt_expect_in(json_string_value(json_object_get(json_array_get(json_object_get(x, "documents"), 1),
						       "source")), files[1][1]);
	json_decref(x);
	r = e2e_run(store, "file", in, NULL);
	assert_int_equal(r.status, 0);
	kt_expect_in(r.out, "2 documents");
	e2e_out_free(&r);
	r = e2e_run(store, "file", "/nonexistent-folder", NULL);
	assert_int_equal(r.status, 1);
	e2e_out_free(&r);

	r = e2e_run(store, "review", "--json", NULL);
	assert_int_equal(r.status, 0);
	q = json_loads(r.out, 0, NULL);
	e2e_out_free(&r);
	json_array_foreach(q, i, x)
		if (json_integer_value(json_object_get(x, "doc_id")) == atoll(id))
			o = x;
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "unlinked");
	assert_string_equal(json_string_value(json_object_get(o, "paper_file_case")), "PMLP-LV-2023-004571");
	json_decref(q);
}

static const kt_test_case cases[] = {
	KT_TEST(links),
	KT_TEST(rescan),
	KT_TEST(paper_file),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_linking_samples", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
