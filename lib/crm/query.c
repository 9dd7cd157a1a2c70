/* query.c: the candidate filter: free text, its plan, and its evaluation */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm/index.h"
#include "crm/query.h"
#include "store/postings.h"
#include "util/he.h"
#include "util/words.h"

const char *const cand_sort_names[SORT__MAX] = {
	[SORT_NEWEST] = "newest",
	[SORT_OLDEST] = "oldest",
	[SORT_NAME] = "name",
	[SORT_ENGAGED] = "engaged",
	[SORT_SCORE] = "score",
};

/* Words of free text at most (each is one index read). */
#define TEXT_WORDS_MAX 24

void
cand_query_init(struct cand_query *q)
{
	memset(q, 0, sizeof *q);
	q->owner = -1;
}

/* The parts of free text: words to find, words to exclude. */
struct text_parts {
	size_t nmust, nnot;
	char must[TEXT_WORDS_MAX][WORDS_MAX + 1];
	char not[TEXT_WORDS_MAX][WORDS_MAX + 1];
};

static int
fail(char *err, size_t errlen, const char *msg, const char *what)
{
	if (what)
		snprintf(err, errlen, msg, what);
	else
		snprintf(err, errlen, "%s", msg);
	return HE_INVALID;
}

static int
list_add(struct query_list *l, const char *v, char *err, size_t errlen)
{
	if (*v == 0)
		return HE_OK;
	if (l->n == QUERY_LIST_MAX)
		return fail(err, errlen, "Too many values for one filter.", NULL);
	if (strlen(v) > QUERY_VALUE_MAX)
		return fail(err, errlen, "\"%.40s\" is too long for a filter value.", v);
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], v) == 0)
			return HE_OK;
	snprintf(l->v[l->n++], sizeof l->v[0], "%s", v);
	return HE_OK;
}

struct word_sink {
	struct text_parts *t;
	int negate;
	int failed;
};

static int
add_text_word(const char *w, size_t n, void *ctx)
{
	struct word_sink *s = ctx;
	size_t *count = s->negate ? &s->t->nnot : &s->t->nmust;
	char (*arr)[WORDS_MAX + 1] = s->negate ? s->t->not : s->t->must;

	if (n < 2 && !(n == 1 && w[0] >= '0' && w[0] <= '9'))
		return 0;	/* single letters are not indexed */
	if (*count == TEXT_WORDS_MAX) {
		s->failed = 1;
		return 1;
	}
	memcpy(arr[*count], w, n);
	arr[(*count)++][n] = 0;
	return 0;
}

/*
 * A word as typed: when it is more than its letters ("c++", "node.js",
 * an email address) it is looked up whole, as the index keeps such
 * chunks; otherwise by its words.
 */
static int
add_token(struct text_parts *t, const char *tok, int negate, int phrase)
{
	struct word_sink s = { t, negate, 0 };
	char lower[WORDS_MAX + 1], folded[WORDS_MAX + 1];
	size_t n = strlen(tok);

	if (!phrase && n <= WORDS_MAX) {
		for (size_t i = 0; i <= n; i++)
			lower[i] = (char)(tok[i] >= 'A' && tok[i] <= 'Z' ?
			    tok[i] - 'A' + 'a' : tok[i]);
		words_fold(lower, folded, sizeof folded);
		if (strcmp(folded, lower) != 0 && n >= 2 &&
		    (strchr(folded, ' ') != NULL || strlen(folded) < 2)) {
			add_text_word(lower, n, &s);
			return s.failed ? HE_INVALID : HE_OK;
		}
	}
	words_each(tok, n, add_text_word, &s);
	return s.failed ? HE_INVALID : HE_OK;
}

static int
parse_flag(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
		*out = 1;
		return HE_OK;
	}
	return HE_INVALID;
}

