/*
 * test_archive.c - tests of kt_archive (archive/): write and verify BagIt
 * packages, one-bit flips in every file, mutant bags, crash safety with fault
 * injection, hostile names and paths, export with an independent RFC 8493
 * validator, and refusal of malicious tars.
 *
 * Run one case: test_archive <case name>; CTest runs each case as its own
 * entry (tests/archive/CMakeLists.txt). Every case works in a fresh mkdtemp
 * folder that is removed afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive_private.h"
#include "kt_archive.h"
#include "kt_sha.h"

#define FIXED_TIME 1700000000LL /* 2023-11-14 */
#define SHA "ab12cd34ef56ab78cd90ef12ab34cd56ef78ab90cd12ef34ab56cd78ef90ab12"
#define NAME "kt-00000042-ab12cd34ef56ab78-v1"
#define RELPATH "ab/" NAME ".tar"

/* ---- fixture ---- */

typedef struct fx {
	char dir[256];    /* the mkdtemp folder */
	char store[300];
	kt_archive *a;
} fx;

static void remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			char sub[4096];
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/kt-archive-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->store, sizeof f->store, "%s/store", f->dir);
	f->a = kt_archive_new();
	if (f->a == NULL || kt_archive_open(f->a, f->store) != KT_OK)
		return -1;
	kt_archive_set_bagging_time(f->a, FIXED_TIME);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;

	kt_archive_free(&f->a);
	remove_tree(f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static const char page1[] = "Page one.\nName: ERIKSSON ANNA MARIA\n";
static const char page2[] = "Page two, 100% of it.\n";
static const char meta[] = "{\"type\":\"passport\"}\n";
static const unsigned char scan[] = { 'I', 'I', 42, 0, 8, 0, 0, 0, 0xff, 0x00, 0x7f, 0x80 };

static kt_archive_file files4[4];

static kt_archive_package make_pkg(void)
{
	kt_archive_package p = { 0 };

	files4[0] = (kt_archive_file){ NULL, scan, sizeof scan };
	files4[1] = (kt_archive_file){ "text/page-0001.txt", page1, strlen(page1) };
	files4[2] = (kt_archive_file){ "text/page 2 100%.txt", page2, strlen(page2) };
	files4[3] = (kt_archive_file){ "meta/doc.json", meta, strlen(meta) };
	p.doc_id = 42;
	p.sha256 = SHA;
	p.version = 1;
	p.batch = "batch-2023-11\nInjected: yes";
	p.source_name = "Scan 1.TIF";
	p.organisation = "Migration Office";
	p.files = files4;
	p.n_files = 4;
	return p;
}

static char *path_in(const fx *f, const char *rel)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s/%s", f->store, rel);
	return buf;
}

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	if (buf != NULL) {
		buf[n] = 0;
		*len = (size_t)n;
	}
	return buf;
}

