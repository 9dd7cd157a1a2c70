/* match_rank.c: ranking a million candidates for a role, and the new-match check (issue 6) */

/*
 * usage: match_rank [--seed S] [--runs R] [--roles K] [--cache-mb M] VAR [N]
 *
 * Into VAR/db (created when empty; reused as it is when it holds the
 * match records of an earlier run with the same N): N candidates'
 * match records (default 1,000,000), made from realistic candidate
 * records (crm_vocab.h: families with Zipf-skewed skills, seniority,
 * places, remote, levels, engagement over three years, statuses and
 * consent in realistic shares, silver medallists, past hires, declined
 * offers) by match_cand_from_json, written in transactions of 65,536
 * through store_match_apply (the write path cand_batch_flush uses),
 * without the candidate records themselves: ranking reads only
 * STORE_MATCH. K roles (default 500) are made the same way: a family,
 * 3-6 required and 0-4 nice skills of it (some written as synonyms:
 * "golang", "k8s", "postgres"), 1-2 places, a remote policy, a
 * seniority.
 *
 * Then, timed in process with the environment as a web worker has it:
 *   rank: R runs (default 60, after 3 untimed) of match_rank, top 50,
 *         each for the next role: p50, p90, p99, max, mean
 *   rank_page: the same for page 200 (offset 9,950)
 *   rank_only: the same with `only` a filter of every tenth id (10%)
 *   check: 2,000 new-match checks as a candidate write makes them: the K
 *         roles stored open (owner user 1, the shipped threshold), a
 *         generated candidate updated from another generated record, in a
 *         transaction (aborted after, so each check finds the same
 *         store), match_cand_from_json of both and role_alert_check
 *         timed: p50, p99
 *   check_all: 200 such checks of a new candidate with every role's
 *         threshold at 1, so that every open role is a new match (an
 *         alert and a notice written for each, unless the person is
 *         excluded): the worst case
 *
 * Prints "key value" lines for tests/bench/run.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include <roaring/roaring.h>

#include "crm/match.h"
#include "crm/role.h"
#include "crm/skills.h"
#include "store/entities.h"
#include "store/match.h"
#include "store/role.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

#include "crm_vocab.h"

#define PER_TXN 65536

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

/* Zipf-like: index i with weight 1 / (i + 1). */
static size_t
zipf(size_t n)
{
	double h = 0, x;

	for (size_t i = 0; i < n; i++)
		h += 1.0 / (double)(i + 1);
	x = unif() * h;
	for (size_t i = 0; i < n; i++) {
		x -= 1.0 / (double)(i + 1);
		if (x <= 0)
			return i;
	}
	return n - 1;
}

static size_t
weighted(const unsigned *w, size_t n)
{
	unsigned total = 0, x;

	for (size_t i = 0; i < n; i++)
		total += w[i];
	x = (unsigned)below(total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- candidates ---- */

/* Other names people type for the commonest skills (the table maps them). */
static const char *
as_typed(const char *skill)
{
	static const struct { const char *s, *alt; } alts[] = {
		{ "javascript", "js" }, { "kubernetes", "k8s" },
		{ "postgresql", "postgres" }, { "go", "golang" },
		{ "typescript", "ts" }, { "node.js", "nodejs" },
		{ "machine learning", "ml" }, { "c#", "csharp" },
		{ "user research", "ux research" }, { "seo", "search engine optimisation" },
	};

	for (size_t i = 0; i < NELEM(alts); i++)
		if (strcmp(skill, alts[i].s) == 0 && chance(0.3))
			return alts[i].alt;
	return skill;
}

static int64_t today_s;

/* A candidate's record: what match_cand_from_json reads, and a name. */
static json_t *
make_cand(void)
{
	size_t family = weighted(bv_family_weight, NELEM(bv_family_weight));
	const struct bv_place *pl = &bv_places[below(NELEM(bv_places))];
	json_t *rec, *skills = json_array(), *interests = json_array();
	size_t nskills = 3 + below(6);
	double st = unif();
	const char *status = st < 0.02 ? "do_not_contact" : st < 0.05 ? "hired" :
	    st < 0.08 ? "silver_medallist" : st < 0.30 ? "engaged" :
	    st < 0.40 ? "applied" : "sourced";
	double lv = unif();

	for (size_t i = 0; i < nskills; i++) {
		const char *s = i + 1 < nskills || nskills < 5 ?
		    bv_skills[family].v[zipf(bv_skills[family].n)] :
		    bv_skills_general[zipf(NELEM(bv_skills_general))];
		json_array_append_new(skills, json_string(as_typed(s)));
	}
	json_array_append_new(interests, json_string(bv_families[family]));
	if (chance(0.3))
		json_array_append_new(interests,
		    json_string(bv_families[below(NELEM(bv_families))]));
	rec = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:b, s:s, s:s, s:I, s:I}",
	    "first_name", "Bench", "last_name", "Person", "country", pl->country,
	    "skills", skills, "interests", interests,
	    "seniority", bv_seniorities[weighted(bv_seniority_weight,
	    NELEM(bv_seniority_weight))],
	    "remote", chance(0.15), "status", status,
	    "consent", chance(0.6) ? "confirmed" : chance(0.5) ? "pending" : "withdrawn",
	    "last_engaged", (json_int_t)(today_s - (int64_t)below(3 * 365) * 86400),
	    "updated", (json_int_t)(today_s - (int64_t)below(4 * 365) * 86400));
	if (pl->city[0] && !chance(0.05))
		json_object_set_new(rec, "city", json_string(pl->city));
	json_object_set_new(rec, "level", json_string(lv < 0.1 ? "hot" :
	    lv < 0.35 ? "warm" : "cold"));
	if (strcmp(status, "silver_medallist") == 0 || chance(0.01))
		json_object_set_new(rec, "silver_families",
		    json_pack("[s]", bv_families[family]));
	if (strcmp(status, "hired") == 0 || chance(0.02))
		json_object_set_new(rec, "hired_at", json_integer(today_s -
		    (int64_t)below(5 * 365) * 86400));
	if (chance(0.01))
		json_object_set_new(rec, "offer_declined_at", json_integer(today_s -
		    (int64_t)below(365) * 86400));
	return rec;
}

