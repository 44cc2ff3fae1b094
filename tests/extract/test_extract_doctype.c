/*
 * test_extract_doctype.c - the kind of document from its words, in Latvian,
 * Lithuanian, Russian and English, with the evidence kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include "kt_test.h"

#include <stdlib.h>
#include <string.h>

#include "kt_extract.h"

/* the kind's name, and the evidence as "a|b|c" in *ev */
static const char *kind(const char *text, int has_mrz, const char **ev)
{
	static char buf[512];
	json_t *e = json_array();
	kt_doc_type t = kt_extract_doc_type(text, has_mrz, e);
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < json_array_size(e); i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, json_string_value(json_array_get(e, i)));
	}
	json_decref(e);
	*ev = buf;
	return kt_extract_doc_type_name(t);
}

#define EXPECT(text, mrz, want_kind, want_ev)                   \
	do {                                                    \
		const char *ev_;                                \
		const char *k_ = kind(text, mrz, &ev_);        \
		assert_string_equal(k_, want_kind);             \
		assert_string_equal(ev_, want_ev);              \
	} while (0)

static void test_decision(void **state)
{
	(void)state;
	EXPECT("PILSONĪBAS UN MIGRĀCIJAS LIETU PĀRVALDE\nLĒMUMS\npar uzturēšanās atļaujas anulēšanu\n",
	       0, "decision", "LĒMUMS");
	EXPECT("MIGRACIJOS DEPARTAMENTAS\nSPRENDIMAS\ndėl leidimo gyventi\n", 0, "decision",
	       "SPRENDIMAS");
	EXPECT("РЕШЕНИЕ\nо виде на жительство\n", 0, "decision", "РЕШЕНИЕ");
	EXPECT("DECISION\non the application for a residence permit\n", 0, "decision", "DECISION");
	/* without diacritics, lower case */
	EXPECT("LEMUMS\n", 0, "decision", "LEMUMS");
	EXPECT("Lēmums Nr. 5\n", 0, "decision", "Lēmums");
}

static void test_application(void **state)
{
	(void)state;
	EXPECT("IESNIEGUMS\nuzturēšanās atļaujas saņemšanai\n", 0, "application", "IESNIEGUMS");
	EXPECT("PRAŠYMAS\nišduoti leidimą gyventi\n", 0, "application", "PRAŠYMAS");
	EXPECT("ЗАЯВЛЕНИЕ\nо выдаче вида на жительство\n", 0, "application", "ЗАЯВЛЕНИЕ");
	/* й folds to и (kt_fold.h) in the text and in the keyword table alike */
	EXPECT("ХОДАТАЙСТВО\nо предоставлении убежища\n", 0, "application", "ХОДАТАЙСТВО");
	EXPECT("Ходатаиство\n", 0, "application", "Ходатаиство");
	EXPECT("APPLICATION FOR A RESIDENCE PERMIT\n", 0, "application", "APPLICATION");
}

static void test_interview(void **state)
{
	(void)state;
	EXPECT("PĀRRUNU PROTOKOLS\n", 0, "interview", "PĀRRUNU PROTOKOLS");
	EXPECT("POKALBIO PROTOKOLAS\n", 0, "interview", "POKALBIO PROTOKOLAS");
	EXPECT("ПРОТОКОЛ СОБЕСЕДОВАНИЯ\n", 0, "interview", "СОБЕСЕДОВАНИЯ");
	EXPECT("INTERVIEW RECORD\n", 0, "interview", "INTERVIEW");
	EXPECT("Intervijas protokols ar pieteicēju\n", 0, "interview", "Intervijas");
	EXPECT("Интервью с заявителем\n", 0, "interview", "Интервью");
}

static void test_identity(void **state)
{
	(void)state;
	EXPECT("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n", 1, "identity", "MRZ");
	EXPECT("REPUBLIC OF UTOPIA\nPASSPORT\n", 1, "identity", "MRZ|PASSPORT");
	EXPECT("LATVIJAS REPUBLIKA\nPASE\n", 0, "identity", "PASE");
	EXPECT("LIETUVOS RESPUBLIKA\nPASAS\n", 0, "identity", "PASAS");
	EXPECT("ПАСПОРТ\n", 0, "identity", "ПАСПОРТ");
	EXPECT("RESIDENCE PERMIT\n", 0, "identity", "RESIDENCE PERMIT");
	EXPECT("UZTURĒŠANĀS ATĻAUJA\n", 0, "identity", "UZTURĒŠANĀS ATĻAUJA");
	EXPECT("LEIDIMAS GYVENTI\n", 0, "identity", "LEIDIMAS GYVENTI");
}

static void test_letter(void **state)
{
	(void)state;
	EXPECT("Dear Mr Smith,\nwe have received your letter.\nYours sincerely\n", 0, "letter",
	       "Dear|Yours sincerely");
	EXPECT("Cienījamā Bērziņa kundze!\nInformējam, ka ...\n", 0, "letter", "Cienījamā");
	EXPECT("Gerb. p. Jonai,\npranešame ...\n", 0, "letter", "Gerb");
	EXPECT("Уважаемый Иван Иванович!\nСообщаем ...\n", 0, "letter", "Уважаемый");
	EXPECT("Cienijama kundze!\n", 0, "letter", "Cienijama");
}

/* title words weigh more than the same kind of word in the body */
static void test_title_weighs_more(void **state)
{
	(void)state;
	EXPECT("PĀRVALDE\nLĒMUMS\nRīgā\nNr. 1\n\n"
	       "Izskatot iesniegumu, iesniegumā minēto un iesnieguma pielikumus,\n"
	       "kā arī iesniegumu par pasi, nolēma.\n",
	       0, "decision", "LĒMUMS");
	/* body only: the most weight wins */
	EXPECT("a\nb\nc\nd\ne\nf\nšis iesniegums un vēl viens iesniegums, lēmums\n", 0, "application",
	       "iesniegums");
}

static void test_other(void **state)
{
	const char *ev;

	(void)state;
	EXPECT("Lorem ipsum dolor sit amet\n", 0, "other", "");
	EXPECT("", 0, "other", "");
	/* words inside other words do not count: "pasecond", "dearth" */
	EXPECT("pasecond dearth\n", 0, "other", "");
	assert_int_equal(kt_extract_doc_type(NULL, 0, NULL), KT_DOC_OTHER);
	assert_int_equal(kt_extract_doc_type("LĒMUMS", 0, NULL), KT_DOC_DECISION);
	(void)kind("x", 0, &ev);
	assert_string_equal(kt_extract_doc_type_name(KT_DOC_OTHER), "other");
	assert_string_equal(kt_extract_doc_type_name((kt_doc_type)99), "other");
}

static const kt_test_case cases[] = {
	KT_TEST(decision),
	KT_TEST(application),
	KT_TEST(interview),
	KT_TEST(identity),
	KT_TEST(letter),
	KT_TEST(title_weighs_more),
	KT_TEST(other),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "extract_doctype", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
