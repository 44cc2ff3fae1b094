/*
 * cmd_rebuild.c - `kartoteka rebuild [--force]`: make the catalog and the
 * full-text index again from the archive alone.
 *
 * The archive is the source of truth for documents, ids, pages, text and
 * extracted fields: for every document the newest package version is read
 * (data/metadata/document.json, checked against the package's manifest) and
 * its row restored with its id (kt_catalog_doc_restore); batches come back
 * by name; then every document is indexed again (kt_reindex) into a new
 * index. What is not in the archive does not come back: case records
 * (import the CSV again: links are made on import), failed documents (they
 * have no package), batch file lists, start times and counts of skipped or
 * failed files, fixity check history, ingest times.
 */
#include "cli.h"
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Move the old catalog (with its WAL files, so nothing committed is lost)
 * aside as catalog.sqlite.old*, replacing an older copy. */
static int move_catalog_aside(const char *store)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	size_t i;

	for (i = 0; i < 3; i++) {
		char from[8192], to[8192];

		snprintf(from, sizeof from, "%s/catalog.sqlite%s", store, suffix[i]);
		snprintf(to, sizeof to, "%s/catalog.sqlite.old%s", store, suffix[i]);
		if (exists(to) && unlink(to) != 0)
			return -1;
		if (exists(from) && rename(from, to) != 0)
			return -1;
	}
	return 0;
}

/* Restore one package's document; 0, or -1 with the reason printed. */
static int restore_one(kt_store *s, const char *pkg, long long id, int version)
{
	kt_archive *a = kt_store_archive(s);
	kt_catalog *c = kt_store_catalog(s);
	void *data = NULL;
	size_t len = 0;
	json_error_t je;
	json_t *rec;
	const char *sha;
	const char *base = strrchr(pkg, '/'), *hex;
	int rc;

	if (kt_archive_read_file(a, pkg, "metadata/document.json", &data, &len) != KT_OK) {
		printf("FAILED %s: %s\n", pkg, kt_archive_errmsg(a));
		return -1;
	}
	rec = json_loadb(data, len, 0, &je);
	free(data);
	if (!json_is_object(rec)) {
		printf("FAILED %s: data/metadata/document.json is not a JSON object: %s\n", pkg,
		       rec ? "wrong type" : je.text);
		json_decref(rec);
		return -1;
	}
	/* the record must be the package's: same id, SHA-256 starting as named */
	sha = json_string_value(json_object_get(rec, "sha256"));
	hex = base ? strchr(base + 4, '-') : NULL; /* "/kt-<id>-<16 hex>-v<n>.tar" */
	if (json_integer_value(json_object_get(rec, "id")) != id || sha == NULL || strlen(sha) != 64 ||
	    hex == NULL || strncmp(hex + 1, sha, 16) != 0) {
		printf("FAILED %s: data/metadata/document.json names another document (id %lld, sha256 %s)\n",
		       pkg, (long long)json_integer_value(json_object_get(rec, "id")), sha ? sha : "none");
		json_decref(rec);
		return -1;
	}
	rc = kt_catalog_doc_restore(c, rec, pkg, version);
	json_decref(rec);
	if (rc != KT_OK) {
		printf("FAILED %s: %s\n", pkg, kt_catalog_errmsg(c));
		return rc == KT_FATAL ? -2 : -1;
	}
	return 0;
}

const kt_command kt_command_rebuild = {
	"rebuild", "make the catalog and the index again from the archive",
	"usage: kartoteka [--store DIR] rebuild [--force]\n"
	"\n"
	"Make a new catalog and a new full-text index from the archive packages\n"
	"alone: for each document its newest package version gives its id, SHA-256,\n"
	"source name, batch, pages, text and extracted fields. Run it with no other\n"
	"kartoteka command working on the store.\n"
	"\n"
	"Not in the archive, so not rebuilt: case records and links (run\n"
	"'kartoteka cases import FILE.csv' again), failed documents (they have no\n"
	"package), the files lists of batches, fixity check history, ingest times.\n"
	"\n"
	"  --force   move an existing catalog aside as catalog.sqlite.old first\n"
	"            (without it, an existing catalog is an error)\n"
	"\n"
	"Exit status: 0 every package restored, 1 some could not be, 2 fatal error.\n",
	kt_cmd_rebuild,
};

