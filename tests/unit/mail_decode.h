/* mail_decode.h: a strict little reader of lib/net/mail's output, for test_mail.c and fuzz_mail.c */
#ifndef HEARTH_TEST_MAIL_DECODE_H
#define HEARTH_TEST_MAIL_DECODE_H

/*
 * Written from the RFCs, not from mail.c, so the tests check the output
 * against the standards rather than against the code's own idea of them.
 * Strict where mail.c promises more than the RFCs require (QP lines, no
 * "." opening a QP line). Every function returns NULL or -1 on the first
 * thing it does not accept and says why in md_why.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "net/mail.h"

#define MD_MAX_HEADERS 32

static char md_why[512];

#define MD_FAIL(...) do { snprintf(md_why, sizeof md_why, __VA_ARGS__); \
	return -1; } while (0)

struct md_header {
	char name[64];
	char *value;		/* unfolded: the CRLFs of folding removed */
};

struct md_msg {
	struct md_header h[MD_MAX_HEADERS];
	size_t nh;
	size_t longest;		/* the longest header line, CRLF excluded */
	const char *body;	/* into the parsed bytes */
	size_t body_len;
};

static void
md_free(struct md_msg *m)
{
	for (size_t i = 0; i < m->nh; i++)
		free(m->h[i].value);
	m->nh = 0;
}

/* Every CR starts a CRLF and every LF ends one; no NUL. */
static int
md_check_crlf(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0')
			MD_FAIL("NUL at %zu", i);
		if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			MD_FAIL("bare CR at %zu", i);
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			MD_FAIL("bare LF at %zu", i);
	}
	return 0;
}

/* The longest line of s, CRLF excluded. */
static size_t
md_longest_line(const char *s, size_t n)
{
	size_t best = 0, cur = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
			best = cur > best ? cur : best;
			cur = 0;
			i++;
		} else {
			cur++;
		}
	}
	return cur > best ? cur : best;
}

/* Header block and body of a message or a MIME part (RFC 5322 2.2). */
static int
md_parse(const char *s, size_t n, struct md_msg *m)
{
	size_t i = 0;

	memset(m, 0, sizeof *m);
	if (md_check_crlf(s, n) != 0)
		return -1;
	for (;;) {
		const char *eol = memmem(s + i, n - i, "\r\n", 2), *colon;
		size_t len, line, nlen;

		if (eol == NULL)
			MD_FAIL("header section without an end");
		len = line = (size_t)(eol - (s + i));
		if (len > m->longest)
			m->longest = len;
		if (len == 0) {
			i += 2;
			break;
		}
		if (s[i] == ' ' || s[i] == '\t') {
			char *v;
			size_t old;

			if (m->nh == 0)
				MD_FAIL("continuation line first");
			/* A line of only white space is not a fold (5322 3.2.2). */
			if (strspn(s + i, " \t") >= len)
				MD_FAIL("white-space-only continuation line");
			old = strlen(m->h[m->nh - 1].value);
			if ((v = realloc(m->h[m->nh - 1].value, old + len + 1)) == NULL)
				abort();
			memcpy(v + old, s + i, len);
			v[old + len] = '\0';
			m->h[m->nh - 1].value = v;
		} else {
			colon = memchr(s + i, ':', len);
			if (colon == NULL)
				MD_FAIL("header line without a colon");
			nlen = (size_t)(colon - (s + i));
			if (nlen == 0 || nlen >= sizeof m->h[0].name)
				MD_FAIL("bad header name length %zu", nlen);
			for (size_t k = 0; k < nlen; k++)
				if (s[i + k] <= 32 || s[i + k] >= 127)
					MD_FAIL("bad byte in header name");
			if (m->nh == MD_MAX_HEADERS)
				MD_FAIL("too many headers");
			memcpy(m->h[m->nh].name, s + i, nlen);
			m->h[m->nh].name[nlen] = '\0';
			len -= nlen + 1;
			if ((m->h[m->nh].value = malloc(len + 1)) == NULL)
				abort();
			memcpy(m->h[m->nh].value, colon + 1, len);
			m->h[m->nh].value[len] = '\0';
			m->nh++;
		}
		i += line + 2;
	}
	m->body = s + i;
	m->body_len = n - i;
	return 0;
}

