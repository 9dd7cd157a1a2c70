/* cvtext_pdf.c: the strings a PDF's content streams show, without rendering */
#include <stdlib.h>
#include <string.h>

#include "util/cvtext.h"
#include "util/cvtext_int.h"
#include "util/cvtext_pdf.h"
#include "util/he.h"

/*
 * No cross-reference table is trusted or needed: the file is scanned for
 * "N G obj", which finds every object of a damaged or incrementally updated
 * file as well, and object streams are opened to find the objects inside.
 * Then each page's content streams are read with the page's fonts (their
 * ToUnicode maps and encodings, pdf_font.c), and after them every other
 * stream that may hold text (form XObjects with their own resources, and
 * content that no page names), without fonts when none are known. Streams
 * that cannot be page content (images, fonts, metadata, ICC profiles) are
 * passed over by their dictionaries.
 *
 * Bounds: each byte of the file is scanned a bounded number of times;
 * decoding takes from the budget of CVTEXT_INFLATE_MAX; every token read
 * counts, and reading stops after CVTEXT_PDF_WORK_MAX of them (a page tree
 * that names one large dictionary again and again); tables of objects,
 * pages and streams are capped.
 */

#define FILTERS_MAX 4
#define OBJS_MAX (1u << 20)
#define STREAMS_MAX (1u << 18)
#define PAGES_MAX (1u << 18)
#define OBJSTM_OBJS_MAX 65536
#define REF_DEPTH 8
#define PARENT_DEPTH 16
#define FTAB_MAX 64

/* ---- tokens ---- */

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

int
cvtext_is(const struct ptok *t, const char *s)
{
	size_t n = strlen(s);

	return t->n == n && memcmp(t->s, s, n) == 0;
}

