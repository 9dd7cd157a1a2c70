/* campaign_mail.c: rendering a campaign's email step for one person */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/campaign_mail.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/campaign.h"
#include "crm/track.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/merge.h"
#include "util/neo.h"
#include "util/tmpl.h"

#define FAMILIES_MAX 64
#define TMPL_CACHE 64		/* parsed templates kept per process */
#define OWNER_CACHE 16
#define OWNER_TTL 60		/* seconds a user's name and signature are kept */
#define LINKS_MEMO 16

/* The site, as campaign_mail_configure copied it. */
static struct site {
	char *name, *base, *careers, *templates;
	char *family_id[FAMILIES_MAX], *family_label[FAMILIES_MAX];
	size_t nfamilies;
	HDF *hdf;		/* what the frame templates are rendered from */
} site;

static void
site_free(void)
{
	free(site.name);
	free(site.base);
	free(site.careers);
	free(site.templates);
	for (size_t i = 0; i < site.nfamilies; i++) {
		free(site.family_id[i]);
		free(site.family_label[i]);
	}
	if (site.hdf)
		hdf_destroy(&site.hdf);
	memset(&site, 0, sizeof site);
}

int
campaign_mail_configure(HDF *conf)
{
	int rc;

	site_free();
	site.name = strdup(conf_str(conf, "Site.Name", "Hearth"));
	site.base = strdup(conf_str(conf, "Site.BaseURL", ""));
	site.careers = strdup(conf_str(conf, "Site.CareersURL", ""));
	site.templates = conf_path(conf, "Web.Templates", "templates");
	for (HDF *h = hdf_get_child(conf, "Site.JobFamilies"); h &&
	    site.nfamilies < FAMILIES_MAX; h = hdf_obj_next(h)) {
		site.family_id[site.nfamilies] = strdup(hdf_obj_name(h));
		site.family_label[site.nfamilies] = strdup(hdf_obj_value(h) ?
		    hdf_obj_value(h) : hdf_obj_name(h));
		if (!site.family_id[site.nfamilies] ||
		    !site.family_label[site.nfamilies++])
			goto nomem;
	}
	if (!site.name || !site.base || !site.careers || !site.templates)
		goto nomem;
	if ((rc = neo_consume(hdf_init(&site.hdf), "campaign mail: hdf")) != HE_OK ||
	    (rc = neo_consume(hdf_set_value(site.hdf, "hdf.loadpaths.0",
	    site.templates), "campaign mail: hdf")) != HE_OK ||
	    (rc = neo_consume(hdf_set_value(site.hdf, "Site.Name", site.name),
	    "campaign mail: hdf")) != HE_OK) {
		site_free();
		return rc;
	}
	return HE_OK;
nomem:
	site_free();
	return HE_NOMEM;
}

const char *
campaign_mail_careers_url(void)
{
	return site.careers ? site.careers : "";
}

/* --- parsed templates, by their text */

struct cached {
	uint64_t hash;
	char *src;
	struct merge_tmpl *t;
};

static struct cached tcache[TMPL_CACHE];
static size_t tcache_next;

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int
parsed(const char *src, const struct merge_tmpl **out, char *err,
    size_t errlen)
{
	uint64_t h = fnv(src);
	struct cached *c;
	struct merge_tmpl *t;
	char *copy;
	int rc;

	for (size_t i = 0; i < TMPL_CACHE; i++)
		if (tcache[i].src && tcache[i].hash == h &&
		    strcmp(tcache[i].src, src) == 0) {
			*out = tcache[i].t;
			return HE_OK;
		}
	if ((rc = merge_parse(src, strlen(src), &t, err, errlen)) != HE_OK)
		return rc;
	if ((copy = strdup(src)) == NULL) {
		merge_free(t);
		return HE_NOMEM;
	}
	c = &tcache[tcache_next++ % TMPL_CACHE];
	free(c->src);
	merge_free(c->t);
	*c = (struct cached){ h, copy, t };
	*out = t;
	return HE_OK;
}

/* --- owners: a user's name and signature */

struct owner {
	uint64_t id;
	int64_t at;
	char *name, *signature;
};

static struct owner ocache[OWNER_CACHE];

