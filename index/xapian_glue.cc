/*
 * xapian_glue.cc - kt_index.h on Xapian 1.4: the only C++ of the index module.
 *
 * Every extern "C" function catches everything; fail() turns the exception
 * being handled into a graded code and the message on the handle.
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
 *
 * Query: Xapian's QueryParser (default operator AND) parses the query string
 * once per stemmer of a language present in the index (plus no stemmer): the
 * string as typed; folded, without prefix and with prefix XF; its Cyrillic in
 * Latin letters (when it has any), without prefix and with XF; and the Latin
 * string once more with prefix XR, unstemmed (a Latin word finds the reading
 * of a Cyrillic one). merge() makes one query of the parses, each word the OR
 * of its forms (word, Zstem, folded, XFword, ZXFstem, XRword) less the forms
 * no page has; forms from other strings than the one typed weigh half, so the
 * spelling and script as typed rank first.
 *
 * Dates: a page has any number of dates, so there is no single value to range
 * over (a min and a max slot would find a page dated 2019 and 2022 for 2020).
 * A date: range becomes the OR, as a boolean filter, of the year terms of the
 * whole years in it, the month terms of the whole months left, and the day
 * terms of the days left at either end, each list taken from the terms present
 * in the index: date:2020-12-30..2022-02-28 is XD20201230 XD20201231 XY2021
 * XM202201 XM202202.
 *
 * Facets: one pass over every match (check_at_least = the page count) with a
 * MatchSpy per facet counting the values of slots 3, 4 and 5.
 */
#include "kt_index.h"

#include "fold_private.h"
#include "translit_private.h"
#include "kt_text.h"

#include <xapian.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <new>
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
 * on every page. Forgets everything at 200000 words. */
class FormCache {
	std::unordered_map<std::string, word_forms> cache;

  public:
	const word_forms &get(const std::string &word);
};

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

namespace {

enum { SLOT_DOC_ID = 0, SLOT_PAGE = 1, SLOT_LANG = 2, SLOT_TYPE = 3, SLOT_YEARS = 4, SLOT_LANGS = 5 };

const size_t MAX_FIELD = 200;		/* bytes of a field value (Xapian terms: 245) */
const char LIST_SEP = '\n';		/* between the values of a list slot (values are
					 * squeezed: they hold no line break) */
const size_t MAX_TERM = 240;		/* bytes of a term we make (Xapian's limit: 245) */
const Xapian::termpos FIELD_GAP = 100;	/* no phrase across text and field values */
const size_t SNIPPET_BYTES = 200;
const int MAX_LIMIT = 10000;
const int SEARCH_TRIES = 3;		/* DatabaseModifiedError: reopen and retry */
const Xapian::doccount CHECK_AT_LEAST = 100;
const char HI_START[] = "\xc2\xab";	/* « */
const char HI_END[] = "\xc2\xbb";	/* » */
const char OMIT[] = "\xe2\x80\xa6";	/* … */

const unsigned QP_FLAGS = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PURE_NOT;

/* ------------------------------------------------------------- errors */

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

/* ------------------------------------------------------------- text helpers */

std::string fold(const std::string &s, unsigned flags)
{
	size_t n = 0;
	std::unique_ptr<char, void (*)(void *)> f(kt_fold(s.data(), s.size(), flags, &n), free);

	if (!f)
		throw std::bad_alloc();
	return std::string(f.get(), n);
}

/* The Latin reading of the Cyrillic letters of s (translit.c): in lower case
 * (terms), or capitalised as typed (query strings). */
std::string translit(const std::string &s, unsigned flags = KT_TRANSLIT_LOWER)
{
	size_t n = 0;
	std::unique_ptr<char, void (*)(void *)> t(kt_translit(s.data(), s.size(), flags, &n), free);

	if (!t)
		throw std::bad_alloc();
	return std::string(t.get(), n);
}

bool has_cyrillic(const std::string &s) { return kt_translit_has_cyrillic(s.data(), s.size()) != 0; }

bool ascii(const std::string &s)
{
	for (char c : s)
		if ((unsigned char)c >= 0x80)
			return false;
	return true;
}

bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim, and make each run of white space (and of `also`) one space. */
std::string squeeze(const std::string &s, const char *also = "")
{
	std::string r;
	bool gap = false;

	for (char c : s) {
		if (is_space(c) || (c != '\0' && std::strchr(also, c))) {
			gap = !r.empty();
			continue;
		}
		if (gap)
			r += ' ';
		gap = false;
		r += c;
	}
	return r;
}

std::string ascii_upper(std::string s)
{
	for (char &c : s)
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
	return s;
}

std::string ascii_lower(std::string s)
{
	for (char &c : s)
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
	return s;
}

std::string without(const std::string &s, const char *drop)
{
	std::string r;

	for (char c : s)
		if (!std::strchr(drop, c))
			r += c;
	return r;
}

bool blank(const std::string &s)
{
	for (char c : s)
		if (!is_space(c))
			return false;
	return true;
}

/* Undo MSet::snippet's HTML escaping, in one pass so "&amp;lt;" gives "&lt;". */
std::string unescape_html(const std::string &s)
{
	static const struct {
		const char *ent;
		size_t len;
		char ch;
	} ents[] = {
		{ "&amp;", 5, '&' }, { "&lt;", 4, '<' }, { "&gt;", 4, '>' },
		{ "&quot;", 6, '"' }, { "&#39;", 5, '\'' }, { "&apos;", 6, '\'' },
	};
	std::string r;
	size_t i = 0;

	r.reserve(s.size());
	while (i < s.size()) {
		bool done = false;

		if (s[i] == '&') {
			for (const auto &e : ents) {
				if (s.compare(i, e.len, e.ent) == 0) {
					r += e.ch;
					i += e.len;
					done = true;
					break;
				}
			}
		}
		if (!done)
			r += s[i++];
	}
	return r;
}

/* A snippet is one line: every run of white space (line breaks of the page
 * text included) becomes one space. */
std::string one_line(const std::string &s)
{
	std::string r;
	bool space = false;

	r.reserve(s.size());
	for (char c : s) {
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
			space = true;
			continue;
		}
		if (space && !r.empty())
			r += ' ';
		space = false;
		r += c;
	}
	return r;
}

