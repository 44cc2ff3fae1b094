/*
 * source_asice.c - e-signed containers (ASiC-E, ETSI EN 319 162-1: Latvia's
 * eParaksts .edoc, Estonia's DigiDoc .asice) as a format of kt_source: the
 * one file of kartoteka that reads with libarchive; its XML (the manifest,
 * the signatures) is source_asice_xml.c's (docs/ocr.md, "E-signed
 * containers").
 *
 * The ZIP is unpacked into memory with libarchive's seekable ZIP reader
 * (the central directory), under caps on the entries, the bytes one entry
 * and all entries unpack to, and the compression ratio: no name in the ZIP
 * ever reaches the file system. Its data files, in the order of
 * META-INF/manifest.xml (else the ZIP's), are opened as nested kt_sources
 * (PDF, TIFF, PNG, JPEG) or kept as a page of text (text/plain, UTF-8);
 * other types give no page and are named in the warning.
 *
 * The signatures (META-INF/...signatures....xml, XAdES) give the signer,
 * the signing time and the data files each covers (source_asice_xml.c).
 * They are NOT verified: no digest, signature value, certificate chain or
 * revocation is checked.
 *
 * Threads: everything is made by kt_asice_open and only read after; the
 * page functions hand the page to its nested source, whose own rules hold
 * (source_pdf.c's locks for a PDF).
 */
#include "ocr_private.h"
#include "kt_buf.h"
#include "kt_text.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASIC_E_MIME "application/vnd.etsi.asic-e+zip"
#define MANIFEST "META-INF/manifest.xml"

/* One file of the ZIP, unpacked. */
typedef struct entry {
	char *name;            /* its path in the ZIP, printable UTF-8 (kt_utf8_add_printable) */
	unsigned char *data;
	size_t len;
} entry;

/* One data file of the container. */
typedef struct part {
	const entry *e;
	char *type;            /* the manifest's media type; NULL: not given */
	kt_source *src;        /* a PDF, TIFF, PNG or JPEG */
	char *text;            /* a text/plain file's text (its page) */
	int first, npages;     /* its pages in the container */
} part;

struct kt_asice {
	char *name;
	entry *entries;
	size_t n_entries;
	part *parts;
	size_t n_parts;
	int npages;
	kt_source_signature *sigs;
	size_t n_sigs;
	char *warning;
};

/* ----------------------------------------------------------------- helpers */

int kt_is_zip(const void *data, size_t len)
{
	const unsigned char *d = data;

	return len >= 4 && d[0] == 'P' && d[1] == 'K' &&
	       ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6));
}

/* 1 when the end of central directory record is in the last 64 KiB + 22
 * bytes: the ZIP was written to its end. */
static int has_eocd(const unsigned char *d, size_t len)
{
	size_t i, lo = len > 65557 ? len - 65557 : 0;

	for (i = len >= 22 ? len - 22 + 1 : 0; i-- > lo;)
		if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 5 && d[i + 3] == 6)
			return 1;
	return 0;
}

/* 1 when the ZIP's first local header is a stored "mimetype" holding the
 * ASiC-E media type (ETSI EN 319 162-1, A.1). */
static int asic_e_mimetype(const unsigned char *d, size_t len)
{
	size_t name_len, extra, off;

	if (len < 30 || d[0] != 'P' || d[1] != 'K' || d[2] != 3 || d[3] != 4)
		return 0;
	name_len = d[26] | (size_t)d[27] << 8;
	extra = d[28] | (size_t)d[29] << 8;
	off = 30 + name_len + extra;
	return name_len == 8 && memcmp(d + 30, "mimetype", 8) == 0 && d[8] == 0 && d[9] == 0 &&
	       off + sizeof ASIC_E_MIME - 1 <= len &&
	       memcmp(d + off, ASIC_E_MIME, sizeof ASIC_E_MIME - 1) == 0;
}

static const entry *find_entry(const kt_asice *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n_entries; i++)
		if (strcmp(a->entries[i].name, name) == 0)
			return &a->entries[i];
	return NULL;
}

/* META-INF/...signatures....xml, as ASiC-E names its XAdES files. */
static int is_signature_name(const char *n)
{
	size_t len = strlen(n);

	return strncmp(n, "META-INF/", 9) == 0 && strchr(n + 9, '/') == NULL &&
	       strstr(n + 9, "signatures") != NULL && len > 4 && strcmp(n + len - 4, ".xml") == 0;
}

