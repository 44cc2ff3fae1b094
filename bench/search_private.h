/*
 * search_private.h - what the files of kt_bench_search (bench/search_*.c)
 * share: the random streams, the languages and types, a document's fields
 * made from its number, and the time and file helpers.
 *
 *   search.c        main, the command table, exec, time and memory helpers
 *   search_words.c  vocabularies with Zipf frequencies, and names
 *   search_pages.c  documents and page texts made from their numbers; gen
 *   search_index.c  index: the pages put into kt_index
 *   search_query.c  query: the fixed query mix timed, p50 and p99
 */
#ifndef KT_BENCH_SEARCH_PRIVATE_H
#define KT_BENCH_SEARCH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- random */

static inline uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline unsigned below(uint64_t *s, unsigned n) { return (unsigned)(splitmix(s) % n); }

/* The state of a stream of its own for number k of kind `salt`. */
static inline uint64_t seed(uint64_t k, uint64_t salt)
{
	uint64_t s = k ^ (salt << 48);

	return splitmix(&s);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(s, a) ((a)[below(s, (unsigned)N_OF(a))])

/* ------------------------------------------------------------- languages, types */

enum { LAV, LIT, RUS, ENG, NLANG };
enum { DECISION, APPLICATION, INTERVIEW, LETTER, IDENTITY, OTHER, NTYPE };

/* "lav", "lit", "rus", "eng" and the type names, as indexed (search_pages.c). */
extern const char *const lang_code[NLANG];
extern const char *const type_name[NTYPE];

/* ------------------------------------------------------------- words (search_words.c) */

/* zipf_init: make every language's words by rank and their Zipf weights,
 * once, before any page is made; kept until the process ends. Aborts when
 * out of memory. */
void zipf_init(void);

/* zipf_word: a word of language l drawn with Zipf frequencies from stream s;
 * borrowed (static until the process ends). */
const char *zipf_word(uint64_t *s, int l);

/* make_name: a surname of a language group and the same person's given name,
 * from stream s, into surname[ss] and given[gs]. */
void make_name(uint64_t *s, int lang, char *surname, size_t ss, char *given, size_t gs);

/* ------------------------------------------------------------- documents (search_pages.c) */

typedef struct date {
	int y, m, d;
} date;

/* The fields of one document, made from its number. */
typedef struct bdoc {
	long long id;
	int lang, type;
	char case_number[48], pcode[32], batch[32];
	char surname[2][64], given[2][64], fullname[2][140];
	int nnames;
	date dates[4];
	int ndates;
	char iso[4][16];
} bdoc;

/* Pages are numbered 0..N-1 across the archive, two to a document. */
static inline long long doc_of(long long page) { return page / 2; }
static inline int page_in_doc(long long page) { return (int)(page % 2) + 1; }

/* make_doc: the fields of document `id` into *d (caller's). */
void make_doc(long long id, bdoc *d);

/* page_path: the file of page `page` under dir, into out[size]. */
void page_path(const char *dir, long long page, char *out, size_t size);

/* ------------------------------------------------------------- helpers (search.c) */

/* now: monotonic wall time in seconds; cpu_now: CPU time of this thread. */
double now(void);
double cpu_now(void);

/* max_rss_kib: the peak resident memory of this process, KiB. */
long max_rss_kib(void);

/* read_all: a whole file, malloc'd and NUL-terminated (the caller frees it),
 * its length in *len; NULL when it cannot be read. */
char *read_all(const char *path, size_t *len);

/* ------------------------------------------------------------- commands */

/* Each prints its figures on stdout and returns the exit status (0, or 2 on
 * an error, printed on stderr). */
int cmd_gen(const char *dir, long long n);					/* search_pages.c */
int cmd_index(const char *db, const char *dir, long long n, long long batch);	/* search_index.c */
int cmd_query(const char *db, long long npages, int rounds);			/* search_query.c */

#endif
