/*
 * extract_names.c - names from labelled fields of forms and decisions
 * ("Uzvārds: BĒRZIŅA", "Vardas: Jonas", "Фамилия: Иванов", "Surname:").
 *
 * Labels are matched on folded text (any case, diacritics or not) and must
 * be followed by a colon. The value is the rest of the line, up to the next
 * label, a tab or a wide gap (form columns); when the label ends its line,
 * the next line. A surname and given names within NEAR_BYTES of each other
 * make one record; combined labels ("Vārds, uzvārds:", "ФИО:") make one
 * record by themselves.
 */
#include "extract_private.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define NEAR_BYTES 400
#define VALUE_MAX 100
#define WORDS_MAX 6

enum { L_SURNAME, L_GIVEN, L_GIVEN_SURNAME, L_SURNAME_GIVEN };

/* longer labels first, so "vards, uzvards" wins over "vards" */
static const struct name_label {
	const char *text;	/* as written; matched folded (labels_folded) */
	int kind;
} labels[] = {
	{ "фамилия, имя, отчество", L_SURNAME_GIVEN },
	{ "surname and given names", L_SURNAME_GIVEN },
	{ "surname, given names", L_SURNAME_GIVEN },
	{ "name and surname", L_GIVEN_SURNAME },
	{ "vardas ir pavarde", L_GIVEN_SURNAME },
	{ "vards un uzvards", L_GIVEN_SURNAME },
	{ "vardas, pavarde", L_GIVEN_SURNAME },
	{ "pavarde, vardas", L_SURNAME_GIVEN },
	{ "vards, uzvards", L_GIVEN_SURNAME },
	{ "uzvards, vards", L_SURNAME_GIVEN },
	{ "фамилия, имя", L_SURNAME_GIVEN },
	{ "name, surname", L_GIVEN_SURNAME },
	{ "family name", L_SURNAME },
	{ "given names", L_GIVEN },
	{ "given name", L_GIVEN },
	{ "first names", L_GIVEN },
	{ "first name", L_GIVEN },
	{ "forenames", L_GIVEN },
	{ "last name", L_SURNAME },
	{ "forename", L_GIVEN },
	{ "фамилия", L_SURNAME },
	{ "surname", L_SURNAME },
	{ "uzvards", L_SURNAME },
	{ "pavarde", L_SURNAME },
	{ "vardas", L_GIVEN },
	{ "vardai", L_GIVEN },
	{ "vards", L_GIVEN },
	{ "vardi", L_GIVEN },
	{ "фио", L_SURNAME_GIVEN },
	{ "имя", L_GIVEN },
};

/* The labels folded as the text is (once, at first use). */
static const char **labels_folded;
static pthread_once_t labels_once = PTHREAD_ONCE_INIT;

static void labels_fold(void)
{
	(void)kt_extract_fold_strings(labels, sizeof labels / sizeof labels[0], sizeof labels[0],
				      offsetof(struct name_label, text), &labels_folded);
}

struct label {
	int kind;
	size_t pos;	/* folded: label start */
	size_t val;	/* folded: after the colon */
};

/* a label at folded position i, or -1; *val gets the position after its colon */
static int label_at(const char *f, size_t n, size_t i, size_t *val)
{
	size_t k;

	if (i > 0 && kt_extract_is_word_byte((unsigned char)f[i - 1]))
		return -1;
	for (k = 0; k < sizeof labels / sizeof labels[0]; k++) {
		size_t len = strlen(labels_folded[k]), j = i + len;

		if (j > n || memcmp(f + i, labels_folded[k], len) != 0)
			continue;
		if (j < n && kt_extract_is_word_byte((unsigned char)f[j]))
			continue;
		while (j < n && (f[j] == ' ' || f[j] == '\t'))
			j++;
		if (j < n && f[j] == ':') {
			*val = j + 1;
			return (int)k;
		}
	}
	return -1;
}

/* end of the value starting at folded v: end of line, a tab, three spaces,
 * the next label, or a comma beyond the commas it may hold (the one of
 * "SURNAME, Given"; "Vārds, uzvārds: Oleg Kovalenko, personas kods ..."
 * ends at the first) */
static size_t value_end(const char *f, size_t n, size_t v, int commas)
{
	size_t i, dummy;

	for (i = v; i < n; i++) {
		if (f[i] == '\n' || f[i] == '\r' || f[i] == '\t')
			break;
		if (f[i] == ',' && commas-- == 0)
			break;
		if (f[i] == ' ' && i + 2 < n && f[i + 1] == ' ' && f[i + 2] == ' ')
			break;
		if (i > v && label_at(f, n, i, &dummy) >= 0)
			break;
	}
	return i;
}

/* copy at most cap-1 bytes of s, not cutting a UTF-8 character, spaces collapsed */
static void put(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0, i;
	int space = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = o > 0;
			continue;
		}
		if (space) {
			if (o + 1 >= cap)
				break;
			dst[o++] = ' ';
			space = 0;
		}
		if (o + 1 >= cap)
			break;
		dst[o++] = (char)c;
	}
	/* do not end inside a UTF-8 sequence */
	while (o > 0 && ((unsigned char)dst[o - 1] & 0x80)) {
		size_t st = o - 1;
		uint32_t cp;

		while (st > 0 && o - st < 4 && kt_utf8_is_cont((unsigned char)dst[st]))
			st--;
		if (kt_utf8_decode(dst + st, o - st, &cp) == o - st)
			break;
		o = st;
	}
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

