/*
 * test_cli_hold.c - `kartoteka hold` (issue 21, "Legal hold") and what a
 * hold does to `kartoteka erase`: archivists and admins place holds, an
 * operator cannot; only an admin removes one; an erase request on a held
 * document, or on a document of a held case, or on the held case, is
 * refused naming the hold; a request made before a hold fails when it is
 * approved after, nothing erased; once the hold is removed the erasure goes
 * on; `hold list` active or --all, in both forms; every action audited.
 *
 * Each case makes its own store (lifecycle_fixture.h).
 * Run as `test_cli_hold KARTOTEKA SAMPLES`.
 */
#include "lifecycle_fixture.h"
#include "kt_status.h"
#include "kt_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `hold add ARG` by user, which must exit 0; the hold's id. */
static long long hold_add(fixture *f, const char *user, const char *arg, const char *reason)
{
	e2e_out o = run_as(f, "hold", user, NULL, 0, "add", arg, reason);
	long long id = 0;

	if (sscanf(o.out, "hold %lld placed on", &id) != 1)
		fail_msg("no hold id in: %s", o.out);
	e2e_out_free(&o);
	return id;
}

/* `erase request ARG` by a1, which must exit 0; the request's id. */
static long long erase_request(fixture *f, const char *arg)
{
	e2e_out o = run_as(f, "erase", "a1", NULL, 0, "request", arg, "retention period over");
	long long id = 0;

	if (sscanf(o.out, "erase request %lld recorded", &id) != 1)
		fail_msg("no request id in: %s", o.out);
	e2e_out_free(&o);
	return id;
}

/* `CMD list --json [--all]` as an array (new reference). */
static json_t *list_json(fixture *f, const char *cmd, int all)
{
	e2e_out o = all ? e2e_run(f->store, cmd, "list", "--json", "--all", NULL)
			: e2e_run(f->store, cmd, "list", "--json", NULL);
	json_t *v;

	if (o.status != 0)
		fail_msg("%s list --json: exit %d: %s", cmd, o.status, o.err);
	v = e2e_json_lines(o.out);
	assert_non_null(v);
	e2e_out_free(&o);
	return v;
}

/* The object of request or hold id in the array rows (borrowed). */
static json_t *by_id(json_t *rows, long long id)
{
	json_t *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (json_integer_value(json_object_get(r, "id")) == id)
			return r;
	fail_msg("no row %lld", id);
	return NULL;
}

/* The audit log as text (malloc'd, caller frees). */
static char *audit_text(fixture *f)
{
	e2e_out o = e2e_run(f->store, "audit", NULL);

	assert_int_equal(o.status, 0);
	free(o.err);
	return o.out;
}

/* `show DOC` must exit want. */
static void show_exits(fixture *f, const char *doc, int want)
{
	e2e_out o = e2e_run(f->store, "show", doc, NULL);

	if (o.status != want)
		fail_msg("show %s: exit %d (want %d): %s", doc, o.status, want, o.err);
	e2e_out_free(&o);
}

static int setup(void **state)
{
	return lifecycle_setup(state, "cli-hold");
}

/* An archivist holds a document; an operator may not; an erase request on
 * the held document is refused naming the hold, recorded nowhere; the
 * other document can still be requested. */
static void test_hold_doc(void **state)
{
	fixture *f = *state;
	char target[64], expect[200], *log;
	long long hid;
	json_t *all;
	e2e_out o;

	hid = hold_add(f, "a1", f->doc2, "appeal pending at the court");
	snprintf(target, sizeof target, "doc:%s", f->doc2);
	o = run_as(f, "hold", "o1", NULL, 1, "add", f->doc1, "just because");
	kt_expect_in(o.err, "only archivists and admins may place a legal hold");
	e2e_out_free(&o);
	o = run_as(f, "hold", "a1", "pw-b1-secret\n", 1, "add", f->doc1, "wrong password");
	kt_expect_in(o.err, "wrong user name or password");
	e2e_out_free(&o);

	o = run_as(f, "erase", "a1", NULL, 1, "request", f->doc2, "the person asked");
	snprintf(expect, sizeof expect, "%s is under legal hold (hold %lld on %s: appeal pending at"
		 " the court)", target, hid, target);
	kt_expect_in(o.err, expect);
	e2e_out_free(&o);
	all = list_json(f, "erase", 0);
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);
	(void)erase_request(f, f->doc1);

	log = audit_text(f);
	snprintf(expect, sizeof expect, "hold:%lld %s", hid, target);
	kt_expect_in(log, expect);
	kt_expect_in(log, "denied");
	snprintf(expect, sizeof expect, "erase-request %s held by hold:%lld", target, hid);
	kt_expect_in(log, expect);
	free(log);
}

