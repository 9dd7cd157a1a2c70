/* s5_campaign.c: test_tracking.py's helper: makes a pool and a campaign and
 * enrols people through lib/crm, as the back office does, against the
 * stack's store (HEARTH_HOME, HEARTH_CONF). Built by the test itself:
 *   s5_campaign pool NAME                   -> the pool's id
 *   s5_campaign member POOL CAND
 *   s5_campaign campaign JSONFILE BY        -> the campaign's id (active)
 *   s5_campaign enrol CAMP CAND BY
 * Exits 0 on success, 1 with the reason on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/campaign.h"
#include "crm/pool.h"
#include "crm/setup.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"

static uint64_t
num(const char *s)
{
	return strtoull(s, NULL, 10);
}

int
main(int argc, char **argv)
{
	struct store *st;
	HDF *conf;
	uint64_t id = 0;
	int rc;

	if (argc < 3 || conf_load(&conf) != HE_OK || crm_open(conf, &st) != HE_OK) {
		fprintf(stderr, "usage, or no configuration or store\n");
		return 1;
	}
	if (strcmp(argv[1], "pool") == 0) {
		rc = pool_create(st, argv[2], NULL, 0, &id);
	} else if (strcmp(argv[1], "member") == 0 && argc == 4) {
		rc = pool_member_change(st, num(argv[2]), num(argv[3]), 1);
	} else if (strcmp(argv[1], "campaign") == 0 && argc == 4) {
		json_t *body = json_load_file(argv[2], 0, NULL), *errors = NULL;

		rc = body ? campaign_create(st, body, num(argv[3]), &id, &errors) :
		    HE_INVALID;
		if (rc == HE_OK)
			rc = campaign_set_state(st, id, "active", num(argv[3]));
		if (errors) {
			char *e = json_dumps(errors, 0);

			fprintf(stderr, "%s\n", e ? e : "");
			free(e);
			json_decref(errors);
		}
		json_decref(body);
	} else if (strcmp(argv[1], "enrol") == 0 && argc == 5) {
		rc = campaign_enrol(st, num(argv[2]), num(argv[3]), num(argv[4]));
	} else {
		rc = HE_INVALID;
	}
	store_close(st);
	hdf_destroy(&conf);
	if (rc != HE_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], he_strerror(rc));
		return 1;
	}
	if (id)
		printf("%llu\n", (unsigned long long)id);
	return 0;
}
