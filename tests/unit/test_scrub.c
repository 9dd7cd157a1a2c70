/* test_scrub.c: after an erasure, no byte of the person is left in any file of the environment */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))

#define PEOPLE		600	/* enough for leaf splits and internal pages */
#define BIO_BYTES	6000	/* beyond a quarter page: stored on overflow pages */
#define MAX_MAILS	2
#define SMALL_LOG	(256 * 1024)	/* log file size from mid-test on */

/* ---- The environment, and a second process that keeps it open ---- */

struct env {
	char dir[64];
	struct store *st;
	pid_t peer;
	int to_peer;		/* the peer's commands; closing it ends the peer */
	int from_peer;		/* the peer's answers, one byte each */
};

/*
 * The peer opens the store as a web worker would and waits. With hold_txn
 * it first begins a transaction and writes in it (as a request in flight),
 * answers, and commits only when told: a transaction older than anything
 * the scrub writes.
 */
static void
peer_main(const char *dir, int in, int out, int hold_txn)
{
	struct store *st;
	DB_TXN *txn = NULL;
	char c = 'r';

	if (store_open(&st, dir, 8, 0) != HE_OK)
		_exit(2);
	if (hold_txn) {
		DB *db = st->db[STORE_SESSION];
		unsigned char k[STORE_SESSION_KEYBYTES] = { 0x5e };
		DBT key = { .data = k, .size = sizeof k };
		DBT val = { .data = "\x01{}", .size = 3 };

		if (st->env->txn_begin(st->env, NULL, &txn, 0) != 0 ||
		    db->put(db, txn, &key, &val, 0) != 0)
			_exit(3);
	}
	if (write(out, &c, 1) != 1)
		_exit(4);
	/* A byte: commit the held transaction; end of file: close and go. */
	while (read(in, &c, 1) == 1)
		if (txn != NULL) {
			if (txn->commit(txn, 0) != 0)
				_exit(5);
			txn = NULL;
			if (write(out, &c, 1) != 1)
				_exit(4);
		}
	if (txn != NULL)
		txn->abort(txn);
	store_close(st);
	_exit(0);
}

static void
peer_start(struct env *e, int hold_txn)
{
	int to[2], from[2];
	char c;

	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	e->peer = fork();
	assert_true(e->peer >= 0);
	if (e->peer == 0) {
		close(to[1]);
		close(from[0]);
		peer_main(e->dir, to[0], from[1], hold_txn);
	}
	close(to[0]);
	close(from[1]);
	e->to_peer = to[1];
	e->from_peer = from[0];
	assert_int_equal(read(e->from_peer, &c, 1), 1);
}

static void
peer_commit(struct env *e)
{
	char c = 'c';

	assert_int_equal(write(e->to_peer, &c, 1), 1);
	assert_int_equal(read(e->from_peer, &c, 1), 1);
}

static int
peer_stop(struct env *e)
{
	int status;

	if (e->peer <= 0)
		return 0;
	close(e->to_peer);
	close(e->from_peer);
	if (waitpid(e->peer, &status, 0) != e->peer)
		return -1;
	e->peer = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ---- Looking for bytes the way the acceptance test greps ---- */

/*
 * Writes into found (comma-separated) every file of dir holding needle
 * anywhere in its bytes: database files, log files, the region files every
 * process maps. Returns how many.
 */
static int
files_with(const char *dir, const char *needle, char *found, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	found[0] = '\0';
	while ((de = readdir(d)) != NULL) {
		char path[sizeof ((struct env *)0)->dir + sizeof de->d_name + 2];
		struct stat sb;
		FILE *f;
		char *buf;

		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		assert_non_null(f = fopen(path, "rb"));
		assert_non_null(buf = malloc((size_t)sb.st_size + 1));
		assert_int_equal(fread(buf, 1, (size_t)sb.st_size, f),
		    (size_t)sb.st_size);
		fclose(f);
		if (memmem(buf, (size_t)sb.st_size, needle, strlen(needle))) {
			n++;
			snprintf(found + strlen(found), cap - strlen(found), "%s%s",
			    found[0] ? ", " : "", de->d_name);
		}
		free(buf);
	}
	closedir(d);
	return n;
}

static int
file_has(const char *dir, const char *file, const char *needle)
{
	char found[1024];

	files_with(dir, needle, found, sizeof found);
	return strstr(found, file) != NULL;
}

/* ---- People, signed up the way comm_join does, with some history ---- */

struct person {
	char email[96], name[96];
	int big;
	uint64_t id;
	uint64_t mail[MAX_MAILS];
	size_t mails;
};

/* The email index holds a keyed hash, as the domain layer stores it
 * (comm_email_key): never the address itself. */
static const char *
email_key(const char *email, char key[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)email,
	    strlen(email), (const unsigned char *)"test-site-key-0123456789abcdef!",
	    32);
	sodium_bin2hex(key, 65, h, sizeof h);
	return key;
}

