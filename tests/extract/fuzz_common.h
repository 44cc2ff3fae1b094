/*
 * fuzz_common.h - a NUL-terminated copy of a libFuzzer input, for the
 * fuzz_*.c targets of kt_extract.
 */
#ifndef KT_FUZZ_COMMON_H
#define KT_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* malloc'ed copy of data with a NUL after it (embedded NULs cut the text); NULL when out of memory */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
