/*
 * fold_icu.c - the one folding of text (kt_fold.h), on ICU's normaliser and
 * case mapping; the one file of the core that uses ICU.
 *
 * A character is folded on its own: the few rules ICU has no data for
 * (spaces, dashes, ligatures, letters with a stroke) first, then NFD, the
 * combining diacritical marks dropped, lower case when asked, NFC. Code points
 * below U+0800 are folded once into a table at first use; ASCII needs none of
 * it.
 */
#include "kt_fold.h"
#include "kt_buf.h"
#include "kt_status.h"
#include "kt_text.h"
#include "kt_vec.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* The longest fold of one character, in bytes (a lower-cased expansion of
 * three letters of four bytes each, with room to spare). */
enum { ONE_MAX = 16 };

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

/* What ICU has no canonical data for: the ASCII text c folds to, or NULL. */
static const char *special(uint32_t c)
{
	switch (c) {
	case 0xFFFD: return "?";
	case 0x00A0: case 0x202F: case 0x205F: case 0x3000: return " ";
	case 0x2212: return "-";
	case 0x00DF: return "ss";	/* ß */
	case 0x1E9E: return "SS";	/* ẞ */
	case 0x00C6: return "AE";
	case 0x00E6: return "ae";
	case 0x0152: return "OE";
	case 0x0153: return "oe";
	case 0x00DE: return "TH";	/* Þ */
	case 0x00FE: return "th";
	case 0x0132: return "IJ";
	case 0x0133: return "ij";
	case 0x0110: case 0x00D0: return "D";	/* Đ Ð */
	case 0x0111: case 0x00F0: return "d";
	case 0x0126: return "H";	/* Ħ */
	case 0x0127: return "h";
	case 0x0131: return "i";	/* ı */
	case 0x0138: return "k";	/* ĸ */
	case 0x013F: case 0x0141: return "L";	/* Ŀ Ł */
	case 0x0140: case 0x0142: return "l";
	case 0x0149: return "n";	/* ŉ */
	case 0x014A: return "N";	/* Ŋ */
	case 0x014B: return "n";
	case 0x0166: return "T";	/* Ŧ */
	case 0x0167: return "t";
	case 0x00D8: return "O";	/* Ø */
	case 0x00F8: return "o";
	case 0x017F: return "s";	/* ſ */
	}
	if (c >= 0x2000 && c <= 0x200A)
		return " ";
	if (c >= 0x2010 && c <= 0x2015)
		return "-";
	return NULL;
}

/* Folds c into out (ONE_MAX bytes) through ICU; returns the length. */
static size_t fold_one(uint32_t c, unsigned flags, char *out)
{
	const char *sp = special(c);
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
	UChar in[2], a[32], kept[32], b[32], d[32];
	int32_t n = 0, na, nb, nd, i = 0, j = 0, got = 0;

	if (sp != NULL) {
		size_t k, len = strlen(sp);

		for (k = 0; k < len; k++)
			out[k] = (char)((flags & KT_FOLD_LOWER) && sp[k] >= 'A' && sp[k] <= 'Z'
					? sp[k] - 'A' + 'a' : sp[k]);
		return len;
	}
	if (U_FAILURE(e))
		return kt_utf8_encode(c, out);
	/* Most characters past the table (quotes, symbols, CJK) stay as they are. */
	if (c >= 0x800 && u_getCombiningClass((UChar32)c) == 0 && !is_diacritic((UChar32)c) &&
	    u_getIntPropertyValue((UChar32)c, UCHAR_NFD_QUICK_CHECK) == UNORM_YES &&
	    (!(flags & KT_FOLD_LOWER) || u_tolower((UChar32)c) == (UChar32)c))
		return kt_utf8_encode(c, out);
	U16_APPEND_UNSAFE(in, n, (UChar32)c);
	na = unorm2_normalize(nfd, in, n, a, (int32_t)(sizeof a / sizeof a[0]), &e);
	if (U_FAILURE(e))
		return kt_utf8_encode(c, out);
	/* Marks dropped; what is left may be a letter of the rules above (Ǿ is
	 * Ø and an acute, Ǣ is Æ and a macron): written as they say. */
	while (i < na && j < (int32_t)(sizeof kept / sizeof kept[0]) - 4) {
		const char *rule;
		UChar32 m;

		U16_NEXT(a, i, na, m);
		if (is_diacritic(m))
			continue;
		if ((rule = special((uint32_t)m)) == NULL)
			U16_APPEND_UNSAFE(kept, j, m);
		else
			while (*rule)
				kept[j++] = (UChar)*rule++;
	}
	if (flags & KT_FOLD_LOWER) {
		nb = u_strToLower(b, (int32_t)(sizeof b / sizeof b[0]), kept, j, "", &e);
	} else {
		memcpy(b, kept, (size_t)j * sizeof kept[0]);
		nb = j;
	}
	nd = U_SUCCESS(e) ? unorm2_normalize(nfc, b, nb, d, (int32_t)(sizeof d / sizeof d[0]), &e) : 0;
	if (U_SUCCESS(e))
		u_strToUTF8(out, ONE_MAX, &got, d, nd, &e);
	if (U_FAILURE(e))
		return kt_utf8_encode(c, out);
	return (size_t)got;
}

