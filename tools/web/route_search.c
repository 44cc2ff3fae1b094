/*
 * route_search.c - /search and /api/search: a query with its filters (type,
 * language, year, case); the hits of documents the user may not read are
 * dropped before they are counted, paged and turned into facets (counted
 * here over the permitted hits); one audit row per search, written before
 * any result leaves; then 20 hits a page with snippets, and the facets as
 * links.
 */
#include "web_private.h"

#include "kt_catalog.h"
#include "kt_index.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFILTERS 4

static const char *fnames[NFILTERS] = { "type", "lang", "year", "case" };

/* One search: the request's values and what the index gave. */
typedef struct search {
	const char *q;                 /* the query, NULL when none */
	const char *fvals[NFILTERS];   /* the valid filters, NULL when not given */
	long start;                    /* offset of the first hit shown */
	int searched;                  /* a query or a filter was given */
	json_t *doc_at;                /* id (as a string) -> index into docs */
	kt_doc **docs;                 /* the documents of the hits, owned */
	size_t n_docs;
	json_t *kept;                  /* [{"doc","page","score","snippet"}] the user may read */
	json_t *facets;                /* {"type":{value:count},"lang","year","case"} */
	kt_error err;                  /* why the index could not be opened */
} search;

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

/* Count one kept hit (page pg of doc, NULL when the document has no such
 * page) into the facets. */
static void count_hit(web_req *r, search *s, const kt_doc *doc, const kt_doc_page *pg)
{
	json_t *years = json_object(), *v;
	char lang[64], *tok, *save = NULL;
	const char *yk;
	size_t k;

	count_value(json_object_get(s->facets, "type"), doc->meta.doc_type);
	snprintf(lang, sizeof lang, "%s", pg && pg->lang ? pg->lang : "");
	for (tok = strtok_r(lang, "+", &save); tok; tok = strtok_r(NULL, "+", &save))
		count_value(json_object_get(s->facets, "lang"), tok);
	for (k = 0; k < doc->meta.dates.n; k++) {
		const char *d = doc->meta.dates.v[k];
		char y[5];

		if (strlen(d) >= 4) {
			snprintf(y, sizeof y, "%s", d);
			json_object_set_new(years, y, json_true());
		}
	}
	json_object_foreach(years, yk, v)
		count_value(json_object_get(s->facets, "year"), yk);
	json_decref(years);
	for (k = 0; k < doc->n_links; k++) {
		const char *cn = doc->links[k].case_number;

		if (cn && (!web_has_role(r, "officer", NULL) || json_object_get(r->allowed, cn)))
			count_value(json_object_get(s->facets, "case"), cn);
	}
}

/* The document of a hit, read from the catalog once and kept in s
 * (borrowed); NULL when the catalog has no such document. */
static const kt_doc *doc_of(search *s, kt_catalog *c, long long id)
{
	char key[32];
	json_t *at;
	kt_doc *d = NULL, **g;

	snprintf(key, sizeof key, "%lld", id);
	at = json_object_get(s->doc_at, key);
	if (at != NULL)
		return s->docs[json_integer_value(at)];
	if (kt_catalog_doc_get(c, id, &d) != KT_OK)
		return NULL;
	g = realloc(s->docs, (s->n_docs + 1) * sizeof *g);
	if (g == NULL) {
		kt_doc_free(&d);
		return NULL;
	}
	s->docs = g;
	s->docs[s->n_docs] = d;
	json_object_set_new(s->doc_at, key, json_integer((json_int_t)s->n_docs++));
	return d;
}

/* Search the index (the best 10,000 pages) and keep the hits the user may
 * read and the case filter lets through. KT_OK, or KT_FAILED with the
 * index's message in *msg (borrowed). */
