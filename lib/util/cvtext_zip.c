/* cvtext_zip.c: the text of Word (.docx) and OpenDocument (.odt) files */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cvtext.h"
#include "util/cvtext_int.h"
#include "util/he.h"

/* ---- XML: the character data of chosen elements, without a tree ---- */

/* Local names (after any prefix) that say where the text is. */
struct xml_rules {
	const char *const *text;	/* elements whose content is text */
	const char *const *breaks;	/* elements whose start or end is a break */
	const char *const *skip;	/* elements whose content is left out */
};

static int
name_in(const char *const *list, const unsigned char *s, size_t n)
{
	for (; list && *list; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return 1;
	return 0;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Character data with the five XML entities and character references
 * decoded; an entity of the document's own (a DTD's) is kept as written,
 * never expanded. */
static void
xml_chars(struct cvtext_out *o, const unsigned char *s, size_t n)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = { { "lt", '<' }, { "gt", '>' }, { "amp", '&' },
	    { "quot", '"' }, { "apos", '\'' } };
	enum { N_ENTS = sizeof ents / sizeof *ents };
	size_t i = 0, from = 0;

	while (i < n && !o->full) {
		const unsigned char *semi;
		size_t k;
		uint32_t cp = 0;
		int ok = 0;

		if (s[i] != '&') {
			i++;
			continue;
		}
		cvtext_utf8(o, s + from, i - from);
		semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
		k = semi ? (size_t)(semi - (s + i)) : 0;
		if (k >= 3 && s[i + 1] == '#') {
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';

			ok = 1;
			for (size_t j = i + 2 + hex; j < i + k; j++) {
				int v = hex ? hexval(s[j]) : s[j] >= '0' &&
				    s[j] <= '9' ? s[j] - '0' : -1;

				if (v < 0 || cp > 0x10ffff)
					ok = 0;
				else
					cp = cp * (hex ? 16 : 10) + (uint32_t)v;
			}
			ok = ok && k > 2u + hex;
		} else if (k >= 2) {
			for (size_t e = 0; !ok && e < N_ENTS; e++)
				if (strlen(ents[e].name) == k - 1 &&
				    memcmp(ents[e].name, s + i + 1, k - 1) == 0) {
					cp = (unsigned char)ents[e].c;
					ok = 1;
				}
		}
		if (ok) {
			cvtext_char(o, cp);
			i += k + 1;
		} else {
			cvtext_char(o, '&');
			i++;
		}
		from = i;
	}
	if (from < n)
		cvtext_utf8(o, s + from, n - from);
}

/* Where the content of the tag at x[i] = '<' ends, past its '>'; 0 when
 * it runs off the end. Quoted attribute values may hold '>'. */
static size_t
tag_end(const unsigned char *x, size_t n, size_t i)
{
	unsigned char q = 0;

	for (i++; i < n; i++) {
		if (q) {
			if (x[i] == q)
				q = 0;
		} else if (x[i] == '"' || x[i] == '\'')
			q = x[i];
		else if (x[i] == '>')
			return i + 1;
	}
	return 0;
}

/* The local name of the tag whose name starts at x[i]. */
static const unsigned char *
local_name(const unsigned char *x, size_t n, size_t i, size_t *len)
{
	size_t s = i;

	while (i < n && x[i] != ' ' && x[i] != '\t' && x[i] != '\r' &&
	    x[i] != '\n' && x[i] != '/' && x[i] != '>') {
		if (x[i] == ':')
			s = i + 1;
		i++;
	}
	*len = i - s;
	return x + s;
}

static const unsigned char *
find(const unsigned char *x, size_t n, size_t from, const char *what)
{
	size_t wl = strlen(what);

	if (from >= n)
		return NULL;
	return memmem(x + from, n - from, what, wl);
}

/*
 * The text of an XML part, as r says. Depth is counted over every element,
 * so a text or skipped element ends where its own end tag is; a document
 * that is not well-formed gives what could be read.
 */
