/*
 * test_mets.c - tests of kt_archive_mets (archive/mets.c): the METS/PREMIS
 * document of a package is well-formed XML (checked by a small checker
 * written here, and by xmllint when it is installed), holds the PREMIS
 * events, escapes hostile record strings, is deterministic, and refuses bad
 * input.
 *
 * Run one case: test_mets <case name>; CTest runs each case as its own entry.
 */
#include "kt_test.h"

#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive_private.h"
#include "kt_archive.h"
#include "kt_sha.h"

extern char **environ;

#define FIXED_TIME 1700000000LL
#define ORIG_BYTES "II*\0fake tiff bytes"
#define ORIG_LEN 19

/* ---- a small XML 1.0 well-formedness checker ---- */

/* Valid UTF-8 and only XML characters. Returns NULL or the reason. */
static const char *check_chars(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return "control character";
			i++;
			continue;
		}
		k = kt_utf8_len(s + i, n - i);
		if (k == 0)
			return "invalid UTF-8";
		if (k == 3 && c == 0xEF && s[i + 1] == 0xBF && s[i + 2] >= 0xBE)
			return "U+FFFE or U+FFFF";
		i += k;
	}
	return NULL;
}

static int is_name_char(unsigned char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80)
		return 1;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

/* An entity or character reference at s ('&' seen); its length or 0. */
static size_t check_ref(const char *s)
{
	static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	size_t i;

	for (i = 0; i < 5; i++)
		if (strncmp(s, named[i], strlen(named[i])) == 0)
			return strlen(named[i]);
	if (s[1] == '#') {
		const char *p = s + 2;
		long v = 0;
		int hex = *p == 'x', digits = 0;

		if (hex)
			p++;
		for (; (*p >= '0' && *p <= '9') || (hex && ((*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))); p++, digits++)
			v = v * (hex ? 16 : 10) + (*p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10);
		if (digits == 0 || *p != ';' || v > 0x10FFFF ||
		    (v < 0x20 && v != 9 && v != 10 && v != 13) || v == 0xFFFE || v == 0xFFFF ||
		    (v >= 0xD800 && v <= 0xDFFF))
			return 0;
		return (size_t)(p + 1 - s);
	}
	return 0;
}

/* Text up to the next '<': no '&' outside references, no "]]>". */
static const char *check_text(const char **pp)
{
	const char *p = *pp;

	while (*p && *p != '<') {
		if (*p == '&') {
			size_t k = check_ref(p);

			if (k == 0)
				return "bad reference";
			p += k;
			continue;
		}
		if (p[0] == ']' && p[1] == ']' && p[2] == '>')
			return "]]> in text";
		p++;
	}
	*pp = p;
	return NULL;
}

/* Returns NULL when xml is well-formed (elements, attributes, references,
 * comments, the XML declaration; no DTD), else a reason with its offset. */
