/*
 * linking.c - precision and recall of case links on the samples, and the
 * review queue's cover of what the rules leave undone (issue 9; the rules:
 * docs/cases.md).
 *
 * usage: kt_bench_linking SAMPLES DOCS.jsonl QUEUE.json
 *   DOCS.jsonl   `kartoteka docs --json` of a store holding the samples
 *   QUEUE.json   `kartoteka review --json` of the same store
 * Truth: the JSON files of SAMPLES/truth, truth/pdf and truth/linking; a
 * document's true cases are its truth's "cases". Counted per (document,
 * case): a link the rules made is right when the case is true (tp), wrong
 * when not (fp); a true case not linked is a miss (fn), and it is "in the
 * queue" when the queue suggests that case for the document, or holds the
 * document as unlinked. A document of no case must be in the queue as
 * unlinked. Target: precision 100%, and every miss and every document of no
 * case in the queue. Exit 1 when a target is missed. Then the pairs of
 * documents the queue flags as the same pages scanned again (the PDF
 * samples are made from the scans, so there are some).
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long tp, fp, fn, fn_queued, none, none_queued, docs;

static int has(json_t *a, const char *s)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x)
		if (json_is_string(x) && strcmp(json_string_value(x), s) == 0)
			return 1;
	return 0;
}

/* The name after the last '/' of a path. */
static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Is doc (id) in the queue for case cn (NULL: as unlinked)? */
static int queued(json_t *q, json_int_t id, const char *cn)
{
	size_t i;
	json_t *o;

	json_array_foreach(q, i, o) {
		json_t *c = json_object_get(o, "case_number");

		if (json_integer_value(json_object_get(o, "doc_id")) != id)
			continue;
		if (cn == NULL ? strcmp(json_string_value(json_object_get(o, "reason")), "unlinked") == 0
			       : json_is_string(c) && strcmp(json_string_value(c), cn) == 0)
			return 1;
	}
	return 0;
}

static json_t *find_doc(json_t *all, const char *file)
{
	size_t i;
	json_t *d;

	json_array_foreach(all, i, d) {
		const char *src = json_string_value(json_object_get(d, "source"));

		if (src && strcmp(base(src), file) == 0 &&
		    strcmp(json_string_value(json_object_get(d, "status")), "done") == 0)
			return d;
	}
	return NULL;
}

static void one(json_t *t, json_t *all, json_t *q)
{
	const char *file = json_string_value(json_object_get(t, "file"));
	json_t *want = json_object_get(t, "cases"), *d, *got, *x;
	json_int_t id;
	size_t i;

	if (json_is_true(json_object_get(t, "expect_error")) || (d = find_doc(all, file)) == NULL)
		return;
	docs++;
	id = json_integer_value(json_object_get(d, "id"));
	got = json_object_get(d, "cases");
	json_array_foreach(got, i, x) {
		if (has(want, json_string_value(x))) {
			tp++;
		} else {
			fp++;
			printf("WRONG LINK %s -> %s\n", file, json_string_value(x));
		}
	}
	json_array_foreach(want, i, x) {
		if (has(got, json_string_value(x)))
			continue;
		fn++;
		if (queued(q, id, json_string_value(x)) || queued(q, id, NULL))
			fn_queued++;
		else
			printf("MISSED, NOT IN THE QUEUE %s -> %s\n", file, json_string_value(x));
	}
	if (json_array_size(want) == 0) {
		none++;
		if (queued(q, id, NULL))
			none_queued++;
		else
			printf("NO CASE, NOT IN THE QUEUE %s\n", file);
	}
}

static void truth_dir(const char *samples, const char *sub, json_t *all, json_t *q)
{
	char dir[2048], path[4096];
	struct dirent **names = NULL;
	int n, i;

	snprintf(dir, sizeof dir, "%s/truth%s", samples, sub);
	if ((n = scandir(dir, &names, NULL, alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		json_t *t;

		if (len > 5 && strcmp(names[i]->d_name + len - 5, ".json") == 0) {
			snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
			if ((t = json_load_file(path, 0, NULL)) != NULL)
				one(t, all, q);
			json_decref(t);
		}
		free(names[i]);
	}
	free(names);
}

/* The source file name of document id, or "?". */
static const char *file_of(json_t *all, json_int_t id)
{
	size_t i;
	json_t *d;

	json_array_foreach(all, i, d)
		if (json_integer_value(json_object_get(d, "id")) == id)
			return base(json_string_value(json_object_get(d, "source")));
	return "?";
}

/* The pairs flagged as pages scanned again (docs/cases.md, "Duplicates"). */
static void dups(json_t *all, json_t *q)
{
	size_t i, n = 0;
	json_t *o;

	json_array_foreach(q, i, o)
		n += strcmp(json_string_value(json_object_get(o, "reason")), "duplicate") == 0;
	printf("\nflagged as scanned again: %zu pair%s\n", n, n == 1 ? "" : "s");
	json_array_foreach(q, i, o) {
		if (strcmp(json_string_value(json_object_get(o, "reason")), "duplicate") != 0)
			continue;
		printf("  %s ~ %s (%.2f): %s\n",
		       file_of(all, json_integer_value(json_object_get(o, "doc_id"))),
		       file_of(all, json_integer_value(json_object_get(o, "of_doc"))),
		       json_real_value(json_object_get(o, "similarity")),
		       json_string_value(json_object_get(o, "evidence")));
	}
}

static double pct(long a, long b)
{
	return b ? 100.0 * (double)a / (double)b : 100.0;
}

int main(int argc, char **argv)
{
	json_t *all = json_array(), *q, *d;
	char line[1 << 20];
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: kt_bench_linking SAMPLES DOCS.jsonl QUEUE.json\n");
		return 2;
	}
	if ((f = fopen(argv[2], "r")) == NULL || (q = json_load_file(argv[3], 0, NULL)) == NULL) {
		fprintf(stderr, "kt_bench_linking: cannot read '%s' or '%s'\n", argv[2], argv[3]);
		return 2;
	}
	while (fgets(line, sizeof line, f))
		if ((d = json_loads(line, 0, NULL)) != NULL)
			json_array_append_new(all, d);
	fclose(f);
	truth_dir(argv[1], "", all, q);
	truth_dir(argv[1], "/pdf", all, q);
	truth_dir(argv[1], "/linking", all, q);
	printf("case links on %ld sample documents (%ld of no case)\n\n", docs, none);
	printf("links made      %5ld   right %ld, wrong %ld: precision %.1f%%\n", tp + fp, tp, fp,
	       pct(tp, tp + fp));
	printf("true links      %5ld   made %ld: recall %.1f%%\n", tp + fn, tp, pct(tp, tp + fn));
	printf("left to review  %5ld   in the queue %ld (%.1f%%)\n", fn, fn_queued, pct(fn_queued, fn));
	printf("of no case      %5ld   in the queue %ld (%.1f%%)\n", none, none_queued,
	       pct(none_queued, none));
	dups(all, q);
	json_decref(all);
	json_decref(q);
	return fp == 0 && fn_queued == fn && none_queued == none ? 0 : 1;
}
