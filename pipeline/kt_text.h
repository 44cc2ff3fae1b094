/*
 * kt_text.h - small text helpers shared by every module.
 */
#ifndef KT_TEXT_H
#define KT_TEXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * kt_utf8_escape: a copy of the bytes s[0..len) that is valid UTF-8: every
 * byte that is not part of a valid UTF-8 sequence becomes the four characters
 * "\xHH", so that nothing is dropped (used for file names in JSON output).
 * Returns a malloc'd string, caller frees with free(); NULL when out of memory.
 */
char *kt_utf8_escape(const char *s, size_t len);

/* kt_utf8_valid: 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int kt_utf8_valid(const char *s, size_t len);

/* kt_now_iso: the current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf[21]. */
void kt_now_iso(char buf[21]);

#ifdef __cplusplus
}
#endif

#endif
