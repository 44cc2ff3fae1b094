/* cmd_batches.c - `kartoteka batches`: batches with their counts and failures;
 * with --rescan the pages to scan again (kt_catalog_rescan_json). */
#include "cli.h"
#include "kt_catalog.h"

#include <string.h>

const kt_command kt_command_batches = {
	"batches", "list the batches and their failures",
	"usage: kartoteka [--store DIR] batches [--json]\n"
	"       kartoteka [--store DIR] batches --rescan [--json] [BATCH]\n"
	"\n"
	"List every batch, newest first: start, end, counts, and each failed file\n"
	"with its reason.\n"
	"  --json     one JSON object per batch (per page with --rescan)\n"
	"  --rescan   list the pages to scan again, of BATCH (its number or name;\n"
	"             default every batch), each with its reasons: low recognition\n"
	"             confidence, too dark, too light or too little contrast, text\n"
	"             cut at the page's edge (docs/ocr.md, Pages to rescan)\n",
	kt_cmd_batches,
};

/* The pages to rescan of batch (NULL: every batch), printed. */
static int rescan(kt_store *s, const char *batch, int json)
{
	kt_catalog *c = kt_store_catalog(s);
	long long id = 0;
	json_t *arr, *p, *r;
	size_t i, j;

	if (batch != NULL && kt_catalog_batch_find(c, batch, &id) != KT_OK) {
		fprintf(stderr, "kartoteka batches: %s\n", kt_catalog_errmsg(c));
		return kt_catalog_error(c)->code == KT_FATAL ? KT_EXIT_FATAL : KT_EXIT_SOME_FAILED;
	}
	if ((arr = kt_catalog_rescan_json(c, id)) == NULL) {
		fprintf(stderr, "kartoteka batches: %s\n", kt_catalog_errmsg(c));
		return KT_EXIT_FATAL;
	}
	json_array_foreach(arr, i, p) {
		if (json) {
			kt_cli_print_json(p);
			continue;
		}
		printf("batch %lld %s  document %lld  page %lld  %s\n",
		       json_integer_value(json_object_get(p, "batch_id")),
		       json_string_value(json_object_get(p, "batch")) ?: "",
		       json_integer_value(json_object_get(p, "doc")),
		       json_integer_value(json_object_get(p, "page")),
		       json_string_value(json_object_get(p, "source")));
		json_array_foreach(json_object_get(p, "reasons"), j, r)
			printf("    %s\n", json_string_value(r));
	}
	if (!json)
		printf("%zu page%s to rescan\n", json_array_size(arr), json_array_size(arr) == 1 ? "" : "s");
	json_decref(arr);
	return KT_EXIT_OK;
}

int kt_cmd_batches(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "rescan", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, want_rescan = 0, c, rc;
	kt_store *s;
	json_t *arr, *b, *f;
	size_t i, j;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'J')
			json = 1;
		else if (c == 'R')
			want_rescan = 1;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc - (want_rescan ? 1 : 0))
		return kt_cli_usage("batches", "too many arguments");
	if ((s = kt_cli_open(cli, "batches", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (want_rescan) {
		rc = rescan(s, optind < argc ? argv[optind] : NULL, json);
		kt_store_free(&s);
		return rc;
	}
	arr = kt_catalog_batches_json(kt_store_catalog(s));
	if (arr == NULL) {
		fprintf(stderr, "kartoteka batches: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	json_array_foreach(arr, i, b) {
		if (json) {
			kt_cli_print_json(b);
			continue;
		}
		printf("batch %lld  %s  %s .. %s  %lld files: %lld done, %lld skipped, %lld failed\n",
		       json_integer_value(json_object_get(b, "id")),
		       json_string_value(json_object_get(b, "name")),
		       json_string_value(json_object_get(b, "started")),
		       json_string_value(json_object_get(b, "ended")) ?: "(running or stopped)",
		       json_integer_value(json_object_get(b, "files")),
		       json_integer_value(json_object_get(b, "done")),
		       json_integer_value(json_object_get(b, "skipped")),
		       json_integer_value(json_object_get(b, "failed")));
		json_array_foreach(json_object_get(b, "failures"), j, f)
			printf("    failed: %s\n", json_string_value(json_object_get(f, "reason")));
	}
	json_decref(arr);
	kt_store_free(&s);
	return KT_EXIT_OK;
}
