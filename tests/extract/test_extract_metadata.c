/*
 * test_extract_metadata.c - kt_extract_metadata on small realistic texts,
 * compared with the exact JSON expected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_extract.h"

static const char decision_lv[] =
	"PILSONĪBAS UN MIGRĀCIJAS LIETU PĀRVALDE\n"
	"Čiekurkalna 1. līnija 1, k-3, Rīga, LV-1026\n"
	"\n"
	"LĒMUMS\n"
	"par uzturēšanās atļaujas anulēšanu\n"
	"\n"
	"Rīgā, 2023. gada 14. martā                         Nr. PMLP-LV-2023-004571\n"
	"\n"
	"Izskatījusi Jāņa Bērziņa (personas kods 120385-12342) 2023. gada 2. februāra\n"
	"iesniegumu un lietas MD-LT-2022-OO1288 materiālus, kā arī 17.03.2022 pārrunu\n"
	"protokolu, Pārvalde konstatē:\n"
	"Uzvārds: Bērziņš\n"
	"Vārds: Jānis\n"
	"Dzimšanas datums: 12.03.1985.\n"
	"Laulātās personas kods 010190-12345.\n"
	"Pārvalde nolēma anulēt uzturēšanās atļauju. Lēmumu var apstrīdēt līdz\n"
	"2023. gada 14. aprīlim.\n"
	"Kontaktpersona: tālr. 67219482, konts LV80HABA0551012345678.\n";

static const char decision_lv_json[] =
	"{"
	"  \"case_numbers\": [\"MD-LT-2022-001288\", \"PMLP-LV-2023-004571\"],"
	"  \"personal_codes\": [\"120385-12342\"],"
	"  \"personal_code_countries\": {\"120385-12342\": \"LV\"},"
	"  \"personal_code_candidates\": ["
	"    {\"value\": \"010190-12345\", \"country\": \"LV\", \"reason\": \"checksum\"}"
	"  ],"
	"  \"dates\": [\"1985-03-12\", \"2022-03-17\", \"2023-02-02\", \"2023-03-14\","
	"            \"2023-04-14\"],"
	"  \"doc_type\": \"decision\","
	"  \"doc_type_evidence\": [\"LĒMUMS\"],"
	"  \"names\": [{\"surname\": \"Bērziņš\", \"given_names\": \"Jānis\"}]"
	"}";

static const char passport_lv[] =
	"LATVIJAS REPUBLIKA / REPUBLIC OF LATVIA\n"
	"PASE / PASSPORT\n"
	"Uzvārds / Surname: BĒRZIŅŠ\n"
	"Vārds / Given names: JĀNIS\n"
	"P<LVABERZINS<<JANIS<<<<<<<<<<<<<<<<<<<<<<<<<\n"
	"LV12345678LVA8503127M3OO1O1912038512342<<<30\n";

static const char passport_lv_json[] =
	"{"
	"  \"case_numbers\": [],"
	"  \"personal_codes\": [\"120385-12342\"],"
	"  \"personal_code_countries\": {\"120385-12342\": \"LV\"},"
	"  \"personal_code_candidates\": [],"
	"  \"dates\": [],"
	"  \"doc_type\": \"identity\","
	"  \"doc_type_evidence\": [\"MRZ\", \"PASE\", \"PASSPORT\"],"
	"  \"names\": [{\"surname\": \"BERZINS\", \"given_names\": \"JANIS\"}],"
	"  \"mrz\": {\"format\": \"TD3\", \"document_type\": \"P\", \"issuer\": \"LVA\","
	"    \"surname\": \"BERZINS\", \"given_names\": \"JANIS\","
	"    \"document_number\": \"LV1234567\", \"nationality\": \"LVA\","
	"    \"birth_date\": \"1985-03-12\", \"sex\": \"M\", \"expiry_date\": \"2030-01-01\","
	"    \"optional_data\": \"12038512342\", \"valid\": true, \"errors\": [],"
	"    \"line1\": \"P<LVABERZINS<<JANIS<<<<<<<<<<<<<<<<<<<<<<<<<\","
	"    \"line2\": \"LV12345678LVA8503127M300101912038512342<<<30\"}"
	"}";

static void assert_json(json_t *got, const char *want_text)
{
	json_error_t err;
	json_t *want = json_loads(want_text, 0, &err);

	if (want == NULL)
		fail_msg("bad expected JSON: %s", err.text);
	assert_non_null(got);
	if (!json_equal(got, want)) {
		char *g = json_dumps(got, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		print_error("got: %s\n", g);
		free(g);
		json_decref(want);
		fail_msg("JSON differs");
	}
	json_decref(want);
}

static kt_extract_cfg *cfg(void)
{
	kt_extract_cfg *c = kt_extract_cfg_new();

	assert_non_null(c);
	assert_int_equal(kt_extract_cfg_set_today(c, 20240601), KT_OK);
	assert_int_equal(kt_extract_cfg_add_known_case(c, "MD-LT-2022-001288"), KT_OK);
	assert_int_equal(kt_extract_cfg_add_known_case(c, "PMLP-LV-2023-004571"), KT_OK);
	return c;
}

static void test_latvian_decision(void **state)
{
	kt_extract_cfg *c = cfg();
	json_t *j = kt_extract_metadata(c, decision_lv);

	(void)state;
	assert_json(j, decision_lv_json);
	json_decref(j);
	kt_extract_cfg_free(&c);
}

static void test_passport(void **state)
{
	kt_extract_cfg *c = cfg();
	json_t *j = kt_extract_metadata(c, passport_lv);

	(void)state;
	assert_json(j, passport_lv_json);
	json_decref(j);
	kt_extract_cfg_free(&c);
}

/* the key order the pipeline writes */
static void test_key_order(void **state)
{
	static const char *const keys[] = {
		"case_numbers", "personal_codes", "personal_code_countries",
		"personal_code_candidates", "dates", "doc_type", "doc_type_evidence", "names", "mrz"
	};
	kt_extract_cfg *c = cfg();
	json_t *j = kt_extract_metadata(c, passport_lv);
	char *s = json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT);
	const char *p = s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char k[64];

		snprintf(k, sizeof k, "\"%s\":", keys[i]);
		p = strstr(p, k);
		if (p == NULL)
			fail_msg("key '%s' missing or out of order", keys[i]);
	}
	free(s);
	json_decref(j);
	kt_extract_cfg_free(&c);
}

