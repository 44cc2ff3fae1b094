/*
 * asice_fixture.c - e-signed containers made at run time (asice_fixture.h).
 */
#include "asice_fixture.h"
#include "kt_buf.h"
#include "kt_status.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static la_ssize_t sink_write(struct archive *a, void *user, const void *buf, size_t n)
{
	(void)a;
	if (kt_buf_add(user, buf, n) != KT_OK)
		abort();
	return (la_ssize_t)n;
}

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "asice_fixture: %s failed\n", what);
		abort();
	}
}

unsigned char *asice_fx_zip(const asice_fx_file *files, int n, size_t *len)
{
	struct archive *a = archive_write_new();
	kt_buf s = KT_BUF_INIT;
	int i;

	must(a != NULL, "archive_write_new");
	must(archive_write_set_format_zip(a) == ARCHIVE_OK, "zip format");
	must(archive_write_add_filter_none(a) == ARCHIVE_OK, "no filter");
	archive_write_set_bytes_in_last_block(a, 1); /* no padding after the ZIP */
	must(archive_write_open(a, &s, NULL, sink_write, NULL) == ARCHIVE_OK, "open");
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		if (files[i].store)
			archive_write_zip_set_compression_store(a);
		else
			archive_write_zip_set_compression_deflate(a);
		archive_entry_set_pathname(e, files[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)files[i].len);
		archive_entry_set_mtime(e, 1700000000, 0);
		must(archive_write_header(a, e) == ARCHIVE_OK, "header");
		if (files[i].len > 0)
			must(archive_write_data(a, files[i].data, files[i].len) ==
			     (la_ssize_t)files[i].len, "data");
		archive_entry_free(e);
	}
	must(archive_write_close(a) == ARCHIVE_OK, "close");
	archive_write_free(a);
	return (unsigned char *)kt_buf_detach(&s, len);
}

char *asice_fx_cert(const char *cn, const char *given, const char *surname)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *nm;
	unsigned char *der = NULL;
	char *b64;
	int n;

	must(key != NULL && x != NULL, "key");
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_set_pubkey(x, key);
	nm = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(nm, "C", MBSTRING_UTF8, (const unsigned char *)"LV", -1, -1, 0);
	if (surname != NULL)
		X509_NAME_add_entry_by_NID(nm, NID_surname, MBSTRING_UTF8,
					   (const unsigned char *)surname, -1, -1, 0);
	if (given != NULL)
		X509_NAME_add_entry_by_NID(nm, NID_givenName, MBSTRING_UTF8,
					   (const unsigned char *)given, -1, -1, 0);
	if (cn != NULL)
		X509_NAME_add_entry_by_NID(nm, NID_commonName, MBSTRING_UTF8,
					   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, nm);
	must(X509_sign(x, key, EVP_sha256()) > 0, "sign");
	n = i2d_X509(x, &der);
	must(n > 0, "i2d_X509");
	b64 = malloc((size_t)n * 2 + 4);
	must(b64 != NULL, "malloc");
	EVP_EncodeBlock((unsigned char *)b64, der, n);
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(key);
	return b64;
}

/* printf into a new string */
static char *fmt(size_t cap, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmt(size_t cap, const char *f, ...)
{
	char *s = malloc(cap);
	va_list ap;

	must(s != NULL, "malloc");
	va_start(ap, f);
	must(vsnprintf(s, cap, f, ap) < (int)cap, "vsnprintf");
	va_end(ap);
	return s;
}

char *asice_fx_signature(const char *cert_b64, const char *signing_time,
			 const char *const *uris, int n)
{
	size_t cap = strlen(cert_b64) + 8192 + (size_t)n * 512;
	char *refs = calloc(1, cap), *s;
	int i;

	must(refs != NULL, "calloc");
	for (i = 0; i < n; i++)
		snprintf(refs + strlen(refs), cap - strlen(refs),
			 "<ds:Reference Id=\"r-%d\" URI=\"%s\"><ds:DigestMethod Algorithm="
			 "\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AAAA"
			 "</ds:DigestValue></ds:Reference>\n", i, uris[i]);
	s = fmt(cap,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<asic:XAdESSignatures xmlns:asic=\"http://uri.etsi.org/02918/v1.2.1#\" "
		"xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" "
		"xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\">\n"
		"<ds:Signature Id=\"S0\"><ds:SignedInfo>"
		"<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\"/>"
		"<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>\n"
		"%s<ds:Reference Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#S0-SP\">"
		"<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
		"<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>\n"
		"<ds:SignatureValue Id=\"S0-SIG\">AAAA</ds:SignatureValue>\n"
		"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n%s\n</ds:X509Certificate>"
		"</ds:X509Data></ds:KeyInfo>\n"
		"<ds:Object><xades:QualifyingProperties Target=\"#S0\">"
		"<xades:SignedProperties Id=\"S0-SP\"><xades:SignedSignatureProperties>"
		"<xades:SigningTime>%s</xades:SigningTime>"
		"</xades:SignedSignatureProperties></xades:SignedProperties>"
		"</xades:QualifyingProperties></ds:Object></ds:Signature>\n"
		"</asic:XAdESSignatures>\n", refs, cert_b64, signing_time);
	free(refs);
	return s;
}

char *asice_fx_manifest(const char *const *paths, const char *const *types, int n)
{
	size_t cap = 1024 + (size_t)n * 512;
	char *s = calloc(1, cap);
	int i;

	must(s != NULL, "calloc");
	snprintf(s, cap, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:"
		 "manifest:1.0\" manifest:version=\"1.2\">\n<manifest:file-entry manifest:full-path="
		 "\"/\" manifest:media-type=\"application/vnd.etsi.asic-e+zip\"/>\n");
	for (i = 0; i < n; i++)
		snprintf(s + strlen(s), cap - strlen(s), "<manifest:file-entry manifest:full-path="
			 "\"%s\" manifest:media-type=\"%s\"/>\n", paths[i], types[i]);
	snprintf(s + strlen(s), cap - strlen(s), "</manifest:manifest>\n");
	return s;
}

unsigned char *asice_fx_container(const asice_fx_data *files, int n, int reverse,
				  const char *cn, const char *signing_time, size_t *len)
{
	static const char mime[] = "application/vnd.etsi.asic-e+zip";
	const char **paths = calloc((size_t)n + 1, sizeof *paths);
	const char **types = calloc((size_t)n + 1, sizeof *types);
	asice_fx_file *z = calloc((size_t)n + 3, sizeof *z);
	char *manifest, *cert, *sig;
	unsigned char *out;
	int i;

	must(paths != NULL && types != NULL && z != NULL, "calloc");
	for (i = 0; i < n; i++) {
		paths[i] = files[i].name;
		types[i] = files[i].type;
	}
	manifest = asice_fx_manifest(paths, types, n);
	cert = asice_fx_cert(cn, NULL, NULL);
	sig = asice_fx_signature(cert, signing_time, paths, n);
	z[0] = (asice_fx_file){ "mimetype", mime, sizeof mime - 1, 1 };
	z[1] = (asice_fx_file){ "META-INF/manifest.xml", manifest, strlen(manifest), 0 };
	for (i = 0; i < n; i++) {
		const asice_fx_data *f = &files[reverse ? n - 1 - i : i];

		z[2 + i] = (asice_fx_file){ f->name, f->data, f->len, 0 };
	}
	z[2 + n] = (asice_fx_file){ "META-INF/signatures0.xml", sig, strlen(sig), 0 };
	out = asice_fx_zip(z, n + 3, len);
	free(manifest);
	free(cert);
	free(sig);
	free(z);
	free(paths);
	free(types);
	return out;
}
