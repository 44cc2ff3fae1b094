/* cli_audit.c - command-line reads of personal data (show, docs, export,
 * case, search) in the audit log of the store, STORE/access.sqlite, with the
 * operating system user (docs/web.md, "What is audited"). */
#include "cli.h"
#include "kt_access.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* 1 when this process may write the store and its access database (made
 * when missing, with its -wal and -shm files), as kt_access_open needs. */
static int audit_writable(const char *dir)
{
	static const char *const files[] = { "access.sqlite", "access.sqlite-wal",
					     "access.sqlite-shm" };
	char path[4096];
	size_t i;

	if (!kt_store_writable(dir))
		return 0;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (snprintf(path, sizeof path, "%s/%s", dir, files[i]) >= (int)sizeof path)
			return 0;
		if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0 && errno != ENOENT)
			return 0;
	}
	return 1;
}

void kt_cli_os_user(char *out, size_t n)
{
	uid_t uid = geteuid();
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		snprintf(out, n, "%s", pw->pw_name);
	else
		snprintf(out, n, "uid:%lu", (unsigned long)uid);
}

int kt_cli_audit(kt_cli *cli, const char *cmd, const char *object)
{
	static int said;
	char user[256];
	kt_access *a = NULL;
	kt_error err = { 0 };
	int attempt, rc = KT_FATAL;

	if (!audit_writable(cli->store_dir)) {
		/* file permissions are the control here */
		if (!said)
			fprintf(stderr, "kartoteka %s: the store cannot be written: this read is not"
				" recorded in the audit log\n", cmd);
		said = 1;
		return 0;
	}
	kt_cli_os_user(user, sizeof user);
	/* several readers may make a missing access.sqlite at once: a failed
	 * open is tried again a few times (locks wait in SQLite's busy timeout) */
	for (attempt = 0; attempt < 5 && a == NULL; attempt++) {
		if (attempt > 0) {
			struct timespec ts = { 0, 200 * 1000 * 1000L };

			nanosleep(&ts, NULL);
		}
		if (kt_access_open(cli->store_dir, &a, &err) != KT_OK)
			a = NULL;
	}
	if (a != NULL) {
		rc = kt_access_audit(a, user, "cli", cmd, object, "local");
		if (rc != KT_OK)
			snprintf(err.msg, sizeof err.msg, "%s", kt_access_errmsg(a));
		kt_access_free(&a);
		if (rc == KT_OK)
			return 0;
	}
	fprintf(stderr, "kartoteka %s: cannot record this read in the audit log, so it is refused: %s\n",
		cmd, err.msg);
	return -1;
}
