/* hello.c: the FastCGI baseline for `make bench`: the least work a libfcgi program can do per request */

/*
 * Usage: hello SOCKET_PATH WORKERS
 *
 * Same process model as Hearth's programs (one unix socket, a parent that preforks
 * WORKERS single-threaded FCGX_Accept_r loops), so the gap between this and Hearth's
 * figures is the cost of Hearth's own work per request, not of a different model.
 * Deliberately not supervised beyond that: a benchmark baseline must stay trivial.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

#define MAX_WORKERS 256

static const char response[] =
	"Status: 200 OK\r\n"
	"Content-Type: text/html; charset=utf-8\r\n"
	"\r\n"
	"<!doctype html><title>hello</title><p>hello</p>\n";

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void serve(int sock)
{
	FCGX_Request req;

	/* Die with the parent even if it is killed with -9: never leave workers behind. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (FCGX_InitRequest(&req, sock, 0) != 0)
		_exit(1);
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutStr(response, (int)sizeof(response) - 1, req.out);
		FCGX_Finish_r(&req);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	pid_t kids[MAX_WORKERS];
	struct sigaction sa;
	char *end;
	long n;
	int sock, i, live;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SOCKET_PATH WORKERS\n", argv[0]);
		return 2;
	}
	errno = 0;
	n = strtol(argv[2], &end, 10);
	if (errno || *end || n < 1 || n > MAX_WORKERS) {
		fprintf(stderr, "hello: WORKERS must be 1..%d\n", MAX_WORKERS);
		return 2;
	}
	if (FCGX_Init() != 0) {
		fprintf(stderr, "hello: FCGX_Init failed\n");
		return 1;
	}
	/* Same backlog as a busy FastCGI program would ask for; libfcgi unlinks a stale path. */
	sock = FCGX_OpenSocket(argv[1], 1024);
	if (sock < 0) {
		fprintf(stderr, "hello: cannot listen on %s\n", argv[1]);
		return 1;
	}
	/* nginx workers run as an unprivileged user: like Hearth's test override, open the socket up. */
	if (chmod(argv[1], 0666) != 0) {
		perror("hello: chmod");
		return 1;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			perror("hello: fork");
			n = i;
			stopping = 1;
			break;
		}
		if (kids[i] == 0)
			serve(sock);
	}

	live = (int)n;
	while (live > 0 && !stopping) {
		if (wait(NULL) > 0)
			live--;
		else if (errno != EINTR)
			break;
	}
	for (i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	unlink(argv[1]);
	return live == 0 && !stopping ? 1 : 0;
}
