/*
 * http.c - kt_web_serve on libmicrohttpd, the one file of the web server
 * that calls it: the daemon, a request's state and body, the responses
 * (status, content type, the security headers and CSP of docs/web.md,
 * cookies, redirects, JSON), and the route table with its dispatcher.
 *
 * One internal polling thread answers every request, so the store and the
 * access database are used by one thread at a time.
 *
 * The dispatcher answers, in this order:
 *   1. a row that needs no session (static files, the login form and login);
 *   2. 405 for a method other than GET, HEAD and POST;
 *   3. without a valid session: 303 to /login, or 401 JSON under /api/;
 *   4. a row that needs a session: 403 (audited as denied) when the role
 *      may not, 403 when a POST's CSRF token is wrong, else its handler;
 *   5. no row: 405 for a POST, 404 otherwise.
 */
#include "web_private.h"

#include "kt_text.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX 16384

/* ------------------------------------------------------- route table */

static const web_route routes[] = {
	/* answered without a session */
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/static/app.js", .run = route_app_js,
	  .anyone = 1 },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/static/style.css", .run = route_style_css,
	  .anyone = 1 },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/favicon.ico", .run = route_favicon,
	  .anyone = 1 },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/login", .run = route_login_form,
	  .anyone = 1 },
	{ .methods = WEB_POST, .where = WEB_HTML, .path = "/login", .run = route_login, .anyone = 1,
	  .csrf = WEB_CSRF_LOGIN },

	/* a session needed */
	{ .methods = WEB_POST, .where = WEB_HTML, .path = "/logout", .run = route_logout,
	  .csrf = WEB_CSRF_SESSION },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/", .run = route_root },
	{ .methods = WEB_GET, .where = WEB_API, .path = "/me", .run = route_me },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/search", .run = route_search,
	  .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "search" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/cases", .run = route_cases,
	  .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "cases" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/batches", .run = route_batches,
	  .roles = WEB_OPERATOR | WEB_ADMIN, .denied = "batches" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/audit", .run = route_audit,
	  .roles = WEB_ADMIN, .denied = "audit" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/users", .run = route_users,
	  .roles = WEB_ADMIN, .denied = "users" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/case/{number:rest}",
	  .run = route_case, .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "case" },
	/* ids of 80 bytes or more never name a document; this route has never taken them */
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/doc/{id:<80}/page/{n:int}.png",
	  .run = route_page_image, .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "page-image" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/doc/{id}", .run = route_doc,
	  .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "doc" },
};

/* ------------------------------------------------------------ server */

/* One connection's request state. */
typedef struct conn_ctx {
	kt_buf body;
	int too_large;
	int oom;
} conn_ctx;

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

int web_send(web_req *r, unsigned status, const char *ctype, const void *data, size_t len,
	     const char *location, const char *cookie1, const char *cookie2)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return 0;
	MHD_add_response_header(resp, "Content-Type", ctype);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (location)
		MHD_add_response_header(resp, "Location", location);
	if (cookie1)
		MHD_add_response_header(resp, "Set-Cookie", cookie1);
	if (cookie2)
		MHD_add_response_header(resp, "Set-Cookie", cookie2);
	ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return ret == MHD_YES;
}

int web_send_json(web_req *r, unsigned status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int ret;

	json_decref(v);
	if (s == NULL)
		return web_send(r, 500, "application/json", "{\"error\":\"out of memory\"}", 25, NULL,
				NULL, NULL);
	ret = web_send(r, status, "application/json; charset=utf-8", s, strlen(s), NULL, NULL, NULL);
	free(s);
	return ret;
}

int web_redirect(web_req *r, const char *to, const char *cookie1, const char *cookie2)
{
	return web_send(r, 303, "text/plain; charset=utf-8", "", 0, to, cookie1, cookie2);
}

const char *web_arg(web_req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

	return v && kt_utf8_valid(v, strlen(v)) ? v : NULL;
}

