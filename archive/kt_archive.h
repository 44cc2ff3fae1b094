/*
 * kt_archive.h - long-term archive packages: one BagIt 1.0 bag (RFC 8493) per
 * document version, serialised as an uncompressed POSIX tar file.
 *
 * A store is a folder; packages live at <store>/<sha[0:2]>/<name>.tar where
 *
 *   name = kt-<doc id, 8 digits at least>-<first 16 hex of the SHA-256>-v<version>
 *
 * No user input goes into a name. A package is written once, atomically, and
 * never modified: writing a package whose name exists is a no-op.
 *
 * Inside the tar every entry is under "<name>/":
 *
 *   bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
 *   tagmanifest-sha256.txt, tagmanifest-sha512.txt, data/<payload files>
 *
 * See docs/archive.md for the layout, the atomic write and what verify checks.
 *
 * Status codes and messages follow kt_status.h. The handle is not thread-safe;
 * use one handle per thread. kt_archive_export_bag changes the process's
 * working directory for the duration of the call (see there).
 */
#ifndef KT_ARCHIVE_H
#define KT_ARCHIVE_H

#include <jansson.h>
#include <stddef.h>

#include "kt_record.h"
#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_archive kt_archive;

/* Size of a buffer for kt_archive_safe_name, terminating NUL included. */
#define KT_ARCHIVE_SAFE_NAME_MAX 101

/*
 * kt_archive_new: a handle with no store open.
 * \return the handle, or NULL when out of memory. Caller frees with
 *         kt_archive_free.
 */
kt_archive *kt_archive_new(void);

/*
 * kt_archive_open: use the folder dir as the store; it and its missing parents
 * are created (mode 0755 less the umask).
 * \param[in] dir  the store's archive folder; copied
 * \return KT_OK, or KT_FAILED with the message set
 */
int kt_archive_open(kt_archive *a, const char *dir);

/*
 * kt_archive_errmsg: the message of the last error on a, "" if none.
 * \return a string owned by a, valid until the next call on a
 */
const char *kt_archive_errmsg(const kt_archive *a);

/*
 * kt_archive_set_bagging_time: use a fixed bagging time (seconds since the
 * epoch, UTC) for the Bagging-Date and every tar entry's mtime, so that the
 * same input gives byte-identical packages (tests, reproducible rebuilds).
 * 0 goes back to the clock, the default.
 */
void kt_archive_set_bagging_time(kt_archive *a, long long unix_seconds);

/* One payload file, borrowed by kt_archive_write for the duration of the call. */
typedef struct kt_archive_file {
	/*
	 * Path relative to data/, e.g. "original/scan.tif", "text/page-0001.txt".
	 * Printable ASCII only; no leading '/', no empty, "." or ".." component,
	 * no backslash, at most 512 bytes; unique even ignoring case, and no
	 * file may also be a folder of another. Anything else is refused.
	 * NULL means "the original": it is stored as original/<safe name> where
	 * the safe name is kt_archive_safe_name(source_name).
	 */
	const char *path;
	const void *data; /* len bytes; may be NULL when len is 0 */
	size_t len;
} kt_archive_file;

/* What to package; every pointer is borrowed for the duration of the call. */
typedef struct kt_archive_package {
	long long doc_id;          /* >= 0; Internal-Sender-Identifier */
	const char *sha256;        /* the original's SHA-256, 64 hex digits;
	                              External-Identifier */
	int version;               /* 1, 2, ... */
	const char *batch;         /* Bag-Group-Identifier; may be NULL */
	const char *source_name;   /* the original's file name as received (any
	                              bytes); only its safe form is stored, as
	                              Kartoteka-Source-Name; may be NULL */
	const char *organisation;  /* Source-Organization; may be NULL */
	const kt_archive_file *files; /* the payload, at least one file */
	int n_files;
} kt_archive_package;

