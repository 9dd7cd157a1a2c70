/* rights.c: a person's data on request: by mail, as an export, or erased */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/clock.h"
#include "crm/candidates.h"
#include "crm/community_int.h"
#include "crm/merge.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

struct request {
	const struct comm *c;
	uint64_t cand;
	const char *email;
	const char *kind;
};

static int
request_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct request *r = arg;
	json_t *cand;
	int rc;

	if (r->email) {
		char email_key[TOK_MACSTRLEN];

		comm_email_key(r->c, r->email, email_key);
		if ((rc = store_cand_by_email(st, txn, email_key, &r->cand)) != HE_OK)
			return rc;
	}
	if ((rc = store_cand_get(st, txn, r->cand, 0, &cand)) != HE_OK)
		return rc;
	rc = comm_mail_queue(r->c, txn, r->kind, r->cand, cand, NULL);
	json_decref(cand);
	return rc;
}

static int
valid_kind(const char *kind)
{
	return strcmp(kind, "export") == 0 || strcmp(kind, "erase") == 0;
}

int
comm_request(const struct comm *c, uint64_t cand, const char *kind)
{
	struct request r = { c, cand, NULL, kind };

	return valid_kind(kind) ? store_txn(c->st, request_txn, &r) : HE_INVALID;
}

int
comm_request_for_email(const struct comm *c, const char *email,
    const char *kind)
{
	struct request r = { c, 0, email, kind };
	int rc;

	if (!valid_kind(kind))
		return HE_INVALID;
	rc = store_txn(c->st, request_txn, &r);
	/* An unknown address gets the same answer: no one learns who is here. */
	return rc == HE_NOTFOUND ? HE_OK : rc;
}

/* What an export leaves out: our keys and nonces, not the person's data. */
static const char *const internal_fields[] = {
	"email_key", "nonce", "consent_head", NULL,
};

static int
add_event(json_t *event, void *ctx)
{
	json_object_del(event, "prev");
	return json_array_append(ctx, event) == 0 ? HE_OK : HE_NOMEM;
}

static int
add_mail(uint64_t id, json_t *mail, void *ctx)
{
	json_t *m = json_pack("{s:I, s:O?, s:O?, s:O?, s:O?, s:O?}",
	    "id", (json_int_t)id,
	    "kind", json_object_get(mail, "kind"),
	    "to", json_object_get(mail, "to"),
	    "state", json_object_get(mail, "state"),
	    "created", json_object_get(mail, "created"),
	    "sent", json_object_get(mail, "sent"));

	return m && json_array_append_new(ctx, m) == 0 ? HE_OK : HE_NOMEM;
}

struct export {
	uint64_t cand;
	json_t *doc;
};

static int
export_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct export *e = arg;
	json_t *cand, *ledger = json_array(), *mails = json_array();
	int rc;

	json_decref(e->doc);
	e->doc = NULL;
	if (ledger == NULL || mails == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_cand_get(st, txn, e->cand, 0, &cand)) != HE_OK)
		goto out;
	for (size_t i = 0; internal_fields[i]; i++)
		json_object_del(cand, internal_fields[i]);
	json_object_del(json_object_get(cand, "pending"), "nonce");
	rc = store_consent_each(st, txn, e->cand, add_event, ledger);
	if (rc == HE_OK)
		rc = store_mail_each_of(st, txn, e->cand, add_mail, mails);
	if (rc == HE_OK)
		e->doc = json_pack("{s:I, s:o, s:O, s:[], s:O}",
		    "exported_at", (json_int_t)clock_now(),
		    "profile", cand,
		    "consent_ledger", ledger,
		    "touchpoints",
		    "mails", mails);
	else
		json_decref(cand);
	if (rc == HE_OK && e->doc == NULL)
		rc = HE_NOMEM;
out:
	json_decref(ledger);
	json_decref(mails);
	return rc;
}

int
comm_export(const struct comm *c, uint64_t cand, char **out, size_t *len)
{
	struct export e = { cand, NULL };
	int rc = store_txn(c->st, export_txn, &e);

	if (rc != HE_OK)
		return rc;
	*out = json_dumps(e.doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(e.doc);
	if (*out == NULL)
		return HE_NOMEM;
	*len = strlen(*out);
	return HE_OK;
}

struct erase {
	const struct comm *c;
	uint64_t cand;
	uint64_t *mails;	/* ids, for their .eml files after the commit */
	size_t nmails, cap;
	char resume[64], pending_resume[64];
};

static int
collect_mail(uint64_t id, json_t *mail, void *ctx)
{
	struct erase *e = ctx;

	(void)mail;
	if (e->nmails == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		uint64_t *m = realloc(e->mails, cap * sizeof *m);

		if (m == NULL)
			return HE_NOMEM;
		e->mails = m;
		e->cap = cap;
	}
	e->mails[e->nmails++] = id;
	return HE_OK;
}

static void
file_of(json_t *resume, char out[64])
{
	const char *f = json_string_value(json_object_get(resume, "file"));

	snprintf(out, 64, "%s", f ? f : "");
}

static int
erase_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct erase *e = arg;
	char email_key[TOK_MACSTRLEN];
	json_t *cand;
	int rc;

	e->nmails = 0;
	if ((rc = store_cand_get(st, txn, e->cand, 1, &cand)) != HE_OK)
		return rc;
	snprintf(email_key, sizeof email_key, "%s",
	    json_string_value(json_object_get(cand, "email_key")) ?: "");
	file_of(json_object_get(cand, "resume"), e->resume);
	file_of(json_object_get(json_object_get(cand, "pending"), "resume"),
	    e->pending_resume);
	rc = store_mail_each_of(st, txn, e->cand, collect_mail, e);
	for (size_t i = 0; rc == HE_OK && i < e->nmails; i++)
		rc = store_mail_del(st, txn, e->mails[i]);
	if (rc == HE_OK)
		rc = store_consent_del_all(st, txn, e->cand);
	/* Undo data of merges and likely-duplicate pairs that name them. */
	if (rc == HE_OK)
		rc = merge_forget(st, txn, e->cand);
	if (rc == HE_OK)
		rc = cand_remove(st, txn, e->cand, cand, 1);
	json_decref(cand);
	if (rc == HE_OK && email_key[0])
		rc = store_suppress_put(st, txn, email_key, clock_now());
	if (rc == HE_OK)
		rc = store_setting_add(st, txn, COMM_SETTING_ERASED, 1);
	if (rc == HE_OK)
		rc = store_setting_add(st, txn, COMM_SETTING_SCRUB, 1);
	return rc;
}

int
comm_erase(const struct comm *c, uint64_t cand)
{
	struct erase e = { c, cand, NULL, 0, 0, "", "" };
	int rc;

	rc = store_txn(c->st, erase_txn, &e);
	if (rc == HE_OK) {
		comm_resume_remove(c, e.resume);
		comm_resume_remove(c, e.pending_resume);
		for (size_t i = 0; i < e.nmails; i++) {
			char path[4096];

			snprintf(path, sizeof path, "%s/%llu.eml", c->outbox_dir,
			    (unsigned long long)e.mails[i]);
			if (unlink(path) != 0 && errno != ENOENT)
				log_warn("community: cannot remove %s: %s", path,
				    strerror(errno));
		}
	}
	free(e.mails);
	return rc;
}
