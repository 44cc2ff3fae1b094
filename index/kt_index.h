/*
 * kt_index.h - the full-text index of OCR'd pages (Xapian, in the style of omega).
 *
 * One Xapian document per page, keyed by the unique term "Q<doc_id>-<page>"
 * (re-putting a page replaces it) and grouped by "D<doc_id>" (delete removes
 * every page of a document). The page text is the document data (snippets are
 * cut from it); doc_id and page are also in value slots 0 and 1, the facets'
 * fields in slots 3 to 5 (xapian_glue.cc lists every term and slot).
 *
 * Transactions. A writable handle keeps a Xapian transaction open at all
 * times: puts, deletes and kt_index_set_meta become visible to other handles,
 * and durable, only at kt_index_commit, all at once. There is no automatic
 * commit after XAPIAN_FLUSH_THRESHOLD changes, and kt_index_free discards what
 * was not committed. So a sequence number stored with kt_index_set_meta before
 * kt_index_commit says exactly which catalog changes the index holds.
 * A writable handle's own searches see its uncommitted changes; a read-only
 * handle sees the last commit as of each call.
 *
 * Query language (Xapian's QueryParser, with these choices; docs/search.md
 * says more):
 *   lēmums Karimi        all words must match (default operator AND)
 *   a OR b, a NOT b, a AND (b OR c), NOT a, +a -b
 *                        operators in upper case only ("or" is a word)
 *   "lēmums par"         phrase
 *   lemums, zukauskas    diacritic-blind both ways: a word matches with or
 *                        without its diacritics; the spelling as typed ranks
 *                        first
 *   Kovalenko, Коваленко names across scripts: a word in Cyrillic also matches
 *                        its Latin reading (ICAO Doc 9303 transliteration,
 *                        translit_private.h), both ways, in phrases too; the
 *                        script as typed ranks first. Latin is never guessed
 *                        back into Cyrillic: "Kowalenko" does not match
 *   decisions, sprendimą, решения
 *                        stemmed with the page's language (English,
 *                        Lithuanian, Russian, ...); Latvian has no Xapian
 *                        stemmer and is matched on word forms only (with and
 *                        without diacritics): type the forms wanted, e.g.
 *                        lēmums OR lēmumu OR lēmuma
 *   PMLP-LV-2023-004571  case numbers and personal codes in the text are found
 *                        as typed (a hyphenated token is a phrase)
 *   case:PMLP-LV-2023-004571   case number (one term, any letter case)
 *   pc:010180-12345 or pc:01018012345   personal code, hyphen optional
 *   name:karimi, name:"Ali Karimi", name:Коваленко
 *                        person name (diacritic-, case- and script-blind)
 *   type:decision  lang:lav  batch:B-2024-03  doc:42
 *   date:2021-07-15, date:2021-07, date:2021
 *   date:2021-01-01..2021-12-31, date:2021.., date:..2019-12-31
 *                        the page has at least one date in that range
 *   Filters of the same field are ORed (type:a type:b), of different fields
 *   ANDed. An empty query matches every page.
 *
 * Warnings: a part of a query that cannot match for a reason the user can fix
 * is dropped and the rest of the query runs; the search returns KT_WARN, with
 * the hits, each warning in (*out)->warnings and all of them in the handle's
 * message. The parts:
 *   foo:bar              an unknown field prefix: an ASCII word of letters at
 *                        a term start, then ':' and a character that is not
 *                        white space, ':' or '/', the word no field above
 *                        (case-sensitive): "unknown field 'foo:' (fields: ...)";
 *                        "10:30", "Note: x", "http://x" stay text
 *   type:xyz, lang:deu   a value neither the pipeline gives (the types of
 *                        kt_extract.h; lav, lit, rus, eng) nor the index holds:
 *                        "unknown type 'xyz' (types: ...)"
 *   date:2024..2023      a reversed range: "date range 2024..2023 is reversed"
 *   A query left with nothing (only bad parts) matches no page.
 *
 * Facets (kt_index_search_ex with KT_INDEX_FACETS): counts of the matching
 * pages by document type, year of their dates and language (and, asked for,
 * by document). kt_index_search_with also restricts a search to the pages
 * of some case numbers or documents (a web officer's cases), so that paging,
 * total and facets are over the pages the caller may see.
 *
 * Thread safety: a handle is used by one thread at a time.
 */
#ifndef KT_INDEX_H
#define KT_INDEX_H

#include "kt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_index kt_index;

/* kt_index_new: a handle with no database yet; NULL when out of memory.
 * Caller frees with kt_index_free. */
kt_index *kt_index_new(void);

/*
 * kt_index_open: open the index database in a folder.
 *   dir       the folder (borrowed; copied)
 *   writable  nonzero: open for writing, creating the database (and the folder,
 *             whose parent must exist) when missing; only one writer at a time
 * Returns KT_OK, or KT_FAILED (missing database when read-only, locked by
 * another writer, already open, not a database); the message names the folder.
 */
