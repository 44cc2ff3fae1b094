/*
 * cmd_case.c - `kartoteka case [--json] NUMBER`, `kartoteka file [--json]
 * DOC|FOLDER` and `kartoteka person [--json] CODE|NAME` (issue 9,
 * "Retrieval"): the documents of one case, of one paper file (in name
 * order), or of every case of one person, in date order (the first date found in each
 * document, then id), each with its type, date, pages, languages, file name
 * and the evidence of every link it has. See docs/cases.md, "Case view and
 * dossier".
 */
#include "cli.h"
#include "kt_catalog.h"
#include "kt_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- shared helpers */

const char *kt_cli_doc_date(const kt_doc *doc)
{
	return doc->meta.dates.n > 0 ? doc->meta.dates.v[0] : NULL;
}

const char *kt_cli_doc_file_name(const kt_doc *doc)
{
	const char *s = doc->source ? doc->source : "", *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

/* The distinct languages of the pages, in page order, "+" between them
 * ("lav+rus"); "-" when none. Into buf. */
static void doc_langs(const kt_doc *doc, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < doc->n_pages; i++) {
		const char *l = doc->pages[i].lang;
		size_t ll = l ? strlen(l) : 0;
		const char *at = ll ? strstr(buf, l) : NULL;

		/* already listed: a whole "+"-separated item */
		while (at != NULL && !((at == buf || at[-1] == '+') && (at[ll] == '\0' || at[ll] == '+')))
			at = strstr(at + 1, l);
		if (ll == 0 || at != NULL || used + ll + 2 > size)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "+" : "", l);
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "-");
}

/* The case view's object of one document (new reference): id, type, date,
 * pages, languages, source and file name, and every link with its
 * evidence. NULL when out of memory. */
static json_t *doc_view_json(const kt_doc *doc)
{
	json_t *o = json_object(), *langs = json_array(), *links = json_array();
	char *source = kt_doc_source_escape(doc), *name;
	size_t i;

	name = source ? strrchr(source, '/') : NULL;
	for (i = 0; i < doc->n_pages; i++) {
		const char *l = doc->pages[i].lang;
		size_t k, dup = 0;

		for (k = 0; l && l[0] && k < json_array_size(langs); k++)
			dup |= strcmp(json_string_value(json_array_get(langs, k)), l) == 0;
		if (l && l[0] && !dup)
			json_array_append_new(langs, json_string(l));
	}
	for (i = 0; i < doc->n_links; i++)
		json_array_append_new(links, json_pack("{s:s?, s:s?}", "case_number",
						       doc->links[i].case_number, "evidence",
						       doc->links[i].evidence));
	json_object_set_new(o, "id", json_integer(doc->id));
	json_object_set_new(o, "doc_type", doc->meta.doc_type ? json_string(doc->meta.doc_type) : json_null());
	json_object_set_new(o, "date", kt_cli_doc_date(doc) ? json_string(kt_cli_doc_date(doc)) : json_null());
	json_object_set_new(o, "pages", json_integer((json_int_t)doc->n_pages));
	json_object_set_new(o, "languages", langs);
	json_object_set_new(o, "source", source ? json_string(source) : json_null());
	json_object_set_new(o, "file_name", source ? json_string(name ? name + 1 : source) : json_null());
	json_object_set_new(o, "format", doc->format ? json_string(doc->format) : json_null());
	json_object_set_new(o, "links", links);
	free(source);
	return o;
}

/* Load the records of n documents; KT_OK, or the catalog's code (said). */
static int load_docs(kt_catalog *c, const char *cmd, const long long *ids, int n, kt_doc ***out)
{
	kt_doc **docs = calloc((size_t)n + 1, sizeof *docs);
	int i;

	*out = docs;
	if (docs == NULL) {
		fprintf(stderr, "kartoteka %s: out of memory\n", cmd);
		return KT_FATAL;
	}
	for (i = 0; i < n; i++)
		if (kt_catalog_doc_get(c, ids[i], &docs[i]) != KT_OK) {
			fprintf(stderr, "kartoteka %s: %s\n", cmd, kt_catalog_errmsg(c));
			return kt_catalog_error(c)->code;
		}
	return KT_OK;
}

static void free_docs(kt_doc ***docs, int n)
{
	int i;

	for (i = 0; *docs != NULL && i < n; i++)
		kt_doc_free(&(*docs)[i]);
	free(*docs);
	*docs = NULL;
}

