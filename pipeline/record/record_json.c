/* record_json.c - spells the keys of the document object (docs/cli.md, "Document object"):
 * kt_doc_to_json, kt_doc_from_json; "signatures": record_json_sign.c; "links": record_json_links.c;
 * "versions": record_json_versions.c; a page's "quality": record_json_quality.c; "corrections":
 * correction.c. Key order written, today's contract: the catalog's for the document
 * and its pages, the metadata sorted by key at every depth (the catalog stores it sorted,
 * document.json is written sorted). Unknown keys read are kept and written back after the known. */
#include "record_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- writing */

#define str_or_null kt_rec_str_or_null

static json_t *strv_json(const kt_strv *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

/* Set key to v unless s is NULL (the key is then absent). */
static void put_opt(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
}

/* Add the unknown keys kept from reading, unless a known key has that name. */
static void put_extra(json_t *o, const json_t *extra)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)extra, k, v)
		if (json_object_get(o, k) == NULL)
			json_object_set_nocheck(o, k, v);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A copy of v with the keys of every object in byte order (JSON_SORT_KEYS). */
static json_t *sorted_copy(json_t *v)
{
	json_t *out, *x;
	size_t i, n;

	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			if (out != NULL && json_array_append_new(out, sorted_copy(x)) != 0) {
				json_decref(out);
				return NULL;
			}
		return out;
	}
	if (!json_is_object(v))
		return json_incref(v);
	n = json_object_size(v);
	out = json_object();
	if (out != NULL && n > 0) {
		const char **keys = malloc(n * sizeof *keys);
		const char *k;

		if (keys == NULL) {
			json_decref(out);
			return NULL;
		}
		i = 0;
		json_object_foreach(v, k, x)
			keys[i++] = k;
		qsort(keys, n, sizeof *keys, cmp_key);
		for (i = 0; i < n; i++)
			if (json_object_set_new_nocheck(out, keys[i], sorted_copy(json_object_get(v, keys[i]))) != 0) {
				json_decref(out);
				out = NULL;
				break;
			}
		free(keys);
	}
	return out;
}

static json_t *mrz_json(const kt_doc_mrz *z)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	put_opt(o, "format", z->format);
	put_opt(o, "document_type", z->document_type);
	put_opt(o, "issuer", z->issuer);
	put_opt(o, "surname", z->surname);
	put_opt(o, "given_names", z->given_names);
	put_opt(o, "document_number", z->document_number);
	put_opt(o, "nationality", z->nationality);
	put_opt(o, "birth_date", z->birth_date);
	put_opt(o, "sex", z->sex);
	put_opt(o, "expiry_date", z->expiry_date);
	put_opt(o, "optional_data", z->optional_data);
	put_opt(o, "optional_data_2", z->optional_data_2);
	if (z->has_valid)
		json_object_set_new(o, "valid", json_boolean(z->valid));
	if (z->has_errors)
		json_object_set_new(o, "errors", strv_json(&z->errors));
	put_opt(o, "line1", z->line1);
	put_opt(o, "line2", z->line2);
	put_opt(o, "line3", z->line3);
	put_extra(o, z->extra);
	return o;
}

