/*
 * store.c - the kt_archive handle and its folder: opening a store, the
 * atomic write of a package (temporary file, fsync, link into place, fsync
 * folder), export of a package as a bag folder, and the sweep of temporary
 * files left by crashed writers.
 */
#include "archive_private.h"
#include "kt_fault.h"
#include "kt_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_INFIX ".tar.tmp-"

kt_archive *kt_archive_new(void)
{
	return calloc(1, sizeof(kt_archive));
}

void kt_archive_free(kt_archive **a)
{
	if (a == NULL || *a == NULL)
		return;
	free((*a)->root);
	free(*a);
	*a = NULL;
}

const char *kt_archive_errmsg(const kt_archive *a)
{
	return a ? a->err.msg : "no archive handle";
}

const kt_error *kt_archive_error(const kt_archive *a)
{
	static const kt_error no_handle = { KT_FAILED, "no archive handle" };

	return a ? &a->err : &no_handle;
}

void kt_archive_set_bagging_time(kt_archive *a, long long unix_seconds)
{
	if (a != NULL)
		a->fixed_time = unix_seconds;
}

/* One I/O step of a write: 0, or -1 with errno = EIO when the fault site
 * "archive_io" fails (kt_fault.h; tests count the steps in their hook). */
static int io_step(kt_archive *a)
{
	(void)a;
	if (kt_fault("archive_io")) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* fsync a folder, reported as the durable step `step` (kt_fault.h). */
static int fsync_dir(const char *dir, const char *step)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -1;
	r = kt_fault_done(step, fsync(fd));
	if (r != 0 && (errno == EINVAL || errno == EROFS))
		r = 0; /* file systems that cannot sync a folder */
	close(fd);
	return r;
}

