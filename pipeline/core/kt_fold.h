/*
 * kt_fold.h - the one folding of text for matching, used alike by the
 * extractors (keywords, labels, month names, names) and by the full-text index
 * (its terms and the query's), so that what extraction matches and what search
 * finds agree letter for letter.
 *
 * Folding strips diacritics and nothing else that carries meaning:
 *   - Unicode canonical decomposition (ICU NFD), the combining diacritical
 *     marks dropped, the rest put back together (NFC): "Žukauskas" ->
 *     "Zukauskas", "lēmums" -> "lemums", "ёлка" -> "елка", "й" -> "и",
 *     "ї" -> "і". Marks of other scripts (Arabic, Hebrew, Indic vowel signs)
 *     are letters there and are kept.
 *   - Letters whose stroke or form is not a combining mark take their base
 *     letter: ł đ ð ø ħ ı ŧ ĸ ŀ ŉ ŋ ſ -> l d d o h i t k l n n s.
 *   - Ligatures and letters read as two are written as two: ß ẞ -> ss,
 *     æ -> ae, œ -> oe, þ -> th, ĳ -> ij (capitals stay capitals without
 *     KT_FOLD_LOWER: Æ -> AE).
 *   - Spaces of other widths (no-break, thin, ideographic, ...) become " ",
 *     dashes and the minus sign (U+2010..U+2015, U+2212) become "-", and a
 *     byte that is not UTF-8 (kt_utf8_next) becomes "?".
 *   - With KT_FOLD_LOWER, letters are lower-cased (ICU, root locale).
 * Letters keep their script: Cyrillic stays Cyrillic (kt_translit.h reads it
 * in Latin letters). Each character is folded on its own, so the result
 * never depends on its neighbours (a Greek final sigma lower-cases to "σ");
 * text in decomposed form folds like the composed form where the marks are
 * diacritics, which is all the archive's four languages need.
 *
 * Code points below U+0800 (Latin, Greek, Cyrillic, Armenian, Hebrew,
 * Arabic) are folded through a table made once with ICU; the rest through
 * ICU character by character. icu.c is the one file that uses ICU.
 */
#ifndef KT_FOLD_H
#define KT_FOLD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for kt_fold and kt_fold_map. */
enum {
	KT_FOLD_LOWER = 1	/* also lower-case */
};

/*
 * kt_fold: fold a UTF-8 string.
 *   s        the text (need not end in NUL; NULL is read as "")
 *   len      its length in bytes
 *   flags    0 or KT_FOLD_LOWER
 *   out_len  receives the length of the result in bytes (may be NULL)
 * Returns a new NUL-terminated UTF-8 string, caller frees with free(); NULL
 * when out of memory. Folding a folded string gives it back unchanged.
 */
char *kt_fold(const char *s, size_t len, unsigned flags, size_t *out_len);

/*
 * kt_fold_map: kt_fold, with where each byte of the result came from.
 *   map      receives a new array of *out_len + 1 offsets (caller frees with
 *            free()): map[i] is the offset in s of the character that gave
 *            byte i of the result, map[*out_len] is len; *map is NULL on
 *            failure
 * Returns as kt_fold; out_len is required.
 */
char *kt_fold_map(const char *s, size_t len, unsigned flags, size_t *out_len, size_t **map);

#ifdef __cplusplus
}
#endif

#endif
