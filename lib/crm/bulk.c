/* bulk.c: starting bulk jobs, and the step of the "bulk" kind (tags, pools, status, owner, deletion) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/audit.h"
#include "crm/auth.h"
#include "crm/bulk_int.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/index.h"
#include "crm/job.h"
#include "crm/pool.h"
#include "crm/query.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/pool.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/text.h"

const char *const bulk_action_names[BULK__MAX + 1] = {
	[BULK_TAG_ADD] = "tag_add",
	[BULK_TAG_REMOVE] = "tag_remove",
	[BULK_POOL_ADD] = "pool_add",
	[BULK_POOL_REMOVE] = "pool_remove",
	[BULK_STATUS] = "status",
	[BULK_OWNER] = "owner",
	[BULK_EXPORT] = "export",
	[BULK_DELETE] = "delete",
	[BULK__MAX] = NULL,
};

enum bulk_action
bulk_action_of(const char *name)
{
	for (int a = 0; name && a < BULK__MAX; a++)
		if (strcmp(name, bulk_action_names[a]) == 0)
			return (enum bulk_action)a;
	return BULK__MAX;
}

/* ---- starting a job ---- */

/* The action's value into params, checked; the names people read of a
 * pool or an owner are kept for the job's summary. */
static int
add_value(struct store *st, const struct bulk_request *r, json_t *params)
{
	char tag[CAND_TAG_SIZE];
	struct auth_user_info u;
	json_t *pool;
	int rc, fit;

	switch (r->action) {
	case BULK_TAG_ADD:
	case BULK_TAG_REMOVE:
		if (r->tag == NULL || cand_tag_normalise(r->tag, tag) != HE_OK ||
		    strcmp(tag, r->tag) != 0)
			return HE_INVALID;
		return json_object_set_new(params, "tag", json_string(tag)) ?
		    HE_NOMEM : HE_OK;
	case BULK_POOL_ADD:
	case BULK_POOL_REMOVE:
		if ((rc = pool_get(st, r->pool, &pool, NULL)) != HE_OK)
			return rc;
		fit = strcmp(json_string_value(json_object_get(pool, "kind")) ?: "",
		    "static") == 0;
		rc = !fit ? HE_INVALID :
		    json_object_set_new(params, "pool", json_integer((json_int_t)r->pool)) ||
		    json_object_set(params, "pool_name", json_object_get(pool, "name")) ?
		    HE_NOMEM : HE_OK;
		json_decref(pool);
		return rc;
	case BULK_STATUS:
		if (!cand_status_known(r->status))
			return HE_INVALID;
		return json_object_set_new(params, "status", json_string(r->status)) ?
		    HE_NOMEM : HE_OK;
	case BULK_OWNER:
		if (r->owner == 0)
			return json_object_set_new(params, "owner", json_null()) ?
			    HE_NOMEM : HE_OK;
		if ((rc = auth_user_get(st, r->owner, &u)) == HE_NOTFOUND)
			return HE_INVALID;
		if (rc != HE_OK)
			return rc;
		if (u.disabled || (u.role != ROLE_ADMIN && u.role != ROLE_RECRUITER))
			return HE_INVALID;
		return json_object_set_new(params, "owner",
		    json_integer((json_int_t)r->owner)) ||
		    json_object_set_new(params, "owner_email", json_string(u.email)) ?
		    HE_NOMEM : HE_OK;
	case BULK_EXPORT:
	case BULK_DELETE:
		return HE_OK;
	default:
		return HE_INVALID;
	}
}

struct start {
	const char *kind;
	uint64_t user;
	json_t *params;
	uint64_t id;
};

static int
start_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct start *s = arg;

	return job_create(st, txn, s->kind, s->user, s->params, 0, &s->id);
}

