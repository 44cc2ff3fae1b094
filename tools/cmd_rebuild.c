/*
 * cmd_rebuild.c - `kartoteka rebuild [--force]`: make the catalog and the
 * full-text index again from the archive alone. The work is kt_rebuild's
 * (pipeline/rebuild.c); this file parses the options, prints a line per
 * package that could not be restored and the summary, and gives the exit
 * status.
 */
#include "cli.h"

#include <stdio.h>

/* Per package: a line for each one not restored. */
static void on_package(void *ctx, const kt_rebuild_event *ev)
{
	int *fatal_told = ctx;

	if (ev->rc == KT_OK)
		return;
	printf("FAILED %s: %s\n", ev->package, ev->reason);
	if (ev->rc == KT_FATAL)
		*fatal_told = 1;
}

const kt_command kt_command_rebuild = {
	"rebuild", "make the catalog and the index again from the archive",
	"usage: kartoteka [--store DIR] rebuild [--force]\n"
	"\n"
	"Make a new catalog and a new full-text index from the archive packages\n"
	"alone: for each document its newest package version gives its id, SHA-256,\n"
	"source name, batch, pages, text and extracted fields, and every older\n"
	"version is recorded with when and why it was made. Run it with no other\n"
	"kartoteka command working on the store.\n"
	"\n"
	"Not in the archive, so not rebuilt: case records and links (run\n"
	"'kartoteka cases import FILE.csv' again), failed documents (they have no\n"
	"package), the files lists of batches, fixity check history, ingest times.\n"
	"\n"
	"  --force   move an existing catalog aside as catalog.sqlite.old first\n"
	"            (without it, an existing catalog is an error)\n"
	"\n"
	"Exit status: 0 every package restored, 1 some could not be, 2 fatal error.\n",
	kt_cmd_rebuild,
};

int kt_cmd_rebuild(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	kt_rebuild_opts ro = { 0 };
	kt_rebuild_report rep = { 0 };
	kt_error err = { 0 };
	int c, rc, fatal_told = 0;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'F')
			ro.force = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("rebuild", "too many arguments");
	ro.package = on_package;
	ro.ctx = &fatal_told;
	rc = kt_rebuild(cli->store_dir, &ro, &rep, &err);
	if (rc < KT_WARN) {
		/* a package the catalog could not take has been named already */
		if (!fatal_told)
			fprintf(stderr, "kartoteka rebuild: %s\n", err.msg);
		return KT_EXIT_FATAL;
	}
	printf("rebuilt %d document%s from %d package%s: %d restored, %d failed, %d indexed\n",
	       rep.documents, rep.documents == 1 ? "" : "s", rep.packages, rep.packages == 1 ? "" : "s",
	       rep.restored, rep.failed, rep.indexed);
	printf("case records are not in the archive: run 'kartoteka cases import FILE.csv' again\n");
	return rep.failed ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
}
