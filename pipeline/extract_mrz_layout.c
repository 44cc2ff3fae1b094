/*
 * extract_mrz_layout.c - where each field of a machine readable zone sits in
 * each format (ICAO Doc 9303: TD1 3x30, TD2 2x36, TD3 2x44, MRV-A 2x44,
 * MRV-B 2x36), and the class of each position (digit, check digit, letter,
 * name, sex, any) that the repairs rely on.
 */
#include "extract_mrz_private.h"

#include <string.h>

void kt_mrz_layout(kt_mrz_format f, struct lay *l)
{
	memset(l, 0, sizeof *l);
	l->fmt = f;
	l->nlines = 2;
	l->type = fp(0, 0, 2);
	l->issuer = fp(0, 2, 3);
	if (f == KT_MRZ_TD1) {
		l->nlines = 3;
		l->width = 30;
		l->doc = fp(0, 5, 9);
		l->doc_chk = fp(0, 14, 1);
		l->opt = fp(0, 15, 15);
		l->birth = fp(1, 0, 6);
		l->birth_chk = fp(1, 6, 1);
		l->sex = fp(1, 7, 1);
		l->exp = fp(1, 8, 6);
		l->exp_chk = fp(1, 14, 1);
		l->nat = fp(1, 15, 3);
		l->opt2 = fp(1, 18, 11);
		l->comp = fp(1, 29, 1);
		l->comp_r[0] = fp(0, 5, 25);
		l->comp_r[1] = fp(1, 0, 7);
		l->comp_r[2] = fp(1, 8, 7);
		l->comp_r[3] = fp(1, 18, 11);
		l->ncomp_r = 4;
		l->names = fp(2, 0, 30);
		return;
	}
	l->width = (f == KT_MRZ_TD3 || f == KT_MRZ_MRVA) ? 44 : 36;
	l->names = fp(0, 5, l->width - 5);
	l->doc = fp(1, 0, 9);
	l->doc_chk = fp(1, 9, 1);
	l->nat = fp(1, 10, 3);
	l->birth = fp(1, 13, 6);
	l->birth_chk = fp(1, 19, 1);
	l->sex = fp(1, 20, 1);
	l->exp = fp(1, 21, 6);
	l->exp_chk = fp(1, 27, 1);
	switch (f) {
	case KT_MRZ_TD3:
		l->opt = fp(1, 28, 14);
		l->opt_chk = fp(1, 42, 1);
		l->comp = fp(1, 43, 1);
		l->comp_r[0] = fp(1, 0, 10);
		l->comp_r[1] = fp(1, 13, 7);
		l->comp_r[2] = fp(1, 21, 22);
		l->ncomp_r = 3;
		break;
	case KT_MRZ_TD2:
		l->opt = fp(1, 28, 7);
		l->comp = fp(1, 35, 1);
		l->comp_r[0] = fp(1, 0, 10);
		l->comp_r[1] = fp(1, 13, 7);
		l->comp_r[2] = fp(1, 21, 14);
		l->ncomp_r = 3;
		break;
	case KT_MRZ_MRVA:
		l->opt = fp(1, 28, 16);
		break;
	default: /* MRV-B */
		l->opt = fp(1, 28, 8);
		break;
	}
}

static void mark(unsigned char cls[3][MRZ_MAXLINE], struct fpos f, int c)
{
	int i;

	for (i = 0; i < f.len; i++)
		cls[f.line][f.start + i] = (unsigned char)c;
}

void kt_mrz_classes(const struct lay *l, unsigned char cls[3][MRZ_MAXLINE])
{
	memset(cls, C_ANY, 3 * MRZ_MAXLINE);
	mark(cls, l->type, C_ALPHA);
	mark(cls, l->issuer, C_ALPHA);
	mark(cls, l->nat, C_ALPHA);
	mark(cls, l->names, C_NAME);
	mark(cls, l->birth, C_DIGIT);
	mark(cls, l->exp, C_DIGIT);
	mark(cls, l->doc_chk, C_CHECK);
	mark(cls, l->birth_chk, C_CHECK);
	mark(cls, l->exp_chk, C_CHECK);
	mark(cls, l->opt_chk, C_CHECK);
	mark(cls, l->comp, C_CHECK);
	mark(cls, l->sex, C_SEX);
}
