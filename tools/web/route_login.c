/*
 * route_login.c - sessions: the login form, logging in (with its rate limit
 * and audit rows) and out, "/" (to the role's start page) and /api/me.
 * The CSRF tokens of both forms are checked by the dispatcher (http.c)
 * before these handlers run; the login form's token is made here: a random
 * nonce and its MAC under the server's key, so that only this server can
 * make one.
 */
#include "web_private.h"

#include "kt_text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONCE_BYTES 16

int web_login_token_valid(const web *w, const char *tok)
{
	unsigned char nonce[NONCE_BYTES], mac[crypto_auth_BYTES];
	size_t n1 = 0, n2 = 0;

	if (tok == NULL || strlen(tok) != WEB_LOGIN_TOKEN_LEN ||
	    strspn(tok, "0123456789abcdef") != WEB_LOGIN_TOKEN_LEN)
		return 0;
	if (sodium_hex2bin(nonce, sizeof nonce, tok, 2 * NONCE_BYTES, NULL, &n1, NULL) != 0 ||
	    sodium_hex2bin(mac, sizeof mac, tok + 2 * NONCE_BYTES, 2 * crypto_auth_BYTES, NULL, &n2,
			   NULL) != 0 || n1 != sizeof nonce || n2 != sizeof mac)
		return 0;
	return crypto_auth_verify(mac, nonce, sizeof nonce, w->csrf_key) == 0;
}

/* A new login token: hex of a random nonce and its MAC under the server's key. */
static void login_token_make(const web *w, char out[WEB_LOGIN_TOKEN_LEN + 1])
{
	unsigned char nonce[NONCE_BYTES], mac[crypto_auth_BYTES];

	randombytes_buf(nonce, sizeof nonce);
	crypto_auth(mac, nonce, sizeof nonce, w->csrf_key);
	sodium_bin2hex(out, 2 * NONCE_BYTES + 1, nonce, sizeof nonce);
	sodium_bin2hex(out + 2 * NONCE_BYTES, 2 * crypto_auth_BYTES + 1, mac, sizeof mac);
}

/* The login form with status and an error message (or NULL); it sets the
 * kt_login_csrf cookie its hidden token must match. */
static int login_page(web_req *r, unsigned status, const char *msg)
{
	char csrf[WEB_LOGIN_TOKEN_LEN + 1], cookie[200];
	web_html h = WEB_HTML_INIT;
	int ret;
	const char *have = web_cookie(r, "kt_login_csrf");

	/* keep a token of ours the browser holds already: another tab's form
	 * stays valid */
	if (web_login_token_valid(r->w, have))
		memcpy(csrf, have, sizeof csrf);
	else
		login_token_make(r->w, csrf);
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
	size_t name_len = 0, pw_len = 0;
	char *name = web_form_value(r->body, "name", &name_len);
	char *password = web_form_value(r->body, "password", &pw_len);
	char token[65], setc[200];
	int ret, rc, limited = 0;

	(void)p;
	/* a name is text: one holding a NUL (%00) is no name; a password is
	 * compared on all its bytes, a NUL among them included */
	if (name == NULL || name_len != strlen(name) || !kt_utf8_valid(name, name_len)) {
		ret = login_page(r, 400, "enter a user name and a password");
	} else {
		rc = kt_access_login(r->w->acc, name, password ? password : "", password ? pw_len : 0,
				     r->remote, token, &limited);
		if (rc == KT_OK) {
			r->authed = 1;
			kt_access_session(r->w->acc, token, &r->user);
			if (web_audit(r, "login", "") != KT_OK) {
				/* no session without its audit row (the answer is a 503) */
				kt_access_logout(r->w->acc, token);
				sodium_memzero(token, sizeof token);
				ret = web_error(r, 503, "cannot write the audit log");
			} else {
				snprintf(setc, sizeof setc, "kt_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
					 token, r->w->opts->secure_cookies ? "; Secure" : "");
				sodium_memzero(token, sizeof token);
				ret = web_redirect(r, "/", setc, "kt_login_csrf=; Path=/login; Max-Age=0");
			}
		} else {
			/* a refusal of the rate limit is counted by kt_access_login,
			 * one row per window (KT_FATAL: it could not be recorded) */
			if (limited ? rc == KT_FATAL :
			    kt_access_audit(r->w->acc, name, "", "login-failed", "", r->remote) != KT_OK)
				r->audit_failed = 1;
			if (limited)
				ret = login_page(r, 429, kt_access_errmsg(r->w->acc));
			else if (rc == KT_FAILED)
				ret = login_page(r, 401, "wrong user name or password");
			else   /* the access database is locked or broken: try again */
				ret = web_error(r, 503, kt_access_errmsg(r->w->acc));
		}
	}
	if (password)
		sodium_memzero(password, pw_len);
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
	/* the session's CSRF token: what an API client sends with its POSTs */
	return web_send_json(r, 200, json_pack("{s:s, s:s, s:s}", "name", r->user.name, "role",
					       r->user.role, "csrf", r->user.csrf));
}
