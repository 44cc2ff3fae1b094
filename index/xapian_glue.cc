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
 *   word, Zstem        the text: word forms with positions, and stems of the
 *                      page's language (TermGenerator, STEM_SOME)
 *   XFword, ZXFstem    the same for the text with diacritics stripped
 *                      (fold.c), positions aligned with the exact ones
 *   XC XP XN XT XL XB  case number, personal code, name, type, language,
 *                      batch: boolean terms, normalised the same way at index
 *                      and query time (see the *_value functions)
 *   XDyyyymmdd         one term per date of the page
 * Values: 0 doc_id, 1 page (sortable_serialise), 2 language of the page.
 * Data: the page text, for snippets.
 *
 * Query: Xapian's QueryParser (default operator AND) parses the query string
 * once per stemmer of a language present in the index (plus no stemmer), on
 * the exact string and on the folded string with default prefix XF; merge()
 * makes one query of the parses with each word the OR of its forms (word,
 * Zstem, XFword, ZXFstem). A page with the exact spelling matches more forms
 * than one without the diacritics, so it ranks first.
 *
 * Dates: a page has any number of dates, so there is no single value to range
 * over (a min and a max slot would find a page dated 2019 and 2022 for 2020).
 * A date: range is expanded to the XD terms present in the index within it
 * (a few thousand distinct dates at most), ORed as a boolean filter.
 */
#include "kt_index.h"

#include "fold_private.h"

#include <xapian.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

struct kt_index {
	kt_error err;
	std::string dir;
	Xapian::Database rdb;		/* read-only handle */
	Xapian::WritableDatabase wdb;	/* writable handle, a transaction always open */
	bool is_open = false;
	bool writable = false;
	bool fatal = false;		/* no more operations: every call returns KT_FATAL */

	Xapian::Database &db() { return writable ? wdb : rdb; }
};

