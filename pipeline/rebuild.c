/*
 * rebuild.c - kt_rebuild (kt_pipeline.h): make the catalog and the full-text
 * index of a store again from its archive alone.
 *
 * The archive is the source of truth for documents, ids, pages, text and
 * extracted fields: for every document the newest package version is read
 * (its record, kt_package_read_record: data/metadata/document.json checked
 * against the package's manifest and against the package's name) and its
 * row restored with its id (kt_catalog_doc_restore); batches come back by
 * name; then every document is indexed again (kt_reindex) into a new index.
 * What is not in the archive does not come back: case records (import the
 * CSV again: links are made on import), failed documents (they have no
 * package), batch file lists, start times and counts of skipped or failed
 * files, fixity check history, ingest times.
 */
#include "kt_pipeline.h"
#include "kt_archive.h"
#include "kt_buf.h"
#include "kt_catalog.h"
#include "kt_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "<dir>/<name>" into b (emptied first). KT_OK or KT_FATAL. */
static int path_of(kt_buf *b, const char *dir, const char *name)
{
	kt_buf_truncate(b, 0);
	return kt_buf_printf(b, "%s/%s", dir, name);
}

/* Move the old catalog (with its WAL files, so nothing committed is lost)
 * aside as catalog.sqlite.old*, replacing an older copy. */
static int move_catalog_aside(const char *store, kt_error *err)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	kt_buf from = KT_BUF_INIT, to = KT_BUF_INIT;
	size_t i;
	int rc = KT_OK;

	for (i = 0; i < 3 && rc == KT_OK; i++) {
		kt_buf_truncate(&from, 0);
		kt_buf_truncate(&to, 0);
		if (kt_buf_printf(&from, "%s/catalog.sqlite%s", store, suffix[i]) != KT_OK ||
		    kt_buf_printf(&to, "%s/catalog.sqlite.old%s", store, suffix[i]) != KT_OK) {
			rc = kt_error_set(err, KT_FATAL, "out of memory");
			break;
		}
		if ((exists(to.s) && unlink(to.s) != 0) || (exists(from.s) && rename(from.s, to.s) != 0))
			rc = kt_error_set(err, KT_FATAL, "cannot move '%s/catalog.sqlite' aside: %s", store,
			                  strerror(errno));
	}
	kt_buf_release(&from);
	kt_buf_release(&to);
	return rc;
}

/* Check the store, move an old catalog aside (force) and remove the index:
 * what comes before the store is opened. */
static int prepare(const char *store_dir, int force, kt_error *err)
{
	kt_buf path = KT_BUF_INIT;
	kt_error e = { 0 };
	int rc = KT_OK;

	if (!is_dir(store_dir))
		return kt_error_set(err, KT_FATAL, "no store folder '%s'", store_dir);
	if (path_of(&path, store_dir, "archive") != KT_OK)
		return kt_error_set(err, KT_FATAL, "out of memory");
	if (!is_dir(path.s))
		rc = kt_error_set(err, KT_FATAL, "'%s' has no archive folder", store_dir);
	if (rc == KT_OK && path_of(&path, store_dir, "catalog.sqlite") != KT_OK)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc == KT_OK && exists(path.s)) {
		if (!force)
			rc = kt_error_set(err, KT_FATAL, "'%s' exists: delete it, or give --force to move it"
			                  " aside as catalog.sqlite.old", path.s);
		else
			rc = move_catalog_aside(store_dir, err);
	}
	/* the index is made again from nothing */
	if (rc == KT_OK && path_of(&path, store_dir, "xapian") != KT_OK)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc == KT_OK && kt_rmtree(path.s, &e) != KT_OK)
		rc = kt_error_set(err, KT_FATAL, "cannot remove the old index: %s", e.msg);
	kt_buf_release(&path);
	return rc;
}

/* Restore one document from its newest package, pkgs[n - 1], and record
 * every version pkgs[0..n) (when and why each was made, as the newest
 * package's record tells; unknown for the versions it does not list). KT_OK,
 * KT_FAILED (reason in *why, the handle's slot that has it) or KT_FATAL (the
 * catalog cannot go on). */
static int restore_one(kt_store *s, char *const *pkgs, int n, int version, const kt_error **why)
{
	kt_archive *a = kt_store_archive(s);
	kt_catalog *c = kt_store_catalog(s);
	const char *pkg = pkgs[n - 1];
	kt_doc *rec = NULL;
	int rc, j;
	size_t k;

	*why = NULL;
	if ((rc = kt_package_read_record(a, pkg, &rec)) != KT_OK) {
		*why = kt_archive_error(a);
		return rc == KT_FATAL ? KT_FATAL : KT_FAILED;
	}
	rc = kt_catalog_doc_restore(c, rec, pkg, version);
	for (j = 0; rc == KT_OK && j < n; j++) {
		const kt_doc_version *v = NULL;
		int vj = 0;

		kt_archive_parse_relpath(pkgs[j], NULL, &vj);
		for (k = 0; k < rec->n_versions; k++)
			if (rec->versions[k].version == vj)
				v = &rec->versions[k];
		rc = kt_catalog_version_restore(c, rec->id, vj, pkgs[j], v ? v->created : NULL,
						v ? v->reason : NULL);
	}
	kt_doc_free(&rec);
	if (rc != KT_OK)
		*why = kt_catalog_error(c);
	return rc == KT_OK ? KT_OK : rc == KT_FATAL ? KT_FATAL : KT_FAILED;
}