int kt_index_open(kt_index *ix, const char *dir, int writable);

/* kt_index_errmsg: the message of the last failed or warning call; "" when the
 * last call succeeded. Borrowed, valid until the next call on the handle. */
const char *kt_index_errmsg(const kt_index *ix);

/* kt_index_errcode: the code of the last call (KT_OK, KT_WARN, KT_FAILED,
 * KT_FATAL); tells "unset" from "error" after kt_index_get_meta returns NULL. */
int kt_index_errcode(const kt_index *ix);

/* kt_index_error: the slot of the last call (its code and message, clear when
 * it succeeded), for a caller to pass up with kt_error_pass or
 * kt_error_escalate. Borrowed, valid until the next call on the handle; NULL ix
 * gives a static KT_FAILED slot. */
const kt_error *kt_index_error(const kt_index *ix);

/* One page to index. Every pointer is borrowed for the call only; any of them
 * may be NULL (an array only when its count is 0). */
typedef struct kt_index_page {
	long long doc_id;	/* catalog document id, >= 0 */
	int page;		/* page number, >= 0 */
	const char *text;	/* page text, UTF-8 (kept as document data for snippets) */
	const char *lang;	/* tesseract code: lav lit rus eng ..., "lav+eng", or "" */
	const char *doc_type;	/* indexed as type: */
	const char *batch;	/* indexed as batch: */
	const char *const *case_numbers;	/* case:, and as text */
	int n_case_numbers;
	const char *const *personal_codes;	/* pc: with and without hyphen, and as text */
	int n_personal_codes;
	const char *const *dates;	/* ISO YYYY-MM-DD, date: */
	int n_dates;
	const char *const *names;	/* person names, name: (whole name and each part) */
	int n_names;
} kt_index_page;

/*
 * kt_index_put_page: add or replace one page (idempotent: replace_document on
 * "Q<doc_id>-<page>"). Visible to other handles after kt_index_commit.
 * Returns KT_OK; KT_WARN when the page was indexed but a field value was
 * skipped (a date not in YYYY-MM-DD form, a value over 200 bytes; the message
 * says which); KT_FAILED for a bad argument or a read-only handle; KT_FATAL when
 * the database can take no more writes.
 */
int kt_index_put_page(kt_index *ix, const kt_index_page *p);

/* kt_index_delete_doc: remove every page of a document (term "D<doc_id>");
 * no pages is not an error. Returns KT_OK, KT_FAILED or KT_FATAL. */
int kt_index_delete_doc(kt_index *ix, long long doc_id);

/*
 * kt_index_set_meta: store a key/value pair (e.g. the catalog's sequence
 * number) that is committed atomically with the documents.
 *   key    non-empty, at most 200 bytes (borrowed)
 *   value  borrowed; NULL or "" removes the key
 * Returns KT_OK, KT_FAILED or KT_FATAL.
 */
int kt_index_set_meta(kt_index *ix, const char *key, const char *value);

/* kt_index_get_meta: the value of a key, as a new string the caller frees with
 * free(); NULL when unset (kt_index_errcode KT_OK) or on error (code < 0).
 * A writable handle sees its uncommitted value. */
char *kt_index_get_meta(kt_index *ix, const char *key);

/* kt_index_commit: make every change since the last commit durable and visible,
 * all or nothing. Returns KT_OK, KT_FAILED (read-only handle) or KT_FATAL (the
 * commit failed: the handle can do nothing more; the database on disk keeps its
 * last commit). */
int kt_index_commit(kt_index *ix);

/*
 * kt_index_compact: commit, then write the index again from what it holds
 * (Xapian compaction, document ids kept) and put the copy in the old one's
 * place atomically, so that nothing of deleted pages stays in free blocks
 * (erasure, docs/lifecycle.md); the handle stays open for writing. KT_OK,
 * KT_FAILED (not open for writing) or KT_FATAL (the handle is then unusable;
 * the index folder holds the old or the new database, whole).
 */
int kt_index_compact(kt_index *ix);

typedef struct kt_index_hit {
	long long doc_id;
	int page;
	int score;	/* 0-100, Xapian's percentage */
	char *snippet;	/* ~200 bytes of plain UTF-8 text on one line around the match, matched
			 * words between « and », cuts marked …; never NULL */
} kt_index_hit;

/* One value of a facet and how many matching pages have it. */
typedef struct kt_index_facet_value {
	char *value;		/* "decision", "2023", "lav" */
	long long count;	/* matching pages with that value, >= 1 */
} kt_index_facet_value;

/*
 * A facet: counts over every page the query matches (not only the hits
 * returned), by one field:
 *   "type"  the document type (as type:), most pages first, then by name
 *   "year"  each year of the page's dates (as date:), in year order; a page
 *           with dates in several years counts once in each, one with none
 *           in none
 *   "lang"  each language of the page (as lang:; "lav+eng" counts in both),
 *           most pages first, then by name
 * Pages without the field are not counted, so counts need not add up to the
 * total.
 */
