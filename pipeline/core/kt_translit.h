/*
 * translit_private.h - Cyrillic to Latin transliteration for the full-text
 * index (index/ only), so that a name written in one script is found in the
 * other: "Коваленко" <-> "Kovalenko".
 *
 * The table is the one of ICAO Doc 9303 Part 3 (Machine Readable Travel
 * Documents, "Transliteration of Cyrillic characters"), which is what the
 * machine readable zone and the Latin name line of Russian, Ukrainian and
 * Belarusian passports use: "Щеглова" -> "Shcheglova", "Юлия" -> "Iuliia",
 * "й" -> "i", "ъ" -> "ie", "ь" dropped. Its language notes are applied per
 * word: a word holding a letter only Ukrainian or Belarusian has (і ї є ґ)
 * takes "г" -> "h" and "и" -> "y" (Russian "Игорь" -> "Igor", Ukrainian
 * "Ігор" -> "Ihor", "Гриців" -> "Hrytsiv"). Serbian and Macedonian letters take
 * their ICAO base value (ђ d, ј j, љ lj, њ nj, ћ c, џ dz, ѓ g, ќ k, ѕ dz).
 * See docs/search.md for the full table and its limits.
 *
 * The other way, Latin to Cyrillic, is ambiguous ("ia" is "я" or "ия",
 * "kh" is "х" or "кх") and is not done: the index keeps the Latin reading
 * of Cyrillic words and a Latin query is matched against it.
 *
 * Only Cyrillic letters (U+0400..U+045F, U+0490..U+0491) change, and an
 * apostrophe between two Cyrillic letters (Ukrainian "м'ясо") is dropped;
 * Latin text, digits and punctuation are copied as they are (a byte that is
 * not UTF-8 becomes U+FFFD, as in fold.c), so a word that OCR spelt with a mix
 * of Latin and Cyrillic look-alikes ("Kовaленко") comes out as one Latin word
 * ("Kovalenko").
 */
#ifndef KT_TRANSLIT_PRIVATE_H
#define KT_TRANSLIT_PRIVATE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for kt_translit. */
enum {
	KT_TRANSLIT_LOWER = 1,	 /* write every transliterated letter in lower case (the
				  * Latin text around it is left as it is) */
	KT_TRANSLIT_NO_CAPS = 2	 /* only the first letter of a word may be a capital:
				  * "КОВАЛЕНКО" -> "Kovalenko", "ОР" -> "Or" (a query
				  * cannot gain an operator, and a capitalised word
				  * stays capitalised) */
};

/*
 * kt_translit: transliterate the Cyrillic letters of a UTF-8 string.
 *   s        the text, UTF-8; need not end in NUL
 *   len      its length in bytes
 *   flags    0: the case of each letter is kept ("Щ" -> "Shch" before a small
 *            letter, "SHCH" in a word in capitals); or KT_TRANSLIT_LOWER, or
 *            KT_TRANSLIT_NO_CAPS
 *   out_len  receives the length of the result in bytes (may be NULL)
 * Returns a new NUL-terminated string, caller frees with free(); NULL when out
 * of memory.
 */
char *kt_translit(const char *s, size_t len, unsigned flags, size_t *out_len);

/* kt_translit_has_cyrillic: 1 when the UTF-8 string holds a letter that
 * kt_translit changes, else 0. */
int kt_translit_has_cyrillic(const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif
