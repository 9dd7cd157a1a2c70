/* outbox.c: due mail rendered from templates/mail and handed to lib/net */
#include <errno.h>
#include <time.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "crm/campaign.h"
#include "crm/campaign_mail.h"
#include "crm/candidates.h"
#include "crm/cap.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/outbox.h"
#include "crm/role.h"
#include "crm/role_mail.h"
#include "store/campaign.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"
#include "util/tmpl.h"

#define RETRY_MAX (6 * 3600)
#define ATTEMPTS_MAX 20

/* The kinds of mail there are: the kind names the templates, and the
 * link the mail exists to deliver. */
static const struct mail_kind {
	const char *name;
	enum comm_link action;
	const char *path;	/* the page the action link opens */
} mail_kinds[] = {
	{ "confirm", COMM_LINK_CONFIRM, "/confirm" },
	{ "export", COMM_LINK_EXPORT, "/export" },
	{ "erase", COMM_LINK_ERASE, "/erase" },
};

static const struct mail_kind *
kind_of(const char *name)
{
	for (size_t i = 0; name && i < sizeof mail_kinds / sizeof *mail_kinds; i++)
		if (strcmp(name, mail_kinds[i].name) == 0)
			return &mail_kinds[i];
	return NULL;
}

/*
 * Mails claimed per transaction. Recording an attempt must reach the disk
 * before the mail is sent, and that sync (0.5 to 6 ms here) was much of
 * what a mail cost the worker: one claim for a group of mails pays it once
 * for all of them. The price is paid only when the worker dies: the
 * group's mails not yet sent wait for their claim to run out
 * (Mail.ClaimSeconds, 300 s by default) instead of going out at once. Larger groups save less
 * and less, and hold their index pages, which signups write too, longer
 * (measured: 32 mails, about 1 ms).
 */
#define CLAIM_MAX 32

/* A mail claimed for sending, and what it was before, in case it is not. */
struct claimed {
	uint64_t id;
	json_t *mail;		/* attempts counted, next try scheduled */
	json_t *rec;		/* a campaign mail's candidate, as checked */
	json_int_t attempts;	/* before the claim */
	json_int_t due;
};

struct bucket;

/* Mails of a batch being sent at once: two queued with the sender, one
 * being prepared. */
#define BUSY_MAX 4

/*
 * A claim is a lease: its mails are "sending", due again only when
 * Mail.ClaimSeconds have passed (a worker killed meanwhile leaves them to
 * another then), and carry the claim's random token ("claim"). Whoever
 * records the outcome (settle) or puts a mail back (release) writes only
 * while the mail still holds their token: a worker slower than its lease
 * never overwrites what another worker that took the mail over did. The
 * retry after a temporary failure is scheduled when it is recorded.
 */
#define CLAIM_TOKEN_BYTES 16
#define CLAIM_SECONDS_DEFAULT 300

/* One claim's mails, c[head..n) not yet taken for sending. */
struct claim {
	int64_t now;
	long claim_seconds;	/* the lease */
	char token[2 * CLAIM_TOKEN_BYTES + 1];	/* this claim's */
	const struct outbox_cfg *cfg;
	size_t want, n, head;
	size_t passed;		/* mails cancelled or made to wait this claim */
	struct claimed c[CLAIM_MAX];
	/* The states of the campaigns met in this claim, read once each. */
	struct { uint64_t id; char state[12]; json_t *window; } camps[CLAIM_MAX];
	size_t ncamps;
	/* The domain turns this attempt took: a deadlock's retry gives them
	 * back before it takes them again. */
	struct bucket *spent[CLAIM_MAX];
	size_t nspent;
	/* Mails of earlier claims still with the sender: not claimed again. */
	uint64_t busy[BUSY_MAX];
	size_t nbusy;
};

static void
claim_clear(struct claim *c)
{
	for (size_t i = c->head; i < c->n; i++) {
		json_decref(c->c[i].mail);
		json_decref(c->c[i].rec);
	}
	for (size_t i = 0; i < c->ncamps; i++) {
		json_decref(c->camps[i].window);
		c->camps[i].window = NULL;
	}
	c->n = c->head = c->passed = c->ncamps = 0;
}

/*
 * Throttling, by token buckets of this process (the worker): a bucket
 * holds up to a second's worth of mails and refills at its rate. The
 * whole batch waits for the overall bucket (pace); a mail to a domain
 * whose bucket is empty is not claimed but given the time its turn comes
 * (a later "due"), so the mails to other domains go ahead of it.
 */
#define DOMAINS_MAX 512
#define DOMAIN_PROBE 8

struct bucket {
	double tokens;
	int64_t at_us;		/* last refilled; 0: never used */
	double next_turn;	/* unix s: the turn of the next mail made to wait */
	char domain[128];
};

static struct bucket all_bucket;
static struct bucket domains[DOMAINS_MAX];

static void
refill(struct bucket *b, double rate, int64_t now_us)
{
	double cap = rate < 1 ? 1 : rate;

	if (b->at_us == 0 || now_us < b->at_us) {
		b->tokens = cap;
		b->at_us = now_us;
		return;
	}
	b->tokens += (double)(now_us - b->at_us) / 1e6 * rate;
	if (b->tokens > cap)
		b->tokens = cap;
	b->at_us = now_us;
}

static struct bucket *
domain_bucket(const char *to)
{
	const char *at = strrchr(to, '@'), *d = at ? at + 1 : to;
	uint64_t h = 1469598103934665603ULL;
	struct bucket *oldest = NULL;

	for (const char *p = d; *p; p++)
		h = (h ^ (unsigned char)(*p | 0x20)) * 1099511628211ULL;
	for (size_t i = 0; i < DOMAIN_PROBE; i++) {
		struct bucket *b = &domains[(h + i) % DOMAINS_MAX];

		if (b->at_us != 0 && strcasecmp(b->domain, d) == 0)
			return b;
		if (oldest == NULL || b->at_us < oldest->at_us)
			oldest = b;
	}
	/* A domain not seen lately takes the slot used longest ago. */
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->domain, sizeof oldest->domain, "%s", d);
	return oldest;
}

/* 0: a mail to `to` may go now (its turn taken, and noted in *spent);
 * else the time it may. */
static int64_t
domain_turn(const struct outbox_cfg *cfg, const char *to, int64_t now,
    struct bucket **spent)
{
	int64_t now_us = clock_now_us(), at;
	struct bucket *b;
	double t;

	if (cfg->domain_rate <= 0 || to == NULL)
		return 0;
	b = domain_bucket(to);
	refill(b, cfg->domain_rate, now_us);
	if (b->tokens >= 1) {
		b->tokens -= 1;
		*spent = b;
		return 0;
	}
	t = (double)now_us / 1e6 + (1 - b->tokens) / cfg->domain_rate;
	if (b->next_turn > t)
		t = b->next_turn;
	b->next_turn = t + 1 / cfg->domain_rate;
	at = (int64_t)t;
	if ((double)at < t)
		at++;
	return at > now ? at : now + 1;
}

