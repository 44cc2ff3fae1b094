/*
 * test_record.c - the document record (pipeline/record/kt_record.h) and its
 * JSON form, locked by golden files:
 *   - input/NAME.json are real outputs of kartoteka (`docs --json` and
 *     `show --json` lines of the e2e store and of a store with hostile file
 *     names, and a package's data/metadata/document.json); each is read with
 *     kt_doc_from_json, written again with kt_doc_to_json in its form, and
 *     compared byte for byte with expected/NAME.json;
 *   - a record built in C is compared with expected/built_in_c.json;
 *   - records of the wrong shape are refused with the key named.
 * No OCR runs here: the inputs are committed files.
 *
 * Usage: test_record SOURCE_DIR [CASE]   (SOURCE_DIR: this folder)
 * KT_RECORD_GENERATE=1 writes expected/built_in_c.json instead of comparing
 * (to be read by a person before it is committed).
 */
#include "kt_record.h"
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;

static void init(char **args)
{
	dir = args[0];
}

/* The JSON text of a record in the form of its file: a package's
 * document.json (name starting "package_") or one line of the command line. */
static char *dump_as(const kt_doc *d, const char *name)
{
	return kt_doc_dumps(d, strncmp(name, "package_", 8) == 0 ? KT_DOC_JSON_PACKAGE
								 : KT_DOC_JSON_LINE);
}

static void compare_file(const char *got, const char *expected_name)
{
	char path[4096];
	size_t len;
	unsigned char *want;

	snprintf(path, sizeof path, "%s/expected/%s", dir, expected_name);
	if (getenv("KT_RECORD_GENERATE") != NULL) {
		kt_test_write_file(path, got, strlen(got));
		return;
	}
	want = kt_test_read_file(path, &len);
	if (want == NULL)
		fail_msg("cannot read '%s'", path);
	if (len != strlen(got) || memcmp(want, got, len) != 0) {
		size_t i = 0;

		while (i < len && got[i] == (char)want[i])
			i++;
		fail_msg("%s differs at byte %zu:\n  want ...%.80s\n  got  ...%.80s", expected_name, i,
			 (const char *)want + i, got + i);
	}
	free(want);
}

/* input/NAME -> kt_doc_from_json -> kt_doc_to_json -> expected/NAME */
static kt_doc *round_trip(const char *name)
{
	char path[4096];
	json_error_t je;
	json_t *j;
	kt_doc *d = NULL;
	kt_error err = { 0 };
	char *got;

	snprintf(path, sizeof path, "%s/input/%s", dir, name);
	j = json_load_file(path, JSON_DECODE_ANY, &je);
	if (j == NULL)
		fail_msg("%s: %s (line %d)", path, je.text, je.line);
	if (kt_doc_from_json(j, &d, &err) != KT_OK)
		fail_msg("%s: %s", name, err.msg);
	json_decref(j);
	got = dump_as(d, name);
	assert_non_null(got);
	compare_file(got, name);
	free(got);
	return d;
}

static void test_golden_mrz(void **state)
{
	kt_doc *d = round_trip("mrz_passport.json");

	(void)state;
	assert_int_equal(d->id, 8);
	assert_int_equal(d->status, KT_DOC_DONE);
	assert_non_null(d->meta.mrz);
	assert_string_equal(d->meta.mrz->format, "TD3");
	assert_true(d->meta.mrz->has_valid);
	assert_true(d->meta.has == KT_DOC_HAS_ALL);
	assert_true(d->has_links);
	kt_doc_free(&d);
	assert_null(d);
}

static void test_golden_failed(void **state)
{
	kt_doc *d = round_trip("failed.json");

	(void)state;
	assert_int_equal(d->status, KT_DOC_FAILED);
	assert_non_null(d->error);
	assert_null(d->format);
	assert_null(d->package);
	assert_int_equal(d->n_pages, 0);
	assert_int_equal(d->meta.has, 0);
	assert_null(d->meta.doc_type);
	kt_doc_free(&d);
}

static void test_golden_cyrillic(void **state)
{
	kt_doc *d = round_trip("cyrillic.json");

	(void)state;
	assert_int_equal(d->n_pages, 1);
	assert_string_equal(d->pages[0].lang, "rus");
	kt_expect_in(d->pages[0].text, "ПРОТОКОЛ");
	kt_doc_free(&d);
}

