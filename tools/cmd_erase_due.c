/* cmd_erase_due.c - `kartoteka erase request --due` (issue 21,
 * docs/lifecycle.md "Retention"): one erasure request per document the
 * retention schedule makes due today. */
#include "cli.h"
#include "lifecycle_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when a request not yet decided names document id; -1 on error. */
static int requested(json_t *all, long long id)
{
	json_t *r;
	size_t i;

	if (all == NULL)
		return -1;
	json_array_foreach(all, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "state")), "requested") &&
		    kt_life_has_id(json_object_get(r, "docs"), id))
			return 1;
	return 0;
}

/* `erase request --due`: one request per document the retention schedule
 * makes due today (docs/lifecycle.md, "Retention"), the rules after the
 * reason; a held one, or one already requested, is passed over and said. */
int kt_erase_due(kt_cli *cli, const char *reason, const char *user)
{
	static const char *const roles[] = { "archivist", "admin", NULL };
	char role[16], object[300], why[600], text[1600];
	json_t *report = NULL, *all = NULL, *e;
	kt_access *a;
	kt_store *s = NULL;
	kt_error err = { 0 };
	int rc, made = 0, held_n = 0, again = 0;
	size_t i;

	if ((a = kt_life_access(cli, "request")) == NULL)
		return KT_EXIT_FATAL;
	rc = kt_life_who(a, "request", user, roles, "erase-request", "due", NULL, role);
	if (rc == KT_OK && (s = kt_cli_open(cli, "erase", KT_STORE_READ)) == NULL)
		rc = KT_FATAL;
	if (rc == KT_OK && kt_retention(s, NULL, &report, &err) != KT_OK) {
		kt_life_say("request", err.msg, KT_FATAL);
		rc = KT_FATAL;
	}
	if (rc == KT_OK && (all = kt_access_erase_list_json(a)) == NULL) {
		kt_life_say("request", kt_access_errmsg(a), KT_FATAL);
		rc = KT_FATAL;
	}
	json_array_foreach(report, i, e) {
		long long id = (long long)json_integer_value(json_object_get(e, "doc_id")), rid = 0;
		json_t *docs, *c, *rules = json_object_get(e, "rules");
		const char *nums[64];
		size_t k, n = 0;
		int h;

		if (rc != KT_OK || strcmp(json_string_value(json_object_get(e, "state")), "due") != 0)
			continue;
		json_array_foreach(json_object_get(e, "cases"), k, c)
			if (n < 64)
				nums[n++] = json_string_value(json_object_get(c, "case_number"));
		if ((h = kt_access_doc_held(a, id, nums, n, why, sizeof why)) != 0 ||
		    (h = requested(all, id) ? 2 : 0) != 0) {
			held_n += h == 1;
			again += h == 2;
			if (h < 0) {
				kt_life_say("request", "cannot read the holds", KT_FATAL);
				rc = KT_FATAL;
			}
			continue;
		}
		snprintf(text, sizeof text, "%s (retention: %s)", reason,
			 json_string_value(json_array_get(rules, 0)));
		snprintf(object, sizeof object, "doc:%lld", id);
		docs = json_pack("[I]", (json_int_t)id);
		if ((rc = kt_access_erase_add(a, object, docs, NULL, text, user, &rid)) != KT_OK)
			kt_life_say("request", kt_access_errmsg(a), rc);
		json_decref(docs);
		snprintf(object, sizeof object, "request:%lld doc:%lld due", rid, id);
		if (rc == KT_OK && (rc = kt_life_audit(a, "request", user, role, "erase-request", object)) != KT_OK)
			kt_access_erase_set_state(a, rid, "requested", "refused", NULL,
						  "the audit log could not be written");
		if (rc == KT_OK) {
			printf("erase request %lld recorded (doc:%lld), due %s\n", rid, id,
			       json_string_value(json_object_get(e, "due")));
			made++;
		}
	}
	if (rc == KT_OK)
		printf("%d request%s recorded, to be approved by another admin; %d held, %d requested "
		       "before\n", made, made == 1 ? "" : "s", held_n, again);
	json_decref(report);
	json_decref(all);
	kt_store_free(&s);
	kt_access_free(&a);
	return kt_life_exit(rc);
}
