/*
 * extract_mrz.c - machine readable zones of travel documents (ICAO Doc 9303,
 * 8th edition, parts 4 to 7): find a zone in OCR text, repair what OCR got
 * wrong where the repair is proven, verify every check digit, and read the
 * fields.
 *
 * What counts as proven:
 *   - positions that must be digits (dates, check digits): O Q D U -> 0,
 *     I L -> 1, Z -> 2, S -> 5, G -> 6, B -> 8 (and K or '<' in a check digit
 *     means '<', value 0);
 *   - positions that must be letters (document type, issuer, nationality,
 *     names): 0 -> O, 1 -> I, 2 -> Z, 5 -> S, 6 -> G, 8 -> B;
 *   - filler runs: at the end of a field, a run of K and '<' that holds two
 *     or more K, or K after three '<', is fillers read as K ('<' and K both
 *     count 0 in a check digit, so no check can tell them apart);
 *   - anywhere else (document number, optional data): only the one set of
 *     single-character corrections (0/O, 0/Q, 0/D, 1/I, 2/Z, 5/S, 8/B), at
 *     most one per field, that makes every check covering those fields pass
 *     (their own check digits and the composite), when there is exactly one
 *     such set. Only a character beside one of the other class is tried (a
 *     letter beside a digit or the reverse): a check digit passes one random
 *     change in ten, so changing digits among digits would "prove" nonsense.
 *     Pairs whose values are equal mod 10 (1/L, 6/G, 8/S, 5/Z, K/<) are
 *     never tried: a check digit cannot see them. Note that for the TD3
 *     document number and optional data the composite repeats the weights
 *     of their own check, so it adds no proof there.
 */
#include "extract_private.h"

#include <stdlib.h>
#include <string.h>

#define MRZ_MAXLINE 64
#define MRZ_MAXCOMBOS 4096

struct fpos {
	int line, start, len;		/* len 0: the format has no such field */
};

struct lay {
	kt_mrz_format fmt;
	int nlines, width;
	struct fpos type, issuer, names, doc, doc_chk, nat, birth, birth_chk,
		sex, exp, exp_chk, opt, opt_chk, opt2, comp;
	struct fpos comp_r[4];
	int ncomp_r;
};

/* classes of positions */
enum { C_ANY = 0, C_DIGIT, C_CHECK, C_ALPHA, C_NAME, C_SEX };

struct zone {
	char L[3][MRZ_MAXLINE];
	int corrections;
};

static struct fpos fp(int line, int start, int len)
{
	struct fpos f = { line, start, len };

	return f;
}

static void set_layout(kt_mrz_format f, struct lay *l)
{
	memset(l, 0, sizeof *l);
	l->fmt = f;
	l->nlines = 2;
	l->type = fp(0, 0, 2);
	l->issuer = fp(0, 2, 3);
	if (f == KT_MRZ_TD1) {
		l->nlines = 3;
		l->width = 30;
		l->doc = fp(0, 5, 9);
		l->doc_chk = fp(0, 14, 1);
		l->opt = fp(0, 15, 15);
		l->birth = fp(1, 0, 6);
		l->birth_chk = fp(1, 6, 1);
		l->sex = fp(1, 7, 1);
		l->exp = fp(1, 8, 6);
		l->exp_chk = fp(1, 14, 1);
		l->nat = fp(1, 15, 3);
		l->opt2 = fp(1, 18, 11);
		l->comp = fp(1, 29, 1);
		l->comp_r[0] = fp(0, 5, 25);
		l->comp_r[1] = fp(1, 0, 7);
		l->comp_r[2] = fp(1, 8, 7);
		l->comp_r[3] = fp(1, 18, 11);
		l->ncomp_r = 4;
		l->names = fp(2, 0, 30);
		return;
	}
	l->width = (f == KT_MRZ_TD3 || f == KT_MRZ_MRVA) ? 44 : 36;
	l->names = fp(0, 5, l->width - 5);
	l->doc = fp(1, 0, 9);
	l->doc_chk = fp(1, 9, 1);
	l->nat = fp(1, 10, 3);
	l->birth = fp(1, 13, 6);
	l->birth_chk = fp(1, 19, 1);
	l->sex = fp(1, 20, 1);
	l->exp = fp(1, 21, 6);
	l->exp_chk = fp(1, 27, 1);
	switch (f) {
	case KT_MRZ_TD3:
		l->opt = fp(1, 28, 14);
		l->opt_chk = fp(1, 42, 1);
		l->comp = fp(1, 43, 1);
		l->comp_r[0] = fp(1, 0, 10);
		l->comp_r[1] = fp(1, 13, 7);
		l->comp_r[2] = fp(1, 21, 22);
		l->ncomp_r = 3;
		break;
	case KT_MRZ_TD2:
		l->opt = fp(1, 28, 7);
		l->comp = fp(1, 35, 1);
		l->comp_r[0] = fp(1, 0, 10);
		l->comp_r[1] = fp(1, 13, 7);
		l->comp_r[2] = fp(1, 21, 14);
		l->ncomp_r = 3;
		break;
	case KT_MRZ_MRVA:
		l->opt = fp(1, 28, 16);
		break;
	default: /* MRV-B */
		l->opt = fp(1, 28, 8);
		break;
	}
}

