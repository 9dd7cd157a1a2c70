/* dsn.c: bounces (RFC 3464 reports and plain-text ones) and replies, read from raw bytes */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/dsn.h"
#include "util/he.h"
#include "util/text.h"

const char *const dsn_kinds[DSN_KIND__MAX] = {
	[DSN_OTHER] = "other", [DSN_BOUNCE] = "bounce", [DSN_REPLY] = "reply",
};

/* A header value read into a buffer of this size at most (Content-Type,
 * References of a long thread are cut: the newest ids come last, but
 * In-Reply-To names the one answered anyway). */
#define HVAL_MAX 4096
/* Decoded text of a part kept at most. */
#define TEXT_MAX (64u * 1024)
#define BOUNDARY_MAX 200

/* One MIME entity: its header section and its body, into the message. */
struct ent {
	const char *hdr;
	size_t hlen;
	const char *body;
	size_t blen;
};

/* What the walk collects. */
struct walk {
	int parts;
	int report;		/* a message/delivery-status part was read */
	int have_rcpt;		/* a recipient group was chosen */
	int rcpt_rank;		/* 2: failed, 1: delayed, 0: other */
	char action[16];
	char orig_msgid[HVAL_MAX];	/* of the bounced message's headers */
	char *text;		/* the first text part, decoded (malloc'd) */
	size_t text_len;
	int text_html;		/* text came from text/html */
	struct dsn_result *out;
};

/* The next line of [*p, e): its start and length without the line end;
 * 0 at the end. */
static int
next_line(const char **p, const char *e, const char **ls, size_t *ll)
{
	const char *s = *p, *nl;
	size_t n;

	if (s >= e)
		return 0;
	nl = memchr(s, '\n', (size_t)(e - s));
	n = (size_t)((nl ? nl : e) - s);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	*ls = s;
	*ll = n;
	*p = nl ? nl + 1 : e;
	return 1;
}

/* Splits s[0..n) at its first empty line. */
static void
split_entity(const char *s, size_t n, struct ent *out)
{
	const char *p = s, *e = s + n, *ls;
	size_t ll;

	while (next_line(&p, e, &ls, &ll)) {
		if (ll == 0) {
			out->hdr = s;
			out->hlen = (size_t)(ls - s);
			out->body = p;
			out->blen = (size_t)(e - p);
			return;
		}
	}
	out->hdr = s;
	out->hlen = n;
	out->body = e;
	out->blen = 0;
}

static int
wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies what fits of s[0..n) after the len bytes already in out (size
 * bytes), NUL-terminated. */
static void
append(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

/* Trims white space at both ends of the NUL-terminated s, in place. */
static void
trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (wsp(s[n - 1]) || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	while (i < n && wsp(s[i]))
		i++;
	memmove(s, s + i, n - i);
	s[n - i] = '\0';
}

/*
 * The first field called name in the header section h[0..n), unfolded
 * (the line breaks of continuation lines dropped) and trimmed, into out
 * (size bytes, cut to fit). 1 when found.
 */
static int
get_header(const char *h, size_t n, const char *name, char *out, size_t size)
{
	const char *p = h, *e = h + n, *ls;
	size_t ll, nl = strlen(name), len = 0;
	int in = 0;

	out[0] = '\0';
	while (next_line(&p, e, &ls, &ll)) {
		if (in) {
			if (ll > 0 && wsp(ls[0])) {
				append(out, size, &len, ls, ll);
				continue;
			}
			break;
		}
		if (ll > nl && strncasecmp(ls, name, nl) == 0) {
			size_t i = nl;

			while (i < ll && wsp(ls[i]))
				i++;
			if (i < ll && ls[i] == ':') {
				append(out, size, &len, ls + i + 1, ll - i - 1);
				in = 1;
			}
		}
	}
	if (in)
		trim(out);
	return in;
}

/* Lower-cases the media type of a Content-Type value into out ("" when
 * there is none). */
static void
media_type(const char *v, char *out, size_t size)
{
	size_t i = 0;

	while (wsp(*v))
		v++;
	for (; v[i] && v[i] != ';' && !wsp(v[i]) && v[i] != '(' && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)v[i]);
	out[i] = '\0';
}

/* The parameter name of a Content-Type value (quoted string or token),
 * into out; 1 when found. */
