/*
 * rebuild_rebuild.c - test_rebuild group "rebuild": `rebuild` after deleting
 * the catalog and the index, plus `cases import` again, gives the same
 * `docs --json` and the same search hits; a damaged package is reported.
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

/* --------------------------------------------------------------- rebuild */

/* docs --json objects by id, without what cannot come back. */
static json_t *by_id(json_t *docs)
{
	json_t *o = json_object(), *d;
	size_t i;

	json_array_foreach(docs, i, d) {
		char key[32];

		snprintf(key, sizeof key, "%lld", json_integer_value(json_object_get(d, "id")));
		json_object_set(o, key, d);
	}
	return o;
}

static json_t *search_hits(const char *store, const char *query)
{
	e2e_out o = e2e_run(store, "search", "--json", "--limit", "100", query, NULL);
	json_t *hits, *h, *keys = json_array();
	size_t i;

	if (o.status != 0)
		fail_msg("search %s: %s", query, o.err);
	hits = e2e_json_lines(o.out);
	assert_non_null(hits);
	json_array_foreach(hits, i, h)
		json_array_append_new(keys, json_sprintf("%lld/%lld",
			json_integer_value(json_object_get(h, "id")),
			json_integer_value(json_object_get(h, "page"))));
	json_decref(hits);
	e2e_out_free(&o);
	return keys;
}

void test_rebuild(void **state)
{
	static const char *const queries[] = { "Karimi", "PMLP-LV-2023-004571", "lēmums", "type:interview",
					       "собеседование" };
	char copy[4096], path[20000], csv[4096];
	json_t *before, *after, *b, *a, *v, *hits_before[5];
	const char *key;
	size_t i;
	int lost = 0, same = 0;
	e2e_out o;

	(void)state;
	copy_store(copy, sizeof copy);
	snprintf(csv, sizeof csv, "%s/cases.csv", E2E.samples);
	before = e2e_docs_json(copy);
	for (i = 0; i < 5; i++)
		hits_before[i] = search_hits(copy, queries[i]);

	/* a catalog in the way: refused without --force */
	o = e2e_run(copy, "rebuild", NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "--force"));
	e2e_out_free(&o);

	/* delete the catalog and the index; the archive alone remains */
	{
		static const char *const gone[] = { "catalog.sqlite", "catalog.sqlite-wal",
						     "catalog.sqlite-shm", "xapian" };

		for (i = 0; i < 4; i++) {
			snprintf(path, sizeof path, "%s/%s", copy, gone[i]);
			kt_test_remove_tree(path);
		}
	}
	o = e2e_run(copy, "rebuild", NULL);
	if (o.status != 0)
		fail_msg("rebuild: %s%s", o.out, o.err);
	printf("%s", o.out);
	assert_non_null(strstr(o.out, "0 failed"));
	e2e_out_free(&o);
	o = e2e_run(copy, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	after = e2e_docs_json(copy);

	/* Compared as JSON, by id. Cannot come back, by design: failed documents
	 * (no package). "format" was null in the catalog the runner made (it
	 * reserves documents without a format) and comes back from the package's
	 * record: it must then be the identified format. */
	b = by_id(before);
	a = by_id(after);
	json_object_foreach(b, key, v) {
		json_t *x = json_object_get(a, key);

		if (strcmp(json_string_value(json_object_get(v, "status")), "done") != 0) {
			assert_null(x);
			lost++;
			continue;
		}
		if (x == NULL)
			fail_msg("document %s is not back", key);
		if (json_is_null(json_object_get(v, "format"))) {
			const char *f = json_string_value(json_object_get(x, "format"));

			assert_non_null(f);
			assert_true(strcmp(f, "tiff") == 0 || strcmp(f, "png") == 0 || strcmp(f, "jpeg") == 0);
			json_object_set(x, "format", json_object_get(v, "format"));
		}
		if (!json_equal(v, x)) {
			char *sb = json_dumps(v, JSON_SORT_KEYS), *sx = json_dumps(x, JSON_SORT_KEYS);

			fail_msg("document %s differs after rebuild:\nbefore %s\nafter  %s", key, sb, sx);
		}
		same++;
	}
	assert_int_equal(json_object_size(a), (size_t)same);
	assert_int_equal(lost, 1); /* broken_scan.tif */
	assert_true(same >= 8);
	printf("rebuild: %d documents equal, %d failed document lost by design\n", same, lost);

	/* the new index finds the same pages */
	for (i = 0; i < 5; i++) {
		json_t *h = search_hits(copy, queries[i]);

		if (!json_equal(h, hits_before[i])) {
			char *x = json_dumps(hits_before[i], 0), *y = json_dumps(h, 0);

			fail_msg("search '%s': %s before, %s after", queries[i], x, y);
		}
		assert_true(json_array_size(h) > 0);
		json_decref(h);
		json_decref(hits_before[i]);
	}

	/* --force moves the catalog aside and gives the same result again */
	o = e2e_run(copy, "rebuild", "--force", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(path, sizeof path, "%s/catalog.sqlite.old", copy);
	assert_int_equal(access(path, F_OK), 0);
	o = e2e_run(copy, "verify", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);

	/* a package whose record is damaged: named, the others restored, exit 1 */
	{
		json_t *d = doc_of(after, "ru_sobesedovanie.jpg"), *again;
		const char *rel = json_string_value(json_object_get(d, "package"));
		char pkg[8192];
		unsigned char *tar;
		size_t len;
		tar_file files[64];
		int n, k, hit = 0;

		snprintf(pkg, sizeof pkg, "%s/archive/%s", copy, rel);
		tar = kt_test_read_file(pkg, &len);
		assert_non_null(tar);
		n = tar_files(tar, len, files, 64);
		for (k = 0; k < n; k++)
			if (strstr(files[k].path, "/data/metadata/document.json") != NULL) {
				tar[files[k].data_off + files[k].size / 2] ^= 0x04;
				hit = 1;
			}
		assert_true(hit);
		kt_test_write_file(pkg, tar, len);
		free(tar);
		o = e2e_run(copy, "rebuild", "--force", NULL);
		assert_int_equal(o.status, 1);
		assert_non_null(strstr(o.out, "FAILED"));
		assert_non_null(strstr(o.out, rel));
		assert_non_null(strstr(o.out, "1 failed"));
		e2e_out_free(&o);
		again = e2e_docs_json(copy);
		assert_null(e2e_find_doc(again, "ru_sobesedovanie.jpg"));
		assert_int_equal(json_array_size(again), (size_t)same - 1);
		json_decref(again);
	}
	json_decref(a);
	json_decref(b);
	json_decref(before);
	json_decref(after);
}
