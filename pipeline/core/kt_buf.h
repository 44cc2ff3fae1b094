/*
 * kt_buf.h - the one growable byte buffer of kartoteka (as git's strbuf and
 * libarchive's archive_string): a value struct, always NUL-terminated once
 * anything was added.
 *
 *   kt_buf b = KT_BUF_INIT;
 *   if (kt_buf_puts(&b, "x") != KT_OK) ... out of memory
 *   use b.s, b.len; then kt_buf_release(&b) or kt_buf_detach(&b, &len)
 */
#ifndef KT_BUF_H
#define KT_BUF_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kt_buf {
	char *s;     /* the bytes, NUL-terminated whenever not NULL; NULL until the
	                buffer first takes memory (an add or a reserve) */
	size_t len;  /* bytes held, without the NUL */
	size_t cap;  /* bytes allocated */
} kt_buf;

#define KT_BUF_INIT { NULL, 0, 0 }

/* kt_buf_add: append len bytes (they may hold NULs). KT_OK, or KT_FATAL when
 * out of memory (the buffer is left as it was). */
int kt_buf_add(kt_buf *b, const void *data, size_t len);
/* kt_buf_puts: append a C string. KT_OK or KT_FATAL. */
int kt_buf_puts(kt_buf *b, const char *s);
/* kt_buf_putc: append one byte. KT_OK or KT_FATAL. */
int kt_buf_putc(kt_buf *b, char c);
/* kt_buf_printf: append printf-formatted text. KT_OK or KT_FATAL. */
int kt_buf_printf(kt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* kt_buf_vprintf: kt_buf_printf with a va_list. KT_OK or KT_FATAL. */
int kt_buf_vprintf(kt_buf *b, const char *fmt, va_list ap);
/* kt_buf_reserve: make room for `more` bytes beyond len. KT_OK or KT_FATAL. */
int kt_buf_reserve(kt_buf *b, size_t more);
/* kt_buf_truncate: keep the first len bytes (len <= b->len). */
void kt_buf_truncate(kt_buf *b, size_t len);
/* kt_buf_cstr: the bytes as a C string: "" while the buffer is empty;
 * borrowed until the next change to the buffer. */
const char *kt_buf_cstr(const kt_buf *b);
/* kt_buf_detach: hand the bytes over (malloc'd, NUL-terminated, never NULL
 * unless out of memory); the buffer is empty after. Caller frees with free().
 * *len (when not NULL) receives the length. */
char *kt_buf_detach(kt_buf *b, size_t *len);
/* kt_buf_release: free the bytes; the buffer is empty and reusable after. */
void kt_buf_release(kt_buf *b);

#ifdef __cplusplus
}
#endif

#endif
