/* campaign_schedule.c: scheduling a campaign step for a pool of a million, for `make bench` */

/*
 * Usage: campaign_schedule [--pool ID] [--expand-seconds S] VAR
 *
 *   VAR   a data directory made by `gen_candidates --audience` (its
 *         VAR/gen_candidates.hdf names the store, the cache and the key);
 *   --pool ID            the pool (gen_candidates' "audience_pool"; 21)
 *   --expand-seconds S   at most this long for the worker's expansion of
 *                        the wave (1800; it stops earlier when the wave is
 *                        done)
 *
 * Run from the top of the source tree (HEARTH_HOME).
 *
 * The target (issue 5): "scheduling a step for a 1,000,000-member pool at
 * most 10 s". What is timed is campaign_enrol_pool, what the back office
 * calls when someone enrols a pool in a campaign: it records a wave of
 * every member (the scheduling), which the worker then expands into
 * per-person enrolments in resumable steps. The campaign is a wait of two
 * days then an email, so that the expansion is measured on its own (no
 * mail is due during it); window all day, every day.
 *
 * Then, for information, the worker's expansion: campaign_run_due in
 * batches of Campaign.Batch, as the daemon calls it, until the wave is
 * done (campaign_wave_progress) or S seconds have passed, timed.
 *
 * Each run makes a new campaign and leaves it active: the data gains
 * this run's enrolments, all due two days later, so a later run on the
 * same data finds nothing of this one's to do. Whatever the engine finds
 * due when this starts (a run stopped midway) is run first, untimed
 * ("drained"), so that the timed expansion is this wave's alone.
 *
 * Lines printed:
 *   pool ID members N (pool_get) in S seconds
 *   campaign ID
 *   enrol_pool N in S seconds: wave W, cpu C seconds
 *   drained D in S seconds
 *   expanded D of T in S seconds: R per second, passes P, cpu U us/person
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "crm/auth.h"
#include "crm/campaign.h"
#include "crm/pool.h"
#include "crm/setup.h"
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
	fprintf(stderr, "campaign_schedule: %s: %s\n", what, he_strerror(rc));
	return 1;
}

static int
make_campaign(struct store *st, uint64_t pool, uint64_t by, uint64_t *camp)
{
	json_t *c, *errors = NULL;
	int rc;

	c = json_pack("{s:s, s:s, s:[I], s:b, s:s, s:{s:i, s:i, s:b}, "
	    "s:[{s:s, s:i, s:i}, {s:s, s:[{s:s, s:s}]}]}",
	    "name", "Bench: a million, welcome after two days", "state", "draft",
	    "pools", (json_int_t)pool, "auto", 0, "goal", "replied",
	    "window", "from", 0, "to", 24, "weekdays", 0,
	    "steps", "type", "wait", "days", 2, "hours", 0,
	    "type", "email", "variants",
	    "subject", "{{first_name|Hello}}, roles for you at {{site_name}}",
	    "body", "Hi {{first_name|there}},\n\n{{#if interests}}New roles in "
	    "{{interests}}: {{else}}New roles: {{/if}}"
	    "https://careers.example.com/jobs\n\n{{owner_signature|The Hearth talent team}}\n");
	if (c == NULL)
		return HE_NOMEM;
	rc = campaign_create(st, c, by, camp, &errors);
	json_decref(c);
	if (rc != HE_OK) {
		char *e = errors ? json_dumps(errors, JSON_COMPACT) : NULL;

		fprintf(stderr, "campaign_schedule: campaign_create: %s\n",
		    e ? e : "(no field errors)");
		free(e);
	}
	json_decref(errors);
	if (rc == HE_OK)
		rc = campaign_set_state(st, *camp, "active", by);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pool", required_argument, NULL, 'p' },
		{ "expand-seconds", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct campaign_cfg ccfg;
	struct auth_user_info admin;
	struct store *st;
	HDF *conf;
	json_t *p;
	uint64_t pool = 21, members, camp, wave;
	long expand = 1800, batch;
	size_t n, done = 0, total = 0, passes = 0;
	double t0, c0, secs, cpu;
	char path[1024];
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		long v = strtol(optarg, &end, 10);

		if (*end || v < 0)
			return 2;
		if (c == 'p')
			pool = (uint64_t)v;
		else if (c == 'e')
			expand = v;
		else
			return 2;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "usage: campaign_schedule [--pool ID] "
		    "[--expand-seconds S] VAR\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/gen_candidates.hdf", argv[optind]);
	if (setenv("HEARTH_CONF", path, 1) != 0)
		return 1;
	if ((rc = conf_load(&conf)) != HE_OK)
		return fail("the configuration", rc);
	/* Every person due at once, whatever their time zone and the hour. */
	if ((rc = neo_consume(hdf_set_value(conf, "Campaign.QuietFrom", "0"),
	    "campaign_schedule")) != HE_OK ||
	    (rc = neo_consume(hdf_set_value(conf, "Campaign.QuietTo", "0"),
	    "campaign_schedule")) != HE_OK)
		return fail("the configuration", rc);
	log_setup("campaign_schedule", conf_str(conf, "Log.Level", "warn"), 0);
	if ((rc = crm_open(conf, &st)) != HE_OK)
		return fail("the store", rc);
	if ((rc = campaign_cfg_load(conf, &ccfg)) != HE_OK)
		return fail("the campaign configuration", rc);
	batch = conf_int(conf, "Campaign.Batch", 200);
	if ((rc = auth_user_find(st, "admin@hearth.localhost", &admin)) != HE_OK)
		return fail("gen_candidates' admin", rc);

	/* What an earlier run left due, if anything. */
	t0 = now();
	for (;;) {
		size_t did = 0;
		int more = 0;

		if ((rc = campaign_run_due(st, &ccfg, (size_t)batch, &did,
		    &more)) != HE_OK)
			return fail("campaign_run_due (draining)", rc);
		done += did;
		if (did == 0 && !more)
			break;
	}
	printf("drained %zu in %.3f seconds\n", done, now() - t0);
	done = 0;
	fflush(stdout);

	t0 = now();
	if ((rc = pool_get(st, pool, &p, &members)) != HE_OK)
		return fail("the pool", rc);
	printf("pool %llu members %llu (pool_get) in %.3f seconds\n",
	    (unsigned long long)pool, (unsigned long long)members, now() - t0);
	json_decref(p);
	if ((rc = make_campaign(st, pool, admin.id, &camp)) != HE_OK)
		return fail("the campaign", rc);
	printf("campaign %llu\n", (unsigned long long)camp);
	fflush(stdout);

	t0 = now();
	c0 = cpu_seconds();
	if ((rc = campaign_enrol_pool(st, camp, pool, admin.id, &wave, &n)) !=
	    HE_OK)
		return fail("campaign_enrol_pool", rc);
	secs = now() - t0;
	printf("enrol_pool %zu in %.3f seconds: wave %llu, cpu %.3f seconds\n", n,
	    secs, (unsigned long long)wave, cpu_seconds() - c0);
	fflush(stdout);

	/* The worker expands it. */
	t0 = now();
	c0 = cpu_seconds();
	while (now() - t0 < (double)expand) {
		size_t did = 0;
		int more = 0;

		if ((rc = campaign_run_due(st, &ccfg, (size_t)batch, &did,
		    &more)) != HE_OK)
			return fail("campaign_run_due", rc);
		passes++;
		if ((rc = campaign_wave_progress(st, wave, &done, &total)) != HE_OK)
			return fail("campaign_wave_progress", rc);
		if (done >= total || (did == 0 && !more))
			break;
	}
	secs = now() - t0;
	cpu = cpu_seconds() - c0;
	printf("expanded %zu of %zu in %.3f seconds: %.0f per second, passes %zu, "
	    "cpu %.0f us/person\n", done, total, secs,
	    secs > 0 ? (double)done / secs : 0.0, passes,
	    done ? 1e6 * cpu / (double)done : 0.0);
	store_close(st);
	hdf_destroy(&conf);
	return 0;
}
