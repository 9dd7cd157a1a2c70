/* profile.h: a candidate's details edited by hand, candidates added by
 * hand, and stale details verified */
#ifndef HEARTH_PROFILE_H
#define HEARTH_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct store;
struct tl_actor;

/* The fields a recruiter edits, in the order forms show them. */
enum prof_field {
	PF_FIRST_NAME, PF_LAST_NAME, PF_EMAIL, PF_PHONE, PF_TITLE, PF_CITY,
	PF_COUNTRY, PF_REMOTE, PF_SENIORITY, PF_INTERESTS, PF_SKILLS, PF_URL,
	PF_SOURCE, PF_TAGS, PF_OWNER, PF_STATUS, PF_BASIS, PF_BASIS_NOTE,
	PF__MAX
};
/* Their names in forms and in records ("basis" and "basis_note" are the
 * record's "basis" {"kind", "note"}). */
extern const char *const prof_fields[PF__MAX];

/* Lawful bases: "consent", "legitimate_interest". */
extern const char *const prof_bases[];

/* Tags per candidate, at most. */
#define PROF_TAGS_MAX 50

/*
 * A form as sent, each text cleaned to one line ("" when left empty):
 * remote "1" or ""; owner a user id in decimal or "" for nobody; tags
 * and skills separated by commas. interests are the job-family ids
 * ticked (the caller checked them against Site.JobFamilies).
 */
struct prof_input {
	const char *text[PF__MAX];	/* every field but PF_INTERESTS */
	const char *const *interests;
	size_t ninterests;
};

/* Field errors for people, in field order. existing: on an email that
 * belongs to someone else, that candidate (else 0). */
struct prof_errors {
	size_t n;
	struct {
		enum prof_field field;
		char message[256];
	} e[PF__MAX];
	uint64_t existing;
};

/*
 * Checks the shapes of a form (names, email, phone, address, tags,
 * skills, seniority, status, lawful basis) without the store; adding is
 * 1 for a new candidate (whose status is "sourced" whatever was sent).
 * Returns the number of errors added to errs.
 */
size_t prof_check(const struct prof_input *in, int adding,
    struct prof_errors *errs);

/* The text a form shows for field f of record rec: malloc'd (NULL when
 * out of memory); interests as ids joined by ",". */
char *prof_form_value(json_t *rec, enum prof_field f);

/* A digest of every field a form edits, so that a save can tell whether
 * the record changed after its form was filled in. */
#define PROF_VERSION_SIZE 17
void prof_version(json_t *rec, char out[PROF_VERSION_SIZE]);

/*
 * Saves a form over candidate id by who. updated and version are the
 * record's "updated" and prof_version when the form was filled in: when
 * either differs now, nothing is saved and HE_EXPIRED is returned (the
 * caller shows what was typed again, with the new version). HE_INVALID
 * with errs filled for a field that does not fit (an email that another
 * candidate has or that was erased, an owner who is not an active admin
 * or recruiter), HE_NOTFOUND for an unknown candidate. On HE_OK *changed
 * (may be NULL) counts the fields changed; when there were any, the
 * record is written (no longer stale) with touchpoints "edit" (the names
 * of the fields), "status" and "owner" (each {"from", "to"}) and an audit
 * entry "edit", all in one transaction.
 */
int prof_update(struct store *st, uint64_t id, const struct prof_input *in,
    int64_t updated, const char *version, const struct tl_actor *who,
    struct prof_errors *errs, size_t *changed);

/*
 * Adds a sourced candidate by hand (status "sourced", "joined" now), with
 * a touchpoint "created" and an audit entry "create". HE_INVALID with
 * errs filled as for prof_update (errs->existing: the candidate who has
 * this email already). *id on HE_OK.
 */
int prof_create(struct store *st, const struct prof_input *in,
    const struct tl_actor *who, struct prof_errors *errs, uint64_t *id);

/* The contact details of candidate id were checked by who: the record is
 * no longer stale ("updated" now), with a touchpoint "verified" and an
 * audit entry "edit". HE_NOTFOUND for an unknown candidate. */
int prof_verify(struct store *st, uint64_t id, const struct tl_actor *who);

/* Who may own candidates: active admins and recruiters, as a new array
 * [{"id", "email", "name"}] in id order. */
int prof_owners(struct store *st, json_t **users);

#endif
