/*
 * xapian_words.cc - the normal forms that indexing and query share, so that
 * a word or a field value is the same term on both sides: folding and Latin
 * readings (fold.c, translit.c), string helpers, field values (case number,
 * personal code, name, type, batch, date), and the stemmer of each language
 * (cached per handle). See xapian_private.h for each function.
 */
#include "xapian_private.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

namespace kt_xapian {

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
std::string translit(const std::string &s, unsigned flags)
{
	size_t n = 0;
	std::unique_ptr<char, void (*)(void *)> t(kt_translit(s.data(), s.size(), flags, &n), free);

	if (!t)
		throw std::bad_alloc();
	return std::string(t.get(), n);
}

bool has_cyrillic(const std::string &s) { return kt_translit_has_cyrillic(s.data(), s.size()) != 0; }

/* Trim, and make each run of white space (and of `also`) one space. */
std::string squeeze(const std::string &s, const char *also)
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

namespace {

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

} // namespace

const char *stemmer_name(const std::string &code)
{
	for (const auto &l : lang_stemmers)
		if (code == l.code)
			return l.stemmer;
	return nullptr;
}

namespace {

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

} // namespace

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

} // namespace kt_xapian

using namespace kt_xapian;

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
