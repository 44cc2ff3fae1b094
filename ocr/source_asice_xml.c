/*
 * source_asice_xml.c - the XML of an e-signed container (ocr/source_asice.c):
 * META-INF/manifest.xml and the XAdES signature files with libxml2, the
 * signer's certificate with OpenSSL's X509; the one file of kartoteka with
 * their headers (docs/ocr.md, "E-signed containers"). Kept apart from
 * source_asice.c (the ZIP, with libarchive, and the pages) for its length.
 *
 * Parsing is safe for hostile files: no network (XML_PARSE_NONET), no DTD
 * loaded and no entity substituted (a file with a DOCTYPE is refused before
 * it is parsed), a size cap, libxml2's own depth limit. The signatures are
 * read, NOT verified: no digest, signature value, certificate chain,
 * revocation or time-stamp is checked.
 */
#include "ocr_private.h"
#include "kt_buf.h"
#include "kt_text.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_DS "http://www.w3.org/2000/09/xmldsig#"
#define NS_XADES "http://uri.etsi.org/01903/"       /* v1.3.2# and v1.4.1# */
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

char *kt_asice_printable(const char *s, size_t n)
{
	kt_buf b = KT_BUF_INIT;

	if (kt_utf8_add_printable(&b, s, n, 0, NULL) != KT_OK || kt_buf_reserve(&b, 1) != KT_OK) {
		kt_buf_release(&b);
		return NULL;
	}
	return kt_buf_detach(&b, NULL);
}

/* ------------------------------------------------------------------ XML */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

/* The file parsed, or NULL with the reason in why. No network, no DTD
 * (refused before parsing: no entity can be expanded), quiet. */
static xmlDoc *xml_read(const unsigned char *data, size_t len, char *why, size_t size)
{
	static const char dtd[] = "<!DOCTYPE";
	xmlParserCtxt *ctxt;
	xmlDoc *doc;
	size_t i;

	for (i = 0; i + sizeof dtd - 1 <= len; i++)
		if (data[i] == '<' && memcmp(data + i, dtd, sizeof dtd - 1) == 0) {
			snprintf(why, size, "it has a DTD (refused)");
			return NULL;
		}
	if (len > KT_ASICE_MAX_XML) {
		snprintf(why, size, "%zu bytes is above the cap of %zu", len, KT_ASICE_MAX_XML);
		return NULL;
	}
	pthread_once(&xml_once, xml_init);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		snprintf(why, size, "out of memory");
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, (const char *)data, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		const xmlError *x = xmlCtxtGetLastError(ctxt);
		const char *m = x && x->message ? x->message : "not XML";
		size_t n = strlen(m);
		char *msg;

		while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
			n--; /* libxml2 ends its messages with a line break */
		msg = kt_asice_printable(m, n);
		snprintf(why, size, "it does not parse (line %d: %s)", x ? x->line : 0,
			 msg ? msg : "out of memory");
		free(msg);
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* 1 when n is the element local in a namespace beginning with ns. */
static int is_el(const xmlNode *n, const char *ns, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL && n->ns->href != NULL &&
	       strncmp((const char *)n->ns->href, ns, strlen(ns)) == 0 &&
	       strcmp((const char *)n->name, local) == 0;
}

/* The first element local (namespace ns) below n, depth first. libxml2
 * refuses documents deeper than 256 levels, which bounds the recursion. */
static xmlNode *find(xmlNode *n, const char *ns, const char *local)
{
	xmlNode *c, *hit;

	for (c = n->children; c != NULL; c = c->next) {
		if (is_el(c, ns, local))
			return c;
		if (c->type == XML_ELEMENT_NODE && (hit = find(c, ns, local)) != NULL)
			return hit;
	}
	return NULL;
}

/* The text of an element, malloc'd (free()); NULL when out of memory. */
static char *text_of(xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *s = t ? strdup((const char *)t) : NULL;

	xmlFree(t);
	return s;
}

/* ---------------------------------------------------------- the signer */

/* One attribute of a certificate's subject as UTF-8 (malloc'd), or NULL. */
static char *subject_part(X509_NAME *nm, int nid)
{
	int i = X509_NAME_get_index_by_NID(nm, nid, -1);
	unsigned char *u = NULL;
	char *s = NULL;
	int n;

	if (i < 0)
		return NULL;
	/* ASN1_STRING_to_UTF8 converts every string type (BMPString, ...);
	 * X509_NAME_get_text_by_NID would copy the raw bytes. */
	n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i)));
	if (n > 0 && memchr(u, 0, (size_t)n) == NULL)
		s = kt_asice_printable((const char *)u, (size_t)n);
	OPENSSL_free(u);
	return s;
}

/* The signer's name from a base64 DER certificate: the subject's CN, else
 * "givenName surname"; malloc'd, NULL when not found. */
