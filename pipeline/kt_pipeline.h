/*
 * kt_pipeline.h - the store and the ingest pipeline.
 *
 * A store is one folder:
 *   STORE/kartoteka.conf   configuration (case number patterns, organisation, caps)
 *   STORE/catalog.sqlite   the catalog (index/kt_catalog.h)
 *   STORE/xapian/          the full-text index (index/kt_index.h)
 *   STORE/archive/         one package per document version (archive/kt_archive.h)
 *
 * Ingest walks files and folders, and drives each file through the document
 * stages (runner.c): read -> identify -> pages (ocr/) -> extract -> archive ->
 * catalog (with case links) -> index. A file is known by the SHA-256 of its
 * bytes: one already done is skipped, one that failed is skipped unless
 * retry_failed is set. The order of the last three stages makes a crash at any
 * moment safe: a package without a catalog row is rewritten identically, a
 * catalog row not yet indexed is indexed when the next batch starts.
 */
#ifndef KT_PIPELINE_H
#define KT_PIPELINE_H

#include <stddef.h>

#include <jansson.h>

#include "kt_record.h"
#include "kt_status.h"
#include "kt_strv.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kt_catalog;
struct kt_index;
struct kt_archive;

/* ------------------------------------------------------------------ config */

typedef struct kt_config {
	char organisation[256];    /* bag-info Source-Organization */
	kt_strv case_patterns;     /* POSIX extended regular expressions */
	long max_pixels;           /* page size cap; 0 = the default */
	long long max_file_bytes;  /* larger files are refused */
	char tessdata[1024];       /* "" = Tesseract's default */
	int separator_sheets;      /* 1 (default): a page that is a separator
	                              sheet (bar code or QR code on an otherwise
	                              empty page) divides a multi-page scan into
	                              documents; 0: every page is content */
	kt_strv retention;         /* issue 21: "CASE_TYPE PERIOD" each (PERIOD a
	                              whole number and y, m or d: 10y, 18m, 90d),
	                              counted from the case's closed_date
	                              (docs/lifecycle.md "Retention") */
} kt_config;

/* kt_config_load: read a "key = value" file (# comments); a missing file gives
 * the defaults. Numbers are parsed strictly; max_file_bytes takes a unit (K, M,
 * G, T: powers of 1024). An unknown key or a wrong value is an error (KT_FATAL,
 * the message names the file, the line, the key and the value). Release with
 * kt_config_release. */
int kt_config_load(kt_config *cfg, const char *path, kt_error *err);
/* kt_config_write_default: write a commented default configuration to path. */
int kt_config_write_default(const char *path, kt_error *err);
void kt_config_release(kt_config *cfg);

/* ------------------------------------------------------------------- store */

typedef struct kt_store kt_store;

enum { KT_STORE_READ = 0, KT_STORE_WRITE = 1 };

/*
 * kt_store_open: open the store folder dir (created, with a default
 * configuration, when mode is KT_STORE_WRITE and it does not exist or holds
 * no store; KT_STORE_READ refuses a folder that holds no store and creates
 * nothing in it).
 * *out receives the store, caller frees with kt_store_free.
 * Returns KT_OK or KT_FATAL with the message in err.
 */
int kt_store_open(const char *dir, int mode, kt_store **out, kt_error *err);

/* kt_store_exists: 1 when dir is a folder holding a store (its
 * kartoteka.conf or its catalog.sqlite), else 0 (no such folder, not a
 * folder, or a folder without a store: a mistyped --store). */
int kt_store_exists(const char *dir);

/* kt_store_writable: 1 when this process may write the store folder dir and
 * its catalog (effective user; permission bits do not stop root, a read-only
 * mount does), else 0. A store that is not writable is opened with
 * KT_STORE_READ. */
int kt_store_writable(const char *dir);

/* Borrowed parts of an open store, valid until kt_store_free. The index is
 * opened on first use (a new store has none): NULL with the message in err
 * when it cannot be opened. */
struct kt_catalog *kt_store_catalog(kt_store *s);
struct kt_archive *kt_store_archive(kt_store *s);
struct kt_index *kt_store_index(kt_store *s, kt_error *err);
const kt_config *kt_store_config(const kt_store *s);
const char *kt_store_dir(const kt_store *s);

void kt_store_free(kt_store **s);

/* ------------------------------------------------------------------ ingest */

/* What became of one file. */
typedef struct kt_file_event {
	const char *path;          /* as found, may hold any bytes */
	size_t path_len;
	int outcome;               /* enum kt_outcome of kt_catalog.h */
	long long doc_id;          /* 0 when the file never became a document */
	int pages;
	const char *reason;        /* why it failed or was skipped, else NULL */
	const char *warning;       /* done, but something is worth telling, else NULL */
} kt_file_event;

