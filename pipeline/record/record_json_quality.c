/*
 * record_json_quality.c - a page's "quality" (issue 19): what an operator
 * looks at to decide on a rescan, measured when the page was recognised.
 *
 *   "quality": {"paper": 246, "ink": 41, "cut": {"words": 2, "edges": ["right"]}}
 *
 * paper and ink are grey levels (0 black, 255 white) of the scan's
 * background and text, ink null when the page holds too little to tell;
 * cut: recognised words touching the page's edge, and which edges. Written
 * only for a measured page, optional when read (records from before lack
 * it). Kept apart from record_json.c for its length.
 */
#include "record_private.h"

#include <string.h>

static const char *const edge_names[4] = { "left", "top", "right", "bottom" };

json_t *kt_rec_quality_json(const kt_doc_page *p)
{
	json_t *edges = json_array(), *cut = json_object(), *o = json_object();
	int i;

	if (edges == NULL || cut == NULL || o == NULL) {
		json_decref(edges);
		json_decref(cut);
		json_decref(o);
		return NULL;
	}
	for (i = 0; i < 4; i++)
		if (p->cut_edges & (1 << i))
			json_array_append_new(edges, json_string(edge_names[i]));
	json_object_set_new(cut, "words", json_integer(p->cut_words));
	json_object_set_new(cut, "edges", edges);
	json_object_set_new(o, "paper", json_integer(p->paper));
	json_object_set_new(o, "ink", p->ink >= 0 ? json_integer(p->ink) : json_null());
	json_object_set_new(o, "cut", cut);
	return o;
}

/* an integer 0-255 at key of o into *out (null allowed when nullable: -1) */
static int level(const json_t *o, const char *key, int nullable, int *out)
{
	json_t *v = json_object_get(o, key);

	if (nullable && json_is_null(v)) {
		*out = -1;
		return 1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 255)
		return 0;
	*out = (int)json_integer_value(v);
	return 1;
}

int kt_rec_quality_from_json(const json_t *v, const char *path, kt_doc_page *p, kt_error *err)
{
	json_t *cut = json_object_get(v, "cut"), *words = json_object_get(cut, "words");
	json_t *edges = json_object_get(cut, "edges"), *e;
	size_t i;
	int k;

	if (!json_is_object(v) || !level(v, "paper", 0, &p->paper) || !level(v, "ink", 1, &p->ink) ||
	    !json_is_object(cut) || !json_is_integer(words) || json_integer_value(words) < 0 ||
	    json_integer_value(words) > 1000000 || !json_is_array(edges))
		return kt_error_set(err, KT_FAILED, "document record: '%s' is not an object of"
				    " paper 0-255, ink 0-255 or null and cut {words, edges}", path);
	p->cut_words = (int)json_integer_value(words);
	p->cut_edges = 0;
	json_array_foreach(edges, i, e) {
		for (k = 0; k < 4 && !(json_is_string(e) && strcmp(json_string_value(e), edge_names[k]) == 0); k++)
			;
		if (k == 4)
			return kt_error_set(err, KT_FAILED, "document record: '%s.cut.edges[%zu]' is"
					    " not left, top, right or bottom", path, i);
		p->cut_edges |= 1 << k;
	}
	p->measured = 1;
	return KT_OK;
}
