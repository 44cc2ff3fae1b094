/*
 * kt_text.h - small text helpers shared by every module.
 */
#ifndef KT_TEXT_H
#define KT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The code point kt_utf8_next returns for a byte that starts no valid sequence. */
#define KT_UTF8_BAD 0xFFFDu

/*
 * kt_utf8_decode: the one UTF-8 decoder of kartoteka (as SQLite's
 * sqlite3Utf8Read). Decodes the sequence at s[0..n) strictly: no overlong
 * forms, no surrogates, nothing above U+10FFFF, no truncated sequence.
 * Returns its length in bytes (1 to 4) with the code point in *cp, or 0 when
 * the bytes there are not valid UTF-8 (or n is 0), with *cp = KT_UTF8_BAD.
 */
size_t kt_utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * kt_utf8_next: decode the code point at s[*i] (of s[0..n), *i < n) and step
 * *i past it; an invalid byte gives KT_UTF8_BAD and a step of one byte, so
 * that a loop `while (i < n) cp = kt_utf8_next(s, n, &i);` always ends.
 */
uint32_t kt_utf8_next(const char *s, size_t n, size_t *i);

/* kt_utf8_is_cont: 1 when byte c continues a sequence (10xxxxxx), so that a
 * cut at it would split a character. */
static inline int kt_utf8_is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* kt_utf8_encode: write cp (<= U+10FFFF, no surrogate) as UTF-8 into out[4];
 * returns the byte count, or 0 for a value that is not a scalar value. */
size_t kt_utf8_encode(uint32_t cp, char out[4]);

/*
 * kt_utf8_add_printable: append the text s[0..n) to b so that it cannot break
 * a line or drive a terminal: control characters (C0, DEL, C1) and bytes that
 * are not UTF-8 become the four characters "\xHH", everything else is copied.
 * With cap > 0 it stops before the next character once b holds cap bytes or
 * more (so b may end up to 3 bytes past cap). *taken (when not NULL) receives
 * the bytes of s consumed. Returns KT_OK, or KT_FATAL when out of memory.
 */
struct kt_buf;
int kt_utf8_add_printable(struct kt_buf *b, const char *s, size_t n, size_t cap, size_t *taken);

/*
 * kt_utf8_escape: a copy of the bytes s[0..len) that is valid UTF-8: every
 * byte that is not part of a valid UTF-8 sequence becomes the four characters
 * "\xHH", so that nothing is dropped (used for file names in JSON output).
 * Returns a malloc'd string, caller frees with free(); NULL when out of memory.
 */
char *kt_utf8_escape(const char *s, size_t len);

/* kt_utf8_valid: 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int kt_utf8_valid(const char *s, size_t len);

/* kt_utf8_nfc: s[0..len) in Unicode normalisation form C (ICU; icu.c), a
 * byte that is not UTF-8 becoming U+FFFD. A new NUL-terminated string, caller
 * frees with free(); *out_len (when not NULL) receives its length; NULL when
 * out of memory. */
char *kt_utf8_nfc(const char *s, size_t len, size_t *out_len);

/* kt_text_trim: s without its leading and trailing white space (ASCII):
 * the trailing cut off in place, a pointer past the leading returned. */
char *kt_text_trim(char *s);

/* kt_now_iso: the current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf[21]. */
void kt_now_iso(char buf[21]);

#ifdef __cplusplus
}
#endif

#endif
