/*
 * pdfa.c - the access copy of a document (kt_pdfa_document): the one-page
 * searchable PDFs of its pages (kt_ocr_page_copies) and, for pages whose text
 * is the original PDF's own, the original's pages, merged in page order with
 * MuPDF (pdf_graft_page), with the PDF/A-2b markers: XMP metadata
 * (pdfaid:part 2, conformance B; dc:title, xmp:CreateDate and pdf:Producer
 * equal to the Info dictionary's), an OutputIntent /GTS_PDFA1 whose profile
 * is Little CMS's sRGB (cmsCreate_sRGBProfile), a trailer /ID, no
 * encryption. Saved with garbage collection, duplicate objects merged and
 * streams compressed (the XMP stream stays plain, as PDF/A wants).
 *
 * The one file with Little CMS, and with MuPDF beside source_pdf.c (which
 * reads PDFs). Every MuPDF call is inside fz_try/fz_catch on a context of
 * this call's own, and comes out as our status code and message.
 */
#include "ocr_private.h"

#include "kt_buf.h"
#include "kt_text.h"

#include "mupdf_private.h"

#include <lcms2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The output condition the sRGB profile stands for. */
#define KT_PDFA_CONDITION "sRGB IEC61966-2.1"

/* MuPDF's errors and warnings are ours to report, never printed. */
static void quiet(void *user, const char *message)
{
	(void)user;
	(void)message;
}

fz_context *kt_mupdf_new_quiet(void)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);

	if (ctx != NULL) {
		fz_set_error_callback(ctx, quiet, NULL);
		fz_set_warning_callback(ctx, quiet, NULL);
	}
	return ctx;
}

/* s made fit for XML text: markup escaped, control characters and bytes
 * that are not UTF-8 (and U+FFFE, U+FFFF) as '?'. */
static int put_xml(kt_buf *b, const char *s)
{
	size_t i = 0, n = strlen(s);
	int rc = KT_OK;

	while (i < n && rc == KT_OK) {
		size_t start = i;
		uint32_t cp = kt_utf8_next(s, n, &i);

		if (cp == '<')
			rc = kt_buf_puts(b, "&lt;");
		else if (cp == '>')
			rc = kt_buf_puts(b, "&gt;");
		else if (cp == '&')
			rc = kt_buf_puts(b, "&amp;");
		else if (cp == KT_UTF8_BAD || cp < 0x20 || cp == 0x7f || cp == 0xfffe || cp == 0xffff)
			rc = kt_buf_putc(b, '?');
		else
			rc = kt_buf_add(b, s + start, i - start);
	}
	return rc;
}

/* The same text as a PDF text string wants it: valid UTF-8 only. */
static char *clean_text(const char *s)
{
	kt_buf b = KT_BUF_INIT;
	size_t i = 0, n = strlen(s);
	int rc = KT_OK;

	while (i < n && rc == KT_OK) {
		size_t start = i;
		uint32_t cp = kt_utf8_next(s, n, &i);

		if (cp == KT_UTF8_BAD || cp < 0x20 || cp == 0x7f || cp == 0xfffe || cp == 0xffff)
			rc = kt_buf_putc(&b, '?');
		else
			rc = kt_buf_add(&b, s + start, i - start);
	}
	if (rc == KT_OK && kt_buf_puts(&b, "") == KT_OK)
		return kt_buf_detach(&b, NULL);
	kt_buf_release(&b);
	return NULL;
}

