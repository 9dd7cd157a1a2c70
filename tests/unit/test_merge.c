/* test_merge.c: merge templates: fields, fallbacks, conditionals, modes, links, errors */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/he.h"
#include "util/merge.h"

#define N(a) (sizeof (a) / sizeof *(a))

/* The values of one mail: field, value, field, value, ..., NULL. */
struct mail {
	const char *const *kv;
	int link_calls;		/* how often the link callback ran */
	char seen[512];		/* the URLs it was given, one per line */
};

static const char *
value_of(const char *field, void *ctx)
{
	struct mail *m = ctx;

	for (const char *const *p = m->kv; p && p[0]; p += 2)
		if (strcmp(p[0], field) == 0)
			return p[1];
	return NULL;
}

/* Tracking as a sender would do it; URLs holding "notrack" are left alone. */
static char *
track(const char *url, void *ctx)
{
	struct mail *m = ctx;
	char *out;

	m->link_calls++;
	strncat(m->seen, url, sizeof m->seen - strlen(m->seen) - 2);
	strcat(m->seen, "\n");
	if (strstr(url, "notrack"))
		return NULL;
	if (asprintf(&out, "https://t.example/r?u=%s", url) < 0)
		return NULL;
	return out;
}

static char *
render(const char *src, enum merge_mode mode, const char *const *kv, int with_link,
    struct mail *m)
{
	struct merge_tmpl *t;
	char err[200], *out;
	size_t len;

	memset(m, 0, sizeof *m);
	m->kv = kv;
	assert_int_equal(merge_parse(src, strlen(src), &t, err, sizeof err), HE_OK);
	assert_int_equal(merge_render(t, mode, value_of, with_link ? track : NULL, m, &out,
	    &len), HE_OK);
	assert_int_equal(strlen(out), len);
	merge_free(t);
	return out;
}

static const char *const NONE[] = { NULL };
static const char *const ADA[] = { "first_name", "Ada", "last_name", "Lovelace",
    "city", "London", "country", "United Kingdom", NULL };
static const char *const EMPTY_NAME[] = { "first_name", "", NULL };
static const char *const NASTY[] = { "first_name", "<script>alert('x')</script> & co",
    "last_name", "{{first_name}}", "city", "Ada\r\nBcc: victim@example.com\nX: y",
    NULL };
static const char *const SIGNED[] = { "owner_name", "Jo", "owner_signature",
    "Jo Smith\nRecruiter, Acme\r\n\r\n+44 20 7946 0000", NULL };
static const char *const LINKS[] = { "unsubscribe_url", "https://hearth.example/u?t=a&b",
    "prefs_url", "mailto:x@example.com", "city", "https://city.example/", NULL };

struct render_case {
	const char *name;
	const char *src;
	enum merge_mode mode;
	const char *const *kv;
	int link;
	const char *want;
};

