/* cli.h - what the command files of the kartoteka command line share. */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "kt_pipeline.h"
#include "kt_record.h"
#include "kt_strv.h"

/* Exit statuses of every command. */
enum { KT_EXIT_OK = 0, KT_EXIT_SOME_FAILED = 1, KT_EXIT_FATAL = 2 };

/* The service configuration (service_conf.c, issue 23): how kartoteka runs
 * on a server; every field NULL or 0 when not set. */
typedef struct kt_service_conf {
	char *path;                /* the file read; NULL when there was none */
	char *store;               /* store = */
	char *listen;              /* listen = HOST:PORT for serve */
	kt_strv watch;             /* watch = FOLDER, one line each */
	char *done_dir, *failed_dir; /* done =, failed = for watch */
	int quiet;                 /* quiet = seconds a file stays unchanged */
	int poll;                  /* poll = seconds between scans */
} kt_service_conf;

/* kt_service_conf_load: read $KARTOTEKA_CONFIG (empty: none), else
 * /etc/kartoteka/kartoteka.conf when it exists, into *c (release with
 * kt_service_conf_release). KT_OK (also when there is no file); KT_FAILED
 * with "FILE:LINE: why" in err; KT_FATAL when out of memory. */
int kt_service_conf_load(kt_service_conf *c, kt_error *err);
void kt_service_conf_release(kt_service_conf *c);

typedef struct kt_cli {
	const char *store_dir;   /* --store, $KARTOTEKA_STORE, the service
	                          * configuration's store, or ./kartoteka-store */
	const char *prog;
	const kt_service_conf *service; /* never NULL */
} kt_cli;

/* kt_cli_become_owner (cli_owner.c): run by root on a store folder (or,
 * when it does not exist yet, its parent folder) that another user owns,
 * become that user (its groups, group and user id), so that no file of
 * root's lands in the store. 0: nothing to do or done; -1: said on stderr
 * (the command must not run). */
int kt_cli_become_owner(const char *store_dir);

/* A command: its name, a one-line summary, its help text (the usage line
 * first) and its function, which gets argv[0] = the command's name. Each
 * cmd_*.c file defines its commands' kt_command next to their parser. */
typedef struct kt_command {
	const char *name;
	const char *summary;
	const char *help;
	int (*run)(kt_cli *cli, int argc, char **argv);
} kt_command;

/* The end of the help of every command that prints personal data. */
#define KT_CLI_AUDITED_HELP \
	"\n" \
	"Each read is recorded in the store's audit log (kartoteka audit) with the\n" \
	"operating system user; on a store you cannot write it is not, and the\n" \
	"command says so on standard error.\n"

/* The commands, in the order `kartoteka --help` lists them (kartoteka.c). */
extern const kt_command kt_command_init, kt_command_ingest, kt_command_search, kt_command_docs, kt_command_show,
	kt_command_cases, kt_command_batches, kt_command_verify,
	kt_command_export, kt_command_reprocess, kt_command_rebuild, kt_command_serve, kt_command_user, kt_command_audit,
	kt_command_review, kt_command_edit, kt_command_erase, kt_command_hold,
	kt_command_retention;
extern const kt_command kt_command_watch; /* cmd_watch.c (issue 23) */
/* cmd_case.c (the case view and person) and cmd_dossier.c (issue 9,
 * "Retrieval"). */
extern const kt_command kt_command_case_view, kt_command_person, kt_command_dossier,
	kt_command_paper_file;

/*
 * Option parsing, the same for every command (getopt_long underneath):
 * options and operands may come in any order, "--" ends the options,
 * "--opt=value" and "--opt value" are the same, -h and --help print the
 * command's help. Each command loops
 *
 *   while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
 *           switch (c) { ... }
 *   if (c != KT_CLI_END)
 *           return kt_cli_getopt_exit(c);
 *
 * and finds its operands in argv[optind .. argc).
 */
enum {
	KT_CLI_END = -1,   /* no more options */
	KT_CLI_HELP = -2,  /* help was printed: exit 0 */
	KT_CLI_BAD = -3    /* an unknown option or a missing value, said on stderr
	                      with the usage line: exit 2 */
};

