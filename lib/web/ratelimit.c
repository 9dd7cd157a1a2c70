/* ratelimit.c: per-address request limits shared by one program's workers */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "util/he.h"
#include "util/log.h"
#include "web/web_int.h"

#define SLOTS 4096		/* addresses tracked at once; a power of two */
#define PROBES 16

struct slot {
	uint64_t hash;		/* 0: free */
	int64_t start;		/* the window began then (unix seconds) */
	uint32_t count;
};

/* In memory every worker shares (mapped before the fork): a limit holds
 * across workers, and a restart forgets it, which a limit may. */
struct web_limiter {
	pthread_mutex_t lock;	/* process-shared and robust: a worker killed
				 * while holding it does not block the others */
	struct slot slot[SLOTS];
};

int
web_limiter_create(struct web_limiter **out)
{
	pthread_mutexattr_t a;
	struct web_limiter *l = mmap(NULL, sizeof *l, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (l == MAP_FAILED) {
		log_error("rate limit: cannot map shared memory: %s", strerror(errno));
		return HE_NOMEM;
	}
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&l->lock, &a);
	pthread_mutexattr_destroy(&a);
	*out = l;
	return HE_OK;
}

static uint64_t
hash_of(const char *addr, const char *what)
{
	uint64_t h = 14695981039346656037ull;

	for (const char *p = addr; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (const char *p = what; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h ? h : 1;
}

/* The slot of h: its own, else the free or oldest one of its probes. */
static struct slot *
find_slot(struct web_limiter *l, uint64_t h)
{
	struct slot *oldest = NULL;

	for (unsigned i = 0; i < PROBES; i++) {
		struct slot *s = &l->slot[(h + i) & (SLOTS - 1)];

		if (s->hash == h)
			return s;
		if (oldest == NULL || s->hash == 0 || s->start < oldest->start)
			oldest = s;
	}
	oldest->hash = h;
	oldest->start = 0;
	oldest->count = 0;
	return oldest;
}

int
web_limit_hit(struct web_limiter *l, const char *addr, const char *what,
    unsigned max, unsigned window, int64_t now, unsigned *retry_after)
{
	struct slot *s;
	int over;

	if (pthread_mutex_lock(&l->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&l->lock);
	s = find_slot(l, hash_of(addr, what));
	if (now >= s->start + (int64_t)window) {
		s->start = now;
		s->count = 0;
	}
	over = s->count >= max;
	if (!over)
		s->count++;
	*retry_after = (unsigned)(s->start + (int64_t)window - now);
	pthread_mutex_unlock(&l->lock);
	return over;
}