static int
parse_uint(const char *v, uint64_t *out)
{
	char *end;
	unsigned long long n;

	if (*v < '0' || *v > '9' || strlen(v) > 18)
		return HE_INVALID;
	n = strtoull(v, &end, 10);
	if (*end || n == 0)
		return HE_INVALID;
	*out = n;
	return HE_OK;
}

static int
field_value(struct cand_query *q, const char *field, const char *v, int negate,
    char *err, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
	} lists[] = {
		{ "status", offsetof(struct cand_query, status) },
		{ "source", offsetof(struct cand_query, source) },
		{ "seniority", offsetof(struct cand_query, seniority) },
		{ "interest", offsetof(struct cand_query, interest) },
		{ "consent", offsetof(struct cand_query, consent) },
		{ "level", offsetof(struct cand_query, level) },
	};
	uint64_t n;

	if (*v == 0)
		return fail(err, errlen, "\"%s:\" needs a value after the colon.", field);
	if (strcmp(field, "tag") == 0) {
		char tag[CAND_TAG_SIZE];

		if (cand_tag_normalise(v, tag) != HE_OK)
			return fail(err, errlen, "\"%.40s\" is not a tag.", v);
		return list_add(negate ? &q->tags_none : &q->tags_all, tag, err,
		    errlen);
	}
	if (negate)
		return fail(err, errlen, "A minus works before words and tags only, "
		    "not before \"%s:\".", field);
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		if (strcmp(field, lists[i].name) == 0)
			return list_add((struct query_list *)((char *)q + lists[i].off),
			    v, err, errlen);
	if (strcmp(field, "city") == 0 || strcmp(field, "country") == 0) {
		char *dst = field[1] == 'i' ? q->city : q->country;

		if (strlen(v) > QUERY_VALUE_MAX)
			return fail(err, errlen, "The %s is too long.", field);
		memcpy(dst, v, strlen(v) + 1);	/* length checked */
		return HE_OK;
	}
	if (strcmp(field, "pool") == 0) {
		if (parse_uint(v, &q->pool) != HE_OK)
			return fail(err, errlen, "\"pool:\" takes a pool number.", NULL);
		return HE_OK;
	}
	if (strcmp(field, "owner") == 0) {
		if (strcmp(v, "none") == 0)
			q->owner = 0;
		else if (parse_uint(v, &n) == HE_OK)
			q->owner = (int64_t)n;
		else
			return fail(err, errlen, "\"owner:\" takes a user number or "
			    "\"none\".", NULL);
		return HE_OK;
	}
	if (strcmp(field, "remote") == 0 || strcmp(field, "stale") == 0) {
		if (parse_flag(v, field[0] == 'r' ? &q->remote : &q->stale) != HE_OK)
			return fail(err, errlen, "\"%s:\" takes \"yes\".", field);
		return HE_OK;
	}
	return fail(err, errlen, "\"%.40s:\" is not a filter. Filters are tag, "
	    "status, source, seniority, interest, consent, level, city, country, "
	    "pool, owner, remote and stale.", field);
}

/*
 * Splits q->text into field:value filters (added to q) and words (to t).
 * Tokens are separated by spaces; "double quotes" keep spaces in a phrase
 * or a value; a leading minus excludes.
 */