static int run_search(web_req *r, search *s, const char **msg)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	kt_index_hits *hits = NULL;
	kt_buf query = KT_BUF_INIT;
	kt_index *ix;
	int i, rc = KT_OK;
	size_t k;

	rc |= kt_buf_puts(&query, s->q ? s->q : "");
	if (s->fvals[0])
		rc |= kt_buf_printf(&query, " type:%s", s->fvals[0]);
	if (s->fvals[1])
		rc |= kt_buf_printf(&query, " lang:%s", s->fvals[1]);
	if (s->fvals[2])
		rc |= kt_buf_printf(&query, " date:%s", s->fvals[2]);
	if (rc != KT_OK) {
		kt_buf_release(&query);
		*msg = "out of memory";
		return KT_FAILED;
	}
	ix = kt_store_index(r->w->store, &s->err);
	if (ix == NULL || kt_index_search(ix, kt_buf_cstr(&query), 0, 10000, &hits) != KT_OK) {
		kt_buf_release(&query);
		*msg = ix ? kt_index_errmsg(ix) : s->err.msg;
		return KT_FAILED;
	}
	kt_buf_release(&query);
	/* filter by the user's cases before counting and paging */
	for (i = 0; i < hits->n; i++) {
		const kt_index_hit *hit = &hits->hits[i];
		const kt_doc *doc = doc_of(s, c, hit->doc_id);

		if (doc == NULL || !web_may_read_doc(r, doc))
			continue;
		if (s->fvals[3]) {
			int found = 0;

			for (k = 0; k < doc->n_links; k++)
				found |= !strcmp(doc->links[k].case_number ? doc->links[k].case_number : "",
						 s->fvals[3]);
			if (!found)
				continue;
		}
		count_hit(r, s, doc, hit->page >= 1 && (size_t)hit->page <= doc->n_pages
					     ? &doc->pages[hit->page - 1] : NULL);
		json_array_append_new(s->kept, json_pack("{s:I, s:i, s:i, s:s}", "doc",
			(json_int_t)hit->doc_id, "page", hit->page, "score", hit->score,
			"snippet", hit->snippet ? hit->snippet : ""));
	}
	kt_index_hits_free(&hits);
	return KT_OK;
}

/* The audit row of a search: the query and filters as JSON, with the hits. */
static int audit_search(web_req *r, const search *s, long total)
{
	json_t *obj = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:i, s:I}", "q", s->q ? s->q : "",
				"type", s->fvals[0], "lang", s->fvals[1], "year", s->fvals[2],
				"case", s->fvals[3], "start", (int)s->start, "hits", (json_int_t)total);
	char *aud = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc;

	json_decref(obj);
	rc = web_audit(r, "search", aud ? aud : "");
	free(aud);
	return rc;
}

/* Kept hit i and its document (borrowed). */
static json_t *hit_doc(const search *s, long i, const kt_doc **doc)
{
	json_t *hit = json_array_get(s->kept, (size_t)i);
	char key[32];

	snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(hit, "doc")));
	*doc = s->docs[json_integer_value(json_object_get(s->doc_at, key))];
	return hit;
}

static int answer_json(web_req *r, search *s, long total)
{
	json_t *out = json_array(), *facets = s->facets;
	long i;
	size_t k;

	for (i = s->start; i < total && i < s->start + WEB_PER_PAGE; i++) {
		const kt_doc *doc;
		json_t *hit = hit_doc(s, i, &doc), *cases = json_array();
		char *source = kt_doc_source_escape(doc);

		for (k = 0; k < doc->n_links; k++)
			json_array_append_new(cases, json_string(doc->links[k].case_number));
		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:o?, s:o?, s:o, s:O}",
			"id", json_object_get(hit, "doc"), "page", json_object_get(hit, "page"),
			"score", json_object_get(hit, "score"), "source", source ? json_string(source) : NULL,
			"doc_type", doc->meta.doc_type ? json_string(doc->meta.doc_type) : NULL,
			"cases", cases, "snippet", json_object_get(hit, "snippet")));
		free(source);
	}
	s->facets = NULL;
	return web_send_json(r, 200, json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)total,
					       "offset", (json_int_t)s->start, "hits", out,
					       "facets", facets));
}

/* Search href keeping the filters, with one of them changed. */
static void search_href(web_html *h, const search *s, const char *set_name, const char *set_val,
			long offset)
{
	int i;

	html_puts(h, "/search?q=");
	html_url(h, s->q ? s->q : "");
	for (i = 0; i < NFILTERS; i++) {
		const char *v = strcmp(fnames[i], set_name ? set_name : "") == 0 ? set_val : s->fvals[i];

		if (v && *v) {
			html_printf(h, "&amp;%s=", fnames[i]);
			html_url(h, v);
		}
	}
	if (offset > 0)
		html_printf(h, "&amp;start=%ld", offset);
}

/* The facets as links that add a filter, or (&#x2715;) take one away. */
static void html_facets(web_html *h, const search *s)
{
	const char *fk;
	json_t *fv;
	int i;

	html_puts(h, "<aside class=\"facets\">");
	for (i = 0; i < NFILTERS; i++) {
		html_puts(h, "<h3>");
		html_puts(h, fnames[i]);
		html_puts(h, "</h3><ul>");
		if (s->fvals[i]) {
			html_puts(h, "<li><a href=\"");
			search_href(h, s, fnames[i], NULL, 0);
			html_puts(h, "\">&#x2715; ");
			html_text(h, s->fvals[i]);
			html_puts(h, "</a></li>");
		}
		json_object_foreach(json_object_get(s->facets, fnames[i]), fk, fv) {
			if (s->fvals[i] && !strcmp(s->fvals[i], fk))
				continue;
			html_puts(h, "<li><a href=\"");
			search_href(h, s, fnames[i], fk, 0);
			html_puts(h, "\">");
			html_text(h, fk);
			html_printf(h, "</a> <span class=\"count\">%lld</span></li>",
				    (long long)json_integer_value(fv));
		}
		html_puts(h, "</ul>");
	}
	html_puts(h, "</aside>");
}

