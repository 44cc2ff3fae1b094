/*
 * test_cli.c - the command line's option handling, the same for every
 * command (tools/cli.c, kt_cli_getopt): unknown options and missing values
 * named with the usage line and exit 2, "--opt=value" the same as
 * "--opt value", options after operands, "--" ending the options, --help
 * everywhere. Run as `test_cli KARTOTEKA STORE CASE` against the e2e
 * fixture store (read only).
 *
 * Also what --store may name: a folder that holds no store is refused by
 * every reading command and left untouched, ingest and cases import say
 * when they make a store (a store the user cannot write, and the audit of
 * reads: test_cli_store.c).
 */
#include "e2e.h"
#include "kt_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Every command and one valid operand list for it (NULL: none). */
static const char *const commands[] = {
	"init", "ingest", "search", "docs", "show", "case", "cases", "batches", "verify", "export", "rebuild",
	"serve", "user", "audit", "erase", "hold", "retention", "watch", "person", "file", "review",
	"reprocess", "edit", "dossier",
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

/* The last line of s (without its line break), in buf. */
static const char *last_line(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);
	const char *start;

	while (n > 0 && s[n - 1] == '\n')
		n--;
	start = s + n;
	while (start > s && start[-1] != '\n')
		start--;
	snprintf(buf, size, "%.*s", (int)(s + n - start), start);
	return buf;
}

/* A query with parts that cannot match (an unknown field, type or language,
 * a reversed date range) warns on stderr, runs the rest, and with --json
 * ends in {"warnings": [...]} (with the facets when asked for); a query
 * without such parts prints no warning line. */
static void test_search_warnings(void **state)
{
	char last[2048];
	e2e_out o;

	(void)state;
	o = e2e_run(E2E.store, "search", "--json", "Karimi", "foo:bar", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.err, "kartoteka search: warning: unknown field 'foo:'");
	kt_expect_in(o.out, "\"page\"");	/* the rest ran: Karimi's hits */
	assert_string_equal(last_line(o.out, last, sizeof last),
			    "{\"warnings\":[\"unknown field 'foo:' (fields: case, pc, name, type, lang, batch, doc, date)\"]}");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "search", "--json", "--facets", "Karimi", "type:xyz",
		    "date:2024-01-01..2023-01-01", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.err, "kartoteka search: warning: unknown type 'xyz' (types: decision, ");
	kt_expect_in(o.err, "kartoteka search: warning: date range 2024-01-01..2023-01-01 is reversed");
	last_line(o.out, last, sizeof last);
	kt_expect_in(last, "{\"facets\":{\"type\":{");
	kt_expect_in(last, "},\"warnings\":[\"");	/* the facets, then both warnings */
	kt_expect_in(last, "\"unknown type 'xyz' (types: decision, application, interview, identity, letter, other)\"");
	kt_expect_in(last, "\"date range 2024-01-01..2023-01-01 is reversed\"");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "search", "Karimi", "lang:deu", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.err, "kartoteka search: warning: unknown language 'deu' (languages: lav, lit, rus, eng)");
	kt_expect_in(o.out, "hits for 'Karimi lang:deu'");
	kt_expect_in(o.out, "1. document");	/* the rest ran */
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "search", "--json", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_not_in(o.err, "warning");
	kt_expect_not_in(o.out, "\"warnings\"");
	e2e_out_free(&o);
}

/* The last line of a search --json: parsed, asserted not a hit (no "id"). */
static json_t *summary_line(const char *out)
{
	char last[4096];
	json_t *v;

	last_line(out, last, sizeof last);
	v = json_loads(last, 0, NULL);
	if (v == NULL || !json_is_object(v) || json_object_get(v, "id") != NULL)
		fail_msg("search --json: the last line is not a summary: %s", last);
	return v;
}

/*
 * search --total: with --json the last line (no "id") carries "total", the
 * number of matching pages, and "total_exact" (Xapian's bounds agree; here
 * few pages match, so true); beside the facets with --facets, alone
 * without; --limit 0 then gives that line alone. Without --json the output
 * ends in "N hits". Without --total nothing of it is printed.
 */
