/* cvtext.h: the plain text of a CV (PDF, DOCX, ODT, plain text), for search */
#ifndef HEARTH_CVTEXT_H
#define HEARTH_CVTEXT_H

#include <stddef.h>

#include "util/filetype.h"

/* Bytes of text given at most; a longer CV is cut there (at a character). */
#define CVTEXT_MAX (64 * 1024)
/* Bytes decompressed per file at most, all parts and streams together
 * (a ZIP or Flate "bomb" stops there), and per part or stream. */
#define CVTEXT_INFLATE_MAX (32 * 1024 * 1024)
#define CVTEXT_PART_MAX (8 * 1024 * 1024)
/* Nesting of PDF arrays and dictionaries, and of XML elements, followed
 * at most; deeper parts are skipped. */
#define CVTEXT_DEPTH_MAX 32

/*
 * The text of a CV whose bytes are data[0..len), read as kind (what
 * ft_sniff says of them; FT_UNKNOWN: ft_sniff is asked). Nothing is run,
 * fetched or written: the readers are parsers with the bounds above, so a
 * hostile file costs at most CVTEXT_INFLATE_MAX bytes of inflation, a pass
 * over its bytes and, for a PDF, 64 million tokens read at most; memory
 * stays under about 100 MB (the parts decoded, and a PDF's capped tables
 * of objects, streams and font maps; a few MB for a usual CV).
 *
 *   FT_TXT   UTF-8 (a BOM is dropped), UTF-16 with a BOM, else Windows-1252
 *            (Latin-1 with the printable 0x80..0x9f of Windows)
 *   FT_DOCX  the <w:t> runs (and drawing and math text) of
 *            word/document.xml, then of the headers and footers; deleted
 *            text and the fallback copies of text boxes are left out
 *   FT_ODT   the text of content.xml's body, then of the headers and
 *            footers in styles.xml; tracked deletions and comments left out
 *   FT_PDF   the strings shown by the text operators (Tj, TJ, ', ") of
 *            each page's content streams, then of the other streams
 *            that may hold text (forms, streams no page names), found by
 *            scanning the file's objects and object streams, not by its
 *            cross-reference table (uncompressed, FlateDecode,
 *            ASCIIHexDecode, ASCII85Decode; other filters give nothing).
 *            Codes become characters through the fonts' ToUnicode maps,
 *            else their /Differences glyph names, else Windows-1252; the
 *            fonts' widths tell a gap between words from runs placed side
 *            by side. Poor or no text: fonts with neither a map nor
 *            standard glyph names (codes that are glyph numbers), Type 3
 *            fonts, text drawn as curves or images (scans), and encrypted
 *            files (even with an empty password: nothing is decrypted).
 *
 * Paragraphs, table cells, tabs and text positioning become single
 * spaces; runs of white space are one space; control characters, bullets,
 * symbols and private-use characters (icon fonts) become spaces; typographic
 * ligatures are spelled out. The text is valid UTF-8.
 *
 * On HE_OK *out is malloc'd and NUL-terminated (the caller frees it),
 * *outlen (may be NULL) its length, at most CVTEXT_MAX; it is empty when
 * the file holds no text. HE_INVALID when data is not a file of that kind
 * at all (no ZIP directory, no document part, no PDF header); HE_NOMEM.
 */
int cvtext_extract(const unsigned char *data, size_t len, enum ft_kind kind,
    char **out, size_t *outlen);

#endif
