/*
 * archive_export_cases.c - test_archive cases: an exported bag validates,
 * malicious tars are refused, secure extraction flags, long paths in pax
 * headers, edge cases of the handle.
 */
#include "archive_test.h"

void test_export_bag_validates(void **state)
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

void test_export_refuses_malicious(void **state)
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

void test_secure_flags_without_prescan(void **state)
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
	kt_test_remove_tree(dest);

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

void test_long_paths_use_pax(void **state)
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
	tar = kt_test_read_file(path_in(f, rel), &len);
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
	tar2 = kt_test_read_file(path_in(f, rel), &l2);
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

void test_handle_edge_cases(void **state)
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
	kt_test_write_file(file, "x", 1);
	assert_int_equal(kt_archive_open(a, file), KT_FAILED);
	assert_int_equal(kt_archive_open(a, ""), KT_FAILED);
	kt_archive_free(&a);
	assert_null(a);
	kt_archive_free(&a); /* NULL is a no-op */
	kt_archive_free(NULL);
}