/* A data file: a file that is not "mimetype" and not under META-INF/. */
static int is_data_name(const char *n)
{
	return strcmp(n, "mimetype") != 0 && strncmp(n, "META-INF/", 9) != 0;
}

/* ------------------------------------------------------------- unpacking */

/* Every file of the ZIP into a->entries, under the caps. */
static int unpack(kt_asice *a, const unsigned char *data, size_t len, kt_error *err)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *ae;
	size_t total = 0, count = 0, cap = 0;
	/* the ratio cap: KT_ASICE_MAX_RATIO times the container, at least the
	 * floor, at most KT_ASICE_MAX_TOTAL */
	size_t limit = len > KT_ASICE_MAX_TOTAL / KT_ASICE_MAX_RATIO ? KT_ASICE_MAX_TOTAL
		     : len * KT_ASICE_MAX_RATIO > KT_ASICE_RATIO_FLOOR ? len * KT_ASICE_MAX_RATIO
								       : KT_ASICE_RATIO_FLOOR;
	unsigned char chunk[64 * 1024];
	kt_buf b = KT_BUF_INIT;
	int rc = KT_OK, r;

	if (limit > KT_ASICE_MAX_TOTAL)
		limit = KT_ASICE_MAX_TOTAL;
	if (ar == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	archive_read_support_format_zip_seekable(ar);
	if (archive_read_open_memory(ar, data, len) != ARCHIVE_OK) {
		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': not a readable ZIP (%s)", a->name,
				  archive_error_string(ar) ? archive_error_string(ar) : "unknown error");
		archive_read_free(ar);
		return rc;
	}
	while (rc == KT_OK && (r = archive_read_next_header(ar, &ae)) != ARCHIVE_EOF) {
		const char *n;
		entry *e;
		la_ssize_t got;

		if (r < ARCHIVE_WARN) {
			rc = kt_error_set(err, KT_FAILED, "cannot read '%s': broken ZIP (%s)", a->name,
					  archive_error_string(ar));
			break;
		}
		if (++count > KT_ASICE_MAX_ENTRIES) {
			rc = kt_error_set(err, KT_FAILED, "refusing '%s': more than %d entries in the "
					  "container", a->name, KT_ASICE_MAX_ENTRIES);
			break;
		}
		if (archive_entry_filetype(ae) != AE_IFREG)
			continue; /* folders; links are never followed */
		if (archive_entry_size_is_set(ae) && archive_entry_size(ae) >= 0 &&
		    ((uint64_t)archive_entry_size(ae) > KT_ASICE_MAX_ENTRY ||
		     (uint64_t)archive_entry_size(ae) > limit - total)) {
			rc = kt_error_set(err, KT_FAILED, "refusing '%s': an entry unpacks to %lld bytes, "
					  "above the cap (%zu bytes each, %zu in all: %d times the "
					  "container, at least %zu; a ZIP bomb?)", a->name,
					  (long long)archive_entry_size(ae), KT_ASICE_MAX_ENTRY, limit,
					  KT_ASICE_MAX_RATIO, KT_ASICE_RATIO_FLOOR);
			break;
		}
		if (a->n_entries == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			entry *g = realloc(a->entries, ncap * sizeof *g);

			if (g == NULL) {
				rc = kt_error_set(err, KT_FATAL, "out of memory");
				break;
			}
			a->entries = g;
			cap = ncap;
		}
		e = &a->entries[a->n_entries];
		n = archive_entry_pathname_utf8(ae);
		if (n == NULL)
			n = archive_entry_pathname(ae);
		if (n == NULL)
			n = "";
		*e = (entry){ .name = kt_asice_printable(n, strlen(n)) };
		if (e->name == NULL) {
			rc = kt_error_set(err, KT_FATAL, "out of memory");
			break;
		}
		a->n_entries++;
		if (find_entry(a, e->name) != e) {
			rc = kt_error_set(err, KT_FAILED, "cannot read '%s': two entries named '%s'",
					  a->name, e->name);
			break;
		}
		kt_buf_truncate(&b, 0);
		while ((got = archive_read_data(ar, chunk, sizeof chunk)) > 0) {
			if (b.len + (size_t)got > KT_ASICE_MAX_ENTRY || (size_t)got > limit - total) {
				rc = kt_error_set(err, KT_FAILED, "refusing '%s': '%s' unpacks to more than "
						  "the cap (%zu bytes each, %zu in all: %d times the "
						  "container, at least %zu; a ZIP bomb?)", a->name,
						  e->name, KT_ASICE_MAX_ENTRY, limit, KT_ASICE_MAX_RATIO,
						  KT_ASICE_RATIO_FLOOR);
				break;
			}
			total += (size_t)got;
			if (kt_buf_add(&b, chunk, (size_t)got) != KT_OK) {
				rc = kt_error_set(err, KT_FATAL, "out of memory");
				break;
			}
		}
		if (rc == KT_OK && got < 0)
			rc = kt_error_set(err, KT_FAILED, "cannot read '%s': entry '%s': %s", a->name,
					  e->name, archive_error_string(ar) ? archive_error_string(ar)
									   : "broken data");
		if (rc == KT_OK && kt_buf_reserve(&b, 1) != KT_OK)
			rc = kt_error_set(err, KT_FATAL, "out of memory");
		if (rc == KT_OK)
			e->data = (unsigned char *)kt_buf_detach(&b, &e->len);
	}
	kt_buf_release(&b);
	archive_read_free(ar);
	return rc;
}

