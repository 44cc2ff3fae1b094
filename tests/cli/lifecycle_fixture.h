/*
 * lifecycle_fixture.h - the store the tests of `erase` and `hold` work on
 * (issue 21), made for each case in a temporary folder: the born-digital
 * letter of case PMLP-LV-2023-004571 (no OCR) and the same letter with one
 * more byte, both linked to that case; the case records of it and of
 * PMLP-LV-2022-000001; users a1 (archivist), b1 and b2 (admins), o1
 * (operator), each with the password "pw-NAME-secret".
 */
#ifndef KT_LIFECYCLE_FIXTURE_H
#define KT_LIFECYCLE_FIXTURE_H

#include "e2e.h"

#define CASE "PMLP-LV-2023-004571"
#define OTHER "PMLP-LV-2022-000001"

typedef struct fixture {
	char dir[512];
	char store[600];
	char in[600];
	char doc1[32];   /* the letter with one more byte */
	char doc2[32];   /* the letter as it is */
} fixture;

/* Standard input of the next runs: text (a password line); stdin_back()
 * puts the test's own back. */
void stdin_from(fixture *f, const char *text);
void stdin_back(void);

/* The password line of user name (a static buffer). */
const char *pw_of(const char *name);

/* `CMD SUB ARG --user USER [--reason REASON]` (CMD "erase" or "hold") with
 * password line pw (NULL: the user's own); the exit status must be want. */
e2e_out run_as(fixture *f, const char *cmd, const char *user, const char *pw, int want,
	       const char *sub, const char *arg, const char *reason);

/* `user add NAME --role ROLE` with the user's password; must succeed. */
void add_user(fixture *f, const char *name, const char *role);

/* The program's arguments KARTOTEKA SAMPLES into E2E (its kt_test_program
 * init). */
void lifecycle_init(char **args);

/* cmocka setup and teardown: the store above, its folder named after tag
 * (also the batch's name); the folder removed. */
int lifecycle_setup(void **state, const char *tag);
int lifecycle_teardown(void **state);

#endif
