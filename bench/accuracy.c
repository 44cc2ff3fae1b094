/*
 * accuracy.c - the helper of bench/accuracy: every sample page through
 * kartoteka's page stages (kt_ocr_page, in process: clean-up and recognition,
 * the engine loaded once as in a worker), through the tesseract command line
 * and through ocrmypdf, in one run; prints per page and mean the character
 * error rate against samples/truth (the samples of samples/scans, then the
 * hard samples of samples/hard against samples/truth/hard, issue 19), whether
 * the orientation and the blank decision are right, and seconds per page.
 *
 *   kt_bench_accuracy SAMPLES [--no-tesseract] [--no-ocrmypdf] [--only NAME]
 *
 * CER is Levenshtein over code points with white space runs folded, divided
 * by the truth's length (as tests/e2e/e2e.c e2e_cer). Run by hand, never by
 * ctest.
 */
#define _GNU_SOURCE
#include "kt_text.h"
#include "kt_ocr.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define LANGS "lav+lit+rus+eng"
#define MAX_PAGES 16

enum { KT, TESS, OMP, NTOOLS };
static const char *tool_name[NTOOLS] = { "kartoteka", "tesseract", "ocrmypdf" };

typedef struct page_score {
	int ran;
	double cer;
	int rot_ok, blank_ok;
	double secs;
} page_score;

typedef struct tool_total {
	int pages, rot_ok, blank_ok, blank_pages, blank_found;
	double cer, secs, worst;
} tool_total;

/* CPU seconds, not wall time: the bench machine is shared, and CPU time is
 * what a page costs a worker. Our own for kartoteka, the reaped children's
 * (tesseract, ocrmypdf and everything they ran) for the command lines. */
