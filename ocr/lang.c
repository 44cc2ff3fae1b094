/*
 * lang.c - the main language of recognised text, told from its letters.
 *
 * Cyrillic letters outnumbering Latin ones mean Russian. Among Latin pages,
 * letters that only Latvian uses (ā ē ī ū ģ ķ ļ ņ) or only Lithuanian uses
 * (ą ę ė į ų) decide; č š ž are shared and say nothing. A Latin page where
 * such letters are rarer than one in 100 is English: a Latvian or Lithuanian
 * text has one in 10 to 30, and a stray "Rīga" in an English letter is not
 * enough to make it Latvian.
 */
#include "ocr_private.h"

#include <stdint.h>
#include <string.h>

/* Decode one UTF-8 code point; advances *p. Invalid bytes yield U+FFFD. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
	int i;

	if (n < 0) {
		*p = s + 1;
		return 0xFFFD;
	}
	if (n > 0)
		c &= 0x3F >> n;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + n + 1;
	return c;
}

static int in(uint32_t c, const uint32_t *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == c)
			return 1;
	return 0;
}

void kt_lang_guess(const char *text, char lang[8])
{
	static const uint32_t lav[] = { 0x101, 0x100, 0x113, 0x112, 0x12B, 0x12A, 0x16B, 0x16A,
					0x123, 0x122, 0x137, 0x136, 0x13C, 0x13B, 0x146, 0x145 };
	static const uint32_t lit[] = { 0x105, 0x104, 0x119, 0x118, 0x117, 0x116, 0x12F, 0x12E,
					0x173, 0x172 };
	const unsigned char *p = (const unsigned char *)text;
	long latin = 0, cyr = 0, nlav = 0, nlit = 0;

	while (*p) {
		uint32_t c = next_cp(&p);

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c < 0x250))
			latin++;
		else if (c >= 0x400 && c < 0x530)
			cyr++;
		if (in(c, lav, sizeof lav / sizeof lav[0]))
			nlav++;
		else if (in(c, lit, sizeof lit / sizeof lit[0]))
			nlit++;
	}
	if (latin + cyr == 0)
		strcpy(lang, "");
	else if (cyr > latin)
		strcpy(lang, "rus");
	else if ((nlav + nlit) * 100 < latin)
		strcpy(lang, "eng");
	else
		strcpy(lang, nlav >= nlit ? "lav" : "lit");
}
