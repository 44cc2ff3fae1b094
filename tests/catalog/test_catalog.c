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
	/* the unclosed quote costs its record, and the file ends without error */
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_WARN);
	assert_null(row);
	assert_int_equal(kt_csv_line(csv), 2);
	assert_non_null(strstr(err.msg, "unclosed quote on line 2"));
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_null(row);
	kt_csv_free(&csv);
	kt_csv_free(&csv);
	/* a folder opens but cannot be read */
	assert_int_equal(kt_csv_open(f->dir, &csv, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "cannot read"));
	assert_null(csv);
}

/* An unclosed quote on line 9 of twelve: that record is skipped and reading
 * goes on at line 10; so is a quote followed by text (a stray quote that a
 * later line "closes"); a multi-line field keeps its line numbers. */
static void test_csv_unclosed_quote(void **state)
{
	fixture *f = *state;
	const char *path = write_file(f, "u.csv",
		"a,b\n" "2,x\n" "3,x\n" "4,x\n" "5,x\n" "6,x\n" "7,x\n" "8,x\n"
		"9,\"no end\n"          /* line 9: opens a quote that the file never closes */
		"10,x\n" "11,\"two\nlines\"\n" "13,\"q\"x\n" "14,y\n" "15,\"ok\"\n");
	kt_csv *csv;
	kt_error err = { 0 };
	char **row;
	int n;
	long seen[16], k = 0;

	assert_int_equal(kt_csv_open(path, &csv, &err), KT_OK);
	for (;;) {
		int rc = kt_csv_next(csv, &row, &n, &err);

		if (rc == KT_OK && row == NULL)
			break;
		if (rc == KT_WARN) {
			assert_null(row);
			seen[k++] = -kt_csv_line(csv);
			continue;
		}
		assert_int_equal(rc, KT_OK);
		assert_int_equal(n, 2);
		assert_int_equal(atol(row[0]) == 0 ? 1 : atol(row[0]), kt_csv_line(csv));
		seen[k++] = kt_csv_line(csv);
		kt_csv_row_free(&row, n);
		assert_true(k < 16);
	}
	kt_csv_free(&csv);
	/* line 9 rejected: its quote would run to line 11's quote, followed by text */
	assert_int_equal(k, 14);
	assert_int_equal(seen[8], -9);
	assert_int_equal(seen[9], 10);
	assert_int_equal(seen[10], 11);
	assert_int_equal(seen[11], -13); /* "q"x */
	assert_int_equal(seen[12], 14);
	assert_int_equal(seen[13], 15);
}

/* ';' as the separator, found from the header; a byte order mark skipped. */
static void test_csv_semicolon(void **state)
{
	static const char *const names[] = { "case_number", "surname", "status" };
	fixture *f = *state;
	const char *path = write_file(f, "s.csv",
		"\xEF\xBB\xBF" "case_number;surname;status\r\n" "A-1;\"Ozola; Anna\";open, not closed\r\n");
	const char *plain;
	kt_csv *csv;
	kt_error err = { 0 };
	char **row;
	int n;

	assert_int_equal(kt_csv_open(path, &csv, &err), KT_OK);
	assert_int_equal(kt_csv_detect_separator(csv, names, 3), ';');
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(row[0], "case_number"); /* no byte order mark */
	kt_csv_row_free(&row, n);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(row[1], "Ozola; Anna");
	assert_string_equal(row[2], "open, not closed");
	kt_csv_row_free(&row, n);
	kt_csv_free(&csv);
	plain = write_file(f, "c.csv", "case_number,surname\nA-1,x;y\n"); /* path's buffer again */
	assert_int_equal(kt_csv_open(plain, &csv, &err), KT_OK);
	assert_int_equal(kt_csv_detect_separator(csv, names, 3), ',');
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	kt_csv_row_free(&row, n);
	assert_int_equal(kt_csv_next(csv, &row, &n, &err), KT_OK);
	assert_string_equal(row[1], "x;y");
	kt_csv_row_free(&row, n);
	kt_csv_free(&csv);
}

/* ---------------------------------------------------------------- cases */

typedef struct rejects {
	long lines[16];
	char why[16][512];
	int n;
} rejects;

static void on_reject(void *ctx, long line, const char *reason)
{
	rejects *r = ctx;

	assert_non_null(reason);
	if (r->n < 16) {
		snprintf(r->why[r->n], sizeof r->why[0], "%s", reason);
		r->lines[r->n++] = line;
	}
}

