/*
 * runner_record.c - what the runner makes from a document (runner_private.h):
 * the package's document record (kt_doc of kt_record.h, the archive's
 * document.json) from a document in flight, and the pages of the full-text
 * index from a catalogued document.
 */
#include "runner_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kt_doc *kt_run_package_record(const kt_run *r, kt_run_doc *d)
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
	for (i = 0; rc == KT_OK && i < d->npages; i++) {
		const kt_page_result *p = &d->pages[i];
		kt_doc_page *pg = kt_doc_add_page(rec);

		if (pg == NULL) {
			rc = KT_FATAL;
			break;
		}
		*pg = (kt_doc_page){ .n = i + 1, .rotation = p->rotation, .skew = p->skew,
				     .blank = p->blank, .confidence = p->confidence };
		rc = kt_doc_str_set(&pg->lang, p->lang);
		if (rc == KT_OK)
			rc = kt_doc_str_set(&pg->text, p->text ? p->text : "");
	}
	/* The extractor's metadata does not conform: the file is given up, and
	 * its reason names it (the record's message does not know the file). */
	if (rc == KT_OK && (rc = kt_doc_meta_from_json(d->metadata, &rec->meta, &e)) != KT_OK &&
	    rc != KT_FATAL)
		kt_error_set(&d->err, rc, "'%s': %s", d->path, e.msg);
	if (rc == KT_FATAL)
		kt_error_set(&d->err, KT_FATAL, "out of memory");
	if (rc != KT_OK)
		kt_doc_free(&rec);
	return rec;
}

/* Strings of a JSON array, borrowed from it, in a malloc'd array. */
static const char **strings_of(json_t *arr, int *n)
{
	const char **out = calloc(json_array_size(arr) + 1, sizeof *out);
	size_t i;
	json_t *v;

	*n = 0;
	if (out == NULL)
		return NULL;
	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			out[(*n)++] = json_string_value(v);
	return out;
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

int kt_run_index_put(kt_index *ix, json_t *doc, kt_error *err)
{
	json_t *meta = json_object_get(doc, "metadata"), *pages = json_object_get(doc, "pages"), *p;
	json_t *names = json_array(), *v, *mrz = json_object_get(meta, "mrz");
	const char **cases, **codes, **dates, **nm;
	int nc, npc, nd, nn, rc = KT_OK;
	long long id = json_integer_value(json_object_get(doc, "id"));
	size_t i;

	json_array_foreach(json_object_get(meta, "names"), i, v) {
		json_t *s = json_object_get(v, "surname"), *g = json_object_get(v, "given_names");

		json_array_append_new(names, json_sprintf("%s %s", json_is_string(g) ? json_string_value(g) : "",
							  json_is_string(s) ? json_string_value(s) : ""));
	}
	if (json_is_object(mrz))
		json_array_append_new(names, json_sprintf("%s %s",
			json_string_value(json_object_get(mrz, "given_names")) ?: "",
			json_string_value(json_object_get(mrz, "surname")) ?: ""));
	cases = strings_of(json_object_get(meta, "case_numbers"), &nc);
	codes = strings_of(json_object_get(meta, "personal_codes"), &npc);
	dates = strings_of(json_object_get(meta, "dates"), &nd);
	nm = strings_of(names, &nn);
	if (cases == NULL || codes == NULL || dates == NULL || nm == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc == KT_OK)
		rc = index_outcome(ix, kt_index_delete_doc(ix, id), err);
	json_array_foreach(pages, i, p) {
		kt_index_page ip = {
			.doc_id = id,
			.page = (int)json_integer_value(json_object_get(p, "n")),
			.text = json_string_value(json_object_get(p, "text")),
			.lang = json_string_value(json_object_get(p, "lang")),
			.doc_type = json_string_value(json_object_get(meta, "doc_type")),
			.batch = json_string_value(json_object_get(doc, "batch")),
			.case_numbers = cases, .n_case_numbers = nc,
			.personal_codes = codes, .n_personal_codes = npc,
			.dates = dates, .n_dates = nd,
			.names = nm, .n_names = nn,
		};
		if (rc != KT_OK)
			break;
		rc = index_outcome(ix, kt_index_put_page(ix, &ip), err);
	}
	free(cases);
	free(codes);
	free(dates);
	free(nm);
	json_decref(names);
	return rc;
}
