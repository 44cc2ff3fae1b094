/* ocr_private.h - what the files of ocr/ share and nobody else sees. */
#ifndef KT_OCR_PRIVATE_H
#define KT_OCR_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "kt_ocr.h"

/* One TIFF page's header, read with libtiff before anything is decoded. */
typedef struct kt_tiff_page {
	uint32_t width, height;
} kt_tiff_page;

/*
 * kt_tiff_scan: count the pages of an in-memory TIFF and read each page's
 * size without decoding pixels (tiff.c, the one file using libtiff).
 *   pages  receives a malloc'd array of *n entries; caller frees with free()
 * Returns KT_OK or KT_FAILED with the reason in err.
 */
int kt_tiff_scan(const void *data, size_t len, const char *name,
		 kt_tiff_page **pages, int *n, kt_error *err);

/* ------------------------------------------------ PDF (source_pdf.c, MuPDF) */

/* Most pages of one PDF accepted; more is refused when the file is opened. */
#define KT_PDF_MAX_PAGES 10000
/* Most memory MuPDF may hold for one PDF source, every thread together
 * (its own allocator counts it); a page that needs more fails. */
#define KT_PDF_MAX_MEMORY ((size_t)1 << 30)

/* A PDF held in memory, opened with MuPDF. The page functions may be called
 * from several threads at once. */
typedef struct kt_pdf kt_pdf;

/* kt_is_pdf: 1 when "%PDF-" occurs within the first 1024 bytes (source.c). */
int kt_is_pdf(const void *data, size_t len);

/*
 * kt_pdf_open: open a PDF (data borrowed, must outlive it), with the empty
 * user password when it is encrypted. *out receives it (caller frees with
 * kt_pdf_free), *npages its page count (1 to KT_PDF_MAX_PAGES).
 * Returns KT_OK, KT_FAILED (encrypted with a user password, broken, no
 * pages, too many; the message names the file and the reason) or KT_FATAL
 * (out of memory).
 */
int kt_pdf_open(const void *data, size_t len, const char *name, long max_pixels,
		kt_pdf **out, int *npages, kt_error *err);

/* kt_pdf_page: render page i as kt_source_page does (docs/ocr.md, "PDF
 * input"); *pix is new, caller frees with pixDestroy. */
int kt_pdf_page(kt_pdf *p, int i, struct Pix **pix, int *dpi, kt_error *err);

/* kt_pdf_page_coded: the compressed bytes of page i's scan (its largest
 * image, when it covers half the page or more) as the file holds them, found
 * by kt_pdf_page(i) on the same thread; 0 when unknown or not rendered. */
size_t kt_pdf_page_coded(const kt_pdf *p, int i);

/* kt_pdf_page_text: the visible text of page i as kt_source_page_text
 * gives it; *text malloc'd (caller frees with free()) or NULL. */
int kt_pdf_page_text(kt_pdf *p, int i, char **text, kt_error *err);

/* kt_pdf_free: close it and set *p to NULL; NULL is a no-op. */
void kt_pdf_free(kt_pdf **p);

/* ------------- e-signed containers (source_asice.c with libarchive, and
 * source_asice_xml.c with libxml2 and OpenSSL's X509: the files that include
 * their headers) */

/* Caps of one container, checked while it is read (docs/ocr.md): entries
 * (every kind), bytes one entry unpacks to, bytes all entries unpack to, and
 * the compression ratio: all entries together may unpack to no more than
 * KT_ASICE_MAX_RATIO times the container's size, or KT_ASICE_RATIO_FLOOR,
 * whichever is more (a ZIP bomb is refused once it passes the cap). An XML
 * file (manifest, signatures) may be KT_ASICE_MAX_XML bytes. */
#define KT_ASICE_MAX_ENTRIES 1000
#define KT_ASICE_MAX_ENTRY ((size_t)256 << 20)
#define KT_ASICE_MAX_TOTAL ((size_t)512 << 20)
#define KT_ASICE_MAX_RATIO 100
#define KT_ASICE_RATIO_FLOOR ((size_t)16 << 20)
#define KT_ASICE_MAX_XML ((size_t)4 << 20)

/* A container held in memory: its data files (each page-giving one opened as
 * a nested kt_source) and its signatures. Read-only after kt_asice_open: the
 * page functions may be called from several threads at once, as the nested
 * sources' own may. */
typedef struct kt_asice kt_asice;

/* kt_source_recognised: 1 when the bytes are a PDF, TIFF, PNG or JPEG by
 * content, as kt_source_open tells them (source.c). */
