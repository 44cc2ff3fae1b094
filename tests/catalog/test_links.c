/*
 * test_links.c - linking documents to case records (catalog_links.c) and
 * the review queue (catalog_review.c): each rule alone, the caps on
 * evidence about the person, near case numbers, documents that must not
 * link, and decisions that no automatic run undoes; pages scanned again
 * flagged as duplicates (catalog_dups.c), copies of one form filled in for
 * two people not. Documents are made from
 * metadata alone (no OCR), each test in its own temporary folder.
 */
#include "kt_catalog.h"
#include "kt_record.h"

#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
	char dir[256];
	kt_catalog *c;
	long long batch;
	int n_docs;
} fixture;

static const char cases_csv[] =
	"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status\n"
	"PMLP-LV-2022-003310,021179-13858,Kovalenko,Oleg,1979-11-02,UKR,asylum,open\n"
	"PMLP-LV-2024-000912,140388-12969,Nazari,Farid,1988-03-14,AFG,residence_permit,open\n"
	"LT-2023-7,,Bērziņa-Ozola,Anna Marija,1990-05-05,LVA,asylum,closed\n"
	"LT-2024-8,,Bērziņa-Ozola,Anna Marija,1990-05-05,LVA,appeal,open\n"
	"PMLP-LV-2020-000500,,Иванов,Пётр,1970-01-01,RUS,asylum,open\n";

static void import_cases(fixture *f)
{
	char path[400];
	kt_catalog_import rep;

	snprintf(path, sizeof path, "%s/cases.csv", f->dir);
	kt_test_write_file(path, cases_csv, strlen(cases_csv));
	assert_int_equal(kt_catalog_cases_import(f->c, path, &rep, NULL, NULL), KT_OK);
	assert_int_equal(rep.rejected, 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char db[300];

	assert_int_equal(kt_test_mkdtemp(f->dir, sizeof f->dir, "links"), 0);
	snprintf(db, sizeof db, "%s/catalog.sqlite", f->dir);
	f->c = kt_catalog_new();
	assert_int_equal(kt_catalog_open(f->c, db, 0), KT_OK);
	assert_int_equal(kt_catalog_batch_start(f->c, "b", "scans", &f->batch), KT_OK);
	import_cases(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kt_catalog_free(&f->c);
	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

/* Write document `id` done again with this metadata (JSON text). */
static void done(fixture *f, long long id, const char *meta_json)
{
	json_t *j = json_loads(meta_json, 0, NULL);
	kt_doc_meta m = { 0 };

	assert_non_null(j);
	assert_int_equal(kt_doc_meta_from_json(j, &m, NULL), KT_OK);
	assert_int_equal(kt_catalog_doc_done(f->c, id, "png", NULL, NULL, &m, NULL, 0), KT_OK);
	kt_doc_meta_release(&m);
	json_decref(j);
}

/* A new done document with this metadata; its id. */
static long long doc(fixture *f, const char *meta_json)
{
	char sha[65], name[32];
	long long id;

	snprintf(sha, sizeof sha, "%064d", ++f->n_docs);
	snprintf(name, sizeof name, "scan%d.png", f->n_docs);
	assert_int_equal(kt_catalog_doc_reserve(f->c, sha, name, strlen(name), "png", f->batch, &id),
			 KT_OK);
	done(f, id, meta_json);
	return id;
}

/* The document's links as the catalog shows them (caller frees). */
static kt_doc *links_of(fixture *f, long long id)
{
	kt_doc *d = NULL;

	assert_int_equal(kt_catalog_doc_get(f->c, id, &d), KT_OK);
	return d;
}

/* The queue entry of doc id for case cn (NULL: "unlinked"), or NULL. */
static json_t *queued(json_t *q, long long id, const char *cn)
{
	size_t i;
	json_t *o;

	json_array_foreach(q, i, o) {
		json_t *c = json_object_get(o, "case_number");

		if (json_integer_value(json_object_get(o, "doc_id")) != id)
			continue;
		if (cn == NULL ? strcmp(json_string_value(json_object_get(o, "reason")), "unlinked") == 0
			       : json_is_string(c) && strcmp(json_string_value(c), cn) == 0)
			return o;
	}
	return NULL;
}

static int linked_count(fixture *f, const char *cn)
{
	long long *ids = NULL;
	int n = 0;

	assert_int_equal(kt_catalog_case_doc_ids(f->c, cn, &ids, &n), KT_OK);
	free(ids);
	return n;
}

static void test_by_number_and_code(void **state)
{
	fixture *f = *state;
	long long a = doc(f, "{\"case_numbers\":[\"PMLP-LV-2022-003310\"]}");
	long long b = doc(f, "{\"personal_codes\":[\"140388-12969\"]}");
	kt_doc *d = links_of(f, a);

	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].rule, "case_number");
	assert_true(d->links[0].confidence == 1.0);
	assert_string_equal(d->links[0].state, "auto");
	assert_string_equal(d->links[0].evidence, "case number PMLP-LV-2022-003310");
	kt_doc_free(&d);
	d = links_of(f, b);
	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].case_number, "PMLP-LV-2024-000912");
	assert_string_equal(d->links[0].rule, "personal_code");
	assert_true(d->links[0].confidence >= KT_CATALOG_LINK_THRESHOLD);
	kt_doc_free(&d);
}

