/* e2e.h - helpers of the end-to-end tests: run kartoteka, read JSON, compare text. */
#ifndef KT_E2E_H
#define KT_E2E_H

#include <jansson.h>
#include <stddef.h>

/* Paths given on the command line of each test program. */
typedef struct e2e_env {
	const char *kartoteka;   /* the binary */
	const char *samples;     /* the samples folder */
	const char *store;       /* the shared store the fixture ingested into */
	const char *work;        /* a scratch folder for this test */
} e2e_env;

extern e2e_env E2E;

/* Output of one run of kartoteka. */
typedef struct e2e_out {
	int status;   /* exit status, or -1 when it did not exit normally */
	char *out;    /* stdout, NUL-terminated, malloc'd */
	char *err;    /* stderr, NUL-terminated, malloc'd */
} e2e_out;

/* Run kartoteka --store STORE ARGS... (NULL-terminated); no shell involved. */
e2e_out e2e_run(const char *store, ...);
void e2e_out_free(e2e_out *o);

/* `kartoteka --store STORE docs --json` as an array (new reference); fails
 * the running test case unless it exits 0 with JSON lines. */
json_t *e2e_docs_json(const char *store);

/* Parse JSON lines into an array (new reference). */
json_t *e2e_json_lines(const char *text);

/* Truth files of the samples: an array of objects (new reference), in file
 * name order; e2e_truths_in those of SAMPLES/SUB ("truth/hard"). */
json_t *e2e_truths(void);
json_t *e2e_truths_in(const char *sub);

/* The document object whose source ends with file name, from an array. */
json_t *e2e_find_doc(json_t *docs, const char *file);

/* Character error rate of ocr against truth: Levenshtein distance over code
 * points, white space runs folded to one space, divided by truth's length. */
double e2e_cer(const char *truth, const char *ocr);

/* Copy a folder tree (cp -a) to a new path, again from nothing when a file
 * vanished under cp (a store other tests read); 0 on success. */
int e2e_copy_tree(const char *from, const char *to);

/* kt_test_program init functions: the arguments "KARTOTEKA SAMPLES STORE
 * WORK" (e2e_init_store) or "KARTOTEKA SAMPLES WORK" (e2e_init_work, no
 * shared store) into E2E. */
void e2e_init_store(char **args);
void e2e_init_work(char **args);

/* The sample SAMPLES/REL with the bytes of extra after it (a file of other
 * bytes for each extra): malloc'd, *len its size; fails the running case
 * when it cannot be read. */
unsigned char *e2e_sample(const char *rel, const char *extra, size_t *len);

/* e2e_sample(rel, extra) written as DIR/AS. */
void e2e_copy_sample(const char *rel, const char *dir, const char *as, const char *extra);

/* A fresh store path and an empty input folder for one case: store
 * WORK/TAG-store (removed), in WORK/TAG-in (made empty); fails the running
 * case when the folder cannot be made. */
void e2e_fresh(const char *tag, char *store, size_t store_size, char *in, size_t in_size);

/* The document of file from `docs --json` of store (new reference), whose
 * status must be status ("done", "failed"): fails the running case when it
 * is absent or has another status (naming its error). */
json_t *e2e_doc_of(const char *store, const char *file, const char *status);

/* One payload file of a package, data/NAME (a tar wildcard) of
 * STORE/archive/RELPATH: malloc'd, NUL-terminated, at most 1 MiB, *len its
 * size (len may be NULL); fails the running case when tar cannot run. */
char *e2e_package_file(const char *store, const char *relpath, const char *name, size_t *len);

/* The package record (data/metadata/document.json) of doc, a document object
 * with "package" (new reference); fails the running case when unreadable. */
json_t *e2e_package_record(const char *store, json_t *doc);

/* The SHA-256 (hex) of the package file STORE/archive/RELPATH into hex;
 * fails the running case when it cannot be read. */
void e2e_package_sha(const char *store, const char *relpath, char hex[65]);

#endif
