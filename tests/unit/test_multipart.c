/* test_multipart.c: multipart/form-data bodies, and upload routes through the dispatcher */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "util/he.h"
#include "util/text.h"
#include "util/token.h"
#include "web/web_int.h"

#define N(a) (sizeof (a) / sizeof *(a))
#define B "hearthB0undary"
#define CT "multipart/form-data; boundary=" B
#define CD "Content-Disposition: form-data; "
/* A body literal and its length (bodies may hold NUL bytes). */
#define BODY(s) s, sizeof(s) - 1

/* ---- A growing byte buffer for bodies built at run time ---- */

struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void
b_add(struct buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			fail_msg("out of memory");
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
b_str(struct buf *b, const char *s)
{
	b_add(b, s, strlen(s));
}

static void
b_fmt(struct buf *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof tmp);
	b_add(b, tmp, (size_t)n);
}

static void
b_text(struct buf *b, const char *name, const char *value)
{
	b_fmt(b, "--" B "\r\n" CD "name=\"%s\"\r\n\r\n", name);
	b_str(b, value);
	b_str(b, "\r\n");
}

static void
b_file(struct buf *b, const char *name, const char *filename,
    const void *data, size_t len)
{
	b_fmt(b, "--" B "\r\n" CD "name=\"%s\"; filename=\"%s\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n", name, filename);
	b_add(b, data, len);
	b_str(b, "\r\n");
}

static void
b_close(struct buf *b)
{
	b_str(b, "--" B "--\r\n");
}

/* ---- Parsing a body into a fresh HDF ---- */

struct parsed {
	HDF *hdf;
	struct web_mp mp;
	int rc;
	char dump[8192];	/* Query.* as hdf_dump_str writes it */
};

static void
dump_query(HDF *hdf, char *out, size_t size)
{
	HDF *q = hdf_get_obj(hdf, "Query");
	STRING s;
	NEOERR *err;

	out[0] = '\0';
	if (q == NULL)
		return;
	string_init(&s);
	if ((err = hdf_dump_str(q, "Query", 0, &s)) != STATUS_OK) {
		nerr_ignore(&err);
		fail_msg("hdf_dump_str failed");
	}
	snprintf(out, size, "%s", s.buf ? s.buf : "");
	string_clear(&s);
}

static void
parse(struct parsed *p, const char *ctype, const void *body, size_t len)
{
	memset(p, 0, sizeof *p);
	if (hdf_init(&p->hdf) != STATUS_OK)
		fail_msg("hdf_init failed");
	p->rc = web_mp_parse(ctype, body, len, p->hdf, &p->mp);
	dump_query(p->hdf, p->dump, sizeof p->dump);
	if (p->rc != WEB_MP_OK) {
		/* A refused body changes nothing. */
		assert_string_equal(p->dump, "");
		assert_int_equal(p->mp.nuploads, 0);
		assert_null(p->mp.uploads);
	}
}

static void
parsed_free(struct parsed *p)
{
	web_mp_free(&p->mp);
	hdf_destroy(&p->hdf);
}

/* ---- Table: bodies and what they become ---- */

struct want_upload {
	const char *field;
	const char *filename;
	const char *data;
	size_t len;
};

struct pcase {
	const char *what;
	const char *ctype;
	const char *body;
	size_t len;
	int rc;
	const char *dump;	/* Query.* exactly (when WEB_MP_OK) */
	struct want_upload up[4];
};

/* Near misses of the delimiter "\r\n--" B: none of them ends a part. */
#define BINARY "\r\n\r\n--\r\n--hearthB0undar\r\n---" B "\r\r\n\n\0\xff" \
	"\n--" B "\r--" B " --" B "\r\n--hearthB0undarY\r\n-\r\n--\r"

#define F1(name, value) "--" B "\r\n" CD "name=\"" name "\"\r\n\r\n" value "\r\n"

