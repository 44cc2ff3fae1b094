/*
 * verify.c - checking a package against RFC 8493 and our own layout, and
 * reading one payload file back. Both stream the tar once through tar.c:
 * payload bytes are hashed as they pass and never stored or written to disk;
 * only the tag files (at most 16 MiB each) are kept in memory.
 *
 * Who is to blame: every payload file has two digests (sha256, sha512) in two
 * manifests, and every tag file two digests in two tag manifests. If both
 * disagree with the file, the file changed; if only one does, that manifest
 * changed. Missing and extra files are told apart the same way.
 */
#include "archive_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kt_sha.h"

typedef struct vfile {
	char *path;                  /* bag-relative, malloc'd */
	unsigned long long size;
	char hex[2][KT_SHA512_HEX];  /* [0] sha256, [1] sha512 */
} vfile;

typedef struct mline {
	char *path;                  /* bag-relative, decoded, malloc'd */
	char *hex;                   /* malloc'd */
	int lineno;
} mline;

typedef struct manifest {
	int tag;                     /* index in kt_bag_tag_files */
	int alg;                     /* 0 sha256, 1 sha512 */
	int present;
	mline *l;
	int n;
} manifest;

typedef struct vctx {
	kt_archive *a;
	const char *name;            /* package name */
	kt_archive_problem_fn fn;
	void *ctx;
	int problems;
	int oom;
	vfile *pay;
	int npay, cappay;
	kt_buf tag[6];
	int tag_present[6];
	int tag_toobig[6];
	vfile tagf[6];
} vctx;

static const char *const alg_name[2] = { "sha256", "sha512" };
static const size_t alg_hexlen[2] = { 64, 128 };

/* Replace control characters so that text from a tar prints on one line. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			*s = '?';
}

static void problem(vctx *v, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(vctx *v, const char *file, const char *fmt, ...)
{
	char msg[1024], f[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(f, sizeof f, "%s", file ? file : "");
	printable(msg);
	printable(f);
	v->problems++;
	if (v->fn != NULL)
		v->fn(v->ctx, v->name, f, msg);
}

/* Short printable copy of (s, n) for messages, in buf[128]. */
static const char *shown(const char *s, size_t n, char *buf)
{
	size_t k = n < 100 ? n : 100;

	memcpy(buf, s, k);
	buf[k] = '\0';
	for (size_t i = 0; i < k; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7F)
			buf[i] = '?';
	if (k < n)
		memcpy(buf + k, "...", 4);
	return buf;
}

static int vfile_cmp(const void *a, const void *b)
{
	return strcmp(((const vfile *)a)->path, ((const vfile *)b)->path);
}

static int mline_cmp(const void *a, const void *b)
{
	const mline *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : x->lineno - y->lineno;
}

static vfile *find_file(vfile *f, int n, const char *path)
{
	vfile key = { .path = (char *)path };
	return n ? bsearch(&key, f, (size_t)n, sizeof *f, vfile_cmp) : NULL;
}

static mline *find_line(const manifest *m, const char *path)
{
	int lo = 0, hi = m->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(path, m->l[mid].path);
		if (c == 0)
			return &m->l[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void manifest_release(manifest *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->l[i].path);
		free(m->l[i].hex);
	}
	free(m->l);
	m->l = NULL;
	m->n = 0;
}

/* Read the current entry to its end: hash it (both algorithms) into f, keep
 * up to `cap` bytes in keep (NULL: keep nothing). Returns KT_OK, KT_FAILED if
 * the tar is unreadable (message on err), KT_FATAL when out of memory. */
