/*
 * cmd_person_export.c - `kartoteka person --export DIR --reason TEXT
 * CODE|NAME` (issue 21, "A person's own data"; docs/lifecycle.md, "Subject
 * access"): everything the store holds about one person, for a subject
 * access request, in a new folder DIR:
 *
 *   documents/ID/       each document's original (bit for bit, checked
 *                       against its SHA-256) and access copies (text, PDF),
 *                       as `kartoteka export` restores them
 *   person.json         the request (query, reason, when, by whom), the case
 *                       records with their documents, each document's whole
 *                       catalog record (fields, page text, links, versions)
 *                       and the fields held, each value with where it is held
 *   summary.txt         the same fields held, for the person to read
 *   manifest-sha256.txt every file above with its SHA-256 (`sha256sum -c`)
 *
 * The folder is written as DIR.partial-XXXXXX beside DIR and renamed to DIR
 * when complete: a killed or failed export leaves no DIR. The caller has
 * audited the export (action "person-export") before anything was read.
 */
#include "cli.h"
#include "kt_catalog.h"
#include "kt_file.h"
#include "kt_sha.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct sar {
	kt_store *s;
	const char *tmp;           /* the folder being written */
	json_t *fields;            /* {field: {value: [where, ...]}} */
	json_t *manifest;          /* [[relpath, sha256], ...] */
} sar;

/* ------------------------------------------------------ the fields held */

/* Record that field has value at where ("doc:ID", "case:NUMBER"). */
static void field_add(sar *x, const char *field, const char *value, const char *where)
{
	json_t *f = json_object_get(x->fields, field), *w;
	size_t i;
	json_t *v;

	if (value == NULL || value[0] == '\0')
		return;
	if (f == NULL) {
		f = json_object();
		json_object_set_new(x->fields, field, f);
	}
	if ((w = json_object_get(f, value)) == NULL) {
		w = json_array();
		json_object_set_new(f, value, w);
	}
	json_array_foreach(w, i, v)
		if (strcmp(json_string_value(v), where) == 0)
			return;
	json_array_append_new(w, json_string(where));
}

/* Keys of extracted metadata that hold no field of the person: the words
 * that made a type, an MRZ's raw lines and check results. */
static int skipped(const char *key)
{
	static const char *const skip[] = { "doc_type_evidence", "errors", "valid", "line1", "line2",
					    "line3", "personal_code_countries" };
	size_t i;

	for (i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (strcmp(key, skip[i]) == 0)
			return 1;
	return 0;
}

/* Every value of metadata v under the field name: strings and numbers as
 * they are, arrays value by value, an object in an array (a name) as its
 * string values joined by spaces, any other object key by key
 * ("mrz.birth_date"). */
static void walk(sar *x, const char *field, json_t *v, int in_array, const char *where)
{
	char buf[512], name[256];
	const char *k;
	json_t *e;
	size_t i, n = 0;

	if (json_is_string(v)) {
		field_add(x, field, json_string_value(v), where);
	} else if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		field_add(x, field, buf, where);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			walk(x, field, e, 1, where);
	} else if (json_is_object(v) && in_array) {
		buf[0] = '\0';
		json_object_foreach(v, k, e)
			if (json_is_string(e) && json_string_length(e) > 0 && n < sizeof buf)
				n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? " " : "",
						      json_string_value(e));
		field_add(x, field, buf, where);
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			if (skipped(k))
				continue;
			snprintf(name, sizeof name, "%s%s%s", field, field[0] ? "." : "", k);
			walk(x, name, e, 0, where);
		}
	}
}

/* ------------------------------------------------------------- writing */

/* Write a file of the export (relpath under x->tmp) and add it to the
 * manifest; a KT_EXIT_* status. */