int kt_source_recognised(const void *data, size_t len);

/* kt_is_zip: 1 when the bytes begin as a ZIP ("PK\3\4" or, empty, "PK\5\6"). */
int kt_is_zip(const void *data, size_t len);

/*
 * kt_asice_open: read a ZIP (data borrowed, must outlive it) as an e-signed
 * container. *out receives it (caller frees with kt_asice_free), *npages its
 * page count. Returns KT_OK, KT_FAILED (not a container, broken, truncated,
 * over a cap, no data file gives a page, a data file that cannot be read;
 * the message names the file and the reason) or KT_FATAL (out of memory).
 */
int kt_asice_open(const void *data, size_t len, const char *name, long max_pixels,
		  kt_asice **out, int *npages, kt_error *err);

/* As kt_source_page, kt_source_page_text, kt_source_text_source,
 * kt_source_page_pdf, kt_source_signatures and kt_source_warning. */
int kt_asice_page(kt_asice *a, int i, struct Pix **pix, int *dpi, kt_error *err);
int kt_asice_page_text(kt_asice *a, int i, char **text, kt_error *err);
const char *kt_asice_text_source(const kt_asice *a, int i);
int kt_asice_page_pdf(const kt_asice *a, int i, const void **pdf, size_t *len, int *page);
size_t kt_asice_signatures(const kt_asice *a, const kt_source_signature **sigs);
const char *kt_asice_warning(const kt_asice *a);

/* The container's XML (source_asice_xml.c: libxml2, OpenSSL's X509). */

/* kt_asice_printable: s[0..n) as printable UTF-8 (control characters and
 * bytes that are not UTF-8 as "\xHH"): the form every name of a container
 * is kept in. malloc'd; NULL when out of memory. */
char *kt_asice_printable(const char *s, size_t n);

/* kt_asice_manifest: the file entries of META-INF/manifest.xml in its
 * order, full paths and media types ("" when none given) in printable form
 * into paths and types. KT_OK, KT_FAILED when it cannot be read (the reason
 * in why[size]) or KT_FATAL (out of memory). */
int kt_asice_manifest(const unsigned char *data, size_t len, kt_strv *paths, kt_strv *types,
		      char *why, size_t size);

/* kt_asice_sign_file: each ds:Signature of the signature file named xml
 * appended to *sigs (*n of them; the array grows). A file that gives none
 * (does not parse, has a DTD, holds no ds:Signature) gives one entry with
 * its error, the reason in why[size], and KT_WARN. KT_OK, KT_WARN or
 * KT_FATAL (out of memory). */
int kt_asice_sign_file(const char *xml, const unsigned char *data, size_t len,
		       kt_source_signature **sigs, size_t *n, char *why, size_t size);

/* kt_asice_sign_release: free the n signatures and the array; *sigs NULL,
 * *n 0 after. */
void kt_asice_sign_release(kt_source_signature **sigs, size_t *n);

/* kt_asice_free: free it (its nested sources, data and signatures) and set
 * *a to NULL; NULL is a no-op. */
void kt_asice_free(kt_asice **a);

/* ------------------------------------- the access image of a page (pdfa.c) */

/* An image stream for a page of the access copy: a JPEG file (DCTDecode) or
 * zlib data (FlateDecode) of width x height pixels, 1 (grey) or 3 (RGB)
 * samples of bpc bits. The bytes are borrowed. */
typedef struct kt_access_image {
	const unsigned char *data;
	size_t len;
	int width, height, spp, bpc;
	int dct;
} kt_access_image;

/*
 * kt_pdfa_page_image: the one-page PDF *pdf (*len bytes, malloc'd; Tesseract's
 * renderer made it) with its page image replaced by img (NULL: kept), the
 * image drawn as before over the whole page, so the page's size and its text
 * layer do not change; then a JPEG image whose bytes Flate makes at least 3%
 * smaller is stored Flate-compressed too ([/FlateDecode /DCTDecode], as
 * ocrmypdf does). On success *pdf and *len are the new file (the old one is
 * freed). Returns KT_OK, KT_FAILED (the PDF has no image; message in err) or
 * KT_FATAL (out of memory).
 */
int kt_pdfa_page_image(unsigned char **pdf, size_t *len, const kt_access_image *img,
		       kt_error *err);

/* Language of recognised text, from its letters (lang.c): writes "lav",
 * "lit", "rus", "eng" or "" into lang[8]. */
void kt_lang_guess(const char *text, char lang[8]);

#endif
