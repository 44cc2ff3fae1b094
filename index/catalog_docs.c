/*
 * catalog_docs.c - documents, their pages and their extracted fields in the
 * catalog (tables documents, pages, fields): reserve, done and failed as a
 * batch goes, lookups by SHA-256, resolving a DOC argument (id or SHA-256
 * prefix), lists of ids, the document record (kt_catalog_doc_get and its
 * JSON form), and putting a document back from its package for rebuild.
 */
#include "catalog_private.h"
#include "kt_text.h"

#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------- documents */

/* The status a documents.status value stands for (the CHECK constraint
 * allows 'processing', 'done' and 'failed'); KT_DOC_NONE for NULL. */
static enum kt_doc_status status_of(const unsigned char *s)
{
	if (s == NULL)
		return KT_DOC_NONE;
	if (strcmp((const char *)s, "done") == 0)
		return KT_DOC_DONE;
	if (strcmp((const char *)s, "failed") == 0)
		return KT_DOC_FAILED;
	return KT_DOC_PROCESSING;
}

int kt_catalog_doc_find(kt_catalog *c, const char *sha256, long long *id,
			enum kt_doc_status *status, char **reason)
{
	/* a file that separator sheets divide: its first part, written last */
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT id, status, error FROM documents WHERE sha256=?"
				       " ORDER BY part LIMIT 1", "s", sha256);
	int rc;

	*id = 0;
	*status = KT_DOC_NONE;
	if (reason)
		*reason = NULL;
	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*status = status_of(sqlite3_column_text(st, 1));
		if (reason)
			*reason = kt_cat_col_strdup(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kt_cat_fail(c, "look a document up");
	return KT_OK;
}

int kt_catalog_doc_reserve(kt_catalog *c, const char *sha256, const char *source,
			   size_t source_len, const char *format, long long batch_id,
			   long long *id)
{
	char now[21];
	enum kt_doc_status s;
	int rc;

	kt_now_iso(now);
	/* known: the whole file's row, or its first part's */
	if ((rc = kt_catalog_doc_find(c, sha256, id, &s, NULL)) != KT_OK)
		return rc;
	if (*id != 0)
		return kt_cat_do(c, "reserve a document",
			"UPDATE documents SET status='processing', error=NULL, source=?, format=?,"
			" batch_id=? WHERE id=?", "bsii", source, source_len, format, batch_id, *id);
	rc = kt_cat_do(c, "reserve a document",
		"INSERT INTO documents(sha256, source, format, status, batch_id, ingested)"
		" VALUES (?,?,?,'processing',?,?)",
		"sbsis", sha256, source, source_len, format, batch_id, now);
	if (rc != KT_OK)
		return rc;
	return kt_catalog_doc_find(c, sha256, id, &s, NULL);
}

int kt_catalog_doc_part(kt_catalog *c, long long id, const kt_doc *part)
{
	return kt_cat_do(c, "record a part of a file",
			 "UPDATE documents SET part=?, parts=?, first_page=?, last_page=?, separator=?"
			 " WHERE id=?", "iiiisi", (long long)part->part, (long long)part->parts,
			 (long long)part->first_page, (long long)part->last_page, part->separator, id);
}

