/* fuzz_case.c - libFuzzer target: kt_extract_case_numbers with known numbers. */
#include "fuzz_common.h"

#include "kt_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kt_extract_cfg *cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	kt_case *k = NULL;
	size_t n = 0, i;

	if (s == NULL)
		return 0;
	if (cfg == NULL) {
		cfg = kt_extract_cfg_new();
		kt_extract_cfg_add_known_case(cfg, "PMLP-LV-2023-004571");
		kt_extract_cfg_add_known_case(cfg, "MD-LT-2022-001288");
		kt_extract_cfg_add_known_case(cfg, "AB-2023-0011");
		kt_extract_cfg_add_known_case(cfg, "AB-2023-0017");
	}
	if (kt_extract_case_numbers(cfg, s, NULL, 0, &k, &n) == KT_OK) {
		for (i = 0; i < n; i++)
			if (k[i].span.end > size || k[i].span.start >= k[i].span.end)
				abort();
		free(k);
	}
	if (kt_extract_case_numbers(NULL, s, NULL, 0, &k, &n) == KT_OK)
		free(k);
	free(s);
	return 0;
}
