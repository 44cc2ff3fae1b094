/*
 * catalog_dups.c - a page scanned again (the same text in other bytes) is
 * flagged as a likely duplicate of the earlier document, for review, rather
 * than silently becoming a second document (issue 9; docs/cases.md
 * "Duplicates").
 *
 * Each page with enough text gets a MinHash sketch of its character
 * shingles (SKETCH values over the GRAM-character runs of its folded,
 * lower-cased letters and digits; the share of equal values estimates the
 * Jaccard similarity of the two pages' shingle sets, which a misread
 * character lowers by GRAM shingles only), kept in page_sketches with the
 * page's numbers, and its locality-sensitive bands (BANDS bands of ROWS
 * values, hashed) in page_bands, so that the pages a new page may repeat are
 * found by an index lookup, not by reading every page. Two documents are
 * flagged (table duplicates: the later document, the earlier one, how many
 * pages, the best similarity, which pages) when a page of one is at least
 * DUP_THRESHOLD like a page of the other and their numbers do not say they
 * are two papers (two copies of a form filled in for two people). People decide in the review queue
 * (duplicate_decisions, catalog_review.c); no automatic run changes a
 * decision.
 */
#include "catalog_private.h"
#include "kt_buf.h"
#include "kt_fold.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKETCH 64
#define BANDS 16
#define ROWS (SKETCH / BANDS)
#define GRAM 5                 /* characters per shingle */
#define MIN_GRAMS 100          /* fewer: too little text to tell */
#define DUP_THRESHOLD 0.75
#define NUMBERS_MAX 48         /* numbers kept per page */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

static int word_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80;
}

/* A page's text as it is compared: folded, lower case, letters and digits,
 * one space between words (malloc'd; NULL when out of memory). */
static char *plain_text(const char *text)
{
	char *t = kt_fold(text, strlen(text), KT_FOLD_LOWER, NULL);
	size_t i, n = 0;

	if (t == NULL)
		return NULL;
	for (i = 0; t[i]; i++) {
		if (word_byte((unsigned char)t[i]))
			t[n++] = t[i];
		else if (n > 0 && t[n - 1] != ' ')
			t[n++] = ' ';
	}
	while (n > 0 && t[n - 1] == ' ')
		n--;
	t[n] = '\0';
	return t;
}

/* A number in a page's text. */
typedef struct span {
	const char *p;
	size_t n;
} span;

static int span_order(const void *pa, const void *pb)
{
	const span *a = pa, *b = pb;
	int d = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);

	return d != 0 ? d : (a->n > b->n) - (a->n < b->n);
}

/*
 * The numbers of a page (runs of at least 4 digits), sorted, space
 * separated, into b: what tells two copies of one form filled in for two
 * people apart (codes, case numbers, dates differ where the printed words
 * are the same).
 */
static int numbers(const char *t, kt_buf *b)
{
	span v[NUMBERS_MAX];
	size_t n = 0, i;

	for (i = 0; t[i] && n < NUMBERS_MAX; ) {
		size_t k = i;

		while (t[k] >= '0' && t[k] <= '9')
			k++;
		if (k - i >= 4 && (i == 0 || t[i - 1] == ' ') && (t[k] == ' ' || t[k] == '\0'))
			v[n++] = (span){ t + i, k - i };
		i = k > i ? k : i + 1;
	}
	if (n > 1)
		qsort(v, n, sizeof v[0], span_order);
	for (i = 0; i < n; i++)
		if ((i > 0 && kt_buf_putc(b, ' ') != KT_OK) || kt_buf_add(b, v[i].p, v[i].n) != KT_OK)
			return KT_FATAL;
	return kt_buf_add(b, "", 0);
}

/*
 * The sketch of a page's text into sk and its numbers into nums; the
 * number of shingles (0 when the text is too short to tell, or memory ran
 * out: no sketch then).
 */
