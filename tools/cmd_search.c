/* cmd_search.c - `kartoteka search`: ranked page hits with snippets, facet
 * counts (type, year, language) over every matching page with --facets, and
 * the number of matching pages (exact or Xapian's estimate) with --total. */
#include "cli.h"
#include "kt_buf.h"
#include "kt_catalog.h"
#include "kt_index.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* {"type": {"decision": 3, ...}, "year": {...}, "lang": {...}}: new reference. */
static json_t *facets_json(const kt_index_hits *hits)
{
	json_t *all = json_object();
	int f, i;

	for (f = 0; f < hits->n_facets; f++) {
		const kt_index_facet *fc = &hits->facets[f];
		json_t *o = json_object();

		for (i = 0; i < fc->n; i++)
			json_object_set_new(o, fc->values[i].value, json_integer(fc->values[i].count));
		json_object_set_new(all, fc->name, o);
	}
	return all;
}

/* ["unknown field 'foo:' ...", ...]: new reference. */
static json_t *warnings_json(const kt_index_hits *hits)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < hits->n_warnings; i++)
		json_array_append_new(a, json_string(hits->warnings[i]));
	return a;
}

/* 1 when the number of matching pages is exact: Xapian's bounds agree. */
static int total_exact(const kt_index_hits *hits)
{
	return hits->total_lower == hits->total_upper;
}

/* Human form: "by type: decision 3, interview 2" per facet. */
static void print_facets(const kt_index_hits *hits)
{
	int f, i;

	printf("\n");
	for (f = 0; f < hits->n_facets; f++) {
		const kt_index_facet *fc = &hits->facets[f];

		printf("by %s:%*s", fc->name, (int)(5 - strlen(fc->name)), "");
		if (fc->n == 0)
			printf("-");
		for (i = 0; i < fc->n; i++)
			printf("%s%s %lld", i ? ", " : "", fc->values[i].value, fc->values[i].count);
		printf("\n");
	}
}

const kt_command kt_command_search = {
	"search", "full-text search, one hit per page",
	"usage: kartoteka [--store DIR] search [--json] [--facets] [--total] [--limit N] [--offset N] QUERY...\n"
	"\n"
	"Search the page texts and fields. Several words must all occur (AND);\n"
	"\"quoted phrases\", OR, NOT and parentheses work as in Xapian's query parser.\n"
	"Fields: case:NUMBER pc:PERSONAL-CODE type:decision lang:lav batch:NAME\n"
	"name:WORD date:YYYY-MM-DD..YYYY-MM-DD. Diacritics may be left out.\n"
	"\n"
	"A query word that starts with '-' goes after '--'.\n"
	"\n"
	"A part of the query that cannot match (an unknown field, type or language,\n"
	"a reversed date range) is left out with a warning on stderr.\n"
	"\n"
	"  --json       one JSON object per hit: the document plus page, score, snippet\n"
	"               (and one last object {\"warnings\": [...]} when there are any)\n"
	"  --facets     also count every matching page by type, year and language\n"
	"               (with --json: one last object {\"facets\": ..., \"warnings\": ...})\n"
	"  --total      end with the number of matching pages: \"N hits\", or \"N hits\n"
	"               (about)\" when it is Xapian's estimate (with --json: \"total\" and\n"
	"               \"total_exact\" on the last object; with --facets it is exact)\n"
	"  --limit N    hits to show (default 20; 0 with --facets or --total: counts only)\n"
	"  --offset N   hits to skip first (default 0)\n"
	KT_CLI_AUDITED_HELP,
	kt_cmd_search,
};

