/*
 * test_web.c - `kartoteka serve` over HTTP against a copy of the e2e fixture
 * store: login, roles, officers' cases, escaping of hostile text, CSRF, the
 * login rate limit, security headers and the audit rows of every read; the
 * server's limits and the login's hardening (web_limits.c); the audit log's
 * guarantees (web_audit.c); CSRF tokens compared whole and sessions that
 * end (web_tokens.c); erasure requests and legal holds (web_lifecycle.c).
 *
 *   test_web KARTOTEKA STORE WORK GROUP
 *
 * Each group copies STORE to WORK/store, writes hostile text into the copy's
 * catalog, adds users with `kartoteka user add`, starts `kartoteka serve
 * --listen 127.0.0.1:0 --behind-proxy` and talks HTTP/1.1 over a socket.
 */
#include "kt_buf.h"
#include "kt_status.h"
#include "web_test.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <limits.h>
#include <unistd.h>

extern char **environ;

char store[512];
static pid_t server = -1;
int port;

/* ----------------------------------------------------------- processes */

/* Run kartoteka --store store ARGS with input on stdin; exit status. */
int run_stdin(const char *input, const char *const *args)
{
	const char *argv[16];
	int n = 0, p[2], st;
	posix_spawn_file_actions_t fa;
	pid_t pid;

	argv[n++] = E2E.kartoteka;
	argv[n++] = "--store";
	argv[n++] = store;
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	assert_int_equal(pipe(p), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	assert_int_equal(posix_spawn(&pid, E2E.kartoteka, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[0]);
	assert_int_equal(write(p[1], input, strlen(input)), (ssize_t)strlen(input));
	close(p[1]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void add_user(const char *name, const char *role, const char *pw)
{
	const char *args[] = { "user", "add", name, "--role", role, NULL };
	char line[128];

	snprintf(line, sizeof line, "%s\n", pw);
	assert_int_equal(run_stdin(line, args), 0);
}

void store_sql(const char *db_name, const char *stmt)
{
	char path[600];
	sqlite3 *db;
	char *msg = NULL;

	snprintf(path, sizeof path, "%s/%s", store, db_name);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, stmt, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sql: %s", msg);
	sqlite3_close(db);
}

void start_server_with(const char *const *extra)
{
	const char *argv[24] = { E2E.kartoteka, "--store", store, "serve", "--listen", "127.0.0.1:0",
				 "--behind-proxy" };
	posix_spawn_file_actions_t fa;
	char line[256] = "";
	int p[2], k = 7;
	size_t n = 0;

	while (extra && *extra && k < 23)
		argv[k++] = *extra++;
	argv[k] = NULL;
	assert_int_equal(pipe(p), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	assert_int_equal(posix_spawn(&server, E2E.kartoteka, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	while (n < sizeof line - 1 && read(p[0], line + n, 1) == 1 && line[n] != '\n')
		n++;
	line[n] = '\0';
	close(p[0]);
	assert_int_equal(sscanf(line, "listening on http://127.0.0.1:%d/", &port), 1);
}

static void start_server(void)
{
	start_server_with(NULL);
}

void stop_server(void)
{
	int st;

	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, &st, 0);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
		server = -1;
	}
}

int server_deleted_files(void)
{
	char dir[64], link[PATH_MAX + 1], path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	ssize_t n;
	int found = 0;

	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)server);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if ((n = readlink(path, link, sizeof link - 1)) <= 0)
			continue;
		link[n] = '\0';
		found += strstr(link, store) != NULL && strstr(link, " (deleted)") != NULL;
	}
	closedir(d);
	return found;
}

void resp_free(resp *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof *r);
}

/* One request on a new connection: method, path, extra header lines
 * ("Name: value\r\n"...) or NULL, body or NULL. */
resp http(const char *method, const char *path, const char *headers, const char *body)
{
	struct sockaddr_in sa = { 0 };
	char *req, *all, *sep, chunk[65536];
	kt_buf got = KT_BUF_INIT;
	size_t len;
	ssize_t k;
	int fd, n;
	resp r = { 0 };

	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	n = (int)(strlen(method) + strlen(path) + (headers ? strlen(headers) : 0) +
		  (body ? strlen(body) : 0) + 200);
	req = malloc((size_t)n);
	n = snprintf(req, (size_t)n, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
		     "%sContent-Length: %zu\r\n\r\n%s", method, path, headers ? headers : "",
		     body ? "Content-Type: application/x-www-form-urlencoded\r\n" : "",
		     body ? strlen(body) : (size_t)0, body ? body : "");
	assert_true(n > 0);
	assert_int_equal(write(fd, req, (size_t)n), n);
	free(req);
	while ((k = read(fd, chunk, sizeof chunk)) > 0)
		assert_int_equal(kt_buf_add(&got, chunk, (size_t)k), KT_OK);
	close(fd);
	all = kt_buf_detach(&got, &len);
	sep = strstr(all, "\r\n\r\n");
	assert_non_null(sep);
	r.head = strndup(all, (size_t)(sep - all) + 2);
	r.body_len = len - (size_t)(sep + 4 - all);
	r.body = malloc(r.body_len + 1);
	memcpy(r.body, sep + 4, r.body_len + 1);
	sscanf(all, "HTTP/1.1 %d", &r.status);
	free(all);
	return r;
}

/* The value of a header (first occurrence whose value starts with prefix
 * when given), malloc'd; NULL when absent. */
char *header(const resp *r, const char *name, const char *prefix)
{
	const char *p = r->head;
	size_t nl = strlen(name);

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *e;

			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			if (prefix == NULL || strncmp(v, prefix, strlen(prefix)) == 0)
				return strndup(v, e ? (size_t)(e - v) : strlen(v));
		}
	}
	return NULL;
}

