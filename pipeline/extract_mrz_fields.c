/*
 * extract_mrz_fields.c - reading normalised lines as a zone of one format
 * (TD1, TD2, TD3, MRV-A, MRV-B): fit the lines, repair what is proven
 * (extract_mrz_repair.c), check, and read the fields into a kt_mrz: names,
 * document number (the TD1 long number too), dates with their century, sex.
 */
#include "extract_mrz_private.h"

#include <string.h>

static void copy_field(const struct zone *z, struct fpos f, char *out, size_t cap)
{
	int i, o = 0;

	for (i = 0; i < f.len && (size_t)o + 1 < cap; i++)
		out[o++] = z->L[f.line][f.start + i];
	out[o] = '\0';
}

/* fillers to single spaces, trimmed */
static void clean_value(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	int space = 0;

	for (; *in; in++) {
		if (*in == '<') {
			space = o > 0;
			continue;
		}
		if (space && o + 1 < cap)
			out[o++] = ' ';
		space = 0;
		if (o + 1 < cap)
			out[o++] = *in;
	}
	out[o] = '\0';
}

static void split_names(const char *field, kt_mrz *m)
{
	const char *sep = strstr(field, "<<");
	char tmp[MRZ_MAXLINE];

	if (sep == NULL) {
		clean_value(field, m->surname, sizeof m->surname);
		m->given_names[0] = '\0';
		return;
	}
	memcpy(tmp, field, (size_t)(sep - field));
	tmp[sep - field] = '\0';
	clean_value(tmp, m->surname, sizeof m->surname);
	clean_value(sep + 2, m->given_names, sizeof m->given_names);
}

/* YYMMDD to ISO; kind 0 = birth (in the past), 1 = expiry (up to 20 years ahead) */
static int read_date(const char *s, int today, int kind, char iso[11])
{
	int yy, mm, dd, y, ty = today / 10000, i;

	iso[0] = '\0';
	for (i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	yy = (s[0] - '0') * 10 + (s[1] - '0');
	mm = (s[2] - '0') * 10 + (s[3] - '0');
	dd = (s[4] - '0') * 10 + (s[5] - '0');
	y = ty / 100 * 100 + yy;
	if (kind == 0) {
		if (y * 10000 + mm * 100 + dd > today)
			y -= 100;
	} else {
		if (y > ty + 20)
			y -= 100;
		else if (y < ty - 80)
			y += 100;
	}
	if (dd < 1 || dd > kt_record_days_in_month(y, mm))
		return -1;
	kt_extract_iso(iso, y, mm, dd);
	return 0;
}

int kt_mrz_parse_zone(char lines[][MRZ_MAXLINE], kt_mrz_format f, int today, kt_mrz *m)
{
	struct lay l;
	struct zone z;
	unsigned char cls[3][MRZ_MAXLINE];
	char buf[MRZ_MAXLINE];
	int k, total = 0, bad = 0, ext;

	kt_mrz_layout(f, &l);
	kt_mrz_classes(&l, cls);
	memset(&z, 0, sizeof z);
	for (k = 0; k < l.nlines; k++) {
		int n = (int)strlen(lines[k]);

		if (n < l.width - 2 || n > l.width + 2)
			return -1;
	}
	for (k = 0; k < l.nlines; k++)
		kt_mrz_naive_fit(lines[k], l.width, z.L[k]);
	for (k = 0; k < l.nlines; k++)
		kt_mrz_fit_line(&z, &l, k, lines[k], cls);
	for (k = 0; k < l.nlines; k++) {
		const char *s;

		for (s = z.L[k]; *s; s++, total++)
			bad += *s == '?';
	}
	if (bad * 10 > total)
		return -1;
	if (f == KT_MRZ_MRVA || f == KT_MRZ_MRVB) {
		if (z.L[0][0] != 'V')
			return -1;
	} else if (z.L[0][0] == 'V') {
		return -1;
	}

	kt_mrz_map_classes(&z, &l, cls);
	kt_mrz_fix_fillers(&z, l.names, 1);
	kt_mrz_fix_fillers(&z, l.doc, 0);
	kt_mrz_fix_fillers(&z, l.opt, 0);
	kt_mrz_fix_fillers(&z, l.opt2, 0);
	kt_mrz_repair_by_checks(&z, &l);

	memset(m, 0, sizeof *m);
	m->format = f;
	m->nlines = l.nlines;
	m->corrections = z.corrections;
	for (k = 0; k < l.nlines; k++)
		memcpy(m->line[k], z.L[k], (size_t)l.width + 1);

	copy_field(&z, l.type, buf, sizeof buf);
	clean_value(buf, m->document_type, sizeof m->document_type);
	copy_field(&z, l.issuer, buf, sizeof buf);
	clean_value(buf, m->issuer, sizeof m->issuer);
	copy_field(&z, l.nat, buf, sizeof buf);
	clean_value(buf, m->nationality, sizeof m->nationality);
	copy_field(&z, l.names, buf, sizeof buf);
	split_names(buf, m);

	ext = kt_mrz_td1_long_doc(&z, &l);
	copy_field(&z, l.doc, buf, sizeof buf);
	if (ext > 0) {
		memcpy(buf + 9, &z.L[0][15], (size_t)ext - 1);
		buf[9 + ext - 1] = '\0';
		clean_value(buf, m->document_number, sizeof m->document_number);
		copy_field(&z, fp(0, 15 + ext, 15 - ext), buf, sizeof buf);
		clean_value(buf, m->optional_data, sizeof m->optional_data);
	} else {
		clean_value(buf, m->document_number, sizeof m->document_number);
		copy_field(&z, l.opt, buf, sizeof buf);
		clean_value(buf, m->optional_data, sizeof m->optional_data);
	}
	copy_field(&z, l.opt2, buf, sizeof buf);
	clean_value(buf, m->optional_data2, sizeof m->optional_data2);

	m->errors = kt_mrz_check_errors(&z, &l);
	if (read_date(&z.L[l.birth.line][l.birth.start], today, 0, m->birth_date) < 0)
		m->errors |= KT_MRZ_ERR_BIRTH_DATE;
	if (read_date(&z.L[l.exp.line][l.exp.start], today, 1, m->expiry_date) < 0)
		m->errors |= KT_MRZ_ERR_EXPIRY_DATE;
	switch (z.L[l.sex.line][l.sex.start]) {
	case 'M': m->sex[0] = 'M'; break;
	case 'F': m->sex[0] = 'F'; break;
	case '<': case 'X': m->sex[0] = 'X'; break;
	default:
		m->sex[0] = 'X';
		m->errors |= KT_MRZ_ERR_SEX;
	}
	m->valid = m->errors == 0;
	return 0;
}

