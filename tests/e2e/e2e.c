/* e2e.c - helpers of the end-to-end tests (e2e.h). */
#include "e2e.h"
#include "kt_test.h"
#include "kt_buf.h"
#include "kt_sha.h"
#include "kt_status.h"
#include "kt_text.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

e2e_env E2E;

static void drain(int fd_out, int fd_err, char **out, char **err)
{
	kt_buf buf[2] = { KT_BUF_INIT, KT_BUF_INIT };
	struct pollfd p[2] = { { fd_out, POLLIN, 0 }, { fd_err, POLLIN, 0 } };
	int open_fds = 2, i;

	while (open_fds > 0) {
		if (poll(p, 2, -1) < 0)
			break;
		for (i = 0; i < 2; i++) {
			char chunk[4096];
			ssize_t k;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			k = read(p[i].fd, chunk, sizeof chunk);
			if (k <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			} else {
				assert_int_equal(kt_buf_add(&buf[i], chunk, (size_t)k), KT_OK);
			}
		}
	}
	*out = kt_buf_detach(&buf[0], NULL);
	*err = kt_buf_detach(&buf[1], NULL);
}

e2e_out e2e_run(const char *store, ...)
{
	const char *argv[64];
	int n = 0, po[2], pe[2], st;
	va_list ap;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	e2e_out o = { -1, NULL, NULL };
	const char *a;

	argv[n++] = E2E.kartoteka;
	argv[n++] = "--store";
	argv[n++] = store;
	va_start(ap, store);
	while ((a = va_arg(ap, const char *)) != NULL && n < 63)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	if (pipe(po) != 0 || pipe(pe) != 0)
		abort();
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	posix_spawn_file_actions_addclose(&fa, po[0]);
	posix_spawn_file_actions_addclose(&fa, pe[0]);
	if (posix_spawn(&pid, E2E.kartoteka, &fa, NULL, (char *const *)argv, environ) != 0)
		abort();
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	drain(po[0], pe[0], &o.out, &o.err);
	if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		o.status = WEXITSTATUS(st);
	return o;
}

void e2e_out_free(e2e_out *o)
{
	free(o->out);
	free(o->err);
	o->out = o->err = NULL;
}

json_t *e2e_json_lines(const char *text)
{
	json_t *arr = json_array();
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > 0) {
			json_error_t e;
			json_t *v = json_loadb(p, len, 0, &e);

			if (v == NULL) {
				fprintf(stderr, "not JSON: %.*s (%s)\n", (int)len, p, e.text);
				json_decref(arr);
				return NULL;
			}
			json_array_append_new(arr, v);
		}
		p = nl ? nl + 1 : NULL;
	}
	return arr;
}

json_t *e2e_docs_json(const char *store)
{
	e2e_out o = e2e_run(store, "docs", "--json", NULL);
	json_t *docs;

	if (o.status != 0)
		fail_msg("docs --json: %s", o.err);
	docs = e2e_json_lines(o.out);
	assert_non_null(docs);
	e2e_out_free(&o);
	return docs;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

json_t *e2e_truths(void)
{
	return e2e_truths_in("truth");
}

json_t *e2e_truths_in(const char *sub)
{
	char dir[4096], path[8192];
	DIR *d;
	struct dirent *de;
	char *names[256];
	int n = 0, i;
	json_t *arr = json_array();

	snprintf(dir, sizeof dir, "%s/%s", E2E.samples, sub);
	d = opendir(dir);
	if (d == NULL)
		return arr;
	while ((de = readdir(d)) != NULL && n < 256)
		if (strstr(de->d_name, ".json") != NULL)
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		json_t *t;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		t = json_load_file(path, 0, NULL);
		if (t != NULL)
			json_array_append_new(arr, t);
		free(names[i]);
	}
	return arr;
}

json_t *e2e_find_doc(json_t *docs, const char *file)
{
	size_t i, fl = strlen(file);
	json_t *d;

	json_array_foreach(docs, i, d) {
		const char *src = json_string_value(json_object_get(d, "source"));
		size_t sl = src ? strlen(src) : 0;

		if (sl >= fl && strcmp(src + sl - fl, file) == 0 && (sl == fl || src[sl - fl - 1] == '/'))
			return d;
	}
	return NULL;
}

