/* cmd_web.c - `kartoteka serve`, `kartoteka user` and `kartoteka audit`: the
 * web interface and its access database (STORE/access.sqlite). */
#include "cli.h"
#include "kt_access.h"
#include "kt_web.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* Open the access database of the store (which must exist). */
static kt_access *open_access(kt_cli *cli, const char *cmd)
{
	kt_access *a = NULL;
	kt_error err = { 0 };
	struct stat st;

	if (stat(cli->store_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "kartoteka %s: no store at '%s'\n", cmd, cli->store_dir);
		return NULL;
	}
	if (kt_access_open(cli->store_dir, &a, &err) != KT_OK) {
		fprintf(stderr, "kartoteka %s: %s\n", cmd, err.msg);
		return NULL;
	}
	return a;
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

int kt_cmd_user(kt_cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	kt_access *a;
	char *pw;
	int rc, json = 0, i;

	if (!strcmp(sub, "add")) {
		const char *name = NULL, *role = NULL;

		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--role") && i + 1 < argc)
				role = argv[++i];
			else if (name == NULL)
				name = argv[i];
			else
				return kt_cli_usage("user", "too many arguments");
		}
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
		if (argc != 3)
			return kt_cli_usage("user", "give one user name");
		if ((a = open_access(cli, "user")) == NULL)
			return KT_EXIT_FATAL;
		if (!strcmp(sub, "disable"))
			return finish(&a, kt_access_user_disable(a, argv[2]), sub);
		if ((pw = read_password()) == NULL) {
			kt_access_free(&a);
			fprintf(stderr, "kartoteka user passwd: no password on standard input\n");
			return KT_EXIT_SOME_FAILED;
		}
		rc = kt_access_user_passwd(a, argv[2], pw);
		free(pw);
		return finish(&a, rc, sub);
	}
	if (!strcmp(sub, "assign")) {
		if (argc != 4)
			return kt_cli_usage("user", "user assign needs NAME and CASE");
		if ((a = open_access(cli, "user")) == NULL)
			return KT_EXIT_FATAL;
		return finish(&a, kt_access_user_assign(a, argv[2], argv[3]), sub);
	}
	if (!strcmp(sub, "list")) {
		json_t *users, *u, *v;
		size_t k, j;

		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--json"))
				json = 1;
			else
				return kt_cli_usage("user", "unknown argument");
		}
		if ((a = open_access(cli, "user")) == NULL)
			return KT_EXIT_FATAL;
		if ((users = kt_access_users_json(a)) == NULL)
			return finish(&a, KT_FATAL, sub);
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
		return finish(&a, KT_OK, sub);
	}
	return kt_cli_usage("user", "unknown or missing subcommand");
}

int kt_cmd_audit(kt_cli *cli, int argc, char **argv)
{
	const char *user = NULL, *since = NULL;
	int json = 0, limit = 0, i;
	json_t *rows, *row;
	kt_access *a;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--user") && i + 1 < argc)
			user = argv[++i];
		else if (!strcmp(argv[i], "--since") && i + 1 < argc)
			since = argv[++i];
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = atoi(argv[++i]);
		else
			return kt_cli_usage("audit", "unknown argument");
	}
	if ((a = open_access(cli, "audit")) == NULL)
		return KT_EXIT_FATAL;
	if ((rows = kt_access_audit_json(a, user, since, limit)) == NULL) {
		fprintf(stderr, "kartoteka audit: %s\n", kt_access_errmsg(a));
		kt_access_free(&a);
		return KT_EXIT_FATAL;
	}
	json_array_foreach(rows, k, row) {
		if (json) {
			kt_cli_print_json(row);
			continue;
		}
		printf("%s %-16s %-9s %-12s %-15s %s\n", json_string_value(json_object_get(row, "at")),
		       json_string_value(json_object_get(row, "user")),
		       json_string_value(json_object_get(row, "role")),
		       json_string_value(json_object_get(row, "action")),
		       json_string_value(json_object_get(row, "remote")),
		       json_string_value(json_object_get(row, "object")));
	}
	json_decref(rows);
	kt_access_free(&a);
	return KT_EXIT_OK;
}

int kt_cmd_serve(kt_cli *cli, int argc, char **argv)
{
	kt_web_opts opts = { 0 };
	kt_error err = { 0 };
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			opts.listen = argv[++i];
		else if (!strncmp(argv[i], "--listen=", 9))
			opts.listen = argv[i] + 9;
		else if (!strcmp(argv[i], "--secure-cookies"))
			opts.secure_cookies = 1;
		else if (!strcmp(argv[i], "--behind-proxy"))
			opts.behind_proxy = 1;
		else
			return kt_cli_usage("serve", "unknown argument");
	}
	if (kt_web_serve(cli->store_dir, &opts, &err) != KT_OK) {
		fprintf(stderr, "kartoteka serve: %s\n", err.msg);
		return KT_EXIT_FATAL;
	}
	return KT_EXIT_OK;
}
