/*
 * test_cli_cases.c - `kartoteka cases import` on broken CSV files (issue 17,
 * "Case records CSV"): what was imported and what not is reported (counts
 * on stdout, each rejected row as FILE:LINE: reason on stderr), an unclosed
 * quote costs its row only, ';' and a byte order mark are read, dates and
 * personal codes are checked, a line break inside a field is stored as it is
 * and printed escaped. Each case makes its own store in a temporary folder.
 * Run as `test_cli_cases KARTOTEKA`.
 */
#include "e2e.h"
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char header[] =
	"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status,officer\n";

typedef struct fixture {
	char dir[512];
	char store[600];
	char csv[600];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	assert_int_equal(kt_test_mkdtemp(f->dir, sizeof f->dir, "cli-cases"), 0);
	snprintf(f->store, sizeof f->store, "%s/store", f->dir);
	snprintf(f->csv, sizeof f->csv, "%s/cases.csv", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

static e2e_out import(fixture *f, const char *text)
{
	kt_test_write_file(f->csv, text, strlen(text));
	return e2e_run(f->store, "cases", "import", f->csv, NULL);
}

/* Is the case in the catalog? `cases show` exits 0 for a known case, 1 not. */
static int known(fixture *f, const char *number)
{
	e2e_out o = e2e_run(f->store, "cases", "show", number, NULL);
	int status = o.status;

	e2e_out_free(&o);
	assert_true(status == 0 || status == 1);
	return status == 0;
}

/* "FILE:LINE: " as the report prints it. */
static const char *at(fixture *f, int line)
{
	static char buf[700];

	snprintf(buf, sizeof buf, "%s:%d: ", f->csv, line);
	return buf;
}

/* One unclosed quote on line 9 of twelve: line 9 rejected, named with its
 * line, the eleven others imported, and the report says so. */
static void test_unclosed_quote(void **state)
{
	fixture *f = *state;
	char text[4096], number[16], want[800];
	size_t len = (size_t)snprintf(text, sizeof text, "%s", header);
	e2e_out o;
	int line;

	for (line = 2; line <= 12; line++)
		len += (size_t)snprintf(text + len, sizeof text - len, line == 9
			? "C-%02d,,\"Ozola, Anna,Anna,1990-01-01,LVA,visa,open,x\n"
			: "C-%02d,,Ozola,Anna,1990-01-01,LVA,visa,open,x\n", line);
	o = import(f, text);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.out, "10 cases added, 0 updated, 0 unchanged, 1 rejected");
	snprintf(want, sizeof want, "%sunclosed quote on line 9", at(f, 9));
	kt_expect_in(o.err, want);
	kt_expect_in(o.err, "reading went on at line 10");
	kt_expect_not_in(o.err, at(f, 10));
	e2e_out_free(&o);
	for (line = 2; line <= 12; line++) {
		snprintf(number, sizeof number, "C-%02d", line);
		assert_int_equal(known(f, number), line != 9);
	}
}

/* A spreadsheet's export: byte order mark, ';', CRLF; a bad date, a Latvian
 * code with a wrong check digit (both rejected), a foreign code and an empty
 * one (kept). */
static void test_semicolon_checks(void **state)
{
	fixture *f = *state;
	e2e_out o;

	o = import(f, "\xEF\xBB\xBF"
		"case_number;personal_code;surname;given_names;birth_date;nationality;case_type;status\r\n"
		"LV-1;120385-12342;Ozola, Bērziņa;Anna;1985-03-12;LVA;visa;open\r\n"
		"LV-2;120385-12343;Liepa;Jānis;1985-03-12;LVA;visa;open\r\n"
		"LV-3;;Liepa;Jānis;2001-13-45;LVA;visa;open\r\n"
		"UA-4;FX1234567;Tkachenko;Iryna;2001-06-30;UKR;asylum;open\r\n"
		"UA-5;;Kovalenko;Oleg;;UKR;asylum;open\r\n"
		"LV-6;;Liepa;Jānis;2001-02-30;LVA;visa;open\r\n");
	assert_int_equal(o.status, 1);
	kt_expect_in(o.out, "3 cases added, 0 updated, 0 unchanged, 3 rejected");
	kt_expect_in(o.out, "columns separated by ';'");
	kt_expect_in(o.err, at(f, 3));
	kt_expect_in(o.err, "personal_code is not a valid Latvian personal code (check digit)");
	kt_expect_in(o.err, at(f, 4));
	kt_expect_in(o.err, "birth_date '2001-13-45' is not a real date");
	kt_expect_in(o.err, at(f, 7));
	kt_expect_in(o.err, "birth_date '2001-02-30' is not a real date");
	e2e_out_free(&o);
	assert_true(known(f, "LV-1"));
	assert_false(known(f, "LV-2"));
	assert_false(known(f, "LV-3"));
	assert_true(known(f, "UA-4"));
	assert_true(known(f, "UA-5"));
	assert_false(known(f, "LV-6"));
	o = e2e_run(f->store, "cases", "show", "LV-1", NULL);
	kt_expect_in(o.out, "Ozola, Bērziņa");
	e2e_out_free(&o);

	/* the same file again: nothing changes, and the report says so */
	o = e2e_run(f->store, "cases", "import", f->csv, NULL);
	kt_expect_in(o.out, "0 cases added, 0 updated, 3 unchanged, 3 rejected");
	e2e_out_free(&o);
}

/* A line break inside a quoted field: stored as it is, printed escaped by
 * `cases show` and by the import report; JSON escapes it itself. */
static void test_newline_escaped(void **state)
{
	fixture *f = *state;
	char text[1024];
	e2e_out o;

	snprintf(text, sizeof text, "%s%s%s", header,
		 "N-1,,Ozola,\"Anna\nMarija\",,LVA,visa,open,\"R. Ozoliņa\r\nI. Bērziņa\"\n",
		 "N-2,,Liepa,Jānis,\"1990-01-01\nx\",LVA,visa,open,\n");
	o = import(f, text);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.out, "1 case added, 0 updated, 0 unchanged, 1 rejected");
	kt_expect_in(o.err, "birth_date '1990-01-01\\x0ax' is not a real date");
	kt_expect_in(o.err, "(the record runs from line 5 to line 6)");
	e2e_out_free(&o);

	o = e2e_run(f->store, "cases", "show", "N-1", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "Anna\\x0aMarija\n");
	kt_expect_in(o.out, "R. Ozoliņa\\x0d\\x0aI. Bērziņa\n");
	kt_expect_not_in(o.out, "Anna\nMarija");
	e2e_out_free(&o);

	o = e2e_run(f->store, "cases", "show", "--json", "N-1", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "\"Anna\\nMarija\"");
	e2e_out_free(&o);

	/* the case's documents list shows the record on one line too */
	o = e2e_run(f->store, "case", "N-1", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "case N-1: Anna\\x0aMarija Ozola, personal code -");
	kt_expect_not_in(o.out, "Anna\nMarija");
	e2e_out_free(&o);
}

/* A file that cannot be read imports nothing and says so. */
static void test_unreadable(void **state)
{
	fixture *f = *state;
	char missing[700];
	e2e_out o;

	snprintf(missing, sizeof missing, "%s/none.csv", f->dir);
	o = e2e_run(f->store, "cases", "import", missing, NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "none.csv");
	kt_expect_in(o.err, "nothing was imported");
	e2e_out_free(&o);
	o = e2e_run(f->store, "cases", "import", f->dir, NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "cannot read");
	kt_expect_in(o.err, "nothing was imported");
	e2e_out_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST_FX(unclosed_quote, setup, teardown),
	KT_TEST_FX(semicolon_checks, setup, teardown),
	KT_TEST_FX(newline_escaped, setup, teardown),
	KT_TEST_FX(unreadable, setup, teardown),
};

/* KARTOTEKA */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = NULL;
	E2E.store = NULL;
	E2E.work = NULL;
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_cases", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA", .n_args = 1, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
