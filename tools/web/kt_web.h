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
 * kt_web_render_page: page n (1-based) of a document as PNG, decoded from the
 * original in its archive package, turned upright by rotation (degrees,
 * clockwise, a multiple of 90) and scaled to at most width pixels wide.
 *   png, len  receive the bytes; caller frees *png with free()
 * Returns KT_OK, KT_FAILED (no package, no such page, undecodable; message in
 * err) or KT_FATAL.
 */
int kt_web_render_page(struct kt_store *s, long long doc_id, int n, int rotation, int width,
		       unsigned char **png, size_t *len, kt_error *err);

#ifdef __cplusplus
}
#endif

#endif
