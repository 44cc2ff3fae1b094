/*
 * erase_request.c - a four-eyes erasure request recorded (kt_web.h,
 * kt_web_erase_request; docs/lifecycle.md, "Requests and the four-eyes
 * rule"), for `kartoteka erase request` and the web's POST /erase alike:
 * what a DOC or CASE argument names (kt_web_target, also for legal holds),
 * which documents a case request erases and which it leaves in place, and
 * whether a legal hold stops it. Nothing here prints: messages go back to
 * the caller.
 */
#include "erase_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int erase_refuse(int *refusal, int why, int rc)
{
	if (refusal != NULL)
		*refusal = why;
	return rc;
}

int erase_audit(kt_access *a, const kt_web_actor *who, const char *action, const char *object)
{
	return kt_access_audit(a, who->user, who->role, action, object, who->remote) == KT_OK
		? KT_OK : KT_FATAL;
}

int kt_web_target(kt_catalog *c, const char *arg, long long *doc_id, const char **number,
		  char *why, size_t n, int *refusal)
{
	const char *num = strncmp(arg, "case:", 5) == 0 ? arg + 5 : NULL;
	const char *doc = strncmp(arg, "doc:", 4) == 0 ? arg + 4 : NULL;
	long long id = 0, *ids = NULL;
	int nids = 0, is_doc, is_case = 0;

	*doc_id = 0;
	*number = NULL;
	erase_refuse(refusal, KT_WEB_DONE, KT_OK);
	if (num == NULL && doc == NULL) {
		num = doc = arg;
		is_doc = kt_catalog_doc_resolve(c, arg, &id) == KT_OK;
	} else if (doc != NULL && kt_catalog_doc_resolve(c, doc, &id) != KT_OK) {
		snprintf(why, n, "%s", kt_catalog_errmsg(c));
		return erase_refuse(refusal, KT_WEB_UNKNOWN, KT_FAILED);
	} else {
		is_doc = doc != NULL;
	}
	if (num != NULL) {
		json_t *rec = kt_catalog_case_json(c, num);

		if (kt_catalog_case_doc_ids(c, num, &ids, &nids) != KT_OK) {
			json_decref(rec);
			snprintf(why, n, "%s", kt_catalog_errmsg(c));
			return erase_refuse(refusal, KT_WEB_ERROR, kt_catalog_error(c)->code);
		}
		is_case = rec != NULL || nids > 0;
		json_decref(rec);
		free(ids);
	}
	if (is_doc && is_case) {
		snprintf(why, n, "'%s' is both a document and a case: say doc:%lld or case:%s", arg, id,
			 arg);
		return erase_refuse(refusal, KT_WEB_BAD, KT_FAILED);
	}
	if (!is_doc && !is_case) {
		snprintf(why, n, "no document or case '%s' in the catalog", doc != NULL ? doc : num);
		return erase_refuse(refusal, KT_WEB_UNKNOWN, KT_FAILED);
	}
	if (is_doc)
		*doc_id = id;
	else
		*number = num;
	return KT_OK;
}

int erase_split_case(kt_catalog *c, const char *number, const long long *ids, int n, json_t *docs,
		     json_t *kept)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		kt_doc *d = NULL;
		size_t k, other = 0;

		if ((rc = kt_catalog_doc_get(c, ids[i], &d)) != KT_OK)
			return rc;
		for (k = 0; k < d->n_links; k++)
			if (strcmp(d->links[k].case_number, number) != 0)
				other++;
		json_array_append_new(other > 0 ? kept : docs, json_integer(ids[i]));
		kt_doc_free(&d);
	}
	return KT_OK;
}

int erase_held(kt_access *a, kt_catalog *c, const char *target, json_t *docs, char *why, size_t n)
{
	const char *number = strncmp(target, "case:", 5) == 0 ? target + 5 : NULL;
	int h = kt_access_doc_held(a, 0, &number, number != NULL, why, n);
	size_t i, k;
	json_t *v;

	json_array_foreach(docs, i, v) {
		kt_doc *d = NULL;
		const char **cases = NULL;
		int got;

		if (h != 0)
			break;
		/* a document no longer in the catalog (erased by a request that
		 * failed half-way) has no links; its own hold still counts */
		if ((got = kt_catalog_doc_get(c, json_integer_value(v), &d)) == KT_FATAL) {
			snprintf(why, n, "%s", kt_catalog_errmsg(c));
			return -1;
		}
		if (got == KT_OK && d->n_links > 0 && (cases = calloc(d->n_links, sizeof *cases)) == NULL) {
			kt_doc_free(&d);
			snprintf(why, n, "out of memory");
			return -1;
		}
		for (k = 0; cases != NULL && k < d->n_links; k++)
			cases[k] = d->links[k].case_number;
		h = kt_access_doc_held(a, json_integer_value(v), cases, cases ? d->n_links : 0, why, n);
		free(cases);
		kt_doc_free(&d);
	}
	if (h < 0)
		snprintf(why, n, "%s", kt_access_errmsg(a));
	return h;
}

/* What a request for arg erases: for a document that one (into docs); for a
 * case its documents linked to it alone (docs), the others (kept); *target
 * "doc:ID" or "case:NUMBER" (malloc'd, caller frees). KT_OK; else as
 * kt_web_target, with why. */