static size_t sketch(const char *text, uint32_t sk[SKETCH], kt_buf *nums)
{
	char *t = plain_text(text);
	size_t i, k, len, n = 0;

	if (t == NULL)
		return 0;
	len = strlen(t);
	for (k = 0; k < SKETCH; k++)
		sk[k] = UINT32_MAX;
	for (i = 0; i + GRAM <= len; i++, n++) {
		uint64_t h = fnv(t + i, GRAM, 0xcbf29ce484222325ULL);

		for (k = 0; k < SKETCH; k++) {
			uint32_t v = (uint32_t)(mix(h ^ mix(k + 1)) >> 32);

			if (v < sk[k])
				sk[k] = v;
		}
	}
	if (n >= MIN_GRAMS && numbers(t, nums) != KT_OK)
		n = 0;
	free(t);
	return n >= MIN_GRAMS ? n : 0;
}

/* 1 when two pages' numbers say they are different papers: both have at
 * least two, and fewer than half of all are on both. */
static int numbers_differ(const char *a, const char *b)
{
	size_t na = 0, nb = 0, both = 0;
	const char *p, *q;

	for (p = a; *p; ) {
		size_t l = strcspn(p, " ");

		na++;
		for (q = b; *q; ) {
			size_t m = strcspn(q, " ");

			if (l == m && memcmp(p, q, l) == 0) {
				both++;
				break;
			}
			q += m + (q[m] == ' ');
		}
		p += l + (p[l] == ' ');
	}
	for (q = b; *q; q += strcspn(q, " ") + (q[strcspn(q, " ")] == ' '))
		nb++;
	return na >= 2 && nb >= 2 && 2 * both < na + nb - both;
}

static long long band_hash(const uint32_t sk[SKETCH], int b)
{
	return (long long)(fnv(&sk[b * ROWS], ROWS * sizeof sk[0], 0xcbf29ce484222325ULL) >> 1);
}

static double similarity(const uint32_t *a, const uint32_t *b)
{
	int k, same = 0;

	for (k = 0; k < SKETCH; k++)
		same += a[k] == b[k];
	return (double)same / SKETCH;
}

/* One pair of pages alike, kept while a document is compared. */
typedef struct pair {
	long long other;
	int page, other_page;
	double sim;
} pair;

static int pair_order(const void *pa, const void *pb)
{
	const pair *a = pa, *b = pb;

	if (a->other != b->other)
		return a->other < b->other ? -1 : 1;
	if (a->page != b->page)
		return a->page - b->page;
	return (a->sim < b->sim) - (a->sim > b->sim);
}

/* The pages of other documents that one page of id may repeat: appended
 * to *pairs (grown; *n, *cap). */
static int find_pairs(kt_catalog *c, long long id, int page, const uint32_t sk[SKETCH],
		      const char *nums, pair **pairs, size_t *n, size_t *cap)
{
	sqlite3_stmt *st;
	int b, rc = KT_OK;

	for (b = 0; rc == KT_OK && b < BANDS; b++) {
		st = kt_cat_prep(c, "SELECT DISTINCT p.doc_id, p.n, s.sketch, s.numbers FROM page_bands p"
				 " JOIN page_sketches s ON s.doc_id=p.doc_id AND s.n=p.n"
				 " JOIN documents d ON d.id=p.doc_id AND d.status='done'"
				 " WHERE p.band=? AND p.hash=? AND p.doc_id<>?", "iii",
				 (long long)b, band_hash(sk, b), id);
		if (st == NULL)
			return c->err.code;
		while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW) {
			const void *blob = sqlite3_column_blob(st, 2);
			uint32_t other[SKETCH];
			double sim;

			if (sqlite3_column_bytes(st, 2) != (int)sizeof other || blob == NULL)
				continue;
			memcpy(other, blob, sizeof other);
			if ((sim = similarity(sk, other)) < DUP_THRESHOLD ||
			    numbers_differ(nums, (const char *)sqlite3_column_text(st, 3)))
				continue;
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 16;
				pair *g = realloc(*pairs, nc * sizeof *g);

				if (g == NULL) {
					rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
					break;
				}
				*pairs = g;
				*cap = nc;
			}
			(*pairs)[(*n)++] = (pair){ sqlite3_column_int64(st, 0), page,
						   sqlite3_column_int(st, 1), sim };
		}
		sqlite3_finalize(st);
	}
	return rc;
}

