/* test_text.c: UTF-8 validation, line clean-up and email normalisation */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/he.h"
#include "util/text.h"

#define N(a) (sizeof (a) / sizeof *(a))

/* text_utf8_valid: bytes with an explicit length (NUL bytes allowed). */
struct utf8_case {
	const char *name;
	const char *s;
	size_t len;
	bool valid;
};

#define U(name, lit, valid) { name, lit, sizeof lit - 1, valid }

static const struct utf8_case utf8_cases[] = {
	U("empty", "", true),
	U("ascii", "Ada Lovelace", true),
	U("embedded NUL", "a\0b", true),
	U("latin-1 e acute", "Zo\xc3\xab", true),
	U("U+0080 (lowest 2-byte)", "\xc2\x80", true),
	U("U+07FF (highest 2-byte)", "\xdf\xbf", true),
	U("U+0800 (lowest 3-byte)", "\xe0\xa0\x80", true),
	U("CJK", "\xe6\xbc\xa2\xe5\xad\x97", true),
	U("Hebrew (RTL)", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", true),
	U("Arabic (RTL)", "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7", true),
	U("U+D7FF (below surrogates)", "\xed\x9f\xbf", true),
	U("U+E000 (above surrogates)", "\xee\x80\x80", true),
	U("U+FFFD", "\xef\xbf\xbd", true),
	U("U+10000 (lowest 4-byte)", "\xf0\x90\x80\x80", true),
	U("emoji", "\xf0\x9f\x98\x80", true),
	U("emoji ZWJ sequence", "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", true),
	U("U+10FFFF (highest)", "\xf4\x8f\xbf\xbf", true),
	U("mixed scripts", "a\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80z", true),

	U("overlong NUL C0 80", "\xc0\x80", false),
	U("overlong C1 BF", "\xc1\xbf", false),
	U("overlong 3-byte NUL", "\xe0\x80\x80", false),
	U("overlong 3-byte U+07FF", "\xe0\x9f\xbf", false),
	U("overlong 4-byte NUL", "\xf0\x80\x80\x80", false),
	U("overlong 4-byte U+FFFF", "\xf0\x8f\xbf\xbf", false),
	U("overlong slash", "\xc0\xaf", false),
	U("surrogate U+D800", "\xed\xa0\x80", false),
	U("surrogate U+DFFF", "\xed\xbf\xbf", false),
	U("CESU-8 surrogate pair", "\xed\xa0\xbd\xed\xb8\x80", false),
	U("U+110000", "\xf4\x90\x80\x80", false),
	U("F5 lead", "\xf5\x80\x80\x80", false),
	U("F7 lead", "\xf7\xbf\xbf\xbf", false),
	U("5-byte form", "\xf8\x88\x80\x80\x80", false),
	U("6-byte form", "\xfc\x84\x80\x80\x80\x80", false),
	U("FE", "\xfe", false),
	U("FF", "\xff", false),
	U("lone continuation 80", "\x80", false),
	U("lone continuation BF", "a\xbf" "b", false),
	U("truncated 2-byte", "\xc3", false),
	U("truncated 3-byte (1 of 2)", "\xe6", false),
	U("truncated 3-byte (2 of 3)", "\xe6\xbc", false),
	U("truncated 4-byte (3 of 4)", "\xf0\x9f\x98", false),
	U("truncated then ascii", "\xe6\xbc" "A", false),
	U("2-byte lead then ascii", "\xc3" "A", false),
	U("two leads", "\xc3\xc3", false),
	U("bad second continuation", "\xe6\x41\xa2", false),
	U("latin-1 not utf-8", "Zo\xeb", false),
};

/* A valid string whose length cuts a sequence short is invalid. */
static const struct utf8_case utf8_len_cases[] = {
	{ "len 1 of e acute", "\xc3\xa9", 1, false },
	{ "len 2 of CJK", "\xe6\xbc\xa2", 2, false },
	{ "len 3 of emoji", "\xf0\x9f\x98\x80", 3, false },
	{ "len 0 of emoji", "\xf0\x9f\x98\x80", 0, true },
	{ "len 1 of a+emoji", "a\xf0\x9f\x98\x80", 1, true },
};

static void
run_utf8(const struct utf8_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool got = text_utf8_valid(t[i].s, t[i].len);

		if (got != t[i].valid)
			fail_msg("utf8 case '%s': got %d, want %d", t[i].name, got,
			    t[i].valid);
	}
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	run_utf8(utf8_cases, N(utf8_cases));
	run_utf8(utf8_len_cases, N(utf8_len_cases));
}

