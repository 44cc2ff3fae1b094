/*
 * search.c - the helper of bench/search: synthetic archive pages in four
 * languages, indexed with kt_index, and a fixed mix of queries timed.
 *
 *   kt_bench_search gen   FILES N            write N pages as FILES/NNNN/NNNNNNN.txt
 *   kt_bench_search index DB FILES N [BATCH] index those N pages (text read from the
 *                                             files, fields made again from the page
 *                                             number), commit every BATCH (10000)
 *   kt_bench_search query DB N [ROUNDS]      run the query mix ROUNDS times (20) on an
 *                                             index of N pages, print p50 and p99
 *   kt_bench_search exec [--as NAME] CMD ARGS...
 *                                             run a command, print its time and peak memory
 *
 * Every page is made from its number alone (splitmix64), so the files, the
 * fields and the queries agree without storing anything: search_pages.c
 * describes the pages, search_words.c their words. This file holds main, the
 * `exec` command (the time and peak memory of another command, such as
 * omindex) and the time, memory and file helpers; search_private.h lists the
 * other files.
 */
#include "search_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------- helpers */

double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this thread: what a query costs, whatever else the machine runs. */
double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

long max_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}


/* ------------------------------------------------------------- exec */

static int cmd_exec(char **argv)
{
	const char *name = argv[0];
	double t0;
	struct rusage ru;
	int status = 0;
	pid_t pid;

	if (argv[0] != NULL && strcmp(argv[0], "--as") == 0 && argv[1] != NULL && argv[2] != NULL) {
		name = argv[1];
		argv += 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return 2;
	printf("exec: %s: %.1f s, user %.1f s, sys %.1f s, peak RSS %.0f MiB, exit %d\n", name, now() - t0,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, (double)ru.ru_maxrss / 1024.0,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	zipf_init();
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2], atoll(argv[3]));
	if (argc >= 5 && strcmp(argv[1], "index") == 0)
		return cmd_index(argv[2], argv[3], atoll(argv[4]), argc > 5 ? atoll(argv[5]) : 10000);
	if (argc >= 4 && strcmp(argv[1], "query") == 0)
		return cmd_query(argv[2], atoll(argv[3]), argc > 4 ? atoi(argv[4]) : 20);
	if (argc >= 3 && strcmp(argv[1], "exec") == 0)
		return cmd_exec(argv + 2);
	fprintf(stderr, "usage: kt_bench_search gen FILES N | index DB FILES N [BATCH] | query DB N [ROUNDS] | "
			"exec [--as NAME] CMD ARGS...\n");
	return 2;
}
