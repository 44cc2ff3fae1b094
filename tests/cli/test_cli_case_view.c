/*
 * test_cli_case_view.c - retrieval of a case (issue 9, "Retrieval"): `case`
 * lists a case's documents in date order with their link evidence and
 * exits 1 for an unknown case; `person` finds the cases of a personal code
 * or of a name given without diacritics, and documents with the code linked
 * to no case; `dossier` writes one PDF (qpdf --check, every font embedded,
 * a cover plus every page, the text layer of each page, the cover's text
 * with the case number and Latvian letters), or with --zip the originals bit
 * for bit with manifest.csv and case.json; an existing OUT is refused.
 *
 * Each case makes its own store in a temporary folder from four files: a
 * scanned decision and a born-digital letter of case PMLP-LV-2023-004571, the
 * same letter again under a Latvian name, and an application whose personal
 * code no imported case has. The case's person is given a Latvian name in
 * the imported records.
 * Run as `test_cli_case_view KARTOTEKA SAMPLES`.
 */
#include "e2e.h"
#include "kt_buf.h"
#include "kt_status.h"
#include "kt_test.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define CASE "PMLP-LV-2023-004571"
#define LATVIAN "paziņojums Bērziņš.pdf"

typedef struct fixture {
	char dir[512];
	char store[600];
	char in[600];
	char out[600];
} fixture;

static const char cases_csv[] =
	"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status\n"
	CASE ",220791-14729,Bērziņš,Jānis Ģirts,1991-07-22,LVA,residence_permit,decided\n"
	"PMLP-LV-2022-000001,,Ozola,Anna,1980-01-01,LVA,asylum,open\n";

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char csv[700];
	e2e_out o;

	assert_non_null(f);
	assert_int_equal(kt_test_mkdtemp(f->dir, sizeof f->dir, "cli-case-view"), 0);
	snprintf(f->store, sizeof f->store, "%s/store", f->dir);
	snprintf(f->in, sizeof f->in, "%s/in", f->dir);
	snprintf(f->out, sizeof f->out, "%s/out", f->dir);
	assert_int_equal(mkdir(f->in, 0755), 0);
	assert_int_equal(mkdir(f->out, 0755), 0);
	*state = f;
	e2e_copy_sample("scans/lv_lemums_karimi.png", f->in, "lv_lemums_karimi.png", "");
	e2e_copy_sample("pdf/lv_vestule_digital.pdf", f->in, "lv_vestule_digital.pdf", "");
	e2e_copy_sample("pdf/lv_vestule_digital.pdf", f->in, LATVIAN, "\n"); /* other bytes */
	e2e_copy_sample("scans/lv_iesniegums_skew.png", f->in, "lv_iesniegums_skew.png", "");
	o = e2e_run(f->store, "ingest", "--batch", "view", f->in, NULL);
	if (o.status != 0)
		fail_msg("ingest exit %d: %s%s", o.status, o.out, o.err);
	e2e_out_free(&o);
	snprintf(csv, sizeof csv, "%s/cases.csv", f->dir);
	kt_test_write_file(csv, cases_csv, strlen(cases_csv));
	o = e2e_run(f->store, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

/* The first (earliest) date of a document object, "" when none. */
static const char *first_date(json_t *doc)
{
	const char *d = json_string_value(json_array_get(json_object_get(json_object_get(doc, "metadata"),
								       "dates"), 0));

	return d ? d : "";
}

/* `case` lists the documents in date order, then id, each with the
 * evidence of its link, as text and as JSON lines with "links". */
static void test_case_in_date_order(void **state)
{
	fixture *f = *state;
	e2e_out o = e2e_run(f->store, "case", "--json", CASE, NULL);
	json_t *docs = e2e_json_lines(o.out), *d;
	size_t i;
	char want[64];

	assert_int_equal(o.status, 0);
	assert_non_null(docs);
	assert_int_equal(json_array_size(docs), 3);
	json_array_foreach(docs, i, d) {
		json_t *links = json_object_get(d, "links");
		const char *ev = json_string_value(json_object_get(json_array_get(links, 0), "evidence"));

		assert_true(json_array_size(links) >= 1);
		assert_non_null(ev);
		kt_expect_in(ev, CASE);
		if (i > 0) {
			json_t *prev = json_array_get(docs, i - 1);
			int c = strcmp(first_date(prev), first_date(d));

			if (c > 0 || (c == 0 && json_integer_value(json_object_get(prev, "id")) >=
						json_integer_value(json_object_get(d, "id"))))
				fail_msg("document %d (%s) listed before %d (%s)",
					 (int)json_integer_value(json_object_get(prev, "id")), first_date(prev),
					 (int)json_integer_value(json_object_get(d, "id")), first_date(d));
		}
	}
	/* the text form: the record line, the table, the evidence under each */
	e2e_out_free(&o);
	o = e2e_run(f->store, "case", CASE, NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "case " CASE ": Jānis Ģirts Bērziņš, personal code 220791-14729");
	kt_expect_in(o.out, "3 documents\n");
	kt_expect_in(o.out, "type");
	kt_expect_in(o.out, "lv_lemums_karimi.png\n");
	kt_expect_in(o.out, "link " CASE ": case number " CASE);
	kt_expect_not_in(o.out, "lv_iesniegums_skew.png");
	/* the rows in the JSON's order: "ID  TYPE" at the start of each row */
	{
		const char *at = o.out;

		json_array_foreach(docs, i, d) {
			snprintf(want, sizeof want, "%6lld  %s ", (long long)json_integer_value(json_object_get(d, "id")),
				 json_string_value(json_object_get(json_object_get(d, "metadata"), "doc_type"))
					 ? json_string_value(json_object_get(json_object_get(d, "metadata"), "doc_type"))
					 : "-");
			at = strstr(at, want);
			if (at == NULL)
				fail_msg("row '%s' missing or out of order in:\n%s", want, o.out);
		}
	}
	json_decref(docs);
	e2e_out_free(&o);
}

/* An unknown case number: exit 1, named on stderr, nothing on stdout. */
static void test_case_unknown(void **state)
{
	fixture *f = *state;
	e2e_out o = e2e_run(f->store, "case", "PMLP-LV-1999-000000", NULL);

	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "no case 'PMLP-LV-1999-000000'");
	assert_string_equal(o.out, "");
	e2e_out_free(&o);
	o = e2e_run(f->store, "case", "--json", "PMLP-LV-1999-000000", NULL);
	assert_int_equal(o.status, 1);
	assert_string_equal(o.out, "");
	e2e_out_free(&o);
}

