/* cvtext_font.c: what a PDF font's codes say: ToUnicode maps and encodings */
#include <stdlib.h>
#include <string.h>

#include "util/cvtext.h"
#include "util/cvtext_int.h"
#include "util/cvtext_pdf.h"
#include "util/he.h"

/*
 * A string shown in a PDF holds codes of its font, not characters. Fonts
 * made for a document (subsets numbered from 1, CID fonts whose codes are
 * glyph numbers: LibreOffice, Chrome's and Google Docs' PDFs, Word with
 * other scripts) say what each code means in a ToUnicode map, a CMap whose
 * bfchar and bfrange sections are read here. Simple fonts may instead
 * rename codes with an encoding's /Differences (TeX's ligatures), whose
 * glyph names are looked up in the names of Windows-1252 and a few more.
 * A font with neither is read as Windows-1252.
 *
 * The glyphs' widths (/Widths of simple fonts, /W and /DW of CID fonts)
 * tell how far each string moves, so that text placed run by run or glyph
 * by glyph (Chrome's PDFs) is not cut into letters.
 */

/* Fonts read per file, code mappings kept for all of them, code points
 * one code may stand for. */
#define FONTS_MAX 256
#define CMAP_TOTAL_MAX (1u << 18)
#define CMAP_CPS 8

struct cme {			/* one code: pool[off .. off + n) */
	uint32_t code;
	uint32_t off;
	uint32_t n;
};

struct cmr {			/* codes lo..hi: cp, cp + 1, ... */
	uint32_t lo, hi, cp;
};

struct cw {			/* CIDs lo..hi are w wide */
	uint32_t lo, hi;
	float w;
};

struct cvtext_font {
	int codelen;		/* bytes a code */
	int has_widths;
	uint32_t first;		/* simple fonts: widths of codes first.. */
	float widths[256];
	float dw;		/* CID fonts: the default width, and /W */
	struct cw *cw;
	size_t ncw, capcw;
	int has_map;
	struct cme *map;
	size_t nmap, capmap;
	struct cmr *ranges;
	size_t nranges, capranges;
	uint32_t *pool;
	size_t npool, cappool;
	uint32_t simple[256];	/* from /Differences; 0: as Windows-1252 */
};

struct cvtext_fonts {
	struct {
		uint32_t num;
		struct cvtext_font *f;
	} e[FONTS_MAX];
	size_t n;
	size_t total;		/* code mappings of all fonts */
};

/* ---- glyph names ---- */

/* The names of Windows-1252's characters, from 0x20 (PDF 1.7, annex D). */
static const char *const winansi[224] = {
	"space", "exclam", "quotedbl", "numbersign", "dollar", "percent",
	"ampersand", "quotesingle", "parenleft", "parenright", "asterisk",
	"plus", "comma", "hyphen", "period", "slash", "zero", "one", "two",
	"three", "four", "five", "six", "seven", "eight", "nine", "colon",
	"semicolon", "less", "equal", "greater", "question", "at",
	"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N",
	"O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
	"bracketleft", "backslash", "bracketright", "asciicircum",
	"underscore", "grave",
	"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
	"o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
	"braceleft", "bar", "braceright", "asciitilde", NULL,
	"Euro", NULL, "quotesinglbase", "florin", "quotedblbase", "ellipsis",
	"dagger", "daggerdbl", "circumflex", "perthousand", "Scaron",
	"guilsinglleft", "OE", NULL, "Zcaron", NULL, NULL, "quoteleft",
	"quoteright", "quotedblleft", "quotedblright", "bullet", "endash",
	"emdash", "tilde", "trademark", "scaron", "guilsinglright", "oe", NULL,
	"zcaron", "Ydieresis", "nbspace", "exclamdown", "cent", "sterling",
	"currency", "yen", "brokenbar", "section", "dieresis", "copyright",
	"ordfeminine", "guillemotleft", "logicalnot", "sfthyphen", "registered",
	"macron", "degree", "plusminus", "twosuperior", "threesuperior",
	"acute", "mu", "paragraph", "periodcentered", "cedilla", "onesuperior",
	"ordmasculine", "guillemotright", "onequarter", "onehalf",
	"threequarters", "questiondown", "Agrave", "Aacute", "Acircumflex",
	"Atilde", "Adieresis", "Aring", "AE", "Ccedilla", "Egrave", "Eacute",
	"Ecircumflex", "Edieresis", "Igrave", "Iacute", "Icircumflex",
	"Idieresis", "Eth", "Ntilde", "Ograve", "Oacute", "Ocircumflex",
	"Otilde", "Odieresis", "multiply", "Oslash", "Ugrave", "Uacute",
	"Ucircumflex", "Udieresis", "Yacute", "Thorn", "germandbls", "agrave",
	"aacute", "acircumflex", "atilde", "adieresis", "aring", "ae",
	"ccedilla", "egrave", "eacute", "ecircumflex", "edieresis", "igrave",
	"iacute", "icircumflex", "idieresis", "eth", "ntilde", "ograve",
	"oacute", "ocircumflex", "otilde", "odieresis", "divide", "oslash",
	"ugrave", "uacute", "ucircumflex", "udieresis", "yacute", "thorn",
	"ydieresis",
};

