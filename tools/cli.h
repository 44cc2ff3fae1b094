/* cli.h - what the command files of the kartoteka command line share. */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "kt_pipeline.h"

/* Exit statuses of every command. */
enum { KT_EXIT_OK = 0, KT_EXIT_SOME_FAILED = 1, KT_EXIT_FATAL = 2 };

typedef struct kt_cli {
	const char *store_dir;   /* --store, $KARTOTEKA_STORE or ./kartoteka-store */
	const char *prog;
} kt_cli;

/* A command: its name, a one-line summary, its help text and its function. */
typedef struct kt_command {
	const char *name;
	const char *summary;
	const char *help;
	int (*run)(kt_cli *cli, int argc, char **argv);
} kt_command;

/* Commands, one file each. */
int kt_cmd_ingest(kt_cli *cli, int argc, char **argv);
int kt_cmd_search(kt_cli *cli, int argc, char **argv);
int kt_cmd_docs(kt_cli *cli, int argc, char **argv);
int kt_cmd_show(kt_cli *cli, int argc, char **argv);
int kt_cmd_case(kt_cli *cli, int argc, char **argv);
int kt_cmd_cases(kt_cli *cli, int argc, char **argv);
int kt_cmd_batches(kt_cli *cli, int argc, char **argv);
int kt_cmd_verify(kt_cli *cli, int argc, char **argv);
int kt_cmd_export(kt_cli *cli, int argc, char **argv);
int kt_cmd_rebuild(kt_cli *cli, int argc, char **argv);
/* tools/web/cmd_web.c: the web interface and its access database. */
int kt_cmd_serve(kt_cli *cli, int argc, char **argv);
int kt_cmd_user(kt_cli *cli, int argc, char **argv);
int kt_cmd_audit(kt_cli *cli, int argc, char **argv);

/* kt_cli_help_wanted: 1 when argv holds -h or --help; prints the command's
 * help to stdout then. */
int kt_cli_help_wanted(const char *name, int argc, char **argv);
/* kt_cli_usage: print "usage: ..." for a command to stderr; returns 2. */
int kt_cli_usage(const char *name, const char *why);

/* kt_cli_open: open the store or print why not; NULL on failure. */
kt_store *kt_cli_open(kt_cli *cli, int mode);

/* kt_cli_print_json: one JSON value on one line of stdout (UTF-8 kept). */
void kt_cli_print_json(json_t *v);

/* kt_cli_doc_summary: one human line for a document object. */
void kt_cli_doc_summary(FILE *f, json_t *doc);

#endif
