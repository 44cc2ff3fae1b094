/*
 * xapian_merge.cc - one query from the parses of one query string by several
 * parsers (xapian_query.cc builds them).
 *
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
#include "xapian_private.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace kt_xapian {

namespace {

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

/* A form other than the word as typed (folded, or its Latin reading) weighs
 * less, so that pages with the word as typed come first. */
const double OTHER_FORM_WEIGHT = 0.5;

Xapian::Query weigh(const form &f)
{
	if (f.typed)
		return f.q;
	return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, f.q, OTHER_FORM_WEIGHT);
}

/* A word term (no prefix) with a letter outside ASCII. */
bool non_ascii_word(const Xapian::Query &q)
{
	if (q.get_type() != Xapian::Query::LEAF_TERM)
		return false;
	const std::string t = *q.get_terms_begin();

	return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z') && !ascii(t);
}

/* A term of another form: XF (folded) or XR (Latin reading). */
bool other_form(const Xapian::Query &q)
{
	if (q.get_type() != Xapian::Query::LEAF_TERM)
		return false;
	const std::string t = *q.get_terms_begin();

	return t.compare(0, 2, "XF") == 0 || t.compare(0, 2, "XR") == 0;
}

} // namespace

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

} // namespace kt_xapian
