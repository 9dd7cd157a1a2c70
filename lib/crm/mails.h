/* mails.h: the mail queue and the outbox as the back office shows them */
#ifndef HEARTH_MAILS_H
#define HEARTH_MAILS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct store;

/* One page (1-based) of the mail queue, newest first: a JSON array of
 * mails, each with its "id"; *more says whether older ones follow. */
int mails_page(struct store *st, size_t page, size_t per_page, json_t **mails,
    int *more);

/* The queued mail id (a new reference), or HE_NOTFOUND. */
int mails_get(struct store *st, uint64_t id, json_t **mail);

/* The message written for mail id in the outbox directory (the embedded
 * default without a mail server): HE_NOTFOUND when there is none. At most
 * max bytes; *text is malloc'd and NUL-terminated. */
int mails_eml(const char *outbox_dir, uint64_t id, size_t max, char **text,
    size_t *len);

#endif
