/* fault.c - the fault-injection point and the report of durable steps
 * (kt_fault.h). */
#include "kt_fault.h"
#include "kt_buf.h"
#include "kt_status.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static kt_fault_hook fault_hook;
static void *fault_arg;

void kt_fault_install(kt_fault_hook hook, void *arg)
{
	fault_arg = arg;
	fault_hook = hook;
}

int kt_fault(const char *site)
{
	return fault_hook != NULL ? fault_hook(site, fault_arg) : 0;
}

static kt_fault_observer observer;
static void *observer_arg;

void kt_fault_set_observer(kt_fault_observer fn, void *arg)
{
	observer_arg = arg;
	observer = fn;
}

int kt_fault_done(const char *step, int rc)
{
	if (rc == 0 && observer != NULL) {
		int e = errno;

		observer(step, observer_arg);
		errno = e;
	}
	return rc;
}

/* The test observer: the steps so far, and whether memory ran out. */
static kt_buf trace;
static int trace_oom;

static void trace_step(const char *step, void *arg)
{
	(void)arg;
	if ((trace.len > 0 && kt_buf_putc(&trace, ' ') != KT_OK) || kt_buf_puts(&trace, step) != KT_OK)
		trace_oom = 1;
}

void kt_fault_trace_begin(void)
{
	kt_buf_release(&trace);
	trace_oom = 0;
	kt_fault_set_observer(trace_step, NULL);
}

int kt_fault_trace_end(char **out)
{
	kt_fault_set_observer(NULL, NULL);
	*out = trace_oom ? NULL : kt_buf_detach(&trace, NULL); /* "" when no step */
	kt_buf_release(&trace);
	return *out != NULL ? KT_OK : KT_FATAL;
}

/* KT_FAULT="SITE:N": the site and how many operations pass before failures. */
static char env_site[64];
static atomic_long env_left;

static int env_hook(const char *site, void *arg)
{
	(void)arg;
	if (strcmp(site, env_site) != 0)
		return 0;
	return atomic_fetch_sub(&env_left, 1) <= 0;
}

int kt_fault_install_from_env(void)
{
	const char *v = getenv("KT_FAULT"), *colon;
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return KT_OK;
	colon = strchr(v, ':');
	if (colon == NULL || colon == v || (size_t)(colon - v) >= sizeof env_site)
		return KT_FAILED;
	n = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != '\0' || n < 0)
		return KT_FAILED;
	memcpy(env_site, v, (size_t)(colon - v));
	env_site[colon - v] = '\0';
	atomic_store(&env_left, n);
	kt_fault_install(env_hook, NULL);
	return KT_OK;
}
