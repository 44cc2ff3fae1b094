/* cmd_erase.c - `kartoteka erase`: four-eyes erasure requests (issue 21,
 * docs/lifecycle.md, "Requests and the four-eyes rule"). A request is
 * recorded in the access database (kt_access.h, "erase requests"); an admin
 * who did not ask carries it out with kt_erase. Who asks and who decides
 * prove it with their password on standard input. */
#include "cli.h"
#include "lifecycle_private.h"
#include "kt_access.h"
#include "kt_catalog.h"

#include <stdlib.h>
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

/* Exit status of a kt_* code. */
/* ------------------------------------------------------------- request */

/* Sort the documents ids[0..n) of case number: those linked to it alone
 * into docs, those linked to another case too into kept. KT_OK, or the
 * catalog's code with the message on c. */
static int split_case(kt_catalog *c, const char *number, const long long *ids, int n, json_t *docs,
		      json_t *kept)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		kt_doc *d = NULL;
		size_t k, other = 0;

		if ((rc = kt_catalog_doc_get(c, ids[i], &d)) != KT_OK)
			return rc;
		for (k = 0; k < d->n_links; k++)
			if (strcmp(d->links[k].case_number, number) != 0)
				other++;
		json_array_append_new(other > 0 ? kept : docs, json_integer(ids[i]));
		kt_doc_free(&d);
	}
	return KT_OK;
}


/* Before a case request is carried out: every document now linked to case
 * number alone must be one the request lists in docs (a document linked
 * since, or whose other case has gone, would be left with no case). KT_OK;
 * KT_FAILED with why[n] said; the catalog's code with why. */
static int case_unchanged(kt_catalog *c, const char *number, json_t *docs, char *why, size_t n)
{
	json_t *now = json_array(), *kept = json_array(), *v;
	long long *ids = NULL;
	int nids = 0, rc;
	size_t i;

	rc = kt_catalog_case_doc_ids(c, number, &ids, &nids);
	if (rc == KT_OK)
		rc = split_case(c, number, ids, nids, now, kept);
	free(ids);
	if (rc != KT_OK)
		snprintf(why, n, "%s", kt_catalog_errmsg(c));
	json_array_foreach(now, i, v) {
		if (rc != KT_OK || kt_life_has_id(docs, json_integer_value(v)))
			continue;
		snprintf(why, n, "the case has changed since the request: document %lld is linked to it"
			 " alone and not in the request; refuse this one and make a new request",
			 (long long)json_integer_value(v));
		rc = KT_FAILED;
	}
	json_decref(now);
	json_decref(kept);
	if (rc != KT_OK)
		kt_life_say("approve", why, rc);
	return rc;
}

/* Whether a legal hold (kt_access.h, cmd_hold.c) stops request target's
 * erasure: a hold on its case, on one of docs, or on a case one of docs is
 * linked to. 1 with the hold named in why[n], 0 when nothing is held, -1
 * with the error in why. */
static int held(kt_access *a, kt_catalog *c, const char *target, json_t *docs, char *why, size_t n)
{
	const char *number = strncmp(target, "case:", 5) == 0 ? target + 5 : NULL;
	int h = kt_access_doc_held(a, 0, &number, number != NULL, why, n);
	size_t i, k;
	json_t *v;

	json_array_foreach(docs, i, v) {
		kt_doc *d = NULL;
		const char **cases = NULL;
		int got;

		if (h != 0)
			break;
		/* a document no longer in the catalog (erased by a request that
		 * failed half-way) has no links; its own hold still counts */
		if ((got = kt_catalog_doc_get(c, json_integer_value(v), &d)) == KT_FATAL) {
			snprintf(why, n, "%s", kt_catalog_errmsg(c));
			return -1;
		}
		if (got == KT_OK && d->n_links > 0 && (cases = calloc(d->n_links, sizeof *cases)) == NULL) {
			kt_doc_free(&d);
			snprintf(why, n, "out of memory");
			return -1;
		}
		for (k = 0; cases != NULL && k < d->n_links; k++)
			cases[k] = d->links[k].case_number;
		h = kt_access_doc_held(a, json_integer_value(v), cases, cases ? d->n_links : 0, why, n);
		free(cases);
		kt_doc_free(&d);
	}
	if (h < 0)
		snprintf(why, n, "%s", kt_access_errmsg(a));
	return h;
}