namespace {

enum { SLOT_DOC_ID = 0, SLOT_PAGE = 1, SLOT_LANG = 2 };

const size_t MAX_FIELD = 200;		/* bytes of a field value (Xapian terms: 245) */
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
 * the first day it covers (upper = false) or the last (upper = true). "" is
 * open-ended. Throws QueryParserError on anything else. */
std::string date_bound(const std::string &s, bool upper)
{
	bool ok = s.size() == 4 || s.size() == 7 || s.size() == 10;
	std::string r;

	if (s.empty())
		return upper ? "99999999" : "";
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
std::vector<std::string> q_name(const std::string &v) { return one("XN", name_value(v)); }

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

/* The XD terms of the index between two bounds ("YYYYMMDD", inclusive). */
class DateTerms {
	Xapian::Database db;
	std::map<std::string, Xapian::Query> cache;	/* one expansion per parse */

  public:
	explicit DateTerms(const Xapian::Database &d) : db(d) {}

	Xapian::Query operator()(const std::string &lo, const std::string &hi)
	{
		auto c = cache.find(lo + ".." + hi);

		if (c != cache.end())
			return c->second;

		std::vector<Xapian::Query> qs;
		const std::string last = "XD" + hi;
		Xapian::TermIterator t = db.allterms_begin("XD");

		t.skip_to("XD" + lo);
		for (; t != db.allterms_end("XD") && *t <= last; ++t)
			qs.emplace_back(*t);

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

void setup_parser(Xapian::QueryParser &qp, Processors &pr, const Xapian::Stem &stem, bool folded)
{
	qp.set_stemmer(stem);
	qp.set_stemming_strategy(stem.is_none() ? Xapian::QueryParser::STEM_NONE
						: Xapian::QueryParser::STEM_SOME);
	qp.set_default_op(Xapian::Query::OP_AND);
	if (folded)
		qp.add_prefix("", "XF");
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

/* Ops whose subqueries can be merged one by one: no parameter besides them. */
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

/*
 * merge: one query from the parses of one query string by several parsers.
 * The parses have the same shape and differ in their terms (word, Zstem,
 * XFword, ZXFstem), so they are merged node by node down to the terms, which
 * become the OR of their forms: "lēmums NOT Karimi" gives (lēmums OR Zlēmum OR
 * XFlemums ...) AND_NOT (karimi OR XFkarimi), and a page is left out when any
 * form of an excluded word matches. (ORing whole parses instead would let a
 * page through any parse whose form of the excluded word it lacks.)
 * Phrases, NEAR and other nodes with a parameter the 1.4 API does not expose
 * (their window) are kept whole and ORed, as are nodes whose shape differs.
 * A page with more forms of a word (the exact spelling as well as the folded
 * one, the word form as well as the stem) weighs more: exact spellings first.
 */
Xapian::Query merge(const std::vector<Xapian::Query> &qs)
{
	std::vector<Xapian::Query> uniq;
	std::set<std::string> seen;

	for (const Xapian::Query &q : qs)
		if (seen.insert(q.get_description()).second)
			uniq.push_back(q);
	if (uniq.size() == 1)
		return uniq[0];

	const Xapian::Query::op op = uniq[0].get_type();
	const size_t n = uniq[0].get_num_subqueries();
	bool same = mergeable(op) && n > 0;

	for (size_t i = 1; same && i < uniq.size(); i++)
		same = uniq[i].get_type() == op && uniq[i].get_num_subqueries() == n;
	if (!same)
		return Xapian::Query(Xapian::Query::OP_OR, uniq.begin(), uniq.end());

	std::vector<Xapian::Query> subs;
	for (size_t i = 0; i < n; i++) {
		std::vector<Xapian::Query> kids;

		for (const Xapian::Query &q : uniq)
			kids.push_back(q.get_subquery(i));
		subs.push_back(merge(kids));
	}
	return Xapian::Query(op, subs.begin(), subs.end());
}

/* The query a query string becomes (see the top of this file). */
Xapian::Query build_query(const Xapian::Database &db, const std::string &qs)
{
	if (blank(qs))
		return Xapian::Query::MatchAll;

	Processors pr(db);
	const std::string folded = fold(qs, 0);
	std::vector<Xapian::Query> parses;

	for (const Xapian::Stem &stem : query_stemmers(db)) {
		for (bool f : { false, true }) {
			Xapian::QueryParser qp;

			setup_parser(qp, pr, stem, f);
			parses.push_back(qp.parse_query(f ? folded : qs, QP_FLAGS));
			if (!pr.error.msg.empty())
				throw Xapian::QueryParserError(pr.error.msg);
		}
	}
	return merge(parses);
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
 * whose folded form (or its stem) is a term of the query, "lēmums" for XFlemums.
 */
std::vector<Xapian::Query> folded_forms(const Xapian::Query &q, const Xapian::MSet &ms)
{
	std::set<std::string> qterms(q.get_unique_terms_begin(), q.get_unique_terms_end());
	std::set<std::string> forms;
	bool any_folded = false;

	for (const std::string &t : qterms)
		if (t.compare(0, 2, "XF") == 0 || t.compare(0, 3, "ZXF") == 0)
			any_folded = true;
	for (Xapian::MSetIterator m = ms.begin(); any_folded && m != ms.end(); ++m) {
		Xapian::Document doc = m.get_document();
		Xapian::Stem stem = stem_for(doc.get_value(SLOT_LANG));

		for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
			const std::string &term = *t;

			if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z') || qterms.count(term))
				continue;
			std::string f = fold(term, 0);
			if (qterms.count("XF" + f) || (!stem.is_none() && qterms.count("ZXF" + stem(f))))
				forms.insert(term);
		}
	}
	return std::vector<Xapian::Query>(forms.begin(), forms.end());
}

void run_search(kt_index *ix, const std::string &qs, int offset, int limit, kt_index_hits *out)
{
	Xapian::Database &db = ix->db();
	Xapian::Query q = build_query(db, qs);
	Xapian::Enquire enq(db);

	enq.set_query(q);
	Xapian::MSet ms = enq.get_mset((Xapian::doccount)offset, (Xapian::doccount)limit,
				       std::max<Xapian::doccount>(CHECK_AT_LEAST, offset + limit));
	out->estimated_total = ms.get_matches_estimated();
	if (ms.empty())
		return;

	std::vector<Xapian::Query> hq = folded_forms(q, ms);
	Xapian::MSet hms = ms;		/* nothing to add: the MSet of the query */
	if (!hq.empty()) {
		Xapian::Enquire hl(db);

		hq.push_back(q);
		hl.set_query(Xapian::Query(Xapian::Query::OP_OR, hq.begin(), hq.end()));
		hms = hl.get_mset(0, 0);	/* only its term statistics are needed */
	}

	out->hits = (kt_index_hit *)std::calloc(ms.size(), sizeof *out->hits);
	if (out->hits == nullptr)
		throw std::bad_alloc();
	for (Xapian::MSetIterator m = ms.begin(); m != ms.end(); ++m) {
		Xapian::Document doc = m.get_document();
		kt_index_hit *h = &out->hits[out->n];
		std::string snip = hms.snippet(doc.get_data(), SNIPPET_BYTES, stem_for(doc.get_value(SLOT_LANG)),
					       Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
						       Xapian::MSet::SNIPPET_EXHAUSTIVE,
					       HI_START, HI_END, OMIT);

		h->doc_id = (long long)Xapian::sortable_unserialise(doc.get_value(SLOT_DOC_ID));
		h->page = (int)Xapian::sortable_unserialise(doc.get_value(SLOT_PAGE));
		h->score = m.get_percent();
		h->snippet = c_strdup(one_line(unescape_html(snip)));
		out->n++;
	}
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
			} else if (v && !blank(v)) {
				warn += warn.empty() ? "" : "; ";
				warn += "skipped date '" + std::string(v).substr(0, 40) + "' (not a valid YYYY-MM-DD date)";
			}
		}
		for (int i = 0; i < p->n_names; i++) {
			const char *v = p->names[i];

			if (v && usable(name_value(v), "name", v, warn)) {
				terms.insert("XN" + name_value(v));
				for (const std::string &part : name_parts(name_value(v)))
					terms.insert("XN" + part);
			}
		}
		for (const std::string &t : terms)
			doc.add_boolean_term(t);

		/* The text, and the field values as text, exact then folded. */
		tg.set_document(doc);
		tg.set_stemmer(langs.empty() ? Xapian::Stem() : stem_for(langs[0]));
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		tg.index_text(text);
		for (const std::string &v : also_text) {
			tg.increase_termpos(FIELD_GAP);
			tg.index_text(v);
		}
		tg.set_termpos(0);
		tg.index_text(fold(text, 0), 1, "XF");
		for (const std::string &v : also_text) {
			tg.increase_termpos(FIELD_GAP);
			tg.index_text(fold(v, 0), 1, "XF");
		}

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
	char what[KT_ERRMSG_MAX];
	int rc;

	if (out != nullptr)
		*out = nullptr;
	if (ix == nullptr)
		return KT_FAILED;
	if ((rc = enter(ix, false, "search")) != KT_OK)
		return rc;
	if (out == nullptr || offset < 0 || limit < 0 || limit > MAX_LIMIT || offset > INT32_MAX - limit)
		return kt_error_set(&ix->err, KT_FAILED,
				    "cannot search index '%s': bad arguments (offset %d, limit %d, 0..%d)",
				    ix->dir.c_str(), offset, limit, MAX_LIMIT);
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
				run_search(ix, qs, offset, limit, hits.get());
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
