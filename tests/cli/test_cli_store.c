/*
 * test_cli_store.c - what the command line does with the store it reads:
 * a store the user cannot write is read (verify without recording, audit
 * and user list read-only, nothing changed), and reads of personal data
 * (show, docs, export, case, search) are audited with the operating system
 * user (issue 17 item 9): a row each in the store's access.sqlite, made
 * when missing; the read refused when the row cannot be written to a store
 * that can be; on a store the user cannot write, not recorded and said on
 * stderr. Run as `test_cli_store KARTOTEKA STORE` against the e2e fixture
 * store, which it only copies: these reads write. And `kartoteka init`,
 * which makes a new store and nothing else.
 */
#include "e2e.h"
#include "kt_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A case of the samples with documents. */
#define AUDIT_CASE "PMLP-LV-2024-000912"

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
			{ "docs", "--json" }, { "show", "1" }, { "search", "Karimi" },
			{ "case", AUDIT_CASE }, { "batches" },
			{ "user", "list" }, { "audit" }, { "verify", "--no-record" },
		};

		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
			o = e2e_run(store, cmds[i][0], cmds[i][1], cmds[i][2], NULL);
			int personal = strcmp(cmds[i][0], "docs") == 0 || strcmp(cmds[i][0], "show") == 0 ||
				       strcmp(cmds[i][0], "search") == 0 || strcmp(cmds[i][0], "case") == 0;

			if (o.status != 0 || (strcmp(cmds[i][0], "user") == 0 &&
					      strstr(o.out, "reader-anna") == NULL) ||
			    (personal && strstr(o.err, "the store cannot be written: this read is not"
						" recorded in the audit log") == NULL)) {
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

/* The operating system user, as the audit log records it. */
static void os_user(char *out, size_t n)
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw != NULL)
		snprintf(out, n, "%s", pw->pw_name);
	else
		snprintf(out, n, "uid:%lu", (unsigned long)geteuid());
}

/* 1 when the audit log of store (audit --json: one row per line) has a row
 * of the command line: this user, role cli, action, object, remote local. */
static int audit_has(const char *store, const char *action, const char *object)
{
	char user[256];
	e2e_out o = e2e_run(store, "audit", "--json", NULL);
	int found = 0;

	os_user(user, sizeof user);
	assert_int_equal(o.status, 0);
	for (char *line = o.out, *next; line != NULL && *line != '\0'; line = next) {
		json_t *r;
		const char *f[5];

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if ((r = json_loads(line, 0, NULL)) == NULL)
			fail_msg("audit --json: not a JSON row: %s", line);
		f[0] = json_string_value(json_object_get(r, "user"));
		f[1] = json_string_value(json_object_get(r, "role"));
		f[2] = json_string_value(json_object_get(r, "action"));
		f[3] = json_string_value(json_object_get(r, "object"));
		f[4] = json_string_value(json_object_get(r, "remote"));
		if (f[0] && f[1] && f[2] && f[3] && f[4] && strcmp(f[0], user) == 0 &&
		    strcmp(f[1], "cli") == 0 && strcmp(f[2], action) == 0 && strcmp(f[3], object) == 0 &&
		    strcmp(f[4], "local") == 0)
			found = 1;
		json_decref(r);
	}
	e2e_out_free(&o);
	return found;
}

/*
 * Reads of personal data on the command line are audited (issue 17 item 9):
 * show, docs, export, case and search each write a row with the operating
 * system user, role "cli", remote "local" and what was read, in a store
 * that had no access.sqlite yet (ingest makes none), and say nothing about
 * it on stderr.
 */