/* The tombstones of erased documents (issue 21) back into the catalog: a
 * document erased stays erased, and one whose erasure stopped before its
 * packages were removed is erased in the catalog again (kt_erase finishes
 * the rest). KT_OK, or KT_FATAL with the message in err. */
static int restore_erased(kt_store *s, kt_error *err)
{
	kt_archive *a = kt_store_archive(s);
	kt_catalog *c = kt_store_catalog(s);
	char **ts = NULL;
	int n = 0, i, rc = KT_OK;

	if (kt_archive_tombstones(a, &ts, &n) != KT_OK)
		return kt_error_escalate(err, kt_archive_error(a), KT_FATAL);
	for (i = 0; i < n && rc == KT_OK; i++) {
		json_t *t = json_loads(ts[i], 0, NULL);
		kt_catalog_erasure e = { 0 };

		e.id = (long long)json_integer_value(json_object_get(t, "id"));
		e.sha256 = json_string_value(json_object_get(t, "sha256"));
		e.erased = json_string_value(json_object_get(t, "erased"));
		if (t == NULL || e.id <= 0 || e.sha256 == NULL || e.erased == NULL) {
			json_decref(t);
			rc = kt_error_set(err, KT_FATAL, "a tombstone in the archive folder is not one "
					  "(no id, sha256 or erased): %.60s", ts[i]);
			break;
		}
		e.part = (int)json_integer_value(json_object_get(t, "part"));
		e.reason = json_string_value(json_object_get(t, "reason"));
		e.requested_by = json_string_value(json_object_get(t, "requested_by"));
		e.approved_by = json_string_value(json_object_get(t, "approved_by"));
		e.request_id = (long long)json_integer_value(json_object_get(t, "request_id"));
		if (kt_catalog_doc_erase(c, &e) != KT_OK)
			rc = kt_error_escalate(err, kt_catalog_error(c), KT_FATAL);
		json_decref(t);
	}
	kt_archive_strings_free(&ts, n);
	return rc;
}

int kt_rebuild(const char *store_dir, const kt_rebuild_opts *opts, kt_rebuild_report *report,
               kt_error *err)
{
	static const kt_rebuild_opts none = { 0 };
	kt_rebuild_report rep = { 0 };
	kt_store *s = NULL;
	char **pk = NULL;
	int n = 0, i, first, rc;

	if (opts == NULL)
		opts = &none;
	if (report != NULL)
		*report = rep;
	kt_error_clear(err);
	if (store_dir == NULL)
		return kt_error_set(err, KT_FATAL, "no store folder given");
	if ((rc = prepare(store_dir, opts->force, err)) != KT_OK)
		return rc;
	if (kt_store_open(store_dir, KT_STORE_WRITE, &s, err) != KT_OK)
		return KT_FATAL;
	if (kt_archive_packages(kt_store_archive(s), &pk, &n) != KT_OK) {
		kt_error_escalate(err, kt_archive_error(kt_store_archive(s)), KT_FATAL);
		kt_store_free(&s);
		return KT_FATAL;
	}
	rep.packages = n;
	/* packages are sorted by (id, version): the last of each id is the newest */
	for (i = 0, first = 0; i < n && rc == KT_OK; i++) {
		kt_rebuild_event ev = { .package = pk[i] };
		const kt_error *why = NULL;
		long long next_id = -1;

		kt_archive_parse_relpath(pk[i], &ev.doc_id, &ev.version);
		if (i + 1 < n)
			kt_archive_parse_relpath(pk[i + 1], &next_id, NULL);
		if (next_id == ev.doc_id)
			continue; /* an older version */
		rep.documents++;
		ev.rc = restore_one(s, pk + first, i - first + 1, ev.version, &why);
		first = i + 1;
		if (ev.rc != KT_OK)
			ev.reason = why && why->msg[0] ? why->msg : "out of memory";
		if (ev.rc == KT_OK)
			rep.restored++;
		else if (ev.rc == KT_FAILED)
			rep.failed++;
		if (opts->package != NULL)
			opts->package(opts->ctx, &ev);
		if (ev.rc == KT_FATAL)
			rc = kt_error_set(err, KT_FATAL, "%s: %s", pk[i], ev.reason);
	}
	if (rc == KT_OK)
		rc = restore_erased(s, err);
	if (rc == KT_OK && kt_reindex(s, &rep.indexed, err) != KT_OK)
		rc = KT_FATAL;
	if (rc == KT_OK && rep.failed > 0)
		rc = kt_error_set(err, KT_WARN, "%d of %d document%s could not be restored", rep.failed,
		                  rep.documents, rep.documents == 1 ? "" : "s");
	kt_archive_strings_free(&pk, n);
	kt_store_free(&s);
	if (report != NULL)
		*report = rep;
	return rc;
}
