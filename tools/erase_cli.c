/* erase_cli.c - what the erase command's files share (erase_private.h): how
 * an erase subcommand exits, speaks, opens the access database, audits, and
 * checks who asks. */
#include "cli.h"
#include "erase_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kt_erase_exit(int rc)
{
	return rc >= KT_WARN ? KT_EXIT_OK : rc == KT_FAILED ? KT_EXIT_SOME_FAILED : KT_EXIT_FATAL;
}

/* Say "kartoteka erase SUB: MSG" on stderr, safe to print; returns rc's
 * exit status. */
int kt_erase_say(const char *sub, const char *msg, int rc)
{
	fprintf(stderr, "kartoteka erase %s: ", sub);
	kt_cli_print_safe(stderr, msg);
	fputc('\n', stderr);
	return kt_erase_exit(rc);
}

/* Open the access database of the store for writing; NULL when it cannot
 * be (said). */
kt_access *kt_erase_access(kt_cli *cli, const char *sub)
{
	kt_access *a = NULL;
	kt_error err = { 0 };

	if (!kt_cli_have_store(cli, "erase"))
		return NULL;
	if (kt_access_open(cli->store_dir, &a, &err) != KT_OK) {
		kt_erase_say(sub, err.msg, KT_FATAL);
		return NULL;
	}
	return a;
}

/* Write an audit row of user (role) from "cli"; KT_OK, or KT_FATAL said. */
int kt_erase_audit(kt_access *a, const char *sub, const char *user, const char *role,
		 const char *action, const char *object)
{
	if (kt_access_audit(a, user, role, action, object, "cli") == KT_OK)
		return KT_OK;
	kt_erase_say(sub, kt_access_errmsg(a), KT_FATAL);
	return KT_FATAL;
}

/*
 * Who asks: check user's password (from standard input) and that their
 * role is one of roles (NULL-terminated). KT_OK with role[16] filled;
 * KT_FAILED said (wrong password, disabled, rate limit, a role not allowed:
 * then audited as "denied" of what, with the object); KT_FATAL said.
 */
int kt_erase_who(kt_access *a, const char *sub, const char *user, const char *const *roles,
	       const char *what, const char *object, char role[16])
{
	char *pw = kt_cli_read_password();
	char denied[300];
	int rc;
	size_t i;

	if (pw == NULL) {
		kt_erase_say(sub, "no password on standard input", KT_FAILED);
		return KT_FAILED;
	}
	rc = kt_access_check(a, user, pw, strlen(pw), "cli", role, NULL);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	if (rc != KT_OK) {
		kt_erase_say(sub, kt_access_errmsg(a), rc);
		return rc;
	}
	for (i = 0; roles[i] != NULL; i++)
		if (strcmp(role, roles[i]) == 0)
			return KT_OK;
	snprintf(denied, sizeof denied, "%s %s", what, object);
	if (kt_erase_audit(a, sub, user, role, "denied", denied) != KT_OK)
		return KT_FATAL;
	fprintf(stderr, "kartoteka erase %s: '", sub);
	kt_cli_print_safe(stderr, user);
	fprintf(stderr, "' is %s %s: only %ss%s%s%s may %s\n",
		role[0] == 'a' || role[0] == 'o' ? "an" : "a", role, roles[0], roles[1] ? " and " : "",
		roles[1] ? roles[1] : "", roles[1] ? "s" : "", sub);
	return KT_FAILED;
}

/* 1 when the array of ids holds id. */
int kt_erase_has_id(json_t *ids, long long id)
{
	size_t i;
	json_t *v;

	json_array_foreach(ids, i, v)
		if (json_integer_value(v) == id)
			return 1;
	return 0;
}