static void test_mrz_only(void **state)
{
	fixture *f = *state;
	long long a = doc(f, "{\"mrz\":{\"format\":\"TD3\",\"surname\":\"NAZARI\",\"given_names\":"
			  "\"FARID\",\"birth_date\":\"1988-03-14\",\"valid\":true}}");
	/* a Cyrillic name in the case records, the MRZ in ICAO Latin */
	long long b = doc(f, "{\"mrz\":{\"format\":\"TD3\",\"surname\":\"IVANOV\",\"given_names\":"
			  "\"PETR\",\"birth_date\":\"1970-01-01\",\"valid\":true}}");
	/* the check digits fail: a suggestion, not a link */
	long long c = doc(f, "{\"mrz\":{\"format\":\"TD3\",\"surname\":\"NAZARI\",\"given_names\":"
			  "\"FARID\",\"birth_date\":\"1988-03-14\",\"valid\":false}}");
	/* same birth date, another name: nothing */
	long long e = doc(f, "{\"mrz\":{\"format\":\"TD3\",\"surname\":\"NAZAROV\",\"given_names\":"
			  "\"FARID\",\"birth_date\":\"1988-03-14\",\"valid\":true}}");
	kt_doc *d = links_of(f, a);
	json_t *q;

	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].case_number, "PMLP-LV-2024-000912");
	assert_string_equal(d->links[0].rule, "mrz");
	kt_doc_free(&d);
	d = links_of(f, b);
	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].case_number, "PMLP-LV-2020-000500");
	kt_doc_free(&d);
	d = links_of(f, c);
	assert_int_equal(d->n_links, 0);
	kt_doc_free(&d);
	d = links_of(f, e);
	assert_int_equal(d->n_links, 0);
	kt_doc_free(&d);
	q = kt_catalog_review_json(f->c);
	assert_non_null(queued(q, c, "PMLP-LV-2024-000912"));
	assert_non_null(queued(q, e, NULL));
	assert_null(queued(q, a, NULL));
	json_decref(q);
}

static void test_near_number(void **state)
{
	fixture *f = *state;
	/* one digit misread: a suggestion only */
	long long a = doc(f, "{\"case_numbers\":[\"PMLP-LV-2022-003370\"]}");
	/* one digit lost */
	long long b = doc(f, "{\"case_numbers\":[\"PMLP-LV-2022-00310\"]}");
	/* a letter differs (another country's series): nothing */
	long long c = doc(f, "{\"case_numbers\":[\"PMLP-LT-2022-003310\"]}");
	/* the misread number and the person's name and birth date agree */
	long long e = doc(f, "{\"case_numbers\":[\"PMLP-LV-2022-003370\"],\"dates\":[\"1979-11-02\"],"
			  "\"names\":[{\"surname\":\"KOVALENKO\",\"given_names\":\"Oleg\"}]}");
	json_t *q = kt_catalog_review_json(f->c), *o;
	kt_doc *d;

	o = queued(q, a, "PMLP-LV-2022-003310");
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "rule")), "case_number_near");
	assert_true(json_real_value(json_object_get(o, "confidence")) < KT_CATALOG_LINK_THRESHOLD);
	assert_non_null(queued(q, b, "PMLP-LV-2022-003310"));
	assert_non_null(queued(q, c, NULL));
	assert_null(queued(q, e, NULL));
	json_decref(q);
	assert_int_equal(linked_count(f, "PMLP-LV-2022-003310"), 1);
	d = links_of(f, e);
	assert_int_equal(d->n_links, 1);
	assert_true(d->links[0].confidence >= KT_CATALOG_LINK_THRESHOLD);
	assert_non_null(strstr(d->links[0].evidence, "one digit off"));
	assert_non_null(strstr(d->links[0].evidence, "KOVALENKO"));
	kt_doc_free(&d);
}

