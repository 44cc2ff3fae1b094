/*
 * test_rebuild.c - the archive at the command level, on copies of the e2e
 * fixture store (tests/e2e): `verify` names every flipped file of a real
 * package and records its audits; `export` restores an original bit for bit
 * and `export --bag` gives a bag an RFC 8493 validator (written here)
 * accepts; `rebuild` after deleting the catalog and the index, plus
 * `cases import` again, gives the same `docs --json` and the same search hits.
 *
 * usage: test_rebuild KARTOTEKA SAMPLES STORE WORK GROUP
 * GROUP is one of: flip, sample, export, bag, rebuild.
 */
#include "e2e.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt_sha.h"

/* ---------------------------------------------------------------- helpers */

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	*len = 0;
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void write_all(const char *path, const void *data, size_t len)
{
	FILE *f;

	chmod(path, 0644);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static json_t *docs_json(const char *store)
{
	e2e_out o = e2e_run(store, "docs", "--json", NULL);
	json_t *docs;

	if (o.status != 0)
		fail_msg("docs --json: %s", o.err);
	docs = e2e_json_lines(o.out);
	assert_non_null(docs);
	e2e_out_free(&o);
	return docs;
}

/* A copy of the fixture store in WORK/store. */
static void copy_store(char *copy, size_t size)
{
	snprintf(copy, size, "%s/store", E2E.work);
	assert_int_equal(e2e_copy_tree(E2E.store, copy), 0);
}

static json_t *doc_of(json_t *docs, const char *file)
{
	json_t *d = e2e_find_doc(docs, file);

	if (d == NULL)
		fail_msg("no document for '%s'", file);
	return d;
}

/* ---------------------------------------------------------- tar entries */

typedef struct tar_file {
	char path[512];     /* full tar path */
	size_t data_off;    /* offset of the content in the tar */
	size_t size;
} tar_file;

/* The regular files of a ustar/pax tar, in order. */
static int tar_files(const unsigned char *tar, size_t len, tar_file *out, int max)
{
	size_t off = 0;
	int n = 0;

	while (off + 512 <= len && tar[off] != '\0') {
		const unsigned char *h = tar + off;
		size_t size = (size_t)strtoull((const char *)h + 124, NULL, 8);
		char name[101], prefix[156];

		memcpy(name, h, 100);
		name[100] = '\0';
		memcpy(prefix, h + 345, 155);
		prefix[155] = '\0';
		if ((h[156] == '0' || h[156] == '\0') && n < max) {
			if (prefix[0])
				snprintf(out[n].path, sizeof out[n].path, "%s/%s", prefix, name);
			else
				snprintf(out[n].path, sizeof out[n].path, "%s", name);
			out[n].data_off = off + 512;
			out[n].size = size;
			n++;
		}
		off += 512 + (size + 511) / 512 * 512;
	}
	return n;
}

/* ------------------------------------------------------------------ flip */

/* One bit flipped in each file of a real package in turn: verify names the
 * package and the file, exits 1, and records a failed fixity check; with the
 * bit back, verify passes again. */
static void test_flip(void **state)
{
	char copy[4096], pkg[8192], db[8192];
	json_t *docs, *d;
	const char *rel;
	unsigned char *tar;
	size_t len;
	tar_file files[64];
	int n, i, kinds = 0;
	const char *name_end;
	char name[128];
	sqlite3 *sq;
	sqlite3_stmt *st;
	sqlite3_int64 base;
	e2e_out o;

	(void)state;
	copy_store(copy, sizeof copy);
	docs = docs_json(copy);
	/* a multi-page TIFF: original, several page texts */
	d = doc_of(docs, "lv_intervija_2p.tif");
	rel = json_string_value(json_object_get(d, "package"));
	assert_non_null(rel);
	snprintf(pkg, sizeof pkg, "%s/archive/%s", copy, rel);
	name_end = strrchr(rel, '/');
	snprintf(name, sizeof name, "%.*s", (int)(strlen(name_end + 1) - 4), name_end + 1);
	/* the fixture store may hold audits already (e2e's verify): count ours */
	snprintf(db, sizeof db, "%s/catalog.sqlite", copy);
	assert_int_equal(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT coalesce(max(id), 0) FROM fixity_checks", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	base = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(sq);
	tar = read_all(pkg, &len);
	assert_non_null(tar);
	n = tar_files(tar, len, files, 64);
	assert_true(n >= 8);
	for (i = 0; i < n; i++) {
		char want[1024];
		const char *file = files[i].path + strlen(name) + 1;
		size_t at;

		assert_int_equal(strncmp(files[i].path, name, strlen(name)), 0);
		if (files[i].size == 0)
			continue; /* nothing to flip (e.g. the text of a blank page) */
		at = files[i].data_off + files[i].size / 2;
		tar[at] ^= 0x10;
		write_all(pkg, tar, len);
		o = e2e_run(copy, "verify", NULL);
		snprintf(want, sizeof want, "FAILED %s: %s:", name, file);
		if (o.status != 1 || strstr(o.out, want) == NULL)
			fail_msg("flip in %s: exit %d, want '%s' in:\n%s%s", file, o.status, want, o.out, o.err);
		assert_non_null(strstr(o.out, "1 damaged"));
		printf("flip in %-32s -> %s", file, strstr(o.out, want));
		e2e_out_free(&o);
		tar[at] ^= 0x10;
		kinds++;
	}
	write_all(pkg, tar, len);
	o = e2e_run(copy, "verify", NULL);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "all intact"));
	e2e_out_free(&o);
	/* every tag file and every payload file kind was flipped */
	assert_true(kinds >= 9);

	/* the audits are in the catalog: one failed check per flip, with the
	 * file among its problems and a PREMIS fixity event */
	assert_int_equal(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT count(*), sum(result='fail'),"
					    " sum(event LIKE '%<premis:eventType>fixity check</premis:eventType>%'),"
					    " sum(result='fail' AND problems LIKE '%data/original/%')"
					    " FROM fixity_checks WHERE package=? AND id>?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, base);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), kinds + 1);
	assert_int_equal(sqlite3_column_int(st, 1), kinds);
	assert_int_equal(sqlite3_column_int(st, 2), kinds + 1);
	/* at least the flip in the original names it (a flip in a manifest line
	 * about the original may name it too, depending on where it falls) */
	assert_true(sqlite3_column_int(st, 3) >= 1);
	sqlite3_finalize(st);
	sqlite3_close(sq);
	free(tar);
	json_decref(docs);
}

/* ---------------------------------------------------------------- sample */

static int count_checked(const char *out)
{
	const char *p = strstr(out, "verified ");

	return p ? atoi(p + 9) : -1;
}

/* --since and --sample choose packages; a deleted package file is reported. */
static void test_sample(void **state)
{
	char copy[4096], pkg[8192];
	json_t *docs;
	int total;
	e2e_out o;

	(void)state;
	copy_store(copy, sizeof copy);
	docs = docs_json(copy);
	o = e2e_run(copy, "verify", "--since", "2999-01-01", NULL);
	assert_int_equal(o.status, 0);
	total = count_checked(o.out);
	assert_true(total >= 8);
	e2e_out_free(&o);
	/* all were just checked: none is due since yesterday */
	o = e2e_run(copy, "verify", "--since", "2000-01-01", NULL);
	assert_int_equal(o.status, 0);
	assert_int_equal(count_checked(o.out), 0);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--sample", "3", NULL);
	assert_int_equal(o.status, 0);
	assert_int_equal(count_checked(o.out), 3);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--sample", "1000", NULL);
	assert_int_equal(count_checked(o.out), total);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--since", "yesterday", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	o = e2e_run(copy, "verify", "--sample", "-1", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);

	/* a package file the catalog names is gone: reported, not passed over */
	snprintf(pkg, sizeof pkg, "%s/archive/%s", copy,
		 json_string_value(json_object_get(doc_of(docs, "en_letter.png"), "package")));
	assert_int_equal(unlink(pkg), 0);
	o = e2e_run(copy, "verify", "--no-record", NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "FAILED kt-"));
	assert_non_null(strstr(o.out, "1 damaged"));
	assert_int_equal(count_checked(o.out), total);
	e2e_out_free(&o);
	json_decref(docs);
}