static int take_entry(kt_tar_reader *r, vfile *f, kt_buf *keep, size_t cap, int *toobig,
                      kt_error *err)
{
	kt_sha *s[2] = { kt_sha_new(KT_SHA256), kt_sha_new(KT_SHA512) };
	const void *buf;
	ptrdiff_t n;
	int rc = KT_OK;

	f->size = 0;
	if (s[0] == NULL || s[1] == NULL) {
		rc = kt_error_set(err, KT_FATAL, "out of memory");
		goto out;
	}
	while ((n = kt_tar_reader_read(r, &buf, err)) > 0) {
		if (kt_sha_update(s[0], buf, (size_t)n) != 0 || kt_sha_update(s[1], buf, (size_t)n) != 0) {
			rc = kt_error_set(err, KT_FATAL, "digest failure");
			goto out;
		}
		f->size += (unsigned long long)n;
		if (keep != NULL) {
			if (keep->len + (size_t)n > cap)
				*toobig = 1;
			else if (kt_buf_add(keep, buf, (size_t)n) != 0) {
				rc = kt_error_set(err, KT_FATAL, "out of memory");
				goto out;
			}
		}
	}
	if (n < 0) {
		rc = KT_FAILED;
		goto out;
	}
	if (kt_sha_final_hex(s[0], f->hex[0]) != 0 || kt_sha_final_hex(s[1], f->hex[1]) != 0)
		rc = kt_error_set(err, KT_FATAL, "digest failure");
out:
	kt_sha_free(&s[0]);
	kt_sha_free(&s[1]);
	return rc;
}

static int is_listable_tag(const char *path)
{
	for (int i = KT_TAG_BAGIT; i <= KT_TAG_MAN512; i++)
		if (strcmp(path, kt_bag_tag_files[i]) == 0)
			return 1;
	return 0;
}

/*
 * Parse a manifest or tag manifest: "<lower-case hex> <path>" lines (one or
 * more spaces or tabs between; LF or CRLF endings; paths percent-decoded).
 * Problems go to v (which may be NULL: read_file). Returns 0, or -1 when out
 * of memory.
 */
static int parse_manifest(vctx *v, const char *mname, const char *text, size_t len, int alg,
                          int payload, manifest *m)
{
	size_t pos = 0, hexlen = alg_hexlen[alg];
	int lineno = 0, cap = 0;
	char sh[128];

	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos, h, k;
		const char *why;
		char *path;
		int bad;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		for (h = 0; h < n && line[h] != ' ' && line[h] != '\t'; h++)
			;
		for (k = h; k < n && (line[k] == ' ' || line[k] == '\t'); k++)
			;
		if (h != hexlen || strspn(line, "0123456789abcdef") < hexlen || k == h || k == n) {
			if (v != NULL)
				problem(v, mname, "line %d is not '<%zu lower-case hex digits>  <path>'",
				        lineno, hexlen);
			continue;
		}
		path = kt_bag_decode_path(line + k, n - k);
		if (path == NULL)
			return -1;
		if (memchr(line + k, '\0', n - k) != NULL)
			bad = 1;
		else if (payload)
			bad = strncmp(path, "data/", 5) != 0 ||
			      kt_bag_check_entry_path(path, strlen(path), &why) != 0;
		else
			bad = !is_listable_tag(path);
		if (bad) {
			if (v != NULL)
				problem(v, mname, "line %d lists '%s', which is not a %s", lineno,
				        shown(line + k, n - k, sh),
				        payload ? "safe path under data/" : "tag file it may list");
			free(path);
			continue;
		}
		if (m->n == cap) {
			int c = cap ? cap * 2 : 16;
			mline *l = realloc(m->l, (size_t)c * sizeof *l);
			if (l == NULL) {
				free(path);
				return -1;
			}
			m->l = l;
			cap = c;
		}
		m->l[m->n].path = path;
		m->l[m->n].lineno = lineno;
		m->l[m->n].hex = strndup(line, hexlen);
		if (m->l[m->n].hex == NULL) {
			free(path);
			return -1;
		}
		m->n++;
	}
	if (m->n > 1)
		qsort(m->l, (size_t)m->n, sizeof *m->l, mline_cmp);
	/* Duplicates: keep the first line. */
	for (int i = 1; i < m->n; i++) {
		if (strcmp(m->l[i].path, m->l[i - 1].path) != 0)
			continue;
		if (v != NULL)
			problem(v, mname, "lists '%s' twice (lines %d and %d)", m->l[i].path,
			        m->l[i - 1].lineno, m->l[i].lineno);
		free(m->l[i].path);
		free(m->l[i].hex);
		memmove(&m->l[i], &m->l[i + 1], (size_t)(m->n - i - 1) * sizeof *m->l);
		m->n--;
		i--;
	}
	return 0;
}