/* The XMP packet: the same title, producer and dates as the Info dictionary. */
static char *xmp_packet(const char *title, const char *producer, const char *when)
{
	kt_buf b = KT_BUF_INIT;
	int rc;

	rc = kt_buf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
			     "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
			     " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
			     "  <rdf:Description rdf:about=\"\"\n"
			     "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
			     "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
			     "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
			     "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
			     "   <dc:format>application/pdf</dc:format>\n");
	if (rc == KT_OK && title != NULL) {
		rc = kt_buf_puts(&b, "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		if (rc == KT_OK)
			rc = put_xml(&b, title);
		if (rc == KT_OK)
			rc = kt_buf_puts(&b, "</rdf:li></rdf:Alt></dc:title>\n");
	}
	if (rc == KT_OK)
		rc = kt_buf_printf(&b, "   <xmp:CreateDate>%s</xmp:CreateDate>\n"
				       "   <xmp:ModifyDate>%s</xmp:ModifyDate>\n"
				       "   <xmp:MetadataDate>%s</xmp:MetadataDate>\n"
				       "   <pdf:Producer>", when, when, when);
	if (rc == KT_OK)
		rc = put_xml(&b, producer);
	if (rc == KT_OK)
		rc = kt_buf_puts(&b, "</pdf:Producer>\n"
				     "   <pdfaid:part>2</pdfaid:part>\n"
				     "   <pdfaid:conformance>B</pdfaid:conformance>\n"
				     "  </rdf:Description>\n"
				     " </rdf:RDF>\n"
				     "</x:xmpmeta>\n"
				     "<?xpacket end=\"w\"?>\n");
	if (rc == KT_OK)
		return kt_buf_detach(&b, NULL);
	kt_buf_release(&b);
	return NULL;
}

/* Little CMS's sRGB profile in memory (malloc'd), or NULL. */
static unsigned char *srgb_profile(size_t *len)
{
	cmsHPROFILE h = cmsCreate_sRGBProfile();
	cmsUInt32Number n = 0;
	unsigned char *icc = NULL;

	*len = 0;
	if (h == NULL)
		return NULL;
	if (cmsSaveProfileToMem(h, NULL, &n) && n > 0 && (icc = malloc(n)) != NULL &&
	    !cmsSaveProfileToMem(h, icc, &n)) {
		free(icc);
		icc = NULL;
	}
	cmsCloseProfile(h);
	if (icc != NULL)
		*len = n;
	return icc;
}

/* A PDF held in memory (borrowed), opened; an empty user password is tried. */
static pdf_document *open_pdf(fz_context *ctx, const void *data, size_t len)
{
	fz_stream *stm = fz_open_memory(ctx, data, len);
	pdf_document *doc = NULL;

	fz_try(ctx)
	{
		doc = pdf_open_document_with_stream(ctx, stm);
		if (pdf_needs_password(ctx, doc) && !pdf_authenticate_password(ctx, doc, ""))
			fz_throw(ctx, FZ_ERROR_GENERIC, "encrypted PDF that needs a password");
	}
	fz_always(ctx)
		fz_drop_stream(ctx, stm);
	fz_catch(ctx)
	{
		pdf_drop_document(ctx, doc);
		fz_rethrow(ctx);
	}
	return doc;
}

/* What the markers say: title, producer, both forms of the time. */
typedef struct markers {
	char *title;              /* cleaned, or NULL */
	const char *producer;
	char xmp_time[32];        /* 2024-03-01T12:00:00Z */
	char pdf_time[32];        /* D:20240301120000Z */
	char *xmp;
	unsigned char *icc;
	size_t icc_len;
	unsigned char id[16];
} markers;

