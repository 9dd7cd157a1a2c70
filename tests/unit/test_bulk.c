/* test_bulk.c: bulk actions and exports as jobs, against a real store, counting every write */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>
#include <ClearSilver.h>

#include "crm/audit.h"
#include "crm/auth.h"
#include "crm/bulk.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/job.h"
#include "crm/pool.h"
#include "crm/query.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/csv.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))
#define MAXCAND 4096
#define BATCH "7"		/* Office.BulkBatch: many steps per job */

/*
 * Every write of a candidate record goes through cand_write (the Makefile
 * links this test with --wrap=cand_write): the wrapper counts writes per
 * candidate in the step that makes them, and those counts move to
 * `committed` only when the step returns HE_OK (its transaction then
 * commits); an aborted step's writes are rolled back and forgotten. It
 * can also fail the n-th write from now, to abort a step midway.
 */
int __real_cand_write(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec);

static unsigned pending[MAXCAND], committed[MAXCAND];
static int fail_write_in;	/* > 0: the n-th cand_write from now fails */
static int fail_after_step;	/* > 0: the n-th step from now fails after
				 * doing its work */

int
__wrap_cand_write(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec)
{
	if (fail_write_in > 0 && --fail_write_in == 0)
		return HE_IO;
	if (id < MAXCAND)
		pending[id]++;
	return __real_cand_write(st, txn, id, old, rec);
}

static int
counted(job_step_fn step, struct job_run *run, DB_TXN *txn)
{
	int rc;

	memset(pending, 0, sizeof pending);
	rc = step(run, txn);
	if (rc == HE_OK && fail_after_step > 0 && --fail_after_step == 0)
		rc = HE_IO;	/* the work is done, and undone */
	if (rc == HE_OK)
		for (size_t i = 0; i < MAXCAND; i++)
			committed[i] += pending[i];
	return rc;
}

static int
counted_bulk(struct job_run *run, DB_TXN *txn)
{
	return counted(bulk_step, run, txn);
}

static int
counted_export(struct job_run *run, DB_TXN *txn)
{
	return counted(bulk_export_step, run, txn);
}

static const struct job_kind test_kinds[] = {
	{ "bulk", "Bulk action", counted_bulk },
	{ "export", "CSV export", counted_export },
};

struct env {
	char dir[64];
	char path[128];
	struct store *st;
	unsigned char key[STORE_KEYBYTES];
	HDF *conf;
	int64_t now;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	char v[160];

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-bulk-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(e->key, sizeof e->key);
	store_set_site_key(e->st, e->key);
	if (hdf_init(&e->conf) != STATUS_OK)
		return -1;
	snprintf(v, sizeof v, "%s/jobs", e->dir);
	hdf_set_value(e->conf, "Office.JobDir", v);
	snprintf(v, sizeof v, "%s/resumes", e->dir);
	hdf_set_value(e->conf, "Community.ResumeDir", v);
	mkdir(v, 0700);
	snprintf(v, sizeof v, "%s/outbox", e->dir);
	hdf_set_value(e->conf, "Mail.OutboxDir", v);
	mkdir(v, 0700);
	hdf_set_value(e->conf, "Office.BulkBatch", BATCH);
	e->now = clock_now();
	memset(committed, 0, sizeof committed);
	fail_write_in = fail_after_step = 0;
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	store_close(e->st);
	hdf_destroy(&e->conf);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

/* ---- candidates ---- */

struct put {
	uint64_t id;
	json_t *rec;
};

static int
put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return __real_cand_write(st, txn, p->id, NULL, p->rec);
}