/* Waits, when the batch goes faster than cfg->rate, for its turn. */
static void
pace(const struct outbox_cfg *cfg)
{
	if (cfg->rate <= 0)
		return;
	refill(&all_bucket, cfg->rate, clock_now_us());
	if (all_bucket.tokens < 1) {
		double wait = (1 - all_bucket.tokens) / cfg->rate;
		struct timespec ts = { (time_t)wait,
		    (long)((wait - (double)(time_t)wait) * 1e9) };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		refill(&all_bucket, cfg->rate, clock_now_us());
	}
	all_bucket.tokens -= 1;
}

void (*outbox_claimed_hook)(void *arg);
void *outbox_claimed_arg;

static int
kind_is(json_t *mail, const char *kind)
{
	const char *k = json_string_value(json_object_get(mail, "kind"));

	return k && strcmp(k, kind) == 0;
}

static json_int_t
num(json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

static const char *
str(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/* "enrolment_ended" when the enrolment that queued mail no longer lets it
 * go (stopped, goal reached, gone), else NULL. An enrolment that ran to
 * its end ("done" with "end" or "exit") still sends the mail its last
 * email step queued: the engine ends it in the same transaction. */
static const char *
enrolment_ended(struct store *st, DB_TXN *txn, json_t *mail, int *rc)
{
	*rc = campaign_mail_allowed(st, txn, (uint64_t)num(mail, "camp"),
	    (uint64_t)num(mail, "cand"));
	if (*rc == HE_NOTFOUND || *rc == HE_INVALID) {
		*rc = HE_OK;
		return "enrolment_ended";
	}
	return NULL;
}

/*
 * Why a campaign mail may not go to the person as they are now (rec), or
 * NULL when it may. Reads only: the claim's transaction takes no lock on
 * the person for writing.
 */
static const char *
refusal(struct store *st, DB_TXN *txn, json_t *mail, json_t *rec, int64_t now,
    int *rc)
{
	const char *consent = str(rec, "consent"), *status = str(rec, "status"),
	    *key = str(rec, "email_key");
	json_t *until = json_object_get(json_object_get(rec, "prefs"),
	    "paused_until");

	*rc = HE_OK;
	if (consent == NULL || strcmp(consent, "confirmed") != 0)
		return consent && strcmp(consent, "withdrawn") == 0 ? "withdrawn" :
		    "not_confirmed";
	if (json_is_integer(until) && json_integer_value(until) > now)
		return "paused";
	if (status && strcmp(status, "do_not_contact") == 0)
		return "do_not_contact";
	if (json_is_true(json_object_get(rec, "email_invalid")))
		return "email_invalid";
	if (str(rec, "email") == NULL || *str(rec, "email") == '\0')
		return "no_email";
	if (key && (*rc = store_suppress_get(st, txn, key)) != HE_NOTFOUND) {
		if (*rc != HE_OK)
			return NULL;	/* could not tell: *rc says why */
		return "suppressed";
	}
	/* A personal mail about a role has no enrolment. */
	if (kind_is(mail, "role")) {
		*rc = HE_OK;
		return NULL;
	}
	return enrolment_ended(st, txn, mail, rc);
}

/* The state of campaign id ("" when it is gone), read once a claim, and
 * its window in *window (borrowed; NULL: none). */
static const char *
camp_state(struct store *st, DB_TXN *txn, struct claim *c, uint64_t id,
    json_t **window, int *rc)
{
	json_t *body;

	*rc = HE_OK;
	for (size_t i = 0; i < c->ncamps; i++)
		if (c->camps[i].id == id) {
			*window = c->camps[i].window;
			return c->camps[i].state;
		}
	if (c->ncamps == CLAIM_MAX) {
		for (size_t i = 0; i < c->ncamps; i++)
			json_decref(c->camps[i].window);
		c->ncamps = 0;
	}
	c->camps[c->ncamps].id = id;
	c->camps[c->ncamps].state[0] = '\0';
	c->camps[c->ncamps].window = NULL;
	if ((*rc = store_campaign_get(st, txn, id, 0, &body)) == HE_OK) {
		snprintf(c->camps[c->ncamps].state, sizeof c->camps->state, "%s",
		    str(body, "state") ? str(body, "state") : "");
		c->camps[c->ncamps].window = json_incref(json_object_get(body,
		    "window"));
		json_decref(body);
	} else if (*rc == HE_NOTFOUND) {
		*rc = HE_OK;
	} else {
		return NULL;
	}
	*window = c->camps[c->ncamps].window;
	return c->camps[c->ncamps++].state;
}

/* The mails of a campaign that is not active (paused, a draft again) wait
 * this long before they are looked at again. */
#define PAUSED_WAIT 3600

/* The campaign mails of cand already claimed in this group. */
static int
claimed_for(const struct claim *c, uint64_t cand)
{
	int n = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->c[i].rec && (uint64_t)num(c->c[i].mail, "cand") == cand)
			n++;
	return n;
}

/*
 * Whether mail m may be claimed now: HE_OK; HE_BUSY when it was passed
 * over and written back (cancelled, or due later: the frequency cap, its
 * domain's rate); another code on an error. A campaign mail's candidate
 * is kept in m->rec for its rendering.
 */
static int
admit(struct store *st, DB_TXN *txn, struct claim *c, struct claimed *m)
{
	const struct outbox_cfg *cfg = c->cfg;
	json_t *mail = m->mail, *rec = NULL, *window = NULL;
	int64_t turn, free_at;
	const char *why;
	int rc;

	if (cfg == NULL)
		return HE_OK;
	if (kind_is(mail, "campaign") || kind_is(mail, "role")) {
		uint64_t cand = (uint64_t)num(mail, "cand");

		rc = store_cand_get(st, txn, cand, 0, &rec);
		if (rc != HE_OK && rc != HE_NOTFOUND)
			return rc;
		why = rc == HE_NOTFOUND ? "erased" : refusal(st, txn, mail, rec,
		    c->now, &rc);
		if (rc != HE_OK) {
			json_decref(rec);
			return rc;
		}
		if (why == NULL && kind_is(mail, "campaign")) {
			const char *cs = camp_state(st, txn, c, (uint64_t)num(mail,
			    "camp"), &window, &rc);

			if (cs == NULL) {
				json_decref(rec);
				return rc;
			}
			if (*cs == '\0' || strcmp(cs, "archived") == 0) {
				why = *cs ? "campaign_archived" : "campaign_gone";
			} else if (strcmp(cs, "active") != 0) {
				/* Paused, or back to a draft: it waits for the
				 * campaign to go on, then for the person's hours. */
				json_object_set_new(mail, "state", json_string("queued"));
				json_object_set_new(mail, "due", json_integer(
				    campaign_send_time(&cfg->campaign, window, rec,
				    c->now + PAUSED_WAIT)));
				json_decref(rec);
				rc = store_mail_put(st, txn, m->id, mail);
				return rc == HE_OK ? HE_BUSY : rc;
			}
		}
		if (why) {
			json_decref(rec);
			json_object_set_new(mail, "state", json_string("cancelled"));
			json_object_set_new(mail, "why", json_string(why));
			json_object_set_new(mail, "cancelled", json_integer(c->now));
			json_object_del(mail, "due");
			rc = store_mail_put(st, txn, m->id, mail);
			return rc == HE_OK ? HE_BUSY : rc;
		}
		rc = cap_check_pending(st, txn, cand, c->now, cfg->cap_mails,
		    cfg->cap_days, claimed_for(c, cand), &free_at);
		if (rc == HE_BUSY) {
			/* It may go once the cap frees, in the person's hours. */
			free_at = campaign_send_time(&cfg->campaign, window, rec,
			    free_at);
			json_decref(rec);
			if (json_object_get(mail, "deferred_until") == NULL &&
			    kind_is(mail, "campaign") &&
			    (rc = campaign_stat_add(st, txn, (uint64_t)num(mail,
			    "camp"), (int)num(mail, "step"), (int)num(mail,
			    "variant"), "deferred", 1)) != HE_OK)
				return rc;
			json_object_set_new(mail, "state", json_string("queued"));
			json_object_set_new(mail, "due", json_integer(free_at));
			json_object_set_new(mail, "deferred_until",
			    json_integer(free_at));
			rc = store_mail_put(st, txn, m->id, mail);
			return rc == HE_OK ? HE_BUSY : rc;
		}
		if (rc != HE_OK) {
			json_decref(rec);
			return rc;
		}
		/* To the address the person has now. */
		json_object_set(mail, "to", json_object_get(rec, "email"));
	}
	if ((turn = domain_turn(cfg, str(mail, "to"), c->now,
	    &c->spent[c->nspent])) != 0) {
		json_decref(rec);
		json_object_set_new(mail, "state", json_string("queued"));
		json_object_set_new(mail, "due", json_integer(turn));
		rc = store_mail_put(st, txn, m->id, mail);
		return rc == HE_OK ? HE_BUSY : rc;
	}
	if (cfg->domain_rate > 0 && str(mail, "to"))
		c->nspent++;
	m->rec = rec;
	return HE_OK;
}

/* Mails one claim may pass over (cancel, defer) before it stops: a long
 * queue for one throttled domain is passed over a bounded part at a time. */
#define PASS_MAX 256

/* Records the attempt and the claim's lease before anything is sent, for
 * up to want mails due now: a worker killed mid-send leaves each to be
 * claimed again when the lease runs out. */
static int
claim_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct claim *c = arg;
	int rc = HE_OK;

	claim_clear(c);		/* a deadlock's retry starts afresh */
	for (size_t i = 0; i < c->nspent; i++)
		c->spent[i]->tokens += 1;
	c->nspent = 0;
	while (c->n < c->want && c->passed < PASS_MAX) {
		struct claimed *m = &c->c[c->n];
		json_int_t attempts;

		if ((rc = store_mail_next_due(st, txn, c->now, &m->id,
		    &m->mail)) != HE_OK)
			break;
		/* A mail this claim took already is due again only once its
		 * lease is over: the queue holds no more due now. A mail of an
		 * earlier claim still with the sender when its lease runs out
		 * (a short Mail.ClaimSeconds and a slow server) is not tried
		 * again by this worker while this try runs. */
		for (size_t i = 0; i < c->n; i++)
			if (c->c[i].id == m->id)
				rc = HE_NOTFOUND;
		for (size_t i = 0; i < c->nbusy; i++)
			if (c->busy[i] == m->id)
				rc = HE_NOTFOUND;
		if (rc != HE_OK) {
			json_decref(m->mail);
			break;
		}
		m->rec = NULL;
		/* A dead (or far too slow) worker's token is no one's now:
		 * what this claim writes holds its own, or none. */
		json_object_del(m->mail, "claim");
		if ((rc = admit(st, txn, c, m)) != HE_OK) {
			json_decref(m->mail);
			m->mail = NULL;
			if (rc != HE_BUSY)
				return rc;
			c->passed++;
			rc = HE_OK;
			continue;
		}
		c->n++;
		m->attempts = json_integer_value(json_object_get(m->mail,
		    "attempts"));
		m->due = json_integer_value(json_object_get(m->mail, "due"));
		attempts = m->attempts + 1;
		json_object_set_new(m->mail, "attempts", json_integer(attempts));
		json_object_set_new(m->mail, "due", json_integer(c->now +
		    c->claim_seconds));
		json_object_set_new(m->mail, "state", json_string("sending"));
		json_object_set_new(m->mail, "claim", json_string(c->token));
		if ((rc = store_mail_put(st, txn, m->id, m->mail)) != HE_OK)
			return rc;
	}
	if (rc == HE_NOTFOUND && (c->n > 0 || c->passed > 0))
		rc = HE_OK;	/* fewer due than wanted */
	return rc;
}

