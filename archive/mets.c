/*
 * mets.c - metadata/mets.xml of a package: METS 1.12 with PREMIS 3 objects,
 * agents and events, and the extracted fields in a dmdSec (kt_archive_mets).
 *
 * Everything that comes from a document (names, text, field values, keys) is
 * XML-escaped: markup characters become references, characters XML 1.0 does
 * not allow (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) and bytes
 * that are not UTF-8 become '?'. The output depends only on its input, so a
 * package built twice at the same time has the same bytes.
 */
#include "archive_private.h"
#include "kt_sha.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Append s[0..len) escaped for element content and attribute values. */
static int put_esc_n(kt_buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int r = 0;

	while (i < len && r == 0) {
		unsigned char c = p[i];
		size_t n;

		if (c < 0x80) {
			switch (c) {
			case '&': r = kt_buf_puts(b, "&amp;"); break;
			case '<': r = kt_buf_puts(b, "&lt;"); break;
			case '>': r = kt_buf_puts(b, "&gt;"); break;
			case '"': r = kt_buf_puts(b, "&quot;"); break;
			case '\'': r = kt_buf_puts(b, "&apos;"); break;
			/* kept literally, but as references so attribute values keep them */
			case '\t': r = kt_buf_puts(b, "&#9;"); break;
			case '\n': r = kt_buf_puts(b, "&#10;"); break;
			case '\r': r = kt_buf_puts(b, "&#13;"); break;
			default: r = kt_buf_add(b, c < 0x20 || c == 0x7f ? "?" : (const char *)&p[i], 1);
			}
			i++;
			continue;
		}
		n = kt_utf8_len(p + i, len - i);
		/* U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters */
		if (n == 0 || (n == 3 && c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE)) {
			r = kt_buf_add(b, "?", 1);
			i += n ? n : 1;
			continue;
		}
		r = kt_buf_add(b, p + i, n);
		i += n;
	}
	return r;
}

static int put_esc(kt_buf *b, const char *s)
{
	return put_esc_n(b, s ? s : "", s ? strlen(s) : 0);
}

/* <tag>escaped text</tag>, with the indentation given. */
static int put_elem(kt_buf *b, int indent, const char *tag, const char *text)
{
	int r = kt_buf_printf(b, "%*s<%s>", indent, "", tag);

	r |= put_esc(b, text);
	r |= kt_buf_printf(b, "</%s>\n", tag);
	return r;
}

static void iso_time(long long t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 21, "1970-01-01T00:00:00Z");
}