static void mark(unsigned char cls[3][MRZ_MAXLINE], struct fpos f, int c)
{
	int i;

	for (i = 0; i < f.len; i++)
		cls[f.line][f.start + i] = (unsigned char)c;
}

static void classes(const struct lay *l, unsigned char cls[3][MRZ_MAXLINE])
{
	memset(cls, C_ANY, 3 * MRZ_MAXLINE);
	mark(cls, l->type, C_ALPHA);
	mark(cls, l->issuer, C_ALPHA);
	mark(cls, l->nat, C_ALPHA);
	mark(cls, l->names, C_NAME);
	mark(cls, l->birth, C_DIGIT);
	mark(cls, l->exp, C_DIGIT);
	mark(cls, l->doc_chk, C_CHECK);
	mark(cls, l->birth_chk, C_CHECK);
	mark(cls, l->exp_chk, C_CHECK);
	mark(cls, l->opt_chk, C_CHECK);
	mark(cls, l->comp, C_CHECK);
	mark(cls, l->sex, C_SEX);
}

/* ---- check digits ---- */

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
static int td1_long_doc(const struct zone *z, const struct lay *l)
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
	int ext = td1_long_doc(z, l);
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
static unsigned check_errors(const struct zone *z, const struct lay *l)
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

/* ---- repairs proven by the format ---- */

static char to_digit(char c)
{
	switch (c) {
	case 'O': case 'Q': case 'D': case 'U': return '0';
	case 'I': case 'L': return '1';
	case 'Z': return '2';
	case 'S': return '5';
	case 'G': return '6';
	case 'B': return '8';
	default: return c;
	}
}

static char to_letter(char c)
{
	switch (c) {
	case '0': return 'O';
	case '1': return 'I';
	case '2': return 'Z';
	case '5': return 'S';
	case '6': return 'G';
	case '8': return 'B';
	default: return c;
	}
}

static void set_char(struct zone *z, int line, int pos, char c)
{
	if (z->L[line][pos] != c) {
		z->L[line][pos] = c;
		z->corrections++;
	}
}

static void map_classes(struct zone *z, const struct lay *l,
			unsigned char cls[3][MRZ_MAXLINE])
{
	int k, i;

	for (k = 0; k < l->nlines; k++) {
		for (i = 0; i < l->width; i++) {
			char c = z->L[k][i];

			switch (cls[k][i]) {
			case C_DIGIT:
				set_char(z, k, i, to_digit(c));
				break;
			case C_CHECK:
				set_char(z, k, i, (c == 'K') ? '<' : to_digit(c));
				break;
			case C_ALPHA:
			case C_NAME:
				set_char(z, k, i, to_letter(c));
				break;
			case C_SEX:
				if (c == 'K')
					set_char(z, k, i, '<');
				break;
			}
		}
	}
}

