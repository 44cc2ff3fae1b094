/*
 * xapian_private.h - what the xapian_*.cc files of kt_index share (C++17,
 * index/ only; never included from C). Nothing here leaves the module: the
 * public face is kt_index.h, and every extern "C" body catches every
 * exception at its edge and hands it to fail() (xapian_glue.cc).
 *
 * The files:
 *   xapian_glue.cc    the handle: open, commit, metadata, count, free, and
 *                     the one mapping of exceptions to codes (fail, enter)
 *   xapian_words.cc   normal forms shared by indexing and query: folding,
 *                     Latin readings, field values, languages and stemmers
 *   xapian_put.cc     indexing a page (terms, prefixes, values, other forms)
 *   xapian_query.cc   parsing a query string: fields, dates, one parse per
 *                     stemmer and form of the string
 *   xapian_merge.cc   merging those parses into one query
 *   xapian_search.cc  running a query: hits, snippets, highlighting
 *   xapian_facets.cc  list slots and the facet counts over them
 *
 * Terms of one page (one Xapian document):
 *   Q<doc_id>-<page>   unique term, for replace_document (added by us: Xapian
 *                      does not add the term it replaces on)
 *   D<doc_id>          every page of a document, for delete and doc:
 *   word, Zstem        the text: word forms, and stems of the page's language
 *                      (TermGenerator, STEM_SOME); positions on the words
 *                      that have no XF or XR form
 *   XFword, ZXFstem    a Latin word that folding changes (fold.c), folded, with
 *                      the word's positions, and the stem of the folded word:
 *                      only those, the query looks for words that folding
 *                      leaves alone without prefix (add_other_forms)
 *   XRlatin            a word with Cyrillic letters in its Latin reading
 *                      (translit.c, ICAO Doc 9303), lower case, with the word's
 *                      positions: "Коваленко" -> XRkovalenko (the reading is
 *                      diacritic-blind already: ё/е and й/и read the same)
 *   XC XP XN XT XL XB  case number, personal code, name, type, language,
 *                      batch: boolean terms, normalised the same way at index
 *                      and query time (see the *_value functions); a name in
 *                      Cyrillic also in its Latin reading
 *   XDyyyymmdd XMyyyymm XYyyyy
 *                      each date of the page, its month and its year
 * Values: 0 doc_id, 1 page (sortable_serialise), 2 first language of the
 * page, 3 document type (as XT), 4 the years of the page's dates and 5 its
 * languages, each a list of values one a line (facets).
 * Data: the page text, for snippets.
 */
#ifndef KT_XAPIAN_PRIVATE_H
#define KT_XAPIAN_PRIVATE_H

#ifndef __cplusplus
#error "xapian_private.h is C++ (the xapian_*.cc files of index/ only)"
#endif

#include "kt_index.h"

#include "kt_fold.h"
#include "kt_translit.h"

#include <xapian.h>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

/* The other forms of a word (see add_other_forms): "" when it has none. */
struct word_forms {
	std::string folded;	/* Latin word without its diacritics */
	std::string latin;	/* Latin reading of a word with Cyrillic letters */
};

/* word_forms of the words met, computed once: an archive says the same words
 * on every page. Forgets everything at 200000 words (xapian_words.cc). */
class FormCache {
	std::unordered_map<std::string, word_forms> cache;

  public:
	/* The forms of a word; borrowed until the next call. */
	const word_forms &get(const std::string &word);
};

/* The handle of kt_index.h; made by kt_index_new, freed by kt_index_free. */
struct kt_index {
	kt_error err;
	FormCache forms;				/* for indexing and highlighting */
	std::map<std::string, Xapian::Stem> stemmers;	/* by language, caching (cached_stem) */
	std::string dir;
	Xapian::Database rdb;		/* read-only handle */
	Xapian::WritableDatabase wdb;	/* writable handle, a transaction always open */
	bool is_open = false;
	bool writable = false;
	bool fatal = false;		/* no more operations: every call returns KT_FATAL */

	Xapian::Database &db() { return writable ? wdb : rdb; }
};

