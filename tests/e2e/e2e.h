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

/* Truth files of the samples: an array of objects (new reference). */
json_t *e2e_truths(void);

/* The document object whose source ends with file name, from an array. */
json_t *e2e_find_doc(json_t *docs, const char *file);

/* Character error rate of ocr against truth: Levenshtein distance over code
 * points, white space runs folded to one space, divided by truth's length. */
double e2e_cer(const char *truth, const char *ocr);

/* Copy a folder tree (cp -a) to a new path; 0 on success. */
int e2e_copy_tree(const char *from, const char *to);

#endif
