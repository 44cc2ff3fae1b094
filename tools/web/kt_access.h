/*
 * kt_access.h - users, roles, sessions, case assignments and the audit log of
 * the web interface, kept in their own SQLite database STORE/access.sqlite.
 *
 * Why a database of its own: the catalog can be made again from the archive
 * (`kartoteka rebuild`), users and the audit trail cannot; they must survive a
 * rebuild, so they never live in catalog.sqlite. The audit table is
 * append-only: SQLite triggers refuse UPDATE and DELETE on it.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_argon2id_str);
 * sessions are random 256-bit tokens of which only the SHA-256 is stored.
 *
 * Thread safety: a handle is used by one thread at a time.
 */
#ifndef KT_ACCESS_H
#define KT_ACCESS_H

#include <jansson.h>
#include <stddef.h>

#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_access kt_access;

/* Roles, as stored: "operator", "archivist", "officer", "admin". */
int kt_access_role_valid(const char *role);

/* Login rate limit, by (user name, remote address): after
 * KT_ACCESS_MAX_FAILURES failures of one name from one address in the last
 * KT_ACCESS_WINDOW seconds, that pair may try again only
 * KT_ACCESS_DELAY << (failures - KT_ACCESS_MAX_FAILURES) seconds after its
 * last failure (1, 2, 4, ... minutes, at most the window); the password is
 * not checked before. The same rule holds for one address whatever the names
 * after KT_ACCESS_MAX_ADDRESS_FAILURES failures (guessing many names). A name
 * is never locked for every address: the right password from an address
 * without failures logs in. A login clears its pair's failures. */
#define KT_ACCESS_MAX_FAILURES 5
#define KT_ACCESS_MAX_ADDRESS_FAILURES 20
#define KT_ACCESS_DELAY 60
#define KT_ACCESS_WINDOW 3600
/* A session lasts this many seconds from login, and ends sooner when it is
 * not used for its idle time (kt_access_set_session_idle). */
#define KT_ACCESS_SESSION_SECONDS (8 * 3600)
#define KT_ACCESS_SESSION_IDLE 1800

/* kt_access_open: open (creating when missing) STORE/access.sqlite.
 * *out receives the handle, caller frees with kt_access_free.
 * Returns KT_OK, or KT_FATAL with the message in err. */
int kt_access_open(const char *store_dir, kt_access **out, kt_error *err);

/* kt_access_open_readonly: open STORE/access.sqlite to read it only (the
 * users and the audit log, for an auditor who may not write the store):
 * nothing is created or changed. SQLite reads a WAL database only with its
 * -shm file, which such a reader may not be able to make; when there is no
 * -wal file either, the database file holds every row and is read as it is
 * (immutable). *out receives the handle, caller frees with kt_access_free;
 * calls that write fail on it. KT_OK; KT_FAILED when there is no access
 * database; KT_FATAL when it cannot be read; the message in err. */
int kt_access_open_readonly(const char *store_dir, kt_access **out, kt_error *err);

/* kt_access_free: close and free, set *a to NULL; NULL is a no-op. */
void kt_access_free(kt_access **a);

/* kt_access_errmsg: message of the last failed call; borrowed. */
const char *kt_access_errmsg(const kt_access *a);

/* kt_access_set_busy_timeout: how long a call waits for a lock another
 * connection holds on access.sqlite before it fails with KT_FATAL
 * (milliseconds; 30000 after kt_access_open). The web server sets a short
 * one, so that a locked database refuses requests instead of stalling. */
void kt_access_set_busy_timeout(kt_access *a, int ms);

/* kt_access_set_session_idle: a session ends when it was not used for this
 * many seconds (KT_ACCESS_SESSION_IDLE after kt_access_open; at least 1). */
void kt_access_set_session_idle(kt_access *a, int seconds);

/* ------------------------------------------------------------ users */

/* kt_access_user_add: a new user (name 1-64 bytes of UTF-8 without control
 * characters, a valid role, a password of at least 8 bytes).
 * KT_FAILED when the name is taken or an argument is bad. */
int kt_access_user_add(kt_access *a, const char *name, const char *role, const char *password);
/* kt_access_user_passwd: new password; enables nothing, ends the user's sessions. */
int kt_access_user_passwd(kt_access *a, const char *name, const char *password);
/* kt_access_user_disable: the user can no longer log in; sessions end. */
int kt_access_user_disable(kt_access *a, const char *name);
/* kt_access_user_assign: give an officer a case (idempotent). */
int kt_access_user_assign(kt_access *a, const char *name, const char *case_number);
/* kt_access_users_json: [{"name","role","disabled","created","cases":[...]}]
 * (cases: the assignments made with user assign). New reference. */
