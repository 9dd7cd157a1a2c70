/* test_token.c: signed expiring tokens, keyed digests and the site key */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "util/he.h"
#include "util/token.h"

#define N(a) (sizeof (a) / sizeof *(a))
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

static unsigned char key1[TOK_KEYBYTES], key2[TOK_KEYBYTES];

static const time_t T0 = 1700000000;	/* "now" in these tests */
static const time_t EXP = 1700003600;	/* an hour later */

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	for (int i = 0; i < TOK_KEYBYTES; i++) {
		key1[i] = (unsigned char)i;
		key2[i] = (unsigned char)(0xa5 ^ i);
	}
	return 0;
}

/* Not inlined: GCC 12 then mistakes the result for a pointer to the local. */
static __attribute__((noinline)) char *
sign_ok(const unsigned char *key, const char *purpose, const void *subj,
    size_t len, time_t exp)
{
	char *tok = NULL;

	assert_int_equal(tok_sign(key, purpose, subj, len, exp, &tok), HE_OK);
	assert_non_null(tok);
	return tok;
}

/* Verifies and checks the outcome; on HE_OK also the subject. */
static void
expect_verify(const char *what, const unsigned char *key, const char *purpose,
    const char *tok, time_t now, int want, const void *subj, size_t len)
{
	char *got = (char *)0x1;
	size_t got_len = 99;
	int rc = tok_verify(key, purpose, tok, now, &got, &got_len);

	if (rc != want)
		fail_msg("%s: tok_verify gave %d, want %d (token '%s')", what, rc,
		    want, tok);
	if (rc == HE_OK) {
		if (got == NULL || got_len != len || memcmp(got, subj, len) != 0 ||
		    got[len] != '\0')
			fail_msg("%s: wrong subject", what);
		free(got);
	} else if (got != NULL || got_len != 0) {
		fail_msg("%s: subject set on failure", what);
	}
}

/* Round trips: every purpose and subject shape the limits allow. */
struct rt_case {
	const char *name;
	size_t purpose_len;	/* purpose of this many 'p' */
	const char *subject;	/* NULL: subject_len bytes of a pattern */
	size_t subject_len;
};

static const struct rt_case rt_cases[] = {
	{ "typical", 0, "12345", 5 },
	{ "empty subject", 0, "", 0 },
	{ "binary subject with NULs", 0, "\0\x01\xff\0z", 5 },
	{ "unicode subject", 0, "Zo\xc3\xab \xf0\x9f\x98\x80", 9 },
	{ "subject 255", 0, NULL, 255 },
	{ "subject 256 (max)", 0, NULL, 256 },
	{ "purpose 1", 1, "x", 1 },
	{ "purpose 64 (max)", 64, "x", 1 },
	{ "purpose 64, subject 256", 64, NULL, 256 },
};

static void
test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(rt_cases); i++) {
		const struct rt_case *t = &rt_cases[i];
		char purpose[80] = "confirm";
		unsigned char big[512];
		const void *subj = t->subject;
		char *tok;

		if (t->purpose_len) {
			memset(purpose, 'p', t->purpose_len);
			purpose[t->purpose_len] = '\0';
		}
		if (subj == NULL) {
			for (size_t j = 0; j < sizeof big; j++)
				big[j] = (unsigned char)(j * 7 + 3);
			subj = big;
		}
		tok = sign_ok(key1, purpose, subj, t->subject_len, EXP);
		/* Only URL-safe characters and exactly one dot. */
		assert_int_equal(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
		    "opqrstuvwxyz0123456789-_."), strlen(tok));
		assert_non_null(strchr(tok, '.'));
		assert_ptr_equal(strchr(tok, '.'), strrchr(tok, '.'));
		expect_verify(t->name, key1, purpose, tok, T0, HE_OK, subj,
		    t->subject_len);
		expect_verify(t->name, key1, purpose, tok, EXP - 1, HE_OK, subj,
		    t->subject_len);
		free(tok);
	}
}

/* tok_sign's limits: purpose 1..64 bytes, subject 0..256 bytes. */
struct sign_case {
	const char *name;
	size_t purpose_len;
	size_t subject_len;
	int rc;
};

