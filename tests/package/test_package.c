/*
 * test_package.c - tests of the package layout (archive/package.c, the
 * "Package layout" section of kt_archive.h): the payload names, the payload
 * files of a document version made from its parts, reading the record back
 * from a written package (and refusing a missing, broken or foreign
 * document.json), finding the original, the versions of a document in
 * order, and the export plan.
 *
 * Run one case: test_package <case name>; CTest runs each case as its own
 * entry (package_<case>), each in a fresh mkdtemp folder.
 */
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_archive.h"
#include "kt_record.h"
#include "kt_text.h"

#define FIXED_TIME 1700000000LL
#define SHA_A "ab12cd34ef56ab78" "0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA_B "ab99999999999999" "0123456789abcdef0123456789abcdef0123456789abcdef"
#define ORIG "II*\0fake tiff bytes"
#define ORIG_LEN 19

/* A store in a fresh folder, with a fixed bagging time. */
typedef struct fixture {
	char dir[512];
	kt_archive *a;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	if (f == NULL || kt_test_mkdtemp(f->dir, sizeof f->dir, "test_package") != 0)
		return -1;
	f->a = kt_archive_new();
	if (f->a == NULL || kt_archive_open(f->a, f->dir) != KT_OK)
		return -1;
	kt_archive_set_bagging_time(f->a, FIXED_TIME);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kt_archive_free(&f->a);
	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

/* A record of a two-page TIFF: page 2 is blank (no text). */
static kt_doc *make_doc(long long id, const char *sha)
{
	kt_doc *d = kt_doc_new();
	kt_doc_page *p;
	static const char src[] = "/scans/Paszport Kowalski.TIF";

	assert_non_null(d);
	d->id = id;
	assert_int_equal(kt_doc_set_source(d, src, strlen(src)), KT_OK);
	assert_int_equal(kt_doc_str_set(&d->sha256, sha), KT_OK);
	assert_int_equal(kt_doc_str_set(&d->format, "tiff"), KT_OK);
	assert_int_equal(kt_doc_str_set(&d->batch, "batch-1"), KT_OK);
	assert_int_equal(kt_doc_str_set(&d->ocr_engine, "tesseract 5.3.0"), KT_OK);
	p = kt_doc_add_page(d);
	assert_non_null(p);
	p->n = 1;
	p->confidence = 91;
	assert_int_equal(kt_doc_str_set(&p->lang, "lav"), KT_OK);
	assert_int_equal(kt_doc_str_set(&p->text, "Lēmums Nr. 1"), KT_OK);
	p = kt_doc_add_page(d);
	assert_non_null(p);
	p->n = 2;
	p->blank = 1;
	assert_int_equal(kt_doc_str_set(&p->lang, ""), KT_OK);
	return d;
}

/* The file of files[0..n) with this path, or NULL. */
static const kt_archive_file *file_of(const kt_archive_file *files, int n, const char *path)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(files[i].path, path) == 0)
			return &files[i];
	return NULL;
}

/* Write the package of doc id / sha / version with the given payload;
 * returns its relpath (caller frees). */
static char *write_pkg(fixture *f, long long id, const char *sha, int version,
                       const kt_archive_file *files, int n)
{
	kt_archive_package p = { .doc_id = id, .sha256 = sha, .version = version, .batch = "batch-1",
				 .files = files, .n_files = n };
	char *rel = NULL;

	assert_int_equal(kt_archive_write(f->a, &p, &rel), KT_OK);
	assert_non_null(rel);
	return rel;
}

/* Write a package whose document.json holds json (NULL: none at all). */
static char *write_raw(fixture *f, long long id, const char *sha, const char *json)
{
	kt_archive_file files[2] = {
		{ "original/original.tif", ORIG, ORIG_LEN },
		{ KT_PACKAGE_DOCUMENT_JSON, json, json ? strlen(json) : 0 },
	};

	return write_pkg(f, id, sha, 1, files, json ? 2 : 1);
}

/* The full package of make_doc(id, sha), version v. */
static char *write_doc(fixture *f, long long id, const char *sha, int v)
{
	kt_doc *d = make_doc(id, sha);
	kt_package_files pf = KT_PACKAGE_FILES_INIT;
	kt_package_parts parts = { .record = d, .original = ORIG, .original_len = ORIG_LEN };
	char *rel;

	assert_int_equal(kt_package_files_make(f->a, &parts, &pf), KT_OK);
	rel = write_pkg(f, id, sha, v, pf.files, pf.n);
	kt_package_files_release(&pf);
	kt_doc_free(&d);
	return rel;
}

