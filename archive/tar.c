/*
 * tar.c - every libarchive call of kt_archive: a deterministic POSIX tar
 * writer (pax restricted: plain ustar headers, a pax extended header only
 * when a name does not fit), a streaming reader that hands out entries and
 * their bytes, and a secure extraction to disk.
 */
#include "archive_private.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KT_TAR_BLOCK 65536

/* ---- writer ---- */

struct kt_tar_writer {
	struct archive *a;
	struct archive_entry *e;
	kt_tar_write_fn fn;
	void *ctx;
	long long mtime;
	int io_errno;  /* first output error, 0 for none */
};

/*
 * The output errors are kept from libarchive: a failed write callback puts
 * libarchive 3.6.2 in its FATAL state, after which archive_write_free skips
 * the close that frees its output buffer (a 10 KiB leak, fixed upstream in
 * 2025, libarchive PRs #2664 and #2729). So the callback records the first error,
 * swallows the rest of the bytes, and every call below checks io_errno.
 */
static la_ssize_t write_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	kt_tar_writer *w = ctx;

	(void)a;
	if (w->io_errno == 0 && w->fn(w->ctx, buf, len) != 0)
		w->io_errno = errno ? errno : EIO;
	return (la_ssize_t)len;
}

static const char *arch_msg(struct archive *a)
{
	const char *m = archive_error_string(a);
	return m ? m : "unknown libarchive error";
}

kt_tar_writer *kt_tar_writer_new(kt_tar_write_fn fn, void *ctx, long long mtime, kt_error *err)
{
	kt_tar_writer *w = calloc(1, sizeof *w);

	if (w == NULL) {
		kt_error_set(err, KT_FATAL, "out of memory");
		return NULL;
	}
	w->fn = fn;
	w->ctx = ctx;
	w->mtime = mtime;
	w->a = archive_write_new();
	w->e = archive_entry_new();
	if (w->a == NULL || w->e == NULL) {
		kt_error_set(err, KT_FATAL, "out of memory");
		kt_tar_writer_free(&w);
		return NULL;
	}
	if (archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(w->a) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, write_cb, NULL, NULL) != ARCHIVE_OK) {
		kt_error_set(err, KT_FAILED, "cannot start the tar: %s", arch_msg(w->a));
		kt_tar_writer_free(&w);
		return NULL;
	}
	return w;
}

/* KT_FAILED with the message if the output failed, else KT_OK. */
static int output_failed(kt_tar_writer *w, const char *path, kt_error *err)
{
	if (w->io_errno == 0)
		return KT_OK;
	if (path == NULL)
		return kt_error_set(err, KT_FAILED, "cannot write the tar: %s", strerror(w->io_errno));
	return kt_error_set(err, KT_FAILED, "cannot write '%s' to the tar: %s", path,
	                    strerror(w->io_errno));
}

int kt_tar_writer_add(kt_tar_writer *w, const char *path, int is_dir, const void *data,
                      size_t len, kt_error *err)
{
	const char *p = data;
	size_t done = 0;

	if (w->io_errno != 0)
		return output_failed(w, path, err);
	archive_entry_clear(w->e);
	archive_entry_set_pathname(w->e, path);
	archive_entry_set_filetype(w->e, is_dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(w->e, is_dir ? 0555 : 0444);
	archive_entry_set_size(w->e, is_dir ? 0 : (la_int64_t)len);
	archive_entry_set_mtime(w->e, (time_t)w->mtime, 0);
	archive_entry_set_uid(w->e, 0);
	archive_entry_set_gid(w->e, 0);
	if (archive_write_header(w->a, w->e) != ARCHIVE_OK)
		return kt_error_set(err, KT_FAILED, "cannot write the tar header of '%s': %s",
		                    path, arch_msg(w->a));
	while (!is_dir && done < len && w->io_errno == 0) {
		la_ssize_t n = archive_write_data(w->a, p + done, len - done);
		if (n <= 0)
			return kt_error_set(err, KT_FAILED, "cannot write '%s' to the tar: %s", path,
			                    arch_msg(w->a));
		done += (size_t)n;
	}
	if (archive_write_finish_entry(w->a) != ARCHIVE_OK)
		return kt_error_set(err, KT_FAILED, "cannot write '%s' to the tar: %s", path,
		                    arch_msg(w->a));
	return output_failed(w, path, err);
}

int kt_tar_writer_finish(kt_tar_writer *w, kt_error *err)
{
	if (archive_write_close(w->a) != ARCHIVE_OK)
		return kt_error_set(err, KT_FAILED, "cannot finish the tar: %s", arch_msg(w->a));
	return output_failed(w, NULL, err);
}

void kt_tar_writer_free(kt_tar_writer **w)
{
	if (w == NULL || *w == NULL)
		return;
	if ((*w)->a != NULL)
		archive_write_free((*w)->a);
	if ((*w)->e != NULL)
		archive_entry_free((*w)->e);
	free(*w);
	*w = NULL;
}

/* ---- reader ---- */

struct kt_tar_reader {
	struct archive *a;
	char *file;
	char *buf;
	int done;
};

kt_tar_reader *kt_tar_reader_open(const char *file, kt_error *err)
{
	kt_tar_reader *r = calloc(1, sizeof *r);

	if (r == NULL || (r->file = strdup(file)) == NULL ||
	    (r->buf = malloc(KT_TAR_BLOCK)) == NULL || (r->a = archive_read_new()) == NULL) {
		kt_error_set(err, KT_FATAL, "out of memory");
		kt_tar_reader_free(&r);
		return NULL;
	}
	/* Only uncompressed tar: anything else is not one of our packages. */
	if (archive_read_support_format_tar(r->a) != ARCHIVE_OK ||
	    archive_read_open_filename(r->a, file, 10240) != ARCHIVE_OK) {
		kt_error_set(err, KT_FAILED, "cannot read '%s': %s", file, arch_msg(r->a));
		kt_tar_reader_free(&r);
		return NULL;
	}
	return r;
}

static enum kt_tar_type entry_type(struct archive_entry *e)
{
	if (archive_entry_hardlink(e) != NULL)
		return KT_TAR_HARDLINK;
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: return KT_TAR_FILE;
	case AE_IFDIR: return KT_TAR_DIR;
	case AE_IFLNK: return KT_TAR_SYMLINK;
	default: return KT_TAR_OTHER;
	}
}

