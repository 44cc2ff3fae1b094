/*
 * cases_csv.h - an RFC 4180 CSV reader for the case records export: quoted
 * fields (with "" for a quote, commas and line breaks inside), CRLF or LF line
 * ends, a UTF-8 byte order mark skipped, invalid UTF-8 refused by line.
 */
#ifndef KT_CASES_CSV_H
#define KT_CASES_CSV_H

#include "kt_status.h"

typedef struct kt_csv kt_csv;

/* kt_csv_open: open a CSV file; caller frees with kt_csv_free. */
int kt_csv_open(const char *path, kt_csv **out, kt_error *err);

/*
 * kt_csv_next: read the next record.
 *   *fields receives a malloc'd array of *n malloc'd strings (free with
 *   kt_csv_row_free), or NULL at the end of the file.
 * Returns KT_OK; KT_WARN when the record was read but is not valid UTF-8
 * (the record is skipped, *fields is NULL, the reason is in err); KT_FAILED
 * for an unreadable file or an unclosed quote (the message names the file and
 * line).
 */
int kt_csv_next(kt_csv *csv, char ***fields, int *n, kt_error *err);

/* kt_csv_line: the line number where the last record started (1-based). */
long kt_csv_line(const kt_csv *csv);

void kt_csv_row_free(char ***fields, int n);
void kt_csv_free(kt_csv **csv);

#endif
