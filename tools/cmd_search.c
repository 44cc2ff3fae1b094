/* cmd_search.c - `kartoteka search`: ranked page hits with snippets, and facet
 * counts (type, year, language) over every matching page with --facets. */
#include "cli.h"
#include "kt_buf.h"
#include "kt_catalog.h"
#include "kt_index.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A whole non-negative number up to INT_MAX, or -1. */
static int count_arg(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > INT_MAX)
		return -1;
	return (int)v;
}

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

int kt_cmd_search(kt_cli *cli, int argc, char **argv)
{
	int json = 0, facets = 0, limit = 20, offset = 0, i, rc = KT_EXIT_OK;
	kt_buf q = KT_BUF_INIT;
	char *query;
	kt_store *s;
	kt_index *ix;
	kt_index_hits *hits = NULL;
	kt_error err = { 0 };

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--facets") == 0) {
			facets = 1;
		} else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
			limit = count_arg(argv[++i]);
		} else if (strcmp(argv[i], "--offset") == 0 && i + 1 < argc) {
			offset = count_arg(argv[++i]);
		} else if ((q.len > 0 && kt_buf_putc(&q, ' ') != KT_OK) ||
			   kt_buf_puts(&q, argv[i]) != KT_OK) {
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
	if (limit < (facets ? 0 : 1) || offset < 0) {
		free(query);
		return kt_cli_usage("search", "--limit must be a number of at least 1 (0 with --facets) and "
					      "--offset at least 0");
	}
	s = kt_cli_open(cli, KT_STORE_READ);
	if (s == NULL) {
		free(query);
		return KT_EXIT_FATAL;
	}
	ix = kt_store_index(s, &err);
	if (ix == NULL) {
		fprintf(stderr, "kartoteka search: %s\n", err.msg);
		rc = KT_EXIT_FATAL;
	} else if (kt_index_search_ex(ix, query, offset, limit, facets ? KT_INDEX_FACETS : 0, &hits) != KT_OK) {
		fprintf(stderr, "kartoteka search: %s\n", kt_index_errmsg(ix));
		rc = KT_EXIT_FATAL;
	} else {
		if (!json)
			printf("%lld hit%s for '%s'\n", hits->estimated_total,
			       hits->estimated_total == 1 ? "" : "s", query);
		for (i = 0; i < hits->n; i++) {
			kt_index_hit *h = &hits->hits[i];
			json_t *doc = kt_catalog_doc_json(kt_store_catalog(s), h->doc_id);

			if (doc == NULL)
				continue; /* indexed, no longer catalogued: skip it */
			if (json) {
				json_object_set_new(doc, "page", json_integer(h->page));
				json_object_set_new(doc, "score", json_integer(h->score));
				json_object_set_new(doc, "snippet", json_string(h->snippet ? h->snippet : ""));
				kt_cli_print_json(doc);
			} else {
				json_t *meta = json_object_get(doc, "metadata");
				const char *type = json_string_value(json_object_get(meta, "doc_type"));

				printf("\n%d. document %lld, page %d, score %d%%, %s: %s\n", offset + i + 1,
				       h->doc_id, h->page, h->score, type ? type : "-",
				       json_string_value(json_object_get(doc, "source")));
				printf("   %s\n", h->snippet ? h->snippet : "");
			}
			json_decref(doc);
		}
		if (facets && json) {
			json_t *line = json_object();

			json_object_set_new(line, "facets", facets_json(hits));
			kt_cli_print_json(line);
			json_decref(line);
		} else if (facets) {
			print_facets(hits);
		}
	}
	kt_index_hits_free(&hits);
	kt_store_free(&s);
	free(query);
	return rc;
}