static int
ct_param(const char *v, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	const char *p = strchr(v, ';');

	out[0] = '\0';
	while (p) {
		size_t len = 0;

		p++;
		while (wsp(*p))
			p++;
		if (strncasecmp(p, name, nl) == 0) {
			const char *q = p + nl;

			while (wsp(*q))
				q++;
			if (*q == '=') {
				q++;
				while (wsp(*q))
					q++;
				if (*q == '"') {
					for (q++; *q && *q != '"'; q++) {
						if (*q == '\\' && q[1])
							q++;
						append(out, size, &len, q, 1);
					}
				} else {
					size_t t = strcspn(q, "; \t()<>@,:\\\"/[]?=");

					append(out, size, &len, q, t);
				}
				return 1;
			}
		}
		/* Past this parameter: a ";" inside quotes does not end it. */
		while (*p && *p != ';') {
			if (*p == '"') {
				for (p++; *p && *p != '"'; p++)
					if (*p == '\\' && p[1])
						p++;
				if (*p == '\0')
					break;
			}
			p++;
		}
		if (*p != ';')
			break;
	}
	return 0;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes s[0..n) by its Content-Transfer-Encoding into a new buffer of
 * at most max bytes (NUL-terminated; *len bytes); NULL when out of memory. */
static char *
decode(const char *cte, const char *s, size_t n, size_t max, size_t *len)
{
	char *o = malloc(max + 1);
	size_t k = 0;

	if (o == NULL)
		return NULL;
	if (strcasecmp(cte, "base64") == 0) {
		unsigned acc = 0;
		int bits = 0;

		for (size_t i = 0; i < n && k < max; i++) {
			int v;

			if (s[i] == '=')
				break;
			if ((v = b64val((unsigned char)s[i])) < 0)
				continue;
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				o[k++] = (char)((acc >> bits) & 0xff);
			}
		}
	} else if (strcasecmp(cte, "quoted-printable") == 0) {
		for (size_t i = 0; i < n && k < max; i++) {
			if (s[i] != '=') {
				o[k++] = s[i];
				continue;
			}
			if (i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
			    hexval((unsigned char)s[i + 2]) >= 0) {
				o[k++] = (char)(hexval((unsigned char)s[i + 1]) * 16 +
				    hexval((unsigned char)s[i + 2]));
				i += 2;
				continue;
			}
			/* A soft line break: "=", maybe white space, the line end. */
			{
				size_t j = i + 1;

				while (j < n && wsp(s[j]))
					j++;
				if (j < n && s[j] == '\r')
					j++;
				if (j == n || s[j] == '\n') {
					i = j;
					continue;
				}
			}
			o[k++] = '=';	/* not an escape: kept as it is */
		}
	} else {
		k = n < max ? n : max;
		memcpy(o, s, k);
	}
	o[k] = '\0';
	*len = k;
	return o;
}

/* Folds runs of spaces in the NUL-terminated s into one (unfolded
 * header lines keep the white space that opened each continuation). */
static void
squeeze(char *s)
{
	char *d = s, *start = s;

	for (; *s; s++)
		if (*s != ' ' || d == start || d[-1] != ' ')
			*d++ = *s;
	*d = '\0';
}

/*
 * RFC 2047 encoded words of an unstructured header (a subject) decoded
 * into out (size bytes) for the charsets whose bytes Hearth can take as
 * they are (UTF-8, US-ASCII) or map (Latin-1, windows-1252 near enough);
 * words in other charsets, and anything malformed, stay as written. White
 * space between two encoded words goes (RFC 2047 6.2). The result is
 * cleaned by the caller.
 */
static void
decode_words(const char *in, char *out, size_t size)
{
	size_t k = 0;
	const char *p = in, *after_word = NULL;

	if (size == 0)
		return;
	while (*p && k + 1 < size) {
		const char *q, *cs, *enc, *text, *end;
		size_t csl;
		int latin = 0, b;

		if (p[0] != '=' || p[1] != '?')
			goto plain;
		cs = p + 2;
		if ((q = strchr(cs, '?')) == NULL || q[1] == '\0' || q[2] != '?')
			goto plain;
		csl = (size_t)(q - cs);
		enc = q + 1;
		text = q + 3;
		if ((end = strstr(text, "?=")) == NULL || memchr(text, ' ',
		    (size_t)(end - text)) != NULL)
			goto plain;
		/* A language suffix (RFC 2231: "utf-8*en") is not the charset. */
		if (memchr(cs, '*', csl))
			csl = (size_t)((const char *)memchr(cs, '*', csl) - cs);
		if (csl == 5 && strncasecmp(cs, "utf-8", 5) == 0)
			latin = 0;
		else if (csl == 8 && strncasecmp(cs, "us-ascii", 8) == 0)
			latin = 0;
		else if ((csl == 10 && strncasecmp(cs, "iso-8859-1", 10) == 0) ||
		    (csl == 11 && strncasecmp(cs, "iso-8859-15", 11) == 0) ||
		    (csl == 12 && strncasecmp(cs, "windows-1252", 12) == 0))
			latin = 1;
		else
			goto plain;
		b = *enc == 'B' || *enc == 'b';
		if (!b && *enc != 'Q' && *enc != 'q')
			goto plain;
		/* Adjacent encoded words: the white space between them goes. */
		if (after_word) {
			const char *w = after_word;

			while (w < p && wsp(*w))
				w++;
			if (w == p && k >= (size_t)(p - after_word))
				k -= (size_t)(p - after_word);
		}
		{
			char *raw;
			size_t rl;

			if (b) {
				raw = decode("base64", text, (size_t)(end - text),
				    (size_t)(end - text), &rl);
			} else {
				/* Q: "_" is a space, =XX an octet. */
				if ((raw = malloc((size_t)(end - text) + 1)) == NULL)
					return;
				rl = 0;
				for (const char *t = text; t < end; t++) {
					if (*t == '_') {
						raw[rl++] = ' ';
					} else if (*t == '=' && t + 2 < end &&
					    hexval((unsigned char)t[1]) >= 0 &&
					    hexval((unsigned char)t[2]) >= 0) {
						raw[rl++] = (char)(hexval((unsigned char)t[1]) * 16 +
						    hexval((unsigned char)t[2]));
						t += 2;
					} else {
						raw[rl++] = *t;
					}
				}
			}
			if (raw == NULL)
				return;
			for (size_t i = 0; i < rl && k + 1 < size; i++) {
				unsigned char c = (unsigned char)raw[i];

				if (latin && c >= 0x80) {
					if (k + 2 >= size)
						break;
					out[k++] = (char)(0xc0 | (c >> 6));
					out[k++] = (char)(0x80 | (c & 0x3f));
				} else {
					out[k++] = (char)c;
				}
			}
			free(raw);
		}
		p = end + 2;
		after_word = p;
		continue;
plain:
		out[k++] = *p++;
		if (after_word && !wsp(p[-1]))
			after_word = NULL;
	}
	out[k] = '\0';
}

