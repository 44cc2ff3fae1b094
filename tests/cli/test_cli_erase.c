/*
 * test_cli_erase.c - `kartoteka erase` (issue 21, "Erasure, four eyes"):
 * requests by archivists and admins, approval only by an admin who did not
 * ask, refusals for a wrong password, a disabled user, a role not allowed,
 * a request not in state requested, an unknown document or case; `erase
 * list` in both forms; an approved request carried out (state done, the
 * document erased); a case request leaves documents also linked to another
 * case in place, and is not carried out when the case changed since;
 * requests survive `rebuild`; every action audited.
 *
 * Each case makes its own store (lifecycle_fixture.h).
 * Run as `test_cli_erase KARTOTEKA SAMPLES`.
 */
#include "lifecycle_fixture.h"
#include "kt_status.h"
#include "kt_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `erase SUB ARG --user USER [--reason REASON]` with password line pw
 * (NULL: the user's own); the exit status must be want. */
static e2e_out erase_as(fixture *f, const char *user, const char *pw, int want, const char *sub,
			const char *arg, const char *reason)
{
	return run_as(f, "erase", user, pw, want, sub, arg, reason);
}

/* A request's id from the output of `erase request`. */
static long long request_id(const e2e_out *o)
{
	long long id = 0;

	if (sscanf(o->out, "erase request %lld recorded", &id) != 1)
		fail_msg("no request id in: %s", o->out);
	return id;
}

/* `erase list --json` as an array (new reference). */
static json_t *requests(fixture *f)
{
	e2e_out o = e2e_run(f->store, "erase", "list", "--json", NULL);
	json_t *v;

	if (o.status != 0)
		fail_msg("erase list --json: exit %d: %s", o.status, o.err);
	v = e2e_json_lines(o.out);
	assert_non_null(v);
	e2e_out_free(&o);
	return v;
}

/* The state of request id as `erase list --json` shows it (borrowed from
 * a static copy). */
static const char *state_of(fixture *f, long long id)
{
	static char state[32];
	json_t *all = requests(f), *r;
	size_t i;

	state[0] = '\0';
	json_array_foreach(all, i, r)
		if (json_integer_value(json_object_get(r, "id")) == id)
			snprintf(state, sizeof state, "%s", json_string_value(json_object_get(r, "state")));
	json_decref(all);
	return state;
}

static int setup(void **state)
{
	return lifecycle_setup(state, "cli-erase");
}

/* Who may ask and who may approve: an archivist requests, but cannot
 * approve; an operator cannot request; a wrong password and a disabled
 * user are refused; `erase list` shows the request in both forms. */
static void test_roles(void **state)
{
	fixture *f = *state;
	e2e_out o;
	json_t *all, *r;
	long long id;
	char ids[32];

	o = erase_as(f, "a1", NULL, 0, "request", f->doc2, "the person asked (art. 17)");
	id = request_id(&o);
	kt_expect_in(o.out, "it would erase 1 document");
	kt_expect_in(o.out, "lv_vestule_digital.pdf");
	e2e_out_free(&o);
	snprintf(ids, sizeof ids, "%lld", id);

	/* an archivist may not approve, not even another's request */
	o = erase_as(f, "a1", NULL, 1, "approve", ids, NULL);
	kt_expect_in(o.err, "only admins may approve");
	e2e_out_free(&o);
	/* an operator may not request */
	o = erase_as(f, "o1", NULL, 1, "request", f->doc1, "no reason");
	kt_expect_in(o.err, "only archivists and admins may request");
	e2e_out_free(&o);
	/* a wrong password, an unknown user, no password at all */
	o = erase_as(f, "b2", "pw-b1-secret\n", 1, "approve", ids, NULL);
	kt_expect_in(o.err, "wrong user name or password");
	e2e_out_free(&o);
	o = erase_as(f, "nobody", "whatever-it-is\n", 1, "request", f->doc1, "x");
	kt_expect_in(o.err, "wrong user name or password");
	e2e_out_free(&o);
	o = erase_as(f, "b2", "", 1, "approve", ids, NULL);
	kt_expect_in(o.err, "no password");
	e2e_out_free(&o);
	/* a disabled admin */
	o = e2e_run(f->store, "user", "disable", "b2", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	o = erase_as(f, "b2", NULL, 1, "approve", ids, NULL);
	kt_expect_in(o.err, "wrong user name or password");
	e2e_out_free(&o);
	/* no web session was left behind by the checks */
	{
		char db_path[700];
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;

		snprintf(db_path, sizeof db_path, "%s/access.sqlite", f->store);
		assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sessions", -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}

	/* the list: one JSON object per request, and a table */
	all = requests(f);
	assert_int_equal(json_array_size(all), 1);
	r = json_array_get(all, 0);
	assert_int_equal(json_integer_value(json_object_get(r, "id")), id);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "requested");
	assert_string_equal(json_string_value(json_object_get(r, "requested_by")), "a1");
	assert_string_equal(json_string_value(json_object_get(r, "reason")), "the person asked (art. 17)");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(r, "docs"), 0)),
			 atoll(f->doc2));
	assert_true(json_is_null(json_object_get(r, "decided_by")));
	json_decref(all);
	o = e2e_run(f->store, "erase", "list", NULL);
	assert_int_equal(o.status, 0);
	kt_expect_in(o.out, "requested");
	kt_expect_in(o.out, "1 erase request\n");
	e2e_out_free(&o);
	/* usage errors: exit 2 */
	o = e2e_run(f->store, "erase", "request", f->doc2, "--user", "a1", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(f->store, "erase", "approve", "x", "--user", "b1", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(f->store, "erase", "list", "--reason", "x", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
}

/* The four-eyes rule: an admin cannot approve their own request, which
 * stays requested; refused, it cannot be approved any more. */
static void test_own_request(void **state)
{
	fixture *f = *state;
	e2e_out o;
	long long id;
	char ids[32];

	o = erase_as(f, "b1", NULL, 0, "request", f->doc2, "retention period over");
	id = request_id(&o);
	e2e_out_free(&o);
	snprintf(ids, sizeof ids, "%lld", id);
	o = erase_as(f, "b1", NULL, 1, "approve", ids, NULL);
	kt_expect_in(o.err, "own request");
	e2e_out_free(&o);
	assert_string_equal(state_of(f, id), "requested");
	json_decref(e2e_doc_of(f->store, "lv_vestule_digital.pdf", "done"));

	/* refused by the other admin: no approval after that */
	o = erase_as(f, "b2", NULL, 0, "refuse", ids, NULL);
	kt_expect_in(o.out, "refused");
	e2e_out_free(&o);
	assert_string_equal(state_of(f, id), "refused");
	o = erase_as(f, "b2", NULL, 1, "approve", ids, NULL);
	kt_expect_in(o.err, "is refused already");
	e2e_out_free(&o);
	/* no such request */
	o = erase_as(f, "b2", NULL, 1, "approve", "999", NULL);
	kt_expect_in(o.err, "no erase request 999");
	e2e_out_free(&o);
	/* the audit log has each step */
	o = e2e_run(f->store, "audit", NULL);
	kt_expect_in(o.out, "erase-request");
	kt_expect_in(o.out, "erase-refuse");
	kt_expect_in(o.out, "denied");
	e2e_out_free(&o);
}

/* Requests that name nothing the catalog knows are refused and recorded
 * nowhere. */
static void test_unknown_target(void **state)
{
	fixture *f = *state;
	json_t *all;
	e2e_out o;

	o = erase_as(f, "a1", NULL, 1, "request", "PMLP-LV-1999-000000", "no such case");
	kt_expect_in(o.err, "no document or case 'PMLP-LV-1999-000000'");
	e2e_out_free(&o);
	o = erase_as(f, "a1", NULL, 1, "request", "9999", "no such document");
	e2e_out_free(&o);
	o = erase_as(f, "a1", NULL, 1, "request", "case:" OTHER "X", "no such case");
	e2e_out_free(&o);
	all = requests(f);
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);
}

/* A case request: the document linked to the case alone is to be erased,
 * the one linked to another case too is listed as kept. */
static void test_case_kept(void **state)
{
	fixture *f = *state;
	json_t *all, *r, *d;
	e2e_out o;
	long long id;
	char ids[32];

	o = e2e_run(f->store, "review", "link", f->doc1, OTHER, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	o = erase_as(f, "a1", NULL, 0, "request", CASE, "the case's retention period is over");
	id = request_id(&o);
	kt_expect_in(o.out, "case:" CASE);
	kt_expect_in(o.out, "it would erase 1 document and the case record");
	kt_expect_in(o.out, "left in place, linked to another case too: 1 document");
	kt_expect_in(o.out, "vestule_copy.pdf");
	e2e_out_free(&o);
	all = requests(f);
	r = json_array_get(all, 0);
	assert_int_equal(json_integer_value(json_object_get(r, "id")), id);
	assert_string_equal(json_string_value(json_object_get(r, "target")), "case:" CASE);
	assert_int_equal(json_array_size(json_object_get(r, "docs")), 1);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(r, "docs"), 0)), atoll(f->doc2));
	assert_int_equal(json_array_size(json_object_get(r, "kept")), 1);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(r, "kept"), 0)), atoll(f->doc1));
	json_decref(all);

	/* carried out: the letter of the case alone and the case record go,
	 * the kept one stays, linked to the other case only */
	snprintf(ids, sizeof ids, "%lld", id);
	o = erase_as(f, "b1", NULL, 0, "approve", ids, NULL);
	kt_expect_in(o.out, "erased the case record of " CASE);
	kt_expect_in(o.out, "done: erased 1 document and the case record");
	e2e_out_free(&o);
	d = e2e_doc_of(f->store, "vestule_copy.pdf", "done");
	assert_int_equal(json_array_size(json_object_get(d, "links")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(d, "links"), 0),
							      "case_number")), OTHER);
	json_decref(d);
	o = e2e_run(f->store, "case", CASE, NULL);
	assert_int_equal(o.status, 1);
	e2e_out_free(&o);
	o = e2e_run(f->store, "case", OTHER, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
}

