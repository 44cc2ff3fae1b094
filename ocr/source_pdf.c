/*
 * source_pdf.c - PDF as a format of kt_source, with MuPDF: the one file of
 * kartoteka that includes MuPDF's headers (docs/ocr.md, "PDF input").
 *
 * A page is rendered from its contents only (fz_run_page_contents: no
 * annotations, no form widgets) at the resolution of its largest image,
 * 150-600 dpi, 300 when it has none; /Rotate is honoured by MuPDF's page
 * transform. A page whose largest image is 1 bit per pixel (a G4 or JBIG2
 * scan) covering half the page or more comes out 1 bpp, as a bitonal TIFF. Its visible text (born-digital PDF) is read with MuPDF's
 * structured text through a filter device that drops ignore_text, which is
 * where MuPDF's interpreter sends invisible (render mode 3) text, the text
 * layer scanners and OCR tools add (pdf-op-run.c: doinvisible ->
 * fz_ignore_text).
 *
 * MuPDF throws (fz_try/fz_catch, setjmp): every call is caught here and
 * becomes our status code with a single-line message on the caller's slot.
 * JavaScript is never enabled (pdf_enable_js is never called) and embedded
 * files are never read.
 *
 * Threads: a source has one base context with pthread locks (fz_locks_context)
 * and a capped allocator shared by every clone. The document is touched
 * (load a page, run its contents into a display list or the text device,
 * drop the page) by one thread at a time, under the source's doc_mu, each
 * call on its own cloned context; the display list is sized and rendered on
 * that clone outside the mutex, so the pages of one PDF render in parallel.
 */
#include "ocr_private.h"
#include "mupdf_private.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MuPDF's resource store (fonts, decoded images) per source. */
#define KT_PDF_STORE ((size_t)64 << 20)

struct kt_pdf {
	char *name;
	long max_pixels;
	fz_context *ctx;            /* base context: open and free only */
	pdf_document *doc;
	int npages;
	pthread_mutex_t doc_mu;     /* the document: one thread at a time */
	pthread_mutex_t locks[FZ_LOCK_MAX];
	fz_locks_context lc;
	fz_alloc_context ac;
	atomic_size_t used;         /* bytes MuPDF holds for this source */
	size_t *coded;              /* per page, set by kt_pdf_page: the bytes of
	                             * its scan (kt_pdf_page_coded); each slot is
	                             * written and read by the thread of its page */
};

/* ------------------------------------------------------ memory and locks */

/* Every block carries its size in front, so the cap can be kept exactly. */
typedef union blk_head {
	size_t n;
	max_align_t align;
} blk_head;

static int take(kt_pdf *p, size_t n)
{
	size_t cur = atomic_load(&p->used);

	do {
		if (n > KT_PDF_MAX_MEMORY || cur > KT_PDF_MAX_MEMORY - n)
			return 0;
	} while (!atomic_compare_exchange_weak(&p->used, &cur, cur + n));
	return 1;
}

static void *cap_malloc(void *user, size_t n)
{
	kt_pdf *p = user;
	blk_head *h;

	if (n > KT_PDF_MAX_MEMORY || !take(p, n))
		return NULL;
	h = malloc(sizeof *h + n);
	if (h == NULL) {
		atomic_fetch_sub(&p->used, n);
		return NULL;
	}
	h->n = n;
	return h + 1;
}

static void cap_free(void *user, void *ptr)
{
	kt_pdf *p = user;
	blk_head *h;

	if (ptr == NULL)
		return;
	h = (blk_head *)ptr - 1;
	atomic_fetch_sub(&p->used, h->n);
	free(h);
}

static void *cap_resize(void *user, void *ptr, size_t n)
{
	kt_pdf *p = user;
	blk_head *h, *g;
	size_t old;

	if (ptr == NULL)
		return cap_malloc(user, n);
	if (n == 0) {
		cap_free(user, ptr);
		return NULL;
	}
	h = (blk_head *)ptr - 1;
	old = h->n;
	if (n > old && !take(p, n - old))
		return NULL;
	g = realloc(h, sizeof *g + n);
	if (g == NULL) {
		if (n > old)
			atomic_fetch_sub(&p->used, n - old);
		return NULL;
	}
	if (n < old)
		atomic_fetch_sub(&p->used, old - n);
	g->n = n;
	return g + 1;
}

