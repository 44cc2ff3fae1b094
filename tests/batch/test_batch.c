/*
 * test_batch.c - batches that survive anything: parallel workers give the
 * same result as one, SIGKILL at random moments and resume gives every page
 * exactly once, hostile files are named and passed over in bounded memory, a
 * full disk stops the batch cleanly and a resume finishes it, and searches
 * keep answering while a batch writes.
 *
 * usage: test_batch KARTOTEKA INDEX_PAGES SAMPLES WORK GROUP
 * Each group is one CTest entry and works in its own fresh folder WORK.
 */
#define _GNU_SOURCE
#include "kt_buf.h"
#include "kt_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *KT, *IXPAGES, *SAMPLES, *WORK;
static int failures;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			failures++;                                             \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

/* ------------------------------------------------------------- helpers */

typedef struct run_out {
	int status;        /* exit status, -1 when killed */
	long maxrss_kb;    /* peak resident set size of the child */
	char *out, *err;   /* whole stdout and stderr */
} run_out;

/* The whole file (NUL-terminated, caller frees); "" when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	char *data = NULL;
	size_t n = 0;

	if (kt_file_read(path, 0, &data, &n, NULL) != KT_OK)
		data = strdup("");
	if (len)
		*len = n;
	return data;
}

/* Spawn argv (NULL-terminated) with stdout and stderr into files of WORK. */
static pid_t spawn(const char *const *argv, const char *tag)
{
	posix_spawn_file_actions_t fa;
	char o[4096], e[4096];
	pid_t pid;

	snprintf(o, sizeof o, "%s/%s.out", WORK, tag);
	snprintf(e, sizeof e, "%s/%s.err", WORK, tag);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, o, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) != 0) {
		perror("posix_spawn");
		abort();
	}
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static run_out collect(pid_t pid, const char *tag)
{
	run_out r = { -1, 0, NULL, NULL };
	struct rusage ru;
	char path[4096];
	int st;

	if (wait4(pid, &st, 0, &ru) == pid) {
		if (WIFEXITED(st))
			r.status = WEXITSTATUS(st);
		r.maxrss_kb = ru.ru_maxrss;
	}
	snprintf(path, sizeof path, "%s/%s.out", WORK, tag);
	r.out = slurp(path, NULL);
	snprintf(path, sizeof path, "%s/%s.err", WORK, tag);
	r.err = slurp(path, NULL);
	return r;
}

static void run_free(run_out *r)
{
	free(r->out);
	free(r->err);
}

/* kartoteka --store STORE ARGS... */
static pid_t kt_spawn(const char *store, const char *tag, ...)
{
	const char *argv[64];
	const char *a;
	int n = 0;
	va_list ap;

	argv[n++] = KT;
	argv[n++] = "--store";
	argv[n++] = store;
	va_start(ap, tag);
	while ((a = va_arg(ap, const char *)) != NULL && n < 63)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	return spawn(argv, tag);
}

#define KT_RUN(store, tag, ...) collect(kt_spawn(store, tag, __VA_ARGS__, (char *)NULL), tag)

