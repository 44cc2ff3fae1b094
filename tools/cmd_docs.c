/* cmd_docs.c - `kartoteka docs` and `show`: documents out of the catalog. */
#include "cli.h"
#include "kt_catalog.h"

#include <stdlib.h>
#include <string.h>

static void show_human(const kt_doc *doc)
{
	json_t *meta = kt_doc_meta_to_json(&doc->meta), *v;
	char *source = kt_doc_source_escape(doc);
	const char *key;
	size_t i;

	printf("document %lld  %s\n", doc->id, source ? source : "?");
	free(source);
	printf("  sha256   %s\n", doc->sha256 ? doc->sha256 : "(null)");
	printf("  status   %s\n", kt_doc_status_name(doc->status) ? kt_doc_status_name(doc->status)
								: "(null)");
	if (doc->error)
		printf("  error    %s\n", doc->error);
	if (doc->package)
		printf("  package  %s\n", doc->package);
	for (i = 0; doc->n_versions > 1 && i < doc->n_versions; i++) {
		const kt_doc_version *ver = &doc->versions[i];

		printf("  version  %d  %s  ", ver->version, ver->created ? ver->created : "?");
		kt_cli_print_safe(stdout, ver->reason ? ver->reason : "ingested");
		putchar('\n');
	}
	json_object_foreach(meta, key, v) {
		char *s;

		if (json_is_array(v) && json_array_size(v) == 0)
			continue;
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		printf("  %s: %s\n", key, s ? s : "?");
		free(s);
	}
	json_decref(meta);
	if (doc->n_links > 0) {
		json_t *cases = json_array();
		char *s;

		for (i = 0; i < doc->n_links; i++)
			json_array_append_new(cases, json_string(doc->links[i].case_number));
		s = json_dumps(cases, JSON_COMPACT);
		printf("  cases: %s\n", s ? s : "?");
		free(s);
		json_decref(cases);
	}
	for (i = 0; i < doc->n_pages; i++) {
		const kt_doc_page *p = &doc->pages[i];

		printf("\n--- page %d: rotation %d, skew %.2f, %s, lang %s, confidence %d\n", p->n,
		       p->rotation, p->skew, p->blank ? "blank" : "text", p->lang ? p->lang : "(null)",
		       p->confidence);
		fputs(p->text ? p->text : "", stdout);
	}
}

/* Print one document: its JSON line, or its summary line. */
static int print_doc(const kt_doc *doc, int json)
{
	char *line;

	if (!json) {
		kt_cli_doc_summary(stdout, doc);
		return KT_EXIT_OK;
	}
	line = kt_doc_dumps(doc, KT_DOC_JSON_LINE);
	if (line == NULL) {
		fprintf(stderr, "kartoteka: out of memory\n");
		return KT_EXIT_FATAL;
	}
	fputs(line, stdout);
	free(line);
	return KT_EXIT_OK;
}

/* The erased documents of *next on with an id below until (0: all): the
 * tombstone object as a JSON line, or "ID  erased  DATE  SHA-256". */
static void print_erased(json_t *erased, size_t *next, long long until, int json)
{
	for (; *next < json_array_size(erased); (*next)++) {
		json_t *e = json_array_get(erased, *next);
		long long id = (long long)json_integer_value(json_object_get(e, "id"));
		char *line;

		if (until > 0 && id >= until)
			return;
		if (!json) {
			printf("%6lld  erased  %s  %s\n", id, json_string_value(json_object_get(e, "erased")),
			       json_string_value(json_object_get(e, "sha256")));
		} else if ((line = json_dumps(e, JSON_COMPACT)) != NULL) {
			printf("%s\n", line);
			free(line);
		}
	}
}

/* The documents ids[0..n) and, in id order among them, the erased ones
 * (issue 21: {"id", "sha256", "status": "erased", "erased"}). */
static int print_ids(kt_catalog *c, const long long *ids, int n, int json)
{
	json_t *erased = kt_catalog_erased_json(c);
	size_t next = 0;
	int i, rc = KT_EXIT_OK;

	if (erased == NULL) {
		fprintf(stderr, "kartoteka: %s\n", kt_catalog_errmsg(c));
		return KT_EXIT_FATAL;
	}
	for (i = 0; i < n && rc == KT_EXIT_OK; i++) {
		kt_doc *doc = NULL;

		print_erased(erased, &next, ids[i], json);
		if (kt_catalog_doc_get(c, ids[i], &doc) != KT_OK) {
			fprintf(stderr, "kartoteka: %s\n", kt_catalog_errmsg(c));
			json_decref(erased);
			return KT_EXIT_FATAL;
		}
		rc = print_doc(doc, json);
		kt_doc_free(&doc);
	}
	if (rc == KT_EXIT_OK)
		print_erased(erased, &next, 0, json);
	json_decref(erased);
	return rc;
}

const kt_command kt_command_docs = {
	"docs", "list the documents",
	"usage: kartoteka [--store DIR] docs [--json]\n"
	"\n"
	"List every document of the store, done and failed, in id order; an erased\n"
	"one as what its tombstone says (id, SHA-256, status erased, when).\n"
	"  --json   one JSON document object per line\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_docs,
};

int kt_cmd_docs(kt_cli *cli, int argc, char **argv)
{
	int json, rc, n = 0;
	const char *arg;
	long long *ids = NULL;
	kt_store *s;

	if ((rc = kt_cli_json_arg("docs", argc, argv, 0, &json, &arg)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if ((s = kt_cli_open(cli, "docs", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_cli_audit(cli, "docs", "all") != 0) {
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	if (kt_catalog_doc_ids(kt_store_catalog(s), "all", &ids, &n) != KT_OK) {
		fprintf(stderr, "kartoteka docs: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		rc = KT_EXIT_FATAL;
	} else {
		rc = print_ids(kt_store_catalog(s), ids, n, json);
	}
	free(ids);
	kt_store_free(&s);
	return rc;
}

const kt_command kt_command_show = {
	"show", "show one document",
	"usage: kartoteka [--store DIR] show [--json] DOC\n"
	"\n"
	"Show a document: its fields, its case links and the text of every page.\n"
	"DOC is the document's id or a unique prefix of its SHA-256.\n"
	"  --json   the document object on one line\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_show,
};

int kt_cmd_show(kt_cli *cli, int argc, char **argv)
{
	int json, rc;
	const char *arg;
	long long id;
	char object[32];
	kt_store *s;
	kt_doc *doc = NULL;

	if ((rc = kt_cli_json_arg("show", argc, argv, 1, &json, &arg)) != 0)
		return rc < 0 ? KT_EXIT_OK : rc; /* -1: help was printed */
	if ((s = kt_cli_open(cli, "show", KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	if (kt_catalog_doc_resolve(kt_store_catalog(s), arg, &id) != KT_OK ||
	    kt_catalog_doc_get(kt_store_catalog(s), id, &doc) != KT_OK) {
		fprintf(stderr, "kartoteka show: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
		kt_doc_free(&doc);
		kt_store_free(&s);
		return KT_EXIT_SOME_FAILED;
	}
	snprintf(object, sizeof object, "doc:%lld", id);
	if (kt_cli_audit(cli, "show", object) != 0) {
		kt_doc_free(&doc);
		kt_store_free(&s);
		return KT_EXIT_FATAL;
	}
	if (json)
		rc = print_doc(doc, 1);
	else
		show_human(doc);
	kt_doc_free(&doc);
	kt_store_free(&s);
	return rc;
}
