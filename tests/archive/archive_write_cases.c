/*
 * archive_write_cases.c - test_archive cases: rewriting is a no-op, the
 * bytes are deterministic, crash safety with fault injection, hostile source
 * names, refused payload paths, reading one file, bad relative paths.
 */
#include "archive_test.h"

void test_rewrite_is_noop(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL, *rel2 = NULL;
	struct stat st1, st2;
	size_t l1, l2;
	unsigned char *b1, *b2;

	write_ok(f, &p, &rel);
	assert_int_equal(stat(path_in(f, rel), &st1), 0);
	b1 = kt_test_read_file(path_in(f, rel), &l1);
	/* Same name, later clock, other payload: still nothing is touched. */
	kt_archive_set_bagging_time(f->a, FIXED_TIME + 86400);
	files4[3].data = "changed";
	files4[3].len = 7;
	assert_int_equal(kt_archive_write(f->a, &p, &rel2), KT_OK);
	assert_string_equal(rel, rel2);
	assert_int_equal(stat(path_in(f, rel), &st2), 0);
	b2 = kt_test_read_file(path_in(f, rel), &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st1.st_mtime, st2.st_mtime);
	assert_int_equal(count_temps(path_in(f, "ab"), ".kt-"), 0);
	verify_clean(f, rel);
	free(b1);
	free(b2);
	free(rel);
	free(rel2);
}

