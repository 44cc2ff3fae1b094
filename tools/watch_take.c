/*
 * watch_take.c - `kartoteka watch`: taking a complete item (docs/watch.md).
 * A file directly in a watched folder joins the batch FOLDER-YYYY-MM-DD (the
 * local date); a subfolder is one paper file, one kt_ingest call on it as the
 * batch of its name. A file the catalog already has as done (its SHA-256) is
 * not ingested again: it is said so and moved to done, as a restart after a
 * crash between ingest and move finds it. Moves happen only after kt_ingest
 * has returned, so what a file became is committed before it leaves. With
 * --keep nothing moves and the item is remembered (path, size, modification
 * time) so that it is not read again until it changes.
 */
#define _GNU_SOURCE /* asprintf */
#include "watch_private.h"
#include "kt_catalog.h"
#include "kt_sha.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void watch_log(const watch *w, int level, const char *fmt, ...)
{
	char msg[4096], stamp[32] = "";
	time_t t = time(NULL);
	struct tm tm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* the journal stamps each line itself */
	if (!w->journal && localtime_r(&t, &tm) != NULL)
		strftime(stamp, sizeof stamp, w->tty ? "%H:%M:%S " : "%Y-%m-%d %H:%M:%S ", &tm);
	fputs(stamp, stderr);
	if (w->tty && level == WATCH_BAD)
		fputs("\033[31m", stderr);
	fputs("kartoteka watch: ", stderr);
	kt_cli_print_safe(stderr, msg);
	if (w->tty && level == WATCH_BAD)
		fputs("\033[0m", stderr);
	fputc('\n', stderr);
}

/* What became of one file. Strings malloc'd. */
typedef struct taken_file {
	char *path;
	int outcome;          /* enum kt_outcome */
	long long doc;
	int pages;
	char *reason, *warning;
} taken_file;

typedef struct take {
	kt_vec files;         /* taken_file, in the order told */
	int oom;
} take;

static void take_release(take *t)
{
	size_t i;

	for (i = 0; i < t->files.len; i++) {
		taken_file *f = (taken_file *)t->files.data + i;

		free(f->path);
		free(f->reason);
		free(f->warning);
	}
	kt_vec_release(&t->files);
}

static void add_file(take *t, const char *path, size_t len, int outcome, long long doc, int pages,
		     const char *reason, const char *warning)
{
	taken_file f = { .outcome = outcome, .doc = doc, .pages = pages };

	f.path = strndup(path, len);
	f.reason = reason ? strdup(reason) : NULL;
	f.warning = warning ? strdup(warning) : NULL;
	if (f.path == NULL || (reason && !f.reason) || (warning && !f.warning) ||
	    kt_vec_push(&t->files, &f) != KT_OK) {
		free(f.path);
		free(f.reason);
		free(f.warning);
		t->oom = 1;
	}
}

static void on_file(void *ctx, int done, int total, const kt_file_event *ev)
{
	(void)done;
	(void)total;
	if (ev != NULL)
		add_file(ctx, ev->path, ev->path_len, ev->outcome, ev->doc_id, ev->pages, ev->reason,
			 ev->warning);
}

/* The catalog's status of the file path (by its SHA-256) into *status
 * (KT_DOC_NONE when unknown or it cannot be read: kt_ingest then says why),
 * its document into *id, a failed one's reason into *why (malloc'd). */
static void known(watch *w, const char *path, enum kt_doc_status *status, long long *id, char **why)
{
	char hex[KT_SHA256_HEX], buf[65536];
	kt_sha *sha;
	struct stat st;
	ssize_t n = -1;
	int fd;

	*status = KT_DOC_NONE;
	*id = 0;
	*why = NULL;
	/* a device or a pipe among the files is for kt_ingest to refuse */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	sha = kt_sha_new(KT_SHA256);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	while (fd >= 0 && sha != NULL && ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0 && kt_sha_update(sha, buf, (size_t)n) != KT_OK)
			break;
	if (n == 0 && kt_sha_final_hex(sha, hex) == KT_OK &&
	    kt_catalog_doc_find(kt_store_catalog(w->store), hex, id, status, why) != KT_OK) {
		*status = KT_DOC_NONE;
		*id = 0;
	}
	if (fd >= 0)
		close(fd);
	kt_sha_free(&sha);
}

