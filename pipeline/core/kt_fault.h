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

#ifdef __cplusplus
}
#endif

#endif
