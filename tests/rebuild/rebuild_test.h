/*
 * rebuild_test.h - private header of test_rebuild (tests/rebuild/): the
 * helpers of test_rebuild.c and the groups, one file per area (test_rebuild.c:
 * flip and sample; rebuild_export.c: export and bag; rebuild_rebuild.c:
 * rebuild).
 */
#ifndef KT_REBUILD_TEST_H
#define KT_REBUILD_TEST_H

#include "e2e.h"
#include "kt_test.h"

#include <stddef.h>

/* A regular file of a package tar (tar_files). */
typedef struct tar_file {
	char path[512];     /* full tar path */
	size_t data_off;    /* offset of the content in the tar */
	size_t size;
} tar_file;

/* ---- test_rebuild.c ---- */

/* A copy of the fixture store in WORK/store, its path in copy. */
void copy_store(char *copy, size_t size);
/* The document of docs whose source ends with file; fails the test when none. */
json_t *doc_of(json_t *docs, const char *file);
/* The regular files of a ustar/pax tar, in order, at most max; their number. */
int tar_files(const unsigned char *tar, size_t len, tar_file *out, int max);
/* The groups, run as `test_rebuild ... GROUP`. */
void test_flip(void **state);
void test_sample(void **state);

/* ---- rebuild_export.c ---- */

void test_export(void **state);
void test_bag(void **state);

/* ---- rebuild_rebuild.c ---- */

void test_rebuild(void **state);

#endif
