/*
 * cmd_export.c - `kartoteka export [--bag] DOC DIR`: restore a document from
 * its archive package.
 *
 * Without --bag: the original, bit for bit, under its original file name made
 * safe (kt_archive_safe_name), and the access copies (the plain text as
 * <stem>.txt, and every file under access/ in the package, e.g. a searchable
 * PDF, as <stem>.<ext>) are written into DIR. Every byte read is checked
 * against the package's manifest, and the original also against the SHA-256
 * the catalog knows. Existing files are never overwritten.
 *
 * With --bag: the package is extracted as the bag folder DIR/<package name>/
 * (kt_archive_export_bag), which any BagIt validator accepts.
 */
#include "cli.h"
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_file.h"
#include "kt_sha.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write a new file (never replacing one), synced; on failure nothing is left
 * and the reason is printed. */
static int write_new(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	const char *p = data;
	size_t done = 0;

	if (fd < 0) {
		fprintf(stderr, "kartoteka export: cannot create '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while (done < len) {
		ssize_t k = write(fd, p + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			fprintf(stderr, "kartoteka export: cannot write '%s': %s\n", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		done += (size_t)k;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fprintf(stderr, "kartoteka export: cannot write '%s': %s\n", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/* One file to restore: its path in the package and its name in DIR. */
typedef struct out_file {
	char *data_path;
	char name[KT_ARCHIVE_SAFE_NAME_MAX + 32];
} out_file;

/* The original's name in DIR: the safe form of the base name of the source
 * as the package's record (else the catalog) gives it. */
static void original_name(kt_archive *a, const char *pkg, json_t *doc, char *out)
{
	void *rec = NULL;
	size_t len = 0;
	json_t *r = NULL;
	const char *src = NULL, *base;

	if (kt_archive_read_file(a, pkg, "metadata/document.json", &rec, &len) == KT_OK)
		r = json_loadb(rec, len, 0, NULL);
	free(rec);
	src = json_string_value(json_object_get(r, "source"));
	if (src == NULL)
		src = json_string_value(json_object_get(doc, "source"));
	base = src ? strrchr(src, '/') : NULL;
	kt_archive_safe_name(base && base[1] ? base + 1 : src, out);
	json_decref(r);
}

static int export_files(kt_store *s, long long id, const char *pkg, const char *dir)
{
	kt_archive *a = kt_store_archive(s);
	json_t *doc = kt_catalog_doc_json(kt_store_catalog(s), id);
	char **paths = NULL, orig[KT_ARCHIVE_SAFE_NAME_MAX], stem[KT_ARCHIVE_SAFE_NAME_MAX];
	out_file *outs = NULL;
	int n = 0, nout = 0, written = 0, i, j, rc = KT_EXIT_OK;
	const char *want_sha = json_string_value(json_object_get(doc, "sha256"));

	if (kt_archive_list_files(a, pkg, &paths, &n) != KT_OK) {
		fprintf(stderr, "kartoteka export: %s\n", kt_archive_errmsg(a));
		json_decref(doc);
		return KT_EXIT_SOME_FAILED;
	}
	outs = calloc((size_t)n + 1, sizeof *outs);
	if (outs == NULL) {
		kt_archive_strings_free(&paths, n);
		json_decref(doc);
		return KT_EXIT_FATAL;
	}
	original_name(a, pkg, doc, orig);
	snprintf(stem, sizeof stem, "%s", orig);
	{
		char *dot = strrchr(stem, '.');

		if (dot != NULL && dot != stem)
			*dot = '\0';
	}
	/* the plan: original first, then the access copies */
	for (i = 0; i < n; i++)
		if (strncmp(paths[i], "original/", 9) == 0 && nout == 0) {
			outs[nout].data_path = paths[i];
			snprintf(outs[nout++].name, sizeof outs[0].name, "%s", orig);
		}
	if (nout == 0) {
		fprintf(stderr, "kartoteka export: package '%s' has no original\n", pkg);
		rc = KT_EXIT_SOME_FAILED;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char *ext = NULL;

		if (strcmp(paths[i], "text/document.txt") == 0)
			ext = ".txt";
		else if (strncmp(paths[i], "access/", 7) == 0 && strchr(paths[i] + 7, '/') == NULL)
			ext = strrchr(paths[i] + 7, '.');
		if (ext == NULL)
			continue;
		outs[nout].data_path = paths[i];
		snprintf(outs[nout].name, sizeof outs[0].name, "%s%s", stem, ext);
		/* names stay distinct: the original may be called "x.txt" */
		for (j = 0; j < nout; j++)
			if (strcmp(outs[j].name, outs[nout].name) == 0)
				snprintf(outs[nout].name, sizeof outs[0].name, "%s.%s%s", stem,
					 strncmp(paths[i], "access/", 7) == 0 ? "access" : "text", ext);
		nout++;
	}
	if (kt_mkdirs(dir, 0777, NULL) != KT_OK) {
		fprintf(stderr, "kartoteka export: cannot create '%s': %s\n", dir, strerror(errno));
		rc = KT_EXIT_FATAL;
		goto out;
	}
	for (i = 0; i < nout; i++) {
		char target[8192];
		struct stat st;

		snprintf(target, sizeof target, "%s/%s", dir, outs[i].name);
		if (lstat(target, &st) == 0) {
			fprintf(stderr, "kartoteka export: '%s' exists: refusing to overwrite it\n", target);
			rc = KT_EXIT_SOME_FAILED;
			goto out;
		}
	}
	for (i = 0; i < nout && rc == KT_EXIT_OK; i++) {
		char target[8192], hex[KT_SHA256_HEX];
		void *data = NULL;
		size_t len = 0;

		snprintf(target, sizeof target, "%s/%s", dir, outs[i].name);
		if (kt_archive_read_file(a, pkg, outs[i].data_path, &data, &len) != KT_OK) {
			fprintf(stderr, "kartoteka export: %s\n", kt_archive_errmsg(a));
			rc = KT_EXIT_SOME_FAILED;
			break;
		}
		/* the original must be the file that was received, bit for bit */
		if (i == 0 && (kt_sha256_hex(data, len, hex) != 0 || want_sha == NULL ||
			       strcmp(hex, want_sha) != 0)) {
			fprintf(stderr, "kartoteka export: the original in '%s' does not match document %lld's"
				" SHA-256 %s\n", pkg, id, want_sha ? want_sha : "(none)");
			free(data);
			rc = KT_EXIT_SOME_FAILED;
			break;
		}
		if (write_new(target, data, len) != 0) {
			rc = KT_EXIT_FATAL;
		} else {
			written++;
			printf("%s\t%s\n", target, i == 0 ? "original" : outs[i].data_path);
		}
		free(data);
	}
	/* on failure, remove what this run wrote */
	if (rc != KT_EXIT_OK)
		for (j = 0; j < written; j++) {
			char target[8192];

			snprintf(target, sizeof target, "%s/%s", dir, outs[j].name);
			unlink(target);
		}
out:
	free(outs);
	kt_archive_strings_free(&paths, n);
	json_decref(doc);
	return rc;
}

const kt_command kt_command_export = {
	"export", "restore a document (or its whole package) from the archive",
	"usage: kartoteka [--store DIR] export [--bag] DOC DIR\n"
	"\n"
	"Restore a document from its archive package into the folder DIR (created\n"
	"if missing): the original, bit for bit, under its original file name made\n"
	"safe, and the access copies (the plain text as NAME.txt, a searchable PDF\n"
	"when the package holds one). Every file is checked against the package's\n"
	"manifest, the original also against the document's SHA-256. Existing files\n"
	"are never overwritten.\n"
	"DOC is the document's id or a unique prefix of its SHA-256.\n"
	"\n"
	"  --bag   extract the whole package as the BagIt bag DIR/<package name>/\n"
	"\n"
	"Exit status: 0 restored, 1 no such document or package, damaged package or\n"
	"a file in the way, 2 fatal error.\n",
	kt_cmd_export,
};

int kt_cmd_export(kt_cli *cli, int argc, char **argv)
{
	kt_store *s;
	const char *doc_arg = NULL, *dir = NULL;
	char *pkg = NULL;
	long long id = 0;
	static const struct option opts[] = {
		{ "bag", no_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	int bag = 0, c, rc;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'B')
			bag = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (argc - optind > 2)
		return kt_cli_usage("export", "too many arguments");
	if (argc - optind < 2)
		return kt_cli_usage("export", "give a document and a folder");
	doc_arg = argv[optind];
	dir = argv[optind + 1];
	if ((s = kt_cli_open(cli, KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_catalog_doc_resolve(kt_store_catalog(s), doc_arg, &id) != KT_OK ||
	    kt_catalog_doc_package(kt_store_catalog(s), id, &pkg) != KT_OK) {
		fprintf(stderr, "kartoteka export: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_SOME_FAILED;
	}
	if (bag) {
		const char *base = strrchr(pkg, '/');
		size_t blen;

		base = base ? base + 1 : pkg;
		blen = strlen(base) > 4 ? strlen(base) - 4 : strlen(base); /* without ".tar" */
		if (kt_archive_export_bag(kt_store_archive(s), pkg, dir) != KT_OK) {
			fprintf(stderr, "kartoteka export: %s\n", kt_archive_errmsg(kt_store_archive(s)));
			rc = KT_EXIT_SOME_FAILED;
		} else {
			printf("%s/%.*s\tbag\n", dir, (int)blen, base);
			rc = KT_EXIT_OK;
		}
	} else {
		rc = export_files(s, id, pkg, dir);
	}
	free(pkg);
	kt_store_free(&s);
	return rc;
}
