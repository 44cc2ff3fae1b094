/*
 * fold.c - diacritic folding for the full-text index, on ICU's normaliser.
 *
 * NFD splits "ā" into "a" + U+0304 and "й" into "и" + U+0306; the combining
 * diacritical marks are dropped; NFC puts back together what is left (Hangul,
 * marks of other scripts). See fold_private.h for what is and is not folded.
 *
 * Most words need none of that: a table, made once with ICU, says which code
 * points below U+0800 fold to themselves and neither combine with nor carry a
 * mark; a string made of those alone (Cyrillic without й ё ї ў, Latin without
 * diacritics, ...) is copied as it is.
 */
#include "fold_private.h"
#include "kt_text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* The blocks of combining diacritical marks (all general category Mn). */
static int is_diacritic(UChar32 c)
{
	return (c >= 0x0300 && c <= 0x036F) ||	/* Combining Diacritical Marks */
	       (c >= 0x0483 && c <= 0x0487) ||	/* Cyrillic titlo, psili, ... */
	       (c >= 0x1AB0 && c <= 0x1AFF) ||	/* ... Extended */
	       (c >= 0x1DC0 && c <= 0x1DFF) ||	/* ... Supplement */
	       (c >= 0x20D0 && c <= 0x20FF) ||	/* ... for Symbols */
	       (c >= 0xFE20 && c <= 0xFE2F);	/* Combining Half Marks */
}

/* Letters with a stroke or without a dot: no decomposition, same base. */
static UChar32 base_letter(UChar32 c)
{
	switch (c) {
	case 0x0110: return 'D';	/* Đ */
	case 0x0111: return 'd';	/* đ */
	case 0x0126: return 'H';	/* Ħ */
	case 0x0127: return 'h';	/* ħ */
	case 0x0131: return 'i';	/* ı */
	case 0x0141: return 'L';	/* Ł */
	case 0x0142: return 'l';	/* ł */
	case 0x0166: return 'T';	/* Ŧ */
	case 0x0167: return 't';	/* ŧ */
	case 0x00D8: return 'O';	/* Ø */
	case 0x00F8: return 'o';	/* ø */
	default: return c;
	}
}

/* A copy of s; with KT_FOLD_LOWER, A-Z become a-z (other bytes are copied). */
static char *copy_lower_ascii(const char *s, size_t len, unsigned flags, size_t *out_len)
{
	char *out = malloc(len + 1);
	size_t i;

	if (out == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if ((flags & KT_FOLD_LOWER) && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[i] = c;
	}
	out[len] = '\0';
	if (out_len)
		*out_len = len;
	return out;
}

/* Each helper below preflights the size, allocates, converts; NULL on failure. */

static UChar *utf8_to_utf16(const char *s, int32_t len, int32_t *n)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t need = 0;
	UChar *u;

	u_strFromUTF8WithSub(NULL, 0, &need, s, len, 0xFFFD, NULL, &e);
	if (U_FAILURE(e) && e != U_BUFFER_OVERFLOW_ERROR)
		return NULL;
	u = malloc(((size_t)need + 1) * sizeof *u);
	if (u == NULL)
		return NULL;
	e = U_ZERO_ERROR;
	u_strFromUTF8WithSub(u, need + 1, n, s, len, 0xFFFD, NULL, &e);
	if (U_FAILURE(e)) {
		free(u);
		return NULL;
	}
	return u;
}

static UChar *normalize(const UNormalizer2 *nf, const UChar *src, int32_t n, int32_t *out_n)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t need = unorm2_normalize(nf, src, n, NULL, 0, &e);
	UChar *u;

	if (U_FAILURE(e) && e != U_BUFFER_OVERFLOW_ERROR)
		return NULL;
	u = malloc(((size_t)need + 1) * sizeof *u);
	if (u == NULL)
		return NULL;
	e = U_ZERO_ERROR;
	*out_n = unorm2_normalize(nf, src, n, u, need + 1, &e);
	if (U_FAILURE(e)) {
		free(u);
		return NULL;
	}
	return u;
}

static UChar *to_lower(const UChar *src, int32_t n, int32_t *out_n)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t need = u_strToLower(NULL, 0, src, n, "", &e);
	UChar *u;

	if (U_FAILURE(e) && e != U_BUFFER_OVERFLOW_ERROR)
		return NULL;
	u = malloc(((size_t)need + 1) * sizeof *u);
	if (u == NULL)
		return NULL;
	e = U_ZERO_ERROR;
	*out_n = u_strToLower(u, need + 1, src, n, "", &e);
	if (U_FAILURE(e)) {
		free(u);
		return NULL;
	}
	return u;
}

