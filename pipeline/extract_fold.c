/*
 * extract_fold.c - a small UTF-8 lower-casing and diacritic folding, enough
 * to match Latvian, Lithuanian, Russian and English words whatever their
 * case and whether OCR kept the diacritics ("Lēmums", "LĒMUMS", "lemums").
 */
#include "extract_private.h"

#include <stdlib.h>
#include <string.h>

/* U+00C0..U+00FF: base letter, '*' = special, '=' = copy unchanged. */
static const char latin1[64 + 1] =
	"aaaaaa*ceeeeiiiidnooooo=ouuuuy**"
	"aaaaaa*ceeeeiiiidnooooo=ouuuuy*y";

/* U+0100..U+017F: base letter, '*' = two letters (ij, oe). */
static const char latin_ext_a[128 + 1] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllll"
	"nnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Writes the folded form of cp into out (at most 4 bytes); returns its length. */
static size_t fold_cp(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return 1;
	}
	if (cp == 0xFFFD) {
		out[0] = '?';
		return 1;
	}
	if (cp == 0xA0 || cp == 0x2007 || cp == 0x202F || (cp >= 0x2000 && cp <= 0x200A)) {
		out[0] = ' ';
		return 1;
	}
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212) {
		out[0] = '-';
		return 1;
	}
	if (cp >= 0xC0 && cp <= 0xFF) {
		char b = latin1[cp - 0xC0];
		if (b == '*') {
			switch (cp) {
			case 0xC6: case 0xE6: out[0] = 'a'; out[1] = 'e'; return 2;
			case 0xDE: case 0xFE: out[0] = 't'; out[1] = 'h'; return 2;
			case 0xDF: out[0] = 's'; out[1] = 's'; return 2;
			}
		} else if (b != '=') {
			out[0] = b;
			return 1;
		}
	} else if (cp >= 0x100 && cp <= 0x17F) {
		char b = latin_ext_a[cp - 0x100];
		if (b == '*') {
			if (cp <= 0x133) {
				out[0] = 'i';
				out[1] = 'j';
			} else {
				out[0] = 'o';
				out[1] = 'e';
			}
			return 2;
		}
		out[0] = b;
		return 1;
	} else if (cp >= 0x218 && cp <= 0x21B) {
		out[0] = cp <= 0x219 ? 's' : 't';
		return 1;
	} else if (cp >= 0x400 && cp <= 0x45F) {
		/* Cyrillic: capitals to small letters, ё to е */
		if (cp >= 0x410 && cp <= 0x42F)
			cp += 0x20;
		else if (cp >= 0x400 && cp <= 0x40F)
			cp += 0x50;
		if (cp == 0x451)
			cp = 0x435;
	}
	return kt_utf8_encode(cp, out);
}

char *kt_extract_fold(const char *s, size_t n, size_t **map, size_t *outlen)
{
	/* a character never grows: 1 byte -> 1, 2 -> at most 2, 3 -> at most 3 */
	char *out = malloc(n + 1);
	size_t *m = NULL;
	size_t i = 0, o = 0;

	if (map != NULL) {
		*map = NULL;
		m = malloc((n + 1) * sizeof *m);
		if (m == NULL) {
			free(out);
			return NULL;
		}
	}
	if (out == NULL) {
		free(m);
		return NULL;
	}
	while (i < n) {
		size_t start = i, k, len;
		char buf[4];
		unsigned cp = kt_utf8_next(s, n, &i);

		len = fold_cp(cp, buf);
		for (k = 0; k < len; k++) {
			if (m != NULL)
				m[o] = start;
			out[o++] = buf[k];
		}
	}
	out[o] = '\0';
	if (m != NULL) {
		m[o] = n;
		*map = m;
	}
	*outlen = o;
	return out;
}