int kt_catalog_part_reserve(kt_catalog *c, long long whole, const kt_doc *part,
			    long long *id, enum kt_doc_status *status)
{
	sqlite3_stmt *st;
	char now[21];
	int rc;

	*id = 0;
	*status = KT_DOC_NONE;
	kt_now_iso(now);
	/* a part written before (a batch killed after it) stays done */
	rc = kt_cat_do(c, "reserve a part of a file",
		"INSERT INTO documents(sha256, source, format, status, batch_id, ingested, part,"
		" parts, first_page, last_page, separator)"
		" SELECT sha256, source, format, 'processing', batch_id, ?, ?, ?, ?, ?, ?"
		" FROM documents WHERE id=?"
		" ON CONFLICT(sha256, part) DO UPDATE SET"
		" status=CASE WHEN status='done' THEN 'done' ELSE 'processing' END, error=NULL,"
		" source=excluded.source, format=excluded.format, batch_id=excluded.batch_id,"
		" parts=excluded.parts, first_page=excluded.first_page, last_page=excluded.last_page,"
		" separator=excluded.separator", "siiiisi", now, (long long)part->part,
		(long long)part->parts, (long long)part->first_page, (long long)part->last_page,
		part->separator, whole);
	if (rc != KT_OK)
		return rc;
	st = kt_cat_prep(c, "SELECT d.id, d.status FROM documents d JOIN documents w"
			 " ON w.sha256=d.sha256 WHERE w.id=? AND d.part=?", "ii", whole,
			 (long long)part->part);
	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*status = status_of(sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? kt_error_set(&c->err, KT_FATAL, "catalog: no document %lld"
							" to reserve a part of", whole)
					 : kt_cat_fail(c, "reserve a part of a file");
	return KT_OK;
}

int kt_catalog_doc_fail(kt_catalog *c, long long id, const char *reason)
{
	return kt_cat_do(c, "record a failure",
			 "UPDATE documents SET status='failed', error=?, indexed=0 WHERE id=?",
			 "si", reason, id);
}

/* One row of the fields table (a value already there is kept). */
static int put_field(kt_catalog *c, long long id, const char *kind, const char *value)
{
	return kt_cat_do(c, "store a field",
			 "INSERT OR IGNORE INTO fields(doc_id, kind, value) VALUES (?,?,?)",
			 "iss", id, kind, value);
}

/* The fields of a document from its metadata (borrowed): case numbers,
 * personal codes, dates and the document type. */
static int put_fields(kt_catalog *c, long long id, const kt_doc_meta *metadata)
{
	const struct { const kt_strv *list; const char *kind; } lists[] = {
		{ &metadata->case_numbers, "case_number" },
		{ &metadata->personal_codes, "personal_code" },
		{ &metadata->dates, "date" },
	};
	size_t i, j;
	int rc;

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		for (j = 0; j < lists[i].list->n; j++)
			if ((rc = put_field(c, id, lists[i].kind, lists[i].list->v[j])) != KT_OK)
				return rc;
	if (metadata->doc_type != NULL)
		return put_field(c, id, "doc_type", metadata->doc_type);
	return KT_OK;
}

/* The metadata as the documents.metadata column keeps it: the JSON form
 * (kt_doc_meta_to_json), compact, keys sorted. malloc'd; NULL when out of
 * memory. */
static char *meta_text(const kt_doc_meta *metadata)
{
	json_t *j = kt_doc_meta_to_json(metadata);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(j);
	return s;
}

/* Delete the pages, fields and case links of a document, which is then
 * written anew (inside the caller's transaction). */
static int clear_rows(kt_catalog *c, long long id)
{
	int rc = kt_cat_do(c, "replace pages", "DELETE FROM pages WHERE doc_id=?", "i", id);

	if (rc == KT_OK)
		rc = kt_cat_do(c, "replace fields", "DELETE FROM fields WHERE doc_id=?", "i", id);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "replace links", "DELETE FROM links WHERE doc_id=?", "i", id);
	return rc;
}

/* One row of pages; quality the page's paper, ink, cut words and edges
 * (ink below 0 stored NULL), NULL when not measured (all four NULL). */
static int put_page(kt_catalog *c, const char *what, long long id, int n, int rotation, double skew,
		    int blank, const char *lang, int confidence, const char *text,
		    const char *text_source, const int *quality)
{
	return kt_cat_do(c, what, "INSERT INTO pages(doc_id, n, rotation, skew, blank, lang,"
			 " confidence, text, text_source, paper, ink, cut_words, cut_edges)"
			 " VALUES (?,?,?,?,?,?,?,?,?,nullif(?,-1),nullif(?,-1),nullif(?,-1),nullif(?,-1))",
			 "iiidisissiiii", id, (long long)n, (long long)rotation, skew, (long long)blank,
			 lang ? lang : "", (long long)confidence, text ? text : "", text_source,
			 (long long)(quality ? quality[0] : -1),
			 (long long)(quality && quality[1] >= 0 ? quality[1] : -1),
			 (long long)(quality ? quality[2] : -1), (long long)(quality ? quality[3] : -1));
}

