/* cmd_queue.c: hearthctl queue, a person's mails and enrolments as stored */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>

#include "bin/hearthctl/hearthctl.h"
#include "store/campaign.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

/* One line: what, its id, the record as stored (due, attempts, claim...). */
static int
print_rec(const char *what, uint64_t id, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);

	if (s == NULL)
		return HE_NOMEM;
	printf("%s\t%llu\t%s\n", what, (unsigned long long)id, s);
	free(s);
	return HE_OK;
}

static int
print_mail(uint64_t id, json_t *mail, void *ctx)
{
	(void)ctx;
	return print_rec("mail", id, mail);
}

static int
print_enrolment(uint64_t camp, json_t *body, void *ctx)
{
	(void)ctx;
	return print_rec("enrolment", camp, body);
}

int
cmd_queue(HDF *conf, int argc, char **argv)
{
	struct store *st;
	int rc = HE_OK;

	if (argc < 2) {
		fprintf(stderr, "usage: hearthctl queue CANDIDATE_ID...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		char *end;

		errno = 0;
		if (argv[i][0] < '0' || argv[i][0] > '9' ||
		    strtoull(argv[i], &end, 10) == 0 || errno || *end != '\0') {
			fprintf(stderr, "hearthctl queue: %s is not a candidate id "
			    "(see hearthctl candidates)\n", argv[i]);
			return 2;
		}
	}
	if (ctl_open(conf, &st) != 0)
		return 1;
	for (int i = 1; i < argc && rc == HE_OK; i++) {
		uint64_t cand = strtoull(argv[i], NULL, 10);

		printf("candidate\t%llu\n", (unsigned long long)cand);
		rc = store_mail_each_of(st, NULL, cand, print_mail, NULL);
		if (rc == HE_OK)
			rc = store_enrol_each_of(st, NULL, cand, print_enrolment, NULL);
	}
	store_close(st);
	if (rc != HE_OK) {
		fprintf(stderr, "hearthctl: %s\n", he_strerror(rc));
		return 1;
	}
	return 0;
}
