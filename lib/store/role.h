/* role.h: roles (requisitions), their pipelines and new-match alerts in the store */
#ifndef HEARTH_STORE_ROLE_H
#define HEARTH_STORE_ROLE_H

#include <db.h>

/* STORE_PIPE keys are the role id then the candidate id (8 bytes each,
 * big-endian); STORE_PIPE_CAND indexes them by the candidate id. */
int store_pipe_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

#endif
