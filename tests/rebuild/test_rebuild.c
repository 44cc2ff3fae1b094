/*
 * test_rebuild.c - the archive at the command level, on copies of the e2e
 * fixture store (tests/e2e): `verify` names every flipped file of a real
 * package and records its audits; `export` restores an original bit for bit
 * and `export --bag` gives a bag an RFC 8493 validator (written here)
 * accepts; `rebuild` after deleting the catalog and the index, plus
 * `cases import` again, gives the same `docs --json` and the same search hits.
 *
 *
 * This file holds the shared helpers, the flip and sample groups and the
 * group table; rebuild_export.c and rebuild_rebuild.c hold the others
 * (rebuild_test.h).
 * usage: test_rebuild KARTOTEKA SAMPLES STORE WORK GROUP
 * GROUP is one of: flip, sample, export, bag, rebuild.
 */
#include "rebuild_test.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt_sha.h"

/* ---------------------------------------------------------------- helpers */

/* A copy of the fixture store in WORK/store. */
void copy_store(char *copy, size_t size)
{
	snprintf(copy, size, "%s/store", E2E.work);
	assert_int_equal(e2e_copy_tree(E2E.store, copy), 0);
}

json_t *doc_of(json_t *docs, const char *file)
{
	json_t *d = e2e_find_doc(docs, file);

	if (d == NULL)
		fail_msg("no document for '%s'", file);
	return d;
}


/* The regular files of a ustar/pax tar, in order. */
int tar_files(const unsigned char *tar, size_t len, tar_file *out, int max)
{
	size_t off = 0;
	int n = 0;

	while (off + 512 <= len && tar[off] != '\0') {
		const unsigned char *h = tar + off;
		size_t size = (size_t)strtoull((const char *)h + 124, NULL, 8);
		char name[101], prefix[156];

		memcpy(name, h, 100);
		name[100] = '\0';
		memcpy(prefix, h + 345, 155);
		prefix[155] = '\0';
		if ((h[156] == '0' || h[156] == '\0') && n < max) {
			if (prefix[0])
				snprintf(out[n].path, sizeof out[n].path, "%s/%s", prefix, name);
			else
				snprintf(out[n].path, sizeof out[n].path, "%s", name);
			out[n].data_off = off + 512;
			out[n].size = size;
			n++;
		}
		off += 512 + (size + 511) / 512 * 512;
	}
	return n;
}

/* ------------------------------------------------------------------ flip */

/* One bit flipped in each file of a real package in turn: verify names the
 * package and the file, exits 1, and records a failed fixity check; with the
 * bit back, verify passes again. */