static const struct render_case render_cases[] = {
	/* Fields and fallbacks. */
	{ "field", "Hi {{first_name}}!", MERGE_TEXT, ADA, 0, "Hi Ada!" },
	{ "two fields", "{{first_name}} {{last_name}}", MERGE_TEXT, ADA, 0, "Ada Lovelace" },
	{ "missing field, fallback", "Hi {{first_name|there}},", MERGE_TEXT, NONE, 0,
	    "Hi there," },
	{ "empty field, fallback", "Hi {{first_name|there}},", MERGE_TEXT, EMPTY_NAME, 0,
	    "Hi there," },
	{ "present field, fallback unused", "Hi {{first_name|there}},", MERGE_TEXT, ADA, 0,
	    "Hi Ada," },
	{ "missing field, no fallback", "Hi {{first_name}},", MERGE_TEXT, NONE, 0, "Hi ," },
	{ "empty fallback", "Hi {{first_name|}},", MERGE_TEXT, NONE, 0, "Hi ," },
	{ "spaces in tags", "Hi {{ first_name | my friend }}.", MERGE_TEXT, NONE, 0,
	    "Hi my friend." },
	{ "single braces are text", "a {b} }} {c", MERGE_TEXT, NONE, 0, "a {b} }} {c" },
	{ "empty template", "", MERGE_HTML, NONE, 0, "" },

	/* A value is data: never expanded again, escaped in HTML, raw in text. */
	{ "value not re-expanded", "{{last_name}}", MERGE_TEXT, NASTY, 0, "{{first_name}}" },
	{ "value not re-expanded (html)", "{{last_name}}", MERGE_HTML, NASTY, 0,
	    "<p>{{first_name}}</p>" },
	{ "value escaped in html", "Hi {{first_name}}", MERGE_HTML, NASTY, 0,
	    "<p>Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>" },
	{ "value raw in text", "Hi {{first_name}}", MERGE_TEXT, NASTY, 0,
	    "Hi <script>alert('x')</script> & co" },
	{ "literal escaped in html", "<b>\"Tom\" & 'Jerry'</b>", MERGE_HTML, NONE, 0,
	    "<p>&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;</p>" },
	{ "literal raw in text", "<b>\"Tom\" & 'Jerry'</b>", MERGE_TEXT, NONE, 0,
	    "<b>\"Tom\" & 'Jerry'</b>" },
	{ "fallback escaped in html", "{{first_name|<you>}}", MERGE_HTML, NONE, 0,
	    "<p>&lt;you&gt;</p>" },

	/* Subjects are one line whatever the values hold. */
	{ "subject CR/LF in a value", "News for {{city}}", MERGE_SUBJECT, NASTY, 0,
	    "News for Ada Bcc: victim@example.com X: y" },
	{ "subject CR/LF in the text", "Hello\r\n{{first_name}}\n", MERGE_SUBJECT, ADA, 0,
	    "Hello Ada " },
	{ "subject raw otherwise", "{{first_name}} & <co>", MERGE_SUBJECT, ADA, 0,
	    "Ada & <co>" },
	{ "subject URL not rewritten", "See https://acme.example/jobs", MERGE_SUBJECT,
	    NONE, 1, "See https://acme.example/jobs" },

	/* Conditionals. */
	{ "if true", "{{#if city}}in {{city}}{{/if}}.", MERGE_TEXT, ADA, 0, "in London." },
	{ "if false", "{{#if city}}in {{city}}{{/if}}.", MERGE_TEXT, NONE, 0, "." },
	{ "if empty value is false", "{{#if first_name}}x{{else}}y{{/if}}", MERGE_TEXT,
	    EMPTY_NAME, 0, "y" },
	{ "if else true", "{{#if first_name}}Hi {{first_name}}{{else}}Hello{{/if}}!",
	    MERGE_TEXT, ADA, 0, "Hi Ada!" },
	{ "if else false", "{{#if first_name}}Hi {{first_name}}{{else}}Hello{{/if}}!",
	    MERGE_TEXT, NONE, 0, "Hello!" },
	{ "unless false", "{{#unless title}}no title{{/unless}}", MERGE_TEXT, NONE, 0,
	    "no title" },
	{ "unless true", "{{#unless city}}nowhere{{else}}{{city}}{{/unless}}", MERGE_TEXT,
	    ADA, 0, "London" },
	{ "nested, both true",
	    "{{#if city}}{{city}}{{#if country}}, {{country}}{{else}} (?){{/if}}"
	    "{{else}}somewhere{{#unless country}} unknown{{/unless}}{{/if}}", MERGE_TEXT, ADA,
	    0, "London, United Kingdom" },
	{ "nested, outer false",
	    "{{#if city}}{{city}}{{#if country}}, {{country}}{{else}} (?){{/if}}"
	    "{{else}}somewhere{{#unless country}} unknown{{/unless}}{{/if}}", MERGE_TEXT, NONE,
	    0, "somewhere unknown" },
	{ "nested, inner false",
	    "{{#if first_name}}{{#if title}}T{{else}}{{#unless city}}C{{else}}"
	    "{{#if country}}{{country}}{{/if}}{{/unless}}{{/if}}{{/if}}", MERGE_TEXT, ADA, 0,
	    "United Kingdom" },
	{ "eight deep",
	    "{{#if city}}1{{#if city}}2{{#if city}}3{{#if city}}4{{#if city}}5{{#if city}}6"
	    "{{#if city}}7{{#if city}}8{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}{{/if}}"
	    "{{/if}}", MERGE_TEXT, ADA, 0, "12345678" },
	{ "conditional across lines", "Hi\n{{#if city}}\nin {{city}}\n{{/if}}\nbye",
	    MERGE_TEXT, ADA, 0, "Hi\n\nin London\n\nbye" },

	/* HTML: paragraphs and breaks. */
	{ "paragraphs", "Hello\n\nLine one\nLine two\n", MERGE_HTML, NONE, 0,
	    "<p>Hello</p>\n<p>Line one<br>\nLine two</p>" },
	{ "CRLF paragraphs", "\r\n a\r\n\r\n\r\nb\r\nc\r\n\r\n", MERGE_HTML, NONE, 0,
	    "<p>a</p>\n<p>b<br>\nc</p>" },
	{ "CR only", "a\rb\r\rc", MERGE_HTML, NONE, 0, "<p>a<br>\nb</p>\n<p>c</p>" },
	{ "a line of spaces is blank", "a\n \t \nb", MERGE_HTML, NONE, 0,
	    "<p>a</p>\n<p>b</p>" },
	{ "spaces inside a line kept", "a  b", MERGE_HTML, NONE, 0, "<p>a  b</p>" },
	{ "lines of a value", "Thanks,\n{{owner_signature}}", MERGE_HTML, SIGNED, 0,
	    "<p>Thanks,<br>\nJo Smith<br>\nRecruiter, Acme</p>\n<p>+44 20 7946 0000</p>" },
	{ "lines of a value in text", "--\n{{owner_signature}}", MERGE_TEXT, SIGNED, 0,
	    "--\nJo Smith\nRecruiter, Acme\r\n\r\n+44 20 7946 0000" },
	{ "paragraph made by a conditional", "a\n{{#if city}}\n{{/if}}b", MERGE_HTML, ADA, 0,
	    "<p>a</p>\n<p>b</p>" },

	/* URLs of the literal text: linked in HTML, rewritten in both. */
	{ "html link rewritten", "See https://acme.example/jobs?a=1&b=2.", MERGE_HTML, NONE, 1,
	    "<p>See <a href=\"https://t.example/r?u=https://acme.example/jobs?a=1&amp;b=2\">"
	    "https://acme.example/jobs?a=1&amp;b=2</a>.</p>" },
	{ "html link without callback", "See http://acme.example/", MERGE_HTML, NONE, 0,
	    "<p>See <a href=\"http://acme.example/\">http://acme.example/</a></p>" },
	{ "text link rewritten", "See https://acme.example/jobs, or not.", MERGE_TEXT, NONE,
	    1, "See https://t.example/r?u=https://acme.example/jobs, or not." },
	{ "text link without callback", "See https://acme.example/jobs.", MERGE_TEXT, NONE, 0,
	    "See https://acme.example/jobs." },
	{ "callback declines", "a https://acme.example/notrack b", MERGE_TEXT, NONE, 1,
	    "a https://acme.example/notrack b" },
	{ "callback declines (html)", "https://acme.example/notrack", MERGE_HTML, NONE, 1,
	    "<p><a href=\"https://acme.example/notrack\">https://acme.example/notrack</a></p>" },
	{ "two links on lines", "https://a.example/1\nhttps://b.example/2", MERGE_TEXT, NONE,
	    1, "https://t.example/r?u=https://a.example/1\nhttps://t.example/r?u=https://b.example/2" },
	{ "balanced parenthesis kept", "(see https://w.example/wiki/A_(b))", MERGE_TEXT,
	    NONE, 1, "(see https://t.example/r?u=https://w.example/wiki/A_(b))" },
	{ "upper-case scheme", "HTTPS://ACME.EXAMPLE", MERGE_TEXT, NONE, 1,
	    "https://t.example/r?u=HTTPS://ACME.EXAMPLE" },
	{ "URL ends at a quote", "<a href=\"https://x.example/\">", MERGE_TEXT, NONE, 1,
	    "<a href=\"https://t.example/r?u=https://x.example/\">" },
	{ "not a URL: inside a word", "xhttps://acme.example", MERGE_TEXT, NONE, 1,
	    "xhttps://acme.example" },
	{ "not a URL: no host", "https:// and http://.", MERGE_TEXT, NONE, 1,
	    "https:// and http://." },
	{ "not a URL: other schemes", "ftp://x.example mailto:a@b.example", MERGE_TEXT,
	    NONE, 1, "ftp://x.example mailto:a@b.example" },
	{ "URL running into a field is left", "https://acme.example/?n={{first_name}}",
	    MERGE_TEXT, ADA, 1, "https://acme.example/?n=Ada" },
	{ "URL ended by a block's tag is tracked",
	    "{{#if city}}https://acme.example/a{{else}}https://acme.example/b{{/if}}",
	    MERGE_TEXT, ADA, 1, "https://t.example/r?u=https://acme.example/a" },
	{ "URL ended by {{/if}} is tracked", "{{#if city}}https://acme.example/a{{/if}}",
	    MERGE_TEXT, ADA, 1, "https://t.example/r?u=https://acme.example/a" },
	{ "URL before a tag after a space", "https://acme.example/ {{first_name}}",
	    MERGE_TEXT, ADA, 1, "https://t.example/r?u=https://acme.example/ Ada" },
	{ "URL in a value not rewritten", "{{city}}", MERGE_TEXT, LINKS, 1,
	    "https://city.example/" },
	{ "URL in a value not linked", "{{city}}", MERGE_HTML, LINKS, 1,
	    "<p>https://city.example/</p>" },
	{ "unsubscribe link, untracked", "{{unsubscribe_url}}", MERGE_HTML, LINKS, 1,
	    "<p><a href=\"https://hearth.example/u?t=a&amp;b\">"
	    "https://hearth.example/u?t=a&amp;b</a></p>" },
	{ "a *_url value that is no http URL", "{{prefs_url}}", MERGE_HTML, LINKS, 1,
	    "<p>mailto:x@example.com</p>" },
	{ "unsubscribe in text, untracked", "Stop: {{unsubscribe_url}}", MERGE_TEXT, LINKS,
	    1, "Stop: https://hearth.example/u?t=a&b" },
	{ "URL in a fallback not rewritten", "{{site_name|https://acme.example}}",
	    MERGE_TEXT, NONE, 1, "https://acme.example" },
	{ "URL next to non-ASCII", "https://acme.example/caf\xc3\xa9", MERGE_TEXT, NONE, 1,
	    "https://t.example/r?u=https://acme.example/caf\xc3\xa9" },
};

