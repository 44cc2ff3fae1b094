/*
 * test_cli_person.c - a person's own data and erased files coming back
 * (issue 21): `person --export DIR --reason TEXT` writes every case record
 * and document about the person into a new folder whose manifest checks
 * out, with person.json and summary.txt naming the fields held, audited;
 * an existing DIR, a missing reason or an unknown person are refused with
 * nothing written; an erased document is in no export. A file whose
 * document was erased is refused by `ingest`, named, unless an admin takes
 * it in again with --readmit-erased (audited; an archivist is denied): it
 * becomes a new document and the erased one stays erased.
 *
 * Each case makes its own store (lifecycle_fixture.h).
 * Run as `test_cli_person KARTOTEKA SAMPLES`.
 */
#include "lifecycle_fixture.h"
#include "kt_sha.h"
#include "kt_status.h"
#include "kt_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int setup(void **state)
{
	return lifecycle_setup(state, "kt-person");
}

/* The audit log as text (malloc'd, caller frees). */
static char *audit_text(fixture *f)
{
	e2e_out o = e2e_run(f->store, "audit", NULL);

	assert_int_equal(o.status, 0);
	free(o.err);
	return o.out;
}

/* Erase document doc: a1 asks, b1 approves. */
static void erase_doc(fixture *f, const char *doc)
{
	e2e_out o = run_as(f, "erase", "a1", NULL, 0, "request", doc, "the person asked");

	e2e_out_free(&o);
	o = run_as(f, "erase", "b1", NULL, 0, "approve", "1", NULL);
	e2e_out_free(&o);
}

/* Every line of DIR/manifest-sha256.txt names a file whose SHA-256 it
 * gives; the number of lines. */
static int check_manifest(const char *dir)
{
	char path[1200], *text, *line, *save = NULL;
	size_t len;
	int n = 0;

	snprintf(path, sizeof path, "%s/manifest-sha256.txt", dir);
	text = (char *)kt_test_read_file(path, &len);
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char hex[KT_SHA256_HEX], file[1400];
		unsigned char *data;
		size_t dlen;

		assert_true(strlen(line) > 66 && line[64] == ' ' && line[65] == ' ');
		snprintf(file, sizeof file, "%s/%s", dir, line + 66);
		data = kt_test_read_file(file, &dlen);
		if (data == NULL)
			fail_msg("manifest names %s, which is missing", file);
		assert_int_equal(kt_sha256_hex(data, dlen, hex), 0);
		if (strncmp(hex, line, 64) != 0)
			fail_msg("%s: SHA-256 %s, manifest %.64s", file, hex, line);
		free(data);
		n++;
	}
	free(text);
	return n;
}

/* No DIR.partial-* is left beside the export in f->dir. */
static void no_partial(fixture *f)
{
	DIR *d = opendir(f->dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".partial-") != NULL)
			fail_msg("left behind: %s", e->d_name);
	closedir(d);
}

/* person.json of export dir (new reference). */
static json_t *person_json(const char *dir)
{
	char path[1200];
	json_t *p;

	snprintf(path, sizeof path, "%s/person.json", dir);
	p = json_load_file(path, 0, NULL);
	assert_non_null(p);
	return p;
}

/* export: both letters of the person's case, with originals bit for bit,
 * the case record's fields, a summary and an audit row with the reason. */
static void test_export(void **state)
{
	fixture *f = *state;
	char dir[700], path[1400], *text;
	json_t *p, *docs, *d, *where;
	e2e_out o;
	size_t i, len;

	snprintf(dir, sizeof dir, "%s/sar", f->dir);
	o = e2e_run(f->store, "person", "--export", dir, "--reason", "request SAR-2026-114", "Karimi",
		    NULL);
	if (o.status != 0)
		fail_msg("person --export: exit %d: %s", o.status, o.err);
	assert_non_null(strstr(o.out, "exported 1 case and 2 documents"));
	e2e_out_free(&o);
	/* two documents, each with original, text and access copy, and the
	 * three files of the export itself */
	assert_true(check_manifest(dir) >= 2 * 2 + 2);
	no_partial(f);
	p = person_json(dir);
	assert_string_equal(json_string_value(json_object_get(p, "reason")), "request SAR-2026-114");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(p, "cases"),
									     0), "case_number")), CASE);
	docs = json_object_get(p, "documents");
	assert_int_equal(json_array_size(docs), 2);
	json_array_foreach(docs, i, d) {
		json_t *rec = json_object_get(d, "record"), *orig = json_array_get(json_object_get(d, "files"), 0);
		char hex[KT_SHA256_HEX];
		unsigned char *data;

		assert_string_equal(json_string_value(json_object_get(orig, "role")), "original");
		snprintf(path, sizeof path, "%s/%s/%s", dir, json_string_value(json_object_get(d, "folder")),
			 json_string_value(json_object_get(orig, "name")));
		data = kt_test_read_file(path, &len);
		assert_non_null(data);
		assert_int_equal(kt_sha256_hex(data, len, hex), 0);
		assert_string_equal(hex, json_string_value(json_object_get(rec, "sha256")));
		free(data);
	}
	where = json_object_get(json_object_get(json_object_get(p, "fields"),
						"case record personal_code"), "220791-14729");
	assert_non_null(where);
	assert_string_equal(json_string_value(json_array_get(where, 0)), "case:" CASE);
	json_decref(p);
	snprintf(path, sizeof path, "%s/summary.txt", dir);
	text = (char *)kt_test_read_file(path, &len);
	assert_non_null(text);
	assert_non_null(strstr(text, "220791-14729"));
	assert_non_null(strstr(text, "Karimi"));
	assert_non_null(strstr(text, "request SAR-2026-114"));
	free(text);
	text = audit_text(f);
	assert_non_null(strstr(text, "person-export"));
	assert_non_null(strstr(text, "person:Karimi reason:request SAR-2026-114"));
	free(text);
}