/*
 * kt_archive_write: write the package of p as <store>/<sha[0:2]>/<name>.tar.
 * The tar is written to a temporary file in the same folder
 * (".<name>.tar.tmp-XXXXXX"), synced, made read-only (0444), linked to its
 * final name (a rename that cannot replace an existing file), and the folder
 * is synced. If a package of that name exists already, nothing is written or
 * changed and KT_OK is returned (writes are idempotent). A failed write leaves
 * no temporary file behind; a crash may (see kt_archive_sweep), but never a
 * partial file under a final name.
 * \param[in]  p            the package; borrowed
 * \param[out] relpath_out  if not NULL, receives the path relative to the
 *                          store ("ab/kt-....tar"); caller frees with free()
 * \return KT_OK; KT_WARN if written but the temporary name could not be
 *         removed; KT_FAILED for a refused package or an I/O error (message
 *         set); KT_FATAL when out of memory
 */
int kt_archive_write(kt_archive *a, const kt_archive_package *p, char **relpath_out);

/*
 * kt_archive_problem_fn: called once per problem found by kt_archive_verify.
 * \param[in] package  the package name ("kt-...-v1"); "" if relpath is not
 *                     of the store's form
 * \param[in] file     the bag-relative path the problem is about
 *                     ("bagit.txt", "data/text/page-0001.txt", ...), or ""
 *                     when it is about the whole package (unreadable tar)
 * \param[in] problem  lower-case text, e.g. "content does not match its
 *                     sha256 and sha512 digests"
 * All strings are borrowed for the duration of the call.
 */
typedef void (*kt_archive_problem_fn)(void *ctx, const char *package,
                                      const char *file, const char *problem);

/*
 * kt_archive_verify: re-read one package and check it is a complete and valid
 * bag: the tar reads to its end; every entry is a file or folder under
 * "<name>/" with a safe path; bagit.txt is exactly ours; every payload file is
 * listed in both payload manifests and every listed file exists; every
 * sha256 and sha512 digest is recomputed and compared; Payload-Oxum matches;
 * the tag manifests list and match bagit.txt, bag-info.txt and both
 * manifests. A changed file is told apart from a changed manifest line by
 * the two digest algorithms. The tar is streamed; nothing is written to disk.
 * \param[in]  relpath     as returned by kt_archive_write
 * \param[in]  fn, ctx     called once per problem; fn may be NULL
 * \param[out] n_problems  if not NULL, the number of problems
 * \return KT_OK when clean; KT_FAILED when problems were found (message set
 *         to a summary); KT_FATAL when out of memory
 */
int kt_archive_verify(kt_archive *a, const char *relpath, kt_archive_problem_fn fn,
                      void *ctx, int *n_problems);

/*
 * kt_archive_read_file: read one payload file of a package into memory,
 * streaming the tar; the bytes are checked against manifest-sha256.txt
 * before they are returned.
 * \param[in]  relpath    as returned by kt_archive_write
 * \param[in]  data_path  path relative to data/, e.g. "text/page-0001.txt"
 * \param[out] data       receives the bytes (NUL-terminated for
 *                        convenience; the NUL is not counted); caller frees
 *                        with free()
 * \param[out] len        receives the number of bytes
 * \return KT_OK; KT_FAILED if the file is absent, unreadable or does not
 *         match its digest (nothing returned); KT_FATAL when out of memory
 */
int kt_archive_read_file(kt_archive *a, const char *relpath, const char *data_path,
                         void **data, size_t *len);

/*
 * kt_archive_export_bag: extract a package as the bag folder dir/<name>/
 * (dir is created if missing; dir/<name> must not exist). Every entry is
 * checked first: a package with an entry outside "<name>/", a ".." or empty
 * component, an absolute path, a link, a device or any other special file is
 * refused and nothing is extracted. Extraction uses libarchive's
 * ARCHIVE_EXTRACT_SECURE_NODOTDOT, _SECURE_NOABSOLUTEPATHS, _SECURE_SYMLINKS
 * and _NO_OVERWRITE into a temporary folder "dir/.kt-export-XXXXXX", which is
 * renamed into place at the end, so dir/<name> appears whole or not at all.
 * Files get mode 0644 and folders 0755 (less the umask); mtimes are kept.
 * Digests are not checked here: run kt_archive_verify for that.
 * Not thread-safe: the process's working directory is the temporary folder
 * while entries are extracted (so that the secure flags check only the bag's
 * own paths) and is restored before return.
 * \return KT_OK; KT_FAILED with the message set
 */