/* A candidate in city, with tags (a JSON array text, or NULL). */
static uint64_t
add(struct env *e, const char *name, const char *city, const char *tags)
{
	struct put p = { 0, NULL };
	char email[128], ekey[32];
	json_error_t err;

	assert_int_equal(store_next_id(e->st, SEQ_CANDIDATE, &p.id), HE_OK);
	assert_true(p.id < MAXCAND);
	snprintf(email, sizeof email, "c%llu@example.org", (unsigned long long)p.id);
	snprintf(ekey, sizeof ekey, "k%llu", (unsigned long long)p.id);
	p.rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o}",
	    "email", email, "email_key", ekey, "name", name, "first_name", name,
	    "city", city, "status", "engaged", "joined",
	    (json_int_t)clock_now_us(), "consent", "confirmed",
	    "tags", tags ? json_loads(tags, 0, &err) : json_array());
	assert_non_null(p.rec);
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

static int
save_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return cand_save(st, txn, p->id, p->rec);
}

static json_t *
get(struct env *e, uint64_t id)
{
	json_t *rec;

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &rec), HE_OK);
	return rec;
}

/* How many times rec's tags hold tag. */
static int
tag_count(json_t *rec, const char *tag)
{
	size_t i;
	json_t *v;
	int n = 0;

	json_array_foreach(json_object_get(rec, "tags"), i, v)
		n += strcmp(json_string_value(v), tag) == 0;
	return n;
}

/* ---- jobs ---- */

static uint64_t
start(struct env *e, const struct bulk_request *r)
{
	uint64_t job;

	assert_int_equal(bulk_start(e->st, r, &job), HE_OK);
	return job;
}

/* One step of whatever job is due; e->now moves on past any retry. */
static int
step(struct env *e)
{
	int ran;

	e->now += 100;
	assert_int_equal(job_step_kinds(test_kinds, N(test_kinds), e->st, e->conf,
	    e->now, INT64_MAX, &ran), HE_OK);
	return ran;
}

static json_t *
job(struct env *e, uint64_t id)
{
	json_t *j;

	assert_int_equal(job_get(e->st, id, &j), HE_OK);
	return j;
}

static const char *
job_state(struct env *e, uint64_t id)
{
	static char buf[32];
	json_t *j = job(e, id);

	snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(j, "state")));
	json_decref(j);
	return buf;
}

static json_int_t
result(struct env *e, uint64_t id, const char *field)
{
	json_t *j = job(e, id);
	json_int_t v = json_integer_value(json_object_get(json_object_get(j,
	    "result"), field));

	json_decref(j);
	return v;
}

static int
open_job(struct env *e, uint64_t id)
{
	json_t *j = job(e, id);
	int open = job_is_open(j);

	json_decref(j);
	return open;
}

static void
run_to_end(struct env *e, uint64_t id)
{
	for (int i = 0; i < 2000 && open_job(e, id); i++)
		if (!step(e))
			break;
	assert_string_equal(job_state(e, id), "done");
}

/* The audit entries of action. */
static size_t
audited(struct env *e, const char *action, json_t **entries)
{
	struct audit_filter f = { .action = action };
	int more;
	int64_t stopped;
	json_t *rows;
	size_t n;

	assert_int_equal(audit_list(e->st, &f, 0, 1000, &rows, &more, &stopped),
	    HE_OK);
	n = json_array_size(rows);
	if (entries)
		*entries = rows;
	else
		json_decref(rows);
	return n;
}

static void
print_line(const char *line, void *ctx)
{
	(void)ctx;
	print_message("%s\n", line);
}

static void
index_verifies(struct env *e)
{
	size_t problems = 0;

	assert_int_equal(cand_index_verify(e->st, print_line, NULL, &problems),
	    HE_OK);
	assert_int_equal(problems, 0);
}

/* ---- the tests ---- */