/* "kt_login_csrf=V" from the login page's Set-Cookie, and the form's token. */
void login_form(char *cookie, size_t csz, char *token, size_t tsz)
{
	resp r = http("GET", "/login", NULL, NULL);
	char *sc = header(&r, "Set-Cookie", "kt_login_csrf=");
	const char *v;

	assert_int_equal(r.status, 200);
	assert_non_null(sc);
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite=Strict"));
	snprintf(cookie, csz, "%.*s", (int)strcspn(sc, ";"), sc);
	v = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(v);
	v += strlen("name=\"csrf\" value=\"");
	snprintf(token, tsz, "%.*s", (int)strcspn(v, "\""), v);
	free(sc);
	resp_free(&r);
}

/* POST /login; the status, and the session cookie "kt_session=..." into
 * session when given. xff: X-Real-IP to send, or NULL. */
int login_as(const char *name, const char *pw, const char *xff, char *session, size_t ssz)
{
	char cookie[160], token[120], hdr[400], body[300];
	resp r;
	int status;

	login_form(cookie, sizeof cookie, token, sizeof token);
	snprintf(hdr, sizeof hdr, "Cookie: %s\r\n%s%s%s", cookie, xff ? "X-Real-IP: " : "",
		 xff ? xff : "", xff ? "\r\n" : "");
	snprintf(body, sizeof body, "csrf=%s&name=%s&password=%s", token, name, pw);
	r = http("POST", "/login", hdr, body);
	status = r.status;
	if (session) {
		char *sc = header(&r, "Set-Cookie", "kt_session=");

		session[0] = '\0';
		if (sc) {
			assert_non_null(strstr(sc, "HttpOnly"));
			assert_non_null(strstr(sc, "SameSite=Strict"));
			snprintf(session, ssz, "%.*s", (int)strcspn(sc, ";"), sc);
		}
		free(sc);
	}
	resp_free(&r);
	return status;
}

char s_arch[100], s_off[100], s_op[100], s_admin[100], s_oz[100];

/* GET with a session cookie. */
resp get(const char *session, const char *path)
{
	char hdr[200];

	if (session == NULL)
		return http("GET", path, NULL, NULL);
	snprintf(hdr, sizeof hdr, "Cookie: %s\r\n", session);
	return http("GET", path, hdr, NULL);
}

int status_of(const char *session, const char *path)
{
	resp r = get(session, path);
	int s = r.status;

	resp_free(&r);
	return s;
}

json_t *get_json(const char *session, const char *path, int want_status)
{
	resp r = get(session, path);
	json_t *v;

	assert_int_equal(r.status, want_status);
	v = json_loads(r.body, 0, NULL);
	assert_non_null(v);
	resp_free(&r);
	return v;
}

