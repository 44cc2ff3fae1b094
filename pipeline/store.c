/* store.c - one store folder: configuration, catalog, index, archive (kt_pipeline.h). */
#include "kt_pipeline.h"
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_index.h"
#include "kt_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct kt_store {
	char *dir;
	int mode;
	kt_config cfg;
	kt_catalog *catalog;
	kt_archive *archive;
	kt_index *index;
};

static int path_join(char *out, size_t size, const char *dir, const char *name)
{
	return snprintf(out, size, "%s/%s", dir, name) < (int)size ? 0 : -1;
}

/* The files that mark a folder as a store: every store opened for writing
 * has its configuration, and a store whose configuration was lost still has
 * its catalog. archive/ and xapian/ alone do not: any folder may have one. */
static const char *const store_marks[] = { "kartoteka.conf", "catalog.sqlite" };

int kt_store_exists(const char *dir)
{
	char path[4096];
	struct stat st;
	size_t i;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	for (i = 0; i < sizeof store_marks / sizeof store_marks[0]; i++)
		if (path_join(path, sizeof path, dir, store_marks[i]) == 0 && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode))
			return 1;
	return 0;
}

int kt_store_writable(const char *dir)
{
	static const char *const files[] = { "catalog.sqlite", "catalog.sqlite-wal",
					     "catalog.sqlite-shm" };
	char path[4096];
	size_t i;

	/* the effective user's rights, as the writes will be checked (root
	 * passes unless the file system is mounted read-only) */
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
		return 0;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (path_join(path, sizeof path, dir, files[i]) != 0)
			return 0;
		if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0 && errno != ENOENT)
			return 0;
	}
	return 1;
}

/* "file:PATH?immutable=1" when neither PATH-wal nor PATH-shm exists, else
 * NULL (and NULL when out of memory). */
static char *catalog_immutable_uri(const char *path)
{
	char side[4096];
	struct stat st;

	if (snprintf(side, sizeof side, "%s-wal", path) >= (int)sizeof side ||
	    stat(side, &st) == 0 || errno != ENOENT)
		return NULL;
	if (snprintf(side, sizeof side, "%s-shm", path) >= (int)sizeof side ||
	    stat(side, &st) == 0 || errno != ENOENT)
		return NULL;
	return kt_file_uri(path, "immutable=1");
}

/* Open the catalog at path. A store this user cannot write is read through
 * catalog_immutable_uri when it gives one: SQLite reads a WAL database only
 * with its -shm file, which it cannot make there; with neither -wal nor -shm
 * (no writer has it open) the file holds every row and is read as it is. A
 * SQLite that takes no URI names fails on it and gets the plain path. */
static int open_catalog(kt_catalog **c, const char *dir, const char *path, int mode)
{
	char *uri = NULL;

	if (mode == KT_STORE_READ && !kt_store_writable(dir))
		uri = catalog_immutable_uri(path);
	if (uri != NULL) {
		int rc = kt_catalog_open(*c, uri, 1);

		free(uri);
		if (rc == KT_OK)
			return KT_OK;
		kt_catalog_free(c);
		if ((*c = kt_catalog_new()) == NULL)
			return KT_FATAL;
	}
	return kt_catalog_open(*c, path, mode == KT_STORE_READ);
}

int kt_store_open(const char *dir, int mode, kt_store **out, kt_error *err)
{
	kt_store *s;
	char path[4096];
	struct stat st;

	*out = NULL;
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT || mode != KT_STORE_WRITE)
			return kt_error_set(err, KT_FATAL, "cannot open store '%s': %s", dir,
					    errno == ENOENT ? "no such folder (ingest or import something first)"
							    : strerror(errno));
		if (mkdir(dir, 0777) != 0)
			return kt_error_set(err, KT_FATAL, "cannot create store '%s': %s", dir, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		return kt_error_set(err, KT_FATAL, "cannot open store '%s': not a folder", dir);
	} else if (mode == KT_STORE_READ && !kt_store_exists(dir)) {
		/* a mistyped --store: reading makes nothing in that folder */
		return kt_error_set(err, KT_FATAL, "'%s' holds no kartoteka store", dir);
	}
	if (path_join(path, sizeof path, dir, "kartoteka.conf") != 0)
		return kt_error_set(err, KT_FATAL, "store path '%s' is too long", dir);
	if (mode == KT_STORE_WRITE && kt_config_write_default(path, err) != KT_OK)
		return KT_FATAL;
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->dir = strdup(dir)) == NULL) {
		free(s);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	s->mode = mode;
	if (kt_config_load(&s->cfg, path, err) != KT_OK) {
		kt_store_free(&s);
		return KT_FATAL;
	}
	path_join(path, sizeof path, dir, "catalog.sqlite");
	s->catalog = kt_catalog_new();
	if (s->catalog == NULL || open_catalog(&s->catalog, dir, path, mode) != KT_OK) {
		if (s->catalog == NULL)
			kt_error_set(err, KT_FATAL, "out of memory");
		else
			kt_error_escalate(err, kt_catalog_error(s->catalog), KT_FATAL);
		kt_store_free(&s);
		return KT_FATAL;
	}
	path_join(path, sizeof path, dir, "archive");
	s->archive = kt_archive_new();
	if (s->archive == NULL || kt_archive_open(s->archive, path) != KT_OK) {
		if (s->archive == NULL)
			kt_error_set(err, KT_FATAL, "out of memory");
		else
			kt_error_escalate(err, kt_archive_error(s->archive), KT_FATAL);
		kt_store_free(&s);
		return KT_FATAL;
	}
	*out = s;
	return KT_OK;
}

kt_index *kt_store_index(kt_store *s, kt_error *err)
{
	char path[4096];

	if (s->index != NULL)
		return s->index;
	path_join(path, sizeof path, s->dir, "xapian");
	s->index = kt_index_new();
	if (s->index == NULL) {
		kt_error_set(err, KT_FATAL, "out of memory");
		return NULL;
	}
	if (kt_index_open(s->index, path, s->mode == KT_STORE_WRITE) != KT_OK) {
		kt_error_escalate(err, kt_index_error(s->index), KT_FATAL);
		kt_index_free(&s->index);
		return NULL;
	}
	return s->index;
}

kt_catalog *kt_store_catalog(kt_store *s) { return s->catalog; }
kt_archive *kt_store_archive(kt_store *s) { return s->archive; }
const kt_config *kt_store_config(const kt_store *s) { return &s->cfg; }
const char *kt_store_dir(const kt_store *s) { return s->dir; }

void kt_store_free(kt_store **s)
{
	if (s == NULL || *s == NULL)
		return;
	kt_index_free(&(*s)->index);
	kt_archive_free(&(*s)->archive);
	kt_catalog_free(&(*s)->catalog);
	kt_config_release(&(*s)->cfg);
	free((*s)->dir);
	free(*s);
	*s = NULL;
}