static int what_to_erase(kt_catalog *c, const char *arg, char **target, json_t *docs, json_t *kept,
			 char *why, size_t n, int *refusal)
{
	const char *number;
	long long id, *ids = NULL;
	int nids = 0, rc = kt_web_target(c, arg, &id, &number, why, n, refusal);
	size_t len;

	if (rc != KT_OK)
		return rc;
	if (id > 0) {
		len = 32;
		if ((*target = malloc(len)) == NULL)
			return erase_refuse(refusal, KT_WEB_ERROR, KT_FATAL);
		snprintf(*target, len, "doc:%lld", id);
		json_array_append_new(docs, json_integer(id));
		return KT_OK;
	}
	if ((rc = kt_catalog_case_doc_ids(c, number, &ids, &nids)) != KT_OK ||
	    (rc = erase_split_case(c, number, ids, nids, docs, kept)) != KT_OK) {
		snprintf(why, n, "%s", kt_catalog_errmsg(c));
		erase_refuse(refusal, rc == KT_FAILED ? KT_WEB_UNKNOWN : KT_WEB_ERROR, rc);
	}
	free(ids);
	if (rc != KT_OK)
		return rc;
	len = strlen(number) + sizeof "case:";
	if ((*target = malloc(len)) == NULL)
		return erase_refuse(refusal, KT_WEB_ERROR, KT_FATAL);
	snprintf(*target, len, "case:%s", number);
	return KT_OK;
}

/* Refused when held: KT_OK when nothing holds target (or docs); else
 * KT_FAILED with the hold named in why (audited as denied), or KT_FATAL. */
static int not_held(kt_access *a, kt_catalog *c, const kt_web_actor *who, const char *target,
		    json_t *docs, char *why, size_t n, int *refusal)
{
	char hold[KT_ERRMSG_MAX + 100], object[300];
	long long hid = 0;
	int h = erase_held(a, c, target, docs, hold, sizeof hold);

	if (h == 0)
		return KT_OK;
	if (h < 0) {
		snprintf(why, n, "%s", hold);
		return erase_refuse(refusal, KT_WEB_ERROR, KT_FATAL);
	}
	if (sscanf(hold, "hold %lld", &hid) != 1)
		hid = 0;
	snprintf(object, sizeof object, "erase-request %s held by hold:%lld", target, hid);
	if (erase_audit(a, who, "denied", object) != KT_OK) {
		snprintf(why, n, "%s", kt_access_errmsg(a));
		return erase_refuse(refusal, KT_WEB_AUDIT, KT_FATAL);
	}
	snprintf(why, n, "%s is under legal hold (%s): an admin must remove the hold first", target,
		 hold);
	return erase_refuse(refusal, KT_WEB_HELD, KT_FAILED);
}

int kt_web_erase_request(kt_catalog *c, kt_access *a, const char *arg, const char *reason,
			 const kt_web_actor *who, json_t **req, char *why, size_t n, int *refusal)
{
	char object[300], *target = NULL;
	json_t *docs = json_array(), *kept = json_array();
	long long id = 0;
	int rc = KT_OK;

	*req = NULL;
	erase_refuse(refusal, KT_WEB_DONE, KT_OK);
	if (docs == NULL || kept == NULL) {
		snprintf(why, n, "out of memory");
		rc = erase_refuse(refusal, KT_WEB_ERROR, KT_FATAL);
	}
	if (rc == KT_OK)
		rc = what_to_erase(c, arg, &target, docs, kept, why, n, refusal);
	if (rc == KT_OK)
		rc = not_held(a, c, who, target, docs, why, n, refusal);
	if (rc == KT_OK && (rc = kt_access_erase_add(a, target, docs, kept, reason, who->user, &id))
	    != KT_OK) {
		snprintf(why, n, "%s", kt_access_errmsg(a));
		erase_refuse(refusal, rc == KT_FAILED ? KT_WEB_BAD : KT_WEB_ERROR, rc);
	}
	if (rc == KT_OK) {
		snprintf(object, sizeof object, "request:%lld %s", id, target);
		if (erase_audit(a, who, "erase-request", object) != KT_OK) {
			snprintf(why, n, "%s", kt_access_errmsg(a));
			rc = erase_refuse(refusal, KT_WEB_AUDIT, KT_FATAL);
			/* not audited: not to be acted on */
			kt_access_erase_set_state(a, id, "requested", "refused", NULL,
						  "the audit log could not be written");
		}
	}
	/* recorded: as the database has it, else as it was recorded */
	if (rc == KT_OK && kt_access_erase_get(a, id, req) != KT_OK)
		*req = json_pack("{s:I, s:s, s:O, s:O, s:s, s:s, s:s}", "id", (json_int_t)id,
				 "target", target, "docs", docs, "kept", kept, "reason", reason,
				 "requested_by", who->user, "state", "requested");
	if (rc == KT_OK && *req == NULL) {
		snprintf(why, n, "out of memory");
		rc = erase_refuse(refusal, KT_WEB_ERROR, KT_FATAL);
	}
	free(target);
	json_decref(docs);
	json_decref(kept);
	return rc;
}
