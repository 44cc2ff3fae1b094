/*
 * route_review.c - the review queue for archivists (docs/cases.md,
 * "Linking"; the web's twin of `kartoteka review`, tools/cmd_review.c):
 * GET /review lists kt_catalog_review_json (suggestions with case, rule,
 * confidence and evidence; documents linked to no case with their paper
 * file's hint; pages scanned again with their similarity), each with its
 * forms; POST /review/{accept,reject,link,none,duplicate,distinct} records a
 * decision with kt_catalog_link_decide or kt_catalog_dup_decide, by the
 * logged-in user, and sends the browser back to /review. /api/review is the
 * queue as `review --json` prints it; /api/review/... answer JSON.
 *
 * Every read of the queue is audited ("review", "queue": it names documents
 * and cases) and every decision before it is tried ("decide", e.g. "accept
 * doc:12 case:X"); the route table holds the role (archivist) and the
 * session's CSRF token of every POST.
 */
#include "web_private.h"

#include "kt_catalog.h"
#include "kt_pipeline.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decision: DUP_SAME and DUP_DISTINCT decide a flagged pair (the field
 * "other"), the others a link (the field "case", none for KT_LINK_NONE). */
enum { DUP_SAME = 100, DUP_DISTINCT };

static const struct decision {
	const char *name;
	int d;
} decisions[] = {
	{ "accept", KT_LINK_ACCEPT }, { "reject", KT_LINK_REJECT }, { "link", KT_LINK_MANUAL },
	{ "none", KT_LINK_NONE }, { "duplicate", DUP_SAME }, { "distinct", DUP_DISTINCT },
};

/* ---------------------------------------------------------------- forms */

/* A POST form to /review/action with hidden fields doc and (when not NULL)
 * key=value, a submit button labelled label. */
static void decision_form(web_req *r, web_html *h, const char *action, long long doc,
			  const char *key, const char *value, const char *label)
{
	html_printf(h, "<form class=\"decide\" method=\"post\" action=\"/review/%s\">"
		       "<input type=\"hidden\" name=\"csrf\" value=\"", action);
	html_attr(h, r->user.csrf);
	html_printf(h, "\"><input type=\"hidden\" name=\"doc\" value=\"%lld\">", doc);
	if (key != NULL) {
		html_printf(h, "<input type=\"hidden\" name=\"%s\" value=\"", key);
		html_attr(h, value);
		html_puts(h, "\">");
	}
	html_printf(h, "<button type=\"submit\">%s</button></form>", label);
}

/* The form linking a document by hand: a case number to type (the paper
 * file's case filled in when there is one). */