json_t *kt_doc_meta_to_json(const kt_doc_meta *m)
{
	json_t *o = json_object(), *a, *sorted;
	size_t i;

	if (o == NULL)
		return NULL;
	if (m->has & KT_DOC_HAS_CASE_NUMBERS)
		json_object_set_new(o, "case_numbers", strv_json(&m->case_numbers));
	if (m->has & KT_DOC_HAS_PERSONAL_CODES)
		json_object_set_new(o, "personal_codes", strv_json(&m->personal_codes));
	if (m->has & KT_DOC_HAS_DATES)
		json_object_set_new(o, "dates", strv_json(&m->dates));
	put_opt(o, "doc_type", m->doc_type);
	if (m->has & KT_DOC_HAS_DOC_TYPE_EVIDENCE)
		json_object_set_new(o, "doc_type_evidence", strv_json(&m->doc_type_evidence));
	if (m->has & KT_DOC_HAS_NAMES) {
		a = json_array();
		for (i = 0; a != NULL && i < m->n_names; i++) {
			json_t *n = json_object();

			put_opt(n, "surname", m->names[i].surname);
			put_opt(n, "given_names", m->names[i].given_names);
			put_extra(n, m->names[i].extra);
			json_array_append_new(a, n);
		}
		json_object_set_new(o, "names", a);
	}
	if (m->has & KT_DOC_HAS_PCODE_CANDIDATES) {
		a = json_array();
		for (i = 0; a != NULL && i < m->n_pcode_candidates; i++) {
			const kt_doc_pcode_candidate *c = &m->pcode_candidates[i];
			json_t *n = json_object();

			put_opt(n, "value", c->value);
			put_opt(n, "country", c->country);
			put_opt(n, "reason", c->reason);
			put_extra(n, c->extra);
			json_array_append_new(a, n);
		}
		json_object_set_new(o, "personal_code_candidates", a);
	}
	if (m->has & KT_DOC_HAS_PCODE_COUNTRIES) {
		a = json_object();
		for (i = 0; a != NULL && i < m->n_pcode_countries; i++)
			json_object_set_new(a, m->pcode_countries[i].code,
					    str_or_null(m->pcode_countries[i].country));
		json_object_set_new(o, "personal_code_countries", a);
	}
	if (m->mrz != NULL)
		json_object_set_new(o, "mrz", mrz_json(m->mrz));
	if (m->has & KT_DOC_HAS_SIGNATURES)
		json_object_set_new(o, "signatures", kt_rec_signatures_json(m));
	put_extra(o, m->extra);
	sorted = sorted_copy(o);
	json_decref(o);
	return sorted;
}

static json_t *page_json(const kt_doc_page *p)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "n", json_integer(p->n));
	json_object_set_new(o, "rotation", json_integer(p->rotation));
	json_object_set_new(o, "skew", json_real(p->skew));
	json_object_set_new(o, "blank", json_boolean(p->blank));
	json_object_set_new(o, "lang", str_or_null(p->lang));
	json_object_set_new(o, "confidence", json_integer(p->confidence));
	json_object_set_new(o, "text", str_or_null(p->text));
	json_object_set_new(o, "text_source", str_or_null(p->text_source));
	if (p->measured)
		json_object_set_new(o, "quality", kt_rec_quality_json(p));
	put_extra(o, p->extra);
	return o;
}

json_t *kt_doc_to_json(const kt_doc *d)
{
	json_t *o = json_object(), *pages = json_array(), *meta = kt_doc_meta_to_json(&d->meta);
	char *src = kt_doc_source_escape(d);
	size_t i;

	if (o == NULL || pages == NULL || meta == NULL || src == NULL) {
		json_decref(o);
		json_decref(pages);
		json_decref(meta);
		free(src);
		return NULL;
	}
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "source", json_string(src));
	free(src);
	json_object_set_new(o, "sha256", str_or_null(d->sha256));
	if (d->status != KT_DOC_NONE)
		json_object_set_new(o, "status", json_string(kt_doc_status_name(d->status)));
	put_opt(o, "error", d->error);
	json_object_set_new(o, "format", str_or_null(d->format));
	json_object_set_new(o, "batch", str_or_null(d->batch));
	put_opt(o, "ocr_engine", d->ocr_engine);
	if (d->package != NULL) {
		json_object_set_new(o, "package", json_string(d->package));
		json_object_set_new(o, "package_version", json_integer(d->package_version));
	}
	if (d->n_versions > 0)
		json_object_set_new(o, "versions", kt_rec_versions_json(d));
	for (i = 0; i < d->n_pages; i++)
		json_array_append_new(pages, page_json(&d->pages[i]));
	json_object_set_new(o, "pages", pages);
	json_object_set_new(o, "metadata", meta);
	if (d->has_links) {
		json_t *cases = json_array();

		for (i = 0; cases != NULL && i < d->n_links; i++)
			json_array_append_new(cases, str_or_null(d->links[i].case_number));
		json_object_set_new(o, "cases", cases);
		if (kt_rec_links_known(d))
			json_object_set_new(o, "links", kt_rec_links_json(d));
	}
	if (d->n_corrections > 0)
		json_object_set_new(o, "corrections", kt_rec_corrections_json(d));
	if (d->part > 0)
		json_object_set_new(o, "part", kt_rec_part_json(d));
	put_extra(o, d->extra);
	return o;
}