static int markers_make(markers *m, const kt_page_result *pages, int n, const kt_pdfa_info *info)
{
	time_t t = info && info->created > 0 ? (time_t)info->created : time(NULL);
	struct tm tm;
	fz_md5 md5;
	int i;

	memset(m, 0, sizeof *m);
	m->producer = info && info->producer ? info->producer : "kartoteka";
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	strftime(m->xmp_time, sizeof m->xmp_time, "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(m->pdf_time, sizeof m->pdf_time, "D:%Y%m%d%H%M%SZ", &tm);
	if (info && info->title && (m->title = clean_text(info->title)) == NULL)
		return KT_FATAL;
	m->xmp = xmp_packet(m->title, m->producer, m->xmp_time);
	m->icc = srgb_profile(&m->icc_len);
	if (m->xmp == NULL || m->icc == NULL)
		return KT_FATAL;
	/* The file identifier: a digest of what the copy is made of, so the same
	 * pages at the same time give the same bytes. */
	fz_md5_init(&md5);
	for (i = 0; i < n; i++)
		if (pages[i].page_pdf != NULL)
			fz_md5_update(&md5, pages[i].page_pdf, pages[i].page_pdf_len);
	fz_md5_update(&md5, (const unsigned char *)m->xmp, strlen(m->xmp));
	fz_md5_final(&md5, m->id);
	return KT_OK;
}

static void markers_free(markers *m)
{
	free(m->title);
	free(m->xmp);
	free(m->icc);
}

/* The stream of a buffer made from bytes (copied), with dict's entries. */
static pdf_obj *add_stream(fz_context *ctx, pdf_document *doc, const void *data, size_t len,
			   pdf_obj *dict)
{
	fz_buffer *buf = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)data, len);
	pdf_obj *ref = NULL;

	fz_try(ctx)
		ref = pdf_add_stream(ctx, doc, buf, dict, 0);
	fz_always(ctx)
		fz_drop_buffer(ctx, buf);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return ref;
}

