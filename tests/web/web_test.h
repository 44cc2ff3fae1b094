/*
 * web_test.h - private header of test_web (tests/web/): the processes, the
 * HTTP client and the fixture (test_web.c) that the groups of web_cases.c use.
 */
#ifndef KT_WEB_TEST_H
#define KT_WEB_TEST_H

#include "kt_test.h"

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "e2e.h"

#define OFFICER_CASE "PMLP-LV-2023-004571"
#define HOSTILE "<script>alert(1)</script>"

/* A response: status, header block and body. */
typedef struct resp {
	int status;
	char *head;     /* the header block, NUL-terminated */
	char *body;     /* NUL-terminated */
	size_t body_len;
} resp;

/* ---- test_web.c ---- */

/* The group's copy of the fixture store (WORK/store). */
extern char store[512];
/* The port the server listens on (127.0.0.1). */
extern int port;
/* Start `kartoteka serve --listen 127.0.0.1:0 --behind-proxy EXTRA...` on the
 * store (extra: NULL-terminated, or NULL); stop it (exit status 0 asserted). */
void start_server_with(const char *const *extra);
void stop_server(void);
/* How many files under the store the running server holds open that were
 * removed (Linux: /proc/PID/fd). */
int server_deleted_files(void);
/* Run kartoteka --store STORE ARGS with input on its standard input; its exit status. */
int run_stdin(const char *input, const char *const *args);
/* `kartoteka user add NAME --role ROLE` with the password pw. */
void add_user(const char *name, const char *role, const char *pw);
/* Free a response's buffers. */
void resp_free(resp *r);
/* Run one SQL statement on a database of the group's store copy
 * ("catalog.sqlite", "access.sqlite"); fails the case when it fails. */
void store_sql(const char *db_name, const char *stmt);
/* One HTTP/1.1 request to the server (headers: extra lines ending in CRLF, or NULL). */
resp http(const char *method, const char *path, const char *headers, const char *body);
/* The value of header name (starting with prefix) in r, malloc'd; NULL when absent. */
char *header(const resp *r, const char *name, const char *prefix);
/* GET /login: its cookie and CSRF token. */
void login_form(char *cookie, size_t csz, char *token, size_t tsz);
/* Log in (X-Forwarded-For xff unless NULL); the status, the session cookie in session. */
int login_as(const char *name, const char *pw, const char *xff, char *session, size_t ssz);
/* Session cookies of the fixture's users: archivist, officer, operator, admin, officer Ozoliņa. */
extern char s_arch[100], s_off[100], s_op[100], s_admin[100], s_oz[100];
/* GET with a session cookie (none when session is NULL). */
resp get(const char *session, const char *path);
/* The status of a GET. */
int status_of(const char *session, const char *path);
/* A GET answered with want_status and JSON, the JSON (new reference). */
json_t *get_json(const char *session, const char *path, int want_status);
/* The number of audit rows (`kartoteka audit --json --user USER`) with
 * action and object. */
size_t audited(const char *user, const char *action, const char *object);
/* The session's CSRF token (GET /api/me), into tok. */
void csrf_of(const char *session, char *tok, size_t size);
/* POST a form (body) with the session cookie (none when session is NULL). */
resp post(const char *session, const char *path, const char *body);
/* The status of such a POST. */
int post_status(const char *session, const char *path, const char *body);
/* Documents linked to case number (in), and the rest (out), as JSON arrays of ids. */
void docs_by_case(const char *number, json_t **in, json_t **out);

/* ---- web_cases.c: one function per group ---- */

void test_unauthenticated(void **state);
void test_headers(void **state);
void test_roles(void **state);
void test_officer(void **state);
void test_escaping(void **state);
void test_csrf(void **state);
void test_rate_limit(void **state);
void test_audit(void **state);
void test_cli(void **state);

/* ---- web_limits.c: the server's limits and the login's hardening ---- */

void test_limits(void **state);
void test_hardening(void **state);

/* ---- web_audit.c: what the audit log guarantees ---- */

void test_audit_guarantees(void **state);

/* ---- web_tokens.c: CSRF tokens compared whole, sessions that end ---- */

void test_csrf_tokens(void **state);
void test_session_expiry(void **state);

/* ---- web_downloads.c: a document's downloads ---- */

void test_downloads(void **state);

/* ---- web_review.c: the case page's links and dossier, the review queue ---- */

void test_case_pages(void **state);
void test_review(void **state);

/* ---- web_lifecycle.c: erasure requests and legal holds ---- */

void test_erase_requests(void **state);
void test_holds(void **state);

#endif
