/*
 * route_lifecycle.c - the admin pages of the data lifecycle (issue 21,
 * docs/lifecycle.md; docs/web.md): the web's twins of `kartoteka erase` and
 * `kartoteka hold`, with the same rules, because they call the same
 * functions (kt_web.h: kt_web_erase_request, kt_web_erase_decide,
 * kt_web_target; kt_access.h: the holds).
 *
 *   GET  /erase                    every erase request (archivist, admin)
 *   POST /erase                    file a request: target, reason (archivist,
 *                                  admin)
 *   POST /erase/{id}/approve       carry it out (admin, never the requester)
 *   POST /erase/{id}/refuse        turn it down (admin)
 *   GET  /holds                    active and removed legal holds (archivist,
 *                                  admin)
 *   POST /holds                    place a hold: target, reason (archivist,
 *                                  admin, as `hold add`)
 *   POST /holds/{id}/remove        remove it: reason (admin, as `hold remove`)
 *
 * Who acts is the logged-in user; the route table holds the roles and the
 * session's CSRF token of every POST. The lists are audited before they are
 * sent ("erase-requests", "holds"); the steps as on the command line, with
 * the client's address for "cli". A POST answers 303 back to its page, or
 * JSON under /api/; a refusal its reason with the status of enum
 * kt_web_refusal (kt_web.h).
 */
#include "web_private.h"

#include "kt_catalog.h"
#include "kt_text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One erasure at a time in this server: kt_erase takes the index for
 * writing, and a second writer would fail half-way. */
static pthread_mutex_t erasing = PTHREAD_MUTEX_INITIALIZER;

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* Form field name: text (UTF-8, no NUL) that is not empty; NULL otherwise.
 * Caller frees. */
static char *field(const web_req *r, const char *name)
{
	size_t len = 0;
	char *v = web_form_value(r->body, name, &len);

	if (v != NULL && (len == 0 || len != strlen(v) || !kt_utf8_valid(v, len))) {
		free(v);
		v = NULL;
	}
	return v;
}

/* The status of a refusal (enum kt_web_refusal). */
static unsigned refusal_status(int refusal)
{
	switch (refusal) {
	case KT_WEB_UNKNOWN: return 404;
	case KT_WEB_BAD: return 400;
	case KT_WEB_OWN: return 403;
	case KT_WEB_STATE:
	case KT_WEB_HELD:
	case KT_WEB_FAILED: return 409;
	case KT_WEB_AUDIT: return 503;
	default: return 500;
	}
}

/* A refusal answered: its status and why. An audit row that could not be
 * written makes it a 503, whatever comes after (web_send). */
static int refused(web_req *r, int refusal, const char *why)
{
	if (refusal == KT_WEB_AUDIT)
		r->audit_failed = 1;
	return web_error(r, refusal_status(refusal), why);
}

/* Who acts: the session's user, from the client's address. */
static kt_web_actor actor(const web_req *r)
{
	kt_web_actor who = { .user = r->user.name, .role = r->user.role, .remote = r->remote };

	return who;
}

