/* engage.c: the engagement score: decayed events, levels, sort keys */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/candidates.h"
#include "crm/engage.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

const char *const engage_kinds[ENGAGE__MAX] = {
	[ENGAGE_SIGNUP] = "Signup", [ENGAGE_CONFIRM] = "Confirm",
	[ENGAGE_CLICK] = "Click", [ENGAGE_VISIT] = "Visit",
	[ENGAGE_REPLY] = "Reply", [ENGAGE_TOUCH] = "Touch",
};

static const struct engage_cfg defaults = {
	.half_life_days = 30, .hot = 2.5, .warm = 0.5,
	.weight = {
		[ENGAGE_SIGNUP] = 3, [ENGAGE_CONFIRM] = 3, [ENGAGE_CLICK] = 2,
		[ENGAGE_VISIT] = 1, [ENGAGE_REPLY] = 5, [ENGAGE_TOUCH] = 5,
	},
};

static struct engage_cfg cfg = {
	.half_life_days = 30, .hot = 2.5, .warm = 0.5,
	.weight = {
		[ENGAGE_SIGNUP] = 3, [ENGAGE_CONFIRM] = 3, [ENGAGE_CLICK] = 2,
		[ENGAGE_VISIT] = 1, [ENGAGE_REPLY] = 5, [ENGAGE_TOUCH] = 5,
	},
};

/* k is offset by this before it is a bucket number, so that scores below
 * 1 (a small weight, long decayed) still have one. */
#define K_OFFSET 2000
#define COARSE_MAX 999999

static double
half_life_s(void)
{
	return cfg.half_life_days * 86400.0;
}

/* A setting as a number in [lo, hi]; 0 and *out untouched when unset. */
static int
setting(HDF *conf, const char *key, double lo, double hi, double *out)
{
	const char *v = conf ? hdf_get_value(conf, key, NULL) : NULL;
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return HE_OK;
	d = strtod(v, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == v || *end != '\0' || !isfinite(d) || d < lo || d > hi) {
		log_error("engage: %s = \"%s\" is not a number from %g to %g", key,
		    v, lo, hi);
		return HE_INVALID;
	}
	*out = d;
	return HE_OK;
}

int
engage_configure(HDF *conf)
{
	struct engage_cfg c = defaults;
	char key[64];
	int rc;

	if ((rc = setting(conf, "Engagement.HalfLifeDays", 1, 3650,
	    &c.half_life_days)) != HE_OK ||
	    (rc = setting(conf, "Engagement.HotScore", 1e-6, 1e6, &c.hot)) != HE_OK ||
	    (rc = setting(conf, "Engagement.WarmScore", 1e-6, 1e6, &c.warm)) != HE_OK)
		return rc;
	for (int i = 0; i < ENGAGE__MAX; i++) {
		snprintf(key, sizeof key, "Engagement.Weights.%s", engage_kinds[i]);
		if ((rc = setting(conf, key, 0, 1000, &c.weight[i])) != HE_OK)
			return rc;
	}
	if (c.warm > c.hot) {
		log_error("engage: Engagement.WarmScore (%g) is above HotScore (%g)",
		    c.warm, c.hot);
		return HE_INVALID;
	}
	cfg = c;
	return HE_OK;
}

const struct engage_cfg *
engage_settings(void)
{
	return &cfg;
}

/* rec's stored score and its time; 0 when it has none (or a bad one). */
static int
stored(const json_t *rec, double *s, int64_t *t)
{
	json_t *eng = json_object_get(rec, "eng");
	json_t *js = json_object_get(eng, "s"), *jt = json_object_get(eng, "t");

	if (!json_is_number(js) || !json_is_integer(jt))
		return 0;
	*s = json_number_value(js);
	*t = json_integer_value(jt);
	return isfinite(*s) && *s > 0 && *t > 0;
}

/* The factor a score decays by from `from` to `to` (above 1 backwards). */
static double
decay(int64_t from, int64_t to)
{
	return exp2((double)(from - to) / half_life_s());
}