static void test_golden_multipage(void **state)
{
	kt_doc *d = round_trip("multipage.json");
	size_t i;

	(void)state;
	assert_true(d->n_pages > 1);
	for (i = 0; i < d->n_pages; i++)
		assert_int_equal(d->pages[i].n, (int)i + 1);
	/* "text_source" (issue 18) is read when present; absent is NULL */
	assert_string_equal(d->pages[0].text_source, "ocr");
	assert_string_equal(d->pages[1].text_source, "pdf");
	assert_null(d->pages[2].text_source);
	/* "quality" (issue 19) likewise: absent is not measured */
	assert_true(d->pages[0].measured);
	assert_int_equal(d->pages[0].paper, 231);
	assert_int_equal(d->pages[0].ink, -1);
	assert_int_equal(d->pages[0].cut_words, 3);
	assert_int_equal(d->pages[0].cut_edges, 1 | 8);
	assert_false(d->pages[1].measured);
	kt_doc_free(&d);
}

static void test_golden_hostile_bytes(void **state)
{
	static const char raw[] = "in2/pase\xc3( \xe2\x82 \x01tab\there.png";
	kt_doc *d = round_trip("hostile_bytes.json");

	(void)state;
	/* the bytes that were not UTF-8 come back as bytes */
	assert_int_equal(d->source_len, sizeof raw - 1);
	assert_memory_equal(d->source, raw, sizeof raw - 1);
	kt_doc_free(&d);
}

static void test_golden_hostile_escaped(void **state)
{
	kt_doc *d = round_trip("hostile_escaped.json");

	(void)state;
	/* a name holding the text "\x41" cannot be told from an escape: the
	 * text is kept as it is, and written back the same */
	kt_expect_in(d->source, "\\x41");
	kt_doc_free(&d);
}

static void test_golden_package(void **state)
{
	kt_doc *d = round_trip("package_mrz.json");

	(void)state;
	assert_int_equal(d->status, KT_DOC_NONE);
	assert_false(d->has_links);
	assert_non_null(d->ocr_engine);
	assert_non_null(d->meta.mrz);
	kt_doc_free(&d);
}

/* An e-signed container's package record (issue 18): the metadata's
 * "signatures", one read and one whose file did not parse; never verified. */
static void test_golden_signatures(void **state)
{
	kt_doc *d = round_trip("package_signatures.json");
	const kt_doc_signature *s;
	char *line;

	(void)state;
	assert_string_equal(d->format, "asice");
	assert_true(d->meta.has & KT_DOC_HAS_SIGNATURES);
	assert_int_equal(d->meta.n_signatures, 2);
	s = &d->meta.signatures[0];
	assert_string_equal(s->signer, "ANNA B\xc4\x92RZI\xc5\x85" "A");
	assert_string_equal(s->signing_time, "2023-03-14T14:05:09Z");
	assert_string_equal(s->xml, "META-INF/signatures0.xml");
	assert_int_equal(s->files.n, 3);
	assert_string_equal(s->files.v[2], "piezimes.docx");
	assert_false(s->verified);
	assert_null(s->error);
	s = &d->meta.signatures[1];
	assert_null(s->signer);
	assert_null(s->signing_time);
	assert_int_equal(s->files.n, 0);
	kt_expect_in(s->error, "does not parse");
	/* the line form (the catalog's) has them in the metadata too */
	line = kt_doc_dumps(d, KT_DOC_JSON_LINE);
	kt_expect_in(line, "\"signatures\":[{\"files\":[\"lemums.pdf\",\"pielikums.txt\","
		     "\"piezimes.docx\"],\"signer\":\"ANNA B\xc4\x92RZI\xc5\x85" "A\",\"signing_time\":"
		     "\"2023-03-14T14:05:09Z\",\"verified\":false,\"xml\":\"META-INF/signatures0.xml\"}");
	free(line);
	kt_doc_free(&d);
	/* a record without signatures writes no key */
	d = round_trip("package_mrz.json");
	assert_false(d->meta.has & KT_DOC_HAS_SIGNATURES);
	line = kt_doc_dumps(d, KT_DOC_JSON_LINE);
	assert_null(strstr(line, "signatures"));
	free(line);
	kt_doc_free(&d);
}