int
bulk_start(struct store *st, const struct bulk_request *r, uint64_t *job)
{
	struct start s = { r->action == BULK_EXPORT ? "export" : "bulk", r->user,
	    NULL, 0 };
	json_t *who;
	int rc;

	if (r->action >= BULK__MAX || (r->ids == NULL && r->q == NULL) ||
	    (r->ids && (r->nids == 0 || r->nids > BULK_IDS_MAX)))
		return HE_INVALID;
	if ((s.params = json_pack("{s:s}", "action",
	    bulk_action_names[r->action])) == NULL)
		return HE_NOMEM;
	if (r->ip && r->ip[0])
		json_object_set_new(s.params, "ip", json_string(r->ip));
	if (r->ids) {
		who = json_array();
		for (size_t i = 0; who && i < r->nids; i++)
			if (r->ids[i] == 0 || r->ids[i] > UINT32_MAX ||
			    json_array_append_new(who, json_integer((json_int_t)r->ids[i]))) {
				json_decref(who);
				who = NULL;
			}
		rc = who == NULL ? HE_INVALID : HE_OK;
	} else {
		who = cand_query_to_json(r->q);
		rc = who == NULL ? HE_NOMEM : HE_OK;
	}
	if (rc == HE_OK && json_object_set_new(s.params, r->ids ? "ids" : "query",
	    who) != 0)
		rc = HE_NOMEM;
	if (rc == HE_OK)
		rc = add_value(st, r, s.params);
	if (rc == HE_OK && (rc = store_txn(st, start_txn, &s)) == HE_OK)
		*job = s.id;
	json_decref(s.params);
	return rc;
}

/* ---- the step ---- */

/* What one candidate came to. */
enum outcome { CHANGED, SAME, GONE, FULL, OUTCOME__MAX };
static const char *const outcome_fields[OUTCOME__MAX] = {
	[CHANGED] = "changed", [SAME] = "unchanged", [GONE] = "gone",
	[FULL] = "skipped",
};

struct act {
	struct job_run *run;
	DB_TXN *txn;
	enum bulk_action action;
	json_t *params;
	const char *tag;
	uint64_t pool;
	char by_name[256];	/* who, for the timeline */
	json_t *unlink;		/* deletions: files to remove after commit */
};

static int
index_of(json_t *arr, json_t *v)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		if (json_equal(e, v))
			return (int)i;
	return -1;
}

/* A touchpoint of a change on the candidate's timeline ({"from", "to"},
 * as the profile's own status and owner changes write them). */
static int
touch(struct act *a, uint64_t cand, const char *kind, json_t *from, json_t *to)
{
	struct tl_actor who = { (uint64_t)json_integer_value(json_object_get(
	    a->run->job, "user")), a->by_name, NULL };
	json_t *detail = json_pack("{s:O?, s:O?}", "from", from, "to", to);
	int rc;

	if (detail == NULL)
		return HE_NOMEM;
	if (strcmp(kind, "owner") == 0)
		json_object_set_new(detail, "to_name", json_string(json_string_value(
		    json_object_get(a->params, "owner_email")) ?: ""));
	rc = tl_record(a->run->st, a->txn, cand, kind, &who, NULL, detail);
	json_decref(detail);
	return rc;
}