/* ---------------------------------------------------------------- export */

static void assert_same_file(const char *a, const char *b)
{
	size_t la, lb;
	unsigned char *x = read_all(a, &la), *y = read_all(b, &lb);

	if (x == NULL || y == NULL)
		fail_msg("cannot read '%s' or '%s'", a, b);
	if (la != lb || memcmp(x, y, la) != 0)
		fail_msg("'%s' and '%s' differ", a, b);
	free(x);
	free(y);
}

static void test_export(void **state)
{
	static const char *const samples[] = { "lv_intervija_2p.tif", "ru_sobesedovanie.jpg",
					       "lv_lemums_karimi.png" };
	char out[4096], id[32];
	json_t *docs;
	size_t i;
	e2e_out o;

	(void)state;
	docs = docs_json(E2E.store);
	snprintf(out, sizeof out, "%s/out", E2E.work);
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		json_t *d = doc_of(docs, samples[i]), *p;
		char orig[8192], got[8192], txt[8192], stem[256];
		unsigned char *t;
		size_t tl, k, want_len = 0;
		char *want;

		snprintf(id, sizeof id, "%lld", json_integer_value(json_object_get(d, "id")));
		o = e2e_run(E2E.store, "export", id, out, NULL);
		if (o.status != 0)
			fail_msg("export %s: %s%s", id, o.out, o.err);
		e2e_out_free(&o);
		/* the original, bit for bit, under its own name */
		snprintf(orig, sizeof orig, "%s/scans/%s", E2E.samples, samples[i]);
		snprintf(got, sizeof got, "%s/%s", out, samples[i]);
		assert_same_file(orig, got);
		/* the plain text access copy: the pages' text */
		snprintf(stem, sizeof stem, "%.*s", (int)(strrchr(samples[i], '.') - samples[i]), samples[i]);
		snprintf(txt, sizeof txt, "%s/%s.txt", out, stem);
		t = read_all(txt, &tl);
		assert_non_null(t);
		json_array_foreach(json_object_get(d, "pages"), k, p)
			want_len += strlen(json_string_value(json_object_get(p, "text"))) + 2;
		want = calloc(1, want_len + 1);
		json_array_foreach(json_object_get(d, "pages"), k, p) {
			strcat(want, json_string_value(json_object_get(p, "text")));
			strcat(want, "\n\n");
		}
		assert_int_equal(tl, strlen(want));
		assert_memory_equal(t, want, tl);
		free(want);
		free(t);
	}
	/* by SHA-256 prefix too; but never over an existing file */
	{
		json_t *d = doc_of(docs, "lv_lemums_karimi.png");
		char prefix[16];

		snprintf(prefix, sizeof prefix, "%.8s", json_string_value(json_object_get(d, "sha256")));
		o = e2e_run(E2E.store, "export", prefix, out, NULL);
		assert_int_equal(o.status, 1);
		assert_non_null(strstr(o.err, "refusing to overwrite"));
		e2e_out_free(&o);
	}
	/* a failed document has no package */
	snprintf(id, sizeof id, "%lld", json_integer_value(json_object_get(doc_of(docs, "broken_scan.tif"), "id")));
	o = e2e_run(E2E.store, "export", id, out, NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.err, "no archive package"));
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "export", "999999", out, NULL);
	assert_int_equal(o.status, 1);
	e2e_out_free(&o);
	o = e2e_run(E2E.store, "export", "1", NULL);
	assert_int_equal(o.status, 2);
	e2e_out_free(&o);
	json_decref(docs);
}