/*
 * Compare files with manifests (two algorithms) and say who is to blame.
 * what: "manifests" or "tag manifests". skip_missing: paths known missing
 * (the required tag files, already reported).
 */
static void attribute(vctx *v, vfile *files, int nfiles, manifest *m, int nm, const char *what,
                      int skip_required_tags)
{
	int npresent = 0;

	for (int j = 0; j < nm; j++)
		npresent += m[j].present;
	if (npresent == 0)
		return;
	for (int i = 0; i < nfiles; i++) {
		vfile *f = &files[i];
		int listing = 0, wrong = 0, nwrong = 0;
		for (int j = 0; j < nm; j++) {
			mline *l;
			if (!m[j].present || (l = find_line(&m[j], f->path)) == NULL)
				continue;
			listing++;
			if (strcmp(l->hex, f->hex[m[j].alg]) != 0) {
				wrong |= 1 << j;
				nwrong++;
			}
		}
		if (listing == 0) {
			problem(v, f->path, "is not listed in any of the %s", what);
			continue;
		}
		for (int j = 0; j < nm; j++)
			if (m[j].present && find_line(&m[j], f->path) == NULL)
				problem(v, kt_bag_tag_files[m[j].tag], "does not list '%s'", f->path);
		if (nwrong == 0)
			continue;
		if (nwrong == listing) {
			if (nwrong == 1) {
				int j = (wrong & 1) ? 0 : 1;
				problem(v, f->path, "content does not match its %s digest in %s",
				        alg_name[m[j].alg], kt_bag_tag_files[m[j].tag]);
			} else {
				problem(v, f->path, "content does not match its sha256 and sha512 digests");
			}
		} else {
			for (int j = 0; j < nm; j++)
				if (wrong & (1 << j))
					problem(v, kt_bag_tag_files[m[j].tag], "has a wrong %s digest for '%s'",
					        alg_name[m[j].alg], f->path);
		}
	}
	for (int j = 0; j < nm; j++) {
		if (!m[j].present)
			continue;
		for (int i = 0; i < m[j].n; i++) {
			const char *p = m[j].l[i].path;
			int k = 0, first = -1;
			if (find_file(files, nfiles, p) != NULL)
				continue;
			if (skip_required_tags && is_listable_tag(p))
				continue;
			for (int jj = 0; jj < nm; jj++)
				if (m[jj].present && find_line(&m[jj], p) != NULL) {
					k++;
					if (first < 0)
						first = jj;
				}
			if (k == npresent) {
				if (j == first)
					problem(v, p, "is listed in the %s but missing from the bag", what);
			} else {
				problem(v, kt_bag_tag_files[m[j].tag], "lists '%s', which is not in the bag", p);
			}
		}
	}
}

static int add_payload(vctx *v, const char *path, vfile **out)
{
	if (v->npay == v->cappay) {
		int c = v->cappay ? v->cappay * 2 : 32;
		vfile *p = realloc(v->pay, (size_t)c * sizeof *p);
		if (p == NULL)
			return -1;
		v->pay = p;
		v->cappay = c;
	}
	memset(&v->pay[v->npay], 0, sizeof *v->pay);
	if ((v->pay[v->npay].path = strdup(path)) == NULL)
		return -1;
	*out = &v->pay[v->npay++];
	return 0;
}

static int tag_index(const char *rel)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(rel, kt_bag_tag_files[i]) == 0)
			return i;
	return -1;
}