static void link_form(web_req *r, web_html *h, long long doc, const char *hint)
{
	html_puts(h, "<form class=\"decide\" method=\"post\" action=\"/review/link\">"
		     "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(h, r->user.csrf);
	html_printf(h, "\"><input type=\"hidden\" name=\"doc\" value=\"%lld\">"
		       "<input name=\"case\" aria-label=\"case number\" required value=\"", doc);
	html_attr(h, hint);
	html_puts(h, "\"><button type=\"submit\">Link</button></form>");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* The first cells of an entry: the document (a link to it), its file, type
 * and date. */
static void doc_cells(web_html *h, json_t *o)
{
	html_printf(h, "<tr><td><a href=\"/doc/%lld\">%lld</a></td><td>", num(o, "doc_id"),
		    num(o, "doc_id"));
	html_text(h, str(o, "source"));
	html_puts(h, "</td><td>");
	html_text(h, str(o, "doc_type"));
	html_puts(h, "</td><td>");
	html_text(h, str(o, "date"));
	html_puts(h, "</td>");
}

/* One table of the queue: the entries of one reason. */
static void queue_table(web_req *r, web_html *h, json_t *q, const char *reason)
{
	static const struct {
		const char *reason, *title, *head;
	} tables[] = {
		{ "suggestion", "Suggested links",
		  "<th>Case</th><th>Rule</th><th>Confidence</th><th>Evidence</th><th>Decide</th>" },
		{ "unlinked", "Linked to no case", "<th>Its paper file's case</th><th>Decide</th>" },
		{ "duplicate", "Pages scanned again",
		  "<th>Of document</th><th>Similarity</th><th>Evidence</th><th>Decide</th>" },
	};
	size_t i, t, shown = 0;
	json_t *o;

	for (t = 0; strcmp(tables[t].reason, reason) != 0; t++)
		;
	json_array_foreach(q, i, o)
		shown += str(o, "reason") && !strcmp(str(o, "reason"), reason);
	html_printf(h, "<h2>%s (%zu)</h2>", tables[t].title, shown);
	if (shown == 0)
		return;
	html_printf(h, "<table class=\"review\"><thead><tr><th>Document</th><th>File</th><th>Type</th>"
		       "<th>Date</th>%s</tr></thead><tbody>", tables[t].head);
	json_array_foreach(q, i, o) {
		long long id = num(o, "doc_id");
		char other[32];

		if (str(o, "reason") == NULL || strcmp(str(o, "reason"), reason) != 0)
			continue;
		doc_cells(h, o);
		if (t == 0) {
			html_puts(h, "<td><a href=\"/case/");
			html_url(h, str(o, "case_number"));
			html_puts(h, "\">");
			html_text(h, str(o, "case_number"));
			html_puts(h, "</a></td><td>");
			html_text(h, str(o, "rule"));
			html_printf(h, "</td><td>%.2f</td><td>", json_number_value(json_object_get(o, "confidence")));
			html_text(h, str(o, "evidence"));
			html_puts(h, "</td><td>");
			decision_form(r, h, "accept", id, "case", str(o, "case_number"), "Accept");
			decision_form(r, h, "reject", id, "case", str(o, "case_number"), "Reject");
		} else if (t == 1) {
			html_puts(h, "<td>");
			if (str(o, "paper_file_case") != NULL) {
				html_text(h, str(o, "paper_file_case"));
				html_puts(h, " (");
				html_text(h, str(o, "paper_file_evidence"));
				html_puts(h, ")");
			}
			html_puts(h, "</td><td>");
			link_form(r, h, id, str(o, "paper_file_case"));
			decision_form(r, h, "none", id, NULL, NULL, "Belongs to no case");
		} else {
			snprintf(other, sizeof other, "%lld", num(o, "of_doc"));
			html_printf(h, "<td><a href=\"/doc/%s\">%s</a></td><td>%.2f</td><td>", other, other,
				    json_number_value(json_object_get(o, "similarity")));
			html_text(h, str(o, "evidence"));
			html_puts(h, "</td><td>");
			decision_form(r, h, "duplicate", id, "other", other, "Same paper");
			decision_form(r, h, "distinct", id, "other", other, "Different papers");
		}
		html_puts(h, "</td></tr>");
	}
	html_puts(h, "</tbody></table>");
}

int route_review(web_req *r, const web_params *p)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	web_html h = WEB_HTML_INIT;
	json_t *q;

	(void)p;
	if (web_audit(r, "review", "queue") != KT_OK)
		return web_error(r, 503, "cannot write the audit log");
	if ((q = kt_catalog_review_json(c)) == NULL)
		return web_error(r, 500, kt_catalog_errmsg(c));
	if (r->api)
		return web_send_json(r, 200, q);
	web_page_start(r, &h, "Review");
	html_printf(&h, "<h1>Review queue (%zu)</h1><p>Links below the confidence threshold (%.1f)"
			" wait here, with the documents linked to no case and pages scanned again."
			" A decision is recorded with your name; no automatic run undoes it.</p>",
		    json_array_size(q), KT_CATALOG_LINK_THRESHOLD);
	queue_table(r, &h, q, "suggestion");
	queue_table(r, &h, q, "unlinked");
	queue_table(r, &h, q, "duplicate");
	json_decref(q);
	return web_page_end(r, &h, 200);
}

/* ------------------------------------------------------------ decisions */

/* A document id from a form field; 0 when it is none. */
static long long doc_id(const char *s)
{
	char *end;
	long long id;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return 0;
	id = strtoll(s, &end, 10);
	return *end != '\0' || id <= 0 ? 0 : id;
}

/* Record the decision on a store opened for writing (the server's own is
 * read-only), by the logged-in user. KT_OK, KT_FAILED (refused: the
 * message in msg), KT_FATAL. */
static int record(web_req *r, const struct decision *dec, long long id, const char *cn,
		  long long other, char *msg, size_t size)
{
	kt_store *s = NULL;
	kt_error err = { 0 };
	kt_catalog *c;
	int rc;

	if (kt_store_open(kt_store_dir(r->w->store), KT_STORE_WRITE, &s, &err) != KT_OK) {
		snprintf(msg, size, "%s", err.msg);
		return KT_FATAL;
	}
	c = kt_store_catalog(s);
	rc = dec->d >= DUP_SAME ? kt_catalog_dup_decide(c, id, other, dec->d == DUP_SAME, r->user.name)
				: kt_catalog_link_decide(c, id, cn, (enum kt_link_decision)dec->d,
							 r->user.name);
	if (rc != KT_OK)
		snprintf(msg, size, "%s", kt_catalog_errmsg(c));
	kt_store_free(&s);
	return rc;
}

int route_review_decide(web_req *r, const web_params *p)
{
	const struct decision *dec = NULL;
	char *doc = web_form_value(r->body, "doc", NULL), *cn = NULL, *oth = NULL;
	char obj[400], msg[KT_ERRMSG_MAX];
	long long id = doc_id(doc), other = 0;
	size_t i, len = 0;
	int rc, ret;

	for (i = 0; i < sizeof decisions / sizeof decisions[0]; i++)
		if (strcmp(p->str[0], decisions[i].name) == 0)
			dec = &decisions[i];
	if (dec == NULL) {
		ret = web_error(r, 404, "no such decision");
		goto out;
	}
	if (dec->d >= DUP_SAME)
		other = doc_id(oth = web_form_value(r->body, "other", NULL));
	else if (dec->d != KT_LINK_NONE)
		cn = web_form_value(r->body, "case", &len);
	if (id == 0 || (dec->d >= DUP_SAME && other == 0)) {
		ret = web_error(r, 400, dec->d >= DUP_SAME ? "doc and other are document ids"
							   : "doc is a document id");
		goto out;
	}
	if (dec->d < DUP_SAME && dec->d != KT_LINK_NONE &&
	    (cn == NULL || cn[0] == '\0' || len != strlen(cn) || !kt_utf8_valid(cn, len))) {
		ret = web_error(r, 400, "give a case number");
		goto out;
	}
	if (dec->d >= DUP_SAME)
		snprintf(obj, sizeof obj, "%s doc:%lld doc:%lld", dec->name, id, other);
	else if (cn != NULL)
		snprintf(obj, sizeof obj, "%s doc:%lld case:%.300s", dec->name, id, cn);
	else
		snprintf(obj, sizeof obj, "%s doc:%lld", dec->name, id);
	if (web_audit(r, "decide", obj) != KT_OK) {
		ret = web_error(r, 503, "cannot write the audit log");
		goto out;
	}
	rc = record(r, dec, id, cn, other, msg, sizeof msg);
	if (rc == KT_OK && !r->api)
		ret = web_redirect(r, "/review", NULL, NULL);
	else if (rc == KT_OK)
		ret = web_send_json(r, 200, json_pack("{s:s, s:I, s:s?, s:o?, s:s}", "decision", dec->name,
						      "doc_id", (json_int_t)id, "case_number", cn,
						      "other", other ? json_integer(other) : NULL,
						      "by", r->user.name));
	else
		ret = web_error(r, rc == KT_FAILED ? 409 : 500, msg);
out:
	free(doc);
	free(cn);
	free(oth);
	return ret;
}
