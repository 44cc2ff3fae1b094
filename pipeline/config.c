/* config.c - the store's configuration file, "key = value" lines (kt_pipeline.h). */
#include "kt_pipeline.h"
#include "kt_text.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Office, optional country, year, serial: PMLP-LV-2023-004571, MD-LT-2022-001288. */
#define DEFAULT_CASE_PATTERN "[A-Z]{2,6}(-[A-Z]{2})?-[0-9]{4}-[0-9]{4,8}"

static const char default_text[] =
	"# kartoteka store configuration: key = value, one per line.\n"
	"\n"
	"# Name of the organisation that owns the archive (BagIt Source-Organization).\n"
	"organisation = Migration office archive\n"
	"\n"
	"# Case numbers: POSIX extended regular expressions, one case_pattern line each.\n"
	"# Case numbers of imported case records are always recognised as well.\n"
	"case_pattern = " DEFAULT_CASE_PATTERN "\n"
	"\n"
	"# Pages above this many pixels are refused before decoding (A3 at 600 dpi is ~70 Mpx).\n"
	"max_pixels = 100000000\n"
	"\n"
	"# Files above this size are refused: bytes, or a number with K, M, G or T\n"
	"# (KiB, MiB, GiB, TiB: powers of 1024), e.g. 2G.\n"
	"max_file_bytes = 2G\n"
	"\n"
	"# Tesseract language data folder; empty for Tesseract's default.\n"
	"tessdata =\n"
	"\n"
	"# Separator sheets: a page with a bar code or QR code and nothing else of weight\n"
	"# divides a multi-page scan into documents and is not kept as a page (yes or no).\n"
	"separator_sheets = yes\n"
	"\n"
	"# Retention: how long a closed case's documents are kept, per case type, from the\n"
	"# case's closed_date (case records). One line per type: CASE_TYPE PERIOD, the period\n"
	"# a whole number and y, m or d. A type with no line, a case not closed and a document\n"
	"# linked to no case are never due. `kartoteka retention` lists what is due.\n"
	"# retention = asylum 10y\n";

/* A whole number of at least 1, strictly: digits only, no sign, no overflow.
 * Returns 0, or -1. */
static int parse_count(const char *v, long long *out)
{
	long long n = 0;

	if (*v == '\0')
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > (LLONG_MAX - (*v - '0')) / 10)
			return -1;
		n = n * 10 + (*v - '0');
	}
	if (n < 1)
		return -1;
	*out = n;
	return 0;
}

/* A size: a whole number of bytes, optionally followed (after spaces) by a
 * unit K, M, G or T, alone or with "B" or "iB" (all powers of 1024), or B.
 * "2G" is 2147483648. Returns 0, or -1. */
static int parse_size(const char *v, long long *out)
{
	static const char units[] = "KMGT";
	char digits[32];
	size_t n = strspn(v, "0123456789");
	const char *u = v + n, *p;
	long long num, mult = 1;

	if (n == 0 || n >= sizeof digits)
		return -1;
	memcpy(digits, v, n);
	digits[n] = '\0';
	if (parse_count(digits, &num) != 0)
		return -1;
	while (*u == ' ' || *u == '\t')
		u++;
	if (*u != '\0' && (p = strchr(units, toupper((unsigned char)*u))) != NULL) {
		for (int k = 0; k <= p - units; k++)
			mult *= 1024;
		u++;
		if (strcmp(u, "iB") == 0 || strcmp(u, "B") == 0 || strcmp(u, "b") == 0)
			u += strlen(u);
	} else if (strcmp(u, "B") == 0 || strcmp(u, "b") == 0) {
		u++;
	}
	if (*u != '\0' || num > LLONG_MAX / mult)
		return -1;
	*out = num * mult;
	return 0;
}

static int add_pattern(kt_config *cfg, const char *p)
{
	return kt_strv_push(&cfg->case_patterns, p) == KT_OK ? 0 : -1;
}

