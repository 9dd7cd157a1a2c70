/* merge.c: the merge-template parser and renderer */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/he.h"
#include "util/merge.h"
#include "util/text.h"

const char *const merge_tmpl_fields[] = {
	"first_name", "last_name", "name", "email", "city", "country", "seniority",
	"interests", "skills", "title", "owner_name", "owner_signature", "site_name",
	"prefs_url", "unsubscribe_url", "role_title", NULL
};

/*
 * A template is a flat list of nodes run by a program counter: a
 * conditional jumps past its true branch to its {{else}} or its end, an
 * {{else}} reached from the true branch jumps to the end. Parsed once,
 * rendered for every mail of a campaign, so the URLs of the literal text
 * are found at parse time.
 */
enum node_kind { N_TEXT, N_FIELD, N_IF, N_ELSE, N_END };

struct node {
	unsigned char kind;
	unsigned char field;	/* N_FIELD, N_IF: index in merge_tmpl_fields */
	unsigned char neg;	/* N_IF: {{#unless}} */
	unsigned char url;	/* N_FIELD: a *_url field (a link in HTML) */
	uint32_t off, len;	/* N_TEXT: the text; N_FIELD: the fallback */
	uint32_t jump;		/* N_IF: its N_ELSE or N_END; N_ELSE: its N_END */
	uint32_t url0, nurl;	/* N_TEXT: its URLs, urls[url0 .. url0 + nurl) */
};

struct span {
	uint32_t off, len;
};

struct merge_tmpl {
	char *src;
	struct node *nodes;
	size_t n, cap;
	struct span *urls;
	size_t nurls, ucap;
};

/* An open conditional while parsing. */
struct open_if {
	size_t node;
	size_t els;		/* its {{else}} node, 0: none yet (node 0 never is one) */
	int line;
	int neg;
};

static int
fail(char *err, size_t errlen, int line, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (err == NULL || errlen == 0)
		return HE_INVALID;
	if (line > 0)
		n = snprintf(err, errlen, "line %d: ", line);
	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return HE_INVALID;
}

static struct node *
add_node(struct merge_tmpl *t, int kind)
{
	struct node *nd;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct node *nn = realloc(t->nodes, cap * sizeof *nn);

		if (nn == NULL)
			return NULL;
		t->nodes = nn;
		t->cap = cap;
	}
	nd = &t->nodes[t->n++];
	memset(nd, 0, sizeof *nd);
	nd->kind = (unsigned char)kind;
	return nd;
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the "http://" or "https://" at s[0..n), 0 when there is none. */
static size_t
scheme_len(const char *s, size_t n)
{
	if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		return 7;
	if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		return 8;
	return 0;
}

static int
url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' && c != '{' &&
	    c != '}';
}

/* The length of the URL at s[0..n) without the punctuation that ends a sentence. */
static size_t
url_trim(const char *s, size_t n)
{
	for (;;) {
		size_t open = 0, close = 0;

		if (n == 0)
			return 0;
		if (strchr(".,;:!?'", s[n - 1]) != NULL) {
			n--;
			continue;
		}
		if (s[n - 1] != ')')
			return n;
		for (size_t i = 0; i < n; i++) {
			open += s[i] == '(';
			close += s[i] == ')';
		}
		if (close <= open)
			return n;
		n--;
	}
}

/* Whether the tag at src[at] ("{{") is a field's, whose value may
 * continue a URL written just before it; a block's tag ({{#if}}, {{/if}},
 * {{else}}) ends the text, and the URL with it. */
static int
field_tag(const char *src, size_t at, size_t len)
{
	size_t i = at + 2;

	while (i < len && src[i] == ' ')
		i++;
	if (i < len && (src[i] == '#' || src[i] == '/'))
		return 0;
	return !(len - i >= 4 && memcmp(src + i, "else", 4) == 0 &&
	    (len - i == 4 || src[i + 4] == ' ' || src[i + 4] == '}'));
}

/* The literal text src[off, off + len); at_tag: a field's tag follows it
 * (field_tag), so a URL reaching it is incomplete. */