/* Tags, status and owner: the record changed in place. */
static int
edit(struct act *a, uint64_t id, enum outcome *out)
{
	struct store *st = a->run->st;
	json_t *old, *rec, *arr, *want = NULL, *was;
	const char *field = NULL;
	int rc, at;

	if ((rc = store_cand_get(st, a->txn, id, 1, &old)) == HE_NOTFOUND) {
		*out = GONE;
		return HE_OK;
	}
	if (rc != HE_OK)
		return rc;
	if ((rec = json_deep_copy(old)) == NULL) {
		json_decref(old);
		return HE_NOMEM;
	}
	*out = SAME;
	switch (a->action) {
	case BULK_TAG_ADD:
	case BULK_TAG_REMOVE:
		if (!json_is_array(arr = json_object_get(rec, "tags")))
			json_object_set_new(rec, "tags", arr = json_array());
		want = json_string(a->tag);
		at = index_of(arr, want);
		if (a->action == BULK_TAG_REMOVE && at >= 0) {
			json_array_remove(arr, (size_t)at);
			*out = CHANGED;
		} else if (a->action == BULK_TAG_ADD && at < 0) {
			*out = json_array_size(arr) >= BULK_TAGS_MAX ? FULL : CHANGED;
			if (*out == CHANGED)
				json_array_append(arr, want);
		}
		break;
	case BULK_STATUS:
	case BULK_OWNER:
		field = a->action == BULK_STATUS ? "status" : "owner";
		want = json_incref(json_object_get(a->params, field));
		was = json_object_get(old, field);
		if (!json_equal(was ? was : json_null(), want)) {
			if (json_is_null(want))
				json_object_del(rec, field);
			else
				json_object_set(rec, field, want);
			*out = CHANGED;
		}
		break;
	default:
		rc = HE_INVALID;
	}
	/* Someone changed the record: it is no longer stale (as a profile
	 * edit makes it). */
	if (rc == HE_OK && *out == CHANGED) {
		json_object_del(rec, "stale");
		rc = cand_write(st, a->txn, id, old, rec);
	}
	if (rc == HE_OK && *out == CHANGED && field)
		rc = touch(a, id, field, json_object_get(old, field), want);
	json_decref(want);
	json_decref(rec);
	json_decref(old);
	return rc;
}

/* Static pools: membership through pool_member_set. */
static int
membership(struct act *a, uint64_t id, enum outcome *out)
{
	json_t *rec, *self = json_integer((json_int_t)a->pool);
	int rc, member, want = a->action == BULK_POOL_ADD;

	if ((rc = store_cand_get(a->run->st, a->txn, id, 1, &rec)) == HE_NOTFOUND) {
		*out = GONE;
		json_decref(self);
		return HE_OK;
	}
	if (rc != HE_OK) {
		json_decref(self);
		return rc;
	}
	member = index_of(json_object_get(rec, "pools"), self) >= 0;
	json_decref(self);
	json_decref(rec);
	*out = member == want ? SAME : CHANGED;
	return *out == SAME ? HE_OK :
	    pool_member_set(a->run->st, a->txn, a->pool, id, want);
}

/* Deletion: what erasure removes, but no suppression of the address. */
static int
remove_one(struct act *a, uint64_t id, enum outcome *out)
{
	struct comm_purge p = { .cand = id };
	struct audit_actor who = bulk_actor(a->run->job);
	json_t *detail;
	int rc = comm_purge(a->run->st, a->txn, &p);

	*out = rc == HE_NOTFOUND ? GONE : CHANGED;
	if (rc == HE_NOTFOUND)
		rc = HE_OK;
	else if (rc == HE_OK)
		rc = comm_purge_note(&p, a->unlink);
	comm_purge_free(&p);
	if (rc != HE_OK || *out == GONE)
		return rc;
	if ((detail = json_pack("{s:I, s:b}", "job", (json_int_t)a->run->id,
	    "bulk", 1)) == NULL)
		return HE_NOMEM;
	rc = audit_log(a->run->st, a->txn, &who, "delete", id, detail);
	json_decref(detail);
	return rc;
}

/* The files of the deletions that the last step committed. */
static void
unlink_done(struct job_run *run)
{
	json_t *resume = json_object_get(run->job, "resume");
	json_t *files = json_object_get(resume, "unlink");
	char *resumes, *outbox;

	if (files == NULL)
		return;
	resumes = conf_path(run->conf, "Community.ResumeDir", "var/resumes");
	outbox = conf_path(run->conf, "Mail.OutboxDir", "var/outbox");
	if (resumes && outbox)
		comm_purge_unlink(resumes, outbox, files);
	free(resumes);
	free(outbox);
	json_object_del(resume, "unlink");
}

