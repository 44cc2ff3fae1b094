/*
 * catalog_review.c - what people decide about links (table link_decisions)
 * and about pages scanned again (duplicate_decisions), and the review
 * queue: suggestions below the threshold nobody decided on, documents
 * linked to no case, and documents flagged as duplicates nobody decided on
 * (docs/cases.md, "The review queue").
 */
#include "catalog_private.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the query (one row or none) finds a row; -1 on a catalog error. */
static int exists(sqlite3_stmt *st)
{
	int found;

	if (st == NULL)
		return -1;
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The check a decision needs before it is recorded: KT_OK, or KT_FAILED
 * with the reason. */
static int check(kt_catalog *c, long long doc_id, const char *cn, enum kt_link_decision d)
{
	int f = exists(kt_cat_prep(c, "SELECT 1 FROM documents WHERE id=? AND status='done'",
				      "i", doc_id));

	if (f <= 0)
		return f < 0 ? c->err.code
			     : kt_error_set(&c->err, KT_FAILED, "no done document %lld", doc_id);
	if (d == KT_LINK_NONE)
		return KT_OK;
	if (cn == NULL || cn[0] == '\0')
		return kt_error_set(&c->err, KT_FAILED, "no case number given");
	switch (d) {
	case KT_LINK_ACCEPT:
		f = exists(kt_cat_prep(c, "SELECT 1 FROM links WHERE doc_id=? AND case_number=?",
					  "is", doc_id, cn));
		if (f == 0)
			return kt_error_set(&c->err, KT_FAILED, "document %lld has no suggested link to"
					    " case '%s' (link it by hand instead)", doc_id, cn);
		break;
	case KT_LINK_REJECT:
		f = exists(kt_cat_prep(c, "SELECT 1 FROM links WHERE doc_id=? AND case_number=?"
					  " UNION ALL SELECT 1 FROM link_decisions WHERE doc_id=?"
					  " AND case_number=? AND decision='link'",
					  "isis", doc_id, cn, doc_id, cn));
		if (f == 0)
			return kt_error_set(&c->err, KT_FAILED, "document %lld has no link or suggestion"
					    " of case '%s' to reject", doc_id, cn);
		break;
	default:
		f = exists(kt_cat_prep(c, "SELECT 1 FROM cases WHERE case_number=?", "s", cn));
		if (f == 0)
			return kt_error_set(&c->err, KT_FAILED, "no case '%s' in the case records", cn);
	}
	return f < 0 ? c->err.code : KT_OK;
}

int kt_catalog_link_decide(kt_catalog *c, long long doc_id, const char *case_number,
			   enum kt_link_decision decision, const char *user)
{
	static const char *const names[] = { "accept", "reject", "link", "none" };
	char now[21];
	int rc;

	if ((unsigned)decision > KT_LINK_NONE || user == NULL || user[0] == '\0')
		return kt_error_set(&c->err, KT_FAILED, "a decision needs who makes it");
	kt_now_iso(now);
	if ((rc = kt_cat_begin(c)) != KT_OK)
		return rc;
	rc = check(c, doc_id, case_number, decision);
	if (rc == KT_OK && decision == KT_LINK_NONE)
		rc = kt_cat_do(c, "record a decision",
			       "INSERT OR REPLACE INTO link_decisions(doc_id, case_number, decision,"
			       " user, at) SELECT l.doc_id, l.case_number, 'reject', ?, ? FROM links l"
			       " WHERE l.doc_id=? AND l.confidence < " KT_CATALOG_LINK_THRESHOLD_SQL
			       " AND NOT EXISTS (SELECT 1 FROM link_decisions x WHERE"
			       " x.doc_id=l.doc_id AND x.case_number=l.case_number)",
			       "ssi", user, now, doc_id);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "record a decision",
			       "INSERT OR REPLACE INTO link_decisions(doc_id, case_number, decision,"
			       " user, at) VALUES (?,?,?,?,?)", "issss", doc_id,
			       decision == KT_LINK_NONE ? "" : case_number, names[decision], user, now);
	return kt_cat_end(c, rc);
}

int kt_catalog_dup_decide(kt_catalog *c, long long doc_id, long long other, int duplicate,
			  const char *user)
{
	long long later = doc_id > other ? doc_id : other, earlier = doc_id > other ? other : doc_id;
	char now[21];
	int f, rc;

	if (user == NULL || user[0] == '\0')
		return kt_error_set(&c->err, KT_FAILED, "a decision needs who makes it");
	kt_now_iso(now);
	if ((rc = kt_cat_begin(c)) != KT_OK)
		return rc;
	f = exists(kt_cat_prep(c, "SELECT 1 FROM duplicates WHERE doc_id=? AND of_doc=?", "ii", later,
			       earlier));
	if (f < 0)
		rc = c->err.code;
	else if (f == 0)
		rc = kt_error_set(&c->err, KT_FAILED, "documents %lld and %lld are not flagged as"
				  " duplicates", doc_id, other);
	else
		rc = kt_cat_do(c, "record a decision",
			       "INSERT OR REPLACE INTO duplicate_decisions(doc_id, of_doc, decision, user, at)"
			       " VALUES (?,?,?,?,?)", "iisss", later, earlier,
			       duplicate ? "duplicate" : "distinct", user, now);
	return kt_cat_end(c, rc);
}

/* ---------------------------------------------------------------- queue */

