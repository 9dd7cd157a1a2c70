/* outbox.c: due mail rendered from templates/mail and handed to lib/net */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/clock.h"
#include "crm/outbox.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"
#include "util/tmpl.h"

#define RETRY_BASE 60		/* seconds before the first retry */
#define RETRY_MAX (6 * 3600)
#define ATTEMPTS_MAX 20

/* The kinds of mail there are; the kind names the templates. */
static const char *const mail_kinds[] = { "welcome" };

static int
known_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof mail_kinds / sizeof *mail_kinds; i++)
		if (strcmp(kind, mail_kinds[i]) == 0)
			return 1;
	return 0;
}

struct claim {
	int64_t now;
	uint64_t id;
	json_t *mail;
};

/* Records the attempt and schedules the next one before anything is sent:
 * a worker killed mid-send finds the mail again when that time comes. */
static int
claim_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct claim *c = arg;
	json_int_t attempts;
	int64_t wait;
	int rc;

	json_decref(c->mail);
	c->mail = NULL;
	if ((rc = store_mail_next_due(st, txn, c->now, &c->id, &c->mail)) != HE_OK)
		return rc;
	attempts = json_integer_value(json_object_get(c->mail, "attempts")) + 1;
	wait = RETRY_BASE << (attempts < 10 ? attempts - 1 : 9);
	if (wait > RETRY_MAX)
		wait = RETRY_MAX;
	json_object_set_new(c->mail, "attempts", json_integer(attempts));
	json_object_set_new(c->mail, "due", json_integer(c->now + wait));
	json_object_set_new(c->mail, "state", json_string("sending"));
	return store_mail_put(st, txn, c->id, c->mail);
}

struct settle {
	uint64_t id;
	json_t *mail;
	int outcome;
	int64_t now;
};

static int
settle_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct settle *s = arg;
	json_int_t attempts = json_integer_value(json_object_get(s->mail, "attempts"));

	if (s->outcome == HE_OK) {
		json_object_set_new(s->mail, "state", json_string("sent"));
		json_object_set_new(s->mail, "sent", json_integer(s->now));
		json_object_del(s->mail, "due");
	} else if (s->outcome == HE_INVALID || attempts >= ATTEMPTS_MAX) {
		json_object_set_new(s->mail, "state", json_string("failed"));
		json_object_del(s->mail, "due");
	} else {
		json_object_set_new(s->mail, "state", json_string("queued"));
	}
	return store_mail_put(st, txn, s->id, s->mail);
}

static int
render(const struct outbox_cfg *cfg, json_t *mail, const char *part, char **out)
{
	HDF *hdf;
	char file[128];
	size_t len;
	int rc;

	if ((rc = neo_consume(hdf_init(&hdf), "outbox: hdf_init")) != HE_OK)
		return rc;
	rc = neo_consume(hdf_set_value(hdf, "hdf.loadpaths.0", cfg->templates),
	    "outbox: loadpaths");
	if (rc == HE_OK)
		rc = neo_consume(hdf_copy(hdf, "Site", cfg->site), "outbox: site");
	if (rc == HE_OK)
		rc = neo_consume(hdf_set_value(hdf, "Mail.to_name",
		    json_string_value(json_object_get(mail, "to_name"))), "outbox");
	if (rc == HE_OK)
		rc = neo_consume(hdf_set_value(hdf, "Mail.to",
		    json_string_value(json_object_get(mail, "to"))), "outbox");
	if (rc == HE_OK) {
		snprintf(file, sizeof file, "mail/%s.%s.cs",
		    json_string_value(json_object_get(mail, "kind")), part);
		rc = tmpl_render(hdf, file, TMPL_ESC_NONE, out, &len);
	}
	hdf_destroy(&hdf);
	return rc;
}

static int
deliver(const struct outbox_cfg *cfg, struct mail_sender *sender, uint64_t id,
    json_t *mail, int64_t now)
{
	const char *kind = json_string_value(json_object_get(mail, "kind"));
	char *subject = NULL, *text = NULL, *msg = NULL, name[32];
	struct mail_msg m;
	size_t len;
	int rc;

	if (kind == NULL || !known_kind(kind)) {
		log_error("outbox: mail %llu has an unknown kind",
		    (unsigned long long)id);
		return HE_INVALID;
	}
	if ((rc = render(cfg, mail, "subject", &subject)) != HE_OK ||
	    (rc = render(cfg, mail, "txt", &text)) != HE_OK)
		goto out;
	/* A subject template may end in a newline; a header must not. */
	subject[strcspn(subject, "\r\n")] = '\0';
	m = (struct mail_msg){
		.from = cfg->from, .from_name = cfg->from_name,
		.to = json_string_value(json_object_get(mail, "to")),
		.to_name = json_string_value(json_object_get(mail, "to_name")),
		.subject = subject, .text = text, .msgid_domain = cfg->msgid_domain,
	};
	if (m.to == NULL) {
		rc = HE_INVALID;
		goto out;
	}
	if ((rc = mail_format(&m, (time_t)now, &msg, &len)) != HE_OK)
		goto out;
	snprintf(name, sizeof name, "%llu", (unsigned long long)id);
	rc = mail_sender_send(sender, name, cfg->from, m.to, msg, len);
out:
	free(subject);
	free(text);
	free(msg);
	return rc;
}

int
outbox_deliver_due(struct store *st, const struct outbox_cfg *cfg, size_t max,
    size_t *sent)
{
	struct mail_sender *sender;
	int rc;

	*sent = 0;
	/* One sender for the batch: over SMTP the mails share a connection. */
	if ((rc = mail_sender_new(&cfg->transport, &sender)) != HE_OK)
		return rc;
	for (size_t i = 0; i < max; i++) {
		struct claim c = { clock_now(), 0, NULL };
		struct settle s;

		rc = store_txn(st, claim_txn, &c);
		if (rc != HE_OK) {
			json_decref(c.mail);
			break;
		}
		s = (struct settle){ c.id, c.mail,
		    deliver(cfg, sender, c.id, c.mail, c.now), clock_now() };
		if (s.outcome == HE_NOMEM || s.outcome == HE_IO)
			s.outcome = HE_TEMPFAIL;
		rc = store_txn(st, settle_txn, &s);
		json_decref(c.mail);
		if (rc != HE_OK)
			break;
		if (s.outcome == HE_OK)
			(*sent)++;
	}
	mail_sender_free(sender);
	return rc == HE_NOTFOUND ? HE_OK : rc;
}