static int put(sar *x, const char *relpath, const char *data, size_t len)
{
	char path[8192], hex[KT_SHA256_HEX];

	snprintf(path, sizeof path, "%s/%s", x->tmp, relpath);
	if (kt_sha256_hex(data, len, hex) != 0 || kt_cli_write_new("person", path, data, len) != 0)
		return KT_EXIT_FATAL;
	json_array_append_new(x->manifest, json_pack("[s, s]", relpath, hex));
	return KT_EXIT_OK;
}

/* Document id into documents/ID/ with its record in *out (new reference):
 * {"id", "folder", "files", "record"}; a KT_EXIT_* status. */
static int one_doc(sar *x, long long id, json_t **out)
{
	kt_catalog *c = kt_store_catalog(x->s);
	json_t *rec = kt_catalog_doc_json(c, id), *files = json_array(), *f;
	char folder[64], where[40], *pkg = NULL;
	size_t i;
	int rc = KT_EXIT_OK;

	*out = NULL;
	if (rec == NULL) {
		fprintf(stderr, "kartoteka person: document %lld: %s\n", id, kt_catalog_errmsg(c));
		json_decref(files);
		return KT_EXIT_SOME_FAILED;
	}
	snprintf(folder, sizeof folder, "documents/%lld", id);
	snprintf(where, sizeof where, "doc:%lld", id);
	/* a document that failed has no package: its record is what is held */
	if (kt_catalog_doc_package(c, id, &pkg) == KT_OK && pkg != NULL) {
		char dir[8192];

		snprintf(dir, sizeof dir, "%s/%s", x->tmp, folder);
		rc = kt_cli_export_doc(x->s, "person", id, pkg, dir, files);
	}
	free(pkg);
	json_array_foreach(files, i, f) {
		char rel[4096];

		snprintf(rel, sizeof rel, "%s/%s", folder, json_string_value(json_object_get(f, "name")));
		json_array_append_new(x->manifest, json_pack("[s, s]", rel,
							     json_string_value(json_object_get(f, "sha256"))));
	}
	walk(x, "", json_object_get(rec, "metadata"), 0, where);
	json_array_foreach(json_object_get(rec, "cases"), i, f)
		field_add(x, "case_numbers", json_is_string(f) ? json_string_value(f) :
			  json_string_value(json_object_get(f, "case_number")), where);
	*out = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)id, "folder", folder, "files", files,
			 "record", rec);
	return rc;
}

/* Print s into f safe to read (control characters escaped). */
static void safe(FILE *f, const char *s)
{
	kt_cli_print_safe(f, s ? s : "");
}

