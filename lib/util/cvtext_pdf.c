/* cvtext_pdf.c: the strings a PDF's content streams show, without rendering */
#include <stdlib.h>
#include <string.h>

#include "util/cvtext.h"
#include "util/cvtext_int.h"
#include "util/he.h"

/*
 * No cross-reference table is trusted or needed: the file is scanned for
 * "N G obj" followed by a dictionary and "stream", which finds every
 * stream of a damaged or incrementally updated file as well. The streams
 * that cannot be page content (images, fonts, object and cross-reference
 * streams, metadata, ICC profiles, functions) are passed over by their
 * dictionaries; the others are decoded and their text operators read.
 * Each byte of the file is looked at a bounded number of times, and
 * decoding takes from the same budget as ZIP parts (CVTEXT_INFLATE_MAX).
 */

/* A TJ adjustment (thousandths of an em, negative moves right) wider than
 * this is taken for a space between words. */
#define TJ_SPACE 150
#define FILTERS_MAX 4

enum ptok_kind {
	PT_END, PT_NUM, PT_NAME, PT_STR, PT_HEX, PT_AOPEN, PT_ACLOSE,
	PT_DOPEN, PT_DCLOSE, PT_WORD, PT_BAD,
};

struct ptok {
	enum ptok_kind k;
	const unsigned char *s;		/* names, strings, words: the bytes */
	size_t n;
	double v;			/* numbers */
};

struct plex {
	const unsigned char *p, *end;
};

static int
is_ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	    c == ' ';
}

static int
is_delim(unsigned char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

static int
tok_is(const struct ptok *t, const char *s)
{
	size_t n = strlen(s);

	return t->n == n && memcmp(t->s, s, n) == 0;
}

static void
lex_number(struct plex *l, struct ptok *t)
{
	const unsigned char *p = l->p;
	double v = 0, scale = 0;
	int neg = 0, digits = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; p < l->end; p++) {
		if (*p >= '0' && *p <= '9') {
			digits = 1;
			if (scale) {
				v += (*p - '0') * scale;
				scale /= 10;
			} else if (v < 1e15)
				v = v * 10 + (*p - '0');
		} else if (*p == '.' && !scale)
			scale = 0.1;
		else
			break;
	}
	t->s = l->p;
	t->n = (size_t)(p - l->p);
	l->p = p;
	t->k = digits ? PT_NUM : PT_WORD;
	t->v = neg ? -v : v;
}

/* The next token; PT_BAD for a byte that starts none (it is passed). */
static enum ptok_kind
lex_next(struct plex *l, struct ptok *t)
{
	const unsigned char *p;

	for (;;) {
		while (l->p < l->end && is_ws(*l->p))
			l->p++;
		if (l->p < l->end && *l->p == '%') {
			while (l->p < l->end && *l->p != '\r' && *l->p != '\n')
				l->p++;
			continue;
		}
		break;
	}
	t->s = l->p;
	t->n = 0;
	if (l->p >= l->end)
		return t->k = PT_END;
	p = l->p;
	switch (*p) {
	case '/':
		for (p++; p < l->end && !is_ws(*p) && !is_delim(*p); p++)
			;
		t->s = l->p + 1;
		t->n = (size_t)(p - t->s);
		l->p = p;
		return t->k = PT_NAME;
	case '(': {
		size_t depth = 1;

		for (p++; p < l->end; p++) {
			if (*p == '\\')
				p++;
			else if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				break;
		}
		if (p >= l->end) {
			l->p = l->end;
			return t->k = PT_BAD;
		}
		t->s = l->p + 1;
		t->n = (size_t)(p - t->s);
		l->p = p + 1;
		return t->k = PT_STR;
	}
	case '<':
		if (p + 1 < l->end && p[1] == '<') {
			l->p += 2;
			return t->k = PT_DOPEN;
		}
		if ((p = memchr(p, '>', (size_t)(l->end - p))) == NULL) {
			l->p = l->end;
			return t->k = PT_BAD;
		}
		t->s = l->p + 1;
		t->n = (size_t)(p - t->s);
		l->p = p + 1;
		return t->k = PT_HEX;
	case '>':
		if (p + 1 < l->end && p[1] == '>') {
			l->p += 2;
			return t->k = PT_DCLOSE;
		}
		l->p++;
		return t->k = PT_BAD;
	case '[':
		l->p++;
		return t->k = PT_AOPEN;
	case ']':
		l->p++;
		return t->k = PT_ACLOSE;
	case ')': case '{': case '}':
		l->p++;
		return t->k = PT_BAD;
	}
	if ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.') {
		lex_number(l, t);
		if (t->n > 0)
			return t->k;
	}
	for (p = l->p; p < l->end && !is_ws(*p) && !is_delim(*p); p++)
		;
	if (p == l->p)		/* a sign or dot alone before a delimiter */
		p++;
	t->s = l->p;
	t->n = (size_t)(p - l->p);
	l->p = p;
	return t->k = PT_WORD;
}

