/*
 * server.c - kt_web_serve on libmicrohttpd: routes, sessions, roles, CSRF,
 * the audit of every read, server-rendered HTML and the JSON API.
 *
 * One internal polling thread answers every request, so the store and the
 * access database are used by one thread at a time.
 *
 * Every string that comes from a document, a case record, a file name or a
 * request is written into HTML through buf_html (or buf_attr), never raw.
 */
#include "kt_web.h"
#include "kt_access.h"

#include "kt_catalog.h"
#include "kt_index.h"
#include "kt_pipeline.h"
#include "kt_text.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX 16384
#define PER_PAGE 20
#define THUMB_WIDTH 240
#define FULL_WIDTH 1600

/* ------------------------------------------------------------ buffers */

typedef struct buf {
	char *p;
	size_t n, cap;
	int oom;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void buf_s(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_f(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_f(buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* HTML-escape n bytes (text and attribute values alike). */
static void buf_htmln(buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_s(b, "&amp;"); break;
		case '<': buf_s(b, "&lt;"); break;
		case '>': buf_s(b, "&gt;"); break;
		case '"': buf_s(b, "&quot;"); break;
		case '\'': buf_s(b, "&#39;"); break;
		default: buf_add(b, s + i, 1);
		}
	}
}

static void buf_html(buf *b, const char *s)
{
	if (s != NULL)
		buf_htmln(b, s, strlen(s));
}

/* Percent-encode for a query value or a path segment (then HTML-safe too). */
static void buf_url(buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			buf_add(b, s, 1);
		else
			buf_f(b, "%%%02X", c);
	}
}

/* ------------------------------------------------------------ server */

typedef struct web {
	kt_store *store;
	kt_access *acc;
	const kt_web_opts *opts;
} web;

/* One connection's request state. */
typedef struct conn_ctx {
	buf body;
	int too_large;
} conn_ctx;

typedef struct req {
	web *w;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	int api;
	char remote[64];
	int authed;
	kt_access_user user;
	const char *body;
	json_t *allowed;    /* officer: object whose keys are the allowed case numbers */
} req;

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result send_resp(req *r, unsigned status, const char *ctype, const void *data,
				 size_t len, const char *location, const char *cookie1,
				 const char *cookie2)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
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
	return ret;
}

static enum MHD_Result send_json(req *r, unsigned status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	enum MHD_Result ret;

	json_decref(v);
	if (s == NULL)
		return send_resp(r, 500, "application/json", "{\"error\":\"out of memory\"}", 25, NULL,
				 NULL, NULL);
	ret = send_resp(r, status, "application/json; charset=utf-8", s, strlen(s), NULL, NULL, NULL);
	free(s);
	return ret;
}

static enum MHD_Result redirect(req *r, const char *to, const char *cookie1, const char *cookie2)
{
	return send_resp(r, 303, "text/plain; charset=utf-8", "", 0, to, cookie1, cookie2);
}

/* The page frame: head, navigation by role; body is appended by the caller. */
static void page_start(req *r, buf *b, const char *title)
{
	const char *role = r->authed ? r->user.role : "";

	buf_s(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		 "<link rel=\"stylesheet\" href=\"/static/style.css\">"
		 "<script src=\"/static/app.js\" defer></script><title>");
	buf_html(b, title);
	buf_s(b, " - kartoteka</title></head><body><header><nav><strong>kartoteka</strong>");
	if (r->authed) {
		if (!strcmp(role, "archivist") || !strcmp(role, "officer"))
			buf_s(b, " <a href=\"/search\">Search</a> <a href=\"/cases\">Cases</a>");
		if (!strcmp(role, "operator") || !strcmp(role, "admin"))
			buf_s(b, " <a href=\"/batches\">Batches</a>");
		if (!strcmp(role, "admin"))
			buf_s(b, " <a href=\"/audit\">Audit log</a> <a href=\"/users\">Users</a>");
		buf_s(b, "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">"
			 "<span class=\"who\">");
		buf_html(b, r->user.name);
		buf_s(b, " (");
		buf_html(b, role);
		buf_s(b, ")</span><input type=\"hidden\" name=\"csrf\" value=\"");
		buf_html(b, r->user.csrf);
		buf_s(b, "\"><button type=\"submit\">Log out</button></form>");
	} else {
		buf_s(b, "</nav>");
	}
	buf_s(b, "</header><main>");
}

static enum MHD_Result page_end(req *r, buf *b, unsigned status)
{
	enum MHD_Result ret;

	buf_s(b, "</main></body></html>\n");
	if (b->oom)
		ret = send_resp(r, 500, "text/plain; charset=utf-8", "out of memory", 13, NULL, NULL, NULL);
	else
		ret = send_resp(r, status, "text/html; charset=utf-8", b->p, b->n, NULL, NULL, NULL);
	free(b->p);
	return ret;
}

static enum MHD_Result error_page(req *r, unsigned status, const char *msg)
{
	buf b = { 0 };

	if (r->api)
		return send_json(r, status, json_pack("{s:s}", "error", msg));
	page_start(r, &b, "Error");
	buf_s(&b, "<h1>");
	buf_f(&b, "%u", status);
	buf_s(&b, "</h1><p class=\"error\">");
	buf_html(&b, msg);
	buf_s(&b, "</p>");
	return page_end(r, &b, status);
}

static const char *arg(req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

	return v && kt_utf8_valid(v, strlen(v)) ? v : NULL;
}

/* A value of an application/x-www-form-urlencoded body, malloc'd; NULL if absent. */
static char *form_value(const char *body, const char *name)
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

static int tokens_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL || (n = strlen(a)) == 0 || n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

static int audit(req *r, const char *action, const char *object)
{
	return kt_access_audit(r->w->acc, r->authed ? r->user.name : "", r->authed ? r->user.role : "",
			       action, object, r->remote);
}

static int has_role(req *r, const char *r1, const char *r2)
{
	return (r1 && !strcmp(r->user.role, r1)) || (r2 && !strcmp(r->user.role, r2));
}

static enum MHD_Result forbidden(req *r, const char *object)
{
	audit(r, "denied", object);
	return error_page(r, 403, "not allowed");
}

/* ------------------------------------------------------ officer's cases */