/* `person --json ARG`: its object; the exit status must be want. */
static json_t *person(fixture *f, const char *arg, int want)
{
	e2e_out o = e2e_run(f->store, "person", "--json", arg, NULL);
	json_t *v = json_loads(o.out, 0, NULL);

	if (o.status != want)
		fail_msg("person %s: exit %d, want %d: %s", arg, o.status, want, o.err);
	if (want == 0 && v == NULL)
		fail_msg("person %s: not one JSON object: %s", arg, o.out);
	e2e_out_free(&o);
	return v;
}

/* The case numbers of a person object, comma-joined, into buf. */
static const char *case_numbers(json_t *p, char *buf, size_t size)
{
	json_t *c;
	size_t i, used = 0;

	buf[0] = '\0';
	json_array_foreach(json_object_get(p, "cases"), i, c) {
		const char *n = json_string_value(json_object_get(json_object_get(c, "case"), "case_number"));

		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "", n ? n : "?");
	}
	return buf;
}

/* By personal code: the case whose person has it (with or without the
 * hyphen), its documents; a code no case has: the documents that hold it,
 * linked to no case. */
static void test_person_by_code(void **state)
{
	fixture *f = *state;
	json_t *p = person(f, "220791-14729", 0), *docs;
	char buf[256];
	e2e_out o;

	assert_string_equal(case_numbers(p, buf, sizeof buf), CASE);
	docs = json_object_get(json_array_get(json_object_get(p, "cases"), 0), "documents");
	assert_int_equal(json_array_size(docs), 3);
	kt_expect_in(json_string_value(json_object_get(json_array_get(json_object_get(json_array_get(docs, 0),
		"links"), 0), "evidence")), CASE);
	assert_int_equal(json_array_size(json_object_get(p, "unlinked")), 0);
	json_decref(p);
	p = person(f, "22079114729", 0);
	assert_string_equal(case_numbers(p, buf, sizeof buf), CASE);
	json_decref(p);

	p = person(f, "140388-12969", 0);
	assert_string_equal(case_numbers(p, buf, sizeof buf), "");
	docs = json_object_get(p, "unlinked");
	assert_int_equal(json_array_size(docs), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(docs, 0), "file_name")),
			    "lv_iesniegums_skew.png");
	json_decref(p);
	o = e2e_run(f->store, "person", "140388-12969", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "linked to no case, with personal code 140388-12969\n");
	kt_expect_in(o.out, "lv_iesniegums_skew.png\n");
	e2e_out_free(&o);
	/* a code nobody has */
	json_decref(person(f, "010101-10000", 1));
}

