/*
 * runner.c - a batch: walk the files, and drive each new one through the
 * document stages.
 *
 * The stages are a const table walked in order (doc_stages[] below). Each
 * reads what earlier stages made in the kt_doc and adds its own part; none
 * changes what it was given. Adding a stage touches this table and one
 * function. A stage returns KT_FAILED to give this file up (its reason is
 * recorded, the batch goes on) or KT_FATAL to stop the batch.
 */
#include "kt_pipeline.h"
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_extract.h"
#include "kt_index.h"
#include "kt_ocr.h"
#include "kt_sha.h"
#include "kt_text.h"
#include "walk_private.h"

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

/* What one batch run holds for all its files. */
typedef struct kt_run {
	kt_store *store;
	kt_catalog *catalog;
	kt_ocr *ocr;               /* made on the first file that needs it */
	kt_extract_cfg *xcfg;
	const char *batch_name;
	long long batch_id;
} kt_run;

/* One file on its way through the stages. */
typedef struct kt_doc {
	const char *path;          /* as found */
	const unsigned char *data; /* the file's bytes */
	size_t len;
	char sha256[KT_SHA256_HEX];
	long long id;
	kt_source *src;            /* identify */
	kt_page_result *pages;     /* pages */
	int npages;
	json_t *metadata;          /* extract */
	char *package;             /* archive */
	json_t *record;            /* catalog: the document as stored */
	kt_error err;
} kt_doc;

