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

int route_case(web_req *r, const web_params *p)
{
	const char *number = p->str[0];
	kt_catalog *c = kt_store_catalog(r->w->store);
	json_t *cs, *docs, *v;
	size_t k;
	long long *ids = NULL;
	int n = 0, i;
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
	html_printf(&h, "</dl><h2>Documents (%zu)</h2><table><thead><tr><th>#</th><th>Document</th>"
			"<th>Type</th><th>First date</th><th>Linked by</th><th>Source</th></tr></thead>"
			"<tbody>", json_array_size(docs));
	for (i = 0; i < (int)json_array_size(docs); i++) {
		json_t *d = json_array_get(docs, (size_t)i), *meta = json_object_get(d, "metadata");
		long long id = (long long)json_integer_value(json_object_get(d, "id"));

		html_printf(&h, "<tr><td>%d</td><td><a href=\"/doc/%lld\">%lld</a></td><td>", i + 1, id, id);
		html_text(&h, json_string_value(json_object_get(meta, "doc_type")));
		html_puts(&h, "</td><td>");
		html_text(&h, json_string_value(json_array_get(json_object_get(meta, "dates"), 0)));
		html_puts(&h, "</td><td>");
		json_array_foreach(json_object_get(d, "link_evidence"), k, v) {
			html_text(&h, json_string_value(v));
			html_puts(&h, "<br>");
		}
		html_puts(&h, "</td><td>");
		html_text(&h, json_string_value(json_object_get(d, "source")));
		html_puts(&h, "</td></tr>");
	}
	html_puts(&h, "</tbody></table>");
	json_decref(docs);
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
	web_audit(r, "cases", "");
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

