/*
 * cmd_reprocess.c - `kartoteka reprocess DOC --reason TEXT`: make a document
 * again from its original into a new package version beside the old ones
 * (kt_reprocess, pipeline/reprocess.c), after an engine upgrade, other
 * options or a correction of the rules.
 */
#include "cli.h"
#include "kt_catalog.h"

#include <stdio.h>
#include <stdlib.h>

static int kt_cmd_reprocess(kt_cli *cli, int argc, char **argv);

const kt_command kt_command_reprocess = {
	"reprocess", "make a document again into a new package version",
	"usage: kartoteka [--store DIR] reprocess [--jobs N] --reason TEXT DOC\n"
	"\n"
	"Read the document's original from its archive package (checked against\n"
	"the manifest and the catalog's SHA-256), run it through the stages of a\n"
	"batch again (clean-up, OCR, extraction) and write the result as a new\n"
	"package version beside the old ones (kt-...-v2.tar, -v3, ...): nothing is\n"
	"overwritten. The new package's record lists every version with when and\n"
	"why it was made; search, show and the web then give the new version, and\n"
	"'show --json' lists the versions; 'export --version N' gives an old one.\n"
	"DOC is an id or a unique SHA-256 prefix of at least 4 hex digits.\n"
	"\n"
	"  --reason TEXT     why (required): an engine upgrade, other options, ...\n"
	"  --jobs N, -j N    OCR workers (default: one per core)\n"
	"\n"
	"Exit status: 0 written, 1 not (unknown or failed document, a page that\n"
	"fails now, an original that no longer matches), 2 fatal.\n",
	kt_cmd_reprocess,
};

static int kt_cmd_reprocess(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	kt_reprocess_opts ro = { 0 };
	kt_error err = { 0 };
	kt_store *s;
	char object[48], *package = NULL;
	long long id;
	long jobs = 0;
	int c, rc, version = 0;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'r')
			ro.reason = optarg;
		else if (c == 'j' && kt_cli_number("reprocess", "--jobs", optarg, 1, 256, &jobs) != 0)
			return KT_EXIT_FATAL;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind + 1 != argc)
		return kt_cli_usage("reprocess", optind == argc ? "give a document" : "too many arguments");
	if (ro.reason == NULL)
		return kt_cli_usage("reprocess", "--reason is required: say why a new version is made");
	ro.jobs = (int)jobs;
	if ((s = kt_cli_open(cli, "reprocess", KT_STORE_WRITE)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_catalog_doc_resolve(kt_store_catalog(s), argv[optind], &id) != KT_OK) {
		fprintf(stderr, "kartoteka reprocess: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_SOME_FAILED;
	}
	/* the original and its text are read: audited as a read */
	snprintf(object, sizeof object, "doc:%lld", id);
	if (kt_cli_audit(cli, "reprocess", object) != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	rc = kt_reprocess(s, id, &ro, &version, &package, &err);
	if (rc >= KT_WARN) {
		printf("document %lld: version %d written as '%s'\n", id, version, package ? package : "?");
		if (rc == KT_WARN)
			fprintf(stderr, "kartoteka reprocess: warning: %s\n", err.msg);
	} else {
		fprintf(stderr, "kartoteka reprocess: %s\n", err.msg);
	}
	free(package);
	kt_store_free(&s);
	return rc >= KT_WARN ? KT_EXIT_OK : rc == KT_FATAL ? KT_EXIT_FATAL : KT_EXIT_SOME_FAILED;
}