/* Passes the rest of a value whose first token is t: arrays and
 * dictionaries to their end, CVTEXT_DEPTH_MAX deep. 0 when it is cut
 * short or nested deeper. */
static int
skip_value(struct plex *l, const struct ptok *t)
{
	struct ptok u;
	int depth;

	if (t->k != PT_AOPEN && t->k != PT_DOPEN)
		return t->k != PT_END;
	for (depth = 1; depth > 0;) {
		switch (lex_next(l, &u)) {
		case PT_AOPEN: case PT_DOPEN:
			if (++depth > CVTEXT_DEPTH_MAX)
				return 0;
			break;
		case PT_ACLOSE: case PT_DCLOSE:
			depth--;
			break;
		case PT_END:
			return 0;
		default:
			break;
		}
	}
	return 1;
}

/* ---- stream dictionaries ---- */

enum filter { F_FLATE, F_AHX, F_A85 };

struct sdict {
	enum filter filters[FILTERS_MAX];
	size_t nfilters;
	long long length;	/* -1: not given directly */
	int skip;		/* not page content, or not decodable */
};

static void
add_filter(struct sdict *sd, const struct ptok *t)
{
	static const struct {
		const char *name;
		enum filter f;
	} known[] = {
		{ "FlateDecode", F_FLATE }, { "Fl", F_FLATE },
		{ "ASCIIHexDecode", F_AHX }, { "AHx", F_AHX },
		{ "ASCII85Decode", F_A85 }, { "A85", F_A85 },
	};

	if (sd->nfilters == FILTERS_MAX) {
		sd->skip = 1;
		return;
	}
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (tok_is(t, known[i].name)) {
			sd->filters[sd->nfilters++] = known[i].f;
			return;
		}
	sd->skip = 1;		/* DCT, LZW, JBIG2, Crypt...: not for us */
}

/* Names of /Type and /Subtype that are never page content. */
static int
not_content(const struct ptok *t)
{
	static const char *const kinds[] = { "XRef", "ObjStm", "Metadata",
	    "EmbeddedFile", "Image", "XML", "Type1C", "CIDFontType0C",
	    "OpenType", "FontFile", "Pattern", "Font", NULL };

	for (size_t i = 0; kinds[i]; i++)
		if (tok_is(t, kinds[i]))
			return 1;
	return 0;
}

/* Keys that only streams other than page content have. */
static int
not_content_key(const struct ptok *t)
{
	static const char *const keys[] = { "Length1", "Length2", "Length3",
	    "Width", "Height", "BitsPerComponent", "FunctionType",
	    "ShadingType", "PatternType", "DecodeParms", "DP", "F", "N",
	    "Alternate", NULL };

	for (size_t i = 0; keys[i]; i++)
		if (tok_is(t, keys[i]))
			return 1;
	return 0;
}

/* Reads a dictionary whose "<<" was read; 1 when it ended with ">>". */
static int
parse_dict(struct plex *l, struct sdict *sd)
{
	struct ptok key, v;

	sd->length = -1;
	for (;;) {
		switch (lex_next(l, &key)) {
		case PT_DCLOSE:
			return 1;
		case PT_END:
			return 0;
		case PT_NAME:
			break;
		default:
			/* Out of step (a reference's "0 R"): pass it. */
			if (!skip_value(l, &key))
				return 0;
			continue;
		}
		if (lex_next(l, &v) == PT_DCLOSE)
			return 1;	/* a key without a value */
		if (v.k == PT_END)
			return 0;
		if (tok_is(&key, "Filter") || tok_is(&key, "FFilter")) {
			if (tok_is(&key, "FFilter"))
				sd->skip = 1;
			if (v.k == PT_NAME)
				add_filter(sd, &v);
			else if (v.k == PT_AOPEN) {
				while (lex_next(l, &v) == PT_NAME)
					add_filter(sd, &v);
				if (v.k != PT_ACLOSE)
					return 0;
			} else {
				sd->skip = 1;
				if (!skip_value(l, &v))
					return 0;
			}
		} else if (tok_is(&key, "Length") && v.k == PT_NUM) {
			struct plex save = *l;
			struct ptok g, r;

			if (lex_next(l, &g) == PT_NUM && lex_next(l, &r) == PT_WORD &&
			    tok_is(&r, "R"))
				sd->length = -1;	/* indirect: find endstream */
			else {
				*l = save;
				sd->length = v.v >= 0 && v.v < 1e15 ?
				    (long long)v.v : -1;
			}
		} else {
			if ((tok_is(&key, "Type") || tok_is(&key, "Subtype")) &&
			    v.k == PT_NAME && not_content(&v))
				sd->skip = 1;
			if (not_content_key(&key))
				sd->skip = 1;
			if (!skip_value(l, &v))
				return 0;
		}
	}
}