/* The wait before try number attempts + 1, after a temporary failure. */
static int64_t
retry_wait(long retry_seconds, json_int_t attempts)
{
	int64_t wait;

	if (attempts < 1)
		attempts = 1;
	wait = (int64_t)retry_seconds << (attempts < 10 ? attempts - 1 : 9);
	return wait > RETRY_MAX ? RETRY_MAX : wait;
}

/*
 * Whether mail id, as stored, is still held by the claim whose token
 * `mine` carries: HE_OK; HE_BUSY when another claim took it over (or it
 * was settled meanwhile); HE_NOTFOUND when it is gone (erased). Read with
 * a write lock: the caller writes it next.
 */
static int
still_mine(struct store *st, DB_TXN *txn, uint64_t id, json_t *mine)
{
	unsigned char key[8];
	const char *token = str(mine, "claim"), *held;
	json_t *stored;
	int rc;

	store_u64_key(id, key);
	if ((rc = store_get_rec(st, txn, STORE_MAILQ, key, sizeof key, 1,
	    &stored)) != HE_OK)
		return rc;
	held = str(stored, "claim");
	rc = token && held && strcmp(token, held) == 0 ? HE_OK : HE_BUSY;
	json_decref(stored);
	return rc;
}

/*
 * A campaign mail to cand's address was accepted: their soft bounces
 * ("since the last delivered mail", Inbound.SoftBounceLimit) start over.
 * Written only when there are some: most settles read the record and
 * write nothing.
 */
