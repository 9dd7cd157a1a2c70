/* mails.c: the mail queue and the outbox as the back office shows them */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "crm/mails.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

static int
add_mail(uint64_t id, json_t *mail, void *ctx)
{
	json_object_set_new(mail, "id", json_integer((json_int_t)id));
	return json_array_append(ctx, mail) == 0 ? HE_OK : HE_NOMEM;
}

int
mails_page(struct store *st, size_t page, size_t per_page, json_t **mails,
    int *more)
{
	json_t *a = json_array();
	int rc;

	if (a == NULL)
		return HE_NOMEM;
	/* One more than a page: whether older ones follow. */
	rc = store_mail_newest(st, NULL, (page - 1) * per_page, per_page + 1,
	    add_mail, a);
	if (rc != HE_OK) {
		json_decref(a);
		return rc;
	}
	*more = json_array_size(a) > per_page;
	if (*more)
		json_array_remove(a, per_page);
	*mails = a;
	return HE_OK;
}

int
mails_get(struct store *st, uint64_t id, json_t **mail)
{
	return store_mail_get(st, NULL, id, mail);
}

int
mails_eml(const char *outbox_dir, uint64_t id, size_t max, char **text,
    size_t *len)
{
	char path[4096];
	char *buf;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%llu.eml", outbox_dir,
	    (unsigned long long)id);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? HE_NOTFOUND : HE_IO;
	if ((buf = malloc(max + 1)) == NULL) {
		close(fd);
		return HE_NOMEM;
	}
	*len = 0;
	while (*len < max && (n = read(fd, buf + *len, max - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	buf[*len] = '\0';
	*text = buf;
	return HE_OK;
}
