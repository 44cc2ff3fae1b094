/*
 * test_config.c - the store's configuration file (pipeline/config.c): sizes
 * with units, numbers parsed strictly, a wrong value refused with its file,
 * line, key and value. Each case writes its file into a fresh folder.
 */
#include "kt_test.h"
#include "kt_pipeline.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Load a configuration made of `text`; returns the status, cfg filled on
 * KT_OK (caller releases), the message in err otherwise. */
static int load(const char *text, kt_config *cfg, kt_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int rc;

	assert_int_equal(kt_test_mkdtemp(dir, sizeof dir, "config"), 0);
	snprintf(path, sizeof path, "%s/kartoteka.conf", dir);
	kt_test_write_file(path, text, strlen(text));
	kt_error_clear(err);
	rc = kt_config_load(cfg, path, err);
	kt_test_remove_tree(dir);
	return rc;
}

static void test_sizes(void **state)
{
	static const struct {
		const char *v;
		long long bytes;
	} ok[] = {
		{ "2147483648", 2147483648LL }, { "2G", 2147483648LL }, { "2 GiB", 2147483648LL },
		{ "2GB", 2147483648LL }, { "500M", 500LL << 20 }, { "64k", 64LL << 10 },
		{ "1T", 1LL << 40 }, { "7B", 7 }, { "1", 1 },
	};
	kt_config cfg;
	kt_error err;
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(text, sizeof text, "max_file_bytes = %s\n", ok[i].v);
		if (load(text, &cfg, &err) != KT_OK)
			fail_msg("'%s' refused: %s", ok[i].v, err.msg);
		if (cfg.max_file_bytes != ok[i].bytes)
			fail_msg("'%s' read as %lld, not %lld", ok[i].v, cfg.max_file_bytes, ok[i].bytes);
		kt_config_release(&cfg);
	}
}

static void test_bad_values(void **state)
{
	static const char *const bad[] = {
		"max_file_bytes = 2 bytes", "max_file_bytes = abc", "max_file_bytes = -1",
		"max_file_bytes = 1.5G", "max_file_bytes = 0", "max_file_bytes = ",
		"max_file_bytes = 99999999999999999999", "max_file_bytes = 9000000000T",
		"max_file_bytes = 2GG", "max_pixels = 100M", "max_pixels = 1e8", "max_pixels = -5",
	};
	kt_config cfg;
	kt_error err;
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *value = strchr(bad[i], '=') + 2, *key_end = strchr(bad[i], ' ');
		char key[32];

		snprintf(key, sizeof key, "%.*s", (int)(key_end - bad[i]), bad[i]);
		snprintf(text, sizeof text, "# comment\n\n%s\n", bad[i]);
		if (load(text, &cfg, &err) != KT_FATAL)
			fail_msg("'%s' accepted", bad[i]);
		kt_expect_in(err.msg, "kartoteka.conf' line 3");
		kt_expect_in(err.msg, key);
		if (*value)
			kt_expect_in(err.msg, value);
	}
}

static void test_defaults_and_unknown_key(void **state)
{
	kt_config cfg;
	kt_error err;

	(void)state;
	assert_int_equal(load("organisation = Archive\n", &cfg, &err), KT_OK);
	assert_int_equal(cfg.max_file_bytes, 2147483648LL);
	assert_int_equal(cfg.case_patterns.n, 1);
	kt_config_release(&cfg);
	assert_int_equal(load("max_files = 3\n", &cfg, &err), KT_FATAL);
	kt_expect_in(err.msg, "unknown key 'max_files'");
}

static const kt_test_case cases[] = {
	KT_TEST(sizes),
	KT_TEST(bad_values),
	KT_TEST(defaults_and_unknown_key),
};

int main(int argc, char **argv)
{
	static const kt_test_program prog = { "test_config", cases, KT_N_CASES(cases), NULL, 0, 0, NULL };

	return kt_test_main(&prog, argc, argv);
}
