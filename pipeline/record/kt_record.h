/*
 * kt_record.h - the document record: one document of the store as C structs
 * (identity, pages, extracted fields, case links, package versions), and its
 * one JSON form, the "document object" of docs/cli.md.
 *
 * The catalog fills a record from its rows (kt_catalog_doc_get), the runner
 * builds one for the archive package (data/metadata/document.json), METS
 * reads it, the command line and the web print it. The JSON form is written
 * and read in one file, record_json.c (kt_doc_to_json, kt_doc_from_json);
 * callers read the struct, not the JSON.
 *
 * Ownership: a kt_doc owns everything it points to (strings, arrays, the
 * json_t of unknown keys). kt_doc_free frees it all. Strings put into a
 * record go through kt_doc_str_set (a copy is made); arrays grow through the
 * kt_doc_add_* functions.
 *
 * Absent and present: a string that is NULL is absent from the JSON (or
 * written as null where the contract always has the key: "format", "batch"
 * and the strings of a page); lists of the metadata carry a presence bit in
 * kt_doc_meta.has, since an empty list and a missing key are written
 * differently.
 *
 * Errors: functions that can fail return a kt_status code (kt_status.h):
 * KT_FATAL when out of memory, KT_FAILED for a record that does not conform,
 * with the message on the kt_error given (it names the key).
 */
#ifndef KT_RECORD_H
#define KT_RECORD_H

#include <jansson.h>
#include <stddef.h>

#include "kt_status.h"
#include "kt_strv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a document stands; KT_DOC_NONE: not said (a package's record has no
 * status: "status" is then absent from the JSON). */
enum kt_doc_status { KT_DOC_NONE, KT_DOC_PROCESSING, KT_DOC_DONE, KT_DOC_FAILED };

/* kt_doc_status_name: "processing", "done", "failed", or NULL for
 * KT_DOC_NONE; a static string. */
const char *kt_doc_status_name(enum kt_doc_status s);

/* kt_doc_status_of: the status a name stands for; KT_DOC_NONE for NULL or a
 * name that is none of the three. */
enum kt_doc_status kt_doc_status_of(const char *name);

/* One page: what recognition made of it. Strings owned by the record. */
typedef struct kt_doc_page {
	int n;              /* page number, from 1 */
	int rotation;       /* clockwise degrees that made the scan upright */
	double skew;        /* degrees, counter-clockwise positive */
	int blank;          /* 1: blank page, no OCR */
	char *lang;         /* Tesseract code of the main language; "" blank */
	int confidence;     /* mean word confidence, 0-100 */
	char *text;         /* the page's text, line breaks kept */
	json_t *extra;      /* keys the record does not know, kept; NULL: none */
	/* Added by issue 18; written for every page after "text" (null when
	 * NULL), optional when read. */
	char *text_source;  /* "pdf": the PDF page's own visible text, no OCR;
	                     * "ocr": recognised; NULL: not known (a record
	                     * from before, or the catalog's, which keeps none) */
	/* Added by issue 19: what an operator rescans. Written as "quality"
	 * after "text_source" when measured, optional when read. */
	int measured;       /* 1 when the four below are known */
	int paper, ink;     /* grey levels of the scan's background and text
	                     * (ink -1: too little to tell) */
	int cut_words;      /* recognised words touching the page's edge */
	int cut_edges;      /* which: 1 left, 2 top, 4 right, 8 bottom, or-ed */
} kt_doc_page;

/* A person's name found in the text (or the MRZ's). */
typedef struct kt_doc_name {
	char *surname, *given_names;
	json_t *extra;
} kt_doc_name;

/* A personal code that failed its check, kept for review. */
typedef struct kt_doc_pcode_candidate {
	char *value, *country, *reason;
	json_t *extra;
} kt_doc_pcode_candidate;

/* A valid personal code and the country whose rules it follows ("LV", "LT"). */
typedef struct kt_doc_pcode_country {
	char *code, *country;
} kt_doc_pcode_country;

/* The machine readable zone of a travel document (ICAO 9303). Every string
 * is absent from the JSON when NULL. */
typedef struct kt_doc_mrz {
	char *format;           /* "TD1", "TD2", "TD3", "MRVA", "MRVB" */
	char *document_type, *issuer, *surname, *given_names, *document_number;
	char *nationality, *birth_date, *sex, *expiry_date, *optional_data;
	char *optional_data_2;  /* TD1 only, when not empty */
	int valid;              /* 1: every check digit holds */
	int has_valid;          /* 0: "valid" absent */
	kt_strv errors;         /* names of the failed checks */
	int has_errors;         /* 0: "errors" absent */
	char *line1, *line2, *line3;  /* line3: TD1 only */
	json_t *extra;
} kt_doc_mrz;

