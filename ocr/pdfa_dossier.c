/*
 * pdfa_dossier.c - the dossier of a case (kt_pdfa_dossier): one searchable
 * PDF made of a cover (the case's data and a table of contents giving the
 * page where each document starts) and then every document's PDF, its pages
 * taken as they are (pdf_graft_mapped_page), so each keeps its image and its
 * invisible text layer.
 *
 * The cover's text is set in a TrueType font read from a file (DejaVu Sans
 * by default, Debian's fonts-dejavu-core), which covers the Latvian,
 * Lithuanian and Russian letters; MuPDF's PDF device embeds it as a Type0
 * font with Identity-H encoding and a ToUnicode map, so the cover's text is
 * searchable and copyable too.
 *
 * MuPDF beside source_pdf.c and pdfa.c: every call is inside
 * fz_try/fz_catch on a context of this call's own and comes out as our
 * status code and message.
 */
#include "ocr_private.h"

#include "kt_strv.h"
#include "kt_vec.h"

#include "mupdf_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A4 in points, and the cover's margin (2 cm). */
#define PAGE_W 595.276f
#define PAGE_H 841.890f
#define MARGIN 56.693f
#define TITLE_SIZE 16.0f
#define TEXT_SIZE 10.5f
#define HEAD_SIZE 12.0f
#define TABLE_SIZE 9.0f
#define LEADING 1.45f
#define COL_GAP 12.0f
#define MAX_COLS 12

/* One piece of text on the cover: where its baseline starts, its size. */
typedef struct item {
	const char *text;     /* borrowed (cover, parts or cells) */
	float x, y, size;
	int page;             /* cover page, from 0 */
} item;

/* The cover being laid out: the items (kt_vec of item) and the strings
 * made for it (cells, page numbers). */
typedef struct cover {
	kt_vec items;
	kt_strv owned;
	int page;             /* current page */
	float y;              /* current baseline */
} cover;

static void cover_init(cover *c)
{
	memset(c, 0, sizeof *c);
	kt_vec_init(&c->items, sizeof(item));
}

static void cover_free(cover *c)
{
	kt_vec_release(&c->items);
	kt_strv_release(&c->owned);
	c->page = 0;
}

/* Keep a copy of s[0..len) with the cover; the copy, or NULL when out of
 * memory. */
static const char *own(cover *c, const char *s, size_t len)
{
	if (kt_strv_pushn(&c->owned, s, len) != KT_OK)
		return NULL;
	return c->owned.v[c->owned.n - 1];
}

/* Add a piece of text at x on the current line. 0, or -1 out of memory. */
static int put(cover *c, const char *text, float x, float size)
{
	item it = { text, x, c->y, size, c->page };

	return kt_vec_push(&c->items, &it) == KT_OK ? 0 : -1;
}

/* Move to the next line of height size * LEADING; a new page when it does
 * not fit. Returns 1 when a new page was begun. */
static int next_line(cover *c, float size)
{
	c->y += size * LEADING;
	if (c->y > PAGE_H - MARGIN) {
		c->page++;
		c->y = MARGIN + size;
		return 1;
	}
	return 0;
}

/* Split a tab-separated line into at most MAX_COLS cells (each kept by the
 * cover); the number of cells, or -1 when out of memory. */
static int split_cells(cover *c, const char *line, const char **cells)
{
	int k = 0;

	while (k < MAX_COLS) {
		size_t len = strcspn(line, "\t");

		if ((cells[k++] = own(c, line, len)) == NULL)
			return -1;
		if (line[len] != '\t')
			break;
		line += len + 1;
	}
	return k;
}

/* The advance width of s in font at size. */
static float width(fz_context *ctx, fz_font *font, const char *s, float size)
{
	fz_matrix m = fz_measure_string(ctx, font, fz_scale(size, -size), s, 0, 0, FZ_BIDI_LTR,
					FZ_LANG_UNSET);

	return m.e;
}

/* The table of contents: the header's columns, then one row per part with
 * its first page appended. Columns are as wide as their widest cell; a table
 * wider than the page is set smaller. The header is repeated on each page.
 * 0, or -1 when out of memory. */