typedef struct kt_index_facet {
	const char *name;		/* "type", "year" or "lang" (static) */
	kt_index_facet_value *values;	/* n values; NULL when n is 0 */
	int n;
} kt_index_facet;

typedef struct kt_index_hits {
	kt_index_hit *hits;		/* n hits, best first */
	int n;
	long long estimated_total;	/* Xapian's estimate of all matching pages; exact
					 * when facets were asked for */
	/* Xapian's bounds of that number (get_matches_lower_bound and
	 * _upper_bound): total_lower <= estimated_total <= total_upper, and
	 * equal bounds make the total exact. Plain values owned by *out,
	 * nothing to free. */
	long long total_lower;
	long long total_upper;
	kt_index_facet *facets;		/* with KT_INDEX_FACETS: type, year, lang, in that
					 * order (n_facets 3), then doc with
					 * KT_INDEX_FACET_DOCS (4); else NULL and 0 */
	int n_facets;
	char **warnings;		/* n_warnings messages, one per part of the query
					 * dropped (see "Warnings" at the top of this file),
					 * in the order met; NULL and 0 when none */
	int n_warnings;
} kt_index_hits;

/* Flags of kt_index_search_ex and kt_index_search_opts.flags. */
enum {
	KT_INDEX_FACETS = 1,	/* count type, year and lang over the whole match set */
	KT_INDEX_FACET_DOCS = 2	/* with KT_INDEX_FACETS: a fourth facet "doc", the
				 * matching pages of each document (value: the
				 * document id in decimal), in id order */
};

/*
 * Options of kt_index_search_with. Zeroed ({ 0 }) they search as
 * kt_index_search does. A restriction is a Xapian filter (OP_FILTER) on the
 * pages' terms: it changes which pages match (so the hits, their paging, the
 * estimated total and the facets), never their order or scores. Arrays are
 * borrowed for the call.
 */
typedef struct kt_index_search_opts {
	unsigned flags;			/* 0, KT_INDEX_FACETS, | KT_INDEX_FACET_DOCS */
	int only_cases;			/* nonzero: only pages carrying one of the case
					 * numbers (as case:, term XC); with none, no page */
	const char *const *cases;	/* n_cases case numbers, any letter case */
	int n_cases;
	int only_docs;			/* nonzero: only pages of these documents
					 * (as doc:, term D); with none, no page */
	const long long *doc_ids;	/* n_doc_ids catalog document ids */
	int n_doc_ids;
} kt_index_search_opts;

/*
 * kt_index_search: run a query (see the top of this file).
 *   query   UTF-8 (borrowed); NULL or blank matches every page
 *   offset  hits to skip, >= 0
 *   limit   hits wanted, 0..10000 (0: only estimated_total)
 *   out     receives the hits, caller frees with kt_index_hits_free; set to
 *           NULL on failure
 * Returns KT_OK, KT_WARN (parts of the query dropped, see "Warnings" above:
 * *out is set, with (*out)->warnings; the message quotes the query and lists
 * them), KT_FAILED (query syntax, e.g. "a AND", or a bad date; the message
 * quotes the query) or KT_FATAL.
 */
int kt_index_search(kt_index *ix, const char *query, int offset, int limit, kt_index_hits **out);

/*
 * kt_index_search_ex: kt_index_search with flags.
 *   flags   0, or KT_INDEX_FACETS: also fill (*out)->facets. Facets look at
 *           every matching page, so a query matching many pages costs more
 *           (about a microsecond per page; see docs/benchmarks.md)
 * Everything else as kt_index_search; the facets belong to *out and are freed
 * with it.
 */
int kt_index_search_ex(kt_index *ix, const char *query, int offset, int limit, unsigned flags,
		       kt_index_hits **out);

/*
 * kt_index_search_with: kt_index_search with options (NULL: none). Both
 * restrictions given: a page must pass both. A case number that normalises
 * to nothing (blank, over 200 bytes) or a negative id matches no page.
 * Returns as kt_index_search_ex; KT_FAILED too for a negative count or a
 * NULL array with a positive count.
 */
int kt_index_search_with(kt_index *ix, const char *query, int offset, int limit,
			 const kt_index_search_opts *opts, kt_index_hits **out);

/* kt_index_hits_free: free the hits, their snippets, the facets and the
 * warnings, set *h to NULL; NULL is a no-op. */
void kt_index_hits_free(kt_index_hits **h);

/* kt_index_describe_query: the Xapian query a query string becomes, for
 * debugging (omega's $querydescription). Caller frees with free(); NULL on
 * error (message on the handle). */
char *kt_index_describe_query(kt_index *ix, const char *query);

/* kt_index_doc_count: number of pages in the index; -1 on error. */
long long kt_index_doc_count(kt_index *ix);

/* kt_index_free: close the database, discarding uncommitted changes, free the
 * handle and set *ix to NULL; NULL is a no-op. */
void kt_index_free(kt_index **ix);

#ifdef __cplusplus
}
#endif

#endif
