/* cmd_web.c - `kartoteka serve`, `kartoteka user` and `kartoteka audit`: the
 * web interface and its access database (STORE/access.sqlite). */
#include "cli.h"
#include "kt_access.h"
#include "kt_web.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Open the access database of the store for writing (made when missing); a
 * folder that holds no store is refused and nothing is made in it. */
static kt_access *open_access(kt_cli *cli, const char *cmd)
{
	kt_access *a = NULL;
	kt_error err = { 0 };

	if (!kt_cli_have_store(cli, cmd))
		return NULL;
	if (kt_access_open(cli->store_dir, &a, &err) != KT_OK) {
		fprintf(stderr, "kartoteka %s: %s\n", cmd, err.msg);
		return NULL;
	}
	return a;
}

/*
 * What `user list` (audit 0) or `audit` (audit 1) prints, as JSON; NULL when
 * it cannot be read (said on stderr). Reading makes nothing: a folder that
 * holds no store is refused, a store without an access database has no
 * users and no audit rows, and the database is opened read-only (an
 * auditor may read a store they cannot write).
 */
static json_t *read_access(kt_cli *cli, int audit, const char *user, const char *since, int limit)
{
	const char *cmd = audit ? "audit" : "user list";
	char path[4096];
	struct stat st;
	kt_access *a = NULL;
	kt_error err = { 0 };
	json_t *rows;

	if (!kt_cli_have_store(cli, cmd))
		return NULL;
	if (snprintf(path, sizeof path, "%s/access.sqlite", cli->store_dir) >= (int)sizeof path) {
		fprintf(stderr, "kartoteka %s: store path '%s' is too long\n", cmd, cli->store_dir);
		return NULL;
	}
	if (stat(path, &st) != 0 && errno == ENOENT)
		return json_array();
	if (kt_access_open_readonly(cli->store_dir, &a, &err) != KT_OK) {
		fprintf(stderr, "kartoteka %s: %s\n", cmd, err.msg);
		return NULL;
	}
	rows = audit ? kt_access_audit_json(a, user, since, limit) : kt_access_users_json(a);
	if (rows == NULL)
		fprintf(stderr, "kartoteka %s: %s\n", cmd, kt_access_errmsg(a));
	kt_access_free(&a);
	return rows;
}

static int finish(kt_access **a, int rc, const char *what)
{
	if (rc != KT_OK)
		fprintf(stderr, "kartoteka user %s: %s\n", what, kt_access_errmsg(*a));
	kt_access_free(a);
	return rc == KT_OK ? KT_EXIT_OK : rc == KT_FAILED ? KT_EXIT_SOME_FAILED : KT_EXIT_FATAL;
}

const kt_command kt_command_user = {
	"user", "manage the users of the web interface",
	"usage: kartoteka [--store DIR] user add NAME --role ROLE\n"
	"       kartoteka [--store DIR] user passwd NAME\n"
	"       kartoteka [--store DIR] user disable NAME\n"
	"       kartoteka [--store DIR] user assign NAME CASE-NUMBER\n"
	"       kartoteka [--store DIR] user list [--json]\n"
	"\n"
	"Users live in STORE/access.sqlite, apart from the catalog, so they survive\n"
	"a rebuild. Roles: operator (batches, no document text), archivist (search\n"
	"and read everything), officer (read the cases assigned to them), admin\n"
	"(users and the audit log). add and passwd read the password (at least 8\n"
	"characters) as one line from standard input; it is stored as an Argon2id\n"
	"hash. disable ends the user's sessions. assign gives an officer a case; a\n"
	"case record whose 'officer' column holds the user's name does the same.\n"
	"Exit status: 0 done, 1 refused (unknown user, name taken, bad role), 2 fatal.\n",
	kt_cmd_user,
};

