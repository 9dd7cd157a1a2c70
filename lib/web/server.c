/* server.c: the prefork FastCGI server: supervisor, workers, request loop */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"
#include "web/web_int.h"

#define WORKERS_MAX 256
#define EXIT_RESPAWN 3		/* a worker asking to be replaced */
#define BACKLOG 1024

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* A worker may sit in a read on a connection nginx keeps open; libfcgi
 * retries an interrupted read unless told that shutdown is pending. */
static void
on_worker_stop(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);	/* no SA_RESTART: waits wake up */
}

static void
print_routes(const struct web_app *app)
{
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct web_route *r = &app->routes[i];

		printf("%s %s %s%s\n", web_method_names[r->method], r->path,
		    r->flags & WEB_R_AUTH ? "auth" : "public",
		    r->method == WEB_POST && !(r->flags & WEB_R_NOCSRF) ? ",csrf" : "");
	}
}

/* One request, start to finish; everything it allocates is freed here. */
static void
serve_one(struct web_conn *c, void *ctx)
{
	struct web_req req = { .ctx = ctx, .conf = c->conf, .conn = c };
	HDF *hdf;
	int rc;

	c->answered = c->head = 0;
	c->cgi = NULL;
	string_init(&c->cookies);
	web_cgiwrap_install(c);
	if ((rc = neo_consume(hdf_init(&hdf), "hdf_init")) != HE_OK) {
		web_respond(c, 503, "text/plain", NULL, "busy\n", 5);
		goto out;
	}
	req.hdf = hdf;
	/* cgi_init reads the environment, query and cookies, never the body. */
	if ((rc = neo_consume(cgi_init(&c->cgi, hdf), "cgi_init")) != HE_OK) {
		req.hdf = NULL;	/* a failed cgi_init has freed hdf already */
		web_respond(c, 400, "text/plain", NULL, "Bad request\n", 12);
		goto out;
	}
	if (neo_consume(hdf_set_value(hdf, "hdf.loadpaths.0", c->templates),
	    "loadpaths") != HE_OK ||
	    neo_consume(hdf_copy(hdf, "Site", c->site), "site") != HE_OK) {
		web_fail(&req, HE_NOMEM);
		goto out;
	}
	req.remote_addr = hdf_get_value(hdf, "CGI.RemoteAddress", "");
	req.user_agent = hdf_get_value(hdf, "HTTP.UserAgent", "");
	web_dispatch(c, &req);
out:
	if (c->cgi)
		cgi_destroy(&c->cgi);	/* frees hdf too */
	string_clear(&c->cookies);
}

static void
worker_run(const struct web_app *app, struct web_conn *c, int sock)
{
	void *ctx = NULL;

	set_handler(SIGTERM, on_worker_stop);
	set_handler(SIGINT, SIG_IGN);	/* Ctrl-C goes to the supervisor */
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (app->worker_init && app->worker_init(c->conf, &ctx) != HE_OK) {
		log_error("worker cannot start; the supervisor will retry");
		_exit(EXIT_RESPAWN);
	}
	FCGX_InitRequest(&c->fcgi, sock, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stopping && !c->panic && FCGX_Accept_r(&c->fcgi) >= 0) {
		serve_one(c, ctx);
		FCGX_Finish_r(&c->fcgi);
	}
	if (app->worker_fini)
		app->worker_fini(ctx);
	_exit(c->panic ? EXIT_RESPAWN : 0);
}

static pid_t
spawn(const struct web_app *app, struct web_conn *c, int sock)
{
	pid_t pid = fork();

	if (pid == 0)
		worker_run(app, c, sock);
	if (pid < 0)
		log_error("fork: %s", strerror(errno));
	return pid;
}

/* Keeps n workers alive; a worker that dies (killed, crashed, or asking
 * after DB_RUNRECOVERY) is replaced, at most a few times a second. */
