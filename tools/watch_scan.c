/*
 * watch_scan.c - `kartoteka watch`: what lies in the watched folders, what a
 * file or a subfolder looks like, and the quiet rule (docs/watch.md): an item
 * is complete when it has stayed unchanged (size, modification time, inode;
 * a subfolder: everything in it) for the quiet period and is not open for
 * writing as far as can be told.
 */
#define _GNU_SOURCE /* F_SETLEASE */
#include "watch_private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double watch_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n > m && strcmp(s + n - m, end) == 0;
}

int watch_name_ok(const char *name)
{
	static const char *const temp[] = { ".part", ".partial", ".filepart", ".crdownload", ".tmp" };
	size_t i;

	if (name[0] == '.' || strncmp(name, "~$", 2) == 0)
		return 0;
	for (i = 0; i < sizeof temp / sizeof temp[0]; i++)
		if (ends_with(name, temp[i]))
			return 0;
	return 1;
}

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

char *watch_join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = malloc(len);

	if (p != NULL)
		snprintf(p, len, "%s/%s", dir, name);
	return p;
}

/* Add what folder dir holds to *sig; taken: the path so far is one
 * kt_ingest walks (no hidden folder on the way). 0, or -1 when dir cannot
 * be read. */
static int walk_sig(const char *dir, int taken, int depth, watch_sig *sig, char **temp)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		char *p;
		int ok = taken && de->d_name[0] != '.';

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((p = watch_join(dir, de->d_name)) == NULL) {
			rc = -1;
			break;
		}
		sig->ino++;
		if (lstat(p, &st) == 0) {
			if (mtime_ns(&st) > sig->mtime)
				sig->mtime = mtime_ns(&st);
			if (S_ISDIR(st.st_mode) && depth < 64) {
				rc = walk_sig(p, ok, depth + 1, sig, temp);
			} else if (!S_ISDIR(st.st_mode)) {
				sig->size += (long long)st.st_size;
				if (ok && temp != NULL && *temp == NULL && !watch_name_ok(de->d_name)) {
					*temp = p;
					p = NULL;
				}
				sig->files += ok;
			}
		}
		free(p);
	}
	closedir(d);
	return rc;
}