static int
parse_text(struct cand_query *q, struct text_parts *t, char *err, size_t errlen)
{
	const char *p = q->text;
	char tok[QUERY_TEXT_MAX + 1], field[32];

	memset(t, 0, sizeof *t);
	while (*p) {
		int negate = 0, quoted = 0, has_field = 0;
		size_t n = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == 0)
			break;
		if (*p == '-' && p[1] && p[1] != ' ') {
			negate = 1;
			p++;
		}
		/* field: (letters only, then a colon) */
		{
			const char *f = p;

			while ((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z'))
				f++;
			if (*f == ':' && f > p && (size_t)(f - p) < sizeof field) {
				for (size_t i = 0; i < (size_t)(f - p); i++)
					field[i] = (char)(p[i] | 0x20);
				field[f - p] = 0;
				has_field = 1;
				p = f + 1;
			}
		}
		if (*p == '"') {
			const char *end = strchr(p + 1, '"');

			if (end == NULL)
				return fail(err, errlen, "A quote is not closed: add the "
				    "closing \" or remove the opening one.", NULL);
			n = (size_t)(end - p - 1);
			memcpy(tok, p + 1, n);
			p = end + 1;
			quoted = 1;
		} else {
			while (*p && *p != ' ' && *p != '\t')
				tok[n++] = *p++;
		}
		tok[n] = 0;
		if (has_field) {
			int rc = field_value(q, field, tok, negate, err, errlen);

			if (rc != HE_OK)
				return rc;
			continue;
		}
		if (negate && quoted)
			return fail(err, errlen, "A minus works before single words, "
			    "not before a quoted phrase.", NULL);
		if (add_token(t, tok, negate, quoted) != HE_OK)
			return fail(err, errlen, "Too many words: search with at most "
			    "24.", NULL);
	}
	return HE_OK;
}

int
cand_query_parse(struct store *st, struct cand_query *q, char *err,
    size_t errlen)
{
	struct cand_query copy = *q;
	struct text_parts t;

	(void)st;
	return parse_text(&copy, &t, err, errlen);
}

int
cand_query_empty(const struct cand_query *q)
{
	struct cand_query e;

	cand_query_init(&e);
	return memcmp(&e, q, sizeof e) == 0;
}

/* ---- JSON form of a saved filter ---- */

static const struct {
	const char *name;
	size_t off;
} json_lists[] = {
	{ "tags_all", offsetof(struct cand_query, tags_all) },
	{ "tags_any", offsetof(struct cand_query, tags_any) },
	{ "tags_none", offsetof(struct cand_query, tags_none) },
	{ "status", offsetof(struct cand_query, status) },
	{ "source", offsetof(struct cand_query, source) },
	{ "seniority", offsetof(struct cand_query, seniority) },
	{ "interest", offsetof(struct cand_query, interest) },
	{ "consent", offsetof(struct cand_query, consent) },
	{ "level", offsetof(struct cand_query, level) },
};

json_t *
cand_query_to_json(const struct cand_query *q)
{
	json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:b, s:I, s:b, s:I, s:I}",
	    "text", q->text, "pool", (json_int_t)q->pool, "city", q->city,
	    "country", q->country, "remote", q->remote, "owner",
	    (json_int_t)q->owner, "stale", q->stale, "engaged_after",
	    (json_int_t)q->engaged_after, "engaged_before",
	    (json_int_t)q->engaged_before);

	for (size_t i = 0; j && i < sizeof json_lists / sizeof *json_lists; i++) {
		const struct query_list *l =
		    (const void *)((const char *)q + json_lists[i].off);
		json_t *arr = json_array();

		for (size_t k = 0; arr && k < l->n; k++)
			json_array_append_new(arr, json_string(l->v[k]));
		if (arr == NULL || json_object_set_new(j, json_lists[i].name, arr)) {
			json_decref(j);
			return NULL;
		}
	}
	return j;
}

static int
copy_str(json_t *j, const char *name, char *dst, size_t size)
{
	json_t *v = json_object_get(j, name);

	if (v == NULL)
		return HE_OK;
	if (!json_is_string(v) || json_string_length(v) >= size)
		return HE_INVALID;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return HE_OK;
}

