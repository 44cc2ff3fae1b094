/*
 * kt_extract.h - exact metadata extractors for OCR text.
 *
 * Pure functions over UTF-8 OCR output (Latvian, Lithuanian, Russian,
 * English, with OCR noise): machine readable zones of travel documents
 * (ICAO 9303), Latvian and Lithuanian personal codes, dates, case numbers,
 * the kind of document and names. Each extractor stands alone; the pipeline
 * calls kt_extract_metadata(), which runs them all and returns one JSON
 * object (see its comment for the keys).
 *
 * Nothing here keeps state between calls or writes to its input; every
 * function may be called from several threads at once, as long as a
 * kt_extract_cfg is not changed while it is being used.
 *
 * "Exact" means: a value is reported only when its own rules prove it (check
 * digits, real dates, a configured pattern). What fails a check is either
 * left out or reported as a low-confidence candidate for review.
 */
#ifndef KT_EXTRACT_H
#define KT_EXTRACT_H

#include <stddef.h>

#include <jansson.h>

#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A byte range [start, end) of the text given to an extractor. */
typedef struct kt_extract_span {
	size_t start;
	size_t end;
} kt_extract_span;

/* ------------------------------------------------------------------ */
/* Configuration                                                      */
/* ------------------------------------------------------------------ */

typedef struct kt_extract_cfg kt_extract_cfg;

/*
 * The default case-number pattern (POSIX ERE) used when the configuration
 * gives none: office code, optional country, year, serial, e.g.
 * "PMLP-LV-2023-004571" or "MD-LT-2022-001288".
 */
#define KT_EXTRACT_DEFAULT_CASE_PATTERN "[A-Z]{2,6}(-[A-Z]{2})?-[0-9]{4}-[0-9]{4,8}"

/*
 * kt_extract_cfg_new: a new, empty configuration (the default case-number
 * pattern, no known case numbers, today's date from the clock).
 * \return the handle, or NULL when out of memory; the caller frees it with
 *         kt_extract_cfg_free().
 */
kt_extract_cfg *kt_extract_cfg_new(void);

/*
 * kt_extract_cfg_add_pattern: add a case-number pattern, a POSIX extended
 * regular expression (compiled with REG_EXTENDED | REG_NEWLINE). Once one
 * pattern is added the default pattern is no longer used.
 * \param[in] c          the configuration
 * \param[in] posix_ere  the pattern; copied
 * \return KT_OK; KT_FAILED with a message (kt_extract_cfg_errmsg) when the
 *         pattern does not compile or is NULL; KT_FATAL when out of memory.
 */
int kt_extract_cfg_add_pattern(kt_extract_cfg *c, const char *posix_ere);

/*
 * kt_extract_cfg_add_known_case: add a known case number (from imported
 * records). Known numbers are found even when OCR changed one character of
 * them, and are then reported in this canonical form.
 * \param[in] c            the configuration
 * \param[in] case_number  1 to 63 bytes, no spaces; copied
 * \return KT_OK; KT_FAILED with a message when the number is empty, too long
 *         or has spaces; KT_FATAL when out of memory.
 */
int kt_extract_cfg_add_known_case(kt_extract_cfg *c, const char *case_number);

/*
 * kt_extract_cfg_set_today: fix the date used to resolve the two-digit years
 * of an MRZ (for reproducible runs and tests).
 * \param[in] yyyymmdd  e.g. 20240131, or 0 to use the clock again
 * \return KT_OK, or KT_FAILED with a message when it is no real date.
 */
int kt_extract_cfg_set_today(kt_extract_cfg *c, int yyyymmdd);

/*
 * kt_extract_cfg_errmsg: the message of the last failed call on c, "" if
 * none. Borrowed: valid until the next call on c. NULL-safe.
 */
const char *kt_extract_cfg_errmsg(const kt_extract_cfg *c);

/* kt_extract_cfg_free: free the configuration and set *c to NULL; NULL is a no-op. */
void kt_extract_cfg_free(kt_extract_cfg **c);

/* ------------------------------------------------------------------ */
/* MRZ (ICAO Doc 9303)                                                */
/* ------------------------------------------------------------------ */

