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
#include "kt_text.h"

#include <stdint.h>
#include <string.h>

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
	size_t i = 0, n = strlen(text);
	long latin = 0, cyr = 0, nlav = 0, nlit = 0;

	while (i < n) {
		uint32_t c = kt_utf8_next(text, n, &i);

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
