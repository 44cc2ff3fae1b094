/*
 * cli_owner.c - root acts as the store's owner (issue 23, "Install"): the
 * packaged store /var/lib/kartoteka belongs to the system user kartoteka,
 * and an administrator who runs `kartoteka ...` as root must not leave
 * root-owned files in it that the services (User=kartoteka) then cannot
 * write. So a process running as root on a store another user owns drops to
 * that user, for good, before the command runs: its supplementary groups
 * (initgroups), its group, then its user id, as su and runuser do.
 */
#include "cli.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The owner of the store folder, else of the folder it would be made in. */
static int owner_of(const char *store_dir, struct stat *st)
{
	char *copy;
	int rc;

	if (stat(store_dir, st) == 0)
		return 0;
	if (errno != ENOENT || (copy = strdup(store_dir)) == NULL)
		return -1;
	rc = stat(dirname(copy), st);
	free(copy);
	return rc;
}

int kt_cli_become_owner(const char *store_dir)
{
	struct passwd *pw;
	struct stat st;
	int groups;

	if (geteuid() != 0 || owner_of(store_dir, &st) != 0 || st.st_uid == 0)
		return 0;
	pw = getpwuid(st.st_uid);
	groups = pw != NULL ? initgroups(pw->pw_name, st.st_gid) : setgroups(0, NULL);
	if (groups != 0 || setgid(st.st_gid) != 0 || setuid(st.st_uid) != 0) {
		fprintf(stderr, "kartoteka: the store '%s' belongs to user %lu: cannot act as that user:"
			" %s\n", store_dir, (unsigned long)st.st_uid, strerror(errno));
		return -1;
	}
	/* gone for good: root cannot be had back */
	if (setuid(0) == 0) {
		fprintf(stderr, "kartoteka: could not give up root for the store '%s'\n", store_dir);
		return -1;
	}
	if (pw != NULL && getenv("HOME") != NULL)
		setenv("HOME", pw->pw_dir, 1);
	return 0;
}
