/*
 * route_case.c - cases: /case/{number} (the case record and its documents
 * in date order, each with its link as the catalog keeps it: evidence,
 * rule, confidence, who decided; /api/case/{number} the record with
 * "documents"), /case/{number}/dossier.pdf and .zip (the dossier that
 * `kartoteka dossier` makes, kt_web_dossier) and /cases (the cases the user
 * may read). An officer asking for a case not theirs gets the 404 of a
 * missing one, and the attempt is audited as denied.
 */
#include "web_private.h"

#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The document's link to case number as the catalog keeps it (rule,
 * confidence, evidence, who decided), or NULL. Borrowed from doc. */
static const kt_doc_link *link_of(const kt_doc *doc, const char *number)
{
	size_t k;

	for (k = 0; k < doc->n_links; k++)
		if (doc->links[k].case_number && strcmp(doc->links[k].case_number, number) == 0)
			return &doc->links[k];
	return NULL;
}

/* The stored evidence of a link as a list: its parts, joined by "; " in the
 * catalog. New reference (an empty array when none was kept). */
static json_t *link_evidence(const kt_doc_link *l)
{
	json_t *out = json_array();
	const char *s = l ? l->evidence : NULL;

	while (s != NULL && *s) {
		const char *end = strstr(s, "; ");
		size_t n = end ? (size_t)(end - s) : strlen(s);

		if (n > 0)
			json_array_append_new(out, json_stringn(s, n));
		s = end ? end + 2 : NULL;
	}
	return out;
}

/* A string or null. New reference. */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The API's object of a linked document: the document object without its
 * pages, with its link to the case: "link_evidence" (the parts of the
 * catalog's evidence), "link_rule", "link_confidence", "link_state" (auto,
 * accepted, manual), "link_decided_by" and "link_decided_at" (null when
 * nobody decided). New reference. */
static json_t *linked_doc_json(const kt_doc *doc, const char *number)
{
	json_t *d = kt_doc_to_json(doc);
	const kt_doc_link *l = link_of(doc, number);

	if (d != NULL) {
		json_object_del(d, "pages");
		json_object_set_new(d, "link_evidence", link_evidence(l));
		json_object_set_new(d, "link_rule", str_or_null(l ? l->rule : NULL));
		json_object_set_new(d, "link_confidence", l && l->confidence >= 0
					? json_real(l->confidence) : json_null());
		json_object_set_new(d, "link_state", str_or_null(l ? l->state : NULL));
		json_object_set_new(d, "link_decided_by", str_or_null(l ? l->decided_by : NULL));
		json_object_set_new(d, "link_decided_at", str_or_null(l ? l->decided_at : NULL));
	}
	return d;
}

/* The "Linked by" cell of a document: the evidence, the rule and its
 * confidence, and who decided; escaped. */
static void link_cell(web_html *h, const kt_doc *doc, const char *number)
{
	const kt_doc_link *l = link_of(doc, number);
	json_t *ev = link_evidence(l), *v;
	size_t k;

	json_array_foreach(ev, k, v) {
		html_text(h, json_string_value(v));
		html_puts(h, "<br>");
	}
	json_decref(ev);
	if (l == NULL)
		return;
	html_puts(h, "<small>");
	html_text(h, l->rule ? l->rule : "rule not known");
	if (l->confidence >= 0)
		html_printf(h, ", confidence %.2f", l->confidence);
	if (l->decided_by != NULL) {
		html_puts(h, l->state && !strcmp(l->state, "manual") ? "; linked by hand by "
								     : "; accepted by ");
		html_text(h, l->decided_by);
		if (l->decided_at != NULL) {
			html_puts(h, " at ");
			html_text(h, l->decided_at);
		}
	}
	html_puts(h, "</small>");
}

