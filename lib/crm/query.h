/* query.h: candidate filters and free-text search over the postings index */
#ifndef HEARTH_QUERY_H
#define HEARTH_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <roaring/roaring.h>

struct store;
struct cand_keyset;

/* Values per list filter and words of free text, at most. */
#define QUERY_LIST_MAX 16
#define QUERY_TEXT_MAX 300
#define QUERY_VALUE_MAX 80

struct query_list {
	size_t n;
	char v[QUERY_LIST_MAX][QUERY_VALUE_MAX + 1];
};

/*
 * A filter of the candidate list: every part given must hold (an empty
 * list or string: no condition). Lists of one kind match any of their
 * values (tags: all of, any of, none of).
 */
struct cand_query {
	char text[QUERY_TEXT_MAX + 1];	/* free text, as typed */
	struct query_list tags_all, tags_any, tags_none;
	struct query_list status, source, seniority, interest, consent, level;
	uint64_t pool;			/* 0: any */
	char city[QUERY_VALUE_MAX + 1], country[QUERY_VALUE_MAX + 1];
	int remote;			/* 1: open to remote work only */
	int64_t owner;			/* -1: anyone; 0: nobody; else a user id */
	int stale;			/* 1: flagged stale only */
	int64_t engaged_after;		/* unix day (days since 1970), 0: none */
	int64_t engaged_before;		/* unix day, inclusive; 0: none */
};

/* Sets q to match everyone. */
void cand_query_init(struct cand_query *q);

/*
 * Reads the free text of q->text into the query: words must all be found
 * (in name, email, title, skills, notes or résumé text); -word must not
 * be; "a phrase" needs each of its words; field:value adds to a filter
 * (tag: -tag: status: source: seniority: interest: consent: level: city:
 * country: pool:N remote:yes stale:yes owner:N|none). Returns HE_INVALID
 * with a message for people in err (size errlen) for text it cannot read
 * (an unknown field, an unterminated quote, too many words or values);
 * the query is then unusable.
 */
int cand_query_parse(struct store *st, struct cand_query *q, char *err,
    size_t errlen);

/* A saved filter as JSON and back (HE_INVALID for a malformed one). */
json_t *cand_query_to_json(const struct cand_query *q);
int cand_query_from_json(json_t *j, struct cand_query *q);

/* Whether the query has any condition. */
int cand_query_empty(const struct cand_query *q);

/* SORT_SCORE: the engagement score, highest first (engage.h), then those
 * with none, newest first. */
enum cand_sort { SORT_NEWEST, SORT_OLDEST, SORT_NAME, SORT_ENGAGED, SORT_SCORE,
	SORT__MAX };
extern const char *const cand_sort_names[SORT__MAX];

/*
 * Every candidate id the query matches, in txn (NULL: read committed data
 * outside one). On HE_OK *ids is a new bitmap (roaring_bitmap_free).
 * HE_INVALID when q's text does not parse.
 */
int cand_search_ids(struct store *st, DB_TXN *txn, const struct cand_query *q,
    roaring_bitmap_t **ids);

/*
 * One page of the candidates the query matches, in sort order: ids of
 * page `page` (1-based) of per_page into ids (per_page entries), *n of them,
 * and the total count.
 */
int cand_search(struct store *st, const struct cand_query *q,
    enum cand_sort sort, size_t page, size_t per_page, uint64_t *ids,
    size_t *n, uint64_t *total);

/* The values one facet takes ("src" for sources, "tag" for tags), in
 * order, with how many candidates have each when counts (else 0: no index
 * read per value); up to max of them. fn gets the value without its
 * prefix; non-HE_OK from fn stops the walk. */
int cand_facet_values(struct store *st, const char *facet, size_t max,
    int counts, int (*fn)(const char *value, uint64_t count, void *ctx),
    void *ctx);

/* Whether a candidate with index keys ks matches the compiled query
 * (dynamic pools are kept on write with this). */
struct query_plan;
int query_plan_new(struct store *st, const struct cand_query *q,
    struct query_plan **plan);
int query_plan_matches(const struct query_plan *plan,
    const struct cand_keyset *ks);
void query_plan_free(struct query_plan *plan);

#endif