/* ------------------------------------------------------ the data files */

static part *add_part(kt_asice *a, const entry *e)
{
	size_t i;
	part *g;

	for (i = 0; i < a->n_parts; i++)
		if (a->parts[i].e == e)
			return NULL; /* listed twice in the manifest: the first counts */
	g = realloc(a->parts, (a->n_parts + 1) * sizeof *g);
	if (g == NULL)
		return NULL;
	a->parts = g;
	g[a->n_parts] = (part){ .e = e };
	return &g[a->n_parts++];
}

/* The signatures of every signature file, in the ZIP's order; a file that
 * cannot be read gives an entry with its error and a part of the warning. */
static int read_signatures(kt_asice *a, kt_buf *warn)
{
	size_t i;
	int rc = KT_OK;

	for (i = 0; rc != KT_FATAL && i < a->n_entries; i++) {
		const entry *e = &a->entries[i];
		char why[400] = "";

		if (!is_signature_name(e->name))
			continue;
		rc = kt_asice_sign_file(e->name, e->data, e->len, &a->sigs, &a->n_sigs, why, sizeof why);
		if (rc == KT_WARN && kt_buf_printf(warn, "%ssignature file '%s': %s",
						   warn->len ? "; " : "", e->name, why) != KT_OK)
			rc = KT_FATAL;
	}
	return rc == KT_FATAL ? KT_FATAL : KT_OK;
}

/* The data files in the manifest's order (its media types kept), then
 * those it does not list, in the ZIP's order. */
static int order_parts(kt_asice *a, kt_buf *warn)
{
	const entry *m = find_entry(a, MANIFEST);
	kt_strv paths = KT_STRV_INIT, types = KT_STRV_INIT;
	char why[400] = "";
	size_t i, k;
	int rc = m ? kt_asice_manifest(m->data, m->len, &paths, &types, why, sizeof why) : KT_OK;

	if (rc == KT_FAILED)
		rc = kt_buf_printf(warn, "%s'" MANIFEST "': %s (the ZIP's order is taken)",
				   warn->len ? "; " : "", why) == KT_OK ? KT_OK : KT_FATAL;
	for (i = 0; rc == KT_OK && i < paths.n; i++) {
		const entry *e = find_entry(a, paths.v[i]);
		part *p;

		if (e != NULL && is_data_name(e->name) && e->data != NULL &&
		    (p = add_part(a, e)) != NULL && types.v[i][0] != '\0' &&
		    (p->type = strdup(types.v[i])) == NULL)
			rc = KT_FATAL;
	}
	kt_strv_release(&paths);
	kt_strv_release(&types);
	for (i = 0; rc == KT_OK && i < a->n_entries; i++) {
		const entry *e = &a->entries[i];

		for (k = 0; k < a->n_parts && a->parts[k].e != e; k++)
			;
		if (k == a->n_parts && is_data_name(e->name) && e->data != NULL && add_part(a, e) == NULL)
			rc = KT_FATAL;
	}
	return rc;
}

/* 1 when the part is to be a page of text: the manifest says text/plain and
 * it is UTF-8 with no NUL. */
