/* text.c - UTF-8 validation and escaping, timestamps (kt_text.h). */
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at s (max n bytes), or 0 when invalid. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
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
	return need;
}

int kt_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < len) {
		k = seq_len(p + i, len - i);
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

	if (out == NULL)
		return NULL;
	while (i < len) {
		k = seq_len(p + i, len - i);
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

void kt_now_iso(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
