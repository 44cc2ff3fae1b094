/*
 * bag.c - building a BagIt 1.0 bag (RFC 8493) from a package: the payload
 * checks, the digests, the tag files, and the order of the tar entries.
 * The result is a plan that store.c hands to the tar writer.
 */
#include "archive_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "kt_sha.h"

const char *const kt_bag_tag_files[6] = {
	"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt",
	"tagmanifest-sha256.txt", "tagmanifest-sha512.txt",
};

/* Longest value written to bag-info.txt, in bytes. */
#define KT_BAG_INFO_VALUE_MAX 512

/* ---- plan ---- */

typedef struct item {
	char *path;                 /* relative to data/, malloc'd */
	const void *data;
	size_t len;
	char sha256[KT_SHA256_HEX];
	char sha512[KT_SHA512_HEX];
} item;

static int item_cmp(const void *a, const void *b)
{
	return strcmp(((const item *)a)->path, ((const item *)b)->path);
}

static int plan_add(kt_bag_plan *plan, const char *rel, int is_dir, const void *data, size_t len)
{
	kt_buf path = { 0 };

	if (plan->n == plan->cap) {
		int cap = plan->cap ? plan->cap * 2 : 16;
		kt_bag_entry *e = realloc(plan->e, (size_t)cap * sizeof *e);
		if (e == NULL)
			return -1;
		plan->e = e;
		plan->cap = cap;
	}
	if (kt_buf_puts(&path, plan->name) != 0 || kt_buf_puts(&path, "/") != 0 ||
	    kt_buf_puts(&path, rel) != 0 || (is_dir && rel[0] && kt_buf_puts(&path, "/") != 0)) {
		kt_buf_release(&path);
		return -1;
	}
	plan->e[plan->n].path = path.s;
	plan->e[plan->n].is_dir = is_dir;
	plan->e[plan->n].data = data;
	plan->e[plan->n].len = len;
	plan->n++;
	return 0;
}

/* Is the folder "data/<dir>" (dir of length n) already in the plan? */
static int plan_has_dir(const kt_bag_plan *plan, const char *dir, size_t n)
{
	size_t ln = strlen(plan->name);

	for (int i = 0; i < plan->n; i++) {
		const char *p = plan->e[i].path;
		if (!plan->e[i].is_dir || strncmp(p + ln + 1, "data/", 5) != 0)
			continue;
		p += ln + 1 + 5;
		if (strncmp(p, dir, n) == 0 && p[n] == '/' && p[n + 1] == '\0')
			return 1;
	}
	return 0;
}

/* Add the folders above data/<path> that are not in the plan yet. */
static int plan_add_parents(kt_bag_plan *plan, const char *path)
{
	for (const char *s = strchr(path, '/'); s != NULL; s = strchr(s + 1, '/')) {
		size_t n = (size_t)(s - path);
		kt_buf rel = { 0 };
		int r;
		if (plan_has_dir(plan, path, n))
			continue;
		r = kt_buf_puts(&rel, "data/") || kt_buf_add(&rel, path, n) ||
		    plan_add(plan, rel.s, 1, NULL, 0);
		kt_buf_release(&rel);
		if (r)
			return -1;
	}
	return 0;
}

/* Append a bag-info value: one line, control characters as spaces, bytes
 * that are not UTF-8 as '?', at most KT_BAG_INFO_VALUE_MAX bytes. */
static int info_value(kt_buf *b, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t n = strlen(v), i = 0, out = 0;

	while (i < n) {
		size_t k = kt_utf8_len(s + i, n - i);
		int r;
		if (k == 0) {
			k = 1;
			r = kt_buf_add(b, "?", 1);
			out += 1;
		} else if (k == 1 && (s[i] < 0x20 || s[i] == 0x7F)) {
			r = kt_buf_add(b, " ", 1);
			out += 1;
		} else {
			if (out + k > KT_BAG_INFO_VALUE_MAX)
				break;
			r = kt_buf_add(b, s + i, k);
			out += k;
		}
		if (r != 0)
			return -1;
		i += k;
		if (out >= KT_BAG_INFO_VALUE_MAX)
			break;
	}
	return 0;
}

static int info_field(kt_buf *b, const char *label, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return 0;
	if (kt_buf_puts(b, label) || kt_buf_puts(b, ": ") || info_value(b, v) ||
	    kt_buf_puts(b, "\n"))
		return -1;
	return 0;
}

