/*
 * test_archive.c - tests of kt_archive (archive/): write and verify BagIt
 * packages, one-bit flips in every file, mutant bags, crash safety with fault
 * injection, hostile names and paths, export with an independent RFC 8493
 * validator, and refusal of malicious tars.
 *
 * This file holds the fixture, the shared helpers and the case table; the
 * cases are in archive_*_cases.c (archive_test.h). Run one case:
 * test_archive <case name>; CTest runs each case as its own entry
 * (tests/archive/CMakeLists.txt, from the table below). Every case works in a
 * fresh mkdtemp folder that is removed afterwards.
 */
#include "archive_test.h"

/* ---- fixture ---- */

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	if (kt_test_mkdtemp(f->dir, sizeof f->dir, "archive-test") != 0)
		return -1;
	snprintf(f->store, sizeof f->store, "%s/store", f->dir);
	f->a = kt_archive_new();
	if (f->a == NULL || kt_archive_open(f->a, f->store) != KT_OK)
		return -1;
	kt_archive_set_bagging_time(f->a, FIXED_TIME);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;

	kt_archive_free(&f->a);
	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---- */

const char page1[] = "Page one.\nName: ERIKSSON ANNA MARIA\n";
const char page2[] = "Page two, 100% of it.\n";
const char meta[] = "{\"type\":\"passport\"}\n";
const unsigned char scan[] = { 'I', 'I', 42, 0, 8, 0, 0, 0, 0xff, 0x00, 0x7f, 0x80 };

kt_archive_file files4[4];

kt_archive_package make_pkg(void)
{
	kt_archive_package p = { 0 };

	files4[0] = (kt_archive_file){ NULL, scan, sizeof scan };
	files4[1] = (kt_archive_file){ "text/page-0001.txt", page1, strlen(page1) };
	files4[2] = (kt_archive_file){ "text/page 2 100%.txt", page2, strlen(page2) };
	files4[3] = (kt_archive_file){ "meta/doc.json", meta, strlen(meta) };
	p.doc_id = 42;
	p.sha256 = SHA;
	p.version = 1;
	p.batch = "batch-2023-11\nInjected: yes";
	p.source_name = "Scan 1.TIF";
	p.organisation = "Migration Office";
	p.files = files4;
	p.n_files = 4;
	return p;
}

char *path_in(const fx *f, const char *rel)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s/%s", f->store, rel);
	return buf;
}

void write_ok(fx *f, const kt_archive_package *p, char **rel)
{
	int rc = kt_archive_write(f->a, p, rel);
	if (rc != KT_OK)
		fprintf(stderr, "write: %s\n", kt_archive_errmsg(f->a));
	assert_int_equal(rc, KT_OK);
}


void collect(void *ctx, const char *package, const char *file, const char *problem)
{
	probs *p = ctx;

	assert_string_equal(package, NAME);
	if (p->n < 256) {
		snprintf(p->file[p->n], sizeof p->file[0], "%s", file);
		snprintf(p->text[p->n], sizeof p->text[0], "%s", problem);
	}
	p->n++;
}

int has_problem(const probs *p, const char *file, const char *substr)
{
	for (int i = 0; i < p->n && i < 256; i++)
		if ((file == NULL || strcmp(p->file[i], file) == 0) &&
		    (substr == NULL || strstr(p->text[i], substr) != NULL))
			return 1;
	return 0;
}

void dump(const probs *p)
{
	for (int i = 0; i < p->n && i < 256; i++)
		fprintf(stderr, "  problem: '%s': %s\n", p->file[i], p->text[i]);
}

int verify(fx *f, const char *rel, probs *p)
{
	int n = -1, rc;

	memset(p, 0, sizeof *p);
	rc = kt_archive_verify(f->a, rel, collect, p, &n);
	assert_int_equal(n, p->n);
	if (rc == KT_OK)
		assert_int_equal(n, 0);
	else
		assert_true(n > 0);
	return rc;
}

void verify_clean(fx *f, const char *rel)
{
	probs p;
	int rc = verify(f, rel, &p);
	if (rc != KT_OK)
		dump(&p);
	assert_int_equal(rc, KT_OK);
}

int count_temps(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* ---- the case table ---- */

static const kt_test_case cases[] = {
	KT_TEST_FX(write_verify_clean, setup, teardown),
	KT_TEST_FX(flip_each_file, setup, teardown),
	KT_TEST_FX(named_messages_on_flips, setup, teardown),
	KT_TEST_FX(damaged_header_unreadable, setup, teardown),
	KT_TEST_FX(delete_payload_entry, setup, teardown),
	KT_TEST_FX(extra_payload_entry, setup, teardown),
	KT_TEST_FX(duplicate_and_stray_entries, setup, teardown),
	KT_TEST_FX(truncated_tar, setup, teardown),
	KT_TEST_FX(wrong_payload_oxum, setup, teardown),
	KT_TEST_FX(mutant_bags, setup, teardown),
	KT_TEST_FX(rewrite_is_noop, setup, teardown),
	KT_TEST_FX(deterministic_bytes, setup, teardown),
	KT_TEST_FX(crash_leaves_temp_only, setup, teardown),
	KT_TEST_FX(crash_at_every_step, setup, teardown),
	KT_TEST_FX(fail_at_every_step, setup, teardown),
	KT_TEST_FX(durable_order, setup, teardown),
	KT_TEST_FX(hostile_source_names, setup, teardown),
	KT_TEST_FX(refuse_bad_payload_paths, setup, teardown),
	KT_TEST_FX(read_file_checks, setup, teardown),
	KT_TEST_FX(verify_bad_relpaths, setup, teardown),
	KT_TEST_FX(export_bag_validates, setup, teardown),
	KT_TEST_FX(export_refuses_malicious, setup, teardown),
	KT_TEST_FX(secure_flags_without_prescan, setup, teardown),
	KT_TEST_FX(long_paths_use_pax, setup, teardown),
	KT_TEST_FX(handle_edge_cases, setup, teardown),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_archive", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
