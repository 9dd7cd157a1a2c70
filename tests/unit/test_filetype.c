/* test_filetype.c: PDF, DOCX, ODT and plain text told apart by content */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "util/filetype.h"

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

/* ---- A real ZIP writer: stored entries, CRCs, central directory ---- */

struct zentry {
	const char *name;
	const char *data;
	unsigned method;	/* written as is; the data is always stored */
};

static void
zip_build(struct buf *b, const struct zentry *e, size_t n, const char *comment)
{
	uint32_t off[16];
	size_t cd, cd_size;

	assert_true(n <= N(off));
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(e[i].data);
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)e[i].data, (uInt)len);

		off[i] = (uint32_t)b->n;
		b_le32(b, 0x04034b50);
		b_le16(b, 20);			/* version needed */
		b_le16(b, 0);			/* flags */
		b_le16(b, e[i].method);
		b_le16(b, 0);			/* time */
		b_le16(b, 0x21);		/* date: 1980-01-01 */
		b_le32(b, crc);
		b_le32(b, (uint32_t)len);
		b_le32(b, (uint32_t)len);
		b_le16(b, (unsigned)strlen(e[i].name));
		b_le16(b, 0);			/* extra */
		b_str(b, e[i].name);
		b_str(b, e[i].data);
	}
	cd = b->n;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(e[i].data);
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)e[i].data, (uInt)len);

		b_le32(b, 0x02014b50);
		b_le16(b, 0x0314);		/* made by: Unix, 2.0 */
		b_le16(b, 20);
		b_le16(b, 0);
		b_le16(b, e[i].method);
		b_le16(b, 0);
		b_le16(b, 0x21);
		b_le32(b, crc);
		b_le32(b, (uint32_t)len);
		b_le32(b, (uint32_t)len);
		b_le16(b, (unsigned)strlen(e[i].name));
		b_le16(b, 0);			/* extra */
		b_le16(b, 0);			/* comment */
		b_le16(b, 0);			/* disk */
		b_le16(b, 0);			/* internal attributes */
		b_le32(b, 0100644u << 16);	/* external: a regular file */
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
	b_le16(b, (unsigned)strlen(comment));
	b_str(b, comment);
}

#define CT_XML "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-" \
	"package.relationships+xml\"/><Default Extension=\"xml\" ContentType=" \
	"\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=" \
	"\"application/vnd.openxmlformats-officedocument.wordprocessingml.document." \
	"main+xml\"/></Types>"
#define RELS "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/" \
	"relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas." \
	"openxmlformats.org/officeDocument/2006/relationships/officeDocument\" " \
	"Target=\"word/document.xml\"/></Relationships>"
#define DOC_XML "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/" \
	"2006/main\"><w:body><w:p><w:r><w:t>Ada Lovelace, analyst</w:t></w:r></w:p>" \
	"</w:body></w:document>"
#define ODT_MIME "application/vnd.oasis.opendocument.text"
#define MANIFEST "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest " \
	"xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" " \
	"manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" " \
	"manifest:media-type=\"" ODT_MIME "\"/><manifest:file-entry " \
	"manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>" \
	"</manifest:manifest>"
#define CONTENT_XML "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-" \
	"content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"office:version=\"1.2\"><office:body><office:text><text:p>Ada Lovelace" \
	"</text:p></office:text></office:body></office:document-content>"

static const struct zentry docx[] = {
	{ "[Content_Types].xml", CT_XML, 0 },
	{ "_rels/.rels", RELS, 0 },
	{ "word/document.xml", DOC_XML, 0 },
};

static const struct zentry odt[] = {
	{ "mimetype", ODT_MIME, 0 },
	{ "content.xml", CONTENT_XML, 0 },
	{ "META-INF/manifest.xml", MANIFEST, 0 },
};

/* A minimal PDF 1.4 with one empty page, offsets and all, and the binary
 * comment line writers put after the header. */
