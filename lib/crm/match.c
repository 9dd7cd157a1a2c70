/* match.c: match records, compiled roles, the fit score and its reasons (pure) */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/clock.h"
#include "crm/community.h"
#include "crm/match.h"
#include "crm/skills.h"
#include "util/he.h"
#include "util/words.h"

const char *const match_remote_names[MATCH_REMOTE__MAX + 1] = {
	"onsite", "hybrid", "remote", NULL,
};

const char *const match_part_names[MP__MAX] = {
	"required", "nice", "seniority", "location", "interest", "engagement",
	"history", "freshness",
};

const int match_part_max[MP__MAX] = { 35, 15, 10, 10, 8, 10, 7, 5 };

/* How people read the seniority levels (comm_seniorities' order). */
static const char *const seniority_words[] = {
	"student", "junior", "mid-level", "senior", "lead", "executive",
};
#define NSENIORITY (sizeof seniority_words / sizeof *seniority_words)

#define DAY_S 86400

/* ---- hashes and days ---- */

uint32_t
match_hash(const char *s)
{
	uint32_t h = 0x811c9dc5u;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x01000193u;
	}
	return h ? h : 1;
}

uint32_t
match_hash_folded(const char *s)
{
	char buf[256];

	if (s == NULL)
		return 0;
	words_fold(s, buf, sizeof buf);
	return match_hash(buf);
}

int64_t
match_today(void)
{
	return clock_now() / DAY_S;
}

/* The unix day of a time field: seconds, or microseconds for values too
 * large to be seconds (the header once said µs); 0 for none. */
static uint16_t
day_of(json_t *v)
{
	json_int_t t = json_integer_value(v);

	if (!json_is_integer(v) || t <= 0)
		return 0;
	if (t > 100000000000LL)
		t /= 1000000;
	t /= DAY_S;
	return t > UINT16_MAX ? UINT16_MAX : t == 0 ? 1 : (uint16_t)t;
}

static int
seniority_of(const char *s)
{
	for (size_t i = 0; s && comm_seniorities[i]; i++)
		if (strcmp(s, comm_seniorities[i]) == 0)
			return (int)i + 1;
	return 0;
}

static int
has(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Adds x to v (n of max) unless 0, there already or full. */
static void
add_distinct(uint32_t *v, uint8_t *n, size_t max, uint32_t x)
{
	if (x && *n < max && !has(v, *n, x))
		v[(*n)++] = x;
}

/* ---- candidates ---- */

static void
tags(json_t *arr, uint32_t *v, uint8_t *n)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		add_distinct(v, n, MATCH_TAGS_MAX, match_hash(json_string_value(x)));
}

void
match_cand_from_json(uint64_t id, json_t *rec, struct match_cand *out)
{
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *consent = json_string_value(json_object_get(rec, "consent"));
	const char *level = json_string_value(json_object_get(rec, "level"));
	json_t *remote = json_object_get(rec, "remote"), *x;
	char key[SKILL_KEY_SIZE];
	size_t i;

	memset(out, 0, sizeof *out);
	out->id = id;
	if (status && strcmp(status, "do_not_contact") == 0)
		out->flags |= MATCH_F_DNC;
	if (status && strcmp(status, "hired") == 0)
		out->flags |= MATCH_F_HIRED;
	else if (day_of(json_object_get(rec, "hired_at")))
		out->flags |= MATCH_F_PAST_HIRE;
	if (consent && strcmp(consent, "confirmed") == 0)
		out->flags |= MATCH_F_CONSENT;
	if (json_is_true(remote) || (json_is_integer(remote) &&
	    json_integer_value(remote) != 0))
		out->flags |= MATCH_F_REMOTE;
	out->seniority = (uint8_t)seniority_of(json_string_value(
	    json_object_get(rec, "seniority")));
	if (level)
		out->level = strcmp(level, "hot") == 0 ? 1 :
		    strcmp(level, "warm") == 0 ? 2 : strcmp(level, "cold") == 0 ? 3 : 0;
	out->city = match_hash_folded(json_string_value(json_object_get(rec,
	    "city")));
	out->country = match_hash_folded(json_string_value(json_object_get(rec,
	    "country")));
	out->engaged_day = day_of(json_object_get(rec, "last_engaged"));
	out->updated_day = day_of(json_object_get(rec, "updated"));
	out->declined_day = day_of(json_object_get(rec, "offer_declined_at"));
	json_array_foreach(json_object_get(rec, "skills"), i, x)
		if (skill_key(json_string_value(x), key) == HE_OK)
			add_distinct(out->skills, &out->nskills, MATCH_SKILLS_MAX,
			    skill_id(key));
	tags(json_object_get(rec, "interests"), out->interests, &out->ninterests);
	tags(json_object_get(rec, "silver_families"), out->silver, &out->nsilver);
}