/* Whether charset is one whose bytes are the first 256 code points
 * (near enough for windows-1252 in a timeline excerpt). */
static int
latin1(const char *cs)
{
	return strcasecmp(cs, "iso-8859-1") == 0 || strcasecmp(cs, "latin1") == 0 ||
	    strcasecmp(cs, "iso-8859-15") == 0 ||
	    strcasecmp(cs, "windows-1252") == 0 || strcasecmp(cs, "us-ascii") == 0;
}

/* s[0..n) as valid UTF-8 without controls, into out (size bytes): Latin-1
 * bytes converted when latin is set, malformed bytes as "?", controls as
 * spaces (line feeds kept when keep_lf), carriage returns dropped. */
static void
clean_utf8(const char *s, size_t n, int latin, int keep_lf, char *out,
    size_t size)
{
	size_t k = 0, i = 0;

	if (size == 0)
		return;
	while (i < n && k + 1 < size) {
		unsigned char c = (unsigned char)s[i];
		size_t l;

		if (c < 0x80) {
			i++;
			if (c == '\r')
				continue;
			if (c == '\n' && keep_lf)
				out[k++] = '\n';
			else
				out[k++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
			continue;
		}
		if (latin) {
			if (k + 2 >= size)
				break;
			out[k++] = (char)(0xc0 | (c >> 6));
			out[k++] = (char)(0x80 | (c & 0x3f));
			i++;
			continue;
		}
		if ((l = text_utf8_len(s + i, n - i)) == 0) {
			out[k++] = '?';
			i++;
			continue;
		}
		/* C1 controls (U+0080..U+009F) become a space too. */
		if (l == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
			out[k++] = ' ';
			i += 2;
			continue;
		}
		if (k + l >= size)
			break;
		memcpy(out + k, s + i, l);
		k += l;
		i += l;
	}
	out[k] = '\0';
}

static int
digits(const char *s, size_t n, size_t *i, uint64_t *v, size_t maxd)
{
	size_t start = *i;

	*v = 0;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && *i - start < maxd) {
		*v = *v * 10 + (uint64_t)(s[*i] - '0');
		(*i)++;
	}
	return *i > start && !(*i < n && s[*i] >= '0' && s[*i] <= '9');
}

int
dsn_find_hearth_id(const char *s, size_t n, uint64_t *id, int64_t *created)
{
	int found = 0;

	for (size_t i = 0; i + 7 <= n; i++) {
		size_t j = i + 7;
		uint64_t a, b;

		if (strncasecmp(s + i, "hearth.", 7) != 0)
			continue;
		if (i > 0 && !wsp(s[i - 1]) && s[i - 1] != '<' && s[i - 1] != ',' &&
		    s[i - 1] != ':' && s[i - 1] != '\n' && s[i - 1] != '\r')
			continue;
		/* A mail id fits 19 digits, a time in µs 16: neither wraps. */
		if (!digits(s, n, &j, &a, 19) || j >= n || s[j] != '.')
			continue;
		j++;
		if (!digits(s, n, &j, &b, 18) || j + 1 >= n || s[j] != '@' ||
		    s[j + 1] == '>' || wsp(s[j + 1]))
			continue;
		if (a == 0 || a > INT64_MAX)
			continue;
		*id = a;
		*created = (int64_t)b;
		found = 1;
	}
	return found;
}