static void
xml_text(struct cvtext_out *o, const unsigned char *x, size_t n,
    const struct xml_rules *r)
{
	long depth = 0, text_at = -1, skip_at = -1;
	size_t i = 0;

	while (i < n && !o->full) {
		const unsigned char *lt = memchr(x + i, '<', n - i), *e, *name;
		size_t at = lt ? (size_t)(lt - x) : n, end, nl;

		if (at > i && text_at >= 0 && skip_at < 0)
			xml_chars(o, x + i, at - i);
		if (lt == NULL)
			break;
		if (n - at >= 4 && memcmp(lt, "<!--", 4) == 0) {
			e = find(x, n, at + 4, "-->");
			i = e ? (size_t)(e - x) + 3 : n;
		} else if (n - at >= 9 && memcmp(lt, "<![CDATA[", 9) == 0) {
			e = find(x, n, at + 9, "]]>");
			end = e ? (size_t)(e - x) : n;
			if (text_at >= 0 && skip_at < 0)
				cvtext_utf8(o, x + at + 9, end - at - 9);
			i = e ? end + 3 : n;
		} else if (n - at >= 2 && x[at + 1] == '?') {
			e = find(x, n, at + 2, "?>");
			i = e ? (size_t)(e - x) + 2 : n;
		} else if ((end = tag_end(x, n, at)) == 0) {
			break;
		} else if (x[at + 1] == '!') {
			i = end;	/* a DOCTYPE: its entities are never used */
		} else if (x[at + 1] == '/') {
			name = local_name(x, end, at + 2, &nl);
			if (skip_at < 0 && name_in(r->breaks, name, nl))
				cvtext_space(o);
			if (depth == skip_at)
				skip_at = -1;
			if (depth == text_at)
				text_at = -1;
			if (depth > 0)
				depth--;
			i = end;
		} else {
			int empty = x[end - 2] == '/';

			name = local_name(x, end, at + 1, &nl);
			if (skip_at < 0 && name_in(r->breaks, name, nl))
				cvtext_space(o);
			if (!empty) {
				depth++;
				if (skip_at < 0 && name_in(r->skip, name, nl))
					skip_at = depth;
				else if (text_at < 0 && name_in(r->text, name, nl))
					text_at = depth;
			}
			i = end;
		}
	}
}

/* ---- ZIP (APPNOTE.TXT): finding parts and inflating them ---- */

#define ZIP_LOCAL_SIG 0x04034b50u
#define ZIP_CENTRAL_SIG 0x02014b50u
#define ZIP_END_SIG 0x06054b50u
#define ZIP_LOCAL_LEN 30
#define ZIP_CENTRAL_LEN 46
#define ZIP_END_LEN 22
#define ZIP_COMMENT_MAX 65535
/* Headers and footers read at most. */
#define ZIP_EXTRA_PARTS 8

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

struct zip {
	const unsigned char *d;
	size_t len, cd, cd_end;
	unsigned entries;
};

/* The last end-of-directory record whose directory lies inside the file. */
static int
zip_open(struct zip *z, const unsigned char *d, size_t len)
{
	size_t pos, lowest;

	z->d = d;
	z->len = len;
	if (len < ZIP_END_LEN)
		return 0;
	lowest = len - ZIP_END_LEN > ZIP_COMMENT_MAX ?
	    len - ZIP_END_LEN - ZIP_COMMENT_MAX : 0;
	for (pos = len - ZIP_END_LEN;; pos--) {
		const unsigned char *e = d + pos;

		if (le32(e) == ZIP_END_SIG) {
			size_t size = le32(e + 12), off = le32(e + 16);

			if (off <= pos && size <= pos - off) {
				z->cd = off;
				z->cd_end = off + size;
				z->entries = le16(e + 10);
				return 1;
			}
		}
		if (pos == lowest)
			return 0;
	}
}

/* The name of the directory entry at *at, and where the next one starts;
 * 0 when the directory ends or is damaged there. */
static int
zip_entry(const struct zip *z, size_t *at, const unsigned char **name,
    size_t *nlen)
{
	const unsigned char *c;
	size_t n;

	if (*at > z->cd_end || z->cd_end - *at < ZIP_CENTRAL_LEN)
		return 0;
	c = z->d + *at;
	if (le32(c) != ZIP_CENTRAL_SIG)
		return 0;
	n = (size_t)ZIP_CENTRAL_LEN + le16(c + 28) + le16(c + 30) + le16(c + 32);
	if (z->cd_end - *at < n)
		return 0;
	*name = c + ZIP_CENTRAL_LEN;
	*nlen = le16(c + 28);
	*at += n;
	return 1;
}

/*
 * The bytes of the part whose directory entry is at cdir: *data points into
 * the file (stored) or to *buf, malloc'd (deflated; the caller frees it).
 * 0 with nothing when the part cannot be read (encrypted, another method,
 * out of the file).
 */
