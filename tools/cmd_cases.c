/* cmd_cases.c - `kartoteka cases import FILE.csv`. */
#include "cli.h"
#include "kt_catalog.h"

#include <string.h>

static void on_reject(void *ctx, long line, const char *reason)
{
	fprintf(stderr, "%s line %ld rejected: %s\n", (const char *)ctx, line, reason);
}

const kt_command kt_command_cases = {
	"cases", "import case records",
	"usage: kartoteka [--store DIR] cases import FILE.csv\n"
	"\n"
	"Import case records exported from the migration information system: a CSV\n"
	"file (UTF-8, header row) with the columns case_number, personal_code,\n"
	"surname, given_names, birth_date, nationality, case_type, status. Extra\n"
	"columns are kept. Known case numbers are updated, new ones added; malformed\n"
	"rows are rejected with their line number. Documents are linked again.\n",
	kt_cmd_cases,
};

int kt_cmd_cases(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	long added, updated, rejected;
	kt_store *s;
	char *file;
	int rc, c;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind >= argc || strcmp(argv[optind], "import") != 0)
		return kt_cli_usage("cases", optind >= argc ? "missing 'import'" : "expected: cases import FILE.csv");
	if (argc - optind != 2)
		return kt_cli_usage("cases", "expected: cases import FILE.csv");
	file = argv[optind + 1];
	if ((s = kt_cli_make(cli, "cases import")) == NULL)
		return KT_EXIT_FATAL;
	rc = kt_catalog_cases_import(kt_store_catalog(s), file, &added, &updated, &rejected,
				     on_reject, file);
	if (rc != KT_OK) {
		fprintf(stderr, "kartoteka cases import: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	printf("%s: %ld case%s added, %ld updated, %ld rejected\n", file, added,
	       added == 1 ? "" : "s", updated, rejected);
	kt_store_free(&s);
	return rejected > 0 ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
}
