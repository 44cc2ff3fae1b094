/* text.c - the UTF-8 decoder, validation and escaping, timestamps (kt_text.h). */
#include "kt_text.h"
#include "kt_buf.h"
#include "kt_status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

size_t kt_utf8_decode(const char *str, size_t n, uint32_t *out)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c;
	size_t need, i;
	uint32_t cp;

	*out = KT_UTF8_BAD;
	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*out = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		need = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 4, cp = c & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	*out = cp;
	return need;
}

uint32_t kt_utf8_next(const char *s, size_t n, size_t *i)
{
	uint32_t cp;
	size_t k = kt_utf8_decode(s + *i, n - *i, &cp);

	*i += k ? k : 1;
	return cp;
}

size_t kt_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int kt_utf8_valid(const char *s, size_t len)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < len) {
		k = kt_utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

char *kt_utf8_escape(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(len * 4 + 1), *o = out;
	size_t i = 0, k;
	uint32_t cp;

	if (out == NULL)
		return NULL;
	while (i < len) {
		k = kt_utf8_decode(s + i, len - i, &cp);
		if (k == 0 || (k == 1 && p[i] == 0)) {
			o += snprintf(o, 5, "\\x%02x", p[i]);
			i++;
			continue;
		}
		while (k--)
			*o++ = (char)p[i++];
	}
	*o = '\0';
	return out;
}

char *kt_text_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void kt_now_iso(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int kt_utf8_add_printable(struct kt_buf *b, const char *s, size_t n, size_t cap, size_t *taken)
{
	size_t i = 0;
	int rc = KT_OK;

	while (i < n && (cap == 0 || b->len < cap) && rc == KT_OK) {
		uint32_t cp;
		size_t k = kt_utf8_decode(s + i, n - i, &cp);

		if (k == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			rc = kt_buf_printf(b, "\\x%02x", (unsigned char)s[i]);
			k = 1;
		} else {
			rc = kt_buf_add(b, s + i, k);
		}
		if (rc == KT_OK)
			i += k;
	}
	if (taken != NULL)
		*taken = i;
	return rc;
}
