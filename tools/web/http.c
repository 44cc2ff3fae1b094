/*
 * http.c - kt_web_serve on libmicrohttpd, the one file of the web server
 * that calls it: the daemon, a request's state and body, the responses
 * (status, content type, the security headers and CSP of docs/web.md,
 * cookies, redirects, JSON, downloads), and the dispatcher that walks the
 * route table (routes.c).
 *
 * Limits (docs/web.md "Limits"): a pool of threads answers requests, each
 * request borrowing one of the pool's store and access handles (web) for its
 * handler, so a handle is used by one thread at a time; libmicrohttpd caps
 * the open connections in all and per peer address, and closes idle ones; a
 * watcher thread closes a connection that takes longer than the request
 * timeout from its opening (or its previous answer) to its answer, however
 * slowly it trickles its bytes; access.sqlite waits briefly for a lock, and
 * an audit row that cannot be written turns the answer into a 503.
 *
 * The dispatcher answers, in this order:
 *   1. a row that needs no session (static files, the login form and login);
 *   2. 405 for a method other than GET, HEAD and POST;
 *   3. without a valid session: 303 to /login, or 401 JSON under /api/;
 *   4. a row that needs a session: 403 (audited as denied) when the role
 *      may not, 403 when a POST's CSRF token is wrong, else its handler;
 *      (a POST whose Origin or Sec-Fetch-Site names another site gets 403
 *      before anything else);
 *   5. no row: 405 for a POST, 404 otherwise.
 */
#include "web_private.h"

#include "kt_text.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define BODY_MAX 16384

/* ------------------------------------------------------------ server */

/* One request's state. */
typedef struct conn_ctx {
	kt_buf body;
	int too_large;
	int oom;
} conn_ctx;

/* One open connection (libmicrohttpd's socket context), on the server's list
 * that the watcher walks. */
typedef struct conn_watch {
	struct conn_watch *prev, *next;
	int fd;
	double since;      /* opened, or its previous answer completed (monotonic seconds) */
	int closed;        /* shut down by the watcher */
} conn_watch;

/* The server: the handles the pool's threads borrow, the open connections,
 * and the watcher thread. One per kt_web_serve. */
typedef struct server {
	web *slots;
	web **free;                /* the slots not borrowed, n_free of them */
	int n_slots, n_free;
	pthread_mutex_t lock;      /* slots, the connection list, stopping */
	pthread_cond_t freed;      /* a slot came back */
	pthread_cond_t wake;       /* the watcher: stop */
	conn_watch *open;
	double timeout;            /* the request timeout, seconds */
	int stopping;
	unsigned char csrf_key[WEB_CSRF_KEY];
} server;

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/* The access log: one plain line per answer on stderr (the journal under
 * systemd): client, user ("-" before login), method, path without its query
 * (queries are personal data: they are in the audit log only), status and
 * bytes. The path is cut at 200 bytes and any byte outside printable ASCII
 * is written as '?', so a line is one line. */
static void access_log(const web_req *r, unsigned status, size_t len)
{
	char path[201];
	size_t i;

	for (i = 0; r->url != NULL && r->url[i] != '\0' && r->url[i] != '?' && i < 200; i++)
		path[i] = r->url[i] > ' ' && r->url[i] < 127 && r->url[i] != '"' ? r->url[i] : '?';
	path[i] = '\0';
	fprintf(stderr, "access: %s %s \"%s %s\" %u %zu\n", r->remote[0] ? r->remote : "-",
		r->authed && r->user.name[0] ? r->user.name : "-", r->method ? r->method : "-", path,
		status, len);
}

/* web_send, with a Content-Disposition value when disposition is not NULL. */
static int respond(web_req *r, unsigned status, const char *ctype, const void *data, size_t len,
		   const char *location, const char *cookie1, const char *cookie2,
		   const char *disposition)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->audit_failed && status != 503)
		/* nothing the handler made leaves the server: fail closed */
		return web_error(r, 503, "the audit log cannot be written: nothing is served, try "
				 "again later");
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
	if (disposition)
		MHD_add_response_header(resp, "Content-Disposition", disposition);
	if (status == 503)
		MHD_add_response_header(resp, "Retry-After", "10");
	ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	access_log(r, status, len);
	return ret == MHD_YES;
}

int web_send(web_req *r, unsigned status, const char *ctype, const void *data, size_t len,
	     const char *location, const char *cookie1, const char *cookie2)
{
	return respond(r, status, ctype, data, len, location, cookie1, cookie2, NULL);
}

/* The Content-Disposition of a download (RFC 6266): attachment, with an
 * ASCII filename for old clients (each other byte, quote and backslash as
 * '_') and the name itself as filename* (RFC 8187: UTF-8, percent-encoded
 * but for the attr-chars). */
