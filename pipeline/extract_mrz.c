/*
 * extract_mrz.c - machine readable zones of travel documents (ICAO Doc 9303,
 * 8th edition, parts 4 to 7): find a zone in OCR text, repair what OCR got
 * wrong where the repair is proven, verify every check digit, and read the
 * fields.
 *
 * This file holds the public entries of kt_extract.h: kt_mrz_parse (lines
 * given), kt_mrz_find (a zone in text: runs of candidate lines, each format
 * tried), the names of formats and errors, and kt_mrz_to_json. The steps of
 * reading a zone are in the other extract_mrz_*.c files
 * (extract_mrz_private.h lists them); the repairs and what counts as proven
 * are described in extract_mrz_repair.c.
 */
#include "extract_mrz_private.h"

#include <stdlib.h>
#include <string.h>

static int line_len_fits(const char *s, int width)
{
	int n = (int)strlen(s);

	return n >= width - 2 && n <= width + 2;
}

/* try the formats of exactly nlines lines, in order; 0 on success */
static int try_formats(char lines[][MRZ_MAXLINE], size_t nlines, int today,
		       kt_mrz *m)
{
	static const kt_mrz_format order[] = {
		KT_MRZ_TD3, KT_MRZ_TD1, KT_MRZ_TD2, KT_MRZ_MRVA, KT_MRZ_MRVB
	};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		struct lay l;
		int k, fits = 1;

		kt_mrz_layout(order[i], &l);
		if ((size_t)l.nlines != nlines)
			continue;
		for (k = 0; k < l.nlines; k++)
			fits = fits && line_len_fits(lines[k], l.width);
		if (fits && kt_mrz_parse_zone(lines, order[i], today, m) == 0)
			return 0;
	}
	return -1;
}

int kt_mrz_parse(const char *const *lines, size_t nlines, int today, kt_mrz *out)
{
	char norm[3][MRZ_MAXLINE];
	size_t k;
	int bad;

	if (out == NULL)
		return KT_FAILED;
	memset(out, 0, sizeof *out);
	if (lines == NULL || nlines < 2 || nlines > 3)
		return KT_FAILED;
	for (k = 0; k < nlines; k++) {
		if (lines[k] == NULL ||
		    kt_mrz_normalize_line(lines[k], strlen(lines[k]), norm[k], &bad) < 0)
			return KT_FAILED;
	}
	if (try_formats(norm, nlines, kt_extract_today(today), out) < 0) {
		memset(out, 0, sizeof *out);
		return KT_FAILED;
	}
	return KT_OK;
}

struct cand_line {
	char s[MRZ_MAXLINE];
	size_t start, end;
};

/* an OCR line that may belong to a zone */
static int candidate_line(const char *text, size_t start, size_t end, struct cand_line *c)
{
	int bad, n, i, fill = 0;

	n = kt_mrz_normalize_line(text + start, end - start, c->s, &bad);
	if (n < 28 || n > 46 || bad > 2)
		return 0;
	for (i = 0; i < n; i++)
		if (c->s[i] == '<' || (c->s[i] == 'K' && i > 0 && c->s[i - 1] == 'K'))
			fill++;
	if (fill == 0)
		return 0;
	c->start = start;
	c->end = end;
	return 1;
}

