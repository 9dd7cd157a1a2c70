/* request.c: ClearSilver's cgiwrap bound to the current FastCGI request */
#include <stdlib.h>
#include <string.h>

#include "util/supervise.h"
#include "web/web_int.h"

int
web_read(struct web_conn *c, void *buf, int len)
{
	int n;

	/* Apache streams a body as the client sends it, so this may wait on
	 * a slow client for long. Waiting holds no database lock: it is not
	 * what the supervisor's stuck-worker limit is for. */
	sv_idle();
	n = FCGX_GetStr(buf, len, c->fcgi.in);
	sv_busy();
	return n;
}

/* cgi_parse reads a url-encoded body through this. */
static int
cb_read(void *data, char *buf, int len)
{
	return web_read(data, buf, len);
}

static int
cb_writef(void *data, const char *fmt, va_list ap)
{
	return FCGX_VFPrintF(((struct web_conn *)data)->fcgi.out, fmt, ap);
}

static int
cb_write(void *data, const char *buf, int len)
{
	return FCGX_PutStr(buf, len, ((struct web_conn *)data)->fcgi.out);
}

/* FNV-1a over the n bytes of a variable's name. */
static unsigned
name_hash(const char *name, size_t n)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* The "NAME=value" entry for name, or NULL: open addressing, linear probes. */
static const char *
env_entry(struct web_conn *c, const char *name)
{
	size_t n = strlen(name);
	unsigned i = name_hash(name, n) & (WEB_ENV_SLOTS - 1);

	for (; c->env_slot[i]; i = (i + 1) & (WEB_ENV_SLOTS - 1))
		if (strncmp(c->env_slot[i], name, n) == 0 && c->env_slot[i][n] == '=')
			return c->env_slot[i];
	return NULL;
}

/* Indexes envp; a request with more variables than fit keeps the first
 * ones (the table is never more than half full: later ones are dropped). */
static void
index_env(struct web_conn *c)
{
	size_t used = 0;

	memset(c->env_slot, 0, sizeof c->env_slot);
	for (char **e = c->fcgi.envp; e && *e && used < WEB_ENV_SLOTS / 2; e++) {
		const char *eq = strchr(*e, '=');
		unsigned i;

		if (eq == NULL)
			continue;
		i = name_hash(*e, (size_t)(eq - *e)) & (WEB_ENV_SLOTS - 1);
		while (c->env_slot[i])
			i = (i + 1) & (WEB_ENV_SLOTS - 1);
		c->env_slot[i] = *e;
		used++;
	}
}

/* cgiwrap frees what these return: always a malloc'd copy. */
static char *
cb_getenv(void *data, const char *name)
{
	const char *e = env_entry(data, name);

	return e ? strdup(strchr(e, '=') + 1) : NULL;
}

static int
cb_putenv(void *data, const char *name, const char *value)
{
	(void)data;
	(void)name;
	(void)value;
	return 0;	/* requests never change their own environment */
}

int
web_env_split(const char *entry, char **k, char **v)
{
	const char *eq = strchr(entry, '=');

	*k = *v = NULL;
	if (eq == NULL)
		return 0;
	*k = strndup(entry, (size_t)(eq - entry));
	*v = strdup(eq + 1);
	if (*k == NULL || *v == NULL) {
		free(*k);
		free(*v);
		*k = *v = NULL;
		return 1;
	}
	return 0;
}

static int
cb_iterenv(void *data, int num, char **k, char **v)
{
	char **envp = ((struct web_conn *)data)->fcgi.envp;

	*k = NULL;
	*v = NULL;
	for (int i = 0; i < num; i++)
		if (envp[i] == NULL)
			return 0;
	return envp[num] ? web_env_split(envp[num], k, v) : 0;
}

void
web_cgiwrap_install(struct web_conn *c)
{
	index_env(c);
	/* cgiwrap is one process-wide global: point it at this request. */
	cgiwrap_init_emu(c, cb_read, cb_writef, cb_write, cb_getenv, cb_putenv,
	    cb_iterenv);
}