static json_t *
cand_body(const struct person *p)
{
	char key[65];
	json_t *j;

	email_key(p->email, key);
	j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "email", p->email,
	    "email_key", key,
	    "name", p->name, "joined", (json_int_t)(1700000000000000 + p->id),
	    "source", "community", "consent", "granted");

	assert_non_null(j);
	if (p->big) {
		char *bio = malloc(BIO_BYTES + 1);
		size_t nl = strlen(p->name);

		assert_non_null(bio);
		for (size_t i = 0; i < BIO_BYTES; i++)
			bio[i] = (char)('a' + i % 26);
		/* The name also on the overflow pages, at both ends and between. */
		memcpy(bio + 10, p->name, nl);
		memcpy(bio + BIO_BYTES / 2, p->name, nl);
		memcpy(bio + BIO_BYTES - nl - 10, p->name, nl);
		bio[BIO_BYTES] = '\0';
		json_object_set_new(j, "bio", json_string(bio));
		free(bio);
	}
	return j;
}

static json_t *
mail_body(const struct person *p, int sent)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:i}", "kind", "welcome",
	    "to", p->email, "to_name", p->name, "cand", (json_int_t)p->id,
	    "state", sent ? "sent" : "queued", "attempts", sent);

	assert_non_null(j);
	if (!sent)	/* only while it waits: delivery shrinks the record */
		json_object_set_new(j, "due", json_integer(1700000000));
	return j;
}

static int
join_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct person *p = arg;
	json_t *event = json_pack("{s:s, s:s, s:s}", "type", "granted", "ip",
	    "203.0.113.7", "purpose", "Keep me informed");
	json_t *cand, *mail;
	char head[STORE_CONSENT_HEAD];
	int rc;

	if (event == NULL)
		return HE_NOMEM;
	p->mails = 0;
	if ((rc = store_next_id(st, SEQ_CANDIDATE, &p->id)) == HE_OK)
		rc = store_consent_append(st, txn, p->id, event, head);
	json_decref(event);
	if (rc != HE_OK)
		return rc;
	cand = cand_body(p);
	json_object_set_new(cand, "consent_head", json_string(head));
	rc = store_cand_insert(st, txn, p->id, cand);
	json_decref(cand);
	if (rc != HE_OK)
		return rc;
	mail = mail_body(p, 0);
	rc = store_mail_insert(st, txn, mail, &p->mail[0]);
	json_decref(mail);
	if (rc == HE_OK)
		p->mails = 1;
	return rc;
}

/* Later life: the welcome mail is delivered, a second one is queued, the
 * record is edited; each leaves old bytes behind in Berkeley DB. */
static int
history_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct person *p = arg;
	json_t *sent = mail_body(p, 1), *again = mail_body(p, 0), *cand = NULL;
	unsigned char key[8];
	int rc = store_mail_put(st, txn, p->mail[0], sent);

	if (rc == HE_OK)
		rc = store_mail_insert(st, txn, again, &p->mail[1]);
	if (rc == HE_OK) {
		p->mails = 2;
		store_u64_key(p->id, key);
		rc = store_get_rec(st, txn, STORE_CAND, key, sizeof key, 1, &cand);
	}
	if (rc == HE_OK) {
		json_object_set_new(cand, "source",
		    json_string("referral from a hiring manager"));
		rc = store_cand_put(st, txn, p->id, cand);
	}
	json_decref(sent);
	json_decref(again);
	json_decref(cand);
	return rc;
}

/* The erasure: the candidate and every mail addressed to them. */
static int
erase_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct person *p = arg;
	unsigned char key[8];
	int rc;

	store_u64_key(p->id, key);
	if ((rc = store_del_scrubbed(st, txn, STORE_CAND, key, sizeof key)) != HE_OK)
		return rc;
	for (size_t i = 0; i < p->mails; i++) {
		store_u64_key(p->mail[i], key);
		if ((rc = store_del_scrubbed(st, txn, STORE_MAILQ, key,
		    sizeof key)) != HE_OK)
			return rc;
	}
	return HE_OK;
}

/* The person removes their long bio: an ordinary replacement, whose freed
 * overflow pages (the last ones of the file, for the newest record) are
 * truncated away with their buffers going back to the cache as they are. */