/* ---- the compact form ---- */

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

size_t
match_cand_encode(const struct match_cand *c, unsigned char *out)
{
	size_t n = 20;

	out[0] = (unsigned char)c->flags;
	out[1] = c->seniority;
	out[2] = c->level;
	out[3] = c->nskills;
	out[4] = c->ninterests;
	out[5] = c->nsilver;
	put32(out + 6, c->city);
	put32(out + 10, c->country);
	put16(out + 14, c->engaged_day);
	put16(out + 16, c->updated_day);
	put16(out + 18, c->declined_day);
	for (size_t i = 0; i < c->nskills; i++, n += 4)
		put32(out + n, c->skills[i]);
	for (size_t i = 0; i < c->ninterests; i++, n += 4)
		put32(out + n, c->interests[i]);
	for (size_t i = 0; i < c->nsilver; i++, n += 4)
		put32(out + n, c->silver[i]);
	return n;
}

int
match_cand_decode(uint64_t id, const unsigned char *in, size_t len,
    struct match_cand *out)
{
	size_t n = 20;

	if (len < 20 || in[3] > MATCH_SKILLS_MAX || in[4] > MATCH_TAGS_MAX ||
	    in[5] > MATCH_TAGS_MAX ||
	    len != 20 + 4 * ((size_t)in[3] + in[4] + in[5]))
		return HE_INVALID;
	out->id = id;
	out->flags = in[0];
	out->seniority = in[1];
	out->level = in[2];
	out->nskills = in[3];
	out->ninterests = in[4];
	out->nsilver = in[5];
	out->city = get32(in + 6);
	out->country = get32(in + 10);
	out->engaged_day = get16(in + 14);
	out->updated_day = get16(in + 16);
	out->declined_day = get16(in + 18);
	for (size_t i = 0; i < out->nskills; i++, n += 4)
		out->skills[i] = get32(in + n);
	for (size_t i = 0; i < out->ninterests; i++, n += 4)
		out->interests[i] = get32(in + n);
	for (size_t i = 0; i < out->nsilver; i++, n += 4)
		out->silver[i] = get32(in + n);
	return HE_OK;
}

/* ---- roles ---- */

static int
remote_of(json_t *v, uint8_t *out)
{
	const char *s = json_string_value(v);

	if (v == NULL || (s && s[0] == '\0')) {
		*out = MATCH_ONSITE;
		return HE_OK;
	}
	if (s && (strcmp(s, "on_site") == 0 || strcmp(s, "on-site") == 0)) {
		*out = MATCH_ONSITE;
		return HE_OK;
	}
	for (int i = 0; s && i < MATCH_REMOTE__MAX; i++)
		if (strcmp(s, match_remote_names[i]) == 0) {
			*out = (uint8_t)i;
			return HE_OK;
		}
	return HE_INVALID;
}

/* Adds a skill to ids/names (n of them); skipped when it is in skip[0..nskip)
 * or there already. HE_INVALID for a bad name or too many. */
static int
role_skill(const char *name, uint32_t *ids, char names[][41], uint8_t *n,
    const uint32_t *skip, size_t nskip, int *added)
{
	char key[SKILL_KEY_SIZE], disp[SKILL_KEY_SIZE];
	uint32_t id;

	*added = 0;
	if (skill_key(name, key) != HE_OK || skill_display(name, disp) != HE_OK)
		return HE_INVALID;
	id = skill_id(key);
	if (has(ids, *n, id) || has(skip, nskip, id))
		return HE_OK;
	if (*n >= MATCH_ROLE_SKILLS_MAX)
		return HE_INVALID;
	ids[*n] = id;
	/* A display name of 40 characters can be 160 bytes: cut at a
	 * character boundary. */
	{
		size_t len = strlen(disp);

		if (len > 40) {
			len = 40;
			while (len > 0 && ((unsigned char)disp[len] & 0xc0) == 0x80)
				len--;
		}
		memcpy(names[*n], disp, len);
		names[*n][len] = '\0';
	}
	(*n)++;
	*added = 1;
	return HE_OK;
}

