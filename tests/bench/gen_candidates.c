/* gen_candidates.c: a million realistic candidates for the issue-4 benchmarks, through the product's batch write path */

/*
 * Usage: gen_candidates [options] VAR [N]
 *   VAR   a data directory as bin/hearth-run --var takes it; VAR/db must not
 *         exist yet. Gets the site key (VAR/secret), the database (VAR/db)
 *         and VAR/local.hdf (Db.CacheMB, so hearth-run's programs say the
 *         same), then the users, the pools and N candidates (default
 *         1000000).
 *   --seed S        the data are a function of S (default 4)
 *   --batch B       candidates per transaction (default 150: the shipped
 *                   lock table has 5000 locks for every process together,
 *                   and a batch of 200 held up to 4685 of them at a million,
 *                   some 23 page locks per candidate)
 *   --cache-mb M    Db.CacheMB of the new environment (default 8, as shipped)
 *   --password P    password of every user made (default bench-password-4)
 *   --dynamic D     dynamic pools made and built after the load (default 4)
 *   --no-touches    write no touchpoints (they are still drawn, so the rest
 *                   of the data is the same as with them)
 *   --mailable      everyone joined through the talent community and
 *                   confirmed (consent events granted and confirmed),
 *                   nobody "do_not_contact", and 30% allowed open tracking
 *                   (prefs.tracking): the audience of the campaign mail
 *                   benchmark (tests/bench/campaign_rate.c)
 *   --audience      one more static pool, "Everyone (campaign bench)", made
 *                   before the load, with every candidate in it: the
 *                   million-member pool of the campaign benchmark
 *                   (tests/bench/campaign_schedule.c)
 *
 * Run from the top of the source tree (HEARTH_HOME: conf/hearth.hdf and
 * the policy file the consent events hash are read from there).
 *
 * What it writes, all through the code the product runs:
 *   - 20 users (auth_user_add): admin@hearth.localhost (admin, so
 *     hearth-run makes none) and recruiter01..19@bench.hearth.localhost,
 *     all with the same password (argon2id: a second or two);
 *   - 20 static pools (pool_create) before the load;
 *   - N candidates in transactions of B, each record written with
 *     cand_batch_write and the postings applied once per transaction by
 *     cand_batch_flush, as an import does; their consent events with
 *     comm_ledger_append, note words with cand_terms_add, a résumé's words
 *     with cand_resume_terms_set as the worker's CV reader leaves them;
 *   - 10 touchpoints per candidate (store_touch_insert, lib/store/touch.h)
 *     in the same transaction: how they came (signup or created), then
 *     mails, LinkedIn messages, calls, notes, status changes, meetings,
 *     events, SMS and edits, by their owner or another user, spread from
 *     their joining to now, one at their last engagement;
 *   - then D dynamic pools (saved filters, pool_create) and their build
 *     over every candidate with pool_build_step in steps of POOL_BUILD_MAX,
 *     as the worker runs it, timed.
 * Candidate ids are taken a batch at a time (store_next_ids), as imports do.
 *
 * The data: names of 18 cultures (accented Latin, Han, Hangul, kana,
 * Cyrillic, Greek, Arabic scripts; family name first where it is; family
 * names with a long tail where real ones have it: crm_vocab.h), unique
 * emails from romanised names, phones for most, cities by culture (a
 * quarter anywhere; 15% open to remote, some with no city), job families
 * of Site.JobFamilies, titles and seniority, 3-8 skills from ~300 with a
 * Zipf skew, sources, statuses and consent states in realistic shares,
 * 0-4 tags of 50, 0-3 static pools of 20, owners among the 20 users,
 * joined over 4 years in id order, last engagement over 3 years, the last
 * edit ("updated") and "stale" as the worker's freshness pass would leave
 * them (the write path's clock is set back for each record: pick_updated),
 * a third with a résumé's words, a quarter with notes. Deterministic for a
 * seed.
 *
 * Prints "key value" lines for tests/bench/run:
 *   users U / static_pools P
 *   audience_pool ID          with --audience
 *   generated N in S seconds: R cand/s (batch B)   wall time of the load
 *   write S seconds: R cand/s   the part in transactions (write + flush)
 *   cpu U us/cand             this process's CPU per candidate, load only
 *   dynamic ID built in S seconds, count C, steps K: NAME
 *   file NAME BYTES           every database file of VAR/db after a checkpoint
 *   size data BYTES per_cand B   the database files (as du counts them)
 *   size logs BYTES / size regions BYTES   log files; __db.* region files
 *   size all BYTES per_cand B    everything in VAR/db
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "crm/auth.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/community_int.h"
#include "crm/engage.h"
#include "crm/fresh.h"
#include "crm/pool.h"
#include "crm/query.h"
#include "crm/setup.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/token.h"

#include "crm_vocab.h"

#define USERS 20
#define TOUCHES 10
#define YEAR (365L * 86400)

/* --no-touches, --audience (its pool id; 0 without) */
static int write_touches = 1, mailable;
static uint64_t audience_pool;

