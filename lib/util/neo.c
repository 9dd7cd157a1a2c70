/* neo.c: every NEOERR is logged and freed here */
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"

int
neo_consume(NEOERR *err, const char *what)
{
	STRING msg;
	int code;

	if (err == STATUS_OK)
		return HE_OK;
	if (nerr_match(err, NERR_NOMEM))
		code = HE_NOMEM;
	else if (nerr_match(err, NERR_NOT_FOUND))
		code = HE_NOTFOUND;
	else if (nerr_match(err, NERR_PARSE))
		code = HE_INVALID;
	else
		code = HE_IO;
	string_init(&msg);
	nerr_error_string(err, &msg);
	log_error("%s: %s", what, msg.buf ? msg.buf : "unknown ClearSilver error");
	string_clear(&msg);
	nerr_ignore(&err);
	return code;
}
