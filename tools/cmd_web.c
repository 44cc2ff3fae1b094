/* cmd_web.c - `kartoteka serve`, `kartoteka user` and `kartoteka audit`: the
 * web interface and its access database (STORE/access.sqlite). */
#include "cli.h"
#include "kt_access.h"
#include "kt_web.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

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

/* 1 when this process may write STORE/access.sqlite (and make its journal
 * next to it), as kt_access_open needs. */
static int access_writable(const char *dir, const char *path)
{
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
		return 0;
	return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

/* "file:" URI of a path, each byte that is not plain percent-encoded. */
static char *file_uri(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), k = 0, i;
	char *u = malloc(3 * n + strlen(query) + 8);

	if (u == NULL)
		return NULL;
	memcpy(u, "file:", 5);
	k = 5;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("/._-~", c) != NULL) {
			u[k++] = (char)c;
		} else {
			u[k++] = '%';
			u[k++] = hex[c >> 4];
			u[k++] = hex[c & 15];
		}
	}
	u[k++] = '?';
	strcpy(u + k, query);
	return u;
}

/* Open path read-only with the URI query; 0 when a read works. */
static int open_ro(const char *path, const char *query, sqlite3 **db)
{
	char *uri = file_uri(path, query);
	int rc = SQLITE_NOMEM;

	*db = NULL;
	if (uri != NULL)
		rc = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(*db, 5000);
		rc = sqlite3_exec(*db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	}
	return rc;
}

/* The access database of a store this user cannot write, read-only: an
 * auditor reads the log without write access to the store. A WAL database
 * needs its -shm file, which a reader may not be able to make; when there
 * is no -wal file either, the database file holds every row and is read as
 * it is (immutable). kt_access_open sets the database up for writing, so
 * the two reads (users, audit) are made here on the same tables. */
static sqlite3 *open_access_ro(const char *cmd, const char *path)
{
	sqlite3 *db = NULL;
	char wal[4096];
	struct stat st;
	int rc = open_ro(path, "mode=ro", &db);

	if (rc != SQLITE_OK && snprintf(wal, sizeof wal, "%s-wal", path) < (int)sizeof wal &&
	    stat(wal, &st) != 0 && errno == ENOENT) {
		sqlite3_close(db);
		rc = open_ro(path, "immutable=1", &db);
	}
	if (rc != SQLITE_OK) {
		fprintf(stderr, "kartoteka %s: cannot read '%s': %s\n", cmd, path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* The users as kt_access_users_json gives them, from a read-only database. */
static json_t *users_ro(sqlite3 *db)
{
	sqlite3_stmt *st = NULL, *cs = NULL;
	json_t *arr = json_array();
	int rc = SQLITE_ERROR;

	if (sqlite3_prepare_v2(db, "SELECT name, role, disabled, created FROM users ORDER BY name", -1,
			       &st, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT case_number FROM assignments JOIN users ON users.id = user_id"
			       " WHERE name = ? ORDER BY case_number", -1, &cs, NULL) == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0);
			json_t *cases = json_array();

			sqlite3_reset(cs);
			sqlite3_bind_text(cs, 1, name, -1, SQLITE_TRANSIENT);
			while ((rc = sqlite3_step(cs)) == SQLITE_ROW)
				json_array_append_new(cases,
						      json_string((const char *)sqlite3_column_text(cs, 0)));
			if (rc != SQLITE_DONE) {
				json_decref(cases);
				break;
			}
			json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name,
							     "role", (const char *)sqlite3_column_text(st, 1),
							     "disabled", sqlite3_column_int(st, 2),
							     "created", (const char *)sqlite3_column_text(st, 3),
							     "cases", cases));
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(cs);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "kartoteka user list: cannot list users: %s\n", sqlite3_errmsg(db));
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* The audit rows as kt_access_audit_json gives them, from a read-only database. */
static json_t *audit_ro(sqlite3 *db, const char *user, const char *since, int limit)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	int rc = SQLITE_ERROR;

	if (sqlite3_prepare_v2(db, "SELECT * FROM (SELECT id, at, user, role, action, object, remote"
			       " FROM audit WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL OR at >= ?2)"
			       " ORDER BY id DESC LIMIT ?3) ORDER BY id", -1, &st, NULL) == SQLITE_OK) {
		if (user)
			sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
		if (since)
			sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
				"id", (json_int_t)sqlite3_column_int64(st, 0),
				"at", (const char *)sqlite3_column_text(st, 1),
				"user", (const char *)sqlite3_column_text(st, 2),
				"role", (const char *)sqlite3_column_text(st, 3),
				"action", (const char *)sqlite3_column_text(st, 4),
				"object", (const char *)sqlite3_column_text(st, 5),
				"remote", (const char *)sqlite3_column_text(st, 6)));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "kartoteka audit: cannot read the audit log: %s\n", sqlite3_errmsg(db));
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/*
 * What `user list` (audit 0) or `audit` (audit 1) prints, as JSON; NULL when
 * it cannot be read (said on stderr). Reading makes nothing: a folder that
 * holds no store is refused, a store without an access database has no
 * users and no audit rows, and a store this user cannot write is read
 * read-only.
 */
static json_t *read_access(kt_cli *cli, int audit, const char *user, const char *since, int limit)
{
	const char *cmd = audit ? "audit" : "user list";
	char path[4096];
	struct stat st;
	json_t *rows;

	if (!kt_cli_have_store(cli, cmd))
		return NULL;
	if (snprintf(path, sizeof path, "%s/access.sqlite", cli->store_dir) >= (int)sizeof path) {
		fprintf(stderr, "kartoteka %s: store path '%s' is too long\n", cmd, cli->store_dir);
		return NULL;
	}
	if (stat(path, &st) != 0 && errno == ENOENT)
		return json_array();
	if (access_writable(cli->store_dir, path)) {
		kt_access *a = open_access(cli, audit ? "audit" : "user");

		if (a == NULL)
			return NULL;
		rows = audit ? kt_access_audit_json(a, user, since, limit) : kt_access_users_json(a);
		if (rows == NULL)
			fprintf(stderr, "kartoteka %s: %s\n", cmd, kt_access_errmsg(a));
		kt_access_free(&a);
	} else {
		sqlite3 *db = open_access_ro(cmd, path);

		if (db == NULL)
			return NULL;
		rows = audit ? audit_ro(db, user, since, limit) : users_ro(db);
		sqlite3_close(db);
	}
	return rows;
}

/* A password from standard input: one line (no echo on a terminal). */
static char *read_password(void)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		fprintf(stderr, "password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
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
		if ((pw = read_password()) == NULL) {
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
		if ((pw = read_password()) == NULL) {
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
	"  --listen HOST:PORT  IPv4 address and port (default 127.0.0.1:8080; port 0\n"
	"                      picks a free one). Keep it on loopback and put a TLS\n"
	"                      reverse proxy in front (docs/web.md)\n"
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
	kt_web_opts opts = { 0 };
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
