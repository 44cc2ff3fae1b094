/*
 * kt_status.h - the one error convention of kartoteka.
 *
 * Every function that can fail returns a graded status code, as libarchive does:
 *
 *   KT_OK      the operation succeeded
 *   KT_WARN    it succeeded, but something is worth telling (message set)
 *   KT_FAILED  this file or page cannot be done: skip it, record why, go on
 *   KT_FATAL   no more operations are possible: stop the batch
 *
 * The codes are ordered: a worse outcome is a more negative number
 * (KT_OK > KT_WARN > KT_FAILED > KT_FATAL), so `rc < KT_WARN` means "did not
 * succeed" and kt_status_worst picks the graver of two. Every `int` that a
 * public function of kartoteka returns is one of these four codes, unless its
 * comment says it returns a value instead: a count, a length, a check digit,
 * or the 1/0 of a predicate (named *_valid, *_is_*, *_has_*).
 *
 * The message is set once, where the error is found, on the handle that found
 * it (each module's handle embeds a kt_error); callers pass the code up without
 * adding text (kt_error_pass; kt_error_escalate when a callee's failure is
 * graver to the caller than to the callee), and never raise a callee's warning
 * to an error. Messages are lower case, without a full stop, and quote their
 * subject: "cannot read 'scan.tif': no such file".
 *
 * Library code never calls exit().
 */
#ifndef KT_STATUS_H
#define KT_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	KT_OK = 0,
	KT_WARN = -20,
	KT_FAILED = -25,
	KT_FATAL = -30
};

#define KT_ERRMSG_MAX 1024

/* An error slot, embedded in each handle. Zero-initialised means "no error". */
typedef struct kt_error {
	int code;
	char msg[KT_ERRMSG_MAX];
} kt_error;

/*
 * kt_error_set: record an error on the slot and return its code, so that a
 * caller can write `return kt_error_set(&h->err, KT_FAILED, "...", ...);`.
 * The message is formatted with printf rules and truncated to fit.
 */
int kt_error_set(kt_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kt_error_copy: copy another slot's code and message; returns the code. */
int kt_error_copy(kt_error *dst, const kt_error *src);

/*
 * kt_error_pass: carry a callee's outcome up to the caller's slot: when src
 * holds an error or a warning, its code and message are copied into dst
 * (which may be NULL); a clear src leaves dst as it is. Returns src's code
 * unchanged, so that a warning stays a warning:
 *   `if ((rc = kt_error_pass(&h->err, &sub->err)) < KT_WARN) return rc;`
 */
int kt_error_pass(kt_error *dst, const kt_error *src);

/*
 * kt_error_escalate: carry a callee's outcome up to the caller's slot, graded
 * as the caller must grade it (e.g. every catalog error stops a batch, so the
 * runner passes the catalog's outcome with code = KT_FATAL):
 *   dst   the caller's slot (may be NULL: only the grade is computed)
 *   src   the callee's slot, read after the call (NULL counts as clear)
 *   code  the least grave outcome a failure of the callee is to the caller
 * A clear src leaves dst as it is and returns KT_OK; a warning is passed as it
 * is (code and message, as kt_error_pass) and returns KT_WARN, so a warning is
 * never raised to an error; a failure (KT_FAILED, KT_FATAL) is passed with its
 * message and the graver of its own code and `code`, which is returned. A
 * failure is never lowered: a KT_FATAL src stays KT_FATAL whatever `code` is.
 *   `if (kt_catalog_doc_fail(c, id, why) != KT_OK &&
 *       kt_error_escalate(err, kt_catalog_error(c), KT_FATAL) < KT_WARN)
 *           return KT_FATAL;`
 */
int kt_error_escalate(kt_error *dst, const kt_error *src, int code);

/* kt_status_worst: the graver of two status codes. */
int kt_status_worst(int a, int b);

/* kt_error_clear: reset the slot to "no error". */
void kt_error_clear(kt_error *e);

/* kt_status_name: "ok", "warn", "failed" or "fatal"; a static string. */
const char *kt_status_name(int code);

#ifdef __cplusplus
}
#endif

#endif
