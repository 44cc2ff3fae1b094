/* cmd_erase.c - `kartoteka erase`: four-eyes erasure requests (issue 21,
 * docs/lifecycle.md, "Requests and the four-eyes rule"). A request is
 * recorded in the access database (kt_access.h, "erase requests"); an admin
 * who did not ask carries it out with kt_erase. Who asks and who decides
 * prove it with their password on standard input. The rules themselves
 * (the four-eyes rule, holds, states, audit rows) are kt_web.h's
 * kt_web_erase_request and kt_web_erase_decide, which the web's /erase
 * pages call too; this file reads the command line and prints. */
#include "cli.h"
#include "lifecycle_private.h"
#include "kt_access.h"
#include "kt_catalog.h"
#include "kt_web.h"

#include <string.h>

const kt_command kt_command_erase = {
	"erase", "erase documents or a case for good, on two people's word",
	"usage: kartoteka [--store DIR] erase request DOC|CASE --reason TEXT --user NAME\n"
	"       kartoteka [--store DIR] erase request --due --reason TEXT --user NAME\n"
	"       kartoteka [--store DIR] erase approve ID --user NAME\n"
	"       kartoteka [--store DIR] erase refuse ID --user NAME\n"
	"       kartoteka [--store DIR] erase list [--json]\n"
	"\n"
	"Erasure removes a document from the archive, the catalog and the index for\n"
	"good (docs/lifecycle.md); it takes two people. An archivist or an admin\n"
	"requests it, another admin approves it, and only then is it carried out.\n"
	"Nobody can approve their own request. What a legal hold names (kartoteka\n"
	"hold) cannot be erased: a request for it is refused, and one approved\n"
	"after a hold was placed fails with the hold named.\n"
	"\n"
	"  request      record a request to erase DOC (an id or a SHA-256 prefix) or\n"
	"               the case CASE: its record and the documents linked to it\n"
	"               alone; documents also linked to another case are listed and\n"
	"               left in place. Prints the request's id and what it would\n"
	"               erase. ('doc:ID' or 'case:NUMBER' say which when a case\n"
	"               number looks like a document id.)\n"
	"  approve      an admin other than the requester carries request ID out\n"
	"  refuse       an admin turns request ID down\n"
	"  list         every request with its state: requested, approved,\n"
	"               refused, done or failed\n"
	"  --due        (request) one request per document `kartoteka retention`\n"
	"               lists as due today; held ones are passed over\n"
	"  --reason TEXT  why (required for request)\n"
	"  --user NAME    who asks or decides, a user of 'kartoteka user'; the\n"
	"                 password is read as one line from standard input\n"
	"  --json         list: one JSON object per request and line\n"
	"\n"
	"Every request, decision and erased document is written to the audit log\n"
	"(kartoteka audit) with the user named, from \"cli\".\n"
	"Exit status: 0 done; 1 refused (wrong password, role, own request, state,\n"
	"no such document, case or request, a legal hold) or the erasure failed;\n"
	"2 usage or fatal.\n",
	kt_cmd_erase,
};

/* ------------------------------------------------------------- request */

/* One line per document of ids, each after the prefix. */
static void print_docs(kt_catalog *c, const char *prefix, json_t *ids)
{
	size_t i;
	json_t *v;

	json_array_foreach(ids, i, v) {
		kt_doc *d = NULL;

		fputs(prefix, stdout);
		if (kt_catalog_doc_get(c, json_integer_value(v), &d) == KT_OK)
			kt_cli_doc_summary(stdout, d);
		else
			printf("%5lld\n", (long long)json_integer_value(v));
		kt_doc_free(&d);
	}
}