/*
 * Fillers read as K at the end of a field: the trailing run of K and '<'.
 * In names it is fillers when it has two or more K, or from the first
 * "<<<" on (a name part never follows three fillers). In other fields it is
 * fillers from its first '<' on, or whole when it has three or more K.
 */
static void fix_fillers(struct zone *z, struct fpos f, int is_names)
{
	char *s;
	int a, i, nk = 0, from = -1;

	if (f.len == 0)
		return;
	s = &z->L[f.line][f.start];
	for (a = f.len; a > 0 && (s[a - 1] == 'K' || s[a - 1] == '<'); a--)
		nk += s[a - 1] == 'K';
	if (nk == 0)
		return;
	if (is_names) {
		if (nk >= 2 && f.len - a >= 3) {
			from = a;
		} else {
			for (i = a; i + 2 < f.len; i++)
				if (s[i] == '<' && s[i + 1] == '<' && s[i + 2] == '<') {
					from = i;
					break;
				}
		}
	} else {
		for (i = a; i < f.len; i++)
			if (s[i] == '<') {
				from = i;
				break;
			}
		if (nk >= 3 && (from < 0 || from > a))
			from = a;
	}
	if (from < 0)
		return;
	for (i = from; i < f.len; i++)
		set_char(z, f.line, f.start + i, '<');
}

/* ---- repairs proven by the check digits ---- */

static const char pairs[][2] = {
	{ '0', 'O' }, { '0', 'Q' }, { '0', 'D' }, { '1', 'I' },
	{ '2', 'Z' }, { '5', 'S' }, { '8', 'B' }
};

struct sub {
	int line, pos;
	char c;		/* 0: no change */
};

struct subset {
	struct sub s[64];
	int n;
};

