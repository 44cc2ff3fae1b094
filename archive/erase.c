/*
 * erase.c - a document's packages erased and its tombstone kept (issue 21,
 * docs/lifecycle.md; kt_archive.h, "Erasure"): the one place where the
 * archive removes what it wrote. Every version's tar (and a temporary file
 * of one) is overwritten with zeros, synced and unlinked; the tombstone
 * (a small JSON file the pipeline writes, kt-<id>-erased.json in the
 * document's shard folder) is written atomically and read back by rebuild.
 */
#include "archive_private.h"
#include "kt_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOMBSTONE_SUFFIX "-erased.json"

/* The shard folder of sha256 (its first two hex digits, lower case). */
static char *shard_dir(kt_archive *a, const char *sha256)
{
	char shard[3] = { 0 };

	if (kt_bag_check_sha256(sha256) != 0)
		return NULL;
	shard[0] = (char)(sha256[0] | 0x20);
	shard[1] = (char)(sha256[1] | 0x20);
	return kt_path_join(a->root, shard);
}

int kt_archive_erase_doc(kt_archive *a, long long doc_id, const char *sha256, int *n_removed)
{
	char prefix[64], *dir;
	DIR *d;
	struct dirent *de;
	int rc = KT_OK;

	*n_removed = 0;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	if ((dir = shard_dir(a, sha256)) == NULL)
		return kt_error_set(&a->err, KT_FAILED, "document %lld: '%s' is no SHA-256", doc_id,
				    sha256 ? sha256 : "");
	/* every version, and a temporary file of one: kt-<id>-<sha16>-... */
	snprintf(prefix, sizeof prefix, "kt-%08lld-%.16s-", doc_id, sha256);
	for (char *p = prefix; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	d = opendir(dir);
	if (d == NULL) {
		rc = errno == ENOENT ? KT_OK
				     : kt_error_set(&a->err, KT_FATAL, "cannot read '%s': %s", dir,
						    strerror(errno));
		free(dir);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		char *path;
		int e;

		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		if ((path = kt_path_join(dir, de->d_name)) == NULL) {
			rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
			break;
		}
		e = kt_file_shred(path);
		if (e != 0)
			rc = kt_error_set(&a->err, KT_FATAL, "cannot erase '%s': %s", path, strerror(e));
		else
			(*n_removed)++;
		free(path);
		if (rc != KT_OK)
			break;
	}
	closedir(d);
	/* the removals themselves made durable */
	if (rc == KT_OK) {
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(dir);
	return rc;
}

int kt_archive_tombstone_put(kt_archive *a, long long doc_id, const char *sha256, const char *json,
			     size_t len)
{
	char name[64], *dir, *path;
	kt_error e = { 0 };
	int rc;

	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	if ((dir = shard_dir(a, sha256)) == NULL)
		return kt_error_set(&a->err, KT_FAILED, "document %lld: '%s' is no SHA-256", doc_id,
				    sha256 ? sha256 : "");
	snprintf(name, sizeof name, "kt-%08lld" TOMBSTONE_SUFFIX, doc_id);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		rc = kt_error_set(&a->err, KT_FATAL, "cannot make '%s': %s", dir, strerror(errno));
		free(dir);
		return rc;
	}
	path = kt_path_join(dir, name);
	free(dir);
	if (path == NULL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	rc = kt_file_write_atomic(path, json, len, 0444, &e);
	if (rc != KT_OK)
		rc = kt_error_set(&a->err, KT_FATAL, "%s", e.msg);
	free(path);
	return rc;
}

int kt_archive_tombstones(kt_archive *a, char ***jsons, int *n)
{
	kt_strv l = KT_STRV_INIT;
	DIR *d;
	struct dirent *de;
	int rc = KT_OK;

	*jsons = NULL;
	*n = 0;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	if ((d = opendir(a->root)) == NULL)
		return kt_error_set(&a->err, KT_FAILED, "cannot read '%s': %s", a->root, strerror(errno));
	while (rc == KT_OK && (de = readdir(d)) != NULL) {
		char *shard;
		DIR *sd;
		struct dirent *fe;

		if (strlen(de->d_name) != 2 || de->d_name[0] == '.')
			continue;
		if ((shard = kt_path_join(a->root, de->d_name)) == NULL ||
		    (sd = opendir(shard)) == NULL) {
			free(shard);
			continue;
		}
		while (rc == KT_OK && (fe = readdir(sd)) != NULL) {
			size_t len = strlen(fe->d_name), sl = strlen(TOMBSTONE_SUFFIX), blen;
			char *path, *data = NULL;
			kt_error e = { 0 };

			if (len <= sl || strncmp(fe->d_name, "kt-", 3) != 0 ||
			    strcmp(fe->d_name + len - sl, TOMBSTONE_SUFFIX) != 0)
				continue;
			if ((path = kt_path_join(shard, fe->d_name)) == NULL) {
				rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
				break;
			}
			if (kt_file_read(path, 1 << 20, &data, &blen, &e) != KT_OK)
				rc = kt_error_set(&a->err, KT_FAILED, "%s", e.msg);
			else if (kt_strv_push(&l, data) != KT_OK)
				rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
			free(data);
			free(path);
		}
		closedir(sd);
		free(shard);
	}
	closedir(d);
	if (rc != KT_OK) {
		kt_strv_release(&l);
		return rc;
	}
	*jsons = l.v;
	*n = (int)l.n;
	return KT_OK;
}