/* A filter result, fixed at the start, tagged exactly once each. */
static void
a_filter_result_is_tagged_exactly(void **state)
{
	struct env *e = *state;
	uint64_t london[25], paris[15], late;
	struct cand_query q;
	struct bulk_request r = { .action = BULK_TAG_ADD, .tag = "vip", .q = &q,
	    .user = 1, .ip = "192.0.2.1" };
	json_t *entries, *rec;
	uint64_t id;

	for (size_t i = 0; i < N(london); i++)
		london[i] = add(e, "Lon Don", "London", i < 3 ? "[\"vip\"]" :
		    "[\"java\"]");
	for (size_t i = 0; i < N(paris); i++)
		paris[i] = add(e, "Pa Ris", "Paris", NULL);
	cand_query_init(&q);
	snprintf(q.city, sizeof q.city, "london");
	id = start(e, &r);
	assert_string_equal(job_state(e, id), "queued");
	/* The first step fixes who: a Londoner who joins later is left out. */
	assert_int_equal(step(e), 1);
	rec = job(e, id);
	assert_int_equal(json_integer_value(json_object_get(rec, "total")), 25);
	json_decref(rec);
	late = add(e, "Late Comer", "London", NULL);
	run_to_end(e, id);
	for (size_t i = 0; i < N(london); i++) {
		rec = get(e, london[i]);
		assert_int_equal(tag_count(rec, "vip"), 1);
		if (i >= 3)
			assert_int_equal(tag_count(rec, "java"), 1);
		json_decref(rec);
		assert_int_equal(committed[london[i]], i < 3 ? 0 : 1);
	}
	for (size_t i = 0; i < N(paris); i++)
		assert_int_equal(committed[paris[i]], 0);
	assert_int_equal(committed[late], 0);
	rec = get(e, late);
	assert_int_equal(tag_count(rec, "vip"), 0);
	json_decref(rec);
	assert_int_equal(result(e, id, "changed"), 22);
	assert_int_equal(result(e, id, "unchanged"), 3);
	rec = job(e, id);
	assert_int_equal(json_integer_value(json_object_get(rec, "done")), 25);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(rec,
	    "result"), "summary")), "Added the tag \u201cvip\u201d to 22 candidates"));
	json_decref(rec);
	/* One audit entry for the job, naming the action, count and filter. */
	assert_int_equal(audited(e, "bulk", &entries), 1);
	rec = json_object_get(json_array_get(entries, 0), "detail");
	assert_string_equal(json_string_value(json_object_get(rec, "action")),
	    "tag_add");
	assert_int_equal(json_integer_value(json_object_get(rec, "count")), 25);
	assert_string_equal(json_string_value(json_object_get(rec, "tag")), "vip");
	assert_non_null(json_object_get(rec, "filter"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(entries,
	    0), "ip")), "192.0.2.1");
	json_decref(entries);
	/* The index follows: the tag filter finds exactly them. */
	cand_query_init(&q);
	snprintf(q.tags_all.v[0], sizeof q.tags_all.v[0], "vip");
	q.tags_all.n = 1;
	{
		roaring_bitmap_t *ids;

		assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
		assert_int_equal(roaring_bitmap_get_cardinality(ids), 25);
		for (size_t i = 0; i < N(london); i++)
			assert_true(roaring_bitmap_contains(ids, (uint32_t)london[i]));
		roaring_bitmap_free(ids);
	}
	index_verifies(e);
}

/* A step that fails midway, one that fails after its work, and a
 * restart of the store between steps: every candidate written once. */
