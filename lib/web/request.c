/* request.c: ClearSilver's cgiwrap bound to the current FastCGI request */
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

static int
cb_read(void *data, char *buf, int len)
{
	return FCGX_GetStr(buf, len, ((struct web_conn *)data)->fcgi.in);
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

/* cgiwrap frees what these return: always a malloc'd copy. */
static char *
cb_getenv(void *data, const char *name)
{
	const char *v = FCGX_GetParam(name, ((struct web_conn *)data)->fcgi.envp);

	return v ? strdup(v) : NULL;
}

static int
cb_putenv(void *data, const char *name, const char *value)
{
	(void)data;
	(void)name;
	(void)value;
	return 0;	/* requests never change their own environment */
}

static int
cb_iterenv(void *data, int num, char **k, char **v)
{
	char **envp = ((struct web_conn *)data)->fcgi.envp;
	const char *eq;

	*k = NULL;
	*v = NULL;
	for (int i = 0; i < num; i++)
		if (envp[i] == NULL)
			return 0;
	if (envp[num] == NULL || (eq = strchr(envp[num], '=')) == NULL)
		return 0;
	*k = strndup(envp[num], (size_t)(eq - envp[num]));
	*v = strdup(eq + 1);
	if (*k == NULL || *v == NULL) {
		free(*k);
		free(*v);
		*k = *v = NULL;
		return 1;
	}
	return 0;
}

void
web_cgiwrap_install(struct web_conn *c)
{
	/* cgiwrap is one process-wide global: point it at this request. */
	cgiwrap_init_emu(c, cb_read, cb_writef, cb_write, cb_getenv, cb_putenv,
	    cb_iterenv);
}
