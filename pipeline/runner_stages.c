/*
 * runner_stages.c - the document stages of a batch (runner_private.h): the
 * const table doc_stages[], one function per stage half, and the two walks
 * over the table (kt_run_begin, kt_run_end) that runner.c calls.
 *
 * The stages are walked in order. Each reads what earlier stages
 * made in the kt_run_doc and adds its own part; none changes what it was
 * given. Adding a stage touches the table and one function. A stage returns
 * KT_FAILED to give this file up (its reason is recorded, the batch goes on)
 * or KT_FATAL to stop the batch. Every error of the catalog, the index or the
 * archive stops the batch: their outcome is passed up with
 * kt_error_escalate(..., KT_FATAL), which leaves a warning a warning.
 */
#include "runner_private.h"
#include "kt_archive.h"
#include "kt_fault.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int stage_identify(kt_run *r, kt_run_doc *d)
{
	return kt_source_open(d->data, d->len, d->path, kt_store_config(r->store)->max_pixels,
			      &d->src, &d->err);
}

/* Hand every page to the workers; the pool starts with the first document
 * that has pages, so a batch of known files loads no engine. */
static int stage_pages_begin(kt_run *r, kt_run_doc *d)
{
	int n = kt_source_pages(d->src), i, first = 0;

	if (r->pool == NULL) {
		const char *td = kt_store_config(r->store)->tessdata;

		if (kt_pool_start(r->jobs, td[0] ? td : NULL, &r->pool, &d->err) != KT_OK)
			return KT_FATAL;
	}
	/* a part reprocessed: its pages of the file, as its record says */
	if (d->part > 0) {
		if (d->first_page < 1 || d->last_page < d->first_page || d->last_page > n)
			return kt_error_set(&d->err, KT_FAILED, "'%s' has %d pages, not the pages %d-%d "
					    "of part %d", d->path, n, d->first_page, d->last_page,
					    d->part);
		first = d->first_page - 1;
		n = d->last_page - d->first_page + 1;
	}
	d->pages = calloc((size_t)n + 1, sizeof *d->pages);
	if (d->pages == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	for (i = 0; i < n; i++)
		kt_page_result_init(&d->pages[i]);
	d->npages = n;
	/* separator sheets divide a multi-page file that comes in new */
	d->set = (kt_page_set){ .src = d->src, .path = d->path, .pages = d->pages, .n = n,
				.first = first,
				.separators = kt_store_config(r->store)->separator_sheets &&
					      d->history == NULL && d->part == 0 && n > 1 };
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
static int stage_pages_end(kt_run *r, kt_run_doc *d)
{
	while (!kt_pool_wait_set(r->pool, &d->set, 500))
		tick(r);
	tick(r);
	if (d->set.rc != KT_OK) {
		kt_error_pass(&d->err, &d->set.err);
		return d->set.rc;
	}
	return KT_OK;
}

/* The text of every page, each followed by a blank line; caller frees. */
static char *joined_text(const kt_run_doc *d)
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

/* The extractor's fields (JSON), read once into the package record's typed
 * metadata, which the archive and the catalog stages use; over them, and
 * before them over the page texts, the corrections people made. */
static int stage_extract(kt_run *r, kt_run_doc *d)
{
	char *text = kt_run_corrected_pages(d) == KT_OK ? joined_text(d) : NULL;
	json_t *metadata;

	if (text == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	metadata = kt_extract_metadata(r->xcfg, text);
	free(text);
	if (metadata == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	d->rec = kt_run_package_record(r, d, metadata);
	json_decref(metadata);
	if (d->rec == NULL)
		return d->err.code;
	return kt_run_corrected_record(d);
}

/* 1 for an e-signed container with a plain-text page: such a page is no
 * PDF's page and has no image, and the access copy cannot show it yet
 * (docs/ocr.md): such a container has none; its original and text are what
 * it offers. Its PDF pages are taken from their data files (own_pdf). */
static int text_page_container(const kt_run_doc *d)
{
	int i;

	if (strcmp(kt_source_format(d->src), "asice") != 0)
		return 0;
	for (i = 0; i < d->npages; i++)
		if (d->pages[i].page_pdf == NULL && d->pages[i].own_pdf == NULL)
			return 1;
	return 0;
}

static int stage_archive(kt_run *r, kt_run_doc *d)
{
	kt_archive *a = kt_store_archive(r->store);
	const char **alto = calloc((size_t)d->npages + 1, sizeof *alto);
	kt_package_files pf = KT_PACKAGE_FILES_INIT;
	kt_archive_mets_info mi = { .software = "kartoteka " KT_VERSION,
				    .organisation = kt_store_config(r->store)->organisation,
				    .version = d->version, .reason = d->version_reason };
	kt_package_bytes *masters = calloc((size_t)d->npages + 1, sizeof *masters);
	kt_package_parts parts = { .record = d->rec, .original = d->data, .original_len = d->len,
				   .alto = alto, .mets = &mi, .masters = masters };
	kt_pdfa_info pi = { .title = kt_run_base_name(d->path), .producer = "kartoteka " KT_VERSION,
			    .created = (long long)time(NULL) };
	unsigned char *access = NULL;
	size_t access_len = 0;
	kt_archive_package pkg = { 0 };
	int i, rc;

	if (alto == NULL || masters == NULL) {
		rc = kt_error_set(&d->err, KT_FATAL, "out of memory");
		goto out;
	}
	for (i = 0; i < d->npages; i++) {
		alto[i] = d->pages[i].alto;
		masters[i] = (kt_package_bytes){ d->pages[i].master, d->pages[i].master_len };
	}
	/* The access copy: the pages' one-page PDFs (and the original's own
	 * pages of a born-digital PDF) merged with the PDF/A markers; none when
	 * every page is the original PDF's own. A file whose pages cannot be
	 * merged is given up. */
	rc = text_page_container(d) ? KT_OK
				: kt_pdfa_document(d->pages, d->npages, d->data, d->len, &pi, &access,
						   &access_len, &d->err);
	if (rc != KT_OK) {
		char why[KT_ERRMSG_MAX];

		snprintf(why, sizeof why, "%s", d->err.msg);
		rc = kt_error_set(&d->err, rc, "'%s': %s", d->path, why);
		goto out;
	}
	parts.access_pdf = (kt_package_bytes){ access, access_len };
	/* The payload under the package layout's names (archive/package.c):
	 * the original, each page's text, ALTO and master, the access copy, the
	 * document text, the record, and METS with PREMIS events over all of
	 * them. */
	rc = kt_package_files_make(a, &parts, &pf);
	if (rc != KT_OK)
		rc = kt_error_escalate(&d->err, kt_archive_error(a), KT_FATAL);
	if (rc < KT_WARN)
		goto out;
	pkg.doc_id = d->id;
	pkg.sha256 = d->sha256;
	pkg.version = d->version;
	pkg.batch = r->batch_name;
	pkg.source_name = kt_run_base_name(d->path);
	pkg.organisation = kt_store_config(r->store)->organisation;
	pkg.files = pf.files;
	pkg.n_files = pf.n;
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
	if (kt_archive_write(a, &pkg, &d->package) != KT_OK)
		rc = kt_status_worst(rc, kt_error_escalate(&d->err, kt_archive_error(a), KT_FATAL));
out:
	kt_package_files_release(&pf);
	free(access);
	free(masters);
	free(alto);
	return rc;
}

static int stage_catalog(kt_run *r, kt_run_doc *d)
{
	kt_catalog_page *pages = calloc((size_t)d->npages + 1, sizeof *pages);
	int i, rc;

	if (pages == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	for (i = 0; i < d->npages; i++) {
		const kt_page_result *p = &d->pages[i];

		pages[i] = (kt_catalog_page){ .n = i + 1, .rotation = p->rotation, .blank = p->blank,
					      .confidence = p->confidence, .skew = p->skew,
					      .lang = p->lang, .text = p->text,
					      .text_source = p->text_source[0] ? p->text_source : NULL,
					      .measured = p->measured, .paper = p->paper, .ink = p->ink,
					      .cut_words = p->cut_words, .cut_edges = p->cut_edges };
	}
	/* this version, as the package's record lists it last */
	rc = kt_catalog_doc_done(r->catalog, d->id, kt_source_format(d->src), d->package,
				 &d->rec->versions[d->rec->n_versions - 1], &d->rec->meta, pages,
				 d->npages);
	free(pages);
	if (rc != KT_OK && (rc = kt_error_escalate(&d->err, kt_catalog_error(r->catalog), KT_FATAL)) < KT_WARN)
		return rc;
	if (kt_catalog_doc_get(r->catalog, d->id, &d->stored) != KT_OK) {
		kt_error_escalate(&d->err, kt_catalog_error(r->catalog), KT_FATAL);
		return KT_FATAL;
	}
	return rc;
}

int kt_run_flush_index(kt_run *r, kt_error *err)
{
	kt_index *ix;
	int i;

	if (r->n_unindexed == 0)
		return KT_OK;
	ix = kt_store_index(r->store, err);
	if (ix == NULL)
		return KT_FATAL;
	if (kt_index_commit(ix) != KT_OK && kt_error_escalate(err, kt_index_error(ix), KT_FATAL) < KT_WARN)
		return KT_FATAL;
	for (i = 0; i < r->n_unindexed; i++)
		if (kt_catalog_doc_set_indexed(r->catalog, r->unindexed[i]) != KT_OK &&
		    kt_error_escalate(err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN)
			return KT_FATAL;
	r->n_unindexed = 0;
	r->last_commit = time(NULL);
	return KT_OK;
}

static int stage_index(kt_run *r, kt_run_doc *d)
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
	if (kt_run_index_put(ix, d->stored, &d->err) != KT_OK)
		return KT_FATAL;
	r->unindexed[r->n_unindexed++] = d->id;
	if (r->n_unindexed >= INDEX_COMMIT_DOCS || time(NULL) - r->last_commit >= INDEX_COMMIT_SECONDS)
		return kt_run_flush_index(r, &d->err);
	return KT_OK;
}

/*
 * A stage has two halves. begin runs when the file has been read, in input
 * order, on the main thread; end runs when the document's turn to be written
 * comes, in input order, on the main thread. Between the two, the document's
 * pages are with the OCR workers. Either half may be NULL.
 */
typedef struct kt_doc_stage {
	const char *name;
	int (*begin)(kt_run *r, kt_run_doc *d);
	int (*end)(kt_run *r, kt_run_doc *d);
} kt_doc_stage;

static const kt_doc_stage doc_stages[] = {
	{ "identify", stage_identify, NULL },
	{ "pages", stage_pages_begin, stage_pages_end },
	{ "separate", NULL, kt_run_separate },
	{ "extract", NULL, stage_extract },
	{ "archive", NULL, stage_archive },
	{ "catalog", NULL, stage_catalog },
	{ "index", NULL, stage_index },
};

#define N_STAGES (sizeof doc_stages / sizeof doc_stages[0])

int kt_run_begin(kt_run *r, kt_run_doc *d)
{
	size_t i;

	d->rc = KT_OK;
	for (i = 0; i < N_STAGES && d->rc == KT_OK; i++) {
		if (doc_stages[i].begin == NULL)
			continue;
		d->rc = doc_stages[i].begin(r, d);
		if (d->rc != KT_OK && d->err.code == KT_OK)
			kt_error_set(&d->err, d->rc, "stage %s failed on '%s'", doc_stages[i].name, d->path);
	}
	return d->rc;
}

static int run_end_from(kt_run *r, kt_run_doc *d, size_t from)
{
	size_t i;

	for (i = from; i < N_STAGES && d->rc == KT_OK; i++) {
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
			kt_error_set(&d->err, d->rc, "stage %s failed on '%s'", doc_stages[i].name, d->path);
	}
	return d->rc;
}

int kt_run_end(kt_run *r, kt_run_doc *d)
{
	return run_end_from(r, d, 0);
}

int kt_run_end_rest(kt_run *r, kt_run_doc *d)
{
	size_t i;

	for (i = 0; i < N_STAGES && strcmp(doc_stages[i].name, "separate") != 0; i++)
		;
	return run_end_from(r, d, i + 1);
}
