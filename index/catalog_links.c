/*
 * catalog_links.c - linking documents to the case records (table links):
 * the rules of docs/cases.md "Linking", each link with its evidence, the
 * rule that made it and a confidence. The decisions people make on links
 * are in catalog_review.c; what a case or document shows is the view
 * case_links (catalog_sqlite.c), which joins the two.
 *
 * The rules, strongest first, each alone worth:
 *   case_number       a case number the case records know          1.00
 *   personal_code     a valid personal code of a case's person     0.95
 *   mrz               MRZ surname, given name and birth date of a
 *                     case's person (check digits hold / not)      0.90 / 0.65
 *   name_birth_date   a name found in the text and a date of the
 *                     text that are a case person's                0.75
 *   case_number_near  a case number the records do not know, one
 *                     digit off one they know (an OCR error)       0.50
 *                     (0.30 each when several are one digit off)
 * Evidence about the person alone cannot say which of the person's cases a
 * document belongs to: it is capped at 0.70 when the person has several
 * cases, and at 0.50 for a case the document does not name when it names
 * another by number. Several rules for one case add up as independent
 * evidence: 1 - (1 - a)(1 - b)... A link below KT_CATALOG_LINK_THRESHOLD is
 * a suggestion for the review queue.
 */
#include "catalog_private.h"
#include "kt_buf.h"
#include "kt_fold.h"
#include "kt_record.h"
#include "kt_strv.h"
#include "kt_translit.h"
#include "kt_vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C_CASE_NUMBER 1.0
#define C_PCODE 0.95
#define C_MRZ 0.90
#define C_MRZ_UNCHECKED 0.65
#define C_NAME_BIRTH 0.75
#define C_NEAR 0.50
#define C_NEAR_SHARED 0.30
#define CAP_PERSON_SHARED 0.70
#define CAP_OTHER_CASE 0.50

/* One piece of evidence for one case. */
typedef struct hit {
	char *case_number;
	const char *rule;
	double conf;
	char *evidence;
	int person;   /* from the person (code, MRZ, name): not from a number */
	int n_cases;  /* the cases that same evidence matched */
} hit;

/* What one linking run keeps: the hits of the document being linked, and
 * every known case number once one is needed (near matches). */
typedef struct linker {
	kt_catalog *c;
	kt_vec hits;
	kt_strv known;
	int known_loaded;
} linker;

static void hits_clear(linker *lk)
{
	hit *h = lk->hits.data;
	size_t i;

	for (i = 0; i < lk->hits.len; i++) {
		free(h[i].case_number);
		free(h[i].evidence);
	}
	lk->hits.len = 0;
}

