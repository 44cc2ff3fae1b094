/*
 * archive_bytes.c - byte-level tools of test_archive: a minimal tar walker
 * for byte surgery, rebuilding a package tar through libarchive, and an
 * independent RFC 8493 validator for a bag folder (archive_test.h).
 */
#include "archive_test.h"

/* ---- a minimal tar walker for byte surgery (ustar + pax 'x' path) ---- */


size_t octal(const unsigned char *p, size_t n)
{
	size_t v = 0;
	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (size_t)(p[i] - '0');
	return v;
}

int tar_walk(const unsigned char *buf, size_t len, tent *out, int max)
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
const unsigned char *tar_get(const unsigned char *buf, size_t len, const char *rel,
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

void rebuild(const char *file, const edit *ed, int ned)
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

void hex_of(enum kt_sha_algo alg, const void *d, size_t n, char *hex)
{
	kt_sha *s = kt_sha_new(alg);
	assert_non_null(s);
	assert_int_equal(kt_sha_update(s, d, n), 0);
	assert_int_equal(kt_sha_final_hex(s, hex), 0);
	kt_sha_free(&s);
}

/* Rebuild with the given tag-file replacements and fresh, correct tag
 * manifests, so that only the semantic checks can catch the change. */
void rebuild_retagged(fx *f, const edit *ed, int ned)
{
	static const char *tags[4] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt",
		                           "manifest-sha512.txt" };
	size_t len;
	unsigned char *tar = kt_test_read_file(path_in(f, RELPATH), &len);
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
	m = kt_test_read_file(path, &len);
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
		d = kt_test_read_file(full, &dl);
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

int validate_bag(const char *bag)
{
	static dfile files[256];
	char path[1200];
	size_t len, octets = 0;
	unsigned char *b;
	int n, bad = 0;
	char *ox;

	snprintf(path, sizeof path, "%s/bagit.txt", bag);
	b = kt_test_read_file(path, &len);
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
	b = kt_test_read_file(path, &len);
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