/* ---- a seeded generator (splitmix64) and skewed draws ---- */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
unif(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static size_t
below(size_t n)
{
	return (size_t)(unif() * (double)n);
}

static int
chance(double p)
{
	return unif() < p;
}

/* Index i of n with probability weight[i] / sum. */
static size_t
weighted(const unsigned *w, size_t n)
{
	unsigned sum = 0, x;

	for (size_t i = 0; i < n; i++)
		sum += w[i];
	x = (unsigned)(unif() * sum);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Zipf (s = 1.07) over 1..n: rank 0 is the commonest. Inverse of a
 * cumulative table per n, built on first use; n <= ZIPF_MAX. */
#define ZIPF_MAX 512
static double *zipf_cdf[ZIPF_MAX + 1];

static size_t
zipf(size_t n)
{
	double *c, x;
	size_t lo = 0, hi = n - 1;

	if (n <= 1)
		return 0;
	if (n > ZIPF_MAX)
		n = ZIPF_MAX;
	if ((c = zipf_cdf[n]) == NULL) {
		double sum = 0;

		if ((c = malloc(n * sizeof *c)) == NULL)
			return below(n);
		for (size_t i = 0; i < n; i++)
			c[i] = (sum += 1.0 / pow((double)(i + 1), 1.07));
		for (size_t i = 0; i < n; i++)
			c[i] /= sum;
		zipf_cdf[n] = c;
	}
	x = unif();
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- emails: unique, like people's ---- */

static uint64_t *email_set;
static size_t email_cap;

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

/* Whether s was new (and is now taken). */
static int
email_take(const char *s)
{
	uint64_t h = fnv(s);
	size_t i = (size_t)h & (email_cap - 1);

	while (email_set[i]) {
		if (email_set[i] == h)
			return 0;
		i = (i + 1) & (email_cap - 1);
	}
	email_set[i] = h;
	return 1;
}

static void
make_email(const struct bv_name *first, const struct bv_name *last, long i,
    char *out, size_t size)
{
	const char *dom = bv_domains[zipf(NELEM(bv_domains))];
	const char *f = first->ascii, *l = last->ascii;
	char local[128];

	switch (below(6)) {
	case 0: case 1:
		snprintf(local, sizeof local, "%s.%s", f, l);
		break;
	case 2:
		snprintf(local, sizeof local, "%c%s", f[0], l);
		break;
	case 3:
		snprintf(local, sizeof local, "%s%s", f, l);
		break;
	case 4:
		snprintf(local, sizeof local, "%s_%s", f, l);
		break;
	default:
		snprintf(local, sizeof local, "%s.%s%02u", f, l, (unsigned)below(100));
	}
	snprintf(out, size, "%s@%s", local, dom);
	if (email_take(out))
		return;
	snprintf(out, size, "%s%u@%s", local, (unsigned)(10 + below(990)), dom);
	if (email_take(out))
		return;
	/* Past a thousand namesakes at one provider: the id makes it unique. */
	snprintf(out, size, "%s.%ld@%s", local, i, dom);
	email_take(out);
}

/* ---- one candidate ---- */

struct gen {
	struct store *st;
	struct comm comm;
	int64_t now;
	long n;
	uint64_t users[USERS];
	char user_name[USERS][64];
	uint64_t pools[NELEM(bv_static_pools)];
};

static json_t *
str_array_distinct(const char *const *v, size_t n, size_t want, int skew)
{
	json_t *arr = json_array();
	size_t tries = 0;

	while (arr && json_array_size(arr) < want && tries++ < want * 20) {
		const char *s = v[skew ? zipf(n) : below(n)];
		size_t i;
		json_t *x;
		int dup = 0;

		json_array_foreach(arr, i, x)
			dup |= strcmp(json_string_value(x), s) == 0;
		if (!dup)
			json_array_append_new(arr, json_string(s));
	}
	return arr;
}

/* Words for a résumé or a note: the family's skills, the general words,
 * places, names of firms, skewed. */
static void
text_of(size_t family, size_t words, char *out, size_t size)
{
	size_t len = 0;

	out[0] = 0;
	for (size_t k = 0; k < words && len + 64 < size; k++) {
		const char *w;
		double x = unif();

		if (x < 0.18)
			w = bv_skills[family].v[zipf(bv_skills[family].n)];
		else if (x < 0.22)
			w = bv_skills_general[zipf(NELEM(bv_skills_general))];
		else if (x < 0.25)
			w = bv_places[below(NELEM(bv_places))].city;
		else
			w = bv_text_words[zipf(NELEM(bv_text_words))];
		len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", w);
	}
}

/* What is written beside the record: consent events and touchpoints. */
struct consent_plan {
	const char *events[3];
	size_t n;
	json_t *touches[TOUCHES];
	int64_t joined, updated;	/* unix seconds: the write path's clock */
};

/*
 * When the record was last edited. The write path sets "updated" (and the
 * "level", from the engagement score "eng") from its clock, which the load
 * sets back to this time for each record: chosen so that the level then is
 * the level now, so that the worker's freshness pass finds nothing to
 * change. Most records were not edited much after what happened last to
 * them.
 */
static int64_t
pick_updated(struct gen *g, int64_t joined, int64_t engaged, json_t *rec)
{
	const int64_t day = 86400;
	const struct engage_cfg *c = engage_settings();
	const char *level = engage_level(rec, g->now);
	double s = engage_score(rec, engaged), below;
	int64_t lo, hi = g->now;

	if (engaged == 0)		/* cold whenever: after joining */
		lo = joined;
	else if (strcmp(level, "hot") == 0)
		lo = engaged;
	else {				/* from when the score fell below */
		below = strcmp(level, "warm") == 0 ? c->hot : c->warm;
		lo = engaged;
		if (s >= below)
			lo += (int64_t)ceil(c->half_life_days * day * log2(s / below)) + 1;
	}
	if (lo > hi)
		lo = hi;
	if (chance(0.7) && lo + 30 * day < hi)	/* left alone since */
		hi = lo + 30 * day;
	return lo + (int64_t)(unif() * (double)(hi - lo));
}

static int
int64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The timeline: how they came, then what recruiters and mail did since,
 * in time order from joining to now, one of them at the last engagement.
 */
static void
make_touches(struct gen *g, struct consent_plan *cp, size_t family,
    int community, int64_t joined, int64_t engaged, json_int_t owner,
    const char *status)
{
	static const char *const kinds[] = {
		"email", "linkedin", "note", "call", "status", "meeting", "event",
		"sms", "edit",
	};
	static const unsigned kind_weight[] = { 30, 15, 15, 10, 10, 5, 5, 5, 5 };
	static const char *const outcomes[] = {
		"reached", "voicemail", "no answer", "call back later",
	};
	int64_t at[TOUCHES];
	char text[1024];

	at[0] = joined;
	for (int k = 1; k < TOUCHES; k++)
		at[k] = joined + (int64_t)(unif() * (double)(g->now - joined));
	qsort(at + 1, TOUCHES - 1, sizeof *at, int64_cmp);
	for (int k = 0; k < TOUCHES; k++) {
		const char *kind;
		size_t u = owner && chance(0.7) ? 0 : 1 + below(USERS - 1);
		uint64_t by = owner && u == 0 ? (uint64_t)owner : g->users[u];
		const char *by_name = g->user_name[0];
		json_t *t, *detail = json_object();
		int64_t when = at[k];

		for (int x = 0; x < USERS; x++)
			if (g->users[x] == by)
				by_name = g->user_name[x];
		if (k == 0)
			kind = community ? "signup" : "created";
		else
			kind = kinds[weighted(kind_weight, NELEM(kind_weight))];
		/* The engagement the record names is one of them. */
		if (engaged && k == TOUCHES - 1) {
			kind = chance(0.5) ? "email" : "meeting";
			when = engaged;
		}
		text[0] = 0;
		if (strcmp(kind, "note") == 0 || strcmp(kind, "call") == 0 ||
		    strcmp(kind, "meeting") == 0 || strcmp(kind, "linkedin") == 0 ||
		    strcmp(kind, "sms") == 0)
			text_of(family, 6 + below(30), text, sizeof text);
		else if (strcmp(kind, "email") == 0)
			snprintf(text, sizeof text, "%s", chance(0.5) ?
			    "New roles that match your profile" :
			    "Checking in: are you open to a move?");
		if (strcmp(kind, "call") == 0)
			json_object_set_new(detail, "outcome",
			    json_string(outcomes[zipf(NELEM(outcomes))]));
		else if (strcmp(kind, "status") == 0)
			json_object_set_new(detail, "to", json_string(status));
		else if (strcmp(kind, "edit") == 0)
			json_object_set_new(detail, "fields", json_pack("[s]",
			    chance(0.5) ? "phone" : "title"));
		else if (strcmp(kind, "email") == 0)
			json_object_set_new(detail, "opened", json_boolean(chance(0.4)));
		t = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:o}",
		    "at", (json_int_t)when, "kind", kind, "channel",
		    k == 0 ? (community ? "web" : "office") :
		    strcmp(kind, "status") == 0 || strcmp(kind, "edit") == 0 ?
		    "office" : kind,
		    "by", (json_int_t)(k == 0 && community ? 0 : by),
		    "by_name", k == 0 && community ? "" : by_name, "text", text,
		    "detail", detail);
		cp->touches[k] = t;
	}
}

static json_t *
make_cand(struct gen *g, long i, struct consent_plan *cp)
{
	const struct bv_culture *cu;
	const struct bv_name *first, *last;
	struct bv_name tail;
	char tail_s[96], tail_ascii[96];
	const struct bv_place *pl;
	unsigned cw[NELEM(bv_cultures)];
	size_t family, sen, src, nskills, ntags, npools;
	char name[256], email[256], buf[256], text[4096];
	int64_t joined, engaged = 0, span = 4 * YEAR;
	json_t *rec, *interests, *skills, *tags, *pools;
	const char *status;
	json_int_t owner = 0;
	int remote, community;

	for (size_t k = 0; k < NELEM(bv_cultures); k++)
		cw[k] = bv_cultures[k].weight;
	cu = &bv_cultures[weighted(cw, NELEM(bv_cultures))];
	first = &cu->first[zipf(cu->nfirst)];
	last = &cu->last[zipf(cu->nlast)];
	if (cu->nta && below(100) < cu->tail_pct) {
		const struct bv_name *a = &cu->ta[below(cu->nta)];
		const struct bv_name *b = &cu->tb[zipf(cu->ntb)];

		snprintf(tail_s, sizeof tail_s, "%s%s", a->s, b->s);
		snprintf(tail_ascii, sizeof tail_ascii, "%s%s", a->ascii, b->ascii);
		tail.s = tail_s;
		tail.ascii = tail_ascii;
		last = &tail;
	}
	if (cu->family_first)
		snprintf(name, sizeof name, "%s%s%s", last->s, cu->no_space ? "" : " ",
		    first->s);
	else
		snprintf(name, sizeof name, "%s %s", first->s, last->s);
	make_email(first, last, i, email, sizeof email);

	pl = chance(0.75) ? &bv_places[cu->home[zipf(cu->nhome)]] :
	    &bv_places[zipf(NELEM(bv_places))];
	remote = chance(0.15);
	family = weighted(bv_family_weight, NELEM(bv_family_weight));
	sen = weighted(bv_seniority_weight, NELEM(bv_seniority_weight));
	src = weighted(bv_source_weight, NELEM(bv_source_weight));
	if (mailable)
		src %= BV_CONSENT_SOURCES;
	community = src < BV_CONSENT_SOURCES;

	/* Joined in id order over four years; engaged since, or never. */
	joined = g->now - span + (int64_t)((double)span * ((double)i + unif()) /
	    (double)g->n);
	if (joined > g->now)
		joined = g->now;
	if (!chance(community ? 0.03 : 0.25)) {
		int64_t back = (int64_t)(3.0 * YEAR * pow(unif(), 1.6));

		engaged = g->now - back;
		if (engaged < joined)
			engaged = joined + (int64_t)(unif() * (double)(g->now - joined));
	}

	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:I}",
	    "first_name", first->s, "last_name", last->s, "name", name,
	    "email", email, "country", pl->country, "remote", remote,
	    "seniority", bv_seniorities[sen], "source", bv_sources[src],
	    "joined", (json_int_t)joined * 1000000 + (json_int_t)below(1000000));
	if (rec == NULL)
		return NULL;
	if (!(remote && chance(0.3)))
		json_object_set_new(rec, "city", json_string(pl->city));
	comm_email_key(&g->comm, email, buf);
	json_object_set_new(rec, "email_key", json_string(buf));
	if (chance(0.7)) {
		snprintf(buf, sizeof buf, "%s %u %03u %04u", pl->dial,
		    (unsigned)(100 + below(900)), (unsigned)below(1000),
		    (unsigned)below(10000));
		json_object_set_new(rec, "phone", json_string(buf));
	}
	if (chance(0.45)) {
		snprintf(buf, sizeof buf, "https://www.linkedin.com/in/%s-%s-%08llx",
		    first->ascii, last->ascii, (unsigned long long)(rnd() & 0xffffffff));
		json_object_set_new(rec, "url", json_string(buf));
	}
	snprintf(buf, sizeof buf, "%s%s%s", bv_title_prefix[sen],
	    bv_title_prefix[sen][0] ? " " : "",
	    bv_titles[family].v[zipf(bv_titles[family].n)]);
	json_object_set_new(rec, "title", json_string(buf));

	interests = json_array();
	json_array_append_new(interests, json_string(bv_families[family]));
	for (size_t k = below(3); k > 0; k--) {
		const char *f = bv_families[weighted(bv_family_weight,
		    NELEM(bv_family_weight))];

		if (strcmp(f, bv_families[family]) != 0)
			json_array_append_new(interests, json_string(f));
	}
	json_object_set_new(rec, "interests", interests);

	nskills = 3 + below(6);
	skills = str_array_distinct(bv_skills[family].v, bv_skills[family].n,
	    nskills - (nskills > 4), 1);
	if (nskills > 4) {
		const char *s = bv_skills_general[zipf(NELEM(bv_skills_general))];
		size_t k;
		json_t *x;
		int dup = 0;

		json_array_foreach(skills, k, x)
			dup |= strcmp(json_string_value(x), s) == 0;
		if (!dup)
			json_array_append_new(skills, json_string(s));
	}
	json_object_set_new(rec, "skills", skills);

	status = bv_statuses[community && chance(0.6) ? 2 :
	    weighted(bv_status_weight, NELEM(bv_status_weight))];
	if (mailable && strcmp(status, "do_not_contact") == 0)
		status = "engaged";
	json_object_set_new(rec, "status", json_string(status));
	ntags = (size_t)(chance(0.35) ? 0 : 1 + below(4));
	if (ntags) {
		tags = str_array_distinct(bv_tags, NELEM(bv_tags), ntags, 1);
		json_object_set_new(rec, "tags", tags);
	}
	npools = chance(0.7) ? 0 : 1 + below(3);
	if (npools) {
		pools = json_array();
		for (size_t k = 0; k < npools; k++) {
			json_int_t id = (json_int_t)g->pools[zipf(NELEM(g->pools))];
			size_t m;
			json_t *x;
			int dup = 0;

			json_array_foreach(pools, m, x)
				dup |= json_integer_value(x) == id;
			if (!dup)
				json_array_append_new(pools, json_integer(id));
		}
		json_object_set_new(rec, "pools", pools);
	}
	if (audience_pool) {
		if ((pools = json_object_get(rec, "pools")) == NULL) {
			pools = json_array();
			json_object_set_new(rec, "pools", pools);
		}
		json_array_append_new(pools, json_integer((json_int_t)audience_pool));
	}
	if (chance(0.75)) {
		owner = (json_int_t)g->users[zipf(USERS)];
		json_object_set_new(rec, "owner", json_integer(owner));
	}
	if (engaged) {
		json_object_set_new(rec, "last_engaged", json_integer(engaged));
		/* The engagement score as of then: that engagement and some of
		 * what came before (a signup, a click, a reply: 3 to 8). */
		json_object_set_new(rec, "eng", json_pack("{s:f, s:I}", "s",
		    3 + 5 * unif(), "t", (json_int_t)engaged));
	}
	/* As the worker's freshness pass leaves them (Office.StaleMonths 12):
	 * no engagement and no edit for a year. */
	cp->joined = joined;
	cp->updated = pick_updated(g, joined, engaged, rec);
	json_object_set_new(rec, "updated", json_integer(cp->updated));
	if (fresh_is_stale(rec, fresh_threshold(FRESH_STALE_MONTHS, g->now)))
		json_object_set_new(rec, "stale", json_true());

	cp->n = 0;
	if (community) {
		double x = unif();
		const char *state;

		cp->events[cp->n++] = "granted";
		if (mailable)
			x = 0.5;	/* confirmed, never withdrawn */
		if (joined > g->now - 7 * 86400 && x < 0.3)
			state = "pending";
		else if (x < 0.07) {
			state = "expired";
			cp->events[cp->n++] = "expired";
		} else {
			state = "confirmed";
			cp->events[cp->n++] = "confirmed";
			if (x > 0.9) {
				state = "withdrawn";
				cp->events[cp->n++] = "withdrawn";
			}
		}
		json_object_set_new(rec, "consent", json_string(state));
		json_object_set_new(rec, "basis", json_pack("{s:s}", "kind", "consent"));
		json_object_set_new(rec, "prefs", json_pack("{s:s}", "frequency",
		    comm_frequencies[zipf(3)]));
		if (mailable && chance(0.3))
			json_object_set_new(json_object_get(rec, "prefs"), "tracking",
			    json_true());
		snprintf(buf, sizeof buf, "%016llx%016llx",
		    (unsigned long long)rnd(), (unsigned long long)rnd());
		json_object_set_new(rec, "nonce", json_string(buf));
	} else {
		json_object_set_new(rec, "basis", json_pack("{s:s, s:s}", "kind",
		    "legitimate_interest", "note", bv_sources[src]));
	}
	if (chance(0.35)) {
		static const char *const kinds[] = { "pdf", "docx", "odt" };
		const char *kind = kinds[zipf(3)];

		snprintf(buf, sizeof buf, "%016llx%016llx.%s",
		    (unsigned long long)rnd(), (unsigned long long)rnd(), kind);
		json_object_set_new(rec, "resume", json_pack("{s:s, s:s, s:s, s:I}",
		    "file", buf, "kind", kind, "name", "CV.pdf", "size",
		    (json_int_t)(40000 + below(400000))));
		/* Its words, as the worker's CV reader leaves them (cvindex.h):
		 * the file itself is not written. */
		text_of(family, 150 + below(300), text, sizeof text);
		if (cand_resume_terms_set(g->st, rec, text) != HE_OK) {
			json_decref(rec);
			return NULL;
		}
		json_object_set_new(rec, "resume_terms_of", json_string(buf));
	}
	for (size_t k = chance(0.25) ? 1 + below(3) : 0; k > 0; k--) {
		text_of(family, 8 + below(25), text, sizeof text);
		if (cand_terms_add(g->st, rec, text) != HE_OK) {
			json_decref(rec);
			return NULL;
		}
	}
	make_touches(g, cp, family, community, joined, engaged, owner, status);
	for (int k = 0; k < TOUCHES; k++)
		if (cp->touches[k] == NULL) {
			json_decref(rec);
			return NULL;
		}
	return rec;
}