static int answer_html(web_req *r, const search *s, long total)
{
	web_html h = WEB_HTML_INIT;
	long i;

	web_page_start(r, &h, "Search");
	html_puts(&h, "<h1>Search</h1><form method=\"get\" action=\"/search\" class=\"search\">"
		      "<input type=\"search\" name=\"q\" autofocus value=\"");
	html_attr(&h, s->q);
	html_puts(&h, "\">");
	for (i = 0; i < NFILTERS; i++)
		if (s->fvals[i]) {
			html_printf(&h, "<input type=\"hidden\" name=\"%s\" value=\"", fnames[i]);
			html_attr(&h, s->fvals[i]);
			html_puts(&h, "\">");
		}
	html_puts(&h, "<button type=\"submit\">Search</button></form>");
	if (!s->searched)
		return web_page_end(r, &h, 200);
	html_puts(&h, "<div class=\"results\">");
	html_facets(&h, s);
	html_printf(&h, "<section><p class=\"total\">%ld hit%s</p><ol start=\"%ld\">", total,
		    total == 1 ? "" : "s", s->start + 1);
	for (i = s->start; i < total && i < s->start + WEB_PER_PAGE; i++) {
		const kt_doc *doc;
		json_t *hit = hit_doc(s, i, &doc);
		long long id = (long long)json_integer_value(json_object_get(hit, "doc"));
		char *source = kt_doc_source_escape(doc);
		int pno = (int)json_integer_value(json_object_get(hit, "page"));

		html_printf(&h, "<li class=\"hit\"><a href=\"/doc/%lld?q=", id);
		html_url(&h, s->q ? s->q : "");
		html_printf(&h, "#page-%d\">Document %lld, page %d</a> <span class=\"type\">", pno, id,
			    pno);
		html_text(&h, doc->meta.doc_type);
		html_puts(&h, "</span> <span class=\"source\">");
		html_text(&h, source);
		free(source);
		html_puts(&h, "</span><p class=\"snippet\">");
		html_snippet(&h, json_string_value(json_object_get(hit, "snippet")));
		html_puts(&h, "</p></li>");
	}
	html_puts(&h, "</ol><p class=\"pager\">");
	if (s->start > 0) {
		html_puts(&h, "<a href=\"");
		search_href(&h, s, NULL, NULL, s->start > WEB_PER_PAGE ? s->start - WEB_PER_PAGE : 0);
		html_puts(&h, "\">Previous</a> ");
	}
	if (s->start + WEB_PER_PAGE < total) {
		html_puts(&h, "<a href=\"");
		search_href(&h, s, NULL, NULL, s->start + WEB_PER_PAGE);
		html_puts(&h, "\">Next</a>");
	}
	html_puts(&h, "</p></section></div>");
	return web_page_end(r, &h, 200);
}

int route_search(web_req *r, const web_params *p)
{
	const char *start_s = web_arg(r, "start"), *msg = NULL;
	search s = { 0 };
	long total;
	int i, ret;

	(void)p;
	s.q = web_arg(r, "q");
	s.searched = s.q != NULL;
	s.start = start_s ? strtol(start_s, NULL, 10) : 0;
	for (i = 0; i < NFILTERS; i++) {
		s.fvals[i] = web_arg(r, fnames[i]);
		if (s.fvals[i] && !filter_ok(s.fvals[i]))
			s.fvals[i] = NULL;
		if (s.fvals[i])
			s.searched = 1;
	}
	if (s.start < 0 || s.start > 100000)
		s.start = 0;
	s.doc_at = json_object();
	s.kept = json_array();
	s.facets = json_pack("{s:{}, s:{}, s:{}, s:{}}", "type", "lang", "year", "case");
	if (s.searched && run_search(r, &s, &msg) != KT_OK) {
		ret = web_error(r, 400, msg);
		goto out;
	}
	total = (long)json_array_size(s.kept);
	/* the audit row comes before any result leaves */
	if (s.searched && audit_search(r, &s, total) != KT_OK)
		ret = web_error(r, 500, "cannot write the audit log");
	else if (r->api)
		ret = answer_json(r, &s, total);
	else
		ret = answer_html(r, &s, total);
out:
	json_decref(s.doc_at);
	for (i = 0; (size_t)i < s.n_docs; i++)
		kt_doc_free(&s.docs[i]);
	free(s.docs);
	json_decref(s.kept);
	json_decref(s.facets);
	return ret;
}
