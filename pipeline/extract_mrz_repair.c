/*
 * extract_mrz_repair.c - repairs of what OCR got wrong in a machine readable
 * zone, made only where the repair is proven.
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
#include "extract_mrz_private.h"

#include <string.h>

#define MRZ_MAXCOMBOS 4096	/* combinations of corrections tried at most */

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

void kt_mrz_map_classes(struct zone *z, const struct lay *l, unsigned char cls[3][MRZ_MAXLINE])
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
void kt_mrz_fix_fillers(struct zone *z, struct fpos f, int is_names)
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
		if ((kt_mrz_check_errors(st->z, st->l) & st->mask) == 0) {
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
	if (own != 0 && !(kt_mrz_check_errors(st->z, st->l) & own))
		return;
	all.n = 0;
	add_subs(&all, st->z, f);
	if (own != 0)
		g->opts.n = 0;	/* its check fails: "no change" is no option */
	for (i = 0; i < all.n && g->opts.n < 64; i++) {
		char saved;
		int pass;

		apply_sub(st->z, &all.s[i], &saved);
		pass = own == 0 || !(kt_mrz_check_errors(st->z, st->l) & own);
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

void kt_mrz_repair_by_checks(struct zone *z, const struct lay *l)
{
	struct search st;
	int i;
	unsigned before = kt_mrz_check_errors(z, l);

	if (before == 0)
		return;
	memset(&st, 0, sizeof st);
	st.z = z;
	st.l = l;
	if (l->comp.len)
		st.mask = KT_MRZ_ERR_COMPOSITE;
	if (kt_mrz_td1_long_doc(z, l) == 0)
		add_group(&st, l->doc, KT_MRZ_ERR_DOCUMENT_NUMBER);
	if (l->opt_chk.len)
		add_group(&st, l->opt, KT_MRZ_ERR_OPTIONAL_DATA);
	else if (l->comp.len && kt_mrz_td1_long_doc(z, l) == 0)
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
