/*
 * xapian_compact.cc - the index written again from what it holds
 * (kt_index_compact, kt_index.h): after an erasure, the blocks that held the
 * deleted pages' terms and data are free but not overwritten, so the
 * database is compacted into a new folder (Xapian::Database::compact: only
 * live documents, ids kept) that then takes the old one's place in one
 * atomic exchange (renameat2 RENAME_EXCHANGE), and the old files are
 * removed (kt_rmtree).
 */
#include "xapian_private.h"
#include "kt_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

int kt_index_compact(kt_index *ix)
{
	char what[KT_ERRMSG_MAX];
	std::string tmp;

	if (ix == nullptr)
		return KT_FAILED;
	if (ix->fatal)
		return KT_FATAL;
	kt_error_clear(&ix->err);
	if (!ix->is_open || !ix->writable)
		return kt_error_set(&ix->err, KT_FAILED, "cannot compact the index: not open for writing");
	tmp = ix->dir + ".compact";
	std::snprintf(what, sizeof what, "compact index '%s'", ix->dir.c_str());
	try {
		ix->wdb.commit_transaction();
		ix->wdb.close();
		kt_rmtree(tmp.c_str(), nullptr); /* a compaction stopped before */
		{
			Xapian::Database src(ix->dir);

			src.compact(tmp, Xapian::DBCOMPACT_NO_RENUMBER);
			src.close();
		}
		if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, ix->dir.c_str(), RENAME_EXCHANGE) != 0) {
			int e = errno;

			kt_rmtree(tmp.c_str(), nullptr);
			ix->fatal = true;
			return kt_error_set(&ix->err, KT_FATAL, "cannot %s: cannot put the compacted copy "
					    "in its place: %s", ix->dir.c_str(), std::strerror(e));
		}
		kt_rmtree(tmp.c_str(), nullptr); /* now the old files */
		Xapian::WritableDatabase w(ix->dir, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);

		w.begin_transaction(true);
		ix->wdb = w;
		return KT_OK;
	} catch (...) {
		kt_xapian::fail(ix, what);
		ix->err.code = KT_FATAL;
		ix->fatal = true;
		return KT_FATAL;
	}
}
