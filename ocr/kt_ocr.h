/*
 * kt_ocr.h - page images in, upright clean pages and their text out.
 *
 * Two handles:
 *   kt_source  one input file decoded page by page (Leptonica, libtiff;
 *              MuPDF for PDF; an e-signed container's data files as nested
 *              sources): format recognised by content, never by the file
 *              name.
 *   kt_ocr     one worker's engines (Tesseract: orientation and script
 *              detection, a Latin model set, a Cyrillic one and a Lithuanian
 *              one for second readings), created once per worker and
 *              reused for every page it is given.
 *
 * A page goes through a table of page stages (see page.c): grey -> orient ->
 * deskew -> despeckle -> blank -> bitonal -> access -> recognize. Each stage makes a new
 * image from the last one and never changes its input. A worker needs nothing
 * but a page and an engine: no catalog, no index, no global state. The access
 * copy of a document is merged from its pages' one-page PDFs (pdfa.c).
 */
#ifndef KT_OCR_H
#define KT_OCR_H

#include <stddef.h>

#include "kt_status.h"
#include "kt_strv.h"

#ifdef __cplusplus
extern "C" {
#endif

struct Pix;

/* ---------------------------------------------------------------- source */

typedef struct kt_source kt_source;

/* Largest page accepted, in pixels (width x height): an A3 page at 600 dpi is
 * about 70 Mpx. Larger pages are refused with KT_FAILED before decoding. */
#define KT_OCR_DEFAULT_MAX_PIXELS (100L * 1000 * 1000)

/*
 * kt_source_open: recognise and open an image file or a PDF held in memory.
 *   data, len   the file's bytes; borrowed, must outlive the source
 *   name        the file's name, for messages only
 *   max_pixels  page size cap (0 = KT_OCR_DEFAULT_MAX_PIXELS)
 *   out         receives the source; caller frees with kt_source_free
 *   err         receives the message on failure
 * Returns KT_OK, or KT_FAILED when the bytes are not a readable TIFF, PNG or
 * JPEG image, PDF or e-signed container (message names the file and the
 * reason). A PDF is one when "%PDF-" occurs in its first 1024 bytes; it is
 * refused when it needs a user password ("encrypted PDF that needs a
 * password"), is broken beyond repair, has no page or more than 10,000
 * (docs/ocr.md, "PDF input"). A container is refused when it is broken or
 * truncated, over its caps (a ZIP bomb), or none of its data files gives a
 * page (docs/ocr.md, "E-signed containers"); KT_FATAL when out of memory.
 */
int kt_source_open(const void *data, size_t len, const char *name,
		   long max_pixels, kt_source **out, kt_error *err);

/* kt_source_format: "tiff", "png", "jpeg", "pdf" or "asice" (an e-signed
 * container); static string. */
const char *kt_source_format(const kt_source *s);

/* kt_source_pages: number of pages (1 for PNG and JPEG). */
int kt_source_pages(const kt_source *s);

/*
 * kt_source_page: decode page i (0-based). May be called for different pages
 * from several threads at once.
 *   pix  receives a new Pix; caller frees with pixDestroy
 *   dpi  receives the resolution recorded in the file, or 0 when none is;
 *        a PDF page is rendered (8-bit grey when it has no colour, else
 *        32 bpp RGB; 1 bpp when its largest image is 1 bit per pixel and
 *        covers half the page or more, a bitonal scan) at the resolution
 *        of its largest image, 150-600 dpi, 300 when it has none, and that
 *        resolution is given
 * Returns KT_OK or KT_FAILED (message in err names the file and page; a
 * page above the pixel cap is refused before it is decoded or rendered).
 */
int kt_source_page(kt_source *s, int i, struct Pix **pix, int *dpi, kt_error *err);

/*
 * kt_source_page_text: the visible text of page i (0-based) of a PDF made
 * with text (born-digital), in MuPDF's reading order: each line followed by
 * a line break, a blank line between blocks. Invisible text (render mode 3,
 * the text layer scanners and OCR tools add) is not read. May be called from
 * several threads at once.
 *   text  receives the text (UTF-8, malloc'd; caller frees with free()), or
 *         NULL when the page has no visible text, and always for images; a
 *         container's page gives its data file's (a text/plain file's
 *         page: the file's text; kt_source_text_source tells which)
 * Returns KT_OK, KT_FAILED (page unreadable; message names file and page) or
 * KT_FATAL (out of memory).
 */
int kt_source_page_text(kt_source *s, int i, char **text, kt_error *err);

/*
 * kt_source_page_file: page i's own encoded bytes, when the page is the
 * whole file (a PNG or JPEG, a one-page TIFF), for kt_page_result's
 * source_jpeg and source_bytes.
 *   data, len  receive the file's bytes; borrowed, valid until kt_source_free
 *   jpeg       receives 1 when they are a JPEG, else 0
 * Returns 1, or 0 (outputs NULL, 0, 0) when page i is not a file of its own
 * (a page of a multi-page TIFF, a PDF or a container's page).
 */
int kt_source_page_file(const kt_source *s, int i, const void **data, size_t *len, int *jpeg);

/*
 * kt_source_page_bytes: page i's own compressed bytes, for kt_page_result's
 * source_bytes: the file's size for a page that is its file; for a PDF page,
 * its scan's image stream (the largest image, covering half the page or
 * more) as found by kt_source_page(i) on the same thread; 0 when unknown.
 */
size_t kt_source_page_bytes(const kt_source *s, int i);

/* kt_source_free: free the source and set *s to NULL; NULL is a no-op. */
void kt_source_free(kt_source **s);

/* ------------------------------- e-signed containers (source_asice.c) */

/*
 * An e-signed container (ASiC-E, ETSI EN 319 162-1: Latvia's eParaksts
 * .edoc, Estonia's DigiDoc .asice) is a ZIP of data files and XAdES
 * signatures. kt_source_open recognises one by content (a ZIP whose first
 * entry is "mimetype" holding application/vnd.etsi.asic-e+zip, or a ZIP with
 * META-INF/manifest.xml and a META-INF/...signatures....xml); its format is
 * "asice". Its pages are those of its data files in the manifest's order (a
 * PDF, TIFF, PNG or JPEG gives its pages, a text/plain file one page of its
 * text; other types give none and are named by kt_source_warning). The
 * signatures are read, NOT verified: docs/ocr.md, "E-signed containers".
 */

/* One signature of a container, as its XML says; nothing here is checked. */
typedef struct kt_source_signature {
	char *xml;          /* the signature file in the container, e.g.
	                     * "META-INF/signatures0.xml" */
	char *signer;       /* the signing certificate's subject: its CN, else
	                     * "givenName surname"; UTF-8; NULL when not found */
	char *signing_time; /* xades:SigningTime as "YYYY-MM-DDTHH:MM:SSZ" (UTC);
	                     * NULL when missing or not a date and time */
	kt_strv files;      /* the data files its ds:Reference URIs name, in
	                     * their order (percent-decoded) */
	char *error;        /* why the file gave no signature (it does not
	                     * parse, holds no ds:Signature); NULL when read */
} kt_source_signature;

/*
 * kt_source_signatures: the signatures of a container, one per ds:Signature
 * of each signature file (a file that cannot be read gives one entry with
 * error set), in the container's order.
 *   sigs  receives the array; borrowed, valid until kt_source_free; NULL for
 *         every other format
 * Returns the number of entries (0 for every other format).
 */
size_t kt_source_signatures(const kt_source *s, const kt_source_signature **sigs);

/*
 * kt_source_warning: what was read with trouble without failing the file
 * (a signature file that does not parse, data files that give no page),
 * one line naming the file; borrowed until kt_source_free; NULL when none
 * (always for formats other than a container).
 */
const char *kt_source_warning(const kt_source *s);

/*
 * kt_source_text_source: where page i's own text comes from, for the
 * page's text_source: "pdf" (a PDF page's visible text, as
 * kt_source_page_text gives it), "text" (a container's text/plain data
 * file: the file is the page's text), or NULL (an image; a page out of
 * range). Static string.
 */
const char *kt_source_text_source(const kt_source *s, int i);

/*
 * kt_source_page_pdf: the PDF page i comes from, for the access copy to take
 * a page kept as its PDF's own text: a PDF source gives its own bytes and i,
 * a container the bytes of the data file the page is in and the page's
 * index there.
 *   pdf, len  receive the PDF's bytes; borrowed, valid until kt_source_free
 *   page      receives the page's 0-based index in that PDF
 * Returns 1, or 0 (outputs NULL, 0, -1) when page i is not a PDF's page.
 */
int kt_source_page_pdf(const kt_source *s, int i, const void **pdf, size_t *len, int *page);

/* ---------------------------------------------------------------- engine */

typedef struct kt_ocr kt_ocr;

/* kt_ocr_new: an engine set with nothing loaded yet; NULL when out of memory.
 * Caller frees with kt_ocr_free. */
kt_ocr *kt_ocr_new(void);

/*
 * kt_ocr_init: load the Tesseract models (osd, lav+lit+eng, rus+eng, lit+eng;
 * lav+rus+eng when a page first needs it).
 *   tessdata  the tessdata folder, or NULL for Tesseract's default
 * Returns KT_OK or KT_FATAL (no engine: the batch cannot go on).
 */
int kt_ocr_init(kt_ocr *o, const char *tessdata);

/* kt_ocr_errmsg: the last error message; borrowed until the next call. */
const char *kt_ocr_errmsg(const kt_ocr *o);

/* kt_ocr_error: the slot of the last call on o (code and message, clear when
 * it succeeded), for a caller to pass up with kt_error_pass or
 * kt_error_escalate; borrowed until the next call. NULL o gives a static
 * KT_FAILED slot. */
const kt_error *kt_ocr_error(const kt_ocr *o);

/* kt_ocr_version: the Tesseract version string; static. */
const char *kt_ocr_version(void);

/* kt_ocr_free: release every engine and set *o to NULL; NULL is a no-op. */
void kt_ocr_free(kt_ocr **o);

/* ----------------------------------- separator sheets (barcode.c, zbar) */

/* One bar code or QR code found on a page. */
typedef struct kt_barcode {
	char type[16];      /* zbar's name of the symbology: "CODE-39", "QR-Code", ... */
	char *data;         /* what it encodes, as bytes with a NUL after them; owned */
	int x, y, w, h;     /* its box in pixels of the page given */
} kt_barcode;

/*
 * kt_barcode_find: every bar code and QR code zbar reads on the page.
 *   pix    the page, any depth; borrowed
 *   dpi    its resolution (0: 300); the page is scanned at 200 dpi at most
 *   codes  receives an array of n codes (NULL when none); free with
 *          kt_barcodes_free
 * Returns KT_OK, KT_FAILED (the reader failed on this page) or KT_FATAL (out
 * of memory), the message on err.
 */
int kt_barcode_find(struct Pix *pix, int dpi, kt_barcode **codes, int *n, kt_error *err);

/* kt_barcodes_free: free n codes and set *codes to NULL; NULL is a no-op. */
void kt_barcodes_free(kt_barcode **codes, int n);

/*
 * kt_separator_sheet: whether the page is a separator sheet, the page an
 * operator puts between two documents of one multi-page scan: it carries a
 * bar code or QR code and nothing else of weight (dark pixels outside the
 * codes' boxes and a 5% border cover less than 1.5% of the page, so a caption
 * may be printed on it; a form or a letter that carries a code is no
 * separator).
 *   code  receives the sheet's first code (one kt_barcode; free with
 *         kt_barcodes_free(code, 1)) when it is one, else NULL
 * Returns 1 (a separator sheet), 0 (not one), or -1 (out of memory, on err).
 */
int kt_separator_sheet(struct Pix *pix, int dpi, kt_barcode **code, kt_error *err);

/* What one page became. Value struct: kt_page_result_init / _release. */
typedef struct kt_page_result {
	int rotation;       /* clockwise turn (0/90/180/270) that made the page upright */
	float orient_conf;  /* OSD orientation confidence; 0 when OSD had too little text */
	float skew;         /* angle of the text lines in the scan, degrees, counter-clockwise positive */
	int blank;          /* 1 when the page holds no content (no OCR was run) */
	char script[16];    /* "Latin", "Cyrillic" or "" */
	char lang[8];       /* main language: lav, lit, rus, eng, or "" when blank */
	int confidence;     /* mean word confidence 0-100; 0 when blank */
	int width, height;  /* pixels of the upright page */
	int dpi;            /* resolution used for recognition */
	char *text;         /* UTF-8, with line breaks; "" when blank; owned, freed by _release */
	/* Added by issue 6 (fields only ever appended here). */
	char *alto;         /* ALTO XML (v3) document of this page: blocks, lines, words with
	                     * coordinates (pixels of the upright page) and confidences; an
	                     * empty <Page> when blank; owned, freed by _release */
	unsigned long serial; /* which kt_ocr_page call of the engine made it (for kt_ocr_pdf_add) */
	/* Added by issue 18. */
	char text_source[8]; /* "pdf": the text is the PDF page's own (no OCR);
	                      * "ocr": recognised; "" when not set */
	/* Added by issue 18, access copy and master (kt_ocr_page_copies). */
	int bitonal;        /* 1 when the page as decoded was 1 bpp: its cleaned
	                     * page is 1 bpp too (thresholded after deskew) */
	unsigned char *master; /* the master: the cleaned page as a lossless TIFF
	                     * (CCITT G4 when bitonal, else Deflate; RGB for a
	                     * colour page; a page enlarged for OCR at its own
	                     * pixels) with its resolution; NULL when not made (a page kept as the
	                     * PDF's own text has none); owned, freed by _release */
	size_t master_len;
	unsigned char *page_pdf; /* a one-page searchable PDF of the cleaned page
	                     * (Tesseract's renderer: the image, G4 when bitonal,
	                     * else Flate or JPEG, whichever is smaller (stage
	                     * access), under its words); NULL when not made;
	                     * owned, freed by _release */
	size_t page_pdf_len;
	const void *own_pdf; /* a page kept as its PDF's own text: that PDF (the
	                     * original, or a container's data file) and the
	                     * page's index in it, for the access copy to take
	                     * the page as it is (kt_source_page_pdf); borrowed
	                     * from the kt_source, valid until it is freed; NULL:
	                     * none (kt_pdfa_document then uses the original) */
	size_t own_pdf_len;
	int own_page;
	/* Added by issue 18, the access image (kt_ocr_page_copies; set by the
	 * caller from kt_source_page_file before it, else left 0). */
	const void *source_jpeg; /* the page's own JPEG file: shown as it is (no
	                     * generation loss) when the page was neither
	                     * turned, deskewed nor rescaled; borrowed from the
	                     * kt_source, valid until it is freed; NULL: none */
	size_t source_jpeg_len;
	size_t source_bytes; /* the page's own compressed bytes in its file
	                     * (0: unknown): a page re-encoded as JPEG larger than
	                     * this gets a lower quality, down to 50 */
	/* Added by issue 9, separator sheets (set by the batch's workers). */
	char *separator;    /* the page is a separator sheet (kt_separator_sheet):
	                     * the text of its code; it is no content of any
	                     * document; NULL: a page of content; owned, freed
	                     * by _release */
	/* Added by issue 19, what an operator rescans (kt_ocr_page; a page
	 * kept as its PDF's own text is not measured). */
	int measured;       /* 1 when the four below are set */
	int paper, ink;     /* grey levels (0 black - 255 white) of the page as
	                     * scanned: the mean of its background and of its
	                     * dark class (Otsu's split of the histogram); ink is
	                     * -1 when the page holds too little of it to tell */
	int cut_words;      /* recognised words touching the page's edge */
	int cut_edges;      /* which edges: KT_EDGE_* or-ed */
} kt_page_result;

/* Edges of a page, for kt_page_result.cut_edges. */
enum { KT_EDGE_LEFT = 1, KT_EDGE_TOP = 2, KT_EDGE_RIGHT = 4, KT_EDGE_BOTTOM = 8 };

void kt_page_result_init(kt_page_result *r);
void kt_page_result_release(kt_page_result *r);

/*
 * kt_page_result_from_text: make r the result of a page whose text was read
 * from the file (kt_source_page_text), with no OCR: text_source "pdf",
 * rotation 0, skew 0, not blank, confidence 100, language (and script) from
 * its letters as for a recognised page, no ALTO.
 *   r     kt_page_result_init'ed, or released
 *   text  malloc'd UTF-8; ownership passes to r (freed by _release)
 * width, height and dpi stay 0: the page was not rendered.
 */
void kt_page_result_from_text(kt_page_result *r, char *text);

/*
 * kt_ocr_page: clean up and recognise one page.
 *   pix   the decoded page; borrowed and not changed
 *   dpi   its resolution, 0 when unknown (300 is assumed)
 *   out   filled in; caller releases with kt_page_result_release
 *   clean when not NULL, receives the upright, deskewed page as it was
 *         recognised: 8-bit grey, or 1 bpp when pix was 1 bpp (out->bitonal),
 *         with its resolution set (new Pix, caller frees with pixDestroy).
 *         A colour page, or a page below 200 dpi enlarged for recognition,
 *         keeps, on the engine for kt_ocr_page_copies, its colour (32 bpp
 *         RGB) or its own resolution: turned and deskewed as clean is
 * Returns KT_OK, or KT_FAILED for this page (message on the engine).
 */
int kt_ocr_page(kt_ocr *o, struct Pix *pix, int dpi, kt_page_result *out,
		struct Pix **clean);

/*
 * kt_ocr_tiff: a lossless TIFF of pix in memory, with pix's resolution:
 * CCITT G4 when pix is 1 bpp, Deflate (zip) for any other depth.
 *   bytes  receives the file (malloc'd; caller frees with free())
 *   len    receives its length
 * Returns KT_OK, or KT_FATAL when it cannot be encoded (out of memory;
 * message in err).
 */
int kt_ocr_tiff(struct Pix *pix, unsigned char **bytes, size_t *len, kt_error *err);

/*
 * kt_ocr_page_copies: the master and the one-page searchable PDF of the page
 * kt_ocr_page just recognised, into r->master and r->page_pdf (see
 * kt_page_result). Call it right after kt_ocr_page(o, pix, dpi, r, &clean)
 * with that clean, so the PDF reuses the recognition (no second OCR pass).
 * A colour page's master is RGB Deflate and its access image an RGB JPEG; a
 * page enlarged for OCR keeps its own resolution in both (the PDF page keeps
 * its physical size, the text layer stays on the words); an untouched JPEG
 * page (r->source_jpeg) shows its own bytes; a JPEG larger than the page's
 * own bytes (r->source_bytes) is made again at a lower quality, down to 50;
 * a JPEG image is also Flate-compressed when that makes it smaller
 * (docs/ocr.md, "Master and access copy").
 *   clean   the cleaned page kt_ocr_page gave back; borrowed, not changed
 *   r       that page's result; master and page_pdf are set (owned by r)
 *   tmpdir  folder for the renderer's temporary file (NULL: $TMPDIR, /tmp)
 * Returns KT_OK, KT_FAILED (the PDF could not be made) or KT_FATAL (out of
 * memory); message on the engine. On failure r holds neither.
 */
int kt_ocr_page_copies(kt_ocr *o, struct Pix *clean, kt_page_result *r, const char *tmpdir);

/* ------------------------------------------------------- searchable PDF */

/*
 * One searchable PDF per document (the access copy): each page is the cleaned
 * page image with its recognised words as an invisible text layer, made by
 * Tesseract's PDF renderer. Use:
 *
 *   kt_ocr_pdf *pdf; kt_ocr_pdf_new(o, NULL, "title", &pdf);
 *   for each page: kt_ocr_page(o, pix, dpi, &r, &clean);
 *                  kt_ocr_pdf_add(pdf, clean, &r);
 *   kt_ocr_pdf_finish(pdf, &bytes, &len);  ... free(bytes);
 *   kt_ocr_pdf_free(&pdf);
 *
 * A page added right after its own kt_ocr_page call (same engine, nothing
 * recognised in between) reuses that recognition: no second OCR pass. Any
 * other page is recognised again with the model set its result names
 * (r->script), which costs one recognition. Blank pages get no text layer.
 * The renderer writes a file: it lives in the given folder (or , or
 * /tmp) as kt-pdf-XXXXXX.pdf, is read back by kt_ocr_pdf_finish and removed.
 * Errors are reported on the engine (kt_ocr_errmsg). One PDF at a time per
 * engine; the engine must outlive the PDF.
 */
typedef struct kt_ocr_pdf kt_ocr_pdf;

/*
 * kt_ocr_pdf_new: start a PDF.
 *   o       an initialised engine; borrowed, must outlive the PDF
 *   tmpdir  folder for the temporary file, or NULL for  (else /tmp)
 *   title   document title (UTF-8), or NULL
 *   out     receives the builder; caller frees with kt_ocr_pdf_free
 * Returns KT_OK, or KT_FAILED when the temporary file cannot be made.
 */
int kt_ocr_pdf_new(kt_ocr *o, const char *tmpdir, const char *title, kt_ocr_pdf **out);

/*
 * kt_ocr_pdf_add: add one page.
 *   clean  the cleaned page kt_ocr_page gave back; borrowed, not changed
 *   r      that page's result (its dpi, script, blank flag and serial); borrowed
 * Returns KT_OK or KT_FAILED (the PDF cannot be finished after a failure).
 */
int kt_ocr_pdf_add(kt_ocr_pdf *pdf, struct Pix *clean, const kt_page_result *r);

/*
 * kt_ocr_pdf_finish: end the document and hand over its bytes.
 *   bytes  receives the PDF (malloc'd; caller frees with free())
 *   len    receives its length
 * The temporary file is removed. Returns KT_OK or KT_FAILED; afterwards only
 * kt_ocr_pdf_free may be called.
 */
int kt_ocr_pdf_finish(kt_ocr_pdf *pdf, unsigned char **bytes, size_t *len);

/* kt_ocr_pdf_free: drop the builder (and its temporary file, if still there),
 * set *pdf to NULL; NULL is a no-op. */
void kt_ocr_pdf_free(kt_ocr_pdf **pdf);

/* ------------------------------------------ access copy, PDF/A (pdfa.c) */

/* What the access copy says of itself (Info dictionary and XMP alike). */
typedef struct kt_pdfa_info {
	const char *title;      /* dc:title and /Title (UTF-8), or NULL */
	const char *producer;   /* pdf:Producer and /Producer, or NULL: "kartoteka" */
	long long created;      /* xmp:CreateDate and /CreationDate, seconds since
	                         * the epoch (UTC); 0: now */
} kt_pdfa_info;

/*
 * kt_pdfa_document: the access copy of a document: one PDF of its pages in
 * order, with the PDF/A-2b markers (XMP metadata with pdfaid:part 2 and
 * conformance B, an sRGB OutputIntent /GTS_PDFA1, a trailer /ID, no
 * encryption). A page with a page_pdf is that one-page PDF's page; a page
 * without one (text_source "pdf": born-digital) is taken from the original,
 * which must then be a PDF, as it is. When no page has a page_pdf, the
 * original itself is the access copy: *bytes is NULL and KT_OK returned.
 *   pages     n page results; borrowed
 *   original  the document's file (original_len bytes); borrowed
 *   info      title, producer and time; borrowed; NULL: defaults
 *   bytes     receives the PDF (malloc'd; caller frees with free()) or NULL
 *   len       receives its length (0 with NULL)
 * Returns KT_OK; KT_FAILED when a page PDF or the original cannot be read or
 * a page has neither (message in err names the page); KT_FATAL when out of
 * memory.
 */
int kt_pdfa_document(const kt_page_result *pages, int n, const void *original,
		     size_t original_len, const kt_pdfa_info *info, unsigned char **bytes,
		     size_t *len, kt_error *err);

/* ------------------------------- the dossier of a case (pdfa_dossier.c) */

/* The cover's font when none is given (Debian's fonts-dejavu-core): it
 * covers the Latvian, Lithuanian and Russian letters. */
#define KT_DOSSIER_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

/* One document of a dossier; borrowed. */
typedef struct kt_dossier_part {
	const void *pdf;        /* the document's PDF (its access copy, or a
	                           born-digital original), len bytes */
	size_t len;
	const char *label;      /* its row of the table of contents (UTF-8):
	                           cells separated by tabs, one fewer than the
	                           header's (the page where it starts is added) */
} kt_dossier_part;

/* The cover page; everything borrowed, UTF-8. */
typedef struct kt_dossier_cover {
	const char *title;            /* the first line, set large; may be NULL */
	const char *const *lines;     /* n_lines lines under it (an entry may be NULL) */
	size_t n_lines;
	const char *contents_title;   /* above the table of contents; may be NULL */
	const char *contents_header;  /* the table's header row, cells separated
	                                 by tabs, the last one heading the page
	                                 where each document starts */
	const char *font_path;        /* a TrueType font, embedded; NULL:
	                                 KT_DOSSIER_FONT */
} kt_dossier_cover;

/*
 * kt_pdfa_dossier: one PDF of a case: a cover (title, lines, a table of
 * contents with the page where each document starts; more than one page when
 * the table is long) and then every page of every part, in order, as it is
 * (images and invisible text kept). The cover's text is set in the font of
 * cover->font_path, embedded (Type0, Identity-H, with a ToUnicode map). The
 * Info dictionary gets info's title, producer and time (no PDF/A markers).
 *   parts        n documents; borrowed
 *   first_pages  NULL, or n ints: the dossier page (from 1) where each part
 *                starts
 *   bytes        receives the PDF (malloc'd; caller frees with free())
 *   len          receives its length
 * Returns KT_OK; KT_FAILED when a part is not a readable PDF with pages (the
 * message names it by its place, from 1) or the font cannot be read (the
 * message names its path); KT_FATAL when out of memory.
 */
int kt_pdfa_dossier(const kt_dossier_part *parts, size_t n, const kt_dossier_cover *cover,
		    const kt_pdfa_info *info, int *first_pages, unsigned char **bytes, size_t *len,
		    kt_error *err);

#ifdef __cplusplus
}
#endif

#endif