/* The value of the only header called name, leading space removed; NULL
 * when it is absent or there are several. */
static const char *
md_get(const struct md_msg *m, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < m->nh; i++)
		if (strcasecmp(m->h[i].name, name) == 0) {
			if (v != NULL)
				return NULL;
			v = m->h[i].value;
		}
	if (v != NULL)
		while (*v == ' ')
			v++;
	return v;
}

static int
md_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ?
	    c - 'A' + 10 : -1;
}

/*
 * Quoted-printable (RFC 2045 6.7) back to bytes, CRLF line ends kept. Lines
 * at most 76 octets; "=" only before two upper-case hex digits or a line
 * end; no space or tab before a line end; only printable ASCII, space and
 * tab; no line opening with ".". *out is malloc'd and NUL-terminated.
 */
static int
md_qp_decode(const char *s, size_t n, char **out, size_t *outn)
{
	char *d = malloc(n + 1);
	size_t o = 0, col = 0;

	if (d == NULL)
		abort();
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r') {
			if (i + 1 >= n || s[i + 1] != '\n')
				goto bad_cr;
			if (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				goto bad_ws;
			d[o++] = '\r';
			d[o++] = '\n';
			i++;
			col = 0;
			continue;
		}
		if (col == 0 && c == '.')
			goto bad_dot;
		if (c == '=') {
			if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
				if (col + 1 > 76)
					goto bad_long;
				i += 2;
				col = 0;
				continue;
			}
			if (i + 1 == n) {	/* "=" ending the data: nothing */
				if (col + 1 > 76)
					goto bad_long;
				break;
			}
			if (i + 2 >= n || md_hex(s[i + 1]) < 0 || md_hex(s[i + 2]) < 0)
				goto bad_eq;
			d[o++] = (char)(md_hex(s[i + 1]) << 4 | md_hex(s[i + 2]));
			i += 2;
			col += 3;
		} else if ((c >= 33 && c <= 126) || c == ' ' || c == '\t') {
			d[o++] = (char)c;
			col++;
		} else {
			free(d);
			MD_FAIL("QP: raw byte 0x%02x", c);
		}
		if (col > 76)
			goto bad_long;
	}
	if (o > 0 && n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		goto bad_ws;
	d[o] = '\0';
	*out = d;
	*outn = o;
	return 0;
bad_cr:
	free(d);
	MD_FAIL("QP: bare CR");
bad_ws:
	free(d);
	MD_FAIL("QP: white space before a line end");
bad_dot:
	free(d);
	MD_FAIL("QP: a line opens with '.'");
bad_eq:
	free(d);
	MD_FAIL("QP: '=' not before two upper-case hex digits");
bad_long:
	free(d);
	MD_FAIL("QP: line longer than 76");
}

/* s with every line break (CRLF, LF, lone CR) as CRLF: what the QP body
 * must decode to. */
static char *
md_crlf(const char *s, size_t *outn)
{
	char *d = malloc(strlen(s) * 2 + 1);
	size_t o = 0;

	if (d == NULL)
		abort();
	for (; *s; s++) {
		if (*s == '\r' || *s == '\n') {
			d[o++] = '\r';
			d[o++] = '\n';
			if (*s == '\r' && s[1] == '\n')
				s++;
		} else {
			d[o++] = *s;
		}
	}
	d[o] = '\0';
	*outn = o;
	return d;
}

/* s without CR and LF: what a header value must decode to. */
static char *
md_no_crlf(const char *s)
{
	char *d = malloc(strlen(s) + 1), *p = d;

	if (d == NULL)
		abort();
	for (; *s; s++)
		if (*s != '\r' && *s != '\n')
			*p++ = *s;
	*p = '\0';
	return d;
}

