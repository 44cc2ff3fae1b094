/*
 * access_erase.c - four-eyes erasure requests in the access database
 * (kt_access.h, "erase requests"; the table is schema version 1 of
 * access.c). They live beside the users and the audit log, not in the
 * catalog, so that `kartoteka rebuild` keeps them.
 */
#include "access_private.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char columns[] =
	"id, target, docs, kept, reason, requested_by, requested_at, state, decided_by,"
	" decided_at, result";

static int state_valid(const char *s)
{
	static const char *const states[] = { "requested", "approved", "refused", "done", "failed" };
	size_t i;

	for (i = 0; s != NULL && i < sizeof states / sizeof states[0]; i++)
		if (strcmp(s, states[i]) == 0)
			return 1;
	return 0;
}

/* 1 when v is an array of document ids (whole numbers above 0). */
static int ids_valid(json_t *v)
{
	size_t i;
	json_t *x;

	if (!json_is_array(v))
		return 0;
	json_array_foreach(v, i, x)
		if (!json_is_integer(x) || json_integer_value(x) <= 0)
			return 0;
	return 1;
}

/* 1 when target is "doc:ID" or "case:NUMBER" (a number of 1-200 bytes). */
static int target_valid(const char *t)
{
	const char *p;
	char *end;

	if (t == NULL)
		return 0;
	if (strncmp(t, "doc:", 4) == 0) {
		p = t + 4;
		return *p >= '1' && *p <= '9' && strtoll(p, &end, 10) > 0 && *end == '\0';
	}
	return strncmp(t, "case:", 5) == 0 && t[5] != '\0' && strlen(t + 5) <= 200;
}

/* Column i (JSON text of an array) as JSON: the array, or null. */
static json_t *col_array(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;

	return v ? v : json_null();
}

/* The current row (the columns above) as a request object; NULL when out
 * of memory. */
static json_t *row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "target", acc_col_text(st, 1));
	json_object_set_new(o, "docs", col_array(st, 2));
	json_object_set_new(o, "kept", col_array(st, 3));
	json_object_set_new(o, "reason", acc_col_text(st, 4));
	json_object_set_new(o, "requested_by", acc_col_text(st, 5));
	json_object_set_new(o, "requested_at", acc_col_text(st, 6));
	json_object_set_new(o, "state", acc_col_text(st, 7));
	json_object_set_new(o, "decided_by", acc_col_text(st, 8));
	json_object_set_new(o, "decided_at", acc_col_text(st, 9));
	json_object_set_new(o, "result", acc_col_text(st, 10));
	return o;
}

int kt_access_erase_add(kt_access *a, const char *target, json_t *docs, json_t *kept,
			const char *reason, const char *requested_by, long long *id)
{
	char now[32], *d = NULL, *k = NULL;
	sqlite3_stmt *st;
	int rc;

	kt_error_clear(&a->err);
	*id = 0;
	if (!target_valid(target))
		return kt_error_set(&a->err, KT_FAILED, "an erase request's target is doc:ID or case:NUMBER,"
				    " not '%s'", target ? target : "");
	if (!ids_valid(docs) || (kept != NULL && !ids_valid(kept)))
		return kt_error_set(&a->err, KT_FAILED, "an erase request lists documents by their ids");
	if (strncmp(target, "doc:", 4) == 0 && json_array_size(docs) != 1)
		return kt_error_set(&a->err, KT_FAILED, "a request for '%s' erases that one document",
				    target);
	if (reason == NULL || reason[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "an erase request needs a reason");
	if (requested_by == NULL || requested_by[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "an erase request needs the user who asks");
	d = json_dumps(docs, JSON_COMPACT);
	k = kept ? json_dumps(kept, JSON_COMPACT) : NULL;
	if (d == NULL || (kept != NULL && k == NULL)) {
		free(d);
		free(k);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	acc_now_iso(now);
	st = acc_prep(a, "INSERT INTO erase_requests(target, docs, kept, reason, requested_by,"
		      " requested_at, state) VALUES (?,?,?,?,?,?,'requested')");
	if (st == NULL) {
		free(d);
		free(k);
		return KT_FATAL;
	}
	acc_bind_text(st, 1, target);
	acc_bind_text(st, 2, d);
	acc_bind_text(st, 3, k);
	acc_bind_text(st, 4, reason);
	acc_bind_text(st, 5, requested_by);
	acc_bind_text(st, 6, now);
	free(d);
	free(k);
	if ((rc = acc_run_change(a, st, "record the erase request", NULL, target)) == KT_OK)
		*id = (long long)sqlite3_last_insert_rowid(a->db);
	return rc;
}

int kt_access_erase_get(kt_access *a, long long id, json_t **out)
{
	kt_error_clear(&a->err);
	return acc_get_row(a, "erase_requests", columns, id, row_json, "erase request", out);
}

json_t *kt_access_erase_list_json(kt_access *a)
{
	char sql[200];
	int rc;

	kt_error_clear(&a->err);
	/* a database opened read-only may be older than requests */
	if ((rc = acc_have_table(a, "erase_requests", "list erase requests")) <= 0)
		return rc < 0 ? NULL : json_array();
	snprintf(sql, sizeof sql, "SELECT %s FROM erase_requests ORDER BY id", columns);
	return acc_list_rows(a, sql, row_json, "list erase requests");
}

int kt_access_erase_set_state(kt_access *a, long long id, const char *from, const char *to,
			      const char *user, const char *result)
{
	char now[32], subject[40];
	sqlite3_stmt *st;
	json_t *req = NULL;
	int rc;

	kt_error_clear(&a->err);
	if (!state_valid(from) || !state_valid(to))
		return kt_error_set(&a->err, KT_FAILED, "no such state of an erase request: '%s'",
				    state_valid(from) ? to : from);
	acc_now_iso(now);
	if ((st = acc_prep(a, "UPDATE erase_requests SET state = ?1,"
			  " decided_by = coalesce(?2, decided_by),"
			  " decided_at = CASE WHEN ?2 IS NULL THEN decided_at ELSE ?3 END,"
			  " result = coalesce(?4, result)"
			  " WHERE id = ?5 AND state = ?6"
			  " AND (?1 <> 'approved' OR requested_by <> coalesce(?2, decided_by, requested_by))"))
	    == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, to);
	acc_bind_text(st, 2, user);
	acc_bind_text(st, 3, now);
	acc_bind_text(st, 4, result);
	sqlite3_bind_int64(st, 5, id);
	acc_bind_text(st, 6, from);
	snprintf(subject, sizeof subject, "%lld", id);
	if ((rc = acc_run_change(a, st, "change erase request", NULL, subject)) != KT_OK)
		return rc;
	if (sqlite3_changes(a->db) > 0)
		return KT_OK;
	/* nothing changed: say why */
	if ((rc = kt_access_erase_get(a, id, &req)) != KT_OK)
		return rc;
	if (strcmp(json_string_value(json_object_get(req, "state")), from) != 0)
		rc = kt_error_set(&a->err, KT_FAILED, "erase request %lld is %s, not %s", id,
				  json_string_value(json_object_get(req, "state")), from);
	else
		rc = kt_error_set(&a->err, KT_FAILED, "erase request %lld was made by '%s', who cannot"
				  " approve it: another admin must (four-eyes rule)", id,
				  json_string_value(json_object_get(req, "requested_by")));
	json_decref(req);
	return rc;
}