int kt_catalog_doc_done(kt_catalog *c, long long id, const char *format, const char *package,
			const kt_doc_version *version,
			const kt_doc_meta *metadata, const kt_catalog_page *pages, int npages)
{
	int package_version = version ? version->version : 0;
	char *meta = meta_text(metadata);
	int rc, i;

	if (meta == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	rc = kt_cat_begin(c);
	if (rc == KT_OK)
		rc = clear_rows(c, id);
	for (i = 0; rc == KT_OK && i < npages; i++) {
		const kt_catalog_page *p = &pages[i];

		rc = put_page(c, "store a page", id, p->n, p->rotation, p->skew, p->blank, p->lang,
			      p->confidence, p->text, p->text_source, p->measured ?
			      (const int[4]){ p->paper, p->ink, p->cut_words, p->cut_edges } : NULL);
	}
	if (rc == KT_OK)
		rc = put_fields(c, id, metadata);
	if (rc == KT_OK)
		rc = kt_cat_dups_doc(c, id, pages, npages);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "mark the document done",
			       "UPDATE documents SET status='done', error=NULL, package=?,"
			       " package_version=?, metadata=?, indexed=0, format=coalesce(?, format)"
			       " WHERE id=?", "sissi",
			       package, (long long)package_version, meta, format, id);
	if (rc == KT_OK && package != NULL && package_version > 0)
		rc = kt_cat_version_put(c, id, package_version, package, version->created,
					version->reason);
	if (rc == KT_OK)
		rc = kt_cat_link_docs(c, id);
	free(meta);
	return kt_cat_end(c, rc);
}

int kt_catalog_doc_set_indexed(kt_catalog *c, long long id)
{
	return kt_cat_do(c, "mark indexed", "UPDATE documents SET indexed=1 WHERE id=?", "i", id);
}

static int is_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
			return 0;
	return 1;
}

int kt_catalog_doc_resolve(kt_catalog *c, const char *arg, long long *id)
{
	sqlite3_stmt *st;
	char pattern[80];
	size_t len = strlen(arg), i;
	int n = 0, all_digits = len > 0 && len < 19;

	*id = 0;
	for (i = 0; i < len; i++)
		if (arg[i] < '0' || arg[i] > '9')
			all_digits = 0;
	if (all_digits) {
		st = kt_cat_prep(c, "SELECT id FROM documents WHERE id=?", "i", atoll(arg));
		if (st == NULL)
			return c->err.code;
		if (sqlite3_step(st) == SQLITE_ROW)
			*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (*id != 0)
			return KT_OK;
	}
	if (len < 4 || len > 64 || !is_hex(arg))
		return kt_error_set(&c->err, KT_FAILED,
				    "no document '%s': give an id or at least 4 hex digits of its SHA-256", arg);
	for (i = 0; i < len; i++)
		pattern[i] = (char)((arg[i] >= 'A' && arg[i] <= 'F') ? arg[i] + 32 : arg[i]);
	pattern[len] = '%';
	pattern[len + 1] = '\0';
	st = kt_cat_prep(c, "SELECT id FROM documents WHERE sha256 LIKE ? LIMIT 2", "s", pattern);
	if (st == NULL)
		return c->err.code;
	while (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		n++;
	}
	sqlite3_finalize(st);
	if (n == 0)
		return kt_error_set(&c->err, KT_FAILED, "no document '%s'", arg);
	if (n > 1) {
		*id = 0;
		return kt_error_set(&c->err, KT_FAILED, "'%s' names more than one document: give more digits", arg);
	}
	return KT_OK;
}

/* A column's text into the owned *slot (NULL stays NULL). */
static int col_set(kt_catalog *c, sqlite3_stmt *st, int i, char **slot)
{
	if (kt_doc_str_set(slot, (const char *)sqlite3_column_text(st, i)) != KT_OK)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	return KT_OK;
}