/* What a request erases: for "doc:ID" that one document; for "case:NUMBER"
 * the case's documents linked to it alone (*docs), the others (*kept).
 * KT_OK; KT_FAILED (said) when the document or case does not exist; else
 * the catalog's code (said). */
static int what_to_erase(kt_catalog *c, const char *arg, char **target, json_t *docs, json_t *kept)
{
	const char *number;
	long long id, *ids = NULL;
	int n = 0, rc = kt_life_target(c, "request", arg, &id, &number);
	size_t len;

	if (rc != KT_OK)
		return rc;
	if (id > 0) {
		len = 32;
		if ((*target = malloc(len)) == NULL)
			return KT_FATAL;
		snprintf(*target, len, "doc:%lld", id);
		json_array_append_new(docs, json_integer(id));
		return KT_OK;
	}
	if ((rc = kt_catalog_case_doc_ids(c, number, &ids, &n)) != KT_OK ||
	    (rc = split_case(c, number, ids, n, docs, kept)) != KT_OK)
		kt_life_say("request", kt_catalog_errmsg(c), rc);
	free(ids);
	if (rc != KT_OK)
		return rc;
	len = strlen(number) + sizeof "case:";
	if ((*target = malloc(len)) == NULL)
		return KT_FATAL;
	snprintf(*target, len, "case:%s", number);
	return KT_OK;
}

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

static int do_request(kt_cli *cli, const char *arg, const char *reason, const char *user)
{
	static const char *const roles[] = { "archivist", "admin", NULL };
	char role[16], object[300], why[KT_ERRMSG_MAX + 100];
	char *target = NULL;
	json_t *docs = json_array(), *kept = json_array();
	kt_access *a;
	kt_store *s = NULL;
	long long id = 0;
	int rc, h;

	if ((a = kt_life_access(cli, "request")) == NULL) {
		json_decref(docs);
		json_decref(kept);
		return KT_EXIT_FATAL;
	}
	rc = kt_life_who(a, "request", user, roles, "erase-request", arg, NULL, role);
	if (rc == KT_OK && (s = kt_cli_open(cli, "erase", KT_STORE_READ)) == NULL)
		rc = KT_FATAL;
	if (rc == KT_OK)
		rc = what_to_erase(kt_store_catalog(s), arg, &target, docs, kept);
	if (rc == KT_OK && (h = held(a, kt_store_catalog(s), target, docs, why, sizeof why)) != 0) {
		long long hid = 0;

		if (h > 0 && sscanf(why, "hold %lld", &hid) != 1)
			hid = 0;
		snprintf(object, sizeof object, "erase-request %s held by hold:%lld", target, hid);
		rc = h < 0 ? KT_FATAL : kt_life_audit(a, "request", user, role, "denied", object);
		if (rc == KT_OK) {
			rc = KT_FAILED;
			fprintf(stderr, "kartoteka erase request: %s is under legal hold (", target);
			kt_cli_print_safe(stderr, why);
			fprintf(stderr, "): an admin must remove the hold first (kartoteka hold remove)\n");
		} else if (h < 0) {
			kt_life_say("request", why, rc);
		}
	}
	if (rc == KT_OK && (rc = kt_access_erase_add(a, target, docs, kept, reason, user, &id)) != KT_OK)
		kt_life_say("request", kt_access_errmsg(a), rc);
	if (rc == KT_OK) {
		snprintf(object, sizeof object, "request:%lld %s", id, target);
		if ((rc = kt_life_audit(a, "request", user, role, "erase-request", object)) != KT_OK)
			/* not audited: not to be acted on */
			kt_access_erase_set_state(a, id, "requested", "refused", NULL,
						  "the audit log could not be written");
	}
	if (rc == KT_OK) {
		printf("erase request %lld recorded (%s), to be approved by another admin\n", id, target);
		printf("it would erase %zu document%s%s\n", json_array_size(docs),
		       json_array_size(docs) == 1 ? "" : "s",
		       strncmp(target, "case:", 5) == 0 ? " and the case record" : "");
		print_docs(kt_store_catalog(s), "  erase ", docs);
		if (json_array_size(kept) > 0) {
			printf("left in place, linked to another case too: %zu document%s\n",
			       json_array_size(kept), json_array_size(kept) == 1 ? "" : "s");
			print_docs(kt_store_catalog(s), "  keep  ", kept);
		}
	}
	free(target);
	json_decref(docs);
	json_decref(kept);
	kt_store_free(&s);
	kt_access_free(&a);
	return kt_life_exit(rc);
}

