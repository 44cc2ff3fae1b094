/*
 * zip.c - a ZIP file of whole files held in memory (kt_archive_zip_write),
 * for the dossier of a case (`kartoteka dossier --zip`): the originals, a
 * manifest and the case record. libarchive writes it; the names are UTF-8
 * (the ZIP's language encoding flag is set, so Windows and macOS show the
 * letters), the entries Deflate-compressed, every entry with the one time
 * given, mode 0644.
 *
 * As tar.c does, the write callback records the first output error and
 * swallows the rest of the bytes (libarchive 3.6.2 leaks its output buffer
 * after a failed callback), and every call checks it.
 */
#include "archive_private.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

typedef struct zip_out {
	int fd;
	int io_errno;  /* first output error, 0 for none */
} zip_out;

static la_ssize_t zip_write_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	zip_out *o = ctx;
	const char *p = buf;
	size_t done = 0;

	(void)a;
	while (o->io_errno == 0 && done < len) {
		ssize_t k = write(o->fd, p + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			o->io_errno = k < 0 ? errno : EIO;
		else
			done += (size_t)k;
	}
	return (la_ssize_t)len;
}

/* The message of a failed step: the output error, else libarchive's. */
static int zip_fail(kt_archive *a, struct archive *z, const zip_out *o, const char *what)
{
	const char *m = archive_error_string(z);

	if (o->io_errno != 0)
		return kt_error_set(&a->err, KT_FAILED, "zip: cannot write %s: %s", what,
				    strerror(o->io_errno));
	return kt_error_set(&a->err, KT_FAILED, "zip: cannot write %s: %s", what,
			    m ? m : "unknown libarchive error");
}

/* One entry: header, bytes, end. KT_OK or KT_FAILED (message on a). */
static int zip_entry(kt_archive *a, struct archive *z, struct archive_entry *e, const zip_out *o,
		     const kt_zip_entry *in, long long mtime)
{
	const char *p = in->data;
	size_t done = 0;

	archive_entry_clear(e);
	archive_entry_set_pathname_utf8(e, in->name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)in->len);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	if (archive_write_header(z, e) != ARCHIVE_OK || o->io_errno != 0)
		return zip_fail(a, z, o, in->name);
	while (done < in->len) {
		la_ssize_t k = archive_write_data(z, p + done, in->len - done);

		if (k <= 0 || o->io_errno != 0)
			return zip_fail(a, z, o, in->name);
		done += (size_t)k;
	}
	if (archive_write_finish_entry(z) != ARCHIVE_OK || o->io_errno != 0)
		return zip_fail(a, z, o, in->name);
	return KT_OK;
}

int kt_archive_zip_write(kt_archive *a, int fd, const kt_zip_entry *entries, size_t n,
			 long long mtime)
{
	zip_out o = { fd, 0 };
	struct archive *z;
	struct archive_entry *e;
	size_t i;
	int rc = KT_OK;

	for (i = 0; i < n; i++) {
		size_t len = entries[i].name ? strlen(entries[i].name) : 0;
		const char *why = "empty";

		if (len == 0 || kt_bag_check_entry_path(entries[i].name, len, &why) != 0 ||
		    !kt_utf8_valid(entries[i].name, len))
			return kt_error_set(&a->err, KT_FAILED, "zip: refusing entry %zu's name: %s", i + 1,
					    len && kt_utf8_valid(entries[i].name, len) ? why : "not UTF-8");
		if (entries[i].data == NULL && entries[i].len > 0)
			return kt_error_set(&a->err, KT_FAILED, "zip: entry '%s' has no bytes",
					    entries[i].name);
	}
	z = archive_write_new();
	e = archive_entry_new();
	if (z == NULL || e == NULL) {
		archive_write_free(z);
		archive_entry_free(e);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	if (archive_write_set_format_zip(z) != ARCHIVE_OK ||
	    archive_write_set_options(z, "zip:hdrcharset=UTF-8,zip:compression=deflate") != ARCHIVE_OK ||
	    archive_write_open2(z, &o, NULL, zip_write_cb, NULL, NULL) != ARCHIVE_OK)
		rc = zip_fail(a, z, &o, "the header");
	for (i = 0; rc == KT_OK && i < n; i++)
		rc = zip_entry(a, z, e, &o, &entries[i], mtime);
	if (rc == KT_OK && (archive_write_close(z) != ARCHIVE_OK || o.io_errno != 0))
		rc = zip_fail(a, z, &o, "the central directory");
	archive_entry_free(e);
	archive_write_free(z);
	return rc;
}
