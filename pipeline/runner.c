/*
 * runner.c - a batch: walk the files, and drive each new one through the
 * document stages (runner_stages.c), with the pages recognised by N OCR
 * workers (worker.c); kt_ingest and kt_reindex of kt_pipeline.h.
 *
 * Threads: the main thread reads, hashes, looks up and reserves each file and
 * runs the begin half of every stage (identify; pages: hand them to the
 * workers), in input order, a bounded window of documents ahead. The workers
 * decode and recognise pages, each with its own engines. The main thread is
 * the single writer: it runs the end halves (extract, archive, catalog,
 * index) of the oldest document once its pages are back, so documents are
 * written in input order and the catalog, index and archive are touched by
 * one thread only. Workers never wait for the writer unless the window is
 * full.
 *
 * Every error of the catalog or the index stops the batch: their outcome is
 * passed up with kt_error_escalate(..., KT_FATAL), which leaves a warning a
 * warning.
 */
#include "runner_private.h"
#include "kt_file.h"
#include "kt_text.h"
#include "walk_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *kt_run_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* ----------------------------------------------------------------- window */

void kt_run_doc_free(kt_run_doc **dp)
{
	kt_run_doc *d = *dp;
	int i;

	if (d == NULL)
		return;
	kt_source_free(&d->src);
	for (i = 0; i < d->npages; i++)
		kt_page_result_release(&d->pages[i]);
	free(d->pages);
	for (i = 0; i < d->n_sheets; i++)
		kt_page_result_release(&d->sheets[i]);
	free(d->sheets);
	kt_doc_free(&d->rec);
	kt_doc_free(&d->stored);
	free(d->package);
	free(d->buf);
	free(d);
	*dp = NULL;
}

/* ------------------------------------------------------------------ a file */

static int doc_lookup(kt_run *r, kt_run_doc *d, int may_begin, kt_error *err);

/*
 * A file enters: read, hash, look up, reserve its id, and run the stages'
 * begin halves. The outcome is final here when the file cannot be read, is
 * known already, or a begin half gave it up. Returns KT_FATAL (message in
 * err) when the batch must stop.
 */
static int doc_enter(kt_run *r, kt_run_doc *d, const char *problem, kt_error *err)
{
	size_t i;
	int rc;

	d->ev = (kt_file_event){ .path = d->path, .path_len = strlen(d->path),
				 .outcome = KT_OUTCOME_FAILED };
	d->final = 1;
	if (problem != NULL) {
		snprintf(d->reason, sizeof d->reason, "cannot read '%s': %s", d->path, problem);
		return KT_OK;
	}
	{
		char *bytes = NULL;

		rc = kt_file_read(d->path, kt_store_config(r->store)->max_file_bytes, &bytes, &d->len,
				  &d->err);
		d->buf = (unsigned char *)bytes;
	}
	if (rc != KT_OK) {
		snprintf(d->reason, sizeof d->reason, "%s", d->err.msg);
		return KT_OK;
	}
	d->data = d->buf;
	if (kt_sha256_hex(d->data, d->len, d->sha256) != 0)
		return kt_error_set(err, KT_FATAL, "cannot compute SHA-256");
	/* The same bytes earlier in the window: look it up when it leaves, after
	 * the earlier file is written, as one worker would have. */
	for (i = 0; i < (size_t)r->win.len; i++) {
		const kt_run_doc *e = r->win.d[(r->win.head + (int)i) % r->win.cap];

		if (!e->final && strcmp(e->sha256, d->sha256) == 0) {
			d->same_as_earlier = 1;
			return KT_OK;
		}
	}
	return doc_lookup(r, d, 1, err);
}

/* Look the file up by its SHA-256: skipped when known, else (when may_begin)
 * reserve its id and run the stages' begin halves. Returns KT_FATAL (message
 * in err) when the batch must stop. */
