/*
 * access_hold.c - legal holds in the access database (kt_access.h, "legal
 * holds"; the table is schema version 2 of access.c). A hold names a
 * document or a case; while it is active nothing it names may be erased.
 * A removed hold stays as a row with who removed it, when and why, so the
 * holds are a record of their own; the database refuses to delete one.
 */
#include "access_private.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char columns[] =
	"id, target, reason, placed_by, placed_at, removed_by, removed_at, removed_reason";

/* 1 when target is "doc:ID" or "case:NUMBER" (a number of 1-200 bytes
 * without control characters). */
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
	if (strncmp(t, "case:", 5) != 0 || t[5] == '\0' || strlen(t + 5) > 200)
		return 0;
	for (p = t + 5; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* 1 when the holds table exists (a database opened read-only may be older
 * than holds), 0 when not, -1 on error (set). */
static int have_holds(kt_access *a)
{
	return acc_have_table(a, "holds", "read the legal holds");
}

/* The current row (the columns above) as a hold object; NULL when out of
 * memory. */
static json_t *row_json(sqlite3_stmt *st)
{
	static const char *const keys[] = { "target", "reason", "placed_by", "placed_at",
					    "removed_by", "removed_at", "removed_reason" };
	json_t *o = json_object();
	size_t i;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_set_new(o, keys[i], acc_col_text(st, (int)i + 1));
	return o;
}

int kt_access_hold_add(kt_access *a, const char *target, const char *reason, const char *placed_by,
		       long long *id)
{
	char now[32];
	sqlite3_stmt *st;
	int rc;

	kt_error_clear(&a->err);
	*id = 0;
	if (!target_valid(target))
		return kt_error_set(&a->err, KT_FAILED, "a legal hold's target is doc:ID or case:NUMBER,"
				    " not '%s'", target ? target : "");
	if (reason == NULL || reason[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "a legal hold needs a reason");
	if (placed_by == NULL || placed_by[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "a legal hold needs the user who places it");
	acc_now_iso(now);
	if ((st = acc_prep(a, "INSERT INTO holds(target, reason, placed_by, placed_at)"
			  " VALUES (?,?,?,?)")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, target);
	acc_bind_text(st, 2, reason);
	acc_bind_text(st, 3, placed_by);
	acc_bind_text(st, 4, now);
	if ((rc = acc_run_change(a, st, "place the legal hold on", NULL, target)) == KT_OK)
		*id = (long long)sqlite3_last_insert_rowid(a->db);
	return rc;
}

int kt_access_hold_get(kt_access *a, long long id, json_t **out)
{
	int rc;

	kt_error_clear(&a->err);
	*out = NULL;
	if ((rc = have_holds(a)) <= 0)
		return rc < 0 ? KT_FATAL : kt_error_set(&a->err, KT_FAILED, "no legal hold %lld", id);
	return acc_get_row(a, "holds", columns, id, row_json, "legal hold", out);
}

int kt_access_hold_remove(kt_access *a, long long id, const char *removed_by, const char *reason)
{
	char now[32], subject[40];
	sqlite3_stmt *st;
	json_t *h = NULL;
	int rc;

	kt_error_clear(&a->err);
	if (reason == NULL || reason[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "removing a legal hold needs a reason");
	if (removed_by == NULL || removed_by[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "removing a legal hold needs the user who does");
	acc_now_iso(now);
	if ((st = acc_prep(a, "UPDATE holds SET removed_by = ?, removed_at = ?, removed_reason = ?"
			  " WHERE id = ? AND removed_at IS NULL")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, removed_by);
	acc_bind_text(st, 2, now);
	acc_bind_text(st, 3, reason);
	sqlite3_bind_int64(st, 4, id);
	snprintf(subject, sizeof subject, "%lld", id);
	if ((rc = acc_run_change(a, st, "remove the legal hold", NULL, subject)) != KT_OK)
		return rc;
	if (sqlite3_changes(a->db) > 0)
		return KT_OK;
	/* nothing changed: no such hold, or removed already */
	if ((rc = kt_access_hold_get(a, id, &h)) != KT_OK)
		return rc;
	rc = kt_error_set(&a->err, KT_FAILED, "legal hold %lld was removed already (%s, by %s)", id,
			  json_string_value(json_object_get(h, "removed_at")),
			  json_string_value(json_object_get(h, "removed_by")));
	json_decref(h);
	return rc;
}

json_t *kt_access_holds_json(kt_access *a, int active_only)
{
	char sql[300];
	int rc;

	kt_error_clear(&a->err);
	if ((rc = have_holds(a)) <= 0)
		return rc < 0 ? NULL : json_array();
	snprintf(sql, sizeof sql, "SELECT %s FROM holds%s ORDER BY id", columns,
		 active_only ? " WHERE removed_at IS NULL" : "");
	return acc_list_rows(a, sql, row_json, "list the legal holds");
}

/* The first active hold on target into why: 1 when there is one, 0 when
 * not, -1 on error (set). */
static int held_on(kt_access *a, sqlite3_stmt *st, const char *target, char *why, size_t why_size)
{
	int rc;

	sqlite3_reset(st);
	acc_bind_text(st, 1, target);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && why != NULL && why_size > 0)
		snprintf(why, why_size, "hold %lld on %s: %s", (long long)sqlite3_column_int64(st, 0),
			 target, (const char *)sqlite3_column_text(st, 1));
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	acc_db_error(a, "read the legal holds");
	return -1;
}

int kt_access_doc_held(kt_access *a, long long doc_id, const char *const *cases, size_t n_cases,
		       char *why, size_t why_size)
{
	char target[220];
	sqlite3_stmt *st;
	size_t i;
	int rc;

	kt_error_clear(&a->err);
	if (why != NULL && why_size > 0)
		why[0] = '\0';
	if ((rc = have_holds(a)) <= 0)
		return rc;
	if ((st = acc_prep(a, "SELECT id, reason FROM holds WHERE target = ? AND removed_at IS NULL"
			  " ORDER BY id LIMIT 1")) == NULL)
		return -1;
	rc = 0;
	if (doc_id > 0) {
		snprintf(target, sizeof target, "doc:%lld", doc_id);
		rc = held_on(a, st, target, why, why_size);
	}
	for (i = 0; rc == 0 && cases != NULL && i < n_cases; i++) {
		/* a case number too long for a hold's target is held by none */
		if (cases[i] == NULL || snprintf(target, sizeof target, "case:%s", cases[i]) >=
		    (int)sizeof target)
			continue;
		rc = held_on(a, st, target, why, why_size);
	}
	sqlite3_finalize(st);
	return rc;
}
