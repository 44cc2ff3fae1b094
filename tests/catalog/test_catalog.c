/*
 * test_catalog.c - the catalog (SQLite) and the case records CSV reader.
 * Each test works in its own temporary folder.
 */
#include "kt_catalog.h"
#include "cases_csv.h"
#include "kt_text.h"

#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
	char dir[256];
	char db[300];
	kt_catalog *c;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	assert_int_equal(kt_test_mkdtemp(f->dir, sizeof f->dir, "catalog"), 0);
	snprintf(f->db, sizeof f->db, "%s/catalog.sqlite", f->dir);
	f->c = kt_catalog_new();
	assert_int_equal(kt_catalog_open(f->c, f->db, 0), KT_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kt_catalog_free(&f->c);
	kt_catalog_free(&f->c); /* freeing twice is a no-op */
	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

static char *write_file(fixture *f, const char *name, const char *text)
{
	static char path[600];

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	kt_test_write_file(path, text, strlen(text));
	return path;
}

/* ------------------------------------------------------------------ CSV */

static void test_csv_quoting(void **state)
{
	fixture *f = *state;
	const char *path = write_file(f, "q.csv",
		"\xEF\xBB\xBF" "a,b,c\r\n"
		"\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
		",,\n"
		"last,row,no-newline");
	kt_csv *csv;
	kt_error err = { 0 };
	char **row;
	int n;

	assert_int_equal(kt_csv_open(path, &csv, &err), KT_OK);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(row[0], "a"); /* the byte order mark is gone */
	kt_csv_row_free(&row, n);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(row[0], "x, y");
	assert_string_equal(row[1], "say \"hi\"");
	assert_string_equal(row[2], "two\nlines");
	assert_int_equal(kt_csv_line(csv), 2);
	kt_csv_row_free(&row, n);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(row[2], "");
	assert_int_equal(kt_csv_line(csv), 4); /* the quoted line break counted */
	kt_csv_row_free(&row, n);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_string_equal(row[2], "no-newline");
	kt_csv_row_free(&row, n);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_null(row);
	kt_csv_free(&csv);
}

static void test_csv_errors(void **state)
{
	fixture *f = *state;
	kt_csv *csv;
	kt_error err = { 0 };
	char **row;
	int n;
	const char *path = write_file(f, "bad.csv", "a,b\n\"open,quote\n");

	assert_int_equal(kt_csv_open("/nonexistent/x.csv", &csv, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "/nonexistent/x.csv"));
	assert_int_equal(kt_csv_open(path, &csv, &err), KT_OK);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	kt_csv_row_free(&row, n);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "line 2"));
	kt_csv_free(&csv);
	kt_csv_free(&csv);
}

/* ---------------------------------------------------------------- cases */

typedef struct rejects {
	long lines[8];
	int n;
} rejects;

static void on_reject(void *ctx, long line, const char *reason)
{
	rejects *r = ctx;

	assert_non_null(reason);
	if (r->n < 8)
		r->lines[r->n++] = line;
}

static const char header[] =
	"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status,officer\n";

static void test_cases_import(void **state)
{
	fixture *f = *state;
	char text[2048];
	long added, updated, rejected;
	rejects r = { { 0 }, 0 };
	json_t *c;
	const char *path;

	snprintf(text, sizeof text, "%s%s%s%s%s", header,
		 "PMLP-LV-2023-000001,010190-11111,Bērziņa,Anna,1990-01-01,LVA,asylum,open,jkalnins\n",
		 "PMLP-LV-2023-000002,,Ivanov,Ivan,1990-13,RUS,visa,open,x\n",           /* bad date */
		 "PMLP-LV-2023-000003,only,three\n",                                       /* short row */
		 ",,No,Number,,,,,\n");                                                    /* no number */
	path = write_file(f, "cases.csv", text);
	assert_int_equal(kt_catalog_cases_import(f->c, path, &added, &updated, &rejected, on_reject, &r),
			 KT_OK);
	assert_int_equal(added, 1);
	assert_int_equal(updated, 0);
	assert_int_equal(rejected, 3);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.lines[0], 3);
	assert_int_equal(r.lines[1], 4);
	assert_int_equal(r.lines[2], 5);
	c = kt_catalog_case_json(f->c, "PMLP-LV-2023-000001");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "surname")), "Bērziņa");
	/* an extra column is kept */
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "extra"), "officer")),
			    "jkalnins");
	json_decref(c);

	/* Re-import: a changed row updates, a new one adds, nothing is lost. */
	snprintf(text, sizeof text, "%s%s%s", header,
		 "PMLP-LV-2023-000001,010190-11111,Bērziņa,Anna Marija,1990-01-01,LVA,asylum,closed,jk\n",
		 "PMLP-LV-2023-000009,,Ozols,Jānis,,LVA,visa,open,\n");
	path = write_file(f, "cases2.csv", text);
	assert_int_equal(kt_catalog_cases_import(f->c, path, &added, &updated, &rejected, NULL, NULL),
			 KT_OK);
	assert_int_equal(added, 1);
	assert_int_equal(updated, 1);
	c = kt_catalog_case_json(f->c, "PMLP-LV-2023-000001");
	assert_string_equal(json_string_value(json_object_get(c, "status")), "closed");
	json_decref(c);
	assert_null(kt_catalog_case_json(f->c, "NOPE-1"));
	assert_non_null(strstr(kt_catalog_errmsg(f->c), "NOPE-1"));
}