/* Copies the address of a From or Final-Recipient value ("Name <a@b>",
 * "rfc822; a@b", "a@b (comment)") into out, lower-cased; "" when none. */
static void
address_of(const char *v, char *out, size_t size)
{
	const char *lt = strchr(v, '<'), *s = v, *semi;
	size_t n = 0, k = 0;

	out[0] = '\0';
	if (lt && strchr(lt, '>')) {
		s = lt + 1;
		n = (size_t)(strchr(lt, '>') - s);
	} else {
		if ((semi = strchr(v, ';')) != NULL)
			s = semi + 1;
		while (wsp(*s))
			s++;
		n = strcspn(s, " \t(;,");
	}
	if (memchr(s, '@', n) == NULL)
		return;
	for (size_t i = 0; i < n && k + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"')
			continue;
		out[k++] = (char)tolower(c);
	}
	out[k] = '\0';
	/* An address past ASCII (SMTPUTF8) only when it is whole UTF-8. */
	if (!text_utf8_valid(out, k))
		out[0] = '\0';
}

/* An enhanced status code ("5.1.1") at s[i..n) with nothing word-like
 * around it; its length or 0. */
static size_t
status_at(const char *s, size_t n, size_t i)
{
	size_t j = i;
	uint64_t v;

	if (i >= n || (s[i] != '2' && s[i] != '4' && s[i] != '5'))
		return 0;
	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '.'))
		return 0;
	j++;
	if (j >= n || s[j] != '.')
		return 0;
	j++;
	if (!digits(s, n, &j, &v, 3) || j >= n || s[j] != '.')
		return 0;
	j++;
	if (!digits(s, n, &j, &v, 3))
		return 0;
	if (j < n && (isalnum((unsigned char)s[j]) || (s[j] == '.' && j + 1 < n &&
	    isdigit((unsigned char)s[j + 1]))))
		return 0;
	return j - i;
}

static void
set_status(struct dsn_result *r, const char *s, size_t n)
{
	if (n >= sizeof r->status)
		n = sizeof r->status - 1;
	memcpy(r->status, s, n);
	r->status[n] = '\0';
}

/* Hard or soft from the status and action: 5.x.x failed is hard, except
 * a full mailbox (x.2.2): large providers answer 5.2.2 for a quota that
 * empties again. */
static int
is_hard(const char *status, const char *action)
{
	if (strcasecmp(action, "delayed") == 0)
		return 0;
	if (status[0] == '4')
		return 0;
	if (status[0] == '5' && strcmp(status + 1, ".2.2") == 0)
		return 0;
	return 1;
}

/* One group of a message/delivery-status body (fields up to a blank
 * line): a recipient's, taken when it ranks above the one held. */
static void
rcpt_group(struct walk *w, const char *g, size_t n)
{
	char v[HVAL_MAX], action[16];
	int rank;
	size_t i;

	if (!get_header(g, n, "Final-Recipient", v, sizeof v) &&
	    !get_header(g, n, "Original-Recipient", v, sizeof v) &&
	    !get_header(g, n, "Action", v, sizeof v))
		return;
	get_header(g, n, "Action", v, sizeof v);
	media_type(v, action, sizeof action);	/* lower-cased first word */
	rank = strcmp(action, "failed") == 0 ? 2 :
	    strcmp(action, "delayed") == 0 ? 1 : 0;
	if (w->have_rcpt && rank <= w->rcpt_rank)
		return;
	w->have_rcpt = 1;
	w->rcpt_rank = rank;
	snprintf(w->action, sizeof w->action, "%s", action);
	if (get_header(g, n, "Final-Recipient", v, sizeof v) ||
	    get_header(g, n, "Original-Recipient", v, sizeof v))
		address_of(v, w->out->recipient, sizeof w->out->recipient);
	else
		w->out->recipient[0] = '\0';
	w->out->status[0] = '\0';
	if (get_header(g, n, "Status", v, sizeof v)) {
		size_t l = strlen(v), sl;

		for (i = 0; i < l; i++)
			if ((sl = status_at(v, l, i)) > 0) {
				set_status(w->out, v + i, sl);
				break;
			}
	}
	w->out->diagnostic[0] = '\0';
	if (get_header(g, n, "Diagnostic-Code", v, sizeof v))
	{
		clean_utf8(v, strlen(v), 0, 0, w->out->diagnostic,
		    sizeof w->out->diagnostic);
		squeeze(w->out->diagnostic);
	}
}

/* The fields of a delivery-status body: groups separated by blank lines;
 * the first is the message's (Reporting-MTA), the rest recipients'. */