/* Info, XMP, OutputIntent and /ID on the merged document. */
static void put_markers(fz_context *ctx, pdf_document *doc, const markers *m)
{
	pdf_obj *trailer = pdf_trailer(ctx, doc), *root = pdf_dict_get(ctx, trailer, PDF_NAME(Root));
	pdf_obj *info = NULL, *dict = NULL, *oi = NULL, *arr = NULL;

	fz_var(info);
	fz_var(dict);
	fz_var(oi);
	fz_var(arr);
	fz_try(ctx)
	{
		info = pdf_new_dict(ctx, doc, 4);
		if (m->title != NULL)
			pdf_dict_put_text_string(ctx, info, PDF_NAME(Title), m->title);
		pdf_dict_put_text_string(ctx, info, PDF_NAME(Producer), m->producer);
		pdf_dict_put_string(ctx, info, PDF_NAME(CreationDate), m->pdf_time, strlen(m->pdf_time));
		pdf_dict_put_string(ctx, info, PDF_NAME(ModDate), m->pdf_time, strlen(m->pdf_time));
		pdf_dict_put_drop(ctx, trailer, PDF_NAME(Info), pdf_add_object(ctx, doc, info));

		dict = pdf_new_dict(ctx, doc, 2);
		pdf_dict_put(ctx, dict, PDF_NAME(Type), PDF_NAME(Metadata));
		pdf_dict_put(ctx, dict, PDF_NAME(Subtype), PDF_NAME(XML));
		pdf_dict_put_drop(ctx, root, PDF_NAME(Metadata),
				  add_stream(ctx, doc, m->xmp, strlen(m->xmp), dict));
		pdf_drop_obj(ctx, dict);
		dict = NULL;

		dict = pdf_new_dict(ctx, doc, 1);
		pdf_dict_put_int(ctx, dict, PDF_NAME(N), 3);
		oi = pdf_new_dict(ctx, doc, 5);
		pdf_dict_put(ctx, oi, PDF_NAME(Type), PDF_NAME(OutputIntent));
		pdf_dict_put_drop(ctx, oi, PDF_NAME(S), pdf_new_name(ctx, "GTS_PDFA1"));
		pdf_dict_put_text_string(ctx, oi, PDF_NAME(OutputConditionIdentifier), KT_PDFA_CONDITION);
		pdf_dict_put_text_string(ctx, oi, PDF_NAME(Info), KT_PDFA_CONDITION);
		pdf_dict_put_drop(ctx, oi, PDF_NAME(DestOutputProfile),
				  add_stream(ctx, doc, m->icc, m->icc_len, dict));
		arr = pdf_new_array(ctx, doc, 1);
		pdf_array_push_drop(ctx, arr, pdf_add_object(ctx, doc, oi));
		pdf_dict_put(ctx, root, PDF_NAME(OutputIntents), arr);

		pdf_drop_obj(ctx, arr);
		arr = pdf_new_array(ctx, doc, 2);
		pdf_array_push_drop(ctx, arr, pdf_new_string(ctx, (const char *)m->id, 16));
		pdf_array_push_drop(ctx, arr, pdf_new_string(ctx, (const char *)m->id, 16));
		pdf_dict_put(ctx, trailer, PDF_NAME(ID), arr);
	}
	fz_always(ctx)
	{
		pdf_drop_obj(ctx, info);
		pdf_drop_obj(ctx, dict);
		pdf_drop_obj(ctx, oi);
		pdf_drop_obj(ctx, arr);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* Whether any page has a PDF of its own (else the original is the copy). */
static int any_page_pdf(const kt_page_result *pages, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pages[i].page_pdf != NULL)
			return 1;
	return 0;
}

int kt_pdfa_document(const kt_page_result *pages, int n, const void *original,
		     size_t original_len, const kt_pdfa_info *info, unsigned char **bytes,
		     size_t *len, kt_error *err)
{
	fz_context *ctx;
	pdf_document *dst = NULL, *src = NULL, *orig = NULL;
	pdf_graft_map *omap = NULL;
	const void *orig_bytes = NULL;	/* what orig was opened from */
	markers m;
	int i = 0, rc = KT_OK;
	volatile int failed = 0, oom = 0;	/* set after a longjmp */
	char why[256] = "";

	*bytes = NULL;
	*len = 0;
	if (n <= 0 || !any_page_pdf(pages, n))
		return KT_OK;
	if (markers_make(&m, pages, n, info) != KT_OK) {
		markers_free(&m);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	for (i = 0; i < n; i++)
		if (pages[i].page_pdf == NULL && pages[i].own_pdf == NULL &&
		    (original == NULL || !kt_is_pdf(original, original_len))) {
			markers_free(&m);
			return kt_error_set(err, KT_FAILED, "access copy: page %d has no PDF of its "
					    "own and the original is not a PDF", i + 1);
		}
	ctx = kt_mupdf_new_quiet();
	if (ctx == NULL) {
		markers_free(&m);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	fz_var(dst);
	fz_var(src);
	fz_var(orig);
	fz_var(omap);
	fz_var(orig_bytes);
	fz_var(i);
	i = -1;
	fz_try(ctx)
	{
		pdf_write_options opts = pdf_default_write_options;

		dst = pdf_create_document(ctx);
		for (i = 0; i < n; i++) {
			if (pages[i].page_pdf != NULL) {
				src = open_pdf(ctx, pages[i].page_pdf, pages[i].page_pdf_len);
				if (pdf_count_pages(ctx, src) != 1)
					fz_throw(ctx, FZ_ERROR_GENERIC, "its PDF has %d pages, not one",
						 pdf_count_pages(ctx, src));
				pdf_graft_page(ctx, dst, -1, src, 0);
				pdf_drop_document(ctx, src);
				src = NULL;
				continue;
			}
			/* a born-digital page: its PDF's own (the original's, or a
			 * container's data file's), as it is; one PDF open at a time */
			{
				const void *own = pages[i].own_pdf ? pages[i].own_pdf : original;
				size_t own_len = pages[i].own_pdf ? pages[i].own_pdf_len : original_len;
				int at = pages[i].own_pdf ? pages[i].own_page : i;

				if (orig == NULL || own != orig_bytes) {
					pdf_drop_graft_map(ctx, omap);
					omap = NULL;
					pdf_drop_document(ctx, orig);
					orig = NULL;
					orig = open_pdf(ctx, own, own_len);
					orig_bytes = own;
					omap = pdf_new_graft_map(ctx, dst);
				}
				if (at < 0 || at >= pdf_count_pages(ctx, orig))
					fz_throw(ctx, FZ_ERROR_GENERIC, "its PDF has %d pages",
						 pdf_count_pages(ctx, orig));
				pdf_graft_mapped_page(ctx, omap, -1, orig, at);
			}
		}
		i = -1;
		put_markers(ctx, dst, &m);
		opts.do_garbage = 3;        /* collect, renumber, merge duplicates */
		opts.do_compress = 1;       /* MuPDF leaves the XMP stream plain */
		opts.do_compress_images = 1;
		opts.do_compress_fonts = 1;
		opts.dont_regenerate_id = 1; /* keep the /ID above */
		kt_mupdf_save(ctx, dst, &opts, 64 * 1024, bytes, len);
	}
	fz_always(ctx)
	{
		pdf_drop_graft_map(ctx, omap);
		pdf_drop_document(ctx, src);
		pdf_drop_document(ctx, orig);
		pdf_drop_document(ctx, dst);
	}
	fz_catch(ctx)
	{
		failed = 1;
		oom = kt_mupdf_caught(ctx, why, sizeof why);
	}
	fz_drop_context(ctx);
	markers_free(&m);
	if (oom)
		rc = kt_error_set(err, KT_FATAL, "access copy: out of memory");
	else if (failed && i >= 0)
		rc = kt_error_set(err, KT_FAILED, "access copy: cannot take page %d: %s", i + 1, why);
	else if (failed)
		rc = kt_error_set(err, KT_FAILED, "access copy: cannot write the PDF: %s", why);
	return rc;
}

/* ------------------------------------------------- a page's access image */

/* The first image XObject of page 0 (borrowed), or NULL. */
static pdf_obj *page_image(fz_context *ctx, pdf_document *doc)
{
	pdf_obj *page = pdf_lookup_page_obj(ctx, doc, 0);
	pdf_obj *xobj = pdf_dict_getp(ctx, page, "Resources/XObject");
	int k, n = pdf_dict_len(ctx, xobj);

	for (k = 0; k < n; k++) {
		pdf_obj *im = pdf_dict_get_val(ctx, xobj, k);

		if (pdf_name_eq(ctx, pdf_dict_get(ctx, im, PDF_NAME(Subtype)), PDF_NAME(Image)))
			return im;
	}
	return NULL;
}

/* The image stream ref made img: its bytes and what they are. */
static void put_image(fz_context *ctx, pdf_document *doc, pdf_obj *ref, const kt_access_image *img)
{
	fz_buffer *buf = fz_new_buffer_from_copied_data(ctx, img->data, img->len);

	fz_try(ctx)
	{
		pdf_dict_del(ctx, ref, PDF_NAME(DecodeParms));
		pdf_dict_del(ctx, ref, PDF_NAME(Decode));
		pdf_dict_del(ctx, ref, PDF_NAME(SMask));
		pdf_dict_put_int(ctx, ref, PDF_NAME(Width), img->width);
		pdf_dict_put_int(ctx, ref, PDF_NAME(Height), img->height);
		pdf_dict_put_int(ctx, ref, PDF_NAME(BitsPerComponent), img->bpc);
		pdf_dict_put(ctx, ref, PDF_NAME(ColorSpace),
			     img->spp == 3 ? PDF_NAME(DeviceRGB) : PDF_NAME(DeviceGray));
		pdf_dict_put(ctx, ref, PDF_NAME(Filter),
			     img->dct ? PDF_NAME(DCTDecode) : PDF_NAME(FlateDecode));
		pdf_update_stream(ctx, doc, ref, buf, 1);
	}
	fz_always(ctx)
		fz_drop_buffer(ctx, buf);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* A JPEG stream Flate-compressed as well when that saves 3% or more. */
static void deflate_jpeg(fz_context *ctx, pdf_document *doc, pdf_obj *ref)
{
	fz_buffer *raw = NULL, *z = NULL;
	pdf_obj *arr = NULL;
	unsigned char *data = NULL;
	size_t n, zn;

	if (!pdf_name_eq(ctx, pdf_dict_get(ctx, ref, PDF_NAME(Filter)), PDF_NAME(DCTDecode)))
		return;
	fz_var(raw);
	fz_var(z);
	fz_var(arr);
	fz_try(ctx)
	{
		raw = pdf_load_raw_stream(ctx, ref);
		n = fz_buffer_storage(ctx, raw, &data);
		zn = fz_deflate_bound(ctx, n);
		z = fz_new_buffer(ctx, zn);
		fz_deflate(ctx, z->data, &zn, data, n, FZ_DEFLATE_BEST);
		z->len = zn;
		if (zn + n / 33 < n) {
			arr = pdf_new_array(ctx, doc, 2);
			pdf_array_push(ctx, arr, PDF_NAME(FlateDecode));
			pdf_array_push(ctx, arr, PDF_NAME(DCTDecode));
			pdf_dict_put(ctx, ref, PDF_NAME(Filter), arr);
			pdf_update_stream(ctx, doc, ref, z, 1);
		}
	}
	fz_always(ctx)
	{
		pdf_drop_obj(ctx, arr);
		fz_drop_buffer(ctx, z);
		fz_drop_buffer(ctx, raw);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int kt_pdfa_page_image(unsigned char **pdf, size_t *len, const kt_access_image *img,
		       kt_error *err)
{
	fz_context *ctx = kt_mupdf_new_quiet();
	pdf_document *doc = NULL;
	volatile int failed = 0, oom = 0;
	char why[256] = "";
	unsigned char *copy = NULL;
	size_t size = 0;

	if (ctx == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	fz_var(doc);
	fz_var(copy);
	fz_try(ctx)
	{
		pdf_write_options opts = pdf_default_write_options;
		pdf_obj *im;

		doc = open_pdf(ctx, *pdf, *len);
		im = page_image(ctx, doc);
		if (im == NULL)
			fz_throw(ctx, FZ_ERROR_GENERIC, "the page PDF has no image");
		if (img != NULL)
			put_image(ctx, doc, im, img);
		deflate_jpeg(ctx, doc, im);
		opts.do_garbage = 1;
		kt_mupdf_save(ctx, doc, &opts, *len, &copy, &size);
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx)
	{
		failed = 1;
		oom = kt_mupdf_caught(ctx, why, sizeof why);
	}
	fz_drop_context(ctx);
	if (oom)
		return kt_error_set(err, KT_FATAL, "access image: out of memory");
	if (failed)
		return kt_error_set(err, KT_FAILED, "access image: %s", why);
	free(*pdf);
	*pdf = copy;
	*len = size;
	return KT_OK;
}

/* ------------------------------------------- writing, shared (mupdf_private.h) */

void kt_mupdf_save(fz_context *ctx, pdf_document *doc, pdf_write_options *opts, size_t hint,
		   unsigned char **bytes, size_t *len)
{
	fz_buffer *buf = NULL;
	fz_output *out = NULL;

	fz_var(buf);
	fz_var(out);
	fz_try(ctx)
	{
		unsigned char *data = NULL;
		size_t size;

		buf = fz_new_buffer(ctx, hint > 0 ? hint : 64 * 1024);
		out = fz_new_output_with_buffer(ctx, buf);
		pdf_write_document(ctx, doc, out, opts);
		fz_close_output(ctx, out);
		size = fz_buffer_storage(ctx, buf, &data);
		if ((*bytes = malloc(size ? size : 1)) == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
		memcpy(*bytes, data, size);
		*len = size;
	}
	fz_always(ctx)
	{
		fz_drop_output(ctx, out);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int kt_mupdf_caught(fz_context *ctx, char *why, size_t size)
{
	/* one line of printable ASCII, whatever the file said */
	snprintf(why, size, "%s", fz_caught_message(ctx));
	for (char *c = why; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	return fz_caught(ctx) == FZ_ERROR_MEMORY;
}