/* Stream the tar. KT_OK, KT_FAILED (unreadable, reported), KT_FATAL. */
static int read_package(vctx *v, const char *file)
{
	kt_error err = { 0 };
	kt_tar_reader *r = kt_tar_reader_open(file, &err);
	kt_tar_entry e;
	size_t ln = strlen(v->name);
	int rc = KT_OK, got, n_entries = 0;

	if (r == NULL) {
		if (err.code == KT_FATAL)
			return kt_error_copy(&v->a->err, &err);
		problem(v, "", "unreadable tar: %s", err.msg);
		return KT_FAILED;
	}
	while ((got = kt_tar_reader_next(r, &e, &err)) == 1) {
		const char *why;
		char rel[KT_BAG_PATH_MAX + 64];
		size_t n;
		int idx;

		n_entries++;
		if (kt_bag_check_under(e.path, v->name, &why) != 0) {
			problem(v, e.path, "entry is unsafe or outside the package folder: %s", why);
			continue;
		}
		n = strlen(e.path);
		if (n <= ln + 1) {
			if (e.type != KT_TAR_DIR)
				problem(v, e.path, "the package folder is not a folder");
			continue;
		}
		if (n - ln - 1 >= sizeof rel) {
			problem(v, e.path, "entry path too long");
			continue;
		}
		memcpy(rel, e.path + ln + 1, n - ln);
		if (rel[n - ln - 2] == '/')
			rel[n - ln - 2] = '\0';
		if (e.type == KT_TAR_DIR) {
			if (strcmp(rel, "data") != 0 && strncmp(rel, "data/", 5) != 0)
				problem(v, rel, "unexpected folder outside data/");
			continue;
		}
		if (e.type != KT_TAR_FILE) {
			problem(v, rel, "is a link or special file, not a regular file");
			continue;
		}
		if (strncmp(rel, "data/", 5) == 0) {
			vfile *f;
			if (add_payload(v, rel, &f) != 0) {
				rc = kt_error_set(&v->a->err, KT_FATAL, "out of memory");
				break;
			}
			rc = take_entry(r, f, NULL, 0, NULL, &err);
		} else if (strchr(rel, '/') != NULL) {
			problem(v, rel, "unexpected file outside data/");
		} else if ((idx = tag_index(rel)) < 0) {
			problem(v, rel, "unexpected tag file");
		} else if (v->tag_present[idx]) {
			problem(v, rel, "appears twice in the tar");
		} else {
			v->tag_present[idx] = 1;
			rc = take_entry(r, &v->tagf[idx], &v->tag[idx], KT_BAG_TAGFILE_MAX,
			                &v->tag_toobig[idx], &err);
		}
		if (rc != KT_OK)
			break;
	}
	if (got < 0)
		rc = KT_FAILED;
	else if (rc == KT_OK && got == 0 && n_entries == 0)
		rc = kt_error_set(&err, KT_FAILED, "no entries");
	if (rc == KT_FAILED)
		problem(v, "", "unreadable tar: %s", err.msg);
	else if (rc == KT_FATAL && v->a->err.code != KT_FATAL)
		kt_error_copy(&v->a->err, &err);
	kt_tar_reader_free(&r);
	return rc;
}

static void check_bagit(vctx *v)
{
	const kt_buf *b = &v->tag[KT_TAG_BAGIT];

	if (!v->tag_present[KT_TAG_BAGIT] || v->tag_toobig[KT_TAG_BAGIT])
		return;
	if (b->len >= 3 && memcmp(b->s, "\xEF\xBB\xBF", 3) == 0)
		problem(v, "bagit.txt", "starts with a byte order mark");
	else if (b->len != strlen(KT_BAGIT_TXT) || memcmp(b->s, KT_BAGIT_TXT, b->len) != 0)
		problem(v, "bagit.txt",
		        "is not exactly 'BagIt-Version: 1.0' and 'Tag-File-Character-Encoding: UTF-8'");
}

