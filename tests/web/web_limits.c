/*
 * web_limits.c - the groups of test_web on what issue 17 found: the server's
 * limits (connections per address, a request that trickles its bytes), an
 * audit log that cannot be written (503, without stalling the server), a
 * password cut at a NUL, sessions that end when idle, and POSTs from another
 * site. Timing is tested through its causes: short configured limits, and
 * every wait bounded in count and time, never asserted as a time.
 */
#include "web_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A connection from the loopback address src to the server; its socket. */
static int connect_from(const char *src)
{
	struct sockaddr_in sa = { 0 }, from = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	from.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, src, &from.sin_addr), 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&from, sizeof from), 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

/* HEAD /login on fd, the connection kept open: the answer's status, or 0
 * when the server closed the connection instead. Waits at most 10 s. */
static int head_login(int fd)
{
	static const char req[] = "HEAD /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	char buf[4096];
	size_t n = 0;
	int status = 0;

	if (write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1))
		return 0;
	while (n < sizeof buf - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t k;

		if (poll(&p, 1, 10000) != 1)
			fail_msg("no answer and no close within 10 s");
		if ((k = read(fd, buf + n, sizeof buf - 1 - n)) <= 0)
			return 0;
		n += (size_t)k;
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	assert_int_equal(sscanf(buf, "HTTP/1.1 %d", &status), 1);
	return status;
}

void test_limits(void **state)
{
	const char *limits[] = { "--per-address", "3", "--max-connections", "32", NULL };
	const char *slow[] = { "--request-timeout", "2", NULL };
	static const char start[] = "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n";
	int held[3], fd, i, served = 0, closed = 0;

	(void)state;
	/* connections per address: three held open from 127.0.0.1 (each answered
	 * once, so the server has them), the fourth is closed unanswered, while
	 * another address is served */
	start_server_with(limits);
	for (i = 0; i < 3; i++) {
		held[i] = connect_from("127.0.0.1");
		assert_int_equal(head_login(held[i]), 200);
	}
	fd = connect_from("127.0.0.1");
	assert_int_equal(head_login(fd), 0);
	close(fd);
	fd = connect_from("127.0.0.2");
	assert_int_equal(head_login(fd), 200);
	close(fd);
	/* one held connection ends: the address is served again (at most 50 tries) */
	close(held[0]);
	for (i = 0; i < 50 && !served; i++) {
		fd = connect_from("127.0.0.1");
		served = head_login(fd) == 200;
		close(fd);
		if (!served)
			usleep(100000);
	}
	assert_true(served);
	close(held[1]);
	close(held[2]);
	stop_server();

	/* a request that sends a header line every 250 ms never idles, yet is
	 * closed once it has taken longer than --request-timeout 2; looked at for
	 * at most 40 lines (10 s) */
	start_server_with(slow);
	fd = connect_from("127.0.0.1");
	assert_int_equal(write(fd, start, sizeof start - 1), (ssize_t)(sizeof start - 1));
	for (i = 0; i < 40 && !closed; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 250) == 1) {
			char buf[256];

			/* nothing is answered to half a request: the end of it, or a reset */
			assert_true(read(fd, buf, sizeof buf) <= 0);
			closed = 1;
		} else if (write(fd, "X-Slow: 1\r\n", 11) != 11) {
			closed = 1;
		}
		if (i == 2) {
			/* meanwhile others are served */
			resp r = http("GET", "/login", NULL, NULL);

			assert_int_equal(r.status, 200);
			resp_free(&r);
		}
	}
	assert_true(closed);
	close(fd);
	stop_server();
}

/* POST /login as arch with a fresh form, extra headers (or NULL) and the
 * given password (form-encoded); the status. */
static int login_headers(const char *extra, const char *pw)
{
	char cookie[160], token[120], hdr[500], body[300];
	resp r;
	int status;

	login_form(cookie, sizeof cookie, token, sizeof token);
	snprintf(hdr, sizeof hdr, "Cookie: %s\r\n%s", cookie, extra ? extra : "");
	snprintf(body, sizeof body, "csrf=%s&name=arch&password=%s", token, pw);
	r = http("POST", "/login", hdr, body);
	status = r.status;
	resp_free(&r);
	return status;
}