struct chars_case {
	const char *s;
	size_t chars;
};

static const struct chars_case chars_cases[] = {
	{ "", 0 },
	{ "abc", 3 },
	{ "Zo\xc3\xab", 3 },
	{ "\xe6\xbc\xa2\xe5\xad\x97", 2 },
	{ "\xf0\x9f\x98\x80", 1 },
	{ "a\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80", 4 },
	{ "e\xcc\x81", 2 },	/* e + combining acute: two code points */
	{ "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 4 },
};

static void
test_chars(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(chars_cases); i++) {
		size_t got = text_chars(chars_cases[i].s);

		if (got != chars_cases[i].chars)
			fail_msg("text_chars case %zu: got %zu, want %zu", i, got,
			    chars_cases[i].chars);
	}
}

/* text_clean_line: in, expected code, expected output on HE_OK. */
struct clean_case {
	const char *name;
	const char *in;
	int rc;
	const char *out;
};

static const struct clean_case clean_cases[] = {
	{ "plain", "Ada Lovelace", HE_OK, "Ada Lovelace" },
	{ "empty", "", HE_OK, "" },
	{ "only spaces", "   \t ", HE_OK, "" },
	{ "trim both ends", "  Ada  ", HE_OK, "Ada" },
	{ "fold inner runs", "Ada   \t  Lovelace", HE_OK, "Ada Lovelace" },
	{ "tabs and CRLF", "\tAda\t\tLovelace\r\n", HE_OK, "Ada Lovelace" },
	{ "inner newline folds", "Ada\nLovelace", HE_OK, "Ada Lovelace" },
	{ "unicode kept", "  Zo\xc3\xab  \xe7\x8e\x8b  \xd9\x85\xd8\xb1 \xf0\x9f\x98\x80 ",
	    HE_OK, "Zo\xc3\xab \xe7\x8e\x8b \xd9\x85\xd8\xb1 \xf0\x9f\x98\x80" },
	{ "U+00A0 is not a control", "a\xc2\xa0" "b", HE_OK, "a\xc2\xa0" "b" },
	{ "quotes and markup kept", "<b>\"O'Brien\"</b>", HE_OK,
	    "<b>\"O'Brien\"</b>" },

	{ "C0 SOH", "a\x01" "b", HE_INVALID, NULL },
	{ "escape sequence", "\x1b[31mred", HE_INVALID, NULL },
	{ "vertical tab", "a\vb", HE_INVALID, NULL },
	{ "form feed", "a\fb", HE_INVALID, NULL },
	{ "backspace", "ab\b", HE_INVALID, NULL },
	{ "DEL", "a\x7f", HE_INVALID, NULL },
	{ "C1 U+0080", "\xc2\x80", HE_INVALID, NULL },
	{ "C1 NEL U+0085", "a\xc2\x85" "b", HE_INVALID, NULL },
	{ "C1 U+009F", "a\xc2\x9f", HE_INVALID, NULL },
	{ "control after trailing space", "abc \x01", HE_INVALID, NULL },
	{ "control in leading space", " \x01 abc", HE_INVALID, NULL },
	{ "truncated utf-8", "Ada\xc3", HE_INVALID, NULL },
	{ "surrogate", "a\xed\xa0\x80", HE_INVALID, NULL },
	{ "overlong space", "a\xc0\xa0" "b", HE_INVALID, NULL },
	{ "latin-1", "Zo\xeb", HE_INVALID, NULL },
};

static void
test_clean_line(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(clean_cases); i++) {
		const struct clean_case *t = &clean_cases[i];
		char *out = (char *)0x1;
		int rc = text_clean_line(t->in, &out);

		if (rc != t->rc)
			fail_msg("clean '%s': rc %d, want %d", t->name, rc, t->rc);
		if (rc == HE_OK) {
			if (out == NULL || strcmp(out, t->out) != 0)
				fail_msg("clean '%s': got '%s', want '%s'", t->name,
				    out ? out : "(null)", t->out);
			free(out);
		} else if (out != NULL) {
			fail_msg("clean '%s': *out not NULL on error", t->name);
		}
	}
}

