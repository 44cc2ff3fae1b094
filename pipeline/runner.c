/*
 * runner.c - a batch: walk the files, and drive each new one through the
 * document stages, with the pages recognised by N OCR workers (worker.c).
 *
 * The stages are a const table walked in order (doc_stages[] below). Each
 * reads what earlier stages made in the kt_doc and adds its own part; none
 * changes what it was given. Adding a stage touches this table and one
 * function. A stage returns KT_FAILED to give this file up (its reason is
 * recorded, the batch goes on) or KT_FATAL to stop the batch.
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
 */
#include "kt_pipeline.h"
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_extract.h"
#include "kt_fault.h"
#include "kt_file.h"
#include "kt_index.h"
#include "kt_ocr.h"
#include "kt_sha.h"
#include "kt_text.h"
#include "walk_private.h"
#include "worker_private.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The document record of kt_record.h (the archive's document.json) is
 * kt_record in this file; kt_doc below is the runner's own document in
 * flight (renamed by the macro until the runner's type gets its own name). */
typedef kt_doc kt_record;
#define kt_doc kt_run_doc

/* Index commits are batched: one commit (a disk sync) per this many
 * documents, or per this many seconds, and at the end of the batch. A
 * document is marked indexed only after the commit that holds it. */
#define INDEX_COMMIT_DOCS 32
#define INDEX_COMMIT_SECONDS 10

/* Documents between doc_enter and doc_leave, oldest first. */
struct kt_doc;
typedef struct kt_window {
	struct kt_doc **d;
	int cap, head, len;
	size_t bytes;              /* file bytes held */
} kt_window;

/* The window is also bounded by the file bytes it holds: no new file is read
 * while the documents in flight hold this much (one file is always let in). */
#define WINDOW_MAX_BYTES ((size_t)512 << 20)

/* What one batch run holds for all its files. */
typedef struct kt_run {
	kt_store *store;
	kt_catalog *catalog;
	kt_pool *pool;             /* OCR workers, started on the first file that needs them */
	int jobs;
	kt_extract_cfg *xcfg;
	const char *batch_name;
	long long batch_id;
	const kt_ingest_opts *opts;
	int files_done, files_total;
	long long *unindexed;      /* put into the index, not committed yet */
	int n_unindexed, cap_unindexed;
	time_t last_commit;
	kt_window win;             /* documents in flight */
} kt_run;

/* One file on its way through the stages. */
typedef struct kt_doc {
	const char *path;          /* as found */
	const unsigned char *data; /* the file's bytes */
	size_t len;
	char sha256[KT_SHA256_HEX];
	long long id;
	kt_source *src;            /* identify */
	kt_page_set set;           /* pages: out with the workers */
	kt_page_result *pages;     /* pages */
	int npages;
	json_t *metadata;          /* extract */
	char *package;             /* archive */
	json_t *record;            /* catalog: the document as stored */
	kt_error err;
	/* the runner's bookkeeping */
	unsigned char *buf;        /* owns data */
	int rc;                    /* outcome of the stages so far */
	int final;                 /* the outcome is known without the later stages */
	int same_as_earlier;       /* an earlier file in flight has the same bytes */
	kt_file_event ev;
	char reason[KT_ERRMSG_MAX];
	char warning[KT_ERRMSG_MAX]; /* a stage's warning on a file that is done */
} kt_doc;

/*
 * A stage has two halves. begin runs when the file has been read, in input
 * order, on the main thread; end runs when the document's turn to be written
 * comes, in input order, on the main thread. Between the two, the document's
 * pages are with the OCR workers. Either half may be NULL.
 */
typedef struct kt_doc_stage {
	const char *name;
	int (*begin)(kt_run *r, kt_doc *d);
	int (*end)(kt_run *r, kt_doc *d);
} kt_doc_stage;

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* ---------------------------------------------------------------- stages */

static int stage_identify(kt_run *r, kt_doc *d)
{
	return kt_source_open(d->data, d->len, d->path, kt_store_config(r->store)->max_pixels,
			      &d->src, &d->err);
}

/* Hand every page to the workers; the pool starts with the first document
 * that has pages, so a batch of known files loads no engine. */
static int stage_pages_begin(kt_run *r, kt_doc *d)
{
	int n = kt_source_pages(d->src), i;

	if (r->pool == NULL) {
		const char *td = kt_store_config(r->store)->tessdata;

		if (kt_pool_start(r->jobs, td[0] ? td : NULL, &r->pool, &d->err) != KT_OK)
			return KT_FATAL;
	}
	d->pages = calloc((size_t)n + 1, sizeof *d->pages);
	if (d->pages == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	for (i = 0; i < n; i++)
		kt_page_result_init(&d->pages[i]);
	d->npages = n;
	d->set = (kt_page_set){ .src = d->src, .path = d->path, .pages = d->pages, .n = n };
	return kt_pool_submit(r->pool, &d->set, &d->err);
}

static void tick(kt_run *r)
{
	if (r->opts->pages && r->pool)
		r->opts->pages(r->opts->ctx, kt_pool_pages_done(r->pool));
	if (r->opts->progress)
		r->opts->progress(r->opts->ctx, r->files_done, r->files_total, NULL);
}

/* Wait for the document's pages; the first failed page gives the file up. */
static int stage_pages_end(kt_run *r, kt_doc *d)
{
	while (!kt_pool_wait_set(r->pool, &d->set, 500))
		tick(r);
	tick(r);
	if (d->set.rc != KT_OK)
		return kt_error_copy(&d->err, &d->set.err);
	return KT_OK;
}

static char *joined_text(const kt_doc *d)
{
	size_t len = 1;
	int i;
	char *s;

	for (i = 0; i < d->npages; i++)
		len += strlen(d->pages[i].text ? d->pages[i].text : "") + 2;
	s = malloc(len);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < d->npages; i++) {
		strcat(s, d->pages[i].text ? d->pages[i].text : "");
		strcat(s, "\n\n");
	}
	return s;
}

static int stage_extract(kt_run *r, kt_doc *d)
{
	char *text = joined_text(d);

	if (text == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	d->metadata = kt_extract_metadata(r->xcfg, text);
	free(text);
	if (d->metadata == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	return KT_OK;
}

/* The document as the archive keeps it: enough to rebuild the catalog.
 * NULL with the message on d->err (KT_FATAL when out of memory, KT_FAILED
 * when the extractor's metadata does not conform); caller frees with
 * kt_doc_free. */
static kt_record *package_record(kt_run *r, kt_doc *d)
{
	kt_record *rec = kt_doc_new();
	char engine[64];
	kt_error e = { 0 };
	int i, rc = rec ? KT_OK : KT_FATAL;

	snprintf(engine, sizeof engine, "tesseract %s", kt_ocr_version());
	if (rc == KT_OK) {
		rec->id = d->id;
		rc = kt_doc_set_source(rec, d->path, strlen(d->path));
	}
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->sha256, d->sha256);
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->format, kt_source_format(d->src));
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->batch, r->batch_name);
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->ocr_engine, engine);
	for (i = 0; rc == KT_OK && i < d->npages; i++) {
		const kt_page_result *p = &d->pages[i];
		kt_doc_page *pg = kt_doc_add_page(rec);

		if (pg == NULL) {
			rc = KT_FATAL;
			break;
		}
		*pg = (kt_doc_page){ .n = i + 1, .rotation = p->rotation, .skew = p->skew,
				     .blank = p->blank, .confidence = p->confidence };
		rc = kt_doc_str_set(&pg->lang, p->lang);
		if (rc == KT_OK)
			rc = kt_doc_str_set(&pg->text, p->text ? p->text : "");
	}
	if (rc == KT_OK && (rc = kt_doc_meta_from_json(d->metadata, &rec->meta, &e)) != KT_OK &&
	    rc != KT_FATAL)
		kt_error_set(&d->err, rc, "'%s': %s", d->path, e.msg);
	if (rc == KT_FATAL)
		kt_error_set(&d->err, KT_FATAL, "out of memory");
	if (rc != KT_OK)
		kt_doc_free(&rec);
	return rec;
}

