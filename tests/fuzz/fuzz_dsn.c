/* fuzz_dsn.c: dsn_parse on any bytes: in bounds, every string clean, the result consistent */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/dsn.h"
#include "util/he.h"
#include "util/text.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_dsn: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/* A string field: terminated inside its array, valid UTF-8, no control
 * but the line feeds an excerpt keeps. */
static void
clean(const char *s, size_t size, int lf)
{
	size_t n = strnlen(s, size);

	CHECK(n < size);
	CHECK(text_utf8_valid(s, n));
	for (size_t i = 0; i < n; i++)
		CHECK(((unsigned char)s[i] >= 0x20 && s[i] != 0x7f) ||
		    (lf && s[i] == '\n'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly the input's length: ASan sees any read past it. */
	char *msg = malloc(size ? size : 1);
	struct dsn_result r;
	int rc;

	if (msg == NULL)
		abort();
	memcpy(msg, data, size);
	rc = dsn_parse(msg, size, &r);
	CHECK(rc == HE_OK || rc == HE_INVALID);
	CHECK(r.kind < DSN_KIND__MAX);
	if (rc == HE_INVALID)
		CHECK(r.kind == DSN_OTHER);
	if (r.kind == DSN_REPLY)
		CHECK(r.mail_id != 0 && !r.auto_reply);
	if (r.kind != DSN_BOUNCE) {
		CHECK(r.status[0] == '\0' && r.recipient[0] == '\0');
	} else {
		/* A bounce always says hard or soft, from a status it holds. */
		CHECK(r.status[0] == '2' || r.status[0] == '4' || r.status[0] == '5');
		CHECK(r.hard == 0 || r.hard == 1);
		if (r.status[0] == '4')
			CHECK(!r.hard);
	}
	if (r.kind != DSN_REPLY)
		CHECK(r.excerpt[0] == '\0');
	clean(r.recipient, sizeof r.recipient, 0);
	clean(r.status, sizeof r.status, 0);
	clean(r.diagnostic, sizeof r.diagnostic, 0);
	clean(r.from, sizeof r.from, 0);
	clean(r.subject, sizeof r.subject, 0);
	clean(r.excerpt, sizeof r.excerpt, 1);
	free(msg);
	return 0;
}