static void test_names(void **state)
{
	char p[KT_PACKAGE_PATH_MAX], name[KT_PACKAGE_NAME_MAX];

	(void)state;
	assert_int_equal(kt_package_original_path("tiff", p), KT_OK);
	assert_string_equal(p, "original/original.tif");
	assert_int_equal(kt_package_original_path("jpeg", p), KT_OK);
	assert_string_equal(p, "original/original.jpg");
	assert_int_equal(kt_package_original_path("png", p), KT_OK);
	assert_string_equal(p, "original/original.png");
	assert_int_equal(kt_package_original_path("pdf", p), KT_OK);
	assert_string_equal(p, "original/original.pdf");
	assert_int_equal(kt_package_original_path(NULL, p), KT_FAILED);
	assert_string_equal(p, "");
	assert_int_equal(kt_package_original_path("", p), KT_FAILED);
	assert_int_equal(kt_package_original_path("../x", p), KT_FAILED);
	assert_int_equal(kt_package_original_path("TIFF", p), KT_FAILED);
	assert_int_equal(kt_package_original_path("abcdefghijklmnopq", p), KT_FAILED);

	kt_package_page_text_path(1, p);
	assert_string_equal(p, "text/page-0001.txt");
	kt_package_page_text_path(123, p);
	assert_string_equal(p, "text/page-0123.txt");
	kt_package_page_text_path(12345, p);
	assert_string_equal(p, "text/page-12345.txt");
	kt_package_page_alto_path(7, p);
	assert_string_equal(p, "alto/page-0007.xml");
	kt_package_page_master_path(7, p);
	assert_string_equal(p, "master/page-0007.tif");
	assert_string_equal(KT_PACKAGE_ACCESS_PDF, "access/document.pdf");
	assert_string_equal(KT_PACKAGE_MASTER_DIR, "master/");

	assert_string_equal(KT_PACKAGE_DOCUMENT_JSON, "metadata/document.json");
	assert_string_equal(KT_PACKAGE_METS_XML, "metadata/mets.xml");
	assert_string_equal(KT_PACKAGE_DOCUMENT_TEXT, "text/document.txt");
	assert_string_equal(KT_PACKAGE_ACCESS_DIR, "access/");

	assert_true(kt_package_is_original("original/original.tif"));
	assert_false(kt_package_is_original("originals/x"));
	assert_false(kt_package_is_original("text/original/x"));
	assert_false(kt_package_is_original(NULL));

	assert_int_equal(kt_package_name("ab/kt-00000017-ab12cd34ef56ab78-v2.tar", name), KT_OK);
	assert_string_equal(name, "kt-00000017-ab12cd34ef56ab78-v2");
	assert_int_equal(kt_package_name("cd/kt-00000017-ab12cd34ef56ab78-v2.tar", name), KT_FAILED);
	assert_string_equal(name, "");
	assert_int_equal(kt_package_name("../kt-00000017-ab12cd34ef56ab78-v2.tar", name), KT_FAILED);
	assert_int_equal(kt_package_name(NULL, name), KT_FAILED);
}

