/*
 * extract_doctype.c - what kind of document a text is, from its own words
 * in Latvian, Lithuanian, Russian and English.
 *
 * Each keyword found adds its weight to its kind: once in the body, twice
 * in a heading (one of the first TITLE_LINES non-empty lines, of at most
 * HEADING_WORDS words), three times in the first lines when written in
 * capitals ("LĒMUMS"). Title scores decide first,
 * body scores break ties, then the earliest word. An MRZ weighs as much as
 * a strong title. Matching is on folded text (extract_fold.c), so case and
 * lost diacritics do not matter; stems match inflected forms.
 */
#include "extract_private.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_LINES 5
#define HEADING_WORDS 6
#define HEADING_BYTES 240
#define MRZ_WEIGHT 10
#define EVIDENCE_MAX 8

enum { STEM, WORD };

static const struct kw {
	kt_doc_type type;
	const char *text;	/* as written; matched folded (kw_folded) */
	int mode;
	int weight;
} keywords[] = {
	/* decision */
	{ KT_DOC_DECISION, "lemum", STEM, 2 },
	{ KT_DOC_DECISION, "sprendim", STEM, 2 },
	{ KT_DOC_DECISION, "решени", STEM, 2 },
	{ KT_DOC_DECISION, "decision", STEM, 2 },
	/* application */
	{ KT_DOC_APPLICATION, "iesniegum", STEM, 2 },
	{ KT_DOC_APPLICATION, "prasym", STEM, 2 },
	{ KT_DOC_APPLICATION, "заявлени", STEM, 2 },
	{ KT_DOC_APPLICATION, "ходатайств", STEM, 2 },
	{ KT_DOC_APPLICATION, "application", STEM, 2 },
	/* interview */
	{ KT_DOC_INTERVIEW, "parrunu protokol", STEM, 3 },
	{ KT_DOC_INTERVIEW, "intervij", STEM, 2 },
	{ KT_DOC_INTERVIEW, "pokalbio protokol", STEM, 3 },
	{ KT_DOC_INTERVIEW, "interviu", WORD, 2 },
	{ KT_DOC_INTERVIEW, "собеседовани", STEM, 2 },
	{ KT_DOC_INTERVIEW, "интервью", WORD, 2 },
	{ KT_DOC_INTERVIEW, "interview", STEM, 2 },
	/* identity documents */
	{ KT_DOC_IDENTITY, "passport", STEM, 1 },
	{ KT_DOC_IDENTITY, "pase", WORD, 1 },
	{ KT_DOC_IDENTITY, "pases", WORD, 1 },
	{ KT_DOC_IDENTITY, "pasi", WORD, 1 },
	{ KT_DOC_IDENTITY, "pasu", WORD, 1 },
	{ KT_DOC_IDENTITY, "pasas", WORD, 1 },
	{ KT_DOC_IDENTITY, "paso", WORD, 1 },
	{ KT_DOC_IDENTITY, "паспорт", STEM, 1 },
	{ KT_DOC_IDENTITY, "residence permit", STEM, 1 },
	{ KT_DOC_IDENTITY, "uzturesanas atlauj", STEM, 1 },
	{ KT_DOC_IDENTITY, "leidimas gyventi", WORD, 1 },
	{ KT_DOC_IDENTITY, "leidimo gyventi", WORD, 1 },
	{ KT_DOC_IDENTITY, "leidima gyventi", WORD, 1 },
	{ KT_DOC_IDENTITY, "identity card", STEM, 1 },
	{ KT_DOC_IDENTITY, "personas apliecib", STEM, 1 },
	{ KT_DOC_IDENTITY, "asmens tapatybes kortel", STEM, 1 },
	{ KT_DOC_IDENTITY, "вид на жительство", WORD, 1 },
	{ KT_DOC_IDENTITY, "удостоверение личности", WORD, 1 },
	/* letters: salutations and closings */
	{ KT_DOC_LETTER, "dear", WORD, 3 },
	{ KT_DOC_LETTER, "cienijam", STEM, 3 },
	{ KT_DOC_LETTER, "gerb", STEM, 3 },
	{ KT_DOC_LETTER, "уважаем", STEM, 3 },
	{ KT_DOC_LETTER, "yours sincerely", WORD, 3 },
	{ KT_DOC_LETTER, "yours faithfully", WORD, 3 },
	{ KT_DOC_LETTER, "kind regards", WORD, 2 },
	{ KT_DOC_LETTER, "ar cienu", WORD, 2 },
	{ KT_DOC_LETTER, "pagarbiai", WORD, 2 },
	{ KT_DOC_LETTER, "с уважением", WORD, 2 },
};

/* The keywords folded as the text is (once, at first use). */
static const char **kw_folded;
static pthread_once_t kw_once = PTHREAD_ONCE_INIT;

static void kw_fold(void)
{
	(void)kt_extract_fold_strings(keywords, sizeof keywords / sizeof keywords[0],
				      sizeof keywords[0], offsetof(struct kw, text), &kw_folded);
}

struct hit {
	kt_doc_type type;
	size_t pos;		/* folded offset */
	size_t os, oe;		/* the word(s) in the original text */
	int title;
	int weight;
};

const char *kt_extract_doc_type_name(kt_doc_type t)
{
	switch (t) {
	case KT_DOC_DECISION: return "decision";
	case KT_DOC_APPLICATION: return "application";
	case KT_DOC_INTERVIEW: return "interview";
	case KT_DOC_IDENTITY: return "identity";
	case KT_DOC_LETTER: return "letter";
	default: return "other";
	}
}

