/*
 * cmd_watch.c - `kartoteka watch` (issue 23, docs/watch.md): ingest every
 * file that appears in scanner folders. This file holds the options, the
 * checks of the folders and the loop: inotify and a signalfd in poll(2), a
 * look at every pending item once a second, a full scan at start, on an
 * inotify overflow and every --poll seconds. Scanning and the quiet rule are
 * in watch_scan.c and watch_notify.c, taking an item in watch_take.c, moves
 * in watch_move.c.
 */
#define _GNU_SOURCE /* asprintf */
#include "watch_private.h"
#include "kt_file.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

static int kt_cmd_watch(kt_cli *cli, int argc, char **argv);

const kt_command kt_command_watch = {
	"watch", "ingest every file that appears in scanner folders",
	"usage: kartoteka [--store DIR] watch [--poll SECONDS] [--quiet SECONDS] [--done DIR] "
	"[--failed DIR] [--keep] [--once] [FOLDER...]\n"
	"\n"
	"Ingest every file that appears in each FOLDER, into the store (made when\n"
	"missing). Without FOLDER, the 'watch' lines of the service configuration\n"
	"($KARTOTEKA_CONFIG, else /etc/kartoteka/kartoteka.conf) are watched; its\n"
	"done, failed, quiet and poll lines stand for options not given.\n"
	"\n"
	"A file is taken when it is complete: unchanged (size and modification time)\n"
	"for the quiet period and, as far as can be told, no longer open for writing.\n"
	"Hidden files and temporary names (.*, *.part, *.partial, *.filepart,\n"
	"*.crdownload, *.tmp, ~$*) are never taken. A file directly in FOLDER joins\n"
	"the day's batch FOLDER-YYYY-MM-DD; a subfolder is one paper file, taken when\n"
	"nothing in it has changed for the quiet period, as the batch of its name\n"
	"with its files in name order.\n"
	"\n"
	"What was taken moves to the done folder; a file that failed moves to the\n"
	"failed folder with its reason beside it in NAME.txt. A name already there\n"
	"gets a number, 'scan (2).pdf': nothing is overwritten. A file the store\n"
	"already has (the same bytes) is said so and moved to done. What arrived\n"
	"while the watcher was stopped is taken when it starts.\n"
	"\n"
	"  --poll SECONDS   also scan the folders every SECONDS: for network mounts\n"
	"                   that other hosts write, which inotify does not see\n"
	"                   (default 0: inotify alone)\n"
	"  --quiet SECONDS  how long a file must stay unchanged (default 10)\n"
	"  --done DIR       where taken files go (default FOLDER.done beside FOLDER)\n"
	"  --failed DIR     where failed files go (default FOLDER.failed beside FOLDER)\n"
	"  --keep           leave the files where they are: each is taken once, and\n"
	"                   again only when it changes\n"
	"  --once           take everything there is, waiting for the quiet period,\n"
	"                   then exit (tests, cron)\n"
	"\n"
	"The done and failed folders are made when missing; one inside a watched\n"
	"folder is refused, and so is a store there. SIGTERM or SIGINT stops the\n"
	"watcher after the file being ingested. It logs one plain line per step on\n"
	"standard error (the journal under systemd: kartoteka-watch.service).\n"
	"Exit status: 0 stopped by a signal, or --once and every file done or\n"
	"already done; 1 --once and some file failed or could not be moved; 2 fatal\n"
	"error.\n",
	kt_cmd_watch,
};

/* Options as given (NULL or -1: not given). */
typedef struct watch_opts {
	long quiet, poll;
	const char *done, *failed;
} watch_opts;