static void lock_fn(void *user, int i)
{
	pthread_mutex_lock(&((kt_pdf *)user)->locks[i]);
}

static void unlock_fn(void *user, int i)
{
	pthread_mutex_unlock(&((kt_pdf *)user)->locks[i]);
}

/* ---------------------------------------------------------------- messages */

/* What MuPDF said during one call: its first warning (a repaired cross
 * reference table and the like), the reason given for a PDF with no page. */
typedef struct said {
	char warn[160];
} said;

static void on_error(void *user, const char *msg)
{
	(void)user; (void)msg; /* the caught message is read in fz_catch */
}

static void on_warning(void *user, const char *msg)
{
	said *s = user;

	if (s != NULL && s->warn[0] == '\0')
		snprintf(s->warn, sizeof s->warn, "%s", msg);
}

/* A message of MuPDF (which may quote bytes of the file) made single-line
 * and printable ASCII into out. */
static const char *clean(const char *msg, char *out, size_t size)
{
	size_t i, k = 0;

	for (i = 0; msg != NULL && msg[i] != '\0' && k + 1 < size; i++) {
		unsigned char c = (unsigned char)msg[i];

		out[k++] = c >= 0x20 && c < 0x7f ? (char)c : c == '\n' || c == '\t' ? ' ' : '?';
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return k ? out : "unknown error";
}

/* The reason of a caught MuPDF error, with the cap named when memory ran out. */
static int caught(fz_context *ctx, kt_error *err, const char *name, int page)
{
	char why[256], where[32] = "";
	int code = fz_caught(ctx);

	clean(fz_caught_message(ctx), why, sizeof why);
	if (page > 0)
		snprintf(where, sizeof where, "page %d of ", page);
	if (code == FZ_ERROR_MEMORY)
		return kt_error_set(err, KT_FAILED, "cannot read %s'%s': out of memory "
				    "(MuPDF may use %zu MiB per PDF)", where, name,
				    (size_t)(KT_PDF_MAX_MEMORY >> 20));
	return kt_error_set(err, KT_FAILED, "cannot read %s'%s': %s", where, name, why);
}

/* 1 when "%%EOF" occurs in the last 1024 bytes: the file was written to its end. */
static int has_eof(const unsigned char *d, size_t len)
{
	size_t i = len > 1024 ? len - 1024 : 0;

	for (; i + 5 <= len; i++)
		if (d[i] == '%' && memcmp(d + i, "%%EOF", 5) == 0)
			return 1;
	return 0;
}

/* A context of this call's own, quiet, its warnings into s; NULL when out
 * of memory. */
static fz_context *clone(kt_pdf *p, said *s)
{
	fz_context *ctx = fz_clone_context(p->ctx);

	if (ctx != NULL) {
		fz_set_error_callback(ctx, on_error, NULL);
		fz_set_warning_callback(ctx, on_warning, s);
	}
	return ctx;
}

/* Take the document's mutex and a context of this thread's for page i; NULL
 * (the mutex released, the reason in err) when out of memory. */
static fz_context *enter_page(kt_pdf *p, said *s, int i, kt_error *err)
{
	fz_context *ctx;

	pthread_mutex_lock(&p->doc_mu);
	ctx = clone(p, s);
	if (ctx == NULL) {
		pthread_mutex_unlock(&p->doc_mu);
		kt_error_set(err, KT_FAILED, "cannot read page %d of '%s': out of memory", i + 1,
			     p->name);
	}
	return ctx;
}

/* ----------------------------------------------------------------- opening */

int kt_pdf_open(const void *data, size_t len, const char *name, long max_pixels,
		kt_pdf **out, int *npages, kt_error *err)
{
	kt_pdf *p = calloc(1, sizeof *p);
	fz_stream *stm = NULL;
	said s = { { 0 } };
	int i, rc = KT_OK, locked = 0, repaired = 0;

	*out = NULL;
	*npages = 0;
	if (p == NULL || (p->name = strdup(name)) == NULL) {
		free(p);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	p->max_pixels = max_pixels;
	atomic_init(&p->used, 0);
	pthread_mutex_init(&p->doc_mu, NULL);
	for (i = 0; i < FZ_LOCK_MAX; i++)
		pthread_mutex_init(&p->locks[i], NULL);
	p->lc = (fz_locks_context){ .user = p, .lock = lock_fn, .unlock = unlock_fn };
	p->ac = (fz_alloc_context){ .user = p, .malloc = cap_malloc, .realloc = cap_resize,
				    .free = cap_free };
	p->ctx = fz_new_context(&p->ac, &p->lc, KT_PDF_STORE);
	if (p->ctx == NULL) {
		kt_pdf_free(&p);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	fz_set_error_callback(p->ctx, on_error, NULL);
	fz_set_warning_callback(p->ctx, on_warning, &s);
	fz_var(stm);
	fz_var(rc);
	fz_var(locked);
	fz_var(repaired);
	fz_try(p->ctx) {
		stm = fz_open_memory(p->ctx, data, len);
		p->doc = pdf_open_document_with_stream(p->ctx, stm);
		/* The empty user password opens what needs no password to read. */
		locked = pdf_needs_password(p->ctx, p->doc) &&
			 !pdf_authenticate_password(p->ctx, p->doc, "");
		if (!locked)
			p->npages = pdf_count_pages(p->ctx, p->doc);
		repaired = pdf_was_repaired(p->ctx, p->doc);
	}
	fz_always(p->ctx)
		fz_drop_stream(p->ctx, stm);
	fz_catch(p->ctx)
		rc = caught(p->ctx, err, name, 0);
	if (rc == KT_OK && locked)
		rc = kt_error_set(err, KT_FAILED, "'%s': encrypted PDF that needs a password", name);
	else if (rc == KT_OK && p->npages <= 0) {
		char why[200], paren[208] = "";

		/* A truncated file is repaired by MuPDF as far as it goes: its
		 * first warning tells what was wrong. */
		if (s.warn[0])
			snprintf(paren, sizeof paren, " (%s)", clean(s.warn, why, sizeof why));
		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': PDF has no pages%s", name, paren);
	} else if (rc == KT_OK && repaired && !has_eof(data, len)) {
		/* MuPDF rebuilds a lost cross-reference table from the objects it
		 * finds, which keeps a damaged but whole file; a file that stops
		 * short (no %%EOF) has lost what came after the cut. */
		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': truncated PDF (no %%%%EOF at its end)",
				  name);
	} else if (rc == KT_OK && p->npages > KT_PDF_MAX_PAGES)
		rc = kt_error_set(err, KT_FAILED, "refusing '%s': %d pages is above the cap of %d",
				  name, p->npages, KT_PDF_MAX_PAGES);
	fz_set_warning_callback(p->ctx, on_warning, NULL);
	if (rc == KT_OK && (p->coded = calloc((size_t)p->npages, sizeof *p->coded)) == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc != KT_OK) {
		kt_pdf_free(&p);
		return rc;
	}
	*out = p;
	*npages = p->npages;
	return KT_OK;
}

void kt_pdf_free(kt_pdf **pp)
{
	kt_pdf *p;
	int i;

	if (pp == NULL || *pp == NULL)
		return;
	p = *pp;
	if (p->ctx != NULL) {
		pdf_drop_document(p->ctx, p->doc);
		fz_drop_context(p->ctx);
	}
	for (i = 0; i < FZ_LOCK_MAX; i++)
		pthread_mutex_destroy(&p->locks[i]);
	pthread_mutex_destroy(&p->doc_mu);
	free(p->name);
	free(p->coded);
	free(p);
	*pp = NULL;
}

/* --------------------------------------------------------------- rendering */

/* A device that finds the largest image drawn (by pixel count), its
 * resolution on the page (its pixels over its displayed size), whether it is
 * 1 bit per pixel and the area it covers. */
typedef struct size_dev {
	fz_device super;
	double best_px;
	double dpi;
	double area;        /* points squared */
	int one_bit;        /* 1 bpc grey image or a stencil mask (CCITT, JBIG2) */
	size_t coded;       /* its compressed bytes in the file, 0 when unknown */
} size_dev;

static void saw_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, int one_bit)
{
	fz_compressed_buffer *cb;
	size_dev *d = (size_dev *)dev;
	double px = (double)img->w * img->h;
	double wpt = hypot(ctm.a, ctm.b), hpt = hypot(ctm.c, ctm.d), dx, dy;

	if (px <= d->best_px || wpt < 1e-3 || hpt < 1e-3)
		return;
	dx = img->w * 72.0 / wpt;
	dy = img->h * 72.0 / hpt;
	d->best_px = px;
	d->dpi = dx > dy ? dx : dy;
	d->area = fabs(ctm.a * ctm.d - ctm.b * ctm.c);
	d->one_bit = one_bit;
	cb = fz_compressed_image_buffer(ctx, img);
	d->coded = cb != NULL && cb->buffer != NULL ? cb->buffer->len : 0;
}

static void size_fill_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
			    float alpha, fz_color_params cp)
{
	(void)alpha; (void)cp;
	saw_image(ctx, dev, img, ctm, img->bpc == 1 && img->n == 1 && img->colorspace != NULL &&
		  fz_colorspace_is_gray(ctx, img->colorspace));
}

