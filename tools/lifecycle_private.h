/* lifecycle_private.h - what the commands of the data lifecycle share
 * (cmd_erase.c, cmd_erase_due.c, cmd_hold.c; defined in lifecycle_cli.c).
 * The rules of requests and decisions themselves are kt_web.h's
 * (kt_web_erase_request, kt_web_erase_decide), which the web calls too. */
#ifndef KT_LIFECYCLE_PRIVATE_H
#define KT_LIFECYCLE_PRIVATE_H

#include "cli.h"
#include "kt_access.h"
#include "kt_catalog.h"

#include <jansson.h>

/* kt_life_as: the command that runs ("erase", "hold"), named in what the
 * functions below say; set once, when the command starts ("erase" until
 * then). */
void kt_life_as(const char *cmd);

/* The exit status of an outcome: KT_OK and KT_WARN 0, KT_FAILED 1, else 2. */
int kt_life_exit(int rc);

/* Say "kartoteka CMD SUB: MSG" on stderr, safe to print; returns rc's
 * exit status. */
int kt_life_say(const char *sub, const char *msg, int rc);

/* The access database of the store, open for writing (caller frees with
 * kt_access_free); NULL when it cannot be (said). */
kt_access *kt_life_access(kt_cli *cli, const char *sub);

/* An audit row of user (role) from "cli"; KT_OK, or KT_FATAL said. */
int kt_life_audit(kt_access *a, const char *sub, const char *user, const char *role,
		   const char *action, const char *object);

/*
 * Who asks: user's password (from standard input) checked and their role one
 * of roles (NULL-terminated). KT_OK with role[16] filled; KT_FAILED said
 * (wrong password, disabled, rate limit, a role not allowed: then audited as
 * "denied" of what, with the object, and said as "only Rs may MAY", may
 * NULL: sub); KT_FATAL said.
 */
int kt_life_who(kt_access *a, const char *sub, const char *user, const char *const *roles,
		const char *what, const char *object, const char *may, char role[16]);

/* The store's access database opened read-only (caller frees with
 * kt_access_free); NULL with *none = 1 when the store has none (reading
 * makes nothing: no requests, no holds), NULL with *none = 0 when it cannot
 * be read (said). */
kt_access *kt_life_access_read(kt_cli *cli, const char *sub, int *none);

/*
 * kt_life_target: what "DOC", "CASE", "doc:ID" or "case:NUMBER" names in the
 * catalog, as kt_web_target (kt_web.h) reads it, the web's holds and
 * requests too: KT_OK with *doc_id (> 0) for a document, or *number
 * (pointing into arg) for a case the catalog has a record or documents of.
 * KT_FAILED said when it names neither, or both (a number that is a
 * document id and a case number: doc: or case: must say which); else the
 * catalog's code, said.
 */
int kt_life_target(kt_catalog *c, const char *sub, const char *arg, long long *doc_id,
		   const char **number);

/* The number an ID operand (a request's, a hold's) gives; 0 when it is none
 * (not a whole number from 1, or too large). */
long long kt_life_id(const char *arg);

/* 1 when the JSON array of ids holds id, else 0. */
int kt_life_has_id(json_t *ids, long long id);

/* `erase request --due --reason TEXT --user NAME`: the exit status. */
int kt_erase_due(kt_cli *cli, const char *reason, const char *user);

#endif
