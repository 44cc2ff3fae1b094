/*
 * extraction.c - precision and recall of each extracted field on the samples.
 *
 * usage: kartoteka --store ST docs --json | kt_bench_extraction SAMPLES
 * Compares every done document with samples/truth/<name>.json and the hard
 * samples' samples/truth/hard/<name>.json (issue 19): list fields (case
 * numbers, personal codes, dates, names, case links) item by item, the
 * document type and each MRZ field as a whole value. Each miss and each
 * extra value is printed with its file before the table.
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

static const char *current; /* the truth file compared */

static void say(const char *what, const char *name, json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	printf("  %s: %s %s %s\n", current, name, what, s ? s : "?");
	free(s);
}

static void compare_list(const char *name, json_t *want, json_t *got)
{
	tally *t = field(name);
	size_t i;
	json_t *v;

	json_array_foreach(got, i, v) {
		if (contains(want, v)) {
			t->tp++;
		} else {
			t->fp++;
			say("extra", name, v);
		}
	}
	json_array_foreach(want, i, v)
		if (!contains(got, v)) {
			t->fn++;
			say("missed", name, v);
		}
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
	if (got != NULL) {
		t->fp++;
		say("wrong", name, got);
	}
	if (want != NULL)
		t->fn++;
}

/* names as "SURNAME, GIVEN NAMES" strings (new array), whatever else the
 * objects hold */
static json_t *name_list(json_t *names)
{
	json_t *out = json_array(), *n;
	size_t i;

	json_array_foreach(names, i, n) {
		char buf[512];

		snprintf(buf, sizeof buf, "%s, %s",
			 json_string_value(json_object_get(n, "surname")) ?: "",
			 json_string_value(json_object_get(n, "given_names")) ?: "");
		json_array_append_new(out, json_string(buf));
	}
	return out;
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

/* Compare the document of the truth file at path with its truth; 1 when
 * compared, 0 when the truth expects an error. */
static int compare_doc(json_t *docs, const char *path, const char *name)
{
	static const char *const mrz_keys[] = { "format", "document_type", "issuer", "surname",
		"given_names", "document_number", "nationality", "birth_date", "sex", "expiry_date",
		"optional_data", "valid", "line1", "line2", "line3" };
	static char mrz_names[sizeof mrz_keys / sizeof mrz_keys[0]][32];
	json_t *t = json_load_file(path, 0, NULL), *doc, *tm, *dm, *tmrz, *dmrz, *tn, *dn;
	size_t k;

	if (t == NULL || json_is_true(json_object_get(t, "expect_error"))) {
		json_decref(t);
		return 0;
	}
	current = name;
	doc = find_doc(docs, json_string_value(json_object_get(t, "file")));
	if (doc == NULL)
		printf("  %s: no document\n", name);
	tm = json_object_get(t, "metadata");
	dm = doc ? json_object_get(doc, "metadata") : NULL;
	compare_list("case_numbers", json_object_get(tm, "case_numbers"), json_object_get(dm, "case_numbers"));
	compare_list("personal_codes", json_object_get(tm, "personal_codes"), json_object_get(dm, "personal_codes"));
	compare_list("dates", json_object_get(tm, "dates"), json_object_get(dm, "dates"));
	compare_list("case links", json_object_get(t, "cases"), doc ? json_object_get(doc, "cases") : NULL);
	/* names: where the truth lists them (the hard samples) */
	if (json_object_get(tm, "names") != NULL) {
		tn = name_list(json_object_get(tm, "names"));
		dn = name_list(json_object_get(dm, "names"));
		compare_list("names", tn, dn);
		json_decref(tn);
		json_decref(dn);
	}
	compare_value("doc_type", json_object_get(tm, "doc_type"), json_object_get(dm, "doc_type"));
	tmrz = json_object_get(tm, "mrz");
	dmrz = json_object_get(dm, "mrz");
	for (k = 0; k < sizeof mrz_keys / sizeof mrz_keys[0]; k++) {
		snprintf(mrz_names[k], sizeof mrz_names[k], "mrz.%s", mrz_keys[k]);
		compare_value(mrz_names[k], json_object_get(tmrz, mrz_keys[k]), json_object_get(dmrz, mrz_keys[k]));
	}
	json_decref(t);
	return 1;
}

int main(int argc, char **argv)
{
	json_t *docs = json_array();
	static char line[1 << 20];
	char path[8192], dir[4096];
	DIR *d;
	struct dirent *de;
	int ndocs = 0, i, set;
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
	for (set = 0; set < 2; set++) {
		snprintf(dir, sizeof dir, "%s/%s", argv[1], set == 0 ? "truth" : "truth/hard");
		d = opendir(dir);
		if (d == NULL) {
			if (set == 0) {
				perror(dir);
				return 2;
			}
			continue;
		}
		while ((de = readdir(d)) != NULL)
			if (strstr(de->d_name, ".json") != NULL) {
				snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
				ndocs += compare_doc(docs, path, de->d_name);
			}
		closedir(d);
	}
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
