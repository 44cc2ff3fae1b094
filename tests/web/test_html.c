/*
 * test_html.c - the web's HTML helpers without a server (tools/web/html.c):
 *   highlight_folded    the query's words marked case- and diacritic-blind,
 *                       as the index folds them: "lemums" marks "Lēmums",
 *                       "ЛЕНА" marks "Лёна", "strasse" marks "Straße"
 *   highlight_escaped   marked or not, the text comes out escaped
 *   highlight_boundary  a word that matches half of a folded letter ("s" of
 *                       "ß") marks nothing; no words: the text as it is
 */
#include "web_private.h"

#include "kt_test.h"

#include <stdlib.h>
#include <string.h>

/* text highlighted with words (a NULL-terminated list); caller frees. */
static char *marked(const char *text, const char *const *words)
{
	web_html h = WEB_HTML_INIT;
	json_t *w = json_array();
	char *s;

	for (; *words; words++)
		json_array_append_new(w, json_string(*words));
	html_highlight(&h, text, w);
	json_decref(w);
	assert_false(h.oom);
	s = strndup(h.b.s ? h.b.s : "", h.b.len);
	kt_buf_release(&h.b);
	return s;
}

static void expect(const char *text, const char *const *words, const char *want)
{
	char *got = marked(text, words);

	assert_string_equal(got, want);
	free(got);
}

static void test_highlight_folded(void **state)
{
	(void)state;
	expect("Lēmums par uzturēšanās atļauju", (const char *const[]){ "lemums", "ATLAUJU", NULL },
	       "<mark>Lēmums</mark> par uzturēšanās <mark>atļauju</mark>");
	expect("Протокол: Лёна Коваленко", (const char *const[]){ "ЛЕНА", NULL },
	       "Протокол: <mark>Лёна</mark> Коваленко");
	expect("Straße 5", (const char *const[]){ "strasse", NULL }, "<mark>Straße</mark> 5");
	/* the exact form is marked too, and the longest word wins */
	expect("lēmums lēmuma", (const char *const[]){ "lēmum", "lēmums", NULL },
	       "<mark>lēmums</mark> <mark>lēmum</mark>a");
}

static void test_highlight_escaped(void **state)
{
	(void)state;
	expect("<b>lēmums</b> & <script>", (const char *const[]){ "lemums", "script", NULL },
	       "&lt;b&gt;<mark>lēmums</mark>&lt;/b&gt; &amp; &lt;<mark>script</mark>&gt;");
}

static void test_highlight_boundary(void **state)
{
	(void)state;
	expect("Straße", (const char *const[]){ "s", NULL }, "<mark>S</mark>traße");
	expect("Straße <i>", (const char *const[]){ NULL }, "Straße &lt;i&gt;");
}

static const kt_test_case cases[] = {
	KT_TEST(highlight_folded),
	KT_TEST(highlight_escaped),
	KT_TEST(highlight_boundary),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_html", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