/* Presence bits of kt_doc_meta.has: the lists (and the one map) present. */
enum {
	KT_DOC_HAS_CASE_NUMBERS = 1u << 0,
	KT_DOC_HAS_PERSONAL_CODES = 1u << 1,
	KT_DOC_HAS_DATES = 1u << 2,
	KT_DOC_HAS_DOC_TYPE_EVIDENCE = 1u << 3,
	KT_DOC_HAS_NAMES = 1u << 4,
	KT_DOC_HAS_PCODE_CANDIDATES = 1u << 5,
	KT_DOC_HAS_PCODE_COUNTRIES = 1u << 6,
	KT_DOC_HAS_ALL = (1u << 7) - 1,  /* what the extractor always writes */
	KT_DOC_HAS_SIGNATURES = 1u << 7  /* issue 18: an e-signed container's */
};

/* ------------------------------------------- signatures (issue 18) */

/*
 * A signature of an e-signed container (ASiC-E: .edoc, .asice), as its
 * XAdES file says: who (the signing certificate's subject), when
 * (xades:SigningTime) and which data files it covers. kartoteka does NOT
 * verify signatures (docs/ocr.md, "E-signed containers"): "verified" is
 * false in every record it makes. In the JSON: the metadata's
 * "signatures" array (record_json_sign.c), so the catalog's metadata keeps
 * them too; each object {"error"?, "files", "signer", "signing_time",
 * "verified", "xml"}.
 */
typedef struct kt_doc_signature {
	char *xml;          /* the signature file in the container, e.g.
	                       "META-INF/signatures0.xml"; NULL: absent */
	char *signer;       /* CN (or "givenName surname"); NULL: written as null */
	char *signing_time; /* "YYYY-MM-DDTHH:MM:SSZ" (UTC); NULL: written as null */
	kt_strv files;      /* the data files its references name */
	int verified;       /* 0: not checked (always, in what kartoteka writes) */
	char *error;        /* why the signature file could not be read (no
	                       signer, time or files then); NULL: absent */
	json_t *extra;      /* keys the record does not know, kept */
} kt_doc_signature;

/* The extracted fields ("metadata" in the JSON). A failed document has
 * none: has = 0, doc_type and mrz NULL, which is written as {}. */
typedef struct kt_doc_meta {
	unsigned has;                    /* KT_DOC_HAS_* bits */
	kt_strv case_numbers;            /* sorted, unique */
	kt_strv personal_codes;          /* canonical */
	kt_strv dates;                   /* YYYY-MM-DD, sorted, unique */
	char *doc_type;                  /* decision, application, ...; NULL: absent */
	kt_strv doc_type_evidence;
	kt_doc_name *names;
	size_t n_names;
	kt_doc_pcode_candidate *pcode_candidates;
	size_t n_pcode_candidates;
	kt_doc_pcode_country *pcode_countries;
	size_t n_pcode_countries;
	kt_doc_mrz *mrz;                 /* NULL: the text has no MRZ */
	json_t *extra;                   /* fields the record does not know yet
	                                    ("metadata fields may grow"), kept */
	/* Added by issue 18 ("signatures", when KT_DOC_HAS_SIGNATURES). */
	kt_doc_signature *signatures;
	size_t n_signatures;
} kt_doc_meta;

/* A case the document is linked to (docs/cases.md, "Linking"). */
typedef struct kt_doc_link {
	char *case_number;
	char *evidence;     /* why, e.g. "case number X", "personal code X",
	                       "MRZ SURNAME FIRST born YYYY-MM-DD"; several
	                       joined by "; "; NULL: unknown (a record that
	                       holds the case number only) */
	/* Added by issue 9; in the JSON's "links" (record_json_links.c). */
	char *rule;         /* the strongest rule: "case_number", "personal_code",
	                       "mrz", "name_birth_date", "case_number_near",
	                       "manual"; NULL: not known */
	double confidence;  /* 0..1; -1: not known */
	char *state;        /* "auto" (confident enough), "accepted" (a
	                       suggestion a person accepted), "manual" (linked
	                       by a person); NULL: not known */
	char *decided_by;   /* who decided ("accepted", "manual"); NULL: nobody */
	char *decided_at;   /* when, "YYYY-MM-DDTHH:MM:SSZ"; NULL: nobody */
} kt_doc_link;

