/*
 * cmd_dossier.c - `kartoteka dossier [--zip] [--force] NUMBER OUT` (issue 9,
 * "Retrieval"): the whole case in one file for a reader outside kartoteka.
 *
 * Default: one searchable PDF (kt_pdfa_dossier, ocr/pdfa_dossier.c): a cover
 * with the case record and a table of contents, then each document's access
 * copy from its newest package (a born-digital PDF, which has none, is its
 * own access copy), in the order `case` lists them.
 * --zip: a ZIP (kt_archive_zip_write, archive/zip.c) of each document's
 * original, bit for bit (checked against the catalog's SHA-256), named
 * "NN <its name made safe>", with manifest.csv and case.json.
 *
 * Every file read from a package is checked against its manifest. OUT is
 * written to a temporary file beside it, synced, then put in place: a killed
 * run leaves no part of a file under OUT. An existing OUT is refused unless
 * --force. Each dossier is a read of personal data: recorded in the audit log
 * (action "dossier", object "case:NUMBER") before anything is read.
 */
#include "cli.h"
#include "kt_archive.h"
#include "kt_buf.h"
#include "kt_catalog.h"
#include "kt_ocr.h"
#include "kt_sha.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One document of the dossier: its record and the bytes taken from its
 * package (the access PDF, or the original with --zip). */
typedef struct part {
	kt_doc *doc;
	void *data;
	size_t len;
	char name[KT_ARCHIVE_EXPORT_NAME_MAX + 16]; /* --zip: "NN name" */
	char label[1024];                           /* the table of contents' row */
} part;

typedef struct dossier {
	const char *number, *out;
	int zip, force;
	kt_store *s;
	json_t *rec;          /* the case record, or NULL (a number only links name) */
	part *parts;
	int n;
	long long now;
} dossier;

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
 * born-digital original) for the PDF, the original for --zip. KT_OK or
 * KT_FAILED/KT_FATAL, said. */
