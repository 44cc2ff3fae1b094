/*
 * list.c - what a store holds: its packages (kt_archive_packages), the
 * payload files of one package (kt_archive_list_files), and a package path's
 * document id and version (kt_archive_parse_relpath).
 */
#include "archive_private.h"
#include "kt_strv.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void kt_archive_strings_free(char ***strs, int n)
{
	int i;

	if (strs == NULL || *strs == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*strs)[i]);
	free(*strs);
	*strs = NULL;
}

int kt_archive_parse_relpath(const char *relpath, long long *doc_id, int *version)
{
	char name[KT_BAG_NAME_MAX];
	long long id = 0;
	const char *v;

	if (kt_bag_parse_relpath(relpath, name, &id, NULL) != 0)
		return KT_FAILED;
	v = strrchr(name, 'v');
	if (v == NULL || v == name || v[-1] != '-')
		return KT_FAILED;
	if (doc_id)
		*doc_id = id;
	if (version)
		*version = atoi(v + 1);
	return KT_OK;
}

/* Packages in (doc id, version) order. */
static int cmp_pkg(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	long long ix = 0, iy = 0;
	int vx = 0, vy = 0;

	kt_archive_parse_relpath(x, &ix, &vx);
	kt_archive_parse_relpath(y, &iy, &vy);
	if (ix != iy)
		return ix < iy ? -1 : 1;
	if (vx != vy)
		return vx < vy ? -1 : 1;
	return strcmp(x, y);
}

int kt_archive_packages(kt_archive *a, char ***relpaths, int *n)
{
	kt_strv l = KT_STRV_INIT;
	DIR *d;
	struct dirent *de;
	int rc = KT_OK;

	*relpaths = NULL;
	*n = 0;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	d = opendir(a->root);
	if (d == NULL)
		return kt_error_set(&a->err, KT_FAILED, "cannot read '%s': %s", a->root, strerror(errno));
	while (rc == KT_OK && (de = readdir(d)) != NULL) {
		const char *s = de->d_name;
		char *shard;
		DIR *sd;
		struct dirent *fe;

		/* shard folders: two lower-case hex digits */
		if (strlen(s) != 2 || !strchr("0123456789abcdef", s[0]) || !strchr("0123456789abcdef", s[1]) ||
		    s[0] == '\0' || s[1] == '\0')
			continue;
		shard = kt_path_join(a->root, s);
		if (shard == NULL) {
			rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
			break;
		}
		sd = opendir(shard);
		if (sd == NULL) {
			rc = kt_error_set(&a->err, KT_FAILED, "cannot read '%s': %s", shard, strerror(errno));
			free(shard);
			break;
		}
		while ((fe = readdir(sd)) != NULL) {
			char rel[KT_BAG_NAME_MAX + 16], name[KT_BAG_NAME_MAX];

			if (fe->d_name[0] == '.' || strlen(fe->d_name) > KT_BAG_NAME_MAX + 4)
				continue;
			snprintf(rel, sizeof rel, "%s/%s", s, fe->d_name);
			/* only names of the store's exact form; temp files and strays are passed over */
			if (kt_bag_parse_relpath(rel, name, NULL, NULL) != 0)
				continue;
			if (kt_strv_push(&l, rel) != KT_OK) {
				rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
				break;
			}
		}
		closedir(sd);
		free(shard);
	}
	closedir(d);
	if (rc != KT_OK) {
		kt_strv_release(&l);
		return rc;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, cmp_pkg);
	*relpaths = l.v;
	*n = (int)l.n;
	return KT_OK;
}

int kt_archive_list_files(kt_archive *a, const char *relpath, char ***paths, int *n)
{
	char name[KT_BAG_NAME_MAX], prefix[KT_BAG_NAME_MAX + 8];
	kt_strv l = KT_STRV_INIT;
	kt_tar_reader *r = NULL;
	kt_tar_entry e;
	char *file = NULL;
	size_t plen;
	int got, rc = KT_OK;

	*paths = NULL;
	*n = 0;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	if (kt_bag_parse_relpath(relpath, name, NULL, NULL) != 0)
		return kt_error_set(&a->err, KT_FAILED, "'%s' is not a package path", relpath ? relpath : "");
	snprintf(prefix, sizeof prefix, "%s/data/", name);
	plen = strlen(prefix);
	if ((file = kt_path_join(a->root, relpath)) == NULL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	r = kt_tar_reader_open(file, &a->err);
	free(file);
	if (r == NULL)
		return a->err.code ? a->err.code : KT_FAILED;
	while ((got = kt_tar_reader_next(r, &e, &a->err)) == 1) {
		const char *why;

		if (e.type != KT_TAR_FILE || strncmp(e.path, prefix, plen) != 0)
			continue;
		if (kt_bag_check_entry_path(e.path + plen, strlen(e.path + plen), &why) != 0)
			continue;
		if (kt_strv_push(&l, e.path + plen) != KT_OK) {
			rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
			break;
		}
	}
	if (rc == KT_OK && got < 0)
		rc = KT_FAILED;
	kt_tar_reader_free(&r);
	if (rc != KT_OK) {
		kt_strv_release(&l);
		return rc;
	}
	kt_strv_sort(&l);
	*paths = l.v;
	*n = (int)l.n;
	return KT_OK;
}