typedef enum kt_mrz_format {
	KT_MRZ_NONE = 0,
	KT_MRZ_TD1,	/* 3 x 30, identity cards */
	KT_MRZ_TD2,	/* 2 x 36 */
	KT_MRZ_TD3,	/* 2 x 44, passports */
	KT_MRZ_MRVA,	/* 2 x 44, visa, first letter V */
	KT_MRZ_MRVB	/* 2 x 36, visa, first letter V */
} kt_mrz_format;

/* Bits of kt_mrz.errors: the checks that failed. */
enum {
	KT_MRZ_ERR_DOCUMENT_NUMBER = 1u << 0,
	KT_MRZ_ERR_BIRTH_DATE = 1u << 1,
	KT_MRZ_ERR_EXPIRY_DATE = 1u << 2,
	KT_MRZ_ERR_OPTIONAL_DATA = 1u << 3,
	KT_MRZ_ERR_COMPOSITE = 1u << 4,
	KT_MRZ_ERR_SEX = 1u << 5
};

/* A parsed machine readable zone. Strings are NUL-terminated, fillers removed. */
typedef struct kt_mrz {
	kt_mrz_format format;
	int nlines;			/* 2 or 3 */
	char line[3][48];		/* the lines as read, after the proven repairs */
	char document_type[3];		/* "P", "I", "ID", "V", ... */
	char issuer[4];			/* "UTO", "LVA", "D" */
	char surname[48];		/* fillers turned into spaces */
	char given_names[48];
	char document_number[32];
	char nationality[4];
	char birth_date[11];		/* "YYYY-MM-DD", "" when unreadable */
	char sex[2];			/* "M", "F" or "X" */
	char expiry_date[11];		/* "YYYY-MM-DD", "" when unreadable */
	char optional_data[32];		/* TD1: line 1; others: line 2 */
	char optional_data2[16];	/* TD1 only: optional data of line 2 */
	int valid;			/* 1 when every check passed */
	unsigned errors;		/* KT_MRZ_ERR_* bits */
	int corrections;		/* characters changed by OCR repair */
	kt_extract_span span;		/* where the zone is in the text (kt_mrz_find) */
} kt_mrz;

/*
 * kt_mrz_check_digit: the ICAO 9303 check digit of n characters (weights
 * 7, 3, 1; 0-9 as themselves, A-Z as 10-35, '<' as 0).
 * \return 0-9, or -1 when a character is none of [0-9A-Z<].
 */
int kt_mrz_check_digit(const char *s, size_t n);

/* kt_mrz_error_name: "document_number", "birth_date", ... for one KT_MRZ_ERR_* bit; NULL otherwise. Static. */
const char *kt_mrz_error_name(unsigned bit);

/* kt_mrz_format_name: "TD1", "TD2", "TD3", "MRVA", "MRVB" or "none". Static. */
const char *kt_mrz_format_name(kt_mrz_format f);

/*
 * kt_mrz_parse: parse a zone given as separate lines, as OCR read them.
 * Spaces inside lines are dropped, '«' read for '<' is mapped back, lower
 * case is raised; OCR confusions (O/0, I/1, B/8, S/5, Z/2, G/6, '<' read as
 * K) are corrected only where the field must be digits (dates, check digits),
 * in filler runs, or where exactly one corrected candidate passes every
 * check. A zone that fails a check is still returned, with valid = 0 and the
 * failing checks in errors.
 * \param[in]  lines   nlines NUL-terminated lines (2 or 3)
 * \param[in]  today   yyyymmdd to resolve two-digit years (birth dates in
 *                     the past, expiry dates up to 20 years ahead); 0 = clock
 * \param[out] out     the zone; span is left 0
 * \return KT_OK when the lines have the shape of a zone (valid or not),
 *         KT_FAILED when they do not (out->format is then KT_MRZ_NONE).
 */
int kt_mrz_parse(const char *const *lines, size_t nlines, int today, kt_mrz *out);

/*
 * kt_mrz_find: find and parse the first machine readable zone in OCR text,
 * trying TD3 first, then TD1, TD2, MRV-A, MRV-B (see kt_mrz_parse).
 * \param[in]  text   NUL-terminated UTF-8
 * \param[in]  today  as for kt_mrz_parse
 * \param[out] out    the zone, with span set to its lines in text
 * \return KT_OK when a zone was found, KT_FAILED otherwise (out->format is
 *         then KT_MRZ_NONE).
 */
int kt_mrz_find(const char *text, int today, kt_mrz *out);

