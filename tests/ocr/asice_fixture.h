/*
 * asice_fixture.h - e-signed containers (ASiC-E: .edoc, .asice) made by the
 * tests at run time (no binary blobs): the ZIP written with libarchive, the
 * manifest and the XAdES signature files as text, the signer's certificate a
 * self-signed one made with OpenSSL, whose subject the test chooses. Shared
 * by the ocr unit tests (test_container.c) and the end-to-end tests.
 */
#ifndef KT_ASICE_FIXTURE_H
#define KT_ASICE_FIXTURE_H

#include <stddef.h>

/* One entry of a ZIP. */
typedef struct asice_fx_file {
	const char *name;
	const void *data;
	size_t len;
	int store;           /* 1: stored, 0: deflated */
} asice_fx_file;

/* A ZIP of the n files in order; malloc'd, *len its size. Never NULL. */
unsigned char *asice_fx_zip(const asice_fx_file *files, int n, size_t *len);

/* A self-signed certificate, base64 DER (malloc'd): its subject has CN cn
 * (UTF-8) when cn is not NULL, and givenName, surname when not NULL. */
char *asice_fx_cert(const char *cn, const char *given, const char *surname);

/* A XAdES signatures file (asic:XAdESSignatures, malloc'd) with one
 * ds:Signature: references to the n URIs, the certificate, signing_time
 * (as written into xades:SigningTime). */
char *asice_fx_signature(const char *cert_b64, const char *signing_time,
			 const char *const *uris, int n);

/* META-INF/manifest.xml (malloc'd) listing the n paths with their media types. */
char *asice_fx_manifest(const char *const *paths, const char *const *types, int n);

/* A data file of a container. */
typedef struct asice_fx_data {
	const char *name, *type;   /* path in the ZIP, media type in the manifest */
	const void *data;
	size_t len;
} asice_fx_data;

/* A whole container: "mimetype" (stored, first), the manifest listing the
 * data files in the order given, the data files in ZIP order (reverse when
 * reverse is 1, so that the two orders differ), and signatures0.xml signed
 * by cn at signing_time covering every data file. malloc'd, *len. */
unsigned char *asice_fx_container(const asice_fx_data *files, int n, int reverse,
				  const char *cn, const char *signing_time, size_t *len);

#endif