int kt_archive_export_bag(kt_archive *a, const char *relpath, const char *dir);

/*
 * kt_archive_sweep: remove temporary files left in the store by crashed
 * writers (".kt-*.tar.tmp-*" in the shard folders) whose mtime is at least
 * min_age_seconds old. A writer alive in another process may own a young one,
 * so use an age well above the time a write takes (e.g. 3600) unless no
 * writer can be running.
 * \param[out] n_removed  if not NULL, the number of files removed
 * \return KT_OK, or KT_FAILED with the message set
 */
int kt_archive_sweep(kt_archive *a, long long min_age_seconds, int *n_removed);

/*
 * kt_archive_safe_name: the safe form of a file name from user input, as
 * stored for kt_archive_package.source_name: every character outside
 * [A-Za-z0-9._-] becomes '_' (one per UTF-8 character, one per byte that is
 * not valid UTF-8), leading dots become '_', "" or NULL becomes "unnamed",
 * and a name longer than 100 bytes is cut, keeping an extension of up to 16
 * bytes. "../../etc/passwd" gives "___.._etc_passwd".
 * \param[in]  name  any bytes, NUL-terminated; may be NULL
 * \param[out] out   a buffer of KT_ARCHIVE_SAFE_NAME_MAX bytes
 */
void kt_archive_safe_name(const char *name, char out[KT_ARCHIVE_SAFE_NAME_MAX]);

/* What kt_archive_mets records besides the document record; borrowed. */
typedef struct kt_archive_mets_info {
	const char *software;      /* the program, e.g. "kartoteka 0.1.0"; NULL:
	                              "kartoteka" */
	const char *organisation;  /* the agent that holds the archive; may be NULL */
	long long event_time;      /* time of the events and the METS header,
	                              seconds since the epoch (UTC); 0: now. Use
	                              the bagging time for reproducible packages */
	int version;               /* the package version; 0 means 1 */
	const char *ocr_engine;    /* e.g. "tesseract 5.3.4"; NULL: the record's
	                              ocr_engine; no OCR event when both absent */
	const char *ocr_languages; /* e.g. "lav+lit+eng"; NULL: the distinct
	                              "lang" values of the record's pages */
} kt_archive_mets_info;

/*
 * kt_archive_mets: the METS document of a package (data/metadata/mets.xml):
 * METS 1.12 with PREMIS 3 inside it:
 *   - metsHdr: creation time, the organisation and the software as agents,
 *     the original's SHA-256 and the document id as altRecordIDs;
 *   - dmdSec: the record's source, batch, page count and its "metadata"
 *     object (the extracted fields) as <kt:map>/<kt:list>/<kt:string>/...
 *     elements in the namespace urn:kartoteka:fields:1, JSON keys as "key"
 *     attributes, object keys sorted;
 *   - amdSec: one techMD PREMIS object per file (SHA-256, size, format; the
 *     original's name as originalName), PREMIS agents (the software, the OCR
 *     engine with its languages, the organisation), and PREMIS events:
 *     ingestion, format identification (from the record's "format"), one
 *     message digest calculation per file, a fixity check (the record's
 *     sha256 against the bytes of the first file under original/: "pass" or
 *     "fail"), transcription (OCR: engine version and languages) and
 *     metadata extraction;
 *   - fileSec: one fileGrp per first folder (USE="ORIGINAL", "TEXT", ...),
 *     files sorted by path with SIZE and SHA-256 CHECKSUM;
 *   - structMap: the document, then one div per page holding the files named
 *     ".../page-NNNN.<ext>".
 * Every string from the record is XML-escaped; characters XML 1.0 does not
 * allow and bytes that are not UTF-8 become '?'. Same input, same bytes.
 * \param[in]  doc      the document record (kt_record.h) as stored in
 *                      data/metadata/document.json: id, source (written
 *                      escaped, kt_doc_source_escape), sha256, format,
 *                      batch, ocr_engine, pages, metadata (none: no
 *                      metadata extraction event); borrowed
 * \param[in]  info     may be NULL (all defaults)
 * \param[in]  files    the other payload files of the package (paths relative
 *                      to data/, any order, no NULL path; not mets.xml
 *                      itself), hashed here; borrowed
 * \param[out] xml_out  receives the XML, NUL-terminated; caller frees with
 *                      free()
 * \return KT_OK; KT_FAILED if doc is NULL or a path is not a
 *         valid payload path or is listed twice (message set); KT_FATAL when
 *         out of memory. The store need not be open.
 */
