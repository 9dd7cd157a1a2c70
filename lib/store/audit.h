/* audit.h: the append-only audit log */
#ifndef HEARTH_STORE_AUDIT_H
#define HEARTH_STORE_AUDIT_H

#include <db.h>

/* Entries are {"at" (unix µs), "user", "ip", "action", "cand", "detail"};
 * STORE_AUDIT_CAND indexes those whose "cand" is set. */
int store_audit_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

#endif
