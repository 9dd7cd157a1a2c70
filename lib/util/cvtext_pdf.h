/* cvtext_pdf.h: what the PDF reader's two files share (tokens, objects, fonts) */
#ifndef HEARTH_CVTEXT_PDF_H
#define HEARTH_CVTEXT_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "util/cvtext_int.h"

/* ---- tokens (pdf.c) ---- */

enum ptok_kind {
	PT_END, PT_NUM, PT_NAME, PT_STR, PT_HEX, PT_AOPEN, PT_ACLOSE,
	PT_DOPEN, PT_DCLOSE, PT_WORD, PT_BAD,
};

struct ptok {
	enum ptok_kind k;
	const unsigned char *s;		/* names, strings, words: the bytes */
	size_t n;
	double v;			/* numbers */
};

/* A position in a buffer; every token read counts in *work, and past
 * CVTEXT_PDF_WORK_MAX tokens every lexer of the file only sees its end. */
struct plex {
	const unsigned char *p, *end;
	size_t *work;
};

#define CVTEXT_PDF_WORK_MAX (64u << 20)

enum ptok_kind cvtext_lex(struct plex *l, struct ptok *t);
/* Passes the rest of a value whose first token is t (arrays and
 * dictionaries to their end, CVTEXT_DEPTH_MAX deep); 0 when cut short. */
int cvtext_skip(struct plex *l, const struct ptok *t);
int cvtext_is(const struct ptok *t, const char *s);
int cvtext_hexv(unsigned char c);

/* The bytes of a literal or hex string token, one at a time: -1 at the
 * end. */
struct sbytes {
	const unsigned char *s, *end;
	int hex;
};
void cvtext_sbytes(struct sbytes *b, const struct ptok *t);
int cvtext_sb_next(struct sbytes *b);

/* ---- objects (pdf.c) ---- */

struct pdf;

/* A lexer at the body of object num (after "obj"); 0 when there is none. */
int cvtext_obj(struct pdf *p, uint32_t num, struct plex *out);
/* If the value at *v is a reference, *v moves to the object's body, a few
 * references deep; 0 when it names no object. */
int cvtext_deref(struct pdf *p, struct plex *v);
/* The object number when the value at v is a reference "N G R", else 0. */
uint32_t cvtext_ref(struct plex v);
/* In the dictionary whose "<<" l has passed, *val at the value of key;
 * 0 when it has none. */
int cvtext_dict_find(struct plex l, const char *key, struct plex *val);
/* The decoded data of stream object num: *buf is malloc'd or NULL (the
 * caller frees it), *data and *len what to read. HE_OK with *len 0 when
 * it is no stream or cannot be decoded; HE_NOMEM. */
int cvtext_stream(struct pdf *p, uint32_t num, unsigned char **buf,
    const unsigned char **data, size_t *len);
/* The text being made, the counter of tokens read. */
struct cvtext_out *cvtext_pdf_out(struct pdf *p);
size_t *cvtext_pdf_work(struct pdf *p);

/* ---- fonts (pdf_font.c) ---- */

struct cvtext_font;
struct cvtext_fonts;	/* the fonts of one file, each read once */

struct cvtext_fonts *cvtext_fonts_new(void);
void cvtext_fonts_free(struct cvtext_fonts *fs);
/* Font object num, read (its encoding, ToUnicode map) at its first use;
 * NULL when it cannot be, or too many fonts were read. */
struct cvtext_font *cvtext_font_get(struct pdf *p, struct cvtext_fonts *fs,
    uint32_t num);
/* How far a shown string moves: the sum of its glyphs' widths (in
 * thousandths of the font size), its glyphs, its single-byte spaces (word
 * spacing applies to them); known is 0 when the font's widths are not. */
struct cvtext_adv {
	double w;
	size_t glyphs, spaces;
	int known;
};

/* The text of a string shown in font f (NULL: none known; each byte as
 * Windows-1252, UTF-16BE after a byte order mark), and its advance. */
void cvtext_font_show(struct cvtext_out *o, const struct cvtext_font *f,
    const struct ptok *t, struct cvtext_adv *adv);

#endif
