/*
 * route_search.c - /search and /api/search: a query with its filters (type,
 * language, year, case). An officer's search, and a case filter, are
 * restricted in the index to the documents linked to the cases (the
 * catalog's links, as the document view checks them), so the index pages,
 * counts and makes the facets over what the user may read only; the case
 * facet is the index's pages per document summed over each readable case's
 * documents. One audit row per search, written before any result leaves;
 * then 20 hits a page with snippets (an officer sees only their own cases'
 * numbers), and the facets as links. The index's warnings about parts of the
 * query it left out (an unknown field, type or language, a reversed date
 * range) are a notice above the hits, and "warnings" in the API.
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
	json_t *only;                  /* id (as a string) -> true: the documents the search is
	                                * restricted to; NULL when it is not */
	json_t *case_docs;             /* case number -> [ids]: the cases the user may read */
	json_t *doc_at;                /* id (as a string) -> index into docs */
	kt_doc **docs;                 /* the documents of the hits shown, owned */
	size_t n_docs;
	json_t *kept;                  /* [{"doc","page","score","snippet"}]: the hits shown */
	long total;                    /* the hits of the whole (restricted) search */
	json_t *facets;                /* {"type":{value:count},"lang","year","case"} */
	json_t *warnings;              /* [message]: parts of the query the index left out */
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

/* The documents linked to case number cn, as an array of ids; NULL when the
 * catalog cannot say. New reference. */
static json_t *docs_of_case(kt_catalog *c, const char *cn)
{
	long long *ids = NULL;
	json_t *arr;
	int n = 0, i;

	if (kt_catalog_case_doc_ids(c, cn, &ids, &n) != KT_OK)
		return NULL;
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_integer((json_int_t)ids[i]));
	free(ids);
	return arr;
}

/* s->case_docs: each case the user may read (an officer's, or every known
 * case) with its documents; s->only: what the search is restricted to (the
 * documents of an officer's cases, of the case filter, or both), NULL for
 * none. KT_OK, or KT_FAILED with *msg. */
static int plan_search(web_req *r, search *s, const char **msg)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	int officer = web_has_role(r, "officer", NULL);
	const char *cn;
	json_t *v, *ids, *id;
	char key[32];
	size_t k;

	s->case_docs = json_object();
	if (officer) {
		json_object_foreach(r->allowed, cn, v)
			json_object_set_new(s->case_docs, cn, json_null());
	} else {
		char **nums = NULL;
		int n = 0, i;

		if (kt_catalog_case_numbers(c, &nums, &n) != KT_OK) {
			*msg = "cannot read the case numbers";
			return KT_FAILED;
		}
		for (i = 0; i < n; i++)
			json_object_set_new(s->case_docs, nums[i], json_null());
		kt_catalog_strings_free(&nums, n);
	}
	json_object_foreach(s->case_docs, cn, v) {
		if ((ids = docs_of_case(c, cn)) == NULL) {
			*msg = "cannot read the documents of a case";
			return KT_FAILED;
		}
		json_object_set_new(s->case_docs, cn, ids);
	}
	if (!officer && !s->fvals[3])
		return KT_OK;
	/* an officer: the documents of their cases; a case filter: of that
	 * case, which an officer must be allowed (else nothing) */
	s->only = json_object();
	json_object_foreach(s->case_docs, cn, ids) {
		if (s->fvals[3] && strcmp(s->fvals[3], cn) != 0)
			continue;
		json_array_foreach(ids, k, id) {
			snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
			json_object_set_new(s->only, key, json_true());
		}
	}
	return KT_OK;
}

/* The index's facets (type, year, lang, doc) into s->facets: the first three
 * as they are, "case" made from "doc" (the matching pages of each document)
 * and the documents of each case the user may read. */
