/*
 * watch_move.c - `kartoteka watch`: moving what was taken to the done or
 * failed folder. Nothing is ever overwritten: a name that is taken gets a
 * number, "scan (2).pdf" (renameat2 RENAME_NOREPLACE, else link and unlink);
 * across file systems the file is copied, synced, and only then removed. A
 * failed file gets its reason beside it in NAME.txt.
 */
#define _GNU_SOURCE /* renameat2 */
#include "watch_private.h"
#include "kt_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Folders made for done and failed files: no access for others (they hold
 * personal data); the umask takes more away. */
#define WATCH_DIR_MODE 0770

enum { PLACE_OK, PLACE_TAKEN, PLACE_ERROR };

/* The k-th name for name: name itself, then "STEM (k).EXT" (k from 2);
 * folders (dir) "NAME (k)". */
static void candidate(const char *name, int k, int dir, char *out, size_t n)
{
	const char *dot = dir ? NULL : strrchr(name, '.');

	if (k == 1)
		snprintf(out, n, "%s", name);
	else if (dot == NULL || dot == name)
		snprintf(out, n, "%s (%d)", name, k);
	else
		snprintf(out, n, "%.*s (%d)%s", (int)(dot - name), name, k, dot);
}

static void sync_dir(const char *path)
{
	char dir[PATH_MAX], *slash;
	int fd;

	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		return;
	*slash = '\0';
	if ((fd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Copy src to the new file dest (synced, with src's mode and times), then
 * remove src. */
static int copy_then_remove(const char *src, const char *dest, kt_error *err)
{
	int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), out = -1, rc = PLACE_ERROR;
	struct stat st;
	char buf[65536];
	ssize_t n = 0;

	if (in < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		kt_error_set(err, KT_FAILED, "cannot move '%s' to '%s': %s", src, dest,
			     in < 0 ? strerror(errno) : "not a regular file");
		goto done;
	}
	out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777);
	if (out < 0) {
		if (errno == EEXIST)
			rc = PLACE_TAKEN;
		else
			kt_error_set(err, KT_FAILED, "cannot write '%s': %s", dest, strerror(errno));
		goto done;
	}
	while ((n = read(in, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
		ssize_t off = 0;

		while (n > 0 && off < n) {
			ssize_t k = write(out, buf + off, (size_t)(n - off));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			off += k;
		}
		if (n > 0 && off < n) {
			n = -1;
			break;
		}
	}
	if (n != 0 || fsync(out) != 0) {
		kt_error_set(err, KT_FAILED, "cannot copy '%s' to '%s': %s", src, dest, strerror(errno));
	} else {
		struct timespec t[2] = { st.st_atim, st.st_mtim };

		futimens(out, t);
		rc = PLACE_OK;
	}
done:
	if (out >= 0 && close(out) != 0 && rc == PLACE_OK) {
		kt_error_set(err, KT_FAILED, "cannot write '%s': %s", dest, strerror(errno));
		rc = PLACE_ERROR;
	}
	if (in >= 0)
		close(in);
	if (rc == PLACE_ERROR && out >= 0)
		unlink(dest);
	if (rc == PLACE_OK) {
		sync_dir(dest);
		if (unlink(src) != 0) {
			kt_error_set(err, KT_FAILED, "copied '%s' to '%s' but cannot remove it: %s", src,
				     dest, strerror(errno));
			unlink(dest);
			rc = PLACE_ERROR;
		}
	}
	return rc;
}

/* Move src to exactly dest unless dest exists. */
static int place_exact(const char *src, const char *dest, kt_error *err)
{
	struct stat st;

	if (renameat2(AT_FDCWD, src, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
		return PLACE_OK;
	if (errno == EEXIST)
		return PLACE_TAKEN;
	if (errno == EXDEV)
		return copy_then_remove(src, dest, err);
	if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
		/* a file system without RENAME_NOREPLACE */
		if (link(src, dest) == 0) {
			if (unlink(src) == 0)
				return PLACE_OK;
			unlink(dest);
		} else if (errno == EEXIST || lstat(dest, &st) == 0) {
			return PLACE_TAKEN;
		} else if (rename(src, dest) == 0) {
			return PLACE_OK;
		}
	}
	kt_error_set(err, KT_FAILED, "cannot move '%s' to '%s': %s", src, dest, strerror(errno));
	return PLACE_ERROR;
}

/* Write reason to the new file path; PLACE_TAKEN when it exists. */
static int write_reason(const char *path, const char *reason, kt_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	size_t len = strlen(reason), off = 0;

	if (fd < 0 && errno == EEXIST)
		return PLACE_TAKEN;
	if (fd < 0) {
		kt_error_set(err, KT_FAILED, "cannot write '%s': %s", path, strerror(errno));
		return PLACE_ERROR;
	}
	while (off < len) {
		ssize_t k = write(fd, reason + off, len - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	if (close(fd) != 0 || off < len) {
		kt_error_set(err, KT_FAILED, "cannot write '%s': %s", path, strerror(errno));
		unlink(path);
		return PLACE_ERROR;
	}
	return PLACE_OK;
}

int watch_place(const char *src, const char *dir, const char *name, const char *reason,
		char **dest, kt_error *err)
{
	char cand[NAME_MAX + 1], path[PATH_MAX], txt[PATH_MAX + 4];
	struct stat st;
	int k, r;

	*dest = NULL;
	if (kt_mkdirs(dir, WATCH_DIR_MODE, err) != KT_OK)
		return KT_FAILED;
	for (k = 1; k < 100000; k++) {
		candidate(name, k, 0, cand, sizeof cand);
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, cand) >= sizeof path)
			return kt_error_set(err, KT_FAILED, "cannot move '%s': the name is too long", src);
		if (reason != NULL) {
			snprintf(txt, sizeof txt, "%s.txt", path);
			if ((r = write_reason(txt, reason, err)) == PLACE_TAKEN)
				continue;
			if (r == PLACE_ERROR)
				return KT_FAILED;
			if (lstat(path, &st) == 0) {
				unlink(txt);
				continue;
			}
		}
		r = place_exact(src, path, err);
		if (r == PLACE_OK) {
			if ((*dest = strdup(path)) == NULL)
				return kt_error_set(err, KT_FAILED, "out of memory");
			return KT_OK;
		}
		if (reason != NULL)
			unlink(txt);
		if (r == PLACE_ERROR)
			return KT_FAILED;
	}
	return kt_error_set(err, KT_FAILED, "cannot move '%s': no free name in '%s'", src, dir);
}

int watch_new_dir(const char *parent, const char *name, char **out, kt_error *err)
{
	char cand[NAME_MAX + 1], path[PATH_MAX];
	int k;

	*out = NULL;
	if (kt_mkdirs(parent, WATCH_DIR_MODE, err) != KT_OK)
		return KT_FAILED;
	for (k = 1; k < 100000; k++) {
		candidate(name, k, 1, cand, sizeof cand);
		if ((size_t)snprintf(path, sizeof path, "%s/%s", parent, cand) >= sizeof path)
			return kt_error_set(err, KT_FAILED, "cannot make a folder for '%s' in '%s': the "
					    "name is too long", name, parent);
		if (mkdir(path, WATCH_DIR_MODE) == 0) {
			if ((*out = strdup(path)) == NULL)
				return kt_error_set(err, KT_FAILED, "out of memory");
			return KT_OK;
		}
		if (errno != EEXIST)
			return kt_error_set(err, KT_FAILED, "cannot make '%s': %s", path, strerror(errno));
	}
	return kt_error_set(err, KT_FAILED, "no free name for '%s' in '%s'", name, parent);
}

void watch_prune(const char *top, const kt_strv *paths)
{
	kt_strv dirs = KT_STRV_INIT;
	size_t i, n = strlen(top);

	for (i = 0; i < paths->n; i++) {
		char *d = strdup(paths->v[i]), *slash;

		while (d != NULL && (slash = strrchr(d, '/')) != NULL && (size_t)(slash - d) > n) {
			*slash = '\0';
			if (strncmp(d, top, n) == 0 && d[n] == '/')
				kt_strv_push(&dirs, d);
		}
		free(d);
	}
	/* a folder sorts before the folders in it: take them from the end */
	kt_strv_sort(&dirs);
	for (i = dirs.n; i-- > 0;)
		rmdir(dirs.v[i]);
	rmdir(top);
	kt_strv_release(&dirs);
}

char *watch_abspath(const char *path)
{
	char *r = realpath(path, NULL), *tmp, *slash, *parent, *out;
	const char *base;
	size_t len;

	if (r != NULL)
		return r;
	if ((tmp = strdup(path)) == NULL)
		return NULL;
	len = strlen(tmp);
	while (len > 1 && tmp[len - 1] == '/')
		tmp[--len] = '\0';
	slash = strrchr(tmp, '/');
	if (slash == NULL) {
		parent = realpath(".", NULL);
		base = tmp;
	} else if (slash == tmp) {
		parent = strdup("/");
		base = slash + 1;
	} else {
		*slash = '\0';
		parent = watch_abspath(tmp);
		base = slash + 1;
	}
	out = NULL;
	if (parent != NULL && (base[0] == '\0' || strcmp(base, ".") == 0)) {
		out = parent;
		parent = NULL;
	} else if (parent != NULL && strcmp(base, "..") == 0) {
		char *s = strrchr(parent, '/');

		if (s != NULL)
			s[s == parent] = '\0';
		out = parent;
		parent = NULL;
	} else if (parent != NULL) {
		len = strlen(parent) + strlen(base) + 2;
		if ((out = malloc(len)) != NULL)
			snprintf(out, len, "%s%s%s", parent, strcmp(parent, "/") == 0 ? "" : "/", base);
	}
	free(parent);
	free(tmp);
	return out;
}

int watch_inside(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (strcmp(b, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}