char *c_strdup(const std::string &s)
{
	char *p = (char *)std::malloc(s.size() + 1);

	if (p == nullptr)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

/* ------------------------------------------------------------- languages */

/* Tesseract language codes with a Xapian 1.4 stemmer. Latvian ("lav") has none. */
const struct {
	const char *code;
	const char *stemmer;
} lang_stemmers[] = {
	{ "eng", "english" }, { "lit", "lithuanian" }, { "rus", "russian" },
	{ "deu", "german" }, { "fra", "french" }, { "spa", "spanish" },
	{ "ita", "italian" }, { "por", "portuguese" }, { "nld", "dutch" },
	{ "dan", "danish" }, { "swe", "swedish" }, { "nor", "norwegian" },
	{ "fin", "finnish" }, { "hun", "hungarian" }, { "ron", "romanian" },
	{ "tur", "turkish" }, { "ara", "arabic" }, { "hye", "armenian" },
	{ "eus", "basque" }, { "cat", "catalan" }, { "gle", "irish" },
	{ "ind", "indonesian" }, { "nep", "nepali" }, { "tam", "tamil" },
};

const char *stemmer_name(const std::string &code)
{
	for (const auto &l : lang_stemmers)
		if (code == l.code)
			return l.stemmer;
	return nullptr;
}

Xapian::Stem stem_for(const std::string &code)
{
	const char *name = stemmer_name(code);

	return name ? Xapian::Stem(name) : Xapian::Stem();
}

/* A stemmer that remembers its last words: a page says the same words many
 * times, and an archive the same words on every page (for indexing). */
class CachingStem : public Xapian::StemImplementation {
	Xapian::Stem stem;
	std::unordered_map<std::string, std::string> cache;

  public:
	explicit CachingStem(const Xapian::Stem &s) : stem(s) {}

	std::string operator()(const std::string &word) override
	{
		auto c = cache.find(word);

		if (c != cache.end())
			return c->second;
		if (cache.size() >= 200000)
			cache.clear();
		return cache.emplace(word, stem(word)).first->second;
	}

	std::string get_description() const override { return "caching " + stem.get_description(); }
};

/* The stemmer of a language (a CachingStem kept on the handle), or none. */
Xapian::Stem cached_stem(kt_index *ix, const std::string &code)
{
	if (!stemmer_name(code))
		return Xapian::Stem();
	auto it = ix->stemmers.find(code);

	if (it == ix->stemmers.end())
		it = ix->stemmers.emplace(code, Xapian::Stem(new CachingStem(stem_for(code)))).first;
	return it->second;
}

/* "lav+eng" -> {"lav", "eng"}, lower case, empty parts dropped. */
std::vector<std::string> lang_codes(const char *lang)
{
	std::vector<std::string> out;
	std::string cur;

	for (const char *p = lang ? lang : ""; ; p++) {
		if (*p == '+' || *p == '\0') {
			cur = squeeze(ascii_lower(cur));
			if (!cur.empty())
				out.push_back(cur);
			cur.clear();
			if (*p == '\0')
				break;
		} else {
			cur += *p;
		}
	}
	return out;
}

/* ------------------------------------------------------------- field values */

/* Each returns the normalised value (without prefix), the same at index and
 * query time; empty means nothing to index or search. */

std::string case_value(const std::string &v) { return ascii_upper(squeeze(fold(v, 0))); }
std::string pc_value(const std::string &v) { return squeeze(fold(v, 0)); }
std::string pc_plain(const std::string &v) { return without(pc_value(v), "- "); }
std::string word_value(const std::string &v) { return squeeze(fold(v, KT_FOLD_LOWER)); }
std::string name_value(const std::string &v) { return squeeze(fold(v, KT_FOLD_LOWER), ",;"); }

/* A name as indexed and searched: its value, and its Latin reading when it
 * has Cyrillic letters ("коваленко" and "kovalenko"). */
std::vector<std::string> name_values(const std::string &v)
{
	std::string n = name_value(v);

	if (n.empty())
		return {};
	if (!has_cyrillic(n))
		return { n };
	return { n, translit(n) };
}
std::string batch_value(const std::string &v) { return squeeze(fold(v, 0)); }

/* The parts of a normalised name: each word, and each part of a hyphenated one. */
std::vector<std::string> name_parts(const std::string &name)
{
	std::vector<std::string> parts;
	std::string word;

	for (size_t i = 0; i <= name.size(); i++) {
		if (i == name.size() || name[i] == ' ') {
			if (!word.empty()) {
				parts.push_back(word);
				if (word.find('-') != std::string::npos) {
					std::string sub = squeeze(word, "-");
					size_t b = 0, e;

					while ((e = sub.find(' ', b)) != std::string::npos) {
						parts.push_back(sub.substr(b, e - b));
						b = e + 1;
					}
					parts.push_back(sub.substr(b));
				}
			}
			word.clear();
		} else {
			word += name[i];
		}
	}
	return parts;
}

/* An ISO date "YYYY-MM-DD" that exists -> "YYYYMMDD"; else "". */
std::string iso_date(const std::string &s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (s.size() != 10 || s[4] != '-' || s[7] != '-')
		return "";
	for (size_t i : { 0, 1, 2, 3, 5, 6, 8, 9 })
		if (s[i] < '0' || s[i] > '9')
			return "";
	y = std::atoi(s.substr(0, 4).c_str());
	m = std::atoi(s.substr(5, 2).c_str());
	d = std::atoi(s.substr(8, 2).c_str());
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return "";
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return "";
	return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

/* A date bound of a query: "YYYY", "YYYY-MM" or "YYYY-MM-DD" -> "YYYYMMDD",
 * the first day it covers (upper = false) or the last (upper = true; "31" for
 * any month). "" is open-ended: "00000101" or "99991231". Throws
 * QueryParserError on anything else. */
std::string date_bound(const std::string &s, bool upper)
{
	bool ok = s.size() == 4 || s.size() == 7 || s.size() == 10;
	std::string r;

	if (s.empty())
		return upper ? "99991231" : "00000101";
	for (size_t i = 0; ok && i < s.size(); i++) {
		if (i == 4 || i == 7)
			ok = s[i] == '-';
		else if (s[i] >= '0' && s[i] <= '9')
			r += s[i];
		else
			ok = false;
	}
	if (ok && s.size() >= 7)
		ok = s.compare(5, 2, "01") >= 0 && s.compare(5, 2, "12") <= 0;
	if (ok && s.size() == 10)
		ok = s.compare(8, 2, "01") >= 0 && s.compare(8, 2, "31") <= 0;
	if (!ok)
		throw Xapian::QueryParserError("date '" + s + "' is not a valid YYYY, YYYY-MM or YYYY-MM-DD");
	if (s.size() == 4)
		r += upper ? "1231" : "0101";
	else if (s.size() == 7)
		r += upper ? "31" : "01";
	return r;
}

/* ------------------------------------------------------------- query processors */

/*
 * A processor's bad value. Throwing out of a processor leaks memory inside
 * Xapian 1.4's parser (seen with LeakSanitizer), so the processors note the
 * first error here, match nothing, and build_query throws after the parse.
 */
struct ParseError {
	std::string msg;

	Xapian::Query note(const Xapian::QueryParserError &e)
	{
		if (msg.empty())
			msg = e.get_msg();
		return Xapian::Query::MatchNothing;
	}
};

/* A boolean field: the value, normalised, as one or more ORed terms. */
class FieldProc : public Xapian::FieldProcessor {
	std::vector<std::string> (*terms)(const std::string &);
	ParseError &error;

  public:
	FieldProc(std::vector<std::string> (*t)(const std::string &), ParseError &e) : terms(t), error(e) {}

	Xapian::Query operator()(const std::string &value) override
	{
		std::vector<Xapian::Query> qs;

		try {
			for (const std::string &t : terms(value))
				qs.emplace_back(t);
		} catch (const Xapian::QueryParserError &e) {
			return error.note(e);
		}
		if (qs.empty())
			return Xapian::Query::MatchNothing;
		return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
	}
};

std::vector<std::string> one(const char *prefix, const std::string &v)
{
	if (v.empty())
		return {};
	return { prefix + v };
}

std::vector<std::string> q_case(const std::string &v) { return one("XC", case_value(v)); }
std::vector<std::string> q_type(const std::string &v) { return one("XT", word_value(v)); }
std::vector<std::string> q_lang(const std::string &v) { return one("XL", word_value(v)); }
std::vector<std::string> q_batch(const std::string &v) { return one("XB", batch_value(v)); }
std::vector<std::string> q_name(const std::string &v)
{
	std::vector<std::string> t;

	for (const std::string &n : name_values(v))
		t.push_back("XN" + n);
	return t;
}

std::vector<std::string> q_pc(const std::string &v)
{
	std::vector<std::string> t = one("XP", pc_value(v));

	if (!pc_plain(v).empty() && pc_plain(v) != pc_value(v))
		t.push_back("XP" + pc_plain(v));
	return t;
}

std::vector<std::string> q_doc(const std::string &v)
{
	if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
		throw Xapian::QueryParserError("doc id '" + v + "' is not a number");
	return { "D" + std::to_string(std::strtoll(v.c_str(), nullptr, 10)) };
}

/* Days of a month; February of a leap year has 29. */
int month_days(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return m >= 1 && m <= 12 ? mdays[m - 1] : 31;
}

/* "XY2021", "XM202107", "XD20210715": m and d 0 when not wanted. */
std::string date_term(int y, int m, int d)
{
	char b[16];

	if (m == 0)
		std::snprintf(b, sizeof b, "XY%04d", y);
	else if (d == 0)
		std::snprintf(b, sizeof b, "XM%04d%02d", y, m);
	else
		std::snprintf(b, sizeof b, "XD%04d%02d%02d", y, m, d);
	return b;
}

/*
 * The date terms of the index between two bounds ("YYYYMMDD", inclusive):
 * whole years as XY terms, whole months left as XM terms, days left as XD
 * terms (see the top of this file), as a boolean OR.
 */
class DateTerms {
	Xapian::Database db;
	std::map<std::string, Xapian::Query> cache;	/* one expansion per parse */

	/* The terms of the index from `first` to `last`, same prefix and width. */
	void present(const std::string &first, const std::string &last, std::vector<Xapian::Query> &qs)
	{
		const std::string prefix = first.substr(0, 2);
		Xapian::TermIterator t = db.allterms_begin(prefix);

		if (first > last)
			return;
		t.skip_to(first);
		for (; t != db.allterms_end(prefix) && *t <= last; ++t)
			qs.emplace_back(*t);
	}

	/* Months from (y1, m1) to (y2, m2), whole years as XY. */
	void months(int y1, int m1, int y2, int m2, std::vector<Xapian::Query> &qs)
	{
		if (y1 * 12 + m1 > y2 * 12 + m2)
			return;
		if (y1 == y2 && !(m1 == 1 && m2 == 12)) {
			present(date_term(y1, m1, 0), date_term(y2, m2, 0), qs);
			return;
		}
		if (m1 != 1) {
			present(date_term(y1, m1, 0), date_term(y1, 12, 0), qs);
			y1++;
		}
		if (m2 != 12) {
			present(date_term(y2, 1, 0), date_term(y2, m2, 0), qs);
			y2--;
		}
		if (y1 <= y2)
			present(date_term(y1, 0, 0), date_term(y2, 0, 0), qs);
	}

	/* An index written before year and month terms existed has day terms only. */
	bool days_only;

  public:
	explicit DateTerms(const Xapian::Database &d)
		: db(d), days_only(db.allterms_begin("XY") == db.allterms_end("XY")) {}

	Xapian::Query operator()(const std::string &lo, const std::string &hi)
	{
		auto c = cache.find(lo + ".." + hi);

		if (c != cache.end())
			return c->second;

		std::vector<Xapian::Query> qs;
		int y1 = std::atoi(lo.substr(0, 4).c_str()), m1 = std::atoi(lo.substr(4, 2).c_str());
		int d1 = std::atoi(lo.substr(6, 2).c_str());
		int y2 = std::atoi(hi.substr(0, 4).c_str()), m2 = std::atoi(hi.substr(4, 2).c_str());
		int d2 = std::atoi(hi.substr(6, 2).c_str());
		bool lo_whole = d1 == 1, hi_whole = d2 >= month_days(y2, m2);

		if (lo <= hi) {
			if (days_only || (y1 == y2 && m1 == m2 && !(lo_whole && hi_whole))) {
				present("XD" + lo, "XD" + hi, qs);
			} else {
				if (!lo_whole) {
					present("XD" + lo, date_term(y1, m1, 31), qs);
					if (++m1 == 13) {
						m1 = 1;
						y1++;
					}
				}
				if (!hi_whole) {
					present(date_term(y2, m2, 1), "XD" + hi, qs);
					if (--m2 == 0) {
						m2 = 12;
						y2--;
					}
				}
				months(y1, m1, y2, m2, qs);
			}
		}

		Xapian::Query q = qs.empty() ? Xapian::Query::MatchNothing
					     : Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
		cache.emplace(lo + ".." + hi, q);
		return q;
	}
};

/* date:2021-07-15, date:2021-07, date:2021 */
class DateField : public Xapian::FieldProcessor {
	DateTerms &terms;
	ParseError &error;

  public:
	DateField(DateTerms &t, ParseError &e) : terms(t), error(e) {}

	Xapian::Query operator()(const std::string &v) override
	{
		try {
			if (v.empty())
				throw Xapian::QueryParserError("date: needs a date");
			return terms(date_bound(v, false), date_bound(v, true));
		} catch (const Xapian::QueryParserError &e) {
			return error.note(e);
		}
	}
};

/* date:A..B, date:A.., date:..B */
class DateRange : public Xapian::RangeProcessor {
	DateTerms &terms;
	ParseError &error;

  public:
	DateRange(DateTerms &t, ParseError &e)
		: Xapian::RangeProcessor(Xapian::BAD_VALUENO, "date:"), terms(t), error(e) {}

	Xapian::Query operator()(const std::string &b, const std::string &e) override
	{
		try {
			return terms(date_bound(b, false), date_bound(e, true));
		} catch (const Xapian::QueryParserError &x) {
			return error.note(x);
		}
	}
};

/* Everything the parsers of one query share. */
struct Processors {
	ParseError error;
	DateTerms dates;
	FieldProc case_fp{ q_case, error }, pc_fp{ q_pc, error }, name_fp{ q_name, error };
	FieldProc type_fp{ q_type, error }, lang_fp{ q_lang, error }, batch_fp{ q_batch, error };
	FieldProc doc_fp{ q_doc, error };
	DateField date_fp;
	DateRange date_rp;

	explicit Processors(const Xapian::Database &db)
		: dates(db), date_fp(dates, error), date_rp(dates, error) {}
};

/* A parser of one form of the query: `prefix` is the prefix of free text words
 * ("" exact, "XF" folded, "XR" Latin reading of Cyrillic). */
void setup_parser(Xapian::QueryParser &qp, Processors &pr, const Xapian::Stem &stem, const char *prefix)
{
	qp.set_stemmer(stem);
	qp.set_stemming_strategy(stem.is_none() ? Xapian::QueryParser::STEM_NONE
						: Xapian::QueryParser::STEM_SOME);
	qp.set_default_op(Xapian::Query::OP_AND);
	if (*prefix)
		qp.add_prefix("", prefix);
	/* The processors belong to `pr`, which outlives the parser: no release(). */
	qp.add_boolean_prefix("case", &pr.case_fp);
	qp.add_boolean_prefix("pc", &pr.pc_fp);
	qp.add_boolean_prefix("name", &pr.name_fp);
	qp.add_boolean_prefix("type", &pr.type_fp);
	qp.add_boolean_prefix("lang", &pr.lang_fp);
	qp.add_boolean_prefix("batch", &pr.batch_fp);
	qp.add_boolean_prefix("doc", &pr.doc_fp);
	qp.add_boolean_prefix("date", &pr.date_fp);
	qp.add_rangeprocessor(&pr.date_rp);
}

/* No stemmer, then the stemmer of each language present in the index. */
std::vector<Xapian::Stem> query_stemmers(const Xapian::Database &db)
{
	std::vector<Xapian::Stem> stems{ Xapian::Stem() };
	std::set<std::string> names;

	for (Xapian::TermIterator t = db.allterms_begin("XL"); t != db.allterms_end("XL"); ++t) {
		const char *name = stemmer_name((*t).substr(2));

		if (name && names.insert(name).second)
			stems.emplace_back(name);
	}
	return stems;
}

/* Ops whose subqueries can be merged one by one: no parameter besides them
 * (phrases and NEAR, whose window is their parameter, are handled apart). */
bool mergeable(Xapian::Query::op op)
{
	switch (op) {
	case Xapian::Query::OP_AND:
	case Xapian::Query::OP_OR:
	case Xapian::Query::OP_AND_NOT:
	case Xapian::Query::OP_XOR:
	case Xapian::Query::OP_AND_MAYBE:
	case Xapian::Query::OP_FILTER:
	case Xapian::Query::OP_SYNONYM:
	case Xapian::Query::OP_MAX:
		return true;
	default:
		return false;
	}
}

/* The window of a phrase or NEAR node as the parser made it (its subqueries
 * are terms); 0 when it cannot be read. The 1.4 API does not expose it, the
 * description does: "Query((a@1 PHRASE 2 b@2))". */
Xapian::termcount window_of(const Xapian::Query &q)
{
	const std::string d = q.get_description();
	const char *key = q.get_type() == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ";
	size_t at = d.find(key);

	if (at == std::string::npos)
		return 0;
	return (Xapian::termcount)std::strtoul(d.c_str() + at + std::strlen(key), nullptr, 10);
}

/* A parse, or a node of one, and whether it comes from the query string as
 * typed (rather than folded or read in Latin letters). */
struct form {
	Xapian::Query q;
	bool typed;
};

/* A form other than the word as typed (folded, or its Latin reading) weighs
 * less, so that pages with the word as typed come first. */
const double OTHER_FORM_WEIGHT = 0.5;

Xapian::Query weigh(const form &f)
{
	if (f.typed)
		return f.q;
	return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, f.q, OTHER_FORM_WEIGHT);
}

/*
 * merge: one query from the parses of one query string by several parsers.
 * The parses have the same shape and differ in their terms (word, Zstem,
 * XFword, ZXFstem, XRword), so they are merged node by node down to the terms,
 * which become the OR of their forms: "lēmums NOT Karimi" gives (lēmums OR
 * Zlēmum OR XFlemums ...) AND_NOT (karimi OR XFkarimi ...), and a page is left
 * out when any form of an excluded word matches. (ORing whole parses instead
 * would let a page through any parse whose form of the excluded word it
 * lacks.) Phrases and NEAR become the same node over the OR of each word's
 * forms, so "lemums par" matches "Lēmums par" though "par" has no XF form
 * (run_search gives the snippets the phrase as typed, to highlight it as one).
 * Nodes whose shape differs, or whose window cannot be read, are kept whole
 * and ORed. Forms from the folded or Latin string weigh less (weigh()),
 * so the word as typed (diacritics, script) ranks first.
 * Forms no page has are left out: fewer posting lists to open and merge.
 */
/* A word term (no prefix) with a letter outside ASCII. */
bool non_ascii_word(const Xapian::Query &q)
{
	if (q.get_type() != Xapian::Query::LEAF_TERM)
		return false;
	const std::string t = *q.get_terms_begin();

	return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z') && !ascii(t);
}

bool other_form(const Xapian::Query &q)
{
	if (q.get_type() != Xapian::Query::LEAF_TERM)
		return false;
	const std::string t = *q.get_terms_begin();

	return t.compare(0, 2, "XF") == 0 || t.compare(0, 2, "XR") == 0;
}

Xapian::Query merge(const Xapian::Database &db, const std::vector<form> &fs, bool in_phrase)
{
	std::vector<form> uniq;
	std::map<std::string, size_t> seen;

	for (const form &f : fs) {
		/* A form no page has cannot match: leave it out (the first, the
		 * word as typed, stays, so that a word nowhere matches nothing). */
		if (!uniq.empty() && f.q.get_type() == Xapian::Query::LEAF_TERM &&
		    !db.term_exists(*f.q.get_terms_begin()))
			continue;
		auto at = seen.emplace(f.q.get_description(), uniq.size());

		if (at.second)
			uniq.push_back(f);
		else if (f.typed)
			uniq[at.first->second].typed = true;
	}
	/*
	 * In a phrase, a word with letters outside ASCII is covered by its XF
	 * form (a Latin word that folding changes: indexed folded at the same
	 * positions) or its XR form (a Cyrillic word: indexed in Latin letters at
	 * the same positions): check positions once, on the wider form. The
	 * ranking between pages with and without the spelling as typed is left to
	 * the words outside phrases.
	 */
	if (in_phrase && uniq.size() > 1 && std::any_of(uniq.begin(), uniq.end(), [](const form &f) {
		    return other_form(f.q);
	    }))
		uniq.erase(std::remove_if(uniq.begin(), uniq.end(),
					  [](const form &f) { return non_ascii_word(f.q); }),
			   uniq.end());
	if (uniq.size() == 1)
		return uniq[0].q;

	const Xapian::Query &first = uniq[0].q;
	const Xapian::Query::op op = first.get_type();
	const size_t n = first.get_num_subqueries();
	const bool positional = op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR;
	const Xapian::termcount window = positional ? window_of(first) : 0;
	bool same = (mergeable(op) || (positional && window > 0)) && n > 0;

	for (size_t i = 1; same && i < uniq.size(); i++)
		same = uniq[i].q.get_type() == op && uniq[i].q.get_num_subqueries() == n &&
		       (!positional || window_of(uniq[i].q) == window);
	if (!same) {
		std::vector<Xapian::Query> alts;

		for (const form &f : uniq)
			alts.push_back(weigh(f));
		return Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
	}

	std::vector<Xapian::Query> subs;
	for (size_t i = 0; i < n; i++) {
		std::vector<form> kids;

		for (const form &f : uniq)
			kids.push_back({ f.q.get_subquery(i), f.typed });
		subs.push_back(merge(db, kids, in_phrase || positional));
	}
	if (!positional)
		return Xapian::Query(op, subs.begin(), subs.end());
	return Xapian::Query(op, subs.begin(), subs.end(), window);
}

/* The query a query string becomes (see the top of this file); *typed, when
 * asked for, receives the parse of the string as typed (for highlighting). */
Xapian::Query build_query(const Xapian::Database &db, const std::string &qs, Xapian::Query *typed = nullptr)
{
	if (blank(qs))
		return Xapian::Query::MatchAll;

	Processors pr(db);
	const std::string folded = fold(qs, 0);
	/* Capitalised as typed, so that STEM_SOME treats the word the same way. */
	const std::string latin = translit(folded, KT_TRANSLIT_NO_CAPS);
	std::vector<form> parses;
	auto parse = [&](const std::string &s, const Xapian::Stem &stem, const char *prefix, bool typed) {
		Xapian::QueryParser qp;

		setup_parser(qp, pr, stem, prefix);
		parses.push_back({ qp.parse_query(s, QP_FLAGS), typed });
		if (!pr.error.msg.empty())
			throw Xapian::QueryParserError(pr.error.msg);
	};

	/* The parse as typed first: merge() keeps its phrases whole for snippets. */
	for (const Xapian::Stem &stem : query_stemmers(db)) {
		parse(qs, stem, "", true);
		if (folded != qs)
			parse(folded, stem, "", false);
		parse(folded, stem, "XF", false);
		if (latin != folded) {
			parse(latin, stem, "", false);
			parse(latin, stem, "XF", false);
		}
	}
	parse(latin, Xapian::Stem(), "XR", false);
	if (typed != nullptr)
		*typed = parses[0].q;
	return merge(db, parses, false);
}

/* ------------------------------------------------------------- search */

struct HitsDeleter {
	void operator()(kt_index_hits *h) const { kt_index_hits_free(&h); }
};
typedef std::unique_ptr<kt_index_hits, HitsDeleter> hits_ptr;

/*
 * Words to highlight besides the query's. MSet::snippet highlights the query's
 * unprefixed terms and their stems ("Z" + stem) only, so a page found through
 * its folded terms would show no match: return each word form of the hit pages
 * whose folded form (or its stem, or its Latin reading) is a term of the query,
 * "lēmums" for XFlemums, "Коваленко" for XRkovalenko.
 */
std::vector<Xapian::Query> folded_forms(kt_index *ix, const Xapian::Query &q, const Xapian::MSet &ms)
{
	std::set<std::string> qterms(q.get_unique_terms_begin(), q.get_unique_terms_end());
	std::set<std::string> forms;
	bool any_folded = false;

	for (const std::string &t : qterms)
		if (t.compare(0, 2, "XF") == 0 || t.compare(0, 3, "ZXF") == 0 || t.compare(0, 2, "XR") == 0)
			any_folded = true;
	for (Xapian::MSetIterator m = ms.begin(); any_folded && m != ms.end(); ++m) {
		Xapian::Document doc = m.get_document();
		Xapian::Stem stem = cached_stem(ix, doc.get_value(SLOT_LANG));

		for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
			const std::string &term = *t;

			/* Words of ASCII only have no other form: the query's own
			 * terms highlight them. */
			if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z') || ascii(term) || qterms.count(term))
				continue;
			const word_forms &f = ix->forms.get(term);

			if ((!f.folded.empty() && (qterms.count("XF" + f.folded) ||
						   (!stem.is_none() && qterms.count("ZXF" + stem(f.folded))))) ||
			    (!f.latin.empty() && qterms.count("XR" + f.latin)))
				forms.insert(term);
		}
	}
	return std::vector<Xapian::Query>(forms.begin(), forms.end());
}

