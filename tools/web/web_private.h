/*
 * web_private.h - what the files of the web server (tools/web/) share, and
 * nothing outside them: the server and request state, the route table's
 * types, and the helpers of
 *   http.c     the one file that calls libmicrohttpd: the daemon, the
 *              dispatcher, request values, responses
 *   routes.c   the route table the dispatcher walks
 *   html.c     the page frame, escaping, snippets and highlighting
 *   authz.c    roles, an officer's cases, the audit log
 *   assets.c   the stylesheet and the script
 *   route_*.c  the route handlers, one file per area
 * kt_web.h stays the public header.
 *
 * Ownership in one sentence: a request (web_req) and everything it points to
 * is borrowed by a handler for the call; strings a helper returns are
 * borrowed unless its comment says "caller frees".
 */
#ifndef KT_WEB_PRIVATE_H
#define KT_WEB_PRIVATE_H

#include "kt_access.h"
#include "kt_archive.h"
#include "kt_buf.h"
#include "kt_pipeline.h"
#include "kt_record.h"
#include "kt_web.h"

#include <jansson.h>
#include <stddef.h>

#define WEB_PER_PAGE 20       /* search hits a page */
#define WEB_THUMB_WIDTH 240   /* page images, pixels wide */
#define WEB_FULL_WIDTH 1600

/* ------------------------------------------------------------ state */

/* What a request works with: the store and the access database. kt_web_serve
 * opens one per thread that answers requests; a request borrows one for its
 * handler, so each is used by one thread at a time. */
typedef struct web {
	kt_store *store;
	kt_access *acc;
	/* the index folder the store's handles were opened on (its inode and
	 * birth time): an erasure compacts the index into a new folder, and a
	 * handle opened on the old one is opened again (http.c) */
	unsigned long long ix_ino, ix_born;
	const kt_web_opts *opts;
	const unsigned char *csrf_key;   /* the server's key of login tokens (WEB_CSRF_KEY bytes) */
} web;

#define WEB_CSRF_KEY 32          /* crypto_auth_KEYBYTES */
#define WEB_LOGIN_TOKEN_LEN 96   /* hex: a 16-byte nonce and its 32-byte MAC */

struct MHD_Connection;

/* One request, filled by http.c before a handler runs. */
typedef struct web_req {
	web *w;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	int api;                /* the URL starts with /api/: answers are JSON */
	char remote[64];        /* client address (X-Real-IP behind a proxy) */
	int authed;             /* a valid session: user is filled */
	kt_access_user user;
	const char *body;       /* the request body, NUL-terminated ("" when none) */
	json_t *allowed;        /* officer: object whose keys are the allowed case numbers */
	int audit_failed;       /* an audit row could not be written: web_send answers 503 */
	int store_changed;      /* the handler erased from the store: the other threads'
				 * store handles are opened again (http.c) */
} web_req;

/* ------------------------------------------------------- route table */

/* Methods of a route row. */
#define WEB_GET 1u   /* GET and HEAD */
#define WEB_POST 2u

/* Where a route row answers. */
#define WEB_HTML 1u  /* at its path, with HTML */
#define WEB_API 2u   /* at /api + its path, with JSON */

/* Roles, as bits of a route row's role set. */
#define WEB_OPERATOR 1u
#define WEB_ARCHIVIST 2u
#define WEB_OFFICER 4u
#define WEB_ADMIN 8u

/* The CSRF check of a POST route. */
enum web_csrf {
	WEB_CSRF_NONE = 0,
	WEB_CSRF_LOGIN,    /* form field csrf equals the kt_login_csrf cookie, a token
			    * this server made (web_login_token_valid) */
	WEB_CSRF_SESSION   /* form field csrf equals the session's token */
};

#define WEB_PARAMS_MAX 2

/* The parameters a route's path matched, in the order of the pattern. */
typedef struct web_params {
	int n;
	char *str[WEB_PARAMS_MAX];   /* each NUL-terminated; owned by the dispatcher */
	int num[WEB_PARAMS_MAX];     /* the value of an {x:int} parameter, else 0 */
} web_params;

/* A route handler: answers the request. Returns 1 when the request was
 * answered (or may be dropped quietly), 0 when the connection should close
 * (no response could be queued). */
typedef int web_handler(web_req *r, const web_params *p);

/*
 * One row of the route table (http.c). path is matched whole; in it
 *   {x}       one path segment: 1 or more bytes up to the next '/' or the
 *             character that follows the parameter in the pattern
 *   {x:<N}    the same, fewer than N bytes
 *   {x:int}   an integer as sscanf's %d reads it
 *   {x:rest}  the rest of the path: 1 or more bytes, '/' included; when
 *             the pattern ends in a literal after it ("/dossier.pdf"), the
 *             path up to that literal at its end
 * A row without `anyone` needs a session; roles (0: any role) is checked
 * next (a refusal is audited as denied with the object `denied`, its {i}
 * the path's parameter i), then the
 * CSRF token of a POST.
 */
