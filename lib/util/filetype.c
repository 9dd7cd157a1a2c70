/* filetype.c: sniffing résumé formats from their bytes (PDF, DOCX, ODT, TXT) */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/filetype.h"
#include "util/text.h"

const struct ft_info ft_kinds[FT__MAX] = {
	[FT_UNKNOWN] = { "", "application/octet-stream", "an unknown kind of file" },
	[FT_PDF] = { "pdf", "application/pdf", "PDF" },
	[FT_DOCX] = { "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document", "Word (.docx)" },
	[FT_ODT] = { "odt", "application/vnd.oasis.opendocument.text",
	    "OpenDocument (.odt)" },
	[FT_TXT] = { "txt", "text/plain; charset=utf-8", "plain text" },
};

const struct ft_info *
ft_info(enum ft_kind kind)
{
	return (unsigned)kind < FT__MAX ? &ft_kinds[kind] : &ft_kinds[FT_UNKNOWN];
}

/* PDF readers look for the header in the first 1024 bytes and for the
 * end-of-file marker in the last 1024 (PDF 1.7 implementation notes). */
#define PDF_WINDOW 1024

static bool
is_pdf(const unsigned char *d, size_t len)
{
	size_t head = len < PDF_WINDOW ? len : PDF_WINDOW, from, at;
	const unsigned char *h, *e;

	h = memmem(d, head, "%PDF-", 5);
	if (h == NULL)
		return false;
	at = (size_t)(h - d);
	/* "%PDF-1.7": a version, digit dot digit. */
	if (at + 8 > len || h[5] < '0' || h[5] > '9' || h[6] != '.' ||
	    h[7] < '0' || h[7] > '9')
		return false;
	from = len > PDF_WINDOW ? len - PDF_WINDOW : 0;
	if (from < at + 8)
		from = at + 8;
	if (from >= len)
		return false;
	e = memmem(d + from, len - from, "%%EOF", 5);
	return e != NULL;
}

/* ---- ZIP containers (APPNOTE.TXT 4.3): judged by the central directory ---- */

#define ZIP_LOCAL_SIG 0x04034b50u
#define ZIP_CENTRAL_SIG 0x02014b50u
#define ZIP_END_SIG 0x06054b50u
#define ZIP_LOCAL_LEN 30
#define ZIP_CENTRAL_LEN 46
#define ZIP_END_LEN 22
#define ZIP_COMMENT_MAX 65535

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

struct zip {
	const unsigned char *d;
	size_t len;
	size_t cd_off, cd_size;
	unsigned entries;
};

/*
 * Finds the end-of-central-directory record: searched from the end, as its
 * comment (up to 64 KiB) follows it, and accepted only when that comment
 * runs exactly to the end of the file. Single-disk archives only; ZIP64
 * (never needed for a few megabytes) is not one of ours.
 */
static bool
zip_open(struct zip *z, const unsigned char *d, size_t len)
{
	size_t pos, lowest;

	z->d = d;
	z->len = len;
	if (len < ZIP_LOCAL_LEN + ZIP_END_LEN || le32(d) != ZIP_LOCAL_SIG)
		return false;
	lowest = len - ZIP_END_LEN > ZIP_COMMENT_MAX ?
	    len - ZIP_END_LEN - ZIP_COMMENT_MAX : 0;
	for (pos = len - ZIP_END_LEN;; pos--) {
		const unsigned char *e = d + pos;

		if (le32(e) == ZIP_END_SIG &&
		    pos + ZIP_END_LEN + le16(e + 20) == len) {
			uint32_t size = le32(e + 12), off = le32(e + 16);

			if (le16(e + 4) != 0 || le16(e + 6) != 0 ||
			    le16(e + 8) != le16(e + 10) || le16(e + 10) == 0xffff ||
			    size == 0xffffffffu || off == 0xffffffffu)
				return false;
			/* The directory sits right before this record. */
			if ((uint64_t)off + size != pos)
				return false;
			z->cd_off = off;
			z->cd_size = size;
			z->entries = le16(e + 10);
			return z->entries > 0;
		}
		if (pos == lowest)
			return false;
	}
}

struct zip_entry {
	const unsigned char *name;
	size_t name_len;
	unsigned method, flags;
	uint32_t csize, usize, local_off;
};

