/*
 * dossier.c - the dossier of a case (issue 9, "Retrieval"; docs/cases.md,
 * "Case view and dossier"), made in memory for whoever takes it away:
 * `kartoteka dossier` (tools/cmd_dossier.c) writes it to a file, the web
 * server (route_case.c) sends it as a download. One function,
 * kt_web_dossier (kt_web.h), so that both make the same bytes.
 *
 * PDF: one searchable PDF (kt_pdfa_dossier, ocr/pdfa_dossier.c): a cover with
 * the case record and a table of contents, then each document's access copy
 * from its newest package (a born-digital PDF, which has none, is its own
 * access copy), in the order `case` lists them.
 * ZIP: each document's original, bit for bit (checked against the catalog's
 * SHA-256), named "NN <its name made safe>", with manifest.csv and case.json
 * (kt_archive_zip_write, archive/zip.c, into a memory file).
 *
 * Every file read from a package is checked against its manifest
 * (kt_archive_read_file). Auditing the read is the caller's.
 */
#define _GNU_SOURCE /* memfd_create */
#include "kt_web.h"

#include "kt_archive.h"
#include "kt_buf.h"
#include "kt_catalog.h"
#include "kt_ocr.h"
#include "kt_pipeline.h"
#include "kt_sha.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One document of the dossier: its record and the bytes taken from its
 * package (the access PDF, or the original in a ZIP). */
typedef struct part {
	kt_doc *doc;
	void *data;
	size_t len;
	char name[KT_ARCHIVE_EXPORT_NAME_MAX + 16]; /* ZIP: "NN name" */
	char label[1024];                           /* the table of contents' row */
} part;

typedef struct dossier {
	const char *number;
	int zip;
	kt_store *s;
	json_t *rec;          /* the case record, or NULL (a number only links name) */
	part *parts;
	int n;
	long long now;
	kt_error *err;
} dossier;

/* The first date found in a document (what the case's order goes by). */
static const char *doc_date(const kt_doc *doc)
{
	return doc->meta.dates.n > 0 ? doc->meta.dates.v[0] : NULL;
}

/* A text from a record made fit for one cell or line: control characters
 * (line breaks, tabs) as spaces. Into buf. */
static const char *one_line(const char *s, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "%s", s ? s : "-");
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	return buf;
}

/* The base name of a document's source, bytes that are not UTF-8 as \xHH,
 * on one line. Into buf. */
static const char *escaped_name(const kt_doc *doc, char *buf, size_t size)
{
	char *src = kt_doc_source_escape(doc);
	const char *base = src ? strrchr(src, '/') : NULL;

	one_line(src ? (base ? base + 1 : src) : "?", buf, size);
	free(src);
	return buf;
}

static const char *rec_str(const dossier *d, const char *key)
{
	return json_string_value(json_object_get(d->rec, key));
}

/* The bytes of one part from its newest package: the access PDF (or the
 * born-digital original) for the PDF, the original for the ZIP. KT_OK or
 * KT_FAILED/KT_FATAL, the message on d->err. */
static int read_part(dossier *d, part *p)
{
	kt_archive *a = kt_store_archive(d->s);
	kt_package_export_file *plan = NULL;
	char *src = kt_doc_source_escape(p->doc), hex[KT_SHA256_HEX];
	int np = 0, k = -1, i, rc;

	if (p->doc->package == NULL) {
		free(src);
		return kt_error_set(d->err, KT_FAILED, "document %lld has no archive package", p->doc->id);
	}
	rc = kt_package_export_plan(a, p->doc->package, src, &plan, &np);
	free(src);
	if (rc != KT_OK)
		return kt_error_copy(d->err, kt_archive_error(a));
	for (i = 0; i < np && k < 0; i++) {
		size_t len = strlen(plan[i].data_path);

		if (!d->zip && plan[i].kind == KT_PACKAGE_FILE_ACCESS && len > 4 &&
		    strcmp(plan[i].data_path + len - 4, ".pdf") == 0)
			k = i;
	}
	/* the original: in a ZIP, and as the access copy of a born-digital PDF */
	if (k < 0 && (d->zip || (p->doc->format && strcmp(p->doc->format, "pdf") == 0)))
		for (i = 0; i < np && k < 0; i++)
			if (plan[i].kind == KT_PACKAGE_FILE_ORIGINAL)
				k = i;
	if (k < 0) {
		kt_package_export_plan_free(&plan, np);
		return kt_error_set(d->err, KT_FAILED, "document %lld has no PDF access copy in '%s'",
				    p->doc->id, p->doc->package);
	}
	rc = kt_archive_read_file(a, p->doc->package, plan[k].data_path, &p->data, &p->len);
	if (rc != KT_OK)
		kt_error_copy(d->err, kt_archive_error(a));
	else if (plan[k].kind == KT_PACKAGE_FILE_ORIGINAL &&
		 (kt_sha256_hex(p->data, p->len, hex) != 0 || p->doc->sha256 == NULL ||
		  strcmp(hex, p->doc->sha256) != 0))
		rc = kt_error_set(d->err, KT_FAILED, "the original in '%s' does not match document"
				  " %lld's SHA-256: run kartoteka verify", p->doc->package, p->doc->id);
	if (rc == KT_OK && d->zip)
		snprintf(p->name, sizeof p->name, "%0*d %s", d->n >= 100 ? 3 : 2, (int)(p - d->parts) + 1,
			 plan[k].name);
	kt_package_export_plan_free(&plan, np);
	return rc;
}

