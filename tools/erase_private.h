/* erase_private.h - what the files of the erase command share (cmd_erase.c,
 * cmd_erase_due.c; defined in erase_cli.c). */
#ifndef KT_ERASE_PRIVATE_H
#define KT_ERASE_PRIVATE_H

#include "cli.h"
#include "kt_access.h"

#include <jansson.h>

/* The exit status of an outcome: KT_OK and KT_WARN 0, KT_FAILED 1, else 2. */
int kt_erase_exit(int rc);

/* Say "kartoteka erase SUB: MSG" on stderr, safe to print; returns rc's
 * exit status. */
int kt_erase_say(const char *sub, const char *msg, int rc);

/* The access database of the store, open for writing (caller frees with
 * kt_access_free); NULL when it cannot be (said). */
kt_access *kt_erase_access(kt_cli *cli, const char *sub);

/* An audit row of user (role) from "cli"; KT_OK, or KT_FATAL said. */
int kt_erase_audit(kt_access *a, const char *sub, const char *user, const char *role,
		   const char *action, const char *object);

/*
 * Who asks: user's password (from standard input) checked and their role one
 * of roles (NULL-terminated). KT_OK with role[16] filled; KT_FAILED said
 * (wrong password, disabled, rate limit, a role not allowed: then audited as
 * "denied" of what, with the object); KT_FATAL said.
 */
int kt_erase_who(kt_access *a, const char *sub, const char *user, const char *const *roles,
		 const char *what, const char *object, char role[16]);

/* 1 when the JSON array of ids holds id, else 0. */
int kt_erase_has_id(json_t *ids, long long id);

/* `erase request --due --reason TEXT --user NAME`: the exit status. */
int kt_erase_due(kt_cli *cli, const char *reason, const char *user);

#endif
