/* cvtext_int.h: what the readers of CV text share (the text made, inflation) */
#ifndef HEARTH_CVTEXT_INT_H
#define HEARTH_CVTEXT_INT_H

#include <stddef.h>
#include <stdint.h>

/* The text being made; readers stop once full is set. */
struct cvtext_out {
	char *p;		/* CVTEXT_MAX + 1 bytes */
	size_t n;
	int full;		/* CVTEXT_MAX reached */
	int space;		/* a space is due before the next character */
	size_t inflated;	/* bytes decompressed so far, all parts */
};

/* A word break: one space before the next character, none at the start. */
void cvtext_space(struct cvtext_out *o);
/* Appends code point cp, normalised (see cvtext.h): spaces, controls,
 * bullets and symbols become a break, ligatures are spelled out. */
void cvtext_char(struct cvtext_out *o, uint32_t cp);
/* Appends UTF-8 text; a byte that starts no valid sequence is read as
 * Windows-1252. */
void cvtext_utf8(struct cvtext_out *o, const unsigned char *s, size_t n);
/* The code point of a Windows-1252 byte (0 for its five unused ones). */
uint32_t cvtext_cp1252(unsigned char b);

/*
 * Inflates src[0..n) (raw deflate when raw, else a zlib or gzip stream,
 * falling back to raw deflate when the header is wrong) into a malloc'd
 * *dst of at most max bytes, less what o's CVTEXT_INFLATE_MAX budget has
 * left, which it takes. A stream that is damaged or cut short gives what
 * came out before. HE_OK (*dlen may be 0), HE_NOMEM; the caller frees *dst.
 */
int cvtext_inflate(struct cvtext_out *o, const unsigned char *src, size_t n,
    int raw, size_t max, unsigned char **dst, size_t *dlen);

/* The readers: HE_OK, HE_INVALID when data is not of their kind, HE_NOMEM. */
int cvtext_docx(struct cvtext_out *o, const unsigned char *d, size_t len);
int cvtext_odt(struct cvtext_out *o, const unsigned char *d, size_t len);
int cvtext_pdf(struct cvtext_out *o, const unsigned char *d, size_t len);

#endif