static const char *mime_of(const char *path)
{
	static const struct { const char *ext, *mime; } m[] = {
		{ ".tif", "image/tiff" }, { ".tiff", "image/tiff" }, { ".png", "image/png" },
		{ ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" }, { ".txt", "text/plain" },
		{ ".json", "application/json" }, { ".xml", "application/xml" },
		{ ".pdf", "application/pdf" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot && i < sizeof m / sizeof m[0]; i++)
		if (strcasecmp(dot, m[i].ext) == 0)
			return m[i].mime;
	return "application/octet-stream";
}

static const char *format_mime(const char *format)
{
	if (format == NULL)
		return NULL;
	if (strcmp(format, "tiff") == 0)
		return "image/tiff";
	if (strcmp(format, "png") == 0)
		return "image/png";
	if (strcmp(format, "jpeg") == 0)
		return "image/jpeg";
	if (strcmp(format, "pdf") == 0)
		return "application/pdf";
	if (strcmp(format, "asice") == 0)
		return "application/vnd.etsi.asic-e+zip";
	return NULL;
}

/* The fileGrp USE of a payload path: its first folder, upper case. */
static void use_of(const char *path, char *out, size_t size)
{
	size_t i;

	for (i = 0; path[i] && path[i] != '/' && i + 1 < size; i++)
		out[i] = (char)(path[i] >= 'a' && path[i] <= 'z' ? path[i] - 32 : path[i]);
	out[i] = '\0';
	if (path[i] != '/')
		snprintf(out, size, "OTHER");
}

/* The extracted fields, one element per JSON value, keys as attributes. */
static int put_json(kt_buf *b, int indent, const char *key, json_t *v)
{
	int r = kt_buf_printf(b, "%*s<kt:", indent, "");
	const char *tag = json_is_object(v) ? "map" : json_is_array(v) ? "list" :
			  json_is_string(v) ? "string" : json_is_integer(v) || json_is_real(v) ? "number" :
			  json_is_boolean(v) ? "boolean" : "null";

	r |= kt_buf_puts(b, tag);
	if (key != NULL) {
		r |= kt_buf_puts(b, " key=\"");
		r |= put_esc(b, key);
		r |= kt_buf_puts(b, "\"");
	}
	if (json_is_object(v) || json_is_array(v)) {
		size_t n = json_is_object(v) ? json_object_size(v) : json_array_size(v);

		if (n == 0)
			return r | kt_buf_puts(b, "/>\n");
		r |= kt_buf_puts(b, ">\n");
		if (json_is_object(v)) {
			/* keys sorted: the output does not depend on insertion order */
			const char **keys = malloc(n * sizeof *keys);
			const char *k;
			json_t *x;
			size_t i = 0, j;

			if (keys == NULL)
				return -1;
			json_object_foreach(v, k, x)
				keys[i++] = k;
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
					const char *t = keys[j];

					keys[j] = keys[j - 1];
					keys[j - 1] = t;
				}
			for (i = 0; i < n && r == 0; i++)
				r |= put_json(b, indent + 2, keys[i], json_object_get(v, keys[i]));
			free(keys);
		} else {
			size_t i;
			json_t *x;

			json_array_foreach(v, i, x)
				r |= put_json(b, indent + 2, NULL, x);
		}
		return r | kt_buf_printf(b, "%*s</kt:%s>\n", indent, "", tag);
	}
	if (json_is_null(v))
		return r | kt_buf_puts(b, "/>\n");
	r |= kt_buf_puts(b, ">");
	if (json_is_string(v))
		r |= put_esc_n(b, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v))
		r |= kt_buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		r |= kt_buf_printf(b, "%.17g", json_real_value(v));
	else
		r |= kt_buf_puts(b, json_is_true(v) ? "true" : "false");
	return r | kt_buf_printf(b, "</kt:%s>\n", tag);
}

/* One PREMIS event in its own digiprovMD. */
typedef struct mets_event {
	const char *type, *detail, *outcome, *note;
	const char *agent;           /* agent identifier value; NULL: the software */
	const char *object;          /* linked object (bag path); NULL: none */
	const char *object_role;
} mets_event;

typedef struct mets_ctx {
	kt_buf *b;
	char time[21];
	char obj_id[96];             /* e.g. "kt-00000012-v1" */
	const char *software;
	int n_events;
} mets_ctx;

static int put_event(mets_ctx *m, const mets_event *e)
{
	kt_buf *b = m->b;
	int r;

	m->n_events++;
	r = kt_buf_printf(b, "    <mets:digiprovMD ID=\"event-%d\">\n"
			     "      <mets:mdWrap MDTYPE=\"PREMIS:EVENT\">\n"
			     "        <mets:xmlData>\n"
			     "          <premis:event>\n"
			     "            <premis:eventIdentifier>\n"
			     "              <premis:eventIdentifierType>local</premis:eventIdentifierType>\n"
			     "              <premis:eventIdentifierValue>", m->n_events);
	r |= put_esc(b, m->obj_id);
	r |= kt_buf_printf(b, "-event-%d</premis:eventIdentifierValue>\n"
			      "            </premis:eventIdentifier>\n", m->n_events);
	r |= put_elem(b, 12, "premis:eventType", e->type);
	r |= put_elem(b, 12, "premis:eventDateTime", m->time);
	if (e->detail) {
		r |= kt_buf_puts(b, "            <premis:eventDetailInformation>\n");
		r |= put_elem(b, 14, "premis:eventDetail", e->detail);
		r |= kt_buf_puts(b, "            </premis:eventDetailInformation>\n");
	}
	r |= kt_buf_puts(b, "            <premis:eventOutcomeInformation>\n");
	r |= put_elem(b, 14, "premis:eventOutcome", e->outcome);
	if (e->note) {
		r |= kt_buf_puts(b, "              <premis:eventOutcomeDetail>\n");
		r |= put_elem(b, 16, "premis:eventOutcomeDetailNote", e->note);
		r |= kt_buf_puts(b, "              </premis:eventOutcomeDetail>\n");
	}
	r |= kt_buf_puts(b, "            </premis:eventOutcomeInformation>\n"
			    "            <premis:linkingAgentIdentifier>\n"
			    "              <premis:linkingAgentIdentifierType>local</premis:linkingAgentIdentifierType>\n");
	r |= put_elem(b, 14, "premis:linkingAgentIdentifierValue", e->agent ? e->agent : m->software);
	r |= put_elem(b, 14, "premis:linkingAgentRole", "executing program");
	r |= kt_buf_puts(b, "            </premis:linkingAgentIdentifier>\n");
	if (e->object) {
		r |= kt_buf_puts(b, "            <premis:linkingObjectIdentifier>\n"
				    "              <premis:linkingObjectIdentifierType>local</premis:linkingObjectIdentifierType>\n");
		r |= put_elem(b, 14, "premis:linkingObjectIdentifierValue", e->object);
		r |= put_elem(b, 14, "premis:linkingObjectRole", e->object_role ? e->object_role : "source");
		r |= kt_buf_puts(b, "            </premis:linkingObjectIdentifier>\n");
	}
	r |= kt_buf_puts(b, "          </premis:event>\n"
			    "        </mets:xmlData>\n"
			    "      </mets:mdWrap>\n"
			    "    </mets:digiprovMD>\n");
	return r;
}