static int
zip_read(struct cvtext_out *o, const struct zip *z, size_t cdir,
    const unsigned char **data, size_t *dlen, unsigned char **buf)
{
	const unsigned char *c = z->d + cdir, *l;
	size_t off = le32(c + 42), csize = le32(c + 20), start;
	unsigned method = le16(c + 10), flags = le16(c + 8);

	*buf = NULL;
	*data = NULL;
	*dlen = 0;
	if ((flags & 1) || off > z->len || z->len - off < ZIP_LOCAL_LEN)
		return HE_OK;
	l = z->d + off;
	if (le32(l) != ZIP_LOCAL_SIG)
		return HE_OK;
	start = off + ZIP_LOCAL_LEN + le16(l + 26) + le16(l + 28);
	if (start > z->len)
		return HE_OK;
	/* A size the file cannot hold (ZIP64, damage): what there is. */
	if (csize > z->len - start)
		csize = z->len - start;
	if (method == 0) {
		*data = z->d + start;
		*dlen = csize < CVTEXT_PART_MAX ? csize : CVTEXT_PART_MAX;
		return HE_OK;
	}
	if (method != 8)
		return HE_OK;
	if (cvtext_inflate(o, z->d + start, csize, 1, CVTEXT_PART_MAX, buf,
	    dlen) != HE_OK)
		return HE_NOMEM;
	*data = *buf;
	return HE_OK;
}

/* Whether a part name is prefix, digits or nothing, then ".xml". */
static int
numbered(const unsigned char *s, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix), i;

	if (n < pl + 4 || strncasecmp((const char *)s, prefix, pl) != 0 ||
	    strncasecmp((const char *)s + n - 4, ".xml", 4) != 0)
		return 0;
	for (i = pl; i < n - 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Which parts to read, in order: main first, then the extra ones. */
struct zip_want {
	const char *main;
	const char *extra[2];		/* numbered prefixes ("word/header") */
	const char *extra_exact;	/* or one more part by name */
	const struct xml_rules *main_rules, *extra_rules;
};

static int
zip_text(struct cvtext_out *o, const unsigned char *d, size_t len,
    const struct zip_want *w)
{
	struct zip z;
	size_t at, nl, main = 0, extra[ZIP_EXTRA_PARTS], nextra = 0;
	const unsigned char *name;
	int rc = HE_OK, found = 0;

	if (!zip_open(&z, d, len))
		return HE_INVALID;
	at = z.cd;
	for (unsigned i = 0; i < z.entries; i++) {
		size_t here = at;

		if (!zip_entry(&z, &at, &name, &nl))
			break;
		if (!found && nl == strlen(w->main) &&
		    strncasecmp((const char *)name, w->main, nl) == 0) {
			main = here;
			found = 1;
		} else if (nextra < ZIP_EXTRA_PARTS &&
		    ((w->extra[0] && numbered(name, nl, w->extra[0])) ||
		    (w->extra[1] && numbered(name, nl, w->extra[1])) ||
		    (w->extra_exact && nl == strlen(w->extra_exact) &&
		    strncasecmp((const char *)name, w->extra_exact, nl) == 0)))
			extra[nextra++] = here;
	}
	if (!found)
		return HE_INVALID;
	for (size_t p = 0; rc == HE_OK && p <= nextra && !o->full; p++) {
		const unsigned char *data;
		unsigned char *buf;
		size_t dlen;

		rc = zip_read(o, &z, p == 0 ? main : extra[p - 1], &data, &dlen,
		    &buf);
		if (rc == HE_OK && data) {
			xml_text(o, data, dlen, p == 0 ? w->main_rules :
			    w->extra_rules);
			cvtext_space(o);
		}
		free(buf);
	}
	return rc;
}

/* ---- the two kinds ---- */

static const char *const docx_text[] = { "t", NULL };
static const char *const docx_breaks[] = { "p", "tab", "br", "cr", "tc",
    "ptab", NULL };
/* A text box is there twice, as DrawingML and as VML (the fallback). */
static const char *const docx_skip[] = { "Fallback", NULL };
static const struct xml_rules docx_rules = { docx_text, docx_breaks, docx_skip };

int
cvtext_docx(struct cvtext_out *o, const unsigned char *d, size_t len)
{
	static const struct zip_want w = { "word/document.xml",
	    { "word/header", "word/footer" }, NULL, &docx_rules, &docx_rules };

	return zip_text(o, d, len, &w);
}

static const char *const odt_body[] = { "body", NULL };
static const char *const odt_header[] = { "header", "footer", "header-left",
    "footer-left", "header-first", "footer-first", NULL };
static const char *const odt_breaks[] = { "p", "h", "tab", "s", "line-break",
    "list-item", "table-cell", "frame", "note-body", NULL };
/* Deleted text waits in tracked-changes; comments are no one's CV. */
static const char *const odt_skip[] = { "tracked-changes", "annotation",
    "note-citation", NULL };
static const struct xml_rules odt_rules = { odt_body, odt_breaks, odt_skip };
static const struct xml_rules odt_style_rules = { odt_header, odt_breaks,
    odt_skip };

int
cvtext_odt(struct cvtext_out *o, const unsigned char *d, size_t len)
{
	static const struct zip_want w = { "content.xml", { NULL, NULL },
	    "styles.xml", &odt_rules, &odt_style_rules };

	return zip_text(o, d, len, &w);
}
