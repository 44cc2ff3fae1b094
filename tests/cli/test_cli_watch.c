/*
 * test_cli_watch.c - `kartoteka watch` (issue 23, docs/watch.md): a file
 * written slowly in pieces is taken only when whole; a file renamed into
 * place is taken, its temporary name never; the same file dropped twice is
 * one document, the second copy moved to done as already done; files
 * dropped while the watcher is stopped are taken when it starts; a corrupt
 * file moves to the failed folder with its reason in NAME.txt; a subfolder
 * filled slowly is one batch named after it, its files in name order;
 * --keep leaves files in place and takes each once; a done folder inside the
 * watched one, a store there and no folder at all are refused; a watcher
 * running in the background takes a file dropped later and exits 0 on
 * SIGTERM; folders and options come from the service configuration.
 *
 * Born-digital PDFs (no OCR), each case in its own temporary folder with
 * its own store. Run as `test_cli_watch KARTOTEKA SAMPLES`.
 */
#include "e2e.h"
#include "kt_buf.h"
#include "kt_sha.h"
#include "kt_status.h"
#include "kt_test.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define LETTER "lv_vestule_digital.pdf"

typedef struct fx {
	char dir[512];
	char store[600], in[600], done[600], failed[600], log[600];
	pid_t pid;   /* a background watcher not yet waited for, else 0 */
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(kt_test_mkdtemp(f->dir, sizeof f->dir, "watch"), 0);
	snprintf(f->store, sizeof f->store, "%s/store", f->dir);
	snprintf(f->in, sizeof f->in, "%s/in", f->dir);
	snprintf(f->done, sizeof f->done, "%s/in.done", f->dir);
	snprintf(f->failed, sizeof f->failed, "%s/in.failed", f->dir);
	snprintf(f->log, sizeof f->log, "%s/watch.log", f->dir);
	assert_int_equal(mkdir(f->in, 0755), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	int st;

	/* a case that failed while its watcher ran */
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, &st, 0);
	}
	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* The letter with extra bytes, written as dir/as. */
static void drop(const char *dir, const char *as, const char *extra)
{
	e2e_copy_sample("pdf/" LETTER, dir, as, extra);
}

