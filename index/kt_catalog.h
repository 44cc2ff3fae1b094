/*
 * kt_catalog.h - the catalog: batches, documents, pages, extracted fields,
 * case records and case links, in one SQLite database (catalog.sqlite).
 *
 * The catalog is the store's table of contents; the archive packages are the
 * source of truth for documents, the catalog can be rebuilt from them.
 * Documents are keyed by the SHA-256 of the file's bytes; a document's id is a
 * stable integer written into its archive package.
 *
 * Errors: every function returns a kt_status code; the message is on the
 * handle (kt_catalog_errmsg). SQLite's own errors are KT_FATAL (the store is
 * unusable), a row that does not exist is KT_FAILED.
 */
#ifndef KT_CATALOG_H
#define KT_CATALOG_H

#include <jansson.h>
#include <stddef.h>

#include "kt_record.h"
#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_catalog kt_catalog;

/* kt_catalog_new: an unopened handle; caller frees with kt_catalog_free. */
kt_catalog *kt_catalog_new(void);

/* The copy of an older catalog made before its schema is upgraded:
 * PATH KT_CATALOG_COPY_INFIX VERSION, e.g. catalog.sqlite.schema-6. */
#define KT_CATALOG_COPY_INFIX ".schema-"

/* kt_catalog_open: open (creating when missing) the database at path and
 * bring its schema up to date, after copying an older one to
 * path.schema-VERSION (kept when there already); a newer schema is refused.
 * readonly opens without creating. */
int kt_catalog_open(kt_catalog *c, const char *path, int readonly);

/* kt_catalog_errmsg: the last error message; borrowed until the next call. */
const char *kt_catalog_errmsg(const kt_catalog *c);

/* kt_catalog_error: the error slot of the last failed call (code and message),
 * for a caller to pass up with kt_error_pass or kt_error_escalate; the slot is
 * set by every failing call and not cleared by a successful one, so read it
 * only after a call failed. Borrowed from c until its next call; NULL c gives
 * a static KT_FAILED slot. */
const kt_error *kt_catalog_error(const kt_catalog *c);

/* kt_catalog_free: close the database and free *c, setting it to NULL. */
void kt_catalog_free(kt_catalog **c);

/* ------------------------------------------------------------- batches */

/* kt_catalog_batch_start: record a new batch started now; *id receives it. */
int kt_catalog_batch_start(kt_catalog *c, const char *name, const char *root, long long *id);

/* kt_catalog_batch_join: *id receives the newest batch named name, reopened
 * (its end cleared until kt_catalog_batch_finish, which counts every file it
 * has had), or a new batch as kt_catalog_batch_start when there is none.
 * root is kept from the batch's first start. */
int kt_catalog_batch_join(kt_catalog *c, const char *name, const char *root, long long *id);

/* outcome of one file in a batch */
enum kt_outcome { KT_OUTCOME_DONE, KT_OUTCOME_SKIPPED, KT_OUTCOME_FAILED };

/* kt_catalog_batch_file: record what became of one file of the batch.
 *   source, source_len  the path as given (any bytes); doc_id 0 when none. */
int kt_catalog_batch_file(kt_catalog *c, long long batch_id, const char *source,
			  size_t source_len, long long doc_id, enum kt_outcome outcome,
			  const char *reason);

/* kt_catalog_batch_finish: set the end time and the counts of the batch. */
int kt_catalog_batch_finish(kt_catalog *c, long long batch_id);

/* kt_catalog_batch_find: *id receives the batch that text names: its id
 * (digits), else the newest batch of that name. KT_OK; KT_FAILED with
 * "no batch 'TEXT'" on c when there is none; KT_FATAL on a catalog error. */
int kt_catalog_batch_find(kt_catalog *c, const char *text, long long *id);

/*
 * kt_catalog_rescan_json: the pages an operator should scan again, of the
 * done documents of batch batch_id (0: of every batch), in batch, document
 * and page order: [{"batch_id", "batch", "doc", "source", "page",
 * "reasons": ["low recognition confidence (41 of 100)", "too dark ...",
 * "too light ...", "too little contrast ...", "text cut at the right edge
 * (3 words)"], "confidence", "paper", "ink", "cut": {"words", "edges"}}]
 * (paper, ink and cut null when not measured). The rules are those of
 * catalog_rescan.c (docs/ocr.md, "Pages to rescan"). New reference; NULL with KT_FATAL on c.
 */