/* The pages and the case links of document d->id into d. */
static int doc_get_rows(kt_catalog *c, kt_doc *d)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT n, rotation, skew, blank, lang, confidence, text,"
				       " text_source, paper, coalesce(ink, -1), cut_words, cut_edges"
				       " FROM pages WHERE doc_id=? ORDER BY n", "i", d->id);
	int rc = st ? KT_OK : c->err.code, step;

	while (rc == KT_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		kt_doc_page *p = kt_doc_add_page(d);

		if (p == NULL) {
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
			break;
		}
		p->n = sqlite3_column_int(st, 0);
		p->rotation = sqlite3_column_int(st, 1);
		p->skew = sqlite3_column_double(st, 2);
		p->blank = sqlite3_column_int(st, 3) != 0;
		p->confidence = sqlite3_column_int(st, 5);
		p->measured = sqlite3_column_type(st, 8) != SQLITE_NULL;
		p->paper = sqlite3_column_int(st, 8);
		p->ink = sqlite3_column_int(st, 9);
		p->cut_words = sqlite3_column_int(st, 10);
		p->cut_edges = sqlite3_column_int(st, 11);
		if ((rc = col_set(c, st, 4, &p->lang)) == KT_OK)
			rc = col_set(c, st, 6, &p->text);
		if (rc == KT_OK)
			rc = col_set(c, st, 7, &p->text_source);
	}
	sqlite3_finalize(st);
	if (rc != KT_OK)
		return rc;
	d->has_links = 1;
	st = kt_cat_prep(c, "SELECT case_number, evidence, rule, confidence, state, decided_by,"
			 " decided_at FROM case_links WHERE doc_id=? ORDER BY case_number", "i", d->id);
	rc = st ? KT_OK : c->err.code;
	while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW) {
		kt_doc_link *l;

		if (kt_doc_add_link(d, (const char *)sqlite3_column_text(st, 0),
				    (const char *)sqlite3_column_text(st, 1)) != KT_OK) {
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
			break;
		}
		l = &d->links[d->n_links - 1];
		l->confidence = sqlite3_column_double(st, 3);
		if ((rc = col_set(c, st, 2, &l->rule)) == KT_OK &&
		    (rc = col_set(c, st, 4, &l->state)) == KT_OK &&
		    (rc = col_set(c, st, 5, &l->decided_by)) == KT_OK)
			rc = col_set(c, st, 6, &l->decided_at);
	}
	sqlite3_finalize(st);
	return rc;
}