static int
add_text(struct merge_tmpl *t, size_t off, size_t len, int at_tag)
{
	const char *s = t->src + off;
	struct node *nd;
	size_t i = 0;

	if (len == 0)
		return HE_OK;
	if ((nd = add_node(t, N_TEXT)) == NULL)
		return HE_NOMEM;
	nd->off = (uint32_t)off;
	nd->len = (uint32_t)len;
	nd->url0 = (uint32_t)t->nurls;
	while (i < len) {
		size_t sl, end, n;

		if ((s[i] != 'h' && s[i] != 'H') || (i > 0 && is_alnum((unsigned char)s[i - 1])) ||
		    (sl = scheme_len(s + i, len - i)) == 0) {
			i++;
			continue;
		}
		for (end = i + sl; end < len && url_char((unsigned char)s[end]); end++)
			;
		n = url_trim(s + i, end - i);
		if (n <= sl || !is_alnum((unsigned char)s[i + sl]) ||
		    (at_tag && i + n == len)) {
			i = end;
			continue;
		}
		if (t->nurls == t->ucap) {
			size_t cap = t->ucap ? t->ucap * 2 : 8;
			struct span *nu = realloc(t->urls, cap * sizeof *nu);

			if (nu == NULL)
				return HE_NOMEM;
			t->urls = nu;
			t->ucap = cap;
		}
		t->urls[t->nurls].off = (uint32_t)(off + i);
		t->urls[t->nurls].len = (uint32_t)n;
		t->nurls++;
		t->nodes[t->n - 1].nurl++;
		i += n;
	}
	return HE_OK;
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* The index of field s[0..n) in merge_tmpl_fields, -1 when it is not one. */
static int
field_index(const char *s, size_t n)
{
	for (int i = 0; merge_tmpl_fields[i] != NULL; i++)
		if (strlen(merge_tmpl_fields[i]) == n && memcmp(merge_tmpl_fields[i], s, n) == 0)
			return i;
	return -1;
}

/* Names quoted in messages are cut: a message is one line of a form. */
#define QUOTE_MAX 40

static int
unknown_field(char *err, size_t errlen, int line, const char *s, size_t n)
{
	return fail(err, errlen, line, "unknown field \"%.*s\"%s",
	    (int)(n > QUOTE_MAX ? QUOTE_MAX : n), s, n > QUOTE_MAX ? "..." : "");
}

/* Whether s is the word w and nothing else. */
static int
word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* One tag: its text s[0..n) between the braces, on line line. */
static int
parse_tag(struct merge_tmpl *t, const char *s, size_t n, int line, struct open_if *stack,
    int *depth, char *err, size_t errlen)
{
	struct node *nd;
	int f;

	trim(&s, &n);
	if (n == 0)
		return fail(err, errlen, line,
		    "empty {{}}: write a field name between the braces");
	if (s[0] == '#') {
		size_t kw = 1;
		int neg;

		while (kw < n && s[kw] != ' ' && s[kw] != '\t')
			kw++;
		if (word_is(s + 1, kw - 1, "if"))
			neg = 0;
		else if (word_is(s + 1, kw - 1, "unless"))
			neg = 1;
		else
			return fail(err, errlen, line,
			    "unknown block {{%.*s}}: use {{#if field}} or {{#unless field}}",
			    (int)(kw > QUOTE_MAX ? QUOTE_MAX : kw), s);
		s += kw;
		n -= kw;
		trim(&s, &n);
		if (n == 0)
			return fail(err, errlen, line,
			    "{{#%s}} needs a field, as in {{#%s first_name}}",
			    neg ? "unless" : "if", neg ? "unless" : "if");
		if (memchr(s, '|', n) != NULL)
			return fail(err, errlen, line,
			    "{{#%s}} takes a field without a fallback", neg ? "unless" : "if");
		if ((f = field_index(s, n)) < 0)
			return unknown_field(err, errlen, line, s, n);
		if (*depth == MERGE_DEPTH_MAX)
			return fail(err, errlen, line,
			    "conditionals are nested more than %d deep", MERGE_DEPTH_MAX);
		if ((nd = add_node(t, N_IF)) == NULL)
			return HE_NOMEM;
		nd->field = (unsigned char)f;
		nd->neg = (unsigned char)neg;
		stack[*depth].node = t->n - 1;
		stack[*depth].els = 0;
		stack[*depth].line = line;
		stack[*depth].neg = neg;
		(*depth)++;
		return HE_OK;
	}
	if (s[0] == '/') {
		struct open_if *top = *depth ? &stack[*depth - 1] : NULL;
		int neg;

		s++;
		n--;
		trim(&s, &n);
		if (word_is(s, n, "if"))
			neg = 0;
		else if (word_is(s, n, "unless"))
			neg = 1;
		else
			return fail(err, errlen, line,
			    "unknown closing tag {{/%.*s}}: use {{/if}} or {{/unless}}",
			    (int)(n > QUOTE_MAX ? QUOTE_MAX : n), s);
		if (top == NULL)
			return fail(err, errlen, line, "{{/%s}} without a {{#%s}} before it",
			    neg ? "unless" : "if", neg ? "unless" : "if");
		if (top->neg != neg)
			return fail(err, errlen, line, "{{/%s}} closes the {{#%s}} of line %d",
			    neg ? "unless" : "if", top->neg ? "unless" : "if", top->line);
		if ((nd = add_node(t, N_END)) == NULL)
			return HE_NOMEM;
		t->nodes[top->els ? top->els : top->node].jump = (uint32_t)(t->n - 1);
		(*depth)--;
		return HE_OK;
	}
	if (word_is(s, n, "else")) {
		struct open_if *top = *depth ? &stack[*depth - 1] : NULL;

		if (top == NULL)
			return fail(err, errlen, line,
			    "{{else}} outside {{#if}} or {{#unless}}");
		if (top->els)
			return fail(err, errlen, line, "a second {{else}} in the {{#%s}} of line %d",
			    top->neg ? "unless" : "if", top->line);
		if ((nd = add_node(t, N_ELSE)) == NULL)
			return HE_NOMEM;
		t->nodes[top->node].jump = (uint32_t)(t->n - 1);
		top->els = t->n - 1;
		return HE_OK;
	}
	{
		const char *bar = memchr(s, '|', n), *fb = NULL;
		size_t nn = bar ? (size_t)(bar - s) : n, fbn = 0;

		if (bar) {
			fb = bar + 1;
			fbn = n - nn - 1;
			trim(&fb, &fbn);
		}
		trim(&s, &nn);
		if (nn == 0)
			return fail(err, errlen, line,
			    "a fallback without a field: write {{first_name|there}}");
		if ((f = field_index(s, nn)) < 0)
			return unknown_field(err, errlen, line, s, nn);
		if ((nd = add_node(t, N_FIELD)) == NULL)
			return HE_NOMEM;
		nd->field = (unsigned char)f;
		nd->url = strstr(merge_tmpl_fields[f], "_url") != NULL;
		nd->off = fb ? (uint32_t)(fb - t->src) : 0;
		nd->len = (uint32_t)fbn;
		return HE_OK;
	}
}

/* The line of src[at]. */
static int
line_of(const char *src, size_t at)
{
	int line = 1;

	for (size_t i = 0; i < at; i++)
		line += src[i] == '\n';
	return line;
}

static int
parse(struct merge_tmpl *t, size_t len, char *err, size_t errlen)
{
	struct open_if stack[MERGE_DEPTH_MAX];
	const char *src = t->src;
	size_t p = 0;
	int depth = 0, line = 1, rc;

	for (size_t i = 0; i < len; ) {
		size_t n = src[i] ? text_utf8_len(src + i, len - i) : 0;

		if (n == 0)
			return fail(err, errlen, line_of(src, i),
			    "a character that is not UTF-8 text (save the text as UTF-8)");
		i += n;
	}
	while (p < len) {
		const char *q = memmem(src + p, len - p, "{{", 2), *e;
		size_t at, end;

		if (q == NULL) {
			if ((rc = add_text(t, p, len - p, 0)) != HE_OK)
				return rc;
			break;
		}
		at = (size_t)(q - src);
		if ((rc = add_text(t, p, at - p, field_tag(src, at, len))) != HE_OK)
			return rc;
		for (size_t i = p; i < at; i++)
			line += src[i] == '\n';
		/* The tag ends at the first "}}"; a line end or another "{{"
		 * before it means the braces were left open. */
		for (end = at + 2; end < len; end++) {
			if (src[end] == '\n' || (src[end] == '{' && end + 1 < len &&
			    src[end + 1] == '{'))
				break;
			if (src[end] == '}' && end + 1 < len && src[end + 1] == '}')
				break;
		}
		e = src + end;
		if (end >= len || *e != '}')
			return fail(err, errlen, line,
			    "\"{{\" without \"}}\": close the tag on the same line");
		if ((rc = parse_tag(t, q + 2, end - at - 2, line, stack, &depth, err,
		    errlen)) != HE_OK)
			return rc;
		p = end + 2;
	}
	if (depth > 0)
		return fail(err, errlen, stack[depth - 1].line, "{{#%s}} is never closed",
		    stack[depth - 1].neg ? "unless" : "if");
	return HE_OK;
}

int
merge_parse(const char *src, size_t len, struct merge_tmpl **out, char *err, size_t errlen)
{
	struct merge_tmpl *t;
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (len > MERGE_SRC_MAX)
		return fail(err, errlen, 0, "the template is longer than %d bytes",
		    MERGE_SRC_MAX);
	if ((t = calloc(1, sizeof *t)) == NULL || (t->src = malloc(len + 1)) == NULL) {
		free(t);
		return HE_NOMEM;
	}
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	if ((rc = parse(t, len, err, errlen)) != HE_OK) {
		merge_free(t);
		return rc;
	}
	*out = t;
	return HE_OK;
}

void
merge_free(struct merge_tmpl *t)
{
	if (t == NULL)
		return;
	free(t->src);
	free(t->nodes);
	free(t->urls);
	free(t);
}

/* The output being built, and in HTML where it stands in its paragraphs. */
struct out {
	char *b;
	size_t len, cap;
	int nomem;
	enum merge_mode mode;
	int started;		/* HTML: a paragraph is open */
	int nl;			/* HTML: line ends since the last character */
	int prev_cr;		/* HTML: the last byte was CR (CRLF is one end);
				 * SUBJECT: the last byte was CR or LF */
	char *url;		/* a URL, NUL-terminated, for the link callback */
	size_t url_cap;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->nomem)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap;
		char *b;

		while (cap < o->len + n + 1)
			cap *= 2;
		if ((b = realloc(o->b, cap)) == NULL) {
			o->nomem = 1;
			return;
		}
		o->b = b;
		o->cap = cap;
	}
	memcpy(o->b + o->len, s, n);
	o->len += n;
}

