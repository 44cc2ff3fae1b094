/*
 * cmd_edit.c - `kartoteka edit DOC --reason TEXT ...`: an archivist corrects
 * what OCR and extraction got wrong (kt_edit, pipeline/edit.c): fields and
 * page texts, recorded with the operating system user and the time, and
 * written to the archive as a new package version.
 */
#include "cli.h"
#include "kt_catalog.h"
#include "kt_extract.h"
#include "kt_buf.h"
#include "kt_file.h"
#include "kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int kt_cmd_edit(kt_cli *cli, int argc, char **argv);

const kt_command kt_command_edit = {
	"edit", "correct a document's fields and page texts into a new version",
	"usage: kartoteka [--store DIR] edit --reason TEXT [--doc-type TYPE]\n"
	"         [--dates D,D...] [--case-numbers N,N...] [--personal-codes C,C...]\n"
	"         [--name 'SURNAME, GIVEN NAMES']... [--page-text N=FILE]... DOC\n"
	"\n"
	"Correct what OCR and extraction got wrong. Each option sets one field to\n"
	"the value given (a list replaces the whole list; an empty value clears\n"
	"it); --page-text sets the text of page N to the UTF-8 text of FILE ('-'\n"
	"for standard input), and the fields are then found again in the corrected\n"
	"text, under the fields set by hand. The corrections are recorded with the\n"
	"operating system user and the time, and a new package version is written\n"
	"beside the old ones (as reprocess does: the original is read again and\n"
	"the corrections applied over what OCR gives), so search, show and the\n"
	"web give the corrected document and the old versions stay as they were.\n"
	"Every later version (reprocess) applies them again. 'show --json' lists\n"
	"them under \"corrections\".\n"
	"\n"
	"  --reason TEXT          why (required); the version's reason is\n"
	"                         'correction: TEXT'\n"
	"  --doc-type TYPE        decision, application, interview, identity,\n"
	"                         letter or other\n"
	"  --dates D,D...         real dates YYYY-MM-DD\n"
	"  --case-numbers N,N...  the case numbers the document names\n"
	"  --personal-codes C,C...  valid Latvian (DDMMYY-NNNNN) or Lithuanian\n"
	"                         (11 digits) personal codes\n"
	"  --name 'SURNAME, GIVEN NAMES'  a person the document names; repeat for\n"
	"                         several; --name '' clears the names\n"
	"  --page-text N=FILE     the whole text of page N\n"
	"  --jobs N, -j N         OCR workers (default: one per core)\n"
	"\n"
	"Exit status: 0 written; 1 refused (a value that is not right, a page the\n"
	"document does not have, a document that is not done) and nothing\n"
	"recorded; 2 fatal.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_edit,
};

/* What the command line asks for, built into corrections. */
typedef struct edit {
	kt_doc *d;          /* only its corrections are used */
	json_t *names;      /* --name values; NULL: no --name */
	char user[256];
	char at[21];
	const char *reason;
} edit;

static int add(edit *e, const char *field, int page, json_t *value)
{
	const char *why = kt_doc_correction_check(field, page, value);
	int rc;

	if (why != NULL) {
		if (page > 0)
			fprintf(stderr, "kartoteka edit: the text of page %d %s\n", page, why);
		else
			fprintf(stderr, "kartoteka edit: %s %s\n", field, why);
		json_decref(value);
		return KT_FAILED;
	}
	rc = kt_doc_add_correction(e->d, field, page, value, e->user, e->at, e->reason);
	json_decref(value);
	return rc;
}

/* "a,b,c" as a JSON array of its non-empty parts, spaces around them cut. */
static json_t *list(const char *s)
{
	json_t *a = json_array();
	const char *p = s;

	while (a != NULL && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (n > 0 && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n > 0)
			json_array_append_new(a, json_stringn(p, n));
		p = e ? e + 1 : p + strlen(p);
	}
	return a;
}

static int doc_type(edit *e, const char *v)
{
	int t;

	for (t = KT_DOC_OTHER; t <= KT_DOC_LETTER; t++)
		if (strcmp(v, kt_extract_doc_type_name((kt_doc_type)t)) == 0)
			return add(e, "doc_type", 0, json_string(v));
	fprintf(stderr, "kartoteka edit: --doc-type '%s' is not one of decision, application,"
		" interview, identity, letter, other\n", v);
	return KT_FAILED;
}

static int name(edit *e, const char *v)
{
	const char *comma = strchr(v, ',');
	json_t *o;

	if (e->names == NULL && (e->names = json_array()) == NULL)
		return KT_FATAL;
	if (v[0] == '\0')
		return KT_OK; /* --name '' alone clears the names */
	if (comma == NULL) {
		fprintf(stderr, "kartoteka edit: --name wants 'SURNAME, GIVEN NAMES', not '%s'\n", v);
		return KT_FAILED;
	}
	o = json_pack("{s:s%,s:s}", "surname", v, (size_t)(comma - v), "given_names",
		      comma + 1 + strspn(comma + 1, " "));
	return o && json_array_append_new(e->names, o) == 0 ? KT_OK : KT_FATAL;
}

/* A page's text is at most this long (a page of text is some kilobytes). */
#define PAGE_TEXT_MAX (16 << 20)