static void test_person_caps(void **state)
{
	fixture *f = *state;
	/* the person has two cases: which one the evidence cannot say */
	long long a = doc(f, "{\"mrz\":{\"format\":\"TD1\",\"surname\":\"BERZINA OZOLA\","
			  "\"given_names\":\"ANNA MARIJA\",\"birth_date\":\"1990-05-05\",\"valid\":true}}");
	/* the same, naming one of them by number: that one links, the other waits */
	long long b = doc(f, "{\"case_numbers\":[\"LT-2023-7\"],\"mrz\":{\"format\":\"TD1\","
			  "\"surname\":\"BERZINA OZOLA\",\"given_names\":\"ANNA\","
			  "\"birth_date\":\"1990-05-05\",\"valid\":true}}");
	/* a document of one case naming a person of one other case (a
	 * witness, a relative): the number links, the person waits for review */
	long long c = doc(f, "{\"case_numbers\":[\"PMLP-LV-2022-003310\"],"
			  "\"personal_codes\":[\"140388-12969\"]}");
	json_t *q = kt_catalog_review_json(f->c);
	kt_doc *d = links_of(f, a);

	assert_int_equal(d->n_links, 0);
	kt_doc_free(&d);
	d = links_of(f, c);
	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].case_number, "PMLP-LV-2022-003310");
	kt_doc_free(&d);
	assert_non_null(queued(q, c, "PMLP-LV-2024-000912"));
	assert_non_null(queued(q, a, "LT-2023-7"));
	assert_non_null(queued(q, a, "LT-2024-8"));
	assert_non_null(queued(q, b, "LT-2024-8"));
	assert_null(queued(q, b, "LT-2023-7"));
	json_decref(q);
	d = links_of(f, b);
	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].case_number, "LT-2023-7");
	kt_doc_free(&d);
}

/* The trap of samples/README.md: a letter about another man born on
 * Nazari's birthday links to nothing. */
static void test_unrelated(void **state)
{
	fixture *f = *state;
	long long a = doc(f, "{\"dates\":[\"1988-03-14\",\"2021-08-19\"],\"doc_type\":\"letter\","
			  "\"names\":[{\"surname\":\"Ashdown\",\"given_names\":\"Jonathan\"}]}");
	kt_doc *d = links_of(f, a);
	json_t *q = kt_catalog_review_json(f->c), *o;

	assert_int_equal(d->n_links, 0);
	kt_doc_free(&d);
	o = queued(q, a, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), "unlinked");
	assert_string_equal(json_string_value(json_object_get(o, "doc_type")), "letter");
	assert_string_equal(json_string_value(json_object_get(o, "date")), "1988-03-14");
	assert_int_equal(json_array_size(q), 1);
	json_decref(q);
}

static void test_decisions_kept(void **state)
{
	fixture *f = *state;
	const char *meta_a = "{\"case_numbers\":[\"PMLP-LV-2022-003310\"]}";
	const char *meta_b = "{\"case_numbers\":[\"PMLP-LV-2022-003370\"]}";
	long long a = doc(f, meta_a), b = doc(f, meta_b);
	long long e = doc(f, "{\"doc_type\":\"other\"}");
	json_t *q;
	kt_doc *d;

	/* refused: nothing to accept, an unknown case, an unknown document */
	assert_int_equal(kt_catalog_link_decide(f->c, a, "LT-2023-7", KT_LINK_ACCEPT, "ann"), KT_FAILED);
	assert_non_null(strstr(kt_catalog_errmsg(f->c), "no suggested link"));
	assert_int_equal(kt_catalog_link_decide(f->c, a, "NO-SUCH", KT_LINK_MANUAL, "ann"), KT_FAILED);
	assert_int_equal(kt_catalog_link_decide(f->c, 999, "LT-2023-7", KT_LINK_MANUAL, "ann"), KT_FAILED);
	assert_int_equal(kt_catalog_link_decide(f->c, a, "LT-2023-7", KT_LINK_REJECT, "ann"), KT_FAILED);
	assert_int_equal(kt_catalog_link_decide(f->c, a, "LT-2023-7", KT_LINK_MANUAL, NULL), KT_FAILED);
	/* an automatic link rejected, a suggestion accepted, a link by hand,
	 * a document of no case */
	assert_int_equal(kt_catalog_link_decide(f->c, a, "PMLP-LV-2022-003310", KT_LINK_REJECT, "ann"), KT_OK);
	assert_int_equal(kt_catalog_link_decide(f->c, a, "LT-2023-7", KT_LINK_MANUAL, "ben"), KT_OK);
	assert_int_equal(kt_catalog_link_decide(f->c, b, "PMLP-LV-2022-003310", KT_LINK_ACCEPT, "ann"), KT_OK);
	assert_int_equal(kt_catalog_link_decide(f->c, e, NULL, KT_LINK_NONE, "ann"), KT_OK);
	/* then every automatic run there is: the documents written again
	 * (reprocess), the case records imported again */
	done(f, a, meta_a);
	done(f, b, meta_b);
	import_cases(f);
	d = links_of(f, a);
	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].case_number, "LT-2023-7");
	assert_string_equal(d->links[0].state, "manual");
	assert_string_equal(d->links[0].decided_by, "ben");
	assert_non_null(d->links[0].decided_at);
	kt_doc_free(&d);
	d = links_of(f, b);
	assert_int_equal(d->n_links, 1);
	assert_string_equal(d->links[0].state, "accepted");
	assert_string_equal(d->links[0].rule, "case_number_near");
	kt_doc_free(&d);
	q = kt_catalog_review_json(f->c);
	assert_int_equal(json_array_size(q), 0);
	json_decref(q);
	/* a mind changed: the rejected link accepted after all */
	assert_int_equal(kt_catalog_link_decide(f->c, a, "PMLP-LV-2022-003310", KT_LINK_ACCEPT, "cid"), KT_OK);
	assert_int_equal(linked_count(f, "PMLP-LV-2022-003310"), 2);
}

