/*
 * erase_private.h - what the two files of the shared erasure requests
 * (erase_request.c: the target, a case's documents, the holds, a request;
 * erase_decide.c: approve and refuse; kt_web.h) share. Not part of
 * kt_web's interface.
 */
#ifndef KT_ERASE_PRIVATE_H
#define KT_ERASE_PRIVATE_H

#include "kt_access.h"
#include "kt_catalog.h"
#include "kt_web.h"

#include <jansson.h>
#include <stddef.h>

/* erase_refuse: set *refusal (when not NULL) to why; returns rc. */
int erase_refuse(int *refusal, int why, int rc);

/* erase_split_case: sort the documents ids[0..n) of case number: those
 * linked to it alone into docs, those linked to another case too into kept
 * (JSON arrays, borrowed). KT_OK, or the catalog's code with the message
 * on c. */
int erase_split_case(kt_catalog *c, const char *number, const long long *ids, int n, json_t *docs,
		     json_t *kept);

/* erase_held: whether a legal hold (kt_access_doc_held) stops the erasure
 * of request target ("doc:ID" or "case:NUMBER"): a hold on its case, on one
 * of docs (a JSON array of ids, borrowed), or on a case one of docs is
 * linked to. 1 with the hold named in why[n] ("hold 3 on doc:17:
 * subpoena"), 0 when nothing is held, -1 with the error in why. */
int erase_held(kt_access *a, kt_catalog *c, const char *target, json_t *docs, char *why, size_t n);

/* erase_audit: an audit row of who (kt_access_audit). KT_OK, or KT_FATAL
 * with the message on a. */
int erase_audit(kt_access *a, const kt_web_actor *who, const char *action, const char *object);

#endif
