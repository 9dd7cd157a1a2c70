/* env.c: opening the shared Berkeley DB environment and its databases */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/audit.h"
#include "store/campaign.h"
#include "store/entities.h"
#include "store/job.h"
#include "store/role.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

#define STORE_LOCK_TIMEOUT_US 2000000	/* a stuck lock becomes a retry, not a hang */

const struct store_dbdef store_dbdefs[STORE__MAX] = {
	[STORE_SEQ] = { "sequences.db", DB_BTREE, 0, -1, NULL },
	[STORE_CAND] = { "candidates.db", DB_BTREE, 0, -1, NULL },
	[STORE_CAND_EMAIL] = { "candidates_email.db", DB_BTREE, 0, STORE_CAND,
	    store_cand_email_key },
	[STORE_CAND_JOINED] = { "candidates_joined.db", DB_BTREE,
	    DB_DUP | DB_DUPSORT, STORE_CAND, store_cand_joined_key },
	[STORE_CAND_SKILL] = { "candidates_skill.db", DB_BTREE,
	    DB_DUP | DB_DUPSORT, STORE_CAND, store_cand_skill_key },
	[STORE_CAND_PENDING] = { "candidates_pending.db", DB_BTREE,
	    DB_DUP | DB_DUPSORT, STORE_CAND, store_cand_pending_key },
	[STORE_CONSENT] = { "consent.db", DB_BTREE, 0, -1, NULL },
	[STORE_USER] = { "users.db", DB_BTREE, 0, -1, NULL },
	[STORE_USER_EMAIL] = { "users_email.db", DB_BTREE, 0, STORE_USER,
	    store_user_email_key },
	[STORE_SESSION] = { "sessions.db", DB_BTREE, 0, -1, NULL },
	[STORE_MAILQ] = { "mailq.db", DB_BTREE, 0, -1, NULL },
	[STORE_MAILQ_DUE] = { "mailq_due.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_MAILQ, store_mail_due_key },
	[STORE_MAILQ_CAND] = { "mailq_cand.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_MAILQ, store_mail_cand_key },
	[STORE_SUPPRESS] = { "suppressed.db", DB_BTREE, 0, -1, NULL },
	[STORE_SETTING] = { "settings.db", DB_BTREE, 0, -1, NULL },
	[STORE_POST] = { "postings.db", DB_BTREE, 0, -1, NULL },
	[STORE_TOUCH] = { "touchpoints.db", DB_BTREE, 0, -1, NULL },
	[STORE_POOL] = { "pools.db", DB_BTREE, 0, -1, NULL },
	[STORE_AUDIT] = { "audit.db", DB_BTREE, 0, -1, NULL },
	[STORE_AUDIT_CAND] = { "audit_cand.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_AUDIT, store_audit_cand_key },
	[STORE_JOB] = { "jobs.db", DB_BTREE, 0, -1, NULL },
	[STORE_JOB_OPEN] = { "jobs_open.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_JOB, store_job_open_key },
	[STORE_LAYOUT] = { "import_layouts.db", DB_BTREE, 0, -1, NULL },
	[STORE_MERGE] = { "merges.db", DB_BTREE, 0, -1, NULL },
	[STORE_DUPE] = { "duplicates.db", DB_BTREE, 0, -1, NULL },
	[STORE_CAMPAIGN] = { "campaigns.db", DB_BTREE, 0, -1, NULL },
	[STORE_ENROL] = { "enrolments.db", DB_BTREE, 0, -1, NULL },
	[STORE_ENROL_DUE] = { "enrolments_due.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_ENROL, store_enrol_due_key },
	[STORE_ENROL_CAND] = { "enrolments_cand.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_ENROL, store_enrol_cand_key },
	[STORE_WAVE] = { "waves.db", DB_BTREE, 0, -1, NULL },
	[STORE_CAMP_STAT] = { "campaign_stats.db", DB_BTREE, 0, -1, NULL },
	[STORE_NOTICE] = { "notices.db", DB_BTREE, 0, -1, NULL },
	[STORE_CAP] = { "frequency_cap.db", DB_BTREE, 0, -1, NULL },
	[STORE_NOTICE_CAND] = { "notices_cand.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_NOTICE, store_notice_cand_key },
	[STORE_MATCH] = { "match.db", DB_BTREE, 0, -1, NULL, 32768 },
	[STORE_ROLE] = { "roles.db", DB_BTREE, 0, -1, NULL },
	[STORE_PIPE] = { "pipelines.db", DB_BTREE, 0, -1, NULL },
	[STORE_PIPE_CAND] = { "pipelines_cand.db", DB_BTREE, DB_DUP | DB_DUPSORT,
	    STORE_PIPE, store_pipe_cand_key },
	[STORE_ROLE_ALERT] = { "role_alerts.db", DB_BTREE, 0, -1, NULL },
	[STORE_ROLE_ALERT_DUE] = { "role_alerts_due.db", DB_BTREE,
	    DB_DUP | DB_DUPSORT, STORE_ROLE_ALERT, store_alert_due_key },
	[STORE_ROLE_ALERT_CAND] = { "role_alerts_cand.db", DB_BTREE,
	    DB_DUP | DB_DUPSORT, STORE_ROLE_ALERT, store_alert_cand_key },
};

static const char *const seq_names[SEQ__MAX] = {
	[SEQ_CANDIDATE] = "candidate",
	[SEQ_USER] = "user",
	[SEQ_MAIL] = "mail",
	[SEQ_TOUCH] = "touchpoint",
	[SEQ_POOL] = "pool",
	[SEQ_AUDIT] = "audit",
	[SEQ_JOB] = "job",
	[SEQ_MERGE] = "merge",
	[SEQ_CAMPAIGN] = "campaign",
	[SEQ_WAVE] = "wave",
	[SEQ_NOTICE] = "notice",
	[SEQ_ROLE] = "role",
};

static void
log_db_error(const DB_ENV *env, const char *prefix, const char *msg)
{
	(void)env;
	(void)prefix;
	log_error("berkeley db: %s", msg);
}

static int
open_env(DB_ENV **out, const char *home, int cache_mb)
{
	DB_ENV *env;
	int ret;
	/*
	 * DB_REGISTER notices a registered process that died and DB_RECOVER
	 * then recovers before this open returns; the live processes get
	 * DB_RUNRECOVERY, exit and are restarted by their supervisors. Not
	 * DB_FAILCHK: measured here (twice, the second time with
	 * set_thread_count and an is_alive that treats zombies as dead), its
	 * check can spin for ever in __env_set_state on the environment mutex
	 * while holding the registry lock that every open waits on; the crash
	 * test then sees every program stop. Recovery is slower but never hangs.
	 */
	u_int32_t flags = DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
	    DB_INIT_MPOOL | DB_REGISTER | DB_RECOVER;

	if ((ret = db_env_create(&env, 0)) != 0)
		return store_err(ret);
	env->set_errcall(env, log_db_error);
	if ((ret = env->set_lk_detect(env, DB_LOCK_YOUNGEST)) != 0 ||
	    (ret = env->set_timeout(env, STORE_LOCK_TIMEOUT_US,
	    DB_SET_LOCK_TIMEOUT)) != 0 ||
	    (ret = env->set_cachesize(env, 0, (u_int32_t)cache_mb * 1024 * 1024,
	    1)) != 0 ||
	    /* For every process together: a write transaction of an import or
	     * a bulk step at a million candidates holds ~23 page locks a record
	     * (5,275 for 250 records were measured); the region is mapped by
	     * every process but its pages are touched only as they are used. */
	    (ret = env->set_lk_max_locks(env, 50000)) != 0 ||
	    (ret = env->set_lk_max_objects(env, 50000)) != 0 ||
	    (ret = env->set_lk_max_lockers(env, 1000)) != 0 ||
	    (ret = env->set_tx_max(env, 200)) != 0 ||
	    (ret = env->log_set_config(env, DB_LOG_AUTO_REMOVE, 1)) != 0 ||
	    (ret = env->open(env, home, flags, 0600)) != 0) {
		log_error("store: cannot open environment %s: %s", home,
		    db_strerror(ret));
		env->close(env, 0);
		return store_err(ret);
	}
	*out = env;
	return HE_OK;
}

static int
open_dbs(struct store *st)
{
	int ret;

	for (int i = 0; i < STORE__MAX; i++) {
		const struct store_dbdef *d = &store_dbdefs[i];
		DB *db;

		if ((ret = db_create(&db, st->env, 0)) != 0)
			return store_err(ret);
		st->db[i] = db;
		if (d->flags && (ret = db->set_flags(db, d->flags)) != 0)
			return store_err(ret);
		if (d->pagesize && (ret = db->set_pagesize(db, d->pagesize)) != 0)
			return store_err(ret);
		if ((ret = db->open(db, NULL, d->file, NULL, d->type,
		    DB_CREATE | DB_AUTO_COMMIT, 0600)) != 0) {
			log_error("store: cannot open %s: %s", d->file, db_strerror(ret));
			return store_err(ret);
		}
	}
	/* Secondaries after every primary: associate needs both open. */
	for (int i = 0; i < STORE__MAX; i++) {
		const struct store_dbdef *d = &store_dbdefs[i];

		if (d->primary < 0)
			continue;
		if ((ret = st->db[d->primary]->associate(st->db[d->primary], NULL,
		    st->db[i], d->key, 0)) != 0)
			return store_err(ret);
	}
	return HE_OK;
}

static int
open_sequences(struct store *st)
{
	int ret;

	for (int i = 0; i < SEQ__MAX; i++) {
		DB_SEQUENCE *seq;
		DBT key = { .data = (void *)seq_names[i],
		    .size = (u_int32_t)strlen(seq_names[i]) };

		if ((ret = db_sequence_create(&seq, st->db[STORE_SEQ], 0)) != 0)
			return store_err(ret);
		st->seq[i] = seq;
		/* A cache per process, so that writers never queue behind one id
		 * record; but not for candidates, whose ids give the lists their
		 * newest-first order across processes (imports take ranges). */
		if ((ret = seq->initial_value(seq, 1)) != 0 ||
		    (i != SEQ_CANDIDATE && (ret = seq->set_cachesize(seq, 32)) != 0) ||
		    (ret = seq->open(seq, NULL, &key, DB_CREATE)) != 0)
			return store_err(ret);
	}
	return HE_OK;
}

int
store_open(struct store **out, const char *home, int cache_mb, int durable)
{
	struct store *st;
	int rc;

	*out = NULL;
	if (mkdir(home, 0700) != 0 && errno != EEXIST) {
		log_error("store: cannot create %s: %s", home, strerror(errno));
		return HE_IO;
	}
	if ((st = calloc(1, sizeof *st)) == NULL)
		return HE_NOMEM;
	st->durable = durable;
	if ((rc = open_env(&st->env, home, cache_mb)) != HE_OK) {
		free(st);
		return rc;
	}
	if ((rc = open_dbs(st)) != HE_OK || (rc = open_sequences(st)) != HE_OK) {
		store_close(st);
		return rc;
	}
	*out = st;
	return HE_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < SEQ__MAX; i++)
		if (st->seq[i])
			st->seq[i]->close(st->seq[i], 0);
	/* Secondaries first, then their primaries. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < STORE__MAX; i++)
			if (st->db[i] && (store_dbdefs[i].primary >= 0) == (pass == 0)) {
				st->db[i]->close(st->db[i], 0);
				st->db[i] = NULL;
			}
	if (st->env)
		st->env->close(st->env, 0);
	free(st);
}

void
store_set_site_key(struct store *st, const unsigned char key[STORE_KEYBYTES])
{
	memcpy(st->site_key, key, STORE_KEYBYTES);
}

int
store_next_id(struct store *st, enum store_seq seq, uint64_t *id)
{
	db_seq_t v;
	int ret;

	/* Outside the caller's transaction (a cached sequence requires it);
	 * the record that uses the id makes the allocation durable with it. */
	if ((ret = st->seq[seq]->get(st->seq[seq], NULL, 1, &v,
	    DB_TXN_NOSYNC)) != 0)
		return store_err(ret);
	*id = (uint64_t)v;
	return HE_OK;
}

int
store_next_ids(struct store *st, enum store_seq seq, uint32_t n, uint64_t *first)
{
	db_seq_t v;
	int ret;

	if (n == 0)
		return HE_INVALID;
	if ((ret = st->seq[seq]->get(st->seq[seq], NULL, (int32_t)n, &v,
	    DB_TXN_NOSYNC)) != 0)
		return store_err(ret);
	*first = (uint64_t)v;
	return HE_OK;
}

int
store_checkpoint(struct store *st)
{
	return store_err(st->env->txn_checkpoint(st->env, 512, 1, 0));
}
