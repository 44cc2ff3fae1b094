/* store.c - one store folder: configuration, catalog, index, archive (kt_pipeline.h). */
#include "kt_pipeline.h"
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_index.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	if (s->catalog == NULL || kt_catalog_open(s->catalog, path, mode == KT_STORE_READ) != KT_OK) {
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
