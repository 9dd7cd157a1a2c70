/* cmd_worker.c: hearthctl worker, the one background daemon */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bin/hearthctl/hearthctl.h"
#include "crm/bulk.h"
#include "crm/campaign.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/cvindex.h"
#include "crm/fresh.h"
#include "crm/inbound.h"
#include "crm/job.h"
#include "crm/match.h"
#include "crm/merge.h"
#include "crm/outbox.h"
#include "crm/pool.h"
#include "crm/role.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/supervise.h"

#define CHECKPOINT_EVERY 60	/* seconds */
#define MERGE_PURGE_EVERY 3600	/* seconds */
/* Time given to background jobs per pass: mail due meanwhile waits at
 * most this long (and one step) behind a large import. */
#define JOBS_BUDGET_US 500000

/* Office.MergeUndoDays, and when the merges were last looked at. */
static int merge_undo_days = 30;
static time_t last_merge_purge;

/* Inbound.*: the bounce mailbox, polled every PollSeconds when set. */
static struct inbound_cfg inbound;
static int inbound_on;
static time_t last_inbound;

static volatile sig_atomic_t stopping;
static struct campaign_cfg campaign_cfg;	/* Campaign.* */
#define CAMPAIGN_BATCH 200	/* people whose due steps run per pass */
static int stale_months = FRESH_STALE_MONTHS;	/* Office.StaleMonths */

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static int
scrubbed_txn(struct store *st, DB_TXN *txn, void *arg)
{
	return store_setting_add(st, txn, COMM_SETTING_SCRUB, -*(int64_t *)arg);
}

/* After an erasure the logs still hold what was erased: make them forget. */
static int
scrub_if_due(struct store *st)
{
	int64_t due;
	int rc;

	if ((rc = store_setting_get(st, NULL, COMM_SETTING_SCRUB, &due)) != HE_OK ||
	    due == 0)
		return rc;
	if ((rc = store_scrub_logs(st)) != HE_OK)
		return rc;
	log_info("erased data scrubbed from the logs");
	/* Less what was scrubbed: an erasure meanwhile keeps it due. */
	return store_txn(st, scrubbed_txn, &due);
}

