/* file.c - read whole, mkdir -p, rm -r and atomic write (kt_file.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "kt_file.h"
#include "kt_fault.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int kt_file_read(const char *path, long long max, char **data, size_t *len, kt_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	char *buf;
	size_t got = 0;

	*data = NULL;
	if (len != NULL)
		*len = 0;
	if (fd < 0)
		return kt_error_set(err, KT_FAILED, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kt_error_set(err, KT_FAILED, "cannot read '%s': not a regular file", path);
	}
	if (max > 0 && st.st_size > max) {
		close(fd);
		return kt_error_set(err, KT_FAILED, "refusing '%s': %lld bytes is above the cap of %lld",
				    path, (long long)st.st_size, max);
	}
	buf = kt_fault("file_read") ? NULL : malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return kt_error_set(err, KT_FAILED, "cannot read '%s': out of memory", path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = errno;

			free(buf);
			close(fd);
			return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", path,
					    k == 0 ? "file shrank while reading" : strerror(e));
		}
		got += (size_t)k;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	if (len != NULL)
		*len = got;
	return KT_OK;
}

int kt_mkdirs(const char *path, mode_t mode, kt_error *err)
{
	char *p = strdup(path);
	struct stat st;
	int e = 0;

	if (p == NULL)
		return kt_error_set(err, KT_FAILED, "cannot make folder '%s': out of memory", path);
	for (char *s = p + 1; *s && e == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			e = errno;
		*s = '/';
	}
	if (e == 0 && mkdir(p, mode) != 0 && errno != EEXIST)
		e = errno;
	if (e == 0 && stat(p, &st) != 0)
		e = errno;
	else if (e == 0 && !S_ISDIR(st.st_mode))
		e = ENOTDIR;
	free(p);
	if (e != 0) {
		kt_error_set(err, KT_FAILED, "cannot make folder '%s': %s", path, strerror(e));
		errno = e;
		return KT_FAILED;
	}
	return KT_OK;
}

/* nftw keeps no user pointer: the first failure is kept here per thread. */
static _Thread_local int rm_errno;
static _Thread_local char rm_path[512];

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	int rc;

	(void)st;
	(void)ftw;
	rc = type == FTW_DP ? rmdir(path) : unlink(path);
	if (rc != 0 && errno != ENOENT && rm_errno == 0) {
		rm_errno = errno;
		snprintf(rm_path, sizeof rm_path, "%s", path);
	}
	return 0; /* go on: remove what can be removed */
}

/* Make every folder of the tree writable and searchable, so that its
 * entries can be removed (exports and packages are written read-only). */
static int open_up(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D && (st->st_mode & 0700) != 0700)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

int kt_file_shred(const char *path)
{
	static const char zeros[65536];
	struct stat st;
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW), e = 0;
	off_t done = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : errno;
	if (fstat(fd, &st) != 0)
		e = errno;
	while (e == 0 && S_ISREG(st.st_mode) && done < st.st_size) {
		size_t n = (size_t)(st.st_size - done) < sizeof zeros ? (size_t)(st.st_size - done)
								      : sizeof zeros;
		ssize_t w = write(fd, zeros, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : EIO;
		else
			done += w;
	}
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	close(fd);
	if (e == 0 && unlink(path) != 0)
		e = errno;
	return e;
}

int kt_rmtree(const char *path, kt_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return KT_OK;
		return kt_error_set(err, KT_FAILED, "cannot remove '%s': %s", path, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0 && errno != ENOENT)
			return kt_error_set(err, KT_FAILED, "cannot remove '%s': %s", path,
					    strerror(errno));
		return KT_OK;
	}
	/* Pre-order pass first: a folder without rwx for us cannot be read. */
	if ((st.st_mode & 0700) != 0700)
		chmod(path, (st.st_mode & 07777) | 0700);
	nftw(path, open_up, 16, FTW_PHYS);
	rm_errno = 0;
	rm_path[0] = '\0';
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0 && rm_errno == 0) {
		rm_errno = errno ? errno : EIO;
		snprintf(rm_path, sizeof rm_path, "%s", path);
	}
	if (rm_errno != 0) {
		int e = rm_errno;

		kt_error_set(err, KT_FAILED, "cannot remove '%s': %s", rm_path, strerror(e));
		errno = e;
		return KT_FAILED;
	}
	return KT_OK;
}

/* fsync the folder holding path (its entries, after a rename). */
static int fsync_parent(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd, rc = -1;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = kt_fault_done("atomic_dirsync", fsync(fd));
		close(fd);
	}
	free(dir);
	return rc;
}

int kt_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 kt_error *err)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof ".tmp-XXXXXX");
	const char *p = data;
	int fd, e = 0;

	if (tmp == NULL)
		return kt_error_set(err, KT_FAILED, "cannot write '%s': out of memory", path);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
	fd = kt_fault("write_atomic") ? -1 : mkstemp(tmp);
	if (kt_fault_done("atomic_tmp", fd < 0 ? -1 : 0) != 0) {
		e = errno ? errno : EIO;
		free(tmp);
		return kt_error_set(err, KT_FAILED, "cannot write '%s': %s", path, strerror(e));
	}
	while (len > 0 && e == 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			e = k < 0 ? errno : EIO;
		else
			p += k, len -= (size_t)k;
	}
	if (e == 0)
		kt_fault_done("atomic_data", 0);
	if (e == 0 && fchmod(fd, mode) != 0)
		e = errno;
	if (e == 0 && kt_fault_done("atomic_fsync", fsync(fd)) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0 && kt_fault_done("atomic_rename", rename(tmp, path)) != 0)
		e = errno;
	if (e != 0) {
		unlink(tmp);
		free(tmp);
		return kt_error_set(err, KT_FAILED, "cannot write '%s': %s", path, strerror(e));
	}
	free(tmp);
	fsync_parent(path);
	return KT_OK;
}
