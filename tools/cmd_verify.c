/*
 * cmd_verify.c - `kartoteka verify`: re-hash archive packages and record
 * each audit (a PREMIS fixity check event and the result) in the catalog.
 *
 * The packages checked are every package file in the archive folder and
 * every package the catalog names (so a deleted package file is reported).
 * --since DATE keeps those not checked since DATE; --sample N picks N of
 * them at random. Each problem is printed as "FAILED <package>: <file>:
 * <problem>"; with --json each package checked is one JSON object on a
 * line of its own instead: {"package", "doc_id", "ok", "problems"}.
 */
#include "cli.h"
#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct tally {
	long problems;
	json_t *list;      /* this package's problems: [{"file","problem"}] */
	int json;          /* --json: no FAILED lines, one object per package */
} tally;

static void on_problem(void *ctx, const char *package, const char *file, const char *problem)
{
	tally *t = ctx;
	json_t *o = json_object();

	t->problems++;
	if (!t->json)
		printf("FAILED %s: %s: %s\n", package, file && file[0] ? file : "(package)",
		       problem ? problem : "?");
	json_object_set_new(o, "file", json_string(file ? file : ""));
	json_object_set_new(o, "problem", json_string(problem ? problem : ""));
	json_array_append_new(t->list, o);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DATE is YYYY-MM-DD, optionally followed by THH:MM:SSZ. */
static uint64_t seed_random(void)
{
	uint64_t s = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &s, sizeof s) != (ssize_t)sizeof s)
			s = 0;
		close(fd);
	}
	if (s == 0)
		s = (uint64_t)time(NULL) * 6364136223846793005ULL + (uint64_t)getpid();
	return s ? s : 1;
}

