/*
 * extract_private.h - helpers shared by the extractors of kt_extract.h.
 *
 * Not installed, not for other modules: the folding used to match words in
 * four languages (the core's kt_fold.h), byte classes, span tests and a growable array.
 */
#ifndef KT_EXTRACT_PRIVATE_H
#define KT_EXTRACT_PRIVATE_H

#include <stddef.h>

#include "kt_extract.h"
#include "kt_fold.h"
#include "kt_record.h"
#include "kt_strv.h"
#include "kt_vec.h"
#include "kt_text.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * kt_extract_fold: the text as every extractor matches it: the core's one
 * folding (kt_fold.h) in lower case, the same the full-text index uses.
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
static inline char *kt_extract_fold(const char *s, size_t n, size_t **map, size_t *outlen)
{
	return map != NULL ? kt_fold_map(s, n, KT_FOLD_LOWER, outlen, map)
			   : kt_fold(s, n, KT_FOLD_LOWER, outlen);
}

/*
 * kt_extract_fold_strings: a keyword table folded as the text is, so that
 * the tables are written as people spell the words ("май", "персональный")
 * and still match the folded text ("маи", "персональныи"). Call it once
 * (pthread_once) per table.
 *
 * \param[in]  table   n entries of stride bytes each
 * \param[in]  offset  where in an entry its `const char *` string is
 * \param[out] out     receives a new array of n folded strings, kept for the
 *                     life of the process (never freed); NULL on failure
 * \return KT_OK, or KT_FATAL when out of memory.
 */
int kt_extract_fold_strings(const void *table, size_t n, size_t stride, size_t offset,
			    const char ***out);

/* The extractors decode UTF-8 with the core's decoder (kt_text.h); the old
 * name stays for the tests that call it. */
#define kt_extract_utf8_next kt_utf8_next

/* kt_extract_is_word_byte: ASCII letter or digit, or any byte of a non-ASCII character. */
int kt_extract_is_word_byte(unsigned char c);

/* kt_extract_span_overlaps: 1 if [start, end) overlaps one of the spans. */
int kt_extract_span_overlaps(const kt_extract_span *spans, size_t n,
			     size_t start, size_t end);

/* Days of a month: kt_record_days_in_month (kt_record.h). */

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