int kt_catalog_doc_get(kt_catalog *c, long long id, kt_doc **out)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT sha256, source, status, error, metadata, format,"
				       " package, package_version, b.name, d.ingested, d.part, d.parts,"
				       " d.first_page, d.last_page, d.separator FROM documents d"
				       " LEFT JOIN batches b ON b.id=d.batch_id WHERE d.id=?", "i", id);
	kt_doc *d;
	json_t *meta = NULL;
	const unsigned char *m;
	int rc = KT_OK;

	*out = NULL;
	if (st == NULL)
		return c->err.code;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return kt_error_set(&c->err, KT_FAILED, "no document %lld", id);
	}
	if ((d = kt_doc_new()) == NULL ||
	    kt_doc_set_source(d, sqlite3_column_blob(st, 1) ? sqlite3_column_blob(st, 1) : "",
			      (size_t)sqlite3_column_bytes(st, 1)) != KT_OK)
		rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
	if (rc == KT_OK) {
		d->id = id;
		d->status = kt_doc_status_of((const char *)sqlite3_column_text(st, 2));
		rc = col_set(c, st, 0, &d->sha256);
	}
	if (rc == KT_OK)
		rc = col_set(c, st, 3, &d->error);
	if (rc == KT_OK)
		rc = col_set(c, st, 5, &d->format);
	if (rc == KT_OK)
		rc = col_set(c, st, 8, &d->batch);
	if (rc == KT_OK)
		rc = col_set(c, st, 9, &d->ingested);
	if (rc == KT_OK && sqlite3_column_int(st, 10) > 0) {
		d->part = sqlite3_column_int(st, 10);
		d->parts = sqlite3_column_int(st, 11);
		d->first_page = sqlite3_column_int(st, 12);
		d->last_page = sqlite3_column_int(st, 13);
		rc = col_set(c, st, 14, &d->separator);
	}
	if (rc == KT_OK && sqlite3_column_type(st, 6) != SQLITE_NULL) {
		d->package_version = sqlite3_column_int(st, 7);
		rc = col_set(c, st, 6, &d->package);
	}
	m = sqlite3_column_text(st, 4);
	if (rc == KT_OK && m != NULL)
		meta = json_loads((const char *)m, 0, NULL);
	sqlite3_finalize(st);
	if (rc == KT_OK && meta != NULL) {
		kt_error e = { 0 };

		if ((rc = kt_doc_meta_from_json(meta, &d->meta, &e)) != KT_OK)
			kt_error_set(&c->err, rc, "document %lld: %s", id, e.msg);
	}
	json_decref(meta);
	if (rc == KT_OK)
		rc = doc_get_rows(c, d);
	if (rc == KT_OK)
		rc = kt_cat_versions_get(c, d);
	if (rc == KT_OK)
		rc = kt_cat_corrections_get(c, d);
	/* a catalog restored without its versions: the current package is one */
	if (rc == KT_OK && d->n_versions == 0 && d->package != NULL &&
	    kt_doc_add_version(d, d->package_version, d->package) != KT_OK)
		rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
	if (rc != KT_OK) {
		kt_doc_free(&d);
		return rc;
	}
	*out = d;
	return KT_OK;
}

json_t *kt_catalog_doc_json(kt_catalog *c, long long id)
{
	kt_doc *d = NULL;
	json_t *j;

	if (kt_catalog_doc_get(c, id, &d) != KT_OK)
		return NULL;
	j = kt_doc_to_json(d);
	kt_doc_free(&d);
	if (j == NULL)
		kt_error_set(&c->err, KT_FATAL, "out of memory");
	return j;
}

int kt_catalog_doc_ids(kt_catalog *c, const char *which, long long **ids, int *n)
{
	const char *sql =
		strcmp(which, "done") == 0 ? "SELECT id FROM documents WHERE status='done' ORDER BY id" :
		strcmp(which, "unindexed") == 0 ? "SELECT id FROM documents WHERE status='done' AND indexed=0 ORDER BY id" :
		strcmp(which, "packaged") == 0 ? "SELECT id FROM documents WHERE status='done' AND package IS NOT NULL ORDER BY id" :
		"SELECT id FROM documents ORDER BY id";

	return kt_cat_collect_ids(c, kt_cat_prep(c, sql, ""), ids, n);
}

int kt_catalog_doc_package(kt_catalog *c, long long id, char **package)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT package FROM documents WHERE id=?", "i", id);

	*package = NULL;
	if (st == NULL)
		return c->err.code;
	if (sqlite3_step(st) == SQLITE_ROW)
		*package = kt_cat_col_strdup(st, 0);
	sqlite3_finalize(st);
	if (*package == NULL)
		return kt_error_set(&c->err, KT_FAILED, "document %lld has no archive package", id);
	return KT_OK;
}

/* ------------------------------------------------------------- rebuild */