typedef struct web_route {
	unsigned methods;       /* WEB_GET, WEB_POST */
	unsigned where;         /* WEB_HTML, WEB_API */
	const char *path;
	web_handler *run;
	int anyone;             /* answered without a session */
	unsigned roles;         /* WEB_OPERATOR ...; 0: any logged-in user */
	const char *denied;     /* audit object when the role may not: {0}, {1} are
				 * the path's parameters ("doc:{0}") */
	enum web_csrf csrf;
} web_route;

/* routes.c: the route table, web_n_routes rows, walked in order. */
extern const web_route web_routes[];
extern const size_t web_n_routes;

/* ------------------------------------------------- http.c: requests */

/* web_arg: the query-string argument name when present and valid UTF-8,
 * else NULL. Borrowed for the request. */
const char *web_arg(web_req *r, const char *name);
/* web_cookie: the request's cookie name, or NULL. Borrowed for the request. */
const char *web_cookie(web_req *r, const char *name);
/* form.c: */
/* web_form_value: the value of field name in an x-www-form-urlencoded body,
 * decoded and NUL-terminated; its length (a decoded %00 included) into *len
 * unless len is NULL. NULL when absent (or out of memory). Caller frees with
 * free(). */
char *web_form_value(const char *body, const char *name, size_t *len);
/* web_tokens_equal: 1 when a and b are the same non-empty token (compared in
 * constant time), else 0. */
int web_tokens_equal(const char *a, const char *b);

/* ------------------------------------------------ http.c: responses */

/* web_send: queue a response with the security headers of docs/web.md;
 * data is copied. location (a redirect) and the two Set-Cookie values may
 * be NULL. After a failed audit write (r->audit_failed) whatever the
 * handler answers becomes 503 and nothing of it is sent. Returns 1 when
 * queued, 0 when not. */
int web_send(web_req *r, unsigned status, const char *ctype, const void *data, size_t len,
	     const char *location, const char *cookie1, const char *cookie2);
/* web_send_file: queue a download (200): data (copied) as a file to save,
 * named name (UTF-8, as kt_archive_export_name makes it; Content-Disposition
 * attachment, so that a browser never shows it in the page). Returns as
 * web_send. */
int web_send_file(web_req *r, const char *ctype, const void *data, size_t len, const char *name);
/* web_send_json: queue v (compact, key order kept); takes the reference to
 * v. Returns as web_send. */
int web_send_json(web_req *r, unsigned status, json_t *v);
/* web_redirect: 303 See Other to `to`, with up to two cookies (or NULL). */
int web_redirect(web_req *r, const char *to, const char *cookie1, const char *cookie2);

/* ----------------------------------------------------- store_fresh.c */

/* web_store_mark: record which index folder w's store was opened on. */
void web_store_mark(web *w);
/* web_store_fresh: open w's store again (KT_STORE_READ) when its index
 * folder is no longer the one it was opened on (an erasure compacted the
 * index, here or by `kartoteka erase approve`). 1 when it was opened again,
 * else 0 (when it cannot be, the old one serves and the next call tries
 * again). The caller has w to itself. */
int web_store_fresh(web *w);

/* ------------------------------------------------------------ html.c */

/* An HTML answer being written: the core's buffer and a failure flag, set
 * once an append fails, so that a handler writes without checking each
 * append and web_page_end answers 500 instead of a page with a hole. */
typedef struct web_html {
	kt_buf b;
	int oom;
} web_html;

#define WEB_HTML_INIT { KT_BUF_INIT, 0 }

