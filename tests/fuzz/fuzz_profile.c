/* fuzz_profile.c: the checks of a profile form, tags and typed days */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm/index.h"
#include "crm/profile.h"
#include "crm/timeline.h"
#include "util/he.h"
#include "util/text.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_profile: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

#define NOW ((int64_t)1767272400)	/* 2026-01-01 13:00 UTC */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	return 0;
}

/* A tag as stored is its own normal form: 1..40 characters, lower case,
 * no comma, no white space at either end. */
static void
tag(const char *s)
{
	char out[CAND_TAG_SIZE], again[CAND_TAG_SIZE];
	size_t n;

	if (cand_tag_normalise(s, out) != HE_OK)
		return;
	n = strlen(out);
	CHECK(n > 0 && n < CAND_TAG_SIZE);
	CHECK(strchr(out, ',') == NULL && out[0] != ' ' && out[n - 1] != ' ');
	for (size_t i = 0; i < n; i++)
		CHECK(!(out[i] >= 'A' && out[i] <= 'Z'));
	CHECK(cand_tag_normalise(out, again) == HE_OK && strcmp(out, again) == 0);
}

/* A day that parses comes back as typed, never after today. */
static void
day(const char *s)
{
	int64_t at;
	time_t t;
	struct tm tm;
	char back[16];

	if (tl_parse_day(s, NOW, &at) != HE_OK)
		return;
	CHECK(at <= NOW);
	t = (time_t)at;
	strftime(back, sizeof back, "%Y-%m-%d", gmtime_r(&t, &tm));
	CHECK(strcmp(back, s) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *fields[PF__MAX], *p;
	struct prof_input in;
	struct prof_errors errs = { 0 };
	const char *ints[4];
	json_t *rec;
	char v1[PROF_VERSION_SIZE], v2[PROF_VERSION_SIZE];
	size_t n = 0, found;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* One field a line, in prof_fields order; the form layer hands the
	 * checks clean UTF-8 lines only. */
	memset(&in, 0, sizeof in);
	for (p = buf; n < PF__MAX; n++) {
		char *nl = strchr(p, '\n');

		fields[n] = p;
		if (nl == NULL) {
			p += strlen(p);
			continue;
		}
		*nl = '\0';
		p = nl + 1;
	}
	for (size_t i = 0; i < PF__MAX; i++)
		in.text[i] = text_utf8_valid(fields[i], strlen(fields[i])) ?
		    fields[i] : "";
	ints[0] = in.text[PF_INTERESTS];
	in.interests = ints;
	in.ninterests = 1;
	found = prof_check(&in, size > 0 && (data[0] & 1), &errs);
	CHECK(found == errs.n && errs.n <= PF__MAX);
	for (size_t i = 0; i < errs.n; i++) {
		CHECK((unsigned)errs.e[i].field < PF__MAX);
		CHECK(errs.e[i].message[0] != '\0');
		for (size_t j = i + 1; j < errs.n; j++)
			CHECK(errs.e[i].field != errs.e[j].field);
	}
	tag(in.text[PF_TAGS]);
	tag(in.text[PF_FIRST_NAME]);
	day(in.text[PF_SOURCE]);
	day(fields[0]);
	/* The version of a record is a function of what a form shows. */
	rec = json_pack("{s:s, s:s, s:s, s:s}", "first_name", in.text[PF_FIRST_NAME],
	    "email", in.text[PF_EMAIL], "city", in.text[PF_CITY], "title",
	    in.text[PF_TITLE]);
	if (rec) {
		char *v = prof_form_value(rec, PF_CITY);

		CHECK(v == NULL || strcmp(v, in.text[PF_CITY]) == 0);
		free(v);
		prof_version(rec, v1);
		prof_version(rec, v2);
		CHECK(strcmp(v1, v2) == 0 && strlen(v1) == PROF_VERSION_SIZE - 1);
		json_decref(rec);
	}
	free(buf);
	return 0;
}
