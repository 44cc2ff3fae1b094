/* cmd_cases.c - `kartoteka cases import FILE.csv` and
 * `kartoteka cases show [--json] NUMBER`. */
#include "cli.h"
#include "kt_buf.h"
#include "kt_catalog.h"
#include "kt_text.h"

#include <stdlib.h>
#include <string.h>

/* One rejected row: "FILE:LINE: reason" on stderr, both printed safely (a
 * reason may quote a field, line breaks and all). */
static void on_reject(void *ctx, long line, const char *reason)
{
	kt_cli_print_safe(stderr, (const char *)ctx);
	fprintf(stderr, ":%ld: ", line);
	kt_cli_print_safe(stderr, reason);
	fputc('\n', stderr);
}

const kt_command kt_command_cases = {
	"cases", "import case records, show one",
	"usage: kartoteka [--store DIR] cases import FILE.csv\n"
	"       kartoteka [--store DIR] cases show [--json] NUMBER\n"
	"\n"
	"import: import case records exported from the migration information system:\n"
	"a CSV file (UTF-8, header row, columns separated by ',' or ';') with the\n"
	"columns case_number, personal_code, surname, given_names, birth_date,\n"
	"nationality, case_type, status. Extra columns are kept. Known case numbers\n"
	"are updated, new ones added, all in one transaction. A bad row (field count,\n"
	"empty case_number, a date that is not a real YYYY-MM-DD, a Latvian or\n"
	"Lithuanian personal code failing its check digit, an unclosed quote) is\n"
	"rejected as FILE:LINE: reason on stderr and the other rows go in; the\n"
	"counts of rows added, updated, unchanged and rejected are printed. A file\n"
	"that cannot be read imports nothing. Documents are linked again.\n"
	"\n"
	"show: the case record itself: its columns, its extra columns, its officer\n"
	"(the record's 'officer' column) and the ids of its linked documents.\n"
	"\n"
	"  --json   one JSON object (docs/cli.md, \"Case record object\")\n"
	"\n"
	"Exit status: import 0, 1 when rows were rejected, 2 when nothing was\n"
	"imported; show 0, 1 unknown case, 2 fatal.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_cases,
};