void test_deterministic_bytes(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	kt_archive *b = kt_archive_new();
	char store2[600], *rel = NULL, *rel2 = NULL, path2[1200];
	kt_archive_file shuffled[4];
	size_t l1, l2;
	unsigned char *b1, *b2;

	write_ok(f, &p, &rel);
	snprintf(store2, sizeof store2, "%s/store2", f->dir);
	assert_int_equal(kt_archive_open(b, store2), KT_OK);
	kt_archive_set_bagging_time(b, FIXED_TIME);
	/* The callers' order of files does not matter. */
	shuffled[0] = files4[3];
	shuffled[1] = files4[1];
	shuffled[2] = files4[0];
	shuffled[3] = files4[2];
	p.files = shuffled;
	assert_int_equal(kt_archive_write(b, &p, &rel2), KT_OK);
	snprintf(path2, sizeof path2, "%s/%s", store2, rel2);
	b1 = kt_test_read_file(path_in(f, rel), &l1);
	b2 = kt_test_read_file(path2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	/* Another bagging day: same length, only dates and mtimes differ. */
	chmod(path2, 0644);
	remove(path2);
	kt_archive_set_bagging_time(b, FIXED_TIME + 86400 * 3);
	assert_int_equal(kt_archive_write(b, &p, NULL), KT_OK);
	free(b2);
	b2 = kt_test_read_file(path2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_not_equal(b1, b2, l1);
	free(b1);
	free(b2);
	free(rel);
	free(rel2);
	kt_archive_free(&b);
}

void test_crash_leaves_temp_only(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL, tmp[1200];
	struct stat st;
	int fd, n = -1;

	/* A crashed writer's leftover: a partial temp file in the shard folder. */
	assert_int_equal(mkdir(path_in(f, "ab"), 0755), 0);
	snprintf(tmp, sizeof tmp, "%s/." NAME ".tar.tmp-Xy12Zq", path_in(f, "ab"));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "partial tar", 11), 11);
	close(fd);
	assert_int_not_equal(stat(path_in(f, RELPATH), &st), 0);
	/* A verify of the final name says it is missing: nothing under a final name. */
	assert_int_equal(kt_archive_verify(f->a, RELPATH, NULL, NULL, NULL), KT_FAILED);

	write_ok(f, &p, &rel);
	verify_clean(f, rel);
	assert_int_equal(count_temps(path_in(f, "ab"), ".kt-"), 1);
	/* A young temp survives a sweep with an age; a zero age clears it. */
	assert_int_equal(kt_archive_sweep(f->a, 3600, &n), KT_OK);
	assert_int_equal(n, 0);
	assert_int_equal(kt_archive_sweep(f->a, 0, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count_temps(path_in(f, "ab"), ".kt-"), 0);
	verify_clean(f, rel);
	free(rel);
}

/* The fault hook of the crash and fail tests: at the step-th "archive_io"
 * operation, fail it (EIO) or end the process as a crash would. */
typedef struct io_fault {
	int step, count, hit, crash;
} io_fault;

static int io_fault_hook(const char *site, void *arg)
{
	io_fault *f = arg;

	if (strcmp(site, "archive_io") != 0 || ++f->count != f->step)
		return 0;
	f->hit = 1;
	if (f->crash)
		_exit(86);
	return 1;
}

/* Kill the writer (_exit) at every I/O step in turn, in a child process. */
void test_crash_at_every_step(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	int step, finished = 0;

	for (step = 1; step < 200 && !finished; step++) {
		char store[600];
		kt_archive *a = kt_archive_new();
		struct stat st;
		pid_t pid;
		int status;

		snprintf(store, sizeof store, "%s/crash-%d", f->dir, step);
		assert_int_equal(kt_archive_open(a, store), KT_OK);
		kt_archive_set_bagging_time(a, FIXED_TIME);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			io_fault fault = { step, 0, 0, 1 };

			kt_fault_install(io_fault_hook, &fault);
			_exit(kt_archive_write(a, &p, NULL) == KT_OK ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 0)
			finished = 1; /* the step count is past the last I/O step */
		else
			assert_int_equal(WEXITSTATUS(status), 86);
		/* Whatever stands under the final name is whole. */
		{
			char final[1200];
			snprintf(final, sizeof final, "%s/" RELPATH, store);
			if (stat(final, &st) == 0) {
				probs pr;
				memset(&pr, 0, sizeof pr);
				assert_int_equal(kt_archive_verify(a, RELPATH, collect, &pr, NULL), KT_OK);
			}
		}
		/* A later write succeeds and verifies. */
		assert_int_equal(kt_archive_write(a, &p, NULL), KT_OK);
		assert_int_equal(kt_archive_verify(a, RELPATH, NULL, NULL, NULL), KT_OK);
		assert_int_equal(kt_archive_sweep(a, 0, NULL), KT_OK);
		{
			char shard[700];
			snprintf(shard, sizeof shard, "%s/ab", store);
			assert_int_equal(count_temps(shard, ".kt-"), 0);
		}
		kt_archive_free(&a);
	}
	assert_true(finished);
	assert_true(step > 8); /* the write has that many I/O steps at least */
}

/* Fail (EIO) at every I/O step in turn: a failed write leaves nothing. */
void test_fail_at_every_step(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	int step, finished = 0;

	for (step = 1; step < 200 && !finished; step++) {
		char store[600], final[1200], shard[700];
		kt_archive *a = kt_archive_new();
		struct stat st;
		int rc;

		snprintf(store, sizeof store, "%s/fail-%d", f->dir, step);
		snprintf(final, sizeof final, "%s/" RELPATH, store);
		snprintf(shard, sizeof shard, "%s/ab", store);
		assert_int_equal(kt_archive_open(a, store), KT_OK);
		kt_archive_set_bagging_time(a, FIXED_TIME);
		io_fault fault = { step, 0, 0, 0 };

		kt_fault_install(io_fault_hook, &fault);
		rc = kt_archive_write(a, &p, NULL);
		kt_fault_install(NULL, NULL);
		if (!fault.hit) {
			assert_int_equal(rc, KT_OK);
			finished = 1;
		} else if (rc == KT_WARN) {
			/* in place; only the temporary name could not be removed */
			assert_int_equal(stat(final, &st), 0);
			assert_int_equal(count_temps(shard, ".kt-"), 1);
		} else {
			assert_int_equal(rc, KT_FAILED);
			assert_true(strlen(kt_archive_errmsg(a)) > 0);
			assert_int_equal(count_temps(shard, ".kt-"), 0);
			if (stat(final, &st) == 0) /* failed after the link: whole */
				assert_int_equal(kt_archive_verify(a, RELPATH, NULL, NULL, NULL), KT_OK);
		}
		assert_int_equal(kt_archive_write(a, &p, NULL), KT_OK);
		assert_int_equal(kt_archive_verify(a, RELPATH, NULL, NULL, NULL), KT_OK);
		kt_archive_free(&a);
	}
	assert_true(finished);
}

/* Every durable step of a package write into a new store, in order. */
#define DURABLE_STEPS                                                                  \
	"archive_mkdir archive_rootsync archive_tmp archive_data archive_fsync archive_link " \
	"archive_unlink archive_dirsync"

/* The durable steps of kt_archive_write, as kt_fault_done reports them:
 * a new shard folder synced into the store, the temporary file written and
 * synced, linked into place, the folder synced (issue 17: removing the fsync
 * of the file or of its folder passed every test). The next package into
 * that shard makes no folder; a package that exists is only its folder
 * synced; a write failed at any I/O step reports a prefix of the steps,
 * nothing after the failed one (but for the temporary name, which a sweep
 * removes later). */
void test_durable_order(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *trace, *rel = NULL;
	int step, finished = 0;

	kt_fault_trace_begin();
	assert_int_equal(kt_archive_write(f->a, &p, &rel), KT_OK);
	assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
	assert_string_equal(trace, DURABLE_STEPS);
	free(trace);
	verify_clean(f, rel);
	free(rel);
	/* the same package again: in place already, its folder synced */
	kt_fault_trace_begin();
	assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_OK);
	assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
	assert_string_equal(trace, "archive_dirsync");
	free(trace);
	/* a second version, into the shard that is there */
	p.version = 2;
	kt_fault_trace_begin();
	assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_OK);
	assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
	assert_string_equal(trace, &DURABLE_STEPS[strlen("archive_mkdir archive_rootsync ")]);
	free(trace);
	p.version = 1;

	for (step = 1; step < 200 && !finished; step++) {
		char store[600];
		kt_archive *a = kt_archive_new();
		io_fault fault = { step, 0, 0, 0 };
		int rc;

		snprintf(store, sizeof store, "%s/order-%d", f->dir, step);
		assert_int_equal(kt_archive_open(a, store), KT_OK);
		kt_archive_set_bagging_time(a, FIXED_TIME);
		kt_fault_install(io_fault_hook, &fault);
		kt_fault_trace_begin();
		rc = kt_archive_write(a, &p, NULL);
		kt_fault_install(NULL, NULL);
		assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
		if (!fault.hit) {
			assert_int_equal(rc, KT_OK);
			assert_string_equal(trace, DURABLE_STEPS);
			finished = 1;
		} else if (rc == KT_WARN) {
			/* in place, only the temporary name left: the folder synced still */
			assert_string_equal(trace, "archive_mkdir archive_rootsync archive_tmp archive_data "
					    "archive_fsync archive_link archive_dirsync");
		} else {
			size_t n = strlen(trace);

			assert_int_equal(rc, KT_FAILED);
			if (strncmp(trace, DURABLE_STEPS, n) != 0 || (n > 0 && DURABLE_STEPS[n] != ' ') ||
			    strcmp(trace, DURABLE_STEPS) == 0)
				fail_msg("I/O step %d failed: steps '%s' are not a beginning of '%s'", step,
					 trace, DURABLE_STEPS);
		}
		free(trace);
		kt_archive_free(&a);
	}
	assert_true(finished);
}

