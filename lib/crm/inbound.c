/* inbound.c: the bounce mailbox: hard and soft bounces, replies on the timeline */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crm/campaign.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/inbound.h"
#include "crm/timeline.h"
#include "net/imap.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/dsn.h"
#include "util/he.h"
#include "util/log.h"

#define DEFAULT_BATCH 50
#define DEFAULT_MAX_BYTES (10L << 20)
#define DEFAULT_POLL 60
#define DEFAULT_TIMEOUT 20
#define DEFAULT_BUDGET 30

int
inbound_cfg_load(HDF *conf, struct inbound_cfg *cfg)
{
	const char *url = conf_str(conf, "Inbound.IMAPUrl", NULL);
	char *ca = NULL;
	long batch = conf_int(conf, "Inbound.Batch", DEFAULT_BATCH);
	long max = conf_int(conf, "Inbound.MaxBytes", DEFAULT_MAX_BYTES);
	long soft = conf_int(conf, "Inbound.SoftBounceLimit", 3);

	memset(cfg, 0, sizeof *cfg);
	if (conf_str(conf, "Inbound.CAFile", NULL) &&
	    (ca = conf_path(conf, "Inbound.CAFile", NULL)) == NULL)
		return HE_NOMEM;
	cfg->imap = (struct imap_cfg){
		.url = url,
		.username = conf_str(conf, "Inbound.User", NULL),
		.password = conf_str(conf, "Inbound.Password", NULL),
		.starttls = (int)conf_int(conf, "Inbound.StartTLS", 0),
		.ca_file = ca,
		.timeout_seconds = conf_int(conf, "Inbound.TimeoutSeconds",
		    DEFAULT_TIMEOUT),
		.move_to = conf_str(conf, "Inbound.MoveTo", NULL),
	};
	cfg->soft_limit = soft >= 1 && soft <= 1000 ? (int)soft : 3;
	cfg->batch = batch >= 1 && batch <= 10000 ? (size_t)batch : DEFAULT_BATCH;
	cfg->max_bytes = max >= 4096 ? (size_t)max : DEFAULT_MAX_BYTES;
	cfg->poll_seconds = conf_int(conf, "Inbound.PollSeconds", DEFAULT_POLL);
	if (cfg->poll_seconds < 0)
		cfg->poll_seconds = DEFAULT_POLL;
	cfg->budget_seconds = DEFAULT_BUDGET;
	cfg->owned[0] = ca;
	if (url == NULL)
		return HE_NOTFOUND;
	if (cfg->imap.username && !cfg->imap.starttls &&
	    strncasecmp(url, "imaps://", 8) != 0 && strstr(url, "://127.") == NULL &&
	    strstr(url, "://localhost") == NULL)
		log_warn("Inbound.User is set on a connection without TLS: the "
		    "password goes out in clear; use imaps:// or Inbound.StartTLS = 1");
	return HE_OK;
}

void
inbound_cfg_free(struct inbound_cfg *cfg)
{
	for (size_t i = 0; i < sizeof cfg->owned / sizeof *cfg->owned; i++) {
		free(cfg->owned[i]);
		cfg->owned[i] = NULL;
	}
}

/* The mail a message is about, and whose it is. */
struct about {
	uint64_t mail_id;
	json_t *mail;		/* read with rmw */
	uint64_t cand;
};

/*
 * The mail r names, when it is one of ours to a candidate: its id and its
 * creation time must both match (the time makes a forged Message-ID
 * guessable only with it), and a test send to a user is nobody's bounce
 * or reply. HE_NOTFOUND when not.
 */
static int
find_mail(struct store *st, DB_TXN *txn, const struct dsn_result *r,
    struct about *a)
{
	const char *kind;
	int rc;

	memset(a, 0, sizeof *a);
	if (r->mail_id == 0)
		return HE_NOTFOUND;
	if ((rc = store_mail_get(st, txn, r->mail_id, &a->mail)) != HE_OK)
		return rc;
	kind = json_string_value(json_object_get(a->mail, "kind"));
	a->cand = (uint64_t)json_integer_value(json_object_get(a->mail, "cand"));
	if (json_integer_value(json_object_get(a->mail, "created")) !=
	    r->mail_created || a->cand == 0 ||
	    (kind && strcmp(kind, "campaign_test") == 0)) {
		json_decref(a->mail);
		a->mail = NULL;
		return HE_NOTFOUND;
	}
	a->mail_id = r->mail_id;
	return HE_OK;
}

/* Mails still queued for cand, by id. */
struct queued {
	uint64_t ids[64];
	size_t n;
};