static int cases_import(kt_cli *cli, const char *file)
{
	kt_catalog_import rep;
	kt_store *s;
	int rc;

	if ((s = kt_cli_make(cli, "cases import")) == NULL)
		return KT_EXIT_FATAL;
	rc = kt_catalog_cases_import(kt_store_catalog(s), file, &rep, on_reject, (void *)file);
	if (rc != KT_OK) {
		fputs("kartoteka cases import: ", stderr);
		kt_cli_print_safe(stderr, kt_catalog_errmsg(kt_store_catalog(s)));
		fputs("; nothing was imported\n", stderr);
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	kt_cli_print_safe(stdout, file);
	printf(": %ld case%s added, %ld updated, %ld unchanged, %ld rejected%s\n", rep.added,
	       rep.added == 1 ? "" : "s", rep.updated, rep.unchanged, rep.rejected,
	       rep.separator == ';' ? " (columns separated by ';')" : "");
	kt_store_free(&s);
	return rep.rejected > 0 ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
}

/* One "  name  value" line of the human view; name (an extra column's may
 * hold anything) and value printed safely: a line break shows as \x0a. */
static void show_line(const char *name, json_t *v)
{
	kt_buf b = KT_BUF_INIT;

	if (kt_utf8_add_printable(&b, name, strlen(name), 0, NULL) == KT_OK)
		printf("  %-14s ", kt_buf_cstr(&b));
	else
		printf("  %-14s ", "?");
	kt_buf_release(&b);
	if (json_is_string(v))
		kt_cli_print_safe(stdout, json_string_value(v));
	else
		fputs("-", stdout);
	fputc('\n', stdout);
}

/* The case record of `cases show`: kt_catalog_case_json's columns, "extra"
 * (always an object), "officer" (the record's officer column, or null) and
 * "documents" (the ids of the linked documents, in the order `case` lists
 * them). NULL when the case is unknown or on error (*fatal set). */
static json_t *case_record(kt_catalog *c, const char *number, int *fatal)
{
	json_t *rec = kt_catalog_case_json(c, number), *docs, *officer;
	long long *ids = NULL;
	int n = 0, i;

	*fatal = 0;
	if (rec == NULL) {
		*fatal = kt_catalog_error(c) != NULL && kt_catalog_error(c)->code == KT_FATAL;
		return NULL;
	}
	if (kt_catalog_case_doc_ids(c, number, &ids, &n) != KT_OK) {
		*fatal = 1;
		json_decref(rec);
		return NULL;
	}
	if (!json_is_object(json_object_get(rec, "extra")))
		json_object_set_new(rec, "extra", json_object());
	officer = json_object_get(json_object_get(rec, "extra"), "officer");
	json_object_set_new(rec, "officer", json_is_string(officer) && json_string_length(officer) > 0
				    ? json_incref(officer) : json_null());
	docs = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(docs, json_integer(ids[i]));
	free(ids);
	json_object_set_new(rec, "documents", docs);
	return rec;
}

static int cases_show(kt_cli *cli, const char *number, int json)
{
	static const char *const columns[] = {
		"personal_code", "surname", "given_names", "birth_date", "nationality",
		"case_type", "status", "officer", "imported",
	};
	kt_store *s;
	json_t *rec, *extra, *v, *docs;
	const char *key;
	char *object;
	size_t k;
	int fatal;

	if ((s = kt_cli_open(cli, "cases show", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	/* a case record is personal data: its read is audited like `case` */
	object = malloc(strlen(number) + sizeof "case:");
	if (object != NULL)
		sprintf(object, "case:%s", number);
	if (object == NULL || kt_cli_audit(cli, "cases show", object) != 0) {
		if (object == NULL)
			fprintf(stderr, "kartoteka cases show: out of memory\n");
		free(object);
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	free(object);
	rec = case_record(kt_store_catalog(s), number, &fatal);
	if (rec == NULL) {
		fprintf(stderr, "kartoteka cases show: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return fatal ? KT_EXIT_FATAL : KT_EXIT_SOME_FAILED;
	}
	if (json) {
		kt_cli_print_json(rec);
	} else {
		fputs("case ", stdout);
		kt_cli_print_safe(stdout, number);
		fputc('\n', stdout);
		for (k = 0; k < sizeof columns / sizeof columns[0]; k++)
			show_line(columns[k], json_object_get(rec, columns[k]));
		extra = json_object_get(rec, "extra");
		json_object_foreach(extra, key, v)
			if (strcmp(key, "officer") != 0)
				show_line(key, v);
		docs = json_object_get(rec, "documents");
		printf("  %-14s", "documents");
		json_array_foreach(docs, k, v)
			printf(" %lld", (long long)json_integer_value(v));
		if (json_array_size(docs) == 0)
			fputs(" -", stdout);
		fputc('\n', stdout);
	}
	json_decref(rec);
	kt_store_free(&s);
	return KT_EXIT_OK;
}

int kt_cmd_cases(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub;
	int c, json = 0;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'J')
			json = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind >= argc)
		return kt_cli_usage("cases", "missing 'import' or 'show'");
	sub = argv[optind];
	if (strcmp(sub, "import") == 0) {
		if (json)
			return kt_cli_usage("cases", "--json goes with cases show");
		if (argc - optind != 2)
			return kt_cli_usage("cases", "expected: cases import FILE.csv");
		return cases_import(cli, argv[optind + 1]);
	}
	if (strcmp(sub, "show") == 0) {
		if (argc - optind != 2)
			return kt_cli_usage("cases", "expected: cases show [--json] NUMBER");
		return cases_show(cli, argv[optind + 1], json);
	}
	return kt_cli_usage("cases", "expected: cases import FILE.csv or cases show [--json] NUMBER");
}
