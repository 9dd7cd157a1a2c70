/* layout.h: column mappings of CSV imports, remembered per header layout */
#ifndef HEARTH_STORE_LAYOUT_H
#define HEARTH_STORE_LAYOUT_H

#include <db.h>
#include <jansson.h>

struct store;

/*
 * STORE_LAYOUT: the hash of a normalised CSV header (a string, see
 * crm/import.h) -> {"header" [the header's cells], "map" {field: column
 * number from 1}, "user", "saved" (unix seconds)}. The header holds column
 * names only, never a person's data. Bodies passed in are borrowed; those
 * handed out are new references.
 */
int store_layout_get(struct store *st, DB_TXN *txn, const char *hash,
    json_t **body);
int store_layout_put(struct store *st, DB_TXN *txn, const char *hash,
    json_t *body);

#endif