/* One archive package of the document. */
typedef struct kt_doc_version {
	int version;        /* from 1 */
	char *package;      /* path relative to the archive folder; NULL: not
	                       known (the package being written) */
	char *created;      /* "YYYY-MM-DDTHH:MM:SSZ"; NULL: not known */
	char *reason;       /* why it was made (kartoteka reprocess); NULL when
	                       ingested */
} kt_doc_version;

/* A correction a person made (issue 9, `kartoteka edit`): one field of the
 * extracted metadata, or one page's text, set to a value. A document's
 * corrections are applied in order over what OCR and extraction give, in
 * every version made after them (correction.c). */
typedef struct kt_doc_correction {
	char *field;        /* "doc_type", "dates", "case_numbers",
	                       "personal_codes", "names" or "page_text" */
	int page;           /* page_text: the page, from 1; otherwise 0 */
	json_t *value;      /* doc_type, page_text: a string; dates,
	                       case_numbers, personal_codes: an array of
	                       strings; names: an array of {"surname",
	                       "given_names"}; owned */
	char *user;         /* who (the operating system user) */
	char *at;           /* when, "YYYY-MM-DDTHH:MM:SSZ" */
	char *reason;       /* why; NULL: not given */
} kt_doc_correction;

/* The document. Plain struct: callers read the fields; everything pointed
 * to is owned by it. */
typedef struct kt_doc {
	/* identity */
	long long id;
	char *sha256;              /* 64 hex digits */
	char *source;              /* the path as given: any bytes, source_len of
	                              them (a NUL is added after the last) */
	size_t source_len;
	char *batch;               /* batch name; NULL: written as null */
	enum kt_doc_status status; /* KT_DOC_NONE: "status" absent */
	char *error;               /* why it failed; NULL: absent */
	char *format;              /* "tiff", "png", "jpeg"; NULL: written as null */
	long long bytes;           /* file size; not in the JSON; 0: unknown */
	char *ingested;            /* "YYYY-MM-DDTHH:MM:SSZ"; not in the JSON; NULL: unknown */
	char *ocr_engine;          /* e.g. "tesseract 5.3.0" (package record); NULL: absent */
	char *package;             /* current package; NULL: absent, with its version */
	int package_version;
	/* pages */
	kt_doc_page *pages;
	size_t n_pages;
	/* extracted fields */
	kt_doc_meta meta;
	/* case links */
	int has_links;             /* 1: "cases" written (a catalog record), even empty */
	kt_doc_link *links;
	size_t n_links;
	/* versions: every package of the document, oldest first (the catalog's
	 * record; a package's record lists the versions up to its own when it
	 * was made by reprocessing); "versions" in the JSON when there are any */
	kt_doc_version *versions;
	size_t n_versions;
	json_t *extra;             /* top-level keys the record does not know, kept */
	/* Added by issue 9: the corrections people made, oldest first
	 * ("corrections" in the JSON when there are any; correction.c). */
	kt_doc_correction *corrections;
	size_t n_corrections;
	/* Added by issue 9, separator sheets: one document of a scan that
	 * separator sheets divide ("part" in the JSON when part > 0; part.c).
	 * The original is the whole file, sha256 its hash. */
	int part;                  /* 0: the whole file; k >= 1: part k of parts */
	int parts;
	int first_page, last_page; /* its pages in the original file, 1-based */
	char *separator;           /* the code of the sheet before it; NULL: none */
} kt_doc;

/* kt_doc_new: an empty record (all zero, NULL); caller frees with
 * kt_doc_free. NULL when out of memory. */
kt_doc *kt_doc_new(void);

/* kt_doc_free: free the record and all it owns, set *d to NULL; NULL and
 * *d == NULL are no-ops. */
void kt_doc_free(kt_doc **d);

/* kt_doc_meta_release: free what a kt_doc_meta owns; it is empty after. */
void kt_doc_meta_release(kt_doc_meta *m);

/* kt_doc_str_set: replace the owned string *slot by a copy of s (NULL: no
 * string). KT_OK, or KT_FATAL when out of memory (*slot unchanged). */
int kt_doc_str_set(char **slot, const char *s);

/* kt_doc_set_source: the source path as bytes s[0..len) (copied). KT_OK or
 * KT_FATAL. */
int kt_doc_set_source(kt_doc *d, const char *s, size_t len);

/* Growing the arrays: each returns the new element, zeroed, owned by the
 * record (its strings are set with kt_doc_str_set); NULL when out of memory.
 * A pointer returned stays valid until the next kt_doc_add_* on the same
 * array. */
