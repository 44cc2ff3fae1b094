/*
 * tiff.c - page count and page sizes of a TIFF held in memory, with libtiff.
 *
 * Read before decoding so that a file claiming 100000 x 100000 pixels is
 * refused from its header, and so that each page of a multi-page TIFF can be
 * decoded on its own. libtiff's messages are captured per handle, never printed.
 */
#include "ocr_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

typedef struct memfile {
	const unsigned char *data;
	toff_t len, pos;
	char msg[256];
} memfile;

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n)
{
	memfile *m = (memfile *)h;
	toff_t left = m->pos < m->len ? m->len - m->pos : 0;

	if (n < 0)
		return -1;
	if ((toff_t)n > left)
		n = (tmsize_t)left;
	memcpy(buf, m->data + m->pos, (size_t)n);
	m->pos += (toff_t)n;
	return n;
}

static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n)
{
	(void)h; (void)buf; (void)n;
	return -1;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
	memfile *m = (memfile *)h;
	toff_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;

	m->pos = base + off;
	return m->pos;
}

static int mem_close(thandle_t h) { (void)h; return 0; }
static toff_t mem_size(thandle_t h) { return ((memfile *)h)->len; }
static int mem_map(thandle_t h, void **base, toff_t *size) { (void)h; (void)base; (void)size; return 0; }
static void mem_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	memfile *m = user;

	(void)tif; (void)module;
	/* The first error is the cause; libtiff names the file itself, we do too. */
	if (m->msg[0] == '\0')
		vsnprintf(m->msg, sizeof m->msg, fmt, ap);
	return 1;
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	(void)tif; (void)user; (void)module; (void)fmt; (void)ap;
	return 1; /* unknown tags and the like: not our business */
}

int kt_tiff_scan(const void *data, size_t len, const char *name,
		 kt_tiff_page **pages, int *n, kt_error *err)
{
	memfile m = { .data = data, .len = len };
	TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
	TIFF *tif;
	kt_tiff_page *arr = NULL;
	int count = 0, cap = 0, rc = KT_OK;

	*pages = NULL;
	*n = 0;
	if (opts == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, &m);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, &m);
	/* A header that asks for more than this in one allocation is hostile. */
	TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)256 << 20);
	tif = TIFFClientOpenExt(name, "rm", (thandle_t)&m, mem_read, mem_write, mem_seek,
				mem_close, mem_size, mem_map, mem_unmap, opts);
	TIFFOpenOptionsFree(opts);
	if (tif == NULL) {
		const char *why = m.msg;
		size_t nl = strlen(name);

		if (strncmp(why, name, nl) == 0 && strncmp(why + nl, ": ", 2) == 0)
			why += nl + 2;
		return kt_error_set(err, KT_FAILED, "cannot read TIFF '%s': %s", name,
				    why[0] ? why : "not a TIFF file");
	}
	do {
		uint32_t w = 0, h = 0;

		if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) ||
		    !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) || w == 0 || h == 0) {
			rc = kt_error_set(err, KT_FAILED, "cannot read TIFF '%s': page %d has no size",
					  name, count + 1);
			break;
		}
		if (count == cap) {
			kt_tiff_page *grown;

			cap = cap ? cap * 2 : 8;
			grown = realloc(arr, (size_t)cap * sizeof *arr);
			if (grown == NULL) {
				rc = kt_error_set(err, KT_FATAL, "out of memory");
				break;
			}
			arr = grown;
		}
		arr[count].width = w;
		arr[count].height = h;
		count++;
		if (count > 100000) {
			rc = kt_error_set(err, KT_FAILED, "cannot read TIFF '%s': more than 100000 pages", name);
			break;
		}
	} while (TIFFReadDirectory(tif));
	if (rc == KT_OK && m.msg[0] != '\0' && count == 0)
		rc = kt_error_set(err, KT_FAILED, "cannot read TIFF '%s': %s", name, m.msg);
	TIFFClose(tif);
	if (rc != KT_OK) {
		free(arr);
		return rc;
	}
	*pages = arr;
	*n = count;
	return KT_OK;
}
