/*
 * runner_private.h - what the parts of the batch runner share: the run of one
 * batch (kt_run), a document in flight (kt_run_doc), the window of documents
 * in flight, and the walks over the stage table.
 *
 *   runner.c          the window: a file enters (read, hash, look up, reserve,
 *                     begin halves) and leaves (end halves, outcome recorded);
 *                     kt_ingest and kt_reindex (kt_pipeline.h)
 *   runner_stages.c   the stage table doc_stages[], its stage functions and
 *                     the walks over it (kt_run_begin, kt_run_end);
 *                     index commits (kt_run_flush_index)
 *   runner_record.c   what is made from a document in flight: the package's
 *                     document record (kt_doc of kt_record.h) and the pages of
 *                     the full-text index
 *
 * Everything here runs on the main thread, the single writer; only the pages
 * of a kt_run_doc (its kt_page_set) are out with the OCR workers (worker.c)
 * between its stages' begin and end halves.
 */
#ifndef KT_RUNNER_PRIVATE_H
#define KT_RUNNER_PRIVATE_H

#include "kt_catalog.h"
#include "kt_extract.h"
#include "kt_index.h"
#include "kt_ocr.h"
#include "kt_pipeline.h"
#include "kt_record.h"
#include "kt_sha.h"
#include "kt_status.h"
#include "worker_private.h"

#include <jansson.h>
#include <stddef.h>
#include <time.h>

/* Index commits are batched: one commit (a disk sync) per this many
 * documents, or per this many seconds, and at the end of the batch. A
 * document is marked indexed only after the commit that holds it. */
#define INDEX_COMMIT_DOCS 32
#define INDEX_COMMIT_SECONDS 10

/* The window is also bounded by the file bytes it holds: no new file is read
 * while the documents in flight hold this much (one file is always let in). */
#define WINDOW_MAX_BYTES ((size_t)512 << 20)

struct kt_run_doc;

/* Documents between entering and leaving, oldest first: a ring of cap slots,
 * len of them used from head. The window owns the documents in it. */
typedef struct kt_window {
	struct kt_run_doc **d;
	int cap, head, len;
	size_t bytes;              /* file bytes held */
} kt_window;

/* What one batch run holds for all its files; lives on kt_ingest's stack. */
typedef struct kt_run {
	kt_store *store;           /* borrowed from the caller of kt_ingest */
	kt_catalog *catalog;       /* the store's */
	kt_pool *pool;             /* OCR workers, started on the first file that needs them */
	int jobs;
	kt_extract_cfg *xcfg;      /* owned */
	const char *batch_name;
	long long batch_id;
	const kt_ingest_opts *opts;
	int files_done, files_total;
	long long *unindexed;      /* put into the index, not committed yet; owned */
	int n_unindexed, cap_unindexed;
	time_t last_commit;
	kt_window win;             /* documents in flight */
} kt_run;

/* A document in flight: one file on its way through the stages, from the
 * moment it enters the window until it leaves it. Each stage reads what
 * earlier stages made and adds its own part. Owned by the window; freed with
 * kt_run_doc_free. */
typedef struct kt_run_doc {
	const char *path;          /* as found; borrowed from the walk */
	const unsigned char *data; /* the file's bytes (buf) */
	size_t len;
	char sha256[KT_SHA256_HEX];
	long long id;
	int version;               /* the package version to write: 1 when ingested,
	                              the next one when reprocessed (kt_reprocess) */
	const char *version_reason;/* why that version was made (reprocess); NULL
	                              when ingested; borrowed */
	const kt_doc *history;     /* reprocess: the catalog's record, whose
	                              versions the new package's record lists
	                              before its own; NULL when ingested; borrowed */
	kt_source *src;            /* identify */
	kt_page_set set;           /* pages: out with the workers */
	kt_page_result *pages;     /* pages */
	int npages;
	kt_doc *rec;               /* extract: the package's record (document.json),
	                              with the extracted fields typed (rec->meta) */
	char *package;             /* archive */
	kt_doc *stored;            /* catalog: the document as the catalog has it */
	kt_error err;
	/* the runner's bookkeeping */
	unsigned char *buf;        /* owns data */
	int rc;                    /* outcome of the stages so far (kt_run_begin, kt_run_end) */
	int final;                 /* the outcome is known without the later stages */
	int same_as_earlier;       /* an earlier file in flight has the same bytes */
	kt_file_event ev;
	char reason[KT_ERRMSG_MAX];
	char warning[KT_ERRMSG_MAX]; /* a stage's warning on a file that is done */
	/* Added by issue 9, separator sheets (runner_parts.c): a part of the
	 * file, as kt_doc's part, parts, first_page, last_page and separator
	 * (borrowed: from the whole file's page results, or d->history) */
	int part, parts, first_page, last_page;
	const char *separator;
	int other_pages;           /* pages of the file's other parts written */
	kt_page_result *sheets;    /* the file's page results once it is divided:
	                              the sheets' (whose codes separator and the
	                              parts borrow), the rest released; owned */
	int n_sheets;
} kt_run_doc;