static char *xml_problem(const char *xml)
{
	static char why[256];
	const char *p = xml, *stack[256], *r;
	size_t stack_len[256];
	int depth = 0, roots = 0;

#define BAD(msg) do { snprintf(why, sizeof why, "%s at byte %ld", msg, (long)(p - xml)); return why; } while (0)
	if ((r = check_chars((const unsigned char *)xml, strlen(xml))) != NULL)
		BAD(r);
	if (strncmp(p, "<?xml ", 6) == 0) {
		p = strstr(p, "?>");
		if (p == NULL)
			return "unterminated XML declaration";
		p += 2;
	}
	for (;;) {
		if ((r = check_text(&p)) != NULL)
			BAD(r);
		if (*p == '\0')
			break;
		if (depth == 0) {
			/* only white space outside the root element */
			const char *q;

			for (q = p - 1; q >= xml && *q != '>'; q--)
				if (*q != ' ' && *q != '\n' && *q != '\t' && *q != '\r')
					BAD("text outside the root element");
		}
		if (strncmp(p, "<!--", 4) == 0) {
			const char *e = strstr(p + 4, "--");

			if (e == NULL || e[2] != '>')
				BAD("bad comment");
			p = e + 3;
			continue;
		}
		if (strncmp(p, "<!", 2) == 0 || strncmp(p, "<?", 2) == 0)
			BAD("unexpected markup declaration");
		if (p[1] == '/') {
			const char *n = p + 2;
			size_t len = 0;

			while (is_name_char((unsigned char)n[len], len == 0))
				len++;
			if (depth == 0 || len != stack_len[depth - 1] || strncmp(n, stack[depth - 1], len) != 0)
				BAD("mismatched end tag");
			depth--;
			p = n + len;
			while (*p == ' ' || *p == '\n')
				p++;
			if (*p != '>')
				BAD("bad end tag");
			p++;
			continue;
		}
		{
			const char *n = p + 1, *attrs[64];
			size_t len = 0, alen[64];
			int na = 0, i;

			while (is_name_char((unsigned char)n[len], len == 0))
				len++;
			if (len == 0)
				BAD("bad start tag");
			if (depth == 0 && ++roots > 1)
				BAD("more than one root element");
			p = n + len;
			for (;;) {
				const char *an;
				size_t al = 0;
				char q;

				while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
					p++;
				if (*p == '>' || (p[0] == '/' && p[1] == '>'))
					break;
				if (p[-1] != ' ' && p[-1] != '\n' && p[-1] != '\t' && p[-1] != '\r')
					BAD("no space before an attribute");
				an = p;
				while (is_name_char((unsigned char)an[al], al == 0))
					al++;
				if (al == 0)
					BAD("bad attribute name");
				for (i = 0; i < na; i++)
					if (alen[i] == al && strncmp(attrs[i], an, al) == 0)
						BAD("duplicate attribute");
				if (na < 64) {
					attrs[na] = an;
					alen[na++] = al;
				}
				p = an + al;
				if (*p != '=' || (p[1] != '"' && p[1] != '\''))
					BAD("attribute without a quoted value");
				q = p[1];
				p += 2;
				while (*p && *p != q) {
					if (*p == '<')
						BAD("'<' in an attribute value");
					if (*p == '&') {
						size_t k = check_ref(p);

						if (k == 0)
							BAD("bad reference in an attribute value");
						p += k;
						continue;
					}
					p++;
				}
				if (*p != q)
					BAD("unterminated attribute value");
				p++;
			}
			if (*p == '/') {
				p += 2;
				continue;
			}
			if (depth == 256)
				BAD("too deep");
			stack[depth] = n;
			stack_len[depth++] = len;
			p++;
		}
	}
	if (depth != 0)
		return "unclosed element";
	if (roots != 1)
		return "no root element";
	return NULL;
#undef BAD
}

