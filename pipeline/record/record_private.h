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

#endif
