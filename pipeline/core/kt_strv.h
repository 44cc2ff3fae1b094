/*
 * kt_strv.h - a growable list of owned C strings, NULL-terminated so that
 * it can be passed where a `char **` vector is expected (as git's strvec).
 *
 *   kt_strv v = KT_STRV_INIT;
 *   kt_strv_push(&v, "a"); ... v.v[0 .. v.n) ... kt_strv_release(&v);
 */
#ifndef KT_STRV_H
#define KT_STRV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_strv {
	char **v;    /* v[0..n) malloc'd copies, v[n] == NULL; NULL while empty */
	size_t n;
	size_t cap;
} kt_strv;

#define KT_STRV_INIT { NULL, 0, 0 }

/* kt_strv_push: append a copy of s. KT_OK, or KT_FATAL when out of memory. */
int kt_strv_push(kt_strv *l, const char *s);
/* kt_strv_pushn: append a copy of s[0..len) (NUL added). KT_OK or KT_FATAL. */
int kt_strv_pushn(kt_strv *l, const char *s, size_t len);
/* kt_strv_sort: sort by strcmp (byte order). */
void kt_strv_sort(kt_strv *l);
/* kt_strv_release: free every string and the vector; empty after. */
void kt_strv_release(kt_strv *l);

#ifdef __cplusplus
}
#endif

#endif