static const struct sign_case sign_cases[] = {
	{ "purpose 0", 0, 1, HE_INVALID },
	{ "purpose 1", 1, 1, HE_OK },
	{ "purpose 64", 64, 1, HE_OK },
	{ "purpose 65", 65, 1, HE_INVALID },
	{ "purpose 300", 300, 1, HE_INVALID },
	{ "subject 0", 7, 0, HE_OK },
	{ "subject 256", 7, 256, HE_OK },
	{ "subject 257", 7, 257, HE_INVALID },
	{ "subject 4096", 7, 4096, HE_INVALID },
};

static void
test_sign_limits(void **state)
{
	static unsigned char subj[4096];

	(void)state;
	for (size_t i = 0; i < N(sign_cases); i++) {
		const struct sign_case *t = &sign_cases[i];
		char purpose[400];
		char *tok = (char *)0x1;
		int rc;

		memset(purpose, 'q', t->purpose_len);
		purpose[t->purpose_len] = '\0';
		rc = tok_sign(key1, purpose, subj, t->subject_len, EXP, &tok);
		if (rc != t->rc)
			fail_msg("sign '%s': rc %d, want %d", t->name, rc, t->rc);
		if (rc == HE_OK) {
			assert_non_null(tok);
			expect_verify(t->name, key1, purpose, tok, T0, HE_OK, subj,
			    t->subject_len);
			free(tok);
		} else {
			assert_null(tok);
		}
	}
}

/* A genuine token checked the wrong way: key, purpose, time. */
struct verify_case {
	const char *name;
	const unsigned char *key;
	const char *purpose;
	time_t now;
	int rc;
};

static void
test_verify_context(void **state)
{
	const struct verify_case cases[] = {
		{ "right key, purpose, time", key1, "confirm", T0, HE_OK },
		{ "long before expiry", key1, "confirm", 0, HE_OK },
		{ "one second before expiry", key1, "confirm", EXP - 1, HE_OK },
		{ "at expiry", key1, "confirm", EXP, HE_EXPIRED },
		{ "one second after", key1, "confirm", EXP + 1, HE_EXPIRED },
		{ "a year after", key1, "confirm", EXP + 365 * 86400, HE_EXPIRED },
		{ "wrong key", key2, "confirm", T0, HE_INVALID },
		{ "wrong key, expired", key2, "confirm", EXP + 1, HE_INVALID },
		{ "other purpose", key1, "unsubscribe", T0, HE_INVALID },
		{ "purpose prefix", key1, "confir", T0, HE_INVALID },
		{ "purpose extended", key1, "confirmx", T0, HE_INVALID },
		{ "purpose case", key1, "Confirm", T0, HE_INVALID },
		{ "empty purpose", key1, "", T0, HE_INVALID },
		{ "other purpose, expired", key1, "unsubscribe", EXP + 1, HE_INVALID },
	};
	char *tok;

	(void)state;
	tok = sign_ok(key1, "confirm", "42", 2, EXP);
	for (size_t i = 0; i < N(cases); i++)
		expect_verify(cases[i].name, cases[i].key, cases[i].purpose, tok,
		    cases[i].now, cases[i].rc, "42", 2);
	free(tok);
}

/* Any change of one character, in either part, is a forgery. */
static void
test_forged(void **state)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char *tok, *dot;
	size_t len, tried = 0;

	(void)state;
	tok = sign_ok(key1, "confirm", "candidate:42", 12, EXP);
	len = strlen(tok);
	dot = strchr(tok, '.');
	for (size_t i = 0; i < len; i++) {
		char orig = tok[i];

		if (tok + i == dot)
			continue;
		/* Three replacements: neighbour, far away, and the low-bit flip
		 * that only touches padding bits in the last character. */
		const char subs[3] = {
			alphabet[(strchr(alphabet, orig) - alphabet + 1) % 64],
			alphabet[(strchr(alphabet, orig) - alphabet + 32) % 64],
			alphabet[(strchr(alphabet, orig) - alphabet) ^ 1],
		};
		for (int s = 0; s < 3; s++) {
			char what[64];

			tok[i] = subs[s];
			snprintf(what, sizeof what, "%s part, char %zu -> %c",
			    tok + i < dot ? "payload" : "MAC", i, subs[s]);
			expect_verify(what, key1, "confirm", tok, T0, HE_INVALID,
			    NULL, 0);
			tried++;
		}
		tok[i] = orig;
	}
	assert_int_equal(tried, (len - 1) * 3);
	/* Untouched it still verifies: the loop restored every character. */
	expect_verify("restored", key1, "confirm", tok, T0, HE_OK,
	    "candidate:42", 12);
	free(tok);
}