static int doc_lookup(kt_run *r, kt_run_doc *d, int may_begin, kt_error *err)
{
	enum kt_doc_status status;
	char *old_reason = NULL;

	if (kt_catalog_doc_find(r->catalog, d->sha256, &d->id, &status, &old_reason) != KT_OK &&
	    kt_error_escalate(err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN)
		return KT_FATAL;
	d->ev.doc_id = d->id;
	if (status == KT_DOC_DONE || (status == KT_DOC_FAILED && !r->opts->retry_failed)) {
		d->ev.outcome = KT_OUTCOME_SKIPPED;
		if (status == KT_DOC_DONE)
			snprintf(d->reason, sizeof d->reason, "already done as document %lld", d->id);
		else
			snprintf(d->reason, sizeof d->reason,
				 "failed before as document %lld (%s); use --retry-failed",
				 d->id, old_reason ? old_reason : "?");
		free(old_reason);
		return KT_OK;
	}
	free(old_reason);
	/* a file whose document was erased is not taken in again unnoticed
	 * (issue 21): the batch names it as failed */
	if (status == KT_DOC_NONE) {
		long long gone = 0;
		char when[21];

		if (kt_catalog_erased_find(r->catalog, d->sha256, &gone, when) != KT_OK &&
		    kt_error_escalate(err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN)
			return KT_FATAL;
		if (gone != 0 && r->opts->readmit_erased_by == NULL) {
			d->ev.outcome = KT_OUTCOME_FAILED;
			snprintf(d->reason, sizeof d->reason, "'%s' was erased on %s (document %lld): "
				 "not taken in again (an admin may: ingest --readmit-erased)", d->path,
				 when, gone);
			return KT_OK;
		}
		if (gone != 0 && may_begin)
			snprintf(d->warning, sizeof d->warning, "erased on %s as document %lld, taken "
				 "in again by %.200s", when, gone, r->opts->readmit_erased_by);
	}
	if (!may_begin)
		return KT_OK;
	if (kt_catalog_doc_reserve(r->catalog, d->sha256, d->path, strlen(d->path), NULL, r->batch_id,
				   &d->id) != KT_OK &&
	    kt_error_escalate(err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN)
		return KT_FATAL;
	d->ev.doc_id = d->id;
	d->final = 0;
	if (kt_run_begin(r, d) == KT_FATAL) {
		kt_error_pass(err, &d->err);
		return KT_FATAL;
	}
	return KT_OK;
}

/*
 * A document leaves, in input order: the stages' end halves (waiting for its
 * pages), then the file's outcome is recorded in the batch. Returns KT_FATAL
 * (message in err) when the batch must stop; the document then stays
 * "processing" and the next batch does it again.
 */
static int doc_leave(kt_run *r, kt_run_doc *d, kt_ingest_report *rep, kt_error *err)
{
	if (d->same_as_earlier) {
		/* The earlier copy is written now; when it was not done (it
		 * failed), this one is not tried again in the same batch. */
		if (doc_lookup(r, d, 0, err) != KT_OK)
			return KT_FATAL;
		if (d->ev.outcome != KT_OUTCOME_SKIPPED) {
			d->ev.outcome = KT_OUTCOME_SKIPPED;
			snprintf(d->reason, sizeof d->reason,
				 "same bytes as an earlier file of this batch (document %lld)", d->id);
		}
	}
	if (!d->final) {
		kt_run_end(r, d);
		d->ev.pages = d->npages + d->other_pages;
		if (d->rc == KT_OK) {
			d->ev.outcome = KT_OUTCOME_DONE;
		} else if (d->rc == KT_FATAL) {
			kt_error_pass(err, &d->err);
			return KT_FATAL;
		} else {
			snprintf(d->reason, sizeof d->reason, "%s", d->err.msg);
			if (kt_catalog_doc_fail(r->catalog, d->id, d->err.msg) != KT_OK &&
			    kt_error_escalate(err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN)
				return KT_FATAL;
		}
	}
	d->ev.reason = d->reason[0] ? d->reason : NULL;
	d->ev.warning = d->warning[0] ? d->warning : NULL;
	if (kt_catalog_batch_file(r->catalog, r->batch_id, d->ev.path, d->ev.path_len, d->ev.doc_id,
				  (enum kt_outcome)d->ev.outcome,
				  d->ev.outcome == KT_OUTCOME_DONE ? NULL : d->ev.reason) != KT_OK &&
	    kt_error_escalate(err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN)
		return KT_FATAL;
	if (d->ev.outcome == KT_OUTCOME_DONE) {
		rep->done++;
		rep->pages += d->ev.pages;
	} else if (d->ev.outcome == KT_OUTCOME_SKIPPED) {
		rep->skipped++;
	} else {
		rep->failed++;
	}
	r->files_done++;
	if (r->opts->progress)
		r->opts->progress(r->opts->ctx, r->files_done, r->files_total, &d->ev);
	return KT_OK;
}

/* ------------------------------------------------------------------ batch */

int kt_run_extract_cfg(kt_run *r, kt_error *err)
{
	const kt_config *cfg = kt_store_config(r->store);
	char **known = NULL;
	int n = 0, i;

	r->xcfg = kt_extract_cfg_new();
	if (r->xcfg == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	for (i = 0; i < (int)cfg->case_patterns.n; i++)
		if (kt_extract_cfg_add_pattern(r->xcfg, cfg->case_patterns.v[i]) != KT_OK)
			return kt_error_set(err, KT_FATAL, "kartoteka.conf: %s", kt_extract_cfg_errmsg(r->xcfg));
	if (kt_catalog_case_numbers(r->catalog, &known, &n) != KT_OK &&
	    kt_error_escalate(err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN)
		return KT_FATAL;
	for (i = 0; i < n; i++)
		kt_extract_cfg_add_known_case(r->xcfg, known[i]);
	kt_catalog_strings_free(&known, n);
	return KT_OK;
}

int kt_reindex(kt_store *s, int *count, kt_error *err)
{
	kt_catalog *c = kt_store_catalog(s);
	kt_index *ix;
	long long *ids = NULL;
	int n = 0, i, j, from = 0, rc = KT_OK;

	*count = 0;
	if (kt_catalog_doc_ids(c, "unindexed", &ids, &n) != KT_OK &&
	    kt_error_escalate(err, kt_catalog_error(c), KT_FATAL) < KT_WARN)
		return KT_FATAL;
	if (n > 0 && (ix = kt_store_index(s, err)) != NULL) {
		for (i = 0; i < n && rc == KT_OK; i++) {
			kt_doc *doc = NULL;

			if (kt_catalog_doc_get(c, ids[i], &doc) != KT_OK) {
				kt_error_escalate(err, kt_catalog_error(c), KT_FATAL);
				rc = KT_FATAL;
				break;
			}
			rc = kt_run_index_put(ix, doc, err);
			kt_doc_free(&doc);
			/* Commit every so many documents, then mark them indexed. */
			if (rc == KT_OK && (i + 1 == n || i + 1 - from == INDEX_COMMIT_DOCS)) {
				if (kt_index_commit(ix) != KT_OK &&
				    kt_error_escalate(err, kt_index_error(ix), KT_FATAL) < KT_WARN)
					rc = KT_FATAL;
				for (j = from; j <= i && rc == KT_OK; j++)
					if (kt_catalog_doc_set_indexed(c, ids[j]) != KT_OK &&
					    kt_error_escalate(err, kt_catalog_error(c), KT_FATAL) < KT_WARN)
						rc = KT_FATAL;
				if (rc == KT_OK)
					*count += i + 1 - from;
				from = i + 1;
			}
		}
	} else if (n > 0) {
		rc = KT_FATAL;
	}
	free(ids);
	return rc;
}

static void default_batch_name(const char *first, char *out, size_t size)
{
	char date[21], *copy = strdup(first), *b;
	size_t len;

	kt_now_iso(date);
	date[10] = '\0';
	if (copy == NULL) {
		snprintf(out, size, "batch-%s", date);
		return;
	}
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	b = (char *)kt_run_base_name(copy);
	{
		char cwd[4096];

		if (strcmp(b, ".") == 0 || strcmp(b, "/") == 0 || b[0] == '\0')
			b = getcwd(cwd, sizeof cwd) ? (char *)kt_run_base_name(cwd) : "batch";
		/* A batch name stays short: the folder's name, cut, and the date. */
		snprintf(out, size, "%.200s-%s", b, date);
	}
	free(copy);
}

static int head_ready(kt_run *r, kt_run_doc *d)
{
	return d->final || d->rc != KT_OK || d->set.n == 0 || r->pool == NULL ||
	       kt_pool_wait_set(r->pool, &d->set, 0);
}

int kt_ingest(kt_store *s, const char *const *paths, int npaths, const kt_ingest_opts *opts,
	      kt_ingest_report *rep, kt_error *err)
{
	kt_run r = { .store = s, .catalog = kt_store_catalog(s) };
	kt_ingest_opts none = { 0 };
	kt_window *win = &r.win;
	kt_walk w;
	char name[512];
	int i, rc = KT_OK, reindexed;

	memset(rep, 0, sizeof *rep);
	if (opts == NULL)
		opts = &none;
	r.opts = opts;
	r.jobs = opts->jobs > 0 ? opts->jobs : kt_pool_default_jobs();
	r.last_commit = time(NULL);
	/* A batch killed between catalog and index left documents to index. */
	if (kt_reindex(s, &reindexed, err) != KT_OK)
		return KT_FATAL;
	if (opts->batch_name && opts->batch_name[0])
		snprintf(name, sizeof name, "%s", opts->batch_name);
	else
		default_batch_name(npaths > 0 ? paths[0] : ".", name, sizeof name);
	r.batch_name = name;
	if (kt_walk_paths(paths, npaths, &w, err) != KT_OK)
		return KT_FATAL;
	if (kt_run_extract_cfg(&r, err) != KT_OK) {
		kt_walk_release(&w);
		kt_extract_cfg_free(&r.xcfg);
		return KT_FATAL;
	}
	if ((opts->join_batch ? kt_catalog_batch_join : kt_catalog_batch_start)(r.catalog, name,
			npaths > 0 ? paths[0] : "", &r.batch_id) != KT_OK &&
	    kt_error_escalate(err, kt_catalog_error(r.catalog), KT_FATAL) < KT_WARN) {
		kt_walk_release(&w);
		kt_extract_cfg_free(&r.xcfg);
		return KT_FATAL;
	}
	rep->batch_id = r.batch_id;
	rep->files = r.files_total = w.n;
	/* Enough documents in flight to keep every worker busy while the main
	 * thread writes one; few enough to bound the memory (file bytes and
	 * texts; decoded pages live only inside the workers). */
	win->cap = 2 * r.jobs + 2;
	win->d = calloc((size_t)win->cap, sizeof *win->d);
	if (win->d == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	for (i = 0; rc == KT_OK && (i < w.n || win->len > 0);) {
		kt_run_doc *d;

		/* Write the oldest document when the window is full, the walk is
		 * over, or its pages are already back. */
		if (win->len > 0 && (win->len == win->cap || win->bytes >= WINDOW_MAX_BYTES || i == w.n ||
				     head_ready(&r, win->d[win->head]))) {
			d = win->d[win->head];
			win->d[win->head] = NULL;
			win->head = (win->head + 1) % win->cap;
			win->len--;
			win->bytes -= d->len;
			rc = doc_leave(&r, d, rep, err);
			kt_run_doc_free(&d);
			continue;
		}
		if (opts->progress)
			opts->progress(opts->ctx, r.files_done, w.n, NULL);
		d = calloc(1, sizeof *d);
		if (d == NULL) {
			rc = kt_error_set(err, KT_FATAL, "out of memory");
			break;
		}
		d->path = w.e[i].path;
		d->version = 1;
		rc = doc_enter(&r, d, w.e[i].problem, err);
		win->d[(win->head + win->len) % win->cap] = d;
		win->len++;
		win->bytes += d->len;
		i++;
	}
	/* Stop the workers before the documents they may hold are freed. */
	kt_pool_free(&r.pool);
	for (i = 0; i < win->len; i++)
		kt_run_doc_free(&win->d[(win->head + i) % win->cap]);
	free(win->d);
	/* Documents catalogued as done reach the index now; if this fails, the
	 * next batch's kt_reindex puts them there. */
	if (kt_run_flush_index(&r, rc == KT_OK ? err : &(kt_error){ 0 }) != KT_OK)
		rc = KT_FATAL;
	kt_catalog_batch_finish(r.catalog, r.batch_id);
	kt_walk_release(&w);
	kt_extract_cfg_free(&r.xcfg);
	free(r.unindexed);
	if (rc == KT_FATAL)
		return KT_FATAL;
	return rep->failed > 0 ? KT_WARN : KT_OK;
}
