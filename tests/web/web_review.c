/*
 * web_review.c - the groups of test_web on the case pages: a case's
 * documents with their links as the catalog keeps them (rule, confidence,
 * evidence, who decided), the case dossier as a download (PDF and ZIP, made
 * by the same function as `kartoteka dossier`), and the review queue with
 * its decisions. Each route: unauthenticated refused, each role sees what it
 * may, an officer cannot reach another case by changing the number, CSRF on
 * every POST, audit rows of every read and decision, hostile text escaped.
 */
#include "web_test.h"

#include "kt_status.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define OTHER_CASE "MD-LT-2022-001288"
#define DOSSIER "/case/" OFFICER_CASE "/dossier.pdf"

/* One text value of a query on the store's catalog (malloc'd), or NULL
 * when no row. */
static char *catalog_text(const char *query)
{
	char path[600], *out = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;

	snprintf(path, sizeof path, "%s/catalog.sqlite", store);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

/* Run a shell command; its exit status. */
static int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The page count of a PDF file by qpdf, or -1 when qpdf is missing. */
static int npages(const char *pdf)
{
	char cmd[900], buf[32] = "";
	FILE *p;

	if (sh("command -v qpdf >/dev/null") != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "qpdf --show-npages '%s'", pdf);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(buf, sizeof buf, p) == NULL)
		buf[0] = '\0';
	pclose(p);
	return atoi(buf);
}

/* Write len bytes to path. */
static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------ case page */

/* The case view shows each document's link as the catalog keeps it, in the
 * order of `kartoteka case`; the dossier is a download of the same PDF as
 * `kartoteka dossier` writes, role-checked and audited. */