/* The number of audit rows by user with action and object. */
size_t audited(const char *user, const char *action, const char *object)
{
	e2e_out o = e2e_run(store, "audit", "--json", "--user", user, NULL);
	json_t *rows, *row;
	size_t i, n = 0;

	assert_int_equal(o.status, 0);
	rows = e2e_json_lines(o.out);
	e2e_out_free(&o);
	assert_non_null(rows);
	json_array_foreach(rows, i, row)
		n += !strcmp(json_string_value(json_object_get(row, "action")), action) &&
		     !strcmp(json_string_value(json_object_get(row, "object")), object);
	json_decref(rows);
	return n;
}

/* The session's CSRF token (GET /api/me), into tok. */
void csrf_of(const char *session, char *tok, size_t size)
{
	json_t *me = get_json(session, "/api/me", 200);

	assert_non_null(json_string_value(json_object_get(me, "csrf")));
	snprintf(tok, size, "%s", json_string_value(json_object_get(me, "csrf")));
	json_decref(me);
}

/* POST a form with the session cookie (none when NULL). */
resp post(const char *session, const char *path, const char *body)
{
	char hdr[200];

	if (session == NULL)
		return http("POST", path, NULL, body);
	snprintf(hdr, sizeof hdr, "Cookie: %s\r\n", session);
	return http("POST", path, hdr, body);
}

int post_status(const char *session, const char *path, const char *body)
{
	resp r = post(session, path, body);
	int s = r.status;

	resp_free(&r);
	return s;
}

/* ------------------------------------------------------------ fixture */

/* Documents linked to case number (in), and the rest (out), as JSON arrays of ids. */
void docs_by_case(const char *number, json_t **in, json_t **out)
{
	e2e_out o = e2e_run(store, "docs", "--json", NULL);
	json_t *docs = e2e_json_lines(o.out), *d, *c;
	size_t i, k;

	*in = json_array();
	*out = json_array();
	json_array_foreach(docs, i, d) {
		int found = 0;

		if (strcmp(json_string_value(json_object_get(d, "status")), "done") != 0)
			continue;
		json_array_foreach(json_object_get(d, "cases"), k, c)
			found |= strcmp(json_string_value(c), number) == 0;
		json_array_append(found ? *in : *out, json_object_get(d, "id"));
	}
	json_decref(docs);
	e2e_out_free(&o);
	assert_true(json_array_size(*in) > 0);
	assert_true(json_array_size(*out) > 0);
}


static int setup(void **state)
{
	char path[600];
	const char *assign[] = { "user", "assign", "officer1", OFFICER_CASE, NULL };

	(void)state;
	snprintf(store, sizeof store, "%s/store", E2E.work);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);
	snprintf(path, sizeof path, "%s/access.sqlite", store);
	unlink(path);
	/* hostile text from OCR, a file name and a case record */
	store_sql("catalog.sqlite", "UPDATE pages SET text = text || '\n" HOSTILE "' WHERE n = 1;"
	    "UPDATE documents SET source = CAST('<img src=x onerror=alert(2)>.png' AS BLOB)"
	    " WHERE id = (SELECT min(doc_id) FROM links WHERE case_number = '" OFFICER_CASE "');"
	    "UPDATE cases SET surname = '<b onmouseover=alert(3)>x</b>'"
	    " WHERE case_number = '" OFFICER_CASE "';");
	add_user("arch", "archivist", "archivist-pw");
	add_user("officer1", "officer", "officer1-pw");
	add_user("R. Ozoliņa", "officer", "ozolina-pw");
	add_user("op", "operator", "operator-pw");
	add_user("root", "admin", "admin-pw-1");
	assert_int_equal(run_stdin("", assign), 0);
	start_server();
	assert_int_equal(login_as("arch", "archivist-pw", NULL, s_arch, sizeof s_arch), 303);
	assert_int_equal(login_as("officer1", "officer1-pw", NULL, s_off, sizeof s_off), 303);
	assert_int_equal(login_as("R.+Ozoli%C5%86a", "ozolina-pw", NULL, s_oz, sizeof s_oz), 303);
	assert_int_equal(login_as("op", "operator-pw", NULL, s_op, sizeof s_op), 303);
	assert_int_equal(login_as("root", "admin-pw-1", NULL, s_admin, sizeof s_admin), 303);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_server();
	return 0;
}

