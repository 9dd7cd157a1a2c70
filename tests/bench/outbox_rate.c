/* outbox_rate.c: the worker's delivery rate for `make bench`, on the real outbox path */

/*
 * Usage: outbox_rate URL COUNT    deliver COUNT queued mails to smtp://...
 *        outbox_rate --size COUNT print the mean size of COUNT real mails
 *
 * Run from the top of the source tree (it is HEARTH_HOME: conf/hearth.hdf,
 * templates/ and htdocs/static/privacy.html are read from there).
 *
 * Builds a fresh data directory as `hearthctl init` would (a durable store,
 * a site key), lets COUNT people join the talent community with comm_join,
 * exactly as POST /join does, which queues one confirmation mail each, and
 * only then starts the clock: outbox_deliver_due() in passes of
 * OUTBOX_BATCH, as the worker daemon calls it, until every mail went out.
 * The configuration is the daemon's own (outbox_cfg_load over the shipped
 * hearth.hdf), so claim, templates, signed links, MIME, SMTP and settle are
 * the code and settings that run in production.
 *
 * Why not time `hearthctl worker` itself: its rate would include starting
 * the process, opening (and recovering) the environment and the one-second
 * pause after a pass that is not full, none of which is per mail; and it
 * can only be watched from outside (its log, or the server), which costs
 * resolution. What the daemon does per pass besides delivery (expiring
 * unconfirmed signups, checking for a scrub, a checkpoint a minute) is one
 * small transaction per OUTBOX_BATCH mails; it is left out here.
 *
 * Prints, on success:
 *   queued N in S seconds          (the signups, for information)
 *   sent N in S seconds: R msg/s   (the measurement, smtp_send's format)
 *   cpu U us/mail                  (this process's user+system CPU per mail)
 * and with --size: "bytes B lines L", the mean size of the formatted
 * messages, written by the file transport (Mail.SMTPUrl empty) instead of
 * sent.
 * Exits 1 when anything fails, or when a mail is not recorded as sent.
 */

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "crm/community.h"
#include "crm/outbox.h"
#include "crm/setup.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"

static char dir[] = "/tmp/hearth-outbox-rate.XXXXXX";

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
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
cleanup(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "outbox_rate: %s: %s\n", what, he_strerror(rc));
	return 1;
}

/* What `hearthctl init` makes and hearth-run adds: a site key and a local
 * configuration naming this directory. */