static int lay_table(fz_context *ctx, fz_font *font, cover *c, const kt_dossier_cover *in,
		     const kt_dossier_part *parts, size_t n, const int *first_page)
{
	const char *head[MAX_COLS], **rows = NULL;
	float colw[MAX_COLS] = { 0 }, x[MAX_COLS], size = TABLE_SIZE, total = 0;
	int k, j, rc = -1;
	size_t i;

	if ((k = split_cells(c, in->contents_header ? in->contents_header : "", head)) < 0)
		return -1;
	rows = calloc(n * MAX_COLS + 1, sizeof *rows);
	if (rows == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		char num[24];
		int m = split_cells(c, parts[i].label ? parts[i].label : "", rows + i * MAX_COLS);

		if (m < 0)
			goto out;
		/* the page where it starts in the last column, missing cells empty */
		snprintf(num, sizeof num, "%d", first_page[i]);
		for (j = m; j < k - 1; j++)
			rows[i * MAX_COLS + j] = "";
		if ((rows[i * MAX_COLS + k - 1] = own(c, num, strlen(num))) == NULL)
			goto out;
	}
	for (j = 0; j < k; j++) {
		colw[j] = width(ctx, font, head[j], size);
		for (i = 0; i < n; i++) {
			float w = width(ctx, font, rows[i * MAX_COLS + j], size);

			if (w > colw[j])
				colw[j] = w;
		}
		total += colw[j] + (j + 1 < k ? COL_GAP : 0);
	}
	if (total > PAGE_W - 2 * MARGIN) {
		float scale = (PAGE_W - 2 * MARGIN) / total;

		size *= scale < 0.55f ? 0.55f : scale;
		for (j = 0; j < k; j++)
			colw[j] *= scale < 0.55f ? 0.55f : scale;
	}
	x[0] = MARGIN;
	for (j = 1; j < k; j++)
		x[j] = x[j - 1] + colw[j - 1] + COL_GAP * (size / TABLE_SIZE);
	for (j = 0; j < k; j++)
		if (put(c, head[j], x[j], size) != 0)
			goto out;
	for (i = 0; i < n; i++) {
		if (next_line(c, size)) { /* a new page: the header again */
			for (j = 0; j < k; j++)
				if (put(c, head[j], x[j], size) != 0)
					goto out;
			next_line(c, size);
		}
		for (j = 0; j < k; j++)
			if (put(c, rows[i * MAX_COLS + j], x[j], size) != 0)
				goto out;
	}
	rc = 0;
out:
	free(rows);
	return rc;
}

/* Lay the cover out: title, lines, heading, table. 0 or -1 (out of memory). */
static int lay_cover(fz_context *ctx, fz_font *font, cover *c, const kt_dossier_cover *in,
		     const kt_dossier_part *parts, size_t n, const int *first_page)
{
	size_t i;

	c->page = 0;
	c->y = MARGIN + TITLE_SIZE;
	if (in->title != NULL && put(c, in->title, MARGIN, TITLE_SIZE) != 0)
		return -1;
	next_line(c, TITLE_SIZE);
	for (i = 0; i < in->n_lines; i++) {
		next_line(c, TEXT_SIZE);
		if (in->lines[i] != NULL && put(c, in->lines[i], MARGIN, TEXT_SIZE) != 0)
			return -1;
	}
	next_line(c, TEXT_SIZE);
	next_line(c, HEAD_SIZE);
	if (in->contents_title != NULL && put(c, in->contents_title, MARGIN, HEAD_SIZE) != 0)
		return -1;
	next_line(c, TABLE_SIZE);
	return lay_table(ctx, font, c, in, parts, n, first_page);
}