/* The audit log cannot be written (another process holds access.sqlite's
 * write lock): every auditing request is refused with 503, after the short
 * busy timeout rather than the old 30 s, and the rest is served meanwhile. */
static void audit_locked(void)
{
	char path[600];
	sqlite3 *db;
	resp r;

	snprintf(path, sizeof path, "%s/access.sqlite", store);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	r = get(s_arch, "/api/search?q=a");
	assert_int_equal(r.status, 503);
	assert_null(strstr(r.body, "\"hits\""));
	resp_free(&r);
	r = get(s_arch, "/doc/1");
	assert_int_equal(r.status, 503);
	assert_null(strstr(r.body, "alert(1)"));
	resp_free(&r);
	assert_int_equal(status_of(s_arch, "/doc/1/page/1.png"), 503);
	assert_int_equal(status_of(NULL, "/login"), 200);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(status_of(s_arch, "/api/search?q=a"), 200);
}

void test_hardening(void **state)
{
	char hdr[300], body[120], session[100];
	const char *v;
	resp r;

	(void)state;
	audit_locked();

	/* a password is its whole submitted bytes: a NUL does not end it */
	assert_int_equal(login_as("arch", "archivist-pw%00anything", NULL, NULL, 0), 401);
	assert_int_equal(login_as("arch", "archivist-pw%00", NULL, NULL, 0), 401);
	assert_int_equal(login_as("arch%00x", "archivist-pw", NULL, NULL, 0), 400);
	assert_int_equal(login_as("arch", "archivist-pw", NULL, NULL, 0), 303);

	/* sessions end when idle (30 minutes by default): op's was last used 31
	 * minutes ago, the admin's 28 */
	store_sql("access.sqlite", "UPDATE sessions SET last_seen = last_seen - 1860"
		   " WHERE user_id = (SELECT id FROM users WHERE name = 'op')");
	store_sql("access.sqlite", "UPDATE sessions SET last_seen = last_seen - 1680"
		   " WHERE user_id = (SELECT id FROM users WHERE name = 'root')");
	assert_int_equal(status_of(s_op, "/api/me"), 401);
	assert_int_equal(status_of(s_op, "/batches"), 303);
	assert_int_equal(status_of(s_admin, "/api/me"), 200);

	/* a POST from another site is refused, its token right or not */
	assert_int_equal(login_headers("Origin: http://evil.example\r\n", "archivist-pw"), 403);
	assert_int_equal(login_headers("Origin: http://127.0.0.1.evil.example\r\n", "archivist-pw"), 403);
	assert_int_equal(login_headers("Origin: https://127.0.0.1:1\r\n", "archivist-pw"), 403);
	assert_int_equal(login_headers("Sec-Fetch-Site: cross-site\r\n", "archivist-pw"), 403);
	assert_int_equal(login_headers("Sec-Fetch-Site: same-site\r\n", "archivist-pw"), 403);
	assert_int_equal(login_headers("Origin: null\r\nSec-Fetch-Site: cross-site\r\n", "archivist-pw"),
			 403);
	/* from this site it is not: Origin naming the Host, or what Chromium sends
	 * from our pages (Referrer-Policy no-referrer makes its Origin "null") */
	assert_int_equal(login_headers("Origin: http://127.0.0.1\r\n", "archivist-pw"), 303);
	assert_int_equal(login_headers("Origin: null\r\nSec-Fetch-Site: same-origin\r\n",
				       "archivist-pw"), 303);
	/* a logout from another site, with the session's right token */
	assert_int_equal(login_as("arch", "archivist-pw", NULL, session, sizeof session), 303);
	r = get(session, "/search");
	v = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(v);
	v += strlen("name=\"csrf\" value=\"");
	snprintf(body, sizeof body, "csrf=%.*s", (int)strcspn(v, "\""), v);
	resp_free(&r);
	snprintf(hdr, sizeof hdr, "Cookie: %s\r\nOrigin: https://evil.example\r\n", session);
	r = http("POST", "/logout", hdr, body);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	assert_int_equal(status_of(session, "/api/me"), 200);
	snprintf(hdr, sizeof hdr, "Cookie: %s\r\nOrigin: http://127.0.0.1\r\n", session);
	r = http("POST", "/logout", hdr, body);
	assert_int_equal(r.status, 303);
	resp_free(&r);
	assert_int_equal(status_of(session, "/api/me"), 401);
}
