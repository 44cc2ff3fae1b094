/*
 * catalog_versions.c - the package versions of a document (the versions
 * table, schema version 4): one row per package written for it, with when
 * and why it was made. Ingest writes version 1; kartoteka reprocess writes
 * the next one beside the old (nothing is overwritten); rebuild puts every
 * version back from the archive.
 */
#include "catalog_private.h"
#include "kt_text.h"

#include <stdlib.h>

int kt_cat_version_put(kt_catalog *c, long long id, int n, const char *package,
		       const char *created, const char *reason)
{
	char now[21];

	if (created == NULL) {
		kt_now_iso(now);
		created = now;
	}
	return kt_cat_do(c, "record a package version",
			 "INSERT INTO versions(doc_id, n, package, created, reason) VALUES (?,?,?,?,?)"
			 " ON CONFLICT(doc_id, n) DO UPDATE SET package=excluded.package,"
			 " created=coalesce(versions.created, excluded.created),"
			 " reason=coalesce(versions.reason, excluded.reason)",
			 "iisss", id, (long long)n, package, created, reason);
}

int kt_catalog_version_restore(kt_catalog *c, long long id, int n, const char *package,
			       const char *created, const char *reason)
{
	kt_error_clear(&c->err);
	if (c->db == NULL || package == NULL || n < 1)
		return kt_error_set(&c->err, KT_FAILED, "no package version to record");
	return kt_cat_version_put(c, id, n, package, created, reason);
}

int kt_cat_versions_get(kt_catalog *c, kt_doc *d)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT n, package, created, reason FROM versions"
				       " WHERE doc_id=? ORDER BY n", "i", d->id);
	int rc = st ? KT_OK : c->err.code, step = SQLITE_DONE;

	while (rc == KT_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		kt_doc_version *v;

		if (kt_doc_add_version(d, sqlite3_column_int(st, 0),
				       (const char *)sqlite3_column_text(st, 1)) != KT_OK) {
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
			break;
		}
		v = &d->versions[d->n_versions - 1];
		if (kt_doc_str_set(&v->created, (const char *)sqlite3_column_text(st, 2)) != KT_OK ||
		    kt_doc_str_set(&v->reason, (const char *)sqlite3_column_text(st, 3)) != KT_OK)
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
	}
	if (rc == KT_OK && step != SQLITE_DONE)
		rc = kt_cat_fail(c, "read the versions");
	sqlite3_finalize(st);
	return rc;
}