void test_hostile_source_names(void **state)
{
	fx *f = *state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "../../etc/passwd", "___.._etc_passwd" },
		{ "scan\n.tif", "scan_.tif" },
		{ "evil\r\nInjected: 1.pdf", "evil__Injected__1.pdf" },
		{ "\xff\xfe scan.TIF", "___scan.TIF" },
		{ "Pa\xc3\x9f.pdf", "Pa_.pdf" },     /* one '_' per UTF-8 character */
		{ "\xc3.pdf", "_.pdf" },              /* a cut UTF-8 sequence */
		{ ".hidden", "_hidden" },
		{ "..", "__" },
		{ "", "unnamed" },
		{ NULL, "unnamed" },
		{ "a/b\\c:d*e?.jpg", "a_b_c_d_e_.jpg" },
	};
	char out[KT_ARCHIVE_SAFE_NAME_MAX], longname[400];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kt_archive_safe_name(cases[i].in, out);
		assert_string_equal(out, cases[i].out);
	}
	/* A long name is cut to 100 bytes and keeps its extension. */
	memset(longname, 'x', 300);
	memcpy(longname + 300, ".tiff", 6);
	kt_archive_safe_name(longname, out);
	assert_int_equal(strlen(out), 100);
	assert_string_equal(out + 95, ".tiff");

	/* Through a real package: the name in the tar and in bag-info is the safe one. */
	for (size_t i = 0; i < 5; i++) {
		kt_archive_package p = make_pkg();
		char *rel = NULL, want[300], info[2048];
		size_t len, n;
		unsigned char *tar;
		tent t[64];
		int nt;
		void *data = NULL;
		const unsigned char *d;

		p.source_name = cases[i].in;
		p.version = (int)i + 1;
		write_ok(f, &p, &rel);
		verify_clean(f, rel);
		tar = kt_test_read_file(path_in(f, rel), &len);
		nt = tar_walk(tar, len, t, 64);
		for (int k = 0; k < nt; k++) {
			assert_null(strstr(t[k].name, "/../"));
			assert_null(strchr(t[k].name, '\n'));
			for (const char *c = t[k].name; *c; c++)
				assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7F);
		}
		snprintf(want, sizeof want, "original/%s", cases[i].out);
		assert_int_equal(kt_archive_read_file(f->a, rel, want, &data, &n), KT_OK);
		assert_int_equal(n, sizeof scan);
		free(data);
		d = tar_get(tar, len, "bag-info.txt", &n);
		snprintf(info, sizeof info, "%.*s", (int)n, d);
		snprintf(want, sizeof want, "\nKartoteka-Source-Name: %s\n", cases[i].out);
		if (strstr(info, want) == NULL)
			fail_msg("no '%s' in:\n%s", want, info);
		assert_null(strstr(info, "\nInjected"));
		free(tar);
		free(rel);
	}
}