static int is_lower_cp(unsigned cp)
{
	if (cp >= 'a' && cp <= 'z')
		return 1;
	if (cp >= 0xDF && cp <= 0xFF)
		return cp != 0xF7;
	if (cp >= 0x100 && cp <= 0x137)
		return cp & 1;
	if (cp >= 0x139 && cp <= 0x148)
		return !(cp & 1);
	if (cp >= 0x14A && cp <= 0x177)
		return cp & 1;
	if (cp >= 0x179 && cp <= 0x17E)
		return !(cp & 1);
	if (cp == 0x138 || cp == 0x149 || cp == 0x17F)
		return 1;
	return cp >= 0x430 && cp <= 0x45F;
}

/* written in capitals: no small letter */
static int upper_case(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n)
		if (is_lower_cp(kt_utf8_next(s, n, &i)))
			return 0;
	return 1;
}

/* folded offset where the title zone ends */
static size_t title_end(const char *f, size_t n)
{
	size_t i = 0;
	int lines = 0, content = 0;

	for (i = 0; i < n; i++) {
		if (f[i] == '\n') {
			if (content && ++lines == TITLE_LINES)
				return i;
			content = 0;
		} else if (f[i] != ' ' && f[i] != '\t' && f[i] != '\r') {
			content = 1;
		}
	}
	return n;
}

/* the line around folded pos has at most HEADING_WORDS words (and HEADING_BYTES bytes) */
static int heading_line(const char *f, size_t n, size_t pos)
{
	size_t a = pos, i;
	int words = 0, in = 0;

	while (a > 0 && f[a - 1] != '\n')
		if (pos - --a > HEADING_BYTES)
			return 0;
	for (i = a; i < n && f[i] != '\n'; i++) {
		if (i - a > HEADING_BYTES)
			return 0;
		int w = kt_extract_is_word_byte((unsigned char)f[i]);

		if (w && !in)
			words++;
		in = w;
	}
	return words <= HEADING_WORDS;
}

static int by_pos(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return (x->pos > y->pos) - (x->pos < y->pos);
}

kt_doc_type kt_extract_doc_type(const char *text, int has_mrz, json_t *evidence)
{
	kt_vec hits;
	size_t *map = NULL, n, tend, i, k;
	long tscore[6] = { 0 }, bscore[6] = { 0 };
	size_t first[6];
	char *f;
	int best = KT_DOC_OTHER, t, added = 0;

	if (text == NULL)
		return KT_DOC_OTHER;
	if (pthread_once(&kw_once, kw_fold) != 0 || kw_folded == NULL)
		return has_mrz ? KT_DOC_IDENTITY : KT_DOC_OTHER;
	f = kt_extract_fold(text, strlen(text), &map, &n);
	if (f == NULL)
		return has_mrz ? KT_DOC_IDENTITY : KT_DOC_OTHER;
	for (t = 0; t < 6; t++)
		first[t] = (size_t)-1;
	if (has_mrz) {
		tscore[KT_DOC_IDENTITY] += MRZ_WEIGHT;
		first[KT_DOC_IDENTITY] = 0;
	}
	tend = title_end(f, n);
	kt_vec_init(&hits, sizeof(struct hit));
	for (k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
		const struct kw *kw = &keywords[k];
		const char *word = kw_folded[k], *p = f;
		size_t len = strlen(word);

		while ((p = strstr(p, word)) != NULL) {
			size_t pos = (size_t)(p - f), we = pos + len;
			struct hit h;

			p += len;
			if (pos > 0 && kt_extract_is_word_byte((unsigned char)f[pos - 1]))
				continue;
			if (kw->mode == WORD && we < n && kt_extract_is_word_byte((unsigned char)f[we]))
				continue;
			while (we < n && kt_extract_is_word_byte((unsigned char)f[we]))
				we++;
			h.type = kw->type;
			h.pos = pos;
			h.os = map[pos];
			h.oe = map[we];
			h.title = 0;
			h.weight = kw->weight;
			if (pos < tend) {
				if (upper_case(text + h.os, h.oe - h.os)) {
					h.title = 1;
					h.weight *= 3;
				} else if (heading_line(f, n, pos)) {
					h.title = 1;
					h.weight *= 2;
				}
			}
			if (h.title)
				tscore[h.type] += h.weight;
			else
				bscore[h.type] += h.weight;
			if (pos < first[h.type])
				first[h.type] = pos;
			if (kt_vec_push(&hits, &h) < 0)
				break;
		}
	}
	for (t = 1; t < 6; t++) {
		if (tscore[t] == 0 && bscore[t] == 0)
			continue;
		if (best == KT_DOC_OTHER || tscore[t] > tscore[best] ||
		    (tscore[t] == tscore[best] &&
		     (bscore[t] > bscore[best] ||
		      (bscore[t] == bscore[best] && first[t] < first[best]))))
			best = t;
	}
	if (evidence != NULL && best != KT_DOC_OTHER) {
		struct hit *h = hits.data;
		int from_title = tscore[best] > 0;

		if (has_mrz && best == KT_DOC_IDENTITY) {
			json_array_append_new(evidence, json_string("MRZ"));
			added++;
		}
		if (hits.len > 1)
			qsort(h, hits.len, sizeof *h, by_pos);
		for (i = 0; i < hits.len && added < EVIDENCE_MAX; i++) {
			json_t *s;
			size_t j;
			int dup = 0;

			if ((int)h[i].type != best || h[i].title != from_title)
				continue;
			s = json_stringn(text + h[i].os, h[i].oe - h[i].os);
			if (s == NULL)
				continue;
			for (j = 0; j < json_array_size(evidence); j++)
				if (json_equal(json_array_get(evidence, j), s))
					dup = 1;
			if (dup) {
				json_decref(s);
				continue;
			}
			if (json_array_append_new(evidence, s) == 0)
				added++;
		}
	}
	kt_vec_release(&hits);
	free(f);
	free(map);
	return (kt_doc_type)best;
}
