/*
 * gen_util.c - the small helpers of kt_gen_samples: die(), formatted
 * strings, the splitmix64 PRNG (never rand(), so every run makes the same
 * files), string lists, and files and folders that die on error.
 */
#include "gen_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ------------------------------------------------------------------------ */
/* Errors and strings.                                                       */

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kt_gen_samples: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        die("out of memory");
    memcpy(p, s, n);
    return p;
}

char *vfmt(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        die("formatted text too long: '%s'", fmt);
    return xstrdup(buf);
}

/* ------------------------------------------------------------------------ */
/* Deterministic PRNG: splitmix64.                                           */

uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
int rng_range(Rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int)(rng_next(r) % span);
}

/* ------------------------------------------------------------------------ */
/* String lists.                                                             */

void sl_add(StrList *l, const char *f, ...)
{
    if (l->n >= MAX_LIST)
        die("list full");
    va_list ap;
    va_start(ap, f);
    l->v[l->n++] = vfmt(f, ap);
    va_end(ap);
}

int sl_has(const StrList *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates. */
void sl_sort_unique(StrList *l)
{
    qsort(l->v, (size_t)l->n, sizeof l->v[0], cmp_str);
    int j = 0;
    for (int i = 0; i < l->n; i++) {
        if (j > 0 && strcmp(l->v[j - 1], l->v[i]) == 0) {
            free(l->v[i]);
            continue;
        }
        l->v[j++] = l->v[i];
    }
    l->n = j;
}

void sl_free(StrList *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    l->n = 0;
}

/* ------------------------------------------------------------------------ */
/* Files.                                                                    */

FILE *xfopen(const char *path, const char *mode)
{
    FILE *f = fopen(path, mode);
    if (!f)
        die("cannot open '%s': %s", path, strerror(errno));
    return f;
}

void xfclose(FILE *f, const char *path)
{
    if (ferror(f) | fclose(f))
        die("cannot write '%s'", path);
}

void xmkdir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("cannot create '%s': %s", path, strerror(errno));
}