/* The cases an officer may read: assigned with `user assign`, or naming the
 * officer in the case record's "officer" column. */
static json_t *officer_cases(web *w, const char *name)
{
	json_t *set = json_object(), *assigned = kt_access_user_cases(w->acc, name), *v;
	kt_catalog *c = kt_store_catalog(w->store);
	char **nums = NULL;
	int n = 0, i;
	size_t k;

	json_array_foreach(assigned, k, v)
		json_object_set_new(set, json_string_value(v), json_true());
	json_decref(assigned);
	if (kt_catalog_case_numbers(c, &nums, &n) == KT_OK) {
		for (i = 0; i < n; i++) {
			json_t *cs = kt_catalog_case_json(c, nums[i]);
			const char *off = json_string_value(json_object_get(json_object_get(cs, "extra"),
									    "officer"));

			if (off && strcmp(off, name) == 0)
				json_object_set_new(set, nums[i], json_true());
			json_decref(cs);
		}
		kt_catalog_strings_free(&nums, n);
	}
	return set;
}

static int may_read_case(req *r, const char *number)
{
	if (has_role(r, "archivist", NULL))
		return 1;
	return has_role(r, "officer", NULL) && json_object_get(r->allowed, number) != NULL;
}

static int may_read_doc(req *r, json_t *doc)
{
	json_t *v;
	size_t k;

	if (has_role(r, "archivist", NULL))
		return 1;
	if (!has_role(r, "officer", NULL))
		return 0;
	json_array_foreach(json_object_get(doc, "cases"), k, v)
		if (json_is_string(v) && json_object_get(r->allowed, json_string_value(v)))
			return 1;
	return 0;
}

/* ------------------------------------------------------------- login */

static enum MHD_Result login_page(req *r, unsigned status, const char *msg)
{
	char csrf[65], cookie[160];
	unsigned char rnd[32];
	buf b = { 0 };
	enum MHD_Result ret;
	const char *have = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "kt_login_csrf");

	/* keep a token the browser holds already: another tab's form stays valid */
	if (have && strlen(have) == 64 && strspn(have, "0123456789abcdef") == 64) {
		memcpy(csrf, have, 65);
	} else {
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(csrf, sizeof csrf, rnd, sizeof rnd);
	}
	snprintf(cookie, sizeof cookie, "kt_login_csrf=%s; Path=/login; HttpOnly; SameSite=Strict%s",
		 csrf, r->w->opts->secure_cookies ? "; Secure" : "");
	page_start(r, &b, "Log in");
	buf_s(&b, "<h1>Log in</h1>");
	if (msg) {
		buf_s(&b, "<p class=\"error\">");
		buf_html(&b, msg);
		buf_s(&b, "</p>");
	}
	buf_s(&b, "<form method=\"post\" action=\"/login\" class=\"login\">"
		  "<input type=\"hidden\" name=\"csrf\" value=\"");
	buf_s(&b, csrf);
	buf_s(&b, "\"><label>User name <input name=\"name\" autocomplete=\"username\" required></label>"
		  "<label>Password <input name=\"password\" type=\"password\" "
		  "autocomplete=\"current-password\" required></label>"
		  "<button type=\"submit\">Log in</button></form></main></body></html>\n");
	if (b.oom) {
		free(b.p);
		return MHD_NO;
	}
	ret = send_resp(r, status, "text/html; charset=utf-8", b.p, b.n, NULL, cookie, NULL);
	free(b.p);
	return ret;
}

static enum MHD_Result do_login(req *r)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "kt_login_csrf");
	char *csrf = form_value(r->body, "csrf"), *name = form_value(r->body, "name");
	char *password = form_value(r->body, "password");
	char token[65], setc[200];
	enum MHD_Result ret;
	int rc;

	if (!tokens_equal(csrf, cookie)) {
		ret = error_page(r, 403, "the form has expired or did not come from this site: "
					 "load the login page again");
	} else if (name == NULL || !kt_utf8_valid(name, strlen(name))) {
		ret = login_page(r, 400, "enter a user name and a password");
	} else {
		rc = kt_access_login(r->w->acc, name, password, r->remote, token);
		if (rc == KT_OK) {
			r->authed = 1;
			kt_access_session(r->w->acc, token, &r->user);
			audit(r, "login", "");
			snprintf(setc, sizeof setc, "kt_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
				 token, r->w->opts->secure_cookies ? "; Secure" : "");
			sodium_memzero(token, sizeof token);
			ret = redirect(r, "/", setc, "kt_login_csrf=; Path=/login; Max-Age=0");
		} else {
			kt_access_audit(r->w->acc, name, "", rc == KT_ACCESS_LIMITED ? "login-limited" :
				"login-failed", "", r->remote);
			if (rc == KT_ACCESS_LIMITED)
				ret = login_page(r, 429, kt_access_errmsg(r->w->acc));
			else if (rc == KT_FAILED)
				ret = login_page(r, 401, "wrong user name or password");
			else
				ret = error_page(r, 500, kt_access_errmsg(r->w->acc));
		}
	}
	if (password)
		sodium_memzero(password, strlen(password));
	free(password);
	free(name);
	free(csrf);
	return ret;
}

static enum MHD_Result do_logout(req *r)
{
	char *csrf = form_value(r->body, "csrf");
	enum MHD_Result ret;

	if (!tokens_equal(csrf, r->user.csrf)) {
		ret = error_page(r, 403, "the form has expired or did not come from this site");
	} else {
		kt_access_logout(r->w->acc, MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
									"kt_session"));
		audit(r, "logout", "");
		ret = redirect(r, "/login", "kt_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
			       NULL);
	}
	free(csrf);
	return ret;
}

/* ------------------------------------------------------------- search */

/* A filter value we put into the query: letters, digits, - + . only. */
static int filter_ok(const char *v)
{
	if (v == NULL || *v == '\0' || strlen(v) > 64)
		return 0;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && *v != '-' && *v != '+' && *v != '.' && *v != '_')
			return 0;
	return 1;
}

static void count_value(json_t *facet, const char *value)
{
	json_t *c;

	if (value == NULL || *value == '\0')
		return;
	c = json_object_get(facet, value);
	json_object_set_new(facet, value, json_integer(c ? json_integer_value(c) + 1 : 1));
}

