/*
 * test_catalog_schema.c - the catalog's schema versions (issue 23,
 * "Upgrades"): a catalog of an older version is copied whole to
 * catalog.sqlite.schema-N before it is upgraded, once; a newer one is
 * refused and left as it is.
 *
 * An older catalog is made from today's by undoing the newest step of the
 * schema (index/catalog_sqlite.c); undo_newest() must follow that step.
 */
#include "kt_catalog.h"
#include "kt_status.h"

#include "kt_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The newest schema step, undone: version 8 added the pages' quality columns. */
static const char undo_newest[] = "ALTER TABLE pages DROP COLUMN paper; ALTER TABLE pages DROP COLUMN ink;"
	" ALTER TABLE pages DROP COLUMN cut_words; ALTER TABLE pages DROP COLUMN cut_edges;";

/* PRAGMA user_version of the database at path; -1 when unreadable. */
static int version_of(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Run sql on the database at path. */
static void exec_on(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void test_upgrade_copy(void **state)
{
	char dir[256], db[300], copy[340], set[64];
	kt_catalog *c = kt_catalog_new();
	long long batch;
	int n;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "catalog-schema"), 0);
	snprintf(db, sizeof db, "%s/catalog.sqlite", dir);
	assert_int_equal(kt_catalog_open(c, db, 0), KT_OK);
	assert_int_equal(kt_catalog_batch_start(c, "before the upgrade", "", &batch), KT_OK);
	kt_catalog_free(&c);
	n = version_of(db);
	assert_true(n > 1);
	/* a new catalog is not copied */
	snprintf(copy, sizeof copy, "%s" KT_CATALOG_COPY_INFIX "%d", db, n - 1);
	assert_int_not_equal(access(copy, F_OK), 0);
	/* the catalog as the kartoteka before the newest step left it */
	snprintf(set, sizeof set, "PRAGMA user_version = %d;", n - 1);
	exec_on(db, undo_newest);
	exec_on(db, set);
	c = kt_catalog_new();
	assert_int_equal(kt_catalog_open(c, db, 0), KT_OK);
	kt_catalog_free(&c);
	assert_int_equal(version_of(db), n);
	/* the copy: the old version, with its rows */
	assert_int_equal(access(copy, F_OK), 0);
	assert_int_equal(version_of(copy), n - 1);
	exec_on(copy, "SELECT 1 FROM batches WHERE name = 'before the upgrade'");
	/* opened again: nothing to copy; an older copy is never replaced */
	exec_on(copy, "CREATE TABLE marker(x)");
	exec_on(db, undo_newest);
	exec_on(db, set);
	c = kt_catalog_new();
	assert_int_equal(kt_catalog_open(c, db, 0), KT_OK);
	kt_catalog_free(&c);
	exec_on(copy, "SELECT x FROM marker");
	/* a newer catalog is refused and left as it is */
	exec_on(db, "PRAGMA user_version = 999;");
	c = kt_catalog_new();
	assert_int_equal(kt_catalog_open(c, db, 0), KT_FATAL);
	assert_non_null(strstr(kt_catalog_errmsg(c), "newer than this kartoteka"));
	kt_catalog_free(&c);
	assert_int_equal(version_of(db), 999);
	kt_test_remove_tree(dir);
}

static const kt_test_case cases[] = {
	KT_TEST(upgrade_copy),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_catalog_schema", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