/* ------------------------------------------------------------------- bag */

/* An RFC 8493 validator for a bag folder, independent of archive/:
 * returns the number of problems, each printed. */
typedef struct bag_file {
	char path[1024];      /* relative to the bag, "data/..." */
	long long size;
	int listed[4];        /* per payload manifest */
} bag_file;

static int walk(const char *root, const char *rel, bag_file *out, int n, int max)
{
	char dir[2048];
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof dir, "%s/%s", root, rel);
	if ((d = opendir(dir)) == NULL)
		return n;
	while ((de = readdir(d)) != NULL) {
		char sub[1024], full[4096];
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", rel, de->d_name);
		snprintf(full, sizeof full, "%s/%s", root, sub);
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			n = walk(root, sub, out, n, max);
		} else if (n < max) {
			snprintf(out[n].path, sizeof out[n].path, "%s", sub);
			out[n].size = S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
			memset(out[n].listed, 0, sizeof out[n].listed);
			n++;
		}
	}
	closedir(d);
	return n;
}

static int hex_digest(const char *alg, const unsigned char *d, size_t len, char *hex)
{
	kt_sha *s = kt_sha_new(strcmp(alg, "sha512") == 0 ? KT_SHA512 : KT_SHA256);
	int r;

	if (s == NULL)
		return -1;
	r = kt_sha_update(s, d, len);
	r |= kt_sha_final_hex(s, hex);
	kt_sha_free(&s);
	return r;
}

