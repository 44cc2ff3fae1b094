/*
 * catalog_erase_case.c - a case record erased for good (issue 21, `kartoteka
 * erase approve` of a case request; kt_catalog.h, "erasure of a case"): its
 * row, and the links and decisions that name it, deleted with secure_delete
 * and the WAL truncated. Its documents are erased one by one before
 * (kt_erase); those also linked to another case stay.
 */
#include "catalog_private.h"

int kt_catalog_case_erase(kt_catalog *c, const char *case_number)
{
	sqlite3_stmt *st;
	int rc, known;

	kt_error_clear(&c->err);
	if (case_number == NULL || case_number[0] == '\0')
		return kt_error_set(&c->err, KT_FAILED, "no case number given");
	/* what is deleted is overwritten in the file, whatever the connection
	 * was opened with */
	if ((rc = kt_cat_exec(c, "PRAGMA secure_delete=ON;", "set secure_delete")) != KT_OK)
		return rc;
	if ((rc = kt_cat_begin(c)) != KT_OK)
		return rc;
	st = kt_cat_prep(c, "SELECT EXISTS (SELECT 1 FROM cases WHERE case_number=?1)"
			 " OR EXISTS (SELECT 1 FROM links WHERE case_number=?1)"
			 " OR EXISTS (SELECT 1 FROM link_decisions WHERE case_number=?1)", "s", case_number);
	if (st == NULL)
		return kt_cat_end(c, KT_FATAL);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return kt_cat_end(c, kt_cat_fail(c, "look the case up"));
	}
	known = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!known)
		return kt_cat_end(c, kt_error_set(&c->err, KT_FAILED, "no case '%s' in the catalog",
						  case_number));
	rc = kt_cat_do(c, "erase the links to a case", "DELETE FROM links WHERE case_number=?", "s",
		       case_number);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "erase the decisions on a case",
			       "DELETE FROM link_decisions WHERE case_number=?", "s", case_number);
	if (rc == KT_OK)
		rc = kt_cat_do(c, "erase a case record", "DELETE FROM cases WHERE case_number=?", "s",
			       case_number);
	if ((rc = kt_cat_end(c, rc)) != KT_OK)
		return rc;
	/* the WAL still holds the pages as they were: into the database (whose
	 * freed pages secure_delete zeroed), then emptied */
	return kt_cat_exec(c, "PRAGMA wal_checkpoint(TRUNCATE);", "checkpoint the catalog");
}