static int
queued_fn(uint64_t id, json_t *mail, void *ctx)
{
	struct queued *q = ctx;
	const char *state = json_string_value(json_object_get(mail, "state"));

	if (json_object_get(mail, "due") && state &&
	    strcmp(state, "queued") == 0 && q->n < sizeof q->ids / sizeof *q->ids)
		q->ids[q->n++] = id;
	return HE_OK;
}

/* No more mail to an address that does not work: those still queued
 * for it are cancelled. */
static int
cancel_queued(struct store *st, DB_TXN *txn, uint64_t cand, const char *to)
{
	struct queued q = { .n = 0 };
	int rc;

	if ((rc = store_mail_each_of(st, txn, cand, queued_fn, &q)) != HE_OK)
		return rc;
	for (size_t i = 0; i < q.n; i++) {
		json_t *m;
		const char *mto;

		if ((rc = store_mail_get(st, txn, q.ids[i], &m)) != HE_OK)
			return rc;
		mto = json_string_value(json_object_get(m, "to"));
		if (mto && strcasecmp(mto, to) == 0) {
			json_object_set_new(m, "state", json_string("cancelled"));
			json_object_set_new(m, "why", json_string("bounced"));
			json_object_del(m, "due");
			rc = store_mail_put(st, txn, q.ids[i], m);
		}
		json_decref(m);
		if (rc != HE_OK)
			return rc;
	}
	return HE_OK;
}

static const struct tl_actor system_actor = { 0, "", NULL };

/* A bounce: recorded on the mail, counted on the candidate, and a hard
 * one (or the soft one that reaches the limit) marks the address. */
static int
bounce(struct store *st, DB_TXN *txn, const struct inbound_cfg *cfg,
    const struct dsn_result *r, struct about *a, struct inbound_stats *s)
{
	int64_t now = clock_now();
	const char *to = json_string_value(json_object_get(a->mail, "to"));
	const char *email;
	json_t *rec = NULL, *detail = NULL;
	const char *state = json_string_value(json_object_get(a->mail, "state"));
	int hard = r->hard, rc, counted = 0;
	json_int_t soft;

	/* A second report of the same failure adds nothing. */
	if (state && strcmp(state, "bounced") == 0)
		return HE_NOTFOUND;
	if ((rc = store_cand_get(st, txn, a->cand, 1, &rec)) != HE_OK)
		return rc;
	email = json_string_value(json_object_get(rec, "email"));
	/* Their address changed since: the bounce is the old one's. */
	if (to == NULL || email == NULL || strcasecmp(to, email) != 0) {
		json_decref(rec);
		return HE_NOTFOUND;
	}
	soft = json_integer_value(json_object_get(rec, "soft_bounces"));
	if (!hard && json_object_get(a->mail, "soft_bounce") == NULL) {
		/* Counted once per mail: a delayed mail warns more than once. */
		soft++;
		counted = 1;
		json_object_set_new(rec, "soft_bounces", json_integer(soft));
	}
	if (!hard && soft >= cfg->soft_limit)
		hard = 1;
	if (hard) {
		json_object_set_new(a->mail, "state", json_string("bounced"));
		json_object_set_new(a->mail, "bounced", json_integer(now));
		json_object_set_new(rec, "email_invalid", json_true());
	} else {
		json_object_set_new(a->mail, "soft_bounce", json_string(r->status));
	}
	json_object_set_new(a->mail, "bounce_status", json_string(r->status));
	if ((rc = store_mail_put(st, txn, a->mail_id, a->mail)) != HE_OK)
		goto out;
	if ((hard || counted) && (rc = cand_save(st, txn, a->cand, rec)) != HE_OK)
		goto out;
	detail = json_pack("{s:I, s:s, s:s, s:b, s:I}", "mail", (json_int_t)a->mail_id,
	    "status", r->status, "diagnostic", r->diagnostic, "hard", hard,
	    "soft_bounces", soft);
	if (detail == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = tl_record(st, txn, a->cand, "bounce", &system_actor, to,
	    detail)) != HE_OK)
		goto out;
	if (hard) {
		if ((rc = cancel_queued(st, txn, a->cand, to)) != HE_OK)
			goto out;
		if ((rc = campaign_signal(st, txn, a->cand, a->mail_id,
		    CAMP_SIG_BOUNCE, now)) != HE_OK)
			goto out;
		s->hard++;
	} else {
		s->soft++;
	}
out:
	json_decref(detail);
	json_decref(rec);
	return rc;
}

/* A reply: on the timeline, in the engagement score and the campaign. */
static int
reply(struct store *st, DB_TXN *txn, const struct dsn_result *r,
    struct about *a, struct inbound_stats *s)
{
	int64_t now = clock_now();
	char text[DSN_SUBJECT_MAX + DSN_EXCERPT_MAX + 4];
	struct tl_actor who = { 0, r->from, NULL };
	struct tl_entry e;
	const char *kind;
	json_t *rec;
	int rc;