/* A record made field by field, as the runner and the catalog make them. */
static void test_built_in_c(void **state)
{
	static const char src[] = "scans/\xc4\x81\xff.tif";
	kt_doc *d = kt_doc_new();
	kt_doc_page *p;
	kt_doc_name *n;
	kt_doc_pcode_candidate *c;
	kt_doc_mrz *z;
	char *got;

	(void)state;
	assert_non_null(d);
	d->id = 42;
	assert_int_equal(kt_doc_set_source(d, src, sizeof src - 1), KT_OK);
	assert_int_equal(kt_doc_str_set(&d->sha256, "00112233445566778899aabbccddeeff"
						   "00112233445566778899aabbccddeeff"), KT_OK);
	d->status = KT_DOC_DONE;
	kt_doc_str_set(&d->format, "tiff");
	kt_doc_str_set(&d->batch, "b1");
	kt_doc_str_set(&d->package, "00/kt-00000042-0011223344556677-v1.tar");
	d->package_version = 1;
	assert_int_equal(kt_doc_add_version(d, 1, d->package), KT_OK);
	kt_doc_str_set(&d->versions[0].created, "2026-12-07T10:00:00Z");
	p = kt_doc_add_page(d);
	assert_non_null(p);
	*p = (kt_doc_page){ .n = 1, .rotation = 90, .skew = -1.25, .confidence = 91 };
	kt_doc_str_set(&p->lang, "lav");
	kt_doc_str_set(&p->text, "Lēmums\nLietas Nr. PMLP-LV-2023-004571\n");
	kt_doc_str_set(&p->text_source, "pdf");
	p = kt_doc_add_page(d);
	*p = (kt_doc_page){ .n = 2, .blank = 1 };
	kt_doc_str_set(&p->lang, "");
	kt_doc_str_set(&p->text, "");
	d->meta.has = KT_DOC_HAS_ALL;
	kt_strv_push(&d->meta.case_numbers, "PMLP-LV-2023-004571");
	kt_strv_push(&d->meta.personal_codes, "140388-12969");
	kt_strv_push(&d->meta.dates, "2023-03-14");
	kt_doc_str_set(&d->meta.doc_type, "decision");
	kt_strv_push(&d->meta.doc_type_evidence, "LĒMUMS");
	n = kt_doc_add_name(&d->meta);
	kt_doc_str_set(&n->surname, "Karimi");
	kt_doc_str_set(&n->given_names, "Ahmad");
	c = kt_doc_add_pcode_candidate(&d->meta);
	kt_doc_str_set(&c->value, "140388-12968");
	kt_doc_str_set(&c->country, "LV");
	kt_doc_str_set(&c->reason, "checksum");
	assert_int_equal(kt_doc_add_pcode_country(&d->meta, "140388-12969", "LV"), KT_OK);
	z = kt_doc_new_mrz(&d->meta);
	assert_non_null(z);
	kt_doc_str_set(&z->format, "TD1");
	kt_doc_str_set(&z->surname, "KARIMI");
	kt_doc_str_set(&z->line1, "I<LVA...");
	kt_doc_str_set(&z->line2, "8803140M...");
	kt_doc_str_set(&z->line3, "KARIMI<<AHMAD");
	z->has_valid = 1;
	z->has_errors = 1;
	kt_strv_push(&z->errors, "composite");
	d->has_links = 1;
	assert_int_equal(kt_doc_add_link(d, "PMLP-LV-2023-004571", "case number PMLP-LV-2023-004571"),
			 KT_OK);
	assert_int_equal(kt_doc_add_link(d, "PMLP-LV-2024-000912", "personal code 140388-12969"),
			 KT_OK);
	d->links[1].confidence = 0.5;
	kt_doc_str_set(&d->links[1].rule, "personal_code");
	kt_doc_str_set(&d->links[1].state, "accepted");
	kt_doc_str_set(&d->links[1].decided_by, "ann");
	kt_doc_str_set(&d->links[1].decided_at, "2026-12-07T10:00:00Z");
	got = kt_doc_dumps(d, KT_DOC_JSON_LINE);
	assert_non_null(got);
	compare_file(got, "built_in_c.json");
	kt_doc_free(&d);
	/* read back, the links are whole again: written the same */
	{
		json_t *j = json_loads(got, 0, NULL);
		char *again;

		assert_int_equal(kt_doc_from_json(j, &d, NULL), KT_OK);
		assert_int_equal(d->n_links, 2);
		assert_true(d->links[1].confidence == 0.5);
		assert_true(d->links[0].confidence < 0);
		assert_string_equal(d->links[1].decided_by, "ann");
		again = kt_doc_dumps(d, KT_DOC_JSON_LINE);
		assert_string_equal(again, got);
		free(again);
		json_decref(j);
	}
	free(got);
	kt_doc_free(&d);
}

