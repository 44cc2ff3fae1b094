/*
 * cmd_init.c - `kartoteka init`: make a new, empty store (its folder, the
 * default kartoteka.conf, the catalog, the full-text index, the archive
 * folder and the access database). A folder that is a store already is left
 * as it is; a folder that holds anything else is refused, so that a mistyped
 * --store never turns a random folder into a store.
 */
#include "cli.h"
#include "kt_access.h"
#include "kt_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int kt_cmd_init(kt_cli *cli, int argc, char **argv);

const kt_command kt_command_init = {
	"init", "make a new, empty store",
	"usage: kartoteka [--store DIR] init [--store DIR]\n"
	"\n"
	"Make a new, empty store in DIR (default: $KARTOTEKA_STORE, else\n"
	"./kartoteka-store): the folder and any missing parent, a commented default\n"
	"kartoteka.conf, the catalog, the full-text index, the archive folder and\n"
	"the access database (users and the audit log). Then add users with\n"
	"'kartoteka user add', case records with 'kartoteka cases import' and scans\n"
	"with 'kartoteka ingest'.\n"
	"\n"
	"A folder that is a store already is left as it is (said, exit 0). A folder\n"
	"that is not empty and holds no store is refused: a store is made only in a\n"
	"new or an empty folder.\n"
	"\n"
	"  --store DIR   the store folder (as the global option)\n"
	"\n"
	"Exit status: 0 made or a store already, 1 refused (the folder holds\n"
	"something else), 2 the store could not be made (the reason names the path).\n",
	kt_cmd_init,
};

/* The entries of a new store, removed again when making it failed. */
static const char *const store_files[] = {
	"access.sqlite", "access.sqlite-wal", "access.sqlite-shm", "catalog.sqlite",
	"catalog.sqlite-wal", "catalog.sqlite-shm", "kartoteka.conf",
};
static const char *const store_folders[] = { "archive", "xapian" };

/* 1 when the folder dir holds no entry but . and .., 0 when it holds one,
 * -1 (errno set) when it cannot be read. */
static int folder_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (d == NULL)
		return -1;
	while (empty && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/* Undo a store that could not be made: the whole folder when init made it,
 * else the entries it made in the empty folder it was given. */
static void undo(const char *dir, int made_folder)
{
	char path[4096];
	size_t i;

	if (made_folder) {
		kt_rmtree(dir, NULL);
		return;
	}
	for (i = 0; i < sizeof store_files / sizeof store_files[0]; i++)
		if (snprintf(path, sizeof path, "%s/%s", dir, store_files[i]) < (int)sizeof path)
			unlink(path);
	for (i = 0; i < sizeof store_folders / sizeof store_folders[0]; i++)
		if (snprintf(path, sizeof path, "%s/%s", dir, store_folders[i]) < (int)sizeof path)
			kt_rmtree(path, NULL);
}

/* Make every part of the store in the existing, empty folder dir: KT_OK, or
 * KT_FATAL with the message in err. */
static int make_store(const char *dir, kt_error *err)
{
	kt_store *s = NULL;
	kt_access *acc = NULL;
	int rc;

	if (kt_store_open(dir, KT_STORE_WRITE, &s, err) != KT_OK)
		return KT_FATAL;
	/* the index is made when first opened for writing */
	rc = kt_store_index(s, err) != NULL ? KT_OK : KT_FATAL;
	kt_store_free(&s);
	if (rc == KT_OK && kt_access_open(dir, &acc, err) != KT_OK)
		rc = KT_FATAL;
	kt_access_free(&acc);
	return rc;
}

static int kt_cmd_init(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir;
	kt_error err = { 0 };
	struct stat st;
	int c, made_folder = 0, empty;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'S')
			cli->store_dir = optarg;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("init", "init takes no operands (the folder is --store DIR)");
	dir = cli->store_dir;
	if (dir == NULL || dir[0] == '\0')
		return kt_cli_usage("init", "no store folder given");

	if (kt_store_exists(dir)) {
		printf("'%s' is a store already: nothing changed\n", dir);
		return KT_EXIT_OK;
	}
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			fprintf(stderr, "kartoteka init: refusing '%s': it is not a folder\n", dir);
			return KT_EXIT_SOME_FAILED;
		}
		empty = folder_empty(dir);
		if (empty < 0) {
			fprintf(stderr, "kartoteka init: cannot read '%s': %s\n", dir, strerror(errno));
			return KT_EXIT_FATAL;
		}
		if (!empty) {
			fprintf(stderr, "kartoteka init: refusing '%s': the folder is not empty and holds"
				" no store; a store is made only in a new or an empty folder\n", dir);
			return KT_EXIT_SOME_FAILED;
		}
	} else if (errno != ENOENT) {
		fprintf(stderr, "kartoteka init: cannot make a store at '%s': %s\n", dir, strerror(errno));
		return KT_EXIT_FATAL;
	} else {
		if (kt_mkdirs(dir, 0777, &err) != KT_OK) {
			fprintf(stderr, "kartoteka init: cannot make a store at '%s': %s\n", dir, err.msg);
			return KT_EXIT_FATAL;
		}
		made_folder = 1;
	}
	if (make_store(dir, &err) != KT_OK) {
		undo(dir, made_folder);
		fprintf(stderr, "kartoteka init: cannot make a store at '%s': %s\n", dir, err.msg);
		return KT_EXIT_FATAL;
	}
	printf("made a new store at '%s'\n", dir);
	return KT_EXIT_OK;
}