/*
 * kt_run_begin (runner_stages.c): run the begin half of every stage of
 * doc_stages[] in order (identify; pages: hand them to the workers), when the
 * file has been read and its id reserved, until one does not return KT_OK.
 * Sets and returns d->rc: KT_OK, KT_FAILED (give this file up) or KT_FATAL
 * (stop the batch), the message on d->err.
 */
int kt_run_begin(kt_run *r, kt_run_doc *d);

/*
 * kt_run_end (runner_stages.c): when the document's turn to be written comes
 * and d->rc is still KT_OK, run the end half of every stage in order (wait for
 * the pages, extract, archive, catalog, index) until one fails. A stage that
 * ends in KT_WARN leaves the document done: its message goes to d->warning and
 * d->err is cleared. Sets and returns d->rc as kt_run_begin.
 */
int kt_run_end(kt_run *r, kt_run_doc *d);

/*
 * kt_run_separate (runner_parts.c): the end half of stage "separate": when
 * separator sheets (page results with a separator code) divide the file's
 * pages, write every part but the first as a document of its own (reserved
 * with kt_catalog_part_reserve; one written before is skipped) through the
 * stages after this one (kt_run_end_rest), then make d the first part, whose
 * row (the file's) the later stages mark done last. KT_OK, KT_FAILED (a part
 * could not be written, or every page is a sheet; message on d->err) or
 * KT_FATAL.
 */
int kt_run_separate(kt_run *r, kt_run_doc *d);

/* kt_run_end_rest (runner_stages.c): kt_run_end from the stage after
 * "separate" on (extract, archive, catalog, index). */
int kt_run_end_rest(kt_run *r, kt_run_doc *d);

/* kt_run_flush_index (runner_stages.c): commit the index and mark the
 * documents it now holds indexed (r->unindexed, then emptied). Returns KT_OK,
 * or KT_FATAL with the message in err. A crash before the catalog says so is
 * repaired by kt_reindex. */
int kt_run_flush_index(kt_run *r, kt_error *err);

/* kt_run_package_record (runner_record.c): the document as the archive keeps
 * it (document.json), enough to rebuild the catalog, made from the stages'
 * results so far and the extractor's metadata (borrowed), which is read here
 * into the record's typed fields (kt_doc_meta_from_json), the one place the
 * runner reads it. Returns NULL with the message on d->err (KT_FATAL when
 * out of memory, KT_FAILED when the metadata does not conform); caller frees
 * with kt_doc_free. */
kt_doc *kt_run_package_record(const kt_run *r, kt_run_doc *d, const json_t *metadata);

/*
 * The corrections people made (issue 9), carried into every version
 * (runner_record.c), from the catalog's record of a reprocessed document
 * (d->history; none when ingested): kt_run_corrected_pages sets the
 * corrected page texts in d->pages (text_source "edited"), before
 * extraction reads them;
 * kt_run_corrected_record sets the corrected fields in d->rec->meta and
 * lists the corrections in d->rec. KT_OK or KT_FATAL (on d->err).
 */
int kt_run_corrected_pages(kt_run_doc *d);
int kt_run_corrected_record(kt_run_doc *d);

/* kt_run_index_put (runner_record.c): put one catalogued document (doc, as
 * kt_catalog_doc_get gives it; borrowed) into the index, page by page,
 * without committing: the caller commits, then marks the document indexed.
 * Returns KT_OK, or KT_FATAL with the message in err. */
int kt_run_index_put(kt_index *ix, const kt_doc *doc, kt_error *err);

/* kt_run_doc_free (runner.c): free a document in flight and set *dp to
 * NULL; NULL is a no-op. Its pages must not be out with the workers. */
void kt_run_doc_free(kt_run_doc **dp);

/* kt_run_extract_cfg (runner.c): the extractor's configuration of a run
 * (r->xcfg, owned by the run; kt_extract_cfg_free): the store's case number
 * patterns and the case numbers the catalog knows. KT_OK or KT_FATAL. */
int kt_run_extract_cfg(kt_run *r, kt_error *err);

/* kt_run_base_name (runner.c): the last part of path ("a/b.tif" -> "b.tif"),
 * pointing into path. */
const char *kt_run_base_name(const char *path);

#endif
