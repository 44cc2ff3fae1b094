/*
 * access_private.h - what the files of the access database (access.c:
 * users, sessions, the login and its rate limit; access_audit.c: the
 * audit log and the windows of refused logins; access_erase.c and
 * access_hold.c: erase requests and legal holds, with access_rows.c: their
 * rows by id) share. Not part of kt_web's interface.
 */
#ifndef KT_ACCESS_PRIVATE_H
#define KT_ACCESS_PRIVATE_H

#include "kt_access.h"

#include <sqlite3.h>

struct kt_access {
	sqlite3 *db;
	kt_error err;
	int idle;          /* seconds a session lives unused */
};

/* acc_db_error: set the handle's error "cannot WHAT: <sqlite's message>";
 * returns KT_FATAL. */
int acc_db_error(kt_access *a, const char *what);
/* acc_iso_at: a time (seconds since the epoch) as "YYYY-MM-DDTHH:MM:SSZ";
 * acc_now_iso: now. */
void acc_iso_at(long long at, char out[32]);
void acc_now_iso(char out[32]);
/* acc_prep: a prepared statement, or NULL with the handle's error set. */
sqlite3_stmt *acc_prep(kt_access *a, const char *sql);
/* acc_bind_text: bind a copy of s (NULL binds NULL) as parameter i. */
void acc_bind_text(sqlite3_stmt *st, int i, const char *s);
/* acc_run_change: run a statement that changes rows and finalize it; KT_OK,
 * or KT_FAILED with none_msg (a format taking subject) when no row changed
 * and none_msg is given, KT_FATAL on database errors. */
int acc_run_change(kt_access *a, sqlite3_stmt *st, const char *what, const char *none_msg,
		   const char *subject);

/* acc_col_text (access_rows.c): text column i of the current row as JSON, a
 * string or null. New reference. */
json_t *acc_col_text(sqlite3_stmt *st, int i);
/* acc_have_table: 1 when table exists (a database opened read-only may be
 * older than it), 0 when not, -1 with the handle's error "cannot WHAT: ..."
 * set. */
int acc_have_table(kt_access *a, const char *table, const char *what);
/* A row of a table as JSON (new reference); NULL when out of memory. */
typedef json_t *acc_row_json(sqlite3_stmt *st);
/* acc_get_row: the row of table (its columns, as row_json reads them) whose
 * id is id, into *out (new reference, caller json_decref()s; NULL unless
 * KT_OK). KT_OK; KT_FAILED "no WHAT ID" when there is none; KT_FATAL
 * "cannot read the WHAT: ..." on database errors, or out of memory. The
 * message is on the handle. */
int acc_get_row(kt_access *a, const char *table, const char *columns, long long id,
		acc_row_json *row_json, const char *what, json_t **out);
/* acc_list_rows: every row sql selects, each as row_json reads it, as a new
 * JSON array; NULL with the handle's error set ("cannot WHAT: ...", or out
 * of memory). */
json_t *acc_list_rows(kt_access *a, const char *sql, acc_row_json *row_json, const char *what);

/* acc_refusals_close (access_audit.c): close the windows of refused logins
 * opened KT_ACCESS_WINDOW seconds before now or earlier, and the pair
 * (name, remote)'s when name is given (it logged in): a login-limited row
 * with each one's count (when over 1), the windows forgotten. KT_OK or
 * KT_FATAL (nothing changed). */
int acc_refusals_close(kt_access *a, long long now, const char *name, const char *remote);
/* acc_refusal: one login refused by the rate limit, of the pair (key,
 * remote), or of remote whatever the name when by_address: counted in its
 * window; the first of a window is a login-limited row (user: name, cut by
 * the audit). KT_OK or KT_FATAL (nothing recorded). */
int acc_refusal(kt_access *a, const char *key, const char *name, const char *remote,
		int by_address, long long now);

#endif
