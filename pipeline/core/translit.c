/*
 * translit.c - Cyrillic to Latin transliteration (ICAO Doc 9303 Part 3),
 * table-driven; see translit_private.h for what it does and docs/search.md
 * for the table's source and limits.
 */
#include "kt_translit.h"
#include "kt_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The letters, by small letter: U+0430..U+045F, then U+0491. `icao` is the
 * value of ICAO Doc 9303 Part 3's table; `uk` the value in a Ukrainian or
 * Belarusian word when the table's language notes give another one.
 */
static const struct letter {
	uint16_t cp;
	const char *icao;
	const char *uk;
} letters[] = {
	{ 0x0430, "a", NULL },	  /* а */
	{ 0x0431, "b", NULL },	  /* б */
	{ 0x0432, "v", NULL },	  /* в */
	{ 0x0433, "g", "h" },	  /* г: h in Ukrainian and Belarusian */
	{ 0x0434, "d", NULL },	  /* д */
	{ 0x0435, "e", NULL },	  /* е */
	{ 0x0436, "zh", NULL },	  /* ж */
	{ 0x0437, "z", NULL },	  /* з */
	{ 0x0438, "i", "y" },	  /* и: y in Ukrainian */
	{ 0x0439, "i", NULL },	  /* й */
	{ 0x043A, "k", NULL },	  /* к */
	{ 0x043B, "l", NULL },	  /* л */
	{ 0x043C, "m", NULL },	  /* м */
	{ 0x043D, "n", NULL },	  /* н */
	{ 0x043E, "o", NULL },	  /* о */
	{ 0x043F, "p", NULL },	  /* п */
	{ 0x0440, "r", NULL },	  /* р */
	{ 0x0441, "s", NULL },	  /* с */
	{ 0x0442, "t", NULL },	  /* т */
	{ 0x0443, "u", NULL },	  /* у */
	{ 0x0444, "f", NULL },	  /* ф */
	{ 0x0445, "kh", NULL },	  /* х */
	{ 0x0446, "ts", NULL },	  /* ц */
	{ 0x0447, "ch", NULL },	  /* ч */
	{ 0x0448, "sh", NULL },	  /* ш */
	{ 0x0449, "shch", NULL }, /* щ */
	{ 0x044A, "ie", NULL },	  /* ъ */
	{ 0x044B, "y", NULL },	  /* ы */
	{ 0x044C, "", NULL },	  /* ь: not written */
	{ 0x044D, "e", NULL },	  /* э */
	{ 0x044E, "iu", NULL },	  /* ю */
	{ 0x044F, "ia", NULL },	  /* я */
	{ 0x0450, "e", NULL },	  /* ѐ */
	{ 0x0451, "e", NULL },	  /* ё */
	{ 0x0452, "d", NULL },	  /* ђ */
	{ 0x0453, "g", NULL },	  /* ѓ */
	{ 0x0454, "ie", NULL },	  /* є */
	{ 0x0455, "dz", NULL },	  /* ѕ */
	{ 0x0456, "i", NULL },	  /* і */
	{ 0x0457, "i", NULL },	  /* ї */
	{ 0x0458, "j", NULL },	  /* ј */
	{ 0x0459, "lj", NULL },	  /* љ */
	{ 0x045A, "nj", NULL },	  /* њ */
	{ 0x045B, "c", NULL },	  /* ћ */
	{ 0x045C, "k", NULL },	  /* ќ */
	{ 0x045D, "i", NULL },	  /* ѝ */
	{ 0x045E, "u", NULL },	  /* ў */
	{ 0x045F, "dz", NULL },	  /* џ */
	{ 0x0491, "g", NULL },	  /* ґ */
};

/* Letters that mark a word as Ukrainian or Belarusian: і ї є ґ. */
static int marks_ukrainian(uint32_t lower)
{
	return lower == 0x0456 || lower == 0x0457 || lower == 0x0454 || lower == 0x0491;
}

/* The table entry of a code point, NULL when it is not a Cyrillic letter we
 * change; *upper says whether it was a capital. */
static const struct letter *lookup(uint32_t cp, int *upper)
{
	uint32_t lower = cp;

	*upper = 1;
	if (cp >= 0x0410 && cp <= 0x042F)
		lower = cp + 0x20;
	else if (cp >= 0x0400 && cp <= 0x040F)
		lower = cp + 0x50;
	else if (cp == 0x0490)
		lower = 0x0491;
	else
		*upper = 0;
	if (lower >= 0x0430 && lower <= 0x045F)
		return &letters[lower - 0x0430];
	if (lower == 0x0491)
		return &letters[sizeof letters / sizeof letters[0] - 1];
	return NULL;
}

