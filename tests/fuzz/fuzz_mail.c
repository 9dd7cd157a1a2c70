/* fuzz_mail.c: mail_format: every field hostile, the message still well formed */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net/mail.h"
#include "tests/unit/mail_decode.h"
#include "util/he.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_mail: %s:%d: check failed: %s (%s)\n", __FILE__, \
	    __LINE__, #cond, md_why); abort(); } } while (0)

enum field { F_SUBJECT, F_FROM_NAME, F_TO_NAME, F_TEXT, F_HTML, F_MSGID,
	F_URL, F_MAILTO, F_TO, F__MAX };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	return 0;
}

/*
 * The input: one flags byte, then the fields in enum order separated by
 * NUL bytes (a C string cannot hold one anyway). Flag bit i set means
 * field i is given, clear means NULL; a missing field is NULL too. To is
 * the default address when not given.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f[F__MAX] = { 0 };
	struct mail_msg m;
	struct md_want w = { NULL, 1 };
	char *buf, *out, *p;
	size_t len;
	unsigned flags;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0];
	if ((buf = malloc(size)) == NULL)
		abort();
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	p = buf;
	for (int i = 0; i < F__MAX && p < buf + size - 1; i++) {
		/* Bit 8 does not exist: To is given whenever it is there. */
		if (i == F_TO || flags & (1u << i))
			f[i] = p;
		p += strlen(p) + 1;
	}
	m = (struct mail_msg){
		.from = "talent@hearth.example", .from_name = f[F_FROM_NAME],
		.to = f[F_TO] ? f[F_TO] : "zoe@example.org",
		.to_name = f[F_TO_NAME], .subject = f[F_SUBJECT],
		.text = f[F_TEXT], .html = f[F_HTML], .message_id = f[F_MSGID],
		.msgid_domain = "hearth.example", .unsubscribe_url = f[F_URL],
		.unsubscribe_mailto = f[F_MAILTO],
	};

	rc = mail_format(&m, (time_t)1700000000, &out, &len);
	CHECK(rc == HE_OK || rc == HE_INVALID);
	if (rc == HE_INVALID) {
		/* Only the address, the Message-ID and the unsubscribe values
		 * can be refused: text of any kind never is. */
		CHECK(out == NULL && len == 0);
		m.to = "zoe@example.org";
		m.message_id = NULL;
		m.unsubscribe_url = m.unsubscribe_mailto = NULL;
		rc = mail_format(&m, (time_t)1700000000, &out, &len);
		CHECK(rc == HE_OK);
	}
	CHECK(out != NULL && strlen(out) == len);
	/* No bare CR or LF, header lines within 998, body lines within 76, no
	 * header but ours, every field decoded back to what was given. */
	CHECK(md_check_message(&m, &w, out, len) == 0);
	free(out);
	free(buf);
	return 0;
}
