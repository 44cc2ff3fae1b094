/*
 * cmd_export.c - `kartoteka export [--bag] DOC DIR`: restore a document from
 * its archive package.
 *
 * Without --bag: the original, bit for bit, under its original file name made
 * fit for any file system, letters kept (kt_archive_export_name), and the access copies (the plain text as
 * <stem>.txt, and every file under access/ in the package, e.g. a searchable
 * PDF, as <stem>.<ext>) are written into DIR; which files and under which
 * names is the package layout's to say (kt_package_export_plan). Every byte read is checked
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
int kt_cli_write_new(const char *cmd, const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	const char *p = data;
	size_t done = 0;

	if (fd < 0) {
		fprintf(stderr, "kartoteka %s: cannot create '%s': %s\n", cmd, path, strerror(errno));
		return -1;
	}
	while (done < len) {
		ssize_t k = write(fd, p + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			fprintf(stderr, "kartoteka %s: cannot write '%s': %s\n", cmd, path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		done += (size_t)k;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fprintf(stderr, "kartoteka %s: cannot write '%s': %s\n", cmd, path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

int kt_cli_export_doc(kt_store *s, const char *cmd, long long id, const char *pkg, const char *dir,
		      json_t *files)
{
	kt_archive *a = kt_store_archive(s);
	kt_doc *doc = NULL;
	kt_package_export_file *outs = NULL;
	char *src = NULL;
	int nout = 0, written = 0, i, j, rc = KT_EXIT_OK;
	const char *want_sha;

	/* the catalog's record: the SHA-256 the original must have, and the
	 * source when the package's record cannot be read */
	if (kt_catalog_doc_get(kt_store_catalog(s), id, &doc) == KT_OK)
		src = kt_doc_source_escape(doc);
	want_sha = doc ? doc->sha256 : NULL;
	/* the plan: the original first, then the access copies */
	rc = kt_package_export_plan(a, pkg, src, &outs, &nout);
	free(src);
	if (rc != KT_OK) {
		fprintf(stderr, "kartoteka %s: %s\n", cmd, kt_archive_errmsg(a));
		kt_doc_free(&doc);
		return rc == KT_FATAL ? KT_EXIT_FATAL : KT_EXIT_SOME_FAILED;
	}
	rc = KT_EXIT_OK;
	if (kt_mkdirs(dir, 0777, NULL) != KT_OK) {
		fprintf(stderr, "kartoteka %s: cannot create '%s': %s\n", cmd, dir, strerror(errno));
		rc = KT_EXIT_FATAL;
		goto out;
	}
	for (i = 0; i < nout; i++) {
		char target[8192];
		struct stat st;

		snprintf(target, sizeof target, "%s/%s", dir, outs[i].name);
		if (lstat(target, &st) == 0) {
			fprintf(stderr, "kartoteka %s: '%s' exists: refusing to overwrite it\n", cmd, target);
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
			fprintf(stderr, "kartoteka %s: %s\n", cmd, kt_archive_errmsg(a));
			rc = KT_EXIT_SOME_FAILED;
			break;
		}
		/* the original must be the file that was received, bit for bit */
		if (kt_sha256_hex(data, len, hex) != 0 ||
		    (i == 0 && (want_sha == NULL || strcmp(hex, want_sha) != 0))) {
			fprintf(stderr, "kartoteka %s: the original in '%s' does not match document %lld's"
				" SHA-256 %s\n", cmd, pkg, id, want_sha ? want_sha : "(none)");
			free(data);
			rc = KT_EXIT_SOME_FAILED;
			break;
		}
		if (kt_cli_write_new(cmd, target, data, len) != 0) {
			rc = KT_EXIT_FATAL;
		} else {
			written++;
			json_array_append_new(files, json_pack("{s:s, s:s, s:s, s:I}", "name", outs[i].name,
							       "role", i == 0 ? "original" : outs[i].data_path,
							       "sha256", hex, "bytes", (json_int_t)len));
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
	kt_package_export_plan_free(&outs, nout);
	kt_doc_free(&doc);
	return rc;
}

/* Restore into dir, printing "PATH\tROLE" per file written. */
static int export_files(kt_store *s, long long id, const char *pkg, const char *dir)
{
	json_t *files = json_array(), *f;
	size_t i;
	int rc = files == NULL ? KT_EXIT_FATAL : kt_cli_export_doc(s, "export", id, pkg, dir, files);

	json_array_foreach(files, i, f)
		printf("%s/%s\t%s\n", dir, json_string_value(json_object_get(f, "name")),
		       json_string_value(json_object_get(f, "role")));
	json_decref(files);
	return rc;
}

const kt_command kt_command_export = {
	"export", "restore a document (or its whole package) from the archive",
	"usage: kartoteka [--store DIR] export [--bag] [--version N] DOC DIR\n"
	"\n"
	"Restore a document from its archive package into the folder DIR (created\n"
	"if missing): the original, bit for bit, under its original file name made\n"
	"safe, and the access copies (the plain text as NAME.txt, a searchable PDF\n"
	"when the package holds one). Every file is checked against the package's\n"
	"manifest, the original also against the document's SHA-256. Existing files\n"
	"are never overwritten.\n"
	"DOC is the document's id or a unique prefix of its SHA-256.\n"
	"\n"
	"  --bag         extract the whole package as the BagIt bag DIR/<package name>/\n"
	"  --version N   from package version N (default: the newest; 'show --json'\n"
	"                lists the versions)\n"
	"\n"
	"Exit status: 0 restored, 1 no such document or package, damaged package or\n"
	"a file in the way, 2 fatal error.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_export,
};

/* The package of version n of document id, into *pkg (malloc'd). KT_OK, or
 * KT_FAILED or KT_FATAL, said on stderr (no such version: the ones there
 * are listed). */
static int version_package(kt_store *s, long long id, int n, char **pkg)
{
	kt_doc *doc = NULL;
	size_t i;
	int rc = KT_FAILED;

	*pkg = NULL;
	if (kt_catalog_doc_get(kt_store_catalog(s), id, &doc) != KT_OK) {
		fprintf(stderr, "kartoteka export: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		return KT_FAILED;
	}
	for (i = 0; i < doc->n_versions; i++)
		if (doc->versions[i].version == n && doc->versions[i].package != NULL)
			rc = (*pkg = strdup(doc->versions[i].package)) ? KT_OK : KT_FATAL;
	if (rc == KT_FAILED) {
		fprintf(stderr, "kartoteka export: document %lld has no version %d (it has", id, n);
		for (i = 0; i < doc->n_versions; i++)
			fprintf(stderr, " %d", doc->versions[i].version);
		fprintf(stderr, ")\n");
	}
	kt_doc_free(&doc);
	return rc;
}

int kt_cmd_export(kt_cli *cli, int argc, char **argv)
{
	kt_store *s;
	const char *doc_arg = NULL, *dir = NULL;
	char *pkg = NULL, object[32];
	long long id = 0;
	static const struct option opts[] = {
		{ "bag", no_argument, NULL, 'B' },
		{ "version", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long version = 0;
	int bag = 0, c, rc;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'B')
			bag = 1;
		else if (c == 'V' && kt_cli_number("export", "--version", optarg, 1, 1000000, &version) != 0)
			return KT_EXIT_FATAL;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (argc - optind > 2)
		return kt_cli_usage("export", "too many arguments");
	if (argc - optind < 2)
		return kt_cli_usage("export", "give a document and a folder");
	doc_arg = argv[optind];
	dir = argv[optind + 1];
	if ((s = kt_cli_open(cli, "export", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_catalog_doc_resolve(kt_store_catalog(s), doc_arg, &id) != KT_OK ||
	    (version == 0 && kt_catalog_doc_package(kt_store_catalog(s), id, &pkg) != KT_OK)) {
		fprintf(stderr, "kartoteka export: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		free(pkg);
		kt_store_free(&s);
		return KT_EXIT_SOME_FAILED;
	}
	if (version > 0 && version_package(s, id, (int)version, &pkg) != KT_OK) {
		kt_store_free(&s);
		return KT_EXIT_SOME_FAILED;
	}
	snprintf(object, sizeof object, "doc:%lld", id);
	if (kt_cli_audit(cli, "export", object) != 0) {
		free(pkg);
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	if (bag) {
		char name[KT_PACKAGE_NAME_MAX];

		if (kt_archive_export_bag(kt_store_archive(s), pkg, dir) != KT_OK) {
			fprintf(stderr, "kartoteka export: %s\n", kt_archive_errmsg(kt_store_archive(s)));
			rc = KT_EXIT_SOME_FAILED;
		} else {
			kt_package_name(pkg, name);
			printf("%s/%s\tbag\n", dir, name);
			rc = KT_EXIT_OK;
		}
	} else {
		rc = export_files(s, id, pkg, dir);
	}
	free(pkg);
	kt_store_free(&s);
	return rc;
}