/* Draw cover page p's items on a new page inserted at index p of doc. */
static void draw_page(fz_context *ctx, pdf_document *doc, fz_font *font, const cover *c, int p)
{
	fz_rect box = fz_make_rect(0, 0, PAGE_W, PAGE_H);
	const float black[1] = { 0 };
	pdf_obj *res = NULL, *page = NULL;
	fz_buffer *contents = NULL;
	fz_device *dev = NULL;
	fz_text *text = NULL;
	size_t i;

	fz_var(res);
	fz_var(page);
	fz_var(contents);
	fz_var(dev);
	fz_var(text);
	fz_try(ctx)
	{
		dev = pdf_page_write(ctx, doc, box, &res, &contents);
		text = fz_new_text(ctx);
		for (i = 0; i < c->items.len; i++) {
			const item *it = (const item *)c->items.data + i;

			if (it->page == p && it->text[0] != '\0') {
				fz_matrix trm = fz_scale(it->size, -it->size);

				trm.e = it->x;
				trm.f = it->y;
				fz_show_string(ctx, text, font, trm, it->text, 0, 0, FZ_BIDI_LTR,
					       FZ_LANG_UNSET);
			}
		}
		fz_fill_text(ctx, dev, text, fz_identity, fz_device_gray(ctx), black, 1,
			     fz_default_color_params);
		fz_close_device(ctx, dev);
		page = pdf_add_page(ctx, doc, box, 0, res, contents);
		pdf_insert_page(ctx, doc, p, page);
	}
	fz_always(ctx)
	{
		fz_drop_text(ctx, text);
		fz_drop_device(ctx, dev);
		pdf_drop_obj(ctx, page);
		pdf_drop_obj(ctx, res);
		fz_drop_buffer(ctx, contents);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* Open a PDF held in memory (borrowed); one that needs a password is
 * refused. */
static pdf_document *open_part(fz_context *ctx, const void *data, size_t len)
{
	fz_stream *stm = fz_open_memory(ctx, data, len);
	pdf_document *doc = NULL;

	fz_var(doc);
	fz_try(ctx)
	{
		doc = pdf_open_document_with_stream(ctx, stm);
		if (pdf_needs_password(ctx, doc) && !pdf_authenticate_password(ctx, doc, ""))
			fz_throw(ctx, FZ_ERROR_GENERIC, "it needs a password");
		if (pdf_count_pages(ctx, doc) < 1)
			fz_throw(ctx, FZ_ERROR_GENERIC, "it has no pages");
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

/* Append every page of part i to dst; its page count into *pages. */
static void graft_part(fz_context *ctx, pdf_document *dst, const kt_dossier_part *part, int *pages)
{
	pdf_document *src = NULL;
	pdf_graft_map *map = NULL;
	int k, n;

	fz_var(src);
	fz_var(map);
	fz_try(ctx)
	{
		src = open_part(ctx, part->pdf, part->len);
		n = pdf_count_pages(ctx, src);
		map = pdf_new_graft_map(ctx, dst);
		for (k = 0; k < n; k++)
			pdf_graft_mapped_page(ctx, map, -1, src, k);
		*pages = n;
	}
	fz_always(ctx)
	{
		pdf_drop_graft_map(ctx, map);
		pdf_drop_document(ctx, src);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* The Info dictionary: title, producer, creation time. */
static void put_info(fz_context *ctx, pdf_document *doc, const kt_pdfa_info *info)
{
	time_t t = info && info->created > 0 ? (time_t)info->created : time(NULL);
	pdf_obj *dict = pdf_new_dict(ctx, doc, 4);
	char when[32];
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	strftime(when, sizeof when, "D:%Y%m%d%H%M%SZ", &tm);
	fz_try(ctx)
	{
		if (info && info->title)
			pdf_dict_put_text_string(ctx, dict, PDF_NAME(Title), info->title);
		pdf_dict_put_text_string(ctx, dict, PDF_NAME(Producer),
					 info && info->producer ? info->producer : "kartoteka");
		pdf_dict_put_string(ctx, dict, PDF_NAME(CreationDate), when, strlen(when));
		pdf_dict_put_string(ctx, dict, PDF_NAME(ModDate), when, strlen(when));
		pdf_dict_put_drop(ctx, pdf_trailer(ctx, doc), PDF_NAME(Info), pdf_add_object(ctx, doc, dict));
	}
	fz_always(ctx)
		pdf_drop_obj(ctx, dict);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* Check the arguments; KT_OK or KT_FAILED with the message. */
static int check_args(const kt_dossier_part *parts, size_t n, const kt_dossier_cover *in,
		      kt_error *err)
{
	size_t i;

	if (in == NULL || (n > 0 && parts == NULL) || n > 100000)
		return kt_error_set(err, KT_FAILED, "dossier: no cover or parts given");
	for (i = 0; i < n; i++)
		if (parts[i].pdf == NULL || parts[i].len == 0 || !kt_is_pdf(parts[i].pdf, parts[i].len))
			return kt_error_set(err, KT_FAILED, "dossier: document %zu is not a PDF", i + 1);
	if (access(in->font_path ? in->font_path : KT_DOSSIER_FONT, R_OK) != 0)
		return kt_error_set(err, KT_FAILED, "dossier: cannot read the cover's font '%s' (Debian"
				    " package fonts-dejavu-core)", in->font_path ? in->font_path
										 : KT_DOSSIER_FONT);
	return KT_OK;
}

/* Lay the cover out until the page numbers it gives agree with its own
 * length: first_page[i] = cover pages + the pages before part i + 1.
 * 0, or -1 out of memory. */
static int lay_out(fz_context *ctx, fz_font *font, cover *c, const kt_dossier_cover *in,
		   const kt_dossier_part *parts, size_t n, const int *pages, int *first_page)
{
	int cover_pages = 1, tries;
	size_t i;

	for (tries = 0; tries < 4; tries++) {
		int at = cover_pages + 1;

		for (i = 0; i < n; i++) {
			first_page[i] = at;
			at += pages[i];
		}
		cover_free(c);
		cover_init(c);
		if (lay_cover(ctx, font, c, in, parts, n, first_page) != 0)
			return -1;
		if (c->page + 1 == cover_pages)
			return 0;
		cover_pages = c->page + 1;
	}
	return 0;
}

int kt_pdfa_dossier(const kt_dossier_part *parts, size_t n, const kt_dossier_cover *in,
		    const kt_pdfa_info *info, int *first_pages, unsigned char **bytes, size_t *len,
		    kt_error *err)
{
	fz_context *ctx;
	fz_font *font = NULL;
	pdf_document *dst = NULL;
	cover c;
	int *pages = NULL, *first = NULL;
	volatile int failed = 0, oom = 0;
	int p, rc;
	size_t i = 0;
	char why[256] = "";

	*bytes = NULL;
	*len = 0;
	if ((rc = check_args(parts, n, in, err)) != KT_OK)
		return rc;
	cover_init(&c);
	pages = calloc(n + 1, sizeof *pages);
	first = calloc(n + 1, sizeof *first);
	ctx = kt_mupdf_new_quiet();
	if (ctx == NULL || pages == NULL || first == NULL) {
		free(pages);
		free(first);
		fz_drop_context(ctx);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	fz_var(font);
	fz_var(dst);
	fz_var(i);
	fz_try(ctx)
	{
		pdf_write_options opts = pdf_default_write_options;

		font = fz_new_font_from_file(ctx, NULL, in->font_path ? in->font_path : KT_DOSSIER_FONT,
					     0, 0);
		dst = pdf_create_document(ctx);
		for (i = 0; i < n; i++)
			graft_part(ctx, dst, &parts[i], &pages[i]);
		i = n;
		if (lay_out(ctx, font, &c, in, parts, n, pages, first) != 0)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
		for (p = 0; p <= c.page; p++)
			draw_page(ctx, dst, font, &c, p);
		put_info(ctx, dst, info);
		opts.do_garbage = 3;
		opts.do_compress = 1;
		opts.do_compress_images = 1;
		opts.do_compress_fonts = 1;
		kt_mupdf_save(ctx, dst, &opts, 256 * 1024, bytes, len);
		if (first_pages != NULL)
			memcpy(first_pages, first, n * sizeof *first);
	}
	fz_always(ctx)
	{
		pdf_drop_document(ctx, dst);
		fz_drop_font(ctx, font);
	}
	fz_catch(ctx)
	{
		failed = 1;
		oom = kt_mupdf_caught(ctx, why, sizeof why);
	}
	fz_drop_context(ctx);
	cover_free(&c);
	free(pages);
	free(first);
	if (oom)
		return kt_error_set(err, KT_FATAL, "dossier: out of memory");
	if (failed && i < n)
		return kt_error_set(err, KT_FAILED, "dossier: cannot take document %zu: %s", i + 1, why);
	if (failed)
		return kt_error_set(err, KT_FAILED, "dossier: cannot write the PDF: %s", why);
	return KT_OK;
}