/* The beginning of a text as a snippet, for a page whose words did not match
 * (found by a filter only): about SNIPPET_BYTES, cut after a word, "…" when cut. */
std::string text_start(const std::string &text)
{
	size_t cut;

	if (text.size() <= SNIPPET_BYTES)
		return text;
	cut = SNIPPET_BYTES;
	while (cut > 0 && kt_utf8_is_cont((unsigned char)text[cut]))
		cut--;
	for (size_t i = cut; i > SNIPPET_BYTES / 2; i--) {
		if (is_space(text[i])) {
			cut = i;
			break;
		}
	}
	return text.substr(0, cut) + OMIT;
}

/* Counts the values of one value slot over the pages it sees; a list slot
 * ("2019\n2021") counts each of its values. */
class ValueCountSpy : public Xapian::MatchSpy {
	Xapian::valueno slot;
	bool list;

  public:
	std::map<std::string, long long> counts;

	ValueCountSpy(Xapian::valueno s, bool l) : slot(s), list(l) {}

	void operator()(const Xapian::Document &doc, double) override
	{
		const std::string v = doc.get_value(slot);
		size_t b = 0;

		if (!list) {
			if (!v.empty())
				counts[v]++;
			return;
		}
		while (b < v.size()) {
			size_t e = v.find(LIST_SEP, b);

			if (e == std::string::npos)
				e = v.size();
			if (e > b)
				counts[v.substr(b, e - b)]++;
			b = e + 1;
		}
	}
};