/* Log what became of f, count it. */
static void report(watch *w, const taken_file *f)
{
	const char *why = f->reason ? f->reason : "no reason given";

	if (f->outcome == KT_OUTCOME_DONE) {
		w->done++;
		watch_log(w, WATCH_INFO, "done '%s' -> document %lld, %d page%s%s%s%s", f->path, f->doc,
			  f->pages, f->pages == 1 ? "" : "s", f->warning ? " (warning: " : "",
			  f->warning ? f->warning : "", f->warning ? ")" : "");
	} else if (f->outcome == KT_OUTCOME_SKIPPED) {
		w->already++;
		watch_log(w, WATCH_INFO, "skipped '%s': %s", f->path, why);
	} else {
		w->failed++;
		watch_log(w, WATCH_BAD, "failed '%s': %s", f->path, why);
	}
}

/* The text of NAME.txt beside a failed file (malloc'd; NULL out of memory). */
static char *reason_text(const taken_file *f, const char *batch, long long batch_id)
{
	char when[64] = "", *s = NULL;
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
	if (asprintf(&s, "%s\n\nfile: %s\nbatch: %s (%lld)\ndocument: %lld\nfailed at: %s\n",
		     f->reason ? f->reason : "no reason given", f->path, batch, batch_id, f->doc, when) < 0)
		return NULL;
	return s;
}

/* Move file f to dir (done or failed by its outcome) as name; log it.
 * KT_OK, or KT_FAILED (said). */
static int move_one(watch *w, const taken_file *f, const char *dir, const char *name,
		    const char *batch, long long batch_id)
{
	char *text = NULL, *dest = NULL;
	kt_error err = { 0 };
	int rc;

	if (f->outcome == KT_OUTCOME_FAILED && (text = reason_text(f, batch, batch_id)) == NULL)
		return KT_FAILED;
	rc = watch_place(f->path, dir, name, text, &dest, &err);
	if (rc == KT_OK) {
		watch_log(w, WATCH_INFO, "moved '%s' to '%s'%s", f->path, dest,
			  text ? " (the reason beside it in .txt)" : "");
	} else {
		w->unmoved++;
		watch_log(w, WATCH_BAD, "%s; it stays where it is", err.msg);
	}
	free(text);
	free(dest);
	return rc;
}

/* Ingest path as batch (unless every file of it is known done, or with
 * --keep failed), into t. KT_OK or KT_FATAL (said). */
static int ingest(watch *w, const char *path, const kt_strv *files, const char *batch, int join,
		  take *t, long long *batch_id)
{
	kt_ingest_opts o = { .batch_name = batch, .join_batch = join, .retry_failed = 1,
			     .progress = on_file, .ctx = t };
	const char *paths[1] = { path };
	kt_ingest_report rep = { 0 };
	kt_error err = { 0 };
	size_t i, known_done = 0;

	*batch_id = 0;
	for (i = 0; i < files->n; i++) {
		enum kt_doc_status st;
		long long id;
		char *why, msg[600];

		known(w, files->v[i], &st, &id, &why);
		if (st == KT_DOC_DONE) {
			snprintf(msg, sizeof msg, "already done as document %lld", id);
			add_file(t, files->v[i], strlen(files->v[i]), KT_OUTCOME_SKIPPED, id, 0, msg, NULL);
			known_done++;
		} else if (st == KT_DOC_FAILED && w->keep) {
			/* a kept file is not tried again until it changes */
			snprintf(msg, sizeof msg, "failed before as document %lld (%.500s)", id, why ? why : "?");
			add_file(t, files->v[i], strlen(files->v[i]), KT_OUTCOME_FAILED, id, 0, msg, NULL);
			known_done++;
		}
		free(why);
	}
	if (files->n > 0 && known_done == files->n)
		return t->oom ? KT_FATAL : KT_OK;
	take_release(t);
	kt_vec_init(&t->files, sizeof(taken_file));
	if (kt_ingest(w->store, paths, 1, &o, &rep, &err) == KT_FATAL) {
		watch_log(w, WATCH_BAD, "the batch stopped: %s; '%s' stays where it is", err.msg, path);
		return KT_FATAL;
	}
	*batch_id = rep.batch_id;
	if (t->oom) {
		watch_log(w, WATCH_BAD, "out of memory");
		return KT_FATAL;
	}
	return KT_OK;
}

/* After a take: the item is dropped when path is gone, else handled. */
static void settle(watch *w, size_t i, const char *path, int *dropped)
{
	watch_item *it = watch_item_at(w, i);

	if (watch_sig_of(path, it->is_dir, &it->sig, NULL) != 0) {
		watch_drop(w, i);
		*dropped = 1;
		return;
	}
	it->state = WATCH_HANDLED;
	it->dirty = 0;
	it->said = 0;
}

