/*
 * extract_util.c - small helpers shared by the extractors: byte classes,
 * spans, calendar arithmetic, today's date and a growable array.
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

int kt_extract_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
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
