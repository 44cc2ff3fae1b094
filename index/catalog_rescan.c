/*
 * catalog_rescan.c - the pages an operator should scan again (issue 19,
 * `kartoteka batches --rescan`): each done document's pages, read with what
 * was measured when they were recognised (pages.paper, ink, cut_words,
 * cut_edges, confidence), and the reasons a page fails the rules below.
 *
 * The rules (docs/ocr.md, "Pages to rescan"):
 *   - recognition confidence below KT_RESCAN_CONFIDENCE (a page that holds
 *     text, recognised: not blank, not a PDF's own text);
 *   - too dark: the background darker than grey KT_RESCAN_PAPER (of 255);
 *   - too light: the text lighter than grey KT_RESCAN_INK, or less than
 *     KT_RESCAN_CONTRAST levels between text and background;
 *   - text cut at the page's edge: KT_RESCAN_CUT recognised words or more
 *     touch it (the edges named).
 * Pages measured before this (NULL columns) are judged by confidence only.
 */
#include "catalog_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define KT_RESCAN_CONFIDENCE 70
#define KT_RESCAN_PAPER 150
#define KT_RESCAN_INK 130
#define KT_RESCAN_CONTRAST 90
#define KT_RESCAN_CUT 2

static const char *const edge_names[4] = { "left", "top", "right", "bottom" };

/* reason as a JSON string into reasons */
static void __attribute__((format(printf, 2, 3))) add_reason(json_t *reasons, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	json_array_append_new(reasons, json_string(buf));
}

/* "the left and right edges" */
static void cut_reason(json_t *reasons, int words, int edges)
{
	char list[64] = "";
	int i, n = 0, seen = 0;

	for (i = 0; i < 4; i++)
		n += (edges >> i) & 1;
	for (i = 0; i < 4; i++) {
		if (!(edges & (1 << i)))
			continue;
		seen++;
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			 seen == 1 ? "" : seen == n ? " and " : ", ", edge_names[i]);
	}
	add_reason(reasons, "text cut at the %s edge%s (%d words)", list, n > 1 ? "s" : "", words);
}

/* The reasons of the current row (columns: 3 blank, 4 confidence,
 * 5 text_source, 6 paper, 7 ink, 8 cut_words, 9 cut_edges); a new array. */
static json_t *reasons_of(sqlite3_stmt *st)
{
	json_t *r = json_array();
	int blank = sqlite3_column_int(st, 3), conf = sqlite3_column_int(st, 4);
	const char *src = (const char *)sqlite3_column_text(st, 5);
	int measured = sqlite3_column_type(st, 6) != SQLITE_NULL;
	int paper = sqlite3_column_int(st, 6), ink = sqlite3_column_int(st, 7);
	int has_ink = sqlite3_column_type(st, 7) != SQLITE_NULL;

	if (r == NULL)
		return NULL;
	if (!blank && !(src != NULL && strcmp(src, "pdf") == 0) && conf < KT_RESCAN_CONFIDENCE)
		add_reason(r, "low recognition confidence (%d of 100)", conf);
	if (!measured)
		return r;
	if (paper < KT_RESCAN_PAPER)
		add_reason(r, "too dark (background at grey %d of 255)", paper);
	if (!blank && has_ink && ink > KT_RESCAN_INK)
		add_reason(r, "too light (text at grey %d of 255)", ink);
	else if (!blank && has_ink && paper >= KT_RESCAN_PAPER && paper - ink < KT_RESCAN_CONTRAST)
		add_reason(r, "too little contrast (text at grey %d on %d)", ink, paper);
	if (sqlite3_column_int(st, 8) >= KT_RESCAN_CUT)
		cut_reason(r, sqlite3_column_int(st, 8), sqlite3_column_int(st, 9));
	return r;
}

static json_t *cut_json(sqlite3_stmt *st)
{
	json_t *edges = json_array();
	int i, e = sqlite3_column_int(st, 9);

	for (i = 0; edges != NULL && i < 4; i++)
		if (e & (1 << i))
			json_array_append_new(edges, json_string(edge_names[i]));
	return json_pack("{s:i, s:o*}", "words", sqlite3_column_int(st, 8), "edges", edges);
}

/* One listed page of the current row: batch, doc, source, page, reasons
 * and what was measured. New reference; NULL when out of memory. */
static json_t *page_entry(sqlite3_stmt *st, json_t *reasons)
{
	int measured = sqlite3_column_type(st, 6) != SQLITE_NULL;

	return json_pack("{s:o, s:o, s:I, s:o, s:i, s:o, s:i, s:o, s:o, s:o}",
			 "batch_id", sqlite3_column_type(st, 10) == SQLITE_NULL ? json_null() :
			 json_integer(sqlite3_column_int64(st, 10)),
			 "batch", kt_cat_col_json(st, 11),
			 "doc", (json_int_t)sqlite3_column_int64(st, 0),
			 "source", kt_cat_col_blob_json(st, 1),
			 "page", sqlite3_column_int(st, 2),
			 "reasons", reasons,
			 "confidence", sqlite3_column_int(st, 4),
			 "paper", measured ? json_integer(sqlite3_column_int(st, 6)) : json_null(),
			 "ink", sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() :
			 json_integer(sqlite3_column_int(st, 7)),
			 "cut", measured ? cut_json(st) : json_null());
}

json_t *kt_catalog_rescan_json(kt_catalog *c, long long batch_id)
{
	json_t *out = json_array();
	sqlite3_stmt *st = kt_cat_prep(c,
		"SELECT d.id, d.source, p.n, p.blank, p.confidence, p.text_source, p.paper,"
		" p.ink, p.cut_words, p.cut_edges, d.batch_id, b.name"
		" FROM pages p JOIN documents d ON d.id = p.doc_id"
		" LEFT JOIN batches b ON b.id = d.batch_id"
		" WHERE d.status = 'done' AND (?1 = 0 OR d.batch_id = ?1)"
		" ORDER BY d.batch_id, d.id, p.n", "i", batch_id);
	int rc;

	if (st == NULL || out == NULL) {
		sqlite3_finalize(st);
		json_decref(out);
		if (st != NULL)
			kt_error_set(&c->err, KT_FATAL, "out of memory");
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *reasons = reasons_of(st), *e;

		if (reasons != NULL && json_array_size(reasons) == 0) {
			json_decref(reasons);
			continue;
		}
		e = reasons ? page_entry(st, reasons) : NULL;
		if (e == NULL || json_array_append_new(out, e) != 0)
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(out);
		if (rc == SQLITE_ROW)
			kt_error_set(&c->err, KT_FATAL, "out of memory");
		else
			kt_error_set(&c->err, KT_FATAL, "catalog: cannot list the pages to rescan: %s",
				     sqlite3_errmsg(c->db));
		return NULL;
	}
	return out;
}
