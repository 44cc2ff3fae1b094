/*
 * kartoteka.c - the command line: global options, the command table, help.
 * Each command lives in its own cmd_*.c file.
 */
#include "cli.h"
#include "kt_fault.h"

#include <getopt.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const kt_command *const commands[] = {
	&kt_command_init, &kt_command_ingest, &kt_command_search, &kt_command_docs, &kt_command_show,
	&kt_command_case_view, &kt_command_paper_file, &kt_command_person, &kt_command_cases, &kt_command_review, &kt_command_batches, &kt_command_verify,
	&kt_command_export, &kt_command_dossier, &kt_command_reprocess, &kt_command_edit, &kt_command_erase, &kt_command_hold, &kt_command_retention, &kt_command_rebuild, &kt_command_serve, &kt_command_user, &kt_command_audit, &kt_command_watch,
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void main_help(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: kartoteka [--store DIR] COMMAND [ARGS]\n"
		"\n"
		"kartoteka digitises a paper archive: scans become searchable text, linked to\n"
		"case records and kept in an archive that proves its own integrity.\n"
		"\n"
		"  --store DIR   the store folder (default: $KARTOTEKA_STORE, else the store of\n"
		"                the service configuration, else ./kartoteka-store)\n"
		"  --help        this help; 'kartoteka COMMAND --help' for a command's\n"
		"  --version     the version\n"
		"\n"
		"commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
}

void kt_cli_print_help(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			fputs(commands[i]->help, stdout);
}

int kt_cli_usage(const char *name, const char *why)
{
	size_t i;

	if (why != NULL)
		fprintf(stderr, "kartoteka %s: %s\n", name, why);
	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0) {
			const char *nl = strchr(commands[i]->help, '\n');

			fprintf(stderr, "%.*s\n", (int)(nl - commands[i]->help), commands[i]->help);
		}
	return KT_EXIT_FATAL;
}

int main(int argc, char **argv)
{
	static const struct option global_opts[] = {
		{ "store", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	kt_cli cli = { .prog = argv[0] };
	kt_service_conf service;
	kt_error err = { 0 };
	int i, c, rc;
	size_t k;

	/* One OpenMP thread per engine: workers, not threads, use the cores.
	 * Tesseract's OpenMP threads spin on futexes and cost four times the CPU
	 * of one thread on a 2-core machine. libgomp reads OMP_THREAD_LIMIT when
	 * it is loaded, before main: so set it and start again. A value the user
	 * set is kept. */
	if (getenv("OMP_THREAD_LIMIT") == NULL) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
		/* no /proc: go on with OpenMP's default */
	}
	/* Tests that run the program inject faults through the environment. */
	if (kt_fault_install_from_env() != KT_OK) {
		fprintf(stderr, "kartoteka: KT_FAULT must be SITE:N\n");
		return 2;
	}
	setMsgSeverity(L_SEVERITY_NONE);
	cli.store_dir = getenv("KARTOTEKA_STORE");
	/* Global options, up to the command's name ('+': stop at the first operand). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", global_opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			cli.store_dir = optarg;
			break;
		case 'h':
			main_help(stdout);
			return 0;
		case 'V':
			printf("kartoteka %s\n", KT_VERSION);
			return 0;
		case ':':
			fprintf(stderr, "kartoteka: option '%s' needs a value\n", argv[optind - 1]);
			main_help(stderr);
			return KT_EXIT_FATAL;
		default:
			fprintf(stderr, "kartoteka: unknown option '%s'\n", argv[optind - 1]);
			main_help(stderr);
			return KT_EXIT_FATAL;
		}
	}
	i = optind;
	if (i >= argc) {
		main_help(stderr);
		return KT_EXIT_FATAL;
	}
	for (k = 0; k < N_COMMANDS; k++)
		if (strcmp(commands[k]->name, argv[i]) == 0) {
			/* the service configuration (issue 23): the store when
			 * neither --store nor $KARTOTEKA_STORE names one */
			if (kt_service_conf_load(&service, &err) != KT_OK) {
				fprintf(stderr, "kartoteka: %s\n", err.msg);
				return KT_EXIT_FATAL;
			}
			cli.service = &service;
			if (cli.store_dir == NULL || cli.store_dir[0] == '\0')
				cli.store_dir = service.store ? service.store : "./kartoteka-store";
			if (kt_cli_become_owner(cli.store_dir) != 0) {
				kt_service_conf_release(&service);
				return KT_EXIT_FATAL;
			}
			rc = commands[k]->run(&cli, argc - i, argv + i);
			kt_service_conf_release(&service);
			return rc;
		}
	if (strcmp(argv[i], "help") == 0) {
		for (k = 0; i + 1 < argc && k < N_COMMANDS; k++)
			if (strcmp(commands[k]->name, argv[i + 1]) == 0) {
				fputs(commands[k]->help, stdout);
				return 0;
			}
		main_help(stdout);
		return 0;
	}
	fprintf(stderr, "kartoteka: unknown command '%s'\n", argv[i]);
	main_help(stderr);
	return KT_EXIT_FATAL;
}