/* ----------------------------------------------------------- duplicates */

static const char letter[] =
	"Pilsonības un migrācijas lietu pārvaldei\n"
	"Rīgā, 2023. gada 20. aprīlī\n"
	"VĒSTULE par darba attiecību apstiprināšanu\n"
	"SIA Ziemeļu Loģistika apliecina, ka Ahmad Karimi strādā uzņēmumā par\n"
	"noliktavas pārzini kopš 01.02.2023. Darba līgums ir noslēgts uz nenoteiktu\n"
	"laiku, darba alga ir 1450 EUR mēnesī pirms nodokļu nomaksas. Darbinieks ir\n"
	"čakls, precīzs un ievēro darba kārtības noteikumus.\n"
	"Ar cieņu, valdes locekle Žanna Ošiņa\n";

/* The same letter read from a second scan: four characters misread. */
static const char rescan[] =
	"Pilsonibas un migrācijas lietu pārvaldei\n"
	"Rīgā, 2023. gada 20. aprīlī\n"
	"VĒSTULE par darba attiecību apstiprinašanu\n"
	"SIA Ziemeļu Loģistika apliecina, ka Ahmad Karimi strādā uzņēmumā par\n"
	"noliktavas pārzini kopš 01.02.2023. Darba līgums ir noslēgts uz nenoteiktu\n"
	"laiku, darba alga ir 1450 EUR mēnesī pirms nodokļu nomaksas. Darbinieks ir\n"
	"čaklš, precīzs un ievero darba kārtības noteikumus.\n"
	"Ar cieņu, valdes locekle Žanna Ošiņa\n";

/* One form filled in for two people: the printed words the same. */
#define FORM(name, code, date, number) \
	"IESNIEGUMS uzturēšanās atļaujas pagarināšanai\n" \
	"Vārds, uzvārds: " name "\n" \
	"Personas kods: " code "\n" \
	"Lietas numurs: " number "\n" \
	"Lūdzu pagarināt man izsniegto uzturēšanās atļauju uz vienu gadu, jo\n" \
	"turpinu strādāt pie tā paša darba devēja un dzīvoju tajā pašā adresē.\n" \
	"Pielikumā darba līguma kopija un īres līguma kopija.\n" \
	"Apliecinu, ka sniegtās ziņas ir patiesas un pilnīgas, un esmu informēts\n" \
	"par atbildību par nepatiesu ziņu sniegšanu valsts iestādei. Piekrītu, ka\n" \
	"Pilsonības un migrācijas lietu pārvalde apstrādā manus personas datus\n" \
	"iesnieguma izskatīšanai un pārbauda tos valsts informācijas sistēmās.\n" \
	"Lēmumu lūdzu paziņot elektroniski uz manu oficiālo elektronisko adresi.\n" \
	"Datums: " date "\n"

/* A new done document with one page of this text; its id. */
static long long page_doc(fixture *f, const char *text)
{
	kt_catalog_page pg = { .n = 1, .lang = "lav", .text = text, .confidence = 90 };
	char sha[65], name[32];
	kt_doc_meta m = { 0 };
	long long id;

	snprintf(sha, sizeof sha, "%064d", ++f->n_docs);
	snprintf(name, sizeof name, "scan%d.png", f->n_docs);
	assert_int_equal(kt_catalog_doc_reserve(f->c, sha, name, strlen(name), "png", f->batch, &id),
			 KT_OK);
	assert_int_equal(kt_catalog_doc_done(f->c, id, "png", NULL, NULL, &m, &pg, 1), KT_OK);
	return id;
}

