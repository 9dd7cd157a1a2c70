/* outbox.c: due mail rendered from templates/mail and handed to lib/net */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/clock.h"
#include "crm/community.h"
#include "crm/outbox.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"
#include "util/tmpl.h"

#define RETRY_MAX (6 * 3600)
#define ATTEMPTS_MAX 20

/* The kinds of mail there are: the kind names the templates, and the
 * link the mail exists to deliver. */
static const struct mail_kind {
	const char *name;
	enum comm_link action;
	const char *path;	/* the page the action link opens */
} mail_kinds[] = {
	{ "confirm", COMM_LINK_CONFIRM, "/confirm" },
	{ "export", COMM_LINK_EXPORT, "/export" },
	{ "erase", COMM_LINK_ERASE, "/erase" },
};

static const struct mail_kind *
kind_of(const char *name)
{
	for (size_t i = 0; name && i < sizeof mail_kinds / sizeof *mail_kinds; i++)
		if (strcmp(name, mail_kinds[i].name) == 0)
			return &mail_kinds[i];
	return NULL;
}

struct claim {
	int64_t now;
	long retry_seconds;
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
	wait = (int64_t)c->retry_seconds << (attempts < 10 ? attempts - 1 : 9);
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
	json_t *cur;
	int rc;

	/* Erased while it was being sent: nothing of it may come back. */
	if ((rc = store_mail_get(st, txn, s->id, &cur)) != HE_OK)
		return rc;
	json_decref(cur);
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

/* The links of one mail, signed now: Mail.link (what the mail is for),
 * Mail.prefs_url, Mail.unsubscribe_url and the one-click address. */
struct links {
	char *action, *prefs, *unsubscribe, *one_click;
};

static int
sign(const struct outbox_cfg *cfg, enum comm_link link, uint64_t cand,
    const char *nonce, time_t from, const char *path, char **out)
{
	const char *base = hdf_get_value(cfg->site, "BaseURL", "");
	char *token;
	int rc = comm_link_sign(cfg->comm, link, cand, nonce, from, &token);

	if (rc != HE_OK)
		return rc;
	rc = asprintf(out, "%s%s?t=%s", base, path, token) < 0 ? HE_NOMEM : HE_OK;
	free(token);
	return rc;
}

static int
make_links(const struct outbox_cfg *cfg, const struct mail_kind *k,
    json_t *mail, int64_t now, struct links *l)
{
	uint64_t cand = (uint64_t)json_integer_value(json_object_get(mail, "cand"));
	/* A confirmation runs from when it was asked for, not from this try. */
	time_t created = (time_t)(json_integer_value(json_object_get(mail,
	    "created")) / 1000000);
	int rc;

	if (cand == 0)
		return HE_INVALID;
	rc = sign(cfg, k->action, cand, json_string_value(json_object_get(mail,
	    "nonce")), created, k->path, &l->action);
	if (rc == HE_OK)
		rc = sign(cfg, COMM_LINK_PREFS, cand, NULL, now, "/preferences",
		    &l->prefs);
	if (rc == HE_OK)
		rc = sign(cfg, COMM_LINK_UNSUBSCRIBE, cand, NULL, now, "/unsubscribe",
		    &l->unsubscribe);
	if (rc == HE_OK)
		rc = sign(cfg, COMM_LINK_UNSUBSCRIBE, cand, NULL, now,
		    "/unsubscribe/one-click", &l->one_click);
	return rc;
}

static void
free_links(struct links *l)
{
	free(l->action);
	free(l->prefs);
	free(l->unsubscribe);
	free(l->one_click);
}

static int
set(HDF *hdf, const char *name, const char *value)
{
	return neo_consume(hdf_set_value(hdf, name, value ? value : ""), name);
}

/* The data every part of a mail is rendered from. */
static int
mail_hdf(const struct outbox_cfg *cfg, json_t *mail, const struct links *l,
    HDF **out)
{
	HDF *hdf;
	int rc;

	if ((rc = neo_consume(hdf_init(&hdf), "outbox: hdf_init")) != HE_OK)
		return rc;
	rc = set(hdf, "hdf.loadpaths.0", cfg->templates);
	if (rc == HE_OK)
		rc = neo_consume(hdf_copy(hdf, "Site", cfg->site), "outbox: site");
	if (rc == HE_OK)
		rc = set(hdf, "Mail.to_name",
		    json_string_value(json_object_get(mail, "to_name")));
	if (rc == HE_OK)
		rc = set(hdf, "Mail.to", json_string_value(json_object_get(mail, "to")));
	if (rc == HE_OK)
		rc = set(hdf, "Mail.link", l->action);
	if (rc == HE_OK)
		rc = set(hdf, "Mail.prefs_url", l->prefs);
	if (rc == HE_OK)
		rc = set(hdf, "Mail.unsubscribe_url", l->unsubscribe);
	if (rc != HE_OK) {
		hdf_destroy(&hdf);
		return rc;
	}
	*out = hdf;
	return HE_OK;
}

static int
render(HDF *hdf, const char *kind, const char *part, enum tmpl_escape esc,
    char **out)
{
	char file[128];
	size_t len;

	snprintf(file, sizeof file, "mail/%s.%s.cs", kind, part);
	return tmpl_render(hdf, file, esc, out, &len);
}

static int
deliver(const struct outbox_cfg *cfg, struct mail_sender *sender, uint64_t id,
    json_t *mail, int64_t now)
{
	const struct mail_kind *k = kind_of(json_string_value(
	    json_object_get(mail, "kind")));
	char *subject = NULL, *text = NULL, *html = NULL, *msg = NULL;
	char name[32], msgid[128], mailto[600];
	struct links l = { NULL, NULL, NULL, NULL };
	struct mail_msg m;
	HDF *hdf = NULL;
	size_t len;
	int rc;

	if (k == NULL) {
		log_error("outbox: mail %llu has an unknown kind",
		    (unsigned long long)id);
		return HE_INVALID;
	}
	if ((rc = make_links(cfg, k, mail, now, &l)) != HE_OK ||
	    (rc = mail_hdf(cfg, mail, &l, &hdf)) != HE_OK ||
	    (rc = render(hdf, k->name, "subject", TMPL_ESC_NONE, &subject)) != HE_OK ||
	    (rc = render(hdf, k->name, "txt", TMPL_ESC_NONE, &text)) != HE_OK ||
	    (rc = render(hdf, k->name, "html", TMPL_ESC_HTML, &html)) != HE_OK)
		goto out;
	/* A subject template may end in a newline; a header must not. */
	subject[strcspn(subject, "\r\n")] = '\0';
	/* The same at every attempt: a resent mail can be recognised. */
	snprintf(msgid, sizeof msgid, "hearth.%llu.%lld@%s",
	    (unsigned long long)id,
	    (long long)json_integer_value(json_object_get(mail, "created")),
	    cfg->msgid_domain);
	snprintf(mailto, sizeof mailto, "mailto:%s?subject=unsubscribe",
	    cfg->unsubscribe_address);
	m = (struct mail_msg){
		.from = cfg->from, .from_name = cfg->from_name,
		.to = json_string_value(json_object_get(mail, "to")),
		.to_name = json_string_value(json_object_get(mail, "to_name")),
		.subject = subject, .text = text, .html = html,
		.message_id = msgid, .msgid_domain = cfg->msgid_domain,
		.unsubscribe_url = l.one_click, .unsubscribe_mailto = mailto,
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
	if (hdf)
		hdf_destroy(&hdf);
	free_links(&l);
	free(subject);
	free(text);
	free(html);
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
		struct claim c = { clock_now(), cfg->retry_seconds, 0, NULL };
		struct settle s;

		if ((rc = store_txn(st, claim_txn, &c)) != HE_OK) {
			json_decref(c.mail);
			break;
		}
		s = (struct settle){ c.id, c.mail,
		    deliver(cfg, sender, c.id, c.mail, c.now), clock_now() };
		if (s.outcome == HE_NOMEM || s.outcome == HE_IO)
			s.outcome = HE_TEMPFAIL;
		rc = store_txn(st, settle_txn, &s);
		json_decref(c.mail);
		if (rc == HE_NOTFOUND)
			rc = HE_OK;	/* erased meanwhile */
		if (rc != HE_OK)
			break;
		if (s.outcome == HE_OK)
			(*sent)++;
		/* The server is not taking mail now: the rest waits for the
		 * next pass instead of each failing in turn. */
		if (s.outcome == HE_TEMPFAIL)
			break;
	}
	mail_sender_free(sender);
	return rc == HE_NOTFOUND ? HE_OK : rc;
}
