/*
 * extract_date.c - dates written in Latvian, Lithuanian, Russian and English
 * documents, normalised to ISO 8601 (YYYY-MM-DD).
 *
 * The text is folded (extract_fold.c) and cut into tokens: numbers, words,
 * quotes and punctuation, each knowing whether space stood before it. The
 * date forms are sequences of tokens; a number glued to another number
 * (section "1.14.03.2023", identifiers "X-2023-09-05-1") is no date.
 */
#include "extract_private.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { T_NUM, T_WORD, T_QUOTE, T_PUNCT };

struct tok {
	int type;
	size_t fs, fe;		/* bytes in the folded text */
	int val;		/* T_NUM: value, -1 if too long */
	int nd;			/* T_NUM: digits */
	char c;			/* T_PUNCT: the character ('?' for non-ASCII) */
	int sp;			/* before it: 0 nothing, 1 spaces, 2 a line break */
	const char *w;		/* T_WORD: start in the folded text */
	size_t wn;		/* T_WORD: length */
};

int kt_date_valid(int y, int m, int d)
{
	return y >= 1850 && y <= 2100 && d >= 1 && d <= kt_record_days_in_month(y, m);
}

/* ---- month names (folded: lower case, no diacritics) ---- */

static const char *const en_months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};
static const char *const en_abbr[12] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};
/* Latvian stems take the case endings below: janvāris, janvāra, janvārī, martā ... */
static const char *const lv_stems[12] = {
	"janvar", "februar", "mart", "april", "maij", "junij", "julij",
	"august", "septembr", "oktobr", "novembr", "decembr"
};
static const char *const lv_endings[] = { "", "is", "s", "a", "i", "im", "am", "u" };
/* Lithuanian: genitive (used in dates) and nominative */
static const char *const lt_gen[12] = {
	"sausio", "vasario", "kovo", "balandzio", "geguzes", "birzelio", "liepos",
	"rugpjucio", "rugsejo", "spalio", "lapkricio", "gruodzio"
};
static const char *const lt_nom[12] = {
	"sausis", "vasaris", "kovas", "balandis", "geguze", "birzelis", "liepa",
	"rugpjutis", "rugsejis", "spalis", "lapkritis", "gruodis"
};
/* Russian: genitive, nominative, abbreviations (UTF-8, lower case, as
 * written: "май" is matched as "маи", folded once at first use) */
static const char *const ru_gen[12] = {
	"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	"августа", "сентября", "октября", "ноября", "декабря"
};
static const char *const ru_nom[12] = {
	"январь", "февраль", "март", "апрель", "май", "июнь", "июль",
	"август", "сентябрь", "октябрь", "ноябрь", "декабрь"
};
static const char *const ru_abbr[] = {
	"янв", "1", "фев", "2", "февр", "2", "мар", "3", "апр", "4", "июн", "6",
	"июл", "7", "авг", "8", "сен", "9", "сент", "9", "окт", "10", "ноя", "11",
	"нояб", "11", "дек", "12"
};

static const char **ru_gen_f, **ru_nom_f, **ru_abbr_f;
static pthread_once_t ru_once = PTHREAD_ONCE_INIT;

static void ru_fold(void)
{
	if (kt_extract_fold_strings(ru_gen, 12, sizeof ru_gen[0], 0, &ru_gen_f) != KT_OK ||
	    kt_extract_fold_strings(ru_nom, 12, sizeof ru_nom[0], 0, &ru_nom_f) != KT_OK)
		return;
	(void)kt_extract_fold_strings(ru_abbr, sizeof ru_abbr / sizeof ru_abbr[0],
				      sizeof ru_abbr[0], 0, &ru_abbr_f);
}

static int word_is(const struct tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->type == T_WORD && t->wn == n && memcmp(t->w, s, n) == 0;
}

static int in_list(const struct tok *t, const char *const *list)
{
	int i;

	for (i = 0; i < 12; i++)
		if (word_is(t, list[i]))
			return i + 1;
	return 0;
}

static int month_en(const struct tok *t)
{
	int m = in_list(t, en_months);

	if (m == 0)
		m = in_list(t, en_abbr);
	if (m == 0 && word_is(t, "sept"))
		m = 9;
	return m;
}

static int month_any(const struct tok *t)
{
	int m, i;
	size_t k;

	if (t->type != T_WORD)
		return 0;
	if ((m = month_en(t)) || (m = in_list(t, lt_gen)) || (m = in_list(t, lt_nom)) ||
	    (m = in_list(t, ru_gen_f)) || (m = in_list(t, ru_nom_f)))
		return m;
	for (i = 0; i < 12; i++) {
		size_t sn = strlen(lv_stems[i]);

		if (t->wn < sn || memcmp(t->w, lv_stems[i], sn) != 0)
			continue;
		for (k = 0; k < sizeof lv_endings / sizeof lv_endings[0]; k++) {
			size_t en = strlen(lv_endings[k]);

			if (t->wn == sn + en && memcmp(t->w + sn, lv_endings[k], en) == 0)
				return i + 1;
		}
	}
	for (k = 0; k < sizeof ru_abbr / sizeof ru_abbr[0]; k += 2)
		if (word_is(t, ru_abbr_f[k]))
			return atoi(ru_abbr_f[k + 1]);
	return 0;
}