/* kt_cli_getopt: the next option of argv (argv[0] is the command's name):
 * its `val` from opts (a getopt_long table ending in a zero row; a val that
 * is a letter is also its short option), or one of KT_CLI_END, KT_CLI_HELP,
 * KT_CLI_BAD. The first call of a command starts at argv[1]. */
int kt_cli_getopt(int argc, char **argv, const struct option *opts);
/* kt_cli_json_arg: parse "[--json] [ARG]" (ARG wanted when want_arg): the
 * argument (or NULL) into *arg, --json into *json. Returns 0 to go on, -1
 * when the help was printed, or the exit status of a usage error (an empty
 * ARG is missing). */
int kt_cli_json_arg(const char *name, int argc, char **argv, int want_arg, int *json,
		    const char **arg);
/* kt_cli_getopt_exit: the exit status for KT_CLI_HELP (0) or KT_CLI_BAD (2). */
int kt_cli_getopt_exit(int c);
/* kt_cli_number: parse v as a whole number from min to max into *out;
 * otherwise say "OPTION wants a number from MIN to MAX" with the usage line
 * and return -1. */
int kt_cli_number(const char *cmd, const char *option, const char *v, long min, long max,
		  long *out);

/* Commands, one file each. */
int kt_cmd_ingest(kt_cli *cli, int argc, char **argv);
int kt_cmd_search(kt_cli *cli, int argc, char **argv);
int kt_cmd_docs(kt_cli *cli, int argc, char **argv);
int kt_cmd_show(kt_cli *cli, int argc, char **argv);
int kt_cmd_cases(kt_cli *cli, int argc, char **argv);
int kt_cmd_batches(kt_cli *cli, int argc, char **argv);
int kt_cmd_verify(kt_cli *cli, int argc, char **argv);
int kt_cmd_export(kt_cli *cli, int argc, char **argv);
int kt_cmd_rebuild(kt_cli *cli, int argc, char **argv);
int kt_cmd_review(kt_cli *cli, int argc, char **argv);
int kt_cmd_paper_file(kt_cli *cli, int argc, char **argv);
/* cmd_erase.c: four-eyes erasure requests (issue 21). */
int kt_cmd_erase(kt_cli *cli, int argc, char **argv);
/* cmd_hold.c: legal holds, which stop erasure (issue 21). */
int kt_cmd_hold(kt_cli *cli, int argc, char **argv);
/* cmd_retention.c: what the retention schedule makes due (issue 21). */
int kt_cmd_retention(kt_cli *cli, int argc, char **argv);
/* cmd_web.c: the web interface and its access database. */
int kt_cmd_serve(kt_cli *cli, int argc, char **argv);
int kt_cmd_user(kt_cli *cli, int argc, char **argv);
int kt_cmd_audit(kt_cli *cli, int argc, char **argv);

/* kt_cli_print_help: print a command's help to stdout. */
void kt_cli_print_help(const char *name);
/* kt_cli_usage: print "usage: ..." for a command to stderr; returns 2. */
int kt_cli_usage(const char *name, const char *why);

/* kt_cli_date: 1 when d is a real date "YYYY-MM-DD" or UTC time
 * "YYYY-MM-DDTHH:MM:SSZ" (2001-13-45 is not), else 0. */
int kt_cli_date(const char *d);
/* kt_cli_print_safe: print a text that may hold anything (a submitted name, a
 * file name) so that it cannot break a line or drive the terminal: control
 * characters and bytes that are not UTF-8 as \xHH. */
void kt_cli_print_safe(FILE *f, const char *s);

/* kt_cli_have_store: 1 when --store names a store (kt_store_exists); else
 * say why not on stderr ("kartoteka CMD: 'DIR' holds no kartoteka store",
 * or no such folder) and return 0. Reading commands refuse such a folder and
 * create nothing in it (a mistyped --store must not become a store). */
int kt_cli_have_store(kt_cli *cli, const char *cmd);
/* kt_cli_open: open the store that --store names (refused as
 * kt_cli_have_store says) or print why not; NULL on failure. */
kt_store *kt_cli_open(kt_cli *cli, const char *cmd, int mode);
/* kt_cli_make: open the store for writing, making a new one when --store
 * names none, and then say so on stderr ("kartoteka CMD: made a new store in
 * 'DIR'"); NULL on failure, said. Only ingest and cases import make stores. */