static uint64_t next_random(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* The packages to check: the archive's and the catalog's, once each, sorted. */
static int collect(kt_store *s, char ***out, int *nout)
{
	kt_archive *a = kt_store_archive(s);
	kt_catalog *c = kt_store_catalog(s);
	char **pk = NULL, **all;
	long long *ids = NULL;
	int np = 0, nid = 0, n = 0, i;

	*out = NULL;
	*nout = 0;
	if (kt_archive_packages(a, &pk, &np) != KT_OK) {
		fprintf(stderr, "kartoteka verify: %s\n", kt_archive_errmsg(a));
		return KT_EXIT_FATAL;
	}
	if (kt_catalog_doc_ids(c, "packaged", &ids, &nid) != KT_OK) {
		fprintf(stderr, "kartoteka verify: %s\n", kt_catalog_errmsg(c));
		kt_archive_strings_free(&pk, np);
		return KT_EXIT_FATAL;
	}
	all = calloc((size_t)(np + nid) + 1, sizeof *all);
	if (all == NULL) {
		kt_archive_strings_free(&pk, np);
		free(ids);
		return KT_EXIT_FATAL;
	}
	for (i = 0; i < np; i++) {
		all[n++] = pk[i];
		pk[i] = NULL;
	}
	for (i = 0; i < nid; i++) {
		char *p = NULL;

		if (kt_catalog_doc_package(c, ids[i], &p) == KT_OK)
			all[n++] = p;
	}
	qsort(all, (size_t)n, sizeof *all, cmp_str);
	/* drop duplicates */
	if (n > 0) {
		int k = 1;

		for (i = 1; i < n; i++) {
			if (strcmp(all[i], all[k - 1]) == 0)
				free(all[i]);
			else
				all[k++] = all[i];
		}
		n = k;
	}
	kt_archive_strings_free(&pk, np);
	free(ids);
	*out = all;
	*nout = n;
	return KT_EXIT_OK;
}

const kt_command kt_command_verify = {
	"verify", "re-hash the archive and report any mismatch",
	"usage: kartoteka [--store DIR] verify [--since DATE] [--sample N] [--no-record] [--json]\n"
	"\n"
	"Re-read every archive package (each package file in the archive and each\n"
	"package the catalog names), re-hash every file against both manifests,\n"
	"check Payload-Oxum and the tag manifests, and report each problem (missing\n"
	"file, extra file, digest mismatch, unreadable tar) as\n"
	"  FAILED <package>: <file>: <problem>\n"
	"Each package checked gets a PREMIS fixity check event and its result in the\n"
	"catalog (table fixity_checks).\n"
	"\n"
	"  --since DATE   only packages not checked since DATE (YYYY-MM-DD or\n"
	"                 YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
	"  --sample N     only N packages picked at random (after --since)\n"
	"  --no-record    do not write the catalog (a store this user cannot write\n"
	"                 is checked so anyway, and verify says so on stderr)\n"
	"  --json         one JSON object per package checked, one a line:\n"
	"                 {\"package\", \"doc_id\", \"ok\", \"problems\": [{\"file\",\n"
	"                 \"problem\"}]} (docs/cli.md); the summary goes to stderr\n"
	"\n"
	"Exit status: 0 all intact, 1 problems found, 2 fatal error.\n",
	kt_cmd_verify,
};

/* The documents erased on purpose (issue 21): no package to check, and not
 * lost; one line each, or {"doc_id", "sha256", "status": "erased", "erased",
 * "ok": true} with --json. Returns how many. */
static int report_erased(kt_catalog *c, int json)
{
	json_t *all = kt_catalog_erased_json(c), *e;
	size_t i;

	json_array_foreach(all, i, e) {
		long long id = (long long)json_integer_value(json_object_get(e, "id"));
		const char *sha = json_string_value(json_object_get(e, "sha256"));
		const char *when = json_string_value(json_object_get(e, "erased"));

		if (json) {
			json_t *o = json_pack("{s:I, s:s?, s:s, s:s?, s:b}", "doc_id", (json_int_t)id,
					      "sha256", sha, "status", "erased", "erased", when, "ok", 1);

			kt_cli_print_json(o);
			json_decref(o);
		} else {
			printf("erased on purpose: document %lld (SHA-256 %.16s...) on %s\n", id,
			       sha ? sha : "?", when ? when : "?");
		}
	}
	i = json_array_size(all);
	json_decref(all);
	return (int)i;
}

int kt_cmd_verify(kt_cli *cli, int argc, char **argv)
{
	kt_store *s;
	const char *since = NULL;
	char **pk = NULL;
	long sample = -1;
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "sample", required_argument, NULL, 'n' },
		{ "no-record", no_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	int n = 0, i, c, bad = 0, checked = 0, record = 1, rc = KT_EXIT_OK;
	tally t = { 0 };

	while ((c = kt_cli_getopt(argc, argv, opts)) >= 0) {
		switch (c) {
		case 's':
			since = optarg;
			if (!kt_cli_date(since))
				return kt_cli_usage("verify", "--since wants YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 'n':
			if (kt_cli_number("verify", "--sample", optarg, 0, LONG_MAX, &sample) != 0)
				return KT_EXIT_FATAL;
			break;
		case 'N': record = 0; break;
		case 'J': t.json = 1; break;
		}
	}
	if (c != KT_CLI_END)
		return kt_cli_getopt_exit(c);
	if (optind < argc)
		return kt_cli_usage("verify", "too many arguments");
	/* Recording writes the catalog; a folder that holds no store is refused
	 * (nothing is made in it), a store that cannot be written is checked
	 * without recording. */
	if (!kt_cli_have_store(cli, "verify"))
		return KT_EXIT_FATAL;
	if (record && !kt_store_writable(cli->store_dir)) {
		record = 0;
		fprintf(stderr, "kartoteka verify: the store '%s' cannot be written: checking without "
			"recording the results (as --no-record)\n", cli->store_dir);
	}
	if ((s = kt_cli_open_any(cli, record ? KT_STORE_WRITE : KT_STORE_READ)) == NULL)
		return KT_EXIT_FATAL;
	/* audit rows go to the WAL only: the database file is not rewritten, so
	 * a copy of the store taken during a verify is whole */
	if (record)
		kt_catalog_no_checkpoint_on_close(kt_store_catalog(s));
	if ((rc = collect(s, &pk, &n)) != KT_EXIT_OK) {
		kt_store_free(&s);
		return rc;
	}
	if (since != NULL) {
		int k = 0;

		for (i = 0; i < n; i++) {
			char *last = NULL;

			if (kt_catalog_fixity_last(kt_store_catalog(s), pk[i], &last) != KT_OK) {
				fprintf(stderr, "kartoteka verify: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
				rc = KT_EXIT_FATAL;
				break;
			}
			/* ISO times compare as strings; a date alone is its midnight */
			if (last == NULL || strcmp(last, since) < 0)
				pk[k++] = pk[i];
			else
				free(pk[i]);
			free(last);
		}
		if (rc != KT_EXIT_OK)
			for (; i < n; i++)
				free(pk[i]);
		n = k;
	}
	if (rc == KT_EXIT_OK && sample >= 0 && sample < n) {
		uint64_t seed = seed_random();

		/* a partial Fisher-Yates shuffle; then the chosen ones in order */
		for (i = 0; i < (int)sample; i++) {
			int j = i + (int)(next_random(&seed) % (uint64_t)(n - i));
			char *tmp = pk[i];

			pk[i] = pk[j];
			pk[j] = tmp;
		}
		for (i = (int)sample; i < n; i++)
			free(pk[i]);
		n = (int)sample;
		qsort(pk, (size_t)n, sizeof *pk, cmp_str);
	}
	for (i = 0; rc == KT_EXIT_OK && i < n; i++) {
		kt_archive *a = kt_store_archive(s);
		char now[21], *event = NULL, note[512];
		long long doc_id = 0;
		int np = 0, r;
		long before = t.problems;

		t.list = json_array();
		kt_now_iso(now);
		r = kt_archive_verify(a, pk[i], on_problem, &t, &np);
		if (r == KT_FATAL) {
			fprintf(stderr, "kartoteka verify: %s\n", kt_archive_errmsg(a));
			rc = KT_EXIT_FATAL;
			json_decref(t.list);
			break;
		}
		if (r != KT_OK && t.problems == before) {
			/* refused before any problem was reported (e.g. a bad path) */
			on_problem(&t, pk[i], "", kt_archive_errmsg(a));
			np = 1;
		}
		checked++;
		if (r != KT_OK || np > 0)
			bad++;
		if (kt_archive_parse_relpath(pk[i], &doc_id, NULL) != KT_OK)
			doc_id = 0;
		if (t.json) {
			json_t *o = json_object();

			json_object_set_new(o, "package", json_string(pk[i]));
			json_object_set_new(o, "doc_id", doc_id > 0 ? json_integer(doc_id) : json_null());
			json_object_set_new(o, "ok", json_boolean(np == 0 && r == KT_OK));
			json_object_set_new(o, "problems", json_incref(t.list));
			kt_cli_print_json(o);
			json_decref(o);
		}
		if (record) {
			const char *first = json_string_value(json_object_get(json_array_get(t.list, 0), "problem"));

			if (np > 0)
				snprintf(note, sizeof note, "%d problem%s; first: %s: %s", np, np == 1 ? "" : "s",
					 json_string_value(json_object_get(json_array_get(t.list, 0), "file")),
					 first ? first : "");
			else
				snprintf(note, sizeof note, "every file matches its sha256 and sha512 digests");
			if (kt_archive_fixity_event(a, pk[i], 0, "kartoteka 0.1.0", np == 0 && r == KT_OK, note,
						    &event) != KT_OK)
				event = NULL; /* a path of the wrong form: recorded without an event */
			if (kt_catalog_fixity_record(kt_store_catalog(s), pk[i], doc_id, now,
						     np == 0 && r == KT_OK, t.list, event) != KT_OK) {
				fprintf(stderr, "kartoteka verify: %s\n", kt_catalog_errmsg(kt_store_catalog(s)));
				rc = KT_EXIT_FATAL;
			}
			free(event);
		}
		json_decref(t.list);
		t.list = NULL;
	}
	if (rc == KT_EXIT_OK) {
		/* with --json, stdout holds the objects only: the summary on stderr */
		FILE *out = t.json ? stderr : stdout;
		int erased = report_erased(kt_store_catalog(s), t.json);

		if (bad == 0)
			fprintf(out, "verified %d package%s: all intact", checked, checked == 1 ? "" : "s");
		else
			fprintf(out, "verified %d package%s: %d damaged, %ld problem%s", checked,
				checked == 1 ? "" : "s", bad, t.problems, t.problems == 1 ? "" : "s");
		if (erased > 0)
			fprintf(out, "; %d document%s erased on purpose (tombstones, not lost)", erased,
				erased == 1 ? "" : "s");
		fputc('\n', out);
		rc = bad ? KT_EXIT_SOME_FAILED : KT_EXIT_OK;
	}
	kt_archive_strings_free(&pk, n);
	kt_store_free(&s);
	return rc;
}