/* The case's record and documents, each part read. */
static int load(dossier *d)
{
	kt_catalog *c = kt_store_catalog(d->s);
	long long *ids = NULL;
	int n = 0, i, rc = KT_OK;

	d->rec = kt_catalog_case_json(c, d->number);
	if (kt_catalog_case_doc_ids(c, d->number, &ids, &n) != KT_OK)
		return kt_error_copy(d->err, kt_catalog_error(c));
	if (d->rec == NULL && n == 0) {
		free(ids);
		return kt_error_set(d->err, KT_FAILED, "no case '%s' in the case records", d->number);
	}
	d->parts = calloc((size_t)n + 1, sizeof *d->parts);
	if (d->parts == NULL) {
		free(ids);
		return kt_error_set(d->err, KT_FATAL, "out of memory");
	}
	d->n = n;
	for (i = 0; i < n && rc == KT_OK; i++) {
		part *p = &d->parts[i];
		char cell[256];

		if (kt_catalog_doc_get(c, ids[i], &p->doc) != KT_OK) {
			rc = kt_error_copy(d->err, kt_catalog_error(c));
			break;
		}
		snprintf(p->label, sizeof p->label, "%d\t%s\t%s\t%zu\t", i + 1,
			 p->doc->meta.doc_type ? p->doc->meta.doc_type : "-",
			 doc_date(p->doc) ? doc_date(p->doc) : "-", p->doc->n_pages);
		escaped_name(p->doc, cell, sizeof cell);
		snprintf(p->label + strlen(p->label), sizeof p->label - strlen(p->label), "%s", cell);
		rc = read_part(d, p);
	}
	free(ids);
	return rc;
}

static void unload(dossier *d)
{
	int i;

	for (i = 0; d->parts != NULL && i < d->n; i++) {
		kt_doc_free(&d->parts[i].doc);
		free(d->parts[i].data);
	}
	free(d->parts);
	d->parts = NULL;
	json_decref(d->rec);
	d->rec = NULL;
}

/* ----------------------------------------------------------------- PDF */

