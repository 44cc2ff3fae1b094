/*
 * test_extract_mrz.c - machine readable zones: the ICAO 9303 specimens
 * (shared/TESTING.md), failing check digits, OCR noise repaired only where
 * proven, two-digit years, finding a zone in running text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <string.h>

#include "kt_extract.h"

#define TODAY 20240601

#define TD3_1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TD3_2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define TD1_1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define TD1_2 "7408122F1204159UTO<<<<<<<<<<<6"
#define TD1_3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
#define TD2_1 "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
#define TD2_2 "D231458907UTO7408122F1204159<<<<<<<6"
#define MRVA_1 "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define MRVA_2 "L8988901C4XXX4009078F9612109<<<<<<<<<<<<<<<<"
#define MRVB_1 "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
#define MRVB_2 "L8988901C4XXX4009078F9612109<<<<<<<<"

static int parse2(const char *a, const char *b, kt_mrz *m)
{
	const char *lines[2] = { a, b };

	return kt_mrz_parse(lines, 2, TODAY, m);
}

static int parse3(const char *a, const char *b, const char *c, kt_mrz *m)
{
	const char *lines[3] = { a, b, c };

	return kt_mrz_parse(lines, 3, TODAY, m);
}

static void assert_specimen_person(const kt_mrz *m)
{
	assert_string_equal(m->issuer, "UTO");
	assert_string_equal(m->surname, "ERIKSSON");
	assert_string_equal(m->given_names, "ANNA MARIA");
	assert_string_equal(m->nationality, "UTO");
	assert_string_equal(m->birth_date, "1974-08-12");
	assert_string_equal(m->sex, "F");
	assert_string_equal(m->expiry_date, "2012-04-15");
}

static void test_check_digit(void **state)
{
	(void)state;
	assert_int_equal(kt_mrz_check_digit("L898902C3", 9), 6);
	assert_int_equal(kt_mrz_check_digit("740812", 6), 2);
	assert_int_equal(kt_mrz_check_digit("120415", 6), 9);
	assert_int_equal(kt_mrz_check_digit("ZE184226B<<<<<", 14), 1);
	assert_int_equal(kt_mrz_check_digit("D23145890", 9), 7);
	assert_int_equal(kt_mrz_check_digit("<<<", 3), 0);
	assert_int_equal(kt_mrz_check_digit("ab1", 3), -1);
	assert_int_equal(kt_mrz_check_digit(NULL, 3), -1);
}

static void test_td3_specimen(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse2(TD3_1, TD3_2, &m), KT_OK);
	assert_int_equal(m.format, KT_MRZ_TD3);
	assert_true(m.valid);
	assert_int_equal(m.errors, 0);
	assert_int_equal(m.corrections, 0);
	assert_string_equal(m.document_type, "P");
	assert_string_equal(m.document_number, "L898902C3");
	assert_string_equal(m.optional_data, "ZE184226B");
	assert_specimen_person(&m);
	assert_string_equal(m.line[0], TD3_1);
	assert_string_equal(m.line[1], TD3_2);
}

static void test_td1_specimen(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse3(TD1_1, TD1_2, TD1_3, &m), KT_OK);
	assert_int_equal(m.format, KT_MRZ_TD1);
	assert_true(m.valid);
	assert_string_equal(m.document_type, "I");
	assert_string_equal(m.document_number, "D23145890");
	assert_string_equal(m.optional_data, "");
	assert_string_equal(m.optional_data2, "");
	assert_specimen_person(&m);
	assert_string_equal(m.line[2], TD1_3);
}

static void test_td2_specimen(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse2(TD2_1, TD2_2, &m), KT_OK);
	assert_int_equal(m.format, KT_MRZ_TD2);
	assert_true(m.valid);
	assert_string_equal(m.document_type, "I");
	assert_string_equal(m.document_number, "D23145890");
	assert_specimen_person(&m);
}

static void test_mrv_specimens(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse2(MRVA_1, MRVA_2, &m), KT_OK);
	assert_int_equal(m.format, KT_MRZ_MRVA);
	assert_true(m.valid);
	assert_string_equal(m.document_type, "V");
	assert_string_equal(m.document_number, "L8988901C");
	assert_string_equal(m.nationality, "XXX");
	assert_string_equal(m.birth_date, "1940-09-07");
	assert_string_equal(m.expiry_date, "1996-12-10");

	assert_int_equal(parse2(MRVB_1, MRVB_2, &m), KT_OK);
	assert_int_equal(m.format, KT_MRZ_MRVB);
	assert_true(m.valid);
	assert_string_equal(m.document_number, "L8988901C");
}

static void test_td1_long_document_number(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse3("I<UTOD23145890<1233<<<<<<<<<<<",
				"7408122F1204159UTO<<<<<<<<<<<2", TD1_3, &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.document_number, "D23145890123");
	assert_string_equal(m.optional_data, "");
}

static void test_to_json_exact(void **state)
{
	kt_mrz m;
	json_t *got, *want;

	(void)state;
	assert_int_equal(parse2(TD3_1, TD3_2, &m), KT_OK);
	got = kt_mrz_to_json(&m);
	want = json_loads("{\"format\": \"TD3\", \"document_type\": \"P\", \"issuer\": \"UTO\","
			  " \"surname\": \"ERIKSSON\", \"given_names\": \"ANNA MARIA\","
			  " \"document_number\": \"L898902C3\", \"nationality\": \"UTO\","
			  " \"birth_date\": \"1974-08-12\", \"sex\": \"F\","
			  " \"expiry_date\": \"2012-04-15\", \"optional_data\": \"ZE184226B\","
			  " \"valid\": true, \"errors\": [],"
			  " \"line1\": \"" TD3_1 "\", \"line2\": \"" TD3_2 "\"}", 0, NULL);
	assert_non_null(got);
	assert_non_null(want);
	assert_true(json_equal(got, want));
	json_decref(got);
	json_decref(want);

	assert_int_equal(parse3(TD1_1, TD1_2, TD1_3, &m), KT_OK);
	got = kt_mrz_to_json(&m);
	assert_string_equal(json_string_value(json_object_get(got, "format")), "TD1");
	assert_string_equal(json_string_value(json_object_get(got, "line3")), TD1_3);
	json_decref(got);
	assert_null(kt_mrz_to_json(NULL));
}

/* each corrupted check digit is named; the composite covers them all */
static void test_bad_check_digits(void **state)
{
	static const struct {
		const char *line2;
		unsigned errors;
	} cases[] = {
		{ "L898902C35UTO7408122F1204159ZE184226B<<<<<10",
		  KT_MRZ_ERR_DOCUMENT_NUMBER | KT_MRZ_ERR_COMPOSITE },
		{ "L898902C36UTO7408123F1204159ZE184226B<<<<<10",
		  KT_MRZ_ERR_BIRTH_DATE | KT_MRZ_ERR_COMPOSITE },
		{ "L898902C36UTO7408122F1204158ZE184226B<<<<<10",
		  KT_MRZ_ERR_EXPIRY_DATE | KT_MRZ_ERR_COMPOSITE },
		{ "L898902C36UTO7408122F1204159ZE184226B<<<<<20",
		  KT_MRZ_ERR_OPTIONAL_DATA | KT_MRZ_ERR_COMPOSITE },
		{ "L898902C36UTO7408122F1204159ZE184226B<<<<<11", KT_MRZ_ERR_COMPOSITE },
	};
	size_t i;
	kt_mrz m;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(parse2(TD3_1, cases[i].line2, &m), KT_OK);
		assert_false(m.valid);
		assert_int_equal(m.errors, cases[i].errors);
		assert_string_equal(m.line[1], cases[i].line2);	/* nothing "repaired" */
	}
	/* TD1: a wrong composite, and a wrong document number check */
	assert_int_equal(parse3(TD1_1, "7408122F1204159UTO<<<<<<<<<<<5", TD1_3, &m), KT_OK);
	assert_int_equal(m.errors, KT_MRZ_ERR_COMPOSITE);
	assert_int_equal(parse3("I<UTOD231458906<<<<<<<<<<<<<<<", TD1_2, TD1_3, &m), KT_OK);
	assert_int_equal(m.errors, KT_MRZ_ERR_DOCUMENT_NUMBER | KT_MRZ_ERR_COMPOSITE);
	/* an impossible date with a matching check digit */
	assert_int_equal(kt_mrz_check_digit("741312", 6), 8);
	assert_int_equal(parse2(TD3_1, "L898902C36UTO7413128F1204159ZE184226B<<<<<10", &m), KT_OK);
	assert_true(m.errors & KT_MRZ_ERR_BIRTH_DATE);
	assert_string_equal(m.birth_date, "");
}

