/*
 * web_lifecycle.c - the groups of test_web on the admin pages of the data
 * lifecycle (issue 21, docs/web.md): four-eyes erasure requests (/erase)
 * and legal holds (/holds), over HTTP against the running server, each
 * group on its own copy of the fixture store:
 *   erase_requests  an archivist files a request; they cannot approve it
 *                   (403, audited), nor can an admin approve their own
 *                   (403, audited as own request); an officer and an
 *                   operator cannot see the requests; a POST without the
 *                   CSRF token or with another session's is refused; another
 *                   admin approves, and then the document is gone from the
 *                   same server's search, document and case pages, the
 *                   request done with the steps audited
 *   holds           holds placed and removed from the web (archivist
 *                   places, only an admin removes), a request on a held
 *                   document refused naming the hold, an approval after a
 *                   hold failing 409 naming it with nothing erased
 */
#include "web_test.h"

#include "kt_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A word the text of one sample alone holds (lv_vestule_digital.pdf;
 * tests/e2e/test_erase.c erases the same one). */
#define WORD "noliktavas"

/* A second admin: the four-eyes rule needs two. */
static char s_admin2[100];

static void second_admin(void)
{
	add_user("root2", "admin", "admin-pw-2");
	assert_int_equal(login_as("root2", "admin-pw-2", NULL, s_admin2, sizeof s_admin2), 303);
}

/* POST a form to path with the session's own CSRF token before the rest of
 * the body; the response. */
static resp post_form(const char *session, const char *path, const char *rest)
{
	char tok[100], body[1200];

	csrf_of(session, tok, sizeof tok);
	snprintf(body, sizeof body, "csrf=%s%s%s", tok, rest[0] ? "&" : "", rest);
	return post(session, path, body);
}

/* The same, answered with want_status and JSON: the JSON (new reference). */
static json_t *post_json(const char *session, const char *path, const char *rest, int want_status)
{
	resp r = post_form(session, path, rest);
	json_t *v;

	if (r.status != want_status)
		fail_msg("POST %s: %d, not %d: %s", path, r.status, want_status, r.body);
	v = json_loads(r.body, 0, NULL);
	assert_non_null(v);
	resp_free(&r);
	return v;
}

static int post_form_status(const char *session, const char *path, const char *rest)
{
	resp r = post_form(session, path, rest);
	int s = r.status;

	resp_free(&r);
	return s;
}

/* The id of the document that holds WORD (searched as the archivist). */
static long long word_doc(void)
{
	json_t *hits = get_json(s_arch, "/api/search?q=" WORD, 200);
	long long id;

	assert_true(json_integer_value(json_object_get(hits, "total")) > 0);
	id = json_integer_value(json_object_get(json_array_get(json_object_get(hits, "hits"), 0), "id"));
	assert_true(id > 0);
	json_decref(hits);
	return id;
}

/* Request id as /api/erase lists it (new reference); fails when absent. */
static json_t *request_of(const char *session, long long id)
{
	json_t *all = get_json(session, "/api/erase", 200), *q, *found = NULL;
	size_t i;

	json_array_foreach(all, i, q)
		if (json_integer_value(json_object_get(q, "id")) == id)
			found = json_incref(q);
	json_decref(all);
	assert_non_null(found);
	return found;
}

static const char *state_of(json_t *q)
{
	return json_string_value(json_object_get(q, "state"));
}

/* File a request as session for target; its id. */
static long long file_request(const char *session, const char *target)
{
	char rest[300];
	json_t *q;
	long long id;

	snprintf(rest, sizeof rest, "target=%s&reason=retention+period+over", target);
	q = post_json(session, "/api/erase", rest, 200);
	assert_string_equal(state_of(q), "requested");
	id = json_integer_value(json_object_get(q, "id"));
	assert_true(id > 0);
	json_decref(q);
	return id;
}

/* ------------------------------------------------------------- erasure */