static double cpu_self(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_children(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ------------------------------------------------------------------ CER */

static uint32_t *codepoints(const char *s, size_t *n)
{
	size_t len = strlen(s), k = 0;
	uint32_t *cp = malloc((len + 1) * sizeof *cp);
	size_t i = 0;
	int space = 1;

	while (i < len) {
		uint32_t c = kt_utf8_next(s, len, &i);
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
			if (!space)
				cp[k++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		cp[k++] = c;
	}
	while (k > 0 && cp[k - 1] == ' ')
		k--;
	*n = k;
	return cp;
}

static double cer(const char *truth, const char *ocr)
{
	size_t n, m, i, j;
	uint32_t *a = codepoints(truth, &n), *b = codepoints(ocr, &m);
	size_t *prev = malloc((m + 1) * sizeof *prev), *cur = malloc((m + 1) * sizeof *cur), *t;
	double r;

	for (j = 0; j <= m; j++)
		prev[j] = j;
	for (i = 1; i <= n; i++) {
		cur[0] = i;
		for (j = 1; j <= m; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	r = n == 0 ? (m == 0 ? 0.0 : 1.0) : (double)prev[m] / (double)n;
	free(a);
	free(b);
	free(prev);
	free(cur);
	return r;
}

static int is_empty(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r' && *s != '\f')
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- files */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *buf;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

/* Run argv with stdout and stderr into files; 0 when it exited with 0. */
static int run(char *const argv[], const char *out, const char *err)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = 0, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Split text at form feeds into at most max pages (pointers into text). */
static int split_pages(char *text, char **pages, int max)
{
	int n = 0;
	char *p = text;

	while (n < max) {
		char *ff = strchr(p, '\f');

		pages[n++] = p;
		if (ff == NULL)
			break;
		*ff = '\0';
		p = ff + 1;
	}
	return n;
}

/* ocrmypdf's log: "    2 page is facing ⇨, confidence 21.82 - will rotate ⬏". */
static void ocrmypdf_rotations(const char *log, int *rot, int npages)
{
	const char *p = log;

	while ((p = strstr(p, "page is facing ")) != NULL) {
		const char *line = p, *eol = strchr(p, '\n');
		int page = 0, facing = 0;

		while (line > log && line[-1] != '\n')
			line--;
		page = atoi(line);
		if (strncmp(p + 15, "\u21e8", 3) == 0)
			facing = 270;       /* text's top points right: turned 270 clockwise to fix */
		else if (strncmp(p + 15, "\u21e9", 3) == 0)
			facing = 180;
		else if (strncmp(p + 15, "\u21e6", 3) == 0)
			facing = 90;
		if (page >= 1 && page <= npages) {
			size_t n = eol ? (size_t)(eol - p) : strlen(p);

			rot[page - 1] = memmem(p, n, "will rotate", 11) ? facing : 0;
		}
		p += 15;
	}
}

/* ---------------------------------------------------------------- tools */

static void score(page_score *s, json_t *tp, const char *text, int rotation, int blank,
		  double secs)
{
	const char *truth = json_string_value(json_object_get(tp, "text"));
	int tblank = json_is_true(json_object_get(tp, "blank"));

	s->ran = 1;
	s->cer = cer(truth ? truth : "", text);
	s->rot_ok = rotation == (int)json_integer_value(json_object_get(tp, "rotation"));
	s->blank_ok = blank == tblank;
	s->secs = secs;
}

static int run_kartoteka(kt_ocr *o, const char *path, json_t *tpages, page_score *out,
			 int *dpi0)
{
	size_t len, i;
	char *data = slurp(path, &len);
	kt_source *s = NULL;
	kt_error err = { 0 };

	*dpi0 = 0;
	if (data == NULL || kt_source_open(data, len, path, 0, &s, &err) != KT_OK) {
		fprintf(stderr, "accuracy: %s\n", data ? err.msg : "cannot read the sample");
		free(data);
		return -1;
	}
	for (i = 0; i < json_array_size(tpages) && i < MAX_PAGES; i++) {
		struct Pix *pix = NULL;
		kt_page_result r;
		int dpi = 0;
		double t0;

		if (kt_source_page(s, (int)i, &pix, &dpi, &err) != KT_OK) {
			fprintf(stderr, "accuracy: %s\n", err.msg);
			continue;
		}
		if (i == 0)
			*dpi0 = dpi;
		kt_page_result_init(&r);
		t0 = cpu_self();
		if (kt_ocr_page(o, pix, dpi, &r, NULL) == KT_OK)
			score(&out[i], json_array_get(tpages, i), r.text, r.rotation, r.blank,
			      cpu_self() - t0);
		else
			fprintf(stderr, "accuracy: %s page %zu: %s\n", path, i + 1, kt_ocr_errmsg(o));
		kt_page_result_release(&r);
		pixDestroy(&pix);
	}
	kt_source_free(&s);
	free(data);
	return 0;
}

static void run_tesseract(const char *path, const char *work, int dpi, json_t *tpages,
			  page_score *out)
{
	char base[4200], txt[4300], log[4200], dpis[16];
	char *argv[] = { "tesseract", (char *)path, base, "-l", LANGS, "--dpi", dpis, NULL };
	char *text, *pages[MAX_PAGES];
	double t0, secs;
	int n, i, np = (int)json_array_size(tpages);

	snprintf(base, sizeof base, "%s/tess", work);
	snprintf(txt, sizeof txt, "%s.txt", base);
	snprintf(log, sizeof log, "%s/tess.log", work);
	snprintf(dpis, sizeof dpis, "%d", dpi > 0 ? dpi : 300);
	t0 = cpu_children();
	if (run(argv, "/dev/null", log) != 0 || (text = slurp(txt, NULL)) == NULL) {
		fprintf(stderr, "accuracy: tesseract failed on %s (see %s)\n", path, log);
		return;
	}
	secs = (cpu_children() - t0) / np;
	n = split_pages(text, pages, MAX_PAGES);
	for (i = 0; i < np && i < MAX_PAGES; i++) {
		const char *t = i < n ? pages[i] : "";

		/* the command line turns no page: it reads each as it lies */
		score(&out[i], json_array_get(tpages, i), t, 0, is_empty(t), secs);
	}
	free(text);
}

static void run_ocrmypdf(const char *path, const char *work, int dpi, json_t *tpages,
			 page_score *out)
{
	char pdf[4200], txt[4200], log[4200], dpis[16];
	char *argv[] = { "ocrmypdf", "-l", LANGS, "--rotate-pages", "--deskew", "--clean",
			 "--image-dpi", dpis, "-j", "1", "--sidecar", txt, (char *)path, pdf, NULL };
	char *text, *err, *pages[MAX_PAGES];
	int rot[MAX_PAGES] = { 0 };
	double t0, secs;
	int n, i, np = (int)json_array_size(tpages);

	snprintf(pdf, sizeof pdf, "%s/ocrmypdf.pdf", work);
	snprintf(txt, sizeof txt, "%s/ocrmypdf.txt", work);
	snprintf(log, sizeof log, "%s/ocrmypdf.log", work);
	snprintf(dpis, sizeof dpis, "%d", dpi > 0 ? dpi : 300);
	t0 = cpu_children();
	if (run(argv, "/dev/null", log) != 0 || (text = slurp(txt, NULL)) == NULL) {
		fprintf(stderr, "accuracy: ocrmypdf failed on %s (see %s)\n", path, log);
		return;
	}
	secs = (cpu_children() - t0) / np;
	err = slurp(log, NULL);
	if (err != NULL)
		ocrmypdf_rotations(err, rot, np < MAX_PAGES ? np : MAX_PAGES);
	free(err);
	n = split_pages(text, pages, MAX_PAGES);
	for (i = 0; i < np && i < MAX_PAGES; i++) {
		const char *t = i < n ? pages[i] : "";

		score(&out[i], json_array_get(tpages, i), t, rot[i], is_empty(t), secs);
	}
	free(text);
}

/* ----------------------------------------------------------------- main */

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_json(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

static void add(tool_total *t, const page_score *s, json_t *tp)
{
	if (!s->ran)
		return;
	t->pages++;
	t->cer += s->cer;
	t->secs += s->secs;
	t->rot_ok += s->rot_ok;
	t->blank_ok += s->blank_ok;
	if (s->cer > t->worst)
		t->worst = s->cer;
	if (json_is_true(json_object_get(tp, "blank"))) {
		t->blank_pages++;
		t->blank_found += s->blank_ok;
	}
}

static void cell(const page_score *s)
{
	if (!s->ran)
		printf(" | %7s %3s %3s %6s", "-", "-", "-", "-");
	else
		printf(" | %6.2f%% %3s %3s %6.2f", 100 * s->cer, s->rot_ok ? "ok" : "NO",
		       s->blank_ok ? "ok" : "NO", s->secs);
}

/* Every page of the truth files in SAMPLES/TRUTH (their files in
 * SAMPLES/SCANS) through the tools, a line each, added to tot. 0, or 2 when
 * the folder cannot be read (a missing set is passed over). */
static int run_set(kt_ocr *o, const char *samples, const char *truth, const char *scans,
		   const int *use, const char *only, const char *work, tool_total *tot, int *worse)
{
	struct dirent **names = NULL;
	char dir[4096];
	int i, k, n;

	snprintf(dir, sizeof dir, "%s/%s", samples, truth);
	if (access(dir, F_OK) != 0 && strcmp(truth, "truth") != 0)
		return 0;
	n = scandir(dir, &names, is_json, by_name);
	if (n < 0) {
		perror(dir);
		return 2;
	}
	for (i = 0; i < n; i++) {
		char path[8192], scan[8192];
		json_t *t = json_load_file((snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name),
					    path), 0, NULL);
		const char *file = json_string_value(json_object_get(t, "file"));
		json_t *tpages = json_object_get(t, "pages");
		page_score s[NTOOLS][MAX_PAGES];
		int p, dpi = 0;

		free(names[i]);
		if (t == NULL || file == NULL || json_is_true(json_object_get(t, "expect_error")) ||
		    (only != NULL && strcmp(only, file) != 0)) {
			json_decref(t);
			continue;
		}
		memset(s, 0, sizeof s);
		snprintf(scan, sizeof scan, "%s/%s/%s", samples, scans, file);
		run_kartoteka(o, scan, tpages, s[KT], &dpi);
		if (use[TESS])
			run_tesseract(scan, work, dpi, tpages, s[TESS]);
		if (use[OMP])
			run_ocrmypdf(scan, work, dpi, tpages, s[OMP]);
		for (p = 0; p < (int)json_array_size(tpages) && p < MAX_PAGES; p++) {
			json_t *tp = json_array_get(tpages, p);

			printf("%-26.26s %2d", file, p + 1);
			for (k = 0; k < NTOOLS; k++) {
				cell(&s[k][p]);
				add(&tot[k], &s[k][p], tp);
			}
			if (s[OMP][p].ran && s[KT][p].ran && s[KT][p].cer > s[OMP][p].cer + 0.002) {
				printf("  <- worse than ocrmypdf by more than 0.2 pp");
				(*worse)++;
			}
			printf("\n");
		}
		fflush(stdout);
		json_decref(t);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	const char *samples = NULL, *only = NULL;
	int use[NTOOLS] = { 1, 1, 1 };
	tool_total tot[NTOOLS] = { { 0 } };
	char work[4096];
	kt_ocr *o;
	int i, k, worse = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-tesseract") == 0)
			use[TESS] = 0;
		else if (strcmp(argv[i], "--no-ocrmypdf") == 0)
			use[OMP] = 0;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else
			samples = argv[i];
	}
	if (samples == NULL) {
		fprintf(stderr, "usage: kt_bench_accuracy SAMPLES [--no-tesseract] [--no-ocrmypdf] "
			"[--only FILE]\n");
		return 2;
	}
	/* One thread per engine everywhere, as a worker runs it. OpenMP reads
	 * the variable when it is loaded: set it, then start again. */
	if (getenv("OMP_THREAD_LIMIT") == NULL || strcmp(getenv("OMP_THREAD_LIMIT"), "1") != 0) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
		perror("accuracy: execv");
		return 2;
	}
	setMsgSeverity(L_SEVERITY_NONE);
	snprintf(work, sizeof work, "%s/kt-accuracy-XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(work) == NULL) {
		perror("accuracy: mkdtemp");
		return 2;
	}
	o = kt_ocr_new();
	if (o == NULL || kt_ocr_init(o, NULL) != KT_OK) {
		fprintf(stderr, "accuracy: %s\n", o ? kt_ocr_errmsg(o) : "out of memory");
		return 2;
	}
	printf("accuracy: Tesseract %s, languages %s, OMP_THREAD_LIMIT=1\n", kt_ocr_version(), LANGS);
	printf("per page: CER, orientation right, blank decision right, CPU seconds per page\n\n");
	printf("%-26s %2s", "page", "");
	for (k = 0; k < NTOOLS; k++)
		printf(" | %-26s", tool_name[k]);
	printf("\n");
	/* the samples, then the hard samples (issue 19) */
	if (run_set(o, samples, "truth", "scans", use, only, work, tot, &worse) != 0 ||
	    run_set(o, samples, "truth/hard", "hard", use, only, work, tot, &worse) != 0)
		return 2;
	printf("\n%-12s %6s %9s %9s %10s %8s %8s\n", "tool", "pages", "mean CER", "worst CER",
	       "orientation", "blank", "cpu s/page");
	for (k = 0; k < NTOOLS; k++) {
		if (tot[k].pages == 0)
			continue;
		printf("%-12s %6d %8.2f%% %8.2f%% %6d/%-4d %3d/%-4d %8.2f\n", tool_name[k],
		       tot[k].pages, 100 * tot[k].cer / tot[k].pages, 100 * tot[k].worst,
		       tot[k].rot_ok, tot[k].pages, tot[k].blank_found, tot[k].blank_pages,
		       tot[k].secs / tot[k].pages);
	}
	printf("\npages where kartoteka is worse than ocrmypdf by more than 0.2 pp: %d\n", worse);
	kt_ocr_free(&o);
	/* the tools' outputs: kept only when asked (KT_BENCH_KEEP=1) */
	if (getenv("KT_BENCH_KEEP") == NULL) {
		static const char *const left[] = { "tess.txt", "tess.log", "ocrmypdf.pdf",
						    "ocrmypdf.txt", "ocrmypdf.log" };
		char f[4300];
		size_t j;

		for (j = 0; j < sizeof left / sizeof left[0]; j++) {
			snprintf(f, sizeof f, "%s/%s", work, left[j]);
			remove(f);
		}
		rmdir(work);
	} else {
		fprintf(stderr, "accuracy: outputs kept in %s\n", work);
	}
	return 0;
}