/* Standard input whole, NUL-terminated, into *text (caller frees). */
static int read_stdin(char **text, size_t *len, kt_error *err)
{
	kt_buf b = KT_BUF_INIT;
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (b.len + n > PAGE_TEXT_MAX || kt_buf_add(&b, chunk, n) != KT_OK) {
			kt_buf_release(&b);
			return kt_error_set(err, KT_FAILED, "standard input: more than %d bytes",
					    PAGE_TEXT_MAX);
		}
	if (ferror(stdin) || kt_buf_add(&b, "", 0) != KT_OK) {
		kt_buf_release(&b);
		return kt_error_set(err, KT_FAILED, "cannot read standard input");
	}
	*text = kt_buf_detach(&b, len);
	if (*text == NULL && (*text = calloc(1, 1)) == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	return KT_OK;
}

static int page_text(edit *e, const char *v)
{
	char *end, *text;
	long n = strtol(v, &end, 10);
	kt_error err = { 0 };
	size_t len = 0;
	int rc;

	if (end == v || *end != '=' || n < 1 || n > 100000) {
		fprintf(stderr, "kartoteka edit: --page-text wants N=FILE, not '%s'\n", v);
		return KT_FAILED;
	}
	rc = strcmp(end + 1, "-") == 0 ? read_stdin(&text, &len, &err)
				       : kt_file_read(end + 1, PAGE_TEXT_MAX, &text, &len, &err);
	if (rc != KT_OK) {
		fprintf(stderr, "kartoteka edit: %s\n", err.msg);
		return KT_FAILED;
	}
	if (memchr(text, '\0', len) != NULL) {
		fprintf(stderr, "kartoteka edit: '%s' holds a NUL byte: not text\n", end + 1);
		free(text);
		return KT_FAILED;
	}
	rc = add(e, "page_text", (int)n, json_stringn(text, len));
	free(text);
	return rc;
}

static int kt_cmd_edit(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "doc-type", required_argument, NULL, 'T' },
		{ "dates", required_argument, NULL, 'D' },
		{ "case-numbers", required_argument, NULL, 'C' },
		{ "personal-codes", required_argument, NULL, 'P' },
		{ "name", required_argument, NULL, 'N' },
		{ "page-text", required_argument, NULL, 'X' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	kt_reprocess_opts ro = { 0 };
	kt_error err = { 0 };
	edit e = { 0 };
	kt_store *s = NULL;
	char object[48], *package = NULL, *why;
	long long id;
	long jobs = 0;
	int c, rc = KT_OK, version = 0, status = KT_EXIT_SOME_FAILED;

	if ((e.d = kt_doc_new()) == NULL)
		return KT_EXIT_FATAL;
	kt_cli_os_user(e.user, sizeof e.user);
	kt_now_iso(e.at);
	/* the reason first: every correction carries it */
	for (c = 1; c < argc; c++)
		if (strncmp(argv[c], "--reason=", 9) == 0)
			e.reason = argv[c] + 9;
		else if (strcmp(argv[c], "--reason") == 0 && c + 1 < argc)
			e.reason = argv[++c];
	while (rc == KT_OK && (c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		switch (c) {
		case 'r': ro.reason = optarg; break;
		case 'T': rc = doc_type(&e, optarg); break;
		case 'D': rc = add(&e, "dates", 0, list(optarg)); break;
		case 'C': rc = add(&e, "case_numbers", 0, list(optarg)); break;
		case 'P': rc = add(&e, "personal_codes", 0, list(optarg)); break;
		case 'N': rc = name(&e, optarg); break;
		case 'X': rc = page_text(&e, optarg); break;
		case 'j':
			if (kt_cli_number("edit", "--jobs", optarg, 1, 256, &jobs) != 0)
				rc = KT_FATAL;
			break;
		}
	}
	if (rc == KT_OK && e.names != NULL)
		rc = add(&e, "names", 0, json_incref(e.names));
	if (rc != KT_OK) {
		status = rc == KT_FATAL ? KT_EXIT_FATAL : KT_EXIT_SOME_FAILED;
		goto out;
	}
	if (c != KT_CLI_END) {
		status = kt_cli_getopt_exit(c);
		goto out;
	}
	if (optind + 1 != argc || ro.reason == NULL || e.d->n_corrections == 0) {
		status = kt_cli_usage("edit", optind + 1 != argc ? "give one document"
					       : ro.reason == NULL ? "--reason is required: say why"
					       : "nothing to correct: give a field or a page text");
		goto out;
	}
	ro.jobs = (int)jobs;
	if ((why = malloc(strlen(ro.reason) + sizeof "correction: ")) == NULL) {
		status = KT_EXIT_FATAL;
		goto out;
	}
	sprintf(why, "correction: %s", ro.reason);
	ro.reason = why;
	if ((s = kt_cli_open(cli, "edit", KT_STORE_WRITE)) == NULL) {
		status = KT_EXIT_FATAL;
	} else if (kt_catalog_doc_resolve(kt_store_catalog(s), argv[optind], &id) != KT_OK) {
		fprintf(stderr, "kartoteka edit: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
	} else {
		snprintf(object, sizeof object, "doc:%lld", id);
		if (kt_cli_audit(cli, "edit", object) != 0) {
			status = KT_EXIT_FATAL;
		} else {
			rc = kt_edit(s, id, e.d->corrections, e.d->n_corrections, &ro, &version, &package,
				     &err);
			if (rc >= KT_WARN)
				printf("document %lld: %zu correction%s, version %d written as '%s'\n", id,
				       e.d->n_corrections, e.d->n_corrections == 1 ? "" : "s", version,
				       package ? package : "?");
			if (rc != KT_OK)
				fprintf(stderr, "kartoteka edit: %s%s\n", rc == KT_WARN ? "warning: " : "",
					err.msg);
			status = rc >= KT_WARN ? KT_EXIT_OK
					       : rc == KT_FATAL ? KT_EXIT_FATAL : KT_EXIT_SOME_FAILED;
		}
	}
	free(why);
out:
	free(package);
	kt_store_free(&s);
	json_decref(e.names);
	kt_doc_free(&e.d);
	return status;
}