static void
failures_and_a_restart_do_nothing_twice(void **state)
{
	struct env *e = *state;
	uint64_t ids[60], id;
	struct bulk_request r = { .action = BULK_TAG_REMOVE, .tag = "old",
	    .ids = ids, .nids = N(ids), .user = 1 };
	json_t *rec;

	for (size_t i = 0; i < N(ids); i++)
		ids[i] = add(e, "Some One", "Oslo", i % 4 ? "[\"old\", \"keep\"]" :
		    "[\"keep\"]");
	id = start(e, &r);
	assert_int_equal(step(e), 1);		/* the set fixed */
	assert_int_equal(step(e), 1);		/* 7 done */
	/* The third write of the next step fails: all of that step is undone. */
	fail_write_in = 3;
	assert_int_equal(step(e), 1);
	rec = job(e, id);
	assert_int_equal(json_integer_value(json_object_get(rec, "done")), 7);
	assert_int_equal(json_integer_value(json_object_get(rec, "failures")), 1);
	json_decref(rec);
	assert_int_equal(step(e), 1);		/* tried again: 14 done */
	/* A step that did its work and then failed: undone as well. */
	fail_after_step = 1;
	assert_int_equal(step(e), 1);
	rec = job(e, id);
	assert_int_equal(json_integer_value(json_object_get(rec, "done")), 14);
	json_decref(rec);
	/* The worker dies and another process takes over. */
	store_close(e->st);
	assert_int_equal(store_open(&e->st, e->dir, 16, 0), HE_OK);
	store_set_site_key(e->st, e->key);
	run_to_end(e, id);
	for (size_t i = 0; i < N(ids); i++) {
		rec = get(e, ids[i]);
		assert_int_equal(tag_count(rec, "old"), 0);
		assert_int_equal(tag_count(rec, "keep"), 1);
		json_decref(rec);
		assert_int_equal(committed[ids[i]], i % 4 ? 1 : 0);
	}
	assert_int_equal(result(e, id, "changed"), 45);
	assert_int_equal(result(e, id, "unchanged"), 15);
	assert_int_equal(audited(e, "bulk", NULL), 1);
	index_verifies(e);
}

/* A job made by hand, with params bulk_start would not take. */
struct create {
	json_t *params;
	uint64_t id;
};

static int
create_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct create *c = arg;

	return job_create(st, txn, "bulk", 1, c->params, 0, &c->id);
}

/* A set too large for the job record lives in a file: the job reads it
 * in batches, and counts those that were never there as gone. */
static void
a_large_set_lives_in_a_file(void **state)
{
	struct env *e = *state;
	json_t *params = json_array(), *p, *rec;
	uint64_t real[10], id;
	struct stat sb;
	char path[256];

	for (size_t i = 0; i < N(real); i++) {
		real[i] = add(e, "Real Person", "Rome", NULL);
		json_array_append_new(params, json_integer((json_int_t)real[i]));
	}
	/* 3,000 ids each in a container of its own: far over the inline size. */
	for (json_int_t k = 1; k <= 3000; k++)
		json_array_append_new(params, json_integer(k * 70000));
	p = json_pack("{s:s, s:s, s:o}", "action", "status", "status", "hired",
	    "ids", params);
	{
		struct create c = { p, 0 };

		assert_int_equal(store_txn(e->st, create_txn, &c), HE_OK);
		id = c.id;
	}
	json_decref(p);
	hdf_set_value(e->conf, "Office.BulkBatch", "500");
	assert_int_equal(step(e), 1);
	rec = job(e, id);
	assert_non_null(json_object_get(json_object_get(rec, "resume"), "ids_file"));
	assert_null(json_object_get(json_object_get(rec, "resume"), "ids"));
	assert_int_equal(json_integer_value(json_object_get(rec, "total")), 3010);
	json_decref(rec);
	snprintf(path, sizeof path, "%s/jobs/job-%llu.ids", e->dir,
	    (unsigned long long)id);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > BULK_INLINE_MAX);
	run_to_end(e, id);
	assert_int_equal(result(e, id, "changed"), 10);
	assert_int_equal(result(e, id, "gone"), 3000);
	for (size_t i = 0; i < N(real); i++) {
		size_t n;

		rec = get(e, real[i]);
		assert_string_equal(json_string_value(json_object_get(rec, "status")),
		    "hired");
		json_decref(rec);
		assert_int_equal(committed[real[i]], 1);
		/* The status change is on the timeline. */
		assert_int_equal(store_touch_count(e->st, NULL, real[i], &n), HE_OK);
		assert_int_equal(n, 1);
	}
	/* The set's file goes once the job is over. */
	{
		size_t removed;

		assert_int_equal(bulk_sweep(e->st, e->conf, e->now, &removed), HE_OK);
		assert_int_equal(removed, 1);
		assert_int_equal(stat(path, &sb), -1);
	}
}