/* A request made first, a hold placed after: the approval erases nothing,
 * the request ends failed with the hold named, the document is there. */
static void test_hold_after_request(void **state)
{
	fixture *f = *state;
	char ids[32];
	long long rid, hid;
	json_t *all, *r;
	e2e_out o;

	rid = erase_request(f, f->doc2);
	hid = hold_add(f, "b1", f->doc2, "subpoena");
	snprintf(ids, sizeof ids, "%lld", rid);
	o = run_as(f, "erase", "b2", NULL, 1, "approve", ids, NULL);
	kt_expect_in(o.err, "under legal hold, nothing erased");
	kt_expect_in(o.out, "failed");
	kt_expect_not_in(o.out, "erased document");
	e2e_out_free(&o);
	all = list_json(f, "erase", 0);
	r = by_id(all, rid);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "failed");
	kt_expect_in(json_string_value(json_object_get(r, "result")), "subpoena");
	{
		char expect[64];

		snprintf(expect, sizeof expect, "hold %lld on doc:%s", hid, f->doc2);
		kt_expect_in(json_string_value(json_object_get(r, "result")), expect);
	}
	json_decref(all);
	show_exits(f, f->doc2, 0);
	json_decref(e2e_doc_of(f->store, "lv_vestule_digital.pdf", "done"));
}

/* A hold on a case holds its documents and the case itself, whether the
 * request names a document or the case; a hold needs a target the catalog
 * knows; a request approved after a case hold fails too. */
static void test_hold_case(void **state)
{
	fixture *f = *state;
	char ids[32];
	long long rid, hid;
	json_t *all;
	e2e_out o;

	rid = erase_request(f, f->doc1);
	hid = hold_add(f, "a1", CASE, "appeal of the decision");
	o = run_as(f, "erase", "a1", NULL, 1, "request", f->doc2, "x");
	kt_expect_in(o.err, "on case:" CASE ": appeal of the decision");
	e2e_out_free(&o);
	o = run_as(f, "erase", "a1", NULL, 1, "request", "case:" CASE, "x");
	kt_expect_in(o.err, "case:" CASE " is under legal hold");
	e2e_out_free(&o);
	snprintf(ids, sizeof ids, "%lld", rid);
	o = run_as(f, "erase", "b1", NULL, 1, "approve", ids, NULL);
	kt_expect_in(o.err, "on case:" CASE);
	e2e_out_free(&o);
	show_exits(f, f->doc1, 0);
	/* a case without a hold can still be requested */
	(void)erase_request(f, "case:" OTHER);

	/* unknown targets: refused, nothing placed */
	o = run_as(f, "hold", "a1", NULL, 1, "add", "PMLP-LV-1999-000000", "x");
	kt_expect_in(o.err, "no document or case 'PMLP-LV-1999-000000'");
	e2e_out_free(&o);
	o = run_as(f, "hold", "a1", NULL, 1, "add", "doc:9999", "x");
	e2e_out_free(&o);
	o = run_as(f, "hold", "a1", NULL, 1, "add", "case:" OTHER "X", "x");
	e2e_out_free(&o);
	all = list_json(f, "hold", 1);
	assert_int_equal(json_array_size(all), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(all, 0), "id")), hid);
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 0), "target")),
			    "case:" CASE);
	json_decref(all);
}

/* Only an admin removes a hold; then the erasure can go on. The removed
 * hold stays, listed with --all. */