static void size_fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
				 fz_colorspace *cs, const float *color, float alpha,
				 fz_color_params cp)
{
	(void)cs; (void)color; (void)alpha; (void)cp;
	saw_image(ctx, dev, img, ctm, img->bpc == 1);
}

/* The page's rendering resolution (docs/ocr.md): its largest image's,
 * clamped to 150-600 dpi, or 300 when it has no image. *bitonal: that image
 * is 1 bit per pixel and covers at least half of the page (page_pts: the
 * page's area in points squared), a bitonal scan. *coded: that image's
 * compressed bytes when it covers half the page (a scan), else 0. Throws. */
static int page_dpi(fz_context *ctx, fz_display_list *list, double page_pts, int *bitonal,
		    size_t *coded)
{
	size_dev *d = fz_new_derived_device(ctx, size_dev);
	int dpi = 300;

	d->super.fill_image = size_fill_image;
	d->super.fill_image_mask = size_fill_image_mask;
	fz_try(ctx) {
		fz_run_display_list(ctx, list, &d->super, fz_identity, fz_infinite_rect, NULL);
		fz_close_device(ctx, &d->super);
	}
	fz_always(ctx) {
		if (d->best_px > 0)
			dpi = (int)lround(d->dpi < 150 ? 150 : d->dpi > 600 ? 600 : d->dpi);
		*bitonal = d->best_px > 0 && d->one_bit && d->area >= 0.5 * page_pts;
		*coded = d->best_px > 0 && d->area >= 0.5 * page_pts ? d->coded : 0;
		fz_drop_device(ctx, &d->super);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return dpi;
}

/* An RGB pixmap as a Leptonica Pix: 8-bit grey when every pixel is grey,
 * else 32 bpp RGB; 1 bpp (black below half grey) when bitonal and every
 * pixel is grey: a bitonal scan comes out as a 1 bpp TIFF does, so the page
 * stages keep it bitonal (stage `bitonal`, G4 master and access page).
 * NULL when out of memory. */
static PIX *to_pix(fz_context *ctx, fz_pixmap *pm, int dpi, int bitonal)
{
	int w = fz_pixmap_width(ctx, pm), h = fz_pixmap_height(ctx, pm), x, y, grey = 1;
	int n = fz_pixmap_components(ctx, pm);
	ptrdiff_t stride = fz_pixmap_stride(ctx, pm);
	const unsigned char *s = fz_pixmap_samples(ctx, pm);
	PIX *pix;

	for (y = 0; grey && y < h; y++) {
		const unsigned char *row = s + y * stride;

		for (x = 0; x < w; x++)
			if (row[x * n] != row[x * n + 1] || row[x * n] != row[x * n + 2]) {
				grey = 0;
				break;
			}
	}
	bitonal = bitonal && grey;
	pix = pixCreate(w, h, bitonal ? 1 : grey ? 8 : 32);
	if (pix == NULL)
		return NULL;
	for (y = 0; y < h; y++) {
		const unsigned char *row = s + y * stride;
		l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);

		for (x = 0; x < w; x++) {
			const unsigned char *c = row + x * n;

			if (bitonal) {
				if (c[0] < 128)
					SET_DATA_BIT(line, x);
			} else if (grey)
				SET_DATA_BYTE(line, x, c[0]);
			else
				composeRGBPixel(c[0], c[1], c[2], &line[x]);
		}
	}
	pixSetResolution(pix, dpi, dpi);
	return pix;
}