static int digest_pair(const void *data, size_t len, char *h256, char *h512)
{
	kt_sha *a = kt_sha_new(KT_SHA256), *b = kt_sha_new(KT_SHA512);
	int r = -1;

	if (a != NULL && b != NULL && kt_sha_update(a, data, len) == 0 &&
	    kt_sha_update(b, data, len) == 0 && kt_sha_final_hex(a, h256) == 0 &&
	    kt_sha_final_hex(b, h512) == 0)
		r = 0;
	kt_sha_free(&a);
	kt_sha_free(&b);
	return r;
}

static int tag_line(kt_buf *b, const char *hex, const char *path)
{
	return kt_buf_puts(b, hex) || kt_buf_puts(b, "  ") || kt_bag_encode_path(b, path) ||
	       kt_buf_puts(b, "\n");
}

void kt_bag_plan_release(kt_bag_plan *plan)
{
	if (plan == NULL)
		return;
	for (int i = 0; i < plan->n; i++)
		free(plan->e[i].path);
	free(plan->e);
	for (int i = 0; i < 6; i++)
		kt_buf_release(&plan->tag[i]);
	memset(plan, 0, sizeof *plan);
}

static int check_payload(const kt_archive_package *p, item *items, kt_error *err)
{
	char safe[KT_ARCHIVE_SAFE_NAME_MAX];
	const char *why;

	for (int i = 0; i < p->n_files; i++) {
		const kt_archive_file *f = &p->files[i];
		kt_buf path = { 0 };

		if (f->data == NULL && f->len > 0)
			return kt_error_set(err, KT_FAILED, "payload file %d has no data", i + 1);
		if (f->path == NULL) {
			kt_archive_safe_name(p->source_name, safe);
			if (kt_buf_puts(&path, "original/") || kt_buf_puts(&path, safe))
				return kt_error_set(err, KT_FATAL, "out of memory");
		} else if (kt_bag_check_payload_path(f->path, &why) != 0) {
			return kt_error_set(err, KT_FAILED, "refusing payload path '%.*s': %s",
			                    (int)strcspn(f->path, "\r\n"), f->path, why);
		} else if (kt_buf_puts(&path, f->path)) {
			return kt_error_set(err, KT_FATAL, "out of memory");
		}
		items[i].path = path.s;
		items[i].data = f->data ? f->data : "";
		items[i].len = f->len;
	}
	/* Unique ignoring case, and no file is also a folder of another, so that
	 * the bag extracts the same on any file system. */
	for (int i = 0; i < p->n_files; i++) {
		for (int j = i + 1; j < p->n_files; j++) {
			const char *a = items[i].path, *b = items[j].path;
			size_t la = strlen(a), lb = strlen(b);
			if (strcasecmp(a, b) == 0)
				return kt_error_set(err, KT_FAILED, "payload paths '%s' and '%s' clash", a, b);
			if ((la < lb && strncasecmp(a, b, la) == 0 && b[la] == '/') ||
			    (lb < la && strncasecmp(a, b, lb) == 0 && a[lb] == '/'))
				return kt_error_set(err, KT_FAILED,
				                    "payload path '%s' is a folder of '%s'",
				                    la < lb ? a : b, la < lb ? b : a);
		}
	}
	return KT_OK;
}

