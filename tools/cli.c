/* cli.c - helpers the command files share (cli.h). */
#include "cli.h"
#include "kt_buf.h"
#include "kt_text.h"

#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

int kt_cli_have_store(kt_cli *cli, const char *cmd)
{
	struct stat st;

	if (kt_store_exists(cli->store_dir))
		return 1;
	if (stat(cli->store_dir, &st) != 0 && errno == ENOENT)
		fprintf(stderr, "kartoteka %s: no store at '%s': no such folder", cmd, cli->store_dir);
	else if (stat(cli->store_dir, &st) != 0)
		fprintf(stderr, "kartoteka %s: no store at '%s': %s", cmd, cli->store_dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		fprintf(stderr, "kartoteka %s: no store at '%s': not a folder", cmd, cli->store_dir);
	else
		fprintf(stderr, "kartoteka %s: '%s' holds no kartoteka store (a mistyped --store?)", cmd,
			cli->store_dir);
	fprintf(stderr, "; 'kartoteka init' makes one (as 'ingest' and 'cases import' do)\n");
	return 0;
}

kt_store *kt_cli_make(kt_cli *cli, const char *cmd)
{
	int made = !kt_store_exists(cli->store_dir);
	kt_store *s = kt_cli_open_any(cli, KT_STORE_WRITE);

	if (s != NULL && made)
		fprintf(stderr, "kartoteka %s: made a new store in '%s'\n", cmd, cli->store_dir);
	return s;
}

kt_store *kt_cli_open(kt_cli *cli, const char *cmd, int mode)
{
	return kt_cli_have_store(cli, cmd) ? kt_cli_open_any(cli, mode) : NULL;
}

kt_store *kt_cli_open_any(kt_cli *cli, int mode)
{
	kt_store *s = NULL;
	kt_error err = { 0 };

	if (kt_store_open(cli->store_dir, mode, &s, &err) != KT_OK) {
		fprintf(stderr, "kartoteka: %s\n", err.msg);
		return NULL;
	}
	return s;
}

void kt_cli_print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
}

void kt_cli_doc_summary(FILE *f, const kt_doc *doc)
{
	const char *status = kt_doc_status_name(doc->status);
	char *source = kt_doc_source_escape(doc);
	size_t i;

	fprintf(f, "%5lld  %-6s  %2zu p.  %-11s  %s", doc->id, status ? status : "?", doc->n_pages,
		doc->meta.doc_type ? doc->meta.doc_type : "-", source ? source : "?");
	free(source);
	for (i = 0; i < doc->n_links; i++)
		fprintf(f, "%s%s", i == 0 ? "  [" : ", ", doc->links[i].case_number);
	if (doc->n_links > 0)
		fputc(']', f);
	if (doc->status == KT_DOC_FAILED)
		fprintf(f, "\n       %s", doc->error ? doc->error : "(null)");
	fputc('\n', f);
}

/* The command whose options are parsed, kept between calls of kt_cli_getopt
 * (argv[0] of the first call): a new argv starts getopt again. */
static char **getopt_argv;

