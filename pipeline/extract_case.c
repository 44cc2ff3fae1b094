/*
 * extract_case.c - case numbers: the configuration (patterns, known numbers)
 * and the matcher.
 *
 * The text is first normalised for matching: Unicode dashes become '-' and
 * spaces OCR put around a '-' between two letters or digits are dropped
 * ("PMLP-LV-2023 - 004571"). Offsets are mapped back to the original text.
 *
 * Known numbers survive one OCR error: a word that matches no pattern (so
 * it is no other well-formed number) and has at least FUZZY_MIN characters
 * is taken for a known number when
 *   - it equals exactly one known number after folding the common
 *     confusions (O/0, Q/0, D/0, I/1, L/1, Z/2, S/5, G/6, B/8, lower case):
 *     "PMLP-LV-2O23-OO4571" (two known numbers that fold alike: none);
 *   - or else it differs from exactly one known number in one character
 *     (two such known numbers: none).
 * A well-formed number that is not known stays as read: it may be another
 * case. Known numbers are hashed on their folded form and bucketed by
 * length, so that tens of thousands of them cost little per page.
 */
#include "extract_private.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_MAX 63
#define REGEX_CALLS_MAX 100000
#define FUZZY_MIN 6		/* shorter known numbers must match exactly */

struct idx_list {
	size_t *v;
	size_t n, cap;
};

struct kt_extract_cfg {
	kt_error err;
	regex_t *re;
	kt_strv re_src;		/* the patterns as given, nre of them */
	size_t nre;
	kt_strv known;		/* the known numbers, as given */
	size_t *klen;		/* their lengths, known.n of them */
	size_t nknown, capknown;
	size_t *table;		/* open addressing on the confusion-folded form: index + 1, 0 = empty */
	size_t tabsize;		/* a power of two, or 0 */
	struct idx_list bylen[CASE_MAX + 1];	/* known numbers by length */
	int today;
	regex_t def;		/* the default pattern */
	int def_ok;
};

static char confusion_fold(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 32);
	switch (c) {
	case 'O': case 'Q': case 'D': return '0';
	case 'I': case 'L': return '1';
	case 'Z': return '2';
	case 'S': return '5';
	case 'G': return '6';
	case 'B': return '8';
	default: return c;
	}
}

static size_t fold_hash(const char *s, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)confusion_fold(s[i]);
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static int fold_equal(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (confusion_fold(a[i]) != confusion_fold(b[i]))
			return 0;
	return 1;
}

static void table_put(size_t *table, size_t size, size_t h, size_t idx)
{
	size_t j = h & (size - 1);

	while (table[j] != 0)
		j = (j + 1) & (size - 1);
	table[j] = idx + 1;
}

/* the index of the known number equal to s[0..n), or -1 */
static long find_exact(const kt_extract_cfg *c, const char *s, size_t n)
{
	size_t j;

	if (c == NULL || c->tabsize == 0)
		return -1;
	for (j = fold_hash(s, n) & (c->tabsize - 1); c->table[j] != 0;
	     j = (j + 1) & (c->tabsize - 1)) {
		size_t k = c->table[j] - 1;

		if (c->klen[k] == n && memcmp(c->known.v[k], s, n) == 0)
			return (long)k;
	}
	return -1;
}

kt_extract_cfg *kt_extract_cfg_new(void)
{
	kt_extract_cfg *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->def_ok = regcomp(&c->def, KT_EXTRACT_DEFAULT_CASE_PATTERN,
			    REG_EXTENDED | REG_NEWLINE) == 0;
	return c;
}

int kt_extract_cfg_add_pattern(kt_extract_cfg *c, const char *posix_ere)
{
	regex_t re, *nre;
	int rc;

	if (c == NULL)
		return KT_FAILED;
	if (posix_ere == NULL)
		return kt_error_set(&c->err, KT_FAILED, "no case-number pattern given");
	rc = regcomp(&re, posix_ere, REG_EXTENDED | REG_NEWLINE);
	if (rc != 0) {
		char why[256];

		regerror(rc, &re, why, sizeof why);
		return kt_error_set(&c->err, KT_FAILED, "bad case-number pattern '%s': %s",
				    posix_ere, why);
	}
	nre = realloc(c->re, (c->nre + 1) * sizeof *nre);
	if (nre != NULL)
		c->re = nre;
	if (nre == NULL || kt_strv_push(&c->re_src, posix_ere) != KT_OK) {
		regfree(&re);
		return kt_error_set(&c->err, KT_FATAL, "out of memory adding pattern '%s'",
				    posix_ere);
	}
	c->re[c->nre] = re;
	c->nre++;
	kt_error_clear(&c->err);
	return KT_OK;
}