/* Every proper prefix of a token is rejected. */
static void
test_truncated(void **state)
{
	char *tok, *cut;
	size_t len;

	(void)state;
	tok = sign_ok(key1, "confirm", "candidate:42", 12, EXP);
	len = strlen(tok);
	cut = malloc(len + 1);
	assert_non_null(cut);
	for (size_t n = 0; n < len; n++) {
		char what[64];

		memcpy(cut, tok, n);
		cut[n] = '\0';
		snprintf(what, sizeof what, "truncated to %zu of %zu", n, len);
		expect_verify(what, key1, "confirm", cut, T0, HE_INVALID, NULL, 0);
	}
	free(cut);
	free(tok);
}

/* Shapes around the dot and the ends. */
static void
test_malformed(void **state)
{
	char *tok, *dot, buf[1024];
	size_t plen;

	(void)state;
	tok = sign_ok(key1, "confirm", "candidate:42", 12, EXP);
	dot = strchr(tok, '.');
	plen = (size_t)(dot - tok);

	struct { const char *name; const char *fmt; } shapes[] = {
		{ "extra dot at end", "%s." },
		{ "extra part", "%s.AAAA" },
		{ "leading dot", ".%s" },
		{ "trailing newline", "%s\n" },
		{ "trailing space", "%s " },
		{ "leading space", " %s" },
		{ "padding", "%s=" },
		{ "extra char", "%sA" },
		{ "twice", "%s%s" },
	};
	for (size_t i = 0; i < N(shapes); i++) {
		snprintf(buf, sizeof buf, shapes[i].fmt, tok, tok);
		expect_verify(shapes[i].name, key1, "confirm", buf, T0, HE_INVALID,
		    NULL, 0);
	}
	/* The dot removed: the two parts run together. */
	snprintf(buf, sizeof buf, "%.*s%s", (int)plen, tok, dot + 1);
	expect_verify("missing dot", key1, "confirm", buf, T0, HE_INVALID, NULL, 0);
	/* A second dot inside the MAC. */
	snprintf(buf, sizeof buf, "%.*s.%.5s.%s", (int)plen, tok, dot + 1, dot + 6);
	expect_verify("dot inside MAC", key1, "confirm", buf, T0, HE_INVALID,
	    NULL, 0);
	/* A second dot inside the payload. */
	snprintf(buf, sizeof buf, "%.4s.%s", tok, tok + 4);
	expect_verify("dot inside payload", key1, "confirm", buf, T0, HE_INVALID,
	    NULL, 0);
	/* Standard base64 instead of URL-safe characters. */
	strcpy(buf, tok);
	for (char *p = buf; *p; p++)
		if (*p == '-' || *p == '_')
			*p = *p == '-' ? '+' : '/';
	if (strcmp(buf, tok) != 0)
		expect_verify("standard alphabet", key1, "confirm", buf, T0,
		    HE_INVALID, NULL, 0);

	const char *junk[] = { "", ".", "..", "a.b", "AAAA.AAAA",
	    "not a token at all", "%2E" };
	for (size_t i = 0; i < N(junk); i++)
		expect_verify(junk[i], key1, "confirm", junk[i], T0, HE_INVALID,
		    NULL, 0);
	free(tok);
}

