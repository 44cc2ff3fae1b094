/* cli.c - helpers the command files share (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

kt_store *kt_cli_open(kt_cli *cli, int mode)
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

void kt_cli_doc_summary(FILE *f, json_t *doc)
{
	json_t *meta = json_object_get(doc, "metadata"), *cases = json_object_get(doc, "cases"), *v;
	const char *type = json_string_value(json_object_get(meta, "doc_type"));
	const char *status = json_string_value(json_object_get(doc, "status"));
	size_t i;

	fprintf(f, "%5lld  %-6s  %2zu p.  %-11s  %s", json_integer_value(json_object_get(doc, "id")),
		status ? status : "?", json_array_size(json_object_get(doc, "pages")),
		type ? type : "-", json_string_value(json_object_get(doc, "source")));
	json_array_foreach(cases, i, v)
		fprintf(f, "%s%s", i == 0 ? "  [" : ", ", json_string_value(v));
	if (json_array_size(cases) > 0)
		fputc(']', f);
	if (status && strcmp(status, "failed") == 0)
		fprintf(f, "\n       %s", json_string_value(json_object_get(doc, "error")));
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