static int
make_site(const char *url)
{
	unsigned char key[32];
	char hex[65], path[512];
	FILE *f;

	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	snprintf(path, sizeof path, "%s/secret", dir);
	if ((f = fopen(path, "w")) == NULL || fprintf(f, "%s\n", hex) < 0 ||
	    fclose(f) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/local.hdf", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "Db.Home = %s/db\nDb.Durable = 1\n"
	    "Site.SecretFile = %s/secret\n"
	    "Mail.OutboxDir = %s/outbox\nCommunity.ResumeDir = %s/resumes\n"
	    "Mail.SMTPUrl = %s\nLog.Level = warn\n"
	    /* The delivery rate itself is measured: no throttle. */
	    "Mail.RatePerSecond = 0\nMail.DomainRatePerSecond = 0\n",
	    dir, dir, dir, dir, url);
	if (fclose(f) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/outbox", dir);
	if (mkdir(path, 0700) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/resumes", dir);
	if (mkdir(path, 0700) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/local.hdf", dir);
	return setenv("HEARTH_CONF", path, 1);
}

/* One signup as the join form sends it; the address is what differs. */
static int
join(const struct comm *c, long i)
{
	json_t *interests = json_pack("[s, s]", "engineering", "data");
	json_t *skills = json_pack("[s, s, s]", "c", "postgresql", "kubernetes");
	char email[64];
	struct comm_signup in = {
		.email = email, .first_name = "Ada", .last_name = "Lovelace",
		.phone = "", .city = "Lisbon", .country = "Portugal", .remote = 1,
		.interests = interests, .seniority = "senior", .skills = skills,
		.url = "", .source = "", .resume = NULL, .ip = "192.0.2.1",
		.user_agent = "Mozilla/5.0 (outbox_rate)",
	};
	int rc;

	snprintf(email, sizeof email, "ada.lovelace.%06ld@example.com", i);
	rc = interests && skills ? comm_join(c, &in) : HE_NOMEM;
	json_decref(interests);
	json_decref(skills);
	return rc;
}

struct tally {
	long sent, other;
};

static int
count_state(uint64_t id, json_t *mail, void *ctx)
{
	struct tally *t = ctx;
	const char *state = json_string_value(json_object_get(mail, "state"));

	(void)id;
	if (state && strcmp(state, "sent") == 0)
		t->sent++;
	else
		t->other++;
	return HE_OK;
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
	if (n != count)
		return -1;
	printf("bytes %.0f lines %.0f\n", bytes / (double)n, lines / (double)n);
	return 0;
}

int
main(int argc, char **argv)
{
	struct outbox_cfg cfg;
	struct store *st;
	struct tally t = { 0, 0 };
	struct comm comm;
	int size_only, rc;
	long count, total = 0;
	double t0, secs, cpu0;
	HDF *conf;
	char *end;

	if (argc != 3) {
		fprintf(stderr, "usage: outbox_rate URL COUNT | outbox_rate --size COUNT\n");
		return 2;
	}
	size_only = strcmp(argv[1], "--size") == 0;
	count = strtol(argv[2], &end, 10);
	if (*end != '\0' || count < 1 || count > 1000000) {
		fprintf(stderr, "outbox_rate: COUNT must be 1..1000000\n");
		return 2;
	}
	if (sodium_init() < 0 || mkdtemp(dir) == NULL) {
		fprintf(stderr, "outbox_rate: cannot start\n");
		return 1;
	}
	atexit(cleanup);
	if (make_site(size_only ? "" : argv[1]) != 0) {
		perror("outbox_rate: the data directory");
		return 1;
	}
	if ((rc = conf_load(&conf)) != HE_OK)
		return fail("the configuration", rc);
	log_setup("outbox_rate", conf_str(conf, "Log.Level", "warn"), 0);
	if ((rc = crm_open(conf, &st)) != HE_OK)
		return fail("the store", rc);
	if (!st->durable) {
		fprintf(stderr, "outbox_rate: the store is not durable\n");
		return 1;
	}
	if ((rc = comm_setup(conf, st, &comm)) != HE_OK)
		return fail("the site key or the policy", rc);
	if ((rc = outbox_cfg_load(conf, &comm, &cfg)) != HE_OK)
		return fail("the outbox configuration", rc);

	t0 = now();
	for (long i = 0; i < count; i++)
		if ((rc = join(&comm, i)) != HE_OK)
			return fail("a signup", rc);
	printf("queued %ld in %.3f seconds\n", count, now() - t0);
	fflush(stdout);		/* the caller starts its own clocks on this line */

	t0 = now();
	cpu0 = cpu_seconds();
	while (total < count) {
		size_t sent;

		if ((rc = outbox_deliver_due(st, &cfg, OUTBOX_BATCH, &sent)) != HE_OK)
			return fail("delivery", rc);
		if (sent == 0) {
			fprintf(stderr, "outbox_rate: a pass delivered nothing after "
			    "%ld of %ld\n", total, count);
			return 1;
		}
		total += (long)sent;
	}
	secs = now() - t0;
	if (!size_only)
		printf("sent %ld in %.3f seconds: %.1f msg/s\ncpu %.0f us/mail\n",
		    total, secs, secs > 0 ? total / secs : 0.0,
		    1e6 * (cpu_seconds() - cpu0) / (double)total);

	/* Delivered is not enough: every mail must be recorded as sent. */
	if ((rc = store_mail_newest(st, NULL, 0, (size_t)count * 2, count_state,
	    &t)) != HE_OK)
		return fail("reading the queue", rc);
	if (t.sent != count || t.other != 0) {
		fprintf(stderr, "outbox_rate: %ld mails recorded as sent, %ld "
		    "otherwise, of %ld\n", t.sent, t.other, count);
		return 1;
	}
	if (size_only && mean_size(cfg.transport.outbox_dir, count) != 0) {
		fprintf(stderr, "outbox_rate: the outbox does not hold %ld mails\n",
		    count);
		return 1;
	}
	outbox_cfg_free(&cfg);
	comm_cleanup(&comm);
	store_close(st);
	hdf_destroy(&conf);
	return 0;
}
