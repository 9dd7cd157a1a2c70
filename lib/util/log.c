/* log.c: one line per event, with time, program and pid */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static const char *const level_names[LOG_LV__MAX] = {
	[LOG_LV_ERROR] = "error",
	[LOG_LV_WARN] = "warn",
	[LOG_LV_INFO] = "info",
	[LOG_LV_DEBUG] = "debug",
};
static const int syslog_prio[LOG_LV__MAX] = {
	[LOG_LV_ERROR] = LOG_ERR,
	[LOG_LV_WARN] = LOG_WARNING,
	[LOG_LV_INFO] = LOG_INFO,
	[LOG_LV_DEBUG] = LOG_DEBUG,
};

static const char *log_prog = "hearth";
static enum log_level log_threshold = LOG_LV_INFO;
static int log_syslog;

void
log_setup(const char *prog, const char *level_name, int use_syslog)
{
	log_prog = prog;
	log_threshold = LOG_LV_INFO;
	for (int i = 0; level_name && i < LOG_LV__MAX; i++)
		if (strcmp(level_name, level_names[i]) == 0)
			log_threshold = i;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(prog, LOG_PID, LOG_DAEMON);
}

void
log_msg(enum log_level lv, const char *fmt, ...)
{
	va_list ap;

	if (lv > log_threshold)
		return;
	va_start(ap, fmt);
	if (log_syslog) {
		vsyslog(syslog_prio[lv], fmt, ap);
	} else {
		char line[1024], stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		vsnprintf(line, sizeof line, fmt, ap);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		/* One write per line so concurrent workers never interleave. */
		dprintf(STDERR_FILENO, "%s %s[%ld] %s: %s\n", stamp, log_prog,
		    (long)getpid(), level_names[lv], line);
	}
	va_end(ap);
}
