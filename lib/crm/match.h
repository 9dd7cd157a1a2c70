/* match.h: a candidate's fit for a role: match records, the score and its reasons */
#ifndef HEARTH_MATCH_H
#define HEARTH_MATCH_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <roaring/roaring.h>

struct store;

/*
 * What the fit score may read of a candidate, and nothing else: never the
 * name, email, phone, photo, gender, age or date of birth, nationality or
 * any other protected attribute, so changing one of those can never move
 * a score. A match record is derived from the candidate's JSON record by
 * match_cand_from_json; STORE_MATCH keeps one per candidate, written in
 * the transaction of every candidate write (match_cand_changed) and
 * rebuilt from the records by match_rebuild.
 */
#define MATCH_SKILLS_MAX 30	/* COMM_SKILLS_MAX */
#define MATCH_TAGS_MAX 16	/* interests, silver-medallist families */

enum match_flag {
	MATCH_F_DNC = 1 << 0,		/* status do_not_contact: excluded */
	MATCH_F_HIRED = 1 << 1,		/* status hired (currently): excluded */
	MATCH_F_CONSENT = 1 << 2,	/* consent "confirmed": may be contacted */
	MATCH_F_REMOTE = 1 << 3,	/* open to remote work */
	MATCH_F_PAST_HIRE = 1 << 4,	/* "hired_at" but no longer hired */
};

struct match_cand {
	uint64_t id;
	uint32_t flags;			/* enum match_flag */
	uint8_t seniority;		/* 1 + index in comm_seniorities; 0 unknown */
	uint8_t level;			/* 1 hot, 2 warm, 3 cold; 0 none */
	uint8_t nskills, ninterests, nsilver;
	uint32_t city, country;		/* match_hash of the folded names; 0 none */
	uint16_t engaged_day;		/* unix day of "last_engaged"; 0 none */
	uint16_t updated_day;		/* unix day of "updated"; 0 none */
	uint16_t declined_day;		/* unix day of "offer_declined_at"; 0 none */
	uint32_t skills[MATCH_SKILLS_MAX];	/* skill_id of canonical keys */
	uint32_t interests[MATCH_TAGS_MAX];	/* match_hash of family ids */
	uint32_t silver[MATCH_TAGS_MAX];	/* match_hash of "silver_families" */
};

/* A 32-bit hash (never 0; 0 for NULL or "", which stand for none) of a
 * short string as given (family ids) or folded first by words_fold
 * (match_hash_folded: cities and countries, so " BERLIN" is "Berlin"). */
uint32_t match_hash(const char *s);
uint32_t match_hash_folded(const char *s);

/*
 * The match record of candidate id's JSON record rec (borrowed). Reads
 * "skills", "interests", "silver_families", "seniority", "level", "city",
 * "country", "remote", "status", "consent", "hired_at", "offer_declined_at",
 * "last_engaged" and "updated" (unix s, as the records keep them; a value
 * too large for seconds is read as µs), nothing else. Skills go through
 * the synonym table (skill_key), so load it first (crm_open does).
 */
void match_cand_from_json(uint64_t id, json_t *rec, struct match_cand *out);

/*
 * A role compiled for scoring (match_role_compile from the role's JSON
 * record, see role.h): its skills as ids with their display names.
 */
#define MATCH_ROLE_SKILLS_MAX 20	/* required, and nice-to-have, each */
#define MATCH_ROLE_LOCATIONS_MAX 8
enum match_remote { MATCH_ONSITE, MATCH_HYBRID, MATCH_REMOTE, MATCH_REMOTE__MAX };
/* "onsite" (also read: "on_site", "on-site", absent), "hybrid", "remote" */
extern const char *const match_remote_names[MATCH_REMOTE__MAX + 1];
struct match_role {
	uint64_t id;
	uint32_t family;		/* match_hash of the job family id; 0 none */
	uint8_t seniority;		/* as match_cand; 0 any */
	uint8_t remote;			/* enum match_remote */
	uint8_t nreq, nnice, nloc;
	uint32_t req[MATCH_ROLE_SKILLS_MAX];
	uint32_t nice[MATCH_ROLE_SKILLS_MAX];
	uint8_t nice_weight[MATCH_ROLE_SKILLS_MAX];	/* 1..5 */
	char req_name[MATCH_ROLE_SKILLS_MAX][41];	/* skill_display */
	char nice_name[MATCH_ROLE_SKILLS_MAX][41];
	struct { uint32_t city, country; } loc[MATCH_ROLE_LOCATIONS_MAX];
};
/* HE_INVALID for a record that is not a role (role_validate says why). */
int match_role_compile(uint64_t id, json_t *role, struct match_role *out);

/*
 * The parts of the score, each 0..match_part_max points (history may go
 * down to MATCH_HISTORY_MIN: an offer declined recently); the total is
 * their sum, clamped to 0..100.
 *   required    35 × required skills matched / required skills
 *   nice        15 × weight of nice skills matched / their total weight
 *   seniority   10, less 4 a level away (unknown: 4; role has none: 10)
 *   location    10 remote role or a role location's city; same country:
 *               6 hybrid, 4 on site; open to remote for a hybrid role
 *               elsewhere 3; unknown location 3
 *   interest     8 when the role's family is among their interests
 *   engagement  10: level hot 6, warm 4, cold 1; engaged within 30 days
 *               +4, 90 days +2, a year +1
 *   history      7 silver medallist in the role's family; past hire +3;
 *               declined an offer within 180 days -5 (clamped -5..7)
 *   freshness    5 record updated within 90 days, 3 a year, 1 two years
 * A role without required (nice) skills gives that part its maximum.
 */