/* Search href keeping the filters, with one of them changed. */
static void search_href(buf *b, const char *q, const char **names, const char **vals, int n,
			const char *set_name, const char *set_val, long offset)
{
	int i;

	buf_s(b, "/search?q=");
	buf_url(b, q ? q : "");
	for (i = 0; i < n; i++) {
		const char *v = strcmp(names[i], set_name ? set_name : "") == 0 ? set_val : vals[i];

		if (v && *v) {
			buf_f(b, "&amp;%s=", names[i]);
			buf_url(b, v);
		}
	}
	if (offset > 0)
		buf_f(b, "&amp;start=%ld", offset);
}

/* Snippet with « » turned into <mark>, the rest escaped. */
static void buf_snippet(buf *b, const char *s)
{
	int open = 0;

	while (s && *s) {
		if (!strncmp(s, "\xc2\xab", 2)) {
			if (!open)
				buf_s(b, "<mark>");
			open = 1;
			s += 2;
		} else if (!strncmp(s, "\xc2\xbb", 2)) {
			if (open)
				buf_s(b, "</mark>");
			open = 0;
			s += 2;
		} else {
			buf_htmln(b, s, 1);
			s++;
		}
	}
	if (open)
		buf_s(b, "</mark>");
}

static enum MHD_Result route_search(req *r)
{
	static const char *fnames[] = { "type", "lang", "year", "case" };
	const char *fvals[4], *q = arg(r, "q"), *start_s = arg(r, "start");
	kt_catalog *c = kt_store_catalog(r->w->store);
	kt_index_hits *hits = NULL;
	kt_index *ix;
	kt_error err = { 0 };
	json_t *docs, *kept, *facets, *audit_obj, *v;
	buf query = { 0 }, b = { 0 };
	long start = start_s ? strtol(start_s, NULL, 10) : 0, total;
	int i, searched = q != NULL;
	size_t k;
	char *aud;

