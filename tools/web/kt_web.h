/*
 * kt_web.h - the web interface of kartoteka: an HTTP server (libmicrohttpd)
 * with server-rendered HTML and a JSON API, over a store and its access
 * database (kt_access.h). See docs/web.md.
 */
#ifndef KT_WEB_H
#define KT_WEB_H

#include <stddef.h>

#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kt_store;

typedef struct kt_web_opts {
	const char *listen;     /* "HOST:PORT" (IPv4); NULL: "127.0.0.1:8080"; port 0 picks one */
	int secure_cookies;     /* add Secure to cookies (behind a TLS proxy) */
	int behind_proxy;       /* trust X-Real-IP from a loopback peer for the audit log */
	/* Limits (0: the default in brackets). */
	int threads;            /* threads answering requests [4] */
	int max_connections;    /* open connections in all [256] */
	int per_address;        /* open connections from one peer address [16; with
				 * behind_proxy: max_connections, as every client
				 * then comes from the proxy's address] */
	int request_timeout;    /* seconds a connection may take from its opening (or
				 * its previous answer) to its answer, however
				 * slowly it sends; also the idle time of a
				 * connection [30] */
	int session_idle;       /* seconds a session lives without a request [1800] */
} kt_web_opts;

#define KT_WEB_THREADS 4
#define KT_WEB_MAX_CONNECTIONS 256
#define KT_WEB_PER_ADDRESS 16
#define KT_WEB_REQUEST_TIMEOUT 30
#define KT_WEB_SESSION_IDLE 1800

/*
 * kt_web_serve: serve the store until SIGINT or SIGTERM. Prints
 * "listening on http://HOST:PORT/" on stdout once the socket is bound.
 * Returns KT_OK after a signal, KT_FATAL (message in err) when it cannot start.
 */
int kt_web_serve(const char *store_dir, const kt_web_opts *opts, kt_error *err);

/*
 * kt_web_render_page: page n (1-based) of a document's original file as PNG
 * (a part of a file that separator sheets divide is its pages first_page to
 * last_page of it), decoded from the original in its archive package, turned upright by rotation (degrees,
 * clockwise, a multiple of 90) and scaled to at most width pixels wide.
 *   png, len  receive the bytes; caller frees *png with free()
 * Returns KT_OK, KT_FAILED (no package, no such page, undecodable; message in
 * err) or KT_FATAL.
 */
int kt_web_render_page(struct kt_store *s, long long doc_id, int n, int rotation, int width,
		       unsigned char **png, size_t *len, kt_error *err);

/*
 * kt_web_dossier: the dossier of a case, made in memory (dossier.c), the
 * same bytes for `kartoteka dossier` (which writes them to its OUT) and the
 * web's /case/NUMBER/dossier.pdf and .zip (docs/cases.md, "Case view and
 * dossier"). Auditing the read is the caller's, before it calls.
 *   s       the store, borrowed
 *   number  the case number (a case record, or a number only links name)
 *   zip     0: one searchable PDF (a cover with the case record and a table
 *           of contents, then each document's access copy); 1: a ZIP of the
 *           originals with manifest.csv and case.json
 *   now     the time it is made (seconds since the epoch): the cover's line,
 *           the PDF's date, the ZIP's entry times
 *   out     receives the bytes; caller frees *out with free()
 *   len     receives their length
 *   ndocs   receives the number of documents (may be NULL)
 * Returns KT_OK; KT_FAILED (an unknown case; a document without a package or
 * an access copy, or whose files fail their checks; the message in err)
 * or KT_FATAL (catalog error, out of memory); *out is NULL unless KT_OK.
 */
int kt_web_dossier(struct kt_store *s, const char *number, int zip, long long now,
		   unsigned char **out, size_t *len, int *ndocs, kt_error *err);

#ifdef __cplusplus
}
#endif

#endif
