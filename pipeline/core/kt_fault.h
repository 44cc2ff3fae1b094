/*
 * kt_fault.h - the one fault-injection point of kartoteka (as SQLite's
 * sqlite3FaultSim): library code asks kt_fault("site") before an operation
 * that can fail in the field (a write, an allocation that matters), and a
 * test installs a hook that makes chosen sites fail. Without a hook every
 * call returns 0 at the cost of one load.
 *
 * Sites are short static names: "file_read", "write_atomic",
 * "archive_write" (a package about to be written), ...
 */
#ifndef KT_FAULT_H
#define KT_FAULT_H

#ifdef __cplusplus
extern "C" {
#endif

/* A hook: returns non-zero to make the operation at `site` fail. */
typedef int (*kt_fault_hook)(const char *site, void *arg);

/* kt_fault_install: install hook (NULL removes it); arg is passed through.
 * Not thread-safe: install before the threads that call kt_fault start. */
void kt_fault_install(kt_fault_hook hook, void *arg);

/* kt_fault: non-zero when the installed hook says the operation at site
 * fails (the caller then fails as it would in the field), else 0. */
int kt_fault(const char *site);

/*
 * kt_fault_install_from_env: the command line's way in for tests that run
 * the kartoteka program: KT_FAULT="SITE:N" lets the first N operations at
 * SITE pass and fails every one after. Returns KT_OK, or KT_FAILED when
 * KT_FAULT is set but not of that form (nothing installed). Only main()
 * calls this.
 */
int kt_fault_install_from_env(void);

/*
 * Durable steps. Code that makes data durable (kt_file_write_atomic, the
 * package write of archive/store.c) reports each step it has done, so that
 * a test can check their order: the data written to a temporary file, the
 * file synced, put in place, its folder synced. Steps are short static
 * names:
 *   kt_file_write_atomic  "atomic_tmp" (temporary file made), "atomic_data"
 *                         (all bytes written), "atomic_fsync", "atomic_rename",
 *                         "atomic_dirsync" (the folder synced)
 *   kt_archive_write      "archive_mkdir" and "archive_rootsync" (a new shard
 *                         folder, synced into the archive folder),
 *                         "archive_tmp", "archive_data", "archive_fsync",
 *                         "archive_link" (or "archive_rename" where links
 *                         are not available), "archive_unlink" (the
 *                         temporary name removed), "archive_dirsync"
 *   kt_archive_export_bag "export_dirsync" (the bag folder moved in place)
 *   kt_archive_sweep      "sweep_dirsync" (temporary files removed)
 * Without an observer a report costs one pointer check.
 */

/* An observer: told each durable step done, in order. */
typedef void (*kt_fault_observer)(const char *step, void *arg);

/* kt_fault_set_observer: install fn (NULL removes it); arg is passed
 * through. Not thread-safe, as kt_fault_install. */
void kt_fault_set_observer(kt_fault_observer fn, void *arg);

/* kt_fault_done: report that the durable step `step` returned rc (a system
 * call's 0 or -1): the observer is told when rc is 0. Returns rc, errno as
 * it was, so that the report wraps the call it reports:
 *     if (kt_fault_done("archive_fsync", fsync(fd)) != 0) ... */
int kt_fault_done(const char *step, int rc);

/*
 * kt_fault_trace_begin / kt_fault_trace_end: the observer of tests. Begin
 * installs it (replacing any observer) with an empty trace; end removes it
 * and gives the steps reported meanwhile as one string "step step ..."
 * (space-separated, in order; "" when none) in *out, caller frees with
 * free(); *out is NULL when memory ran out. Returns KT_OK or KT_FATAL (out
 * of memory).
 */
void kt_fault_trace_begin(void);
int kt_fault_trace_end(char **out);

#ifdef __cplusplus
}
#endif

#endif