/* Code points below TABLE_LIMIT, folded once: len 0..ONE_MAX bytes. */
enum { TABLE_LIMIT = 0x800 };
struct folded {
	unsigned char len;
	char s[7];
};
static struct folded table[2][TABLE_LIMIT];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static int table_ok;

static void table_init(void)
{
	unsigned f;
	uint32_t c;

	for (f = 0; f < 2; f++) {
		for (c = 0x80; c < TABLE_LIMIT; c++) {
			char buf[ONE_MAX];
			size_t len = fold_one(c, f ? KT_FOLD_LOWER : 0, buf);

			/* a fold that does not fit is made again at each use */
			table[f][c].len = (unsigned char)(len <= sizeof table[f][c].s ? len : 255);
			memcpy(table[f][c].s, buf, len <= sizeof table[f][c].s ? len : 0);
		}
	}
	table_ok = 1;
}

/* Folds the character at s[*i] into out (ONE_MAX bytes), moving *i past it. */
static size_t fold_next(const char *s, size_t n, size_t *i, unsigned flags, char *out)
{
	unsigned char u = (unsigned char)s[*i];
	uint32_t c;

	if (u < 0x80) {
		(*i)++;
		out[0] = (char)((flags & KT_FOLD_LOWER) && u >= 'A' && u <= 'Z' ? u - 'A' + 'a' : u);
		return 1;
	}
	c = kt_utf8_next(s, n, i);
	if (c < TABLE_LIMIT && table_ok) {
		const struct folded *t = &table[flags & KT_FOLD_LOWER ? 1 : 0][c];

		if (t->len != 255) {
			memcpy(out, t->s, t->len);
			return t->len;
		}
	}
	return fold_one(c, flags, out);
}

static char *fold(const char *s, size_t len, unsigned flags, size_t *out_len, kt_vec *map)
{
	kt_buf b = KT_BUF_INIT;
	size_t i = 0;
	int ok;

	if (s == NULL)
		s = "";
	(void)pthread_once(&table_once, table_init);
	ok = kt_buf_reserve(&b, len + 1) == KT_OK;
	while (ok && i < len) {
		char one[ONE_MAX];
		size_t from = i, k, n = fold_next(s, len, &i, flags, one);

		ok = kt_buf_add(&b, one, n) == KT_OK;
		for (k = 0; ok && map != NULL && k < n; k++)
			ok = kt_vec_push(map, &from) == KT_OK;
	}
	if (ok && map != NULL)
		ok = kt_vec_push(map, &len) == KT_OK;
	if (!ok) {
		kt_buf_release(&b);
		return NULL;
	}
	return kt_buf_detach(&b, out_len);
}

char *kt_fold(const char *s, size_t len, unsigned flags, size_t *out_len)
{
	return fold(s, len, flags, out_len, NULL);
}

char *kt_fold_map(const char *s, size_t len, unsigned flags, size_t *out_len, size_t **map)
{
	kt_vec v;
	char *out;

	kt_vec_init(&v, sizeof(size_t));
	out = fold(s, len, flags, out_len, &v);
	if (out == NULL) {
		kt_vec_release(&v);
		*map = NULL;
		return NULL;
	}
	*map = v.data;
	return out;
}

char *kt_utf8_nfc(const char *s, size_t len, size_t *out_len)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
	UChar *u = NULL, *v = NULL;
	int32_t nu = 0, nv = 0, got = 0;
	char *out = NULL;

	if (s == NULL)
		s = "";
	if (U_FAILURE(e) || len > INT32_MAX / 4)
		return NULL;
	/* invalid bytes become U+FFFD */
	u_strFromUTF8WithSub(NULL, 0, &nu, s, (int32_t)len, 0xFFFD, NULL, &e);
	e = U_ZERO_ERROR;
	if ((u = malloc(((size_t)nu + 1) * sizeof *u)) != NULL)
		u_strFromUTF8WithSub(u, nu + 1, &nu, s, (int32_t)len, 0xFFFD, NULL, &e);
	if (u != NULL && U_SUCCESS(e)) {
		nv = unorm2_normalize(nfc, u, nu, NULL, 0, &e);
		e = U_ZERO_ERROR;
		if ((v = malloc(((size_t)nv + 1) * sizeof *v)) != NULL)
			nv = unorm2_normalize(nfc, u, nu, v, nv + 1, &e);
	}
	if (v != NULL && U_SUCCESS(e)) {
		u_strToUTF8(NULL, 0, &got, v, nv, &e);
		e = U_ZERO_ERROR;
		if ((out = malloc((size_t)got + 1)) != NULL)
			u_strToUTF8(out, got + 1, &got, v, nv, &e);
		if (out != NULL && U_FAILURE(e)) {
			free(out);
			out = NULL;
		}
	}
	free(u);
	free(v);
	if (out != NULL && out_len != NULL)
		*out_len = (size_t)got;
	return out;
}