kt_doc_page *kt_doc_add_page(kt_doc *d);
kt_doc_name *kt_doc_add_name(kt_doc_meta *m);
kt_doc_pcode_candidate *kt_doc_add_pcode_candidate(kt_doc_meta *m);
kt_doc_mrz *kt_doc_new_mrz(kt_doc_meta *m);  /* replaces any MRZ */
kt_doc_signature *kt_doc_add_signature(kt_doc_meta *m);  /* sets no has bit */

/* kt_doc_add_pcode_country, kt_doc_add_link, kt_doc_add_version: append an
 * element with copies of the strings (evidence and package may be NULL); a
 * version's created and reason are then set with kt_doc_str_set. KT_OK or
 * KT_FATAL. */
int kt_doc_add_pcode_country(kt_doc_meta *m, const char *code, const char *country);
int kt_doc_add_link(kt_doc *d, const char *case_number, const char *evidence);

/* kt_doc_link_release: free what a link owns (its strings); it is empty
 * after. For a caller that takes links out of d->links. */
void kt_doc_link_release(kt_doc_link *l);

/* kt_doc_find_link: the link of d to case_number, or NULL when d has none
 * (borrowed from d). */
kt_doc_link *kt_doc_find_link(const kt_doc *d, const char *case_number);
int kt_doc_add_version(kt_doc *d, int version, const char *package);

/*
 * kt_doc_source_escape: the source as JSON text: bytes that are not UTF-8
 * (and NUL) as "\xHH" (kt_utf8_escape). malloc'd, caller frees; NULL when
 * out of memory.
 */
char *kt_doc_source_escape(const kt_doc *d);

/*
 * kt_doc_source_unescape: the bytes a JSON "source" stands for: "\xHH" is
 * decoded when escaping the result gives the same text back, else the text
 * is kept as it is. malloc'd (NUL added), *len its length; caller frees;
 * NULL when out of memory.
 */
char *kt_doc_source_unescape(const char *text, size_t *len);

/* ------------------------------------------------- JSON (record_json.c) */

/*
 * kt_doc_to_json: the document object of the JSON contract (docs/cli.md),
 * keys in the contract's order: id, source, sha256, status, error, format,
 * batch, ocr_engine, package, package_version, pages, metadata, cases, then
 * unknown keys kept from kt_doc_from_json in their order. Page keys in the
 * order n, rotation, skew, blank, lang, confidence, text (then unknown
 * ones); the metadata's keys, at every depth, sorted by byte order (as the
 * catalog stores them). Absent parts are left out as the struct comments say.
 * New reference, caller json_decref()s; NULL when out of memory.
 */
json_t *kt_doc_to_json(const kt_doc *d);

/* The text forms of the document object. */
enum kt_doc_json_form {
	KT_DOC_JSON_LINE,     /* one line and a newline, keys in contract order:
	                         `docs --json`, `show --json`, `case --json` */
	KT_DOC_JSON_PACKAGE   /* a package's data/metadata/document.json:
	                         indented by 2, keys sorted, ASCII only, no
	                         newline at the end */
};

/* kt_doc_dumps: kt_doc_to_json as text in the given form. malloc'd, caller
 * frees; NULL when out of memory. */
char *kt_doc_dumps(const kt_doc *d, enum kt_doc_json_form form);

/* kt_doc_meta_to_json: the "metadata" object alone, as kt_doc_to_json
 * writes it. New reference; NULL when out of memory. */
json_t *kt_doc_meta_to_json(const kt_doc_meta *m);

/*
 * kt_doc_from_json: a record from a document object (catalog JSON, a line
 * of `docs --json`, or a package's document.json). Strict: a key of the
 * wrong type is KT_FAILED with the key named ("document record: 'pages[2].
 * rotation' must be an integer"); so is a missing required key: id, source,
 * sha256, format, batch (these two may be null), pages, metadata; each page's
 * n, rotation, skew, blank, lang, confidence and text. Unknown keys are
 * kept (kt_doc.extra, kt_doc_page.extra, kt_doc_meta.extra, ...) and written
 * back by kt_doc_to_json, so that a field added later passes through.
 * "source" is unescaped (kt_doc_source_unescape).
 * \param[in]  j    the object; borrowed
 * \param[out] out  the record, caller frees with kt_doc_free; NULL on error
 * \param[out] err  the message on error; may be NULL
 * \return KT_OK, KT_FAILED (message set), KT_FATAL when out of memory
 */
int kt_doc_from_json(const json_t *j, kt_doc **out, kt_error *err);

