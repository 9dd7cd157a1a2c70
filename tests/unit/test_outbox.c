/* test_outbox.c: the worker's delivery of queued mail, against a real store */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/clock.h"
#include "crm/community.h"
#include "crm/outbox.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

struct env {
	char dir[64];
	char outbox[96];
	struct comm c;
	struct store *st;
	HDF *site;
	struct outbox_cfg cfg;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-outbox-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 1) != HE_OK)
		return -1;
	snprintf(e->outbox, sizeof e->outbox, "%s/outbox", e->dir);
	if (mkdir(e->outbox, 0700) != 0)
		return -1;
	e->c.st = e->st;
	randombytes_buf(e->c.key, sizeof e->c.key);
	e->c.policy_version = "1";
	strcpy(e->c.policy_sha256, "ab12");
	e->c.purpose = "Keep me informed";
	e->c.resume_dir = strdup(e->dir);
	e->c.outbox_dir = strdup(e->outbox);
	if (hdf_init(&e->site) != STATUS_OK ||
	    hdf_set_value(e->site, "Name", "Hearth") != STATUS_OK ||
	    hdf_set_value(e->site, "BaseURL", "https://jobs.example") != STATUS_OK)
		return -1;
	e->cfg = (struct outbox_cfg){
		.transport = { .outbox_dir = e->outbox },
		.from = "talent@jobs.example", .from_name = "Hearth",
		.msgid_domain = "jobs.example",
		.unsubscribe_address = "talent@jobs.example",
		.retry_seconds = 60, .site = e->site,
		.templates = "templates",	/* make runs the tests from the top */
		.comm = &e->c,
	};
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	comm_cleanup(&e->c);
	store_close(e->st);
	hdf_destroy(&e->site);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

/* n people join, each queueing one confirmation mail. */
static void
join(struct env *e, int n)
{
	for (int i = 0; i < n; i++) {
		json_t *interests = json_pack("[s]", "engineering");
		json_t *skills = json_pack("[s]", "c");
		char email[64], first[16];
		struct comm_signup in = {
			.email = email, .first_name = first, .last_name = "Lovelace",
			.phone = "", .city = "London", .country = "UK",
			.interests = interests, .seniority = "lead", .skills = skills,
			.url = "", .source = "", .ip = "192.0.2.1", .user_agent = "t",
		};

		snprintf(email, sizeof email, "ada%03d@example.com", i);
		snprintf(first, sizeof first, "Ada%03d", i);
		assert_int_equal(comm_join(&e->c, &in), HE_OK);
		json_decref(interests);
		json_decref(skills);
	}
}

struct tally {
	int queued, sending, sent, other;
	int attempts[4];	/* mails with 0, 1, 2, more attempts */
	int due_later;		/* mails due after now */
	int64_t now;
};

static int
count(uint64_t id, json_t *mail, void *ctx)
{
	struct tally *t = ctx;
	const char *state = json_string_value(json_object_get(mail, "state"));
	json_int_t a = json_integer_value(json_object_get(mail, "attempts"));
	json_t *due = json_object_get(mail, "due");

	(void)id;
	if (strcmp(state, "queued") == 0)
		t->queued++;
	else if (strcmp(state, "sending") == 0)
		t->sending++;
	else if (strcmp(state, "sent") == 0)
		t->sent++;
	else
		t->other++;
	t->attempts[a < 3 ? a : 3]++;
	if (due && json_integer_value(due) > t->now)
		t->due_later++;
	return HE_OK;
}

static struct tally
tally(struct env *e)
{
	struct tally t = { .now = clock_now() };

	assert_int_equal(store_mail_newest(e->st, NULL, 0, 1000, count, &t), HE_OK);
	return t;
}

static int
files_in(const char *dir)
{
	char cmd[160], buf[32];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '\\.eml$'", dir);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fgets(buf, sizeof buf, p))
			n = atoi(buf);
		pclose(p);
	}
	return n;
}

/* Each mail holds its own person's address, name and links, and nobody
 * else's: the batch renders every mail from one HDF. */
