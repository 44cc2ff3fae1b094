/*
 * catalog_person.c - the person view of the catalog (`kartoteka person`):
 * the cases of one person, found by personal code or by name, and the
 * documents that hold a personal code but are linked to no case.
 *
 * Names are matched folded (kt_fold.h, the one folding that extraction and
 * search share, lower-cased): "Berzins" finds "Bērziņš". The cases table is
 * read in case number order and matched here, in C, because SQLite knows no
 * folding of ours.
 */
#include "catalog_private.h"
#include "kt_fold.h"
#include "kt_strv.h"

#include <stdlib.h>
#include <string.h>

/* The words of a text, folded and lower-cased, into words (appended). A NULL
 * text has none. KT_OK or KT_FATAL (out of memory, message on c). */
static int folded_words(kt_catalog *c, const char *text, kt_strv *words)
{
	char *f;
	const char *p;

	if (text == NULL)
		return KT_OK;
	if ((f = kt_fold(text, strlen(text), KT_FOLD_LOWER, NULL)) == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	p = f;
	while (*p) {
		size_t len = strcspn(p, " \t\r\n,;");

		if (len > 0 && kt_strv_pushn(words, p, len) != KT_OK) {
			free(f);
			return kt_error_set(&c->err, KT_FATAL, "out of memory");
		}
		p += len;
		p += strspn(p, " \t\r\n,;");
	}
	free(f);
	return KT_OK;
}

static int has_word(const kt_strv *words, const char *w)
{
	size_t i;

	for (i = 0; i < words->n; i++)
		if (strcmp(words->v[i], w) == 0)
			return 1;
	return 0;
}

/* Does a case's person match the query words? One word: one of the surname's
 * or the given names' words. More: the first is one of the surname's words
 * and every other one of the given names' ("SURNAME GIVEN"), or the other
 * way round ("GIVEN SURNAME": the last is the surname's). */
static int name_matches(const kt_strv *q, const kt_strv *surname, const kt_strv *given)
{
	size_t i;
	int ok;

	if (q->n == 0)
		return 0;
	if (q->n == 1)
		return has_word(surname, q->v[0]) || has_word(given, q->v[0]);
	ok = has_word(surname, q->v[0]);
	for (i = 1; ok && i < q->n; i++)
		ok = has_word(given, q->v[i]);
	if (ok)
		return 1;
	ok = has_word(surname, q->v[q->n - 1]);
	for (i = 0; ok && i + 1 < q->n; i++)
		ok = has_word(given, q->v[i]);
	return ok;
}

/* Hand the list over as the caller's array (kt_catalog_strings_free), or
 * free it when rc is not KT_OK. Returns rc. */
static int hand_over(kt_strv *found, int rc, char ***nums, int *n)
{
	if (rc != KT_OK || found->n > (size_t)0x7fffffff) {
		kt_strv_release(found);
		return rc;
	}
	*nums = found->v;
	*n = (int)found->n;
	return rc;
}

int kt_catalog_person_cases_by_name(kt_catalog *c, const char *name, char ***nums, int *n)
{
	kt_strv q = KT_STRV_INIT, found = KT_STRV_INIT;
	sqlite3_stmt *st;
	int rc = KT_OK, step = SQLITE_DONE;

	*nums = NULL;
	*n = 0;
	if (folded_words(c, name, &q) != KT_OK) {
		kt_strv_release(&q);
		return c->err.code;
	}
	st = kt_cat_prep(c, "SELECT case_number, surname, given_names FROM cases"
			 " ORDER BY case_number", "");
	if (st == NULL) {
		kt_strv_release(&q);
		return c->err.code;
	}
	while (rc == KT_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		kt_strv sur = KT_STRV_INIT, giv = KT_STRV_INIT;

		rc = folded_words(c, (const char *)sqlite3_column_text(st, 1), &sur);
		if (rc == KT_OK)
			rc = folded_words(c, (const char *)sqlite3_column_text(st, 2), &giv);
		if (rc == KT_OK && name_matches(&q, &sur, &giv) &&
		    kt_strv_push(&found, (const char *)sqlite3_column_text(st, 0)) != KT_OK)
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
		kt_strv_release(&sur);
		kt_strv_release(&giv);
	}
	if (rc == KT_OK && step != SQLITE_DONE)
		rc = kt_cat_fail(c, "read the case records");
	sqlite3_finalize(st);
	kt_strv_release(&q);
	return hand_over(&found, rc, nums, n);
}

int kt_catalog_person_cases_by_code(kt_catalog *c, const char *code, char ***nums, int *n)
{
	sqlite3_stmt *st = kt_cat_prep(c, "SELECT case_number FROM cases WHERE personal_code=?"
				       " ORDER BY case_number", "s", code);
	kt_strv found = KT_STRV_INIT;
	int rc = KT_OK, step = SQLITE_DONE;

	*nums = NULL;
	*n = 0;
	if (st == NULL)
		return c->err.code;
	while (rc == KT_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
		if (kt_strv_push(&found, (const char *)sqlite3_column_text(st, 0)) != KT_OK)
			rc = kt_error_set(&c->err, KT_FATAL, "out of memory");
	if (rc == KT_OK && step != SQLITE_DONE)
		rc = kt_cat_fail(c, "read the case records");
	sqlite3_finalize(st);
	return hand_over(&found, rc, nums, n);
}

int kt_catalog_person_unlinked_doc_ids(kt_catalog *c, const char *code, long long **ids, int *n)
{
	return kt_cat_collect_ids(c, kt_cat_prep(c,
		"SELECT d.id FROM documents d WHERE d.status='done'"
		" AND EXISTS (SELECT 1 FROM fields f WHERE f.doc_id=d.id AND f.kind='personal_code'"
		"             AND f.value=?)"
		" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.doc_id=d.id) ORDER BY"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=d.id AND f.kind='date') IS NULL,"
		" (SELECT min(value) FROM fields f WHERE f.doc_id=d.id AND f.kind='date'), d.id",
		"s", code), ids, n);
}
