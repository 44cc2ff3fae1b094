/* sha_openssl.c - kt_sha.h on OpenSSL's EVP digests (the one file using libcrypto). */
#include "kt_sha.h"
#include "kt_status.h"

#include <openssl/evp.h>
#include <stdlib.h>

struct kt_sha {
	EVP_MD_CTX *ctx;
	enum kt_sha_algo algo;
};

kt_sha *kt_sha_new(enum kt_sha_algo algo)
{
	kt_sha *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->algo = algo;
	s->ctx = EVP_MD_CTX_new();
	if (s->ctx == NULL ||
	    EVP_DigestInit_ex(s->ctx, algo == KT_SHA512 ? EVP_sha512() : EVP_sha256(), NULL) != 1) {
		kt_sha_free(&s);
		return NULL;
	}
	return s;
}

int kt_sha_update(kt_sha *s, const void *data, size_t len)
{
	return EVP_DigestUpdate(s->ctx, data, len) == 1 ? KT_OK : KT_FATAL;
}

int kt_sha_final_hex(kt_sha *s, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_DigestFinal_ex(s->ctx, md, &n) != 1)
		return KT_FATAL;
	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
	return KT_OK;
}

void kt_sha_free(kt_sha **s)
{
	if (s == NULL || *s == NULL)
		return;
	EVP_MD_CTX_free((*s)->ctx);
	free(*s);
	*s = NULL;
}

int kt_sha256_hex(const void *data, size_t len, char *hex)
{
	kt_sha *s = kt_sha_new(KT_SHA256);
	int rc;

	if (s == NULL)
		return KT_FATAL;
	rc = kt_sha_update(s, data, len);
	if (rc == KT_OK)
		rc = kt_sha_final_hex(s, hex);
	kt_sha_free(&s);
	return rc;
}
