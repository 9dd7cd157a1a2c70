/* fuzz_merge.c: the merge-template parser on any bytes, and every render mode of what it accepts */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/he.h"
#include "util/merge.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_merge: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/*
 * Input: one byte of options, then the template.
 *   bits 0-1: the values (none, plain, hostile, every other field empty)
 *   bit  2:   a link callback (else none)
 *   bit  3:   the callback declines every other URL
 */

static const char *const plain[] = { "Ada", "Lovelace", "Ada Lovelace",
    "ada@example.com", "London", "United Kingdom", "senior", "Engineering, Data",
    "C, Go", "Engineer", "Jo", "Jo\nRecruiter", "Acme", "https://acme.example/p?t=1",
    "https://acme.example/u?t=2&x=3" };
static const char *const hostile[] = { "{{first_name}}", "<script>\"'&", "a\r\nBcc: x",
    "\n\n", " ", "{{#if city}}", "}}", "\t\n", "\r", "&amp;", "{{/if}}",
    "line\nline\r\n\r\nline", "{{else}}", "javascript:alert(1)",
    "https://evil.example/\"><x>" };

struct ctx {
	int values;
	int declines;
	int calls;
};

static const char *
value_of(const char *field, void *arg)
{
	struct ctx *c = arg;
	int i = 0;

	while (merge_tmpl_fields[i] && strcmp(merge_tmpl_fields[i], field) != 0)
		i++;
	CHECK(merge_tmpl_fields[i] != NULL);
	switch (c->values) {
	case 0:
		return NULL;
	case 1:
		return plain[i];
	case 2:
		return hostile[i];
	default:
		return i % 2 ? "" : plain[i];
	}
}

static char *
link_of(const char *url, void *arg)
{
	struct ctx *c = arg;
	char *out;

	CHECK(strncasecmp(url, "http", 4) == 0);
	CHECK(strpbrk(url, " \t\r\n<>\"{}") == NULL);
	if (c->declines && c->calls++ % 2)
		return NULL;
	CHECK(asprintf(&out, "https://t.example/r?u=%s&s=\"<>", url) > 0);
	return out;
}

/* HTML output: markup only of the renderer's own, everything else escaped. */
static void
check_html(const char *s)
{
	static const char *const tags[] = { "<p>", "</p>", "<br>", "</a>" };

	while (*s) {
		size_t i;

		if (*s == '>' || *s == '"') {
			CHECK(!"an unescaped > or \" in HTML");
		} else if (*s == '<') {
			if (strncmp(s, "<a href=\"", 9) == 0) {
				s += 9;
				while (*s && *s != '"') {
					CHECK(*s != '<' && *s != '>');
					s++;
				}
				CHECK(strncmp(s, "\">", 2) == 0);
				s += 2;
				continue;
			}
			for (i = 0; i < sizeof tags / sizeof *tags; i++)
				if (strncmp(s, tags[i], strlen(tags[i])) == 0)
					break;
			CHECK(i < sizeof tags / sizeof *tags);
			s += strlen(tags[i]);
			continue;
		} else if (*s == '&') {
			CHECK(strncmp(s, "&amp;", 5) == 0 || strncmp(s, "&lt;", 4) == 0 ||
			    strncmp(s, "&gt;", 4) == 0 || strncmp(s, "&quot;", 6) == 0 ||
			    strncmp(s, "&#39;", 5) == 0);
		}
		s++;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct merge_tmpl *t;
	struct ctx c = { 0 };
	char err[160];
	int rc;

	if (size < 1)
		return 0;
	c.values = data[0] & 3;
	c.declines = (data[0] >> 3) & 1;
	rc = merge_parse((const char *)data + 1, size - 1, &t, err, sizeof err);
	if (rc != HE_OK) {
		CHECK(rc == HE_INVALID);
		CHECK(t == NULL);
		CHECK(strncmp(err, "line ", 5) == 0 ||
		    strncmp(err, "the template is longer", 22) == 0);
		return 0;
	}
	for (int mode = 0; mode < MERGE__MAX; mode++) {
		char *out;
		size_t len;

		CHECK(merge_render(t, (enum merge_mode)mode, value_of,
		    data[0] & 4 ? link_of : NULL, &c, &out, &len) == HE_OK);
		CHECK(strlen(out) == len);
		if (mode == MERGE_SUBJECT)
			CHECK(strpbrk(out, "\r\n") == NULL);
		if (mode == MERGE_HTML)
			check_html(out);
		/* Without tags or links a template is its own text. */
		if (mode == MERGE_TEXT && !(data[0] & 4) &&
		    memchr(data + 1, '{', size - 1) == NULL)
			CHECK(len == size - 1 && memcmp(out, data + 1, len) == 0);
		free(out);
	}
	merge_free(t);
	return 0;
}
