/*
 * web_tokens.c - the groups of test_web on what a mutation run of issue 17
 * found untested: CSRF tokens compared whole (a check of their length alone
 * passed every test, whose wrong tokens were all of the wrong length), and
 * sessions that end (a session that never expired passed every test). A
 * session is aged through its row in access.sqlite (its times moved back),
 * never by sleeping.
 */
#include "kt_sha.h"
#include "kt_status.h"
#include "web_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One number a query on a database of the store copy gives (its first
 * column of its first row). */
static long long count_rows(const char *db_name, const char *query)
{
	char path[600];
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n;

	snprintf(path, sizeof path, "%s/%s", store, db_name);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, query, -1, &st, NULL) != SQLITE_OK)
		fail_msg("sql: %s", sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* What a refused POST must leave as it was: the sessions and the audit log. */
typedef struct snapshot {
	long long sessions, audit;
} snapshot;

static snapshot snap(void)
{
	snapshot s;

	s.sessions = count_rows("access.sqlite", "SELECT count(*) FROM sessions");
	s.audit = count_rows("access.sqlite", "SELECT count(*) FROM audit");
	return s;
}

static void same_snapshot(snapshot a, snapshot b)
{
	assert_int_equal(a.sessions, b.sessions);
	assert_int_equal(a.audit, b.audit);
}

/* POST /login as arch with the login cookie token ctok and the form token
 * ftok; the status. A refusal sets no session cookie. */
static int post_login(const char *ctok, const char *ftok)
{
	char hdr[300], body[300];
	resp r;
	int status;

	snprintf(hdr, sizeof hdr, "Cookie: kt_login_csrf=%s\r\n", ctok);
	snprintf(body, sizeof body, "csrf=%s&name=arch&password=archivist-pw", ftok);
	r = http("POST", "/login", hdr, body);
	status = r.status;
	if (status != 303)
		assert_null(strstr(r.head, "kt_session="));
	resp_free(&r);
	return status;
}

/* POST /logout with a session cookie and a form token; the status. */
static int post_logout(const char *session, const char *token)
{
	char hdr[200], body[200];
	resp r;
	int status;

	snprintf(hdr, sizeof hdr, "Cookie: %s\r\n", session);
	snprintf(body, sizeof body, "csrf=%s", token);
	r = http("POST", "/logout", hdr, body);
	status = r.status;
	resp_free(&r);
	return status;
}

/* The CSRF token of a session, from the logout form of its search page. */
static void session_token(const char *session, char *out, size_t size)
{
	resp r = get(session, "/search");
	const char *v = strstr(r.body, "name=\"csrf\" value=\"");

	assert_int_equal(r.status, 200);
	assert_non_null(v);
	v += strlen("name=\"csrf\" value=\"");
	snprintf(out, size, "%.*s", (int)strcspn(v, "\""), v);
	resp_free(&r);
	assert_true(strlen(out) >= 32);
}

/* tok with its character at i changed to another hex digit (same length). */
static void one_changed(char *out, size_t size, const char *tok, size_t i)
{
	snprintf(out, size, "%s", tok);
	assert_true(i < strlen(out));
	out[i] = out[i] == '0' ? '1' : '0';
}

/*
 * Tokens of the right length that are not the right token are refused with
 * 403 and change nothing (no session made or ended, no audit row): the
 * login token with one character changed (first, middle, last; in the form,
 * in the cookie), another client's good login token; a session's token with
 * one character changed, another session's token of the same user and of
 * another user. The right tokens then work, so the refusals are not of
 * everything.
 */
void test_csrf_tokens(void **state)
{
	char cookie[160], token[120], cookie2[160], token2[120], changed[120];
	char s1[100], s2[100], s3[100], t1[80], t2[80], t3[80];
	size_t n, at[3], k;
	snapshot before;

	(void)state;
	login_form(cookie, sizeof cookie, token, sizeof token);
	login_form(cookie2, sizeof cookie2, token2, sizeof token2);
	n = strlen(token);
	assert_int_equal(strlen(token2), n);
	assert_string_not_equal(token, token2);
	at[0] = 0;
	at[1] = n / 2;
	at[2] = n - 1;

	/* the login form */
	before = snap();
	for (k = 0; k < 3; k++) {
		one_changed(changed, sizeof changed, token, at[k]);
		if (post_login(token, changed) != 403 || post_login(changed, token) != 403)
			fail_msg("a login token with character %zu changed was taken", at[k]);
	}
	assert_int_equal(post_login(token, token2), 403);
	assert_int_equal(post_login(token2, token), 403);
	same_snapshot(before, snap());
	assert_int_equal(post_login(token, token), 303);
	assert_int_equal(snap().sessions, before.sessions + 1);

	/* the logout form: arch twice, officer1 once */
	assert_int_equal(login_as("arch", "archivist-pw", NULL, s1, sizeof s1), 303);
	assert_int_equal(login_as("arch", "archivist-pw", NULL, s3, sizeof s3), 303);
	assert_int_equal(login_as("officer1", "officer1-pw", NULL, s2, sizeof s2), 303);
	session_token(s1, t1, sizeof t1);
	session_token(s2, t2, sizeof t2);
	session_token(s3, t3, sizeof t3);
	n = strlen(t1);
	assert_int_equal(strlen(t2), n);
	assert_int_equal(strlen(t3), n);
	assert_string_not_equal(t1, t3);
	at[1] = n / 2;
	at[2] = n - 1;
	before = snap();
	for (k = 0; k < 3; k++) {
		one_changed(changed, sizeof changed, t1, at[k]);
		if (post_logout(s1, changed) != 403)
			fail_msg("a session token with character %zu changed was taken", at[k]);
	}
	assert_int_equal(post_logout(s1, t3), 403); /* the same user's other session */
	assert_int_equal(post_logout(s1, t2), 403); /* another user's session */
	assert_int_equal(post_logout(s2, t1), 403);
	same_snapshot(before, snap());
	assert_int_equal(status_of(s1, "/api/me"), 200);
	assert_int_equal(status_of(s2, "/api/me"), 200);
	assert_int_equal(status_of(s3, "/api/me"), 200);
	/* its own token ends the session, and that one only */
	assert_int_equal(post_logout(s1, t1), 303);
	assert_int_equal(status_of(s1, "/api/me"), 401);
	assert_int_equal(status_of(s2, "/api/me"), 200);
	assert_int_equal(status_of(s3, "/api/me"), 200);
	assert_int_equal(snap().sessions, before.sessions - 1);
}

/* Run SQL on the row of one session ("kt_session=TOKEN"): `set` is the SET
 * clause of an UPDATE of table sessions (times are Unix seconds). */
static void session_sql(const char *session, const char *set)
{
	char hash[65], stmt[400];
	const char *tok = strchr(session, '=');

	assert_non_null(tok);
	assert_int_equal(kt_sha256_hex(tok + 1, strlen(tok + 1), hash), KT_OK);
	snprintf(stmt, sizeof stmt, "UPDATE sessions SET %s WHERE token_hash = '%s'", set, hash);
	store_sql("access.sqlite", stmt);
	snprintf(stmt, sizeof stmt, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", hash);
	assert_int_equal(count_rows("access.sqlite", stmt), 1);
}

/* A session that has ended: 401 under /api/, and a page redirects to the
 * login form. */
static void ended(const char *session, const char *page)
{
	resp r = get(session, page);
	char *loc = header(&r, "Location", NULL);

	assert_int_equal(r.status, 303);
	assert_non_null(loc);
	assert_string_equal(loc, "/login");
	free(loc);
	resp_free(&r);
	assert_int_equal(status_of(session, "/api/me"), 401);
}

/*
 * Sessions end. With --session-idle 60: a session last used 61 seconds ago
 * has ended, one used 50 seconds ago lives (and its idle clock starts
 * again). Whatever its use, a session ends 8 hours after its login: one
 * used a moment ago whose lifetime ended a second ago has ended, one with
 * a minute left lives. An ended session stays ended (a refused request
 * does not count as a use); logging in again is the way back.
 */
void test_session_expiry(void **state)
{
	static const char *const idle[] = { "--session-idle", "60", NULL };
	char again[100];

	(void)state;
	stop_server();
	start_server_with(idle);
	/* idle: arch's last request 61 s ago, officer1's 50 s ago */
	session_sql(s_arch, "last_seen = strftime('%s', 'now') - 61");
	session_sql(s_off, "last_seen = strftime('%s', 'now') - 50");
	ended(s_arch, "/search");
	assert_int_equal(status_of(s_off, "/api/me"), 200);
	assert_int_equal(status_of(s_off, "/search"), 200);

	/* lifetime: op's and root's sessions were used just now; op's 8 hours
	 * ended a second ago, root's end in a minute */
	session_sql(s_op, "created = created - 28800, expires = strftime('%s', 'now') - 1,"
			  " last_seen = strftime('%s', 'now')");
	session_sql(s_admin, "created = created - 28740, expires = strftime('%s', 'now') + 60,"
			     " last_seen = strftime('%s', 'now')");
	ended(s_op, "/batches");
	assert_int_equal(status_of(s_admin, "/api/me"), 200);
	assert_int_equal(status_of(s_admin, "/batches"), 200);

	/* a refused request does not start the idle clock again */
	ended(s_arch, "/search");
	ended(s_op, "/batches");
	assert_int_equal(login_as("arch", "archivist-pw", NULL, again, sizeof again), 303);
	assert_int_equal(status_of(again, "/api/me"), 200);
}
