/* s5_standin.c: TEMPORARY (ws S): minimal stand-ins for util/merge.c (ws U),
 * crm/campaign.c (ws C) and crm/engage.c (ws E), so that ws S builds and
 * tests alone; removed when those land (see s5_standin.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/s5_standin.h"
#include "util/he.h"

static const char *const standin_fields[] = {
	"first_name", "last_name", "name", "email", "city", "country",
	"seniority", "interests", "skills", "title", "owner_name",
	"owner_signature", "site_name", "prefs_url", "unsubscribe_url", NULL,
};

enum node_kind { N_TEXT, N_FIELD, N_IF, N_UNLESS };

struct node {
	enum node_kind kind;
	char *a, *b;		/* text; field and fallback; condition field */
	struct node *then, *other, *next;
};

struct merge_tmpl {
	struct node *first;
};

static void
nodes_free(struct node *n)
{
	while (n) {
		struct node *next = n->next;

		free(n->a);
		free(n->b);
		nodes_free(n->then);
		nodes_free(n->other);
		free(n);
		n = next;
	}
}

void
merge_free(struct merge_tmpl *t)
{
	if (t) {
		nodes_free(t->first);
		free(t);
	}
}

static int
known(const char *f)
{
	for (size_t i = 0; standin_fields[i]; i++)
		if (strcmp(f, standin_fields[i]) == 0)
			return 1;
	return 0;
}

static char *
trimdup(const char *s, size_t n)
{
	while (n && (*s == ' ')) {
		s++;
		n--;
	}
	while (n && s[n - 1] == ' ')
		n--;
	return strndup(s, n);
}

/* Parses until "{{/if}}", "{{else}}", "{{/unless}}" or the end; *stop
 * says which ("" at the end). */
static int
parse_seq(const char **p, const char *end, int depth, struct node **out,
    char *stop, char *err, size_t errlen)
{
	struct node **tail = out;

	*out = NULL;
	stop[0] = '\0';
	while (*p < end) {
		const char *open = memmem(*p, (size_t)(end - *p), "{{", 2), *close;
		struct node *n;
		char *tag;

		if (open != *p) {
			const char *e = open ? open : end;

			if ((n = calloc(1, sizeof *n)) == NULL)
				return HE_NOMEM;
			n->kind = N_TEXT;
			n->a = strndup(*p, (size_t)(e - *p));
			*tail = n;
			tail = &n->next;
			*p = e;
			continue;
		}
		if ((close = memmem(open, (size_t)(end - open), "}}", 2)) == NULL) {
			snprintf(err, errlen, "a {{ is never closed");
			return HE_INVALID;
		}
		tag = trimdup(open + 2, (size_t)(close - open - 2));
		*p = close + 2;
		if (tag == NULL)
			return HE_NOMEM;
		if (strcmp(tag, "/if") == 0 || strcmp(tag, "else") == 0 ||
		    strcmp(tag, "/unless") == 0) {
			snprintf(stop, 16, "%s", tag);
			free(tag);
			return HE_OK;
		}
		if ((n = calloc(1, sizeof *n)) == NULL) {
			free(tag);
			return HE_NOMEM;
		}
		*tail = n;
		tail = &n->next;
		if (strncmp(tag, "#if ", 4) == 0 || strncmp(tag, "#unless ", 8) == 0) {
			int is_if = tag[1] == 'i';
			char st[16];
			int rc;

			n->kind = is_if ? N_IF : N_UNLESS;
			n->a = trimdup(tag + (is_if ? 4 : 8), strlen(tag + (is_if ? 4 : 8)));
			free(tag);
			if (!known(n->a)) {
				snprintf(err, errlen, "unknown field \"%s\"", n->a);
				return HE_INVALID;
			}
			if (depth >= MERGE_DEPTH_MAX) {
				snprintf(err, errlen, "blocks nested too deep");
				return HE_INVALID;
			}
			if ((rc = parse_seq(p, end, depth + 1, &n->then, st, err,
			    errlen)) != HE_OK)
				return rc;
			if (strcmp(st, "else") == 0 && (rc = parse_seq(p, end,
			    depth + 1, &n->other, st, err, errlen)) != HE_OK)
				return rc;
			if (strcmp(st, is_if ? "/if" : "/unless") != 0) {
				snprintf(err, errlen, "{{#%s}} is never closed",
				    is_if ? "if" : "unless");
				return HE_INVALID;
			}
			continue;
		}
		n->kind = N_FIELD;
		{
			char *bar = strchr(tag, '|');

			if (bar) {
				n->b = strdup(bar + 1);
				*bar = '\0';
			}
			n->a = trimdup(tag, strlen(tag));
			free(tag);
		}
		if (!known(n->a)) {
			snprintf(err, errlen, "unknown field \"%s\"", n->a);
			return HE_INVALID;
		}
	}
	return HE_OK;
}

