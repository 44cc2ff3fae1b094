/*
 * correction.c - what people correct (issue 9, `kartoteka edit`): the check
 * of a corrected value, its application over what OCR and extraction give
 * (page texts first, so that extraction reads the corrected text; then the
 * fields), and the record's "corrections" to and from JSON:
 *
 *   "corrections": [{"field": "dates", "page": 0, "value": ["2023-03-14"],
 *                    "user": "anna", "at": "YYYY-MM-DDTHH:MM:SSZ",
 *                    "reason": "..." | null}, ...]
 *
 * Every package version made after a correction carries the whole list, so
 * a rebuild from the archive alone gets them back.
 */
#include "record_private.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fields[] = {
	"doc_type", "dates", "case_numbers", "personal_codes", "names", "page_text",
};

static int utf8_string(const json_t *v)
{
	return json_is_string(v) && kt_utf8_valid(json_string_value(v), json_string_length(v));
}

/* A string without control characters, not empty. */
static int plain(const json_t *v)
{
	const char *s;

	if (!utf8_string(v) || json_string_length(v) == 0)
		return 0;
	for (s = json_string_value(v); *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* "LV" or "LT" for a valid canonical code, else NULL. */
static const char *pcode_country(const char *s)
{
	if (strlen(s) == 12 && kt_record_pcode_lv_validate(s) == NULL)
		return "LV";
	if (strlen(s) == 11 && kt_record_pcode_lt_validate(s) == NULL)
		return "LT";
	return NULL;
}

static const char *check_list(const char *field, const json_t *value)
{
	size_t i;
	json_t *x;

	if (!json_is_array(value))
		return strcmp(field, "names") == 0 ? "must be a list of names" : "must be a list";
	json_array_foreach(value, i, x) {
		if (strcmp(field, "names") == 0) {
			if (!json_is_object(x) || !plain(json_object_get(x, "surname")) ||
			    !plain(json_object_get(x, "given_names")))
				return "each name needs a surname and given names";
		} else if (!plain(x)) {
			return "each value must be a text of one line, not empty";
		} else if (strcmp(field, "dates") == 0 && !kt_record_date_valid(json_string_value(x))) {
			return "each date must be a real date YYYY-MM-DD";
		} else if (strcmp(field, "personal_codes") == 0 && pcode_country(json_string_value(x)) == NULL) {
			return "each personal code must be a valid Latvian (DDMMYY-NNNNN) or "
			       "Lithuanian (11 digits) code";
		}
	}
	return NULL;
}

const char *kt_doc_correction_check(const char *field, int page, const json_t *value)
{
	size_t i, n = sizeof fields / sizeof fields[0];
	const char *s;

	for (i = 0; field != NULL && i < n && strcmp(field, fields[i]) != 0; i++)
		;
	if (field == NULL || i == n)
		return "is not a field that can be corrected";
	if ((strcmp(field, "page_text") == 0) != (page > 0))
		return page > 0 ? "takes no page number" : "needs a page number from 1";
	if (strcmp(field, "page_text") == 0)
		return utf8_string(value) ? NULL : "must be UTF-8 text";
	if (strcmp(field, "doc_type") != 0)
		return check_list(field, value);
	if (!plain(value) || json_string_length(value) > 32)
		return "must be a document type (a word of at most 32 letters)";
	for (s = json_string_value(value); *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return "must be a document type (lower-case letters and '_')";
	return NULL;
}

int kt_doc_apply_page_corrections(kt_doc *d, const kt_doc *src)
{
	size_t i;

	for (i = 0; i < src->n_corrections; i++) {
		const kt_doc_correction *c = &src->corrections[i];

		if (strcmp(c->field, "page_text") != 0 || c->page < 1 || (size_t)c->page > d->n_pages ||
		    !json_is_string(c->value))
			continue;
		if (kt_doc_str_set(&d->pages[c->page - 1].text, json_string_value(c->value)) != KT_OK)
			return KT_FATAL;
	}
	return KT_OK;
}

/* m's list for a list field, and its presence bit. */
static kt_strv *list_of(kt_doc_meta *m, const char *field, unsigned *bit)
{
	if (strcmp(field, "dates") == 0)
		return *bit = KT_DOC_HAS_DATES, &m->dates;
	if (strcmp(field, "case_numbers") == 0)
		return *bit = KT_DOC_HAS_CASE_NUMBERS, &m->case_numbers;
	return *bit = KT_DOC_HAS_PERSONAL_CODES, &m->personal_codes;
}

static int set_names(kt_doc_meta *m, const json_t *value)
{
	size_t i;
	json_t *x;

	for (i = 0; i < m->n_names; i++) {
		free(m->names[i].surname);
		free(m->names[i].given_names);
		json_decref(m->names[i].extra);
	}
	free(m->names);
	m->names = NULL;
	m->n_names = 0;
	m->has |= KT_DOC_HAS_NAMES;
	json_array_foreach(value, i, x) {
		kt_doc_name *nm = kt_doc_add_name(m);

		if (nm == NULL ||
		    kt_doc_str_set(&nm->surname, json_string_value(json_object_get(x, "surname"))) != KT_OK ||
		    kt_doc_str_set(&nm->given_names,
				   json_string_value(json_object_get(x, "given_names"))) != KT_OK)
			return KT_FATAL;
	}
	return KT_OK;
}

/* The personal codes' countries, made again from the codes. */
static int set_countries(kt_doc_meta *m)
{
	size_t i;

	for (i = 0; i < m->n_pcode_countries; i++) {
		free(m->pcode_countries[i].code);
		free(m->pcode_countries[i].country);
	}
	free(m->pcode_countries);
	m->pcode_countries = NULL;
	m->n_pcode_countries = 0;
	m->has |= KT_DOC_HAS_PCODE_COUNTRIES;
	for (i = 0; i < m->personal_codes.n; i++)
		if (kt_doc_add_pcode_country(m, m->personal_codes.v[i],
					     pcode_country(m->personal_codes.v[i])) != KT_OK)
			return KT_FATAL;
	return KT_OK;
}

static int apply_one(kt_doc_meta *m, const kt_doc_correction *c)
{
	unsigned bit;
	kt_strv *l;
	size_t i;
	json_t *x;

	if (strcmp(c->field, "doc_type") == 0)
		return kt_doc_str_set(&m->doc_type, json_string_value(c->value));
	if (strcmp(c->field, "names") == 0)
		return set_names(m, c->value);
	l = list_of(m, c->field, &bit);
	kt_strv_release(l);
	m->has |= bit;
	json_array_foreach(c->value, i, x)
		if (kt_strv_push(l, json_string_value(x)) != KT_OK)
			return KT_FATAL;
	if (strcmp(c->field, "personal_codes") == 0)
		return set_countries(m);
	if (strcmp(c->field, "dates") == 0)
		kt_strv_sort(l);
	return KT_OK;
}

int kt_doc_apply_meta_corrections(kt_doc_meta *m, const kt_doc *src)
{
	size_t i;
	int rc = KT_OK;

	for (i = 0; rc == KT_OK && i < src->n_corrections; i++) {
		const kt_doc_correction *c = &src->corrections[i];

		if (strcmp(c->field, "page_text") != 0 &&
		    kt_doc_correction_check(c->field, c->page, c->value) == NULL)
			rc = apply_one(m, c);
	}
	return rc;
}

/* ------------------------------------------------------------------- JSON */

json_t *kt_rec_corrections_json(const kt_doc *d)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < d->n_corrections; i++) {
		const kt_doc_correction *c = &d->corrections[i];
		json_t *o = json_object();

		json_object_set_new(o, "field", kt_rec_str_or_null(c->field));
		json_object_set_new(o, "page", json_integer(c->page));
		json_object_set(o, "value", c->value ? c->value : json_null());
		json_object_set_new(o, "user", kt_rec_str_or_null(c->user));
		json_object_set_new(o, "at", kt_rec_str_or_null(c->at));
		json_object_set_new(o, "reason", kt_rec_str_or_null(c->reason));
		json_array_append_new(a, o);
	}
	return a;
}

int kt_rec_corrections_from_json(const json_t *v, kt_doc *d, kt_error *err)
{
	size_t i;
	json_t *x;

	if (!json_is_array(v))
		return kt_error_set(err, KT_FAILED, "document record: 'corrections' must be an array");
	json_array_foreach(v, i, x) {
		json_t *field = json_object_get(x, "field"), *page = json_object_get(x, "page");
		json_t *user = json_object_get(x, "user"), *at = json_object_get(x, "at");
		json_t *reason = json_object_get(x, "reason"), *value = json_object_get(x, "value");
		const char *why;

		if (!json_is_object(x) || !json_is_string(field) || !json_is_integer(page) ||
		    !json_is_string(user) || !json_is_string(at) ||
		    !(reason == NULL || json_is_null(reason) || json_is_string(reason)))
			return kt_error_set(err, KT_FAILED, "document record: 'corrections[%zu]' must"
					    " have a string field, user and at, and an integer page", i);
		why = kt_doc_correction_check(json_string_value(field), (int)json_integer_value(page),
					      value);
		if (why != NULL)
			return kt_error_set(err, KT_FAILED, "document record: 'corrections[%zu].value' %s",
					    i, why);
		if (kt_doc_add_correction(d, json_string_value(field), (int)json_integer_value(page),
					  value, json_string_value(user), json_string_value(at),
					  json_is_string(reason) ? json_string_value(reason) : NULL) != KT_OK)
			return kt_error_set(err, KT_FATAL, "out of memory");
	}
	return KT_OK;
}