/*
 * kt_mrz_to_json: the zone as a JSON object {"format", "document_type",
 * "issuer", "surname", "given_names", "document_number", "nationality",
 * "birth_date", "sex", "expiry_date", "optional_data", "valid", "errors",
 * "line1", "line2", and "line3" for TD1} ("optional_data_2" is added for a
 * TD1 whose second optional field is not empty).
 * \return a new reference (caller json_decref()s), NULL when out of memory.
 */
json_t *kt_mrz_to_json(const kt_mrz *m);

/* ------------------------------------------------------------------ */
/* Personal codes (Latvian personas kods, Lithuanian asmens kodas)     */
/* ------------------------------------------------------------------ */

/* One personal code, or a candidate that failed its checks. */
typedef struct kt_pcode {
	char value[16];		/* canonical: LV "DDMMYY-CNNNX" / "32NNNN-NNNNN", LT 11 digits */
	char country[3];	/* "LV" or "LT" */
	int valid;		/* 1: passes every check; 0: a candidate for review */
	const char *reason;	/* static, NULL when valid: "checksum", "no_check_digit", "date", "century" */
	kt_extract_span span;	/* where it is in the text */
} kt_pcode;

/* The checks of one code (check digits, birth date, form) are the record
 * module's: kt_record_pcode_lv_validate, kt_record_pcode_lt_validate and
 * their check digits (kt_record.h). */

/*
 * kt_pcode_find: all personal codes in the text: Latvian "DDMMYY-NNNNN"
 * (hyphen or Unicode dash), Latvian without hyphen only after a label
 * ("personas kods", "p.k.", "personal code", ...), Lithuanian 11 digits.
 * A number inside a longer run of digits is no code. Candidates of the
 * right form that fail the checksum or date are returned with valid = 0.
 * \param[in]  text      NUL-terminated UTF-8
 * \param[in]  ex, nex   spans to skip (e.g. the MRZ), may be NULL, 0
 * \param[out] out       a malloc'ed array in text order (NULL when none);
 *                       the caller frees it with free()
 * \param[out] count     its length
 * \return KT_OK, or KT_FATAL when out of memory (then *out is NULL).
 */
int kt_pcode_find(const char *text, const kt_extract_span *ex, size_t nex,
		  kt_pcode **out, size_t *count);

/* ------------------------------------------------------------------ */
/* Dates                                                              */
/* ------------------------------------------------------------------ */

typedef struct kt_date {
	int year, month, day;
	char iso[11];		/* "YYYY-MM-DD" */
	kt_extract_span span;
} kt_date;

/* kt_date_valid: 1 when y-m-d is a real date with 1850 <= y <= 2100, else 0. */
int kt_date_valid(int y, int m, int d);

/*
 * kt_date_find: all dates in the text, normalised to ISO:
 *   numeric   14.03.2023[.] [g.|г.], 2022-09-05, 2022.09.05
 *   Latvian   2023. gada 14. martā, 2023. g. 14. marts
 *   Lithuanian 2022 m. rugsėjo [mėn.] 5 d.
 *   Russian   5 сентября 2022 г., «05» сентября 2022
 *   English   14 March 1988, 14 MAR 1988, March 14, 1988, 14th March 1988
 * Month names in every case form, with or without diacritics, any letter
 * case; 'O' read for '0' inside numeric dates is repaired. Impossible dates
 * and years outside 1850..2100 are dropped.
 * \param[in]  text     NUL-terminated UTF-8
 * \param[in]  ex, nex  spans to skip (MRZ, personal codes), may be NULL, 0
 * \param[out] out      malloc'ed array in text order, NULL when none;
 *                      the caller frees it with free()
 * \param[out] count    its length
 * \return KT_OK, or KT_FATAL when out of memory.
 */
int kt_date_find(const char *text, const kt_extract_span *ex, size_t nex,
		 kt_date **out, size_t *count);

/* ------------------------------------------------------------------ */
/* Case numbers                                                       */
/* ------------------------------------------------------------------ */

typedef struct kt_case {
	char value[64];		/* as matched, or the known canonical form */
	int known;		/* 1 when it is one of the known case numbers */
	int repaired;		/* 1 when it was matched across an OCR error */
	kt_extract_span span;
} kt_case;