int watch_sig_of(const char *path, int is_dir, watch_sig *sig, char **temp)
{
	struct stat st;

	memset(sig, 0, sizeof *sig);
	if (temp != NULL)
		*temp = NULL;
	if (lstat(path, &st) != 0 || (is_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
		return -1;
	sig->mtime = mtime_ns(&st);
	if (!is_dir) {
		sig->size = (long long)st.st_size;
		sig->ino = (long long)st.st_ino;
		sig->files = 1;
		return 0;
	}
	if (walk_sig(path, 1, 0, sig, temp) != 0) {
		if (temp != NULL) {
			free(*temp);
			*temp = NULL;
		}
		return -1;
	}
	return 0;
}

int watch_sig_same(const watch_sig *a, const watch_sig *b)
{
	return a->size == b->size && a->mtime == b->mtime && a->ino == b->ino && a->files == b->files;
}

static int files_of(const char *dir, int depth, kt_strv *out)
{
	kt_strv names = KT_STRV_INIT;
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t i;
	int rc = KT_OK;

	if (d == NULL)
		return KT_FAILED;
	while (rc == KT_OK && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			rc = kt_strv_push(&names, de->d_name);
	closedir(d);
	kt_strv_sort(&names);
	for (i = 0; rc == KT_OK && i < names.n; i++) {
		char *p = watch_join(dir, names.v[i]);
		struct stat st;

		if (p == NULL)
			rc = KT_FATAL;
		else if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = depth < 64 ? files_of(p, depth + 1, out) : KT_OK;
		else if (lstat(p, &st) == 0 && !S_ISLNK(st.st_mode))
			rc = kt_strv_push(out, p);
		else if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			rc = kt_strv_push(out, p); /* a link to a file, as kt_ingest takes it */
		free(p);
	}
	kt_strv_release(&names);
	return rc;
}

int watch_files_of(const char *dir, kt_strv *out)
{
	return files_of(dir, 0, out);
}

/* Is the local file path open for writing? A read lease is refused while
 * any process has it open for writing (fcntl(2), F_SETLEASE); opened
 * O_NONBLOCK so that another's lease is not waited for. 1 yes, 0 no or
 * cannot tell (not our file, a network file system). */
static int lease_writing(const char *path)
{
	struct stat st;
	int fd, rc = 0;

	/* never open a device or a pipe that lies among the files */
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno == EWOULDBLOCK; /* another holds a write lease */
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0)
		fcntl(fd, F_SETLEASE, F_UNLCK);
	else if (errno == EAGAIN)
		rc = 1;
	close(fd);
	return rc;
}

int watch_writing(const watch *w, const watch_item *it)
{
	size_t n = strlen(it->path), i;
	kt_strv files = KT_STRV_INIT;
	int rc = 0;

	for (i = 0; i < w->open.n; i++)
		if (strcmp(w->open.v[i], it->path) == 0 ||
		    (it->is_dir && strncmp(w->open.v[i], it->path, n) == 0 && w->open.v[i][n] == '/'))
			return 1;
	if (!it->is_dir)
		return lease_writing(it->path);
	if (watch_files_of(it->path, &files) != KT_OK)
		rc = 1; /* cannot tell now: look again */
	for (i = 0; rc == 0 && i < files.n; i++)
		rc = lease_writing(files.v[i]);
	kt_strv_release(&files);
	return rc;
}

void watch_open_add(watch *w, const char *path)
{
	size_t i;

	for (i = 0; i < w->open.n; i++)
		if (strcmp(w->open.v[i], path) == 0)
			return;
	kt_strv_push(&w->open, path); /* out of memory: the quiet rule alone */
}

void watch_open_remove(watch *w, const char *path)
{
	size_t i, n = strlen(path);

	/* the path, and what was under it (a folder moved or removed) */
	for (i = w->open.n; i-- > 0;)
		if (strncmp(w->open.v[i], path, n) == 0 && (w->open.v[i][n] == '\0' || w->open.v[i][n] == '/')) {
			free(w->open.v[i]);
			w->open.v[i] = w->open.v[--w->open.n];
			w->open.v[w->open.n] = NULL;
		}
}

watch_item *watch_item_at(watch *w, size_t i)
{
	return (watch_item *)w->items.data + i;
}

watch_folder *watch_folder_at(watch *w, size_t i)
{
	return (watch_folder *)w->folders.data + i;
}

long watch_find(watch *w, const char *path)
{
	size_t i;

	for (i = 0; i < w->items.len; i++)
		if (strcmp(watch_item_at(w, i)->path, path) == 0)
			return (long)i;
	return -1;
}

int watch_add(watch *w, const char *path, int folder, int is_dir)
{
	watch_item it = { .folder = folder, .is_dir = is_dir, .state = WATCH_PENDING,
			  .changed = watch_now() };

	if ((it.path = strdup(path)) == NULL)
		return KT_FATAL;
	if (is_dir)
		watch_notify_tree(w, folder, path);
	watch_sig_of(path, is_dir, &it.sig, NULL);
	if (kt_vec_push(&w->items, &it) != KT_OK) {
		free(it.path);
		return KT_FATAL;
	}
	return KT_OK;
}

void watch_drop(watch *w, size_t i)
{
	watch_item *it = watch_item_at(w, i);

	if (it->is_dir)
		watch_notify_forget(w, it->path);
	free(it->path);
	memmove(it, it + 1, (w->items.len - i - 1) * sizeof *it);
	w->items.len--;
}

/* Scan folder k: new items added (in name order), gone ones dropped. */
static int scan_folder(watch *w, size_t k)
{
	watch_folder *f = watch_folder_at(w, k);
	size_t before = w->items.len, i;
	kt_strv names = KT_STRV_INIT;
	unsigned char *seen;
	struct dirent *de;
	int rc = KT_OK;
	DIR *d;

	if ((d = opendir(f->path)) == NULL) {
		if (!f->said)
			watch_log(w, WATCH_BAD, "cannot read the folder '%s': %s", f->path, strerror(errno));
		f->said = 1;
		return KT_OK;
	}
	if (f->said)
		watch_log(w, WATCH_INFO, "the folder '%s' can be read again", f->path);
	f->said = 0;
	while (rc == KT_OK && (de = readdir(d)) != NULL)
		if (watch_name_ok(de->d_name))
			rc = kt_strv_push(&names, de->d_name);
	closedir(d);
	if (rc != KT_OK || (seen = calloc(before + 1, 1)) == NULL) {
		kt_strv_release(&names);
		return KT_FATAL;
	}
	kt_strv_sort(&names);
	for (i = 0; rc == KT_OK && i < names.n; i++) {
		char *p = watch_join(f->path, names.v[i]);
		struct stat st;
		long at;

		if (p == NULL) {
			rc = KT_FATAL;
			break;
		}
		if (lstat(p, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
			at = watch_find(w, p);
			/* a file that became a folder, or back: the old item is
			 * not seen (dropped below), a new one added */
			if (at >= 0 && watch_item_at(w, (size_t)at)->is_dir != !!S_ISDIR(st.st_mode))
				at = -1;
			if (at < 0)
				rc = watch_add(w, p, (int)k, S_ISDIR(st.st_mode));
			else {
				watch_item_at(w, (size_t)at)->dirty = 1;
				if ((size_t)at < before)
					seen[at] = 1;
			}
		}
		free(p);
	}
	for (i = before; rc == KT_OK && i-- > 0;)
		if (!seen[i] && watch_item_at(w, i)->folder == (int)k)
			watch_drop(w, i);
	free(seen);
	kt_strv_release(&names);
	return rc;
}

int watch_scan_all(watch *w)
{
	size_t k;
	int rc = KT_OK;

	w->rescan = 0;
	for (k = 0; rc == KT_OK && k < w->folders.len; k++) {
		if (w->ino >= 0 && watch_folder_at(w, k)->wd < 0)
			watch_notify_folder(w, k);
		rc = scan_folder(w, k);
	}
	return rc;
}

int watch_check(watch *w, size_t i, double now)
{
	watch_item *it = watch_item_at(w, i);
	char *temp = NULL;
	watch_sig s;

	if (it->state == WATCH_HANDLED) {
		if (!it->dirty)
			return WATCH_WAIT;
		it->dirty = 0;
		if (watch_sig_of(it->path, it->is_dir, &s, NULL) != 0)
			return WATCH_GONE;
		if (!watch_sig_same(&s, &it->sig)) {
			it->state = WATCH_PENDING;
			it->sig = s;
			it->changed = now;
			it->said = 0;
		}
		return WATCH_WAIT;
	}
	it->dirty = 0;
	/* once a second is enough while the quiet period runs (a copy in
	 * progress wakes the loop at every write) */
	if (now - it->changed < w->quiet && now - it->looked < 1)
		return WATCH_WAIT;
	it->looked = now;
	if (watch_sig_of(it->path, it->is_dir, &s, &temp) != 0)
		return WATCH_GONE;
	if (!watch_sig_same(&s, &it->sig)) {
		it->sig = s;
		it->changed = now;
		it->said = 0;
		free(temp);
		return WATCH_WAIT;
	}
	if (now - it->changed < w->quiet) {
		free(temp);
		return WATCH_WAIT;
	}
	if (it->is_dir && s.files == 0) {
		it->state = WATCH_HANDLED; /* nothing to take (yet) */
		free(temp);
		return WATCH_WAIT;
	}
	if (temp != NULL) {
		/* a stale temporary file must not hold --once for ever */
		if (!it->said)
			watch_log(w, WATCH_INFO, "%s '%s': it holds the temporary file '%s'",
				  w->once ? "left" : "waiting for", it->path, temp);
		it->said = 1;
		if (w->once)
			it->state = WATCH_HANDLED;
		free(temp);
		return WATCH_WAIT;
	}
	if (watch_writing(w, it)) {
		if (!it->said)
			watch_log(w, WATCH_INFO, "waiting for '%s': it is still open for writing", it->path);
		it->said = 1;
		return WATCH_WAIT;
	}
	return WATCH_READY;
}