int kt_pdf_page(kt_pdf *p, int i, struct Pix **out, int *dpi_out, kt_error *err)
{
	said s = { { 0 } };
	fz_context *ctx;
	fz_page *page = NULL;
	fz_display_list *list = NULL;
	fz_device *dev = NULL;
	fz_pixmap *pm = NULL;
	fz_rect bound = fz_empty_rect;
	PIX *pix = NULL;
	int rc = KT_OK, dpi = 300, bitonal = 0;

	*out = NULL;
	*dpi_out = 0;
	if ((ctx = enter_page(p, &s, i, err)) == NULL)
		return KT_FAILED;
	fz_var(page);
	fz_var(list);
	fz_var(dev);
	/* Under the mutex: the document (the page and its contents). */
	fz_try(ctx) {
		page = fz_load_page(ctx, &p->doc->super, i);
		bound = fz_bound_page(ctx, page);
		list = fz_new_display_list(ctx, bound);
		dev = fz_new_list_device(ctx, list);
		fz_run_page_contents(ctx, page, dev, fz_identity, NULL);
		fz_close_device(ctx, dev);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx)
		rc = caught(ctx, err, p->name, i + 1);
	pthread_mutex_unlock(&p->doc_mu);

	/* Outside it: the display list is this call's own. */
	fz_var(pm);
	fz_var(rc);
	fz_var(dpi);
	fz_var(bitonal);
	fz_var(pix);
	if (rc == KT_OK) {
		fz_try(ctx) {
			fz_matrix ctm;
			fz_irect box;
			double px;

			dpi = page_dpi(ctx, list, (double)(bound.x1 - bound.x0) * (bound.y1 - bound.y0),
				       &bitonal, &p->coded[i]);
			ctm = fz_scale(dpi / 72.0f, dpi / 72.0f);
			box = fz_round_rect(fz_transform_rect(bound, ctm));
			px = (double)(box.x1 - box.x0) * (box.y1 - box.y0);
			if (box.x1 <= box.x0 || box.y1 <= box.y0)
				rc = kt_error_set(err, KT_FAILED, "cannot read page %d of '%s': empty page",
						  i + 1, p->name);
			else if (px > (double)p->max_pixels)
				rc = kt_error_set(err, KT_FAILED, "refusing page %d of '%s': %d x %d pixels "
						  "(%d dpi) is above the cap of %ld", i + 1, p->name,
						  box.x1 - box.x0, box.y1 - box.y0, dpi, p->max_pixels);
			else
				pm = fz_new_pixmap_from_display_list(ctx, list, ctm, fz_device_rgb(ctx), 0);
		}
		fz_catch(ctx)
			rc = caught(ctx, err, p->name, i + 1);
	}
	if (rc == KT_OK && (pix = to_pix(ctx, pm, dpi, bitonal)) == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	fz_drop_pixmap(ctx, pm);
	fz_drop_display_list(ctx, list);
	fz_drop_context(ctx);
	if (rc != KT_OK)
		return rc;
	*out = pix;
	*dpi_out = dpi;
	return KT_OK;
}

/* -------------------------------------------------------------------- text */

/* Forwards visible text to the structured-text device; ignore_text (render
 * mode 3, invisible) and everything that is not text are dropped. */
typedef struct vis_dev {
	fz_device super;
	fz_device *target;
} vis_dev;

static void vis_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
			  fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	fz_fill_text(ctx, ((vis_dev *)dev)->target, text, ctm, cs, color, alpha, cp);
}