static const struct pcase cases[] = {
	/* ---- valid ---- */
	{ "two fields", CT, BODY(F1("name", "Ada Lovelace") F1("email",
	    "ada@example.org") "--" B "--\r\n"), WEB_MP_OK,
	    "Query.name = Ada Lovelace\nQuery.email = ada@example.org\n", { { 0 } } },
	{ "quoted boundary", "multipart/form-data; boundary=\"" B "\"",
	    BODY(F1("a", "1") "--" B "--\r\n"), WEB_MP_OK, "Query.a = 1\n", { { 0 } } },
	{ "quoted boundary with bchars", "multipart/form-data; boundary=\"a b'()+_,-./:=?\"",
	    BODY("--a b'()+_,-./:=?\r\n" CD "name=\"a\"\r\n\r\n1\r\n--a b'()+_,-./:=?--"),
	    WEB_MP_OK, "Query.a = 1\n", { { 0 } } },
	{ "unquoted boundary with '='", "multipart/form-data; boundary===x==",
	    BODY("--==x==\r\n" CD "name=\"a\"\r\n\r\n1\r\n--==x==--"),
	    WEB_MP_OK, "Query.a = 1\n", { { 0 } } },
	{ "type and parameter names in any case, charset too",
	    "Multipart/Form-Data ; charset=\"utf-8\"; BOUNDARY=" B,
	    BODY(F1("a", "1") "--" B "--\r\n"), WEB_MP_OK, "Query.a = 1\n", { { 0 } } },
	{ "repeated name: last value, and all of them under .0 .1 .2", CT,
	    BODY(F1("tag", "one") F1("other", "x") F1("tag", "two") F1("tag",
	    "three") "--" B "--\r\n"), WEB_MP_OK,
	    "Query.tag = three\nQuery.tag.0 = one\nQuery.tag.1 = two\n"
	    "Query.tag.2 = three\nQuery.other = x\n", { { 0 } } },
	{ "leading dot becomes underscore", CT,
	    BODY(F1(".x", "1") "--" B "--\r\n"), WEB_MP_OK, "Query._x = 1\n", { { 0 } } },
	{ "a name HDF cannot hold is skipped, as ClearSilver does", CT,
	    BODY(F1("a..b", "1") F1("c", "2") "--" B "--\r\n"), WEB_MP_OK,
	    "Query.c = 2\n", { { 0 } } },
	{ "empty value, browser style", CT,
	    BODY(F1("a", "") "--" B "--\r\n"), WEB_MP_OK, "Query.a = \n", { { 0 } } },
	{ "empty part without the blank line", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"\r\n\r\n--" B "--"), WEB_MP_OK,
	    "Query.a = \n", { { 0 } } },
	{ "value with CRLF inside and UTF-8", CT,
	    BODY(F1("note", "line one\r\nline two \xc3\xa9") "--" B "--\r\n"),
	    WEB_MP_OK, "Query.note << EOM\nline one\r\nline two \xc3\xa9\nEOM\n",
	    { { 0 } } },
	{ "no parts at all", CT, BODY("--" B "--\r\n"), WEB_MP_OK, "", { { 0 } } },
	{ "close without CRLF, then an epilogue", CT,
	    BODY(F1("a", "1") "--" B "--this is ignored\r\n\r\nso is --" B "--"),
	    WEB_MP_OK, "Query.a = 1\n", { { 0 } } },
	{ "transport padding after boundaries", CT,
	    BODY("--" B " \t\r\n" CD "name=\"a\"\r\n\r\n1\r\n--" B "  \r\n"
	    CD "name=\"b\"\r\n\r\n2\r\n--" B "--"), WEB_MP_OK,
	    "Query.a = 1\nQuery.b = 2\n", { { 0 } } },
	{ "unquoted name, spaces around '=', other headers ignored", CT,
	    BODY("--" B "\r\nX-Whatever: yes\r\ncontent-disposition:form-data ;"
	    " name = plain\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\nv\r\n--" B "--"),
	    WEB_MP_OK, "Query.plain = v\n", { { 0 } } },
	{ "a file, and a text field of the same name", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename=\"cv.pdf\"\r\n"
	    "Content-Type: application/pdf\r\n\r\n%PDF-1.4 data\r\n"
	    F1("cv", "text") "--" B "--\r\n"), WEB_MP_OK, "Query.cv = text\n",
	    { { "cv", "cv.pdf", "%PDF-1.4 data", 13 } } },
	{ "Windows path becomes its basename", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename=\"C:\\Users\\ada\\My CV.docx\"\r\n"
	    "\r\nx\r\n--" B "--\r\n"), WEB_MP_OK, "",
	    { { "cv", "My CV.docx", "x", 1 } } },
	{ "Unix path and dot-dot become the basename", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename=\"../../etc/passwd\"\r\n"
	    "\r\nx\r\n--" B "\r\n" CD "name=\"cv2\"; filename=\"/home/ada/\"\r\n"
	    "\r\ny\r\n--" B "\r\n" CD "name=\"cv3\"; filename=\"a/..\"\r\n"
	    "\r\nz\r\n--" B "--\r\n"), WEB_MP_OK, "",
	    { { "cv", "passwd", "x", 1 }, { "cv2", "", "y", 1 }, { "cv3", "", "z", 1 } } },
	{ "UTF-8 file name as sent by browsers", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename=\"Lebenslauf J\xc3\xbcrgen "
	    "\xe7\x8e\x8b.pdf\"\r\n\r\nx\r\n--" B "--\r\n"), WEB_MP_OK, "",
	    { { "cv", "Lebenslauf J\xc3\xbcrgen \xe7\x8e\x8b.pdf", "x", 1 } } },
	{ "filename* (UTF-8) wins over filename", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename=\"ete.pdf\"; "
	    "filename*=UTF-8''%C3%A9t%C3%A9%20cv.pdf\r\n\r\nx\r\n--" B "--\r\n"),
	    WEB_MP_OK, "", { { "cv", "\xc3\xa9t\xc3\xa9 cv.pdf", "x", 1 } } },
	{ "filename* in ISO-8859-1, with a language", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename*=iso-8859-1'fr'%E9t%E9.txt\r\n"
	    "\r\nx\r\n--" B "--\r\n"),
	    WEB_MP_OK, "", { { "cv", "\xc3\xa9t\xc3\xa9.txt", "x", 1 } } },
	{ "filename* in a charset we do not read: filename is used", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename*=koi8-r''%C1.txt; "
	    "filename=\"a.txt\"\r\n\r\nx\r\n--" B "--\r\n"),
	    WEB_MP_OK, "", { { "cv", "a.txt", "x", 1 } } },
	{ "filename* path is cut too", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename*=UTF-8''..%2F..%5Cx.pdf\r\n"
	    "\r\nx\r\n--" B "--\r\n"),
	    WEB_MP_OK, "", { { "cv", "x.pdf", "x", 1 } } },
	{ "bad UTF-8, controls and direction overrides in a file name", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename=\"  a\xff\x01\tb\xe2\x80\xae"
	    "fdp.exe\xc2\x85 \"\r\n\r\nx\r\n--" B "--\r\n"),
	    WEB_MP_OK, "", { { "cv", "a\xef\xbf\xbd" "bfdp.exe", "x", 1 } } },
	{ "empty file input (no file chosen)", CT,
	    BODY("--" B "\r\n" CD "name=\"cv\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n\r\n--" B "--\r\n"),
	    WEB_MP_OK, "", { { "cv", "", "", 0 } } },
	{ "binary content: CR LF, boundary prefixes, NUL", CT,
	    BODY("--" B "\r\n" CD "name=\"f\"; filename=\"b.bin\"\r\n\r\n"
	    BINARY "\r\n--" B "--\r\n"), WEB_MP_OK, "",
	    { { "f", "b.bin", BINARY, sizeof BINARY - 1 } } },

	/* ---- refused ---- */
	{ "no close delimiter", CT, BODY(F1("a", "1")), WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "body ends inside a part", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"\r\n\r\nvalue"), WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "body ends inside the headers", CT,
	    BODY("--" B "\r\n" CD "name=\"a\""), WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "body ends after a delimiter", CT,
	    BODY(F1("a", "1") "--" B), WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "empty body", CT, "", 0, WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "a preamble", CT, BODY("hello\r\n" F1("a", "1") "--" B "--"),
	    WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "another boundary", CT, BODY("--other\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
	    "--other--"), WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "boundary followed by other characters", CT,
	    BODY("--" B "X\r\n" CD "name=\"a\"\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "the boundary inside content", CT,
	    BODY(F1("a", "1\r\n--" B "x") "--" B "--"), WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "half a close delimiter", CT, BODY(F1("a", "1") "--" B "-"),
	    WEB_MP_EFRAME, NULL, { { 0 } } },
	{ "no boundary parameter", "multipart/form-data", BODY(F1("a", "1") "--" B "--"),
	    WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "empty boundary", "multipart/form-data; boundary=\"\"", BODY("----\r\n"),
	    WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "boundary of 71 characters", "multipart/form-data; boundary="
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    BODY("--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa--"),
	    WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "boundary ending in a space", "multipart/form-data; boundary=\"ab \"",
	    BODY("--ab --"), WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "boundary with a character outside bchars", "multipart/form-data; boundary=\"a@b\"",
	    BODY("--a@b--"), WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "boundary with a backslash", "multipart/form-data; boundary=\"a\\\"b\"",
	    BODY("--a\"b--"), WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "two boundaries", CT "; boundary=other", BODY("--" B "--"),
	    WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "unterminated quoted boundary", "multipart/form-data; boundary=\"" B,
	    BODY("--" B "--"), WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "junk after the boundary", CT " x", BODY("--" B "--"),
	    WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "another multipart type", "multipart/mixed; boundary=" B,
	    BODY("--" B "--"), WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "a longer type name", "multipart/form-dataX; boundary=" B,
	    BODY("--" B "--"), WEB_MP_ETYPE, NULL, { { 0 } } },
	{ "no Content-Disposition", CT,
	    BODY("--" B "\r\nContent-Type: text/plain\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_ENAME, NULL, { { 0 } } },
	{ "no headers at all", CT, BODY("--" B "\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_ENAME, NULL, { { 0 } } },
	{ "no name", CT, BODY("--" B "\r\n" CD "filename=\"a\"\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_ENAME, NULL, { { 0 } } },
	{ "empty name", CT, BODY(F1("", "1") "--" B "--"), WEB_MP_ENAME, NULL, { { 0 } } },
	{ "not form-data", CT,
	    BODY("--" B "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n"
	    "--" B "--"), WEB_MP_ENAME, NULL, { { 0 } } },
	{ "name given twice", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"; name=\"b\"\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "filename given twice", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"; filename=x; filename=y\r\n\r\n1\r\n"
	    "--" B "--"), WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "Content-Disposition given twice", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"\r\n" CD "name=\"b\"\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "header line without a colon", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"\r\nnonsense\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "folded header line", CT,
	    BODY("--" B "\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n"
	    "--" B "--"), WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "bare LF line ends", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"\n\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "bare CR inside a header", CT,
	    BODY("--" B "\r\n" CD "name=\"a\r\"\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "NUL inside a header", CT,
	    BODY("--" B "\r\n" CD "name=\"a\0b\"\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "unterminated quoted name", CT,
	    BODY("--" B "\r\n" CD "name=\"a\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "junk after a quoted value", CT,
	    BODY("--" B "\r\n" CD "name=\"a\\\"b\"\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "trailing semicolon", CT,
	    BODY("--" B "\r\n" CD "name=\"a\";\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "base64 transfer encoding", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n"
	    "\r\nMQ==\r\n--" B "--"), WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "nested multipart", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"\r\nContent-Type: multipart/mixed; "
	    "boundary=x\r\n\r\n--x--\r\n--" B "--"), WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "filename* with a broken escape", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"; filename*=UTF-8''%C3%Zz\r\n\r\n1\r\n"
	    "--" B "--"), WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "filename* quoted", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"; filename*=\"UTF-8''a\"\r\n\r\n1\r\n"
	    "--" B "--"), WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "filename* without its charset", CT,
	    BODY("--" B "\r\n" CD "name=\"a\"; filename*=a.pdf\r\n\r\n1\r\n--" B "--"),
	    WEB_MP_EHEADER, NULL, { { 0 } } },
	{ "NUL in a text part", CT, BODY(F1("a", "x\0y") "--" B "--"),
	    WEB_MP_ETEXT, NULL, { { 0 } } },
	{ "no Content-Type at all", NULL, BODY("--" B "--"), WEB_MP_ETYPE, NULL, { { 0 } } },
};

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		const struct pcase *c = &cases[i];
		struct parsed p;
		size_t nup = 0;

		parse(&p, c->ctype, c->body, c->len);
		if (p.rc != c->rc)
			fail_msg("%s: got %d (%s), want %d (%s)", c->what, p.rc,
			    web_mp_strerror(p.rc), c->rc, web_mp_strerror(c->rc));
		if (c->rc == WEB_MP_OK && strcmp(p.dump, c->dump) != 0)
			fail_msg("%s: Query is\n%s\nwant\n%s", c->what, p.dump, c->dump);
		while (nup < N(c->up) && c->up[nup].field)
			nup++;
		if (p.mp.nuploads != nup)
			fail_msg("%s: %zu uploads, want %zu", c->what, p.mp.nuploads, nup);
		for (size_t j = 0; j < nup; j++) {
			const struct web_upload *u = &p.mp.uploads[j];

			if (strcmp(u->field, c->up[j].field) != 0 ||
			    strcmp(u->filename, c->up[j].filename) != 0 ||
			    u->len != c->up[j].len ||
			    memcmp(u->data, c->up[j].data, u->len) != 0)
				fail_msg("%s: upload %zu is %s/'%s'/%zu bytes, want "
				    "%s/'%s'/%zu bytes", c->what, j, u->field,
				    u->filename, u->len, c->up[j].field,
				    c->up[j].filename, c->up[j].len);
			/* Files point into the body, never into a copy. */
			assert_true(u->data >= (const unsigned char *)c->body &&
			    u->data + u->len <= (const unsigned char *)c->body + c->len);
			assert_true(text_utf8_valid(u->filename, strlen(u->filename)));
		}
		parsed_free(&p);
	}
}

/* ---- Boundaries ---- */

static void
test_boundary(void **state)
{
	static const struct {
		const char *ctype;
		const char *boundary;	/* NULL: refused */
	} bc[] = {
		{ "multipart/form-data; boundary=abc", "abc" },
		{ "multipart/form-data;boundary=abc", "abc" },
		{ "multipart/form-data; boundary=\"abc\"", "abc" },
		{ "multipart/form-data; boundary=\"a b c\"", "a b c" },
		{ "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
		    "----WebKitFormBoundary7MA4YWxkTrZu0gW" },
		{ "multipart/form-data; charset=utf-8; boundary=x", "x" },
		{ "multipart/form-data; boundary=x; charset=\"a\\\"b\"", "x" },
		{ "multipart/form-data; boundary=x ", "x" },
		{ "multipart/form-data; boundary="
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
		{ "multipart/form-data; boundary="
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    NULL },
		{ "multipart/form-data", NULL },
		{ "multipart/form-data;", NULL },
		{ "multipart/form-data; boundary", NULL },
		{ "multipart/form-data; boundary=", NULL },
		{ "multipart/form-data; boundary=\"\"", NULL },
		{ "multipart/form-data; boundary=a;b", NULL },
		{ "multipart/form-data; boundary=a b", NULL },
		{ "multipart/form-data; boundary=a\x01", NULL },
		{ "multipart/form-data; boundary=\"a\xc3\xa9\"", NULL },
		{ "multipart/form-data; boundary=a; boundary=a", NULL },
		{ "multipart/form-data; charset=; boundary=a", NULL },
		{ "multipart/form-data boundary=a", NULL },
		{ "text/plain; boundary=a", NULL },
		{ "", NULL },
	};
	char out[WEB_MP_BOUNDARY_MAX + 1];

	(void)state;
	for (size_t i = 0; i < N(bc); i++) {
		int rc = web_mp_boundary(bc[i].ctype, out);

		if (bc[i].boundary == NULL) {
			if (rc != WEB_MP_ETYPE)
				fail_msg("'%s': accepted as '%s'", bc[i].ctype, out);
			assert_string_equal(out, "");
		} else {
			if (rc != WEB_MP_OK)
				fail_msg("'%s': refused", bc[i].ctype);
			assert_string_equal(out, bc[i].boundary);
		}
	}
	assert_int_equal(web_mp_boundary(NULL, out), WEB_MP_ETYPE);
}

/* ---- Limits, built at run time ---- */

static void
expect(const char *what, struct buf *b, int rc)
{
	struct parsed p;

	parse(&p, CT, b->p, b->n);
	if (p.rc != rc)
		fail_msg("%s: got %s, want %s", what, web_mp_strerror(p.rc),
		    web_mp_strerror(rc));
	parsed_free(&p);
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void
test_limits(void **state)
{
	struct buf b = { 0 };
	char *big;
	size_t hdr;

	(void)state;
	/* Text parts: WEB_MP_TEXT_MAX bytes, not one more; files have no cap. */
	if ((big = malloc(WEB_MP_TEXT_MAX * 3)) == NULL)
		fail_msg("out of memory");
	memset(big, 'x', WEB_MP_TEXT_MAX * 3);
	big[WEB_MP_TEXT_MAX] = '\0';
	b_text(&b, "t", big);
	b_close(&b);
	expect("text at the cap", &b, WEB_MP_OK);
	big[WEB_MP_TEXT_MAX] = 'x';
	big[WEB_MP_TEXT_MAX + 1] = '\0';
	b_text(&b, "t", big);
	b_close(&b);
	expect("text over the cap", &b, WEB_MP_ETEXT);
	b_file(&b, "f", "big.txt", big, WEB_MP_TEXT_MAX * 3);
	b_close(&b);
	expect("file over the text cap", &b, WEB_MP_OK);
	free(big);

	/* Parts. */
	for (int i = 0; i < WEB_MP_PARTS_MAX; i++)
		b_text(&b, i % 2 ? "a" : "b", "v");
	b_close(&b);
	expect("parts at the cap", &b, WEB_MP_OK);
	for (int i = 0; i <= WEB_MP_PARTS_MAX; i++)
		b_text(&b, "a", "v");
	b_close(&b);
	expect("parts over the cap", &b, WEB_MP_EPARTS);
	for (int i = 0; i <= WEB_MP_PARTS_MAX; i++)
		b_file(&b, "f", "f.txt", "v", 1);
	b_close(&b);
	expect("file parts over the cap", &b, WEB_MP_EPARTS);

	/* Header lines: WEB_MP_LINE_MAX bytes with the CRLF, not one more. */
	hdr = strlen(CD "name=\"a\"; x=\"\"\r\n");
	if ((big = malloc(WEB_MP_LINE_MAX)) == NULL)
		fail_msg("out of memory");
	memset(big, 'y', WEB_MP_LINE_MAX - hdr);
	big[WEB_MP_LINE_MAX - hdr] = '\0';
	b_fmt(&b, "--" B "\r\n" CD "name=\"a\"; x=\"%s\"\r\n\r\nv\r\n", big);
	b_close(&b);
	expect("header line at the cap", &b, WEB_MP_OK);
	b_fmt(&b, "--" B "\r\n" CD "name=\"a\"; x=\"%sy\"\r\n\r\nv\r\n", big);
	b_close(&b);
	expect("header line over the cap", &b, WEB_MP_EHEADER);
	free(big);

	/* Header lines per part. */
	b_str(&b, "--" B "\r\n" CD "name=\"a\"\r\n");
	for (int i = 1; i < WEB_MP_LINES_MAX; i++)
		b_fmt(&b, "X-%d: y\r\n", i);
	b_str(&b, "\r\nv\r\n");
	b_close(&b);
	expect("header lines at the cap", &b, WEB_MP_OK);
	b_str(&b, "--" B "\r\n" CD "name=\"a\"\r\n");
	for (int i = 0; i < WEB_MP_LINES_MAX; i++)
		b_fmt(&b, "X-%d: y\r\n", i);
	b_str(&b, "\r\nv\r\n");
	b_close(&b);
	expect("header lines over the cap", &b, WEB_MP_EHEADER);

	/* File names are cut at WEB_MP_FILENAME_MAX bytes, on a character. */
	{
		struct parsed p;
		char name[1200] = "";

		for (int i = 0; i < 300; i++)
			strcat(name, "\xc3\xa9");	/* 2 bytes each */
		b_fmt(&b, "--" B "\r\n" CD "name=\"f\"; filename=\"%s\"\r\n\r\nx\r\n", name);
		b_close(&b);
		parse(&p, CT, b.p, b.n);
		assert_int_equal(p.rc, WEB_MP_OK);
		assert_int_equal(p.mp.nuploads, 1);
		assert_int_equal(strlen(p.mp.uploads[0].filename), 254);
		assert_true(text_utf8_valid(p.mp.uploads[0].filename, 254));
		parsed_free(&p);
		free(b.p);
		memset(&b, 0, sizeof b);
	}
}

/* Random binary files, with every kind of near-boundary inside, survive
 * byte for byte. */
static void
test_binary_roundtrip(void **state)
{
	static const char *const bits[] = {
		"\r\n", "\r", "\n", "--", "\r\n--", "\r\n--hearth", "\r\n--" "hearthB0undar",
		"--" B, "-" B "\r\n", "\0", "\xff\xfe", B,
	};
	uint32_t seed = 12345;
	int tried = 0;

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct buf file = { 0 }, b = { 0 };
		struct parsed p;
		int pieces;

		seed = seed * 1103515245u + 12345u;
		pieces = (int)(seed >> 16) % 60;
		for (int i = 0; i < pieces; i++) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 8) % 3 == 0) {
				unsigned char c = (unsigned char)(seed >> 16);

				b_add(&file, &c, 1);
			} else {
				const char *s = bits[(seed >> 16) % N(bits)];

				b_add(&file, s, s[0] ? strlen(s) : 1);
			}
		}
		/* "\r\n--" B put together by chance is a real delimiter: the
		 * one thing a sender must never put in a file. Skip such rounds
		 * (they are refused, tested above). */
		{
			struct buf framed = { 0 };
			int clash;

			/* The blank line before the file counts as well. */
			b_str(&framed, "\r\n");
			if (file.n)
				b_add(&framed, file.p, file.n);
			clash = memmem(framed.p, framed.n, "\r\n--" B,
			    strlen(B) + 4) != NULL;
			free(framed.p);
			if (clash) {
				free(file.p);
				continue;
			}
		}
		b_text(&b, "before", "1");
		b_file(&b, "f", "r.bin", file.p ? file.p : (unsigned char *)"", file.n);
		b_text(&b, "after", "2");
		b_close(&b);
		tried++;
		parse(&p, CT, b.p, b.n);
		assert_int_equal(p.rc, WEB_MP_OK);
		assert_int_equal(p.mp.nuploads, 1);
		assert_int_equal(p.mp.uploads[0].len, file.n);
		if (file.n)
			assert_memory_equal(p.mp.uploads[0].data, file.p, file.n);
		assert_string_equal(p.dump, "Query.before = 1\nQuery.after = 2\n");
		parsed_free(&p);
		free(file.p);
		free(b.p);
	}
	assert_true(tried >= 150);
}

/* ---- The same fields as ClearSilver's url-encoded parser sets them ---- */

/* A fake FastCGI connection: the body comes from memory and the answer
 * goes to memory, through libfcgi's own stream functions. */
static unsigned char out_buf[1 << 20];
static int out_overflow;

static void
in_fill(FCGX_Stream *s)
{
	s->isClosed = 1;	/* the body ends where the buffer does */
}

static void
out_empty(FCGX_Stream *s, int close)
{
	(void)close;
	out_overflow = 1;
	s->wrNext = out_buf;
}

struct fake {
	struct web_conn conn;
	FCGX_Stream in, out;
	char *env[16];
	size_t nenv;
	unsigned char *body;
	HDF *hdf;
	struct web_req req;
};

static void
fake_env(struct fake *f, const char *name, const char *value)
{
	assert_true(f->nenv + 1 < N(f->env));
	if (asprintf(&f->env[f->nenv], "%s=%s", name, value) < 0)
		fail_msg("out of memory");
	f->env[++f->nenv] = NULL;
}

/* Sets up one request as serve_one() does, up to the HDF; clen NULL sends
 * no CONTENT_LENGTH, "" the body's own length. */
static void
fake_start(struct fake *f, const char *method, const char *uri,
    const char *ctype, const char *clen, const void *body, size_t len,
    const char *cookie)
{
	char num[32];
	NEOERR *err;

	f->nenv = 0;
	f->env[0] = NULL;
	fake_env(f, "REQUEST_METHOD", method);
	fake_env(f, "REQUEST_URI", uri);
	fake_env(f, "SCRIPT_NAME", "");
	fake_env(f, "QUERY_STRING", strchr(uri, '?') ? strchr(uri, '?') + 1 : "");
	if (ctype)
		fake_env(f, "CONTENT_TYPE", ctype);
	if (clen) {
		snprintf(num, sizeof num, "%zu", len);
		fake_env(f, "CONTENT_LENGTH", clen[0] ? clen : num);
	}
	if (cookie)
		fake_env(f, "HTTP_COOKIE", cookie);
	f->body = malloc(len ? len : 1);
	assert_non_null(f->body);
	if (len)
		memcpy(f->body, body, len);
	memset(&f->in, 0, sizeof f->in);
	f->in.rdNext = f->in.stopUnget = f->body;
	f->in.stop = f->in.wrNext = f->body + len;
	f->in.isReader = 1;
	f->in.fillBuffProc = in_fill;
	memset(&f->out, 0, sizeof f->out);
	f->out.wrNext = f->out.rdNext = out_buf;
	f->out.stop = out_buf + sizeof out_buf - 1;
	f->out.emptyBuffProc = out_empty;
	out_overflow = 0;
	f->conn.fcgi.in = &f->in;
	f->conn.fcgi.out = &f->out;
	f->conn.fcgi.envp = f->env;
	f->conn.answered = f->conn.head = 0;
	f->conn.cgi = NULL;
	f->conn.body_cap = f->conn.max_body;
	f->conn.body = NULL;
	f->conn.mp = (struct web_mp){ NULL, 0 };
	string_init(&f->conn.cookies);
	web_cgiwrap_install(&f->conn);
	if (hdf_init(&f->hdf) != STATUS_OK)
		fail_msg("hdf_init failed");
	if ((err = cgi_init(&f->conn.cgi, f->hdf)) != STATUS_OK) {
		nerr_ignore(&err);
		fail_msg("cgi_init failed");
	}
	if ((err = hdf_set_value(f->hdf, "hdf.loadpaths.0", "templates")) != STATUS_OK) {
		nerr_ignore(&err);
		fail_msg("hdf_set_value failed");
	}
	memset(&f->req, 0, sizeof f->req);
	f->req.hdf = f->hdf;
	f->req.conn = &f->conn;
}

/* What serve_one() frees at the end of a request. */
static void
fake_end(struct fake *f)
{
	if (f->conn.cgi)
		cgi_destroy(&f->conn.cgi);
	web_mp_free(&f->conn.mp);
	free(f->conn.body);
	f->conn.body = NULL;
	string_clear(&f->conn.cookies);
	for (size_t i = 0; i < f->nenv; i++)
		free(f->env[i]);
	f->nenv = 0;
	free(f->body);
	f->body = NULL;
}

static void
pct_encode(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		/* '.' raw: ClearSilver looks for a leading one before decoding. */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.')
			b_add(b, &c, 1);
		else
			b_fmt(b, "%%%02X", c);
	}
}

