/*
 * route_doc.c - a document: /doc/{id} (fields, case links, and each page's
 * image beside its OCR text with the query's words marked; /api/doc/{id}
 * the document object) and /doc/{id}/page/{n}.png (the page image, PNG,
 * rendered from the archive package by render.c). Each read is audited
 * before anything leaves; so is each refusal and each missing document
 * (web_load_doc). An officer sees only their own cases' numbers.
 */
#include "web_private.h"

#include "kt_archive.h"
#include "kt_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* web_load_doc (web_private.h): a missing document and one the user may not
 * read take the same path and the same work, so an officer cannot tell
 * whether a file is in the archive. */
int web_load_doc(web_req *r, const char *idstr, kt_doc **doc, long long *id)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	int found, allowed;
	char obj[96];

	*doc = NULL;
	found = kt_catalog_doc_resolve(c, idstr, id) == KT_OK && kt_catalog_doc_get(c, *id, doc) == KT_OK;
	allowed = found && web_may_read_doc(r, *doc);
	if (found)
		snprintf(obj, sizeof obj, "doc:%lld", *id);
	else
		snprintf(obj, sizeof obj, "doc:%.60s", idstr);
	if (!allowed) {
		kt_doc_free(doc);
		web_audit(r, found ? "denied" : "missing", obj);
		web_error(r, 404, "no such document");
		return 0;
	}
	web_hide_cases(r, *doc);
	return 1;
}

int route_page_image(web_req *r, const web_params *p)
{
	const char *idstr = p->str[0];
	int n = p->num[1];
	const char *size = web_arg(r, "size");
	int full = size && !strcmp(size, "full");
	kt_doc *doc;
	long long id;
	int rotation, page;
	unsigned char *png = NULL;
	size_t len = 0;
	kt_error err = { 0 };
	char obj[96];
	int ret;

	if (!web_load_doc(r, idstr, &doc, &id))
		return 1;
	if (n < 1 || (size_t)n > doc->n_pages) {
		kt_doc_free(&doc);
		return web_error(r, 404, "no such page");
	}
	rotation = doc->pages[n - 1].rotation;
	/* a part of a file that separator sheets divide: its pages of it */
	page = n + (doc->part > 0 ? doc->first_page - 1 : 0);
	kt_doc_free(&doc);
	snprintf(obj, sizeof obj, "doc:%lld page:%d %s", id, n, full ? "full" : "thumb");
	if (web_audit(r, "page-image", obj) != KT_OK)
		return web_error(r, 500, "cannot write the audit log");
	if (kt_web_render_page(r->w->store, id, page, rotation, full ? WEB_FULL_WIDTH : WEB_THUMB_WIDTH,
			       &png, &len, &err) != KT_OK)
		return web_error(r, 500, err.msg);
	ret = web_send(r, 200, "image/png", png, len, NULL, NULL, NULL);
	free(png);
	return ret;
}

/* 1 when the document's package holds a searchable PDF (an access copy). */
static int has_access_copy(web_req *r, long long id)
{
	kt_archive *a = kt_store_archive(r->w->store);
	kt_package_export_file *plan = NULL;
	char *package = NULL;
	int n = 0, has = 0;

	if (kt_catalog_doc_package(kt_store_catalog(r->w->store), id, &package) == KT_OK &&
	    kt_package_export_plan(a, package, NULL, &plan, &n) == KT_OK)
		has = web_plan_find(plan, n, KT_PACKAGE_FILE_ACCESS, ".pdf") >= 0;
	kt_package_export_plan_free(&plan, n);
	free(package);
	return has;
}