static void write_all(const char *path, const void *buf, size_t len)
{
	FILE *fp;

	chmod(path, 0644);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void write_ok(fx *f, const kt_archive_package *p, char **rel)
{
	int rc = kt_archive_write(f->a, p, rel);
	if (rc != KT_OK)
		fprintf(stderr, "write: %s\n", kt_archive_errmsg(f->a));
	assert_int_equal(rc, KT_OK);
}

/* Problems collected from kt_archive_verify. */
typedef struct probs {
	int n;
	char file[256][256];
	char text[256][512];
} probs;

static void collect(void *ctx, const char *package, const char *file, const char *problem)
{
	probs *p = ctx;

	assert_string_equal(package, NAME);
	if (p->n < 256) {
		snprintf(p->file[p->n], sizeof p->file[0], "%s", file);
		snprintf(p->text[p->n], sizeof p->text[0], "%s", problem);
	}
	p->n++;
}

static int has_problem(const probs *p, const char *file, const char *substr)
{
	for (int i = 0; i < p->n && i < 256; i++)
		if ((file == NULL || strcmp(p->file[i], file) == 0) &&
		    (substr == NULL || strstr(p->text[i], substr) != NULL))
			return 1;
	return 0;
}

static void dump(const probs *p)
{
	for (int i = 0; i < p->n && i < 256; i++)
		fprintf(stderr, "  problem: '%s': %s\n", p->file[i], p->text[i]);
}

static int verify(fx *f, const char *rel, probs *p)
{
	int n = -1, rc;

	memset(p, 0, sizeof *p);
	rc = kt_archive_verify(f->a, rel, collect, p, &n);
	assert_int_equal(n, p->n);
	if (rc == KT_OK)
		assert_int_equal(n, 0);
	else
		assert_true(n > 0);
	return rc;
}

static void verify_clean(fx *f, const char *rel)
{
	probs p;
	int rc = verify(f, rel, &p);
	if (rc != KT_OK)
		dump(&p);
	assert_int_equal(rc, KT_OK);
}

/* ---- a minimal tar walker for byte surgery (ustar + pax 'x' path) ---- */

typedef struct tent {
	char name[600];
	char type;
	size_t hdr;   /* offset of the header block */
	size_t off;   /* offset of the data */
	size_t size;
} tent;

static size_t octal(const unsigned char *p, size_t n)
{
	size_t v = 0;
	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (size_t)(p[i] - '0');
	return v;
}

static int tar_walk(const unsigned char *buf, size_t len, tent *out, int max)
{
	size_t pos = 0;
	char pax_path[600] = "";
	int n = 0;

	while (pos + 512 <= len && n < max) {
		const unsigned char *h = buf + pos;
		size_t size = octal(h + 124, 12);
		char type = (char)h[156];
		if (h[0] == 0)
			break;
		if (type == 'x') {
			const char *d = (const char *)h + 512, *p = d;
			while (p < d + size) {
				long rl = strtol(p, NULL, 10);
				const char *kv = strchr(p, ' ') + 1;
				if (strncmp(kv, "path=", 5) == 0)
					snprintf(pax_path, sizeof pax_path, "%.*s", (int)(p + rl - kv - 6), kv + 5);
				p += rl;
			}
			pos += 512 + ((size + 511) / 512) * 512;
			continue;
		}
		if (pax_path[0]) {
			snprintf(out[n].name, sizeof out[n].name, "%s", pax_path);
			pax_path[0] = '\0';
		} else if (h[345]) {
			snprintf(out[n].name, sizeof out[n].name, "%.155s/%.100s", h + 345, h);
		} else {
			snprintf(out[n].name, sizeof out[n].name, "%.100s", h);
		}
		out[n].type = type;
		out[n].hdr = pos;
		out[n].off = pos + 512;
		out[n].size = size;
		n++;
		pos += 512 + ((size + 511) / 512) * 512;
	}
	return n;
}

/* Bytes of entry <package name>/<rel> inside a tar buffer; NULL if absent. */
static const unsigned char *tar_get(const unsigned char *buf, size_t len, const char *rel,
                                    size_t *size)
{
	tent t[64];
	int n = tar_walk(buf, len, t, 64);

	/* Any package name: compare what follows the first '/'. */
	for (int i = 0; i < n; i++)
		if (strchr(t[i].name, '/') != NULL && strcmp(strchr(t[i].name, '/') + 1, rel) == 0) {
			*size = t[i].size;
			return buf + t[i].off;
		}
	return NULL;
}

/* ---- rebuilding a package tar through libarchive ---- */

enum edit_op { EDIT_DROP, EDIT_REPLACE, EDIT_ADD, EDIT_ADD_RAW };

typedef struct edit {
	enum edit_op op;
	const char *rel;    /* bag-relative (EDIT_ADD_RAW: the full tar path) */
	const char *data;
	size_t len;         /* 0: strlen(data) */
} edit;

static void add_entry(struct archive *w, const char *path, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0444);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, FIXED_TIME, 0);
	assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(w, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static void rebuild(const char *file, const edit *ed, int ned)
{
	struct archive *r = archive_read_new(), *w = archive_write_new();
	struct archive_entry *e;
	char out[1200];
	size_t cap = 1 << 20;
	char *buf = malloc(cap);

	snprintf(out, sizeof out, "%s.new", file);
	archive_read_support_format_tar(r);
	assert_int_equal(archive_read_open_filename(r, file, 10240), ARCHIVE_OK);
	archive_write_set_format_pax_restricted(w);
	assert_int_equal(archive_write_open_filename(w, out), ARCHIVE_OK);
	while (archive_read_next_header(r, &e) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(e);
		const edit *hit = NULL;
		la_ssize_t n = 0;
		for (int i = 0; i < ned; i++) {
			char full[600];
			snprintf(full, sizeof full, NAME "/%s", ed[i].rel);
			if ((ed[i].op == EDIT_DROP || ed[i].op == EDIT_REPLACE) && strcmp(full, path) == 0)
				hit = &ed[i];
		}
		if (hit != NULL && hit->op == EDIT_DROP)
			continue;
		if (hit != NULL) {
			char p[600];
			snprintf(p, sizeof p, "%s", path);
			add_entry(w, p, hit->data, hit->len ? hit->len : strlen(hit->data));
			continue;
		}
		if (archive_entry_filetype(e) == AE_IFREG)
			n = archive_read_data(r, buf, cap);
		assert_true(n >= 0);
		assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
		if (n > 0)
			assert_int_equal(archive_write_data(w, buf, (size_t)n), n);
	}
	for (int i = 0; i < ned; i++) {
		char full[600];
		if (ed[i].op == EDIT_ADD)
			snprintf(full, sizeof full, NAME "/%s", ed[i].rel);
		else if (ed[i].op == EDIT_ADD_RAW)
			snprintf(full, sizeof full, "%s", ed[i].rel);
		else
			continue;
		add_entry(w, full, ed[i].data, ed[i].len ? ed[i].len : strlen(ed[i].data));
	}
	archive_read_free(r);
	assert_int_equal(archive_write_close(w), ARCHIVE_OK);
	archive_write_free(w);
	free(buf);
	chmod(file, 0644);
	assert_int_equal(rename(out, file), 0);
}

static void hex_of(enum kt_sha_algo alg, const void *d, size_t n, char *hex)
{
	kt_sha *s = kt_sha_new(alg);
	assert_non_null(s);
	assert_int_equal(kt_sha_update(s, d, n), 0);
	assert_int_equal(kt_sha_final_hex(s, hex), 0);
	kt_sha_free(&s);
}

/* Rebuild with the given tag-file replacements and fresh, correct tag
 * manifests, so that only the semantic checks can catch the change. */
static void rebuild_retagged(fx *f, const edit *ed, int ned)
{
	static const char *tags[4] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt",
		                           "manifest-sha512.txt" };
	size_t len;
	unsigned char *tar = read_all(path_in(f, RELPATH), &len);
	char *t256 = calloc(1, 8192), *t512 = calloc(1, 8192);
	edit all[16];
	int n = 0;

	assert_non_null(tar);
	for (int i = 0; i < 4; i++) {
		const unsigned char *d = NULL;
		size_t dl = 0;
		char h256[KT_SHA256_HEX], h512[KT_SHA512_HEX];
		for (int j = 0; j < ned; j++)
			if (ed[j].op == EDIT_REPLACE && strcmp(ed[j].rel, tags[i]) == 0) {
				d = (const unsigned char *)ed[j].data;
				dl = ed[j].len ? ed[j].len : strlen(ed[j].data);
			}
		if (d == NULL)
			d = tar_get(tar, len, tags[i], &dl);
		if (d == NULL)
			continue; /* dropped */
		hex_of(KT_SHA256, d, dl, h256);
		hex_of(KT_SHA512, d, dl, h512);
		snprintf(t256 + strlen(t256), 8192 - strlen(t256), "%s  %s\n", h256, tags[i]);
		snprintf(t512 + strlen(t512), 8192 - strlen(t512), "%s  %s\n", h512, tags[i]);
	}
	for (int j = 0; j < ned; j++)
		all[n++] = ed[j];
	all[n++] = (edit){ EDIT_REPLACE, "tagmanifest-sha256.txt", t256, 0 };
	all[n++] = (edit){ EDIT_REPLACE, "tagmanifest-sha512.txt", t512, 0 };
	rebuild(path_in(f, RELPATH), all, n);
	free(tar);
	free(t256);
	free(t512);
}

/* ---- an independent RFC 8493 validator for a bag folder ---- */

typedef struct dfile {
	char path[1200];
	size_t size;
	int listed[2];
} dfile;

static int list_files(const char *root, const char *rel, dfile *out, int n, int max)
{
	char dir[1200];
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof dir, "%s/%s", root, rel);
	d = opendir(dir);
	if (d == NULL)
		return n;
	while ((de = readdir(d)) != NULL) {
		char sub[1200], full[2400];
		struct stat st;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", rel, de->d_name);
		snprintf(full, sizeof full, "%s/%s", root, sub);
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			n = list_files(root, sub, out, n, max);
		else if (n < max) {
			snprintf(out[n].path, sizeof out[n].path, "%s", sub);
			out[n].size = (size_t)st.st_size;
			out[n].listed[0] = out[n].listed[1] = 0;
			n++;
		}
	}
	closedir(d);
	return n;
}

