/*
 * record.c - the document record (kt_record.h): making, growing and freeing
 * it, and the escaping of its source bytes. The JSON form is record_json.c.
 */
#include "kt_record.h"
#include "kt_text.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = { NULL, "processing", "done", "failed" };

const char *kt_doc_status_name(enum kt_doc_status s)
{
	return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : NULL;
}

enum kt_doc_status kt_doc_status_of(const char *name)
{
	size_t i;

	for (i = 1; name != NULL && i < sizeof status_names / sizeof status_names[0]; i++)
		if (strcmp(name, status_names[i]) == 0)
			return (enum kt_doc_status)i;
	return KT_DOC_NONE;
}

kt_doc *kt_doc_new(void)
{
	return calloc(1, sizeof(kt_doc));
}

static void mrz_free(kt_doc_mrz *z)
{
	if (z == NULL)
		return;
	free(z->format);
	free(z->document_type);
	free(z->issuer);
	free(z->surname);
	free(z->given_names);
	free(z->document_number);
	free(z->nationality);
	free(z->birth_date);
	free(z->sex);
	free(z->expiry_date);
	free(z->optional_data);
	free(z->optional_data_2);
	kt_strv_release(&z->errors);
	free(z->line1);
	free(z->line2);
	free(z->line3);
	json_decref(z->extra);
	free(z);
}

void kt_doc_meta_release(kt_doc_meta *m)
{
	size_t i;

	kt_strv_release(&m->case_numbers);
	kt_strv_release(&m->personal_codes);
	kt_strv_release(&m->dates);
	free(m->doc_type);
	kt_strv_release(&m->doc_type_evidence);
	for (i = 0; i < m->n_names; i++) {
		free(m->names[i].surname);
		free(m->names[i].given_names);
		json_decref(m->names[i].extra);
	}
	free(m->names);
	for (i = 0; i < m->n_pcode_candidates; i++) {
		free(m->pcode_candidates[i].value);
		free(m->pcode_candidates[i].country);
		free(m->pcode_candidates[i].reason);
		json_decref(m->pcode_candidates[i].extra);
	}
	free(m->pcode_candidates);
	for (i = 0; i < m->n_pcode_countries; i++) {
		free(m->pcode_countries[i].code);
		free(m->pcode_countries[i].country);
	}
	free(m->pcode_countries);
	mrz_free(m->mrz);
	json_decref(m->extra);
	for (i = 0; i < m->n_signatures; i++) {
		free(m->signatures[i].xml);
		free(m->signatures[i].signer);
		free(m->signatures[i].signing_time);
		kt_strv_release(&m->signatures[i].files);
		free(m->signatures[i].error);
		json_decref(m->signatures[i].extra);
	}
	free(m->signatures);
	memset(m, 0, sizeof *m);
}

void kt_doc_free(kt_doc **dp)
{
	kt_doc *d;
	size_t i;

	if (dp == NULL || *dp == NULL)
		return;
	d = *dp;
	free(d->sha256);
	free(d->source);
	free(d->batch);
	free(d->error);
	free(d->format);
	free(d->ingested);
	free(d->ocr_engine);
	free(d->package);
	free(d->separator);
	for (i = 0; i < d->n_pages; i++) {
		free(d->pages[i].lang);
		free(d->pages[i].text);
		free(d->pages[i].text_source);
		json_decref(d->pages[i].extra);
	}
	free(d->pages);
	kt_doc_meta_release(&d->meta);
	for (i = 0; i < d->n_links; i++)
		kt_doc_link_release(&d->links[i]);
	free(d->links);
	for (i = 0; i < d->n_versions; i++) {
		free(d->versions[i].package);
		free(d->versions[i].created);
		free(d->versions[i].reason);
	}
	free(d->versions);
	for (i = 0; i < d->n_corrections; i++) {
		free(d->corrections[i].field);
		json_decref(d->corrections[i].value);
		free(d->corrections[i].user);
		free(d->corrections[i].at);
		free(d->corrections[i].reason);
	}
	free(d->corrections);
	json_decref(d->extra);
	free(d);
	*dp = NULL;
}

int kt_doc_str_set(char **slot, const char *s)
{
	char *copy = NULL;

	if (s != NULL && (copy = strdup(s)) == NULL)
		return KT_FATAL;
	free(*slot);
	*slot = copy;
	return KT_OK;
}

int kt_doc_set_source(kt_doc *d, const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return KT_FATAL;
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	free(d->source);
	d->source = copy;
	d->source_len = len;
	return KT_OK;
}

/* One more zeroed element (of elem_sizeof bytes) at the end of the array
 * *arr of *n elements; NULL when out of memory (the array kept). */
