/*
 * kt_file.h - file and folder helpers every module shares: read a whole file
 * with a size cap, make a folder path, remove a tree without following
 * links, write a file atomically. Messages (on the caller's kt_error) name
 * the path and the reason.
 */
#ifndef KT_FILE_H
#define KT_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * kt_file_read: read the regular file at path whole.
 *   max    refuse a file larger than this many bytes (0: no cap)
 *   data   receives the bytes plus a terminating NUL (not counted in *len);
 *          caller frees with free()
 * Returns KT_OK, or KT_FAILED with "cannot open 'PATH': REASON", "cannot
 * read 'PATH': not a regular file", "refusing 'PATH': N bytes is above the
 * cap of M" and the like in err (which may be NULL); *data is NULL then.
 */
int kt_file_read(const char *path, long long max, char **data, size_t *len, kt_error *err);

/*
 * kt_mkdirs: make the folder path and any missing parent (mkdir -p) with the
 * given mode. An existing folder is fine; an existing non-folder is not.
 * Returns KT_OK or KT_FAILED (message in err, which may be NULL; errno set).
 */
int kt_mkdirs(const char *path, mode_t mode, kt_error *err);

/*
 * kt_file_shred: overwrite the regular file path with zeros, sync it and
 * unlink it (erasure, docs/lifecycle.md); a symbolic link is not followed.
 * Returns 0 (also when path does not exist) or an errno.
 */
int kt_file_shred(const char *path);

/*
 * kt_rmtree: remove a file or a folder tree (rm -r); symbolic links are
 * removed, never followed, and read-only folders are made writable first.
 * A path that does not exist is fine. Returns KT_OK, or KT_FAILED when
 * something could not be removed (message in err, which may be NULL; the
 * rest is still removed).
 */
int kt_rmtree(const char *path, kt_error *err);

/*
 * kt_file_write_atomic: replace path with data[0..len) so that a crash
 * leaves the old file or the new one, never a mix: a temporary file beside
 * it, written, fsync'd, renamed over path, then the folder fsync'd.
 * mode is the new file's mode. Returns KT_OK or KT_FAILED (message in err,
 * which may be NULL).
 */
int kt_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 kt_error *err);

/*
 * kt_file_uri: the "file:" URI of a path (RFC 8089, as SQLite's URI file
 * names take it): each byte other than A-Z a-z 0-9 / . _ - ~ percent-encoded,
 * then "?" and query when query is not NULL. A new string, caller frees;
 * NULL when out of memory.
 */
char *kt_file_uri(const char *path, const char *query);

#ifdef __cplusplus
}
#endif

#endif