/* ---- tokens ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int is_letter_cp(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x370 && cp <= 0x52F);
}

static int is_quote_cp(unsigned cp)
{
	return cp == '"' || cp == '\'' || cp == 0xAB || cp == 0xBB ||
	       (cp >= 0x2018 && cp <= 0x201F);
}

static int add_tok(kt_vec *v, struct tok *t, int *sp)
{
	t->sp = *sp;
	*sp = 0;
	return kt_vec_push(v, t);
}

/* split an alphanumeric run [s, e) into number and word tokens */
static int add_run(kt_vec *v, const char *f, size_t s, size_t e, int *sp)
{
	size_t i, digits = 0, os = 0;
	struct tok t;

	for (i = s; i < e; i++) {
		if (f[i] >= '0' && f[i] <= '9')
			digits++;
		else if (f[i] == 'o')
			os++;
	}
	/* OCR read 0 as O: "2O23", "14.O3" (a number with at least one real digit) */
	if (digits > 0 && os > 0 && digits + os == e - s) {
		memset(&t, 0, sizeof t);
		t.type = T_NUM;
		t.fs = s;
		t.fe = e;
		t.nd = (int)(e - s);
		for (i = s; i < e && t.nd <= 9; i++)
			t.val = t.val * 10 + (f[i] == 'o' ? 0 : f[i] - '0');
		if (t.nd > 9)
			t.val = -1;
		return add_tok(v, &t, sp);
	}
	i = s;
	while (i < e) {
		size_t j = i;
		int num = f[i] >= '0' && f[i] <= '9';

		while (j < e && (f[j] >= '0' && f[j] <= '9') == num)
			j++;
		memset(&t, 0, sizeof t);
		t.fs = i;
		t.fe = j;
		if (num) {
			size_t k;

			t.type = T_NUM;
			t.nd = (int)(j - i);
			for (k = i; k < j && t.nd <= 9; k++)
				t.val = t.val * 10 + (f[k] - '0');
			if (t.nd > 9)
				t.val = -1;
		} else {
			t.type = T_WORD;
			t.w = f + i;
			t.wn = j - i;
		}
		if (add_tok(v, &t, sp) < 0)
			return -1;
		i = j;
	}
	return 0;
}

static int tokenize(const char *f, size_t n, kt_vec *v)
{
	size_t i = 0;
	int sp = 0;

	while (i < n) {
		size_t s = i;
		unsigned cp;
		struct tok t;

		if (is_space(f[i])) {
			if (f[i] == '\n')
				sp = 2;
			else if (sp == 0)
				sp = 1;
			i++;
			continue;
		}
		cp = kt_utf8_next(f, n, &i);
		if (is_letter_cp(cp) || (cp >= '0' && cp <= '9')) {
			size_t e = i;

			for (;;) {
				size_t k = e;
				unsigned c2;

				if (k >= n)
					break;
				c2 = kt_utf8_next(f, n, &k);
				if (!is_letter_cp(c2) && !(c2 >= '0' && c2 <= '9'))
					break;
				e = k;
			}
			if (add_run(v, f, s, e, &sp) < 0)
				return -1;
			i = e;
			continue;
		}
		memset(&t, 0, sizeof t);
		t.fs = s;
		t.fe = i;
		if (is_quote_cp(cp)) {
			t.type = T_QUOTE;
		} else {
			t.type = T_PUNCT;
			t.c = cp < 0x80 ? (char)cp : '?';
		}
		if (add_tok(v, &t, &sp) < 0)
			return -1;
	}
	return 0;
}

/* ---- patterns ---- */

struct cur {
	const struct tok *t;
	size_t n, k;
};

static const struct tok *peek(const struct cur *c)
{
	return c->k < c->n ? &c->t[c->k] : NULL;
}

static int num(struct cur *c, int mind, int maxd, int *val)
{
	const struct tok *t = peek(c);

	if (t == NULL || t->type != T_NUM || t->nd < mind || t->nd > maxd || t->val < 0)
		return 0;
	*val = t->val;
	c->k++;
	return 1;
}

static int punct(struct cur *c, char ch)
{
	const struct tok *t = peek(c);

	if (t == NULL || t->type != T_PUNCT || t->c != ch)
		return 0;
	c->k++;
	return 1;
}

