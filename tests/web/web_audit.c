/*
 * web_audit.c - the group of test_web on the audit log's guarantees (issue
 * 17 items 3 and 5): refused logins cannot flood the log (one row per
 * window with its count, so the admin's view keeps the real rows), and
 * every read is audited or refused: with access.sqlite write-locked by
 * another process each list answers 503 without its data, /users and
 * /api/users write their rows, and an admin's denied row names the
 * document, page or case asked for.
 */
#include "web_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The audit rows (kartoteka audit --json): new reference. */
static json_t *audit_all(void)
{
	e2e_out o = e2e_run(store, "audit", "--json", NULL);
	json_t *rows;

	assert_int_equal(o.status, 0);
	rows = e2e_json_lines(o.out);
	e2e_out_free(&o);
	assert_non_null(rows);
	return rows;
}

/* The rows of rows by user with action and object exactly (object NULL: any). */
static size_t count_rows(json_t *rows, const char *user, const char *action, const char *object)
{
	json_t *row;
	size_t i, n = 0;

	json_array_foreach(rows, i, row)
		n += !strcmp(json_string_value(json_object_get(row, "user")), user) &&
		     !strcmp(json_string_value(json_object_get(row, "action")), action) &&
		     (object == NULL ||
		      !strcmp(json_string_value(json_object_get(row, "object")), object));
	return n;
}

/* Item 3: 250 logins of one 15 KB name from one address: five failures,
 * then refusals of the rate limit, which add one row for their window, not
 * one each; the admin's view of the log still holds the real rows before. */
static void refusals_bounded(void)
{
	char cookie[160], token[120], hdr[400], obj[64];
	static char body[16000];
	size_t before, after, n;
	json_t *rows, *in, *out;
	long long id;
	int i, refused = 0;

	docs_by_case(OFFICER_CASE, &in, &out);
	id = (long long)json_integer_value(json_array_get(in, 0));
	json_decref(in);
	json_decref(out);
	snprintf(obj, sizeof obj, "/api/doc/%lld", id);
	assert_int_equal(status_of(s_arch, obj), 200);
	snprintf(obj, sizeof obj, "doc:%lld", id);

	rows = audit_all();
	before = json_array_size(rows);
	json_decref(rows);
	login_form(cookie, sizeof cookie, token, sizeof token);
	snprintf(hdr, sizeof hdr, "Cookie: %s\r\nX-Real-IP: 203.0.113.77\r\n", cookie);
	n = (size_t)snprintf(body, sizeof body, "csrf=%s&password=guess&name=", token);
	memset(body + n, 'A', 15000);
	body[n + 15000] = '\0';
	for (i = 0; i < 250; i++) {
		resp r = http("POST", "/login", hdr, body);

		assert_true(r.status == 401 || r.status == 429);
		refused += r.status == 429;
		resp_free(&r);
	}
	assert_int_equal(refused, 245);
	rows = audit_all();
	after = json_array_size(rows);
	/* five login-failed rows and one login-limited ("count:1 since:..."):
	 * a handful, not 250 (it was one row per refusal) */
	assert_true(after - before <= 8);
	json_decref(rows);

	/* the admin's view: the last 1000 rows hold arch's read from before */
	rows = get_json(s_admin, "/api/audit", 200);
	assert_true(count_rows(rows, "arch", "doc", obj) >= 1);
	json_decref(rows);
}

/* Item 5, the audit working: the user lists are audited, and an admin's
 * denied rows name what was asked for. */
static void reads_audited(void)
{
	json_t *rows;
	resp r;

	assert_int_equal(status_of(s_admin, "/users"), 200);
	r = get(s_admin, "/api/users");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "officer1"));
	resp_free(&r);
	assert_int_equal(status_of(s_admin, "/api/doc/3"), 403);
	assert_int_equal(status_of(s_admin, "/doc/5/page/2.png"), 403);
	assert_int_equal(status_of(s_admin, "/api/case/" OFFICER_CASE), 403);
	assert_int_equal(status_of(s_op, "/cases"), 403);
	rows = audit_all();
	assert_int_equal(count_rows(rows, "root", "users", NULL), 2);
	/* the role's refusal names the document (it was "doc" only) */
	assert_int_equal(count_rows(rows, "root", "denied", "doc:3"), 1);
	assert_int_equal(count_rows(rows, "root", "denied", "doc:5 page:2"), 1);
	assert_int_equal(count_rows(rows, "root", "denied", "case:" OFFICER_CASE), 1);
	assert_int_equal(count_rows(rows, "op", "denied", "cases"), 1);
	json_decref(rows);
}

/* Item 5: access.sqlite write-locked by another process: every list
 * answers 503 and serves none of its data. (/api/cases answered 200 with the
 * list, and /users was never audited at all.) */
static void lists_fail_closed(void)
{
	static const struct { const char *path; const char *session_of; } reads[] = {
		{ "/api/cases", "arch" }, { "/cases", "arch" },
		{ "/batches", "op" }, { "/api/batches", "op" },
		{ "/batches", "admin" }, { "/api/batches", "admin" },
		{ "/audit", "admin" }, { "/api/audit", "admin" },
		{ "/users", "admin" }, { "/api/users", "admin" },
	};
	static const char *const data[] = { OFFICER_CASE, "officer1", "\"files\"", "<table",
					    "\"role\"", "login" };
	char path[600];
	sqlite3 *db;
	size_t i, k;

	snprintf(path, sizeof path, "%s/access.sqlite", store);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		const char *s = !strcmp(reads[i].session_of, "arch") ? s_arch :
				!strcmp(reads[i].session_of, "op") ? s_op : s_admin;
		resp r = get(s, reads[i].path);

		if (r.status != 503)
			fail_msg("%s as %s: %d, not 503", reads[i].path, reads[i].session_of, r.status);
		for (k = 0; k < sizeof data / sizeof data[0]; k++)
			if (strstr(r.body, data[k]))
				fail_msg("%s as %s: the 503 holds '%s'", reads[i].path,
					 reads[i].session_of, data[k]);
		resp_free(&r);
	}
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	for (i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		const char *s = !strcmp(reads[i].session_of, "arch") ? s_arch :
				!strcmp(reads[i].session_of, "op") ? s_op : s_admin;

		assert_int_equal(status_of(s, reads[i].path), 200);
	}
}

void test_audit_guarantees(void **state)
{
	(void)state;
	reads_audited();
	lists_fail_closed();
	refusals_bounded();
}
