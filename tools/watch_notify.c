/*
 * watch_notify.c - `kartoteka watch`: inotify on the watched folders and on
 * every folder inside their subfolders. Events find new files quickly and
 * say what is being written (a write seen and no close since); whether an
 * item is complete is still judged by looking at it (watch_scan.c), since
 * inotify does not see what other hosts write on a network mount. An
 * overflow of the event queue makes a full scan.
 */
#include "watch_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#define WATCH_MASK (IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
		    IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | \
		    IN_EXCL_UNLINK)

int watch_notify_start(watch *w)
{
	size_t k;

	w->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ino < 0) {
		watch_log(w, WATCH_BAD, "inotify cannot be used (%s): only scans find files",
			  strerror(errno));
		return KT_FAILED;
	}
	for (k = 0; k < w->folders.len; k++)
		watch_notify_folder(w, k);
	return KT_OK;
}

void watch_notify_folder(watch *w, size_t k)
{
	watch_folder *f = watch_folder_at(w, k);

	if (w->ino < 0)
		return;
	f->wd = inotify_add_watch(w->ino, f->path, WATCH_MASK);
	if (f->wd < 0 && !f->said_unwatched)
		watch_log(w, WATCH_BAD, "cannot watch the folder '%s' with inotify (%s): only scans "
			  "find its files", f->path, strerror(errno));
	f->said_unwatched = f->wd < 0;
}

static watch_dirwatch *dir_at(watch *w, size_t i)
{
	return (watch_dirwatch *)w->dirs.data + i;
}

