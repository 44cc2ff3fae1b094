/*
 * catalog_erase.c - documents erased for good (issue 21, docs/lifecycle.md):
 * their rows deleted with secure_delete (on for every connection:
 * catalog_sqlite.c) and the WAL truncated, and what the tombstone says kept
 * in the erased table (kt_catalog.h, "erasure").
 */
#include "catalog_private.h"

#include <stdio.h>
#include <string.h>

/* 1 when the catalog has the erased table: a catalog of an older schema
 * opened read-only (not migrated) has none, and no erased document. */
static int has_table(kt_catalog *c)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT 1 FROM sqlite_master WHERE type='table'"
				       " AND name='erased'", "");
	int has;

	if (st == NULL)
		return 0;
	has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return has;
}

int kt_catalog_doc_erase(kt_catalog *c, const kt_catalog_erasure *e)
{
	int rc = kt_cat_begin(c);

	if (rc == KT_OK)
		rc = kt_cat_do(c, "record an erasure",
			       "INSERT OR REPLACE INTO erased(id, sha256, part, erased, reason,"
			       " requested_by, approved_by, request_id) VALUES (?,?,?,?,?,?,?,nullif(?,0))",
			       "isissssi", e->id, e->sha256, (long long)e->part, e->erased, e->reason,
			       e->requested_by, e->approved_by, e->request_id);
	/* the rows that name the document but do not hang on it by a key */
	if (rc == KT_OK)
		rc = kt_cat_do(c, "erase the file name of a batch row",
			       "UPDATE batch_files SET source=CAST('(erased)' AS BLOB), reason=NULL"
			       " WHERE doc_id=?", "i", e->id);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "erase fixity checks", "DELETE FROM fixity_checks WHERE doc_id=?",
			       "i", e->id);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "erase page bands", "DELETE FROM page_bands WHERE doc_id=?", "i", e->id);
	/* the rest goes with the row (ON DELETE CASCADE) */
	if (rc == KT_OK)
		rc = kt_cat_do(c, "erase a document", "DELETE FROM documents WHERE id=?", "i", e->id);
	if ((rc = kt_cat_end(c, rc)) != KT_OK)
		return rc;
	/* the WAL still holds the pages as they were before: into the
	 * database (whose freed pages secure_delete zeroed), then emptied */
	return kt_cat_exec(c, "PRAGMA wal_checkpoint(TRUNCATE);", "checkpoint the catalog");
}

int kt_catalog_erased_find(kt_catalog *c, const char *sha256, long long *id, char erased[21])
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT id, erased FROM erased WHERE sha256=?"
				       " ORDER BY part LIMIT 1", "s", sha256);
	int rc;

	*id = 0;
	if (erased)
		erased[0] = '\0';
	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (erased)
			snprintf(erased, 21, "%s", sqlite3_column_text(st, 1) ?
				 (const char *)sqlite3_column_text(st, 1) : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kt_cat_fail(c, "look an erased document up");
	return KT_OK;
}

int kt_catalog_erased_get(kt_catalog *c, long long id, char sha256[65], int *part)
{
	sqlite3_stmt *st;
	int rc;

	if (!has_table(c))
		return kt_error_set(&c->err, KT_FAILED, "no document %lld", id);
	if ((st = kt_cat_prep(c, "SELECT sha256, part FROM erased WHERE id=?", "i", id)) == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(sha256, 65, "%s", sqlite3_column_text(st, 0) ?
			 (const char *)sqlite3_column_text(st, 0) : "");
		*part = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return KT_OK;
	if (rc != SQLITE_DONE)
		return kt_cat_fail(c, "look an erased document up");
	return kt_error_set(&c->err, KT_FAILED, "no document %lld", id);
}

json_t *kt_catalog_erased_json(kt_catalog *c)
{
	sqlite3_stmt *st;
	json_t *a = json_array();
	int rc;

	if (!has_table(c))
		return a;
	st = kt_cat_prep(c, "SELECT id, sha256, erased, part FROM erased ORDER BY id", "");
	if (st == NULL || a == NULL) {
		sqlite3_finalize(st);
		json_decref(a);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id",
				      (json_int_t)sqlite3_column_int64(st, 0), "sha256",
				      (const char *)sqlite3_column_text(st, 1), "status", "erased",
				      "erased", (const char *)sqlite3_column_text(st, 2));

		if (o != NULL && sqlite3_column_int(st, 3) > 0)
			json_object_set_new(o, "part", json_integer(sqlite3_column_int(st, 3)));
		if (o == NULL || json_array_append_new(a, o) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		kt_cat_fail(c, "list the erased documents");
		return NULL;
	}
	return a;
}