/* Decode UTF-8 into code points with white space runs folded to one space. */
static uint32_t *codepoints(const char *s, size_t *n)
{
	size_t len = strlen(s), k = 0;
	uint32_t *cp = malloc((len + 1) * sizeof *cp);
	size_t i = 0;
	int space = 1;

	while (i < len) {
		uint32_t c = kt_utf8_next(s, len, &i);
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
			if (!space)
				cp[k++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		cp[k++] = c;
	}
	while (k > 0 && cp[k - 1] == ' ')
		k--;
	*n = k;
	return cp;
}

double e2e_cer(const char *truth, const char *ocr)
{
	size_t n, m, i, j;
	uint32_t *a = codepoints(truth, &n), *b = codepoints(ocr, &m);
	size_t *prev = malloc((m + 1) * sizeof *prev), *cur = malloc((m + 1) * sizeof *cur), *t;
	double cer;

	for (j = 0; j <= m; j++)
		prev[j] = j;
	for (i = 1; i <= n; i++) {
		cur[0] = i;
		for (j = 1; j <= m; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	cer = n == 0 ? (m == 0 ? 0.0 : 1.0) : (double)prev[m] / (double)n;
	free(a);
	free(b);
	free(prev);
	free(cur);
	return cer;
}

/* The fixture store is read by other tests at the same time, and each read
 * is audited: the store's access.sqlite-wal and -shm come and go, and cp
 * fails on a file that vanished while it copied. Such a copy is made again
 * (a few times, a moment apart), from nothing. */
int e2e_copy_tree(const char *from, const char *to)
{
	const char *argv[] = { "cp", "-a", from, to, NULL };
	int attempt;

	for (attempt = 0; attempt < 5; attempt++) {
		pid_t pid;
		int st;

		if (attempt > 0) {
			kt_test_remove_tree(to);
			usleep(200000);
		}
		if (posix_spawnp(&pid, "cp", NULL, NULL, (char *const *)argv, environ) != 0)
			return -1;
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			return 0;
	}
	return -1;
}

unsigned char *e2e_sample(const char *rel, const char *extra, size_t *len)
{
	char path[1200];
	unsigned char *data, *all;
	size_t n, k = strlen(extra);

	snprintf(path, sizeof path, "%s/%s", E2E.samples, rel);
	data = kt_test_read_file(path, &n);
	if (data == NULL)
		fail_msg("cannot read %s", path);
	all = malloc(n + k + 1);
	assert_non_null(all);
	memcpy(all, data, n);
	memcpy(all + n, extra, k + 1);
	*len = n + k;
	free(data);
	return all;
}

void e2e_copy_sample(const char *rel, const char *dir, const char *as, const char *extra)
{
	char path[1200];
	size_t len;
	unsigned char *data = e2e_sample(rel, extra, &len);

	snprintf(path, sizeof path, "%s/%s", dir, as);
	kt_test_write_file(path, data, len);
	free(data);
}

void e2e_fresh(const char *tag, char *store, size_t store_size, char *in, size_t in_size)
{
	snprintf(store, store_size, "%s/%s-store", E2E.work, tag);
	snprintf(in, in_size, "%s/%s-in", E2E.work, tag);
	kt_test_remove_tree(store);
	kt_test_remove_tree(in);
	if (mkdir(in, 0755) != 0)
		fail_msg("cannot make %s", in);
}

json_t *e2e_doc_of(const char *store, const char *file, const char *status)
{
	json_t *docs = e2e_docs_json(store), *d = e2e_find_doc(docs, file);

	if (d == NULL)
		fail_msg("no document for %s", file);
	if (strcmp(json_string_value(json_object_get(d, "status")), status) != 0)
		fail_msg("%s is %s, want %s: %s", file, json_string_value(json_object_get(d, "status")),
			 status, json_string_value(json_object_get(d, "error")));
	json_incref(d);
	json_decref(docs);
	return d;
}

char *e2e_package_file(const char *store, const char *relpath, const char *name, size_t *len)
{
	char cmd[8192];
	FILE *f;
	char *s = malloc(1 << 20);
	size_t n;

	assert_non_null(s);
	snprintf(cmd, sizeof cmd, "tar -xOf '%s/archive/%s' --wildcards '*data/%s'", store, relpath, name);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(s, 1, (1 << 20) - 1, f);
	pclose(f);
	s[n] = '\0';
	if (len != NULL)
		*len = n;
	return s;
}

json_t *e2e_package_record(const char *store, json_t *doc)
{
	const char *pkg = json_string_value(json_object_get(doc, "package"));
	json_error_t je;
	char *text;
	json_t *j;

	assert_non_null(pkg);
	text = e2e_package_file(store, pkg, "metadata/document.json", NULL);
	j = json_loads(text, 0, &je);
	free(text);
	if (j == NULL)
		fail_msg("document.json of %s: %s", pkg, je.text);
	return j;
}

void e2e_init_store(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = args[2];
	E2E.work = args[3];
}

void e2e_init_work(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = NULL;
	E2E.work = args[2];
}

void e2e_package_sha(const char *store, const char *relpath, char hex[65])
{
	char path[2048];
	unsigned char *data;
	size_t len;

	snprintf(path, sizeof path, "%s/archive/%s", store, relpath);
	data = kt_test_read_file(path, &len);
	if (data == NULL)
		fail_msg("cannot read package '%s'", path);
	assert_int_equal(kt_sha256_hex(data, len, hex), KT_OK);
	free(data);
}