int
engage_add(json_t *rec, enum engage_kind k, int64_t at)
{
	double w, s = 0;
	int64_t t = 0;
	json_t *eng;

	if ((unsigned)k >= ENGAGE__MAX || at <= 0 || !json_is_object(rec))
		return HE_INVALID;
	if ((w = cfg.weight[k]) <= 0)
		return HE_OK;
	if (stored(rec, &s, &t)) {
		/* Both as of the later time: an event logged late (a call of
		 * last week) adds what is left of it. */
		int64_t ref = at > t ? at : t;

		s = s * decay(t, ref) + w * decay(at, ref);
		t = ref;
	} else {
		s = w;
		t = at;
	}
	eng = json_pack("{s:f, s:I}", "s", s, "t", (json_int_t)t);
	if (eng == NULL || json_object_set_new(rec, "eng", eng) != 0)
		return HE_NOMEM;
	return HE_OK;
}

int
engage_event(struct store *st, DB_TXN *txn, uint64_t cand,
    enum engage_kind k, int64_t at)
{
	json_t *old, *rec;
	int rc;

	if ((unsigned)k >= ENGAGE__MAX || at <= 0)
		return HE_INVALID;
	if ((rc = store_cand_get(st, txn, cand, 1, &old)) != HE_OK)
		return rc;
	if ((rec = json_deep_copy(old)) == NULL)
		rc = HE_NOMEM;
	else if ((rc = engage_add(rec, k, at)) == HE_OK) {
		if (at > json_integer_value(json_object_get(rec, "last_engaged")))
			json_object_set_new(rec, "last_engaged", json_integer(at));
		rc = cand_refresh(st, txn, cand, old, rec);
	}
	json_decref(rec);
	json_decref(old);
	return rc;
}

int
engage_merge(json_t *out, const json_t *a, const json_t *b)
{
	double sa, sb;
	int64_t ta, tb;
	int ha = stored(a, &sa, &ta), hb = stored(b, &sb, &tb);
	json_t *eng;

	if (!ha && !hb) {
		json_object_del(out, "eng");
		return HE_OK;
	}
	if (!ha || !hb) {
		eng = json_pack("{s:f, s:I}", "s", ha ? sa : sb, "t",
		    (json_int_t)(ha ? ta : tb));
	} else {
		int64_t ref = ta > tb ? ta : tb;

		eng = json_pack("{s:f, s:I}", "s", sa * decay(ta, ref) +
		    sb * decay(tb, ref), "t", (json_int_t)ref);
	}
	if (eng == NULL || json_object_set_new(out, "eng", eng) != 0)
		return HE_NOMEM;
	return HE_OK;
}

double
engage_score(const json_t *rec, int64_t now)
{
	double s;
	int64_t t;

	if (!stored(rec, &s, &t))
		return 0;
	return s * decay(t, now);
}

const char *
engage_level_of(double score)
{
	if (score >= cfg.hot)
		return "hot";
	if (score >= cfg.warm)
		return "warm";
	return "cold";
}

const char *
engage_level(const json_t *rec, int64_t now)
{
	return engage_level_of(engage_score(rec, now));
}

int
engage_sort_k(const json_t *rec, double *k)
{
	double s;
	int64_t t;

	if (!stored(rec, &s, &t))
		return 0;
	*k = log2(s) + (double)t / half_life_s();
	return 1;
}

double
engage_k_of(double score, int64_t now)
{
	return log2(score) + (double)now / half_life_s();
}

void
engage_bucket_keys(double k, char coarse[ENGAGE_KEY_SIZE],
    char fine[ENGAGE_KEY_SIZE])
{
	double c = floor(k);
	long long cb;
	int f;

	if (!(c > -K_OFFSET)) {		/* NaN and the absurd: the ends */
		cb = 0;
		f = 0;
	} else if (c > COARSE_MAX - K_OFFSET) {
		cb = COARSE_MAX;
		f = ENGAGE_FINE - 1;
	} else {
		cb = (long long)c + K_OFFSET;
		f = (int)floor((k - c) * ENGAGE_FINE);
		if (f < 0)
			f = 0;
		if (f >= ENGAGE_FINE)
			f = ENGAGE_FINE - 1;
	}
	snprintf(coarse, ENGAGE_KEY_SIZE, "sc:%06d", (int)cb);
	snprintf(fine, ENGAGE_KEY_SIZE, "sk:%06d.%04d", (int)cb, f);
}

void
engage_fine_prefix(const char *coarse, char out[ENGAGE_KEY_SIZE])
{
	snprintf(out, ENGAGE_KEY_SIZE, "sk:%.6s.", coarse + 3);
}