/* html_puts: append s as it is (markup written by us). */
void html_puts(web_html *h, const char *s);
/* html_printf: append printf-formatted markup; arguments are not escaped. */
void html_printf(web_html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* html_text: append s escaped for HTML text (& < > " '); NULL appends nothing. */
void html_text(web_html *h, const char *s);
/* html_textn: html_text of n bytes of s. */
void html_textn(web_html *h, const char *s, size_t n);
/* html_attr: append s escaped for a quoted attribute value (the same five
 * characters as html_text); NULL appends nothing. */
void html_attr(web_html *h, const char *s);
/* html_url: append s percent-encoded for a query value or a path segment
 * (the result is HTML-safe too); NULL appends nothing. */
void html_url(web_html *h, const char *s);
/* html_snippet: append a search snippet escaped, its « » marks turned into
 * <mark> elements. */
void html_snippet(web_html *h, const char *s);
/* html_query_words: the words of a query worth highlighting (no operators,
 * no field:value, 2 bytes or more). New reference (a JSON array). */
json_t *html_query_words(const char *q);
/* html_highlight: append text escaped, each occurrence of one of words (a
 * JSON array of strings) in a <mark>, case- and diacritic-blind as the index
 * matches (kt_fold: "lemums" marks "Lēmums"). */
void html_highlight(web_html *h, const char *text, json_t *words);

/* web_page_start: start a page: head (stylesheet, script), the navigation of
 * the user's role and the logout form; title is escaped. */
void web_page_start(web_req *r, web_html *h, const char *title);
/* web_page_end: close the page, send it with status (500 when an append
 * failed) and release h. Returns as web_send. */
int web_page_end(web_req *r, web_html *h, unsigned status);
/* web_error: an error answer: {"error":msg} for the API, else an HTML page. */
int web_error(web_req *r, unsigned status, const char *msg);

/* ----------------------------------------------------------- authz.c */

/* web_role_bit: the WEB_* bit of a role name, 0 for none. */
unsigned web_role_bit(const char *role);
/* web_has_role: 1 when the user's role is r1 or r2 (either may be NULL). */
int web_has_role(const web_req *r, const char *r1, const char *r2);
/* web_officer_cases: the cases an officer may read: assigned with `user
 * assign`, or naming the officer in the case record's "officer" column.
 * A JSON object whose keys are the case numbers; new reference. */
json_t *web_officer_cases(web *w, const char *name);
/* web_may_read_case: 1 when the user may read case number. */
int web_may_read_case(const web_req *r, const char *number);
/* web_may_read_doc: 1 when the user may read doc (borrowed):
 * archivists all, officers those linked to one of their cases. */
int web_may_read_doc(const web_req *r, const kt_doc *doc);
/* web_load_doc (route_doc.c): the document idstr (an id or a SHA-256 prefix)
 * into *doc (caller frees with kt_doc_free) and *id, when it exists and the
 * user may read it: 1, with the case links the user may not read taken out
 * (an officer sees only their own cases' numbers). Otherwise 0, and the
 * answer is sent: both a missing document and a refused one are audited (as
 * "missing" or "denied", with the object asked for) and get the same 404 (or
 * 503 when the audit row cannot be written). */
int web_load_doc(web_req *r, const char *idstr, kt_doc **doc, long long *id);
/* web_hide_cases: take out of doc the case links whose case the user may
 * not read (an officer's view of a document linked to other cases too). */
void web_hide_cases(const web_req *r, kt_doc *doc);
/* web_audit: append an audit row for the request's user and address.
 * KT_OK, or KT_FATAL when it cannot be written (then serve nothing: the
 * request is marked, and web_send answers 503 whatever comes next). */
int web_audit(web_req *r, const char *action, const char *object);
/* web_forbidden: audit "denied" object and answer 403. */
int web_forbidden(web_req *r, const char *object);

/* ---------------------------------------------------- route handlers */

/* assets.c: the script, the stylesheet, no favicon (404). */
int route_app_js(web_req *r, const web_params *p);
int route_style_css(web_req *r, const web_params *p);
int route_favicon(web_req *r, const web_params *p);
/* route_login.c: the login form and login, logout, "/" and /api/me. */
int route_login_form(web_req *r, const web_params *p);
/* web_login_token_valid: 1 when tok is a login form token this server made
 * (its nonce's MAC under w->csrf_key is right), else 0. */
int web_login_token_valid(const web *w, const char *tok);
int route_login(web_req *r, const web_params *p);
int route_logout(web_req *r, const web_params *p);
int route_root(web_req *r, const web_params *p);
int route_me(web_req *r, const web_params *p);
/* route_search.c: /search. */
int route_search(web_req *r, const web_params *p);
/* route_doc.c: /doc/{id}, /doc/{id}/page/{n}.png. */
int route_doc(web_req *r, const web_params *p);
int route_page_image(web_req *r, const web_params *p);
/* route_download.c: /doc/{id}/original, /doc/{id}/access.pdf,
 * /doc/{id}/text.txt. */
int route_download_original(web_req *r, const web_params *p);
int route_download_access(web_req *r, const web_params *p);
int route_download_text(web_req *r, const web_params *p);
/* web_plan_find (route_download.c): the first file of an export plan of
 * this kind whose payload path ends in ext (NULL: any), or -1. */
int web_plan_find(const kt_package_export_file *plan, int n, enum kt_package_file_kind kind,
		  const char *ext);
/* route_case.c: /case/{number}, /case/{number}/dossier.pdf and .zip, /cases. */
int route_case(web_req *r, const web_params *p);
int route_case_dossier_pdf(web_req *r, const web_params *p);
int route_case_dossier_zip(web_req *r, const web_params *p);
int route_cases(web_req *r, const web_params *p);
/* route_review.c: /review (the review queue) and the decisions
 * /review/{accept,reject,link,none,duplicate,distinct}. */
int route_review(web_req *r, const web_params *p);
int route_review_decide(web_req *r, const web_params *p);
/* route_lifecycle.c: /erase (erasure requests: list, request, approve or
 * refuse) and /holds (legal holds: list, place, remove). */
int route_erase(web_req *r, const web_params *p);
int route_erase_request(web_req *r, const web_params *p);
int route_erase_decide(web_req *r, const web_params *p);
int route_holds(web_req *r, const web_params *p);
int route_hold_add(web_req *r, const web_params *p);
int route_hold_remove(web_req *r, const web_params *p);
/* route_admin.c: /batches, /audit, /users. */
int route_batches(web_req *r, const web_params *p);
int route_audit(web_req *r, const web_params *p);
int route_users(web_req *r, const web_params *p);

#endif
