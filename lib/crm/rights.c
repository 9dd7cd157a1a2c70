/* rights.c: a person's data on request: by mail, as an export, or erased */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/audit.h"
#include "crm/campaign.h"
#include "crm/pipeline.h"
#include "crm/cap.h"
#include "crm/clock.h"
#include "crm/candidates.h"
#include "crm/community_int.h"
#include "crm/merge.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
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
	const char *kind = json_string_value(json_object_get(mail, "kind"));
	json_t *m;
	/* What campaign mail tracking and sending recorded about them. */
	static const char *const tracked[] = { "camp", "why", "deferred_until",
	    "clicked", "opened", NULL };

	/* A recruiter's test send went to them, not to this person (those
	 * queued before "data_cand" are still indexed under the person). */
	if (kind && strcmp(kind, "campaign_test") == 0)
		return HE_OK;
	m = json_pack("{s:I, s:O?, s:O?, s:O?, s:O?, s:O?}",
	    "id", (json_int_t)id,
	    "kind", json_object_get(mail, "kind"),
	    "to", json_object_get(mail, "to"),
	    "state", json_object_get(mail, "state"),
	    "created", json_object_get(mail, "created"),
	    "sent", json_object_get(mail, "sent"));
	for (size_t i = 0; m && tracked[i]; i++)
		if (json_object_get(mail, tracked[i]))
			json_object_set(m, tracked[i], json_object_get(mail,
			    tracked[i]));

	return m && json_array_append_new(ctx, m) == 0 ? HE_OK : HE_NOMEM;
}

static int
add_touch(uint64_t id, json_t *touch, void *ctx)
{
	json_object_set_new(touch, "id", json_integer((json_int_t)id));
	return json_array_append(ctx, touch) == 0 ? HE_OK : HE_NOMEM;
}

/* When a touchpoint happened, in µs ("at_us" when it has one). */
static json_int_t
touch_time(json_t *t)
{
	json_t *us = json_object_get(t, "at_us");

	return json_is_integer(us) ? json_integer_value(us) :
	    json_integer_value(json_object_get(t, "at")) * 1000000;
}

static int
touch_older_first(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t tx = touch_time(x), ty = touch_time(y);

	if (tx != ty)
		return tx < ty ? -1 : 1;
	tx = json_integer_value(json_object_get(x, "id"));
	ty = json_integer_value(json_object_get(y, "id"));
	return tx < ty ? -1 : tx > ty;
}

/* Oldest first by time: ids are not in time order across processes. */
static int
sort_touches(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = calloc(n ? n : 1, sizeof *v);

	if (v == NULL)
		return HE_NOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, touch_older_first);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
	return json_array_size(arr) == n ? HE_OK : HE_NOMEM;
}

