/*
 * kartoteka.c - the command line: global options, the command table, help.
 * Each command lives in its own cmd_*.c file.
 */
#include "cli.h"
#include "kt_fault.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const kt_command commands[] = {
	{ "ingest", "ingest scans (files and folders) into the store",
	  "usage: kartoteka [--store DIR] ingest [--jobs N] [--batch NAME] [--retry-failed] PATH...\n"
	  "\n"
	  "Ingest TIFF (Group 4, LZW, multi-page), PNG and JPEG scans, recognised by\n"
	  "content. Folders are walked recursively in name order; hidden entries are\n"
	  "passed over. Each new file is cleaned up (orientation, deskew, blank pages),\n"
	  "recognised (Latvian, Lithuanian, Russian, English), its metadata extracted,\n"
	  "archived as a package, catalogued, linked to cases and indexed.\n"
	  "\n"
	  "A file is known by the SHA-256 of its bytes: one already done is skipped and\n"
	  "said so; one that failed before is skipped unless --retry-failed is given.\n"
	  "A failed file is recorded with its reason and the batch goes on.\n"
	  "\n"
	  "  --jobs N, -j N    OCR workers, each with its own engine (default: one per core)\n"
	  "  --batch NAME      name of the batch (default: folder name and date)\n"
	  "  --retry-failed    try files that failed in an earlier batch again\n"
	  "\n"
	  "A progress bar is drawn on a terminal, plain lines otherwise.\n"
	  "Exit status: 0 every file done or already done, 1 some failed, 2 fatal error.\n",
	  kt_cmd_ingest },
	{ "search", "full-text search, one hit per page",
	  "usage: kartoteka [--store DIR] search [--json] [--limit N] [--offset N] QUERY...\n"
	  "\n"
	  "Search the page texts and fields. Several words must all occur (AND);\n"
	  "\"quoted phrases\", OR, NOT and parentheses work as in Xapian's query parser.\n"
	  "Fields: case:NUMBER pc:PERSONAL-CODE type:decision lang:lav batch:NAME\n"
	  "name:WORD date:YYYY-MM-DD..YYYY-MM-DD. Diacritics may be left out.\n"
	  "\n"
	  "  --json       one JSON object per hit: the document plus page, score, snippet\n"
	  "  --limit N    hits to show (default 20)\n"
	  "  --offset N   hits to skip first (default 0)\n",
	  kt_cmd_search },
	{ "docs", "list the documents",
	  "usage: kartoteka [--store DIR] docs [--json]\n"
	  "\n"
	  "List every document of the store, done and failed, in id order.\n"
	  "  --json   one JSON document object per line\n",
	  kt_cmd_docs },
	{ "show", "show one document",
	  "usage: kartoteka [--store DIR] show [--json] DOC\n"
	  "\n"
	  "Show a document: its fields, its case links and the text of every page.\n"
	  "DOC is the document's id or a unique prefix of its SHA-256.\n"
	  "  --json   the document object on one line\n",
	  kt_cmd_show },
	{ "case", "the documents linked to one case, in order",
	  "usage: kartoteka [--store DIR] case [--json] CASE-NUMBER\n"
	  "\n"
	  "Show a case record and its documents in order (first date in each document,\n"
	  "then ingest order).\n"
	  "  --json   one JSON document object per line\n",
	  kt_cmd_case },
	{ "cases", "import case records",
	  "usage: kartoteka [--store DIR] cases import FILE.csv\n"
	  "\n"
	  "Import case records exported from the migration information system: a CSV\n"
	  "file (UTF-8, header row) with the columns case_number, personal_code,\n"
	  "surname, given_names, birth_date, nationality, case_type, status. Extra\n"
	  "columns are kept. Known case numbers are updated, new ones added; malformed\n"
	  "rows are rejected with their line number. Documents are linked again.\n",
	  kt_cmd_cases },
	{ "batches", "list the batches and their failures",
	  "usage: kartoteka [--store DIR] batches [--json]\n"
	  "\n"
	  "List every batch, newest first: start, end, counts, and each failed file\n"
	  "with its reason.\n"
	  "  --json   one JSON object per batch\n",
	  kt_cmd_batches },
	{ "verify", "re-hash the archive and report any mismatch",
	  "usage: kartoteka [--store DIR] verify [--since DATE] [--sample N] [--no-record]\n"
	  "\n"
	  "Re-read every archive package (each package file in the archive and each\n"
	  "package the catalog names), re-hash every file against both manifests,\n"
	  "check Payload-Oxum and the tag manifests, and report each problem (missing\n"
	  "file, extra file, digest mismatch, unreadable tar) as\n"
	  "  FAILED <package>: <file>: <problem>\n"
	  "Each package checked gets a PREMIS fixity check event and its result in the\n"
	  "catalog (table fixity_checks).\n"
	  "\n"
	  "  --since DATE   only packages not checked since DATE (YYYY-MM-DD or\n"
	  "                 YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
	  "  --sample N     only N packages picked at random (after --since)\n"
	  "  --no-record    do not write the catalog (e.g. a read-only store)\n"
	  "\n"
	  "Exit status: 0 all intact, 1 problems found, 2 fatal error.\n",
	  kt_cmd_verify },
	{ "export", "restore a document (or its whole package) from the archive",
	  "usage: kartoteka [--store DIR] export [--bag] DOC DIR\n"
	  "\n"
	  "Restore a document from its archive package into the folder DIR (created\n"
	  "if missing): the original, bit for bit, under its original file name made\n"
	  "safe, and the access copies (the plain text as NAME.txt, a searchable PDF\n"
	  "when the package holds one). Every file is checked against the package's\n"
	  "manifest, the original also against the document's SHA-256. Existing files\n"
	  "are never overwritten.\n"
	  "DOC is the document's id or a unique prefix of its SHA-256.\n"
	  "\n"
	  "  --bag   extract the whole package as the BagIt bag DIR/<package name>/\n"
	  "\n"
	  "Exit status: 0 restored, 1 no such document or package, damaged package or\n"
	  "a file in the way, 2 fatal error.\n",
	  kt_cmd_export },
	{ "rebuild", "make the catalog and the index again from the archive",
	  "usage: kartoteka [--store DIR] rebuild [--force]\n"
	  "\n"
	  "Make a new catalog and a new full-text index from the archive packages\n"
	  "alone: for each document its newest package version gives its id, SHA-256,\n"
	  "source name, batch, pages, text and extracted fields. Run it with no other\n"
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
	  kt_cmd_rebuild },
	{ "serve", "the web interface for archivists, case officers and operators",
	  "usage: kartoteka [--store DIR] serve [--listen HOST:PORT] [--secure-cookies]\n"
	  "                                     [--behind-proxy]\n"
	  "\n"
	  "Serve the store over HTTP: login, search, documents with their page images,\n"
	  "cases, batches, the audit log, and a JSON API under /api/. Access is by\n"
	  "role (users: 'kartoteka user'); every read is written to the audit log.\n"
	  "Prints 'listening on http://HOST:PORT/' and serves until SIGINT or SIGTERM.\n"
	  "\n"
	  "  --listen HOST:PORT  IPv4 address and port (default 127.0.0.1:8080; port 0\n"
	  "                      picks a free one). Keep it on loopback and put a TLS\n"
	  "                      reverse proxy in front (docs/web.md)\n"
	  "  --secure-cookies    mark cookies Secure (the proxy speaks HTTPS)\n"
	  "  --behind-proxy      take the client address for the audit log from the\n"
	  "                      proxy's X-Real-IP header (only from a loopback peer)\n",
	  kt_cmd_serve },
	{ "user", "manage the users of the web interface",
	  "usage: kartoteka [--store DIR] user add NAME --role ROLE\n"
	  "       kartoteka [--store DIR] user passwd NAME\n"
	  "       kartoteka [--store DIR] user disable NAME\n"
	  "       kartoteka [--store DIR] user assign NAME CASE-NUMBER\n"
	  "       kartoteka [--store DIR] user list [--json]\n"
	  "\n"
	  "Users live in STORE/access.sqlite, apart from the catalog, so they survive\n"
	  "a rebuild. Roles: operator (batches, no document text), archivist (search\n"
	  "and read everything), officer (read the cases assigned to them), admin\n"
	  "(users and the audit log). add and passwd read the password (at least 8\n"
	  "characters) as one line from standard input; it is stored as an Argon2id\n"
	  "hash. disable ends the user's sessions. assign gives an officer a case; a\n"
	  "case record whose 'officer' column holds the user's name does the same.\n"
	  "Exit status: 0 done, 1 refused (unknown user, name taken, bad role), 2 fatal.\n",
	  kt_cmd_user },
	{ "audit", "the audit log of every read through the web interface",
	  "usage: kartoteka [--store DIR] audit [--user NAME] [--since DATE] [--limit N] [--json]\n"
	  "\n"
	  "Print the audit log, oldest first: time (UTC), user, role, action, from\n"
	  "where, object. The log is append-only.\n"
	  "  --user NAME   only this user's rows\n"
	  "  --since DATE  only rows at or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)\n"
	  "  --limit N     only the last N rows\n"
	  "  --json        one JSON object per row\n",
	  kt_cmd_audit },
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
		"  --store DIR   the store folder (default: $KARTOTEKA_STORE, else ./kartoteka-store)\n"
		"  --help        this help; 'kartoteka COMMAND --help' for a command's\n"
		"  --version     the version\n"
		"\n"
		"commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
}