void test_refuse_bad_payload_paths(void **state)
{
	fx *f = *state;
	static const char *bad[] = {
		"../x", "/abs", "a//b", "a/./b", "a/../b", "", "a\nb", "a\rb", "a\\b", "x/",
		".", "..", "data/\x7f", "\xc3\xa9.txt", "tab\there",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kt_archive_package p = make_pkg();
		files4[1].path = bad[i];
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		assert_non_null(strstr(kt_archive_errmsg(f->a), "refusing payload path"));
		assert_null(strchr(kt_archive_errmsg(f->a), '\n'));
	}
	{ /* clashes: same name ignoring case; a file that is also a folder */
		kt_archive_package p = make_pkg();
		files4[1].path = "META/DOC.JSON";
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		assert_non_null(strstr(kt_archive_errmsg(f->a), "clash"));
		files4[1].path = "meta";
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		assert_non_null(strstr(kt_archive_errmsg(f->a), "is a folder of"));
		files4[1].path = NULL; /* two originals */
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
	}
	{ /* bad package fields */
		kt_archive_package p = make_pkg();
		p.sha256 = "xyz";
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		p.doc_id = -1;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		p.version = 0;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		p.n_files = 0;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		files4[2].data = NULL;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
	}
	/* Nothing was written. */
	assert_int_not_equal(stat(path_in(f, "ab"), &st), 0);
	{
		kt_archive_package p = make_pkg();
		char *rel = NULL;
		/* Upper-case hex in the digest makes the same, lower-case name. */
		p.sha256 = "AB12CD34EF56AB78CD90EF12AB34CD56EF78AB90CD12EF34AB56CD78EF90AB12";
		write_ok(f, &p, &rel);
		assert_string_equal(rel, RELPATH);
		verify_clean(f, rel);
		free(rel);
	}
}

void test_read_file_checks(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	void *data = (void *)1;
	size_t len = 1, tl, n;
	unsigned char *tar;
	const unsigned char *d;

	write_ok(f, &p, &rel);
	assert_int_equal(kt_archive_read_file(f->a, rel, "text/none.txt", &data, &len), KT_FAILED);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_non_null(strstr(kt_archive_errmsg(f->a), "has no payload file"));
	assert_int_equal(kt_archive_read_file(f->a, rel, "../bagit.txt", &data, &len), KT_FAILED);
	assert_int_equal(kt_archive_read_file(f->a, "../../etc/passwd", "x", &data, &len), KT_FAILED);
	assert_int_equal(kt_archive_read_file(f->a, "ab/kt-00000042-ab12cd34ef56ab78-v2.tar", "meta/doc.json",
	                                      &data, &len), KT_FAILED);
	/* A changed byte is never handed out. */
	tar = kt_test_read_file(path_in(f, rel), &tl);
	d = tar_get(tar, tl, "data/text/page-0001.txt", &n);
	tar[d - tar + 3] ^= 0x20;
	kt_test_write_file(path_in(f, rel), tar, tl);
	assert_int_equal(kt_archive_read_file(f->a, rel, "text/page-0001.txt", &data, &len), KT_FAILED);
	assert_null(data);
	assert_non_null(strstr(kt_archive_errmsg(f->a), "does not match its sha256 digest"));
	/* The other files still read. */
	assert_int_equal(kt_archive_read_file(f->a, rel, "meta/doc.json", &data, &len), KT_OK);
	assert_int_equal(len, strlen(meta));
	assert_memory_equal(data, meta, len);
	assert_int_equal(((char *)data)[len], '\0');
	free(data);
	free(tar);
	free(rel);
}

void test_verify_bad_relpaths(void **state)
{
	fx *f = *state;
	static const char *bad[] = {
		"../x.tar", "/etc/passwd", "ab/kt-00000042-ab12cd34ef56ab78-v1.tar/..",
		"cd/kt-00000042-ab12cd34ef56ab78-v1.tar", "ab/kt-42-ab12cd34ef56ab78-v1.tar",
		"ab/kt-00000042-ab12cd34ef56ab78-v0.tar", "ab/kt-00000042-AB12cd34ef56ab78-v1.tar", "",
	};
	probs pr;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&pr, 0, sizeof pr);
		assert_int_equal(kt_archive_verify(f->a, bad[i], NULL, NULL, NULL), KT_FAILED);
		assert_int_equal(kt_archive_export_bag(f->a, bad[i], f->dir), KT_FAILED);
	}
	/* Well formed but absent: one problem, the whole package. */
	assert_int_equal(verify(f, RELPATH, &pr), KT_FAILED);
	assert_int_equal(pr.n, 1);
	assert_true(has_problem(&pr, "", "unreadable tar"));
}
