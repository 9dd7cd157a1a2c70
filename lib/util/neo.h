/* neo.h: ClearSilver NEOERR translated at the boundary */
#ifndef HEARTH_NEO_H
#define HEARTH_NEO_H

#include <ClearSilver.h>

/*
 * Consumes err (frees it; NULL means success) and returns the matching
 * HE_* code, logging the ClearSilver message under `what` for operators.
 */
int neo_consume(NEOERR *err, const char *what);

#endif