/* One decoded code point: its value (UINT32_MAX for a byte that is not valid
 * UTF-8) and its bytes. */
typedef struct cpinfo {
	uint32_t cp;
	size_t at, len;
} cpinfo;

/* Decode one UTF-8 sequence at s[i] with the core's decoder; an invalid
 * byte is one raw byte. */
static cpinfo decode(const unsigned char *s, size_t len, size_t i)
{
	cpinfo c = { UINT32_MAX, i, 1 };
	uint32_t cp;
	size_t n = kt_utf8_decode((const char *)s + i, len - i, &cp);

	if (n > 0) {
		c.cp = cp;
		c.len = n;
	}
	return c;
}

static int is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* A letter or digit of a word, as far as this file cares: ASCII letters and
 * digits, Latin letters with diacritics, combining marks, Greek and Cyrillic. */
static int is_word(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x300 && cp <= 0x52F);
}

static int is_upper(uint32_t cp)
{
	int up = 0;

	if (cp >= 'A' && cp <= 'Z')
		return 1;
	return lookup(cp, &up) != NULL && up;
}

int kt_translit_has_cyrillic(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		/* U+0400..U+047F start with D0 or D1, U+0490..U+0491 with D2 90/91. */
		if (u[i] == 0xD0 || u[i] == 0xD1 || (u[i] == 0xD2 && (u[i + 1] == 0x90 || u[i + 1] == 0x91))) {
			int up;
			cpinfo c = decode(u, len, i);

			if (lookup(c.cp, &up) != NULL)
				return 1;
		}
	}
	return 0;
}

/* Append the value of one letter in the case asked for. */
static size_t put(char *out, size_t o, const char *v, int upper, int all_caps)
{
	for (size_t k = 0; v[k]; k++) {
		char ch = v[k];

		if (upper && (k == 0 || all_caps))
			ch = (char)(ch - 'a' + 'A');
		out[o++] = ch;
	}
	return o;
}

char *kt_translit(const char *s, size_t len, unsigned flags, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	cpinfo *cps;
	size_t n = 0, i, o = 0, w;
	char *out;

	if (s == NULL)
		len = 0;
	/* A Cyrillic letter is two bytes and becomes at most four; a byte that is
	 * not UTF-8 becomes U+FFFD, three. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	cps = malloc((len ? len : 1) * sizeof *cps);
	if (out == NULL || cps == NULL) {
		free(out);
		free(cps);
		return NULL;
	}
	for (i = 0; i < len; i += cps[n - 1].len)
		cps[n++] = decode(u, len, i);

	/* Word by word: a run of word code points and inner apostrophes. */
	for (w = 0; w < n;) {
		size_t end = w, k;
		int ukrainian = 0, up;

		if (cps[w].cp == UINT32_MAX) {
			/* Not UTF-8: U+FFFD, as fold.c does, so that dropping a letter
			 * never joins two stray bytes into a new one. */
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			w++;
			continue;
		}
		if (!is_word(cps[w].cp)) {
			memcpy(out + o, u + cps[w].at, cps[w].len);
			o += cps[w].len;
			w++;
			continue;
		}
		while (end < n && (is_word(cps[end].cp) ||
				   (is_apostrophe(cps[end].cp) && end + 1 < n && is_word(cps[end + 1].cp))))
			end++;
		for (k = w; k < end; k++) {
			const struct letter *l = lookup(cps[k].cp, &up);

			if (l != NULL && marks_ukrainian(l->cp))
				ukrainian = 1;
		}
		for (k = w; k < end; k++) {
			const struct letter *l = lookup(cps[k].cp, &up);

			if (l != NULL) {
				/* All capitals when the next letter is a capital, or when
				 * this is the last letter and the one before is one. */
				int caps = (k + 1 < end && is_upper(cps[k + 1].cp)) ||
					   ((k + 1 == end || !is_word(cps[k + 1].cp)) && k > w &&
					    is_upper(cps[k - 1].cp));

				if (flags & KT_TRANSLIT_LOWER)
					up = 0;
				else if (flags & KT_TRANSLIT_NO_CAPS)
					up = up && k == w, caps = 0;
				o = put(out, o, ukrainian && l->uk ? l->uk : l->icao, up, caps);
			} else if (is_apostrophe(cps[k].cp) && k > w && k + 1 < end &&
				   lookup(cps[k - 1].cp, &up) != NULL && lookup(cps[k + 1].cp, &up) != NULL) {
				/* dropped, as ICAO drops it */
			} else {
				memcpy(out + o, u + cps[k].at, cps[k].len);
				o += cps[k].len;
			}
		}
		w = end;
	}
	out[o] = '\0';
	free(cps);
	if (out_len)
		*out_len = o;
	return out;
}