int kt_extract_cfg_add_known_case(kt_extract_cfg *c, const char *case_number)
{
	struct idx_list *bl;
	size_t n, i;
	char *s;

	if (c == NULL)
		return KT_FAILED;
	if (case_number == NULL || case_number[0] == '\0')
		return kt_error_set(&c->err, KT_FAILED, "empty known case number");
	n = strlen(case_number);
	if (n > CASE_MAX)
		return kt_error_set(&c->err, KT_FAILED,
				    "known case number '%.63s...' is longer than %d bytes",
				    case_number, CASE_MAX);
	for (i = 0; i < n; i++)
		if ((unsigned char)case_number[i] <= ' ')
			return kt_error_set(&c->err, KT_FAILED,
					    "known case number '%s' has spaces or control characters",
					    case_number);
	if (find_exact(c, case_number, n) >= 0)
		return KT_OK;
	if (c->nknown == c->capknown) {
		size_t cap = c->capknown ? c->capknown * 2 : 16;
		size_t *nl = realloc(c->klen, cap * sizeof *nl);

		if (nl == NULL)
			goto oom;
		c->klen = nl;
		c->capknown = cap;
	}
	if (2 * (c->nknown + 1) > c->tabsize) {
		size_t size = c->tabsize ? c->tabsize * 2 : 64, k;
		size_t *t = calloc(size, sizeof *t);

		if (t == NULL)
			goto oom;
		for (k = 0; k < c->nknown; k++)
			table_put(t, size, fold_hash(c->known.v[k], c->klen[k]), k);
		free(c->table);
		c->table = t;
		c->tabsize = size;
	}
	bl = &c->bylen[n];
	if (bl->n == bl->cap) {
		size_t cap = bl->cap ? bl->cap * 2 : 16;
		size_t *v = realloc(bl->v, cap * sizeof *v);

		if (v == NULL)
			goto oom;
		bl->v = v;
		bl->cap = cap;
	}
	if (kt_strv_pushn(&c->known, case_number, n) != KT_OK)
		goto oom;
	s = c->known.v[c->nknown];
	c->klen[c->nknown] = n;
	table_put(c->table, c->tabsize, fold_hash(s, n), c->nknown);
	bl->v[bl->n++] = c->nknown;
	c->nknown++;
	kt_error_clear(&c->err);
	return KT_OK;
oom:
	return kt_error_set(&c->err, KT_FATAL, "out of memory adding case number '%s'",
			    case_number);
}

int kt_extract_cfg_set_today(kt_extract_cfg *c, int yyyymmdd)
{
	int y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;

	if (c == NULL)
		return KT_FAILED;
	if (yyyymmdd != 0 &&
	    (y < 1900 || y > 9999 || d < 1 || d > kt_record_days_in_month(y, m)))
		return kt_error_set(&c->err, KT_FAILED, "'%d' is no date of the form yyyymmdd",
				    yyyymmdd);
	c->today = yyyymmdd;
	return KT_OK;
}

int kt_extract_cfg_today(const kt_extract_cfg *c)
{
	return c != NULL ? c->today : 0;
}

const char *kt_extract_cfg_errmsg(const kt_extract_cfg *c)
{
	return c != NULL ? c->err.msg : "";
}

void kt_extract_cfg_free(kt_extract_cfg **c)
{
	size_t i;

	if (c == NULL || *c == NULL)
		return;
	for (i = 0; i < (*c)->nre; i++)
		regfree(&(*c)->re[i]);
	free((*c)->re);
	kt_strv_release(&(*c)->re_src);
	kt_strv_release(&(*c)->known);
	free((*c)->klen);
	free((*c)->table);
	for (i = 0; i <= CASE_MAX; i++)
		free((*c)->bylen[i].v);
	if ((*c)->def_ok)
		regfree(&(*c)->def);
	free(*c);
	*c = NULL;
}

/* ---- matching ---- */

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* bytes of a Unicode dash or minus at s, 0 if none */
static size_t udash(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95)
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92)
		return 3;
	return 0;
}

/*
 * The matching copy of the text: dashes to '-', spaces around a '-' between
 * two alphanumerics dropped. map[i] is the original offset of byte i.
 */
