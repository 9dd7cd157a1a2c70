/* words.h: splitting and folding text for search and matching */
#ifndef HEARTH_WORDS_H
#define HEARTH_WORDS_H

#include <stddef.h>

/* The longest word kept, in bytes; longer runs are cut there. */
#define WORDS_MAX 40

/*
 * Calls fn for each word of s[0..len): a run of letters and digits (every
 * non-ASCII UTF-8 character counts as a letter), ASCII lower-cased and the
 * accents of Latin-1 letters folded ("José" -> "jose"). fn gets the folded
 * word (not NUL-terminated) and its length; non-zero from fn stops the
 * walk and is returned.
 */
int words_each(const char *s, size_t len,
    int (*fn)(const char *w, size_t n, void *ctx), void *ctx);

/*
 * The words of s joined by single spaces, as words_each makes them, into
 * out (size bytes, always NUL-terminated; cut at a word boundary when too
 * small). Returns the length written.
 */
size_t words_fold(const char *s, char *out, size_t size);

#endif