typedef struct kt_ingest_opts {
	const char *batch_name;    /* NULL: "<first folder's name>-<YYYY-MM-DD>" */
	/* add the files to the newest batch of that name (a watched folder's
	 * batch of the day) rather than start a new one */
	int join_batch;
	int retry_failed;          /* process files that failed before */
	/* NULL: a file whose document was erased fails ("was erased");
	 * else the admin who takes such files in again, as new documents
	 * (named in the file's warning; the erased document stays erased) */
	const char *readmit_erased_by;
	/* called after each file (ev set), and now and then while pages are
	 * recognised (ev == NULL, done files so far); on the calling thread */
	void (*progress)(void *ctx, int done, int total, const kt_file_event *ev);
	void *ctx;
	int jobs;                  /* OCR workers, each with its own engines; 0 = one per core */
	/* when not NULL, called with the pages recognised so far (of files that
	 * are done, failed or still in flight), on the calling thread */
	void (*pages)(void *ctx, int pages_done);
} kt_ingest_opts;

typedef struct kt_ingest_report {
	long long batch_id;
	int files, done, skipped, failed, pages;
} kt_ingest_report;

/*
 * kt_ingest: ingest the files and folders in paths (folders recursively, in
 * name order; hidden entries and symbolic links to folders are passed over).
 * Pages are recognised by opts->jobs worker threads; documents are written
 * (archive, catalog, index) by the calling thread, in input order.
 * Each failed file is recorded with its reason and the batch goes on.
 * Index commits are batched: a document is marked indexed only after the
 * commit that holds it, so a crash leaves kt_reindex to finish the rest.
 * Fault site "archive_write" (kt_fault.h): a package write that fails as
 * on a full disk (KT_FATAL).
 * Returns KT_OK when every file is done or skipped, KT_WARN when some failed,
 * KT_FATAL (message in err) when the batch had to stop.
 */
int kt_ingest(kt_store *s, const char *const *paths, int npaths, const kt_ingest_opts *opts,
	      kt_ingest_report *report, kt_error *err);

/* kt_reindex: put every done document the index lacks into it. */
int kt_reindex(kt_store *s, int *count, kt_error *err);

/* --------------------------------------------------------------- reprocess */

typedef struct kt_reprocess_opts {
	const char *reason;        /* why (an engine upgrade, other options, ...):
	                              required, kept in the version's record and
	                              in a PREMIS event of its package */
	int jobs;                  /* OCR workers; 0 = one per core */
} kt_reprocess_opts;

/*
 * kt_reprocess: make document id again from its original, read from its
 * current package (checked against the manifest and the catalog's SHA-256),
 * through the same stages as a batch, into a new package version beside the
 * old ones: ".../kt-<id>-<sha16>-v<n+1>.tar", nothing overwritten. The new
 * package's record lists every version with when and why it was made, its
 * METS a "modification" event with the reason. The catalog then holds the
 * new version's pages, fields and links (the versions table keeps all), the
 * index its pages. A failure on the way leaves the document as it was.
 *   version  receives the new version's number (may be NULL)
 *   package  receives its path relative to the archive folder, malloc'd,
 *            caller frees (may be NULL)
 * Returns KT_OK (KT_WARN: written, with a warning in err); KT_FAILED when the
 * document is unknown, not done, has no reason given, or its original cannot
 * be read or no longer matches, or a page fails now (message in err);
 * KT_FATAL on catalog, index or disk trouble.
 */
int kt_reprocess(kt_store *s, long long id, const kt_reprocess_opts *opts, int *version,
		 char **package, kt_error *err);

/* --------------------------------------------------------------- retention */

/*
 * kt_retention: what the store's retention schedule (kt_config.retention)
 * makes due as of today ("YYYY-MM-DD"; NULL: today, UTC): a document is due
 * when every case it is linked to is of a type the schedule names, has a
 * closed_date, and that date plus the type's period is today or earlier.
 *   out  receives a new JSON array, in document id order, of
 *        {"doc_id", "state": "due", "due": "YYYY-MM-DD", "rules": ["asylum
 *        10y after closed_date 2014-03-01 (case X), due 2024-03-01", ...],
 *        "cases": [{"case_number", "case_type", "closed_date"}]} and, for a
 *        document linked to no case, {"doc_id", "state": "review", "rule"};
 *        documents not due are not listed. Holds are the caller's to mark.
 * Nothing is erased by it. KT_OK; KT_FAILED (today is no date); KT_FATAL.
 */
int kt_retention(kt_store *s, const char *today, json_t **out, kt_error *err);

/* ------------------------------------------------------------------- erase */

