/*
 * access_audit.c - the audit log of STORE/access.sqlite (append-only: the
 * schema's triggers refuse UPDATE and DELETE), what it keeps of a text a
 * client chose, and the windows of refused logins, counted rather than
 * written one row each (docs/web.md, "What is audited").
 */
#include "access_private.h"
#include "kt_buf.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run sql (no rows) on the handle; KT_OK or KT_FATAL with the message. */
static int exec_sql(kt_access *a, const char *sql, const char *what)
{
	return sqlite3_exec(a->db, sql, NULL, NULL, NULL) == SQLITE_OK ? KT_OK : acc_db_error(a, what);
}

/* End the transaction begun by the caller: COMMIT when rc is KT_OK (a
 * failed COMMIT makes rc KT_FATAL), else ROLLBACK. Returns rc. */
static int tx_end(kt_access *a, int rc)
{
	if (rc == KT_OK)
		rc = exec_sql(a, "COMMIT", "record login refusals");
	if (rc != KT_OK)
		sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* The audit object of a refusal window: how many logins it refused, since
 * when, the last when given (> 0), and " names:any" when the address was
 * held back whatever the name. */
static void refusal_object(char *out, size_t n, long long count, long long since, long long last,
			   int by_address)
{
	char t1[32], t2[32];

	acc_iso_at(since, t1);
	acc_iso_at(last, t2);
	snprintf(out, n, "count:%lld since:%s%s%s%s", count, t1, last > 0 ? " last:" : "",
		 last > 0 ? t2 : "", by_address ? " names:any" : "");
}

/*
 * Refused logins (the rate limit held them back) are not one audit row each:
 * anyone could flood the log with them (issue 17 item 3). A window of
 * KT_ACCESS_WINDOW seconds opens at a pair's (name, address) first refusal,
 * or an address's when it is held back whatever the name; its first refusal
 * writes a login-limited row ("count:1 since:T"), the others only count in
 * login_refusals. When the window has closed (seen at the next login
 * attempt from anywhere) or the pair logs in, one more login-limited row
 * carries the window's whole count ("count:N since:T last:L"), when N > 1,
 * and the window is forgotten. The audit table stays append-only: no row
 * is ever changed, at most two are written per window.
 */

/* Close the windows opened a window ago or more, and the pair (name,
 * remote)'s when name is given: the summary rows, then the windows gone,
 * in one transaction. KT_OK or KT_FATAL. */
int acc_refusals_close(kt_access *a, long long now, const char *name, const char *remote)
{
	static const char where[] = " FROM login_refusals WHERE since <= ?1"
				    " OR (scope = 'name' AND remote = ?2 AND name = ?3)";
	char sql[200], obj[160];
	sqlite3_stmt *st;
	int rc = KT_OK, step = SQLITE_DONE;

	if (exec_sql(a, "BEGIN IMMEDIATE", "record login refusals") != KT_OK)
		return KT_FATAL;
	snprintf(sql, sizeof sql, "SELECT remote, scope, user, since, last, count%s", where);
	if ((st = acc_prep(a, sql)) == NULL)
		return tx_end(a, KT_FATAL);
	sqlite3_bind_int64(st, 1, now - KT_ACCESS_WINDOW);
	if (name) {
		acc_bind_text(st, 2, remote);
		acc_bind_text(st, 3, name);
	}
	/* one row per open window: a handful per address (the rate limit) */
	while (rc == KT_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		long long count = sqlite3_column_int64(st, 5);

		if (count < 2)
			continue;
		refusal_object(obj, sizeof obj, count, sqlite3_column_int64(st, 3),
			       sqlite3_column_int64(st, 4),
			       !strcmp((const char *)sqlite3_column_text(st, 1), "address"));
		rc = kt_access_audit(a, (const char *)sqlite3_column_text(st, 2), "", "login-limited",
				     obj, (const char *)sqlite3_column_text(st, 0));
	}
	if (rc == KT_OK && step != SQLITE_DONE)
		rc = acc_db_error(a, "read login refusals");
	sqlite3_finalize(st);
	if (rc == KT_OK) {
		snprintf(sql, sizeof sql, "DELETE%s", where);
		if ((st = acc_prep(a, sql)) == NULL)
			return tx_end(a, KT_FATAL);
		sqlite3_bind_int64(st, 1, now - KT_ACCESS_WINDOW);
		if (name) {
			acc_bind_text(st, 2, remote);
			acc_bind_text(st, 3, name);
		}
		rc = acc_run_change(a, st, "forget login refusals", NULL, "");
	}
	return tx_end(a, rc);
}

/* One refused login of (key, remote), or of remote whatever the name when
 * by_address: counted in its window, the first of a window written as a
 * login-limited row (user: the name submitted, cut by the audit). KT_OK or
 * KT_FATAL (nothing recorded). */
int acc_refusal(kt_access *a, const char *key, const char *name, const char *remote,
		   int by_address, long long now)
{
	const char *scope = by_address ? "address" : "name";
	char obj[160];
	sqlite3_stmt *st;
	int rc;

	if (exec_sql(a, "BEGIN IMMEDIATE", "record login refusals") != KT_OK)
		return KT_FATAL;
	if ((st = acc_prep(a, "UPDATE login_refusals SET count = count + 1, last = ?1"
			  " WHERE remote = ?2 AND scope = ?3 AND name = ?4")) == NULL)
		return tx_end(a, KT_FATAL);
	sqlite3_bind_int64(st, 1, now);
	acc_bind_text(st, 2, remote);
	acc_bind_text(st, 3, scope);
	acc_bind_text(st, 4, by_address ? "" : key);
	if ((rc = acc_run_change(a, st, "record login refusals", NULL, "")) != KT_OK ||
	    sqlite3_changes(a->db) > 0)
		return tx_end(a, rc);
	/* the window's first refusal */
	if ((st = acc_prep(a, "INSERT INTO login_refusals(remote, scope, name, user, since, last, count)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1)")) == NULL)
		return tx_end(a, KT_FATAL);
	acc_bind_text(st, 1, remote);
	acc_bind_text(st, 2, scope);
	acc_bind_text(st, 3, by_address ? "" : key);
	acc_bind_text(st, 4, key);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = acc_run_change(a, st, "record login refusals", NULL, "")) == KT_OK) {
		refusal_object(obj, sizeof obj, 1, now, 0, by_address);
		rc = kt_access_audit(a, name, "", "login-limited", obj, remote);
	}
	return tx_end(a, rc);
}

