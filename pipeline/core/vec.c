/* vec.c - the growable array of fixed-size elements (kt_vec.h). */
#include "kt_vec.h"
#include "kt_status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void kt_vec_init(kt_vec *v, size_t elem_size)
{
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
	v->size = elem_size;
}

int kt_vec_push(kt_vec *v, const void *elem)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void *p;

		if (v->size == 0 || cap > SIZE_MAX / v->size)
			return KT_FATAL;
		p = realloc(v->data, cap * v->size);
		if (p == NULL)
			return KT_FATAL;
		v->data = p;
		v->cap = cap;
	}
	memcpy((char *)v->data + v->len * v->size, elem, v->size);
	v->len++;
	return KT_OK;
}

void kt_vec_release(kt_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
}