static int read_part(dossier *d, part *p)
{
	kt_archive *a = kt_store_archive(d->s);
	kt_package_export_file *plan = NULL;
	char *src = kt_doc_source_escape(p->doc), hex[KT_SHA256_HEX];
	int np = 0, k = -1, i, rc;

	if (p->doc->package == NULL) {
		fprintf(stderr, "kartoteka dossier: document %lld has no archive package\n", p->doc->id);
		free(src);
		return KT_FAILED;
	}
	rc = kt_package_export_plan(a, p->doc->package, src, &plan, &np);
	free(src);
	if (rc != KT_OK) {
		fprintf(stderr, "kartoteka dossier: %s\n", kt_archive_errmsg(a));
		return rc;
	}
	for (i = 0; i < np && k < 0; i++) {
		size_t len = strlen(plan[i].data_path);

		if (!d->zip && plan[i].kind == KT_PACKAGE_FILE_ACCESS && len > 4 &&
		    strcmp(plan[i].data_path + len - 4, ".pdf") == 0)
			k = i;
	}
	/* the original: for --zip, and as the access copy of a born-digital PDF */
	if (k < 0 && (d->zip || (p->doc->format && strcmp(p->doc->format, "pdf") == 0)))
		for (i = 0; i < np && k < 0; i++)
			if (plan[i].kind == KT_PACKAGE_FILE_ORIGINAL)
				k = i;
	if (k < 0) {
		fprintf(stderr, "kartoteka dossier: document %lld has no PDF access copy in '%s'\n",
			p->doc->id, p->doc->package);
		kt_package_export_plan_free(&plan, np);
		return KT_FAILED;
	}
	rc = kt_archive_read_file(a, p->doc->package, plan[k].data_path, &p->data, &p->len);
	if (rc != KT_OK)
		fprintf(stderr, "kartoteka dossier: %s\n", kt_archive_errmsg(a));
	else if (plan[k].kind == KT_PACKAGE_FILE_ORIGINAL &&
		 (kt_sha256_hex(p->data, p->len, hex) != 0 || p->doc->sha256 == NULL ||
		  strcmp(hex, p->doc->sha256) != 0)) {
		fprintf(stderr, "kartoteka dossier: the original in '%s' does not match document %lld's"
			" SHA-256: run kartoteka verify\n", p->doc->package, p->doc->id);
		rc = KT_FAILED;
	}
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
	if (kt_catalog_case_doc_ids(c, d->number, &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka dossier: %s\n", kt_catalog_errmsg(c));
		return kt_catalog_error(c)->code;
	}
	if (d->rec == NULL && n == 0) {
		fprintf(stderr, "kartoteka dossier: no case '");
		kt_cli_print_safe(stderr, d->number);
		fprintf(stderr, "' in the case records\n");
		free(ids);
		return KT_FAILED;
	}
	d->parts = calloc((size_t)n + 1, sizeof *d->parts);
	if (d->parts == NULL) {
		free(ids);
		fprintf(stderr, "kartoteka dossier: out of memory\n");
		return KT_FATAL;
	}
	d->n = n;
	for (i = 0; i < n && rc == KT_OK; i++) {
		part *p = &d->parts[i];
		char cell[256];

		if (kt_catalog_doc_get(c, ids[i], &p->doc) != KT_OK) {
			fprintf(stderr, "kartoteka dossier: %s\n", kt_catalog_errmsg(c));
			rc = kt_catalog_error(c)->code;
			break;
		}
		snprintf(p->label, sizeof p->label, "%d\t%s\t%s\t%zu\t", i + 1,
			 p->doc->meta.doc_type ? p->doc->meta.doc_type : "-",
			 kt_cli_doc_date(p->doc) ? kt_cli_doc_date(p->doc) : "-", p->doc->n_pages);
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

/* ------------------------------------------------------------- writing */

/* Write len bytes to fd; 0 or an errno. */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

typedef int (*fill_fn)(dossier *d, int fd, const void *ctx);

/* Put OUT in place: a temporary file beside it ("OUT.tmp-XXXXXX") filled by
 * fill, synced, then linked to OUT (never replacing a file that appeared
 * meanwhile) or, with --force, renamed over it; the folder synced. A failed
 * or killed run leaves nothing under OUT. 0, or -1 (said). */
static int put_out(dossier *d, fill_fn fill, const void *ctx)
{
	size_t n = strlen(d->out);
	char *tmp = malloc(n + sizeof ".tmp-XXXXXX"), *dir;
	int fd, e = 0, rc;

	if (tmp == NULL) {
		fprintf(stderr, "kartoteka dossier: out of memory\n");
		return -1;
	}
	memcpy(tmp, d->out, n);
	memcpy(tmp + n, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "kartoteka dossier: cannot create a file beside '%s': %s\n", d->out,
			strerror(errno));
		free(tmp);
		return -1;
	}
	rc = fill(d, fd, ctx);
	if (rc == 0 && (fchmod(fd, 0644) != 0 || fsync(fd) != 0))
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (rc == 0 && e == 0) {
		if (d->force)
			e = rename(tmp, d->out) == 0 ? 0 : errno;
		else if (link(tmp, d->out) != 0)
			e = errno;
	}
	if (rc == 0 && e != 0)
		fprintf(stderr, "kartoteka dossier: cannot write '%s': %s\n", d->out,
			e == EEXIST ? "it exists (give --force to replace it)" : strerror(e));
	unlink(tmp);
	free(tmp);
	if (rc != 0 || e != 0)
		return -1;
	/* the folder, so that the new name survives a crash */
	if ((dir = strdup(d->out)) != NULL) {
		int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return 0;
}

/* The bytes made in memory (the PDF) into fd. */
typedef struct bytes {
	const unsigned char *data;
	size_t len;
} bytes;

static int fill_bytes(dossier *d, int fd, const void *ctx)
{
	const bytes *b = ctx;
	int e = write_all(fd, b->data, b->len);

	if (e != 0)
		fprintf(stderr, "kartoteka dossier: cannot write '%s': %s\n", d->out, strerror(e));
	return e != 0 ? -1 : 0;
}

/* The cover's lines from the case record. */
static int make_pdf(dossier *d, unsigned char **pdf, size_t *len)
{
	char title[600], lines[9][600], cell[512], when[32];
	const char *line_ptrs[9];
	kt_dossier_part *parts = calloc((size_t)d->n + 1, sizeof *parts);
	kt_dossier_cover cover = { 0 };
	kt_pdfa_info info = { 0 };
	kt_error err = { 0 };
	time_t t = (time_t)d->now;
	struct tm tm;
	size_t pages = 0;
	int i, k = 0;

	if (parts == NULL) {
		fprintf(stderr, "kartoteka dossier: out of memory\n");
		return KT_FATAL;
	}
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
	k = kt_pdfa_dossier(parts, (size_t)d->n, &cover, &info, NULL, pdf, len, &err);
	if (k != KT_OK)
		fprintf(stderr, "kartoteka dossier: %s\n", err.msg);
	free(parts);
	return k;
}

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
			rc = csv_field(&b, kt_cli_doc_date(p->doc), 0);
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
			"date", kt_cli_doc_date(doc), "pages", (json_int_t)doc->n_pages, "source", src,
			"sha256", doc->sha256, "file", d->parts[i].name, "links", links));
		free(src);
	}
	o = json_pack("{s:O?, s:o}", "case", d->rec, "documents", docs);
	s = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s;
}