static char *normalise(const char *text, size_t n, size_t **mapp, size_t *outn)
{
	char *o = malloc(n + 1);
	size_t *map = malloc((n + 1) * sizeof *map);
	size_t i = 0, k = 0;

	if (o == NULL || map == NULL) {
		free(o);
		free(map);
		return NULL;
	}
	while (i < n) {
		size_t d = udash(text + i);

		if (d > 0 || text[i] == '-') {
			map[k] = i;
			o[k++] = '-';
			i += d > 0 ? d : 1;
			continue;
		}
		if (text[i] == ' ' && k > 0) {
			/* "X -Y", "X- Y", "X - Y": drop these spaces */
			size_t j = i;

			while (j < n && text[j] == ' ')
				j++;
			if (o[k - 1] == '-' && k >= 2 && is_alnum(o[k - 2]) && j < n &&
			    is_alnum(text[j])) {
				i = j;
				continue;
			}
			if (is_alnum(o[k - 1]) && j < n && (text[j] == '-' || udash(text + j))) {
				size_t e = j + (text[j] == '-' ? 1 : udash(text + j));

				while (e < n && text[e] == ' ')
					e++;
				if (e < n && is_alnum(text[e])) {
					i = j;
					continue;
				}
			}
		}
		map[k] = i;
		o[k++] = text[i++];
	}
	o[k] = '\0';
	map[k] = n;
	*mapp = map;
	*outn = k;
	return o;
}

struct found {
	kt_vec *v;
	const size_t *map;
	const kt_extract_span *ex;
	size_t nex;
};

static int add(struct found *fd, const char *value, size_t vlen, int known, int repaired,
	       size_t s, size_t e)
{
	kt_case kc;

	if (vlen == 0 || vlen > CASE_MAX)
		return 0;
	memset(&kc, 0, sizeof kc);
	memcpy(kc.value, value, vlen);
	kc.value[vlen] = '\0';
	kc.known = known;
	kc.repaired = repaired;
	kc.span.start = fd->map[s];
	kc.span.end = fd->map[e];
	if (kt_extract_span_overlaps(fd->ex, fd->nex, kc.span.start, kc.span.end))
		return 0;
	return kt_vec_push(fd->v, &kc);
}

/* the match [s, e) is not glued to letters or digits around it */
static int bounded(const char *t, size_t n, size_t s, size_t e)
{
	if (s > 0 && is_alnum(t[s]) && is_alnum(t[s - 1]))
		return 0;
	if (e < n && e > s && is_alnum(t[e - 1]) && is_alnum(t[e]))
		return 0;
	return 1;
}

/* whole-word matches of re in t; mark[] gets 1 over each match */
static int match_pattern(const regex_t *re, const char *t, size_t n, struct found *fd,
			 unsigned char *mark, const kt_extract_cfg *c, long *calls)
{
	size_t off = 0;

	while (off < n && *calls < REGEX_CALLS_MAX) {
		regmatch_t m;
		int flags = (off > 0 && t[off - 1] != '\n') ? REG_NOTBOL : 0;
		size_t s, e;
		int known;

		(*calls)++;
		if (regexec(re, t + off, 1, &m, flags) != 0)
			break;
		s = off + (size_t)m.rm_so;
		e = off + (size_t)m.rm_eo;
		if (e == s || !bounded(t, n, s, e)) {
			off = s + 1;
			continue;
		}
		known = find_exact(c, t + s, e - s) >= 0;
		if (add(fd, t + s, e - s, known, 0, s, e) < 0)
			return -1;
		memset(mark + s, 1, e - s);
		off = e;
	}
	return 0;
}

static int any_pattern_matches_whole(const kt_extract_cfg *c, const char *w, size_t n)
{
	char buf[CASE_MAX + 1];
	size_t i;
	regmatch_t m;
	const regex_t *res;
	size_t nres;

	memcpy(buf, w, n);
	buf[n] = '\0';
	if (c != NULL && c->nre > 0) {
		res = c->re;
		nres = c->nre;
	} else if (c != NULL && c->def_ok) {
		res = &c->def;
		nres = 1;
	} else {
		return 0;
	}
	for (i = 0; i < nres; i++)
		if (regexec(&res[i], buf, 1, &m, 0) == 0 && m.rm_so == 0 && (size_t)m.rm_eo == n)
			return 1;
	return 0;
}

static int digits(const char *s, size_t n)
{
	size_t i;
	int d = 0;

	for (i = 0; i < n; i++)
		d += s[i] >= '0' && s[i] <= '9';
	return d;
}

/*
 * One word compared with the known numbers: exactly one, or as the one
 * number it equals after folding the OCR confusions, or the one number it
 * differs from in a single character. Returns the index, or -1 when none
 * or more than one fit; *repaired tells whether it was not exact.
 */
