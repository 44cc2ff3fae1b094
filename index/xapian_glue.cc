/*
 * xapian_glue.cc - the kt_index handle on Xapian 1.4: open, commit,
 * metadata, page count and free, and the one mapping of exceptions to our
 * codes (fail) that every extern "C" body of the xapian_*.cc files uses.
 *
 * Every extern "C" function catches everything; fail() turns the exception
 * being handled into a graded code and the message on the handle. The other
 * parts of kt_index.h: xapian_put.cc (indexing a page), xapian_query.cc
 * (describing a query), xapian_search.cc (search); the term layout is in
 * xapian_private.h.
 */
#include "xapian_private.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>

namespace kt_xapian {

namespace {

/* Record an error from an exception; the message reads
 * "cannot <what>: <why> (<Xapian type>: <Xapian message>[: <errno text>])". */
int set_xapian(kt_index *ix, int code, const char *what, const char *why, const Xapian::Error &e)
{
	const char *es = e.get_error_string();

	kt_error_set(&ix->err, code, "cannot %s: %s (%s: %s%s%s)", what, why, e.get_type(),
		     e.get_msg().c_str(), es ? ": " : "", es ? es : "");
	if (code == KT_FATAL)
		ix->fatal = true;
	return code;
}

} // namespace

/*
 * fail: map the exception being handled to a code and the message on the
 * handle. Call only from a catch block. `what` says what could not be done:
 * "put page 7-1 into index '/x'".
 */
int fail(kt_index *ix, const char *what) noexcept
{
	int code = KT_FAILED;

	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		return set_xapian(ix, KT_FAILED, what, "locked by another writer", e);
	} catch (const Xapian::DatabaseNotFoundError &e) {
		return set_xapian(ix, KT_FAILED, what, "no index database there", e);
	} catch (const Xapian::DatabaseVersionError &e) {
		return set_xapian(ix, KT_FAILED, what, "unsupported database version", e);
	} catch (const Xapian::DatabaseOpeningError &e) {
		return set_xapian(ix, KT_FAILED, what, "cannot open the database", e);
	} catch (const Xapian::DatabaseCreateError &e) {
		return set_xapian(ix, KT_FAILED, what, "cannot create the database", e);
	} catch (const Xapian::DatabaseModifiedError &e) {
		return set_xapian(ix, KT_FAILED, what, "the index kept changing, try again", e);
	} catch (const Xapian::DatabaseCorruptError &e) {
		return set_xapian(ix, KT_FATAL, what, "database corrupt", e);
	} catch (const Xapian::DatabaseError &e) {
		return set_xapian(ix, KT_FATAL, what, "database error", e);
	} catch (const Xapian::QueryParserError &e) {
		return set_xapian(ix, KT_FAILED, what, "bad query", e);
	} catch (const Xapian::Error &e) {
		return set_xapian(ix, KT_FAILED, what, "xapian error", e);
	} catch (const std::bad_alloc &) {
		code = kt_error_set(&ix->err, KT_FATAL, "cannot %s: out of memory", what);
	} catch (const std::exception &e) {
		code = kt_error_set(&ix->err, KT_FAILED, "cannot %s: %s", what, e.what());
	} catch (...) {
		code = kt_error_set(&ix->err, KT_FATAL, "cannot %s: unknown exception", what);
	}
	if (code == KT_FATAL)
		ix->fatal = true;
	return code;
}

/* Start of every call on an open handle: refuse after a fatal error, clear the
 * message, check the handle is open (and writable when it must be). */
int enter(kt_index *ix, bool need_write, const char *op)
{
	if (ix->fatal)
		return KT_FATAL;
	kt_error_clear(&ix->err);
	if (!ix->is_open)
		return kt_error_set(&ix->err, KT_FAILED, "cannot %s: index is not open", op);
	if (need_write && !ix->writable)
		return kt_error_set(&ix->err, KT_FAILED, "cannot %s: index '%s' is open read-only", op,
				    ix->dir.c_str());
	return KT_OK;
}

} // namespace kt_xapian

/* ============================================================= the C API */

using namespace kt_xapian;

