/*
 * erase.c - a document erased for good (kt_erase, kt_pipeline.h; issue 21,
 * docs/lifecycle.md). In this order, so that a run stopped anywhere is
 * finished by running it again and nothing of the content is left:
 *   1. the tombstone into the archive folder (rebuild reads it): id, the
 *      original's SHA-256, when, why, who requested and who approved, and
 *      a PREMIS deletion event; no content and no file name;
 *   2. the catalog: its rows deleted (secure_delete), the erasure recorded,
 *      the WAL truncated;
 *   3. the index: its pages deleted, the database compacted;
 *   4. the archive: every package version overwritten and removed.
 */
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_file.h"
#include "kt_index.h"
#include "kt_pipeline.h"
#include "kt_text.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tombstone's JSON: what stays of the document (malloc'd; NULL: out of
 * memory). The event follows PREMIS 3's semantic units. */
static char *tombstone(long long id, const char *sha256, int part, int versions, const char *now,
		       const kt_erase_info *info)
{
	char eid[64], *s;
	json_t *t;

	snprintf(eid, sizeof eid, "kt-%08lld-erasure", id);
	t = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:I, s:i, s:{s:{s:s, s:s},"
		      " s:s, s:s, s:s, s:{s:s}, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}],"
		      " s:{s:s, s:s}}}",
		      "id", (json_int_t)id, "sha256", sha256, "status", "erased", "erased", now,
		      "reason", info->reason, "requested_by", info->requested_by,
		      "requested_at", info->requested_at, "approved_by", info->approved_by,
		      "request_id", (json_int_t)info->request_id, "package_versions", versions,
		      "premis_event",
		      "eventIdentifier", "eventIdentifierType", "local", "eventIdentifierValue", eid,
		      "eventType", "deletion", "eventDateTime", now,
		      "eventDetail", info->reason,
		      "eventOutcomeInformation", "eventOutcome", "success",
		      "linkingAgentIdentifier",
		      "linkingAgentIdentifierType", "user", "linkingAgentIdentifierValue",
		      info->requested_by, "linkingAgentRole", "requester",
		      "linkingAgentIdentifierType", "user", "linkingAgentIdentifierValue",
		      info->approved_by, "linkingAgentRole", "approver",
		      "linkingObjectIdentifier", "linkingObjectIdentifierType", "sha256",
		      "linkingObjectIdentifierValue", sha256);
	if (t != NULL && part > 0)
		json_object_set_new(t, "part", json_integer(part));
	s = t ? json_dumps(t, JSON_INDENT(2) | JSON_ENSURE_ASCII) : NULL;
	json_decref(t);
	return s;
}

/* Shred every catalog.sqlite.schema-N of the store (kt_catalog_open made
 * them before upgrades). KT_OK, or KT_FATAL with the file named in err. */
static int shred_catalog_copies(const char *dir, kt_error *err)
{
	static const char prefix[] = "catalog.sqlite" KT_CATALOG_COPY_INFIX;
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int rc = KT_OK, x;

	if (d == NULL)
		return kt_error_set(err, KT_FATAL, "cannot read the store folder '%s': %s", dir,
				    strerror(errno));
	while (rc == KT_OK && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, sizeof prefix - 1) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if ((x = kt_file_shred(path)) != 0)
			rc = kt_error_set(err, KT_FATAL, "cannot erase the catalog copy '%s': %s", path,
					  strerror(x));
	}
	closedir(d);
	return rc;
}

int kt_erase(kt_store *s, long long id, const kt_erase_info *info, kt_error *err)
{
	kt_catalog *c = kt_store_catalog(s);
	kt_archive *a = kt_store_archive(s);
	kt_index *ix;
	kt_doc *doc = NULL;
	char now[21], sha256[65], *ts;
	int part = 0, versions = 0, removed = 0, rc;

	if (info == NULL || info->reason == NULL || !info->reason[0] || info->requested_by == NULL ||
	    !info->requested_by[0] || info->approved_by == NULL || !info->approved_by[0])
		return kt_error_set(err, KT_FAILED, "document %lld: an erasure needs a reason, who "
				    "requested it and who approved it", id);
	kt_now_iso(now);
	if (kt_catalog_doc_get(c, id, &doc) == KT_OK) {
		snprintf(sha256, sizeof sha256, "%s", doc->sha256 ? doc->sha256 : "");
		part = doc->part;
		versions = doc->n_versions > 0 ? (int)doc->n_versions : doc->package != NULL;
		kt_doc_free(&doc);
		ts = tombstone(id, sha256, part, versions, now, info);
		if (ts == NULL)
			return kt_error_set(err, KT_FATAL, "out of memory");
		rc = kt_archive_tombstone_put(a, id, sha256, ts, strlen(ts));
		free(ts);
		if (rc != KT_OK)
			return kt_error_pass(err, kt_archive_error(a));
		rc = kt_catalog_doc_erase(c, &(kt_catalog_erasure){
			.id = id, .sha256 = sha256, .part = part, .erased = now, .reason = info->reason,
			.requested_by = info->requested_by, .approved_by = info->approved_by,
			.request_id = info->request_id });
		if (rc != KT_OK)
			return kt_error_escalate(err, kt_catalog_error(c), KT_FATAL);
	} else if ((rc = kt_catalog_erased_get(c, id, sha256, &part)) != KT_OK) {
		return kt_error_escalate(err, kt_catalog_error(c), rc);
	}
	/* the copies of the catalog made before schema upgrades hold it too */
	if ((rc = shred_catalog_copies(kt_store_dir(s), err)) != KT_OK)
		return rc;
	/* steps 3 and 4: also when a run stopped after step 2 left them */
	if ((ix = kt_store_index(s, err)) == NULL)
		return KT_FATAL;
	if (kt_index_delete_doc(ix, id) != KT_OK || kt_index_compact(ix) != KT_OK)
		return kt_error_escalate(err, kt_index_error(ix), KT_FATAL);
	if (kt_archive_erase_doc(a, id, sha256, &removed) != KT_OK)
		return kt_error_escalate(err, kt_archive_error(a), KT_FATAL);
	return KT_OK;
}
