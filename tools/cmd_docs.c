/* cmd_docs.c - `kartoteka docs`, `show` and `case`: documents out of the catalog. */
#include "cli.h"
#include "kt_catalog.h"

#include <stdlib.h>
#include <string.h>

/* Parse "[--json] [ARG]": the argument (or NULL) into *arg and --json into
 * *json. Returns 0 to go on, -1 when the help was printed, or the exit
 * status of a usage error. */
static int parse(const char *name, int argc, char **argv, int want_arg, int *json, const char **arg)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = 0;
	*arg = NULL;
	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'J')
			*json = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c) == KT_EXIT_OK ? -1 : KT_EXIT_FATAL;
	if (argc - optind > (want_arg ? 1 : 0))
		return kt_cli_usage(name, "too many arguments");
	if (want_arg && optind >= argc)
		return kt_cli_usage(name, "missing argument");
	if (want_arg)
		*arg = argv[optind];
	return 0;
}

static void show_human(json_t *doc)
{
	json_t *meta = json_object_get(doc, "metadata"), *p, *v;
	size_t i;
	const char *key;

	printf("document %lld  %s\n", json_integer_value(json_object_get(doc, "id")),
	       json_string_value(json_object_get(doc, "source")));
	printf("  sha256   %s\n", json_string_value(json_object_get(doc, "sha256")));
	printf("  status   %s\n", json_string_value(json_object_get(doc, "status")));
	if (json_object_get(doc, "error"))
		printf("  error    %s\n", json_string_value(json_object_get(doc, "error")));
	if (json_object_get(doc, "package"))
		printf("  package  %s\n", json_string_value(json_object_get(doc, "package")));
	json_object_foreach(meta, key, v) {
		char *s;

		if (json_is_array(v) && json_array_size(v) == 0)
			continue;
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		printf("  %s: %s\n", key, s ? s : "?");
		free(s);
	}
	if (json_array_size(json_object_get(doc, "cases")) > 0) {
		char *s = json_dumps(json_object_get(doc, "cases"), JSON_COMPACT);

		printf("  cases: %s\n", s ? s : "?");
		free(s);
	}
	json_array_foreach(json_object_get(doc, "pages"), i, p) {
		printf("\n--- page %lld: rotation %lld, skew %.2f, %s, lang %s, confidence %lld\n",
		       json_integer_value(json_object_get(p, "n")),
		       json_integer_value(json_object_get(p, "rotation")),
		       json_real_value(json_object_get(p, "skew")),
		       json_is_true(json_object_get(p, "blank")) ? "blank" : "text",
		       json_string_value(json_object_get(p, "lang")),
		       json_integer_value(json_object_get(p, "confidence")));
		fputs(json_string_value(json_object_get(p, "text")), stdout);
	}
}

static int print_ids(kt_catalog *c, const long long *ids, int n, int json)
{
	int i;

	for (i = 0; i < n; i++) {
		json_t *doc = kt_catalog_doc_json(c, ids[i]);

		if (doc == NULL) {
			fprintf(stderr, "kartoteka: %s\n", kt_catalog_errmsg(c));
			return KT_EXIT_FATAL;
		}
		if (json)
			kt_cli_print_json(doc);
		else
			kt_cli_doc_summary(stdout, doc);
		json_decref(doc);
	}
	return KT_EXIT_OK;
}

const kt_command kt_command_docs = {
	"docs", "list the documents",
	"usage: kartoteka [--store DIR] docs [--json]\n"
	"\n"
	"List every document of the store, done and failed, in id order.\n"
	"  --json   one JSON document object per line\n",
	kt_cmd_docs,
};

int kt_cmd_docs(kt_cli *cli, int argc, char **argv)
{
	int json, rc, n = 0;
	const char *arg;
	long long *ids = NULL;
	kt_store *s;

	if ((rc = parse("docs", argc, argv, 0, &json, &arg)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if ((s = kt_cli_open(cli, KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_catalog_doc_ids(kt_store_catalog(s), "all", &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka docs: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		rc = KT_EXIT_FATAL;
	} else {
		rc = print_ids(kt_store_catalog(s), ids, n, json);
	}
	free(ids);
	kt_store_free(&s);
	return rc;
}

const kt_command kt_command_show = {
	"show", "show one document",
	"usage: kartoteka [--store DIR] show [--json] DOC\n"
	"\n"
	"Show a document: its fields, its case links and the text of every page.\n"
	"DOC is the document's id or a unique prefix of its SHA-256.\n"
	"  --json   the document object on one line\n",
	kt_cmd_show,
};

int kt_cmd_show(kt_cli *cli, int argc, char **argv)
{
	int json, rc;
	const char *arg;
	long long id;
	kt_store *s;
	json_t *doc;

	if ((rc = parse("show", argc, argv, 1, &json, &arg)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if ((s = kt_cli_open(cli, KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_catalog_doc_resolve(kt_store_catalog(s), arg, &id) != KT_OK ||
	    (doc = kt_catalog_doc_json(kt_store_catalog(s), id)) == NULL) {
		fprintf(stderr, "kartoteka show: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_SOME_FAILED;
	}
	if (json)
		kt_cli_print_json(doc);
	else
		show_human(doc);
	json_decref(doc);
	kt_store_free(&s);
	return KT_EXIT_OK;
}

const kt_command kt_command_case = {
	"case", "the documents linked to one case, in order",
	"usage: kartoteka [--store DIR] case [--json] CASE-NUMBER\n"
	"\n"
	"Show a case record and its documents in order (first date in each document,\n"
	"then ingest order).\n"
	"  --json   one JSON document object per line\n",
	kt_cmd_case,
};

int kt_cmd_case(kt_cli *cli, int argc, char **argv)
{
	int json, rc, n = 0;
	const char *arg;
	long long *ids = NULL;
	kt_store *s;
	json_t *rec;

	if ((rc = parse("case", argc, argv, 1, &json, &arg)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if ((s = kt_cli_open(cli, KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	rec = kt_catalog_case_json(kt_store_catalog(s), arg);
	if (kt_catalog_case_doc_ids(kt_store_catalog(s), arg, &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka case: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		json_decref(rec);
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	if (rec == NULL && n == 0) {
		fprintf(stderr, "kartoteka case: no case '%s' in the case records\n", arg);
		kt_store_free(&s);
		return KT_EXIT_SOME_FAILED;
	}
	if (!json && rec != NULL) {
		printf("case %s: %s %s, personal code %s, born %s, %s, %s, %s\n", arg,
		       json_string_value(json_object_get(rec, "given_names")) ?: "",
		       json_string_value(json_object_get(rec, "surname")) ?: "",
		       json_string_value(json_object_get(rec, "personal_code")) ?: "-",
		       json_string_value(json_object_get(rec, "birth_date")) ?: "-",
		       json_string_value(json_object_get(rec, "nationality")) ?: "-",
		       json_string_value(json_object_get(rec, "case_type")) ?: "-",
		       json_string_value(json_object_get(rec, "status")) ?: "-");
		printf("%d document%s\n", n, n == 1 ? "" : "s");
	}
	rc = print_ids(kt_store_catalog(s), ids, n, json);
	json_decref(rec);
	free(ids);
	kt_store_free(&s);
	return rc;
}
