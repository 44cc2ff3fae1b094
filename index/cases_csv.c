/* cases_csv.c - the RFC 4180 reader behind cases_csv.h. */
#include "cases_csv.h"
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

typedef struct buf {
	char *s;
	size_t len, cap;
} buf;

static int buf_add(buf *b, int ch)
{
	if (b->len + 1 >= b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *s = realloc(b->s, cap);

		if (s == NULL)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	b->s[b->len++] = (char)ch;
	b->s[b->len] = '\0';
	return 0;
}

static int push_field(char ***fields, int *n, buf *b)
{
	char **g = realloc(*fields, (size_t)(*n + 1) * sizeof **fields);

	if (g == NULL)
		return -1;
	*fields = g;
	g[*n] = b->s ? b->s : strdup("");
	if (g[*n] == NULL)
		return -1;
	(*n)++;
	memset(b, 0, sizeof *b);
	return 0;
}

int kt_csv_next(kt_csv *c, char ***fields, int *n, kt_error *err)
{
	buf b = { 0 };
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
			if (!any)
				return KT_OK;
			if (quoted) {
				kt_csv_row_free(fields, *n);
				free(b.s);
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
					if (buf_add(&b, '"'))
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
			if (buf_add(&b, ch))
				goto fail_mem;
			continue;
		}
		if (ch == '"' && !in_field) {
			quoted = 1;
			in_field = 1;
			continue;
		}
		if (ch == ',') {
			if (push_field(fields, n, &b))
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
		if (buf_add(&b, ch))
			goto fail_mem;
	}
	if (push_field(fields, n, &b))
		goto fail_mem;
	{
		int i;

		for (i = 0; i < *n; i++)
			if (!kt_utf8_valid((*fields)[i], strlen((*fields)[i]))) {
				kt_csv_row_free(fields, *n);
				*n = 0;
				return kt_error_set(err, KT_WARN, "not valid UTF-8");
			}
	}
	return KT_OK;
fail_io:
	kt_csv_row_free(fields, *n);
	free(b.s);
	return kt_error_set(err, KT_FAILED, "cannot read '%s': %s", c->path, strerror(errno));
fail_mem:
	kt_csv_row_free(fields, *n);
	free(b.s);
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