/* Check one manifest; mark the payload files it lists. */
static int check_manifest(const char *bag, const char *mname, const char *alg, int tag,
			  bag_file *files, int n, int which)
{
	char path[2048], seen[256][1024];
	unsigned char *m;
	size_t len;
	char *line, *next;
	int bad = 0, nseen = 0, i;

	snprintf(path, sizeof path, "%s/%s", bag, mname);
	if ((m = read_all(path, &len)) == NULL) {
		printf("bag: %s cannot be read\n", mname);
		return 1;
	}
	for (line = (char *)m; line && *line; line = next) {
		char *sp, *rel, *o, full[4096], hex[KT_SHA512_HEX];
		unsigned char *data;
		size_t dl;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		sp = strpbrk(line, " \t");
		if (sp == NULL) {
			printf("bag: %s: a line without a path\n", mname);
			bad++;
			continue;
		}
		*sp = '\0';
		rel = sp + 1;
		while (*rel == ' ' || *rel == '\t')
			rel++;
		/* RFC 8493 2.1.3: %0A, %0D, %25 */
		for (o = rel, sp = rel; *sp; sp++) {
			if (sp[0] == '%' && sp[1] == '2' && sp[2] == '5') {
				*o++ = '%';
				sp += 2;
			} else if (sp[0] == '%' && sp[1] == '0' && (sp[2] == 'A' || sp[2] == 'a')) {
				*o++ = '\n';
				sp += 2;
			} else if (sp[0] == '%' && sp[1] == '0' && (sp[2] == 'D' || sp[2] == 'd')) {
				*o++ = '\r';
				sp += 2;
			} else {
				*o++ = *sp;
			}
		}
		*o = '\0';
		if (strlen(line) != (strcmp(alg, "sha512") == 0 ? 128u : 64u)) {
			printf("bag: %s: digest of %s has the wrong length\n", mname, rel);
			bad++;
		}
		if (rel[0] == '/' || rel[0] == '~' || strstr(rel, "..") != NULL || strstr(rel, "./") != NULL ||
		    strstr(rel, "//") != NULL || (!tag && strncmp(rel, "data/", 5) != 0) ||
		    (tag && (strncmp(rel, "data/", 5) == 0 || strncmp(rel, "tagmanifest-", 12) == 0))) {
			printf("bag: %s: path %s not allowed there\n", mname, rel);
			bad++;
			continue;
		}
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], rel) == 0) {
				printf("bag: %s lists %s twice\n", mname, rel);
				bad++;
			}
		if (nseen < 256)
			snprintf(seen[nseen++], sizeof seen[0], "%s", rel);
		snprintf(full, sizeof full, "%s/%s", bag, rel);
		if ((data = read_all(full, &dl)) == NULL) {
			printf("bag: %s lists %s, which is missing\n", mname, rel);
			bad++;
			continue;
		}
		if (hex_digest(alg, data, dl, hex) != 0 || strcasecmp(hex, line) != 0) {
			printf("bag: %s: %s does not match its digest\n", mname, rel);
			bad++;
		}
		free(data);
		for (i = 0; !tag && i < n; i++)
			if (strcmp(files[i].path, rel) == 0)
				files[i].listed[which] = 1;
	}
	free(m);
	return bad;
}