static int fill_zip(dossier *d, int fd, const void *ctx)
{
	kt_archive *a = kt_store_archive(d->s);
	kt_zip_entry *e = calloc((size_t)d->n + 2, sizeof *e);
	size_t mlen = 0;
	char *manifest = manifest_csv(d, &mlen), *cj = case_json(d);
	int i, rc = KT_FATAL;

	(void)ctx;
	if (e != NULL && manifest != NULL && cj != NULL) {
		for (i = 0; i < d->n; i++)
			e[i] = (kt_zip_entry){ d->parts[i].name, d->parts[i].data, d->parts[i].len };
		e[d->n] = (kt_zip_entry){ "manifest.csv", manifest, mlen };
		e[d->n + 1] = (kt_zip_entry){ "case.json", cj, strlen(cj) };
		rc = kt_archive_zip_write(a, fd, e, (size_t)d->n + 2, d->now);
		if (rc != KT_OK)
			fprintf(stderr, "kartoteka dossier: %s\n", kt_archive_errmsg(a));
	} else {
		fprintf(stderr, "kartoteka dossier: out of memory\n");
	}
	free(e);
	free(manifest);
	free(cj);
	return rc == KT_OK ? 0 : -1;
}

/* -------------------------------------------------------------- command */

const kt_command kt_command_dossier = {
	"dossier", "the whole case in one PDF (or a ZIP of its originals)",
	"usage: kartoteka [--store DIR] dossier [--zip] [--force] CASE-NUMBER OUT\n"
	"\n"
	"Write the dossier of a case to the file OUT: one searchable PDF of a cover\n"
	"(the case record and a table of contents: each document's number, type,\n"
	"date, pages and the page where it starts) and then every document's access\n"
	"copy from its newest package (a born-digital PDF is its own), in the order\n"
	"`case` lists them; the text layer of every page is kept.\n"
	"  --zip     a ZIP instead: each document's original, bit for bit, as\n"
	"            \"NN NAME\" (NN its place in the case), manifest.csv (order,\n"
	"            doc_id, type, date, pages, original_name, sha256, file) and\n"
	"            case.json (the case record and its documents)\n"
	"  --force   replace OUT when it exists (otherwise it is refused)\n"
	"\n"
	"OUT is written beside itself under a temporary name and renamed when whole.\n"
	"Every file is checked against its package's manifest, an original also\n"
	"against the document's SHA-256. The cover is set in DejaVu Sans\n"
	"(" KT_DOSSIER_FONT ").\n"
	"\n"
	"Exit status: 0 written, 1 unknown case, OUT exists, or a document that\n"
	"cannot be read, 2 fatal error.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_dossier,
};

static int parse(dossier *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "zip", no_argument, NULL, 'Z' },
		{ "force", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'Z')
			d->zip = 1;
		else if (c == 'F')
			d->force = 1;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c) == KT_EXIT_OK ? -1 : KT_EXIT_FATAL;
	if (argc - optind > 2)
		return kt_cli_usage("dossier", "too many arguments");
	if (argc - optind < 2 || argv[optind][0] == '\0' || argv[optind + 1][0] == '\0')
		return kt_cli_usage("dossier", "give a case number and a file");
	d->number = argv[optind];
	d->out = argv[optind + 1];
	return 0;
}

int kt_cmd_dossier(kt_cli *cli, int argc, char **argv)
{
	dossier d = { 0 };
	struct stat st;
	size_t len = strlen("case:") + 1;
	char *object;
	int rc;

	if ((rc = parse(&d, argc, argv)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if (!d.force && lstat(d.out, &st) == 0) {
		fprintf(stderr, "kartoteka dossier: '%s' exists: refusing to overwrite it (give --force"
			" to replace it)\n", d.out);
		return KT_EXIT_SOME_FAILED;
	}
	if ((d.s = kt_cli_open(cli, "dossier", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	len += strlen(d.number);
	if ((object = malloc(len)) != NULL)
		snprintf(object, len, "case:%s", d.number);
	if (object == NULL || kt_cli_audit(cli, "dossier", object) != 0) {
		free(object);
		kt_store_free(&d.s);
		return KT_EXIT_FATAL;
	}
	free(object);
	d.now = (long long)time(NULL);
	rc = load(&d);
	if (rc == KT_OK && d.zip) {
		rc = put_out(&d, fill_zip, NULL) == 0 ? KT_OK : KT_FAILED;
	} else if (rc == KT_OK) {
		unsigned char *pdf = NULL;
		size_t plen = 0;

		rc = make_pdf(&d, &pdf, &plen);
		if (rc == KT_OK) {
			bytes b = { pdf, plen };

			rc = put_out(&d, fill_bytes, &b) == 0 ? KT_OK : KT_FAILED;
		}
		free(pdf);
	}
	if (rc == KT_OK)
		printf("%s\tdossier of case %s: %d document%s\n", d.out, d.number, d.n, d.n == 1 ? "" : "s");
	unload(&d);
	kt_store_free(&d.s);
	return rc == KT_OK ? KT_EXIT_OK : rc == KT_FAILED ? KT_EXIT_SOME_FAILED : KT_EXIT_FATAL;
}
