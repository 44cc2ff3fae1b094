/*
 * catalog_paper.c - paper files (issue 9): the documents of one paper file
 * are the files an operator scanned into one folder, kept together in the
 * order of their names (the order a batch reads them). The folder is the
 * source path as given up to its last '/' ("." for a bare name), so the view
 * needs no column of its own, and a case officer sees a personal file as it
 * lay on the shelf.
 */
#include "catalog_private.h"

#include <stdlib.h>
#include <string.h>

void kt_catalog_paper_folder(const char *source, size_t len, size_t *folder_len)
{
	size_t i = len;

	while (i > 0 && source[i - 1] != '/')
		i--;
	/* "a/b.tif" -> "a"; "/b.tif" -> "/"; "b.tif" -> "" (the folder ".") */
	*folder_len = i > 1 ? i - 1 : i;
}

int kt_catalog_paper_file_ids(kt_catalog *c, const char *folder, size_t len, long long **ids,
			      int *n)
{
	char *prefix = malloc(len + 2);
	size_t plen = len;
	sqlite3_stmt *st;

	if (prefix == NULL)
		return kt_error_set(&c->err, KT_FATAL, "out of memory");
	memcpy(prefix, folder, len);
	if (len > 0 && folder[len - 1] != '/')
		prefix[plen++] = '/';
	/* the files directly in the folder: the prefix, then no '/' */
	st = kt_cat_prep(c, "SELECT id FROM documents WHERE status='done'"
			 " AND substr(source, 1, ?)=? AND instr(substr(source, ?), '/')=0"
			 " ORDER BY source, part, id", "ibi", (long long)plen, prefix, plen,
			 (long long)plen + 1);
	free(prefix);
	return kt_cat_collect_ids(c, st, ids, n);
}

int kt_cat_paper_case(kt_catalog *c, long long id, const void *source, size_t len, char **cn,
		      int *linked, int *total)
{
	size_t flen;
	long long *ids = NULL;
	sqlite3_stmt *st;
	int n = 0, i, rc, cases = 0;

	*cn = NULL;
	*linked = *total = 0;
	kt_catalog_paper_folder(source, len, &flen);
	if ((rc = kt_catalog_paper_file_ids(c, source, flen, &ids, &n)) != KT_OK)
		return rc;
	for (i = 0; i < n; i++)
		*total += ids[i] != id;
	free(ids);
	if (*total == 0)
		return KT_OK;
	{
		char *prefix = malloc(flen + 2);
		size_t plen = flen;

		if (prefix == NULL)
			return kt_error_set(&c->err, KT_FATAL, "out of memory");
		memcpy(prefix, source, flen);
		if (flen > 0 && prefix[flen - 1] != '/')
			prefix[plen++] = '/';
		st = kt_cat_prep(c, "SELECT l.case_number, count(DISTINCT l.doc_id) FROM case_links l"
				 " JOIN documents d ON d.id=l.doc_id AND d.status='done'"
				 " WHERE d.id<>? AND substr(d.source, 1, ?)=?"
				 " AND instr(substr(d.source, ?), '/')=0"
				 " GROUP BY l.case_number ORDER BY 2 DESC, 1", "iibi", id, (long long)plen,
				 prefix, plen, (long long)plen + 1);
		free(prefix);
	}
	if (st == NULL)
		return c->err.code;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (cases++ == 0) {
			*cn = kt_cat_col_strdup(st, 0);
			*linked = sqlite3_column_int(st, 1);
		}
	}
	sqlite3_finalize(st);
	if (cases != 1) { /* none, or the neighbours disagree: no hint */
		free(*cn);
		*cn = NULL;
		*linked = 0;
	}
	return KT_OK;
}