enum match_part {
	MP_REQUIRED, MP_NICE, MP_SENIORITY, MP_LOCATION, MP_INTEREST,
	MP_ENGAGEMENT, MP_HISTORY, MP_FRESHNESS, MP__MAX
};
extern const char *const match_part_names[MP__MAX];	/* "required", ... */
extern const int match_part_max[MP__MAX];
#define MATCH_HISTORY_MIN (-5)

struct match_score {
	int total;			/* 0..100 */
	int part[MP__MAX];
	uint32_t req_matched;		/* bit i: the role's required skill i */
	uint32_t nice_matched;		/* bit i: its nice-to-have skill i */
	int excluded;			/* MATCH_F_DNC or MATCH_F_HIRED; 0 */
	int needs_basis;		/* no valid consent for outreach */
	int64_t today;			/* the day it was computed for */
};

/* Scores c for r as of unix day today (recency and freshness). */
void match_score(const struct match_role *r, const struct match_cand *c,
    int64_t today, struct match_score *s);

/*
 * The reasons of a score as people read them, a new JSON object:
 * {"score", "needs_basis", "excluded" (absent when not), "parts":
 * [{"part", "points", "max", "text"}], "required_matched" [names],
 * "required_missing", "nice_matched", "nice_missing"}. What is shown and
 * what the audit log keeps at shortlisting is this, made from the same
 * match_score. NULL when out of memory.
 */
json_t *match_explain(const struct match_role *r, const struct match_cand *c,
    const struct match_score *s);

/*
 * Ranking: every candidate with a match record, not excluded, in `only`
 * when not NULL (a filter's ids), best score first then lowest id. Skips
 * offset, then up to limit hits in *hits (malloc'd, caller frees; each
 * with its match record and score, so a page's reasons need no second
 * read); *total counts everyone ranked. Read committed, no transaction.
 */
struct match_hit {
	struct match_cand cand;
	struct match_score score;
};
int match_rank(struct store *st, const struct match_role *r,
    const roaring_bitmap_t *only, int64_t today, size_t offset, size_t limit,
    struct match_hit **hits, size_t *n, uint64_t *total);

/* One candidate's match record as stored (in txn, NULL: read committed);
 * HE_NOTFOUND when they have none. */
int match_get(struct store *st, DB_TXN *txn, uint64_t id,
    struct match_cand *out);

/* For cand_write and cand_remove, in their transaction: stores the match
 * record of rec (NULL: the candidate is gone, the record is removed). */
int match_cand_changed(struct store *st, DB_TXN *txn, uint64_t id, json_t *rec);

/* Rebuilds every match record from the candidate records (hearthctl
 * match rebuild; the worker after the synonym table changed), in batches
 * of their own transactions; *done counts them. */
int match_rebuild(struct store *st, size_t *done);

/*
 * The worker's share: when the records were made with another synonym
 * table than this process's (the setting "match_skills" holds the
 * skills_table_hash they were made with), rebuilds batches for about
 * budget_ms, remembering where it stopped (the setting "match_rebuild_at",
 * written with each batch), and records the new fingerprint once the last
 * batch is done. match_rebuild records it too. *done counts the records
 * rebuilt by this call; nothing to do is HE_OK with *done 0.
 */
int match_rebuild_due(struct store *st, int64_t budget_ms, size_t *done);

/*
 * The compact form of a match record as STORE_MATCH keeps it (the id is
 * the key's): match_cand_encode writes at most MATCH_REC_MAX bytes into
 * out and returns how many; match_cand_decode reads len bytes back for
 * candidate id, HE_INVALID when they are not a match record.
 */
#define MATCH_REC_MAX (20 + 4 * (MATCH_SKILLS_MAX + 2 * MATCH_TAGS_MAX))
size_t match_cand_encode(const struct match_cand *c, unsigned char *out);
int match_cand_decode(uint64_t id, const unsigned char *in, size_t len,
    struct match_cand *out);

/*
 * A role prepared for scoring many candidates (match_rank, the new-match
 * check): what match_score computes for every candidate alike, done once.
 * match_score_prep gives what match_score gives.
 */
struct match_prep {
	const struct match_role *r;
	int64_t today;
	uint64_t mask[4];		/* bit (id & 255) of every role skill */
	int nice_total;			/* the nice-to-have skills' weight */
};
void match_prepare(const struct match_role *r, int64_t today,
    struct match_prep *p);
void match_score_prep(const struct match_prep *p, const struct match_cand *c,
    struct match_score *s);

/* A bound of the total match_score_prep gives for the encoded record
 * rec (len bytes, as match_cand_encode made it): never below it, and
 * found without decoding the record (a ranking skips those that cannot
 * reach its page). -1 when rec is not a match record. */
int match_rec_bound(const struct match_prep *p, const unsigned char *rec,
    size_t len);

/* Today as a unix day, with the test clock (clock.h). */
int64_t match_today(void);

#endif
