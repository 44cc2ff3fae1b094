/*
 * authz.c - who may read what in the web server: roles, the cases an officer
 * may read and the documents linked to them, and the audit row written for
 * every read and every refusal (docs/web.md, "Users and roles").
 */
#include "web_private.h"

#include "kt_catalog.h"

#include <stdlib.h>
#include <string.h>

unsigned web_role_bit(const char *role)
{
	static const struct { const char *name; unsigned bit; } roles[] = {
		{ "operator", WEB_OPERATOR },
		{ "archivist", WEB_ARCHIVIST },
		{ "officer", WEB_OFFICER },
		{ "admin", WEB_ADMIN },
	};
	size_t i;

	for (i = 0; role && i < sizeof roles / sizeof roles[0]; i++)
		if (!strcmp(role, roles[i].name))
			return roles[i].bit;
	return 0;
}

int web_has_role(const web_req *r, const char *r1, const char *r2)
{
	return (r1 && !strcmp(r->user.role, r1)) || (r2 && !strcmp(r->user.role, r2));
}

json_t *web_officer_cases(web *w, const char *name)
{
	json_t *set = json_object(), *assigned = kt_access_user_cases(w->acc, name), *v;
	kt_catalog *c = kt_store_catalog(w->store);
	char **nums = NULL;
	int n = 0, i;
	size_t k;

	json_array_foreach(assigned, k, v)
		json_object_set_new(set, json_string_value(v), json_true());
	json_decref(assigned);
	if (kt_catalog_case_numbers(c, &nums, &n) == KT_OK) {
		for (i = 0; i < n; i++) {
			json_t *cs = kt_catalog_case_json(c, nums[i]);
			const char *off = json_string_value(json_object_get(json_object_get(cs, "extra"),
									    "officer"));

			if (off && strcmp(off, name) == 0)
				json_object_set_new(set, nums[i], json_true());
			json_decref(cs);
		}
		kt_catalog_strings_free(&nums, n);
	}
	return set;
}

int web_may_read_case(const web_req *r, const char *number)
{
	if (web_has_role(r, "archivist", NULL))
		return 1;
	return web_has_role(r, "officer", NULL) && json_object_get(r->allowed, number) != NULL;
}

int web_may_read_doc(const web_req *r, const kt_doc *doc)
{
	size_t k;

	if (web_has_role(r, "archivist", NULL))
		return 1;
	if (!web_has_role(r, "officer", NULL))
		return 0;
	for (k = 0; k < doc->n_links; k++)
		if (doc->links[k].case_number && json_object_get(r->allowed, doc->links[k].case_number))
			return 1;
	return 0;
}

void web_hide_cases(const web_req *r, kt_doc *doc)
{
	size_t k, n = 0;

	for (k = 0; k < doc->n_links; k++) {
		const char *cn = doc->links[k].case_number;

		if (cn && web_may_read_case(r, cn)) {
			doc->links[n++] = doc->links[k];
			continue;
		}
		kt_doc_link_release(&doc->links[k]);
	}
	doc->n_links = n;
}

int web_audit(web_req *r, const char *action, const char *object)
{
	if (kt_access_audit(r->w->acc, r->authed ? r->user.name : "", r->authed ? r->user.role : "",
			    action, object, r->remote) == KT_OK)
		return KT_OK;
	/* fail closed: whatever the handler answers now is a 503 (web_send) */
	r->audit_failed = 1;
	return KT_FATAL;
}

int web_forbidden(web_req *r, const char *object)
{
	web_audit(r, "denied", object);
	return web_error(r, 403, "not allowed");
}
