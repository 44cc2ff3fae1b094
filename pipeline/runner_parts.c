/*
 * runner_parts.c - separator sheets divide one scan into documents (issue 9,
 * docs/cases.md "Separator sheets"): the end half of stage "separate"
 * (kt_run_separate, runner_private.h).
 *
 * The workers mark a page that is a separator sheet (kt_separator_sheet:
 * a bar code or QR code on an otherwise empty page) and do not recognise it.
 * Here, on the writer's thread, the pages between two sheets become a part:
 * a document of its own whose original is the whole file (unchanged, as
 * every original) and whose record says which pages of it the part is. The
 * sheets themselves are in no document.
 *
 * Idempotent as a file is: parts 2..N are written first, each its own row
 * (the file's SHA-256 and the part's number), and a part found done is not
 * written again; the file's own row becomes part 1 and is marked done last,
 * so a batch killed in between does the file again and writes only what is
 * missing.
 */
#include "runner_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pages [a, b) of the file (0-based), after the sheet whose code is sep. */
typedef struct kt_part_range {
	int a, b;
	const char *sep;
} kt_part_range;

/* The ranges of content between the sheets; *n receives their number.
 * NULL with *n = 0 when there is no sheet (or out of memory: *n = -1). */
static kt_part_range *ranges_of(const kt_run_doc *d, int *n)
{
	kt_part_range *g;
	const char *sep = NULL;
	int i, start = 0, sheets = 0;

	*n = 0;
	for (i = 0; i < d->npages; i++)
		sheets += d->pages[i].separator != NULL;
	if (sheets == 0)
		return NULL;
	g = calloc((size_t)sheets + 1, sizeof *g);
	if (g == NULL) {
		*n = -1;
		return NULL;
	}
	for (i = 0; i <= d->npages; i++) {
		if (i < d->npages && d->pages[i].separator == NULL)
			continue;
		if (i > start)
			g[(*n)++] = (kt_part_range){ start, i, sep };
		if (i < d->npages)
			sep = d->pages[i].separator;
		start = i + 1;
	}
	return g;
}

/* Move the page results of g out of d into part p (d's slots left empty). */
static int take_pages(kt_run_doc *d, kt_run_doc *p, const kt_part_range *g)
{
	int i, m = g->b - g->a;

	p->pages = calloc((size_t)m + 1, sizeof *p->pages);
	if (p->pages == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	for (i = 0; i < m; i++) {
		p->pages[i] = d->pages[g->a + i];
		kt_page_result_init(&d->pages[g->a + i]);
	}
	p->npages = m;
	return KT_OK;
}

static void set_part(kt_run_doc *p, int k, int parts, const kt_part_range *g)
{
	p->part = k;
	p->parts = parts;
	p->first_page = g->a + 1;
	p->last_page = g->b;
	p->separator = g->sep;
}

/* Part k of parts, pages g, written through the later stages; its outcome
 * told on d (a part that fails fails the file, so that the batch tells it
 * and --retry-failed does it again). */
static int write_part(kt_run *r, kt_run_doc *d, int k, int parts, const kt_part_range *g)
{
	kt_run_doc *p = calloc(1, sizeof *p);
	kt_doc info = { .part = k, .parts = parts, .first_page = g->a + 1, .last_page = g->b,
			.separator = (char *)g->sep };
	enum kt_doc_status status;
	int rc;

	if (p == NULL)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	*p = (kt_run_doc){ .path = d->path, .data = d->data, .len = d->len, .version = 1,
			   .src = d->src };
	memcpy(p->sha256, d->sha256, sizeof p->sha256);
	set_part(p, k, parts, g);
	if (kt_catalog_part_reserve(r->catalog, d->id, &info, &p->id, &status) != KT_OK) {
		rc = kt_error_escalate(&d->err, kt_catalog_error(r->catalog), KT_FATAL);
		goto out;
	}
	if (status == KT_DOC_DONE) {
		/* written by a batch that was stopped before the file was done */
		rc = KT_OK;
		goto out;
	}
	if ((rc = take_pages(d, p, g)) != KT_OK)
		goto out;
	rc = kt_run_end_rest(r, p);
	if (rc == KT_OK) {
		d->other_pages += p->npages;
		if (p->warning[0] && !d->warning[0])
			snprintf(d->warning, sizeof d->warning, "part %d of %d: %.900s", k, parts,
				 p->warning);
	} else if (rc == KT_FATAL) {
		kt_error_pass(&d->err, &p->err);
	} else {
		if (kt_catalog_doc_fail(r->catalog, p->id, p->err.msg) != KT_OK &&
		    kt_error_escalate(&d->err, kt_catalog_error(r->catalog), KT_FATAL) < KT_WARN) {
			rc = KT_FATAL;
			goto out;
		}
		rc = kt_error_set(&d->err, rc, "part %d of %d (pages %d-%d) of '%s': %s", k, parts,
				  g->a + 1, g->b, d->path, p->err.msg);
	}
out:
	p->src = NULL; /* d's */
	kt_run_doc_free(&p);
	return rc;
}

int kt_run_separate(kt_run *r, kt_run_doc *d)
{
	kt_part_range *g;
	kt_run_doc first = { 0 };
	kt_doc info = { 0 };
	int n, k, i, rc = KT_OK;

	if (d->part > 0 || d->history != NULL)
		return KT_OK;
	g = ranges_of(d, &n);
	if (n < 0)
		return kt_error_set(&d->err, KT_FATAL, "out of memory");
	if (g == NULL)
		return KT_OK;
	if (n == 0) {
		free(g);
		return kt_error_set(&d->err, KT_FAILED, "'%s': every one of its %d pages is a "
				    "separator sheet, so it holds no document", d->path, d->npages);
	}
	/* the file's row is the first part from now on */
	set_part(d, 1, n, &g[0]);
	info = (kt_doc){ .part = 1, .parts = n, .first_page = d->first_page,
			 .last_page = d->last_page, .separator = (char *)d->separator };
	if (kt_catalog_doc_part(r->catalog, d->id, &info) != KT_OK) {
		free(g);
		return kt_error_escalate(&d->err, kt_catalog_error(r->catalog), KT_FATAL);
	}
	for (k = 1; k < n && rc == KT_OK; k++)
		rc = write_part(r, d, k + 1, n, &g[k]);
	/* d keeps the first part's pages only; the sheets' slots and the
	 * other parts' (moved out, or written before) are released. The
	 * sheets' codes stay readable: d->separator borrows one. */
	if (rc == KT_OK)
		rc = take_pages(d, &first, &g[0]);
	if (rc == KT_OK) {
		kt_page_set keep = d->set;

		for (i = 0; i < d->npages; i++)
			if (d->pages[i].separator == NULL)
				kt_page_result_release(&d->pages[i]);
		d->sheets = d->pages;
		d->n_sheets = d->npages;
		d->pages = first.pages;
		d->npages = first.npages;
		d->set = keep;
	}
	free(g);
	return rc;
}
