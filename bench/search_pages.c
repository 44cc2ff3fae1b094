/*
 * search_pages.c - the synthetic archive of kt_bench_search: a document's
 * fields and a page's text made from their numbers alone (splitmix64), so
 * that the files, the fields and the queries agree without storing
 * anything; and `gen`, which writes the pages as files.
 *
 * A document has two pages sharing its fields: language (a quarter each of
 * Latvian, Lithuanian, Russian, English), type, case number, personal code,
 * one or two names (Latin in three languages, Cyrillic in Russian), two to
 * four dates from 1995 to 2024, a batch. A page is 150 to 300 words: a
 * heading, lines with the fields written as an officer would, and sentences
 * drawn with Zipf frequencies from a vocabulary of each language
 * (search_words.c), so that a word of the domain such as "lēmums" is on
 * about one page in five of its language, as in a real archive, and not on
 * every page.
 */
#include "search_private.h"

#include "kt_buf.h"
#include "kt_status.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const lang_code[NLANG] = { "lav", "lit", "rus", "eng" };
const char *const type_name[NTYPE] = { "decision", "application", "interview", "letter", "identity", "other" };

static const char *const heading[NLANG][NTYPE] = {
	{ "LĒMUMS", "IESNIEGUMS", "PĀRRUNU PROTOKOLS", "VĒSTULE", "PERSONU APLIECINOŠS DOKUMENTS", "IZZIŅA" },
	{ "SPRENDIMAS", "PRAŠYMAS", "POKALBIO PROTOKOLAS", "RAŠTAS", "ASMENS DOKUMENTAS", "PAŽYMA" },
	{ "РЕШЕНИЕ", "ЗАЯВЛЕНИЕ", "ПРОТОКОЛ СОБЕСЕДОВАНИЯ", "ПИСЬМО", "ДОКУМЕНТ, УДОСТОВЕРЯЮЩИЙ ЛИЧНОСТЬ", "СПРАВКА" },
	{ "DECISION", "APPLICATION", "INTERVIEW RECORD", "LETTER", "IDENTITY DOCUMENT", "CERTIFICATE" },
};

static const char *const office[NLANG] = {
	"Pilsonības un migrācijas lietu pārvalde, Uzturēšanās atļauju nodaļa",
	"Migracijos departamentas prie Lietuvos Respublikos vidaus reikalų ministerijos",
	"Управление по делам гражданства и миграции, Отдел видов на жительство",
	"Office of Citizenship and Migration Affairs, Residence Permits Division",
};

/* ------------------------------------------------------------- documents and pages */

void make_doc(long long id, bdoc *d)
{
	uint64_t s = seed((uint64_t)id, 1);
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int by, bm, bd;

	memset(d, 0, sizeof *d);
	d->id = id;
	d->lang = (int)(id % NLANG);
	d->type = (int)below(&s, NTYPE);
	d->ndates = 2 + (int)below(&s, 3);
	for (int i = 0; i < d->ndates; i++) {
		d->dates[i].y = 1995 + (int)below(&s, 30);
		d->dates[i].m = 1 + (int)below(&s, 12);
		d->dates[i].d = 1 + (int)below(&s, (unsigned)mdays[d->dates[i].m - 1]);
		snprintf(d->iso[i], sizeof d->iso[i], "%04d-%02d-%02d", d->dates[i].y % 10000, d->dates[i].m % 100,
			 d->dates[i].d % 100);
	}
	if (d->lang == LIT)
		snprintf(d->case_number, sizeof d->case_number, "MD-LT-%04d-%06lld", d->dates[0].y, id % 1000000);
	else
		snprintf(d->case_number, sizeof d->case_number, "PMLP-LV-%04d-%06lld", d->dates[0].y, id % 1000000);
	by = 1950 + (int)below(&s, 55);
	bm = 1 + (int)below(&s, 12);
	bd = 1 + (int)below(&s, 28);
	if (d->lang == LIT)
		snprintf(d->pcode, sizeof d->pcode, "%d%02d%02d%02d%04u", by < 2000 ? 3 + (int)below(&s, 2) : 5,
			 by % 100, bm, bd, below(&s, 10000));
	else
		snprintf(d->pcode, sizeof d->pcode, "%02d%02d%02d-%d%04u", bd, bm, by % 100, by < 2000 ? 1 : 2,
			 below(&s, 10000));
	snprintf(d->batch, sizeof d->batch, "B-%04d-%02d", d->dates[0].y, d->dates[0].m);
	d->nnames = 1 + (below(&s, 4) == 0);
	for (int i = 0; i < d->nnames; i++) {
		make_name(&s, d->lang, d->surname[i], sizeof d->surname[i], d->given[i], sizeof d->given[i]);
		snprintf(d->fullname[i], sizeof d->fullname[i], "%s %s", d->given[i], d->surname[i]);
	}
}