static int validate_bag(const char *bag)
{
	static bag_file files[512];
	static const char *const algs[] = { "sha256", "sha512" };
	char path[2048], want[64];
	unsigned char *b;
	size_t len;
	long long octets = 0;
	int n, i, j, bad = 0, manifests = 0;
	struct stat st;

	snprintf(path, sizeof path, "%s/bagit.txt", bag);
	b = read_all(path, &len);
	if (b == NULL || len < 3 || (b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) ||
	    strncmp((char *)b, "BagIt-Version: ", 15) != 0 ||
	    strstr((char *)b, "\nTag-File-Character-Encoding: UTF-8\n") == NULL) {
		printf("bag: bagit.txt missing or malformed\n");
		bad++;
	}
	free(b);
	snprintf(path, sizeof path, "%s/data", bag);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("bag: no data/ folder\n");
		return bad + 1;
	}
	n = walk(bag, "data", files, 0, 512);
	for (i = 0; i < n; i++) {
		if (files[i].size < 0) {
			printf("bag: %s is not a regular file\n", files[i].path);
			bad++;
		}
		octets += files[i].size > 0 ? files[i].size : 0;
	}
	for (j = 0; j < 2; j++) {
		char mname[64];

		snprintf(mname, sizeof mname, "manifest-%s.txt", algs[j]);
		snprintf(path, sizeof path, "%s/%s", bag, mname);
		if (stat(path, &st) != 0)
			continue;
		manifests++;
		bad += check_manifest(bag, mname, algs[j], 0, files, n, j);
		/* complete: every payload file in every payload manifest */
		for (i = 0; i < n; i++)
			if (!files[i].listed[j]) {
				printf("bag: %s is not in %s\n", files[i].path, mname);
				bad++;
			}
		snprintf(mname, sizeof mname, "tagmanifest-%s.txt", algs[j]);
		snprintf(path, sizeof path, "%s/%s", bag, mname);
		if (stat(path, &st) == 0)
			bad += check_manifest(bag, mname, algs[j], 1, NULL, 0, 0);
	}
	if (manifests == 0) {
		printf("bag: no payload manifest\n");
		bad++;
	}
	/* bag-info.txt: "Label: value" lines (or continuations); Payload-Oxum */
	snprintf(path, sizeof path, "%s/bag-info.txt", bag);
	if ((b = read_all(path, &len)) != NULL) {
		char *line = (char *)b, *next;

		for (; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (line[0] != ' ' && line[0] != '\t' && strstr(line, ": ") == NULL) {
				printf("bag: bag-info.txt: malformed line '%s'\n", line);
				bad++;
			}
			if (strncmp(line, "Payload-Oxum: ", 14) == 0) {
				snprintf(want, sizeof want, "%lld.%d", octets, n);
				if (strcmp(line + 14, want) != 0) {
					printf("bag: Payload-Oxum %s, want %s\n", line + 14, want);
					bad++;
				}
			}
		}
		free(b);
	}
	return bad;
}

static void test_bag(void **state)
{
	char out[4096], bag[8192], id[32], file[8400];
	json_t *docs, *d;
	const char *rel;
	unsigned char *x;
	size_t len;
	e2e_out o;

	(void)state;
	docs = docs_json(E2E.store);
	d = doc_of(docs, "lv_intervija_2p.tif");
	rel = json_string_value(json_object_get(d, "package"));
	snprintf(id, sizeof id, "%lld", json_integer_value(json_object_get(d, "id")));
	snprintf(out, sizeof out, "%s/bags", E2E.work);
	o = e2e_run(E2E.store, "export", "--bag", id, out, NULL);
	if (o.status != 0)
		fail_msg("export --bag: %s%s", o.out, o.err);
	e2e_out_free(&o);
	snprintf(bag, sizeof bag, "%s/%.*s", out, (int)(strlen(strrchr(rel, '/') + 1) - 4), strrchr(rel, '/') + 1);
	assert_int_equal(validate_bag(bag), 0);
	/* the original inside is bit for bit the scan */
	{
		char orig[8192], inside[8400];

		snprintf(orig, sizeof orig, "%s/scans/lv_intervija_2p.tif", E2E.samples);
		snprintf(inside, sizeof inside, "%s/data/original/original.tif", bag);
		assert_same_file(orig, inside);
	}
	/* the bag exists: a second export refuses, the first is untouched */
	o = e2e_run(E2E.store, "export", "--bag", id, out, NULL);
	assert_int_equal(o.status, 1);
	e2e_out_free(&o);
	assert_int_equal(validate_bag(bag), 0);
	/* the validator does catch a changed byte, and an extra file */
	snprintf(file, sizeof file, "%s/data/text/page-0001.txt", bag);
	x = read_all(file, &len);
	assert_non_null(x);
	assert_true(len > 0);
	x[0] ^= 1;
	write_all(file, x, len);
	assert_int_equal(validate_bag(bag), 2); /* in both payload manifests */
	x[0] ^= 1;
	write_all(file, x, len);
	free(x);
	assert_int_equal(validate_bag(bag), 0);
	snprintf(file, sizeof file, "%s/data/extra.txt", bag);
	write_all(file, "x", 1);
	assert_true(validate_bag(bag) >= 2); /* not in either manifest; Payload-Oxum */
	json_decref(docs);
}