/* xmllint --noout on the text: 0 well-formed, 1 not, -1 no xmllint. */
static int xmllint(const char *xml)
{
	char path[] = "/tmp/test_mets-XXXXXX";
	int fd = mkstemp(path), st;
	const char *argv[] = { "xmllint", "--noout", "--nonet", path, NULL };
	pid_t pid;
	FILE *f;

	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fputs(xml, f);
	fclose(f);
	if (access("/usr/bin/xmllint", X_OK) != 0 ||
	    posix_spawn(&pid, "/usr/bin/xmllint", NULL, NULL, (char *const *)argv, environ) != 0) {
		unlink(path);
		return -1;
	}
	waitpid(pid, &st, 0);
	unlink(path);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

static void assert_well_formed(const char *xml)
{
	char *why = xml_problem(xml);
	int lint;

	if (why != NULL)
		fail_msg("not well-formed: %s\n%s", why, xml);
	lint = xmllint(xml);
	if (lint == 1)
		fail_msg("xmllint rejects:\n%s", xml);
	if (lint < 0)
		print_message("xmllint not found: checked by the built-in checker only\n");
}

/* ---- fixtures ---- */

/* the page keys a document record must have, besides n, lang and text */
#define PAGE_REST ", \"rotation\": 0, \"skew\": 0.0, \"blank\": false, \"confidence\": 90"

static json_t *sample_record(void)
{
	json_error_t e;
	json_t *r = json_loads(
		"{\"id\": 17, \"source\": \"/scans/2024/Paszport Kowalski.tif\","
		" \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\","
		" \"format\": \"tiff\", \"batch\": \"2024-03 batch 7\", \"ocr_engine\": \"tesseract 5.3.4\","
		" \"pages\": [{\"n\": 1, \"lang\": \"lav\", \"text\": \"Lēmums\"" PAGE_REST "},"
		"             {\"n\": 2, \"lang\": \"rus\", \"text\": \"Решение\"" PAGE_REST "},"
		"             {\"n\": 3, \"lang\": \"lav\", \"text\": \"\"" PAGE_REST "}],"
		" \"metadata\": {\"case_numbers\": [\"UZ-2024/0042\"], \"doc_type\": \"decision\","
		"   \"dates\": [\"2024-03-01\"], \"names\": [{\"surname\": \"Kārimi\", \"given_names\": \"Ali\"}],"
		"   \"nothing\": null, \"confidence\": 0.5, \"count\": 3, \"ok\": true, \"empty\": {}}}",
		0, &e);

	if (r == NULL)
		fail_msg("bad sample record: %s", e.text);
	{
		char hex[KT_SHA256_HEX];

		kt_sha256_hex(ORIG_BYTES, ORIG_LEN, hex);
		json_object_set_new(r, "sha256", json_string(hex));
	}
	return r;
}

static const kt_archive_file sample_files[] = {
	{ "text/page-0002.txt", "Решение", sizeof "Решение" - 1 },
	{ "original/original.tif", ORIG_BYTES, ORIG_LEN },
	{ "text/page-0001.txt", "Lēmums", sizeof "Lēmums" - 1 },
	{ "text/page-0003.txt", "", 0 },
	{ "text/document.txt", "Lēmums\n\nРешение\n\n\n\n", sizeof "Lēmums\n\nРешение\n\n\n\n" - 1 },
	{ "metadata/document.json", "{}", 2 },
};
#define N_SAMPLE (int)(sizeof sample_files / sizeof sample_files[0])

static const kt_archive_mets_info sample_info = {
	.software = "kartoteka 0.1.0",
	.organisation = "Migration Office, Records Unit",
	.event_time = FIXED_TIME,
	.version = 1,
	.ocr_languages = "lav+lit+eng rus+eng",
};

static char *make(json_t *rec, const kt_archive_mets_info *info, const kt_archive_file *files, int n)
{
	kt_archive *a = kt_archive_new();
	char *xml = NULL;
	kt_doc *doc = NULL;
	kt_error err = { 0 };
	int rc;

	if (kt_doc_from_json(rec, &doc, &err) != KT_OK)
		fail_msg("kt_doc_from_json: %s", err.msg);
	rc = kt_archive_mets(a, doc, info, files, n, &xml);
	if (rc != KT_OK)
		fail_msg("kt_archive_mets: %s", kt_archive_errmsg(a));
	kt_doc_free(&doc);
	kt_archive_free(&a);
	assert_non_null(xml);
	return xml;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* ---- cases ---- */

static void test_well_formed(void **state)
{
	json_t *rec = sample_record();
	char *xml = make(rec, &sample_info, sample_files, N_SAMPLE);

	(void)state;
	assert_well_formed(xml);
	/* and the checker itself rejects broken documents */
	assert_non_null(xml_problem("<a><b></a></b>"));
	assert_non_null(xml_problem("<a x=\"1\" x=\"2\"/>"));
	assert_non_null(xml_problem("<a>&nbsp;</a>"));
	assert_non_null(xml_problem("<a>a & b</a>"));
	assert_non_null(xml_problem("<a x=\"<\"/>"));
	assert_non_null(xml_problem("<a>\x01</a>"));
	assert_non_null(xml_problem("<a>\xff</a>"));
	assert_non_null(xml_problem("<a/><b/>"));
	assert_non_null(xml_problem("<a>"));
	assert_null(xml_problem("<?xml version=\"1.0\"?>\n<a k='v'>x &amp; &#10;<b/></a>\n"));
	free(xml);
	json_decref(rec);
}

static void test_premis_events(void **state)
{
	json_t *rec = sample_record();
	char *xml = make(rec, &sample_info, sample_files, N_SAMPLE);

	(void)state;
	assert_int_equal(count(xml, "<premis:eventType>ingestion</premis:eventType>"), 1);
	assert_int_equal(count(xml, "<premis:eventType>format identification</premis:eventType>"), 1);
	assert_int_equal(count(xml, "<premis:eventType>message digest calculation</premis:eventType>"), N_SAMPLE);
	assert_int_equal(count(xml, "<premis:eventType>fixity check</premis:eventType>"), 1);
	assert_int_equal(count(xml, "<premis:eventType>transcription</premis:eventType>"), 1);
	assert_int_equal(count(xml, "<premis:eventType>metadata extraction</premis:eventType>"), 1);
	/* the fixity check passes: the record's sha256 is the original's */
	assert_non_null(strstr(xml, "<premis:eventOutcome>pass</premis:eventOutcome>"));
	/* the OCR event names the engine version and the languages */
	assert_non_null(strstr(xml, "engine tesseract 5.3.4; languages lav+lit+eng rus+eng"));
	assert_non_null(strstr(xml, "<premis:eventDateTime>2023-11-14T22:13:20Z</premis:eventDateTime>"));
	assert_non_null(strstr(xml, "<premis:formatName>image/tiff</premis:formatName>"));
	assert_non_null(strstr(xml, "<premis:originalName>Paszport Kowalski.tif</premis:originalName>"));
	/* one PREMIS object and one mets:file per file, with its digest */
	assert_int_equal(count(xml, "<premis:object "), N_SAMPLE);
	assert_int_equal(count(xml, "<mets:file "), N_SAMPLE);
	{
		char hex[KT_SHA256_HEX], want[200];

		kt_sha256_hex("Lēmums", sizeof "Lēmums" - 1, hex);
		snprintf(want, sizeof want, "CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\"", hex);
		assert_non_null(strstr(xml, want));
	}
	/* groups by first folder, sorted; pages in the structMap */
	assert_true(strstr(xml, "USE=\"METADATA\"") < strstr(xml, "USE=\"ORIGINAL\""));
	assert_true(strstr(xml, "USE=\"ORIGINAL\"") < strstr(xml, "USE=\"TEXT\""));
	assert_int_equal(count(xml, "<mets:div TYPE=\"page\""), 3);
	/* the extracted fields */
	assert_non_null(strstr(xml, "<kt:string>UZ-2024/0042</kt:string>"));
	assert_non_null(strstr(xml, "<kt:string key=\"surname\">Kārimi</kt:string>"));
	assert_non_null(strstr(xml, "<kt:null key=\"nothing\"/>"));
	assert_non_null(strstr(xml, "<kt:boolean key=\"ok\">true</kt:boolean>"));
	assert_non_null(strstr(xml, "<kt:map key=\"empty\"/>"));
	assert_non_null(strstr(xml, "<kt:number key=\"count\">3</kt:number>"));
	assert_well_formed(xml);
	free(xml);

	/* a record whose sha256 is not the original's: the fixity check fails */
	json_object_set_new(rec, "sha256", json_string("ff"));
	xml = make(rec, &sample_info, sample_files, N_SAMPLE);
	assert_non_null(strstr(xml, "<premis:eventOutcome>fail</premis:eventOutcome>"));
	free(xml);
	/* without OCR engine anywhere: no transcription event; languages from pages */
	json_object_del(rec, "ocr_engine");
	xml = make(rec, NULL, sample_files, N_SAMPLE);
	assert_int_equal(count(xml, "transcription"), 0);
	assert_well_formed(xml);
	free(xml);
	json_object_set_new(rec, "ocr_engine", json_string("tesseract 5"));
	xml = make(rec, NULL, sample_files, N_SAMPLE);
	assert_non_null(strstr(xml, "languages lav+rus"));
	free(xml);
	json_decref(rec);
}

static void test_hostile_strings(void **state)
{
	json_t *rec = sample_record(), *meta = json_object_get(rec, "metadata");
	char *xml;

	(void)state;
	json_object_set_new(rec, "source", json_string_nocheck("</mets:mets><x a=\"'&\x01\x7f\xff\xfe\xef\xbf\xbf]]>.tif"));
	json_object_set_new(rec, "batch", json_string("\"><!-- & -->"));
	json_object_set_new(meta, "weird <key> & \"quote\"", json_string("a\tb\nc\rd\x1f"));
	json_object_set_new_nocheck(meta, "\xff", json_string_nocheck("\xc3"));
	json_object_set_new(rec, "ocr_engine", json_string("<engine>"));
	xml = make(rec, &(kt_archive_mets_info){ .software = "k&t <1>", .organisation = "O'Brien & \"Sons\"" },
		   sample_files, N_SAMPLE);
	assert_well_formed(xml);
	assert_null(strstr(xml, "<x "));
	assert_null(strstr(xml, "<!--"));
	assert_null(strstr(xml, "<engine>"));
	/* the source is bytes: those that are not UTF-8 are written "\xHH" (as in
	 * document.json), characters XML does not allow as '?' */
	assert_non_null(strstr(xml, "&lt;/mets:mets&gt;&lt;x a=&quot;&apos;&amp;??\\xff\\xfe?]]&gt;.tif"));
	assert_non_null(strstr(xml, "key=\"weird &lt;key&gt; &amp; &quot;quote&quot;\">a&#9;b&#10;c&#13;d?<"));
	assert_non_null(strstr(xml, "O&apos;Brien &amp; &quot;Sons&quot;"));
	free(xml);
	json_decref(rec);
}

static void test_deterministic(void **state)
{
	json_t *rec = sample_record();
	kt_archive_file rev[N_SAMPLE];
	char *x1, *x2;
	int i;

	(void)state;
	for (i = 0; i < N_SAMPLE; i++)
		rev[i] = sample_files[N_SAMPLE - 1 - i];
	x1 = make(rec, &sample_info, sample_files, N_SAMPLE);
	x2 = make(rec, &sample_info, rev, N_SAMPLE);
	assert_string_equal(x1, x2);
	free(x1);
	free(x2);
	json_decref(rec);
}

static void test_refuses_bad_input(void **state)
{
	kt_archive *a = kt_archive_new();
	json_t *j = sample_record();
	kt_doc *rec = NULL;
	kt_error err = { 0 };
	char *xml = (char *)1;
	kt_archive_file bad[2] = { { "text/a.txt", "x", 1 }, { "text/a.txt", "y", 1 } };

	(void)state;
	assert_int_equal(kt_doc_from_json(j, &rec, &err), KT_OK);
	json_decref(j);
	assert_int_equal(kt_archive_mets(a, NULL, NULL, sample_files, N_SAMPLE, &xml), KT_FAILED);
	assert_null(xml);
	assert_non_null(strstr(kt_archive_errmsg(a), "no document record"));
	assert_int_equal(kt_archive_mets(a, rec, NULL, bad, 2, &xml), KT_FAILED);
	assert_non_null(strstr(kt_archive_errmsg(a), "listed twice"));
	bad[1].path = "../etc/passwd";
	assert_int_equal(kt_archive_mets(a, rec, NULL, bad, 2, &xml), KT_FAILED);
	bad[1].path = NULL;
	assert_int_equal(kt_archive_mets(a, rec, NULL, bad, 2, &xml), KT_FAILED);
	assert_int_equal(kt_archive_mets(a, rec, NULL, NULL, 1, &xml), KT_FAILED);
	/* no files and a bare record still make a well-formed document */
	kt_doc_free(&rec);
	rec = kt_doc_new();
	assert_int_equal(kt_archive_mets(a, rec, NULL, NULL, 0, &xml), KT_OK);
	assert_well_formed(xml);
	assert_null(strstr(xml, "metadata extraction"));
	free(xml);
	kt_doc_free(&rec);
	kt_archive_free(&a);
}

/* mets.xml inside a real package: written, verified, read back. */
static void test_in_package(void **state)
{
	char dir[256], *rel = NULL;
	kt_archive *a = kt_archive_new();
	json_t *rec = sample_record();
	kt_archive_file files[N_SAMPLE + 1];
	kt_archive_package p = { 0 };
	char *xml;
	void *back = NULL;
	size_t len = 0;
	int np = -1;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "test_mets-store"), 0);
	assert_int_equal(kt_archive_open(a, dir), KT_OK);
	kt_archive_set_bagging_time(a, FIXED_TIME);
	memcpy(files, sample_files, sizeof sample_files);
	xml = make(rec, &sample_info, sample_files, N_SAMPLE);
	files[N_SAMPLE] = (kt_archive_file){ "metadata/mets.xml", xml, strlen(xml) };
	p.doc_id = 17;
	p.sha256 = json_string_value(json_object_get(rec, "sha256"));
	p.version = 1;
	p.files = files;
	p.n_files = N_SAMPLE + 1;
	assert_int_equal(kt_archive_write(a, &p, &rel), KT_OK);
	assert_int_equal(kt_archive_verify(a, rel, NULL, NULL, &np), KT_OK);
	assert_int_equal(np, 0);
	assert_int_equal(kt_archive_read_file(a, rel, "metadata/mets.xml", &back, &len), KT_OK);
	assert_int_equal(len, strlen(xml));
	assert_memory_equal(back, xml, len);
	free(back);
	free(rel);
	free(xml);
	json_decref(rec);
	kt_archive_free(&a);
	kt_test_remove_tree(dir);
}


