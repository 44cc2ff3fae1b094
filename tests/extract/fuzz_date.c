/* fuzz_date.c - libFuzzer target: kt_date_find; every date found must be real. */
#include "fuzz_common.h"

#include "kt_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	kt_date *d = NULL;
	size_t n = 0, i;

	if (s == NULL)
		return 0;
	if (kt_date_find(s, NULL, 0, &d, &n) == KT_OK) {
		for (i = 0; i < n; i++)
			if (!kt_date_valid(d[i].year, d[i].month, d[i].day) ||
			    d[i].span.end > size || d[i].span.start >= d[i].span.end)
				abort();
		free(d);
	}
	free(s);
	return 0;
}
