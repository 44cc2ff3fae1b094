/*
 * catalog_sqlite.c - the catalog's handle on SQLite: open and close, the
 * schema and its versions (PRAGMA user_version), transactions, error
 * messages, and the statement helpers the other catalog_*.c files share
 * (catalog_private.h lists the files).
 *
 * WAL journal with synchronous=FULL: a committed row survives a power cut,
 * readers (search, serve) are not blocked by the batch that writes.
 */
#include "catalog_private.h"
#include "kt_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	/* version 3: where a page's text came from ("pdf": the PDF's own text,
	 * "ocr"; NULL: not recorded, pages made before) */
	"ALTER TABLE pages ADD COLUMN text_source TEXT;",
	/* version 4: every package version of a document (kartoteka reprocess
	 * writes a new one beside the old); the versions so far are the current
	 * packages, made when the document was ingested */
	"CREATE TABLE versions("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL, package TEXT NOT NULL, created TEXT, reason TEXT,"
	" PRIMARY KEY (doc_id, n));"
	"INSERT INTO versions(doc_id, n, package, created, reason)"
	" SELECT id, package_version, package, ingested, NULL FROM documents"
	" WHERE package IS NOT NULL AND package_version > 0;",
	/* version 5 (issue 9): each automatic link with its rule and confidence
	 * (catalog_links.c), the decisions people make on links (review queue,
	 * catalog_review.c), and the links a case or document shows: confident
	 * or accepted automatic links not rejected, and links made by hand.
	 * Kept apart, an automatic run rewrites links and never a decision. */
	"ALTER TABLE links ADD COLUMN rule TEXT NOT NULL DEFAULT 'case_number';"
	"ALTER TABLE links ADD COLUMN confidence REAL NOT NULL DEFAULT 1.0;"
	"CREATE INDEX links_by_case ON links(case_number);"
	"CREATE INDEX cases_by_birth_date ON cases(birth_date);"
	"CREATE TABLE link_decisions("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" case_number TEXT NOT NULL,"
	" decision TEXT NOT NULL CHECK (decision IN ('accept','reject','link','none')),"
	" user TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (doc_id, case_number));"
	"CREATE VIEW case_links AS"
	" SELECT l.doc_id, l.case_number, l.evidence, l.rule, l.confidence,"
	"  CASE WHEN d.decision IS NULL THEN 'auto' ELSE 'accepted' END AS state,"
	"  d.user AS decided_by, d.at AS decided_at"
	" FROM links l LEFT JOIN link_decisions d"
	"  ON d.doc_id=l.doc_id AND d.case_number=l.case_number"
	" WHERE (d.decision IS NULL AND l.confidence >= " KT_CATALOG_LINK_THRESHOLD_SQL ")"
	"  OR d.decision IN ('accept','link')"
	" UNION ALL"
	" SELECT d.doc_id, d.case_number, 'linked by hand', 'manual', 1.0, 'manual', d.user, d.at"
	" FROM link_decisions d WHERE d.decision='link' AND NOT EXISTS (SELECT 1 FROM links l"
	"  WHERE l.doc_id=d.doc_id AND l.case_number=d.case_number);"
	/* ... and the corrections people make (catalog_corrections.c): a
	 * field or a page's text, its value as JSON, who, when, why */
	"CREATE TABLE corrections("
	" id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" field TEXT NOT NULL, page INTEGER NOT NULL DEFAULT 0, value TEXT NOT NULL,"
	" user TEXT NOT NULL, at TEXT NOT NULL, reason TEXT);"
	"CREATE INDEX corrections_by_doc ON corrections(doc_id, id);"
	/* ... and pages scanned again (catalog_dups.c): each page's MinHash
	 * sketch and its bands, the pairs of documents flagged, and what
	 * people decided about them */
	"CREATE TABLE page_sketches("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL, sketch BLOB NOT NULL, numbers TEXT NOT NULL,"
	" PRIMARY KEY (doc_id, n));"
	"CREATE TABLE page_bands("
	" band INTEGER NOT NULL, hash INTEGER NOT NULL,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, n INTEGER NOT NULL);"
	"CREATE INDEX page_bands_by_hash ON page_bands(band, hash);"
	"CREATE INDEX page_bands_by_doc ON page_bands(doc_id);"
	"CREATE TABLE duplicates("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" of_doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" pages INTEGER NOT NULL, similarity REAL NOT NULL, evidence TEXT NOT NULL,"
	" PRIMARY KEY (doc_id, of_doc));"
	"CREATE INDEX duplicates_of ON duplicates(of_doc);"
	"CREATE TABLE duplicate_decisions("
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" of_doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" decision TEXT NOT NULL CHECK (decision IN ('duplicate','distinct')),"
	" user TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (doc_id, of_doc));",
	/* version 6 (issue 9, separator sheets): one file may be several
	 * documents, its parts; a document is its file's SHA-256 and its part
	 * (0: the whole file). SQLite changes a UNIQUE constraint only by
	 * making the table again (its "12 steps"; foreign keys are off while
	 * kt_catalog_open runs this one, so no row of another table goes). */
	"CREATE TABLE documents_v6("
	" id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, source BLOB NOT NULL,"
	" format TEXT, status TEXT NOT NULL CHECK (status IN ('processing','done','failed')),"
	" error TEXT, batch_id INTEGER REFERENCES batches(id), package TEXT,"
	" package_version INTEGER NOT NULL DEFAULT 0, metadata TEXT, ingested TEXT,"
	" indexed INTEGER NOT NULL DEFAULT 0,"
	" part INTEGER NOT NULL DEFAULT 0, parts INTEGER, first_page INTEGER, last_page INTEGER,"
	" separator TEXT, UNIQUE (sha256, part));"
	"INSERT INTO documents_v6(id, sha256, source, format, status, error, batch_id, package,"
	" package_version, metadata, ingested, indexed) SELECT id, sha256, source, format, status,"
	" error, batch_id, package, package_version, metadata, ingested, indexed FROM documents;"
	"DROP TABLE documents;"
	"ALTER TABLE documents_v6 RENAME TO documents;",
	/* version 7 (issue 21): documents erased for good (catalog_erase.c):
	 * what the tombstone in the archive folder says, so that the same file
	 * is not taken in again unnoticed */
	"CREATE TABLE erased("
	" id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, part INTEGER NOT NULL DEFAULT 0,"
	" erased TEXT NOT NULL, reason TEXT, requested_by TEXT, approved_by TEXT,"
	" request_id INTEGER);"
	"CREATE INDEX erased_by_sha ON erased(sha256);",
	/* version 8 (issue 19): what an operator rescans, measured when a page
	 * is recognised (NULL: not measured, a page made before or kept as its
	 * PDF's own text): the grey levels of the scan's background and text,
	 * and the recognised words touching its edge (edges: 1 left, 2 top,
	 * 4 right, 8 bottom) */
	"ALTER TABLE pages ADD COLUMN paper INTEGER;"
	"ALTER TABLE pages ADD COLUMN ink INTEGER;"
	"ALTER TABLE pages ADD COLUMN cut_words INTEGER;"
	"ALTER TABLE pages ADD COLUMN cut_edges INTEGER;",
};