/* 1 when stderr is the journal ($JOURNAL_STREAM names it, systemd.exec(5)). */
static int on_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
	       (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void folders_free(watch *w)
{
	size_t k;

	for (k = 0; k < w->folders.len; k++) {
		watch_folder *f = watch_folder_at(w, k);

		free(f->path);
		free(f->done);
		free(f->failed);
	}
	kt_vec_release(&w->folders);
}

/* A done or failed folder: the one given, else FOLDER.SUFFIX; absolute. */
static char *target(const char *given, const char *folder, const char *suffix)
{
	char *p = NULL;

	if (given != NULL)
		return watch_abspath(given);
	if (asprintf(&p, "%s.%s", folder, suffix) < 0)
		return NULL;
	return p;
}

/* 0, or when t (the done or failed folder, what says which) is inside a
 * watched folder, the usage error said (exit status 2). */
static int refuse_inside(watch *w, const char *what, const char *t)
{
	size_t j;
	char why[2400];

	for (j = 0; j < w->folders.len; j++)
		if (watch_inside(t, watch_folder_at(w, j)->path)) {
			snprintf(why, sizeof why, "the %s folder '%s' is inside the watched folder '%s':"
				 " its files would be taken again", what, t, watch_folder_at(w, j)->path);
			return kt_cli_usage("watch", why);
		}
	return 0;
}

/* The folders, their done and failed folders, checked (and made). A
 * KT_EXIT_* status. */
static int setup(watch *w, kt_cli *cli, char **names, size_t n, const watch_opts *o)
{
	size_t k, j;
	char why[2400], *store;
	int rc;

	for (k = 0; k < n; k++) {
		watch_folder f = { .wd = -1 };
		struct stat st;

		if ((f.path = realpath(names[k], NULL)) == NULL || stat(f.path, &st) != 0 ||
		    !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "kartoteka watch: cannot watch '%s': %s\n", names[k],
				f.path == NULL ? strerror(errno) : "not a folder");
			free(f.path);
			return KT_EXIT_FATAL;
		}
		f.name = strrchr(f.path, '/') + 1;
		f.done = target(o->done, f.path, "done");
		f.failed = target(o->failed, f.path, "failed");
		if (f.done == NULL || f.failed == NULL || kt_vec_push(&w->folders, &f) != KT_OK) {
			free(f.path);
			free(f.done);
			free(f.failed);
			fprintf(stderr, "kartoteka watch: out of memory\n");
			return KT_EXIT_FATAL;
		}
	}
	for (k = 0; k < n; k++)
		for (j = 0; j < n; j++)
			if (j != k && watch_inside(watch_folder_at(w, k)->path, watch_folder_at(w, j)->path)) {
				snprintf(why, sizeof why, "'%s' is %s '%s', which is watched already",
					 watch_folder_at(w, k)->path,
					 strcmp(watch_folder_at(w, k)->path, watch_folder_at(w, j)->path) == 0
						 ? "the same folder as" : "inside",
					 watch_folder_at(w, j)->path);
				return kt_cli_usage("watch", why);
			}
	if ((store = watch_abspath(cli->store_dir)) == NULL)
		return KT_EXIT_FATAL;
	rc = 0;
	for (k = 0; k < n && rc == 0; k++)
		if (watch_inside(store, watch_folder_at(w, k)->path)) {
			snprintf(why, sizeof why, "the store '%s' is inside the watched folder '%s'", store,
				 watch_folder_at(w, k)->path);
			rc = kt_cli_usage("watch", why);
		}
	free(store);
	if (rc != 0 || w->keep)
		return rc;
	/* checked before anything is made, and again once symbolic links on
	 * the way can be resolved */
	for (k = 0; k < n; k++)
		if ((rc = refuse_inside(w, "done", watch_folder_at(w, k)->done)) != 0 ||
		    (rc = refuse_inside(w, "failed", watch_folder_at(w, k)->failed)) != 0)
			return rc;
	for (k = 0; k < n; k++) {
		watch_folder *f = watch_folder_at(w, k);
		kt_error err = { 0 };
		char *real;

		if (kt_mkdirs(f->done, 0770, &err) != KT_OK || kt_mkdirs(f->failed, 0770, &err) != KT_OK) {
			fprintf(stderr, "kartoteka watch: %s\n", err.msg);
			return KT_EXIT_FATAL;
		}
		if ((real = realpath(f->done, NULL)) != NULL) {
			free(f->done);
			f->done = real;
		}
		if ((real = realpath(f->failed, NULL)) != NULL) {
			free(f->failed);
			f->failed = real;
		}
		if ((rc = refuse_inside(w, "done", f->done)) != 0 ||
		    (rc = refuse_inside(w, "failed", f->failed)) != 0)
			return rc;
	}
	return 0;
}