static void
test_same_as_clearsilver(void **state)
{
	/* name, value pairs; "" ends a set. */
	static const char *const sets[][16] = {
		{ "a", "1", "a", "2", "a", "3", NULL },
		{ "x", "1", "y", "2", "x", "3", "y", "", NULL },
		{ "a.b", "1", "a", "2", "a", "3", NULL },
		{ ".x", "1", ".x", "2", NULL },
		{ "a..b", "1", "c", "2", "a.", "3", NULL },
		{ "q", "\xc3\xbc" "n\xc3\xaf", "q", "", "q", " spaced out ", NULL },
		{ "x", "1", "x.0", "9", "x", "2", NULL },
		{ "csrf_token", "abc", "name", "Ada", NULL },
		{ "name with spaces", "v", "we!rd*chars", "w", NULL },
	};
	static const char *const queries[] = { "", "a=0&x=7", "q=zero" };

	(void)state;
	for (size_t qi = 0; qi < N(queries); qi++) {
		for (size_t si = 0; si < N(sets); si++) {
			struct buf url = { 0 }, mp = { 0 };
			struct fake *f = calloc(1, sizeof *f);
			char uri[128], cs_dump[8192], mp_dump[8192];
			NEOERR *err;
			int rc;

			assert_non_null(f);
			snprintf(uri, sizeof uri, "/x%s%s", queries[qi][0] ? "?" : "",
			    queries[qi]);
			for (size_t k = 0; sets[si][k]; k += 2) {
				if (k)
					b_str(&url, "&");
				pct_encode(&url, sets[si][k]);
				b_str(&url, "=");
				pct_encode(&url, sets[si][k + 1]);
				b_text(&mp, sets[si][k], sets[si][k + 1]);
			}
			b_close(&mp);

			fake_start(f, "POST", uri, "application/x-www-form-urlencoded",
			    "", url.p, url.n, NULL);
			err = cgi_parse(f->conn.cgi);
			if (err != STATUS_OK) {
				nerr_ignore(&err);
				fail_msg("cgi_parse failed");
			}
			dump_query(f->hdf, cs_dump, sizeof cs_dump);
			fake_end(f);

			fake_start(f, "POST", uri, CT, "", mp.p, mp.n, NULL);
			rc = web_mp_parse(CT, mp.p, mp.n, f->hdf, &f->conn.mp);
			assert_int_equal(rc, WEB_MP_OK);
			dump_query(f->hdf, mp_dump, sizeof mp_dump);
			fake_end(f);

			if (strcmp(cs_dump, mp_dump) != 0)
				fail_msg("set %zu, query '%s': ClearSilver made\n%s\n"
				    "multipart made\n%s", si, queries[qi], cs_dump,
				    mp_dump);
			free(url.p);
			free(mp.p);
			free(f);
		}
	}
}

