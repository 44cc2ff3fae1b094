/*
 * catalog_sqlite.c - kt_catalog.h on SQLite: the one file that talks to SQLite.
 *
 * WAL journal with synchronous=FULL: a committed row survives a power cut,
 * readers (search, serve) are not blocked by the batch that writes.
 */
#include "kt_catalog.h"
#include "kt_text.h"
#include "cases_csv.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct kt_catalog {
	sqlite3 *db;
	kt_error err;
};

static const char *const schema[] = {
	/* version 1 */
	"CREATE TABLE batches("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, root TEXT,"
	" started TEXT NOT NULL, ended TEXT,"
	" files INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,"
	" skipped INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE documents("
	" id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, source BLOB NOT NULL,"
	" format TEXT, status TEXT NOT NULL CHECK (status IN ('processing','done','failed')),"
	" error TEXT, batch_id INTEGER REFERENCES batches(id), package TEXT,"
	" package_version INTEGER NOT NULL DEFAULT 0, metadata TEXT, ingested TEXT,"
	" indexed INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE pages("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL, rotation INTEGER NOT NULL, skew REAL NOT NULL,"
	" blank INTEGER NOT NULL, lang TEXT NOT NULL, confidence INTEGER NOT NULL,"
	" text TEXT NOT NULL, PRIMARY KEY (doc_id, n));"
	"CREATE TABLE fields("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (doc_id, kind, value));"
	"CREATE INDEX fields_by_value ON fields(kind, value);"
	"CREATE TABLE cases("
	" case_number TEXT PRIMARY KEY, personal_code TEXT, surname TEXT, given_names TEXT,"
	" birth_date TEXT, nationality TEXT, case_type TEXT, status TEXT, extra TEXT,"
	" imported TEXT NOT NULL);"
	"CREATE INDEX cases_by_code ON cases(personal_code);"
	"CREATE TABLE links("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" case_number TEXT NOT NULL, evidence TEXT NOT NULL,"
	" PRIMARY KEY (doc_id, case_number));"
	"CREATE TABLE batch_files("
	" batch_id INTEGER NOT NULL REFERENCES batches(id), source BLOB NOT NULL,"
	" doc_id INTEGER, outcome TEXT NOT NULL, reason TEXT, at TEXT NOT NULL);"
	"CREATE INDEX batch_files_by_batch ON batch_files(batch_id);",
	/* version 2: fixity audits of archive packages (kartoteka verify) */
	"CREATE TABLE fixity_checks("
	" id INTEGER PRIMARY KEY, package TEXT NOT NULL, doc_id INTEGER,"
	" checked TEXT NOT NULL, result TEXT NOT NULL CHECK (result IN ('pass','fail')),"
	" problems TEXT NOT NULL, event TEXT);"
	"CREATE INDEX fixity_checks_by_package ON fixity_checks(package, checked);",
};

static int db_fail(kt_catalog *c, const char *what)
{
	return kt_error_set(&c->err, KT_FATAL, "catalog: cannot %s: %s", what, sqlite3_errmsg(c->db));
}

static int exec(kt_catalog *c, const char *sql, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kt_error_set(&c->err, KT_FATAL, "catalog: cannot %s: %s", what, msg ? msg : "?");
		sqlite3_free(msg);
		return KT_FATAL;
	}
	return KT_OK;
}

/* Prepare a statement; binds follow the format: i = long long, s = text
 * (NULL binds NULL), b = blob (pointer, size_t). */
