/* lifecycle_cli.c - what the commands of the data lifecycle share (erase,
 * hold; lifecycle_private.h): how a subcommand exits, speaks, opens the
 * access database, audits, and checks who asks. */
#include "cli.h"
#include "lifecycle_private.h"

#include "kt_catalog.h"
#include "kt_web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The command that runs: one per process (kt_life_as). */
static const char *command = "erase";

void kt_life_as(const char *cmd)
{
	command = cmd;
}

int kt_life_exit(int rc)
{
	return rc >= KT_WARN ? KT_EXIT_OK : rc == KT_FAILED ? KT_EXIT_SOME_FAILED : KT_EXIT_FATAL;
}

int kt_life_say(const char *sub, const char *msg, int rc)
{
	fprintf(stderr, "kartoteka %s%s%s: ", command, sub[0] ? " " : "", sub);
	kt_cli_print_safe(stderr, msg);
	fputc('\n', stderr);
	return kt_life_exit(rc);
}

kt_access *kt_life_access(kt_cli *cli, const char *sub)
{
	kt_access *a = NULL;
	kt_error err = { 0 };

	if (!kt_cli_have_store(cli, command))
		return NULL;
	if (kt_access_open(cli->store_dir, &a, &err) != KT_OK) {
		kt_life_say(sub, err.msg, KT_FATAL);
		return NULL;
	}
	return a;
}

int kt_life_audit(kt_access *a, const char *sub, const char *user, const char *role,
		 const char *action, const char *object)
{
	if (kt_access_audit(a, user, role, action, object, "cli") == KT_OK)
		return KT_OK;
	kt_life_say(sub, kt_access_errmsg(a), KT_FATAL);
	return KT_FATAL;
}

int kt_life_who(kt_access *a, const char *sub, const char *user, const char *const *roles,
		const char *what, const char *object, const char *may, char role[16])
{
	char *pw = kt_cli_read_password();
	char denied[300];
	int rc;
	size_t i;

	if (pw == NULL) {
		kt_life_say(sub, "no password on standard input", KT_FAILED);
		return KT_FAILED;
	}
	rc = kt_access_check(a, user, pw, strlen(pw), "cli", role, NULL);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	if (rc != KT_OK) {
		kt_life_say(sub, kt_access_errmsg(a), rc);
		return rc;
	}
	for (i = 0; roles[i] != NULL; i++)
		if (strcmp(role, roles[i]) == 0)
			return KT_OK;
	snprintf(denied, sizeof denied, "%s %s", what, object);
	if (kt_life_audit(a, sub, user, role, "denied", denied) != KT_OK)
		return KT_FATAL;
	fprintf(stderr, "kartoteka %s%s%s: '", command, sub[0] ? " " : "", sub);
	kt_cli_print_safe(stderr, user);
	fprintf(stderr, "' is %s %s: only %ss%s%s%s may %s\n",
		role[0] == 'a' || role[0] == 'o' ? "an" : "a", role, roles[0], roles[1] ? " and " : "",
		roles[1] ? roles[1] : "", roles[1] ? "s" : "", may ? may : sub);
	return KT_FAILED;
}

int kt_life_has_id(json_t *ids, long long id)
{
	size_t i;
	json_t *v;

	json_array_foreach(ids, i, v)
		if (json_integer_value(v) == id)
			return 1;
	return 0;
}

kt_access *kt_life_access_read(kt_cli *cli, const char *sub, int *none)
{
	char path[4096];
	struct stat st;
	kt_access *a = NULL;
	kt_error err = { 0 };

	*none = 0;
	if (!kt_cli_have_store(cli, command))
		return NULL;
	if (snprintf(path, sizeof path, "%s/access.sqlite", cli->store_dir) >= (int)sizeof path) {
		kt_life_say(sub, "the store path is too long", KT_FATAL);
		return NULL;
	}
	if (stat(path, &st) != 0 && errno == ENOENT) {
		*none = 1;
		return NULL;
	}
	if (kt_access_open_readonly(cli->store_dir, &a, &err) != KT_OK) {
		kt_life_say(sub, err.msg, KT_FATAL);
		return NULL;
	}
	return a;
}

int kt_life_target(kt_catalog *c, const char *sub, const char *arg, long long *doc_id,
		   const char **number)
{
	char why[KT_ERRMSG_MAX + 600];
	int rc = kt_web_target(c, arg, doc_id, number, why, sizeof why, NULL);

	if (rc != KT_OK)
		kt_life_say(sub, why, rc);
	return rc;
}

long long kt_life_id(const char *arg)
{
	char *end;
	long long id;

	errno = 0;
	id = strtoll(arg, &end, 10);
	return arg[0] < '1' || arg[0] > '9' || *end != '\0' || errno != 0 ? 0 : id;
}