/* Opens the store and what the mail links need; 0 on success. */
static int
ctl_open_comm(HDF *conf, struct store **st, struct comm *comm)
{
	int rc;

	if (ctl_open(conf, st) != 0)
		return -1;
	if ((rc = comm_setup(conf, *st, comm)) != HE_OK) {
		log_error("worker: cannot read the site key or the policy: %s",
		    he_strerror(rc));
		store_close(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

/* The words of a few new CVs into the search index (read outside the web
 * requests: parsing a PDF is untrusted work). */
static int
cv_words(struct store *st, const struct outbox_cfg *cfg, int *more)
{
	struct cvindex_stats cs = { 0 };
	int rc, cv_more = 0;

	rc = cvindex_step(st, cfg->comm->resume_dir, CVINDEX_BATCH, &cs,
	    &cv_more);
	if (rc == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("CV text: %s", he_strerror(rc));
	if (cs.indexed || cs.empty || cs.unreadable)
		log_info("CV text: %zu read, %zu without text, %zu unreadable",
		    cs.indexed, cs.empty, cs.unreadable);
	*more |= cv_more;
	return HE_OK;
}

/* Bounces and replies from the mailbox, when its time has come. */
static int
poll_inbound(struct store *st, time_t now)
{
	struct inbound_stats s = { 0 };
	int rc;

	if (!inbound_on || (last_inbound && now - last_inbound < inbound.poll_seconds))
		return HE_OK;
	last_inbound = now;
	if ((rc = inbound_poll(st, &inbound, &s)) == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("inbound mail: %s", he_strerror(rc));
	if (s.read)
		log_info("inbound mail: %zu read: %zu hard and %zu soft bounce(s), "
		    "%zu reply(ies), %zu not ours, %zu unmatched, %zu unreadable",
		    s.read, s.hard, s.soft, s.replies, s.other, s.unmatched,
		    s.unreadable);
	return HE_OK;
}

/* One pass: due mail, then housekeeping when its time has come.
 * Returns HE_PANIC when the environment needs recovery. */
static int
pass(struct store *st, const struct outbox_cfg *cfg, time_t *last_ckp,
    int *more)
{
	time_t now = time(NULL);
	size_t sent, expired, stepped = 0;
	struct fresh_stats fs = { 0 };
	int rc, built, fresh = 0, stepmore = 0;

	/* Due campaign steps first: the mails they queue go out below. */
	rc = campaign_run_due(st, &campaign_cfg, CAMPAIGN_BATCH, &stepped, &stepmore);
	if (rc == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("campaigns: %s", he_strerror(rc));
	if (stepped)
		log_info("campaigns: %zu person(s) moved on", stepped);
	/* Once a day, the role owners' digests of new matches: queued here,
	 * delivered below. */
	{
		size_t digests = 0;

		if ((rc = role_digest_run(st, &digests)) == HE_PANIC)
			return rc;
		if (rc != HE_OK)
			log_warn("match digests: %s", he_strerror(rc));
		if (digests)
			log_info("match digests: %zu queued", digests);
	}
	rc = outbox_deliver_due(st, cfg, OUTBOX_BATCH, &sent);
	if (rc == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("outbox: %s", he_strerror(rc));
	if (sent)
		log_info("delivered %zu mail(s)", sent);
	*more = sent == OUTBOX_BATCH;	/* a full batch: more may be due at once */
	*more |= stepmore;
	if ((rc = poll_inbound(st, now)) == HE_PANIC)
		return rc;
	/* New dynamic pools fill in steps between mail batches. */
	if ((rc = pool_build_some(st, POOL_BUILD_MAX, &built)) == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("pool build: %s", he_strerror(rc));
	*more = *more || built;
	rc = comm_expire_pending(cfg->comm, clock_now_us(), OUTBOX_BATCH, &expired);
	if (rc == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("expiry: %s", he_strerror(rc));
	if (expired)
		log_info("%zu unconfirmed signup(s) expired", expired);
	if ((rc = fresh_step(st, stale_months, FRESH_BATCH, &fs, &fresh)) == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("freshness pass: %s", he_strerror(rc));
	if (fs.flagged || fs.cleared || fs.levels)
		log_info("freshness: %zu now stale, %zu no longer, %zu new levels",
		    fs.flagged, fs.cleared, fs.levels);
	*more |= fresh;
	if ((rc = cv_words(st, cfg, more)) == HE_PANIC)
		return rc;
	if ((rc = scrub_if_due(st)) == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("scrub: %s", he_strerror(rc));
	if (now - last_merge_purge >= MERGE_PURGE_EVERY) {
		size_t purged = 0;

		last_merge_purge = now;
		if ((rc = merge_purge(st, merge_undo_days, &purged)) == HE_PANIC)
			return rc;
		if (rc != HE_OK || purged)
			log_info("merge undo data past %d days: %zu removed%s%s",
			    merge_undo_days, purged, rc ? ": " : "",
			    rc ? he_strerror(rc) : "");
	}
	if (now - *last_ckp >= CHECKPOINT_EVERY) {
		*last_ckp = now;
		if ((rc = store_checkpoint(st)) == HE_PANIC)
			return rc;
		if (rc != HE_OK)
			log_warn("checkpoint: %s", he_strerror(rc));
	}
	return HE_OK;
}

/* Steps of open jobs, one after another, for up to JOBS_BUDGET_US; *more
 * is set when one ran (there may be more to do at once). */
static int
jobs(struct store *st, HDF *conf, int *more)
{
	static int64_t last_sweep;
	int64_t deadline = clock_now_us() + JOBS_BUDGET_US;
	size_t removed;
	int ran, rc;

	/* Exports kept past Office.ExportKeepHours, files of finished jobs. */
	if (clock_now() - last_sweep >= CHECKPOINT_EVERY) {
		last_sweep = clock_now();
		if ((rc = bulk_sweep(st, conf, last_sweep, &removed)) == HE_PANIC)
			return rc;
		if (rc != HE_OK)
			log_warn("job files: %s", he_strerror(rc));
		if (removed)
			log_info("%zu file(s) of finished jobs removed", removed);
	}

	do {
		if ((rc = job_step_any(st, conf, deadline, &ran)) == HE_PANIC)
			return rc;
		if (rc != HE_OK) {
			log_warn("jobs: %s", he_strerror(rc));
			return HE_OK;
		}
		if (ran)
			*more = 1;
	} while (ran && clock_now_us() < deadline);
	return HE_OK;
}

/* Match records made with another synonym table are rebuilt a share per
 * pass (the supervisor kills a pass that runs too long); *more is set
 * while there is more to rebuild. */
#define MATCH_REBUILD_BUDGET_MS 1000

static int
match_pass(struct store *st, int *more)
{
	size_t done;
	int rc = match_rebuild_due(st, MATCH_REBUILD_BUDGET_MS, &done);

	if (rc == HE_PANIC)
		return rc;
	if (rc != HE_OK)
		log_warn("match records: %s", he_strerror(rc));
	if (done)
		*more = 1;
	return HE_OK;
}

struct daemon {
	HDF *conf;
	int once;
	int status;
};

/* The daemon's loop: one pass a second, each marked busy for the supervisor,
 * reopening the environment when it needs recovery. */
static void
daemon_run(void *arg)
{
	struct daemon *d = arg;
	struct outbox_cfg cfg;
	struct comm comm;
	struct store *st = NULL;
	time_t last_ckp = 0;
	int rc = HE_OK, more = 0;

	stale_months = (int)conf_int(d->conf, "Office.StaleMonths",
	    FRESH_STALE_MONTHS);
	campaign_cfg_load(d->conf, &campaign_cfg);
	signal(SIGTERM, on_stop);
	signal(SIGINT, d->once ? on_stop : SIG_IGN);	/* Ctrl-C: the supervisor's */
	if (outbox_cfg_load(d->conf, &comm, &cfg) != HE_OK) {
		log_error("worker: out of memory");
		d->status = 1;
		if (!d->once)
			_exit(d->status);
		return;
	}
	log_info("worker started; mail goes to %s", cfg.transport.smtp_url ?
	    cfg.transport.smtp_url : cfg.transport.outbox_dir);
	while (!stopping) {
		struct timespec pause = { 1, 0 };

		sv_busy();
		if (st == NULL && ctl_open_comm(d->conf, &st, &comm) != 0) {
			rc = HE_IO;
			sv_idle();
			if (d->once)
				break;
			nanosleep(&pause, NULL);
			continue;
		}
		rc = pass(st, &cfg, &last_ckp, &more);
		if (rc == HE_OK)
			rc = jobs(st, d->conf, &more);
		if (rc == HE_OK)
			rc = match_pass(st, &more);
		sv_idle();
		if (rc == HE_PANIC) {
			log_warn("the database needs recovery; reopening");
			comm_cleanup(&comm);
			store_close(st);
			st = NULL;
			continue;
		}
		if (d->once)
			break;
		if (!more)
			nanosleep(&pause, NULL);
	}
	if (st) {
		comm_cleanup(&comm);
		store_close(st);
	}
	outbox_cfg_free(&cfg);
	d->status = rc == HE_OK ? 0 : 1;
	if (!d->once)
		_exit(d->status);
}

int
cmd_worker(HDF *conf, int argc, char **argv)
{
	struct daemon d = { conf, argc == 2 && strcmp(argv[1], "--once") == 0, 0 };
	int rc;

	if (argc > 2 || (argc == 2 && !d.once)) {
		fprintf(stderr, "usage: hearthctl worker [--once]\n");
		return 2;
	}
	merge_undo_days = (int)conf_int(conf, "Office.MergeUndoDays", 30);
	if ((rc = inbound_cfg_load(conf, &inbound)) == HE_NOMEM)
		return 1;
	inbound_on = rc == HE_OK;
	if (d.once) {
		daemon_run(&d);
		inbound_cfg_free(&inbound);
		return d.status;
	}
	/* Supervised like the web workers: a pass that hangs (a lock left by a
	 * killed process) is killed and started again. SMTP calls time out well
	 * within the limit. */
	return sv_run(1, daemon_run, &d,
	    (int)conf_int(conf, "Worker.StuckSeconds", 90), "daemon") == 0 ? 0 : 1;
}
