/*
 * index_pages.c - test helper: print every page the store's index holds, one
 * "DOC PAGE" line each, then "total N" (kt_index_doc_count). Exit 0, or 2
 * when the index cannot be read.
 *
 * usage: index_pages STORE
 */
#include "kt_index.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	char path[4096];
	kt_index *ix = kt_index_new();
	kt_index_hits *h = NULL;
	int i;

	if (argc != 2 || ix == NULL)
		return 2;
	snprintf(path, sizeof path, "%s/xapian", argv[1]);
	if (kt_index_open(ix, path, 0) != KT_OK) {
		fprintf(stderr, "index_pages: %s\n", kt_index_errmsg(ix));
		kt_index_free(&ix);
		return 2;
	}
	/* A blank query matches every page. */
	if (kt_index_search(ix, NULL, 0, 10000, &h) < KT_WARN) { /* a warning still has hits */
		fprintf(stderr, "index_pages: %s\n", kt_index_errmsg(ix));
		kt_index_free(&ix);
		return 2;
	}
	for (i = 0; i < h->n; i++)
		printf("%lld %d\n", h->hits[i].doc_id, h->hits[i].page);
	printf("total %lld\n", kt_index_doc_count(ix));
	kt_index_hits_free(&h);
	kt_index_free(&ix);
	return 0;
}