namespace kt_xapian {

enum { SLOT_DOC_ID = 0, SLOT_PAGE = 1, SLOT_LANG = 2, SLOT_TYPE = 3, SLOT_YEARS = 4, SLOT_LANGS = 5 };

const size_t MAX_FIELD = 200;		/* bytes of a field value (Xapian terms: 245) */
const char LIST_SEP = '\n';		/* between the values of a list slot (values are
					 * squeezed: they hold no line break) */
const size_t MAX_TERM = 240;		/* bytes of a term we make (Xapian's limit: 245) */

/* ------------------------------------------------------------- errors (xapian_glue.cc) */

/*
 * fail: map the exception being handled to a code and the message on the
 * handle; a fatal code also marks the handle fatal. Call only from a catch
 * block. `what` says what could not be done: "put page 7-1 into index '/x'".
 * Returns the code (KT_FAILED or KT_FATAL).
 */
int fail(kt_index *ix, const char *what) noexcept;

/* Start of every call on an open handle: refuse after a fatal error, clear the
 * message, check the handle is open (and writable when it must be). Returns
 * KT_OK, or the code with the message on the handle naming `op`. */
int enter(kt_index *ix, bool need_write, const char *op);

/* ------------------------------------------------------------- words (xapian_words.cc) */

/* Each returns a new string and throws std::bad_alloc when out of memory. */

/* s folded by kt_fold (fold.c) with its flags (KT_FOLD_LOWER). */
std::string fold(const std::string &s, unsigned flags);

/* The Latin reading of the Cyrillic letters of s (translit.c): in lower case
 * (terms), or capitalised as typed (query strings: KT_TRANSLIT_NO_CAPS). */
std::string translit(const std::string &s, unsigned flags = KT_TRANSLIT_LOWER);

/* Whether s has a Cyrillic letter. */
bool has_cyrillic(const std::string &s);

/* Whether s is all ASCII. */
inline bool ascii(const std::string &s)
{
	for (char c : s)
		if ((unsigned char)c >= 0x80)
			return false;
	return true;
}

/* Whether c is ASCII white space. */
inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* s trimmed, each run of white space (and of `also`) made one space. */
std::string squeeze(const std::string &s, const char *also = "");

/* s with every ASCII letter upper-cased / lower-cased. */
std::string ascii_upper(std::string s);
std::string ascii_lower(std::string s);

/* s without the characters of `drop`. */
std::string without(const std::string &s, const char *drop);

/* Whether s is empty or white space only. */
bool blank(const std::string &s);

/* A malloc'd NUL-terminated copy of s (the caller frees it with free());
 * throws std::bad_alloc. */
char *c_strdup(const std::string &s);

/* The Xapian stemmer name of a Tesseract language code ("lit" ->
 * "lithuanian"), or NULL when Xapian 1.4 has none (Latvian). Static string. */
const char *stemmer_name(const std::string &code);

/* The stemmer of a language, caching its words and kept on the handle (so it
 * lives as long as `ix`), or the none stemmer. */
Xapian::Stem cached_stem(kt_index *ix, const std::string &code);

/* "lav+eng" -> {"lav", "eng"}, lower case, empty parts dropped; NULL gives {}. */
std::vector<std::string> lang_codes(const char *lang);

/* Field values: each returns the normalised value (without prefix), the same
 * at index and query time; empty means nothing to index or search. */
std::string case_value(const std::string &v);	/* case number: folded, upper case */
std::string pc_value(const std::string &v);	/* personal code as written */
std::string pc_plain(const std::string &v);	/* personal code without '-' and ' ' */
std::string word_value(const std::string &v);	/* type, language: folded, lower case */
std::string name_value(const std::string &v);	/* name: folded, lower case, no ",;" */
std::string batch_value(const std::string &v);	/* batch: folded */

/* A name as indexed and searched: its value, and its Latin reading when it
 * has Cyrillic letters ("коваленко" and "kovalenko"); {} for an empty name. */
std::vector<std::string> name_values(const std::string &v);

/* The parts of a normalised name: each word, and each part of a hyphenated one. */
std::vector<std::string> name_parts(const std::string &name);

/* An ISO date "YYYY-MM-DD" that exists -> "YYYYMMDD"; else "". */
std::string iso_date(const std::string &s);

/* ------------------------------------------------------------- query (xapian_query.cc, xapian_merge.cc) */

/* The query a query string becomes (see xapian_query.cc); *typed, when asked
 * for, receives the parse of the string as typed (for highlighting), and
 * *warnings, when asked for, one message per part of the query dropped (an
 * unknown field, type or language, a reversed date range: "unknown field
 * 'foo:' (fields: ...)"), each once. Reads the terms of `db`; throws
 * Xapian::QueryParserError on a bad query. */
Xapian::Query build_query(const Xapian::Database &db, const std::string &qs, Xapian::Query *typed = nullptr,
			  std::vector<std::string> *warnings = nullptr);

/* A parse, or a node of one, and whether it comes from the query string as
 * typed (rather than folded or read in Latin letters). */
struct form {
	Xapian::Query q;
	bool typed;
};

/* One query from the parses of one query string by several parsers, each
 * word the OR of its forms less the forms no page of `db` has (see
 * xapian_merge.cc). `fs` is not empty; in_phrase is false at the top. */
Xapian::Query merge(const Xapian::Database &db, const std::vector<form> &fs, bool in_phrase);

/* ------------------------------------------------------------- facets (xapian_facets.cc) */

/* "2019\n2021": the values of a set as a list slot, one a line ("" for none). */
std::string join(const std::set<std::string> &words);

/* Counts the values of one value slot over the pages it sees; a list slot
 * ("2019\n2021") counts each of its values. Added to an Enquire by the caller,
 * which owns it. */
class ValueCountSpy : public Xapian::MatchSpy {
	Xapian::valueno slot;
	bool list;

  public:
	std::map<std::string, long long> counts;

	ValueCountSpy(Xapian::valueno s, bool l) : slot(s), list(l) {}

	void operator()(const Xapian::Document &doc, double) override;
};

/* Fill *f (zeroed) with one facet of the hits from a spy's counts: by count
 * (most first) then value, or by value alone. `name` is borrowed (a static
 * string); the values are malloc'd, freed by kt_index_hits_free. Throws
 * std::bad_alloc. */
void fill_facet(kt_index_facet *f, const char *name, const ValueCountSpy &spy, bool by_count);

} // namespace kt_xapian

#endif
