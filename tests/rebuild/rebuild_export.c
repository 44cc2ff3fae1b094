/*
 * rebuild_export.c - test_rebuild groups "export" (an original restored bit
 * for bit) and "bag" (`export --bag` accepted by an RFC 8493 validator
 * written here, independent of archive/).
 */
#include "rebuild_test.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt_sha.h"

/* ---------------------------------------------------------------- export */

static void assert_same_file(const char *a, const char *b)
{
	size_t la, lb;
	unsigned char *x = kt_test_read_file(a, &la), *y = kt_test_read_file(b, &lb);

	if (x == NULL || y == NULL)
		fail_msg("cannot read '%s' or '%s'", a, b);
	if (la != lb || memcmp(x, y, la) != 0)
		fail_msg("'%s' and '%s' differ", a, b);
	free(x);
	free(y);
}

void test_export(void **state)
{
	static const char *const samples[] = { "lv_intervija_2p.tif", "ru_sobesedovanie.jpg",
					       "lv_lemums_karimi.png" };
	char out[4096], id[32];
	json_t *docs;
	size_t i;
	e2e_out o;

	(void)state;
	docs = e2e_docs_json(E2E.store);
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
		t = kt_test_read_file(txt, &tl);
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
	if ((m = kt_test_read_file(path, &len)) == NULL) {
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
		if ((data = kt_test_read_file(full, &dl)) == NULL) {
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
	b = kt_test_read_file(path, &len);
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
	if ((b = kt_test_read_file(path, &len)) != NULL) {
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

void test_bag(void **state)
{
	char out[4096], bag[8192], id[32], file[8400];
	json_t *docs, *d;
	const char *rel;
	unsigned char *x;
	size_t len;
	e2e_out o;

	(void)state;
	docs = e2e_docs_json(E2E.store);
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
	x = kt_test_read_file(file, &len);
	assert_non_null(x);
	assert_true(len > 0);
	x[0] ^= 1;
	kt_test_write_file(file, x, len);
	assert_int_equal(validate_bag(bag), 2); /* in both payload manifests */
	x[0] ^= 1;
	kt_test_write_file(file, x, len);
	free(x);
	assert_int_equal(validate_bag(bag), 0);
	snprintf(file, sizeof file, "%s/data/extra.txt", bag);
	kt_test_write_file(file, "x", 1);
	assert_true(validate_bag(bag) >= 2); /* not in either manifest; Payload-Oxum */
	json_decref(docs);
}