int route_doc(web_req *r, const web_params *p)
{
	const char *idstr = p->str[0];
	const char *q = web_arg(r, "q");
	kt_doc *doc;
	const kt_doc_meta *meta;
	json_t *words;
	char *source;
	long long id;
	char obj[64];
	web_html h = WEB_HTML_INIT;
	size_t k;

	if (!web_load_doc(r, idstr, &doc, &id))
		return 1;
	snprintf(obj, sizeof obj, "doc:%lld", id);
	if (web_audit(r, "doc", obj) != KT_OK) {
		kt_doc_free(&doc);
		return web_error(r, 500, "cannot write the audit log");
	}
	if (r->api) {
		json_t *j = kt_doc_to_json(doc);

		kt_doc_free(&doc);
		if (j == NULL)
			return web_error(r, 500, "out of memory");
		return web_send_json(r, 200, j);
	}
	meta = &doc->meta;
	source = kt_doc_source_escape(doc);
	web_page_start(r, &h, "Document");
	html_printf(&h, "<h1>Document %lld</h1><dl class=\"meta\"><dt>Source</dt><dd>", id);
	html_text(&h, source);
	free(source);
	html_puts(&h, "</dd><dt>Type</dt><dd>");
	html_text(&h, meta->doc_type);
	html_puts(&h, "</dd><dt>Status</dt><dd>");
	html_text(&h, kt_doc_status_name(doc->status));
	if (doc->error) {
		html_puts(&h, "</dd><dt>Error</dt><dd class=\"error\">");
		html_text(&h, doc->error);
	}
	html_puts(&h, "</dd><dt>Batch</dt><dd>");
	html_text(&h, doc->batch);
	html_puts(&h, "</dd><dt>Dates</dt><dd>");
	for (k = 0; k < meta->dates.n; k++) {
		html_text(&h, meta->dates.v[k]);
		html_puts(&h, " ");
	}
	html_puts(&h, "</dd><dt>Names</dt><dd>");
	for (k = 0; k < meta->n_names; k++) {
		html_text(&h, meta->names[k].surname);
		html_puts(&h, ", ");
		html_text(&h, meta->names[k].given_names);
		html_puts(&h, "; ");
	}
	html_puts(&h, "</dd><dt>Cases</dt><dd>");
	/* web_load_doc left only the cases the user may read */
	for (k = 0; k < doc->n_links; k++) {
		const char *cn = doc->links[k].case_number;

		html_puts(&h, "<a href=\"/case/");
		html_url(&h, cn);
		html_puts(&h, "\">");
		html_text(&h, cn);
		html_puts(&h, "</a> ");
	}
	html_puts(&h, "</dd><dt>SHA-256</dt><dd class=\"mono\">");
	html_text(&h, doc->sha256);
	if (doc->status == KT_DOC_DONE) {
		html_printf(&h, "</dd><dt>Download</dt><dd class=\"downloads\">"
				"<a href=\"/doc/%lld/original\">original</a> ", id);
		if ((doc->format != NULL && strcmp(doc->format, "pdf") == 0) || has_access_copy(r, id))
			html_printf(&h, "<a href=\"/doc/%lld/access.pdf\">searchable PDF</a> ", id);
		html_printf(&h, "<a href=\"/doc/%lld/text.txt\">text</a>", id);
	}
	html_puts(&h, "</dd></dl>");
	words = html_query_words(q);
	for (k = 0; k < doc->n_pages; k++) {
		const kt_doc_page *pg = &doc->pages[k];
		int n = pg->n;

		html_printf(&h, "<section class=\"page\" id=\"page-%d\"><h2>Page %d</h2>", n, n);
		html_printf(&h, "<figure><a class=\"zoom\" href=\"/doc/%lld/page/%d.png?size=full\">"
				"<img src=\"/doc/%lld/page/%d.png?size=thumb\" alt=\"page %d\" "
				"data-full=\"/doc/%lld/page/%d.png?size=full\"></a><figcaption>", id, n,
			    id, n, n, id, n);
		html_text(&h, pg->lang);
		html_printf(&h, ", confidence %d%%, turned %d&#176;%s</figcaption></figure>"
				"<pre class=\"text\">",
			    pg->confidence, pg->rotation, pg->blank ? ", blank" : "");
		html_highlight(&h, pg->text, words);
		html_puts(&h, "</pre></section>");
	}
	json_decref(words);
	kt_doc_free(&doc);
	return web_page_end(r, &h, 200);
}
