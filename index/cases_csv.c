/* cases_csv.c - the RFC 4180 reader behind cases_csv.h. */
#include "cases_csv.h"
#include "kt_buf.h"
#include "kt_strv.h"
#include "kt_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kt_csv {
	FILE *f;
	char *path;
	long pos;         /* offset of the next byte to read */
	long start;       /* offset of the first record (after a byte order mark) */
	long line;        /* current line */
	long record_line; /* line where the last record began */
	long end_line;    /* line where the last record ended */
	char sep;
};

/* Why a record is malformed. */
enum { CSV_GOOD, CSV_UNCLOSED, CSV_TEXT_AFTER_QUOTE };

static int rd(kt_csv *c)
{
	int ch = getc(c->f);

	if (ch != EOF)
		c->pos++;
	return ch;
}

static void unrd(kt_csv *c, int ch)
{
	if (ch != EOF && ungetc(ch, c->f) != EOF)
		c->pos--;
}

static int seek_to(kt_csv *c, long pos, long line)
{
	clearerr(c->f);
	if (fseek(c->f, pos, SEEK_SET) != 0)
		return -1;
	c->pos = pos;
	c->line = line;
	return 0;
}

int kt_csv_open(const char *path, kt_csv **out, kt_error *err)
{
	kt_csv *c = calloc(1, sizeof *c);
	unsigned char bom[3];
	size_t got;
	int e;

	*out = NULL;
	if (c == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	c->f = fopen(path, "rb");
	if (c->f == NULL) {
		e = errno;
		free(c);
		return kt_error_set(err, KT_FAILED, "cannot open '%s': %s", path, strerror(e));
	}
	got = fread(bom, 1, 3, c->f);
	e = errno;
	if (ferror(c->f)) {
		fclose(c->f);
		free(c);
		return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", path, strerror(e));
	}
	if (got == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
		c->start = 3;
	c->sep = ',';
	if ((c->path = strdup(path)) == NULL) {
		kt_csv_free(&c);
		return kt_error_set(err, KT_FATAL, "out of memory");
	}
	if (seek_to(c, c->start, 1) != 0) {
		e = errno;
		kt_csv_free(&c);
		return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", path, strerror(e));
	}
	*out = c;
	return KT_OK;
}

char kt_csv_detect_separator(kt_csv *c, const char *const *names, int n)
{
	static const char seps[2] = { ',', ';' };
	kt_error err = { 0 };
	char **row, pick = ',';
	int k, i, j, nr, count, best = -1;

	for (k = 0; k < 2; k++) {
		c->sep = seps[k];
		if (seek_to(c, c->start, 1) != 0)
			break;
		count = 0;
		if (kt_csv_next(c, &row, &nr, &err) == KT_OK && row != NULL) {
			for (i = 0; i < nr; i++)
				for (j = 0; j < n; j++)
					count += strcmp(row[i], names[j]) == 0;
			kt_csv_row_free(&row, nr);
		}
		if (count > best) {
			best = count;
			pick = seps[k];
		}
	}
	c->sep = pick;
	(void)seek_to(c, c->start, 1); /* a failure shows at the next read */
	return pick;
}

/* The field read so far goes into the row, and the field starts again. */
static int push_field(kt_strv *row, kt_buf *b)
{
	if (kt_strv_pushn(row, kt_buf_cstr(b), b->len) != KT_OK)
		return -1;
	kt_buf_truncate(b, 0);
	return 0;
}

/* Go on at the line after qline, the line of the opening quote at qpos. */
static int skip_past_quote_line(kt_csv *c, long qpos, long qline)
{
	int ch;

	if (seek_to(c, qpos, qline) != 0)
		return -1;
	while ((ch = rd(c)) != EOF) {
		if (ch == '\r') {
			ch = rd(c);
			if (ch != '\n')
				unrd(c, ch);
			ch = '\n';
		}
		if (ch == '\n') {
			c->line++;
			break;
		}
	}
	return ferror(c->f) ? -1 : 0;
}

/* A malformed record: skipped, reading goes on after the quote's line. */
static int malformed(kt_csv *c, int why, long qpos, long qline, kt_error *err)
{
	long at = c->line;

	c->end_line = at;
	if (skip_past_quote_line(c, qpos, qline) != 0)
		return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", c->path, strerror(errno));
	if (why == CSV_TEXT_AFTER_QUOTE && at == qline)
		return kt_error_set(err, KT_WARN, "text after the closing quote of a field"
				    "; reading went on at line %ld", c->line);
	if (why == CSV_TEXT_AFTER_QUOTE)
		return kt_error_set(err, KT_WARN, "unclosed quote on line %ld (its field would run to "
				    "a quote on line %ld followed by text); reading went on at line %ld",
				    qline, at, c->line);
	return kt_error_set(err, KT_WARN, "unclosed quote on line %ld (its field would run to the end"
			    " of the file); reading went on at line %ld", qline, c->line);
}

int kt_csv_next(kt_csv *c, char ***fields, int *n, kt_error *err)
{
	kt_buf b = KT_BUF_INIT;
	kt_strv row = KT_STRV_INIT;
	int ch, quoted = 0, in_field = 0, any = 0, why = CSV_GOOD;
	long qpos = 0, qline = 0;

	*fields = NULL;
	*n = 0;
	c->record_line = c->line;
	for (;;) {
		ch = rd(c);
		if (ch == EOF) {
			if (ferror(c->f))
				goto fail_io;
			if (quoted)
				why = CSV_UNCLOSED;
			else if (!any) {
				kt_buf_release(&b);
				c->end_line = c->line;
				return KT_OK;
			}
			c->end_line = c->line;
			break;
		}
		any = 1;
		if (quoted) {
			if (ch == '"') {
				int next = rd(c);

				if (next == '"') {
					if (kt_buf_putc(&b, '"'))
						goto fail_mem;
					continue;
				}
				quoted = 0;
				if (next == EOF && ferror(c->f))
					goto fail_io;
				if (next != EOF && next != c->sep && next != '\n' && next != '\r') {
					why = CSV_TEXT_AFTER_QUOTE;
					break;
				}
				unrd(c, next);
				continue;
			}
			if (ch == '\n')
				c->line++;
			if (kt_buf_putc(&b, (char)ch))
				goto fail_mem;
			continue;
		}
		if (ch == '"' && !in_field) {
			quoted = 1;
			in_field = 1;
			qpos = c->pos;
			qline = c->line;
			continue;
		}
		if (ch == c->sep) {
			if (push_field(&row, &b))
				goto fail_mem;
			in_field = 0;
			continue;
		}
		if (ch == '\r') {
			int next = rd(c);

			if (next != '\n')
				unrd(c, next);
			ch = '\n';
		}
		if (ch == '\n') {
			c->end_line = c->line++;
			break;
		}
		in_field = 1;
		if (kt_buf_putc(&b, (char)ch))
			goto fail_mem;
	}
	if (why != CSV_GOOD) {
		kt_strv_release(&row);
		kt_buf_release(&b);
		return malformed(c, why, qpos, qline, err);
	}
	if (push_field(&row, &b))
		goto fail_mem;
	kt_buf_release(&b);
	for (size_t i = 0; i < row.n; i++)
		if (!kt_utf8_valid(row.v[i], strlen(row.v[i]))) {
			kt_strv_release(&row);
			return kt_error_set(err, KT_WARN, "not valid UTF-8");
		}
	*fields = row.v;
	*n = (int)row.n;
	return KT_OK;
fail_io:
	kt_strv_release(&row);
	kt_buf_release(&b);
	return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", c->path, strerror(errno));
fail_mem:
	kt_strv_release(&row);
	kt_buf_release(&b);
	return kt_error_set(err, KT_FATAL, "out of memory");
}

long kt_csv_line(const kt_csv *c)
{
	return c->record_line;
}

long kt_csv_last_line(const kt_csv *c)
{
	return c->end_line;
}

void kt_csv_row_free(char ***fields, int n)
{
	int i;

	if (fields == NULL || *fields == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*fields)[i]);
	free(*fields);
	*fields = NULL;
}

void kt_csv_free(kt_csv **c)
{
	if (c == NULL || *c == NULL)
		return;
	if ((*c)->f != NULL)
		fclose((*c)->f);
	free((*c)->path);
	free(*c);
	*c = NULL;
}