/* A file directly in the watched folder. */
static int take_file(watch *w, size_t i, const char *path, int *dropped)
{
	const watch_folder *f = watch_folder_at(w, (size_t)watch_item_at(w, i)->folder);
	kt_strv one = KT_STRV_INIT;
	take t = { .oom = 0 };
	char batch[600], date[16] = "";
	long long batch_id = 0;
	time_t now = time(NULL);
	struct tm tm;
	size_t k;
	int rc;

	if (localtime_r(&now, &tm) != NULL)
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
	snprintf(batch, sizeof batch, "%s-%s", f->name, date);
	watch_log(w, WATCH_INFO, "taken '%s' into the batch '%s'", path, batch);
	w->taken++;
	kt_vec_init(&t.files, sizeof(taken_file));
	if (kt_strv_push(&one, path) != KT_OK)
		return KT_FATAL;
	rc = ingest(w, path, &one, batch, 1, &t, &batch_id);
	kt_strv_release(&one);
	for (k = 0; rc == KT_OK && k < t.files.len; k++) {
		const taken_file *tf = (taken_file *)t.files.data + k;
		const char *name = strrchr(tf->path, '/');

		report(w, tf);
		if (!w->keep)
			move_one(w, tf, tf->outcome == KT_OUTCOME_FAILED ? f->failed : f->done,
				 name ? name + 1 : tf->path, batch, batch_id);
	}
	take_release(&t);
	if (rc == KT_OK)
		settle(w, i, path, dropped);
	return rc;
}

/* A subfolder: one paper file, the batch of its name. */
static int take_dir(watch *w, size_t i, const char *path, int *dropped)
{
	const watch_folder *f = watch_folder_at(w, (size_t)watch_item_at(w, i)->folder);
	const char *name = strrchr(path, '/') + 1;
	char *to[2] = { NULL, NULL };
	kt_strv files = KT_STRV_INIT, moved = KT_STRV_INIT;
	take t = { .oom = 0 };
	long long batch_id = 0;
	size_t k, n = strlen(path);
	int rc;

	kt_vec_init(&t.files, sizeof(taken_file));
	if ((rc = watch_files_of(path, &files)) == KT_FATAL) {
		kt_strv_release(&files);
		return KT_FATAL;
	}
	watch_log(w, WATCH_INFO, "taken the folder '%s' (%zu file%s) as the batch '%s'", path, files.n,
		  files.n == 1 ? "" : "s", name);
	w->taken++;
	rc = ingest(w, path, &files, name, 0, &t, &batch_id);
	kt_strv_release(&files);
	for (k = 0; rc == KT_OK && k < t.files.len; k++) {
		const taken_file *tf = (taken_file *)t.files.data + k;
		int bad = tf->outcome == KT_OUTCOME_FAILED;
		const char *rel = strncmp(tf->path, path, n) == 0 && tf->path[n] == '/' ? tf->path + n + 1
											: strrchr(tf->path, '/');
		char *dir = NULL, *slash;
		kt_error err = { 0 };

		report(w, tf);
		if (w->keep || rel == NULL)
			continue;
		if (rel[0] == '/')
			rel++;
		/* the folder's own place in done or failed: a new one each take */
		if (to[bad] == NULL && watch_new_dir(bad ? f->failed : f->done, name, &to[bad], &err) != KT_OK) {
			w->unmoved++;
			watch_log(w, WATCH_BAD, "%s; '%s' stays where it is", err.msg, tf->path);
			continue;
		}
		if (asprintf(&dir, "%s/%s", to[bad], rel) < 0) {
			rc = KT_FATAL;
			break;
		}
		slash = strrchr(dir, '/');
		*slash = '\0';
		if (move_one(w, tf, dir, slash + 1, name, batch_id) == KT_OK)
			kt_strv_push(&moved, tf->path);
		free(dir);
	}
	take_release(&t);
	free(to[0]);
	free(to[1]);
	if (rc == KT_OK && !w->keep)
		watch_prune(path, &moved);
	kt_strv_release(&moved);
	if (rc == KT_OK)
		settle(w, i, path, dropped);
	return rc;
}

int watch_take(watch *w, size_t i, int *dropped)
{
	char *path = strdup(watch_item_at(w, i)->path);
	int rc;

	*dropped = 0;
	if (path == NULL)
		return KT_FATAL;
	rc = watch_item_at(w, i)->is_dir ? take_dir(w, i, path, dropped) : take_file(w, i, path, dropped);
	free(path);
	return rc;
}