static void
delivery_status(struct walk *w, const char *s, size_t n)
{
	const char *p = s, *e = s + n, *ls, *g = s;
	size_t ll;

	w->report = 1;
	while (next_line(&p, e, &ls, &ll)) {
		if (ll == 0) {
			if (ls > g)
				rcpt_group(w, g, (size_t)(ls - g));
			g = p;
		}
	}
	if (e > g)
		rcpt_group(w, g, (size_t)(e - g));
}

static void walk_entity(struct walk *w, const char *s, size_t n, int depth,
    int in_message);

/* The boundary delimiter line "--b" or "--b--" at ls[0..ll) (trailing
 * white space allowed): 1 a delimiter, 2 the close delimiter, 0 neither. */
static int
delimiter(const char *ls, size_t ll, const char *b, size_t bl)
{
	size_t i;
	int close = 0;

	if (ll < bl + 2 || ls[0] != '-' || ls[1] != '-' ||
	    memcmp(ls + 2, b, bl) != 0)
		return 0;
	i = bl + 2;
	if (i + 1 < ll && ls[i] == '-' && ls[i + 1] == '-') {
		close = 1;
		i += 2;
	}
	while (i < ll && wsp(ls[i]))
		i++;
	if (i != ll)
		return 0;
	return close ? 2 : 1;
}

/* Each body part of the multipart body s[0..n) with boundary b. */
static void
walk_multipart(struct walk *w, const char *s, size_t n, const char *b,
    int depth, int in_message)
{
	const char *p = s, *e = s + n, *ls, *start = NULL;
	size_t ll, bl = strlen(b);

	while (next_line(&p, e, &ls, &ll)) {
		int d = delimiter(ls, ll, b, bl);

		if (d == 0)
			continue;
		if (start) {
			/* The line end before a delimiter belongs to it. */
			const char *end = ls;

			if (end > start && end[-1] == '\n')
				end--;
			if (end > start && end[-1] == '\r')
				end--;
			walk_entity(w, start, (size_t)(end - start), depth + 1,
			    in_message);
		}
		if (d == 2 || w->parts >= DSN_PARTS_MAX)
			return;
		start = p;
	}
	/* No close delimiter: the last part runs to the end. */
	if (start && start < e)
		walk_entity(w, start, (size_t)(e - start), depth + 1, in_message);
}

/* Keeps the first text part (plain preferred over html) outside any
 * enclosed message. */
static void
take_text(struct walk *w, const struct ent *en, const char *cte,
    const char *ctval, int html)
{
	char cs[64];
	char *t;
	size_t len;

	if (w->text && (html || !w->text_html))
		return;
	if ((t = decode(cte, en->body, en->blen, TEXT_MAX, &len)) == NULL)
		return;
	/* Latin-1 text becomes UTF-8 here; clean_utf8 checks the rest. */
	if (ct_param(ctval, "charset", cs, sizeof cs) && latin1(cs) &&
	    !text_utf8_valid(t, len)) {
		char *u = malloc(len * 2 + 1);

		if (u == NULL) {
			free(t);
			return;
		}
		clean_utf8(t, len, 1, 1, u, len * 2 + 1);
		free(t);
		t = u;
		len = strlen(u);
	}
	free(w->text);
	w->text = t;
	w->text_len = len;
	w->text_html = html;
}

/*
 * One entity at depth: in_message is set inside an enclosed message
 * (message/rfc822), whose text is the bounced mail's, not this one's.
 */
static void
walk_entity(struct walk *w, const char *s, size_t n, int depth, int in_message)
{
	char ctval[HVAL_MAX], ct[128], cte[64], b[BOUNDARY_MAX + 1], v[HVAL_MAX];
	struct ent en;

	if (depth > DSN_DEPTH_MAX || w->parts >= DSN_PARTS_MAX)
		return;
	w->parts++;
	split_entity(s, n, &en);
	if (!get_header(en.hdr, en.hlen, "Content-Type", ctval, sizeof ctval))
		strcpy(ctval, "text/plain");
	media_type(ctval, ct, sizeof ct);
	if (!get_header(en.hdr, en.hlen, "Content-Transfer-Encoding", v, sizeof v))
		v[0] = '\0';
	media_type(v, cte, sizeof cte);

	if (strncmp(ct, "multipart/", 10) == 0) {
		if (ct_param(ctval, "boundary", b, sizeof b) && b[0])
			walk_multipart(w, en.body, en.blen, b, depth, in_message);
		return;
	}
	if (strcmp(ct, "message/delivery-status") == 0 ||
	    strcmp(ct, "message/global-delivery-status") == 0) {
		size_t len;
		char *t = decode(cte, en.body, en.blen, TEXT_MAX, &len);

		if (t) {
			delivery_status(w, t, len);
			free(t);
		}
		return;
	}
	if (strcmp(ct, "text/rfc822-headers") == 0 ||
	    strcmp(ct, "message/rfc822") == 0 ||
	    strcmp(ct, "message/global") == 0 ||
	    strcmp(ct, "message/global-headers") == 0) {
		struct ent inner;

		split_entity(en.body, en.blen, &inner);
		if (w->orig_msgid[0] == '\0')
			get_header(inner.hdr, inner.hlen, "Message-ID",
			    w->orig_msgid, sizeof w->orig_msgid);
		/* Replies forwarding a message are not walked into: its
		 * text is not the sender's. */
		return;
	}
	if (!in_message && strcmp(ct, "text/plain") == 0)
		take_text(w, &en, cte, ctval, 0);
	else if (!in_message && strcmp(ct, "text/html") == 0)
		take_text(w, &en, cte, ctval, 1);
}

