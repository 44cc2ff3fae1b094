/*
 * test_cli_retention.c - `kartoteka retention` (issue 21, "Retention"): the
 * schedule `retention = asylum 10y` and `residence_permit 5y`; case A
 * (asylum) closed 2014-03-01, due 2024-03-01; case B (residence permit)
 * closed 2019-03-02, due 2024-03-02; a document of each (the born-digital
 * letter of A, the mixed PDF of B) and one linked to no case:
 *   boundary     as of 2024-02-29 nothing is due; 2024-03-01 A's document
 *                only, with the rule that made it due; 2024-03-02 both; the
 *                unlinked one is always "review", never due; nothing is
 *                erased by listing
 *   held         a legal hold on case A: its document is listed as held
 *                (with the hold), not due; `erase request --due` files one
 *                request, for B's document alone, and a second run none
 *   refused      a schedule line that is no period, and a date that is no
 *                day, are refused, named
 * Run as `test_cli_retention KARTOTEKA SAMPLES WORK`.
 */
#include "e2e.h"
#include "kt_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CASE_A "PMLP-LV-2023-004571"
#define CASE_B "PMLP-LV-2024-000912"

static char store[1024], in[1024];

static void copy_pdf(const char *name)
{
	char from[2048], to[2048];
	unsigned char *data;
	size_t len;

	snprintf(from, sizeof from, "%s/pdf/%s", E2E.samples, name);
	snprintf(to, sizeof to, "%s/%s", in, name);
	data = kt_test_read_file(from, &len);
	assert_non_null(data);
	kt_test_write_file(to, data, len);
	free(data);
}

static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_store(const char *tag)
{
	char path[2048];
	e2e_out o;

	e2e_fresh(tag, store, sizeof store, in, sizeof in);
	o = e2e_run(store, "init", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(path, sizeof path, "%s/kartoteka.conf", store);
	append(path, "retention = asylum 10y\nretention = residence_permit 5y\n");
	snprintf(path, sizeof path, "%s/cases.csv", in);
	append(path, "case_number,personal_code,surname,given_names,birth_date,nationality,case_type,"
		     "status,closed_date\n"
		     CASE_A ",220791-14729,Karimi,Ahmad,1991-07-22,AFG,asylum,closed,2014-03-01\n"
		     CASE_B ",,Ozola,Anna,1980-01-01,LVA,residence_permit,closed,2019-03-02\n");
	o = e2e_run(store, "cases", "import", path, NULL);
	if (o.status != 0)
		print_message("cases import: %s\n", o.err);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	remove(path);
	copy_pdf("lv_vestule_digital.pdf");
	copy_pdf("lv_pavadvestule_mixed.pdf");
	copy_pdf("en_letter_rotate90.pdf");
	o = e2e_run(store, "ingest", in, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
}

/* `retention --json --date date`: the entries, and how many are due. */
static json_t *report(const char *date, int *due)
{
	e2e_out o = e2e_run(store, "retention", "--json", "--date", date, NULL);
	json_t *r, *e;
	size_t i;

	if (o.status != 0)
		print_message("retention: %s\n", o.err);
	assert_int_equal(o.status, 0);
	r = e2e_json_lines(o.out);
	e2e_out_free(&o);
	*due = 0;
	json_array_foreach(r, i, e)
		*due += strcmp(json_string_value(json_object_get(e, "state")), "due") == 0;
	return r;
}

static long long id_of(const char *file)
{
	json_t *d = e2e_doc_of(store, file, "done");
	long long id = (long long)json_integer_value(json_object_get(d, "id"));

	json_decref(d);
	return id;
}

static json_t *entry(json_t *r, long long id)
{
	json_t *e;
	size_t i;

	json_array_foreach(r, i, e)
		if (json_integer_value(json_object_get(e, "doc_id")) == id)
			return e;
	return NULL;
}

static void test_boundary(void **state)
{
	long long a, b, u;
	json_t *r, *e;
	int due;

	(void)state;
	make_store("boundary");
	a = id_of("lv_vestule_digital.pdf");
	b = id_of("lv_pavadvestule_mixed.pdf");
	u = id_of("en_letter_rotate90.pdf");
	r = report("2024-02-29", &due);
	assert_int_equal(due, 0);
	assert_null(entry(r, a));
	assert_string_equal(json_string_value(json_object_get(entry(r, u), "state")), "review");
	json_decref(r);
	r = report("2024-03-01", &due);
	assert_int_equal(due, 1);
	e = entry(r, a);
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "due")), "2024-03-01");
	kt_expect_in(json_string_value(json_array_get(json_object_get(e, "rules"), 0)),
		     "asylum 10y after closed_date 2014-03-01 (case " CASE_A ")");
	assert_null(entry(r, b));
	json_decref(r);
	r = report("2024-03-02", &due);
	assert_int_equal(due, 2);
	assert_string_equal(json_string_value(json_object_get(entry(r, b), "due")), "2024-03-02");
	assert_string_equal(json_string_value(json_object_get(entry(r, u), "state")), "review");
	json_decref(r);
	/* listing erased nothing */
	json_decref(e2e_doc_of(store, "lv_vestule_digital.pdf", "done"));
}