static void test_files_of_version(void **state)
{
	fixture *f = *state;
	kt_doc *d = make_doc(7, SHA_A);
	const char *alto[2] = { "<alto>page 1</alto>", NULL };
	kt_archive_mets_info mi = { .software = "kartoteka test", .event_time = FIXED_TIME, .version = 1 };
	kt_package_parts parts = { .record = d, .original = ORIG, .original_len = ORIG_LEN,
				   .alto = alto, .mets = &mi };
	kt_package_files pf = KT_PACKAGE_FILES_INIT;
	const kt_archive_file *x;
	char *json;

	assert_int_equal(kt_package_files_make(f->a, &parts, &pf), KT_OK);
	assert_int_equal(pf.n, 7);
	x = file_of(pf.files, pf.n, "original/original.tif");
	assert_non_null(x);
	assert_int_equal(x->len, ORIG_LEN);
	assert_memory_equal(x->data, ORIG, ORIG_LEN);
	x = file_of(pf.files, pf.n, "text/page-0001.txt");
	assert_non_null(x);
	assert_int_equal(x->len, strlen("Lēmums Nr. 1"));
	assert_memory_equal(x->data, "Lēmums Nr. 1", x->len);
	x = file_of(pf.files, pf.n, "text/page-0002.txt");
	assert_non_null(x);
	assert_int_equal(x->len, 0);
	x = file_of(pf.files, pf.n, "alto/page-0001.xml");
	assert_non_null(x);
	assert_string_equal(x->data, "<alto>page 1</alto>");
	assert_null(file_of(pf.files, pf.n, "alto/page-0002.xml"));
	/* the pages' text, each followed by a blank line */
	x = file_of(pf.files, pf.n, KT_PACKAGE_DOCUMENT_TEXT);
	assert_non_null(x);
	assert_int_equal(x->len, strlen("Lēmums Nr. 1\n\n\n\n"));
	assert_memory_equal(x->data, "Lēmums Nr. 1\n\n\n\n", x->len);
	/* the record in its package form */
	x = file_of(pf.files, pf.n, KT_PACKAGE_DOCUMENT_JSON);
	assert_non_null(x);
	json = kt_doc_dumps(d, KT_DOC_JSON_PACKAGE);
	assert_non_null(json);
	assert_int_equal(x->len, strlen(json));
	assert_memory_equal(x->data, json, x->len);
	free(json);
	/* METS over the others, not over itself */
	x = file_of(pf.files, pf.n, KT_PACKAGE_METS_XML);
	assert_non_null(x);
	kt_expect_in(x->data, "<mets:mets");
	kt_expect_in(x->data, "data/alto/page-0001.xml");
	kt_expect_in(x->data, "data/metadata/document.json");
	kt_expect_not_in(x->data, "data/metadata/mets.xml");
	kt_expect_in(x->data, "kartoteka test");

	/* made again: released first, the same list */
	assert_int_equal(kt_package_files_make(f->a, &parts, &pf), KT_OK);
	assert_int_equal(pf.n, 7);
	kt_package_files_release(&pf);
	assert_null(pf.files);
	assert_int_equal(pf.n, 0);
	kt_package_files_release(&pf);

	/* no ALTO at all: five files and mets.xml */
	parts.alto = NULL;
	assert_int_equal(kt_package_files_make(f->a, &parts, &pf), KT_OK);
	assert_int_equal(pf.n, 6);
	kt_package_files_release(&pf);

	/* a master for page 2 only, and the access copy (issue 18): under
	 * their names, borrowed, in METS's MASTER and ACCESS groups */
	{
		static const char tif[] = "II*\0master of page 2", pdf[] = "%PDF-1.7 access";
		kt_package_bytes masters[2] = { { NULL, 0 }, { tif, sizeof tif - 1 } };

		parts.masters = masters;
		parts.access_pdf = (kt_package_bytes){ pdf, sizeof pdf - 1 };
		assert_int_equal(kt_package_files_make(f->a, &parts, &pf), KT_OK);
		assert_int_equal(pf.n, 8);
		assert_null(file_of(pf.files, pf.n, "master/page-0001.tif"));
		x = file_of(pf.files, pf.n, "master/page-0002.tif");
		assert_non_null(x);
		assert_ptr_equal(x->data, tif);
		assert_int_equal(x->len, sizeof tif - 1);
		x = file_of(pf.files, pf.n, KT_PACKAGE_ACCESS_PDF);
		assert_non_null(x);
		assert_ptr_equal(x->data, pdf);
		x = file_of(pf.files, pf.n, KT_PACKAGE_METS_XML);
		kt_expect_in(x->data, "<mets:fileGrp USE=\"MASTER\">");
		kt_expect_in(x->data, "<mets:fileGrp USE=\"ACCESS\">");
		kt_expect_in(x->data, "MIMETYPE=\"image/tiff\"");
		kt_expect_in(x->data, "MIMETYPE=\"application/pdf\"");
		kt_package_files_release(&pf);
		parts.masters = NULL;
		parts.access_pdf = (kt_package_bytes){ NULL, 0 };
	}

	/* a record without a format names no original */
	kt_doc_str_set(&d->format, NULL);
	assert_int_equal(kt_package_files_make(f->a, &parts, &pf), KT_FAILED);
	kt_expect_in(kt_archive_errmsg(f->a), "no format");
	assert_int_equal(pf.n, 0);
	parts.record = NULL;
	assert_int_equal(kt_package_files_make(f->a, &parts, &pf), KT_FAILED);
	kt_doc_free(&d);
}