/* ---- decoding ---- */

struct pdf {
	struct cvt_out *o;
	const unsigned char *d;
	size_t len;
	/* The first "endstream" at or after es_from: es_at (len: none). */
	size_t es_from, es_at;
};

static int
hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The output of an ASCII filter: at most cap bytes, from the budget. */
static int
ascii_decode(struct cvt_out *o, enum filter f, const unsigned char *s,
    size_t n, unsigned char **dst, size_t *dlen)
{
	size_t cap = f == F_AHX ? n / 2 + 1 : n / 5 * 4 + 4 * (n % 5 + 1);
	size_t left = CVTEXT_INFLATE_MAX - o->inflated, k = 0;
	unsigned char *b;

	/* 'z' is four zero bytes: a run of them is the only growth. */
	if (f == F_A85) {
		size_t z = 0;

		for (size_t i = 0; i < n; i++)
			z += s[i] == 'z';
		cap += z * 4;
	}
	if (cap > CVTEXT_PART_MAX)
		cap = CVTEXT_PART_MAX;
	if (cap > left)
		cap = left;
	if ((b = malloc(cap ? cap : 1)) == NULL)
		return HE_NOMEM;
	if (f == F_AHX) {
		int hi = -1;

		for (size_t i = 0; i < n && k < cap && s[i] != '>'; i++) {
			int v = hexv(s[i]);

			if (v < 0)
				continue;
			if (hi < 0)
				hi = v;
			else {
				b[k++] = (unsigned char)(hi << 4 | v);
				hi = -1;
			}
		}
		if (hi >= 0 && k < cap)
			b[k++] = (unsigned char)(hi << 4);
	} else {
		uint32_t acc = 0;
		int got = 0;
		size_t i = 0;

		while (i < n && is_ws(s[i]))
			i++;
		if (n - i >= 2 && s[i] == '<' && s[i + 1] == '~')
			i += 2;		/* PostScript's opening, some writers keep it */
		for (; i < n && k < cap; i++) {
			unsigned char c = s[i];

			if (c == '~')
				break;
			if (c == 'z' && got == 0) {
				for (int j = 0; j < 4 && k < cap; j++)
					b[k++] = 0;
				continue;
			}
			if (c < '!' || c > 'u')
				continue;
			acc = acc * 85 + (uint32_t)(c - '!');
			if (++got == 5) {
				for (int j = 3; j >= 0 && k < cap; j--)
					b[k++] = (unsigned char)(acc >> (8 * j));
				acc = 0;
				got = 0;
			}
		}
		if (got > 1) {	/* a last group of 2..4 characters */
			for (int j = got; j < 5; j++)
				acc = acc * 85 + 84;
			for (int j = 3; j > 4 - got && k < cap; j--)
				b[k++] = (unsigned char)(acc >> (8 * j));
		}
	}
	o->inflated += k;
	*dst = b;
	*dlen = k;
	return HE_OK;
}

/* The decoded stream: *out malloc'd (or NULL and s itself when it has no
 * filter). */
static int
decode(struct pdf *p, const struct sdict *sd, const unsigned char *s,
    size_t n, unsigned char **out, const unsigned char **data, size_t *dlen)
{
	const unsigned char *cur = s;
	unsigned char *owned = NULL;
	size_t curlen = n;
	int rc = HE_OK;

	for (size_t i = 0; rc == HE_OK && i < sd->nfilters; i++) {
		unsigned char *nb = NULL;
		size_t nl = 0;

		if (sd->filters[i] == F_FLATE)
			rc = cvt_inflate(p->o, cur, curlen, 0, CVTEXT_PART_MAX,
			    &nb, &nl);
		else
			rc = ascii_decode(p->o, sd->filters[i], cur, curlen,
			    &nb, &nl);
		free(owned);
		owned = nb;
		cur = nb;
		curlen = nl;
	}
	*out = owned;
	*data = cur;
	*dlen = rc == HE_OK ? curlen : 0;
	return rc;
}

/* ---- content streams: the text operators ---- */

