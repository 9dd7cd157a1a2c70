/* campaign_rate.c: campaign mail for `make bench`: queued by the campaign engine, rendered and delivered by the worker's outbox path */

/*
 * Usage: campaign_rate [--pool ID] [--sample N] VAR URL
 *
 *   VAR   a data directory made by `gen_candidates --mailable --audience`
 *         (its candidates, users, site key and VAR/gen_candidates.hdf);
 *   URL   the SMTP server (smtp://127.0.0.1:PORT);
 *   --pool ID     the audience pool (gen_candidates' "audience_pool"; 21)
 *   --sample N    mails first written to files for their size (20)
 *
 * Run from the top of the source tree (HEARTH_HOME: conf/hearth.hdf and
 * templates/ are read from there).
 *
 * What it does, all through the product's code, in this one process (so
 * that its resident memory is that of a worker that schedules campaign
 * steps and delivers their mail, which the daemon does in one process):
 *   1. gives each user a mail signature (the "signature" of their record,
 *      which the merge field owner_signature reads);
 *   2. creates a campaign (campaign_create) of an email, a wait of three
 *      days and a follow-up email; the first email (the one measured)
 *      uses the merge fields first_name, interests, city, owner_name,
 *      owner_signature and site_name, two conditional blocks and four
 *      links in its literal text (tracked: each becomes a signed redirect;
 *      the footer with the preference and unsubscribe links is the mail
 *      layout's); window all day, every day; and
 *      activates it;
 *   3. enrols the pool (campaign_enrol_pool: a wave) and runs the engine
 *      (campaign_run_due in batches of Campaign.Batch, as the worker does)
 *      until nothing is left to do: the wave expanded into enrolments and
 *      every person's email step queued as a campaign mail; timed, for
 *      information (not the target);
 *   4. delivers the first N of those mails with the file transport
 *      (Mail.SMTPUrl empty) and prints their mean size, for smtp_send;
 *   5. prints "ready M" (M mails left to deliver), then reads commands on
 *      stdin, one a line:
 *        deliver K   outbox_deliver_due in passes of OUTBOX_BATCH (a new
 *                    connection per pass, as the daemon) until K more
 *                    mails went out; prints "sent K in S seconds: R msg/s"
 *                    (smtp_send's format) and "cpu U us/mail"
 *      and at the end of the input checks that every campaign mail is
 *      recorded as sent, and prints the campaign's counters.
 *
 * The send-time checks (consent, suppression, frequency cap, the
 * address's state) all run; the throttle (Mail.RatePerSecond,
 * Mail.DomainRatePerSecond) is set to 1,000,000 so that it is not what
 * is measured, and the quiet hours are off (Campaign.QuietFrom =
 * QuietTo) so that every person's mail is due now, whatever their time
 * zone and the time of the run. Everything else is as shipped.
 *
 * Lines printed (for tests/bench/run):
 *   signatures U
 *   campaign ID
 *   enrol_pool N in S seconds (wave W)
 *   engine done D, mails C in S seconds: R mails/s, cpu U us/mail, passes P
 *                              (D: the sum of campaign_run_due's counts;
 *                              C: the campaign mails then in the queue)
 *   size bytes B lines L
 *   ready M
 *   sent K in S seconds: R msg/s / cpu U us/mail     per deliver command
 *   final sent X cancelled Y other Z
 *   stats JSON                 campaign_stats
 * Exits 1 when anything fails.
 */

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "crm/auth.h"
#include "crm/campaign.h"
#include "crm/community.h"
#include "crm/outbox.h"
#include "crm/setup.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "campaign_rate: %s: %s\n", what, he_strerror(rc));
	return 1;
}

static int
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

/* ---- signatures: what a recruiter sets on My account ---- */

struct sig_arg {
	uint64_t id;
	const char *text;
};

static int
sig_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct sig_arg *a = arg;
	unsigned char key[8];
	json_t *rec;
	int rc;

	store_u64_key(a->id, key);
	if ((rc = store_get_rec(st, txn, STORE_USER, key, sizeof key, 1, &rec)) !=
	    HE_OK)
		return rc;
	json_object_set_new(rec, "signature", json_string(a->text));
	rc = store_put_rec(st, txn, STORE_USER, key, sizeof key, rec, 0);
	json_decref(rec);
	return rc;
}