/* kt_doc_meta_from_json: the "metadata" object alone into *m (released
 * first), with the same rules; keys in messages are "metadata.KEY". */
int kt_doc_meta_from_json(const json_t *j, kt_doc_meta *m, kt_error *err);

/* ------------------------------ personal codes and dates (pcode.c) */

/*
 * Pure checks of the values a record or a case record holds; nothing is
 * allocated, strings are borrowed for the call, reasons are static strings.
 * The extractors (pipeline/extract_pcode.c, which gives the rules' sources)
 * and the case records import both check codes here.
 */

/* kt_record_days_in_month: the days of month (1-12) of year (Gregorian);
 * 0 for a month that is not 1-12. */
int kt_record_days_in_month(int year, int month);

/* kt_record_date_valid: 1 when s is an ISO date YYYY-MM-DD that is a real
 * calendar date (year 0001-9999), else 0 (also for NULL). */
int kt_record_date_valid(const char *s);

/* kt_record_pcode_lv_check_digit: the check digit of a Latvian code from its
 * first ten ASCII digits: 0-9; -1 when the formula gives 10 or a character
 * is not a digit. */
int kt_record_pcode_lv_check_digit(const char *d10);

/* kt_record_pcode_lt_check_digit: the check digit of a Lithuanian code from
 * its first ten ASCII digits: 0-9; -1 when a character is not a digit. */
int kt_record_pcode_lt_check_digit(const char *d10);

/* kt_record_pcode_lv_validate: check a Latvian code, "DDMMYY-NNNNN" or 11
 * digits: old codes a real birth date, century digit 0-2 and check digit;
 * codes since 1 July 2017 (3 and 2-9 first) carry no birth date and no check
 * digit, their form alone is checked (docs/personal-codes.md). Returns
 * NULL when valid, else "format", "date", "century", "checksum" or
 * "no_check_digit". */
const char *kt_record_pcode_lv_validate(const char *s);

/* kt_record_pcode_lt_validate: check a Lithuanian code of 11 digits (first
 * digit 1-6, birth date, month or day 00 allowed, check digit). Returns NULL
 * when valid, else "format", "date" or "checksum". */
const char *kt_record_pcode_lt_validate(const char *s);

/*
 * kt_record_pcode_check: may s stand in a case record's personal code?
 * Empty and NULL may; so may a valid Latvian or Lithuanian code and a code
 * of neither form (a foreign code, kept as it is). Refused: "DDMMYY-NNNNN"
 * failing the Latvian checks, and 11 digits of a Latvian (birth date and
 * century right) or a Lithuanian form (first digit and birth date right)
 * that fail the check digit of every form they have. An 11-digit code valid
 * as either is kept.
 * \return NULL when it may, else a static reason to follow the column name,
 *         e.g. "is not a valid Latvian personal code (check digit)".
 */
const char *kt_record_pcode_check(const char *s);

/* ------------------------------------------ corrections (issue 9) */

/* kt_doc_add_correction: append a correction to d, all of it copied (value:
 * a new reference is taken; reason may be NULL). KT_OK or KT_FATAL. */
int kt_doc_add_correction(kt_doc *d, const char *field, int page, json_t *value,
			  const char *user, const char *at, const char *reason);

/*
 * kt_doc_correction_check: may value stand for field (and page)? A known
 * field; page from 1 for page_text and 0 otherwise; doc_type a word of
 * lower-case letters and '_' (at most 32); dates real YYYY-MM-DD dates;
 * case_numbers non-empty strings without control characters; personal codes
 * valid Latvian or Lithuanian codes (canonical: "DDMMYY-NNNNN" or 11
 * digits); names objects with a non-empty surname and given_names;
 * page_text a string; every string UTF-8. Lists may be empty (clearing the
 * field).
eturn NULL when it may, else a static reason.
 */
const char *kt_doc_correction_check(const char *field, int page, const json_t *value);

/*
 * kt_doc_apply_page_corrections: set the text of each page of d that a
 * correction of d's corrections (borrowed from src, may be d) names, the
 * latest winning. Pages beyond d's are passed over. KT_OK or KT_FATAL.
 */
int kt_doc_apply_page_corrections(kt_doc *d, const kt_doc *src);

/*
 * kt_doc_apply_meta_corrections: set the fields of m that the corrections
 * of src name, the latest winning (personal codes also set their
 * countries). A correction that fails kt_doc_correction_check is passed
 * over. KT_OK or KT_FATAL.
 */
int kt_doc_apply_meta_corrections(kt_doc_meta *m, const kt_doc *src);

#ifdef __cplusplus
}
#endif

#endif