static void test_cases_missing_column(void **state)
{
	fixture *f = *state;
	long a, u, r;
	const char *path = write_file(f, "x.csv", "number,surname\nX-1,Y\n");

	assert_int_equal(kt_catalog_cases_import(f->c, path, &a, &u, &r, NULL, NULL), KT_FAILED);
	assert_non_null(strstr(kt_catalog_errmsg(f->c), "case_number"));
}

/* ------------------------------------------------------------ documents */

static const char sha_a[] = "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111";
static const char sha_b[] = "aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222";

static void test_documents(void **state)
{
	fixture *f = *state;
	long long batch, id, id2, again, *ids;
	enum kt_doc_status st;
	char *reason;
	int n;
	json_t *meta, *doc;
	char *want, *got;
	kt_doc_meta m = { 0 };
	kt_catalog_page pages[2] = {
		{ .n = 1, .rotation = 90, .blank = 0, .confidence = 91, .skew = 1.5, .lang = "lav",
		  .text = "Lēmums\nPMLP-LV-2023-000001\n" },
		{ .n = 2, .blank = 1, .lang = "", .text = "" },
	};
	const char name[] = "dir/sk\xe4n.tif"; /* not UTF-8 */
	long added, updated, rejected;
	const char *path;

	assert_int_equal(kt_catalog_batch_start(f->c, "b1", "dir", &batch), KT_OK);
	assert_int_equal(kt_catalog_doc_find(f->c, sha_a, &id, &st, NULL), KT_OK);
	assert_int_equal(st, KT_DOC_NONE);
	assert_int_equal(kt_catalog_doc_reserve(f->c, sha_a, name, strlen(name), "tiff", batch, &id), KT_OK);
	assert_true(id > 0);
	/* reserving again keeps the id */
	assert_int_equal(kt_catalog_doc_reserve(f->c, sha_a, name, strlen(name), "tiff", batch, &again), KT_OK);
	assert_int_equal(again, id);
	assert_int_equal(kt_catalog_doc_find(f->c, sha_a, &again, &st, NULL), KT_OK);
	assert_int_equal(st, KT_DOC_PROCESSING);

	meta = json_pack("{s:[s],s:[s],s:[s],s:s}", "case_numbers", "PMLP-LV-2023-000001",
			 "personal_codes", "010190-11111", "dates", "2023-03-14", "doc_type", "decision");
	assert_int_equal(kt_doc_meta_from_json(meta, &m, NULL), KT_OK);
	assert_int_equal(kt_catalog_doc_done(f->c, id, "tiff", "aa/kt.tar", 1, &m, pages, 2), KT_OK);
	kt_doc_meta_release(&m);
	assert_int_equal(kt_catalog_doc_find(f->c, sha_a, &again, &st, NULL), KT_OK);
	assert_int_equal(st, KT_DOC_DONE);

	doc = kt_catalog_doc_json(f->c, id);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "source")), "dir/sk\\xe4n.tif");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "done");
	assert_int_equal(json_array_size(json_object_get(doc, "pages")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(doc, "pages"), 0),
							     "rotation")), 90);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(doc, "pages"), 1), "blank")));
	assert_int_equal(json_array_size(json_object_get(doc, "cases")), 0); /* no case records yet */
	/* the metadata as given, keys sorted */
	want = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
	got = json_dumps(json_object_get(doc, "metadata"), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(got, want);
	free(want);
	free(got);
	json_decref(meta);
	json_decref(doc);

	/* Importing the case afterwards links the document, by number and by code. */
	path = write_file(f, "c.csv",
		"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status\n"
		"PMLP-LV-2023-000001,,A,B,,,,\n"
		"PMLP-LV-2020-000777,010190-11111,A,B,,,,\n");
	assert_int_equal(kt_catalog_cases_import(f->c, path, &added, &updated, &rejected, NULL, NULL), KT_OK);
	doc = kt_catalog_doc_json(f->c, id);
	assert_int_equal(json_array_size(json_object_get(doc, "cases")), 2);
	json_decref(doc);
	assert_int_equal(kt_catalog_case_doc_ids(f->c, "PMLP-LV-2020-000777", &ids, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], id);
	free(ids);

	/* A failure keeps its reason. */
	assert_int_equal(kt_catalog_doc_reserve(f->c, sha_b, "b.png", 5, "png", batch, &id2), KT_OK);
	assert_int_equal(kt_catalog_doc_fail(f->c, id2, "cannot read 'b.png': corrupt"), KT_OK);
	assert_int_equal(kt_catalog_doc_find(f->c, sha_b, &again, &st, &reason), KT_OK);
	assert_int_equal(st, KT_DOC_FAILED);
	assert_string_equal(reason, "cannot read 'b.png': corrupt");
	free(reason);

	/* Resolving DOC: by id, by unique prefix; an ambiguous prefix is refused. */
	assert_int_equal(kt_catalog_doc_resolve(f->c, "aaaa1", &again), KT_OK);
	assert_int_equal(again, id);
	assert_int_equal(kt_catalog_doc_resolve(f->c, "AAAA2", &again), KT_OK);
	assert_int_equal(again, id2);
	assert_int_equal(kt_catalog_doc_resolve(f->c, "aaaa", &again), KT_FAILED);
	assert_non_null(strstr(kt_catalog_errmsg(f->c), "more than one"));
	assert_int_equal(kt_catalog_doc_resolve(f->c, "zz';--", &again), KT_FAILED);

	assert_int_equal(kt_catalog_doc_ids(f->c, "unindexed", &ids, &n), KT_OK);
	assert_int_equal(n, 1);
	free(ids);
	assert_int_equal(kt_catalog_doc_set_indexed(f->c, id), KT_OK);
	assert_int_equal(kt_catalog_doc_ids(f->c, "unindexed", &ids, &n), KT_OK);
	assert_int_equal(n, 0);
	free(ids);

	assert_int_equal(kt_catalog_batch_file(f->c, batch, "b.png", 5, id2, KT_OUTCOME_FAILED, "corrupt"), KT_OK);
	assert_int_equal(kt_catalog_batch_finish(f->c, batch), KT_OK);
	doc = kt_catalog_batches_json(f->c);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(doc, 0), "failed")), 1);
	json_decref(doc);
}

