/* store_floor.c: the Berkeley DB baseline for `make bench`: the smallest durable transaction */

/*
 * Usage: store_floor DIR PROCESSES SECONDS
 *
 * Creates a transactional environment in DIR (which must be empty) the way
 * lib/store opens Hearth's (same subsystems, cache and deadlock detection),
 * then runs PROCESSES processes, each committing transactions of one 400-byte
 * put with a synchronous commit, for SECONDS seconds. Prints the number of
 * transactions committed per second, all processes together.
 *
 * This is the least a durable signup can cost: a Hearth signup writes more
 * (the candidate, its indexes, the consent event, the welcome mail), so the
 * rate measured here bounds what POST /join can reach on this machine, with
 * nothing else running and no HTTP at all. Berkeley DB's own group commit
 * (one log flush for every commit waiting on it) is what several processes buy.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <db.h>

#define MAX_PROCESSES 64
#define VALUE_BYTES 400
#define ENV_FLAGS (DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
open_env(DB_ENV **env, DB **db, const char *dir, u_int32_t create)
{
	int ret;

	if ((ret = db_env_create(env, 0)) != 0)
		return ret;
	if ((ret = (*env)->set_cachesize(*env, 0, 8 * 1024 * 1024, 1)) != 0 ||
	    (ret = (*env)->set_lk_detect(*env, DB_LOCK_YOUNGEST)) != 0 ||
	    (ret = (*env)->open(*env, dir, ENV_FLAGS | create, 0600)) != 0 ||
	    (ret = db_create(db, *env, 0)) != 0 ||
	    (ret = (*db)->open(*db, NULL, "floor.db", NULL, DB_BTREE,
	    DB_AUTO_COMMIT | create, 0600)) != 0)
		fprintf(stderr, "store_floor: %s: %s\n", dir, db_strerror(ret));
	return ret;
}

/* One process's loop: keys are "process.counter", so processes write to
 * different parts of the tree, as signups with cached ids do. */
static long
commit_loop(const char *dir, int proc, double seconds)
{
	DB_ENV *env;
	DB *db;
	char key[32], value[VALUE_BYTES];
	double end;
	long done = 0, n = 0;

	if (open_env(&env, &db, dir, 0) != 0)
		return -1;
	memset(value, 'v', sizeof value);
	end = now() + seconds;
	while (now() < end) {
		DB_TXN *txn;
		DBT k = { .data = key }, v = { .data = value, .size = sizeof value };

		k.size = (u_int32_t)snprintf(key, sizeof key, "%03d.%012ld", proc, n++);
		if (env->txn_begin(env, NULL, &txn, 0) != 0)
			return -1;
		if (db->put(db, txn, &k, &v, 0) != 0) {
			txn->abort(txn);	/* a deadlock: try again */
			continue;
		}
		if (txn->commit(txn, 0) != 0)
			return -1;
		done++;
	}
	db->close(db, 0);
	env->close(env, 0);
	return done;
}

int
main(int argc, char **argv)
{
	int procs, fds[2];
	double seconds, started;
	long total = 0;
	DB_ENV *env;
	DB *db;

	if (argc != 4 || (procs = atoi(argv[2])) < 1 || procs > MAX_PROCESSES ||
	    (seconds = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: store_floor DIR PROCESSES SECONDS\n");
		return 2;
	}
	if (open_env(&env, &db, argv[1], DB_CREATE) != 0)
		return 1;
	db->close(db, 0);
	env->close(env, 0);
	if (pipe(fds) != 0)
		return 1;
	started = now();
	for (int i = 0; i < procs; i++) {
		if (fork() == 0) {
			long n = commit_loop(argv[1], i, seconds);

			close(fds[0]);
			_exit(write(fds[1], &n, sizeof n) == sizeof n ? 0 : 1);
		}
	}
	close(fds[1]);
	for (int i = 0; i < procs; i++) {
		long n;

		if (read(fds[0], &n, sizeof n) != sizeof n || n < 0) {
			fprintf(stderr, "store_floor: a process failed\n");
			return 1;
		}
		total += n;
	}
	while (wait(NULL) > 0)
		;
	printf("%.0f\n", (double)total / (now() - started));
	return 0;
}
