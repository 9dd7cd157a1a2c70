/* test_cvtext.c: the text of CVs (plain text, DOCX, ODT, PDF) made in the test, and its bounds */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <zlib.h>

#include "util/cvtext.h"
#include "util/filetype.h"
#include "util/he.h"
#include "util/text.h"

#define N(a) (sizeof (a) / sizeof *(a))

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
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void
b_str(struct buf *b, const char *s)
{
	b_add(b, s, strlen(s));
}

static void
b_fmt(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof tmp);
	b_add(b, tmp, (size_t)n);
}

static void
b_le16(struct buf *b, unsigned v)
{
	unsigned char x[2] = { (unsigned char)v, (unsigned char)(v >> 8) };

	b_add(b, x, 2);
}

static void
b_le32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	b_add(b, x, 4);
}

static void
b_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* zlib's compress, raw (ZIP) or with its header (PDF). */
static void
deflated(const unsigned char *s, size_t n, int raw, struct buf *out)
{
	z_stream z = { 0 };
	unsigned char chunk[65536];
	int zr;

	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, raw ? -15 : 15, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)s;
	z.avail_in = (uInt)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		zr = deflate(&z, Z_FINISH);
		assert_true(zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR);
		b_add(out, chunk, sizeof chunk - z.avail_out);
	} while (zr != Z_STREAM_END);
	deflateEnd(&z);
}

/* ---- a real ZIP writer: stored or deflated entries, CRCs, directory ---- */

struct zentry {
	const char *name;
	const char *data;	/* NUL-terminated, or len bytes when len > 0 */
	unsigned method;	/* 0 stored, 8 deflated */
	size_t len;
};

static void
zip_build(struct buf *b, const struct zentry *e, size_t n)
{
	uint32_t off[16], csize[16], crc[16], usize[16];
	size_t cd, cd_size;

	assert_true(n <= N(off));
	for (size_t i = 0; i < n; i++) {
		size_t len = e[i].len ? e[i].len : strlen(e[i].data);
		struct buf c = { 0 };

		if (e[i].method == 8)
			deflated((const unsigned char *)e[i].data, len, 1, &c);
		else
			b_add(&c, e[i].data, len);
		crc[i] = (uint32_t)crc32(0, (const Bytef *)e[i].data, (uInt)len);
		usize[i] = (uint32_t)len;
		csize[i] = (uint32_t)c.n;
		off[i] = (uint32_t)b->n;
		b_le32(b, 0x04034b50);
		b_le16(b, 20);
		b_le16(b, 0);
		b_le16(b, e[i].method);
		b_le16(b, 0);
		b_le16(b, 0x21);
		b_le32(b, crc[i]);
		b_le32(b, csize[i]);
		b_le32(b, usize[i]);
		b_le16(b, (unsigned)strlen(e[i].name));
		b_le16(b, 0);
		b_str(b, e[i].name);
		b_add(b, c.p, c.n);
		b_free(&c);
	}
	cd = b->n;
	for (size_t i = 0; i < n; i++) {
		b_le32(b, 0x02014b50);
		b_le16(b, 0x0314);
		b_le16(b, 20);
		b_le16(b, 0);
		b_le16(b, e[i].method);
		b_le16(b, 0);
		b_le16(b, 0x21);
		b_le32(b, crc[i]);
		b_le32(b, csize[i]);
		b_le32(b, usize[i]);
		b_le16(b, (unsigned)strlen(e[i].name));
		b_le16(b, 0);
		b_le16(b, 0);
		b_le16(b, 0);
		b_le16(b, 0);
		b_le32(b, 0100644u << 16);
		b_le32(b, off[i]);
		b_str(b, e[i].name);
	}
	cd_size = b->n - cd;
	b_le32(b, 0x06054b50);
	b_le16(b, 0);
	b_le16(b, 0);
	b_le16(b, (unsigned)n);
	b_le16(b, (unsigned)n);
	b_le32(b, (uint32_t)cd_size);
	b_le32(b, (uint32_t)cd);
	b_le16(b, 0);
}

