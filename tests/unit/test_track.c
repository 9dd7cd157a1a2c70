/* test_track.c: the signed click and open links: what resolves and what never does */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/track.h"
#include "util/he.h"

static unsigned char key[TOK_KEYBYTES], other[TOK_KEYBYTES];

/* The value of query parameter name in url, percent-decoded (malloc'd). */
static char *
param(const char *url, const char *name)
{
	const char *q = strchr(url, '?'), *p;
	size_t n = strlen(name);
	char *out, *d;

	assert_non_null(q);
	for (p = q + 1; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			break;
	assert_non_null(p);
	p += n + 1;
	out = d = malloc(strlen(p) + 1);
	assert_non_null(out);
	for (; *p && *p != '&'; p++) {
		unsigned v;

		if (*p == '%' && sscanf(p + 1, "%2x", &v) == 1) {
			*d++ = (char)v;
			p += 2;
		} else {
			*d++ = *p;
		}
	}
	*d = '\0';
	return out;
}

static void
test_url_ok(void **state)
{
	static const struct { const char *url; int ok; } cases[] = {
		{ "https://jobs.example.org/roles/42", 1 },
		{ "http://example.org", 1 },
		{ "HTTPS://Example.org/a?b=c&d=e#f", 1 },
		{ "https://example.org/ü", 1 },
		{ "javascript:alert(1)", 0 },
		{ "//evil.example/", 0 },
		{ "ftp://example.org/", 0 },
		{ "https://", 0 },
		{ "https:///path", 0 },
		{ "https://@evil.example", 0 },
		{ "https://exa mple.org", 0 },
		{ "https://example.org/\r\nSet-Cookie: x", 0 },
		{ "https://example.org\\@evil.example", 0 },
		{ "/local/path", 0 },
		{ "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (track_url_ok(cases[i].url) != cases[i].ok)
			fail_msg("%s: %d", cases[i].url, !cases[i].ok);
	assert_false(track_url_ok(NULL));
}

static void
test_click_round_trip(void **state)
{
	static const char *urls[] = {
		"https://jobs.example.org/roles/42?utm=mail&x=a+b",
		"https://example.org/path with%20escapes/é?q=\"'<>",
		"http://example.org/#frag",
	};

	(void)state;
	for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
		char *link, *m, *u, *s;
		uint64_t mail = 0;

		if (strchr(urls[i], ' ')) {
			/* Not a URL we track: left as it is. */
			assert_int_equal(track_click_url(key, "https://h.example",
			    7, urls[i], &link), HE_INVALID);
			assert_null(link);
			continue;
		}
		assert_int_equal(track_click_url(key, "https://h.example", 77,
		    urls[i], &link), HE_OK);
		assert_true(strncmp(link, "https://h.example/r?m=77&u=", 27) == 0);
		/* Nothing in the link a query parser could split or a
		 * browser could take for markup. */
		assert_null(strpbrk(link + 20, " \"'<>+#"));
		m = param(link, "m");
		u = param(link, "u");
		s = param(link, "s");
		assert_string_equal(u, urls[i]);
		assert_int_equal(track_check_click(key, m, u, s, &mail), HE_OK);
		assert_int_equal(mail, 77);
		free(m);
		free(u);
		free(s);
		free(link);
	}
}

static void
test_click_refusals(void **state)
{
	const char *url = "https://jobs.example.org/roles/42";
	char sig[TOK_MACSTRLEN], bad[TOK_MACSTRLEN];
	uint64_t mail = 0;

	(void)state;
	track_sign_click(key, 5, url, sig);
	assert_int_equal(track_check_click(key, "5", url, sig, &mail), HE_OK);
	/* Another URL, another mail, another key, a changed signature. */
	assert_int_equal(track_check_click(key, "5",
	    "https://evil.example/", sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "5",
	    "https://jobs.example.org/roles/43", sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "6", url, sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(other, "5", url, sig, &mail),
	    HE_INVALID);
	memcpy(bad, sig, sizeof bad);
	bad[3] = bad[3] == 'A' ? 'B' : 'A';
	assert_int_equal(track_check_click(key, "5", url, bad, &mail), HE_INVALID);
	bad[3] = '\0';
	assert_int_equal(track_check_click(key, "5", url, bad, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "5", url, "", &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "5", url, NULL, &mail), HE_INVALID);
	/* The mail id as we write it, nothing else. */
	assert_int_equal(track_check_click(key, "05", url, sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "5 ", url, sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "+5", url, sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "", url, sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, NULL, url, sig, &mail), HE_INVALID);
	assert_int_equal(track_check_click(key, "99999999999999999999999", url,
	    sig, &mail), HE_INVALID);
	/* A signature of an open is not one of a click, and the reverse. */
	track_sign_open(key, 5, sig);
	assert_int_equal(track_check_click(key, "5", url, sig, &mail), HE_INVALID);
	track_sign_click(key, 5, "", sig);
	assert_int_equal(track_check_open(key, "5", sig, &mail), HE_INVALID);
	/* Even when signed, a URL we would not redirect to is refused. */
	track_sign_click(key, 5, "javascript:alert(1)", sig);
	assert_int_equal(track_check_click(key, "5", "javascript:alert(1)", sig,
	    &mail), HE_INVALID);
	assert_int_equal(track_click_url(key, "", 5, "javascript:alert(1)",
	    &(char *){ NULL }), HE_INVALID);
	assert_int_equal(mail, 5);	/* untouched by the refusals */
}

static void
test_open(void **state)
{
	char *link, *m, *s;
	uint64_t mail = 0;

	(void)state;
	assert_int_equal(track_open_url(key, "http://127.0.0.1:8080", 123456,
	    &link), HE_OK);
	assert_true(strncmp(link, "http://127.0.0.1:8080/o?m=123456&s=", 35) == 0);
	m = param(link, "m");
	s = param(link, "s");
	assert_int_equal(track_check_open(key, m, s, &mail), HE_OK);
	assert_int_equal(mail, 123456);
	assert_int_equal(track_check_open(key, "123457", s, &mail), HE_INVALID);
	assert_int_equal(track_check_open(other, m, s, &mail), HE_INVALID);
	free(m);
	free(s);
	free(link);
}

static void
test_careers(void **state)
{
	static const struct { const char *url, *careers; int is; } cases[] = {
		{ "https://example.org/careers", "https://example.org/careers", 1 },
		{ "https://example.org/careers/", "https://example.org/careers", 1 },
		{ "https://example.org/careers/42?x", "https://example.org/careers/", 1 },
		{ "HTTPS://EXAMPLE.ORG/careers#top", "https://example.org/careers", 1 },
		{ "https://example.org/careersfoo", "https://example.org/careers", 0 },
		{ "https://example.org.evil/", "https://example.org", 0 },
		{ "https://example.org/", "https://example.org", 1 },
		{ "https://example.org/x", "", 0 },
		{ "https://example.org/x", NULL, 0 },
		{ "http://example.org/careers", "https://example.org/careers", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (track_is_careers(cases[i].url, cases[i].careers) != cases[i].is)
			fail_msg("%s under %s: %d", cases[i].url,
			    cases[i].careers ? cases[i].careers : "(none)",
			    !cases[i].is);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_ok),
		cmocka_unit_test(test_click_round_trip),
		cmocka_unit_test(test_click_refusals),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_careers),
	};

	if (sodium_init() < 0)
		return 1;
	randombytes_buf(key, sizeof key);
	randombytes_buf(other, sizeof other);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