static const char *entry_path(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);

	if (p == NULL)
		p = archive_entry_pathname_utf8(e);
	return p ? p : "";
}

int kt_tar_reader_next(kt_tar_reader *r, kt_tar_entry *out, kt_error *err)
{
	struct archive_entry *e;
	int rc;

	if (r->done)
		return 0;
	rc = archive_read_next_header(r->a, &e);
	if (rc == ARCHIVE_EOF) {
		r->done = 1;
		return 0;
	}
	if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		r->done = 1;
		return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", r->file, arch_msg(r->a));
	}
	out->path = entry_path(e);
	out->type = entry_type(e);
	out->size = archive_entry_size_is_set(e) ? (long long)archive_entry_size(e) : 0;
	return 1;
}

ptrdiff_t kt_tar_reader_read(kt_tar_reader *r, const void **buf, kt_error *err)
{
	la_ssize_t n = archive_read_data(r->a, r->buf, KT_TAR_BLOCK);

	if (n < 0) {
		r->done = 1;
		return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", r->file, arch_msg(r->a));
	}
	*buf = r->buf;
	return (ptrdiff_t)n;
}

void kt_tar_reader_free(kt_tar_reader **r)
{
	if (r == NULL || *r == NULL)
		return;
	if ((*r)->a != NULL)
		archive_read_free((*r)->a);
	free((*r)->file);
	free((*r)->buf);
	free(*r);
	*r = NULL;
}

/* ---- extraction ---- */

static int copy_data(struct archive *in, struct archive *out, const char **msg)
{
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;
		int r = archive_read_data_block(in, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) {
			*msg = arch_msg(in);
			return -1;
		}
		if (archive_write_data_block(out, buf, size, off) < 0) {
			*msg = arch_msg(out);
			return -1;
		}
	}
}

int kt_tar_extract(const char *file, const char *dest_dir, const char *prefix, kt_error *err)
{
	struct archive *in = archive_read_new();
	struct archive *out = archive_write_disk_new();
	struct archive_entry *e;
	const char *why = NULL;
	int cwd = -1, rc = KT_OK, r;

	if (in == NULL || out == NULL) {
		rc = kt_error_set(err, KT_FATAL, "out of memory");
		goto done;
	}
	archive_read_support_format_tar(in);
	if (archive_read_open_filename(in, file, 10240) != ARCHIVE_OK) {
		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': %s", file, arch_msg(in));
		goto done;
	}
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	                                    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
	                                    ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	                                    ARCHIVE_EXTRACT_NO_OVERWRITE | ARCHIVE_EXTRACT_TIME);
	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0) {
		rc = kt_error_set(err, KT_FAILED, "cannot open the working folder: %s",
		                  strerror(errno));
		goto done;
	}
	if (chdir(dest_dir) != 0) {
		rc = kt_error_set(err, KT_FAILED, "cannot enter '%s': %s", dest_dir, strerror(errno));
		close(cwd);
		cwd = -1;
		goto done;
	}
	while ((r = archive_read_next_header(in, &e)) != ARCHIVE_EOF) {
		const char *path;
		enum kt_tar_type type;

		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = kt_error_set(err, KT_FAILED, "cannot read '%s': %s", file, arch_msg(in));
			break;
		}
		path = entry_path(e);
		type = entry_type(e);
		if (type != KT_TAR_FILE && type != KT_TAR_DIR) {
			rc = kt_error_set(err, KT_FAILED, "refusing entry '%s' of '%s': not a file or folder",
			                  path, file);
			break;
		}
		if (kt_bag_check_under(path, prefix, &why) != 0) {
			rc = kt_error_set(err, KT_FAILED, "refusing entry '%s' of '%s': %s", path, file, why);
			break;
		}
		archive_entry_set_perm(e, type == KT_TAR_DIR ? 0755 : 0644);
		r = archive_write_header(out, e);
		if (r < ARCHIVE_WARN) {
			rc = kt_error_set(err, KT_FAILED, "cannot extract '%s': %s", path, arch_msg(out));
			break;
		}
		if (type == KT_TAR_FILE && copy_data(in, out, &why) != 0) {
			rc = kt_error_set(err, KT_FAILED, "cannot extract '%s': %s", path, why);
			break;
		}
		if (archive_write_finish_entry(out) < ARCHIVE_WARN) {
			rc = kt_error_set(err, KT_FAILED, "cannot extract '%s': %s", path, arch_msg(out));
			break;
		}
	}
	/* Folder times and modes are fixed up on close: still inside dest_dir. */
	if (archive_write_close(out) < ARCHIVE_WARN && rc == KT_OK)
		rc = kt_error_set(err, KT_FAILED, "cannot finish extracting '%s': %s", file,
		                  arch_msg(out));
done:
	if (cwd >= 0) {
		if (fchdir(cwd) != 0 && rc == KT_OK)
			rc = kt_error_set(err, KT_FATAL, "cannot return to the working folder: %s",
			                  strerror(errno));
		close(cwd);
	}
	if (in != NULL)
		archive_read_free(in);
	if (out != NULL)
		archive_write_free(out);
	return rc;
}