/* One facet of the hits from a spy's counts: by count (most first) then value,
 * or by value alone. */
void fill_facet(kt_index_facet *f, const char *name, const ValueCountSpy &spy, bool by_count)
{
	std::vector<std::pair<std::string, long long>> v(spy.counts.begin(), spy.counts.end());

	if (by_count)
		std::stable_sort(v.begin(), v.end(), [](const std::pair<std::string, long long> &a,
							const std::pair<std::string, long long> &b) {
			return a.second > b.second;
		});
	f->name = name;
	if (v.empty())
		return;
	f->values = (kt_index_facet_value *)std::calloc(v.size(), sizeof *f->values);
	if (f->values == nullptr)
		throw std::bad_alloc();
	for (const auto &kv : v) {
		f->values[f->n].value = c_strdup(kv.first);
		f->values[f->n].count = kv.second;
		f->n++;
	}
}

void run_search(kt_index *ix, const std::string &qs, int offset, int limit, unsigned flags, kt_index_hits *out)
{
	Xapian::Database &db = ix->db();
	Xapian::Query typed;
	Xapian::Query q = build_query(db, qs, &typed);
	Xapian::Enquire enq(db);
	ValueCountSpy types(SLOT_TYPE, false), years(SLOT_YEARS, true), langs(SLOT_LANGS, true);
	Xapian::doccount check = std::max<Xapian::doccount>(CHECK_AT_LEAST, offset + limit);

	enq.set_query(q);
	if (flags & KT_INDEX_FACETS) {
		enq.add_matchspy(&types);
		enq.add_matchspy(&years);
		enq.add_matchspy(&langs);
		check = std::max(check, db.get_doccount());
	}
	Xapian::MSet ms = enq.get_mset((Xapian::doccount)offset, (Xapian::doccount)limit, check);
	out->estimated_total = ms.get_matches_estimated();
	if (flags & KT_INDEX_FACETS) {
		out->facets = (kt_index_facet *)std::calloc(3, sizeof *out->facets);
		if (out->facets == nullptr)
			throw std::bad_alloc();
		out->n_facets = 3;
		fill_facet(&out->facets[0], "type", types, true);
		fill_facet(&out->facets[1], "year", years, false);
		fill_facet(&out->facets[2], "lang", langs, true);
	}
	if (ms.empty())
		return;

	/* What the snippets highlight: the query, the words of the hits found
	 * through other forms, and the query as typed (its phrases whole). */
	std::vector<Xapian::Query> hq = folded_forms(ix, q, ms);
	Xapian::MSet hms = ms;		/* nothing to add: the MSet of the query */
	if (!hq.empty() || typed.get_description() != q.get_description()) {
		Xapian::Enquire hl(db);

		hq.push_back(q);
		hq.push_back(typed);
		hl.set_query(Xapian::Query(Xapian::Query::OP_OR, hq.begin(), hq.end()));
		hms = hl.get_mset(0, 0);	/* only its term statistics are needed */
	}

	out->hits = (kt_index_hit *)std::calloc(ms.size(), sizeof *out->hits);
	if (out->hits == nullptr)
		throw std::bad_alloc();
	for (Xapian::MSetIterator m = ms.begin(); m != ms.end(); ++m) {
		Xapian::Document doc = m.get_document();
		kt_index_hit *h = &out->hits[out->n];
		const std::string text = doc.get_data();
		/* Around the best cluster of matched words; no background model
		 * (a term frequency per word of each page is too slow). */
		std::string snip = hms.snippet(text, SNIPPET_BYTES, cached_stem(ix, doc.get_value(SLOT_LANG)),
					       Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH, HI_START, HI_END, OMIT);

		snip = snip.empty() ? text_start(text) : unescape_html(snip);

		h->doc_id = (long long)Xapian::sortable_unserialise(doc.get_value(SLOT_DOC_ID));
		h->page = (int)Xapian::sortable_unserialise(doc.get_value(SLOT_PAGE));
		h->score = m.get_percent();
		h->snippet = c_strdup(one_line(snip));
		out->n++;
	}
}