/* --------------------------------------------------------------- rebuild */

/* docs --json objects by id, without what cannot come back. */
static json_t *by_id(json_t *docs)
{
	json_t *o = json_object(), *d;
	size_t i;

	json_array_foreach(docs, i, d) {
		char key[32];

		snprintf(key, sizeof key, "%lld", json_integer_value(json_object_get(d, "id")));
		json_object_set(o, key, d);
	}
	return o;
}

static json_t *search_hits(const char *store, const char *query)
{
	e2e_out o = e2e_run(store, "search", "--json", "--limit", "100", query, NULL);
	json_t *hits, *h, *keys = json_array();
	size_t i;

	if (o.status != 0)
		fail_msg("search %s: %s", query, o.err);
	hits = e2e_json_lines(o.out);
	assert_non_null(hits);
	json_array_foreach(hits, i, h)
		json_array_append_new(keys, json_sprintf("%lld/%lld",
			json_integer_value(json_object_get(h, "id")),
			json_integer_value(json_object_get(h, "page"))));
	json_decref(hits);
	e2e_out_free(&o);
	return keys;
}

static void test_rebuild(void **state)
{
	static const char *const queries[] = { "Karimi", "PMLP-LV-2023-004571", "lēmums", "type:interview",
					       "собеседование" };
	char copy[4096], path[20000], csv[4096];
	json_t *before, *after, *b, *a, *v, *hits_before[5];
	const char *key;
	size_t i;
	int lost = 0, same = 0;
	e2e_out o;

	(void)state;
	copy_store(copy, sizeof copy);
	snprintf(csv, sizeof csv, "%s/cases.csv", E2E.samples);
	before = docs_json(copy);
	for (i = 0; i < 5; i++)
		hits_before[i] = search_hits(copy, queries[i]);

	/* a catalog in the way: refused without --force */
	o = e2e_run(copy, "rebuild", NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "--force"));
	e2e_out_free(&o);

	/* delete the catalog and the index; the archive alone remains */
	snprintf(path, sizeof path, "rm -rf '%s/catalog.sqlite' '%s/catalog.sqlite-wal' '%s/catalog.sqlite-shm' '%s/xapian'",
		 copy, copy, copy, copy);
	assert_int_equal(system(path), 0);
	o = e2e_run(copy, "rebuild", NULL);
	if (o.status != 0)
		fail_msg("rebuild: %s%s", o.out, o.err);
	printf("%s", o.out);
	assert_non_null(strstr(o.out, "0 failed"));
	e2e_out_free(&o);
	o = e2e_run(copy, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	after = docs_json(copy);

	/* Compared as JSON, by id. Cannot come back, by design: failed documents
	 * (no package). "format" was null in the catalog the runner made (it
	 * reserves documents without a format) and comes back from the package's
	 * record: it must then be the identified format. */
	b = by_id(before);
	a = by_id(after);
	json_object_foreach(b, key, v) {
		json_t *x = json_object_get(a, key);

		if (strcmp(json_string_value(json_object_get(v, "status")), "done") != 0) {
			assert_null(x);
			lost++;
			continue;
		}
		if (x == NULL)
			fail_msg("document %s is not back", key);
		if (json_is_null(json_object_get(v, "format"))) {
			const char *f = json_string_value(json_object_get(x, "format"));

			assert_non_null(f);
			assert_true(strcmp(f, "tiff") == 0 || strcmp(f, "png") == 0 || strcmp(f, "jpeg") == 0);
			json_object_set(x, "format", json_object_get(v, "format"));
		}
		if (!json_equal(v, x)) {
			char *sb = json_dumps(v, JSON_SORT_KEYS), *sx = json_dumps(x, JSON_SORT_KEYS);

			fail_msg("document %s differs after rebuild:\nbefore %s\nafter  %s", key, sb, sx);
		}
		same++;
	}
	assert_int_equal(json_object_size(a), (size_t)same);
	assert_int_equal(lost, 1); /* broken_scan.tif */
	assert_true(same >= 8);
	printf("rebuild: %d documents equal, %d failed document lost by design\n", same, lost);

	/* the new index finds the same pages */
	for (i = 0; i < 5; i++) {
		json_t *h = search_hits(copy, queries[i]);

		if (!json_equal(h, hits_before[i])) {
			char *x = json_dumps(hits_before[i], 0), *y = json_dumps(h, 0);

			fail_msg("search '%s': %s before, %s after", queries[i], x, y);
		}
		assert_true(json_array_size(h) > 0);
		json_decref(h);
		json_decref(hits_before[i]);
	}

	/* --force moves the catalog aside and gives the same result again */
	o = e2e_run(copy, "rebuild", "--force", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	snprintf(path, sizeof path, "%s/catalog.sqlite.old", copy);
	assert_int_equal(access(path, F_OK), 0);
	o = e2e_run(copy, "verify", NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);

	/* a package whose record is damaged: named, the others restored, exit 1 */
	{
		json_t *d = doc_of(after, "ru_sobesedovanie.jpg"), *again;
		const char *rel = json_string_value(json_object_get(d, "package"));
		char pkg[8192];
		unsigned char *tar;
		size_t len;
		tar_file files[64];
		int n, k, hit = 0;

		snprintf(pkg, sizeof pkg, "%s/archive/%s", copy, rel);
		tar = read_all(pkg, &len);
		assert_non_null(tar);
		n = tar_files(tar, len, files, 64);
		for (k = 0; k < n; k++)
			if (strstr(files[k].path, "/data/metadata/document.json") != NULL) {
				tar[files[k].data_off + files[k].size / 2] ^= 0x04;
				hit = 1;
			}
		assert_true(hit);
		write_all(pkg, tar, len);
		free(tar);
		o = e2e_run(copy, "rebuild", "--force", NULL);
		assert_int_equal(o.status, 1);
		assert_non_null(strstr(o.out, "FAILED"));
		assert_non_null(strstr(o.out, rel));
		assert_non_null(strstr(o.out, "1 failed"));
		e2e_out_free(&o);
		again = docs_json(copy);
		assert_null(e2e_find_doc(again, "ru_sobesedovanie.jpg"));
		assert_int_equal(json_array_size(again), (size_t)same - 1);
		json_decref(again);
	}
	json_decref(a);
	json_decref(b);
	json_decref(before);
	json_decref(after);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		struct CMUnitTest test;
	} groups[] = {
		{ "flip", cmocka_unit_test(test_flip) },
		{ "sample", cmocka_unit_test(test_sample) },
		{ "export", cmocka_unit_test(test_export) },
		{ "bag", cmocka_unit_test(test_bag) },
		{ "rebuild", cmocka_unit_test(test_rebuild) },
	};
	size_t i;

	if (argc != 6) {
		fprintf(stderr, "usage: test_rebuild KARTOTEKA SAMPLES STORE WORK GROUP\n");
		return 2;
	}
	E2E.kartoteka = argv[1];
	E2E.samples = argv[2];
	E2E.store = argv[3];
	E2E.work = argv[4];
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(groups[i].name, argv[5]) == 0) {
			const struct CMUnitTest one[] = { groups[i].test };

			return cmocka_run_group_tests_name(groups[i].name, one, NULL, NULL);
		}
	fprintf(stderr, "test_rebuild: no group '%s'\n", argv[5]);
	return 2;
}
