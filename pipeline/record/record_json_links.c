/*
 * record_json_links.c - a catalog record's case links (issue 9) to and from
 * JSON, beside the plain list "cases" of the case numbers:
 *
 *   "links": [{"case_number": "X", "confidence": 0.95, "decided_at": null,
 *              "decided_by": null, "evidence": "personal code ...",
 *              "rule": "personal_code", "state": "auto"}, ...]
 *
 * What the record does not know is written as null (confidence: null when
 * below 0). Read back, a link is merged with the one of "cases" that has
 * its case number, whichever key comes first. Kept apart from
 * record_json.c for its length.
 */
#include "record_private.h"

#include <stdio.h>
#include <string.h>

json_t *kt_rec_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int kt_rec_links_known(const kt_doc *d)
{
	size_t i;

	for (i = 0; i < d->n_links; i++)
		if (d->links[i].evidence || d->links[i].rule || d->links[i].confidence >= 0 ||
		    d->links[i].state || d->links[i].decided_by || d->links[i].decided_at)
			return 1;
	return 0;
}

json_t *kt_rec_links_json(const kt_doc *d)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < d->n_links; i++) {
		const kt_doc_link *l = &d->links[i];
		json_t *o = json_object();

		json_object_set_new(o, "case_number", kt_rec_str_or_null(l->case_number));
		json_object_set_new(o, "evidence", kt_rec_str_or_null(l->evidence));
		json_object_set_new(o, "rule", kt_rec_str_or_null(l->rule));
		json_object_set_new(o, "confidence",
				    l->confidence >= 0 ? json_real(l->confidence) : json_null());
		json_object_set_new(o, "state", kt_rec_str_or_null(l->state));
		json_object_set_new(o, "decided_by", kt_rec_str_or_null(l->decided_by));
		json_object_set_new(o, "decided_at", kt_rec_str_or_null(l->decided_at));
		json_array_append_new(a, o);
	}
	return a;
}

/* A string or null member k of o into *slot; KT_FAILED when another type. */
static int member(const json_t *o, const char *k, size_t i, char **slot, kt_error *err)
{
	json_t *v = json_object_get(o, k);

	if (v == NULL || json_is_null(v))
		return KT_OK;
	if (!json_is_string(v))
		return kt_error_set(err, KT_FAILED, "document record: 'links[%zu].%s' must be a string",
				    i, k);
	return kt_doc_str_set(slot, json_string_value(v)) == KT_OK
		? KT_OK : kt_error_set(err, KT_FATAL, "out of memory");
}

int kt_rec_links_from_json(const json_t *v, kt_doc *d, kt_error *err)
{
	size_t i;
	json_t *x;

	if (!json_is_array(v))
		return kt_error_set(err, KT_FAILED, "document record: 'links' must be an array");
	d->has_links = 1;
	json_array_foreach(v, i, x) {
		json_t *cn = json_object_get(x, "case_number"), *conf = json_object_get(x, "confidence");
		kt_doc_link *l;
		int rc;

		if (!json_is_object(x) || !json_is_string(cn))
			return kt_error_set(err, KT_FAILED, "document record: 'links[%zu]' must be an"
					    " object with a string 'case_number'", i);
		l = kt_doc_find_link(d, json_string_value(cn));
		if (l == NULL) {
			if (kt_doc_add_link(d, json_string_value(cn), NULL) != KT_OK)
				return kt_error_set(err, KT_FATAL, "out of memory");
			l = &d->links[d->n_links - 1];
		}
		if (conf != NULL && !json_is_null(conf)) {
			if (!json_is_number(conf) || json_number_value(conf) < 0 ||
			    json_number_value(conf) > 1)
				return kt_error_set(err, KT_FAILED, "document record: 'links[%zu].confidence'"
						    " must be a number from 0 to 1", i);
			l->confidence = json_number_value(conf);
		}
		if ((rc = member(x, "evidence", i, &l->evidence, err)) != KT_OK ||
		    (rc = member(x, "rule", i, &l->rule, err)) != KT_OK ||
		    (rc = member(x, "state", i, &l->state, err)) != KT_OK ||
		    (rc = member(x, "decided_by", i, &l->decided_by, err)) != KT_OK ||
		    (rc = member(x, "decided_at", i, &l->decided_at, err)) != KT_OK)
			return rc;
	}
	return KT_OK;
}
