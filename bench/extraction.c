/*
 * extraction.c - precision and recall of each extracted field on the samples.
 *
 * usage: kartoteka --store ST docs --json | kt_bench_extraction SAMPLES
 * Compares every done document with samples/truth/<name>.json: list fields
 * (case numbers, personal codes, dates, case links) item by item, the
 * document type and each MRZ field as a whole value.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tally {
	const char *name;
	long tp, fp, fn;
} tally;

static tally fields[32];
static int nfields;

static tally *field(const char *name)
{
	int i;

	for (i = 0; i < nfields; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	fields[nfields].name = name;
	return &fields[nfields++];
}

static int contains(json_t *arr, json_t *v)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		if (json_equal(x, v))
			return 1;
	return 0;
}

static void compare_list(const char *name, json_t *want, json_t *got)
{
	tally *t = field(name);
	size_t i;
	json_t *v;

	json_array_foreach(got, i, v)
		contains(want, v) ? t->tp++ : t->fp++;
	json_array_foreach(want, i, v)
		if (!contains(got, v))
			t->fn++;
}

static void compare_value(const char *name, json_t *want, json_t *got)
{
	tally *t = field(name);

	if (want == NULL && got == NULL)
		return;
	if (want != NULL && got != NULL && json_equal(want, got)) {
		t->tp++;
		return;
	}
	if (got != NULL)
		t->fp++;
	if (want != NULL)
		t->fn++;
}

static json_t *find_doc(json_t *docs, const char *file)
{
	size_t i, fl = strlen(file);
	json_t *d;

	json_array_foreach(docs, i, d) {
		const char *s = json_string_value(json_object_get(d, "source"));
		size_t sl = s ? strlen(s) : 0;

		if (sl >= fl && strcmp(s + sl - fl, file) == 0 && (sl == fl || s[sl - fl - 1] == '/'))
			return d;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const char *const mrz_keys[] = { "format", "document_type", "issuer", "surname",
		"given_names", "document_number", "nationality", "birth_date", "sex", "expiry_date",
		"optional_data", "valid", "line1", "line2", "line3" };
	json_t *docs = json_array();
	char line[1 << 20], path[4096];
	DIR *d;
	struct dirent *de;
	int ndocs = 0, i;
	long tp = 0, fp = 0, fn = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: kartoteka docs --json | kt_bench_extraction SAMPLES\n");
		return 2;
	}
	while (fgets(line, sizeof line, stdin) != NULL) {
		json_t *v = json_loads(line, 0, NULL);

		if (v != NULL)
			json_array_append_new(docs, v);
	}
	snprintf(path, sizeof path, "%s/truth", argv[1]);
	d = opendir(path);
	if (d == NULL) {
		perror(path);
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		json_t *t, *doc, *tm, *dm, *tmrz, *dmrz;
		size_t k;

		if (strstr(de->d_name, ".json") == NULL)
			continue;
		snprintf(path, sizeof path, "%s/truth/%s", argv[1], de->d_name);
		t = json_load_file(path, 0, NULL);
		if (t == NULL || json_is_true(json_object_get(t, "expect_error"))) {
			json_decref(t);
			continue;
		}
		doc = find_doc(docs, json_string_value(json_object_get(t, "file")));
		tm = json_object_get(t, "metadata");
		dm = doc ? json_object_get(doc, "metadata") : NULL;
		ndocs++;
		compare_list("case_numbers", json_object_get(tm, "case_numbers"), json_object_get(dm, "case_numbers"));
		compare_list("personal_codes", json_object_get(tm, "personal_codes"), json_object_get(dm, "personal_codes"));
		compare_list("dates", json_object_get(tm, "dates"), json_object_get(dm, "dates"));
		compare_list("case links", json_object_get(t, "cases"), doc ? json_object_get(doc, "cases") : NULL);
		compare_value("doc_type", json_object_get(tm, "doc_type"), json_object_get(dm, "doc_type"));
		tmrz = json_object_get(tm, "mrz");
		dmrz = json_object_get(dm, "mrz");
		for (k = 0; k < sizeof mrz_keys / sizeof mrz_keys[0]; k++) {
			char *name = malloc(64);

			snprintf(name, 64, "mrz.%s", mrz_keys[k]);
			compare_value(name, json_object_get(tmrz, mrz_keys[k]), json_object_get(dmrz, mrz_keys[k]));
		}
		json_decref(t);
	}
	closedir(d);
	printf("extraction on %d sample documents\n\n", ndocs);
	printf("%-20s %5s %5s %5s %10s %8s\n", "field", "tp", "fp", "fn", "precision", "recall");
	for (i = 0; i < nfields; i++) {
		tally *t = &fields[i];

		if (t->tp + t->fp + t->fn == 0)
			continue;
		printf("%-20s %5ld %5ld %5ld %9.1f%% %7.1f%%\n", t->name, t->tp, t->fp, t->fn,
		       t->tp + t->fp ? 100.0 * t->tp / (t->tp + t->fp) : 100.0,
		       t->tp + t->fn ? 100.0 * t->tp / (t->tp + t->fn) : 100.0);
		tp += t->tp;
		fp += t->fp;
		fn += t->fn;
	}
	printf("%-20s %5ld %5ld %5ld %9.1f%% %7.1f%%\n", "all", tp, fp, fn,
	       tp + fp ? 100.0 * tp / (tp + fp) : 100.0, tp + fn ? 100.0 * tp / (tp + fn) : 100.0);
	json_decref(docs);
	return 0;
}