int kt_config_load(kt_config *cfg, const char *path, kt_error *err)
{
	FILE *f;
	char line[4096];
	long lineno = 0;
	int patterns_given = 0;

	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->organisation, sizeof cfg->organisation, "Migration office archive");
	cfg->max_file_bytes = 2147483648LL;
	cfg->separator_sheets = 1;
	f = fopen(path, "r");
	if (f == NULL && errno != ENOENT)
		return kt_error_set(err, KT_FATAL, "cannot read '%s': %s", path, strerror(errno));
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		char *eq, *key, *val;

		lineno++;
		key = kt_text_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			fclose(f);
			kt_config_release(cfg);
			return kt_error_set(err, KT_FATAL, "'%s' line %ld: expected 'key = value'", path, lineno);
		}
		*eq = '\0';
		key = kt_text_trim(key);
		val = kt_text_trim(eq + 1);
		if (strcmp(key, "organisation") == 0) {
			snprintf(cfg->organisation, sizeof cfg->organisation, "%s", val);
		} else if (strcmp(key, "case_pattern") == 0) {
			patterns_given = 1;
			if (*val && add_pattern(cfg, val) != 0) {
				fclose(f);
				kt_config_release(cfg);
				return kt_error_set(err, KT_FATAL, "out of memory");
			}
		} else if (strcmp(key, "max_pixels") == 0) {
			long long n;

			if (parse_count(val, &n) != 0 || n > LONG_MAX) {
				fclose(f);
				kt_config_release(cfg);
				return kt_error_set(err, KT_FATAL, "'%s' line %ld: max_pixels wants a whole "
						    "number of pixels, not '%s'", path, lineno, val);
			}
			cfg->max_pixels = (long)n;
		} else if (strcmp(key, "max_file_bytes") == 0) {
			if (parse_size(val, &cfg->max_file_bytes) != 0) {
				fclose(f);
				kt_config_release(cfg);
				return kt_error_set(err, KT_FATAL, "'%s' line %ld: max_file_bytes wants a size "
						    "such as 2147483648, 500M or 2G, not '%s'", path, lineno,
						    val);
			}
		} else if (strcmp(key, "tessdata") == 0) {
			snprintf(cfg->tessdata, sizeof cfg->tessdata, "%s", val);
		} else if (strcmp(key, "retention") == 0) {
			char type[128], unit = 0, extra = 0;
			long n = 0;

			if (sscanf(val, "%127s %ld%c%c", type, &n, &unit, &extra) != 3 || n <= 0 ||
			    n > 1000 || strchr("ymd", unit) == NULL || unit == '\0') {
				fclose(f);
				kt_config_release(cfg);
				return kt_error_set(err, KT_FATAL, "'%s' line %ld: retention wants CASE_TYPE "
						    "PERIOD (a whole number with y, m or d, e.g. asylum 10y), "
						    "not '%s'", path, lineno, val);
			}
			if (kt_strv_push(&cfg->retention, val) != KT_OK) {
				fclose(f);
				kt_config_release(cfg);
				return kt_error_set(err, KT_FATAL, "out of memory");
			}
		} else if (strcmp(key, "separator_sheets") == 0) {
			if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0) {
				fclose(f);
				kt_config_release(cfg);
				return kt_error_set(err, KT_FATAL, "'%s' line %ld: separator_sheets wants "
						    "yes or no, not '%s'", path, lineno, val);
			}
			cfg->separator_sheets = strcmp(val, "yes") == 0;
		} else {
			fclose(f);
			kt_config_release(cfg);
			return kt_error_set(err, KT_FATAL, "'%s' line %ld: unknown key '%s'", path, lineno, key);
		}
	}
	if (f != NULL)
		fclose(f);
	if (!patterns_given && add_pattern(cfg, DEFAULT_CASE_PATTERN) != 0) {
		kt_config_release(cfg);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	return KT_OK;
}

int kt_config_write_default(const char *path, kt_error *err)
{
	FILE *f = fopen(path, "wx");

	if (f == NULL)
		return errno == EEXIST ? KT_OK
				       : kt_error_set(err, KT_FATAL, "cannot write '%s': %s", path, strerror(errno));
	if (fputs(default_text, f) == EOF || fclose(f) != 0)
		return kt_error_set(err, KT_FATAL, "cannot write '%s': %s", path, strerror(errno));
	return KT_OK;
}

void kt_config_release(kt_config *cfg)
{
	if (cfg == NULL)
		return;
	kt_strv_release(&cfg->case_patterns);
	kt_strv_release(&cfg->retention);
}
