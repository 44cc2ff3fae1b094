/*
 * cases_csv.h - an RFC 4180 CSV reader for the case records export: quoted
 * fields (with "" for a quote, separators and line breaks inside), CRLF or LF
 * line ends, a UTF-8 byte order mark skipped, ',' or ';' as the separator
 * (what spreadsheets set to Latvian or Lithuanian write), invalid UTF-8
 * refused by record.
 *
 * A malformed record does not end the file. A quoted field that is not closed
 * by the end of the file, or whose closing quote is followed by anything but
 * a separator or a line end, makes its record malformed: the record is
 * skipped (KT_WARN) and reading goes on at the line after the one where that
 * field's quote opened, so that one stray quote costs one record.
 */
#ifndef KT_CASES_CSV_H
#define KT_CASES_CSV_H

#include "kt_status.h"

typedef struct kt_csv kt_csv;

/* kt_csv_open: open a CSV file (separator ','); caller frees with
 * kt_csv_free. KT_FAILED with the file named when it cannot be opened. */
int kt_csv_open(const char *path, kt_csv **out, kt_error *err);

/*
 * kt_csv_detect_separator: before the first kt_csv_next, read the first
 * record split at ',' and at ';' and keep the separator that splits it into
 * more of the names[0..n) (',' when neither does better). The file is read
 * again from its start by the next kt_csv_next.
 * \return the separator chosen, ',' or ';'.
 */
char kt_csv_detect_separator(kt_csv *csv, const char *const *names, int n);

/*
 * kt_csv_next: read the next record.
 *   *fields receives a malloc'd array of *n malloc'd strings (free with
 *   kt_csv_row_free), or NULL at the end of the file.
 * Returns KT_OK; KT_WARN when a record was skipped (*fields is NULL): not
 * valid UTF-8, or a malformed quoted field (see above); err holds the reason
 * without file or line, kt_csv_line the line where the record began.
 * KT_FAILED when the file cannot be read (the message names it), KT_FATAL
 * when out of memory.
 */
int kt_csv_next(kt_csv *csv, char ***fields, int *n, kt_error *err);

/* kt_csv_line: the line number where the last record started (1-based). */
long kt_csv_line(const kt_csv *csv);

/* kt_csv_last_line: the line where the last record ended (more than
 * kt_csv_line when a quoted field holds line breaks). */
long kt_csv_last_line(const kt_csv *csv);

void kt_csv_row_free(char ***fields, int n);
void kt_csv_free(kt_csv **csv);

#endif