/* Trim spaces and tabs around (s, n). */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int parse_oxum(const char *s, size_t n, unsigned long long *octets, unsigned long long *count)
{
	unsigned long long a = 0, b = 0;
	size_t i = 0, da = 0, db = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9' && da < 19; i++, da++)
		a = a * 10 + (unsigned long long)(s[i] - '0');
	if (da == 0 || i >= n || s[i++] != '.')
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9' && db < 19; i++, db++)
		b = b * 10 + (unsigned long long)(s[i] - '0');
	if (db == 0 || i != n)
		return -1;
	*octets = a;
	*count = b;
	return 0;
}

static void check_bag_info(vctx *v, long long doc_id, const char *sha16)
{
	const kt_buf *b = &v->tag[KT_TAG_INFO];
	const char *s = b->s ? b->s : "";
	size_t pos = 0, len = b->len;
	unsigned long long octets = 0, count = 0, want_octets = 0;
	int lineno = 0, n_oxum = 0;
	char sh[128];

	if (!v->tag_present[KT_TAG_INFO] || v->tag_toobig[KT_TAG_INFO])
		return;
	for (size_t i = 0; i < len;) {
		size_t k = kt_utf8_len((const unsigned char *)s + i, len - i);
		if (k == 0 || s[i] == '\0') {
			problem(v, "bag-info.txt", "is not valid UTF-8 text");
			break;
		}
		i += k;
	}
	for (int i = 0; i < v->npay; i++)
		want_octets += v->pay[i].size;
	while (pos < len) {
		const char *line = s + pos, *nl = memchr(line, '\n', len - pos), *colon, *val;
		size_t n = nl ? (size_t)(nl - line) : len - pos, lab, vn;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > 0 && (line[0] == ' ' || line[0] == '\t'))
			continue; /* continuation of the value above */
		colon = memchr(line, ':', n);
		if (colon == NULL || colon == line) {
			problem(v, "bag-info.txt", "line %d is not 'Label: value'", lineno);
			continue;
		}
		lab = (size_t)(colon - line);
		val = colon + 1;
		vn = n - lab - 1;
		trim(&val, &vn);
		if (lab == 12 && strncasecmp(line, "Payload-Oxum", 12) == 0) {
			n_oxum++;
			if (parse_oxum(val, vn, &octets, &count) != 0)
				problem(v, "bag-info.txt", "Payload-Oxum '%s' is not '<octets>.<count>'",
				        shown(val, vn, sh));
			else if (octets != want_octets || count != (unsigned long long)v->npay)
				problem(v, "bag-info.txt",
				        "Payload-Oxum '%llu.%llu' does not match the payload (%llu.%d)",
				        octets, count, want_octets, v->npay);
		} else if (lab == 19 && strncasecmp(line, "External-Identifier", 19) == 0) {
			if (vn != 64 || strspn(val, "0123456789abcdef") < 64 || strncmp(val, sha16, 16) != 0)
				problem(v, "bag-info.txt",
				        "External-Identifier '%s' does not match the package name",
				        shown(val, vn, sh));
		} else if (lab == 26 && strncasecmp(line, "Internal-Sender-Identifier", 26) == 0) {
			char num[24];
			snprintf(num, sizeof num, "%lld", doc_id);
			if (vn != strlen(num) || memcmp(val, num, vn) != 0)
				problem(v, "bag-info.txt",
				        "Internal-Sender-Identifier '%s' does not match the package name",
				        shown(val, vn, sh));
		}
	}
	if (n_oxum == 0)
		problem(v, "bag-info.txt", "has no Payload-Oxum");
	else if (n_oxum > 1)
		problem(v, "bag-info.txt", "has %d Payload-Oxum lines", n_oxum);
}

static void vctx_release(vctx *v)
{
	for (int i = 0; i < v->npay; i++)
		free(v->pay[i].path);
	free(v->pay);
	for (int i = 0; i < 6; i++) {
		kt_buf_release(&v->tag[i]);
		free(v->tagf[i].path);
	}
}