	if (!has_role(r, "archivist", "officer"))
		return forbidden(r, "search");
	docs = json_object();
	kept = json_array();
	for (i = 0; i < 4; i++) {
		fvals[i] = arg(r, fnames[i]);
		if (fvals[i] && !filter_ok(fvals[i]))
			fvals[i] = NULL;
		if (fvals[i])
			searched = 1;
	}
	if (start < 0 || start > 100000)
		start = 0;
	facets = json_pack("{s:{}, s:{}, s:{}, s:{}}", "type", "lang", "year", "case");
	buf_s(&query, q ? q : "");
	if (fvals[0]) { buf_s(&query, " type:"); buf_s(&query, fvals[0]); }
	if (fvals[1]) { buf_s(&query, " lang:"); buf_s(&query, fvals[1]); }
	if (fvals[2]) { buf_s(&query, " date:"); buf_s(&query, fvals[2]); }
	if (searched) {
		ix = kt_store_index(r->w->store, &err);
		if (ix == NULL || kt_index_search(ix, query.p ? query.p : "", 0, 10000, &hits) != KT_OK) {
			const char *msg = ix ? kt_index_errmsg(ix) : err.msg;

			free(query.p);
			json_decref(docs);
			json_decref(kept);
			json_decref(facets);
			return error_page(r, 400, msg);
		}
		/* filter by the user's cases before counting and paging */
		for (i = 0; i < hits->n; i++) {
			char key[32];
			json_t *doc, *cs, *meta, *pg;

			snprintf(key, sizeof key, "%lld", hits->hits[i].doc_id);
			doc = json_object_get(docs, key);
			if (doc == NULL) {
				doc = kt_catalog_doc_json(c, hits->hits[i].doc_id);
				if (doc == NULL)
					continue;
				json_object_set_new(docs, key, doc);
			}
			if (!may_read_doc(r, doc))
				continue;
			cs = json_object_get(doc, "cases");
			if (fvals[3]) {
				int found = 0;

				json_array_foreach(cs, k, v)
					found |= !strcmp(json_string_value(v) ? json_string_value(v) : "", fvals[3]);
				if (!found)
					continue;
			}
			meta = json_object_get(doc, "metadata");
			count_value(json_object_get(facets, "type"),
				    json_string_value(json_object_get(meta, "doc_type")));
			pg = json_array_get(json_object_get(doc, "pages"), (size_t)hits->hits[i].page - 1);
			{
				char lang[64], *tok, *save = NULL;

				snprintf(lang, sizeof lang, "%s",
					 json_string_value(json_object_get(pg, "lang")) ?
					 json_string_value(json_object_get(pg, "lang")) : "");
				for (tok = strtok_r(lang, "+", &save); tok; tok = strtok_r(NULL, "+", &save))
					count_value(json_object_get(facets, "lang"), tok);
			}
			{
				json_t *years = json_object();
				const char *yk;

				json_array_foreach(json_object_get(meta, "dates"), k, v) {
					char y[5];

					if (json_string_value(v) && strlen(json_string_value(v)) >= 4) {
						snprintf(y, sizeof y, "%s", json_string_value(v));
						json_object_set_new(years, y, json_true());
					}
				}
				json_object_foreach(years, yk, v)
					count_value(json_object_get(facets, "year"), yk);
				json_decref(years);
			}
			json_array_foreach(cs, k, v)
				if (json_string_value(v) && (!has_role(r, "officer", NULL) ||
							     json_object_get(r->allowed, json_string_value(v))))
					count_value(json_object_get(facets, "case"), json_string_value(v));
			json_array_append_new(kept, json_pack("{s:I, s:i, s:i, s:s}", "doc",
				(json_int_t)hits->hits[i].doc_id, "page", hits->hits[i].page,
				"score", hits->hits[i].score, "snippet",
				hits->hits[i].snippet ? hits->hits[i].snippet : ""));
		}
	}
	total = (long)json_array_size(kept);
	/* the audit row comes before any result leaves */
	audit_obj = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:i, s:I}", "q", q ? q : "", "type", fvals[0],
			      "lang", fvals[1], "year", fvals[2], "case", fvals[3], "start", (int)start,
			      "hits", (json_int_t)total);
	aud = json_dumps(audit_obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(audit_obj);
	if (searched && audit(r, "search", aud ? aud : "") != KT_OK) {
		free(aud);
		free(query.p);
		kt_index_hits_free(&hits);
		json_decref(docs);
		json_decref(kept);
		json_decref(facets);
		return error_page(r, 500, "cannot write the audit log");
	}
	free(aud);
	free(query.p);
	kt_index_hits_free(&hits);

	if (r->api) {
		json_t *out = json_array();

		for (i = (int)start; i < total && i < start + PER_PAGE; i++) {
			json_t *h = json_array_get(kept, (size_t)i), *doc;
			char key[32];

			snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(h, "doc")));
			doc = json_object_get(docs, key);
			json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:O?, s:O?, s:O, s:O}",
				"id", json_object_get(h, "doc"), "page", json_object_get(h, "page"),
				"score", json_object_get(h, "score"), "source", json_object_get(doc, "source"),
				"doc_type", json_object_get(json_object_get(doc, "metadata"), "doc_type"),
				"cases", json_object_get(doc, "cases"), "snippet", json_object_get(h, "snippet")));
		}
		json_decref(docs);
		json_decref(kept);
		return send_json(r, 200, json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)total,
						   "offset", (json_int_t)start, "hits", out, "facets", facets));
	}

	page_start(r, &b, "Search");
	buf_s(&b, "<h1>Search</h1><form method=\"get\" action=\"/search\" class=\"search\">"
		  "<input type=\"search\" name=\"q\" autofocus value=\"");
	buf_html(&b, q);
	buf_s(&b, "\">");
	for (i = 0; i < 4; i++)
		if (fvals[i]) {
			buf_f(&b, "<input type=\"hidden\" name=\"%s\" value=\"", fnames[i]);
			buf_html(&b, fvals[i]);
			buf_s(&b, "\">");
		}
	buf_s(&b, "<button type=\"submit\">Search</button></form>");
	if (searched) {
		const char *fk;
		json_t *fv;

		buf_s(&b, "<div class=\"results\"><aside class=\"facets\">");
		for (i = 0; i < 4; i++) {
			buf_s(&b, "<h3>");
			buf_s(&b, fnames[i]);
			buf_s(&b, "</h3><ul>");
			if (fvals[i]) {
				buf_s(&b, "<li><a href=\"");
				search_href(&b, q, fnames, fvals, 4, fnames[i], NULL, 0);
				buf_s(&b, "\">&#x2715; ");
				buf_html(&b, fvals[i]);
				buf_s(&b, "</a></li>");
			}
			json_object_foreach(json_object_get(facets, fnames[i]), fk, fv) {
				if (fvals[i] && !strcmp(fvals[i], fk))
					continue;
				buf_s(&b, "<li><a href=\"");
				search_href(&b, q, fnames, fvals, 4, fnames[i], fk, 0);
				buf_s(&b, "\">");
				buf_html(&b, fk);
				buf_f(&b, "</a> <span class=\"count\">%lld</span></li>",
				      (long long)json_integer_value(fv));
			}
			buf_s(&b, "</ul>");
		}
		buf_f(&b, "</aside><section><p class=\"total\">%ld hit%s</p><ol start=\"%ld\">", total,
		      total == 1 ? "" : "s", start + 1);
		for (i = (int)start; i < total && i < start + PER_PAGE; i++) {
			json_t *h = json_array_get(kept, (size_t)i), *doc;
			long long id = (long long)json_integer_value(json_object_get(h, "doc"));
			int pno = (int)json_integer_value(json_object_get(h, "page"));
			char key[32];

			snprintf(key, sizeof key, "%lld", id);
			doc = json_object_get(docs, key);
			buf_f(&b, "<li class=\"hit\"><a href=\"/doc/%lld?q=", id);
			buf_url(&b, q ? q : "");
			buf_f(&b, "#page-%d\">Document %lld, page %d</a> <span class=\"type\">", pno, id, pno);
			buf_html(&b, json_string_value(json_object_get(json_object_get(doc, "metadata"),
									 "doc_type")));
			buf_s(&b, "</span> <span class=\"source\">");
			buf_html(&b, json_string_value(json_object_get(doc, "source")));
			buf_s(&b, "</span><p class=\"snippet\">");
			buf_snippet(&b, json_string_value(json_object_get(h, "snippet")));
			buf_s(&b, "</p></li>");
		}
		buf_s(&b, "</ol><p class=\"pager\">");
		if (start > 0) {
			buf_s(&b, "<a href=\"");
			search_href(&b, q, fnames, fvals, 4, NULL, NULL, start > PER_PAGE ? start - PER_PAGE : 0);
			buf_s(&b, "\">Previous</a> ");
		}
		if (start + PER_PAGE < total) {
			buf_s(&b, "<a href=\"");
			search_href(&b, q, fnames, fvals, 4, NULL, NULL, start + PER_PAGE);
			buf_s(&b, "\">Next</a>");
		}
		buf_s(&b, "</p></section></div>");
	}
	json_decref(docs);
	json_decref(kept);
	json_decref(facets);
	return page_end(r, &b, 200);
}

/* ---------------------------------------------------------- documents */

/* Words of a query worth highlighting: no operators, no field:value. */
static json_t *query_words(const char *q)
{
	json_t *words = json_array();
	char *copy, *tok, *save = NULL;

	if (q == NULL || (copy = strdup(q)) == NULL)
		return words;
	for (tok = strtok_r(copy, " \t\"()+", &save); tok; tok = strtok_r(NULL, " \t\"()+", &save)) {
		if (!strcmp(tok, "AND") || !strcmp(tok, "OR") || !strcmp(tok, "NOT") || tok[0] == '-' ||
		    strchr(tok, ':') || strlen(tok) < 2)
			continue;
		json_array_append_new(words, json_string(tok));
	}
	free(copy);
	return words;
}

/* Text escaped, with each occurrence of a word (ASCII letters case-blind) marked. */
static void buf_highlight(buf *b, const char *text, json_t *words)
{
	const char *s = text;

	while (s && *s) {
		size_t best = 0, k;
		json_t *w;

		json_array_foreach(words, k, w) {
			size_t n = strlen(json_string_value(w));

			if (n > best && strncasecmp(s, json_string_value(w), n) == 0)
				best = n;
		}
		if (best > 0) {
			buf_s(b, "<mark>");
			buf_htmln(b, s, best);
			buf_s(b, "</mark>");
			s += best;
		} else {
			buf_htmln(b, s, 1);
			s++;
		}
	}
}

