/* fuzz_doctype.c - libFuzzer target: kt_extract_doc_type and kt_extract_names. */
#include "fuzz_common.h"

#include "kt_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	json_t *ev = json_array();
	kt_name *names = NULL;
	size_t n = 0;

	if (s == NULL || ev == NULL) {
		free(s);
		json_decref(ev);
		return 0;
	}
	(void)kt_extract_doc_type(s, size > 0 && data[0] == 'P', ev);
	json_decref(ev);
	if (kt_extract_names(s, &names, &n) == KT_OK)
		free(names);
	free(s);
	return 0;
}
