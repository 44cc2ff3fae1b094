/*
 * pcode.c - the pure checks on what a case record holds: Latvian and
 * Lithuanian personal codes (form, birth date, check digit) and ISO dates.
 * Nothing here scans text: finding codes in a page is kt_pcode_find in the
 * extraction module (pipeline/extract_pcode.c, which has the sources of the
 * rules). The extraction module may not include this module's header
 * (docs/architecture.md), so extract_pcode.c keeps its own copy of the
 * validators under the kt_pcode_* names; the two must give the same answers
 * (tests/catalog/test_catalog.c checks the vectors of test_extract_pcode.c).
 *
 * Latvian codes until 30 June 2017: DDMMYY-CNNNX, C the century (0: 1800s,
 * 1: 1900s, 2: 2000s), X = (1101 - (1,6,3,7,9,10,5,8,4,2 . d)) mod 11, a
 * result of 10 being no digit. Codes since 1 July 2017: "3", a digit 2-9,
 * nine random digits, no date and no check digit (docs/personal-codes.md).
 * Lithuanian codes: GYYMMDDNNNK, G 1-6; K from weights 1..9,1 mod 11, if 10
 * weights 3..9,1,2,3 mod 11, if 10 again 0; month or day 00 allowed.
 */
#include "kt_record.h"

#include <string.h>

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int kt_record_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

int kt_record_date_valid(const char *s)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) ||
	    !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return 0;
	y = two(s) * 100 + two(s + 2);
	m = two(s + 5);
	d = two(s + 8);
	return y >= 1 && d >= 1 && d <= kt_record_days_in_month(y, m);
}

int kt_record_pcode_lv_check_digit(const char *d10)
{
	static const int w[10] = { 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0, r;

	if (d10 == NULL || strnlen(d10, 10) < 10 || !all_digits(d10, 10))
		return -1;
	for (i = 0; i < 10; i++)
		sum += w[i] * (d10[i] - '0');
	r = (1101 - sum) % 11;
	return r == 10 ? -1 : r;
}

int kt_record_pcode_lt_check_digit(const char *d10)
{
	int i, s1 = 0, s2 = 0;

	if (d10 == NULL || strnlen(d10, 10) < 10 || !all_digits(d10, 10))
		return -1;
	for (i = 0; i < 10; i++) {
		s1 += (i % 9 + 1) * (d10[i] - '0');
		s2 += ((i + 2) % 9 + 1) * (d10[i] - '0');
	}
	if (s1 % 11 != 10)
		return s1 % 11;
	if (s2 % 11 != 10)
		return s2 % 11;
	return 0;
}

/* "DDMMYY-NNNNN" or 11 digits to 11 digits; -1 if neither */
static int compact_lv(const char *s, char d[12])
{
	size_t n = strlen(s);

	if (n == 12 && s[6] == '-' && all_digits(s, 6) && all_digits(s + 7, 5)) {
		memcpy(d, s, 6);
		memcpy(d + 6, s + 7, 5);
	} else if (n == 11 && all_digits(s, 11)) {
		memcpy(d, s, 11);
	} else {
		return -1;
	}
	d[11] = '\0';
	return 0;
}

const char *kt_record_pcode_lv_validate(const char *s)
{
	char d[12];
	int dd, mm, y, cd;

	if (s == NULL || compact_lv(s, d) < 0)
		return "format";
	if (d[0] == '3' && d[1] >= '2' && d[1] <= '9')
		return NULL; /* since 1 July 2017: the form alone */
	if (d[6] < '0' || d[6] > '2')
		return "century";
	dd = two(d);
	mm = two(d + 2);
	y = 1800 + (d[6] - '0') * 100 + two(d + 4);
	if (dd < 1 || dd > kt_record_days_in_month(y, mm))
		return "date";
	cd = kt_record_pcode_lv_check_digit(d);
	if (cd < 0)
		return "no_check_digit";
	if (cd != d[10] - '0')
		return "checksum";
	return NULL;
}

const char *kt_record_pcode_lt_validate(const char *s)
{
	int g, y, mm, dd;

	if (s == NULL || strlen(s) != 11 || !all_digits(s, 11))
		return "format";
	g = s[0] - '0';
	if (g < 1 || g > 6)
		return "format";
	y = 1800 + (g - 1) / 2 * 100 + two(s + 1);
	mm = two(s + 3);
	dd = two(s + 5);
	if (mm > 12 || (dd != 0 && mm == 0 && dd > 31) ||
	    (dd != 0 && mm != 0 && dd > kt_record_days_in_month(y, mm)))
		return "date";
	if (kt_record_pcode_lt_check_digit(s) != s[10] - '0')
		return "checksum";
	return NULL;
}

const char *kt_record_pcode_check(const char *s)
{
	const char *lv, *lt;
	int lv_form, lt_form;

	if (s == NULL || s[0] == '\0')
		return NULL;
	if (strlen(s) == 12 && s[6] == '-' && all_digits(s, 6) && all_digits(s + 7, 5)) {
		lv = kt_record_pcode_lv_validate(s); /* DDMMYY-NNNNN: Latvian by its form */
		if (lv == NULL)
			return NULL;
		if (strcmp(lv, "checksum") == 0 || strcmp(lv, "no_check_digit") == 0)
			return "is not a valid Latvian personal code (check digit)";
		if (strcmp(lv, "century") == 0)
			return "is not a valid Latvian personal code (century digit)";
		return "is not a valid Latvian personal code (birth date)";
	}
	if (strlen(s) != 11 || !all_digits(s, 11))
		return NULL; /* a foreign code */
	lv = kt_record_pcode_lv_validate(s);
	lt = kt_record_pcode_lt_validate(s);
	if (lv == NULL || lt == NULL)
		return NULL;
	/* a form applies when its date part is right; then only the check failed */
	lv_form = strcmp(lv, "checksum") == 0 || strcmp(lv, "no_check_digit") == 0;
	lt_form = strcmp(lt, "checksum") == 0;
	if (lv_form && lt_form)
		return "is neither a valid Latvian nor a valid Lithuanian personal code (check digit)";
	if (lv_form)
		return "is not a valid Latvian personal code (check digit)";
	if (lt_form)
		return "is not a valid Lithuanian personal code (check digit)";
	return NULL; /* eleven digits of no Latvian or Lithuanian form: foreign */
}