static void take_facets(search *s, const kt_index_hits *hits)
{
	json_t *per_doc = json_object(), *ids, *id;
	const char *cn;
	char key[32];
	int f, i;
	size_t k;

	for (f = 0; f < hits->n_facets; f++) {
		const kt_index_facet *fc = &hits->facets[f];
		json_t *into = strcmp(fc->name, "doc") == 0 ? per_doc : json_object_get(s->facets, fc->name);

		for (i = 0; into && i < fc->n; i++)
			json_object_set_new(into, fc->values[i].value, json_integer(fc->values[i].count));
	}
	json_object_foreach(s->case_docs, cn, ids) {
		json_int_t n = 0;

		json_array_foreach(ids, k, id) {
			snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
			n += json_integer_value(json_object_get(per_doc, key));
		}
		if (n > 0)
			json_object_set_new(json_object_get(s->facets, "case"), cn, json_integer(n));
	}
	json_decref(per_doc);
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

/* Search the index, restricted to the documents the user may read (and the
 * case filter lets through), so that the index pages, counts and facets
 * over those only; keep the page of hits shown. KT_OK, or KT_FAILED with
 * the message in *msg (borrowed). */
static int run_search(web_req *r, search *s, const char **msg)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	kt_index_search_opts o = { .flags = KT_INDEX_FACETS | KT_INDEX_FACET_DOCS };
	kt_index_hits *hits = NULL;
	kt_buf query = KT_BUF_INIT;
	long long *ids = NULL;
	const char *key;
	json_t *v;
	kt_index *ix;
	int i, rc = KT_OK;

	if (plan_search(r, s, msg) != KT_OK)
		return KT_FAILED;
	rc |= kt_buf_puts(&query, s->q ? s->q : "");
	if (s->fvals[0])
		rc |= kt_buf_printf(&query, " type:%s", s->fvals[0]);
	if (s->fvals[1])
		rc |= kt_buf_printf(&query, " lang:%s", s->fvals[1]);
	if (s->fvals[2])
		rc |= kt_buf_printf(&query, " date:%s", s->fvals[2]);
	if (s->only) {
		o.only_docs = 1;
		ids = calloc(json_object_size(s->only) + 1, sizeof *ids);
		if (ids == NULL)
			rc = KT_FATAL;
		json_object_foreach(s->only, key, v)
			if (ids)
				ids[o.n_doc_ids++] = strtoll(key, NULL, 10);
		o.doc_ids = ids;
	}
	if (rc != KT_OK) {
		kt_buf_release(&query);
		free(ids);
		*msg = "out of memory";
		return KT_FAILED;
	}
	ix = kt_store_index(r->w->store, &s->err);
	rc = ix ? kt_index_search_with(ix, kt_buf_cstr(&query), (int)s->start, WEB_PER_PAGE, &o, &hits)
		: KT_FAILED;
	kt_buf_release(&query);
	free(ids);
	if (rc < KT_WARN) {
		*msg = ix ? kt_index_errmsg(ix) : s->err.msg;
		return KT_FAILED;
	}
	/* KT_WARN: parts of the query left out, the rest ran */
	for (i = 0; i < hits->n_warnings; i++)
		json_array_append_new(s->warnings, json_string(hits->warnings[i]));
	s->total = (long)hits->estimated_total;
	take_facets(s, hits);
	for (i = 0; i < hits->n; i++) {
		const kt_index_hit *hit = &hits->hits[i];

		/* a page the catalog no longer has (the index not yet caught up) */
		if (doc_of(s, c, hit->doc_id) == NULL)
			continue;
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

/* Hit i of the page shown and its document (borrowed). */
static json_t *hit_doc(const search *s, size_t i, const kt_doc **doc)
{
	json_t *hit = json_array_get(s->kept, i);
	char key[32];

	snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(hit, "doc")));
	*doc = s->docs[json_integer_value(json_object_get(s->doc_at, key))];
	return hit;
}

static int answer_json(web_req *r, search *s, long total)
{
	json_t *out = json_array(), *facets = s->facets;
	size_t i, k;

	for (i = 0; i < json_array_size(s->kept); i++) {
		const kt_doc *doc;
		json_t *hit = hit_doc(s, i, &doc), *cases = json_array();
		char *source = kt_doc_source_escape(doc);

		/* an officer sees only their own cases' numbers */
		for (k = 0; k < doc->n_links; k++)
			if (doc->links[k].case_number && web_may_read_case(r, doc->links[k].case_number))
				json_array_append_new(cases, json_string(doc->links[k].case_number));
		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:o?, s:o?, s:o, s:O}",
			"id", json_object_get(hit, "doc"), "page", json_object_get(hit, "page"),
			"score", json_object_get(hit, "score"), "source", source ? json_string(source) : NULL,
			"doc_type", doc->meta.doc_type ? json_string(doc->meta.doc_type) : NULL,
			"cases", cases, "snippet", json_object_get(hit, "snippet")));
		free(source);
	}
	s->facets = NULL;
	return web_send_json(r, 200, json_pack("{s:I, s:I, s:o, s:o, s:O}", "total", (json_int_t)total,
					       "offset", (json_int_t)s->start, "hits", out,
					       "facets", facets, "warnings", s->warnings));
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
	for (i = 0; (size_t)i < json_array_size(s->warnings); i++) {
		html_puts(&h, "<p class=\"notice error\" role=\"status\">Left out of the search: ");
		html_text(&h, json_string_value(json_array_get(s->warnings, (size_t)i)));
		html_puts(&h, "</p>");
	}
	html_puts(&h, "<div class=\"results\">");
	html_facets(&h, s);
	html_printf(&h, "<section><p class=\"total\">%ld hit%s</p><ol start=\"%ld\">", total,
		    total == 1 ? "" : "s", s->start + 1);
	for (i = 0; (size_t)i < json_array_size(s->kept); i++) {
		const kt_doc *doc;
		json_t *hit = hit_doc(s, (size_t)i, &doc);
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
	s.warnings = json_array();
	s.facets = json_pack("{s:{}, s:{}, s:{}, s:{}}", "type", "lang", "year", "case");
	if (s.searched && run_search(r, &s, &msg) != KT_OK) {
		ret = web_error(r, 400, msg);
		goto out;
	}
	total = s.total;
	/* the audit row comes before any result leaves */
	if (s.searched && audit_search(r, &s, total) != KT_OK)
		ret = web_error(r, 500, "cannot write the audit log");
	else if (r->api)
		ret = answer_json(r, &s, total);
	else
		ret = answer_html(r, &s, total);
out:
	json_decref(s.only);
	json_decref(s.case_docs);
	json_decref(s.doc_at);
	for (i = 0; (size_t)i < s.n_docs; i++)
		kt_doc_free(&s.docs[i]);
	free(s.docs);
	json_decref(s.kept);
	json_decref(s.facets);
	json_decref(s.warnings);
	return ret;
}