int
cand_query_from_json(json_t *j, struct cand_query *q)
{
	char err[160];

	cand_query_init(q);
	if (!json_is_object(j) ||
	    copy_str(j, "text", q->text, sizeof q->text) != HE_OK ||
	    copy_str(j, "city", q->city, sizeof q->city) != HE_OK ||
	    copy_str(j, "country", q->country, sizeof q->country) != HE_OK)
		return HE_INVALID;
	q->pool = (uint64_t)json_integer_value(json_object_get(j, "pool"));
	q->remote = json_is_true(json_object_get(j, "remote"));
	q->stale = json_is_true(json_object_get(j, "stale"));
	if (json_object_get(j, "owner"))
		q->owner = json_integer_value(json_object_get(j, "owner"));
	q->engaged_after = json_integer_value(json_object_get(j, "engaged_after"));
	q->engaged_before = json_integer_value(json_object_get(j, "engaged_before"));
	for (size_t i = 0; i < sizeof json_lists / sizeof *json_lists; i++) {
		struct query_list *l = (void *)((char *)q + json_lists[i].off);
		json_t *arr = json_object_get(j, json_lists[i].name), *v;
		size_t k;

		json_array_foreach(arr, k, v)
			if (!json_is_string(v) ||
			    list_add(l, json_string_value(v), err, sizeof err) != HE_OK)
				return HE_INVALID;
	}
	return HE_OK;
}

/* ---- the plan: clauses over index keys ---- */

enum clause_op { C_ALL, C_ANY, C_NONE, C_DAYS };

struct clause {
	enum clause_op op;
	size_t n;
	char **keys;
	long from, to;		/* C_DAYS: YYYYMMDD, inclusive */
};

struct query_plan {
	struct clause *c;
	size_t n, cap;
	int failed;
};

static struct clause *
clause_new(struct query_plan *p, enum clause_op op)
{
	struct clause *c;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct clause *nc = realloc(p->c, cap * sizeof *nc);

		if (nc == NULL) {
			p->failed = 1;
			return NULL;
		}
		p->c = nc;
		p->cap = cap;
	}
	c = &p->c[p->n++];
	memset(c, 0, sizeof *c);
	c->op = op;
	return c;
}

static void
clause_key(struct query_plan *p, struct clause *c, const char *prefix,
    const char *v)
{
	char **k;
	size_t len = strlen(prefix) + strlen(v) + 1;

	if (c == NULL || p->failed)
		return;
	if ((k = realloc(c->keys, (c->n + 1) * sizeof *k)) == NULL ||
	    (k[c->n] = malloc(len)) == NULL) {
		if (k)
			c->keys = k;
		p->failed = 1;
		return;
	}
	c->keys = k;
	snprintf(k[c->n++], len, "%s%s", prefix, v);
}

static void
list_clause(struct query_plan *p, const struct query_list *l, enum clause_op op,
    const char *prefix)
{
	struct clause *c;

	if (l->n == 0)
		return;
	if (op == C_ANY) {
		c = clause_new(p, C_ANY);
		for (size_t i = 0; i < l->n; i++)
			clause_key(p, c, prefix, l->v[i]);
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		clause_key(p, clause_new(p, op), prefix, l->v[i]);
}

static long
day_ymd(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
}

void
query_plan_free(struct query_plan *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		for (size_t k = 0; k < p->c[i].n; k++)
			free(p->c[i].keys[k]);
		free(p->c[i].keys);
	}
	free(p->c);
	free(p);
}

int
query_plan_new(struct store *st, const struct cand_query *query,
    struct query_plan **out)
{
	struct cand_query q = *query;
	struct text_parts t;
	struct query_plan *p;
	char err[200], key[64], num[24];
	int rc;

