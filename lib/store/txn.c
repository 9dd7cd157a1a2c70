/* txn.c: one transaction per unit of work, retried on deadlock */
#include <errno.h>
#include <time.h>
#include <sodium.h>

#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

#define TXN_RETRIES 20
#define BACKOFF_MAX_SHIFT 5	/* waits stop growing at 32 ms (plus jitter) */

int
store_err(int dbret)
{
	switch (dbret) {
	case 0:
		return HE_OK;
	case DB_NOTFOUND:
	case DB_KEYEMPTY:
		return HE_NOTFOUND;
	case DB_KEYEXIST:
		return HE_EXISTS;
	case DB_LOCK_DEADLOCK:
	case DB_LOCK_NOTGRANTED:
	case DB_REP_LOCKOUT:
		return HE_TEMPFAIL;
	case DB_RUNRECOVERY:
		return HE_PANIC;
	case ENOMEM:
		return HE_NOMEM;
	case EINVAL:
		return HE_INVALID;
	default:
		return HE_IO;
	}
}

/* Sleeps 1, 2, 4... ms plus up to as much again at random (OpenLDAP's
 * bdb_trans_backoff): colliding writers spread out instead of re-colliding. */
static void
backoff(int attempt)
{
	long ms = 1L << (attempt < BACKOFF_MAX_SHIFT ? attempt : BACKOFF_MAX_SHIFT);
	long jitter = (long)randombytes_uniform((uint32_t)ms * 1000);
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (ms * 1000 + jitter) * 1000 };

	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Flushes the log through this transaction's commit record. Flushing to
 * that record's own LSN (not "everything so far") is what lets one fsync
 * serve every transaction that committed before it began: a later caller
 * finds its LSN already on disk and returns at once. The LSN is read from
 * the commit token, whose format 1 is a version, a generation, an
 * environment id, then the LSN's file and offset, each 4 bytes big-endian;
 * any other format falls back to flushing the whole log.
 */
static int
flush_through(struct store *st, const DB_TXN_TOKEN *token)
{
	const u_int8_t *b = token->buf;
	DB_LSN lsn;

	if (b[0] != 0 || b[1] != 0 || b[2] != 0 || b[3] != 1)
		return st->env->log_flush(st->env, NULL);
	lsn.file = (u_int32_t)b[12] << 24 | (u_int32_t)b[13] << 16 |
	    (u_int32_t)b[14] << 8 | b[15];
	lsn.offset = (u_int32_t)b[16] << 24 | (u_int32_t)b[17] << 16 |
	    (u_int32_t)b[18] << 8 | b[19];
	return st->env->log_flush(st->env, &lsn);
}

/* Commits fn's transaction; sync says how far the commit must have got
 * when this returns (see store_txn and store_txn_written). */
static int
run_txn(struct store *st, store_txn_fn fn, void *arg, int sync)
{
	int rc = HE_TEMPFAIL;

	for (int attempt = 0; attempt < TXN_RETRIES; attempt++) {
		DB_TXN *txn;
		int ret;

		if ((ret = st->env->txn_begin(st->env, NULL, &txn, 0)) != 0)
			return store_err(ret);
		rc = fn(st, txn, arg);
		if (rc == HE_OK && !sync) {
			/* Written to the log file by the commit itself: in the
			 * kernel's hands before this returns, without waiting
			 * for the disk. */
			ret = txn->commit(txn, DB_TXN_WRITE_NOSYNC);
			if (ret == 0)
				return HE_OK;
			rc = store_err(ret);
		} else if (rc == HE_OK) {
			DB_TXN_TOKEN token;

			/*
			 * Early lock release: the commit record is written and the
			 * locks dropped at once, then the log is flushed before the
			 * caller may answer anyone. Writers to the same pages no
			 * longer queue behind each other's fsync, and concurrent
			 * flushes share one. A transaction that saw this one's
			 * writes commits later in the same log, so it can never
			 * be durable while this one is not.
			 */
			ret = txn->set_commit_token(txn, &token);
			if (ret == 0)
				ret = txn->commit(txn, DB_TXN_NOSYNC);
			else
				txn->abort(txn);
			if (ret == 0 && st->durable)
				ret = flush_through(st, &token);
			if (ret == 0)
				return HE_OK;
			rc = store_err(ret);
		} else {
			ret = txn->abort(txn);
			if (ret == DB_RUNRECOVERY)
				return HE_PANIC;
		}
		if (rc != HE_TEMPFAIL)
			return rc;
		backoff(attempt);
	}
	log_warn("store: transaction gave up after %d deadlocks", TXN_RETRIES);
	return HE_TEMPFAIL;
}

int
store_txn(struct store *st, store_txn_fn fn, void *arg)
{
	return run_txn(st, fn, arg, 1);
}

int
store_txn_written(struct store *st, store_txn_fn fn, void *arg)
{
	return run_txn(st, fn, arg, 0);
}

int
store_flush(struct store *st)
{
	return st->durable ? store_err(st->env->log_flush(st->env, NULL)) : HE_OK;
}