/* Parse "/doc/ID" and "/doc/ID/page/N.png" (after the prefix). */
static int load_doc(req *r, const char *idstr, json_t **doc, long long *id)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	char obj[96];

	*doc = NULL;
	if (kt_catalog_doc_resolve(c, idstr, id) != KT_OK ||
	    (*doc = kt_catalog_doc_json(c, *id)) == NULL) {
		error_page(r, 404, "no such document");
		return 0;
	}
	if (!may_read_doc(r, *doc)) {
		snprintf(obj, sizeof obj, "doc:%lld", *id);
		json_decref(*doc);
		*doc = NULL;
		/* the same answer as for a missing document: ids are not probed */
		audit(r, "denied", obj);
		error_page(r, 404, "no such document");
		return 0;
	}
	return 1;
}

static enum MHD_Result route_page_image(req *r, const char *idstr, int n)
{
	const char *size = arg(r, "size");
	int full = size && !strcmp(size, "full");
	json_t *doc, *pg;
	long long id;
	unsigned char *png = NULL;
	size_t len = 0;
	kt_error err = { 0 };
	char obj[96];
	enum MHD_Result ret;

	if (!has_role(r, "archivist", "officer"))
		return forbidden(r, "page-image");
	if (!load_doc(r, idstr, &doc, &id))
		return MHD_YES;
	pg = json_array_get(json_object_get(doc, "pages"), (size_t)n - 1);
	if (n < 1 || pg == NULL) {
		json_decref(doc);
		return error_page(r, 404, "no such page");
	}
	snprintf(obj, sizeof obj, "doc:%lld page:%d %s", id, n, full ? "full" : "thumb");
	if (audit(r, "page-image", obj) != KT_OK) {
		json_decref(doc);
		return error_page(r, 500, "cannot write the audit log");
	}
	if (kt_web_render_page(r->w->store, id, n, (int)json_integer_value(json_object_get(pg, "rotation")),
			       full ? FULL_WIDTH : THUMB_WIDTH, &png, &len, &err) != KT_OK) {
		json_decref(doc);
		return error_page(r, 500, err.msg);
	}
	json_decref(doc);
	ret = send_resp(r, 200, "image/png", png, len, NULL, NULL, NULL);
	free(png);
	return ret;
}

static enum MHD_Result route_doc(req *r, const char *idstr)
{
	const char *q = arg(r, "q");
	json_t *doc, *meta, *v, *pg, *words;
	long long id;
	char obj[64];
	buf b = { 0 };
	size_t k;

	if (!has_role(r, "archivist", "officer"))
		return forbidden(r, "doc");
	if (!load_doc(r, idstr, &doc, &id))
		return MHD_YES;
	snprintf(obj, sizeof obj, "doc:%lld", id);
	if (audit(r, "doc", obj) != KT_OK) {
		json_decref(doc);
		return error_page(r, 500, "cannot write the audit log");
	}
	if (r->api)
		return send_json(r, 200, doc);
	meta = json_object_get(doc, "metadata");
	page_start(r, &b, "Document");
	buf_f(&b, "<h1>Document %lld</h1><dl class=\"meta\"><dt>Source</dt><dd>", id);
	buf_html(&b, json_string_value(json_object_get(doc, "source")));
	buf_s(&b, "</dd><dt>Type</dt><dd>");
	buf_html(&b, json_string_value(json_object_get(meta, "doc_type")));
	buf_s(&b, "</dd><dt>Status</dt><dd>");
	buf_html(&b, json_string_value(json_object_get(doc, "status")));
	if (json_string_value(json_object_get(doc, "error"))) {
		buf_s(&b, "</dd><dt>Error</dt><dd class=\"error\">");
		buf_html(&b, json_string_value(json_object_get(doc, "error")));
	}
	buf_s(&b, "</dd><dt>Batch</dt><dd>");
	buf_html(&b, json_string_value(json_object_get(doc, "batch")));
	buf_s(&b, "</dd><dt>Dates</dt><dd>");
	json_array_foreach(json_object_get(meta, "dates"), k, v) {
		buf_html(&b, json_string_value(v));
		buf_s(&b, " ");
	}
	buf_s(&b, "</dd><dt>Names</dt><dd>");
	json_array_foreach(json_object_get(meta, "names"), k, v) {
		buf_html(&b, json_string_value(json_object_get(v, "surname")));
		buf_s(&b, ", ");
		buf_html(&b, json_string_value(json_object_get(v, "given_names")));
		buf_s(&b, "; ");
	}
	buf_s(&b, "</dd><dt>Cases</dt><dd>");
	json_array_foreach(json_object_get(doc, "cases"), k, v) {
		if (!may_read_case(r, json_string_value(v) ? json_string_value(v) : "")) {
			buf_html(&b, json_string_value(v));
		} else {
			buf_s(&b, "<a href=\"/case/");
			buf_url(&b, json_string_value(v));
			buf_s(&b, "\">");
			buf_html(&b, json_string_value(v));
			buf_s(&b, "</a>");
		}
		buf_s(&b, " ");
	}
	buf_s(&b, "</dd><dt>SHA-256</dt><dd class=\"mono\">");
	buf_html(&b, json_string_value(json_object_get(doc, "sha256")));
	buf_s(&b, "</dd></dl>");
	words = query_words(q);
	json_array_foreach(json_object_get(doc, "pages"), k, pg) {
		int n = (int)json_integer_value(json_object_get(pg, "n"));

		buf_f(&b, "<section class=\"page\" id=\"page-%d\"><h2>Page %d</h2>", n, n);
		buf_f(&b, "<figure><a class=\"zoom\" href=\"/doc/%lld/page/%d.png?size=full\">"
			  "<img src=\"/doc/%lld/page/%d.png?size=thumb\" alt=\"page %d\" "
			  "data-full=\"/doc/%lld/page/%d.png?size=full\"></a><figcaption>", id, n, id, n,
		      n, id, n);
		buf_html(&b, json_string_value(json_object_get(pg, "lang")));
		buf_f(&b, ", confidence %d%%, turned %d&#176;%s</figcaption></figure><pre class=\"text\">",
		      (int)json_integer_value(json_object_get(pg, "confidence")),
		      (int)json_integer_value(json_object_get(pg, "rotation")),
		      json_is_true(json_object_get(pg, "blank")) ? ", blank" : "");
		buf_highlight(&b, json_string_value(json_object_get(pg, "text")), words);
		buf_s(&b, "</pre></section>");
	}
	json_decref(words);
	json_decref(doc);
	return page_end(r, &b, 200);
}