/* What a request recorded (req, borrowed) erases and leaves in place. */
static void print_request(kt_catalog *c, json_t *req)
{
	const char *target = json_string_value(json_object_get(req, "target"));
	json_t *docs = json_object_get(req, "docs"), *kept = json_object_get(req, "kept");

	printf("erase request %lld recorded (", (long long)json_integer_value(json_object_get(req, "id")));
	kt_cli_print_safe(stdout, target);
	printf("), to be approved by another admin\n");
	printf("it would erase %zu document%s%s\n", json_array_size(docs),
	       json_array_size(docs) == 1 ? "" : "s",
	       strncmp(target, "case:", 5) == 0 ? " and the case record" : "");
	print_docs(c, "  erase ", docs);
	if (json_array_size(kept) > 0) {
		printf("left in place, linked to another case too: %zu document%s\n",
		       json_array_size(kept), json_array_size(kept) == 1 ? "" : "s");
		print_docs(c, "  keep  ", kept);
	}
}

/* `erase request DOC|CASE`: the rules are kt_web_erase_request's (kt_web.h),
 * which the web's POST /erase calls too. */
static int do_request(kt_cli *cli, const char *arg, const char *reason, const char *user)
{
	static const char *const roles[] = { "archivist", "admin", NULL };
	char role[16], why[KT_ERRMSG_MAX + 600];
	kt_web_actor who = { .user = user, .role = role, .remote = "cli" };
	json_t *req = NULL;
	kt_access *a;
	kt_store *s = NULL;
	int rc, refusal = KT_WEB_DONE;

	if ((a = kt_life_access(cli, "request")) == NULL)
		return KT_EXIT_FATAL;
	rc = kt_life_who(a, "request", user, roles, "erase-request", arg, NULL, role);
	if (rc == KT_OK && (s = kt_cli_open(cli, "erase", KT_STORE_READ)) == NULL)
		rc = KT_FATAL;
	else if (rc == KT_OK)
		rc = kt_web_erase_request(kt_store_catalog(s), a, arg, reason, &who, &req, why,
					  sizeof why, &refusal);
	if (rc == KT_OK) {
		print_request(kt_store_catalog(s), req);
	} else if (refusal == KT_WEB_HELD) {
		fputs("kartoteka erase request: ", stderr);
		kt_cli_print_safe(stderr, why);
		fputs(" (kartoteka hold remove)\n", stderr);
	} else if (refusal != KT_WEB_DONE) {
		kt_life_say("request", why, rc);
	}
	json_decref(req);
	kt_store_free(&s);
	kt_access_free(&a);
	return kt_life_exit(rc);
}

/* ------------------------------------------------------ approve, refuse */

/* What kt_web_erase_decide says: steps on stdout, problems on stderr. */
static void say_decide(void *ctx, int kind, const char *msg)
{
	if (kind == KT_WEB_NOTE_DONE) {
		kt_cli_print_safe(stdout, msg);
		fputc('\n', stdout);
	} else if (kind == KT_WEB_NOTE_STORE) {
		fputs("kartoteka: ", stderr);
		kt_cli_print_safe(stderr, msg);
		fputc('\n', stderr);
	} else {
		kt_life_say(ctx, msg, KT_FAILED);
	}
}

/* `erase approve|refuse ID`: the rules are kt_web_erase_decide's (kt_web.h),
 * which the web's POST /erase/ID/approve|refuse calls too. */
static int do_decide(kt_cli *cli, int approve, const char *arg, const char *user)
{
	static const char *const roles[] = { "admin", NULL };
	const char *sub = approve ? "approve" : "refuse";
	char role[16], object[64];
	kt_web_actor who = { .user = user, .role = role, .remote = "cli" };
	long long id = kt_life_id(arg);
	kt_access *a;
	int rc;

	if (id == 0)
		return kt_cli_usage("erase", "ID is the number of an erase request (erase list)");
	if ((a = kt_life_access(cli, sub)) == NULL)
		return KT_EXIT_FATAL;
	snprintf(object, sizeof object, "request:%lld", id);
	rc = kt_life_who(a, sub, user, roles, approve ? "erase-approve" : "erase-refuse", object,
			 NULL, role);
	if (rc == KT_OK)
		rc = kt_web_erase_decide(cli->store_dir, a, id, approve, &who, say_decide, (void *)sub,
					 NULL);
	kt_access_free(&a);
	return kt_life_exit(rc);
}

/* ---------------------------------------------------------------- list */

/* The requests, oldest first; NULL when they cannot be read (said). Reading
 * makes nothing: no access database means no requests. */