/* Two genuine tokens: the payload of one with the MAC of the other. */
static void
test_spliced(void **state)
{
	char *a, *b, buf[1024];

	(void)state;
	a = sign_ok(key1, "confirm", "1", 1, EXP);
	b = sign_ok(key1, "confirm", "2", 1, EXP);
	snprintf(buf, sizeof buf, "%.*s%s", (int)(strchr(a, '.') - a), a,
	    strchr(b, '.'));
	expect_verify("payload of a, MAC of b", key1, "confirm", buf, T0,
	    HE_INVALID, NULL, 0);
	free(a);
	free(b);
}

/*
 * Payloads with a correct MAC (we hold the key) but a content tok_sign would
 * never produce: the checks after the MAC must still hold.
 */
static char *
forge_with_key(const unsigned char *p, size_t n)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	size_t b1 = sodium_base64_encoded_len(n, B64);
	size_t b2 = sodium_base64_encoded_len(sizeof mac, B64);
	char *s = malloc(b1 + b2);

	assert_non_null(s);
	crypto_auth_hmacsha256(mac, p, n, key1);
	sodium_bin2base64(s, b1, p, n, B64);
	s[b1 - 1] = '.';
	sodium_bin2base64(s + b1, b2, mac, sizeof mac, B64);
	return s;
}

static size_t
payload(unsigned char *p, unsigned version, uint64_t exp, unsigned plen_byte,
    const char *purpose, const char *subject)
{
	size_t n = 0;

	p[n++] = (unsigned char)version;
	for (int i = 7; i >= 0; i--)
		p[n++] = (unsigned char)(exp >> (i * 8));
	p[n++] = (unsigned char)plen_byte;
	memcpy(p + n, purpose, strlen(purpose));
	n += strlen(purpose);
	memcpy(p + n, subject, strlen(subject));
	n += strlen(subject);
	return n;
}

static void
test_genuine_but_odd(void **state)
{
	struct {
		const char *name;
		unsigned version, plen_byte;
		const char *purpose, *subject;
		int cut;	/* bytes to keep; -1: all */
		int rc;
	} cases[] = {
		{ "as tok_sign makes it", 1, 7, "confirm", "42", -1, HE_OK },
		{ "version 2", 2, 7, "confirm", "42", -1, HE_INVALID },
		{ "version 0", 0, 7, "confirm", "42", -1, HE_INVALID },
		{ "purpose length too long", 1, 9, "confirm", "42", -1, HE_INVALID },
		{ "purpose length past the end", 1, 200, "confirm", "", -1,
		    HE_INVALID },
		{ "purpose length 0", 1, 0, "confirm", "42", -1, HE_INVALID },
		{ "purpose cut short", 1, 7, "confirm", "", 14, HE_INVALID },
		{ "header only", 1, 7, "", "", 10, HE_INVALID },
		{ "shorter than header", 1, 7, "confirm", "42", 9, HE_INVALID },
		{ "one byte", 1, 7, "confirm", "42", 1, HE_INVALID },
		{ "empty payload", 1, 7, "confirm", "42", 0, HE_INVALID },
	};
	unsigned char p[512];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		size_t n = payload(p, cases[i].version, (uint64_t)EXP,
		    cases[i].plen_byte, cases[i].purpose, cases[i].subject);
		char *tok;

		if (cases[i].cut >= 0)
			n = (size_t)cases[i].cut;
		tok = forge_with_key(p, n);
		expect_verify(cases[i].name, key1, "confirm", tok, T0, cases[i].rc,
		    cases[i].subject, strlen(cases[i].subject));
		free(tok);
	}
	/* And our forger matches tok_sign byte for byte. */
	{
		size_t n = payload(p, 1, (uint64_t)EXP, 7, "confirm", "42");
		char *mine = forge_with_key(p, n);
		char *theirs = sign_ok(key1, "confirm", "42", 2, EXP);

		assert_string_equal(mine, theirs);
		free(mine);
		free(theirs);
	}
}