/* Strips tags and the usual entities from html text in place (a crude
 * reading, enough for an excerpt; the result is only ever escaped). */
static size_t
strip_html(char *t, size_t n)
{
	size_t k = 0;
	int in_tag = 0;

	for (size_t i = 0; i < n; i++) {
		char c = t[i];

		if (in_tag) {
			if (c == '>')
				in_tag = 0;
			continue;
		}
		if (c == '<') {
			/* A block's end is a line end. */
			if (i + 3 < n && (strncasecmp(t + i, "<br", 3) == 0 ||
			    strncasecmp(t + i, "</p", 3) == 0 ||
			    strncasecmp(t + i, "</d", 3) == 0))
				t[k++] = '\n';
			in_tag = 1;
			continue;
		}
		if (c == '&') {
			static const struct { const char *e; char c; } ents[] = {
				{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
				{ "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' },
			};
			size_t j;

			for (j = 0; j < sizeof ents / sizeof *ents; j++) {
				size_t l = strlen(ents[j].e);

				if (i + l <= n && strncasecmp(t + i, ents[j].e, l) == 0) {
					t[k++] = ents[j].c;
					i += l - 1;
					break;
				}
			}
			if (j < sizeof ents / sizeof *ents)
				continue;
		}
		if (c == '\n' || c == '\r')
			c = ' ';
		t[k++] = c;
	}
	return k;
}

/* Whether a line starts what a reply quotes of the mail answered:
 * "On ... wrote:", Outlook's "-----Original Message-----" or its rule
 * of underscores, a forwarded-message marker. */
static int
quote_intro(const char *ls, size_t ll)
{
	size_t n = ll;

	while (n > 0 && wsp(ls[n - 1]))
		n--;
	if (n >= 6 && strncasecmp(ls + n - 6, "wrote:", 6) == 0)
		return 1;
	if (n >= 10 && strncmp(ls, "-----", 5) == 0 &&
	    (memmem(ls, n, "Original Message", 16) != NULL ||
	    memmem(ls, n, "Forwarded message", 17) != NULL))
		return 1;
	if (n >= 20 && strspn(ls, "_") >= 20)
		return 1;
	return 0;
}

/* The first lines of the reply's text into out->excerpt: quoted lines
 * (">") dropped, and nothing from the quoted mail or the signature on. */
static void
excerpt(struct walk *w)
{
	char buf[DSN_EXCERPT_MAX * 4 + 1];
	const char *p, *e, *ls;
	size_t ll, k = 0;
	int lines = 0, blank = 0;

	if (w->text == NULL)
		return;
	if (w->text_html)
		w->text_len = strip_html(w->text, w->text_len);
	p = w->text;
	e = w->text + w->text_len;
	buf[0] = '\0';
	while (lines < DSN_EXCERPT_LINES && next_line(&p, e, &ls, &ll)) {
		size_t i = 0;

		if (ll > 0 && ls[0] == '>')
			continue;
		/* "-- " alone (RFC 3676) opens the signature; "--" too. */
		if ((ll == 3 && memcmp(ls, "-- ", 3) == 0) ||
		    (ll == 2 && memcmp(ls, "--", 2) == 0))
			break;
		if (quote_intro(ls, ll))
			break;
		while (i < ll && wsp(ls[i]))
			i++;
		if (i == ll) {
			blank = k > 0;
			continue;
		}
		/* Paragraphs stay apart by one blank line. */
		if (k > 0)
			append(buf, sizeof buf, &k, blank ? "\n\n" : "\n",
			    blank ? 2 : 1);
		blank = 0;
		append(buf, sizeof buf, &k, ls, ll);
		lines++;
	}
	clean_utf8(buf, k, 0, 1, w->out->excerpt, sizeof w->out->excerpt);
	/* Not cut inside a character: clean_utf8 stops before one that does
	 * not fit. Trailing line ends go. */
	k = strlen(w->out->excerpt);
	while (k > 0 && (w->out->excerpt[k - 1] == '\n' || w->out->excerpt[k - 1] == ' '))
		w->out->excerpt[--k] = '\0';
}

static int
contains_ci(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

/* A plain-text bounce's shape: who sent it and what its subject says. */
static int
daemon_from(const char *from)
{
	return contains_ci(from, "mailer-daemon") || contains_ci(from, "postmaster") ||
	    contains_ci(from, "mail delivery");
}

static int
bounce_subject(const char *subject)
{
	static const char *const words[] = {
		"undelivered mail", "mail delivery failed", "delivery status notification",
		"undeliverable", "failure notice", "returned mail", "delivery failure",
		"mail delivery failure", "delivery has failed", "could not be delivered",
		"warning: message", "delayed mail", "delivery delayed",
	};

	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (contains_ci(subject, words[i]))
			return 1;
	return 0;
}

/* Where the copy of the bounced message starts in a plain-text bounce:
 * the first line that is one of its headers, or says a copy follows. */
static size_t
report_end(const char *t, size_t n)
{
	static const char *const heads[] = {
		"Received:", "Return-Path:", "Message-ID:", "DKIM-Signature:",
		"Date:", "From:", "Subject:", "MIME-Version:",
	};
	const char *p = t, *e = t + n, *ls;
	size_t ll;

	while (next_line(&p, e, &ls, &ll)) {
		for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
			if (ll >= strlen(heads[i]) &&
			    strncasecmp(ls, heads[i], strlen(heads[i])) == 0)
				return (size_t)(ls - t);
		if (memmem(ls, ll, "copy of the message", 19) ||
		    memmem(ls, ll, "original message", 16) ||
		    memmem(ls, ll, "Original message", 16) ||
		    memmem(ls, ll, "message headers follow", 22) ||
		    memmem(ls, ll, "Undelivered Message Headers", 27) ||
		    memmem(ls, ll, "Undelivered Message", 19))
			return (size_t)(ls - t);
	}
	return n;
}

/* A plain-text bounce: recipient, status and the bounced Message-ID from
 * the text. */
static void
text_bounce(struct walk *w, const char *subject)
{
	struct dsn_result *r = w->out;
	const char *t = w->text ? w->text : "", *p, *e, *ls;
	size_t n = w->text ? w->text_len : 0, end = report_end(t, n), ll, sl;
	int after_failed = 0;

	/* The original's Message-ID: a header line of the copy. */
	p = t;
	e = t + n;
	while (next_line(&p, e, &ls, &ll))
		if (ll > 11 && strncasecmp(ls, "Message-ID:", 11) == 0 &&
		    dsn_find_hearth_id(ls + 11, ll - 11, &r->mail_id,
		    &r->mail_created))
			break;
	if (r->mail_id == 0)
		dsn_find_hearth_id(t, n, &r->mail_id, &r->mail_created);

	/* The recipient: Postfix's "<a@b>: host ... said: ..." or Exim's
	 * indented address after "failed:". */
	p = t;
	e = t + end;
	while (r->recipient[0] == '\0' && next_line(&p, e, &ls, &ll)) {
		size_t i = 0;
		char line[DSN_ADDR_MAX + 64];

		while (i < ll && wsp(ls[i]))
			i++;
		if (i < ll && ls[i] == '<') {
			const char *gt = memchr(ls + i, '>', ll - i);

			if (gt && gt + 1 < ls + ll && gt[1] == ':' &&
			    (size_t)(gt - ls) < sizeof line) {
				memcpy(line, ls + i, (size_t)(gt - ls - i) + 1);
				line[gt - ls - i + 1] = '\0';
				address_of(line, r->recipient, sizeof r->recipient);
			}
		} else if (after_failed && i > 0 && i < ll &&
		    ll - i < sizeof line) {
			memcpy(line, ls + i, ll - i);
			line[ll - i] = '\0';
			address_of(line, r->recipient, sizeof r->recipient);
		}
		if (memmem(ls, ll, "failed:", 7) != NULL)
			after_failed = 1;
	}

	/* The status: an enhanced code, else an SMTP reply code. */
	for (size_t i = 0; i < end; i++)
		if ((sl = status_at(t, end, i)) > 0) {
			set_status(r, t + i, sl);
			break;
		}
	if (r->status[0] == '\0') {
		for (size_t i = 0; i + 3 <= end; i++) {
			if ((t[i] == '4' || t[i] == '5') &&
			    isdigit((unsigned char)t[i + 1]) &&
			    isdigit((unsigned char)t[i + 2]) &&
			    (i == 0 || !isalnum((unsigned char)t[i - 1])) &&
			    (i + 3 == end || t[i + 3] == ' ' || t[i + 3] == '-')) {
				set_status(r, t[i] == '4' ? "4.0.0" : "5.0.0", 5);
				break;
			}
		}
	}
	if (r->status[0] == '\0')
		set_status(r, contains_ci(subject, "delay") ||
		    contains_ci(subject, "warning") ? "4.0.0" : "5.0.0", 5);
	r->hard = is_hard(r->status, "failed");
	snprintf(w->action, sizeof w->action, "%s", r->hard ? "failed" : "delayed");
}

/* Whether the headers say a machine answered (RFC 3834 and the usual
 * others). */
static int
automatic(const struct ent *top)
{
	char v[256];

	if (get_header(top->hdr, top->hlen, "Auto-Submitted", v, sizeof v) &&
	    strncasecmp(v, "no", 2) != 0)
		return 1;
	if (get_header(top->hdr, top->hlen, "X-Autoreply", v, sizeof v) ||
	    get_header(top->hdr, top->hlen, "X-Autorespond", v, sizeof v))
		return 1;
	if (get_header(top->hdr, top->hlen, "Precedence", v, sizeof v) &&
	    (strcasecmp(v, "auto_reply") == 0 || strcasecmp(v, "bulk") == 0 ||
	    strcasecmp(v, "junk") == 0))
		return 1;
	return 0;
}

/* Whether msg opens with a header field: a name of printable characters
 * without spaces, then ":". */
static int
starts_with_field(const char *msg, size_t len)
{
	size_t i = 0;

	while (i < len && msg[i] > 0x20 && msg[i] < 0x7f && msg[i] != ':')
		i++;
	return i > 0 && i < len && msg[i] == ':';
}

int
dsn_parse(const char *msg, size_t len, struct dsn_result *out)
{
	struct walk w;
	struct ent top;
	char v[HVAL_MAX], fromv[HVAL_MAX];
	uint64_t id;
	int64_t created;

	memset(out, 0, sizeof *out);
	out->kind = DSN_OTHER;
	if (msg == NULL || !starts_with_field(msg, len))
		return HE_INVALID;
	if (len > DSN_PARSE_MAX)
		len = DSN_PARSE_MAX;
	memset(&w, 0, sizeof w);
	w.out = out;
	split_entity(msg, len, &top);

	if (get_header(top.hdr, top.hlen, "From", fromv, sizeof fromv))
		address_of(fromv, out->from, sizeof out->from);
	if (get_header(top.hdr, top.hlen, "Subject", v, sizeof v))
	{
		char dec[DSN_SUBJECT_MAX * 2];

		decode_words(v, dec, sizeof dec);
		clean_utf8(dec, strlen(dec), 0, 0, out->subject, sizeof out->subject);
		squeeze(out->subject);
	}
	out->auto_reply = automatic(&top);

	walk_entity(&w, msg, len, 0, 0);

	if (w.report) {
		/* A report that something was delivered is no bounce. */
		if (w.have_rcpt && w.rcpt_rank > 0) {
			out->kind = DSN_BOUNCE;
			if (out->status[0] == '\0')
				set_status(out, w.rcpt_rank == 2 ? "5.0.0" : "4.0.0", 5);
			out->hard = is_hard(out->status, w.action);
			dsn_find_hearth_id(w.orig_msgid, strlen(w.orig_msgid),
			    &out->mail_id, &out->mail_created);
		} else {
			out->recipient[0] = out->status[0] = out->diagnostic[0] = '\0';
		}
		goto done;
	}
	/* Not a report: a plain-text bounce from a mail system, when it
	 * looks like one and names a mail of ours. */
	{
		int dfrom = daemon_from(fromv), bsub = bounce_subject(out->subject);
		const char *t = w.text ? w.text : "";

		if ((dfrom || bsub) && ((dfrom && bsub) ||
		    dsn_find_hearth_id(t, w.text ? w.text_len : 0, &id, &created) ||
		    dsn_find_hearth_id(w.orig_msgid, strlen(w.orig_msgid), &id,
		    &created))) {
			out->kind = DSN_BOUNCE;
			text_bounce(&w, out->subject);
			if (out->mail_id == 0)
				dsn_find_hearth_id(w.orig_msgid, strlen(w.orig_msgid),
				    &out->mail_id, &out->mail_created);
			goto done;
		}
	}
	/* A reply: In-Reply-To first, else the newest of References. */
	if (!out->auto_reply) {
		if ((get_header(top.hdr, top.hlen, "In-Reply-To", v, sizeof v) &&
		    dsn_find_hearth_id(v, strlen(v), &id, &created)) ||
		    (get_header(top.hdr, top.hlen, "References", v, sizeof v) &&
		    dsn_find_hearth_id(v, strlen(v), &id, &created))) {
			out->kind = DSN_REPLY;
			out->mail_id = id;
			out->mail_created = created;
			excerpt(&w);
		}
	}
done:
	free(w.text);
	return HE_OK;
}
