/*
 * kt_vec.h - a growable array of fixed-size elements (value struct), for
 * arrays of structs and numbers; strings go in kt_strv, bytes in kt_buf.
 *
 *   kt_vec v;
 *   kt_vec_init(&v, sizeof(struct item));
 *   kt_vec_push(&v, &item);  ...  ((struct item *)v.data)[i]  ...
 *   kt_vec_release(&v);
 */
#ifndef KT_VEC_H
#define KT_VEC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_vec {
	void *data;   /* len elements of size bytes; NULL while empty */
	size_t len;
	size_t cap;
	size_t size;  /* bytes per element */
} kt_vec;

/* kt_vec_init: an empty array of elements of elem_size bytes. */
void kt_vec_init(kt_vec *v, size_t elem_size);
/* kt_vec_push: copy one element in at the end. KT_OK, or KT_FATAL when out
 * of memory (the array is kept as it was). */
int kt_vec_push(kt_vec *v, const void *elem);
/* kt_vec_release: free the elements; the array is empty (same size) after. */
void kt_vec_release(kt_vec *v);

#ifdef __cplusplus
}
#endif

#endif
