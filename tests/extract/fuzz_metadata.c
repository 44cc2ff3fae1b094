/* fuzz_metadata.c - libFuzzer target: kt_extract_metadata, and its JSON must serialise. */
#include "fuzz_common.h"

#include "kt_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *out;
	json_t *j;

	if (s == NULL)
		return 0;
	j = kt_extract_metadata(NULL, s);
	if (j == NULL)
		abort();	/* only NULL text or out of memory give NULL */
	out = json_dumps(j, JSON_COMPACT);
	if (out == NULL)
		abort();
	free(out);
	json_decref(j);
	free(s);
	return 0;
}