static int
signatures(struct store *st, uint64_t *admin)
{
	static const char *const roles[] = {
		"Senior Technical Recruiter", "Talent Partner, Engineering",
		"Recruiter, Data and Analytics", "Head of Talent",
	};
	struct auth_user_info *u;
	size_t n;
	char text[512];
	int rc;

	if ((rc = auth_user_list(st, &u, &n)) != HE_OK)
		return rc;
	*admin = n ? u[0].id : 0;
	for (size_t i = 0; rc == HE_OK && i < n; i++) {
		struct sig_arg a = { u[i].id, text };

		snprintf(text, sizeof text, "%s\n%s, Hearth\n+44 20 7946 %04zu\n"
		    "https://careers.example.com/team", u[i].name[0] ? u[i].name :
		    u[i].email, roles[i % 4], 100 + i);
		rc = store_txn(st, sig_txn, &a);
	}
	if (rc == HE_OK)
		printf("signatures %zu\n", n);
	free(u);
	return rc;
}

/* ---- the campaign ---- */

static const char subject[] =
    "{{first_name|Hello}}, three roles picked for you at {{site_name}}";

static const char body[] =
    "Hi {{first_name|there}},\n"
    "\n"
    "{{#if interests}}You told us you would like to hear about {{interests}}. "
    "These three roles opened this week and fit what you asked for:"
    "{{else}}These three roles opened this week:{{/if}}\n"
    "\n"
    "Senior Backend Engineer (remote, Europe): "
    "https://careers.example.com/jobs/1042?utm_source=nurture\n"
    "Data Platform Lead ({{city|remote}}): "
    "https://careers.example.com/jobs/1077?utm_source=nurture\n"
    "Product Designer, Growth: "
    "https://careers.example.com/jobs/1103?utm_source=nurture\n"
    "\n"
    "{{#if city}}We also meet people in {{city}} every month; the next dates "
    "are on https://careers.example.com/events?near=1.{{else}}Our next online "
    "open day is on https://careers.example.com/events.{{/if}}\n"
    "\n"
    "If one of them is for you, just reply to this mail: it comes straight "
    "to me, and I answer every one.\n"
    "\n"
    "{{#if owner_signature}}{{owner_signature}}{{else}}"
    "{{owner_name|The Hearth talent team}}{{/if}}\n";

/* The follow-up three days later: not reached in the run. */
static const char follow_subject[] = "{{first_name|Hello}}, still looking?";
static const char follow_body[] =
    "Hi {{first_name|there}},\n\nThe roles I sent are still open: "
    "https://careers.example.com/jobs\n\n{{owner_name|The Hearth talent team}}\n";

static int
make_campaign(struct store *st, uint64_t pool, uint64_t by, uint64_t *camp)
{
	json_t *c, *errors = NULL;
	int rc;

	c = json_pack("{s:s, s:s, s:[I], s:b, s:s, s:{s:i, s:i, s:b}, "
	    "s:[{s:s, s:[{s:s, s:s}]}, {s:s, s:i, s:i}, {s:s, s:[{s:s, s:s}]}]}",
	    "name", "Bench: roles of the week", "state", "draft",
	    "pools", (json_int_t)pool, "auto", 0, "goal", "replied",
	    "window", "from", 0, "to", 24, "weekdays", 0,
	    "steps", "type", "email", "variants", "subject", subject,
	    "body", body,
	    "type", "wait", "days", 3, "hours", 0,
	    "type", "email", "variants", "subject", follow_subject,
	    "body", follow_body);
	if (c == NULL)
		return HE_NOMEM;
	rc = campaign_create(st, c, by, camp, &errors);
	json_decref(c);
	if (rc != HE_OK) {
		char *e = errors ? json_dumps(errors, JSON_COMPACT) : NULL;

		fprintf(stderr, "campaign_rate: campaign_create: %s\n",
		    e ? e : "(no field errors)");
		free(e);
		json_decref(errors);
		return rc;
	}
	json_decref(errors);
	if ((rc = campaign_set_state(st, *camp, "active", by)) != HE_OK)
		return rc;
	printf("campaign %llu\n", (unsigned long long)*camp);
	return HE_OK;
}

/* ---- counting what is in the queue ---- */

struct tally {
	long campaign, sent, cancelled, other;
};

static int
count_mail(uint64_t id, json_t *mail, void *ctx)
{
	struct tally *t = ctx;
	const char *kind = json_string_value(json_object_get(mail, "kind"));
	const char *state = json_string_value(json_object_get(mail, "state"));

	(void)id;
	/* A campaign's mails name it; its test sends are not the run's. */
	if (json_object_get(mail, "camp") == NULL ||
	    (kind && strcmp(kind, "campaign_test") == 0))
		return HE_OK;
	t->campaign++;
	if (state && strcmp(state, "sent") == 0)
		t->sent++;
	else if (state && strcmp(state, "cancelled") == 0)
		t->cancelled++;
	else
		t->other++;
	return HE_OK;
}

