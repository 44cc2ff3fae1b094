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
#include "kt_strv.h"

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
 * kt_archive_error: the slot of the last call on a (its code and message,
 * clear when it succeeded), for a caller to pass up with kt_error_pass or
 * kt_error_escalate.
 * \return a slot owned by a, valid until the next call on a; for a NULL a, a
 *         static KT_FAILED slot
 */
const kt_error *kt_archive_error(const kt_archive *a);

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

/* Size of a buffer for kt_archive_export_name, terminating NUL included. */
#define KT_ARCHIVE_EXPORT_NAME_MAX 202

/*
 * kt_archive_export_name: the name a file from user input gets where it is
 * exported to a folder that may be copied to any file system (a court's
 * Windows medium): its letters kept, in NFC ("01 paziņojums Bērziņš.jpg"
 * stays as it is); control characters, / and \, what Windows refuses
 * (<>:"|?*), invisible format characters (zero widths, bidirectional
 * overrides) and bytes that are not UTF-8 become '_'; leading dots and
 * trailing dots and spaces become '_'; a Windows device name (CON, PRN,
 * AUX, NUL, COM1-9, LPT1-9, in any case, with any extension) gets a leading
 * '_'; "" or NULL becomes "unnamed"; a name longer than 200 bytes is cut at
 * a character, keeping an extension of up to 16 bytes.
 * \param[in]  name  any bytes, NUL-terminated; may be NULL
 * \param[out] out   a buffer of KT_ARCHIVE_EXPORT_NAME_MAX bytes
 */
void kt_archive_export_name(const char *name, char out[KT_ARCHIVE_EXPORT_NAME_MAX]);