static long known_for(const kt_extract_cfg *c, const char *w, size_t len, int *repaired)
{
	const struct idx_list *bl = &c->bylen[len];
	size_t j, k, ncand = 0;
	long cand = -1, exact;

	*repaired = 0;
	exact = find_exact(c, w, len);
	if (exact >= 0)
		return exact;
	if (len < FUZZY_MIN || any_pattern_matches_whole(c, w, len))
		return -1;
	for (j = fold_hash(w, len) & (c->tabsize - 1); c->table[j] != 0;
	     j = (j + 1) & (c->tabsize - 1)) {
		k = c->table[j] - 1;
		if (c->klen[k] == len && fold_equal(c->known.v[k], w, len)) {
			ncand++;
			cand = (long)k;
		}
	}
	/* a known number read with common confusions wins over any other single change */
	if (ncand == 1) {
		*repaired = 1;
		return cand;
	}
	/* one substituted character: only words with digits are worth the scan */
	if (ncand == 0 && digits(w, len) >= 2) {
		for (j = 0; j < bl->n && ncand < 2; j++) {
			const char *kn = c->known.v[bl->v[j]];
			size_t i, diff = 0;

			for (i = 0; i < len && diff < 2; i++)
				diff += kn[i] != w[i];
			if (diff == 1 && !fold_equal(kn, w, len)) {
				ncand++;
				cand = (long)bl->v[j];
			}
		}
	}
	if (ncand != 1)
		return -1;
	*repaired = 1;
	return cand;
}

/* words of [A-Za-z0-9-] (also '_', '/', '.' inside) compared with the known numbers */
static int match_known(const kt_extract_cfg *c, const char *t, size_t n, struct found *fd,
		       const unsigned char *mark)
{
	size_t i = 0;

	while (i < n) {
		size_t s = i, e, k;
		long idx;
		int repaired;

		if (!(is_alnum(t[i]) || t[i] == '-')) {
			i++;
			continue;
		}
		while (i < n && (is_alnum(t[i]) || t[i] == '-' || t[i] == '_' || t[i] == '/' ||
				 (t[i] == '.' && i + 1 < n && is_alnum(t[i + 1]))))
			i++;
		e = i;
		/* trim punctuation a sentence may glue to it */
		while (e > s && (t[e - 1] == '-' || t[e - 1] == '.'))
			e--;
		while (s < e && t[s] == '-')
			s++;
		if (e - s == 0 || e - s > CASE_MAX)
			continue;
		for (k = s; k < e && !mark[k]; k++)
			;
		if (k < e)
			continue;	/* already found by a pattern */
		idx = known_for(c, t + s, e - s, &repaired);
		if (idx >= 0 && add(fd, c->known.v[idx], c->klen[idx], 1, repaired, s, e) < 0)
			return -1;
	}
	return 0;
}

int kt_extract_case_numbers(const kt_extract_cfg *c, const char *text,
			    const kt_extract_span *ex, size_t nex,
			    kt_case **out, size_t *count)
{
	kt_vec v;
	struct found fd;
	size_t *map = NULL, n, i;
	unsigned char *mark = NULL;
	char *t;
	long calls = 0;
	int rc = KT_OK;
	regex_t def;
	int own_def = 0;

	if (out != NULL)
		*out = NULL;
	if (count != NULL)
		*count = 0;
	if (text == NULL || out == NULL || count == NULL)
		return KT_OK;
	t = normalise(text, strlen(text), &map, &n);
	if (t == NULL)
		return KT_FATAL;
	mark = calloc(n + 1, 1);
	kt_vec_init(&v, sizeof(kt_case));
	fd.v = &v;
	fd.map = map;
	fd.ex = ex;
	fd.nex = nex;
	if (mark == NULL) {
		rc = KT_FATAL;
		goto done;
	}
	if (c != NULL && c->nre > 0) {
		for (i = 0; i < c->nre; i++)
			if (match_pattern(&c->re[i], t, n, &fd, mark, c, &calls) < 0) {
				rc = KT_FATAL;
				goto done;
			}
	} else {
		const regex_t *re = NULL;

		if (c != NULL && c->def_ok) {
			re = &c->def;
		} else if (regcomp(&def, KT_EXTRACT_DEFAULT_CASE_PATTERN,
				   REG_EXTENDED | REG_NEWLINE) == 0) {
			own_def = 1;
			re = &def;
		}
		if (re != NULL && match_pattern(re, t, n, &fd, mark, c, &calls) < 0) {
			rc = KT_FATAL;
			goto done;
		}
	}
	if (c != NULL && c->nknown > 0 && match_known(c, t, n, &fd, mark) < 0)
		rc = KT_FATAL;
done:
	if (own_def)
		regfree(&def);
	free(t);
	free(map);
	free(mark);
	if (rc != KT_OK) {
		kt_vec_release(&v);
		return rc;
	}
	*out = v.data;
	*count = v.len;
	return KT_OK;
}