/* ---- the load ---- */

struct batch {
	struct gen *g;
	json_t **recs;
	uint64_t *ids;
	struct consent_plan *cp;
	size_t n;
	struct cand_batch *b;
};

static int
batch_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct batch *bt = arg;
	struct comm_actor web = { "web_form", "192.0.2.10",
	    "Mozilla/5.0 (gen_candidates)" };
	struct comm_actor sys = { "system", "", "" };
	int rc = HE_OK;

	/* A fresh batch each attempt: a retried transaction starts clean. */
	cand_batch_free(bt->b);
	if ((bt->b = cand_batch_new()) == NULL)
		return HE_NOMEM;
	for (size_t k = 0; rc == HE_OK && k < bt->n; k++) {
		int64_t real;

		/* The consent events when they joined, the record as of its
		 * last edit (see pick_updated); then the clock is right again. */
		clock_set_offset(0);
		real = clock_now();
		clock_set_offset(bt->cp[k].joined - real);
		for (size_t e = 0; rc == HE_OK && e < bt->cp[k].n; e++)
			rc = comm_ledger_append(&bt->g->comm, txn, bt->ids[k],
			    bt->recs[k], bt->cp[k].events[e],
			    strcmp(bt->cp[k].events[e], "expired") ? &web : &sys);
		clock_set_offset(bt->cp[k].updated - real);
		if (rc == HE_OK)
			rc = cand_batch_write(bt->b, st, txn, bt->ids[k], NULL,
			    bt->recs[k]);
		clock_set_offset(0);
		for (int t = 0; rc == HE_OK && write_touches && t < TOUCHES; t++) {
			uint64_t tid;

			rc = store_touch_insert(st, txn, bt->ids[k],
			    bt->cp[k].touches[t], &tid);
		}
	}
	if (rc == HE_OK)
		rc = cand_batch_flush(bt->b, st, txn);
	return rc;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "gen_candidates: %s: %s\n", what, he_strerror(rc));
	return 1;
}