/* ------------------------------------------------------ approve, refuse */

/* Request id as JSON into *req when it may be decided by user: in state
 * requested and, unless own is allowed, not the user's own. KT_OK;
 * KT_FAILED said (and an own request audited as denied); KT_FATAL said. */
static int decidable(kt_access *a, const char *sub, long long id, const char *user,
		     const char *role, int own, json_t **req)
{
	const char *state, *by;
	char object[64];
	int rc;

	if ((rc = kt_access_erase_get(a, id, req)) != KT_OK) {
		kt_life_say(sub, kt_access_errmsg(a), rc);
		return rc;
	}
	state = json_string_value(json_object_get(*req, "state"));
	by = json_string_value(json_object_get(*req, "requested_by"));
	if (strcmp(state, "requested") != 0) {
		fprintf(stderr, "kartoteka erase %s: erase request %lld is %s already: only a request"
			" in state requested can be decided\n", sub, id, state);
		rc = KT_FAILED;
	} else if (!own && strcmp(by, user) == 0) {
		snprintf(object, sizeof object, "request:%lld own request", id);
		if (kt_life_audit(a, sub, user, role, "denied", object) != KT_OK)
			rc = KT_FATAL;
		else
			rc = KT_FAILED;
		if (rc == KT_FAILED) {
			fprintf(stderr, "kartoteka erase %s: '", sub);
			kt_cli_print_safe(stderr, user);
			fprintf(stderr, "' made erase request %lld and cannot approve their own request:"
				" another admin must (four-eyes rule)\n", id);
		}
	}
	if (rc != KT_OK) {
		json_decref(*req);
		*req = NULL;
	}
	return rc;
}

/* Carry request id (req, approved by user) out: kt_erase each document, then
 * the case record of a case request. KT_OK with *result what was done; else
 * the worst code, with *result why (said on stderr). *result is malloc'd,
 * the caller frees it. */
