/* strv.c - the list of owned strings (kt_strv.h). */
#include "kt_strv.h"
#include "kt_status.h"

#include <stdlib.h>
#include <string.h>

int kt_strv_pushn(kt_strv *l, const char *s, size_t len)
{
	char *copy;

	if (l->n + 1 >= l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof *v);

		if (v == NULL)
			return KT_FATAL;
		l->v = v;
		l->cap = cap;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return KT_FATAL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	l->v[l->n++] = copy;
	l->v[l->n] = NULL;
	return KT_OK;
}

int kt_strv_push(kt_strv *l, const char *s)
{
	return kt_strv_pushn(l, s, strlen(s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void kt_strv_sort(kt_strv *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_str);
}

void kt_strv_release(kt_strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
