/*
 * catalog_retention.c - what a retention report reads (issue 21,
 * kt_catalog_retention_docs in kt_catalog.h): each document that is done
 * with the case records it is linked to, their type and closed_date (an
 * optional column of the case records, kept among their extra columns).
 */
#include "catalog_private.h"

json_t *kt_catalog_retention_docs(kt_catalog *c)
{
	sqlite3_stmt *st = kt_cat_prep(c,
		"SELECT d.id, l.case_number, k.case_type, json_extract(k.extra, '$.closed_date')"
		" FROM documents d LEFT JOIN case_links l ON l.doc_id=d.id"
		" LEFT JOIN cases k ON k.case_number=l.case_number"
		" WHERE d.status='done' ORDER BY d.id, l.case_number", "");
	json_t *a = json_array(), *doc = NULL;
	long long last = -1;
	int rc = SQLITE_DONE;

	if (st == NULL || a == NULL) {
		sqlite3_finalize(st);
		json_decref(a);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);

		if (id != last) {
			doc = json_pack("{s:I, s:[]}", "id", (json_int_t)id, "cases");
			if (doc == NULL || json_array_append_new(a, doc) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
			last = id;
		}
		if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
		    json_array_append_new(json_object_get(doc, "cases"),
					  json_pack("{s:s, s:s?, s:s?}", "case_number",
						    (const char *)sqlite3_column_text(st, 1), "case_type",
						    (const char *)sqlite3_column_text(st, 2), "closed_date",
						    (const char *)sqlite3_column_text(st, 3))) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		kt_cat_fail(c, "read the documents for retention");
		return NULL;
	}
	return a;
}