int kt_cli_help_wanted(const char *name, int argc, char **argv)
{
	size_t i;
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--") == 0)
			break;
		if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			for (i = 0; i < N_COMMANDS; i++)
				if (strcmp(commands[i].name, name) == 0)
					fputs(commands[i].help, stdout);
			return 1;
		}
	}
	return 0;
}

int kt_cli_usage(const char *name, const char *why)
{
	size_t i;

	if (why != NULL)
		fprintf(stderr, "kartoteka %s: %s\n", name, why);
	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0) {
			const char *nl = strchr(commands[i].help, '\n');

			fprintf(stderr, "%.*s\n", (int)(nl - commands[i].help), commands[i].help);
		}
	return KT_EXIT_FATAL;
}

int main(int argc, char **argv)
{
	kt_cli cli = { .prog = argv[0] };
	int i = 1;
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
	if (kt_fault_install_from_env() != 0) {
		fprintf(stderr, "kartoteka: KT_FAULT must be SITE:N\n");
		return 2;
	}
	setMsgSeverity(L_SEVERITY_NONE);
	cli.store_dir = getenv("KARTOTEKA_STORE");
	if (cli.store_dir == NULL || cli.store_dir[0] == '\0')
		cli.store_dir = "./kartoteka-store";
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
			cli.store_dir = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--store=", 8) == 0) {
			cli.store_dir = argv[i] + 8;
			i++;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			main_help(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("kartoteka %s\n", KT_VERSION);
			return 0;
		} else {
			fprintf(stderr, "kartoteka: unknown option '%s'\n", argv[i]);
			main_help(stderr);
			return KT_EXIT_FATAL;
		}
	}
	if (i >= argc) {
		main_help(stderr);
		return KT_EXIT_FATAL;
	}
	for (k = 0; k < N_COMMANDS; k++)
		if (strcmp(commands[k].name, argv[i]) == 0) {
			if (kt_cli_help_wanted(commands[k].name, argc - i, argv + i))
				return 0;
			return commands[k].run(&cli, argc - i, argv + i);
		}
	if (strcmp(argv[i], "help") == 0) {
		for (k = 0; i + 1 < argc && k < N_COMMANDS; k++)
			if (strcmp(commands[k].name, argv[i + 1]) == 0) {
				fputs(commands[k].help, stdout);
				return 0;
			}
		main_help(stdout);
		return 0;
	}
	fprintf(stderr, "kartoteka: unknown command '%s'\n", argv[i]);
	main_help(stderr);
	return KT_EXIT_FATAL;
}