int kt_cmd_rebuild(kt_cli *cli, int argc, char **argv)
{
	char path[8192], **pk = NULL;
	kt_store *s = NULL;
	kt_error err = { 0 };
	struct stat st;
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int force = 0, c, n = 0, i, done = 0, failed = 0, docs = 0, indexed = 0, rc = KT_EXIT_OK;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'F')
			force = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("rebuild", "too many arguments");
	if (stat(cli->store_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "kartoteka rebuild: no store folder '%s'\n", cli->store_dir);
		return KT_EXIT_FATAL;
	}
	snprintf(path, sizeof path, "%s/archive", cli->store_dir);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "kartoteka rebuild: '%s' has no archive folder\n", cli->store_dir);
		return KT_EXIT_FATAL;
	}
	snprintf(path, sizeof path, "%s/catalog.sqlite", cli->store_dir);
	if (exists(path)) {
		if (!force) {
			fprintf(stderr, "kartoteka rebuild: '%s' exists: delete it, or give --force to move it"
				" aside as catalog.sqlite.old\n", path);
			return KT_EXIT_FATAL;
		}
		if (move_catalog_aside(cli->store_dir) != 0) {
			fprintf(stderr, "kartoteka rebuild: cannot move '%s' aside: %s\n", path, strerror(errno));
			return KT_EXIT_FATAL;
		}
	}
	/* the index is made again from nothing */
	snprintf(path, sizeof path, "%s/xapian", cli->store_dir);
	if (kt_rmtree(path, &err) != KT_OK) {
		fprintf(stderr, "kartoteka rebuild: cannot remove the old index: %s\n", err.msg);
		return KT_EXIT_FATAL;
	}
	if (kt_store_open(cli->store_dir, KT_STORE_WRITE, &s, &err) != KT_OK) {
		fprintf(stderr, "kartoteka rebuild: %s\n", err.msg);
		return KT_EXIT_FATAL;
	}
	if (kt_archive_packages(kt_store_archive(s), &pk, &n) != KT_OK) {
		fprintf(stderr, "kartoteka rebuild: %s\n", kt_archive_errmsg(kt_store_archive(s)));
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	/* packages are sorted by (id, version): the last of each id is the newest */
	for (i = 0; i < n; i++) {
		long long id = 0, next_id = -1;
		int version = 0, r;

		kt_archive_parse_relpath(pk[i], &id, &version);
		if (i + 1 < n)
			kt_archive_parse_relpath(pk[i + 1], &next_id, NULL);
		if (next_id == id)
			continue; /* an older version */
		docs++;
		r = restore_one(s, pk[i], id, version);
		if (r == -2) {
			rc = KT_EXIT_FATAL;
			break;
		}
		if (r == 0)
			done++;
		else
			failed++;
	}
	if (rc == KT_EXIT_OK && kt_reindex(s, &indexed, &err) != KT_OK) {
		fprintf(stderr, "kartoteka rebuild: %s\n", err.msg);
		rc = KT_EXIT_FATAL;
	}
	if (rc == KT_EXIT_OK) {
		printf("rebuilt %d document%s from %d package%s: %d restored, %d failed, %d indexed\n",
		       docs, docs == 1 ? "" : "s", n, n == 1 ? "" : "s", done, failed, indexed);
		printf("case records are not in the archive: run 'kartoteka cases import FILE.csv' again\n");
		rc = failed ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
	}
	kt_archive_strings_free(&pk, n);
	kt_store_free(&s);
	return rc;
}
