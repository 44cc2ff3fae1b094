/*
 * archive_test.h - private header of test_archive (tests/archive/): the
 * fixture, the shared helpers (archive_test.c), the tar surgery and the
 * independent bag validator (archive_bytes.c), and the test cases, one file
 * per area (archive_verify_cases.c, archive_write_cases.c,
 * archive_export_cases.c); the case table is in test_archive.c.
 */
#ifndef KT_ARCHIVE_TEST_H
#define KT_ARCHIVE_TEST_H

#include "kt_test.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive_private.h"
#include "kt_archive.h"
#include "kt_fault.h"
#include "kt_sha.h"

#define FIXED_TIME 1700000000LL /* 2023-11-14 */
#define SHA "ab12cd34ef56ab78cd90ef12ab34cd56ef78ab90cd12ef34ab56cd78ef90ab12"
#define NAME "kt-00000042-ab12cd34ef56ab78-v1"
#define RELPATH "ab/" NAME ".tar"

/* ---- fixture ---- */

typedef struct fx {
	char dir[256];    /* the mkdtemp folder */
	char store[300];
	kt_archive *a;
} fx;

/* Problems collected from kt_archive_verify. */
typedef struct probs {
	int n;
	char file[256][256];
	char text[256][512];
} probs;

/* ---- a minimal tar walker for byte surgery (ustar + pax 'x' path) ---- */

typedef struct tent {
	char name[600];
	char type;
	size_t hdr;   /* offset of the header block */
	size_t off;   /* offset of the data */
	size_t size;
} tent;

/* ---- rebuilding a package tar through libarchive ---- */

enum edit_op { EDIT_DROP, EDIT_REPLACE, EDIT_ADD, EDIT_ADD_RAW };

typedef struct edit {
	enum edit_op op;
	const char *rel;    /* bag-relative (EDIT_ADD_RAW: the full tar path) */
	const char *data;
	size_t len;         /* 0: strlen(data) */
} edit;

/* ---- an independent RFC 8493 validator for a bag folder ---- */

typedef struct dfile {
	char path[1200];
	size_t size;
	int listed[2];
} dfile;

/* ---- fixture and shared helpers (test_archive.c) ---- */

/* The sample package: two text pages, a metadata file and a scan (make_pkg). */
extern const char page1[];
extern const char page2[];
extern const char meta[];
extern const unsigned char scan[12];
extern kt_archive_file files4[4];
/* The sample package (document 42, version 1), its files in files4. */
kt_archive_package make_pkg(void);
/* STORE/rel, in a static buffer. */
char *path_in(const fx *f, const char *rel);
/* kt_archive_write that must succeed (its message printed when not). */
void write_ok(fx *f, const kt_archive_package *p, char **rel);
/* kt_archive_verify callback: adds a problem to the probs at ctx. */
void collect(void *ctx, const char *package, const char *file, const char *problem);
/* 1 when p holds a problem for file (any file if NULL) containing substr (any if NULL). */
int has_problem(const probs *p, const char *file, const char *substr);
/* Print every problem of p to stderr. */
void dump(const probs *p);
/* kt_archive_verify of rel, its problems collected in p (their count checked); its status. */
int verify(fx *f, const char *rel, probs *p);
/* Verify rel and fail the test on any problem. */
void verify_clean(fx *f, const char *rel);
/* The number of entries of dir whose name starts with prefix. */
int count_temps(const char *dir, const char *prefix);

/* ---- tar surgery, rebuilding, the bag validator (archive_bytes.c) ---- */

/* A tar header's octal number field. */
size_t octal(const unsigned char *p, size_t n);
/* The entries of a tar buffer (pax path names applied), at most max; their number. */
int tar_walk(const unsigned char *buf, size_t len, tent *out, int max);
/* Bytes of entry <package name>/<rel> inside a tar buffer; NULL if absent. */
const unsigned char *tar_get(const unsigned char *buf, size_t len, const char *rel, size_t *size);
/* Rewrite the package tar file with the edits applied, through libarchive. */
void rebuild(const char *file, const edit *ed, int ned);
/* The hex digest of d with algorithm alg. */
void hex_of(enum kt_sha_algo alg, const void *d, size_t n, char *hex);
/* Rebuild with the given tag-file replacements and fresh, correct tag
 * manifests, so that only the semantic checks can catch the change. */
void rebuild_retagged(fx *f, const edit *ed, int ned);
/* Validate a bag folder against RFC 8493; the number of problems, each printed. */
int validate_bag(const char *bag);

/* ---- the test cases ---- */

/* archive_verify_cases.c: write, verify, flips, damaged and mutant bags */
/* The cases, run as `test_archive CASE` (the table in test_archive.c). */
void test_write_verify_clean(void **state);
void test_flip_each_file(void **state);
void test_named_messages_on_flips(void **state);
void test_damaged_header_unreadable(void **state);
void test_delete_payload_entry(void **state);
void test_extra_payload_entry(void **state);
void test_duplicate_and_stray_entries(void **state);
void test_truncated_tar(void **state);
void test_wrong_payload_oxum(void **state);
void test_mutant_bags(void **state);

/* archive_write_cases.c: rewrites, determinism, crashes, names, reading */
void test_rewrite_is_noop(void **state);
void test_deterministic_bytes(void **state);
void test_crash_leaves_temp_only(void **state);
void test_crash_at_every_step(void **state);
void test_fail_at_every_step(void **state);
void test_durable_order(void **state);
void test_hostile_source_names(void **state);
void test_refuse_bad_payload_paths(void **state);
void test_read_file_checks(void **state);
void test_verify_bad_relpaths(void **state);

/* archive_export_cases.c: export, malicious tars, long paths, handles */
void test_export_bag_validates(void **state);
void test_export_refuses_malicious(void **state);
void test_secure_flags_without_prescan(void **state);
void test_long_paths_use_pax(void **state);
void test_handle_edge_cases(void **state);

#endif