json_t *kt_catalog_rescan_json(kt_catalog *c, long long batch_id);

/* kt_catalog_batches_json: all batches, newest first, each with its failures:
 * [{"id","name","root","started","ended","files","done","skipped","failed",
 *   "failures":[{"source","reason"}]}]. New reference; caller json_decref()s. */
json_t *kt_catalog_batches_json(kt_catalog *c);

/* ----------------------------------------------------------- documents */

/* enum kt_doc_status (KT_DOC_NONE, _PROCESSING, _DONE, _FAILED) is the
 * record's (kt_record.h). */

/* kt_catalog_doc_find: look a document up by its full SHA-256.
 *   *id and *status receive it, or 0 and KT_DOC_NONE when unknown.
 *   reason, when not NULL, receives a malloc'd copy of a failed document's
 *   error (caller frees), else NULL. */
int kt_catalog_doc_find(kt_catalog *c, const char *sha256, long long *id,
			enum kt_doc_status *status, char **reason);

/* kt_catalog_doc_reserve: mark the document being processed, creating its row
 * (and id) when new. Committed at once, so the id survives a crash. */
int kt_catalog_doc_reserve(kt_catalog *c, const char *sha256, const char *source,
			   size_t source_len, const char *format, long long batch_id,
			   long long *id);

/*
 * Parts of a file (issue 9, separator sheets): one scan that separator sheets
 * divide is several documents, each its file's SHA-256 and its part number
 * (1..parts; 0 is a whole file). kt_catalog_doc_find and _reserve find a
 * divided file by its first part, which the batch writes last.
 *
 * kt_catalog_doc_part: make document id the part that part->part, ->parts,
 * ->first_page, ->last_page and ->separator (borrowed) say.
 *
 * kt_catalog_part_reserve: reserve part->part of the file whose document
 * whole is, as kt_catalog_doc_reserve does: *id and *status receive the
 * part's row; a part done before stays done (its status KT_DOC_DONE: do not
 * write it again).
 */
int kt_catalog_doc_part(kt_catalog *c, long long id, const kt_doc *part);
int kt_catalog_part_reserve(kt_catalog *c, long long whole, const kt_doc *part,
			    long long *id, enum kt_doc_status *status);

/* kt_catalog_doc_fail: mark the document failed with its reason. */
int kt_catalog_doc_fail(kt_catalog *c, long long id, const char *reason);

/* One page as the catalog keeps it; strings borrowed for the call. */
typedef struct kt_catalog_page {
	int n, rotation, blank, confidence;
	double skew;
	const char *lang, *text;
	const char *text_source;	/* "pdf", "ocr"; NULL: not known */
	/* what an operator rescans (kt_page_result of kt_ocr.h); stored as
	 * NULL unless measured, ink as NULL when below 0 */
	int measured, paper, ink, cut_words, cut_edges;
} kt_catalog_page;

/*
 * kt_catalog_doc_done: in one transaction, store the document's pages, its
 * extracted fields (metadata, borrowed; stored as kt_doc_meta_to_json
 * writes it, and its case numbers, personal codes, dates and document type
 * in the fields table), its format ("tiff", "png", "jpeg", "pdf"), its
 * package path and version (version->version; recorded among its versions
 * with version->created, NULL: now, and version->reason, why it was made,
 * NULL when ingested; version->package is not read), mark it done and not
 * yet indexed, and link it to the cases its fields name. The pages, fields
 * and links of an earlier version are replaced; its version row is kept.
 */
int kt_catalog_doc_done(kt_catalog *c, long long id, const char *format, const char *package,
			const kt_doc_version *version,
			const kt_doc_meta *metadata, const kt_catalog_page *pages, int npages);

/* kt_catalog_doc_set_indexed: record that the index holds the document. */
int kt_catalog_doc_set_indexed(kt_catalog *c, long long id);

/* kt_catalog_doc_resolve: a DOC argument (an id, or a unique prefix of at
 * least 4 hex digits of a SHA-256) to an id. KT_FAILED with a message when
 * nothing or more than one document matches. */
int kt_catalog_doc_resolve(kt_catalog *c, const char *arg, long long *id);

