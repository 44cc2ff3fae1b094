/* engine_private.h - the engine set behind kt_ocr, shared by page.c and tesseract.c. */
#ifndef KT_ENGINE_PRIVATE_H
#define KT_ENGINE_PRIVATE_H

#include "ocr_private.h"

struct Pix;

/* Orientation and script of a page, from Tesseract's OSD. */
typedef struct kt_osd {
	int ok;             /* 0 when OSD found too little text to decide */
	int rotate;         /* clockwise turn that makes the page upright */
	float orient_conf;
	char script[16];
	float script_conf;
} kt_osd;

typedef struct kt_tess kt_tess;

struct kt_ocr {
	kt_tess *osd;       /* "osd" */
	kt_tess *latin;     /* "lav+lit+eng" */
	kt_tess *cyrillic;  /* "rus+eng" */
	kt_error err;
};

/* tesseract.c: the one file using Tesseract's C API. */
kt_tess *kt_tess_new(const char *tessdata, const char *langs, kt_error *err);
void kt_tess_free(kt_tess **t);
void kt_tess_osd(kt_tess *t, struct Pix *pix, int dpi, kt_osd *out);
/* recognise: text (malloc'd, caller frees) and mean word confidence */
int kt_tess_recognize(kt_tess *t, struct Pix *pix, int dpi, char **text, int *conf,
		      kt_error *err);

#endif