const char *web_cookie(web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

char *web_form_value(const char *body, const char *name)
{
	size_t nl = strlen(name);
	const char *p = body;

	while (p && *p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			char *v = malloc(len - nl), *o = v;
			const char *s = p + nl + 1, *e = p + len;

			if (v == NULL)
				return NULL;
			while (s < e) {
				if (*s == '+') {
					*o++ = ' ';
					s++;
				} else if (*s == '%' && e - s >= 3 && isxdigit((unsigned char)s[1]) &&
					   isxdigit((unsigned char)s[2])) {
					char hex[3] = { s[1], s[2], 0 };

					*o++ = (char)strtol(hex, NULL, 16);
					s += 3;
				} else {
					*o++ = *s++;
				}
			}
			*o = '\0';
			return v;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

int web_tokens_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL || (n = strlen(a)) == 0 || n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

/* ------------------------------------------------------------ routing */

static void remote_of(web_req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *real;

	snprintf(r->remote, sizeof r->remote, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->remote, sizeof r->remote);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->remote,
			  sizeof r->remote);
	real = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Real-IP");
	if (r->w->opts->behind_proxy && real && strlen(real) < 46 &&
	    (!strcmp(r->remote, "127.0.0.1") || !strcmp(r->remote, "::1"))) {
		unsigned char tmp[16];

		if (inet_pton(AF_INET, real, tmp) == 1 || inet_pton(AF_INET6, real, tmp) == 1)
			snprintf(r->remote, sizeof r->remote, "%s", real);
	}
}

static void params_free(web_params *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free(p->str[i]);
	p->n = 0;
}

/* Match path against a row's pattern (see web_route): 1 with the
 * parameters in *p (free with params_free), 0 when it does not match,
 * -1 when out of memory. */
static int match(const char *pat, const char *path, web_params *p)
{
	p->n = 0;
	while (*pat) {
		const char *close, *kind;
		char stop[3] = "/";
		size_t len, kn;
		char *v;

		if (*pat != '{') {
			if (*pat++ != *path++)
				goto no;
			continue;
		}
		close = strchr(pat, '}');
		kind = memchr(pat, ':', (size_t)(close - pat));
		kind = kind ? kind + 1 : close;
		kn = (size_t)(close - kind);
		pat = close + 1;
		stop[1] = *pat;   /* a segment ends at '/' or at the literal after it */
		if (kn == 4 && !strncmp(kind, "rest", 4))
			len = strlen(path);
		else
			len = strcspn(path, stop);
		if (len == 0 || p->n == WEB_PARAMS_MAX)
			goto no;
		if (kind[0] == '<' && len >= strtoul(kind + 1, NULL, 10))
			goto no;
		if ((v = strndup(path, len)) == NULL) {
			params_free(p);
			return -1;
		}
		p->str[p->n] = v;
		p->num[p->n++] = 0;
		if (kn == 3 && !strncmp(kind, "int", 3)) {
			int consumed = 0;

			if (sscanf(v, "%d%n", &p->num[p->n - 1], &consumed) != 1 ||
			    (size_t)consumed != len)
				goto no;
		}
		path += len;
	}
	if (*path == '\0')
		return 1;
no:
	params_free(p);
	return 0;
}

/* The first row that answers method m at path (anyone: the rows needing no
 * session, else the others); NULL when none (or out of memory). */
static const web_route *find(const web_req *r, const char *path, unsigned m, int anyone,
			     web_params *p)
{
	unsigned where = r->api ? WEB_API : WEB_HTML;
	size_t i;

	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const web_route *row = &routes[i];

		if (!row->anyone != !anyone || !(row->methods & m) || !(row->where & where))
			continue;
		switch (match(row->path, path, p)) {
		case 1: return row;
		case -1: return NULL;
		default: break;
		}
	}
	return NULL;
}

/* 1 when a POST row's CSRF token is right (or the row has none), else 0. */
static int csrf_ok(web_req *r, const web_route *row)
{
	char *csrf;
	int ok;

	if (row->csrf == WEB_CSRF_NONE)
		return 1;
	csrf = web_form_value(r->body, "csrf");
	ok = web_tokens_equal(csrf, row->csrf == WEB_CSRF_LOGIN ? web_cookie(r, "kt_login_csrf") :
				    r->user.csrf);
	free(csrf);
	return ok;
}

/* The checks of a row that matched, then its handler; frees p. */
static int run(web_req *r, const web_route *row, web_params *p)
{
	int ret;

	if (row->roles && !(row->roles & web_role_bit(r->user.role))) {
		ret = web_forbidden(r, row->denied);
	} else if (!csrf_ok(r, row)) {
		ret = web_error(r, 403, row->csrf == WEB_CSRF_LOGIN ?
				"the form has expired or did not come from this site: load the "
				"login page again" : "the form has expired or did not come from this site");
	} else {
		if ((row->roles & WEB_OFFICER) && !strcmp(r->user.role, "officer"))
			r->allowed = web_officer_cases(r->w, r->user.name);
		ret = row->run(r, p);
	}
	params_free(p);
	return ret;
}

static int dispatch(web_req *r)
{
	const char *path = r->url, *token;
	unsigned m = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD") ? WEB_GET :
		     !strcmp(r->method, "POST") ? WEB_POST : 0;
	const web_route *row;
	web_params p = { 0 };

	r->api = !strncmp(path, "/api/", 5);
	if (r->api)
		path += 4; /* "/api/x" routes as "/x" */
	if ((row = find(r, path, m, 1, &p)) != NULL)
		return run(r, row, &p);
	if (m == 0)
		return web_error(r, 405, "method not allowed");

	token = web_cookie(r, "kt_session");
	if (kt_access_session(r->w->acc, token, &r->user) != KT_OK) {
		if (r->api)
			return web_send_json(r, 401, json_pack("{s:s}", "error", "login required"));
		return web_redirect(r, "/login", NULL, NULL);
	}
	r->authed = 1;
	if ((row = find(r, path, m, 0, &p)) != NULL)
		return run(r, row, &p);
	if (m == WEB_POST)
		return web_error(r, 405, "method not allowed");
	return web_error(r, 404, "no such page");
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	conn_ctx *cc = *con_cls;
	web_req r = { 0 };
	int ret;

	(void)version;
	if (cc == NULL) {
		if ((cc = calloc(1, sizeof *cc)) == NULL)
			return MHD_NO;
		*con_cls = cc;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (cc->body.len + *upload_data_size > BODY_MAX)
			cc->too_large = 1;
		else if (!cc->oom && kt_buf_add(&cc->body, upload_data, *upload_data_size) != KT_OK)
			cc->oom = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	r.w = cls;
	r.conn = conn;
	r.method = method;
	r.url = url;
	r.body = kt_buf_cstr(&cc->body);
	remote_of(&r);
	if (cc->too_large || cc->oom)
		ret = web_error(&r, 413, "request too large");
	else
		ret = dispatch(&r);
	json_decref(r.allowed);
	sodium_memzero(&r.user, sizeof r.user);
	return ret ? MHD_YES : MHD_NO;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	conn_ctx *cc = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (cc) {
		if (cc->body.s)
			sodium_memzero(cc->body.s, cc->body.len);
		kt_buf_release(&cc->body);
		free(cc);
		*con_cls = NULL;
	}
}

int kt_web_serve(const char *store_dir, const kt_web_opts *opts, kt_error *err)
{
	const char *listen = opts->listen ? opts->listen : "127.0.0.1:8080";
	struct sockaddr_in sa = { 0 };
	const char *colon = strrchr(listen, ':');
	char host[64];
	long port;
	char *end;
	web w = { 0 };
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	sigset_t set;
	int sig;

	if (colon == NULL || (size_t)(colon - listen) >= sizeof host)
		return kt_error_set(err, KT_FATAL, "--listen '%s' is not HOST:PORT", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || port < 0 || port > 65535)
		return kt_error_set(err, KT_FATAL, "--listen '%s': bad port", listen);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return kt_error_set(err, KT_FATAL, "--listen '%s': not an IPv4 address", listen);
	if ((ntohl(sa.sin_addr.s_addr) >> 24) != 127)
		fprintf(stderr, "kartoteka serve: warning: listening on '%s', not on loopback: put a TLS "
				"reverse proxy in front (docs/web.md)\n", host);
	if (kt_store_open(store_dir, KT_STORE_READ, &w.store, err) != KT_OK)
		return KT_FATAL;
	if (kt_access_open(store_dir, &w.acc, err) != KT_OK) {
		kt_store_free(&w.store);
		return KT_FATAL;
	}
	w.opts = opts;

	/* the daemon's thread inherits the mask: signals come to sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     handler, &w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)200, MHD_OPTION_END);
	if (d == NULL) {
		kt_access_free(&w.acc);
		kt_store_free(&w.store);
		return kt_error_set(err, KT_FATAL, "cannot listen on '%s'", listen);
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://%s:%u/\n", host, di ? (unsigned)di->port : (unsigned)port);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	kt_access_free(&w.acc);
	kt_store_free(&w.store);
	return KT_OK;
}