/* Append len bytes to path (made when missing), opened and closed. */
static void append(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static int exists(const char *dir, const char *name)
{
	char path[1400];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

/* Start `kartoteka --store STORE watch ARGS...` (NULL-terminated) in the
 * background, its stdout and stderr into f->log; its process id. */
static pid_t start(fx *f, ...)
{
	const char *argv[32];
	posix_spawn_file_actions_t fa;
	const char *a;
	int n = 0;
	va_list ap;
	pid_t pid;

	argv[n++] = E2E.kartoteka;
	argv[n++] = "--store";
	argv[n++] = f->store;
	argv[n++] = "watch";
	va_start(ap, f);
	while ((a = va_arg(ap, const char *)) != NULL && n < 31)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, f->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	if (posix_spawn(&pid, E2E.kartoteka, &fa, NULL, (char *const *)argv, environ) != 0)
		fail_msg("cannot start %s", E2E.kartoteka);
	posix_spawn_file_actions_destroy(&fa);
	f->pid = pid;
	return pid;
}

/* What the background watcher logged so far (malloc'd). */
static char *log_text(fx *f)
{
	char *s = (char *)kt_test_read_file(f->log, NULL);

	return s != NULL ? s : strdup("");
}

/* The exit status of pid, which must exit within secs (else killed and
 * the case fails). */
static int wait_exit(fx *f, pid_t pid, int secs)
{
	int st, i;

	for (i = 0; i < secs * 10; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid) {
			f->pid = 0;
			if (!WIFEXITED(st)) {
				char *l = log_text(f);

				fail_msg("watch did not exit normally (status %d): %s", st, l);
			}
			return WEXITSTATUS(st);
		}
		sleep_ms(100);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	f->pid = 0;
	{
		char *l = log_text(f);

		fail_msg("watch did not exit within %d s: %s", secs, l);
	}
	return -1;
}

/* SIGTERM to the background watcher: it must exit 0. */
static void stop(fx *f, pid_t pid)
{
	int rc;

	assert_int_equal(kill(pid, SIGTERM), 0);
	rc = wait_exit(f, pid, 60);
	if (rc != 0) {
		char *l = log_text(f);

		fail_msg("watch exited %d on SIGTERM: %s", rc, l);
	}
}

/* Wait until the log holds text (secs at most); fails the case if not. */
static void wait_log(fx *f, const char *text, int secs)
{
	int i;
	char *l = NULL;

	for (i = 0; i < secs * 10; i++) {
		l = log_text(f);
		if (strstr(l, text) != NULL) {
			free(l);
			return;
		}
		free(l);
		sleep_ms(100);
	}
	l = log_text(f);
	fail_msg("no '%s' in the log within %d s: %s", text, secs, l);
}

/* Wait until dir/name exists (secs at most); fails the case if not. */
static void wait_file(fx *f, const char *dir, const char *name, int secs)
{
	int i;

	for (i = 0; i < secs * 10; i++) {
		if (exists(dir, name))
			return;
		sleep_ms(100);
	}
	{
		char *l = log_text(f);

		fail_msg("no %s/%s within %d s: %s", dir, name, secs, l);
	}
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay != NULL; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* `watch ARGS... --once` in the foreground: its exit status must be want. */
static e2e_out once(fx *f, int want, const char *a1, const char *a2, const char *a3)
{
	e2e_out o = e2e_run(f->store, "watch", "--once", "--quiet", "1", a1, a2, a3, NULL);

	if (o.status != want)
		fail_msg("watch --once: exit %d (want %d)\nstdout: %s\nstderr: %s", o.status, want, o.out,
			 o.err);
	return o;
}

static size_t n_docs(fx *f)
{
	json_t *docs = e2e_docs_json(f->store);
	size_t n = json_array_size(docs);

	json_decref(docs);
	return n;
}

/* The local date as the watcher names a day's batch. */
static void today(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	assert_non_null(localtime_r(&now, &tm));
	strftime(out, size, "%Y-%m-%d", &tm);
}

static json_t *batches(fx *f)
{
	e2e_out o = e2e_run(f->store, "batches", "--json", NULL);
	json_t *b;

	assert_int_equal(o.status, 0);
	b = e2e_json_lines(o.out);
	assert_non_null(b);
	e2e_out_free(&o);
	return b;
}

/* A file written in six pieces, a second apart, each closed: a watcher
 * with a quiet period of 3 s started after the first must wait for the
 * whole file (the document's SHA-256 is that of all of it); one that took
 * it 3 s after it was found would take four pieces. */
static void test_slow_pieces(void **state)
{
	fx *f = *state;
	char path[700], hex[KT_SHA256_HEX];
	size_t len, piece, i;
	unsigned char *data = e2e_sample("pdf/" LETTER, "", &len);
	json_t *doc;
	pid_t pid;

	snprintf(path, sizeof path, "%s/slow.pdf", f->in);
	piece = len / 6;
	append(path, data, piece);
	pid = start(f, "--quiet", "3", "--once", f->in, NULL);
	for (i = 1; i < 6; i++) {
		sleep_ms(1000);
		append(path, data + i * piece, i == 5 ? len - 5 * piece : piece);
	}
	assert_int_equal(wait_exit(f, pid, 60), 0);
	assert_int_equal(kt_sha256_hex(data, len, hex), KT_OK);
	doc = e2e_doc_of(f->store, "slow.pdf", "done");
	assert_string_equal(json_string_value(json_object_get(doc, "sha256")), hex);
	json_decref(doc);
	assert_int_equal(n_docs(f), 1);
	assert_true(exists(f->done, "slow.pdf"));
	assert_false(exists(f->in, "slow.pdf"));
	assert_false(exists(f->failed, "slow.pdf"));
	free(data);
}

/* A file written under a temporary name and renamed into place: the
 * temporary name is never taken, the final one is. */
static void test_renamed(void **state)
{
	fx *f = *state;
	char part[700], final[700], *l;
	size_t len;
	unsigned char *data = e2e_sample("pdf/" LETTER, "renamed", &len);
	json_t *doc;
	pid_t pid;

	snprintf(part, sizeof part, "%s/scan.pdf.part", f->in);
	snprintf(final, sizeof final, "%s/scan.pdf", f->in);
	pid = start(f, "--quiet", "1", f->in, NULL);
	wait_log(f, "watching", 30);
	append(part, data, len / 2);
	sleep_ms(2500); /* over the quiet period: still not taken */
	l = log_text(f);
	kt_expect_not_in(l, "taken");
	free(l);
	assert_false(exists(f->failed, "scan.pdf.part"));
	append(part, data + len / 2, len - len / 2);
	assert_int_equal(rename(part, final), 0);
	wait_file(f, f->done, "scan.pdf", 30);
	stop(f, pid);
	doc = e2e_doc_of(f->store, "scan.pdf", "done");
	json_decref(doc);
	assert_int_equal(n_docs(f), 1);
	l = log_text(f);
	assert_int_equal(count(l, "taken '"), 1);
	free(l);
	free(data);
}

/* The same bytes dropped again (under its own name and another): one
 * document and one batch; the copies moved to done as already done,
 * beside the first, nothing overwritten. */
static void test_twice(void **state)
{
	fx *f = *state;
	json_t *b;
	e2e_out o;

	drop(f->in, "a.pdf", "");
	o = once(f, 0, f->in, NULL, NULL);
	e2e_out_free(&o);
	assert_true(exists(f->done, "a.pdf"));
	drop(f->in, "a.pdf", "");
	drop(f->in, "copy.pdf", "");
	o = once(f, 0, f->in, NULL, NULL);
	kt_expect_in(o.err, "already done as document");
	assert_int_equal(count(o.err, "already done as document"), 2);
	e2e_out_free(&o);
	assert_int_equal(n_docs(f), 1);
	assert_true(exists(f->done, "a.pdf"));
	assert_true(exists(f->done, "a (2).pdf"));
	assert_true(exists(f->done, "copy.pdf"));
	assert_false(exists(f->in, "a.pdf"));
	assert_false(exists(f->in, "copy.pdf"));
	assert_false(exists(f->dir, "in.failed/a.pdf"));
	b = batches(f);
	assert_int_equal(json_array_size(b), 1);
	json_decref(b);
}

/* Files dropped while no watcher runs are taken when one starts. */
static void test_stopped(void **state)
{
	fx *f = *state;
	char before[16], after[16];
	json_t *doc, *b;
	pid_t pid;
	e2e_out o;

	pid = start(f, "--quiet", "1", f->in, NULL);
	wait_log(f, "watching", 30);
	stop(f, pid);
	drop(f->in, "one.pdf", "1");
	drop(f->in, "two.pdf", "2");
	o = once(f, 0, f->in, NULL, NULL);
	e2e_out_free(&o);
	doc = e2e_doc_of(f->store, "one.pdf", "done");
	json_decref(doc);
	doc = e2e_doc_of(f->store, "two.pdf", "done");
	json_decref(doc);
	assert_true(exists(f->done, "one.pdf"));
	assert_true(exists(f->done, "two.pdf"));
	assert_false(exists(f->in, "one.pdf"));
	assert_false(exists(f->in, "two.pdf"));
	/* both loose files joined the folder's batch of the day (unless the
	 * day changed between the two) */
	today(before, sizeof before);
	b = batches(f);
	today(after, sizeof after);
	if (strcmp(before, after) == 0) {
		json_t *one = json_array_get(b, 0);
		char name[64];

		snprintf(name, sizeof name, "in-%s", before);
		assert_int_equal(json_array_size(b), 1);
		assert_string_equal(json_string_value(json_object_get(one, "name")), name);
		assert_int_equal(json_integer_value(json_object_get(one, "files")), 2);
		assert_int_equal(json_integer_value(json_object_get(one, "done")), 2);
		assert_false(json_is_null(json_object_get(one, "ended")));
	}
	json_decref(b);
}

/* A corrupt file moves to failed, its reason beside it in NAME.txt; the
 * exit status of --once says that something failed. */
static void test_corrupt(void **state)
{
	fx *f = *state;
	static const char junk[] = "%PDF-1.4\nthis is no document at all\n";
	char path[700], *txt;
	const char *why;
	json_t *doc;
	e2e_out o;

	snprintf(path, sizeof path, "%s/broken.pdf", f->in);
	kt_test_write_file(path, junk, strlen(junk));
	drop(f->in, "good.pdf", "");
	o = once(f, 1, f->in, NULL, NULL);
	kt_expect_in(o.err, "failed '");
	e2e_out_free(&o);
	doc = e2e_doc_of(f->store, "broken.pdf", "failed");
	why = json_string_value(json_object_get(doc, "error"));
	assert_non_null(why);
	assert_true(exists(f->failed, "broken.pdf"));
	snprintf(path, sizeof path, "%s/broken.pdf.txt", f->failed);
	txt = (char *)kt_test_read_file(path, NULL);
	if (txt == NULL)
		fail_msg("no %s", path);
	kt_expect_in(txt, why);
	free(txt);
	json_decref(doc);
	assert_false(exists(f->in, "broken.pdf"));
	assert_false(exists(f->done, "broken.pdf"));
	assert_true(exists(f->done, "good.pdf"));
	assert_false(exists(f->failed, "good.pdf"));
}

/* A subfolder filled a file a second, in reverse name order, with a quiet
 * period of 3 s: one batch of its name holding all six, its files in name
 * order, moved to done as a folder; the emptied subfolder is gone. */
static void test_subfolder(void **state)
{
	fx *f = *state;
	char sub[700], name[32], rel[64];
	long long last = 0;
	json_t *d, *b;
	pid_t pid = -1;
	int i;

	snprintf(sub, sizeof sub, "%s/Jansons", f->in);
	assert_int_equal(mkdir(sub, 0755), 0);
	for (i = 6; i >= 1; i--) {
		snprintf(name, sizeof name, "%02d.pdf", i);
		drop(sub, name, name);
		if (i == 6)
			pid = start(f, "--quiet", "3", "--once", f->in, NULL);
		if (i > 1)
			sleep_ms(1000);
	}
	assert_int_equal(wait_exit(f, pid, 60), 0);
	for (i = 1; i <= 6; i++) {
		snprintf(rel, sizeof rel, "Jansons/%02d.pdf", i);
		d = e2e_doc_of(f->store, rel, "done");
		assert_true(json_integer_value(json_object_get(d, "id")) > last);
		last = json_integer_value(json_object_get(d, "id"));
		assert_string_equal(json_string_value(json_object_get(d, "batch")), "Jansons");
		json_decref(d);
		assert_true(exists(f->done, rel));
	}
	b = batches(f);
	assert_int_equal(json_array_size(b), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "name")), "Jansons");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "files")), 6);
	json_decref(b);
	assert_false(exists(f->in, "Jansons"));
}