static void test_audit_reads(void **state)
{
	static const struct {
		const char *args[4], *action, *object;
	} reads[] = {
		{ { "show", "1" }, "show", "doc:1" },
		{ { "show", "--json", "3" }, "show", "doc:3" },
		{ { "docs", "--json" }, "docs", "all" },
		{ { "case", AUDIT_CASE }, "case", "case:" AUDIT_CASE },
		{ { "search", "Karimi" }, "search", "Karimi" },
		{ { "export", "1", NULL }, "export", "doc:1" },
	};
	char dir[512], store[600], out[700];

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-audit"), 0);
	snprintf(store, sizeof store, "%s/store", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);
	snprintf(out, sizeof out, "%s/access.sqlite", store);
	unlink(out); /* as ingest leaves a store: no access database yet */
	snprintf(out, sizeof out, "%s/out", dir);
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		const char *a2 = reads[i].args[2];
		e2e_out o;

		if (strcmp(reads[i].action, "export") == 0)
			a2 = out;
		o = e2e_run(store, reads[i].args[0], reads[i].args[1], a2, NULL);
		if (o.status != 0 || strstr(o.err, "audit") != NULL)
			fail_msg("%s: exit %d, stderr: %s", reads[i].args[0], o.status, o.err);
		e2e_out_free(&o);
		if (!audit_has(store, reads[i].action, reads[i].object))
			fail_msg("%s: no audit row %s %s", reads[i].args[0], reads[i].action,
				 reads[i].object);
	}
	kt_test_remove_tree(dir);
}

/* When the audit row cannot be written on a store that can be (here the
 * access database is no database), the read is refused: exit 2, nothing
 * printed on stdout, the reason on stderr. */
static void test_audit_fail_closed(void **state)
{
	static const char junk[] = "this is not an SQLite database, not at all, not even close....\n";
	const char *const cmds[][3] = {
		{ "show", "1" }, { "docs" }, { "case", AUDIT_CASE }, { "search", "Karimi" },
	};
	char dir[512], store[600], path[700];

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-audit-closed"), 0);
	snprintf(store, sizeof store, "%s/store", dir);
	assert_int_equal(e2e_copy_tree(E2E.store, store), 0);
	snprintf(path, sizeof path, "%s/access.sqlite", store);
	unlink(path);
	kt_test_write_file(path, junk, sizeof junk - 1);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		e2e_out o = e2e_run(store, cmds[i][0], cmds[i][1], cmds[i][2], NULL);

		if (o.status != 2 || o.out[0] != '\0' ||
		    strstr(o.err, "cannot record this read in the audit log") == NULL)
			fail_msg("%s: exit %d, stdout: %.200s, stderr: %s", cmds[i][0], o.status, o.out,
				 o.err);
		e2e_out_free(&o);
	}
	snprintf(path, sizeof path, "%s/out", dir);
	{
		e2e_out o = e2e_run(store, "export", "1", path, NULL);

		assert_int_equal(o.status, 2);
		kt_expect_in(o.err, "cannot record this read in the audit log");
		assert_int_not_equal(access(path, F_OK), 0);
		e2e_out_free(&o);
	}
	kt_test_remove_tree(dir);
}

