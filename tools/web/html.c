/*
 * html.c - the HTML of the web server: the page frame (head, navigation by
 * role, logout form), escaping (text, attribute values, URLs), search
 * snippets and the highlighting of a query's words, written into the core's
 * growable buffer (kt_buf.h).
 *
 * Every string that comes from a document, a case record, a file name or a
 * request is written through html_text, html_attr or html_url, never raw.
 */
#include "web_private.h"

#include "kt_fold.h"

#include "kt_status.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ appends */

static void add(web_html *h, const char *s, size_t n)
{
	if (!h->oom && kt_buf_add(&h->b, s, n) != KT_OK)
		h->oom = 1;
}

void html_puts(web_html *h, const char *s)
{
	add(h, s, strlen(s));
}

void html_printf(web_html *h, const char *fmt, ...)
{
	char tmp[512], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if ((size_t)n < sizeof tmp) {
		add(h, tmp, (size_t)n);
		return;
	}
	/* longer than any markup we write today: format again at full length */
	if ((big = malloc((size_t)n + 1)) == NULL) {
		h->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	add(h, big, (size_t)n);
	free(big);
}

/* ----------------------------------------------------------- escaping */

void html_textn(web_html *h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': html_puts(h, "&amp;"); break;
		case '<': html_puts(h, "&lt;"); break;
		case '>': html_puts(h, "&gt;"); break;
		case '"': html_puts(h, "&quot;"); break;
		case '\'': html_puts(h, "&#39;"); break;
		default: add(h, s + i, 1);
		}
	}
}

void html_text(web_html *h, const char *s)
{
	if (s != NULL)
		html_textn(h, s, strlen(s));
}

void html_attr(web_html *h, const char *s)
{
	html_text(h, s);
}

void html_url(web_html *h, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			add(h, s, 1);
		else
			html_printf(h, "%%%02X", c);
	}
}

/* ------------------------------------------------ snippets, highlights */

void html_snippet(web_html *h, const char *s)
{
	int open = 0;

	while (s && *s) {
		if (!strncmp(s, "\xc2\xab", 2)) {
			if (!open)
				html_puts(h, "<mark>");
			open = 1;
			s += 2;
		} else if (!strncmp(s, "\xc2\xbb", 2)) {
			if (open)
				html_puts(h, "</mark>");
			open = 0;
			s += 2;
		} else {
			html_textn(h, s, 1);
			s++;
		}
	}
	if (open)
		html_puts(h, "</mark>");
}

json_t *html_query_words(const char *q)
{
	json_t *words = json_array();
	char *copy, *tok, *save = NULL;

	if (q == NULL || (copy = strdup(q)) == NULL)
		return words;
	for (tok = strtok_r(copy, " \t\"()+", &save); tok; tok = strtok_r(NULL, " \t\"()+", &save)) {
		if (!strcmp(tok, "AND") || !strcmp(tok, "OR") || !strcmp(tok, "NOT") || tok[0] == '-' ||
		    strchr(tok, ':') || strlen(tok) < 2)
			continue;
		json_array_append_new(words, json_string(tok));
	}
	free(copy);
	return words;
}

/* The query's words folded as the index folds them (kt_fold, lower case):
 * n of them into *out (each malloc'd; NULL when out of memory). */
static char **folded_words(json_t *words, size_t *n)
{
	char **f = calloc(json_array_size(words) + 1, sizeof *f);
	size_t k;
	json_t *w;

	*n = 0;
	if (f == NULL)
		return NULL;
	json_array_foreach(words, k, w) {
		const char *s = json_string_value(w);
		char *x = s ? kt_fold(s, strlen(s), KT_FOLD_LOWER, NULL) : NULL;

		if (x != NULL && x[0] != '\0')
			f[(*n)++] = x;
		else
			free(x);
	}
	return f;
}

