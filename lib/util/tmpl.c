/* tmpl.c: the one place templates are turned into text */
#include <stdlib.h>
#include <string.h>

#include "util/he.h"
#include "util/neo.h"
#include "util/tmpl.h"

/* Parsing costs several times what rendering does, so each process parses
 * a template once and renders the tree with every request's data. */
#define TMPL_CACHE 32

struct parsed {
	char *file;
	enum tmpl_escape esc;
	HDF *base;		/* the parse-time data: escape mode, load paths */
	CSPARSE *cs;
};

static struct parsed cache[TMPL_CACHE];

static const char *const escape_modes[TMPL_ESC__MAX] = {
	[TMPL_ESC_HTML] = "html",
	[TMPL_ESC_NONE] = "none",
};

static NEOERR *
append_output(void *ctx, char *s)
{
	return string_append((STRING *)ctx, s);
}

static void
forget(struct parsed *p)
{
	cs_destroy(&p->cs);
	hdf_destroy(&p->base);
	free(p->file);
	memset(p, 0, sizeof *p);
}

/* Parses file the way every request sees it: escaping set before cs_init
 * (it is read only there), no debug dump, no timing footer. */
static NEOERR *
parse(struct parsed *p, HDF *data, const char *file, enum tmpl_escape esc)
{
	NEOERR *err;

	err = hdf_init(&p->base);
	if (err == STATUS_OK)
		err = hdf_set_value(p->base, "Config.VarEscapeMode", escape_modes[esc]);
	if (err == STATUS_OK)
		err = hdf_set_value(p->base, "Config.TimeFooter", "0");
	if (err == STATUS_OK)
		err = hdf_set_value(p->base, "Config.DebugEnabled", "0");
	if (err == STATUS_OK && hdf_get_obj(data, "hdf.loadpaths"))
		err = hdf_copy(p->base, "hdf.loadpaths", hdf_get_obj(data, "hdf.loadpaths"));
	if (err == STATUS_OK)
		err = cs_init(&p->cs, p->base);
	if (err == STATUS_OK)
		err = cgi_register_strfuncs(p->cs);
	if (err == STATUS_OK)
		err = cs_parse_file(p->cs, file);
	if (err == STATUS_OK && (p->file = strdup(file)) == NULL)
		err = nerr_raise(NERR_NOMEM, "template name");
	p->esc = esc;
	return err;
}

static struct parsed *
lookup(HDF *data, const char *file, enum tmpl_escape esc, int *rc)
{
	struct parsed *free_slot = NULL;

	for (int i = 0; i < TMPL_CACHE; i++) {
		if (cache[i].cs == NULL) {
			if (free_slot == NULL)
				free_slot = &cache[i];
			continue;
		}
		if (cache[i].esc == esc && strcmp(cache[i].file, file) == 0)
			return &cache[i];
	}
	if (free_slot == NULL)
		forget(free_slot = &cache[0]);	/* more templates than slots */
	if ((*rc = neo_consume(parse(free_slot, data, file, esc), file)) != HE_OK) {
		forget(free_slot);
		return NULL;
	}
	return free_slot;
}

int
tmpl_render(HDF *hdf, const char *file, enum tmpl_escape esc, char **out,
    size_t *len)
{
	struct parsed *p;
	STRING str;
	NEOERR *err;
	int rc = HE_OK;

	*out = NULL;
	*len = 0;
	if ((p = lookup(hdf, file, esc, &rc)) == NULL)
		return rc;
	string_init(&str);
	/* The tree renders against this request's data; set: writes land there. */
	p->cs->hdf = hdf;
	err = cs_render(p->cs, &str, append_output);
	p->cs->hdf = p->base;
	if (err != STATUS_OK) {
		string_clear(&str);
		forget(p);	/* a failed render may leave state behind: parse anew */
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
