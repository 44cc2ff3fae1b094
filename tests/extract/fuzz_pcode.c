/* fuzz_pcode.c - libFuzzer target: kt_pcode_find and the validators. */
#include "fuzz_common.h"

#include "kt_extract.h"
#include "kt_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	kt_pcode *p = NULL;
	size_t n = 0, i;

	if (s == NULL)
		return 0;
	if (kt_pcode_find(s, NULL, 0, &p, &n) == KT_OK) {
		for (i = 0; i < n; i++) {
			if (p[i].span.end > size || p[i].span.start >= p[i].span.end)
				abort();
			if (p[i].valid && (p[i].country[1] == 'V' ? kt_record_pcode_lv_validate(p[i].value)
								   : kt_record_pcode_lt_validate(p[i].value)))
				abort();
		}
		free(p);
	}
	(void)kt_record_pcode_lv_validate(s);
	(void)kt_record_pcode_lt_validate(s);
	(void)kt_record_pcode_lv_check_digit(s);
	(void)kt_record_pcode_lt_check_digit(s);
	free(s);
	return 0;
}
