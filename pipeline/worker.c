/*
 * worker.c - the OCR workers of a batch (worker_private.h): a queue of pages
 * and N threads, each with its own Tesseract engines.
 *
 * One mutex guards the queue and every kt_page_set's counters; a worker holds
 * it only to take a page and to report one, never while decoding or
 * recognising. Results go into the page's own slot, which no other thread
 * touches until the set is finished.
 */
#define _GNU_SOURCE
#include "worker_private.h"

#include <errno.h>
#include <leptonica/allheaders.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct kt_task {
	kt_page_set *set;
	int page;
} kt_task;

typedef struct kt_worker {
	struct kt_pool *pool;
	pthread_t thread;
	int started;
	kt_ocr *ocr;
	int init_rc;
	kt_error init_err;
} kt_worker;

struct kt_pool {
	pthread_mutex_t mu;
	pthread_cond_t work;       /* a page was queued, or stop */
	pthread_cond_t done;       /* a page was finished */
	kt_task *q;                /* ring buffer */
	size_t cap, head, len;
	int stop;
	int pages_done;
	char *tessdata;
	int n;
	kt_worker *w;
};

/* A separator sheet: its slot says so and holds its code (no OCR). Returns
 * 1 when the page is one, 0 when not, -1 (on e) when out of memory. */