static char *cert_signer(const char *b64)
{
	size_t i, n = 0, len = strlen(b64);
	unsigned char *clean = malloc(len + 1), *der = malloc(len + 1);
	const unsigned char *p;
	char *cn = NULL, *given, *sur;
	X509 *x = NULL;
	int dlen = -1;

	for (i = 0; clean != NULL && i < len; i++)
		if (b64[i] != ' ' && b64[i] != '\n' && b64[i] != '\r' && b64[i] != '\t')
			clean[n++] = (unsigned char)b64[i];
	if (clean != NULL && der != NULL && n > 0 && n % 4 == 0 && n <= INT32_MAX)
		dlen = EVP_DecodeBlock(der, clean, (int)n);
	if (dlen > 0) {
		dlen -= (n > 0 && clean[n - 1] == '=') + (n > 1 && clean[n - 2] == '=');
		p = der;
		x = d2i_X509(NULL, &p, dlen);
	}
	if (x != NULL) {
		X509_NAME *nm = X509_get_subject_name(x);

		cn = subject_part(nm, NID_commonName);
		if (cn == NULL) {
			given = subject_part(nm, NID_givenName);
			sur = subject_part(nm, NID_surname);
			if (given != NULL || sur != NULL) {
				kt_buf b = KT_BUF_INIT;

				if (kt_buf_printf(&b, "%s%s%s", given ? given : "", given && sur ? " " : "",
						  sur ? sur : "") == KT_OK)
					cn = kt_buf_detach(&b, NULL);
				kt_buf_release(&b);
			}
			free(given);
			free(sur);
		}
		X509_free(x);
	}
	free(clean);
	free(der);
	return cn;
}

/* ------------------------------------------------------ the signing time */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The days of month m (1-12) of year y (Gregorian). */
static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* n ASCII digits at s as a number; -1 when not digits. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* xs:dateTime "YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM|-HH:MM]" as UTC
 * "YYYY-MM-DDTHH:MM:SSZ" into out[21] (no zone: taken as UTC); 0 when it
 * is not one. */
static int utc_time(const char *s, char out[21])
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	char buf[64];
	long long t;
	size_t i = 19;

	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return 0;
	y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
		return 0;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (s[i] == 'Z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '+' ? 1 : -1;
		oh = digits(s + i + 1, 2);
		om = s[i + 3] == ':' ? digits(s + i + 4, 2) : -1;
		if (oh < 0 || oh > 14 || om < 0 || om > 59)
			return 0;
		i += 6;
	}
	while (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
		i++;
	if (s[i] != '\0')
		return 0;
	if (se == 60)
		se = 59; /* a leap second, kept within its minute */
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - sign * (oh * 3600 + om * 60);
	civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, &y, &mo, &d);
	t -= (t >= 0 ? t / 86400 : (t - 86399) / 86400) * 86400;
	if (y < 1 || y > 9999)
		return 0;
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, (int)(t / 3600),
		 (int)(t / 60 % 60), (int)(t % 60));
	if (strlen(buf) != 20)
		return 0;
	memcpy(out, buf, 21);
	return 1;
}

/* ------------------------------------------------------ the signatures */

/* The value of a hexadecimal digit; -1 when c is none. */
static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
					: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A URI's path percent-decoded, as a printable name (malloc'd). */
static char *uri_name(const char *u)
{
	size_t i, k = 0, n = strlen(u);
	char *raw = malloc(n + 1), *s;

	if (raw == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (u[i] == '%' && i + 2 < n && hex_value(u[i + 1]) >= 0 && hex_value(u[i + 2]) >= 0) {
			raw[k++] = (char)(hex_value(u[i + 1]) * 16 + hex_value(u[i + 2]));
			i += 2;
		} else {
			raw[k++] = u[i];
		}
	}
	s = kt_asice_printable(raw, k);
	free(raw);
	return s;
}

/* One ds:Signature into sig: the files its SignedInfo references name, the
 * signer of its first certificate, its signing time. KT_OK or KT_FATAL. */
static int read_signature(xmlNode *sn, kt_source_signature *sig)
{
	xmlNode *si = find(sn, NS_DS, "SignedInfo"), *r, *ki, *c, *st;
	char when[21];
	int rc = KT_OK;

	for (r = si ? si->children : NULL; rc == KT_OK && r != NULL; r = r->next) {
		xmlChar *uri;
		char *name;

		if (!is_el(r, NS_DS, "Reference"))
			continue;
		uri = xmlGetProp(r, BAD_CAST "URI");
		/* "#id": the signed properties, not a data file */
		if (uri != NULL && uri[0] != '\0' && uri[0] != '#') {
			name = uri_name((const char *)uri);
			rc = name && kt_strv_push(&sig->files, name) == KT_OK ? KT_OK : KT_FATAL;
			free(name);
		}
		xmlFree(uri);
	}
	ki = find(sn, NS_DS, "KeyInfo");
	c = ki ? find(ki, NS_DS, "X509Certificate") : NULL;
	if (rc == KT_OK && c != NULL) {
		char *b64 = text_of(c);

		if (b64 == NULL)
			return KT_FATAL;
		sig->signer = cert_signer(b64);
		free(b64);
	}
	st = find(sn, NS_XADES, "SigningTime");
	if (rc == KT_OK && st != NULL) {
		char *t = text_of(st);

		if (t == NULL)
			return KT_FATAL;
		if (utc_time(t, when) && (sig->signing_time = strdup(when)) == NULL)
			rc = KT_FATAL;
		free(t);
	}
	return rc;
}