static void *grow(void **arr, size_t *n, size_t elem_sizeof)
{
	void *g = realloc(*arr, (*n + 1) * elem_sizeof);
	unsigned char *e;

	if (g == NULL)
		return NULL;
	*arr = g;
	e = (unsigned char *)g + *n * elem_sizeof;
	memset(e, 0, elem_sizeof);
	(*n)++;
	return e;
}

kt_doc_page *kt_doc_add_page(kt_doc *d)
{
	return grow((void **)&d->pages, &d->n_pages, sizeof *d->pages);
}

kt_doc_name *kt_doc_add_name(kt_doc_meta *m)
{
	return grow((void **)&m->names, &m->n_names, sizeof *m->names);
}

kt_doc_pcode_candidate *kt_doc_add_pcode_candidate(kt_doc_meta *m)
{
	return grow((void **)&m->pcode_candidates, &m->n_pcode_candidates,
		    sizeof *m->pcode_candidates);
}

kt_doc_signature *kt_doc_add_signature(kt_doc_meta *m)
{
	return grow((void **)&m->signatures, &m->n_signatures, sizeof *m->signatures);
}

kt_doc_mrz *kt_doc_new_mrz(kt_doc_meta *m)
{
	kt_doc_mrz *z = calloc(1, sizeof *z);

	if (z == NULL)
		return NULL;
	mrz_free(m->mrz);
	m->mrz = z;
	return z;
}

int kt_doc_add_pcode_country(kt_doc_meta *m, const char *code, const char *country)
{
	kt_doc_pcode_country *c = grow((void **)&m->pcode_countries, &m->n_pcode_countries,
				       sizeof *m->pcode_countries);

	if (c == NULL)
		return KT_FATAL;
	if (kt_doc_str_set(&c->code, code) != KT_OK || kt_doc_str_set(&c->country, country) != KT_OK)
		return KT_FATAL;
	return KT_OK;
}

int kt_doc_add_link(kt_doc *d, const char *case_number, const char *evidence)
{
	kt_doc_link *l = grow((void **)&d->links, &d->n_links, sizeof *d->links);

	if (l == NULL)
		return KT_FATAL;
	l->confidence = -1;
	if (kt_doc_str_set(&l->case_number, case_number) != KT_OK ||
	    kt_doc_str_set(&l->evidence, evidence) != KT_OK)
		return KT_FATAL;
	return KT_OK;
}

int kt_doc_add_correction(kt_doc *d, const char *field, int page, json_t *value,
			  const char *user, const char *at, const char *reason)
{
	kt_doc_correction *c = grow((void **)&d->corrections, &d->n_corrections,
				    sizeof *d->corrections);

	if (c == NULL)
		return KT_FATAL;
	c->page = page;
	c->value = json_incref(value);
	if (kt_doc_str_set(&c->field, field) != KT_OK || kt_doc_str_set(&c->user, user) != KT_OK ||
	    kt_doc_str_set(&c->at, at) != KT_OK || kt_doc_str_set(&c->reason, reason) != KT_OK)
		return KT_FATAL;
	return KT_OK;
}

void kt_doc_link_release(kt_doc_link *l)
{
	free(l->case_number);
	free(l->evidence);
	free(l->rule);
	free(l->state);
	free(l->decided_by);
	free(l->decided_at);
	memset(l, 0, sizeof *l);
}

kt_doc_link *kt_doc_find_link(const kt_doc *d, const char *case_number)
{
	size_t i;

	for (i = 0; case_number != NULL && i < d->n_links; i++)
		if (d->links[i].case_number != NULL && strcmp(d->links[i].case_number, case_number) == 0)
			return &d->links[i];
	return NULL;
}

int kt_doc_add_version(kt_doc *d, int version, const char *package)
{
	kt_doc_version *v = grow((void **)&d->versions, &d->n_versions, sizeof *d->versions);

	if (v == NULL)
		return KT_FATAL;
	v->version = version;
	return kt_doc_str_set(&v->package, package);
}

char *kt_doc_source_escape(const kt_doc *d)
{
	return kt_utf8_escape(d->source ? d->source : "", d->source ? d->source_len : 0);
}

char *kt_doc_source_unescape(const char *src, size_t *len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(src), i, k = 0;
	char *out = malloc(n + 1), *again;

	*len = 0;
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *h1, *h2;

		if (src[i] == '\\' && i + 3 < n && src[i + 1] == 'x' && src[i + 2] && src[i + 3] &&
		    (h1 = strchr(hex, src[i + 2])) != NULL && (h2 = strchr(hex, src[i + 3])) != NULL) {
			out[k++] = (char)((h1 - hex) * 16 + (h2 - hex));
			i += 3;
			continue;
		}
		out[k++] = src[i];
	}
	out[k] = '\0';
	again = kt_utf8_escape(out, k);
	if (again == NULL) {
		free(out);
		return NULL;
	}
	if (strcmp(again, src) != 0) {
		memcpy(out, src, n + 1);
		k = n;
	}
	free(again);
	*len = k;
	return out;
}