/* "the tag “x”", "the pool “y”", "to hired", for summaries. */
static void
what(json_t *params, enum bulk_action action, char *buf, size_t size)
{
	const char *s;

	switch (action) {
	case BULK_TAG_ADD:
	case BULK_TAG_REMOVE:
		snprintf(buf, size, "the tag \u201c%s\u201d",
		    json_string_value(json_object_get(params, "tag")) ?: "");
		break;
	case BULK_POOL_ADD:
	case BULK_POOL_REMOVE:
		snprintf(buf, size, "the pool \u201c%s\u201d",
		    json_string_value(json_object_get(params, "pool_name")) ?: "");
		break;
	case BULK_STATUS:
		s = json_string_value(json_object_get(params, "status")) ?: "";
		snprintf(buf, size, "%s", s);
		for (char *p = buf; *p; p++)
			if (*p == '_')
				*p = ' ';
		break;
	case BULK_OWNER:
		s = json_string_value(json_object_get(params, "owner_email"));
		snprintf(buf, size, "%s", s ? s : "nobody");
		break;
	default:
		buf[0] = '\0';
	}
}

/* One line for people: what the job does (running) or did (done). */
static void
summary(json_t *job, enum bulk_action action, int done)
{
	json_t *params = json_object_get(job, "params");
	json_t *result = json_object_get(job, "result");
	char n[32], thing[300], line[600];
	uint64_t count = (uint64_t)json_integer_value(done ?
	    json_object_get(result, "changed") : json_object_get(job, "total"));
	const char *plural;

	text_thousands(n, sizeof n, count);
	plural = count == 1 ? "" : "s";
	what(params, action, thing, sizeof thing);
	switch (action) {
	case BULK_TAG_ADD:
		snprintf(line, sizeof line, done ? "Added %s to %s candidate%s." :
		    "Adding %s to %s candidate%s.", thing, n, plural);
		break;
	case BULK_TAG_REMOVE:
		snprintf(line, sizeof line, done ? "Removed %s from %s candidate%s." :
		    "Removing %s from %s candidate%s.", thing, n, plural);
		break;
	case BULK_POOL_ADD:
		snprintf(line, sizeof line, done ? "Added %s candidate%s to %s." :
		    "Adding %s candidate%s to %s.", n, plural, thing);
		break;
	case BULK_POOL_REMOVE:
		snprintf(line, sizeof line, done ? "Removed %s candidate%s from %s." :
		    "Removing %s candidate%s from %s.", n, plural, thing);
		break;
	case BULK_STATUS:
		snprintf(line, sizeof line, done ? "Set the status of %s candidate%s "
		    "to %s." : "Setting the status of %s candidate%s to %s.", n,
		    plural, thing);
		break;
	case BULK_OWNER:
		snprintf(line, sizeof line, done ? "Gave %s candidate%s to %s." :
		    "Giving %s candidate%s to %s.", n, plural, thing);
		break;
	case BULK_DELETE:
		snprintf(line, sizeof line, done ? "Deleted %s candidate%s." :
		    "Deleting %s candidate%s.", n, plural);
		break;
	default:
		line[0] = '\0';
	}
	if (done) {
		static const struct {
			const char *field, *words;
		} rest[] = {
			{ "unchanged", "already so" },
			{ "skipped", "left out: they have 50 tags already" },
			{ "gone", "deleted since the job started" },
		};

		for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) {
			json_int_t k = json_integer_value(json_object_get(result,
			    rest[i].field));
			size_t len = strlen(line);

			if (k <= 0)
				continue;
			text_thousands(n, sizeof n, (uint64_t)k);
			snprintf(line + len, sizeof line - len, " %s %s.", n, rest[i].words);
		}
	}
	json_object_set_new(result, "summary", json_string(line));
}

static const char *const detail_keys[][2] = {
	{ "tag", "tag" }, { "pool", "pool" }, { "status", "status" },
	{ "owner", "owner" }, { "query", "filter" },
};

/* The first step: the candidates fixed, the audit entry written. */
static int
begin(struct act *a)
{
	struct job_run *run = a->run;
	struct audit_actor who = bulk_actor(run->job);
	json_t *detail;
	uint64_t count;
	int rc;

	if ((rc = bulk_ids_start(run, a->txn, &count)) != HE_OK ||
	    !job_is_open(run->job))
		return rc;
	detail = json_pack("{s:I, s:s, s:I}", "job", (json_int_t)run->id,
	    "action", bulk_action_names[a->action], "count", (json_int_t)count);
	if (detail == NULL)
		return HE_NOMEM;
	/* The value, and the filter that chose them (what was ticked is the
	 * count alone). */
	for (size_t i = 0; i < sizeof detail_keys / sizeof *detail_keys; i++) {
		json_t *v = json_object_get(a->params, detail_keys[i][0]);

		if (v)
			json_object_set(detail, detail_keys[i][1], v);
	}
	rc = audit_log(run->st, a->txn, &who, "bulk", 0, detail);
	json_decref(detail);
	summary(run->job, a->action, 0);
	return rc;
}

