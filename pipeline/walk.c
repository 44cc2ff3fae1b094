/* walk.c - the files of a batch: folders walked recursively, in name order. */
#include "walk_private.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int add(kt_walk *w, const char *path, const char *problem)
{
	if (w->n == w->cap) {
		int cap = w->cap ? w->cap * 2 : 64;
		kt_walk_entry *g = realloc(w->e, (size_t)cap * sizeof *g);

		if (g == NULL)
			return -1;
		w->e = g;
		w->cap = cap;
	}
	w->e[w->n].path = strdup(path);
	w->e[w->n].problem = problem ? strdup(problem) : NULL;
	if (w->e[w->n].path == NULL)
		return -1;
	w->n++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(kt_walk *w, const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	int n = 0, cap = 0, i, rc = 0;

	if (depth > 64)
		return add(w, dir, "folders nested more than 64 deep");
	d = opendir(dir);
	if (d == NULL) {
		char why[256];

		snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
		return add(w, dir, why);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **g;

			cap = cap ? cap * 2 : 32;
			g = realloc(names, (size_t)cap * sizeof *g);
			if (g == NULL) {
				rc = -1;
				break;
			}
			names = g;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (names != NULL)
		qsort(names, (size_t)n, sizeof *names, cmp_names);
	for (i = 0; i < n && rc == 0; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);
		struct stat st;

		if (path == NULL) {
			rc = -1;
			break;
		}
		snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		if (lstat(path, &st) != 0) {
			rc = add(w, path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_dir(w, path, depth + 1);
		} else if (S_ISLNK(st.st_mode)) {
			struct stat target;

			if (stat(path, &target) != 0)
				rc = add(w, path, errno == ELOOP ? "symbolic link loop" : "broken symbolic link");
			else if (S_ISDIR(target.st_mode))
				; /* a link to a folder is not followed: no loops, no double counting */
			else
				rc = add(w, path, S_ISREG(target.st_mode) ? NULL : "not a regular file");
		} else {
			rc = add(w, path, S_ISREG(st.st_mode) ? NULL : "not a regular file");
		}
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int kt_walk_paths(const char *const *paths, int n, kt_walk *w, kt_error *err)
{
	int i, rc = 0;

	memset(w, 0, sizeof *w);
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;

		if (stat(paths[i], &st) != 0)
			rc = add(w, paths[i], strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = walk_dir(w, paths[i], 0);
		else
			rc = add(w, paths[i], S_ISREG(st.st_mode) ? NULL : "not a regular file");
	}
	if (rc != 0) {
		kt_walk_release(w);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	return KT_OK;
}

void kt_walk_release(kt_walk *w)
{
	int i;

	for (i = 0; i < w->n; i++) {
		free(w->e[i].path);
		free(w->e[i].problem);
	}
	free(w->e);
	memset(w, 0, sizeof *w);
}