/* The schema version from which links carry rules and confidences: a
 * catalog that comes to it from an older one has its documents linked
 * again, by today's rules. */
#define LINK_RULES_VERSION 5
/* The schema version that makes the documents table again: foreign keys off
 * while it runs (they cannot change inside a transaction). */
#define PARTS_VERSION 6

/* ----------------------------------------------------- statement helpers */

int kt_cat_fail(kt_catalog *c, const char *what)
{
	return kt_error_set(&c->err, KT_FATAL, "catalog: cannot %s: %s", what, sqlite3_errmsg(c->db));
}

int kt_cat_exec(kt_catalog *c, const char *sql, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kt_error_set(&c->err, KT_FATAL, "catalog: cannot %s: %s", what, msg ? msg : "?");
		sqlite3_free(msg);
		return KT_FATAL;
	}
	return KT_OK;
}

/* kt_cat_prep with the binds in a va_list (kt_cat_prep, kt_cat_do). */
static sqlite3_stmt *vprep(kt_catalog *c, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = NULL;
	int i, rc = SQLITE_OK;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		kt_cat_fail(c, "prepare a query");
		return NULL;
	}
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
	if (rc != SQLITE_OK) {
		kt_cat_fail(c, "bind a value");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *kt_cat_prep(kt_catalog *c, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprep(c, sql, fmt, ap);
	va_end(ap);
	return st;
}

int kt_cat_do(kt_catalog *c, const char *what, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = vprep(c, sql, fmt, ap);
	va_end(ap);
	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kt_cat_fail(c, what);
	return KT_OK;
}

int kt_cat_begin(kt_catalog *c)
{
	return kt_cat_exec(c, "BEGIN IMMEDIATE", "begin");
}

int kt_cat_end(kt_catalog *c, int rc)
{
	if (rc == KT_OK)
		return kt_cat_exec(c, "COMMIT", "commit");
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

char *kt_cat_col_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

json_t *kt_cat_col_json(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? json_string((const char *)s) : json_null();
}

json_t *kt_cat_col_blob_json(sqlite3_stmt *st, int i)
{
	char *esc = kt_utf8_escape(sqlite3_column_blob(st, i) ? sqlite3_column_blob(st, i) : "",
				   (size_t)sqlite3_column_bytes(st, i));
	json_t *j = json_string(esc ? esc : "");

	free(esc);
	return j;
}

int kt_cat_collect_ids(kt_catalog *c, sqlite3_stmt *st, long long **ids, int *n)
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
		return kt_cat_fail(c, "list documents");
	}
	*ids = arr;
	*n = count;
	return KT_OK;
}