void html_highlight(web_html *h, const char *text, json_t *words)
{
	size_t flen = 0, *map = NULL, nw = 0, i = 0, done = 0, k;
	char *ft = text ? kt_fold_map(text, strlen(text), KT_FOLD_LOWER, &flen, &map) : NULL;
	char **fw = ft ? folded_words(words, &nw) : NULL;

	/* A word is marked where the page's folded text holds the query's
	 * folded word, from one character's start to another's: "lemums"
	 * marks "Lēmums" as the search found it. */
	while (fw != NULL && i < flen) {
		size_t best = 0;

		if (i == 0 || map[i] != map[i - 1])
			for (k = 0; k < nw; k++) {
				size_t n = strlen(fw[k]);

				if (n > best && i + n <= flen && memcmp(ft + i, fw[k], n) == 0 &&
				    (i + n == flen || map[i + n] != map[i + n - 1]))
					best = n;
			}
		if (best == 0) {
			i++;
			continue;
		}
		html_textn(h, text + done, map[i] - done);
		html_puts(h, "<mark>");
		html_textn(h, text + map[i], map[i + best] - map[i]);
		html_puts(h, "</mark>");
		done = map[i + best];
		i += best;
	}
	if (text != NULL)
		html_textn(h, text + done, strlen(text) - done);
	for (k = 0; k < nw; k++)
		free(fw[k]);
	free(fw);
	free(map);
	free(ft);
}

/* -------------------------------------------------------- page frame */

void web_page_start(web_req *r, web_html *h, const char *title)
{
	const char *role = r->authed ? r->user.role : "";

	html_puts(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		     "<link rel=\"stylesheet\" href=\"/static/style.css\">"
		     "<script src=\"/static/app.js\" defer></script><title>");
	html_text(h, title);
	html_puts(h, " - kartoteka</title></head><body><header><nav><strong>kartoteka</strong>");
	if (r->authed) {
		if (!strcmp(role, "archivist") || !strcmp(role, "officer"))
			html_puts(h, " <a href=\"/search\">Search</a> <a href=\"/cases\">Cases</a>");
		if (!strcmp(role, "archivist"))
			html_puts(h, " <a href=\"/review\">Review</a>");
		if (!strcmp(role, "operator") || !strcmp(role, "admin"))
			html_puts(h, " <a href=\"/batches\">Batches</a>");
		if (!strcmp(role, "archivist") || !strcmp(role, "admin"))
			html_puts(h, " <a href=\"/erase\">Erasure</a> <a href=\"/holds\">Holds</a>");
		if (!strcmp(role, "admin"))
			html_puts(h, " <a href=\"/audit\">Audit log</a> <a href=\"/users\">Users</a>");
		html_puts(h, "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">"
			     "<span class=\"who\">");
		html_text(h, r->user.name);
		html_puts(h, " (");
		html_text(h, role);
		html_puts(h, ")</span><input type=\"hidden\" name=\"csrf\" value=\"");
		html_attr(h, r->user.csrf);
		html_puts(h, "\"><button type=\"submit\">Log out</button></form>");
	} else {
		html_puts(h, "</nav>");
	}
	html_puts(h, "</header><main>");
}

int web_page_end(web_req *r, web_html *h, unsigned status)
{
	int ret;

	html_puts(h, "</main></body></html>\n");
	if (h->oom)
		ret = web_send(r, 500, "text/plain; charset=utf-8", "out of memory", 13, NULL, NULL, NULL);
	else
		ret = web_send(r, status, "text/html; charset=utf-8", h->b.s, h->b.len, NULL, NULL, NULL);
	kt_buf_release(&h->b);
	return ret;
}

int web_error(web_req *r, unsigned status, const char *msg)
{
	web_html h = WEB_HTML_INIT;

	if (r->api)
		return web_send_json(r, status, json_pack("{s:s}", "error", msg));
	web_page_start(r, &h, "Error");
	html_puts(&h, "<h1>");
	html_printf(&h, "%u", status);
	html_puts(&h, "</h1><p class=\"error\">");
	html_text(&h, msg);
	html_puts(&h, "</p>");
	return web_page_end(r, &h, status);
}