static void tree(watch *w, int folder, const char *path, int depth)
{
	watch_dirwatch d = { .folder = folder };
	struct dirent *de;
	size_t i;
	DIR *dir;

	d.wd = inotify_add_watch(w->ino, path, WATCH_MASK);
	if (d.wd < 0)
		return; /* gone, or no more watches: the quiet rule alone */
	for (i = 0; i < w->dirs.len && dir_at(w, i)->wd != d.wd; i++)
		;
	if (i < w->dirs.len) {
		/* the same folder under a new name */
		char *p = strdup(path);

		if (p != NULL) {
			free(dir_at(w, i)->path);
			dir_at(w, i)->path = p;
		}
	} else if ((d.path = strdup(path)) == NULL || kt_vec_push(&w->dirs, &d) != KT_OK) {
		free(d.path);
		inotify_rm_watch(w->ino, d.wd);
		return;
	}
	if (depth >= 64 || (dir = opendir(path)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		struct stat st;
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((p = watch_join(path, de->d_name)) != NULL && lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			tree(w, folder, p, depth + 1);
		free(p);
	}
	closedir(dir);
}

void watch_notify_tree(watch *w, int folder, const char *path)
{
	if (w->ino >= 0)
		tree(w, folder, path, 0);
}

void watch_notify_forget(watch *w, const char *path)
{
	size_t i, n = strlen(path);

	for (i = w->dirs.len; i-- > 0;) {
		watch_dirwatch *d = dir_at(w, i);

		if (strncmp(d->path, path, n) == 0 && (d->path[n] == '\0' || d->path[n] == '/')) {
			inotify_rm_watch(w->ino, d->wd);
			free(d->path);
			*d = *dir_at(w, w->dirs.len - 1);
			w->dirs.len--;
		}
	}
}

/* The item path an event inside folder f's subfolders belongs to: f/TOP of
 * dir (a folder below f), malloc'd; NULL when out of memory. */
static char *top_of(const watch_folder *f, const char *dir)
{
	size_t n = strlen(f->path);
	const char *rest = dir + n + 1, *slash;

	if (strncmp(dir, f->path, n) != 0 || dir[n] != '/')
		return NULL;
	slash = strchr(rest, '/');
	return strndup(dir, slash ? (size_t)(slash - dir) : strlen(dir));
}

/* Apply one event that names an entry (ev->len > 0) of folder dir (top:
 * dir is the watched folder k itself). */
static void on_entry(watch *w, size_t k, const char *dir, int top, const struct inotify_event *ev)
{
	const uint32_t m = ev->mask;
	int gone = (m & (IN_DELETE | IN_MOVED_FROM)) != 0;
	char *full = watch_join(dir, ev->name), *item;
	struct stat st;
	long at;

	if (full == NULL) {
		w->rescan = 1;
		return;
	}
	if (top && !watch_name_ok(ev->name)) {
		free(full);
		return;
	}
	if (!(m & IN_ISDIR)) {
		if (m & IN_MODIFY)
			watch_open_add(w, full);
		else if ((m & IN_CREATE) && lstat(full, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1)
			watch_open_add(w, full); /* made to be written; a hard link is not */
		if (m & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM))
			watch_open_remove(w, full);
	} else if (gone) {
		watch_notify_forget(w, full);
		watch_open_remove(w, full);
	} else if (!top && (m & (IN_CREATE | IN_MOVED_TO))) {
		watch_notify_tree(w, (int)k, full);
	}
	item = top ? full : top_of(watch_folder_at(w, k), dir);
	if (item == NULL) {
		free(full);
		return;
	}
	at = watch_find(w, item);
	if (at >= 0 && top && gone) {
		watch_drop(w, (size_t)at);
	} else if (at >= 0) {
		watch_item *it = watch_item_at(w, (size_t)at);

		it->dirty = 1;
		if (it->state == WATCH_PENDING && !(m & IN_CLOSE_WRITE)) {
			it->changed = watch_now();
			it->said = 0;
		}
	} else if (!gone || !top) {
		const char *name = strrchr(item, '/') + 1;

		if (watch_name_ok(name) && lstat(item, &st) == 0 &&
		    (S_ISDIR(st.st_mode) || (top && S_ISREG(st.st_mode))) &&
		    watch_add(w, item, (int)k, S_ISDIR(st.st_mode)) != KT_OK)
			w->rescan = 1;
	}
	if (item != full)
		free(item);
	free(full);
}

static void on_event(watch *w, const struct inotify_event *ev)
{
	size_t k, i;

	if (ev->mask & IN_Q_OVERFLOW) {
		/* events were lost: scan, and trust no "open" of before */
		watch_log(w, WATCH_INFO, "too many events at once: scanning the folders again");
		kt_strv_release(&w->open);
		w->rescan = 1;
		return;
	}
	for (k = 0; k < w->folders.len; k++) {
		watch_folder *f = watch_folder_at(w, k);

		if (f->wd != ev->wd)
			continue;
		if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
			watch_log(w, WATCH_BAD, "the folder '%s' was %s: it is looked for at each scan",
				  f->path, (ev->mask & IN_MOVE_SELF) ? "moved" : "removed or unmounted");
			if (!(ev->mask & IN_IGNORED))
				inotify_rm_watch(w->ino, f->wd);
			f->wd = -1;
			w->rescan = 1;
		} else if (ev->len > 0) {
			on_entry(w, k, f->path, 1, ev);
		}
		return;
	}
	for (i = 0; i < w->dirs.len; i++) {
		watch_dirwatch *d = dir_at(w, i);

		if (d->wd != ev->wd)
			continue;
		if (ev->mask & IN_IGNORED) {
			free(d->path);
			*d = *dir_at(w, w->dirs.len - 1);
			w->dirs.len--;
		} else if (ev->len > 0) {
			char *dir = strdup(d->path); /* on_entry may change w->dirs */

			if (dir != NULL)
				on_entry(w, (size_t)d->folder, dir, 0, ev);
			else
				w->rescan = 1;
			free(dir);
		}
		return;
	}
}

int watch_notify_read(watch *w)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	if (w->ino < 0)
		return KT_OK;
	for (;;) {
		ssize_t n = read(w->ino, buf, sizeof buf);
		const char *p;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return KT_OK;
		if (n <= 0) {
			watch_log(w, WATCH_BAD, "cannot read inotify events: %s", n < 0 ? strerror(errno) : "end of file");
			return KT_FATAL;
		}
		for (p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(const void *)p;

			on_event(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
}

void watch_notify_stop(watch *w)
{
	size_t i;

	for (i = 0; i < w->dirs.len; i++)
		free(dir_at(w, i)->path);
	kt_vec_release(&w->dirs);
	if (w->ino >= 0)
		close(w->ino);
	w->ino = -1;
}