/* The record's pages compared with the others' (kt_cat_dups_doc). */
static int restore_dups(kt_catalog *c, long long id, const kt_doc *record)
{
	kt_catalog_page *pages = calloc(record->n_pages + 1, sizeof *pages);
	size_t i;
	int rc;

	if (pages == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	for (i = 0; i < record->n_pages; i++)
		pages[i] = (kt_catalog_page){ .n = record->pages[i].n, .blank = record->pages[i].blank,
					      .text = record->pages[i].text };
	rc = kt_cat_dups_doc(c, id, pages, (int)record->n_pages);
	free(pages);
	return rc;
}

int kt_catalog_doc_restore(kt_catalog *c, const kt_doc *record, const char *package,
			   int package_version)
{
	long long id = record->id, batch_id = 0, other = 0;
	const char *sha = record->sha256, *batch = record->batch;
	char *meta_s = NULL;
	size_t i;
	sqlite3_stmt *st;
	int rc;

	if (id <= 0 || sha == NULL || record->source == NULL)
		return kt_error_set(&c->err, KT_FAILED,
				    "package '%s': its document record lacks id, sha256, source or pages",
				    package ? package : "");
	meta_s = meta_text(&record->meta);
	if (meta_s == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	rc = kt_cat_begin(c);
	/* the same bytes under another id: the archive contradicts itself */
	if (rc == KT_OK) {
		st = kt_cat_prep(c, "SELECT id FROM documents WHERE sha256=? AND part=? AND id<>?",
				 "sii", sha, (long long)record->part, id);
		if (st == NULL)
			rc = c->err.code;
		else if (sqlite3_step(st) == SQLITE_ROW)
			other = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc == KT_OK && other != 0)
			rc = kt_error_set(&c->err, KT_FAILED, "package '%s': document %lld has the SHA-256 of"
					  " document %lld", package ? package : "", id, other);
	}
	if (rc == KT_OK && batch != NULL) {
		st = kt_cat_prep(c, "SELECT id FROM batches WHERE name=? ORDER BY id LIMIT 1", "s", batch);
		if (st == NULL)
			rc = c->err.code;
		else if (sqlite3_step(st) == SQLITE_ROW)
			batch_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc == KT_OK && batch_id == 0) {
			char now[21];

			kt_now_iso(now);
			rc = kt_cat_do(c, "recreate a batch", "INSERT INTO batches(name, root, started,"
				       " ended) VALUES (?,NULL,?,?)", "sss", batch, now, now);
			batch_id = sqlite3_last_insert_rowid(c->db);
		}
	}
	if (rc == KT_OK)
		rc = clear_rows(c, id);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "restore a document",
			"INSERT INTO documents(id, sha256, source, format, status, batch_id, package,"
			" package_version, metadata, indexed) VALUES (?,?,?,?,'done',nullif(?,0),?,?,?,0)"
			" ON CONFLICT(id) DO UPDATE SET sha256=excluded.sha256, source=excluded.source,"
			" format=excluded.format, status='done', error=NULL, batch_id=excluded.batch_id,"
			" package=excluded.package, package_version=excluded.package_version,"
			" metadata=excluded.metadata, indexed=0", "isbsisis",
			id, sha, record->source, record->source_len, record->format,
			batch_id, package, (long long)package_version, meta_s);
	if (rc == KT_OK && record->part > 0)
		rc = kt_catalog_doc_part(c, id, record);
	for (i = 0; rc == KT_OK && i < record->n_pages; i++) {
		const kt_doc_page *p = &record->pages[i];

		rc = put_page(c, "restore a page", id, p->n, p->rotation, p->skew, p->blank != 0,
			      p->lang, p->confidence, p->text, p->text_source, p->measured ?
			      (const int[4]){ p->paper, p->ink, p->cut_words, p->cut_edges } : NULL);
	}
	if (rc == KT_OK)
		rc = put_fields(c, id, &record->meta);
	if (rc == KT_OK)
		rc = kt_cat_corrections_restore(c, id, record);
	if (rc == KT_OK)
		rc = restore_dups(c, id, record);
	if (rc == KT_OK && batch_id != 0)
		rc = kt_cat_do(c, "count a batch", "UPDATE batches SET"
			       " files=(SELECT count(*) FROM documents WHERE batch_id=batches.id),"
			       " done=(SELECT count(*) FROM documents WHERE batch_id=batches.id)"
			       " WHERE id=?", "i", batch_id);
	if (rc == KT_OK)
		rc = kt_cat_link_docs(c, id);
	free(meta_s);
	return kt_cat_end(c, rc);
}
