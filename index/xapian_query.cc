/*
 * xapian_query.cc - a query string becomes one Xapian query: the fields
 * (case:, pc:, name:, type:, lang:, batch:, doc:, date:), date ranges, and a
 * parse per stemmer and per form of the string; kt_index_describe_query.
 *
 * Query: Xapian's QueryParser (default operator AND) parses the query string
 * once per stemmer of a language present in the index (plus no stemmer): the
 * string as typed; folded, without prefix and with prefix XF; its Cyrillic in
 * Latin letters (when it has any), without prefix and with XF; and the Latin
 * string once more with prefix XR, unstemmed (a Latin word finds the reading
 * of a Cyrillic one). merge() (xapian_merge.cc) makes one query of the
 * parses, each word the OR of its forms (word, Zstem, folded, XFword,
 * ZXFstem, XRword) less the forms no page has; forms from other strings than
 * the one typed weigh half, so the spelling and script as typed rank first.
 *
 * Dates: a page has any number of dates, so there is no single value to range
 * over (a min and a max slot would find a page dated 2019 and 2022 for 2020).
 * A date: range becomes the OR, as a boolean filter, of the year terms of the
 * whole years in it, the month terms of the whole months left, and the day
 * terms of the days left at either end, each list taken from the terms present
 * in the index: date:2020-12-30..2022-02-28 is XD20201230 XD20201231 XY2021
 * XM202201 XM202202.
 *
 * Warnings: a part of the query that cannot match for a reason the user can
 * fix is dropped with a warning, and the rest runs (build_query's
 * `warnings`): an unknown field prefix ("foo:bar"), a type: or lang: value
 * that is neither one the pipeline gives nor one the index holds, and a
 * reversed date range. A field prefix is an ASCII word of letters at a term
 * start (the string's start, or after a character that is not a letter,
 * digit, '_' or byte of a UTF-8 character), then ':' and a character that is
 * not white space, ':' or '/' (so "10:30", "Note: x" and "http://x" stay
 * text); every such word that is no field (case-sensitive: "Type:" is none)
 * is given to the parsers as a boolean prefix, so the parser decides how far
 * its value reaches, as for a known field. The processors of the bad parts
 * return a marker term (DROPPED); drop_marked() takes the marked nodes out of
 * the merged query. A query left with nothing matches no page (a query typed
 * empty matches every page; one that was all mistakes lists nothing).
 */
#include "xapian_private.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <list>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace kt_xapian {

namespace {

const unsigned QP_FLAGS = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PURE_NOT;

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

/* The term of a part of the query dropped with a warning (no page has it:
 * no term we index starts with a control character). */
const char DROPPED[] = "\x01dropped";

/* The warnings of one query, each once, in the order met (the string is
 * parsed several times). */
struct Warnings {
	std::vector<std::string> list;

	/* Note warning w; the query of the part dropped. */
	Xapian::Query note(const std::string &w)
	{
		if (std::find(list.begin(), list.end(), w) == list.end())
			list.push_back(w);
		return Xapian::Query(DROPPED);
	}
};

const char FIELDS[] = "case, pc, name, type, lang, batch, doc, date";

bool known_field(const std::string &name)
{
	static const char *const fields[] = { "case", "pc", "name", "type", "lang", "batch", "doc", "date" };

	for (const char *f : fields)
		if (name == f)
			return true;
	return false;
}

/*
 * The values a type: or lang: value may take without a warning: the ones the
 * pipeline gives (the document types of pipeline/kt_extract.h, the OCR
 * languages), and any the index holds (term prefix XT or XL), read when first
 * needed.
 */
class KnownValues {
	Xapian::Database db;
	const char *prefix, *field, *list;
	std::set<std::string> values;
	bool read = false;

  public:
	KnownValues(const Xapian::Database &d, const char *p, const char *f, const char *l, std::set<std::string> v)
		: db(d), prefix(p), field(f), list(l), values(std::move(v)) {}

