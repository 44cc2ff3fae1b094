/*
 * test_erase.c - erasure leaves nothing behind (issue 21, kt_erase): two
 * PDF samples ingested, the born-digital letter erased with kt_erase (the
 * engine; the four-eyes requests around it are tests/cli/test_cli_erase.c),
 * then:
 *   gone      docs --json prints its tombstone only ({"id", "sha256",
 *             "status": "erased", "erased"}); show refuses it; a word only
 *             its text holds and a run of its original's bytes are found in
 *             no file under the store folder (every file read); search finds
 *             the word nowhere; the other document is whole and verify
 *             passes, naming the erased one as erased on purpose; the
 *             archive folder holds its tombstone with the PREMIS event
 *   rebuilt   rebuild from the archive alone leaves it erased, the other
 *             document back; ingesting the same file again is refused,
 *             named, as erased; kt_erase again is a no-op that succeeds
 * Run as `test_erase KARTOTEKA SAMPLES WORK`.
 */
#define _GNU_SOURCE /* memmem */
#include "e2e.h"

#include "kt_catalog.h"
#include "kt_pipeline.h"
#include "kt_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GONE "lv_vestule_digital.pdf"
#define KEPT "en_letter_rotate90.pdf"
#define WORD "noliktavas" /* in the letter's text, in no other sample */

static char store[1024], in[1024];

/* Bytes of a file (at most 64 MiB); NULL when unreadable. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;

	*len = 0;
	if (f == NULL)
		return NULL;
	b = malloc(64 << 20);
	if (b != NULL)
		*len = fread(b, 1, 64 << 20, f);
	fclose(f);
	return b;
}

/* How many files under dir hold needle[0..n). */
static int files_holding(const char *dir, const void *needle, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			found += files_holding(path, needle, n);
		} else if (S_ISREG(st.st_mode)) {
			size_t len;
			char *b = slurp(path, &len);

			if (b != NULL && memmem(b, len, needle, n) != NULL) {
				print_message("found in %s\n", path);
				found++;
			}
			free(b);
		}
	}
	closedir(d);
	return found;
}

static long long id_of(const char *file)
{
	json_t *d = e2e_doc_of(store, file, "done");
	long long id = (long long)json_integer_value(json_object_get(d, "id"));

	json_decref(d);
	return id;
}

static int erase(long long id)
{
	kt_store *s = NULL;
	kt_error err = { 0 };
	kt_erase_info info = { .reason = "retention period over", .requested_by = "arch1",
			       .approved_by = "admin2", .request_id = 7 };
	int rc;

	assert_int_equal(kt_store_open(store, KT_STORE_WRITE, &s, &err), KT_OK);
	rc = kt_erase(s, id, &info, &err);
	if (rc != KT_OK)
		print_message("kt_erase: %s\n", err.msg);
	kt_store_free(&s);
	return rc;
}

static void check_docs(long long gone, int kept_present)
{
	json_t *docs = e2e_docs_json(store), *d;
	size_t i;
	int saw_gone = 0, saw_kept = 0;

	json_array_foreach(docs, i, d) {
		if (json_integer_value(json_object_get(d, "id")) == gone) {
			saw_gone = 1;
			assert_string_equal(json_string_value(json_object_get(d, "status")), "erased");
			assert_int_equal(json_object_size(d), 4); /* id, sha256, status, erased */
			assert_null(json_object_get(d, "source"));
		} else if (strstr(json_string_value(json_object_get(d, "source")), KEPT)) {
			saw_kept = 1;
			assert_string_equal(json_string_value(json_object_get(d, "status")), "done");
		}
	}
	assert_true(saw_gone);
	assert_int_equal(saw_kept, kept_present);
	json_decref(docs);
}