/* The text of data as kind; fails the test unless the result is rc. */
static char *
text_of(const void *data, size_t len, enum ft_kind kind, int want_rc)
{
	char *out = NULL;
	size_t n = 12345;
	int rc = cvtext_extract(data, len, kind, &out, &n);

	assert_int_equal(rc, want_rc);
	if (rc != HE_OK) {
		assert_null(out);
		return NULL;
	}
	assert_non_null(out);
	assert_int_equal(strlen(out), n);
	assert_true(n <= CVTEXT_MAX);
	assert_true(text_utf8_valid(out, n));
	for (size_t i = 0; i < n; i++)
		assert_true((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
	assert_true(n == 0 || (out[0] != ' ' && out[n - 1] != ' '));
	assert_null(strstr(out, "  "));
	return out;
}

/* Whatever data is, an answer that is HE_OK (checked text) or HE_INVALID. */
static void
any_text(const void *data, size_t len, enum ft_kind kind)
{
	char *out = NULL;
	int rc = cvtext_extract(data, len, kind, &out, NULL);

	assert_true(rc == HE_OK || rc == HE_INVALID);
	if (rc == HE_OK) {
		assert_true(strlen(out) <= CVTEXT_MAX);
		assert_true(text_utf8_valid(out, strlen(out)));
	}
	free(out);
}

static void
expect_text(const void *data, size_t len, enum ft_kind kind, const char *want)
{
	char *got = text_of(data, len, kind, HE_OK);

	assert_string_equal(got, want);
	free(got);
}

/* ---- plain text ---- */

static void
test_txt(void **state)
{
	static const unsigned char utf16le[] = { 0xff, 0xfe, 'J', 0, 'o', 0,
	    0xe9, 0, ' ', 0, 0x3d, 0xd8, 0x00, 0xde, 'x', 0 };
	static const unsigned char utf16be[] = { 0xfe, 0xff, 0, 'O', 0, 'k' };
	struct {
		const char *in, *want;
	} cases[] = {
		{ "José Müller\r\nPython,\tC++\n\n", "José Müller Python, C++" },
		{ "\xef\xbb\xbfWith a BOM", "With a BOM" },
		/* Not UTF-8: Latin-1, with Windows' quotes and dashes */
		{ "Jos\xe9 M\xfcller \x93quoted\x94 2019\x96" "2021", "José Müller "
		    "\"quoted\" 2019-2021" },
		{ "ctl\x01\x02\x7f" "chars", "ctl chars" },
		{ "  \t\n", "" },
		{ "", "" },
		/* bullets, symbols, icons, ligatures, no-break and soft */
		{ "\xe2\x80\xa2 Go\xe2\x80\x94Rust \xef\x82\x9b x \xef\xac\x81le "
		    "a\xc2\xa0" "b o\xc2\xadk \xc2\xa9 2020",
		    "Go-Rust x file a b ok 2020" },
		{ "\xe2\x80\x9cSmart\xe2\x80\x9d \xe2\x80\x98q\xe2\x80\x99 "
		    "\xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87 \xce\xb1\xce\xb2",
		    "\"Smart\" 'q' 中文 αβ" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		expect_text(cases[i].in, strlen(cases[i].in), FT_TXT, cases[i].want);
	expect_text(utf16le, sizeof utf16le, FT_TXT, "Joé x");
	expect_text(utf16be, sizeof utf16be, FT_TXT, "Ok");
	/* Sniffed when the kind is not given. */
	expect_text("plain words", 11, FT_UNKNOWN, "plain words");
	text_of("\x89PNG\r\n\x1a\n\0\0", 10, FT_UNKNOWN, HE_INVALID);
	free(text_of(NULL, 0, FT_TXT, HE_OK));
}

/* Text longer than CVTEXT_MAX is cut at a character, never inside one. */
static void
test_cap(void **state)
{
	struct buf b = { 0 };
	char *got;

	(void)state;
	while (b.n < 3 * CVTEXT_MAX)
		b_str(&b, "é中 ");
	got = text_of(b.p, b.n, FT_TXT, HE_OK);
	assert_true(strlen(got) > CVTEXT_MAX - 8);
	free(got);
	b_free(&b);
}

/* ---- DOCX ---- */

#define CT_XML "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"
#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " \
	"xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" " \
	"xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""

static const char doc_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:document " W_NS "><w:body>"
	"<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>"
	"<w:r><w:t>Ada Love</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>"
	"<w:t xml:space=\"preserve\">lace </w:t></w:r></w:p>"
	"<w:p><w:r><w:t>R&amp;D &lt;lead&gt; caf&#233; &#xE9;t&#xe9; "
	"&unknown; &#xZZ;</w:t></w:r></w:p>"
	"<w:p><w:r><w:t>Zygomorphic</w:t><w:tab/><w:t>Kotlin</w:t>"
	"<w:br/><w:t>Lisbon</w:t></w:r>"
	"<w:del><w:r><w:delText>Deleted</w:delText></w:r></w:del>"
	"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>"
	"HYPERLINK</w:instrText></w:r></w:p>"
	"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell1</w:t></w:r></w:p></w:tc>"
	"<w:tc><w:p><w:r><w:t>cell2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
	"<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
	"<a:p><a:r><a:t>Boxed</a:t></a:r></a:p></mc:Choice><mc:Fallback>"
	"<w:pict><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:pict></mc:Fallback>"
	"</mc:AlternateContent></w:r></w:p>"
	"<!-- <w:t>commented</w:t> --><w:p><w:r><w:t><![CDATA[Raw <data>]]>"
	"</w:t></w:r></w:p>"
	"<w:sectPr attr='a>b'/></w:body></w:document>";

static const char header_xml[] =
	"<?xml version=\"1.0\"?><w:hdr " W_NS "><w:p><w:r><w:t>Quixotic "
	"header</w:t></w:r></w:p></w:hdr>";

#define DOC_TEXT "Ada Lovelace R&D <lead> café été &unknown; &#xZZ; " \
	"Zygomorphic Kotlin Lisbon cell1 cell2 Boxed Raw <data> Quixotic header"

static void
test_docx(void **state)
{
	for (unsigned method = 0; method <= 8; method += 8) {
		struct zentry e[] = {
			{ "[Content_Types].xml", CT_XML, method, 0 },
			{ "word/document.xml", doc_xml, method, 0 },
			{ "word/header1.xml", header_xml, method, 0 },
			{ "word/headerx.xml", header_xml, method, 0 },
		};
		struct buf b = { 0 };

		(void)state;
		zip_build(&b, e, N(e));
		assert_int_equal(ft_sniff(b.p, b.n), FT_DOCX);
		expect_text(b.p, b.n, FT_DOCX, DOC_TEXT);
		expect_text(b.p, b.n, FT_UNKNOWN, DOC_TEXT);
		/* Every cut of the file is read without harm. */
		for (size_t cut = 0; cut < b.n; cut += 7)
			any_text(b.p, cut, FT_DOCX);
		b_free(&b);
	}
}

static void
test_docx_without_document(void **state)
{
	struct zentry e[] = { { "[Content_Types].xml", CT_XML, 0, 0 },
	    { "word/other.xml", doc_xml, 8, 0 } };
	struct buf b = { 0 };

	(void)state;
	zip_build(&b, e, N(e));
	text_of(b.p, b.n, FT_DOCX, HE_INVALID);
	text_of("PK\3\4 not a zip at all", 22, FT_DOCX, HE_INVALID);
	b_free(&b);
}

/* ---- ODT ---- */

#define ODT_MIME "application/vnd.oasis.opendocument.text"
#define ODF_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""

static const char content_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content "
	ODF_NS " office:version=\"1.2\"><office:automatic-styles><style:style "
	"style:name=\"P1\"/></office:automatic-styles><office:body><office:text>"
	"<text:tracked-changes><text:changed-region><text:deletion><text:p>"
	"Removed</text:p></text:deletion></text:changed-region>"
	"</text:tracked-changes>"
	"<text:h text:outline-level=\"1\">Curriculum</text:h>"
	"<text:p>Senior <text:span text:style-name=\"T1\">Kotl</text:span>in "
	"dev<text:s/>ops<text:tab/>Lisbon<text:line-break/>M&#252;ller &amp; "
	"Sons</text:p><text:p>A note<office:annotation><text:p>Comment"
	"</text:p></office:annotation> here</text:p>"
	"<text:list><text:list-item><text:p>one</text:p></text:list-item>"
	"<text:list-item><text:p>two</text:p></text:list-item></text:list>"
	"<table:table><table:table-row><table:table-cell><text:p>a1</text:p>"
	"</table:table-cell><table:table-cell><text:p>b1</text:p>"
	"</table:table-cell></table:table-row></table:table>"
	"</office:text></office:body></office:document-content>";

static const char styles_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles "
	ODF_NS "><office:styles><style:style style:name=\"Standard\"/>"
	"</office:styles><office:master-styles><style:master-page "
	"style:name=\"Standard\"><style:header><text:p>Headername</text:p>"
	"</style:header><style:footer><text:p>Footline</text:p></style:footer>"
	"</style:master-page></office:master-styles><text:p>stray</text:p>"
	"</office:document-styles>";

static void
test_odt(void **state)
{
	struct zentry e[] = {
		{ "mimetype", ODT_MIME, 0, 0 },
		{ "content.xml", content_xml, 8, 0 },
		{ "styles.xml", styles_xml, 8, 0 },
		{ "META-INF/manifest.xml", "<manifest/>", 8, 0 },
	};
	struct buf b = { 0 };

	(void)state;
	zip_build(&b, e, N(e));
	assert_int_equal(ft_sniff(b.p, b.n), FT_ODT);
	expect_text(b.p, b.n, FT_ODT, "Curriculum Senior Kotlin dev ops Lisbon "
	    "Müller & Sons A note here one two a1 b1 Headername Footline");
	/* content.xml is the one part an ODT must have. */
	e[1].name = "contents.xml";
	b_free(&b);
	zip_build(&b, e, N(e));
	text_of(b.p, b.n, FT_ODT, HE_INVALID);
	b_free(&b);
}

/* ---- PDF ---- */

/* A PDF with objects, an xref table with true offsets and a trailer;
 * streams[i] is the dictionary (without << >>) and data of object i + 1. */
struct pobj {
	const char *dict;	/* NULL: not a stream, body is the object */
	const void *data;
	size_t len;		/* of data; 0: strlen */
	int flate;		/* compress data and add /Filter /FlateDecode */
};

static void
pdf_build(struct buf *b, const struct pobj *o, size_t n)
{
	size_t off[32], xref;

	assert_true(n < N(off));
	b_str(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	for (size_t i = 0; i < n; i++) {
		const void *data = o[i].data;
		size_t len;
		struct buf c = { 0 };

		off[i] = 0;
		if (data == NULL)	/* in an object stream */
			continue;
		len = o[i].len ? o[i].len : strlen(o[i].data);
		off[i] = b->n;
		b_fmt(b, "%zu 0 obj\n", i + 1);
		if (o[i].dict == NULL) {
			b_add(b, data, len);
			b_str(b, "\nendobj\n");
			continue;
		}
		if (o[i].flate)
			deflated(data, len, 0, &c);
		else
			b_add(&c, data, len);
		if (strstr(o[i].dict, "/Length"))	/* given, maybe indirect */
			b_fmt(b, "<< %s%s >>\nstream\n", o[i].dict,
			    o[i].flate ? " /Filter /FlateDecode" : "");
		else
			b_fmt(b, "<< %s%s /Length %zu >>\nstream\n", o[i].dict,
			    o[i].flate ? " /Filter /FlateDecode" : "", c.n);
		b_add(b, c.p, c.n);
		b_str(b, "\nendstream\nendobj\n");
		b_free(&c);
	}
	xref = b->n;
	b_fmt(b, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (size_t i = 0; i < n; i++)
		b_fmt(b, "%010zu 00000 %c \n", off[i], off[i] ? 'n' : 'f');
	b_fmt(b, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    n + 1, xref);
}

static const char page1[] =
	"BT /F1 12 Tf 72 720 Td (Hello \\(World\\) caf\\351 na\\\nive) Tj\n"
	"0 -14 Td [(Kub)20(ernetes)-400(exp)-10(ert)] TJ T* <4A6F 686e> Tj\n"
	"(line) ' 1 2 (quote) \" ET\n"
	"q BI /W 4 /H 1 /BPC 8 /CS /G ID \x01(Bad) Tj\xff EI Q\n"
	"BT (\\124\\145\\170t) Tj 9 0 Td <FEFF00C9006C> Tj 9 0 Td [<48 69>] TJ ET\n"
	"% (Comment) Tj\n";

static void
test_pdf(void **state)
{
	static const char image[] = "BT (Secret) Tj ET";
	const struct pobj objs[] = {
		{ NULL, "<< /Type /Catalog /Pages 2 0 R >>", 0, 0 },
		{ NULL, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 0, 0 },
		{ NULL, "<< /Type /Page /Parent 2 0 R /Contents [4 0 R 5 0 R 6 0 R "
		    "7 0 R] /Resources << /XObject << /Im1 8 0 R >> >> >>", 0, 0 },
		{ "", page1, 0, 1 },
		{ "/Filter [/ASCIIHexDecode /FlateDecode]", "78 9c 73 0a 51 d0 08 49 "
		    "2d 2e d1 54 08 c9 52 70 0d 01 00 21 a7 04 3f>", 0, 0 },
		{ "/Filter /A85", "<~6<#'U6$$OMBfIt!+B3(u78s~>", 0, 0 },
		{ "", "BT (Uncompressed) Tj ET", 0, 0 },
		{ "/Type /XObject /Subtype /Image /Width 1 /Height 1", image, 0, 1 },
	};
	struct buf b = { 0 };
	char *got;

	(void)state;
	pdf_build(&b, objs, N(objs));
	assert_int_equal(ft_sniff(b.p, b.n), FT_PDF);
	got = text_of(b.p, b.n, FT_PDF, HE_OK);
	assert_string_equal(got, "Hello (World) café naive Kubernetes expert Jo"
	    "hn line quote Text Él Hi Test Ascii85 Uncompressed");
	free(got);
	for (size_t cut = 0; cut < b.n; cut += 5)
		free(text_of(b.p, cut, FT_PDF, cut >= 5 ? HE_OK : HE_INVALID));
	/* And every byte of it changed, one at a time. */
	for (size_t i = 0; i < b.n; i++) {
		unsigned char was = b.p[i];

		b.p[i] = (unsigned char)(was ^ 0x5a);
		any_text(b.p, b.n, FT_PDF);
		b.p[i] = was;
	}
	b_free(&b);
}

/*
 * Fonts as PDF writers of today use them: a CID font whose codes are glyph
 * numbers, with a ToUnicode map (bfchar, bfrange, ranges of arrays and of
 * ligatures) and widths, its text placed run by run (Chrome's way); a TeX
 * font renaming codes with /Differences; both defined in an object
 * stream with the page, whose resources come from the page tree; a form
 * XObject with resources of its own; a stream no page names.
 */
static const char cmap[] =
	"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
	"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
	"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
	"3 beginbfchar <0001> <0052> <0005> <00660069> <000A> <D835DC00>\n"
	"endbfchar\n"
	"3 beginbfrange <0002> <0002> <0075> <0003> <0004> <0073>\n"
	"<0006> <0007> [<0041> <0042>] <0010> <0012> <FB01>\n"
	"endbfrange endcmap CMapName currentdict /CMap defineresource pop end end\n";

static const char runs[] =
	/* "R", then "ust" where it ends (7.2 = 600 / 1000 * 12): one word;
	 * then a gap of 12 before "fi": two. */
	"BT /F1 12 Tf 72 700 Td <0001> Tj 7.2 0 Td <000200030004> Tj\n"
	"30 0 Td <0005> Tj\n"
	/* glyph by glyph, a new line, a glyph no map knows, and a
	 * character outside the BMP (a surrogate pair) */
	"0 -14 Td <0006> Tj 12 0 Td <0007> Tj 12 0 Td <0009> Tj <0006 000A> Tj\n"
	/* a bfrange counting up from a ligature: fi, fl, ffi */
	"0 -14 Td [<0010> -500 <00110012>] TJ ET\n";

static void
test_pdf_fonts(void **state)
{
	static const char page[] = "<< /Type /Page /Parent 2 0 R "
	    "/Contents [4 0 R 10 0 R] /MediaBox [0 0 612 792] >>";
	static const char tex_font[] = "<< /Type /Font /Subtype /Type1 "
	    "/BaseFont /CMR10 /Encoding << /Type /Encoding "
	    "/Differences [2 /fi /fl 65 /A.sc /uni00C9 /eacute] >> >>";
	static const char cid_font[] = "<< /Type /Font /Subtype /CIDFontType2 "
	    "/W [1 [600] 2 4 500 6 [1000 1000]] /DW 1000 >>";
	struct buf objstm = { 0 }, cm = { 0 }, b = { 0 };
	char header[64], len12[32];
	char *got;

	(void)state;
	snprintf(header, sizeof header, "3 0 6 %zu 7 %zu ", sizeof page - 1,
	    sizeof page - 1 + sizeof tex_font - 1);
	b_str(&objstm, header);
	b_str(&objstm, page);
	b_str(&objstm, tex_font);
	b_str(&objstm, cid_font);
	deflated((const unsigned char *)cmap, sizeof cmap - 1, 0, &cm);
	snprintf(len12, sizeof len12, "%zu", cm.n);
	/* The object stream compressed, and not. */
	for (int z = 1; z >= 0; z--) {
		char first[64];
		const struct pobj objs[] = {
			{ NULL, "<< /Type /Catalog /Pages 2 0 R >>", 0, 0 },
			{ NULL, "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources "
			    "<< /Font << /F1 5 0 R /F2 6 0 R >> >> >>", 0, 0 },
			{ NULL, NULL, 0, 0 },
			{ "", runs, 0, 1 },
			{ NULL, "<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+X "
			    "/Encoding /Identity-H /DescendantFonts [7 0 R] "
			    "/ToUnicode 11 0 R >>", 0, 0 },
			{ NULL, NULL, 0, 0 },
			{ NULL, NULL, 0, 0 },
			{ first, objstm.p, objstm.n, z },
			{ "/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources "
			    "<< /Font << /F9 5 0 R >> >>", "BT /F9 9 Tf <00060007> Tj "
			    "ET", 0, 1 },
			{ "", "BT /F2 10 Tf 72 680 Td (speci\\002cation \\101\\102"
			    "\\103) Tj ET /X1 Do", 0, 0 },
			{ "/Filter /FlateDecode /Length 12 0 R", cm.p, cm.n, 0 },
			{ NULL, len12, 0, 0 },
			{ "", "BT (Orphan) Tj ET", 0, 0 },
		};

		snprintf(first, sizeof first, "/Type /ObjStm /N 3 /First %zu",
		    strlen(header));
		b_free(&b);
		pdf_build(&b, objs, N(objs));
		got = text_of(b.p, b.n, FT_PDF, HE_OK);
		assert_string_equal(got, "Rust fi AB A\xf0\x9d\x90\x80 fi flffi "
		    "specification AÉé AB Orphan");
		free(got);
	}
	/* Any byte changed: still read within bounds. */
	for (size_t i = 0; i < b.n; i++) {
		unsigned char was = b.p[i];

		b.p[i] = (unsigned char)(was ^ 0x21);
		any_text(b.p, b.n, FT_PDF);
		b.p[i] = was;
	}
	b_free(&b);
	b_free(&cm);
	b_free(&objstm);
}

/* The ways a PDF writer may end a stream: an indirect /Length, a wrong
 * one, CRLF, a stream to the end of a damaged file; raw deflate. */
static void
test_pdf_streams(void **state)
{
	struct buf b = { 0 }, z = { 0 };
	static const char body[] = "BT (Alpha) Tj ET";
	char *got;

	(void)state;
	b_str(&b, "%PDF-1.7\r\n1 0 obj<</Length 2 0 R>>stream\r\n");
	b_str(&b, body);
	b_str(&b, "\r\nendstream\r\nendobj\r\n2 0 obj 16 endobj\n");
	b_str(&b, "3 0 obj\n<</Length 999>>\nstream\nBT (Beta) Tj ET\nendstream\n");
	b_str(&b, "4 0 obj <</Length 5/Filter/FlateDecode>>stream\n");
	deflated((const unsigned char *)"BT (Gamma) Tj ET", 16, 1, &z);
	b_add(&b, z.p, z.n);
	b_str(&b, "\nendstream\n");
	b_str(&b, "5 0 obj <</Length 3 /Filter /DCTDecode>> stream\nBT (Jpeg) Tj ET\n"
	    "endstream\n");
	b_str(&b, "6 0 obj <</Length 3 /Filter /FlateDecode /DecodeParms "
	    "<</Predictor 12>> >> stream\nxyz\nendstream\n");
	b_str(&b, "7 0 obj <</Length1 40>> stream\nBT (Font) Tj ET\nendstream\n");
	b_str(&b, "8 0 obj <</Length 10>> stream\nBT (Delta) Tj ET");
	got = text_of(b.p, b.n, FT_PDF, HE_OK);
	assert_string_equal(got, "Alpha Beta Gamma Delta");
	free(got);
	b_free(&b);
	b_free(&z);
	/* An encrypted file gives nothing rather than noise. */
	b_str(&b, "%PDF-1.6\n1 0 obj <</Length 15>> stream\nBT (Zeta) Tj ET\n"
	    "endstream\ntrailer <</Encrypt 9 0 R>>\n%%EOF\n");
	expect_text(b.p, b.n, FT_PDF, "");
	b_free(&b);
	text_of("not a pdf", 9, FT_PDF, HE_INVALID);
}

/* Hostile nesting and unterminated things are read in bounded time. */
static void
test_pdf_hostile(void **state)
{
	struct buf b = { 0 };
	char *got;

	(void)state;
	b_str(&b, "%PDF-1.4\n1 0 obj <<");
	for (int i = 0; i < 100000; i++)
		b_str(&b, "/A [<<");
	b_str(&b, "\n2 0 obj << /Length 15 >> stream\nBT (Ok) Tj ET\nendstream\n");
	b_str(&b, "3 0 obj << >> stream\nBT ");
	for (int i = 0; i < 1000; i++)
		b_str(&b, "[(x)");
	for (int i = 0; i < 1000; i++)
		b_str(&b, "]");
	b_str(&b, " TJ (Eta) Tj ET 4 0 obj << >> stream\nBT [(x) (Theta) Tj ET BI ID");
	for (int i = 0; i < 1000; i++)
		b_str(&b, " stream obj (");
	got = text_of(b.p, b.n, FT_PDF, HE_OK);
	/* Arrays deeper than CVTEXT_DEPTH_MAX are passed 33 levels at a
	 * time; the last 1000 % 33 = 10 make one TJ operand. The array left
	 * open at the end takes the rest of the stream with it. */
	assert_string_equal(got, "Ok xxxxxxxxxxEta");
	free(got);
	b_free(&b);
}

/* Decompression bombs stop at the budgets: a part at CVTEXT_PART_MAX,
 * a file at CVTEXT_INFLATE_MAX, with little memory and time. */
static void
test_bombs(void **state)
{
	const size_t big = 64u << 20;
	unsigned char *zeros = calloc(1, big);
	struct buf doc = { 0 }, b = { 0 }, z = { 0 };
	clock_t t0 = clock();

	(void)state;
	assert_non_null(zeros);
	/* A document.xml of 64 MiB: its first 8 MiB are read. */
	b_str(&doc, "<w:document><w:body><w:p><w:r><w:t>Start</w:t></w:r></w:p>");
	while (doc.n < big)
		b_str(&doc, "<w:p/><w:p/><w:p/><w:p/><w:p/><w:p/><w:p/><w:p/>");
	b_str(&doc, "<w:p><w:r><w:t>End</w:t></w:r></w:p></w:body></w:document>");
	{
		struct zentry e[] = {
			{ "[Content_Types].xml", CT_XML, 0, 0 },
			{ "word/document.xml", (const char *)doc.p, 8, doc.n },
		};

		zip_build(&b, e, N(e));
	}
	assert_true(b.n < big / 100);
	expect_text(b.p, b.n, FT_DOCX, "Start");
	b_free(&b);
	b_free(&doc);
	/* A PDF of six 8 MiB streams of zeros between two of text: the last
	 * is past the budget. */
	deflated(zeros, CVTEXT_PART_MAX, 0, &z);
	b_str(&b, "%PDF-1.4\n1 0 obj << /Length 15 >> stream\nBT (Early) Tj ET\n"
	    "endstream endobj\n");
	for (int i = 0; i < 6; i++) {
		b_fmt(&b, "%d 0 obj << /Length %zu /Filter /FlateDecode >> stream\n",
		    i + 2, z.n);
		b_add(&b, z.p, z.n);
		b_str(&b, "\nendstream endobj\n");
	}
	b_str(&b, "9 0 obj << /Length 14 >> stream\nBT (Late) Tj ET\nendstream\n");
	expect_text(b.p, b.n, FT_PDF, "Early");
	b_free(&b);
	b_free(&z);
	/* ASCII85 zeros ('z') grow fivefold at most, and count too. */
	b_str(&b, "%PDF-1.4\n1 0 obj << /Filter /A85 >> stream\n");
	while (b.n < (20u << 20))
		b_str(&b, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
	b_str(&b, "~>\nendstream\n2 0 obj << >> stream\nBT (After) Tj ET\nendstream\n");
	expect_text(b.p, b.n, FT_PDF, "After");
	b_free(&b);
	free(zeros);
	/* Generous: a second or two under sanitizers. */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 30);
}

/* Random bytes under every kind: no crash, and HE_OK or HE_INVALID. */
static void
test_garbage(void **state)
{
	unsigned char buf[4096];
	uint32_t x = 2463534242u;

	(void)state;
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(x % sizeof buf);

		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (unsigned char)x;
		}
		if (round % 3 == 0 && n > 8)
			memcpy(buf, "%PDF-1.4", 8);
		if (round % 3 == 1 && n > 4)
			memcpy(buf, "PK\3\4", 4);
		for (int k = FT_PDF; k < FT__MAX; k++)
			any_text(buf, n, (enum ft_kind)k);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txt),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_docx_without_document),
		cmocka_unit_test(test_odt),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_pdf_streams),
		cmocka_unit_test(test_pdf_fonts),
		cmocka_unit_test(test_pdf_hostile),
		cmocka_unit_test(test_bombs),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
