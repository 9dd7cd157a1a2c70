/* text.h: UTF-8 validation, single-line clean-up, email normalisation */
#ifndef HEARTH_TEXT_H
#define HEARTH_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool text_utf8_valid(const char *s, size_t len);

/* Length (1..4) of the well-formed UTF-8 sequence that starts s[0..left),
 * or 0 when it is malformed or left is 0. */
size_t text_utf8_len(const char *s, size_t left);

/* Number of code points in a valid UTF-8 string. */
size_t text_chars(const char *s);

/*
 * Cleans one line of user text: rejects malformed UTF-8 and control
 * characters (HE_INVALID), trims white space at both ends and folds inner
 * runs of white space into one space. On HE_OK *out is malloc'd, caller frees.
 */
int text_clean_line(const char *in, char **out);

/*
 * Normalises an email address: trimmed, lower-cased, checked for the shape
 * local@domain.tld with the characters mail systems accept (ASCII only;
 * at most 254 bytes). HE_INVALID when it is not an address. On HE_OK *out
 * is malloc'd, caller frees.
 */
int text_email_normalise(const char *in, char **out);

/* A count as people read it: 12345 as "12,345" (at most size bytes). */
void text_thousands(char *buf, size_t size, unsigned long long v);

#endif