int kt_archive_open(kt_archive *a, const char *dir)
{
	char *root;
	size_t n;

	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (dir == NULL || dir[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "no archive folder given");
	root = strdup(dir);
	if (root == NULL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		root[--n] = '\0';
	errno = 0;
	if (kt_mkdirs(root, 0755, NULL) != KT_OK) {
		kt_error_set(&a->err, KT_FAILED, "cannot create archive folder '%s': %s", root,
		             strerror(errno));
		free(root);
		return KT_FAILED;
	}
	free(a->root);
	a->root = root;
	return KT_OK;
}

/* ---- write ---- */

struct wctx {
	kt_archive *a;
	int fd;
};

static int write_fd(void *ctx, const void *buf, size_t len)
{
	struct wctx *w = ctx;
	const char *p = buf;

	if (io_step(w->a) != 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write the plan's tar into fd; KT_OK or a code with the message set. */
static int write_tar(kt_archive *a, const kt_bag_plan *plan, int fd, long long when)
{
	struct wctx ctx = { a, fd };
	kt_tar_writer *w = kt_tar_writer_new(write_fd, &ctx, when, &a->err);
	int rc = KT_OK;

	if (w == NULL)
		return a->err.code;
	for (int i = 0; i < plan->n && rc == KT_OK; i++)
		rc = kt_tar_writer_add(w, plan->e[i].path, plan->e[i].is_dir, plan->e[i].data,
		                       plan->e[i].len, &a->err);
	if (rc == KT_OK)
		rc = kt_tar_writer_finish(w, &a->err);
	kt_tar_writer_free(&w);
	return rc;
}

/* Hard links are not available on this file system. */
static int no_links(int e)
{
	return e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == EMLINK || e == ENOSYS;
}

int kt_archive_write(kt_archive *a, const kt_archive_package *p, char **relpath_out)
{
	kt_bag_plan plan;
	kt_buf relpath = { 0 }, tmp = { 0 };
	char *shard = NULL, *final = NULL;
	struct stat st;
	long long when;
	int fd = -1, rc, linked = 0;

	if (relpath_out != NULL)
		*relpath_out = NULL;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	when = a->fixed_time ? a->fixed_time : (long long)time(NULL);
	rc = kt_bag_plan_build(p, when, &plan, &a->err);
	if (rc != KT_OK)
		return rc;

	if (kt_buf_printf(&relpath, "%s/%s.tar", plan.shard, plan.name) ||
	    (shard = kt_path_join(a->root, plan.shard)) == NULL ||
	    (final = kt_path_join(a->root, relpath.s)) == NULL ||
	    kt_buf_printf(&tmp, "%s/.%s" TMP_INFIX "XXXXXX", shard, plan.name)) {
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		goto out;
	}

	/* The shard folder, synced into the store folder when new. */
	if (lstat(shard, &st) != 0) {
		if (errno != ENOENT || io_step(a) != 0 ||
		    (kt_fault_done("archive_mkdir", mkdir(shard, 0755)) != 0 && errno != EEXIST)) {
			rc = kt_error_set(&a->err, KT_FAILED, "cannot create folder '%s': %s", shard,
			                  strerror(errno));
			goto out;
		}
		if (io_step(a) != 0 || fsync_dir(a->root, "archive_rootsync") != 0) {
			rc = kt_error_set(&a->err, KT_FAILED, "cannot sync folder '%s': %s", a->root,
			                  strerror(errno));
			goto out;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		rc = kt_error_set(&a->err, KT_FAILED, "'%s' is not a folder", shard);
		goto out;
	}

	/* Idempotent: an existing package is never touched. */
	if (lstat(final, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			rc = kt_error_set(&a->err, KT_FAILED, "'%s' exists and is not a regular file",
			                  final);
			goto out;
		}
		if (io_step(a) != 0 || fsync_dir(shard, "archive_dirsync") != 0)
			rc = kt_error_set(&a->err, KT_FAILED, "cannot sync folder '%s': %s", shard,
			                  strerror(errno));
		goto out;
	}

	if (io_step(a) != 0 || kt_fault_done("archive_tmp", (fd = mkstemp(tmp.s)) < 0 ? -1 : 0) != 0) {
		rc = kt_error_set(&a->err, KT_FAILED, "cannot create a temporary file in '%s': %s",
		                  shard, strerror(errno));
		tmp.s[0] = '\0';
		goto out;
	}
	rc = write_tar(a, &plan, fd, when);
	if (rc != KT_OK)
		goto out;
	kt_fault_done("archive_data", 0);
	if (io_step(a) != 0 || fchmod(fd, 0444) != 0 || io_step(a) != 0 ||
	    kt_fault_done("archive_fsync", fsync(fd)) != 0) {
		rc = kt_error_set(&a->err, KT_FAILED, "cannot sync '%s': %s", tmp.s, strerror(errno));
		goto out;
	}
	if (io_step(a) != 0 || close(fd) != 0) {
		fd = -1;
		rc = kt_error_set(&a->err, KT_FAILED, "cannot close '%s': %s", tmp.s, strerror(errno));
		goto out;
	}
	fd = -1;

	/* link(2) puts the file in place but, unlike rename(2), never replaces. */
	if (io_step(a) != 0 || kt_fault_done("archive_link", link(tmp.s, final)) != 0) {
		int e = errno;
		if (e == EEXIST) {
			/* Another writer was faster: its package stands. */
			goto out;
		}
		if (no_links(e) && lstat(final, &st) == 0)
			goto out; /* as EEXIST */
		if (!no_links(e) || io_step(a) != 0 ||
		    kt_fault_done("archive_rename", rename(tmp.s, final)) != 0) {
			rc = kt_error_set(&a->err, KT_FAILED, "cannot put '%s' in place: %s", final,
			                  strerror(no_links(e) ? errno : e));
			goto out;
		}
		tmp.s[0] = '\0'; /* renamed */
	}
	linked = 1;
	if (tmp.s[0] != '\0' && (io_step(a) != 0 || kt_fault_done("archive_unlink", unlink(tmp.s)) != 0)) {
		rc = kt_error_set(&a->err, KT_WARN, "cannot remove temporary file '%s': %s", tmp.s,
		                  strerror(errno));
		tmp.s[0] = '\0'; /* leave it to kt_archive_sweep */
	} else {
		tmp.s[0] = '\0';
	}
	if (io_step(a) != 0 || fsync_dir(shard, "archive_dirsync") != 0)
		rc = kt_error_set(&a->err, KT_FAILED, "cannot sync folder '%s': %s", shard,
		                  strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (tmp.s != NULL && tmp.s[0] != '\0' && !linked)
		unlink(tmp.s);
	if ((rc == KT_OK || rc == KT_WARN) && relpath_out != NULL) {
		*relpath_out = relpath.s;
		relpath.s = NULL;
	}
	kt_buf_release(&relpath);
	kt_buf_release(&tmp);
	free(shard);
	free(final);
	kt_bag_plan_release(&plan);
	return rc;
}

/* ---- export ---- */

/* Read every entry header and refuse the package if one is not safe. */
static int prescan(kt_archive *a, const char *file, const char *name)
{
	kt_tar_reader *r = kt_tar_reader_open(file, &a->err);
	kt_tar_entry e;
	const char *why;
	int rc, n = 0;

	if (r == NULL)
		return a->err.code;
	while ((rc = kt_tar_reader_next(r, &e, &a->err)) == 1) {
		n++;
		if (e.type != KT_TAR_FILE && e.type != KT_TAR_DIR) {
			rc = kt_error_set(&a->err, KT_FAILED,
			                  "refusing '%s': entry '%s' is a link or special file", file,
			                  e.path);
			break;
		}
		if (kt_bag_check_under(e.path, name, &why) != 0) {
			rc = kt_error_set(&a->err, KT_FAILED, "refusing '%s': entry '%s': %s", file,
			                  e.path, why);
			break;
		}
	}
	kt_tar_reader_free(&r);
	if (rc == 0 && n == 0)
		rc = kt_error_set(&a->err, KT_FAILED, "refusing '%s': no entries", file);
	return rc == 0 ? KT_OK : rc;
}

int kt_archive_export_bag(kt_archive *a, const char *relpath, const char *dir)
{
	char name[KT_BAG_NAME_MAX];
	char *file = NULL, *dest = NULL, *tmp = NULL, *inner = NULL;
	struct stat st;
	int rc = KT_OK;

	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	if (kt_bag_parse_relpath(relpath, name, NULL, NULL) != 0)
		return kt_error_set(&a->err, KT_FAILED, "'%s' is not a package path",
		                    relpath ? relpath : "");
	if (dir == NULL || dir[0] == '\0')
		return kt_error_set(&a->err, KT_FAILED, "no export folder given");
	if ((file = kt_path_join(a->root, relpath)) == NULL || (dest = kt_path_join(dir, name)) == NULL ||
	    (tmp = kt_path_join(dir, ".kt-export-XXXXXX")) == NULL) {
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		goto out;
	}
	errno = 0;
	if (kt_mkdirs(dir, 0755, NULL) != KT_OK) {
		rc = kt_error_set(&a->err, KT_FAILED, "cannot create folder '%s': %s", dir,
		                  strerror(errno));
		goto out;
	}
	if (lstat(dest, &st) == 0 || errno != ENOENT) {
		rc = kt_error_set(&a->err, KT_FAILED, "'%s' already exists", dest);
		goto out;
	}
	rc = prescan(a, file, name);
	if (rc != KT_OK)
		goto out;
	if (mkdtemp(tmp) == NULL) {
		rc = kt_error_set(&a->err, KT_FAILED, "cannot create a temporary folder in '%s': %s",
		                  dir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	rc = kt_tar_extract(file, tmp, name, &a->err);
	if (rc != KT_OK)
		goto out;
	if ((inner = kt_path_join(tmp, name)) == NULL) {
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		goto out;
	}
	if (lstat(inner, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = kt_error_set(&a->err, KT_FAILED, "'%s' holds no folder '%s'", file, name);
		goto out;
	}
	if (rename(inner, dest) != 0) {
		rc = kt_error_set(&a->err, KT_FAILED, "cannot move the bag to '%s': %s", dest,
		                  strerror(errno));
		goto out;
	}
	fsync_dir(dir, "export_dirsync");
out:
	if (tmp != NULL)
		kt_rmtree(tmp, NULL);
	free(file);
	free(dest);
	free(tmp);
	free(inner);
	return rc;
}

/* ---- sweep ---- */

static int is_shard(const char *s)
{
	const char *hex = "0123456789abcdef";
	return strlen(s) == 2 && strchr(hex, s[0]) && strchr(hex, s[1]);
}

static int is_temp(const char *s)
{
	return strncmp(s, ".kt-", 4) == 0 && strstr(s, TMP_INFIX) != NULL;
}

int kt_archive_sweep(kt_archive *a, long long min_age_seconds, int *n_removed)
{
	DIR *root, *d;
	struct dirent *de, *fe;
	time_t now = time(NULL);
	int n = 0, rc = KT_OK;

	if (n_removed != NULL)
		*n_removed = 0;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	root = opendir(a->root);
	if (root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "cannot read folder '%s': %s", a->root,
		                    strerror(errno));
	while ((de = readdir(root)) != NULL) {
		char *shard;
		int removed = 0;
		if (!is_shard(de->d_name) || (shard = kt_path_join(a->root, de->d_name)) == NULL)
			continue;
		d = opendir(shard);
		while (d != NULL && (fe = readdir(d)) != NULL) {
			struct stat st;
			char *f;
			if (!is_temp(fe->d_name) || (f = kt_path_join(shard, fe->d_name)) == NULL)
				continue;
			if (lstat(f, &st) == 0 && S_ISREG(st.st_mode) &&
			    (long long)(now - st.st_mtime) >= min_age_seconds) {
				if (unlink(f) == 0) {
					n++;
					removed = 1;
				} else {
					rc = kt_error_set(&a->err, KT_FAILED, "cannot remove '%s': %s", f,
					                  strerror(errno));
				}
			}
			free(f);
		}
		if (d != NULL)
			closedir(d);
		if (removed)
			fsync_dir(shard, "sweep_dirsync");
		free(shard);
	}
	closedir(root);
	if (n_removed != NULL)
		*n_removed = n;
	return rc;
}