json_t *kt_access_users_json(kt_access *a);
/* kt_access_user_cases: the cases assigned to a user with user assign, as a
 * JSON array of strings. New reference; NULL on error. */
json_t *kt_access_user_cases(kt_access *a, const char *name);

/* ---------------------------------------------------------- sessions */

/* A logged-in user, filled by kt_access_session. */
typedef struct kt_access_user {
	char name[65];
	char role[16];
	char csrf[65];     /* the session's CSRF token (hex) */
} kt_access_user;

/*
 * kt_access_login: check a user name and password from a remote address.
 *   password, password_len  the submitted bytes, all of them compared (a NUL
 *            among them is a byte like any other, not the end)
 *   token    receives the new session token (64 hex digits + NUL) on success
 *   limited  (may be NULL) set to 1 when the login was refused by the rate
 *            limit, else 0
 * Returns KT_OK; KT_FAILED for a wrong name or password or a disabled user (a
 * failure is recorded), or when the rate limit (KT_ACCESS_MAX_FAILURES above)
 * holds the pair or the address back (*limited = 1; the password is not
 * checked); KT_FATAL on database errors. The message is on the handle.
 * A refusal of the rate limit is audited here, once per window: the first
 * refusal of a pair (or of an address held back whatever the name) in
 * KT_ACCESS_WINDOW seconds writes a "login-limited" row, the others are
 * counted, and one more row carries the count when the window has closed
 * (seen at a later login attempt) or the pair logs in; KT_FATAL with
 * *limited = 1 when the refusal could not be recorded (serve nothing).
 * What is kept of a submitted name for the limit is its first 128 bytes.
 */
int kt_access_login(kt_access *a, const char *name, const char *password, size_t password_len,
		    const char *remote, char token[65], int *limited);

/*
 * kt_access_check: check a user name and password, as kt_access_login does
 * (the same Argon2id verification, the same rate limit by name and remote,
 * a failure recorded and a success clearing the pair's failures), without
 * making a session: for a command line action that must know who asks
 * (`kartoteka erase`, remote "cli").
 *   role     receives the user's role (NUL-terminated) on success, "" else
 *   limited  (may be NULL) as kt_access_login's
 * Returns KT_OK; KT_FAILED for a wrong name or password, a disabled user or
 * a refusal of the rate limit; KT_FATAL on database errors. The message is
 * on the handle.
 */
int kt_access_check(kt_access *a, const char *name, const char *password, size_t password_len,
		    const char *remote, char role[16], int *limited);

/* kt_access_session: the user of a session token that is valid (not past its
 * 8 hours, used within its idle time) and whose user is enabled; the
 * session's last use becomes now. KT_OK with *u filled, or KT_FAILED. */
int kt_access_session(kt_access *a, const char *token, kt_access_user *u);

/* kt_access_logout: end a session (unknown tokens are not an error). */
int kt_access_logout(kt_access *a, const char *token);

/* -------------------------------------------------------------- audit */

/* kt_access_audit: append one audit row: who (user, role), what (action:
 * "search", "doc", "page-image", "case", "dossier", "login", "denied", ...;
 * object: e.g. "doc:17", the query), from where (remote). What a client may
 * have chosen is kept safe: each text is cut (user 128 bytes, object 1,024,
 * "..." marks a cut) and control characters and bytes that are not UTF-8 are
 * stored as \xHH, so that no row holds a line break or a terminal escape.
 * KT_FATAL when it cannot be written: the caller must then not serve the data. */
int kt_access_audit(kt_access *a, const char *user, const char *role, const char *action,
		    const char *object, const char *remote);

/* kt_access_audit_json: audit rows, oldest first, optionally only of one
 * user and at or after since ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"), the
 * last limit rows when limit > 0: [{"id","at","user","role","action",
 * "object","remote"}]. New reference; NULL on error. */
json_t *kt_access_audit_json(kt_access *a, const char *user, const char *since, int limit);

/* ---------------------------------------------------- erase requests */

/*
 * Four-eyes erasure requests (issue 21, docs/lifecycle.md; access_erase.c),
 * in the table erase_requests: a request names its target ("doc:ID" or
 * "case:NUMBER"), the documents to erase and those left in place (linked to
 * another case too), why, who asked and when; its state goes from
 * "requested" to "refused", or to "approved" (by another user than the
 * requester: the database refuses the same name) and then "done" or
 * "failed" with a result. A request as JSON: {"id", "target", "docs",
 * "kept", "reason", "requested_by", "requested_at", "state", "decided_by",
 * "decided_at", "result"} (docs and kept arrays of ids; null when not set).
 */