static int add_hit(linker *lk, const char *case_number, const char *rule, double conf,
		   int person, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int add_hit(linker *lk, const char *case_number, const char *rule, double conf,
		   int person, const char *fmt, ...)
{
	hit h = { .rule = rule, .conf = conf, .person = person, .n_cases = 1 };
	kt_buf b = { 0 };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	h.case_number = strdup(case_number);
	h.evidence = kt_buf_detach(&b, NULL);
	if (rc != KT_OK || h.case_number == NULL || h.evidence == NULL ||
	    kt_vec_push(&lk->hits, &h) != KT_OK) {
		free(h.case_number);
		free(h.evidence);
		return kt_error_set(&lk->c->err, KT_FATAL, "out of memory");
	}
	return KT_OK;
}

/* ---------------------------------------------------------------- names */

/* A name as it is compared: folded, Cyrillic in Latin letters, lower case,
 * letters only, words separated by one space ("Bērziņa-Ozola" and the MRZ's
 * "BERZINA OZOLA" both give "berzina ozola"). malloc'd; NULL when out of
 * memory or s is NULL. */
static char *name_key(const char *s)
{
	char *f, *t, *out;
	size_t i, n = 0;

	if (s == NULL)
		return NULL;
	f = kt_fold(s, strlen(s), KT_FOLD_LOWER, NULL);
	t = f ? kt_translit(f, strlen(f), KT_TRANSLIT_LOWER, NULL) : NULL;
	free(f);
	if (t == NULL)
		return NULL;
	out = t;
	for (i = 0; t[i]; i++) {
		unsigned char ch = (unsigned char)t[i];

		if ((ch >= 'a' && ch <= 'z') || ch >= 0x80)
			out[n++] = (char)ch;
		else if (n > 0 && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

/* The first word of a name key, its length in *len. */
static const char *first_word(const char *k, size_t *len)
{
	const char *sp = strchr(k, ' ');

	*len = sp ? (size_t)(sp - k) : strlen(k);
	return k;
}

/* 1 when a name (surname, given names) is the case's person: the surnames
 * are the same, the first given names the same or one the other's start of
 * at least 4 letters (an MRZ cuts long names short). */
static int same_person(const char *surname, const char *given, const char *case_surname,
		       const char *case_given)
{
	char *a = name_key(surname), *b = name_key(case_surname);
	char *g = name_key(given), *h = name_key(case_given);
	int same = 0;

	if (a && b && g && h && a[0] && g[0] && strcmp(a, b) == 0) {
		size_t ng, nh, n;
		const char *wg = first_word(g, &ng), *wh = first_word(h, &nh);

		n = ng < nh ? ng : nh;
		same = (ng == nh || n >= 4) && n > 0 && memcmp(wg, wh, n) == 0;
	}
	free(a);
	free(b);
	free(g);
	free(h);
	return same;
}

/* --------------------------------------------------------------- rules */

static int known_numbers(linker *lk)
{
	sqlite3_stmt *st;

	if (lk->known_loaded)
		return KT_OK;
	st = kt_cat_prep(lk->c, "SELECT case_number FROM cases ORDER BY case_number", "");
	if (st == NULL)
		return lk->c->err.code;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (kt_strv_push(&lk->known, (const char *)sqlite3_column_text(st, 0)) != KT_OK) {
			sqlite3_finalize(st);
			return kt_error_set(&lk->c->err, KT_FATAL, "out of memory");
		}
	sqlite3_finalize(st);
	lk->known_loaded = 1;
	return KT_OK;
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* 1 when a becomes b by changing one digit into another, or by leaving out
 * or adding one digit: what an OCR error does to a number. */
static int one_digit_off(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la == lb) {
		while (i < la && a[i] == b[i])
			i++;
		return i < la && is_digit(a[i]) && is_digit(b[i]) && strcmp(a + i + 1, b + i + 1) == 0;
	}
	if (la + 1 == lb) {
		const char *t = a;

		a = b;
		b = t;
		la = lb;
	} else if (lb + 1 != la) {
		return 0;
	}
	/* a is one longer: leave out its first differing byte, a digit */
	while (b[i] && a[i] == b[i])
		i++;
	return is_digit(a[i]) && strcmp(a + i + 1, b + i) == 0;
}

static int rule_case_number(linker *lk, const char *cn)
{
	sqlite3_stmt *st = kt_cat_prep(lk->c, "SELECT 1 FROM cases WHERE case_number=?", "s", cn);
	int known, rc = KT_OK;
	size_t i, near = 0;

	if (st == NULL)
		return lk->c->err.code;
	known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (known)
		return add_hit(lk, cn, "case_number", C_CASE_NUMBER, 0, "case number %s", cn);
	if ((rc = known_numbers(lk)) != KT_OK)
		return rc;
	for (i = 0; i < lk->known.n; i++)
		near += one_digit_off(cn, lk->known.v[i]);
	for (i = 0; rc == KT_OK && i < lk->known.n; i++)
		if (one_digit_off(cn, lk->known.v[i]))
			rc = add_hit(lk, lk->known.v[i], "case_number_near",
				     near == 1 ? C_NEAR : C_NEAR_SHARED, 0,
				     "case number %s read, one digit off %s", cn, lk->known.v[i]);
	return rc;
}

/* Mark the last n hits as matched by one piece of person evidence. */
static void shared(linker *lk, size_t from)
{
	hit *h = lk->hits.data;
	size_t i, n = lk->hits.len - from;

	for (i = from; i < lk->hits.len; i++)
		h[i].n_cases = (int)n;
}

static int rule_pcode(linker *lk, const char *code)
{
	sqlite3_stmt *st = kt_cat_prep(lk->c, "SELECT case_number FROM cases WHERE personal_code=?"
				       " ORDER BY case_number", "s", code);
	size_t from = lk->hits.len;
	int rc = st ? KT_OK : lk->c->err.code;

	while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW)
		rc = add_hit(lk, (const char *)sqlite3_column_text(st, 0), "personal_code", C_PCODE, 1,
			     "personal code %s", code);
	sqlite3_finalize(st);
	shared(lk, from);
	return rc;
}

/* Cases whose person has this birth date and name: one hit each. */
static int rule_person(linker *lk, const char *surname, const char *given, const char *birth,
		       const char *rule, double conf, const char *what)
{
	sqlite3_stmt *st;
	size_t from = lk->hits.len;
	int rc;

	if (surname == NULL || given == NULL || birth == NULL)
		return KT_OK;
	st = kt_cat_prep(lk->c, "SELECT case_number, surname, given_names FROM cases"
			 " WHERE birth_date=? ORDER BY case_number", "s", birth);
	rc = st ? KT_OK : lk->c->err.code;
	while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW)
		if (same_person(surname, given, (const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2)))
			rc = add_hit(lk, (const char *)sqlite3_column_text(st, 0), rule, conf, 1,
				     "%s %s %s, born %s", what, surname, given, birth);
	sqlite3_finalize(st);
	shared(lk, from);
	return rc;
}

static int find_hits(linker *lk, const kt_doc_meta *m)
{
	size_t i, j;
	int rc = KT_OK;

	for (i = 0; rc == KT_OK && i < m->case_numbers.n; i++)
		rc = rule_case_number(lk, m->case_numbers.v[i]);
	for (i = 0; rc == KT_OK && i < m->personal_codes.n; i++)
		rc = rule_pcode(lk, m->personal_codes.v[i]);
	if (rc == KT_OK && m->mrz != NULL)
		rc = rule_person(lk, m->mrz->surname, m->mrz->given_names, m->mrz->birth_date, "mrz",
				 m->mrz->valid ? C_MRZ : C_MRZ_UNCHECKED,
				 m->mrz->valid ? "MRZ" : "MRZ (check digits fail)");
	for (i = 0; rc == KT_OK && i < m->n_names; i++)
		for (j = 0; rc == KT_OK && j < m->dates.n; j++)
			rc = rule_person(lk, m->names[i].surname, m->names[i].given_names,
					 m->dates.v[j], "name_birth_date", C_NAME_BIRTH, "name");
	return rc;
}

/* ------------------------------------------------------------ combining */

static int hit_order(const void *pa, const void *pb)
{
	const hit *a = pa, *b = pb;
	int d = strcmp(a->case_number, b->case_number);

	if (d != 0)
		return d;
	return (a->conf < b->conf) - (a->conf > b->conf);
}

/* A confidence as it is kept: three decimals. */
static double round3(double x)
{
	return (double)(long)(x * 1000.0 + 0.5) / 1000.0;
}

/* Cap person evidence (see the top of the file), then write one row per
 * case: the rules' confidences combined, the evidence strongest first. */
static int put_links(linker *lk, long long doc_id)
{
	hit *h = lk->hits.data;
	size_t i, j, n = lk->hits.len;
	int by_number = 0, rc = KT_OK;

	for (i = 0; i < n; i++)
		by_number |= strcmp(h[i].rule, "case_number") == 0;
	for (i = 0; i < n; i++) {
		int named = 0;

		if (!h[i].person)
			continue;
		for (j = 0; j < n; j++)
			named |= strcmp(h[j].rule, "case_number") == 0 &&
				 strcmp(h[j].case_number, h[i].case_number) == 0;
		if (named)
			continue;
		if (by_number && h[i].conf > CAP_OTHER_CASE)
			h[i].conf = CAP_OTHER_CASE;
		else if (h[i].n_cases > 1 && h[i].conf > CAP_PERSON_SHARED)
			h[i].conf = CAP_PERSON_SHARED;
	}
	if (n > 1)
		qsort(h, n, sizeof *h, hit_order);
	for (i = 0; rc == KT_OK && i < n; i = j) {
		kt_buf ev = { 0 };
		double miss = 1.0;
		size_t k;

		for (j = i; j < n && strcmp(h[j].case_number, h[i].case_number) == 0; j++) {
			int again = 0;

			for (k = i; k < j; k++)
				again |= strcmp(h[k].rule, h[j].rule) == 0;
			if (!again) /* one rule counts once: its strongest */
				miss *= 1.0 - h[j].conf;
			if ((j > i && kt_buf_puts(&ev, "; ") != KT_OK) ||
			    kt_buf_puts(&ev, h[j].evidence) != KT_OK)
				rc = kt_error_set(&lk->c->err, KT_FATAL, "out of memory");
		}
		if (rc == KT_OK)
			rc = kt_cat_do(lk->c, "link documents",
				       "INSERT INTO links(doc_id, case_number, evidence, rule, confidence)"
				       " VALUES (?,?,?,?,?)", "isssd", doc_id, h[i].case_number,
				       kt_buf_cstr(&ev), h[i].rule, round3(1.0 - miss));
		kt_buf_release(&ev);
	}
	return rc;
}

/* Link one document from its metadata (the documents.metadata JSON). */
static int link_one(linker *lk, long long doc_id, const char *meta_text)
{
	kt_doc_meta m = { 0 };
	kt_error err = { 0 };
	json_t *j = meta_text ? json_loads(meta_text, 0, NULL) : NULL;
	int rc = kt_cat_do(lk->c, "link documents", "DELETE FROM links WHERE doc_id=?", "i", doc_id);

	/* metadata that cannot be read links nothing (the document goes to the
	 * review queue as unlinked) */
	if (rc == KT_OK && j != NULL && kt_doc_meta_from_json(j, &m, &err) == KT_OK) {
		rc = find_hits(lk, &m);
		if (rc == KT_OK)
			rc = put_links(lk, doc_id);
	}
	hits_clear(lk);
	kt_doc_meta_release(&m);
	json_decref(j);
	return rc;
}

int kt_cat_link_docs(kt_catalog *c, long long doc_id)
{
	linker lk = { .c = c };
	sqlite3_stmt *st;
	int rc;

	kt_vec_init(&lk.hits, sizeof(hit));
	st = kt_cat_prep(c, "SELECT id, metadata FROM documents WHERE status='done'"
			 " AND (?=0 OR id=?) ORDER BY id", "ii", doc_id, doc_id);
	rc = st ? KT_OK : c->err.code;
	while (rc == KT_OK && sqlite3_step(st) == SQLITE_ROW)
		rc = link_one(&lk, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	kt_vec_release(&lk.hits);
	kt_strv_release(&lk.known);
	return rc;
}
