/*
 * erase_decide.c - an erase request approved or refused (kt_web.h,
 * kt_web_erase_decide; docs/lifecycle.md, "Requests and the four-eyes
 * rule"), the one place of the rules for `kartoteka erase approve|refuse`
 * and the web's POST /erase/{id}/approve|refuse: only a request in state
 * requested is decided, never approved by its requester; the decision is
 * audited and recorded before anything is done; an approved request is
 * checked again for a legal hold and (a case) for documents linked since,
 * then each document is audited and erased with kt_erase, then the case
 * record; the request ends done or failed with its result. Nothing here
 * prints: each step and each problem goes to the caller's callback.
 */
#include "erase_private.h"

#include "kt_pipeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One decision being made: what every step needs. */
typedef struct decision {
	kt_access *a;
	const kt_web_actor *who;
	long long id;
	kt_web_erase_say *say;
	void *ctx;
	int *refusal;
} decision;

/* Tell the caller one note of kind (enum kt_web_note). */
static void note(const decision *d, int kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(const decision *d, int kind, const char *fmt, ...)
{
	char msg[2 * KT_ERRMSG_MAX + 300];
	va_list ap;

	if (d->say == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->say(d->ctx, kind, msg);
}

/* Request d->id as JSON into *req when it may be decided: in state
 * requested and, when approved, not the approver's own (then audited as
 * denied). KT_OK; KT_FAILED or KT_FATAL said. */
static int decidable(const decision *d, int approve, json_t **req)
{
	const char *state, *by;
	char object[64];
	int rc;

	if ((rc = kt_access_erase_get(d->a, d->id, req)) != KT_OK) {
		note(d, KT_WEB_NOTE_PROBLEM, "%s", kt_access_errmsg(d->a));
		return erase_refuse(d->refusal, rc == KT_FAILED ? KT_WEB_UNKNOWN : KT_WEB_ERROR, rc);
	}
	state = json_string_value(json_object_get(*req, "state"));
	by = json_string_value(json_object_get(*req, "requested_by"));
	if (strcmp(state, "requested") != 0) {
		note(d, KT_WEB_NOTE_PROBLEM, "erase request %lld is %s already: only a request in state"
		     " requested can be decided", d->id, state);
		rc = erase_refuse(d->refusal, KT_WEB_STATE, KT_FAILED);
	} else if (approve && strcmp(by, d->who->user) == 0) {
		snprintf(object, sizeof object, "request:%lld own request", d->id);
		if (erase_audit(d->a, d->who, "denied", object) != KT_OK) {
			note(d, KT_WEB_NOTE_PROBLEM, "%s", kt_access_errmsg(d->a));
			rc = erase_refuse(d->refusal, KT_WEB_AUDIT, KT_FATAL);
		} else {
			note(d, KT_WEB_NOTE_PROBLEM, "'%s' made erase request %lld and cannot approve their"
			     " own request: another admin must (four-eyes rule)", d->who->user, d->id);
			rc = erase_refuse(d->refusal, KT_WEB_OWN, KT_FAILED);
		}
	}
	if (rc != KT_OK) {
		json_decref(*req);
		*req = NULL;
	}
	return rc;
}

/* Before a case request is carried out: every document now linked to case
 * number alone must be one the request lists in docs (a document linked
 * since, or whose other case has gone, would be left with no case). KT_OK;
 * KT_FAILED with why[n] said; the catalog's code with why. */
static int case_unchanged(const decision *d, kt_catalog *c, const char *number, json_t *docs,
			  char *why, size_t n)
{
	json_t *now = json_array(), *kept = json_array(), *v, *w;
	long long *ids = NULL;
	int nids = 0, rc;
	size_t i, k;

	rc = kt_catalog_case_doc_ids(c, number, &ids, &nids);
	if (rc == KT_OK)
		rc = erase_split_case(c, number, ids, nids, now, kept);
	free(ids);
	if (rc != KT_OK)
		snprintf(why, n, "%s", kt_catalog_errmsg(c));
	json_array_foreach(now, i, v) {
		int listed = 0;

		json_array_foreach(docs, k, w)
			listed |= json_integer_value(w) == json_integer_value(v);
		if (rc != KT_OK || listed)
			continue;
		snprintf(why, n, "the case has changed since the request: document %lld is linked to it"
			 " alone and not in the request; refuse this one and make a new request",
			 (long long)json_integer_value(v));
		rc = KT_FAILED;
	}
	json_decref(now);
	json_decref(kept);
	if (rc != KT_OK) {
		note(d, KT_WEB_NOTE_PROBLEM, "%s", why);
		erase_refuse(d->refusal, rc == KT_FAILED ? KT_WEB_FAILED : KT_WEB_ERROR, rc);
	}
	return rc;
}

/* The audit row of one erasure step ("erase", object); KT_OK, or KT_FATAL
 * said, with why. */
static int audit_step(const decision *d, const char *object, char *why, size_t n)
{
	if (erase_audit(d->a, d->who, "erase", object) == KT_OK)
		return KT_OK;
	note(d, KT_WEB_NOTE_PROBLEM, "%s", kt_access_errmsg(d->a));
	snprintf(why, n, "the audit log could not be written");
	return erase_refuse(d->refusal, KT_WEB_AUDIT, KT_FATAL);
}

/* Erase the case record of target ("case:NUMBER") on s, audited first.
 * KT_OK (also when the catalog knows the case no more: nothing to erase);
 * KT_FATAL said, with why. */
static int erase_case(const decision *d, kt_store *s, const char *target, char *why, size_t n)
{
	kt_catalog *c = kt_store_catalog(s);
	char object[300];

	snprintf(object, sizeof object, "request:%lld %s", d->id, target);
	if (audit_step(d, object, why, n) != KT_OK)
		return KT_FATAL;
	if (kt_catalog_case_erase(c, target + 5) == KT_FATAL) {
		note(d, KT_WEB_NOTE_PROBLEM, "%s", kt_catalog_errmsg(c));
		snprintf(why, n, "%s", kt_catalog_errmsg(c));
		return erase_refuse(d->refusal, KT_WEB_ERROR, KT_FATAL);
	}
	note(d, KT_WEB_NOTE_DONE, "erased the case record of %s", target + 5);
	return KT_OK;
}

/* Carry request req (approved) out on the store opened for writing: kt_erase
 * each document, then the case record of a case request. KT_OK with
 * *result what was done; else the worst code, with *result why (said).
 * *result is malloc'd (NULL when out of memory), the caller frees it. */
static int carry_out(const decision *d, const char *store_dir, json_t *req, char **result)
{
	const char *target = json_string_value(json_object_get(req, "target"));
	json_t *docs = json_object_get(req, "docs"), *v;
	kt_erase_info info = {
		.reason = json_string_value(json_object_get(req, "reason")),
		.requested_by = json_string_value(json_object_get(req, "requested_by")),
		.requested_at = json_string_value(json_object_get(req, "requested_at")),
		.approved_by = d->who->user,
		.request_id = d->id,
	};
	char object[300], why[KT_ERRMSG_MAX + 100] = "", hold[KT_ERRMSG_MAX + 40];
	int is_case = strncmp(target, "case:", 5) == 0, rc = KT_OK, one, ready;
	size_t i, n = 0, len = sizeof why + 100;
	kt_error err = { 0 };
	kt_store *s = NULL;

	if (kt_store_open(store_dir, KT_STORE_WRITE, &s, &err) != KT_OK) {
		note(d, KT_WEB_NOTE_STORE, "%s", err.msg);
		snprintf(why, sizeof why, "the store could not be opened");
		rc = erase_refuse(d->refusal, KT_WEB_ERROR, KT_FATAL);
	} else if (is_case) {
		rc = case_unchanged(d, kt_store_catalog(s), target + 5, docs, why, sizeof why);
	}
	/* a hold placed since the request: nothing is erased */
	if (rc == KT_OK && (one = erase_held(d->a, kt_store_catalog(s), target, docs, hold,
					     sizeof hold)) != 0) {
		rc = erase_refuse(d->refusal, one < 0 ? KT_WEB_ERROR : KT_WEB_HELD,
				  one < 0 ? KT_FATAL : KT_FAILED);
		snprintf(why, sizeof why, "%s: %s", one < 0 ? "cannot read the legal holds"
			 : "under legal hold, nothing erased", hold);
		note(d, KT_WEB_NOTE_PROBLEM, "%s", why);
	}
	ready = rc == KT_OK;
	json_array_foreach(docs, i, v) {
		long long doc = json_integer_value(v);

		if (!ready || rc == KT_FATAL)
			break;
		snprintf(object, sizeof object, "request:%lld doc:%lld", d->id, doc);
		if ((rc = audit_step(d, object, why, sizeof why)) != KT_OK)
			break;
		if ((one = kt_erase(s, doc, &info, &err)) >= KT_WARN) {
			note(d, KT_WEB_NOTE_DONE, "erased document %lld", doc);
			n++;
			continue;
		}
		note(d, KT_WEB_NOTE_PROBLEM, "%s", err.msg);
		if (why[0] == '\0')
			snprintf(why, sizeof why, "document %lld: %s", doc, err.msg);
		if (one < rc)
			rc = erase_refuse(d->refusal, one == KT_FAILED ? KT_WEB_FAILED : KT_WEB_ERROR, one);
	}
	if (rc == KT_OK && is_case)
		rc = erase_case(d, s, target, why, sizeof why);
	kt_store_free(&s);
	if ((*result = malloc(len)) != NULL && rc == KT_OK)
		snprintf(*result, len, "erased %zu document%s%s", n, n == 1 ? "" : "s",
			 is_case ? " and the case record" : "");
	else if (*result != NULL)
		snprintf(*result, len, "erased %zu of %zu documents; %s", n, json_array_size(docs), why);
	return rc;
}

int kt_web_erase_decide(const char *store_dir, kt_access *a, long long id, int approve,
			const kt_web_actor *who, kt_web_erase_say *say, void *ctx, int *refusal)
{
	decision d = { .a = a, .who = who, .id = id, .say = say, .ctx = ctx, .refusal = refusal };
	char object[64], *result = NULL;
	json_t *req = NULL;
	int rc, done, set;

	erase_refuse(refusal, KT_WEB_DONE, KT_OK);
	snprintf(object, sizeof object, "request:%lld", id);
	rc = decidable(&d, approve, &req);
	/* written before it is done: no decision without its row */
	if (rc == KT_OK && erase_audit(a, who, approve ? "erase-approve" : "erase-refuse", object)
	    != KT_OK) {
		note(&d, KT_WEB_NOTE_PROBLEM, "%s", kt_access_errmsg(a));
		rc = erase_refuse(refusal, KT_WEB_AUDIT, KT_FATAL);
	}
	if (rc == KT_OK && (rc = kt_access_erase_set_state(a, id, "requested",
							   approve ? "approved" : "refused", who->user,
							   NULL)) != KT_OK) {
		note(&d, KT_WEB_NOTE_PROBLEM, "%s", kt_access_errmsg(a));
		erase_refuse(refusal, rc == KT_FAILED ? KT_WEB_STATE : KT_WEB_ERROR, rc);
	}
	if (rc == KT_OK && !approve)
		note(&d, KT_WEB_NOTE_DONE, "erase request %lld refused", id);
	if (rc == KT_OK && approve) {
		done = carry_out(&d, store_dir, req, &result);
		set = kt_access_erase_set_state(a, id, "approved", done == KT_OK ? "done" : "failed",
						NULL, result ? result : "out of memory");
		if (set != KT_OK) {
			note(&d, KT_WEB_NOTE_PROBLEM, "%s", kt_access_errmsg(a));
			if (done == KT_OK)
				erase_refuse(refusal, KT_WEB_ERROR, set);
		}
		if (done == KT_OK && set == KT_OK)
			note(&d, KT_WEB_NOTE_DONE, "erase request %lld done: %s", id,
			     result ? result : "out of memory");
		else if (set == KT_OK)
			note(&d, KT_WEB_NOTE_DONE, "erase request %lld failed: %s", id,
			     result ? result : "out of memory");
		rc = done < set ? done : set;
	}
	free(result);
	json_decref(req);
	return rc;
}