/* A case that changed between request and approval (a kept document is
 * now linked to it alone) is not carried out: state failed, nothing
 * erased. */
static void test_case_changed(void **state)
{
	fixture *f = *state;
	e2e_out o;
	long long id;
	char ids[32];

	o = e2e_run(f->store, "review", "link", f->doc1, OTHER, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	o = erase_as(f, "a1", NULL, 0, "request", "case:" CASE, "retention over");
	id = request_id(&o);
	e2e_out_free(&o);
	o = e2e_run(f->store, "review", "reject", f->doc1, OTHER, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(ids, sizeof ids, "%lld", id);
	o = erase_as(f, "b2", NULL, 1, "approve", ids, NULL);
	kt_expect_in(o.err, "the case has changed since the request");
	e2e_out_free(&o);
	assert_string_equal(state_of(f, id), "failed");
	json_decref(e2e_doc_of(f->store, "vestule_copy.pdf", "done"));
	json_decref(e2e_doc_of(f->store, "lv_vestule_digital.pdf", "done"));
	o = e2e_run(f->store, "case", CASE, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
}

/* Requests live in the access database: a rebuild of the catalog keeps
 * them. */
static void test_survive_rebuild(void **state)
{
	fixture *f = *state;
	e2e_out o;
	long long id;

	o = erase_as(f, "a1", NULL, 0, "request", f->doc1, "kept across a rebuild");
	id = request_id(&o);
	e2e_out_free(&o);
	o = e2e_run(f->store, "rebuild", "--force", NULL);
	if (o.status != 0)
		fail_msg("rebuild: exit %d: %s", o.status, o.err);
	e2e_out_free(&o);
	assert_string_equal(state_of(f, id), "requested");
}

/* Approved by the other admin, the request is carried out: state done,
 * the document erased, each step in the audit log. */
static void test_approve_done(void **state)
{
	fixture *f = *state;
	json_t *all, *r, *docs, *d;
	e2e_out o;
	long long id;
	char ids[32], object[64];
	size_t i;
	int erased = 0;

	o = erase_as(f, "b1", NULL, 0, "request", f->doc2, "the person asked (art. 17)");
	id = request_id(&o);
	e2e_out_free(&o);
	snprintf(ids, sizeof ids, "%lld", id);
	o = erase_as(f, "b2", NULL, 0, "approve", ids, NULL);
	kt_expect_in(o.out, "done: erased 1 document");
	e2e_out_free(&o);
	all = requests(f);
	r = json_array_get(all, 0);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "done");
	assert_string_equal(json_string_value(json_object_get(r, "decided_by")), "b2");
	assert_string_equal(json_string_value(json_object_get(r, "result")), "erased 1 document");
	json_decref(all);
	/* done is done: not approved again */
	o = erase_as(f, "b2", NULL, 1, "approve", ids, NULL);
	e2e_out_free(&o);
	/* the document is erased, the other is not */
	docs = e2e_docs_json(f->store);
	json_array_foreach(docs, i, d) {
		const char *status = json_string_value(json_object_get(d, "status"));

		if (json_integer_value(json_object_get(d, "id")) == atoll(f->doc2)) {
			assert_string_equal(status, "erased");
			erased = 1;
		} else {
			assert_string_equal(status, "done");
		}
	}
	json_decref(docs);
	assert_true(erased);
	o = e2e_run(f->store, "audit", NULL);
	snprintf(object, sizeof object, "request:%lld doc:%s", id, f->doc2);
	kt_expect_in(o.out, "erase-approve");
	kt_expect_in(o.out, object);
	e2e_out_free(&o);
}

static const kt_test_case cases[] = {
	KT_TEST_FX(roles, setup, lifecycle_teardown),
	KT_TEST_FX(own_request, setup, lifecycle_teardown),
	KT_TEST_FX(unknown_target, setup, lifecycle_teardown),
	KT_TEST_FX(case_kept, setup, lifecycle_teardown),
	KT_TEST_FX(case_changed, setup, lifecycle_teardown),
	KT_TEST_FX(survive_rebuild, setup, lifecycle_teardown),
	KT_TEST_FX(approve_done, setup, lifecycle_teardown),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_cli_erase", .cases = cases, .n_cases = KT_N_CASES(cases),
		.args = "KARTOTEKA SAMPLES", .n_args = 2, .init = lifecycle_init,
	};

	return kt_test_main(&prog, argc, argv);
}
