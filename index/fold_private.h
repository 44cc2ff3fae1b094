/*
 * fold_private.h - diacritic folding for the full-text index (index/ only).
 *
 * Folding strips diacritics and nothing else: "Žukauskas" -> "Zukauskas",
 * "lēmums" -> "lemums", "ёлка" -> "елка", "й" -> "и". Letters keep their
 * script (no transliteration between Cyrillic and Latin) and, unless asked,
 * their case. It is done by Unicode canonical decomposition (ICU NFD), dropping
 * the combining diacritical marks, and recomposition (NFC); a few letters whose
 * stroke is not a combining mark (ł đ ø ħ ı ŧ) are mapped to their base letter.
 * Marks of other scripts (Arabic, Hebrew, Indic vowel signs) are kept: they
 * are letters there, not accents.
 */
#ifndef KT_FOLD_PRIVATE_H
#define KT_FOLD_PRIVATE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for kt_fold. */
enum {
	KT_FOLD_LOWER = 1	/* also lower-case (ICU root locale rules) */
};

/*
 * kt_fold: fold a UTF-8 string.
 *   s        the text, UTF-8 (invalid bytes become U+FFFD); need not end in NUL
 *   len      its length in bytes
 *   flags    0 or KT_FOLD_LOWER
 *   out_len  receives the length of the result in bytes (may be NULL)
 * Returns a new NUL-terminated UTF-8 string, caller frees with free(); NULL
 * when out of memory. Pure ASCII input takes a fast path without ICU.
 */
char *kt_fold(const char *s, size_t len, unsigned flags, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