static sqlite3_stmt *prep(kt_catalog *c, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int i, rc = SQLITE_OK;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(c, "prepare a query");
		return NULL;
	}
	va_start(ap, fmt);
	for (i = 0; fmt[i] && rc == SQLITE_OK; i++) {
		if (fmt[i] == 'i') {
			rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
		} else if (fmt[i] == 's') {
			const char *s = va_arg(ap, const char *);

			rc = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i + 1);
		} else if (fmt[i] == 'b') {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);

			rc = sqlite3_bind_blob64(st, i + 1, p, n, SQLITE_TRANSIENT);
		} else if (fmt[i] == 'd') {
			rc = sqlite3_bind_double(st, i + 1, va_arg(ap, double));
		}
	}
	va_end(ap);
	if (rc != SQLITE_OK) {
		db_fail(c, "bind a value");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Run a statement that returns no rows, and finalize it. */
static int run(kt_catalog *c, sqlite3_stmt *st, const char *what)
{
	int rc;

	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(c, what);
	return KT_OK;
}

static char *col_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

kt_catalog *kt_catalog_new(void)
{
	return calloc(1, sizeof(kt_catalog));
}

const char *kt_catalog_errmsg(const kt_catalog *c)
{
	return c->err.msg;
}

void kt_catalog_free(kt_catalog **c)
{
	if (c == NULL || *c == NULL)
		return;
	sqlite3_close((*c)->db);
	free(*c);
	*c = NULL;
}

int kt_catalog_open(kt_catalog *c, const char *path, int readonly)
{
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	sqlite3_stmt *st;
	int version = 0, n = (int)(sizeof schema / sizeof schema[0]), rc;

	kt_error_clear(&c->err);
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK)
		return kt_error_set(&c->err, KT_FATAL, "cannot open catalog '%s': %s", path,
				    c->db ? sqlite3_errmsg(c->db) : "out of memory");
	sqlite3_busy_timeout(c->db, 30000);
	if (exec(c, "PRAGMA foreign_keys=ON;", "set options") != KT_OK)
		return KT_FATAL;
	if (readonly)
		return KT_OK;
	if (exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", "set options") != KT_OK)
		return KT_FATAL;
	st = prep(c, "PRAGMA user_version", "");
	if (st == NULL)
		return KT_FATAL;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > n)
		return kt_error_set(&c->err, KT_FATAL,
				    "catalog '%s' has schema version %d, newer than this kartoteka (%d)",
				    path, version, n);
	for (; version < n; version++) {
		char pragma[64];

		if ((rc = exec(c, "BEGIN IMMEDIATE", "begin")) != KT_OK)
			return rc;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", version + 1);
		if (exec(c, schema[version], "create the schema") != KT_OK ||
		    exec(c, pragma, "set the schema version") != KT_OK) {
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
			return KT_FATAL;
		}
		if ((rc = exec(c, "COMMIT", "commit")) != KT_OK)
			return rc;
	}
	return KT_OK;
}

/* ------------------------------------------------------------- batches */

int kt_catalog_batch_start(kt_catalog *c, const char *name, const char *root, long long *id)
{
	char now[21];
	int rc;

	kt_now_iso(now);
	rc = run(c, prep(c, "INSERT INTO batches(name, root, started) VALUES (?,?,?)", "sss",
			 name, root, now), "record the batch");
	*id = rc == KT_OK ? sqlite3_last_insert_rowid(c->db) : 0;
	return rc;
}

int kt_catalog_batch_file(kt_catalog *c, long long batch_id, const char *source,
			  size_t source_len, long long doc_id, enum kt_outcome outcome,
			  const char *reason)
{
	static const char *const names[] = { "done", "skipped", "failed" };
	char now[21];

	kt_now_iso(now);
	return run(c, prep(c, "INSERT INTO batch_files(batch_id, source, doc_id, outcome, reason, at)"
			      " VALUES (?,?,nullif(?,0),?,?,?)", "ibisss",
			   batch_id, source, source_len, doc_id, names[outcome], reason, now),
		   "record a file of the batch");
}

int kt_catalog_batch_finish(kt_catalog *c, long long batch_id)
{
	char now[21];

	kt_now_iso(now);
	return run(c, prep(c,
		"UPDATE batches SET ended=?,"
		" files=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id),"
		" done=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id AND outcome='done'),"
		" skipped=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id AND outcome='skipped'),"
		" failed=(SELECT count(*) FROM batch_files WHERE batch_id=batches.id AND outcome='failed')"
		" WHERE id=?", "si", now, batch_id), "finish the batch");
}

static json_t *blob_string(sqlite3_stmt *st, int i)
{
	char *esc = kt_utf8_escape(sqlite3_column_blob(st, i) ? sqlite3_column_blob(st, i) : "",
				   (size_t)sqlite3_column_bytes(st, i));
	json_t *j = json_string(esc ? esc : "");

	free(esc);
	return j;
}

static json_t *text_or_null(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? json_string((const char *)s) : json_null();
}