int kt_cmd_user(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *role = NULL, **args;
	kt_access *a;
	char *pw;
	int rc, json = 0, c, nargs;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		if (c == 'r')
			role = optarg;
		else if (c == 'J')
			json = 1;
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	sub = optind < argc ? argv[optind] : "";
	args = (const char **)argv + optind + 1;
	nargs = optind < argc ? argc - optind - 1 : 0;
	if (role != NULL && strcmp(sub, "add") != 0)
		return kt_cli_usage("user", "--role goes with 'user add' only");
	if (json && strcmp(sub, "list") != 0)
		return kt_cli_usage("user", "--json goes with 'user list' only");
	if (!strcmp(sub, "add")) {
		const char *name = nargs == 1 ? args[0] : NULL;

		if (nargs > 1)
			return kt_cli_usage("user", "too many arguments");
		if (name == NULL || role == NULL)
			return kt_cli_usage("user", "user add needs NAME and --role ROLE");
		if ((a = open_access(cli, "user")) == NULL)
			return KT_EXIT_FATAL;
		if ((pw = kt_cli_read_password()) == NULL) {
			kt_access_free(&a);
			fprintf(stderr, "kartoteka user add: no password on standard input\n");
			return KT_EXIT_SOME_FAILED;
		}
		rc = kt_access_user_add(a, name, role, pw);
		free(pw);
		return finish(&a, rc, "add");
	}
	if (!strcmp(sub, "passwd") || !strcmp(sub, "disable")) {
		if (nargs != 1)
			return kt_cli_usage("user", "give one user name");
		if ((a = open_access(cli, "user")) == NULL)
			return KT_EXIT_FATAL;
		if (!strcmp(sub, "disable"))
			return finish(&a, kt_access_user_disable(a, args[0]), sub);
		if ((pw = kt_cli_read_password()) == NULL) {
			kt_access_free(&a);
			fprintf(stderr, "kartoteka user passwd: no password on standard input\n");
			return KT_EXIT_SOME_FAILED;
		}
		rc = kt_access_user_passwd(a, args[0], pw);
		free(pw);
		return finish(&a, rc, sub);
	}
	if (!strcmp(sub, "assign")) {
		if (nargs != 2)
			return kt_cli_usage("user", "user assign needs NAME and CASE");
		if ((a = open_access(cli, "user")) == NULL)
			return KT_EXIT_FATAL;
		return finish(&a, kt_access_user_assign(a, args[0], args[1]), sub);
	}
	if (!strcmp(sub, "list")) {
		json_t *users, *u, *v;
		size_t k, j;

		if (nargs != 0)
			return kt_cli_usage("user", "too many arguments");
		if ((users = read_access(cli, 0, NULL, NULL, 0)) == NULL)
			return KT_EXIT_FATAL;
		json_array_foreach(users, k, u) {
			if (json) {
				kt_cli_print_json(u);
				continue;
			}
			printf("%-24s %-9s %-8s %s", json_string_value(json_object_get(u, "name")),
			       json_string_value(json_object_get(u, "role")),
			       json_is_true(json_object_get(u, "disabled")) ? "disabled" : "enabled",
			       json_string_value(json_object_get(u, "created")));
			json_array_foreach(json_object_get(u, "cases"), j, v)
				printf(" %s", json_string_value(v));
			printf("\n");
		}
		json_decref(users);
		return KT_EXIT_OK;
	}
	return kt_cli_usage("user", "unknown or missing subcommand");
}

const kt_command kt_command_audit = {
	"audit", "the audit log of every read through the web interface",
	"usage: kartoteka [--store DIR] audit [--user NAME] [--since DATE] [--limit N] [--json]\n"
	"\n"
	"Print the audit log, oldest first: time (UTC), user, role, action, from\n"
	"where, object. The log is append-only.\n"
	"  --user NAME   only this user's rows\n"
	"  --since DATE  only rows at or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)\n"
	"  --limit N     only the last N rows\n"
	"  --json        one JSON object per row\n",
	kt_cmd_audit,
};

