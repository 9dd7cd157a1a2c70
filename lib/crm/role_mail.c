/* role_mail.c: a personal mail about a role to one person, through the mail queue */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm/audit.h"
#include "crm/campaign_int.h"
#include "crm/cap.h"
#include "crm/clock.h"
#include "crm/match.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "crm/role_int.h"
#include "crm/role_mail.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/role.h"
#include "store/store.h"
#include "util/he.h"
#include "util/merge.h"
#include "util/text.h"

static int
template_ok(json_t *errors, const char *field, const char *src, size_t maxchars)
{
	char err[200] = "", msg[260];
	struct merge_tmpl *t = NULL;
	size_t len;

	if (src == NULL || src[strspn(src, " \t\r\n")] == '\0') {
		json_object_set_new(errors, field, json_string(strcmp(field,
		    "subject") == 0 ? "Write a subject." : "Write the message."));
		return 0;
	}
	len = strlen(src);
	if (!text_utf8_valid(src, len)) {
		json_object_set_new(errors, field, json_string(
		    "This text is not valid UTF-8."));
		return 0;
	}
	if (len > MERGE_SRC_MAX || (maxchars && text_chars(src) > maxchars)) {
		snprintf(msg, sizeof msg, "This is too long: at most %zu characters.",
		    maxchars ? maxchars : (size_t)MERGE_SRC_MAX);
		json_object_set_new(errors, field, json_string(msg));
		return 0;
	}
	if (maxchars && strpbrk(src, "\r\n")) {
		json_object_set_new(errors, field, json_string("A subject is one line."));
		return 0;
	}
	if (merge_parse(src, len, &t, err, sizeof err) != HE_OK) {
		snprintf(msg, sizeof msg, "%s", err[0] ? err :
		    "This template cannot be read.");
		json_object_set_new(errors, field, json_string(msg));
		return 0;
	}
	merge_free(t);
	return 1;
}

int
role_mail_check(const char *subject, const char *body, json_t **errors)
{
	json_t *e = json_object();

	*errors = NULL;
	if (e == NULL)
		return HE_NOMEM;
	template_ok(e, "subject", subject, ROLE_MAIL_SUBJECT_MAX);
	template_ok(e, "body", body, 0);
	if (json_object_size(e) == 0) {
		json_decref(e);
		return HE_OK;
	}
	*errors = e;
	return HE_INVALID;
}

const char *
role_mail_refusal(struct store *st, DB_TXN *txn, const json_t *rec)
{
	const char *consent = json_string_value(json_object_get(rec, "consent"));
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *why = camp_contact_why(st, txn, rec, clock_now());

	/* Do not contact first: whatever their consent says, they asked. */
	if (status && strcmp(status, "do_not_contact") == 0)
		return "They asked not to be contacted: no mail goes to them.";
	if (why == NULL)
		return status && strcmp(status, "hired") == 0 ?
		    "They are hired: they are not approached about roles." : NULL;
	if (strcmp(why, "no_consent") == 0)
		return consent && strcmp(consent, "withdrawn") == 0 ?
		    "They unsubscribed: no mail goes to them." :
		    "They need a lawful basis before contact: they have not "
		    "confirmed that we may write to them.";
	if (strcmp(why, "no_email") == 0)
		return "We have no email address for them.";
	if (strcmp(why, "paused") == 0)
		return "They paused our mail for now: write once the pause is over.";
	if (strcmp(why, "email_invalid") == 0)
		return "Mail to their address bounced: find a working address first.";
	if (strcmp(why, "suppressed") == 0)
		return "This address belongs to a person whose data was erased at "
		    "their request: no mail goes to it.";
	return "They may not be contacted now.";
}

struct queue {
	const struct audit_actor *who;
	uint64_t role, cand, mail;
	const char *subject, *body;
	char *why;
	size_t whylen;
};

/* Shortlists q's person (rec) for q's role (role) with the reasons of
 * their score as the ranking makes them now. */
static int
shortlist_now(struct store *st, DB_TXN *txn, const struct queue *q,
    json_t *role, json_t *rec)
{
	struct match_role r;
	struct match_cand c;
	struct match_score s;
	json_t *explain = NULL;
	int rc;

	if (match_role_compile(q->role, role, &r) == HE_OK) {
		match_cand_from_json(q->cand, rec, &c);
		match_score(&r, &c, match_today(), &s);
		if ((explain = match_explain(&r, &c, &s)) == NULL)
			return HE_NOMEM;
	}
	rc = pipe_shortlist_in(st, txn, q->who, q->role, q->cand, explain);
	json_decref(explain);
	return rc;
}