/* Run kartoteka with text as its standard input; its exit status. */
static int run_stdin(const char *text, const char *a, const char *b, const char *c, const char *d,
		     const char *e, const char *f)
{
	char path[2048];
	int fd, saved = dup(0), status;
	e2e_out o;

	snprintf(path, sizeof path, "%s/stdin", in);
	kt_test_write_file(path, text, strlen(text));
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(dup2(fd, 0), 0);
	close(fd);
	o = e2e_run(store, a, b, c, d, e, f, NULL);
	dup2(saved, 0);
	close(saved);
	status = o.status;
	if (status != 0)
		print_message("%s %s: %s\n", a, b, o.err);
	e2e_out_free(&o);
	return status;
}

static void test_held(void **state)
{
	json_t *r, *e;
	long long a;
	int due;

	(void)state;
	make_store("held");
	a = id_of("lv_vestule_digital.pdf");
	assert_int_equal(run_stdin("pw-arch-secret\n", "user", "add", "arch", "--role", "archivist",
				   NULL), 0);
	assert_int_equal(run_stdin("pw-arch-secret\n", "hold", "add", "case:" CASE_A, "--reason",
				   "appeal pending", "--user=arch"), 0);
	r = report("2024-03-02", &due);
	assert_int_equal(due, 1);
	e = entry(r, a);
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "state")), "held");
	kt_expect_in(json_string_value(json_object_get(e, "hold")), "appeal pending");
	json_decref(r);
	/* today both cases are past their dates: one request, B's */
	assert_int_equal(run_stdin("pw-arch-secret\n", "erase", "request", "--due", "--reason",
				   "retention period over", "--user=arch"), 0);
	assert_int_equal(run_stdin("pw-arch-secret\n", "erase", "request", "--due", "--reason",
				   "retention period over", "--user=arch"), 0);
	{
		e2e_out o = e2e_run(store, "erase", "list", "--json", NULL);

		assert_int_equal(o.status, 0);
		r = e2e_json_lines(o.out);
		e2e_out_free(&o);
	}
	assert_int_equal(json_array_size(r), 1);
	e = json_array_get(r, 0);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(e, "docs"), 0)),
			 id_of("lv_pavadvestule_mixed.pdf"));
	kt_expect_in(json_string_value(json_object_get(e, "reason")), "retention period over "
		     "(retention: residence_permit 5y after closed_date 2019-03-02");
	json_decref(r);
}

static void test_refused(void **state)
{
	char path[2048];
	e2e_out o;

	(void)state;
	make_store("refused");
	o = e2e_run(store, "retention", "--date", "2024-02-30", NULL);
	assert_int_not_equal(o.status, 0);
	kt_expect_in(o.err, "2024-02-30");
	e2e_out_free(&o);
	snprintf(path, sizeof path, "%s/kartoteka.conf", store);
	append(path, "retention = asylum ten years\n");
	o = e2e_run(store, "retention", NULL);
	assert_int_not_equal(o.status, 0);
	kt_expect_in(o.err, "retention wants CASE_TYPE PERIOD");
	e2e_out_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST(boundary),
	KT_TEST(held),
	KT_TEST(refused),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_retention", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES WORK", .n_args = 3, .init = e2e_init_work,
	};

	return kt_test_main(&prog, argc, argv);
}