/* The hidden CSRF field of a form. */
static void csrf_field(web_req *r, web_html *h)
{
	html_puts(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(h, r->user.csrf);
	html_puts(h, "\">");
}

/* A form that posts to action with a target (document or case) and a
 * reason, under the button label. */
static void target_form(web_req *r, web_html *h, const char *action, const char *label)
{
	html_printf(h, "<form class=\"add\" method=\"post\" action=\"%s\">", action);
	csrf_field(r, h);
	html_puts(h, "<label>Document or case <input name=\"target\" required "
		     "placeholder=\"doc:ID or case:NUMBER\"></label> <label>Reason <input "
		     "name=\"reason\" required></label> ");
	html_printf(h, "<button type=\"submit\">%s</button></form>", label);
}

/* A table cell: text escaped, "-" when null. */
static void cell(web_html *h, const char *text)
{
	html_puts(h, "<td>");
	html_text(h, text ? text : "-");
	html_puts(h, "</td>");
}

/* A table cell: who, then when (each "-" when null). */
static void cell_who(web_html *h, json_t *o, const char *by, const char *at)
{
	html_puts(h, "<td>");
	html_text(h, str(o, by) ? str(o, by) : "-");
	if (str(o, at) != NULL) {
		html_puts(h, "<br><span class=\"count\">");
		html_text(h, str(o, at));
		html_puts(h, "</span>");
	}
	html_puts(h, "</td>");
}

/* A table cell: the document ids of array key. */
static void cell_ids(web_html *h, json_t *o, const char *key)
{
	json_t *v;
	size_t i;

	html_puts(h, "<td>");
	json_array_foreach(json_object_get(o, key), i, v)
		html_printf(h, "%s%lld", i ? ", " : "", (long long)json_integer_value(v));
	html_puts(h, "</td>");
}

/* ------------------------------------------------------------- erasure */

/* The decision cell of request q: an admin's forms, or who it waits for. */
static void decide_cell(web_req *r, web_html *h, json_t *q)
{
	long long id = num(q, "id");

	html_puts(h, "<td>");
	if (str(q, "state") == NULL || strcmp(str(q, "state"), "requested") != 0) {
		html_puts(h, "</td>");
		return;
	}
	if (!web_has_role(r, "admin", NULL))
		html_puts(h, "awaiting an admin");
	else if (str(q, "requested_by") && !strcmp(str(q, "requested_by"), r->user.name))
		html_puts(h, "awaiting another admin");
	else {
		html_printf(h, "<form class=\"decide\" method=\"post\" action=\"/erase/%lld/approve\">",
			    id);
		csrf_field(r, h);
		html_puts(h, "<button type=\"submit\">Approve and erase</button></form>");
		html_printf(h, "<form class=\"decide\" method=\"post\" action=\"/erase/%lld/refuse\">",
			    id);
		csrf_field(r, h);
		html_puts(h, "<button type=\"submit\">Refuse</button></form>");
	}
	html_puts(h, "</td>");
}

int route_erase(web_req *r, const web_params *p)
{
	web_html h = WEB_HTML_INIT;
	json_t *rows, *q;
	size_t i;

	(void)p;
	if ((rows = kt_access_erase_list_json(r->w->acc)) == NULL)
		return web_error(r, 500, kt_access_errmsg(r->w->acc));
	if (web_audit(r, "erase-requests", "") != KT_OK) {
		json_decref(rows);
		return web_error(r, 503, "cannot write the audit log");
	}
	if (r->api)
		return web_send_json(r, 200, rows);
	web_page_start(r, &h, "Erasure requests");
	html_puts(&h, "<h1>Erasure requests</h1><p>Erasure removes a document from the archive, the "
		      "catalog and the index for good, and takes two people: an archivist or an admin "
		      "requests it, another admin approves it, and only then is it carried out. "
		      "Nobody approves their own request. What a legal hold names cannot be erased "
		      "(<a href=\"/holds\">Legal holds</a>).</p>");
	target_form(r, &h, "/erase", "Request erasure");
	html_printf(&h, "<table class=\"erase\"><thead><tr><th>Request</th><th>State</th>"
		    "<th>Target</th><th>Erase</th><th>Keep</th><th>Reason</th><th>Requested</th>"
		    "<th>Decided</th><th>Result</th><th>Decide</th></tr></thead><tbody>");
	json_array_foreach(rows, i, q) {
		html_printf(&h, "<tr><td>%lld</td>", num(q, "id"));
		cell(&h, str(q, "state"));
		cell(&h, str(q, "target"));
		cell_ids(&h, q, "docs");
		cell_ids(&h, q, "kept");
		cell(&h, str(q, "reason"));
		cell_who(&h, q, "requested_by", "requested_at");
		cell_who(&h, q, "decided_by", "decided_at");
		cell(&h, str(q, "result"));
		decide_cell(r, &h, q);
		html_puts(&h, "</tr>");
	}
	html_printf(&h, "</tbody></table><p class=\"count\">%zu erase request%s</p>",
		    json_array_size(rows), json_array_size(rows) == 1 ? "" : "s");
	json_decref(rows);
	return web_page_end(r, &h, 200);
}

int route_erase_request(web_req *r, const web_params *p)
{
	char *target = field(r, "target"), *reason = field(r, "reason");
	char why[KT_ERRMSG_MAX + 600];
	kt_web_actor who = actor(r);
	json_t *req = NULL;
	int rc, refusal = KT_WEB_DONE, ret;

	(void)p;
	if (target == NULL || reason == NULL) {
		ret = web_error(r, 400, "give the document or case (target: an id, a SHA-256 prefix, "
				"doc:ID or case:NUMBER) and the reason");
		goto out;
	}
	rc = kt_web_erase_request(kt_store_catalog(r->w->store), r->w->acc, target, reason, &who,
				  &req, why, sizeof why, &refusal);
	if (rc != KT_OK)
		ret = refused(r, refusal, why);
	else if (r->api)
		ret = web_send_json(r, 200, json_incref(req));
	else
		ret = web_redirect(r, "/erase", NULL, NULL);
out:
	json_decref(req);
	free(target);
	free(reason);
	return ret;
}

/* What a decision said, for the answer. */
typedef struct notes {
	json_t *log;       /* [{"kind": "done"|"problem", "msg"}] */
	char first[KT_ERRMSG_MAX + 300];   /* the first problem */
} notes;

static void take_note(void *ctx, int kind, const char *msg)
{
	notes *n = ctx;

	json_array_append_new(n->log, json_pack("{s:s, s:s}", "kind", kind == KT_WEB_NOTE_DONE ?
						"done" : "problem", "msg", msg));
	if (kind != KT_WEB_NOTE_DONE && n->first[0] == '\0')
		snprintf(n->first, sizeof n->first, "%s", msg);
}

int route_erase_decide(web_req *r, const web_params *p)
{
	int approve = !strcmp(p->str[1], "approve"), rc, refusal = KT_WEB_DONE;
	long long id = p->num[0];
	kt_web_actor who = actor(r);
	notes n = { .log = json_array(), .first = "" };
	json_t *req = NULL;
	int ret;

	if (!approve && strcmp(p->str[1], "refuse") != 0) {
		json_decref(n.log);
		return web_error(r, 404, "no such decision: approve or refuse");
	}
	if (id <= 0) {
		json_decref(n.log);
		return web_error(r, 404, "no such erase request");
	}
	pthread_mutex_lock(&erasing);
	rc = kt_web_erase_decide(kt_store_dir(r->w->store), r->w->acc, id, approve, &who, take_note,
				 &n, &refusal);
	pthread_mutex_unlock(&erasing);
	/* what was erased: the other threads' handles see it gone (http.c) */
	r->store_changed = approve;
	if (rc != KT_OK && !r->api) {
		ret = refused(r, refusal, n.first[0] ? n.first : "the decision failed");
	} else if (rc != KT_OK) {
		if (refusal == KT_WEB_AUDIT)
			r->audit_failed = 1;
		ret = web_send_json(r, refusal_status(refusal),
				    json_pack("{s:s, s:O}", "error", n.first[0] ? n.first
					      : "the decision failed", "log", n.log));
	} else if (r->api) {
		kt_access_erase_get(r->w->acc, id, &req);
		ret = web_send_json(r, 200, json_pack("{s:o?, s:O}", "request", req, "log", n.log));
	} else {
		ret = web_redirect(r, "/erase", NULL, NULL);
	}
	json_decref(n.log);
	return ret;
}

/* --------------------------------------------------------------- holds */

/* One table of holds: the active ones (with an admin's removal form), or
 * the removed ones. */
static void holds_table(web_req *r, web_html *h, json_t *rows, int removed)
{
	size_t i, shown = 0;
	json_t *o;

	json_array_foreach(rows, i, o)
		shown += json_is_null(json_object_get(o, "removed_at")) == !removed;
	html_printf(h, "<h2>%s (%zu)</h2>", removed ? "Removed" : "Active", shown);
	if (shown == 0)
		return;
	html_printf(h, "<table class=\"holds\"><thead><tr><th>Hold</th><th>Target</th><th>Reason</th>"
		    "<th>Placed</th>%s</tr></thead><tbody>", removed ? "<th>Removed</th><th>Why</th>"
		    : web_has_role(r, "admin", NULL) ? "<th>Remove</th>" : "");
	json_array_foreach(rows, i, o) {
		if (json_is_null(json_object_get(o, "removed_at")) != !removed)
			continue;
		html_printf(h, "<tr><td>%lld</td>", num(o, "id"));
		cell(h, str(o, "target"));
		cell(h, str(o, "reason"));
		cell_who(h, o, "placed_by", "placed_at");
		if (removed) {
			cell_who(h, o, "removed_by", "removed_at");
			cell(h, str(o, "removed_reason"));
		} else if (web_has_role(r, "admin", NULL)) {
			html_printf(h, "<td><form class=\"decide\" method=\"post\" action=\"/holds/%lld/"
				    "remove\">", num(o, "id"));
			csrf_field(r, h);
			html_puts(h, "<input name=\"reason\" required aria-label=\"why it is removed\" "
				     "placeholder=\"why\"> <button type=\"submit\">Remove</button></form>"
				     "</td>");
		}
		html_puts(h, "</tr>");
	}
	html_puts(h, "</tbody></table>");
}

int route_holds(web_req *r, const web_params *p)
{
	web_html h = WEB_HTML_INIT;
	json_t *rows;

	(void)p;
	if ((rows = kt_access_holds_json(r->w->acc, 0)) == NULL)
		return web_error(r, 500, kt_access_errmsg(r->w->acc));
	if (web_audit(r, "holds", "") != KT_OK) {
		json_decref(rows);
		return web_error(r, 503, "cannot write the audit log");
	}
	if (r->api)
		return web_send_json(r, 200, rows);
	web_page_start(r, &h, "Legal holds");
	html_puts(&h, "<h1>Legal holds</h1><p>While a hold is active, nothing it names can be erased: "
		      "a document, or a case with every document linked to it. An archivist or an "
		      "admin places a hold; only an admin removes one, and a removed hold stays "
		      "listed.</p>");
	target_form(r, &h, "/holds", "Place a hold");
	holds_table(r, &h, rows, 0);
	holds_table(r, &h, rows, 1);
	json_decref(rows);
	return web_page_end(r, &h, 200);
}

/* The answer to a hold placed or removed: the hold as JSON, or back to
 * /holds. */
static int hold_done(web_req *r, long long id)
{
	json_t *hold = NULL;

	if (!r->api)
		return web_redirect(r, "/holds", NULL, NULL);
	if (kt_access_hold_get(r->w->acc, id, &hold) != KT_OK)
		return web_error(r, 500, kt_access_errmsg(r->w->acc));
	return web_send_json(r, 200, hold);
}

int route_hold_add(web_req *r, const web_params *p)
{
	char *arg = field(r, "target"), *reason = field(r, "reason");
	char why[KT_ERRMSG_MAX + 600], target[300], object[340];
	const char *number;
	long long doc, id = 0;
	int rc, refusal = KT_WEB_DONE, ret;

	(void)p;
	if (arg == NULL || reason == NULL) {
		ret = web_error(r, 400, "give the document or case (target: an id, a SHA-256 prefix, "
				"doc:ID or case:NUMBER) and the reason");
		goto out;
	}
	rc = kt_web_target(kt_store_catalog(r->w->store), arg, &doc, &number, why, sizeof why,
			   &refusal);
	if (rc != KT_OK) {
		ret = refused(r, refusal, why);
		goto out;
	}
	if (doc > 0)
		snprintf(target, sizeof target, "doc:%lld", doc);
	else if (snprintf(target, sizeof target, "case:%s", number) >= (int)sizeof target) {
		ret = web_error(r, 400, "the case number is too long");
		goto out;
	}
	if ((rc = kt_access_hold_add(r->w->acc, target, reason, r->user.name, &id)) != KT_OK) {
		ret = web_error(r, rc == KT_FAILED ? 400 : 500, kt_access_errmsg(r->w->acc));
		goto out;
	}
	/* a hold whose row cannot be written stays, as on the command line: it
	 * only stops erasure, and its own row names who placed it */
	snprintf(object, sizeof object, "hold:%lld %s", id, target);
	if (web_audit(r, "hold", object) != KT_OK)
		ret = web_error(r, 503, "the hold was placed, but the audit log cannot be written");
	else
		ret = hold_done(r, id);
out:
	free(arg);
	free(reason);
	return ret;
}

int route_hold_remove(web_req *r, const web_params *p)
{
	char *reason = field(r, "reason"), object[340], msg[KT_ERRMSG_MAX + 200];
	long long id = p->num[0];
	json_t *hold = NULL;
	int rc = KT_OK, ret;

	if (reason == NULL) {
		ret = web_error(r, 400, "give the reason the hold is removed");
		goto out;
	}
	if (id <= 0 || (rc = kt_access_hold_get(r->w->acc, id, &hold)) != KT_OK) {
		ret = id <= 0 || rc == KT_FAILED ? web_error(r, 404, "no such legal hold")
						  : web_error(r, 500, kt_access_errmsg(r->w->acc));
		goto out;
	}
	if (!json_is_null(json_object_get(hold, "removed_at"))) {
		snprintf(msg, sizeof msg, "legal hold %lld was removed already (%s, by %s)", id,
			 str(hold, "removed_at"), str(hold, "removed_by"));
		ret = web_error(r, 409, msg);
		goto out;
	}
	/* written before it is done: no removal without its row */
	snprintf(object, sizeof object, "hold:%lld %s", id, str(hold, "target"));
	if (web_audit(r, "hold-remove", object) != KT_OK)
		ret = web_error(r, 503, "cannot write the audit log");
	else if ((rc = kt_access_hold_remove(r->w->acc, id, r->user.name, reason)) != KT_OK)
		ret = web_error(r, rc == KT_FAILED ? 409 : 500, kt_access_errmsg(r->w->acc));
	else
		ret = hold_done(r, id);
out:
	json_decref(hold);
	free(reason);
	return ret;
}