/* The documents as a table for a terminal: id, type, date, pages,
 * languages, file name; under each, one line per link with its evidence. */
static void print_docs(kt_doc **docs, int n)
{
	int i, wtype = 4, wlang = 4;
	size_t k;

	for (i = 0; i < n; i++) {
		char langs[64];
		int lt = docs[i]->meta.doc_type ? (int)strlen(docs[i]->meta.doc_type) : 1;

		doc_langs(docs[i], langs, sizeof langs);
		wtype = lt > wtype ? lt : wtype;
		wlang = (int)strlen(langs) > wlang ? (int)strlen(langs) : wlang;
	}
	printf("%6s  %-*s  %-10s  %5s  %-*s  %s\n", "id", wtype, "type", "date", "pages", wlang, "lang",
	       "file");
	for (i = 0; i < n; i++) {
		const kt_doc *d = docs[i];
		char langs[64];

		doc_langs(d, langs, sizeof langs);
		printf("%6lld  %-*s  %-10s  %5zu  %-*s  ", d->id, wtype, d->meta.doc_type ? d->meta.doc_type : "-",
		       kt_cli_doc_date(d) ? kt_cli_doc_date(d) : "-", d->n_pages, wlang, langs);
		kt_cli_print_safe(stdout, kt_cli_doc_file_name(d));
		putchar('\n');
		for (k = 0; k < d->n_links; k++) {
			printf("%6s  link %s: ", "", d->links[k].case_number ? d->links[k].case_number : "?");
			kt_cli_print_safe(stdout, d->links[k].evidence ? d->links[k].evidence : "(no evidence kept)");
			putchar('\n');
		}
	}
}

void kt_cli_print_case_record(const char *number, json_t *rec)
{
	static const struct {
		const char *before, *key, *none;
	} parts[] = {
		{ ": ", "given_names", "" }, { " ", "surname", "" },
		{ ", personal code ", "personal_code", "-" }, { ", born ", "birth_date", "-" },
		{ ", ", "nationality", "-" }, { ", ", "case_type", "-" }, { ", ", "status", "-" },
	};
	size_t k;

	/* each field as it may hold anything a CSV file brought (a line break) */
	fputs("case ", stdout);
	kt_cli_print_safe(stdout, number);
	for (k = 0; rec != NULL && k < sizeof parts / sizeof parts[0]; k++) {
		const char *v = json_string_value(json_object_get(rec, parts[k].key));

		fputs(parts[k].before, stdout);
		kt_cli_print_safe(stdout, v != NULL ? v : parts[k].none);
	}
	putchar('\n');
}

/* Record a read of object by cmd in the audit log: 0, or -1 (said). */
static int audit(kt_cli *cli, const char *cmd, const char *prefix, const char *arg)
{
	size_t len = strlen(prefix) + strlen(arg) + 1;
	char *object = malloc(len);
	int rc;

	if (object == NULL) {
		fprintf(stderr, "kartoteka %s: out of memory\n", cmd);
		return -1;
	}
	snprintf(object, len, "%s%s", prefix, arg);
	rc = kt_cli_audit(cli, cmd, object);
	free(object);
	return rc;
}

/* One case's view: the record (NULL for a number that only links name) and
 * its documents. As JSON, *out receives {"case": record|null, "documents":
 * [...]}; as text it is printed. KT_OK, KT_FAILED for an unknown case (said
 * unless quiet), or the catalog's code (said). */
