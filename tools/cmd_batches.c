/* cmd_batches.c - `kartoteka batches`: batches with their counts and failures. */
#include "cli.h"
#include "kt_catalog.h"

#include <string.h>

int kt_cmd_batches(kt_cli *cli, int argc, char **argv)
{
	int json = argc == 2 && strcmp(argv[1], "--json") == 0;
	kt_store *s;
	json_t *arr, *b, *f;
	size_t i, j;

	if (argc > 2 || (argc == 2 && !json))
		return kt_cli_usage("batches", "unknown argument");
	if ((s = kt_cli_open(cli, KT_STORE_READ)) == NULL)
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