/* summary.txt from person.json's object p, into a malloc'd *text. */
static int summary(json_t *p, char **text, size_t *len)
{
	FILE *f = open_memstream(text, len);
	json_t *v, *e, *w;
	const char *k, *val;
	size_t i, j;

	if (f == NULL)
		return -1;
	fputs("Personal data held by kartoteka about: ", f);
	safe(f, json_string_value(json_object_get(p, "query")));
	fputs("\nExported ", f);
	safe(f, json_string_value(json_object_get(p, "exported")));
	fputs(" by ", f);
	safe(f, json_string_value(json_object_get(p, "exported_by")));
	fputs(", answering: ", f);
	safe(f, json_string_value(json_object_get(p, "reason")));
	fprintf(f, "\n\nCases (%zu)\n", json_array_size(json_object_get(p, "cases")));
	json_array_foreach(json_object_get(p, "cases"), i, v) {
		fputs("  ", f);
		safe(f, json_string_value(json_object_get(v, "case_number")));
		fputs(": documents", f);
		json_array_foreach(json_object_get(v, "documents"), j, e)
			fprintf(f, " %lld", (long long)json_integer_value(e));
		fputc('\n', f);
	}
	fprintf(f, "\nDocuments (%zu), each with its files in the folder named\n",
		json_array_size(json_object_get(p, "documents")));
	json_array_foreach(json_object_get(p, "documents"), i, v) {
		json_t *r = json_object_get(v, "record");

		fprintf(f, "  %lld  ", (long long)json_integer_value(json_object_get(v, "id")));
		safe(f, json_string_value(json_object_get(json_object_get(r, "metadata"), "doc_type")));
		fprintf(f, ", %zu page(s), %s, from ", json_array_size(json_object_get(r, "pages")),
			json_string_value(json_object_get(v, "folder")));
		safe(f, json_string_value(json_object_get(r, "source")));
		fputc('\n', f);
	}
	fputs("\nFields held, each value with where it is held\n", f);
	json_object_foreach(json_object_get(p, "fields"), k, v) {
		fputs("  ", f);
		safe(f, k);
		fputc('\n', f);
		json_object_foreach(v, val, w) {
			fputs("    ", f);
			safe(f, val);
			fputs("   (", f);
			json_array_foreach(w, j, e)
				fprintf(f, "%s%s", j ? ", " : "", json_string_value(e));
			fputs(")\n", f);
		}
	}
	fputs("\nperson.json holds the same with every record in full, including the text\n"
	      "of every page; manifest-sha256.txt lists every file with its SHA-256\n"
	      "(check with: sha256sum -c manifest-sha256.txt).\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

/* The documents of the person, in order, each once: those of each case, then
 * the unlinked ones; the cases into x's person.json cases array. */
static int doc_order(kt_catalog *c, char **cases, int n, const long long *unlinked, int nu,
		     json_t *jcases, json_t *ids)
{
	int i, k;

	for (i = 0; i < n; i++) {
		long long *ci = NULL;
		int m = 0;
		json_t *docs = json_array(), *rec;

		if (kt_catalog_case_doc_ids(c, cases[i], &ci, &m) != KT_OK) {
			fprintf(stderr, "kartoteka person: %s\n", kt_catalog_errmsg(c));
			json_decref(docs);
			return KT_EXIT_FATAL;
		}
		for (k = 0; k < m; k++) {
			json_array_append_new(docs, json_integer(ci[k]));
			json_array_append_new(ids, json_integer(ci[k]));
		}
		free(ci);
		rec = kt_catalog_case_json(c, cases[i]);
		json_array_append_new(jcases, json_pack("{s:s, s:o, s:o}", "case_number", cases[i],
							"record", rec ? rec : json_null(), "documents", docs));
	}
	for (i = 0; i < nu; i++)
		json_array_append_new(ids, json_integer(unlinked[i]));
	return KT_EXIT_OK;
}

/* Everything into x->tmp; a KT_EXIT_* status. */
static int write_all(sar *x, json_t *p, char **cases, int n, const long long *unlinked, int nu)
{
	json_t *ids = json_array(), *docs = json_object_get(p, "documents"), *v, *e;
	const char *k;
	char *text = NULL, rel[64];
	size_t i, len = 0;
	int rc, one;

	rc = doc_order(kt_store_catalog(x->s), cases, n, unlinked, nu, json_object_get(p, "cases"), ids);
	json_array_foreach(json_object_get(p, "cases"), i, v) {
		snprintf(rel, sizeof rel, "case:%.58s", json_string_value(json_object_get(v, "case_number")));
		json_object_foreach(json_object_get(v, "record"), k, e)
			if (json_is_string(e) && strcmp(k, "case_number") != 0) {
				char field[300];

				snprintf(field, sizeof field, "case record %s", k);
				field_add(x, field, json_string_value(e), rel);
			}
	}
	json_array_foreach(ids, i, v) {
		long long id = json_integer_value(v);
		size_t j, dup = 0;

		for (j = 0; j < i; j++)
			dup |= json_integer_value(json_array_get(ids, j)) == id;
		if (dup || rc == KT_EXIT_FATAL)
			continue;
		one = one_doc(x, id, &e);
		if (e != NULL)
			json_array_append_new(docs, e);
		rc = one > rc ? one : rc;
	}
	json_decref(ids);
	if (rc != KT_EXIT_OK)
		return rc;
	json_object_set(p, "fields", x->fields);
	if ((text = json_dumps(p, JSON_INDENT(1) | JSON_ENSURE_ASCII)) == NULL)
		return KT_EXIT_FATAL;
	rc = put(x, "person.json", text, strlen(text));
	free(text);
	text = NULL;
	if (rc == KT_EXIT_OK && summary(p, &text, &len) != 0)
		rc = KT_EXIT_FATAL;
	if (rc == KT_EXIT_OK)
		rc = put(x, "summary.txt", text, len);
	free(text);
	if (rc == KT_EXIT_OK) {
		FILE *f = open_memstream(&text, &len);

		json_array_foreach(x->manifest, i, v)
			fprintf(f, "%s  %s\n", json_string_value(json_array_get(v, 1)),
				json_string_value(json_array_get(v, 0)));
		rc = fclose(f) == 0 ? put(x, "manifest-sha256.txt", text, len) : KT_EXIT_FATAL;
		free(text);
	}
	return rc;
}

int kt_cli_person_export(kt_store *s, const char *query, char **cases, int n,
			 const long long *unlinked, int nu, const char *dir, const char *reason)
{
	char user[256], now[32], *tmp;
	struct stat st;
	time_t t = time(NULL);
	sar x = { .s = s, .fields = json_object(), .manifest = json_array() };
	json_t *p;
	int rc;

	if (lstat(dir, &st) == 0 || errno != ENOENT) {
		fprintf(stderr, "kartoteka person: '%s' %s: the export goes into a new folder\n", dir,
			errno == ENOENT ? "exists" : strerror(errno));
		json_decref(x.fields);
		json_decref(x.manifest);
		return KT_EXIT_SOME_FAILED;
	}
	if ((tmp = malloc(strlen(dir) + 32)) == NULL)
		return KT_EXIT_FATAL;
	sprintf(tmp, "%s", dir);
	while (strlen(tmp) > 1 && tmp[strlen(tmp) - 1] == '/')
		tmp[strlen(tmp) - 1] = '\0'; /* "out/" is "out" */
	strcat(tmp, ".partial-XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		fprintf(stderr, "kartoteka person: cannot create '%s': %s\n", tmp, strerror(errno));
		free(tmp);
		json_decref(x.fields);
		json_decref(x.manifest);
		return KT_EXIT_FATAL;
	}
	x.tmp = tmp;
	kt_cli_os_user(user, sizeof user);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	p = json_pack("{s:s, s:s, s:s, s:s, s:[], s:[]}", "query", query, "reason", reason, "exported",
		      now, "exported_by", user, "cases", "documents");
	rc = p == NULL ? KT_EXIT_FATAL : write_all(&x, p, cases, n, unlinked, nu);
	if (rc == KT_EXIT_OK && rename(tmp, dir) != 0) {
		fprintf(stderr, "kartoteka person: cannot rename '%s' to '%s': %s\n", tmp, dir,
			strerror(errno));
		rc = KT_EXIT_FATAL;
	}
	if (rc != KT_EXIT_OK) {
		kt_error err = { 0 };

		if (kt_rmtree(tmp, &err) != KT_OK)
			fprintf(stderr, "kartoteka person: %s\n", err.msg);
	} else {
		printf("exported %zu case%s and %zu document%s about ", json_array_size(json_object_get(p, "cases")),
		       json_array_size(json_object_get(p, "cases")) == 1 ? "" : "s",
		       json_array_size(json_object_get(p, "documents")),
		       json_array_size(json_object_get(p, "documents")) == 1 ? "" : "s");
		kt_cli_print_safe(stdout, query);
		printf(" into %s (%zu files)\n", dir, json_array_size(x.manifest));
	}
	json_decref(p);
	json_decref(x.fields);
	json_decref(x.manifest);
	free(tmp);
	return rc;
}