/* kt_access_erase_add: record a new request in state "requested", now.
 *   target  "doc:ID" or "case:NUMBER"
 *   docs    array of document ids to erase (borrowed; may be empty for a
 *           case, whose record is then all that is erased)
 *   kept    array of document ids left in place (borrowed; NULL: none)
 *   id      receives the request's id
 * KT_OK; KT_FAILED when an argument is bad; KT_FATAL on database errors. */
int kt_access_erase_add(kt_access *a, const char *target, json_t *docs, json_t *kept,
			const char *reason, const char *requested_by, long long *id);

/* kt_access_erase_get: request id as JSON into *out (new reference, caller
 * json_decref()s). KT_OK; KT_FAILED when there is no such request;
 * KT_FATAL on database errors. */
int kt_access_erase_get(kt_access *a, long long id, json_t **out);

/* kt_access_erase_list_json: every request, oldest first (an empty array
 * for a database that has none, also one opened read-only before requests
 * existed). New reference; NULL on error. */
json_t *kt_access_erase_list_json(kt_access *a);

/*
 * kt_access_erase_set_state: move request id from state `from` to state
 * `to`, in one statement (two deciders at once: one wins).
 *   user    (may be NULL) who decides: decided_by and decided_at (now) are
 *           set when given; approving requires a user other than the
 *           requester
 *   result  (may be NULL) what came of it, kept as given
 * KT_OK; KT_FAILED when there is no such request, it is not in state from
 * ("erase request N is STATE"), `to` is no state, or the user is the
 * requester approving their own request; KT_FATAL on database errors.
 */
int kt_access_erase_set_state(kt_access *a, long long id, const char *from, const char *to,
			      const char *user, const char *result);

/* -------------------------------------------------------- legal holds */

/*
 * Legal holds (issue 21, docs/lifecycle.md "Legal hold"; access_hold.c), in
 * the table holds: a hold names its target ("doc:ID" or "case:NUMBER"), why,
 * who placed it and when; while it is active (not removed) nothing it names
 * may be erased, and a case's hold holds every document linked to the case.
 * A removed hold stays, with who removed it, when and why (the database
 * refuses to delete a hold or to change it otherwise). A hold as JSON:
 * {"id", "target", "reason", "placed_by", "placed_at", "removed_by",
 * "removed_at", "removed_reason"} (the removed_* null while it is active).
 * Whether the target exists is the caller's to check (the catalog's).
 */

/* kt_access_hold_add: place a hold on target ("doc:ID" or "case:NUMBER",
 * borrowed), now, by placed_by, for reason (both required); id receives
 * its id. KT_OK; KT_FAILED when an argument is bad; KT_FATAL on database
 * errors. The message is on the handle. */
int kt_access_hold_add(kt_access *a, const char *target, const char *reason, const char *placed_by,
		       long long *id);

/* kt_access_hold_get: hold id as JSON into *out (new reference, caller
 * json_decref()s). KT_OK; KT_FAILED when there is no such hold; KT_FATAL
 * on database errors. */
int kt_access_hold_get(kt_access *a, long long id, json_t **out);

/* kt_access_hold_remove: remove active hold id, now, by removed_by, for
 * reason (both required); the row stays. KT_OK; KT_FAILED when there is no
 * such hold, it was removed already, or an argument is bad; KT_FATAL on
 * database errors. */
int kt_access_hold_remove(kt_access *a, long long id, const char *removed_by, const char *reason);

/* kt_access_holds_json: the holds, oldest first, only the active ones when
 * active_only (an empty array for a database that has none, also one opened
 * read-only before holds existed). New reference, caller json_decref()s;
 * NULL on error, the message on the handle. */
json_t *kt_access_holds_json(kt_access *a, int active_only);

/*
 * kt_access_doc_held: whether an active hold stops the erasure of document
 * doc_id.
 *   doc_id   the document (0: none, only the cases are looked at)
 *   cases    the case numbers the document is linked to (borrowed; NULL
 *            when n_cases is 0): a hold on any of them holds it
 *   why      (may be NULL) receives the first hold found, e.g. "hold 3 on
 *            case:PMLP-LV-2023-004571: appeal pending" (cut to why_size),
 *            "" when there is none
 * Returns 1 when held, 0 when not, -1 on error (the message on the handle).
 */
int kt_access_doc_held(kt_access *a, long long doc_id, const char *const *cases, size_t n_cases,
		       char *why, size_t why_size);

#ifdef __cplusplus
}
#endif

#endif