int kt_cmd_audit(kt_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "user", required_argument, NULL, 'u' },
		{ "since", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *user = NULL, *since = NULL;
	int json = 0, limit = 0, c;
	long n;
	json_t *rows, *row;
	size_t k;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		switch (c) {
		case 'J': json = 1; break;
		case 'u': user = optarg; break;
		case 's':
			since = optarg;
			if (!kt_cli_date(since))
				return kt_cli_usage("audit", "--since wants YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 'l':
			if (kt_cli_number("audit", "--limit", optarg, 0, INT_MAX, &n) != 0)
				return KT_EXIT_FATAL;
			limit = (int)n;
			break;
		}
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("audit", "too many arguments");
	if ((rows = read_access(cli, 1, user, since, limit)) == NULL)
		return KT_EXIT_FATAL;
	json_array_foreach(rows, k, row) {
		if (json) {
			kt_cli_print_json(row);
			continue;
		}
		/* every field printed safe: a row may hold what a client chose */
		{
			static const char *const keys[6] = { "at", "user", "role", "action", "remote",
							     "object" };
			static const int widths[6] = { 0, 16, 9, 12, 15, 0 };

			for (int f = 0; f < 6; f++) {
				const char *v = json_string_value(json_object_get(row, keys[f]));
				int pad = widths[f] - (int)strlen(v ? v : "");

				if (f > 0)
					fputc(' ', stdout);
				kt_cli_print_safe(stdout, v);
				while (pad-- > 0)
					fputc(' ', stdout);
			}
			fputc('\n', stdout);
		}
	}
	json_decref(rows);
	return KT_EXIT_OK;
}

const kt_command kt_command_serve = {
	"serve", "the web interface for archivists, case officers and operators",
	"usage: kartoteka [--store DIR] serve [--listen HOST:PORT] [--secure-cookies]\n"
	"                                     [--behind-proxy] [--threads N]\n"
	"                                     [--max-connections N] [--per-address N]\n"
	"                                     [--request-timeout SECONDS]\n"
	"                                     [--session-idle SECONDS]\n"
	"\n"
	"Serve the store over HTTP: login, search, documents with their page images,\n"
	"cases, batches, the audit log, and a JSON API under /api/. Access is by\n"
	"role (users: 'kartoteka user'); every read is written to the audit log.\n"
	"Prints 'listening on http://HOST:PORT/' and serves until SIGINT or SIGTERM.\n"
	"\n"
	"  --listen HOST:PORT  IPv4 address and port (default: listen = of the service\n"
	"                      configuration, else 127.0.0.1:8080; port 0 picks a free\n"
	"                      one). Keep it on loopback and put a TLS reverse proxy\n"
	"                      in front (docs/web.md)\n"
	"  --secure-cookies    mark cookies Secure (the proxy speaks HTTPS)\n"
	"  --behind-proxy      take the client address for the audit log from the\n"
	"                      proxy's X-Real-IP header (only from a loopback peer)\n"
	"  --threads N         threads answering requests (default 4)\n"
	"  --max-connections N open connections in all (default 256)\n"
	"  --per-address N     open connections from one address (default 16; with\n"
	"                      --behind-proxy as many as --max-connections: every\n"
	"                      client comes from the proxy, which limits them)\n"
	"  --request-timeout SECONDS\n"
	"                      a connection that takes longer from its opening (or\n"
	"                      its previous answer) to its answer is closed, however\n"
	"                      slowly it sends; also the idle time (default 30)\n"
	"  --session-idle SECONDS\n"
	"                      a session not used for this long ends (default 1800)\n",
	kt_cmd_serve,
};

int kt_cmd_serve(kt_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "secure-cookies", no_argument, NULL, 'S' },
		{ "behind-proxy", no_argument, NULL, 'P' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-connections", required_argument, NULL, 'm' },
		{ "per-address", required_argument, NULL, 'a' },
		{ "request-timeout", required_argument, NULL, 'T' },
		{ "session-idle", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	kt_web_opts opts = { .listen = cli->service ? cli->service->listen : NULL };
	kt_error err = { 0 };
	int c;
	long n = 0;

	while ((c = kt_cli_getopt(argc, argv, options)) >= 0) {
		switch (c) {
		case 'l': opts.listen = optarg; break;
		case 'S': opts.secure_cookies = 1; break;
		case 'P': opts.behind_proxy = 1; break;
		case 't':
			if (kt_cli_number("serve", "--threads", optarg, 1, 256, &n) != 0)
				return KT_EXIT_FATAL;
			opts.threads = (int)n;
			break;
		case 'm':
			if (kt_cli_number("serve", "--max-connections", optarg, 1, 65536, &n) != 0)
				return KT_EXIT_FATAL;
			opts.max_connections = (int)n;
			break;
		case 'a':
			if (kt_cli_number("serve", "--per-address", optarg, 1, 65536, &n) != 0)
				return KT_EXIT_FATAL;
			opts.per_address = (int)n;
			break;
		case 'T':
			if (kt_cli_number("serve", "--request-timeout", optarg, 1, 3600, &n) != 0)
				return KT_EXIT_FATAL;
			opts.request_timeout = (int)n;
			break;
		case 'i':
			if (kt_cli_number("serve", "--session-idle", optarg, 1, 8 * 3600, &n) != 0)
				return KT_EXIT_FATAL;
			opts.session_idle = (int)n;
			break;
		}
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("serve", "too many arguments");
	if (!kt_cli_have_store(cli, "serve"))
		return KT_EXIT_FATAL;
	if (kt_web_serve(cli->store_dir, &opts, &err) != KT_OK) {
		fprintf(stderr, "kartoteka serve: %s\n", err.msg);
		return KT_EXIT_FATAL;
	}
	return KT_EXIT_OK;
}