/* -------------------------------------------------------------- handle */

kt_catalog *kt_catalog_new(void)
{
	return calloc(1, sizeof(kt_catalog));
}

const char *kt_catalog_errmsg(const kt_catalog *c)
{
	return c->err.msg;
}

const kt_error *kt_catalog_error(const kt_catalog *c)
{
	static const kt_error no_handle = { KT_FAILED, "no catalog handle" };

	return c ? &c->err : &no_handle;
}

void kt_catalog_free(kt_catalog **c)
{
	if (c == NULL || *c == NULL)
		return;
	sqlite3_close((*c)->db);
	free(*c);
	*c = NULL;
}

/* After the documents table was made again: every reference still holds
 * (PRAGMA foreign_key_check finds no row). */
static int fk_check(kt_catalog *c)
{
	sqlite3_stmt *st = kt_cat_prep(c, "PRAGMA foreign_key_check", "");
	int rc;

	if (st == NULL)
		return c->err.code;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return kt_error_set(&c->err, KT_FATAL, "catalog: a reference does not hold after "
				    "the documents table was made again (schema version %d)",
				    PARTS_VERSION);
	return rc == SQLITE_DONE ? KT_OK : kt_cat_fail(c, "check the references");
}

/*
 * A catalog of an older schema is copied, whole and consistent, to
 * PATH.schema-VERSION before it is upgraded, so that an administrator can go
 * back to the kartoteka that made it (docs/install.md, "Upgrades"). A copy
 * there already (an upgrade that stopped, or another process's) is kept as
 * it is. An erasure shreds these copies (pipeline/erase.c): they hold what
 * was erased. KT_OK or KT_FATAL (message on c).
 */
static int copy_before_upgrade(kt_catalog *c, const char *path, int version)
{
	char *copy = sqlite3_mprintf("%s" KT_CATALOG_COPY_INFIX "%d", path, version);
	char *sql = copy ? sqlite3_mprintf("VACUUM INTO %Q", copy) : NULL;
	int rc = KT_OK;

	if (sql == NULL)
		rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
	else if (access(copy, F_OK) != 0 && sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK &&
		 access(copy, F_OK) != 0)
		rc = kt_error_set(&c->err, KT_FATAL, "cannot copy catalog '%s' (schema version %d) "
				  "to '%s' before upgrading it: %s", path, version, copy,
				  sqlite3_errmsg(c->db));
	sqlite3_free(sql);
	sqlite3_free(copy);
	return rc;
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
	/* what is deleted is overwritten with zeros in the file (erasure,
	 * docs/lifecycle.md) */
	if (kt_cat_exec(c, "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;", "set options") != KT_OK)
		return KT_FATAL;
	if (readonly)
		return KT_OK;
	if (kt_cat_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", "set options") != KT_OK)
		return KT_FATAL;
	st = kt_cat_prep(c, "PRAGMA user_version", "");
	if (st == NULL)
		return KT_FATAL;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > n)
		return kt_error_set(&c->err, KT_FATAL,
				    "catalog '%s' has schema version %d, newer than this kartoteka (%d)",
				    path, version, n);
	if (version > 0 && version < n && copy_before_upgrade(c, path, version) != KT_OK)
		return KT_FATAL;
	for (; version < n; version++) {
		char pragma[64];
		int remake = version + 1 == PARTS_VERSION;

		if (remake && kt_cat_exec(c, "PRAGMA foreign_keys=OFF;", "set options") != KT_OK)
			return KT_FATAL;
		if ((rc = kt_cat_begin(c)) != KT_OK)
			return rc;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", version + 1);
		rc = kt_cat_exec(c, schema[version], "create the schema");
		if (rc == KT_OK && version + 1 == LINK_RULES_VERSION && version > 0)
			rc = kt_cat_link_docs(c, 0);
		if (rc == KT_OK && remake)
			rc = fk_check(c);
		if (rc == KT_OK)
			rc = kt_cat_exec(c, pragma, "set the schema version");
		if ((rc = kt_cat_end(c, rc)) != KT_OK)
			return rc;
		if (remake && kt_cat_exec(c, "PRAGMA foreign_keys=ON;", "set options") != KT_OK)
			return KT_FATAL;
	}
	return KT_OK;
}

/* ------------------------------------------------------- checkpointing */

int kt_catalog_no_checkpoint_on_close(kt_catalog *c)
{
	int on = 0;

	if (c == NULL || c->db == NULL)
		return KT_FAILED;
	if (sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &on) != SQLITE_OK || on != 1)
		return kt_error_set(&c->err, KT_FAILED, "catalog: cannot keep the WAL on close");
	return kt_cat_exec(c, "PRAGMA wal_autocheckpoint=0;", "set options");
}