/* "2019\n2021": the values of a set, one a line ("" for none). */
std::string join(const std::set<std::string> &words)
{
	std::string r;

	for (const std::string &w : words) {
		if (!r.empty())
			r += LIST_SEP;
		r += w;
	}
	return r;
}

/*
 * The other forms of the words of a page, from its word terms (lower case,
 * with positions) as the TermGenerator made them: a Latin word that folding
 * changes ("lēmums") also as XF + folded word at the same positions and ZXF +
 * stem of the folded word; a word with Cyrillic letters as XR + its Latin
 * reading ("коваленко" -> XRkovalenko; the reading is diacritic-blind
 * already: ё and е, й and и read the same), so that a phrase typed in one
 * script matches the other. Such a word keeps its wdf but loses its positions:
 * its other form holds them, and phrases are matched on that (one position
 * list per word instead of two, the largest part of the index). Words that folding leaves alone get no XF copy: a
 * query looks for its folded words without prefix too (see build_query).
 * Mixed words ("kовaленко", as OCR may read it) count: every Cyrillic letter
 * is read. The forms of each word are computed once per handle (`forms`).
 */
void add_other_forms(kt_index *ix, Xapian::Document &doc, const Xapian::Stem &stem)
{
	struct posting {
		std::string term;
		std::vector<Xapian::termpos> pos;
	};
	std::vector<posting> add;
	std::vector<std::pair<std::string, Xapian::termcount>> stems;
	std::vector<std::string> unplaced;

	for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		const std::string &term = *t;

		/* Prefixed terms begin with a capital; words and numbers do not. */
		if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z') || ascii(term))
			continue;
		const word_forms &f = ix->forms.get(term);

		if (f.folded.empty() && f.latin.empty())
			continue;
		std::vector<Xapian::termpos> pos(t.positionlist_begin(), t.positionlist_end());

		if (!f.folded.empty()) {
			add.push_back({ "XF" + f.folded, pos });
			if (!stem.is_none() && !(f.folded[0] >= '0' && f.folded[0] <= '9'))
				stems.emplace_back("ZXF" + stem(f.folded), t.get_wdf());
		}
		if (!f.latin.empty())
			add.push_back({ "XR" + f.latin, pos });
		unplaced.push_back(term);
	}
	/* The word as written keeps its wdf but not its positions: phrases look
	 * for it through its other form, which is wider (merge(), in_phrase). */
	for (const std::string &term : unplaced)
		doc.remove_postings(term, 1, std::numeric_limits<Xapian::termpos>::max(), 0);
	for (const posting &a : add) {
		if (a.pos.empty())
			doc.add_term(a.term);
		for (Xapian::termpos p : a.pos)
			doc.add_posting(a.term, p);
	}
	for (const auto &z : stems)
		if (z.first.size() > 3 && z.first.size() <= MAX_TERM)
			doc.add_term(z.first, z.second);
}