static void decode(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '%' && p[1] == '2' && p[2] == '5') {
			*o++ = '%';
			p += 2;
		} else if (p[0] == '%' && p[1] == '0' && (p[2] == 'A' || p[2] == 'a')) {
			*o++ = '\n';
			p += 2;
		} else if (p[0] == '%' && p[1] == '0' && (p[2] == 'D' || p[2] == 'd')) {
			*o++ = '\r';
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

/* Check every line of a (tag) manifest; mark payload files listed. */
static int check_manifest(const char *bag, const char *mname, enum kt_sha_algo alg, dfile *files,
                          int n, int which)
{
	char path[1200];
	size_t len;
	unsigned char *m;
	char *line, *save = NULL;
	int bad = 0;

	snprintf(path, sizeof path, "%s/%s", bag, mname);
	m = read_all(path, &len);
	if (m == NULL) {
		fprintf(stderr, "validator: %s missing\n", mname);
		return 1;
	}
	for (line = strtok_r((char *)m, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strpbrk(line, " \t"), *rel, full[1300], hex[KT_SHA512_HEX];
		size_t dl;
		unsigned char *d;
		if (sp == NULL) {
			fprintf(stderr, "validator: %s: bad line\n", mname);
			bad++;
			continue;
		}
		*sp = '\0';
		rel = sp + 1;
		while (*rel == ' ' || *rel == '\t')
			rel++;
		decode(rel);
		if (strstr(rel, "..") != NULL || rel[0] == '/') {
			fprintf(stderr, "validator: %s: unsafe path %s\n", mname, rel);
			bad++;
			continue;
		}
		snprintf(full, sizeof full, "%s/%s", bag, rel);
		d = read_all(full, &dl);
		if (d == NULL) {
			fprintf(stderr, "validator: %s lists missing %s\n", mname, rel);
			bad++;
			continue;
		}
		hex_of(alg, d, dl, hex);
		free(d);
		if (strcmp(hex, line) != 0) {
			fprintf(stderr, "validator: %s: digest of %s differs\n", mname, rel);
			bad++;
		}
		for (int i = 0; files != NULL && i < n; i++)
			if (strcmp(files[i].path, rel) == 0)
				files[i].listed[which] = 1;
	}
	free(m);
	return bad;
}

static int validate_bag(const char *bag)
{
	static dfile files[256];
	char path[1200];
	size_t len, octets = 0;
	unsigned char *b;
	int n, bad = 0;
	char *ox;

	snprintf(path, sizeof path, "%s/bagit.txt", bag);
	b = read_all(path, &len);
	if (b == NULL || len != strlen(KT_BAGIT_TXT) || memcmp(b, KT_BAGIT_TXT, len) != 0) {
		fprintf(stderr, "validator: bagit.txt wrong\n");
		bad++;
	}
	free(b);
	n = list_files(bag, "data", files, 0, 256);
	if (n == 0) {
		fprintf(stderr, "validator: no payload\n");
		bad++;
	}
	bad += check_manifest(bag, "manifest-sha256.txt", KT_SHA256, files, n, 0);
	bad += check_manifest(bag, "manifest-sha512.txt", KT_SHA512, files, n, 1);
	for (int i = 0; i < n; i++) {
		octets += files[i].size;
		if (!files[i].listed[0] || !files[i].listed[1]) {
			fprintf(stderr, "validator: %s not in every manifest\n", files[i].path);
			bad++;
		}
	}
	snprintf(path, sizeof path, "%s/bag-info.txt", bag);
	b = read_all(path, &len);
	ox = b ? strstr((char *)b, "Payload-Oxum: ") : NULL;
	{
		char want[64];
		snprintf(want, sizeof want, "Payload-Oxum: %zu.%d\n", octets, n);
		if (ox == NULL || strncmp(ox, want, strlen(want)) != 0) {
			fprintf(stderr, "validator: Payload-Oxum wrong (want %s)\n", want);
			bad++;
		}
	}
	free(b);
	bad += check_manifest(bag, "tagmanifest-sha256.txt", KT_SHA256, NULL, 0, 0);
	bad += check_manifest(bag, "tagmanifest-sha512.txt", KT_SHA512, NULL, 0, 0);
	return bad;
}

static int count_temps(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* ---- cases ---- */

static void write_verify_clean(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	struct stat st;
	size_t len, n;
	unsigned char *tar;
	const unsigned char *d;
	tent t[64];
	int nt;

	write_ok(f, &p, &rel);
	assert_string_equal(rel, RELPATH);
	assert_int_equal(stat(path_in(f, rel), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0444);
	assert_int_equal(count_temps(path_in(f, "ab"), ".kt-"), 0);
	verify_clean(f, rel);

	tar = read_all(path_in(f, rel), &len);
	assert_non_null(tar);
	/* Layout and order: folder, tag files, data/, payload sorted by path. */
	nt = tar_walk(tar, len, t, 64);
	{
		static const char *want[] = {
			NAME "/", NAME "/bagit.txt", NAME "/bag-info.txt", NAME "/manifest-sha256.txt",
			NAME "/manifest-sha512.txt", NAME "/tagmanifest-sha256.txt",
			NAME "/tagmanifest-sha512.txt", NAME "/data/", NAME "/data/meta/",
			NAME "/data/meta/doc.json", NAME "/data/original/",
			NAME "/data/original/Scan_1.TIF", NAME "/data/text/",
			NAME "/data/text/page 2 100%.txt", NAME "/data/text/page-0001.txt",
		};
		assert_int_equal(nt, (int)(sizeof want / sizeof want[0]));
		for (int i = 0; i < nt; i++) {
			assert_string_equal(t[i].name, want[i]);
			assert_int_equal(octal(tar + t[i].hdr + 100, 8), t[i].type == '5' ? 0555 : 0444);
			assert_int_equal(octal(tar + t[i].hdr + 108, 8), 0);   /* uid */
			assert_int_equal(octal(tar + t[i].hdr + 116, 8), 0);   /* gid */
			assert_int_equal(octal(tar + t[i].hdr + 136, 12), FIXED_TIME);
		}
	}
	d = tar_get(tar, len, "bagit.txt", &n);
	assert_non_null(d);
	assert_int_equal(n, strlen(KT_BAGIT_TXT));
	assert_memory_equal(d, KT_BAGIT_TXT, n);
	d = tar_get(tar, len, "bag-info.txt", &n);
	assert_non_null(d);
	{
		char info[2048];
		char oxum[64];
		snprintf(info, sizeof info, "%.*s", (int)n, d);
		snprintf(oxum, sizeof oxum, "Payload-Oxum: %zu.4\n",
		         sizeof scan + strlen(page1) + strlen(page2) + strlen(meta));
		assert_non_null(strstr(info, "Source-Organization: Migration Office\n"));
		assert_non_null(strstr(info, "Bagging-Date: 2023-11-14\n"));
		assert_non_null(strstr(info, "External-Identifier: " SHA "\n"));
		assert_non_null(strstr(info, "Internal-Sender-Identifier: 42\n"));
		/* The newline in the batch does not start a field of its own. */
		assert_non_null(strstr(info, "Bag-Group-Identifier: batch-2023-11 Injected: yes\n"));
		assert_null(strstr(info, "\nInjected"));
		assert_non_null(strstr(info, "Bag-Software-Agent: kartoteka\n"));
		assert_non_null(strstr(info, "Kartoteka-Source-Name: Scan_1.TIF\n"));
		assert_non_null(strstr(info, oxum));
	}
	d = tar_get(tar, len, "manifest-sha256.txt", &n);
	assert_non_null(d);
	{
		char man[4096], h[KT_SHA256_HEX], line[512];
		snprintf(man, sizeof man, "%.*s", (int)n, d);
		hex_of(KT_SHA256, page2, strlen(page2), h);
		/* '%' is percent-encoded (RFC 8493 2.1.3); the space is not. */
		snprintf(line, sizeof line, "%s  data/text/page 2 100%%25.txt\n", h);
		assert_non_null(strstr(man, line));
	}
	free(tar);

	/* Read-back of every payload file. */
	for (int i = 0; i < 4; i++) {
		void *data = NULL;
		size_t dl = 0;
		const char *dp = files4[i].path ? files4[i].path : "original/Scan_1.TIF";
		int rc = kt_archive_read_file(f->a, rel, dp, &data, &dl);
		if (rc != KT_OK)
			fprintf(stderr, "read_file: %s\n", kt_archive_errmsg(f->a));
		assert_int_equal(rc, KT_OK);
		assert_int_equal(dl, files4[i].len);
		assert_memory_equal(data, files4[i].data, dl);
		free(data);
	}
	free(rel);
}

static void flip_each_file(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	size_t len;
	unsigned char *tar;
	tent t[64];
	int nt, checked = 0;

	write_ok(f, &p, &rel);
	tar = read_all(path_in(f, rel), &len);
	assert_non_null(tar);
	nt = tar_walk(tar, len, t, 64);
	for (int i = 0; i < nt; i++) {
		const char *file;
		if (t[i].type != '0')
			continue;
		file = t[i].name + strlen(NAME) + 1;
		/* Every byte of the file, one bit each (rotating through the 8). */
		for (size_t b = 0; b < t[i].size; b++) {
			probs pr;
			size_t at = t[i].off + b;
			unsigned char bit = (unsigned char)(1u << ((b + (size_t)i) % 8));
			tar[at] ^= bit;
			write_all(path_in(f, rel), tar, len);
			if (verify(f, rel, &pr) != KT_FAILED || !has_problem(&pr, file, NULL)) {
				fprintf(stderr, "flip of bit %02x at byte %zu of '%s' not named:\n", bit, b, file);
				dump(&pr);
				fail();
			}
			tar[at] ^= bit;
			checked++;
		}
	}
	write_all(path_in(f, rel), tar, len);
	verify_clean(f, rel);
	assert_true(checked > 1000);
	free(tar);
	free(rel);
}

static void named_messages_on_flips(void **state)
{
	/* What the messages say, for one flip in a payload file, a payload manifest
	 * and a tag manifest: the file or the manifest, told apart. */
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	size_t len, n;
	unsigned char *tar;
	probs pr;
	const unsigned char *d;

	write_ok(f, &p, &rel);
	tar = read_all(path_in(f, rel), &len);

	d = tar_get(tar, len, "data/text/page-0001.txt", &n);
	tar[d - tar] ^= 1;
	write_all(path_in(f, rel), tar, len);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "data/text/page-0001.txt",
	                        "content does not match its sha256 and sha512 digests"));
	assert_int_equal(pr.n, 1);
	tar[d - tar] ^= 1;

	/* The first digit of the first line of manifest-sha512.txt: the manifest is
	 * blamed, not the payload file. */
	d = tar_get(tar, len, "manifest-sha512.txt", &n);
	tar[d - tar] = (unsigned char)(d[0] == '0' ? '1' : '0');
	write_all(path_in(f, rel), tar, len);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "manifest-sha512.txt", "has a wrong sha512 digest for 'data/meta/doc.json'"));
	assert_true(has_problem(&pr, "manifest-sha512.txt", "content does not match its sha256 and sha512 digests"));
	assert_false(has_problem(&pr, "data/meta/doc.json", NULL));
	free(tar);
	tar = NULL;

	/* A tag manifest's digest line: that tag manifest is blamed. */
	assert_int_equal(kt_archive_verify(f->a, rel, NULL, NULL, NULL), KT_FAILED);
	{
		unsigned char *t2 = NULL;
		size_t l2;
		chmod(path_in(f, rel), 0644);
		remove(path_in(f, rel));
		write_ok(f, &p, NULL);
		t2 = read_all(path_in(f, rel), &l2);
		d = tar_get(t2, l2, "tagmanifest-sha256.txt", &n);
		t2[d - t2] = (unsigned char)(d[0] == '0' ? '1' : '0');
		write_all(path_in(f, rel), t2, l2);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "tagmanifest-sha256.txt", "has a wrong sha256 digest for 'bagit.txt'"));
		assert_int_equal(pr.n, 1);
		free(t2);
	}
	free(rel);
}