/* Did SIGTERM or SIGINT come (blocked, so pending)? */
static int signalled(void)
{
	sigset_t p;

	return sigpending(&p) == 0 && (sigismember(&p, SIGTERM) == 1 || sigismember(&p, SIGINT) == 1);
}

/* The loop: 1 stopped by a signal, 0 --once finished, -1 fatal. */
static int run(watch *w, int sfd)
{
	double now = watch_now(), next_poll = now + w->poll, next_lost = now + 10;

	for (;;) {
		struct pollfd fds[2] = { { sfd, POLLIN, 0 }, { w->ino, POLLIN, 0 } };
		double soonest = -1;
		size_t i, k;
		int pending = 0, lost = 0, timeout = -1;

		now = watch_now();
		for (i = 0; i < w->items.len;) {
			int r = watch_check(w, i, now), dropped = 0;
			watch_item *it;

			if (r == WATCH_GONE) {
				watch_drop(w, i);
				continue;
			}
			if (r == WATCH_READY) {
				if (watch_take(w, i, &dropped) != KT_OK)
					return -1;
				if (signalled())
					return 1;
				now = watch_now();
				if (dropped)
					continue;
			}
			it = watch_item_at(w, i++);
			if (it->state == WATCH_PENDING) {
				pending++;
				if (soonest < 0 || it->changed + w->quiet < soonest)
					soonest = it->changed + w->quiet;
			}
		}
		if (w->once && pending == 0)
			return 0;
		/* pending items are looked at once a second: a network mount
		 * tells of no change */
		if (pending > 0)
			timeout = soonest > now && soonest - now < 1 ? (int)((soonest - now) * 1000) + 10 : 1000;
		if (w->poll > 0 && (timeout < 0 || next_poll - now < timeout / 1000.0))
			timeout = next_poll > now ? (int)((next_poll - now) * 1000) + 10 : 0;
		for (k = 0; k < w->folders.len; k++)
			lost |= w->ino >= 0 && watch_folder_at(w, k)->wd < 0;
		if (lost && (timeout < 0 || timeout > 10000))
			timeout = 10000;
		if (poll(fds, w->ino >= 0 ? 2 : 1, timeout) < 0 && errno != EINTR) {
			watch_log(w, WATCH_BAD, "poll: %s", strerror(errno));
			return -1;
		}
		if (fds[0].revents & POLLIN)
			return 1;
		if (w->ino >= 0 && (fds[1].revents & POLLIN) && watch_notify_read(w) != KT_OK)
			return -1;
		now = watch_now();
		if (w->poll > 0 && now >= next_poll) {
			w->rescan = 1;
			next_poll = now + w->poll;
		}
		if (lost && now >= next_lost) {
			w->rescan = 1;
			next_lost = now + 10;
		}
		if (w->rescan && watch_scan_all(w) != KT_OK) {
			watch_log(w, WATCH_BAD, "out of memory");
			return -1;
		}
	}
}

static void watch_release(watch *w)
{
	size_t i;

	for (i = 0; i < w->items.len; i++)
		free(watch_item_at(w, i)->path);
	kt_vec_release(&w->items);
	watch_notify_stop(w);
	kt_strv_release(&w->open);
	folders_free(w);
	kt_store_free(&w->store);
}

/* Watch, with SIGTERM and SIGINT blocked (kt_ingest's workers inherit the
 * mask) and read from a signalfd. A KT_EXIT_* status. */