static int
queue_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct queue *q = arg;
	struct tl_actor ta;
	char name[256], cname[256];
	int64_t now_us = clock_now_us(), now = now_us / 1000000, free_at = 0;
	json_t *role = NULL, *rec = NULL, *mail = NULL, *entry = NULL, *detail = NULL;
	const char *refusal;
	int rc, status, mails, days;

	q->why[0] = '\0';
	if ((rc = store_role_get(st, txn, q->role, 0, &role)) != HE_OK)
		return rc;
	if ((rc = store_cand_get(st, txn, q->cand, 1, &rec)) != HE_OK)
		goto out;
	status = role_status_in(role);
	if (status == ROLE_FILLED || status == ROLE_CLOSED) {
		snprintf(q->why, q->whylen, "This role is %s: reopen it to write "
		    "about it.", status == ROLE_FILLED ? "filled" : "closed");
		rc = HE_DENIED;
		goto out;
	}
	if ((refusal = role_mail_refusal(st, txn, rec)) != NULL) {
		snprintf(q->why, q->whylen, "%s", refusal);
		rc = HE_DENIED;
		goto out;
	}
	role_actor(st, txn, q->who, &ta, name, sizeof name);
	mail = json_pack("{s:s, s:I, s:I, s:O, s:s, s:s, s:s, s:O?, s:I, s:s,"
	    " s:I, s:I, s:i}", "kind", "role",
	    "cand", (json_int_t)q->cand, "role", (json_int_t)q->role,
	    "to", json_object_get(rec, "email"),
	    "to_name", role_cand_name(rec, cname, sizeof cname),
	    "subject", q->subject, "body", q->body,
	    "role_title", json_object_get(role, "title"),
	    "user", (json_int_t)ta.user, "state", "queued",
	    "created", (json_int_t)now_us, "due", (json_int_t)now, "attempts", 0);
	if (mail == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_mail_insert(st, txn, mail, &q->mail)) != HE_OK)
		goto out;
	/* Said now rather than found out later: the cap holds it back. */
	role_cap(&mails, &days);
	rc = cap_check(st, txn, q->cand, now, mails, days, &free_at);
	if (rc == HE_BUSY) {
		char when[64];
		time_t t = (time_t)free_at;
		struct tm tm;

		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
		snprintf(q->why, q->whylen, "They had %d mails in %d days: this one "
		    "waits until %s.", mails, days, when);
		rc = HE_OK;
	}
	if (rc != HE_OK)
		goto out;
	detail = json_pack("{s:I, s:O?, s:I}", "role", (json_int_t)q->role,
	    "title", json_object_get(role, "title"), "mail", (json_int_t)q->mail);
	if (detail == NULL || (rc = tl_record(st, txn, q->cand, "role_mail", &ta,
	    NULL, detail)) != HE_OK)
		goto out;
	/* Written to: shortlisted becomes contacted; someone not in the
	 * pipeline is shortlisted first, with the reasons of their score now
	 * kept as for any shortlisting, then contacted. */
	rc = store_pipe_get(st, txn, q->role, q->cand, 0, &entry);
	if (rc == HE_NOTFOUND)
		rc = shortlist_now(st, txn, q, role, rec);
	else if (rc == HE_OK && pipe_stage_of(json_string_value(
	    json_object_get(entry, "stage"))) != PIPE_SHORTLISTED)
		goto out;
	if (rc == HE_OK)
		rc = pipe_move_in(st, txn, q->who, q->role, q->cand, PIPE_CONTACTED);
out:
	json_decref(detail);
	json_decref(entry);
	json_decref(mail);
	json_decref(rec);
	json_decref(role);
	return rc;
}

int
role_mail_queue_id(struct store *st, const struct audit_actor *who,
    uint64_t role, uint64_t cand, const char *subject, const char *body,
    char *why, size_t whylen, uint64_t *mail)
{
	struct queue q = { who, role, cand, 0, subject, body, why, whylen };
	json_t *errors = NULL;
	int rc;

	if (why == NULL || whylen == 0)
		return HE_INVALID;
	why[0] = '\0';
	if ((rc = role_mail_check(subject, body, &errors)) != HE_OK) {
		json_t *m = json_object_get(errors, "subject");

		snprintf(why, whylen, "%s %s", m ? "Subject:" : "Message:",
		    json_string_value(m ? m : json_object_get(errors, "body")) ?: "");
		json_decref(errors);
		return rc;
	}
	rc = store_txn(st, queue_txn, &q);
	if (rc == HE_OK && mail)
		*mail = q.mail;
	return rc;
}

int
role_mail_queue(struct store *st, const struct audit_actor *who, uint64_t role,
    uint64_t cand, const char *subject, const char *body, char *why,
    size_t whylen)
{
	return role_mail_queue_id(st, who, role, cand, subject, body, why, whylen,
	    NULL);
}

int
role_mail_shape(const json_t *mail, const json_t *rec, json_t **camp,
    json_t **seen)
{
	const char *kind = json_string_value(json_object_get(mail, "kind"));

	*camp = *seen = NULL;
	if (kind == NULL || strcmp(kind, "role") != 0 ||
	    !json_is_string(json_object_get(mail, "subject")) ||
	    !json_is_string(json_object_get(mail, "body")))
		return HE_INVALID;
	*camp = json_pack("{s:I, s:[{s:s, s:[{s:O, s:O}]}]}",
	    "owner", json_integer_value(json_object_get(mail, "user")),
	    "steps", "type", "email", "variants",
	    "subject", json_object_get(mail, "subject"),
	    "body", json_object_get(mail, "body"));
	*seen = json_copy((json_t *)rec);
	if (*camp == NULL || *seen == NULL) {
		json_decref(*camp);
		json_decref(*seen);
		*camp = *seen = NULL;
		return HE_NOMEM;
	}
	/* The sender signs it: owner_name and owner_signature are theirs. */
	if (json_object_get(mail, "user"))
		json_object_set(*seen, "owner", json_object_get(mail, "user"));
	json_object_set_new(*seen, "role_title", json_string(json_string_value(
	    json_object_get(mail, "role_title")) ?: ""));
	return HE_OK;
}