static void damaged_header_unreadable(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	size_t len;
	unsigned char *tar;
	tent t[64];
	probs pr;
	int nt;

	write_ok(f, &p, &rel);
	tar = read_all(path_in(f, rel), &len);
	nt = tar_walk(tar, len, t, 64);
	assert_true(nt > 3);
	tar[t[3].hdr + 10] ^= 0x04; /* a name byte of the manifest-sha256.txt header */
	write_all(path_in(f, rel), tar, len);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "", "unreadable tar"));
	free(tar);
	free(rel);
}

static void delete_payload_entry(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	probs pr;
	edit ed[] = { { EDIT_DROP, "data/text/page-0001.txt", NULL, 0 } };

	write_ok(f, &p, &rel);
	rebuild(path_in(f, rel), ed, 1);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "data/text/page-0001.txt", "missing from the bag"));
	assert_true(has_problem(&pr, "bag-info.txt", "Payload-Oxum"));
	free(rel);
}

static void extra_payload_entry(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	probs pr;
	edit ed[] = { { EDIT_ADD, "data/text/extra.txt", "smuggled\n", 0 } };

	write_ok(f, &p, &rel);
	rebuild(path_in(f, rel), ed, 1);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "data/text/extra.txt", "not listed in any of the manifests"));
	free(rel);
}

static void duplicate_and_stray_entries(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	probs pr;
	edit ed[] = {
		{ EDIT_ADD, "data/meta/doc.json", "{}", 0 },
		{ EDIT_ADD, "notes.txt", "hello", 0 },
		{ EDIT_ADD, "tools/run.sh", "#!/bin/sh", 0 },
		{ EDIT_ADD_RAW, "other-folder/x.txt", "x", 0 },
	};

	write_ok(f, &p, &rel);
	rebuild(path_in(f, rel), ed, 4);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "data/meta/doc.json", "appears twice"));
	assert_true(has_problem(&pr, "notes.txt", "unexpected tag file"));
	assert_true(has_problem(&pr, "tools/run.sh", "outside data/"));
	assert_true(has_problem(&pr, "other-folder/x.txt", "outside the package folder"));
	free(rel);
}

static void truncated_tar(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	size_t len;
	unsigned char *tar;
	probs pr;

	write_ok(f, &p, &rel);
	tar = read_all(path_in(f, rel), &len);
	assert_non_null(tar);
	/* Cut in the middle of a file's bytes and in the middle of a header. */
	{
		tent t[64];
		int nt = tar_walk(tar, len, t, 64);
		write_all(path_in(f, rel), tar, t[nt - 1].off + t[nt - 1].size / 2);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "", "unreadable tar"));
		write_all(path_in(f, rel), tar, t[2].hdr + 300);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "", "unreadable tar"));
	}
	/* Cut anywhere: never clean, never a crash. */
	for (size_t cut = 0; cut < len; cut += 97) {
		tent t[64];
		int nt = tar_walk(tar, len, t, 64);
		size_t end_of_data = t[nt - 1].off + t[nt - 1].size;
		write_all(path_in(f, rel), tar, cut);
		if (cut >= end_of_data)
			continue; /* only the end-of-archive padding is gone */
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	}
	write_all(path_in(f, rel), "", 0);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "", "unreadable tar"));
	free(tar);
	free(rel);
}

static void wrong_payload_oxum(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL, info[2048], *ox;
	size_t len, n;
	unsigned char *tar;
	const unsigned char *d;
	probs pr;
	edit ed[1];

	write_ok(f, &p, &rel);
	tar = read_all(path_in(f, rel), &len);
	d = tar_get(tar, len, "bag-info.txt", &n);
	snprintf(info, sizeof info, "%.*s", (int)n, d);
	ox = strstr(info, "Payload-Oxum: ");
	assert_non_null(ox);
	snprintf(ox, sizeof info - (size_t)(ox - info), "Payload-Oxum: 1.4\n");
	ed[0] = (edit){ EDIT_REPLACE, "bag-info.txt", info, 0 };
	rebuild_retagged(f, ed, 1);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	if (pr.n != 1)
		dump(&pr);
	assert_int_equal(pr.n, 1);
	assert_true(has_problem(&pr, "bag-info.txt", "Payload-Oxum '1.4' does not match the payload"));
	free(tar);
	free(rel);
}

