/*
 * extract_mrz_private.h - what the extract_mrz*.c files share: the layout of
 * a machine readable zone (ICAO Doc 9303) in each format, the classes of its
 * positions, the zone being read, and the steps of reading one.
 *
 * Not for other files than extract_mrz*.c. The files:
 *   extract_mrz.c         the public entries: kt_mrz_parse, kt_mrz_find, the
 *                         names of formats and errors, kt_mrz_to_json
 *   extract_mrz_lines.c   OCR lines: normalising, fitting to the width
 *   extract_mrz_layout.c  where each field sits in TD1, TD2, TD3, MRV-A/B
 *   extract_mrz_check.c   check digits (kt_mrz_check_digit) and which fail
 *   extract_mrz_repair.c  repairs of OCR misreads that the format or the
 *                         check digits prove (see the comment there)
 *   extract_mrz_fields.c  reading a zone of one format into a kt_mrz
 * Every function works on caller-owned memory; nothing is allocated.
 */
#ifndef KT_EXTRACT_MRZ_PRIVATE_H
#define KT_EXTRACT_MRZ_PRIVATE_H

#include "extract_private.h"

#include <stddef.h>

#define MRZ_MAXLINE 64		/* room for a zone line (at most 46 characters as read) and its NUL */

/* A field: line (0-2), first position and length. */
struct fpos {
	int line, start, len;		/* len 0: the format has no such field */
};

/* The layout of one format: its lines, width and fields. */
struct lay {
	kt_mrz_format fmt;
	int nlines, width;
	struct fpos type, issuer, names, doc, doc_chk, nat, birth, birth_chk,
		sex, exp, exp_chk, opt, opt_chk, opt2, comp;
	struct fpos comp_r[4];		/* the ranges the composite check covers */
	int ncomp_r;
};

/* classes of positions */
enum { C_ANY = 0, C_DIGIT, C_CHECK, C_ALPHA, C_NAME, C_SEX };

/* A zone being read: its lines (NUL-terminated at the width) and the count of
 * characters changed so far. */
struct zone {
	char L[3][MRZ_MAXLINE];
	int corrections;
};

/* fp: the field of `len` positions from `start` on line `line`. */
static inline struct fpos fp(int line, int start, int len)
{
	struct fpos f = { line, start, len };

	return f;
}

/* kt_mrz_layout: fill *l with the layout of format f (extract_mrz_layout.c). */
void kt_mrz_layout(kt_mrz_format f, struct lay *l);

/* kt_mrz_classes: fill cls with the class (C_*) of each position of layout l
 * (extract_mrz_layout.c). */
void kt_mrz_classes(const struct lay *l, unsigned char cls[3][MRZ_MAXLINE]);

/* kt_mrz_td1_long_doc: for a TD1 document number longer than 9 characters
 * (position 14 '<', the number going on in the optional data), the length of
 * its extension including the check digit; 0 if none (extract_mrz_check.c). */
int kt_mrz_td1_long_doc(const struct zone *z, const struct lay *l);

/* kt_mrz_check_errors: the KT_MRZ_ERR_* bits of the checks that fail on the
 * zone as it stands, dates not checked for sense (extract_mrz_check.c). */
unsigned kt_mrz_check_errors(const struct zone *z, const struct lay *l);

/* kt_mrz_map_classes: repair what the class of a position proves (a letter
 * where a digit must be, and the reverse), counting the changes in
 * z->corrections (extract_mrz_repair.c). */
void kt_mrz_map_classes(struct zone *z, const struct lay *l, unsigned char cls[3][MRZ_MAXLINE]);

/* kt_mrz_fix_fillers: fillers read as K at the end of field f (names when
 * is_names) back to '<' (extract_mrz_repair.c). */
void kt_mrz_fix_fillers(struct zone *z, struct fpos f, int is_names);

/* kt_mrz_repair_by_checks: apply the one set of single-character corrections
 * that makes every failing check pass, when there is exactly one
 * (extract_mrz_repair.c). */
void kt_mrz_repair_by_checks(struct zone *z, const struct lay *l);

/* kt_mrz_normalize_line: n bytes of an OCR line into out[MRZ_MAXLINE] as zone
 * characters (spaces dropped, upper case, '«' and the like as '<', others as
 * '?', counted in *bad). Returns the length, -1 when too long
 * (extract_mrz_lines.c). */
int kt_mrz_normalize_line(const char *s, size_t n, char *out, int *bad);

/* kt_mrz_naive_fit: src cut or padded with '<' to width into dst[width + 1]
 * (extract_mrz_lines.c). */
void kt_mrz_naive_fit(const char *src, int width, char *dst);

/* kt_mrz_fit_line: z->L[k] from orig, made exactly l->width long by adding or
 * dropping fillers where that leaves the fewest problems (extract_mrz_lines.c). */
void kt_mrz_fit_line(struct zone *z, const struct lay *l, int k, const char *orig,
		     unsigned char cls[3][MRZ_MAXLINE]);

/* kt_mrz_parse_zone: read normalised lines as a zone of format f into *m
 * (today as yyyymmdd, for the century of dates). Returns 0, or -1 when the
 * lines are not a zone of that format (*m then undefined)
 * (extract_mrz_fields.c). */
int kt_mrz_parse_zone(char lines[][MRZ_MAXLINE], kt_mrz_format f, int today, kt_mrz *m);

#endif