struct member {
	uint64_t pool, cand;
};

static int
member_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct member *m = arg;

	return pool_member_set(st, txn, m->pool, m->cand, 1);
}

/* Static pools in and out, the owner set and cleared, each on the
 * timeline; a pool deleted during its job fails the job. */
static void
pools_and_owners(void **state)
{
	struct env *e = *state;
	uint64_t ids[9], pool, dyn, rec_user, hm, id;
	struct bulk_request r = { .ids = ids, .nids = N(ids), .user = 1 };
	struct cand_query q;
	json_t *rec;

	for (size_t i = 0; i < N(ids); i++)
		ids[i] = add(e, "Pool Person", "Bern", NULL);
	assert_int_equal(pool_create(e->st, "Shortlist", NULL, 1, &pool), HE_OK);
	cand_query_init(&q);
	snprintf(q.city, sizeof q.city, "bern");
	assert_int_equal(pool_create(e->st, "Bern", &q, 1, &dyn), HE_OK);
	{
		struct member m = { pool, ids[0] };

		assert_int_equal(store_txn(e->st, member_txn, &m), HE_OK);
	}
	/* What cannot be: a dynamic pool, no pool, a tag or status that is
	 * none, nobody chosen, an owner who may not own. */
	r.action = BULK_POOL_ADD;
	r.pool = dyn;
	assert_int_equal(bulk_start(e->st, &r, &id), HE_INVALID);
	r.pool = 999;
	assert_int_equal(bulk_start(e->st, &r, &id), HE_NOTFOUND);
	r.action = BULK_TAG_ADD;
	r.tag = "Not Normalised";
	assert_int_equal(bulk_start(e->st, &r, &id), HE_INVALID);
	r.action = BULK_STATUS;
	r.status = "astronaut";
	assert_int_equal(bulk_start(e->st, &r, &id), HE_INVALID);
	r.nids = 0;
	r.status = "hired";
	assert_int_equal(bulk_start(e->st, &r, &id), HE_INVALID);
	r.nids = N(ids);
	assert_int_equal(auth_user_add(e->st, NULL, "rec@example.org", "Rec",
	    "a long password", ROLE_RECRUITER, &rec_user), HE_OK);
	assert_int_equal(auth_user_add(e->st, NULL, "hm@example.org", "HM",
	    "a long password", ROLE_HIRING_MANAGER, &hm), HE_OK);
	r.action = BULK_OWNER;
	r.owner = hm;
	assert_int_equal(bulk_start(e->st, &r, &id), HE_INVALID);

	r.action = BULK_POOL_ADD;
	r.pool = pool;
	id = start(e, &r);
	run_to_end(e, id);
	assert_int_equal(result(e, id, "changed"), 8);
	assert_int_equal(result(e, id, "unchanged"), 1);
	{
		uint64_t count;

		assert_int_equal(pool_get(e->st, pool, &rec, &count), HE_OK);
		json_decref(rec);
		assert_int_equal(count, 9);
	}
	r.action = BULK_OWNER;
	r.owner = rec_user;
	id = start(e, &r);
	run_to_end(e, id);
	for (size_t i = 0; i < N(ids); i++) {
		size_t n;

		rec = get(e, ids[i]);
		assert_int_equal(json_integer_value(json_object_get(rec, "owner")),
		    (json_int_t)rec_user);
		/* Still in the saved filter's pool: dpools kept by the write. */
		assert_int_equal(json_integer_value(json_array_get(json_object_get(rec,
		    "dpools"), 0)), (json_int_t)dyn);
		json_decref(rec);
		assert_int_equal(store_touch_count(e->st, NULL, ids[i], &n), HE_OK);
		assert_int_equal(n, 1);
	}
	r.owner = 0;
	id = start(e, &r);
	run_to_end(e, id);
	rec = get(e, ids[0]);
	assert_null(json_object_get(rec, "owner"));
	json_decref(rec);
	rec = job(e, id);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(
	    rec, "result"), "summary")), "to nobody"));
	json_decref(rec);
	/* Out of the pool, with the pool deleted halfway: the job fails and
	 * keeps what it did. */
	r.action = BULK_POOL_REMOVE;
	r.pool = pool;
	id = start(e, &r);
	assert_int_equal(step(e), 1);
	assert_int_equal(step(e), 1);
	assert_int_equal(pool_delete(e->st, pool), HE_OK);
	assert_int_equal(step(e), 1);
	assert_string_equal(job_state(e, id), "failed");
	assert_int_equal(result(e, id, "changed"), 7);
	index_verifies(e);
}