/*
 * kt_catalog_doc_get: the document as a record (kt_record.h): identity,
 * status, error, format, batch, ingest time, package and its version (also
 * as the one entry of versions), pages, extracted fields, and case links
 * with their evidence (has_links = 1), in case number order.
 * \param[out] out  the record, caller frees with kt_doc_free; NULL on error
 * \return KT_OK; KT_FAILED when there is no such document or its stored
 *         metadata does not conform (message set); KT_FATAL on SQLite errors
 *         or out of memory.
 */
int kt_catalog_doc_get(kt_catalog *c, long long id, kt_doc **out);

/* kt_catalog_doc_json: the document object of the JSON contract (see
 * docs/cli.md): kt_doc_to_json of kt_catalog_doc_get. New reference, caller
 * json_decref()s; NULL with the message set when there is no such document. */
json_t *kt_catalog_doc_json(kt_catalog *c, long long id);

/* kt_catalog_doc_ids: ids of documents, in id order.
 *   which: "all", "done", "unindexed" (done, not yet in the index) or
 *          "packaged" (done, with a package).
 *   *ids receives a malloc'd array (caller frees), *n its length. */
int kt_catalog_doc_ids(kt_catalog *c, const char *which, long long **ids, int *n);

/* kt_catalog_doc_package: the package path of a document, malloc'd (caller
 * frees), or NULL with KT_FAILED when it has none. */
int kt_catalog_doc_package(kt_catalog *c, long long id, char **package);

/* --------------------------------------------------------------- cases */

/* Called once per rejected CSV row during an import: line is where the row
 * begins in the file, reason says why (it may quote the field's value as it
 * is, line breaks included: escape it before printing). Both borrowed for
 * the call. */
typedef void (*kt_catalog_reject_fn)(void *ctx, long line, const char *reason);

/* What an import did with the rows of the file. */
typedef struct kt_catalog_import {
	long added;     /* new case numbers */
	long updated;   /* known case numbers whose record changed */
	long unchanged; /* known case numbers whose record is the same (only the
	                   time of the last import is set) */
	long rejected;  /* rows not imported, each given to the reject callback */
	char separator; /* ',' or ';', as found in the header */
} kt_catalog_import;

/*
 * kt_catalog_cases_import: read case records from a CSV file (header row,
 * UTF-8, RFC 4180 quoting, a byte order mark skipped; columns separated by
 * ',' or ';', whichever splits the header into more known column names;
 * columns case_number (required), personal_code, surname, given_names,
 * birth_date, nationality, case_type, status; extra columns are kept as
 * JSON). New case numbers are added, known ones updated when they differ.
 * A bad row is rejected with its line and reason (fn, may be NULL) and the
 * rest goes on: a field count unlike the header's, an empty case_number, a
 * date column (birth_date, "date", "..._date") that is not a real
 * YYYY-MM-DD date, a personal code refused by kt_record_pcode_check, invalid
 * UTF-8, a malformed quoted field (cases_csv.h: reading goes on at the line
 * after its opening quote). The good rows are written in one transaction;
 * then every document is linked again.
 * \param[out] rep  the counts; on failure only rejected may be non-zero
 * \return KT_OK when the file was read to its end (rows may have been
 *         rejected); KT_FAILED when it cannot be opened or read, has no
 *         header or no case_number column: nothing is imported, the message
 *         says so; KT_FATAL on a catalog error (nothing is imported).
 */
int kt_catalog_cases_import(kt_catalog *c, const char *csv_path, kt_catalog_import *rep,
			    kt_catalog_reject_fn fn, void *ctx);

/* kt_catalog_case_numbers: every known case number, in order: *nums receives a
 * malloc'd array of malloc'd strings, free with kt_catalog_strings_free. */
int kt_catalog_case_numbers(kt_catalog *c, char ***nums, int *n);
void kt_catalog_strings_free(char ***strs, int n);

/* kt_catalog_case_json: the case record, or NULL with KT_FAILED set when the
 * case is unknown: its columns case_number .. status (null when empty),
 * "extra" (the extra columns of the import, an object, absent when none) and
 * "imported" (when it was last imported, UTC ISO time). New reference. */
json_t *kt_catalog_case_json(kt_catalog *c, const char *case_number);

/* kt_catalog_case_doc_ids: documents linked to a case, in order (first date
 * found in the document, then id): malloc'd array, caller frees. */
int kt_catalog_case_doc_ids(kt_catalog *c, const char *case_number, long long **ids, int *n);

