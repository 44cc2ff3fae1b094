/* cmd_ingest.c - `kartoteka ingest`: a batch over N OCR workers (--jobs), with a
 * progress bar (files, pages, pages/min, failures, ETA) on a terminal, one log
 * line per file otherwise, and a summary. */
#include "cli.h"
#include "lifecycle_private.h"
#include "kt_catalog.h"
#include "kt_text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct progress {
	int tty;
	struct timespec start;
	int failed;
	int drawn;
	int pages;                 /* pages recognised so far */
	double last_draw;
} progress;

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

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

static void on_pages(void *ctx, int pages_done)
{
	((progress *)ctx)->pages = pages_done;
}

static void on_progress(void *ctx, int done, int total, const kt_file_event *ev)
{
	progress *p = ctx;
	static const char *const words[] = { "done", "skipped", "FAILED" };
	double el = since(&p->start);

	if (ev != NULL && ev->outcome == KT_OUTCOME_FAILED)
		p->failed++;
	if (p->tty) {
		int width = 30, fill = total > 0 ? done * width / total : width, i;

		if (ev != NULL && ev->outcome == KT_OUTCOME_FAILED) {
			fprintf(stderr, "\r\033[K");
			fputs("failed: ", stderr);
			print_path(stderr, ev->reason ? ev->reason : "?", strlen(ev->reason ? ev->reason : "?"));
			fputc('\n', stderr);
		} else if (ev != NULL && ev->warning != NULL) {
			fprintf(stderr, "\r\033[Kwarning: %s\n", ev->warning);
		} else if (ev == NULL && el - p->last_draw < 0.25) {
			return; /* redraw a few times a second at most */
		}
		p->last_draw = el;
		fprintf(stderr, "\r\033[K[");
		for (i = 0; i < width; i++)
			fputc(i < fill ? '#' : '.', stderr);
		fprintf(stderr, "] %d/%d files, %d page%s", done, total, p->pages, p->pages == 1 ? "" : "s");
		if (el >= 1 && p->pages > 0)
			fprintf(stderr, ", %.1f pages/min", p->pages * 60.0 / el);
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
	if (ev->warning)
		fprintf(stderr, " (warning: %s)", ev->warning);
	fputc('\n', stderr);
}

/* May user (an admin, password on standard input) take erased files in
 * again? Audited as "readmit-erased" with the paths; a KT_EXIT_* status. */
static int readmit_allowed(kt_cli *cli, const char *user, const char **paths, int n)
{
	static const char *const roles[] = { "admin", NULL };
	char role[16], object[600];
	size_t len;
	kt_access *a;
	int rc, i;

	kt_life_as("ingest");
	if ((a = kt_life_access(cli, "")) == NULL)
		return KT_EXIT_FATAL;
	len = (size_t)snprintf(object, sizeof object, "paths:");
	for (i = 0; i < n && len < sizeof object; i++)
		len += (size_t)snprintf(object + len, sizeof object - len, " %s", paths[i]);
	rc = kt_life_who(a, "", user, roles, "readmit-erased", object, "take erased files in again",
			 role);
	if (rc == KT_OK)
		rc = kt_life_audit(a, "", user, role, "readmit-erased", object);
	kt_access_free(&a);
	return kt_life_exit(rc);
}

const kt_command kt_command_ingest = {
	"ingest", "ingest scans (files and folders) into the store",
	"usage: kartoteka [--store DIR] ingest [--jobs N] [--batch NAME] [--retry-failed] PATH...\n"
	"       kartoteka [--store DIR] ingest --readmit-erased --user NAME [...] PATH...\n"
	"\n"
	"Ingest TIFF (Group 4, LZW, multi-page), PNG and JPEG scans, recognised by\n"
	"content. Folders are walked recursively in name order; hidden entries are\n"
	"passed over. Each new file is cleaned up (orientation, deskew, blank pages),\n"
	"recognised (Latvian, Lithuanian, Russian, English), its metadata extracted,\n"
	"archived as a package, catalogued, linked to cases and indexed.\n"
	"\n"
	"A file is known by the SHA-256 of its bytes: one already done is skipped and\n"
	"said so; one that failed before is skipped unless --retry-failed is given.\n"
	"A file whose document was erased (kartoteka erase) fails, named so, unless\n"
	"an admin takes it in again with --readmit-erased: it becomes a new document\n"
	"and the erased one stays erased.\n"
	"A failed file is recorded with its reason and the batch goes on.\n"
	"\n"
	"  --jobs N, -j N    OCR workers, each with its own engine (default: one per core)\n"
	"  --batch NAME      name of the batch (default: folder name and date)\n"
	"  --retry-failed    try files that failed in an earlier batch again\n"
	"  --readmit-erased  take in files whose documents were erased; needs --user\n"
	"  --user NAME       an admin of 'kartoteka user'; the password is read as one\n"
	"                    line from standard input; audited as readmit-erased\n"
	"\n"
	"A progress bar is drawn on a terminal, plain lines otherwise.\n"
	"Exit status: 0 every file done or already done, 1 some failed, 2 fatal error.\n",
	kt_cmd_ingest,
};

int kt_cmd_ingest(kt_cli *cli, int argc, char **argv)
{
	kt_ingest_opts o = { 0 };
	kt_ingest_report rep;
	kt_error err = { 0 };
	progress p = { .tty = isatty(2) };
	static const struct option opts[] = {
		{ "batch", required_argument, NULL, 'b' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "retry-failed", no_argument, NULL, 'R' },
		{ "readmit-erased", no_argument, NULL, 'E' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char **paths, *user = NULL;
	int readmit = 0;
	long jobs;
	int n, c, rc;
	kt_store *s;

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		switch (c) {
		case 'b': o.batch_name = optarg; break;
		case 'j':
			if (kt_cli_number("ingest", "--jobs", optarg, 1, 256, &jobs) != 0)
				return KT_EXIT_FATAL;
			o.jobs = (int)jobs;
			break;
		case 'R': o.retry_failed = 1; break;
		case 'E': readmit = 1; break;
		case 'u': user = optarg; break;
		}
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	n = argc - optind;
	if (n == 0)
		return kt_cli_usage("ingest", "no file or folder given");
	paths = (const char **)argv + optind;
	if (readmit != (user != NULL))
		return kt_cli_usage("ingest", readmit ? "--readmit-erased needs --user NAME (an admin)"
						      : "--user goes with --readmit-erased");
	s = kt_cli_make(cli, "ingest");
	if (s == NULL)
		return KT_EXIT_FATAL;
	if (readmit && (rc = readmit_allowed(cli, user, paths, n)) != KT_EXIT_OK) {
		kt_store_free(&s);
		return rc;
	}
	o.readmit_erased_by = user;
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	o.progress = on_progress;
	o.pages = on_pages;
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
			{
				const char *why = json_string_value(json_object_get(f, "reason"));

				/* one line per failure, whatever bytes the file name holds */
				fputs("  ", stdout);
				print_path(stdout, why ? why : "?", strlen(why ? why : "?"));
				fputc('\n', stdout);
			}
		}
		json_decref(batches);
	}
	kt_store_free(&s);
	return rc == KT_FATAL ? KT_EXIT_FATAL : rc == KT_WARN ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
}