/* Check a field value for indexing; false (and a note in `warn`) when skipped. */
bool usable(const std::string &v, const char *field, const char *raw, std::string &warn)
{
	if (v.size() <= MAX_FIELD)
		return !v.empty();
	if (!warn.empty())
		warn += "; ";
	warn += "skipped ";
	warn += field;
	warn += " '";
	warn += std::string(raw).substr(0, 40);
	warn += "...' (over 200 bytes)";
	return false;
}

int bad_array(const char *const *a, int n) { return n < 0 || (n > 0 && a == nullptr); }

} // namespace

const word_forms &FormCache::get(const std::string &word)
{
	auto c = cache.find(word);

	if (c != cache.end())
		return c->second;
	if (cache.size() >= 200000)
		cache.clear();

	word_forms f;
	std::string folded = fold(word, 0);

	if (has_cyrillic(folded))
		f.latin = translit(folded);
	else if (folded != word)
		f.folded = folded;
	if (f.folded.size() + 2 > MAX_TERM)
		f.folded.clear();
	if (f.latin.size() + 2 > MAX_TERM)
		f.latin.clear();
	return cache.emplace(word, f).first->second;
}

/* ============================================================= the C API */

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

int kt_index_put_page(kt_index *ix, const kt_index_page *p)
{
	char what[KT_ERRMSG_MAX];
	int rc;

	if (ix == nullptr)
		return KT_FAILED;
	if ((rc = enter(ix, true, "put page")) != KT_OK)
		return rc;
	if (p == nullptr)
		return kt_error_set(&ix->err, KT_FAILED, "cannot put page into index '%s': no page given",
				    ix->dir.c_str());
	std::snprintf(what, sizeof what, "put page %lld-%d into index '%s'", p->doc_id, p->page, ix->dir.c_str());
	if (p->doc_id < 0 || p->page < 0)
		return kt_error_set(&ix->err, KT_FAILED, "cannot %s: negative document id or page", what);
	if (bad_array(p->case_numbers, p->n_case_numbers) || bad_array(p->personal_codes, p->n_personal_codes) ||
	    bad_array(p->dates, p->n_dates) || bad_array(p->names, p->n_names))
		return kt_error_set(&ix->err, KT_FAILED, "cannot %s: a field array is NULL or its count negative",
				    what);
	try {
		const std::string text = p->text ? p->text : "";
		const std::vector<std::string> langs = lang_codes(p->lang);
		const std::string id = std::to_string(p->doc_id);
		const std::string unique = "Q" + id + "-" + std::to_string(p->page);
		std::vector<std::string> also_text;	/* field values also searchable as text */
		std::set<std::string> terms;		/* boolean terms */
		std::set<std::string> years;		/* of the dates, for the year facet */
		std::string warn;
		Xapian::Document doc;
		Xapian::TermGenerator tg;

		doc.set_data(text);
		doc.add_value(SLOT_DOC_ID, Xapian::sortable_serialise((double)p->doc_id));
		doc.add_value(SLOT_PAGE, Xapian::sortable_serialise(p->page));
		if (!langs.empty())
			doc.add_value(SLOT_LANG, langs[0]);
		doc.add_boolean_term(unique);
		doc.add_boolean_term("D" + id);

		for (const std::string &l : langs)
			if (usable(l, "language", l.c_str(), warn))
				terms.insert("XL" + l);
		if (p->doc_type && usable(word_value(p->doc_type), "type", p->doc_type, warn))
			terms.insert("XT" + word_value(p->doc_type));
		if (p->batch && usable(batch_value(p->batch), "batch", p->batch, warn))
			terms.insert("XB" + batch_value(p->batch));
		for (int i = 0; i < p->n_case_numbers; i++) {
			const char *v = p->case_numbers[i];

			if (v && usable(case_value(v), "case number", v, warn)) {
				terms.insert("XC" + case_value(v));
				also_text.push_back(v);
			}
		}
		for (int i = 0; i < p->n_personal_codes; i++) {
			const char *v = p->personal_codes[i];

			if (v && usable(pc_value(v), "personal code", v, warn)) {
				terms.insert("XP" + pc_value(v));
				also_text.push_back(v);
				if (!pc_plain(v).empty()) {
					terms.insert("XP" + pc_plain(v));
					also_text.push_back(pc_plain(v));
				}
			}
		}
		for (int i = 0; i < p->n_dates; i++) {
			const char *v = p->dates[i];
			std::string d = v ? iso_date(squeeze(v)) : "";

			if (!d.empty()) {
				terms.insert("XD" + d);
				terms.insert("XM" + d.substr(0, 6));
				terms.insert("XY" + d.substr(0, 4));
				years.insert(d.substr(0, 4));
			} else if (v && !blank(v)) {
				warn += warn.empty() ? "" : "; ";
				warn += "skipped date '" + std::string(v).substr(0, 40) + "' (not a valid YYYY-MM-DD date)";
			}
		}
		for (int i = 0; i < p->n_names; i++) {
			const char *v = p->names[i];

			if (v && usable(name_value(v), "name", v, warn)) {
				for (const std::string &n : name_values(v)) {
					terms.insert("XN" + n);
					for (const std::string &part : name_parts(n))
						terms.insert("XN" + part);
				}
			}
		}
		for (const std::string &t : terms)
			doc.add_boolean_term(t);
		if (p->doc_type && !word_value(p->doc_type).empty() && word_value(p->doc_type).size() <= MAX_FIELD)
			doc.add_value(SLOT_TYPE, word_value(p->doc_type));
		doc.add_value(SLOT_YEARS, join(years));
		doc.add_value(SLOT_LANGS, join(std::set<std::string>(langs.begin(), langs.end())));

		/* The text, and the field values as text, exact then folded. */
		tg.set_document(doc);
		Xapian::Stem stem = cached_stem(ix, langs.empty() ? "" : langs[0]);
		tg.set_stemmer(stem);
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		tg.index_text(text);
		for (const std::string &v : also_text) {
			tg.increase_termpos(FIELD_GAP);
			tg.index_text(v);
		}
		add_other_forms(ix, doc, stem);

		ix->wdb.replace_document(unique, doc);
		if (!warn.empty())
			return kt_error_set(&ix->err, KT_WARN, "page %lld-%d in index '%s': %s", p->doc_id, p->page,
					    ix->dir.c_str(), warn.c_str());
		return KT_OK;
	} catch (...) {
		return fail(ix, what);
	}
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

int kt_index_search(kt_index *ix, const char *query, int offset, int limit, kt_index_hits **out)
{
	return kt_index_search_ex(ix, query, offset, limit, 0, out);
}

int kt_index_search_ex(kt_index *ix, const char *query, int offset, int limit, unsigned flags,
		       kt_index_hits **out)
{
	char what[KT_ERRMSG_MAX];
	int rc;

	if (out != nullptr)
		*out = nullptr;
	if (ix == nullptr)
		return KT_FAILED;
	if ((rc = enter(ix, false, "search")) != KT_OK)
		return rc;
	if (out == nullptr || offset < 0 || limit < 0 || limit > MAX_LIMIT || offset > INT32_MAX - limit ||
	    (flags & ~(unsigned)KT_INDEX_FACETS) != 0)
		return kt_error_set(&ix->err, KT_FAILED,
				    "cannot search index '%s': bad arguments (offset %d, limit %d, 0..%d, flags %#x)",
				    ix->dir.c_str(), offset, limit, MAX_LIMIT, flags);
	std::snprintf(what, sizeof what, "search index '%s' for '%s'", ix->dir.c_str(), query ? query : "");
	try {
		const std::string qs = query ? query : "";

		for (int attempt = 1;; attempt++) {
			hits_ptr hits((kt_index_hits *)std::calloc(1, sizeof(kt_index_hits)));

			if (!hits)
				throw std::bad_alloc();
			try {
				if (!ix->writable)
					ix->rdb.reopen();
				run_search(ix, qs, offset, limit, flags, hits.get());
				*out = hits.release();
				return KT_OK;
			} catch (const Xapian::DatabaseModifiedError &) {
				if (attempt == SEARCH_TRIES)
					throw;
			}
		}
	} catch (...) {
		return fail(ix, what);
	}
}

void kt_index_hits_free(kt_index_hits **h)
{
	if (h == nullptr || *h == nullptr)
		return;
	for (int i = 0; i < (*h)->n; i++)
		std::free((*h)->hits[i].snippet);
	std::free((*h)->hits);
	for (int f = 0; f < (*h)->n_facets; f++) {
		for (int i = 0; i < (*h)->facets[f].n; i++)
			std::free((*h)->facets[f].values[i].value);
		std::free((*h)->facets[f].values);
	}
	std::free((*h)->facets);
	std::free(*h);
	*h = nullptr;
}

char *kt_index_describe_query(kt_index *ix, const char *query)
{
	char what[KT_ERRMSG_MAX];

	if (ix == nullptr || enter(ix, false, "describe query") != KT_OK)
		return nullptr;
	std::snprintf(what, sizeof what, "parse query '%s' for index '%s'", query ? query : "", ix->dir.c_str());
	try {
		if (!ix->writable)
			ix->rdb.reopen();
		return c_strdup(build_query(ix->db(), query ? query : "").get_description());
	} catch (...) {
		fail(ix, what);
		return nullptr;
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