/* kt_doc_from_json of text must fail with KT_FAILED and a message holding want. */
static void refuse(const char *text, const char *want)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
	kt_doc *d = (kt_doc *)1;
	kt_error err = { 0 };

	if (j == NULL)
		fail_msg("bad test JSON %s: %s", text, je.text);
	assert_int_equal(kt_doc_from_json(j, &d, &err), KT_FAILED);
	assert_null(d);
	kt_expect_in(err.msg, want);
	json_decref(j);
}

#define OK_HEAD "\"id\":1,\"source\":\"a\",\"sha256\":\"ab\",\"format\":null,\"batch\":null"

static void test_refuses_wrong_types(void **state)
{
	(void)state;
	refuse("[1]", "must be an object");
	refuse("{\"id\":\"1\",\"source\":\"a\"}", "'id' must be an integer, not a string");
	refuse("{" OK_HEAD ",\"pages\":{},\"metadata\":{}}", "'pages' must be an array");
	refuse("{" OK_HEAD ",\"pages\":[{\"n\":1,\"rotation\":\"90\"}],\"metadata\":{}}",
	       "'pages[0].rotation' must be an integer, not a string");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{\"dates\":[\"2020-01-01\",7]}}",
	       "'metadata.dates[1]' must be a string, not an integer");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{\"mrz\":{\"valid\":\"yes\"}}}",
	       "'metadata.mrz.valid' must be true or false");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{\"names\":[{\"surname\":1}]}}",
	       "'metadata.names[0].surname' must be a string");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{},\"status\":\"lost\"}",
	       "'status' must be processing, done or failed");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{},\"cases\":[null]}", "'cases[0]' must be a string");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{\"signatures\":{}}}",
	       "'metadata.signatures' must be an array");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{\"signatures\":[{\"verified\":\"no\"}]}}",
	       "'metadata.signatures[0].verified' must be true or false");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{\"signatures\":[{\"files\":[1]}]}}",
	       "'metadata.signatures[0].files[0]' must be a string");
	refuse("{" OK_HEAD ",\"pages\":[],\"metadata\":{\"signatures\":[{\"signer\":7}]}}",
	       "'metadata.signatures[0].signer' must be a string or null");
	refuse("{\"id\":1,\"source\":\"a\",\"sha256\":\"ab\",\"format\":7,\"batch\":null,\"pages\":[],"
	       "\"metadata\":{}}", "'format' must be a string or null, not an integer");
	refuse("{" OK_HEAD ",\"pages\":[{\"n\":1,\"rotation\":0,\"skew\":0.0,\"blank\":false,"
	       "\"lang\":\"\",\"confidence\":0,\"text\":\"\",\"quality\":{\"paper\":300,\"ink\":null,"
	       "\"cut\":{\"words\":0,\"edges\":[]}}}],\"metadata\":{}}",
	       "'pages[0].quality' is not an object of paper 0-255");
	refuse("{" OK_HEAD ",\"pages\":[{\"n\":1,\"rotation\":0,\"skew\":0.0,\"blank\":false,"
	       "\"lang\":\"\",\"confidence\":0,\"text\":\"\",\"quality\":{\"paper\":200,\"ink\":9,"
	       "\"cut\":{\"words\":1,\"edges\":[\"middle\"]}}}],\"metadata\":{}}",
	       "'pages[0].quality.cut.edges[0]' is not left, top, right or bottom");
}

