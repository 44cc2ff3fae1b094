/* fuzz_mrz.c - libFuzzer target: kt_mrz_find on any text, kt_mrz_parse on its first lines. */
#include "fuzz_common.h"

#include "kt_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *lines[3] = { NULL, NULL, NULL }, *p;
	kt_mrz m;
	json_t *j;
	size_t n = 0;

	if (s == NULL)
		return 0;
	if (kt_mrz_find(s, 20240601, &m) == KT_OK) {
		j = kt_mrz_to_json(&m);
		json_decref(j);
	}
	/* the first lines as a zone of their own */
	for (p = s; n < 3 && p != NULL; n++) {
		lines[n] = p;
		p = strchr(p, '\n');
		if (p != NULL)
			*p++ = '\0';
	}
	if (n >= 2 && kt_mrz_parse((const char *const *)lines, n, 20240601, &m) == KT_OK) {
		j = kt_mrz_to_json(&m);
		json_decref(j);
	}
	free(s);
	return 0;
}
