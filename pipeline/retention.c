/*
 * retention.c - which documents their retention schedule makes due
 * (kt_retention, kt_pipeline.h; issue 21, docs/lifecycle.md "Retention").
 *
 * The schedule is the store's `retention = CASE_TYPE PERIOD` lines; a case's
 * period runs from its closed_date. A document is due when every case it is
 * linked to is due (a case still open, of a type with no line, or with no
 * closed_date keeps it); its due date is the latest of theirs. A document
 * linked to no case is held for review and never due.
 */
#define _GNU_SOURCE /* timegm */
#include "kt_catalog.h"
#include "kt_pipeline.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REVIEW_RULE "no case link: held for review, never erased automatically"

/* "YYYY-MM-DD" into *tm (midnight UTC); 0, or -1 when it is no date. */
static int parse_date(const char *s, struct tm *tm)
{
	int y, m, d;
	char tail;
	time_t t;

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	*tm = (struct tm){ .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	t = timegm(tm);
	/* a date that normalises to another (2023-02-30) is none */
	gmtime_r(&t, tm);
	return tm->tm_year == y - 1900 && tm->tm_mon == m - 1 && tm->tm_mday == d ? 0 : -1;
}

/* The period of case type type from the schedule ("10y"), or NULL. */
static const char *period_of(const kt_config *cfg, const char *type, long *n, char *unit)
{
	size_t i, tl = type ? strlen(type) : 0;

	for (i = 0; type && i < cfg->retention.n; i++) {
		const char *l = cfg->retention.v[i];

		if (strncmp(l, type, tl) == 0 && l[tl] == ' ' &&
		    sscanf(l + tl, " %ld%c", n, unit) == 2)
			return l + tl + strspn(l + tl, " ");
	}
	return NULL;
}

/* closed + n units, as "YYYY-MM-DD" into out (11 bytes). */
static void add_period(struct tm closed, long n, char unit, char out[11])
{
	time_t t;

	if (unit == 'y')
		closed.tm_year += (int)n;
	else if (unit == 'm')
		closed.tm_mon += (int)n;
	else
		closed.tm_mday += (int)n;
	t = timegm(&closed);
	gmtime_r(&t, &closed);
	strftime(out, 11, "%Y-%m-%d", &closed);
}

/* The entry of one document, or NULL when it is not due (why not: nothing
 * to list). New reference. */
static json_t *judge(const kt_config *cfg, json_t *doc, const char *today)
{
	json_t *cases = json_object_get(doc, "cases"), *c, *rules = json_array();
	char latest[11] = "";
	size_t i;

	if (json_array_size(cases) == 0) {
		json_decref(rules);
		return json_pack("{s:O, s:s, s:s}", "doc_id", json_object_get(doc, "id"), "state",
				 "review", "rule", REVIEW_RULE);
	}
	json_array_foreach(cases, i, c) {
		const char *type = json_string_value(json_object_get(c, "case_type"));
		const char *closed = json_string_value(json_object_get(c, "closed_date"));
		const char *period;
		char due[11], rule[512];
		struct tm tm;
		long n = 0;
		char unit = 0;

		if ((period = period_of(cfg, type, &n, &unit)) == NULL || parse_date(closed, &tm) != 0) {
			json_decref(rules);
			return NULL; /* no schedule, not closed, or no date: kept */
		}
		add_period(tm, n, unit, due);
		if (strcmp(due, today) > 0) {
			json_decref(rules);
			return NULL; /* not yet */
		}
		if (strcmp(due, latest) > 0)
			memcpy(latest, due, sizeof latest);
		snprintf(rule, sizeof rule, "%s %s after closed_date %s (case %s), due %s", type, period,
			 closed, json_string_value(json_object_get(c, "case_number")), due);
		json_array_append_new(rules, json_string(rule));
	}
	return json_pack("{s:O, s:s, s:s, s:o, s:O}", "doc_id", json_object_get(doc, "id"), "state",
			 "due", "due", latest, "rules", rules, "cases", cases);
}

int kt_retention(kt_store *s, const char *today, json_t **out, kt_error *err)
{
	kt_catalog *c = kt_store_catalog(s);
	json_t *docs, *d, *report;
	char now[11];
	struct tm tm;
	size_t i;

	*out = NULL;
	if (today == NULL) {
		time_t t = time(NULL);

		gmtime_r(&t, &tm);
		strftime(now, sizeof now, "%Y-%m-%d", &tm);
		today = now;
	} else if (parse_date(today, &tm) != 0) {
		return kt_error_set(err, KT_FAILED, "'%s' is no date (YYYY-MM-DD)", today);
	}
	if ((docs = kt_catalog_retention_docs(c)) == NULL)
		return kt_error_escalate(err, kt_catalog_error(c), KT_FATAL);
	if ((report = json_array()) == NULL) {
		json_decref(docs);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	json_array_foreach(docs, i, d) {
		json_t *e = judge(kt_store_config(s), d, today);

		if (e != NULL)
			json_array_append_new(report, e);
	}
	json_decref(docs);
	*out = report;
	return KT_OK;
}
