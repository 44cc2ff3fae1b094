/* cmd_retention.c - `kartoteka retention`: what the retention schedule makes
 * due, and what a legal hold keeps (issue 21, docs/lifecycle.md). Nothing is
 * erased by it: `erase request --due` files the requests. */
#include "cli.h"
#include "lifecycle_private.h"
#include "kt_access.h"
#include "kt_catalog.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const kt_command kt_command_retention = {
	"retention", "list the documents the retention schedule makes due",
	"usage: kartoteka [--store DIR] retention [--json] [--date YYYY-MM-DD]\n"
	"\n"
	"The schedule is the store's `retention = CASE_TYPE PERIOD` lines\n"
	"(kartoteka.conf); a case's period runs from its closed_date (a column of the\n"
	"case records). A document is due when every case it is linked to is due;\n"
	"one under a legal hold (`kartoteka hold`) is listed as held, not due; one\n"
	"linked to no case is held for review and never due. Nothing is erased here:\n"
	"`kartoteka erase request --due` asks for the due ones.\n"
	"  --date D  as of that day (default: today, UTC)\n"
	"  --json    one object per document per line: {\"doc_id\", \"state\": \"due\",\n"
	"            \"due\", \"rules\", \"cases\"}, {\"doc_id\", \"state\": \"held\", \"hold\",\n"
	"            ...} or {\"doc_id\", \"state\": \"review\", \"rule\"}\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_retention,
};

/* Mark the held entries of report (state "held", "hold": why) with the
 * store's access database, when it has one. 0, or -1 (said on stderr). */
static int mark_holds(kt_cli *cli, json_t *report)
{
	int none, rc = 0;
	kt_access *a = kt_life_access_read(cli, "", &none);
	json_t *e;
	size_t i;

	if (a == NULL)
		return none ? 0 : -1; /* no access database: no holds */
	json_array_foreach(report, i, e) {
		json_t *cases = json_object_get(e, "cases"), *c;
		const char *nums[64];
		size_t k, n = 0;
		char why[512];
		int held;

		json_array_foreach(cases, k, c)
			if (n < 64)
				nums[n++] = json_string_value(json_object_get(c, "case_number"));
		held = kt_access_doc_held(a, (long long)json_integer_value(json_object_get(e, "doc_id")),
					  nums, n, why, sizeof why);
		if (held < 0) {
			fprintf(stderr, "kartoteka retention: cannot read the holds\n");
			rc = -1;
			break;
		}
		if (held) {
			json_object_set_new(e, "state", json_string("held"));
			json_object_set_new(e, "hold", json_string(why));
		}
	}
	kt_access_free(&a);
	return rc;
}

static void print_entry(json_t *e)
{
	const char *state = json_string_value(json_object_get(e, "state"));
	json_t *r;
	size_t i;

	printf("%6lld  %-6s  ", (long long)json_integer_value(json_object_get(e, "doc_id")), state);
	if (strcmp(state, "review") == 0) {
		printf("%s\n", json_string_value(json_object_get(e, "rule")));
		return;
	}
	printf("due %s", json_string_value(json_object_get(e, "due")));
	if (json_is_string(json_object_get(e, "hold"))) {
		printf("; ");
		kt_cli_print_safe(stdout, json_string_value(json_object_get(e, "hold")));
	}
	putchar('\n');
	json_array_foreach(json_object_get(e, "rules"), i, r) {
		printf("        ");
		kt_cli_print_safe(stdout, json_string_value(r));
		putchar('\n');
	}
}

int kt_cmd_retention(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *date = NULL;
	int json = 0, c, due = 0, held = 0, review = 0;
	json_t *report = NULL, *e;
	kt_error err = { 0 };
	kt_store *s;
	size_t i;

	kt_life_as("retention");
	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'j')
			json = 1;
		else
			date = optarg;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("retention", "too many arguments");
	if ((s = kt_cli_open(cli, "retention", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_cli_audit(cli, "retention", date ? date : "today") != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	if (kt_retention(s, date, &report, &err) != KT_OK) {
		fprintf(stderr, "kartoteka retention: %s\n", err.msg);
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	kt_store_free(&s);
	if (mark_holds(cli, report) != 0) {
		json_decref(report);
		return KT_EXIT_FATAL;
	}
	json_array_foreach(report, i, e) {
		const char *state = json_string_value(json_object_get(e, "state"));

		due += strcmp(state, "due") == 0;
		held += strcmp(state, "held") == 0;
		review += strcmp(state, "review") == 0;
		if (json)
			kt_cli_print_json(e);
		else if (strcmp(state, "review") != 0)
			print_entry(e);
	}
	fprintf(json ? stderr : stdout, "%d document%s due, %d held, %d linked to no case (held "
		"for review, never erased automatically)\n", due, due == 1 ? "" : "s", held, review);
	json_decref(report);
	return KT_EXIT_OK;
}