static void mutant_bags(void **state)
{
	/* TESTING.md's mutants that are not one-bit flips: each its own message. */
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	probs pr;
	const char *bom = "\xEF\xBB\xBF" KT_BAGIT_TXT;
	char man[8192];
	size_t len, n;
	unsigned char *tar;
	const unsigned char *d;

	write_ok(f, &p, &rel);
	tar = read_all(path_in(f, rel), &len);
	assert_non_null(tar);

	{ /* bagit.txt with a BOM */
		edit ed[] = { { EDIT_REPLACE, "bagit.txt", bom, 0 } };
		rebuild_retagged(f, ed, 1);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "bagit.txt", "byte order mark"));
		write_all(path_in(f, rel), tar, len);
	}
	{ /* no payload manifest */
		edit ed[] = { { EDIT_DROP, "manifest-sha256.txt", NULL, 0 } };
		rebuild_retagged(f, ed, 1);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "manifest-sha256.txt", "is missing"));
		write_all(path_in(f, rel), tar, len);
	}
	{ /* no bagit.txt */
		edit ed[] = { { EDIT_DROP, "bagit.txt", NULL, 0 } };
		rebuild_retagged(f, ed, 1);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "bagit.txt", "is missing"));
		write_all(path_in(f, rel), tar, len);
	}
	{ /* unsafe and duplicate manifest lines */
		static const char *bad[] = { "data/../../x", "/abs", "~/x", "data/a/./b", "data/" };
		d = tar_get(tar, len, "manifest-sha256.txt", &n);
		snprintf(man, sizeof man, "%.*s", (int)n, d);
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
			snprintf(man + strlen(man), sizeof man - strlen(man), "%064d  %s\n", 0, bad[i]);
		snprintf(man + strlen(man), sizeof man - strlen(man), "%.*s", (int)(strchr((const char *)d, '\n') - (const char *)d + 1), d);
		{
			edit ed[] = { { EDIT_REPLACE, "manifest-sha256.txt", man, 0 } };
			rebuild_retagged(f, ed, 1);
		}
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			char want[128];
			snprintf(want, sizeof want, "lists '%s', which is not a safe path", bad[i]);
			if (!has_problem(&pr, "manifest-sha256.txt", want)) {
				dump(&pr);
				fail_msg("no problem for %s", bad[i]);
			}
		}
		assert_true(has_problem(&pr, "manifest-sha256.txt", "twice"));
		write_all(path_in(f, rel), tar, len);
	}
	{ /* a symlink and a hard link in the payload */
		struct archive *w = archive_write_new();
		struct archive_entry *e = archive_entry_new();
		char out[1200];
		snprintf(out, sizeof out, "%s", path_in(f, rel));
		chmod(out, 0644);
		archive_write_set_format_pax_restricted(w);
		assert_int_equal(archive_write_open_filename(w, out), ARCHIVE_OK);
		archive_entry_set_pathname(e, NAME "/data/link");
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, "/etc/passwd");
		archive_entry_set_perm(e, 0777);
		assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
		archive_entry_clear(e);
		archive_entry_set_pathname(e, NAME "/data/hard");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_hardlink(e, NAME "/data/link");
		archive_entry_set_perm(e, 0444);
		assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
		archive_entry_free(e);
		archive_write_close(w);
		archive_write_free(w);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "data/link", "link or special file"));
		assert_true(has_problem(&pr, "data/hard", "link or special file"));
		assert_true(has_problem(&pr, "bagit.txt", "is missing"));
		write_all(path_in(f, rel), tar, len);
	}
	verify_clean(f, rel);
	free(tar);
	free(rel);
}

static void rewrite_is_noop(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL, *rel2 = NULL;
	struct stat st1, st2;
	size_t l1, l2;
	unsigned char *b1, *b2;

	write_ok(f, &p, &rel);
	assert_int_equal(stat(path_in(f, rel), &st1), 0);
	b1 = read_all(path_in(f, rel), &l1);
	/* Same name, later clock, other payload: still nothing is touched. */
	kt_archive_set_bagging_time(f->a, FIXED_TIME + 86400);
	files4[3].data = "changed";
	files4[3].len = 7;
	assert_int_equal(kt_archive_write(f->a, &p, &rel2), KT_OK);
	assert_string_equal(rel, rel2);
	assert_int_equal(stat(path_in(f, rel), &st2), 0);
	b2 = read_all(path_in(f, rel), &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st1.st_mtime, st2.st_mtime);
	assert_int_equal(count_temps(path_in(f, "ab"), ".kt-"), 0);
	verify_clean(f, rel);
	free(b1);
	free(b2);
	free(rel);
	free(rel2);
}