int
match_role_compile(uint64_t id, json_t *role, struct match_role *out)
{
	json_t *req = json_object_get(role, "required");
	json_t *nice = json_object_get(role, "nice");
	json_t *locs = json_object_get(role, "locations");
	const char *sen;
	json_t *x;
	size_t i;
	int added;

	memset(out, 0, sizeof *out);
	if (!json_is_object(role) || (req && !json_is_array(req)) ||
	    (nice && !json_is_array(nice)) || (locs && !json_is_array(locs)))
		return HE_INVALID;
	out->id = id;
	out->family = match_hash(json_string_value(json_object_get(role, "family")));
	sen = json_string_value(json_object_get(role, "seniority"));
	if (sen && sen[0] && (out->seniority = (uint8_t)seniority_of(sen)) == 0)
		return HE_INVALID;
	if (remote_of(json_object_get(role, "remote"), &out->remote) != HE_OK)
		return HE_INVALID;
	json_array_foreach(req, i, x)
		if (role_skill(json_string_value(x), out->req, out->req_name,
		    &out->nreq, NULL, 0, &added) != HE_OK)
			return HE_INVALID;
	json_array_foreach(nice, i, x) {
		json_t *w = json_object_get(x, "weight");
		const char *name = json_is_string(x) ? json_string_value(x) :
		    json_string_value(json_object_get(x, "skill"));
		json_int_t wv = w == NULL ? 1 : json_integer_value(w);

		if ((w && !json_is_integer(w)) || wv < 1 || wv > 5 ||
		    role_skill(name, out->nice, out->nice_name, &out->nnice,
		    out->req, out->nreq, &added) != HE_OK)
			return HE_INVALID;
		if (added)
			out->nice_weight[out->nnice - 1] = (uint8_t)wv;
	}
	if (json_array_size(locs) > MATCH_ROLE_LOCATIONS_MAX)
		return HE_INVALID;
	json_array_foreach(locs, i, x) {
		uint32_t city = match_hash_folded(json_string_value(
		    json_object_get(x, "city")));
		uint32_t country = match_hash_folded(json_string_value(
		    json_object_get(x, "country")));

		if (city || country) {
			out->loc[out->nloc].city = city;
			out->loc[out->nloc++].country = country;
		}
	}
	return HE_OK;
}

/* ---- the score ---- */

/* Whether day (0: none) is at most n days before today. */
static int
within(int64_t today, uint16_t day, int n)
{
	return day != 0 && today - day <= n;
}

/* max × num / den, rounded half up. */
static int
share(int max, int num, int den)
{
	return (2 * max * num + den) / (2 * den);
}

void
match_prepare(const struct match_role *r, int64_t today, struct match_prep *p)
{
	memset(p, 0, sizeof *p);
	p->r = r;
	p->today = today;
	for (size_t i = 0; i < r->nreq; i++)
		p->mask[(r->req[i] & 255) >> 6] |= 1ULL << (r->req[i] & 63);
	for (size_t i = 0; i < r->nnice; i++) {
		p->mask[(r->nice[i] & 255) >> 6] |= 1ULL << (r->nice[i] & 63);
		p->nice_total += r->nice_weight[i];
	}
}

static int
location_points(const struct match_role *r, const struct match_cand *c)
{
	int country = 0;

	if (r->remote == MATCH_REMOTE || r->nloc == 0)
		return 10;
	for (size_t i = 0; i < r->nloc; i++) {
		if (c->city && r->loc[i].city == c->city && (!r->loc[i].country ||
		    !c->country || r->loc[i].country == c->country))
			return 10;
		if (c->country && r->loc[i].country == c->country)
			country = 1;
	}
	if (country)
		return r->remote == MATCH_HYBRID ? 6 : 4;
	if (!c->city && !c->country)
		return 3;
	if (r->remote == MATCH_HYBRID && (c->flags & MATCH_F_REMOTE))
		return 3;
	return 0;
}

void
match_score_prep(const struct match_prep *p, const struct match_cand *c,
    struct match_score *s)
{
	const struct match_role *r = p->r;
	int64_t today = p->today;
	int nice_w = 0, nreq = 0, total = 0, h;