/* The columns every entry has: doc_id, source, doc_type, date. */
#define DOC_COLUMNS \
	"d.id, d.source, (SELECT value FROM fields f WHERE f.doc_id=d.id AND f.kind='doc_type')," \
	" (SELECT min(value) FROM fields f WHERE f.doc_id=d.id AND f.kind='date')"

static json_t *entry(kt_catalog *c, sqlite3_stmt *st, const char *reason)
{
	json_t *o = json_object();
	const void *src = sqlite3_column_blob(st, 1);
	char *esc = kt_utf8_escape(src ? src : "", (size_t)sqlite3_column_bytes(st, 1));

	if (o == NULL || esc == NULL) {
		json_decref(o);
		free(esc);
		kt_error_set(&c->err, KT_FATAL, "out of memory");
		return NULL;
	}
	json_object_set_new(o, "doc_id", json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "source", json_string(esc));
	json_object_set_new(o, "doc_type", kt_cat_col_json(st, 2));
	json_object_set_new(o, "date", kt_cat_col_json(st, 3));
	json_object_set_new(o, "reason", json_string(reason));
	free(esc);
	return o;
}

/* An unlinked document's hint: the one case the rest of its paper file is
 * linked to. */
static int paper_hint(kt_catalog *c, sqlite3_stmt *st, json_t *o)
{
	char *cn = NULL, ev[160];
	int linked, total, rc;

	rc = kt_cat_paper_case(c, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
			       (size_t)sqlite3_column_bytes(st, 1), &cn, &linked, &total);
	if (rc != KT_OK || cn == NULL)
		return rc;
	snprintf(ev, sizeof ev, "%d of the %d other documents of its paper file are linked to it,"
		 " the rest to no case", linked, total);
	json_object_set_new(o, "paper_file_case", json_string(cn));
	json_object_set_new(o, "paper_file_evidence", json_string(ev));
	free(cn);
	return KT_OK;
}

json_t *kt_catalog_review_json(kt_catalog *c)
{
	/* suggestions, then the documents with neither a link nor a
	 * suggestion nor a "none" decision, merged in document order */
	sqlite3_stmt *st = kt_cat_prep(c,
		"SELECT " DOC_COLUMNS ", l.case_number, l.rule, l.confidence, l.evidence, 0 AS k,"
		" NULL FROM links l JOIN documents d ON d.id=l.doc_id AND d.status='done'"
		" WHERE l.confidence < " KT_CATALOG_LINK_THRESHOLD_SQL
		" AND NOT EXISTS (SELECT 1 FROM link_decisions x WHERE x.doc_id=l.doc_id"
		"  AND x.case_number=l.case_number)"
		" UNION ALL"
		" SELECT " DOC_COLUMNS ", NULL, NULL, NULL, NULL, 1, NULL FROM documents d"
		" WHERE d.status='done'"
		" AND NOT EXISTS (SELECT 1 FROM case_links v WHERE v.doc_id=d.id)"
		" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.doc_id=d.id AND NOT EXISTS"
		"  (SELECT 1 FROM link_decisions x WHERE x.doc_id=l.doc_id"
		"   AND x.case_number=l.case_number))"
		" AND NOT EXISTS (SELECT 1 FROM link_decisions x WHERE x.doc_id=d.id"
		"  AND x.decision='none')"
		" UNION ALL"
		" SELECT " DOC_COLUMNS ", NULL, 'duplicate', u.similarity, u.evidence, 2, u.of_doc"
		" FROM duplicates u JOIN documents d ON d.id=u.doc_id AND d.status='done'"
		" JOIN documents e ON e.id=u.of_doc AND e.status='done'"
		" WHERE NOT EXISTS (SELECT 1 FROM duplicate_decisions x WHERE x.doc_id=u.doc_id"
		"  AND x.of_doc=u.of_doc)"
		" ORDER BY 1, 9, 7 DESC, 5", "");
	json_t *a = json_array();
	int rc = st && a ? KT_OK : KT_FATAL;

	while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW) {
		static const char *const reasons[] = { "suggestion", "unlinked", "duplicate" };
		int k = sqlite3_column_int(st, 8);
		json_t *o = entry(c, st, reasons[k >= 0 && k <= 2 ? k : 0]);

		if (o == NULL) {
			rc = KT_FATAL;
			break;
		}
		if (k == 1 && rc == KT_OK)
			rc = paper_hint(c, st, o);
		if (k == 2) {
			json_object_set_new(o, "of_doc", json_integer(sqlite3_column_int64(st, 9)));
			json_object_set_new(o, "similarity", json_real(sqlite3_column_double(st, 6)));
			json_object_set_new(o, "evidence", kt_cat_col_json(st, 7));
		} else if (k == 0) {
			json_object_set_new(o, "case_number", kt_cat_col_json(st, 4));
			json_object_set_new(o, "rule", kt_cat_col_json(st, 5));
			json_object_set_new(o, "confidence", json_real(sqlite3_column_double(st, 6)));
			json_object_set_new(o, "evidence", kt_cat_col_json(st, 7));
		}
		json_array_append_new(a, o);
	}
	sqlite3_finalize(st);
	if (rc != KT_OK) {
		json_decref(a);
		if (c->err.code == KT_OK)
			kt_error_set(&c->err, KT_FATAL, "out of memory");
		return NULL;
	}
	return a;
}