static void test_refuses_missing_keys(void **state)
{
	(void)state;
	refuse("{\"source\":\"a\",\"sha256\":\"ab\",\"format\":null,\"batch\":null,\"pages\":[],\"metadata\":{}}",
	       "'id' is missing");
	refuse("{" OK_HEAD ",\"metadata\":{}}", "'pages' is missing");
	refuse("{" OK_HEAD ",\"pages\":[]}", "'metadata' is missing");
	refuse("{\"id\":1,\"source\":\"a\",\"sha256\":\"ab\",\"batch\":null,\"pages\":[],\"metadata\":{}}",
	       "'format' is missing");
	refuse("{" OK_HEAD ",\"pages\":[{\"n\":1,\"rotation\":0,\"skew\":0.0,\"blank\":false,"
	       "\"lang\":\"\",\"confidence\":0}],\"metadata\":{}}", "'pages[0].text' is missing");
	refuse("{" OK_HEAD ",\"pages\":[{\"n\":1,\"rotation\":0,\"skew\":0.0,\"blank\":false,"
	       "\"lang\":\"\",\"confidence\":0,\"text\":\"\",\"text_source\":7}],\"metadata\":{}}",
	       "'pages[0].text_source' must be a string or null");
}

/* Unknown keys pass through: at the top, in a page and in the metadata
 * (sorted in with the known ones there). */
static void test_keeps_unknown_keys(void **state)
{
	const char *in = "{" OK_HEAD ",\"pages\":[{\"n\":1,\"rotation\":0,\"skew\":0.5,\"blank\":false,"
			 "\"lang\":\"eng\",\"confidence\":9,\"text\":\"x\",\"width\":100}],"
			 "\"metadata\":{\"zz\":1,\"doc_type\":\"other\",\"aa\":{\"y\":1,\"x\":2}},"
			 "\"later\":[true]}";
	const char *out = "{" OK_HEAD ",\"pages\":[{\"n\":1,\"rotation\":0,\"skew\":0.5,\"blank\":false,"
			  "\"lang\":\"eng\",\"confidence\":9,\"text\":\"x\",\"text_source\":null,"
			  "\"width\":100}],\"metadata\":{\"aa\":{\"x\":2,\"y\":1},\"doc_type\":\"other\",\"zz\":1},"
			  "\"later\":[true]}\n";
	json_t *j = json_loads(in, 0, NULL);
	kt_doc *d = NULL;
	kt_error err = { 0 };
	char *got;

	(void)state;
	assert_non_null(j);
	assert_int_equal(kt_doc_from_json(j, &d, &err), KT_OK);
	got = kt_doc_dumps(d, KT_DOC_JSON_LINE);
	assert_string_equal(got, out);
	free(got);
	kt_doc_free(&d);
	json_decref(j);
	kt_doc_free(&d); /* NULL: no-op */
}

static void test_source_escape(void **state)
{
	size_t len;
	char *b;

	(void)state;
	b = kt_doc_source_unescape("a\\xff\\xfeb", &len);
	assert_int_equal(len, 4);
	assert_memory_equal(b, "a\xff\xfe" "b", 4);
	free(b);
	/* "\x41" is ASCII: escaping it back does not give the text, so it stays */
	b = kt_doc_source_unescape("a\\x41", &len);
	assert_string_equal(b, "a\\x41");
	free(b);
	assert_string_equal(kt_doc_status_name(KT_DOC_FAILED), "failed");
	assert_null(kt_doc_status_name(KT_DOC_NONE));
	assert_int_equal(kt_doc_status_of("processing"), KT_DOC_PROCESSING);
	assert_int_equal(kt_doc_status_of("x"), KT_DOC_NONE);
}

