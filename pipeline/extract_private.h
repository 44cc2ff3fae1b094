/*
 * extract_private.h - helpers shared by the extractors of kt_extract.h.
 *
 * Not installed, not for other modules: the UTF-8 folding used to match
 * words in four languages, byte classes, span tests and a growable array.
 */
#ifndef KT_EXTRACT_PRIVATE_H
#define KT_EXTRACT_PRIVATE_H

#include <stddef.h>

#include "kt_extract.h"
#include "kt_strv.h"
#include "kt_vec.h"
#include "kt_text.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * kt_extract_fold: lower-case and fold UTF-8 text for matching.
 *
 * ASCII letters are lower-cased; Latin letters with diacritics (Latin-1,
 * Latin Extended-A, the comma-below letters) become their base letter
 * ("Ā" -> "a", "ž" -> "z", "ß" -> "ss"); Cyrillic capitals become small
 * letters and "ё" becomes "е" (Cyrillic stays UTF-8); no-break and other
 * Unicode spaces become ' ', Unicode dashes and minus become '-'. Invalid
 * UTF-8 bytes become '?'. Everything else is copied.
 *
 * \param[in]  s       the text, not necessarily NUL-terminated
 * \param[in]  n       its length in bytes
 * \param[out] map     if not NULL, receives a malloc'ed array of outlen + 1
 *                     offsets: map[i] is the offset in s of the character
 *                     that produced folded byte i; map[outlen] is n
 * \param[out] outlen  the folded length in bytes
 * \return a malloc'ed NUL-terminated string, or NULL when out of memory
 *         (then *map is NULL). The caller frees both with free().
 */
char *kt_extract_fold(const char *s, size_t n, size_t **map, size_t *outlen);

/* The extractors decode UTF-8 with the core's decoder (kt_text.h); the old
 * name stays for the tests that call it. */
#define kt_extract_utf8_next kt_utf8_next

/* kt_extract_is_word_byte: ASCII letter or digit, or any byte of a non-ASCII character. */
int kt_extract_is_word_byte(unsigned char c);

/* kt_extract_span_overlaps: 1 if [start, end) overlaps one of the spans. */
int kt_extract_span_overlaps(const kt_extract_span *spans, size_t n,
			     size_t start, size_t end);

/* kt_extract_days_in_month: days of the month (1-12) of the year, 0 if the month is not 1-12. */
int kt_extract_days_in_month(int year, int month);

/* kt_extract_iso: write y-m-d (0 <= y <= 9999, 1-12, 1-31) as "YYYY-MM-DD" into out[11]. */
void kt_extract_iso(char out[11], int y, int m, int d);

/* kt_extract_today: the given yyyymmdd, or the local date when it is 0. */
int kt_extract_today(int yyyymmdd);

/* Growable arrays are the core's kt_vec (kt_vec.h). */

/* Internal: the configuration's "today" (0 = use the clock). NULL-safe. */
int kt_extract_cfg_today(const kt_extract_cfg *c);

#ifdef __cplusplus
}
#endif

#endif
