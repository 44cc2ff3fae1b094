/* cmd_batches.c - `kartoteka batches`: batches with their counts and failures. */
#include "cli.h"
#include "kt_catalog.h"

#include <string.h>

const kt_command kt_command_batches = {
	"batches", "list the batches and their failures",
	"usage: kartoteka [--store DIR] batches [--json]\n"
	"\n"
	"List every batch, newest first: start, end, counts, and each failed file\n"
	"with its reason.\n"
	"  --json   one JSON object per batch\n",
	kt_cmd_batches,
};

int kt_cmd_batches(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, c;
	kt_store *s;
	json_t *arr, *b, *f;
	size_t i, j;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'J')
			json = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("batches", "too many arguments");
	if ((s = kt_cli_open(cli, "batches", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
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