/*
 * kt_extract_case_numbers: every match of the configured patterns (or of
 * KT_EXTRACT_DEFAULT_CASE_PATTERN) not glued to other letters or digits,
 * and every occurrence of a known case number. A word of 6 or more
 * characters that matches no pattern is reported as a known number when
 * it equals exactly one after folding the common OCR confusions (O/0, I/1,
 * S/5, B/8, Z/2, G/6, lower case), or else differs from exactly one in a
 * single character; when two known numbers fit equally, nothing is
 * reported. Unicode dashes count as '-', spaces around a '-' are ignored.
 * \param[in]  c        configuration, NULL for the defaults
 * \param[in]  text     NUL-terminated UTF-8
 * \param[in]  ex, nex  spans to skip, may be NULL, 0
 * \param[out] out      malloc'ed array in text order (pattern matches first,
 *                      then known numbers), NULL when none; free()
 * \param[out] count    its length
 * \return KT_OK, or KT_FATAL when out of memory.
 */
int kt_extract_case_numbers(const kt_extract_cfg *c, const char *text,
			    const kt_extract_span *ex, size_t nex,
			    kt_case **out, size_t *count);

/* ------------------------------------------------------------------ */
/* Kind of document                                                   */
/* ------------------------------------------------------------------ */

typedef enum kt_doc_type {
	KT_DOC_OTHER = 0,
	KT_DOC_DECISION,
	KT_DOC_APPLICATION,
	KT_DOC_INTERVIEW,
	KT_DOC_IDENTITY,
	KT_DOC_LETTER
} kt_doc_type;

/* kt_extract_doc_type_name: "decision", "application", ..., "other". Static. */
const char *kt_extract_doc_type_name(kt_doc_type t);

/*
 * kt_extract_doc_type: decide the kind of document from its own words in
 * Latvian, Lithuanian, Russian and English (case- and diacritic-blind).
 * Words in the first lines weigh double, in upper case there triple; an MRZ
 * counts strongly for "identity".
 * \param[in]     text      NUL-terminated UTF-8
 * \param[in]     has_mrz   1 when the text has a machine readable zone
 * \param[in,out] evidence  a JSON array or NULL: the words that decided it
 *                          (as written in the text, "MRZ" for the zone) are
 *                          appended; borrowed
 * \return the kind, KT_DOC_OTHER when nothing points anywhere.
 */
kt_doc_type kt_extract_doc_type(const char *text, int has_mrz, json_t *evidence);

/* ------------------------------------------------------------------ */
/* Names                                                              */
/* ------------------------------------------------------------------ */

typedef struct kt_name {
	char surname[128];
	char given_names[128];
} kt_name;

/*
 * kt_extract_names: names from labelled fields: "Surname:", "Given names:",
 * "Uzvārds:", "Vārds:", "Vārds, uzvārds:", "Pavardė:", "Vardas:",
 * "Фамилия:", "Имя:", "ФИО:" (value on the same line, or the next line when
 * the label ends its line). A surname and given names close together make
 * one record; either may be "".
 * \param[out] out    malloc'ed array in text order, NULL when none; free()
 * \param[out] count  its length
 * \return KT_OK, or KT_FATAL when out of memory.
 */
int kt_extract_names(const char *text, kt_name **out, size_t *count);

/* ------------------------------------------------------------------ */
/* Everything at once                                                 */
/* ------------------------------------------------------------------ */

/*
 * kt_extract_metadata: run every extractor over one document's text.
 * \param[in] c     configuration, NULL for the defaults
 * \param[in] text  NUL-terminated UTF-8 OCR text
 * \return a new JSON object (caller json_decref()s), NULL when text is NULL
 *         or out of memory, with:
 *   "case_numbers"             sorted unique strings
 *   "personal_codes"           sorted unique canonical codes
 *   "personal_code_countries"  {code: "LV" | "LT"}
 *   "personal_code_candidates" [{"value", "country", "reason"}] that failed
 *                              a check: for review, never in personal_codes
 *   "dates"                    sorted unique "YYYY-MM-DD" (not taken from
 *                              personal codes, case numbers or the MRZ)
 *   "doc_type"                 decision|application|interview|identity|letter|other
 *   "doc_type_evidence"        the words that decided it
 *   "names"                    [{"surname", "given_names"}], MRZ first
 *   "mrz"                      only when a zone is found (kt_mrz_to_json)
 */
json_t *kt_extract_metadata(const kt_extract_cfg *c, const char *text);

#ifdef __cplusplus
}
#endif

#endif
