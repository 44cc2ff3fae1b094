/* cmd_hold.c - `kartoteka hold`: legal holds (issue 21, docs/lifecycle.md,
 * "Legal hold"). A hold on a document or a case, kept in the access
 * database (kt_access.h, "legal holds"), stops its erasure (cmd_erase.c
 * checks it) until an admin removes it. Who places or removes a hold
 * proves it with their password on standard input, as for `erase`. */
#include "cli.h"
#include "lifecycle_private.h"
#include "kt_access.h"
#include "kt_catalog.h"

#include <stdlib.h>
#include <string.h>

const kt_command kt_command_hold = {
	"hold", "place, remove and list legal holds, which stop erasure",
	"usage: kartoteka [--store DIR] hold add DOC|CASE --reason TEXT --user NAME\n"
	"       kartoteka [--store DIR] hold remove ID --reason TEXT --user NAME\n"
	"       kartoteka [--store DIR] hold list [--json] [--all]\n"
	"\n"
	"A legal hold stops the erasure of a document, or of a case and every\n"
	"document linked to it, while a court case or an appeal runs\n"
	"(docs/lifecycle.md). An erase request on what a hold names is refused,\n"
	"and a request approved later fails with the hold named.\n"
	"\n"
	"  add          an archivist or an admin places a hold on DOC (an id or a\n"
	"               SHA-256 prefix) or the case CASE, which the catalog must\n"
	"               know. ('doc:ID' or 'case:NUMBER' say which when a case\n"
	"               number looks like a document id.) Prints the hold's id.\n"
	"  remove       an admin removes hold ID; it stays listed with --all\n"
	"  list         the active holds; --all also the removed ones\n"
	"  --reason TEXT  why (required for add and remove)\n"
	"  --user NAME    who, a user of 'kartoteka user'; the password is read as\n"
	"                 one line from standard input\n"
	"  --json         list: one JSON object per hold and line\n"
	"\n"
	"Every hold placed or removed, and every refusal, is written to the audit\n"
	"log (kartoteka audit) with the user named, from \"cli\".\n"
	"Exit status: 0 done; 1 refused (wrong password, role, no such document,\n"
	"case or hold, a hold removed already); 2 usage or fatal.\n",
	kt_cmd_hold,
};

/* Say "kartoteka hold SUB: MSG" on stderr, safe to print; returns rc. */
static int say(const char *sub, const char *msg, int rc)
{
	kt_life_say(sub, msg, rc);
	return rc;
}

/* ----------------------------------------------------------------- add */

/* The target of a hold on arg: "doc:ID" or "case:NUMBER" into out[n] when
 * the catalog knows it. KT_OK; KT_FAILED said (no such document or case,
 * or both); the catalog's code said. */
static int hold_target(kt_catalog *c, const char *arg, char *out, size_t n)
{
	const char *number;
	long long id;
	int rc = kt_life_target(c, "add", arg, &id, &number);

	if (rc != KT_OK)
		return rc;
	if (id > 0)
		snprintf(out, n, "doc:%lld", id);
	else if (snprintf(out, n, "case:%s", number) >= (int)n)
		return say("add", "the case number is too long", KT_FAILED);
	return KT_OK;
}

static int do_add(kt_cli *cli, kt_access *a, const char *arg, const char *reason, const char *user)
{
	static const char *const roles[] = { "archivist", "admin", NULL };
	char role[16], target[300], object[340];
	kt_store *s = NULL;
	long long id = 0;
	int rc;

	rc = kt_life_who(a, "add", user, roles, "hold", arg, "place a legal hold", role);
	if (rc == KT_OK && (s = kt_cli_open(cli, "hold", KT_STORE_READ)) == NULL)
		rc = KT_FATAL;
	if (rc == KT_OK)
		rc = hold_target(kt_store_catalog(s), arg, target, sizeof target);
	kt_store_free(&s);
	if (rc == KT_OK && (rc = kt_access_hold_add(a, target, reason, user, &id)) != KT_OK)
		say("add", kt_access_errmsg(a), rc);
	if (rc != KT_OK)
		return rc;
	/* a hold whose row cannot be audited stays: it only stops erasure, and
	 * its own row names who placed it */
	snprintf(object, sizeof object, "hold:%lld %s", id, target);
	if ((rc = kt_life_audit(a, "add", user, role, "hold", object)) != KT_OK) {
		fprintf(stderr, "kartoteka hold add: hold %lld on ", id);
		kt_cli_print_safe(stderr, target);
		fprintf(stderr, " was placed, but the audit log could not be written\n");
		return rc;
	}
	printf("hold %lld placed on ", id);
	kt_cli_print_safe(stdout, target);
	printf(": it cannot be erased until an admin removes the hold\n");
	return KT_OK;
}

/* -------------------------------------------------------------- remove */