static int
shrink_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct person *p = arg;
	unsigned char key[8];
	json_t *cand;
	int rc;

	store_u64_key(p->id, key);
	if ((rc = store_get_rec(st, txn, STORE_CAND, key, sizeof key, 1,
	    &cand)) != HE_OK)
		return rc;
	json_object_del(cand, "bio");
	rc = store_cand_put(st, txn, p->id, cand);
	json_decref(cand);
	return rc;
}

/*
 * A long newsletter to the person, then deleted the ordinary way once sent
 * (as a mail purge would): the newest record, so its overflow pages are
 * the last of the file and are truncated away, and nothing reuses their
 * cache buffers, which go back to the region allocator with the bytes in.
 */
static int
newsletter_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct person *p = arg;
	struct person big = *p;
	json_t *mail = mail_body(p, 0), *cand = cand_body((big.big = 1, &big));
	uint64_t id;
	unsigned char key[8];
	DB *db = st->db[STORE_MAILQ];
	DBT k = { .data = key, .size = sizeof key };
	int rc;

	json_object_set(mail, "body", json_object_get(cand, "bio"));
	json_decref(cand);
	rc = store_mail_insert(st, txn, mail, &id);
	json_decref(mail);
	if (rc != HE_OK)
		return rc;
	store_u64_key(id, key);
	return store_err(db->del(db, txn, &k, 0));
}

/* An unrelated record of about a kilobyte. */
static int
pad_txn(struct store *st, DB_TXN *txn, void *arg)
{
	unsigned char key[STORE_SESSION_KEYBYTES];
	char filler[1001];
	json_t *body;
	int rc;

	(void)arg;
	randombytes_buf(key, sizeof key);
	memset(filler, 'p', sizeof filler - 1);
	filler[sizeof filler - 1] = '\0';
	if ((body = json_pack("{s:s}", "pad", filler)) == NULL)
		return HE_NOMEM;
	rc = store_session_put(st, txn, key, body);
	json_decref(body);
	return rc;
}

/*
 * Writes unrelated records until the current log file has no more than
 * room bytes left, then flushes the log: what is written next starts the
 * shared log buffer, and the file ends soon after it, so the scrub's move
 * to the next file writes less than a buffer's worth and does not pass
 * over the whole buffer.
 */
static void
pad_log_file(struct store *st, u_int32_t room)
{
	for (;;) {
		DB_LOG_STAT *ls;
		u_int32_t left;

		assert_int_equal(st->env->log_stat(st->env, &ls, 0), 0);
		left = ls->st_lg_size - ls->st_cur_offset;
		free(ls);
		if (left <= room)
			break;
		assert_int_equal(store_txn(st, pad_txn, NULL), HE_OK);
	}
	assert_int_equal(st->env->log_flush(st->env, NULL), 0);
}

static int
count_txn(struct store *st, DB_TXN *txn, void *arg)
{
	return store_cand_count(st, txn, arg);
}

static void
report_line(const char *line, void *ctx)
{
	(void)ctx;
	print_error("verify: %s\n", line);
}

/* Fills the store with PEOPLE people, the marked one at position at. */
static void
populate(struct store *st, struct person *people, size_t at, int big)
{
	unsigned char r[8];
	char hex[17];

	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	for (size_t i = 0; i < PEOPLE; i++) {
		struct person *p = &people[i];

		memset(p, 0, sizeof *p);
		if (i == at) {
			snprintf(p->email, sizeof p->email,
			    "zq.erase-me.%s@example.test", hex);
			snprintf(p->name, sizeof p->name, "Quintessa %s Vandersloot",
			    hex);
			p->big = big;
		} else {
			snprintf(p->email, sizeof p->email, "person%05zu@example.org",
			    i);
			snprintf(p->name, sizeof p->name, "Person Number %05zu", i);
			p->big = big && i % 7 == 0;	/* overflow pages all over */
		}
		assert_int_equal(store_txn(st, join_txn, p), HE_OK);
		if (i % 3 == 0 || i == at)
			assert_int_equal(store_txn(st, history_txn, p), HE_OK);
	}
}

/* ---- The fixture ---- */

/* A fixture: an environment, a peer holding it open, room for people. */
struct fixture {
	struct env e;
	const void *param;	/* the test's own table row, if any */
	struct person *people;
};

static int
setup(void **state, int hold_txn)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct env *e;

	if (f == NULL)
		return -1;
	f->param = *state;
	*state = f;
	e = &f->e;
	strcpy(e->dir, "/tmp/hearth-test-scrub-XXXXXX");
	if ((f->people = calloc(PEOPLE, sizeof *f->people)) == NULL ||
	    mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 0) != HE_OK)
		return -1;
	peer_start(e, hold_txn);
	return 0;
}