static int is_letter(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_num(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Only a character standing next to the other class is a plausible misread:
 * a letter beside a digit ("L89B902C3"), a digit beside a letter ("Z0E").
 * A digit among digits is left alone, so that a check digit cannot "prove"
 * an arbitrary change in the middle of a number.
 */
static int odd_one(const char *s, int len, int i)
{
	int l = i - 1, r = i + 1;

	while (l >= 0 && s[l] == '<')
		l--;
	while (r < len && s[r] == '<')
		r++;
	if (is_letter(s[i]))
		return (l >= 0 && is_num(s[l])) || (r < len && is_num(s[r]));
	if (is_num(s[i]))
		return (l >= 0 && is_letter(s[l])) || (r < len && is_letter(s[r]));
	return 0;
}

static void add_subs(struct subset *set, const struct zone *z, struct fpos f)
{
	const char *s = &z->L[f.line][f.start];
	int i;
	size_t k;

	for (i = 0; i < f.len; i++) {
		char c = s[i];

		if (!odd_one(s, f.len, i))
			continue;
		for (k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
			char alt = 0;

			if (pairs[k][0] == c)
				alt = pairs[k][1];
			else if (pairs[k][1] == c)
				alt = pairs[k][0];
			if (alt && set->n < 64) {
				set->s[set->n].line = f.line;
				set->s[set->n].pos = f.start + i;
				set->s[set->n].c = alt;
				set->n++;
			}
		}
	}
}

struct group {
	struct subset opts;	/* the options of one field */
	unsigned own;		/* its own check bit, 0 when only the composite covers it */
	int chosen;		/* while enumerating */
	int agreed;		/* index agreed by every passing combination, -1 disagree, -2 none yet */
};

struct search {
	struct zone *z;
	const struct lay *l;
	struct group g[4];
	int ng;
	unsigned mask;		/* the checks that cover the groups */
	long combos, passing;
};

static void apply_sub(struct zone *z, const struct sub *s, char *saved)
{
	*saved = z->L[s->line][s->pos];
	if (s->c)
		z->L[s->line][s->pos] = s->c;
}

static void enumerate(struct search *st, int k)
{
	int i;

	if (st->combos > MRZ_MAXCOMBOS)
		return;
	if (k == st->ng) {
		st->combos++;
		if ((check_errors(st->z, st->l) & st->mask) == 0) {
			st->passing++;
			for (i = 0; i < st->ng; i++) {
				struct group *g = &st->g[i];

				if (g->agreed == -2)
					g->agreed = g->chosen;
				else if (g->agreed != g->chosen)
					g->agreed = -1;
			}
		}
		return;
	}
	for (i = 0; i < st->g[k].opts.n; i++) {
		char saved;

		st->g[k].chosen = i;
		apply_sub(st->z, &st->g[k].opts.s[i], &saved);
		enumerate(st, k + 1);
		st->z->L[st->g[k].opts.s[i].line][st->g[k].opts.s[i].pos] = saved;
	}
}

/* one field: its options are "no change" when its check passes, else the subs that pass it */
static void add_group(struct search *st, struct fpos f, unsigned own)
{
	struct group *g;
	struct subset all;
	int i;

	if (f.len == 0 || st->ng == 4)
		return;
	g = &st->g[st->ng++];
	memset(g, 0, sizeof *g);
	st->mask |= own;
	g->own = own;
	g->agreed = -2;
	g->opts.n = 1;		/* option 0: no change */
	g->opts.s[0].line = f.line;
	g->opts.s[0].pos = f.start;
	g->opts.s[0].c = 0;
	if (own != 0 && !(check_errors(st->z, st->l) & own))
		return;
	all.n = 0;
	add_subs(&all, st->z, f);
	if (own != 0)
		g->opts.n = 0;	/* its check fails: "no change" is no option */
	for (i = 0; i < all.n && g->opts.n < 64; i++) {
		char saved;
		int pass;

		apply_sub(st->z, &all.s[i], &saved);
		pass = own == 0 || !(check_errors(st->z, st->l) & own);
		st->z->L[all.s[i].line][all.s[i].pos] = saved;
		if (pass)
			g->opts.s[g->opts.n++] = all.s[i];
	}
	if (g->opts.n == 0) {	/* nothing repairs it: keep it as it is */
		g->opts.n = 1;
		g->opts.s[0].line = f.line;
		g->opts.s[0].pos = f.start;
		g->opts.s[0].c = 0;
	}
}

static void repair_by_checks(struct zone *z, const struct lay *l)
{
	struct search st;
	int i;
	unsigned before = check_errors(z, l);

	if (before == 0)
		return;
	memset(&st, 0, sizeof st);
	st.z = z;
	st.l = l;
	if (l->comp.len)
		st.mask = KT_MRZ_ERR_COMPOSITE;
	if (td1_long_doc(z, l) == 0)
		add_group(&st, l->doc, KT_MRZ_ERR_DOCUMENT_NUMBER);
	if (l->opt_chk.len)
		add_group(&st, l->opt, KT_MRZ_ERR_OPTIONAL_DATA);
	else if (l->comp.len && td1_long_doc(z, l) == 0)
		add_group(&st, l->opt, 0);
	if (l->opt2.len && l->comp.len)
		add_group(&st, l->opt2, 0);
	enumerate(&st, 0);
	if (st.combos > MRZ_MAXCOMBOS)
		return;
	if (st.passing == 0 || (before & st.mask) == 0)
		return;
	for (i = 0; i < st.ng; i++) {
		struct group *g = &st.g[i];

		/* applied only when every passing combination agrees on it */
		if (g->agreed >= 0 && g->opts.s[g->agreed].c != 0)
			set_char(z, g->opts.s[g->agreed].line, g->opts.s[g->agreed].pos,
				 g->opts.s[g->agreed].c);
	}
}

/* ---- reading ---- */

/* Normalise one OCR line: drop spaces, '«' '‹' '＜' -> '<', raise case. Others -> '?'. */
static int normalize_line(const char *s, size_t n, char *out, int *bad)
{
	size_t i = 0;
	int o = 0;

	*bad = 0;
	while (i < n) {
		unsigned cp = kt_utf8_next(s, n, &i);
		char c;

		if (cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x202F ||
		    (cp >= 0x2000 && cp <= 0x200B))
			continue;
		if (cp == 0xAB || cp == 0x2039 || cp == 0xFF1C || cp == 0x2264)
			c = '<';
		else if (cp >= 'a' && cp <= 'z')
			c = (char)(cp - 32);
		else if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '<')
			c = (char)cp;
		else {
			c = '?';
			(*bad)++;
		}
		if (o >= MRZ_MAXLINE - 1)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* problems of the zone after mapping digit positions: failed checks + non-digits there */
static int score(const struct zone *z0, const struct lay *l,
		 unsigned char cls[3][MRZ_MAXLINE])
{
	struct zone z = *z0;
	int k, i, bad = 0;
	unsigned e;

	map_classes(&z, l, cls);
	for (k = 0; k < l->nlines; k++)
		for (i = 0; i < l->width; i++) {
			char c = z.L[k][i];

			if (cls[k][i] == C_DIGIT && !(c >= '0' && c <= '9'))
				bad++;
			if (c == '?')
				bad++;
		}
	e = check_errors(&z, l);
	for (; e; e &= e - 1)
		bad++;
	return bad;
}

static void naive_fit(const char *src, int width, char *dst)
{
	int n = (int)strlen(src), i;

	for (i = 0; i < width; i++)
		dst[i] = i < n ? src[i] : '<';
	dst[width] = '\0';
}

/*
 * Make line k exactly l->width long when OCR dropped or added up to two
 * fillers: try inserting or deleting '<' at the end of each filler run and
 * keep the variant with the fewest problems (the last one on a tie).
 */
static void fit_line(struct zone *z, const struct lay *l, int k, const char *orig,
		     unsigned char cls[3][MRZ_MAXLINE])
{
	int n = (int)strlen(orig), d = l->width - n, p, best = -1;
	char bestline[MRZ_MAXLINE];

	if (d == 0) {
		memcpy(z->L[k], orig, (size_t)n + 1);
		return;
	}
	naive_fit(orig, l->width, z->L[k]);
	memcpy(bestline, z->L[k], sizeof bestline);
	for (p = 1; p <= n; p++) {
		char v[MRZ_MAXLINE];
		int s;

		/* p: the end of a filler run (or the end of the line) */
		if (orig[p - 1] != '<' || (p < n && orig[p] == '<'))
			if (p != n)
				continue;
		if (d > 0) {
			memcpy(v, orig, (size_t)p);
			memset(v + p, '<', (size_t)d);
			memcpy(v + p + d, orig + p, (size_t)(n - p) + 1);
		} else {
			int r = 0;

			while (r < -d && p - r - 1 >= 0 && orig[p - r - 1] == '<')
				r++;
			if (r < -d)
				continue;
			memcpy(v, orig, (size_t)(p + d));
			memcpy(v + p + d, orig + p, (size_t)(n - p) + 1);
		}
		memcpy(z->L[k], v, (size_t)l->width + 1);
		s = score(z, l, cls);
		if (best < 0 || s <= best) {
			best = s;
			memcpy(bestline, v, (size_t)l->width + 1);
		}
	}
	memcpy(z->L[k], bestline, sizeof bestline);
}

static void copy_field(const struct zone *z, struct fpos f, char *out, size_t cap)
{
	int i, o = 0;

	for (i = 0; i < f.len && (size_t)o + 1 < cap; i++)
		out[o++] = z->L[f.line][f.start + i];
	out[o] = '\0';
}

/* fillers to single spaces, trimmed */
static void clean_value(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	int space = 0;

	for (; *in; in++) {
		if (*in == '<') {
			space = o > 0;
			continue;
		}
		if (space && o + 1 < cap)
			out[o++] = ' ';
		space = 0;
		if (o + 1 < cap)
			out[o++] = *in;
	}
	out[o] = '\0';
}

static void split_names(const char *field, kt_mrz *m)
{
	const char *sep = strstr(field, "<<");
	char tmp[MRZ_MAXLINE];

	if (sep == NULL) {
		clean_value(field, m->surname, sizeof m->surname);
		m->given_names[0] = '\0';
		return;
	}
	memcpy(tmp, field, (size_t)(sep - field));
	tmp[sep - field] = '\0';
	clean_value(tmp, m->surname, sizeof m->surname);
	clean_value(sep + 2, m->given_names, sizeof m->given_names);
}

/* YYMMDD to ISO; kind 0 = birth (in the past), 1 = expiry (up to 20 years ahead) */
static int read_date(const char *s, int today, int kind, char iso[11])
{
	int yy, mm, dd, y, ty = today / 10000, i;

	iso[0] = '\0';
	for (i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	yy = (s[0] - '0') * 10 + (s[1] - '0');
	mm = (s[2] - '0') * 10 + (s[3] - '0');
	dd = (s[4] - '0') * 10 + (s[5] - '0');
	y = ty / 100 * 100 + yy;
	if (kind == 0) {
		if (y * 10000 + mm * 100 + dd > today)
			y -= 100;
	} else {
		if (y > ty + 20)
			y -= 100;
		else if (y < ty - 80)
			y += 100;
	}
	if (dd < 1 || dd > kt_extract_days_in_month(y, mm))
		return -1;
	kt_extract_iso(iso, y, mm, dd);
	return 0;
}

static int parse_zone(char lines[][MRZ_MAXLINE], kt_mrz_format f, int today,
		      kt_mrz *m)
{
	struct lay l;
	struct zone z;
	unsigned char cls[3][MRZ_MAXLINE];
	char buf[MRZ_MAXLINE];
	int k, total = 0, bad = 0, ext;

	set_layout(f, &l);
	classes(&l, cls);
	memset(&z, 0, sizeof z);
	for (k = 0; k < l.nlines; k++) {
		int n = (int)strlen(lines[k]);

		if (n < l.width - 2 || n > l.width + 2)
			return -1;
	}
	for (k = 0; k < l.nlines; k++)
		naive_fit(lines[k], l.width, z.L[k]);
	for (k = 0; k < l.nlines; k++)
		fit_line(&z, &l, k, lines[k], cls);
	for (k = 0; k < l.nlines; k++) {
		const char *s;

		for (s = z.L[k]; *s; s++, total++)
			bad += *s == '?';
	}
	if (bad * 10 > total)
		return -1;
	if (f == KT_MRZ_MRVA || f == KT_MRZ_MRVB) {
		if (z.L[0][0] != 'V')
			return -1;
	} else if (z.L[0][0] == 'V') {
		return -1;
	}

	map_classes(&z, &l, cls);
	fix_fillers(&z, l.names, 1);
	fix_fillers(&z, l.doc, 0);
	fix_fillers(&z, l.opt, 0);
	fix_fillers(&z, l.opt2, 0);
	repair_by_checks(&z, &l);

	memset(m, 0, sizeof *m);
	m->format = f;
	m->nlines = l.nlines;
	m->corrections = z.corrections;
	for (k = 0; k < l.nlines; k++)
		memcpy(m->line[k], z.L[k], (size_t)l.width + 1);

	copy_field(&z, l.type, buf, sizeof buf);
	clean_value(buf, m->document_type, sizeof m->document_type);
	copy_field(&z, l.issuer, buf, sizeof buf);
	clean_value(buf, m->issuer, sizeof m->issuer);
	copy_field(&z, l.nat, buf, sizeof buf);
	clean_value(buf, m->nationality, sizeof m->nationality);
	copy_field(&z, l.names, buf, sizeof buf);
	split_names(buf, m);

	ext = td1_long_doc(&z, &l);
	copy_field(&z, l.doc, buf, sizeof buf);
	if (ext > 0) {
		memcpy(buf + 9, &z.L[0][15], (size_t)ext - 1);
		buf[9 + ext - 1] = '\0';
		clean_value(buf, m->document_number, sizeof m->document_number);
		copy_field(&z, fp(0, 15 + ext, 15 - ext), buf, sizeof buf);
		clean_value(buf, m->optional_data, sizeof m->optional_data);
	} else {
		clean_value(buf, m->document_number, sizeof m->document_number);
		copy_field(&z, l.opt, buf, sizeof buf);
		clean_value(buf, m->optional_data, sizeof m->optional_data);
	}
	copy_field(&z, l.opt2, buf, sizeof buf);
	clean_value(buf, m->optional_data2, sizeof m->optional_data2);

	m->errors = check_errors(&z, &l);
	if (read_date(&z.L[l.birth.line][l.birth.start], today, 0, m->birth_date) < 0)
		m->errors |= KT_MRZ_ERR_BIRTH_DATE;
	if (read_date(&z.L[l.exp.line][l.exp.start], today, 1, m->expiry_date) < 0)
		m->errors |= KT_MRZ_ERR_EXPIRY_DATE;
	switch (z.L[l.sex.line][l.sex.start]) {
	case 'M': m->sex[0] = 'M'; break;
	case 'F': m->sex[0] = 'F'; break;
	case '<': case 'X': m->sex[0] = 'X'; break;
	default:
		m->sex[0] = 'X';
		m->errors |= KT_MRZ_ERR_SEX;
	}
	m->valid = m->errors == 0;
	return 0;
}

static int line_len_fits(const char *s, int width)
{
	int n = (int)strlen(s);

	return n >= width - 2 && n <= width + 2;
}

/* try the formats of exactly nlines lines, in order; 0 on success */
static int try_formats(char lines[][MRZ_MAXLINE], size_t nlines, int today,
		       kt_mrz *m)
{
	static const kt_mrz_format order[] = {
		KT_MRZ_TD3, KT_MRZ_TD1, KT_MRZ_TD2, KT_MRZ_MRVA, KT_MRZ_MRVB
	};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		struct lay l;
		int k, fits = 1;

		set_layout(order[i], &l);
		if ((size_t)l.nlines != nlines)
			continue;
		for (k = 0; k < l.nlines; k++)
			fits = fits && line_len_fits(lines[k], l.width);
		if (fits && parse_zone(lines, order[i], today, m) == 0)
			return 0;
	}
	return -1;
}

int kt_mrz_parse(const char *const *lines, size_t nlines, int today, kt_mrz *out)
{
	char norm[3][MRZ_MAXLINE];
	size_t k;
	int bad;

	if (out == NULL)
		return KT_FAILED;
	memset(out, 0, sizeof *out);
	if (lines == NULL || nlines < 2 || nlines > 3)
		return KT_FAILED;
	for (k = 0; k < nlines; k++) {
		if (lines[k] == NULL ||
		    normalize_line(lines[k], strlen(lines[k]), norm[k], &bad) < 0)
			return KT_FAILED;
	}
	if (try_formats(norm, nlines, kt_extract_today(today), out) < 0) {
		memset(out, 0, sizeof *out);
		return KT_FAILED;
	}
	return KT_OK;
}

struct cand_line {
	char s[MRZ_MAXLINE];
	size_t start, end;
};

/* an OCR line that may belong to a zone */
static int candidate_line(const char *text, size_t start, size_t end, struct cand_line *c)
{
	int bad, n, i, fill = 0;

	n = normalize_line(text + start, end - start, c->s, &bad);
	if (n < 28 || n > 46 || bad > 2)
		return 0;
	for (i = 0; i < n; i++)
		if (c->s[i] == '<' || (c->s[i] == 'K' && i > 0 && c->s[i - 1] == 'K'))
			fill++;
	if (fill == 0)
		return 0;
	c->start = start;
	c->end = end;
	return 1;
}

int kt_mrz_find(const char *text, int today, kt_mrz *out)
{
	struct cand_line run[3];
	size_t nrun = 0, pos = 0, len;

	if (out == NULL)
		return 0;
	memset(out, 0, sizeof *out);
	if (text == NULL)
		return 0;
	today = kt_extract_today(today);
	len = strlen(text);
	while (pos <= len) {
		size_t end = pos, k;
		struct cand_line c;
		int blank = 1;

		while (end < len && text[end] != '\n')
			end++;
		for (k = pos; k < end; k++)
			if (text[k] != ' ' && text[k] != '\t' && text[k] != '\r')
				blank = 0;
		if (blank) {
			/* blank lines may separate the lines of a zone */
		} else if (candidate_line(text, pos, end, &c)) {
			if (nrun == 3) {
				run[0] = run[1];
				run[1] = run[2];
				nrun = 2;
			}
			run[nrun++] = c;
			/* try the zones that end with this line: 2 lines, then 3 */
			if (nrun >= 2) {
				char lines[3][MRZ_MAXLINE];
				size_t first, j;

				for (first = nrun >= 3 ? nrun - 3 : 0; first + 2 <= nrun; first++) {
					size_t nl = nrun - first;

					for (j = 0; j < nl; j++)
						memcpy(lines[j], run[first + j].s, MRZ_MAXLINE);
					if (try_formats(lines, nl, today, out) == 0) {
						out->span.start = run[first].start;
						out->span.end = run[nrun - 1].end;
						return 1;
					}
				}
			}
		} else {
			nrun = 0;
		}
		pos = end + 1;
	}
	memset(out, 0, sizeof *out);
	return 0;
}

const char *kt_mrz_error_name(unsigned bit)
{
	switch (bit) {
	case KT_MRZ_ERR_DOCUMENT_NUMBER: return "document_number";
	case KT_MRZ_ERR_BIRTH_DATE: return "birth_date";
	case KT_MRZ_ERR_EXPIRY_DATE: return "expiry_date";
	case KT_MRZ_ERR_OPTIONAL_DATA: return "optional_data";
	case KT_MRZ_ERR_COMPOSITE: return "composite";
	case KT_MRZ_ERR_SEX: return "sex";
	default: return NULL;
	}
}

const char *kt_mrz_format_name(kt_mrz_format f)
{
	switch (f) {
	case KT_MRZ_TD1: return "TD1";
	case KT_MRZ_TD2: return "TD2";
	case KT_MRZ_TD3: return "TD3";
	case KT_MRZ_MRVA: return "MRVA";
	case KT_MRZ_MRVB: return "MRVB";
	default: return "none";
	}
}

json_t *kt_mrz_to_json(const kt_mrz *m)
{
	json_t *o, *errs;
	unsigned bit;
	int bad = 0;

	if (m == NULL || m->format == KT_MRZ_NONE)
		return NULL;
	o = json_object();
	errs = json_array();
	if (o == NULL || errs == NULL) {
		json_decref(o);
		json_decref(errs);
		return NULL;
	}
	for (bit = 1; bit <= KT_MRZ_ERR_SEX; bit <<= 1)
		if (m->errors & bit)
			bad |= json_array_append_new(errs, json_string(kt_mrz_error_name(bit)));
	bad |= json_object_set_new(o, "format", json_string(kt_mrz_format_name(m->format)));
	bad |= json_object_set_new(o, "document_type", json_string(m->document_type));
	bad |= json_object_set_new(o, "issuer", json_string(m->issuer));
	bad |= json_object_set_new(o, "surname", json_string(m->surname));
	bad |= json_object_set_new(o, "given_names", json_string(m->given_names));
	bad |= json_object_set_new(o, "document_number", json_string(m->document_number));
	bad |= json_object_set_new(o, "nationality", json_string(m->nationality));
	bad |= json_object_set_new(o, "birth_date", json_string(m->birth_date));
	bad |= json_object_set_new(o, "sex", json_string(m->sex));
	bad |= json_object_set_new(o, "expiry_date", json_string(m->expiry_date));
	bad |= json_object_set_new(o, "optional_data", json_string(m->optional_data));
	if (m->format == KT_MRZ_TD1 && m->optional_data2[0])
		bad |= json_object_set_new(o, "optional_data_2", json_string(m->optional_data2));
	bad |= json_object_set_new(o, "valid", json_boolean(m->valid));
	bad |= json_object_set_new(o, "errors", errs);
	bad |= json_object_set_new(o, "line1", json_string(m->line[0]));
	bad |= json_object_set_new(o, "line2", json_string(m->line[1]));
	if (m->format == KT_MRZ_TD1)
		bad |= json_object_set_new(o, "line3", json_string(m->line[2]));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
