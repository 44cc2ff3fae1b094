/*
 * cmd_dossier.c - `kartoteka dossier [--zip] [--force] NUMBER OUT` (issue 9,
 * "Retrieval"): the whole case in one file for a reader outside kartoteka.
 *
 * The dossier is made by kt_web_dossier (tools/web/dossier.c, kt_web.h), the
 * same function the web server's /case/NUMBER/dossier.pdf calls: by default
 * one searchable PDF (kt_pdfa_dossier, ocr/pdfa_dossier.c): a cover with the
 * case record and a table of contents, then each document's access copy from
 * its newest package (a born-digital PDF, which has none, is its own access
 * copy), in the order `case` lists them; with --zip a ZIP of each document's
 * original, bit for bit, named "NN <its name made safe>", with manifest.csv
 * and case.json.
 *
 * This file writes it: OUT is written to a temporary file beside it, synced,
 * then put in place: a killed run leaves no part of a file under OUT. An
 * existing OUT is refused unless --force. Each dossier is a read of personal
 * data: recorded in the audit log (action "dossier", object "case:NUMBER")
 * before anything is read.
 */
#include "cli.h"
#include "kt_ocr.h"
#include "kt_web.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct dossier {
	const char *number, *out;
	int zip, force;
	kt_store *s;
} dossier;

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

/* The bytes made in memory (the PDF or the ZIP) into fd. */
typedef struct bytes_out {
	const unsigned char *data;
	size_t len;
} bytes_out;

static int fill_bytes(dossier *d, int fd, const void *ctx)
{
	const bytes_out *b = ctx;
	int e = write_all(fd, b->data, b->len);

	if (e != 0)
		fprintf(stderr, "kartoteka dossier: cannot write '%s': %s\n", d->out, strerror(e));
	return e != 0 ? -1 : 0;
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
	kt_error err = { 0 };
	unsigned char *bytes = NULL;
	size_t blen = 0;
	int ndocs = 0;
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
	rc = kt_web_dossier(d.s, d.number, d.zip, (long long)time(NULL), &bytes, &blen, &ndocs, &err);
	if (rc != KT_OK) {
		fputs("kartoteka dossier: ", stderr);
		kt_cli_print_safe(stderr, err.msg);
		fputc('\n', stderr);
	} else {
		bytes_out b = { bytes, blen };

		rc = put_out(&d, fill_bytes, &b) == 0 ? KT_OK : KT_FAILED;
	}
	free(bytes);
	if (rc == KT_OK)
		printf("%s\tdossier of case %s: %d document%s\n", d.out, d.number, ndocs, ndocs == 1 ? "" : "s");
	kt_store_free(&d.s);
	return rc == KT_OK ? KT_EXIT_OK : rc == KT_FAILED ? KT_EXIT_SOME_FAILED : KT_EXIT_FATAL;
}