int
merge_parse(const char *src, size_t len, struct merge_tmpl **out, char *err,
    size_t errlen)
{
	struct merge_tmpl *t = calloc(1, sizeof *t);
	const char *p = src;
	char stop[16];
	int rc;

	*out = NULL;
	if (t == NULL)
		return HE_NOMEM;
	if (len > MERGE_SRC_MAX) {
		snprintf(err, errlen, "too long");
		free(t);
		return HE_INVALID;
	}
	rc = parse_seq(&p, src + len, 0, &t->first, stop, err, errlen);
	if (rc == HE_OK && stop[0]) {
		snprintf(err, errlen, "{{%s}} without its {{#if}}", stop);
		rc = HE_INVALID;
	}
	if (rc != HE_OK) {
		merge_free(t);
		return rc;
	}
	*out = t;
	return HE_OK;
}

struct out {
	FILE *f;
	enum merge_mode mode;
	merge_value_fn value;
	merge_link_fn link;
	void *ctx;
};

static void
put_esc(struct out *o, const char *s, size_t n)
{
	const char *special = o->mode == MERGE_HTML ? "<>&\"'" :
	    o->mode == MERGE_SUBJECT ? "\r\n" : "";

	while (n > 0) {
		size_t run = 0;
		char c;

		while (run < n && (s[run] == '\0' || !strchr(special, s[run])))
			run++;
		fwrite(s, 1, run, o->f);
		s += run;
		n -= run;
		if (n == 0)
			break;
		c = *s++;
		n--;
		if (c == '\r' || c == '\n')
			fputc(' ', o->f);
		else if (c == '<')
			fputs("&lt;", o->f);
		else if (c == '>')
			fputs("&gt;", o->f);
		else if (c == '&')
			fputs("&amp;", o->f);
		else if (c == '"')
			fputs("&quot;", o->f);
		else
			fputs("&#39;", o->f);
	}
}

/* Literal text: URLs found in it rewritten (and linked in HTML). */
static void
put_literal(struct out *o, const char *s)
{
	while (*s) {
		const char *u = NULL, *h = strstr(s, "http://"),
		    *hs = strstr(s, "https://");
		size_t n;

		u = h && (!hs || h < hs) ? h : hs;
		if (u == NULL || o->mode == MERGE_SUBJECT) {
			put_esc(o, s, strlen(s));
			return;
		}
		put_esc(o, s, (size_t)(u - s));
		n = strcspn(u, " \t\r\n<>\"'");
		while (n && strchr(".,;:!?)", u[n - 1]))
			n--;
		{
			char *url = strndup(u, n), *to = url && o->link ?
			    o->link(url, o->ctx) : NULL;

			if (o->mode == MERGE_HTML) {
				fputs("<a href=\"", o->f);
				put_esc(o, to ? to : url, strlen(to ? to : url));
				fputs("\">", o->f);
				put_esc(o, url, n);
				fputs("</a>", o->f);
			} else {
				fputs(to ? to : url, o->f);
			}
			free(to);
			free(url);
		}
		s = u + n;
	}
}

