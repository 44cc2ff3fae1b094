/*
 * catalog_batches.c - batches and the files of each batch in the catalog
 * (tables batches and batch_files): start, one row per file with its
 * outcome, finish with the counts, and the list for `kartoteka batches`.
 */
#include "catalog_private.h"
#include "kt_text.h"

#include <stdlib.h>
#include <string.h>

int kt_catalog_batch_start(kt_catalog *c, const char *name, const char *root, long long *id)
{
	char now[21];
	int rc;

	kt_now_iso(now);
	rc = kt_cat_do(c, "record the batch",
		       "INSERT INTO batches(name, root, started) VALUES (?,?,?)", "sss", name, root, now);
	*id = rc == KT_OK ? sqlite3_last_insert_rowid(c->db) : 0;
	return rc;
}

/* *id: the batch the query (one text parameter, ?1) finds first; 0 when
 * none. KT_OK, or KT_FATAL on c. */
static int first_batch(kt_catalog *c, const char *sql, const char *text, long long *id)
{
	long long *ids = NULL;
	int n = 0, rc = kt_cat_collect_ids(c, kt_cat_prep(c, sql, "s", text), &ids, &n);

	*id = rc == KT_OK && n > 0 ? ids[0] : 0;
	free(ids);
	return rc;
}

#define NEWEST_NAMED "SELECT id FROM batches WHERE name = ?1 ORDER BY id DESC LIMIT 1"

int kt_catalog_batch_join(kt_catalog *c, const char *name, const char *root, long long *id)
{
	int rc = first_batch(c, NEWEST_NAMED, name, id);

	if (rc != KT_OK)
		return rc;
	if (*id == 0)
		return kt_catalog_batch_start(c, name, root, id);
	/* running again until kt_catalog_batch_finish sets the end and counts */
	return kt_cat_do(c, "reopen the batch", "UPDATE batches SET ended=NULL WHERE id=?", "i", *id);
}

int kt_catalog_batch_find(kt_catalog *c, const char *text, long long *id)
{
	int digits = text[0] != '\0' && strspn(text, "0123456789") == strlen(text);
	/* digits are an id first, a batch named so second */
	int rc = first_batch(c, digits ? "SELECT id FROM batches WHERE id = CAST(?1 AS INTEGER)"
				 " OR name = ?1 ORDER BY name = ?1, id DESC LIMIT 1" : NEWEST_NAMED,
			     text, id);

	if (rc != KT_OK)
		return rc;
	return *id ? KT_OK : kt_error_set(&c->err, KT_FAILED, "no batch '%s'", text);
}

int kt_catalog_batch_file(kt_catalog *c, long long batch_id, const char *source,
			  size_t source_len, long long doc_id, enum kt_outcome outcome,
			  const char *reason)
{
	static const char *const names[] = { "done", "skipped", "failed" };
	char now[21];

	kt_now_iso(now);
	return kt_cat_do(c, "record a file of the batch",
		"INSERT INTO batch_files(batch_id, source, doc_id, outcome, reason, at)"
		" VALUES (?,?,nullif(?,0),?,?,?)", "ibisss",
		batch_id, source, source_len, doc_id, names[outcome], reason, now);
}

int kt_catalog_batch_finish(kt_catalog *c, long long batch_id)
{
	char now[21];

	kt_now_iso(now);
	return kt_cat_do(c, "finish the batch",
		"UPDATE batches SET ended=?,"
		" files=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id),"
		" done=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id AND outcome='done'),"
		" skipped=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id AND outcome='skipped'),"
		" failed=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id AND outcome='failed')"
		" WHERE id=?", "si", now, batch_id);
}

json_t *kt_catalog_batches_json(kt_catalog *c)
{
	json_t *arr = json_array();
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT id, name, root, started, ended, files, done, skipped,"
				       " failed FROM batches ORDER BY id DESC", "");
	int rc;

	if (st == NULL) {
		json_decref(arr);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		json_t *b = json_object(), *fails = json_array();
		sqlite3_stmt *f;

		json_object_set_new(b, "id", json_integer(id));
		json_object_set_new(b, "name", kt_cat_col_json(st, 1));
		json_object_set_new(b, "root", kt_cat_col_json(st, 2));
		json_object_set_new(b, "started", kt_cat_col_json(st, 3));
		json_object_set_new(b, "ended", kt_cat_col_json(st, 4));
		json_object_set_new(b, "files", json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(b, "done", json_integer(sqlite3_column_int64(st, 6)));
		json_object_set_new(b, "skipped", json_integer(sqlite3_column_int64(st, 7)));
		json_object_set_new(b, "failed", json_integer(sqlite3_column_int64(st, 8)));
		f = kt_cat_prep(c, "SELECT source, reason FROM batch_files WHERE batch_id=? AND"
				" outcome='failed' ORDER BY rowid", "i", id);
		while (f != NULL && sqlite3_step(f) == SQLITE_ROW) {
			json_t *o = json_object();

			json_object_set_new(o, "source", kt_cat_col_blob_json(f, 0));
			json_object_set_new(o, "reason", kt_cat_col_json(f, 1));
			json_array_append_new(fails, o);
		}
		sqlite3_finalize(f);
		json_object_set_new(b, "failures", fails);
		json_array_append_new(arr, b);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kt_cat_fail(c, "list batches");
		json_decref(arr);
		return NULL;
	}
	return arr;
}
