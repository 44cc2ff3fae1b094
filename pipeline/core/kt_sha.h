/*
 * kt_sha.h - message digests (SHA-256, SHA-512) through OpenSSL's EVP API.
 *
 * Digests are returned as lower-case hexadecimal strings in caller-owned
 * buffers of KT_SHA256_HEX (65) or KT_SHA512_HEX (129) bytes.
 */
#ifndef KT_SHA_H
#define KT_SHA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_SHA256_HEX 65
#define KT_SHA512_HEX 129

typedef struct kt_sha kt_sha;

enum kt_sha_algo { KT_SHA256, KT_SHA512 };

/* kt_sha_new: start an incremental digest; NULL on allocation failure.
 * Caller frees with kt_sha_free. */
kt_sha *kt_sha_new(enum kt_sha_algo algo);
/* kt_sha_update: feed bytes; returns KT_OK, or KT_FATAL on a library failure. */
int kt_sha_update(kt_sha *s, const void *data, size_t len);
/* kt_sha_final_hex: finish and write the hex digest into hex (KT_SHA256_HEX or
 * KT_SHA512_HEX bytes, by algorithm); the handle may not be updated after.
 * Returns KT_OK or KT_FATAL. */
int kt_sha_final_hex(kt_sha *s, char *hex);
/* kt_sha_free: free the handle and set *s to NULL; NULL is a no-op. */
void kt_sha_free(kt_sha **s);

/* kt_sha256_hex: one-shot SHA-256 of a buffer into hex[KT_SHA256_HEX].
 * Returns KT_OK, or KT_FATAL (out of memory, library failure). */
int kt_sha256_hex(const void *data, size_t len, char *hex);

#ifdef __cplusplus
}
#endif

#endif