/* Flag id and each other document its pairs name (sorted by other): one
 * row per pair of documents, the later one first. */
static int put_flags(kt_catalog *c, long long id, pair *p, size_t n)
{
	size_t i, j, k;
	int rc = KT_OK;

	for (i = 0; rc == KT_OK && i < n; i = j) {
		kt_buf ev = KT_BUF_INIT;
		double best = 0;
		int pages = 0;

		for (j = i; j < n && p[j].other == p[i].other; j++) {
			int again = 0;

			for (k = i; k < j; k++)
				again |= p[k].page == p[j].page;
			if (again) /* a page's best match only */
				continue;
			pages++;
			if (p[j].sim > best)
				best = p[j].sim;
			if (kt_buf_printf(&ev, "%spage %d ~ page %d (%.2f)", pages > 1 ? "; " : "",
					  id > p[j].other ? p[j].page : p[j].other_page,
					  id > p[j].other ? p[j].other_page : p[j].page, p[j].sim) != KT_OK)
				rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
		}
		if (rc == KT_OK)
			rc = kt_cat_do(c, "flag a duplicate",
				       "INSERT OR REPLACE INTO duplicates(doc_id, of_doc, pages, similarity,"
				       " evidence) VALUES (?,?,?,?,?)", "iiids",
				       id > p[i].other ? id : p[i].other, id > p[i].other ? p[i].other : id,
				       (long long)pages, best, kt_buf_cstr(&ev));
		kt_buf_release(&ev);
	}
	return rc;
}

int kt_cat_dups_doc(kt_catalog *c, long long id, const kt_catalog_page *pages, int npages)
{
	pair *pairs = NULL;
	size_t n = 0, cap = 0;
	int i, b, rc;

	rc = kt_cat_do(c, "compare pages", "DELETE FROM page_bands WHERE doc_id=?", "i", id);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "compare pages", "DELETE FROM page_sketches WHERE doc_id=?", "i", id);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "compare pages", "DELETE FROM duplicates WHERE doc_id=? OR of_doc=?",
			       "ii", id, id);
	for (i = 0; rc == KT_OK && i < npages; i++) {
		uint32_t sk[SKETCH];
		kt_buf nums = KT_BUF_INIT;

		if (pages[i].blank || pages[i].text == NULL || sketch(pages[i].text, sk, &nums) == 0) {
			kt_buf_release(&nums);
			continue;
		}
		rc = kt_cat_do(c, "compare pages", "INSERT INTO page_sketches(doc_id, n, sketch, numbers)"
			       " VALUES (?,?,?,?)", "iibs", id, (long long)pages[i].n, sk, sizeof sk,
			       kt_buf_cstr(&nums));
		for (b = 0; rc == KT_OK && b < BANDS; b++)
			rc = kt_cat_do(c, "compare pages", "INSERT INTO page_bands(band, hash, doc_id, n)"
				       " VALUES (?,?,?,?)", "iiii", (long long)b, band_hash(sk, b), id,
				       (long long)pages[i].n);
		if (rc == KT_OK)
			rc = find_pairs(c, id, pages[i].n, sk, kt_buf_cstr(&nums), &pairs, &n, &cap);
		kt_buf_release(&nums);
	}
	if (rc == KT_OK && n > 0) {
		qsort(pairs, n, sizeof *pairs, pair_order);
		rc = put_flags(c, id, pairs, n);
	}
	free(pairs);
	return rc;
}
