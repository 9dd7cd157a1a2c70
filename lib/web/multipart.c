/* multipart.c: a strict multipart/form-data reader (RFC 7578) over a body in memory */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/he.h"
#include "util/text.h"
#include "web/web_int.h"

/*
 * ClearSilver has a multipart parser of its own (rfc2388.c), but it keeps
 * its boundary in a global between requests, crashes on a missing one and
 * leaks on repeated part headers; it is never called. This one reads a
 * body that is already in memory (its size capped by the route), allocates
 * nothing proportional to it, and refuses what browsers never send rather
 * than guessing: a preamble, bare LF line ends, folded or over-long part
 * headers, a boundary string followed by anything but white space and CRLF
 * or "--", encoded transfer encodings, nested multiparts.
 */

static const char *const mp_errors[WEB_MP__MAX] = {
	[WEB_MP_OK] = "no error",
	[WEB_MP_ETYPE] = "not multipart/form-data with a valid boundary",
	[WEB_MP_EFRAME] = "body does not open with the boundary or never closes",
	[WEB_MP_EHEADER] = "malformed, too long or too many part headers",
	[WEB_MP_ENAME] = "a part without Content-Disposition: form-data; name",
	[WEB_MP_EPARTS] = "too many parts",
	[WEB_MP_ETEXT] = "a text part too long or holding a NUL byte",
	[WEB_MP_ENOMEM] = "out of memory",
};

const char *
web_mp_strerror(int rc)
{
	return rc >= 0 && rc < WEB_MP__MAX ? mp_errors[rc] : "unknown error";
}

/* ---- Header grammar (RFC 9110 5.6) ---- */

static bool
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 5.1.1: the characters a boundary may use. */
static bool
is_bchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL);
}

struct span {
	const unsigned char *p;
	size_t n;
};

