/*
 * xapian_put.cc - kt_index_put_page: one page becomes one Xapian document,
 * replaced on its unique term: the text (TermGenerator), the boolean terms of
 * its fields, its values, and the other forms of its words (folded, Latin
 * reading). The term layout is in xapian_private.h.
 */
#include "xapian_private.h"

#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kt_xapian {

namespace {

const Xapian::termpos FIELD_GAP = 100;	/* no phrase across text and field values */

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

/* A field array that cannot be read: a negative count, or NULL with items. */
int bad_array(const char *const *a, int n) { return n < 0 || (n > 0 && a == nullptr); }

} // namespace

} // namespace kt_xapian

using namespace kt_xapian;

extern "C" {

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

} /* extern "C" */