static int
soft_bounces_reset(struct store *st, DB_TXN *txn, uint64_t cand, const char *to)
{
	const char *email;
	json_t *rec;
	int rc, some;

	if ((rc = store_cand_get(st, txn, cand, 0, &rec)) == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	some = json_integer_value(json_object_get(rec, "soft_bounces")) != 0;
	json_decref(rec);
	if (!some)
		return HE_OK;
	if ((rc = store_cand_get(st, txn, cand, 1, &rec)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	email = str(rec, "email");
	/* To the address they have now (an edit starts the count again). */
	if (to && email && strcasecmp(to, email) == 0 &&
	    json_object_get(rec, "soft_bounces")) {
		json_object_del(rec, "soft_bounces");
		rc = cand_save(st, txn, cand, rec);
	}
	json_decref(rec);
	return rc;
}

struct settle {
	uint64_t id;
	json_t *mail;
	int outcome;
	int64_t now;
	long retry_seconds;
	int cap_mails, cap_days;	/* no cap: nothing to note */
};

static int
settle_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct settle *s = arg;
	json_int_t attempts = json_integer_value(json_object_get(s->mail, "attempts"));
	int rc;

	/* Erased while it was being sent: nothing of it may come back. Taken
	 * over by another worker (this one outlived its lease): theirs to
	 * record. */
	if ((rc = still_mine(st, txn, s->id, s->mail)) == HE_BUSY) {
		log_warn("outbox: mail %llu was claimed again while this worker "
		    "sent it (Mail.ClaimSeconds too short?); its outcome is the "
		    "other worker's to record", (unsigned long long)s->id);
		return HE_OK;
	}
	if (rc != HE_OK)
		return rc;
	json_object_del(s->mail, "claim");
	if (s->outcome == HE_OK) {
		json_object_set_new(s->mail, "state", json_string("sent"));
		json_object_set_new(s->mail, "sent", json_integer(s->now));
		json_object_del(s->mail, "due");
		/* Accepted: it counts against the person's cap, and as
		 * delivered for its campaign's step and variant. */
		if ((kind_is(s->mail, "campaign") || kind_is(s->mail, "role")) &&
		    ((s->cap_mails > 0 &&
		    (rc = cap_note(st, txn, (uint64_t)num(s->mail, "cand"),
		    s->now, s->cap_days)) != HE_OK) ||
		    (kind_is(s->mail, "campaign") &&
		    (rc = campaign_stat_add(st, txn, (uint64_t)num(s->mail,
		    "camp"), (int)num(s->mail, "step"), (int)num(s->mail,
		    "variant"), "delivered", 1)) != HE_OK) ||
		    (rc = soft_bounces_reset(st, txn, (uint64_t)num(s->mail,
		    "cand"), str(s->mail, "to"))) != HE_OK))
			return rc;
	} else if (s->outcome == HE_INVALID || attempts >= ATTEMPTS_MAX) {
		json_object_set_new(s->mail, "state", json_string("failed"));
		json_object_del(s->mail, "due");
	} else {
		json_object_set_new(s->mail, "state", json_string("queued"));
		json_object_set_new(s->mail, "due", json_integer(s->now +
		    retry_wait(s->retry_seconds, attempts)));
	}
	return store_mail_put(st, txn, s->id, s->mail);
}

/* Mails claimed but never tried, put back as they were: a server that
 * is not taking mail now costs them neither an attempt nor a wait. */
struct release {
	struct claimed *c;
	size_t n;
};

static int
release_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct release *r = arg;
	int rc;

	for (size_t i = 0; i < r->n; i++) {
		json_t *mail = r->c[i].mail;

		/* Erased meanwhile, or taken over by another worker. */
		if ((rc = still_mine(st, txn, r->c[i].id, mail)) == HE_NOTFOUND ||
		    rc == HE_BUSY)
			continue;
		if (rc != HE_OK)
			return rc;
		json_object_del(mail, "claim");
		json_object_set_new(mail, "attempts", json_integer(r->c[i].attempts));
		json_object_set_new(mail, "due", json_integer(r->c[i].due));
		json_object_set_new(mail, "state", json_string("queued"));
		if ((rc = store_mail_put(st, txn, r->c[i].id, mail)) != HE_OK)
			return rc;
	}
	return HE_OK;
}

/* The links of one mail, signed now: Mail.link (what the mail is for),
 * Mail.prefs_url, Mail.unsubscribe_url and the one-click address. */
struct links {
	char *action, *prefs, *unsubscribe, *one_click;
};

/* *out = the page at path with *token, which is signed first when it is
 * NULL (the caller frees both). */
static int
sign(const struct outbox_cfg *cfg, enum comm_link link, uint64_t cand,
    const char *nonce, time_t from, const char *path, char **token,
    char **out)
{
	const char *base = hdf_get_value(cfg->site, "BaseURL", "");
	int rc = *token ? HE_OK : comm_link_sign(cfg->comm, link, cand, nonce,
	    from, token);

	if (rc != HE_OK)
		return rc;
	return asprintf(out, "%s%s?t=%s", base, path, *token) < 0 ? HE_NOMEM :
	    HE_OK;
}

static int
make_links(const struct outbox_cfg *cfg, const struct mail_kind *k,
    json_t *mail, int64_t now, struct links *l)
{
	uint64_t cand = (uint64_t)json_integer_value(json_object_get(mail, "cand"));
	/* A confirmation runs from when it was asked for, not from this try. */
	time_t created = (time_t)(json_integer_value(json_object_get(mail,
	    "created")) / 1000000);
	char *action = NULL, *prefs = NULL, *unsub = NULL;
	int rc;

	if (cand == 0)
		return HE_INVALID;
	rc = sign(cfg, k->action, cand, json_string_value(json_object_get(mail,
	    "nonce")), created, k->path, &action, &l->action);
	if (rc == HE_OK)
		rc = sign(cfg, COMM_LINK_PREFS, cand, NULL, now, "/preferences",
		    &prefs, &l->prefs);
	/* The footer's link and the one-click address carry the same token:
	 * signed once. */
	if (rc == HE_OK)
		rc = sign(cfg, COMM_LINK_UNSUBSCRIBE, cand, NULL, now, "/unsubscribe",
		    &unsub, &l->unsubscribe);
	if (rc == HE_OK)
		rc = sign(cfg, COMM_LINK_UNSUBSCRIBE, cand, NULL, now,
		    "/unsubscribe/one-click", &unsub, &l->one_click);
	free(action);
	free(prefs);
	free(unsub);
	return rc;
}

static void
free_links(struct links *l)
{
	free(l->action);
	free(l->prefs);
	free(l->unsubscribe);
	free(l->one_click);
}

static int
set(HDF *hdf, const char *name, const char *value)
{
	return neo_consume(hdf_set_value(hdf, name, value ? value : ""), name);
}

/*
 * The data every part of a mail is rendered from, in *hdf: one HDF for a
 * batch, made at its first mail with the load path and Site.* (copying
 * Site.* for each mail, and freeing it, cost as much as rendering the
 * three parts), and cleared of everything else before each mail, what
 * templates may have set included, so that nothing of one mail can show
 * in the next. Site.* is the configuration's, which templates only read.
 * On failure *hdf is destroyed.
 */
static int
mail_hdf(const struct outbox_cfg *cfg, json_t *mail, const struct links *l,
    HDF **hdf)
{
	int rc = HE_OK;

	if (*hdf == NULL) {
		if ((rc = neo_consume(hdf_init(hdf), "outbox: hdf_init")) != HE_OK)
			return rc;
		rc = set(*hdf, "hdf.loadpaths.0", cfg->templates);
		if (rc == HE_OK)
			rc = neo_consume(hdf_copy(*hdf, "Site", cfg->site),
			    "outbox: site");
	} else {
		HDF *node = hdf_obj_child(*hdf), *next;

		for (; node && rc == HE_OK; node = next) {
			const char *name = hdf_obj_name(node);

			next = hdf_obj_next(node);
			if (strcmp(name, "hdf") != 0 && strcmp(name, "Site") != 0)
				rc = neo_consume(hdf_remove_tree(*hdf, name),
				    "outbox: clear");
		}
	}
	if (rc == HE_OK)
		rc = set(*hdf, "Mail.to_name",
		    json_string_value(json_object_get(mail, "to_name")));
	if (rc == HE_OK)
		rc = set(*hdf, "Mail.to", json_string_value(json_object_get(mail, "to")));
	if (rc == HE_OK)
		rc = set(*hdf, "Mail.link", l->action);
	if (rc == HE_OK)
		rc = set(*hdf, "Mail.prefs_url", l->prefs);
	if (rc == HE_OK)
		rc = set(*hdf, "Mail.unsubscribe_url", l->unsubscribe);
	if (rc != HE_OK)
		hdf_destroy(hdf);
	return rc;
}

static int
render(HDF *hdf, const char *kind, const char *part, enum tmpl_escape esc,
    char **out)
{
	char file[128];
	size_t len;

	snprintf(file, sizeof file, "mail/%s.%s.cs", kind, part);
	return tmpl_render(hdf, file, esc, out, &len);
}

/* One mail through the batch: taken from a claim, formatted, sent, and
 * settled. */
struct job {
	struct claimed c;	/* c.mail NULL: no job */
	int outcome;		/* of formatting, then of sending */
	char *msg;		/* formatted, len bytes */
	size_t len;
};

static void
job_free(struct job *j)
{
	json_decref(j->c.mail);
	json_decref(j->c.rec);
	free(j->msg);
	memset(j, 0, sizeof *j);
}

/*
 * Formats the job's mail into j->msg, or says in j->outcome why it cannot
 * be (HE_INVALID: never; other codes: try later). Runs while the previous
 * mail is with the server.
 */
static void
prepare(const struct outbox_cfg *cfg, HDF **hdf, struct job *j)
{
	json_t *mail = j->c.mail;
	const struct mail_kind *k = kind_of(json_string_value(
	    json_object_get(mail, "kind")));
	char *subject = NULL, *text = NULL, *html = NULL;
	char msgid[128], mailto[600];
	struct links l = { NULL, NULL, NULL, NULL };
	int64_t now = clock_now();
	struct mail_msg m;
	int rc;

	if (k == NULL) {
		log_error("outbox: mail %llu has an unknown kind",
		    (unsigned long long)j->c.id);
		j->outcome = HE_INVALID;
		return;
	}
	if ((rc = make_links(cfg, k, mail, now, &l)) != HE_OK ||
	    (rc = mail_hdf(cfg, mail, &l, hdf)) != HE_OK ||
	    (rc = render(*hdf, k->name, "subject", TMPL_ESC_NONE, &subject)) != HE_OK ||
	    (rc = render(*hdf, k->name, "txt", TMPL_ESC_NONE, &text)) != HE_OK ||
	    (rc = render(*hdf, k->name, "html", TMPL_ESC_HTML, &html)) != HE_OK)
		goto out;
	/* A subject template may end in a newline; a header must not. */
	subject[strcspn(subject, "\r\n")] = '\0';
	/* The same at every attempt: a resent mail can be recognised. */
	snprintf(msgid, sizeof msgid, "hearth.%llu.%lld@%s",
	    (unsigned long long)j->c.id,
	    (long long)json_integer_value(json_object_get(mail, "created")),
	    cfg->msgid_domain);
	snprintf(mailto, sizeof mailto, "mailto:%s?subject=unsubscribe",
	    cfg->unsubscribe_address);
	m = (struct mail_msg){
		.from = cfg->from, .from_name = cfg->from_name,
		.to = json_string_value(json_object_get(mail, "to")),
		.to_name = json_string_value(json_object_get(mail, "to_name")),
		.subject = subject, .text = text, .html = html,
		.message_id = msgid, .msgid_domain = cfg->msgid_domain,
		.unsubscribe_url = l.one_click, .unsubscribe_mailto = mailto,
		.dkim = cfg->dkim,
	};
	if (m.to == NULL)
		rc = HE_INVALID;
	else
		rc = mail_format(&m, (time_t)now, &j->msg, &j->len);
out:
	free_links(&l);
	free(subject);
	free(text);
	free(html);
	j->outcome = rc;
}

static double conf_double(HDF *conf, const char *key, double def);

int
outbox_cfg_load(HDF *conf, const struct comm *comm, struct outbox_cfg *cfg)
{
	const char *from = conf_str(conf, "Mail.From", "talent@localhost");
	const char *at = strchr(from, '@');
	const char *url = conf_str(conf, "Mail.SMTPUrl", NULL);
	const char *user = conf_str(conf, "Mail.SMTPUser", NULL);
	int starttls = (int)conf_int(conf, "Mail.StartTLS", 0);
	char *outbox = conf_path(conf, "Mail.OutboxDir", "var/outbox");
	char *tmpl = conf_path(conf, "Web.Templates", "templates");
	char *ca_file = conf_path(conf, "Mail.CAFile", NULL);

	if (outbox == NULL || tmpl == NULL ||
	    (conf_str(conf, "Mail.CAFile", NULL) && ca_file == NULL)) {
		free(outbox);
		free(tmpl);
		free(ca_file);
		return HE_NOMEM;
	}
	/* Said at start what an admin would otherwise only learn from each
	 * failed delivery. */
	if (url && ca_file && access(ca_file, R_OK) != 0)
		log_error("Mail.CAFile %s: %s; mail over TLS stays queued until "
		    "it can be read", ca_file, strerror(errno));
	if (url && user && !starttls && strncasecmp(url, "smtps://", 8) != 0)
		log_warn("Mail.SMTPUser is set on a connection without TLS: the "
		    "password goes out in clear; use smtps:// or Mail.StartTLS = 1");
	*cfg = (struct outbox_cfg){
		.transport = {
			.smtp_url = url,
			.username = user,
			.password = conf_str(conf, "Mail.SMTPPassword", NULL),
			.starttls = starttls,
			.ca_file = ca_file,
			.outbox_dir = outbox,
		},
		.from = from,
		.from_name = conf_str(conf, "Mail.FromName", "Hearth"),
		.msgid_domain = at ? at + 1 : "localhost",
		.unsubscribe_address = conf_str(conf, "Mail.UnsubscribeAddress", from),
		.retry_seconds = conf_int(conf, "Mail.RetrySeconds", 60),
		.claim_seconds = conf_int(conf, "Mail.ClaimSeconds",
		    CLAIM_SECONDS_DEFAULT),
		.site = hdf_get_obj(conf, "Site"),
		.templates = tmpl,
		.comm = comm,
		.owned = { outbox, tmpl, ca_file },
		.rate = conf_double(conf, "Mail.RatePerSecond", 50),
		.domain_rate = conf_double(conf, "Mail.DomainRatePerSecond", 10),
		.cap_mails = (int)conf_int(conf, "Campaign.CapMails", 3),
		.cap_days = (int)conf_int(conf, "Campaign.CapDays", 7),
		.hold = (int)conf_int(conf, "Mail.Hold", 0),
	};
	campaign_cfg_load(conf, &cfg->campaign);
	if (conf_str(conf, "Mail.DKIMKeyFile", NULL)) {
		char *key = conf_path(conf, "Mail.DKIMKeyFile", NULL);
		int rc;

		if (key == NULL) {
			outbox_cfg_free(cfg);
			return HE_NOMEM;
		}
		rc = hdkim_signer_new(key, conf_str(conf, "Mail.DKIMSelector", ""),
		    conf_str(conf, "Mail.DKIMDomain", cfg->msgid_domain),
		    &cfg->dkim);
		free(key);
		/* Mail keeps going, unsigned, rather than not at all. */
		if (rc == HE_NOMEM) {
			outbox_cfg_free(cfg);
			return rc;
		}
		if (rc != HE_OK)
			log_error("DKIM is off: Mail.DKIMKeyFile, DKIMSelector and "
			    "DKIMDomain must all be set, and the key readable; "
			    "mail goes out unsigned");
	}
	return HE_OK;
}

/* A rate from the configuration: a decimal number, 0 (none) when it is
 * not one or negative. */
static double
conf_double(HDF *conf, const char *key, double def)
{
	const char *v = conf_str(conf, key, NULL);
	char *end;
	double d;

	if (v == NULL)
		return def;
	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end != '\0' || !(d > 0) || d > 1e6) {
		if (!(end != v && *end == '\0' && d == 0))
			log_warn("%s = %s is not a rate: no limit", key, v);
		return 0;
	}
	return d;
}

