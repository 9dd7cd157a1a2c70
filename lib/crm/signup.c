/* signup.c: joining the community, and the confirmation that makes it count */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/clock.h"
#include "crm/candidates.h"
#include "crm/community_int.h"
#include "crm/engage.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define MAIL_CONFIRM "confirm"

/* The fields of a signup a person may change by signing up again. */
static const char *const profile_fields[] = {
	"first_name", "last_name", "name", "phone", "city", "country", "remote",
	"interests", "seniority", "skills", "url", "resume", NULL,
};

static json_t *
profile_of(const struct comm_signup *in)
{
	char name[512];
	json_t *p;

	snprintf(name, sizeof name, "%s%s%s", in->first_name,
	    in->first_name[0] && in->last_name[0] ? " " : "", in->last_name);
	p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:O, s:s, s:O, s:s}",
	    "first_name", in->first_name, "last_name", in->last_name,
	    "name", name, "phone", in->phone, "city", in->city,
	    "country", in->country, "remote", in->remote,
	    "interests", in->interests, "seniority", in->seniority,
	    "skills", in->skills, "url", in->url);
	if (p && in->resume)
		json_object_set_new(p, "resume", json_pack("{s:s, s:s, s:s, s:I}",
		    "file", in->resume->file, "kind", in->resume->kind,
		    "name", in->resume->name, "size", (json_int_t)in->resume->size));
	return p;
}

struct join {
	const struct comm *c;
	const struct comm_signup *in;
	char replaced[64];	/* a résumé file the new details replace */
};

static int
join_new(struct join *j, DB_TXN *txn, const char *email_key)
{
	const struct comm *c = j->c;
	const struct comm_actor who = { "web_form", j->in->ip, j->in->user_agent };
	json_t *cand = profile_of(j->in);
	char nonce[COMM_NONCE_LEN + 1];
	uint64_t id;
	int rc;

	if (cand == NULL)
		return HE_NOMEM;
	comm_nonce(nonce);
	json_object_set_new(cand, "email", json_string(j->in->email));
	json_object_set_new(cand, "email_key", json_string(email_key));
	json_object_set_new(cand, "joined", json_integer(clock_now_us()));
	json_object_set_new(cand, "source", json_string(j->in->source[0] ?
	    j->in->source : "talent community"));
	json_object_set_new(cand, "consent", json_string("pending"));
	json_object_set_new(cand, "status", json_string("engaged"));
	json_object_set_new(cand, "last_engaged", json_integer(clock_now()));
	if (engage_add(cand, ENGAGE_SIGNUP, clock_now()) != HE_OK) {
		json_decref(cand);
		return HE_NOMEM;
	}
	json_object_set_new(cand, "basis", json_pack("{s:s}", "kind", "consent"));
	json_object_set_new(cand, "nonce", json_string(nonce));
	json_object_set_new(cand, "prefs", json_pack("{s:s, s:b}", "frequency",
	    "roles", "tracking", j->in->tracking));
	/* The event first: the record is written once, naming its chain's head. */
	rc = store_next_id(c->st, SEQ_CANDIDATE, &id);
	if (rc == HE_OK)
		rc = comm_ledger_append(c, txn, id, cand, "granted", &who);
	if (rc == HE_OK)
		rc = cand_write(c->st, txn, id, NULL, cand);
	if (rc == HE_OK)
		rc = comm_mail_queue(c, txn, MAIL_CONFIRM, id, cand, nonce);
	json_decref(cand);
	return rc;
}

/* A known address: the details wait for its owner's confirmation. */
static int
join_known(struct join *j, DB_TXN *txn, uint64_t id)
{
	json_t *cand, *pending, *old;
	char nonce[COMM_NONCE_LEN + 1];
	const char *file;
	int rc;

	if ((rc = store_cand_get(j->c->st, txn, id, 1, &cand)) != HE_OK)
		return rc;
	if ((pending = profile_of(j->in)) == NULL) {
		json_decref(cand);
		return HE_NOMEM;
	}
	comm_nonce(nonce);
	json_object_set_new(pending, "nonce", json_string(nonce));
	json_object_set_new(pending, "at", json_integer(clock_now_us()));
	json_object_set_new(pending, "ip", json_string(j->in->ip ? j->in->ip : ""));
	json_object_set_new(pending, "user_agent",
	    json_string(j->in->user_agent ? j->in->user_agent : ""));
	old = json_object_get(json_object_get(cand, "pending"), "resume");
	file = json_string_value(json_object_get(old, "file"));
	snprintf(j->replaced, sizeof j->replaced, "%s", file ? file : "");
	json_object_set_new(cand, "pending", pending);
	rc = store_cand_put(j->c->st, txn, id, cand);
	if (rc == HE_OK)
		rc = comm_mail_queue(j->c, txn, MAIL_CONFIRM, id, cand, nonce);
	json_decref(cand);
	return rc;
}

static int
join_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct join *j = arg;
	char email_key[TOK_MACSTRLEN];
	uint64_t id;
	int rc;

	j->replaced[0] = '\0';
	comm_email_key(j->c, j->in->email, email_key);
	rc = store_cand_by_email(st, txn, email_key, &id);
	if (rc == HE_NOTFOUND)
		return join_new(j, txn, email_key);
	return rc == HE_OK ? join_known(j, txn, id) : rc;
}