static void deterministic_bytes(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	kt_archive *b = kt_archive_new();
	char store2[600], *rel = NULL, *rel2 = NULL, path2[1200];
	kt_archive_file shuffled[4];
	size_t l1, l2;
	unsigned char *b1, *b2;

	write_ok(f, &p, &rel);
	snprintf(store2, sizeof store2, "%s/store2", f->dir);
	assert_int_equal(kt_archive_open(b, store2), KT_OK);
	kt_archive_set_bagging_time(b, FIXED_TIME);
	/* The callers' order of files does not matter. */
	shuffled[0] = files4[3];
	shuffled[1] = files4[1];
	shuffled[2] = files4[0];
	shuffled[3] = files4[2];
	p.files = shuffled;
	assert_int_equal(kt_archive_write(b, &p, &rel2), KT_OK);
	snprintf(path2, sizeof path2, "%s/%s", store2, rel2);
	b1 = read_all(path_in(f, rel), &l1);
	b2 = read_all(path2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	/* Another bagging day: same length, only dates and mtimes differ. */
	chmod(path2, 0644);
	remove(path2);
	kt_archive_set_bagging_time(b, FIXED_TIME + 86400 * 3);
	assert_int_equal(kt_archive_write(b, &p, NULL), KT_OK);
	free(b2);
	b2 = read_all(path2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_not_equal(b1, b2, l1);
	free(b1);
	free(b2);
	free(rel);
	free(rel2);
	kt_archive_free(&b);
}

static void crash_leaves_temp_only(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL, tmp[1200];
	struct stat st;
	int fd, n = -1;

	/* A crashed writer's leftover: a partial temp file in the shard folder. */
	assert_int_equal(mkdir(path_in(f, "ab"), 0755), 0);
	snprintf(tmp, sizeof tmp, "%s/." NAME ".tar.tmp-Xy12Zq", path_in(f, "ab"));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "partial tar", 11), 11);
	close(fd);
	assert_int_not_equal(stat(path_in(f, RELPATH), &st), 0);
	/* A verify of the final name says it is missing: nothing under a final name. */
	assert_int_equal(kt_archive_verify(f->a, RELPATH, NULL, NULL, NULL), KT_FAILED);

	write_ok(f, &p, &rel);
	verify_clean(f, rel);
	assert_int_equal(count_temps(path_in(f, "ab"), ".kt-"), 1);
	/* A young temp survives a sweep with an age; a zero age clears it. */
	assert_int_equal(kt_archive_sweep(f->a, 3600, &n), KT_OK);
	assert_int_equal(n, 0);
	assert_int_equal(kt_archive_sweep(f->a, 0, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count_temps(path_in(f, "ab"), ".kt-"), 0);
	verify_clean(f, rel);
	free(rel);
}

/* Kill the writer (_exit) at every I/O step in turn, in a child process. */
static void crash_at_every_step(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	int step, finished = 0;

	for (step = 1; step < 200 && !finished; step++) {
		char store[600];
		kt_archive *a = kt_archive_new();
		struct stat st;
		pid_t pid;
		int status;

		snprintf(store, sizeof store, "%s/crash-%d", f->dir, step);
		assert_int_equal(kt_archive_open(a, store), KT_OK);
		kt_archive_set_bagging_time(a, FIXED_TIME);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			kt_archive__set_fault(a, step, KT_ARCHIVE_FAULT_CRASH);
			_exit(kt_archive_write(a, &p, NULL) == KT_OK ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 0)
			finished = 1; /* the step count is past the last I/O step */
		else
			assert_int_equal(WEXITSTATUS(status), 86);
		/* Whatever stands under the final name is whole. */
		{
			char final[1200];
			snprintf(final, sizeof final, "%s/" RELPATH, store);
			if (stat(final, &st) == 0) {
				probs pr;
				memset(&pr, 0, sizeof pr);
				assert_int_equal(kt_archive_verify(a, RELPATH, collect, &pr, NULL), KT_OK);
			}
		}
		/* A later write succeeds and verifies. */
		assert_int_equal(kt_archive_write(a, &p, NULL), KT_OK);
		assert_int_equal(kt_archive_verify(a, RELPATH, NULL, NULL, NULL), KT_OK);
		assert_int_equal(kt_archive_sweep(a, 0, NULL), KT_OK);
		{
			char shard[700];
			snprintf(shard, sizeof shard, "%s/ab", store);
			assert_int_equal(count_temps(shard, ".kt-"), 0);
		}
		kt_archive_free(&a);
	}
	assert_true(finished);
	assert_true(step > 8); /* the write has that many I/O steps at least */
}

/* Fail (EIO) at every I/O step in turn: a failed write leaves nothing. */
static void fail_at_every_step(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	int step, finished = 0;

	for (step = 1; step < 200 && !finished; step++) {
		char store[600], final[1200], shard[700];
		kt_archive *a = kt_archive_new();
		struct stat st;
		int rc;

		snprintf(store, sizeof store, "%s/fail-%d", f->dir, step);
		snprintf(final, sizeof final, "%s/" RELPATH, store);
		snprintf(shard, sizeof shard, "%s/ab", store);
		assert_int_equal(kt_archive_open(a, store), KT_OK);
		kt_archive_set_bagging_time(a, FIXED_TIME);
		kt_archive__set_fault(a, step, KT_ARCHIVE_FAULT_FAIL);
		rc = kt_archive_write(a, &p, NULL);
		if (!a->fault_hit) {
			assert_int_equal(rc, KT_OK);
			finished = 1;
		} else if (rc == KT_WARN) {
			/* in place; only the temporary name could not be removed */
			assert_int_equal(stat(final, &st), 0);
			assert_int_equal(count_temps(shard, ".kt-"), 1);
		} else {
			assert_int_equal(rc, KT_FAILED);
			assert_true(strlen(kt_archive_errmsg(a)) > 0);
			assert_int_equal(count_temps(shard, ".kt-"), 0);
			if (stat(final, &st) == 0) /* failed after the link: whole */
				assert_int_equal(kt_archive_verify(a, RELPATH, NULL, NULL, NULL), KT_OK);
		}
		kt_archive__set_fault(a, 0, KT_ARCHIVE_FAULT_NONE);
		assert_int_equal(kt_archive_write(a, &p, NULL), KT_OK);
		assert_int_equal(kt_archive_verify(a, RELPATH, NULL, NULL, NULL), KT_OK);
		kt_archive_free(&a);
	}
	assert_true(finished);
}

static void hostile_source_names(void **state)
{
	fx *f = *state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "../../etc/passwd", "___.._etc_passwd" },
		{ "scan\n.tif", "scan_.tif" },
		{ "evil\r\nInjected: 1.pdf", "evil__Injected__1.pdf" },
		{ "\xff\xfe scan.TIF", "___scan.TIF" },
		{ "Pa\xc3\x9f.pdf", "Pa_.pdf" },     /* one '_' per UTF-8 character */
		{ "\xc3.pdf", "_.pdf" },              /* a cut UTF-8 sequence */
		{ ".hidden", "_hidden" },
		{ "..", "__" },
		{ "", "unnamed" },
		{ NULL, "unnamed" },
		{ "a/b\\c:d*e?.jpg", "a_b_c_d_e_.jpg" },
	};
	char out[KT_ARCHIVE_SAFE_NAME_MAX], longname[400];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kt_archive_safe_name(cases[i].in, out);
		assert_string_equal(out, cases[i].out);
	}
	/* A long name is cut to 100 bytes and keeps its extension. */
	memset(longname, 'x', 300);
	memcpy(longname + 300, ".tiff", 6);
	kt_archive_safe_name(longname, out);
	assert_int_equal(strlen(out), 100);
	assert_string_equal(out + 95, ".tiff");

	/* Through a real package: the name in the tar and in bag-info is the safe one. */
	for (size_t i = 0; i < 5; i++) {
		kt_archive_package p = make_pkg();
		char *rel = NULL, want[300], info[2048];
		size_t len, n;
		unsigned char *tar;
		tent t[64];
		int nt;
		void *data = NULL;
		const unsigned char *d;

		p.source_name = cases[i].in;
		p.version = (int)i + 1;
		write_ok(f, &p, &rel);
		verify_clean(f, rel);
		tar = read_all(path_in(f, rel), &len);
		nt = tar_walk(tar, len, t, 64);
		for (int k = 0; k < nt; k++) {
			assert_null(strstr(t[k].name, "/../"));
			assert_null(strchr(t[k].name, '\n'));
			for (const char *c = t[k].name; *c; c++)
				assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7F);
		}
		snprintf(want, sizeof want, "original/%s", cases[i].out);
		assert_int_equal(kt_archive_read_file(f->a, rel, want, &data, &n), KT_OK);
		assert_int_equal(n, sizeof scan);
		free(data);
		d = tar_get(tar, len, "bag-info.txt", &n);
		snprintf(info, sizeof info, "%.*s", (int)n, d);
		snprintf(want, sizeof want, "\nKartoteka-Source-Name: %s\n", cases[i].out);
		if (strstr(info, want) == NULL)
			fail_msg("no '%s' in:\n%s", want, info);
		assert_null(strstr(info, "\nInjected"));
		free(tar);
		free(rel);
	}
}

static void refuse_bad_payload_paths(void **state)
{
	fx *f = *state;
	static const char *bad[] = {
		"../x", "/abs", "a//b", "a/./b", "a/../b", "", "a\nb", "a\rb", "a\\b", "x/",
		".", "..", "data/\x7f", "\xc3\xa9.txt", "tab\there",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kt_archive_package p = make_pkg();
		files4[1].path = bad[i];
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		assert_non_null(strstr(kt_archive_errmsg(f->a), "refusing payload path"));
		assert_null(strchr(kt_archive_errmsg(f->a), '\n'));
	}
	{ /* clashes: same name ignoring case; a file that is also a folder */
		kt_archive_package p = make_pkg();
		files4[1].path = "META/DOC.JSON";
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		assert_non_null(strstr(kt_archive_errmsg(f->a), "clash"));
		files4[1].path = "meta";
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		assert_non_null(strstr(kt_archive_errmsg(f->a), "is a folder of"));
		files4[1].path = NULL; /* two originals */
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
	}
	{ /* bad package fields */
		kt_archive_package p = make_pkg();
		p.sha256 = "xyz";
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		p.doc_id = -1;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		p.version = 0;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		p.n_files = 0;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
		p = make_pkg();
		files4[2].data = NULL;
		assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
	}
	/* Nothing was written. */
	assert_int_not_equal(stat(path_in(f, "ab"), &st), 0);
	{
		kt_archive_package p = make_pkg();
		char *rel = NULL;
		/* Upper-case hex in the digest makes the same, lower-case name. */
		p.sha256 = "AB12CD34EF56AB78CD90EF12AB34CD56EF78AB90CD12EF34AB56CD78EF90AB12";
		write_ok(f, &p, &rel);
		assert_string_equal(rel, RELPATH);
		verify_clean(f, rel);
		free(rel);
	}
}