/* --keep: the file stays, is taken once while the watcher runs (scans
 * every second), and a later watcher says it is already done without a
 * batch of its own. */
static void test_keep(void **state)
{
	fx *f = *state;
	char *l;
	json_t *b;
	pid_t pid;
	e2e_out o;

	pid = start(f, "--keep", "--poll", "1", "--quiet", "1", f->in, NULL);
	wait_log(f, "watching", 30);
	drop(f->in, "k.pdf", "");
	wait_log(f, "done '", 30);
	sleep_ms(3000); /* three scans */
	stop(f, pid);
	l = log_text(f);
	assert_int_equal(count(l, "taken '"), 1);
	free(l);
	assert_true(exists(f->in, "k.pdf"));
	assert_false(exists(f->dir, "in.done"));
	assert_int_equal(n_docs(f), 1);
	o = e2e_run(f->store, "watch", "--keep", "--once", "--quiet", "1", f->in, NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.err, "already done as document");
	e2e_out_free(&o);
	assert_true(exists(f->in, "k.pdf"));
	b = batches(f);
	assert_int_equal(json_array_size(b), 1);
	json_decref(b);
}

/* A done folder inside the watched one, a store inside it and no folder
 * at all are refused (exit 2), with nothing made. */
static void test_refused(void **state)
{
	fx *f = *state;
	char inner[700], store[700];
	e2e_out o;

	drop(f->in, "x.pdf", "");
	snprintf(inner, sizeof inner, "%s/done", f->in);
	o = e2e_run(f->store, "watch", "--once", "--done", inner, f->in, NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "inside the watched folder");
	e2e_out_free(&o);
	assert_false(exists(f->in, "done"));
	snprintf(inner, sizeof inner, "%s/sub/failed", f->in);
	o = e2e_run(f->store, "watch", "--once", "--failed", inner, f->in, NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	assert_false(exists(f->in, "sub"));
	snprintf(store, sizeof store, "%s/store", f->in);
	o = e2e_run(store, "watch", "--once", f->in, NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "store");
	e2e_out_free(&o);
	assert_false(exists(f->in, "store"));
	o = e2e_run(f->store, "watch", "--once", NULL);
	assert_int_equal(o.status, 2);
	kt_expect_in(o.err, "no folder");
	e2e_out_free(&o);
	assert_false(exists(f->dir, "store"));
	assert_true(exists(f->in, "x.pdf"));
}

/* A watcher in the background takes a file dropped after it started and
 * exits 0 on SIGTERM. */
static void test_background(void **state)
{
	fx *f = *state;
	json_t *doc;
	char *l;
	pid_t pid;

	pid = start(f, "--quiet", "1", f->in, NULL);
	wait_log(f, "watching", 30);
	sleep_ms(500);
	drop(f->in, "late.pdf", "late");
	wait_file(f, f->done, "late.pdf", 30);
	stop(f, pid);
	doc = e2e_doc_of(f->store, "late.pdf", "done");
	json_decref(doc);
	l = log_text(f);
	kt_expect_in(l, "moved '");
	kt_expect_in(l, "stopped");
	kt_expect_not_in(l, "\033[");
	free(l);
}

/* The watch, done, failed and quiet lines of the service configuration
 * stand for folders and options not given. */
static void test_config(void **state)
{
	fx *f = *state;
	char conf[700], text[2400];
	e2e_out o;

	snprintf(conf, sizeof conf, "%s/kartoteka.conf", f->dir);
	snprintf(text, sizeof text, "watch = %s\ndone = %s/ok\nfailed = %s/bad\nquiet = 1\n", f->in,
		 f->dir, f->dir);
	kt_test_write_file(conf, text, strlen(text));
	drop(f->in, "c.pdf", "c");
	setenv("KARTOTEKA_CONFIG", conf, 1);
	o = e2e_run(f->store, "watch", "--once", NULL);
	setenv("KARTOTEKA_CONFIG", "", 1);
	if (o.status != 0)
		fail_msg("watch --once: exit %d: %s", o.status, o.err);
	e2e_out_free(&o);
	assert_true(exists(f->dir, "ok/c.pdf"));
	assert_true(exists(f->dir, "bad"));
	assert_false(exists(f->dir, "in.done"));
}

static const kt_test_case cases[] = {
	KT_TEST_FX(slow_pieces, setup, teardown),
	KT_TEST_FX(renamed, setup, teardown),
	KT_TEST_FX(twice, setup, teardown),
	KT_TEST_FX(stopped, setup, teardown),
	KT_TEST_FX(corrupt, setup, teardown),
	KT_TEST_FX(subfolder, setup, teardown),
	KT_TEST_FX(keep, setup, teardown),
	KT_TEST_FX(refused, setup, teardown),
	KT_TEST_FX(background, setup, teardown),
	KT_TEST_FX(config, setup, teardown),
};

/* KARTOTEKA SAMPLES */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = NULL;
	E2E.work = NULL;
	/* no service configuration of this machine */
	setenv("KARTOTEKA_CONFIG", "", 1);
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_watch", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES", .n_args = 2, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