/* HTML: what the line ends seen since the last character make. */
static void
html_flush(struct out *o)
{
	if (!o->started) {
		put(o, "<p>", 3);
		o->started = 1;
	} else if (o->nl >= 2) {
		put(o, "</p>\n<p>", 8);
	} else if (o->nl == 1) {
		put(o, "<br>\n", 5);
	}
	o->nl = 0;
}

static const char *
html_entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* HTML: text, escaped, its line ends made breaks and paragraphs. White
 * space at the start of a line is dropped: a browser would not show it,
 * and a line of spaces is then as blank as it looks. */
static void
html_text(struct out *o, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *ent;
		size_t run;

		if (c == '\r' || c == '\n') {
			if (c == '\r' || !o->prev_cr)
				o->nl++;
			o->prev_cr = c == '\r';
			i++;
			continue;
		}
		o->prev_cr = 0;
		if ((c == ' ' || c == '\t') && (o->nl > 0 || !o->started)) {
			i++;
			continue;
		}
		html_flush(o);
		if ((ent = html_entity(c)) != NULL) {
			put(o, ent, strlen(ent));
			i++;
			continue;
		}
		for (run = i + 1; run < n && s[run] != '\r' && s[run] != '\n' &&
		    html_entity((unsigned char)s[run]) == NULL; run++)
			;
		put(o, s + i, run - i);
		i = run;
	}
}