static const struct owner *
owner_of(struct store *st, uint64_t id)
{
	int64_t now = clock_now();
	struct owner *o = &ocache[id % OWNER_CACHE];
	json_t *u;

	if (id == 0)
		return NULL;
	if (o->id == id && now - o->at < OWNER_TTL)
		return o;
	free(o->name);
	free(o->signature);
	memset(o, 0, sizeof *o);
	if (store_user_get(st, NULL, id, &u) != HE_OK)
		return NULL;
	o->name = strdup(json_string_value(json_object_get(u, "name")) ?: "");
	o->signature = strdup(json_string_value(json_object_get(u,
	    "signature")) ?: "");
	json_decref(u);
	if (o->name == NULL || o->signature == NULL) {
		free(o->name);
		free(o->signature);
		memset(o, 0, sizeof *o);
		return NULL;
	}
	o->id = id;
	o->at = now;
	return o;
}

/* --- one rendering */

struct ctx {
	const struct comm *c;
	const json_t *rec;
	const struct owner *owner;
	uint64_t mail;
	char *interests, *skills;
	char *prefs_url, *unsub_url;
	int failed;		/* a link could not be made */
	/* Tracked links made for this mail: the text and the HTML part
	 * carry the same ones, signed once. */
	struct { char *url, *link; } links[LINKS_MEMO];
	size_t nlinks;
};

/* A JSON array of strings joined with ", ", each through label (or as it is). */
static char *
joined(const json_t *a, int labels)
{
	char *out = NULL;
	size_t len = 0, i;
	json_t *v;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		return NULL;
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v), *l = s;

		if (s == NULL)
			continue;
		for (size_t k = 0; labels && k < site.nfamilies; k++)
			if (strcmp(site.family_id[k], s) == 0)
				l = site.family_label[k];
		fprintf(f, "%s%s", ftell(f) ? ", " : "", l);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static const char *
rec_str(const json_t *rec, const char *name)
{
	return json_string_value(json_object_get(rec, name));
}

static const char *
value(const char *field, void *arg)
{
	struct ctx *x = arg;

	if (strcmp(field, "interests") == 0) {
		if (x->interests == NULL)
			x->interests = joined(json_object_get(x->rec, "interests"), 1);
		return x->interests;
	}
	if (strcmp(field, "skills") == 0) {
		if (x->skills == NULL)
			x->skills = joined(json_object_get(x->rec, "skills"), 0);
		return x->skills;
	}
	if (strcmp(field, "owner_name") == 0)
		return x->owner ? x->owner->name : NULL;
	if (strcmp(field, "owner_signature") == 0)
		return x->owner ? x->owner->signature : NULL;
	if (strcmp(field, "site_name") == 0)
		return site.name ? site.name : "Hearth";
	if (strcmp(field, "prefs_url") == 0)
		return x->prefs_url;
	if (strcmp(field, "unsubscribe_url") == 0)
		return x->unsub_url;
	if (strcmp(field, "name") == 0 && !rec_str(x->rec, "name"))
		return rec_str(x->rec, "first_name");
	return rec_str(x->rec, field);
}

static char *
tracked(const char *url, void *arg)
{
	struct ctx *x = arg;
	char *out;
	int rc;

	if (x->mail == 0 || !track_url_ok(url))
		return NULL;
	for (size_t i = 0; i < x->nlinks; i++)
		if (strcmp(x->links[i].url, url) == 0)
			return strdup(x->links[i].link);
	if ((rc = track_click_url(x->c->key, site.base ? site.base : "",
	    x->mail, url, &out)) != HE_OK) {
		x->failed = rc;
		return NULL;
	}
	if (x->nlinks < LINKS_MEMO && (x->links[x->nlinks].url = strdup(url)) &&
	    (x->links[x->nlinks].link = strdup(out)))
		x->nlinks++;
	else if (x->nlinks < LINKS_MEMO)
		free(x->links[x->nlinks].url);
	return out;
}

static int
signed_url(const struct ctx *x, enum comm_link kind, uint64_t cand,
    const char *path, char **token, char **out)
{
	int rc = *token ? HE_OK : comm_link_sign(x->c, kind, cand, NULL,
	    (time_t)clock_now(), token);

	if (rc != HE_OK)
		return rc;
	return asprintf(out, "%s%s?t=%s", site.base, path, *token) < 0 ?
	    HE_NOMEM : HE_OK;
}