static int
make_users(struct gen *g, const char *password)
{
	static const char *const names[USERS] = {
		"Hearth Admin", "Alex Morgan", "Priya Raman", "Jonas Weber",
		"Camille Roux", "Diego Herrera", "Mei Lin", "Sam O'Connor",
		"Fatima Zahra", "Tomás Novák", "Aiko Mori", "Ben Adeyemi",
		"Elena Popescu", "Lars Eriksen", "Chloé Martin", "Rahul Verma",
		"Sofia Costa", "Noah Fischer", "Grace Kim", "Yusuf Demir",
	};
	char email[128];
	int rc;

	for (int u = 0; u < USERS; u++) {
		if (u == 0)
			snprintf(email, sizeof email, "admin@hearth.localhost");
		else
			snprintf(email, sizeof email,
			    "recruiter%02d@bench.hearth.localhost", u);
		snprintf(g->user_name[u], sizeof g->user_name[u], "%s", names[u]);
		if ((rc = auth_user_add(g->st, NULL, email, names[u], password,
		    u == 0 ? ROLE_ADMIN : ROLE_RECRUITER, &g->users[u])) != HE_OK)
			return fail("a user", rc);
	}
	return 0;
}

static int
load(struct gen *g, size_t batch, double *write_s)
{
	struct batch bt = { .g = g };
	double t;
	int rc;

	bt.recs = calloc(batch, sizeof *bt.recs);
	bt.ids = calloc(batch, sizeof *bt.ids);
	bt.cp = calloc(batch, sizeof *bt.cp);
	if (!bt.recs || !bt.ids || !bt.cp)
		return fail("memory", HE_NOMEM);
	*write_s = 0;
	for (long i = 0; i < g->n; ) {
		uint64_t first;
		size_t want = (size_t)(g->n - i) < batch ? (size_t)(g->n - i) : batch;

		if ((rc = store_next_ids(g->st, SEQ_CANDIDATE, (uint32_t)want,
		    &first)) != HE_OK)
			return fail("ids", rc);
		bt.n = 0;
		for (; bt.n < want; i++, bt.n++) {
			bt.ids[bt.n] = first + bt.n;
			if ((bt.recs[bt.n] = make_cand(g, i, &bt.cp[bt.n])) == NULL)
				return fail("a record", HE_NOMEM);
		}
		t = now_s();
		rc = store_txn(g->st, batch_txn, &bt);
		*write_s += now_s() - t;
		if (rc != HE_OK) {
			fprintf(stderr, "gen_candidates: the batch ending at %ld: %s\n",
			    i, he_strerror(rc));
			return 1;
		}
		for (size_t k = 0; k < bt.n; k++) {
			json_decref(bt.recs[k]);
			for (int t = 0; t < TOUCHES; t++)
				json_decref(bt.cp[k].touches[t]);
		}
		if (i % 100000 < (long)batch || i == g->n)
			fprintf(stderr, "gen_candidates: %ld written\n", i);
	}
	cand_batch_free(bt.b);
	free(bt.recs);
	free(bt.ids);
	free(bt.cp);
	return 0;
}

