/* fuzz_token.c: signed tokens: forgeries, round trips and tampering */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/he.h"
#include "util/token.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_token: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/* The key the seed tokens in tests/fuzz/corpus/fuzz_token/ are signed
 * with: bytes 0x00..0x1f. */
static unsigned char key[TOK_KEYBYTES], other_key[TOK_KEYBYTES];

#define NOW ((time_t)1700000000)

static const char *const purposes[] = { "confirm", "unsubscribe", "reset" };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	for (int i = 0; i < TOK_KEYBYTES; i++) {
		key[i] = (unsigned char)i;
		other_key[i] = (unsigned char)(i ^ 0x80);
	}
	return 0;
}

/* Whatever the outcome, the outputs agree with the return code. */
static int
verify(const unsigned char *k, const char *purpose, const char *token,
    time_t now, char **subject, size_t *slen)
{
	int rc = tok_verify(k, purpose, token, now, subject, slen);

	CHECK(rc == HE_OK || rc == HE_INVALID || rc == HE_EXPIRED);
	if (rc == HE_OK) {
		CHECK(*subject != NULL && (*subject)[*slen] == '\0');
		CHECK(*slen <= 256);
	} else {
		CHECK(*subject == NULL && *slen == 0);
	}
	return rc;
}

/* A genuine token has one spelling: the one tok_sign gives for its fields. */
static void
check_canonical(const char *purpose, const char *token)
{
	unsigned char p[10 + 64 + 256];
	const char *dot = strchr(token, '.');
	size_t n, plen = strlen(purpose);
	uint64_t exp = 0;
	char *again;

	CHECK(dot != NULL);
	CHECK(sodium_base642bin(p, sizeof p, token, (size_t)(dot - token), NULL,
	    &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
	CHECK(n >= 10 + plen && p[9] == plen);
	for (int i = 1; i <= 8; i++)
		exp = exp << 8 | p[i];
	CHECK(tok_sign(key, purpose, p + 10 + plen, n - 10 - plen, (time_t)exp,
	    &again) == HE_OK);
	CHECK(strcmp(again, token) == 0);
	free(again);
}

/* The input as a token someone pasted into a link. */
static void
verify_arbitrary(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *subject;
	size_t slen;

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t i = 0; i < sizeof purposes / sizeof purposes[0]; i++) {
		/* Only a seed (or a seed with bytes after a NUL) gets HE_OK. */
		if (verify(key, purposes[i], s, NOW, &subject, &slen) == HE_OK) {
			free(subject);
			check_canonical(purposes[i], s);
			/* uint64 max: every token has expired by then. */
			CHECK(verify(key, purposes[i], s, (time_t)-1, &subject,
			    &slen) == HE_EXPIRED);
		}
		CHECK(verify(other_key, purposes[i], s, NOW, &subject, &slen) ==
		    HE_INVALID);
	}
	free(s);
}

/*
 * The input as fields: [0] purpose length, [1..8] expiry (big-endian),
 * [9] tamper xor, then the purpose bytes and the subject.
 */
static void
round_trip(const uint8_t *data, size_t size)
{
	char purpose[80], *token, *subject;
	size_t plen, slen, sublen, tlen;
	uint64_t exp = 0;
	unsigned char flip;
	const uint8_t *sub;
	int rc;

	if (size < 10)
		return;
	plen = data[0] % 72;		/* 0 and 65..71 must be refused */
	for (int i = 1; i <= 8; i++)
		exp = exp << 8 | data[i];
	flip = data[9] ? data[9] : 1;
	data += 10;
	size -= 10;
	if (plen > size)
		plen = size;
	memcpy(purpose, data, plen);
	purpose[plen] = '\0';
	plen = strlen(purpose);		/* a purpose is a C string */
	sub = data + (size >= plen ? plen : size);
	sublen = size - (size_t)(sub - data);

	rc = tok_sign(key, purpose, sub, sublen, (time_t)exp, &token);
	if (plen == 0 || plen > 64 || sublen > 256) {
		CHECK(rc == HE_INVALID && token == NULL);
		return;
	}
	CHECK(rc == HE_OK && token != NULL);
	tlen = strlen(token);
	CHECK(strchr(token, '.') != NULL);

	/* Genuine and unexpired: exactly the subject back. */
	if (exp > 0) {
		rc = verify(key, purpose, token, (time_t)(exp - 1), &subject, &slen);
		CHECK(rc == HE_OK);
		CHECK(slen == sublen && memcmp(subject, sub, sublen) == 0);
		free(subject);
	}
	/* At and after the expiry: expired, never valid. */
	CHECK(verify(key, purpose, token, (time_t)exp, &subject, &slen) ==
	    HE_EXPIRED);
	/* Another key, or another purpose: refused. */
	CHECK(verify(other_key, purpose, token, (time_t)(exp - 1), &subject,
	    &slen) == HE_INVALID);
	for (size_t i = 0; i < sizeof purposes / sizeof purposes[0]; i++)
		if (strcmp(purposes[i], purpose) != 0)
			CHECK(verify(key, purposes[i], token, (time_t)(exp - 1),
			    &subject, &slen) == HE_INVALID);

	/* One changed byte anywhere: never accepted, whatever the subject.
	 * (base64url without padding has one spelling per byte string, so
	 * even the spare low bits of a last character count.) */
	{
		size_t dot = (size_t)(strchr(token, '.') - token);
		size_t pos[] = { 0, dot - 1, dot, dot + 1, tlen - 1,
		    (size_t)flip % tlen, (size_t)(exp % tlen),
		    (size_t)(sublen * 7 + flip) % tlen };

		for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++) {
			char saved;

			if (pos[i] >= tlen)
				continue;
			saved = token[pos[i]];
			token[pos[i]] = (char)(saved ^ flip);
			rc = verify(key, purpose, token, (time_t)(exp - 1),
			    &subject, &slen);
			if (rc != HE_INVALID) {
				fprintf(stderr, "fuzz_token: tampered token "
				    "gave %d at %zu: %s\n", rc, pos[i], token);
				abort();
			}
			token[pos[i]] = saved;
		}
	}
	/* One character more or one less: refused too. */
	{
		char *longer = malloc(tlen + 2);

		if (longer == NULL)
			abort();
		memcpy(longer, token, tlen);
		longer[tlen] = token[tlen - 1];
		longer[tlen + 1] = '\0';
		CHECK(verify(key, purpose, longer, (time_t)(exp - 1), &subject,
		    &slen) == HE_INVALID);
		free(longer);
		token[tlen - 1] = '\0';
		CHECK(verify(key, purpose, token, (time_t)(exp - 1), &subject,
		    &slen) == HE_INVALID);
	}
	free(token);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	verify_arbitrary(data, size);
	round_trip(data, size);
	return 0;
}
