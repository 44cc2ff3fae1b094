/*
 * xapian_facets.cc - list slots and the facets counted over them.
 *
 * A page has any number of years (of its dates) and languages, so slots 4
 * and 5 hold a list, one value a line (join, at indexing). Facets: one pass
 * over every match (check_at_least = the page count, run_search) with a
 * ValueCountSpy per facet counting the values of slots 3, 4 and 5; fill_facet
 * turns the counts into a kt_index_facet.
 */
#include "xapian_private.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <new>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kt_xapian {

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

/* Count the value, or each value of the list, of the slot of one page. */
void ValueCountSpy::operator()(const Xapian::Document &doc, double)
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

} // namespace kt_xapian