static int
setup_idle_peer(void **state)
{
	return setup(state, 0);
}

static int
setup_busy_peer(void **state)
{
	return setup(state, 1);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	struct env *e = &f->e;
	char cmd[128];
	int rc = 0;

	store_close(e->st);
	if (peer_stop(e) != 0)
		rc = -1;
	if (e->dir[0] != '\0') {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
		if (system(cmd) != 0)
			rc = -1;
	}
	free(f->people);
	free(f);
	return rc;
}

/* ---- The cases ---- */

enum where { FIRST, MIDDLE, LAST };

struct scrub_case {
	const char *name;
	enum where where;
	int big;
	int near_end;	/* the erasure comes near the end of a log file */
};

static const struct scrub_case cases[] = {
	{ "first inserted", FIRST, 0, 0 },
	{ "middle", MIDDLE, 0, 0 },
	{ "last inserted", LAST, 0, 0 },
	{ "first inserted, on overflow pages, near a log file's end", FIRST, 1, 1 },
	{ "middle, on overflow pages, near a log file's end", MIDDLE, 1, 1 },
	{ "last inserted, on overflow pages, near a log file's end", LAST, 1, 1 },
};

static void
test_erase_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	const struct scrub_case *t = f->param;
	struct env *e = &f->e;
	struct person *people = f->people, *m;
	char found[1024];
	size_t at, n = 0, problems = 99;

	at = t->where == FIRST ? 0 : t->where == LAST ? PEOPLE - 1 : PEOPLE / 2;
	m = &people[at];
	populate(e->st, people, at, t->big);

	/* The control: before the erasure the bytes are there to find. */
	assert_int_equal(e->st->env->txn_checkpoint(e->st->env, 0, 0, DB_FORCE),
	    0);
	if (!file_has(e->dir, "candidates.db", m->email) ||
	    !file_has(e->dir, "candidates.db", m->name) ||
	    !file_has(e->dir, "mailq.db", m->name) ||
	    !file_has(e->dir, "log.0000000001", m->email))
		fail_msg("%s: the control does not find the person", t->name);
	if (t->big) {
		DB *db = e->st->db[STORE_CAND];
		DB_BTREE_STAT *sp;

		assert_int_equal(db->stat(db, NULL, &sp, 0), 0);
		if (sp->bt_over_pg == 0)
			fail_msg("%s: no overflow pages", t->name);
		free(sp);
	}

	/*
	 * An earlier housekeeping pass: in a running worker every page has
	 * been read into the cache before the erasure, so the next pass reads
	 * nothing new that could reuse a freed buffer by chance. The log files
	 * after it are small, so that padding can bring the erasure near the
	 * end of one, as happens in production now and then: the move to the
	 * next file then writes less than the log buffer, and the buffer keeps
	 * what the scrub does not overwrite.
	 */
	assert_int_equal(e->st->env->set_lg_max(e->st->env, SMALL_LOG), 0);
	assert_int_equal(store_scrub_logs(e->st), HE_OK);
	if (t->big)
		assert_int_equal(store_txn(e->st, shrink_txn, m), HE_OK);
	/* The newsletter and the erasure (about 18 kB of log), perhaps near
	 * the end of a log file; the erasure commits durably, as in
	 * production, so its records are flushed and stay in the log buffer.
	 * The padding first: its new pages would reuse the newsletter's freed
	 * cache buffers. */
	if (t->near_end)
		pad_log_file(e->st, 24 * 1024);
	assert_int_equal(store_txn(e->st, newsletter_txn, m), HE_OK);
	e->st->durable = 1;
	assert_int_equal(store_txn(e->st, erase_txn, m), HE_OK);
	assert_int_equal(store_scrub_logs(e->st), HE_OK);

	if (files_with(e->dir, m->email, found, sizeof found) != 0)
		fail_msg("%s: the email is still in %s", t->name, found);
	if (files_with(e->dir, m->name, found, sizeof found) != 0)
		fail_msg("%s: the name is still in %s", t->name, found);

	/* Everyone else is intact, indexes included. */
	{
		uint64_t id;
		json_t *got = NULL;
		struct person *other = &people[at == 0 ? 1 : at - 1];
		char ekey[65];

		assert_int_equal(store_cand_by_email(e->st, NULL,
		    email_key(m->email, ekey), &id),
		    HE_NOTFOUND);
		assert_int_equal(store_cand_get(e->st, NULL, m->id, 0, &got),
		    HE_NOTFOUND);
		assert_int_equal(store_cand_by_email(e->st, NULL,
		    email_key(other->email, ekey),
		    &id), HE_OK);
		assert_true(id == other->id);
		assert_int_equal(store_cand_get(e->st, NULL, other->id, 0, &got),
		    HE_OK);
		assert_string_equal(json_string_value(json_object_get(got,
		    "name")), other->name);
		json_decref(got);
		assert_int_equal(store_txn(e->st, count_txn, &n), HE_OK);
		assert_int_equal(n, PEOPLE - 1);
		assert_int_equal(store_verify(e->st, report_line, NULL, &problems),
		    HE_OK);
		assert_int_equal(problems, 0);
	}
}