	if ((rc = store_cand_get(st, txn, a->cand, 1, &rec)) != HE_OK)
		return rc;
	/* An answer shows the address works: soft bounces start over. */
	if (json_object_get(rec, "soft_bounces")) {
		json_object_del(rec, "soft_bounces");
		rc = cand_save(st, txn, a->cand, rec);
	}
	json_decref(rec);
	if (rc != HE_OK)
		return rc;
	snprintf(text, sizeof text, "%s%s%s", r->subject,
	    r->subject[0] && r->excerpt[0] ? "\n\n" : "", r->excerpt);
	e = (struct tl_entry){ .channel = "email", .outcome = "reply",
	    .text = text, .at = 0 };
	if ((rc = tl_log(st, txn, a->cand, &e, &who, NULL)) != HE_OK)
		return rc;
	json_object_set_new(a->mail, "replied", json_integer(now));
	kind = json_string_value(json_object_get(a->mail, "kind"));
	/* An answer to any mail of ours is a reply to their campaigns: to
	 * a campaign mail it is that mail's, else their latest ones'. */
	if ((rc = store_mail_put(st, txn, a->mail_id, a->mail)) != HE_OK ||
	    (rc = engage_event(st, txn, a->cand, ENGAGE_REPLY, now)) != HE_OK ||
	    (rc = campaign_signal(st, txn, a->cand, kind && strcmp(kind,
	    "campaign") == 0 ? a->mail_id : 0, CAMP_SIG_REPLY, now)) != HE_OK)
		return rc;
	s->replies++;
	return HE_OK;
}

int
inbound_apply(struct store *st, DB_TXN *txn, const struct inbound_cfg *cfg,
    const char *msg, size_t len, struct inbound_stats *s, int *recorded)
{
	struct dsn_result *r;
	struct about a = { 0 };
	int rc;

	if (recorded)
		*recorded = 0;
	/* About 2 KiB: off the stack of a daemon's deep call chain. */
	if ((r = malloc(sizeof *r)) == NULL)
		return HE_NOMEM;
	if (dsn_parse(msg, len, r) != HE_OK) {
		s->unreadable++;
		rc = HE_OK;
		goto out;
	}
	if (r->kind == DSN_OTHER) {
		s->other++;
		rc = HE_OK;
		goto out;
	}
	if ((rc = find_mail(st, txn, r, &a)) == HE_NOTFOUND) {
		s->unmatched++;
		rc = HE_OK;
		goto out;
	}
	if (rc != HE_OK)
		goto out;
	rc = r->kind == DSN_BOUNCE ? bounce(st, txn, cfg, r, &a, s) :
	    reply(st, txn, r, &a, s);
	if (rc == HE_NOTFOUND) {	/* the candidate or their address is gone */
		s->unmatched++;
		rc = HE_OK;
		goto out;
	}
	if (rc == HE_OK && recorded)
		*recorded = 1;
out:
	json_decref(a.mail);
	free(r);
	return rc;
}

/* One message in its transaction, with the UID that says it was read. */
struct one {
	const struct inbound_cfg *cfg;
	uint64_t validity, uid;
	const char *msg;	/* NULL: unreadable, only passed over */
	size_t len;
	struct inbound_stats s;	/* this message's counts (a retry starts over) */
	int recorded, skipped;
};

static int
one_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct one *o = arg;
	int64_t validity = 0, uid = 0;
	int rc;

	memset(&o->s, 0, sizeof o->s);
	o->recorded = o->skipped = 0;
	/* Read in this transaction and written first: another worker that
	 * took this message meanwhile is seen here, or waits for us. */
	if ((rc = store_setting_get(st, txn, INBOUND_SETTING_VALIDITY,
	    &validity)) != HE_OK && rc != HE_NOTFOUND)
		return rc;
	if ((rc = store_setting_get(st, txn, INBOUND_SETTING_UID, &uid)) != HE_OK &&
	    rc != HE_NOTFOUND)
		return rc;
	if ((uint64_t)validity == o->validity && (uint64_t)uid >= o->uid) {
		o->skipped = 1;
		return HE_OK;
	}
	if ((rc = store_setting_set(st, txn, INBOUND_SETTING_UID,
	    (int64_t)o->uid)) != HE_OK)
		return rc;
	if ((uint64_t)validity != o->validity && (rc = store_setting_set(st, txn,
	    INBOUND_SETTING_VALIDITY, (int64_t)o->validity)) != HE_OK)
		return rc;
	if (o->msg == NULL) {
		o->s.unreadable++;
		return HE_OK;
	}
	return inbound_apply(st, txn, o->cfg, o->msg, o->len, &o->s, &o->recorded);
}