extern "C" {

kt_index *kt_index_new(void)
{
	try {
		kt_index *ix = new (std::nothrow) kt_index();

		if (ix != nullptr)
			kt_error_clear(&ix->err);
		return ix;
	} catch (...) {
		return nullptr;
	}
}

int kt_index_open(kt_index *ix, const char *dir, int writable)
{
	char what[KT_ERRMSG_MAX];
	struct stat st;

	if (ix == nullptr)
		return KT_FAILED;
	if (ix->fatal)
		return KT_FATAL;
	kt_error_clear(&ix->err);
	if (dir == nullptr || *dir == '\0')
		return kt_error_set(&ix->err, KT_FAILED, "cannot open index: no folder given");
	if (ix->is_open)
		return kt_error_set(&ix->err, KT_FAILED, "cannot open index '%s': handle already has '%s' open",
				    dir, ix->dir.c_str());
	if (!writable && stat(dir, &st) != 0)
		return kt_error_set(&ix->err, KT_FAILED, "cannot open index '%s': %s", dir,
				    errno == ENOENT ? "no such folder" : std::strerror(errno));
	std::snprintf(what, sizeof what, "open index '%s'%s", dir, writable ? " for writing" : "");
	try {
		if (writable) {
			Xapian::WritableDatabase w(dir, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);

			w.begin_transaction(true);
			ix->wdb = w;
		} else {
			ix->rdb = Xapian::Database(dir);
		}
		ix->dir = dir;
		ix->writable = writable != 0;
		ix->is_open = true;
		return KT_OK;
	} catch (...) {
		return fail(ix, what);
	}
}

const char *kt_index_errmsg(const kt_index *ix)
{
	return ix ? ix->err.msg : "no index handle";
}

int kt_index_errcode(const kt_index *ix)
{
	return ix ? ix->err.code : KT_FAILED;
}

const kt_error *kt_index_error(const kt_index *ix)
{
	static const kt_error no_handle = { KT_FAILED, "no index handle" };

	return ix ? &ix->err : &no_handle;
}

int kt_index_delete_doc(kt_index *ix, long long doc_id)
{
	char what[KT_ERRMSG_MAX];
	int rc;

	if (ix == nullptr)
		return KT_FAILED;
	if ((rc = enter(ix, true, "delete document")) != KT_OK)
		return rc;
	std::snprintf(what, sizeof what, "delete document %lld from index '%s'", doc_id, ix->dir.c_str());
	try {
		ix->wdb.delete_document("D" + std::to_string(doc_id));
		return KT_OK;
	} catch (...) {
		return fail(ix, what);
	}
}

int kt_index_set_meta(kt_index *ix, const char *key, const char *value)
{
	char what[KT_ERRMSG_MAX];
	int rc;

	if (ix == nullptr)
		return KT_FAILED;
	if ((rc = enter(ix, true, "set metadata")) != KT_OK)
		return rc;
	if (key == nullptr || *key == '\0' || std::strlen(key) > MAX_FIELD)
		return kt_error_set(&ix->err, KT_FAILED, "cannot set metadata in index '%s': key empty or over 200 bytes",
				    ix->dir.c_str());
	std::snprintf(what, sizeof what, "set metadata '%s' in index '%s'", key, ix->dir.c_str());
	try {
		ix->wdb.set_metadata(key, value ? value : "");
		return KT_OK;
	} catch (...) {
		return fail(ix, what);
	}
}

char *kt_index_get_meta(kt_index *ix, const char *key)
{
	char what[KT_ERRMSG_MAX];

	if (ix == nullptr || enter(ix, false, "get metadata") != KT_OK)
		return nullptr;
	if (key == nullptr || *key == '\0') {
		kt_error_set(&ix->err, KT_FAILED, "cannot get metadata from index '%s': empty key", ix->dir.c_str());
		return nullptr;
	}
	std::snprintf(what, sizeof what, "get metadata '%s' from index '%s'", key, ix->dir.c_str());
	try {
		if (!ix->writable)
			ix->rdb.reopen();
		std::string v = ix->db().get_metadata(key);

		return v.empty() ? nullptr : c_strdup(v);
	} catch (...) {
		fail(ix, what);
		return nullptr;
	}
}

int kt_index_commit(kt_index *ix)
{
	char what[KT_ERRMSG_MAX];
	int rc;

	if (ix == nullptr)
		return KT_FAILED;
	if ((rc = enter(ix, true, "commit")) != KT_OK)
		return rc;
	std::snprintf(what, sizeof what, "commit index '%s'", ix->dir.c_str());
	try {
		ix->wdb.commit_transaction();
		ix->wdb.begin_transaction(true);
		return KT_OK;
	} catch (...) {
		/* The transaction is gone either way: nothing more can be done safely. */
		fail(ix, what);
		ix->err.code = KT_FATAL;
		ix->fatal = true;
		return KT_FATAL;
	}
}

long long kt_index_doc_count(kt_index *ix)
{
	char what[KT_ERRMSG_MAX];

	if (ix == nullptr || enter(ix, false, "count pages") != KT_OK)
		return -1;
	std::snprintf(what, sizeof what, "count pages of index '%s'", ix->dir.c_str());
	try {
		if (!ix->writable)
			ix->rdb.reopen();
		return (long long)ix->db().get_doccount();
	} catch (...) {
		fail(ix, what);
		return -1;
	}
}

void kt_index_free(kt_index **pix)
{
	kt_index *ix;

	if (pix == nullptr || *pix == nullptr)
		return;
	ix = *pix;
	try {
		if (ix->is_open && ix->writable) {
			try {
				ix->wdb.cancel_transaction();	/* uncommitted changes go */
			} catch (...) {
			}
			ix->wdb.close();
		} else if (ix->is_open) {
			ix->rdb.close();
		}
	} catch (...) {
	}
	delete ix;
	*pix = nullptr;
}

} /* extern "C" */