int kt_archive_mets(kt_archive *a, const kt_doc *doc, const kt_archive_mets_info *info,
                    const kt_archive_file *files, int n_files, char **xml_out);

/*
 * kt_archive_fixity_event: one PREMIS 3 "fixity check" event, as a
 * standalone <premis:event> element (with its namespace declaration) on one
 * line, for an audit of the package relpath by kt_archive_verify. Packages
 * are never modified, so the caller keeps it outside the package (the
 * catalog's fixity_checks table).
 * \param[in]  relpath   the package checked, as kt_archive_write returns it
 * \param[in]  when      the check's time, seconds since the epoch; 0: now
 * \param[in]  software  the executing program; NULL: "kartoteka"
 * \param[in]  passed    1: outcome "pass", 0: "fail"
 * \param[in]  note      eventOutcomeDetailNote (e.g. the problems); may be
 *                       NULL; XML-escaped
 * \param[out] xml_out   the XML; caller frees with free()
 * \return KT_OK; KT_FAILED for a bad relpath; KT_FATAL when out of memory
 */
int kt_archive_fixity_event(kt_archive *a, const char *relpath, long long when,
                            const char *software, int passed, const char *note,
                            char **xml_out);

/*
 * kt_archive_packages: every package of the store (files of the exact name
 * form in the shard folders; temporary files and strays are passed over),
 * ordered by document id, then version.
 * \param[out] relpaths  receives a malloc'd array of malloc'd paths as
 *                       kt_archive_write returns them; caller frees with
 *                       kt_archive_strings_free(relpaths, *n)
 * \param[out] n         the number of packages
 * \return KT_OK; KT_FAILED if the store cannot be read; KT_FATAL out of memory
 */
int kt_archive_packages(kt_archive *a, char ***relpaths, int *n);

/*
 * kt_archive_list_files: the payload files of a package, as paths relative
 * to data/ ("original/original.tif", "text/page-0001.txt", ...), sorted,
 * read from the tar's entries (not from the manifests; digests are not
 * checked: run kt_archive_verify for that).
 * \param[out] paths  a malloc'd array of malloc'd strings; caller frees with
 *                    kt_archive_strings_free(paths, *n)
 * \return KT_OK; KT_FAILED for a bad relpath or an unreadable tar (message
 *         set); KT_FATAL when out of memory
 */
int kt_archive_list_files(kt_archive *a, const char *relpath, char ***paths, int *n);

/*
 * kt_archive_parse_relpath: the document id and version of a package path
 * of the store's form ("ab/kt-00000017-ab12cd34ef56ab78-v2.tar" gives 17, 2).
 * Either output may be NULL.
 * \return KT_OK, or KT_FAILED (nothing set) when relpath is not of that form
 */
int kt_archive_parse_relpath(const char *relpath, long long *doc_id, int *version);

/* kt_archive_strings_free: free an array of n malloc'd strings and set *strs
 * to NULL; NULL is a no-op. */
void kt_archive_strings_free(char ***strs, int n);

/* kt_archive_free: free the handle and set *a to NULL; NULL is a no-op. */
void kt_archive_free(kt_archive **a);

#ifdef __cplusplus
}
#endif

#endif
