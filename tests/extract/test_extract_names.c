/*
 * test_extract_names.c - names from labelled fields in four languages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_extract.h"

/* "surname/given;surname/given" */
static const char *names_of(const char *text)
{
	static char buf[1024];
	kt_name *v = NULL;
	size_t n = 0, i, o = 0;

	assert_int_equal(kt_extract_names(text, &v, &n), KT_OK);
	buf[0] = '\0';
	for (i = 0; i < n && o + 300 < sizeof buf; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s/%s", i ? ";" : "",
				      v[i].surname, v[i].given_names);
	free(v);
	return buf;
}

#define EXPECT(text, want) assert_string_equal(names_of(text), want)

static void test_english(void **state)
{
	(void)state;
	EXPECT("Surname: ERIKSSON\nGiven names: ANNA MARIA\n", "ERIKSSON/ANNA MARIA");
	EXPECT("SURNAME : Smith\nFirst name: John\n", "Smith/John");
	EXPECT("Surname: SMITH     Given names: JOHN PAUL\n", "SMITH/JOHN PAUL");
	EXPECT("Surname: SMITH Given names: JOHN\n", "SMITH/JOHN");
}

static void test_latvian(void **state)
{
	(void)state;
	EXPECT("Uzvārds: Bērziņš\nVārds: Jānis\n", "Bērziņš/Jānis");
	EXPECT("UZVĀRDS: OZOLA\nVĀRDS: LAIMA\n", "OZOLA/LAIMA");
	EXPECT("Uzvards: Ozola\nVards: Laima\n", "Ozola/Laima");
	EXPECT("Vārds, uzvārds: Anna Bērziņa\n", "Bērziņa/Anna");
	EXPECT("Vārds, uzvārds: Anna Marija Bērziņa.\n", "Bērziņa/Anna Marija");
	/* the name ends at a comma; "SURNAME, Given" holds one */
	EXPECT("Vārds, uzvārds: Oleg Kovalenko, personas kods 021179-13858\n", "Kovalenko/Oleg");
	EXPECT("Uzvārds, vārds: BĒRZIŅŠ, Jānis, dzimis 1980. gadā\n", "BĒRZIŅŠ/Jānis");
	/* the value on the next line */
	EXPECT("Uzvārds:\nOZOLA\nVārds:\nLAIMA\n", "OZOLA/LAIMA");
}

static void test_lithuanian(void **state)
{
	(void)state;
	EXPECT("Pavardė: Kazlauskas\nVardas: Jonas\n", "Kazlauskas/Jonas");
	EXPECT("Pavarde: KAZLAUSKAITĖ\nVardas: Rūta\n", "KAZLAUSKAITĖ/Rūta");
	EXPECT("Vardas, pavardė: Jonas Petraitis\n", "Petraitis/Jonas");
}

static void test_russian(void **state)
{
	(void)state;
	EXPECT("Фамилия: Иванов\nИмя: Иван\n", "Иванов/Иван");
	EXPECT("ФАМИЛИЯ: ПЕТРОВА\nИМЯ: АННА\n", "ПЕТРОВА/АННА");
	EXPECT("ФИО: Иванов Иван Иванович\n", "Иванов/Иван Иванович");
}

static void test_records(void **state)
{
	(void)state;
	/* two people */
	EXPECT("Surname: A\nGiven names: B\nSurname: C\nGiven names: D\n", "A/B;C/D");
	/* given names first */
	EXPECT("Vārds: Jānis\nUzvārds: Bērziņš\n", "Bērziņš/Jānis");
	/* one field alone */
	EXPECT("Surname: LONELY\n", "LONELY/");
	/* the same twice: once */
	EXPECT("Surname: A\nGiven names: B\n\nSurname: A\nGiven names: B\n", "A/B");
}

static void test_not_names(void **state)
{
	(void)state;
	EXPECT("Jānis Bērziņš iesniedza iesniegumu uz sava vārda.\n", "");
	EXPECT("Vārds: 12345\n", "");
	EXPECT("Surname:\n\n", "");
	EXPECT("Surname: this is a very long sentence that is no name at all\n", "");
	EXPECT("Nickname: Joe\n", "");
	EXPECT("", "");
	assert_int_equal(kt_extract_names(NULL, NULL, NULL), KT_OK);
}

static const kt_test_case cases[] = {
	KT_TEST(english),
	KT_TEST(latvian),
	KT_TEST(lithuanian),
	KT_TEST(russian),
	KT_TEST(records),
	KT_TEST(not_names),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_names", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