/* Who may see and decide requests, and the CSRF token of every POST. */
static void erase_refusals(long long req, long long own, const char *target)
{
	char path[100], obj[100], tok[100], body[300];
	json_t *q;
	resp r;

	/* officers and operators see no requests (audited) */
	assert_int_equal(status_of(s_off, "/erase"), 403);
	assert_int_equal(status_of(s_off, "/api/erase"), 403);
	assert_int_equal(status_of(s_op, "/erase"), 403);
	assert_true(audited("officer1", "denied", "erase-requests") >= 2);
	assert_int_equal(post_form_status(s_off, "/api/erase", "target=doc:1&reason=x"), 403);
	/* the archivist who asked cannot approve: only admins decide */
	snprintf(path, sizeof path, "/api/erase/%lld/approve", req);
	assert_int_equal(post_form_status(s_arch, path, ""), 403);
	snprintf(obj, sizeof obj, "erase-approve request:%lld", req);
	assert_int_equal(audited("arch", "denied", obj), 1);
	/* an admin cannot approve their own request (four-eyes), audited */
	snprintf(path, sizeof path, "/api/erase/%lld/approve", own);
	r = post_form(s_admin, path, "");
	assert_int_equal(r.status, 403);
	kt_expect_in(r.body, "cannot approve their own request");
	resp_free(&r);
	snprintf(obj, sizeof obj, "request:%lld own request", own);
	assert_int_equal(audited("root", "denied", obj), 1);
	q = request_of(s_admin, own);
	assert_string_equal(state_of(q), "requested");
	json_decref(q);
	/* no CSRF token, another session's, one changed in one character */
	snprintf(path, sizeof path, "/erase/%lld/approve", req);
	assert_int_equal(post_status(s_admin2, path, ""), 403);
	csrf_of(s_admin, tok, sizeof tok);
	snprintf(body, sizeof body, "csrf=%s", tok);
	assert_int_equal(post_status(s_admin2, path, body), 403);
	csrf_of(s_admin2, tok, sizeof tok);
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	snprintf(body, sizeof body, "csrf=%s", tok);
	assert_int_equal(post_status(s_admin2, path, body), 403);
	assert_int_equal(post_status(s_arch, "/erase", "target=doc:1&reason=x"), 403);
	q = request_of(s_admin, req);
	assert_string_equal(state_of(q), "requested");
	assert_string_equal(json_string_value(json_object_get(q, "target")), target);
	json_decref(q);
	/* the other admin refuses the own request of the first */
	snprintf(path, sizeof path, "/erase/%lld/refuse", own);
	r = post_form(s_admin2, path, "");
	assert_int_equal(r.status, 303);
	resp_free(&r);
	q = request_of(s_admin, own);
	assert_string_equal(state_of(q), "refused");
	assert_string_equal(json_string_value(json_object_get(q, "decided_by")), "root2");
	json_decref(q);
	snprintf(path, sizeof path, "/api/erase/%lld/approve", own);
	assert_int_equal(post_form_status(s_admin2, path, ""), 409);
}

/* The page: the request, with its buttons for an admin who did not ask. */
static void erase_page(long long req, long long own)
{
	char form[100], row[100];
	resp r;

	snprintf(form, sizeof form, "action=\"/erase/%lld/approve\"", req);
	r = get(s_admin2, "/erase");
	assert_int_equal(r.status, 200);
	kt_expect_in(r.body, form);
	kt_expect_in(r.body, "<a href=\"/erase\">Erasure</a>");
	kt_expect_in(r.body, "<a href=\"/holds\">Holds</a>");
	kt_expect_in(r.body, "retention period over");
	resp_free(&r);
	snprintf(form, sizeof form, "action=\"/erase/%lld/approve\"", own);
	r = get(s_admin, "/erase");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, form));
	kt_expect_in(r.body, "awaiting another admin");
	resp_free(&r);
	r = get(s_arch, "/erase");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "/approve\""));
	kt_expect_in(r.body, "awaiting an admin");
	kt_expect_in(r.body, "action=\"/erase\"");
	snprintf(row, sizeof row, "<tr><td>%lld</td><td>requested</td>", req);
	kt_expect_in(r.body, row);
	resp_free(&r);
	assert_true(audited("arch", "erase-requests", "") >= 1);
	/* officers and operators get no link */
	r = get(s_off, "/cases");
	assert_null(strstr(r.body, "href=\"/erase\""));
	resp_free(&r);
}