/* The case numbers of the catalog, joined by spaces. */
static void numbers(fixture *f, char *out, size_t size)
{
	char **nums;
	int n, i;
	size_t len = 0;

	out[0] = '\0';
	assert_int_equal(kt_catalog_case_numbers(f->c, &nums, &n), KT_OK);
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "", nums[i]);
	kt_catalog_strings_free(&nums, n);
}

static const char header[] =
	"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status,officer\n";

static void test_cases_import(void **state)
{
	fixture *f = *state;
	char text[2048];
	kt_catalog_import rep;
	rejects r = { .n = 0 };
	json_t *c;
	const char *path;

	snprintf(text, sizeof text, "%s%s%s%s%s", header,
		 "PMLP-LV-2023-000001,010190-11119,Bērziņa,Anna,1990-01-01,LVA,asylum,open,jkalnins\n",
		 "PMLP-LV-2023-000002,,Ivanov,Ivan,1990-13,RUS,visa,open,x\n",           /* bad date */
		 "PMLP-LV-2023-000003,only,three\n",                                       /* short row */
		 ",,No,Number,,,,,\n");                                                    /* no number */
	path = write_file(f, "cases.csv", text);
	assert_int_equal(kt_catalog_cases_import(f->c, path, &rep, on_reject, &r),
			 KT_OK);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.rejected, 3);
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
		 "PMLP-LV-2023-000001,010190-11119,Bērziņa,Anna Marija,1990-01-01,LVA,asylum,closed,jk\n",
		 "PMLP-LV-2023-000009,,Ozols,Jānis,,LVA,visa,open,\n");
	path = write_file(f, "cases2.csv", text);
	assert_int_equal(kt_catalog_cases_import(f->c, path, &rep, NULL, NULL),
			 KT_OK);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 0);
	c = kt_catalog_case_json(f->c, "PMLP-LV-2023-000001");
	assert_string_equal(json_string_value(json_object_get(c, "status")), "closed");
	json_decref(c);
	assert_null(kt_catalog_case_json(f->c, "NOPE-1"));
	assert_non_null(strstr(kt_catalog_errmsg(f->c), "NOPE-1"));
}

static void test_cases_missing_column(void **state)
{
	fixture *f = *state;
	kt_catalog_import rep;
	const char *path = write_file(f, "x.csv", "number,surname\nX-1,Y\n");

	assert_int_equal(kt_catalog_cases_import(f->c, path, &rep, NULL, NULL), KT_FAILED);
	assert_non_null(strstr(kt_catalog_errmsg(f->c), "case_number"));
}

/* An unclosed quote on line 9 swallows the rest of the file in RFC 4180:
 * the row of line 9 is rejected and the rows after it still go in. */
static void test_cases_unclosed_quote(void **state)
{
	fixture *f = *state;
	char text[4096], got[1024];
	size_t len;
	kt_catalog_import rep;
	rejects r = { .n = 0 };
	int line;

	len = (size_t)snprintf(text, sizeof text, "%s", header);
	for (line = 2; line <= 12; line++)
		len += (size_t)snprintf(text + len, sizeof text - len, line == 9
			? "C-%02d,,\"Ozola, Anna,Anna,1990-01-01,LVA,visa,open,x\n"
			: "C-%02d,,Ozola,Anna,1990-01-01,LVA,visa,open,x\n", line);
	assert_int_equal(kt_catalog_cases_import(f->c, write_file(f, "u.csv", text), &rep, on_reject, &r),
			 KT_OK);
	assert_int_equal(rep.added, 10);
	assert_int_equal(rep.updated + rep.unchanged, 0);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.lines[0], 9);
	kt_expect_in(r.why[0], "unclosed quote on line 9");
	kt_expect_in(r.why[0], "reading went on at line 10");
	numbers(f, got, sizeof got);
	assert_string_equal(got, "C-02 C-03 C-04 C-05 C-06 C-07 C-08 C-10 C-11 C-12");
}

/* A spreadsheet's export: ';' between columns, a byte order mark, commas
 * inside values. */