/* refused: an existing folder (left as it is), no reason, --json with it,
 * an unknown person (nothing written). */
static void test_export_refused(void **state)
{
	fixture *f = *state;
	char dir[700], keep[800];
	struct stat st;
	e2e_out o;

	snprintf(dir, sizeof dir, "%s/taken", f->dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(keep, sizeof keep, "%s/keep.txt", dir);
	kt_test_write_file(keep, "mine", 4);
	o = e2e_run(f->store, "person", "--export", dir, "--reason", "r", "Karimi", NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.err, "exists"));
	e2e_out_free(&o);
	assert_int_equal(stat(keep, &st), 0);
	assert_int_equal(st.st_size, 4);
	snprintf(dir, sizeof dir, "%s/new", f->dir);
	o = e2e_run(f->store, "person", "--export", dir, "Karimi", NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "--reason"));
	e2e_out_free(&o);
	o = e2e_run(f->store, "person", "--json", "--export", dir, "--reason", "r", "Karimi", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(f->store, "person", "--export", dir, "--reason", "r", "Nobody-Such", NULL);
	assert_int_equal(o.status, 1);
	e2e_out_free(&o);
	assert_int_not_equal(stat(dir, &st), 0);
	no_partial(f);
}

/* erased: an erased document is in no export. */
static void test_export_erased(void **state)
{
	fixture *f = *state;
	char dir[700], path[800], sha[65], *text;
	json_t *p, *d;
	size_t len;
	e2e_out o;

	d = e2e_doc_of(f->store, "vestule_copy.pdf", "done");
	snprintf(sha, sizeof sha, "%s", json_string_value(json_object_get(d, "sha256")));
	json_decref(d);
	erase_doc(f, f->doc1);
	snprintf(dir, sizeof dir, "%s/sar", f->dir);
	o = e2e_run(f->store, "person", "--export", dir, "--reason", "r", "220791-14729", NULL);
	if (o.status != 0)
		fail_msg("person --export: exit %d: %s", o.status, o.err);
	e2e_out_free(&o);
	check_manifest(dir);
	p = person_json(dir);
	assert_int_equal(json_array_size(json_object_get(p, "documents")), 1);
	d = json_array_get(json_object_get(p, "documents"), 0);
	assert_int_equal(json_integer_value(json_object_get(d, "id")), atoll(f->doc2));
	json_decref(p);
	snprintf(path, sizeof path, "%s/person.json", dir);
	text = (char *)kt_test_read_file(path, &len);
	assert_non_null(text);
	assert_null(strstr(text, sha));
	free(text);
}

/* `ingest --readmit-erased` with the password line pw of user. */
static e2e_out readmit(fixture *f, const char *user, const char *path)
{
	e2e_out o;

	stdin_from(f, pw_of(user));
	o = e2e_run(f->store, "ingest", "--readmit-erased", "--user", user, path, NULL);
	stdin_back();
	return o;
}

/* readmit: refused unnamed, denied to an archivist, done by an admin as a
 * new document; the erased one stays erased. */
static void test_readmit(void **state)
{
	fixture *f = *state;
	char path[800], *text;
	json_t *docs, *d;
	size_t i;
	int erased = 0, done = 0;
	e2e_out o;

	erase_doc(f, f->doc2);
	snprintf(path, sizeof path, "%s/lv_vestule_digital.pdf", f->in);
	o = e2e_run(f->store, "ingest", path, NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "was erased on"));
	e2e_out_free(&o);
	o = e2e_run(f->store, "ingest", "--readmit-erased", path, NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = readmit(f, "a1", path);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.err, "only admins"));
	e2e_out_free(&o);
	o = readmit(f, "b1", path);
	if (o.status != 0)
		fail_msg("readmit by b1: exit %d: %s%s", o.status, o.out, o.err);
	assert_non_null(strstr(o.err, "taken in again by b1"));
	e2e_out_free(&o);
	docs = e2e_docs_json(f->store);
	json_array_foreach(docs, i, d) {
		const char *st = json_string_value(json_object_get(d, "status"));

		if (json_integer_value(json_object_get(d, "id")) == atoll(f->doc2))
			erased += strcmp(st, "erased") == 0;
		else if (strstr(json_string_value(json_object_get(d, "source")) ?
				json_string_value(json_object_get(d, "source")) : "", "lv_vestule_digital.pdf"))
			done += strcmp(st, "done") == 0;
	}
	json_decref(docs);
	assert_int_equal(erased, 1);
	assert_int_equal(done, 1);
	o = e2e_run(f->store, "ingest", path, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	text = audit_text(f);
	assert_non_null(strstr(text, "readmit-erased"));
	assert_non_null(strstr(text, "denied"));
	free(text);
}

static const kt_test_case cases[] = {
	KT_TEST_FX(export, setup, lifecycle_teardown),
	KT_TEST_FX(export_refused, setup, lifecycle_teardown),
	KT_TEST_FX(export_erased, setup, lifecycle_teardown),
	KT_TEST_FX(readmit, setup, lifecycle_teardown),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_person", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES", .n_args = 2, .init = lifecycle_init,
	};

	return kt_test_main(&prog, argc, argv);
}
