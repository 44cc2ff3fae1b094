/*
 * xapian_search.cc - kt_index_search: run a query (xapian_query.cc) over the
 * index, with a snippet per hit that highlights the words found (as typed,
 * folded or in their Latin reading) and, when asked, the facets of all the
 * hits (xapian_facets.cc), restricted to some case numbers or documents
 * (kt_index_search_with); kt_index_hits_free.
 */
#include "xapian_private.h"

#include "kt_text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

namespace kt_xapian {

namespace {

const size_t SNIPPET_BYTES = 200;
const int MAX_LIMIT = 10000;
const int SEARCH_TRIES = 3;		/* DatabaseModifiedError: reopen and retry */
const Xapian::doccount CHECK_AT_LEAST = 100;
const char HI_START[] = "\xc2\xab";	/* « */
const char HI_END[] = "\xc2\xbb";	/* » */
const char OMIT[] = "\xe2\x80\xa6";	/* … */

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

/* The restriction of o as one query (OR of the case and document terms;
 * both given, their AND). A restriction with no term that can match is
 * Xapian's MatchNothing; o restricting nothing gives MatchAll. */
Xapian::Query restriction(const kt_index_search_opts &o)
{
	std::vector<Xapian::Query> parts;

	if (o.only_cases) {
		std::set<std::string> terms;

		for (int i = 0; i < o.n_cases; i++) {
			const std::string v = o.cases[i] ? case_value(o.cases[i]) : "";

			if (!v.empty() && v.size() <= MAX_FIELD)
				terms.insert("XC" + v);
		}
		parts.push_back(terms.empty() ? Xapian::Query::MatchNothing
					      : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
	}
	if (o.only_docs) {
		std::set<std::string> terms;

		for (int i = 0; i < o.n_doc_ids; i++)
			if (o.doc_ids[i] >= 0)
				terms.insert("D" + std::to_string(o.doc_ids[i]));
		parts.push_back(terms.empty() ? Xapian::Query::MatchNothing
					      : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
	}
	if (parts.empty())
		return Xapian::Query::MatchAll;
	return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

/* The "doc" facet from a spy over SLOT_DOC_ID: its values are serialised
 * numbers, made decimal and put in id order. */
void fill_doc_facet(kt_index_facet *f, const ValueCountSpy &spy)
{
	std::map<long long, long long> byid;

	for (const auto &kv : spy.counts)
		byid[(long long)Xapian::sortable_unserialise(kv.first)] += kv.second;
	f->name = "doc";
	if (byid.empty())
		return;
	f->values = (kt_index_facet_value *)std::calloc(byid.size(), sizeof *f->values);
	if (f->values == nullptr)
		throw std::bad_alloc();
	for (const auto &kv : byid) {
		f->values[f->n].value = c_strdup(std::to_string(kv.first));
		f->values[f->n].count = kv.second;
		f->n++;
	}
}

/* Search for query string qs into *out (zeroed; its arrays malloc'd, freed
 * by kt_index_hits_free): hits offset..offset+limit with their snippets, and
 * the facets when o.flags has KT_INDEX_FACETS, over the pages o lets
 * through. Throws on any error. */
void run_search(kt_index *ix, const std::string &qs, int offset, int limit, const kt_index_search_opts &o,
		kt_index_hits *out)
{
	Xapian::Database &db = ix->db();
	Xapian::Query typed;
	std::vector<std::string> warnings;
	Xapian::Query q = build_query(db, qs, &typed, &warnings);
	const bool restricted = o.only_cases || o.only_docs;
	Xapian::Enquire enq(db);
	ValueCountSpy types(SLOT_TYPE, false), years(SLOT_YEARS, true), langs(SLOT_LANGS, true);
	ValueCountSpy docs(SLOT_DOC_ID, false);
	Xapian::doccount check = std::max<Xapian::doccount>(CHECK_AT_LEAST, offset + limit);
	const bool facets = (o.flags & KT_INDEX_FACETS) != 0, doc_facet = facets && (o.flags & KT_INDEX_FACET_DOCS);

	/* The filter matches without weight: the pages let through keep the
	 * order and scores of the query alone. An empty query string matches
	 * every page (MatchAll), which the filter narrows the same way. */
	enq.set_query(restricted ? Xapian::Query(Xapian::Query::OP_FILTER, q, restriction(o)) : q);
	if (facets) {
		enq.add_matchspy(&types);
		enq.add_matchspy(&years);
		enq.add_matchspy(&langs);
		if (doc_facet)
			enq.add_matchspy(&docs);
		check = std::max(check, db.get_doccount());
	}
	if (!warnings.empty()) {
		out->warnings = (char **)std::calloc(warnings.size(), sizeof *out->warnings);
		if (out->warnings == nullptr)
			throw std::bad_alloc();
		for (const std::string &w : warnings)
			out->warnings[out->n_warnings++] = c_strdup(w);
	}
	Xapian::MSet ms = enq.get_mset((Xapian::doccount)offset, (Xapian::doccount)limit, check);
	out->estimated_total = ms.get_matches_estimated();
	out->total_lower = ms.get_matches_lower_bound();
	out->total_upper = ms.get_matches_upper_bound();
	if (facets) {
		int nf = doc_facet ? 4 : 3;

		out->facets = (kt_index_facet *)std::calloc((size_t)nf, sizeof *out->facets);
		if (out->facets == nullptr)
			throw std::bad_alloc();
		out->n_facets = nf;
		fill_facet(&out->facets[0], "type", types, true);
		fill_facet(&out->facets[1], "year", years, false);
		fill_facet(&out->facets[2], "lang", langs, true);
		if (doc_facet)
			fill_doc_facet(&out->facets[3], docs);
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

/* KT_OK, or KT_WARN with the warnings of the hits in the handle's message. */
int warned(kt_index *ix, const std::string &qs, const kt_index_hits *h)
{
	std::string all;

	if (h->n_warnings == 0)
		return KT_OK;
	for (int i = 0; i < h->n_warnings; i++)
		all += (i ? "; " : "") + std::string(h->warnings[i]);
	return kt_error_set(&ix->err, KT_WARN, "query '%s': %s", qs.c_str(), all.c_str());
}

} // namespace

} // namespace kt_xapian

using namespace kt_xapian;

extern "C" {

int kt_index_search(kt_index *ix, const char *query, int offset, int limit, kt_index_hits **out)
{
	return kt_index_search_ex(ix, query, offset, limit, 0, out);
}

int kt_index_search_ex(kt_index *ix, const char *query, int offset, int limit, unsigned flags,
		       kt_index_hits **out)
{
	kt_index_search_opts o = {};

	o.flags = flags;
	return kt_index_search_with(ix, query, offset, limit, &o, out);
}

int kt_index_search_with(kt_index *ix, const char *query, int offset, int limit,
			 const kt_index_search_opts *opts, kt_index_hits **out)
{
	static const kt_index_search_opts none = {};
	const kt_index_search_opts &o = opts ? *opts : none;
	const unsigned known = (unsigned)KT_INDEX_FACETS | (unsigned)KT_INDEX_FACET_DOCS;
	char what[KT_ERRMSG_MAX];
	int rc;

	if (out != nullptr)
		*out = nullptr;
	if (ix == nullptr)
		return KT_FAILED;
	if ((rc = enter(ix, false, "search")) != KT_OK)
		return rc;
	if (out == nullptr || offset < 0 || limit < 0 || limit > MAX_LIMIT || offset > INT32_MAX - limit ||
	    (o.flags & ~known) != 0)
		return kt_error_set(&ix->err, KT_FAILED,
				    "cannot search index '%s': bad arguments (offset %d, limit %d, 0..%d, flags %#x)",
				    ix->dir.c_str(), offset, limit, MAX_LIMIT, o.flags);
	if (o.n_cases < 0 || (o.cases == nullptr && o.n_cases > 0) || o.n_doc_ids < 0 ||
	    (o.doc_ids == nullptr && o.n_doc_ids > 0))
		return kt_error_set(&ix->err, KT_FAILED,
				    "cannot search index '%s': bad restriction (%d case numbers, %d documents)",
				    ix->dir.c_str(), o.n_cases, o.n_doc_ids);
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
				run_search(ix, qs, offset, limit, o, hits.get());
				*out = hits.release();
				return warned(ix, qs, *out);
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
	for (int i = 0; i < (*h)->n_warnings; i++)
		std::free((*h)->warnings[i]);
	std::free((*h)->warnings);
	std::free(*h);
	*h = nullptr;
}

} /* extern "C" */
