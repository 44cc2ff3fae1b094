/* status.c - the error slot behind kt_status.h. */
#include "kt_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kt_error_set(kt_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

int kt_error_copy(kt_error *dst, const kt_error *src)
{
	if (dst == NULL || src == NULL)
		return src ? src->code : KT_OK;
	if (dst != src)
		memcpy(dst, src, sizeof *dst);
	return dst->code;
}

int kt_error_pass(kt_error *dst, const kt_error *src)
{
	if (src == NULL)
		return KT_OK;
	if (src->code != KT_OK && dst != NULL && dst != src)
		memcpy(dst, src, sizeof *dst);
	return src->code;
}

int kt_error_escalate(kt_error *dst, const kt_error *src, int code)
{
	int graded;

	if (src == NULL || src->code >= KT_WARN)
		return kt_error_pass(dst, src);
	graded = kt_status_worst(src->code, code);
	if (dst != NULL) {
		if (dst != src)
			memcpy(dst, src, sizeof *dst);
		dst->code = graded;
	}
	return graded;
}

int kt_status_worst(int a, int b)
{
	return a < b ? a : b;
}

void kt_error_clear(kt_error *e)
{
	if (e == NULL)
		return;
	e->code = KT_OK;
	e->msg[0] = '\0';
}

const char *kt_status_name(int code)
{
	switch (code) {
	case KT_OK: return "ok";
	case KT_WARN: return "warn";
	case KT_FAILED: return "failed";
	case KT_FATAL: return "fatal";
	default: return "unknown";
	}
}
