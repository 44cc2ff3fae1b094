/*
 * archive_verify_cases.c - test_archive cases: write and verify a clean
 * package, one-bit flips in every file, damaged headers, missing, extra and
 * duplicate entries, truncated tars, a wrong Payload-Oxum, mutant bags.
 */
#include "archive_test.h"

/* ---- cases ---- */

void test_write_verify_clean(void **state)
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

	tar = kt_test_read_file(path_in(f, rel), &len);
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

void test_flip_each_file(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	size_t len;
	unsigned char *tar;
	tent t[64];
	int nt, checked = 0;

	write_ok(f, &p, &rel);
	tar = kt_test_read_file(path_in(f, rel), &len);
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
			kt_test_write_file(path_in(f, rel), tar, len);
			if (verify(f, rel, &pr) != KT_FAILED || !has_problem(&pr, file, NULL)) {
				fprintf(stderr, "flip of bit %02x at byte %zu of '%s' not named:\n", bit, b, file);
				dump(&pr);
				fail();
			}
			tar[at] ^= bit;
			checked++;
		}
	}
	kt_test_write_file(path_in(f, rel), tar, len);
	verify_clean(f, rel);
	assert_true(checked > 1000);
	free(tar);
	free(rel);
}

void test_named_messages_on_flips(void **state)
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
	tar = kt_test_read_file(path_in(f, rel), &len);

	d = tar_get(tar, len, "data/text/page-0001.txt", &n);
	tar[d - tar] ^= 1;
	kt_test_write_file(path_in(f, rel), tar, len);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "data/text/page-0001.txt",
	                        "content does not match its sha256 and sha512 digests"));
	assert_int_equal(pr.n, 1);
	tar[d - tar] ^= 1;

	/* The first digit of the first line of manifest-sha512.txt: the manifest is
	 * blamed, not the payload file. */
	d = tar_get(tar, len, "manifest-sha512.txt", &n);
	tar[d - tar] = (unsigned char)(d[0] == '0' ? '1' : '0');
	kt_test_write_file(path_in(f, rel), tar, len);
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
		t2 = kt_test_read_file(path_in(f, rel), &l2);
		d = tar_get(t2, l2, "tagmanifest-sha256.txt", &n);
		t2[d - t2] = (unsigned char)(d[0] == '0' ? '1' : '0');
		kt_test_write_file(path_in(f, rel), t2, l2);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "tagmanifest-sha256.txt", "has a wrong sha256 digest for 'bagit.txt'"));
		assert_int_equal(pr.n, 1);
		free(t2);
	}
	free(rel);
}

void test_damaged_header_unreadable(void **state)
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
	tar = kt_test_read_file(path_in(f, rel), &len);
	nt = tar_walk(tar, len, t, 64);
	assert_true(nt > 3);
	tar[t[3].hdr + 10] ^= 0x04; /* a name byte of the manifest-sha256.txt header */
	kt_test_write_file(path_in(f, rel), tar, len);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "", "unreadable tar"));
	free(tar);
	free(rel);
}

void test_delete_payload_entry(void **state)
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

void test_extra_payload_entry(void **state)
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

void test_duplicate_and_stray_entries(void **state)
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

void test_truncated_tar(void **state)
{
	fx *f = *state;
	kt_archive_package p = make_pkg();
	char *rel = NULL;
	size_t len;
	unsigned char *tar;
	probs pr;

	write_ok(f, &p, &rel);
	tar = kt_test_read_file(path_in(f, rel), &len);
	assert_non_null(tar);
	/* Cut in the middle of a file's bytes and in the middle of a header. */
	{
		tent t[64];
		int nt = tar_walk(tar, len, t, 64);
		kt_test_write_file(path_in(f, rel), tar, t[nt - 1].off + t[nt - 1].size / 2);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "", "unreadable tar"));
		kt_test_write_file(path_in(f, rel), tar, t[2].hdr + 300);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "", "unreadable tar"));
	}
	/* Cut anywhere: never clean, never a crash. */
	for (size_t cut = 0; cut < len; cut += 97) {
		tent t[64];
		int nt = tar_walk(tar, len, t, 64);
		size_t end_of_data = t[nt - 1].off + t[nt - 1].size;
		kt_test_write_file(path_in(f, rel), tar, cut);
		if (cut >= end_of_data)
			continue; /* only the end-of-archive padding is gone */
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	}
	kt_test_write_file(path_in(f, rel), "", 0);
	assert_int_equal(verify(f, rel, &pr), KT_FAILED);
	assert_true(has_problem(&pr, "", "unreadable tar"));
	free(tar);
	free(rel);
}

void test_wrong_payload_oxum(void **state)
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
	tar = kt_test_read_file(path_in(f, rel), &len);
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

void test_mutant_bags(void **state)
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
	tar = kt_test_read_file(path_in(f, rel), &len);
	assert_non_null(tar);

	{ /* bagit.txt with a BOM */
		edit ed[] = { { EDIT_REPLACE, "bagit.txt", bom, 0 } };
		rebuild_retagged(f, ed, 1);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "bagit.txt", "byte order mark"));
		kt_test_write_file(path_in(f, rel), tar, len);
	}
	{ /* no payload manifest */
		edit ed[] = { { EDIT_DROP, "manifest-sha256.txt", NULL, 0 } };
		rebuild_retagged(f, ed, 1);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "manifest-sha256.txt", "is missing"));
		kt_test_write_file(path_in(f, rel), tar, len);
	}
	{ /* no bagit.txt */
		edit ed[] = { { EDIT_DROP, "bagit.txt", NULL, 0 } };
		rebuild_retagged(f, ed, 1);
		assert_int_equal(verify(f, rel, &pr), KT_FAILED);
		assert_true(has_problem(&pr, "bagit.txt", "is missing"));
		kt_test_write_file(path_in(f, rel), tar, len);
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
		kt_test_write_file(path_in(f, rel), tar, len);
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
		kt_test_write_file(path_in(f, rel), tar, len);
	}
	verify_clean(f, rel);
	free(tar);
	free(rel);
}