static int is_text(const part *p)
{
	size_t n = p->type ? strcspn(p->type, "; ") : 0;

	return n == 10 && strncmp(p->type, "text/plain", 10) == 0 &&
	       memchr(p->e->data, 0, p->e->len) == NULL &&
	       kt_utf8_valid((const char *)p->e->data, p->e->len);
}

/* Open each data file: its pages, or none (listed in *none). */
static int open_parts(kt_asice *a, long max_pixels, kt_buf *none, kt_error *err)
{
	size_t i;
	int rc = KT_OK;

	for (i = 0; rc == KT_OK && i < a->n_parts; i++) {
		part *p = &a->parts[i];
		const unsigned char *d = p->e->data;
		size_t len = p->e->len, k;
		kt_buf nested = KT_BUF_INIT;
		const char *what = p->type ? p->type : kt_is_zip(d, len) ? "a ZIP" : "an unknown type";

		p->first = a->npages;
		if (len > 0 && !kt_is_zip(d, len) && kt_source_recognised(d, len)) {
			/* the data file's messages name it inside the container */
			if (kt_buf_printf(&nested, "%s/%s", a->name, p->e->name) != KT_OK)
				rc = kt_error_set(err, KT_FATAL, "out of memory");
			else
				rc = kt_source_open(d, len, kt_buf_cstr(&nested), max_pixels, &p->src, err);
			kt_buf_release(&nested);
			if (rc == KT_OK)
				p->npages = kt_source_pages(p->src);
		} else if (is_text(p)) {
			if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
				d += 3, len -= 3; /* a byte order mark is not text */
			for (k = 0; k < len && (d[k] == ' ' || d[k] == '\n' || d[k] == '\r' ||
						d[k] == '\t' || d[k] == '\f'); k++)
				;
			if (k == len) {
				what = "text/plain, empty";
			} else if ((p->text = malloc(len + 1)) == NULL) {
				rc = kt_error_set(err, KT_FATAL, "out of memory");
			} else {
				memcpy(p->text, d, len);
				p->text[len] = '\0';
				p->npages = 1;
			}
		}
		if (rc == KT_OK && p->npages == 0 &&
		    kt_buf_printf(none, "%s'%s' (%s)", none->len ? ", " : "", p->e->name, what) != KT_OK)
			rc = kt_error_set(err, KT_FATAL, "out of memory");
		if (rc == KT_OK && p->npages > KT_PDF_MAX_PAGES - a->npages)
			rc = kt_error_set(err, KT_FAILED, "refusing '%s': more than %d pages in the "
					  "container", a->name, KT_PDF_MAX_PAGES);
		a->npages += p->npages;
	}
	return rc;
}

/* ----------------------------------------------------------------- open */

int kt_asice_open(const void *data, size_t len, const char *name, long max_pixels,
		  kt_asice **out, int *npages, kt_error *err)
{
	kt_asice *a = calloc(1, sizeof *a);
	kt_buf warn = KT_BUF_INIT, none = KT_BUF_INIT;
	size_t i;
	int rc = KT_OK, sigs = 0;

	*out = NULL;
	*npages = 0;
	if (a == NULL || (a->name = strdup(name)) == NULL) {
		free(a);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	if (!has_eocd(data, len))
		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': truncated ZIP (no end of central "
				  "directory)", name);
	if (rc == KT_OK)
		rc = unpack(a, data, len, err);
	for (i = 0; rc == KT_OK && i < a->n_entries; i++)
		sigs |= is_signature_name(a->entries[i].name);
	if (rc == KT_OK && !asic_e_mimetype(data, len) && !(sigs && find_entry(a, MANIFEST))) {
		const entry *m = find_entry(a, "mimetype");

		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': a ZIP that is not an e-signed "
				  "container (ASiC-E: no first entry 'mimetype' with " ASIC_E_MIME
				  ", and no " MANIFEST " with META-INF/*signatures*.xml)%s%.*s%s", name,
				  m ? "; its mimetype is '" : "", m ? (int)(m->len < 80 ? m->len : 80) : 0,
				  m ? (const char *)m->data : "", m ? "'" : "");
	}
	if (rc == KT_OK && (rc = order_parts(a, &warn)) != KT_OK)
		kt_error_set(err, rc, "out of memory");
	if (rc == KT_OK)
		rc = open_parts(a, max_pixels, &none, err);
	if (rc == KT_OK && a->npages == 0)
		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': no data file of the e-signed "
				  "container gives a page (PDF, TIFF, PNG, JPEG or text/plain): %s",
				  name, none.len ? kt_buf_cstr(&none) : "it holds none");
	if (rc == KT_OK && none.len > 0 &&
	    kt_buf_printf(&warn, "%sno page from %s", warn.len ? "; " : "", kt_buf_cstr(&none)) != KT_OK)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc == KT_OK && (rc = read_signatures(a, &warn)) != KT_OK)
		kt_error_set(err, rc, "out of memory");
	if (rc == KT_OK && warn.len > 0) {
		kt_buf w = KT_BUF_INIT;

		if (kt_buf_printf(&w, "'%s': %s", name, kt_buf_cstr(&warn)) != KT_OK ||
		    (a->warning = kt_buf_detach(&w, NULL)) == NULL)
			rc = kt_error_set(err, KT_FATAL, "out of memory");
		kt_buf_release(&w);
	}
	kt_buf_release(&warn);
	kt_buf_release(&none);
	if (rc != KT_OK) {
		kt_asice_free(&a);
		return rc;
	}
	*out = a;
	*npages = a->npages;
	return KT_OK;
}

