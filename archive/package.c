/*
 * package.c - the package layout (kt_archive.h, "Package layout"): the
 * payload names of a document version's package, the list of its payload
 * files made from the document's parts, and reading it back: the record
 * (metadata/document.json), the original, the versions of a document, and
 * what `export` restores. Every other part of kartoteka asks these
 * functions instead of spelling a payload name.
 */
#include "archive_private.h"
#include "kt_strv.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ names */

int kt_package_original_path(const char *format, char out[KT_PACKAGE_PATH_MAX])
{
	const char *ext = format;
	size_t i, n;

	out[0] = '\0';
	if (format == NULL)
		return KT_FAILED;
	n = strlen(format);
	if (n == 0 || n > 16)
		return KT_FAILED;
	for (i = 0; i < n; i++)
		if (!((format[i] >= 'a' && format[i] <= 'z') || (format[i] >= '0' && format[i] <= '9')))
			return KT_FAILED;
	/* the usual short extensions of the formats kartoteka identifies */
	if (strcmp(format, "tiff") == 0)
		ext = "tif";
	else if (strcmp(format, "jpeg") == 0)
		ext = "jpg";
	snprintf(out, KT_PACKAGE_PATH_MAX, KT_PACKAGE_ORIGINAL_DIR "original.%s", ext);
	return KT_OK;
}

void kt_package_page_text_path(int n, char out[KT_PACKAGE_PATH_MAX])
{
	snprintf(out, KT_PACKAGE_PATH_MAX, "text/page-%04d.txt", n);
}

void kt_package_page_alto_path(int n, char out[KT_PACKAGE_PATH_MAX])
{
	snprintf(out, KT_PACKAGE_PATH_MAX, "alto/page-%04d.xml", n);
}

void kt_package_page_master_path(int n, char out[KT_PACKAGE_PATH_MAX])
{
	snprintf(out, KT_PACKAGE_PATH_MAX, KT_PACKAGE_MASTER_DIR "page-%04d.tif", n);
}

int kt_package_is_original(const char *path)
{
	return path != NULL &&
	       strncmp(path, KT_PACKAGE_ORIGINAL_DIR, sizeof KT_PACKAGE_ORIGINAL_DIR - 1) == 0;
}

int kt_package_name(const char *relpath, char out[KT_PACKAGE_NAME_MAX])
{
	char name[KT_BAG_NAME_MAX];

	out[0] = '\0';
	if (kt_bag_parse_relpath(relpath, name, NULL, NULL) != 0)
		return KT_FAILED;
	snprintf(out, KT_PACKAGE_NAME_MAX, "%s", name);
	return KT_OK;
}

/* ----------------------------------------------------------- the payload */

void kt_package_files_release(kt_package_files *f)
{
	if (f == NULL)
		return;
	free(f->files);
	f->files = NULL;
	f->n = 0;
	kt_strv_release(&f->owned);
}

/* Append a file; own_path/own_data: keep a copy of the path / of the bytes
 * (a C string) in f->owned. The array has room (made large enough). */
static int add_file(kt_package_files *f, const char *path, int own_path, const char *data,
                    size_t len, int own_data)
{
	kt_archive_file *x = &f->files[f->n];

	x->path = path;
	x->data = data;
	x->len = len;
	if (own_path) {
		if (kt_strv_push(&f->owned, path) != KT_OK)
			return KT_FATAL;
		x->path = f->owned.v[f->owned.n - 1];
	}
	if (own_data) {
		if (kt_strv_pushn(&f->owned, data, len) != KT_OK)
			return KT_FATAL;
		x->data = f->owned.v[f->owned.n - 1];
	}
	f->n++;
	return KT_OK;
}

static const char *page_text(const kt_doc_page *p)
{
	return p->text ? p->text : "";
}