/* a plausible name: no digits, not too long, a few words */
static int plausible(const char *s, size_t n)
{
	size_t i, words = 0;
	int in = 0, letters = 0;

	if (n == 0 || n > VALUE_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			return 0;
		if (c == ' ') {
			in = 0;
		} else {
			if (!in)
				words++;
			in = 1;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
				letters = 1;
		}
	}
	return letters && words <= WORDS_MAX;
}

struct rec {
	kt_name name;
	int has_s, has_g;
	size_t pos;
};

static int flush(kt_vec *v, struct rec *r)
{
	size_t i;
	int rc = 0;

	if (r->has_s || r->has_g) {
		const kt_name *all = v->data;
		int dup = 0;

		for (i = 0; i < v->len; i++)
			if (strcmp(all[i].surname, r->name.surname) == 0 &&
			    strcmp(all[i].given_names, r->name.given_names) == 0)
				dup = 1;
		if (!dup)
			rc = kt_vec_push(v, &r->name);
	}
	memset(r, 0, sizeof *r);
	return rc;
}

/* the value of a label: trimmed original text, or the next line when it ends its line */
static void value_of(const char *text, const char *f, size_t n, const size_t *map,
		     size_t v, int commas, char *buf, size_t cap)
{
	size_t e, dummy;

	while (v < n && (f[v] == ' ' || f[v] == '\t'))
		v++;
	e = value_end(f, n, v, commas);
	if (e == v && v < n && (f[v] == '\n' || f[v] == '\r')) {
		/* the value is on the next line */
		while (v < n && (f[v] == '\n' || f[v] == '\r' || f[v] == ' ' || f[v] == '\t'))
			v++;
		if (v < n && label_at(f, n, v, &dummy) >= 0) {
			buf[0] = '\0';
			return;
		}
		e = value_end(f, n, v, commas);
	}
	while (e > v && strchr(" ,;.", f[e - 1]) != NULL)
		e--;
	put(buf, cap, text + map[v], map[e] - map[v]);
}

int kt_extract_names(const char *text, kt_name **out, size_t *count)
{
	kt_vec v;
	struct rec r;
	size_t *map = NULL, n, i = 0;
	char *f;
	int oom = 0;

	if (out != NULL)
		*out = NULL;
	if (count != NULL)
		*count = 0;
	if (text == NULL || out == NULL || count == NULL)
		return KT_OK;
	if (pthread_once(&labels_once, labels_fold) != 0 || labels_folded == NULL)
		return KT_FATAL;
	f = kt_extract_fold(text, strlen(text), &map, &n);
	if (f == NULL)
		return KT_FATAL;
	kt_vec_init(&v, sizeof(kt_name));
	memset(&r, 0, sizeof r);
	while (i < n && !oom) {
		size_t val;
		int k = label_at(f, n, i, &val), kind;
		char buf[VALUE_MAX * 2 + 8];

		if (k < 0) {
			i++;
			continue;
		}
		kind = labels[k].kind;
		value_of(text, f, n, map, val, kind == L_SURNAME_GIVEN, buf, sizeof buf);
		i = val;
		if (!plausible(buf, strlen(buf)))
			continue;
		if ((r.has_s || r.has_g) && i - r.pos > NEAR_BYTES && flush(&v, &r) < 0)
			oom = 1;
		switch (kind) {
		case L_SURNAME:
			if (r.has_s && flush(&v, &r) < 0)
				oom = 1;
			put(r.name.surname, sizeof r.name.surname, buf, strlen(buf));
			if (!r.has_g)
				r.pos = i;
			r.has_s = 1;
			break;
		case L_GIVEN:
			if (r.has_g && flush(&v, &r) < 0)
				oom = 1;
			put(r.name.given_names, sizeof r.name.given_names, buf, strlen(buf));
			if (!r.has_s)
				r.pos = i;
			r.has_g = 1;
			break;
		default: {
			/* one field with both: split at the first or last space */
			char *sp = kind == L_GIVEN_SURNAME ? strrchr(buf, ' ') : strchr(buf, ' ');

			if (flush(&v, &r) < 0)
				oom = 1;
			if (sp == NULL) {
				put(r.name.surname, sizeof r.name.surname, buf, strlen(buf));
			} else if (kind == L_GIVEN_SURNAME) {
				put(r.name.given_names, sizeof r.name.given_names, buf, (size_t)(sp - buf));
				put(r.name.surname, sizeof r.name.surname, sp + 1, strlen(sp + 1));
			} else {
				/* "SURNAME, Given": the comma is no part of the surname */
				put(r.name.surname, sizeof r.name.surname, buf,
				    (size_t)(sp - buf) - (sp > buf && sp[-1] == ','));
				put(r.name.given_names, sizeof r.name.given_names, sp + 1, strlen(sp + 1));
			}
			r.has_s = 1;
			if (flush(&v, &r) < 0)
				oom = 1;
			break;
		}
		}
	}
	if (!oom && flush(&v, &r) < 0)
		oom = 1;
	free(f);
	free(map);
	if (oom) {
		kt_vec_release(&v);
		return KT_FATAL;
	}
	*out = v.data;
	*count = v.len;
	return KT_OK;
}