static void test_read_record_back(void **state)
{
	fixture *f = *state;
	char *rel = write_doc(f, 7, SHA_A, 1), *orig = NULL;
	kt_doc *d = NULL;
	int np = -1;

	assert_string_equal(rel, "ab/kt-00000007-ab12cd34ef56ab78-v1.tar");
	assert_int_equal(kt_archive_verify(f->a, rel, NULL, NULL, &np), KT_OK);
	assert_int_equal(np, 0);
	assert_int_equal(kt_package_read_record(f->a, rel, &d), KT_OK);
	assert_non_null(d);
	assert_int_equal(d->id, 7);
	assert_string_equal(d->sha256, SHA_A);
	assert_string_equal(d->format, "tiff");
	assert_string_equal(d->batch, "batch-1");
	assert_string_equal(d->source, "/scans/Paszport Kowalski.TIF");
	assert_int_equal(d->n_pages, 2);
	assert_string_equal(d->pages[0].text, "Lēmums Nr. 1");
	assert_int_equal(d->pages[1].blank, 1);
	kt_doc_free(&d);
	assert_int_equal(kt_package_find_original(f->a, rel, &orig), KT_OK);
	assert_string_equal(orig, "original/original.tif");
	free(orig);
	/* not a package path */
	assert_int_equal(kt_package_read_record(f->a, "../x.tar", &d), KT_FAILED);
	assert_null(d);
	kt_expect_in(kt_archive_errmsg(f->a), "not a package path");
	free(rel);
}

static void test_record_missing(void **state)
{
	fixture *f = *state;
	char *rel = write_raw(f, 7, SHA_A, NULL);
	kt_doc *d = (kt_doc *)1;

	assert_int_equal(kt_package_read_record(f->a, rel, &d), KT_FAILED);
	assert_null(d);
	kt_expect_in(kt_archive_errmsg(f->a), "metadata/document.json");
	free(rel);
}

static void test_record_not_json(void **state)
{
	fixture *f = *state;
	char *rel = write_raw(f, 7, SHA_A, "{\"id\": 7, \"sha256\": ");
	kt_doc *d = NULL;

	assert_int_equal(kt_package_read_record(f->a, rel, &d), KT_FAILED);
	assert_null(d);
	kt_expect_in(kt_archive_errmsg(f->a), "data/metadata/document.json is not a JSON object: ");
	free(rel);
	/* JSON, but not an object */
	rel = write_raw(f, 8, SHA_A, "[7]");
	assert_int_equal(kt_package_read_record(f->a, rel, &d), KT_FAILED);
	assert_string_equal(kt_archive_errmsg(f->a),
			    "data/metadata/document.json is not a JSON object: wrong type");
	free(rel);
	/* an object, but not a document record */
	rel = write_raw(f, 9, SHA_A, "{\"id\": 9, \"sha256\": \"" SHA_A "\"}");
	assert_int_equal(kt_package_read_record(f->a, rel, &d), KT_FAILED);
	assert_null(d);
	kt_expect_in(kt_archive_errmsg(f->a), "data/metadata/document.json: document record");
	free(rel);
}

static void test_record_other_document(void **state)
{
	fixture *f = *state;
	kt_doc *other = make_doc(8, SHA_A), *d = NULL;
	char *json = kt_doc_dumps(other, KT_DOC_JSON_PACKAGE), *rel;

	assert_non_null(json);
	/* the record of document 8 in the package of document 7 */
	rel = write_raw(f, 7, SHA_A, json);
	assert_int_equal(kt_package_read_record(f->a, rel, &d), KT_FAILED);
	assert_null(d);
	assert_string_equal(kt_archive_errmsg(f->a), "data/metadata/document.json names another "
			    "document (id 8, sha256 " SHA_A ")");
	free(rel);
	free(json);
	/* the right id, another SHA-256 (in version 2) */
	kt_doc_str_set(&other->sha256, SHA_B);
	other->id = 7;
	{
		kt_archive_file files[2] = { { "original/original.tif", ORIG, ORIG_LEN }, { NULL, NULL, 0 } };

		json = kt_doc_dumps(other, KT_DOC_JSON_PACKAGE);
		files[1] = (kt_archive_file){ KT_PACKAGE_DOCUMENT_JSON, json, strlen(json) };
		rel = write_pkg(f, 7, SHA_A, 2, files, 2);
		assert_int_equal(kt_package_read_record(f->a, rel, &d), KT_FAILED);
		kt_expect_in(kt_archive_errmsg(f->a), "names another document (id 7, sha256 " SHA_B ")");
		free(rel);
		free(json);
	}
	kt_doc_free(&other);
}

