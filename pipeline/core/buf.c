/* buf.c - the growable byte buffer (kt_buf.h). */
#include "kt_buf.h"
#include "kt_status.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kt_buf_reserve(kt_buf *b, size_t more)
{
	size_t need, cap;
	char *s;

	if (more > SIZE_MAX - b->len - 1)
		return KT_FATAL;
	need = b->len + more + 1;
	if (need <= b->cap)
		return KT_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	s = realloc(b->s, cap);
	if (s == NULL)
		return KT_FATAL;
	s[b->len] = '\0'; /* a buffer that holds memory is a C string */
	b->s = s;
	b->cap = cap;
	return KT_OK;
}

int kt_buf_add(kt_buf *b, const void *data, size_t len)
{
	if (kt_buf_reserve(b, len) != KT_OK)
		return KT_FATAL;
	if (len)
		memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
	return KT_OK;
}

int kt_buf_puts(kt_buf *b, const char *s)
{
	return kt_buf_add(b, s, strlen(s));
}

int kt_buf_putc(kt_buf *b, char c)
{
	return kt_buf_add(b, &c, 1);
}

int kt_buf_vprintf(kt_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0 || kt_buf_reserve(b, (size_t)n) != KT_OK)
		return KT_FATAL;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return KT_OK;
}

int kt_buf_printf(kt_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kt_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void kt_buf_truncate(kt_buf *b, size_t len)
{
	if (b->s == NULL || len >= b->len)
		return;
	b->len = len;
	b->s[len] = '\0';
}

const char *kt_buf_cstr(const kt_buf *b)
{
	return b->s != NULL ? b->s : "";
}

char *kt_buf_detach(kt_buf *b, size_t *len)
{
	char *s = b->s;

	if (s == NULL)
		s = calloc(1, 1);
	if (len != NULL)
		*len = s != NULL ? b->len : 0;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void kt_buf_release(kt_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