/* an optional punctuation mark glued to what precedes it */
static void opt_punct(struct cur *c, char ch)
{
	const struct tok *t = peek(c);

	if (t != NULL && t->type == T_PUNCT && t->c == ch && t->sp == 0)
		c->k++;
}

/* OCR noise between the parts of a date written with a month name
 * ("19 August: 2021", "14 March, ' 1988"): up to two stray marks, on the
 * line of what precedes them; the month's name makes it a date, and the day
 * and year are still checked. */
static void opt_noise(struct cur *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		const struct tok *t = peek(c);

		if (t == NULL || t->sp == 2 || c->k + 1 >= c->n || c->t[c->k + 1].sp == 2)
			return;
		if (t->type == T_QUOTE || (t->type == T_PUNCT && strchr(".,:;_|~`^*", t->c) != NULL))
			c->k++;
		else
			return;
	}
}

static int word(struct cur *c, const char *w)
{
	const struct tok *t = peek(c);

	if (t == NULL || !word_is(t, w))
		return 0;
	c->k++;
	return 1;
}

static void opt_quote(struct cur *c)
{
	const struct tok *t = peek(c);

	if (t != NULL && t->type == T_QUOTE)
		c->k++;
}

/* an ordinal suffix glued to a day: 14th, 1st */
static void opt_ordinal(struct cur *c)
{
	const struct tok *t = peek(c);

	if (t != NULL && t->sp == 0 &&
	    (word_is(t, "st") || word_is(t, "nd") || word_is(t, "rd") || word_is(t, "th")))
		c->k++;
}

static int glued(const struct tok *t)
{
	return t->sp == 0;
}

/* is the token at k the tail of a longer number or identifier? */
static int glued_before(const struct tok *t, size_t k)
{
	if (k == 0 || !glued(&t[k]))
		return 0;
	if (t[k - 1].type == T_NUM || t[k - 1].type == T_WORD)
		return 1;
	if (t[k - 1].type == T_PUNCT && strchr(".-/,:", t[k - 1].c) != NULL) {
		if (t[k - 1].c == '-')
			return 1;
		return k >= 2 && glued(&t[k - 1]) && t[k - 2].type == T_NUM;
	}
	return 0;
}

/* does a number or identifier go on after the token at k-1? */
static int glued_after(const struct tok *t, size_t n, size_t k)
{
	if (k >= n || !glued(&t[k]))
		return 0;
	if (t[k].type == T_NUM)
		return 1;
	if (t[k].type == T_PUNCT && strchr(".-/,", t[k].c) != NULL && k + 1 < n &&
	    glued(&t[k + 1]) && t[k + 1].type == T_NUM)
		return 1;
	return 0;
}

/* The separator of 14.03.2023: a dot glued to the number before it, or
 * OCR's comma for one; *dots counts the dots. */
static int dmy_sep(struct cur *c, int *dots)
{
	const struct tok *t = peek(c);

	if (t == NULL || !glued(t) || t->type != T_PUNCT || (t->c != '.' && t->c != ','))
		return 0;
	*dots += t->c == '.';
	c->k++;
	return 1;
}

/* 14.03.2023 : the dots glued to the number before them, at most a space after */
static int p_dmy(struct cur *c, int *y, int *m, int *d)
{
	size_t s = c->k;

	int dots = 0;

	if (glued_before(c->t, s) || !num(c, 1, 2, d))
		return 0;
	if (!dmy_sep(c, &dots))
		return 0;
	if (!(peek(c) && peek(c)->sp < 2 && num(c, 1, 2, m)))
		return 0;
	if (!dmy_sep(c, &dots))
		return 0;
	if (!(peek(c) && peek(c)->sp < 2 && num(c, 4, 4, y)))
		return 0;
	/* OCR reads a dot as a comma now and then, never both */
	return dots > 0 && !glued_after(c->t, c->n, c->k);
}

/* 2022-09-05 and 2022.09.05, all glued */
static int p_ymd(struct cur *c, int *y, int *m, int *d)
{
	size_t s = c->k;
	char sep;
	const struct tok *t;

	if (glued_before(c->t, s) || !num(c, 4, 4, y))
		return 0;
	t = peek(c);
	if (t == NULL || t->type != T_PUNCT || !glued(t) || (t->c != '-' && t->c != '.'))
		return 0;
	sep = t->c;
	c->k++;
	if (!(peek(c) && glued(peek(c)) && num(c, 2, 2, m)))
		return 0;
	if (!(peek(c) && glued(peek(c)) && punct(c, sep)))
		return 0;
	if (!(peek(c) && glued(peek(c)) && num(c, 2, 2, d)))
		return 0;
	return !glued_after(c->t, c->n, c->k);
}

