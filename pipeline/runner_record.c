/*
 * runner_record.c - what the runner makes from a document (runner_private.h):
 * the package's document record (kt_doc of kt_record.h, the archive's
 * document.json) from a document in flight, with an e-signed container's
 * signatures in its metadata, and the pages of the full-text index from a
 * catalogued document.
 */
#include "runner_private.h"
#include "kt_buf.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append version n (package, created, reason copied; each may be NULL). */
static int add_version(kt_doc *rec, int n, const char *package, const char *created,
		       const char *reason)
{
	kt_doc_version *v;

	if (kt_doc_add_version(rec, n, package) != KT_OK)
		return KT_FATAL;
	v = &rec->versions[rec->n_versions - 1];
	if (kt_doc_str_set(&v->created, created) != KT_OK || kt_doc_str_set(&v->reason, reason) != KT_OK)
		return KT_FATAL;
	return KT_OK;
}

/* rec's versions: d->history's (none when ingested), then d->version, made
 * now, for its reason. */
static int package_versions(kt_doc *rec, const kt_run_doc *d)
{
	size_t i, nh = d->history ? d->history->n_versions : 0;
	char now[21];
	int rc = KT_OK;

	for (i = 0; rc == KT_OK && i < nh; i++) {
		const kt_doc_version *h = &d->history->versions[i];

		if (h->version < d->version)
			rc = add_version(rec, h->version, h->package, h->created, h->reason);
	}
	kt_now_iso(now);
	return rc == KT_OK ? add_version(rec, d->version, NULL, now, d->version_reason) : rc;
}

/* An e-signed container's signatures (none for other formats) into rec's
 * metadata ("signatures", kept by the catalog with the rest of it): as the
 * XML says, never verified ("verified": false). What the source read with
 * trouble (a signature file that does not parse, data files that give no
 * page) goes with the file's event as its warning. KT_OK or KT_FATAL. */
static int package_signatures(kt_doc *rec, kt_run_doc *d)
{
	const kt_source_signature *s = NULL;
	size_t n = kt_source_signatures(d->src, &s), i, k;
	const char *warning = kt_source_warning(d->src);
	int rc = KT_OK;

	if (warning != NULL && d->warning[0] == '\0')
		snprintf(d->warning, sizeof d->warning, "%s", warning);
	for (i = 0; rc == KT_OK && i < n; i++) {
		kt_doc_signature *ds = kt_doc_add_signature(&rec->meta);

		if (ds == NULL)
			return KT_FATAL;
		ds->verified = 0; /* kartoteka does not check signatures */
		rc = kt_doc_str_set(&ds->xml, s[i].xml);
		if (rc == KT_OK)
			rc = kt_doc_str_set(&ds->signer, s[i].signer);
		if (rc == KT_OK)
			rc = kt_doc_str_set(&ds->signing_time, s[i].signing_time);
		if (rc == KT_OK)
			rc = kt_doc_str_set(&ds->error, s[i].error);
		for (k = 0; rc == KT_OK && k < s[i].files.n; k++)
			rc = kt_strv_push(&ds->files, s[i].files.v[k]);
	}
	if (n > 0)
		rec->meta.has |= KT_DOC_HAS_SIGNATURES;
	return rc;
}

kt_doc *kt_run_package_record(const kt_run *r, kt_run_doc *d, const json_t *metadata)
{
	kt_doc *rec = kt_doc_new();
	char engine[64];
	kt_error e = { 0 };
	int i, rc = rec ? KT_OK : KT_FATAL;

	snprintf(engine, sizeof engine, "tesseract %s", kt_ocr_version());
	if (rc == KT_OK) {
		rec->id = d->id;
		rc = kt_doc_set_source(rec, d->path, strlen(d->path));
	}
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->sha256, d->sha256);
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->format, kt_source_format(d->src));
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->batch, r->batch_name);
	if (rc == KT_OK)
		rc = kt_doc_str_set(&rec->ocr_engine, engine);
	/* a part of a file that separator sheets divide */
	if (rc == KT_OK && d->part > 0) {
		rec->part = d->part;
		rec->parts = d->parts;
		rec->first_page = d->first_page;
		rec->last_page = d->last_page;
		rc = kt_doc_str_set(&rec->separator, d->separator);
	}
	for (i = 0; rc == KT_OK && i < d->npages; i++) {
		const kt_page_result *p = &d->pages[i];
		kt_doc_page *pg = kt_doc_add_page(rec);

		if (pg == NULL) {
			rc = KT_FATAL;
			break;
		}
		*pg = (kt_doc_page){ .n = i + 1, .rotation = p->rotation, .skew = p->skew,
				     .blank = p->blank, .confidence = p->confidence,
				     .measured = p->measured, .paper = p->paper, .ink = p->ink,
				     .cut_words = p->cut_words, .cut_edges = p->cut_edges };
		rc = kt_doc_str_set(&pg->lang, p->lang);
		if (rc == KT_OK)
			rc = kt_doc_str_set(&pg->text, p->text ? p->text : "");
		/* "pdf" (the PDF page's own text) or "ocr" */
		if (rc == KT_OK && p->text_source[0] != '\0')
			rc = kt_doc_str_set(&pg->text_source, p->text_source);
	}
	/* The versions so far (of a reprocessed document), then this one, so
	 * that every package tells its history and a rebuild can put it back. */
	if (rc == KT_OK)
		rc = package_versions(rec, d);
	/* The extractor's metadata does not conform: the file is given up, and
	 * its reason names it (the record's message does not know the file). */
	if (rc == KT_OK && (rc = kt_doc_meta_from_json(metadata, &rec->meta, &e)) != KT_OK &&
	    rc != KT_FATAL)
		kt_error_set(&d->err, rc, "'%s': %s", d->path, e.msg);
	if (rc == KT_OK)
		rc = package_signatures(rec, d);
	if (rc == KT_FATAL)
		kt_error_set(&d->err, KT_FATAL, "out of memory");
	if (rc != KT_OK)
		kt_doc_free(&rec);
	return rec;
}

