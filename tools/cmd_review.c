/* cmd_review.c - `kartoteka review`: the queue of links to decide and
 * documents linked to no case, and the decisions (docs/cases.md). */
#include "cli.h"
#include "kt_catalog.h"

#include <stdlib.h>
#include <string.h>

const kt_command kt_command_review = {
	"review", "links to decide: list the queue, accept, reject, link",
	"usage: kartoteka [--store DIR] review [--json]\n"
	"       kartoteka [--store DIR] review accept DOC CASE\n"
	"       kartoteka [--store DIR] review reject DOC CASE\n"
	"       kartoteka [--store DIR] review link DOC CASE\n"
	"       kartoteka [--store DIR] review none DOC\n"
	"       kartoteka [--store DIR] review duplicate|distinct DOC OTHER\n"
	"\n"
	"A document is linked to a case by the evidence in it (docs/cases.md): a known\n"
	"case number, a personal code of a case's person, an MRZ or a name with its\n"
	"birth date, or a case number one digit off a known one. A link below the\n"
	"confidence threshold (0.8) is a suggestion, and waits here with the\n"
	"documents linked to no case, and with the documents whose pages repeat an\n"
	"earlier document's (the same text in other bytes: a page scanned again).\n"
	"\n"
	"  (no operand)  list the queue: per line the document, its type and date, and\n"
	"                the suggested case with rule, confidence and evidence, 'no\n"
	"                case', or the earlier document it may repeat\n"
	"  accept        the suggestion is right: the document is linked\n"
	"  reject        the link or suggestion is wrong: it is taken away\n"
	"  link          link the document to a case by hand\n"
	"  none          the document belongs to no case: out of the queue (its open\n"
	"                suggestions rejected) until new evidence comes\n"
	"  duplicate     DOC and OTHER are the same paper scanned twice (both kept)\n"
	"  distinct      DOC and OTHER only look alike (e.g. two copies of a form)\n"
	"  --json        the queue as one JSON array (docs/cli.md, \"Review queue\")\n"
	"\n"
	"A decision records the operating system user and the time; a later decision\n"
	"on the same link replaces it, and no automatic run (ingest, reprocess,\n"
	"cases import, rebuild) ever undoes it.\n"
	"\n"
	"Exit status: 0; 1 the decision was refused (no such document, case,\n"
	"suggestion or flagged pair); 2 usage or fatal error.\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_review,
};

/* One queue entry, human form. */
static void print_entry(json_t *o)
{
	json_t *cn = json_object_get(o, "case_number");

	printf("%6lld  ", (long long)json_integer_value(json_object_get(o, "doc_id")));
	kt_cli_print_safe(stdout, json_string_value(json_object_get(o, "source")));
	printf("  %s %s\n", json_is_string(json_object_get(o, "doc_type"))
	       ? json_string_value(json_object_get(o, "doc_type")) : "-",
	       json_is_string(json_object_get(o, "date"))
	       ? json_string_value(json_object_get(o, "date")) : "-");
	if (json_is_integer(json_object_get(o, "of_doc"))) {
		printf("        duplicate of document %lld (%.2f): ",
		       (long long)json_integer_value(json_object_get(o, "of_doc")),
		       json_real_value(json_object_get(o, "similarity")));
		kt_cli_print_safe(stdout, json_string_value(json_object_get(o, "evidence")));
		fputc('\n', stdout);
		return;
	}
	if (!json_is_string(cn)) {
		fputs("        no case", stdout);
		if (json_is_string(json_object_get(o, "paper_file_case"))) {
			fputs("; its paper file's: ", stdout);
			kt_cli_print_safe(stdout, json_string_value(json_object_get(o, "paper_file_case")));
			fputs(" (", stdout);
			kt_cli_print_safe(stdout, json_string_value(json_object_get(o, "paper_file_evidence")));
			fputc(')', stdout);
		}
		fputc('\n', stdout);
		return;
	}
	fputs("        suggests ", stdout);
	kt_cli_print_safe(stdout, json_string_value(cn));
	printf(" (%s, %.2f): ", json_string_value(json_object_get(o, "rule")),
	       json_real_value(json_object_get(o, "confidence")));
	kt_cli_print_safe(stdout, json_string_value(json_object_get(o, "evidence")));
	fputc('\n', stdout);
}