/* text_email_normalise: in, expected code, expected normal form. */
struct email_case {
	const char *name;
	const char *in;
	int rc;
	const char *out;
};

static const struct email_case email_cases[] = {
	{ "plain", "ada@example.com", HE_OK, "ada@example.com" },
	{ "case folded", "Ada.Lovelace@Example.COM", HE_OK,
	    "ada.lovelace@example.com" },
	{ "trimmed", "  \tada@example.com \r\n", HE_OK, "ada@example.com" },
	{ "plus addressing", "Ada+Hearth@example.com", HE_OK,
	    "ada+hearth@example.com" },
	{ "plus with tag chars", "ada+jobs-2024@example.com", HE_OK,
	    "ada+jobs-2024@example.com" },
	{ "subdomains", "a.b-c_d@mail.sub.example.co.uk", HE_OK,
	    "a.b-c_d@mail.sub.example.co.uk" },
	{ "hyphen inside label", "x@a-b.io", HE_OK, "x@a-b.io" },
	{ "apostrophe", "o'brien@example.ie", HE_OK, "o'brien@example.ie" },
	{ "numeric local", "1234@example.com", HE_OK, "1234@example.com" },
	{ "numeric label", "ada@123.example.com", HE_OK, "ada@123.example.com" },
	{ "atext specials", "!#$%&'*/=?^_`{|}~@example.org", HE_OK,
	    "!#$%&'*/=?^_`{|}~@example.org" },
	{ "single-char local", "a@example.com", HE_OK, "a@example.com" },

	{ "empty", "", HE_INVALID, NULL },
	{ "blank", "   ", HE_INVALID, NULL },
	{ "no @", "ada.example.com", HE_INVALID, NULL },
	{ "word", "ada", HE_INVALID, NULL },
	{ "two @ adjacent", "ada@@example.com", HE_INVALID, NULL },
	{ "two @", "a@b@example.com", HE_INVALID, NULL },
	{ "empty local", "@example.com", HE_INVALID, NULL },
	{ "empty domain", "ada@", HE_INVALID, NULL },
	{ "leading dot local", ".ada@example.com", HE_INVALID, NULL },
	{ "trailing dot local", "ada.@example.com", HE_INVALID, NULL },
	{ "double dot local", "a..da@example.com", HE_INVALID, NULL },
	{ "leading dot domain", "ada@.example.com", HE_INVALID, NULL },
	{ "trailing dot domain", "ada@example.com.", HE_INVALID, NULL },
	{ "double dot domain", "ada@example..com", HE_INVALID, NULL },
	{ "no TLD", "ada@example", HE_INVALID, NULL },
	{ "localhost", "ada@localhost", HE_INVALID, NULL },
	{ "one-letter TLD", "ada@example.c", HE_INVALID, NULL },
	{ "numeric TLD", "ada@example.123", HE_INVALID, NULL },
	{ "IPv4 as domain", "ada@127.0.0.1", HE_INVALID, NULL },
	{ "IP literal", "ada@[127.0.0.1]", HE_INVALID, NULL },
	{ "label starts with -", "ada@-example.com", HE_INVALID, NULL },
	{ "label ends with -", "ada@example-.com", HE_INVALID, NULL },
	{ "TLD starts with -", "ada@example.-com", HE_INVALID, NULL },
	{ "TLD ends with -", "ada@example.com-", HE_INVALID, NULL },
	{ "underscore in domain", "ada@ex_ample.com", HE_INVALID, NULL },
	{ "space in local", "ada lovelace@example.com", HE_INVALID, NULL },
	{ "space in domain", "ada@exa mple.com", HE_INVALID, NULL },
	{ "quoted local", "\"ada\"@example.com", HE_INVALID, NULL },
	{ "comment", "ada(work)@example.com", HE_INVALID, NULL },
	{ "angle brackets", "<ada@example.com>", HE_INVALID, NULL },
	{ "display name", "Ada <ada@example.com>", HE_INVALID, NULL },
	{ "comma list", "ada@example.com,bob@example.com", HE_INVALID, NULL },
	{ "header injection", "ada@example.com\r\nBcc: x@example.com",
	    HE_INVALID, NULL },
	{ "control char", "ada\x01@example.com", HE_INVALID, NULL },
	{ "non-ASCII local", "zo\xc3\xab@example.com", HE_INVALID, NULL },
	{ "non-ASCII domain", "ada@ex\xc3\xa4mple.com", HE_INVALID, NULL },
	{ "CJK domain", "ada@\xe4\xbe\x8b\xe3\x81\x88.jp", HE_INVALID, NULL },
	{ "fullwidth at", "ada\xef\xbc\xa0" "example.com", HE_INVALID, NULL },
	{ "invalid utf-8", "ada\xff@example.com", HE_INVALID, NULL },
};