int kt_run_corrected_pages(kt_run_doc *d)
{
	const kt_doc *h = d->history;
	size_t i;

	for (i = 0; h != NULL && i < h->n_corrections; i++) {
		const kt_doc_correction *c = &h->corrections[i];
		char *t;

		if (strcmp(c->field, "page_text") != 0 || c->page < 1 || c->page > d->npages ||
		    !json_is_string(c->value))
			continue;
		if ((t = strdup(json_string_value(c->value))) == NULL)
			return kt_error_set(&d->err, KT_FATAL, "out of memory");
		free(d->pages[c->page - 1].text);
		d->pages[c->page - 1].text = t;
		/* the page's text is a person's now, whatever read it first */
		snprintf(d->pages[c->page - 1].text_source, sizeof d->pages[c->page - 1].text_source,
			 "edited");
	}
	return KT_OK;
}

int kt_run_corrected_record(kt_run_doc *d)
{
	const kt_doc *h = d->history;
	size_t i;
	int rc = KT_OK;

	if (h == NULL || h->n_corrections == 0)
		return KT_OK;
	rc = kt_doc_apply_meta_corrections(&d->rec->meta, h);
	for (i = 0; rc == KT_OK && i < h->n_corrections; i++) {
		const kt_doc_correction *c = &h->corrections[i];

		rc = kt_doc_add_correction(d->rec, c->field, c->page, c->value, c->user, c->at,
					   c->reason);
	}
	return rc == KT_OK ? KT_OK : kt_error_set(&d->err, KT_FATAL, "out of memory");
}

/* The outcome rc of a call on the index, graded for a batch: KT_OK or a
 * warning (the page is indexed, a malformed field value was left out) gives
 * KT_OK; a failure stops the batch: KT_FATAL, with the index's message. */
static int index_outcome(kt_index *ix, int rc, kt_error *err)
{
	if (rc >= KT_WARN)
		return KT_OK;
	kt_error_escalate(err, kt_index_error(ix), KT_FATAL);
	return KT_FATAL;
}

/* The names a document is found by (name:): "given surname" of every name
 * of its metadata, then of its MRZ's holder; a missing part is "". */
static int index_names(const kt_doc_meta *m, kt_strv *out)
{
	kt_buf b = KT_BUF_INIT;
	size_t i;
	int rc = KT_OK;

	for (i = 0; rc == KT_OK && i <= m->n_names; i++) {
		const char *given, *surname;

		if (i < m->n_names) {
			given = m->names[i].given_names;
			surname = m->names[i].surname;
		} else if (m->mrz != NULL) {
			given = m->mrz->given_names;
			surname = m->mrz->surname;
		} else {
			break;
		}
		kt_buf_truncate(&b, 0);
		rc = kt_buf_printf(&b, "%s %s", given ? given : "", surname ? surname : "");
		if (rc == KT_OK)
			rc = kt_strv_push(out, kt_buf_cstr(&b));
	}
	kt_buf_release(&b);
	return rc;
}

/* s, or NULL when it is not UTF-8: such a string (a batch named after a
 * folder whose name is not UTF-8) is left out of the index, as it always
 * was (the index was once given the document's JSON form, which cannot hold
 * it). */
static const char *utf8_or_null(const char *s)
{
	return s != NULL && kt_utf8_valid(s, strlen(s)) ? s : NULL;
}

int kt_run_index_put(kt_index *ix, const kt_doc *doc, kt_error *err)
{
	const kt_doc_meta *m = &doc->meta;
	kt_strv names = KT_STRV_INIT;
	int rc = KT_OK;
	size_t i;

	if (index_names(m, &names) != KT_OK)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc == KT_OK)
		rc = index_outcome(ix, kt_index_delete_doc(ix, doc->id), err);
	for (i = 0; rc == KT_OK && i < doc->n_pages; i++) {
		const kt_doc_page *p = &doc->pages[i];
		kt_index_page ip = {
			.doc_id = doc->id,
			.page = p->n,
			.text = utf8_or_null(p->text),
			.lang = utf8_or_null(p->lang),
			.doc_type = m->doc_type,
			.batch = utf8_or_null(doc->batch),
			.case_numbers = (const char *const *)m->case_numbers.v,
			.n_case_numbers = (int)m->case_numbers.n,
			.personal_codes = (const char *const *)m->personal_codes.v,
			.n_personal_codes = (int)m->personal_codes.n,
			.dates = (const char *const *)m->dates.v,
			.n_dates = (int)m->dates.n,
			.names = (const char *const *)names.v,
			.n_names = (int)names.n,
		};

		rc = index_outcome(ix, kt_index_put_page(ix, &ip), err);
	}
	kt_strv_release(&names);
	return rc;
}