/* By name, folded: "Berzins" finds Bērziņš; "SURNAME GIVEN" and "GIVEN
 * SURNAME" pairs; a wrong given name or an unknown name finds nothing. */
static void test_person_by_name(void **state)
{
	fixture *f = *state;
	static const char *const finds[] = { "Berzins", "berzins", "BĒRZIŅŠ", "Berzins Janis",
					     "Janis Berzins", "Girts" };
	char buf[256];
	size_t i;
	json_t *p;
	e2e_out o;

	for (i = 0; i < sizeof finds / sizeof finds[0]; i++) {
		p = person(f, finds[i], 0);
		if (strcmp(case_numbers(p, buf, sizeof buf), CASE) != 0)
			fail_msg("person %s found '%s'", finds[i], buf);
		json_decref(p);
	}
	p = person(f, "Ozola", 0);
	assert_string_equal(case_numbers(p, buf, sizeof buf), "PMLP-LV-2022-000001");
	json_decref(p);
	json_decref(person(f, "Berzins Anna", 1));
	json_decref(person(f, "Berz", 1));
	o = e2e_run(f->store, "person", "Berzins", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "person Berzins: 1 case, 0 documents linked to no case\n");
	kt_expect_in(o.out, "case " CASE ": Jānis Ģirts Bērziņš");
	e2e_out_free(&o);
}

/* ------------------------------------------------------------- dossier */

/* A shell command's standard output (malloc'd) and exit status. */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	kt_buf b = KT_BUF_INIT;
	char chunk[65536];
	size_t k;
	int st;

	assert_non_null(p);
	while ((k = fread(chunk, 1, sizeof chunk, p)) > 0)
		assert_int_equal(kt_buf_add(&b, chunk, k), KT_OK);
	assert_int_equal(kt_buf_puts(&b, ""), KT_OK);
	st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return kt_buf_detach(&b, NULL);
}

/* Skip the running case unless every tool is installed. */
static int have_tools(void)
{
	static const char *const tools[] = { "qpdf", "pdffonts", "pdftotext" };
	size_t i;

	for (i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		char cmd[64];
		int st;

		snprintf(cmd, sizeof cmd, "command -v %s >/dev/null", tools[i]);
		free(run(cmd, &st));
		if (st != 0) {
			fprintf(stderr, "skipped: %s is not installed (tools/setup.sh)\n", tools[i]);
			return 0;
		}
	}
	return 1;
}

/* pdftotext of pages first..last of pdf (malloc'd). */
static char *pdf_text(const char *pdf, int first, int last)
{
	char cmd[1400];
	int st;
	char *t;

	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f %d -l %d '%s' -", first, last, pdf);
	t = run(cmd, &st);
	assert_int_equal(st, 0);
	return t;
}

/* Does the text hold the longest words of a page's text? Each of its words
 * of 8 letters or more, up to 5 of them, must be found. */
static void expect_words(const char *hay, const char *page_text)
{
	char *copy = strdup(page_text ? page_text : ""), *w, *save = NULL;
	int found = 0;

	assert_non_null(copy);
	for (w = strtok_r(copy, " \n\t,.;:()", &save); w && found < 5; w = strtok_r(NULL, " \n\t,.;:()", &save))
		if (strlen(w) >= 8) {
			kt_expect_in(hay, w);
			found++;
		}
	assert_true(found > 0);
	free(copy);
}

/* The dossier PDF: qpdf --check passes; a cover and every page of every
 * document; every font embedded; each document's page holds its text at the
 * page the contents give; the cover holds the case number, the Latvian name
 * with its letters and the table; the read is audited; no temporary file is
 * left beside it. */