typedef struct kt_doc_stage {
	const char *name;
	int (*run)(kt_run *r, kt_doc *d);
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

static int stage_pages(kt_run *r, kt_doc *d)
{
	int n = kt_source_pages(d->src), i, rc;

	if (r->ocr == NULL) {
		const char *td = kt_store_config(r->store)->tessdata;

		r->ocr = kt_ocr_new();
		if (r->ocr == NULL)
			return kt_error_set(&d->err, KT_FATAL, "out of memory");
		if (kt_ocr_init(r->ocr, td[0] ? td : NULL) != KT_OK)
			return kt_error_set(&d->err, KT_FATAL, "%s", kt_ocr_errmsg(r->ocr));
	}
	d->pages = calloc((size_t)n, sizeof *d->pages);
	if (d->pages == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	for (i = 0; i < n; i++) {
		struct Pix *pix = NULL;
		int dpi = 0;

		kt_page_result_init(&d->pages[i]);
		d->npages = i + 1;
		rc = kt_source_page(d->src, i, &pix, &dpi, &d->err);
		if (rc != KT_OK)
			return rc;
		rc = kt_ocr_page(r->ocr, pix, dpi, &d->pages[i], NULL);
		pixDestroy(&pix);
		if (rc != KT_OK)
			return kt_error_set(&d->err, rc, "page %d of '%s': %s", i + 1, d->path,
					    kt_ocr_errmsg(r->ocr));
	}
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

/* The document as the archive keeps it: enough to rebuild the catalog. */
static json_t *package_record(kt_run *r, kt_doc *d)
{
	json_t *o = json_object(), *pages = json_array();
	char *src = kt_utf8_escape(d->path, strlen(d->path));
	int i;

	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "source", json_string(src ? src : ""));
	json_object_set_new(o, "sha256", json_string(d->sha256));
	json_object_set_new(o, "format", json_string(kt_source_format(d->src)));
	json_object_set_new(o, "batch", json_string(r->batch_name));
	json_object_set_new(o, "ocr_engine", json_sprintf("tesseract %s", kt_ocr_version()));
	free(src);
	for (i = 0; i < d->npages; i++) {
		const kt_page_result *p = &d->pages[i];
		json_t *pj = json_object();

		json_object_set_new(pj, "n", json_integer(i + 1));
		json_object_set_new(pj, "rotation", json_integer(p->rotation));
		json_object_set_new(pj, "skew", json_real(p->skew));
		json_object_set_new(pj, "blank", json_boolean(p->blank));
		json_object_set_new(pj, "lang", json_string(p->lang));
		json_object_set_new(pj, "confidence", json_integer(p->confidence));
		json_object_set_new(pj, "text", json_string(p->text ? p->text : ""));
		json_array_append_new(pages, pj);
	}
	json_object_set_new(o, "pages", pages);
	json_object_set_new(o, "metadata", json_incref(d->metadata));
	return o;
}

static int stage_archive(kt_run *r, kt_doc *d)
{
	int n = d->npages + 3, k = 0, i, rc;
	kt_archive_file *files = calloc((size_t)n, sizeof *files);
	char **names = calloc((size_t)n, sizeof *names);
	char *full = joined_text(d), *record = NULL, original[300];
	json_t *rec = package_record(r, d);
	kt_archive_package pkg = { 0 };
	const char *ext = kt_source_format(d->src);

	record = json_dumps(rec, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(rec);
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
	files[k++] = (kt_archive_file){ "text/document.txt", full, strlen(full) };
	files[k++] = (kt_archive_file){ "metadata/document.json", record, strlen(record) };
	pkg.doc_id = d->id;
	pkg.sha256 = d->sha256;
	pkg.version = 1;
	pkg.batch = r->batch_name;
	pkg.source_name = base_name(d->path);
	pkg.organisation = kt_store_config(r->store)->organisation;
	pkg.files = files;
	pkg.n_files = k;
	rc = kt_archive_write(kt_store_archive(r->store), &pkg, &d->package);
	if (rc != KT_OK)
		kt_error_set(&d->err, rc, "%s", kt_archive_errmsg(kt_store_archive(r->store)));
out:
	for (i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
	free(files);
	free(full);
	free(record);
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
	rc = kt_catalog_doc_done(r->catalog, d->id, d->package, 1, d->metadata, pages, d->npages);
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

/* Put one catalogued document (its JSON record) into the index and commit. */
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
	if (rc == KT_OK)
		rc = kt_index_commit(ix);
	if (rc != KT_OK && err->code == KT_OK)
		rc = kt_error_set(err, KT_FATAL, "%s", kt_index_errmsg(ix));
	free(cases);
	free(codes);
	free(dates);
	free(nm);
	json_decref(names);
	return rc;
}

static int stage_index(kt_run *r, kt_doc *d)
{
	kt_index *ix = kt_store_index(r->store, &d->err);
	int rc;

	if (ix == NULL)
		return KT_FATAL;
	rc = index_record(ix, d->record, &d->err);
	if (rc != KT_OK)
		return KT_FATAL;
	if (kt_catalog_doc_set_indexed(r->catalog, d->id) != KT_OK)
		return kt_error_set(&d->err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
	return KT_OK;
}

static const kt_doc_stage doc_stages[] = {
	{ "identify", stage_identify },
	{ "pages", stage_pages },
	{ "extract", stage_extract },
	{ "archive", stage_archive },
	{ "catalog", stage_catalog },
	{ "index", stage_index },
};

static void doc_release(kt_doc *d)
{
	int i;

	kt_source_free(&d->src);
	for (i = 0; i < d->npages; i++)
		kt_page_result_release(&d->pages[i]);
	free(d->pages);
	json_decref(d->metadata);
	json_decref(d->record);
	free(d->package);
}

/* ------------------------------------------------------------------ batch */

/* Read a whole file; KT_FAILED with the reason when it cannot be read. */
static int read_file(const char *path, long long max, unsigned char **data, size_t *len, kt_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *buf;
	size_t got = 0;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return kt_error_set(err, KT_FAILED, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kt_error_set(err, KT_FAILED, "cannot read '%s': not a regular file", path);
	}
	if (max > 0 && st.st_size > max) {
		close(fd);
		return kt_error_set(err, KT_FAILED, "refusing '%s': %lld bytes is above the cap of %lld",
				    path, (long long)st.st_size, max);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return kt_error_set(err, KT_FAILED, "cannot read '%s': out of memory", path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = errno;

			free(buf);
			close(fd);
			return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", path,
					    k == 0 ? "file shrank while reading" : strerror(e));
		}
		got += (size_t)k;
	}
	close(fd);
	*data = buf;
	*len = got;
	return KT_OK;
}

/* One file: returns the outcome, the doc id and the reason through ev. */
static int ingest_one(kt_run *r, const kt_ingest_opts *o, const char *path, kt_file_event *ev,
		      char *reason, size_t reason_size, kt_error *err)
{
	kt_doc d = { .path = path };
	unsigned char *data = NULL;
	enum kt_doc_status status;
	char *old_reason = NULL;
	size_t i;
	int rc;

	ev->outcome = KT_OUTCOME_FAILED;
	rc = read_file(path, kt_store_config(r->store)->max_file_bytes, &data, &d.len, &d.err);
	if (rc != KT_OK) {
		snprintf(reason, reason_size, "%s", d.err.msg);
		return KT_OK;
	}
	d.data = data;
	if (kt_sha256_hex(d.data, d.len, d.sha256) != 0) {
		free(data);
		return kt_error_set(err, KT_FATAL, "cannot compute SHA-256");
	}
	if (kt_catalog_doc_find(r->catalog, d.sha256, &d.id, &status, &old_reason) != KT_OK) {
		free(data);
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
	}
	ev->doc_id = d.id;
	if (status == KT_DOC_DONE || (status == KT_DOC_FAILED && !o->retry_failed)) {
		ev->outcome = KT_OUTCOME_SKIPPED;
		if (status == KT_DOC_DONE)
			snprintf(reason, reason_size, "already done as document %lld", d.id);
		else
			snprintf(reason, reason_size, "failed before as document %lld (%s); use --retry-failed",
				 d.id, old_reason ? old_reason : "?");
		free(old_reason);
		free(data);
		return KT_OK;
	}
	free(old_reason);
	if (kt_catalog_doc_reserve(r->catalog, d.sha256, path, strlen(path), NULL, r->batch_id, &d.id) != KT_OK) {
		free(data);
		return kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
	}
	ev->doc_id = d.id;
	rc = KT_OK;
	for (i = 0; i < sizeof doc_stages / sizeof doc_stages[0] && rc == KT_OK; i++) {
		rc = doc_stages[i].run(r, &d);
		if (rc != KT_OK && d.err.code == KT_OK)
			kt_error_set(&d.err, rc, "stage %s failed on '%s'", doc_stages[i].name, path);
	}
	ev->pages = d.npages;
	if (rc == KT_OK) {
		ev->outcome = KT_OUTCOME_DONE;
	} else if (rc == KT_FATAL) {
		kt_error_copy(err, &d.err);
	} else {
		snprintf(reason, reason_size, "%s", d.err.msg);
		if (kt_catalog_doc_fail(r->catalog, d.id, d.err.msg) != KT_OK)
			rc = kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r->catalog));
		else
			rc = KT_OK;
	}
	doc_release(&d);
	free(data);
	return rc == KT_FATAL ? KT_FATAL : KT_OK;
}

static int make_extract_cfg(kt_run *r, kt_error *err)
{
	const kt_config *cfg = kt_store_config(r->store);
	char **known = NULL;
	int n = 0, i;

	r->xcfg = kt_extract_cfg_new();
	if (r->xcfg == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	for (i = 0; i < cfg->n_case_patterns; i++)
		if (kt_extract_cfg_add_pattern(r->xcfg, cfg->case_patterns[i]) != KT_OK)
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
	int n = 0, i, rc = KT_OK;

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
			if (rc == KT_OK && kt_catalog_doc_set_indexed(c, ids[i]) != KT_OK)
				rc = kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(c));
			if (rc == KT_OK)
				(*count)++;
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

int kt_ingest(kt_store *s, const char *const *paths, int npaths, const kt_ingest_opts *opts,
	      kt_ingest_report *rep, kt_error *err)
{
	kt_run r = { .store = s, .catalog = kt_store_catalog(s) };
	kt_ingest_opts none = { 0 };
	kt_walk w;
	char name[512], reason[KT_ERRMSG_MAX];
	int i, rc = KT_OK, reindexed;

	memset(rep, 0, sizeof *rep);
	if (opts == NULL)
		opts = &none;
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
	rep->files = w.n;
	for (i = 0; i < w.n; i++) {
		kt_file_event ev = { .path = w.e[i].path, .path_len = strlen(w.e[i].path) };

		reason[0] = '\0';
		if (opts->progress)
			opts->progress(opts->ctx, i, w.n, NULL);
		if (w.e[i].problem != NULL) {
			ev.outcome = KT_OUTCOME_FAILED;
			snprintf(reason, sizeof reason, "cannot read '%s': %s", w.e[i].path, w.e[i].problem);
		} else {
			rc = ingest_one(&r, opts, w.e[i].path, &ev, reason, sizeof reason, err);
			if (rc == KT_FATAL)
				break;
		}
		ev.reason = reason[0] ? reason : NULL;
		if (kt_catalog_batch_file(r.catalog, r.batch_id, ev.path, ev.path_len, ev.doc_id,
					  (enum kt_outcome)ev.outcome,
					  ev.outcome == KT_OUTCOME_DONE ? NULL : ev.reason) != KT_OK) {
			rc = kt_error_set(err, KT_FATAL, "%s", kt_catalog_errmsg(r.catalog));
			break;
		}
		if (ev.outcome == KT_OUTCOME_DONE) {
			rep->done++;
			rep->pages += ev.pages;
		} else if (ev.outcome == KT_OUTCOME_SKIPPED) {
			rep->skipped++;
		} else {
			rep->failed++;
		}
		if (opts->progress)
			opts->progress(opts->ctx, i + 1, w.n, &ev);
	}
	kt_catalog_batch_finish(r.catalog, r.batch_id);
	kt_walk_release(&w);
	kt_extract_cfg_free(&r.xcfg);
	kt_ocr_free(&r.ocr);
	if (rc == KT_FATAL)
		return KT_FATAL;
	return rep->failed > 0 ? KT_WARN : KT_OK;
}