static json_t *read_requests(kt_cli *cli)
{
	int none;
	kt_access *a = kt_life_access_read(cli, "list", &none);
	json_t *rows;

	if (a == NULL)
		return none ? json_array() : NULL;
	if ((rows = kt_access_erase_list_json(a)) == NULL)
		kt_life_say("list", kt_access_errmsg(a), KT_FATAL);
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

static int do_list(kt_cli *cli, int json)
{
	json_t *rows = read_requests(cli), *r;
	size_t i;

	if (rows == NULL)
		return KT_EXIT_FATAL;
	if (!json && json_array_size(rows) > 0)
		printf("%5s %-9s %-24s %5s %5s %-16s %-16s %s\n", "id", "state", "target", "docs", "kept",
		       "requested by", "decided by", "reason");
	json_array_foreach(rows, i, r) {
		if (json) {
			kt_cli_print_json(r);
			continue;
		}
		printf("%5lld ", (long long)json_integer_value(json_object_get(r, "id")));
		cell(r, "state", 9);
		cell(r, "target", 24);
		printf("%5zu %5zu ", json_array_size(json_object_get(r, "docs")),
		       json_array_size(json_object_get(r, "kept")));
		cell(r, "requested_by", 16);
		cell(r, "decided_by", 16);
		kt_cli_print_safe(stdout, json_string_value(json_object_get(r, "reason")));
		fputc('\n', stdout);
		if (json_is_string(json_object_get(r, "result"))) {
			fputs("      ", stdout);
			kt_cli_print_safe(stdout, json_string_value(json_object_get(r, "result")));
			fputc('\n', stdout);
		}
	}
	if (!json)
		printf("%zu erase request%s\n", json_array_size(rows), json_array_size(rows) == 1 ? "" : "s");
	json_decref(rows);
	return KT_EXIT_OK;
}

/* ------------------------------------------------------------- command */

int kt_cmd_erase(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "user", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'J' },
		{ "due", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *reason = NULL, *user = NULL;
	int c, json = 0, nargs, due = 0;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'r')
			reason = optarg;
		else if (c == 'u')
			user = optarg;
		else if (c == 'J')
			json = 1;
		else if (c == 'D')
			due = 1;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	sub = optind < argc ? argv[optind] : "";
	nargs = optind < argc ? argc - optind - 1 : 0;
	if (json && strcmp(sub, "list") != 0)
		return kt_cli_usage("erase", "--json goes with 'erase list' only");
	if (reason != NULL && strcmp(sub, "request") != 0)
		return kt_cli_usage("erase", "--reason goes with 'erase request' only");
	if (!strcmp(sub, "list")) {
		if (nargs != 0 || user != NULL)
			return kt_cli_usage("erase", "erase list takes no operand and no --user");
		return do_list(cli, json);
	}
	if (strcmp(sub, "request") != 0 && strcmp(sub, "approve") != 0 && strcmp(sub, "refuse") != 0)
		return kt_cli_usage("erase", "expected: request, approve, refuse or list");
	if (due) {
		if (strcmp(sub, "request") != 0 || nargs != 0)
			return kt_cli_usage("erase", "--due goes with 'erase request' and no DOC or CASE");
		if (user == NULL || user[0] == '\0' || reason == NULL || reason[0] == '\0')
			return kt_cli_usage("erase", "erase request --due needs --reason TEXT and --user NAME");
		return kt_erase_due(cli, reason, user);
	}
	if (nargs != 1 || argv[optind + 1][0] == '\0')
		return kt_cli_usage("erase", !strcmp(sub, "request") ? "erase request needs one DOC or CASE"
								     : "give one request ID");
	if (user == NULL || user[0] == '\0')
		return kt_cli_usage("erase", "--user NAME is required: who asks or decides");
	if (!strcmp(sub, "request")) {
		if (reason == NULL || reason[0] == '\0')
			return kt_cli_usage("erase", "--reason TEXT is required: why it is to be erased");
		return do_request(cli, argv[optind + 1], reason, user);
	}
	return do_decide(cli, !strcmp(sub, "approve"), argv[optind + 1], user);
}