char *kt_doc_dumps(const kt_doc *d, enum kt_doc_json_form form)
{
	json_t *j = kt_doc_to_json(d);
	char *s, *line;
	size_t n;

	if (j == NULL)
		return NULL;
	if (form == KT_DOC_JSON_PACKAGE) {
		s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
		json_decref(j);
		return s;
	}
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (s == NULL)
		return NULL;
	n = strlen(s);
	line = malloc(n + 2);
	if (line != NULL) {
		memcpy(line, s, n);
		line[n] = '\n';
		line[n + 1] = '\0';
	}
	free(s);
	return line;
}

/* ---------------------------------------------------------------- reading */

static const char *type_name(const json_t *v)
{
	if (v == NULL)
		return "missing";
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int wrong(kt_error *err, const char *path, const char *want, const json_t *v)
{
	return kt_error_set(err, KT_FAILED, "document record: '%s' must be %s, not %s", path, want,
			    type_name(v));
}

static int oom(kt_error *err)
{
	return kt_error_set(err, KT_FATAL, "out of memory");
}

/* A key's path for messages, printf-formatted; cut when too long. */
static void __attribute__((format(printf, 3, 4))) path_of(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

/* path = "base.key" (or "key" when base is empty) */
static void join(char *path, size_t size, const char *base, const char *key)
{
	path_of(path, size, "%s%s%s", base, base[0] ? "." : "", key);
}

/* A string (or, when nullable, null: NULL) into the owned *slot. */
static int get_str(const json_t *v, const char *path, int nullable, char **slot, kt_error *err)
{
	if (nullable && json_is_null(v))
		return kt_doc_str_set(slot, NULL);
	if (!json_is_string(v))
		return wrong(err, path, nullable ? "a string or null" : "a string", v);
	return kt_doc_str_set(slot, json_string_value(v)) == KT_OK ? KT_OK : oom(err);
}

static int get_int(const json_t *v, const char *path, int *out, kt_error *err)
{
	if (!json_is_integer(v))
		return wrong(err, path, "an integer", v);
	*out = (int)json_integer_value(v);
	return KT_OK;
}

static int get_bool(const json_t *v, const char *path, int *out, kt_error *err)
{
	if (!json_is_boolean(v))
		return wrong(err, path, "true or false", v);
	*out = json_is_true(v);
	return KT_OK;
}

static int get_strv(const json_t *v, const char *path, kt_strv *l, kt_error *err)
{
	char p[256];
	size_t i;
	json_t *x;

	if (!json_is_array(v))
		return wrong(err, path, "an array of strings", v);
	kt_strv_release(l);
	json_array_foreach(v, i, x) {
		if (!json_is_string(x)) {
			path_of(p, sizeof p, "%s[%zu]", path, i);
			return wrong(err, p, "a string", x);
		}
		if (kt_strv_push(l, json_string_value(x)) != KT_OK)
			return oom(err);
	}
	return KT_OK;
}

/* Keep an unknown key in *extra (made when first needed). */
static int keep(json_t **extra, const char *key, json_t *v, kt_error *err)
{
	if (*extra == NULL && (*extra = json_object()) == NULL)
		return oom(err);
	return json_object_set_nocheck(*extra, key, v) == 0 ? KT_OK : oom(err);
}

/* A JSON object whose members are all strings; each given to fn. */
static int get_strings_of(const json_t *v, const char *path, const char *const *keys, char **slots[],
			  size_t nkeys, json_t **extra, kt_error *err)
{
	char p[256];
	const char *k;
	json_t *x;
	size_t i;
	int rc = KT_OK;

	if (!json_is_object(v))
		return wrong(err, path, "an object", v);
	json_object_foreach((json_t *)v, k, x) {
		for (i = 0; i < nkeys && strcmp(k, keys[i]) != 0; i++)
			;
		join(p, sizeof p, path, k);
		rc = i < nkeys ? get_str(x, p, 0, slots[i], err) : keep(extra, k, x, err);
		if (rc != KT_OK)
			return rc;
	}
	return KT_OK;
}

static int get_mrz(const json_t *v, const char *path, kt_doc_meta *m, kt_error *err)
{
	static const char *const keys[] = {
		"format", "document_type", "issuer", "surname", "given_names", "document_number",
		"nationality", "birth_date", "sex", "expiry_date", "optional_data", "optional_data_2",
		"line1", "line2", "line3",
	};
	kt_doc_mrz *z;
	char p[256];
	const char *k;
	json_t *x, *strs;
	int rc;

	if (!json_is_object(v))
		return wrong(err, path, "an object", v);
	if ((z = kt_doc_new_mrz(m)) == NULL || (strs = json_object()) == NULL)
		return oom(err);
	/* valid and errors are not strings: taken out, the rest read as strings */
	json_object_foreach((json_t *)v, k, x) {
		join(p, sizeof p, path, k);
		if (strcmp(k, "valid") == 0)
			rc = get_bool(x, p, &z->valid, err), z->has_valid = 1;
		else if (strcmp(k, "errors") == 0)
			rc = get_strv(x, p, &z->errors, err), z->has_errors = 1;
		else
			rc = json_object_set(strs, k, x) == 0 ? KT_OK : oom(err);
		if (rc != KT_OK) {
			json_decref(strs);
			return rc;
		}
	}
	{
		char **slots[] = {
			&z->format, &z->document_type, &z->issuer, &z->surname, &z->given_names,
			&z->document_number, &z->nationality, &z->birth_date, &z->sex, &z->expiry_date,
			&z->optional_data, &z->optional_data_2, &z->line1, &z->line2, &z->line3,
		};

		rc = get_strings_of(strs, path, keys, slots, sizeof keys / sizeof keys[0], &z->extra, err);
	}
	json_decref(strs);
	return rc;
}

static int get_names(const json_t *v, const char *path, kt_doc_meta *m, kt_error *err)
{
	static const char *const keys[] = { "surname", "given_names" };
	char p[256];
	size_t i;
	json_t *x;
	int rc;

	if (!json_is_array(v))
		return wrong(err, path, "an array", v);
	json_array_foreach(v, i, x) {
		kt_doc_name *n = kt_doc_add_name(m);
		char **slots[2];

		if (n == NULL)
			return oom(err);
		slots[0] = &n->surname;
		slots[1] = &n->given_names;
		path_of(p, sizeof p, "%s[%zu]", path, i);
		if ((rc = get_strings_of(x, p, keys, slots, 2, &n->extra, err)) != KT_OK)
			return rc;
	}
	return KT_OK;
}

static int get_candidates(const json_t *v, const char *path, kt_doc_meta *m, kt_error *err)
{
	static const char *const keys[] = { "value", "country", "reason" };
	char p[256];
	size_t i;
	json_t *x;
	int rc;

	if (!json_is_array(v))
		return wrong(err, path, "an array", v);
	json_array_foreach(v, i, x) {
		kt_doc_pcode_candidate *c = kt_doc_add_pcode_candidate(m);
		char **slots[3];

		if (c == NULL)
			return oom(err);
		slots[0] = &c->value;
		slots[1] = &c->country;
		slots[2] = &c->reason;
		path_of(p, sizeof p, "%s[%zu]", path, i);
		if ((rc = get_strings_of(x, p, keys, slots, 3, &c->extra, err)) != KT_OK)
			return rc;
	}
	return KT_OK;
}

static int get_countries(const json_t *v, const char *path, kt_doc_meta *m, kt_error *err)
{
	char p[256];
	const char *k;
	json_t *x;

	if (!json_is_object(v))
		return wrong(err, path, "an object", v);
	json_object_foreach((json_t *)v, k, x) {
		if (!json_is_string(x)) {
			join(p, sizeof p, path, k);
			return wrong(err, p, "a string", x);
		}
		if (kt_doc_add_pcode_country(m, k, json_string_value(x)) != KT_OK)
			return oom(err);
	}
	return KT_OK;
}

/* The metadata lists: key, presence bit, and where they go. */
static kt_strv *meta_list(kt_doc_meta *m, const char *key, unsigned *bit)
{
	if (strcmp(key, "case_numbers") == 0)
		return *bit = KT_DOC_HAS_CASE_NUMBERS, &m->case_numbers;
	if (strcmp(key, "personal_codes") == 0)
		return *bit = KT_DOC_HAS_PERSONAL_CODES, &m->personal_codes;
	if (strcmp(key, "dates") == 0)
		return *bit = KT_DOC_HAS_DATES, &m->dates;
	if (strcmp(key, "doc_type_evidence") == 0)
		return *bit = KT_DOC_HAS_DOC_TYPE_EVIDENCE, &m->doc_type_evidence;
	return NULL;
}

static int meta_from_json(const json_t *j, const char *path, kt_doc_meta *m, kt_error *err)
{
	char p[256];
	const char *k;
	json_t *v;
	int rc = KT_OK;

	kt_doc_meta_release(m);
	if (!json_is_object(j))
		return wrong(err, path, "an object", j);
	json_object_foreach((json_t *)j, k, v) {
		unsigned bit = 0;
		kt_strv *l = meta_list(m, k, &bit);

		join(p, sizeof p, path, k);
		if (l != NULL) {
			rc = get_strv(v, p, l, err);
		} else if (strcmp(k, "doc_type") == 0) {
			rc = get_str(v, p, 0, &m->doc_type, err);
		} else if (strcmp(k, "names") == 0) {
			bit = KT_DOC_HAS_NAMES;
			rc = get_names(v, p, m, err);
		} else if (strcmp(k, "personal_code_candidates") == 0) {
			bit = KT_DOC_HAS_PCODE_CANDIDATES;
			rc = get_candidates(v, p, m, err);
		} else if (strcmp(k, "personal_code_countries") == 0) {
			bit = KT_DOC_HAS_PCODE_COUNTRIES;
			rc = get_countries(v, p, m, err);
		} else if (strcmp(k, "mrz") == 0) {
			rc = get_mrz(v, p, m, err);
		} else if (strcmp(k, "signatures") == 0) {
			bit = KT_DOC_HAS_SIGNATURES;
			rc = kt_rec_signatures_from_json(v, p, m, err);
		} else {
			rc = keep(&m->extra, k, v, err);
		}
		if (rc != KT_OK)
			return rc;
		m->has |= bit;
	}
	return KT_OK;
}

int kt_doc_meta_from_json(const json_t *j, kt_doc_meta *m, kt_error *err)
{
	kt_error local = { 0 };

	return meta_from_json(j, "metadata", m, err ? err : &local);
}

/* Page keys, all required; the bit of each in the page's "seen" mask.
 * "text_source" (issue 18) and "quality" (issue 19) are known but optional. */
static const char *const page_keys[] = { "n", "rotation", "skew", "blank", "lang", "confidence", "text" };
#define N_PAGE_KEYS (sizeof page_keys / sizeof page_keys[0])

static int get_page(const json_t *j, size_t idx, kt_doc *d, kt_error *err)
{
	kt_doc_page *pg = kt_doc_add_page(d);
	char base[64], p[256];
	unsigned seen = 0;
	const char *k;
	json_t *v;
	size_t i;
	int rc = KT_OK;

	if (pg == NULL)
		return oom(err);
	path_of(base, sizeof base, "pages[%zu]", idx);
	if (!json_is_object(j))
		return wrong(err, base, "an object", j);
	json_object_foreach((json_t *)j, k, v) {
		for (i = 0; i < N_PAGE_KEYS && strcmp(k, page_keys[i]) != 0; i++)
			;
		join(p, sizeof p, base, k);
		/* optional: records from before issues 18 and 19 lack them */
		if (i == N_PAGE_KEYS && (!strcmp(k, "text_source") || !strcmp(k, "quality"))) {
			rc = k[0] == 't' ? get_str(v, p, 1, &pg->text_source, err)
					 : kt_rec_quality_from_json(v, p, pg, err);
			if (rc != KT_OK)
				return rc;
			continue;
		}
		switch (i) {
		case 0: rc = get_int(v, p, &pg->n, err); break;
		case 1: rc = get_int(v, p, &pg->rotation, err); break;
		case 2:
			if (!json_is_number(v))
				rc = wrong(err, p, "a number", v);
			else
				pg->skew = json_number_value(v);
			break;
		case 3: rc = get_bool(v, p, &pg->blank, err); break;
		case 4: rc = get_str(v, p, 1, &pg->lang, err); break;
		case 5: rc = get_int(v, p, &pg->confidence, err); break;
		case 6: rc = get_str(v, p, 1, &pg->text, err); break;
		default: rc = keep(&pg->extra, k, v, err); break;
		}
		if (rc != KT_OK)
			return rc;
		if (i < N_PAGE_KEYS)
			seen |= 1u << i;
	}
	for (i = 0; i < N_PAGE_KEYS; i++)
		if (!(seen & (1u << i))) {
			join(p, sizeof p, base, page_keys[i]);
			return kt_error_set(err, KT_FAILED, "document record: '%s' is missing", p);
		}
	return KT_OK;
}

/* Top-level keys; the first REQUIRED of them must be there. */
static const char *const doc_keys[] = {
	"id", "source", "sha256", "format", "batch", "pages", "metadata", "status", "error",
	"ocr_engine", "package", "package_version", "cases", "versions", "links", "corrections", "part",
};
#define N_REQUIRED 7
#define N_DOC_KEYS (sizeof doc_keys / sizeof doc_keys[0])

static int get_key(kt_doc *d, size_t which, const char *k, json_t *v, kt_error *err)
{
	size_t i;
	json_t *x;
	char *text;
	int rc = KT_OK;

	switch (which) {
	case 0:
		if (!json_is_integer(v))
			return wrong(err, k, "an integer", v);
		d->id = json_integer_value(v);
		return KT_OK;
	case 1:
		if (!json_is_string(v))
			return wrong(err, k, "a string", v);
		text = kt_doc_source_unescape(json_string_value(v), &i);
		if (text == NULL)
			return oom(err);
		free(d->source);
		d->source = text;
		d->source_len = i;
		return KT_OK;
	case 2: return get_str(v, k, 0, &d->sha256, err);
	case 3: return get_str(v, k, 1, &d->format, err);
	case 4: return get_str(v, k, 1, &d->batch, err);
	case 5:
		if (!json_is_array(v))
			return wrong(err, k, "an array", v);
		json_array_foreach(v, i, x)
			if ((rc = get_page(x, i, d, err)) != KT_OK)
				return rc;
		return KT_OK;
	case 6: return meta_from_json(v, "metadata", &d->meta, err);
	case 7:
		if (!json_is_string(v))
			return wrong(err, k, "a string", v);
		d->status = kt_doc_status_of(json_string_value(v));
		if (d->status == KT_DOC_NONE)
			return kt_error_set(err, KT_FAILED, "document record: 'status' must be "
					    "processing, done or failed, not '%s'", json_string_value(v));
		return KT_OK;
	case 8: return get_str(v, k, 0, &d->error, err);
	case 9: return get_str(v, k, 0, &d->ocr_engine, err);
	case 10: return get_str(v, k, 0, &d->package, err);
	case 11: return get_int(v, k, &d->package_version, err);
	case 12:
		if (!json_is_array(v))
			return wrong(err, k, "an array of strings", v);
		d->has_links = 1;
		json_array_foreach(v, i, x) {
			char p[64];

			if (!json_is_string(x)) {
				path_of(p, sizeof p, "cases[%zu]", i);
				return wrong(err, p, "a string", x);
			}
			if (kt_doc_find_link(d, json_string_value(x)) == NULL &&
			    kt_doc_add_link(d, json_string_value(x), NULL) != KT_OK)
				return oom(err);
		}
		return KT_OK;
	case 13: return kt_rec_versions_from_json(v, d, err);
	case 14: return kt_rec_links_from_json(v, d, err);
	case 15: return kt_rec_corrections_from_json(v, d, err);
	case 16: return kt_rec_part_from_json(v, d, err);
	default: return keep(&d->extra, k, v, err);
	}
}

int kt_doc_from_json(const json_t *j, kt_doc **out, kt_error *err)
{
	kt_error local = { 0 };
	kt_doc *d;
	unsigned seen = 0;
	const char *k;
	json_t *v;
	size_t i;
	int rc = KT_OK;

	*out = NULL;
	if (err == NULL)
		err = &local;
	if (!json_is_object(j))
		return j ? wrong(err, "(document)", "an object", j)
			 : kt_error_set(err, KT_FAILED, "document record: no JSON value");
	if ((d = kt_doc_new()) == NULL)
		return oom(err);
	json_object_foreach((json_t *)j, k, v) {
		for (i = 0; i < N_DOC_KEYS && strcmp(k, doc_keys[i]) != 0; i++)
			;
		if ((rc = get_key(d, i, k, v, err)) != KT_OK)
			break;
		if (i < N_DOC_KEYS)
			seen |= 1u << i;
	}
	for (i = 0; rc == KT_OK && i < N_REQUIRED; i++)
		if (!(seen & (1u << i)))
			rc = kt_error_set(err, KT_FAILED, "document record: '%s' is missing", doc_keys[i]);
	if (rc == KT_OK && d->package == NULL && (seen & (1u << 11)))
		rc = kt_error_set(err, KT_FAILED, "document record: 'package_version' without 'package'");
	if (rc != KT_OK) {
		kt_doc_free(&d);
		return rc;
	}
	*out = d;
	return KT_OK;
}
