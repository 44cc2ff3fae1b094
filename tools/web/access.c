/*
 * access.c - kt_access.h on SQLite and libsodium: STORE/access.sqlite's
 * schema, users, sessions, and the login with its rate limit; the audit log
 * and the windows of refused logins are in access_audit.c.
 */
#include "access_private.h"
#include "kt_file.h"
#include "kt_text.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS users("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" role TEXT NOT NULL CHECK (role IN ('operator','archivist','officer','admin')),"
	" hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS sessions("
	" token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
	" csrf TEXT NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS assignments("
	" user_id INTEGER NOT NULL REFERENCES users(id), case_number TEXT NOT NULL,"
	" assigned TEXT NOT NULL, PRIMARY KEY (user_id, case_number));"
	"CREATE TABLE IF NOT EXISTS login_failures("
	" at INTEGER NOT NULL, remote TEXT NOT NULL, name TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures(at);"
	"CREATE TABLE IF NOT EXISTS login_refusals("
	" remote TEXT NOT NULL, scope TEXT NOT NULL CHECK (scope IN ('name','address')),"
	" name TEXT NOT NULL, user TEXT NOT NULL, since INTEGER NOT NULL, last INTEGER NOT NULL,"
	" count INTEGER NOT NULL, PRIMARY KEY (remote, scope, name));"
	"CREATE TABLE IF NOT EXISTS audit("
	" id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL,"
	" action TEXT NOT NULL, object TEXT NOT NULL, remote TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS audit_by_user ON audit(user, at);"
	"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/* The versions of the schema after the one above (PRAGMA user_version):
 * entry k takes a database from version k to k + 1, in one transaction. A
 * version once released is never changed: a change is a new version. */
static const char *const versions[] = {
	/* version 1 (issue 21): four-eyes erasure requests (access_erase.c);
	 * whoever decides a request that is carried out is not its requester */
	"CREATE TABLE erase_requests("
	" id INTEGER PRIMARY KEY, target TEXT NOT NULL, docs TEXT NOT NULL, kept TEXT,"
	" reason TEXT NOT NULL, requested_by TEXT NOT NULL, requested_at TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('requested','approved','refused','done','failed')),"
	" decided_by TEXT, decided_at TEXT, result TEXT,"
	" CHECK (state IN ('requested','refused') OR decided_by <> requested_by));",
	/* version 2 (issue 21): legal holds (access_hold.c); a hold is never
	 * deleted and changes once, when it is removed */
	"CREATE TABLE holds("
	" id INTEGER PRIMARY KEY, target TEXT NOT NULL, reason TEXT NOT NULL,"
	" placed_by TEXT NOT NULL, placed_at TEXT NOT NULL,"
	" removed_by TEXT, removed_at TEXT, removed_reason TEXT,"
	" CHECK (target LIKE 'doc:_%' OR target LIKE 'case:_%'),"
	" CHECK ((removed_by IS NULL) = (removed_at IS NULL)));"
	"CREATE INDEX holds_active ON holds(target) WHERE removed_at IS NULL;"
	"CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds"
	" BEGIN SELECT RAISE(ABORT, 'a legal hold is never deleted: it is removed'); END;"
	"CREATE TRIGGER holds_removed_once BEFORE UPDATE ON holds"
	" WHEN OLD.removed_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.target IS NOT OLD.target"
	" OR NEW.reason IS NOT OLD.reason OR NEW.placed_by IS NOT OLD.placed_by"
	" OR NEW.placed_at IS NOT OLD.placed_at"
	" BEGIN SELECT RAISE(ABORT, 'a legal hold changes only when it is removed, once'); END;",
};

#define N_VERSIONS ((int)(sizeof versions / sizeof versions[0]))

/* The database's schema version, or -1 on error. */
static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Bring the schema to the last version, one version per transaction (the
 * version read again under the write lock: another process may be at it
 * too). SQLITE_OK or SQLite's error code. */