static int disposition(kt_buf *b, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)name;
	size_t i;
	int bad = kt_buf_puts(b, "attachment; filename=\"");

	for (i = 0; u[i] && !bad; i++)
		bad = kt_buf_putc(b, (char)(u[i] < 0x20 || u[i] >= 0x7F || u[i] == '"' || u[i] == '\\'
					    ? '_' : u[i]));
	bad = bad || kt_buf_puts(b, "\"; filename*=UTF-8''");
	for (i = 0; u[i] && !bad; i++) {
		if ((u[i] >= 'A' && u[i] <= 'Z') || (u[i] >= 'a' && u[i] <= 'z') ||
		    (u[i] >= '0' && u[i] <= '9') || strchr("!#$&+-.^_`|~", u[i]) != NULL)
			bad = kt_buf_putc(b, (char)u[i]);
		else
			bad = kt_buf_putc(b, '%') || kt_buf_putc(b, hex[u[i] >> 4]) ||
			      kt_buf_putc(b, hex[u[i] & 15]);
	}
	return bad ? KT_FATAL : KT_OK;
}

int web_send_file(web_req *r, const char *ctype, const void *data, size_t len, const char *name)
{
	kt_buf b = KT_BUF_INIT;
	int ret;

	if (disposition(&b, name) != KT_OK) {
		kt_buf_release(&b);
		return web_error(r, 500, "out of memory");
	}
	ret = respond(r, 200, ctype, data, len, NULL, NULL, NULL, b.s);
	kt_buf_release(&b);
	return ret;
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
		if (kn == 4 && !strncmp(kind, "rest", 4)) {
			/* up to the literal the pattern ends in, if any */
			size_t all = strlen(path), tail = strlen(pat);

			len = tail == 0 ? all : all > tail && !strcmp(path + all - tail, pat)
						? all - tail : 0;
		} else {
			len = strcspn(path, stop);
		}
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

	for (i = 0; i < web_n_routes; i++) {
		const web_route *row = &web_routes[i];

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
	csrf = web_form_value(r->body, "csrf", NULL);
	if (row->csrf == WEB_CSRF_LOGIN)
		/* the form's token is the cookie's, and one this server made: a
		 * client cannot bring a token of its own choosing */
		ok = web_tokens_equal(csrf, web_cookie(r, "kt_login_csrf")) &&
		     web_login_token_valid(r->w, csrf);
	else
		ok = web_tokens_equal(csrf, r->user.csrf);
	free(csrf);
	return ok;
}

/* 1 when a POST may come from where it says. A browser's Sec-Fetch-Site
 * decides when sent: same-origin (or none: typed by the user), nothing else.
 * Without it an Origin must name this server as the Host header does, except
 * "null" (what a page of ours with Referrer-Policy no-referrer sends). A
 * client that sends neither (not a browser) passes; the CSRF token still
 * holds every POST. */
static int origin_ok(web_req *r)
{
	const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
	const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");

	if (site)
		return strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0;
	if (origin == NULL || strcmp(origin, "null") == 0)
		return 1;
	if (host == NULL || host[0] == '\0')
		return 0;
	if (!strncmp(origin, "https://", 8))
		origin += 8;
	else if (!strncmp(origin, "http://", 7))
		origin += 7;
	else
		return 0;
	return strcasecmp(origin, host) == 0;
}

/* The audit object of a role's refusal: the row's denied with each {i} the
 * path's parameter i (at most 200 bytes of it; the audit row escapes it),
 * so that a refusal names what was asked for ("doc:17"). */
static void denied_object(const web_route *row, const web_params *p, char *out, size_t n)
{
	const char *t = row->denied ? row->denied : "";
	size_t len = 0;

	out[0] = '\0';
	while (*t && len + 1 < n) {
		int i = t[0] == '{' && t[1] >= '0' && t[1] <= '9' && t[2] == '}' ? t[1] - '0' : -1;
		int w;

		if (i < 0 || i >= p->n) {
			out[len++] = *t++;
			out[len] = '\0';
			continue;
		}
		w = snprintf(out + len, n - len, "%.200s", p->str[i]);
		if (w < 0)
			break;
		len += (size_t)w < n - len ? (size_t)w : n - len - 1;
		t += 3;
	}
}

/* The checks of a row that matched, then its handler; frees p. */
static int run(web_req *r, const web_route *row, web_params *p)
{
	int ret;

	if (row->roles && !(row->roles & web_role_bit(r->user.role))) {
		char obj[512];

		denied_object(row, p, obj, sizeof obj);
		ret = web_forbidden(r, obj);
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
	if (m == WEB_POST && !origin_ok(r))
		return web_error(r, 403, "the form did not come from this site");
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

/* Now on a clock that never goes back, in seconds. */
static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Borrow a slot for a handler, and give it back. There are as many slots as
 * threads answer requests, so a borrower finds one free. */
static web *slot_take(server *s)
{
	web *w;

	pthread_mutex_lock(&s->lock);
	while (s->n_free == 0)
		pthread_cond_wait(&s->freed, &s->lock);
	w = s->free[--s->n_free];
	pthread_mutex_unlock(&s->lock);
	return w;
}

static void slot_give(server *s, web *w)
{
	pthread_mutex_lock(&s->lock);
	s->free[s->n_free++] = w;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/* Open again the stores of the slots no thread borrows whose index folder
 * changed (a borrowed one is, when it is next taken). */
static void refresh_idle(server *s)
{
	int i, k;

	for (i = 0; i < s->n_slots; i++) {
		web *w = NULL;

		pthread_mutex_lock(&s->lock);
		for (k = 0; k < s->n_free && w == NULL; k++)
			if (s->free[k] == &s->slots[i]) {
				w = s->free[k];
				s->free[k] = s->free[--s->n_free];
			}
		pthread_mutex_unlock(&s->lock);
		if (w == NULL)
			continue;
		web_store_fresh(w);
		slot_give(s, w);
	}
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	server *s = cls;
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
	r.w = slot_take(s);
	if (web_store_fresh(r.w))
		refresh_idle(s);
	r.conn = conn;
	r.method = method;
	r.url = url;
	r.body = kt_buf_cstr(&cc->body);
	remote_of(&r);
	if (cc->too_large || cc->oom)
		ret = web_error(&r, 413, "request too large");
	else
		ret = dispatch(&r);
	slot_give(s, r.w);
	if (r.store_changed)
		refresh_idle(s);
	json_decref(r.allowed);
	sodium_memzero(&r.user, sizeof r.user);
	return ret ? MHD_YES : MHD_NO;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	server *s = cls;
	conn_ctx *cc = *con_cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	(void)toe;
	if (ci && ci->socket_context) {
		/* answered: the next request's clock starts */
		pthread_mutex_lock(&s->lock);
		((conn_watch *)ci->socket_context)->since = mono_now();
		pthread_mutex_unlock(&s->lock);
	}
	if (cc) {
		if (cc->body.s)
			sodium_memzero(cc->body.s, cc->body.len);
		kt_buf_release(&cc->body);
		free(cc);
		*con_cls = NULL;
	}
}

/* A connection opens or closes: on or off the list the watcher walks.
 * libmicrohttpd calls this with "closed" before it closes the socket. */
static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	server *s = cls;
	conn_watch *cw = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		if (ci == NULL || (cw = calloc(1, sizeof *cw)) == NULL)
			return;
		cw->fd = ci->connect_fd;
		pthread_mutex_lock(&s->lock);
		cw->since = mono_now();
		cw->next = s->open;
		if (s->open)
			s->open->prev = cw;
		s->open = cw;
		pthread_mutex_unlock(&s->lock);
		*socket_context = cw;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && cw != NULL) {
		pthread_mutex_lock(&s->lock);
		if (cw->prev)
			cw->prev->next = cw->next;
		else
			s->open = cw->next;
		if (cw->next)
			cw->next->prev = cw->prev;
		pthread_mutex_unlock(&s->lock);
		free(cw);
		*socket_context = NULL;
	}
}

/* The watcher: a few times a second (at most each quarter of the timeout),
 * shut down the connections past the request timeout; libmicrohttpd then
 * sees the socket end and closes the connection on its own thread. */
static void *watcher(void *arg)
{
	server *s = arg;
	double step = s->timeout / 4 < 0.25 ? 0.25 : s->timeout / 4 > 1 ? 1 : s->timeout / 4;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		struct timespec until;
		double now = mono_now(), t = now + step;
		conn_watch *cw;

		for (cw = s->open; cw; cw = cw->next)
			if (!cw->closed && now - cw->since > s->timeout) {
				shutdown(cw->fd, SHUT_RDWR);
				cw->closed = 1;
			}
		until.tv_sec = (time_t)t;
		until.tv_nsec = (long)((t - (double)until.tv_sec) * 1e9);
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Parse --listen into sa and host; KT_OK or KT_FATAL with the message. */
static int parse_listen(const char *listen, struct sockaddr_in *sa, char host[64], kt_error *err)
{
	const char *colon = strrchr(listen, ':');
	long port;
	char *end;

	if (colon == NULL || (size_t)(colon - listen) >= 64)
		return kt_error_set(err, KT_FATAL, "--listen '%s' is not HOST:PORT", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || port < 0 || port > 65535)
		return kt_error_set(err, KT_FATAL, "--listen '%s': bad port", listen);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return kt_error_set(err, KT_FATAL, "--listen '%s': not an IPv4 address", listen);
	return KT_OK;
}

/* Close the slots that were opened and free the server's memory. */
static void server_free(server *s)
{
	int i;

	for (i = 0; s->slots && i < s->n_slots; i++) {
		kt_access_free(&s->slots[i].acc);
		kt_store_free(&s->slots[i].store);
	}
	free(s->slots);
	free(s->free);
	pthread_cond_destroy(&s->freed);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	sodium_memzero(s->csrf_key, sizeof s->csrf_key);
}

/* Open a store and an access handle per thread; KT_OK or KT_FATAL. */
static int server_init(server *s, const char *store_dir, const kt_web_opts *opts, int threads,
		       kt_error *err)
{
	pthread_condattr_t ca;
	int i;

	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	randombytes_buf(s->csrf_key, sizeof s->csrf_key);
	s->timeout = opts->request_timeout > 0 ? opts->request_timeout : KT_WEB_REQUEST_TIMEOUT;
	s->slots = calloc((size_t)threads, sizeof *s->slots);
	s->free = calloc((size_t)threads, sizeof *s->free);
	if (s->slots == NULL || s->free == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	for (i = 0; i < threads; i++) {
		web *w = &s->slots[i];

		s->n_slots = i + 1;
		w->opts = opts;
		w->csrf_key = s->csrf_key;
		if (kt_store_open(store_dir, KT_STORE_READ, &w->store, err) != KT_OK ||
		    kt_access_open(store_dir, &w->acc, err) != KT_OK)
			return KT_FATAL;
		web_store_mark(w);
		/* a write waits half a second for a lock held elsewhere, then fails:
		 * a locked access.sqlite refuses requests (503), it does not stall them */
		kt_access_set_busy_timeout(w->acc, 500);
		kt_access_set_session_idle(w->acc, opts->session_idle > 0 ? opts->session_idle :
						     KT_WEB_SESSION_IDLE);
		s->free[s->n_free++] = w;
	}
	return KT_OK;
}

int kt_web_serve(const char *store_dir, const kt_web_opts *opts, kt_error *err)
{
	const char *listen = opts->listen ? opts->listen : "127.0.0.1:8080";
	struct sockaddr_in sa = { 0 };
	char host[64];
	server s = { 0 };
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	pthread_t watch;
	sigset_t set;
	int sig;
	unsigned max_conn = opts->max_connections > 0 ? (unsigned)opts->max_connections :
			    KT_WEB_MAX_CONNECTIONS;
	unsigned per_addr = opts->per_address > 0 ? (unsigned)opts->per_address :
			    opts->behind_proxy ? max_conn : KT_WEB_PER_ADDRESS;
	unsigned threads = opts->threads > 0 ? (unsigned)opts->threads : KT_WEB_THREADS;

	if (parse_listen(listen, &sa, host, err) != KT_OK)
		return KT_FATAL;
	if ((ntohl(sa.sin_addr.s_addr) >> 24) != 127)
		fprintf(stderr, "kartoteka serve: warning: listening on '%s', not on loopback: put a TLS "
				"reverse proxy in front (docs/web.md)\n", host);
	if (threads > max_conn)
		threads = max_conn;   /* each thread takes its share of the connections */
	if (server_init(&s, store_dir, opts, (int)threads, err) != KT_OK) {
		server_free(&s);
		return KT_FATAL;
	}

	/* the daemon's threads inherit the mask: signals come to sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     handler, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, threads,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
			     MHD_OPTION_NOTIFY_CONNECTION, connection_event, &s,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)s.timeout,
			     MHD_OPTION_CONNECTION_LIMIT, max_conn,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_addr > max_conn ? max_conn : per_addr,
			     MHD_OPTION_END);
	if (d == NULL) {
		server_free(&s);
		return kt_error_set(err, KT_FATAL, "cannot listen on '%s'", listen);
	}
	if (pthread_create(&watch, NULL, watcher, &s) != 0) {
		MHD_stop_daemon(d);
		server_free(&s);
		return kt_error_set(err, KT_FATAL, "cannot start the connection watcher");
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://%s:%u/\n", host, di ? (unsigned)di->port : ntohs(sa.sin_port));
	fflush(stdout);
	sigwait(&set, &sig);
	pthread_mutex_lock(&s.lock);
	s.stopping = 1;
	pthread_cond_signal(&s.wake);
	pthread_mutex_unlock(&s.lock);
	pthread_join(watch, NULL);
	MHD_stop_daemon(d);
	server_free(&s);
	return KT_OK;
}