static int put_agent(mets_ctx *m, int n, const char *id, const char *name, const char *type,
		     const char *note)
{
	kt_buf *b = m->b;
	int r = kt_buf_printf(b, "    <mets:digiprovMD ID=\"agent-%d\">\n"
				 "      <mets:mdWrap MDTYPE=\"PREMIS:AGENT\">\n"
				 "        <mets:xmlData>\n"
				 "          <premis:agent>\n"
				 "            <premis:agentIdentifier>\n"
				 "              <premis:agentIdentifierType>local</premis:agentIdentifierType>\n", n);

	r |= put_elem(b, 14, "premis:agentIdentifierValue", id);
	r |= kt_buf_puts(b, "            </premis:agentIdentifier>\n");
	r |= put_elem(b, 12, "premis:agentName", name);
	r |= put_elem(b, 12, "premis:agentType", type);
	if (note)
		r |= put_elem(b, 12, "premis:agentNote", note);
	r |= kt_buf_puts(b, "          </premis:agent>\n"
			    "        </mets:xmlData>\n"
			    "      </mets:mdWrap>\n"
			    "    </mets:digiprovMD>\n");
	return r;
}

/* Distinct page languages of the record, '+'-joined, in page order. */
static void page_langs(const kt_doc *doc, char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < doc->n_pages; i++) {
		const char *l = doc->pages[i].lang;
		size_t ll;
		const char *hit;

		if (l == NULL || l[0] == '\0')
			continue;
		ll = strlen(l);
		for (hit = strstr(out, l); hit; hit = strstr(hit + 1, l))
			if ((hit == out || hit[-1] == '+') && (hit[ll] == '\0' || hit[ll] == '+'))
				break;
		if (hit || len + ll + 2 > size)
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "+" : "", l);
	}
}

/* The extracted fields as JSON, or NULL when the record has none ({}). */
static json_t *fields_of(const kt_doc *doc, int *oom)
{
	const kt_doc_meta *m = &doc->meta;
	json_t *j;

	*oom = 0;
	if (m->has == 0 && m->doc_type == NULL && m->mrz == NULL && json_object_size(m->extra) == 0)
		return NULL;
	j = kt_doc_meta_to_json(m);
	*oom = j == NULL;
	return j;
}

/* The page number n of a payload path ".../page-NNNN.<ext>", or 0. */
static int page_of(const char *path)
{
	const char *s = strrchr(path, '/');
	int n = 0, k = 0;

	s = s ? s + 1 : path;
	if (strncmp(s, "page-", 5) != 0)
		return 0;
	for (s += 5; *s >= '0' && *s <= '9' && k < 9; s++, k++)
		n = n * 10 + (*s - '0');
	return k > 0 && *s == '.' ? n : 0;
}

static int cmp_file(const void *x, const void *y)
{
	return strcmp((*(const kt_archive_file *const *)x)->path, (*(const kt_archive_file *const *)y)->path);
}