static int
extras_txn(struct store *st, DB_TXN *txn, void *arg)
{
	uint64_t cand = *(uint64_t *)arg, mail, touch;
	char head[STORE_CONSENT_HEAD];
	json_t *event = json_pack("{s:s, s:I}", "type", "granted", "at",
	    (json_int_t)clock_now_us());
	json_t *m = json_pack("{s:s, s:s, s:I, s:s, s:I}", "to", "x@example.org",
	    "kind", "confirm", "cand", (json_int_t)cand, "state", "sent",
	    "created", (json_int_t)clock_now());
	json_t *t = json_pack("{s:I, s:s, s:s, s:i, s:s}", "at",
	    (json_int_t)clock_now(), "kind", "note", "channel", "note", "by", 1,
	    "text", "hello");
	json_t *rec;
	int rc;

	rc = store_consent_append(st, txn, cand, event, head);
	if (rc == HE_OK)
		rc = store_mail_insert(st, txn, m, &mail);
	if (rc == HE_OK)
		rc = store_touch_insert(st, txn, cand, t, &touch);
	json_decref(event);
	json_decref(m);
	json_decref(t);
	if (rc != HE_OK || (rc = store_cand_get(st, txn, cand, 1, &rec)) != HE_OK)
		return rc;
	json_object_set_new(rec, "resume", json_pack("{s:s}", "file",
	    "cv-test.pdf"));
	rc = cand_save(st, txn, cand, rec);
	json_decref(rec);
	*(uint64_t *)arg = mail;
	return rc;
}

/* Deletion takes everything erasure takes, files after the commit, and
 * suppresses nothing; an audit entry per candidate. */
