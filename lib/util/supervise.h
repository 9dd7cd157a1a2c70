/* supervise.h: keeping child processes alive, and replacing stuck ones */
#ifndef HEARTH_SUPERVISE_H
#define HEARTH_SUPERVISE_H

/* A child's body: runs in the forked process and must not return. */
typedef void (*sv_child_fn)(void *arg);

/*
 * Forks n children running fn(arg) and keeps them alive until SIGTERM or
 * SIGINT reaches this process: a child that exits or is killed is replaced
 * (after a short pause if it exited non-zero, so a failing start is not a
 * hot loop). A child that has been busy (between sv_busy() and sv_idle())
 * for more than stuck_seconds is killed with SIGKILL and replaced: a
 * process blocked on a lock that a dead process held never comes back by
 * itself. Right after a child is killed by a signal, the limit for its
 * siblings is a couple of seconds. Children die with their supervisor. what names the children in the log. Returns 0 after stopping
 * every child (SIGTERM, then SIGKILL after a grace period).
 */
int sv_run(int n, sv_child_fn fn, void *arg, int stuck_seconds,
    const char *what);

/* Installs fn for sig without SA_RESTART, so blocking calls return EINTR. */
void sv_handle(int sig, void (*fn)(int));

/* In a child: marks the start and the end of a unit of work. */
void sv_busy(void);
void sv_idle(void);

#endif