static void test_dossier_pdf(void **state)
{
	fixture *f = *state;
	char pdf[700], cmd[1400], want[64];
	e2e_out o = e2e_run(f->store, "case", "--json", CASE, NULL);
	json_t *docs = e2e_json_lines(o.out), *d;
	char *t;
	size_t i;
	int st, pages = 0, at = 2;
	DIR *dir;
	struct dirent *de;

	e2e_out_free(&o);
	assert_non_null(docs);
	if (!have_tools()) {
		json_decref(docs);
		skip();
	}
	snprintf(pdf, sizeof pdf, "%s/dossier.pdf", f->out);
	o = e2e_run(f->store, "dossier", CASE, pdf, NULL);
	if (o.status != 0)
		fail_msg("dossier exit %d: %s", o.status, o.err);
	e2e_out_free(&o);

	snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", pdf);
	t = run(cmd, &st);
	if (st != 0)
		fail_msg("qpdf --check: exit %d\n%s", st, t);
	free(t);
	json_array_foreach(docs, i, d)
		pages += (int)json_array_size(json_object_get(d, "pages"));
	snprintf(cmd, sizeof cmd, "qpdf --show-npages '%s'", pdf);
	t = run(cmd, &st);
	assert_int_equal(atoi(t), 1 + pages);
	free(t);
	/* pdffonts: after the two header lines, "yes" in the emb column of each */
	snprintf(cmd, sizeof cmd, "pdffonts '%s'", pdf);
	t = run(cmd, &st);
	assert_int_equal(st, 0);
	{
		char *line = strchr(t, '\n'), *emb = strstr(t, "emb");
		int n = 0;

		assert_non_null(line);
		assert_non_null(emb);
		line = strchr(line + 1, '\n');
		while (line != NULL && line[1] != '\0') {
			line++;
			if (strncmp(line + (emb - t), "yes", 3) != 0)
				fail_msg("a font not embedded:\n%s", t);
			n++;
			line = strchr(line, '\n');
		}
		assert_true(n >= 1);
	}
	free(t);
	/* the cover */
	t = pdf_text(pdf, 1, 1);
	kt_expect_in(t, CASE);
	kt_expect_in(t, "Bērziņš");
	kt_expect_in(t, "Jānis Ģirts");
	kt_expect_in(t, "220791-14729");
	kt_expect_in(t, "lv_lemums_karimi.png");
	kt_expect_in(t, "paziņojums Bērziņš.pdf");
	free(t);
	/* each document's first page where the contents put it */
	json_array_foreach(docs, i, d) {
		json_t *p0 = json_array_get(json_object_get(d, "pages"), 0);

		t = pdf_text(pdf, at, at);
		expect_words(t, json_string_value(json_object_get(p0, "text")));
		free(t);
		at += (int)json_array_size(json_object_get(d, "pages"));
	}
	/* the read is in the audit log */
	o = e2e_run(f->store, "audit", "--json", NULL);
	assert_int_equal(o.status, 0);
	snprintf(want, sizeof want, "\"action\":\"dossier\",\"object\":\"case:%s\"", CASE);
	kt_expect_in(o.out, want);
	e2e_out_free(&o);
	/* nothing but the dossier in its folder */
	dir = opendir(f->out);
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.' || (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0))
			assert_string_equal(de->d_name, "dossier.pdf");
	closedir(dir);
	json_decref(docs);
}

/* The entries of a ZIP read with libarchive: names and bytes. */
typedef struct zip_file {
	char name[512];
	unsigned char *data;
	size_t len;
} zip_file;

static int read_zip(const char *path, zip_file *files, int max)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int n = 0;

	assert_non_null(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 10240) != ARCHIVE_OK)
		fail_msg("cannot open %s as a ZIP: %s", path, archive_error_string(a));
	int r;

	/* libarchive converts names through the locale: one that has UTF-8 */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	while (n < max && ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		zip_file *z = &files[n++];
		const char *name = archive_entry_pathname_utf8(e);
		la_int64_t size = archive_entry_size(e);

		snprintf(z->name, sizeof z->name, "%s", name ? name : "?");
		z->len = size > 0 ? (size_t)size : 0;
		z->data = malloc(z->len + 1);
		assert_non_null(z->data);
		for (size_t got = 0; got < z->len;) {
			la_ssize_t k = archive_read_data(a, z->data + got, z->len - got);

			if (k <= 0)
				fail_msg("cannot read %s in %s: %s", z->name, path, archive_error_string(a));
			got += (size_t)k;
		}
		z->data[z->len] = '\0';
	}
	archive_read_free(a);
	return n;
}

/* The bytes of IN/NAME, the file as it was ingested (malloc'd). */
static unsigned char *ingested(fixture *f, const char *name, size_t *len)
{
	char path[1400];
	unsigned char *d;

	snprintf(path, sizeof path, "%s/%s", f->in, name);
	d = kt_test_read_file(path, len);
	assert_non_null(d);
	return d;
}

/* --zip: the originals, bit for bit, as "NN NAME" in the case's order (the
 * Latvian name kept), manifest.csv with a row per document and case.json. */