/* 1 when path is a regular file (want_dir 0) or a folder (1). */
static int is_kind(const char *dir, const char *name, int want_dir)
{
	char path[900];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* `kartoteka --store store init` must be refused with status and a message
 * naming the path and holding why; nothing under dir changes. */
static void init_refused(const char *dir, const char *store, int status, const char *why)
{
	char *before = list_tree(dir), *after;
	e2e_out o = e2e_run(store, "init", NULL);

	if (o.status != status || strstr(o.err, store) == NULL || strstr(o.err, why) == NULL ||
	    strstr(o.out, "made a new store") != NULL)
		fail_msg("init '%s': exit %d (want %d), stdout: %s, stderr: %s (want '%s')", store,
			 o.status, status, o.out, o.err, why);
	e2e_out_free(&o);
	after = list_tree(dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/*
 * `kartoteka init` makes a new, empty store: the folder (and its missing
 * parents), kartoteka.conf, the catalog, the index, the archive folder and
 * the access database, which every command then reads as an empty store. On
 * a store (made by init, or by ingest and cases import) it says so, exits 0
 * and changes nothing. A folder that holds something else, or a file, is
 * refused with exit 1 and the reason; a path that cannot be made fails with
 * exit 2, naming it.
 */
static void test_init(void **state)
{
	static const char *const files[] = { "kartoteka.conf", "catalog.sqlite", "access.sqlite" };
	char dir[512], store[600], want[700], other[600], bad[800], *before, *after;
	e2e_out o;
	size_t i;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "cli-init"), 0);
	snprintf(store, sizeof store, "%s/new/store", dir);
	o = e2e_run(store, "init", NULL);
	snprintf(want, sizeof want, "made a new store at '%s'", store);
	if (o.status != 0 || strstr(o.out, want) == NULL)
		fail_msg("init: exit %d, stdout: %s, stderr: %s", o.status, o.out, o.err);
	e2e_out_free(&o);
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		if (!is_kind(store, files[i], 0))
			fail_msg("init made no file '%s'", files[i]);
	assert_true(is_kind(store, "archive", 1));
	assert_true(is_kind(store, "xapian", 1));
	/* an empty store to every reader */
	o = e2e_run(store, "search", "anything", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "0 hits");
	e2e_out_free(&o);
	o = e2e_run(store, "docs", "--json", NULL);
	assert_int_equal(o.status, 0);
	assert_string_equal(o.out, "");
	e2e_out_free(&o);
	o = e2e_run(store, "verify", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "verified 0 packages");
	e2e_out_free(&o);

	/* a store already, however named: said, nothing changed */
	before = list_tree(dir);
	o = e2e_run(store, "init", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "is a store already");
	kt_expect_not_in(o.out, "made a new store");
	e2e_out_free(&o);
	o = e2e_run("/nonexistent-kt-store", "init", "--store", store, NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "is a store already");
	e2e_out_free(&o);
	after = list_tree(dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* ... one that ingest and cases import made, too */
	snprintf(other, sizeof other, "%s/fixture", dir);
	assert_int_equal(e2e_copy_tree(E2E.store, other), 0);
	before = list_tree(other);
	o = e2e_run(other, "init", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "is a store already");
	e2e_out_free(&o);
	after = list_tree(other);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* a folder with something in it, and a file: refused */
	snprintf(other, sizeof other, "%s/papers", dir);
	assert_int_equal(mkdir(other, 0755), 0);
	snprintf(want, sizeof want, "%s/notes.txt", other);
	kt_test_write_file(want, "mine\n", 5);
	init_refused(dir, other, 1, "not empty");
	assert_false(is_kind(other, "kartoteka.conf", 0));
	init_refused(dir, want, 1, "not a folder");
	/* a path that cannot be made (under a file) fails, naming it */
	snprintf(bad, sizeof bad, "%s/store", want);
	init_refused(dir, bad, 2, "cannot make a store at");
	/* ... or under a folder this user may not write (root may) */
	if (geteuid() != 0) {
		snprintf(other, sizeof other, "%s/locked", dir);
		assert_int_equal(mkdir(other, 0555), 0);
		snprintf(bad, sizeof bad, "%s/store", other);
		init_refused(dir, bad, 2, "cannot make a store at");
	}
	/* an empty folder is made a store */
	snprintf(other, sizeof other, "%s/empty", dir);
	assert_int_equal(mkdir(other, 0755), 0);
	o = e2e_run(other, "init", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "made a new store at");
	e2e_out_free(&o);
	assert_true(is_kind(other, "kartoteka.conf", 0));
	kt_test_remove_tree(dir);
}

static const kt_test_case cases[] = {
	KT_TEST(read_only_store),
	KT_TEST(audit_reads),
	KT_TEST(audit_fail_closed),
	KT_TEST(init),
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
		.name = "test_cli_store", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA STORE", .n_args = 2, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
