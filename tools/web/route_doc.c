/*
 * route_doc.c - a document: /doc/{id} (fields, case links, and each page's
 * image beside its OCR text with the query's words marked; /api/doc/{id}
 * the document object) and /doc/{id}/page/{n}.png (the page image, PNG,
 * rendered from the archive package by render.c). Each read is audited
 * before anything leaves.
 */
#include "web_private.h"

#include "kt_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The document idstr (an id or a SHA-256 prefix) into *doc (caller frees
 * with json_decref) and *id, when it exists and the user may read it: 1.
 * Otherwise the 404 is sent (an officer's attempt on a document not theirs
 * is audited as denied, with the same answer as for a missing one): 0. */
static int load_doc(web_req *r, const char *idstr, json_t **doc, long long *id)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	char obj[96];

	*doc = NULL;
	if (kt_catalog_doc_resolve(c, idstr, id) != KT_OK ||
	    (*doc = kt_catalog_doc_json(c, *id)) == NULL) {
		web_error(r, 404, "no such document");
		return 0;
	}
	if (!web_may_read_doc(r, *doc)) {
		snprintf(obj, sizeof obj, "doc:%lld", *id);
		json_decref(*doc);
		*doc = NULL;
		/* the same answer as for a missing document: ids are not probed */
		web_audit(r, "denied", obj);
		web_error(r, 404, "no such document");
		return 0;
	}
	return 1;
}

int route_page_image(web_req *r, const web_params *p)
{
	const char *idstr = p->str[0];
	int n = p->num[1];
	const char *size = web_arg(r, "size");
	int full = size && !strcmp(size, "full");
	json_t *doc, *pg;
	long long id;
	unsigned char *png = NULL;
	size_t len = 0;
	kt_error err = { 0 };
	char obj[96];
	int ret;

	if (!load_doc(r, idstr, &doc, &id))
		return 1;
	pg = json_array_get(json_object_get(doc, "pages"), (size_t)n - 1);
	if (n < 1 || pg == NULL) {
		json_decref(doc);
		return web_error(r, 404, "no such page");
	}
	snprintf(obj, sizeof obj, "doc:%lld page:%d %s", id, n, full ? "full" : "thumb");
	if (web_audit(r, "page-image", obj) != KT_OK) {
		json_decref(doc);
		return web_error(r, 500, "cannot write the audit log");
	}
	if (kt_web_render_page(r->w->store, id, n,
			       (int)json_integer_value(json_object_get(pg, "rotation")),
			       full ? WEB_FULL_WIDTH : WEB_THUMB_WIDTH, &png, &len, &err) != KT_OK) {
		json_decref(doc);
		return web_error(r, 500, err.msg);
	}
	json_decref(doc);
	ret = web_send(r, 200, "image/png", png, len, NULL, NULL, NULL);
	free(png);
	return ret;
}

int route_doc(web_req *r, const web_params *p)
{
	const char *idstr = p->str[0];
	const char *q = web_arg(r, "q");
	json_t *doc, *meta, *v, *pg, *words;
	long long id;
	char obj[64];
	web_html h = WEB_HTML_INIT;
	size_t k;

	if (!load_doc(r, idstr, &doc, &id))
		return 1;
	snprintf(obj, sizeof obj, "doc:%lld", id);
	if (web_audit(r, "doc", obj) != KT_OK) {
		json_decref(doc);
		return web_error(r, 500, "cannot write the audit log");
	}
	if (r->api)
		return web_send_json(r, 200, doc);
	meta = json_object_get(doc, "metadata");
	web_page_start(r, &h, "Document");
	html_printf(&h, "<h1>Document %lld</h1><dl class=\"meta\"><dt>Source</dt><dd>", id);
	html_text(&h, json_string_value(json_object_get(doc, "source")));
	html_puts(&h, "</dd><dt>Type</dt><dd>");
	html_text(&h, json_string_value(json_object_get(meta, "doc_type")));
	html_puts(&h, "</dd><dt>Status</dt><dd>");
	html_text(&h, json_string_value(json_object_get(doc, "status")));
	if (json_string_value(json_object_get(doc, "error"))) {
		html_puts(&h, "</dd><dt>Error</dt><dd class=\"error\">");
		html_text(&h, json_string_value(json_object_get(doc, "error")));
	}
	html_puts(&h, "</dd><dt>Batch</dt><dd>");
	html_text(&h, json_string_value(json_object_get(doc, "batch")));
	html_puts(&h, "</dd><dt>Dates</dt><dd>");
	json_array_foreach(json_object_get(meta, "dates"), k, v) {
		html_text(&h, json_string_value(v));
		html_puts(&h, " ");
	}
	html_puts(&h, "</dd><dt>Names</dt><dd>");
	json_array_foreach(json_object_get(meta, "names"), k, v) {
		html_text(&h, json_string_value(json_object_get(v, "surname")));
		html_puts(&h, ", ");
		html_text(&h, json_string_value(json_object_get(v, "given_names")));
		html_puts(&h, "; ");
	}
	html_puts(&h, "</dd><dt>Cases</dt><dd>");
	json_array_foreach(json_object_get(doc, "cases"), k, v) {
		if (!web_may_read_case(r, json_string_value(v) ? json_string_value(v) : "")) {
			html_text(&h, json_string_value(v));
		} else {
			html_puts(&h, "<a href=\"/case/");
			html_url(&h, json_string_value(v));
			html_puts(&h, "\">");
			html_text(&h, json_string_value(v));
			html_puts(&h, "</a>");
		}
		html_puts(&h, " ");
	}
	html_puts(&h, "</dd><dt>SHA-256</dt><dd class=\"mono\">");
	html_text(&h, json_string_value(json_object_get(doc, "sha256")));
	html_puts(&h, "</dd></dl>");
	words = html_query_words(q);
	json_array_foreach(json_object_get(doc, "pages"), k, pg) {
		int n = (int)json_integer_value(json_object_get(pg, "n"));

		html_printf(&h, "<section class=\"page\" id=\"page-%d\"><h2>Page %d</h2>", n, n);
		html_printf(&h, "<figure><a class=\"zoom\" href=\"/doc/%lld/page/%d.png?size=full\">"
				"<img src=\"/doc/%lld/page/%d.png?size=thumb\" alt=\"page %d\" "
				"data-full=\"/doc/%lld/page/%d.png?size=full\"></a><figcaption>", id, n,
			    id, n, n, id, n);
		html_text(&h, json_string_value(json_object_get(pg, "lang")));
		html_printf(&h, ", confidence %d%%, turned %d&#176;%s</figcaption></figure>"
				"<pre class=\"text\">",
			    (int)json_integer_value(json_object_get(pg, "confidence")),
			    (int)json_integer_value(json_object_get(pg, "rotation")),
			    json_is_true(json_object_get(pg, "blank")) ? ", blank" : "");
		html_highlight(&h, json_string_value(json_object_get(pg, "text")), words);
		html_puts(&h, "</pre></section>");
	}
	json_decref(words);
	json_decref(doc);
	return web_page_end(r, &h, 200);
}

