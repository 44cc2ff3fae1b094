/*
 * archive_private.h - internals of kt_archive shared by its files:
 *
 *   store.c   the handle, the store folder, the atomic write, export, sweep
 *   bag.c     building a bag (tag files, manifests) from a package
 *   verify.c  checking a package; reading one payload file back
 *   path.c    package names, path rules, safe names, percent-encoding
 *   tar.c     the libarchive calls of the package tar (writer, streaming
 *             reader, extraction)
 *   zip.c     the libarchive calls of the dossier's ZIP (kt_archive_zip_write)
 */
#ifndef KT_ARCHIVE_PRIVATE_H
#define KT_ARCHIVE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kt_archive.h"
#include "kt_buf.h"
#include "kt_text.h"
#include "kt_status.h"

/* Longest package name: "kt-" + 19 digits + "-" + 16 hex + "-v" + 10 digits. */
#define KT_BAG_NAME_MAX 64
/* Longest payload path accepted from callers (relative to data/). */
#define KT_BAG_PATH_MAX 512
/* Largest tag file read into memory by verify and read_file. */
#define KT_BAG_TAGFILE_MAX (16u << 20)

struct kt_archive {
	kt_error err;
	char *root;            /* the store folder, malloc'd; NULL before open */
	long long fixed_time;  /* 0: the clock */
};

/* Every I/O step of a package write asks the fault site "archive_io"
 * (kt_fault.h): tests fail or end the process at each step in turn. */

/* The growable buffer is the core's (kt_buf.h). */

/* ---- path.c ---- */

/* kt_bag_name: the package name into out[KT_BAG_NAME_MAX]; the sha256 must be
 * 64 lower-case hex (see kt_bag_check_sha256). Returns 0, or -1 if invalid. */
int kt_bag_name(long long doc_id, const char *sha256, int version, char *out);
/* kt_bag_check_sha256: 0 if s is 64 hex digits (either case), else -1. */
int kt_bag_check_sha256(const char *s);
/* kt_bag_parse_relpath: check relpath is "<xx>/<name>.tar" as made by
 * kt_archive_write and copy the name into name[KT_BAG_NAME_MAX]; optionally
 * return the doc id and the 16 hex digits of the name. 0, or -1. */
int kt_bag_parse_relpath(const char *relpath, char *name, long long *doc_id, char *sha16);
/* kt_bag_check_payload_path: 0 if a caller's payload path follows the rules
 * of kt_archive_file.path, else -1 with *why a static reason. */
int kt_bag_check_payload_path(const char *path, const char **why);
/* kt_bag_check_entry_path: 0 if a path read from a tar or a manifest is safe:
 * relative, no empty, "." or ".." component, no control character. The
 * length is given (it may hold NUL bytes). Else -1 with *why. */
int kt_bag_check_entry_path(const char *path, size_t len, const char **why);
/* kt_bag_check_under: 0 if a tar entry path is "prefix", "prefix/" or
 * "prefix/<safe path>" (a folder's trailing '/' allowed), else -1 with *why. */
int kt_bag_check_under(const char *path, const char *prefix, const char **why);
/* kt_bag_encode_path: percent-encode '%', CR and LF (RFC 8493 2.1.3).
 * Appends to b; 0 or -1. */
int kt_bag_encode_path(kt_buf *b, const char *path);
/* kt_bag_decode_path: decode %25, %0A, %0D (either case) of s[0..n) into a
 * malloc'd string; NULL when out of memory. */
char *kt_bag_decode_path(const char *s, size_t n);
/* kt_utf8_len: length of the valid UTF-8 sequence at s (n bytes left), or 0
 * (the core's decoder, kt_text.h). */
static inline size_t kt_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;

	return kt_utf8_decode((const char *)s, n, &cp);
}
/* kt_path_join: "a/b" malloc'd, NULL when out of memory. */
char *kt_path_join(const char *a, const char *b);

/* ---- bag.c ---- */

typedef struct kt_bag_entry {
	char *path;          /* full tar path "<name>/...", malloc'd; folders end in '/' */
	int is_dir;
	const void *data;    /* borrowed from the package or from the plan's tag files */
	size_t len;
} kt_bag_entry;

/* Everything to write, in order. */
typedef struct kt_bag_plan {
	char name[KT_BAG_NAME_MAX];
	char shard[3];
	kt_bag_entry *e;
	int n;
	int cap;
	kt_buf tag[6];       /* bagit, bag-info, manifests, tag manifests */
} kt_bag_plan;

/* The tag files, in the order they are written. */
extern const char *const kt_bag_tag_files[6];
enum { KT_TAG_BAGIT, KT_TAG_INFO, KT_TAG_MAN256, KT_TAG_MAN512, KT_TAG_TMAN256, KT_TAG_TMAN512 };
#define KT_BAGIT_TXT "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

/* kt_bag_plan_build: check the package and build the plan; the plan borrows
 * the payload bytes of p. On failure the message is set on err and the plan
 * is released. Release with kt_bag_plan_release. */
int kt_bag_plan_build(const kt_archive_package *p, long long when, kt_bag_plan *plan,
                      kt_error *err);
void kt_bag_plan_release(kt_bag_plan *plan);

/* ---- tar.c ---- */

/* Called with each block of tar bytes: returns 0, or -1 with errno set. */
typedef int (*kt_tar_write_fn)(void *ctx, const void *buf, size_t len);

typedef struct kt_tar_writer kt_tar_writer;
/* A pax (restricted) tar writer: entries get uid/gid 0, mtime `mtime`, mode
 * 0444 (files) or 0555 (folders). Free with kt_tar_writer_free. */
kt_tar_writer *kt_tar_writer_new(kt_tar_write_fn fn, void *ctx, long long mtime, kt_error *err);
int kt_tar_writer_add(kt_tar_writer *w, const char *path, int is_dir, const void *data,
                      size_t len, kt_error *err);
/* Write the end of the archive; KT_OK or KT_FAILED. */
int kt_tar_writer_finish(kt_tar_writer *w, kt_error *err);
void kt_tar_writer_free(kt_tar_writer **w);

enum kt_tar_type { KT_TAR_FILE, KT_TAR_DIR, KT_TAR_SYMLINK, KT_TAR_HARDLINK, KT_TAR_OTHER };

typedef struct kt_tar_entry {
	const char *path;      /* borrowed until the next call on the reader */
	enum kt_tar_type type;
	long long size;
} kt_tar_entry;

typedef struct kt_tar_reader kt_tar_reader;
/* Open a tar file for streaming; NULL with the message on err. */
kt_tar_reader *kt_tar_reader_open(const char *file, kt_error *err);
/* Next entry: 1 and *e filled, 0 at the end, KT_FAILED if unreadable. */
int kt_tar_reader_next(kt_tar_reader *r, kt_tar_entry *e, kt_error *err);
/* Data of the current entry: >0 bytes at *buf (borrowed until the next call),
 * 0 at its end, KT_FAILED if unreadable. */
ptrdiff_t kt_tar_reader_read(kt_tar_reader *r, const void **buf, kt_error *err);
void kt_tar_reader_free(kt_tar_reader **r);

/* Extract file into dest_dir (which must exist), refusing any entry that is not
 * a file or folder under "prefix/". Secure libarchive flags; chdir()s into
 * dest_dir while extracting. KT_OK or KT_FAILED. */
int kt_tar_extract(const char *file, const char *dest_dir, const char *prefix, kt_error *err);

#endif