/* The user and audit commands: exit statuses and listings, no server. */
static int setup_cli(void **state)
{
	(void)state;
	snprintf(store, sizeof store, "%s/store", E2E.work);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);
	/* an empty access database: the fixture's holds the rows of the command
	 * line reads other groups made (they are audited, issue 17 item 9) */
	for (int i = 0; i < 3; i++) {
		static const char *const names[3] = { "access.sqlite", "access.sqlite-wal",
						      "access.sqlite-shm" };
		char path[PATH_MAX];

		snprintf(path, sizeof path, "%s/%s", store, names[i]);
		unlink(path);
	}
	return 0;
}

/* ------------------------------------------------------------ search warnings */

/* Parts of a query the index leaves out (an unknown field, type or language,
 * a reversed date range) are a notice on the search page, escaped, while the
 * rest runs; in /api/search, "warnings" (an empty array when none). */
static void test_search_warnings(void **state)
{
	json_t *api;
	char *dump;
	resp r;

	(void)state;
	r = get(s_arch, "/search?q=a+type:%3Cscript%3Ealert5%3C/script%3E+foo:x");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "<script>alert5"));
	kt_expect_in(r.body, "<p class=\"notice error\" role=\"status\">Left out of the search: unknown type "
			     "&#39;&lt;script&gt;alert5&lt;/script&gt;&#39; (types: decision, ");
	kt_expect_in(r.body, "Left out of the search: unknown field &#39;foo:&#39;");
	resp_free(&r);
	api = get_json(s_arch, "/api/search?q=a+lang:deu+date:2024..2023", 200);
	assert_int_equal(json_array_size(json_object_get(api, "warnings")), 2);
	dump = json_dumps(json_object_get(api, "warnings"), 0);
	assert_non_null(dump);
	kt_expect_in(dump, "\"unknown language 'deu' (languages: lav, lit, rus, eng)\"");
	kt_expect_in(dump, "\"date range 2024..2023 is reversed\"");
	free(dump);
	json_decref(api);
	api = get_json(s_arch, "/api/search?q=a", 200);
	assert_true(json_is_array(json_object_get(api, "warnings")));
	assert_int_equal(json_array_size(json_object_get(api, "warnings")), 0);
	json_decref(api);
	r = get(s_arch, "/search?q=a");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "class=\"notice"));
	resp_free(&r);
}

/* ------------------------------------------------------------ the groups */

static const kt_test_case groups[] = {
	KT_TEST_FX(unauthenticated, setup, teardown),
	KT_TEST_FX(headers, setup, teardown),
	KT_TEST_FX(roles, setup, teardown),
	KT_TEST_FX(officer, setup, teardown),
	KT_TEST_FX(escaping, setup, teardown),
	KT_TEST_FX(csrf, setup, teardown),
	KT_TEST_FX(rate_limit, setup, teardown),
	KT_TEST_FX(audit, setup, teardown),
	KT_TEST_FX(cli, setup_cli, teardown),
	KT_TEST_FX(limits, setup_cli, teardown),
	KT_TEST_FX(hardening, setup, teardown),
	KT_TEST_FX(audit_guarantees, setup, teardown),
	KT_TEST_FX(search_warnings, setup, teardown),
	KT_TEST_FX(csrf_tokens, setup, teardown),
	KT_TEST_FX(session_expiry, setup, teardown),
	KT_TEST_FX(downloads, setup, teardown),
	KT_TEST_FX(case_pages, setup, teardown),
	KT_TEST_FX(review, setup, teardown),
	KT_TEST_FX(erase_requests, setup, teardown),
	KT_TEST_FX(holds, setup, teardown),
};

/* KARTOTEKA STORE WORK */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.store = args[1];
	E2E.work = args[2];
	E2E.samples = "";
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_web", .cases = groups, .n_cases = KT_N_CASES(groups),
		.args = "KARTOTEKA STORE WORK", .n_args = 3, .case_required = 1, .init = init,
	};
	int rc = kt_test_main(&prog, argc, argv);

	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	return rc;
}
