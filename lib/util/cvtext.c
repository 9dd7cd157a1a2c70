/* cvtext.c: the text of a CV for search: the text made, plain text, inflation */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/cvtext.h"
#include "util/cvtext_int.h"
#include "util/he.h"
#include "util/text.h"

/* ---- the text made ---- */

void
cvtext_space(struct cvtext_out *o)
{
	if (o->n > 0)
		o->space = 1;
}

static void
put(struct cvtext_out *o, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (o->full)
		return;
	if (o->n + o->space + n > CVTEXT_MAX) {
		o->full = 1;
		return;
	}
	if (o->space)
		o->p[o->n++] = ' ';
	o->space = 0;
	memcpy(o->p + o->n, b, n);
	o->n += n;
	o->p[o->n] = '\0';
}

/* What a code point becomes in text for search: itself, a break (' '),
 * nothing (0), or a replacement spelled in ASCII (*spell). */
static uint32_t
normalise(uint32_t cp, const char **spell)
{
	static const char *const ligatures[] = { "ff", "fi", "fl", "ffi",
	    "ffl", "st", "st" };

	*spell = NULL;
	if (cp >= 0x21 && cp < 0x7f)
		return cp;
	if (cp < 0xa0 || cp == 0xa0)		/* controls, C1, spaces */
		return ' ';
	if (cp == 0xad || (cp >= 0x200c && cp <= 0x200d) || cp == 0x2060 ||
	    cp == 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;		/* soft hyphen, joiners, selectors */
	if (cp < 0xc0)				/* Latin-1 signs: µ stays */
		return cp == 0xb5 ? cp : ' ';
	if (cp == 0xd7 || cp == 0xf7)
		return ' ';
	if (cp >= 0x2010 && cp <= 0x2015)
		return '-';
	if (cp == 0x2018 || cp == 0x2019 || cp == 0x201a || cp == 0x201b ||
	    cp == 0x2032)
		return '\'';
	if ((cp >= 0x201c && cp <= 0x201f) || cp == 0x2033)
		return '"';
	if (cp == 0x2212)
		return '-';
	if (cp >= 0xfb00 && cp <= 0xfb06) {
		*spell = ligatures[cp - 0xfb00];
		return 0;
	}
	if ((cp >= 0x2000 && cp <= 0x206f) ||	/* general punctuation */
	    (cp >= 0x2190 && cp <= 0x23ff) ||	/* arrows, technical */
	    (cp >= 0x2500 && cp <= 0x27bf) ||	/* boxes, shapes, dingbats */
	    (cp >= 0x2b00 && cp <= 0x2bff) ||	/* more arrows and symbols */
	    cp == 0x3000 ||			/* ideographic space */
	    (cp >= 0xd800 && cp <= 0xdfff) ||	/* surrogates */
	    (cp >= 0xe000 && cp <= 0xf8ff) ||	/* private use: icon fonts */
	    (cp >= 0xfff0 && cp <= 0xffff) ||	/* specials, U+FFFD */
	    (cp >= 0x1f000 && cp <= 0x1faff) ||	/* emoji, cards, tiles */
	    cp >= 0xf0000)			/* private use planes */
		return ' ';
	return cp;
}

void
cvtext_char(struct cvtext_out *o, uint32_t cp)
{
	const char *spell;

	if (cp > 0x10ffff)
		cp = ' ';
	cp = normalise(cp, &spell);
	if (spell) {
		while (*spell)
			put(o, (unsigned char)*spell++);
	} else if (cp == ' ')
		cvtext_space(o);
	else if (cp)
		put(o, cp);
}

uint32_t
cvtext_cp1252(unsigned char b)
{
	static const uint16_t c1[32] = {
		0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
		0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
	};

	return b >= 0x80 && b < 0xa0 ? c1[b - 0x80] : b;
}

void
cvtext_utf8(struct cvtext_out *o, const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n && !o->full) {
		size_t k;

		if (s[i] < 0x80) {
			cvtext_char(o, s[i++]);
			continue;
		}
		if ((k = text_utf8_len((const char *)s + i, n - i)) == 0) {
			uint32_t cp = cvtext_cp1252(s[i++]);

			cvtext_char(o, cp ? cp : ' ');
			continue;
		}
		if (k == 2)
			cvtext_char(o, (uint32_t)(s[i] & 0x1f) << 6 |
			    (s[i + 1] & 0x3f));
		else if (k == 3)
			cvtext_char(o, (uint32_t)(s[i] & 0x0f) << 12 |
			    (uint32_t)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f));
		else
			cvtext_char(o, (uint32_t)(s[i] & 0x07) << 18 |
			    (uint32_t)(s[i + 1] & 0x3f) << 12 |
			    (uint32_t)(s[i + 2] & 0x3f) << 6 | (s[i + 3] & 0x3f));
		i += k;
	}
}

/* ---- inflation, with the budget ---- */