static void test_cases_semicolon_bom(void **state)
{
	fixture *f = *state;
	kt_catalog_import rep;
	json_t *c;
	const char *path = write_file(f, "s.csv",
		"\xEF\xBB\xBF" "case_number;personal_code;surname;given_names;birth_date;nationality;"
		"case_type;status;officer\r\n"
		"LT-1;49403150024;Bērziņa, Ozola;Anna;1994-03-15;LTU;visa;open;R. Ozoliņa, I. Bērziņa\r\n"
		"LT-2;;Jonaitis;Jonas;;LTU;visa;closed;\r\n");

	assert_int_equal(kt_catalog_cases_import(f->c, path, &rep, NULL, NULL), KT_OK);
	assert_int_equal(rep.added, 2);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.separator, ';');
	c = kt_catalog_case_json(f->c, "LT-1");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "surname")), "Bērziņa, Ozola");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "extra"), "officer")),
			    "R. Ozoliņa, I. Bērziņa");
	json_decref(c);
}

/* Dates and personal codes: a bad one rejects its row, with the column named. */
static void test_cases_checks(void **state)
{
	static const struct {
		const char *number, *code, *birth, *decided, *why; /* why: NULL when kept */
	} rows[] = {
		{ "C-02", "120385-12342", "1985-03-12", "", NULL },           /* valid Latvian */
		{ "C-03", "", "2001-13-45", "", "birth_date '2001-13-45' is not a real date" },
		{ "C-04", "", "2001-02-30", "", "birth_date '2001-02-30' is not a real date" },
		{ "C-05", "120385-12343", "", "", "personal_code is not a valid Latvian personal code" },
		{ "C-06", "AB1234567", "", "", NULL },                        /* foreign */
		{ "C-07", "", "2000-02-29", "2024-02-29", NULL },              /* leap days */
		{ "C-08", "49403150024", "", "", NULL },                      /* valid Lithuanian */
		{ "C-09", "49403150025", "", "", "personal_code is not a valid Lithuanian personal code" },
		{ "C-10", "12038512343", "", "", "personal_code is not a valid Latvian personal code" },
		{ "C-11", "33309240065", "", "", NULL },      /* Lithuanian checksum wrong, valid Latvian */
		{ "C-12", "90010112345", "", "", NULL },                      /* foreign, 11 digits */
		{ "C-13", "", "", "2024-02-30", "decision_date '2024-02-30' is not a real date" },
		{ "C-14", "310285-12345", "", "", "Latvian personal code (birth date)" },
	};
	fixture *f = *state;
	char text[4096], got[1024];
	size_t len, i;
	kt_catalog_import rep;
	rejects r = { .n = 0 };
	int k = 0;
	json_t *c;

	len = (size_t)snprintf(text, sizeof text, "case_number,personal_code,birth_date,decision_date\n");
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s,%s,%s,%s\n", rows[i].number,
					rows[i].code, rows[i].birth, rows[i].decided);
	len += (size_t)snprintf(text + len, sizeof text - len, "C-15,,,,\n");        /* 5 fields */
	snprintf(text + len, sizeof text - len, "C-16,,,\"2024-01-01\nnote\"\n");  /* lines 16-17 */
	assert_int_equal(kt_catalog_cases_import(f->c, write_file(f, "k.csv", text), &rep, on_reject, &r),
			 KT_OK);
	assert_int_equal(rep.added, 6);
	assert_int_equal(rep.rejected, 9);
	assert_int_equal(r.n, 9);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (rows[i].why != NULL) {
			assert_int_equal(r.lines[k], (long)i + 2);
			kt_expect_in(r.why[k++], rows[i].why);
		}
	assert_int_equal(r.lines[7], 15);
	kt_expect_in(r.why[7], "5 fields where the header has 4");
	assert_int_equal(r.lines[8], 16);
	kt_expect_in(r.why[8], "decision_date '2024-01-01\nnote'"); /* as it is: the CLI escapes */
	kt_expect_in(r.why[8], "(the record runs from line 16 to line 17)");
	numbers(f, got, sizeof got);
	assert_string_equal(got, "C-02 C-06 C-07 C-08 C-11 C-12");
	c = kt_catalog_case_json(f->c, "C-06");
	assert_string_equal(json_string_value(json_object_get(c, "personal_code")), "AB1234567");
	json_decref(c);
}

/* Importing the same file again changes nothing and says so; a line break in
 * a quoted field is stored as it is. */
