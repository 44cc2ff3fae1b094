/*
 * form.c - what a request body holds: the values of an
 * x-www-form-urlencoded form, and the constant-time comparison of tokens
 * (CSRF, login) that the forms carry (web_private.h).
 */
#include "web_private.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

char *web_form_value(const char *body, const char *name, size_t *out_len)
{
	size_t nl = strlen(name);
	const char *p = body;

	while (p && *p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			char *v = malloc(len - nl), *o = v;
			const char *s = p + nl + 1, *e = p + len;

			if (v == NULL)
				return NULL;
			while (s < e) {
				if (*s == '+') {
					*o++ = ' ';
					s++;
				} else if (*s == '%' && e - s >= 3 && isxdigit((unsigned char)s[1]) &&
					   isxdigit((unsigned char)s[2])) {
					char hex[3] = { s[1], s[2], 0 };

					*o++ = (char)strtol(hex, NULL, 16);
					s += 3;
				} else {
					*o++ = *s++;
				}
			}
			*o = '\0';
			if (out_len)
				*out_len = (size_t)(o - v);
			return v;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

int web_tokens_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL || (n = strlen(a)) == 0 || n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}
