/* words.c: words of text for search keys (see words.h) */
#include <string.h>

#include "util/words.h"

/* U+00C0..U+00FF folded to an ASCII letter; '*' for the two signs. */
static const char latin1_fold[65] =
    "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
    "aaaaaaaceeeeiiiidnooooo*ouuuuyty";

/* Length of the UTF-8 sequence at s (1 for a stray byte). */
static size_t
seq_len(const unsigned char *s, size_t left)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 1;

	if (n > left)
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

int
words_each(const char *s, size_t len,
    int (*fn)(const char *w, size_t n, void *ctx), void *ctx)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	char w[WORDS_MAX + 4];
	size_t n = 0;
	int rc;

	while (p < end) {
		size_t l = seq_len(p, (size_t)(end - p));
		char fold[4];
		size_t fl = 0;

		if (l == 1 && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			fold[fl++] = (char)*p;
		else if (l == 1 && *p >= 'A' && *p <= 'Z')
			fold[fl++] = (char)(*p - 'A' + 'a');
		else if (l == 2 && p[0] == 0xc3 && latin1_fold[p[1] - 0x80] != '*')
			fold[fl++] = latin1_fold[p[1] - 0x80];
		else if (l > 1 && !(l == 2 && p[0] == 0xc2)) {
			memcpy(fold, p, l);	/* other scripts: kept as they are */
			fl = l;
		}
		if (fl == 0) {
			if (n > 0 && (rc = fn(w, n, ctx)) != 0)
				return rc;
			n = 0;
		} else if (n + fl <= WORDS_MAX) {
			memcpy(w + n, fold, fl);
			n += fl;
		}
		p += l;
	}
	return n > 0 ? fn(w, n, ctx) : 0;
}

struct fold_buf {
	char *out;
	size_t size, len;
};

static int
fold_word(const char *w, size_t n, void *ctx)
{
	struct fold_buf *f = ctx;
	size_t sep = f->len > 0;

	if (f->len + sep + n + 1 > f->size)
		return 1;
	if (sep)
		f->out[f->len++] = ' ';
	memcpy(f->out + f->len, w, n);
	f->len += n;
	return 0;
}

size_t
words_fold(const char *s, char *out, size_t size)
{
	struct fold_buf f = { out, size, 0 };

	if (size == 0)
		return 0;
	words_each(s, strlen(s), fold_word, &f);
	out[f.len] = 0;
	return f.len;
}