/* HTML: an attribute value, escaped. */
static void
html_attr(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *ent = html_entity((unsigned char)s[i]);

		if (ent)
			put(o, ent, strlen(ent));
		else
			put(o, s + i, 1);
	}
}

/* SUBJECT: a run of line ends becomes one space, so that no value can
 * start a header of its own. */
static void
subject_text(struct out *o, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t run = i;

		while (run < n && s[run] != '\r' && s[run] != '\n')
			run++;
		if (run > i) {
			put(o, s + i, run - i);
			o->prev_cr = 0;
		}
		if (run < n) {
			if (!o->prev_cr)
				put(o, " ", 1);
			o->prev_cr = 1;
			run++;
		}
		i = run;
	}
}

static void
text_out(struct out *o, const char *s, size_t n)
{
	switch (o->mode) {
	case MERGE_SUBJECT:
		subject_text(o, s, n);
		break;
	case MERGE_HTML:
		html_text(o, s, n);
		break;
	default:
		put(o, s, n);
		break;
	}
}

/* HTML: a link to href showing label. */
static void
html_link(struct out *o, const char *href, size_t hn, const char *label, size_t ln)
{
	html_flush(o);
	put(o, "<a href=\"", 9);
	html_attr(o, href, hn);
	put(o, "\">", 2);
	html_text(o, label, ln);
	put(o, "</a>", 4);
}