/* Who and why, for the tombstone of an erased document; strings borrowed. */
typedef struct kt_erase_info {
	const char *reason;        /* why: the request's reason or the retention
	                              rule that made it due; required */
	const char *requested_by;  /* the user who requested it; required */
	const char *requested_at;  /* "YYYY-MM-DDTHH:MM:SSZ"; NULL: now */
	const char *approved_by;   /* the user who approved it (not the
	                              requester); required */
	long long request_id;      /* the request's id in the access database;
	                              0: none */
} kt_erase_info;

/*
 * kt_erase: erase document id from the store for good (issue 21,
 * docs/lifecycle.md): every package version of it is overwritten and
 * removed from the archive folder, its pages, fields, links, corrections,
 * sketches, versions and source name from the catalog (SQLite secure_delete,
 * the WAL checkpointed and truncated), its pages from the index (deleted,
 * then the database compacted so that no freed block keeps a term). What
 * stays: a tombstone in the archive folder (archive/<sha2>/kt-<id>-erased.json,
 * with a PREMIS deletion event: id, SHA-256 of the original, when, the
 * reason, who requested and who approved), which rebuild reads, and the
 * catalog's row of it (docs --json: {"id", "sha256", "status": "erased",
 * "erased"}). The four-eyes rule and holds are the caller's to check.
 * Returns KT_OK; KT_FAILED when the document is unknown, already erased or
 * info lacks what is required; KT_FATAL on catalog, index or disk trouble
 * (what was done stays done: running it again finishes the erasure).
 */
int kt_erase(kt_store *s, long long id, const kt_erase_info *info, kt_error *err);

/* -------------------------------------------------------------------- edit */

/*
 * kt_edit: correct what OCR and extraction got wrong (issue 9): record the
 * corrections list[0..n) of document id (borrowed; each with its field,
 * page, value, user and at, checked with kt_doc_correction_check; a
 * page_text page must exist) in the catalog, then write a new package
 * version with kt_reprocess (opts->reason required), which applies every
 * correction the document has over what OCR and extraction give: page texts
 * before extraction reads them, fields after. Every later version (a
 * reprocess after an engine upgrade) applies them again; the package
 * record lists them ("corrections"), so rebuild gets them back. When the
 * version cannot be made, the corrections are taken back.
 *   version, package  as kt_reprocess
 *
eturn as kt_reprocess; KT_FAILED also for nothing to correct, a value
 *         refused or a page the document does not have (nothing recorded).
 */
int kt_edit(kt_store *s, long long id, const kt_doc_correction *list, size_t n,
	    const kt_reprocess_opts *opts, int *version, char **package, kt_error *err);

/* ----------------------------------------------------------------- rebuild */

/* What became of one package kt_rebuild tried to restore (the newest
 * version of a document). Strings borrowed for the duration of the call. */
typedef struct kt_rebuild_event {
	const char *package;       /* its path relative to STORE/archive */
	long long doc_id;
	int version;
	int rc;                    /* KT_OK restored; KT_FAILED not restored (the
	                              rebuild goes on); KT_FATAL the catalog
	                              cannot go on (the rebuild stops) */
	const char *reason;        /* why not, e.g. "data/metadata/document.json
	                              names another document (...)"; NULL when
	                              restored */
} kt_rebuild_event;

typedef struct kt_rebuild_opts {
	int force;                 /* move an existing catalog aside as
	                              catalog.sqlite.old* (with its -wal, -shm);
	                              without it an existing catalog is an error */
	/* when not NULL, called once per document tried, in id order */
	void (*package)(void *ctx, const kt_rebuild_event *ev);
	void *ctx;
} kt_rebuild_opts;

typedef struct kt_rebuild_report {
	int packages;              /* package files in the archive */
	int documents;             /* documents tried: one package each, the newest */
	int restored, failed;      /* of those */
	int indexed;               /* documents indexed again */
} kt_rebuild_report;

/*
 * kt_rebuild: make the catalog and the full-text index of the store dir
 * again from its archive alone (docs/archive.md, Rebuild): the store folder
 * and its archive folder must exist; an existing catalog is refused unless
 * opts->force, which moves it aside; the index folder is removed; for every
 * document the newest package's record (kt_package_read_record) is restored
 * into a new catalog with its id (kt_catalog_doc_restore); then every
 * document is indexed (kt_reindex). Not in the archive, so not rebuilt: case
 * records and links, failed documents, batch file lists, fixity history,
 * ingest times. Run it with nothing else working on the store.
 * \param[in]  opts    may be NULL (no force, no callback)
 * \param[out] report  may be NULL; filled as far as the rebuild went
 * \return KT_OK every document restored; KT_WARN some could not be (each
 *         told to opts->package; summary in err); KT_FATAL (message in err)
 *         when the rebuild could not be done or had to stop
 */
int kt_rebuild(const char *dir, const kt_rebuild_opts *opts, kt_rebuild_report *report,
	       kt_error *err);

#ifdef __cplusplus
}
#endif

#endif
