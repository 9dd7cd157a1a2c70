/* filetype.h: what kind of document a file is, judged by its bytes alone */
#ifndef HEARTH_FILETYPE_H
#define HEARTH_FILETYPE_H

#include <stddef.h>

/* The kinds of document Hearth reads (résumés); everything else is unknown. */
enum ft_kind {
	FT_UNKNOWN,
	FT_PDF,		/* "%PDF-x.y" in the first 1024 bytes, "%%EOF" in the last 1024 */
	FT_DOCX,	/* ZIP listing word/document.xml and [Content_Types].xml, no macros */
	FT_ODT,		/* ZIP whose first entry is "mimetype", stored, ODF text */
	FT_TXT,		/* UTF-8 (BOM allowed), no C0 controls but TAB, LF, FF, CR */
	FT__MAX
};

/* What to call a kind: extension (no dot; "" for unknown), media type
 * for a Content-Type header, and a name for people ("Word (.docx)"). */
struct ft_info {
	const char *ext;
	const char *mime;
	const char *label;
};

extern const struct ft_info ft_kinds[FT__MAX];

/*
 * Judges data[0..len) by content only (never by a file name or a claimed
 * type). Reads nothing outside the buffer, allocates nothing, and does not
 * decompress: ZIP containers are judged by their central directory and, for
 * ODT, the stored "mimetype" entry. data may be NULL when len is 0.
 */
enum ft_kind ft_sniff(const unsigned char *data, size_t len);

/* ft_kinds[kind], or the FT_UNKNOWN entry for an out-of-range kind. */
const struct ft_info *ft_info(enum ft_kind kind);

#endif