static void vis_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
			    const fz_stroke_state *st, fz_matrix ctm, fz_colorspace *cs,
			    const float *color, float alpha, fz_color_params cp)
{
	fz_stroke_text(ctx, ((vis_dev *)dev)->target, text, st, ctm, cs, color, alpha, cp);
}

static void vis_clip_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
			  fz_rect scissor)
{
	fz_clip_text(ctx, ((vis_dev *)dev)->target, text, ctm, scissor);
}

static void vis_clip_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
				 const fz_stroke_state *st, fz_matrix ctm, fz_rect scissor)
{
	fz_clip_stroke_text(ctx, ((vis_dev *)dev)->target, text, st, ctm, scissor);
}

/* Append the UTF-8 of rune c to buf (size cap, length *len); 0 when full. */
static int put_rune(char *buf, size_t cap, size_t *len, int c)
{
	char u[8];
	int k;

	if (c == 0 || (c < 0x20 && c != '\t'))
		c = ' ';
	if (c == '\t')
		c = ' ';
	k = fz_runetochar(u, c);
	if (*len + (size_t)k + 1 > cap)
		return 0;
	memcpy(buf + *len, u, (size_t)k);
	*len += (size_t)k;
	return 1;
}

/* The page's text: each line followed by a line break, a blank line between
 * blocks, trailing spaces of a line dropped; NULL when it holds no letter,
 * digit or mark (only white space) or when out of memory (*oom set). */