static int stage_archive(kt_run *r, kt_doc *d)
{
	int n = 2 * d->npages + 4, k = 0, i, rc;
	kt_archive_file *files = calloc((size_t)n, sizeof *files);
	char **names = calloc((size_t)n, sizeof *names);
	char *full = joined_text(d), *record = NULL, *mets = NULL, original[300];
	kt_record *rec = package_record(r, d);
	kt_archive_mets_info mi = { .software = "kartoteka " KT_VERSION,
				    .organisation = kt_store_config(r->store)->organisation,
				    .version = 1 };
	kt_archive_package pkg = { 0 };
	const char *ext = kt_source_format(d->src);

	if (rec == NULL) {
		rc = d->err.code;
		goto out;
	}
	record = kt_doc_dumps(rec, KT_DOC_JSON_PACKAGE);
	if (files == NULL || names == NULL || full == NULL || record == NULL) {
		rc = kt_error_set(&d->err, KT_FATAL, "out of memory");
		goto out;
	}
	/* The original keeps its bytes; its name in the package is ours. */
	snprintf(original, sizeof original, "original/original.%s", strcmp(ext, "jpeg") == 0 ? "jpg" :
		 strcmp(ext, "tiff") == 0 ? "tif" : ext);
	files[k++] = (kt_archive_file){ original, d->data, d->len };
	for (i = 0; i < d->npages; i++) {
		names[i] = malloc(32);
		if (names[i] == NULL) {
			rc = kt_error_set(&d->err, KT_FATAL, "out of memory");
			goto out;
		}
		snprintf(names[i], 32, "text/page-%04d.txt", i + 1);
		files[k++] = (kt_archive_file){ names[i], d->pages[i].text, strlen(d->pages[i].text) };
	}
	/* ALTO XML per page: words with coordinates on the cleaned page and confidences. */
	for (i = 0; i < d->npages; i++) {
		if (d->pages[i].alto == NULL)
			continue;
		names[d->npages + i] = malloc(32);
		if (names[d->npages + i] == NULL) {
			rc = kt_error_set(&d->err, KT_FATAL, "out of memory");
			goto out;
		}
		snprintf(names[d->npages + i], 32, "alto/page-%04d.xml", i + 1);
		files[k++] = (kt_archive_file){ names[d->npages + i], d->pages[i].alto,
						strlen(d->pages[i].alto) };
	}
	files[k++] = (kt_archive_file){ "text/document.txt", full, strlen(full) };
	files[k++] = (kt_archive_file){ "metadata/document.json", record, strlen(record) };
	/* METS with PREMIS events over everything above: written last, listing
	 * the digests of the files it describes. */
	rc = kt_archive_mets(kt_store_archive(r->store), rec, &mi, files, k, &mets);
	if (rc != KT_OK) {
		rc = kt_error_set(&d->err, KT_FATAL, "%s", kt_archive_errmsg(kt_store_archive(r->store)));
		goto out;
	}
	files[k++] = (kt_archive_file){ "metadata/mets.xml", mets, strlen(mets) };
	pkg.doc_id = d->id;
	pkg.sha256 = d->sha256;
	pkg.version = 1;
	pkg.batch = r->batch_name;
	pkg.source_name = base_name(d->path);
	pkg.organisation = kt_store_config(r->store)->organisation;
	pkg.files = files;
	pkg.n_files = k;
	/* The file was good up to here: a package that cannot be written is the
	 * store's trouble (a full disk), never the file's, so the batch stops and
	 * the document is done again by the next one. */
	if (kt_fault("archive_write")) {
		rc = kt_error_set(&d->err, KT_FATAL, "cannot write the package of '%s': %s "
				  "(injected by KT_FAULT)", d->path, strerror(ENOSPC));
		goto out;
	}
	/* KT_WARN: the package is written and sound (e.g. a temporary file
	 * could not be removed); the file is done, with the warning told. */
	rc = kt_archive_write(kt_store_archive(r->store), &pkg, &d->package);
	if (rc == KT_WARN)
		kt_error_set(&d->err, KT_WARN, "%s", kt_archive_errmsg(kt_store_archive(r->store)));
	else if (rc != KT_OK)
		rc = kt_error_set(&d->err, KT_FATAL, "%s", kt_archive_errmsg(kt_store_archive(r->store)));
out:
	for (i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
	free(files);
	free(full);
	free(record);
	free(mets);
	kt_doc_free(&rec);
	return rc;
}

static int stage_catalog(kt_run *r, kt_doc *d)
{
	kt_catalog_page *pages = calloc((size_t)d->npages + 1, sizeof *pages);
	int i, rc;

	if (pages == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	for (i = 0; i < d->npages; i++) {
		const kt_page_result *p = &d->pages[i];

		pages[i] = (kt_catalog_page){ .n = i + 1, .rotation = p->rotation, .blank = p->blank,
					      .confidence = p->confidence, .skew = p->skew,
					      .lang = p->lang, .text = p->text };
	}
	rc = kt_catalog_doc_done(r->catalog, d->id, kt_source_format(d->src), d->package, 1, d->metadata,
				 pages, d->npages);
	free(pages);
	if (rc != KT_OK)
		return kt_error_set(&d->err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
	d->record = kt_catalog_doc_json(r->catalog, d->id);
	if (d->record == NULL)
		return kt_error_set(&d->err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
	return KT_OK;
}

/* Strings of a JSON array, borrowed from it, in a malloc'd array. */
static const char **strings_of(json_t *arr, int *n)
{
	const char **out = calloc(json_array_size(arr) + 1, sizeof *out);
	size_t i;
	json_t *v;

	*n = 0;
	if (out == NULL)
		return NULL;
	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			out[(*n)++] = json_string_value(v);
	return out;
}

/* Put one catalogued document (its JSON record) into the index, without
 * committing: the caller commits, then marks the document indexed. */
static int index_record(kt_index *ix, json_t *doc, kt_error *err)
{
	json_t *meta = json_object_get(doc, "metadata"), *pages = json_object_get(doc, "pages"), *p;
	json_t *names = json_array(), *v, *mrz = json_object_get(meta, "mrz");
	const char **cases, **codes, **dates, **nm;
	int nc, npc, nd, nn, rc = KT_OK;
	long long id = json_integer_value(json_object_get(doc, "id"));
	size_t i;

	json_array_foreach(json_object_get(meta, "names"), i, v) {
		json_t *s = json_object_get(v, "surname"), *g = json_object_get(v, "given_names");

		json_array_append_new(names, json_sprintf("%s %s", json_is_string(g) ? json_string_value(g) : "",
							  json_is_string(s) ? json_string_value(s) : ""));
	}
	if (json_is_object(mrz))
		json_array_append_new(names, json_sprintf("%s %s",
			json_string_value(json_object_get(mrz, "given_names")) ?: "",
			json_string_value(json_object_get(mrz, "surname")) ?: ""));
	cases = strings_of(json_object_get(meta, "case_numbers"), &nc);
	codes = strings_of(json_object_get(meta, "personal_codes"), &npc);
	dates = strings_of(json_object_get(meta, "dates"), &nd);
	nm = strings_of(names, &nn);
	if (cases == NULL || codes == NULL || dates == NULL || nm == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc == KT_OK)
		rc = kt_index_delete_doc(ix, id);
	json_array_foreach(pages, i, p) {
		kt_index_page ip = {
			.doc_id = id,
			.page = (int)json_integer_value(json_object_get(p, "n")),
			.text = json_string_value(json_object_get(p, "text")),
			.lang = json_string_value(json_object_get(p, "lang")),
			.doc_type = json_string_value(json_object_get(meta, "doc_type")),
			.batch = json_string_value(json_object_get(doc, "batch")),
			.case_numbers = cases, .n_case_numbers = nc,
			.personal_codes = codes, .n_personal_codes = npc,
			.dates = dates, .n_dates = nd,
			.names = nm, .n_names = nn,
		};
		if (rc != KT_OK)
			break;
		/* KT_WARN: the page is indexed, a malformed field value was left out. */
		rc = kt_index_put_page(ix, &ip);
		if (rc == KT_WARN)
			rc = KT_OK;
	}
	if (rc != KT_OK && err->code == KT_OK)
		rc = kt_error_set(err, KT_FATAL, "%s", kt_index_errmsg(ix));
	free(cases);
	free(codes);
	free(dates);
	free(nm);
	json_decref(names);
	return rc;
}

/* Commit the index and mark the documents it now holds indexed. A crash
 * before the catalog says so is repaired by kt_reindex. */
static int flush_index(kt_run *r, kt_error *err)
{
	kt_index *ix;
	int i;

	if (r->n_unindexed == 0)
		return KT_OK;
	ix = kt_store_index(r->store, err);
	if (ix == NULL)
		return KT_FATAL;
	if (kt_index_commit(ix) != KT_OK)
		return kt_error_set(err, KT_FATAL, "%s", kt_index_errmsg(ix));
	for (i = 0; i < r->n_unindexed; i++)
		if (kt_catalog_doc_set_indexed(r->catalog, r->unindexed[i]) != KT_OK)
			return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
	r->n_unindexed = 0;
	r->last_commit = time(NULL);
	return KT_OK;
}

static int stage_index(kt_run *r, kt_doc *d)
{
	kt_index *ix = kt_store_index(r->store, &d->err);

	if (ix == NULL)
		return KT_FATAL;
	if (r->n_unindexed == r->cap_unindexed) {
		int cap = r->cap_unindexed ? r->cap_unindexed * 2 : INDEX_COMMIT_DOCS;
		long long *g = realloc(r->unindexed, (size_t)cap * sizeof *g);

		if (g == NULL)
			return kt_error_set(&d->err, KT_FATAL, "out of memory");
		r->unindexed = g;
		r->cap_unindexed = cap;
	}
	if (index_record(ix, d->record, &d->err) != KT_OK)
		return KT_FATAL;
	r->unindexed[r->n_unindexed++] = d->id;
	if (r->n_unindexed >= INDEX_COMMIT_DOCS || time(NULL) - r->last_commit >= INDEX_COMMIT_SECONDS)
		return flush_index(r, &d->err);
	return KT_OK;
}

static const kt_doc_stage doc_stages[] = {
	{ "identify", stage_identify, NULL },
	{ "pages", stage_pages_begin, stage_pages_end },
	{ "extract", NULL, stage_extract },
	{ "archive", NULL, stage_archive },
	{ "catalog", NULL, stage_catalog },
	{ "index", NULL, stage_index },
};

#define N_STAGES (sizeof doc_stages / sizeof doc_stages[0])

static void doc_free(kt_doc **dp)
{
	kt_doc *d = *dp;
	int i;

	if (d == NULL)
		return;
	kt_source_free(&d->src);
	for (i = 0; i < d->npages; i++)
		kt_page_result_release(&d->pages[i]);
	free(d->pages);
	json_decref(d->metadata);
	json_decref(d->record);
	free(d->package);
	free(d->buf);
	free(d);
	*dp = NULL;
}

/* ------------------------------------------------------------------ batch */

/*
 * A file enters: read, hash, look up, reserve its id, and run the stages'
 * begin halves. The outcome is final here when the file cannot be read, is
 * known already, or a begin half gave it up. Returns KT_FATAL (message in
 * err) when the batch must stop.
 */
static int doc_lookup(kt_run *r, kt_doc *d, int may_begin, kt_error *err);

static int doc_enter(kt_run *r, kt_doc *d, const char *problem, kt_error *err)
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
		const kt_doc *e = r->win.d[(r->win.head + (int)i) % r->win.cap];

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
static int doc_lookup(kt_run *r, kt_doc *d, int may_begin, kt_error *err)
{
	enum kt_doc_status status;
	char *old_reason = NULL;
	size_t i;

	if (kt_catalog_doc_find(r->catalog, d->sha256, &d->id, &status, &old_reason) != KT_OK)
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
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
	if (!may_begin)
		return KT_OK;
	if (kt_catalog_doc_reserve(r->catalog, d->sha256, d->path, strlen(d->path), NULL, r->batch_id,
				   &d->id) != KT_OK)
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
	d->ev.doc_id = d->id;
	d->final = 0;
	d->rc = KT_OK;
	for (i = 0; i < N_STAGES && d->rc == KT_OK; i++) {
		if (doc_stages[i].begin == NULL)
			continue;
		d->rc = doc_stages[i].begin(r, d);
		if (d->rc != KT_OK && d->err.code == KT_OK)
			kt_error_set(&d->err, d->rc, "stage %s failed on '%s'", doc_stages[i].name, d->path);
	}
	if (d->rc == KT_FATAL)
		return kt_error_copy(err, &d->err);
	return KT_OK;
}

/*
 * A document leaves, in input order: the stages' end halves (waiting for its
 * pages), then the file's outcome is recorded in the batch. Returns KT_FATAL
 * (message in err) when the batch must stop; the document then stays
 * "processing" and the next batch does it again.
 */
static int doc_leave(kt_run *r, kt_doc *d, kt_ingest_report *rep, kt_error *err)
{
	size_t i;

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
		for (i = 0; i < N_STAGES && d->rc == KT_OK; i++) {
			if (doc_stages[i].end == NULL)
				continue;
			d->rc = doc_stages[i].end(r, d);
			if (d->rc == KT_WARN) {
				/* done all the same: the warning goes with the event */
				snprintf(d->warning, sizeof d->warning, "%s",
					 d->err.code == KT_WARN ? d->err.msg : doc_stages[i].name);
				kt_error_clear(&d->err);
				d->rc = KT_OK;
			}
			if (d->rc != KT_OK && d->err.code == KT_OK)
				kt_error_set(&d->err, d->rc, "stage %s failed on '%s'", doc_stages[i].name,
					     d->path);
		}
		d->ev.pages = d->npages;
		if (d->rc == KT_OK) {
			d->ev.outcome = KT_OUTCOME_DONE;
		} else if (d->rc == KT_FATAL) {
			return kt_error_copy(err, &d->err);
		} else {
			snprintf(d->reason, sizeof d->reason, "%s", d->err.msg);
			if (kt_catalog_doc_fail(r->catalog, d->id, d->err.msg) != KT_OK)
				return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
		}
	}
	d->ev.reason = d->reason[0] ? d->reason : NULL;
	d->ev.warning = d->warning[0] ? d->warning : NULL;
	if (kt_catalog_batch_file(r->catalog, r->batch_id, d->ev.path, d->ev.path_len, d->ev.doc_id,
				  (enum kt_outcome)d->ev.outcome,
				  d->ev.outcome == KT_OUTCOME_DONE ? NULL : d->ev.reason) != KT_OK)
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
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

static int make_extract_cfg(kt_run *r, kt_error *err)
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
	if (kt_catalog_case_numbers(r->catalog, &known, &n) != KT_OK)
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
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
	if (kt_catalog_doc_ids(c, "unindexed", &ids, &n) != KT_OK)
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(c));
	if (n > 0 && (ix = kt_store_index(s, err)) != NULL) {
		for (i = 0; i < n && rc == KT_OK; i++) {
			json_t *doc = kt_catalog_doc_json(c, ids[i]);

			if (doc == NULL) {
				rc = kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(c));
				break;
			}
			rc = index_record(ix, doc, err);
			json_decref(doc);
			/* Commit every so many documents, then mark them indexed. */
			if (rc == KT_OK && (i + 1 == n || i + 1 - from == INDEX_COMMIT_DOCS)) {
				if (kt_index_commit(ix) != KT_OK)
					rc = kt_error_set(err, KT_FATAL, "%s", kt_index_errmsg(ix));
				for (j = from; j <= i && rc == KT_OK; j++)
					if (kt_catalog_doc_set_indexed(c, ids[j]) != KT_OK)
						rc = kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(c));
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
	b = (char *)base_name(copy);
	{
		char cwd[4096];

		if (strcmp(b, ".") == 0 || strcmp(b, "/") == 0 || b[0] == '\0')
			b = getcwd(cwd, sizeof cwd) ? (char *)base_name(cwd) : "batch";
		/* A batch name stays short: the folder's name, cut, and the date. */
		snprintf(out, size, "%.200s-%s", b, date);
	}
	free(copy);
}

static int head_ready(kt_run *r, kt_doc *d)
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
	if (make_extract_cfg(&r, err) != KT_OK) {
		kt_walk_release(&w);
		kt_extract_cfg_free(&r.xcfg);
		return KT_FATAL;
	}
	if (kt_catalog_batch_start(r.catalog, name, npaths > 0 ? paths[0] : "", &r.batch_id) != KT_OK) {
		kt_walk_release(&w);
		kt_extract_cfg_free(&r.xcfg);
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r.catalog));
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
		kt_doc *d;

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
			doc_free(&d);
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
		rc = doc_enter(&r, d, w.e[i].problem, err);
		win->d[(win->head + win->len) % win->cap] = d;
		win->len++;
		win->bytes += d->len;
		i++;
	}
	/* Stop the workers before the documents they may hold are freed. */
	kt_pool_free(&r.pool);
	for (i = 0; i < win->len; i++)
		doc_free(&win->d[(win->head + i) % win->cap]);
	free(win->d);
	/* Documents catalogued as done reach the index now; if this fails, the
	 * next batch's kt_reindex puts them there. */
	if (flush_index(&r, rc == KT_OK ? err : &(kt_error){ 0 }) != KT_OK)
		rc = KT_FATAL;
	kt_catalog_batch_finish(r.catalog, r.batch_id);
	kt_walk_release(&w);
	kt_extract_cfg_free(&r.xcfg);
	free(r.unindexed);
	if (rc == KT_FATAL)
		return KT_FATAL;
	return rep->failed > 0 ? KT_WARN : KT_OK;
}