static int case_view(kt_catalog *c, const char *cmd, const char *number, json_t **out, int quiet)
{
	json_t *rec = kt_catalog_case_json(c, number);
	long long *ids = NULL;
	kt_doc **docs = NULL;
	int n = 0, i, rc;

	if (kt_catalog_case_doc_ids(c, number, &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka %s: %s\n", cmd, kt_catalog_errmsg(c));
		json_decref(rec);
		return kt_catalog_error(c)->code;
	}
	if (rec == NULL && n == 0) {
		if (!quiet) {
			fprintf(stderr, "kartoteka %s: no case '", cmd);
			kt_cli_print_safe(stderr, number);
			fprintf(stderr, "' in the case records\n");
		}
		free(ids);
		return KT_FAILED;
	}
	rc = load_docs(c, cmd, ids, n, &docs);
	if (rc == KT_OK && out != NULL) {
		json_t *arr = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(arr, doc_view_json(docs[i]));
		*out = json_pack("{s:o, s:o}", "case", rec ? json_incref(rec) : json_null(), "documents", arr);
	} else if (rc == KT_OK) {
		kt_cli_print_case_record(number, rec);
		printf("%d document%s\n", n, n == 1 ? "" : "s");
		if (n > 0)
			print_docs(docs, n);
	}
	free_docs(&docs, n);
	free(ids);
	json_decref(rec);
	return rc;
}

static int exit_of(int rc)
{
	return rc == KT_OK ? KT_EXIT_OK : rc == KT_FAILED ? KT_EXIT_SOME_FAILED : KT_EXIT_FATAL;
}

/* ------------------------------------------------------------------ case */

const kt_command kt_command_case_view = {
	"case", "the documents linked to one case, in date order",
	"usage: kartoteka [--store DIR] case [--json] CASE-NUMBER\n"
	"\n"
	"Show a case record and its documents in date order (the first date found in\n"
	"each document, then id): id, type, date, pages, languages and file name,\n"
	"and under each document every case link with its evidence.\n"
	"  --json   one JSON document object per line, each with \"links\": the case\n"
	"           links with their evidence\n"
	"\n"
	"Exit status: 0, 1 unknown case, 2 fatal error.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_case_view,
};

/* case --json: the document objects of the JSON contract, one a line, each
 * with its links and their evidence ("links"), as `case --json` always
 * printed them (docs/cli.md). */
static int print_case_lines(kt_catalog *c, const char *number)
{
	long long *ids = NULL;
	int n = 0, i, rc = KT_OK;

	if (kt_catalog_case_doc_ids(c, number, &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka case: %s\n", kt_catalog_errmsg(c));
		return kt_catalog_error(c)->code;
	}
	for (i = 0; i < n && rc == KT_OK; i++) {
		json_t *o = kt_catalog_doc_json(c, ids[i]);
		kt_doc *doc = NULL;

		if (o == NULL || kt_catalog_doc_get(c, ids[i], &doc) != KT_OK) {
			fprintf(stderr, "kartoteka case: %s\n", kt_catalog_errmsg(c));
			rc = kt_catalog_error(c)->code;
		} else {
			json_t *view = doc_view_json(doc);

			json_object_set(o, "links", json_object_get(view, "links"));
			json_decref(view);
			kt_cli_print_json(o);
		}
		json_decref(o);
		kt_doc_free(&doc);
	}
	free(ids);
	return rc;
}

int kt_cmd_case_view(kt_cli *cli, int argc, char **argv)
{
	int json, rc;
	const char *arg = NULL;
	kt_store *s;

	if ((rc = kt_cli_json_arg("case", argc, argv, 1, &json, &arg)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if ((s = kt_cli_open(cli, "case", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (audit(cli, "case", "case:", arg) != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	if (json) {
		/* known? (a number that only links name is a case too) */
		json_t *view = NULL;

		rc = case_view(kt_store_catalog(s), "case", arg, &view, 0);
		json_decref(view);
		if (rc == KT_OK)
			rc = print_case_lines(kt_store_catalog(s), arg);
	} else {
		rc = case_view(kt_store_catalog(s), "case", arg, NULL, 0);
	}
	kt_store_free(&s);
	return exit_of(rc);
}

/* ------------------------------------------------------------------ file */

const kt_command kt_command_paper_file = {
	"file", "the documents of one paper file (a scanned folder), in order",
	"usage: kartoteka [--store DIR] file [--json] DOC|FOLDER\n"
	"\n"
	"The documents of one paper file, in the order of their file names (the order\n"
	"they were scanned and ingested): the files an operator scanned into one\n"
	"folder, as the folder was given to ingest. DOC (an id or a SHA-256 prefix)\n"
	"gives its own paper file; else the argument is the folder. Each document as\n"
	"`case` shows it, with its case links and their evidence.\n"
	"  --json   one object {\"folder\", \"documents\": [...]}\n"
	"\n"
	"Exit status: 0, 1 no such document or no document in the folder, 2 fatal.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_paper_file,
};

/* The folder of DOC's source when arg resolves to a document, else arg
 * itself: *folder (malloc'd bytes, caller frees) and its length. */
static int paper_folder(kt_catalog *c, const char *arg, char **folder, size_t *len)
{
	long long id;
	kt_doc *doc = NULL;
	size_t n;

	if (kt_catalog_doc_resolve(c, arg, &id) == KT_OK && kt_catalog_doc_get(c, id, &doc) == KT_OK) {
		kt_catalog_paper_folder(doc->source, doc->source_len, &n);
		*folder = malloc(n + 1);
		if (*folder != NULL) {
			memcpy(*folder, doc->source, n);
			(*folder)[n] = '\0';
		}
		*len = n;
		kt_doc_free(&doc);
	} else {
		n = strlen(arg);
		while (n > 1 && arg[n - 1] == '/')
			n--;
		*folder = strndup(arg, n);
		*len = n;
	}
	return *folder != NULL ? KT_OK : KT_FATAL;
}

int kt_cmd_paper_file(kt_cli *cli, int argc, char **argv)
{
	int json, rc, n = 0, i;
	const char *arg = NULL;
	long long *ids = NULL;
	kt_doc **docs = NULL;
	char *folder = NULL;
	size_t len = 0;
	kt_store *s;

	if ((rc = kt_cli_json_arg("file", argc, argv, 1, &json, &arg)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if ((s = kt_cli_open(cli, "file", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (audit(cli, "file", "file:", arg) != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	rc = paper_folder(kt_store_catalog(s), arg, &folder, &len);
	if (rc == KT_OK &&
	    kt_catalog_paper_file_ids(kt_store_catalog(s), folder, len, &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka file: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		rc = KT_FATAL;
	}
	if (rc == KT_OK && n == 0) {
		fputs("kartoteka file: no document in the paper file '", stderr);
		kt_cli_print_safe(stderr, len ? folder : ".");
		fputs("'\n", stderr);
		rc = KT_FAILED;
	}
	if (rc == KT_OK)
		rc = load_docs(kt_store_catalog(s), "file", ids, n, &docs);
	if (rc == KT_OK && json) {
		json_t *arr = json_array(), *o;
		char *esc = kt_utf8_escape(len ? folder : ".", len ? len : 1);

		for (i = 0; i < n; i++)
			json_array_append_new(arr, doc_view_json(docs[i]));
		o = json_pack("{s:s?, s:o}", "folder", esc, "documents", arr);
		if (o != NULL)
			kt_cli_print_json(o);
		else
			rc = KT_FATAL;
		json_decref(o);
		free(esc);
	} else if (rc == KT_OK) {
		fputs("paper file ", stdout);
		kt_cli_print_safe(stdout, len ? folder : ".");
		printf(": %d document%s\n", n, n == 1 ? "" : "s");
		print_docs(docs, n);
	}
	free_docs(&docs, n);
	free(ids);
	free(folder);
	kt_store_free(&s);
	return exit_of(rc);
}

/* ---------------------------------------------------------------- person */

const kt_command kt_command_person = {
	"person", "the documents of one person across cases",
	"usage: kartoteka [--store DIR] person [--json] CODE|NAME\n"
	"       kartoteka [--store DIR] person --export DIR --reason TEXT CODE|NAME\n"
	"\n"
	"The cases of one person, each with its documents as `case` shows them, and\n"
	"the documents that hold the personal code but are linked to no case.\n"
	"An argument with a digit is a personal code (DDMMYY-NNNNN or 11 digits; a\n"
	"Latvian code may be given without its hyphen); else a name: one word (a\n"
	"surname or a given name), or \"SURNAME GIVEN\" (or \"GIVEN SURNAME\"),\n"
	"matched without diacritics and case (Berzins finds Bērziņš).\n"
	"  --json   one object: {\"query\", \"cases\": [{\"case\", \"documents\"}],\n"
	"           \"unlinked\": [documents]}\n"
	"  --export DIR   answer a subject access request: write every case record\n"
	"           and document held about the person into the new folder DIR:\n"
	"           each document's original and access copies under documents/ID/,\n"
	"           person.json (the records, every field held and where),\n"
	"           summary.txt (the fields held, for the person to read) and\n"
	"           manifest-sha256.txt (sha256sum -c checks the folder)\n"
	"  --reason TEXT  the request the export answers (required with --export;\n"
	"           in the audit log and the export)\n"
	"\n"
	"Exit status: 0 found (and exported), 1 nothing found or a document could\n"
	"not be exported, 2 usage or fatal error.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_person,
};

/* Is arg a personal code (it has a digit)? */
static int is_code(const char *arg)
{
	for (; *arg; arg++)
		if (isdigit((unsigned char)*arg))
			return 1;
	return 0;
}

/* The forms of a code to look up, into forms (2 of 16 bytes at least):
 * the code, and for 11 digits also the Latvian form with its hyphen. */
static int code_forms(const char *arg, char forms[2][32])
{
	size_t len = strlen(arg), i;
	int digits = len == 11;

	snprintf(forms[0], 32, "%s", arg);
	for (i = 0; digits && i < len; i++)
		digits = isdigit((unsigned char)arg[i]) != 0;
	if (!digits)
		return 1;
	snprintf(forms[1], 32, "%.6s-%s", arg, arg + 6);
	return 2;
}

/* The personal codes to look unlinked documents up by: the code given, or
 * the personal codes of the cases found by name. */
static int person_codes(kt_catalog *c, const char *arg, char **nums, int nn, kt_strv *codes)
{
	char forms[2][32];
	int i, k;

	if (is_code(arg)) {
		k = code_forms(arg, forms);
		for (i = 0; i < k; i++)
			if (kt_strv_push(codes, forms[i]) != KT_OK)
				return KT_FATAL;
		return KT_OK;
	}
	for (i = 0; i < nn; i++) {
		json_t *rec = kt_catalog_case_json(c, nums[i]);
		const char *pc = json_string_value(json_object_get(rec, "personal_code"));
		size_t j, dup = 0;

		for (j = 0; pc != NULL && j < codes->n; j++)
			dup |= strcmp(codes->v[j], pc) == 0;
		if (pc != NULL && !dup && kt_strv_push(codes, pc) != KT_OK) {
			json_decref(rec);
			return KT_FATAL;
		}
		json_decref(rec);
	}
	return KT_OK;
}

/* The cases of the person: by every form of the code, or by name. */
static int person_cases(kt_catalog *c, const char *arg, char ***nums, int *n)
{
	char forms[2][32];
	int k, i, rc;

	if (!is_code(arg))
		return kt_catalog_person_cases_by_name(c, arg, nums, n);
	k = code_forms(arg, forms);
	rc = kt_catalog_person_cases_by_code(c, forms[0], nums, n);
	for (i = 1; rc == KT_OK && *n == 0 && i < k; i++)
		rc = kt_catalog_person_cases_by_code(c, forms[i], nums, n);
	return rc;
}

/* The unlinked documents of the codes, in order, each once. */
static int person_unlinked(kt_catalog *c, const kt_strv *codes, long long **ids, int *n)
{
	size_t i;
	int j, k, rc = KT_OK;

	*ids = NULL;
	*n = 0;
	for (i = 0; rc == KT_OK && i < codes->n; i++) {
		long long *more = NULL, *g;
		int m = 0;

		rc = kt_catalog_person_unlinked_doc_ids(c, codes->v[i], &more, &m);
		g = rc == KT_OK && m > 0 ? realloc(*ids, (size_t)(*n + m) * sizeof *g) : *ids;
		if (rc == KT_OK && m > 0 && g == NULL)
			rc = KT_FATAL;
		for (j = 0; rc == KT_OK && j < m; j++) {
			int dup = 0;

			for (k = 0; k < *n; k++)
				dup |= g[k] == more[j];
			if (!dup)
				g[(*n)++] = more[j];
		}
		if (g != NULL)
			*ids = g;
		free(more);
	}
	return rc;
}

/* No such person: said; KT_FAILED. */
static int nobody(const char *arg)
{
	fprintf(stderr, "kartoteka person: no case and no document of '");
	kt_cli_print_safe(stderr, arg);
	fprintf(stderr, "'\n");
	return KT_FAILED;
}

/* Find the person arg's cases (*nums, *nn), the codes looked up and the
 * documents with them linked to no case (*un, *nu). KT_OK, or the
 * catalog's code said on stderr. */
static int person_find(kt_catalog *c, const char *arg, char ***nums, int *nn, kt_strv *codes,
		       long long **un, int *nu)
{
	int rc = person_cases(c, arg, nums, nn);

	if (rc == KT_OK)
		rc = person_codes(c, arg, *nums, *nn, codes);
	if (rc == KT_OK)
		rc = person_unlinked(c, codes, un, nu);
	if (rc != KT_OK)
		fprintf(stderr, "kartoteka person: %s\n", kt_catalog_errmsg(c));
	return rc;
}

static int person_run(kt_catalog *c, const char *arg, int json)
{
	char **nums = NULL;
	int nn = 0, nu = 0, i, rc;
	long long *un = NULL;
	kt_strv codes = KT_STRV_INIT;
	json_t *out = json_pack("{s:s, s:[], s:[]}", "query", arg, "cases", "unlinked");

	if ((rc = person_find(c, arg, &nums, &nn, &codes, &un, &nu)) != KT_OK)
		goto out;
	if (!json) {
		fputs("person ", stdout);
		kt_cli_print_safe(stdout, arg);
		printf(": %d case%s, %d document%s linked to no case\n", nn, nn == 1 ? "" : "s", nu,
		       nu == 1 ? "" : "s");
	}
	for (i = 0; rc == KT_OK && i < nn; i++) {
		json_t *view = NULL;

		if (!json)
			putchar('\n');
		rc = case_view(c, "person", nums[i], json ? &view : NULL, 1);
		if (view != NULL)
			json_array_append_new(json_object_get(out, "cases"), view);
	}
	if (rc == KT_OK && nu > 0) {
		kt_doc **docs = NULL;

		rc = load_docs(c, "person", un, nu, &docs);
		for (i = 0; rc == KT_OK && json && i < nu; i++)
			json_array_append_new(json_object_get(out, "unlinked"), doc_view_json(docs[i]));
		if (rc == KT_OK && !json) {
			printf("\nlinked to no case, with personal code");
			for (i = 0; i < (int)codes.n; i++)
				printf("%s%s", i ? ", " : " ", codes.v[i]);
			putchar('\n');
			print_docs(docs, nu);
		}
		free_docs(&docs, nu);
	}
	if (rc == KT_OK && json)
		kt_cli_print_json(out);
	if (rc == KT_OK && nn == 0 && nu == 0)
		rc = nobody(arg);
out:
	json_decref(out);
	kt_catalog_strings_free(&nums, nn);
	kt_strv_release(&codes);
	free(un);
	return rc;
}

/* `person --export DIR --reason TEXT CODE|NAME`: audited as person-export
 * before anything is read. */
static int person_export(kt_cli *cli, const char *arg, const char *dir, const char *reason)
{
	char **nums = NULL, object[600];
	int nn = 0, nu = 0, rc;
	long long *un = NULL;
	kt_strv codes = KT_STRV_INIT;
	kt_store *s = kt_cli_open(cli, "person", KT_STORE_READ);

	if (s == NULL)
		return KT_EXIT_FATAL;
	snprintf(object, sizeof object, "person:%.200s reason:%.300s", arg, reason);
	if (kt_cli_audit(cli, "person-export", object) != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	rc = person_find(kt_store_catalog(s), arg, &nums, &nn, &codes, &un, &nu);
	if (rc == KT_OK && nn == 0 && nu == 0)
		rc = nobody(arg);
	rc = rc != KT_OK ? exit_of(rc) : kt_cli_person_export(s, arg, nums, nn, un, nu, dir, reason);
	kt_catalog_strings_free(&nums, nn);
	kt_strv_release(&codes);
	free(un);
	kt_store_free(&s);
	return rc;
}

int kt_cmd_person(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "export", required_argument, NULL, 'E' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arg, *dir = NULL, *reason = NULL;
	int json = 0, c, rc;
	kt_store *s;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'J')
			json = 1;
		else if (c == 'E')
			dir = optarg;
		else if (c == 'r')
			reason = optarg;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (argc - optind != 1)
		return kt_cli_usage("person", argc - optind ? "give one code or name" : "give a code or a name");
	arg = argv[optind];
	if (dir != NULL && json)
		return kt_cli_usage("person", "--export writes its own person.json: no --json with it");
	if ((dir != NULL) != (reason != NULL) || (reason != NULL && reason[0] == '\0'))
		return kt_cli_usage("person", dir != NULL ? "--export needs --reason TEXT (the request it"
							     " answers)" : "--reason goes with --export");
	if (dir != NULL)
		return person_export(cli, arg, dir, reason);
	if ((s = kt_cli_open(cli, "person", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (audit(cli, "person", "person:", arg) != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	rc = person_run(kt_store_catalog(s), arg, json);
	kt_store_free(&s);
	return exit_of(rc);
}
