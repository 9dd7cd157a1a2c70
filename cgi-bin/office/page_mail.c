/* page_mail.c: the mail queue: what was sent, what waits, what failed */
#include <stdio.h>
#include <stdlib.h>

#include "cgi-bin/office/office.h"
#include "crm/mails.h"
#include "util/he.h"

#define PER_PAGE 50
#define EML_MAX (256 * 1024)	/* shown of one message */

void
page_mails(struct web_req *req)
{
	struct office *o = req->ctx;
	size_t page = req->v[LIST_PAGE].present && req->v[LIST_PAGE].num ?
	    req->v[LIST_PAGE].num : 1;
	json_t *mails, *m;
	char name[64];
	size_t i;
	int more, rc;

	if ((rc = mails_page(o->st, page, PER_PAGE, &mails, &more)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	json_array_foreach(mails, i, m) {
		snprintf(name, sizeof name, "Page.mails.%zu", i);
		office_set_fields(req, name, m);
		snprintf(name, sizeof name, "Page.mails.%zu.when", i);
		office_set_time(req, name, json_object_get(m, "created"), 1);
		snprintf(name, sizeof name, "Page.mails.%zu.sent_at", i);
		office_set_time(req, name, json_object_get(m, "sent"), 0);
	}
	json_decref(mails);
	web_set_int(req, "Page.page", (long long)page);
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)page - 1);
	if (more)
		web_set_int(req, "Page.next", (long long)page + 1);
	web_render(req, 200, "office/mails.cs");
}

void
page_mail(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *mail;
	char *text;
	size_t len;
	int rc;

	if ((rc = mails_get(o->st, req->v[0].num, &mail)) == HE_NOTFOUND) {
		web_error(req, 404, "There is no such mail: it may have been erased "
		    "with its recipient's data.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	office_set_fields(req, "Page.mail", mail);
	web_set_int(req, "Page.mail.id", (long long)req->v[0].num);
	office_set_time(req, "Page.mail.when", json_object_get(mail, "created"), 1);
	office_set_time(req, "Page.mail.sent_at", json_object_get(mail, "sent"), 0);
	json_decref(mail);
	rc = mails_eml(o->outbox_dir, req->v[0].num, EML_MAX, &text, &len);
	if (rc == HE_OK) {
		web_set(req, "Page.eml", text);
		free(text);
	} else if (rc != HE_NOTFOUND) {
		web_fail(req, rc);
		return;
	}
	web_render(req, 200, "office/mail.cs");
}