	s->req_matched = s->nice_matched = 0;
	s->today = today;
	for (size_t i = 0; i < c->nskills; i++) {
		uint32_t k = c->skills[i];

		if (!(p->mask[(k & 255) >> 6] & 1ULL << (k & 63)))
			continue;
		for (size_t j = 0; j < r->nreq; j++)
			if (r->req[j] == k) {
				s->req_matched |= 1u << j;
				nreq++;
			}
		for (size_t j = 0; j < r->nnice; j++)
			if (r->nice[j] == k) {
				s->nice_matched |= 1u << j;
				nice_w += r->nice_weight[j];
			}
	}
	s->part[MP_REQUIRED] = r->nreq ? share(35, nreq, r->nreq) : 35;
	s->part[MP_NICE] = p->nice_total ? share(15, nice_w, p->nice_total) : 15;

	if (r->seniority == 0)
		s->part[MP_SENIORITY] = 10;
	else if (c->seniority == 0)
		s->part[MP_SENIORITY] = 4;
	else {
		int d = abs((int)r->seniority - (int)c->seniority);

		s->part[MP_SENIORITY] = d >= 3 ? 0 : 10 - 4 * d;
	}
	s->part[MP_LOCATION] = location_points(r, c);
	s->part[MP_INTEREST] = !r->family ||
	    has(c->interests, c->ninterests, r->family) ? 8 : 0;

	s->part[MP_ENGAGEMENT] = c->level == 1 ? 6 : c->level == 2 ? 4 :
	    c->level == 3 ? 1 : 0;
	s->part[MP_ENGAGEMENT] += within(today, c->engaged_day, 30) ? 4 :
	    within(today, c->engaged_day, 90) ? 2 :
	    within(today, c->engaged_day, 365) ? 1 : 0;

	h = 0;
	if (r->family && has(c->silver, c->nsilver, r->family))
		h += 7;
	if (c->flags & MATCH_F_PAST_HIRE)
		h += 3;
	if (within(today, c->declined_day, 180))
		h -= 5;
	s->part[MP_HISTORY] = h > 7 ? 7 : h < MATCH_HISTORY_MIN ?
	    MATCH_HISTORY_MIN : h;

	s->part[MP_FRESHNESS] = within(today, c->updated_day, 90) ? 5 :
	    within(today, c->updated_day, 365) ? 3 :
	    within(today, c->updated_day, 730) ? 1 : 0;

	for (int i = 0; i < MP__MAX; i++)
		total += s->part[i];
	s->total = total < 0 ? 0 : total > 100 ? 100 : total;
	s->excluded = (int)(c->flags & (MATCH_F_DNC | MATCH_F_HIRED));
	s->needs_basis = !(c->flags & MATCH_F_CONSENT);
}

int
match_rec_bound(const struct match_prep *p, const unsigned char *rec,
    size_t len)
{
	const struct match_role *r = p->r;
	int nreq = 0, nice_w = 0, bound, sen;
	size_t ns;

	if (len < 20 || len != 20 + 4 * ((size_t)rec[3] + rec[4] + rec[5]))
		return -1;
	ns = rec[3];
	for (size_t i = 0; i < ns; i++) {
		uint32_t k = get32(rec + 20 + 4 * i);

		if (!(p->mask[(k & 255) >> 6] & 1ULL << (k & 63)))
			continue;
		for (size_t j = 0; j < r->nreq; j++)
			nreq += r->req[j] == k;
		for (size_t j = 0; j < r->nnice; j++)
			if (r->nice[j] == k)
				nice_w += r->nice_weight[j];
	}
	bound = r->nreq ? share(35, nreq, r->nreq) : 35;
	bound += p->nice_total ? share(15, nice_w, p->nice_total) : 15;
	/* seniority exactly; engagement by its level; the rest at most */
	if (r->seniority == 0)
		sen = 10;
	else if (rec[1] == 0)
		sen = 4;
	else {
		int d = abs((int)r->seniority - (int)rec[1]);

		sen = d >= 3 ? 0 : 10 - 4 * d;
	}
	bound += sen;
	bound += (rec[2] == 1 ? 6 : rec[2] == 2 ? 4 : rec[2] == 3 ? 1 : 0) + 4;
	bound += match_part_max[MP_LOCATION] + match_part_max[MP_INTEREST] +
	    match_part_max[MP_HISTORY] + match_part_max[MP_FRESHNESS];
	return bound > 100 ? 100 : bound;
}