/* What kt_archive_mets records besides the document record; borrowed. */
typedef struct kt_archive_mets_info {
	const char *software;      /* the program, e.g. "kartoteka 0.1.0"; NULL:
	                              "kartoteka" */
	const char *organisation;  /* the agent that holds the archive; may be NULL */
	long long event_time;      /* time of the events and the METS header,
	                              seconds since the epoch (UTC); 0: now. Use
	                              the bagging time for reproducible packages */
	int version;               /* the package version; 0 means 1 */
	const char *reason;        /* why this version was made from the one
	                              before (kartoteka reprocess): a PREMIS
	                              "modification" event; NULL: none */
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

/* ---------------------------------------------------------------------
 * Package layout (package.c): the one place that knows what a document
 * version's package holds and under which payload names (paths relative to
 * data/):
 *
 *   original/original.<tif|png|jpg>  the file as received, bit for bit
 *   text/page-NNNN.txt               the recognised text of each page
 *   alto/page-NNNN.xml               ALTO XML of each page (when made)
 *   master/page-NNNN.tif             the master of each recognised page: the
 *                                    cleaned page as a lossless TIFF
 *   access/document.pdf              the access copy: a searchable PDF with
 *                                    the PDF/A-2b markers (none when every
 *                                    page is the original PDF's own)
 *   text/document.txt                the pages' text, each followed by a
 *                                    blank line
 *   metadata/document.json           the document record (kt_record.h,
 *                                    KT_DOC_JSON_PACKAGE form)
 *   metadata/mets.xml                METS + PREMIS (kt_archive_mets)
 *   access/<file>                    access copies (a searchable PDF)
 *
 * The runner builds the payload with kt_package_files_make; rebuild, export
 * and the web read it back with the functions below, never by spelling
 * names.
 * --------------------------------------------------------------------- */

#define KT_PACKAGE_DOCUMENT_JSON "metadata/document.json"
#define KT_PACKAGE_METS_XML "metadata/mets.xml"
#define KT_PACKAGE_DOCUMENT_TEXT "text/document.txt"
#define KT_PACKAGE_ORIGINAL_DIR "original/"
#define KT_PACKAGE_ACCESS_DIR "access/"
#define KT_PACKAGE_ACCESS_PDF "access/document.pdf"
#define KT_PACKAGE_MASTER_DIR "master/"

/* Size of a buffer for a payload name made by kt_package_original_path,
 * kt_package_page_text_path or kt_package_page_alto_path, NUL included. */
#define KT_PACKAGE_PATH_MAX 48
/* Size of a buffer for a package name (kt_package_name), NUL included. */
#define KT_PACKAGE_NAME_MAX 64

/*
 * kt_package_original_path: the original's payload name from its format (as
 * identified from the content): "tiff" gives "original/original.tif",
 * "jpeg" "original/original.jpg", any other "original/original.<format>".
 * \param[in]  format  lower-case letters and digits, 1 to 16 of them
 * \param[out] out     a buffer of KT_PACKAGE_PATH_MAX bytes
 * \return KT_OK, or KT_FAILED (out set to "") for a NULL or bad format
 */
int kt_package_original_path(const char *format, char out[KT_PACKAGE_PATH_MAX]);

/* kt_package_page_text_path, kt_package_page_alto_path,
 * kt_package_page_master_path: the payload names of page n (from 1):
 * "text/page-0001.txt", "alto/page-0001.xml", "master/page-0001.tif" (four
 * digits at least). out is a buffer of KT_PACKAGE_PATH_MAX bytes. */
void kt_package_page_text_path(int n, char out[KT_PACKAGE_PATH_MAX]);
void kt_package_page_alto_path(int n, char out[KT_PACKAGE_PATH_MAX]);
void kt_package_page_master_path(int n, char out[KT_PACKAGE_PATH_MAX]);

/* kt_package_is_original: 1 when the payload path is under original/,
 * else 0 (NULL too). */
int kt_package_is_original(const char *path);

/*
 * kt_package_name: the package name of a package path ("ab/kt-00000017-
 * ab12cd34ef56ab78-v2.tar" gives "kt-00000017-ab12cd34ef56ab78-v2"), the
 * name of its folder in the tar and of the bag kt_archive_export_bag makes.
 * \param[out] out  a buffer of KT_PACKAGE_NAME_MAX bytes
 * \return KT_OK, or KT_FAILED (out set to "") when relpath is not of the
 *         store's form
 */
int kt_package_name(const char *relpath, char out[KT_PACKAGE_NAME_MAX]);

/* Bytes of a payload file given to kt_package_files_make; borrowed. */
typedef struct kt_package_bytes {
	const void *data;           /* NULL: no such file */
	size_t len;
} kt_package_bytes;

/* What a document version's package is made of; everything is borrowed. */
typedef struct kt_package_parts {
	const kt_doc *record;       /* the document record: its format names the
	                               original; its pages' texts are the page
	                               texts and, joined, the document text; it
	                               is written as document.json and described
	                               by mets.xml. Required */
	const void *original;       /* the original's bytes, original_len of them */
	size_t original_len;
	const char *const *alto;    /* NULL, or record->n_pages ALTO documents,
	                               an entry NULL when that page has none */
	const kt_archive_mets_info *mets; /* how mets.xml is made; NULL: defaults */
	/* Added by issue 18 (fields only ever appended here). */
	const kt_package_bytes *masters; /* NULL, or record->n_pages masters
	                               (master/page-NNNN.tif), an entry's data
	                               NULL when that page has none */
	kt_package_bytes access_pdf; /* the access copy (access/document.pdf);
	                               data NULL: none */
} kt_package_parts;

/* The payload files of a document version, for kt_archive_package.files.
 * A value struct: start from KT_PACKAGE_FILES_INIT, free with
 * kt_package_files_release. */
typedef struct kt_package_files {
	kt_archive_file *files;     /* n files, in no particular order; their
	                               paths and bytes are owned by this struct
	                               or borrowed from the parts */
	int n;
	kt_strv owned;              /* internal: names and texts made here */
} kt_package_files;

#define KT_PACKAGE_FILES_INIT { NULL, 0, KT_STRV_INIT }

/*
 * kt_package_files_make: the payload of a document version from its parts:
 * the original (kt_package_original_path of the record's format), the text
 * of each page, the ALTO and the master of each page that has one, the
 * access copy when there is one, the document text,
 * metadata/document.json (kt_doc_dumps, KT_DOC_JSON_PACKAGE) and, made last
 * over all of these, metadata/mets.xml (kt_archive_mets).
 * \param[in]  parts  borrowed; the bytes of the original, the record's page
 *                    texts, the ALTO documents, the masters and the access
 *                    copy stay borrowed by *out, so
 *                    keep them (and the record) until kt_package_files_release
 * \param[out] out    released first; filled on KT_OK, empty otherwise
 * \return KT_OK; KT_FAILED for a record without a good format or a page
 *         count that does not fit, or when mets.xml cannot be made (message
 *         on a); KT_FATAL when out of memory. The store need not be open.
 */
int kt_package_files_make(kt_archive *a, const kt_package_parts *parts, kt_package_files *out);

/* kt_package_files_release: free what a kt_package_files owns; it is empty
 * (and reusable) after. */
void kt_package_files_release(kt_package_files *f);

/*
 * kt_package_read_record: read and check a package's metadata/document.json
 * (checked against manifest-sha256.txt by kt_archive_read_file): it must be
 * a JSON object that kt_doc_from_json accepts, and its id and sha256 must be
 * the package name's.
 * \param[in]  relpath  as returned by kt_archive_write
 * \param[out] out      the record; caller frees with kt_doc_free; NULL on error
 * \return KT_OK; KT_FAILED when the file is absent or damaged, not JSON, not
 *         a document record, or names another document (message on a, e.g.
 *         "data/metadata/document.json names another document (id 7, sha256
 *         ...)"); KT_FATAL when out of memory
 */
int kt_package_read_record(kt_archive *a, const char *relpath, kt_doc **out);

/*
 * kt_package_find_original: the payload path of the package's original (the
 * first file under original/).
 * \param[out] path  malloc'd; caller frees with free(); NULL on error
 * \return KT_OK; KT_FAILED for a bad relpath, an unreadable tar, or "package
 *         '<relpath>' has no original" (message on a); KT_FATAL out of memory
 */
int kt_package_find_original(kt_archive *a, const char *relpath, char **path);

/*
 * kt_package_versions: the packages of one document, oldest version first
 * (every package "kt-<id>-<sha16>-v<n>.tar" of the store with that id).
 * \param[in]  doc_id    the document
 * \param[in]  sha256    its SHA-256 (64 hex digits): only its shard folder is
 *                       read; NULL: every shard folder is
 * \param[out] relpaths  a malloc'd array of malloc'd paths (NULL when none);
 *                       caller frees with kt_archive_strings_free(relpaths, *n)
 * \param[out] n         the number of versions found, 0 when none
 * \return KT_OK; KT_FAILED if the store cannot be read or sha256 is not 64
 *         hex digits; KT_FATAL when out of memory
 */
int kt_package_versions(kt_archive *a, long long doc_id, const char *sha256, char ***relpaths,
                        int *n);

/* What a file that `export` restores is. */
enum kt_package_file_kind {
	KT_PACKAGE_FILE_ORIGINAL,	/* the original, bit for bit */
	KT_PACKAGE_FILE_TEXT,		/* the document's text (text/document.txt) */
	KT_PACKAGE_FILE_ACCESS		/* an access copy (access/<file>, e.g. a searchable PDF) */
};

/* One file that `export` restores: its payload path, its file name in the
 * target folder (both malloc'd, owned by the plan) and what it is. */
typedef struct kt_package_export_file {
	char *data_path;
	char *name;
	enum kt_package_file_kind kind;
} kt_package_export_file;

/*
 * kt_package_export_plan: which payload files `kartoteka export` restores and
 * under which names: first the original, named as the export form
 * (kt_archive_export_name) of the base name of the record's source (the
 * package's document.json; when it cannot be read, fallback_source); then
 * the document text as <stem>.txt and each file directly under access/ that
 * has an extension as <stem>.<ext>, where <stem> is the original's name
 * without its extension. A name already taken becomes
 * <stem>.text.<ext> or <stem>.access.<ext>.
 * \param[in]  fallback_source  the source (as JSON text, "\xHH" escapes
 *                              allowed) when the record is unreadable; may
 *                              be NULL
 * \param[out] files  a malloc'd array; caller frees with
 *                    kt_package_export_plan_free(files, *n)
 * \return KT_OK; KT_FAILED for a bad relpath, an unreadable tar or a package
 *         with no original (message on a); KT_FATAL when out of memory
 */
int kt_package_export_plan(kt_archive *a, const char *relpath, const char *fallback_source,
                           kt_package_export_file **files, int *n);

/* kt_package_export_plan_free: free a plan of n files, set *files to NULL. */
void kt_package_export_plan_free(kt_package_export_file **files, int n);

/* kt_archive_strings_free: free an array of n malloc'd strings and set *strs
 * to NULL; NULL is a no-op. */
/* ------------------------------------------- erasure (issue 21, erase.c) */

/*
 * kt_archive_erase_doc: remove every package version of document doc_id
 * (and a temporary file of one) from its shard folder, each overwritten
 * with zeros and synced before it is unlinked; the one operation that
 * removes what the archive wrote. *n_removed receives how many files went.
 * KT_OK (also when none was left), KT_FAILED (sha256 is no SHA-256),
 * KT_FATAL (a file could not be erased; message on a).
 */
int kt_archive_erase_doc(kt_archive *a, long long doc_id, const char *sha256, int *n_removed);

/* kt_archive_tombstone_put: write json[0..len) (borrowed) as the tombstone
 * of doc_id, kt-<id>-erased.json in the shard folder of sha256, atomically
 * (read-only). KT_OK, KT_FAILED or KT_FATAL (message on a). */
int kt_archive_tombstone_put(kt_archive *a, long long doc_id, const char *sha256, const char *json,
			     size_t len);

/* kt_archive_tombstones: the contents of every tombstone in the archive
 * folder (a malloc'd array of n malloc'd strings, NULL when none; free with
 * kt_archive_strings_free). KT_OK, KT_FAILED (unreadable) or KT_FATAL. */
int kt_archive_tombstones(kt_archive *a, char ***jsons, int *n);

void kt_archive_strings_free(char ***strs, int n);

/* kt_archive_free: free the handle and set *a to NULL; NULL is a no-op. */
void kt_archive_free(kt_archive **a);

/* ------------------------------------------------------------- ZIP (zip.c)
 * A ZIP of whole files held in memory: the dossier of a case
 * (`kartoteka dossier --zip`). */

/* One file of a ZIP; everything borrowed. */
typedef struct kt_zip_entry {
	const char *name;           /* UTF-8, relative, "/" between folders; no
	                               empty, "." or ".." component */
	const void *data;           /* len bytes (NULL when len is 0) */
	size_t len;
} kt_zip_entry;

/*
 * kt_archive_zip_write: write a ZIP of the entries, in their order, to the
 * open file fd (from its current offset; the caller syncs and closes it):
 * Deflate, UTF-8 names (the language encoding flag set), mode 0644, every
 * entry's time mtime (seconds since the epoch). The handle need not be open.
 * \return KT_OK; KT_FAILED for a bad name (said before a byte is written) or
 *         a write error (message on a; what was written is the caller's to
 *         remove); KT_FATAL when out of memory
 */
int kt_archive_zip_write(kt_archive *a, int fd, const kt_zip_entry *entries, size_t n,
			 long long mtime);

#ifdef __cplusplus
}
#endif

#endif