/* ---- roles ---- */

static json_t *
make_role(void)
{
	size_t family = weighted(bv_family_weight, NELEM(bv_family_weight));
	const struct bv_list *sk = &bv_skills[family];
	size_t nreq = 3 + below(4), nnice = below(5);
	json_t *req = json_array(), *nice = json_array(), *locs = json_array();
	static const char *const remote[] = { "onsite", "hybrid", "remote" };
	size_t nloc = 1 + below(2);

	/* Roles ask for the common skills of their family more often. */
	for (size_t i = 0; i < nreq; i++)
		json_array_append_new(req, json_string(as_typed(sk->v[zipf(sk->n)])));
	for (size_t i = 0; i < nnice; i++)
		json_array_append_new(nice, json_pack("{s:s, s:i}", "skill",
		    sk->v[below(sk->n)], "weight", 1 + (int)below(5)));
	for (size_t i = 0; i < nloc; i++) {
		const struct bv_place *pl = &bv_places[below(NELEM(bv_places))];

		json_array_append_new(locs, json_pack("{s:s, s:s}", "city", pl->city,
		    "country", pl->country));
	}
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:s}",
	    "title", "Bench role", "family", bv_families[family],
	    "locations", locs, "remote", remote[below(3)],
	    "seniority", bv_seniorities[1 + below(4)],
	    "required", req, "nice", nice, "status", "open");
}

/* ---- loading ---- */

struct load {
	struct store_match_change *ch;
	size_t n;
};

static int
load_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct load *l = arg;

	return store_match_apply(st, txn, l->ch, l->n);
}

static int
count_fn(uint64_t id, const unsigned char *rec, size_t len, void *arg)
{
	(void)id;
	(void)rec;
	(void)len;
	(*(size_t *)arg)++;
	return 0;
}

static int
load(struct store *st, size_t n)
{
	struct load l;
	unsigned char *buf = malloc((size_t)PER_TXN * MATCH_REC_MAX);
	double t0 = now_ms();
	size_t bytes = 0;

	l.ch = malloc(PER_TXN * sizeof *l.ch);
	if (buf == NULL || l.ch == NULL)
		return HE_NOMEM;
	for (size_t first = 1; first <= n; first += PER_TXN) {
		int rc;

		l.n = 0;
		for (size_t id = first; id < first + PER_TXN && id <= n; id++) {
			json_t *rec = make_cand();
			struct match_cand c;
			unsigned char *p = buf + l.n * MATCH_REC_MAX;

			match_cand_from_json(id, rec, &c);
			json_decref(rec);
			l.ch[l.n] = (struct store_match_change){ id, p,
			    match_cand_encode(&c, p) };
			bytes += l.ch[l.n].len;
			l.n++;
		}
		if ((rc = store_txn(st, load_txn, &l)) != HE_OK) {
			fprintf(stderr, "match_rank: load: %s\n", he_strerror(rc));
			return rc;
		}
	}
	printf("loaded %zu in %.1f seconds, %.1f bytes/record\n", n,
	    (now_ms() - t0) / 1e3, (double)bytes / (double)n);
	free(buf);
	free(l.ch);
	return store_checkpoint(st);
}

