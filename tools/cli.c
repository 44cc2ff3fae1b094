/* cli.c - helpers the command files share (cli.h). */
#include "cli.h"

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