int kt_archive_verify(kt_archive *a, const char *relpath, kt_archive_problem_fn fn, void *ctx,
                      int *n_problems)
{
	vctx v = { 0 };
	manifest pm[2] = { { KT_TAG_MAN256, 0, 0, NULL, 0 }, { KT_TAG_MAN512, 1, 0, NULL, 0 } };
	manifest tm[2] = { { KT_TAG_TMAN256, 0, 0, NULL, 0 }, { KT_TAG_TMAN512, 1, 0, NULL, 0 } };
	char name[KT_BAG_NAME_MAX], sha16[17];
	long long doc_id;
	char *file = NULL;
	vfile tags[4];
	int ntags = 0, rc;

	if (n_problems != NULL)
		*n_problems = 0;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	v.a = a;
	v.fn = fn;
	v.ctx = ctx;
	if (kt_bag_parse_relpath(relpath, name, &doc_id, sha16) != 0) {
		v.name = "";
		problem(&v, "", "'%s' is not a package path", relpath ? relpath : "");
		rc = KT_FAILED;
		goto out;
	}
	v.name = name;
	if (a->root == NULL) {
		rc = kt_error_set(&a->err, KT_FAILED, "no archive folder open");
		goto out;
	}
	if ((file = kt_path_join(a->root, relpath)) == NULL) {
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		goto out;
	}
	rc = read_package(&v, file);
	if (rc != KT_OK)
		goto out;
	if (v.npay > 1)
		qsort(v.pay, (size_t)v.npay, sizeof *v.pay, vfile_cmp);
	for (int i = 1; i < v.npay; i++) {
		if (strcmp(v.pay[i].path, v.pay[i - 1].path) != 0)
			continue;
		problem(&v, v.pay[i].path, "appears twice in the tar");
		free(v.pay[i].path);
		memmove(&v.pay[i], &v.pay[i + 1], (size_t)(v.npay - i - 1) * sizeof *v.pay);
		v.npay--;
		i--;
	}

	for (int i = 0; i < 6; i++) {
		if (!v.tag_present[i])
			problem(&v, kt_bag_tag_files[i], "is missing");
		else if (v.tag_toobig[i])
			problem(&v, kt_bag_tag_files[i], "is larger than 16 MiB");
	}
	check_bagit(&v);

	for (int j = 0; j < 2; j++) {
		manifest *ms[2] = { &pm[j], &tm[j] };
		for (int k = 0; k < 2; k++) {
			manifest *m = ms[k];
			if (!v.tag_present[m->tag] || v.tag_toobig[m->tag])
				continue;
			m->present = 1;
			if (parse_manifest(&v, kt_bag_tag_files[m->tag], v.tag[m->tag].s ? v.tag[m->tag].s : "",
			                   v.tag[m->tag].len, m->alg, k == 0, m) != 0) {
				rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
				goto out;
			}
		}
	}
	attribute(&v, v.pay, v.npay, pm, 2, "manifests", 0);

	for (int i = KT_TAG_BAGIT; i <= KT_TAG_MAN512; i++) {
		if (!v.tag_present[i])
			continue;
		tags[ntags] = v.tagf[i];
		tags[ntags].path = (char *)kt_bag_tag_files[i];
		ntags++;
	}
	qsort(tags, (size_t)ntags, sizeof *tags, vfile_cmp);
	attribute(&v, tags, ntags, tm, 2, "tag manifests", 1);

	check_bag_info(&v, doc_id, sha16);
	rc = KT_OK;
out:
	for (int j = 0; j < 2; j++) {
		manifest_release(&pm[j]);
		manifest_release(&tm[j]);
	}
	if (rc != KT_FATAL && v.problems > 0)
		rc = kt_error_set(&a->err, KT_FAILED, "'%s': %d problem%s", relpath ? relpath : "",
		                  v.problems, v.problems == 1 ? "" : "s");
	if (n_problems != NULL)
		*n_problems = v.problems;
	vctx_release(&v);
	free(file);
	return rc;
}