/* ---- timing ---- */

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *name, double *v, size_t n, const char *unit)
{
	double sum = 0;

	qsort(v, n, sizeof *v, dbl_cmp);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	printf("%s runs %zu p50 %.3f p90 %.3f p99 %.3f max %.3f mean %.3f %s\n",
	    name, n, v[n / 2], v[n * 9 / 10], v[(n * 99 + 99) / 100 - 1],
	    v[n - 1], sum / (double)n, unit);
}

static void
time_rank(struct store *st, const char *name, const struct match_role *roles,
    size_t nroles, size_t runs, const roaring_bitmap_t *only, size_t offset)
{
	double *v = calloc(runs, sizeof *v);
	uint64_t total = 0;

	for (size_t i = 0; i < runs + 3; i++) {
		struct match_hit *hits;
		size_t n;
		double t0 = now_ms();
		int rc = match_rank(st, &roles[i % nroles], only, match_today(),
		    offset, 50, &hits, &n, &total);

		if (rc != HE_OK || n != 50) {
			fprintf(stderr, "match_rank: %s, %zu hits\n", he_strerror(rc), n);
			exit(1);
		}
		if (i >= 3)
			v[i - 3] = now_ms() - t0;
		if (i == 3)
			printf("%s example: total %llu, best %d, 50th %d\n", name,
			    (unsigned long long)total, hits[0].score.total,
			    hits[49].score.total);
		free(hits);
	}
	report(name, v, runs, "ms");
	free(v);
}

/* ---- the new-match check ---- */

struct roles_put {
	json_t **recs;
	size_t n;
	int threshold;		/* 0: the shipped one */
};

/* Stores the roles open, owned by user 1, and bumps their generation. */
static int
roles_put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct roles_put *p = arg;
	int64_t gen;
	int rc;

	for (size_t i = 0; i < p->n; i++) {
		json_object_set_new(p->recs[i], "owner", json_integer(1));
		if (p->threshold)
			json_object_set_new(p->recs[i], "threshold",
			    json_integer(p->threshold));
		else
			json_object_del(p->recs[i], "threshold");
		if ((rc = store_role_put(st, txn, i + 1, p->recs[i])) != HE_OK)
			return rc;
	}
	return store_role_gen_bump(st, txn, &gen);
}

struct check {
	uint64_t id;
	json_t *old, *rec;	/* old NULL: a new candidate */
	double ms;
};

/* What a candidate write adds for the alerts, timed; then undone. */
static int
check_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct check *c = arg;
	struct match_cand was, now;
	char ekey[32];
	double t0;
	int rc;

	snprintf(ekey, sizeof ekey, "bench%llu", (unsigned long long)c->id);
	json_object_set_new(c->rec, "email_key", json_string(ekey));
	if ((rc = store_cand_insert(st, txn, c->id, c->rec)) != HE_OK)
		return rc;
	t0 = now_ms();
	if (c->old)
		match_cand_from_json(c->id, c->old, &was);
	match_cand_from_json(c->id, c->rec, &now);
	rc = role_alert_check(st, txn, c->old ? &was : NULL, &now);
	c->ms = now_ms() - t0;
	return rc == HE_OK ? HE_EXISTS : rc;	/* HE_EXISTS: undone */
}