static void read_file_checks(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	void *data = (void *)1;
	size_t len = 1, tl, n;
	unsigned char *tar;
	const unsigned char *d;

	write_ok(f, &p, &rel);
	assert_int_equal(kt_archive_read_file(f->a, rel, "text/none.txt", &data, &len), KT_FAILED);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_non_null(strstr(kt_archive_errmsg(f->a), "has no payload file"));
	assert_int_equal(kt_archive_read_file(f->a, rel, "../bagit.txt", &data, &len), KT_FAILED);
	assert_int_equal(kt_archive_read_file(f->a, "../../etc/passwd", "x", &data, &len), KT_FAILED);
	assert_int_equal(kt_archive_read_file(f->a, "ab/kt-00000042-ab12cd34ef56ab78-v2.tar", "meta/doc.json",
	                                      &data, &len), KT_FAILED);
	/* A changed byte is never handed out. */
	tar = read_all(path_in(f, rel), &tl);
	d = tar_get(tar, tl, "data/text/page-0001.txt", &n);
	tar[d - tar + 3] ^= 0x20;
	write_all(path_in(f, rel), tar, tl);
	assert_int_equal(kt_archive_read_file(f->a, rel, "text/page-0001.txt", &data, &len), KT_FAILED);
	assert_null(data);
	assert_non_null(strstr(kt_archive_errmsg(f->a), "does not match its sha256 digest"));
	/* The other files still read. */
	assert_int_equal(kt_archive_read_file(f->a, rel, "meta/doc.json", &data, &len), KT_OK);
	assert_int_equal(len, strlen(meta));
	assert_memory_equal(data, meta, len);
	assert_int_equal(((char *)data)[len], '\0');
	free(data);
	free(tar);
	free(rel);
}

static void verify_bad_relpaths(void **state)
{
	fx *f = *state;
	static const char *bad[] = {
		"../x.tar", "/etc/passwd", "ab/kt-00000042-ab12cd34ef56ab78-v1.tar/..",
		"cd/kt-00000042-ab12cd34ef56ab78-v1.tar", "ab/kt-42-ab12cd34ef56ab78-v1.tar",
		"ab/kt-00000042-ab12cd34ef56ab78-v0.tar", "ab/kt-00000042-AB12cd34ef56ab78-v1.tar", "",
	};
	probs pr;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&pr, 0, sizeof pr);
		assert_int_equal(kt_archive_verify(f->a, bad[i], NULL, NULL, NULL), KT_FAILED);
		assert_int_equal(kt_archive_export_bag(f->a, bad[i], f->dir), KT_FAILED);
	}
	/* Well formed but absent: one problem, the whole package. */
	assert_int_equal(verify(f, RELPATH, &pr), KT_FAILED);
	assert_int_equal(pr.n, 1);
	assert_true(has_problem(&pr, "", "unreadable tar"));
}

static void export_bag_validates(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL, out[600], bag[700], file[900];
	struct stat st;

	write_ok(f, &p, &rel);
	snprintf(out, sizeof out, "%s/export/nested", f->dir);
	assert_int_equal(kt_archive_export_bag(f->a, rel, out), KT_OK);
	snprintf(bag, sizeof bag, "%s/" NAME, out);
	assert_int_equal(validate_bag(bag), 0);
	snprintf(file, sizeof file, "%s/data/text/page 2 100%%.txt", bag);
	assert_int_equal(stat(file, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	{
		mode_t mask = umask(022);
		umask(mask);
		assert_int_equal(st.st_mode & 0777, 0644 & ~mask);
	}
	assert_int_equal(st.st_mtime, FIXED_TIME);
	assert_int_equal(count_temps(out, ".kt-export-"), 0);
	/* A second export does not overwrite. */
	assert_int_equal(kt_archive_export_bag(f->a, rel, out), KT_FAILED);
	assert_non_null(strstr(kt_archive_errmsg(f->a), "already exists"));
	/* The validator does catch a changed file. */
	{
		FILE *fp = fopen(file, "ab");
		assert_non_null(fp);
		fputc('!', fp);
		fclose(fp);
		assert_true(validate_bag(bag) > 0);
	}
	free(rel);
}

/* Write a tar at the package's path with one normal file and one hostile entry. */
static void hostile_tar(fx *f, const char *path, int type, const char *target)
{
	struct archive *w = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	char file[1200];

	snprintf(file, sizeof file, "%s", path_in(f, RELPATH));
	mkdir(path_in(f, "ab"), 0755);
	chmod(file, 0644);
	archive_write_set_format_pax_restricted(w);
	assert_int_equal(archive_write_open_filename(w, file), ARCHIVE_OK);
	archive_entry_set_pathname(e, NAME "/bagit.txt");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0444);
	archive_entry_set_size(e, (la_int64_t)strlen(KT_BAGIT_TXT));
	assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
	archive_write_data(w, KT_BAGIT_TXT, strlen(KT_BAGIT_TXT));
	archive_entry_clear(e);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, (unsigned)type);
	archive_entry_set_perm(e, 0644);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, target);
	else if (type == AE_IFREG && target != NULL)
		archive_entry_set_hardlink(e, target);
	if (type == AE_IFREG && target == NULL)
		archive_entry_set_size(e, 5);
	assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
	if (type == AE_IFREG && target == NULL)
		archive_write_data(w, "evil\n", 5);
	archive_entry_free(e);
	assert_int_equal(archive_write_close(w), ARCHIVE_OK);
	archive_write_free(w);
}

static void export_refuses_malicious(void **state)
{
	fx *f = *state;
	char out[600], abs_target[700], outside[700], cmp[700];
	struct stat st;
	struct hcase {
		const char *path;
		int type;
		const char *target;
	} cases[5];
	int nc = 0;

	snprintf(out, sizeof out, "%s/export", f->dir);
	snprintf(abs_target, sizeof abs_target, "%s/abs-escape", f->dir);
	snprintf(outside, sizeof outside, "%s/x", f->dir);
	cases[nc++] = (struct hcase){ "../x", AE_IFREG, NULL };
	cases[nc++] = (struct hcase){ NAME "/data/../../../x", AE_IFREG, NULL };
	cases[nc++] = (struct hcase){ abs_target, AE_IFREG, NULL };
	cases[nc++] = (struct hcase){ NAME "/data/link", AE_IFLNK, "../../../x" };
	cases[nc++] = (struct hcase){ NAME "/data/hard", AE_IFREG, "/etc/passwd" };

	for (int i = 0; i < nc; i++) {
		probs pr;
		char tmpdir[700];
		kt_error err = { 0 };

		hostile_tar(f, cases[i].path, cases[i].type, cases[i].target);
		assert_int_equal(kt_archive_export_bag(f->a, RELPATH, out), KT_FAILED);
		assert_non_null(strstr(kt_archive_errmsg(f->a), "refusing"));
		snprintf(cmp, sizeof cmp, "%s/" NAME, out);
		assert_int_not_equal(lstat(cmp, &st), 0);
		assert_int_equal(count_temps(out, ".kt-export-"), 0);
		assert_int_not_equal(lstat(outside, &st), 0);
		assert_int_not_equal(lstat(abs_target, &st), 0);
		/* verify names the entry too */
		assert_int_equal(verify(f, RELPATH, &pr), KT_FAILED);

		/* The second layer alone (no pre-scan): the extractor refuses as well. */
		snprintf(tmpdir, sizeof tmpdir, "%s/direct-%d", f->dir, i);
		assert_int_equal(mkdir(tmpdir, 0755), 0);
		assert_int_equal(kt_tar_extract(path_in(f, RELPATH), tmpdir, NAME, &err), KT_FAILED);
		assert_non_null(strstr(err.msg, "refusing"));
		assert_int_not_equal(lstat(outside, &st), 0);
		assert_int_not_equal(lstat(abs_target, &st), 0);
	}
	/* A FIFO and a device entry are special files: refused. */
	hostile_tar(f, NAME "/data/fifo", AE_IFIFO, NULL);
	assert_int_equal(kt_archive_export_bag(f->a, RELPATH, out), KT_FAILED);
	hostile_tar(f, NAME "/data/dev", AE_IFCHR, NULL);
	assert_int_equal(kt_archive_export_bag(f->a, RELPATH, out), KT_FAILED);
	assert_int_not_equal(lstat(cmp, &st), 0);
}

