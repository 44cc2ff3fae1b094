/*
 * catalog_fixity.c - fixity checks in the catalog (table fixity_checks,
 * schema version 2): every `kartoteka verify` of an archive package, its
 * result, its problems and its PREMIS fixity event.
 */
#include "catalog_private.h"
#include "kt_text.h"

#include <stdlib.h>
#include <string.h>

int kt_catalog_fixity_record(kt_catalog *c, const char *package, long long doc_id,
			     const char *checked, int passed, json_t *problems, const char *event)
{
	char now[21], *probs;
	int rc;

	if (checked == NULL) {
		kt_now_iso(now);
		checked = now;
	}
	probs = problems ? json_dumps(problems, JSON_COMPACT | JSON_PRESERVE_ORDER) : strdup("[]");
	if (probs == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	rc = kt_cat_do(c, "record a fixity check",
		"INSERT INTO fixity_checks(package, doc_id, checked, result, problems, event)"
		" VALUES (?,nullif(?,0),?,?,?,?)", "sissss",
		package, doc_id, checked, passed ? "pass" : "fail", probs, event);
	free(probs);
	return rc;
}

int kt_catalog_fixity_last(kt_catalog *c, const char *package, char **checked)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT max(checked) FROM fixity_checks WHERE package=?",
				       "s", package);
	int rc;

	*checked = NULL;
	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*checked = kt_cat_col_strdup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kt_cat_fail(c, "look a fixity check up");
	return KT_OK;
}

json_t *kt_catalog_fixity_json(kt_catalog *c, const char *package)
{
	json_t *arr = json_array();
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT package, doc_id, checked, result, problems, event"
				       " FROM fixity_checks WHERE ? IS NULL OR package=? ORDER BY id",
				       "ss", package, package);

	if (st == NULL) {
		json_decref(arr);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = json_object(), *probs = NULL;
		const unsigned char *p = sqlite3_column_text(st, 4);

		json_object_set_new(o, "package", kt_cat_col_json(st, 0));
		json_object_set_new(o, "doc_id", sqlite3_column_type(st, 1) == SQLITE_NULL ? json_null()
					: json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(o, "checked", kt_cat_col_json(st, 2));
		json_object_set_new(o, "result", kt_cat_col_json(st, 3));
		if (p != NULL)
			probs = json_loads((const char *)p, 0, NULL);
		json_object_set_new(o, "problems", probs ? probs : json_array());
		json_object_set_new(o, "event", kt_cat_col_json(st, 5));
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(st);
	return arr;
}