void
outbox_cfg_free(struct outbox_cfg *cfg)
{
	hdkim_signer_free(cfg->dkim);
	cfg->dkim = NULL;
	for (size_t i = 0; i < sizeof cfg->owned / sizeof *cfg->owned; i++) {
		free(cfg->owned[i]);
		cfg->owned[i] = NULL;
	}
}

/* A batch: one sender, and the mails it may still claim. */
#define CAMPAIGNS_MAX 16

struct batch {
	struct store *st;
	const struct outbox_cfg *cfg;
	struct mail_sender *sender;
	size_t left;		/* mails it may still claim */
	size_t *sent;
	struct claim q;		/* claimed, not yet taken */
	HDF *hdf;		/* what mails are rendered from (mail_hdf) */
	/* The campaigns of the batch's mails, each read once a batch. */
	struct { uint64_t id; json_t *body; } camps[CAMPAIGNS_MAX];
	size_t ncamps;
};

/* The mails with the sender, kept in the claim so that no later claim of
 * the batch takes one of them again before it is settled. */
static void
busy_add(struct batch *b, uint64_t id)
{
	if (b->q.nbusy < BUSY_MAX)
		b->q.busy[b->q.nbusy++] = id;
}

static void
busy_del(struct batch *b, uint64_t id)
{
	for (size_t i = 0; i < b->q.nbusy; i++)
		if (b->q.busy[i] == id) {
			b->q.busy[i] = b->q.busy[--b->q.nbusy];
			return;
		}
}

