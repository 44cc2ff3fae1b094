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
	long line;        /* current line */
	long record_line; /* line where the last record began */
	int first;
};

int kt_csv_open(const char *path, kt_csv **out, kt_error *err)
{
	kt_csv *c = calloc(1, sizeof *c);

	*out = NULL;
	if (c == NULL)
		return kt_error_set(err, KT_FATAL, "out of memory");
	c->f = fopen(path, "rb");
	if (c->f == NULL) {
		int e = errno;

		free(c);
		return kt_error_set(err, KT_FAILED, "cannot open '%s': %s", path, strerror(e));
	}
	c->path = strdup(path);
	c->line = 1;
	c->first = 1;
	*out = c;
	return KT_OK;
}

/* The field read so far goes into the row, and the field starts again. */
static int push_field(kt_strv *row, kt_buf *b)
{
	if (kt_strv_pushn(row, kt_buf_cstr(b), b->len) != KT_OK)
		return -1;
	kt_buf_truncate(b, 0);
	return 0;
}

int kt_csv_next(kt_csv *c, char ***fields, int *n, kt_error *err)
{
	kt_buf b = KT_BUF_INIT;
	kt_strv row = KT_STRV_INIT;
	int ch, quoted = 0, in_field = 0, any = 0;

	*fields = NULL;
	*n = 0;
	if (c->first) {
		unsigned char bom[3];
		size_t got = fread(bom, 1, 3, c->f);

		if (!(got == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF))
			rewind(c->f);
		c->first = 0;
	}
	c->record_line = c->line;
	for (;;) {
		ch = getc(c->f);
		if (ch == EOF) {
			if (ferror(c->f))
				goto fail_io;
			if (!any) {
				kt_buf_release(&b);
				return KT_OK;
			}
			if (quoted) {
				kt_strv_release(&row);
				kt_buf_release(&b);
				return kt_error_set(err, KT_FAILED, "'%s' line %ld: quoted field not closed",
						    c->path, c->record_line);
			}
			break;
		}
		any = 1;
		if (quoted) {
			if (ch == '"') {
				int next = getc(c->f);

				if (next == '"') {
					if (kt_buf_putc(&b, '"'))
						goto fail_mem;
					continue;
				}
				if (next != EOF)
					ungetc(next, c->f);
				quoted = 0;
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
			continue;
		}
		if (ch == ',') {
			if (push_field(&row, &b))
				goto fail_mem;
			in_field = 0;
			continue;
		}
		if (ch == '\r') {
			int next = getc(c->f);

			if (next != '\n' && next != EOF)
				ungetc(next, c->f);
			ch = '\n';
		}
		if (ch == '\n') {
			c->line++;
			break;
		}
		in_field = 1;
		if (kt_buf_putc(&b, (char)ch))
			goto fail_mem;
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
	fclose((*c)->f);
	free((*c)->path);
	free(*c);
	*c = NULL;
}