static void test_dossier_zip(void **state)
{
	fixture *f = *state;
	static const char *const names[] = { "lv_lemums_karimi.png", "lv_vestule_digital.pdf", LATVIAN };
	zip_file z[16];
	char zip[700], want[600];
	e2e_out o;
	json_t *cj;
	int n, i, k, found[3] = { 0 };

	snprintf(zip, sizeof zip, "%s/dossier.zip", f->out);
	o = e2e_run(f->store, "dossier", "--zip", CASE, zip, NULL);
	if (o.status != 0)
		fail_msg("dossier --zip exit %d: %s", o.status, o.err);
	e2e_out_free(&o);
	n = read_zip(zip, z, 16);
	if (n != 5)
		fail_msg("%d entries in the ZIP, not 5: '%s', '%s', '%s', '%s', '%s', '%s'", n, z[0].name,
			 n > 1 ? z[1].name : "", n > 2 ? z[2].name : "", n > 3 ? z[3].name : "",
			 n > 4 ? z[4].name : "", n > 5 ? z[5].name : "");
	assert_string_equal(z[3].name, "manifest.csv");
	assert_string_equal(z[4].name, "case.json");
	for (i = 0; i < 3; i++) {
		assert_true(z[i].name[0] == '0' && z[i].name[1] == '1' + i && z[i].name[2] == ' ');
		for (k = 0; k < 3; k++)
			if (strcmp(z[i].name + 3, names[k]) == 0) {
				size_t len;
				unsigned char *orig = ingested(f, names[k], &len);

				assert_int_equal(z[i].len, len);
				assert_memory_equal(z[i].data, orig, len);
				free(orig);
				found[k]++;
			}
	}
	for (k = 0; k < 3; k++)
		if (found[k] != 1)
			fail_msg("%s is %d times in the ZIP", names[k], found[k]);
	/* manifest.csv: the header and one row per document naming its file */
	kt_expect_in((char *)z[3].data, "order,doc_id,type,date,pages,original_name,sha256,file\r\n");
	for (i = 0; i < 3; i++) {
		snprintf(want, sizeof want, ",%.500s\r\n", z[i].name);
		kt_expect_in((char *)z[3].data, want);
		snprintf(want, sizeof want, "%d,", i + 1);
		assert_true(strstr((char *)z[3].data, want) != NULL);
	}
	cj = json_loads((char *)z[4].data, 0, NULL);
	assert_non_null(cj);
	assert_string_equal(json_string_value(json_object_get(json_object_get(cj, "case"), "surname")), "Bērziņš");
	assert_int_equal(json_array_size(json_object_get(cj, "documents")), 3);
	json_decref(cj);
	for (i = 0; i < n; i++)
		free(z[i].data);
}

/* An existing OUT is refused (exit 1, left as it was) unless --force; an
 * unknown case writes nothing. */
static void test_dossier_refuses_existing(void **state)
{
	fixture *f = *state;
	char out[700], none[700];
	unsigned char *data;
	size_t len;
	e2e_out o;
	struct stat st;

	snprintf(out, sizeof out, "%s/taken.pdf", f->out);
	kt_test_write_file(out, "mine", 4);
	o = e2e_run(f->store, "dossier", CASE, out, NULL);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "exists");
	e2e_out_free(&o);
	o = e2e_run(f->store, "dossier", "--zip", CASE, out, NULL);
	assert_int_equal(o.status, 1);
	e2e_out_free(&o);
	data = kt_test_read_file(out, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "mine", 4);
	free(data);
	o = e2e_run(f->store, "dossier", "--force", CASE, out, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	data = kt_test_read_file(out, &len);
	assert_true(len > 1000 && memcmp(data, "%PDF-", 5) == 0);
	free(data);
	snprintf(none, sizeof none, "%s/none.pdf", f->out);
	o = e2e_run(f->store, "dossier", "PMLP-LV-1999-000000", none, NULL);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "no case 'PMLP-LV-1999-000000'");
	e2e_out_free(&o);
	assert_int_not_equal(stat(none, &st), 0);
}

static const kt_test_case cases[] = {
	KT_TEST_FX(case_in_date_order, setup, teardown),
	KT_TEST_FX(case_unknown, setup, teardown),
	KT_TEST_FX(person_by_code, setup, teardown),
	KT_TEST_FX(person_by_name, setup, teardown),
	KT_TEST_FX(dossier_pdf, setup, teardown),
	KT_TEST_FX(dossier_zip, setup, teardown),
	KT_TEST_FX(dossier_refuses_existing, setup, teardown),
};

/* KARTOTEKA SAMPLES */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = NULL;
	E2E.work = NULL;
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_case_view", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES", .n_args = 2, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