static void
check_email(const char *name, const char *in, int want_rc, const char *want)
{
	char *out = (char *)0x1;
	int rc = text_email_normalise(in, &out);

	if (rc != want_rc)
		fail_msg("email '%s': rc %d, want %d", name, rc, want_rc);
	if (rc == HE_OK) {
		if (out == NULL || strcmp(out, want) != 0)
			fail_msg("email '%s': got '%s', want '%s'", name,
			    out ? out : "(null)", want);
		free(out);
	} else if (out != NULL) {
		fail_msg("email '%s': *out not NULL on error", name);
	}
}

static void
test_email_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(email_cases); i++)
		check_email(email_cases[i].name, email_cases[i].in,
		    email_cases[i].rc, email_cases[i].out);
}

/* "<local of l bytes>@<domain of d bytes>", labels of at most 63, ".com". */
static char *
make_address(size_t l, size_t d)
{
	char *s = malloc(l + 1 + d + 1), *p;
	size_t left;

	assert_non_null(s);
	assert_true(d >= 5);
	memset(s, 'a', l);
	s[l] = '@';
	p = s + l + 1;
	left = d - 4;		/* before ".com" */
	while (left > 0) {
		size_t label = left > 63 ? 63 : left;

		/* Never leave a dot with nothing after it before ".com". */
		if (left > 63 && left - 63 < 2)
			label = 61;
		memset(p, 'b', label);
		p += label;
		left -= label;
		if (left > 0) {
			*p++ = '.';
			left--;
		}
	}
	memcpy(p, ".com", 5);
	assert_int_equal(strlen(s), l + 1 + d);
	return s;
}

struct len_case {
	const char *name;
	size_t local, domain;
	int rc;
};

static const struct len_case len_cases[] = {
	{ "local 64", 64, 11, HE_OK },
	{ "local 65", 65, 11, HE_INVALID },
	{ "total 254", 64, 189, HE_OK },
	{ "total 255", 64, 190, HE_INVALID },
	{ "total 254, short local", 10, 243, HE_OK },
	{ "total 300", 40, 259, HE_INVALID },
};

static void
test_email_lengths(void **state)
{
	char label[80], *s;

	(void)state;
	for (size_t i = 0; i < N(len_cases); i++) {
		s = make_address(len_cases[i].local, len_cases[i].domain);
		check_email(len_cases[i].name, s, len_cases[i].rc, s);
		free(s);
	}
	/* A label of 63 is the most DNS allows. */
	memset(label, 'c', 63);
	label[63] = '\0';
	s = malloc(200);
	assert_non_null(s);
	snprintf(s, 200, "ada@%s.com", label);
	check_email("label 63", s, HE_OK, s);
	snprintf(s, 200, "ada@%sc.com", label);
	check_email("label 64", s, HE_INVALID, NULL);
	/* Trimming happens before the length check: spaces do not count. */
	free(s);
	s = make_address(64, 189);
	{
		char *padded = malloc(strlen(s) + 7);

		assert_non_null(padded);
		sprintf(padded, "   %s   ", s);
		check_email("total 254 padded", padded, HE_OK, s);
		free(padded);
	}
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_clean_line),
		cmocka_unit_test(test_email_table),
		cmocka_unit_test(test_email_lengths),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