static void
batch_camps_free(struct batch *b)
{
	for (size_t i = 0; i < b->ncamps; i++)
		json_decref(b->camps[i].body);
	b->ncamps = 0;
}

/* Campaign id as this batch knows it (borrowed), or NULL with *rc. */
static json_t *
batch_camp(struct batch *b, uint64_t id, int *rc)
{
	json_t *body;

	for (size_t i = 0; i < b->ncamps; i++)
		if (b->camps[i].id == id)
			return b->camps[i].body;
	if ((*rc = campaign_get(b->st, id, &body)) != HE_OK)
		return NULL;
	if (b->ncamps == CAMPAIGNS_MAX) {
		json_decref(b->camps[0].body);
		memmove(b->camps, b->camps + 1, (CAMPAIGNS_MAX - 1) *
		    sizeof *b->camps);
		b->ncamps--;
	}
	b->camps[b->ncamps].id = id;
	b->camps[b->ncamps++].body = body;
	return body;
}

/*
 * prepare() for the kinds a campaign sends: "campaign" (to a person,
 * tracked, with the pixel when they allowed it) and "campaign_test" (to a
 * user: untracked, "[Test] " before the subject, no unsubscribe headers).
 */
static void
prepare_campaign(struct batch *b, struct job *j)
{
	const struct outbox_cfg *cfg = b->cfg;
	json_t *mail = j->c.mail, *camp, *rec = j->c.rec, *own = NULL;
	json_t *role_camp = NULL;
	int test = kind_is(mail, "campaign_test"), pixel = 0, rc = HE_OK;
	/* A test send's person only fills it in: "data_cand", not indexed
	 * (older ones have "cand"). */
	uint64_t cand = (uint64_t)num(mail, test && num(mail, "data_cand") ?
	    "data_cand" : "cand");
	struct campaign_rendered r = { NULL, NULL, NULL, NULL };
	char msgid[128], mailto[600], err[200], *subject = NULL;
	int64_t now = clock_now();
	struct mail_msg m;

	if (rec == NULL) {
		if ((rc = store_cand_get(b->st, NULL, cand, 0, &own)) != HE_OK) {
			j->outcome = rc == HE_NOTFOUND ? HE_INVALID : rc;
			return;
		}
		rec = own;
	}
	if (kind_is(mail, "role")) {
		/* A personal mail: its own subject and body, as a campaign's
		 * one email step, signed by its sender, about its role. */
		json_t *seen = NULL;

		rc = role_mail_shape(mail, rec, &role_camp, &seen);
		json_decref(own);
		if (rc != HE_OK) {
			j->outcome = rc;
			return;
		}
		rec = own = seen;
		camp = role_camp;
	} else if ((camp = batch_camp(b, (uint64_t)num(mail, "camp"), &rc)) ==
	    NULL) {
		/* A campaign that is gone is never sent. */
		json_decref(own);
		j->outcome = rc == HE_NOTFOUND ? HE_INVALID : rc;
		return;
	}
	pixel = !test && json_is_true(json_object_get(json_object_get(rec,
	    "prefs"), "tracking"));
	rc = campaign_mail_render(b->st, cfg->comm, camp, (int)num(mail, "step"),
	    (int)num(mail, "variant"), cand, rec, test ? 0 : j->c.id, pixel, &r,
	    err, sizeof err);
	json_decref(own);
	json_decref(role_camp);
	if (rc != HE_OK) {
		log_error("outbox: campaign mail %llu: %s",
		    (unsigned long long)j->c.id, err);
		j->outcome = rc;
		return;
	}
	if (test && asprintf(&subject, "[Test] %s", r.subject) < 0) {
		campaign_rendered_free(&r);
		j->outcome = HE_NOMEM;
		return;
	}
	snprintf(msgid, sizeof msgid, "hearth.%llu.%lld@%s",
	    (unsigned long long)j->c.id, (long long)num(mail, "created"),
	    cfg->msgid_domain);
	snprintf(mailto, sizeof mailto, "mailto:%s?subject=unsubscribe",
	    cfg->unsubscribe_address);
	m = (struct mail_msg){
		.from = cfg->from, .from_name = cfg->from_name,
		.to = str(mail, "to"), .to_name = str(mail, "to_name"),
		.subject = subject ? subject : r.subject, .text = r.text,
		.html = r.html, .message_id = msgid,
		.msgid_domain = cfg->msgid_domain,
		.unsubscribe_url = test ? NULL : r.one_click,
		.unsubscribe_mailto = test ? NULL : mailto,
		.dkim = cfg->dkim,
	};
	if (m.to == NULL)
		rc = HE_INVALID;
	else
		rc = mail_format(&m, (time_t)now, &j->msg, &j->len);
	if (rc == HE_OK) {
		json_object_set_new(mail, "msgid", json_string(msgid));
		if (pixel)
			json_object_set_new(mail, "pixel", json_true());
	}
	free(subject);
	campaign_rendered_free(&r);
	j->outcome = rc;
}