/* Whether the pool is still a static pool that people can join. */
static int
pool_usable(struct act *a)
{
	json_t *pool;
	int rc = store_pool_get(a->run->st, a->txn, a->pool, 0, &pool), ok;

	if (rc != HE_OK)
		return rc == HE_NOTFOUND ? 0 : -1;
	ok = strcmp(json_string_value(json_object_get(pool, "kind")) ?: "",
	    "static") == 0 && strcmp(json_string_value(json_object_get(pool,
	    "state")) ?: "", "deleting") != 0;
	json_decref(pool);
	return ok;
}

int
bulk_step(struct job_run *run, DB_TXN *txn)
{
	struct act a = { .run = run, .txn = txn };
	json_t *resume = json_object_get(run->job, "resume");
	size_t max = bulk_batch(run->conf), n, i;
	uint32_t *ids;
	int64_t counts[OUTCOME__MAX] = { 0 };
	int rc = HE_OK;

	a.params = json_object_get(run->job, "params");
	a.action = bulk_action_of(json_string_value(json_object_get(a.params,
	    "action")));
	a.tag = json_string_value(json_object_get(a.params, "tag"));
	a.pool = (uint64_t)json_integer_value(json_object_get(a.params, "pool"));
	if (a.action >= BULK__MAX || a.action == BULK_EXPORT) {
		job_finish(run->job, JOB_FAILED, "This action is unknown to this "
		    "version of Hearth: nothing was done.");
		return HE_OK;
	}
	if (!bulk_ids_started(run->job))
		return begin(&a);
	unlink_done(run);
	if (a.action == BULK_POOL_ADD || a.action == BULK_POOL_REMOVE) {
		int usable = pool_usable(&a);

		if (usable < 0)
			return HE_IO;
		if (!usable) {
			job_finish(run->job, JOB_FAILED, "The pool was deleted while the "
			    "job ran. The candidates done before are counted above.");
			return HE_OK;
		}
	}
	if ((ids = malloc(max * sizeof *ids)) == NULL)
		return HE_NOMEM;
	if ((rc = bulk_ids_next(run, ids, max, &n)) != HE_OK || n == 0) {
		free(ids);
		if (rc == HE_OK) {
			summary(run->job, a.action, 1);
			job_finish(run->job, JOB_DONE, NULL);
		}
		return rc;
	}
	if (a.action == BULK_DELETE && (json_object_set_new(resume, "unlink",
	    a.unlink = json_object()) || a.unlink == NULL)) {
		free(ids);
		return HE_NOMEM;
	}
	store_user_email(run->st, txn, (uint64_t)json_integer_value(
	    json_object_get(run->job, "user")), a.by_name, sizeof a.by_name);
	for (i = 0; rc == HE_OK && i < n; i++) {
		enum outcome out;

		if (i > 0 && clock_now_us() >= run->deadline_us)
			break;
		if (a.action == BULK_DELETE)
			rc = remove_one(&a, ids[i], &out);
		else if (a.action == BULK_POOL_ADD || a.action == BULK_POOL_REMOVE)
			rc = membership(&a, ids[i], &out);
		else
			rc = edit(&a, ids[i], &out);
		if (rc == HE_OK)
			counts[out]++;
	}
	if (rc == HE_OK) {
		bulk_ids_done(run->job, ids[i - 1], i);
		for (int o = 0; o < OUTCOME__MAX; o++)
			if (counts[o])
				bulk_count(run->job, outcome_fields[o], counts[o]);
	}
	free(ids);
	return rc;
}