static int list(kt_cli *cli, int json)
{
	kt_store *s = kt_cli_open(cli, "review", KT_STORE_READ);
	json_t *q;
	size_t i;

	if (s == NULL)
		return KT_EXIT_FATAL;
	if (kt_cli_audit(cli, "review", "queue") != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	q = kt_catalog_review_json(kt_store_catalog(s));
	if (q == NULL) {
		fprintf(stderr, "kartoteka review: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	if (json) {
		kt_cli_print_json(q);
	} else {
		for (i = 0; i < json_array_size(q); i++)
			print_entry(json_array_get(q, i));
		printf("%zu in the review queue\n", json_array_size(q));
	}
	json_decref(q);
	kt_store_free(&s);
	return KT_EXIT_OK;
}

/* A document id operand; 0 when it is none. */
static long long doc_id(const char *doc)
{
	char *end;
	long long id = strtoll(doc, &end, 10);

	return doc[0] == '\0' || *end != '\0' || id <= 0 ? 0 : id;
}

/* d: a kt_link_decision, or DUP_SAME / DUP_DISTINCT with cn the other id. */
enum { DUP_SAME = 100, DUP_DISTINCT };

static int decide(kt_cli *cli, int d, const char *doc, const char *cn)
{
	char user[256];
	long long id = doc_id(doc), other = d >= DUP_SAME ? doc_id(cn) : 0;
	kt_store *s;
	int rc;

	if (id == 0 || (d >= DUP_SAME && other == 0))
		return kt_cli_usage("review", "DOC (and OTHER) are document ids");
	if ((s = kt_cli_open(cli, "review", KT_STORE_WRITE)) == NULL)
		return KT_EXIT_FATAL;
	kt_cli_os_user(user, sizeof user);
	rc = d >= DUP_SAME ? kt_catalog_dup_decide(kt_store_catalog(s), id, other, d == DUP_SAME, user)
			   : kt_catalog_link_decide(kt_store_catalog(s), id, cn, (enum kt_link_decision)d,
						    user);
	if (rc != KT_OK) {
		fputs("kartoteka review: ", stderr);
		kt_cli_print_safe(stderr, kt_catalog_errmsg(kt_store_catalog(s)));
		fputc('\n', stderr);
	}
	kt_store_free(&s);
	return rc == KT_OK ? KT_EXIT_OK : rc == KT_FAILED ? KT_EXIT_SOME_FAILED : KT_EXIT_FATAL;
}

int kt_cmd_review(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct { const char *name; int d; int operands; } subs[] = {
		{ "accept", KT_LINK_ACCEPT, 2 }, { "reject", KT_LINK_REJECT, 2 },
		{ "link", KT_LINK_MANUAL, 2 }, { "none", KT_LINK_NONE, 1 },
		{ "duplicate", DUP_SAME, 2 }, { "distinct", DUP_DISTINCT, 2 },
	};
	size_t k;
	int c, json = 0;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'J')
			json = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind >= argc)
		return list(cli, json);
	for (k = 0; k < sizeof subs / sizeof subs[0]; k++) {
		if (strcmp(argv[optind], subs[k].name) != 0)
			continue;
		if (json)
			return kt_cli_usage("review", "--json goes with the list alone");
		if (argc - optind - 1 != subs[k].operands)
			return kt_cli_usage("review", subs[k].operands == 1 ? "expected: DOC"
						      : subs[k].d >= DUP_SAME ? "expected: DOC OTHER"
									      : "expected: DOC CASE");
		return decide(cli, subs[k].d, argv[optind + 1],
			      subs[k].operands == 2 ? argv[optind + 2] : NULL);
	}
	return kt_cli_usage("review", "expected: accept, reject, link, none, duplicate or distinct,"
				      " or no operand");
}