/* Latvian: 2023. gada 14. martā, 2023. g. 14. marts */
static int p_lv(struct cur *c, int *y, int *m, int *d)
{
	if (glued_before(c->t, c->k) || !num(c, 4, 4, y))
		return 0;
	opt_punct(c, '.');
	if (!word(c, "gada") && !word(c, "g"))
		return 0;
	opt_punct(c, '.');
	if (!num(c, 1, 2, d))
		return 0;
	opt_punct(c, '.');
	if (peek(c) == NULL || (*m = month_any(peek(c))) == 0)
		return 0;
	c->k++;
	return 1;
}

/* Lithuanian: 2022 m. rugsėjo [mėn.] 5 d. */
static int p_lt(struct cur *c, int *y, int *m, int *d)
{
	if (glued_before(c->t, c->k) || !num(c, 4, 4, y))
		return 0;
	if (!word(c, "m"))
		return 0;
	opt_punct(c, '.');
	if (peek(c) == NULL || (*m = month_any(peek(c))) == 0)
		return 0;
	c->k++;
	if (word(c, "men"))
		opt_punct(c, '.');
	if (!num(c, 1, 2, d))
		return 0;
	if (glued_after(c->t, c->n, c->k))
		return 0;
	if (word(c, "d"))
		opt_punct(c, '.');
	return 1;
}

/* 5 сентября 2022, «05» сентября 2022, 14 March 1988, 14th MAR 1988, 14. martā 2023 */
static int p_dm_y(struct cur *c, int *y, int *m, int *d)
{
	opt_quote(c);
	if (peek(c) == NULL || glued_before(c->t, c->k) || !num(c, 1, 2, d))
		return 0;
	opt_ordinal(c);
	opt_quote(c);
	opt_punct(c, '.');
	opt_noise(c);
	if (peek(c) == NULL || (*m = month_any(peek(c))) == 0)
		return 0;
	c->k++;
	opt_noise(c);
	if (!num(c, 4, 4, y))
		return 0;
	return !glued_after(c->t, c->n, c->k);
}

/* English: March 14, 1988 / Mar. 14th 1988 */
static int p_m_dy(struct cur *c, int *y, int *m, int *d)
{
	if (peek(c) == NULL || (*m = month_en(peek(c))) == 0)
		return 0;
	c->k++;
	opt_noise(c);
	if (!num(c, 1, 2, d))
		return 0;
	opt_ordinal(c);
	opt_noise(c);
	if (!num(c, 4, 4, y))
		return 0;
	return !glued_after(c->t, c->n, c->k);
}

typedef int (*pattern_fn)(struct cur *, int *, int *, int *);

int kt_date_find(const char *text, const kt_extract_span *ex, size_t nex,
		 kt_date **out, size_t *count)
{
	static const pattern_fn patterns[] = { p_lv, p_lt, p_ymd, p_dmy, p_dm_y, p_m_dy };
	kt_vec toks, dates;
	size_t *map = NULL, fn, k = 0;
	char *f;
	int rc = KT_OK;

	if (out != NULL)
		*out = NULL;
	if (count != NULL)
		*count = 0;
	if (text == NULL || out == NULL || count == NULL)
		return KT_OK;
	if (pthread_once(&ru_once, ru_fold) != 0 || ru_abbr_f == NULL)
		return KT_FATAL;
	f = kt_extract_fold(text, strlen(text), &map, &fn);
	if (f == NULL)
		return KT_FATAL;
	kt_vec_init(&toks, sizeof(struct tok));
	kt_vec_init(&dates, sizeof(kt_date));
	if (tokenize(f, fn, &toks) < 0) {
		rc = KT_FATAL;
		goto done;
	}
	while (k < toks.len) {
		const struct tok *t = toks.data;
		size_t p;
		int found = 0;

		for (p = 0; p < sizeof patterns / sizeof patterns[0] && !found; p++) {
			struct cur c = { t, toks.len, k };
			int y = 0, m = 0, d = 0;
			kt_date dt;

			if (!patterns[p](&c, &y, &m, &d) || !kt_date_valid(y, m, d))
				continue;
			memset(&dt, 0, sizeof dt);
			dt.year = y;
			dt.month = m;
			dt.day = d;
			kt_extract_iso(dt.iso, y, m, d);
			dt.span.start = map[t[k].fs];
			dt.span.end = map[t[c.k - 1].fe];
			if (kt_extract_span_overlaps(ex, nex, dt.span.start, dt.span.end))
				continue;
			if (kt_vec_push(&dates, &dt) < 0) {
				rc = KT_FATAL;
				goto done;
			}
			k = c.k;
			found = 1;
		}
		if (!found)
			k++;
	}
done:
	kt_vec_release(&toks);
	free(f);
	free(map);
	if (rc != KT_OK) {
		kt_vec_release(&dates);
		return rc;
	}
	*out = dates.data;
	*count = dates.len;
	return KT_OK;
}