int kt_cli_getopt(int argc, char **argv, const struct option *opts)
{
	static const struct option help = { "help", no_argument, NULL, 'h' };
	struct option all[64];
	char shorts[3 * 64 + 4], *p = shorts;
	const char *cmd = argv[0];
	int n = 0, c, i;

	if (argv != getopt_argv) {
		getopt_argv = argv;
		optind = 0; /* glibc: start again, from argv[1] */
	}
	*p++ = ':'; /* a missing value is ':', told apart from an unknown option */
	for (i = 0; opts[i].name != NULL && n < 62; i++) {
		all[n++] = opts[i];
		if (opts[i].flag == NULL && opts[i].val > 0 && opts[i].val < 128 &&
		    ((opts[i].val >= 'a' && opts[i].val <= 'z') || (opts[i].val >= 'A' && opts[i].val <= 'Z'))) {
			*p++ = (char)opts[i].val;
			if (opts[i].has_arg == required_argument)
				*p++ = ':';
		}
	}
	all[n++] = help;
	memset(&all[n], 0, sizeof all[n]);
	*p++ = 'h';
	*p = '\0';
	opterr = 0;
	c = getopt_long(argc, argv, shorts, all, NULL);
	if (c == -1) {
		getopt_argv = NULL;
		return KT_CLI_END;
	}
	if (c == 'h') {
		getopt_argv = NULL;
		kt_cli_print_help(cmd);
		return KT_CLI_HELP;
	}
	if (c == '?' || c == ':') {
		const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
		char why[300];

		getopt_argv = NULL;
		if (c == ':')
			snprintf(why, sizeof why, "option '%s' needs a value", arg);
		else if (optopt != 0 && strncmp(arg, "--", 2) != 0)
			snprintf(why, sizeof why, "unknown option '-%c'", optopt);
		else
			snprintf(why, sizeof why, "unknown option '%.*s'", (int)strcspn(arg, "="), arg);
		kt_cli_usage(cmd, why);
		return KT_CLI_BAD;
	}
	return c;
}

int kt_cli_getopt_exit(int c)
{
	return c == KT_CLI_HELP ? KT_EXIT_OK : KT_EXIT_FATAL;
}

int kt_cli_number(const char *cmd, const char *option, const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
		char why[200];

		snprintf(why, sizeof why, "%s wants a number from %ld to %ld, not '%.40s'", option, min,
			 max, v);
		kt_cli_usage(cmd, why);
		return -1;
	}
	*out = n;
	return 0;
}

int kt_cli_date(const char *d)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t n = strlen(d), i;
	struct tm tm = { 0 }, back;
	time_t t;

	if (n != 10 && n != 20)
		return 0;
	for (i = 0; i < n; i++)
		if (form[i] == 'd' ? !(d[i] >= '0' && d[i] <= '9') : d[i] != form[i])
			return 0;
	tm.tm_year = atoi(d) - 1900;
	tm.tm_mon = atoi(d + 5) - 1;
	tm.tm_mday = atoi(d + 8);
	if (n == 20) {
		tm.tm_hour = atoi(d + 11);
		tm.tm_min = atoi(d + 14);
		tm.tm_sec = atoi(d + 17);
	}
	/* a real day and time: timegm normalises 2001-13-45 to another date */
	back = tm;
	t = timegm(&back);
	return t != (time_t)-1 && back.tm_year == tm.tm_year && back.tm_mon == tm.tm_mon &&
	       back.tm_mday == tm.tm_mday && back.tm_hour == tm.tm_hour && back.tm_min == tm.tm_min &&
	       back.tm_sec == tm.tm_sec;
}

void kt_cli_print_safe(FILE *f, const char *s)
{
	kt_buf b = KT_BUF_INIT;

	if (s != NULL && kt_utf8_add_printable(&b, s, strlen(s), 0, NULL) == KT_OK)
		fwrite(kt_buf_cstr(&b), 1, b.len, f);
	kt_buf_release(&b);
}

/* Parse "[--json] [ARG]": the argument (or NULL) into *arg and --json into
 * *json. Returns 0 to go on, -1 when the help was printed, or the exit
 * status of a usage error. */
int kt_cli_json_arg(const char *name, int argc, char **argv, int want_arg, int *json,
		    const char **arg)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = 0;
	*arg = NULL;
	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0)
		if (c == 'J')
			*json = 1;
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c) == KT_EXIT_OK ? -1 : KT_EXIT_FATAL;
	if (argc - optind > (want_arg ? 1 : 0))
		return kt_cli_usage(name, "too many arguments");
	if (want_arg && (optind >= argc || argv[optind][0] == '\0'))
		return kt_cli_usage(name, "missing argument");
	if (want_arg)
		*arg = argv[optind];
	return 0;
}

char *kt_cli_read_password(void)
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