static int
supervise(const struct web_app *app, struct web_conn *c, int sock, int n)
{
	pid_t pids[WORKERS_MAX];
	int status;

	for (int i = 0; i < n; i++)
		pids[i] = spawn(app, c, sock);
	while (!stopping) {
		pid_t dead = waitpid(-1, &status, 0);

		if (dead < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < n; i++) {
			struct timespec pause = { 0, 100 * 1000 * 1000 };

			if (pids[i] != dead)
				continue;
			if (WIFSIGNALED(status))
				log_warn("worker %ld killed by signal %d; replacing it",
				    (long)dead, WTERMSIG(status));
			else if (WEXITSTATUS(status) != 0)
				log_warn("worker %ld exited with %d; replacing it",
				    (long)dead, WEXITSTATUS(status));
			if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_RESPAWN)
				nanosleep(&pause, NULL);	/* no hot loop */
			if (!stopping)
				pids[i] = spawn(app, c, sock);
		}
	}
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	return 0;
}

static int
load_site_key(struct web_conn *c)
{
	char *path = conf_path(c->conf, "Site.SecretFile", "var/secret");
	int rc = path ? tok_key_load(path, c->key) : HE_NOMEM;

	if (rc != HE_OK)
		log_error("cannot read the site key %s (%s): run 'hearthctl init'",
		    path ? path : "?", he_strerror(rc));
	free(path);
	return rc;
}

int
web_main(const struct web_app *app, int argc, char **argv)
{
	static struct web_conn c;
	const char *socket_arg = NULL;
	char *sock_path = NULL, *run_dir;
	long workers = -1;
	int sock;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--routes") == 0) {
			print_routes(app);
			return 0;
		} else if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
			socket_arg = argv[++i];
		} else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
			workers = strtol(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [--socket PATH] [--workers N] "
			    "[--routes]\n", app->name);
			return 2;
		}
	}
	if (conf_load(&c.conf) != HE_OK) {
		fprintf(stderr, "%s: cannot read the configuration\n", app->name);
		return 1;
	}
	log_setup(app->name, conf_str(c.conf, "Log.Level", "info"),
	    (int)conf_int(c.conf, "Log.Syslog", 0));
	c.app = app;
	c.site = hdf_get_obj(c.conf, "Site");
	c.secure = (int)conf_int(c.conf, "Site.Secure", 0);
	c.max_body = (size_t)conf_int(c.conf, "Web.MaxBody", 65536);
	c.templates = conf_path(c.conf, "Web.Templates", "templates");
	if (workers < 1)
		workers = conf_int(c.conf, "Web.Workers", 4);
	if (workers < 1 || workers > WORKERS_MAX) {
		log_error("Web.Workers must be 1..%d", WORKERS_MAX);
		return 1;
	}
	if (load_site_key(&c) != HE_OK)
		return 1;
	if (socket_arg) {
		sock_path = strdup(socket_arg);
	} else {
		run_dir = conf_path(c.conf, "Web.RunDir", "var/run");
		if (run_dir && asprintf(&sock_path, "%s/%s.sock", run_dir, app->name) < 0)
			sock_path = NULL;
		free(run_dir);
	}
	if (sock_path == NULL || c.templates == NULL)
		return 1;
	FCGX_Init();
	unlink(sock_path);	/* a stale socket from a killed run */
	if ((sock = FCGX_OpenSocket(sock_path, BACKLOG)) < 0 ||
	    chmod(sock_path, (mode_t)conf_int(c.conf, "Web.SocketMode", 0660)) != 0) {
		log_error("cannot listen on %s: %s", sock_path, strerror(errno));
		return 1;
	}
	log_info("listening on %s with %ld workers", sock_path, workers);
	set_handler(SIGTERM, on_stop);
	set_handler(SIGINT, on_stop);
	signal(SIGPIPE, SIG_IGN);
	supervise(app, &c, sock, (int)workers);
	unlink(sock_path);
	free(sock_path);
	log_info("stopped");
	return 0;
}