/* The case pages of cases (as the document named them) list doc no more. */
static void gone_from_cases(json_t *cases, long long doc)
{
	json_t *c, *d;
	size_t i, k;
	char path[300];

	json_array_foreach(cases, i, c) {
		resp r;
		json_t *page;

		snprintf(path, sizeof path, "/api/case/%s", json_string_value(c));
		r = get(s_arch, path);
		if (r.status == 404) {   /* the case had no record and no other document */
			resp_free(&r);
			continue;
		}
		assert_int_equal(r.status, 200);
		page = json_loads(r.body, 0, NULL);
		assert_non_null(page);
		json_array_foreach(json_object_get(page, "documents"), k, d)
			assert_true(json_integer_value(json_object_get(d, "id")) != doc);
		json_decref(page);
		resp_free(&r);
	}
}

/* Erased on the command line while the server runs: at its next request
 * (one that reads no index) the server holds no removed file open, and the
 * document is gone. */
static void erased_by_cli(long long doc)
{
	const char *req[] = { "erase", "request", NULL, "--reason", "gone", "--user", "arch", NULL };
	const char *approve[] = { "erase", "approve", NULL, "--user", "root2", NULL };
	char target[64], path[64], id[32];
	json_t *all, *me;

	snprintf(target, sizeof target, "doc:%lld", doc);
	req[2] = target;
	assert_int_equal(run_stdin("archivist-pw\n", req), 0);
	all = get_json(s_admin, "/api/erase", 200);
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(
		 json_array_get(all, json_array_size(all) - 1), "id")));
	json_decref(all);
	approve[2] = id;
	assert_int_equal(run_stdin("admin-pw-2\n", approve), 0);
	me = get_json(s_arch, "/api/me", 200);
	json_decref(me);
	assert_int_equal(server_deleted_files(), 0);
	snprintf(path, sizeof path, "/api/doc/%lld", doc);
	assert_int_equal(status_of(s_arch, path), 404);
}