static void
pdf_build(struct buf *b)
{
	static const char *const objs[] = {
		"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
		("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\n"
		    "endobj\n"),
	};
	size_t off[N(objs)], xref;
	char line[64];

	b_str(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	for (size_t i = 0; i < N(objs); i++) {
		off[i] = b->n;
		b_str(b, objs[i]);
	}
	xref = b->n;
	b_str(b, "xref\n0 4\n0000000000 65535 f \n");
	for (size_t i = 0; i < N(objs); i++) {
		snprintf(line, sizeof line, "%010zu 00000 n \n", off[i]);
		b_str(b, line);
	}
	snprintf(line, sizeof line, "trailer\n<< /Size 4 /Root 1 0 R >>\n"
	    "startxref\n%zu\n", xref);
	b_str(b, line);
	b_str(b, "%%EOF\n");
}

static enum ft_kind
sniff(const struct buf *b)
{
	return ft_sniff(b->p, b->n);
}

/* ---- PDF ---- */

static void
test_pdf(void **state)
{
	struct buf b = { 0 }, v = { 0 };
	char pad[1100];

	(void)state;
	pdf_build(&b);
	assert_int_equal(sniff(&b), FT_PDF);

	/* Up to 1024 leading bytes, as readers allow. */
	memset(pad, ' ', sizeof pad);
	b_add(&v, pad, 1024 - 8);
	b_add(&v, b.p, b.n);
	assert_int_equal(sniff(&v), FT_PDF);
	b_free(&v);
	b_add(&v, pad, 1024 - 4);
	b_add(&v, b.p, b.n);
	assert_int_not_equal(sniff(&v), FT_PDF);	/* header cut by the window */
	b_free(&v);

	/* "%%EOF" within the last 1024 bytes, not further up. */
	b_add(&v, b.p, b.n);
	b_add(&v, pad, 1024 - 6);
	assert_int_equal(sniff(&v), FT_PDF);
	b_add(&v, pad, 2);
	assert_int_equal(sniff(&v), FT_UNKNOWN);
	b_free(&v);

	/* Truncated: no end marker. */
	assert_int_equal(ft_sniff(b.p, b.n / 2), FT_UNKNOWN);
	assert_int_equal(ft_sniff(b.p, b.n - 2), FT_UNKNOWN);

	/* No version after the header, or the marker alone. */
	b_str(&v, "%PDF-x.y\n%\xe2\xe3\xcf\xd3\n%%EOF\n");
	assert_int_equal(sniff(&v), FT_UNKNOWN);
	b_free(&v);
	b_str(&v, "%PDF-1.");
	assert_int_equal(sniff(&v), FT_TXT);	/* just text */
	b_free(&v);
	/* The end marker must come after the header. */
	b_str(&v, "%%EOF\n%PDF-1.4\n\xff");
	assert_int_equal(sniff(&v), FT_UNKNOWN);
	b_free(&v);
	/* The rule is about markers, not meaning: a text holding both is
	 * taken for a PDF (a reader would try to open it too); one that
	 * only mentions PDFs is text. */
	b_str(&v, "My CV is a %PDF-1.4 file, see %%EOF.\n");
	assert_int_equal(sniff(&v), FT_PDF);
	b_free(&v);
	b_str(&v, "My CV is a PDF file.\n");
	assert_int_equal(sniff(&v), FT_TXT);
	b_free(&v);
	b_free(&b);
}

/* ---- DOCX ---- */

static void
test_docx(void **state)
{
	struct buf b = { 0 };
	struct zentry e[8];

	(void)state;
	zip_build(&b, docx, N(docx), "");
	assert_int_equal(sniff(&b), FT_DOCX);
	b_free(&b);

	/* With an archive comment, and names in another case. */
	zip_build(&b, docx, N(docx), "made by a test");
	assert_int_equal(sniff(&b), FT_DOCX);
	b_free(&b);
	memcpy(e, docx, sizeof docx);
	e[0].name = "[content_types].XML";
	e[2].name = "Word/Document.xml";
	zip_build(&b, e, N(docx), "");
	assert_int_equal(sniff(&b), FT_DOCX);
	b_free(&b);

	/* A ZIP without the main document, or without the content types. */
	zip_build(&b, docx, 2, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
	zip_build(&b, docx + 1, 2, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
	memcpy(e, docx, sizeof docx);
	e[2].name = "word/document.xml.bak";
	zip_build(&b, e, N(docx), "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);

	/* Macro-enabled (.docm): refused. */
	memcpy(e, docx, sizeof docx);
	e[3] = (struct zentry){ "word/vbaProject.bin", "VBA", 0 };
	zip_build(&b, e, 4, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);

	/* Damaged archives. */
	zip_build(&b, docx, N(docx), "");
	assert_int_equal(ft_sniff(b.p, b.n - 1), FT_UNKNOWN);	/* EOCD cut */
	assert_int_equal(ft_sniff(b.p, b.n / 2), FT_UNKNOWN);
	b_add(&b, "junk", 4);				/* data after the EOCD */
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b.n -= 4;
	b.p[b.n - 22 + 10]++;				/* one entry too many */
	b.p[b.n - 22 + 8]++;
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b.p[b.n - 22 + 10] -= 2;			/* one too few */
	b.p[b.n - 22 + 8] -= 2;
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b.p[b.n - 22 + 10]++;
	b.p[b.n - 22 + 8]++;
	assert_int_equal(sniff(&b), FT_DOCX);		/* restored */
	b.p[b.n - 22 + 16]++;				/* directory moved */
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);

	/* A ZIP that does not start with a local header (prepended data). */
	b_str(&b, "MZ\x90");
	zip_build(&b, docx, N(docx), "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
}

/* ---- ODT ---- */

static void
test_odt(void **state)
{
	struct buf b = { 0 };
	struct zentry e[4];

	(void)state;
	zip_build(&b, odt, N(odt), "");
	assert_int_equal(sniff(&b), FT_ODT);
	b_free(&b);

	/* mimetype not first. */
	e[0] = odt[1];
	e[1] = odt[0];
	e[2] = odt[2];
	zip_build(&b, e, 3, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);

	/* Compressed (by its method), another ODF kind, a stray newline, a
	 * different name. */
	memcpy(e, odt, sizeof odt);
	e[0].method = 8;
	zip_build(&b, e, 3, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
	memcpy(e, odt, sizeof odt);
	e[0].data = "application/vnd.oasis.opendocument.spreadsheet";
	zip_build(&b, e, 3, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
	memcpy(e, odt, sizeof odt);
	e[0].data = ODT_MIME "\n";
	zip_build(&b, e, 3, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
	memcpy(e, odt, sizeof odt);
	e[0].name = "MIMETYPE";
	zip_build(&b, e, 3, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);

	/* The local header must agree with the directory. */
	zip_build(&b, odt, N(odt), "");
	b.p[30 + 8]++;			/* first byte of the stored content */
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
}

/* ---- Plain text ---- */

static void
test_txt(void **state)
{
	static const struct {
		const char *what;
		const char *data;
		size_t len;
		enum ft_kind want;
	} tc[] = {
#define T(what, s, want) { what, s, sizeof(s) - 1, want }
		T("ASCII", "Ada Lovelace\nAnalyst\n", FT_TXT),
		T("UTF-8 with BOM", "\xef\xbb\xbf" "J\xc3\xbcrgen \xe7\x8e\x8b \xf0\x9f\x98\x80\n",
		    FT_TXT),
		T("tab, CR LF, form feed", "a\tb\r\nc\fd", FT_TXT),
		T("one character", "x", FT_TXT),
		T("NUL", "Ada\0Lovelace", FT_UNKNOWN),
		T("escape", "Ada \x1b[31mred\n", FT_UNKNOWN),
		T("vertical tab", "a\vb", FT_UNKNOWN),
		T("invalid byte", "caf\xe9\n", FT_UNKNOWN),
		T("overlong slash", "a\xc0\xaf" "b", FT_UNKNOWN),
		T("surrogate", "a\xed\xa0\x80" "b", FT_UNKNOWN),
		T("cut sequence at the end", "euro \xe2\x82", FT_UNKNOWN),
		T("beyond U+10FFFF", "\xf4\x90\x80\x80", FT_UNKNOWN),
		T("BOM only", "\xef\xbb\xbf", FT_UNKNOWN),
		T("UTF-16 with BOM", "\xff\xfe" "A\0d\0a\0", FT_UNKNOWN),
		T("empty", "", FT_UNKNOWN),
#undef T
	};

	(void)state;
	for (size_t i = 0; i < N(tc); i++)
		if (ft_sniff((const unsigned char *)tc[i].data, tc[i].len) != tc[i].want)
			fail_msg("%s: not %s", tc[i].what, ft_info(tc[i].want)->label);
	assert_int_equal(ft_sniff(NULL, 0), FT_UNKNOWN);
}

/* ---- Renamed files and garbage ---- */

static void
test_garbage(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
		'\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
	static const unsigned char elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
	static const unsigned char mz[] = { 'M', 'Z', 0x90, 0, 3, 0, 0, 0 };
	static const unsigned char ole[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1,
		0x1a, 0xe1 };	/* an old .doc, or an encrypted .docx */
	static const unsigned char pk[] = { 'P', 'K', 3, 4, 0, 0 };
	unsigned char rnd[4096];
	uint32_t seed = 7;
	struct buf b = { 0 };
	struct zentry e[1] = { { "cv.pdf", "%PDF-1.4\n%%EOF\n", 0 } };

	(void)state;
	assert_int_equal(ft_sniff(png, sizeof png), FT_UNKNOWN);
	assert_int_equal(ft_sniff(elf, sizeof elf), FT_UNKNOWN);
	assert_int_equal(ft_sniff(mz, sizeof mz), FT_UNKNOWN);
	assert_int_equal(ft_sniff(ole, sizeof ole), FT_UNKNOWN);
	assert_int_equal(ft_sniff(pk, sizeof pk), FT_UNKNOWN);
	for (size_t i = 0; i < sizeof rnd; i++) {
		seed = seed * 1103515245u + 12345u;
		rnd[i] = (unsigned char)(seed >> 16);
	}
	assert_int_equal(ft_sniff(rnd, sizeof rnd), FT_UNKNOWN);
	/* A PDF inside a ZIP is a ZIP, and not one of ours. */
	zip_build(&b, e, 1, "%%EOF");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
	/* An empty archive. */
	zip_build(&b, e, 0, "");
	assert_int_equal(sniff(&b), FT_UNKNOWN);
	b_free(&b);
}

/*
 * Every prefix and every single-byte change of real files: nothing read
 * outside the buffer (the ASan build checks), and a damaged archive is
 * never taken for a sound one of the other kind.
 */
static void
test_damage(void **state)
{
	struct buf files[3] = { { 0 } };
	static const enum ft_kind kinds[3] = { FT_DOCX, FT_ODT, FT_PDF };
	static const unsigned char flips[] = { 0x00, 0x01, 0x80, 0xff };

	(void)state;
	zip_build(&files[0], docx, N(docx), "c");
	zip_build(&files[1], odt, N(odt), "");
	pdf_build(&files[2]);
	for (size_t f = 0; f < N(files); f++) {
		struct buf *b = &files[f];
		unsigned char *copy = malloc(b->n);

		assert_non_null(copy);
		for (size_t n = 0; n < b->n; n++) {
			/* A heap copy of exactly n bytes: overreads are caught. */
			memcpy(copy, b->p, n);
			(void)ft_sniff(copy, n);
		}
		for (size_t i = 0; i < b->n; i++)
			for (size_t k = 0; k < N(flips); k++) {
				enum ft_kind got;

				memcpy(copy, b->p, b->n);
				copy[i] ^= flips[k] ? flips[k] : copy[i];
				got = ft_sniff(copy, b->n);
				assert_true(got == kinds[f] || got == FT_UNKNOWN ||
				    (got == FT_TXT && kinds[f] == FT_PDF));
			}
		free(copy);
		b_free(b);
	}
}

static void
test_table(void **state)
{
	(void)state;
	for (int k = 0; k < FT__MAX; k++) {
		assert_non_null(ft_kinds[k].ext);
		assert_non_null(ft_kinds[k].mime);
		assert_non_null(ft_kinds[k].label);
		assert_ptr_equal(ft_info((enum ft_kind)k), &ft_kinds[k]);
	}
	assert_string_equal(ft_info(FT_PDF)->ext, "pdf");
	assert_string_equal(ft_info(FT_PDF)->mime, "application/pdf");
	assert_string_equal(ft_info(FT_DOCX)->ext, "docx");
	assert_string_equal(ft_info(FT_DOCX)->mime, "application/vnd."
	    "openxmlformats-officedocument.wordprocessingml.document");
	assert_string_equal(ft_info(FT_ODT)->ext, "odt");
	assert_string_equal(ft_info(FT_ODT)->mime, ODT_MIME);
	assert_string_equal(ft_info(FT_TXT)->ext, "txt");
	assert_string_equal(ft_info(FT_UNKNOWN)->ext, "");
	assert_ptr_equal(ft_info(FT__MAX), &ft_kinds[FT_UNKNOWN]);
	assert_ptr_equal(ft_info((enum ft_kind)-1), &ft_kinds[FT_UNKNOWN]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_odt),
		cmocka_unit_test(test_txt),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
