/*
 * route_case.c - cases: /case/{number} (the case record and its documents
 * in order, each with the evidence of its link; /api/case/{number} the
 * record with "documents") and /cases (the cases the user may read). An
 * officer asking for a case not theirs gets the 404 of a missing one, and
 * the attempt is audited as denied.
 */
#include "web_private.h"

#include "kt_catalog.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why a document is linked to a case, by the catalog's rule (docs/architecture.md):
 * the case number, or the person's personal code, occurs in the document.
 * New reference: ["case number X", "personal code P"]. */
static json_t *link_evidence(json_t *cs, const kt_doc *doc)
{
	const struct { const char *case_key; const kt_strv *found; const char *label; } rules[] = {
		{ "case_number", &doc->meta.case_numbers, "case number " },
		{ "personal_code", &doc->meta.personal_codes, "personal code " },
	};
	json_t *out = json_array();
	size_t i, k;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const char *want = json_string_value(json_object_get(cs, rules[i].case_key));

		if (want == NULL || *want == '\0')
			continue;
		for (k = 0; k < rules[i].found->n; k++)
			if (strcmp(rules[i].found->v[k], want) == 0) {
				char line[300];

				snprintf(line, sizeof line, "%s%s", rules[i].label, want);
				json_array_append_new(out, json_string(line));
				break;
			}
	}
	return out;
}

/* The API's object of a linked document: the document object without its
 * pages, with "link_evidence". New reference. */
static json_t *linked_doc_json(json_t *cs, const kt_doc *doc)
{
	json_t *d = kt_doc_to_json(doc);

	if (d != NULL) {
		json_object_del(d, "pages");
		json_object_set_new(d, "link_evidence", link_evidence(cs, doc));
	}
	return d;
}

int route_case(web_req *r, const web_params *p)
{
	const char *number = p->str[0];
	kt_catalog *c = kt_store_catalog(r->w->store);
	json_t *cs, *v;
	size_t k;
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
			json_array_append_new(arr, linked_doc_json(cs, docs[i]));
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
	html_printf(&h, "</dl><h2>Documents (%d)</h2><table><thead><tr><th>#</th><th>Document</th>"
			"<th>Type</th><th>First date</th><th>Linked by</th><th>Source</th></tr></thead>"
			"<tbody>", nd);
	for (i = 0; i < nd; i++) {
		const kt_doc *d = docs[i];
		json_t *ev = link_evidence(cs, d);
		char *source = kt_doc_source_escape(d);

		html_printf(&h, "<tr><td>%d</td><td><a href=\"/doc/%lld\">%lld</a></td><td>", i + 1,
			    d->id, d->id);
		html_text(&h, d->meta.doc_type);
		html_puts(&h, "</td><td>");
		html_text(&h, d->meta.dates.n > 0 ? d->meta.dates.v[0] : NULL);
		html_puts(&h, "</td><td>");
		json_array_foreach(ev, k, v) {
			html_text(&h, json_string_value(v));
			html_puts(&h, "<br>");
		}
		html_puts(&h, "</td><td>");
		html_text(&h, source);
		html_puts(&h, "</td></tr>");
		free(source);
		json_decref(ev);
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

