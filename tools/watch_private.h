/*
 * watch_private.h - what the files of `kartoteka watch` (issue 23, docs/watch.md)
 * share: cmd_watch.c (options, checks, the loop), watch_scan.c (the folders,
 * what a file or subfolder looks like, the quiet rule), watch_notify.c
 * (inotify), watch_take.c (ingest, then the moves and the log) and
 * watch_move.c (moves that never overwrite, the reason files).
 */
#ifndef KT_WATCH_PRIVATE_H
#define KT_WATCH_PRIVATE_H

#include "cli.h"
#include "kt_strv.h"
#include "kt_vec.h"

/* What a file or a subfolder looks like: it is unchanged while this is. */
typedef struct watch_sig {
	long long size;    /* bytes (a subfolder: of every file in it) */
	long long mtime;   /* nanoseconds since 1970 (a subfolder: the newest
	                      of it and of everything in it) */
	long long ino;     /* a file's inode; a subfolder: its number of entries */
	int files;         /* a subfolder: files kt_ingest would take from it */
} watch_sig;

/* An item's state. */
enum {
	WATCH_PENDING,     /* to be taken once it is complete */
	WATCH_HANDLED      /* taken and still there (--keep, a move that failed,
	                      leftovers of a subfolder) or nothing to take: not
	                      taken again until it changes */
};

/* A file directly in a watched folder, or a subfolder (a paper file). */
typedef struct watch_item {
	char *path;        /* FOLDER/NAME, malloc'd, owned by the item */
	int folder;        /* its folder's index in watch.folders */
	int is_dir;        /* a subfolder */
	int state;         /* WATCH_PENDING or WATCH_HANDLED */
	watch_sig sig;     /* as last seen */
	double changed;    /* watch_now() when it was last seen to change */
	double looked;     /* watch_now() when it was last looked at */
	int dirty;         /* an event came for it: look at it again */
	int said;          /* "waiting" was said since it last changed */
} watch_item;

/* A watched folder and where its files go. path, done and failed
 * malloc'd, owned; name points into path. */
typedef struct watch_folder {
	char *path;        /* its real path */
	const char *name;  /* its base name: batches NAME-YYYY-MM-DD */
	char *done;        /* real paths of the done and failed folders */
	char *failed;
	int wd;            /* its inotify watch; -1 none (lost or no inotify) */
	int said;          /* "cannot read" was said */
	int said_unwatched; /* "cannot watch" was said */
} watch_folder;

/* An inotify watch on a folder inside a subfolder (or the subfolder). */
typedef struct watch_dirwatch {
	int wd;
	int folder;        /* the watched folder it lies in */
	char *path;        /* malloc'd, owned */
} watch_dirwatch;

/* The watcher: its options, folders, items and counts. */
typedef struct watch {
	int quiet;         /* seconds an item must stay unchanged */
	int poll;          /* seconds between full scans; 0 none */
	int keep;          /* leave files where they are */
	int once;          /* exit when nothing found is left to take */
	kt_vec folders;    /* watch_folder */
	kt_vec items;      /* watch_item, in the order they were found */
	kt_vec dirs;       /* watch_dirwatch */
	kt_strv open;      /* paths written to with no close seen since */
	int ino;           /* the inotify descriptor, -1 when there is none */
	int rescan;        /* a full scan is due (overflow, a folder lost) */
	kt_store *store;
	int tty;           /* stderr is a terminal: colour and time of day */
	int journal;       /* stderr is the journal: no time stamps */
	int taken, done, already, failed; /* items taken; files by outcome */
	int unmoved;       /* files that could not be moved */
} watch;

/* ---------------------------------------------------------------- log */

/* Log levels of watch_log. */
enum { WATCH_INFO, WATCH_BAD };

/* watch_log: one line on stderr, "kartoteka watch: MESSAGE" (printf
 * format), its bytes printed safe (no line breaks or terminal codes from
 * file names); a time stamp before it unless stderr is the journal; on a
 * terminal, a WATCH_BAD line in red. */
