/*
 * search_index.c - `kt_bench_search index`: the synthetic pages put into a
 * kt_index, text read from the files (gen), fields made again from the page
 * number (search_pages.c), a commit every BATCH pages; pages/s and peak RSS.
 */
#include "search_private.h"

#include "kt_index.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_index(const char *db, const char *dir, long long n, long long batch)
{
	kt_index *ix = kt_index_new();
	double t0 = now(), tread = 0, last = t0;
	char path[4096];
	bdoc d;

	if (ix == NULL || kt_index_open(ix, db, 1) != KT_OK) {
		fprintf(stderr, "index: %s\n", kt_index_errmsg(ix));
		return 2;
	}
	for (long long p = 0; p < n; p++) {
		const char *dates[4], *names[2], *cases[1], *codes[1];
		double tr = now();
		size_t len = 0;
		char *text;

		page_path(dir, p, path, sizeof path);
		text = read_all(path, &len);
		if (text == NULL) {
			perror(path);
			return 2;
		}
		tread += now() - tr;
		make_doc(doc_of(p), &d);
		for (int i = 0; i < d.ndates; i++)
			dates[i] = d.iso[i];
		for (int i = 0; i < d.nnames; i++)
			names[i] = d.fullname[i];
		cases[0] = d.case_number;
		codes[0] = d.pcode;
		kt_index_page pg = {
			.doc_id = d.id, .page = page_in_doc(p), .text = text, .lang = lang_code[d.lang],
			.doc_type = type_name[d.type], .batch = d.batch,
			.case_numbers = cases, .n_case_numbers = 1,
			.personal_codes = codes, .n_personal_codes = 1,
			.dates = dates, .n_dates = d.ndates,
			.names = names, .n_names = d.nnames,
		};
		if (kt_index_put_page(ix, &pg) < 0) {
			fprintf(stderr, "index: %s\n", kt_index_errmsg(ix));
			return 2;
		}
		free(text);
		if ((p + 1) % batch == 0 || p + 1 == n) {
			if (kt_index_commit(ix) != KT_OK) {
				fprintf(stderr, "index: %s\n", kt_index_errmsg(ix));
				return 2;
			}
			if (now() - last > 60 || p + 1 == n) {
				last = now();
				fprintf(stderr, "index: %lld pages, %.0f s, %.0f pages/s\n", p + 1, last - t0,
					(double)(p + 1) / (last - t0));
			}
		}
	}
	kt_index_free(&ix);
	{
		double t = now() - t0;

		printf("index: %lld pages in %.1f s (%.1f s reading files): %.0f pages/s; commit every %lld; "
		       "peak RSS %.0f MiB\n",
		       n, t, tread, (double)n / t, batch, (double)max_rss_kib() / 1024.0);
	}
	return 0;
}