/* The bytes of a literal or hex string, one at a time (-1: the end). */
struct sbytes {
	const unsigned char *s, *end;
	int hex;
};

static int
sb_next(struct sbytes *b)
{
	while (b->s < b->end) {
		unsigned char c = *b->s++;

		if (b->hex) {
			int hi = hexv(c), lo;

			if (hi < 0)
				continue;
			while (b->s < b->end && hexv(*b->s) < 0)
				b->s++;
			lo = b->s < b->end ? hexv(*b->s++) : 0;
			return hi << 4 | lo;
		}
		if (c == '\r') {
			if (b->s < b->end && *b->s == '\n')
				b->s++;
			return '\n';
		}
		if (c != '\\')
			return c;
		if (b->s >= b->end)
			return -1;
		c = *b->s++;
		switch (c) {
		case 'n': return '\n';
		case 'r': return '\r';
		case 't': return '\t';
		case 'b': return '\b';
		case 'f': return '\f';
		case '\r':		/* a line continued: nothing */
			if (b->s < b->end && *b->s == '\n')
				b->s++;
			continue;
		case '\n':
			continue;
		}
		if (c >= '0' && c <= '7') {
			int v = c - '0';

			for (int i = 0; i < 2 && b->s < b->end && *b->s >= '0' &&
			    *b->s <= '7'; i++)
				v = v * 8 + (*b->s++ - '0');
			return v & 0xff;
		}
		return c;
	}
	return -1;
}

static void
show_byte(struct cvt_out *o, int c)
{
	uint32_t cp = cvt_cp1252((unsigned char)c);

	cvt_char(o, cp ? cp : ' ');
}

/* The text of a shown string: UTF-16BE after a byte order mark, else
 * each byte through Windows-1252 (standard and WinAnsi encodings alike;
 * fonts with encodings of their own come out wrong, see cvtext.h). */
static void
show(struct cvt_out *o, const struct ptok *t)
{
	struct sbytes b = { t->s, t->s + t->n, t->k == PT_HEX };
	int c0 = sb_next(&b), c1 = c0 < 0 ? -1 : sb_next(&b), c;

	if (c0 == 0xfe && c1 == 0xff) {
		while ((c0 = sb_next(&b)) >= 0 && (c1 = sb_next(&b)) >= 0 &&
		    !o->full)
			cvt_char(o, (uint32_t)c0 << 8 | (uint32_t)c1);
		return;
	}
	if (c0 >= 0)
		show_byte(o, c0);
	if (c1 >= 0)
		show_byte(o, c1);
	while ((c = sb_next(&b)) >= 0 && !o->full)
		show_byte(o, c);
}

/* TJ: strings, and numbers that move the next one (spaces when wide). */
static void
show_array(struct cvt_out *o, struct plex l)
{
	struct ptok t;

	while (!o->full) {
		switch (lex_next(&l, &t)) {
		case PT_STR: case PT_HEX:
			show(o, &t);
			break;
		case PT_NUM:
			if (t.v < -TJ_SPACE)
				cvt_space(o);
			break;
		case PT_ACLOSE: case PT_END:
			return;
		default:
			break;
		}
	}
}

/* Passes an inline image (BI ... ID data EI), whose data is binary. */
static void
skip_inline_image(struct plex *l)
{
	const unsigned char *data;
	struct ptok t;

	while (lex_next(l, &t) != PT_END)
		if (t.k == PT_WORD && tok_is(&t, "ID"))
			break;
	if (t.k == PT_END)
		return;
	if (l->p < l->end)
		l->p++;		/* the one white-space byte after ID */
	data = l->p;
	while (l->p < l->end) {
		const unsigned char *e = memmem(l->p, (size_t)(l->end - l->p),
		    "EI", 2);

		if (e == NULL) {
			l->p = l->end;
			return;
		}
		l->p = e + 2;
		/* data starts after "ID ": e[-1] is inside the stream */
		if ((e == data || is_ws(e[-1])) &&
		    (e + 2 == l->end || is_ws(e[2]) || is_delim(e[2])))
			return;
	}
}