static void test_defaults_and_edges(void **state)
{
	json_t *j;

	(void)state;
	assert_null(kt_extract_metadata(NULL, NULL));
	j = kt_extract_metadata(NULL, "");
	assert_json(j, "{\"case_numbers\": [], \"personal_codes\": [],"
		       " \"personal_code_countries\": {}, \"personal_code_candidates\": [],"
		       " \"dates\": [], \"doc_type\": \"other\", \"doc_type_evidence\": [],"
		       " \"names\": []}");
	json_decref(j);
	/* no configuration: the default pattern; duplicates once; invalid UTF-8 survives */
	j = kt_extract_metadata(NULL, "PMLP-LV-2023-004571 PMLP-LV-2023-004571 \xff\xfe 14.03.2023 "
				      "2023. gada 14. martā 33309240064 33309240064");
	assert_json(j, "{\"case_numbers\": [\"PMLP-LV-2023-004571\"], "
		       "\"personal_codes\": [\"33309240064\"],"
		       " \"personal_code_countries\": {\"33309240064\": \"LT\"},"
		       " \"personal_code_candidates\": [], \"dates\": [\"2023-03-14\"],"
		       " \"doc_type\": \"other\", \"doc_type_evidence\": [], \"names\": []}");
	json_decref(j);
}

/* dates are not read out of personal codes, case numbers or the MRZ */
static void test_no_dates_from_numbers(void **state)
{
	json_t *j;

	(void)state;
	j = kt_extract_metadata(NULL, "120385-12342 MD-LT-2022-09-05 DOC-2022-0905\n"
				      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
				      "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n");
	assert_int_equal(json_array_size(json_object_get(j, "dates")), 0);
	assert_string_equal(json_string_value(json_object_get(j, "doc_type")), "identity");
	assert_non_null(json_object_get(j, "mrz"));
	json_decref(j);
}

static const kt_test_case cases[] = {
	KT_TEST(latvian_decision),
	KT_TEST(passport),
	KT_TEST(key_order),
	KT_TEST(defaults_and_edges),
	KT_TEST(no_dates_from_numbers),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_metadata", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
