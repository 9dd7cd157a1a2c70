/* log.h: the logger (stderr or syslog) */
#ifndef HEARTH_LOG_H
#define HEARTH_LOG_H

enum log_level { LOG_LV_ERROR, LOG_LV_WARN, LOG_LV_INFO, LOG_LV_DEBUG, LOG_LV__MAX };

/*
 * Names the program in every line and picks the sink. level_name is one of
 * "error", "warn", "info", "debug" (unknown names mean "info"). With
 * use_syslog the lines go to syslog(3) under the daemon facility.
 */
void log_setup(const char *prog, const char *level_name, int use_syslog);

/* One line; printf-style. Never pass user data as the format. */
void log_msg(enum log_level lv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LV_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LV_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LV_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LV_DEBUG, __VA_ARGS__)

#endif