void
match_score(const struct match_role *r, const struct match_cand *c,
    int64_t today, struct match_score *s)
{
	struct match_prep p;

	match_prepare(r, today, &p);
	match_score_prep(&p, c, s);
}

/* ---- the reasons ---- */

struct text {
	char buf[2048];
	size_t len;
};

static void
say(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= sizeof t->buf)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
	if (t->len >= sizeof t->buf)
		t->len = sizeof t->buf - 1;
}

/* Names (bit i of mask, or its complement when want is 0) as "A, B, C". */
static void
say_names(struct text *t, const char (*names)[41], size_t n, uint32_t mask,
    int want)
{
	int first = 1;

	for (size_t i = 0; i < n; i++)
		if (!!(mask & 1u << i) == want) {
			say(t, "%s%s", first ? "" : ", ", names[i]);
			first = 0;
		}
}

static int
count_bits(uint32_t m)
{
	return __builtin_popcount(m);
}

static void
skills_text(struct text *t, const char *what, const char (*names)[41],
    size_t n, uint32_t matched)
{
	int m = count_bits(matched);

	if (n == 0) {
		say(t, "The role lists no %s skills.", what);
		return;
	}
	if ((size_t)m == n && n == 1)
		say(t, "Has the %s skill: ", what);
	else if ((size_t)m == n)
		say(t, "All %zu %s skills: ", n, what);
	else if (m == 0 && n == 1)
		say(t, "Not the %s skill. Missing: ", what);
	else if (m == 0)
		say(t, "None of the %zu %s skills. Missing: ", n, what);
	else {
		say(t, "%d of %zu %s skills: ", m, n, what);
		say_names(t, names, n, matched, 1);
		say(t, ". Missing: ");
	}
	say_names(t, names, n, matched, m > 0 && (size_t)m == n);
	say(t, ".");
}

static const char *
seniority_word(int s)
{
	return s >= 1 && (size_t)s <= NSENIORITY ? seniority_words[s - 1] : "";
}

static void
seniority_text(struct text *t, const struct match_role *r,
    const struct match_cand *c)
{
	int d;

	if (r->seniority == 0) {
		say(t, "The role takes any seniority.");
		return;
	}
	if (c->seniority == 0) {
		say(t, "Seniority not given; the role is %s.",
		    seniority_word(r->seniority));
		return;
	}
	d = abs((int)r->seniority - (int)c->seniority);
	if (d == 0)
		say(t, "%c%s, as the role asks.",
		    toupper((unsigned char)seniority_word(c->seniority)[0]),
		    seniority_word(c->seniority) + 1);
	else
		say(t, "%c%s, %s from the role's %s.",
		    toupper((unsigned char)seniority_word(c->seniority)[0]),
		    seniority_word(c->seniority) + 1,
		    d == 1 ? "one level" : d == 2 ? "two levels" : "three or more levels",
		    seniority_word(r->seniority));
}

static void
location_text(struct text *t, const struct match_role *r,
    const struct match_cand *c, int points)
{
	if (r->remote == MATCH_REMOTE)
		say(t, "Remote role: where they live does not matter.");
	else if (r->nloc == 0)
		say(t, "The role names no location.");
	else if (points == 10)
		say(t, "Lives in a city of the role.");
	else if (points == 6)
		say(t, "Lives in a country of the role (hybrid role).");
	else if (points == 4)
		say(t, "Lives in a country of the role, not its city (on-site role).");
	else if (!c->city && !c->country)
		say(t, "Location not given.");
	else if (points == 3)
		say(t, "Lives elsewhere but open to remote work (hybrid role).");
	else
		say(t, "Lives outside the role's locations%s.",
		    r->remote == MATCH_HYBRID ? " and not open to remote work" : "");
}

static void
ago(struct text *t, int64_t days)
{
	if (days <= 0)
		say(t, "today");
	else if (days == 1)
		say(t, "yesterday");
	else if (days < 60)
		say(t, "%lld days ago", (long long)days);
	else if (days < 730)
		say(t, "%lld months ago", (long long)(days / 30));
	else
		say(t, "over two years ago");
}