int kt_mrz_find(const char *text, int today, kt_mrz *out)
{
	struct cand_line run[3];
	size_t nrun = 0, pos = 0, len;

	if (out == NULL)
		return KT_FAILED;
	memset(out, 0, sizeof *out);
	if (text == NULL)
		return KT_FAILED;
	today = kt_extract_today(today);
	len = strlen(text);
	while (pos <= len) {
		size_t end = pos, k;
		struct cand_line c;
		int blank = 1;

		while (end < len && text[end] != '\n')
			end++;
		for (k = pos; k < end; k++)
			if (text[k] != ' ' && text[k] != '\t' && text[k] != '\r')
				blank = 0;
		if (blank) {
			/* blank lines may separate the lines of a zone */
		} else if (candidate_line(text, pos, end, &c)) {
			if (nrun == 3) {
				run[0] = run[1];
				run[1] = run[2];
				nrun = 2;
			}
			run[nrun++] = c;
			/* try the zones that end with this line: 2 lines, then 3 */
			if (nrun >= 2) {
				char lines[3][MRZ_MAXLINE];
				size_t first, j;

				for (first = nrun >= 3 ? nrun - 3 : 0; first + 2 <= nrun; first++) {
					size_t nl = nrun - first;

					for (j = 0; j < nl; j++)
						memcpy(lines[j], run[first + j].s, MRZ_MAXLINE);
					if (try_formats(lines, nl, today, out) == 0) {
						out->span.start = run[first].start;
						out->span.end = run[nrun - 1].end;
						return KT_OK;
					}
				}
			}
		} else {
			nrun = 0;
		}
		pos = end + 1;
	}
	memset(out, 0, sizeof *out);
	return KT_FAILED;
}

const char *kt_mrz_error_name(unsigned bit)
{
	switch (bit) {
	case KT_MRZ_ERR_DOCUMENT_NUMBER: return "document_number";
	case KT_MRZ_ERR_BIRTH_DATE: return "birth_date";
	case KT_MRZ_ERR_EXPIRY_DATE: return "expiry_date";
	case KT_MRZ_ERR_OPTIONAL_DATA: return "optional_data";
	case KT_MRZ_ERR_COMPOSITE: return "composite";
	case KT_MRZ_ERR_SEX: return "sex";
	default: return NULL;
	}
}

const char *kt_mrz_format_name(kt_mrz_format f)
{
	switch (f) {
	case KT_MRZ_TD1: return "TD1";
	case KT_MRZ_TD2: return "TD2";
	case KT_MRZ_TD3: return "TD3";
	case KT_MRZ_MRVA: return "MRVA";
	case KT_MRZ_MRVB: return "MRVB";
	default: return "none";
	}
}

json_t *kt_mrz_to_json(const kt_mrz *m)
{
	json_t *o, *errs;
	unsigned bit;
	int bad = 0;

	if (m == NULL || m->format == KT_MRZ_NONE)
		return NULL;
	o = json_object();
	errs = json_array();
	if (o == NULL || errs == NULL) {
		json_decref(o);
		json_decref(errs);
		return NULL;
	}
	for (bit = 1; bit <= KT_MRZ_ERR_SEX; bit <<= 1)
		if (m->errors & bit)
			bad |= json_array_append_new(errs, json_string(kt_mrz_error_name(bit)));
	bad |= json_object_set_new(o, "format", json_string(kt_mrz_format_name(m->format)));
	bad |= json_object_set_new(o, "document_type", json_string(m->document_type));
	bad |= json_object_set_new(o, "issuer", json_string(m->issuer));
	bad |= json_object_set_new(o, "surname", json_string(m->surname));
	bad |= json_object_set_new(o, "given_names", json_string(m->given_names));
	bad |= json_object_set_new(o, "document_number", json_string(m->document_number));
	bad |= json_object_set_new(o, "nationality", json_string(m->nationality));
	bad |= json_object_set_new(o, "birth_date", json_string(m->birth_date));
	bad |= json_object_set_new(o, "sex", json_string(m->sex));
	bad |= json_object_set_new(o, "expiry_date", json_string(m->expiry_date));
	bad |= json_object_set_new(o, "optional_data", json_string(m->optional_data));
	if (m->format == KT_MRZ_TD1 && m->optional_data2[0])
		bad |= json_object_set_new(o, "optional_data_2", json_string(m->optional_data2));
	bad |= json_object_set_new(o, "valid", json_boolean(m->valid));
	bad |= json_object_set_new(o, "errors", errs);
	bad |= json_object_set_new(o, "line1", json_string(m->line[0]));
	bad |= json_object_set_new(o, "line2", json_string(m->line[1]));
	if (m->format == KT_MRZ_TD1)
		bad |= json_object_set_new(o, "line3", json_string(m->line[2]));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