static int
tally(struct store *st, struct tally *t)
{
	memset(t, 0, sizeof *t);
	return store_mail_newest(st, NULL, 0, (size_t)-1 / 2, count_mail, t);
}

/* The mean size and line count of the files the file transport wrote. */
static int
mean_size(const char *outbox, long count)
{
	DIR *d = opendir(outbox);
	struct dirent *e;
	long n = 0;
	double bytes = 0, lines = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		size_t len = strlen(e->d_name);
		FILE *f;
		int c;

		if (len < 4 || strcmp(e->d_name + len - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", outbox, e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while ((c = getc(f)) != EOF) {
			bytes++;
			lines += c == '\n';
		}
		fclose(f);
		n++;
	}
	closedir(d);
	if (n != count || n == 0)
		return -1;
	printf("size bytes %.0f lines %.0f\n", bytes / (double)n,
	    lines / (double)n);
	return 0;
}

/* Passes of the daemon's size until want more mails went out. */
static int
deliver(struct store *st, const struct outbox_cfg *cfg, long want, long *got)
{
	int rc;

	*got = 0;
	while (*got < want) {
		size_t sent, max = want - *got < OUTBOX_BATCH ?
		    (size_t)(want - *got) : OUTBOX_BATCH;

		if ((rc = outbox_deliver_due(st, cfg, max, &sent)) != HE_OK)
			return rc;
		if (sent == 0)
			return HE_NOTFOUND;	/* nothing more was due */
		*got += (long)sent;
	}
	return HE_OK;
}