static void test_cases_unchanged(void **state)
{
	fixture *f = *state;
	kt_catalog_import rep;
	char text[1024];
	json_t *c;

	snprintf(text, sizeof text, "%s%s%s", header,
		 "A-1,,Ozola,\"Anna\nMarija\",,LVA,visa,open,x\n", "A-2,,Liepa,Jānis,,LVA,visa,open,\n");
	assert_int_equal(kt_catalog_cases_import(f->c, write_file(f, "a.csv", text), &rep, NULL, NULL),
			 KT_OK);
	assert_int_equal(rep.added, 2);
	assert_int_equal(kt_catalog_cases_import(f->c, write_file(f, "a.csv", text), &rep, NULL, NULL),
			 KT_OK);
	assert_int_equal(rep.added + rep.updated + rep.rejected, 0);
	assert_int_equal(rep.unchanged, 2);
	c = kt_catalog_case_json(f->c, "A-1");
	assert_string_equal(json_string_value(json_object_get(c, "given_names")), "Anna\nMarija");
	json_decref(c);
	snprintf(text, sizeof text, "%s%s%s", header,
		 "A-1,,Ozola,\"Anna\nMarija\",,LVA,visa,open,x\n", "A-2,,Liepa,Jānis,,LVA,visa,closed,\n");
	assert_int_equal(kt_catalog_cases_import(f->c, write_file(f, "a.csv", text), &rep, NULL, NULL),
			 KT_OK);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 1);
}

/* A file that cannot be read imports nothing and says so; what was there stays. */
static void test_cases_unreadable(void **state)
{
	fixture *f = *state;
	kt_catalog_import rep;
	char got[256];
	char text[512];

	snprintf(text, sizeof text, "%s%s", header, "A-1,,Ozola,Anna,,LVA,visa,open,x\n");
	assert_int_equal(kt_catalog_cases_import(f->c, write_file(f, "a.csv", text), &rep, NULL, NULL),
			 KT_OK);
	assert_int_equal(kt_catalog_cases_import(f->c, f->dir, &rep, NULL, NULL), KT_FAILED);
	kt_expect_in(kt_catalog_errmsg(f->c), "cannot read");
	assert_int_equal(rep.added + rep.updated + rep.unchanged, 0);
	assert_int_equal(kt_catalog_cases_import(f->c, write_file(f, "h.csv", "\"case_number,x\n"), &rep,
						 NULL, NULL), KT_FAILED);
	kt_expect_in(kt_catalog_errmsg(f->c), "header");
	numbers(f, got, sizeof got);
	assert_string_equal(got, "A-1");
}

/* What may stand in a case record's personal code and date columns (the
 * check digits themselves: tests/extract/test_extract_pcode.c). */
static void test_record_checks(void **state)
{
	(void)state;
	assert_null(kt_record_pcode_check(NULL));
	assert_null(kt_record_pcode_check(""));
	assert_null(kt_record_pcode_check("X 123"));
	assert_non_null(kt_record_pcode_check("120385-10030"));
	assert_true(kt_record_date_valid("2000-02-29"));
	assert_false(kt_record_date_valid("1900-02-29"));
	assert_false(kt_record_date_valid("2001-1-01"));
	assert_false(kt_record_date_valid("0000-01-01"));
	assert_false(kt_record_date_valid("2001-01-01 "));
	assert_false(kt_record_date_valid(NULL));
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
	kt_catalog_import rep;
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
			 "personal_codes", "010190-11119", "dates", "2023-03-14", "doc_type", "decision");
	assert_int_equal(kt_doc_meta_from_json(meta, &m, NULL), KT_OK);
	assert_int_equal(kt_catalog_doc_done(f->c, id, "tiff", "aa/kt.tar",
					     &(kt_doc_version){ .version = 1 }, &m, pages, 2), KT_OK);
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
		"PMLP-LV-2020-000777,010190-11119,A,B,,,,\n");
	assert_int_equal(kt_catalog_cases_import(f->c, path, &rep, NULL, NULL), KT_OK);
	doc = kt_catalog_doc_json(f->c, id);
	/* the number links; the code's person has another case, which the
	 * document does not name: a suggestion for review, not a link */
	assert_int_equal(json_array_size(json_object_get(doc, "cases")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(doc, "links"), 0), "rule")), "case_number");
	json_decref(doc);
	assert_int_equal(kt_catalog_case_doc_ids(f->c, "PMLP-LV-2020-000777", &ids, &n), KT_OK);
	assert_int_equal(n, 0);
	free(ids);
	doc = kt_catalog_review_json(f->c);
	assert_int_equal(json_array_size(doc), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 0), "case_number")),
			    "PMLP-LV-2020-000777");
	json_decref(doc);
	assert_int_equal(kt_catalog_link_decide(f->c, id, "PMLP-LV-2020-000777", KT_LINK_ACCEPT, "ann"),
			 KT_OK);
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
	kt_catalog_import rep;
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
	assert_int_equal(kt_catalog_cases_import(f->c, path, &rep, NULL, NULL), KT_OK);
	assert_int_equal(kt_catalog_doc_get(f->c, 7, &back), KT_OK);
	/* the other case of the code's person is a suggestion until decided */
	assert_int_equal(back->n_links, 1);
	assert_string_equal(back->links[0].case_number, "LT-2024-5");
	kt_doc_free(&back);
	assert_int_equal(kt_catalog_link_decide(f->c, 7, "LT-2020-1", KT_LINK_ACCEPT, "ann"), KT_OK);
	assert_int_equal(kt_catalog_doc_get(f->c, 7, &back), KT_OK);
	assert_int_equal(back->n_links, 2);
	assert_string_equal(back->links[0].case_number, "LT-2020-1");
	assert_string_equal(back->links[0].state, "accepted");
	assert_string_equal(back->links[0].decided_by, "ann");
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

