/* record_private.h - what the files of pipeline/record/ share and nobody else sees. */
#ifndef KT_RECORD_PRIVATE_H
#define KT_RECORD_PRIVATE_H

#include "kt_record.h"

/* The metadata's "signatures" (record_json_sign.c): the array as
 * kt_doc_meta_to_json writes it (new reference; NULL when out of memory),
 * and read back from v into m (path names the key in messages; KT_OK,
 * KT_FAILED with the key named, KT_FATAL when out of memory). */
json_t *kt_rec_signatures_json(const kt_doc_meta *m);
int kt_rec_signatures_from_json(const json_t *v, const char *path, kt_doc_meta *m, kt_error *err);

/* A string, or null when s is NULL. NULL (no key set by the caller) when s
 * is not UTF-8, as json_string does (record_json_links.c). */
json_t *kt_rec_str_or_null(const char *s);

/* A catalog record's "links" (record_json_links.c): the array as
 * kt_doc_to_json writes it (new reference; NULL when out of memory), and read
 * back into d, merged with the links "cases" gave (KT_OK, KT_FAILED with the
 * key named, KT_FATAL when out of memory). */
json_t *kt_rec_links_json(const kt_doc *d);
/* 1 when a link of d knows more than its case number (so "links" is
 * written; a record of case numbers alone is written back as it was). */
int kt_rec_links_known(const kt_doc *d);
int kt_rec_links_from_json(const json_t *v, kt_doc *d, kt_error *err);

/* A record's "corrections" (correction.c): the array as kt_doc_to_json
 * writes it (new reference), and read back into d (KT_OK, KT_FAILED with the
 * key named, KT_FATAL when out of memory). */
json_t *kt_rec_corrections_json(const kt_doc *d);
int kt_rec_corrections_from_json(const json_t *v, kt_doc *d, kt_error *err);

/* A record's "versions" (record_json_versions.c): the array kt_doc_to_json
 * writes (new reference), and reading it back into d. */
json_t *kt_rec_versions_json(const kt_doc *d);
int kt_rec_versions_from_json(const json_t *v, kt_doc *d, kt_error *err);

/* A page's "quality" (record_json_quality.c): the object kt_doc_to_json
 * writes for a measured page (new reference; NULL when out of memory), and
 * reading it back into p (measured set), path naming it in messages. */
json_t *kt_rec_quality_json(const kt_doc_page *p);
int kt_rec_quality_from_json(const json_t *v, const char *path, kt_doc_page *p, kt_error *err);

/* A record's "part" (part.c): {"n", "of", "pages": [first, last],
 * "separator"} as kt_doc_to_json writes it (new reference), and read back
 * into d (KT_OK, KT_FAILED with the key named, KT_FATAL when out of memory). */
json_t *kt_rec_part_json(const kt_doc *d);
int kt_rec_part_from_json(const json_t *v, kt_doc *d, kt_error *err);

#endif
