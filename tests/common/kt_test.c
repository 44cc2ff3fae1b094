/*
 * kt_test.c - the helper library of the cmocka test programs: case selection
 * for main, temporary folders, whole files, substring checks (kt_test.h).
 */
#include "kt_test.h"
#include "kt_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------- case selection */

static void usage(const kt_test_program *p)
{
	fprintf(stderr, "usage: %s%s%s %s\n       %s --list\n       %s --check-list NAME...\n",
		p->name, p->args ? " " : "", p->args ? p->args : "",
		p->case_required ? "CASE" : "[CASE]", p->name, p->name);
}

static const kt_test_case *find_case(const kt_test_program *p, const char *name)
{
	for (size_t i = 0; i < p->n_cases; i++)
		if (strcmp(p->cases[i].name, name) == 0)
			return &p->cases[i];
	return NULL;
}

/* 0 when names[0..n) are exactly the program's cases, else 1. */
static int check_list(const kt_test_program *p, char **names, int n)
{
	int bad = 0;

	for (size_t i = 0; i < p->n_cases; i++) {
		int listed = 0;

		for (int a = 0; a < n; a++)
			listed |= strcmp(names[a], p->cases[i].name) == 0;
		if (!listed) {
			fprintf(stderr, "%s: test case '%s' has no ctest entry\n", p->name, p->cases[i].name);
			bad = 1;
		}
	}
	for (int a = 0; a < n; a++)
		if (find_case(p, names[a]) == NULL) {
			fprintf(stderr, "%s: ctest entry '%s' names no test case\n", p->name, names[a]);
			bad = 1;
		}
	return bad;
}

int kt_test_main(const kt_test_program *p, int argc, char **argv)
{
	const kt_test_case *one = NULL;
	struct CMUnitTest *tests;
	size_t n = 0;
	int named, rc;

	if (argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < p->n_cases; i++)
			printf("%s\n", p->cases[i].name);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--check-list") == 0)
		return check_list(p, argv + 2, argc - 2);
	named = argc - 1 - p->n_args;
	if (named < 0 || named > 1 || (p->case_required && named != 1)) {
		usage(p);
		return 2;
	}
	if (named == 1 && (one = find_case(p, argv[argc - 1])) == NULL) {
		fprintf(stderr, "no test case '%s'\n", argv[argc - 1]);
		return 2;
	}
	tests = calloc(p->n_cases ? p->n_cases : 1, sizeof *tests);
	if (tests == NULL) {
		fprintf(stderr, "%s: out of memory\n", p->name);
		return 2;
	}
	for (size_t i = 0; i < p->n_cases; i++)
		if (one == NULL || one == &p->cases[i])
			tests[n++] = (struct CMUnitTest){ p->cases[i].name, p->cases[i].fn, p->cases[i].setup,
							  p->cases[i].teardown, NULL };
	if (p->init != NULL)
		p->init(argv + 1);
	rc = _cmocka_run_group_tests(p->name, tests, n, NULL, NULL);
	free(tests);
	return rc;
}

/* ------------------------------------------------------------- files and folders */

int kt_test_mkdtemp(char *buf, size_t size, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	int len = snprintf(buf, size, "%s/kt-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);

	if (len < 0 || (size_t)len >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return mkdtemp(buf) != NULL ? 0 : -1;
}

void kt_test_remove_tree(const char *path)
{
	kt_rmtree(path, NULL);
}

unsigned char *kt_test_read_file(const char *path, size_t *len)
{
	char *data = NULL;
	size_t n = 0;

	if (kt_file_read(path, 0, &data, &n, NULL) != KT_OK)
		n = 0;
	if (len != NULL)
		*len = n;
	return (unsigned char *)data;
}

void kt_test_write_file(const char *path, const void *data, size_t len)
{
	FILE *f;

	chmod(path, 0644);
	f = fopen(path, "wb");
	if (f == NULL)
		fail_msg("cannot write %s", path);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------- checks */

void kt_expect_in(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, hay);
}

void kt_expect_not_in(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		fail_msg("'%s' unexpectedly in '%s'", needle, hay);
}