static void test_hold_remove(void **state)
{
	fixture *f = *state;
	char ids[32], doc_target[40], expect[100], *log;
	long long hid, rid;
	json_t *all, *h;
	e2e_out o;

	snprintf(doc_target, sizeof doc_target, "doc:%s", f->doc2);
	hid = hold_add(f, "a1", doc_target, "appeal");
	snprintf(ids, sizeof ids, "%lld", hid);
	o = run_as(f, "hold", "a1", NULL, 1, "remove", ids, "appeal decided");
	kt_expect_in(o.err, "only admins may remove a legal hold");
	e2e_out_free(&o);
	o = run_as(f, "hold", "b1", "pw-b2-secret\n", 1, "remove", ids, "appeal decided");
	kt_expect_in(o.err, "wrong user name or password");
	e2e_out_free(&o);
	o = run_as(f, "hold", "b1", NULL, 1, "remove", "999", "no such");
	kt_expect_in(o.err, "no legal hold 999");
	e2e_out_free(&o);
	all = list_json(f, "hold", 0);
	assert_int_equal(json_array_size(all), 1);
	json_decref(all);

	o = run_as(f, "hold", "b1", NULL, 0, "remove", ids, "appeal decided");
	kt_expect_in(o.out, "removed");
	e2e_out_free(&o);
	o = run_as(f, "hold", "b2", NULL, 1, "remove", ids, "again");
	kt_expect_in(o.err, "removed already");
	e2e_out_free(&o);
	all = list_json(f, "hold", 1);
	h = by_id(all, hid);
	assert_string_equal(json_string_value(json_object_get(h, "removed_by")), "b1");
	assert_string_equal(json_string_value(json_object_get(h, "removed_reason")), "appeal decided");
	json_decref(all);

	/* the erasure goes on */
	rid = erase_request(f, f->doc2);
	snprintf(ids, sizeof ids, "%lld", rid);
	o = run_as(f, "erase", "b2", NULL, 0, "approve", ids, NULL);
	kt_expect_in(o.out, "done: erased 1 document");
	e2e_out_free(&o);
	show_exits(f, f->doc2, 1);

	log = audit_text(f);
	snprintf(expect, sizeof expect, "hold-remove hold:%lld", hid);
	kt_expect_in(log, expect);
	snprintf(expect, sizeof expect, "hold:%lld %s", hid, doc_target);
	kt_expect_in(log, expect);
	kt_expect_in(log, "hold-remove");
	free(log);
}

/* `hold list`: active holds by default, every hold with --all; JSON lines
 * with every field; a table; usage errors. */
static void test_hold_list(void **state)
{
	fixture *f = *state;
	const char *keys[] = { "id", "target", "reason", "placed_by", "placed_at", "removed_by",
			       "removed_at", "removed_reason" };
	char ids[32];
	long long h1, h2;
	json_t *all, *h;
	e2e_out o;
	size_t i;

	o = e2e_run(f->store, "hold", "list", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "0 active legal holds");
	e2e_out_free(&o);
	h1 = hold_add(f, "a1", f->doc1, "first");
	h2 = hold_add(f, "b1", "case:" OTHER, "second");
	snprintf(ids, sizeof ids, "%lld", h1);
	o = run_as(f, "hold", "b2", NULL, 0, "remove", ids, "done with");
	e2e_out_free(&o);

	all = list_json(f, "hold", 0);
	assert_int_equal(json_array_size(all), 1);
	h = json_array_get(all, 0);
	assert_int_equal(json_integer_value(json_object_get(h, "id")), h2);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (json_object_get(h, keys[i]) == NULL)
			fail_msg("no \"%s\" in hold list --json", keys[i]);
	assert_string_equal(json_string_value(json_object_get(h, "placed_by")), "b1");
	assert_true(json_is_null(json_object_get(h, "removed_at")));
	json_decref(all);
	all = list_json(f, "hold", 1);
	assert_int_equal(json_array_size(all), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(all, 0), "id")), h1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 0), "removed_by")), "b2");
	json_decref(all);

	o = e2e_run(f->store, "hold", "list", "--all", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "case:" OTHER);
	kt_expect_in(o.out, "removed ");
	kt_expect_in(o.out, "done with");
	kt_expect_in(o.out, "2 legal holds");
	e2e_out_free(&o);

	/* usage errors: exit 2 */
	o = e2e_run(f->store, "hold", "list", "--reason", "x", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(f->store, "hold", "remove", "x", "--reason", "y", "--user", "b1", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(f->store, "hold", "add", f->doc1, "--user", "a1", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(f->store, "hold", "add", f->doc1, "--json", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST_FX(hold_doc, setup, lifecycle_teardown),
	KT_TEST_FX(hold_after_request, setup, lifecycle_teardown),
	KT_TEST_FX(hold_case, setup, lifecycle_teardown),
	KT_TEST_FX(hold_remove, setup, lifecycle_teardown),
	KT_TEST_FX(hold_list, setup, lifecycle_teardown),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_hold", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES", .n_args = 2, .init = lifecycle_init,
	};

	return kt_test_main(&prog, argc, argv);
}