static json_t *dup_entry(json_t *q, long long id, long long of)
{
	size_t i;
	json_t *o;

	json_array_foreach(q, i, o)
		if (json_integer_value(json_object_get(o, "doc_id")) == id &&
		    json_integer_value(json_object_get(o, "of_doc")) == of &&
		    strcmp(json_string_value(json_object_get(o, "reason")), "duplicate") == 0)
			return o;
	return NULL;
}

static int dups_in(json_t *q)
{
	size_t i;
	json_t *o;
	int n = 0;

	json_array_foreach(q, i, o)
		n += strcmp(json_string_value(json_object_get(o, "reason")), "duplicate") == 0;
	return n;
}

static void test_dups_rescan(void **state)
{
	fixture *f = *state;
	long long a = page_doc(f, letter);
	long long other = page_doc(f, FORM("Anna Bērziņa", "010190-11111", "01.02.2024.", "LT-2024-8"));
	long long b = page_doc(f, rescan);
	json_t *q = kt_catalog_review_json(f->c), *o;

	(void)other;
	o = dup_entry(q, b, a);
	assert_non_null(o);
	assert_true(json_real_value(json_object_get(o, "similarity")) >= 0.75);
	kt_expect_in(json_string_value(json_object_get(o, "evidence")), "page 1 ~ page 1");
	assert_int_equal(dups_in(q), 1);
	json_decref(q);
	/* the earlier one made again (reprocess): still the same pair, once */
	{
		kt_catalog_page pg = { .n = 1, .lang = "lav", .text = letter };
		kt_doc_meta m = { 0 };

		assert_int_equal(kt_catalog_doc_done(f->c, a, "png", NULL, NULL, &m, &pg, 1), KT_OK);
	}
	q = kt_catalog_review_json(f->c);
	assert_non_null(dup_entry(q, b, a));
	assert_int_equal(dups_in(q), 1);
	json_decref(q);
}

static void test_dups_forms_apart(void **state)
{
	fixture *f = *state;
	long long a = page_doc(f, FORM("Anna Bērziņa", "010190-11111", "01.02.2024.", "LT-2024-8"));
	long long b = page_doc(f, FORM("Oleg Kovalenko", "021179-13858", "17.03.2024.", "PMLP-LV-2022-003310"));
	long long c = page_doc(f, "too short to tell anything");
	long long d = page_doc(f, "too short to tell anything");
	json_t *q = kt_catalog_review_json(f->c);

	(void)a, (void)b, (void)c, (void)d;
	assert_int_equal(dups_in(q), 0);
	json_decref(q);
}

static void test_dups_decisions(void **state)
{
	fixture *f = *state;
	long long a = page_doc(f, letter), b = page_doc(f, rescan), c = page_doc(f, rescan);
	json_t *q;

	assert_int_equal(kt_catalog_dup_decide(f->c, b, a, 1, "ann"), KT_OK);
	assert_int_equal(kt_catalog_dup_decide(f->c, a, c, 0, "ann"), KT_OK); /* either order */
	assert_int_equal(kt_catalog_dup_decide(f->c, a, 999, 1, "ann"), KT_FAILED);
	q = kt_catalog_review_json(f->c);
	assert_null(dup_entry(q, b, a));
	assert_null(dup_entry(q, c, a));
	assert_non_null(dup_entry(q, c, b)); /* the pair nobody decided */
	json_decref(q);
	/* b made again: the decision stays */
	{
		kt_catalog_page pg = { .n = 1, .lang = "lav", .text = rescan };
		kt_doc_meta m = { 0 };

		assert_int_equal(kt_catalog_doc_done(f->c, b, "png", NULL, NULL, &m, &pg, 1), KT_OK);
	}
	q = kt_catalog_review_json(f->c);
	assert_null(dup_entry(q, b, a));
	json_decref(q);
}

static const kt_test_case cases[] = {
	KT_TEST_FX(by_number_and_code, setup, teardown),
	KT_TEST_FX(mrz_only, setup, teardown),
	KT_TEST_FX(near_number, setup, teardown),
	KT_TEST_FX(person_caps, setup, teardown),
	KT_TEST_FX(unrelated, setup, teardown),
	KT_TEST_FX(decisions_kept, setup, teardown),
	KT_TEST_FX(dups_rescan, setup, teardown),
	KT_TEST_FX(dups_forms_apart, setup, teardown),
	KT_TEST_FX(dups_decisions, setup, teardown),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_links", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
