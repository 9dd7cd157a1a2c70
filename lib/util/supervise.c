/* supervise.c: the supervisor of the FastCGI workers and of the daemon */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/supervise.h"

#define SV_MAX 256
#define TICK_MS 100
#define GRACE_SECONDS 10
/* After a child is killed, a sibling busy this long is taken to wait on
 * something the dead one held (work takes milliseconds). */
#define ORPHANED_WAIT_SECONDS 2

/* Per child: when its current unit of work began (monotonic seconds), 0
 * when idle. Shared with the children: an anonymous mapping made before
 * fork(). */
static volatile int64_t *busy_since;
static int my_slot = -1;
static volatile sig_atomic_t stopping;

static int64_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

void
sv_busy(void)
{
	if (busy_since && my_slot >= 0)
		busy_since[my_slot] = mono_now();
}

void
sv_idle(void)
{
	if (busy_since && my_slot >= 0)
		busy_since[my_slot] = 0;
}

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
on_child(int sig)
{
	(void)sig;	/* only to cut the supervisor's sleep short */
}

void
sv_handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);	/* no SA_RESTART: sleeps wake up */
}

static pid_t
spawn(int slot, sv_child_fn fn, void *arg)
{
	pid_t pid;

	/* Busy from birth: a child stuck opening the database counts too. */
	busy_since[slot] = mono_now();
	if ((pid = fork()) == 0) {
		/* Orphans stop too: a supervisor killed with -9 leaves nothing
		 * behind that still holds the socket or the database. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() == 1)
			_exit(1);
		my_slot = slot;
		sv_handle(SIGTERM, SIG_DFL);
		sv_handle(SIGINT, SIG_DFL);
		sv_handle(SIGCHLD, SIG_DFL);
		fn(arg);
		_exit(0);
	}
	if (pid < 0) {
		log_error("fork: %s", strerror(errno));
		busy_since[slot] = 0;
	}
	return pid;
}

static void
report_death(const char *what, pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		log_warn("%s %ld killed by signal %d; replacing it", what, (long)pid,
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_warn("%s %ld exited with %d; replacing it", what, (long)pid,
		    WEXITSTATUS(status));
}

static void
stop_children(pid_t *pids, int n)
{
	int64_t deadline = mono_now() + GRACE_SECONDS;
	int status, left = 0;

	for (int i = 0; i < n; i++)
		if (pids[i] > 0 && kill(pids[i], SIGTERM) == 0)
			left++;
	while (left > 0) {
		pid_t dead = waitpid(-1, &status, WNOHANG);
		struct timespec tick = { 0, TICK_MS * 1000000L };

		if (dead > 0) {
			left--;
			continue;
		}
		if (dead < 0 && errno == ECHILD)
			break;
		if (mono_now() >= deadline) {
			for (int i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			deadline = INT64_MAX;
		}
		nanosleep(&tick, NULL);
	}
}

int
sv_run(int n, sv_child_fn fn, void *arg, int stuck_seconds, const char *what)
{
	pid_t pids[SV_MAX];
	int64_t restart_at[SV_MAX];
	int64_t strict_until = 0;	/* a child was killed: siblings may wait on it */

	if (n < 1 || n > SV_MAX)
		return -1;
	busy_since = mmap(NULL, sizeof *busy_since * (size_t)n,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (busy_since == MAP_FAILED) {
		log_error("mmap: %s", strerror(errno));
		return -1;
	}
	sv_handle(SIGTERM, on_stop);
	sv_handle(SIGINT, on_stop);
	sv_handle(SIGCHLD, on_child);
	for (int i = 0; i < n; i++) {
		pids[i] = spawn(i, fn, arg);
		restart_at[i] = 0;
	}
	while (!stopping) {
		struct timespec tick = { 0, TICK_MS * 1000000L };
		int64_t now;
		pid_t dead;
		int status;

		int limit;

		while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < n; i++) {
				if (pids[i] != dead)
					continue;
				report_death(what, dead, status);
				pids[i] = 0;
				busy_since[i] = 0;
				/* Exiting on its own with an error: wait a second. */
				restart_at[i] = mono_now() +
				    (WIFEXITED(status) && WEXITSTATUS(status) != 0);
				if (WIFSIGNALED(status))
					strict_until = mono_now() + stuck_seconds;
			}
		}
		now = mono_now();
		limit = now < strict_until && stuck_seconds > ORPHANED_WAIT_SECONDS ?
		    ORPHANED_WAIT_SECONDS : stuck_seconds;
		for (int i = 0; i < n && !stopping; i++) {
			int64_t since = busy_since[i];

			if (pids[i] == 0 && now >= restart_at[i])
				pids[i] = spawn(i, fn, arg);
			else if (pids[i] > 0 && since && now - since > limit) {
				log_warn("%s %ld has been busy for %lld s; killing it",
				    what, (long)pids[i], (long long)(now - since));
				kill(pids[i], SIGKILL);
				busy_since[i] = 0;	/* reaped and replaced next tick */
			}
		}
		nanosleep(&tick, NULL);
	}
	stop_children(pids, n);
	munmap((void *)busy_since, sizeof *busy_since * (size_t)n);
	busy_since = NULL;
	return 0;
}