static int carry_out(kt_cli *cli, kt_access *a, long long id, json_t *req, const char *user,
		     const char *role, char **result)
{
	const char *target = json_string_value(json_object_get(req, "target"));
	json_t *docs = json_object_get(req, "docs"), *v;
	kt_erase_info info = {
		.reason = json_string_value(json_object_get(req, "reason")),
		.requested_by = json_string_value(json_object_get(req, "requested_by")),
		.requested_at = json_string_value(json_object_get(req, "requested_at")),
		.approved_by = user,
		.request_id = id,
	};
	char object[300], why[KT_ERRMSG_MAX + 100] = "", hold[KT_ERRMSG_MAX + 40];
	kt_store *s = kt_cli_open(cli, "erase", KT_STORE_WRITE);
	size_t i, n = 0;
	int rc = s == NULL ? KT_FATAL : KT_OK, one, ready;

	if (s == NULL)
		snprintf(why, sizeof why, "the store could not be opened");
	else if (strncmp(target, "case:", 5) == 0)
		rc = case_unchanged(kt_store_catalog(s), target + 5, docs, why, sizeof why);
	/* a hold placed since the request: nothing is erased */
	if (rc == KT_OK && (one = held(a, kt_store_catalog(s), target, docs, hold, sizeof hold)) != 0) {
		rc = one < 0 ? KT_FATAL : KT_FAILED;
		snprintf(why, sizeof why, "%s: %s", one < 0 ? "cannot read the legal holds"
			 : "under legal hold, nothing erased", hold);
		kt_life_say("approve", why, rc);
	}
	ready = rc == KT_OK;
	json_array_foreach(docs, i, v) {
		kt_error err = { 0 };
		long long doc = json_integer_value(v);

		if (!ready || rc == KT_FATAL)
			break;
		snprintf(object, sizeof object, "request:%lld doc:%lld", id, doc);
		if (kt_life_audit(a, "approve", user, role, "erase", object) != KT_OK) {
			rc = KT_FATAL;
			snprintf(why, sizeof why, "the audit log could not be written");
			break;
		}
		if ((one = kt_erase(s, doc, &info, &err)) >= KT_WARN) {
			printf("erased document %lld\n", doc);
			n++;
			continue;
		}
		kt_life_say("approve", err.msg, one);
		if (why[0] == '\0')
			snprintf(why, sizeof why, "document %lld: %s", doc, err.msg);
		rc = one < rc ? one : rc;
	}
	if (rc == KT_OK && strncmp(target, "case:", 5) == 0) {
		kt_catalog *c = kt_store_catalog(s);

		snprintf(object, sizeof object, "request:%lld %s", id, target);
		if (kt_life_audit(a, "approve", user, role, "erase", object) != KT_OK) {
			rc = KT_FATAL;
			snprintf(why, sizeof why, "the audit log could not be written");
		} else if ((one = kt_catalog_case_erase(c, target + 5)) == KT_FATAL) {
			rc = one;
			kt_life_say("approve", kt_catalog_errmsg(c), one);
			snprintf(why, sizeof why, "%s", kt_catalog_errmsg(c));
		} else {
			/* KT_FAILED: the catalog knows the case no more, nothing to erase */
			printf("erased the case record of ");
			kt_cli_print_safe(stdout, target + 5);
			fputc('\n', stdout);
		}
	}
	kt_store_free(&s);
	*result = malloc(sizeof why + 100);
	if (*result != NULL && rc == KT_OK)
		snprintf(*result, sizeof why + 100, "erased %zu document%s%s", n, n == 1 ? "" : "s",
			 strncmp(target, "case:", 5) == 0 ? " and the case record" : "");
	else if (*result != NULL)
		snprintf(*result, sizeof why + 100, "erased %zu of %zu documents; %s", n,
			 json_array_size(docs), why);
	return rc;
}

static int do_decide(kt_cli *cli, int approve, const char *arg, const char *user)
{
	static const char *const roles[] = { "admin", NULL };
	const char *sub = approve ? "approve" : "refuse";
	char role[16], object[64], *result = NULL;
	long long id = kt_life_id(arg);
	json_t *req = NULL;
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
		rc = decidable(a, sub, id, user, role, !approve, &req);
	if (rc == KT_OK)
		rc = kt_life_audit(a, sub, user, role, approve ? "erase-approve" : "erase-refuse", object);
	if (rc == KT_OK && (rc = kt_access_erase_set_state(a, id, "requested",
							   approve ? "approved" : "refused", user,
							   NULL)) != KT_OK)
		kt_life_say(sub, kt_access_errmsg(a), rc);
	if (rc == KT_OK && !approve)
		printf("erase request %lld refused\n", id);
	if (rc == KT_OK && approve) {
		int done = carry_out(cli, a, id, req, user, role, &result);
		int set = kt_access_erase_set_state(a, id, "approved", done == KT_OK ? "done" : "failed",
						    NULL, result ? result : "out of memory");

		if (set != KT_OK)
			kt_life_say(sub, kt_access_errmsg(a), set);
		if (done == KT_OK && set == KT_OK)
			printf("erase request %lld done: %s\n", id, result);
		else if (set == KT_OK)
			printf("erase request %lld failed: %s\n", id, result ? result : "out of memory");
		rc = done < set ? done : set;
	}
	free(result);
	json_decref(req);
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