static int watch_all(watch *w)
{
	sigset_t set, old;
	int sfd, r;
	size_t k;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* a lease taken to see whether a file is open breaks with SIGIO */
	signal(SIGIO, SIG_IGN);
	if ((sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		fprintf(stderr, "kartoteka watch: signalfd: %s\n", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return KT_EXIT_FATAL;
	}
	if (watch_notify_start(w) != KT_OK && w->poll == 0) {
		w->poll = w->quiet > 5 ? w->quiet : 5;
		watch_log(w, WATCH_INFO, "scanning every %d seconds instead", w->poll);
	}
	for (k = 0; k < w->folders.len; k++) {
		const watch_folder *f = watch_folder_at(w, k);

		if (w->keep)
			watch_log(w, WATCH_INFO, "watching '%s' (files stay where they are; quiet %d s%s)",
				  f->path, w->quiet, w->poll > 0 ? ", scans too" : "");
		else
			watch_log(w, WATCH_INFO, "watching '%s' (done: '%s', failed: '%s'; quiet %d s%s)",
				  f->path, f->done, f->failed, w->quiet, w->poll > 0 ? ", scans too" : "");
	}
	r = watch_scan_all(w) == KT_OK ? run(w, sfd) : -1;
	watch_log(w, r < 0 ? WATCH_BAD : WATCH_INFO,
		  "%s: %d file%s: %d done, %d already done, %d failed%s", r < 0 ? "stopped on an error" :
		  r > 0 ? "stopped" : "nothing more to take", w->done + w->already + w->failed,
		  w->done + w->already + w->failed == 1 ? "" : "s", w->done, w->already, w->failed,
		  w->unmoved ? ", some could not be moved" : "");
	{
		/* take the signal that stopped the watcher, so that it does not
		 * kill it when unblocked */
		struct signalfd_siginfo si;

		while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
			;
	}
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		return KT_EXIT_FATAL;
	if (r == 0 && (w->failed > 0 || w->unmoved > 0))
		return KT_EXIT_SOME_FAILED;
	return KT_EXIT_OK;
}

static int kt_cmd_watch(kt_cli *cli, int argc, char **argv)
{
	enum { O_POLL = 1000, O_QUIET, O_DONE, O_FAILED, O_KEEP, O_ONCE };
	static const struct option opts[] = {
		{ "poll", required_argument, NULL, O_POLL },
		{ "quiet", required_argument, NULL, O_QUIET },
		{ "done", required_argument, NULL, O_DONE },
		{ "failed", required_argument, NULL, O_FAILED },
		{ "keep", no_argument, NULL, O_KEEP },
		{ "once", no_argument, NULL, O_ONCE },
		{ NULL, 0, NULL, 0 },
	};
	const kt_service_conf *conf = cli->service;
	watch_opts o = { -1, -1, NULL, NULL };
	watch w = { .ino = -1, .open = KT_STRV_INIT };
	char **names;
	size_t n;
	int c, rc;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		switch (c) {
		case O_POLL:
		case O_QUIET:
			if (kt_cli_number("watch", c == O_POLL ? "--poll" : "--quiet", optarg, 0, 86400,
					  c == O_POLL ? &o.poll : &o.quiet) != 0)
				return KT_EXIT_FATAL;
			break;
		case O_DONE:
		case O_FAILED:
			if (optarg[0] == '\0')
				return kt_cli_usage("watch", c == O_DONE ? "--done wants a folder" :
									   "--failed wants a folder");
			*(c == O_DONE ? &o.done : &o.failed) = optarg;
			break;
		case O_KEEP: w.keep = 1; break;
		case O_ONCE: w.once = 1; break;
		}
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	names = argv + optind;
	n = (size_t)(argc - optind);
	if (n == 0) {
		names = conf->watch.v;
		n = conf->watch.n;
	}
	if (n == 0)
		return kt_cli_usage("watch", "no folder given, and the service configuration has no "
					     "watch line");
	/* the command line, else the service configuration, else the defaults
	 * (a 0 there is "not set": a quiet period of 0 is for the command line) */
	w.quiet = (int)(o.quiet >= 0 ? o.quiet : conf->quiet > 0 ? conf->quiet : 10);
	w.poll = (int)(o.poll >= 0 ? o.poll : conf->poll);
	if (o.done == NULL)
		o.done = conf->done_dir;
	if (o.failed == NULL)
		o.failed = conf->failed_dir;
	w.tty = isatty(2);
	w.journal = !w.tty && on_journal();
	kt_vec_init(&w.folders, sizeof(watch_folder));
	kt_vec_init(&w.items, sizeof(watch_item));
	kt_vec_init(&w.dirs, sizeof(watch_dirwatch));
	if ((rc = setup(&w, cli, names, n, &o)) == 0) {
		if ((w.store = kt_cli_make(cli, "watch")) == NULL)
			rc = KT_EXIT_FATAL;
		else
			rc = watch_all(&w);
	}
	watch_release(&w);
	return rc;
}
