/*
 * route_admin.c - the operators' and admins' pages: /batches (batches newest
 * first with their counts and failures), /audit (the last 1000 audit rows,
 * by user and date) and /users (users, roles, assignments; users are
 * managed on the command line only). Each list is audited before it is
 * sent; when its row cannot be written the answer is a 503.
 */
#include "web_private.h"

#include "kt_catalog.h"

#include <string.h>

int route_batches(web_req *r, const web_params *p)
{
	json_t *all, *bt, *f;
	size_t i, k;
	web_html h = WEB_HTML_INIT;

	(void)p;
	if ((all = kt_catalog_batches_json(kt_store_catalog(r->w->store))) == NULL)
		return web_error(r, 500, "cannot read the batches");
	if (web_audit(r, "batches", "") != KT_OK) {
		json_decref(all);
		return web_error(r, 503, "cannot write the audit log");
	}
	if (r->api)
		return web_send_json(r, 200, all);
	web_page_start(r, &h, "Batches");
	html_puts(&h, "<h1>Batches</h1><table><thead><tr><th>Batch</th><th>Started</th><th>Ended</th>"
		      "<th>Files</th><th>Done</th><th>Skipped</th><th>Failed</th></tr></thead><tbody>");
	json_array_foreach(all, i, bt) {
		html_puts(&h, "<tr><td>");
		html_text(&h, json_string_value(json_object_get(bt, "name")));
		html_puts(&h, "</td><td>");
		html_text(&h, json_string_value(json_object_get(bt, "started")));
		html_puts(&h, "</td><td>");
		html_text(&h, json_is_string(json_object_get(bt, "ended")) ?
			  json_string_value(json_object_get(bt, "ended")) : "running");
		html_printf(&h, "</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>",
			    (long long)json_integer_value(json_object_get(bt, "files")),
			    (long long)json_integer_value(json_object_get(bt, "done")),
			    (long long)json_integer_value(json_object_get(bt, "skipped")),
			    (long long)json_integer_value(json_object_get(bt, "failed")));
		json_array_foreach(json_object_get(bt, "failures"), k, f) {
			html_puts(&h, "<tr class=\"failure\"><td colspan=\"2\">");
			html_text(&h, json_string_value(json_object_get(f, "source")));
			html_puts(&h, "</td><td colspan=\"5\">");
			html_text(&h, json_string_value(json_object_get(f, "reason")));
			html_puts(&h, "</td></tr>");
		}
	}
	html_puts(&h, "</tbody></table>");
	json_decref(all);
	return web_page_end(r, &h, 200);
}

int route_audit(web_req *r, const web_params *p)
{
	const char *user = web_arg(r, "user"), *since = web_arg(r, "since");
	json_t *rows, *row;
	size_t i;
	web_html h = WEB_HTML_INIT;

	(void)p;
	if (user && !*user)
		user = NULL;
	if (since && !*since)
		since = NULL;
	if ((rows = kt_access_audit_json(r->w->acc, user, since, 1000)) == NULL)
		return web_error(r, 500, kt_access_errmsg(r->w->acc));
	if (web_audit(r, "audit", user ? user : "") != KT_OK) {
		json_decref(rows);
		return web_error(r, 503, "cannot write the audit log");
	}
	if (r->api)
		return web_send_json(r, 200, rows);
	web_page_start(r, &h, "Audit log");
	html_puts(&h, "<h1>Audit log</h1><form method=\"get\" action=\"/audit\" class=\"search\">"
		      "<label>User <input name=\"user\" value=\"");
	html_attr(&h, user);
	html_puts(&h, "\"></label> <label>Since <input name=\"since\" placeholder=\"YYYY-MM-DD\" "
		      "value=\"");
	html_attr(&h, since);
	html_puts(&h, "\"></label> <button type=\"submit\">Filter</button></form>"
		      "<p>The last 1000 rows, newest last.</p><table><thead><tr><th>Time (UTC)</th>"
		      "<th>User</th><th>Role</th><th>Action</th><th>Object</th><th>From</th></tr>"
		      "</thead><tbody>");
	json_array_foreach(rows, i, row) {
		static const char *cols[] = { "at", "user", "role", "action", "object", "remote" };
		int c;

		html_puts(&h, "<tr>");
		for (c = 0; c < 6; c++) {
			html_puts(&h, "<td>");
			html_text(&h, json_string_value(json_object_get(row, cols[c])));
			html_puts(&h, "</td>");
		}
		html_puts(&h, "</tr>");
	}
	html_puts(&h, "</tbody></table>");
	json_decref(rows);
	return web_page_end(r, &h, 200);
}

int route_users(web_req *r, const web_params *p)
{
	json_t *users, *u, *v;
	size_t i, k;
	web_html h = WEB_HTML_INIT;

	(void)p;
	if ((users = kt_access_users_json(r->w->acc)) == NULL)
		return web_error(r, 500, kt_access_errmsg(r->w->acc));
	if (web_audit(r, "users", "") != KT_OK) {
		json_decref(users);
		return web_error(r, 503, "cannot write the audit log");
	}
	if (r->api)
		return web_send_json(r, 200, users);
	web_page_start(r, &h, "Users");
	html_puts(&h, "<h1>Users</h1><p>Users are added, changed and disabled on the command line: "
		      "<code>kartoteka user</code>.</p><table><thead><tr><th>Name</th><th>Role</th>"
		      "<th>Enabled</th><th>Created</th><th>Assigned cases</th></tr></thead><tbody>");
	json_array_foreach(users, i, u) {
		html_puts(&h, "<tr><td>");
		html_text(&h, json_string_value(json_object_get(u, "name")));
		html_puts(&h, "</td><td>");
		html_text(&h, json_string_value(json_object_get(u, "role")));
		html_puts(&h, json_is_true(json_object_get(u, "disabled")) ? "</td><td>no</td><td>" :
									  "</td><td>yes</td><td>");
		html_text(&h, json_string_value(json_object_get(u, "created")));
		html_puts(&h, "</td><td>");
		json_array_foreach(json_object_get(u, "cases"), k, v) {
			html_text(&h, json_string_value(v));
			html_puts(&h, " ");
		}
		html_puts(&h, "</td></tr>");
	}
	html_puts(&h, "</tbody></table>");
	json_decref(users);
	return web_page_end(r, &h, 200);
}