void test_erase_requests(void **state)
{
	char target[64], other[100], path[100], obj[100], *loc;
	long long doc = word_doc(), req, own;
	json_t *before, *out, *q, *hits, *log, *v;
	size_t i;
	int erased = 0;
	resp r;

	(void)state;
	second_admin();
	snprintf(path, sizeof path, "/api/doc/%lld", doc);
	before = get_json(s_arch, path, 200);
	snprintf(target, sizeof target, "doc:%lld", doc);
	snprintf(other, sizeof other, "target=doc:%lld&reason=retention+period+over",
		 doc == 1 ? 2LL : 1LL);
	req = file_request(s_arch, target);
	/* a request from the page: 303 back to the list */
	r = post_form(s_admin, "/erase", other);
	assert_int_equal(r.status, 303);
	loc = header(&r, "Location", NULL);
	assert_string_equal(loc, "/erase");
	free(loc);
	resp_free(&r);
	q = get_json(s_admin, "/api/erase", 200);
	own = json_integer_value(json_object_get(json_array_get(q, 1), "id"));
	json_decref(q);
	snprintf(other, sizeof other, "doc:%lld", doc == 1 ? 2LL : 1LL);
	snprintf(obj, sizeof obj, "request:%lld %s", req, target);
	assert_int_equal(audited("arch", "erase-request", obj), 1);
	assert_int_equal(post_form_status(s_arch, "/api/erase", "target=doc:999999&reason=x"), 404);
	assert_int_equal(post_form_status(s_arch, "/api/erase", "target=doc:1"), 400);
	erase_page(req, own);
	erase_refusals(req, own, target);

	/* another admin approves: carried out in this server */
	snprintf(path, sizeof path, "/api/erase/%lld/approve", req);
	out = post_json(s_admin2, path, "", 200);
	q = json_object_get(out, "request");
	assert_string_equal(state_of(q), "done");
	assert_string_equal(json_string_value(json_object_get(q, "decided_by")), "root2");
	assert_string_equal(json_string_value(json_object_get(q, "result")), "erased 1 document");
	log = json_object_get(out, "log");
	json_array_foreach(log, i, v)
		erased |= strstr(json_string_value(json_object_get(v, "msg")), "erased document") != NULL;
	assert_true(erased);
	json_decref(out);
	snprintf(obj, sizeof obj, "request:%lld", req);
	assert_int_equal(audited("root2", "erase-approve", obj), 1);
	snprintf(obj, sizeof obj, "request:%lld %s", req, target);
	assert_int_equal(audited("root2", "erase", obj), 1);

	/* the server's handles on the index were opened again: none reads the
	 * removed files that held the erased pages */
	assert_int_equal(server_deleted_files(), 0);
	/* gone from the same running server: search, document, case pages */
	hits = get_json(s_arch, "/api/search?q=" WORD, 200);
	assert_int_equal(json_integer_value(json_object_get(hits, "total")), 0);
	assert_int_equal(json_array_size(json_object_get(hits, "hits")), 0);
	json_decref(hits);
	snprintf(path, sizeof path, "/api/doc/%lld", doc);
	assert_int_equal(status_of(s_arch, path), 404);
	snprintf(path, sizeof path, "/doc/%lld", doc);
	assert_int_equal(status_of(s_arch, path), 404);
	gone_from_cases(json_object_get(before, "cases"), doc);
	json_decref(before);
	q = request_of(s_arch, req);
	assert_string_equal(state_of(q), "done");
	json_decref(q);
	/* decided once */
	snprintf(path, sizeof path, "/api/erase/%lld/approve", req);
	assert_int_equal(post_form_status(s_admin, path, ""), 409);
	snprintf(path, sizeof path, "/api/erase/999999/approve");
	assert_int_equal(post_form_status(s_admin, path, ""), 404);
	erased_by_cli(doc == 1 ? 2 : 1);
}

/* --------------------------------------------------------------- holds */

/* The hold of id as /api/holds lists it (new reference). */
static json_t *hold_of(long long id)
{
	json_t *all = get_json(s_admin, "/api/holds", 200), *h, *found = NULL;
	size_t i;

	json_array_foreach(all, i, h)
		if (json_integer_value(json_object_get(h, "id")) == id)
			found = json_incref(h);
	json_decref(all);
	assert_non_null(found);
	return found;
}

/* Place a hold on target as session; its id. */
static long long place_hold(const char *session, const char *target, const char *reason)
{
	char rest[300];
	json_t *h;
	long long id;

	snprintf(rest, sizeof rest, "target=%s&reason=%s", target, reason);
	h = post_json(session, "/api/holds", rest, 200);
	assert_string_equal(json_string_value(json_object_get(h, "target")), target);
	assert_true(json_is_null(json_object_get(h, "removed_at")));
	id = json_integer_value(json_object_get(h, "id"));
	json_decref(h);
	return id;
}

