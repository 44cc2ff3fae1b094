/*
 * route_login.c - sessions: the login form, logging in (with its rate limit
 * and audit rows) and out, "/" (to the role's start page) and /api/me.
 * The CSRF tokens of both forms are checked by the dispatcher (http.c)
 * before these handlers run.
 */
#include "web_private.h"

#include "kt_text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The login form with status and an error message (or NULL); it sets the
 * kt_login_csrf cookie its hidden token must match. */
static int login_page(web_req *r, unsigned status, const char *msg)
{
	char csrf[65], cookie[160];
	unsigned char rnd[32];
	web_html h = WEB_HTML_INIT;
	int ret;
	const char *have = web_cookie(r, "kt_login_csrf");

	/* keep a token the browser holds already: another tab's form stays valid */
	if (have && strlen(have) == 64 && strspn(have, "0123456789abcdef") == 64) {
		memcpy(csrf, have, 65);
	} else {
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(csrf, sizeof csrf, rnd, sizeof rnd);
	}
	snprintf(cookie, sizeof cookie, "kt_login_csrf=%s; Path=/login; HttpOnly; SameSite=Strict%s",
		 csrf, r->w->opts->secure_cookies ? "; Secure" : "");
	web_page_start(r, &h, "Log in");
	html_puts(&h, "<h1>Log in</h1>");
	if (msg) {
		html_puts(&h, "<p class=\"error\">");
		html_text(&h, msg);
		html_puts(&h, "</p>");
	}
	html_puts(&h, "<form method=\"post\" action=\"/login\" class=\"login\">"
		      "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_puts(&h, csrf);
	html_puts(&h, "\"><label>User name <input name=\"name\" autocomplete=\"username\" required>"
		      "</label><label>Password <input name=\"password\" type=\"password\" "
		      "autocomplete=\"current-password\" required></label>"
		      "<button type=\"submit\">Log in</button></form></main></body></html>\n");
	if (h.oom) {
		kt_buf_release(&h.b);
		return 0;
	}
	ret = web_send(r, status, "text/html; charset=utf-8", h.b.s, h.b.len, NULL, cookie, NULL);
	kt_buf_release(&h.b);
	return ret;
}

int route_login_form(web_req *r, const web_params *p)
{
	(void)p;
	return login_page(r, 200, NULL);
}

int route_login(web_req *r, const web_params *p)
{
	char *name = web_form_value(r->body, "name");
	char *password = web_form_value(r->body, "password");
	char token[65], setc[200];
	int ret, rc, limited = 0;

	(void)p;
	if (name == NULL || !kt_utf8_valid(name, strlen(name))) {
		ret = login_page(r, 400, "enter a user name and a password");
	} else {
		rc = kt_access_login(r->w->acc, name, password, r->remote, token, &limited);
		if (rc == KT_OK) {
			r->authed = 1;
			kt_access_session(r->w->acc, token, &r->user);
			web_audit(r, "login", "");
			snprintf(setc, sizeof setc, "kt_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
				 token, r->w->opts->secure_cookies ? "; Secure" : "");
			sodium_memzero(token, sizeof token);
			ret = web_redirect(r, "/", setc, "kt_login_csrf=; Path=/login; Max-Age=0");
		} else {
			kt_access_audit(r->w->acc, name, "", limited ? "login-limited" : "login-failed", "",
					r->remote);
			if (limited)
				ret = login_page(r, 429, kt_access_errmsg(r->w->acc));
			else if (rc == KT_FAILED)
				ret = login_page(r, 401, "wrong user name or password");
			else
				ret = web_error(r, 500, kt_access_errmsg(r->w->acc));
		}
	}
	if (password)
		sodium_memzero(password, strlen(password));
	free(password);
	free(name);
	return ret;
}

int route_logout(web_req *r, const web_params *p)
{
	(void)p;
	kt_access_logout(r->w->acc, web_cookie(r, "kt_session"));
	web_audit(r, "logout", "");
	return web_redirect(r, "/login", "kt_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
			    NULL);
}

int route_root(web_req *r, const web_params *p)
{
	(void)p;
	return web_redirect(r, web_has_role(r, "operator", NULL) ? "/batches" :
			       web_has_role(r, "admin", NULL) ? "/audit" : "/search", NULL, NULL);
}

int route_me(web_req *r, const web_params *p)
{
	(void)p;
	return web_send_json(r, 200, json_pack("{s:s, s:s}", "name", r->user.name, "role",
					       r->user.role));
}
