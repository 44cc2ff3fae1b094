/*
 * extract_mrz_lines.c - the lines of a machine readable zone as OCR read
 * them: normalised to zone characters, and fitted to the width of a format
 * when OCR dropped or added up to two fillers.
 */
#include "extract_mrz_private.h"

#include <string.h>

/* Normalise one OCR line: drop spaces, '«' '‹' '＜' -> '<', raise case. Others -> '?'. */
int kt_mrz_normalize_line(const char *s, size_t n, char *out, int *bad)
{
	size_t i = 0;
	int o = 0;

	*bad = 0;
	while (i < n) {
		unsigned cp = kt_utf8_next(s, n, &i);
		char c;

		if (cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x202F ||
		    (cp >= 0x2000 && cp <= 0x200B))
			continue;
		if (cp == 0xAB || cp == 0x2039 || cp == 0xFF1C || cp == 0x2264)
			c = '<';
		else if (cp >= 'a' && cp <= 'z')
			c = (char)(cp - 32);
		else if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '<')
			c = (char)cp;
		else {
			c = '?';
			(*bad)++;
		}
		if (o >= MRZ_MAXLINE - 1)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* problems of the zone after mapping digit positions: failed checks + non-digits there */
static int score(const struct zone *z0, const struct lay *l,
		 unsigned char cls[3][MRZ_MAXLINE])
{
	struct zone z = *z0;
	int k, i, bad = 0;
	unsigned e;

	kt_mrz_map_classes(&z, l, cls);
	for (k = 0; k < l->nlines; k++)
		for (i = 0; i < l->width; i++) {
			char c = z.L[k][i];

			if (cls[k][i] == C_DIGIT && !(c >= '0' && c <= '9'))
				bad++;
			if (c == '?')
				bad++;
		}
	e = kt_mrz_check_errors(&z, l);
	for (; e; e &= e - 1)
		bad++;
	return bad;
}

void kt_mrz_naive_fit(const char *src, int width, char *dst)
{
	int n = (int)strlen(src), i;

	for (i = 0; i < width; i++)
		dst[i] = i < n ? src[i] : '<';
	dst[width] = '\0';
}

/*
 * Make line k exactly l->width long when OCR dropped or added up to two
 * fillers: try inserting or deleting '<' at the end of each filler run and
 * keep the variant with the fewest problems (the last one on a tie).
 */
void kt_mrz_fit_line(struct zone *z, const struct lay *l, int k, const char *orig,
		     unsigned char cls[3][MRZ_MAXLINE])
{
	int n = (int)strlen(orig), d = l->width - n, p, best = -1;
	char bestline[MRZ_MAXLINE];

	if (d == 0) {
		memcpy(z->L[k], orig, (size_t)n + 1);
		return;
	}
	kt_mrz_naive_fit(orig, l->width, z->L[k]);
	memcpy(bestline, z->L[k], sizeof bestline);
	for (p = 1; p <= n; p++) {
		char v[MRZ_MAXLINE];
		int s;

		/* p: the end of a filler run (or the end of the line) */
		if (orig[p - 1] != '<' || (p < n && orig[p] == '<'))
			if (p != n)
				continue;
		if (d > 0) {
			memcpy(v, orig, (size_t)p);
			memset(v + p, '<', (size_t)d);
			memcpy(v + p + d, orig + p, (size_t)(n - p) + 1);
		} else {
			int r = 0;

			while (r < -d && p - r - 1 >= 0 && orig[p - r - 1] == '<')
				r++;
			if (r < -d)
				continue;
			memcpy(v, orig, (size_t)(p + d));
			memcpy(v + p + d, orig + p, (size_t)(n - p) + 1);
		}
		memcpy(z->L[k], v, (size_t)l->width + 1);
		s = score(z, l, cls);
		if (best < 0 || s <= best) {
			best = s;
			memcpy(bestline, v, (size_t)l->width + 1);
		}
	}
	memcpy(z->L[k], bestline, sizeof bestline);
}