void test_holds(void **state)
{
	char x[64], y[64], path[100], obj[120], want[200], rest[300];
	long long dx = word_doc(), dy = dx == 1 ? 2 : 1, h1, h2, req;
	json_t *h, *q;
	resp r;
	e2e_out o;

	(void)state;
	second_admin();
	snprintf(x, sizeof x, "doc:%lld", dx);
	snprintf(y, sizeof y, "doc:%lld", dy);
	/* who may see and place holds, and the CSRF token */
	assert_int_equal(status_of(s_off, "/holds"), 403);
	assert_int_equal(status_of(s_op, "/api/holds"), 403);
	assert_int_equal(post_form_status(s_off, "/api/holds", "target=doc:1&reason=x"), 403);
	assert_int_equal(post_status(s_arch, "/holds", "target=doc:1&reason=x"), 403);
	assert_int_equal(post_form_status(s_arch, "/api/holds", "target=doc:999999&reason=x"), 404);
	assert_int_equal(post_form_status(s_arch, "/api/holds", "target=doc:1"), 400);
	h = get_json(s_arch, "/api/holds", 200);
	assert_int_equal(json_array_size(h), 0);
	json_decref(h);

	/* an archivist places a hold: a request on it is refused, naming it */
	h1 = place_hold(s_arch, x, "subpoena");
	snprintf(obj, sizeof obj, "hold:%lld %s", h1, x);
	assert_int_equal(audited("arch", "hold", obj), 1);
	snprintf(rest, sizeof rest, "target=%s&reason=retention", x);
	r = post_form(s_arch, "/api/erase", rest);
	assert_int_equal(r.status, 409);
	snprintf(want, sizeof want, "%s is under legal hold (hold %lld on %s: subpoena)", x, h1, x);
	kt_expect_in(r.body, want);
	resp_free(&r);
	snprintf(obj, sizeof obj, "erase-request %s held by hold:%lld", x, h1);
	assert_int_equal(audited("arch", "denied", obj), 1);

	/* a hold placed after the request (from the page): the approval fails
	 * 409 naming it, nothing erased */
	req = file_request(s_arch, y);
	snprintf(rest, sizeof rest, "target=%s&reason=appeal+pending", y);
	r = post_form(s_admin, "/holds", rest);
	assert_int_equal(r.status, 303);
	resp_free(&r);
	h = get_json(s_admin, "/api/holds", 200);
	h2 = json_integer_value(json_object_get(json_array_get(h, 1), "id"));
	json_decref(h);
	snprintf(path, sizeof path, "/api/erase/%lld/approve", req);
	r = post_form(s_admin2, path, "");
	assert_int_equal(r.status, 409);
	snprintf(want, sizeof want, "under legal hold, nothing erased: hold %lld on %s: appeal pending",
		 h2, y);
	kt_expect_in(r.body, want);
	resp_free(&r);
	q = request_of(s_admin, req);
	assert_string_equal(state_of(q), "failed");
	kt_expect_in(json_string_value(json_object_get(q, "result")), want);
	json_decref(q);
	snprintf(path, sizeof path, "/api/doc/%lld", dy);
	assert_int_equal(status_of(s_arch, path), 200);

	/* the page: an admin's removal form, none for the archivist */
	r = get(s_admin, "/holds");
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof want, "action=\"/holds/%lld/remove\"", h1);
	kt_expect_in(r.body, want);
	kt_expect_in(r.body, "subpoena");
	resp_free(&r);
	r = get(s_arch, "/holds");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "/remove\""));
	resp_free(&r);

	/* only an admin removes a hold, with a reason and the CSRF token */
	snprintf(path, sizeof path, "/api/holds/%lld/remove", h1);
	assert_int_equal(post_form_status(s_arch, path, "reason=x"), 403);
	snprintf(obj, sizeof obj, "hold-remove hold:%lld", h1);
	assert_int_equal(audited("arch", "denied", obj), 1);
	assert_int_equal(post_status(s_admin, path, "reason=x"), 403);
	assert_int_equal(post_form_status(s_admin, path, ""), 400);
	h = post_json(s_admin, path, "reason=appeal+decided", 200);
	assert_string_equal(json_string_value(json_object_get(h, "removed_by")), "root");
	assert_string_equal(json_string_value(json_object_get(h, "removed_reason")), "appeal decided");
	json_decref(h);
	snprintf(obj, sizeof obj, "hold:%lld %s", h1, x);
	assert_int_equal(audited("root", "hold-remove", obj), 1);
	assert_int_equal(post_form_status(s_admin, path, "reason=again"), 409);
	h = hold_of(h1);
	assert_false(json_is_null(json_object_get(h, "removed_at")));
	json_decref(h);
	o = e2e_run(store, "hold", "list", "--json", NULL);
	assert_int_equal(o.status, 0);
	snprintf(want, sizeof want, "\"target\":\"%s\"", y);
	kt_expect_in(o.out, want);
	snprintf(want, sizeof want, "\"target\":\"%s\"", x);
	assert_null(strstr(o.out, want));
	e2e_out_free(&o);
	/* removed: the request is taken */
	file_request(s_arch, x);
}
