/*
 * kt_test.h - the helper library of the cmocka test programs (tests/common/,
 * target kt_testlib): the main of every program (case selection, --list,
 * --check-list), temporary folders, whole files, substring checks.
 *
 * Each program keeps one case table, one case per line, in the form the
 * CMake function kt_add_cmocka_tests (KtTests.cmake) reads to make one CTest
 * entry per case:
 *
 *     static const kt_test_case cases[] = {
 *             KT_TEST(open_errors),                      runs test_open_errors
 *             KT_TEST_FX(csv_quoting, setup, teardown),  runs test_csv_quoting
 *     };
 *
 * so a case that is in the table always has its CTest entry, and a mistyped
 * case name fails (exit 2) instead of running nothing.
 */
#ifndef KT_TEST_H
#define KT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* KT_UNDER_ASAN: defined when this file is built with AddressSanitizer (gcc
 * or clang), whose shadow memory changes what memory bounds a test may set. */
#if defined(__SANITIZE_ADDRESS__)
#define KT_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KT_UNDER_ASAN 1
#endif
#endif

/* One test case: its name (the command-line argument and the end of its
 * CTest name), its function and its per-case fixture (either may be NULL). */
typedef struct kt_test_case {
	const char *name;
	CMUnitTestFunction fn;
	CMFixtureFunction setup;
	CMFixtureFunction teardown;
} kt_test_case;

/* A case NAME whose function is test_NAME, without and with a fixture. */
#define KT_TEST(name) { #name, test_##name, NULL, NULL }
#define KT_TEST_FX(name, setup, teardown) { #name, test_##name, setup, teardown }

/* The number of entries of a case table (an array, not a pointer). */
#define KT_N_CASES(table) (sizeof(table) / sizeof((table)[0]))

/* A test program: its cases and the arguments it takes before the case name. */
typedef struct kt_test_program {
	const char *name;            /* in messages and as cmocka's group name */
	const kt_test_case *cases;   /* the case table */
	size_t n_cases;              /* KT_N_CASES(table) */
	const char *args;            /* usage of the arguments before CASE, e.g.
	                                "KARTOTEKA STORE WORK"; NULL when none */
	int n_args;                  /* how many arguments come before CASE */
	int case_required;           /* 1: exactly one case must be named (a group
	                                program whose cases share a fixture store) */
	void (*init)(char **args);   /* when not NULL, called with the n_args
	                                arguments before the selected cases run */
} kt_test_program;

/*
 * The main of a test program. The command line is one of
 *   PROG ARGS... [CASE]     run CASE, or every case when none is named
 *                           (unless case_required); an unknown CASE prints
 *                           "no test case 'CASE'" and returns 2
 *   PROG --list             print every case name, one per line; returns 0
 *   PROG --check-list NAME...  returns 0 when the names are exactly the
 *                           cases, else 1 with each difference on stderr
 * Returns the exit status: cmocka's (the number of failed cases), or 2 on a
 * usage error.
 */
int kt_test_main(const kt_test_program *p, int argc, char **argv);

/*
 * Make a fresh temporary folder "$TMPDIR/kt-TAG-XXXXXX" (/tmp without TMPDIR)
 * with mkdtemp, its path written to buf. Returns 0, or -1 (errno set) when it
 * does not fit or cannot be made.
 */
int kt_test_mkdtemp(char *buf, size_t size, const char *tag);

/* Remove a file or a whole folder tree, making read-only folders writable
 * first; a missing path is no error. Symbolic links are removed, not followed. */
void kt_test_remove_tree(const char *path);

/*
 * Read a whole file into a malloc'd buffer with a NUL after its last byte;
 * *len (when len is not NULL) gets its size, 0 on failure. NULL when the file
 * cannot be read.
 */
unsigned char *kt_test_read_file(const char *path, size_t *len);

/* Write len bytes to path, replacing it (made writable first); a failure
 * fails the running test case. */
void kt_test_write_file(const char *path, const void *data, size_t len);

/* Fail the running test case unless needle is in hay (expect_in), or when it
 * is (expect_not_in); the message quotes both. */
void kt_expect_in(const char *hay, const char *needle);
void kt_expect_not_in(const char *hay, const char *needle);

#endif