static void test_no_original(void **state)
{
	fixture *f = *state;
	kt_archive_file files[1] = { { "text/document.txt", "x", 1 } };
	char *rel = write_pkg(f, 7, SHA_A, 1, files, 1), *orig = (char *)1;
	kt_package_export_file *plan = NULL;
	int n = -1;

	assert_int_equal(kt_package_find_original(f->a, rel, &orig), KT_FAILED);
	assert_null(orig);
	assert_string_equal(kt_archive_errmsg(f->a),
			    "package 'ab/kt-00000007-ab12cd34ef56ab78-v1.tar' has no original");
	assert_int_equal(kt_package_export_plan(f->a, rel, "scan.tif", &plan, &n), KT_FAILED);
	assert_null(plan);
	assert_int_equal(n, 0);
	kt_expect_in(kt_archive_errmsg(f->a), "has no original");
	free(rel);
}

static void test_versions_in_order(void **state)
{
	fixture *f = *state;
	char *r[5], **v = NULL;
	int n = -1, i;

	/* written out of order; version 10 after version 2 */
	r[0] = write_doc(f, 7, SHA_A, 10);
	r[1] = write_doc(f, 7, SHA_A, 1);
	r[2] = write_doc(f, 7, SHA_A, 2);
	r[3] = write_doc(f, 8, SHA_B, 1);   /* same shard, another document */
	r[4] = write_doc(f, 70, SHA_A, 1);  /* an id that starts the same */
	for (i = 0; i < 2; i++) {
		assert_int_equal(kt_package_versions(f->a, 7, i == 0 ? SHA_A : NULL, &v, &n), KT_OK);
		assert_int_equal(n, 3);
		assert_string_equal(v[0], "ab/kt-00000007-ab12cd34ef56ab78-v1.tar");
		assert_string_equal(v[1], "ab/kt-00000007-ab12cd34ef56ab78-v2.tar");
		assert_string_equal(v[2], "ab/kt-00000007-ab12cd34ef56ab78-v10.tar");
		kt_archive_strings_free(&v, n);
		assert_null(v);
	}
	/* upper-case SHA-256: the same shard */
	assert_int_equal(kt_package_versions(f->a, 8, "AB99999999999999" "0123456789ABCDEF0123456789abcdef0123456789abcdef",
					     &v, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "ab/kt-00000008-ab99999999999999-v1.tar");
	kt_archive_strings_free(&v, n);
	/* the id with another SHA-256: none */
	assert_int_equal(kt_package_versions(f->a, 7, SHA_B, &v, &n), KT_OK);
	assert_int_equal(n, 0);
	assert_null(v);
	/* a shard folder that does not exist, an unknown document */
	assert_int_equal(kt_package_versions(f->a, 7, "cd12cd34ef56ab78" "0123456789abcdef0123456789abcdef0123456789abcdef",
					     &v, &n), KT_OK);
	assert_int_equal(n, 0);
	assert_int_equal(kt_package_versions(f->a, 9, NULL, &v, &n), KT_OK);
	assert_int_equal(n, 0);
	/* a bad SHA-256 */
	assert_int_equal(kt_package_versions(f->a, 7, "ab/../..", &v, &n), KT_FAILED);
	kt_expect_in(kt_archive_errmsg(f->a), "not a SHA-256");
	for (i = 0; i < 5; i++)
		free(r[i]);
}

static void test_export_plan(void **state)
{
	fixture *f = *state;
	kt_doc *d = make_doc(7, SHA_A);
	char *json, *rel;
	kt_package_export_file *plan = NULL;
	int n = 0;

	rel = write_doc(f, 7, SHA_A, 1);
	assert_int_equal(kt_package_export_plan(f->a, rel, "ignored.png", &plan, &n), KT_OK);
	assert_int_equal(n, 2);
	assert_string_equal(plan[0].data_path, "original/original.tif");
	assert_string_equal(plan[0].name, "Paszport Kowalski.TIF");
	assert_string_equal(plan[1].data_path, "text/document.txt");
	assert_string_equal(plan[1].name, "Paszport Kowalski.txt");
	kt_package_export_plan_free(&plan, n);
	assert_null(plan);
	free(rel);

	/* an original called x.txt, an access copy: names stay distinct */
	kt_doc_set_source(d, "in/x.txt", 8);
	json = kt_doc_dumps(d, KT_DOC_JSON_PACKAGE);
	{
		kt_archive_file files[] = {
			{ "original/original.tif", ORIG, ORIG_LEN },
			{ KT_PACKAGE_DOCUMENT_JSON, json, strlen(json) },
			{ KT_PACKAGE_DOCUMENT_TEXT, "text\n\n", 6 },
			{ "access/document.pdf", "%PDF", 4 },
			{ "access/deeper/y.pdf", "%PDF", 4 },
			{ "access/noext", "z", 1 },
		};

		rel = write_pkg(f, 7, SHA_A, 2, files, 6);
	}
	assert_int_equal(kt_package_export_plan(f->a, rel, NULL, &plan, &n), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(plan[0].name, "x.txt");
	assert_string_equal(plan[1].data_path, "access/document.pdf");
	assert_string_equal(plan[1].name, "x.pdf");
	assert_string_equal(plan[2].data_path, "text/document.txt");
	assert_string_equal(plan[2].name, "x.text.txt");
	kt_package_export_plan_free(&plan, n);
	free(rel);
	free(json);

	/* no record: the fallback source names the original */
	rel = write_raw(f, 8, SHA_A, NULL);
	assert_int_equal(kt_package_export_plan(f->a, rel, "/a/b/Scan \\xff.tif", &plan, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_string_equal(plan[0].name, "Scan _xff.tif");
	kt_package_export_plan_free(&plan, n);
	free(rel);
	kt_doc_free(&d);
}

/* Export names keep their letters and lose what a file system refuses. */
static void test_export_name(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "01 paziņojums Bērziņš.jpg", "01 paziņojums Bērziņš.jpg" },
		{ "Be\xcc\x84rzin\xcc\xa7s\xcc\x8c.tif", "Bērziņš.tif" },	/* NFD in, NFC out */
		{ "Žukauskienė ąčęėįšųūž.png", "Žukauskienė ąčęėįšųūž.png" },
		{ "Иванов Иван.pdf", "Иванов Иван.pdf" },
		{ "a/b\\c<d>e:f\"g|h?i*j", "a_b_c_d_e_f_g_h_i_j" },
		{ "../../etc/passwd", "___.._etc_passwd" },
		{ "CON.txt", "_CON.txt" },
		{ "lpt9", "_lpt9" },
		{ "nul.tar.gz", "_nul.tar.gz" },
		{ "COM10.txt", "COM10.txt" },
		{ "console.txt", "console.txt" },
		{ "name. ", "name__" },
		{ ".hidden", "_hidden" },
		{ "\x01x\x7f\xc2\x85", "_x__" },
		{ "bad \xff byte", "bad _ byte" },
		{ "evil\xe2\x80\xaetxt.exe", "evil_txt.exe" },
		{ "", "unnamed" },
	};
	char out[KT_ARCHIVE_EXPORT_NAME_MAX], longname[700];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kt_archive_export_name(cases[i].in, out);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("export name of '%s': want '%s', got '%s'", cases[i].in, cases[i].out, out);
	}
	kt_archive_export_name(NULL, out);
	assert_string_equal(out, "unnamed");
	/* 300 two-byte letters and an extension: cut at a letter, extension kept */
	for (i = 0; i < 300; i++)
		memcpy(longname + 2 * i, "\xc4\x81", 2);	/* ā */
	memcpy(longname + 600, ".pdf", 5);
	kt_archive_export_name(longname, out);
	n = strlen(out);
	assert_true(n <= KT_ARCHIVE_EXPORT_NAME_MAX - 1);
	assert_true(n >= KT_ARCHIVE_EXPORT_NAME_MAX - 4);
	assert_string_equal(out + n - 4, ".pdf");
	assert_true(kt_utf8_valid(out, n));
}

static const kt_test_case cases[] = {
	KT_TEST(export_name),
	KT_TEST(names),
	KT_TEST_FX(files_of_version, setup, teardown),
	KT_TEST_FX(read_record_back, setup, teardown),
	KT_TEST_FX(record_missing, setup, teardown),
	KT_TEST_FX(record_not_json, setup, teardown),
	KT_TEST_FX(record_other_document, setup, teardown),
	KT_TEST_FX(no_original, setup, teardown),
	KT_TEST_FX(versions_in_order, setup, teardown),
	KT_TEST_FX(export_plan, setup, teardown),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_package", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
