/*
 * catalog_cases.c - case records in the catalog (tables cases and links):
 * importing them from the CSV export of the migration information system
 * (read by cases_csv.c; every document is linked again after, by
 * catalog_links.c), and the case view (case numbers, one case, its documents
 * in order).
 */
#include "catalog_private.h"
#include "kt_record.h"
#include "kt_text.h"
#include "cases_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- cases */

static const char *const case_columns[] = {
	"case_number", "personal_code", "surname", "given_names",
	"birth_date", "nationality", "case_type", "status",
};
#define N_CASE_COLUMNS 8

/* What one import keeps while it reads. */
typedef struct import {
	kt_catalog *c;
	kt_csv *csv;
	char **header;
	int nh;
	int idx[N_CASE_COLUMNS]; /* header position of each known column, -1 */
	kt_catalog_import *rep;
	kt_catalog_reject_fn fn;
	void *ctx;
	char now[21];
} import;

static void reject(import *im, const char *why)
{
	im->rep->rejected++;
	if (im->fn)
		im->fn(im->ctx, kt_csv_line(im->csv), why);
}

/* Is column j of the header a date: birth_date, "date" or "..._date"? */
static int date_column(const char *name)
{
	size_t n = strlen(name);

	return strcmp(name, "date") == 0 || (n > 5 && strcmp(name + n - 5, "_date") == 0);
}

/* Why the row cannot be imported, into why; "" when it can. */
static void check_row(import *im, char **row, int nr, const char *const *v, char *why, size_t size)
{
	const char *bad;
	int j;

	why[0] = '\0';
	if (nr != im->nh)
		snprintf(why, size, "%d field%s where the header has %d", nr, nr == 1 ? "" : "s", im->nh);
	else if (v[0] == NULL)
		snprintf(why, size, "empty case_number");
	else if ((bad = kt_record_pcode_check(v[1])) != NULL)
		snprintf(why, size, "personal_code %s", bad);
	for (j = 0; why[0] == '\0' && j < nr; j++)
		if (row[j][0] != '\0' && date_column(im->header[j]) && !kt_record_date_valid(row[j]))
			snprintf(why, size, "%.64s '%.40s' is not a real date in the form YYYY-MM-DD",
				 im->header[j], row[j]);
	if (why[0] != '\0' && kt_csv_last_line(im->csv) > kt_csv_line(im->csv)) {
		size_t len = strlen(why);

		snprintf(why + len, size - len, " (the record runs from line %ld to line %ld)",
			 kt_csv_line(im->csv), kt_csv_last_line(im->csv));
	}
}

/* Do two column values differ (NULL for SQL NULL)? */
static int differ(const unsigned char *stored, const char *s)
{
	if (stored == NULL || s == NULL)
		return stored != NULL || s != NULL;
	return strcmp((const char *)stored, s) != 0;
}

/* Add, update or leave one good row: 0 added, 1 updated, 2 unchanged, -1 error. */
static int put_row(import *im, char **row, int nr, const char *const *v)
{
	json_t *extra = json_object();
	char *extra_s;
	sqlite3_stmt *st;
	int i, j, outcome = 0, rc;

	for (j = 0; j < nr && j < im->nh; j++) {
		int known = 0;

		for (i = 0; i < N_CASE_COLUMNS; i++)
			known |= im->idx[i] == j;
		if (!known && im->header[j][0])
			json_object_set_new(extra, im->header[j], json_string(row[j]));
	}
	extra_s = json_dumps(extra, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(extra);
	if (extra_s == NULL) {
		kt_error_set(&im->c->err, KT_FATAL, "out of memory");
		return -1;
	}
	st = kt_cat_prep(im->c, "SELECT personal_code, surname, given_names, birth_date, nationality,"
			 " case_type, status, extra FROM cases WHERE case_number=?", "s", v[0]);
	if (st == NULL) {
		free(extra_s);
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		outcome = 2;
		for (i = 1; i < N_CASE_COLUMNS && outcome == 2; i++)
			if (differ(sqlite3_column_text(st, i - 1), v[i]))
				outcome = 1;
		/* no extra columns: stored as "{}" (or NULL by older versions) */
		if (differ(sqlite3_column_text(st, 7), extra_s) &&
		    !(sqlite3_column_type(st, 7) == SQLITE_NULL && strcmp(extra_s, "{}") == 0))
			outcome = 1;
	}
	sqlite3_finalize(st);
	if (outcome == 2) /* the same record: only the time of its last import */
		rc = kt_cat_do(im->c, "import a case", "UPDATE cases SET imported=? WHERE case_number=?",
			       "ss", im->now, v[0]);
	else
		rc = kt_cat_do(im->c, "import a case",
			"INSERT INTO cases(case_number, personal_code, surname, given_names, birth_date,"
			" nationality, case_type, status, extra, imported) VALUES (?,?,?,?,?,?,?,?,?,?)"
			" ON CONFLICT(case_number) DO UPDATE SET personal_code=excluded.personal_code,"
			" surname=excluded.surname, given_names=excluded.given_names,"
			" birth_date=excluded.birth_date, nationality=excluded.nationality,"
			" case_type=excluded.case_type, status=excluded.status, extra=excluded.extra,"
			" imported=excluded.imported", "ssssssssss",
			v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], extra_s, im->now);
	free(extra_s);
	return rc == KT_OK ? outcome : -1;
}