	/* "" when the value v (as typed) is known or empty, else the warning. */
	std::string check(const std::string &v)
	{
		const std::string w = word_value(v);

		if (w.empty() || values.count(w))
			return "";
		if (!read) {
			read = true;
			for (Xapian::TermIterator t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
				values.insert((*t).substr(std::string(prefix).size()));
			if (values.count(w))
				return "";
		}
		return std::string("unknown ") + field + " '" + v + "' (" + list + ")";
	}
};

/* A boolean field: the value, normalised, as one or more ORed terms; with
 * `known`, a value it does not know is dropped with a warning. */
class FieldProc : public Xapian::FieldProcessor {
	std::vector<std::string> (*terms)(const std::string &);
	ParseError &error;
	Warnings &warnings;
	KnownValues *known;

  public:
	FieldProc(std::vector<std::string> (*t)(const std::string &), ParseError &e, Warnings &w,
		  KnownValues *k = nullptr)
		: terms(t), error(e), warnings(w), known(k) {}

	Xapian::Query operator()(const std::string &value) override
	{
		std::vector<Xapian::Query> qs;

		try {
			if (known != nullptr) {
				const std::string w = known->check(value);

				if (!w.empty())
					return warnings.note(w);
			}
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

/* date:A..B, date:A.., date:..B; B before A is dropped with a warning. */
class DateRange : public Xapian::RangeProcessor {
	DateTerms &terms;
	ParseError &error;
	Warnings &warnings;

  public:
	DateRange(DateTerms &t, ParseError &e, Warnings &w)
		: Xapian::RangeProcessor(Xapian::BAD_VALUENO, "date:"), terms(t), error(e), warnings(w) {}

	Xapian::Query operator()(const std::string &b, const std::string &e) override
	{
		try {
			const std::string lo = date_bound(b, false), hi = date_bound(e, true);

			if (lo > hi)
				return warnings.note("date range " + b + ".." + e + " is reversed");
			return terms(lo, hi);
		} catch (const Xapian::QueryParserError &x) {
			return error.note(x);
		}
	}
};

/* A field prefix typed that is no field: its value is dropped with a warning. */
class UnknownField : public Xapian::FieldProcessor {
	std::string name;
	Warnings &warnings;

  public:
	UnknownField(const std::string &n, Warnings &w) : name(n), warnings(w) {}

	const std::string &field() const { return name; }

	Xapian::Query operator()(const std::string &) override
	{
		return warnings.note("unknown field '" + name + ":' (fields: " + FIELDS + ")");
	}
};

bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* A byte that continues a word: an ASCII letter or digit, '_', or a byte of
 * a UTF-8 character. */
bool word_byte(char c)
{
	return ascii_letter(c) || (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* The words of qs typed as field prefixes that are no field (see the top of
 * this file). */
std::set<std::string> unknown_prefixes(const std::string &qs)
{
	std::set<std::string> r;
	size_t i = 0;

	while (i < qs.size()) {
		size_t j = i;

		if (!ascii_letter(qs[i]) || (i > 0 && word_byte(qs[i - 1]))) {
			i++;
			continue;
		}
		while (j < qs.size() && ascii_letter(qs[j]))
			j++;
		if (j + 1 < qs.size() && qs[j] == ':' && !is_space(qs[j + 1]) && qs[j + 1] != ':' &&
		    qs[j + 1] != '/' && j - i <= 64 && !known_field(qs.substr(i, j - i)))
			r.insert(qs.substr(i, j - i));
		i = j;
	}
	return r;
}

/* Everything the parsers of one query share. */
struct Processors {
	ParseError error;
	Warnings warnings;
	DateTerms dates;
	KnownValues types, langs;
	FieldProc case_fp{ q_case, error, warnings }, pc_fp{ q_pc, error, warnings };
	FieldProc name_fp{ q_name, error, warnings };
	FieldProc type_fp{ q_type, error, warnings, &types }, lang_fp{ q_lang, error, warnings, &langs };
	FieldProc batch_fp{ q_batch, error, warnings }, doc_fp{ q_doc, error, warnings };
	DateField date_fp;
	DateRange date_rp;
	std::list<UnknownField> unknown;	/* a list: the parsers keep pointers */

	Processors(const Xapian::Database &db, const std::string &qs)
		: dates(db),
		  /* the document types of pipeline/kt_extract.h (kt_doc_type) */
		  types(db, "XT", "type", "types: decision, application, interview, identity, letter, other",
			{ "decision", "application", "interview", "identity", "letter", "other" }),
		  langs(db, "XL", "language", "languages: lav, lit, rus, eng", { "lav", "lit", "rus", "eng" }),
		  date_fp(dates, error), date_rp(dates, error, warnings)
	{
		for (const std::string &name : unknown_prefixes(qs))
			unknown.emplace_back(name, warnings);
	}
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
	for (UnknownField &u : pr.unknown)
		qp.add_boolean_prefix(u.field(), &u);
}

/* Whether q holds a DROPPED term. */
bool marked(const Xapian::Query &q)
{
	for (Xapian::TermIterator t = q.get_terms_begin(); t != q.get_terms_end(); ++t)
		if (*t == DROPPED)
			return true;
	return false;
}

/* The factor of an OP_SCALE_WEIGHT node: the 1.4 API does not expose it, the
 * description does: "Query(0.5 * ...)". */
double scale_of(const Xapian::Query &q)
{
	const std::string d = q.get_description();

	return std::strtod(d.c_str() + (d.compare(0, 6, "Query(") == 0 ? 6 : 0), nullptr);
}

/*
 * q without its DROPPED parts; *gone set when nothing is left. A dropped
 * operand leaves an AND, OR and the like; a dropped query of a filter leaves
 * the filters (unweighted, as the parser makes a query of filters only), a
 * dropped left side of AND_NOT leaves "NOT the rest", and of AND_MAYBE
 * nothing. Nodes without a DROPPED term are kept as they are.
 */
Xapian::Query drop_marked(const Xapian::Query &q, bool *gone)
{
	const Xapian::Query::op op = q.get_type();
	const size_t n = q.get_num_subqueries();
	std::vector<Xapian::Query> kids;
	bool first_gone = false;

	*gone = false;
	if (op == Xapian::Query::LEAF_TERM) {
		*gone = *q.get_terms_begin() == DROPPED;
		return q;
	}
	if (n == 0 || !marked(q) || op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR)
		return q;
	for (size_t i = 0; i < n; i++) {
		bool g;
		Xapian::Query k = drop_marked(q.get_subquery(i), &g);

		if (!g)
			kids.push_back(k);
		else if (i == 0)
			first_gone = true;
	}
	*gone = kids.empty();
	if (*gone)
		return q;
	switch (op) {
	case Xapian::Query::OP_SCALE_WEIGHT:
		return Xapian::Query(op, kids[0], scale_of(q));
	case Xapian::Query::OP_FILTER:
		if (first_gone)
			return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
					     Xapian::Query(Xapian::Query::OP_AND, kids.begin(), kids.end()), 0.0);
		break;
	case Xapian::Query::OP_AND_NOT:
		if (first_gone)
			return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
					     Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end()));
		break;
	case Xapian::Query::OP_AND_MAYBE:
		if (first_gone) {
			*gone = true;
			return q;
		}
		break;
	default:
		break;
	}
	if (kids.size() == 1)
		return kids[0];
	return Xapian::Query(op, kids.begin(), kids.end());
}

/* q without its DROPPED parts; MatchNothing when nothing is left. */
Xapian::Query without_dropped(const Xapian::Query &q)
{
	bool gone;
	Xapian::Query r = drop_marked(q, &gone);

	return gone ? Xapian::Query::MatchNothing : r;
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

} // namespace

/* The query a query string becomes (see the top of this file); *typed, when
 * asked for, receives the parse of the string as typed (for highlighting),
 * *warnings the warnings of the parts dropped. */
Xapian::Query build_query(const Xapian::Database &db, const std::string &qs, Xapian::Query *typed,
			  std::vector<std::string> *warnings)
{
	if (blank(qs))
		return Xapian::Query::MatchAll;

	Processors pr(db, qs);
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
		*typed = without_dropped(parses[0].q);
	if (warnings != nullptr)
		*warnings = pr.warnings.list;
	if (pr.warnings.list.empty())
		return merge(db, parses, false);
	return without_dropped(merge(db, parses, false));
}

} // namespace kt_xapian

using namespace kt_xapian;

extern "C" {

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

} /* extern "C" */