/* -------------------------------------------------------------- cases */

/* Why a document is linked to a case, by the catalog's rule (docs/architecture.md):
 * the case number, or the person's personal code, occurs in the document.
 * New reference: ["case number X", "personal code P"]. */
static json_t *link_evidence(json_t *cs, json_t *doc)
{
	static const struct { const char *case_key, *meta_key, *label; } rules[] = {
		{ "case_number", "case_numbers", "case number " },
		{ "personal_code", "personal_codes", "personal code " },
	};
	json_t *meta = json_object_get(doc, "metadata"), *out = json_array(), *v;
	size_t i, k;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const char *want = json_string_value(json_object_get(cs, rules[i].case_key));

		if (want == NULL || *want == '\0')
			continue;
		json_array_foreach(json_object_get(meta, rules[i].meta_key), k, v)
			if (json_string_value(v) && strcmp(json_string_value(v), want) == 0) {
				char line[300];

				snprintf(line, sizeof line, "%s%s", rules[i].label, want);
				json_array_append_new(out, json_string(line));
				break;
			}
	}
	return out;
}

static enum MHD_Result route_case(req *r, const char *number)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	json_t *cs, *docs, *v;
	size_t k;
	long long *ids = NULL;
	int n = 0, i;
	char obj[256];
	const char *key;
	buf b = { 0 };

	if (!has_role(r, "archivist", "officer"))
		return forbidden(r, "case");
	snprintf(obj, sizeof obj, "case:%s", number);
	if (!kt_utf8_valid(number, strlen(number)) || !may_read_case(r, number) ||
	    (cs = kt_catalog_case_json(c, number)) == NULL) {
		if (has_role(r, "officer", NULL) && !may_read_case(r, number))
			audit(r, "denied", obj);
		return error_page(r, 404, "no such case");
	}
	if (audit(r, "case", obj) != KT_OK) {
		json_decref(cs);
		return error_page(r, 500, "cannot write the audit log");
	}
	docs = json_array();
	if (kt_catalog_case_doc_ids(c, number, &ids, &n) == KT_OK)
		for (i = 0; i < n; i++) {
			json_t *d = kt_catalog_doc_json(c, ids[i]);

			if (d) {
				json_object_del(d, "pages");
				json_object_set_new(d, "link_evidence", link_evidence(cs, d));
				json_array_append_new(docs, d);
			}
		}
	free(ids);
	if (r->api) {
		json_object_set_new(cs, "documents", docs);
		return send_json(r, 200, cs);
	}
	page_start(r, &b, "Case");
	buf_s(&b, "<h1>Case ");
	buf_html(&b, number);
	buf_s(&b, "</h1><dl class=\"meta\">");
	json_object_foreach(cs, key, v) {
		if (json_is_object(v) || json_is_array(v))
			continue;
		buf_s(&b, "<dt>");
		buf_html(&b, key);
		buf_s(&b, "</dt><dd>");
		buf_html(&b, json_string_value(v));
		buf_s(&b, "</dd>");
	}
	json_object_foreach(json_object_get(cs, "extra"), key, v) {
		buf_s(&b, "<dt>");
		buf_html(&b, key);
		buf_s(&b, "</dt><dd>");
		buf_html(&b, json_string_value(v));
		buf_s(&b, "</dd>");
	}
	buf_f(&b, "</dl><h2>Documents (%zu)</h2><table><thead><tr><th>#</th><th>Document</th>"
		  "<th>Type</th><th>First date</th><th>Linked by</th><th>Source</th></tr></thead><tbody>",
	      json_array_size(docs));
	for (i = 0; i < (int)json_array_size(docs); i++) {
		json_t *d = json_array_get(docs, (size_t)i), *meta = json_object_get(d, "metadata");
		long long id = (long long)json_integer_value(json_object_get(d, "id"));

		buf_f(&b, "<tr><td>%d</td><td><a href=\"/doc/%lld\">%lld</a></td><td>", i + 1, id, id);
		buf_html(&b, json_string_value(json_object_get(meta, "doc_type")));
		buf_s(&b, "</td><td>");
		buf_html(&b, json_string_value(json_array_get(json_object_get(meta, "dates"), 0)));
		buf_s(&b, "</td><td>");
		json_array_foreach(json_object_get(d, "link_evidence"), k, v) {
			buf_html(&b, json_string_value(v));
			buf_s(&b, "<br>");
		}
		buf_s(&b, "</td><td>");
		buf_html(&b, json_string_value(json_object_get(d, "source")));
		buf_s(&b, "</td></tr>");
	}
	buf_s(&b, "</tbody></table>");
	json_decref(docs);
	json_decref(cs);
	return page_end(r, &b, 200);
}

static enum MHD_Result route_cases(req *r)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	char **nums = NULL;
	int n = 0, i;
	json_t *out = json_array();
	buf b = { 0 };

	if (!has_role(r, "archivist", "officer")) {
		json_decref(out);
		return forbidden(r, "cases");
	}
	if (kt_catalog_case_numbers(c, &nums, &n) == KT_OK) {
		for (i = 0; i < n; i++)
			if (may_read_case(r, nums[i]))
				json_array_append_new(out, json_string(nums[i]));
		kt_catalog_strings_free(&nums, n);
	}
	audit(r, "cases", "");
	if (r->api)
		return send_json(r, 200, out);
	page_start(r, &b, "Cases");
	buf_s(&b, "<h1>Cases</h1><ul class=\"cases\">");
	for (i = 0; i < (int)json_array_size(out); i++) {
		const char *num = json_string_value(json_array_get(out, (size_t)i));

		buf_s(&b, "<li><a href=\"/case/");
		buf_url(&b, num);
		buf_s(&b, "\">");
		buf_html(&b, num);
		buf_s(&b, "</a></li>");
	}
	buf_s(&b, "</ul>");
	json_decref(out);
	return page_end(r, &b, 200);
}