int kt_bag_plan_build(const kt_archive_package *p, long long when, kt_bag_plan *plan,
                      kt_error *err)
{
	item *items = NULL;
	char sha[65];
	unsigned long long octets = 0;
	char date[16];
	struct tm tm;
	time_t t = (time_t)when;
	int rc = KT_OK;

	memset(plan, 0, sizeof *plan);
	if (p == NULL)
		return kt_error_set(err, KT_FAILED, "no package given");
	if (kt_bag_check_sha256(p->sha256) != 0)
		return kt_error_set(err, KT_FAILED, "refusing package: sha256 '%.64s' is not 64 hex digits",
		                    p->sha256 ? p->sha256 : "");
	for (int i = 0; i < 65; i++)
		sha[i] = (p->sha256[i] >= 'A' && p->sha256[i] <= 'F') ? (char)(p->sha256[i] - 'A' + 'a')
		                                                       : p->sha256[i];
	if (p->doc_id < 0)
		return kt_error_set(err, KT_FAILED, "refusing package: doc id %lld is negative", p->doc_id);
	if (p->version < 1)
		return kt_error_set(err, KT_FAILED, "refusing package: version %d is not 1 or more",
		                    p->version);
	if (p->n_files < 1 || p->files == NULL)
		return kt_error_set(err, KT_FAILED, "refusing package: no payload files");
	if (kt_bag_name(p->doc_id, sha, p->version, plan->name) != 0)
		return kt_error_set(err, KT_FAILED, "refusing package: cannot make its name");
	memcpy(plan->shard, sha, 2);
	plan->shard[2] = '\0';
	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof date, "%Y-%m-%d", &tm) == 0)
		return kt_error_set(err, KT_FAILED, "bagging time %lld out of range", when);

	items = calloc((size_t)p->n_files, sizeof *items);
	if (items == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	rc = check_payload(p, items, err);
	if (rc != KT_OK)
		goto done;
	qsort(items, (size_t)p->n_files, sizeof *items, item_cmp);
	for (int i = 0; i < p->n_files; i++) {
		if (digest_pair(items[i].data, items[i].len, items[i].sha256, items[i].sha512) != 0) {
			rc = kt_error_set(err, KT_FATAL, "cannot compute digests of '%s'", items[i].path);
			goto done;
		}
		octets += items[i].len;
	}

	/* The manifests: "<hex>  data/<path>\n", sorted by path. */
	for (int i = 0; i < p->n_files; i++) {
		kt_buf rel = { 0 };
		int r = kt_buf_puts(&rel, "data/") || kt_buf_puts(&rel, items[i].path) ||
		        tag_line(&plan->tag[KT_TAG_MAN256], items[i].sha256, rel.s) ||
		        tag_line(&plan->tag[KT_TAG_MAN512], items[i].sha512, rel.s);
		kt_buf_release(&rel);
		if (r)
			goto oom;
	}

	/* bag-info.txt */
	{
		kt_buf *b = &plan->tag[KT_TAG_INFO];
		char id[32], ver[16], oxum[48];
		char safe[KT_ARCHIVE_SAFE_NAME_MAX] = "";
		snprintf(id, sizeof id, "%lld", p->doc_id);
		snprintf(ver, sizeof ver, "%d", p->version);
		snprintf(oxum, sizeof oxum, "%llu.%d", octets, p->n_files);
		if (p->source_name != NULL)
			kt_archive_safe_name(p->source_name, safe);
		if (info_field(b, "Source-Organization", p->organisation) ||
		    info_field(b, "Bagging-Date", date) ||
		    info_field(b, "External-Identifier", sha) ||
		    info_field(b, "Internal-Sender-Identifier", id) ||
		    info_field(b, "Bag-Group-Identifier", p->batch) ||
		    info_field(b, "Bag-Software-Agent", "kartoteka") ||
		    info_field(b, "Kartoteka-Document-Version", ver) ||
		    info_field(b, "Kartoteka-Source-Name", p->source_name ? safe : NULL) ||
		    info_field(b, "Payload-Oxum", oxum))
			goto oom;
	}

	if (kt_buf_puts(&plan->tag[KT_TAG_BAGIT], KT_BAGIT_TXT))
		goto oom;

	/* The tag manifests cover every tag file but themselves. */
	for (int i = KT_TAG_BAGIT; i <= KT_TAG_MAN512; i++) {
		char h256[KT_SHA256_HEX], h512[KT_SHA512_HEX];
		if (digest_pair(plan->tag[i].s, plan->tag[i].len, h256, h512) != 0) {
			rc = kt_error_set(err, KT_FATAL, "cannot compute digests of '%s'",
			                  kt_bag_tag_files[i]);
			goto done;
		}
		if (tag_line(&plan->tag[KT_TAG_TMAN256], h256, kt_bag_tag_files[i]) ||
		    tag_line(&plan->tag[KT_TAG_TMAN512], h512, kt_bag_tag_files[i]))
			goto oom;
	}

	/* The order in the tar: folder, tag files, data/, payload by path. */
	if (plan_add(plan, "", 1, NULL, 0))
		goto oom;
	for (int i = 0; i < 6; i++)
		if (plan_add(plan, kt_bag_tag_files[i], 0, plan->tag[i].s, plan->tag[i].len))
			goto oom;
	if (plan_add(plan, "data", 1, NULL, 0))
		goto oom;
	for (int i = 0; i < p->n_files; i++) {
		kt_buf rel = { 0 };
		int r = plan_add_parents(plan, items[i].path) || kt_buf_puts(&rel, "data/") ||
		        kt_buf_puts(&rel, items[i].path) ||
		        plan_add(plan, rel.s, 0, items[i].data, items[i].len);
		kt_buf_release(&rel);
		if (r)
			goto oom;
	}
	goto done;
oom:
	rc = kt_error_set(err, KT_FATAL, "out of memory");
done:
	for (int i = 0; items != NULL && i < p->n_files; i++)
		free(items[i].path);
	free(items);
	if (rc != KT_OK)
		kt_bag_plan_release(plan);
	return rc;
}