static void test_error_names_in_json(void **state)
{
	kt_mrz m;
	json_t *j, *errs;

	(void)state;
	assert_int_equal(parse2(TD3_1, "L898902C35UTO7408122F1204159ZE184226B<<<<<10", &m), KT_OK);
	j = kt_mrz_to_json(&m);
	assert_false(json_is_true(json_object_get(j, "valid")));
	errs = json_object_get(j, "errors");
	assert_int_equal(json_array_size(errs), 2);
	assert_string_equal(json_string_value(json_array_get(errs, 0)), "document_number");
	assert_string_equal(json_string_value(json_array_get(errs, 1)), "composite");
	json_decref(j);
	assert_string_equal(kt_mrz_error_name(KT_MRZ_ERR_OPTIONAL_DATA), "optional_data");
	assert_string_equal(kt_mrz_error_name(KT_MRZ_ERR_BIRTH_DATE), "birth_date");
	assert_string_equal(kt_mrz_error_name(KT_MRZ_ERR_EXPIRY_DATE), "expiry_date");
	assert_null(kt_mrz_error_name(3));
}

/* O for 0 in dates and check digits: positions that must be digits */
static void test_noise_digit_positions(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse2(TD3_1, "L898902C36UTO74O8I22F12O4I59ZE184226B<<<<<1O", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.birth_date, "1974-08-12");
	assert_string_equal(m.expiry_date, "2012-04-15");
	assert_string_equal(m.line[1], TD3_2);
	assert_int_equal(m.corrections, 5);
	/* S for 5 and B for 8 in dates, G for 6 in a check digit (TD1) */
	assert_int_equal(parse3(TD1_1, "74OB122F12O4159UTO<<<<<<<<<<<G", TD1_3, &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.line[1], TD1_2);
}

/* spaces OCR put inside the lines, lower case, '«' for '<' */
static void test_noise_spaces_and_fillers(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse2("P<UTO ERIKSSON<<ANNA<MARIA <<<<<<<<<<<< <<<<<<<",
				"L898902C3 6 UTO 7408122 F 1204159 ZE184226B <<<<< 10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.line[0], TD3_1);
	assert_string_equal(m.line[1], TD3_2);

	assert_int_equal(parse2("p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<",
				"l898902c36uto7408122f1204159ze184226b<<<<<10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.surname, "ERIKSSON");

	assert_int_equal(parse2("P\xc2\xabUTOERIKSSON\xc2\xab\xc2\xab" "ANNA\xc2\xabMARIA"
				"\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab"
				"\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab\xc2\xab"
				"\xc2\xab", TD3_2, &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.line[0], TD3_1);
}

/* K read for '<' in filler runs: names and optional data */
static void test_noise_k_fillers(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse2("P<UTOERIKSSON<<ANNA<MARIAKKKKKKKKKKKKKKKKKKK",
				"L898902C36UTO7408122F1204159ZE184226BKKKKK10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.given_names, "ANNA MARIA");
	assert_string_equal(m.optional_data, "ZE184226B");
	assert_string_equal(m.line[0], TD3_1);
	assert_string_equal(m.line[1], TD3_2);
	/* K after three fillers is a filler too */
	assert_int_equal(parse2("P<UTOERIKSSON<<ANNA<MARIA<<<<K<<<<<<<<<<<<<<",
				TD3_2, &m), KT_OK);
	assert_string_equal(m.given_names, "ANNA MARIA");
	/* a name that ends in K keeps it: ERIK<<... */
	assert_int_equal(parse3(TD1_1, TD1_2, "ERIK<<ANNA<<<<<<<<<<<<<<<<<<<<", &m), KT_OK);
	assert_string_equal(m.surname, "ERIK");
	/* a one-letter given name K stays */
	assert_int_equal(parse3(TD1_1, TD1_2, "SMITH<<K<<<<<<<<<<<<<<<<<<<<<<", &m), KT_OK);
	assert_string_equal(m.given_names, "K");
	/* sex '<' read as K */
	assert_int_equal(parse2(TD3_1, "L898902C36UTO7408122K1204159ZE184226B<<<<<10", &m), KT_OK);
	assert_string_equal(m.sex, "X");
}

/* OCR dropped or doubled a filler: the line is refitted where checks prove it */
static void test_noise_line_length(void **state)
{
	kt_mrz m;

	(void)state;
	assert_int_equal(parse2("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO7408122F1204159ZE184226B<<<<10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.line[0], TD3_1);
	assert_string_equal(m.line[1], TD3_2);
	assert_int_equal(parse2(TD3_1, "L898902C36UTO7408122F1204159ZE184226B<<<<<<10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.line[1], TD3_2);
}

/* outside digit positions: repaired only when exactly one candidate passes every check */
static void test_noise_proven_only(void **state)
{
	kt_mrz m;

	(void)state;
	/* O for 0 in the document number: one candidate passes */
	assert_int_equal(parse2(TD3_1, "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.document_number, "L898902C3");
	assert_int_equal(m.corrections, 1);
	/* I for 1 in the optional data */
	assert_int_equal(parse2(TD3_1, "L898902C36UTO7408122F1204159ZEI84226B<<<<<10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.optional_data, "ZE184226B");
	/* B for 8 in the document number: 8->B at position 1 passes the check too */
	assert_int_equal(parse2(TD3_1, "L89B902C36UTO7408122F1204159ZE184226B<<<<<10", &m), KT_OK);
	assert_false(m.valid);
	assert_int_equal(m.errors, KT_MRZ_ERR_DOCUMENT_NUMBER | KT_MRZ_ERR_COMPOSITE);
	assert_string_equal(m.document_number, "L89B902C3");
	/* S for 8 is equal mod 10: the checks cannot see it and nothing is changed */
	assert_int_equal(parse2(TD3_1, "L89S902C36UTO7408122F1204159ZE184226B<<<<<10", &m), KT_OK);
	assert_true(m.valid);
	assert_string_equal(m.document_number, "L89S902C3");
	assert_int_equal(m.corrections, 0);
	/* a wrong check digit is not "repaired" by changing the number */
	assert_int_equal(parse2(TD3_1, "L898902C35UTO7408122F1204159ZE184226B<<<<<10", &m), KT_OK);
	assert_string_equal(m.document_number, "L898902C3");
	assert_int_equal(m.corrections, 0);
	/* B read as S (not a confusion pair): left as read, reported */
	assert_int_equal(parse2(TD3_1, "L898902C36UTO7408122F1204159ZE184226S<<<<<10", &m), KT_OK);
	assert_false(m.valid);
	assert_string_equal(m.optional_data, "ZE184226S");
	/* digits in the names are letters (0 -> O) */
	assert_int_equal(parse2("P<UT0ERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3_2, &m), KT_OK);
	assert_string_equal(m.issuer, "UTO");
	assert_string_equal(m.surname, "ERIKSSON");
}

static void test_two_digit_years(void **state)
{
	kt_mrz m;
	char l2[45];
	const char *lines[2] = { TD3_1, l2 };

	(void)state;
	/* birth 150101 -> 2015 (not in the future), 250101 -> 1925 */
	memcpy(l2, "L898902C36UTO1501010F2501010<<<<<<<<<<<<<<00", 45);
	l2[19] = (char)('0' + kt_mrz_check_digit("150101", 6));
	l2[27] = (char)('0' + kt_mrz_check_digit("250101", 6));
	assert_int_equal(kt_mrz_parse(lines, 2, 20240601, &m), KT_OK);
	assert_string_equal(m.birth_date, "2015-01-01");
	assert_string_equal(m.expiry_date, "2025-01-01");
	assert_int_equal(kt_mrz_parse(lines, 2, 20140601, &m), KT_OK);
	assert_string_equal(m.birth_date, "1915-01-01");
	/* expiry up to 20 years ahead: 440101 -> 2044, 450101 -> 1945 in 2024 */
	memcpy(l2, "L898902C36UTO7408122F4401010<<<<<<<<<<<<<<00", 45);
	l2[27] = (char)('0' + kt_mrz_check_digit("440101", 6));
	assert_int_equal(kt_mrz_parse(lines, 2, 20240601, &m), KT_OK);
	assert_string_equal(m.expiry_date, "2044-01-01");
	l2[21] = '4';
	l2[22] = '5';
	l2[27] = (char)('0' + kt_mrz_check_digit("450101", 6));
	assert_int_equal(kt_mrz_parse(lines, 2, 20240601, &m), KT_OK);
	assert_string_equal(m.expiry_date, "1945-01-01");
}

static void test_find_in_text(void **state)
{
	const char *text = "REPUBLIC OF UTOPIA\nPASSPORT\nSurname: ERIKSSON\n\n"
			   "  P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
			   "\n"
			   "L898902C36UTO7408122F1204159ZE184226B<<<<<10  \nend\n";
	const char *td1 = "IDENTITY CARD\n" TD1_1 "\n" TD1_2 "\n" TD1_3 "\n";
	kt_mrz m;
	const char *start;

	(void)state;
	assert_int_equal(kt_mrz_find(text, TODAY, &m), KT_OK);
	assert_int_equal(m.format, KT_MRZ_TD3);
	assert_true(m.valid);
	start = strstr(text, "  P<UTO");
	assert_int_equal(m.span.start, (size_t)(start - text));
	assert_int_equal(m.span.end, (size_t)(strstr(text, "  \nend") + 2 - text));

	assert_int_equal(kt_mrz_find(td1, TODAY, &m), KT_OK);
	assert_int_equal(m.format, KT_MRZ_TD1);
	assert_true(m.valid);
	assert_string_equal(m.surname, "ERIKSSON");
}

static void test_not_a_zone(void **state)
{
	kt_mrz m;
	const char *two[2] = { "hello", "world" };

	(void)state;
	assert_int_equal(kt_mrz_find("LĒMUMS\nPAR UZTURĒŠANĀS ATĻAUJAS ANULĒŠANU\n", TODAY, &m), KT_FAILED);
	assert_int_equal(m.format, KT_MRZ_NONE);
	assert_int_equal(kt_mrz_find("", TODAY, &m), KT_FAILED);
	assert_int_equal(kt_mrz_find(NULL, TODAY, &m), KT_FAILED);
	assert_int_equal(kt_mrz_parse(two, 2, TODAY, &m), KT_FAILED);
	assert_int_equal(kt_mrz_parse(two, 1, TODAY, &m), KT_FAILED);
	/* one line alone is no zone */
	assert_int_equal(kt_mrz_find(TD3_1 "\nsome text\n" TD3_2 "\n", TODAY, &m), KT_FAILED);
	/* a text line with fillers but no second line */
	assert_int_equal(kt_mrz_find("REF<<2023<<<<<<<<<<<<<<<<<<<<<<<<\n", TODAY, &m), KT_FAILED);
}

static const kt_test_case cases[] = {
	KT_TEST(check_digit),
	KT_TEST(td3_specimen),
	KT_TEST(td1_specimen),
	KT_TEST(td2_specimen),
	KT_TEST(mrv_specimens),
	KT_TEST(td1_long_document_number),
	KT_TEST(to_json_exact),
	KT_TEST(bad_check_digits),
	KT_TEST(error_names_in_json),
	KT_TEST(noise_digit_positions),
	KT_TEST(noise_spaces_and_fillers),
	KT_TEST(noise_k_fillers),
	KT_TEST(noise_line_length),
	KT_TEST(noise_proven_only),
	KT_TEST(two_digit_years),
	KT_TEST(find_in_text),
	KT_TEST(not_a_zone),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_mrz", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
