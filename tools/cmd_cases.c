/* cmd_cases.c - `kartoteka cases import FILE.csv`. */
#include "cli.h"
#include "kt_catalog.h"

#include <string.h>

static void on_reject(void *ctx, long line, const char *reason)
{
	fprintf(stderr, "%s line %ld rejected: %s\n", (const char *)ctx, line, reason);
}

int kt_cmd_cases(kt_cli *cli, int argc, char **argv)
{
	long added, updated, rejected;
	kt_store *s;
	int rc;

	if (argc != 3 || strcmp(argv[1], "import") != 0)
		return kt_cli_usage("cases", argc < 2 ? "missing 'import'" : "expected: cases import FILE.csv");
	if ((s = kt_cli_open(cli, KT_STORE_WRITE)) == NULL)
		return KT_EXIT_FATAL;
	rc = kt_catalog_cases_import(kt_store_catalog(s), argv[2], &added, &updated, &rejected,
				     on_reject, argv[2]);
	if (rc != KT_OK) {
		fprintf(stderr, "kartoteka cases import: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	printf("%s: %ld case%s added, %ld updated, %ld rejected\n", argv[2], added,
	       added == 1 ? "" : "s", updated, rejected);
	kt_store_free(&s);
	return rejected > 0 ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
}
