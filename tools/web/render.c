/*
 * render.c - page images for the web interface (Leptonica): the original is
 * read from the archive package, decoded, turned upright, scaled, and
 * written as PNG.
 */
#include "kt_web.h"

#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_ocr.h"
#include "kt_pipeline.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

int kt_web_render_page(struct kt_store *s, long long doc_id, int n, int rotation, int width,
		       unsigned char **png, size_t *len, kt_error *err)
{
	kt_catalog *c = kt_store_catalog(s);
	kt_archive *a = kt_store_archive(s);
	char *package = NULL, *orig = NULL;
	void *data = NULL;
	size_t dlen = 0;
	kt_source *src = NULL;
	PIX *pix1 = NULL, *pix2 = NULL, *pix3 = NULL, *pix4 = NULL;
	int rc, dpi = 0, quads;

	*png = NULL;
	*len = 0;
	if (kt_catalog_doc_package(c, doc_id, &package) != KT_OK)
		return kt_error_set(err, KT_FAILED, "document %lld has no package", doc_id);
	if ((rc = kt_package_find_original(a, package, &orig)) != KT_OK) {
		kt_error_pass(err, kt_archive_error(a));
		goto out;
	}
	if ((rc = kt_archive_read_file(a, package, orig, &data, &dlen)) != KT_OK) {
		kt_error_set(err, rc, "cannot read '%s' of package '%s'", orig, package);
		goto out;
	}
	if ((rc = kt_source_open(data, dlen, orig, 0, &src, err)) != KT_OK)
		goto out;
	if (n < 1 || n > kt_source_pages(src)) {
		rc = kt_error_set(err, KT_FAILED, "document %lld has no page %d", doc_id, n);
		goto out;
	}
	if ((rc = kt_source_page(src, n - 1, &pix1, &dpi, err)) != KT_OK)
		goto out;
	quads = ((rotation / 90) % 4 + 4) % 4;
	pix2 = quads ? pixRotateOrth(pix1, quads) : pixClone(pix1);
	pix3 = pix2 ? pixConvertTo8(pix2, 0) : NULL;
	if (pix3 != NULL && pixGetDepth(pix2) == 32) {
		pixDestroy(&pix3);
		pix3 = pixClone(pix2);
	}
	if (pix3 != NULL && pixGetWidth(pix3) > width)
		pix4 = pixScaleToSize(pix3, width, 0);
	else if (pix3 != NULL)
		pix4 = pixClone(pix3);
	if (pix4 == NULL || pixWriteMem((l_uint8 **)png, len, pix4, IFF_PNG) != 0) {
		free(*png);
		*png = NULL;
		*len = 0;
		rc = kt_error_set(err, KT_FAILED, "cannot render page %d of document %lld", n, doc_id);
	}
out:
	pixDestroy(&pix4);
	pixDestroy(&pix3);
	pixDestroy(&pix2);
	pixDestroy(&pix1);
	kt_source_free(&src);
	free(data);
	free(orig);
	free(package);
	return rc;
}