static void
test_render(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(render_cases); i++) {
		const struct render_case *c = &render_cases[i];
		struct mail m;
		char *out = render(c->src, c->mode, c->kv, c->link, &m);

		if (strcmp(out, c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name, out, c->want);
		free(out);
	}
}

/* The callback sees each URL of the literal text, and only those. */
static void
test_link_calls(void **state)
{
	struct mail m;
	char *out;

	(void)state;
	out = render("a https://a.example/x. {{unsubscribe_url}} {{city}}\n"
	    "{{#if title}}https://hidden.example/ {{/if}}(https://b.example/y)", MERGE_HTML,
	    LINKS, 1, &m);
	assert_int_equal(m.link_calls, 2);
	assert_string_equal(m.seen, "https://a.example/x\nhttps://b.example/y\n");
	free(out);
	out = render("https://a.example/x", MERGE_SUBJECT, NONE, 1, &m);
	assert_int_equal(m.link_calls, 0);
	free(out);
}

/* One parse, many renders, each with its own values. */
static void
test_reuse(void **state)
{
	const char *src = "{{#if first_name}}Dear {{first_name}}{{else}}Hello{{/if}}";
	static const char *const a[] = { "first_name", "Ann", NULL };
	static const char *const b[] = { "first_name", "Bo", NULL };
	struct merge_tmpl *t;
	struct mail m = { .kv = a };
	char *out;

	(void)state;
	assert_int_equal(merge_parse(src, strlen(src), &t, NULL, 0), HE_OK);
	assert_int_equal(merge_render(t, MERGE_TEXT, value_of, NULL, &m, &out, NULL), HE_OK);
	assert_string_equal(out, "Dear Ann");
	free(out);
	m.kv = b;
	assert_int_equal(merge_render(t, MERGE_HTML, value_of, NULL, &m, &out, NULL), HE_OK);
	assert_string_equal(out, "<p>Dear Bo</p>");
	free(out);
	m.kv = NONE;
	assert_int_equal(merge_render(t, MERGE_SUBJECT, value_of, NULL, &m, &out, NULL),
	    HE_OK);
	assert_string_equal(out, "Hello");
	free(out);
	assert_int_equal(merge_render(t, MERGE__MAX, value_of, NULL, &m, &out, NULL),
	    HE_INVALID);
	assert_null(out);
	merge_free(t);
	merge_free(NULL);
}