/* Corrections (issue 9): which values may stand, and how they apply. */
static void test_corrections(void **state)
{
	json_t *v;
	kt_doc *d = kt_doc_new(), *back = NULL;
	kt_doc_meta m = { 0 };
	char *text;

	(void)state;
	assert_null(kt_doc_correction_check("doc_type", 0, v = json_string("decision")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("doc_type", 0, v = json_string("Decision!")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("doc_type", 1, v = json_string("letter")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("colour", 0, v = json_string("red")));
	json_decref(v);
	assert_null(kt_doc_correction_check("dates", 0, v = json_pack("[ss]", "2024-02-29", "2023-01-31")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("dates", 0, v = json_pack("[s]", "2023-02-29")));
	json_decref(v);
	assert_null(kt_doc_correction_check("dates", 0, v = json_array())); /* clears */
	json_decref(v);
	assert_null(kt_doc_correction_check("personal_codes", 0,
					    v = json_pack("[ss]", "140388-12969", "49504112173")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("personal_codes", 0, v = json_pack("[s]", "140388-12968")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("case_numbers", 0, v = json_pack("[s]", "A\nB")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("names", 0, v = json_pack("[{s:s}]", "surname", "X")));
	json_decref(v);
	assert_non_null(kt_doc_correction_check("page_text", 0, v = json_string("t")));
	json_decref(v);
	assert_null(kt_doc_correction_check("page_text", 2, v = json_string("t")));
	json_decref(v);

	/* applied in order, the latest winning; codes set their countries */
	assert_non_null(d);
	assert_non_null(kt_doc_add_page(d));
	assert_int_equal(kt_doc_str_set(&d->pages[0].text, "OCR text"), KT_OK);
	kt_doc_add_correction(d, "doc_type", 0, v = json_string("letter"), "ann", "2026-12-07T10:00:00Z",
			      "typo");
	json_decref(v);
	kt_doc_add_correction(d, "doc_type", 0, v = json_string("decision"), "ben", "2026-12-07T11:00:00Z",
			      NULL);
	json_decref(v);
	kt_doc_add_correction(d, "personal_codes", 0, v = json_pack("[ss]", "140388-12969", "49504112173"),
			      "ann", "2026-12-07T10:00:00Z", NULL);
	json_decref(v);
	kt_doc_add_correction(d, "page_text", 1, v = json_string("Retyped"), "ann", "2026-12-07T10:00:00Z",
			      NULL);
	json_decref(v);
	kt_doc_add_correction(d, "page_text", 9, v = json_string("no such page"), "ann",
			      "2026-12-07T10:00:00Z", NULL);
	json_decref(v);
	assert_int_equal(kt_doc_apply_meta_corrections(&m, d), KT_OK);
	assert_string_equal(m.doc_type, "decision");
	assert_int_equal(m.personal_codes.n, 2);
	assert_int_equal(m.n_pcode_countries, 2);
	assert_string_equal(m.pcode_countries[0].country, "LV");
	assert_string_equal(m.pcode_countries[1].country, "LT");
	kt_doc_meta_release(&m);
	assert_int_equal(kt_doc_apply_page_corrections(d, d), KT_OK);
	assert_string_equal(d->pages[0].text, "Retyped");

	/* to JSON and back: the same list */
	d->id = 1;
	kt_doc_str_set(&d->sha256, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	kt_doc_set_source(d, "a.png", 5);
	kt_doc_str_set(&d->pages[0].lang, "lav");
	d->pages[0].n = 1;
	text = kt_doc_dumps(d, KT_DOC_JSON_LINE);
	assert_non_null(text);
	v = json_loads(text, 0, NULL);
	assert_int_equal(kt_doc_from_json(v, &back, NULL), KT_OK);
	assert_int_equal(back->n_corrections, 5);
	assert_string_equal(back->corrections[1].user, "ben");
	assert_null(back->corrections[1].reason);
	assert_string_equal(back->corrections[0].reason, "typo");
	assert_int_equal(back->corrections[3].page, 1);
	json_decref(v);
	free(text);
	/* a record whose correction is not right is refused */
	v = json_loads("{\"id\":1,\"source\":\"a\",\"sha256\":\"00\",\"format\":null,"
		       "\"batch\":null,\"pages\":[],\"metadata\":{},\"corrections\":[{\"field\":"
		       "\"dates\",\"page\":0,\"value\":[\"2023-02-30\"],\"user\":\"a\","
		       "\"at\":\"x\"}]}", 0, NULL);
	assert_non_null(v);
	kt_doc_free(&back);
	assert_int_equal(kt_doc_from_json(v, &back, NULL), KT_FAILED);
	json_decref(v);
	kt_doc_free(&d);
}

int main(int argc, char **argv)
{
	static const kt_test_case cases[] = {
		KT_TEST(corrections),
		KT_TEST(golden_mrz),
		KT_TEST(golden_failed),
		KT_TEST(golden_cyrillic),
		KT_TEST(golden_multipage),
		KT_TEST(golden_hostile_bytes),
		KT_TEST(golden_hostile_escaped),
		KT_TEST(golden_package),
		KT_TEST(golden_signatures),
		KT_TEST(built_in_c),
		KT_TEST(refuses_wrong_types),
		KT_TEST(refuses_missing_keys),
		KT_TEST(keeps_unknown_keys),
		KT_TEST(source_escape),
	};
	static const kt_test_program prog = {
		.name = "test_record", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "SOURCE_DIR", .n_args = 1, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