	*out = NULL;
	if ((rc = parse_text(&q, &t, err, sizeof err)) != HE_OK)
		return rc;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return HE_NOMEM;
	for (size_t i = 0; i < t.nmust; i++) {
		cand_word_key(st, t.must[i], strlen(t.must[i]), key);
		clause_key(p, clause_new(p, C_ALL), "", key);
	}
	for (size_t i = 0; i < t.nnot; i++) {
		cand_word_key(st, t.not[i], strlen(t.not[i]), key);
		clause_key(p, clause_new(p, C_NONE), "", key);
	}
	list_clause(p, &q.tags_all, C_ALL, "tag:");
	list_clause(p, &q.tags_any, C_ANY, "tag:");
	list_clause(p, &q.tags_none, C_NONE, "tag:");
	list_clause(p, &q.status, C_ANY, "st:");
	list_clause(p, &q.source, C_ANY, "src:");
	list_clause(p, &q.seniority, C_ANY, "sen:");
	list_clause(p, &q.interest, C_ANY, "int:");
	list_clause(p, &q.consent, C_ANY, "cs:");
	list_clause(p, &q.level, C_ANY, "lvl:");
	if (q.pool) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)q.pool);
		clause_key(p, clause_new(p, C_ALL), "pool:", num);
	}
	if (q.city[0]) {
		cand_hash_key(st, "cty:", q.city, key);
		clause_key(p, clause_new(p, C_ALL), "", key);
	}
	if (q.country[0]) {
		cand_hash_key(st, "ctry:", q.country, key);
		clause_key(p, clause_new(p, C_ALL), "", key);
	}
	if (q.remote)
		clause_key(p, clause_new(p, C_ALL), "", "rem:1");
	if (q.stale)
		clause_key(p, clause_new(p, C_ALL), "", "stale");
	if (q.owner == 0)
		clause_key(p, clause_new(p, C_ALL), "", "own:-");
	else if (q.owner > 0) {
		snprintf(num, sizeof num, "%lld", (long long)q.owner);
		clause_key(p, clause_new(p, C_ALL), "own:", num);
	}
	if (q.engaged_after || q.engaged_before) {
		struct clause *c = clause_new(p, C_DAYS);

		if (c) {
			c->from = q.engaged_after ? day_ymd(q.engaged_after) : 0;
			c->to = q.engaged_before ? day_ymd(q.engaged_before) : 99991231;
		}
	}
	if (p->failed) {
		query_plan_free(p);
		return HE_NOMEM;
	}
	*out = p;
	return HE_OK;
}

static int
days_match(const struct clause *c, const struct cand_keyset *ks)
{
	for (size_t i = 0; i < ks->n; i++) {
		const char *k = keyset_at(ks, i);

		if (strncmp(k, "ed:", 3) == 0) {
			long d = strtol(k + 3, NULL, 10);

			return d >= c->from && d <= c->to;
		}
	}
	return 0;
}

int
query_plan_matches(const struct query_plan *p, const struct cand_keyset *ks)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct clause *c = &p->c[i];
		int any = 0;

		switch (c->op) {
		case C_ALL:
			for (size_t k = 0; k < c->n; k++)
				if (!keyset_has(ks, c->keys[k]))
					return 0;
			break;
		case C_ANY:
			for (size_t k = 0; k < c->n && !any; k++)
				any = keyset_has(ks, c->keys[k]);
			if (!any)
				return 0;
			break;
		case C_NONE:
			for (size_t k = 0; k < c->n; k++)
				if (keyset_has(ks, c->keys[k]))
					return 0;
			break;
		case C_DAYS:
			if (!days_match(c, ks))
				return 0;
			break;
		}
	}
	return 1;
}

/* ---- evaluation over the postings ---- */

struct days_walk {
	struct store *st;
	DB_TXN *txn;
	const struct clause *c;
	roaring_bitmap_t *out;
	int rc;
};

static int
day_key(const char *key, uint64_t count, void *ctx)
{
	struct days_walk *w = ctx;
	long d = strtol(key + 3, NULL, 10);

	(void)count;
	if (d >= w->c->from && d <= w->c->to)
		return store_post_read(w->st, w->txn, key, w->out);
	return HE_OK;
}

static int
month_key(const char *key, uint64_t count, void *ctx)
{
	struct days_walk *w = ctx;
	long m = strtol(key + 3, NULL, 10);
	char prefix[32];

	(void)count;
	if (m * 100 + 31 < w->c->from || m * 100 + 1 > w->c->to)
		return HE_OK;
	if (m * 100 + 1 >= w->c->from && m * 100 + 31 <= w->c->to)
		return store_post_read(w->st, w->txn, key, w->out);
	snprintf(prefix, sizeof prefix, "ed:%ld", m);
	return store_post_names(w->st, w->txn, prefix, 0, day_key, w);
}