int kt_archive_read_file(kt_archive *a, const char *relpath, const char *data_path, void **data,
                         size_t *len)
{
	char name[KT_BAG_NAME_MAX];
	const char *why;
	kt_buf target = { 0 }, man = { 0 }, body = { 0 };
	kt_tar_reader *r = NULL;
	kt_tar_entry e;
	vfile f = { 0 }, mf = { 0 };
	manifest m = { KT_TAG_MAN256, 0, 1, NULL, 0 };
	char *file = NULL;
	int found = 0, have_man = 0, toobig = 0, got, rc = KT_OK;

	if (data != NULL)
		*data = NULL;
	if (len != NULL)
		*len = 0;
	if (a == NULL)
		return KT_FATAL;
	kt_error_clear(&a->err);
	if (data == NULL || len == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no place for the data given");
	if (a->root == NULL)
		return kt_error_set(&a->err, KT_FAILED, "no archive folder open");
	if (kt_bag_parse_relpath(relpath, name, NULL, NULL) != 0)
		return kt_error_set(&a->err, KT_FAILED, "'%s' is not a package path",
		                    relpath ? relpath : "");
	if (kt_bag_check_payload_path(data_path, &why) != 0)
		return kt_error_set(&a->err, KT_FAILED, "'%s' is not a payload path: %s",
		                    data_path ? data_path : "", why);
	if (kt_buf_printf(&target, "%s/data/%s", name, data_path) ||
	    (file = kt_path_join(a->root, relpath)) == NULL) {
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		goto out;
	}
	r = kt_tar_reader_open(file, &a->err);
	if (r == NULL) {
		rc = a->err.code;
		goto out;
	}
	while (!(found && have_man) && (got = kt_tar_reader_next(r, &e, &a->err)) == 1) {
		if (e.type != KT_TAR_FILE)
			continue;
		if (!have_man && strncmp(e.path, name, strlen(name)) == 0 &&
		    strcmp(e.path + strlen(name), "/manifest-sha256.txt") == 0) {
			have_man = 1;
			rc = take_entry(r, &mf, &man, KT_BAG_TAGFILE_MAX, &toobig, &a->err);
		} else if (!found && strcmp(e.path, target.s) == 0) {
			found = 1;
			rc = take_entry(r, &f, &body, (size_t)-1, &toobig, &a->err);
		}
		if (rc != KT_OK)
			goto out;
	}
	if (!(found && have_man) && got < 0) {
		rc = KT_FAILED;
		goto out;
	}
	if (!found) {
		rc = kt_error_set(&a->err, KT_FAILED, "'%s' has no payload file '%s'", relpath, data_path);
		goto out;
	}
	if (!have_man || toobig) {
		rc = kt_error_set(&a->err, KT_FAILED, "'%s' has no usable manifest-sha256.txt", relpath);
		goto out;
	}
	if (parse_manifest(NULL, NULL, man.s ? man.s : "", man.len, 0, 1, &m) != 0) {
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		goto out;
	}
	{
		mline *l = find_line(&m, target.s + strlen(name) + 1);
		if (l == NULL) {
			rc = kt_error_set(&a->err, KT_FAILED, "'%s' is not in manifest-sha256.txt of '%s'",
			                  data_path, relpath);
			goto out;
		}
		if (strcmp(l->hex, f.hex[0]) != 0) {
			rc = kt_error_set(&a->err, KT_FAILED, "'%s' of '%s' does not match its sha256 digest",
			                  data_path, relpath);
			goto out;
		}
	}
	if (body.s == NULL && kt_buf_add(&body, "", 0) != 0) {
		rc = kt_error_set(&a->err, KT_FATAL, "out of memory");
		goto out;
	}
	*data = body.s;
	*len = body.len;
	body.s = NULL;
out:
	kt_tar_reader_free(&r);
	manifest_release(&m);
	kt_buf_release(&target);
	kt_buf_release(&man);
	kt_buf_release(&body);
	free(file);
	return rc;
}