static void
deletion_removes_everything_but_blocks_no_one(void **state)
{
	struct env *e = *state;
	uint64_t ids[3], mails[3], keep, id;
	struct bulk_request r = { .action = BULK_DELETE, .ids = ids,
	    .nids = N(ids), .user = 1 };
	char path[256];
	struct stat sb;
	json_t *rec;
	size_t n;

	hdf_set_value(e->conf, "Office.BulkBatch", "2");
	for (size_t i = 0; i < N(ids); i++) {
		ids[i] = add(e, "Gone Soon", "Riga", NULL);
		mails[i] = ids[i];
		assert_int_equal(store_txn(e->st, extras_txn, &mails[i]), HE_OK);
		snprintf(path, sizeof path, "%s/outbox/%llu.eml", e->dir,
		    (unsigned long long)mails[i]);
		fclose(fopen(path, "w"));
	}
	snprintf(path, sizeof path, "%s/resumes/cv-test.pdf", e->dir);
	fclose(fopen(path, "w"));
	keep = add(e, "Stays Here", "Riga", NULL);
	id = start(e, &r);
	run_to_end(e, id);
	assert_int_equal(result(e, id, "changed"), 3);
	for (size_t i = 0; i < N(ids); i++) {
		assert_int_equal(store_cand_get(e->st, NULL, ids[i], 0, &rec),
		    HE_NOTFOUND);
		assert_int_equal(store_touch_count(e->st, NULL, ids[i], &n), HE_OK);
		assert_int_equal(n, 0);
		assert_int_equal(store_mail_get(e->st, NULL, mails[i], &rec),
		    HE_NOTFOUND);
		assert_int_equal(store_consent_check(e->st, NULL, ids[i], NULL, &n),
		    HE_OK);
		assert_int_equal(n, 0);
		snprintf(path, sizeof path, "%s/outbox/%llu.eml", e->dir,
		    (unsigned long long)mails[i]);
		assert_int_equal(stat(path, &sb), -1);
		/* Not suppressed: they may join again. */
		{
			char ekey[32];

			snprintf(ekey, sizeof ekey, "k%llu", (unsigned long long)ids[i]);
			assert_int_equal(store_suppress_get(e->st, NULL, ekey),
			    HE_NOTFOUND);
		}
	}
	snprintf(path, sizeof path, "%s/resumes/cv-test.pdf", e->dir);
	assert_int_equal(stat(path, &sb), -1);
	rec = get(e, keep);
	json_decref(rec);
	assert_int_equal(audited(e, "delete", NULL), 3);
	assert_int_equal(audited(e, "bulk", NULL), 1);
	/* Cancelled right after a step that deleted: the sweep removes what
	 * that step's deletions left on disk. */
	ids[0] = add(e, "Gone Too", "Riga", NULL);
	mails[0] = ids[0];
	assert_int_equal(store_txn(e->st, extras_txn, &mails[0]), HE_OK);
	snprintf(path, sizeof path, "%s/outbox/%llu.eml", e->dir,
	    (unsigned long long)mails[0]);
	fclose(fopen(path, "w"));
	r.nids = 1;
	id = start(e, &r);
	assert_int_equal(step(e), 1);
	assert_int_equal(step(e), 1);
	assert_int_equal(store_cand_get(e->st, NULL, ids[0], 0, &rec), HE_NOTFOUND);
	assert_int_equal(job_cancel(e->st, id), HE_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(bulk_sweep(e->st, e->conf, e->now, &n), HE_OK);
	assert_int_equal(stat(path, &sb), -1);
	index_verifies(e);
}

/* The export's rows, read back with the CSV reader. */
static json_t *
read_csv(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct csv_reader *rd;
	struct csv_record rec;
	json_t *rows = json_array();
	char bom[3];

	assert_non_null(f);
	assert_int_equal(fread(bom, 1, 3, f), 3);
	assert_memory_equal(bom, "\xef\xbb\xbf", 3);
	rewind(f);
	assert_int_equal(csv_open_file(f, NULL, &rd), HE_OK);
	while (csv_next(rd, &rec) == HE_OK) {
		json_t *row = json_array();

		assert_int_equal(rec.error, CSV_E_NONE);
		for (size_t i = 0; i < rec.ncols; i++)
			json_array_append_new(row, json_stringn(rec.cells[i], rec.lens[i]));
		json_array_append_new(rows, row);
	}
	csv_close(rd);
	fclose(f);
	return rows;
}

/* An export over several steps, one of them undone after writing its
 * rows: every candidate once, formulas defused, UTF-8 kept; only its
 * maker and admins get the file, until the sweep removes it. */
static void
export_writes_every_row_once(void **state)
{
	struct env *e = *state;
	uint64_t ids[20], odd, id, owner, size;
	struct cand_query q;
	struct bulk_request r = { .action = BULK_EXPORT, .q = &q, .user = 1 };
	json_t *rows, *rec;
	char *path = NULL;
	size_t removed;

	assert_int_equal(auth_user_add(e->st, NULL, "owner@example.org", "O",
	    "a long password", ROLE_RECRUITER, &owner), HE_OK);
	for (size_t i = 0; i < N(ids); i++)
		ids[i] = add(e, "Zoë 山田", "Kyoto", "[\"a\", \"b\"]");
	odd = add(e, "=HYPERLINK(\"http://x\")", "Kyoto", NULL);
	rec = get(e, odd);
	json_object_set_new(rec, "title", json_string("Lead, \"Data\""));
	json_object_set_new(rec, "owner", json_integer((json_int_t)owner));
	{
		struct put p = { odd, rec };

		assert_int_equal(store_txn(e->st, save_txn, &p), HE_OK);
	}
	json_decref(rec);
	add(e, "Not Here", "Osaka", NULL);
	cand_query_init(&q);
	snprintf(q.city, sizeof q.city, "kyoto");
	id = start(e, &r);
	assert_int_equal(step(e), 1);
	assert_int_equal(step(e), 1);
	fail_after_step = 1;		/* its rows are written, then undone */
	assert_int_equal(step(e), 1);
	assert_int_equal(bulk_export_file(e->st, e->conf, id, 1, 0, &path, &size),
	    HE_INVALID);
	run_to_end(e, id);
	assert_int_equal(result(e, id, "rows"), 21);
	assert_int_equal(bulk_export_file(e->st, e->conf, id, 2, 0, &path, &size),
	    HE_DENIED);
	assert_int_equal(bulk_export_file(e->st, e->conf, id, 2, 1, &path, &size),
	    HE_OK);
	free(path);
	assert_int_equal(bulk_export_file(e->st, e->conf, id, 1, 0, &path, &size),
	    HE_OK);
	rows = read_csv(path);
	assert_int_equal(json_array_size(rows), 22);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0),
	    0)), "Name");
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0),
	    15)), "Joined (UTC)");
	for (size_t i = 1; i < 22; i++) {
		json_t *row = json_array_get(rows, i);
		char email[64];
		uint64_t cand = i <= N(ids) ? ids[i - 1] : odd;

		assert_int_equal(json_array_size(row), 16);
		snprintf(email, sizeof email, "c%llu@example.org",
		    (unsigned long long)cand);
		/* Rows in id order: each candidate once. */
		assert_string_equal(json_string_value(json_array_get(row, 1)), email);
		if (cand == odd) {
			assert_string_equal(json_string_value(json_array_get(row, 0)),
			    "'=HYPERLINK(\"http://x\")");
			assert_string_equal(json_string_value(json_array_get(row, 5)),
			    "Lead, \"Data\"");
			assert_string_equal(json_string_value(json_array_get(row, 13)),
			    "owner@example.org");
		} else {
			assert_string_equal(json_string_value(json_array_get(row, 0)),
			    "Zoë 山田");
			assert_string_equal(json_string_value(json_array_get(row, 7)),
			    "a, b");
		}
	}
	json_decref(rows);
	assert_int_equal(audited(e, "export", NULL), 1);
	/* Kept for Office.ExportKeepHours (24) after it finished. */
	assert_int_equal(bulk_sweep(e->st, e->conf, clock_now() + 23 * 3600,
	    &removed), HE_OK);
	assert_int_equal(removed, 0);
	assert_int_equal(access(path, R_OK), 0);
	assert_int_equal(bulk_sweep(e->st, e->conf, clock_now() + 25 * 3600,
	    &removed), HE_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(access(path, R_OK), -1);
	free(path);
	rec = job(e, id);
	assert_null(json_object_get(json_object_get(rec, "result"), "download"));
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(rec,
	    "result"), "summary")), "was removed 24 hours"));
	json_decref(rec);
	assert_int_equal(bulk_export_file(e->st, e->conf, id, 1, 0, &path, &size),
	    HE_EXPIRED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_filter_result_is_tagged_exactly,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(failures_and_a_restart_do_nothing_twice,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(a_large_set_lives_in_a_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(pools_and_owners, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    deletion_removes_everything_but_blocks_no_one, setup, teardown),
		cmocka_unit_test_setup_teardown(export_writes_every_row_once, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("bulk", tests, NULL, NULL);
}