/* ----------------------------------------------------------------- pages */

/* The part holding page i and the page's index in it; NULL when none. */
static const part *page_part(const kt_asice *a, int i, int *k)
{
	size_t j;

	for (j = 0; j < a->n_parts; j++)
		if (i >= a->parts[j].first && i < a->parts[j].first + a->parts[j].npages) {
			*k = i - a->parts[j].first;
			return &a->parts[j];
		}
	return NULL;
}

int kt_asice_page(kt_asice *a, int i, struct Pix **pix, int *dpi, kt_error *err)
{
	int k = 0;
	const part *p = page_part(a, i, &k);

	*pix = NULL;
	*dpi = 0;
	if (p == NULL)
		return kt_error_set(err, KT_FAILED, "'%s' has no page %d", a->name, i + 1);
	if (p->src == NULL)
		return kt_error_set(err, KT_FAILED, "page %d of '%s' is the text of '%s', not an image",
				    i + 1, a->name, p->e->name);
	return kt_source_page(p->src, k, pix, dpi, err);
}

int kt_asice_page_text(kt_asice *a, int i, char **text, kt_error *err)
{
	int k = 0;
	const part *p = page_part(a, i, &k);

	*text = NULL;
	if (p == NULL)
		return kt_error_set(err, KT_FAILED, "'%s' has no page %d", a->name, i + 1);
	if (p->src != NULL)
		return kt_source_page_text(p->src, k, text, err);
	if ((*text = strdup(p->text)) == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	return KT_OK;
}

const char *kt_asice_text_source(const kt_asice *a, int i)
{
	int k = 0;
	const part *p = page_part(a, i, &k);

	if (p == NULL)
		return NULL;
	return p->src != NULL ? kt_source_text_source(p->src, k) : "text";
}

int kt_asice_page_pdf(const kt_asice *a, int i, const void **pdf, size_t *len, int *page)
{
	int k = 0;
	const part *p = page_part(a, i, &k);

	return p != NULL && p->src != NULL ? kt_source_page_pdf(p->src, k, pdf, len, page) : 0;
}

size_t kt_asice_signatures(const kt_asice *a, const kt_source_signature **sigs)
{
	*sigs = a->n_sigs ? a->sigs : NULL;
	return a->n_sigs;
}

const char *kt_asice_warning(const kt_asice *a)
{
	return a->warning;
}

void kt_asice_free(kt_asice **ap)
{
	kt_asice *a;
	size_t i;

	if (ap == NULL || *ap == NULL)
		return;
	a = *ap;
	for (i = 0; i < a->n_parts; i++) {
		kt_source_free(&a->parts[i].src);
		free(a->parts[i].type);
		free(a->parts[i].text);
	}
	free(a->parts);
	for (i = 0; i < a->n_entries; i++) {
		free(a->entries[i].name);
		free(a->entries[i].data);
	}
	free(a->entries);
	kt_asice_sign_release(&a->sigs, &a->n_sigs);
	free(a->warning);
	free(a->name);
	free(a);
	*ap = NULL;
}