static int
inflate_into(z_stream *z, const unsigned char *src, size_t n, int window,
    size_t max, unsigned char **dst, size_t *dlen, int *bad_header)
{
	size_t cap = max < 65536 ? max : 65536;
	unsigned char *buf = malloc(cap ? cap : 1);
	int zr = Z_OK;

	*dst = NULL;
	*dlen = 0;
	*bad_header = 0;
	if (buf == NULL)
		return HE_NOMEM;
	memset(z, 0, sizeof *z);
	if (inflateInit2(z, window) != Z_OK) {
		free(buf);
		return HE_NOMEM;
	}
	z->next_in = (unsigned char *)src;
	z->avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	while (*dlen < max) {
		if (*dlen == cap) {
			size_t ncap = cap * 2 < max ? cap * 2 : max;
			unsigned char *nb = realloc(buf, ncap);

			if (nb == NULL) {
				inflateEnd(z);
				free(buf);
				return HE_NOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		z->next_out = buf + *dlen;
		z->avail_out = (uInt)(cap - *dlen);
		zr = inflate(z, Z_NO_FLUSH);
		*dlen = cap - z->avail_out;
		if (zr != Z_OK)
			break;
	}
	/* A wrong header shows before any byte comes out. */
	*bad_header = zr == Z_DATA_ERROR && *dlen == 0 && z->total_in < 4;
	inflateEnd(z);
	if (zr == Z_MEM_ERROR) {
		free(buf);
		return HE_NOMEM;
	}
	*dst = buf;
	return HE_OK;
}

int
cvtext_inflate(struct cvtext_out *o, const unsigned char *src, size_t n, int raw,
    size_t max, unsigned char **dst, size_t *dlen)
{
	size_t left = CVTEXT_INFLATE_MAX - o->inflated;
	z_stream z;
	int rc, bad;

	if (max > left)
		max = left;
	rc = inflate_into(&z, src, n, raw ? -15 : 15 + 32, max, dst, dlen, &bad);
	if (rc == HE_OK && bad && !raw) {
		free(*dst);
		rc = inflate_into(&z, src, n, -15, max, dst, dlen, &bad);
	}
	if (rc == HE_OK)
		o->inflated += *dlen;
	return rc;
}

/* ---- plain text ---- */

static void
txt_utf16(struct cvtext_out *o, const unsigned char *d, size_t len, int be)
{
	for (size_t i = 0; i + 1 < len && !o->full; i += 2) {
		uint32_t u = be ? (uint32_t)d[i] << 8 | d[i + 1] :
		    (uint32_t)d[i + 1] << 8 | d[i];

		if (u >= 0xd800 && u < 0xdc00 && i + 3 < len) {
			uint32_t l = be ? (uint32_t)d[i + 2] << 8 | d[i + 3] :
			    (uint32_t)d[i + 3] << 8 | d[i + 2];

			if (l >= 0xdc00 && l < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
				i += 2;
			}
		}
		cvtext_char(o, u);
	}
}

static void
txt(struct cvtext_out *o, const unsigned char *d, size_t len)
{
	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf) {
		d += 3;
		len -= 3;
	} else if (len >= 2 && ((d[0] == 0xff && d[1] == 0xfe) ||
	    (d[0] == 0xfe && d[1] == 0xff))) {
		txt_utf16(o, d + 2, len - 2, d[0] == 0xfe);
		return;
	}
	if (text_utf8_valid((const char *)d, len)) {
		cvtext_utf8(o, d, len);
		return;
	}
	for (size_t i = 0; i < len && !o->full; i++) {
		uint32_t cp = cvtext_cp1252(d[i]);

		cvtext_char(o, cp ? cp : ' ');
	}
}

int
cvtext_extract(const unsigned char *data, size_t len, enum ft_kind kind,
    char **out, size_t *outlen)
{
	static const unsigned char none[1];
	struct cvtext_out o = { 0 };
	int rc = HE_OK;

	*out = NULL;
	if (outlen)
		*outlen = 0;
	if (data == NULL) {	/* the readers may pass it to memchr */
		data = none;
		len = 0;
	}
	if (kind == FT_UNKNOWN)
		kind = ft_sniff(data, len);
	if ((o.p = malloc(CVTEXT_MAX + 1)) == NULL)
		return HE_NOMEM;
	o.p[0] = '\0';
	switch (kind) {
	case FT_TXT:
		txt(&o, data, len);
		break;
	case FT_DOCX:
		rc = cvtext_docx(&o, data, len);
		break;
	case FT_ODT:
		rc = cvtext_odt(&o, data, len);
		break;
	case FT_PDF:
		rc = cvtext_pdf(&o, data, len);
		break;
	default:
		rc = HE_INVALID;
		break;
	}
	if (rc != HE_OK) {
		free(o.p);
		return rc;
	}
	*out = o.p;
	if (outlen)
		*outlen = o.n;
	return HE_OK;
}