/* ---------------------------------------------- batches, audit, users */

static enum MHD_Result route_batches(req *r)
{
	json_t *all, *bt, *f;
	size_t i, k;
	buf b = { 0 };

	if (!has_role(r, "operator", "admin"))
		return forbidden(r, "batches");
	if ((all = kt_catalog_batches_json(kt_store_catalog(r->w->store))) == NULL)
		return error_page(r, 500, "cannot read the batches");
	audit(r, "batches", "");
	if (r->api)
		return send_json(r, 200, all);
	page_start(r, &b, "Batches");
	buf_s(&b, "<h1>Batches</h1><table><thead><tr><th>Batch</th><th>Started</th><th>Ended</th>"
		  "<th>Files</th><th>Done</th><th>Skipped</th><th>Failed</th></tr></thead><tbody>");
	json_array_foreach(all, i, bt) {
		buf_s(&b, "<tr><td>");
		buf_html(&b, json_string_value(json_object_get(bt, "name")));
		buf_s(&b, "</td><td>");
		buf_html(&b, json_string_value(json_object_get(bt, "started")));
		buf_s(&b, "</td><td>");
		buf_html(&b, json_is_string(json_object_get(bt, "ended")) ?
			 json_string_value(json_object_get(bt, "ended")) : "running");
		buf_f(&b, "</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>",
		      (long long)json_integer_value(json_object_get(bt, "files")),
		      (long long)json_integer_value(json_object_get(bt, "done")),
		      (long long)json_integer_value(json_object_get(bt, "skipped")),
		      (long long)json_integer_value(json_object_get(bt, "failed")));
		json_array_foreach(json_object_get(bt, "failures"), k, f) {
			buf_s(&b, "<tr class=\"failure\"><td colspan=\"2\">");
			buf_html(&b, json_string_value(json_object_get(f, "source")));
			buf_s(&b, "</td><td colspan=\"5\">");
			buf_html(&b, json_string_value(json_object_get(f, "reason")));
			buf_s(&b, "</td></tr>");
		}
	}
	buf_s(&b, "</tbody></table>");
	json_decref(all);
	return page_end(r, &b, 200);
}

static enum MHD_Result route_audit(req *r)
{
	const char *user = arg(r, "user"), *since = arg(r, "since");
	json_t *rows, *row;
	size_t i;
	buf b = { 0 };

	if (!has_role(r, "admin", NULL))
		return forbidden(r, "audit");
	if (user && !*user)
		user = NULL;
	if (since && !*since)
		since = NULL;
	if ((rows = kt_access_audit_json(r->w->acc, user, since, 1000)) == NULL)
		return error_page(r, 500, kt_access_errmsg(r->w->acc));
	audit(r, "audit", user ? user : "");
	if (r->api)
		return send_json(r, 200, rows);
	page_start(r, &b, "Audit log");
	buf_s(&b, "<h1>Audit log</h1><form method=\"get\" action=\"/audit\" class=\"search\">"
		  "<label>User <input name=\"user\" value=\"");
	buf_html(&b, user);
	buf_s(&b, "\"></label> <label>Since <input name=\"since\" placeholder=\"YYYY-MM-DD\" value=\"");
	buf_html(&b, since);
	buf_s(&b, "\"></label> <button type=\"submit\">Filter</button></form>"
		  "<p>The last 1000 rows, newest last.</p><table><thead><tr><th>Time (UTC)</th><th>User</th>"
		  "<th>Role</th><th>Action</th><th>Object</th><th>From</th></tr></thead><tbody>");
	json_array_foreach(rows, i, row) {
		static const char *cols[] = { "at", "user", "role", "action", "object", "remote" };
		int c;

		buf_s(&b, "<tr>");
		for (c = 0; c < 6; c++) {
			buf_s(&b, "<td>");
			buf_html(&b, json_string_value(json_object_get(row, cols[c])));
			buf_s(&b, "</td>");
		}
		buf_s(&b, "</tr>");
	}
	buf_s(&b, "</tbody></table>");
	json_decref(rows);
	return page_end(r, &b, 200);
}

static enum MHD_Result route_users(req *r)
{
	json_t *users, *u, *v;
	size_t i, k;
	buf b = { 0 };

	if (!has_role(r, "admin", NULL))
		return forbidden(r, "users");
	if ((users = kt_access_users_json(r->w->acc)) == NULL)
		return error_page(r, 500, kt_access_errmsg(r->w->acc));
	if (r->api)
		return send_json(r, 200, users);
	page_start(r, &b, "Users");
	buf_s(&b, "<h1>Users</h1><p>Users are added, changed and disabled on the command line: "
		  "<code>kartoteka user</code>.</p><table><thead><tr><th>Name</th><th>Role</th>"
		  "<th>Enabled</th><th>Created</th><th>Assigned cases</th></tr></thead><tbody>");
	json_array_foreach(users, i, u) {
		buf_s(&b, "<tr><td>");
		buf_html(&b, json_string_value(json_object_get(u, "name")));
		buf_s(&b, "</td><td>");
		buf_html(&b, json_string_value(json_object_get(u, "role")));
		buf_s(&b, json_is_true(json_object_get(u, "disabled")) ? "</td><td>no</td><td>" :
									  "</td><td>yes</td><td>");
		buf_html(&b, json_string_value(json_object_get(u, "created")));
		buf_s(&b, "</td><td>");
		json_array_foreach(json_object_get(u, "cases"), k, v) {
			buf_html(&b, json_string_value(v));
			buf_s(&b, " ");
		}
		buf_s(&b, "</td></tr>");
	}
	buf_s(&b, "</tbody></table>");
	json_decref(users);
	return page_end(r, &b, 200);
}

/* ------------------------------------------------------------ static */

static const char app_js[] =
	"/* kartoteka: the page image beside its text; click a page to see it full size. */\n"
	"document.addEventListener('click', function (e) {\n"
	"  var a = e.target.closest ? e.target.closest('a.zoom') : null;\n"
	"  if (!a) return;\n"
	"  var img = a.querySelector('img');\n"
	"  if (!img || !img.dataset.full) return;\n"
	"  e.preventDefault();\n"
	"  var big = a.classList.toggle('big');\n"
	"  if (big && img.src.indexOf('size=full') < 0) img.src = img.dataset.full;\n"
	"});\n";

