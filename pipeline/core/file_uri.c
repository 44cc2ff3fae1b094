/*
 * file_uri.c - the "file:" URI of a path (kt_file.h), for SQLite's URI file
 * names (read-only and immutable opens of the catalog and the access
 * database).
 */
#include "kt_file.h"

#include <stdlib.h>
#include <string.h>

char *kt_file_uri(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), q = query != NULL ? strlen(query) + 1 : 0, k = 5, i;
	char *u = malloc(5 + 3 * n + q + 1);

	if (u == NULL)
		return NULL;
	memcpy(u, "file:", 5);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("/._-~", c) != NULL) {
			u[k++] = (char)c;
		} else {
			u[k++] = '%';
			u[k++] = hex[c >> 4];
			u[k++] = hex[c & 15];
		}
	}
	if (query != NULL) {
		u[k++] = '?';
		memcpy(u + k, query, q - 1);
		k += q - 1;
	}
	u[k] = '\0';
	return u;
}
