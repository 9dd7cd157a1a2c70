/* fuzz_query.c: the search-box parser, its plan, and saved filters */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crm/index.h"
#include "crm/query.h"
#include "store/store.h"
#include "util/he.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_query: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/* Parsing and planning touch only the site key of the store. */
static struct store st;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	memset(st.site_key, 7, sizeof st.site_key);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cand_query q, back;
	struct query_plan *plan = NULL;
	struct cand_keyset ks;
	char err[200];
	json_t *j;
	int parsed, planned;

	cand_query_init(&q);
	if (size > QUERY_TEXT_MAX)
		size = QUERY_TEXT_MAX;
	memcpy(q.text, data, size);
	q.text[size] = 0;
	parsed = cand_query_parse(&st, &q, err, sizeof err);
	CHECK(parsed == HE_OK || parsed == HE_INVALID);
	CHECK(parsed == HE_OK || strlen(err) > 0);
	planned = query_plan_new(&st, &q, &plan);
	/* The plan reads the text exactly as the parser judged it. */
	CHECK((planned == HE_OK) == (parsed == HE_OK));
	if (plan) {
		keyset_init(&ks);
		keyset_add(&ks, "*");
		keyset_add(&ks, "st:engaged");
		keyset_add(&ks, "tag:backend");
		CHECK(keyset_finish(&ks) == HE_OK);
		(void)query_plan_matches(plan, &ks);
		keyset_free(&ks);
		query_plan_free(plan);
	}
	/* A saved filter comes back as it was. */
	if ((j = cand_query_to_json(&q)) != NULL) {
		if (strlen(q.text) == size) {
			CHECK(cand_query_from_json(j, &back) == HE_OK);
			CHECK(memcmp(&q, &back, sizeof q) == 0);
		}
		json_decref(j);
	}
	return 0;
}