int kt_package_files_make(kt_archive *a, const kt_package_parts *parts, kt_package_files *out)
{
	const kt_doc *rec;
	kt_buf text = KT_BUF_INIT;
	char path[KT_PACKAGE_PATH_MAX], *json = NULL, *mets = NULL;
	size_t i;
	int rc = KT_OK;

	if (a == NULL || out == NULL)
		return KT_FATAL;
	kt_package_files_release(out);
	kt_error_clear(&a->err);
	if (parts == NULL || parts->record == NULL)
		return kt_error_set(&a->err, KT_FAILED, "package: no document record given");
	rec = parts->record;
	if (rec->n_pages > (size_t)(INT_MAX - 8) / 3)
		return kt_error_set(&a->err, KT_FAILED, "package: document %lld has too many pages (%zu)",
		                    rec->id, rec->n_pages);
	if (kt_package_original_path(rec->format, path) != KT_OK)
		return kt_error_set(&a->err, KT_FAILED, "package: document %lld has no format to name "
		                    "its original by ('%s')", rec->id, rec->format ? rec->format : "");
	out->files = calloc(3 * rec->n_pages + 6, sizeof *out->files);
	if (out->files == NULL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	/* The original keeps its bytes; its name in the package is ours. */
	rc = add_file(out, path, 1, parts->original, parts->original_len, 0);
	for (i = 0; rc == KT_OK && i < rec->n_pages; i++) {
		const char *t = page_text(&rec->pages[i]);

		kt_package_page_text_path((int)i + 1, path);
		rc = add_file(out, path, 1, t, strlen(t), 0);
		if (rc == KT_OK)
			rc = kt_buf_puts(&text, t);
		if (rc == KT_OK)
			rc = kt_buf_puts(&text, "\n\n");
	}
	/* ALTO XML per page: words with coordinates on the cleaned page */
	for (i = 0; rc == KT_OK && parts->alto != NULL && i < rec->n_pages; i++) {
		if (parts->alto[i] == NULL)
			continue;
		kt_package_page_alto_path((int)i + 1, path);
		rc = add_file(out, path, 1, parts->alto[i], strlen(parts->alto[i]), 0);
	}
	/* the master of each recognised page: the cleaned page, lossless TIFF */
	for (i = 0; rc == KT_OK && parts->masters != NULL && i < rec->n_pages; i++) {
		if (parts->masters[i].data == NULL)
			continue;
		kt_package_page_master_path((int)i + 1, path);
		rc = add_file(out, path, 1, parts->masters[i].data, parts->masters[i].len, 0);
	}
	/* the access copy: a searchable PDF of every page */
	if (rc == KT_OK && parts->access_pdf.data != NULL)
		rc = add_file(out, KT_PACKAGE_ACCESS_PDF, 0, parts->access_pdf.data,
			      parts->access_pdf.len, 0);
	if (rc == KT_OK)
		rc = add_file(out, KT_PACKAGE_DOCUMENT_TEXT, 0, kt_buf_cstr(&text), text.len, 1);
	kt_buf_release(&text);
	if (rc == KT_OK && (json = kt_doc_dumps(rec, KT_DOC_JSON_PACKAGE)) == NULL)
		rc = KT_FATAL;
	if (rc == KT_OK)
		rc = add_file(out, KT_PACKAGE_DOCUMENT_JSON, 0, json, strlen(json), 1);
	free(json);
	if (rc != KT_OK) {
		kt_package_files_release(out);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	/* METS with PREMIS events over everything above: made last, listing the
	 * digests of the files it describes (not its own). */
	rc = kt_archive_mets(a, rec, parts->mets, out->files, out->n, &mets);
	if (rc == KT_OK && add_file(out, KT_PACKAGE_METS_XML, 0, mets, strlen(mets), 1) != KT_OK)
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
	free(mets);
	if (rc != KT_OK)
		kt_package_files_release(out);
	return rc;
}

/* ------------------------------------------------------------- reading */

int kt_package_read_record(kt_archive *a, const char *relpath, kt_doc **out)
{
	char name[KT_BAG_NAME_MAX], sha16[17];
	long long id = 0;
	void *data = NULL;
	size_t len = 0;
	json_error_t je;
	json_t *j;
	kt_error e = { 0 };
	kt_doc *d = NULL;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (out == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no place for the record given");
	rc = kt_archive_read_file(a, relpath, KT_PACKAGE_DOCUMENT_JSON, &data, &len);
	if (rc != KT_OK)
		return rc;
	if (kt_bag_parse_relpath(relpath, name, &id, sha16) != 0) {
		free(data); /* read_file checked it already */
		return kt_error_set(&a->err, KT_FAILED, "'%s' is not a package path", relpath);
	}
	j = json_loadb(data, len, 0, &je);
	free(data);
	if (!json_is_object(j)) {
		rc = kt_error_set(&a->err, KT_FAILED, "data/" KT_PACKAGE_DOCUMENT_JSON
		                  " is not a JSON object: %s", j ? "wrong type" : je.text);
		json_decref(j);
		return rc;
	}
	rc = kt_doc_from_json(j, &d, &e);
	json_decref(j);
	if (rc == KT_FATAL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	if (rc != KT_OK)
		return kt_error_set(&a->err, KT_FAILED, "data/" KT_PACKAGE_DOCUMENT_JSON ": %s", e.msg);
	/* the record must be the package's: same id, SHA-256 starting as named */
	if (d->id != id || d->sha256 == NULL || strlen(d->sha256) != 64 ||
	    strncmp(d->sha256, sha16, 16) != 0) {
		rc = kt_error_set(&a->err, KT_FAILED, "data/" KT_PACKAGE_DOCUMENT_JSON
		                  " names another document (id %lld, sha256 %s)", d->id,
		                  d->sha256 ? d->sha256 : "none");
		kt_doc_free(&d);
		return rc;
	}
	*out = d;
	return KT_OK;
}

/* The index of the original among a package's sorted payload paths, or -1. */
static int original_of(char *const *paths, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (kt_package_is_original(paths[i]))
			return i;
	return -1;
}

int kt_package_find_original(kt_archive *a, const char *relpath, char **path)
{
	char **paths = NULL;
	int n = 0, k, rc;

	if (path != NULL)
		*path = NULL;
	if (a == NULL)
		return KT_FATAL;
	if (path == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no place for the path given");
	if ((rc = kt_archive_list_files(a, relpath, &paths, &n)) != KT_OK)
		return rc;
	k = original_of(paths, n);
	if (k < 0)
		rc = kt_error_set(&a->err, KT_FAILED, "package '%s' has no original", relpath);
	else if ((*path = strdup(paths[k])) == NULL)
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
	kt_archive_strings_free(&paths, n);
	return rc;
}

/* Versions of one document in order. */
static int cmp_version(const void *x, const void *y)
{
	const char *p = *(char *const *)x, *q = *(char *const *)y;
	int vp = 0, vq = 0;

	kt_archive_parse_relpath(p, NULL, &vp);
	kt_archive_parse_relpath(q, NULL, &vq);
	if (vp != vq)
		return vp < vq ? -1 : 1;
	return strcmp(p, q);
}

/* The packages of doc_id in the shard folder of sha256, pushed to l. */
static int versions_in_shard(kt_archive *a, long long doc_id, const char *sha256, kt_strv *l)
{
	char shard[3] = { 0 }, want16[17];
	char *dir;
	DIR *d;
	struct dirent *de;
	int i, rc = KT_OK;

	for (i = 0; i < 16; i++)
		want16[i] = (char)(sha256[i] >= 'A' && sha256[i] <= 'F' ? sha256[i] - 'A' + 'a' : sha256[i]);
	want16[16] = '\0';
	memcpy(shard, want16, 2);
	if ((dir = kt_path_join(a->root, shard)) == NULL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	d = opendir(dir);
	if (d == NULL) {
		rc = errno == ENOENT ? KT_OK :
		     kt_error_set(&a->err, KT_FAILED, "cannot read '%s': %s", dir, strerror(errno));
		free(dir);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		char rel[KT_BAG_NAME_MAX + 16], name[KT_BAG_NAME_MAX], sha16[17];
		long long id = -1;

		if (de->d_name[0] == '.' || strlen(de->d_name) > KT_BAG_NAME_MAX + 4)
			continue;
		snprintf(rel, sizeof rel, "%s/%s", shard, de->d_name);
		if (kt_bag_parse_relpath(rel, name, &id, sha16) != 0 || id != doc_id ||
		    strcmp(sha16, want16) != 0)
			continue;
		if (kt_strv_push(l, rel) != KT_OK) {
			rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
			break;
		}
	}
	closedir(d);
	free(dir);
	return rc;
}

int kt_package_versions(kt_archive *a, long long doc_id, const char *sha256, char ***relpaths,
                        int *n)
{
	kt_strv l = KT_STRV_INIT;
	int rc = KT_OK;

	*relpaths = NULL;
	*n = 0;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	if (sha256 != NULL) {
		if (kt_bag_check_sha256(sha256) != 0)
			return kt_error_set(&a->err, KT_FAILED, "'%s' is not a SHA-256", sha256);
		rc = versions_in_shard(a, doc_id, sha256, &l);
	} else {
		char **all = NULL;
		long long id;
		int m = 0, i;

		rc = kt_archive_packages(a, &all, &m);
		for (i = 0; rc == KT_OK && i < m; i++)
			if (kt_archive_parse_relpath(all[i], &id, NULL) == KT_OK && id == doc_id &&
			    kt_strv_push(&l, all[i]) != KT_OK)
				rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		kt_archive_strings_free(&all, m);
	}
	if (rc != KT_OK) {
		kt_strv_release(&l);
		return rc;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, cmp_version);
	*relpaths = l.v;
	*n = (int)l.n;
	return KT_OK;
}

/* -------------------------------------------------------------- export */

void kt_package_export_plan_free(kt_package_export_file **files, int n)
{
	int i;

	if (files == NULL || *files == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*files)[i].data_path);
		free((*files)[i].name);
	}
	free(*files);
	*files = NULL;
}

/* The original's name in the target folder: the export form of the base
 * name of the source as the package's record (else fallback) gives it. */
static void original_name(kt_archive *a, const char *relpath, const char *fallback,
                          char out[KT_ARCHIVE_EXPORT_NAME_MAX])
{
	kt_doc *rec = NULL;
	char *src = NULL;
	const char *s = fallback, *base;

	if (kt_package_read_record(a, relpath, &rec) == KT_OK && (src = kt_doc_source_escape(rec)) != NULL)
		s = src;
	kt_error_clear(&a->err);
	base = s ? strrchr(s, '/') : NULL;
	kt_archive_export_name(base && base[1] ? base + 1 : s, out);
	free(src);
	kt_doc_free(&rec);
}

/* Set plan entry *e to data_path and a name made of printf arguments. */
static int plan_set(kt_package_export_file *e, const char *data_path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int plan_set(kt_package_export_file *e, const char *data_path, const char *fmt, ...)
{
	kt_buf b = KT_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc != KT_OK)
		return rc;
	free(e->name);
	e->name = kt_buf_detach(&b, NULL);
	if (e->data_path == NULL)
		e->data_path = strdup(data_path);
	return e->name && e->data_path ? KT_OK : KT_FATAL;
}

int kt_package_export_plan(kt_archive *a, const char *relpath, const char *fallback_source,
                           kt_package_export_file **files, int *n)
{
	char **paths = NULL, orig[KT_ARCHIVE_EXPORT_NAME_MAX], stem[KT_ARCHIVE_EXPORT_NAME_MAX], *dot;
	kt_package_export_file *plan;
	int np = 0, k = 0, i, j, rc;

	*files = NULL;
	*n = 0;
	if (a == NULL)
		return KT_FATAL;
	if ((rc = kt_archive_list_files(a, relpath, &paths, &np)) != KT_OK)
		return rc;
	i = original_of(paths, np);
	if (i < 0) {
		kt_archive_strings_free(&paths, np);
		return kt_error_set(&a->err, KT_FAILED, "package '%s' has no original", relpath);
	}
	plan = calloc((size_t)np + 1, sizeof *plan);
	if (plan == NULL) {
		kt_archive_strings_free(&paths, np);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	original_name(a, relpath, fallback_source, orig);
	snprintf(stem, sizeof stem, "%s", orig);
	dot = strrchr(stem, '.');
	if (dot != NULL && dot != stem)
		*dot = '\0';
	/* the original first, then the access copies */
	plan[k].kind = KT_PACKAGE_FILE_ORIGINAL;
	rc = plan_set(&plan[k++], paths[i], "%s", orig);
	for (i = 0; rc == KT_OK && i < np; i++) {
		const char *p = paths[i], *ext = NULL;
		size_t al = sizeof KT_PACKAGE_ACCESS_DIR - 1;
		int access = strncmp(p, KT_PACKAGE_ACCESS_DIR, al) == 0;

		if (strcmp(p, KT_PACKAGE_DOCUMENT_TEXT) == 0)
			ext = ".txt";
		else if (access && strchr(p + al, '/') == NULL)
			ext = strrchr(p + al, '.');
		if (ext == NULL)
			continue;
		plan[k].kind = access ? KT_PACKAGE_FILE_ACCESS : KT_PACKAGE_FILE_TEXT;
		rc = plan_set(&plan[k], p, "%s%s", stem, ext);
		/* names stay distinct: the original may be called "x.txt" */
		for (j = 0; rc == KT_OK && j < k; j++)
			if (strcmp(plan[j].name, plan[k].name) == 0)
				rc = plan_set(&plan[k], p, "%s.%s%s", stem, access ? "access" : "text", ext);
		k++;
	}
	kt_archive_strings_free(&paths, np);
	if (rc != KT_OK) {
		kt_package_export_plan_free(&plan, k);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	*files = plan;
	*n = k;
	return KT_OK;
}