/* Every field of the contract is known to the parser. */
static void
test_fields(void **state)
{
	static const char *const want[] = { "first_name", "last_name", "name", "email",
	    "city", "country", "seniority", "interests", "skills", "title", "owner_name",
	    "owner_signature", "site_name", "prefs_url", "unsubscribe_url",
	    "role_title" };
	size_t n = 0;

	(void)state;
	while (merge_tmpl_fields[n])
		n++;
	assert_int_equal(n, N(want));
	for (size_t i = 0; i < N(want); i++) {
		char src[64];
		struct merge_tmpl *t;

		assert_string_equal(merge_tmpl_fields[i], want[i]);
		snprintf(src, sizeof src, "{{%s}}{{#if %s}}{{/if}}", want[i], want[i]);
		assert_int_equal(merge_parse(src, strlen(src), &t, NULL, 0), HE_OK);
		merge_free(t);
	}
}

struct error_case {
	const char *src;
	size_t len;		/* 0: strlen */
	const char *want;
};

static const struct error_case error_cases[] = {
	{ "{{#if first_name}}x", 0, "line 1: {{#if}} is never closed" },
	{ "a\nb\n{{#if city}}\n{{#if country}}{{/if}}\n", 0,
	    "line 3: {{#if}} is never closed" },
	{ "{{#unless city}}", 0, "line 1: {{#unless}} is never closed" },
	{ "{{#if city}}\n{{#unless title}}{{else}}", 0,
	    "line 2: {{#unless}} is never closed" },
	{ "Hi {{frist_name}}", 0, "line 1: unknown field \"frist_name\"" },
	{ "\n\n{{First_Name}}", 0, "line 3: unknown field \"First_Name\"" },
	{ "{{#if frist_name}}{{/if}}", 0, "line 1: unknown field \"frist_name\"" },
	{ "{{first name|x}}", 0, "line 1: unknown field \"first name\"" },
	{ "{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}", 0,
	    "line 1: unknown field \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"..." },
	{ "{{}}", 0, "line 1: empty {{}}: write a field name between the braces" },
	{ "x\n{{  }}", 0, "line 2: empty {{}}: write a field name between the braces" },
	{ "{{|there}}", 0, "line 1: a fallback without a field: write {{first_name|there}}" },
	{ "Hi {{first_name", 0,
	    "line 1: \"{{\" without \"}}\": close the tag on the same line" },
	{ "Hi {{first_name\n}}", 0,
	    "line 1: \"{{\" without \"}}\": close the tag on the same line" },
	{ "a\nHi {{first_name {{last_name}}", 0,
	    "line 2: \"{{\" without \"}}\": close the tag on the same line" },
	{ "{{first_name}", 0, "line 1: \"{{\" without \"}}\": close the tag on the same line" },
	{ "{{#each interests}}{{/each}}", 0,
	    "line 1: unknown block {{#each}}: use {{#if field}} or {{#unless field}}" },
	{ "{{#if}}{{/if}}", 0, "line 1: {{#if}} needs a field, as in {{#if first_name}}" },
	{ "{{#unless }}", 0,
	    "line 1: {{#unless}} needs a field, as in {{#unless first_name}}" },
	{ "{{#if city|x}}{{/if}}", 0, "line 1: {{#if}} takes a field without a fallback" },
	{ "{{/if}}", 0, "line 1: {{/if}} without a {{#if}} before it" },
	{ "{{#if city}}{{/if}}{{/unless}}", 0,
	    "line 1: {{/unless}} without a {{#unless}} before it" },
	{ "Hi\n{{#if city}}\n{{/unless}}", 0,
	    "line 3: {{/unless}} closes the {{#if}} of line 2" },
	{ "{{#unless city}}{{/if}}", 0, "line 1: {{/if}} closes the {{#unless}} of line 1" },
	{ "{{/each}}", 0, "line 1: unknown closing tag {{/each}}: use {{/if}} or {{/unless}}" },
	{ "{{else}}", 0, "line 1: {{else}} outside {{#if}} or {{#unless}}" },
	{ "{{#if city}}{{/if}}\n{{ else }}", 0,
	    "line 2: {{else}} outside {{#if}} or {{#unless}}" },
	{ "{{#if city}}a\n{{else}}b\n{{else}}c{{/if}}", 0,
	    "line 3: a second {{else}} in the {{#if}} of line 1" },
	{ "{{#if city}}1{{#if city}}2{{#if city}}3{{#if city}}4{{#if city}}5{{#if city}}6"
	    "{{#if city}}7{{#if city}}8\n{{#unless city}}9", 0,
	    "line 2: conditionals are nested more than 8 deep" },
	{ "ok\nnot \xff UTF-8", 0,
	    "line 2: a character that is not UTF-8 text (save the text as UTF-8)" },
	{ "a\n\nover\xc0\xaflong", 0,
	    "line 3: a character that is not UTF-8 text (save the text as UTF-8)" },
	{ "a NUL\0byte", 10,
	    "line 1: a character that is not UTF-8 text (save the text as UTF-8)" },
};

static void
test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(error_cases); i++) {
		const struct error_case *c = &error_cases[i];
		struct merge_tmpl *t = (void *)1;
		char err[200];

		assert_int_equal(merge_parse(c->src, c->len ? c->len : strlen(c->src), &t,
		    err, sizeof err), HE_INVALID);
		assert_null(t);
		if (strcmp(err, c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->src, err, c->want);
	}
}

