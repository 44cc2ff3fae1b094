/*
 * fuzz_fold_translit.c - libFuzzer target: kt_fold and kt_translit on any bytes.
 *
 * Checks, besides the sanitizers: folding and reading are idempotent; a
 * reading of valid UTF-8 changes it exactly when kt_translit_has_cyrillic
 * says so; a reading is at most three times as long as its input.
 */
#include "kt_text.h"
#include "kt_fold.h"
#include "kt_translit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 (the core's strict decoder): what translit.c decodes as letters. */
static int utf8_valid(const uint8_t *u, size_t n)
{
	return kt_utf8_valid((const char *)u, n);
}

static int same(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && memcmp(a, b, na) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t n1 = 0, n2 = 0;
	char *f1, *f2, *t1, *t2;

	/* The reading makes U+FFFD of bytes that are not UTF-8: a change with no
	 * Cyrillic, so its check below is for valid input only. */
	int valid = utf8_valid(data, size);

	f1 = kt_fold(s, size, 0, &n1);
	if (f1 != NULL) {
		f2 = kt_fold(f1, n1, 0, &n2);
		if (f2 != NULL && !same(f1, n1, f2, n2))
			abort();
		free(f2);
	}
	free(f1);
	f1 = kt_fold(s, size, KT_FOLD_LOWER, &n1);
	free(f1);

	for (unsigned flags = 0; flags <= KT_TRANSLIT_NO_CAPS; flags++) {
		t1 = kt_translit(s, size, flags, &n1);
		if (t1 == NULL)
			continue;
		if (n1 > 3 * size)
			abort();
		if (valid && same(s, size, t1, n1) != !kt_translit_has_cyrillic(s, size))
			abort();
		t2 = kt_translit(t1, n1, flags, &n2);
		if (t2 != NULL && !same(t1, n1, t2, n2))
			abort();
		free(t2);
		free(t1);
	}
	return 0;
}