void watch_log(const watch *w, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------ watch_scan.c */

/* watch_now: monotonic seconds. */
double watch_now(void);

/* watch_join: "DIR/NAME", malloc'd (caller frees); NULL when out of memory
 * (watch_scan.c). */
char *watch_join(const char *dir, const char *name);
/* watch_name_ok: 1 when a file or folder of this name is taken; 0 for
 * hidden entries (".*") and temporary names ("*.part", "*.partial",
 * "*.filepart", "*.crdownload", "*.tmp", "~$*"). */
int watch_name_ok(const char *name);
/* watch_sig_of: what path looks like now into *sig (is_dir: walk the
 * subfolder; *temp, when not NULL and is_dir, receives a malloc'd path of a
 * temporary file in it, or NULL). 0; -1 when it is gone or unreadable. */
int watch_sig_of(const char *path, int is_dir, watch_sig *sig, char **temp);
/* watch_sig_same: 1 when two looks are the same. */
int watch_sig_same(const watch_sig *a, const watch_sig *b);
/* watch_files_of: the files kt_ingest takes from folder dir (recursively,
 * in name order, hidden entries passed over), appended to out. KT_OK;
 * KT_FAILED when a folder cannot be read; KT_FATAL when out of memory. */
int watch_files_of(const char *dir, kt_strv *out);
/* watch_writing: 1 when path (a file, or any file in a subfolder) is open
 * for writing as far as can be told (a write seen and no close; a read
 * lease refused), else 0. */
int watch_writing(const watch *w, const watch_item *it);
/* watch_item_at: item i (borrowed until items change). */
watch_item *watch_item_at(watch *w, size_t i);
/* watch_folder_at: folder i (borrowed). */
watch_folder *watch_folder_at(watch *w, size_t i);
/* watch_find: the index of the item of path, or -1. */
long watch_find(watch *w, const char *path);
/* watch_add: a new pending item for path (of folder); KT_OK or KT_FATAL. */
int watch_add(watch *w, const char *path, int folder, int is_dir);
/* watch_drop: forget item i (its path freed). */
void watch_drop(watch *w, size_t i);
/* watch_scan_all: scan every folder: new items added, items gone dropped,
 * handled ones looked at again; a lost inotify watch is set up again.
 * KT_OK or KT_FATAL. */
int watch_scan_all(watch *w);
/* What watch_check says of an item. */
enum { WATCH_WAIT, WATCH_READY, WATCH_GONE };
/* watch_check: look at item i now (now: watch_now()): WATCH_READY when it
 * is pending and complete (unchanged for the quiet period, not open for
 * writing, a subfolder with files and no temporary file); WATCH_GONE when
 * it is no longer there (the caller drops it); else WATCH_WAIT. A handled
 * item that changed becomes pending again; a subfolder with nothing to take
 * becomes handled. */
int watch_check(watch *w, size_t i, double now);
/* watch_open_add, watch_open_remove: a path seen written to / closed. */
void watch_open_add(watch *w, const char *path);
void watch_open_remove(watch *w, const char *path);

/* ---------------------------------------------------------- watch_notify.c */

/* watch_notify_start: an inotify descriptor into w->ino and a watch on
 * every folder. KT_OK; KT_FAILED when inotify cannot be had (said; the
 * caller polls instead). */
int watch_notify_start(watch *w);
/* watch_notify_folder: (re)start the watch of folder k (when inotify is
 * on); a failure is said once. */
void watch_notify_folder(watch *w, size_t k);
/* watch_notify_tree: watch the subfolder path of folder and every folder
 * in it (when inotify is on). */
void watch_notify_tree(watch *w, int folder, const char *path);
/* watch_notify_forget: stop watching path and every folder below it. */
void watch_notify_forget(watch *w, const char *path);
/* watch_notify_read: read and apply the events waiting on w->ino.
 * KT_OK or KT_FATAL. */
int watch_notify_read(watch *w);
/* watch_notify_stop: close the descriptor, free the watches. */
void watch_notify_stop(watch *w);

/* ------------------------------------------------------------ watch_take.c */

/* watch_take: take item i, which is complete: a loose file into the batch
 * FOLDER-YYYY-MM-DD, a subfolder as the batch of its name; then move what
 * was taken to the done or failed folder (unless --keep) and log each step.
 * The item is dropped when nothing of it is left, else handled. *dropped
 * receives 1 when it was dropped. KT_OK; KT_FATAL when the store cannot go
 * on (said; the files stay where they are). */
int watch_take(watch *w, size_t i, int *dropped);

/* ------------------------------------------------------------ watch_move.c */

/* watch_place: move src into folder dir (made when missing) as name, or
 * "STEM (2).EXT" and so on when that is taken: nothing is overwritten.
 * Across file systems it copies (synced) and then removes src. When reason
 * is not NULL, NAME.txt beside it receives reason (the name chosen so that
 * neither is taken). *dest receives the new path (malloc'd, caller frees).
 * KT_OK, or KT_FAILED with why in err (src is left where it was). */
int watch_place(const char *src, const char *dir, const char *name, const char *reason,
		char **dest, kt_error *err);
/* watch_new_dir: make a new folder parent/name, or "NAME (2)" and so on
 * when that exists; *out receives its path (malloc'd, caller frees).
 * KT_OK or KT_FAILED (err). */
int watch_new_dir(const char *parent, const char *name, char **out, kt_error *err);
/* watch_prune: remove the folders of paths (files moved away) that are
 * empty now, deepest first, up to and with top; what is not empty stays. */
void watch_prune(const char *top, const kt_strv *paths);
/* watch_abspath: path made absolute with every folder that exists resolved
 * (realpath; the rest added as written): malloc'd, caller frees; NULL when
 * out of memory or the current folder is unknown. */
char *watch_abspath(const char *path);
/* watch_inside: 1 when absolute path a is b or lies inside it. */
int watch_inside(const char *a, const char *b);

#endif
