/* tmpl.c: the one place templates are turned into text */
#include <stdlib.h>
#include <string.h>

#include "util/he.h"
#include "util/neo.h"
#include "util/tmpl.h"

static const char *const escape_modes[TMPL_ESC__MAX] = {
	[TMPL_ESC_HTML] = "html",
	[TMPL_ESC_NONE] = "none",
};

static NEOERR *
append_output(void *ctx, char *s)
{
	return string_append((STRING *)ctx, s);
}

int
tmpl_render(HDF *hdf, const char *file, enum tmpl_escape esc, char **out,
    size_t *len)
{
	CSPARSE *cs = NULL;
	STRING str;
	NEOERR *err;

	*out = NULL;
	*len = 0;
	string_init(&str);
	/* Must be in place before cs_init(): it is read only there. */
	err = hdf_set_value(hdf, "Config.VarEscapeMode", escape_modes[esc]);
	if (err == STATUS_OK)
		err = hdf_set_value(hdf, "Config.TimeFooter", "0");
	if (err == STATUS_OK)
		err = hdf_set_value(hdf, "Config.DebugEnabled", "0");
	if (err == STATUS_OK)
		err = cs_init(&cs, hdf);
	if (err == STATUS_OK)
		err = cgi_register_strfuncs(cs);
	if (err == STATUS_OK)
		err = cs_parse_file(cs, file);
	if (err == STATUS_OK)
		err = cs_render(cs, &str, append_output);
	cs_destroy(&cs);
	if (err != STATUS_OK) {
		string_clear(&str);
		return neo_consume(err, file);
	}
	if (str.buf == NULL) {
		*out = strdup("");
		return *out ? HE_OK : HE_NOMEM;
	}
	*out = str.buf;		/* STRING's buffer is malloc'd: hand it over */
	*len = (size_t)str.len;
	return HE_OK;
}