/* Who read or changed the person's data, and when (oldest first). */
static int
add_entry(json_t *entry, void *ctx)
{
	return json_array_append(ctx, entry) == 0 ? HE_OK : HE_NOMEM;
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
	json_t *touches = json_array(), *audit = json_array();
	int rc;

	json_decref(e->doc);
	e->doc = NULL;
	if (ledger == NULL || mails == NULL || touches == NULL || audit == NULL) {
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
		rc = store_touch_newest(st, txn, e->cand, 0, 0, add_touch, touches);
	if (rc == HE_OK)
		rc = sort_touches(touches);
	if (rc == HE_OK)
		rc = audit_each_of(st, txn, e->cand, add_entry, audit);
	if (rc == HE_OK)
		e->doc = json_pack("{s:I, s:o, s:O, s:O, s:O, s:O}",
		    "exported_at", (json_int_t)clock_now(),
		    "profile", cand,
		    "consent_ledger", ledger,
		    "touchpoints", touches,
		    "mails", mails,
		    "audit", audit);
	else
		json_decref(cand);
	if (rc == HE_OK && e->doc == NULL)
		rc = HE_NOMEM;
out:
	json_decref(ledger);
	json_decref(mails);
	json_decref(touches);
	json_decref(audit);
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

static int
collect_mail(uint64_t id, json_t *mail, void *ctx)
{
	struct comm_purge *e = ctx;

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

int
comm_purge(struct store *st, DB_TXN *txn, struct comm_purge *e)
{
	json_t *cand;
	int rc;

	e->nmails = 0;
	if ((rc = store_cand_get(st, txn, e->cand, 1, &cand)) != HE_OK)
		return rc;
	snprintf(e->email_key, sizeof e->email_key, "%s",
	    json_string_value(json_object_get(cand, "email_key")) ?: "");
	file_of(json_object_get(cand, "resume"), e->resume);
	file_of(json_object_get(json_object_get(cand, "pending"), "resume"),
	    e->pending_resume);
	rc = store_mail_each_of(st, txn, e->cand, collect_mail, e);
	for (size_t i = 0; rc == HE_OK && i < e->nmails; i++)
		rc = store_mail_del(st, txn, e->mails[i]);
	/* When they last got marketing mail (the frequency cap). */
	if (rc == HE_OK)
		rc = cap_purge(st, txn, e->cand);
	if (rc == HE_OK)
		rc = store_consent_del_all(st, txn, e->cand);
	/* Undo data of merges and likely-duplicate pairs that name them. */
	if (rc == HE_OK)
		rc = merge_forget(st, txn, e->cand);
	if (rc == HE_OK)
		rc = store_touch_del_all(st, txn, e->cand, NULL);
	if (rc == HE_OK)
		rc = campaign_cand_purge(st, txn, e->cand);
	/* Their places in roles' pipelines, silver lists and match alerts. */
	if (rc == HE_OK)
		rc = pipe_cand_purge(st, txn, e->cand);
	if (rc == HE_OK)
		rc = cand_remove(st, txn, e->cand, cand, 1);
	json_decref(cand);
	if (rc == HE_OK)
		rc = store_setting_add(st, txn, COMM_SETTING_SCRUB, 1);
	return rc;
}

static void
remove_file(const char *dir, const char *name)
{
	char path[4096];

	if (name == NULL || name[0] == '\0' || strchr(name, '/'))
		return;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("cannot remove %s: %s", path, strerror(errno));
}

int
comm_purge_note(const struct comm_purge *p, json_t *files)
{
	json_t *mails = json_object_get(files, "mails");
	json_t *resumes = json_object_get(files, "resumes");

	if (!json_is_array(mails) && (json_object_set_new(files, "mails",
	    mails = json_array()) != 0 || mails == NULL))
		return HE_NOMEM;
	if (!json_is_array(resumes) && (json_object_set_new(files, "resumes",
	    resumes = json_array()) != 0 || resumes == NULL))
		return HE_NOMEM;
	for (size_t i = 0; i < p->nmails; i++)
		if (json_array_append_new(mails, json_integer((json_int_t)p->mails[i])))
			return HE_NOMEM;
	if ((p->resume[0] && json_array_append_new(resumes,
	    json_string(p->resume))) || (p->pending_resume[0] &&
	    json_array_append_new(resumes, json_string(p->pending_resume))))
		return HE_NOMEM;
	return HE_OK;
}

void
comm_purge_unlink(const char *resume_dir, const char *outbox_dir, json_t *files)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(files, "resumes"), i, v)
		remove_file(resume_dir, json_string_value(v));
	json_array_foreach(json_object_get(files, "mails"), i, v) {
		char name[32];

		snprintf(name, sizeof name, "%lld.eml", (long long)json_integer_value(v));
		remove_file(outbox_dir, name);
	}
}

void
comm_purge_free(struct comm_purge *p)
{
	free(p->mails);
	p->mails = NULL;
	p->nmails = p->cap = 0;
}

static int
erase_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct comm_purge *e = arg;
	int rc = comm_purge(st, txn, e);

	if (rc == HE_OK && e->email_key[0])
		rc = store_suppress_put(st, txn, e->email_key, clock_now());
	if (rc == HE_OK)
		rc = store_setting_add(st, txn, COMM_SETTING_ERASED, 1);
	return rc;
}

int
comm_erase(const struct comm *c, uint64_t cand)
{
	struct comm_purge e = { .cand = cand };
	json_t *files;
	int rc;

	rc = store_txn(c->st, erase_txn, &e);
	if (rc == HE_OK) {
		/* Out of memory here would leave files behind: it is said. */
		if ((files = json_object()) == NULL ||
		    comm_purge_note(&e, files) != HE_OK)
			log_error("erasure of %llu: no memory to remove its files",
			    (unsigned long long)cand);
		comm_purge_unlink(c->resume_dir, c->outbox_dir, files);
		json_decref(files);
	}
	comm_purge_free(&e);
	return rc;
}