static char *utf16_to_utf8(const UChar *src, int32_t n, size_t *out_len)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t need = 0, got = 0;
	char *s;

	u_strToUTF8(NULL, 0, &need, src, n, &e);
	if (U_FAILURE(e) && e != U_BUFFER_OVERFLOW_ERROR)
		return NULL;
	s = malloc((size_t)need + 1);
	if (s == NULL)
		return NULL;
	e = U_ZERO_ERROR;
	u_strToUTF8(s, need + 1, &got, src, n, &e);
	if (U_FAILURE(e)) {
		free(s);
		return NULL;
	}
	s[got] = '\0';
	if (out_len)
		*out_len = (size_t)got;
	return s;
}

static char *fold_icu(const char *s, size_t len, unsigned flags, size_t *out_len);

/* Bit cp set: code point cp (< 0x800) is left as it is by folding (flags 0)
 * and by NFC next to its neighbours. */
enum { SAME_LIMIT = 0x800 };
static unsigned char fold_same[SAME_LIMIT / 8];
static pthread_once_t fold_same_once = PTHREAD_ONCE_INIT;

static void fold_same_init(void)
{
	UChar32 c;

	for (c = 0; c < 0x80; c++)
		fold_same[c / 8] |= (unsigned char)(1u << (c % 8));
	for (c = 0x80; c < SAME_LIMIT; c++) {
		char u[4];
		int32_t n = 0;
		UBool err = 0;
		size_t m = 0;
		char *f;

		U8_APPEND((uint8_t *)u, n, (int32_t)sizeof u, c, err);
		if (err || u_getCombiningClass(c) != 0 ||
		    u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) != UNORM_YES)
			continue;
		f = fold_icu(u, (size_t)n, 0, &m);
		if (f != NULL && m == (size_t)n && memcmp(f, u, m) == 0)
			fold_same[c / 8] |= (unsigned char)(1u << (c % 8));
		free(f);
	}
}

/* 1 when folding (flags 0) leaves s as it is: valid UTF-8 of code points that
 * the table marks. */
static int fold_is_identity(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (pthread_once(&fold_same_once, fold_same_init) != 0)
		return 0;
	while (i < len) {
		uint32_t c;

		if (u[i] < 0x80) {
			i++;
			continue;
		}
		/* Two-byte sequences only: U+0080..U+07FF. */
		if (kt_utf8_decode(s + i, len - i, &c) != 2)
			return 0;
		if (!(fold_same[c / 8] & (1u << (c % 8))))
			return 0;
		i += 2;
	}
	return 1;
}

char *kt_fold(const char *s, size_t len, unsigned flags, size_t *out_len)
{
	if (s == NULL)
		s = "";
	if (flags == 0 && fold_is_identity(s, len))
		return copy_lower_ascii(s, len, 0, out_len);
	return fold_icu(s, len, flags, out_len);
}

static char *fold_icu(const char *s, size_t len, unsigned flags, size_t *out_len)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
	UChar *u0 = NULL, *u1 = NULL, *u2 = NULL, *u3 = NULL;
	int32_t n0 = 0, n1 = 0, n2 = 0, n3 = 0, i = 0, j = 0;
	char *out = NULL;
	size_t k;

	if (s == NULL)
		s = "";
	for (k = 0; k < len && (unsigned char)s[k] < 0x80; k++)
		;
	if (k == len)
		return copy_lower_ascii(s, len, flags, out_len);
	if (U_FAILURE(e) || len > INT32_MAX / 4)
		return NULL;

	/* Numbered temporaries, each freed the same way at the end. */
	u0 = utf8_to_utf16(s, (int32_t)len, &n0);
	if (u0 != NULL)
		u1 = normalize(nfd, u0, n0, &n1);
	if (u1 != NULL) {
		/* Drop the marks in place: the output never outgrows the input. */
		while (i < n1) {
			UChar32 c;

			U16_NEXT(u1, i, n1, c);
			if (is_diacritic(c))
				continue;
			c = base_letter(c);
			U16_APPEND_UNSAFE(u1, j, c);
		}
		n1 = j;
		if (flags & KT_FOLD_LOWER) {
			u2 = to_lower(u1, n1, &n2);
		} else {
			u2 = u1;
			n2 = n1;
			u1 = NULL;
		}
	}
	if (u2 != NULL)
		u3 = normalize(nfc, u2, n2, &n3);
	if (u3 != NULL)
		out = utf16_to_utf8(u3, n3, out_len);
	free(u0);
	free(u1);
	free(u2);
	free(u3);
	return out;
}
