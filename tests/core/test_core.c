/*
 * test_core.c - the core below every module (pipeline/core/): the one UTF-8
 * decoder, the growable buffer, the string list, the file helpers and the
 * fault-injection point. Run as `test_core CASE`; each case that touches
 * files works in its own mkdtemp folder.
 */
#include "kt_test.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt_buf.h"
#include "kt_fault.h"
#include "kt_file.h"
#include "kt_sha.h"
#include "kt_status.h"
#include "kt_strv.h"
#include "kt_text.h"
#include "kt_vec.h"

static char *tmp_dir(void)
{
	char *d = strdup("/tmp/kt-core-XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *dir, const char *name)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

/* ---- UTF-8 ---- */

static void test_utf8_decode_valid(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(kt_utf8_decode("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(kt_utf8_decode("\xc4\x81", 2, &cp), 2); /* ā */
	assert_int_equal(cp, 0x101);
	assert_int_equal(kt_utf8_decode("\xd0\x96", 2, &cp), 2); /* Ж */
	assert_int_equal(cp, 0x416);
	assert_int_equal(kt_utf8_decode("\xe2\x80\x93", 3, &cp), 3); /* – */
	assert_int_equal(cp, 0x2013);
	assert_int_equal(kt_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(kt_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
}

static void test_utf8_decode_invalid(void **state)
{
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
		{ "\xc0\xaf", 2 },             /* overlong '/' */
		{ "\xc1\xbf", 2 },             /* overlong */
		{ "\xe0\x80\xaf", 3 },         /* overlong */
		{ "\xf0\x80\x80\xaf", 4 },     /* overlong */
		{ "\xed\xa0\x80", 3 },         /* surrogate U+D800 */
		{ "\xed\xbf\xbf", 3 },         /* surrogate U+DFFF */
		{ "\xf4\x90\x80\x80", 4 },     /* above U+10FFFF */
		{ "\xf5\x80\x80\x80", 4 },     /* no such lead byte */
		{ "\x80", 1 },                 /* stray continuation */
		{ "\xc4", 1 },                 /* truncated */
		{ "\xe2\x80", 2 },             /* truncated */
		{ "\xe2\x28\xa1", 3 },         /* bad continuation */
		{ "\xff", 1 },
	};
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(kt_utf8_decode(bad[i].s, bad[i].n, &cp), 0);
		assert_int_equal(cp, KT_UTF8_BAD);
		assert_int_equal(kt_utf8_valid(bad[i].s, bad[i].n), 0);
	}
	assert_int_equal(kt_utf8_decode("", 0, &cp), 0);
}

static void test_utf8_next_steps(void **state)
{
	const char s[] = "a\xc4\x81\xff\xe2\x80"; /* a ā <bad> <truncated> */
	size_t i = 0, n = sizeof s - 1;

	(void)state;
	assert_int_equal(kt_utf8_next(s, n, &i), 'a');
	assert_int_equal(i, 1);
	assert_int_equal(kt_utf8_next(s, n, &i), 0x101);
	assert_int_equal(i, 3);
	assert_int_equal(kt_utf8_next(s, n, &i), KT_UTF8_BAD);
	assert_int_equal(i, 4);
	assert_int_equal(kt_utf8_next(s, n, &i), KT_UTF8_BAD);
	assert_int_equal(i, 5);
	assert_int_equal(kt_utf8_next(s, n, &i), KT_UTF8_BAD);
	assert_int_equal(i, 6);
}

static void test_utf8_encode_roundtrip(void **state)
{
	static const uint32_t cps[] = { 0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF };
	char out[4];
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		size_t n = kt_utf8_encode(cps[i], out);

		assert_true(n >= 1 && n <= 4);
		assert_int_equal(kt_utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
	assert_int_equal(kt_utf8_encode(0xD800, out), 0);
	assert_int_equal(kt_utf8_encode(0x110000, out), 0);
}

static void test_utf8_escape(void **state)
{
	char *e = kt_utf8_escape("a\xffz\xc4\x81", 5);

	(void)state;
	assert_string_equal(e, "a\\xffz\xc4\x81");
	free(e);
}

static void test_utf8_add_printable(void **state)
{
	kt_buf b = KT_BUF_INIT;
	size_t taken;
	const char evil[] = "a\n\x1b[2J\xc2\x85\xff\xc4\x81z";

	(void)state;
	assert_int_equal(kt_utf8_add_printable(&b, evil, sizeof evil - 1, 0, &taken), KT_OK);
	assert_string_equal(b.s, "a\\x0a\\x1b[2J\\xc2\\x85\\xff\xc4\x81z");
	assert_int_equal(taken, sizeof evil - 1);
	/* a cap stops before the next character once reached */
	kt_buf_truncate(&b, 0);
	assert_int_equal(kt_utf8_add_printable(&b, "abcdef", 6, 3, &taken), KT_OK);
	assert_string_equal(b.s, "abc");
	assert_int_equal(taken, 3);
	kt_buf_truncate(&b, 0);
	assert_int_equal(kt_utf8_add_printable(&b, "ab\ncd", 5, 3, &taken), KT_OK);
	assert_string_equal(b.s, "ab\\x0a");
	assert_int_equal(taken, 3);
	kt_buf_release(&b);
}

/* ---- buffer and string list ---- */

static void test_buf_grows(void **state)
{
	kt_buf b = KT_BUF_INIT;
	char *s;
	size_t len;

	(void)state;
	assert_string_equal(kt_buf_cstr(&b), "");
	/* memory taken by a reserve alone is a C string already */
	assert_int_equal(kt_buf_reserve(&b, 10), KT_OK);
	assert_non_null(b.s);
	assert_string_equal(kt_buf_cstr(&b), "");
	for (int i = 0; i < 10000; i++)
		assert_int_equal(kt_buf_printf(&b, "%d,", i % 10), KT_OK);
	assert_int_equal(b.len, 20000);
	assert_int_equal(b.s[b.len], '\0');
	assert_memory_equal(b.s, "0,1,2,", 6);
	assert_int_equal(kt_buf_add(&b, "\0x", 2), KT_OK);
	assert_int_equal(b.len, 20002);
	kt_buf_truncate(&b, 4);
	assert_string_equal(b.s, "0,1,");
	assert_int_equal(kt_buf_putc(&b, 'z'), KT_OK);
	s = kt_buf_detach(&b, &len);
	assert_string_equal(s, "0,1,z");
	assert_int_equal(len, 5);
	assert_null(b.s);
	free(s);
	s = kt_buf_detach(&b, &len); /* empty: "" not NULL */
	assert_string_equal(s, "");
	free(s);
	kt_buf_release(&b);
}

static void test_strv(void **state)
{
	kt_strv v = KT_STRV_INIT;

	(void)state;
	for (int i = 0; i < 100; i++) {
		char s[16];

		snprintf(s, sizeof s, "%03d", 99 - i);
		assert_int_equal(kt_strv_push(&v, s), KT_OK);
	}
	assert_int_equal(kt_strv_pushn(&v, "abcdef", 3), KT_OK);
	kt_strv_sort(&v);
	assert_int_equal(v.n, 101);
	assert_string_equal(v.v[0], "000");
	assert_string_equal(v.v[99], "099");
	assert_string_equal(v.v[100], "abc");
	assert_null(v.v[101]);
	kt_strv_release(&v);
	assert_null(v.v);
	assert_int_equal(v.n, 0);
}

static void test_vec(void **state)
{
	kt_vec v;

	(void)state;
	kt_vec_init(&v, sizeof(long long));
	for (long long i = 0; i < 1000; i++)
		assert_int_equal(kt_vec_push(&v, &i), KT_OK);
	assert_int_equal(v.len, 1000);
	assert_int_equal(((long long *)v.data)[999], 999);
	kt_vec_release(&v);
	assert_null(v.data);
	assert_int_equal(v.size, sizeof(long long));
}

/* ---- files ---- */

static void test_file_read(void **state)
{
	char *d = tmp_dir(), p[PATH_MAX], *data;
	size_t len;
	kt_error err = { 0 };

	(void)state;
	put(d, "a.txt", "hello");
	snprintf(p, sizeof p, "%s/a.txt", d);
	assert_int_equal(kt_file_read(p, 0, &data, &len, &err), KT_OK);
	assert_int_equal(len, 5);
	assert_string_equal(data, "hello");
	free(data);
	/* above the cap: refused, named */
	assert_int_equal(kt_file_read(p, 4, &data, &len, &err), KT_FAILED);
	assert_null(data);
	assert_non_null(strstr(err.msg, "a.txt"));
	assert_non_null(strstr(err.msg, "above the cap"));
	/* a folder is not a regular file */
	assert_int_equal(kt_file_read(d, 0, &data, &len, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "not a regular file"));
	/* missing */
	snprintf(p, sizeof p, "%s/none", d);
	assert_int_equal(kt_file_read(p, 0, &data, &len, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "No such file"));
	assert_int_equal(kt_rmtree(d, NULL), KT_OK);
	free(d);
}

static void test_mkdirs(void **state)
{
	char *d = tmp_dir(), p[PATH_MAX];
	kt_error err = { 0 };
	struct stat st;

	(void)state;
	snprintf(p, sizeof p, "%s/x/y/z", d);
	assert_int_equal(kt_mkdirs(p, 0755, &err), KT_OK);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(kt_mkdirs(p, 0755, &err), KT_OK); /* exists: fine */
	put(d, "file", "x");
	snprintf(p, sizeof p, "%s/file", d);
	assert_int_equal(kt_mkdirs(p, 0755, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "file"));
	snprintf(p, sizeof p, "%s/file/sub", d);
	assert_int_equal(kt_mkdirs(p, 0755, &err), KT_FAILED);
	assert_int_equal(kt_rmtree(d, NULL), KT_OK);
	free(d);
}

static void test_rmtree(void **state)
{
	char *d = tmp_dir(), *outside = tmp_dir(), p[PATH_MAX], q[PATH_MAX];
	kt_error err = { 0 };

	(void)state;
	snprintf(p, sizeof p, "%s/a/b", d);
	assert_int_equal(kt_mkdirs(p, 0755, NULL), KT_OK);
	put(p, "f", "x");
	put(outside, "keep", "x");
	/* a link to a folder outside: removed, not followed */
	snprintf(p, sizeof p, "%s/a/link", d);
	assert_int_equal(symlink(outside, p), 0);
	/* a read-only folder with a file in it (as an export is written) */
	snprintf(p, sizeof p, "%s/a/ro", d);
	assert_int_equal(mkdir(p, 0755), 0);
	put(p, "g", "y");
	assert_int_equal(chmod(p, 0500), 0);
	assert_int_equal(kt_rmtree(d, &err), KT_OK);
	assert_int_equal(access(d, F_OK), -1);
	assert_true(exists(outside, "keep"));
	/* missing: fine; a single file: removed */
	assert_int_equal(kt_rmtree(d, &err), KT_OK);
	snprintf(q, sizeof q, "%s/keep", outside);
	assert_int_equal(kt_rmtree(q, &err), KT_OK);
	assert_false(exists(outside, "keep"));
	assert_int_equal(kt_rmtree(outside, NULL), KT_OK);
	free(d);
	free(outside);
}

static void test_write_atomic(void **state)
{
	char *d = tmp_dir(), p[PATH_MAX], *data;
	size_t len;
	struct stat st;
	kt_error err = { 0 };

	(void)state;
	snprintf(p, sizeof p, "%s/out.json", d);
	assert_int_equal(kt_file_write_atomic(p, "{}", 2, 0640, &err), KT_OK);
	assert_int_equal(kt_file_write_atomic(p, "{\"a\":1}", 7, 0640, &err), KT_OK);
	assert_int_equal(kt_file_read(p, 0, &data, &len, &err), KT_OK);
	assert_string_equal(data, "{\"a\":1}");
	free(data);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	/* into a folder that does not exist: failed, named, nothing left */
	snprintf(p, sizeof p, "%s/none/out.json", d);
	assert_int_equal(kt_file_write_atomic(p, "x", 1, 0644, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "none/out.json"));
	assert_int_equal(kt_rmtree(d, NULL), KT_OK);
	free(d);
}

/* ---- faults ---- */

static int fail_second(const char *site, void *arg)
{
	int *calls = arg;

	return strcmp(site, "write_atomic") == 0 && ++*calls == 2;
}

static void test_fault_hook(void **state)
{
	char *d = tmp_dir(), p[PATH_MAX], *data;
	size_t len;
	int calls = 0;
	kt_error err = { 0 };

	(void)state;
	assert_int_equal(kt_fault("write_atomic"), 0);
	snprintf(p, sizeof p, "%s/f", d);
	kt_fault_install(fail_second, &calls);
	assert_int_equal(kt_file_write_atomic(p, "old", 3, 0644, &err), KT_OK);
	assert_int_equal(kt_file_write_atomic(p, "new", 3, 0644, &err), KT_FAILED);
	kt_fault_install(NULL, NULL);
	/* the failed write left the old file as it was */
	assert_int_equal(kt_file_read(p, 0, &data, &len, &err), KT_OK);
	assert_string_equal(data, "old");
	free(data);
	assert_int_equal(kt_rmtree(d, NULL), KT_OK);
	free(d);
}

static void test_fault_env(void **state)
{
	(void)state;
	setenv("KT_FAULT", "archive_write:2", 1);
	assert_int_equal(kt_fault_install_from_env(), KT_OK);
	assert_int_equal(kt_fault("other"), 0);
	assert_int_equal(kt_fault("archive_write"), 0);
	assert_int_equal(kt_fault("archive_write"), 0);
	assert_int_not_equal(kt_fault("archive_write"), 0);
	assert_int_not_equal(kt_fault("archive_write"), 0);
	kt_fault_install(NULL, NULL);
	setenv("KT_FAULT", "archive_write", 1);
	assert_int_equal(kt_fault_install_from_env(), KT_FAILED);
	setenv("KT_FAULT", "archive_write:x", 1);
	assert_int_equal(kt_fault_install_from_env(), KT_FAILED);
	assert_int_equal(kt_fault("archive_write"), 0);
	unsetenv("KT_FAULT");
}

/* ---- durable steps ---- */

/*
 * kt_file_write_atomic makes its file durable in this order: a temporary
 * file, its bytes, fsync of it, rename over the name, fsync of the folder
 * (issue 17: removing either fsync passed every test). A failed write
 * reports no step after the one that failed, and never the rename.
 */
static void test_write_atomic_order(void **state)
{
	char *d = tmp_dir(), p[PATH_MAX], *trace;
	kt_error err = { 0 };

	(void)state;
	snprintf(p, sizeof p, "%s/out.json", d);
	kt_fault_trace_begin();
	assert_int_equal(kt_file_write_atomic(p, "{}", 2, 0640, &err), KT_OK);
	assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
	assert_string_equal(trace, "atomic_tmp atomic_data atomic_fsync atomic_rename atomic_dirsync");
	free(trace);
	/* replacing a file: the same steps */
	kt_fault_trace_begin();
	assert_int_equal(kt_file_write_atomic(p, "{\"a\":1}", 7, 0640, &err), KT_OK);
	assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
	assert_string_equal(trace, "atomic_tmp atomic_data atomic_fsync atomic_rename atomic_dirsync");
	free(trace);
	/* no temporary file: nothing done, nothing reported */
	snprintf(p, sizeof p, "%s/none/out.json", d);
	kt_fault_trace_begin();
	assert_int_equal(kt_file_write_atomic(p, "x", 1, 0644, &err), KT_FAILED);
	assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
	assert_string_equal(trace, "");
	free(trace);
	/* without an observer nothing is kept: a trace starts empty */
	assert_int_equal(kt_fault_done("atomic_fsync", 0), 0);
	kt_fault_trace_begin();
	assert_int_equal(kt_fault_trace_end(&trace), KT_OK);
	assert_string_equal(trace, "");
	free(trace);
	assert_int_equal(kt_rmtree(d, NULL), KT_OK);
	free(d);
}

/* An observer is told each step done, not the failed ones; kt_fault_done
 * passes the result and errno through. */
static void note_step(const char *step, void *arg)
{
	kt_buf *b = arg;

	assert_int_equal(kt_buf_printf(b, "[%s]", step), KT_OK);
}

static void test_fault_observer(void **state)
{
	kt_buf b = KT_BUF_INIT;

	(void)state;
	kt_fault_set_observer(note_step, &b);
	assert_int_equal(kt_fault_done("one", 0), 0);
	errno = ENOSPC;
	assert_int_equal(kt_fault_done("two", -1), -1);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(kt_fault_done("three", 0), 0);
	assert_int_equal(errno, ENOSPC);
	kt_fault_set_observer(NULL, NULL);
	assert_int_equal(kt_fault_done("four", 0), 0);
	assert_string_equal(kt_buf_cstr(&b), "[one][three]");
	kt_buf_release(&b);
}

/* ---- status codes and digests ---- */

static void test_status_order(void **state)
{
	kt_error e = { 0 }, up = { 0 };

	(void)state;
	/* documented order: worse is more negative */
	assert_true(KT_OK > KT_WARN && KT_WARN > KT_FAILED && KT_FAILED > KT_FATAL);
	assert_string_equal(kt_status_name(KT_WARN), "warn");
	assert_int_equal(kt_status_worst(KT_OK, KT_WARN), KT_WARN);
	assert_int_equal(kt_status_worst(KT_FATAL, KT_WARN), KT_FATAL);
	assert_int_equal(kt_error_set(&e, KT_WARN, "left '%s'", "x.tmp"), KT_WARN);
	/* passing up keeps the grade and the message */
	assert_int_equal(kt_error_pass(&up, &e), KT_WARN);
	assert_string_equal(up.msg, "left 'x.tmp'");
	kt_error_clear(&e);
	assert_int_equal(kt_error_pass(&up, &e), KT_OK);
}

static void test_error_escalate(void **state)
{
	kt_error callee = { 0 }, up = { 0 };

	(void)state;
	/* a clear callee leaves the caller's slot as it is */
	kt_error_set(&up, KT_WARN, "earlier");
	assert_int_equal(kt_error_escalate(&up, &callee, KT_FATAL), KT_OK);
	assert_int_equal(up.code, KT_WARN);
	assert_string_equal(up.msg, "earlier");
	assert_int_equal(kt_error_escalate(&up, NULL, KT_FATAL), KT_OK);
	/* a warning is passed as it is, never raised */
	kt_error_clear(&up);
	kt_error_set(&callee, KT_WARN, "cannot remove '%s'", "x.tmp");
	assert_int_equal(kt_error_escalate(&up, &callee, KT_FATAL), KT_WARN);
	assert_int_equal(up.code, KT_WARN);
	assert_string_equal(up.msg, "cannot remove 'x.tmp'");
	/* a failure takes the caller's grade when that is graver, with its message */
	kt_error_clear(&up);
	kt_error_set(&callee, KT_FAILED, "cannot put '%s' in place", "a.tar");
	assert_int_equal(kt_error_escalate(&up, &callee, KT_FATAL), KT_FATAL);
	assert_int_equal(up.code, KT_FATAL);
	assert_string_equal(up.msg, "cannot put 'a.tar' in place");
	assert_int_equal(callee.code, KT_FAILED);
	/* and is never lowered */
	kt_error_clear(&up);
	assert_int_equal(kt_error_escalate(&up, &callee, KT_OK), KT_FAILED);
	assert_int_equal(up.code, KT_FAILED);
	kt_error_set(&callee, KT_FATAL, "disk full");
	assert_int_equal(kt_error_escalate(&up, &callee, KT_FAILED), KT_FATAL);
	assert_int_equal(up.code, KT_FATAL);
	assert_string_equal(up.msg, "disk full");
	/* no slot to fill: only the grade; the callee's own slot may be graded in place */
	kt_error_set(&callee, KT_FAILED, "locked");
	assert_int_equal(kt_error_escalate(NULL, &callee, KT_FATAL), KT_FATAL);
	assert_int_equal(callee.code, KT_FAILED);
	assert_int_equal(kt_error_escalate(&callee, &callee, KT_FATAL), KT_FATAL);
	assert_int_equal(callee.code, KT_FATAL);
	assert_string_equal(callee.msg, "locked");
}

static void test_sha(void **state)
{
	char hex[KT_SHA256_HEX];

	(void)state;
	assert_int_equal(kt_sha256_hex("abc", 3, hex), KT_OK);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static const kt_test_case cases[] = {
	KT_TEST(utf8_decode_valid),
	KT_TEST(utf8_decode_invalid),
	KT_TEST(utf8_next_steps),
	KT_TEST(utf8_encode_roundtrip),
	KT_TEST(utf8_escape),
	KT_TEST(utf8_add_printable),
	KT_TEST(buf_grows),
	KT_TEST(strv),
	KT_TEST(vec),
	KT_TEST(file_read),
	KT_TEST(mkdirs),
	KT_TEST(rmtree),
	KT_TEST(write_atomic),
	KT_TEST(write_atomic_order),
	KT_TEST(fault_observer),
	KT_TEST(fault_hook),
	KT_TEST(fault_env),
	KT_TEST(status_order),
	KT_TEST(error_escalate),
	KT_TEST(sha),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = { "test_core", cases, KT_N_CASES(cases), NULL, 0, 0, NULL };

	return kt_test_main(&prog, argc, argv);
}
