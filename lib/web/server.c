/* server.c: the prefork FastCGI server: supervisor, workers, request loop */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"
#include "util/supervise.h"
#include "web/web_int.h"

#define WORKERS_MAX 256
#define EXIT_RESPAWN 3		/* a worker asking to be replaced */
#define BACKLOG 1024

static volatile sig_atomic_t stopping;

/*
 * Reads what is left of the request body, up to the route's body cap
 * (Web.MaxUpload on upload routes, else Web.MaxBody), and says
 * whether it was all read. Once it is, the connection can be closed at
 * once (FCGX_Detach) instead of libfcgi's lingering close, which shuts it
 * down and waits up to 2 s for the web server to close its end first: a
 * sleep and a wake-up less per request. A body over the cap (answered
 * 413) is read no further than the cap and keeps the lingering close:
 * closing a socket with unread data resets it, and Apache then fails the
 * backend.
 */
static int
body_drained(struct web_conn *c)
{
	char buf[4096];
	size_t left = c->body_cap;
	int n;

	while ((n = web_read(c, buf, sizeof buf)) > 0) {
		if ((size_t)n > left)
			return 0;
		left -= (size_t)n;
	}
	return n == 0 && FCGX_HasSeenEOF(c->fcgi.in) == EOF;
}

/* A worker may sit in a read on its web server's connection; libfcgi
 * retries an interrupted read unless told that shutdown is pending. */
static void
on_worker_stop(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

/* One line per route: method, path, then its flags joined by commas,
 * with the roles it is limited to as roles=a+b (none: any signed-in user). */
static void
print_routes(const struct web_app *app)
{
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct web_route *r = &app->routes[i];
		const char *sep = ",roles=";

		printf("%s %s %s%s%s", web_method_names[r->method], r->path,
		    r->flags & WEB_R_AUTH ? "auth" : "public",
		    r->method == WEB_POST && !(r->flags & WEB_R_NOCSRF) ? ",csrf" : "",
		    r->flags & WEB_R_UPLOAD ? ",upload" : "");
		for (unsigned b = 0; b < 32 && r->roles >> b; b++) {
			const char *name = NULL;

			if (!(r->roles & (1u << b)))
				continue;
			for (unsigned n = 0; app->role_names && app->role_names[n]; n++)
				if (n == b)
					name = app->role_names[n];
			if (name)
				printf("%s%s", sep, name);
			else
				printf("%s%u", sep, b);
			sep = "+";
		}
		putchar('\n');
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
	c->body_cap = c->max_body;	/* web_dispatch raises it for upload routes */
	c->body = NULL;
	c->mp = (struct web_mp){ NULL, 0 };
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
	web_mp_free(&c->mp);
	if (c->body_mapped)
		munmap(c->body, c->body_mapped);
	else
		free(c->body);
	c->body = NULL;
	c->body_mapped = 0;
	string_clear(&c->cookies);
}

struct worker_arg {
	const struct web_app *app;
	struct web_conn *c;
	int sock;
};

/* A worker's life: open what the app needs, then serve until told to stop
 * or until the database asks for recovery (HE_PANIC). */
static void
worker_run(void *arg)
{
	const struct web_app *app = ((struct worker_arg *)arg)->app;
	struct web_conn *c = ((struct worker_arg *)arg)->c;
	int sock = ((struct worker_arg *)arg)->sock;
	void *ctx = NULL;

	sv_handle(SIGTERM, on_worker_stop);
	sv_handle(SIGINT, SIG_IGN);	/* Ctrl-C goes to the supervisor */
	signal(SIGPIPE, SIG_IGN);
	if (app->worker_init && app->worker_init(c->conf, &ctx) != HE_OK) {
		log_error("worker cannot start; the supervisor will retry");
		_exit(EXIT_RESPAWN);
	}
	sv_idle();
	FCGX_InitRequest(&c->fcgi, sock, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stopping && !c->panic && FCGX_Accept_r(&c->fcgi) >= 0) {
		sv_busy();
		serve_one(c, ctx);
		if (body_drained(c))
			FCGX_Detach(&c->fcgi);
		FCGX_Finish_r(&c->fcgi);
		sv_idle();
	}
	if (app->worker_fini)
		app->worker_fini(ctx);
	_exit(c->panic ? EXIT_RESPAWN : 0);
}

/* A byte count from the configuration; a negative one counts as 0. */
static size_t
conf_size(HDF *conf, const char *key, long def)
{
	long v = conf_int(conf, key, def);

	return v > 0 ? (size_t)v : 0;
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
	struct worker_arg warg;
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
	c.max_body = conf_size(c.conf, "Web.MaxBody", 65536);
	c.max_upload = conf_size(c.conf, "Web.MaxUpload", 6291456);
	c.max_import = conf_size(c.conf, "Web.MaxImport", 268435456);
	c.templates = conf_path(c.conf, "Web.Templates", "templates");
	if (workers < 1)
		workers = conf_int(c.conf, "Web.Workers", 4);
	if (workers < 1 || workers > WORKERS_MAX) {
		log_error("Web.Workers must be 1..%d", WORKERS_MAX);
		return 1;
	}
	c.limit_max = (unsigned)conf_int(c.conf, "Web.RateLimit.Max", 10);
	c.limit_window = (unsigned)conf_int(c.conf, "Web.RateLimit.Window", 600);
	if (load_site_key(&c) != HE_OK || web_limiter_create(&c.limiter) != HE_OK)
		return 1;
	if (app->prefork && app->prefork(c.conf) != HE_OK) {
		log_error("cannot prepare the workers");
		return 1;
	}
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
	signal(SIGPIPE, SIG_IGN);
	warg = (struct worker_arg){ app, &c, sock };
	sv_run((int)workers, worker_run, &warg,
	    (int)conf_int(c.conf, "Web.StuckSeconds", 5), "worker");
	unlink(sock_path);
	free(sock_path);
	log_info("stopped");
	return 0;
}