void test_case_pages(void **state)
{
	json_t *in, *out, *api, *docs, *d, *ev;
	char stmt[600], path[700], obj[200], *cd, *ct;
	long long mine;
	e2e_out o;
	size_t i;
	resp r;
	int found = 0;

	(void)state;
	docs_by_case(OFFICER_CASE, &in, &out);
	mine = (long long)json_integer_value(json_array_get(in, 0));
	json_decref(in);
	json_decref(out);
	/* hostile evidence, a rule and confidence, and a person's decision */
	snprintf(stmt, sizeof stmt, "UPDATE links SET evidence = 'case number " OFFICER_CASE "; "
		 HOSTILE "', rule = 'case_number', confidence = 0.97 WHERE doc_id = %lld AND"
		 " case_number = '" OFFICER_CASE "';"
		 "INSERT OR REPLACE INTO link_decisions(doc_id, case_number, decision, user, at)"
		 " VALUES (%lld, '" OFFICER_CASE "', 'accept', 'anna <i>x</i>', '2026-01-02T03:04:05Z');",
		 mine, mine);
	store_sql("catalog.sqlite", stmt);

	/* the API: the stored link, in the order of `kartoteka case --json` */
	api = get_json(s_arch, "/api/case/" OFFICER_CASE, 200);
	docs = json_object_get(api, "documents");
	o = e2e_run(store, "case", "--json", OFFICER_CASE, NULL);
	assert_int_equal(o.status, 0);
	out = e2e_json_lines(o.out);
	e2e_out_free(&o);
	assert_int_equal(json_array_size(docs), json_array_size(out));
	json_array_foreach(docs, i, d) {
		assert_int_equal(json_integer_value(json_object_get(d, "id")),
				 json_integer_value(json_object_get(json_array_get(out, i), "id")));
		assert_true(json_is_array(json_object_get(d, "link_evidence")));
		assert_non_null(json_string_value(json_object_get(d, "link_rule")));
		assert_true(json_is_number(json_object_get(d, "link_confidence")));
		if (json_integer_value(json_object_get(d, "id")) != mine)
			continue;
		found = 1;
		ev = json_object_get(d, "link_evidence");
		assert_int_equal(json_array_size(ev), 2);
		assert_string_equal(json_string_value(json_array_get(ev, 0)), "case number " OFFICER_CASE);
		assert_string_equal(json_string_value(json_array_get(ev, 1)), HOSTILE);
		assert_string_equal(json_string_value(json_object_get(d, "link_rule")), "case_number");
		assert_true(json_number_value(json_object_get(d, "link_confidence")) > 0.969 &&
			    json_number_value(json_object_get(d, "link_confidence")) < 0.971);
		assert_string_equal(json_string_value(json_object_get(d, "link_state")), "accepted");
		assert_string_equal(json_string_value(json_object_get(d, "link_decided_by")), "anna <i>x</i>");
	}
	assert_true(found);
	json_decref(out);
	json_decref(api);

	/* the page: escaped, with the rule, confidence, decider and the dossier links */
	r = get(s_arch, "/case/" OFFICER_CASE);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, HOSTILE));
	assert_null(strstr(r.body, "<i>x"));
	kt_expect_in(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;<br>");
	kt_expect_in(r.body, "case_number, confidence 0.97; accepted by anna &lt;i&gt;x&lt;/i&gt;");
	kt_expect_in(r.body, "href=\"" DOSSIER "\"");
	kt_expect_in(r.body, "href=\"/case/" OFFICER_CASE "/dossier.zip\"");
	resp_free(&r);

	/* the dossier: unauthenticated, roles that read no case */
	assert_int_equal(status_of(NULL, DOSSIER), 303);
	assert_int_equal(status_of(NULL, "/api" DOSSIER), 401);
	assert_int_equal(status_of(s_op, DOSSIER), 403);
	assert_int_equal(status_of(s_admin, "/api" DOSSIER), 403);
	assert_true(audited("op", "denied", "case:" OFFICER_CASE " dossier") >= 1);

	/* the archivist: a PDF as an attachment, audited, as the CLI makes it */
	r = get(s_arch, DOSSIER);
	assert_int_equal(r.status, 200);
	assert_true(r.body_len > 1000);
	assert_memory_equal(r.body, "%PDF-", 5);
	ct = header(&r, "Content-Type", "application/pdf");
	assert_non_null(ct);
	free(ct);
	cd = header(&r, "Content-Disposition", NULL);
	assert_non_null(cd);
	assert_string_equal(cd, "attachment; filename=\"dossier-" OFFICER_CASE ".pdf\"; "
				"filename*=UTF-8''dossier-" OFFICER_CASE ".pdf");
	free(cd);
	assert_int_equal(audited("arch", "download", "case:" OFFICER_CASE " dossier"), 1);
	snprintf(path, sizeof path, "%s/../web.pdf", store);
	write_file(path, r.body, r.body_len);
	resp_free(&r);
	snprintf(stmt, sizeof stmt, "%s/../cli.pdf", store);
	o = e2e_run(store, "dossier", OFFICER_CASE, stmt, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	if (npages(path) >= 0) {
		char cmd[800];

		assert_true(npages(path) > 1);
		assert_int_equal(npages(path), npages(stmt));
		snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
		assert_int_equal(sh(cmd), 0);
	}

	/* the ZIP of the originals */
	r = get(s_arch, "/case/" OFFICER_CASE "/dossier.zip");
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "PK\x03\x04", 4);
	kt_expect_in(r.head, "filename=\"dossier-" OFFICER_CASE ".zip\"");
	resp_free(&r);
	assert_int_equal(audited("arch", "download", "case:" OFFICER_CASE " dossier zip"), 1);

	/* the officer: their case; another by changing the number is missing, audited */
	r = get(s_off, "/api" DOSSIER);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "%PDF-", 5);
	resp_free(&r);
	assert_int_equal(audited("officer1", "download", "case:" OFFICER_CASE " dossier"), 1);
	r = get(s_off, "/case/" OTHER_CASE "/dossier.pdf");
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "%PDF"));
	resp_free(&r);
	assert_int_equal(status_of(s_off, "/api/case/" OTHER_CASE "/dossier.zip"), 404);
	assert_int_equal(audited("officer1", "denied", "case:" OTHER_CASE " dossier"), 1);
	assert_int_equal(audited("officer1", "denied", "case:" OTHER_CASE " dossier zip"), 1);
	assert_int_equal(audited("officer1", "download", "case:" OTHER_CASE " dossier"), 0);
	/* the officer's case page shows no other case's dossier; an unknown case is missing */
	assert_int_equal(status_of(s_arch, "/case/NO-SUCH-CASE/dossier.pdf"), 404);
	assert_int_equal(audited("arch", "download", "case:NO-SUCH-CASE dossier"), 0);
	snprintf(obj, sizeof obj, "/case/%s/dossier.pdf", "%3Cscript%3E");
	r = get(s_arch, obj);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "<script>"));
	resp_free(&r);
}

/* ---------------------------------------------------------- review queue */