/* One more signature of file xml at the end of *sigs (n of them); NULL
 * when out of memory. */
static kt_source_signature *add_sig(kt_source_signature **sigs, size_t *n, const char *xml)
{
	kt_source_signature *g = realloc(*sigs, (*n + 1) * sizeof *g), *s;

	if (g == NULL)
		return NULL;
	*sigs = g;
	s = &g[*n];
	*s = (kt_source_signature){ .xml = strdup(xml), .files = KT_STRV_INIT };
	if (s->xml == NULL)
		return NULL;
	(*n)++;
	return s;
}

/* Every ds:Signature below node into *sigs; *found counts them. */
static int signatures_in(xmlNode *node, const char *xml, kt_source_signature **sigs, size_t *n,
			 int *found)
{
	xmlNode *c;
	int rc = KT_OK;

	for (c = node->children; rc == KT_OK && c != NULL; c = c->next) {
		kt_source_signature *s;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(c, NS_DS, "Signature")) {
			rc = signatures_in(c, xml, sigs, n, found);
			continue;
		}
		(*found)++;
		if ((s = add_sig(sigs, n, xml)) == NULL)
			return KT_FATAL;
		rc = read_signature(c, s);
	}
	return rc;
}

int kt_asice_sign_file(const char *xml, const unsigned char *data, size_t len,
		       kt_source_signature **sigs, size_t *n, char *why, size_t size)
{
	xmlDoc *doc = xml_read(data, len, why, size);
	kt_source_signature *s;
	int rc = KT_OK, found = 0;

	if (doc != NULL) {
		xmlNode *root = xmlDocGetRootElement(doc);

		if (is_el(root, NS_DS, "Signature")) {
			found = 1;
			rc = (s = add_sig(sigs, n, xml)) ? read_signature(root, s) : KT_FATAL;
		} else {
			rc = signatures_in(root, xml, sigs, n, &found);
		}
		if (rc == KT_OK && found == 0)
			snprintf(why, size, "it holds no ds:Signature");
		xmlFreeDoc(doc);
	}
	if (rc != KT_OK || found > 0)
		return rc;
	if ((s = add_sig(sigs, n, xml)) == NULL || (s->error = strdup(why)) == NULL)
		return KT_FATAL;
	return KT_WARN;
}

void kt_asice_sign_release(kt_source_signature **sigs, size_t *n)
{
	size_t i;

	for (i = 0; *sigs != NULL && i < *n; i++) {
		free((*sigs)[i].xml);
		free((*sigs)[i].signer);
		free((*sigs)[i].signing_time);
		kt_strv_release(&(*sigs)[i].files);
		free((*sigs)[i].error);
	}
	free(*sigs);
	*sigs = NULL;
	*n = 0;
}

/* ------------------------------------------------------------ manifest */

int kt_asice_manifest(const unsigned char *data, size_t len, kt_strv *paths, kt_strv *types,
		      char *why, size_t size)
{
	xmlDoc *doc = xml_read(data, len, why, size);
	xmlNode *c;
	int rc = KT_OK;

	if (doc == NULL)
		return KT_FAILED;
	for (c = xmlDocGetRootElement(doc)->children; rc == KT_OK && c != NULL; c = c->next) {
		xmlChar *path, *type;
		char *p = NULL, *t = NULL;

		if (!is_el(c, NS_MANIFEST, "file-entry"))
			continue;
		path = xmlGetNsProp(c, BAD_CAST "full-path", BAD_CAST NS_MANIFEST);
		type = xmlGetNsProp(c, BAD_CAST "media-type", BAD_CAST NS_MANIFEST);
		if (path != NULL) {
			p = kt_asice_printable((const char *)path, strlen((const char *)path));
			t = kt_asice_printable(type ? (const char *)type : "",
					       type ? strlen((const char *)type) : 0);
			if (p == NULL || t == NULL || kt_strv_push(paths, p) != KT_OK ||
			    kt_strv_push(types, t) != KT_OK)
				rc = KT_FATAL;
		}
		free(p);
		free(t);
		xmlFree(path);
		xmlFree(type);
	}
	xmlFreeDoc(doc);
	return rc;
}

