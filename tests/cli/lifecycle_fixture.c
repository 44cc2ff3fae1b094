/*
 * lifecycle_fixture.c - the store the tests of `erase` and `hold` work on
 * (lifecycle_fixture.h): made anew for each case in a temporary folder.
 */
#include "lifecycle_fixture.h"
#include "kt_buf.h"
#include "kt_status.h"
#include "kt_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char cases_csv[] =
	"case_number,personal_code,surname,given_names,birth_date,nationality,case_type,status\n"
	CASE ",220791-14729,Karimi,Ahmad,1991-07-22,AFG,residence_permit,decided\n"
	OTHER ",,Ozola,Anna,1980-01-01,LVA,asylum,open\n";

/* Standard input of the next runs: text (a password line); stdin_back()
 * puts the test's own back. */
static int saved_stdin = -1;

void stdin_from(fixture *f, const char *text)
{
	char path[700];
	int fd;

	snprintf(path, sizeof path, "%s/stdin", f->dir);
	kt_test_write_file(path, text, strlen(text));
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	if (saved_stdin < 0)
		saved_stdin = dup(0);
	assert_true(saved_stdin >= 0);
	assert_int_equal(dup2(fd, 0), 0);
	close(fd);
}

void stdin_back(void)
{
	if (saved_stdin >= 0) {
		dup2(saved_stdin, 0);
		close(saved_stdin);
		saved_stdin = -1;
	}
}

/* The password line of user name. */
const char *pw_of(const char *name)
{
	static char line[64];

	snprintf(line, sizeof line, "pw-%s-secret\n", name);
	return line;
}

/* `CMD SUB ARG --user USER [--reason REASON]` (CMD "erase" or "hold") with
 * password line pw (NULL: the user's own); the exit status must be want. */
e2e_out run_as(fixture *f, const char *cmd, const char *user, const char *pw, int want,
		      const char *sub, const char *arg, const char *reason)
{
	e2e_out o;

	stdin_from(f, pw ? pw : pw_of(user));
	if (reason != NULL)
		o = e2e_run(f->store, cmd, sub, arg, "--reason", reason, "--user", user, NULL);
	else
		o = e2e_run(f->store, cmd, sub, arg, "--user", user, NULL);
	stdin_back();
	if (o.status != want)
		fail_msg("%s %s %s --user %s: exit %d (want %d)\nstdout: %s\nstderr: %s", cmd, sub, arg,
			 user, o.status, want, o.out, o.err);
	return o;
}

void add_user(fixture *f, const char *name, const char *role)
{
	e2e_out o;

	stdin_from(f, pw_of(name));
	o = e2e_run(f->store, "user", "add", name, "--role", role, NULL);
	stdin_back();
	if (o.status != 0)
		fail_msg("user add %s: exit %d: %s", name, o.status, o.err);
	e2e_out_free(&o);
}

void lifecycle_init(char **args)
{
	E2E.kartoteka = args[0];
	E2E.samples = args[1];
	E2E.store = NULL;
	E2E.work = NULL;
}

int lifecycle_setup(void **state, const char *tag)
{
	fixture *f = calloc(1, sizeof *f);
	char csv[700];
	json_t *d;
	e2e_out o;

	assert_non_null(f);
	assert_int_equal(kt_test_mkdtemp(f->dir, sizeof f->dir, tag), 0);
	snprintf(f->store, sizeof f->store, "%s/store", f->dir);
	snprintf(f->in, sizeof f->in, "%s/in", f->dir);
	assert_int_equal(mkdir(f->in, 0755), 0);
	*state = f;
	e2e_copy_sample("pdf/lv_vestule_digital.pdf", f->in, "lv_vestule_digital.pdf", "");
	e2e_copy_sample("pdf/lv_vestule_digital.pdf", f->in, "vestule_copy.pdf", "\n"); /* other bytes */
	o = e2e_run(f->store, "ingest", "--batch", tag, f->in, NULL);
	if (o.status != 0)
		fail_msg("ingest exit %d: %s%s", o.status, o.out, o.err);
	e2e_out_free(&o);
	snprintf(csv, sizeof csv, "%s/cases.csv", f->dir);
	kt_test_write_file(csv, cases_csv, strlen(cases_csv));
	o = e2e_run(f->store, "cases", "import", csv, NULL);
	assert_int_equal(o.status, 0);
	e2e_out_free(&o);
	d = e2e_doc_of(f->store, "vestule_copy.pdf", "done");
	snprintf(f->doc1, sizeof f->doc1, "%lld", (long long)json_integer_value(json_object_get(d, "id")));
	json_decref(d);
	d = e2e_doc_of(f->store, "lv_vestule_digital.pdf", "done");
	snprintf(f->doc2, sizeof f->doc2, "%lld", (long long)json_integer_value(json_object_get(d, "id")));
	json_decref(d);
	add_user(f, "a1", "archivist");
	add_user(f, "b1", "admin");
	add_user(f, "b2", "admin");
	add_user(f, "o1", "operator");
	return 0;
}

int lifecycle_teardown(void **state)
{
	fixture *f = *state;

	stdin_back();
	kt_test_remove_tree(f->dir);
	free(f);
	return 0;
}