/* tok_mac: base64url(HMAC-SHA256(key, domain NUL msg)). */
static void
reference_mac(const unsigned char *key, const char *domain, const char *msg,
    char out[TOK_MACSTRLEN])
{
	unsigned char buf[512], mac[crypto_auth_hmacsha256_BYTES];
	size_t dl = strlen(domain), ml = strlen(msg);

	assert_true(dl + 1 + ml <= sizeof buf);
	memcpy(buf, domain, dl + 1);
	memcpy(buf + dl + 1, msg, ml);
	crypto_auth_hmacsha256(mac, buf, dl + 1 + ml, key);
	sodium_bin2base64(out, TOK_MACSTRLEN, mac, sizeof mac, B64);
}

static void
test_mac(void **state)
{
	struct { const unsigned char *key; const char *domain, *msg; } in[] = {
		{ key1, "csrf", "session-token" },
		{ key1, "csrf", "session-tokeN" },
		{ key1, "suppress", "session-token" },
		{ key2, "csrf", "session-token" },
		{ key1, "ab", "c" },
		{ key1, "a", "bc" },
		{ key1, "abc", "" },
		{ key1, "", "abc" },
		{ key1, "", "" },
		{ key1, "csrf", "Zo\xc3\xab@example.com" },
	};
	char out[N(in)][TOK_MACSTRLEN];

	(void)state;
	for (size_t i = 0; i < N(in); i++) {
		char again[TOK_MACSTRLEN], ref[TOK_MACSTRLEN];

		memset(out[i], 'X', TOK_MACSTRLEN);
		tok_mac(in[i].key, in[i].domain, in[i].msg, out[i]);
		assert_int_equal(strlen(out[i]), TOK_MACSTRLEN - 1);
		assert_int_equal(strspn(out[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_"), TOK_MACSTRLEN - 1);
		tok_mac(in[i].key, in[i].domain, in[i].msg, again);
		assert_string_equal(out[i], again);		/* deterministic */
		reference_mac(in[i].key, in[i].domain, in[i].msg, ref);
		assert_string_equal(out[i], ref);		/* the documented form */
	}
	/* Every input differs from every other: key, domain and message all
	 * count, and the NUL keeps ("ab","c") apart from ("a","bc"). */
	for (size_t i = 0; i < N(in); i++)
		for (size_t j = i + 1; j < N(in); j++)
			if (strcmp(out[i], out[j]) == 0)
				fail_msg("tok_mac inputs %zu and %zu collide", i, j);
}

static void
test_equal(void **state)
{
	struct { const char *a, *b; int eq; } cases[] = {
		{ "", "", 1 },
		{ "a", "a", 1 },
		{ "abcdefghijklmnopqrstuvwxyz0123456789-_abcdefg",
		  "abcdefghijklmnopqrstuvwxyz0123456789-_abcdefg", 1 },
		{ "a", "b", 0 },
		{ "abc", "abd", 0 },
		{ "xbc", "abc", 0 },
		{ "abc", "ab", 0 },
		{ "ab", "abc", 0 },
		{ "", "a", 0 },
		{ "a", "", 0 },
		{ "ABC", "abc", 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int got = tok_equal(cases[i].a, cases[i].b);

		if ((got != 0) != cases[i].eq)
			fail_msg("tok_equal('%s', '%s') = %d, want %d", cases[i].a,
			    cases[i].b, got, cases[i].eq);
	}
}

/* The site key file, in a directory of our own. */
static char tmpdir[64];

static int
key_setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/hearth-test-token-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
key_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static size_t
read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

static void
test_key_create(void **state)
{
	char path[128], before[128], after[128];
	unsigned char k1[TOK_KEYBYTES], k2[TOK_KEYBYTES], zero[TOK_KEYBYTES] = { 0 };
	struct stat sb;
	size_t n;

	(void)state;
	snprintf(path, sizeof path, "%s/secret", tmpdir);
	assert_int_equal(tok_key_load(path, k1), HE_NOTFOUND);
	assert_int_equal(tok_key_create(path), HE_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	n = read_file(path, before, sizeof before);
	assert_int_equal(n, 65);
	assert_int_equal(strspn(before, "0123456789abcdef"), 64);
	assert_int_equal(before[64], '\n');
	assert_int_equal(tok_key_load(path, k1), HE_OK);
	assert_memory_not_equal(k1, zero, TOK_KEYBYTES);

	/* The second call keeps the key: links already sent stay valid. */
	assert_int_equal(tok_key_create(path), HE_OK);
	read_file(path, after, sizeof after);
	assert_string_equal(before, after);
	assert_int_equal(tok_key_load(path, k2), HE_OK);
	assert_memory_equal(k1, k2, TOK_KEYBYTES);

	/* A token signed under the loaded key verifies under a reload. */
	{
		char *tok = sign_ok(k1, "confirm", "7", 1, EXP);

		expect_verify("loaded key", k2, "confirm", tok, T0, HE_OK, "7", 1);
		free(tok);
	}
	/* Two fresh files get different keys. */
	{
		char path2[128];
		unsigned char k3[TOK_KEYBYTES];

		snprintf(path2, sizeof path2, "%s/secret2", tmpdir);
		assert_int_equal(tok_key_create(path2), HE_OK);
		assert_int_equal(tok_key_load(path2, k3), HE_OK);
		assert_memory_not_equal(k1, k3, TOK_KEYBYTES);
	}
	/* Where the file cannot be created. */
	snprintf(path, sizeof path, "%s/no/such/dir/secret", tmpdir);
	assert_int_equal(tok_key_create(path), HE_IO);
	assert_int_equal(tok_key_load(path, k1), HE_NOTFOUND);
}

static void
test_key_load(void **state)
{
#define hex64 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HEX64 "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
	struct { const char *name; const char *data; size_t len; int rc; } cases[] = {
		{ "64 hex and newline", hex64 "\n", 65, HE_OK },
		{ "64 hex, no newline", hex64, 64, HE_OK },
		{ "upper-case hex", HEX64 "\n", 65, HE_OK },
		{ "empty", "", 0, HE_INVALID },
		{ "short", "abc\n", 4, HE_INVALID },
		{ "63 hex", hex64 + 1, 63, HE_INVALID },
		{ "62 hex and two newlines", "0102030405060708090a0b0c0d0e0f10"
		    "1112131415161718191a1b1c1d1e1f\n\n", 64, HE_INVALID },
		{ "65 hex", hex64 "0", 65, HE_INVALID },
		{ "66 hex", hex64 "00", 66, HE_INVALID },
		{ "not hex", "gggggggggggggggggggggggggggggggggggggggggggggggg"
		    "gggggggggggggggg\n", 65, HE_INVALID },
		{ "space inside", "00010203 0405060708090a0b0c0d0e0f10111213141516"
		    "1718191a1b1c1d1e1f\n", 66, HE_INVALID },
		{ "trailing junk", hex64 "\nxyz", 68, HE_INVALID },
		{ "long file", hex64 hex64 "\n", 129, HE_INVALID },
		{ "raw binary key", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
		    "\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
		    "\x1a\x1b\x1c\x1d\x1e\x1f", 32, HE_INVALID },
	};
	char path[128];

	(void)state;
	snprintf(path, sizeof path, "%s/key", tmpdir);
	for (size_t i = 0; i < N(cases); i++) {
		unsigned char k[TOK_KEYBYTES];
		int rc;

		unlink(path);
		write_file(path, cases[i].data, cases[i].len);
		rc = tok_key_load(path, k);
		if (rc != cases[i].rc)
			fail_msg("key file '%s': rc %d, want %d", cases[i].name, rc,
			    cases[i].rc);
		if (rc == HE_OK)
			assert_memory_equal(k, key1, TOK_KEYBYTES);	/* 00..1f */
	}
	unlink(path);
	{
		unsigned char k[TOK_KEYBYTES];

		assert_int_equal(tok_key_load(path, k), HE_NOTFOUND);
	}
#undef hex64
#undef HEX64
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_sign_limits),
		cmocka_unit_test(test_verify_context),
		cmocka_unit_test(test_forged),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_spliced),
		cmocka_unit_test(test_genuine_but_odd),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_equal),
		cmocka_unit_test_setup_teardown(test_key_create, key_setup,
		    key_teardown),
		cmocka_unit_test_setup_teardown(test_key_load, key_setup,
		    key_teardown),
	};

	return cmocka_run_group_tests_name("token", tests, setup, NULL);
}