static void
skip_ows(const unsigned char **p, const unsigned char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

static size_t
token_len(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;

	while (q < end && is_tchar(*q))
		q++;
	return (size_t)(q - p);
}

static bool
span_is(struct span s, const char *word)
{
	size_t n = strlen(word);

	return s.n == n && strncasecmp((const char *)s.p, word, n) == 0;
}

/*
 * One parameter value: a token, or a quoted string. In a quoted string a
 * backslash is kept as it is: browsers never escape (they send '"' as
 * "%22", RFC 7578 4.2), and the ones that sent whole Windows paths sent
 * their backslashes bare. Control characters are let through (a file name
 * may hold them; they are cleaned out of it), but for CR, LF and NUL,
 * which part_headers refuses in any header line. *quoted says which form
 * it had.
 */
static bool
param_value(const unsigned char **p, const unsigned char *end, struct span *v,
    bool *quoted)
{
	const unsigned char *q = *p;

	*quoted = q < end && *q == '"';
	if (!*quoted) {
		v->p = q;
		v->n = token_len(q, end);
		*p = q + v->n;
		return v->n > 0;
	}
	for (v->p = ++q; q < end && *q != '"'; q++)
		;
	if (q == end)
		return false;
	v->n = (size_t)(q - v->p);
	*p = q + 1;
	return true;
}

/* The name of the next "; name=" of a header's parameter list, leaving *p
 * at its value: 1, or 0 at the end of the list, -1 when it is malformed. */
static int
next_param(const unsigned char **p, const unsigned char *end,
    struct span *name)
{
	skip_ows(p, end);
	if (*p == end)
		return 0;
	if (*(*p)++ != ';')
		return -1;
	skip_ows(p, end);
	name->p = *p;
	name->n = token_len(*p, end);
	*p += name->n;
	skip_ows(p, end);
	if (name->n == 0 || *p == end || *(*p)++ != '=')
		return -1;
	skip_ows(p, end);
	return 1;
}

/* ---- The boundary ---- */

static int
boundary_param(const char *ctype, char out[WEB_MP_BOUNDARY_MAX + 1])
{
	const unsigned char *p, *end;
	bool found = false;

	out[0] = '\0';
	if (ctype == NULL || strncasecmp(ctype, "multipart/form-data", 19) != 0)
		return WEB_MP_ETYPE;
	p = (const unsigned char *)ctype + 19;
	end = (const unsigned char *)ctype + strlen(ctype);
	for (;;) {
		struct span name, v;
		bool quoted;
		int more = next_param(&p, end, &name);

		if (more < 0)
			return WEB_MP_ETYPE;
		if (more == 0)
			break;
		if (!span_is(name, "boundary")) {
			/* Any other parameter (charset) is only checked for shape;
			 * a quoted string may escape with a backslash here. */
			if (p < end && *p == '"') {
				for (p++; p < end && *p != '"'; p++)
					if (*p == '\\' && ++p == end)
						return WEB_MP_ETYPE;
				if (p++ == end)
					return WEB_MP_ETYPE;
			} else if (token_len(p, end) == 0) {
				return WEB_MP_ETYPE;
			} else {
				p += token_len(p, end);
			}
			continue;
		}
		if (found)
			return WEB_MP_ETYPE;	/* two boundaries: which one? */
		if (p < end && *p == '"') {
			if (!param_value(&p, end, &v, &quoted))
				return WEB_MP_ETYPE;
		} else {
			/* Unquoted, a boundary should be a token; senders also
			 * leave out the quotes around '=', '/', ':' and the like. */
			v.p = p;
			while (p < end && is_bchar(*p) && *p != ' ')
				p++;
			v.n = (size_t)(p - v.p);
		}
		if (v.n == 0 || v.n > WEB_MP_BOUNDARY_MAX || v.p[v.n - 1] == ' ')
			return WEB_MP_ETYPE;
		for (size_t i = 0; i < v.n; i++)
			if (!is_bchar(v.p[i]))
				return WEB_MP_ETYPE;
		memcpy(out, v.p, v.n);
		out[v.n] = '\0';
		found = true;
	}
	return found ? WEB_MP_OK : WEB_MP_ETYPE;
}

int
web_mp_boundary(const char *ctype, char out[WEB_MP_BOUNDARY_MAX + 1])
{
	int rc = boundary_param(ctype, out);

	if (rc != WEB_MP_OK)
		out[0] = '\0';
	return rc;
}

/* ---- Parts ---- */

enum fn_charset { FN_RAW, FN_UTF8, FN_LATIN1 };

struct part {
	struct span name;
	bool file;		/* had filename or filename* */
	struct span fname;	/* as sent: raw, or percent-encoded (filename*) */
	enum fn_charset fcs;
	const unsigned char *data;
	size_t len;
};

static bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* RFC 8187 ext-value: charset "'" [language] "'" value-chars. Only UTF-8
 * and ISO-8859-1 are understood; the value is left percent-encoded. */
static int
ext_value(struct span v, struct span *out, enum fn_charset *cs)
{
	const unsigned char *q1, *q2, *end = v.p + v.n;
	struct span charset;

	q1 = memchr(v.p, '\'', v.n);
	q2 = q1 ? memchr(q1 + 1, '\'', (size_t)(end - q1 - 1)) : NULL;
	if (q2 == NULL)
		return WEB_MP_EHEADER;
	charset.p = v.p;
	charset.n = (size_t)(q1 - v.p);
	for (const unsigned char *c = q2 + 1; c < end; c++)
		if (*c == '\'' || (*c == '%' &&
		    (end - c < 3 || !is_hex(c[1]) || !is_hex(c[2]))))
			return WEB_MP_EHEADER;
	if (span_is(charset, "utf-8"))
		*cs = FN_UTF8;
	else if (span_is(charset, "iso-8859-1"))
		*cs = FN_LATIN1;
	else
		return WEB_MP_OK;	/* a charset we cannot read: no name */
	out->p = q2 + 1;
	out->n = (size_t)(end - out->p);
	return WEB_MP_OK;
}

/* Content-Disposition: form-data; name="..."[; filename="..."][; filename*=...] */
static int
disposition(const unsigned char *p, const unsigned char *end, struct part *pt)
{
	struct span type, fname_ext = { NULL, 0 };
	bool seen_name = false, seen_fname = false, seen_ext = false;
	enum fn_charset ext_cs = FN_RAW;

	type.p = p;
	type.n = token_len(p, end);
	if (!span_is(type, "form-data"))
		return WEB_MP_ENAME;
	p += type.n;
	for (;;) {
		struct span name, v;
		bool quoted;
		int rc, more = next_param(&p, end, &name);

		if (more < 0)
			return WEB_MP_EHEADER;
		if (more == 0)
			break;
		if (!param_value(&p, end, &v, &quoted))
			return WEB_MP_EHEADER;
		/* A repeated parameter is refused: readers that take the first
		 * and readers that take the last would see different forms. */
		if (span_is(name, "name")) {
			if (seen_name)
				return WEB_MP_EHEADER;
			seen_name = true;
			pt->name = v;
		} else if (span_is(name, "filename")) {
			if (seen_fname)
				return WEB_MP_EHEADER;
			seen_fname = true;
			pt->fname = v;
		} else if (span_is(name, "filename*")) {
			if (seen_ext || quoted)
				return WEB_MP_EHEADER;
			seen_ext = true;
			if ((rc = ext_value(v, &fname_ext, &ext_cs)) != WEB_MP_OK)
				return rc;
		}
	}
	if (!seen_name || pt->name.n == 0)
		return WEB_MP_ENAME;
	pt->file = seen_fname || seen_ext;
	pt->fcs = FN_RAW;
	/* filename* wins when it could be read (RFC 8187 4.2). */
	if (ext_cs != FN_RAW) {
		pt->fname = fname_ext;
		pt->fcs = ext_cs;
	}
	return WEB_MP_OK;
}

/* Content-Type of a part: anything but a nested multipart (RFC 2388's
 * multipart/mixed for several files, which RFC 7578 retired). */
static int
part_type(const unsigned char *p, const unsigned char *end)
{
	size_t n = (size_t)(end - p);

	return n >= 10 && strncasecmp((const char *)p, "multipart/", 10) == 0 ?
	    WEB_MP_EHEADER : WEB_MP_OK;
}

/* Content-Transfer-Encoding (deprecated by RFC 7578 4.7): only identity. */
static int
part_encoding(const unsigned char *p, const unsigned char *end)
{
	struct span v = { p, (size_t)(end - p) };

	return span_is(v, "binary") || span_is(v, "8bit") || span_is(v, "7bit") ?
	    WEB_MP_OK : WEB_MP_EHEADER;
}

/*
 * Reads the header lines of one part from *p, up to (not including) the
 * CRLF of the empty line that ends them, or up to the CRLF that opens the
 * next delimiter when the part has no body at all.
 */
static int
part_headers(const unsigned char **p, const unsigned char *end, struct part *pt)
{
	const unsigned char *line = *p;
	bool seen_disp = false, seen_type = false, seen_cte = false;
	unsigned lines = 0;
	int rc;

	for (;;) {
		size_t left = (size_t)(end - line), scan;
		const unsigned char *nl, *colon, *v, *vend;
		struct span name;

		if (left >= 2 && line[0] == '\r' && line[1] == '\n')
			break;
		if (++lines > WEB_MP_LINES_MAX)
			return WEB_MP_EHEADER;
		scan = left < WEB_MP_LINE_MAX ? left : WEB_MP_LINE_MAX;
		nl = memchr(line, '\n', scan);
		if (nl == NULL && scan == left)
			return WEB_MP_EFRAME;	/* the body ends inside the headers */
		if (nl == NULL || nl == line || nl[-1] != '\r')
			return WEB_MP_EHEADER;
		vend = nl - 1;
		/* No folding (obsolete), no NUL, no bare CR in a line. */
		if (line[0] == ' ' || line[0] == '\t' ||
		    memchr(line, '\0', (size_t)(vend - line)) ||
		    memchr(line, '\r', (size_t)(vend - line)))
			return WEB_MP_EHEADER;
		name.p = line;
		name.n = token_len(line, vend);
		colon = line + name.n;
		if (name.n == 0 || colon == vend || *colon != ':')
			return WEB_MP_EHEADER;
		v = colon + 1;
		skip_ows(&v, vend);
		while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
			vend--;
		rc = WEB_MP_OK;
		if (span_is(name, "content-disposition")) {
			if (seen_disp)
				return WEB_MP_EHEADER;
			seen_disp = true;
			rc = disposition(v, vend, pt);
		} else if (span_is(name, "content-type")) {
			if (seen_type)
				return WEB_MP_EHEADER;
			seen_type = true;
			rc = part_type(v, vend);
		} else if (span_is(name, "content-transfer-encoding")) {
			if (seen_cte)
				return WEB_MP_EHEADER;
			seen_cte = true;
			rc = part_encoding(v, vend);
		}
		if (rc != WEB_MP_OK)
			return rc;
		line = nl + 1;
	}
	*p = line;
	return seen_disp ? WEB_MP_OK : WEB_MP_ENAME;
}

/* ---- File names ---- */

static size_t
utf8_put(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Characters a name shown to people must not carry: controls (C0, DEL,
 * C1), and the invisible direction marks and overrides that make
 * "cv<U+202E>fdp.exe" read as "cvexe.pdf". */
static bool
hidden(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x200e ||
	    cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

static int
hexval(unsigned char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/*
 * The name as people should see it: percent-decoded (filename*), cut to
 * its last path component ('/' or '\'), invalid UTF-8 replaced by U+FFFD
 * (ISO-8859-1 converted), hidden characters dropped, trimmed, at most
 * WEB_MP_FILENAME_MAX bytes; "." and ".." become "". Malloc'd.
 */
static char *
clean_filename(struct span s, enum fn_charset cs)
{
	unsigned char *raw, *out;
	size_t n = 0, o = 0, start = 0;

	if ((raw = malloc(s.n + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < s.n; i++) {
		/* ext_value checked every '%' for two hex digits. */
		if (cs != FN_RAW && s.p[i] == '%' && i + 2 < s.n) {
			raw[n++] = (unsigned char)(hexval(s.p[i + 1]) << 4 |
			    hexval(s.p[i + 2]));
			i += 2;
		} else {
			raw[n++] = s.p[i];
		}
	}
	for (size_t i = 0; i < n; i++)
		if (raw[i] == '/' || raw[i] == '\\')
			start = i + 1;
	if ((out = malloc(WEB_MP_FILENAME_MAX + 1)) == NULL) {
		free(raw);
		return NULL;
	}
	for (size_t i = start; i < n;) {
		unsigned char enc[4];
		unsigned cp;
		size_t len, k;

		if (cs == FN_LATIN1) {
			cp = raw[i];
			len = 1;
		} else if ((len = text_utf8_len((const char *)raw + i, n - i)) == 0) {
			cp = 0xfffd;
			len = 1;
		} else {
			cp = len == 1 ? raw[i] : len == 2 ? raw[i] & 0x1fu :
			    len == 3 ? raw[i] & 0x0fu : raw[i] & 0x07u;
			for (k = 1; k < len; k++)
				cp = cp << 6 | (raw[i + k] & 0x3fu);
		}
		i += len;
		if (hidden(cp) || (cp == ' ' && o == 0))
			continue;
		k = utf8_put(enc, cp);
		if (o + k > WEB_MP_FILENAME_MAX)
			break;
		memcpy(out + o, enc, k);
		o += k;
	}
	free(raw);
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	if (strcmp((char *)out, ".") == 0 || strcmp((char *)out, "..") == 0)
		out[0] = '\0';
	return (char *)out;
}

/* ---- Query.* ---- */

int
web_query_add(HDF *hdf, const char *name, const char *value)
{
	char key[256], idx[16];
	HDF *obj;
	NEOERR *err = STATUS_OK;

	/* As cgi.c's _parse_query: a leading '.' becomes '_', the key is cut
	 * at 255 bytes, a repeated name keeps every value under .0, .1, ...
	 * and the name itself holds the last one. */
	snprintf(key, sizeof key, "Query.%s%s", name[0] == '.' ? "_" : "",
	    name[0] == '.' ? name + 1 : name);
	if ((obj = hdf_get_obj(hdf, key)) != NULL) {
		HDF *child = hdf_obj_child(obj);
		int i = 0;

		if (child == NULL) {
			err = hdf_set_value(obj, "0", hdf_obj_value(obj));
			i = 1;
		} else {
			for (; child; child = hdf_obj_next(child))
				i++;
		}
		if (err == STATUS_OK) {
			snprintf(idx, sizeof idx, "%d", i);
			err = hdf_set_value(obj, idx, value);
		}
	}
	if (err == STATUS_OK)
		err = hdf_set_value(hdf, key, value);
	/* ClearSilver skips a name HDF cannot hold ("a..b", "a."). */
	if (err != STATUS_OK && nerr_match(err, NERR_ASSERT)) {
		nerr_ignore(&err);
		return HE_OK;
	}
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		return HE_NOMEM;
	}
	return HE_OK;
}

/* ---- The body ---- */

/* After a boundary: "--" closes the body (the epilogue after it is
 * ignored, RFC 2046), else optional white space and CRLF open a part. */
static int
after_boundary(const unsigned char **p, const unsigned char *end, bool *closed)
{
	const unsigned char *q = *p;

	*closed = false;
	if (end - q >= 2 && q[0] == '-' && q[1] == '-') {
		*closed = true;
		return WEB_MP_OK;
	}
	skip_ows(&q, end);
	if (end - q < 2 || q[0] != '\r' || q[1] != '\n')
		return WEB_MP_EFRAME;
	*p = q + 2;
	return WEB_MP_OK;
}

/* Splits the body into parts[]; sets nothing. */
static int
split(const char *boundary, const unsigned char *body, size_t len,
    struct part *parts, size_t *nparts)
{
	unsigned char delim[4 + WEB_MP_BOUNDARY_MAX];
	size_t dlen = 4 + strlen(boundary);
	const unsigned char *p = body, *end = body + len, *q;
	bool closed;
	int rc;

	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, dlen - 4);
	*nparts = 0;
	/* The first delimiter has no CRLF before it; a preamble is refused. */
	if (len < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0)
		return WEB_MP_EFRAME;
	p += dlen - 2;
	for (;;) {
		struct part *pt;

		if ((rc = after_boundary(&p, end, &closed)) != WEB_MP_OK)
			return rc;
		if (closed)
			return WEB_MP_OK;
		if (*nparts == WEB_MP_PARTS_MAX)
			return WEB_MP_EPARTS;
		pt = &parts[(*nparts)++];
		memset(pt, 0, sizeof *pt);
		if ((rc = part_headers(&p, end, pt)) != WEB_MP_OK)
			return rc;
		/* p is at a CRLF: the empty line, or the next delimiter's. */
		if ((size_t)(end - p) >= dlen && memcmp(p, delim, dlen) == 0) {
			pt->data = p;
			pt->len = 0;
			p += dlen;
			continue;
		}
		p += 2;
		if ((q = memmem(p, (size_t)(end - p), delim, dlen)) == NULL)
			return WEB_MP_EFRAME;
		pt->data = p;
		pt->len = (size_t)(q - p);
		p = q + dlen;
		if (!pt->file && (pt->len > WEB_MP_TEXT_MAX ||
		    memchr(pt->data, '\0', pt->len) != NULL))
			return WEB_MP_ETEXT;
	}
}

void
web_mp_free(struct web_mp *mp)
{
	for (size_t i = 0; i < mp->nuploads; i++) {
		free((char *)mp->uploads[i].field);
		free((char *)mp->uploads[i].filename);
	}
	free(mp->uploads);
	mp->uploads = NULL;
	mp->nuploads = 0;
}

int
web_mp_parse(const char *ctype, const unsigned char *body, size_t len,
    HDF *hdf, struct web_mp *mp)
{
	char boundary[WEB_MP_BOUNDARY_MAX + 1];
	struct part parts[WEB_MP_PARTS_MAX];
	size_t nparts, nfiles = 0, textmax = 0;
	char *name = NULL, *value = NULL;
	int rc;

	mp->uploads = NULL;
	mp->nuploads = 0;
	if ((rc = web_mp_boundary(ctype, boundary)) != WEB_MP_OK)
		return rc;
	if (body == NULL && len > 0)
		return WEB_MP_EFRAME;
	if ((rc = split(boundary, body ? body : (const unsigned char *)"", len,
	    parts, &nparts)) != WEB_MP_OK)
		return rc;
	for (size_t i = 0; i < nparts; i++) {
		if (parts[i].file)
			nfiles++;
		else if (parts[i].len > textmax)
			textmax = parts[i].len;
	}
	if (nfiles && (mp->uploads = calloc(nfiles, sizeof *mp->uploads)) == NULL)
		return WEB_MP_ENOMEM;
	/* Names are at most a header line long; values one text part. */
	if ((name = malloc(WEB_MP_LINE_MAX + 1)) == NULL ||
	    (value = malloc(textmax + 1)) == NULL) {
		rc = WEB_MP_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nparts; i++) {
		const struct part *pt = &parts[i];

		memcpy(name, pt->name.p, pt->name.n);
		name[pt->name.n] = '\0';
		if (pt->file) {
			struct web_upload *u = &mp->uploads[mp->nuploads];

			u->field = strdup(name);
			u->filename = clean_filename(pt->fname, pt->fcs);
			u->data = pt->data;
			u->len = pt->len;
			mp->nuploads++;	/* counted even when half-made: freed */
			if (u->field == NULL || u->filename == NULL) {
				rc = WEB_MP_ENOMEM;
				goto out;
			}
			continue;
		}
		memcpy(value, pt->data, pt->len);
		value[pt->len] = '\0';
		if (web_query_add(hdf, name, value) != HE_OK) {
			rc = WEB_MP_ENOMEM;
			goto out;
		}
	}
	rc = WEB_MP_OK;
out:
	free(name);
	free(value);
	if (rc != WEB_MP_OK)
		web_mp_free(mp);
	return rc;
}

const struct web_upload *
web_upload_get(struct web_req *req, const char *name)
{
	const struct web_mp *mp;

	if (req == NULL || req->conn == NULL || name == NULL)
		return NULL;
	mp = &req->conn->mp;
	for (size_t i = 0; i < mp->nuploads; i++) {
		const struct web_upload *u = &mp->uploads[i];

		if (strcmp(u->field, name) == 0 && (u->len > 0 || u->filename[0]))
			return u;
	}
	return NULL;
}
