/*
 * edit.c - kt_edit (kt_pipeline.h): an archivist's corrections of a
 * document's fields and page texts, recorded in the catalog with who and
 * when, and written to the archive as a new package version made by
 * kt_reprocess, which applies every correction of the document over what
 * OCR and extraction give (runner_record.c). So a correction is never lost
 * to a later reprocessing, and the old versions stay as they were.
 */
#include "runner_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kt_edit(kt_store *s, long long id, const kt_doc_correction *list, size_t n,
	    const kt_reprocess_opts *opts, int *version, char **package, kt_error *err)
{
	kt_catalog *c = kt_store_catalog(s);
	kt_doc *doc = NULL;
	long long first = 0;
	size_t i;
	int rc;

	if (n == 0)
		return kt_error_set(err, KT_FAILED, "document %lld: nothing to correct", id);
	if (opts == NULL || opts->reason == NULL || opts->reason[strspn(opts->reason, " \t\r\n")] == '\0')
		return kt_error_set(err, KT_FAILED, "document %lld: a correction needs a reason", id);
	if (kt_catalog_doc_get(c, id, &doc) != KT_OK)
		return kt_error_pass(err, kt_catalog_error(c));
	for (i = 0; i < n; i++)
		if (strcmp(list[i].field, "page_text") == 0 && (size_t)list[i].page > doc->n_pages) {
			rc = kt_error_set(err, KT_FAILED, "document %lld has %zu page%s, no page %d", id,
					  doc->n_pages, doc->n_pages == 1 ? "" : "s", list[i].page);
			kt_doc_free(&doc);
			return rc;
		}
	kt_doc_free(&doc);
	if (kt_catalog_corrections_add(c, id, list, n, &first) != KT_OK)
		return kt_error_pass(err, kt_catalog_error(c));
	rc = kt_reprocess(s, id, opts, version, package, err);
	/* no version holds them: taken back, so the catalog says what the
	 * archive does */
	if (rc < KT_WARN && kt_catalog_corrections_drop(c, id, first) != KT_OK)
		kt_error_set(err, KT_FATAL, "%s; and the corrections could not be taken back: %s",
			     err->msg, kt_catalog_errmsg(c));
	return rc < KT_WARN && err->code == KT_FATAL ? KT_FATAL : rc;
}
