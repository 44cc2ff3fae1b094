/*
 * path.c - names and paths of the archive: package names, the rules for
 * payload paths, safe forms of user file names, RFC 8493 percent-encoding.
 * No I/O here.
 */
#include "archive_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_lower_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int kt_bag_check_sha256(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < 64; i++)
		if (!is_hex((unsigned char)s[i]))
			return -1;
	return s[64] == '\0' ? 0 : -1;
}

int kt_bag_name(long long doc_id, const char *sha256, int version, char *out)
{
	int n;

	if (doc_id < 0 || version < 1 || kt_bag_check_sha256(sha256) != 0)
		return -1;
	n = snprintf(out, KT_BAG_NAME_MAX, "kt-%08lld-%.16s-v%d", doc_id, sha256, version);
	if (n < 0 || n >= KT_BAG_NAME_MAX)
		return -1;
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

/* Parse "[digits]" at *s, at least min digits, no more than max; advance *s. */
static int parse_digits(const char **s, int min, int max, long long *out)
{
	const char *p = *s;
	long long v = 0;
	int n = 0;

	while (*p >= '0' && *p <= '9') {
		if (++n > max)
			return -1;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (n < min)
		return -1;
	*out = v;
	*s = p;
	return 0;
}

int kt_bag_parse_relpath(const char *relpath, char *name, long long *doc_id, char *sha16)
{
	const char *p, *start;
	long long id, ver;
	size_t len;

	if (relpath == NULL)
		return -1;
	p = relpath;
	if (!is_lower_hex((unsigned char)p[0]) || !is_lower_hex((unsigned char)p[1]) ||
	    p[2] != '/')
		return -1;
	start = p + 3;
	p = start;
	if (strncmp(p, "kt-", 3) != 0)
		return -1;
	p += 3;
	if (parse_digits(&p, 8, 18, &id) != 0 || *p++ != '-')
		return -1;
	for (int i = 0; i < 16; i++)
		if (!is_lower_hex((unsigned char)p[i]))
			return -1;
	if (p[0] != relpath[0] || p[1] != relpath[1])
		return -1; /* shard must be the first two hex of the name */
	if (sha16 != NULL) {
		memcpy(sha16, p, 16);
		sha16[16] = '\0';
	}
	p += 16;
	if (strncmp(p, "-v", 2) != 0)
		return -1;
	p += 2;
	if (*p == '0' || parse_digits(&p, 1, 9, &ver) != 0)
		return -1;
	if (strcmp(p, ".tar") != 0)
		return -1;
	len = (size_t)(p - start);
	if (len >= KT_BAG_NAME_MAX)
		return -1;
	memcpy(name, start, len);
	name[len] = '\0';
	if (doc_id != NULL)
		*doc_id = id;
	return 0;
}

int kt_bag_check_payload_path(const char *path, const char **why)
{
	const char *p, *comp;
	size_t len;

	if (path == NULL || path[0] == '\0') {
		*why = "empty path";
		return -1;
	}
	len = strlen(path);
	if (len > KT_BAG_PATH_MAX) {
		*why = "path longer than 512 bytes";
		return -1;
	}
	if (path[0] == '/') {
		*why = "absolute path";
		return -1;
	}
	for (p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7F) {
			*why = "control character in path";
			return -1;
		}
		if (c >= 0x80) {
			*why = "byte outside printable ASCII in path";
			return -1;
		}
		if (c == '\\') {
			*why = "backslash in path";
			return -1;
		}
	}
	comp = path;
	for (;;) {
		const char *end = strchr(comp, '/');
		size_t n = end ? (size_t)(end - comp) : strlen(comp);
		if (n == 0) {
			*why = "empty path component";
			return -1;
		}
		if ((n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.')) {
			*why = "'.' or '..' path component";
			return -1;
		}
		if (end == NULL)
			break;
		comp = end + 1;
	}
	return 0;
}

int kt_bag_check_entry_path(const char *path, size_t len, const char **why)
{
	size_t i, start;

	if (len == 0) {
		*why = "empty path";
		return -1;
	}
	if (path[0] == '/') {
		*why = "absolute path";
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c < 0x20 || c == 0x7F) {
			*why = "control character in path";
			return -1;
		}
	}
	start = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		size_t n = i - start;
		if (n == 0) {
			*why = "empty path component";
			return -1;
		}
		if ((n == 1 && path[start] == '.') ||
		    (n == 2 && path[start] == '.' && path[start + 1] == '.')) {
			*why = "'.' or '..' path component";
			return -1;
		}
		start = i + 1;
	}
	return 0;
}

int kt_bag_check_under(const char *path, const char *prefix, const char **why)
{
	size_t lp = strlen(prefix), len;

	if (strncmp(path, prefix, lp) != 0 || (path[lp] != '\0' && path[lp] != '/')) {
		*why = path[0] == '/' ? "absolute path" : "outside the package folder";
		return -1;
	}
	if (path[lp] == '\0' || path[lp + 1] == '\0')
		return 0;
	path += lp + 1;
	len = strlen(path);
	if (path[len - 1] == '/')
		len--;
	return kt_bag_check_entry_path(path, len, why);
}

int kt_bag_encode_path(kt_buf *b, const char *path)
{
	for (const char *p = path; *p; p++) {
		int r;
		if (*p == '%')
			r = kt_buf_add(b, "%25", 3);
		else if (*p == '\n')
			r = kt_buf_add(b, "%0A", 3);
		else if (*p == '\r')
			r = kt_buf_add(b, "%0D", 3);
		else
			r = kt_buf_add(b, p, 1);
		if (r != 0)
			return -1;
	}
	return 0;
}