static int upgrade(sqlite3 *db)
{
	char sql[64];
	int v, rc = SQLITE_OK;

	while (rc == SQLITE_OK && (v = user_version(db)) < N_VERSIONS) {
		if (v < 0)
			return SQLITE_ERROR;
		if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
			return rc;
		if ((v = user_version(db)) < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return SQLITE_ERROR;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (v < N_VERSIONS && ((rc = sqlite3_exec(db, versions[v], NULL, NULL, NULL)) != SQLITE_OK ||
				       (rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK)) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	return rc;
}

int acc_db_error(kt_access *a, const char *what)
{
	return kt_error_set(&a->err, KT_FATAL, "access database: cannot %s: %s", what,
			    sqlite3_errmsg(a->db));
}

/* A time (seconds since the epoch) as "YYYY-MM-DDTHH:MM:SSZ". */
void acc_iso_at(long long at, char out[32])
{
	time_t t = (time_t)at;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Now as "YYYY-MM-DDTHH:MM:SSZ". */
void acc_now_iso(char out[32])
{
	acc_iso_at((long long)time(NULL), out);
}

int kt_access_role_valid(const char *role)
{
	return role != NULL && (strcmp(role, "operator") == 0 || strcmp(role, "archivist") == 0 ||
				strcmp(role, "officer") == 0 || strcmp(role, "admin") == 0);
}

/* Before anything is changed: a database of a newer kartoteka is refused; one
 * of an older schema is copied whole to PATH.schema-VERSION (kept when there
 * already) before it is upgraded (docs/install.md, "Upgrades"). KT_OK or
 * KT_FATAL (err). */
static int before_upgrade(sqlite3 *db, const char *path, kt_error *err)
{
	int v = user_version(db), rc = KT_OK;
	char *copy, *sql;

	if (v > N_VERSIONS)
		return kt_error_set(err, KT_FATAL, "'%s' has schema version %d, newer than this "
				    "kartoteka (%d): use the kartoteka that made it", path, v, N_VERSIONS);
	if (v < 0 || v == N_VERSIONS ||
	    sqlite3_exec(db, "SELECT 1 FROM users LIMIT 0", NULL, NULL, NULL) != SQLITE_OK)
		return KT_OK; /* new, or nothing to upgrade */
	copy = sqlite3_mprintf("%s.schema-%d", path, v);
	sql = copy ? sqlite3_mprintf("VACUUM INTO %Q", copy) : NULL;
	if (sql == NULL)
		rc = kt_error_set(err, KT_FATAL, "out of memory");
	else if (access(copy, F_OK) != 0 && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK &&
		 access(copy, F_OK) != 0)
		rc = kt_error_set(err, KT_FATAL, "cannot copy '%s' to '%s' before upgrading it: %s",
				  path, copy, sqlite3_errmsg(db));
	sqlite3_free(sql);
	sqlite3_free(copy);
	return rc;
}

int kt_access_open(const char *store_dir, kt_access **out, kt_error *err)
{
	kt_access *a;
	char *path;
	size_t n;

	*out = NULL;
	if (sodium_init() < 0)
		return kt_error_set(err, KT_FATAL, "cannot initialise libsodium");
	a = calloc(1, sizeof *a);
	n = strlen(store_dir) + sizeof "/access.sqlite";
	path = malloc(n);
	if (a == NULL || path == NULL) {
		free(a);
		free(path);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	snprintf(path, n, "%s/access.sqlite", store_dir);
	if (sqlite3_open_v2(path, &a->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		kt_error_set(err, KT_FATAL, "cannot open '%s': %s", path,
			     a->db ? sqlite3_errmsg(a->db) : "out of memory");
		sqlite3_close(a->db);
		free(a);
		free(path);
		return KT_FATAL;
	}
	sqlite3_busy_timeout(a->db, 30000);
	if (before_upgrade(a->db, path, err) != KT_OK) {
		sqlite3_close(a->db);
		free(a);
		free(path);
		return KT_FATAL;
	}
	if (sqlite3_exec(a->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(a->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		kt_error_set(err, KT_FATAL, "cannot set up '%s': %s", path, sqlite3_errmsg(a->db));
		sqlite3_close(a->db);
		free(a);
		free(path);
		return KT_FATAL;
	}
	free(path);
	/* a database made before sessions had an idle time: they get one now */
	if (sqlite3_exec(a->db, "SELECT last_seen FROM sessions LIMIT 0", NULL, NULL, NULL) != SQLITE_OK &&
	    sqlite3_exec(a->db, "ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;"
			 "UPDATE sessions SET last_seen = created;", NULL, NULL, NULL) != SQLITE_OK) {
		kt_error_set(err, KT_FATAL, "cannot set up the sessions of '%s/access.sqlite': %s",
			     store_dir, sqlite3_errmsg(a->db));
		sqlite3_close(a->db);
		free(a);
		return KT_FATAL;
	}
	if (upgrade(a->db) != SQLITE_OK) {
		kt_error_set(err, KT_FATAL, "cannot bring '%s/access.sqlite' to schema version %d: %s",
			     store_dir, N_VERSIONS, sqlite3_errmsg(a->db));
		sqlite3_close(a->db);
		free(a);
		return KT_FATAL;
	}
	a->idle = KT_ACCESS_SESSION_IDLE;
	*out = a;
	return KT_OK;
}

/* Open uri read-only; KT_OK when a read works, else the handle is closed. */
static int open_ro(kt_access *a, const char *path, const char *query)
{
	char *uri = kt_file_uri(path, query);
	int rc = SQLITE_NOMEM;

	if (uri != NULL)
		rc = sqlite3_open_v2(uri, &a->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(a->db, 5000);
		rc = sqlite3_exec(a->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	}
	return rc == SQLITE_OK ? KT_OK : KT_FAILED;
}

int kt_access_open_readonly(const char *store_dir, kt_access **out, kt_error *err)
{
	char path[4096], wal[4200];
	struct stat st;
	kt_access *a;

	*out = NULL;
	if (snprintf(path, sizeof path, "%s/access.sqlite", store_dir) >= (int)sizeof path)
		return kt_error_set(err, KT_FATAL, "store path '%s' is too long", store_dir);
	if (stat(path, &st) != 0)
		return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", path, strerror(errno));
	if ((a = calloc(1, sizeof *a)) == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (open_ro(a, path, "mode=ro") != KT_OK && stat(wal, &st) != 0 && errno == ENOENT) {
		sqlite3_close(a->db);
		a->db = NULL;
		(void)open_ro(a, path, "immutable=1");
	}
	if (a->db == NULL || sqlite3_exec(a->db, "SELECT count(*) FROM users", NULL, NULL, NULL) != SQLITE_OK) {
		kt_error_set(err, KT_FATAL, "cannot read '%s': %s", path,
			     a->db ? sqlite3_errmsg(a->db) : "out of memory");
		sqlite3_close(a->db);
		free(a);
		return KT_FATAL;
	}
	a->idle = KT_ACCESS_SESSION_IDLE;
	*out = a;
	return KT_OK;
}

void kt_access_set_busy_timeout(kt_access *a, int ms)
{
	sqlite3_busy_timeout(a->db, ms > 0 ? ms : 0);
}

void kt_access_set_session_idle(kt_access *a, int seconds)
{
	a->idle = seconds > 0 ? seconds : 1;
}

void kt_access_free(kt_access **a)
{
	if (a == NULL || *a == NULL)
		return;
	sqlite3_close((*a)->db);
	free(*a);
	*a = NULL;
}

const char *kt_access_errmsg(const kt_access *a)
{
	return a->err.msg;
}

/* Prepare or set the error. */
sqlite3_stmt *acc_prep(kt_access *a, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK) {
		acc_db_error(a, "prepare a statement");
		return NULL;
	}
	return st;
}

void acc_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	size_t i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

static int hash_password(kt_access *a, const char *password, char out[crypto_pwhash_STRBYTES])
{
	if (password == NULL || strlen(password) < 8)
		return kt_error_set(&a->err, KT_FAILED, "the password must have at least 8 characters");
	if (crypto_pwhash_argon2id_str(out, password, strlen(password),
				       crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
				       crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
		return kt_error_set(&a->err, KT_FATAL, "cannot hash the password: out of memory");
	return KT_OK;
}

/* Run a statement that changes rows; KT_OK, or KT_FAILED with msg when no
 * row changed and msg is given. Finalizes st. */
int acc_run_change(kt_access *a, sqlite3_stmt *st, const char *what, const char *none_msg,
		   const char *subject)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return kt_error_set(&a->err, KT_FAILED, "cannot %s '%s': %s", what, subject,
				    sqlite3_errmsg(a->db));
	if (rc != SQLITE_DONE)
		return acc_db_error(a, what);
	if (none_msg != NULL && sqlite3_changes(a->db) == 0)
		return kt_error_set(&a->err, KT_FAILED, none_msg, subject);
	return KT_OK;
}

int kt_access_user_add(kt_access *a, const char *name, const char *role, const char *password)
{
	char hash[crypto_pwhash_STRBYTES], now[32];
	sqlite3_stmt *st;
	int rc;

	kt_error_clear(&a->err);
	if (!name_valid(name))
		return kt_error_set(&a->err, KT_FAILED, "a user name has 1 to 64 bytes and no control characters");
	if (!kt_access_role_valid(role))
		return kt_error_set(&a->err, KT_FAILED,
				    "unknown role '%s' (operator, archivist, officer or admin)",
				    role ? role : "");
	if ((rc = hash_password(a, password, hash)) != KT_OK)
		return rc;
	acc_now_iso(now);
	if ((st = acc_prep(a, "INSERT INTO users(name, role, hash, created) VALUES (?,?,?,?)")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, name);
	acc_bind_text(st, 2, role);
	acc_bind_text(st, 3, hash);
	acc_bind_text(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return kt_error_set(&a->err, KT_FAILED, "user '%s' exists already", name);
	if (rc != SQLITE_DONE)
		return acc_db_error(a, "add a user");
	return KT_OK;
}

static int end_sessions(kt_access *a, const char *name)
{
	sqlite3_stmt *st = acc_prep(a, "DELETE FROM sessions WHERE user_id = "
				   "(SELECT id FROM users WHERE name = ?)");

	if (st == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, name);
	return acc_run_change(a, st, "end sessions", NULL, name);
}

int kt_access_user_passwd(kt_access *a, const char *name, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	int rc;

	kt_error_clear(&a->err);
	if ((rc = hash_password(a, password, hash)) != KT_OK)
		return rc;
	if ((st = acc_prep(a, "UPDATE users SET hash = ? WHERE name = ?")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, hash);
	acc_bind_text(st, 2, name);
	if ((rc = acc_run_change(a, st, "change the password", "no user '%s'", name)) != KT_OK)
		return rc;
	return end_sessions(a, name);
}

int kt_access_user_disable(kt_access *a, const char *name)
{
	sqlite3_stmt *st;
	int rc;

	kt_error_clear(&a->err);
	if ((st = acc_prep(a, "UPDATE users SET disabled = 1 WHERE name = ?")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, name);
	if ((rc = acc_run_change(a, st, "disable the user", "no user '%s'", name)) != KT_OK)
		return rc;
	return end_sessions(a, name);
}

int kt_access_user_assign(kt_access *a, const char *name, const char *case_number)
{
	char now[32];
	sqlite3_stmt *st;

	kt_error_clear(&a->err);
	if (case_number == NULL || case_number[0] == '\0' || strlen(case_number) > 200)
		return kt_error_set(&a->err, KT_FAILED, "no case number given");
	acc_now_iso(now);
	if ((st = acc_prep(a, "INSERT OR IGNORE INTO assignments(user_id, case_number, assigned)"
			  " SELECT id, ?, ? FROM users WHERE name = ?")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, case_number);
	acc_bind_text(st, 2, now);
	acc_bind_text(st, 3, name);
	if (acc_run_change(a, st, "assign the case", NULL, name) != KT_OK)
		return KT_FATAL;
	/* nothing inserted: unknown user, or already assigned */
	if ((st = acc_prep(a, "SELECT 1 FROM users WHERE name = ?")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, name);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return kt_error_set(&a->err, KT_FAILED, "no user '%s'", name);
	}
	sqlite3_finalize(st);
	return KT_OK;
}

json_t *kt_access_user_cases(kt_access *a, const char *name)
{
	sqlite3_stmt *st = acc_prep(a, "SELECT case_number FROM assignments JOIN users ON users.id = user_id"
				   " WHERE name = ? ORDER BY case_number");
	json_t *arr;
	int rc;

	if (st == NULL)
		return NULL;
	acc_bind_text(st, 1, name);
	arr = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		acc_db_error(a, "read assignments");
		json_decref(arr);
		return NULL;
	}
	return arr;
}

json_t *kt_access_users_json(kt_access *a)
{
	sqlite3_stmt *st = acc_prep(a, "SELECT name, role, disabled, created FROM users ORDER BY name");
	json_t *arr;
	int rc;

	if (st == NULL)
		return NULL;
	arr = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		json_t *cases = kt_access_user_cases(a, name);

		json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name,
						     "role", (const char *)sqlite3_column_text(st, 1),
						     "disabled", sqlite3_column_int(st, 2),
						     "created", (const char *)sqlite3_column_text(st, 3),
						     "cases", cases ? cases : json_array()));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		acc_db_error(a, "list users");
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* SHA-256 of a token, hex. */
static void token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void random_hex(char out[65])
{
	unsigned char r[32];

	randombytes_buf(r, sizeof r);
	sodium_bin2hex(out, 65, r, sizeof r);
}

/* The failures since `since` from remote, of name only unless it is NULL:
 * their number into *n and the time of the last into *last. KT_OK or KT_FATAL. */
static int failures(kt_access *a, const char *remote, const char *name, long long since, int *n,
		    long long *last)
{
	sqlite3_stmt *st;

	if ((st = acc_prep(a, "SELECT count(*), coalesce(max(at), 0) FROM login_failures"
			  " WHERE remote = ?1 AND (?2 IS NULL OR name = ?2) AND at > ?3")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, remote);
	if (name)
		acc_bind_text(st, 2, name);
	sqlite3_bind_int64(st, 3, since);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return acc_db_error(a, "count login failures");
	}
	*n = sqlite3_column_int(st, 0);
	*last = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return KT_OK;
}

/* 1 when n failures, the last at `last`, hold the next attempt back at now:
 * from `max` failures on, for KT_ACCESS_DELAY seconds doubled with each
 * further failure, at most the window. */
static int held_back(int n, int max, long long last, long long now)
{
	long long delay;

	if (n < max)
		return 0;
	delay = n - max >= 6 ? KT_ACCESS_WINDOW : (long long)KT_ACCESS_DELAY << (n - max);
	if (delay > KT_ACCESS_WINDOW)
		delay = KT_ACCESS_WINDOW;
	return now < last + delay;
}

/* A statement on login_failures binding (now or the window's start, remote,
 * name) as its parameters 1-3; KT_OK or KT_FATAL. */
static int failures_change(kt_access *a, const char *sql, long long t, const char *remote,
			   const char *name)
{
	sqlite3_stmt *st = acc_prep(a, sql);

	if (st == NULL)
		return KT_FATAL;
	sqlite3_bind_int64(st, 1, t);
	if (remote)
		acc_bind_text(st, 2, remote);
	if (name)
		acc_bind_text(st, 3, name);
	return acc_run_change(a, st, "record login failures", NULL, "");
}

/* What is kept of a submitted name for the rate limit and its windows: at
 * most 128 bytes, cut before a character (a longer name is no user's). */
static void name_key(const char *name, char out[129])
{
	size_t n = strlen(name);

	if (n > 128) {
		n = 128;
		while (n > 0 && kt_utf8_is_cont((unsigned char)name[n]))
			n--;
	}
	memcpy(out, name, n);
	out[n] = '\0';
}

/*
 * Check a name and password from remote under the rate limit (kt_access.h,
 * kt_access_login): on success *uid and role[16] receive the user's, the
 * pair's failures are cleared and KT_OK returned; a wrong name or password
 * or a disabled user is a failure recorded and KT_FAILED; a refusal of the
 * rate limit sets *limited and is KT_FAILED (KT_FATAL when it could not be
 * recorded); KT_FATAL on database errors. The message is on the handle.
 */
static int verify(kt_access *a, const char *name, const char *password, size_t password_len,
		  const char *remote, int *limited, long long *uid, char role[16])
{
	long long now = (long long)time(NULL), since = now - KT_ACCESS_WINDOW, last_p, last_r;
	char hash[crypto_pwhash_STRBYTES] = "", key[129];
	int disabled = 1, np, nr, ok, pair;
	sqlite3_stmt *st;

	*limited = 0;
	*uid = 0;
	role[0] = '\0';
	kt_error_clear(&a->err);
	if (name == NULL)
		name = "";
	if (password == NULL) {
		password = "";
		password_len = 0;
	}
	if (remote == NULL)
		remote = "";
	name_key(name, key);
	/* forget failures older than the window; close the refusal windows
	 * that have ended */
	if (failures_change(a, "DELETE FROM login_failures WHERE at <= ?1", since, NULL, NULL) != KT_OK ||
	    acc_refusals_close(a, now, NULL, NULL) != KT_OK)
		return KT_FATAL;
	if (failures(a, remote, key, since, &np, &last_p) != KT_OK ||
	    failures(a, remote, NULL, since, &nr, &last_r) != KT_OK)
		return KT_FATAL;
	pair = held_back(np, KT_ACCESS_MAX_FAILURES, last_p, now);
	if (pair || held_back(nr, KT_ACCESS_MAX_ADDRESS_FAILURES, last_r, now)) {
		*limited = 1;
		if (acc_refusal(a, key, name, remote, !pair, now) != KT_OK)
			return KT_FATAL;
		return kt_error_set(&a->err, KT_FAILED,
				    "too many failed logins: try again in a few minutes");
	}

	if ((st = acc_prep(a, "SELECT id, hash, disabled, role FROM users WHERE name = ?")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, name);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*uid = sqlite3_column_int64(st, 0);
		snprintf(hash, sizeof hash, "%s", (const char *)sqlite3_column_text(st, 1));
		disabled = sqlite3_column_int(st, 2);
		snprintf(role, 16, "%s", (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	if (*uid != 0) {
		ok = crypto_pwhash_argon2id_str_verify(hash, password, password_len) == 0;
	} else {
		/* spend the same time on an unknown name as on a known one */
		char dummy[crypto_pwhash_STRBYTES];

		if (crypto_pwhash_argon2id_str(dummy, password, password_len,
					       crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
					       crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
			dummy[0] = '\0';
		ok = 0;
	}
	if (!ok || disabled) {
		*uid = 0;
		role[0] = '\0';
		if (failures_change(a, "INSERT INTO login_failures(at, remote, name) VALUES (?1,?2,?3)",
				    now, remote, key) != KT_OK)
			return KT_FATAL;
		return kt_error_set(&a->err, KT_FAILED, "wrong user name or password");
	}
	/* the pair starts afresh; other addresses' failures stay */
	if (failures_change(a, "DELETE FROM login_failures WHERE at <= ?1 AND remote = ?2 AND name = ?3",
			    now, remote, key) != KT_OK ||
	    acc_refusals_close(a, now, key, remote) != KT_OK)
		return KT_FATAL;
	return KT_OK;
}

int kt_access_login(kt_access *a, const char *name, const char *password, size_t password_len,
		    const char *remote, char token[65], int *limited)
{
	long long now = (long long)time(NULL), uid;
	char th[65], csrf[65], role[16];
	int lim, rc;
	sqlite3_stmt *st;

	token[0] = '\0';
	rc = verify(a, name, password, password_len, remote, &lim, &uid, role);
	if (limited != NULL)
		*limited = lim;
	if (rc != KT_OK)
		return rc;
	random_hex(token);
	random_hex(csrf);
	token_hash(token, th);
	if ((st = acc_prep(a, "INSERT INTO sessions(token_hash, user_id, csrf, created, expires, last_seen)"
			  " VALUES (?,?,?,?,?,?)")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, th);
	sqlite3_bind_int64(st, 2, uid);
	acc_bind_text(st, 3, csrf);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now + KT_ACCESS_SESSION_SECONDS);
	sqlite3_bind_int64(st, 6, now);
	if (acc_run_change(a, st, "create a session", NULL, "") != KT_OK) {
		token[0] = '\0';
		return KT_FATAL;
	}
	return KT_OK;
}

int kt_access_check(kt_access *a, const char *name, const char *password, size_t password_len,
		    const char *remote, char role[16], int *limited)
{
	long long uid;
	int lim, rc = verify(a, name, password, password_len, remote, &lim, &uid, role);

	if (limited != NULL)
		*limited = lim;
	return rc;
}

int kt_access_session(kt_access *a, const char *token, kt_access_user *u)
{
	char th[65];
	sqlite3_stmt *st;
	int rc = KT_FAILED;
	long long now = (long long)time(NULL), last_seen = 0, step;

	memset(u, 0, sizeof *u);
	if (token == NULL || strlen(token) != 64)
		return kt_error_set(&a->err, KT_FAILED, "no session");
	token_hash(token, th);
	if ((st = acc_prep(a, "SELECT name, role, csrf, last_seen FROM sessions JOIN users"
			  " ON users.id = user_id WHERE token_hash = ?1 AND expires > ?2"
			  " AND last_seen > ?2 - ?3 AND disabled = 0")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, th);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, a->idle);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(u->name, sizeof u->name, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(u->role, sizeof u->role, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(u->csrf, sizeof u->csrf, "%s", (const char *)sqlite3_column_text(st, 2));
		last_seen = sqlite3_column_int64(st, 3);
		rc = KT_OK;
	}
	sqlite3_finalize(st);
	if (rc != KT_OK)
		return kt_error_set(&a->err, KT_FAILED, "no session");
	/* the idle clock starts again; written at most every quarter of the idle
	 * time (and every minute), not on each request. A failed write (the
	 * database locked elsewhere) costs the session nothing now. */
	step = a->idle / 4 < 1 ? 1 : a->idle / 4 > 60 ? 60 : a->idle / 4;
	if (now - last_seen >= step &&
	    (st = acc_prep(a, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?")) != NULL) {
		sqlite3_bind_int64(st, 1, now);
		acc_bind_text(st, 2, th);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return KT_OK;
}

int kt_access_logout(kt_access *a, const char *token)
{
	char th[65];
	sqlite3_stmt *st;

	if (token == NULL)
		return KT_OK;
	token_hash(token, th);
	if ((st = acc_prep(a, "DELETE FROM sessions WHERE token_hash = ? OR expires <= ?")) == NULL)
		return KT_FATAL;
	acc_bind_text(st, 1, th);
	sqlite3_bind_int64(st, 2, (long long)time(NULL));
	return acc_run_change(a, st, "end the session", NULL, "");
}
