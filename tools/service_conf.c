/*
 * service_conf.c - the service configuration (issue 23; docs/install.md,
 * "Which file holds what"): how kartoteka runs on a server, not how it
 * archives. "key = value" lines, # comments:
 *
 *   store  = /var/lib/kartoteka      the store when --store and
 *                                    $KARTOTEKA_STORE do not say
 *   listen = 127.0.0.1:8080          `serve`'s address when --listen does not
 *   watch  = /srv/scans              a folder `watch` takes files from (one
 *                                    line each) when none is given
 *   done   = /srv/scans-done         where `watch` moves what it took in
 *   failed = /srv/scans-failed       where `watch` moves what failed
 *   quiet  = 10                      seconds a file must stay unchanged
 *   poll   = 0                       seconds between scans of the folders
 *                                    (0: inotify alone)
 *
 * The file is $KARTOTEKA_CONFIG when set (empty: none), else
 * SYSCONFDIR/kartoteka/kartoteka.conf when it exists (/etc/kartoteka/ when
 * installed under /usr, as the Debian package is). Everything about the archive
 * itself stays in the store's own kartoteka.conf (kt_config, pipeline/).
 */
#include "cli.h"
#include "kt_text.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef KT_SYSCONFDIR
#define KT_SYSCONFDIR "/etc"
#endif
/* /etc/kartoteka/kartoteka.conf when installed under /usr */
#define KT_SERVICE_CONF_DEFAULT KT_SYSCONFDIR "/kartoteka/kartoteka.conf"

/* Set *slot to a copy of v (a later line wins); KT_OK or KT_FATAL. */
static int set_str(char **slot, const char *v)
{
	char *d = strdup(v);

	if (d == NULL)
		return KT_FATAL;
	free(*slot);
	*slot = d;
	return KT_OK;
}

/* A whole number of seconds from 0 to max into *out; 0 or -1. */
static int seconds(const char *v, int max, int *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

/* One "key = value" line into c; KT_OK, or KT_FAILED with why in err. */
static int one_line(kt_service_conf *c, const char *path, int ln, char *line, kt_error *err)
{
	char *eq = strchr(line, '='), *k, *v;

	if (eq == NULL)
		return kt_error_set(err, KT_FAILED, "%s:%d: expected key = value", path, ln);
	*eq = '\0';
	k = kt_text_trim(line);
	v = kt_text_trim(eq + 1);
	if (strcmp(k, "store") == 0 || strcmp(k, "listen") == 0 || strcmp(k, "done") == 0 ||
	    strcmp(k, "failed") == 0 || strcmp(k, "watch") == 0) {
		if (v[0] == '\0')
			return kt_error_set(err, KT_FAILED, "%s:%d: %s needs a value", path, ln, k);
		if (k[0] == 'w')
			return kt_strv_push(&c->watch, v) == KT_OK ? KT_OK :
			       kt_error_set(err, KT_FATAL, "out of memory");
		if (set_str(k[0] == 's' ? &c->store : k[0] == 'l' ? &c->listen :
			    k[0] == 'd' ? &c->done_dir : &c->failed_dir, v) != KT_OK)
			return kt_error_set(err, KT_FATAL, "out of memory");
		return KT_OK;
	}
	if (strcmp(k, "quiet") == 0 || strcmp(k, "poll") == 0) {
		if (seconds(v, 86400, k[0] == 'q' ? &c->quiet : &c->poll) != 0)
			return kt_error_set(err, KT_FAILED, "%s:%d: %s wants whole seconds from 0 to "
					    "86400, not '%s'", path, ln, k, v);
		return KT_OK;
	}
	return kt_error_set(err, KT_FAILED, "%s:%d: unknown key '%s' (store, listen, watch, done,"
			    " failed, quiet, poll; the archive's settings go in the store's own"
			    " kartoteka.conf)", path, ln, k);
}

int kt_service_conf_load(kt_service_conf *c, kt_error *err)
{
	const char *env = getenv("KARTOTEKA_CONFIG");
	const char *path = env != NULL ? env : KT_SERVICE_CONF_DEFAULT;
	char *line = NULL;
	size_t cap = 0;
	int ln = 0, rc = KT_OK;
	FILE *f;

	memset(c, 0, sizeof *c);
	if (path[0] == '\0')
		return KT_OK;
	if ((f = fopen(path, "r")) == NULL) {
		/* the default file is optional; one named by the environment is not */
		if (env == NULL && errno == ENOENT)
			return KT_OK;
		return kt_error_set(err, KT_FAILED, "cannot read the service configuration '%s': %s",
				    path, strerror(errno));
	}
	while (rc == KT_OK && getline(&line, &cap, f) >= 0) {
		char *t = kt_text_trim(line);

		ln++;
		if (t[0] != '\0' && t[0] != '#')
			rc = one_line(c, path, ln, t, err);
	}
	if (rc == KT_OK && ferror(f))
		rc = kt_error_set(err, KT_FAILED, "cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	free(line);
	if (rc == KT_OK && (c->path = strdup(path)) == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	if (rc != KT_OK)
		kt_service_conf_release(c);
	return rc;
}

void kt_service_conf_release(kt_service_conf *c)
{
	free(c->path);
	free(c->store);
	free(c->listen);
	free(c->done_dir);
	free(c->failed_dir);
	kt_strv_release(&c->watch);
	memset(c, 0, sizeof *c);
}