static int
time_check(struct store *st, const char *name, json_t **role_recs,
    size_t nroles, int threshold, size_t runs, uint64_t first_id, double *v)
{
	struct roles_put p = { role_recs, nroles, threshold };
	int rc;

	if ((rc = store_txn(st, roles_put_txn, &p)) != HE_OK) {
		fprintf(stderr, "match_rank: storing the roles: %s\n",
		    he_strerror(rc));
		return rc;
	}
	for (size_t i = 0; i < runs; i++) {
		struct check c = { first_id + i, threshold ? NULL : make_cand(),
		    make_cand(), 0 };

		rc = store_txn(st, check_txn, &c);
		json_decref(c.old);
		json_decref(c.rec);
		if (rc != HE_EXISTS) {
			fprintf(stderr, "match_rank: %s: %s\n", name, he_strerror(rc));
			return rc == HE_OK ? HE_INVALID : rc;
		}
		v[i] = c.ms;
	}
	report(name, v, runs, "ms");
	return HE_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ "roles", required_argument, NULL, 'k' },
		{ "cache-mb", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 6;
	size_t runs = 60, nroles = 500, n = 1000000, have = 0;
	int cache_mb = 8, c, rc;
	char path[4096], err[256];
	struct store *st;
	struct match_role *roles;
	json_t **role_recs;
	roaring_bitmap_t *only;
	double *v;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'r': runs = strtoul(optarg, NULL, 10); break;
		case 'k': nroles = strtoul(optarg, NULL, 10); break;
		case 'c': cache_mb = atoi(optarg); break;
		default: argc = 0;
		}
	}
	if (argc - optind < 1 || argc - optind > 2 || runs < 1 || nroles < 1) {
		fprintf(stderr, "usage: match_rank [--seed S] [--runs R] [--roles K] "
		    "[--cache-mb M] VAR [N]\n");
		return 2;
	}
	if (argc - optind == 2)
		n = strtoul(argv[optind + 1], NULL, 10);
	log_setup("match_rank", "warn", 0);
	if (skills_load("conf/skills.tsv", err, sizeof err) != HE_OK) {
		fprintf(stderr, "match_rank: conf/skills.tsv: %s\n", err);
		return 1;
	}
	today_s = match_today() * 86400 + 43200;
	snprintf(path, sizeof path, "%s/db", argv[optind]);
	if (mkdir(argv[optind], 0700) != 0 && errno != EEXIST) {
		perror(argv[optind]);
		return 1;
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		perror(path);
		return 1;
	}
	if ((rc = store_open(&st, path, cache_mb, 0)) != HE_OK) {
		fprintf(stderr, "match_rank: store_open: %s\n", he_strerror(rc));
		return 1;
	}
	printf("cache_mb %d\n", cache_mb);
	store_match_scan(st, count_fn, &have);
	rng_state = seed;
	if (have != n) {
		if (have) {
			fprintf(stderr, "match_rank: %s holds %zu records, not %zu: "
			    "give an empty directory\n", path, have, n);
			return 1;
		}
		if (load(st, n) != HE_OK)
			return 1;
	} else
		printf("reused %zu records\n", n);
	/* The roles and checks draw from their own sequence, loaded or not. */
	rng_state = seed * 7919 + 1;
	roles = calloc(nroles, sizeof *roles);
	role_recs = calloc(nroles, sizeof *role_recs);
	for (size_t i = 0; i < nroles; i++) {
		role_recs[i] = make_role();
		if (match_role_compile(i + 1, role_recs[i], &roles[i]) != HE_OK) {
			fprintf(stderr, "match_rank: a role did not compile\n");
			return 1;
		}
	}
	{
		struct stat sb;
		char f[4200];

		snprintf(f, sizeof f, "%s/match.db", path);
		if (stat(f, &sb) == 0)
			printf("file match.db %lld\n", (long long)sb.st_size);
	}

	/* A scan alone: what reading the blocks costs, without scoring. */
	v = calloc(runs > 2000 ? runs : 2000, sizeof *v);
	for (size_t i = 0; i < 10; i++) {
		size_t k = 0;
		double t0 = now_ms();

		store_match_scan(st, count_fn, &k);
		v[i] = now_ms() - t0;
	}
	report("scan", v, 10, "ms");

	time_rank(st, "rank", roles, nroles, runs, NULL, 0);
	time_rank(st, "rank_page", roles, nroles, runs, NULL, 9950);
	/* A filter of 10%, spread over every block (the worst case for a
	 * filter of that size: no block can be skipped). */
	only = roaring_bitmap_create();
	for (uint32_t id = 1; id <= n; id += 10)
		roaring_bitmap_add(only, id);
	roaring_bitmap_run_optimize(only);
	time_rank(st, "rank_only", roles, nroles, runs, only, 0);
	roaring_bitmap_free(only);

	/* The new-match check, as the shipped thresholds find it, then the
	 * worst case. */
	if (role_configure(NULL) != HE_OK ||
	    time_check(st, "check", role_recs, nroles, 0, 2000, n + 1, v) != HE_OK ||
	    time_check(st, "check_all", role_recs, nroles, 1, 200, n + 1, v) !=
	    HE_OK)
		return 1;
	for (size_t i = 0; i < nroles; i++)
		json_decref(role_recs[i]);
	free(role_recs);
	free(v);
	free(roles);
	store_close(st);
	return 0;
}