char *kt_bag_decode_path(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t i, o = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n) {
			char h = s[i + 1], l = s[i + 2];
			if (h == '2' && l == '5') {
				out[o++] = '%';
				i += 2;
				continue;
			}
			if (h == '0' && (l == 'A' || l == 'a')) {
				out[o++] = '\n';
				i += 2;
				continue;
			}
			if (h == '0' && (l == 'D' || l == 'd')) {
				out[o++] = '\r';
				i += 2;
				continue;
			}
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

char *kt_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (s == NULL)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

static int safe_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

void kt_archive_safe_name(const char *name, char out[KT_ARCHIVE_SAFE_NAME_MAX])
{
	/* The full safe form is at most one byte per input byte. */
	const unsigned char *s = (const unsigned char *)(name ? name : "");
	size_t n = strlen((const char *)s), i = 0, o = 0, max = KT_ARCHIVE_SAFE_NAME_MAX - 1;
	char *t = malloc(n + 1);
	char fallback[KT_ARCHIVE_SAFE_NAME_MAX];

	if (t == NULL) {
		/* Out of memory: a form without the extension logic, still safe. */
		t = fallback;
		if (n > max)
			n = max;
	}
	while (i < n) {
		size_t k = kt_utf8_len(s + i, n - i);
		if (k == 1 && safe_char(s[i]))
			t[o++] = (char)s[i];
		else
			t[o++] = '_';
		i += k ? k : 1;
	}
	t[o] = '\0';
	for (i = 0; t[i] == '.'; i++)
		t[i] = '_';
	if (o == 0) {
		snprintf(out, KT_ARCHIVE_SAFE_NAME_MAX, "unnamed");
	} else if (o <= max) {
		memcpy(out, t, o + 1);
	} else {
		const char *dot = strrchr(t, '.');
		size_t ext = dot ? o - (size_t)(dot - t) : 0;
		if (dot == t || ext > 16)
			ext = 0;
		memcpy(out, t, max - ext);
		memcpy(out + (max - ext), t + (o - ext), ext);
		out[max] = '\0';
	}
	if (t != fallback)
		free(t);
}

/* Characters an export name never holds: controls, path separators, what
 * Windows refuses (<>:"|?*), a byte that was not UTF-8 (U+FFFD after NFC),
 * and the invisible format characters that can disguise a name (zero
 * widths, bidirectional overrides, the byte order mark). */
static int export_refused(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
	       (c < 0x80 && strchr("/\\<>:\"|?*", (int)c) != NULL) || c == 0xFFFD ||
	       (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

/* 1 when the name before its first dot is a device name of Windows (CON,
 * PRN, AUX, NUL, COM1-COM9, LPT1-LPT9), whatever its case. */
static int windows_device(const char *s)
{
	static const char *const dev[] = { "con", "prn", "aux", "nul" };
	size_t n = strcspn(s, "."), i;
	char b[5];

	if (n < 3 || n > 4)
		return 0;
	for (i = 0; i < n; i++)
		b[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	b[n] = '\0';
	for (i = 0; i < sizeof dev / sizeof dev[0]; i++)
		if (strcmp(b, dev[i]) == 0)
			return 1;
	return n == 4 && (memcmp(b, "com", 3) == 0 || memcmp(b, "lpt", 3) == 0) &&
	       b[3] >= '1' && b[3] <= '9';
}

void kt_archive_export_name(const char *name, char out[KT_ARCHIVE_EXPORT_NAME_MAX])
{
	size_t n = 0, i = 0, o = 0, max = KT_ARCHIVE_EXPORT_NAME_MAX - 2, ext = 0, cut;
	char *nfc = kt_utf8_nfc(name ? name : "", name ? strlen(name) : 0, &n);
	kt_buf t = KT_BUF_INIT;
	const char *dot;

	while (nfc != NULL && i < n) {
		size_t from = i;
		uint32_t c = kt_utf8_next(nfc, n, &i);

		if (kt_buf_add(&t, export_refused(c) ? "_" : nfc + from, export_refused(c) ? 1 : i - from))
			break;
	}
	free(nfc);
	if (t.len == 0 || i < n) {	/* nothing left, or out of memory */
		kt_buf_release(&t);
		snprintf(out, KT_ARCHIVE_EXPORT_NAME_MAX, "unnamed");
		return;
	}
	/* too long: cut at a character, keeping an extension of up to 16 bytes */
	dot = strrchr(t.s, '.');
	if (dot != NULL && dot != t.s && t.len - (size_t)(dot - t.s) <= 16)
		ext = t.len - (size_t)(dot - t.s);
	if (t.len > max) {
		cut = max - ext;
		while (cut > 0 && kt_utf8_is_cont((unsigned char)t.s[cut]))
			cut--;
		memmove(t.s + cut, t.s + t.len - ext, ext);
		kt_buf_truncate(&t, cut + ext);
	}
	/* no hidden file, no trailing dot or space (Windows drops them), no device */
	for (i = 0; t.s[i] == '.'; i++)
		t.s[i] = '_';
	for (i = t.len; i > 0 && (t.s[i - 1] == '.' || t.s[i - 1] == ' '); i--)
		t.s[i - 1] = '_';
	if (windows_device(t.s))
		out[o++] = '_';
	memcpy(out + o, t.s, t.len + 1);
	kt_buf_release(&t);
}
