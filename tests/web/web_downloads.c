/*
 * web_downloads.c - the group of test_web on a document's downloads
 * (issue 18): /doc/{id}/original gives the original bit for bit as an
 * attachment named as `export` names it, /doc/{id}/text.txt the document's
 * text, /doc/{id}/access.pdf the searchable PDF of the package; each is
 * role-checked as the document page (an operator is refused, an officer gets
 * only their own cases' documents, the others answered as missing) and
 * audited before anything leaves.
 */
#include "web_test.h"

#include "kt_sha.h"
#include "kt_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_downloads(void **state)
{
	json_t *in, *out, *doc;
	long long mine, other;
	char path[128], obj[96], sha[KT_SHA256_HEX], dir[700], idarg[32], *cd, *ct, *txt;
	const char *want_sha;
	unsigned char *want;
	size_t want_len = 0;
	e2e_out o;
	resp r;

	(void)state;
	docs_by_case(OFFICER_CASE, &in, &out);
	mine = (long long)json_integer_value(json_array_get(in, 0));
	other = (long long)json_integer_value(json_array_get(out, 0));
	json_decref(in);
	json_decref(out);
	snprintf(path, sizeof path, "/api/doc/%lld", mine);
	doc = get_json(s_arch, path, 200);
	want_sha = json_string_value(json_object_get(doc, "sha256"));
	assert_non_null(want_sha);

	/* the original, bit for bit, as an attachment */
	snprintf(path, sizeof path, "/doc/%lld/original", mine);
	r = get(s_arch, path);
	assert_int_equal(r.status, 200);
	assert_int_equal(kt_sha256_hex(r.body, r.body_len, sha), KT_OK);
	assert_string_equal(sha, want_sha);
	cd = header(&r, "Content-Disposition", "attachment; filename=\"");
	assert_non_null(cd);
	kt_expect_in(cd, "; filename*=UTF-8''");
	ct = header(&r, "Content-Type", "image/");
	assert_non_null(ct);
	free(cd);
	free(ct);
	resp_free(&r);
	snprintf(obj, sizeof obj, "doc:%lld original", mine);
	assert_int_equal(audited("arch", "download", obj), 1);

	/* the text: what `kartoteka export` writes, byte for byte */
	snprintf(dir, sizeof dir, "%s/../export-%lld", store, mine);
	snprintf(idarg, sizeof idarg, "%lld", mine);
	o = e2e_run(store, "export", idarg, dir, NULL);
	assert_int_equal(o.status, 0);
	txt = strstr(o.out, "\ttext/document.txt");
	assert_non_null(txt);
	*txt = '\0';
	want = kt_test_read_file(strrchr(o.out, '\n') ? strrchr(o.out, '\n') + 1 : o.out, &want_len);
	e2e_out_free(&o);
	assert_non_null(want);
	snprintf(path, sizeof path, "/doc/%lld/text.txt", mine);
	r = get(s_arch, path);
	assert_int_equal(r.status, 200);
	ct = header(&r, "Content-Type", "text/plain; charset=utf-8");
	assert_non_null(ct);
	free(ct);
	assert_true(want_len > 0);
	assert_int_equal(r.body_len, want_len);
	assert_memory_equal(r.body, want, want_len);
	free(want);
	resp_free(&r);

	/* the searchable PDF of a scanned document, audited */
	snprintf(path, sizeof path, "/doc/%lld/access.pdf", mine);
	r = get(s_arch, path);
	assert_int_equal(r.status, 200);
	assert_true(r.body_len > 1000);
	assert_memory_equal(r.body, "%PDF-", 5);
	ct = header(&r, "Content-Type", "application/pdf");
	assert_non_null(ct);
	free(ct);
	cd = header(&r, "Content-Disposition", "attachment; filename=\"");
	assert_non_null(cd);
	kt_expect_in(cd, ".pdf\"");
	free(cd);
	resp_free(&r);
	snprintf(obj, sizeof obj, "doc:%lld access", mine);
	assert_int_equal(audited("arch", "download", obj), 1);

	/* roles: the operator never, the officer only for their own cases */
	snprintf(path, sizeof path, "/doc/%lld/original", mine);
	assert_int_equal(status_of(s_op, path), 403);
	assert_int_equal(status_of(s_off, path), 200);
	snprintf(path, sizeof path, "/doc/%lld/original", other);
	assert_int_equal(status_of(s_off, path), 404);
	snprintf(path, sizeof path, "/doc/%lld/text.txt", other);
	assert_int_equal(status_of(s_off, path), 404);
	assert_int_equal(status_of(s_arch, "/doc/999999/original"), 404);
	assert_int_equal(status_of(NULL, "/doc/1/original"), 303);
	snprintf(obj, sizeof obj, "doc:%lld", other);
	assert_true(audited("officer1", "denied", obj) >= 2);

	/* the document page links to what there is */
	snprintf(path, sizeof path, "/doc/%lld", mine);
	r = get(s_arch, path);
	assert_int_equal(r.status, 200);
	snprintf(obj, sizeof obj, "href=\"/doc/%lld/original\"", mine);
	kt_expect_in(r.body, obj);
	snprintf(obj, sizeof obj, "href=\"/doc/%lld/access.pdf\"", mine);
	kt_expect_in(r.body, obj);
	resp_free(&r);
	json_decref(doc);
}