static void secure_flags_without_prescan(void **state)
{
	/* libarchive's own secure flags, behind our checks, with a symlink planted
	 * on disk in the extraction folder before extraction. */
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL, dest[700], link[800], victim[700], probe[800], cwd0[1024], cwd1[1024];
	kt_error err = { 0 };
	struct stat st;

	assert_non_null(getcwd(cwd0, sizeof cwd0));
	write_ok(f, &p, &rel);
	snprintf(dest, sizeof dest, "%s/dest", f->dir);
	snprintf(victim, sizeof victim, "%s/victim", f->dir);
	assert_int_equal(mkdir(dest, 0755), 0);
	assert_int_equal(mkdir(victim, 0755), 0);

	/* 1. The package folder itself is a symlink: libarchive replaces the link
	 * (it is the entry's own path) and never writes through it. */
	snprintf(link, sizeof link, "%s/" NAME, dest);
	assert_int_equal(symlink(victim, link), 0);
	kt_tar_extract(path_in(f, rel), dest, NAME, &err);
	snprintf(probe, sizeof probe, "%s/bagit.txt", victim);
	assert_int_not_equal(stat(probe, &st), 0);
	remove_tree(dest);

	/* 2. A tar without folder entries, data/ planted as a symlink on disk:
	 * ARCHIVE_EXTRACT_SECURE_SYMLINKS refuses to extract through it. */
	assert_int_equal(mkdir(dest, 0755), 0);
	snprintf(link, sizeof link, "%s/" NAME, dest);
	assert_int_equal(mkdir(link, 0755), 0);
	snprintf(link, sizeof link, "%s/" NAME "/data", dest);
	assert_int_equal(symlink(victim, link), 0);
	hostile_tar(f, NAME "/data/evil.txt", AE_IFREG, NULL);
	memset(&err, 0, sizeof err);
	assert_int_equal(kt_tar_extract(path_in(f, RELPATH), dest, NAME, &err), KT_FAILED);
	assert_non_null(strstr(err.msg, "symlink"));
	snprintf(probe, sizeof probe, "%s/evil.txt", victim);
	assert_int_not_equal(stat(probe, &st), 0);

	/* The working folder is back where it was. */
	assert_non_null(getcwd(cwd1, sizeof cwd1));
	assert_string_equal(cwd0, cwd1);
	free(rel);
}

static void long_paths_use_pax(void **state)
{
	/* Paths past ustar's 100/155-byte fields get a pax 'x' header; all still
	 * verifies, reads back, exports, and stays byte-for-byte deterministic. */
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char longpath[KT_BAG_PATH_MAX + 2], *rel = NULL, out[600], bag[700];
	size_t len, l2, n = 0;
	unsigned char *tar, *tar2;
	tent t[64];
	int nt, pax = 0;
	void *data = NULL;

	memset(longpath, 'p', sizeof longpath);
	memcpy(longpath, "text/", 5);
	for (int i = 60; i < KT_BAG_PATH_MAX - 10; i += 60)
		longpath[i] = '/';
	memcpy(longpath + KT_BAG_PATH_MAX - 4, ".txt", 5); /* exactly 512 bytes */
	assert_int_equal(strlen(longpath), KT_BAG_PATH_MAX);
	files4[1].path = longpath;
	write_ok(f, &p, &rel);
	verify_clean(f, rel);
	tar = read_all(path_in(f, rel), &len);
	nt = tar_walk(tar, len, t, 64);
	for (int i = 0; i < nt; i++)
		pax += strstr(t[i].name, longpath) != NULL;
	assert_int_equal(pax, 1);
	for (size_t i = 0; i + 512 <= len; i += 512)
		if (tar[i + 156] == 'x')
			pax++;
	assert_true(pax >= 2);
	assert_int_equal(kt_archive_read_file(f->a, rel, longpath, &data, &n), KT_OK);
	assert_int_equal(n, strlen(page1));
	free(data);
	snprintf(out, sizeof out, "%s/export", f->dir);
	assert_int_equal(kt_archive_export_bag(f->a, rel, out), KT_OK);
	snprintf(bag, sizeof bag, "%s/" NAME, out);
	assert_int_equal(validate_bag(bag), 0);
	/* Same input, same bytes, pax headers included. */
	chmod(path_in(f, rel), 0644);
	remove(path_in(f, rel));
	write_ok(f, &p, NULL);
	tar2 = read_all(path_in(f, rel), &l2);
	assert_int_equal(len, l2);
	assert_memory_equal(tar, tar2, len);
	/* One byte more is refused. */
	longpath[KT_BAG_PATH_MAX] = 'x';
	longpath[KT_BAG_PATH_MAX + 1] = '\0';
	p.version = 2;
	assert_int_equal(kt_archive_write(f->a, &p, NULL), KT_FAILED);
	free(tar);
	free(tar2);
	free(rel);
}

static void handle_edge_cases(void **state)
{
	fx *f = *state;
	kt_archive *a = kt_archive_new();
	kt_archive_package p = make_pkg();
	char *rel = (char *)1;
	char file[700];

	(void)f;
	assert_int_equal(kt_archive_write(a, &p, &rel), KT_FAILED); /* not open */
	assert_null(rel);
	assert_non_null(strstr(kt_archive_errmsg(a), "no archive folder open"));
	snprintf(file, sizeof file, "%s/plain-file", f->dir);
	write_all(file, "x", 1);
	assert_int_equal(kt_archive_open(a, file), KT_FAILED);
	assert_int_equal(kt_archive_open(a, ""), KT_FAILED);
	kt_archive_free(&a);
	assert_null(a);
	kt_archive_free(&a); /* NULL is a no-op */
	kt_archive_free(NULL);
}

#define CASE(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		CASE(write_verify_clean),
		CASE(flip_each_file),
		CASE(named_messages_on_flips),
		CASE(damaged_header_unreadable),
		CASE(delete_payload_entry),
		CASE(extra_payload_entry),
		CASE(duplicate_and_stray_entries),
		CASE(truncated_tar),
		CASE(wrong_payload_oxum),
		CASE(mutant_bags),
		CASE(rewrite_is_noop),
		CASE(deterministic_bytes),
		CASE(crash_leaves_temp_only),
		CASE(crash_at_every_step),
		CASE(fail_at_every_step),
		CASE(hostile_source_names),
		CASE(refuse_bad_payload_paths),
		CASE(read_file_checks),
		CASE(verify_bad_relpaths),
		CASE(export_bag_validates),
		CASE(export_refuses_malicious),
		CASE(secure_flags_without_prescan),
		CASE(long_paths_use_pax),
		CASE(handle_edge_cases),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