/* ------------------------------------------------- links and review */

/* Links at or above this confidence are made without review; below it they
 * are suggestions in the review queue (docs/cases.md, "Linking"). The
 * catalog's view case_links holds the same number (the _SQL spelling). */
#define KT_CATALOG_LINK_THRESHOLD 0.8
#define KT_CATALOG_LINK_THRESHOLD_SQL "0.8"

/* What a person decides about a document's link to a case. */
enum kt_link_decision {
	KT_LINK_ACCEPT,  /* a suggestion is right: the link is made */
	KT_LINK_REJECT,  /* a link or suggestion is wrong: it is taken away */
	KT_LINK_MANUAL,  /* link the document to a case by hand */
	KT_LINK_NONE     /* the document belongs to no case (case_number NULL):
	                    out of the queue until new evidence comes */
};

/*
 * kt_catalog_link_decide: record a decision on the link of document doc_id
 * to case_number, by user (borrowed; e.g. the operating system user), now.
 * A later decision on the same link replaces the earlier one; no automatic
 * run (ingest, reprocess, cases import, rebuild) ever changes a decision.
 * KT_LINK_NONE also rejects the document's open suggestions.
 *
eturn KT_OK; KT_FAILED with the reason (no such done document, no such
 *         case, accept with no suggestion of that case, reject of a link
 *         the document does not have); KT_FATAL on a catalog error.
 */
int kt_catalog_link_decide(kt_catalog *c, long long doc_id, const char *case_number,
			   enum kt_link_decision decision, const char *user);

/*
 * kt_catalog_review_json: the review queue, in document id order: one
 * object per open suggestion (a link below the threshold nobody decided),
 *   {"doc_id", "source", "doc_type", "date" (the document's first date),
 *    "reason": "suggestion", "case_number", "rule", "confidence", "evidence"}
 * one per done document with no link and no suggestion that nobody
 * marked as belonging to no case, {"doc_id", "source", "doc_type", "date",
 * "reason": "unlinked"} (with "paper_file_case" and "paper_file_evidence"
 * when the other documents of its paper file that have links all have one
 * case: a hint for the person), and one per pair of documents flagged as the same
 * pages scanned again that nobody decided on, under the later document:
 * {..., "reason": "duplicate", "of_doc", "similarity" (0-1), "evidence"
 * ("page 1 ~ page 1 (0.97); ...")}. ("source" as kt_doc_source_escape
 * writes it.) New reference; NULL with the message set on c.
 */
json_t *kt_catalog_review_json(kt_catalog *c);

/*
 * kt_catalog_dup_decide: record whether documents doc_id and other, flagged
 * as duplicates (a page of one scanned again in the other), are
 * (duplicate = 1) or are not (0) the same paper, by user, now; either way
 * the pair leaves the review queue, and no automatic run brings it back.
 * \return KT_OK; KT_FAILED when the pair is not flagged; KT_FATAL.
 */
int kt_catalog_dup_decide(kt_catalog *c, long long doc_id, long long other, int duplicate,
			  const char *user);

/* --------------------------------------------------------- paper files */

/* kt_catalog_paper_folder: the paper file (folder) of a source path as
 * given: *folder_len receives the length of its folder part (source[0 ..
 * *folder_len)); "a/b.tif" gives "a", "/b.tif" "/", "b.tif" "" (the folder
 * "."). */
void kt_catalog_paper_folder(const char *source, size_t len, size_t *folder_len);

/* kt_catalog_paper_file_ids: the done documents of one paper file, the
 * files directly in folder (folder[0..len), bytes as sources are kept; ""
 * for bare names), in the order of their names: malloc'd array, caller
 * frees. */
int kt_catalog_paper_file_ids(kt_catalog *c, const char *folder, size_t len, long long **ids,
			      int *n);

/* --------------------------------------------------------- corrections */

/*
 * kt_catalog_corrections_add: record corrections of document id (borrowed;
 * each checked with kt_doc_correction_check, with user and at set), in one
 * transaction, after those it has. They are applied over every version made
 * after (pipeline: kt_reprocess, kt_edit) and shown with the document
 * ("corrections"). *first receives the id of the first row, for
 * kt_catalog_corrections_drop.
 *
eturn KT_OK; KT_FAILED with the reason (a value refused, no such done
 *         document), nothing recorded; KT_FATAL on a catalog error.
 */