static void
render_seq(struct out *o, const struct node *n)
{
	for (; n; n = n->next) {
		const char *v;

		switch (n->kind) {
		case N_TEXT:
			put_literal(o, n->a);
			break;
		case N_FIELD:
			v = o->value(n->a, o->ctx);
			if (v == NULL || *v == '\0')
				v = n->b;
			if (v)
				put_esc(o, v, strlen(v));
			break;
		case N_IF:
		case N_UNLESS:
			v = o->value(n->a, o->ctx);
			if ((v && *v) == (n->kind == N_IF))
				render_seq(o, n->then);
			else
				render_seq(o, n->other);
			break;
		}
	}
}

int
merge_render(const struct merge_tmpl *t, enum merge_mode mode,
    merge_value_fn value, merge_link_fn link, void *ctx, char **out,
    size_t *len)
{
	struct out o = { NULL, mode, value, mode == MERGE_SUBJECT ? NULL : link,
	    ctx };
	char *raw = NULL;
	size_t rlen = 0;

	if ((o.f = open_memstream(&raw, &rlen)) == NULL)
		return HE_NOMEM;
	render_seq(&o, t->first);
	if (fclose(o.f) != 0)
		return HE_NOMEM;
	if (mode != MERGE_HTML) {
		*out = raw;
		*len = rlen;
		return HE_OK;
	}
	/* Paragraphs at blank lines, <br> at single line ends. */
	{
		FILE *f;
		char *html = NULL, *p = raw;
		size_t hlen = 0;
		int open = 0;

		if ((f = open_memstream(&html, &hlen)) == NULL) {
			free(raw);
			return HE_NOMEM;
		}
		while (*p) {
			if (*p == '\r') {
				p++;
				continue;
			}
			if (*p == '\n') {
				size_t nl = 0;

				while (p[0] == '\n' || p[0] == '\r')
					nl += *p++ == '\n';
				if (nl >= 2 && open) {
					fputs("</p>\n", f);
					open = 0;
				} else if (open && *p) {
					fputs("<br>\n", f);
				}
				continue;
			}
			if (!open) {
				fputs("<p>", f);
				open = 1;
			}
			fputc(*p++, f);
		}
		if (open)
			fputs("</p>\n", f);
		fclose(f);
		free(raw);
		*out = html;
		*len = hlen;
	}
	return HE_OK;
}

/* --- campaigns (ws C) */
json_t *s5_standin_calls;
static json_t *campaigns;

void
s5_standin_campaign_put(uint64_t id, json_t *body)
{
	char k[24];

	if (campaigns == NULL)
		campaigns = json_object();
	snprintf(k, sizeof k, "%llu", (unsigned long long)id);
	json_object_set(campaigns, k, body);
}

int
campaign_get(struct store *st, uint64_t id, json_t **body)
{
	char k[24];
	json_t *c;

	(void)st;
	snprintf(k, sizeof k, "%llu", (unsigned long long)id);
	if ((c = json_object_get(campaigns, k)) == NULL)
		return HE_NOTFOUND;
	*body = json_deep_copy(c);
	return HE_OK;
}

static void
note(json_t *call)
{
	if (s5_standin_calls == NULL)
		s5_standin_calls = json_array();
	json_array_append_new(s5_standin_calls, call);
}

int
campaign_signal(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t mail_id,
    enum camp_signal sig, int64_t at)
{
	(void)st;
	(void)txn;
	(void)at;
	note(json_pack("[s,I,I,i]", "signal", (json_int_t)cand,
	    (json_int_t)mail_id, (int)sig));
	return HE_OK;
}

int
campaign_stat_add(struct store *st, DB_TXN *txn, uint64_t camp, int step,
    int variant, const char *metric, int64_t delta)
{
	(void)st;
	(void)txn;
	note(json_pack("[s,I,i,i,s,I]", "stat", (json_int_t)camp, step, variant,
	    metric, (json_int_t)delta));
	return HE_OK;
}

int
engage_event(struct store *st, DB_TXN *txn, uint64_t cand, enum engage_kind k,
    int64_t at)
{
	(void)st;
	(void)txn;
	(void)at;
	note(json_pack("[s,I,i]", "engage", (json_int_t)cand, (int)k));
	return HE_OK;
}

int
s5_enrol_active(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand)
{
	(void)st;
	(void)txn;
	(void)camp;
	(void)cand;
	return HE_OK;
}
