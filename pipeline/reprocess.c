/*
 * reprocess.c - kt_reprocess (kt_pipeline.h): one document made again from
 * its original, through the batch's stages (runner_stages.c), into a new
 * package version beside the old ones. As OCFL keeps an object's versions,
 * nothing is overwritten: the old package stays, the catalog's versions
 * table grows by one row, and the new package's record and METS say why.
 */
#include "runner_private.h"
#include "kt_archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The document's original, from its current package, checked against the
 * SHA-256 the catalog has: into d (data, len, sha256). */
static int read_original(kt_store *s, const kt_doc *doc, kt_run_doc *d, kt_error *err)
{
	kt_archive *a = kt_store_archive(s);
	char *orig = NULL;
	void *data = NULL;
	int rc;

	if ((rc = kt_package_find_original(a, doc->package, &orig)) != KT_OK)
		return kt_error_pass(err, kt_archive_error(a));
	rc = kt_archive_read_file(a, doc->package, orig, &data, &d->len);
	if (rc != KT_OK)
		kt_error_set(err, rc, "document %lld: cannot read its original '%s' from '%s': %s",
			     doc->id, orig, doc->package, kt_archive_error(a)->msg);
	free(orig);
	if (rc != KT_OK)
		return rc;
	d->buf = data;
	d->data = d->buf;
	if (kt_sha256_hex(d->data, d->len, d->sha256) != KT_OK)
		return kt_error_set(err, KT_FATAL, "cannot compute SHA-256");
	if (doc->sha256 == NULL || strcmp(d->sha256, doc->sha256) != 0)
		return kt_error_set(err, KT_FAILED, "document %lld: the original in '%s' no longer "
				    "matches the SHA-256 of the catalog (run kartoteka verify)",
				    doc->id, doc->package);
	return KT_OK;
}

/* The next version number: one past every version the document has. */
static int next_version(const kt_doc *doc)
{
	int v = doc->package_version;
	size_t i;

	for (i = 0; i < doc->n_versions; i++)
		if (doc->versions[i].version > v)
			v = doc->versions[i].version;
	return v + 1;
}

int kt_reprocess(kt_store *s, long long id, const kt_reprocess_opts *opts, int *version,
		 char **package, kt_error *err)
{
	static const kt_ingest_opts none = { 0 };
	kt_run r = { .store = s, .catalog = kt_store_catalog(s), .opts = &none };
	kt_doc *doc = NULL;
	kt_run_doc *d = NULL;
	int rc;

	if (version)
		*version = 0;
	if (package)
		*package = NULL;
	if (opts == NULL || opts->reason == NULL || opts->reason[strspn(opts->reason, " \t\r\n")] == '\0')
		return kt_error_set(err, KT_FAILED, "document %lld: a new version needs a reason", id);
	if (kt_catalog_doc_get(r.catalog, id, &doc) != KT_OK)
		return kt_error_pass(err, kt_catalog_error(r.catalog));
	if (doc->status != KT_DOC_DONE || doc->package == NULL) {
		rc = kt_error_set(err, KT_FAILED, "document %lld is %s: only a document that is done "
				  "has an original to make again", id,
				  kt_doc_status_name(doc->status) ? kt_doc_status_name(doc->status) : "unknown");
		goto out;
	}
	if ((d = calloc(1, sizeof *d)) == NULL) {
		rc = kt_error_set(err, KT_FATAL, "out of memory");
		goto out;
	}
	d->path = doc->source;
	d->id = id;
	d->version = next_version(doc);
	d->version_reason = opts->reason;
	d->history = doc;
	/* a part of a file: its pages of the original again */
	d->part = doc->part;
	d->parts = doc->parts;
	d->first_page = doc->first_page;
	d->last_page = doc->last_page;
	d->separator = doc->separator;
	if ((rc = read_original(s, doc, d, err)) != KT_OK)
		goto out;
	r.jobs = opts->jobs > 0 ? opts->jobs : kt_pool_default_jobs();
	r.batch_name = doc->batch ? doc->batch : "";
	r.last_commit = time(NULL);
	if ((rc = kt_run_extract_cfg(&r, err)) != KT_OK)
		goto out;
	/* The stages of a batch, for one document: nothing in the catalog
	 * changes unless every stage up to it succeeds. */
	rc = kt_run_begin(&r, d);
	if (rc == KT_OK)
		rc = kt_run_end(&r, d);
	if (rc < KT_WARN) {
		kt_error_pass(err, &d->err);
		goto out;
	}
	if (d->warning[0])
		kt_error_set(err, KT_WARN, "%s", d->warning);
	if (kt_run_flush_index(&r, err) != KT_OK) {
		rc = KT_FATAL;
		goto out;
	}
	if (version)
		*version = d->version;
	if (package && d->package && (*package = strdup(d->package)) == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	else if (d->warning[0])
		rc = KT_WARN;
	else
		rc = KT_OK;
out:
	/* the workers are stopped before the pages they may hold are freed */
	kt_pool_free(&r.pool);
	kt_run_doc_free(&d);
	kt_extract_cfg_free(&r.xcfg);
	free(r.unindexed);
	kt_doc_free(&doc);
	return rc;
}