static int do_remove(kt_access *a, long long id, const char *reason, const char *user)
{
	static const char *const roles[] = { "admin", NULL };
	char role[16], object[340];
	const char *target;
	json_t *h = NULL;
	int rc;

	snprintf(object, sizeof object, "hold:%lld", id);
	if ((rc = kt_life_who(a, "remove", user, roles, "hold-remove", object, "remove a legal hold",
			      role)) != KT_OK)
		return rc;
	if ((rc = kt_access_hold_get(a, id, &h)) != KT_OK)
		return say("remove", kt_access_errmsg(a), rc);
	target = json_string_value(json_object_get(h, "target"));
	if (!json_is_null(json_object_get(h, "removed_at"))) {
		fprintf(stderr, "kartoteka hold remove: legal hold %lld was removed already (%s, by ", id,
			json_string_value(json_object_get(h, "removed_at")));
		kt_cli_print_safe(stderr, json_string_value(json_object_get(h, "removed_by")));
		fprintf(stderr, ")\n");
		json_decref(h);
		return KT_FAILED;
	}
	/* written before it is done: no removal without its row */
	snprintf(object, sizeof object, "hold:%lld %s", id, target);
	rc = kt_life_audit(a, "remove", user, role, "hold-remove", object);
	if (rc == KT_OK && (rc = kt_access_hold_remove(a, id, user, reason)) != KT_OK)
		say("remove", kt_access_errmsg(a), rc);
	if (rc == KT_OK) {
		printf("hold %lld on ", id);
		kt_cli_print_safe(stdout, target);
		printf(" removed\n");
	}
	json_decref(h);
	return rc;
}

/* ---------------------------------------------------------------- list */

/* The holds (all, or the active ones); NULL when they cannot be read
 * (said). Reading makes nothing: no access database means no holds. */
static json_t *read_holds(kt_cli *cli, int all)
{
	int none;
	kt_access *a = kt_life_access_read(cli, "list", &none);
	json_t *rows;

	if (a == NULL)
		return none ? json_array() : NULL;
	if ((rows = kt_access_holds_json(a, !all)) == NULL)
		say("list", kt_access_errmsg(a), KT_FATAL);
	kt_access_free(&a);
	return rows;
}

/* A text field of o, "-" when null, printed safe and padded to width. */
static void cell(json_t *o, const char *key, int width)
{
	const char *v = json_string_value(json_object_get(o, key));
	int pad = width - (int)strlen(v ? v : "-");

	kt_cli_print_safe(stdout, v ? v : "-");
	while (pad-- > 0)
		fputc(' ', stdout);
	fputc(' ', stdout);
}

static int do_list(kt_cli *cli, int json, int all)
{
	json_t *rows = read_holds(cli, all), *h;
	size_t i;

	if (rows == NULL)
		return KT_EXIT_FATAL;
	if (!json && json_array_size(rows) > 0)
		printf("%5s %-24s %-16s %-20s %s\n", "id", "target", "placed by", "placed at", "reason");
	json_array_foreach(rows, i, h) {
		if (json) {
			kt_cli_print_json(h);
			continue;
		}
		printf("%5lld ", (long long)json_integer_value(json_object_get(h, "id")));
		cell(h, "target", 24);
		cell(h, "placed_by", 16);
		cell(h, "placed_at", 20);
		kt_cli_print_safe(stdout, json_string_value(json_object_get(h, "reason")));
		fputc('\n', stdout);
		if (!json_is_null(json_object_get(h, "removed_at"))) {
			fputs("      removed ", stdout);
			cell(h, "removed_at", 0);
			fputs("by ", stdout);
			cell(h, "removed_by", 0);
			fputs("- ", stdout);
			kt_cli_print_safe(stdout, json_string_value(json_object_get(h, "removed_reason")));
			fputc('\n', stdout);
		}
	}
	if (!json)
		printf("%zu %slegal hold%s\n", json_array_size(rows), all ? "" : "active ",
		       json_array_size(rows) == 1 ? "" : "s");
	json_decref(rows);
	return KT_EXIT_OK;
}

/* ------------------------------------------------------------- command */

int kt_cmd_hold(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "user", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'J' },
		{ "all", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *reason = NULL, *user = NULL;
	int c, json = 0, all = 0, nargs, rc;
	kt_error err = { 0 };
	kt_access *a = NULL;

	kt_life_as("hold");
	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'r')
			reason = optarg;
		else if (c == 'u')
			user = optarg;
		else if (c == 'J')
			json = 1;
		else if (c == 'A')
			all = 1;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	sub = optind < argc ? argv[optind] : "";
	nargs = optind < argc ? argc - optind - 1 : 0;
	if ((json || all) && strcmp(sub, "list") != 0)
		return kt_cli_usage("hold", "--json and --all go with 'hold list' only");
	if (!strcmp(sub, "list")) {
		if (nargs != 0 || user != NULL || reason != NULL)
			return kt_cli_usage("hold", "hold list takes no operand, no --user and no --reason");
		return do_list(cli, json, all);
	}
	if (strcmp(sub, "add") != 0 && strcmp(sub, "remove") != 0)
		return kt_cli_usage("hold", "expected: add, remove or list");
	if (nargs != 1 || argv[optind + 1][0] == '\0')
		return kt_cli_usage("hold", !strcmp(sub, "add") ? "hold add needs one DOC or CASE"
							       : "give one hold ID");
	if (user == NULL || user[0] == '\0')
		return kt_cli_usage("hold", "--user NAME is required: who places or removes the hold");
	if (reason == NULL || reason[0] == '\0')
		return kt_cli_usage("hold", "--reason TEXT is required: why");
	if (!strcmp(sub, "remove") && kt_life_id(argv[optind + 1]) == 0)
		return kt_cli_usage("hold", "ID is the number of a legal hold (hold list)");
	if (!kt_cli_have_store(cli, "hold"))
		return KT_EXIT_FATAL;
	if (kt_access_open(cli->store_dir, &a, &err) != KT_OK)
		return kt_life_exit(say(sub, err.msg, KT_FATAL));
	if (!strcmp(sub, "add"))
		rc = do_add(cli, a, argv[optind + 1], reason, user);
	else
		rc = do_remove(a, kt_life_id(argv[optind + 1]), reason, user);
	kt_access_free(&a);
	return kt_life_exit(rc);
}