/* The cover's lines from the case record, then the PDF. */
static int make_pdf(dossier *d, unsigned char **pdf, size_t *len)
{
	char title[600], lines[9][600], cell[512], when[32];
	const char *line_ptrs[9];
	kt_dossier_part *parts = calloc((size_t)d->n + 1, sizeof *parts);
	kt_dossier_cover cover = { 0 };
	kt_pdfa_info info = { 0 };
	time_t t = (time_t)d->now;
	struct tm tm;
	size_t pages = 0;
	int i, k = 0;

	if (parts == NULL)
		return kt_error_set(d->err, KT_FATAL, "out of memory");
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	for (i = 0; i < d->n; i++) {
		parts[i] = (kt_dossier_part){ d->parts[i].data, d->parts[i].len, d->parts[i].label };
		pages += d->parts[i].doc->n_pages;
	}
	snprintf(title, sizeof title, "Case %s", one_line(d->number, cell, sizeof cell));
	{
		char given[256], sur[256];

		one_line(rec_str(d, "given_names") ? rec_str(d, "given_names") : "", given, sizeof given);
		one_line(rec_str(d, "surname") ? rec_str(d, "surname") : "", sur, sizeof sur);
		snprintf(lines[k++], sizeof lines[0], "Person: %s%s%s", given, given[0] && sur[0] ? " " : "",
			 given[0] || sur[0] ? sur : "-");
	}
	snprintf(lines[k++], sizeof lines[0], "Personal code: %s",
		 one_line(rec_str(d, "personal_code"), cell, sizeof cell));
	snprintf(lines[k++], sizeof lines[0], "Birth date: %s",
		 one_line(rec_str(d, "birth_date"), cell, sizeof cell));
	snprintf(lines[k++], sizeof lines[0], "Nationality: %s",
		 one_line(rec_str(d, "nationality"), cell, sizeof cell));
	snprintf(lines[k++], sizeof lines[0], "Case type: %s",
		 one_line(rec_str(d, "case_type"), cell, sizeof cell));
	snprintf(lines[k++], sizeof lines[0], "Status: %s", one_line(rec_str(d, "status"), cell, sizeof cell));
	snprintf(lines[k++], sizeof lines[0], "Documents: %d, %zu page%s", d->n, pages, pages == 1 ? "" : "s");
	snprintf(lines[k++], sizeof lines[0], "Dossier made %s by kartoteka %s", when, KT_VERSION);
	for (i = 0; i < k; i++)
		line_ptrs[i] = lines[i];
	cover.title = title;
	cover.lines = line_ptrs;
	cover.n_lines = (size_t)k;
	cover.contents_title = "Contents";
	cover.contents_header = "No.\tType\tDate\tPages\tFile\tPage";
	info.title = title;
	info.producer = "kartoteka " KT_VERSION;
	info.created = d->now;
	k = kt_pdfa_dossier(parts, (size_t)d->n, &cover, &info, NULL, pdf, len, d->err);
	free(parts);
	return k;
}

/* ----------------------------------------------------------------- ZIP */

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
static int csv_field(kt_buf *b, const char *s, int last)
{
	int rc = KT_OK;

	s = s ? s : "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		rc = kt_buf_puts(b, s);
	} else {
		rc = kt_buf_putc(b, '"');
		for (; rc == KT_OK && *s; s++)
			rc = *s == '"' ? kt_buf_puts(b, "\"\"") : kt_buf_putc(b, *s);
		if (rc == KT_OK)
			rc = kt_buf_putc(b, '"');
	}
	return rc == KT_OK ? kt_buf_puts(b, last ? "\r\n" : ",") : rc;
}

/* manifest.csv: order, doc_id, type, date, pages, original_name (the name it
 * came with), sha256, file (its name in the ZIP). */
static char *manifest_csv(const dossier *d, size_t *len)
{
	kt_buf b = KT_BUF_INIT;
	int i, rc = kt_buf_puts(&b, "order,doc_id,type,date,pages,original_name,sha256,file\r\n");

	for (i = 0; rc == KT_OK && i < d->n; i++) {
		const part *p = &d->parts[i];
		char num[3][32], name[512];

		snprintf(num[0], sizeof num[0], "%d", i + 1);
		snprintf(num[1], sizeof num[1], "%lld", p->doc->id);
		snprintf(num[2], sizeof num[2], "%zu", p->doc->n_pages);
		escaped_name(p->doc, name, sizeof name);
		rc = csv_field(&b, num[0], 0);
		if (rc == KT_OK)
			rc = csv_field(&b, num[1], 0);
		if (rc == KT_OK)
			rc = csv_field(&b, p->doc->meta.doc_type, 0);
		if (rc == KT_OK)
			rc = csv_field(&b, doc_date(p->doc), 0);
		if (rc == KT_OK)
			rc = csv_field(&b, num[2], 0);
		if (rc == KT_OK)
			rc = csv_field(&b, name, 0);
		if (rc == KT_OK)
			rc = csv_field(&b, p->doc->sha256, 0);
		if (rc == KT_OK)
			rc = csv_field(&b, p->name, 1);
	}
	if (rc == KT_OK)
		return kt_buf_detach(&b, len);
	kt_buf_release(&b);
	return NULL;
}

/* case.json: {"case": record|null, "documents": [{"order", "id", "doc_type",
 * "date", "pages", "source", "sha256", "file", "links"}]}. */