/* A short buffer gets the start of the message; none at all is fine. */
static void
test_error_buffer(void **state)
{
	struct merge_tmpl *t;
	char err[8];

	(void)state;
	assert_int_equal(merge_parse("{{x}}", 5, &t, err, sizeof err), HE_INVALID);
	assert_string_equal(err, "line 1:");
	assert_int_equal(merge_parse("{{x}}", 5, &t, NULL, 0), HE_INVALID);
	assert_int_equal(merge_parse("{{x}}", 5, &t, err, 0), HE_INVALID);
}

static void
test_size_limit(void **state)
{
	char *src = malloc(MERGE_SRC_MAX + 1), *out, err[100];
	struct merge_tmpl *t;
	struct mail m = { .kv = ADA };
	size_t len;

	(void)state;
	assert_non_null(src);
	memset(src, 'a', MERGE_SRC_MAX + 1);
	memcpy(src, "{{first_name}}", 14);
	assert_int_equal(merge_parse(src, MERGE_SRC_MAX, &t, err, sizeof err), HE_OK);
	assert_int_equal(merge_render(t, MERGE_TEXT, value_of, NULL, &m, &out, &len), HE_OK);
	assert_int_equal(len, MERGE_SRC_MAX - 14 + 3);
	assert_memory_equal(out, "Adaaaa", 6);
	free(out);
	merge_free(t);
	assert_int_equal(merge_parse(src, MERGE_SRC_MAX + 1, &t, err, sizeof err),
	    HE_INVALID);
	assert_null(t);
	assert_string_equal(err, "the template is longer than 65536 bytes");
	free(src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_link_calls),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_size_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