static void test_gone(void **state)
{
	char path[2048], id[32], *orig;
	size_t len;
	long long gone;
	e2e_out o;

	(void)state;
	e2e_fresh("gone", store, sizeof store, in, sizeof in);
	e2e_copy_sample("pdf/" GONE, in, GONE, "");
	e2e_copy_sample("pdf/" KEPT, in, KEPT, "");
	o = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	gone = id_of(GONE);
	snprintf(path, sizeof path, "%s/%s", in, GONE);
	orig = slurp(path, &len);
	assert_non_null(orig);
	assert_true(len > 4096);
	/* a copy of the catalog made before a schema upgrade holds them too
	 * (kt_catalog_open): the erasure shreds it */
	snprintf(path, sizeof path, "%s/catalog.sqlite" KT_CATALOG_COPY_INFIX "6", store);
	{
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(WORD, 1, strlen(WORD), f), strlen(WORD));
		assert_int_equal(fwrite(orig + len / 2, 1, 64, f), 64);
		assert_int_equal(fclose(f), 0);
	}
	/* before: the word and the original are in the store */
	assert_true(files_holding(store, WORD, strlen(WORD)) > 1);
	assert_true(files_holding(store, orig + len / 2, 64) > 0);
	assert_int_equal(erase(gone), KT_OK);
	/* after: in no file under the store folder */
	assert_int_equal(files_holding(store, WORD, strlen(WORD)), 0);
	assert_int_equal(files_holding(store, orig + len / 2, 64), 0);
	assert_int_equal(files_holding(store, orig, 64), 0);
	free(orig);
	check_docs(gone, 1);
	snprintf(id, sizeof id, "%lld", gone);
	o = e2e_run(store, "show", id, NULL);
	assert_int_not_equal(o.status, 0);
	e2e_out_free(&o);
	o = e2e_run(store, "search", "--json", WORD, NULL);
	assert_int_equal(o.status, 0);
	assert_null(strstr(o.out, "\"id\""));
	e2e_out_free(&o);
	o = e2e_run(store, "verify", NULL);
	if (o.status != 0)
		print_message("verify: %s %s\n", o.out, o.err);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "erased on purpose");
	e2e_out_free(&o);
	/* the tombstone: who, why, the PREMIS event, no file name */
	{
		json_t *docs = e2e_docs_json(store), *d, *t;
		const char *sha = NULL;
		size_t i;
		char *text;

		json_array_foreach(docs, i, d)
			if (json_integer_value(json_object_get(d, "id")) == gone)
				sha = json_string_value(json_object_get(d, "sha256"));
		assert_non_null(sha);
		snprintf(path, sizeof path, "%s/archive/%.2s/kt-%08lld-erased.json", store, sha, gone);
		text = slurp(path, &len);
		assert_non_null(text);
		text[len < (64 << 20) ? len : len - 1] = 0;
		t = json_loads(text, 0, NULL);
		assert_non_null(t);
		assert_string_equal(json_string_value(json_object_get(t, "approved_by")), "admin2");
		assert_string_equal(json_string_value(json_object_get(t, "requested_by")), "arch1");
		assert_string_equal(json_string_value(json_object_get(t, "reason")), "retention period over");
		assert_string_equal(json_string_value(json_object_get(json_object_get(t, "premis_event"),
								      "eventType")), "deletion");
		assert_null(strstr(text, GONE));
		json_decref(t);
		free(text);
		json_decref(docs);
	}
}

static void test_rebuilt(void **state)
{
	e2e_out o;
	long long gone;

	(void)state;
	e2e_fresh("rebuilt", store, sizeof store, in, sizeof in);
	e2e_copy_sample("pdf/" GONE, in, GONE, "");
	e2e_copy_sample("pdf/" KEPT, in, KEPT, "");
	o = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	gone = id_of(GONE);
	assert_int_equal(erase(gone), KT_OK);
	o = e2e_run(store, "rebuild", "--force", NULL);
	if (o.status != 0)
		print_message("rebuild: %s\n", o.err);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	check_docs(gone, 1);
	/* the same file again: refused, named */
	o = e2e_run(store, "ingest", in, NULL);
	assert_int_not_equal(o.status, 0);
	kt_expect_in(o.err, "was erased");
	kt_expect_in(o.err, GONE);
	e2e_out_free(&o);
	check_docs(gone, 1);
	/* erasing again finishes nothing more and fails nothing */
	assert_int_equal(erase(gone), KT_OK);
}

static const kt_test_case cases[] = {
	KT_TEST(gone),
	KT_TEST(rebuilt),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_erase", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
