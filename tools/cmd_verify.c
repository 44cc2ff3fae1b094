/* cmd_verify.c - `kartoteka verify`: re-hash every archive package. */
#include "cli.h"
#include "kt_archive.h"
#include "kt_catalog.h"

#include <stdlib.h>

typedef struct tally {
	long problems;
} tally;

static void on_problem(void *ctx, const char *package, const char *file, const char *problem)
{
	tally *t = ctx;

	t->problems++;
	printf("FAILED %s: %s: %s\n", package, file && file[0] ? file : "(package)", problem);
}

int kt_cmd_verify(kt_cli *cli, int argc, char **argv)
{
	kt_store *s;
	long long *ids = NULL;
	int n = 0, i, bad = 0, rc = KT_EXIT_OK;
	tally t = { 0 };

	(void)argv;
	if (argc != 1)
		return kt_cli_usage("verify", "unknown argument");
	if ((s = kt_cli_open(cli, KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_catalog_doc_ids(kt_store_catalog(s), "packaged", &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka verify: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	for (i = 0; i < n; i++) {
		char *pkg = NULL;
		int np = 0, r;

		if (kt_catalog_doc_package(kt_store_catalog(s), ids[i], &pkg) != KT_OK) {
			printf("FAILED document %lld: %s\n", ids[i], kt_catalog_errmsg(kt_store_catalog(s)));
			bad++;
			continue;
		}
		r = kt_archive_verify(kt_store_archive(s), pkg, on_problem, &t, &np);
		if (r == KT_FATAL) {
			fprintf(stderr, "kartoteka verify: %s\n", kt_archive_errmsg(kt_store_archive(s)));
			rc = KT_EXIT_FATAL;
			free(pkg);
			break;
		}
		if (r != KT_OK || np > 0)
			bad++;
		free(pkg);
	}
	if (rc == KT_EXIT_OK) {
		if (bad == 0)
			printf("verified %d package%s: all intact\n", n, n == 1 ? "" : "s");
		else
			printf("verified %d package%s: %d damaged, %ld problem%s\n", n, n == 1 ? "" : "s",
			       bad, t.problems, t.problems == 1 ? "" : "s");
		rc = bad ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
	}
	free(ids);
	kt_store_free(&s);
	return rc;
}
