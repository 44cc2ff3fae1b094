/*
 * record_json_versions.c - a record's package versions (issue 16) to and
 * from JSON:
 *
 *   "versions": [{"n": 1, "package": "...", "created": "...", "reason": null}, ...]
 *
 * n is an integer from 1; "package" is left out when not known, "created"
 * and "reason" may be null. Kept apart from record_json.c for its length.
 */
#include "record_private.h"

#include <stdio.h>

json_t *kt_rec_versions_json(const kt_doc *d)
{
	json_t *a = json_array();
	size_t i;

	/* o*: a NULL value leaves its key out (no package known; not UTF-8) */
	for (i = 0; a != NULL && i < d->n_versions; i++)
		json_array_append_new(a, json_pack("{s:i, s:o*, s:o*, s:o*}", "n", d->versions[i].version,
						   "package", d->versions[i].package ?
						   json_string(d->versions[i].package) : NULL,
						   "created", kt_rec_str_or_null(d->versions[i].created),
						   "reason", kt_rec_str_or_null(d->versions[i].reason)));
	return a;
}

int kt_rec_versions_from_json(const json_t *v, kt_doc *d, kt_error *err)
{
	static const char *const keys[] = { "package", "created", "reason" };
	size_t i, k;
	json_t *x;

	if (!json_is_array(v))
		return kt_error_set(err, KT_FAILED, "document record: 'versions' must be an array");
	json_array_foreach(v, i, x) {
		kt_doc_version *ver;
		json_t *n = json_object_get(x, "n");

		if (!json_is_object(x) || !json_is_integer(n) || json_integer_value(n) < 1 ||
		    json_integer_value(n) > 1000000)
			return kt_error_set(err, KT_FAILED, "document record: 'versions[%zu].n' must be"
					    " an integer from 1", i);
		if (kt_doc_add_version(d, (int)json_integer_value(n), NULL) != KT_OK)
			return kt_error_set(err, KT_FATAL, "out of memory");
		ver = &d->versions[d->n_versions - 1];
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			char **slot = k == 0 ? &ver->package : k == 1 ? &ver->created : &ver->reason;
			json_t *s = json_object_get(x, keys[k]);

			if (s == NULL || (k > 0 && json_is_null(s)))
				continue;
			if (!json_is_string(s))
				return kt_error_set(err, KT_FAILED, "document record: 'versions[%zu].%s'"
						    " must be a string%s", i, keys[k], k > 0 ? " or null" : "");
			if (kt_doc_str_set(slot, json_string_value(s)) != KT_OK)
				return kt_error_set(err, KT_FATAL, "out of memory");
		}
	}
	return KT_OK;
}
