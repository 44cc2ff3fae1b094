/* cmd_ingest.c - `kartoteka ingest`: a batch with a progress bar and a summary. */
#include "cli.h"
#include "kt_catalog.h"
#include "kt_text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct progress {
	int tty;
	time_t start;
	int failed;
	int drawn;
} progress;

static void print_path(FILE *f, const char *path, size_t len)
{
	char *esc = kt_utf8_escape(path, len);
	char *p;

	/* A name with line breaks must not break the log's lines. */
	for (p = esc; p && *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = '?';
	fputs(esc ? esc : "?", f);
	free(esc);
}

static void on_progress(void *ctx, int done, int total, const kt_file_event *ev)
{
	progress *p = ctx;
	static const char *const words[] = { "done", "skipped", "FAILED" };

	if (ev != NULL && ev->outcome == KT_OUTCOME_FAILED)
		p->failed++;
	if (p->tty) {
		int width = 30, fill = total > 0 ? done * width / total : width, i;
		double el = difftime(time(NULL), p->start);

		if (ev != NULL && ev->outcome == KT_OUTCOME_FAILED) {
			fprintf(stderr, "\r\033[K");
			fputs("failed: ", stderr);
			fputs(ev->reason ? ev->reason : "?", stderr);
			fputc('\n', stderr);
		}
		fprintf(stderr, "\r\033[K[");
		for (i = 0; i < width; i++)
			fputc(i < fill ? '#' : '.', stderr);
		fprintf(stderr, "] %d/%d files", done, total);
		if (p->failed)
			fprintf(stderr, ", %d failed", p->failed);
		if (done > 0 && done < total)
			fprintf(stderr, ", ETA %.0fs", el / done * (total - done));
		p->drawn = 1;
		fflush(stderr);
		return;
	}
	if (ev == NULL)
		return;
	fprintf(stderr, "[%d/%d] %s ", done, total, words[ev->outcome]);
	print_path(stderr, ev->path, ev->path_len);
	if (ev->outcome == KT_OUTCOME_DONE)
		fprintf(stderr, " -> document %lld, %d page%s", ev->doc_id, ev->pages, ev->pages == 1 ? "" : "s");
	else if (ev->reason)
		fprintf(stderr, ": %s", ev->reason);
	fputc('\n', stderr);
}

int kt_cmd_ingest(kt_cli *cli, int argc, char **argv)
{
	kt_ingest_opts o = { 0 };
	kt_ingest_report rep;
	kt_error err = { 0 };
	progress p = { .tty = isatty(2), .start = time(NULL) };
	const char **paths;
	int n = 0, i, rc;
	kt_store *s;

	paths = calloc((size_t)argc, sizeof *paths);
	if (paths == NULL)
		return KT_EXIT_FATAL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
			o.batch_name = argv[++i];
		} else if (strcmp(argv[i], "--retry-failed") == 0) {
			o.retry_failed = 1;
		} else if (strcmp(argv[i], "--") == 0) {
			for (i++; i < argc; i++)
				paths[n++] = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			free(paths);
			return kt_cli_usage("ingest", "unknown option");
		} else {
			paths[n++] = argv[i];
		}
	}
	if (n == 0) {
		free(paths);
		return kt_cli_usage("ingest", "no file or folder given");
	}
	s = kt_cli_open(cli, KT_STORE_WRITE);
	if (s == NULL) {
		free(paths);
		return KT_EXIT_FATAL;
	}
	o.progress = on_progress;
	o.ctx = &p;
	rc = kt_ingest(s, paths, n, &o, &rep, &err);
	if (p.drawn)
		fputc('\n', stderr);
	if (rc == KT_FATAL)
		fprintf(stderr, "kartoteka: batch stopped: %s\n", err.msg);
	printf("batch %lld: %d file%s: %d done (%d page%s), %d already done or skipped, %d failed\n",
	       rep.batch_id, rep.files, rep.files == 1 ? "" : "s", rep.done, rep.pages,
	       rep.pages == 1 ? "" : "s", rep.skipped, rep.failed);
	if (rep.failed > 0) {
		json_t *batches = kt_catalog_batches_json(kt_store_catalog(s)), *b, *f;
		size_t k, j;

		json_array_foreach(batches, k, b) {
			if (json_integer_value(json_object_get(b, "id")) != rep.batch_id)
				continue;
			printf("failures:\n");
			json_array_foreach(json_object_get(b, "failures"), j, f)
				printf("  %s\n", json_string_value(json_object_get(f, "reason")));
		}
		json_decref(batches);
	}
	kt_store_free(&s);
	free(paths);
	return rc == KT_FATAL ? KT_EXIT_FATAL : rc == KT_WARN ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
}