int kt_catalog_corrections_add(kt_catalog *c, long long id, const kt_doc_correction *list,
			       size_t n, long long *first);

/* kt_catalog_corrections_drop: take back the corrections of document id
 * from row first on (those one kt_catalog_corrections_add recorded, when
 * the version they were for could not be made). KT_OK or KT_FATAL. */
int kt_catalog_corrections_drop(kt_catalog *c, long long id, long long first);

/* ------------------------------------------------------- fixity checks */

/*
 * kt_catalog_fixity_record: record one fixity audit of an archive package
 * (table fixity_checks, schema version 2).
 *   package   the package path relative to the archive folder
 *   doc_id    its document, 0 when unknown
 *   checked   the time of the check "YYYY-MM-DDTHH:MM:SSZ"; NULL: now
 *   passed    1 pass, 0 fail
 *   problems  a JSON array ([{"file","problem"}]), borrowed; NULL: []
 *   event     the PREMIS fixity event (XML), may be NULL
 */
int kt_catalog_fixity_record(kt_catalog *c, const char *package, long long doc_id,
			     const char *checked, int passed, json_t *problems, const char *event);

/* kt_catalog_fixity_last: *checked receives the time of the package's last
 * fixity check (malloc'd, caller frees), or NULL when it was never checked. */
int kt_catalog_fixity_last(kt_catalog *c, const char *package, char **checked);

/* kt_catalog_fixity_json: the fixity checks of one package (or of all when
 * package is NULL), oldest first: [{"package","doc_id","checked","result",
 * "problems","event"}]. New reference; NULL with the message set. */
json_t *kt_catalog_fixity_json(kt_catalog *c, const char *package);

/* ------------------------------------------------------------- rebuild */

/*
 * kt_catalog_doc_restore: put a document back from its archive package's
 * record (data/metadata/document.json as kt_package_read_record reads it:
 * id, source, sha256, format, batch, pages, metadata; borrowed), in one
 * transaction: the document row with the record's id, status done, not
 * indexed, the package path and version; its pages, fields and case links.
 * The batch is found by name, or created (start and end = now, counts = its
 * documents). The source is stored as the record's bytes (source,
 * source_len: kt_doc_from_json has turned "\xHH" back into the bytes that
 * were not UTF-8). The ingest time is not in the record and stays NULL.
 * Returns KT_OK; KT_FAILED when the record lacks id, sha256 or source, or
 * another document has its SHA-256; KT_FATAL on SQLite errors or out of
 * memory.
 */
int kt_catalog_doc_restore(kt_catalog *c, const kt_doc *record, const char *package,
			   int package_version);

/*
 * kt_catalog_version_restore: record package version n of document id (its
 * path relative to the archive folder; created "YYYY-MM-DDTHH:MM:SSZ" and
 * reason may be NULL: unknown), as a rebuild finds it in the archive. A
 * version already recorded keeps the time and reason it has. The document
 * must exist (kt_catalog_doc_restore first). KT_OK, KT_FAILED (no package,
 * n < 1), KT_FATAL on SQLite errors.
 */
int kt_catalog_version_restore(kt_catalog *c, long long id, int n, const char *package,
			       const char *created, const char *reason);

/*
 * kt_catalog_no_checkpoint_on_close: this connection never copies the WAL
 * into the database file (no checkpoint on close, no automatic checkpoint):
 * its commits stay in catalog.sqlite-wal until another writer checkpoints.
 * For small audit writes (kartoteka verify) that should leave the database
 * file itself untouched, so that a copy of the store taken meanwhile (cp -a)
 * is never torn. Call after kt_catalog_open. KT_OK or KT_FAILED.
 */
int kt_catalog_no_checkpoint_on_close(kt_catalog *c);

/* ------------------------------------------ persons (catalog_person.c)
 * The person view (`kartoteka person`, issue 9 "Retrieval"): the cases of
 * one person and the documents with a personal code linked to no case. */

/*
 * kt_catalog_person_cases_by_code: the case numbers whose personal_code is
 * code exactly (canonical form, as the import stores it), in order.
 * \param[out] nums  malloc'd array of malloc'd strings (NULL when none);
 *                   free with kt_catalog_strings_free(nums, *n)
 * \return KT_OK (also when none match), KT_FATAL on SQLite errors or out of
 *         memory (message on c, *nums NULL, *n 0)
 */