/* A growing string (the core's kt_buf); out of memory ends the benchmark. */
typedef kt_buf buf;

static void add(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kt_buf_vprintf(b, fmt, ap);
	va_end(ap);
	if (rc != KT_OK)
		abort();
}

static const char *const month_lav[] = { "janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā",
	"augustā", "septembrī", "oktobrī", "novembrī", "decembrī" };
static const char *const month_lit[] = { "sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos",
	"rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio" };
static const char *const month_rus[] = { "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
	"сентября", "октября", "ноября", "декабря" };
static const char *const month_eng[] = { "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December" };

/* A date as written in running text of a language, or as dd.mm.yyyy. */
static void add_date(buf *b, uint64_t *s, int lang, date t)
{
	if (below(s, 3) == 0) {
		add(b, "%02d.%02d.%04d", t.d, t.m, t.y);
		return;
	}
	switch (lang) {
	case LAV: add(b, "%d. gada %d. %s", t.y, t.d, month_lav[t.m - 1]); break;
	case LIT: add(b, "%d m. %s %d d.", t.y, month_lit[t.m - 1], t.d); break;
	case RUS: add(b, "%d %s %d г.", t.d, month_rus[t.m - 1], t.y); break;
	default: add(b, "%d %s %d", t.d, month_eng[t.m - 1], t.y); break;
	}
}

static const char *const l_case[NLANG] = { "Lietas Nr.", "Bylos Nr.", "Дело №", "Case No." };
static const char *const l_pc[NLANG] = { "personas kods", "asmens kodas", "персональный код", "personal code" };
static const char *const l_appl[NLANG] = { "Iesniedzējs:", "Pareiškėjas:", "Заявитель:", "Applicant:" };
static const char *const l_page[NLANG] = { "lapa", "puslapis", "страница", "page" };

/* The text of one page (b->len = 0 first). */
static void make_page_text(const bdoc *d, int pno, long long page, buf *b)
{
	uint64_t s = seed((uint64_t)page, 2);
	int l = d->lang, words = 150 + (int)below(&s, 151), n = 0;

	kt_buf_truncate(b, 0);
	if (pno == 1) {
		add(b, "%s\n\n%s\n\n", office[l], heading[l][d->type]);
		add_date(b, &s, l, d->dates[0]);
		add(b, "\n%s %s\n\n%s %s %s, %s %s\n", l_case[l], d->case_number, l_appl[l],
		    l == RUS ? d->surname[0] : d->given[0], l == RUS ? d->given[0] : d->surname[0], l_pc[l],
		    d->pcode);
		n = 20;
	} else {
		add(b, "%s %s, %d. %s\n\n", l_case[l], d->case_number, pno, l_page[l]);
		n = 6;
	}
	while (n < words) {
		int len = 6 + (int)below(&s, 10);

		for (int i = 0; i < len; i++) {
			unsigned r = below(&s, 60);

			if (r == 0 && d->ndates > 1) {
				add(b, i ? " " : "");
				add_date(b, &s, l, d->dates[1 + below(&s, (unsigned)d->ndates - 1)]);
				n += 3;
			} else if (r == 1) {
				int k = (int)below(&s, (unsigned)d->nnames);

				add(b, "%s%s", i ? " " : "", d->surname[k]);
				n++;
			} else {
				add(b, "%s%s", i ? " " : "", zipf_word(&s, l));
				n++;
			}
		}
		add(b, below(&s, 4) == 0 ? ".\n" : ". ");
	}
	add(b, "\n");
}

void page_path(const char *dir, long long page, char *out, size_t size)
{
	snprintf(out, size, "%s/%04lld/%07lld.txt", dir, page / 1000, page);
}


/* ------------------------------------------------------------- gen */

int cmd_gen(const char *dir, long long n)
{
	buf b = KT_BUF_INIT;
	char path[4096];
	double t0 = now();
	long long bytes = 0;
	bdoc d;

	mkdir(dir, 0755);
	for (long long p = 0; p < n; p++) {
		FILE *f;

		if (p % 1000 == 0) {
			snprintf(path, sizeof path, "%s/%04lld", dir, p / 1000);
			if (mkdir(path, 0755) != 0 && errno != EEXIST) {
				perror(path);
				return 2;
			}
		}
		make_doc(doc_of(p), &d);
		make_page_text(&d, page_in_doc(p), p, &b);
		page_path(dir, p, path, sizeof path);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(kt_buf_cstr(&b), 1, b.len, f) != b.len || fclose(f) != 0) {
			perror(path);
			return 2;
		}
		bytes += (long long)b.len;
	}
	printf("gen: %lld pages, %.1f MB of text (%.0f bytes a page), %.1f s\n", n, (double)bytes / 1e6,
	       (double)bytes / (double)(n ? n : 1), now() - t0);
	kt_buf_release(&b);
	return 0;
}