static void
engagement_text(struct text *t, const struct match_cand *c, int64_t today)
{
	static const char *const levels[] = { "No engagement level",
		"Hot", "Warm", "Cold" };

	say(t, "%s", levels[c->level <= 3 ? c->level : 0]);
	if (c->engaged_day) {
		say(t, ", last engaged ");
		ago(t, today - c->engaged_day);
		say(t, ".");
	} else
		say(t, ", never engaged.");
}

static void
history_text(struct text *t, const struct match_role *r,
    const struct match_cand *c, int64_t today)
{
	size_t start = t->len;

	if (r->family && has(c->silver, c->nsilver, r->family))
		say(t, "Silver medallist for a role in this family.");
	if (c->flags & MATCH_F_PAST_HIRE)
		say(t, "%sHired by us before.", t->len > start ? " " : "");
	if (within(today, c->declined_day, 180)) {
		say(t, "%sDeclined an offer ", t->len > start ? " " : "");
		ago(t, today - c->declined_day);
		say(t, ".");
	}
	if (t->len == start)
		say(t, "No history with us that counts for this role.");
}

static void
freshness_text(struct text *t, const struct match_cand *c, int64_t today)
{
	if (c->updated_day == 0)
		say(t, "The record has no update date.");
	else {
		say(t, "Record updated ");
		ago(t, today - c->updated_day);
		say(t, ".");
	}
}

static json_t *
names_array(const char (*names)[41], size_t n, uint32_t mask, int want)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (!!(mask & 1u << i) == want &&
		    json_array_append_new(a, json_string(names[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *
match_explain(const struct match_role *r, const struct match_cand *c,
    const struct match_score *s)
{
	json_t *out, *parts;
	int64_t today = s->today;
	const char (*req_names)[41] = r->req_name;
	const char (*nice_names)[41] = r->nice_name;

	if ((out = json_object()) == NULL || (parts = json_array()) == NULL) {
		json_decref(out);
		return NULL;
	}
	json_object_set_new(out, "score", json_integer(s->total));
	json_object_set_new(out, "needs_basis", json_boolean(s->needs_basis));
	if (s->excluded)
		json_object_set_new(out, "excluded", json_string(
		    s->excluded & MATCH_F_DNC ? "do_not_contact" : "hired"));
	json_object_set_new(out, "parts", parts);
	for (int i = 0; i < MP__MAX; i++) {
		struct text t = { .len = 0 };
		json_t *p;

		t.buf[0] = '\0';
		switch (i) {
		case MP_REQUIRED:
			skills_text(&t, "required", req_names, r->nreq,
			    s->req_matched);
			break;
		case MP_NICE:
			skills_text(&t, "nice-to-have", nice_names, r->nnice,
			    s->nice_matched);
			break;
		case MP_SENIORITY:
			seniority_text(&t, r, c);
			break;
		case MP_LOCATION:
			location_text(&t, r, c, s->part[MP_LOCATION]);
			break;
		case MP_INTEREST:
			say(&t, !r->family ? "The role has no job family." :
			    s->part[MP_INTEREST] ? "Interested in this job family." :
			    "Has not named this job family among their interests.");
			break;
		case MP_ENGAGEMENT:
			engagement_text(&t, c, today);
			break;
		case MP_HISTORY:
			history_text(&t, r, c, today);
			break;
		case MP_FRESHNESS:
			freshness_text(&t, c, today);
			break;
		}
		p = json_pack("{s:s, s:i, s:i, s:s}", "part", match_part_names[i],
		    "points", s->part[i], "max", match_part_max[i], "text", t.buf);
		if (p == NULL || json_array_append_new(parts, p)) {
			json_decref(out);
			return NULL;
		}
	}
	if (json_object_set_new(out, "required_matched", names_array(req_names,
	    r->nreq, s->req_matched, 1)) ||
	    json_object_set_new(out, "required_missing", names_array(req_names,
	    r->nreq, s->req_matched, 0)) ||
	    json_object_set_new(out, "nice_matched", names_array(nice_names,
	    r->nnice, s->nice_matched, 1)) ||
	    json_object_set_new(out, "nice_missing", names_array(nice_names,
	    r->nnice, s->nice_matched, 0))) {
		json_decref(out);
		return NULL;
	}
	return out;
}
