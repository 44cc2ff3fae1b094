/*
 * kt_web.h - the web interface of kartoteka: an HTTP server (libmicrohttpd)
 * with server-rendered HTML and a JSON API, over a store and its access
 * database (kt_access.h). See docs/web.md.
 */
#ifndef KT_WEB_H
#define KT_WEB_H

#include <jansson.h>
#include <stddef.h>

#include "kt_access.h"
#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kt_store;
struct kt_catalog;

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

/* ------------------------------------------- erasure requests, shared */

/*
 * Four-eyes erasure requests (issue 21, docs/lifecycle.md): what
 * `kartoteka erase request|approve|refuse` (tools/cmd_erase.c) and the web's
 * /erase pages (route_lifecycle.c) both do, so that the rules live once:
 * who may decide (never the requester approving), the legal holds, the
 * case that must not have changed, the states (requested -> approved ->
 * done|failed, or refused) and the audit rows. Who asks is the caller's to
 * prove (a password on the command line, a session on the web) and their
 * role the caller's to check (request: archivist or admin; decide: admin).
 * These functions print nothing.
 */

/* Who acts: borrowed strings, written to the audit rows. */
typedef struct kt_web_actor {
	const char *user;      /* a user of the access database */
	const char *role;      /* their role */
	const char *remote;    /* where from: "cli", or the web client's address */
} kt_web_actor;

/* Why a call was refused or failed (its *refusal), for the caller to answer
 * with (the web's status in brackets). */
enum kt_web_refusal {
	KT_WEB_DONE = 0,         /* nothing refused */
	KT_WEB_UNKNOWN,          /* no such request, document or case [404] */
	KT_WEB_BAD,              /* a bad argument; a number that is both a document
				  * and a case (say doc: or case:) [400] */
	KT_WEB_OWN,              /* the requester approving their own request, audited
				  * as denied [403] */
	KT_WEB_STATE,            /* the request is not in state requested [409] */
	KT_WEB_HELD,             /* a legal hold: a request refused, or an approved
				  * one failed with nothing erased [409] */
	KT_WEB_FAILED,           /* the erasure failed (the case changed since the
				  * request, a document could not be erased) [409] */
	KT_WEB_AUDIT,            /* an audit row could not be written [503] */
	KT_WEB_ERROR             /* a database or disk error [500] */
};

/*
 * kt_web_target: what "DOC" (a document id or SHA-256 prefix), "CASE",
 * "doc:ID" or "case:NUMBER" names in catalog c (borrowed): KT_OK with
 * *doc_id (> 0) for a document, or *number (pointing into arg) for a case
 * the catalog has a record or documents of. KT_FAILED when it names
 * neither (*refusal KT_WEB_UNKNOWN) or both (a number that is a document id
 * and a case number: KT_WEB_BAD); else the catalog's code (KT_WEB_ERROR).
 * Unless KT_OK, why[n] says why ("no document or case 'X' in the
 * catalog"). refusal may be NULL. Also for legal holds (`hold add`, POST
 * /holds).
 */
int kt_web_target(struct kt_catalog *c, const char *arg, long long *doc_id, const char **number,
		  char *why, size_t n, int *refusal);

/*
 * kt_web_erase_request: record a request to erase arg (as kt_web_target
 * reads it) for reason, by who. A document is erased alone; a case with
 * the documents linked to it alone ("docs"), those linked to another case
 * too left in place ("kept"). Refused, and recorded nowhere, when the
 * catalog does not know arg, or when a legal hold holds the document, the
 * case or one of the documents to erase (audited as "denied",
 * "erase-request TARGET held by hold:N"). A request recorded is audited as
 * "erase-request", "request:N TARGET"; when that row cannot be written the
 * request is refused at once (not audited: not to be acted on).
 *   c, a     the catalog (read only) and the access database, borrowed
 *   req      receives the request as kt_access_erase_get gives it (new
 *            reference, caller json_decref()s); NULL unless KT_OK
 *   why[n]   unless KT_OK, why ("doc:17 is under legal hold (hold 3 on
 *            doc:17: subpoena): an admin must remove the hold first")
 *   refusal  receives an enum kt_web_refusal (may be NULL)
 * Returns KT_OK; KT_FAILED (refused); KT_FATAL (a database error, an audit
 * row that could not be written).
 */
int kt_web_erase_request(struct kt_catalog *c, kt_access *a, const char *arg, const char *reason,
			 const kt_web_actor *who, json_t **req, char *why, size_t n, int *refusal);

/* What kt_web_erase_decide says as it goes (its say callback's kind). */
enum kt_web_note {
	KT_WEB_NOTE_DONE = 0,    /* a step done: "erased document 17", "erase request 4
				  * refused", "erase request 4 failed: erased 0 of 1
				  * documents; ..." */
	KT_WEB_NOTE_PROBLEM,     /* why something was refused or went wrong */
	KT_WEB_NOTE_STORE        /* the store could not be opened: kt_store_open's
				  * message */
};

/* The callback of kt_web_erase_decide: one note of kind (enum
 * kt_web_note), msg borrowed for the call (unescaped: it may hold what
 * users typed, a reason or a case number). */
typedef void kt_web_erase_say(void *ctx, int kind, const char *msg);

/*
 * kt_web_erase_decide: who (an admin: the caller checks) approves or
 * refuses erase request id. The request must be in state requested, and an
 * approver must not be its requester (four-eyes rule: refused, audited as
 * "denied", "request:N own request"; refusing one's own is allowed). The
 * decision is audited ("erase-approve" or "erase-refuse", "request:N") and
 * recorded (approved or refused) before anything is done. An approved
 * request is carried out at once on the store store_dir opened for writing
 * for the call: checked again for a legal hold (then it fails with the hold
 * named and nothing is erased) and, for a case, that no document linked to
 * the case alone was added since; each document is audited ("erase",
 * "request:N doc:ID") and erased with kt_erase, then a case's record
 * ("erase", "request:N case:NUMBER"); the request ends done, or failed with
 * why in its result.
 *   store_dir  the store's folder (borrowed)
 *   a          the access database, borrowed
 *   approve    1 approve, 0 refuse
 *   say, ctx   called with each step and each problem, in order (say may
 *              be NULL)
 *   refusal    receives an enum kt_web_refusal (may be NULL)
 * Returns KT_OK (refused, or carried out: done); KT_FAILED (refused, or the
 * request failed: a hold, a changed case, a document kt_erase refused);
 * KT_FATAL (database, disk or audit trouble: what was erased stays erased).
 */
int kt_web_erase_decide(const char *store_dir, kt_access *a, long long id, int approve,
			const kt_web_actor *who, kt_web_erase_say *say, void *ctx, int *refusal);

#ifdef __cplusplus
}
#endif

#endif