/* A document put back from its package's record (rebuild): the row, the
 * source as bytes, the pages, the metadata as stored by doc_done, the fields
 * (seen through the case links they make) and the batch by name. */
static void test_doc_restore(void **state)
{
	static const char record[] =
		"{\"id\": 7, \"source\": \"dir/sk\\\\xe4n.tif\", \"sha256\": \"%s\","
		" \"format\": \"png\", \"batch\": \"old batch\", \"ocr_engine\": \"tesseract 5\","
		" \"pages\": [{\"n\": 1, \"rotation\": 180, \"skew\": -0.25, \"blank\": false,"
		" \"lang\": \"lit\", \"confidence\": 88, \"text\": \"Prašymas\\nLT-2024-5\"},"
		" {\"n\": 2, \"rotation\": 0, \"skew\": 0, \"blank\": true, \"lang\": \"\","
		" \"confidence\": 0, \"text\": \"\"}],"
		" \"metadata\": {\"personal_codes\": [\"39001010001\"], \"dates\": [\"2024-01-02\"],"
		" \"case_numbers\": [\"LT-2024-5\"], \"doc_type\": \"application\","
		" \"doc_type_evidence\": [\"prašymas\"], \"names\": [{\"surname\": \"Jonaitis\","
		" \"given_names\": \"Jonas\"}], \"personal_code_candidates\": [],"
		" \"personal_code_countries\": {\"39001010001\": \"LT\"}, \"future\": {\"b\": 1, \"a\": 2}}}";
	fixture *f = *state;
	char text[2048], *want, *got;
	json_t *j, *doc;
	kt_doc *rec = NULL, *back = NULL;
	long added, updated, rejected;
	const char *path;

	snprintf(text, sizeof text, record, sha_a);
	j = json_loads(text, 0, NULL);
	assert_non_null(j);
	assert_int_equal(kt_doc_from_json(j, &rec, NULL), KT_OK);
	assert_int_equal(kt_catalog_doc_restore(f->c, rec, "00/00/7/v1.tar", 1), KT_OK);
	assert_int_equal(kt_catalog_doc_get(f->c, 7, &back), KT_OK);
	assert_int_equal(back->status, KT_DOC_DONE);
	assert_int_equal(back->source_len, strlen("dir/sk\xe4n.tif"));
	assert_memory_equal(back->source, "dir/sk\xe4n.tif", back->source_len);
	assert_string_equal(back->sha256, sha_a);
	assert_string_equal(back->format, "png");
	assert_string_equal(back->batch, "old batch");
	assert_string_equal(back->package, "00/00/7/v1.tar");
	assert_int_equal(back->n_pages, 2);
	assert_int_equal(back->pages[0].rotation, 180);
	assert_true(back->pages[0].skew == -0.25);
	assert_string_equal(back->pages[0].text, "Prašymas\nLT-2024-5");
	assert_int_equal(back->pages[1].blank, 1);
	/* the metadata column: the record's metadata, compact, keys sorted */
	want = json_dumps(json_object_get(j, "metadata"), JSON_COMPACT | JSON_SORT_KEYS);
	doc = kt_doc_meta_to_json(&back->meta);
	got = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(got, want);
	free(want);
	free(got);
	json_decref(doc);
	kt_doc_free(&back);
	/* the fields: a case by number and one by personal code link to it */
	path = write_file(f, "c.csv",
		"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status\n"
		"LT-2024-5,,A,B,,,,\n"
		"LT-2020-1,39001010001,A,B,,,,\n"
		"LT-2020-2,39001010002,A,B,,,,\n");
	assert_int_equal(kt_catalog_cases_import(f->c, path, &added, &updated, &rejected, NULL, NULL), KT_OK);
	assert_int_equal(kt_catalog_doc_get(f->c, 7, &back), KT_OK);
	assert_int_equal(back->n_links, 2);
	assert_string_equal(back->links[0].case_number, "LT-2020-1");
	assert_string_equal(back->links[1].case_number, "LT-2024-5");
	kt_doc_free(&back);
	/* a record without an id is refused */
	rec->id = 0;
	assert_int_equal(kt_catalog_doc_restore(f->c, rec, "x.tar", 1), KT_FAILED);
	assert_non_null(strstr(kt_catalog_errmsg(f->c), "lacks id"));
	kt_doc_free(&rec);
	json_decref(j);
}

