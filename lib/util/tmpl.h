/* tmpl.h: ClearSilver template rendering into memory */
#ifndef HEARTH_TMPL_H
#define HEARTH_TMPL_H

#include <stddef.h>
#include <ClearSilver.h>

enum tmpl_escape { TMPL_ESC_HTML, TMPL_ESC_NONE, TMPL_ESC__MAX };

/*
 * Renders the template `file` (looked up along hdf.loadpaths) with the data
 * in hdf. TMPL_ESC_HTML escapes every var: (pages, HTML mail parts);
 * TMPL_ESC_NONE is for plain-text mail only. Debug dumps and the timing
 * footer are off whatever the HDF says. Each process parses a template
 * once (with the load paths of that first call) and keeps the tree: a
 * changed template is seen after the programs restart.
 * On HE_OK *out is malloc'd (NUL-terminated, *len bytes), caller frees.
 */
int tmpl_render(HDF *hdf, const char *file, enum tmpl_escape esc,
    char **out, size_t *len);

#endif