/* prepare() for a role owner's digest of new matches ("role_digest"): to
 * a user, rendered from the ids it holds (role_digest_render). */
static void
prepare_digest(struct batch *b, struct job *j)
{
	const struct outbox_cfg *cfg = b->cfg;
	json_t *mail = j->c.mail;
	char msgid[128], *subject = NULL, *text = NULL;
	struct mail_msg m;
	int rc;

	if ((rc = role_digest_render(b->st, mail, &subject, &text)) != HE_OK) {
		j->outcome = rc == HE_NOTFOUND ? HE_INVALID : rc;
		return;
	}
	snprintf(msgid, sizeof msgid, "hearth.%llu.%lld@%s",
	    (unsigned long long)j->c.id, (long long)num(mail, "created"),
	    cfg->msgid_domain);
	m = (struct mail_msg){
		.from = cfg->from, .from_name = cfg->from_name,
		.to = str(mail, "to"), .to_name = str(mail, "to_name"),
		.subject = subject, .text = text, .message_id = msgid,
		.msgid_domain = cfg->msgid_domain, .dkim = cfg->dkim,
	};
	rc = m.to ? mail_format(&m, (time_t)clock_now(), &j->msg, &j->len) :
	    HE_INVALID;
	if (rc == HE_OK)
		json_object_set_new(mail, "msgid", json_string(msgid));
	free(subject);
	free(text);
	j->outcome = rc;
}

/* Takes the next claimed mail into j, claiming more when none is left;
 * j->c.mail stays NULL when nothing is due. */
static int
take(struct batch *b, struct job *j)
{
	struct claim *q = &b->q;
	int rc;

	memset(j, 0, sizeof *j);
	if (q->head == q->n && b->left > 0) {
		claim_clear(q);
		unsigned char raw[CLAIM_TOKEN_BYTES];

		q->now = clock_now();
		q->want = b->left < CLAIM_MAX ? b->left : CLAIM_MAX;
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(q->token, sizeof q->token, raw, sizeof raw);
		q->nspent = 0;		/* the last claim's turns are taken for good */
		if ((rc = store_txn(b->st, claim_txn, q)) != HE_OK) {
			claim_clear(q);
			return rc == HE_NOTFOUND ? HE_OK : rc;
		}
		b->left -= q->n;
		if (outbox_claimed_hook && q->n > 0)
			outbox_claimed_hook(outbox_claimed_arg);
	}
	if (q->head < q->n) {
		j->c = q->c[q->head];
		q->c[q->head++].mail = NULL;	/* j owns it now */
	}
	return HE_OK;
}

/* Cancels mail id (this claim's, j's copy) with why, unless another
 * worker took it over meanwhile or it is gone. */
struct cancel {
	uint64_t id;
	json_t *mail;
	const char *why;
	int64_t now;
};

static int
cancel_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct cancel *k = arg;
	int rc;

	if ((rc = still_mine(st, txn, k->id, k->mail)) == HE_BUSY ||
	    rc == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	json_object_del(k->mail, "claim");
	json_object_del(k->mail, "due");
	json_object_set_new(k->mail, "state", json_string("cancelled"));
	json_object_set_new(k->mail, "why", json_string(k->why));
	json_object_set_new(k->mail, "cancelled", json_integer(k->now));
	return store_mail_put(st, txn, k->id, k->mail);
}

/*
 * Whether j's mail may still go, looked at again just before it is handed
 * to the sender (its group's claim may be a while ago): HE_OK; HE_BUSY
 * when it was passed over (erased; taken over by another worker; for a
 * campaign mail, the person or their enrolment no longer letting it go:
 * then cancelled). Reads only, outside any transaction, unless it cancels.
 */
static int
still_live(struct batch *b, struct job *j)
{
	json_t *stored, *rec = NULL;
	const char *mine = str(j->c.mail, "claim"), *held, *why;
	int64_t now = clock_now();
	int rc;

	if ((rc = store_mail_get(b->st, NULL, j->c.id, &stored)) == HE_NOTFOUND)
		return HE_BUSY;
	if (rc != HE_OK)
		return rc;
	held = str(stored, "claim");
	rc = mine && held && strcmp(mine, held) == 0 ? HE_OK : HE_BUSY;
	json_decref(stored);
	if (rc != HE_OK || (!kind_is(j->c.mail, "campaign") &&
	    !kind_is(j->c.mail, "role")) || b->cfg == NULL)
		return rc;
	rc = store_cand_get(b->st, NULL, (uint64_t)num(j->c.mail, "cand"), 0,
	    &rec);
	if (rc != HE_OK && rc != HE_NOTFOUND)
		return rc;
	why = rc == HE_NOTFOUND ? "erased" : refusal(b->st, NULL, j->c.mail,
	    rec, now, &rc);
	if (rc != HE_OK) {
		json_decref(rec);
		return rc;
	}
	if (why == NULL) {
		/* Rendered from the person as they are now. */
		json_object_set(j->c.mail, "to", json_object_get(rec, "email"));
		json_decref(j->c.rec);
		j->c.rec = rec;
		return HE_OK;
	}
	json_decref(rec);
	{
		struct cancel k = { j->c.id, j->c.mail, why, now };

		if ((rc = store_txn_written(b->st, cancel_txn, &k)) != HE_OK)
			return rc;
	}
	return HE_BUSY;
}

/* take(), passing over the mails that may no longer go since they were
 * claimed (the rest of their group took time): erased, taken over by
 * another worker, a campaign mail whose person unsubscribed, paused, was
 * marked do_not_contact or invalid, or whose enrolment stopped. The check
 * runs while the mail before is with the server, a mail's time before this
 * one is sent. On an error, j keeps the mail, untried. */
