/*
 * mupdf_private.h - MuPDF's headers for the ocr files that use it
 * (source_pdf.c, pdfa.c, pdfa_dossier.c), the helpers they share, and, only when those headers are not read
 * (cppcheck reads no system header, tests/source/cppcheck.sh), MuPDF's
 * exception macros (fitz/context.h) in a form the analyser can parse. The
 * compiler always has the real ones.
 */
#ifndef KT_MUPDF_PRIVATE_H
#define KT_MUPDF_PRIVATE_H

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

/*
 * What the MuPDF files share (pdfa.c):
 *   kt_mupdf_new_quiet  a new context whose errors and warnings print
 *                    nothing (they reach the caller as exceptions); NULL
 *                    when out of memory
 *   kt_mupdf_save    write doc with opts into a new malloc'd copy, *bytes
 *                    and *len (the caller frees; hint: the size expected).
 *                    Call it inside fz_try: it throws on MuPDF's errors,
 *                    and FZ_ERROR_MEMORY when the copy cannot be made.
 *   kt_mupdf_caught  in fz_catch: the caught message into why as one line
 *                    of printable ASCII (whatever the file said); returns 1
 *                    when it was out of memory, else 0.
 */
fz_context *kt_mupdf_new_quiet(void);
void kt_mupdf_save(fz_context *ctx, pdf_document *doc, pdf_write_options *opts, size_t hint,
		   unsigned char **bytes, size_t *len);
int kt_mupdf_caught(fz_context *ctx, char *why, size_t size);

#ifndef FZ_VERSION
#define fz_try(ctx) if (ctx)
#define fz_always(ctx) if (ctx)
#define fz_catch(ctx) if (!(ctx))
#define fz_var(var) (void)(var)
#endif

#endif