/* ---- Through the dispatcher: upload routes and the others ---- */

static struct {
	int ran;
	char name[64];
	char csrf[64];
	int has_cv;
	char filename[300];
	size_t len;
	unsigned char head[8];
	int has_photo;
} seen;

static void
h_record(struct web_req *req)
{
	const struct web_upload *u = web_upload_get(req, "cv");

	seen.ran = 1;
	snprintf(seen.name, sizeof seen.name, "%s", req->v[0].str);
	snprintf(seen.csrf, sizeof seen.csrf, "%s",
	    hdf_get_value(req->hdf, "Query.csrf_token", ""));
	if ((seen.has_cv = u != NULL)) {
		snprintf(seen.filename, sizeof seen.filename, "%s", u->filename);
		seen.len = u->len;
		memcpy(seen.head, u->data, u->len < 8 ? u->len : 8);
	}
	seen.has_photo = web_upload_get(req, "photo") != NULL;
	web_respond(req->conn, 200, "text/plain", NULL, "ok\n", 3);
}

static const struct web_field up_fields[] = {
	{ "name", WEB_FT_TEXT, WEB_FF_REQUIRED, 100, "Your name",
	    "Please tell us your name.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL }
};

static const struct web_route test_routes[] = {
	{ WEB_POST, "/up", h_record, WEB_R_UPLOAD, 0, up_fields, NULL, NULL },
	{ WEB_POST, "/plain", h_record, 0, 0, up_fields, NULL, NULL },
};

static const struct web_app test_app = {
	.name = "test",
	.routes = test_routes,
	.nroutes = N(test_routes),
	.cookie_path = "/",
	.login_path = "/",
};

#define ANON "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"	/* 43: well formed */
#define MAX_BODY 4096
#define MAX_UPLOAD 100000

static struct fake *
fake_new(void)
{
	struct fake *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->conn.app = &test_app;
	f->conn.max_body = MAX_BODY;
	f->conn.max_upload = MAX_UPLOAD;
	memset(f->conn.key, 0x42, sizeof f->conn.key);
	return f;
}

static int
status_of(void)
{
	int st = 0;

	assert_false(out_overflow);
	if (sscanf((const char *)out_buf, "Status: %d", &st) != 1)
		fail_msg("no status line in the answer");
	return st;
}

/* One POST through web_dispatch; returns the status it answered with. */
static int
post(struct fake *f, const char *path, const char *ctype, const char *clen,
    const void *body, size_t len, size_t *body_cap)
{
	int st;

	memset(&seen, 0, sizeof seen);
	out_buf[0] = '\0';
	fake_start(f, "POST", path, ctype, clen, body, len,
	    "hearth_anon=" ANON);
	web_dispatch(&f->conn, &f->req);
	*f->out.wrNext = '\0';
	st = status_of();
	if (body_cap)
		*body_cap = f->conn.body_cap;
	fake_end(f);
	return st;
}

static void
csrf_for_anon(const struct fake *f, char out[TOK_MACSTRLEN])
{
	tok_mac(f->conn.key, "csrf", ANON, out);
}

static void
test_dispatch(void **state)
{
	struct fake *f = fake_new();
	char token[TOK_MACSTRLEN];
	struct buf b = { 0 };
	unsigned char *pad;
	size_t cap;

	(void)state;
	csrf_for_anon(f, token);

	/* A signup with a résumé: fields validated, the file handed over. */
	b_text(&b, "csrf_token", token);
	b_text(&b, "name", "  Ada   Lovelace ");
	b_file(&b, "cv", "C:\\fakepath\\cv.pdf", "%PDF-1.7\r\n%%EOF", 15);
	b_file(&b, "photo", "", "", 0);
	b_close(&b);
	assert_int_equal(post(f, "/up", CT, "", b.p, b.n, &cap), 200);
	assert_true(seen.ran);
	assert_string_equal(seen.name, "Ada Lovelace");
	assert_string_equal(seen.csrf, token);
	assert_true(seen.has_cv);
	assert_string_equal(seen.filename, "cv.pdf");
	assert_int_equal(seen.len, 15);
	assert_memory_equal(seen.head, "%PDF-1.7", 8);
	assert_false(seen.has_photo);	/* left blank */
	assert_int_equal(cap, MAX_UPLOAD);

	/* The same body where uploads are not taken: 415, handler not run. */
	assert_int_equal(post(f, "/plain", CT, "", b.p, b.n, &cap), 415);
	assert_false(seen.ran);
	assert_int_equal(cap, MAX_BODY);
	free(b.p);
	memset(&b, 0, sizeof b);

	/* CSRF: missing, wrong, or only in a file part: 403. */
	b_text(&b, "name", "Ada");
	b_close(&b);
	assert_int_equal(post(f, "/up", CT, "", b.p, b.n, NULL), 403);
	assert_false(seen.ran);
	free(b.p);
	memset(&b, 0, sizeof b);
	b_text(&b, "csrf_token", "forged");
	b_text(&b, "name", "Ada");
	b_close(&b);
	assert_int_equal(post(f, "/up", CT, "", b.p, b.n, NULL), 403);
	free(b.p);
	memset(&b, 0, sizeof b);
	b_file(&b, "csrf_token", "t.txt", token, strlen(token));
	b_text(&b, "name", "Ada");
	b_close(&b);
	assert_int_equal(post(f, "/up", CT, "", b.p, b.n, NULL), 403);
	assert_false(seen.ran);
	free(b.p);
	memset(&b, 0, sizeof b);

	/* Field validation still applies: 400 with the field's message. */
	b_text(&b, "csrf_token", token);
	b_file(&b, "cv", "cv.txt", "hello", 5);
	b_close(&b);
	assert_int_equal(post(f, "/up", CT, "", b.p, b.n, NULL), 400);
	assert_false(seen.ran);
	assert_non_null(strstr((char *)out_buf, "Please tell us your name."));
	free(b.p);
	memset(&b, 0, sizeof b);

	/* Malformed multipart: 400, nothing run. */
	b_text(&b, "csrf_token", token);
	b_text(&b, "name", "Ada");
	assert_int_equal(post(f, "/up", CT, "", b.p, b.n, NULL), 400);
	assert_int_equal(post(f, "/up", "multipart/form-data", "", b.p, b.n, NULL), 400);
	assert_false(seen.ran);
	b_close(&b);

	/* A body shorter than its Content-Length: 400. */
	assert_int_equal(post(f, "/up", CT, "999", b.p, b.n, NULL), 400);
	/* No Content-Length: 411. */
	assert_int_equal(post(f, "/up", CT, NULL, b.p, b.n, NULL), 411);
	free(b.p);
	memset(&b, 0, sizeof b);

	/* Size caps: multipart on an upload route up to Web.MaxUpload ... */
	pad = malloc(MAX_UPLOAD);
	assert_non_null(pad);
	memset(pad, 'z', MAX_UPLOAD);
	b_text(&b, "csrf_token", token);
	b_text(&b, "name", "Ada");
	b_file(&b, "cv", "big.txt", pad, 0);
	b_close(&b);
	{
		/* Grow the file until the body is exactly the cap. */
		struct buf full = { 0 };
		size_t fill = MAX_UPLOAD - b.n;

		b_text(&full, "csrf_token", token);
		b_text(&full, "name", "Ada");
		b_file(&full, "cv", "big.txt", pad, fill);
		b_close(&full);
		assert_int_equal(full.n, MAX_UPLOAD);
		assert_int_equal(post(f, "/up", CT, "", full.p, full.n, NULL), 200);
		assert_int_equal(seen.len, fill);
		/* ... and one byte more is 413. */
		free(full.p);
		memset(&full, 0, sizeof full);
		b_text(&full, "csrf_token", token);
		b_text(&full, "name", "Ada");
		b_file(&full, "cv", "big.txt", pad, fill + 1);
		b_close(&full);
		assert_int_equal(post(f, "/up", CT, "", full.p, full.n, NULL), 413);
		assert_false(seen.ran);
		/* Where uploads are not taken, Web.MaxBody holds: 413 first. */
		assert_int_equal(post(f, "/plain", CT, "", full.p, full.n, NULL), 413);
		free(full.p);
	}
	free(b.p);
	memset(&b, 0, sizeof b);

	/* url-encoded forms keep Web.MaxBody, even on an upload route. */
	b_fmt(&b, "csrf_token=%s&name=Ada&pad=", token);
	b_add(&b, pad, MAX_BODY - b.n);
	assert_int_equal(post(f, "/up", "application/x-www-form-urlencoded", "",
	    b.p, b.n, NULL), 200);
	assert_string_equal(seen.name, "Ada");
	assert_false(seen.has_cv);
	assert_int_equal(post(f, "/plain", "application/x-www-form-urlencoded", "",
	    b.p, b.n, NULL), 200);
	b_add(&b, "z", 1);
	assert_int_equal(post(f, "/up", "application/x-www-form-urlencoded", "",
	    b.p, b.n, NULL), 413);
	free(b.p);
	memset(&b, 0, sizeof b);
	free(pad);

	/* Other types stay 415 everywhere. */
	assert_int_equal(post(f, "/up", "text/plain", "", "a=b", 3, NULL), 415);
	assert_int_equal(post(f, "/up", "multipart/mixed; boundary=x", "", "a", 1,
	    NULL), 415);
	assert_int_equal(post(f, "/up", "multipart/form-dataX; boundary=x", "", "a",
	    1, NULL), 415);
	free(f);
}

static void
test_upload_get(void **state)
{
	struct buf b = { 0 };
	struct parsed p;
	struct web_conn conn;
	struct web_req req;
	const struct web_upload *u;

	(void)state;
	b_file(&b, "cv", "", "", 0);			/* blank input */
	b_file(&b, "cv", "first.txt", "1", 1);
	b_file(&b, "cv", "second.txt", "2", 1);
	b_file(&b, "empty", "empty.txt", "", 0);	/* a real, empty file */
	b_close(&b);
	parse(&p, CT, b.p, b.n);
	assert_int_equal(p.rc, WEB_MP_OK);
	memset(&conn, 0, sizeof conn);
	memset(&req, 0, sizeof req);
	conn.mp = p.mp;
	req.conn = &conn;
	u = web_upload_get(&req, "cv");
	assert_non_null(u);
	assert_string_equal(u->filename, "first.txt");
	u = web_upload_get(&req, "empty");
	assert_non_null(u);
	assert_int_equal(u->len, 0);
	assert_null(web_upload_get(&req, "other"));
	assert_null(web_upload_get(&req, "CV"));
	assert_null(web_upload_get(&req, NULL));
	parsed_free(&p);
	free(b.p);
	/* A request without a multipart body has no uploads. */
	memset(&conn, 0, sizeof conn);
	assert_null(web_upload_get(&req, "cv"));
}

static void
test_strerror(void **state)
{
	(void)state;
	for (int i = 0; i < WEB_MP__MAX; i++) {
		assert_non_null(web_mp_strerror(i));
		assert_true(strlen(web_mp_strerror(i)) > 0);
	}
	assert_string_equal(web_mp_strerror(-1), "unknown error");
	assert_string_equal(web_mp_strerror(WEB_MP__MAX), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_binary_roundtrip),
		cmocka_unit_test(test_same_as_clearsilver),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_upload_get),
		cmocka_unit_test(test_strerror),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