/* ---- dynamic pools, made after the load and built as the worker does ---- */

static void
list_set(struct query_list *l, const char *v)
{
	snprintf(l->v[l->n++], sizeof l->v[0], "%s", v);
}

static int
dynamic_pools(struct gen *g, int count)
{
	for (int d = 0; d < count; d++) {
		struct cand_query q;
		const char *name;
		uint64_t id, members, steps = 0;
		json_t *pool;
		double t;
		int finished = 0, rc;

		cand_query_init(&q);
		switch (d % 4) {
		case 0:
			name = "Senior engineers in Berlin";
			list_set(&q.interest, "engineering");
			list_set(&q.seniority, "senior");
			snprintf(q.city, sizeof q.city, "Berlin");
			break;
		case 1:
			name = "Python people, hot or warm";
			snprintf(q.text, sizeof q.text, "python");
			list_set(&q.level, "hot");
			list_set(&q.level, "warm");
			break;
		case 2:
			name = "Silver medallists to win back";
			list_set(&q.status, "silver_medallist");
			list_set(&q.tags_none, "do not rehire");
			break;
		default:
			name = "Remote data people with consent";
			list_set(&q.interest, "data");
			list_set(&q.consent, "confirmed");
			q.remote = 1;
		}
		if ((rc = pool_create(g->st, name, &q, g->users[0], &id)) != HE_OK)
			return fail("a dynamic pool", rc);
		t = now_s();
		while (!finished) {
			if ((rc = pool_build_step(g->st, id, POOL_BUILD_MAX,
			    &finished)) != HE_OK)
				return fail("a dynamic pool's build", rc);
			steps++;
		}
		t = now_s() - t;
		if ((rc = pool_get(g->st, id, &pool, &members)) != HE_OK)
			return fail("a dynamic pool's count", rc);
		json_decref(pool);
		printf("dynamic %llu built in %.3f seconds, count %llu, steps %llu: %s\n",
		    (unsigned long long)id, t, (unsigned long long)members,
		    (unsigned long long)steps, name);
		fflush(stdout);
	}
	return 0;
}