static void
add_stats(struct inbound_stats *to, const struct inbound_stats *s)
{
	to->read += s->read;
	to->hard += s->hard;
	to->soft += s->soft;
	to->replies += s->replies;
	to->other += s->other;
	to->unmatched += s->unmatched;
	to->unreadable += s->unreadable;
}

/* Starts reading over when the mailbox's UIDVALIDITY is not the one the
 * UID was saved under. */
struct restart {
	uint64_t validity;
};

static int
restart_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct restart *r = arg;
	int rc;

	if ((rc = store_setting_set(st, txn, INBOUND_SETTING_VALIDITY,
	    (int64_t)r->validity)) != HE_OK)
		return rc;
	return store_setting_set(st, txn, INBOUND_SETTING_UID, 0);
}

int
inbound_poll(struct store *st, const struct inbound_cfg *cfg,
    struct inbound_stats *s)
{
	struct imap *im = NULL;
	int64_t validity = 0, last = 0, deadline = clock_now() + cfg->budget_seconds;
	uint64_t server_validity;
	struct imap_uid *uids = NULL;
	size_t n = 0;
	int rc;

	if (cfg->imap.url == NULL)
		return HE_OK;
	if ((rc = store_setting_get(st, NULL, INBOUND_SETTING_VALIDITY,
	    &validity)) != HE_OK && rc != HE_NOTFOUND)
		return rc;
	if ((rc = store_setting_get(st, NULL, INBOUND_SETTING_UID, &last)) !=
	    HE_OK && rc != HE_NOTFOUND)
		return rc;
	if ((rc = imap_open(&cfg->imap, &im)) != HE_OK) {
		log_error("Inbound.IMAPUrl %s: %s", cfg->imap.url, rc == HE_INVALID ?
		    "not an imap:// or imaps:// URL with a plain mailbox name" :
		    he_strerror(rc));
		return rc;
	}
	if ((rc = imap_new_uids(im, (uint64_t)last, 0, cfg->batch, &server_validity,
	    &uids, &n)) != HE_OK)
		goto out;
	if (validity != 0 && (uint64_t)validity != server_validity) {
		struct restart r = { server_validity };

		/* The UIDs read before mean nothing now: from the start, but
		 * only what was not dealt with (flagged \Seen) before. */
		log_warn("inbound: the mailbox's UIDVALIDITY changed (%lld to "
		    "%llu): reading its unread messages again", (long long)validity,
		    (unsigned long long)server_validity);
		free(uids);
		uids = NULL;
		if ((rc = store_txn(st, restart_txn, &r)) != HE_OK)
			goto out;
		if ((rc = imap_new_uids(im, 0, 1, cfg->batch, &server_validity,
		    &uids, &n)) != HE_OK)
			goto out;
	}
	for (size_t i = 0; i < n && clock_now() <= deadline; i++) {
		struct one o = { .cfg = cfg, .validity = server_validity,
		    .uid = uids[i].uid };
		char *msg = NULL;
		size_t len = 0;

		rc = imap_fetch(im, o.uid, cfg->max_bytes, &msg, &len);
		if (rc == HE_INVALID)
			log_warn("inbound: message %llu is larger than Inbound.MaxBytes "
			    "(%zu): passed over", (unsigned long long)o.uid,
			    cfg->max_bytes);
		if (rc == HE_NOTFOUND)
			continue;	/* expunged meanwhile */
		if (rc != HE_OK && rc != HE_INVALID)
			goto out;	/* the server: the next poll goes on */
		o.msg = msg;
		o.len = len;
		rc = store_txn(st, one_txn, &o);
		if (rc == HE_INVALID || rc == HE_NOTFOUND) {
			/* Something of this message the store will never take:
			 * passed over like one that cannot be read, not tried
			 * at every poll for ever. */
			log_warn("inbound: message %llu cannot be recorded (%s): "
			    "passed over", (unsigned long long)o.uid, he_strerror(rc));
			o.msg = NULL;
			rc = store_txn(st, one_txn, &o);
		}
		free(msg);
		if (rc != HE_OK)
			goto out;
		if (o.skipped)
			continue;
		o.s.read = 1;
		add_stats(s, &o.s);
		/* Done with: out of a person's way in the mailbox. What was
		 * not recorded stays as it was (reading it flagged it read)
		 * for someone to see. */
		if (o.recorded)
			rc = imap_done(im, o.uid);
		else if (uids[i].unseen)
			rc = imap_unseen(im, o.uid);
		if (rc != HE_OK) {
			log_warn("inbound: message %llu read, its flags not set: %s",
			    (unsigned long long)o.uid, he_strerror(rc));
			rc = HE_OK;
		}
	}
	rc = HE_OK;
out:
	free(uids);
	imap_close(im);
	return rc;
}