/* Reads the entry at *at in the central directory and advances *at past
 * it; false when it is malformed or runs out of the directory. */
static bool
zip_next(const struct zip *z, size_t *at, struct zip_entry *ze)
{
	size_t end = z->cd_off + z->cd_size, n;
	const unsigned char *c;

	if (*at > end || end - *at < ZIP_CENTRAL_LEN)
		return false;
	c = z->d + *at;
	if (le32(c) != ZIP_CENTRAL_SIG)
		return false;
	n = (size_t)ZIP_CENTRAL_LEN + le16(c + 28) + le16(c + 30) + le16(c + 32);
	if (end - *at < n)
		return false;
	ze->flags = le16(c + 8);
	ze->method = le16(c + 10);
	ze->csize = le32(c + 20);
	ze->usize = le32(c + 24);
	ze->name_len = le16(c + 28);
	ze->local_off = le32(c + 42);
	ze->name = c + ZIP_CENTRAL_LEN;
	if (ze->local_off >= z->cd_off)
		return false;
	*at += n;
	return true;
}

static bool
name_is(const struct zip_entry *ze, const char *name)
{
	size_t n = strlen(name);

	/* OPC part names compare case-insensitively (ASCII). */
	return ze->name_len == n && strncasecmp((const char *)ze->name, name, n) == 0;
}

#define ODT_MIME "application/vnd.oasis.opendocument.text"

/* ODF 1.2 part 3, 3.3: "mimetype" is the first entry, stored, and holds
 * the media type; the local header is checked against the directory. */
static bool
zip_is_odt(const struct zip *z, const struct zip_entry *first)
{
	const size_t mlen = sizeof ODT_MIME - 1;
	const unsigned char *l = z->d;
	size_t data;

	/* Exactly "mimetype": this name is not an OPC part name. */
	if (first->name_len != 8 || memcmp(first->name, "mimetype", 8) != 0 ||
	    first->method != 0 ||
	    (first->flags & 1) || first->local_off != 0 ||
	    first->csize != mlen || first->usize != mlen)
		return false;
	if ((le16(l + 6) & 1) || le16(l + 8) != 0 || le16(l + 26) != 8 ||
	    memcmp(l + ZIP_LOCAL_LEN, "mimetype", 8) != 0)
		return false;
	data = (size_t)ZIP_LOCAL_LEN + le16(l + 26) + le16(l + 28);
	return data + mlen <= z->cd_off &&
	    memcmp(z->d + data, ODT_MIME, mlen) == 0;
}

static enum ft_kind
zip_kind(const unsigned char *d, size_t len)
{
	struct zip z;
	struct zip_entry ze;
	size_t at;
	bool document = false, types = false, macros = false;

	if (!zip_open(&z, d, len))
		return FT_UNKNOWN;
	at = z.cd_off;
	for (unsigned i = 0; i < z.entries; i++) {
		if (!zip_next(&z, &at, &ze))
			return FT_UNKNOWN;
		if (i == 0 && zip_is_odt(&z, &ze))
			return FT_ODT;
		document |= name_is(&ze, "word/document.xml");
		types |= name_is(&ze, "[Content_Types].xml");
		macros |= name_is(&ze, "word/vbaProject.bin");
	}
	if (at != z.cd_off + z.cd_size)
		return FT_UNKNOWN;	/* the count and the size disagree */
	/* A macro-enabled document (.docm) has the same parts plus a VBA
	 * project: not something to pass around a recruiting team. */
	return document && types && !macros ? FT_DOCX : FT_UNKNOWN;
}

/* ---- Plain text ---- */

static bool
is_txt(const unsigned char *d, size_t len)
{
	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf) {
		d += 3;
		len -= 3;
	}
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\f' &&
		    d[i] != '\r')
			return false;
	return text_utf8_valid((const char *)d, len);
}

enum ft_kind
ft_sniff(const unsigned char *data, size_t len)
{
	if (data == NULL || len == 0)
		return FT_UNKNOWN;
	/* A ZIP first: a PDF stored inside one is still a ZIP. */
	if (len >= 4 && le32(data) == ZIP_LOCAL_SIG)
		return zip_kind(data, len);
	if (is_pdf(data, len))
		return FT_PDF;
	return is_txt(data, len) ? FT_TXT : FT_UNKNOWN;
}