static void path_of(char *out, size_t size, const char *a, const char *b)
{
	if (snprintf(out, size, "%s/%s", a, b) >= (int)size)
		abort();
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	if (len > 0 && fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

/* Copy a sample to dir/name, keeping only the first keep bytes (0 = all) and
 * appending extra bytes (a PNG ignores trailing bytes: a new SHA-256). */
static void copy_sample(const char *sample, const char *dir, const char *name, size_t keep,
			const char *extra)
{
	char from[4096], to[8192];
	size_t len;
	char *data;
	kt_buf b = KT_BUF_INIT;

	snprintf(from, sizeof from, "%s/scans/%s", SAMPLES, sample);
	data = slurp(from, &len);
	if (keep > 0 && keep < len)
		len = keep;
	snprintf(to, sizeof to, "%s/%s", dir, name);
	if (kt_buf_add(&b, data, len) != KT_OK ||
	    (extra != NULL && kt_buf_puts(&b, extra) != KT_OK) ||
	    write_file(to, kt_buf_cstr(&b), b.len) != 0) {
		fprintf(stderr, "cannot write %s\n", to);
		abort();
	}
	kt_buf_release(&b);
	free(data);
}

static json_t *json_lines(const char *text)
{
	json_t *arr = json_array();
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		json_t *v = len ? json_loadb(p, len, 0, NULL) : NULL;

		if (v != NULL)
			json_array_append_new(arr, v);
		p = nl ? nl + 1 : NULL;
	}
	return arr;
}

/* Every document of a store (docs --json). */
static json_t *store_docs(const char *store)
{
	run_out r = KT_RUN(store, "docs", "docs", "--json");
	json_t *docs = json_lines(r.out);

	CHECK(r.status == 0, "docs exited %d: %s", r.status, r.err);
	run_free(&r);
	return docs;
}

static json_t *find_source(json_t *docs, const char *suffix)
{
	size_t i, sl = strlen(suffix);
	json_t *d;

	json_array_foreach(docs, i, d) {
		const char *s = json_string_value(json_object_get(d, "source"));

		if (s && strlen(s) >= sl && strcmp(s + strlen(s) - sl, suffix) == 0)
			return d;
	}
	return NULL;
}

/* Count packages and temporary files under dir (recursively). A temporary
 * file the archive's sweep removes (".kt-*.tar.tmp-*") is counted in swept,
 * any other file that is not a package in stray. */
static void count_archive(const char *dir, int *packages, int *swept, int *stray)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char p[8192];
		struct stat st;
		size_t l = strlen(de->d_name);

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (lstat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			count_archive(p, packages, swept, stray);
		else if (strncmp(de->d_name, ".kt-", 4) == 0 && strstr(de->d_name, ".tar.tmp-"))
			(*swept)++;
		else if (strncmp(de->d_name, "kt-", 3) == 0 && l > 4 && strcmp(de->d_name + l - 4, ".tar") == 0)
			(*packages)++;
		else {
			fprintf(stderr, "stray file in the archive: %s\n", p);
			(*stray)++;
		}
	}
	closedir(d);
}

/*
 * The exactly-once check: expect_docs documents, all done, each with its
 * pages once in the index and one package in the archive, and verify passes.
 */