static void test_reopen_keeps_data(void **state)
{
	fixture *f = *state;
	long long batch, id, again;
	enum kt_doc_status st;

	assert_int_equal(kt_catalog_batch_start(f->c, "b", "", &batch), KT_OK);
	assert_int_equal(kt_catalog_doc_reserve(f->c, sha_a, "a", 1, "png", batch, &id), KT_OK);
	kt_catalog_free(&f->c);
	f->c = kt_catalog_new();
	assert_int_equal(kt_catalog_open(f->c, f->db, 1), KT_OK);
	assert_int_equal(kt_catalog_doc_find(f->c, sha_a, &again, &st, NULL), KT_OK);
	assert_int_equal(again, id);
}

static void test_open_errors(void **state)
{
	kt_catalog *c = kt_catalog_new();

	(void)state;
	assert_int_equal(kt_catalog_open(c, "/nonexistent/dir/catalog.sqlite", 0), KT_FATAL);
	assert_non_null(strstr(kt_catalog_errmsg(c), "/nonexistent/dir/catalog.sqlite"));
	kt_catalog_free(&c);
}

static void test_utf8_escape(void **state)
{
	char *s;

	(void)state;
	s = kt_utf8_escape("ok ā \xff\xfe end", 12);
	assert_string_equal(s, "ok ā \\xff\\xfe end");
	free(s);
	s = kt_utf8_escape("\xc0\xaf", 2); /* overlong '/' */
	assert_string_equal(s, "\\xc0\\xaf");
	free(s);
	assert_true(kt_utf8_valid("Bērziņa Коваленко", strlen("Bērziņa Коваленко")));
	assert_false(kt_utf8_valid("\xed\xa0\x80", 3)); /* a surrogate */
}

static const kt_test_case cases[] = {
	KT_TEST_FX(csv_quoting, setup, teardown),
	KT_TEST_FX(csv_errors, setup, teardown),
	KT_TEST_FX(cases_import, setup, teardown),
	KT_TEST_FX(cases_missing_column, setup, teardown),
	KT_TEST_FX(documents, setup, teardown),
	KT_TEST_FX(doc_restore, setup, teardown),
	KT_TEST_FX(reopen_keeps_data, setup, teardown),
	KT_TEST(open_errors),
	KT_TEST(utf8_escape),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_catalog", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