/* kt_archive_fixity_event: a well-formed PREMIS event, escaped note. */
static void test_fixity_event(void **state)
{
	kt_archive *a = kt_archive_new();
	char *xml = NULL;

	(void)state;
	assert_int_equal(kt_archive_fixity_event(a, "ab/kt-00000042-ab12cd34ef56ab78-v1.tar", FIXED_TIME, NULL,
						 0, "2 problems; first: data/x<y>&\"z\": bad", &xml), KT_OK);
	assert_well_formed(xml);
	assert_non_null(strstr(xml, "<premis:eventType>fixity check</premis:eventType>"));
	assert_non_null(strstr(xml, "<premis:eventOutcome>fail</premis:eventOutcome>"));
	assert_non_null(strstr(xml, "<premis:eventDateTime>2023-11-14T22:13:20Z</premis:eventDateTime>"));
	assert_non_null(strstr(xml, "data/x&lt;y&gt;&amp;&quot;z&quot;: bad"));
	assert_non_null(strstr(xml, "kt-00000042-ab12cd34ef56ab78-v1-fixity-2023-11-14T22:13:20Z"));
	free(xml);
	assert_int_equal(kt_archive_fixity_event(a, "ab/kt-00000042-ab12cd34ef56ab78-v1.tar", 0, "k", 1, NULL, &xml),
			 KT_OK);
	assert_non_null(strstr(xml, "<premis:eventOutcome>pass</premis:eventOutcome>"));
	assert_null(strstr(xml, "eventOutcomeDetail"));
	assert_well_formed(xml);
	free(xml);
	assert_int_equal(kt_archive_fixity_event(a, "../x.tar", 0, NULL, 1, NULL, &xml), KT_FAILED);
	assert_null(xml);
	kt_archive_free(&a);
}

