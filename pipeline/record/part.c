/*
 * part.c - a record's "part" (record_private.h): which pages of its original
 * file a document is, when separator sheets divide one scan into several
 * documents (issue 9, docs/cases.md "Separator sheets"):
 *
 *   "part": {"n": 2, "of": 3, "pages": [5, 7], "separator": "KT-SEP-0002"}
 *
 * n and of count from 1; pages are the first and last page of the original
 * (1-based) that the document's pages are, in order; separator is the code
 * of the sheet before it (null for a part that no sheet begins).
 */
#include "record_private.h"

#include <stdlib.h>

json_t *kt_rec_part_json(const kt_doc *d)
{
	return json_pack("{s:i, s:i, s:[i,i], s:o}", "n", d->part, "of", d->parts, "pages",
			 d->first_page, d->last_page, "separator", kt_rec_str_or_null(d->separator));
}

int kt_rec_part_from_json(const json_t *v, kt_doc *d, kt_error *err)
{
	json_int_t n = 0, of = 0, first = 0, last = 0;
	json_t *sep = NULL;
	json_error_t je;

	if (!json_is_object(v) ||
	    json_unpack_ex((json_t *)v, &je, 0, "{s:I, s:I, s:[I,I], s?o}", "n", &n, "of", &of,
			   "pages", &first, &last, "separator", &sep) != 0)
		return kt_error_set(err, KT_FAILED, "document record: 'part' must be an object "
				    "with integers n, of and pages [first, last]");
	if (n < 1 || of < n || of > 1000000 || first < 1 || last < first || last > 1000000)
		return kt_error_set(err, KT_FAILED, "document record: 'part' must have 1 <= n <= of "
				    "and 1 <= pages[0] <= pages[1], not n %lld of %lld, pages %lld-%lld",
				    (long long)n, (long long)of, (long long)first, (long long)last);
	if (sep != NULL && !json_is_null(sep) && !json_is_string(sep))
		return kt_error_set(err, KT_FAILED, "document record: 'part.separator' must be a "
				    "string or null");
	d->part = (int)n;
	d->parts = (int)of;
	d->first_page = (int)first;
	d->last_page = (int)last;
	return kt_doc_str_set(&d->separator, json_is_string(sep) ? json_string_value(sep) : NULL);
}