/* Read the rows after the header; KT_OK when the file was read to its end. */
static int import_rows(import *im)
{
	kt_error cerr = { 0 };
	char **row = NULL, why[512];
	const char *v[N_CASE_COLUMNS];
	int nr, i, rc, outcome;

	for (;;) {
		rc = kt_csv_next(im->csv, &row, &nr, &cerr);
		if (rc == KT_WARN) {
			reject(im, cerr.msg);
			continue;
		}
		if (rc != KT_OK) {
			return kt_error_copy(&im->c->err, &cerr);
		}
		if (row == NULL)
			return KT_OK;
		if (nr == 1 && row[0][0] == '\0') {
			kt_csv_row_free(&row, nr);
			continue; /* an empty line */
		}
		for (i = 0; i < N_CASE_COLUMNS; i++)
			v[i] = im->idx[i] >= 0 && im->idx[i] < nr && row[im->idx[i]][0] ? row[im->idx[i]] : NULL;
		check_row(im, row, nr, v, why, sizeof why);
		if (why[0] != '\0') {
			reject(im, why);
			kt_csv_row_free(&row, nr);
			continue;
		}
		outcome = put_row(im, row, nr, v);
		kt_csv_row_free(&row, nr);
		if (outcome < 0)
			return im->c->err.code != KT_OK ? im->c->err.code : KT_FATAL;
		if (outcome == 0)
			im->rep->added++;
		else if (outcome == 1)
			im->rep->updated++;
		else
			im->rep->unchanged++;
	}
}

int kt_catalog_cases_import(kt_catalog *c, const char *csv_path, kt_catalog_import *rep,
			    kt_catalog_reject_fn fn, void *ctx)
{
	import im = { .c = c, .rep = rep, .fn = fn, .ctx = ctx };
	kt_error cerr = { 0 };
	int i, j, rc;

	memset(rep, 0, sizeof *rep);
	kt_now_iso(im.now);
	if (kt_csv_open(csv_path, &im.csv, &cerr) != KT_OK)
		return kt_error_copy(&c->err, &cerr);
	rep->separator = kt_csv_detect_separator(im.csv, case_columns, N_CASE_COLUMNS);
	rc = kt_csv_next(im.csv, &im.header, &im.nh, &cerr);
	if (rc != KT_OK || im.header == NULL) {
		kt_csv_free(&im.csv);
		if (rc == KT_OK)
			return kt_error_set(&c->err, KT_FAILED, "'%s' is empty: expected a header row", csv_path);
		if (rc == KT_WARN)
			return kt_error_set(&c->err, KT_FAILED, "'%s' line 1: the header row: %s", csv_path,
					    cerr.msg);
		return kt_error_copy(&c->err, &cerr);
	}
	for (i = 0; i < N_CASE_COLUMNS; i++) {
		im.idx[i] = -1;
		for (j = 0; j < im.nh; j++)
			if (strcmp(im.header[j], case_columns[i]) == 0)
				im.idx[i] = j;
	}
	if (im.idx[0] < 0) {
		rc = kt_error_set(&c->err, KT_FAILED, "'%s' has no column 'case_number' in its header"
				  " (columns separated by ',' or ';')", csv_path);
	} else if ((rc = kt_cat_begin(c)) == KT_OK) {
		rc = import_rows(&im);
		if (rc == KT_OK)
			rc = kt_cat_link_docs(c, 0);
		rc = kt_cat_end(c, rc);
	}
	if (rc != KT_OK) {
		long rejected = rep->rejected;

		memset(rep, 0, sizeof *rep);
		rep->rejected = rejected;
	}
	kt_csv_row_free(&im.header, im.nh);
	kt_csv_free(&im.csv);
	return rc;
}

int kt_catalog_case_numbers(kt_catalog *c, char ***nums, int *n)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT case_number FROM cases ORDER BY case_number", "");
	char **arr = NULL;
	int cap = 0, count = 0;

	*nums = NULL;
	*n = 0;
	if (st == NULL)
		return c->err.code;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (count == cap) {
			char **g;

			cap = cap ? cap * 2 : 32;
			g = realloc(arr, (size_t)cap * sizeof *arr);
			if (g == NULL) {
				kt_catalog_strings_free(&arr, count);
				sqlite3_finalize(st);
				return kt_error_set(&c->err, KT_FATAL, "out of memory");
			}
			arr = g;
		}
		arr[count++] = kt_cat_col_strdup(st, 0);
	}
	sqlite3_finalize(st);
	*nums = arr;
	*n = count;
	return KT_OK;
}

void kt_catalog_strings_free(char ***strs, int n)
{
	int i;

	if (strs == NULL || *strs == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*strs)[i]);
	free(*strs);
	*strs = NULL;
}

json_t *kt_catalog_case_json(kt_catalog *c, const char *case_number)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT case_number, personal_code, surname, given_names,"
				       " birth_date, nationality, case_type, status, extra, imported FROM cases"
				       " WHERE case_number=?", "s", case_number);
	json_t *o;
	int i;

	if (st == NULL)
		return NULL;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		kt_error_set(&c->err, KT_FAILED, "no case '%s' in the case records", case_number);
		return NULL;
	}
	o = json_object();
	for (i = 0; i < N_CASE_COLUMNS; i++)
		json_object_set_new(o, case_columns[i], kt_cat_col_json(st, i));
	if (sqlite3_column_text(st, 8) != NULL) {
		json_t *extra = json_loads((const char *)sqlite3_column_text(st, 8), 0, NULL);

		if (extra != NULL)
			json_object_set_new(o, "extra", extra);
	}
	json_object_set_new(o, "imported", kt_cat_col_json(st, 9));
	sqlite3_finalize(st);
	return o;
}

int kt_catalog_case_doc_ids(kt_catalog *c, const char *case_number, long long **ids, int *n)
{
	return kt_cat_collect_ids(c, kt_cat_prep(c,
		"SELECT l.doc_id FROM case_links l WHERE l.case_number=? ORDER BY"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=l.doc_id AND f.kind='date') IS NULL,"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=l.doc_id AND f.kind='date'), l.doc_id",
		"s", case_number), ids, n);
}

