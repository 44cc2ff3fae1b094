/*
 * extract_mrz_check.c - check digits of a machine readable zone (ICAO Doc
 * 9303 part 3: weights 7, 3, 1; '<' counts 0): kt_mrz_check_digit, and which
 * checks of a zone fail (document number, with the TD1 long number; dates;
 * optional data; composite).
 */
#include "extract_mrz_private.h"

#include <string.h>

static int char_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c == '<')
		return 0;
	return -1;
}

int kt_mrz_check_digit(const char *s, size_t n)
{
	static const int w[3] = { 7, 3, 1 };
	size_t i;
	int sum = 0;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		int v = char_value(s[i]);

		if (v < 0)
			return -1;
		sum += v * w[i % 3];
	}
	return sum % 10;
}

/* the value a check-digit position holds: a digit, or '<' for 0 */
static int check_value(const struct zone *z, struct fpos f)
{
	char c = z->L[f.line][f.start];

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c == '<')
		return 0;
	return -1;
}

static int field_ok(const struct zone *z, struct fpos f, struct fpos chk)
{
	int v = check_value(z, chk);

	return v >= 0 && kt_mrz_check_digit(&z->L[f.line][f.start], (size_t)f.len) == v;
}

/*
 * TD1 document numbers longer than 9 characters: position 14 is '<' and the
 * number goes on in the optional data, its check digit last before a '<'.
 * Returns the length of the extension including the check digit, 0 if none.
 */
int kt_mrz_td1_long_doc(const struct zone *z, const struct lay *l)
{
	const char *s = z->L[0];
	int e;

	if (l->fmt != KT_MRZ_TD1 || s[14] != '<' || s[15] == '<')
		return 0;
	for (e = 15; e < 30 && s[e] != '<'; e++)
		;
	return e - 15 >= 2 ? e - 15 : 0;
}

static int doc_ok(const struct zone *z, const struct lay *l)
{
	int ext = kt_mrz_td1_long_doc(z, l);
	char buf[32];
	int v;

	if (ext == 0)
		return field_ok(z, l->doc, l->doc_chk);
	memcpy(buf, &z->L[0][5], 9);
	memcpy(buf + 9, &z->L[0][15], (size_t)ext - 1);
	v = z->L[0][15 + ext - 1] - '0';
	if (v < 0 || v > 9)
		return 0;
	return kt_mrz_check_digit(buf, (size_t)(9 + ext - 1)) == v;
}

static int comp_ok(const struct zone *z, const struct lay *l)
{
	static const int w[3] = { 7, 3, 1 };
	int i, k, idx = 0, sum = 0, v;

	if (l->comp.len == 0)
		return 1;
	for (k = 0; k < l->ncomp_r; k++) {
		const struct fpos *r = &l->comp_r[k];

		for (i = 0; i < r->len; i++) {
			int cv = char_value(z->L[r->line][r->start + i]);

			if (cv < 0)
				return 0;
			sum += cv * w[idx++ % 3];
		}
	}
	v = check_value(z, l->comp);
	return v >= 0 && sum % 10 == v;
}

/* the check failures of the zone as it stands (no date sanity) */
unsigned kt_mrz_check_errors(const struct zone *z, const struct lay *l)
{
	unsigned e = 0;

	if (!doc_ok(z, l))
		e |= KT_MRZ_ERR_DOCUMENT_NUMBER;
	if (!field_ok(z, l->birth, l->birth_chk))
		e |= KT_MRZ_ERR_BIRTH_DATE;
	if (!field_ok(z, l->exp, l->exp_chk))
		e |= KT_MRZ_ERR_EXPIRY_DATE;
	if (l->opt_chk.len && !field_ok(z, l->opt, l->opt_chk))
		e |= KT_MRZ_ERR_OPTIONAL_DATA;
	if (!comp_ok(z, l))
		e |= KT_MRZ_ERR_COMPOSITE;
	return e;
}