kt_store *kt_cli_make(kt_cli *cli, const char *cmd);
/* kt_cli_open_any: kt_store_open with the error printed; NULL on failure. */
kt_store *kt_cli_open_any(kt_cli *cli, int mode);

/* kt_cli_audit: record a read of personal data by command cmd ("show",
 * "docs", "export", "case", "search") of object ("doc:ID", "case:NUMBER",
 * the query, "all") in the store's audit log, STORE/access.sqlite (made when
 * missing, in a store only): user the operating system user (its name, else
 * "uid:N"), role "cli", remote "local". Call it after kt_cli_open and before
 * any personal data is printed. 0: recorded, or the store cannot be written
 * by this user (then said once on stderr: file permissions are the control
 * there) and the read goes on; -1: the store can be written but the row
 * could not be (said on stderr): refuse the read, exit KT_EXIT_FATAL. */
int kt_cli_audit(kt_cli *cli, const char *cmd, const char *object);

/* kt_cli_read_password: a password from standard input, one line (not
 * echoed on a terminal, where "password: " is asked on stderr), its line
 * end taken off: malloc'd, the caller wipes and frees it; NULL when standard
 * input has none. `user add` and `user passwd` read passwords so, and
 * `erase` the password of who asks. */
char *kt_cli_read_password(void);

/* kt_cli_os_user: the operating system user, the effective user's name,
 * else "uid:N", into out[n] (who decides, who reads). */
void kt_cli_os_user(char *out, size_t n);

/* kt_cli_print_json: one JSON value on one line of stdout (UTF-8 kept). */
void kt_cli_print_json(json_t *v);

/* kt_cli_doc_summary: one human line for a document (borrowed). */
void kt_cli_doc_summary(FILE *f, const kt_doc *doc);

/* cmd_case.c, cmd_dossier.c: the case view and the dossier (issue 9). */
int kt_cmd_case_view(kt_cli *cli, int argc, char **argv);
int kt_cmd_person(kt_cli *cli, int argc, char **argv);
int kt_cmd_dossier(kt_cli *cli, int argc, char **argv);
/* kt_cli_doc_date: the first date found in a document (its earliest,
 * YYYY-MM-DD), borrowed from doc; NULL when it has none. */
const char *kt_cli_doc_date(const kt_doc *doc);
/* kt_cli_doc_file_name: the base name of a document's source (its bytes as
 * they are), borrowed from doc. */
const char *kt_cli_doc_file_name(const kt_doc *doc);
/* kt_cli_print_case_record: the case record on one line of stdout, "case
 * NUMBER: GIVEN SURNAME, personal code .., born .., NATIONALITY, TYPE,
 * STATUS", each field printed safe; rec may be NULL (the number alone). */
void kt_cli_print_case_record(const char *number, json_t *rec);

/* cmd_export.c: kt_cli_write_new writes len bytes of data as the new file
 * path (never replacing one; created 0644, synced); 0, or -1 with the
 * reason said as "kartoteka CMD: ..." and nothing left behind. */
int kt_cli_write_new(const char *cmd, const char *path, const void *data, size_t len);

/*
 * kt_cli_export_doc: restore document id from package pkg (a relpath of the
 * archive) into the folder dir (made when missing): the original, checked
 * against the document's SHA-256, and its access copies, as
 * kt_package_export_plan names them; no file is overwritten. Each file
 * written is appended to the JSON array files as {"name", "role"
 * ("original" or its path in the package), "sha256", "bytes"}. Returns a
 * KT_EXIT_* status; on failure what was said names cmd, and what this call
 * wrote is removed.
 */
int kt_cli_export_doc(kt_store *s, const char *cmd, long long id, const char *pkg, const char *dir,
		      json_t *files);

/* cmd_person_export.c: `person --export DIR --reason TEXT` (issue 21): the
 * cases (case numbers, n of them) and the documents linked to no case
 * (unlinked, nu) of the person named by query, written as a subject access
 * package DIR (made new; an existing DIR is refused). Returns a KT_EXIT_*
 * status. */
int kt_cli_person_export(kt_store *s, const char *query, char **cases, int n,
			 const long long *unlinked, int nu, const char *dir, const char *reason);

#endif
