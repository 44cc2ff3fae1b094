/*
 * catalog_cases.c - case records in the catalog (tables cases and links):
 * importing them from the CSV export of the migration information system
 * (read by cases_csv.c), linking documents to cases in SQL from their fields,
 * and the case view (case numbers, one case, its documents in order).
 */
#include "catalog_private.h"
#include "kt_text.h"
#include "cases_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------- links */

int kt_cat_link_docs(kt_catalog *c, long long doc_id)
{
	int rc = kt_cat_do(c, "link documents",
		"INSERT OR IGNORE INTO links(doc_id, case_number, evidence)"
		" SELECT f.doc_id, k.case_number, 'case number ' || f.value"
		" FROM fields f JOIN cases k ON f.kind='case_number' AND f.value=k.case_number"
		" WHERE ?=0 OR f.doc_id=?", "ii", doc_id, doc_id);

	if (rc != KT_OK)
		return rc;
	return kt_cat_do(c, "link documents",
		"INSERT OR IGNORE INTO links(doc_id, case_number, evidence)"
		" SELECT f.doc_id, k.case_number, 'personal code ' || f.value"
		" FROM fields f JOIN cases k ON f.kind='personal_code' AND f.value=k.personal_code"
		" WHERE ?=0 OR f.doc_id=?", "ii", doc_id, doc_id);
}

/* --------------------------------------------------------------- cases */

static const char *const case_columns[] = {
	"case_number", "personal_code", "surname", "given_names",
	"birth_date", "nationality", "case_type", "status",
};
#define N_CASE_COLUMNS 8

int kt_catalog_cases_import(kt_catalog *c, const char *csv_path, long *added, long *updated,
			    long *rejected, kt_catalog_reject_fn fn, void *ctx)
{
	kt_csv *csv = NULL;
	kt_error cerr = { 0 };
	char **header = NULL, **row = NULL;
	int nh = 0, nr, idx[N_CASE_COLUMNS], i, j, rc;
	char now[21], why[256];

	*added = *updated = *rejected = 0;
	kt_now_iso(now);
	if (kt_csv_open(csv_path, &csv, &cerr) != KT_OK)
		return kt_error_copy(&c->err, &cerr);
	rc = kt_csv_next(csv, &header, &nh, &cerr);
	if (rc != KT_OK || header == NULL) {
		kt_csv_free(&csv);
		if (rc == KT_OK)
			kt_error_set(&cerr, KT_FAILED, "'%s' is empty: expected a header row", csv_path);
		return kt_error_copy(&c->err, &cerr);
	}
	for (i = 0; i < N_CASE_COLUMNS; i++) {
		idx[i] = -1;
		for (j = 0; j < nh; j++)
			if (strcmp(header[j], case_columns[i]) == 0)
				idx[i] = j;
	}
	if (idx[0] < 0) {
		kt_csv_row_free(&header, nh);
		kt_csv_free(&csv);
		return kt_error_set(&c->err, KT_FAILED, "'%s' has no column 'case_number' in its header", csv_path);
	}
	if ((rc = kt_cat_begin(c)) != KT_OK) {
		kt_csv_row_free(&header, nh);
		kt_csv_free(&csv);
		return rc;
	}
	for (;;) {
		const char *v[N_CASE_COLUMNS];
		json_t *extra = json_object();
		char *extra_s;
		sqlite3_stmt *st;
		int exists = 0;

		rc = kt_csv_next(csv, &row, &nr, &cerr);
		if (rc == KT_WARN) {
			(*rejected)++;
			if (fn)
				fn(ctx, kt_csv_line(csv), cerr.msg);
			json_decref(extra);
			rc = KT_OK;
			continue;
		}
		if (rc != KT_OK || row == NULL) {
			json_decref(extra);
			break;
		}
		for (i = 0; i < N_CASE_COLUMNS; i++)
			v[i] = idx[i] >= 0 && idx[i] < nr && row[idx[i]][0] ? row[idx[i]] : NULL;
		why[0] = '\0';
		if (nr == 1 && row[0][0] == '\0') {
			kt_csv_row_free(&row, nr);
			json_decref(extra);
			continue; /* an empty line */
		}
		if (nr != nh)
			snprintf(why, sizeof why, "%d fields where the header has %d", nr, nh);
		else if (v[0] == NULL)
			snprintf(why, sizeof why, "empty case_number");
		else if (v[4] != NULL && !(strlen(v[4]) == 10 && v[4][4] == '-' && v[4][7] == '-'))
			snprintf(why, sizeof why, "birth_date '%s' is not YYYY-MM-DD", v[4]);
		if (why[0]) {
			(*rejected)++;
			if (fn)
				fn(ctx, kt_csv_line(csv), why);
			kt_csv_row_free(&row, nr);
			json_decref(extra);
			continue;
		}
		for (j = 0; j < nr && j < nh; j++) {
			int known = 0;

			for (i = 0; i < N_CASE_COLUMNS; i++)
				known |= idx[i] == j;
			if (!known && header[j][0])
				json_object_set_new(extra, header[j], json_string(row[j]));
		}
		extra_s = json_dumps(extra, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(extra);
		st = kt_cat_prep(c, "SELECT 1 FROM cases WHERE case_number=?", "s", v[0]);
		if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
			exists = 1;
		sqlite3_finalize(st);
		rc = kt_cat_do(c, "import a case",
			"INSERT INTO cases(case_number, personal_code, surname, given_names, birth_date,"
			" nationality, case_type, status, extra, imported) VALUES (?,?,?,?,?,?,?,?,?,?)"
			" ON CONFLICT(case_number) DO UPDATE SET personal_code=excluded.personal_code,"
			" surname=excluded.surname, given_names=excluded.given_names,"
			" birth_date=excluded.birth_date, nationality=excluded.nationality,"
			" case_type=excluded.case_type, status=excluded.status, extra=excluded.extra,"
			" imported=excluded.imported", "ssssssssss",
			v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], extra_s, now);
		free(extra_s);
		kt_csv_row_free(&row, nr);
		if (rc != KT_OK)
			break;
		if (exists)
			(*updated)++;
		else
			(*added)++;
	}
	kt_csv_row_free(&header, nh);
	if (rc != KT_OK && c->err.code == KT_OK)
		kt_error_copy(&c->err, &cerr);
	kt_csv_free(&csv);
	if (rc == KT_OK)
		rc = kt_cat_link_docs(c, 0);
	return kt_cat_end(c, rc);
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
		"SELECT l.doc_id FROM links l WHERE l.case_number=? ORDER BY"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=l.doc_id AND f.kind='date') IS NULL,"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=l.doc_id AND f.kind='date'), l.doc_id",
		"s", case_number), ids, n);
}