/* The configuration: gen_candidates' (store, site key), and ours. */
static int
configure(const char *var, const char *url, HDF **conf, HDF **conf_file)
{
	char path[1024], text[4096];
	int rc;

	snprintf(path, sizeof path, "%s/outbox", var);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/resumes", var);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/gen_candidates.hdf", var);
	{
		FILE *f = fopen(path, "r");
		size_t n;

		if (f == NULL) {
			perror(path);
			return HE_IO;
		}
		n = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[n] = 0;
	}
	snprintf(text + strlen(text), sizeof text - strlen(text),
	    "Mail.OutboxDir = %s/outbox\nCommunity.ResumeDir = %s/resumes\n"
	    "Mail.RatePerSecond = 1000000\nMail.DomainRatePerSecond = 1000000\n"
	    "Campaign.QuietFrom = 0\nCampaign.QuietTo = 0\nLog.Level = warn\n"
	    "Mail.SMTPUrl = %s\n", var, var, url);
	snprintf(path, sizeof path, "%s/campaign_rate.hdf", var);
	if (write_text(path, text) != 0 || setenv("HEARTH_CONF", path, 1) != 0) {
		perror(path);
		return HE_IO;
	}
	if ((rc = conf_load(conf)) != HE_OK)
		return rc;
	/* The same, writing files: for the mails measured for their size. */
	if ((rc = conf_load(conf_file)) != HE_OK)
		return rc;
	return neo_consume(hdf_set_value(*conf_file, "Mail.SMTPUrl", ""),
	    "campaign_rate");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pool", required_argument, NULL, 'p' },
		{ "sample", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct outbox_cfg cfg, cfg_file;
	struct campaign_cfg ccfg;
	struct store *st;
	struct comm comm;
	struct tally t;
	HDF *conf, *conf_file;
	uint64_t pool = 21, admin, camp, wave;
	long sample = 20, left, batch;
	size_t enrolled, queued = 0, passes = 0;
	double t0, c0, secs, cpu;
	char line[256];
	int c, rc, more;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		long v = strtol(optarg, &end, 10);

		if (*end || v < 1)
			return 2;
		if (c == 'p')
			pool = (uint64_t)v;
		else if (c == 's')
			sample = v;
		else
			return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: campaign_rate [--pool ID] [--sample N] "
		    "VAR URL\n");
		return 2;
	}
	if ((rc = configure(argv[optind], argv[optind + 1], &conf, &conf_file)) !=
	    HE_OK)
		return fail("the configuration", rc);
	log_setup("campaign_rate", conf_str(conf, "Log.Level", "warn"), 0);
	if ((rc = crm_open(conf, &st)) != HE_OK)
		return fail("the store", rc);
	if (!st->durable) {
		fprintf(stderr, "campaign_rate: the store is not durable\n");
		return 1;
	}
	if ((rc = comm_setup(conf, st, &comm)) != HE_OK)
		return fail("the site key or the policy", rc);
	if ((rc = outbox_cfg_load(conf, &comm, &cfg)) != HE_OK ||
	    (rc = outbox_cfg_load(conf_file, &comm, &cfg_file)) != HE_OK)
		return fail("the outbox configuration", rc);
	if ((rc = campaign_cfg_load(conf, &ccfg)) != HE_OK)
		return fail("the campaign configuration", rc);
	batch = conf_int(conf, "Campaign.Batch", 200);

	if ((rc = signatures(st, &admin)) != HE_OK)
		return fail("the signatures", rc);
	if ((rc = make_campaign(st, pool, admin, &camp)) != HE_OK)
		return fail("the campaign", rc);
	fflush(stdout);

	t0 = now();
	if ((rc = campaign_enrol_pool(st, camp, pool, admin, &wave, &enrolled)) !=
	    HE_OK)
		return fail("campaign_enrol_pool", rc);
	printf("enrol_pool %zu in %.3f seconds (wave %llu)\n", enrolled,
	    now() - t0, (unsigned long long)wave);
	fflush(stdout);

	/* The engine, as the worker runs it: until a call finds nothing. */
	t0 = now();
	c0 = cpu_seconds();
	do {
		size_t done = 0;

		more = 0;
		if ((rc = campaign_run_due(st, &ccfg, (size_t)batch, &done,
		    &more)) != HE_OK)
			return fail("campaign_run_due", rc);
		queued += done;
		passes++;
		if (done == 0 && !more)
			break;
	} while (1);
	secs = now() - t0;
	cpu = cpu_seconds() - c0;
	if ((rc = tally(st, &t)) != HE_OK)
		return fail("reading the queue", rc);
	printf("engine done %zu, mails %ld in %.3f seconds: %.0f mails/s, cpu %.0f "
	    "us/mail, passes %zu\n", queued, t.campaign, secs, secs > 0 ?
	    (double)t.campaign / secs : 0.0, t.campaign ? 1e6 * cpu /
	    (double)t.campaign : 0.0, passes);
	fflush(stdout);
	if (t.campaign <= sample) {
		fprintf(stderr, "campaign_rate: only %ld campaign mails queued\n",
		    t.campaign);
		return 1;
	}

	/* Their size, from real ones written to files (not counted after). */
	{
		long got;

		if ((rc = deliver(st, &cfg_file, sample, &got)) != HE_OK)
			return fail("the mails written to files", rc);
		if (mean_size(cfg_file.transport.outbox_dir, sample) != 0) {
			fprintf(stderr, "campaign_rate: the outbox does not hold "
			    "%ld mails\n", sample);
			return 1;
		}
	}
	left = t.campaign - sample;
	printf("ready %ld\n", left);
	fflush(stdout);

	while (fgets(line, sizeof line, stdin) != NULL) {
		long want, got;
		char *end;

		if (strncmp(line, "deliver ", 8) != 0 ||
		    (want = strtol(line + 8, &end, 10)) < 1 ||
		    (*end != '\n' && *end != 0)) {
			fprintf(stderr, "campaign_rate: unknown command %s", line);
			return 2;
		}
		if (want > left) {
			fprintf(stderr, "campaign_rate: %ld asked, %ld left\n",
			    want, left);
			return 1;
		}
		t0 = now();
		c0 = cpu_seconds();
		rc = deliver(st, &cfg, want, &got);
		secs = now() - t0;
		if (rc != HE_OK) {
			fprintf(stderr, "campaign_rate: delivery stopped after %ld "
			    "of %ld: %s\n", got, want, he_strerror(rc));
			return 1;
		}
		left -= got;
		printf("sent %ld in %.3f seconds: %.1f msg/s\ncpu %.0f us/mail\n",
		    got, secs, secs > 0 ? (double)got / secs : 0.0,
		    1e6 * (cpu_seconds() - c0) / (double)got);
		fflush(stdout);
	}

	/* Delivered is not enough: every mail must be recorded as sent. */
	if ((rc = tally(st, &t)) != HE_OK)
		return fail("reading the queue", rc);
	printf("final sent %ld cancelled %ld other %ld\n", t.sent, t.cancelled,
	    t.other);
	{
		json_t *stats = NULL;
		char *s;

		if ((rc = campaign_stats(st, camp, &stats)) != HE_OK)
			return fail("campaign_stats", rc);
		s = json_dumps(stats, JSON_COMPACT | JSON_SORT_KEYS);
		printf("stats %s\n", s ? s : "{}");
		free(s);
		json_decref(stats);
	}
	outbox_cfg_free(&cfg);
	outbox_cfg_free(&cfg_file);
	comm_cleanup(&comm);
	store_close(st);
	hdf_destroy(&conf);
	hdf_destroy(&conf_file);
	return t.other == 0 && t.cancelled == 0 ? 0 : 1;
}