int kt_archive_mets(kt_archive *a, const kt_doc *doc, const kt_archive_mets_info *info,
		    const kt_archive_file *in_files, int n_files, char **xml_out)
{
	kt_archive_mets_info none = { 0 };
	kt_buf b = { 0 };
	mets_ctx m = { .b = &b };
	char (*sha)[KT_SHA256_HEX] = NULL;
	const kt_archive_file **f = NULL;
	char langs[128], detail[512], note[256], use[32], prev_use[32] = "";
	const char *sha_rec, *format, *engine, *batch, *orig = NULL, *orig_sha = NULL;
	const char *org;
	char *source = NULL;
	long long id;
	int i, r = 0, version, npages, oom;
	json_t *meta = NULL;

	*xml_out = NULL;
	kt_error_clear(&a->err);
	if (info == NULL)
		info = &none;
	if (doc == NULL)
		return kt_error_set(&a->err, KT_FAILED, "mets: no document record");
	if (n_files < 0 || (n_files > 0 && in_files == NULL))
		return kt_error_set(&a->err, KT_FAILED, "mets: no file list");
	for (i = 0; i < n_files; i++) {
		const char *why;

		if (in_files[i].path == NULL || kt_bag_check_payload_path(in_files[i].path, &why) != 0)
			return kt_error_set(&a->err, KT_FAILED, "mets: file %d: '%s' is not a payload path",
					    i, in_files[i].path ? in_files[i].path : "(null)");
	}
	/* listed sorted by path, as the manifests list them */
	f = malloc(((size_t)n_files + 1) * sizeof *f);
	if (f == NULL)
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	for (i = 0; i < n_files; i++)
		f[i] = &in_files[i];
	qsort(f, (size_t)n_files, sizeof *f, cmp_file);
	for (i = 1; i < n_files; i++)
		if (strcmp(f[i - 1]->path, f[i]->path) == 0) {
			kt_error_set(&a->err, KT_FAILED, "mets: '%s' is listed twice", f[i]->path);
			free(f);
			return KT_FAILED;
		}
	id = doc->id;
	version = info->version > 0 ? info->version : 1;
	sha_rec = doc->sha256;
	format = doc->format;
	engine = info->ocr_engine ? info->ocr_engine : doc->ocr_engine;
	batch = doc->batch;
	source = kt_doc_source_escape(doc);
	meta = fields_of(doc, &oom);
	if (source == NULL || oom) {
		free(source);
		json_decref(meta);
		free(f);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	org = info->organisation && info->organisation[0] ? info->organisation : NULL;
	m.software = info->software && info->software[0] ? info->software : "kartoteka";
	iso_time(info->event_time > 0 ? info->event_time : (long long)time(NULL), m.time);
	snprintf(m.obj_id, sizeof m.obj_id, "kt-%08lld-v%d", id, version);
	npages = (int)doc->n_pages;
	if (info->ocr_languages && info->ocr_languages[0])
		snprintf(langs, sizeof langs, "%s", info->ocr_languages);
	else
		page_langs(doc, langs, sizeof langs);

	sha = calloc((size_t)n_files + 1, sizeof *sha);
	if (sha == NULL) {
		free(f);
		free(source);
		json_decref(meta);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	for (i = 0; i < n_files; i++) {
		if (kt_sha256_hex(f[i]->data ? f[i]->data : "", f[i]->len, sha[i]) != 0) {
			free(sha);
			free(f);
			free(source);
			json_decref(meta);
			return kt_error_set(&a->err, KT_FATAL, "mets: cannot compute SHA-256");
		}
		if (orig == NULL && kt_package_is_original(f[i]->path)) {
			orig = f[i]->path;
			orig_sha = sha[i];
		}
	}

	r |= kt_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\""
			     " xmlns:premis=\"http://www.loc.gov/premis/v3\""
			     " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
			     " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
			     " xmlns:kt=\"urn:kartoteka:fields:1\""
			     " xsi:schemaLocation=\"http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd"
			     " http://www.loc.gov/premis/v3 http://www.loc.gov/standards/premis/premis.xsd\""
			     " OBJID=\"");
	r |= put_esc(&b, m.obj_id);
	r |= kt_buf_puts(&b, "\" TYPE=\"document\" LABEL=\"");
	r |= put_esc(&b, source);
	r |= kt_buf_printf(&b, "\">\n  <mets:metsHdr CREATEDATE=\"%s\">\n", m.time);
	if (org) {
		r |= kt_buf_puts(&b, "    <mets:agent ROLE=\"CREATOR\" TYPE=\"ORGANIZATION\">\n");
		r |= put_elem(&b, 6, "mets:name", org);
		r |= kt_buf_puts(&b, "    </mets:agent>\n");
	}
	r |= kt_buf_puts(&b, "    <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\">\n");
	r |= put_elem(&b, 6, "mets:name", m.software);
	r |= kt_buf_puts(&b, "    </mets:agent>\n"
			     "    <mets:altRecordID TYPE=\"sha256\">");
	r |= put_esc(&b, sha_rec);
	r |= kt_buf_printf(&b, "</mets:altRecordID>\n"
			       "    <mets:altRecordID TYPE=\"kartoteka-id\">%lld</mets:altRecordID>\n"
			       "  </mets:metsHdr>\n", id);

	/* dmdSec: the extracted fields and where the document came from */
	r |= kt_buf_puts(&b, "  <mets:dmdSec ID=\"dmd-1\">\n"
			     "    <mets:mdWrap MDTYPE=\"OTHER\" OTHERMDTYPE=\"kartoteka-fields\" MIMETYPE=\"text/xml\">\n"
			     "      <mets:xmlData>\n"
			     "        <kt:document>\n");
	r |= put_elem(&b, 10, "kt:id", m.obj_id);
	r |= put_elem(&b, 10, "kt:source", source);
	r |= put_elem(&b, 10, "kt:batch", batch);
	r |= kt_buf_printf(&b, "          <kt:pages>%d</kt:pages>\n", npages);
	r |= put_json(&b, 10, "metadata", meta);
	r |= kt_buf_puts(&b, "        </kt:document>\n"
			     "      </mets:xmlData>\n"
			     "    </mets:mdWrap>\n"
			     "  </mets:dmdSec>\n");

	/* amdSec: one PREMIS object per file, the agents, the events */
	r |= kt_buf_puts(&b, "  <mets:amdSec ID=\"amd-1\">\n");
	for (i = 0; i < n_files; i++) {
		const char *mime = mime_of(f[i]->path);

		if (f[i]->path == orig && format_mime(format))
			mime = format_mime(format);
		r |= kt_buf_printf(&b, "    <mets:techMD ID=\"tech-%d\">\n"
				       "      <mets:mdWrap MDTYPE=\"PREMIS:OBJECT\">\n"
				       "        <mets:xmlData>\n"
				       "          <premis:object xsi:type=\"premis:file\">\n"
				       "            <premis:objectIdentifier>\n"
				       "              <premis:objectIdentifierType>local</premis:objectIdentifierType>\n"
				       "              <premis:objectIdentifierValue>data/", i + 1);
		r |= put_esc(&b, f[i]->path);
		r |= kt_buf_printf(&b, "</premis:objectIdentifierValue>\n"
				       "            </premis:objectIdentifier>\n"
				       "            <premis:objectCharacteristics>\n"
				       "              <premis:compositionLevel>0</premis:compositionLevel>\n"
				       "              <premis:fixity>\n"
				       "                <premis:messageDigestAlgorithm>SHA-256</premis:messageDigestAlgorithm>\n"
				       "                <premis:messageDigest>%s</premis:messageDigest>\n"
				       "              </premis:fixity>\n"
				       "              <premis:size>%zu</premis:size>\n"
				       "              <premis:format>\n"
				       "                <premis:formatDesignation>\n"
				       "                  <premis:formatName>%s</premis:formatName>\n"
				       "                </premis:formatDesignation>\n"
				       "              </premis:format>\n"
				       "            </premis:objectCharacteristics>\n",
				   sha[i], f[i]->len, mime);
		if (f[i]->path == orig && source) {
			const char *base = strrchr(source, '/');

			r |= put_elem(&b, 12, "premis:originalName", base && base[1] ? base + 1 : source);
		}
		r |= kt_buf_puts(&b, "          </premis:object>\n"
				     "        </mets:xmlData>\n"
				     "      </mets:mdWrap>\n"
				     "    </mets:techMD>\n");
	}
	r |= put_agent(&m, 1, m.software, m.software, "software", NULL);
	if (engine)
		r |= put_agent(&m, 2, engine, engine, "software", langs[0] ? langs : NULL);
	if (org)
		r |= put_agent(&m, 3, org, org, "organization", NULL);

	{
		char orig_path[600];
		mets_event e = { 0 };

		snprintf(orig_path, sizeof orig_path, "data/%s", orig ? orig : "");
		snprintf(detail, sizeof detail, "document %lld received in batch '%s' and packaged as version %d",
			 id, batch ? batch : "", version);
		e = (mets_event){ "ingestion", detail, "success", NULL, NULL, orig ? orig_path : NULL, "source" };
		r |= put_event(&m, &e);
		if (info != NULL && info->reason != NULL && version > 1) {
			snprintf(detail, sizeof detail, "version %d made again from the original of version %d: %.400s",
				 version, version - 1, info->reason);
			e = (mets_event){ "modification", detail, "success", NULL, NULL,
					  orig ? orig_path : NULL, "source" };
			r |= put_event(&m, &e);
		}
		if (format) {
			snprintf(note, sizeof note, "%s (%s)", format,
				 format_mime(format) ? format_mime(format) : "unknown");
			e = (mets_event){ "format identification", "format identified by content (signature bytes)",
					  format_mime(format) ? "success" : "failure", note, NULL,
					  orig ? orig_path : NULL, "source" };
			r |= put_event(&m, &e);
		}
		for (i = 0; i < n_files; i++) {
			char path[600];

			snprintf(path, sizeof path, "data/%s", f[i]->path);
			snprintf(note, sizeof note, "SHA-256 %s", sha[i]);
			e = (mets_event){ "message digest calculation", "program=\"kartoteka\"; algorithm=\"SHA-256\"",
					  "success", note, NULL, path, "source" };
			r |= put_event(&m, &e);
		}
		if (orig && sha_rec) {
			int same = strcasecmp(sha_rec, orig_sha) == 0;

			snprintf(note, sizeof note, "SHA-256 at receipt %.64s, in the package %s", sha_rec, orig_sha);
			e = (mets_event){ "fixity check", "the original's SHA-256 at receipt compared with its bytes in the package",
					  same ? "pass" : "fail", note, NULL, orig_path, "source" };
			r |= put_event(&m, &e);
		}
		if (engine) {
			snprintf(detail, sizeof detail, "optical character recognition of %d page%s; engine %s; languages %s",
				 npages, npages == 1 ? "" : "s", engine, langs[0] ? langs : "none");
			e = (mets_event){ "transcription", detail, "success", NULL, engine,
					  orig ? orig_path : NULL, "source" };
			r |= put_event(&m, &e);
		}
		if (meta != NULL) {
			e = (mets_event){ "metadata extraction", "case numbers, personal codes, dates, MRZ, document type and names from the recognised text",
					  "success", NULL, NULL, orig ? orig_path : NULL, "source" };
			r |= put_event(&m, &e);
		}
	}
	r |= kt_buf_puts(&b, "  </mets:amdSec>\n");

	/* fileSec: one group per first folder; the files are sorted by path */
	r |= kt_buf_puts(&b, "  <mets:fileSec>\n");
	for (i = 0; i < n_files; i++) {
		use_of(f[i]->path, use, sizeof use);
		if (strcmp(use, prev_use) != 0) {
			if (prev_use[0])
				r |= kt_buf_puts(&b, "    </mets:fileGrp>\n");
			r |= kt_buf_printf(&b, "    <mets:fileGrp USE=\"%s\">\n", use);
			snprintf(prev_use, sizeof prev_use, "%s", use);
		}
		r |= kt_buf_printf(&b, "      <mets:file ID=\"file-%d\" MIMETYPE=\"%s\" SIZE=\"%zu\""
				       " CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\" ADMID=\"tech-%d\">\n"
				       "        <mets:FLocat LOCTYPE=\"URL\" xlink:href=\"",
				   i + 1, f[i]->path == orig && format_mime(format) ? format_mime(format)
										  : mime_of(f[i]->path),
				   f[i]->len, sha[i], i + 1);
		r |= put_esc(&b, f[i]->path);
		r |= kt_buf_puts(&b, "\"/>\n      </mets:file>\n");
	}
	if (prev_use[0])
		r |= kt_buf_puts(&b, "    </mets:fileGrp>\n");
	r |= kt_buf_puts(&b, "  </mets:fileSec>\n");

	/* structMap: the document, its pages, each page's files */
	r |= kt_buf_puts(&b, "  <mets:structMap TYPE=\"physical\">\n"
			     "    <mets:div TYPE=\"document\" DMDID=\"dmd-1\" ADMID=\"amd-1\" LABEL=\"");
	r |= put_esc(&b, source);
	r |= kt_buf_puts(&b, "\">\n");
	for (i = 0; i < n_files; i++)
		if (page_of(f[i]->path) == 0)
			r |= kt_buf_printf(&b, "      <mets:fptr FILEID=\"file-%d\"/>\n", i + 1);
	for (int p = 1; p <= npages; p++) {
		r |= kt_buf_printf(&b, "      <mets:div TYPE=\"page\" ORDER=\"%d\">\n", p);
		for (i = 0; i < n_files; i++)
			if (page_of(f[i]->path) == p)
				r |= kt_buf_printf(&b, "        <mets:fptr FILEID=\"file-%d\"/>\n", i + 1);
		r |= kt_buf_puts(&b, "      </mets:div>\n");
	}
	r |= kt_buf_puts(&b, "    </mets:div>\n"
			     "  </mets:structMap>\n"
			     "</mets:mets>\n");
	free(sha);
	free(f);
	free(source);
	json_decref(meta);
	if (r != 0) {
		kt_buf_release(&b);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	*xml_out = b.s;
	return KT_OK;
}

int kt_archive_fixity_event(kt_archive *a, const char *relpath, long long when, const char *software,
			    int passed, const char *note, char **xml_out)
{
	kt_buf b = { 0 };
	char name[KT_BAG_NAME_MAX], t[21];
	int r;

	*xml_out = NULL;
	kt_error_clear(&a->err);
	if (kt_bag_parse_relpath(relpath, name, NULL, NULL) != 0)
		return kt_error_set(&a->err, KT_FAILED, "'%s' is not a package path", relpath ? relpath : "");
	if (software == NULL || software[0] == '\0')
		software = "kartoteka";
	iso_time(when > 0 ? when : (long long)time(NULL), t);
	r = kt_buf_printf(&b, "<premis:event xmlns:premis=\"http://www.loc.gov/premis/v3\">"
			      "<premis:eventIdentifier><premis:eventIdentifierType>local</premis:eventIdentifierType>"
			      "<premis:eventIdentifierValue>%s-fixity-%s</premis:eventIdentifierValue>"
			      "</premis:eventIdentifier>"
			      "<premis:eventType>fixity check</premis:eventType>"
			      "<premis:eventDateTime>%s</premis:eventDateTime>"
			      "<premis:eventDetailInformation><premis:eventDetail>every file re-hashed against"
			      " manifest-sha256.txt and manifest-sha512.txt; Payload-Oxum and both tag"
			      " manifests checked</premis:eventDetail></premis:eventDetailInformation>"
			      "<premis:eventOutcomeInformation><premis:eventOutcome>%s</premis:eventOutcome>",
			  name, t, t, passed ? "pass" : "fail");
	if (note && note[0]) {
		r |= kt_buf_puts(&b, "<premis:eventOutcomeDetail><premis:eventOutcomeDetailNote>");
		r |= put_esc(&b, note);
		r |= kt_buf_puts(&b, "</premis:eventOutcomeDetailNote></premis:eventOutcomeDetail>");
	}
	r |= kt_buf_puts(&b, "</premis:eventOutcomeInformation><premis:linkingAgentIdentifier>"
			     "<premis:linkingAgentIdentifierType>local</premis:linkingAgentIdentifierType>"
			     "<premis:linkingAgentIdentifierValue>");
	r |= put_esc(&b, software);
	r |= kt_buf_printf(&b, "</premis:linkingAgentIdentifierValue>"
			       "<premis:linkingAgentRole>executing program</premis:linkingAgentRole>"
			       "</premis:linkingAgentIdentifier><premis:linkingObjectIdentifier>"
			       "<premis:linkingObjectIdentifierType>local</premis:linkingObjectIdentifierType>"
			       "<premis:linkingObjectIdentifierValue>%s</premis:linkingObjectIdentifierValue>"
			       "<premis:linkingObjectRole>source</premis:linkingObjectRole>"
			       "</premis:linkingObjectIdentifier></premis:event>", relpath);
	if (r != 0) {
		kt_buf_release(&b);
		return kt_error_set(&a->err, KT_FATAL, "out of memory");
	}
	*xml_out = b.s;
	return KT_OK;
}
