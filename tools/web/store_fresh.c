/*
 * store_fresh.c - a thread's store handles opened again when an erasure
 * has replaced the index (web_private.h, web_store_fresh): kt_erase
 * compacts the index into a new folder that takes the old one's place
 * (kt_index_compact, renameat2), and a read-only handle opened on the old
 * folder would go on reading its removed files, the erased pages among
 * them, until it is closed.
 */
#define _GNU_SOURCE /* statx */
#include "web_private.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

/* The index folder of the store in dir (STORE/xapian, kt_store_index): its
 * inode and birth time, 0 when there is none (or the file system keeps no
 * birth time). An erasure compacts the index into a new folder that takes
 * the old one's place (kt_index_compact), so either changes then, also
 * when `kartoteka erase approve` erased while the server runs. */
static void index_id(const char *dir, unsigned long long *ino, unsigned long long *born)
{
	char path[4096];
	struct statx sx;

	*ino = *born = 0;
	if (snprintf(path, sizeof path, "%s/xapian", dir) >= (int)sizeof path ||
	    statx(AT_FDCWD, path, 0, STATX_INO | STATX_BTIME, &sx) != 0)
		return;
	*ino = sx.stx_ino;
	if (sx.stx_mask & STATX_BTIME)
		*born = (unsigned long long)sx.stx_btime.tv_sec * 1000000000ull + sx.stx_btime.tv_nsec;
}

/* Open a slot's store again when its index folder is not the one it was
 * opened on: a handle on the old folder would go on reading its removed
 * files, the erased pages among them. 1 when it was opened again, else 0
 * (when it cannot be, the old one serves and the next request tries). */
int web_store_fresh(web *w)
{
	unsigned long long ino, born;
	kt_store *st = NULL;
	kt_error err = { 0 };

	index_id(kt_store_dir(w->store), &ino, &born);
	if (ino == w->ix_ino && born == w->ix_born)
		return 0;
	if (kt_store_open(kt_store_dir(w->store), KT_STORE_READ, &st, &err) != KT_OK)
		return 0;
	kt_store_free(&w->store);
	w->store = st;
	w->ix_ino = ino;
	w->ix_born = born;
	return 1;
}

void web_store_mark(web *w)
{
	index_id(kt_store_dir(w->store), &w->ix_ino, &w->ix_born);
}
