/* lockout.c: the backoff rule and the shared table of failed sign-ins */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <sys/mman.h>

#include "crm/lockout.h"
#include "util/he.h"
#include "util/log.h"

#define SLOTS 4096		/* keys tracked at once; a power of two */
#define PROBES 16

long
lockout_seconds(const struct lockout_policy *p, unsigned failures)
{
	long s = p->base;

	if (p->after == 0 || failures < p->after || p->base <= 0)
		return 0;
	for (unsigned i = p->after; i < failures && s < p->max; i++)
		s *= 2;
	return s < p->max ? s : p->max;
}

struct slot {
	uint64_t hash;		/* 0: free */
	int64_t last;		/* the latest failure (unix seconds) */
	int64_t until;		/* locked until then */
	uint32_t failures;
};

/* In memory every worker shares (mapped before the fork), like the rate
 * limiter of lib/web: a count holds across workers, a restart forgets it. */
struct lockout_table {
	pthread_mutex_t lock;	/* process-shared and robust: a worker killed
				 * while holding it does not block the others */
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct slot slot[SLOTS];
};

int
lockout_table_create(struct lockout_table **out)
{
	pthread_mutexattr_t a;
	struct lockout_table *t = mmap(NULL, sizeof *t, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (t == MAP_FAILED) {
		log_error("lockout: cannot map shared memory: %s", strerror(errno));
		return HE_NOMEM;
	}
	randombytes_buf(t->key, sizeof t->key);
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&t->lock, &a);
	pthread_mutexattr_destroy(&a);
	*out = t;
	return HE_OK;
}

static uint64_t
hash_of(const struct lockout_table *t, const char *key)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v = 0;

	crypto_shorthash(h, (const unsigned char *)key, strlen(key), t->key);
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return v ? v : 1;
}

static void
take(struct lockout_table *t)
{
	if (pthread_mutex_lock(&t->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&t->lock);
}

/* The slot of h, or NULL; with make, a free or the stalest slot is taken
 * for it. */
static struct slot *
find_slot(struct lockout_table *t, uint64_t h, int make)
{
	struct slot *stalest = NULL;

	for (unsigned i = 0; i < PROBES; i++) {
		struct slot *s = &t->slot[(h + i) & (SLOTS - 1)];

		if (s->hash == h)
			return s;
		if (stalest == NULL || s->hash == 0 ||
		    (stalest->hash != 0 && s->last < stalest->last))
			stalest = s;
	}
	if (!make)
		return NULL;
	*stalest = (struct slot){ .hash = h };
	return stalest;
}

long
lockout_check(struct lockout_table *t, const char *key, int64_t now)
{
	uint64_t h = hash_of(t, key);
	struct slot *s;
	long left = 0;

	take(t);
	if ((s = find_slot(t, h, 0)) != NULL && s->until > now)
		left = (long)(s->until - now);
	pthread_mutex_unlock(&t->lock);
	return left;
}

long
lockout_fail(struct lockout_table *t, const char *key,
    const struct lockout_policy *p, int64_t now)
{
	uint64_t h = hash_of(t, key);
	struct slot *s;
	long lock;

	take(t);
	s = find_slot(t, h, 1);
	if (now - s->last > 2 * p->max)
		s->failures = 0;	/* quiet long enough: a fresh start */
	s->last = now;
	if (s->failures < UINT32_MAX)
		s->failures++;
	lock = lockout_seconds(p, s->failures);
	if (lock > 0)
		s->until = now + lock;
	pthread_mutex_unlock(&t->lock);
	return lock;
}

void
lockout_clear(struct lockout_table *t, const char *key)
{
	uint64_t h = hash_of(t, key);
	struct slot *s;

	take(t);
	if ((s = find_slot(t, h, 0)) != NULL)
		*s = (struct slot){ 0 };
	pthread_mutex_unlock(&t->lock);
}