int
comm_join(const struct comm *c, const struct comm_signup *in)
{
	struct join j = { c, in, "" };
	int rc = store_txn(c->st, join_txn, &j);

	if (rc != HE_OK && in->resume)
		comm_resume_remove(c, in->resume->file);
	else if (rc == HE_OK)
		comm_resume_remove(c, j.replaced);
	return rc;
}

struct confirm {
	const struct comm *c;
	uint64_t cand;
	const char *nonce;
	const struct comm_actor *who;
	char replaced[64];
};

/* What the person confirmed, and the event it makes. NULL: nothing new. */
static const char *
apply_confirmation(json_t *cand, const char *nonce, char *replaced,
    size_t rsize)
{
	json_t *pending = json_object_get(cand, "pending");
	const char *consent = json_string_value(json_object_get(cand, "consent"));
	int ever = json_object_get(cand, "confirmed_at") != NULL;
	const char *type;

	if (pending && strcmp(json_string_value(json_object_get(pending,
	    "nonce")) ?: "", nonce) == 0) {
		json_t *old = json_object_get(cand, "resume");
		const char *file = json_string_value(json_object_get(old, "file"));

		if (json_object_get(pending, "resume") && file)
			snprintf(replaced, rsize, "%s", file);
		for (size_t i = 0; profile_fields[i]; i++) {
			json_t *v = json_object_get(pending, profile_fields[i]);

			if (v)
				json_object_set(cand, profile_fields[i], v);
		}
		if (consent && strcmp(consent, "confirmed") == 0)
			type = "updated";
		else
			type = ever ? "renewed" : "confirmed";
		json_object_del(cand, "pending");
	} else if (strcmp(json_string_value(json_object_get(cand, "nonce")) ?: "",
	    nonce) == 0 && consent && strcmp(consent, "pending") == 0) {
		type = "confirmed";
	} else {
		return NULL;
	}
	json_object_set_new(cand, "consent", json_string("confirmed"));
	json_object_set_new(cand, "confirmed_at", json_integer(clock_now_us()));
	return type;
}

static int
confirm_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct confirm *f = arg;
	const char *type, *old_nonce, *email_key;
	json_t *cand;
	int rc;

	f->replaced[0] = '\0';
	if ((rc = store_cand_get(st, txn, f->cand, 1, &cand)) != HE_OK)
		return rc;
	type = apply_confirmation(cand, f->nonce, f->replaced, sizeof f->replaced);
	if (type == NULL) {
		/* The same link twice is fine; a link a newer one replaced is not. */
		old_nonce = json_string_value(json_object_get(cand, "nonce"));
		rc = old_nonce && strcmp(old_nonce, f->nonce) == 0 ? HE_OK :
		    HE_NOTFOUND;
		json_decref(cand);
		return rc;
	}
	rc = comm_ledger_append(f->c, txn, f->cand, cand, type, f->who);
	/* A person erased once and back by their own choice is no longer
	 * suppressed. */
	email_key = json_string_value(json_object_get(cand, "email_key"));
	if (rc == HE_OK && email_key) {
		rc = store_suppress_del(st, txn, email_key);
		if (rc == HE_NOTFOUND)
			rc = HE_OK;
	}
	json_object_set_new(cand, "last_engaged", json_integer(clock_now()));
	if (rc == HE_OK)
		rc = engage_add(cand, ENGAGE_CONFIRM, clock_now());
	if (rc == HE_OK)
		rc = cand_save(st, txn, f->cand, cand);
	json_decref(cand);
	return rc;
}

int
comm_confirm(const struct comm *c, uint64_t cand, const char *nonce,
    const struct comm_actor *who)
{
	struct confirm f = { c, cand, nonce, who, "" };
	int rc;

	if (nonce == NULL || nonce[0] == '\0')
		return HE_NOTFOUND;
	rc = store_txn(c->st, confirm_txn, &f);
	if (rc == HE_OK)
		comm_resume_remove(c, f.replaced);
	return rc;
}

struct expire {
	const struct comm *c;
	int64_t before;
};

static int
expire_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct expire *e = arg;
	const struct comm_actor who = { "system", "", "" };
	json_t *cand;
	uint64_t id;
	int rc;

	if ((rc = store_cand_oldest_pending(st, txn, e->before, &id)) != HE_OK ||
	    (rc = store_cand_get(st, txn, id, 1, &cand)) != HE_OK)
		return rc;
	json_object_set_new(cand, "consent", json_string("expired"));
	rc = comm_ledger_append(e->c, txn, id, cand, "expired", &who);
	if (rc == HE_OK)
		rc = cand_save(st, txn, id, cand);
	json_decref(cand);
	return rc;
}

int
comm_expire_pending(const struct comm *c, int64_t now_us, size_t max,
    size_t *n)
{
	struct expire e = { c, now_us - (int64_t)COMM_CONFIRM_DAYS * 86400 * 1000000 };
	int rc = HE_OK;

	for (*n = 0; *n < max && (rc = store_txn(c->st, expire_txn, &e)) == HE_OK;)
		(*n)++;
	return rc == HE_NOTFOUND ? HE_OK : rc;
}