static int
set(const char *name, const char *v)
{
	return neo_consume(hdf_set_value(site.hdf, name, v ? v : ""), name);
}

/* The step's variant: its subject and body sources. */
static int
variant_of(const json_t *camp, int step, int variant, const char **subject,
    const char **body, char *err, size_t errlen)
{
	const json_t *s = json_array_get(json_object_get(camp, "steps"),
	    (size_t)step), *v;
	const char *type = json_string_value(json_object_get(s, "type"));

	if (step < 0 || s == NULL || type == NULL || strcmp(type, "email") != 0) {
		snprintf(err, errlen, "step %d is not an email", step + 1);
		return HE_INVALID;
	}
	v = json_array_get(json_object_get(s, "variants"), (size_t)variant);
	if (variant < 0 || v == NULL) {
		snprintf(err, errlen, "step %d has no variant %d", step + 1,
		    variant + 1);
		return HE_INVALID;
	}
	*subject = json_string_value(json_object_get(v, "subject"));
	*body = json_string_value(json_object_get(v, "body"));
	if (*subject == NULL || *body == NULL) {
		snprintf(err, errlen, "step %d, variant %d has no subject or body",
		    step + 1, variant + 1);
		return HE_INVALID;
	}
	return HE_OK;
}

static int
frame(const char *file, enum tmpl_escape esc, char **out)
{
	size_t len;

	return tmpl_render(site.hdf, file, esc, out, &len);
}

int
campaign_mail_render(struct store *st, const struct comm *c,
    const json_t *camp, int step, int variant, uint64_t cand,
    const json_t *rec, uint64_t mail_id, int track_opens,
    struct campaign_rendered *out, char *err, size_t errlen)
{
	const struct merge_tmpl *ts, *tb;
	const char *ssrc, *bsrc;
	struct ctx x = { .c = c, .rec = rec, .mail = mail_id };
	char *token = NULL, *body_text = NULL, *body_html = NULL,
	    *head = NULL, *foot = NULL, *foot_text = NULL, *pixel = NULL;
	char dummy[8];
	size_t len;
	uint64_t owner;
	int rc;

