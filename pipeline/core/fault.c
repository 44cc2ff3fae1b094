/* fault.c - the fault-injection point (kt_fault.h). */
#include "kt_fault.h"
#include "kt_status.h"

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