/* Joining a batch by name: the newest of that name is reopened (no end
 * until finished again, counts over every file it has had); a name not
 * yet known starts a new batch. */
static void test_batch_join(void **state)
{
	fixture *f = *state;
	long long first, old, joined, fresh;
	json_t *all, *b;

	assert_int_equal(kt_catalog_batch_start(f->c, "in-2026-12-07", "in", &old), KT_OK);
	assert_int_equal(kt_catalog_batch_finish(f->c, old), KT_OK);
	assert_int_equal(kt_catalog_batch_start(f->c, "in-2026-12-07", "in", &first), KT_OK);
	assert_int_equal(kt_catalog_batch_file(f->c, first, "a", 1, 0, KT_OUTCOME_DONE, NULL), KT_OK);
	assert_int_equal(kt_catalog_batch_finish(f->c, first), KT_OK);
	assert_int_equal(kt_catalog_batch_join(f->c, "in-2026-12-07", "in/b", &joined), KT_OK);
	assert_int_equal(joined, first);
	all = kt_catalog_batches_json(f->c);
	assert_true(json_is_null(json_object_get(json_array_get(all, 0), "ended")));
	json_decref(all);
	assert_int_equal(kt_catalog_batch_file(f->c, joined, "b", 1, 0, KT_OUTCOME_FAILED, "bad"), KT_OK);
	assert_int_equal(kt_catalog_batch_finish(f->c, joined), KT_OK);
	assert_int_equal(kt_catalog_batch_join(f->c, "in-2026-12-08", "in/c", &fresh), KT_OK);
	assert_true(fresh > first);
	all = kt_catalog_batches_json(f->c);
	assert_int_equal(json_array_size(all), 3);
	b = json_array_get(all, 1);
	assert_int_equal(json_integer_value(json_object_get(b, "id")), first);
	assert_string_equal(json_string_value(json_object_get(b, "root")), "in");
	assert_int_equal(json_integer_value(json_object_get(b, "files")), 2);
	assert_int_equal(json_integer_value(json_object_get(b, "done")), 1);
	assert_int_equal(json_integer_value(json_object_get(b, "failed")), 1);
	assert_false(json_is_null(json_object_get(b, "ended")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 0), "root")), "in/c");
	json_decref(all);
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
	KT_TEST_FX(batch_join, setup, teardown),
	KT_TEST_FX(csv_errors, setup, teardown),
	KT_TEST_FX(cases_import, setup, teardown),
	KT_TEST_FX(cases_missing_column, setup, teardown),
	KT_TEST_FX(csv_unclosed_quote, setup, teardown),
	KT_TEST_FX(csv_semicolon, setup, teardown),
	KT_TEST_FX(cases_unclosed_quote, setup, teardown),
	KT_TEST_FX(cases_semicolon_bom, setup, teardown),
	KT_TEST_FX(cases_checks, setup, teardown),
	KT_TEST_FX(cases_unchanged, setup, teardown),
	KT_TEST_FX(cases_unreadable, setup, teardown),
	KT_TEST(record_checks),
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