json_t *kt_catalog_batches_json(kt_catalog *c)
{
	json_t *arr = json_array();
	sqlite3_stmt *st = prep(c, "SELECT id, name, root, started, ended, files, done, skipped, failed"
				   " FROM batches ORDER BY id DESC", "");
	int rc;

	if (st == NULL) {
		json_decref(arr);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		json_t *b = json_object(), *fails = json_array();
		sqlite3_stmt *f;

		json_object_set_new(b, "id", json_integer(id));
		json_object_set_new(b, "name", text_or_null(st, 1));
		json_object_set_new(b, "root", text_or_null(st, 2));
		json_object_set_new(b, "started", text_or_null(st, 3));
		json_object_set_new(b, "ended", text_or_null(st, 4));
		json_object_set_new(b, "files", json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(b, "done", json_integer(sqlite3_column_int64(st, 6)));
		json_object_set_new(b, "skipped", json_integer(sqlite3_column_int64(st, 7)));
		json_object_set_new(b, "failed", json_integer(sqlite3_column_int64(st, 8)));
		f = prep(c, "SELECT source, reason FROM batch_files WHERE batch_id=? AND outcome='failed'"
			    " ORDER BY rowid", "i", id);
		while (f != NULL && sqlite3_step(f) == SQLITE_ROW) {
			json_t *o = json_object();

			json_object_set_new(o, "source", blob_string(f, 0));
			json_object_set_new(o, "reason", text_or_null(f, 1));
			json_array_append_new(fails, o);
		}
		sqlite3_finalize(f);
		json_object_set_new(b, "failures", fails);
		json_array_append_new(arr, b);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(c, "list batches");
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* ----------------------------------------------------------- documents */

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
	sqlite3_stmt *st = prep(c, "SELECT id, status, error FROM documents WHERE sha256=?", "s", sha256);
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
			*reason = col_strdup(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(c, "look a document up");
	return KT_OK;
}

int kt_catalog_doc_reserve(kt_catalog *c, const char *sha256, const char *source,
			   size_t source_len, const char *format, long long batch_id,
			   long long *id)
{
	char now[21];
	int rc;

	kt_now_iso(now);
	rc = run(c, prep(c,
		"INSERT INTO documents(sha256, source, format, status, batch_id, ingested)"
		" VALUES (?,?,?,'processing',?,?)"
		" ON CONFLICT(sha256) DO UPDATE SET status='processing', error=NULL,"
		" source=excluded.source, format=excluded.format, batch_id=excluded.batch_id",
		"sbsis", sha256, source, source_len, format, batch_id, now), "reserve a document");
	if (rc != KT_OK)
		return rc;
	{
		enum kt_doc_status s;

		return kt_catalog_doc_find(c, sha256, id, &s, NULL);
	}
}

int kt_catalog_doc_fail(kt_catalog *c, long long id, const char *reason)
{
	return run(c, prep(c, "UPDATE documents SET status='failed', error=?, indexed=0 WHERE id=?",
			   "si", reason, id), "record a failure");
}

/* Link documents (one, or all when doc_id is 0) to the cases their fields name. */
static int link_docs(kt_catalog *c, long long doc_id)
{
	int rc = run(c, prep(c,
		"INSERT OR IGNORE INTO links(doc_id, case_number, evidence)"
		" SELECT f.doc_id, k.case_number, 'case number ' || f.value"
		" FROM fields f JOIN cases k ON f.kind='case_number' AND f.value=k.case_number"
		" WHERE ?=0 OR f.doc_id=?", "ii", doc_id, doc_id), "link documents");

	if (rc != KT_OK)
		return rc;
	return run(c, prep(c,
		"INSERT OR IGNORE INTO links(doc_id, case_number, evidence)"
		" SELECT f.doc_id, k.case_number, 'personal code ' || f.value"
		" FROM fields f JOIN cases k ON f.kind='personal_code' AND f.value=k.personal_code"
		" WHERE ?=0 OR f.doc_id=?", "ii", doc_id, doc_id), "link documents");
}

static int put_fields(kt_catalog *c, long long id, json_t *metadata)
{
	static const struct { const char *key, *kind; } lists[] = {
		{ "case_numbers", "case_number" },
		{ "personal_codes", "personal_code" },
		{ "dates", "date" },
	};
	size_t i, j;
	json_t *v;
	int rc;

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		json_array_foreach(json_object_get(metadata, lists[i].key), j, v) {
			if (!json_is_string(v))
				continue;
			rc = run(c, prep(c, "INSERT OR IGNORE INTO fields(doc_id, kind, value) VALUES (?,?,?)",
					 "iss", id, lists[i].kind, json_string_value(v)), "store a field");
			if (rc != KT_OK)
				return rc;
		}
	}
	v = json_object_get(metadata, "doc_type");
	if (json_is_string(v))
		return run(c, prep(c, "INSERT OR IGNORE INTO fields(doc_id, kind, value) VALUES (?,?,?)",
				   "iss", id, "doc_type", json_string_value(v)), "store a field");
	return KT_OK;
}

int kt_catalog_doc_done(kt_catalog *c, long long id, const char *format, const char *package,
			int package_version,
			json_t *metadata, const kt_catalog_page *pages, int npages)
{
	char *meta = json_dumps(metadata, JSON_COMPACT | JSON_SORT_KEYS);
	int rc, i;

	if (meta == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	rc = exec(c, "BEGIN IMMEDIATE", "begin");
	if (rc == KT_OK)
		rc = run(c, prep(c, "DELETE FROM pages WHERE doc_id=?", "i", id), "replace pages");
	if (rc == KT_OK)
		rc = run(c, prep(c, "DELETE FROM fields WHERE doc_id=?", "i", id), "replace fields");
	if (rc == KT_OK)
		rc = run(c, prep(c, "DELETE FROM links WHERE doc_id=?", "i", id), "replace links");
	for (i = 0; rc == KT_OK && i < npages; i++) {
		const kt_catalog_page *p = &pages[i];

		rc = run(c, prep(c, "INSERT INTO pages(doc_id, n, rotation, skew, blank, lang, confidence, text)"
				    " VALUES (?,?,?,?,?,?,?,?)", "iiidisis",
				 id, (long long)p->n, (long long)p->rotation, p->skew,
				 (long long)p->blank, p->lang ? p->lang : "", (long long)p->confidence,
				 p->text ? p->text : ""), "store a page");
	}
	if (rc == KT_OK)
		rc = put_fields(c, id, metadata);
	if (rc == KT_OK)
		rc = run(c, prep(c, "UPDATE documents SET status='done', error=NULL, package=?,"
				    " package_version=?, metadata=?, indexed=0, format=coalesce(?, format)"
				    " WHERE id=?", "sissi",
				 package, (long long)package_version, meta, format, id), "mark the document done");
	if (rc == KT_OK)
		rc = link_docs(c, id);
	free(meta);
	if (rc == KT_OK)
		return exec(c, "COMMIT", "commit");
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int kt_catalog_doc_set_indexed(kt_catalog *c, long long id)
{
	return run(c, prep(c, "UPDATE documents SET indexed=1 WHERE id=?", "i", id), "mark indexed");
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
		st = prep(c, "SELECT id FROM documents WHERE id=?", "i", atoll(arg));
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
	st = prep(c, "SELECT id FROM documents WHERE sha256 LIKE ? LIMIT 2", "s", pattern);
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
	sqlite3_stmt *st = prep(c, "SELECT n, rotation, skew, blank, lang, confidence, text FROM pages"
				   " WHERE doc_id=? ORDER BY n", "i", d->id);
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
		if ((rc = col_set(c, st, 4, &p->lang)) == KT_OK)
			rc = col_set(c, st, 6, &p->text);
	}
	sqlite3_finalize(st);
	if (rc != KT_OK)
		return rc;
	d->has_links = 1;
	st = prep(c, "SELECT case_number, evidence FROM links WHERE doc_id=? ORDER BY case_number",
		  "i", d->id);
	rc = st ? KT_OK : c->err.code;
	while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW)
		if (kt_doc_add_link(d, (const char *)sqlite3_column_text(st, 0),
				    (const char *)sqlite3_column_text(st, 1)) != KT_OK)
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
	sqlite3_finalize(st);
	return rc;
}

int kt_catalog_doc_get(kt_catalog *c, long long id, kt_doc **out)
{
	sqlite3_stmt *st = prep(c, "SELECT sha256, source, status, error, metadata, format, package,"
				   " package_version, b.name, d.ingested FROM documents d"
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
	if (rc == KT_OK && sqlite3_column_type(st, 6) != SQLITE_NULL) {
		d->package_version = sqlite3_column_int(st, 7);
		rc = col_set(c, st, 6, &d->package);
		if (rc == KT_OK && kt_doc_add_version(d, d->package_version, d->package) != KT_OK)
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
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

static int collect_ids(kt_catalog *c, sqlite3_stmt *st, long long **ids, int *n)
{
	long long *arr = NULL;
	int cap = 0, count = 0, rc;

	*ids = NULL;
	*n = 0;
	if (st == NULL)
		return c->err.code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			long long *g;

			cap = cap ? cap * 2 : 64;
			g = realloc(arr, (size_t)cap * sizeof *arr);
			if (g == NULL) {
				free(arr);
				sqlite3_finalize(st);
				return kt_error_set(&c->err, KT_FATAL, "out of memory");
			}
			arr = g;
		}
		arr[count++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(arr);
		return db_fail(c, "list documents");
	}
	*ids = arr;
	*n = count;
	return KT_OK;
}

int kt_catalog_doc_ids(kt_catalog *c, const char *which, long long **ids, int *n)
{
	const char *sql =
		strcmp(which, "done") == 0 ? "SELECT id FROM documents WHERE status='done' ORDER BY id" :
		strcmp(which, "unindexed") == 0 ? "SELECT id FROM documents WHERE status='done' AND indexed=0 ORDER BY id" :
		strcmp(which, "packaged") == 0 ? "SELECT id FROM documents WHERE status='done' AND package IS NOT NULL ORDER BY id" :
		"SELECT id FROM documents ORDER BY id";

	return collect_ids(c, prep(c, sql, ""), ids, n);
}

int kt_catalog_doc_package(kt_catalog *c, long long id, char **package)
{
	sqlite3_stmt *st = prep(c, "SELECT package FROM documents WHERE id=?", "i", id);

	*package = NULL;
	if (st == NULL)
		return c->err.code;
	if (sqlite3_step(st) == SQLITE_ROW)
		*package = col_strdup(st, 0);
	sqlite3_finalize(st);
	if (*package == NULL)
		return kt_error_set(&c->err, KT_FAILED, "document %lld has no archive package", id);
	return KT_OK;
}

/* --------------------------------------------------------------- cases */

static const char *const case_columns[] = {
	"case_number", "personal_code", "surname", "given_names",
	"birth_date", "nationality", "case_type", "status",
};
#define N_CASE_COLUMNS 8

int kt_catalog_cases_import(kt_catalog *c, const char *csv_path, long *added, long *updated,
			    long *rejected, kt_catalog_reject_fn fn, void *ctx)
{
	kt_csv *csv = NULL;
	kt_error cerr = { 0 };
	char **header = NULL, **row = NULL;
	int nh = 0, nr, idx[N_CASE_COLUMNS], i, j, rc;
	char now[21], why[256];

	*added = *updated = *rejected = 0;
	kt_now_iso(now);
	if (kt_csv_open(csv_path, &csv, &cerr) != KT_OK)
		return kt_error_copy(&c->err, &cerr);
	rc = kt_csv_next(csv, &header, &nh, &cerr);
	if (rc != KT_OK || header == NULL) {
		kt_csv_free(&csv);
		if (rc == KT_OK)
			kt_error_set(&cerr, KT_FAILED, "'%s' is empty: expected a header row", csv_path);
		return kt_error_copy(&c->err, &cerr);
	}
	for (i = 0; i < N_CASE_COLUMNS; i++) {
		idx[i] = -1;
		for (j = 0; j < nh; j++)
			if (strcmp(header[j], case_columns[i]) == 0)
				idx[i] = j;
	}
	if (idx[0] < 0) {
		kt_csv_row_free(&header, nh);
		kt_csv_free(&csv);
		return kt_error_set(&c->err, KT_FAILED, "'%s' has no column 'case_number' in its header", csv_path);
	}
	if ((rc = exec(c, "BEGIN IMMEDIATE", "begin")) != KT_OK) {
		kt_csv_row_free(&header, nh);
		kt_csv_free(&csv);
		return rc;
	}
	for (;;) {
		const char *v[N_CASE_COLUMNS];
		json_t *extra = json_object();
		char *extra_s;
		sqlite3_stmt *st;
		int exists = 0;

		rc = kt_csv_next(csv, &row, &nr, &cerr);
		if (rc == KT_WARN) {
			(*rejected)++;
			if (fn)
				fn(ctx, kt_csv_line(csv), cerr.msg);
			json_decref(extra);
			rc = KT_OK;
			continue;
		}
		if (rc != KT_OK || row == NULL) {
			json_decref(extra);
			break;
		}
		for (i = 0; i < N_CASE_COLUMNS; i++)
			v[i] = idx[i] >= 0 && idx[i] < nr && row[idx[i]][0] ? row[idx[i]] : NULL;
		why[0] = '\0';
		if (nr == 1 && row[0][0] == '\0') {
			kt_csv_row_free(&row, nr);
			json_decref(extra);
			continue; /* an empty line */
		}
		if (nr != nh)
			snprintf(why, sizeof why, "%d fields where the header has %d", nr, nh);
		else if (v[0] == NULL)
			snprintf(why, sizeof why, "empty case_number");
		else if (v[4] != NULL && !(strlen(v[4]) == 10 && v[4][4] == '-' && v[4][7] == '-'))
			snprintf(why, sizeof why, "birth_date '%s' is not YYYY-MM-DD", v[4]);
		if (why[0]) {
			(*rejected)++;
			if (fn)
				fn(ctx, kt_csv_line(csv), why);
			kt_csv_row_free(&row, nr);
			json_decref(extra);
			continue;
		}
		for (j = 0; j < nr && j < nh; j++) {
			int known = 0;

			for (i = 0; i < N_CASE_COLUMNS; i++)
				known |= idx[i] == j;
			if (!known && header[j][0])
				json_object_set_new(extra, header[j], json_string(row[j]));
		}
		extra_s = json_dumps(extra, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(extra);
		st = prep(c, "SELECT 1 FROM cases WHERE case_number=?", "s", v[0]);
		if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
			exists = 1;
		sqlite3_finalize(st);
		rc = run(c, prep(c,
			"INSERT INTO cases(case_number, personal_code, surname, given_names, birth_date,"
			" nationality, case_type, status, extra, imported) VALUES (?,?,?,?,?,?,?,?,?,?)"
			" ON CONFLICT(case_number) DO UPDATE SET personal_code=excluded.personal_code,"
			" surname=excluded.surname, given_names=excluded.given_names,"
			" birth_date=excluded.birth_date, nationality=excluded.nationality,"
			" case_type=excluded.case_type, status=excluded.status, extra=excluded.extra,"
			" imported=excluded.imported", "ssssssssss",
			v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], extra_s, now), "import a case");
		free(extra_s);
		kt_csv_row_free(&row, nr);
		if (rc != KT_OK)
			break;
		if (exists)
			(*updated)++;
		else
			(*added)++;
	}
	kt_csv_row_free(&header, nh);
	if (rc != KT_OK && c->err.code == KT_OK)
		kt_error_copy(&c->err, &cerr);
	kt_csv_free(&csv);
	if (rc == KT_OK)
		rc = link_docs(c, 0);
	if (rc == KT_OK)
		return exec(c, "COMMIT", "commit");
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int kt_catalog_case_numbers(kt_catalog *c, char ***nums, int *n)
{
	sqlite3_stmt *st = prep(c, "SELECT case_number FROM cases ORDER BY case_number", "");
	char **arr = NULL;
	int cap = 0, count = 0;

	*nums = NULL;
	*n = 0;
	if (st == NULL)
		return c->err.code;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (count == cap) {
			char **g;

			cap = cap ? cap * 2 : 32;
			g = realloc(arr, (size_t)cap * sizeof *arr);
			if (g == NULL) {
				kt_catalog_strings_free(&arr, count);
				sqlite3_finalize(st);
				return kt_error_set(&c->err, KT_FATAL, "out of memory");
			}
			arr = g;
		}
		arr[count++] = col_strdup(st, 0);
	}
	sqlite3_finalize(st);
	*nums = arr;
	*n = count;
	return KT_OK;
}

void kt_catalog_strings_free(char ***strs, int n)
{
	int i;

	if (strs == NULL || *strs == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*strs)[i]);
	free(*strs);
	*strs = NULL;
}

json_t *kt_catalog_case_json(kt_catalog *c, const char *case_number)
{
	sqlite3_stmt *st = prep(c, "SELECT case_number, personal_code, surname, given_names, birth_date,"
				   " nationality, case_type, status, extra FROM cases WHERE case_number=?",
				"s", case_number);
	json_t *o;
	int i;

	if (st == NULL)
		return NULL;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		kt_error_set(&c->err, KT_FAILED, "no case '%s' in the case records", case_number);
		return NULL;
	}
	o = json_object();
	for (i = 0; i < N_CASE_COLUMNS; i++)
		json_object_set_new(o, case_columns[i], text_or_null(st, i));
	if (sqlite3_column_text(st, 8) != NULL) {
		json_t *extra = json_loads((const char *)sqlite3_column_text(st, 8), 0, NULL);

		if (extra != NULL)
			json_object_set_new(o, "extra", extra);
	}
	sqlite3_finalize(st);
	return o;
}

int kt_catalog_case_doc_ids(kt_catalog *c, const char *case_number, long long **ids, int *n)
{
	return collect_ids(c, prep(c,
		"SELECT l.doc_id FROM links l WHERE l.case_number=? ORDER BY"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=l.doc_id AND f.kind='date') IS NULL,"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=l.doc_id AND f.kind='date'), l.doc_id",
		"s", case_number), ids, n);
}

/* ------------------------------------------------------- fixity checks */

int kt_catalog_fixity_record(kt_catalog *c, const char *package, long long doc_id,
			     const char *checked, int passed, json_t *problems, const char *event)
{
	char now[21], *probs;
	int rc;

	if (checked == NULL) {
		kt_now_iso(now);
		checked = now;
	}
	probs = problems ? json_dumps(problems, JSON_COMPACT | JSON_PRESERVE_ORDER) : strdup("[]");
	if (probs == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	rc = run(c, prep(c, "INSERT INTO fixity_checks(package, doc_id, checked, result, problems, event)"
			    " VALUES (?,nullif(?,0),?,?,?,?)", "sissss",
			 package, doc_id, checked, passed ? "pass" : "fail", probs, event),
		 "record a fixity check");
	free(probs);
	return rc;
}

int kt_catalog_fixity_last(kt_catalog *c, const char *package, char **checked)
{
	sqlite3_stmt *st = prep(c, "SELECT max(checked) FROM fixity_checks WHERE package=?", "s", package);
	int rc;

	*checked = NULL;
	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*checked = col_strdup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(c, "look a fixity check up");
	return KT_OK;
}

json_t *kt_catalog_fixity_json(kt_catalog *c, const char *package)
{
	json_t *arr = json_array();
	sqlite3_stmt *st = prep(c, "SELECT package, doc_id, checked, result, problems, event FROM fixity_checks"
				   " WHERE ? IS NULL OR package=? ORDER BY id", "ss", package, package);

	if (st == NULL) {
		json_decref(arr);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = json_object(), *probs = NULL;
		const unsigned char *p = sqlite3_column_text(st, 4);

		json_object_set_new(o, "package", text_or_null(st, 0));
		json_object_set_new(o, "doc_id", sqlite3_column_type(st, 1) == SQLITE_NULL ? json_null()
					: json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(o, "checked", text_or_null(st, 2));
		json_object_set_new(o, "result", text_or_null(st, 3));
		if (p != NULL)
			probs = json_loads((const char *)p, 0, NULL);
		json_object_set_new(o, "problems", probs ? probs : json_array());
		json_object_set_new(o, "event", text_or_null(st, 5));
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(st);
	return arr;
}

/* ------------------------------------------------------------- rebuild */

int kt_catalog_doc_restore(kt_catalog *c, json_t *record, const char *package, int package_version)
{
	json_t *meta = json_object_get(record, "metadata"), *pages = json_object_get(record, "pages"), *p;
	const char *sha = json_string_value(json_object_get(record, "sha256"));
	const char *src = json_string_value(json_object_get(record, "source"));
	const char *batch = json_string_value(json_object_get(record, "batch"));
	json_t *idj = json_object_get(record, "id");
	long long id = json_integer_value(idj), batch_id = 0, other = 0;
	char *meta_s = NULL, *source = NULL;
	size_t source_len = 0, i;
	sqlite3_stmt *st;
	int rc;

	if (!json_is_integer(idj) || id <= 0 || sha == NULL || src == NULL || !json_is_array(pages))
		return kt_error_set(&c->err, KT_FAILED,
				    "package '%s': its document record lacks id, sha256, source or pages",
				    package ? package : "");
	if (!json_is_object(meta))
		meta = NULL;
	meta_s = meta ? json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
	source = kt_doc_source_unescape(src, &source_len);
	if (meta_s == NULL || source == NULL) {
		free(meta_s);
		free(source);
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	}
	rc = exec(c, "BEGIN IMMEDIATE", "begin");
	/* the same bytes under another id: the archive contradicts itself */
	if (rc == KT_OK) {
		st = prep(c, "SELECT id FROM documents WHERE sha256=? AND id<>?", "si", sha, id);
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
		st = prep(c, "SELECT id FROM batches WHERE name=? ORDER BY id LIMIT 1", "s", batch);
		if (st == NULL)
			rc = c->err.code;
		else if (sqlite3_step(st) == SQLITE_ROW)
			batch_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc == KT_OK && batch_id == 0) {
			char now[21];

			kt_now_iso(now);
			rc = run(c, prep(c, "INSERT INTO batches(name, root, started, ended) VALUES (?,NULL,?,?)",
					 "sss", batch, now, now), "recreate a batch");
			batch_id = sqlite3_last_insert_rowid(c->db);
		}
	}
	if (rc == KT_OK)
		rc = run(c, prep(c, "DELETE FROM pages WHERE doc_id=?", "i", id), "replace pages");
	if (rc == KT_OK)
		rc = run(c, prep(c, "DELETE FROM fields WHERE doc_id=?", "i", id), "replace fields");
	if (rc == KT_OK)
		rc = run(c, prep(c, "DELETE FROM links WHERE doc_id=?", "i", id), "replace links");
	if (rc == KT_OK)
		rc = run(c, prep(c,
			"INSERT INTO documents(id, sha256, source, format, status, batch_id, package,"
			" package_version, metadata, indexed) VALUES (?,?,?,?,'done',nullif(?,0),?,?,?,0)"
			" ON CONFLICT(id) DO UPDATE SET sha256=excluded.sha256, source=excluded.source,"
			" format=excluded.format, status='done', error=NULL, batch_id=excluded.batch_id,"
			" package=excluded.package, package_version=excluded.package_version,"
			" metadata=excluded.metadata, indexed=0", "isbsisis",
			id, sha, source, source_len, json_string_value(json_object_get(record, "format")),
			batch_id, package, (long long)package_version, meta_s), "restore a document");
	json_array_foreach(pages, i, p) {
		json_t *sk = json_object_get(p, "skew");

		if (rc != KT_OK)
			break;
		rc = run(c, prep(c, "INSERT INTO pages(doc_id, n, rotation, skew, blank, lang, confidence, text)"
				    " VALUES (?,?,?,?,?,?,?,?)", "iiidisis",
				 id, (long long)(json_is_integer(json_object_get(p, "n"))
						 ? json_integer_value(json_object_get(p, "n")) : (json_int_t)i + 1),
				 (long long)json_integer_value(json_object_get(p, "rotation")),
				 json_is_number(sk) ? json_number_value(sk) : 0.0,
				 (long long)json_is_true(json_object_get(p, "blank")),
				 json_string_value(json_object_get(p, "lang")) ? json_string_value(json_object_get(p, "lang")) : "",
				 (long long)json_integer_value(json_object_get(p, "confidence")),
				 json_string_value(json_object_get(p, "text")) ? json_string_value(json_object_get(p, "text")) : ""),
			 "restore a page");
	}
	if (rc == KT_OK && meta != NULL)
		rc = put_fields(c, id, meta);
	if (rc == KT_OK && batch_id != 0)
		rc = run(c, prep(c, "UPDATE batches SET"
				    " files=(SELECT count(*) FROM documents WHERE batch_id=batches.id),"
				    " done=(SELECT count(*) FROM documents WHERE batch_id=batches.id)"
				    " WHERE id=?", "i", batch_id), "count a batch");
	if (rc == KT_OK)
		rc = link_docs(c, id);
	free(meta_s);
	free(source);
	if (rc == KT_OK)
		return exec(c, "COMMIT", "commit");
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* ------------------------------------------------------- checkpointing */

int kt_catalog_no_checkpoint_on_close(kt_catalog *c)
{
	int on = 0;

	if (c == NULL || c->db == NULL)
		return KT_FAILED;
	if (sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &on) != SQLITE_OK || on != 1)
		return kt_error_set(&c->err, KT_FAILED, "catalog: cannot keep the WAL on close");
	return exec(c, "PRAGMA wal_autocheckpoint=0;", "set options");
}