static int
take_live(struct batch *b, struct job *j)
{
	int rc;

	for (;;) {
		if ((rc = take(b, j)) != HE_OK || j->c.mail == NULL)
			return rc;
		if ((rc = still_live(b, j)) != HE_BUSY)
			return rc;
		job_free(j);
	}
}

/*
 * Records how the job's attempt went. Written without a sync
 * (store_txn_written): it survives the worker being killed, and the next
 * claim's durable commit, or the flush at the end of the batch, syncs it,
 * as the log is written in order. A power cut before that can undo it,
 * never a claim: the mail is then sent once more at its next try (with
 * the same Message-ID), never lost.
 */
static int
settle(struct batch *b, struct job *j)
{
	struct settle s = { j->c.id, j->c.mail, j->outcome, clock_now(),
	    b->cfg->retry_seconds, b->cfg->cap_days > 0 ? b->cfg->cap_mails : 0,
	    b->cfg->cap_days };
	int rc = store_txn_written(b->st, settle_txn, &s);

	busy_del(b, j->c.id);
	if (rc == HE_NOTFOUND)
		rc = HE_OK;	/* erased meanwhile */
	if (rc == HE_OK && j->outcome == HE_OK)
		(*b->sent)++;
	job_free(j);
	return rc;
}

/* Puts back j's mail, claimed but never tried (nothing when there is
 * none). Failing that, it waits for its next try, as after a kill. */
static int
put_back(struct batch *b, struct claimed *c, size_t n)
{
	struct release r = { c, n };
	int rc;

	if (n == 0 || (rc = store_txn_written(b->st, release_txn, &r)) == HE_OK)
		return HE_OK;
	log_warn("outbox: %zu claimed mail(s) left to their retry: %s", n,
	    he_strerror(rc));
	return rc == HE_PANIC ? rc : HE_OK;
}

static int
put_back_job(struct batch *b, struct job *j)
{
	int rc = put_back(b, &j->c, j->c.mail ? 1 : 0);

	busy_del(b, j->c.id);
	job_free(j);
	return rc;
}

/* Queues the job's formatted mail with the sender (named by its id: the
 * outbox's file). */
static int
start(struct batch *b, struct job *j)
{
	char name[32];
	int rc;

	snprintf(name, sizeof name, "%llu", (unsigned long long)j->c.id);
	rc = mail_sender_start(b->sender, name, b->cfg->from,
	    json_string_value(json_object_get(j->c.mail, "to")), j->msg, j->len);
	if (rc == HE_OK)
		busy_add(b, j->c.id);
	return rc;
}

/*
 * The mails go out one at a time over one connection, the SMTP dialogue
 * running in the sender's own thread (lib/net) with the next mail queued
 * behind the one being sent, so that it goes on to it at once. This thread
 * meanwhile settles each mail as soon as the server has answered for it,
 * claims the next group when one is needed and formats the mail to queue
 * next: that work (about 0.2 ms of CPU a mail; the server's is 0.5 to
 * 0.8 ms) is done beside the dialogue instead of between its steps; see
 * BENCHMARKS.md, "Mail delivery".
 *
 * What a kill at any point leaves: each mail claimed is either settled or
 * still "sending" with its next try scheduled, so it goes out again then:
 * never lost, and sent twice only when the kill fell between the server's
 * acceptance and the settle that follows it. This thread waits for that
 * acceptance and settles at once, unless it is still formatting the next
 * mail (well under the time the server takes) or claiming the next group
 * (a millisecond or two, once a group).
 */
int
outbox_deliver_due(struct store *st, const struct outbox_cfg *cfg, size_t max,
    size_t *sent)
{
	struct batch b = { .st = st, .cfg = cfg, .left = max, .sent = sent,
	    .q = { .claim_seconds =
	    cfg->claim_seconds > 0 ? cfg->claim_seconds : CLAIM_SECONDS_DEFAULT,
	    .cfg = cfg } };
	struct job queued[2], next = { 0 };	/* queued: with the sender */
	size_t nq = 0;
	int rc, frc, stop = 0;

	*sent = 0;
	if (cfg->hold)
		return HE_OK;
	/* One sender for the batch: over SMTP the mails share a connection. */
	if ((rc = mail_sender_new(&cfg->transport, &b.sender)) != HE_OK)
		return rc;
	for (;;) {
		struct job cur;
		int tried;

		/* One mail being sent and one queued behind it. */
		while (!stop && nq < 2) {
			if ((rc = take_live(&b, &next)) != HE_OK) {
				stop = 1;	/* next keeps its mail, untried */
				break;
			}
			if (next.c.mail == NULL)
				break;
			if (kind_is(next.c.mail, "campaign") ||
			    kind_is(next.c.mail, "campaign_test") ||
			    kind_is(next.c.mail, "role"))
				prepare_campaign(&b, &next);
			else if (kind_is(next.c.mail, "role_digest"))
				prepare_digest(&b, &next);
			else
				prepare(cfg, &b.hdf, &next);
			if (next.outcome == HE_OK)
				pace(cfg);	/* Mail.RatePerSecond */
			if (next.outcome == HE_OK &&
			    (next.outcome = start(&b, &next)) == HE_OK) {
				queued[nq++] = next;
				memset(&next, 0, sizeof next);
				continue;
			}
			/* Never handed over (no such kind, a bad address). */
			if (next.outcome == HE_NOMEM || next.outcome == HE_IO)
				next.outcome = HE_TEMPFAIL;
			if (next.outcome == HE_TEMPFAIL)
				stop = 1;
			if ((rc = settle(&b, &next)) != HE_OK)
				stop = 1;
		}
		if (nq == 0)
			break;
		cur = queued[0];
		queued[0] = queued[1];
		nq--;
		cur.outcome = mail_sender_finish(b.sender, &tried);
		if (!tried) {
			/* Behind a failure: untouched, it goes at the next pass. */
			if ((frc = put_back_job(&b, &cur)) != HE_OK && rc == HE_OK)
				rc = frc;
			continue;
		}
		if (cur.outcome == HE_NOMEM || cur.outcome == HE_IO)
			cur.outcome = HE_TEMPFAIL;
		/* The server is not taking mail now: the rest waits for the
		 * next pass instead of each failing in turn. */
		if (cur.outcome == HE_TEMPFAIL)
			stop = 1;
		if ((frc = settle(&b, &cur)) != HE_OK) {
			stop = 1;
			if (rc == HE_OK)
				rc = frc;
		}
	}
	if ((frc = put_back_job(&b, &next)) != HE_OK && rc == HE_OK)
		rc = frc;
	if ((frc = put_back(&b, &b.q.c[b.q.head], b.q.n - b.q.head)) != HE_OK &&
	    rc == HE_OK)
		rc = frc;
	claim_clear(&b.q);
	mail_sender_free(b.sender);
	if (b.hdf)
		hdf_destroy(&b.hdf);
	batch_camps_free(&b);
	/* The batch's last settles reach the disk now, not at the next pass. */
	if ((frc = store_flush(st)) != HE_OK && rc == HE_OK)
		rc = frc;
	return rc;
}
