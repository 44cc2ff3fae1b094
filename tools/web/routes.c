/*
 * routes.c - the route table of the web server (web_private.h, web_route):
 * each row its methods, where it answers (HTML, /api/), its path pattern,
 * its handler, whether it needs a session, the roles that may use it (a
 * refusal audited as denied with the row's object) and the CSRF check of a
 * POST. http.c's dispatcher walks it in order; the first row that matches
 * answers.
 */
#include "web_private.h"

const web_route web_routes[] = {
	/* answered without a session */
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/static/app.js", .run = route_app_js,
	  .anyone = 1 },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/static/style.css", .run = route_style_css,
	  .anyone = 1 },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/favicon.ico", .run = route_favicon,
	  .anyone = 1 },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/login", .run = route_login_form,
	  .anyone = 1 },
	{ .methods = WEB_POST, .where = WEB_HTML, .path = "/login", .run = route_login, .anyone = 1,
	  .csrf = WEB_CSRF_LOGIN },

	/* a session needed */
	{ .methods = WEB_POST, .where = WEB_HTML, .path = "/logout", .run = route_logout,
	  .csrf = WEB_CSRF_SESSION },
	{ .methods = WEB_GET, .where = WEB_HTML, .path = "/", .run = route_root },
	{ .methods = WEB_GET, .where = WEB_API, .path = "/me", .run = route_me },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/search", .run = route_search,
	  .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "search" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/cases", .run = route_cases,
	  .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "cases" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/batches", .run = route_batches,
	  .roles = WEB_OPERATOR | WEB_ADMIN, .denied = "batches" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/audit", .run = route_audit,
	  .roles = WEB_ADMIN, .denied = "audit" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/users", .run = route_users,
	  .roles = WEB_ADMIN, .denied = "users" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/review", .run = route_review,
	  .roles = WEB_ARCHIVIST, .denied = "review" },
	{ .methods = WEB_POST, .where = WEB_HTML | WEB_API, .path = "/review/{decision}",
	  .run = route_review_decide, .roles = WEB_ARCHIVIST, .denied = "review {0}",
	  .csrf = WEB_CSRF_SESSION },
	/* erasure requests and legal holds (route_lifecycle.c; the denied
	 * objects as `kartoteka erase` and `hold` write them) */
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/erase", .run = route_erase,
	  .roles = WEB_ARCHIVIST | WEB_ADMIN, .denied = "erase-requests" },
	{ .methods = WEB_POST, .where = WEB_HTML | WEB_API, .path = "/erase",
	  .run = route_erase_request, .roles = WEB_ARCHIVIST | WEB_ADMIN, .denied = "erase-request",
	  .csrf = WEB_CSRF_SESSION },
	{ .methods = WEB_POST, .where = WEB_HTML | WEB_API, .path = "/erase/{id:int}/{decision}",
	  .run = route_erase_decide, .roles = WEB_ADMIN, .denied = "erase-{1} request:{0}",
	  .csrf = WEB_CSRF_SESSION },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/holds", .run = route_holds,
	  .roles = WEB_ARCHIVIST | WEB_ADMIN, .denied = "holds" },
	{ .methods = WEB_POST, .where = WEB_HTML | WEB_API, .path = "/holds", .run = route_hold_add,
	  .roles = WEB_ARCHIVIST | WEB_ADMIN, .denied = "hold", .csrf = WEB_CSRF_SESSION },
	{ .methods = WEB_POST, .where = WEB_HTML | WEB_API, .path = "/holds/{id:int}/remove",
	  .run = route_hold_remove, .roles = WEB_ADMIN, .denied = "hold-remove hold:{0}",
	  .csrf = WEB_CSRF_SESSION },
	/* before /case/{number:rest}, which would take "NUMBER/dossier.pdf" */
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/case/{number:rest}/dossier.pdf",
	  .run = route_case_dossier_pdf, .roles = WEB_ARCHIVIST | WEB_OFFICER,
	  .denied = "case:{0} dossier" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/case/{number:rest}/dossier.zip",
	  .run = route_case_dossier_zip, .roles = WEB_ARCHIVIST | WEB_OFFICER,
	  .denied = "case:{0} dossier zip" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/case/{number:rest}",
	  .run = route_case, .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "case:{0}" },
	/* ids of 80 bytes or more never name a document; this route has never taken them */
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/doc/{id:<80}/page/{n:int}.png",
	  .run = route_page_image, .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "doc:{0} page:{1}" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/doc/{id:<80}/original",
	  .run = route_download_original, .roles = WEB_ARCHIVIST | WEB_OFFICER,
	  .denied = "doc:{0} original" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/doc/{id:<80}/access.pdf",
	  .run = route_download_access, .roles = WEB_ARCHIVIST | WEB_OFFICER,
	  .denied = "doc:{0} access" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/doc/{id:<80}/text.txt",
	  .run = route_download_text, .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "doc:{0} text" },
	{ .methods = WEB_GET, .where = WEB_HTML | WEB_API, .path = "/doc/{id}", .run = route_doc,
	  .roles = WEB_ARCHIVIST | WEB_OFFICER, .denied = "doc:{0}" },
};

const size_t web_n_routes = sizeof web_routes / sizeof web_routes[0];