static int separator_page(kt_page_set *set, int i, struct Pix *pix, int dpi, kt_error *e)
{
	kt_barcode *code = NULL;
	kt_page_result *r = &set->pages[i];
	int is = kt_separator_sheet(pix, dpi, &code, e);

	if (is != 1)
		return is;
	/* kept as printable ASCII, 200 bytes at most: a code may hold any
	 * bytes, and the record and the catalog keep text */
	r->separator = strndup(code->data, 200);
	r->text = strdup("");
	kt_barcodes_free(&code, 1);
	for (char *c = r->separator; c && *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	if (r->separator == NULL || r->text == NULL) {
		kt_error_set(e, KT_FATAL, "out of memory");
		return -1;
	}
	r->blank = 1;
	r->dpi = dpi;
	r->width = pixGetWidth(pix);
	r->height = pixGetHeight(pix);
	return 1;
}

/* Decode and recognise one page into its slot; KT_OK or a code with e set.
 * A PDF page with visible text of its own keeps that text and is not
 * recognised (text_source "pdf"; a container's plain-text file: "text");
 * every other page is (text_source "ocr")
 * and gets its master TIFF and one-page PDF (kt_ocr_page_copies). */
static int run_page(kt_worker *w, kt_page_set *set, int i, kt_error *e)
{
	struct Pix *pix = NULL, *clean = NULL;
	char *text = NULL;
	int dpi = 0, rc;
	const int pg = set->first + i; /* the source's page */

	if (w->init_rc != KT_OK) {
		kt_error_pass(e, &w->init_err);
		return w->init_rc;
	}
	rc = kt_source_page_text(set->src, pg, &text, e);
	if (rc != KT_OK)
		return rc;
	if (text != NULL) {
		const char *ts = kt_source_text_source(set->src, pg);

		kt_page_result_from_text(&set->pages[i], text);
		/* "pdf", or "text" for a container's plain-text file */
		if (ts != NULL)
			snprintf(set->pages[i].text_source, sizeof set->pages[i].text_source, "%s", ts);
		/* the PDF page it is, for the access copy to take as it is */
		(void)kt_source_page_pdf(set->src, pg, &set->pages[i].own_pdf, &set->pages[i].own_pdf_len,
					 &set->pages[i].own_page);
		return KT_OK;
	}
	rc = kt_source_page(set->src, pg, &pix, &dpi, e);
	if (rc != KT_OK)
		return rc;
	if (set->separators) {
		int sep = separator_page(set, i, pix, dpi, e);

		if (sep != 0) {
			pixDestroy(&pix);
			return sep == 1 ? KT_OK : KT_FATAL;
		}
	}
	rc = kt_ocr_page(w->ocr, pix, dpi, &set->pages[i], &clean);
	pixDestroy(&pix);
	/* The master and the one-page PDF are made here, while the engine holds
	 * the page: only their encoded bytes go back to the writer. */
	if (rc == KT_OK) {
		kt_page_result *r = &set->pages[i];
		const void *file = NULL;
		int jpeg = 0;

		/* the page's own file: its JPEG kept as it is, or its size a
		 * re-encoded JPEG should not pass (docs/ocr.md) */
		r->source_bytes = kt_source_page_bytes(set->src, pg);
		if (kt_source_page_file(set->src, pg, &file, &r->source_jpeg_len, &jpeg) && jpeg)
			r->source_jpeg = file;
		else
			r->source_jpeg_len = 0;
		rc = kt_ocr_page_copies(w->ocr, clean, r, NULL);
	}
	pixDestroy(&clean);
	/* The engine's message does not know the page or the file: the reason
	 * of a failed document names both, so the worker says which. */
	if (rc != KT_OK)
		return kt_error_set(e, rc, "page %d of '%s': %s", pg + 1, set->path, kt_ocr_errmsg(w->ocr));
	snprintf(set->pages[i].text_source, sizeof set->pages[i].text_source, "ocr");
	return KT_OK;
}

static void *worker_main(void *arg)
{
	kt_worker *w = arg;
	kt_pool *p = w->pool;

	w->ocr = kt_ocr_new();
	if (w->ocr == NULL)
		w->init_rc = kt_error_set(&w->init_err, KT_FATAL, "out of memory");
	else if (kt_ocr_init(w->ocr, p->tessdata) != KT_OK) {
		/* no engine: every page this worker takes stops the batch */
		kt_error_escalate(&w->init_err, kt_ocr_error(w->ocr), KT_FATAL);
		w->init_rc = KT_FATAL;
	}
	for (;;) {
		kt_task t;
		kt_error e = { 0 };
		int rc = KT_OK, skip;

		pthread_mutex_lock(&p->mu);
		while (p->len == 0 && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		t = p->q[p->head];
		p->head = (p->head + 1) % p->cap;
		p->len--;
		/* A page after one that already failed the document is not needed. */
		skip = t.set->rc != KT_OK && t.page > t.set->fail_page;
		pthread_mutex_unlock(&p->mu);

		if (!skip)
			rc = run_page(w, t.set, t.page, &e);

		pthread_mutex_lock(&p->mu);
		if (rc != KT_OK && (t.set->rc == KT_OK || rc < t.set->rc ||
				    (rc == t.set->rc && t.page < t.set->fail_page))) {
			t.set->rc = rc;
			t.set->fail_page = t.page;
			kt_error_copy(&t.set->err, &e);
		}
		t.set->left--;
		p->pages_done++;
		pthread_cond_broadcast(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
	kt_ocr_free(&w->ocr);
	return NULL;
}

int kt_pool_start(int n, const char *tessdata, kt_pool **out, kt_error *err)
{
	kt_pool *p = calloc(1, sizeof *p);
	int i, e;

	*out = NULL;
	if (n < 1)
		n = 1;
	if (p == NULL || (p->w = calloc((size_t)n, sizeof *p->w)) == NULL ||
	    (tessdata != NULL && (p->tessdata = strdup(tessdata)) == NULL)) {
		if (p != NULL)
			free(p->w);
		free(p);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->n = n;
	for (i = 0; i < n; i++) {
		p->w[i].pool = p;
		e = pthread_create(&p->w[i].thread, NULL, worker_main, &p->w[i]);
		if (e != 0) {
			kt_pool_free(&p);
			return kt_error_set(err, KT_FATAL, "cannot start OCR worker %d: %s", i + 1, strerror(e));
		}
		p->w[i].started = 1;
	}
	*out = p;
	return KT_OK;
}

int kt_pool_submit(kt_pool *p, kt_page_set *set, kt_error *err)
{
	int i;

	pthread_mutex_lock(&p->mu);
	set->left = set->n;
	set->rc = KT_OK;
	set->fail_page = set->n;
	kt_error_clear(&set->err);
	if (p->len + (size_t)set->n > p->cap) {
		size_t cap = p->cap ? p->cap : 64, k;
		kt_task *q;

		while (cap < p->len + (size_t)set->n)
			cap *= 2;
		q = malloc(cap * sizeof *q);
		if (q == NULL) {
			pthread_mutex_unlock(&p->mu);
			return kt_error_set(err, KT_FATAL, "out of memory");
		}
		for (k = 0; k < p->len; k++)
			q[k] = p->q[(p->head + k) % p->cap];
		free(p->q);
		p->q = q;
		p->cap = cap;
		p->head = 0;
	}
	for (i = 0; i < set->n; i++) {
		p->q[(p->head + p->len) % p->cap] = (kt_task){ set, i };
		p->len++;
	}
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	return KT_OK;
}

int kt_pool_wait_set(kt_pool *p, kt_page_set *set, int ms)
{
	int finished;

	pthread_mutex_lock(&p->mu);
	if (set->left > 0 && ms > 0) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ms / 1000;
		until.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (set->left > 0)
			if (pthread_cond_timedwait(&p->done, &p->mu, &until) == ETIMEDOUT)
				break;
	}
	finished = set->left == 0;
	pthread_mutex_unlock(&p->mu);
	return finished;
}

int kt_pool_pages_done(kt_pool *p)
{
	int n;

	pthread_mutex_lock(&p->mu);
	n = p->pages_done;
	pthread_mutex_unlock(&p->mu);
	return n;
}

void kt_pool_free(kt_pool **pp)
{
	kt_pool *p;
	int i;

	if (pp == NULL || *pp == NULL)
		return;
	p = *pp;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	p->len = 0;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->n; i++)
		if (p->w[i].started)
			pthread_join(p->w[i].thread, NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p->q);
	free(p->w);
	free(p->tessdata);
	free(p);
	*pp = NULL;
}

int kt_pool_default_jobs(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}
