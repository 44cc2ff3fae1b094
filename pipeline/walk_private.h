/* walk_private.h - the file list of a batch (walk.c). */
#ifndef KT_WALK_PRIVATE_H
#define KT_WALK_PRIVATE_H

#include "kt_status.h"

typedef struct kt_walk_entry {
	char *path;    /* malloc'd */
	char *problem; /* malloc'd reason it cannot be read as a file, or NULL */
} kt_walk_entry;

typedef struct kt_walk {
	kt_walk_entry *e;
	int n, cap;
} kt_walk;

/*
 * kt_walk_paths: list the files under paths: a file as it is, a folder
 * recursively in byte order of names. Hidden entries (".name") are passed
 * over; a symbolic link to a folder is not followed (no loops); a folder that
 * cannot be read, or a named path that does not exist, becomes an entry with
 * a problem. Release with kt_walk_release.
 */
int kt_walk_paths(const char *const *paths, int n, kt_walk *w, kt_error *err);
void kt_walk_release(kt_walk *w);

#endif