static const char style_css[] =
	"body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}"
	"header{display:flex;justify-content:space-between;align-items:center;padding:.5em 1em;"
	"background:#243b55;color:#fff}header a{color:#fff;margin-left:1em}"
	"header form{margin:0}.who{margin-right:.5em}main{padding:1em 2em}"
	"mark{background:#ffe066}.error{color:#a00}pre.text{white-space:pre-wrap;flex:1;"
	"background:#fff;border:1px solid #ddd;padding:.5em;margin:0}"
	".page{display:flex;gap:1em;align-items:flex-start;flex-wrap:wrap}.page h2{width:100%}"
	"figure{margin:0}figure img{border:1px solid #ccc;max-width:240px}"
	"a.zoom.big img{max-width:100%}a.zoom.big{flex-basis:100%}"
	".results{display:flex;gap:2em}.facets{min-width:12em}.facets ul{list-style:none;padding:0}"
	".count{color:#666}.hit{margin-bottom:1em}.source,.type{color:#555}"
	"table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25em .5em;"
	"text-align:left}tr.failure td{color:#a00}dl.meta{display:grid;grid-template-columns:"
	"max-content auto;gap:.2em 1em}dl.meta dd{margin:0}.mono{font-family:monospace}"
	"form.login{display:flex;flex-direction:column;max-width:20em;gap:.5em}"
	"form.login label{display:flex;flex-direction:column}";

/* ------------------------------------------------------------ routing */

static void remote_of(req *r)
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

/* "/doc/ID/page/N.png": 1 with idstr and n set. */
static int parse_page_url(const char *rest, char *idstr, size_t idsz, int *n)
{
	const char *slash = strchr(rest, '/');
	char tail[32];
	int consumed = 0;

	if (slash == NULL || (size_t)(slash - rest) >= idsz || slash == rest)
		return 0;
	memcpy(idstr, rest, (size_t)(slash - rest));
	idstr[slash - rest] = '\0';
	if (sscanf(slash, "/page/%d%n", n, &consumed) != 1 || consumed <= 6)
		return 0;
	snprintf(tail, sizeof tail, "%s", slash + consumed);
	return strcmp(tail, ".png") == 0;
}

static enum MHD_Result dispatch(req *r)
{
	const char *u = r->url;
	int get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
	int post = !strcmp(r->method, "POST");
	const char *token;
	char idstr[80];
	int n;

	r->api = !strncmp(u, "/api/", 5);
	if (get && !strcmp(u, "/static/app.js"))
		return send_resp(r, 200, "text/javascript; charset=utf-8", app_js, sizeof app_js - 1,
				 NULL, NULL, NULL);
	if (get && !strcmp(u, "/static/style.css"))
		return send_resp(r, 200, "text/css; charset=utf-8", style_css, sizeof style_css - 1,
				 NULL, NULL, NULL);
	if (get && !strcmp(u, "/favicon.ico"))
		return send_resp(r, 404, "text/plain; charset=utf-8", "", 0, NULL, NULL, NULL);
	if (get && !strcmp(u, "/login"))
		return login_page(r, 200, NULL);
	if (post && !strcmp(u, "/login"))
		return do_login(r);
	if (!get && !post)
		return error_page(r, 405, "method not allowed");

	token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "kt_session");
	if (kt_access_session(r->w->acc, token, &r->user) != KT_OK) {
		if (r->api)
			return send_json(r, 401, json_pack("{s:s}", "error", "login required"));
		return redirect(r, "/login", NULL, NULL);
	}
	r->authed = 1;
	if (post && !strcmp(u, "/logout"))
		return do_logout(r);
	if (post)
		return error_page(r, 405, "method not allowed");
	if (!strcmp(r->user.role, "officer"))
		r->allowed = officer_cases(r->w, r->user.name);
	if (r->api)
		u += 4; /* "/api/x" routes as "/x" */

	if (!strcmp(u, "/") && !r->api)
		return redirect(r, has_role(r, "operator", NULL) ? "/batches" :
				   has_role(r, "admin", NULL) ? "/audit" : "/search", NULL, NULL);
	if (!strcmp(u, "/me") && r->api)
		return send_json(r, 200, json_pack("{s:s, s:s}", "name", r->user.name, "role", r->user.role));
	if (!strcmp(u, "/search"))
		return route_search(r);
	if (!strcmp(u, "/cases"))
		return route_cases(r);
	if (!strcmp(u, "/batches"))
		return route_batches(r);
	if (!strcmp(u, "/audit"))
		return route_audit(r);
	if (!strcmp(u, "/users"))
		return route_users(r);
	if (!strncmp(u, "/case/", 6) && u[6])
		return route_case(r, u + 6);
	if (!strncmp(u, "/doc/", 5) && parse_page_url(u + 5, idstr, sizeof idstr, &n))
		return route_page_image(r, idstr, n);
	if (!strncmp(u, "/doc/", 5) && u[5] && !strchr(u + 5, '/'))
		return route_doc(r, u + 5);
	return error_page(r, 404, "no such page");
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	conn_ctx *cc = *con_cls;
	req r = { 0 };
	enum MHD_Result ret;

	(void)version;
	if (cc == NULL) {
		if ((cc = calloc(1, sizeof *cc)) == NULL)
			return MHD_NO;
		*con_cls = cc;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (cc->body.n + *upload_data_size > BODY_MAX)
			cc->too_large = 1;
		else
			buf_add(&cc->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	r.w = cls;
	r.conn = conn;
	r.method = method;
	r.url = url;
	r.body = cc->body.p ? cc->body.p : "";
	remote_of(&r);
	if (cc->too_large || cc->body.oom)
		ret = error_page(&r, 413, "request too large");
	else
		ret = dispatch(&r);
	json_decref(r.allowed);
	sodium_memzero(&r.user, sizeof r.user);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	conn_ctx *cc = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (cc) {
		if (cc->body.p)
			sodium_memzero(cc->body.p, cc->body.n);
		free(cc->body.p);
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
