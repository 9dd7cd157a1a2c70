/* fuzz_cvtext.c: the text of CVs out of any bytes, as every kind, within its bounds */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cvtext.h"
#include "util/filetype.h"
#include "util/he.h"
#include "util/text.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_cvtext: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/*
 * Input: one byte choosing the kind (0: sniffed as the worker does, 1 PDF,
 * 2 DOCX, 3 ODT, 4 TXT; modulo 5), then the file.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ft_kind kinds[] = { FT_UNKNOWN, FT_PDF, FT_DOCX,
	    FT_ODT, FT_TXT };
	enum ft_kind kind;
	char *out = NULL;
	size_t n = 0;
	int rc;

	if (size < 1)
		return 0;
	kind = kinds[data[0] % 5];
	rc = cvtext_extract(data + 1, size - 1, kind, &out, &n);
	CHECK(rc == HE_OK || rc == HE_INVALID);
	if (rc != HE_OK) {
		CHECK(out == NULL);
		return 0;
	}
	CHECK(out != NULL);
	CHECK(n <= CVTEXT_MAX);
	CHECK(strlen(out) == n);
	CHECK(text_utf8_valid(out, n));
	/* One space between words, none at the ends, no control characters. */
	CHECK(n == 0 || (out[0] != ' ' && out[n - 1] != ' '));
	CHECK(strstr(out, "  ") == NULL);
	for (size_t i = 0; i < n; i++)
		CHECK((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
	free(out);
	return 0;
}