/*
 * A transaction that began before the scrub keeps the log files it needs:
 * the scrub says so (HE_TEMPFAIL) and removes none of them, and finishes
 * once that transaction has committed.
 */
static void
test_scrub_waits_for_older_transaction(void **state)
{
	struct fixture *f = *state;
	struct env *e = &f->e;
	struct person *m = &f->people[PEOPLE / 2];
	char found[1024];

	populate(e->st, f->people, PEOPLE / 2, 0);
	assert_int_equal(store_txn(e->st, erase_txn, m), HE_OK);

	assert_int_equal(store_scrub_logs(e->st), HE_TEMPFAIL);
	assert_true(file_has(e->dir, "log.0000000001", m->email));

	peer_commit(e);
	assert_int_equal(store_scrub_logs(e->st), HE_OK);
	if (files_with(e->dir, m->email, found, sizeof found) != 0)
		fail_msg("the email is still in %s", found);
	if (files_with(e->dir, m->name, found, sizeof found) != 0)
		fail_msg("the name is still in %s", found);
}

struct del_case {
	const char *name;
	int db;
	int present;
	int rc;
};

static const struct del_case del_cases[] = {
	{ "absent candidate", STORE_CAND, 0, HE_NOTFOUND },
	{ "present candidate", STORE_CAND, 1, HE_OK },
	{ "a secondary index", STORE_CAND_EMAIL, 1, HE_INVALID },
	{ "the join-time index", STORE_CAND_JOINED, 1, HE_INVALID },
	{ "past the last database", STORE__MAX, 1, HE_INVALID },
	{ "before the first database", -1, 1, HE_INVALID },
};

struct del_arg {
	const struct del_case *t;
	uint64_t id;
};

static int
del_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct del_arg *a = arg;
	unsigned char key[8];
	int rc;

	store_u64_key(a->t->present ? a->id : a->id + 1000, key);
	rc = store_del_scrubbed(st, txn, (enum store_db)a->t->db, key, sizeof key);
	if (rc != a->t->rc)
		fail_msg("%s: rc %d, want %d", a->t->name, rc, a->t->rc);
	return HE_OK;
}

static void
test_del_scrubbed_contract(void **state)
{
	struct fixture *f = *state;
	struct env *e = &f->e;
	struct person p = { .email = "one@example.org", .name = "One Person" };

	for (size_t i = 0; i < N(del_cases); i++) {
		struct del_arg a = { &del_cases[i], 0 };
		json_t *got = NULL;

		assert_int_equal(store_txn(e->st, join_txn, &p), HE_OK);
		a.id = p.id;
		assert_int_equal(store_txn(e->st, del_txn, &a), HE_OK);
		/* Only the successful call removed the record. */
		assert_int_equal(store_cand_get(e->st, NULL, p.id, 0, &got),
		    del_cases[i].rc == HE_OK ? HE_NOTFOUND : HE_OK);
		json_decref(got);
		if (del_cases[i].rc != HE_OK)
			assert_int_equal(store_txn(e->st, erase_txn, &p), HE_OK);
	}
}

/* One test per row of cases[], named after it. */
#define ERASE_CASE(i)							\
	{ cases[i].name, test_erase_leaves_nothing, setup_idle_peer,	\
	    teardown, (void *)&cases[i] }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_del_scrubbed_contract,
		    setup_idle_peer, teardown),
		ERASE_CASE(0), ERASE_CASE(1), ERASE_CASE(2),
		ERASE_CASE(3), ERASE_CASE(4), ERASE_CASE(5),
		cmocka_unit_test_setup_teardown(
		    test_scrub_waits_for_older_transaction, setup_busy_peer,
		    teardown),
	};

	_Static_assert(N(cases) == 6, "one ERASE_CASE per row of cases[]");
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("scrub", tests, NULL, NULL);
}
