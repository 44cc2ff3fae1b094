/*
 * extract.c - kt_extract_metadata: run every extractor over one text and
 * gather what they found into one JSON object.
 *
 * Order matters: the MRZ is found first and its lines are skipped by the
 * others; case numbers and personal codes are found next and their bytes
 * are skipped by the date finder, so that no date is read out of a number.
 */
#include "extract_private.h"
#include "kt_record.h"

#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* a JSON array of the strings, sorted, without duplicates; NULL when out of memory */
static json_t *sorted_unique(const char **v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return NULL;
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_str);
	for (i = 0; i < n; i++) {
		json_t *s;

		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		s = json_string(v[i]);
		if (s == NULL)
			continue;	/* not UTF-8: leave it out */
		if (json_array_append_new(a, s) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int cmp_pcode(const void *a, const void *b)
{
	const kt_pcode *x = a, *y = b;
	int c = strcmp(x->value, y->value);

	return c != 0 ? c : strcmp(x->country, y->country);
}

/* the personal code in the optional data of a Latvian or Lithuanian MRZ */
static int mrz_pcode(const kt_mrz *m, kt_pcode *p)
{
	const char *o = m->optional_data;
	int lv = strcmp(m->issuer, "LVA") == 0 || strcmp(m->nationality, "LVA") == 0;
	int lt = strcmp(m->issuer, "LTU") == 0 || strcmp(m->nationality, "LTU") == 0;
	size_t i;

	if (strlen(o) != 11 || (!lv && !lt))
		return 0;
	for (i = 0; i < 11; i++)
		if (o[i] < '0' || o[i] > '9')
			return 0;
	memset(p, 0, sizeof *p);
	p->valid = 1;
	if (lv && kt_record_pcode_lv_validate(o) == NULL) {
		memcpy(p->value, o, 6);
		p->value[6] = '-';
		memcpy(p->value + 7, o + 6, 5);
		memcpy(p->country, "LV", 3);
		return 1;
	}
	if (lt && kt_record_pcode_lt_validate(o) == NULL) {
		memcpy(p->value, o, 12);
		memcpy(p->country, "LT", 3);
		return 1;
	}
	return 0;
}

static int set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(o, key, v);
}

static json_t *pcodes_json(kt_pcode *p, size_t n, json_t *o)
{
	json_t *codes = json_array(), *countries = json_object(), *cands = json_array();
	size_t i, j;
	int bad = codes == NULL || countries == NULL || cands == NULL;

	if (n > 1)
		qsort(p, n, sizeof *p, cmp_pcode);
	for (i = 0; i < n && !bad; i++) {
		if (i > 0 && cmp_pcode(&p[i], &p[i - 1]) == 0)
			continue;
		if (p[i].valid) {
			if (json_object_get(countries, p[i].value) != NULL)
				continue;
			bad |= json_array_append_new(codes, json_string(p[i].value));
			bad |= json_object_set_new(countries, p[i].value, json_string(p[i].country));
		}
	}
	for (i = 0; i < n && !bad; i++) {
		json_t *c;
		int known = 0;

		if (p[i].valid || (i > 0 && cmp_pcode(&p[i], &p[i - 1]) == 0))
			continue;
		for (j = 0; j < n; j++)
			if (p[j].valid && strcmp(p[j].value, p[i].value) == 0)
				known = 1;
		if (known)
			continue;
		c = json_pack("{s:s, s:s, s:s}", "value", p[i].value, "country", p[i].country,
			      "reason", p[i].reason ? p[i].reason : "checksum");
		bad |= json_array_append_new(cands, c);
	}
	bad |= set(o, "personal_codes", codes);
	bad |= set(o, "personal_code_countries", countries);
	bad |= set(o, "personal_code_candidates", cands);
	return bad ? NULL : o;
}

/* same name whatever the case or diacritics */
static int same_name(const char *s1, const char *g1, const char *s2, const char *g2)
{
	size_t n1, n2, n3, n4;
	char *a = kt_extract_fold(s1, strlen(s1), NULL, &n1);
	char *b = kt_extract_fold(s2, strlen(s2), NULL, &n2);
	char *c = kt_extract_fold(g1, strlen(g1), NULL, &n3);
	char *d = kt_extract_fold(g2, strlen(g2), NULL, &n4);
	int same = a && b && c && d && strcmp(a, b) == 0 && strcmp(c, d) == 0;

	free(a);
	free(b);
	free(c);
	free(d);
	return same;
}

static json_t *names_json(const kt_mrz *m, int has_mrz, const kt_name *names, size_t n)
{
	json_t *a = json_array();
	size_t i;
	int bad = a == NULL;

	if (!bad && has_mrz && (m->surname[0] || m->given_names[0]))
		bad |= json_array_append_new(a, json_pack("{s:s, s:s}", "surname", m->surname,
							  "given_names", m->given_names));
	for (i = 0; i < n && !bad; i++) {
		json_t *e;
		size_t j;
		int dup = 0;

		if (has_mrz && same_name(names[i].surname, names[i].given_names, m->surname,
					 m->given_names))
			continue;
		for (j = 0; j < i; j++)
			if (same_name(names[i].surname, names[i].given_names, names[j].surname,
				      names[j].given_names))
				dup = 1;
		if (dup)
			continue;
		e = json_pack("{s:s, s:s}", "surname", names[i].surname, "given_names",
			      names[i].given_names);
		if (e != NULL)	/* NULL: not UTF-8 */
			bad |= json_array_append_new(a, e);
	}
	if (bad) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *kt_extract_metadata(const kt_extract_cfg *c, const char *text)
{
	kt_mrz mrz;
	kt_case *cases = NULL;
	kt_pcode *pcodes = NULL;
	kt_date *dates = NULL;
	kt_name *names = NULL;
	size_t ncases = 0, npcodes = 0, ndates = 0, nnames = 0, i;
	kt_vec ex;
	const char **strs = NULL;
	json_t *o = NULL, *evidence = NULL;
	kt_doc_type type;
	int has_mrz, bad = 0;

	if (text == NULL)
		return NULL;
	kt_vec_init(&ex, sizeof(kt_extract_span));
	has_mrz = kt_mrz_find(text, kt_extract_cfg_today(c), &mrz) == KT_OK;
	if (has_mrz && kt_vec_push(&ex, &mrz.span) < 0)
		goto fail;

	if (kt_extract_case_numbers(c, text, ex.data, ex.len, &cases, &ncases) != KT_OK)
		goto fail;
	for (i = 0; i < ncases; i++)
		if (kt_vec_push(&ex, &cases[i].span) < 0)
			goto fail;
	if (kt_pcode_find(text, ex.data, ex.len, &pcodes, &npcodes) != KT_OK)
		goto fail;
	for (i = 0; i < npcodes; i++)
		if (kt_vec_push(&ex, &pcodes[i].span) < 0)
			goto fail;
	if (kt_date_find(text, ex.data, ex.len, &dates, &ndates) != KT_OK)
		goto fail;
	if (kt_extract_names(text, &names, &nnames) != KT_OK)
		goto fail;
	if (has_mrz) {
		kt_pcode p, *np;

		if (mrz_pcode(&mrz, &p)) {
			np = realloc(pcodes, (npcodes + 1) * sizeof *np);
			if (np == NULL)
				goto fail;
			pcodes = np;
			pcodes[npcodes++] = p;
		}
	}

	o = json_object();
	evidence = json_array();
	strs = malloc((ncases + ndates + 1) * sizeof *strs);
	if (o == NULL || evidence == NULL || strs == NULL)
		goto fail;

	for (i = 0; i < ncases; i++)
		strs[i] = cases[i].value;
	bad |= set(o, "case_numbers", sorted_unique(strs, ncases));
	if (!bad && pcodes_json(pcodes, npcodes, o) == NULL)
		bad = 1;
	for (i = 0; i < ndates; i++)
		strs[i] = dates[i].iso;
	bad |= set(o, "dates", sorted_unique(strs, ndates));
	type = kt_extract_doc_type(text, has_mrz, evidence);
	bad |= set(o, "doc_type", json_string(kt_extract_doc_type_name(type)));
	bad |= set(o, "doc_type_evidence", evidence);
	evidence = NULL;
	bad |= set(o, "names", names_json(&mrz, has_mrz, names, nnames));
	if (has_mrz)
		bad |= set(o, "mrz", kt_mrz_to_json(&mrz));
	if (bad)
		goto fail;

	free(strs);
	free(cases);
	free(pcodes);
	free(dates);
	free(names);
	kt_vec_release(&ex);
	return o;
fail:
	json_decref(o);
	json_decref(evidence);
	free(strs);
	free(cases);
	free(pcodes);
	free(dates);
	free(names);
	kt_vec_release(&ex);
	return NULL;
}