static char *stext_utf8(fz_stext_page *sp, int *oom)
{
	fz_stext_block *b;
	fz_stext_line *l;
	fz_stext_char *ch;
	size_t cap = 1, len = 0;
	int seen = 0, first = 1;
	char *buf;

	*oom = 0;
	for (b = sp->first_block; b != NULL; b = b->next)
		if (b->type == FZ_STEXT_BLOCK_TEXT)
			for (l = b->u.t.first_line; l != NULL; l = l->next) {
				for (ch = l->first_char; ch != NULL; ch = ch->next) {
					cap += 4;
					if (ch->c > ' ' && ch->c != 0xA0 && ch->c != 0xFEFF)
						seen = 1;
				}
				cap += 2;
			}
	if (!seen)
		return NULL;
	buf = malloc(cap);
	if (buf == NULL) {
		*oom = 1;
		return NULL;
	}
	for (b = sp->first_block; b != NULL; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT || b->u.t.first_line == NULL)
			continue;
		if (!first)
			buf[len++] = '\n';
		first = 0;
		for (l = b->u.t.first_line; l != NULL; l = l->next) {
			for (ch = l->first_char; ch != NULL; ch = ch->next)
				put_rune(buf, cap, &len, ch->c);
			while (len > 0 && buf[len - 1] == ' ')
				len--;
			buf[len++] = '\n';
		}
	}
	buf[len] = '\0';
	return buf;
}

int kt_pdf_page_text(kt_pdf *p, int i, char **text, kt_error *err)
{
	said s = { { 0 } };
	fz_context *ctx;
	fz_page *page = NULL;
	fz_stext_page *sp = NULL;
	fz_device *tdev = NULL;
	vis_dev *vis = NULL;
	fz_stext_options opts = { 0 };
	int rc = KT_OK, oom = 0;

	*text = NULL;
	if ((ctx = enter_page(p, &s, i, err)) == NULL)
		return KT_FAILED;
	fz_var(page);
	fz_var(sp);
	fz_var(tdev);
	fz_var(vis);
	fz_var(rc);
	fz_var(oom);
	fz_try(ctx) {
		page = fz_load_page(ctx, &p->doc->super, i);
		sp = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
		tdev = fz_new_stext_device(ctx, sp, &opts);
		vis = fz_new_derived_device(ctx, vis_dev);
		vis->target = tdev;
		vis->super.fill_text = vis_fill_text;
		vis->super.stroke_text = vis_stroke_text;
		vis->super.clip_text = vis_clip_text;
		vis->super.clip_stroke_text = vis_clip_stroke_text;
		fz_run_page_contents(ctx, page, &vis->super, fz_identity, NULL);
		fz_close_device(ctx, &vis->super);
		fz_close_device(ctx, tdev);
		*text = stext_utf8(sp, &oom);
	}
	fz_always(ctx) {
		if (vis != NULL)
			fz_drop_device(ctx, &vis->super);
		fz_drop_device(ctx, tdev);
		fz_drop_stext_page(ctx, sp);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx)
		rc = caught(ctx, err, p->name, i + 1);
	fz_drop_context(ctx);
	pthread_mutex_unlock(&p->doc_mu);
	if (rc == KT_OK && oom)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc != KT_OK) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

size_t kt_pdf_page_coded(const kt_pdf *p, int i)
{
	return i >= 0 && i < p->npages ? p->coded[i] : 0;
}
