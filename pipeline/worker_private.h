/*
 * worker_private.h - the OCR workers of a batch (worker.c).
 *
 * A pool is N threads; each owns one kt_ocr engine set, made once when the
 * thread starts and used for every page it takes. The runner submits the
 * pages of a document as a kt_page_set; any worker takes any page, decodes it
 * from the document's kt_source (read-only while pages are out) and writes the
 * page's result into its own slot: text, ALTO, and for a recognised page its
 * master (lossless TIFF) and one-page searchable PDF, encoded, so the writer
 * never holds a decoded image. Nothing else is shared: no catalog, no
 * index, no archive.
 */
#ifndef KT_WORKER_PRIVATE_H
#define KT_WORKER_PRIVATE_H

#include "kt_ocr.h"
#include "kt_status.h"

/* The pages of one document, out with the workers. Fill src, path, pages and
 * n before kt_pool_submit; the other fields belong to the pool until
 * kt_pool_wait_set says the set is finished. */
typedef struct kt_page_set {
	kt_source *src;           /* borrowed; read-only while pages are out */
	const char *path;         /* for messages */
	kt_page_result *pages;    /* n slots, each kt_page_result_init'ed */
	int n;
	int first;                /* pages[i] is the source's page first + i */
	int separators;           /* 1: a page that is a separator sheet
	                             (kt_separator_sheet) is not recognised: its
	                             slot gets the code (separator), text "",
	                             blank 1 */
	int left;                 /* pages not finished yet */
	int rc;                   /* KT_OK, or the worst outcome of a page */
	int fail_page;            /* lowest page (0-based) with that outcome */
	kt_error err;             /* its message */
} kt_page_set;

typedef struct kt_pool kt_pool;

/*
 * kt_pool_start: start n worker threads (n >= 1), each loading its engines
 * from tessdata (NULL: Tesseract's default). *out receives the pool, caller
 * frees with kt_pool_free. Returns KT_OK or KT_FATAL (message in err).
 * An engine that cannot be loaded fails every page its thread takes with
 * KT_FATAL and the engine's message.
 */
int kt_pool_start(int n, const char *tessdata, kt_pool **out, kt_error *err);

/* kt_pool_submit: queue every page of set. Returns KT_OK or KT_FATAL (out of
 * memory, message in err). A set with no pages is finished at once. */
int kt_pool_submit(kt_pool *p, kt_page_set *set, kt_error *err);

/* kt_pool_wait_set: wait until set is finished or ms milliseconds passed,
 * whichever comes first (ms = 0: do not wait). Returns 1 when finished. */
int kt_pool_wait_set(kt_pool *p, kt_page_set *set, int ms);

/* kt_pool_pages_done: pages finished by the workers since the start. */
int kt_pool_pages_done(kt_pool *p);

/* kt_pool_free: drop the queued pages, wait for the pages being worked on,
 * stop the threads, free the engines, and set *p to NULL; NULL is a no-op.
 * Sets whose pages were dropped are never finished: free them afterwards. */
void kt_pool_free(kt_pool **p);

/* kt_pool_default_jobs: the number of cores this process may use (>= 1). */
int kt_pool_default_jobs(void);

#endif
