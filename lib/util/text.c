/* text.c: UTF-8 and email handling for everything users type */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/he.h"
#include "util/text.h"

/* Length of the well-formed sequence at s (1-4), or 0 when malformed. */
static size_t
utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return left >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf;	/* no surrogates */
		return left >= 3 && s[1] >= lo && s[1] <= hi &&
		    (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;	/* <= U+10FFFF */
		return left >= 4 && s[1] >= lo && s[1] <= hi &&
		    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

size_t
text_utf8_len(const char *s, size_t left)
{
	return left ? utf8_seq((const unsigned char *)s, left) : 0;
}

bool
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_seq(p + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

size_t
text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
text_clean_line(const char *in, char **out)
{
	size_t len = strlen(in), o = 0;
	char *buf;
	bool pending_space = false;

	*out = NULL;
	if (!text_utf8_valid(in, len))
		return HE_INVALID;
	if ((buf = malloc(len + 1)) == NULL)
		return HE_NOMEM;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (is_space(c)) {
			pending_space = o > 0;
			continue;
		}
		/* C0 controls, DEL and the C1 controls (U+0080..U+009F). */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)in[i + 1] < 0xa0)) {
			free(buf);
			return HE_INVALID;
		}
		if (pending_space)
			buf[o++] = ' ';
		pending_space = false;
		buf[o++] = (char)c;
	}
	buf[o] = '\0';
	*out = buf;
	return HE_OK;
}

static bool
is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static bool
local_part_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
		} else if (!is_atext((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static bool
domain_ok(const char *s, size_t n)
{
	size_t label = 0, last_dot = 0, dots = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return false;
			if (i < n) {
				dots++;
				last_dot = i;
			}
			label = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '-' && label > 0)))
			return false;
		label++;
	}
	if (dots == 0)
		return false;
	/* The top-level domain is alphabetic and at least two letters. */
	if (n - last_dot - 1 < 2)
		return false;
	for (size_t i = last_dot + 1; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

int
text_email_normalise(const char *in, char **out)
{
	size_t start = 0, end = strlen(in);
	const char *at;
	char *buf;

	*out = NULL;
	while (start < end && is_space((unsigned char)in[start]))
		start++;
	while (end > start && is_space((unsigned char)in[end - 1]))
		end--;
	if (end - start > 254 || end == start)
		return HE_INVALID;
	if ((buf = malloc(end - start + 1)) == NULL)
		return HE_NOMEM;
	for (size_t i = start; i < end; i++) {
		unsigned char c = (unsigned char)in[i];
		buf[i - start] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[end - start] = '\0';
	at = strchr(buf, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL ||
	    !local_part_ok(buf, (size_t)(at - buf)) ||
	    !domain_ok(at + 1, strlen(at + 1))) {
		free(buf);
		return HE_INVALID;
	}
	*out = buf;
	return HE_OK;
}

void
text_thousands(char *buf, size_t size, unsigned long long v)
{
	char digits[32];
	size_t n = (size_t)snprintf(digits, sizeof digits, "%llu", v), o = 0;

	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (size)
		buf[o < size ? o : size - 1] = '\0';
}