static const struct {
	const char *name;
	uint32_t cp;
} more_names[] = {
	{ "ff", 0xfb00 }, { "fi", 0xfb01 }, { "fl", 0xfb02 }, { "ffi", 0xfb03 },
	{ "ffl", 0xfb04 }, { "f_f", 0xfb00 }, { "f_i", 0xfb01 },
	{ "f_l", 0xfb02 }, { "f_f_i", 0xfb03 }, { "f_f_l", 0xfb04 },
	{ "dotlessi", 0x131 }, { "Lslash", 0x141 }, { "lslash", 0x142 },
	{ "minus", 0x2212 }, { "fraction", 0x2044 }, { "quoteright", 0x2019 },
	{ "hyphenminus", '-' }, { "middot", 0xb7 }, { "nonbreakingspace", 0xa0 },
};

static int
name_is(const unsigned char *s, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* The code point of glyph name s[0..n): "uniXXXX", "uXXXX[XX]", a
 * Windows-1252 name, a ligature; 0 when unknown. A suffix (".sc",
 * ".alt") is dropped. */
static uint32_t
glyph_cp(const unsigned char *s, size_t n)
{
	const unsigned char *dot = memchr(s, '.', n);
	uint32_t cp = 0;

	if (dot && dot > s)
		n = (size_t)(dot - s);
	if (n == 1 && ((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return s[0];
	if ((n == 7 && memcmp(s, "uni", 3) == 0) || ((n == 5 || n == 6 ||
	    n == 7) && s[0] == 'u' && s[1] != 'n')) {
		size_t from = s[1] == 'n' ? 3 : 1;

		for (size_t i = from; i < n; i++) {
			int v = cvtext_hexv(s[i]);

			if (v < 0)
				return 0;
			cp = cp << 4 | (uint32_t)v;
		}
		return cp <= 0x10ffff ? cp : 0;
	}
	for (size_t i = 0; i < sizeof winansi / sizeof *winansi; i++)
		if (winansi[i] && name_is(s, n, winansi[i]))
			return cvtext_cp1252((unsigned char)(i + 0x20));
	for (size_t i = 0; i < sizeof more_names / sizeof *more_names; i++)
		if (name_is(s, n, more_names[i].name))
			return more_names[i].cp;
	return 0;
}

/* /Differences [code /name /name code /name ...] */
static void
differences(struct cvtext_font *f, struct plex v)
{
	struct ptok t;
	long code = 0;

	while (cvtext_lex(&v, &t) != PT_ACLOSE && t.k != PT_END) {
		if (t.k == PT_NUM)
			code = t.v >= 0 && t.v < 256 ? (long)t.v : 256;
		else if (t.k == PT_NAME) {
			if (code >= 0 && code < 256) {
				uint32_t cp = glyph_cp(t.s, t.n);

				if (cp)
					f->simple[code] = cp;
			}
			code++;
		}
	}
}

/* ---- ToUnicode CMaps ---- */

static int
grow(void **a, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 1;
	while (c < need)
		c *= 2;
	if ((q = realloc(*a, c * size)) == NULL)
		return 0;
	*a = q;
	*cap = c;
	return 1;
}

/* A hex string as a code: its value and length in bytes (0: too long). */
static size_t
code_of(const struct ptok *t, uint32_t *code)
{
	struct sbytes b;
	size_t n = 0;
	int c;

	*code = 0;
	cvtext_sbytes(&b, t);
	while ((c = cvtext_sb_next(&b)) >= 0) {
		if (++n > 4)
			return 0;
		*code = *code << 8 | (uint32_t)c;
	}
	return n;
}

/* A hex string of UTF-16BE as code points; how many (at most max). */
static size_t
utf16_of(const struct ptok *t, uint32_t *cps, size_t max)
{
	struct sbytes b;
	size_t n = 0;
	int hi, lo;

	cvtext_sbytes(&b, t);
	while (n < max && (hi = cvtext_sb_next(&b)) >= 0 &&
	    (lo = cvtext_sb_next(&b)) >= 0) {
		uint32_t u = (uint32_t)hi << 8 | (uint32_t)lo;

		if (u >= 0xd800 && u < 0xdc00) {
			int h2 = cvtext_sb_next(&b), l2;
			uint32_t w;

			l2 = h2 < 0 ? -1 : cvtext_sb_next(&b);
			w = (uint32_t)h2 << 8 | (uint32_t)l2;

			if (l2 < 0 || w < 0xdc00 || w >= 0xe000)
				break;
			u = 0x10000 + ((u - 0xd800) << 10) + (w - 0xdc00);
		}
		cps[n++] = u;
	}
	return n;
}

static void
add_char(struct cvtext_fonts *fs, struct cvtext_font *f, uint32_t code,
    const uint32_t *cps, size_t n)
{
	if (n == 0 || fs->total >= CMAP_TOTAL_MAX ||
	    !grow((void **)&f->map, &f->capmap, f->nmap + 1, sizeof *f->map) ||
	    !grow((void **)&f->pool, &f->cappool, f->npool + n, sizeof *f->pool))
		return;
	memcpy(f->pool + f->npool, cps, n * sizeof *cps);
	f->map[f->nmap++] = (struct cme){ code, (uint32_t)f->npool, (uint32_t)n };
	f->npool += n;
	fs->total++;
	f->has_map = 1;
}

static void
add_range(struct cvtext_fonts *fs, struct cvtext_font *f, uint32_t lo, uint32_t hi,
    uint32_t cp)
{
	if (hi < lo || fs->total >= CMAP_TOTAL_MAX ||
	    !grow((void **)&f->ranges, &f->capranges, f->nranges + 1,
	    sizeof *f->ranges))
		return;
	f->ranges[f->nranges++] = (struct cmr){ lo, hi, cp };
	fs->total++;
	f->has_map = 1;
}

static int
cme_cmp(const void *a, const void *b)
{
	const struct cme *x = a, *y = b;

	return x->code < y->code ? -1 : x->code > y->code;
}

static int
cmr_cmp(const void *a, const void *b)
{
	const struct cmr *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Two hex strings in a row (a code space, a bfchar pair, a range). */
static int
hex_pair(struct plex *l, struct ptok *a, struct ptok *b)
{
	return cvtext_lex(l, a) == PT_HEX && cvtext_lex(l, b) == PT_HEX;
}

/* <code> <utf-16> (or /glyphname) pairs, up to endbfchar. */
static void
bfchar(struct cvtext_fonts *fs, struct cvtext_font *f, struct plex *l)
{
	uint32_t cps[CMAP_CPS], code;
	struct ptok a, b;

	while (cvtext_lex(l, &a) == PT_HEX) {
		if (cvtext_lex(l, &b) == PT_HEX && code_of(&a, &code))
			add_char(fs, f, code, cps, utf16_of(&b, cps, CMAP_CPS));
		else if (b.k == PT_NAME && code_of(&a, &code) &&
		    (cps[0] = glyph_cp(b.s, b.n)) != 0)
			add_char(fs, f, code, cps, 1);
	}
}

/* <lo> <hi> <utf-16> (its last code point counts up along the range) or
 * <lo> <hi> [<utf-16> ...], up to endbfrange. */
static void
bfrange(struct cvtext_fonts *fs, struct cvtext_font *f, struct plex *l)
{
	uint32_t cps[CMAP_CPS], lo, hi, code;
	struct ptok a, b, c;
	size_t k;

	while (hex_pair(l, &a, &b)) {
		if (!code_of(&a, &lo) || !code_of(&b, &hi))
			lo = 1, hi = 0;		/* read, but no range */
		if (cvtext_lex(l, &c) == PT_HEX) {
			if ((k = utf16_of(&c, cps, CMAP_CPS)) == 1)
				add_range(fs, f, lo, hi, cps[0]);
			for (code = lo; k > 1 && code <= hi && code - lo < 256;
			    code++) {
				add_char(fs, f, code, cps, k);
				cps[k - 1]++;
			}
		} else if (c.k == PT_AOPEN) {
			for (code = lo; cvtext_lex(l, &c) == PT_HEX; code++)
				if (code <= hi && code - lo < 65536)
					add_char(fs, f, code, cps,
					    utf16_of(&c, cps, CMAP_CPS));
		} else
			return;
	}
}

static void
cmap_parse(struct pdf *p, struct cvtext_fonts *fs, struct cvtext_font *f,
    const unsigned char *s, size_t n)
{
	struct plex l = { s, s + n, cvtext_pdf_work(p) };
	struct ptok t, a, b;
	uint32_t lo;
	int spaces = 0;

	while (cvtext_lex(&l, &t) != PT_END) {
		if (t.k != PT_WORD)
			continue;
		if (cvtext_is(&t, "begincodespacerange")) {
			while (hex_pair(&l, &a, &b)) {
				size_t len = code_of(&a, &lo);

				/* The first range's width; mixed widths are rare in
				 * the maps of embedded fonts. */
				if (!spaces++ && len >= 1 && len <= 4)
					f->codelen = (int)len;
			}
		} else if (cvtext_is(&t, "beginbfchar"))
			bfchar(fs, f, &l);
		else if (cvtext_is(&t, "beginbfrange"))
			bfrange(fs, f, &l);
	}
	/* qsort takes no NULL, even for nothing */
	if (f->nmap > 1)
		qsort(f->map, f->nmap, sizeof *f->map, cme_cmp);
	if (f->nranges > 1)
		qsort(f->ranges, f->nranges, sizeof *f->ranges, cmr_cmp);
}

/* The code points of code; how many (*cps points at them). */
static size_t
cmap_lookup(const struct cvtext_font *f, uint32_t code, const uint32_t **cps,
    uint32_t *one)
{
	size_t lo = 0, hi = f->nmap;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->map[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->nmap && f->map[lo].code == code) {
		*cps = f->pool + f->map[lo].off;
		return f->map[lo].n;
	}
	lo = 0;
	hi = f->nranges;
	while (lo < hi) {	/* the first range that starts above code */
		size_t mid = lo + (hi - lo) / 2;

		if (f->ranges[mid].lo <= code)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && code <= f->ranges[lo - 1].hi) {
		*one = f->ranges[lo - 1].cp + (code - f->ranges[lo - 1].lo);
		*cps = one;
		return 1;
	}
	return 0;
}

/* ---- widths ---- */

static int
cw_cmp(const void *a, const void *b)
{
	const struct cw *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void
add_cw(struct cvtext_fonts *fs, struct cvtext_font *f, double lo, double hi,
    double w)
{
	if (lo < 0 || hi < lo || hi > UINT32_MAX || fs->total >= CMAP_TOTAL_MAX ||
	    !grow((void **)&f->cw, &f->capcw, f->ncw + 1, sizeof *f->cw))
		return;
	f->cw[f->ncw++] = (struct cw){ (uint32_t)lo, (uint32_t)hi, (float)w };
	fs->total++;
}

/* A CID font's /DW and /W [c [w1 w2 ...] c1 c2 w ...]. */
static void
cid_widths(struct pdf *p, struct cvtext_fonts *fs, struct cvtext_font *f,
    struct plex cid)
{
	struct plex v;
	struct ptok a, b, c;

	f->dw = 1000;
	if (cvtext_dict_find(cid, "DW", &v) && cvtext_lex(&v, &a) == PT_NUM)
		f->dw = (float)a.v;
	f->has_widths = 1;
	if (!cvtext_dict_find(cid, "W", &v) || !cvtext_deref(p, &v) ||
	    cvtext_lex(&v, &a) != PT_AOPEN)
		return;
	while (cvtext_lex(&v, &a) == PT_NUM) {
		if (cvtext_lex(&v, &b) == PT_AOPEN) {
			double cid_ = a.v;

			while (cvtext_lex(&v, &c) == PT_NUM) {
				add_cw(fs, f, cid_, cid_, c.v);
				cid_++;
			}
			if (c.k != PT_ACLOSE)
				break;
		} else if (b.k == PT_NUM && cvtext_lex(&v, &c) == PT_NUM)
			add_cw(fs, f, a.v, b.v, c.v);
		else
			break;
	}
	if (f->ncw > 1)
		qsort(f->cw, f->ncw, sizeof *f->cw, cw_cmp);
}

/* A simple font's /FirstChar and /Widths. */
static void
simple_widths(struct pdf *p, struct cvtext_font *f, struct plex d)
{
	struct plex v;
	struct ptok t;
	uint32_t code;

	if (!cvtext_dict_find(d, "FirstChar", &v) || cvtext_lex(&v, &t) != PT_NUM ||
	    t.v < 0 || t.v > 255)
		return;
	f->first = code = (uint32_t)t.v;
	if (!cvtext_dict_find(d, "Widths", &v) || !cvtext_deref(p, &v) ||
	    cvtext_lex(&v, &t) != PT_AOPEN)
		return;
	while (cvtext_lex(&v, &t) == PT_NUM && code < 256)
		f->widths[code++] = (float)t.v;
	f->has_widths = 1;
}

static double
width_of(const struct cvtext_font *f, uint32_t code)
{
	size_t lo = 0, hi = f->ncw;

	if (f->codelen == 1)
		return code < 256 ? f->widths[code] : 0;
	while (lo < hi) {	/* the first run that starts above code */
		size_t mid = lo + (hi - lo) / 2;

		if (f->cw[mid].lo <= code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && code <= f->cw[lo - 1].hi ? f->cw[lo - 1].w : f->dw;
}

/* ---- fonts ---- */

static int
name_value(struct plex d, const char *key, const char *name)
{
	struct plex v;
	struct ptok t;

	return cvtext_dict_find(d, key, &v) && cvtext_lex(&v, &t) == PT_NAME &&
	    cvtext_is(&t, name);
}

static struct cvtext_font *
font_load(struct pdf *p, struct cvtext_fonts *fs, uint32_t num)
{
	struct cvtext_font *f = calloc(1, sizeof *f);
	struct plex l, v, e;
	struct ptok t;
	int has_enc;
	uint32_t tu;

	if (f == NULL)
		return NULL;
	if (!cvtext_obj(p, num, &l) || cvtext_lex(&l, &t) != PT_DOPEN)
		return f;
	f->codelen = name_value(l, "Subtype", "Type0") ? 2 : 1;
	if (f->codelen == 2) {
		if (cvtext_dict_find(l, "DescendantFonts", &v) &&
		    cvtext_deref(p, &v) && cvtext_lex(&v, &t) == PT_AOPEN &&
		    cvtext_deref(p, &v) && cvtext_lex(&v, &t) == PT_DOPEN)
			cid_widths(p, fs, f, v);
	} else
		simple_widths(p, f, l);
	has_enc = cvtext_dict_find(l, "Encoding", &e);
	if (has_enc && cvtext_deref(p, &e) && cvtext_lex(&e, &t) == PT_DOPEN &&
	    cvtext_dict_find(e, "Differences", &v) && cvtext_deref(p, &v) &&
	    cvtext_lex(&v, &t) == PT_AOPEN)
		differences(f, v);
	if (cvtext_dict_find(l, "ToUnicode", &v) && (tu = cvtext_ref(v)) != 0) {
		const unsigned char *data;
		unsigned char *buf;
		size_t len;

		if (cvtext_stream(p, tu, &buf, &data, &len) == HE_OK && len)
			cmap_parse(p, fs, f, data, len);
		free(buf);
	}
	/* TeX's Type 1 fonts in their own encoding (OT1) put the ligatures
	 * on codes that are controls elsewhere. */
	if (!has_enc && !f->has_map && name_value(l, "Subtype", "Type1")) {
		static const uint32_t ot1[] = { 0xfb00, 0xfb01, 0xfb02, 0xfb03,
		    0xfb04 };

		memcpy(f->simple + 11, ot1, sizeof ot1);
	}
	return f;
}

struct cvtext_fonts *
cvtext_fonts_new(void)
{
	return calloc(1, sizeof(struct cvtext_fonts));
}

static void
font_free(struct cvtext_font *f)
{
	if (f == NULL)
		return;
	free(f->map);
	free(f->ranges);
	free(f->cw);
	free(f->pool);
	free(f);
}

void
cvtext_fonts_free(struct cvtext_fonts *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++)
		font_free(fs->e[i].f);
	free(fs);
}

struct cvtext_font *
cvtext_font_get(struct pdf *p, struct cvtext_fonts *fs, uint32_t num)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->e[i].num == num)
			return fs->e[i].f;
	if (fs->n == FONTS_MAX)
		return NULL;
	/* Noted before reading: a font whose ToUnicode names it again. */
	fs->e[fs->n].num = num;
	fs->e[fs->n].f = NULL;
	fs->n++;
	return fs->e[fs->n - 1].f = font_load(p, fs, num);
}

static void
show_cp(struct cvtext_out *o, uint32_t cp)
{
	cvtext_char(o, cp ? cp : ' ');
}

void
cvtext_font_show(struct cvtext_out *o, const struct cvtext_font *f,
    const struct ptok *t, struct cvtext_adv *adv)
{
	struct sbytes b;
	int c0, c1, c;

	memset(adv, 0, sizeof *adv);
	cvtext_sbytes(&b, t);
	if (f) {
		/* A CMap may say codes are wider than a Type 0 font's two. */
		int len = f->codelen >= 1 && f->codelen <= 4 ? f->codelen : 1;

		adv->known = f->has_widths;
		for (;;) {
			const uint32_t *cps;
			uint32_t code = 0, one;
			size_t n;
			int k;

			for (k = 0; k < len && (c = cvtext_sb_next(&b)) >= 0; k++)
				code = code << 8 | (uint32_t)c;
			if (k < len)
				return;
			adv->w += width_of(f, code);
			adv->glyphs++;
			adv->spaces += len == 1 && code == ' ';
			if (o->full)
				continue;	/* the advance still counts */
			n = f->has_map ? cmap_lookup(f, code, &cps, &one) : 0;
			if (n > 0)
				for (size_t i = 0; i < n; i++)
					show_cp(o, cps[i]);
			else if (len == 1)
				show_cp(o, f->simple[code] ? f->simple[code] :
				    cvtext_cp1252((unsigned char)code));
			else
				cvtext_space(o);	/* a glyph's number */
		}
	}
	/* No font known: UTF-16BE after a byte order mark (some writers),
	 * else Windows-1252 (the standard and WinAnsi encodings alike). */
	c0 = cvtext_sb_next(&b);
	c1 = c0 < 0 ? -1 : cvtext_sb_next(&b);
	if (c0 == 0xfe && c1 == 0xff) {
		while ((c0 = cvtext_sb_next(&b)) >= 0 &&
		    (c1 = cvtext_sb_next(&b)) >= 0 && !o->full)
			cvtext_char(o, (uint32_t)c0 << 8 | (uint32_t)c1);
		return;
	}
	if (c0 >= 0)
		show_cp(o, cvtext_cp1252((unsigned char)c0));
	if (c1 >= 0)
		show_cp(o, cvtext_cp1252((unsigned char)c1));
	while ((c = cvtext_sb_next(&b)) >= 0 && !o->full)
		show_cp(o, cvtext_cp1252((unsigned char)c));
}