/* ---- sizes ---- */

static void
sizes(const char *home, long n)
{
	DIR *d = opendir(home);
	struct dirent *e;
	unsigned long long data = 0, logs = 0, regions = 0;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[1300];
		struct stat sb;
		unsigned long long bytes;
		size_t len = strlen(e->d_name);

		snprintf(path, sizeof path, "%s/%s", home, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		bytes = (unsigned long long)sb.st_blocks * 512;	/* as du counts */
		if (len > 3 && strcmp(e->d_name + len - 3, ".db") == 0) {
			data += bytes;
			printf("file %s %llu\n", e->d_name, bytes);
		} else if (strncmp(e->d_name, "log.", 4) == 0)
			logs += bytes;
		else
			regions += bytes;	/* __db.*: cache, locks, log buffer */
	}
	closedir(d);
	printf("size data %llu per_cand %.0f\nsize logs %llu\nsize regions %llu\n"
	    "size all %llu per_cand %.0f\n", data, (double)data / (double)n, logs,
	    regions, data + logs + regions,
	    (double)(data + logs + regions) / (double)n);
}

/* ---- setup ---- */

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "cache-mb", required_argument, NULL, 'c' },
		{ "password", required_argument, NULL, 'p' },
		{ "dynamic", required_argument, NULL, 'd' },
		{ "no-touches", no_argument, NULL, 'T' },
		{ "audience", no_argument, NULL, 'A' },
		{ "mailable", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen g = { 0 };
	const char *password = "bench-password-4", *var;
	long seed = 4, batch = 150, cache_mb = 8, dynamic = 4;
	char path[1024], text[2048];
	struct stat sb;
	double t0, cpu0, write_s = 0, secs;
	HDF *conf;
	int c, rc, want_audience = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		long v = optarg ? strtol(optarg, &end, 10) : 0;

		if (c != 'p' && c != 'T' && c != 'A' && c != 'M' &&
		    (end == NULL || *end || v < 0)) {
			fprintf(stderr, "gen_candidates: bad option value\n");
			return 2;
		}
		switch (c) {
		case 's': seed = v; break;
		case 'b': batch = v; break;
		case 'c': cache_mb = v; break;
		case 'p': password = optarg; break;
		case 'd': dynamic = v; break;
		case 'T': write_touches = 0; break;
		case 'A': want_audience = 1; break;
		case 'M': mailable = 1; break;
		default: return 2;
		}
	}
	if (optind >= argc || argc - optind > 2 || batch < 1 || cache_mb < 1) {
		fprintf(stderr, "usage: gen_candidates [--seed S] [--batch B] "
		    "[--cache-mb M] [--password P] [--dynamic D] [--no-touches] "
		    "[--audience] [--mailable] VAR [N]\n");
		return 2;
	}
	var = argv[optind];
	g.n = optind + 1 < argc ? strtol(argv[optind + 1], NULL, 10) : 1000000;
	if (g.n < 1 || g.n > 4000000) {
		fprintf(stderr, "gen_candidates: N must be 1..4000000\n");
		return 2;
	}
	rng_state = (uint64_t)seed * 0x2545f4914f6cdd1dull + 1;
	if (sodium_init() < 0)
		return fail("libsodium", HE_IO);

	if (mkdir(var, 0755) != 0 && errno != EEXIST) {
		perror(var);
		return 1;
	}
	snprintf(path, sizeof path, "%s/db", var);
	if (stat(path, &sb) == 0) {
		fprintf(stderr, "gen_candidates: %s exists: give a fresh directory\n",
		    path);
		return 1;
	}
	/* The programs hearth-run starts read local.hdf too. */
	snprintf(text, sizeof text, "Db.CacheMB = %ld\n", cache_mb);
	snprintf(path, sizeof path, "%s/local.hdf", var);
	if (write_file(path, text) != 0) {
		perror(path);
		return 1;
	}
	snprintf(text, sizeof text, "Db.Home = %s/db\nDb.CacheMB = %ld\n"
	    "Db.Durable = 1\nSite.SecretFile = %s/secret\nLog.Level = warn\n",
	    var, cache_mb, var);
	snprintf(path, sizeof path, "%s/gen_candidates.hdf", var);
	if (write_file(path, text) != 0 || setenv("HEARTH_CONF", path, 1) != 0) {
		perror(path);
		return 1;
	}
	snprintf(path, sizeof path, "%s/secret", var);
	if ((rc = tok_key_create(path)) != HE_OK)
		return fail("the site key", rc);
	if ((rc = conf_load(&conf)) != HE_OK)
		return fail("the configuration", rc);
	log_setup("gen_candidates", conf_str(conf, "Log.Level", "warn"), 0);
	if ((rc = crm_open(conf, &g.st)) != HE_OK)
		return fail("the store", rc);
	if ((rc = comm_setup(conf, g.st, &g.comm)) != HE_OK)
		return fail("the site key or the policy", rc);
	g.now = clock_now();

	for (email_cap = 1024; email_cap < (size_t)g.n * 2; email_cap *= 2)
		;
	if ((email_set = calloc(email_cap, sizeof *email_set)) == NULL)
		return fail("memory", HE_NOMEM);
	if (make_users(&g, password) != 0)
		return 1;
	for (size_t p = 0; p < NELEM(bv_static_pools); p++)
		if ((rc = pool_create(g.st, bv_static_pools[p], NULL, g.users[1 + p % 3],
		    &g.pools[p])) != HE_OK)
			return fail("a static pool", rc);
	if (want_audience && (rc = pool_create(g.st, "Everyone (campaign bench)",
	    NULL, g.users[0], &audience_pool)) != HE_OK)
		return fail("the audience pool", rc);
	printf("users %d\nstatic_pools %zu\n", USERS, NELEM(bv_static_pools));
	if (audience_pool)
		printf("audience_pool %llu\n", (unsigned long long)audience_pool);
	fflush(stdout);

	t0 = now_s();
	cpu0 = cpu_s();
	if (load(&g, (size_t)batch, &write_s) != 0)
		return 1;
	secs = now_s() - t0;
	printf("generated %ld in %.3f seconds: %.0f cand/s (batch %ld)\n"
	    "write %.3f seconds: %.0f cand/s\ncpu %.0f us/cand\n", g.n, secs,
	    (double)g.n / secs, batch, write_s, (double)g.n / write_s,
	    1e6 * (cpu_s() - cpu0) / (double)g.n);
	fflush(stdout);

	if (dynamic_pools(&g, (int)dynamic) != 0)
		return 1;
	if ((rc = store_checkpoint(g.st)) != HE_OK)
		return fail("the checkpoint", rc);
	snprintf(path, sizeof path, "%s/db", var);
	sizes(path, g.n);
	comm_cleanup(&g.comm);
	store_close(g.st);
	hdf_destroy(&conf);
	return 0;
}