/* A URL of the literal text, through the link callback. */
static void
url_out(struct out *o, const char *s, size_t n, merge_link_fn link, void *ctx)
{
	char *to = NULL;

	if (o->mode == MERGE_SUBJECT) {
		put(o, s, n);
		return;
	}
	if (link) {
		if (n + 1 > o->url_cap) {
			char *u = realloc(o->url, n + 1);

			if (u == NULL) {
				o->nomem = 1;
				return;
			}
			o->url = u;
			o->url_cap = n + 1;
		}
		memcpy(o->url, s, n);
		o->url[n] = '\0';
		to = link(o->url, ctx);
	}
	if (o->mode == MERGE_HTML)
		html_link(o, to ? to : s, to ? strlen(to) : n, s, n);
	else
		put(o, to ? to : s, to ? strlen(to) : n);
	free(to);
}

int
merge_render(const struct merge_tmpl *t, enum merge_mode mode, merge_value_fn value,
    merge_link_fn link, void *ctx, char **out, size_t *len)
{
	struct out o = { .mode = mode };
	size_t i = 0;

	*out = NULL;
	if (len)
		*len = 0;
	if ((unsigned)mode >= MERGE__MAX)
		return HE_INVALID;
	o.cap = 256;
	if ((o.b = malloc(o.cap)) == NULL)
		return HE_NOMEM;
	while (i < t->n && !o.nomem) {
		const struct node *nd = &t->nodes[i];
		const char *v;

		switch (nd->kind) {
		case N_TEXT: {
			size_t at = nd->off, end = (size_t)nd->off + nd->len;

			for (uint32_t u = nd->url0; u < nd->url0 + nd->nurl; u++) {
				const struct span *sp = &t->urls[u];

				text_out(&o, t->src + at, sp->off - at);
				url_out(&o, t->src + sp->off, sp->len, link, ctx);
				at = sp->off + sp->len;
			}
			text_out(&o, t->src + at, end - at);
			i++;
			break;
		}
		case N_FIELD:
			v = value(merge_tmpl_fields[nd->field], ctx);
			if (v == NULL || v[0] == '\0')
				text_out(&o, t->src + nd->off, nd->len);
			else if (mode == MERGE_HTML && nd->url &&
			    scheme_len(v, strlen(v)) != 0)
				html_link(&o, v, strlen(v), v, strlen(v));
			else
				text_out(&o, v, strlen(v));
			i++;
			break;
		case N_IF:
			v = value(merge_tmpl_fields[nd->field], ctx);
			if ((v != NULL && v[0] != '\0') != nd->neg)
				i++;
			else
				i = nd->jump + 1;
			break;
		case N_ELSE:
			i = nd->jump + 1;
			break;
		default:
			i++;
			break;
		}
	}
	if (mode == MERGE_HTML && o.started)
		put(&o, "</p>", 4);
	free(o.url);
	if (o.nomem) {
		free(o.b);
		return HE_NOMEM;
	}
	o.b[o.len] = '\0';
	*out = o.b;
	if (len)
		*len = o.len;
	return HE_OK;
}
