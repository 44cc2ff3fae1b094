/*
 * search_query.c - `kt_bench_search query`: a fixed mix of word, phrase,
 * field and date-range queries, plus the fields of a few documents of the
 * index, each run ROUNDS times after a warm-up round (20 hits with snippets
 * each): CPU and wall p50 and p99 per query and per kind; facets timed apart.
 */
#include "search_private.h"

#include "kt_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bquery {
	const char *kind;
	char q[256];
	long long total;	/* matches, from the last run */
	double *ms, *cpu;	/* wall and CPU milliseconds of each round */
} bquery;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-quantile of v (sorted in place), nearest rank. */
static double percentile(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

/* The fixed mix: words (common, rare, without diacritics, across scripts),
 * phrases, fields and date ranges; the fields of a few documents of the index. */
static int make_queries(long long npages, bquery *qs, int max)
{
	static const struct {
		const char *kind, *q;
	} fixed[] = {
		{ "word", "lēmums" }, { "word", "lemums" }, { "word", "sprendimas" }, { "word", "решение" },
		{ "word", "decision" }, { "word", "Kovalenko" }, { "word", "Коваленко" }, { "word", "Karimi" },
		{ "word", "zukauskas" }, { "word", "Bērziņa" }, { "word", "termiņuzturēšanās atļauju" },
		{ "word", "Shevchenko Oleg" }, { "word", "refugee status Afghanistan" },
		{ "word", "prieglobsčio prašytojas" }, { "word", "Mamedova NOT Leyla" },
		{ "phrase", "\"uzturēšanās atļaujas\"" }, { "phrase", "\"residence permit\"" },
		{ "phrase", "\"вид на жительство\"" }, { "phrase", "\"leidimo gyventi\"" },
		{ "phrase", "\"health insurance policy\"" }, { "phrase", "\"Oleg Kovalenko\"" },
		{ "field", "type:decision Karimi" }, { "field", "lang:lit prašymas" }, { "field", "name:kovalenko" },
		{ "field", "name:Žukauskas" }, { "field", "type:interview lang:rus" }, { "field", "batch:B-2021-07" },
		{ "date", "date:2021-01-01..2021-12-31 Karimi" }, { "date", "date:2019-03..2019-05 lēmums" },
		{ "date", "date:2020 type:decision" }, { "date", "date:2018-06-15..2019-02-10 Коваленко" },
		{ "date", "date:..1996-12-31 refugee" }, { "date", "date:2023-02-02" },
	};
	int n = 0;

	for (size_t i = 0; i < N_OF(fixed) && n < max; i++, n++) {
		qs[n].kind = fixed[i].kind;
		snprintf(qs[n].q, sizeof qs[n].q, "%s", fixed[i].q);
	}
	/* Case numbers, personal codes (with and without the hyphen) and names of
	 * documents spread over the index. */
	for (int k = 1; k <= 4 && n + 4 <= max; k++) {
		bdoc d;
		char plain[32];
		size_t j = 0;

		make_doc(doc_of(npages * k / 5), &d);
		for (const char *c = d.pcode; *c && j + 1 < sizeof plain; c++)
			if (*c != '-')
				plain[j++] = *c;
		plain[j] = '\0';
		qs[n].kind = "field";
		snprintf(qs[n].q, sizeof qs[n].q, "case:%s", d.case_number);
		qs[n + 1].kind = "field";
		snprintf(qs[n + 1].q, sizeof qs[n + 1].q, "pc:%s", d.pcode);
		qs[n + 2].kind = "field";
		snprintf(qs[n + 2].q, sizeof qs[n + 2].q, "pc:%s", plain);
		qs[n + 3].kind = "word";
		snprintf(qs[n + 3].q, sizeof qs[n + 3].q, "%s", d.case_number);
		n += 4;
	}
	return n;
}

static void report(const char *label, double *wall, double *cpu, size_t n)
{
	double w50 = percentile(wall, n, 0.50), w99 = percentile(wall, n, 0.99);
	double c50 = percentile(cpu, n, 0.50), c99 = percentile(cpu, n, 0.99), cmax = n ? cpu[n - 1] : 0;

	printf("  %-7s %5zu runs  CPU p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms | wall p50 %7.2f ms  p99 %7.2f ms\n",
	       label, n, c50, c99, cmax, w50, w99);
}

/* One timed search; KT_OK or the failure printed. */
static int timed(kt_index *ix, const char *q, unsigned flags, double *wall, double *cpu, long long *total)
{
	kt_index_hits *h = NULL;
	double t0 = now(), c0 = cpu_now();

	if (kt_index_search_ex(ix, q, 0, 20, flags, &h) < KT_WARN) { /* a warning still has hits */
		fprintf(stderr, "query '%s': %s\n", q, kt_index_errmsg(ix));
		return KT_FAILED;
	}
	*cpu = (cpu_now() - c0) * 1000;
	*wall = (now() - t0) * 1000;
	*total = h->estimated_total;
	kt_index_hits_free(&h);
	return KT_OK;
}

int cmd_query(const char *db, long long npages, int rounds)
{
	kt_index *ix = kt_index_new();
	bquery qs[64];
	int nq = make_queries(npages, qs, 64);
	size_t cap = (size_t)nq * (size_t)rounds, nall = 0;
	double *all = malloc(cap * sizeof(double)), *allc = malloc(cap * sizeof(double));
	double *kind = malloc(cap * sizeof(double)), *kindc = malloc(cap * sizeof(double));
	static const char *const kinds[] = { "word", "phrase", "field", "date" };

	if (ix == NULL || kt_index_open(ix, db, 0) != KT_OK) {
		fprintf(stderr, "query: %s\n", kt_index_errmsg(ix));
		return 2;
	}
	if (all == NULL || allc == NULL || kind == NULL || kindc == NULL)
		return 2;
	for (int i = 0; i < nq; i++) {
		qs[i].ms = malloc((size_t)rounds * sizeof(double));
		qs[i].cpu = malloc((size_t)rounds * sizeof(double));
	}
	/* One round to warm the caches, not counted. */
	for (int r = -1; r < rounds; r++) {
		for (int i = 0; i < nq; i++) {
			double w, c;

			if (timed(ix, qs[i].q, 0, &w, &c, &qs[i].total) != KT_OK)
				return 2;
			if (r >= 0) {
				qs[i].ms[r] = all[nall] = w;
				qs[i].cpu[r] = allc[nall++] = c;
			}
		}
	}
	printf("query: %lld pages, %d queries x %d rounds (after one warm-up round), 20 hits with snippets each\n",
	       (long long)kt_index_doc_count(ix), nq, rounds);
	printf("  kind   CPU p50  CPU p99 wall p50   matches  query\n");
	for (int i = 0; i < nq; i++) {
		double w50 = percentile(qs[i].ms, (size_t)rounds, 0.5);
		double c50 = percentile(qs[i].cpu, (size_t)rounds, 0.5), c99 = percentile(qs[i].cpu, (size_t)rounds, 0.99);

		printf("  %-6s %7.2f  %7.2f  %7.2f %9lld  %s\n", qs[i].kind, c50, c99, w50, qs[i].total, qs[i].q);
	}
	for (size_t k = 0; k < N_OF(kinds); k++) {
		size_t nk = 0;

		for (int i = 0; i < nq; i++)
			if (strcmp(qs[i].kind, kinds[k]) == 0)
				for (int r = 0; r < rounds; r++) {
					kind[nk] = qs[i].ms[r];
					kindc[nk++] = qs[i].cpu[r];
				}
		report(kinds[k], kind, kindc, nk);
	}
	report("all", all, allc, nall);

	/* Facets count over every match: timed apart, they are not in the mix. */
	{
		static const char *const fq[] = { "Kovalenko", "lēmums", "date:2021", "type:decision", "decision" };
		double fw[N_OF(fq) * 5], fc[N_OF(fq) * 5];
		size_t nf = 0;

		for (size_t i = 0; i < N_OF(fq); i++) {
			long long total = 0;

			for (int r = 0; r < 5; r++, nf++)
				if (timed(ix, fq[i], KT_INDEX_FACETS, &fw[nf], &fc[nf], &total) != KT_OK)
					return 2;
			printf("  facets %7.2f ms CPU %9lld matches  %s\n", fc[nf - 1], total, fq[i]);
		}
		report("facets", fw, fc, nf);
	}
	printf("query: peak RSS %.0f MiB\n", (double)max_rss_kib() / 1024.0);
	for (int i = 0; i < nq; i++) {
		free(qs[i].ms);
		free(qs[i].cpu);
	}
	free(all);
	free(allc);
	free(kind);
	free(kindc);
	kt_index_free(&ix);
	return 0;
}

