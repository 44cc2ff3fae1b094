/*
 * catalog_corrections.c - the corrections people make to a document's
 * fields and page texts (table corrections, issue 9; `kartoteka edit`).
 * Kept apart from the rows the pipeline writes: a new version replaces the
 * pages, fields and links of a document and never its corrections, which
 * the pipeline applies again over every version it makes (pipeline/
 * corrections.c). Rebuild puts them back from the newest package's record.
 */
#include "catalog_private.h"

#include <stdlib.h>
#include <string.h>

static int put(kt_catalog *c, long long id, const kt_doc_correction *k)
{
	char *value = json_dumps(k->value, JSON_COMPACT | JSON_ENCODE_ANY);
	int rc;

	if (value == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	rc = kt_cat_do(c, "record a correction",
		       "INSERT INTO corrections(doc_id, field, page, value, user, at, reason)"
		       " VALUES (?,?,?,?,?,?,?)", "isissss", id, k->field, (long long)k->page, value,
		       k->user, k->at, k->reason);
	free(value);
	return rc;
}

int kt_catalog_corrections_add(kt_catalog *c, long long id, const kt_doc_correction *list,
			       size_t n, long long *first)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	*first = 0;
	for (i = 0; i < n; i++) {
		const char *why = kt_doc_correction_check(list[i].field, list[i].page, list[i].value);

		if (why != NULL)
			return kt_error_set(&c->err, KT_FAILED, "%s: %s", list[i].field ? list[i].field : "?",
					    why);
		if (list[i].user == NULL || list[i].at == NULL)
			return kt_error_set(&c->err, KT_FAILED, "a correction needs who and when");
	}
	if ((rc = kt_cat_begin(c)) != KT_OK)
		return rc;
	st = kt_cat_prep(c, "SELECT 1 FROM documents WHERE id=? AND status='done'", "i", id);
	if (st == NULL)
		rc = c->err.code;
	else if (sqlite3_step(st) != SQLITE_ROW)
		rc = kt_error_set(&c->err, KT_FAILED, "no done document %lld", id);
	sqlite3_finalize(st);
	for (i = 0; rc == KT_OK && i < n; i++) {
		rc = put(c, id, &list[i]);
		if (rc == KT_OK && i == 0)
			*first = sqlite3_last_insert_rowid(c->db);
	}
	rc = kt_cat_end(c, rc);
	if (rc != KT_OK)
		*first = 0;
	return rc;
}

int kt_catalog_corrections_drop(kt_catalog *c, long long id, long long first)
{
	return kt_cat_do(c, "take back corrections", "DELETE FROM corrections WHERE doc_id=? AND id>=?",
			 "ii", id, first);
}

int kt_cat_corrections_get(kt_catalog *c, kt_doc *d)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT field, page, value, user, at, reason FROM corrections"
				       " WHERE doc_id=? ORDER BY id", "i", d->id);
	int rc = st ? KT_OK : c->err.code;

	while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW) {
		json_t *v = json_loads((const char *)sqlite3_column_text(st, 2), JSON_DECODE_ANY, NULL);

		/* a value that cannot be read is left out, as a correction that
		 * fails its check is passed over when applied */
		if (v != NULL &&
		    kt_doc_add_correction(d, (const char *)sqlite3_column_text(st, 0),
					  sqlite3_column_int(st, 1), v, (const char *)sqlite3_column_text(st, 3),
					  (const char *)sqlite3_column_text(st, 4),
					  (const char *)sqlite3_column_text(st, 5)) != KT_OK)
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
		json_decref(v);
	}
	sqlite3_finalize(st);
	return rc;
}

int kt_cat_corrections_restore(kt_catalog *c, long long id, const kt_doc *record)
{
	size_t i;
	int rc = kt_cat_do(c, "restore corrections", "DELETE FROM corrections WHERE doc_id=?", "i", id);

	for (i = 0; rc == KT_OK && i < record->n_corrections; i++)
		rc = put(c, id, &record->corrections[i]);
	return rc;
}
