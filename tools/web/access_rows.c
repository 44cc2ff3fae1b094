/*
 * access_rows.c - what the tables of the access database that hold records
 * by id (access_erase.c: erase requests; access_hold.c: legal holds) share:
 * a text column as JSON, whether a table exists (a database opened
 * read-only may be older than it), one row read by its id, and every row of
 * a query as a JSON array.
 */
#include "access_private.h"

#include <stdio.h>

json_t *acc_col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? json_string(s) : json_null();
}

int acc_have_table(kt_access *a, const char *table, const char *what)
{
	sqlite3_stmt *st = acc_prep(a, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
	int rc;

	if (st == NULL)
		return -1;
	acc_bind_text(st, 1, table);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	acc_db_error(a, what);
	return -1;
}

int acc_get_row(kt_access *a, const char *table, const char *columns, long long id,
		acc_row_json *row_json, const char *what, json_t **out)
{
	char sql[300], read[80];
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?", columns, table);
	if ((st = acc_prep(a, sql)) == NULL)
		return KT_FATAL;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = row_json(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return kt_error_set(&a->err, KT_FAILED, "no %s %lld", what, id);
	if (rc != SQLITE_ROW) {
		snprintf(read, sizeof read, "read the %s", what);
		return acc_db_error(a, read);
	}
	if (*out == NULL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	return KT_OK;
}

json_t *acc_list_rows(kt_access *a, const char *sql, acc_row_json *row_json, const char *what)
{
	sqlite3_stmt *st = acc_prep(a, sql);
	json_t *arr, *o;
	int rc;

	if (st == NULL)
		return NULL;
	if ((arr = json_array()) == NULL) {
		sqlite3_finalize(st);
		kt_error_set(&a->err, KT_FATAL, "out of memory");
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((o = row_json(st)) == NULL || json_array_append_new(arr, o) != 0)
			break;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_ROW)
			kt_error_set(&a->err, KT_FATAL, "out of memory");
		else
			acc_db_error(a, what);
		json_decref(arr);
		return NULL;
	}
	return arr;
}