void test_flip(void **state)
{
	char copy[4096], pkg[8192], db[8192];
	json_t *docs, *d;
	const char *rel;
	unsigned char *tar;
	size_t len;
	tar_file files[64];
	int n, i, kinds = 0;
	const char *name_end;
	char name[128];
	sqlite3 *sq;
	sqlite3_stmt *st;
	sqlite3_int64 base;
	e2e_out o;

	(void)state;
	copy_store(copy, sizeof copy);
	docs = e2e_docs_json(copy);
	/* a multi-page TIFF: original, several page texts */
	d = doc_of(docs, "lv_intervija_2p.tif");
	rel = json_string_value(json_object_get(d, "package"));
	assert_non_null(rel);
	snprintf(pkg, sizeof pkg, "%s/archive/%s", copy, rel);
	name_end = strrchr(rel, '/');
	snprintf(name, sizeof name, "%.*s", (int)(strlen(name_end + 1) - 4), name_end + 1);
	/* the fixture store may hold audits already (e2e's verify): count ours */
	snprintf(db, sizeof db, "%s/catalog.sqlite", copy);
	assert_int_equal(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT coalesce(max(id), 0) FROM fixity_checks", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	base = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(sq);
	tar = kt_test_read_file(pkg, &len);
	assert_non_null(tar);
	n = tar_files(tar, len, files, 64);
	assert_true(n >= 8);
	for (i = 0; i < n; i++) {
		char want[1024];
		const char *file = files[i].path + strlen(name) + 1;
		size_t at;

		assert_int_equal(strncmp(files[i].path, name, strlen(name)), 0);
		if (files[i].size == 0)
			continue; /* nothing to flip (e.g. the text of a blank page) */
		at = files[i].data_off + files[i].size / 2;
		tar[at] ^= 0x10;
		kt_test_write_file(pkg, tar, len);
		o = e2e_run(copy, "verify", NULL);
		snprintf(want, sizeof want, "FAILED %s: %s:", name, file);
		if (o.status != 1 || strstr(o.out, want) == NULL)
			fail_msg("flip in %s: exit %d, want '%s' in:\n%s%s", file, o.status, want, o.out, o.err);
		assert_non_null(strstr(o.out, "1 damaged"));
		printf("flip in %-32s -> %s", file, strstr(o.out, want));
		e2e_out_free(&o);
		tar[at] ^= 0x10;
		kinds++;
	}
	kt_test_write_file(pkg, tar, len);
	o = e2e_run(copy, "verify", NULL);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "all intact"));
	e2e_out_free(&o);
	/* every tag file and every payload file kind was flipped */
	assert_true(kinds >= 9);

	/* the audits are in the catalog: one failed check per flip, with the
	 * file among its problems and a PREMIS fixity event */
	assert_int_equal(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT count(*), sum(result='fail'),"
					    " sum(event LIKE '%<premis:eventType>fixity check</premis:eventType>%'),"
					    " sum(result='fail' AND problems LIKE '%data/original/%')"
					    " FROM fixity_checks WHERE package=? AND id>?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, base);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), kinds + 1);
	assert_int_equal(sqlite3_column_int(st, 1), kinds);
	assert_int_equal(sqlite3_column_int(st, 2), kinds + 1);
	/* at least the flip in the original names it (a flip in a manifest line
	 * about the original may name it too, depending on where it falls) */
	assert_true(sqlite3_column_int(st, 3) >= 1);
	sqlite3_finalize(st);
	sqlite3_close(sq);
	free(tar);
	json_decref(docs);
}

/* ---------------------------------------------------------------- sample */

static int count_checked(const char *out)
{
	const char *p = strstr(out, "verified ");

	return p ? atoi(p + 9) : -1;
}

/* --since and --sample choose packages; a deleted package file is reported. */
void test_sample(void **state)
{
	char copy[4096], pkg[8192];
	json_t *docs;
	int total;
	e2e_out o;

	(void)state;
	copy_store(copy, sizeof copy);
	docs = e2e_docs_json(copy);
	o = e2e_run(copy, "verify", "--since", "2999-01-01", NULL);
	assert_int_equal(o.status, 0);
	total = count_checked(o.out);
	assert_true(total >= 8);
	e2e_out_free(&o);
	/* all were just checked: none is due since yesterday */
	o = e2e_run(copy, "verify", "--since", "2000-01-01", NULL);
	assert_int_equal(o.status, 0);
	assert_int_equal(count_checked(o.out), 0);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--sample", "3", NULL);
	assert_int_equal(o.status, 0);
	assert_int_equal(count_checked(o.out), 3);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--sample", "1000", NULL);
	assert_int_equal(count_checked(o.out), total);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--since", "yesterday", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--sample", "-1", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);

	/* a package file the catalog names is gone: reported, not passed over */
	snprintf(pkg, sizeof pkg, "%s/archive/%s", copy,
		 json_string_value(json_object_get(doc_of(docs, "en_letter.png"), "package")));
	assert_int_equal(unlink(pkg), 0);
	o = e2e_run(copy, "verify", "--no-record", NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "FAILED kt-"));
	assert_non_null(strstr(o.out, "1 damaged"));
	assert_int_equal(count_checked(o.out), total);
	e2e_out_free(&o);
	json_decref(docs);
}

/* ----------------------------------------------------------------- main */

static const kt_test_case groups[] = {
	KT_TEST(flip),
	KT_TEST(sample),
	KT_TEST(export),
	KT_TEST(bag),
	KT_TEST(rebuild),
};

/* KARTOTEKA SAMPLES STORE WORK */
static void init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = args[2];
	E2E.work = args[3];
}

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_rebuild", .cases = groups, .n_cases = KT_N_CASES(groups),
		.args = "KARTOTEKA SAMPLES STORE WORK", .n_args = 4, .case_required = 1, .init = init,
	};

	return kt_test_main(&prog, argc, argv);
}