/* The review queue as the catalog gives it (`kartoteka review --json`). */
static json_t *queue(void)
{
	e2e_out o = e2e_run(store, "review", "--json", NULL);
	json_t *q;

	assert_int_equal(o.status, 0);
	q = json_loads(o.out, 0, NULL);
	e2e_out_free(&o);
	assert_true(json_is_array(q));
	return q;
}

/* The number of queue entries of doc with reason. */
static int in_queue(long long doc, const char *reason)
{
	json_t *q = queue(), *e;
	size_t i;
	int n = 0;

	json_array_foreach(q, i, e)
		n += json_integer_value(json_object_get(e, "doc_id")) == doc &&
		     !strcmp(json_string_value(json_object_get(e, "reason")), reason);
	json_decref(q);
	return n;
}

void test_review(void **state)
{
	json_t *q, *e;
	long long unl[2] = { 0, 0 };
	char stmt[600], tok[100], body[400], bad[100], *v, *loc;
	size_t i, k = 0;
	resp r;

	(void)state;
	/* two documents linked to no case: one gets a suggestion with hostile
	 * evidence, the other is linked by hand; and a pair flagged as pages
	 * scanned again */
	q = queue();
	json_array_foreach(q, i, e)
		if (k < 2 && !strcmp(json_string_value(json_object_get(e, "reason")), "unlinked"))
			unl[k++] = (long long)json_integer_value(json_object_get(e, "doc_id"));
	json_decref(q);
	assert_int_equal(k, 2);
	snprintf(stmt, sizeof stmt, "INSERT INTO links(doc_id, case_number, evidence, rule, confidence)"
		 " VALUES (%lld, '" OFFICER_CASE "', 'name " HOSTILE "', 'name_birth_date', 0.6);"
		 "INSERT INTO duplicates(doc_id, of_doc, pages, similarity, evidence)"
		 " VALUES (%lld, %lld, 1, 0.97, 'page 1 ~ page 1 (0.97) " HOSTILE "');",
		 unl[0], unl[1] > unl[0] ? unl[1] : unl[0], unl[1] > unl[0] ? unl[0] : unl[1]);
	store_sql("catalog.sqlite", stmt);
	assert_int_equal(in_queue(unl[0], "suggestion"), 1);
	assert_int_equal(in_queue(unl[1] > unl[0] ? unl[1] : unl[0], "duplicate"), 1);

	/* unauthenticated; roles other than the archivist's */
	assert_int_equal(status_of(NULL, "/review"), 303);
	assert_int_equal(status_of(NULL, "/api/review"), 401);
	assert_int_equal(post_status(NULL, "/api/review/accept", "doc=1&case=X"), 401);
	assert_int_equal(status_of(s_off, "/review"), 403);
	assert_int_equal(status_of(s_op, "/review"), 403);
	assert_int_equal(status_of(s_admin, "/review"), 403);
	assert_int_equal(status_of(s_off, "/api/review"), 403);
	assert_int_equal(audited("officer1", "denied", "review"), 2);
	csrf_of(s_off, tok, sizeof tok);
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&case=" OFFICER_CASE, tok, unl[0]);
	assert_int_equal(post_status(s_off, "/review/accept", body), 403);
	assert_int_equal(in_queue(unl[0], "suggestion"), 1);

	/* the archivist's page: every kind, escaped, with its forms; audited */
	r = get(s_arch, "/review");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, HOSTILE));
	kt_expect_in(r.body, "name &lt;script&gt;alert(1)&lt;/script&gt;");
	kt_expect_in(r.body, "page 1 ~ page 1 (0.97) &lt;script&gt;");
	kt_expect_in(r.body, "<td>name_birth_date</td><td>0.60</td>");
	kt_expect_in(r.body, "action=\"/review/accept\"");
	kt_expect_in(r.body, "action=\"/review/reject\"");
	kt_expect_in(r.body, "action=\"/review/link\"");
	kt_expect_in(r.body, "action=\"/review/duplicate\"");
	kt_expect_in(r.body, "action=\"/review/distinct\"");
	kt_expect_in(r.body, "<td>0.97</td>");
	resp_free(&r);
	q = get_json(s_arch, "/api/review", 200);
	assert_true(json_is_array(q));
	assert_true(json_array_size(q) >= 3);
	json_decref(q);
	assert_int_equal(audited("arch", "review", "queue"), 2);

	/* CSRF: none, another session's, one changed in its last character */
	csrf_of(s_arch, tok, sizeof tok);
	snprintf(body, sizeof body, "doc=%lld&case=" OFFICER_CASE, unl[0]);
	assert_int_equal(post_status(s_arch, "/review/accept", body), 403);
	csrf_of(s_off, bad, sizeof bad);
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&case=" OFFICER_CASE, bad, unl[0]);
	assert_int_equal(post_status(s_arch, "/review/accept", body), 403);
	snprintf(bad, sizeof bad, "%s", tok);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&case=" OFFICER_CASE, bad, unl[0]);
	assert_int_equal(post_status(s_arch, "/api/review/accept", body), 403);
	assert_int_equal(post_status(s_arch, "/review/distinct", "doc=1&other=2"), 403);
	assert_int_equal(in_queue(unl[0], "suggestion"), 1);

	/* accept on the page: back to /review, out of the queue, by the web user */
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&case=" OFFICER_CASE, tok, unl[0]);
	r = post(s_arch, "/review/accept", body);
	assert_int_equal(r.status, 303);
	loc = header(&r, "Location", NULL);
	assert_string_equal(loc, "/review");
	free(loc);
	resp_free(&r);
	assert_int_equal(in_queue(unl[0], "suggestion"), 0);
	snprintf(stmt, sizeof stmt, "SELECT decision || ' ' || user FROM link_decisions WHERE doc_id = %lld"
		 " AND case_number = '" OFFICER_CASE "'", unl[0]);
	v = catalog_text(stmt);
	assert_non_null(v);
	assert_string_equal(v, "accept arch");
	free(v);
	snprintf(stmt, sizeof stmt, "accept doc:%lld case:" OFFICER_CASE, unl[0]);
	assert_int_equal(audited("arch", "decide", stmt), 1);
	/* now a link: the officer's case shows it, decided by the archivist */
	q = get_json(s_off, "/api/case/" OFFICER_CASE, 200);
	json_array_foreach(json_object_get(q, "documents"), i, e)
		if (json_integer_value(json_object_get(e, "id")) == unl[0])
			assert_string_equal(json_string_value(json_object_get(e, "link_decided_by")), "arch");
	json_decref(q);

	/* the API twins: link by hand, a pair decided distinct, a refusal */
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&case=" OTHER_CASE, tok, unl[1]);
	r = post(s_arch, "/api/review/link", body);
	assert_int_equal(r.status, 200);
	kt_expect_in(r.body, "\"by\":\"arch\"");
	resp_free(&r);
	assert_int_equal(in_queue(unl[1], "unlinked"), 0);
	snprintf(stmt, sizeof stmt, "SELECT decision || ' ' || user FROM link_decisions WHERE doc_id = %lld",
		 unl[1]);
	v = catalog_text(stmt);
	assert_string_equal(v, "link arch");
	free(v);
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&other=%lld", tok, unl[0], unl[1]);
	assert_int_equal(post_status(s_arch, "/api/review/distinct", body), 200);
	assert_int_equal(in_queue(unl[0] > unl[1] ? unl[0] : unl[1], "duplicate"), 0);
	v = catalog_text("SELECT decision || ' ' || user FROM duplicate_decisions");
	assert_string_equal(v, "distinct arch");
	free(v);
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&case=" OTHER_CASE, tok, unl[0]);
	r = post(s_arch, "/api/review/accept", body);
	assert_int_equal(r.status, 409);
	kt_expect_in(r.body, "\"error\"");
	resp_free(&r);
	snprintf(body, sizeof body, "csrf=%s&doc=x&case=" OTHER_CASE, tok);
	assert_int_equal(post_status(s_arch, "/review/accept", body), 400);
	snprintf(body, sizeof body, "csrf=%s&doc=1", tok);
	assert_int_equal(post_status(s_arch, "/review/nonsense", body), 404);
	/* a hostile case number typed into the link form comes back escaped */
	snprintf(body, sizeof body, "csrf=%s&doc=%lld&case=%%3Cscript%%3Ealert(4)%%3C/script%%3E", tok,
		 unl[0]);
	r = post(s_arch, "/review/link", body);
	assert_int_equal(r.status, 409);
	assert_null(strstr(r.body, "<script>alert(4)"));
	kt_expect_in(r.body, "&lt;script&gt;alert(4)");
	resp_free(&r);
}