static void
check_mail_files(struct env *e, int n)
{
	for (int i = 0; i < n; i++) {
		char cmd[256], buf[4096];
		FILE *p;
		size_t len;

		snprintf(cmd, sizeof cmd, "grep -l 'ada%03d@example.com' '%s'/*.eml | "
		    "xargs cat", i, e->outbox);
		assert_non_null(p = popen(cmd, "r"));
		len = fread(buf, 1, sizeof buf - 1, p);
		pclose(p);
		buf[len] = '\0';
		assert_non_null(strstr(buf, "Subject: Please confirm"));
		assert_non_null(strstr(buf, "Please confirm your email<"));
		for (int k = 0; k < n; k++) {
			char name[16];

			snprintf(name, sizeof name, "Ada%03d", k);
			if ((strstr(buf, name) != NULL) != (k == i))
				fail_msg("the mail to ada%03d %s %s", i,
				    k == i ? "lacks" : "holds", name);
		}
	}
}

/* More mails than one claim takes, fewer than a batch: each goes out
 * once, and is recorded as sent once it has. */
static void
test_delivers_each_once(void **state)
{
	struct env *e = *state;
	struct tally t;
	size_t sent;

	join(e, 37);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 37);
	assert_int_equal(files_in(e->outbox), 37);
	check_mail_files(e, 37);
	t = tally(e);
	assert_int_equal(t.sent, 37);
	assert_int_equal(t.attempts[1], 37);
	/* Nothing is due any more. */
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 0);
}

/* A batch takes at most max mails; the rest stay queued, untouched. */
static void
test_batch_limit(void **state)
{
	struct env *e = *state;
	struct tally t;
	size_t sent;

	join(e, 30);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, 20, &sent), HE_OK);
	assert_int_equal(sent, 20);
	t = tally(e);
	assert_int_equal(t.sent, 20);
	assert_int_equal(t.queued, 10);
	assert_int_equal(t.attempts[0], 10);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, 20, &sent), HE_OK);
	assert_int_equal(sent, 10);
	assert_int_equal(files_in(e->outbox), 30);
}

/* A server that takes no mail: one attempt (two when the next mail was
 * already queued behind it in the sender's thread: slower builds, such as
 * ASan's, see that), which wait for their retry; the other mails claimed
 * with them are put back as they were, due now. */
static void
test_server_down_costs_one_attempt(void **state)
{
	struct env *e = *state;
	struct outbox_cfg cfg = e->cfg;
	struct tally t;
	size_t sent;

	cfg.transport.smtp_url = "smtp://127.0.0.1:1";	/* refused */
	join(e, 20);
	assert_int_equal(outbox_deliver_due(e->st, &cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 0);
	t = tally(e);
	assert_int_equal(t.queued, 20);
	assert_int_equal(t.sending, 0);
	assert_in_range(t.attempts[1], 1, 2);
	assert_int_equal(t.attempts[0], 20 - t.attempts[1]);
	assert_int_equal(t.due_later, t.attempts[1]);
	/* The server is back: the others go at once, the tried ones at their
	 * time. */
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, t.attempts[0]);
	assert_int_equal(tally(e).sent, t.attempts[0]);
	assert_int_equal(tally(e).queued, t.attempts[1]);
}

/* A person erased before the worker gets to their mail gets none. */
static void
test_erased_before_delivery(void **state)
{
	struct env *e = *state;
	char key[TOK_MACSTRLEN];
	uint64_t id;
	size_t sent;

	join(e, 3);
	comm_email_key(&e->c, "ada001@example.com", key);
	assert_int_equal(store_cand_by_email(e->st, NULL, key, &id), HE_OK);
	assert_int_equal(comm_erase(&e->c, id), HE_OK);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 2);
	assert_int_equal(files_in(e->outbox), 2);
}


/* With no wait between tries, the mails still with the sender when the
 * next claim is made are due again: they are not taken a second time. */
static void
test_in_flight_not_claimed_again(void **state)
{
	struct env *e = *state;
	struct outbox_cfg cfg = e->cfg;
	struct tally t;
	size_t sent;

	cfg.retry_seconds = 0;
	join(e, 70);
	assert_int_equal(outbox_deliver_due(e->st, &cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 70);
	t = tally(e);
	assert_int_equal(t.sent, 70);
	assert_int_equal(t.attempts[1], 70);	/* each tried once */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_delivers_each_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_down_costs_one_attempt,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_flight_not_claimed_again,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_erased_before_delivery, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("outbox", tests, NULL, NULL);
}