int route_case(web_req *r, const web_params *p)
{
	const char *number = p->str[0];
	kt_catalog *c = kt_store_catalog(r->w->store);
	json_t *cs, *v;
	long long *ids = NULL;
	kt_doc **docs;
	int n = 0, i, nd = 0;
	char obj[256];
	const char *key;
	web_html h = WEB_HTML_INIT;

	snprintf(obj, sizeof obj, "case:%s", number);
	if (!kt_utf8_valid(number, strlen(number)) || !web_may_read_case(r, number) ||
	    (cs = kt_catalog_case_json(c, number)) == NULL) {
		if (web_has_role(r, "officer", NULL) && !web_may_read_case(r, number))
			web_audit(r, "denied", obj);
		return web_error(r, 404, "no such case");
	}
	if (web_audit(r, "case", obj) != KT_OK) {
		json_decref(cs);
		return web_error(r, 500, "cannot write the audit log");
	}
	if (kt_catalog_case_doc_ids(c, number, &ids, &n) != KT_OK)
		n = 0;
	docs = calloc((size_t)n + 1, sizeof *docs);
	for (i = 0; docs != NULL && i < n; i++)
		if (kt_catalog_doc_get(c, ids[i], &docs[nd]) == KT_OK) {
			/* an officer sees no number of a case not assigned to them */
			web_hide_cases(r, docs[nd]);
			nd++;
		}
	free(ids);
	if (docs == NULL) {
		json_decref(cs);
		return web_error(r, 500, "out of memory");
	}
	if (r->api) {
		json_t *arr = json_array();

		for (i = 0; i < nd; i++) {
			json_array_append_new(arr, linked_doc_json(docs[i], number));
			kt_doc_free(&docs[i]);
		}
		free(docs);
		json_object_set_new(cs, "documents", arr);
		return web_send_json(r, 200, cs);
	}
	web_page_start(r, &h, "Case");
	html_puts(&h, "<h1>Case ");
	html_text(&h, number);
	html_puts(&h, "</h1><dl class=\"meta\">");
	json_object_foreach(cs, key, v) {
		if (json_is_object(v) || json_is_array(v))
			continue;
		html_puts(&h, "<dt>");
		html_text(&h, key);
		html_puts(&h, "</dt><dd>");
		html_text(&h, json_string_value(v));
		html_puts(&h, "</dd>");
	}
	json_object_foreach(json_object_get(cs, "extra"), key, v) {
		html_puts(&h, "<dt>");
		html_text(&h, key);
		html_puts(&h, "</dt><dd>");
		html_text(&h, json_string_value(v));
		html_puts(&h, "</dd>");
	}
	html_puts(&h, "</dl><p class=\"downloads\"><a href=\"/case/");
	html_url(&h, number);
	html_puts(&h, "/dossier.pdf\">Dossier (PDF)</a> <a href=\"/case/");
	html_url(&h, number);
	html_puts(&h, "/dossier.zip\">Originals (ZIP)</a></p>");
	html_printf(&h, "<h2>Documents (%d)</h2><table><thead><tr><th>#</th><th>Document</th>"
			"<th>Type</th><th>First date</th><th>Linked by</th><th>Source</th></tr></thead>"
			"<tbody>", nd);
	for (i = 0; i < nd; i++) {
		const kt_doc *d = docs[i];
		char *source = kt_doc_source_escape(d);

		html_printf(&h, "<tr><td>%d</td><td><a href=\"/doc/%lld\">%lld</a></td><td>", i + 1,
			    d->id, d->id);
		html_text(&h, d->meta.doc_type);
		html_puts(&h, "</td><td>");
		html_text(&h, d->meta.dates.n > 0 ? d->meta.dates.v[0] : NULL);
		html_puts(&h, "</td><td>");
		link_cell(&h, d, number);
		html_puts(&h, "</td><td>");
		html_text(&h, source);
		html_puts(&h, "</td></tr>");
		free(source);
		kt_doc_free(&docs[i]);
	}
	free(docs);
	html_puts(&h, "</tbody></table>");
	json_decref(cs);
	return web_page_end(r, &h, 200);
}

int route_cases(web_req *r, const web_params *p)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	char **nums = NULL;
	int n = 0, i;
	json_t *out = json_array();
	web_html h = WEB_HTML_INIT;

	(void)p;
	if (kt_catalog_case_numbers(c, &nums, &n) == KT_OK) {
		for (i = 0; i < n; i++)
			if (web_may_read_case(r, nums[i]))
				json_array_append_new(out, json_string(nums[i]));
		kt_catalog_strings_free(&nums, n);
	}
	if (web_audit(r, "cases", "") != KT_OK) {
		json_decref(out);
		return web_error(r, 503, "cannot write the audit log");
	}
	if (r->api)
		return web_send_json(r, 200, out);
	web_page_start(r, &h, "Cases");
	html_puts(&h, "<h1>Cases</h1><ul class=\"cases\">");
	for (i = 0; i < (int)json_array_size(out); i++) {
		const char *num = json_string_value(json_array_get(out, (size_t)i));

		html_puts(&h, "<li><a href=\"/case/");
		html_url(&h, num);
		html_puts(&h, "\">");
		html_text(&h, num);
		html_puts(&h, "</a></li>");
	}
	html_puts(&h, "</ul>");
	json_decref(out);
	return web_page_end(r, &h, 200);
}


/* The dossier of a case: role-checked as the case page, audited as a
 * download ("case:NUMBER dossier", "... dossier zip") before it is made,
 * sent as an attachment named "dossier-NUMBER.pdf" (or .zip) made safe as
 * `export` makes names (kt_archive_export_name). */
static int dossier(web_req *r, const web_params *p, int zip)
{
	const char *number = p->str[0];
	kt_catalog *c = kt_store_catalog(r->w->store);
	char obj[256], want[300], name[KT_ARCHIVE_EXPORT_NAME_MAX];
	unsigned char *data = NULL;
	size_t len = 0;
	long long *ids = NULL;
	json_t *cs;
	kt_error err = { 0 };
	int n = 0, rc, ret;

	snprintf(obj, sizeof obj, "case:%.200s dossier%s", number, zip ? " zip" : "");
	if (!kt_utf8_valid(number, strlen(number)) || !web_may_read_case(r, number)) {
		if (web_has_role(r, "officer", NULL))
			web_audit(r, "denied", obj);
		return web_error(r, 404, "no such case");
	}
	/* a case record, or a number documents are linked to (as the CLI) */
	cs = kt_catalog_case_json(c, number);
	if (cs == NULL && kt_catalog_case_doc_ids(c, number, &ids, &n) != KT_OK)
		return web_error(r, 500, kt_catalog_errmsg(c));
	free(ids);
	json_decref(cs);
	if (cs == NULL && n == 0)
		return web_error(r, 404, "no such case");
	if (web_audit(r, "download", obj) != KT_OK)
		return web_error(r, 503, "cannot write the audit log");
	rc = kt_web_dossier(r->w->store, number, zip, (long long)time(NULL), &data, &len, NULL, &err);
	if (rc != KT_OK)
		return web_error(r, 500, err.msg);
	snprintf(want, sizeof want, "dossier-%.200s.%s", number, zip ? "zip" : "pdf");
	kt_archive_export_name(want, name);
	ret = web_send_file(r, zip ? "application/zip" : "application/pdf", data, len, name);
	free(data);
	return ret;
}

int route_case_dossier_pdf(web_req *r, const web_params *p)
{
	return dossier(r, p, 0);
}

int route_case_dossier_zip(web_req *r, const web_params *p)
{
	return dossier(r, p, 1);
}