int
cvtext_hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
enum ptok_kind
cvtext_lex(struct plex *l, struct ptok *t)
{
	const unsigned char *p;

	t->s = l->p;
	t->n = 0;
	t->v = 0;
	if (++*l->work > CVTEXT_PDF_WORK_MAX)
		l->p = l->end;
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

int
cvtext_skip(struct plex *l, const struct ptok *t)
{
	struct ptok u;
	int depth;

	if (t->k != PT_AOPEN && t->k != PT_DOPEN)
		return t->k != PT_END;
	for (depth = 1; depth > 0;) {
		switch (cvtext_lex(l, &u)) {
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

void
cvtext_sbytes(struct sbytes *b, const struct ptok *t)
{
	b->s = t->s;
	b->end = t->s + t->n;
	b->hex = t->k == PT_HEX;
}

int
cvtext_sb_next(struct sbytes *b)
{
	while (b->s < b->end) {
		unsigned char c = *b->s++;

		if (b->hex) {
			int hi = cvtext_hexv(c), lo;

			if (hi < 0)
				continue;
			while (b->s < b->end && cvtext_hexv(*b->s) < 0)
				b->s++;
			lo = b->s < b->end ? cvtext_hexv(*b->s++) : 0;
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

/* ---- dictionaries ---- */

enum filter { F_FLATE, F_AHX, F_A85 };

struct sdict {
	enum filter filters[FILTERS_MAX];
	size_t nfilters;
	int undecodable;	/* a filter or predictor not for us */
	int not_content;	/* an image, a font, metadata... */
	long long length;	/* -1: not given directly */
	uint32_t length_ref;	/* given as a reference to this object */
	int objstm, page, form;
	long long n, first;	/* of an object stream */
	int has_res;
	struct plex res;	/* /Resources */
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
		sd->undecodable = 1;
		return;
	}
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (cvtext_is(t, known[i].name)) {
			sd->filters[sd->nfilters++] = known[i].f;
			return;
		}
	sd->undecodable = 1;	/* DCT, LZW, JBIG2, Crypt...: not for us */
}

/* Names of /Type and /Subtype that are never page content. */
static int
not_content(const struct ptok *t)
{
	static const char *const kinds[] = { "XRef", "ObjStm", "Metadata",
	    "EmbeddedFile", "Image", "XML", "Type1C", "CIDFontType0C",
	    "OpenType", "FontFile", "Pattern", "Font", NULL };

	for (size_t i = 0; kinds[i]; i++)
		if (cvtext_is(t, kinds[i]))
			return 1;
	return 0;
}

/* Keys that only streams other than page content have. */
static int
not_content_key(const struct ptok *t)
{
	static const char *const keys[] = { "Length1", "Length2", "Length3",
	    "Width", "Height", "BitsPerComponent", "FunctionType",
	    "ShadingType", "PatternType", "F", "N", "Alternate", NULL };

	for (size_t i = 0; keys[i]; i++)
		if (cvtext_is(t, keys[i]))
			return 1;
	return 0;
}

/* /DecodeParms: a predictor (images, cross-reference streams) is not
 * undone here. */
static int
parms_ok(struct plex *l, struct ptok *v, int *ok)
{
	struct ptok k, w;

	*ok = 1;
	if (v->k != PT_DOPEN) {
		*ok = v->k != PT_AOPEN;
		return cvtext_skip(l, v);
	}
	for (;;) {
		if (cvtext_lex(l, &k) == PT_DCLOSE)
			return 1;
		if (k.k == PT_END)
			return 0;
		cvtext_lex(l, &w);
		if (cvtext_is(&k, "Predictor") && w.k == PT_NUM && w.v > 1)
			*ok = 0;
		if (!cvtext_skip(l, &w))
			return 0;
	}
}

/* Reads a dictionary whose "<<" was read; 1 when it ended with ">>". */
static int
parse_dict(struct plex *l, struct sdict *sd)
{
	struct ptok key, v;

	memset(sd, 0, sizeof *sd);
	sd->length = sd->n = sd->first = -1;
	for (;;) {
		switch (cvtext_lex(l, &key)) {
		case PT_DCLOSE:
			return 1;
		case PT_END:
			return 0;
		case PT_NAME:
			break;
		default:
			/* Out of step (a reference's "0 R"): pass it. */
			if (!cvtext_skip(l, &key))
				return 0;
			continue;
		}
		if (cvtext_is(&key, "Resources")) {
			sd->has_res = 1;
			sd->res = *l;
		}
		if (cvtext_lex(l, &v) == PT_DCLOSE)
			return 1;	/* a key without a value */
		if (v.k == PT_END)
			return 0;
		if (cvtext_is(&key, "Filter") || cvtext_is(&key, "FFilter")) {
			if (cvtext_is(&key, "FFilter"))
				sd->undecodable = 1;
			if (v.k == PT_NAME)
				add_filter(sd, &v);
			else if (v.k == PT_AOPEN) {
				while (cvtext_lex(l, &v) == PT_NAME)
					add_filter(sd, &v);
				if (v.k != PT_ACLOSE)
					return 0;
			} else {
				sd->undecodable = 1;
				if (!cvtext_skip(l, &v))
					return 0;
			}
		} else if ((cvtext_is(&key, "Length") || cvtext_is(&key, "N") ||
		    cvtext_is(&key, "First")) && v.k == PT_NUM) {
			struct plex save = *l;
			struct ptok g, r;
			long long n = v.v >= 0 && v.v < 1e15 ? (long long)v.v : -1;

			if (cvtext_lex(l, &g) == PT_NUM &&
			    cvtext_lex(l, &r) == PT_WORD && cvtext_is(&r, "R")) {
				if (key.s[0] == 'L' && n > 0 && n <= UINT32_MAX)
					sd->length_ref = (uint32_t)n;
				n = -1;
			} else
				*l = save;
			if (key.s[0] == 'L')
				sd->length = n;
			else if (key.s[0] == 'N') {
				sd->n = n;
				sd->not_content = 1;
			} else
				sd->first = n;
		} else if (cvtext_is(&key, "DecodeParms") ||
		    cvtext_is(&key, "DP")) {
			int ok;

			if (!parms_ok(l, &v, &ok))
				return 0;
			sd->undecodable |= !ok;
		} else {
			if (v.k == PT_NAME && (cvtext_is(&key, "Type") ||
			    cvtext_is(&key, "Subtype"))) {
				sd->not_content |= not_content(&v);
				sd->objstm |= cvtext_is(&v, "ObjStm");
				sd->page |= cvtext_is(&key, "Type") &&
				    cvtext_is(&v, "Page");
				sd->form |= cvtext_is(&v, "Form");
			}
			if (not_content_key(&key))
				sd->not_content = 1;
			if (!cvtext_skip(l, &v))
				return 0;
		}
	}
}

int
cvtext_dict_find(struct plex l, const char *key, struct plex *val)
{
	struct ptok k, v;

	for (;;) {
		switch (cvtext_lex(&l, &k)) {
		case PT_DCLOSE: case PT_END:
			return 0;
		case PT_NAME:
			if (cvtext_is(&k, key)) {
				*val = l;
				return 1;
			}
			cvtext_lex(&l, &v);
			if (v.k == PT_DCLOSE)
				return 0;
			if (!cvtext_skip(&l, &v))
				return 0;
			break;
		default:
			if (!cvtext_skip(&l, &k))
				return 0;
			break;
		}
	}
}

uint32_t
cvtext_ref(struct plex v)
{
	struct ptok a, b, c;

	if (cvtext_lex(&v, &a) != PT_NUM || cvtext_lex(&v, &b) != PT_NUM ||
	    cvtext_lex(&v, &c) != PT_WORD || !cvtext_is(&c, "R") || a.v < 1 ||
	    a.v > UINT32_MAX)
		return 0;
	return (uint32_t)a.v;
}

/* ---- decoding ---- */

struct pobj {
	uint32_t num;
	uint32_t where;		/* 0: in the file, else object stream where - 1 */
	size_t off;		/* of the body: after "obj", or in the stream */
	uint32_t order;		/* the later of two alike wins */
	int done;		/* its content was read */
};

struct objstm {
	size_t start, end;	/* in the file */
	struct sdict sd;
	const unsigned char *data;	/* decoded: owned, or in the file */
	size_t len;
	unsigned char *owned;
};

struct cstream {		/* a stream that may hold text */
	uint32_t num;
	size_t start, end;
	struct sdict sd;
};

struct pdf {
	struct cvtext_out *o;
	const unsigned char *d;
	size_t len;
	size_t work;
	/* The first "endstream" at or after es_from: es_at (len: none). */
	size_t es_from, es_at;
	struct pobj *objs;
	size_t nobjs, capobjs;
	int sorted;
	struct objstm *stms;
	size_t nstms, capstms;
	struct cstream *cs;
	size_t ncs, capcs;
	uint32_t *pages;
	size_t npages, cappages;
	struct cvtext_fonts *fonts;
};

struct cvtext_out *
cvtext_pdf_out(struct pdf *p)
{
	return p->o;
}

size_t *
cvtext_pdf_work(struct pdf *p)
{
	return &p->work;
}

/* Room for one more of n elements of size in *a; 0 at max or no memory. */
static int
room(void **a, size_t *cap, size_t n, size_t size, size_t max)
{
	size_t c;
	void *q;

	if (n < *cap)
		return 1;
	if (n >= max)
		return 0;
	c = *cap ? *cap * 2 : 64;
	if (c > max)
		c = max;
	if ((q = realloc(*a, c * size)) == NULL)
		return 0;
	*a = q;
	*cap = c;
	return 1;
}

/* The output of an ASCII filter: at most cap bytes, from the budget. */
static int
ascii_decode(struct cvtext_out *o, enum filter f, const unsigned char *s,
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
			int v = cvtext_hexv(s[i]);

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
			i += 2;		/* PostScript's opening: some keep it */
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
			rc = cvtext_inflate(p->o, cur, curlen, 0, CVTEXT_PART_MAX,
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

/* ---- the objects of the file ---- */

static int
obj_cmp(const void *a, const void *b)
{
	const struct pobj *x = a, *y = b;

	/* Plain objects win over those in object streams (an update is
	 * written plain after them), and later ones over earlier ones. */
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if ((x->where == 0) != (y->where == 0))
		return x->where == 0 ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static struct pobj *
obj_find(struct pdf *p, uint32_t num)
{
	size_t lo = 0, hi = p->nobjs;

	if (!p->sorted) {
		if (p->nobjs > 1)
			qsort(p->objs, p->nobjs, sizeof *p->objs, obj_cmp);
		p->sorted = 1;
	}
	while (lo < hi) {	/* the first entry above num */
		size_t mid = lo + (hi - lo) / 2;

		if (p->objs[mid].num <= num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && p->objs[lo - 1].num == num ? &p->objs[lo - 1] : NULL;
}

static void
obj_add(struct pdf *p, uint32_t num, uint32_t where, size_t off)
{
	if (num == 0 || !room((void **)&p->objs, &p->capobjs, p->nobjs,
	    sizeof *p->objs, OBJS_MAX))
		return;
	p->objs[p->nobjs] = (struct pobj){ num, where, off,
	    (uint32_t)p->nobjs, 0 };
	p->nobjs++;
	p->sorted = 0;
}

int
cvtext_obj(struct pdf *p, uint32_t num, struct plex *out)
{
	struct pobj *o = obj_find(p, num);

	if (o == NULL)
		return 0;
	if (o->where == 0)
		*out = (struct plex){ p->d + o->off, p->d + p->len, &p->work };
	else {
		struct objstm *s = &p->stms[o->where - 1];

		*out = (struct plex){ s->data + o->off, s->data + s->len,
		    &p->work };
	}
	return 1;
}

int
cvtext_deref(struct pdf *p, struct plex *v)
{
	for (int i = 0; i < REF_DEPTH; i++) {
		uint32_t num = cvtext_ref(*v);

		if (num == 0)
			return 1;
		if (!cvtext_obj(p, num, v))
			return 0;
	}
	return 0;
}

/* The number of the object whose "obj" is at d[at], from "N G obj"; 0
 * when the bytes before are not that. */
static uint32_t
obj_number(const unsigned char *d, size_t at)
{
	size_t i = at, stop;
	uint64_t num = 0, mul = 1;

	for (stop = i > 8 ? i - 8 : 0; i > stop && is_ws(d[i - 1]); i--)
		;
	for (stop = i > 6 ? i - 6 : 0; i > stop && d[i - 1] >= '0' &&
	    d[i - 1] <= '9'; i--)
		;
	if (i == at || i == 0 || !is_ws(d[i - 1]))
		return 0;
	for (stop = i > 8 ? i - 8 : 0; i > stop && is_ws(d[i - 1]); i--)
		;
	for (stop = i > 10 ? i - 10 : 0; i > stop && d[i - 1] >= '0' &&
	    d[i - 1] <= '9'; i--) {
		num += (uint64_t)(d[i - 1] - '0') * mul;
		mul *= 10;
	}
	return num > 0 && num <= UINT32_MAX ? (uint32_t)num : 0;
}

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
stream_end(struct pdf *p, size_t start, long long length, size_t *after)
{
	size_t end, e;

	if (length >= 0 && (unsigned long long)length <= p->len - start) {
		end = start + (size_t)length;
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

/* Where a stream's data starts after its dictionary, when "stream"
 * follows; 0 otherwise. */
static size_t
stream_start(struct pdf *p, struct plex *l)
{
	struct ptok t;
	size_t start;

	if (cvtext_lex(l, &t) != PT_WORD || !cvtext_is(&t, "stream") ||
	    l->p < p->d || l->p > p->d + p->len)
		return 0;
	start = (size_t)(l->p - p->d);
	if (start < p->len && p->d[start] == '\r')
		start++;
	if (start < p->len && p->d[start] == '\n')
		start++;
	return start;
}

/* The length an indirect /Length names. */
static long long
length_of(struct pdf *p, const struct sdict *sd)
{
	struct plex l;
	struct ptok t;

	if (sd->length >= 0 || sd->length_ref == 0 ||
	    !cvtext_obj(p, sd->length_ref, &l) || cvtext_lex(&l, &t) != PT_NUM ||
	    t.v < 0 || t.v >= 1e15)
		return sd->length;
	return (long long)t.v;
}

int
cvtext_stream(struct pdf *p, uint32_t num, unsigned char **buf,
    const unsigned char **data, size_t *len)
{
	struct pobj *o = obj_find(p, num);
	struct sdict sd;
	struct plex l;
	struct ptok t;
	size_t start, end, after;

	*buf = NULL;
	*data = NULL;
	*len = 0;
	if (o == NULL || o->where != 0)
		return HE_OK;	/* streams are never inside object streams */
	l = (struct plex){ p->d + o->off, p->d + p->len, &p->work };
	if (cvtext_lex(&l, &t) != PT_DOPEN || !parse_dict(&l, &sd) ||
	    sd.undecodable || (start = stream_start(p, &l)) == 0)
		return HE_OK;
	end = stream_end(p, start, length_of(p, &sd), &after);
	return decode(p, &sd, p->d + start, end - start, buf, data, len);
}

/* One pass over the file: objects, object streams, pages, and the
 * streams that may hold text. */
static void
scan(struct pdf *p, size_t pos)
{
	const unsigned char *d = p->d;
	size_t len = p->len;

	while (pos < len) {
		const unsigned char *q = memmem(d + pos, len - pos, "obj", 3);
		struct sdict sd;
		struct plex l;
		struct ptok t;
		size_t at, start, end, after;
		uint32_t num;

		if (q == NULL)
			break;
		at = (size_t)(q - d);
		pos = at + 3;
		/* "N G obj", not "endobj" nor a word that holds "obj". */
		if (!is_ws(d[at - 1]) || (pos < len && !is_ws(d[pos]) &&
		    !is_delim(d[pos])))
			continue;
		num = obj_number(d, at);
		obj_add(p, num, 0, pos);
		l = (struct plex){ d + pos, d + len, &p->work };
		if (cvtext_lex(&l, &t) != PT_DOPEN)
			continue;
		if (!parse_dict(&l, &sd)) {
			pos = (size_t)(l.p - d);
			continue;
		}
		pos = (size_t)(l.p - d);
		if (sd.page && num && room((void **)&p->pages, &p->cappages,
		    p->npages, sizeof *p->pages, PAGES_MAX))
			p->pages[p->npages++] = num;
		if ((start = stream_start(p, &l)) == 0)
			continue;
		end = stream_end(p, start, sd.length, &after);
		pos = after;
		if (sd.undecodable)
			continue;
		if (sd.objstm) {
			if (room((void **)&p->stms, &p->capstms, p->nstms,
			    sizeof *p->stms, STREAMS_MAX))
				p->stms[p->nstms++] = (struct objstm){ start, end,
				    sd, NULL, 0, NULL };
		} else if (!sd.not_content && room((void **)&p->cs, &p->capcs,
		    p->ncs, sizeof *p->cs, STREAMS_MAX))
			p->cs[p->ncs++] = (struct cstream){ num, start, end, sd };
	}
}

/* Opens the object streams: their objects join the table, their page
 * dictionaries the pages. */
static int
open_objstms(struct pdf *p)
{
	for (size_t i = 0; i < p->nstms; i++) {
		struct objstm *s = &p->stms[i];
		const unsigned char *data;
		unsigned char *buf;
		size_t len;
		struct plex l;
		int rc;

		if (s->sd.n <= 0 || s->sd.first < 0)
			continue;
		rc = decode(p, &s->sd, p->d + s->start, s->end - s->start, &buf,
		    &data, &len);
		if (rc != HE_OK)
			return rc;
		if ((size_t)s->sd.first >= len) {
			free(buf);
			continue;
		}
		s->owned = buf;
		s->data = data;
		s->len = len;
		l = (struct plex){ data, data + s->sd.first, &p->work };
		for (long long k = 0; k < s->sd.n && k < OBJSTM_OBJS_MAX; k++) {
			struct ptok a, b;

			if (cvtext_lex(&l, &a) != PT_NUM ||
			    cvtext_lex(&l, &b) != PT_NUM)
				break;
			if (a.v >= 1 && a.v <= UINT32_MAX && b.v >= 0 &&
			    b.v < (double)(len - (size_t)s->sd.first))
				obj_add(p, (uint32_t)a.v, (uint32_t)i + 1,
				    (size_t)s->sd.first + (size_t)b.v);
		}
	}
	/* Pages written inside object streams (PDF 1.5 writers, pdfTeX). */
	for (size_t i = 0, n = p->nobjs; i < n; i++) {
		const struct objstm *s;
		struct plex l;
		struct ptok t;
		struct sdict sd;

		if (p->objs[i].where == 0)
			continue;
		s = &p->stms[p->objs[i].where - 1];
		l = (struct plex){ s->data + p->objs[i].off, s->data + s->len,
		    &p->work };
		if (cvtext_lex(&l, &t) == PT_DOPEN && parse_dict(&l, &sd) &&
		    sd.page && room((void **)&p->pages, &p->cappages,
		    p->npages, sizeof *p->pages, PAGES_MAX))
			p->pages[p->npages++] = p->objs[i].num;
	}
	return HE_OK;
}

/* ---- content streams: the text operators ---- */

/* The fonts a content stream may name, from its resources. */
struct ftab {
	struct {
		const unsigned char *name;
		size_t n;
		struct cvtext_font *f;
	} e[FTAB_MAX];
	size_t n;
};

static void
fonts_of(struct pdf *p, struct plex res, struct ftab *ft)
{
	struct plex v;
	struct ptok k, t;

	ft->n = 0;
	if (p->fonts == NULL || !cvtext_deref(p, &res) ||
	    cvtext_lex(&res, &t) != PT_DOPEN ||
	    !cvtext_dict_find(res, "Font", &v) || !cvtext_deref(p, &v) ||
	    cvtext_lex(&v, &t) != PT_DOPEN)
		return;
	while (ft->n < FTAB_MAX) {
		uint32_t num;

		if (cvtext_lex(&v, &k) == PT_DCLOSE || k.k == PT_END)
			return;
		if (k.k != PT_NAME) {
			if (!cvtext_skip(&v, &k))
				return;
			continue;
		}
		if ((num = cvtext_ref(v)) != 0) {
			ft->e[ft->n].name = k.s;
			ft->e[ft->n].n = k.n;
			ft->e[ft->n].f = cvtext_font_get(p, p->fonts, num);
			ft->n++;
		}
		if (cvtext_lex(&v, &t) == PT_NUM) {	/* "N G R" */
			cvtext_lex(&v, &t);
			cvtext_lex(&v, &t);
		} else if (!cvtext_skip(&v, &t))
			return;
	}
}

static struct cvtext_font *
font_named(const struct ftab *ft, const struct ptok *name)
{
	for (size_t i = 0; ft && i < ft->n; i++)
		if (ft->e[i].n == name->n && memcmp(ft->e[i].name, name->s,
		    name->n) == 0)
			return ft->e[i].f;
	return NULL;
}

/*
 * Where words part. Writers place text run by run, some glyph by glyph,
 * and the only sign of a space may be the gap between two runs: the text
 * state follows the advance of what was shown since the line began, from
 * the fonts' widths, and a move (Td) to farther than that by more than
 * WORD_GAP of the font size is a space; a move to another line is one
 * too. Without widths every move is a space.
 */
#define WORD_GAP 0.15
#define LINE_GAP 0.5

struct tstate {
	const struct cvtext_font *font;
	double size;		/* Tf */
	double tc, tw, th;	/* Tc, Tw, Tz / 100 */
	double adv;		/* text space units since the line began */
	int known;		/* adv is (every width was known) */
	double num[2];		/* the last two numbers: operands */
};

static void
advance(struct tstate *ts, const struct cvtext_adv *a)
{
	if (!a->known)
		ts->known = 0;
	ts->adv += (a->w / 1000 * ts->size + (double)a->glyphs * ts->tc +
	    (double)a->spaces * ts->tw) * ts->th;
}

static void
show(struct cvtext_out *o, struct tstate *ts, const struct ptok *t)
{
	struct cvtext_adv a;

	cvtext_font_show(o, ts->font, t, &a);
	advance(ts, &a);
}

/* A new line starts at tx, ty from the last one's start. */
static void
move(struct cvtext_out *o, struct tstate *ts, double tx, double ty)
{
	double em = ts->size * ts->th;
	double gap = tx - ts->adv;

	if (em < 0)
		em = -em;
	if (!ts->known || em == 0 || ty > LINE_GAP * em || ty < -LINE_GAP * em ||
	    gap > WORD_GAP * em || gap < -LINE_GAP * em)
		cvtext_space(o);
	ts->adv = 0;
	ts->known = 1;
}

static void
new_line(struct cvtext_out *o, struct tstate *ts)
{
	cvtext_space(o);
	ts->adv = 0;
	ts->known = 1;
}

/* TJ: strings, and numbers that move the next one (spaces when wide). */
static void
show_array(struct cvtext_out *o, struct tstate *ts, struct plex l)
{
	struct ptok t;

	for (;;) {
		switch (cvtext_lex(&l, &t)) {
		case PT_STR: case PT_HEX:
			show(o, ts, &t);
			break;
		case PT_NUM:
			if (t.v < -1000 * WORD_GAP)
				cvtext_space(o);
			ts->adv -= t.v / 1000 * ts->size * ts->th;
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

	while (cvtext_lex(l, &t) != PT_END)
		if (t.k == PT_WORD && cvtext_is(&t, "ID"))
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
content_text(struct pdf *p, const unsigned char *s, size_t n,
    const struct ftab *ft)
{
	struct cvtext_out *o = p->o;
	struct plex l = { s, s + n, &p->work }, arr = l;
	struct ptok t, str = { PT_END, NULL, 0, 0 }, name = str;
	struct tstate ts = { NULL, 1, 0, 0, 1, 0, 1, { 0, 0 } };
	int has_str = 0, has_arr = 0, has_name = 0, nums = 0;

	while (!o->full) {
		switch (cvtext_lex(&l, &t)) {
		case PT_END:
			return;
		case PT_STR: case PT_HEX:
			str = t;
			has_str = 1;
			break;
		case PT_NAME:
			name = t;
			has_name = 1;
			break;
		case PT_NUM:
			ts.num[0] = ts.num[1];
			ts.num[1] = t.v;
			nums++;
			break;
		case PT_AOPEN:
			arr = l;
			has_arr = cvtext_skip(&l, &t);
			arr.end = l.p;
			break;
		case PT_WORD:
			if (cvtext_is(&t, "Tj") && has_str)
				show(o, &ts, &str);
			else if ((cvtext_is(&t, "'") || cvtext_is(&t, "\"")) &&
			    has_str) {
				new_line(o, &ts);
				show(o, &ts, &str);
			} else if (cvtext_is(&t, "TJ") && has_arr)
				show_array(o, &ts, arr);
			else if (cvtext_is(&t, "Tf") && has_name) {
				ts.font = font_named(ft, &name);
				if (nums >= 1)
					ts.size = ts.num[1];
			} else if ((cvtext_is(&t, "Td") || cvtext_is(&t, "TD")) &&
			    nums >= 2)
				move(o, &ts, ts.num[0], ts.num[1]);
			else if (cvtext_is(&t, "Tc") && nums >= 1)
				ts.tc = ts.num[1];
			else if (cvtext_is(&t, "Tw") && nums >= 1)
				ts.tw = ts.num[1];
			else if (cvtext_is(&t, "Tz") && nums >= 1)
				ts.th = ts.num[1] / 100;
			else if (cvtext_is(&t, "T*") || cvtext_is(&t, "Tm") ||
			    cvtext_is(&t, "BT") || cvtext_is(&t, "ET") ||
			    cvtext_is(&t, "Td") || cvtext_is(&t, "TD"))
				new_line(o, &ts);
			else if (cvtext_is(&t, "BI"))
				skip_inline_image(&l);
			has_str = has_arr = has_name = nums = 0;
			break;
		default:
			break;
		}
	}
}

/* ---- the file: pages first, then what else may hold text ---- */

/* A page's resources, its own or inherited from the page tree above it. */
static int
page_resources(struct pdf *p, struct plex page, struct plex *res)
{
	struct plex parent;
	struct ptok t;

	for (int i = 0; i < PARENT_DEPTH; i++) {
		if (cvtext_lex(&page, &t) != PT_DOPEN)
			return 0;
		if (cvtext_dict_find(page, "Resources", res))
			return 1;
		if (!cvtext_dict_find(page, "Parent", &parent) ||
		    !cvtext_ref(parent) || !cvtext_deref(p, &parent))
			return 0;
		page = parent;
	}
	return 0;
}

static int
read_stream(struct pdf *p, uint32_t num, const struct ftab *ft)
{
	struct pobj *o = obj_find(p, num);
	const unsigned char *data;
	unsigned char *buf;
	size_t len;
	int rc;

	if (o == NULL || o->done)
		return HE_OK;
	o->done = 1;
	if ((rc = cvtext_stream(p, num, &buf, &data, &len)) == HE_OK && len)
		content_text(p, data, len, ft);
	free(buf);
	cvtext_space(p->o);
	return rc;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
read_pages(struct pdf *p)
{
	struct ftab *ft = malloc(sizeof *ft);
	int rc = HE_OK;

	if (ft == NULL)
		return HE_NOMEM;
	if (p->npages > 1)
		qsort(p->pages, p->npages, sizeof *p->pages, u32_cmp);
	for (size_t i = 0; rc == HE_OK && i < p->npages && !p->o->full &&
	    p->o->inflated < CVTEXT_INFLATE_MAX; i++) {
		struct plex page, res, contents;
		struct ptok t;
		uint32_t num;

		if ((i > 0 && p->pages[i] == p->pages[i - 1]) ||
		    !cvtext_obj(p, p->pages[i], &page))
			continue;
		ft->n = 0;
		if (page_resources(p, page, &res))
			fonts_of(p, res, ft);
		if (cvtext_lex(&page, &t) != PT_DOPEN ||
		    !cvtext_dict_find(page, "Contents", &contents))
			continue;
		/* One stream, or an array of them (itself maybe an object). */
		if ((num = cvtext_ref(contents)) != 0) {
			struct plex target;

			if (!cvtext_obj(p, num, &target))
				continue;
			if (cvtext_lex(&target, &t) != PT_AOPEN) {
				rc = read_stream(p, num, ft);
				continue;
			}
			contents = target;
		} else if (cvtext_lex(&contents, &t) != PT_AOPEN)
			continue;
		while (rc == HE_OK && !p->o->full && (num = cvtext_ref(contents))) {
			rc = read_stream(p, num, ft);
			cvtext_lex(&contents, &t);
			cvtext_lex(&contents, &t);
			cvtext_lex(&contents, &t);
		}
	}
	free(ft);
	return rc;
}

/* The streams no page named: forms with their resources, the rest (a
 * broken page tree, annotations) without fonts. */
static int
read_others(struct pdf *p)
{
	struct ftab *ft = malloc(sizeof *ft);
	int rc = HE_OK;

	if (ft == NULL)
		return HE_NOMEM;
	for (size_t i = 0; rc == HE_OK && i < p->ncs && !p->o->full &&
	    p->o->inflated < CVTEXT_INFLATE_MAX; i++) {
		struct cstream *c = &p->cs[i];
		struct pobj *o = c->num ? obj_find(p, c->num) : NULL;
		const unsigned char *data;
		unsigned char *buf;
		size_t len;

		if (o && o->done)
			continue;
		ft->n = 0;
		if (c->sd.has_res)
			fonts_of(p, c->sd.res, ft);
		rc = decode(p, &c->sd, p->d + c->start, c->end - c->start, &buf,
		    &data, &len);
		if (rc == HE_OK)
			content_text(p, data, len, ft);
		free(buf);
		cvtext_space(p->o);
	}
	free(ft);
	return rc;
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
cvtext_pdf(struct cvtext_out *o, const unsigned char *d, size_t len)
{
	struct pdf p = { .o = o, .d = d, .len = len, .es_from = 1 };
	const unsigned char *h = memmem(d, len < 1024 ? len : 1024, "%PDF-", 5);
	int rc;

	if (h == NULL)
		return HE_INVALID;
	if (encrypted(d, len))
		return HE_OK;
	scan(&p, (size_t)(h - d) + 5);
	p.fonts = cvtext_fonts_new();
	if ((rc = open_objstms(&p)) == HE_OK && (rc = read_pages(&p)) == HE_OK)
		rc = read_others(&p);
	cvtext_fonts_free(p.fonts);
	for (size_t i = 0; i < p.nstms; i++)
		free(p.stms[i].owned);
	free(p.stms);
	free(p.objs);
	free(p.cs);
	free(p.pages);
	return rc;
}