int kt_cmd_search(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "facets", no_argument, NULL, 'F' },
		{ "total", no_argument, NULL, 'T' },
		{ "limit", required_argument, NULL, 'l' },
		{ "offset", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, facets = 0, total = 0, limit = 20, offset = 0, i, c, rc = KT_EXIT_OK;
	long n;
	kt_buf q = KT_BUF_INIT;
	char *query;
	kt_store *s;
	kt_index *ix;
	kt_index_hits *hits = NULL;
	kt_error err = { 0 };

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		switch (c) {
		case 'J': json = 1; break;
		case 'F': facets = 1; break;
		case 'T': total = 1; break;
		case 'l':
			if (kt_cli_number("search", "--limit", optarg, 0, INT_MAX, &n) != 0)
				return KT_EXIT_FATAL;
			limit = (int)n;
			break;
		case 'o':
			if (kt_cli_number("search", "--offset", optarg, 0, INT_MAX, &n) != 0)
				return KT_EXIT_FATAL;
			offset = (int)n;
			break;
		}
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	for (i = optind; i < argc; i++) {
		if ((q.len > 0 && kt_buf_putc(&q, ' ') != KT_OK) || kt_buf_puts(&q, argv[i]) != KT_OK) {
			kt_buf_release(&q);
			fprintf(stderr, "kartoteka search: out of memory\n");
			return KT_EXIT_FATAL;
		}
	}
	query = kt_buf_detach(&q, NULL);
	if (query == NULL || query[0] == '\0') {
		free(query);
		return kt_cli_usage("search", "no query given");
	}
	if (limit < (facets || total ? 0 : 1)) {
		free(query);
		return kt_cli_usage("search", "--limit must be at least 1 (0 with --facets or --total)");
	}
	s = kt_cli_open(cli, "search", KT_STORE_READ);
	if (s == NULL) {
		free(query);
		return KT_EXIT_FATAL;
	}
	if (kt_cli_audit(cli, "search", query) != 0) {
		kt_store_free(&s);
		free(query);
		return KT_EXIT_FATAL;
	}
	ix = kt_store_index(s, &err);
	if (ix == NULL) {
		fprintf(stderr, "kartoteka search: %s\n", err.msg);
		rc = KT_EXIT_FATAL;
	} else if (kt_index_search_ex(ix, query, offset, limit, facets ? KT_INDEX_FACETS : 0, &hits) < KT_WARN) {
		fprintf(stderr, "kartoteka search: %s\n", kt_index_errmsg(ix));
		rc = KT_EXIT_FATAL;
	} else {
		/* KT_WARN: parts of the query left out, the rest ran */
		for (i = 0; i < hits->n_warnings; i++)
			fprintf(stderr, "kartoteka search: warning: %s\n", hits->warnings[i]);
		if (!json)
			printf("%lld hit%s for '%s'\n", hits->estimated_total,
			       hits->estimated_total == 1 ? "" : "s", query);
		for (i = 0; i < hits->n; i++) {
			kt_index_hit *h = &hits->hits[i];
			kt_doc *doc = NULL;

			if (kt_catalog_doc_get(kt_store_catalog(s), h->doc_id, &doc) != KT_OK)
				continue; /* indexed, no longer catalogued: skip it */
			if (json) {
				/* the document object and the hit: page, score, snippet */
				json_t *o = kt_doc_to_json(doc);

				json_object_set_new(o, "page", json_integer(h->page));
				json_object_set_new(o, "score", json_integer(h->score));
				json_object_set_new(o, "snippet", json_string(h->snippet ? h->snippet : ""));
				kt_cli_print_json(o);
				json_decref(o);
			} else {
				char *source = kt_doc_source_escape(doc);

				printf("\n%d. document %lld, page %d, score %d%%, %s: %s\n", offset + i + 1,
				       h->doc_id, h->page, h->score,
				       doc->meta.doc_type ? doc->meta.doc_type : "-", source ? source : "?");
				printf("   %s\n", h->snippet ? h->snippet : "");
				free(source);
			}
			kt_doc_free(&doc);
		}
		if (json && (facets || total || hits->n_warnings > 0)) {
			/* the last line: facets and the total when asked for,
			 * warnings when any */
			json_t *line = json_object();

			if (facets)
				json_object_set_new(line, "facets", facets_json(hits));
			if (total) {
				json_object_set_new(line, "total", json_integer(hits->estimated_total));
				json_object_set_new(line, "total_exact", json_boolean(total_exact(hits)));
			}
			if (hits->n_warnings > 0)
				json_object_set_new(line, "warnings", warnings_json(hits));
			kt_cli_print_json(line);
			json_decref(line);
		} else if (!json) {
			if (facets)
				print_facets(hits);
			if (total)
				printf("\n%lld hit%s%s\n", hits->estimated_total,
				       hits->estimated_total == 1 ? "" : "s",
				       total_exact(hits) ? "" : " (about)");
		}
	}
	kt_index_hits_free(&hits);
	kt_store_free(&s);
	free(query);
	return rc;
}