static char *case_json(const dossier *d)
{
	json_t *docs = json_array(), *o;
	char *s;
	int i;

	for (i = 0; i < d->n; i++) {
		const kt_doc *doc = d->parts[i].doc;
		json_t *links = json_array();
		char *src = kt_doc_source_escape(doc);
		size_t k;

		for (k = 0; k < doc->n_links; k++)
			json_array_append_new(links, json_pack("{s:s?, s:s?}", "case_number",
							       doc->links[k].case_number, "evidence",
							       doc->links[k].evidence));
		json_array_append_new(docs, json_pack("{s:i, s:I, s:s?, s:s?, s:I, s:s?, s:s?, s:s, s:o}",
			"order", i + 1, "id", (json_int_t)doc->id, "doc_type", doc->meta.doc_type,
			"date", doc_date(doc), "pages", (json_int_t)doc->n_pages, "source", src,
			"sha256", doc->sha256, "file", d->parts[i].name, "links", links));
		free(src);
	}
	o = json_pack("{s:O?, s:o}", "case", d->rec, "documents", docs);
	s = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s;
}

/* The whole of the file fd into *out (malloc'd) and *len. */
static int read_back(dossier *d, int fd, unsigned char **out, size_t *len)
{
	struct stat st;
	size_t got = 0;

	if (fstat(fd, &st) != 0)
		return kt_error_set(d->err, KT_FATAL, "cannot read the ZIP back: %s", strerror(errno));
	if ((*out = malloc((size_t)st.st_size + 1)) == NULL)
		return kt_error_set(d->err, KT_FATAL, "out of memory");
	while (got < (size_t)st.st_size) {
		ssize_t k = pread(fd, *out + got, (size_t)st.st_size - got, (off_t)got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(*out);
			*out = NULL;
			return kt_error_set(d->err, KT_FATAL, "cannot read the ZIP back: %s",
					    k < 0 ? strerror(errno) : "short read");
		}
		got += (size_t)k;
	}
	*len = got;
	return KT_OK;
}

/* The ZIP, written into a memory file (never on a disk: it holds personal
 * data) and read back. */
static int make_zip(dossier *d, unsigned char **out, size_t *len)
{
	kt_archive *a = kt_store_archive(d->s);
	kt_zip_entry *e = calloc((size_t)d->n + 2, sizeof *e);
	size_t mlen = 0;
	char *manifest = manifest_csv(d, &mlen), *cj = case_json(d);
	int i, fd = -1, rc;

	if (e == NULL || manifest == NULL || cj == NULL) {
		rc = kt_error_set(d->err, KT_FATAL, "out of memory");
	} else if ((fd = memfd_create("kt-dossier", MFD_CLOEXEC)) < 0) {
		rc = kt_error_set(d->err, KT_FATAL, "cannot make a file in memory: %s", strerror(errno));
	} else {
		for (i = 0; i < d->n; i++)
			e[i] = (kt_zip_entry){ d->parts[i].name, d->parts[i].data, d->parts[i].len };
		e[d->n] = (kt_zip_entry){ "manifest.csv", manifest, mlen };
		e[d->n + 1] = (kt_zip_entry){ "case.json", cj, strlen(cj) };
		rc = kt_archive_zip_write(a, fd, e, (size_t)d->n + 2, d->now);
		if (rc != KT_OK)
			kt_error_copy(d->err, kt_archive_error(a));
		else
			rc = read_back(d, fd, out, len);
	}
	if (fd >= 0)
		close(fd);
	free(e);
	free(manifest);
	free(cj);
	return rc;
}

/* ---------------------------------------------------------------- public */

int kt_web_dossier(struct kt_store *s, const char *number, int zip, long long now,
		   unsigned char **out, size_t *len, int *ndocs, kt_error *err)
{
	dossier d = { 0 };
	int rc;

	*out = NULL;
	*len = 0;
	if (ndocs != NULL)
		*ndocs = 0;
	d.number = number;
	d.zip = zip;
	d.s = s;
	d.now = now;
	d.err = err;
	rc = load(&d);
	if (rc == KT_OK)
		rc = zip ? make_zip(&d, out, len) : make_pdf(&d, out, len);
	if (rc == KT_OK && ndocs != NULL)
		*ndocs = d.n;
	unload(&d);
	return rc;
}