/* What the audit log keeps of a text a client may have chosen (a submitted
 * user name, a searched query): at most cap bytes, cut on a character, with
 * control characters and bytes that are not UTF-8 written as \xHH, so that
 * no row can hold a line break or a terminal escape. Into b (reset first);
 * KT_OK or KT_FATAL. */
static int audit_text(kt_buf *b, const char *s, size_t cap)
{
	size_t n = s ? strlen(s) : 0, taken;

	kt_buf_truncate(b, 0);
	if (kt_buf_reserve(b, 0) != KT_OK || kt_utf8_add_printable(b, s, n, cap, &taken) != KT_OK)
		return KT_FATAL;
	if (taken < n && kt_buf_puts(b, "...") != KT_OK)
		return KT_FATAL;
	return KT_OK;
}

int kt_access_audit(kt_access *a, const char *user, const char *role, const char *action,
		    const char *object, const char *remote)
{
	const char *in[5] = { user, role, action, object, remote };
	static const size_t caps[5] = { 128, 32, 32, 1024, 64 };
	kt_buf v[5] = { KT_BUF_INIT, KT_BUF_INIT, KT_BUF_INIT, KT_BUF_INIT, KT_BUF_INIT };
	char now[32];
	sqlite3_stmt *st = NULL;
	int i, rc = KT_OK;

	acc_now_iso(now);
	for (i = 0; i < 5 && rc == KT_OK; i++)
		if (audit_text(&v[i], in[i], caps[i]) != KT_OK)
			rc = kt_error_set(&a->err, KT_FATAL, "cannot write the audit log: out of memory");
	if (rc == KT_OK && (st = acc_prep(a, "INSERT INTO audit(at, user, role, action, object, remote)"
				      " VALUES (?,?,?,?,?,?)")) == NULL)
		rc = KT_FATAL;
	if (rc == KT_OK) {
		acc_bind_text(st, 1, now);
		for (i = 0; i < 5; i++)
			acc_bind_text(st, i + 2, kt_buf_cstr(&v[i]));
		if (acc_run_change(a, st, "write the audit log", NULL, "") != KT_OK)
			rc = KT_FATAL;
	}
	for (i = 0; i < 5; i++)
		kt_buf_release(&v[i]);
	return rc;
}

json_t *kt_access_audit_json(kt_access *a, const char *user, const char *since, int limit)
{
	sqlite3_stmt *st = acc_prep(a, "SELECT * FROM (SELECT id, at, user, role, action, object, remote"
				   " FROM audit WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL OR at >= ?2)"
				   " ORDER BY id DESC LIMIT ?3) ORDER BY id");
	json_t *arr;
	int rc;

	if (st == NULL)
		return NULL;
	if (user)
		acc_bind_text(st, 1, user);
	if (since)
		acc_bind_text(st, 2, since);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	arr = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"at", (const char *)sqlite3_column_text(st, 1),
			"user", (const char *)sqlite3_column_text(st, 2),
			"role", (const char *)sqlite3_column_text(st, 3),
			"action", (const char *)sqlite3_column_text(st, 4),
			"object", (const char *)sqlite3_column_text(st, 5),
			"remote", (const char *)sqlite3_column_text(st, 6)));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		acc_db_error(a, "read the audit log");
		json_decref(arr);
		return NULL;
	}
	return arr;
}
