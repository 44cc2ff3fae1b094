/*
 * catalog_private.h - what the catalog_*.c files of kt_catalog share (index/
 * only; never included from outside the catalog). These files are the
 * catalog's SQLite code, and every sqlite3 call stays in them: the public
 * face is kt_catalog.h, which names no SQLite type.
 *
 * The files:
 *   catalog_sqlite.c    the handle: open and close, the schema and its
 *                       versions (PRAGMA user_version), transactions, error
 *                       messages, the statement helpers below, checkpointing
 *   catalog_docs.c      documents, pages and fields: reserve, done, failed,
 *                       lookups, resolving an id or SHA-256 prefix, the
 *                       document record (kt_catalog_doc_get, _doc_json), and
 *                       putting a document back for rebuild (_doc_restore)
 *   catalog_batches.c   batches and the files of each batch
 *   catalog_cases.c     case records (imported with cases_csv.c), the case view
 *   catalog_links.c     the links of documents to cases: rules, evidence,
 *                       confidence
 *   catalog_review.c    decisions on links, the review queue
 *   catalog_corrections.c  corrections people make to fields and page texts
 *   catalog_dups.c      pages scanned again: sketches, flagged pairs
 *   catalog_paper.c     paper files: the documents of one folder, in order
 *   catalog_person.c    a person's cases (by code or folded name) and the
 *                       documents naming a code no case links
 *   catalog_erase.c     erased documents: rows deleted (secure_delete), the
 *                       erased table
 *   catalog_erase_case.c  a case record erased with its links and decisions
 *   catalog_retention.c what a retention report reads: documents and their
 *                       cases' types and closed dates
 *   catalog_fixity.c    fixity checks of archive packages
 *
 * Errors follow kt_catalog.h: the message is set once on c->err where the
 * error is found, and the helpers below return the code they set, so a caller
 * passes it up without adding text. SQLite's own errors are KT_FATAL.
 */
#ifndef KT_CATALOG_PRIVATE_H
#define KT_CATALOG_PRIVATE_H

#include "kt_catalog.h"

#include <jansson.h>
#include <sqlite3.h>

/* The handle behind kt_catalog: one SQLite connection (NULL until
 * kt_catalog_open) and the last error. Owned by the caller of kt_catalog_new,
 * freed (and the connection closed) by kt_catalog_free. */
struct kt_catalog {
	sqlite3 *db;
	kt_error err;
};

/* kt_cat_fail: set KT_FATAL on c with "catalog: cannot WHAT: " and SQLite's
 * message for the connection's last error. Returns KT_FATAL. */
int kt_cat_fail(kt_catalog *c, const char *what);

/* kt_cat_exec: run SQL (one or more statements, no rows wanted). Returns
 * KT_OK, or KT_FATAL with "catalog: cannot WHAT: ..." set on c. */
int kt_cat_exec(kt_catalog *c, const char *sql, const char *what);

/*
 * kt_cat_prep: prepare one statement and bind its parameters, in order, as
 * fmt says: i = long long, s = text (NULL binds NULL), b = blob (pointer,
 * size_t), d = double. Values are copied (SQLITE_TRANSIENT): the caller's
 * strings and blobs are borrowed for the call only.
 * Returns the statement, which the caller owns (sqlite3_finalize it, or hand
 * it to kt_cat_collect_ids, which does); NULL with KT_FATAL set on c when it
 * cannot be prepared or bound.
 */
sqlite3_stmt *kt_cat_prep(kt_catalog *c, const char *sql, const char *fmt, ...);

/* kt_cat_do: prepare and bind a statement that returns no rows (as
 * kt_cat_prep), step it once and finalize it. Returns KT_OK, or KT_FATAL
 * with the message on c: "catalog: cannot WHAT: ..." when the step fails. */
int kt_cat_do(kt_catalog *c, const char *what, const char *sql, const char *fmt, ...);

