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
 * when they make a store, and a store the user cannot write is read.
 */
#include "e2e.h"
#include "kt_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Call fn on path and, for a folder, on everything under it (links not
 * followed), in name order. */
static void walk(const char *path, void (*fn)(const char *path, const struct stat *st))
{
	struct dirent **names = NULL;
	struct stat st;
	int n, i;

	if (lstat(path, &st) != 0)
		return;
	fn(path, &st);
	if (!S_ISDIR(st.st_mode) || (n = scandir(path, &names, NULL, alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		char sub[4096];

		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0 &&
		    snprintf(sub, sizeof sub, "%s/%s", path, names[i]->d_name) < (int)sizeof sub)
			walk(sub, fn);
		free(names[i]);
	}
	free(names);
}

/* Every entry under a tree with its size and modification time, one a line. */
static char listing[1 << 16];
static size_t listing_len;

static void list_one(const char *path, const struct stat *st)
{
	int n = snprintf(listing + listing_len, sizeof listing - listing_len, "%s %lld %lld.%09ld\n",
			 path, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
			 st->st_mtim.tv_nsec);

	if (n > 0 && (size_t)n < sizeof listing - listing_len)
		listing_len += (size_t)n;
}

static char *list_tree(const char *root)
{
	listing_len = 0;
	listing[0] = '\0';
	walk(root, list_one);
	return strdup(listing);
}

/* Readable by everyone (a copy made by root is read as another user),
 * writable by no one. */
static void read_only_one(const char *path, const struct stat *st)
{
	if (!S_ISLNK(st->st_mode))
		chmod(path, (st->st_mode & 07555) | 0444 | (S_ISDIR(st->st_mode) ? 0111 : 0));
}

/* A malloc'd message about one run. */
static char *run_message(const char *what, const e2e_out *o)
{
	size_t n = strlen(what) + strlen(o->out) + strlen(o->err) + 64;
	char *m = malloc(n);

	if (m != NULL)
		snprintf(m, n, "%s: exit %d, stdout: %s, stderr: %s", what, o->status, o->out, o->err);
	return m;
}

/* The reads of a read-only store, run as a user who cannot write it: NULL
 * when they all behave, else what did not (malloc'd). */
static char *read_only_reads(const char *store)
{
	char *why = NULL;
	e2e_out o;

	o = e2e_run(store, "verify", NULL);
	if (o.status != 0 || strstr(o.out, "all intact") == NULL ||
	    strstr(o.err, "without recording") == NULL) {
		why = run_message("verify", &o);
		e2e_out_free(&o);
		return why ? why : strdup("verify");
	}
	e2e_out_free(&o);
	{
		const char *const cmds[][3] = {
			{ "docs", "--json" }, { "show", "1" }, { "search", "Karimi" }, { "batches" },
			{ "user", "list" }, { "audit" }, { "verify", "--no-record" },
		};

		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
			o = e2e_run(store, cmds[i][0], cmds[i][1], cmds[i][2], NULL);
			if (o.status != 0 || (strcmp(cmds[i][0], "user") == 0 &&
					      strstr(o.out, "reader-anna") == NULL)) {
				why = run_message(cmds[i][0], &o);
				e2e_out_free(&o);
				return why ? why : strdup(cmds[i][0]);
			}
			e2e_out_free(&o);
		}
	}
	return NULL;
}

/* 1 when this process cannot make a file in dir (it is really read-only). */
static int cannot_write(const char *dir)
{
	char probe[700];
	int fd;

	snprintf(probe, sizeof probe, "%s/.write-probe", dir);
	fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return errno == EACCES || errno == EROFS || errno == EPERM;
	close(fd);
	unlink(probe);
	return 0;
}

/*
 * A store its user may not write (a copy, chmod -R a-w) can be read: verify
 * checks and reports without recording (and says so), audit and user list
 * read the access database read-only, and nothing in the store changes.
 * Root passes permission bits, so as root the reads run in a child process
 * that has become the user nobody (65534); where that is not possible, or
 * the copy is still writable, the case is skipped with the reason.
 */
static void test_read_only_store(void **state)
{
	static const char header[] =
		"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status\n";
	char dir[512], store[600], store2[600], pw[700], csv[600], why[800] = "";
	char *before, *after, *before2, *after2, *bad = NULL;
	int saved, fd, status = 0;
	e2e_out o;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-ro"), 0);
	snprintf(store, sizeof store, "%s/store", dir);
	snprintf(pw, sizeof pw, "%s/password", dir);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);
	/* a user, so that user list has something to read: password on stdin */
	kt_test_write_file(pw, "a-reader-password\n", 18);
	saved = dup(0);
	fd = open(pw, O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 0);
	close(fd);
	o = e2e_run(store, "user", "add", "reader-anna", "--role", "admin", NULL);
	dup2(saved, 0);
	close(saved);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	unlink(pw);
	/* the fixture's catalog has its -wal and -shm files; a store closed by
	 * its last writer has none (the catalog read as it is): both kinds */
	snprintf(store2, sizeof store2, "%s/store2", dir);
	snprintf(csv, sizeof csv, "%s/cases.csv", dir);
	assert_int_equal(e2e_copy_tree(store, store2), 0);
	kt_test_write_file(csv, header, sizeof header - 1);
	o = e2e_run(store2, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(pw, sizeof pw, "%s/catalog.sqlite-shm", store2);
	assert_int_not_equal(access(pw, F_OK), 0);

	walk(dir, read_only_one);
	before = list_tree(store);
	before2 = list_tree(store2);
	if (geteuid() != 0) {
		if (!cannot_write(store))
			snprintf(why, sizeof why, "the read-only copy '%s' is still writable", store);
		else if ((bad = read_only_reads(store)) == NULL)
			bad = read_only_reads(store2);
	} else {
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			char *b;

			if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
				fprintf(stderr, "cannot become the user nobody: %s\n", strerror(errno));
				_exit(77);
			}
			if (access(E2E.kartoteka, X_OK) != 0 || access(store, R_OK | X_OK) != 0) {
				fprintf(stderr, "the user nobody cannot reach '%s' or '%s'\n", E2E.kartoteka,
					store);
				_exit(77);
			}
			if (!cannot_write(store)) {
				fprintf(stderr, "the read-only copy '%s' is still writable\n", store);
				_exit(77);
			}
			b = read_only_reads(store);
			if (b == NULL)
				b = read_only_reads(store2);
			if (b != NULL)
				fprintf(stderr, "%s\n", b);
			_exit(b == NULL ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
			snprintf(why, sizeof why, "running as root and cannot read as another user (see above)");
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = strdup("a read of the read-only store as the user nobody failed (see above)");
	}
	after = list_tree(store);
	after2 = list_tree(store2);
	kt_test_remove_tree(dir);
	if (why[0] != '\0') {
		free(before);
		free(after);
		free(before2);
		free(after2);
		fprintf(stderr, "skipped: %s\n", why);
		skip();
	}
	if (bad != NULL)
		fail_msg("%s", bad);
	/* nothing was recorded, nothing made (no journal, no -shm file) */
	assert_string_equal(before, after);
	assert_string_equal(before2, after2);
	free(before);
	free(after);
	free(before2);
	free(after2);
}

static const kt_test_case cases[] = {
	KT_TEST(unknown_option),
	KT_TEST(missing_value),
	KT_TEST(bad_values),
	KT_TEST(help_everywhere),
	KT_TEST(option_forms),
	KT_TEST(double_dash),
	KT_TEST(search_warnings),
	KT_TEST(no_store_refused),
	KT_TEST(ingest_makes_store),
	KT_TEST(read_only_store),
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