static void
content_text(struct cvt_out *o, const unsigned char *s, size_t n)
{
	struct plex l = { s, s + n }, arr = { NULL, NULL };
	struct ptok t, str = { PT_END, NULL, 0, 0 };
	int has_str = 0, has_arr = 0;

	while (!o->full) {
		switch (lex_next(&l, &t)) {
		case PT_END:
			return;
		case PT_STR: case PT_HEX:
			str = t;
			has_str = 1;
			break;
		case PT_AOPEN:
			arr = l;
			has_arr = skip_value(&l, &t);
			arr.end = l.p;
			break;
		case PT_WORD:
			if ((tok_is(&t, "Tj") || tok_is(&t, "'") ||
			    tok_is(&t, "\"")) && has_str) {
				if (t.s[0] != 'T')
					cvt_space(o);
				show(o, &str);
			} else if (tok_is(&t, "TJ") && has_arr)
				show_array(o, arr);
			else if (tok_is(&t, "Td") || tok_is(&t, "TD") ||
			    tok_is(&t, "T*") || tok_is(&t, "Tm") ||
			    tok_is(&t, "BT") || tok_is(&t, "ET"))
				cvt_space(o);
			else if (tok_is(&t, "BI"))
				skip_inline_image(&l);
			has_str = has_arr = 0;
			break;
		default:
			break;
		}
	}
}

/* ---- the file: objects, streams ---- */

static size_t
endstream_from(struct pdf *p, size_t from)
{
	if (from < p->es_from || (p->es_at < p->len && from > p->es_at)) {
		const unsigned char *e = from < p->len ? memmem(p->d + from,
		    p->len - from, "endstream", 9) : NULL;

		p->es_from = from;
		p->es_at = e ? (size_t)(e - p->d) : p->len;
	}
	return p->es_at;
}

/* Where the data of a stream starting at start ends, and *after where
 * scanning goes on. */
static size_t
stream_end(struct pdf *p, size_t start, const struct sdict *sd, size_t *after)
{
	size_t end, e;

	if (sd->length >= 0 && (unsigned long long)sd->length <= p->len - start) {
		end = start + (size_t)sd->length;
		for (e = end; e < p->len && is_ws(p->d[e]); e++)
			;
		if (p->len - e >= 9 && memcmp(p->d + e, "endstream", 9) == 0) {
			*after = e + 9;
			return end;
		}
	}
	if ((e = endstream_from(p, start)) >= p->len) {
		*after = p->len;
		return p->len;
	}
	*after = e + 9;
	end = e;
	if (end > start && p->d[end - 1] == '\n')
		end--;
	if (end > start && p->d[end - 1] == '\r')
		end--;
	return end;
}

/* A file whose strings and streams are encrypted: nothing to read. */
static int
encrypted(const unsigned char *d, size_t len)
{
	const unsigned char *p = d, *e;

	while ((e = memmem(p, len - (size_t)(p - d), "/Encrypt", 8)) != NULL) {
		p = e + 8;
		while (p < d + len && is_ws(*p))
			p++;
		if (p < d + len && ((*p >= '0' && *p <= '9') || *p == '<'))
			return 1;
	}
	return 0;
}

int
cvt_pdf(struct cvt_out *o, const unsigned char *d, size_t len)
{
	struct pdf p = { o, d, len, 1, 0 };
	const unsigned char *h = memmem(d, len < 1024 ? len : 1024, "%PDF-", 5);
	size_t pos;
	int rc = HE_OK;

	if (h == NULL)
		return HE_INVALID;
	if (encrypted(d, len))
		return HE_OK;
	pos = (size_t)(h - d) + 5;
	while (rc == HE_OK && pos < len && !o->full &&
	    o->inflated < CVTEXT_INFLATE_MAX) {
		const unsigned char *q = memmem(d + pos, len - pos, "obj", 3);
		struct sdict sd = { .length = -1 };
		struct plex l;
		struct ptok t;
		size_t at, start, end, after;

		if (q == NULL)
			break;
		at = (size_t)(q - d);
		pos = at + 3;
		/* "N G obj", not "endobj" nor a word that holds "obj". */
		if (!is_ws(d[at - 1]) || (pos < len && !is_ws(d[pos]) &&
		    !is_delim(d[pos])))
			continue;
		l = (struct plex){ d + pos, d + len };
		if (lex_next(&l, &t) != PT_DOPEN)
			continue;
		if (!parse_dict(&l, &sd)) {
			pos = (size_t)(l.p - d);
			continue;
		}
		pos = (size_t)(l.p - d);
		if (lex_next(&l, &t) != PT_WORD || !tok_is(&t, "stream"))
			continue;
		start = (size_t)(l.p - d);
		if (start < len && d[start] == '\r')
			start++;
		if (start < len && d[start] == '\n')
			start++;
		end = stream_end(&p, start, &sd, &after);
		if (!sd.skip) {
			unsigned char *buf;
			const unsigned char *data;
			size_t dlen;

			rc = decode(&p, &sd, d + start, end - start, &buf, &data,
			    &dlen);
			if (rc == HE_OK)
				content_text(o, data, dlen);
			free(buf);
			cvt_space(o);
		}
		pos = after;
	}
	return rc;
}