/* kt_cat_begin: BEGIN IMMEDIATE (the write lock now, waiting up to the busy
 * timeout). KT_OK or KT_FATAL with the message on c. */
int kt_cat_begin(kt_catalog *c);

/* kt_cat_end: end the transaction kt_cat_begin started: COMMIT when rc is
 * KT_OK (returning KT_OK, or KT_FATAL when the commit fails), else ROLLBACK
 * and return rc as it was (its message already on c). */
int kt_cat_end(kt_catalog *c, int rc);

/* kt_cat_col_strdup: column i of the current row as a malloc'd string
 * (caller frees); NULL when the value is NULL or memory ran out. */
char *kt_cat_col_strdup(sqlite3_stmt *st, int i);

/* kt_cat_col_json: column i of the current row as a JSON string, or JSON
 * null when the value is NULL. New reference, for json_object_set_new. */
json_t *kt_cat_col_json(sqlite3_stmt *st, int i);

/* kt_cat_col_blob_json: a blob column (a path as given: any bytes) as a
 * JSON string, bytes that are not UTF-8 escaped as "\xHH" (kt_utf8_escape).
 * New reference. */
json_t *kt_cat_col_blob_json(sqlite3_stmt *st, int i);

/*
 * kt_cat_collect_ids: step st (takes ownership, finalizes it; NULL from a
 * failed kt_cat_prep returns its code) and collect the integer of column 0
 * of every row. *ids receives a malloc'd array (caller frees; NULL when there
 * are no rows), *n its length. KT_OK, or KT_FATAL on c (out of memory, or
 * SQLite "cannot list documents") with *ids NULL and *n 0.
 */
int kt_cat_collect_ids(kt_catalog *c, sqlite3_stmt *st, long long **ids, int *n);

/* kt_cat_link_docs (catalog_links.c): link done documents, one or every one
 * when doc_id is 0, to the cases their metadata names, by the rules of
 * docs/cases.md (their links made before are replaced; decisions are kept).
 * Run inside the caller's transaction. KT_OK or KT_FATAL with the message
 * on c. */
int kt_cat_link_docs(kt_catalog *c, long long doc_id);

/* kt_cat_dups_doc (catalog_dups.c): sketch the pages of document id
 * (borrowed) and flag the documents whose pages they repeat (and that
 * repeat them), replacing what was found for it before. Run inside the
 * caller's transaction. KT_OK or KT_FATAL with the message on c. */
int kt_cat_dups_doc(kt_catalog *c, long long id, const kt_catalog_page *pages, int npages);

/* kt_cat_paper_case (catalog_paper.c): the case the other documents of
 * document id's paper file (its source, bytes) are linked to, when those
 * that have links all have the one case: *cn (malloc'd, caller frees; NULL
 * when none or several), *linked how many of them, *total how many other
 * documents the paper file has. KT_OK or KT_FATAL. */
int kt_cat_paper_case(kt_catalog *c, long long id, const void *source, size_t len, char **cn,
		      int *linked, int *total);

/* catalog_corrections.c: kt_cat_corrections_get appends a document's
 * corrections, oldest first, to d (d->id); kt_cat_corrections_restore
 * replaces them by the record's (rebuild), inside the caller's
 * transaction. KT_OK or KT_FATAL with the message on c. */
int kt_cat_corrections_get(kt_catalog *c, kt_doc *d);
int kt_cat_corrections_restore(kt_catalog *c, long long id, const kt_doc *record);

/* catalog_versions.c: kt_cat_version_put records package version n of a
 * document (created: "YYYY-MM-DDTHH:MM:SSZ", NULL: now; reason may be NULL);
 * a version already recorded keeps its time and reason. kt_cat_versions_get
 * appends a document's versions, oldest first, to d (kt_doc_add_version). */
int kt_cat_version_put(kt_catalog *c, long long id, int n, const char *package,
		       const char *created, const char *reason);
int kt_cat_versions_get(kt_catalog *c, kt_doc *d);

#endif
