/*
 * extract_util.c - small helpers shared by the extractors: byte classes,
 * spans, calendar arithmetic, today's date and folded keyword tables.
 */
#include "extract_private.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int kt_extract_is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

int kt_extract_span_overlaps(const kt_extract_span *spans, size_t n,
			     size_t start, size_t end)
{
	size_t i;

	for (i = 0; spans != NULL && i < n; i++)
		if (start < spans[i].end && spans[i].start < end)
			return 1;
	return 0;
}

void kt_extract_iso(char out[11], int y, int m, int d)
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10 % 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10 % 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int kt_extract_today(int yyyymmdd)
{
	time_t now;
	struct tm tm;

	if (yyyymmdd != 0)
		return yyyymmdd;
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL)
		return 20000101;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int kt_extract_fold_strings(const void *table, size_t n, size_t stride, size_t offset,
			    const char ***out)
{
	const char **f = calloc(n ? n : 1, sizeof *f);
	size_t i;

	*out = NULL;
	if (f == NULL)
		return KT_FATAL;
	for (i = 0; i < n; i++) {
		const char *s = *(const char *const *)((const char *)table + i * stride + offset);

		f[i] = kt_fold(s, strlen(s), KT_FOLD_LOWER, NULL);
		if (f[i] == NULL) {
			while (i > 0)
				free((char *)f[--i]);
			free(f);
			return KT_FATAL;
		}
	}
	*out = f;
	return KT_OK;
}