/* kt_archive_packages, kt_archive_list_files, kt_archive_parse_relpath. */
static void test_list_packages_and_files(void **state)
{
	char dir[256], path[600];
	static const char sha_a[] = "ab12cd34ef56ab78cd90ef12ab34cd56ef78ab90cd12ef34ab56cd78ef90ab12";
	static const char sha_b[] = "0012cd34ef56ab78cd90ef12ab34cd56ef78ab90cd12ef34ab56cd78ef90ab12";
	kt_archive *a = kt_archive_new();
	kt_archive_file files[] = { { "text/b.txt", "b", 1 }, { "original/o.tif", "o", 1 }, { "a.txt", "", 0 } };
	kt_archive_package p = { .files = files, .n_files = 3 };
	char **list = NULL;
	long long id = 0;
	int n = 0, v = 0, i;
	FILE *f;

	(void)state;
	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "test_mets-list"), 0);
	assert_int_equal(kt_archive_open(a, dir), KT_OK);
	/* written out of order: 12 v2, 12 v1, 3 v1, 123456789 v10, 12 v10 */
	{
		static const struct { long long id; int v; int which; } w[] = {
			{ 12, 2, 0 }, { 12, 1, 0 }, { 3, 1, 1 }, { 123456789, 10, 1 }, { 12, 10, 0 },
		};

		for (i = 0; i < 5; i++) {
			p.doc_id = w[i].id;
			p.version = w[i].v;
			p.sha256 = w[i].which ? sha_b : sha_a;
			assert_int_equal(kt_archive_write(a, &p, NULL), KT_OK);
		}
	}
	/* strays are passed over */
	snprintf(path, sizeof path, "%s/ab/.kt-00000012-ab12cd34ef56ab78-v3.tar.tmp-XyZ123", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof path, "%s/ab/notes.txt", dir);
	chmod(path, 0755);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/zz", dir);
	mkdir(path, 0755);
	assert_int_equal(kt_archive_packages(a, &list, &n), KT_OK);
	assert_int_equal(n, 5);
	assert_string_equal(list[0], "00/kt-00000003-0012cd34ef56ab78-v1.tar");
	assert_string_equal(list[1], "ab/kt-00000012-ab12cd34ef56ab78-v1.tar");
	assert_string_equal(list[2], "ab/kt-00000012-ab12cd34ef56ab78-v2.tar");
	assert_string_equal(list[3], "ab/kt-00000012-ab12cd34ef56ab78-v10.tar");
	assert_string_equal(list[4], "00/kt-123456789-0012cd34ef56ab78-v10.tar");
	assert_int_equal(kt_archive_parse_relpath(list[4], &id, &v), KT_OK);
	assert_int_equal(id, 123456789);
	assert_int_equal(v, 10);
	assert_int_equal(kt_archive_parse_relpath("ab/kt-12-ab12cd34ef56ab78-v1.tar", &id, &v), KT_FAILED);
	assert_int_equal(kt_archive_parse_relpath("../kt-00000012-ab12cd34ef56ab78-v1.tar", NULL, NULL), KT_FAILED);
	kt_archive_strings_free(&list, n);
	assert_null(list);

	assert_int_equal(kt_archive_list_files(a, "ab/kt-00000012-ab12cd34ef56ab78-v2.tar", &list, &n), KT_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0], "a.txt");
	assert_string_equal(list[1], "original/o.tif");
	assert_string_equal(list[2], "text/b.txt");
	kt_archive_strings_free(&list, n);
	assert_int_equal(kt_archive_list_files(a, "ab/kt-00000099-ab12cd34ef56ab78-v1.tar", &list, &n), KT_FAILED);
	assert_null(list);
	assert_int_equal(kt_archive_list_files(a, "/etc/passwd", &list, &n), KT_FAILED);
	kt_archive_free(&a);
	/* an unopened handle */
	a = kt_archive_new();
	assert_int_equal(kt_archive_packages(a, &list, &n), KT_FAILED);
	kt_archive_free(&a);
	kt_test_remove_tree(dir);
}

static const kt_test_case cases[] = {
	KT_TEST(well_formed),
	KT_TEST(premis_events),
	KT_TEST(hostile_strings),
	KT_TEST(deterministic),
	KT_TEST(refuses_bad_input),
	KT_TEST(in_package),
	KT_TEST(fixity_event),
	KT_TEST(list_packages_and_files),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = {
		.name = "test_mets", .cases = cases, .n_cases = KT_N_CASES(cases),
	};

	return kt_test_main(&prog, argc, argv);
}