static int
clause_set(struct store *st, DB_TXN *txn, const struct clause *c,
    roaring_bitmap_t *out)
{
	struct days_walk w = { st, txn, c, out, HE_OK };
	int rc = HE_OK;

	if (c->op == C_DAYS)
		return store_post_names(st, txn, "em:", 0, month_key, &w);
	for (size_t k = 0; rc == HE_OK && k < c->n; k++)
		rc = store_post_read(st, txn, c->keys[k], out);
	return rc;
}

static int
plan_eval(struct store *st, DB_TXN *txn, const struct query_plan *p,
    roaring_bitmap_t **ids)
{
	roaring_bitmap_t *r = NULL, *s;
	int rc = HE_OK;

	/* Positive clauses first, narrowing; ALL clauses hold one key each. */
	for (size_t i = 0; rc == HE_OK && i < p->n; i++) {
		if (p->c[i].op == C_NONE)
			continue;
		if ((s = roaring_bitmap_create()) == NULL) {
			rc = HE_NOMEM;
			break;
		}
		if ((rc = clause_set(st, txn, &p->c[i], s)) == HE_OK) {
			if (r == NULL) {
				r = s;
				s = NULL;
			} else
				roaring_bitmap_and_inplace(r, s);
		}
		if (s)		/* this CRoaring does not take NULL */
			roaring_bitmap_free(s);
		if (r && roaring_bitmap_is_empty(r))
			break;
	}
	if (rc == HE_OK && r == NULL) {
		if ((r = roaring_bitmap_create()) == NULL)
			rc = HE_NOMEM;
		else
			rc = store_post_read(st, txn, "*", r);
	}
	for (size_t i = 0; rc == HE_OK && i < p->n &&
	    !roaring_bitmap_is_empty(r); i++) {
		if (p->c[i].op != C_NONE)
			continue;
		if ((s = roaring_bitmap_create()) == NULL) {
			rc = HE_NOMEM;
			break;
		}
		if ((rc = clause_set(st, txn, &p->c[i], s)) == HE_OK)
			roaring_bitmap_andnot_inplace(r, s);
		roaring_bitmap_free(s);
	}
	if (rc != HE_OK) {
		if (r)
			roaring_bitmap_free(r);
		return rc;
	}
	*ids = r;
	return HE_OK;
}

int
cand_search_ids(struct store *st, DB_TXN *txn, const struct cand_query *q,
    roaring_bitmap_t **ids)
{
	struct query_plan *p;
	int rc;

	if ((rc = query_plan_new(st, q, &p)) != HE_OK)
		return rc;
	rc = plan_eval(st, txn, p, ids);
	query_plan_free(p);
	return rc;
}

struct facet_walk {
	size_t plen, n, max;
	int (*fn)(const char *value, uint64_t count, void *ctx);
	void *ctx;
};

static int
facet_key(const char *key, uint64_t count, void *ctx)
{
	struct facet_walk *w = ctx;
	int rc;

	if (w->n++ >= w->max)
		return HE_EXISTS;
	rc = w->fn(key + w->plen, count, w->ctx);
	return rc;
}

int
cand_facet_values(struct store *st, const char *facet, size_t max, int counts,
    int (*fn)(const char *value, uint64_t count, void *ctx), void *ctx)
{
	char prefix[32];
	struct facet_walk w = { 0, 0, max, fn, ctx };
	int rc;

	snprintf(prefix, sizeof prefix, "%s:", facet);
	w.plen = strlen(prefix);
	rc = counts ? store_post_keys(st, NULL, prefix, 0, facet_key, &w) :
	    store_post_names(st, NULL, prefix, 0, facet_key, &w);
	return rc == HE_EXISTS ? HE_OK : rc;
}