static void check_store_exactly_once(const char *store, int expect_docs, int expect_pages)
{
	json_t *docs = store_docs(store), *d;
	size_t i;
	int pages = 0, packages = 0, swept = 0, stray = 0, n_index = 0;
	long long total = -1;
	char *seen, adir[4096];
	const char *argv[] = { IXPAGES, store, NULL };
	run_out ix = collect(spawn(argv, "index_pages"), "index_pages");
	run_out v = KT_RUN(store, "verify", "verify");
	const char *p;

	CHECK((int)json_array_size(docs) == expect_docs, "%zu documents, expected %d",
	      json_array_size(docs), expect_docs);
	/* seen[doc * 1000 + page] counts index entries. */
	seen = calloc(1000 * 1000, 1);
	CHECK(ix.status == 0, "index_pages exited %d: %s", ix.status, ix.err);
	for (p = ix.out; p && *p;) {
		long long doc;
		int page;

		if (sscanf(p, "total %lld", &total) == 1) {
		} else if (sscanf(p, "%lld %d", &doc, &page) == 2) {
			n_index++;
			CHECK(doc > 0 && doc < 1000 && page > 0 && page < 1000, "odd index entry %lld %d", doc, page);
			if (doc > 0 && doc < 1000 && page > 0 && page < 1000)
				seen[doc * 1000 + page]++;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	json_array_foreach(docs, i, d) {
		long long id = json_integer_value(json_object_get(d, "id"));
		size_t np = json_array_size(json_object_get(d, "pages"));
		size_t k;

		CHECK(strcmp(json_string_value(json_object_get(d, "status")) ?: "", "done") == 0,
		      "document %lld is %s: %s", id, json_string_value(json_object_get(d, "status")),
		      json_string_value(json_object_get(d, "error")) ?: "");
		pages += (int)np;
		for (k = 1; k <= np && id < 1000; k++)
			CHECK(seen[id * 1000 + k] == 1, "page %zu of document %lld is %d times in the index",
			      k, id, seen[id * 1000 + k]);
	}
	CHECK(pages == expect_pages, "%d pages in the catalog, expected %d", pages, expect_pages);
	CHECK(n_index == expect_pages && total == expect_pages, "%d pages in the index (count %lld), expected %d",
	      n_index, total, expect_pages);
	path_of(adir, sizeof adir, store, "archive");
	count_archive(adir, &packages, &swept, &stray);
	CHECK(packages == expect_docs, "%d packages, expected %d", packages, expect_docs);
	CHECK(stray == 0, "%d stray files in the archive", stray);
	if (swept > 0)
		fprintf(stderr, "note: %d temporary package files left by kills (kt_archive_sweep removes them)\n",
			swept);
	CHECK(v.status == 0, "verify exited %d: %s%s", v.status, v.out, v.err);
	free(seen);
	run_free(&ix);
	run_free(&v);
	json_decref(docs);
}

/* Ten pages in eight files, each with its own bytes. */
static int make_small_batch(const char *dir)
{
	mkdir(dir, 0755);
	copy_sample("blank_dust.png", dir, "01_blank.png", 0, NULL);
	copy_sample("en_letter.png", dir, "02_letter.png", 0, NULL);
	copy_sample("lt_prasymas.tif", dir, "03_prasymas.tif", 0, NULL);
	copy_sample("passport_td3.png", dir, "04_passport.png", 0, NULL);
	copy_sample("lv_lemums_karimi.png", dir, "05_lemums.png", 0, NULL);
	copy_sample("ru_sobesedovanie.jpg", dir, "06_sobesedovanie.jpg", 0, NULL);
	copy_sample("lv_intervija_2p.tif", dir, "07_intervija.tif", 0, NULL);
	copy_sample("en_letter.png", dir, "08_letter_copy.png", 0, "x");
	return 10;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* -------------------------------------------------------------- groups */

/* --jobs 3 gives the same documents, ids and texts as --jobs 1. */
static void test_jobs(void)
{
	char in[4096], s1[4096], s3[4096];
	int pages;
	run_out a, b;
	json_t *d1, *d3, *x;
	size_t i;

	path_of(in, sizeof in, WORK, "in");
	path_of(s1, sizeof s1, WORK, "store1");
	path_of(s3, sizeof s3, WORK, "store3");
	pages = make_small_batch(in);
	copy_sample("broken_scan.tif", in, "09_broken.tif", 0, NULL);
	/* the same bytes twice in one batch: one document, the copy skipped */
	copy_sample("en_letter.png", in, "08b_letter_same_bytes.png", 0, "x");
	a = KT_RUN(s1, "ingest1", "ingest", "--jobs", "1", in);
	b = KT_RUN(s3, "ingest3", "ingest", "--jobs", "3", in);
	CHECK(a.status == 1 && b.status == 1, "exit %d and %d, expected 1 (one failed)\n%s\n%s", a.status,
	      b.status, a.err, b.err);
	CHECK(strstr(a.out, "8 done (10 pages), 1 already done or skipped, 1 failed") &&
	      strstr(b.out, "8 done (10 pages), 1 already done or skipped, 1 failed"),
	      "summaries:\n%s%s", a.out, b.out);
	d1 = store_docs(s1);
	d3 = store_docs(s3);
	CHECK(json_array_size(d1) == 9 && json_array_size(d3) == 9, "%zu and %zu documents",
	      json_array_size(d1), json_array_size(d3));
	json_array_foreach(d1, i, x) {
		json_t *y = json_array_get(d3, i), *pa = json_object_get(x, "pages"),
		       *pb = json_object_get(y, "pages");
		size_t k;

		CHECK(y && json_equal(json_object_get(x, "id"), json_object_get(y, "id")) &&
		      json_equal(json_object_get(x, "source"), json_object_get(y, "source")) &&
		      json_equal(json_object_get(x, "status"), json_object_get(y, "status")),
		      "document %zu differs", i);
		CHECK(json_array_size(pa) == json_array_size(pb), "document %zu: page counts differ", i);
		for (k = 0; k < json_array_size(pa) && k < json_array_size(pb); k++)
			CHECK(json_equal(json_object_get(json_array_get(pa, k), "text"),
					 json_object_get(json_array_get(pb, k), "text")),
			      "document %zu page %zu: texts differ", i, k + 1);
	}
	(void)pages;
	run_free(&a);
	run_free(&b);
	json_decref(d1);
	json_decref(d3);
}

/* SIGKILL at 20 random moments, resume each time: every page exactly once. */
static void test_crash(void)
{
	char in[4096], store[4096], tag[64];
	int pages = 0, k, finished_early = 0;
	unsigned seed = 20261122u;
	run_out r;

	path_of(in, sizeof in, WORK, "in");
	path_of(store, sizeof store, WORK, "store");
	pages = make_small_batch(in);
	/* and 48 quick blank pages, so that kills land among the writes of many
	 * documents, not only in the loading of the engines */
	for (k = 0; k < 48; k++) {
		char name[64], extra[16];

		snprintf(name, sizeof name, "10_blank_%02d.png", k);
		snprintf(extra, sizeof extra, "%d", k);
		copy_sample("blank_dust.png", in, name, 0, extra);
		pages++;
	}
	for (k = 0; k < 20; k++) {
		pid_t pid;
		long wait_ms, t0 = now_ms();
		int st, exited = 0;

		/* A seeded PRNG: the same moments on every run of the test. Every
		 * other kill comes at a random time from the start (the walk, the
		 * engines loading, the first pages); the others a random time after
		 * this run has written its first new document, so that every run
		 * makes progress and the kills land among the writes. */
		seed = seed * 1103515245u + 12345u;
		wait_ms = (long)((seed >> 8) % 1500);
		snprintf(tag, sizeof tag, "kill%02d", k);
		pid = kt_spawn(store, tag, "ingest", "--jobs", "2", in, (char *)NULL);
		if (k % 2 == 1) {
			char log[4096];

			snprintf(log, sizeof log, "%s/%s.err", WORK, tag);
			while (now_ms() - t0 < 30000) {
				char *text = slurp(log, NULL);
				int wrote = strstr(text, "] done ") != NULL;

				free(text);
				if (wrote || waitpid(pid, &st, WNOHANG) == pid) {
					exited = !wrote;
					break;
				}
				usleep(5000);
			}
			t0 = now_ms();
		}
		while (!exited && now_ms() - t0 < wait_ms) {
			if (waitpid(pid, &st, WNOHANG) == pid) {
				exited = 1;
				break;
			}
			usleep(5000);
		}
		if (!exited) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
		} else {
			finished_early++;
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "run %d ended with status %d", k, st);
		}
	}
	fprintf(stderr, "20 kills, %d runs finished before their kill\n", finished_early);
	r = KT_RUN(store, "resume", "ingest", "--jobs", "2", in);
	CHECK(r.status == 0, "the resume exited %d: %s", r.status, r.err);
	run_free(&r);
	check_store_exactly_once(store, 56, pages);
}

/* Peak RSS bound of a batch with 2 workers: engines (~150 MB each), the
 * 500-page TIFF's bytes and texts, decoded pages. Generous on purpose. The
 * bound is for the real build: under AddressSanitizer (the CI's second
 * build) shadow memory and the quarantine add hundreds of MB (1,418 MB was
 * seen there), so the bound only catches a runaway. */
#if defined(__SANITIZE_ADDRESS__)
#define KT_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KT_UNDER_ASAN 1
#endif
#endif
#ifdef KT_UNDER_ASAN
#define HOSTILE_MAX_RSS_KB (3000L * 1024)
#else
#define HOSTILE_MAX_RSS_KB (1400L * 1024)
#endif

/* A TIFF header claiming width x height, one strip, no real data. */
static void write_huge_tiff(const char *path, uint32_t w, uint32_t h)
{
	unsigned char b[256] = { 'I', 'I', 42, 0, 8, 0, 0, 0 };
	size_t n = 8;
	struct { uint16_t tag, type; uint32_t count, value; } e[] = {
		{ 256, 4, 1, w }, { 257, 4, 1, h }, { 258, 3, 1, 1 }, { 259, 3, 1, 4 },
		{ 262, 3, 1, 0 }, { 273, 4, 1, 200 }, { 277, 3, 1, 1 }, { 278, 4, 1, h },
		{ 279, 4, 1, 16 },
	};
	size_t i, ne = sizeof e / sizeof e[0];

	b[n++] = (unsigned char)ne;
	b[n++] = 0;
	for (i = 0; i < ne; i++) {
		memcpy(b + n, &e[i].tag, 2);
		memcpy(b + n + 2, &e[i].type, 2);
		memcpy(b + n + 4, &e[i].count, 4);
		memcpy(b + n + 8, &e[i].value, 4);
		n += 12;
	}
	memset(b + n, 0, 4);
	write_file(path, b, 216);
}

/* A hostile corpus, made here: each file named, the good ones ingested. */
static void test_hostile(void)
{
	char in[4096], store[4096], p[8192];
	json_t *docs, *d;
	run_out r;
	PIX *pix;
	int i, fifo_ok, root_reads = 0;
	struct { const char *file, *reason; } expect[] = {
		{ "zero_bytes.png", "empty file" },
		{ "truncated.tif", "TIFF" },
		{ "truncated.jpg", "corrupt image data" },
		{ "huge_claim.tif", "above the cap" },
		{ "bomb.png", "above the cap" },
		{ "bomb_g4.tif", "above the cap" },
		{ "not_an_image.png", "not a TIFF, PNG or JPEG image" },
		{ "loop_a", "symbolic link loop" },
		{ "dangling_link.png", "broken symbolic link" },
	};

	path_of(in, sizeof in, WORK, "in");
	path_of(store, sizeof store, WORK, "store");
	mkdir(in, 0755);
	/* good files, one with the wrong extension (format is by content) */
	copy_sample("passport_td3.png", in, "good_passport.png", 0, NULL);
	copy_sample("lt_prasymas.tif", in, "good_png_named.jpg", 0, NULL);
	copy_sample("blank_dust.png", in, "name with\nnewline and \xff\xfe bytes.png", 0, NULL);
	/* hostile ones */
	path_of(p, sizeof p, in, "zero_bytes.png");
	write_file(p, "", 0);
	copy_sample("lv_intervija_2p.tif", in, "truncated.tif", 4000, NULL);
	copy_sample("ru_sobesedovanie.jpg", in, "truncated.jpg", 60000, NULL);
	path_of(p, sizeof p, in, "huge_claim.tif");
	write_huge_tiff(p, 100000, 100000);
	path_of(p, sizeof p, in, "not_an_image.png");
	write_file(p, "this is a letter, not a scan\n", 29);
	/* decompression bombs: small files of 400 Mpx pages */
	pix = pixCreate(20000, 20000, 1);
	path_of(p, sizeof p, in, "bomb.png");
	pixWrite(p, pix, IFF_PNG);
	path_of(p, sizeof p, in, "bomb_g4.tif");
	pixWrite(p, pix, IFF_TIFF_G4);
	pixDestroy(&pix);
	/* 500 blank pages, decoded one at a time: small pages at 300 dpi */
	pix = pixCreate(600, 800, 1);
	pixSetResolution(pix, 300, 300);
	path_of(p, sizeof p, in, "pages500.tif");
	for (i = 0; i < 500; i++)
		pixWriteTiff(p, pix, IFF_TIFF_G4, i == 0 ? "w" : "a");
	pixDestroy(&pix);
	/* a symbolic link loop and a dangling link */
	path_of(p, sizeof p, in, "loop_a");
	CHECK(symlink("loop_b", p) == 0, "symlink: %s", strerror(errno));
	path_of(p, sizeof p, in, "loop_b");
	CHECK(symlink("loop_a", p) == 0, "symlink: %s", strerror(errno));
	path_of(p, sizeof p, in, "dangling_link.png");
	CHECK(symlink("no_such_file.png", p) == 0, "symlink: %s", strerror(errno));
	/* unreadable: chmod 000 stops everyone but root; a FIFO stops root too
	 * (never opened: the walk sees it is not a regular file) */
	path_of(p, sizeof p, in, "unreadable.png");
	copy_sample("en_letter.png", in, "unreadable.png", 0, "u");
	chmod(p, 0);
	{
		int fd = open(p, O_RDONLY);

		if (fd >= 0) {
			root_reads = 1;
			close(fd);
			fprintf(stderr, "note: running as root, chmod 000 does not stop reading: "
					"unreadable.png is expected to be ingested; the FIFO stands for an "
					"unreadable entry\n");
		}
	}
	path_of(p, sizeof p, in, "fifo.png");
	fifo_ok = mkfifo(p, 0644) == 0;

	r = KT_RUN(store, "ingest", "ingest", "--jobs", "2", in);
	fprintf(stderr, "hostile batch: exit %d, peak RSS %ld MB\n%s", r.status, r.maxrss_kb / 1024, r.out);
	CHECK(r.status == 1, "exit %d, expected 1 (some failed): %s", r.status, r.err);
	CHECK(r.maxrss_kb < HOSTILE_MAX_RSS_KB, "peak RSS %ld kB above %ld kB", r.maxrss_kb,
	      HOSTILE_MAX_RSS_KB);
	docs = store_docs(store);
	for (i = 0; i < (int)(sizeof expect / sizeof expect[0]); i++) {
		const char *reason = strstr(r.out, expect[i].file);

		/* the summary lists every failure with its reason */
		CHECK(reason != NULL, "%s is not named among the failures", expect[i].file);
		if (reason != NULL) {
			const char *eol = strchr(reason, '\n');
			const char *why = strstr(reason, expect[i].reason);

			CHECK(why != NULL && (eol == NULL || why < eol), "%s: reason is not '%s'",
			      expect[i].file, expect[i].reason);
		}
	}
	if (fifo_ok)
		CHECK(strstr(r.out, "fifo.png': not a regular file") != NULL, "the FIFO is not named");
	if (!root_reads)
		CHECK(strstr(r.out, "unreadable.png") != NULL, "the unreadable file is not named");
	d = find_source(docs, "pages500.tif");
	CHECK(d != NULL && json_array_size(json_object_get(d, "pages")) == 500,
	      "the 500-page TIFF is not ingested with 500 pages");
	CHECK(find_source(docs, "good_passport.png") != NULL, "good_passport.png not ingested");
	CHECK(find_source(docs, "good_png_named.jpg") != NULL, "good_png_named.jpg not ingested");
	CHECK(find_source(docs, "bytes.png") != NULL, "the file with an odd name is not ingested");
	{
		size_t k;
		json_t *x;
		int done = 0;

		json_array_foreach(docs, k, x)
			done += strcmp(json_string_value(json_object_get(x, "status")) ?: "", "done") == 0;
		CHECK(done == 4 + root_reads, "%d documents done, expected %d", done, 4 + root_reads);
	}
	/* nothing half-written */
	{
		int packages = 0, swept = 0, stray = 0;
		char adir[8192];
		run_out v = KT_RUN(store, "verify", "verify");

		path_of(adir, sizeof adir, store, "archive");
		count_archive(adir, &packages, &swept, &stray);
		CHECK(packages == 4 + root_reads && swept == 0 && stray == 0,
		      "%d packages, %d temporary, %d stray", packages, swept, stray);
		CHECK(v.status == 0, "verify exited %d: %s", v.status, v.out);
		run_free(&v);
	}
	json_decref(docs);
	run_free(&r);
}

/* Fill a disk (a small tmpfs, or an injected write error): exit 2 with a
 * message, then a resume on a roomier disk finishes without loss. */
static void test_full_disk(void)
{
	char in[4096], store[4096], mnt[4096];
	int pages;
	run_out r;

	path_of(in, sizeof in, WORK, "in");
	pages = make_small_batch(in);

	/* 1. the injected write error (always possible) */
	path_of(store, sizeof store, WORK, "store-injected");
	setenv("KT_FAULT", "archive_write:3", 1);
	r = KT_RUN(store, "injected", "ingest", "--jobs", "2", in);
	unsetenv("KT_FAULT");
	CHECK(r.status == 2, "exit %d with a failing write, expected 2: %s", r.status, r.err);
	CHECK(strstr(r.err, "batch stopped") && strstr(r.err, "No space left on device"),
	      "no message: %s", r.err);
	run_free(&r);
	r = KT_RUN(store, "injected-resume", "ingest", "--jobs", "2", in);
	CHECK(r.status == 0, "resume exited %d: %s", r.status, r.err);
	run_free(&r);
	check_store_exactly_once(store, 8, pages);

	/* 2. a real full disk: a 1 MB tmpfs, then made roomier */
	path_of(mnt, sizeof mnt, WORK, "tmpfs");
	mkdir(mnt, 0755);
	if (mount("kt-test", mnt, "tmpfs", 0, "size=1m") != 0) {
		fprintf(stderr, "SKIP real full disk: cannot mount a tmpfs here (%s); the injected "
				"write error above stands for it\n", strerror(errno));
		return;
	}
	path_of(store, sizeof store, mnt, "store");
	r = KT_RUN(store, "full", "ingest", "--jobs", "2", in);
	fprintf(stderr, "full disk: exit %d: %s\n", r.status, r.err);
	CHECK(r.status == 2, "exit %d on a full disk, expected 2", r.status);
	CHECK(strstr(r.err, "batch stopped") != NULL, "no message: %s", r.err);
	run_free(&r);
	if (mount("kt-test", mnt, "tmpfs", MS_REMOUNT, "size=64m") != 0) {
		CHECK(0, "cannot remount the tmpfs: %s", strerror(errno));
	} else {
		r = KT_RUN(store, "full-resume", "ingest", "--jobs", "2", in);
		CHECK(r.status == 0, "resume exited %d: %s", r.status, r.err);
		run_free(&r);
		check_store_exactly_once(store, 8, pages);
	}
	umount2(mnt, MNT_DETACH);
}

/* Searches keep answering while a batch writes. */
static void test_readers(void)
{
	char in[4096], first[4096], store[4096], tag[64];
	int searches = 0, bad = 0, st;
	run_out r;
	pid_t pid;

	path_of(in, sizeof in, WORK, "in");
	path_of(first, sizeof first, WORK, "first");
	path_of(store, sizeof store, WORK, "store");
	make_small_batch(in);
	mkdir(first, 0755);
	copy_sample("en_letter.png", first, "first.png", 0, "first");
	r = KT_RUN(store, "first", "ingest", first);
	CHECK(r.status == 0, "first ingest exited %d: %s", r.status, r.err);
	run_free(&r);
	pid = kt_spawn(store, "batch", "ingest", "--jobs", "2", in, (char *)NULL);
	while (waitpid(pid, &st, WNOHANG) != pid) {
		snprintf(tag, sizeof tag, "search%d", searches % 2);
		r = KT_RUN(store, tag, "search", "--json", "the");
		searches++;
		if (r.status != 0) {
			bad++;
			fprintf(stderr, "search %d exited %d: %s\n", searches, r.status, r.err);
		}
		run_free(&r);
	}
	fprintf(stderr, "%d searches during the batch, %d failed\n", searches, bad);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the batch ended with %d", st);
	CHECK(searches >= 3 && bad == 0, "%d searches, %d failed", searches, bad);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*run)(void); } groups[] = {
		{ "jobs", test_jobs }, { "crash", test_crash }, { "hostile", test_hostile },
		{ "full_disk", test_full_disk }, { "readers", test_readers },
	};
	size_t i;

	if (argc != 6) {
		fprintf(stderr, "usage: test_batch KARTOTEKA INDEX_PAGES SAMPLES WORK GROUP\n");
		return 2;
	}
	KT = argv[1];
	IXPAGES = argv[2];
	SAMPLES = argv[3];
	WORK = argv[4];
	setMsgSeverity(L_SEVERITY_NONE);
	mkdir(WORK, 0755);
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(groups[i].name, argv[5]) == 0) {
			groups[i].run();
			fprintf(stderr, "%s: %d failed checks\n", argv[5], failures);
			return failures ? 1 : 0;
		}
	fprintf(stderr, "unknown group %s\n", argv[5]);
	return 2;
}
