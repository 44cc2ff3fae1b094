/*
 * test_cli.c - the command line's option handling, the same for every
 * command (tools/cli.c, kt_cli_getopt): unknown options and missing values
 * named with the usage line and exit 2, "--opt=value" the same as
 * "--opt value", options after operands, "--" ending the options, --help
 * everywhere. Run as `test_cli KARTOTEKA STORE CASE` against the e2e
 * fixture store (read only).
 */
#include "e2e.h"
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every command and one valid operand list for it (NULL: none). */
static const char *const commands[] = {
	"ingest", "search", "docs", "show", "case", "cases", "batches", "verify", "export", "rebuild",
	"serve", "user", "audit",
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void test_unknown_option(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_COMMANDS; i++) {
		char usage[64];
		e2e_out o = e2e_run(E2E.store, commands[i], "--no-such-option", NULL);

		snprintf(usage, sizeof usage, "usage: kartoteka [--store DIR] %s", commands[i]);
		if (o.status != 2 || strstr(o.err, "unknown option '--no-such-option'") == NULL ||
		    strstr(o.err, usage) == NULL)
			fail_msg("%s --no-such-option: exit %d, stderr: %s", commands[i], o.status, o.err);
		e2e_out_free(&o);
	}
}

static void test_missing_value(void **state)
{
	static const char *const cases[][2] = {
		{ "ingest", "--jobs" }, { "ingest", "--batch" }, { "search", "--limit" },
		{ "search", "--offset" }, { "verify", "--since" }, { "verify", "--sample" },
	};
	e2e_out o;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[64];

		o = e2e_run(E2E.store, cases[i][0], cases[i][1], NULL);
		snprintf(want, sizeof want, "option '%s' needs a value", cases[i][1]);
		if (o.status != 2 || strstr(o.err, want) == NULL)
			fail_msg("%s %s: exit %d, stderr: %s", cases[i][0], cases[i][1], o.status, o.err);
		e2e_out_free(&o);
	}
	/* the global option too: e2e_run puts "--store STORE" first, so run
	 * the program with a bare --store after it */
	o = e2e_run(E2E.store, "--store", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "option '--store' needs a value");
	e2e_out_free(&o);
}

static void test_bad_values(void **state)
{
	e2e_out o;

	(void)state;
	o = e2e_run(E2E.store, "ingest", "--jobs=0", "x", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "--jobs wants a number from 1 to 256, not '0'");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "search", "--limit", "ten", "x", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "--limit wants a number");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "docs", "surplus", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "too many arguments");
	e2e_out_free(&o);
	/* dates are real dates, numbers are numbers */
	o = e2e_run(E2E.store, "audit", "--since", "bad", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "--since wants YYYY-MM-DD");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "audit", "--limit", "abc", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "--limit wants a number");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "verify", "--no-record", "--since", "2001-13-45", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "--since wants YYYY-MM-DD");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "verify", "--no-record", "--since", "2001-02-29T10:00:00Z", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
}

static void test_help_everywhere(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_COMMANDS; i++) {
		char usage[64];
		e2e_out o = e2e_run(E2E.store, commands[i], "--help", NULL);

		snprintf(usage, sizeof usage, "usage: kartoteka [--store DIR] %s", commands[i]);
		if (o.status != 0 || strncmp(o.out, usage, strlen(usage)) != 0)
			fail_msg("%s --help: exit %d, stdout: %.200s", commands[i], o.status, o.out);
		e2e_out_free(&o);
	}
	{
		e2e_out o = e2e_run(E2E.store, "search", "--help", NULL);

		kt_expect_in(o.out, "--facets");
		e2e_out_free(&o);
	}
}

/* --limit=1 and --limit 1, before or after the words, give the same hits,
 * and the option is never searched for. */
static void test_option_forms(void **state)
{
	e2e_out a, b, c;

	(void)state;
	a = e2e_run(E2E.store, "search", "--json", "--limit", "1", "Karimi", NULL);
	b = e2e_run(E2E.store, "search", "--json", "--limit=1", "Karimi", NULL);
	c = e2e_run(E2E.store, "search", "Karimi", "--limit=1", "--json", NULL);
	assert_int_equal(a.status, 0);
	assert_int_equal(b.status, 0);
	assert_int_equal(c.status, 0);
	kt_expect_in(a.out, "\"page\"");
	assert_string_equal(a.out, b.out);
	assert_string_equal(a.out, c.out);
	assert_non_null(strchr(a.out, '\n'));
	assert_null(strchr(strchr(a.out, '\n') + 1, '\n')); /* exactly one hit */
	e2e_out_free(&a);
	e2e_out_free(&b);
	e2e_out_free(&c);
}

/* After "--" every word is an operand, even one that looks like an option. */
static void test_double_dash(void **state)
{
	e2e_out o;

	(void)state;
	o = e2e_run(E2E.store, "search", "--", "--limit", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_not_in(o.err, "needs a value");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "show", "--", "--json", NULL);
	assert_int_not_equal(o.status, 0); /* no document called "--json" */
	kt_expect_not_in(o.err, "usage:");
	e2e_out_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST(unknown_option),
	KT_TEST(missing_value),
	KT_TEST(bad_values),
	KT_TEST(help_everywhere),
	KT_TEST(option_forms),
	KT_TEST(double_dash),
};

/* KARTOTEKA STORE */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = NULL;
	E2E.store = args[1];
	E2E.work = NULL;
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA STORE", .n_args = 2, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