int kt_catalog_person_cases_by_code(kt_catalog *c, const char *code, char ***nums, int *n);

/*
 * kt_catalog_person_cases_by_name: the case numbers whose person has the
 * name, in order. The name and the case records' surname and given names
 * are folded (kt_fold, lower-cased, diacritics dropped: "Berzins" finds
 * "Bērziņš") and split into words; one word matches a word of the surname
 * or of the given names; more words match "SURNAME GIVEN..." (the first a
 * word of the surname, the others of the given names) or "GIVEN... SURNAME".
 * Ownership and return as kt_catalog_person_cases_by_code.
 */
int kt_catalog_person_cases_by_name(kt_catalog *c, const char *name, char ***nums, int *n);

/*
 * kt_catalog_person_unlinked_doc_ids: the done documents whose extracted
 * personal codes hold code and that are linked to no case, in the order of
 * kt_catalog_case_doc_ids (first date, then id).
 * \param[out] ids  malloc'd array (caller frees; NULL when none), *n its length
 * \return KT_OK, KT_FATAL on SQLite errors or out of memory
 */
int kt_catalog_person_unlinked_doc_ids(kt_catalog *c, const char *code, long long **ids, int *n);

/* ------------------------------------ erasure (issue 21, catalog_erase.c) */

/* What the catalog keeps of an erased document; strings borrowed. */
typedef struct kt_catalog_erasure {
	long long id;
	const char *sha256;        /* of its original */
	int part;                  /* 0: a whole file; k: part k of its file */
	const char *erased;        /* "YYYY-MM-DDTHH:MM:SSZ" */
	const char *reason, *requested_by, *approved_by;
	long long request_id;      /* 0: none */
} kt_catalog_erasure;

/*
 * kt_catalog_doc_erase: erase document e->id: its row and everything that
 * hangs on it (pages, fields, links, decisions, corrections, sketches,
 * duplicates, versions, fixity checks) deleted, the source name of its batch
 * rows blanked, and e recorded in the erased table, in one transaction; then
 * the WAL checkpointed and truncated, so that with secure_delete (on for
 * every connection) no deleted byte stays in the catalog's files. An id
 * already erased is recorded again (a no-op for its rows). KT_OK or KT_FATAL.
 */
int kt_catalog_doc_erase(kt_catalog *c, const kt_catalog_erasure *e);

/* kt_catalog_erased_find: the erased document whose original had sha256:
 * *id (0 when none) and, when erased is not NULL, its date (21 bytes). */
int kt_catalog_erased_find(kt_catalog *c, const char *sha256, long long *id, char erased[21]);

/* kt_catalog_erased_json: the erased documents, id order, each
 * {"id", "sha256", "status": "erased", "erased"} (and "part" when a part).
 * New reference; NULL on error (message on c). */
json_t *kt_catalog_erased_json(kt_catalog *c);

/*
 * kt_catalog_retention_docs: every document that is done, in id order, with
 * the case records it is linked to: [{"id", "cases": [{"case_number",
 * "case_type", "closed_date"}]}] (case_type and closed_date absent when the
 * record has none or there is no record of the case). New reference; NULL
 * on error (message on c).
 */
json_t *kt_catalog_retention_docs(kt_catalog *c);

/* kt_catalog_erased_get: erased document id: the SHA-256 of its original
 * into sha256 and its part (0: a whole file) into *part. KT_OK; KT_FAILED
 * when no document id was erased; KT_FATAL (message on c). */
int kt_catalog_erased_get(kt_catalog *c, long long id, char sha256[65], int *part);

/* ------------- erasure of a case (issue 21, catalog_erase_case.c; kept
 * apart from the erasure of documents above) */

/*
 * kt_catalog_case_erase: erase case case_number (borrowed) for good: its
 * record, and the links and link decisions that name it (those of
 * documents left in place because they are linked to another case too), in
 * one transaction, with SQLite secure_delete and then the WAL checkpointed
 * and truncated. Its documents are erased before, one by one (kt_erase).
 * KT_OK; KT_FAILED when the catalog knows no such case (nothing changed);
 * KT_FATAL on SQLite errors. The message is on c.
 */
int kt_catalog_case_erase(kt_catalog *c, const char *case_number);

#ifdef __cplusplus
}
#endif

#endif
