/*
 * route_download.c - a document's files to take away: /doc/{id}/original
 * (the file as it was scanned or sent, bit for bit), /doc/{id}/access.pdf
 * (the searchable PDF of the package; a born-digital PDF original is its
 * own) and
 * /doc/{id}/text.txt (the document's text). Each is read from the archive
 * package (checked against its manifest; the original also against the
 * document's SHA-256 in the catalog), named as `kartoteka export` names it
 * (kt_package_export_plan), role-checked as the document page (web_load_doc:
 * an officer only for their own cases, an operator never) and audited
 * ("download", "doc:ID original") before anything leaves.
 */
#include "web_private.h"

#include "kt_archive.h"
#include "kt_catalog.h"
#include "kt_sha.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum what { ORIGINAL, ACCESS, TEXT };

static const char *const what_name[] = { "original", "access", "text" };

/* The MIME type of an original of this format (the record's "format"). */
static const char *original_type(const char *format)
{
	static const struct {
		const char *format, *type;
	} types[] = {
		{ "tiff", "image/tiff" }, { "png", "image/png" }, { "jpeg", "image/jpeg" },
		{ "pdf", "application/pdf" }, { "asice", "application/vnd.etsi.asic-e+zip" },
	};
	size_t i;

	for (i = 0; format != NULL && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(format, types[i].format) == 0)
			return types[i].type;
	return "application/octet-stream";
}

int web_plan_find(const kt_package_export_file *plan, int n, enum kt_package_file_kind kind,
		  const char *ext)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t len = strlen(plan[i].data_path), el = ext ? strlen(ext) : 0;

		if (plan[i].kind == kind && len >= el && strcmp(plan[i].data_path + len - el, ext ? ext : "") == 0)
			return i;
	}
	return -1;
}

static int download(web_req *r, const web_params *p, enum what what)
{
	kt_catalog *c = kt_store_catalog(r->w->store);
	kt_archive *a = kt_store_archive(r->w->store);
	kt_package_export_file *plan = NULL;
	char *package = NULL, *format = NULL, sha[KT_SHA256_HEX], got[KT_SHA256_HEX], obj[96];
	void *data = NULL;
	size_t len = 0;
	kt_doc *doc;
	long long id;
	int n = 0, k, ret;

	if (!web_load_doc(r, p->str[0], &doc, &id))
		return 1;
	snprintf(sha, sizeof sha, "%s", doc->sha256 ? doc->sha256 : "");
	if (doc->format != NULL)
		format = strdup(doc->format);
	kt_doc_free(&doc);
	if (kt_catalog_doc_package(c, id, &package) != KT_OK ||
	    kt_package_export_plan(a, package, NULL, &plan, &n) != KT_OK) {
		free(package);
		free(format);
		return web_error(r, 404, "this document has no archive package");
	}
	k = web_plan_find(plan, n, what == ORIGINAL ? KT_PACKAGE_FILE_ORIGINAL
				   : what == ACCESS ? KT_PACKAGE_FILE_ACCESS : KT_PACKAGE_FILE_TEXT,
			  what == ACCESS ? ".pdf" : NULL);
	/* a born-digital PDF is its own access copy (no second PDF is made) */
	if (k < 0 && what == ACCESS && format != NULL && strcmp(format, "pdf") == 0)
		k = web_plan_find(plan, n, KT_PACKAGE_FILE_ORIGINAL, NULL);
	if (k < 0) {
		ret = web_error(r, 404, what == ACCESS ? "this document has no access copy"
						      : "this document has no text");
		goto out;
	}
	snprintf(obj, sizeof obj, "doc:%lld %s", id, what_name[what]);
	if (web_audit(r, "download", obj) != KT_OK) {
		ret = web_error(r, 500, "cannot write the audit log");
		goto out;
	}
	if (kt_archive_read_file(a, package, plan[k].data_path, &data, &len) != KT_OK) {
		ret = web_error(r, 500, kt_archive_error(a)->msg);
		goto out;
	}
	if (what == ORIGINAL && (kt_sha256_hex(data, len, got) != KT_OK || strcmp(got, sha) != 0)) {
		ret = web_error(r, 500, "the original in the archive does not match the catalog's "
				"SHA-256: run kartoteka verify");
		goto out;
	}
	ret = web_send_file(r, what == ORIGINAL ? original_type(format)
			       : what == ACCESS ? "application/pdf" : "text/plain; charset=utf-8",
			    data, len, plan[k].name);
out:
	free(data);
	kt_package_export_plan_free(&plan, n);
	free(package);
	free(format);
	return ret;
}

int route_download_original(web_req *r, const web_params *p)
{
	return download(r, p, ORIGINAL);
}

int route_download_access(web_req *r, const web_params *p)
{
	return download(r, p, ACCESS);
}

int route_download_text(web_req *r, const web_params *p)
{
	return download(r, p, TEXT);
}
