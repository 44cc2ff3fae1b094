/* lifecycle_private.h - what the commands of the data lifecycle share
 * (cmd_erase.c, cmd_erase_due.c, cmd_hold.c; defined in lifecycle_cli.c). */
#ifndef KT_LIFECYCLE_PRIVATE_H
#define KT_LIFECYCLE_PRIVATE_H

#include "cli.h"
#include "kt_access.h"

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

/* 1 when the JSON array of ids holds id, else 0. */
int kt_life_has_id(json_t *ids, long long id);

/* `erase request --due --reason TEXT --user NAME`: the exit status. */
int kt_erase_due(kt_cli *cli, const char *reason, const char *user);

#endif