/* Whether b[0..n) is whole UTF-8 sequences (structure only). */
static int
md_utf8_whole(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = b[i] < 0x80 ? 1 : (b[i] & 0xe0) == 0xc0 ? 2 :
		    (b[i] & 0xf0) == 0xe0 ? 3 : (b[i] & 0xf8) == 0xf0 ? 4 : 0;

		if (len == 0 || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((b[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static int
md_utf8_valid_structure(const char *s)
{
	return md_utf8_whole((const unsigned char *)s, strlen(s));
}

/*
 * An unstructured value (or a display name) with RFC 2047 encoded words
 * decoded; white space between two encoded words dropped (RFC 2047 6.2).
 * Only "=?UTF-8?B?" words are accepted, each at most 75 octets. With
 * whole_utf8, each word must decode to whole UTF-8 sequences. *out is
 * malloc'd.
 */
static int
md_words_decode(const char *v, int whole_utf8, char **out)
{
	size_t n = strlen(v), o = 0;
	char *d = malloc(n + 1);
	int prev_word = 0;

	if (d == NULL)
		abort();
	*out = NULL;
	while (*v) {
		size_t ws = strspn(v, " \t"), tok;
		const char *t = v + ws;

		tok = strcspn(t, " \t");
		if (tok >= 12 && strncmp(t, "=?", 2) == 0 &&
		    strncmp(t + tok - 2, "?=", 2) == 0) {
			size_t bl;

			if (strncmp(t, "=?UTF-8?B?", 10) != 0 || tok > 75) {
				free(d);
				MD_FAIL("encoded word not UTF-8/B or too long: %.*s",
				    (int)tok, t);
			}
			if (!prev_word) {
				memcpy(d + o, v, ws);
				o += ws;
			}
			if (sodium_base642bin((unsigned char *)d + o, n - o, t + 10,
			    tok - 12, NULL, &bl, NULL,
			    sodium_base64_VARIANT_ORIGINAL) != 0) {
				free(d);
				MD_FAIL("bad base64 in %.*s", (int)tok, t);
			}
			if (whole_utf8 &&
			    !md_utf8_whole((unsigned char *)d + o, bl)) {
				free(d);
				MD_FAIL("encoded word splits a UTF-8 sequence: %.*s",
				    (int)tok, t);
			}
			o += bl;
			prev_word = 1;
		} else {
			memcpy(d + o, v, ws + tok);
			o += ws + tok;
			prev_word = 0;
		}
		v = t + tok;
	}
	d[o] = '\0';
	*out = d;
	return 0;
}

/* From/To: "name" <addr>, words <addr> or <addr>. *name and *addr are
 * malloc'd; *name is "" without one. */
static int
md_address(const char *v, int whole_utf8, char **name, char **addr)
{
	const char *lt = strrchr(v, '<');
	size_t n = strlen(v);
	char *raw;

	*name = *addr = NULL;
	if (lt == NULL || n == 0 || v[n - 1] != '>')
		MD_FAIL("address not in angle brackets: %s", v);
	if ((*addr = strndup(lt + 1, (size_t)(v + n - 1 - lt - 1))) == NULL ||
	    (raw = strndup(v, (size_t)(lt - v))) == NULL)
		abort();
	/* The space (or fold) before "<" is not part of the name. */
	while (*raw && raw[strlen(raw) - 1] == ' ')
		raw[strlen(raw) - 1] = '\0';
	if (raw[0] == '"') {
		size_t rn = strlen(raw);

		if (rn < 2 || raw[rn - 1] != '"' || memchr(raw + 1, '"', rn - 2)) {
			free(raw);
			MD_FAIL("bad quoted name");
		}
		if ((*name = strndup(raw + 1, rn - 2)) == NULL)
			abort();
		free(raw);
		return 0;
	}
	if (md_words_decode(raw, whole_utf8, name) != 0) {
		free(raw);
		return -1;
	}
	free(raw);
	return 0;
}

/* The boundary parameter of a multipart Content-Type; malloc'd. */
static char *
md_boundary(const char *ct)
{
	const char *b = strstr(ct, "boundary=\""), *e;

	if (b == NULL || (e = strchr(b + 10, '"')) == NULL)
		return NULL;
	return strndup(b + 10, (size_t)(e - b - 10));
}

/*
 * Splits a multipart body (RFC 2046 5.1.1) into its parts. A delimiter is
 * CRLF "--" boundary at a line start (the first one may open the body);
 * the close delimiter adds "--". parts[i] point into body.
 */
static int
md_multipart(const char *body, size_t n, const char *boundary,
    const char **parts, size_t *lens, size_t max, size_t *nparts)
{
	size_t bl = strlen(boundary), np = 0, i = 0;
	const char *start = NULL;
	int closed = 0;

	while (i < n) {
		const char *eol = memmem(body + i, n - i, "\r\n", 2);
		size_t len = eol ? (size_t)(eol - (body + i)) : n - i;

		if (len >= bl + 2 && body[i] == '-' && body[i + 1] == '-' &&
		    memcmp(body + i + 2, boundary, bl) == 0) {
			const char *rest = body + i + 2 + bl;
			size_t rl = len - 2 - bl;

			if (closed)
				MD_FAIL("delimiter after the close delimiter");
			if (start != NULL && body + i == start)
				MD_FAIL("a part without its CRLF before a delimiter");
			if (start != NULL) {
				if (np == max)
					MD_FAIL("too many parts");
				parts[np] = start;
				/* The CRLF before a delimiter belongs to it. */
				lens[np] = (size_t)(body + i - 2 - start);
				np++;
			}
			if (rl == 2 && rest[0] == '-' && rest[1] == '-')
				closed = 1;
			else if (rl != 0)
				MD_FAIL("text after a delimiter");
			start = eol ? eol + 2 : body + n;
		}
		i += len + 2;
	}
	if (!closed)
		MD_FAIL("no close delimiter");
	*nparts = np;
	return 0;
}

/* One QP part body against the text it came from. */
static int
md_check_part(const char *body, size_t n, const char *text)
{
	char *dec, *want;
	size_t dn = 0, wn;
	int ok;

	if (md_qp_decode(body, n, &dec, &dn) != 0)
		return -1;
	want = md_crlf(text ? text : "", &wn);
	ok = dn == wn && memcmp(dec, want, wn) == 0;
	if (!ok)
		snprintf(md_why, sizeof md_why, "body decodes to [%.80s], want [%.80s]",
		    dec, want);
	free(dec);
	free(want);
	return ok ? 0 : -1;
}

/* From or To against the display name and address given. */
static int
md_check_address(const char *header, const char *value, const char *name,
    const char *addr)
{
	char *got_name, *got_addr, *want = md_no_crlf(name ? name : "");
	int ok;

	if (value == NULL) {
		free(want);
		MD_FAIL("no single %s", header);
	}
	if (md_address(value, md_utf8_valid_structure(want), &got_name,
	    &got_addr) != 0) {
		free(want);
		return -1;
	}
	ok = strcmp(got_name, want) == 0 && strcmp(got_addr, addr) == 0;
	if (!ok)
		snprintf(md_why, sizeof md_why, "%.8s gives '%.60s' <%.60s>, want "
		    "'%.60s' <%.60s>", header, got_name, got_addr, want, addr);
	free(got_name);
	free(got_addr);
	free(want);
	return ok ? 0 : -1;
}

/* One List-Unsubscribe entry: "<" URI ">" with nothing that could end it. */
static int
md_unsub_entry(const char *e, size_t n, const char *scheme)
{
	if (n < 2 || e[0] != '<' || e[n - 1] != '>' ||
	    strncasecmp(e + 1, scheme, strlen(scheme)) != 0)
		return 0;
	for (size_t i = 1; i + 1 < n; i++)
		if ((unsigned char)e[i] <= 0x20 || (unsigned char)e[i] >= 0x7f ||
		    e[i] == '<' || e[i] == '>')
			return 0;
	return 1;
}

struct md_want {
	const char *unsub;	/* the unfolded List-Unsubscribe value; NULL:
				 * its shape only */
	int long_lines;		/* header lines may pass 78 (never 998) */
};

/*
 * Everything a reader can check of mail_format's output for m: the header
 * names in order (so no field's content added one), line lengths, the
 * Message-ID, each header value decoded back to its field, the MIME
 * structure and each part decoded back to its text; and that no line opens
 * with ".". The Date is the caller's to check.
 */
static int
md_check_message(const struct mail_msg *m, const struct md_want *w,
    const char *out, size_t len)
{
	const char *names[16], *v;
	int url = m->unsubscribe_url && *m->unsubscribe_url;
	int mailto = m->unsubscribe_mailto && *m->unsubscribe_mailto;
	struct md_msg msg;
	size_t nn = 0;
	char *dec, *want;
	int rc = -1;

	names[nn++] = "Date";
	names[nn++] = "Message-ID";
	names[nn++] = "From";
	names[nn++] = "To";
	names[nn++] = "Subject";
	if (url || mailto)
		names[nn++] = "List-Unsubscribe";
	if (url)
		names[nn++] = "List-Unsubscribe-Post";
	names[nn++] = "MIME-Version";
	names[nn++] = "Content-Type";
	if (m->html == NULL)
		names[nn++] = "Content-Transfer-Encoding";

	if (md_parse(out, len, &msg) != 0)
		goto out;
	if (msg.nh != nn) {
		snprintf(md_why, sizeof md_why, "%zu headers, want %zu", msg.nh, nn);
		goto out;
	}
	for (size_t i = 0; i < nn; i++)
		if (strcmp(msg.h[i].name, names[i]) != 0) {
			snprintf(md_why, sizeof md_why, "header %zu is %s, want %s",
			    i, msg.h[i].name, names[i]);
			goto out;
		}
	if (msg.longest > (w->long_lines ? 998u : 78u)) {
		snprintf(md_why, sizeof md_why, "a header line of %zu octets",
		    msg.longest);
		goto out;
	}
	if (md_longest_line(msg.body, msg.body_len) > 76) {
		snprintf(md_why, sizeof md_why, "a body line over 76 octets");
		goto out;
	}
	if ((len > 0 && out[0] == '.') || memmem(out, len, "\r\n.", 3)) {
		snprintf(md_why, sizeof md_why, "a line opens with '.'");
		goto out;
	}

	v = md_get(&msg, "Message-ID");
	if (m->message_id) {
		if (v[0] != '<' || strncmp(v + 1, m->message_id,
		    strlen(m->message_id)) != 0 ||
		    strcmp(v + 1 + strlen(m->message_id), ">") != 0) {
			snprintf(md_why, sizeof md_why, "Message-ID %.80s", v);
			goto out;
		}
	} else if (strlen(v) < 36 || v[0] != '<' || v[33] != '@' ||
	    strspn(v + 1, "0123456789abcdef") != 32 || v[strlen(v) - 1] != '>') {
		snprintf(md_why, sizeof md_why, "Message-ID %.80s", v);
		goto out;
	}
	if (md_check_address("From", md_get(&msg, "From"), m->from_name,
	    m->from) != 0 ||
	    md_check_address("To", md_get(&msg, "To"), m->to_name, m->to) != 0)
		goto out;

	want = md_no_crlf(m->subject ? m->subject : "");
	if (md_words_decode(md_get(&msg, "Subject"),
	    md_utf8_valid_structure(want), &dec) != 0) {
		free(want);
		goto out;
	}
	if (strcmp(dec, want) != 0)
		snprintf(md_why, sizeof md_why, "Subject decodes to '%.80s', "
		    "want '%.80s'", dec, want);
	rc = strcmp(dec, want) == 0 ? 0 : -1;
	free(dec);
	free(want);
	if (rc != 0)
		goto out;
	rc = -1;

	if (url || mailto) {
		const char *comma;

		v = md_get(&msg, "List-Unsubscribe");
		comma = strstr(v, ", ");
		if (w->unsub && strcmp(v, w->unsub) != 0) {
			snprintf(md_why, sizeof md_why, "List-Unsubscribe: %.80s", v);
			goto out;
		}
		if (url && mailto ? comma == NULL ||
		    !md_unsub_entry(v, (size_t)(comma - v), "http") ||
		    !md_unsub_entry(comma + 2, strlen(comma + 2), "mailto:") :
		    comma != NULL ||
		    !md_unsub_entry(v, strlen(v), url ? "http" : "mailto:")) {
			snprintf(md_why, sizeof md_why, "List-Unsubscribe shape: "
			    "%.80s", v);
			goto out;
		}
	}
	if (url && strcmp(md_get(&msg, "List-Unsubscribe-Post"),
	    "List-Unsubscribe=One-Click") != 0) {
		snprintf(md_why, sizeof md_why, "List-Unsubscribe-Post");
		goto out;
	}
	if (strcmp(md_get(&msg, "MIME-Version"), "1.0") != 0) {
		snprintf(md_why, sizeof md_why, "MIME-Version");
		goto out;
	}

	if (m->html == NULL) {
		if (strcmp(md_get(&msg, "Content-Type"),
		    "text/plain; charset=UTF-8") != 0 ||
		    strcmp(md_get(&msg, "Content-Transfer-Encoding"),
		    "quoted-printable") != 0) {
			snprintf(md_why, sizeof md_why, "one-part MIME headers");
			goto out;
		}
		if (md_check_part(msg.body, msg.body_len, m->text) != 0)
			goto out;
	} else {
		static const char *const types[2] = {
		    "text/plain; charset=UTF-8", "text/html; charset=UTF-8" };
		const char *parts[4], *ct = md_get(&msg, "Content-Type");
		const char *texts[2] = { m->text, m->html };
		char *b = md_boundary(ct), delim[80];
		size_t lens[4], np, count = 0;

		if (strncmp(ct, "multipart/alternative;", 22) != 0 || b == NULL ||
		    strncmp(b, "=_", 2) != 0 || strlen(b) < 30 || strlen(b) > 70) {
			snprintf(md_why, sizeof md_why, "Content-Type %.80s", ct);
			free(b);
			goto out;
		}
		if (md_multipart(msg.body, msg.body_len, b, parts, lens, 4,
		    &np) != 0) {
			free(b);
			goto out;
		}
		/* The boundary shows up on its three delimiter lines only. */
		snprintf(delim, sizeof delim, "--%s", b);
		free(b);
		for (const char *p = msg.body; (p = memmem(p, msg.body_len -
		    (size_t)(p - msg.body), delim, strlen(delim))); p++)
			count++;
		if (np != 2 || count != 3) {
			snprintf(md_why, sizeof md_why, "%zu parts, boundary %zu times",
			    np, count);
			goto out;
		}
		for (size_t i = 0; i < 2; i++) {
			struct md_msg part;
			int bad;

			bad = md_parse(parts[i], lens[i], &part) != 0 ||
			    part.nh != 2 ||
			    strcmp(part.h[0].name, "Content-Type") != 0 ||
			    strcmp(md_get(&part, "Content-Type"), types[i]) != 0 ||
			    strcmp(part.h[1].name, "Content-Transfer-Encoding") != 0 ||
			    strcmp(md_get(&part, "Content-Transfer-Encoding"),
			    "quoted-printable") != 0;
			if (bad)
				snprintf(md_why, sizeof md_why, "part %zu headers", i);
			else
				bad = md_check_part(part.body, part.body_len,
				    texts[i]) != 0;
			md_free(&part);
			if (bad)
				goto out;
		}
	}
	rc = 0;
out:
	md_free(&msg);
	return rc;
}

#endif