	memset(out, 0, sizeof *out);
	if (err == NULL) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	if (site.hdf == NULL) {
		snprintf(err, errlen, "campaign mail is not configured");
		return HE_INVALID;
	}
	if ((rc = variant_of(camp, step, variant, &ssrc, &bsrc, err, errlen)) !=
	    HE_OK)
		return rc;
	if ((rc = parsed(ssrc, &ts, err, errlen)) != HE_OK ||
	    (rc = parsed(bsrc, &tb, err, errlen)) != HE_OK)
		return rc;
	owner = (uint64_t)json_integer_value(json_object_get(rec, "owner"));
	if (owner == 0 || (x.owner = owner_of(st, owner)) == NULL)
		x.owner = owner_of(st, (uint64_t)json_integer_value(
		    json_object_get(camp, "owner")));
	/* A preview or a test send links to the pages, never for a person. */
	if (mail_id == 0) {
		if (asprintf(&x.prefs_url, "%s/preferences", site.base) < 0 ||
		    asprintf(&x.unsub_url, "%s/unsubscribe", site.base) < 0) {
			rc = HE_NOMEM;
			goto out;
		}
	} else if ((rc = signed_url(&x, COMM_LINK_PREFS, cand, "/preferences",
	    &token, &x.prefs_url)) != HE_OK ||
	    (free(token), token = NULL,
	    (rc = signed_url(&x, COMM_LINK_UNSUBSCRIBE, cand, "/unsubscribe",
	    &token, &x.unsub_url)) != HE_OK) ||
	    (rc = signed_url(&x, COMM_LINK_UNSUBSCRIBE, cand,
	    "/unsubscribe/one-click", &token, &out->one_click)) != HE_OK)
		goto out;
	if (mail_id && track_opens && (rc = track_open_url(c->key, site.base,
	    mail_id, &pixel)) != HE_OK)
		goto out;
	if ((rc = merge_render(ts, MERGE_SUBJECT, value, NULL, &x, &out->subject,
	    &len)) != HE_OK ||
	    (rc = merge_render(tb, MERGE_TEXT, value, tracked, &x, &body_text,
	    &len)) != HE_OK ||
	    (rc = merge_render(tb, MERGE_HTML, value, tracked, &x, &body_html,
	    &len)) != HE_OK)
		goto out;
	if (x.failed) {
		rc = x.failed;
		goto out;
	}
	if ((rc = set("Mail.subject", out->subject)) != HE_OK ||
	    (rc = set("Mail.prefs_url", x.prefs_url)) != HE_OK ||
	    (rc = set("Mail.unsubscribe_url", x.unsub_url)) != HE_OK ||
	    (rc = set("Mail.pixel_url", pixel)) != HE_OK ||
	    (rc = frame("mail/campaign_head.html.cs", TMPL_ESC_HTML, &head)) !=
	    HE_OK ||
	    (rc = frame("mail/campaign_foot.html.cs", TMPL_ESC_HTML, &foot)) !=
	    HE_OK ||
	    (rc = frame("mail/campaign_foot.txt.cs", TMPL_ESC_NONE,
	    &foot_text)) != HE_OK)
		goto out;
	if (asprintf(&out->text, "%s%s%s", body_text, body_text[0] &&
	    body_text[strlen(body_text) - 1] != '\n' ? "\n" : "", foot_text) < 0 ||
	    asprintf(&out->html, "%s%s%s", head, body_html, foot) < 0) {
		out->text = out->html = NULL;
		rc = HE_NOMEM;
	}
out:
	if (rc != HE_OK) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s", he_strerror(rc));
		campaign_rendered_free(out);
	}
	free(token);
	for (size_t i = 0; i < x.nlinks; i++) {
		free(x.links[i].url);
		free(x.links[i].link);
	}
	free(x.interests);
	free(x.skills);
	free(x.prefs_url);
	free(x.unsub_url);
	free(pixel);
	free(body_text);
	free(body_html);
	free(head);
	free(foot);
	free(foot_text);
	return rc;
}

void
campaign_rendered_free(struct campaign_rendered *r)
{
	free(r->subject);
	free(r->text);
	free(r->html);
	free(r->one_click);
	memset(r, 0, sizeof *r);
}

/* --- test sends */

struct test_send {
	uint64_t camp, cand, user;
	int step, variant;
};

static int
test_send_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct test_send *t = arg;
	int64_t now_us = clock_now_us();
	json_t *user, *cand, *mail;
	uint64_t id;
	int rc;

	if ((rc = store_user_get(st, txn, t->user, &user)) != HE_OK)
		return rc;
	if ((rc = store_cand_get(st, txn, t->cand, 0, &cand)) != HE_OK) {
		json_decref(user);
		return rc;
	}
	json_decref(cand);
	mail = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:i, s:s, s:I, s:I,"
	    " s:i}", "kind", "campaign_test",
	    "to", json_string_value(json_object_get(user, "email")) ?: "",
	    "to_name", json_string_value(json_object_get(user, "name")) ?: "",
	    "user", (json_int_t)t->user, "cand", (json_int_t)t->cand,
	    "camp", (json_int_t)t->camp, "step", t->step, "variant", t->variant,
	    "state", "queued", "created", (json_int_t)now_us,
	    "due", (json_int_t)(now_us / 1000000), "attempts", 0);
	json_decref(user);
	if (mail == NULL)
		return HE_NOMEM;
	rc = store_mail_insert(st, txn, mail, &id);
	json_decref(mail);
	return rc;
}

int
campaign_test_send(struct store *st, uint64_t camp, int step, int variant,
    uint64_t cand, uint64_t user)
{
	struct test_send t = { camp, cand, user, step, variant };
	const char *s, *b;
	json_t *body;
	char err[160];
	int rc;

	if ((rc = campaign_get(st, camp, &body)) != HE_OK)
		return rc;
	rc = variant_of(body, step, variant, &s, &b, err, sizeof err);
	json_decref(body);
	if (rc != HE_OK)
		return rc;
	return store_txn(st, test_send_txn, &t);
}
