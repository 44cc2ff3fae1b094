/*
 * record_json_sign.c - the metadata's "signatures" (issue 18) to and from
 * JSON: one object per signature of an e-signed container,
 *
 *   {"error": "...", "files": ["a.pdf"], "signer": "NAME" | null,
 *    "signing_time": "YYYY-MM-DDTHH:MM:SSZ" | null, "verified": false,
 *    "xml": "META-INF/signatures0.xml"}
 *
 * "error" and "xml" only when set. "verified" says plainly that kartoteka
 * has not checked the signature (docs/ocr.md, "E-signed containers").
 * Unknown keys are kept and written back. Kept apart from record_json.c
 * for its length; the keys are sorted with the rest of the metadata.
 */
#include "record_private.h"

#include <stdio.h>
#include <string.h>

json_t *kt_rec_signatures_json(const kt_doc_meta *m)
{
	json_t *a = json_array();
	size_t i, k;

	for (i = 0; a != NULL && i < m->n_signatures; i++) {
		const kt_doc_signature *s = &m->signatures[i];
		json_t *o = json_object(), *files = json_array(), *v;
		const char *key;

		for (k = 0; files != NULL && k < s->files.n; k++)
			json_array_append_new(files, json_string(s->files.v[k]));
		if (s->xml != NULL)
			json_object_set_new(o, "xml", json_string(s->xml));
		json_object_set_new(o, "signer", s->signer ? json_string(s->signer) : json_null());
		json_object_set_new(o, "signing_time",
				    s->signing_time ? json_string(s->signing_time) : json_null());
		json_object_set_new(o, "files", files);
		json_object_set_new(o, "verified", json_boolean(s->verified));
		if (s->error != NULL)
			json_object_set_new(o, "error", json_string(s->error));
		json_object_foreach((json_t *)s->extra, key, v)
			if (json_object_get(o, key) == NULL)
				json_object_set_nocheck(o, key, v);
		if (o == NULL || json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int wrong(kt_error *err, const char *path, const char *want)
{
	return kt_error_set(err, KT_FAILED, "document record: '%s' must be %s", path, want);
}

/* A string (or, when nullable, null: NULL) into the owned *slot. */
static int get_str(const json_t *v, const char *path, int nullable, char **slot, kt_error *err)
{
	if (nullable && json_is_null(v))
		return kt_doc_str_set(slot, NULL);
	if (!json_is_string(v))
		return wrong(err, path, nullable ? "a string or null" : "a string");
	if (kt_doc_str_set(slot, json_string_value(v)) != KT_OK)
		return kt_error_set(err, KT_FATAL, "out of memory");
	return KT_OK;
}

static int get_one(const char *base, json_t *x, kt_doc_signature *s, kt_error *err)
{
	const char *k;
	json_t *v, *f;
	char p[320];
	size_t i;
	int rc = KT_OK;

	if (!json_is_object(x))
		return wrong(err, base, "an object");
	json_object_foreach(x, k, v) {
		snprintf(p, sizeof p, "%s.%s", base, k);
		if (strcmp(k, "xml") == 0)
			rc = get_str(v, p, 0, &s->xml, err);
		else if (strcmp(k, "signer") == 0)
			rc = get_str(v, p, 1, &s->signer, err);
		else if (strcmp(k, "signing_time") == 0)
			rc = get_str(v, p, 1, &s->signing_time, err);
		else if (strcmp(k, "error") == 0)
			rc = get_str(v, p, 0, &s->error, err);
		else if (strcmp(k, "verified") == 0)
			rc = json_is_boolean(v) ? (s->verified = json_is_true(v), KT_OK)
						: wrong(err, p, "true or false");
		else if (strcmp(k, "files") == 0) {
			if (!json_is_array(v))
				rc = wrong(err, p, "an array of strings");
			json_array_foreach(v, i, f) {
				if (rc != KT_OK)
					break;
				if (!json_is_string(f)) {
					snprintf(p, sizeof p, "%s.files[%zu]", base, i);
					rc = wrong(err, p, "a string");
				} else if (kt_strv_push(&s->files, json_string_value(f)) != KT_OK) {
					rc = kt_error_set(err, KT_FATAL, "out of memory");
				}
			}
		} else if ((s->extra == NULL && (s->extra = json_object()) == NULL) ||
			   json_object_set_nocheck(s->extra, k, v) != 0)
			rc = kt_error_set(err, KT_FATAL, "out of memory");
		if (rc != KT_OK)
			return rc;
	}
	return KT_OK;
}

int kt_rec_signatures_from_json(const json_t *v, const char *path, kt_doc_meta *m, kt_error *err)
{
	char base[288];
	size_t i;
	json_t *x;
	int rc;

	if (!json_is_array(v))
		return wrong(err, path, "an array");
	json_array_foreach(v, i, x) {
		kt_doc_signature *s = kt_doc_add_signature(m);

		if (s == NULL)
			return kt_error_set(err, KT_FATAL, "out of memory");
		snprintf(base, sizeof base, "%s[%zu]", path, i);
		if ((rc = get_one(base, x, s, err)) != KT_OK)
			return rc;
	}
	return KT_OK;
}