static void test_search_total(void **state)
{
	char last[2048];
	json_t *line, *lines;
	e2e_out o;
	long long total;

	(void)state;
	/* the total, as --facets (which counts every page) gives it */
	o = e2e_run(E2E.store, "search", "--json", "--total", "--facets", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	line = summary_line(o.out);
	assert_true(json_is_object(json_object_get(line, "facets")));
	assert_true(json_is_integer(json_object_get(line, "total")));
	total = json_integer_value(json_object_get(line, "total"));
	assert_true(total >= 2);
	assert_true(json_is_true(json_object_get(line, "total_exact")));
	json_decref(line);
	lines = e2e_json_lines(o.out);
	assert_int_equal(json_array_size(lines), (size_t)total + 1); /* every hit (limit 20), the summary */
	json_decref(lines);
	e2e_out_free(&o);
	/* without --facets: the total alone, the same number */
	o = e2e_run(E2E.store, "search", "--json", "--total", "--limit", "1", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	line = summary_line(o.out);
	assert_int_equal(json_object_size(line), 2);
	assert_int_equal(json_integer_value(json_object_get(line, "total")), total);
	assert_true(json_is_true(json_object_get(line, "total_exact")));
	json_decref(line);
	lines = e2e_json_lines(o.out);
	assert_int_equal(json_array_size(lines), 2);
	json_decref(lines);
	e2e_out_free(&o);
	/* counts only */
	o = e2e_run(E2E.store, "search", "--total", "--json", "--limit", "0", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	snprintf(last, sizeof last, "{\"total\":%lld,\"total_exact\":true}\n", total);
	assert_string_equal(o.out, last);
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "search", "--json", "--limit", "0", "Karimi", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "--limit must be at least 1 (0 with --facets or --total)");
	e2e_out_free(&o);
	/* with warnings: total and warnings on the one last line */
	o = e2e_run(E2E.store, "search", "--json", "--total", "Karimi", "foo:bar", NULL);
	assert_int_equal(o.status, 0);
	line = summary_line(o.out);
	assert_int_equal(json_integer_value(json_object_get(line, "total")), total);
	assert_true(json_is_array(json_object_get(line, "warnings")));
	json_decref(line);
	e2e_out_free(&o);
	/* as text: the last line */
	o = e2e_run(E2E.store, "search", "--total", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	snprintf(last, sizeof last, "%lld hits", total);
	{
		char got[2048];

		assert_string_equal(last_line(o.out, got, sizeof got), last);
	}
	e2e_out_free(&o);
	/* without --total: no total anywhere */
	o = e2e_run(E2E.store, "search", "--json", "--facets", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	line = summary_line(o.out);
	assert_null(json_object_get(line, "total"));
	assert_null(json_object_get(line, "total_exact"));
	json_decref(line);
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "search", "--json", "Karimi", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_not_in(o.out, "\"total\"");
	e2e_out_free(&o);
}

/* The number of entries of a folder (not . and ..), -1 when unreadable. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* A folder that holds no store (a mistyped --store) is refused by every
 * command that reads, with its name and exit 2, and nothing is made in it;
 * a missing folder is not made either. */
static void test_no_store_refused(void **state)
{
	char dir[512], out[512], missing[600], want[700];
	const char *const cmds[][6] = {
		{ "docs" }, { "docs", "--json" }, { "search", "Karimi" }, { "show", "1" },
		{ "case", "PMLP-LV-2023-004571" }, { "batches" }, { "verify" }, { "verify", "--no-record" },
		{ "export", "1", out }, { "audit" }, { "user", "list" },
		{ "user", "add", "anna", "--role", "admin" }, { "user", "passwd", "anna" },
		{ "user", "assign", "anna", "X-1" }, { "serve", "--listen", "127.0.0.1:0" },
		{ "erase", "list" }, { "erase", "approve", "1", "--user", "anna" },
		{ "hold", "list" }, { "hold", "remove", "1", "--reason=x", "--user=anna" },
		{ "retention" }, { "retention", "--json", "--date", "2024-01-01" },
	};

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-nostore"), 0);
	assert_int_equal(kt_test_mkdtemp(out, sizeof out, "cli-nostore-out"), 0);
	snprintf(want, sizeof want, "'%s' holds no kartoteka store", dir);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		e2e_out o = e2e_run(dir, cmds[i][0], cmds[i][1], cmds[i][2], cmds[i][3], cmds[i][4],
				    cmds[i][5], NULL);

		if (o.status != 2 || strstr(o.err, want) == NULL || count_entries(dir) != 0 ||
		    count_entries(out) != 0)
			fail_msg("%s %s: exit %d, %d entries made, stderr: %s", cmds[i][0],
				 cmds[i][1] ? cmds[i][1] : "", o.status, count_entries(dir), o.err);
		e2e_out_free(&o);
	}
	snprintf(missing, sizeof missing, "%s/missing", dir);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		e2e_out o = e2e_run(missing, cmds[i][0], cmds[i][1], cmds[i][2], cmds[i][3], cmds[i][4],
				    cmds[i][5], NULL);

		if (o.status != 2 || strstr(o.err, "no such folder") == NULL || count_entries(dir) != 0)
			fail_msg("%s on a missing folder: exit %d, stderr: %s", cmds[i][0], o.status, o.err);
		e2e_out_free(&o);
	}
	kt_test_remove_tree(dir);
	kt_test_remove_tree(out);
}

/* ingest and cases import make a store where --store names none (a new
 * folder or one that holds no store) and say so; into a store, they do not. */
static void test_ingest_makes_store(void **state)
{
	char dir[512], store[600], empty[600], in[600], csv[600], want[700];
	static const char header[] =
		"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status\n";
	e2e_out o;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-make"), 0);
	snprintf(store, sizeof store, "%s/new", dir);
	snprintf(empty, sizeof empty, "%s/empty", dir);
	snprintf(in, sizeof in, "%s/in", dir);
	snprintf(csv, sizeof csv, "%s/cases.csv", dir);
	assert_int_equal(mkdir(in, 0755), 0);
	assert_int_equal(mkdir(empty, 0755), 0);
	kt_test_write_file(csv, header, sizeof header - 1);

	o = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(o.status, 0);
	snprintf(want, sizeof want, "made a new store in '%s'", store);
	kt_expect_in(o.err, want);
	e2e_out_free(&o);
	o = e2e_run(store, "docs", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	o = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(o.status, 0);
	kt_expect_not_in(o.err, "made a new store");
	e2e_out_free(&o);
	o = e2e_run(store, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	kt_expect_not_in(o.err, "made a new store");
	e2e_out_free(&o);

	o = e2e_run(empty, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	snprintf(want, sizeof want, "made a new store in '%s'", empty);
	kt_expect_in(o.err, want);
	e2e_out_free(&o);
	o = e2e_run(empty, "batches", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	kt_test_remove_tree(dir);
}

/* ---- cases show and verify --json (the JSON contract's holes) ---- */

/* The ids of the documents `case --json NUMBER` prints, as a JSON array. */
static json_t *case_doc_ids(const char *store, const char *number)
{
	e2e_out o = e2e_run(store, "case", "--json", number, NULL);
	json_t *ids = json_array();
	const char *line = o.out;

	assert_int_equal(o.status, 0);
	while (line != NULL && *line) {
		json_t *d = json_loads(line, JSON_DISABLE_EOF_CHECK, NULL);
		const char *nl = strchr(line, '\n');

		assert_non_null(d);
		json_array_append(ids, json_object_get(d, "id"));
		json_decref(d);
		line = nl ? nl + 1 : NULL;
	}
	e2e_out_free(&o);
	return ids;
}

/* cases show prints the case record itself: its columns, its officer (the
 * record's officer column) and its documents' ids, as text and with --json
 * as one object on one line. */
static void test_cases_show(void **state)
{
	json_t *rec, *ids;
	e2e_out o;
	size_t i;
	char want[64];

	(void)state;
	ids = case_doc_ids(E2E.store, "PMLP-LV-2023-004571");
	assert_true(json_array_size(ids) >= 1);
	o = e2e_run(E2E.store, "cases", "show", "--json", "PMLP-LV-2023-004571", NULL);
	assert_int_equal(o.status, 0);
	assert_non_null(strchr(o.out, '\n'));
	assert_string_equal(strchr(o.out, '\n'), "\n"); /* one line */
	rec = json_loads(o.out, 0, NULL);
	assert_non_null(rec);
	assert_string_equal(json_string_value(json_object_get(rec, "case_number")), "PMLP-LV-2023-004571");
	assert_string_equal(json_string_value(json_object_get(rec, "personal_code")), "220791-14729");
	assert_string_equal(json_string_value(json_object_get(rec, "surname")), "Karimi");
	assert_string_equal(json_string_value(json_object_get(rec, "given_names")), "Ahmad");
	assert_string_equal(json_string_value(json_object_get(rec, "birth_date")), "1991-07-22");
	assert_string_equal(json_string_value(json_object_get(rec, "nationality")), "AFG");
	assert_string_equal(json_string_value(json_object_get(rec, "case_type")), "residence_permit");
	assert_string_equal(json_string_value(json_object_get(rec, "status")), "decided");
	assert_string_equal(json_string_value(json_object_get(rec, "officer")), "I. Bērziņa");
	assert_true(json_is_object(json_object_get(rec, "extra")));
	assert_non_null(json_string_value(json_object_get(rec, "imported")));
	assert_true(json_equal(json_object_get(rec, "documents"), ids));
	json_decref(rec);
	e2e_out_free(&o);

	o = e2e_run(E2E.store, "cases", "show", "PMLP-LV-2023-004571", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "case PMLP-LV-2023-004571\n");
	kt_expect_in(o.out, "Karimi");
	kt_expect_in(o.out, "220791-14729");
	kt_expect_in(o.out, "officer");
	kt_expect_in(o.out, "I. Bērziņa");
	for (i = 0; i < json_array_size(ids); i++) {
		snprintf(want, sizeof want, " %lld", (long long)json_integer_value(json_array_get(ids, i)));
		kt_expect_in(strstr(o.out, "documents"), want);
	}
	e2e_out_free(&o);
	json_decref(ids);
}

/* An unknown case exits 1 and is named; nothing on stdout. */
static void test_cases_show_unknown(void **state)
{
	e2e_out o;

	(void)state;
	o = e2e_run(E2E.store, "cases", "show", "--json", "NO-SUCH-CASE-1", NULL);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "NO-SUCH-CASE-1");
	assert_string_equal(o.out, "");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "cases", "show", "NO-SUCH-CASE-1", NULL);
	assert_int_equal(o.status, 1);
	kt_expect_in(o.err, "no case 'NO-SUCH-CASE-1'");
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "cases", "show", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "usage:");
	e2e_out_free(&o);
}

/* The objects of verify --json's stdout, each line parsed (a line that is
 * not a JSON object fails), as a JSON array. */
static json_t *verify_objects(const char *out)
{
	json_t *all = json_array();
	const char *line = out;

	while (line != NULL && *line) {
		const char *nl = strchr(line, '\n');
		char *one = strndup(line, nl ? (size_t)(nl - line) : strlen(line));
		json_t *o = json_loads(one, 0, NULL);

		if (!json_is_object(o))
			fail_msg("verify --json printed a line that is not a JSON object: %s", one);
		free(one);
		json_array_append_new(all, o);
		line = nl ? nl + 1 : NULL;
	}
	return all;
}

/* verify --json: one object per package, every line JSON, all ok on the
 * fixture, the packages those `docs --json` names. */
static void test_verify_json(void **state)
{
	json_t *objs, *o, *docs;
	e2e_out r;
	size_t i, k, packaged = 0;

	(void)state;
	r = e2e_run(E2E.store, "verify", "--json", "--no-record", NULL);
	assert_int_equal(r.status, 0);
	kt_expect_not_in(r.out, "verified");
	objs = verify_objects(r.out);
	docs = e2e_docs_json(E2E.store);
	json_array_foreach(docs, k, o)
		if (json_is_string(json_object_get(o, "package")))
			packaged++;
	assert_int_equal(json_array_size(objs), packaged);
	assert_true(packaged > 0);
	json_array_foreach(objs, i, o) {
		const char *pkg = json_string_value(json_object_get(o, "package"));
		json_t *d;
		int found = 0;

		assert_non_null(pkg);
		assert_true(json_is_true(json_object_get(o, "ok")));
		assert_true(json_is_array(json_object_get(o, "problems")));
		assert_int_equal(json_array_size(json_object_get(o, "problems")), 0);
		json_array_foreach(docs, k, d)
			if (json_is_string(json_object_get(d, "package")) &&
			    strcmp(json_string_value(json_object_get(d, "package")), pkg) == 0) {
				found = 1;
				assert_int_equal(json_integer_value(json_object_get(o, "doc_id")),
						 json_integer_value(json_object_get(d, "id")));
			}
		if (!found)
			fail_msg("verify --json names a package no document has: %s", pkg);
	}
	json_decref(docs);
	json_decref(objs);
	e2e_out_free(&r);
}

/* The path and the middle byte's offset of the first non-empty file of a
 * ustar archive; 0 when there is none. */
static int tar_first_file(const unsigned char *tar, size_t len, char *path, size_t size,
			  size_t *at)
{
	size_t off = 0;

	while (off + 512 <= len && tar[off] != '\0') {
		const char *h = (const char *)tar + off;
		char name[101], prefix[156], num[13];
		size_t fsize;

		memcpy(name, h, 100);
		name[100] = '\0';
		memcpy(prefix, h + 345, 155);
		prefix[155] = '\0';
		memcpy(num, h + 124, 12);
		num[12] = '\0';
		fsize = strtoul(num, NULL, 8);
		if ((h[156] == '0' || h[156] == '\0') && fsize > 0) {
			if (prefix[0])
				snprintf(path, size, "%s/%s", prefix, name);
			else
				snprintf(path, size, "%s", name);
			*at = off + 512 + fsize / 2;
			return 1;
		}
		off += 512 + (fsize + 511) / 512 * 512;
	}
	return 0;
}

/* A copy of the store with one flipped byte in one package's file: that
 * package's object has ok false and names the file, the others are ok,
 * and the exit status is 1. */
static void test_verify_json_damaged(void **state)
{
	char dir[512], store[600], pkgpath[1200], member[512], want[600];
	json_t *objs, *o, *docs;
	const char *rel = NULL, *file;
	unsigned char *tar;
	size_t len, at = 0, i, k;
	int damaged = 0;
	e2e_out r;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-verify-json"), 0);
	snprintf(store, sizeof store, "%s/store", dir);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);
	docs = e2e_docs_json(store);
	json_array_foreach(docs, k, o)
		if (rel == NULL && json_is_string(json_object_get(o, "package")))
			rel = json_string_value(json_object_get(o, "package"));
	assert_non_null(rel);
	snprintf(pkgpath, sizeof pkgpath, "%s/archive/%s", store, rel);
	tar = kt_test_read_file(pkgpath, &len);
	assert_non_null(tar);
	assert_true(tar_first_file(tar, len, member, sizeof member, &at));
	tar[at] ^= 0x10;
	kt_test_write_file(pkgpath, tar, len);
	free(tar);

	r = e2e_run(store, "verify", "--json", "--no-record", NULL);
	assert_int_equal(r.status, 1);
	kt_expect_not_in(r.out, "FAILED");
	objs = verify_objects(r.out);
	json_array_foreach(objs, i, o) {
		json_t *p;

		if (strcmp(json_string_value(json_object_get(o, "package")), rel) != 0) {
			assert_true(json_is_true(json_object_get(o, "ok")));
			continue;
		}
		damaged++;
		assert_true(json_is_false(json_object_get(o, "ok")));
		assert_true(json_array_size(json_object_get(o, "problems")) >= 1);
		p = json_array_get(json_object_get(o, "problems"), 0);
		file = json_string_value(json_object_get(p, "file"));
		assert_non_null(file);
		assert_non_null(json_string_value(json_object_get(p, "problem")));
		/* the member is "<package name>/<file>" */
		snprintf(want, sizeof want, "/%s", file);
		if (file[0] == '\0' || strlen(member) < strlen(want) ||
		    strcmp(member + strlen(member) - strlen(want), want) != 0)
			fail_msg("flipped '%s', verify --json names '%s'", member, file);
	}
	assert_int_equal(damaged, 1);
	json_decref(objs);
	json_decref(docs);
	e2e_out_free(&r);
	kt_test_remove_tree(dir);
}

static const kt_test_case cases[] = {
	KT_TEST(unknown_option),
	KT_TEST(missing_value),
	KT_TEST(bad_values),
	KT_TEST(help_everywhere),
	KT_TEST(option_forms),
	KT_TEST(double_dash),
	KT_TEST(search_warnings),
	KT_TEST(search_total),
	KT_TEST(no_store_refused),
	KT_TEST(ingest_makes_store),
	/* cases show, verify --json */
	KT_TEST(cases_show),
	KT_TEST(cases_show_unknown),
	KT_TEST(verify_json),
	KT_TEST(verify_json_damaged),
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
