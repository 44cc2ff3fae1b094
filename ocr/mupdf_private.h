/*
 * mupdf_private.h - MuPDF's headers for the ocr files that use it
 * (source_pdf.c, pdfa.c), and, only when those headers are not read
 * (cppcheck reads no system header, tests/source/cppcheck.sh), MuPDF's
 * exception macros (fitz/context.h) in a form the analyser can parse. The
 * compiler always has the real ones.
 */
#ifndef KT_MUPDF_PRIVATE_H
#define KT_MUPDF_PRIVATE_H

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#ifndef FZ_VERSION
#define fz_try(ctx) if (ctx)
#define fz_always(ctx) if (ctx)
#define fz_catch(ctx) if (!(ctx))
#define fz_var(var) (void)(var)
#endif

#endif
