/* page_campaign_view.c: a campaign's preview with a real candidate's data,
 * test sends, stats with A/B significance and winners, members, enrolment
 * by hand (candidate page) and by filter (candidate list), the person's
 * view of their campaigns */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/campaign.h"
#include "crm/campaign_mail.h"
#include "crm/candidates.h"
#include "util/abtest.h"
#include "util/he.h"
#include "util/text.h"

#define MEMBERS_PER_PAGE 50
#define SEARCH_MAX 10
#define WAVE_REFRESH 2

static const char *const preview_done[] = { "test", NULL };
static const char *const members_done[] = { "unenrol", NULL };
static const char *const backs[] = { "candidate", "members", NULL };

#define FIELD_CAMP(n) { n, WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT32_MAX, "Campaign", "Which campaign? The link or form is " \
	"incomplete: open the campaign again from the list.", NULL, NULL }

const struct web_field camp_preview_fields[] = {
	[CPV_ID] = FIELD_CAMP("id"),
	[CPV_STEP] = { "step", WEB_FT_UINT, 0, 30, "Step", NULL, NULL, NULL },
	[CPV_VARIANT] = { "variant", WEB_FT_UINT, 0, 3, "Variant", NULL, NULL,
	    NULL },
	[CPV_CAND] = { "cand", WEB_FT_UINT, 0, UINT32_MAX, "Candidate number",
	    NULL, NULL, NULL },
	[CPV_Q] = { "q", WEB_FT_TEXT, 0, QUERY_TEXT_MAX, "Find a candidate", NULL,
	    NULL, NULL },
	[CPV_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL, preview_done,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_test_fields[] = {
	[CTEST_ID] = FIELD_CAMP("id"),
	[CTEST_STEP] = { "step", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, 30,
	    "Step", "Please choose a step to preview first.", NULL, NULL },
	[CTEST_VARIANT] = { "variant", WEB_FT_UINT, WEB_FF_HIDDEN, 3, "Variant",
	    NULL, NULL, NULL },
	[CTEST_CAND] = { "cand", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT32_MAX, "Candidate", "Please choose whose data fills the mail "
	    "first.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_winner_fields[] = {
	[CWIN_ID] = FIELD_CAMP("id"),
	[CWIN_GEN] = { "gen", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    INT64_MAX, "Version", "This form is incomplete: open the stats "
	    "again.", NULL, NULL },
	[CWIN_STEP] = { "step", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, 30,
	    "Step", "Which step? Open the stats again.", NULL, NULL },
	[CWIN_VARIANT] = { "variant", WEB_FT_UINT, WEB_FF_REQUIRED |
	    WEB_FF_HIDDEN, 3, "Variant", "Which variant? Open the stats again.",
	    NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_members_fields[] = {
	[CMEM_ID] = FIELD_CAMP("id"),
	[CMEM_PAGE] = { "page", WEB_FT_UINT, 0, 1000000, "Page", NULL, NULL,
	    NULL },
	[CMEM_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL, members_done,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

#define FIELD_ENROL_CAND { "cand", WEB_FT_UINT, WEB_FF_REQUIRED | \
	WEB_FF_HIDDEN, UINT32_MAX, "Candidate", "Which candidate? Open their " \
	"profile again.", NULL, NULL }

const struct web_field camp_enrol_fields[] = {
	[CENROL_CAMP] = { "camp", WEB_FT_UINT, WEB_FF_REQUIRED, UINT32_MAX,
	    "Campaign", "Please choose a campaign.", NULL, NULL },
	[CENROL_CAND] = FIELD_ENROL_CAND,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_unenrol_fields[] = {
	[CENROL_CAMP] = FIELD_CAMP("camp"),
	[CENROL_CAND] = FIELD_ENROL_CAND,
	[CENROL_BACK] = { "back", WEB_FT_CHOICE, WEB_FF_HIDDEN, 0, "Back to",
	    NULL, backs, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_wave_fields[] = {
	[CWAVE_ID] = FIELD_CAMP("id"),
	[CWAVE_WAVE] = { "wave", WEB_FT_UINT, WEB_FF_REQUIRED, UINT64_MAX / 2,
	    "Enrolment", "Which enrolment? The address is missing its number.",
	    NULL, NULL },
	[CWAVE_REFRESH] = { "refresh", WEB_FT_UINT, 0, 1, "Refresh", NULL, NULL,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The name of a candidate for people, into buf. */
static void
person_name(json_t *rec, char *buf, size_t size)
{
	const char *n = json_string_value(json_object_get(rec, "name"));
	const char *f = json_string_value(json_object_get(rec, "first_name"));
	const char *l = json_string_value(json_object_get(rec, "last_name"));
	const char *e = json_string_value(json_object_get(rec, "email"));

	if (n && *n)
		snprintf(buf, size, "%s", n);
	else if ((f && *f) || (l && *l))
		snprintf(buf, size, "%s%s%s", f ? f : "", f && *f && l && *l ? " " : "",
		    l ? l : "");
	else
		snprintf(buf, size, "%s", e ? e : "(no name)");
}

/* The campaign's name and state as Page.camp. */
static void
set_camp_head(struct web_req *req, uint64_t id, json_t *camp)
{
	web_set_int(req, "Page.camp.id", (long long)id);
	web_set(req, "Page.camp.name", json_string_value(json_object_get(camp,
	    "name")));
	web_set(req, "Page.camp.state", json_string_value(json_object_get(camp,
	    "state")));
	web_set_int(req, "Page.camp.gen", json_integer_value(json_object_get(camp,
	    "gen")));
	web_set_int(req, "Page.camp.nsteps", (long long)json_array_size(
	    json_object_get(camp, "steps")));
}

/* ---- preview and test send ---- */

/* The email steps (Page.mail_steps) and the variants of the one chosen
 * (Page.variant_choices), for the preview's choice. */
static void
set_mail_steps(struct web_req *req, json_t *camp, size_t step, size_t variant)
{
	json_t *steps = json_object_get(camp, "steps"), *s, *v;
	size_t i, j, n = 0;
	char name[96];

	json_array_foreach(steps, i, s) {
		if (strcmp(json_string_value(json_object_get(s, "type")) ?: "",
		    "email") != 0)
			continue;
		snprintf(name, sizeof name, "Page.mail_steps.%zu.index", n);
		web_set_int(req, name, (long long)i);
		snprintf(name, sizeof name, "Page.mail_steps.%zu.number", n);
		web_set_int(req, name, (long long)i + 1);
		snprintf(name, sizeof name, "Page.mail_steps.%zu.subject", n);
		web_set(req, name, json_string_value(json_object_get(json_array_get(
		    json_object_get(s, "variants"), 0), "subject")));
		if (i == step) {
			snprintf(name, sizeof name, "Page.mail_steps.%zu.selected", n);
			web_set(req, name, "1");
			json_array_foreach(json_object_get(s, "variants"), j, v) {
				snprintf(name, sizeof name, "Page.variant_choices.%zu.index", j);
				web_set_int(req, name, (long long)j);
				snprintf(name, sizeof name, "Page.variant_choices.%zu.letter", j);
				web_set(req, name, (const char *[]){ "A", "B", "C", "D" }[j & 3]);
				if (j == variant) {
					snprintf(name, sizeof name,
					    "Page.variant_choices.%zu.selected", j);
					web_set(req, name, "1");
				}
			}
		}
		n++;
	}
}

/* Candidates whose records match q, as Page.found. */
static void
search(struct web_req *req, const char *text)
{
	struct office *o = req->ctx;
	struct cand_query q;
	uint64_t ids[SEARCH_MAX], total;
	size_t n;
	char err[200], name[96], who[300];

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	if (cand_query_parse(o->st, &q, err, sizeof err) != HE_OK) {
		web_form_error(req, "q", err);
		return;
	}
	if (cand_search(o->st, &q, SORT_NEWEST, 1, SEARCH_MAX, ids, &n, &total) !=
	    HE_OK)
		return;
	web_set_int(req, "Page.found_total", (long long)total);
	for (size_t i = 0; i < n; i++) {
		json_t *rec;

		if (cand_get(o->st, ids[i], &rec) != HE_OK)
			continue;
		person_name(rec, who, sizeof who);
		snprintf(name, sizeof name, "Page.found.%zu.id", i);
		web_set_int(req, name, (long long)ids[i]);
		snprintf(name, sizeof name, "Page.found.%zu.name", i);
		web_set(req, name, who);
		snprintf(name, sizeof name, "Page.found.%zu.email", i);
		web_set(req, name, json_string_value(json_object_get(rec, "email")));
		json_decref(rec);
	}
	web_set(req, "Page.searched", "1");
}

void
page_campaign_preview(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CPV_ID].num;
	size_t step = v[CPV_STEP].num, variant = v[CPV_VARIANT].num;
	json_t *camp = office_camp_load(req, id), *s, *rec = NULL;
	struct campaign_rendered out = { .subject = NULL };
	char err[300], who[300];
	int rc, status = 200;

	if (camp == NULL)
		return;
	set_camp_head(req, id, camp);
	s = json_array_get(json_object_get(camp, "steps"), step);
	if (!v[CPV_STEP].present || s == NULL || strcmp(json_string_value(
	    json_object_get(s, "type")) ?: "", "email") != 0) {
		/* The first email step, when none was chosen. */
		size_t i;

		s = NULL;
		json_array_foreach(json_object_get(camp, "steps"), i, s)
			if (strcmp(json_string_value(json_object_get(s, "type")) ?: "",
			    "email") == 0)
				break;
		step = i;
		variant = 0;
		if (s == NULL || step >= json_array_size(json_object_get(camp,
		    "steps")))
			s = NULL;
	}
	if (s && variant >= json_array_size(json_object_get(s, "variants")))
		variant = 0;
	set_mail_steps(req, camp, step, variant);
	web_set_int(req, "Page.step", (long long)step);
	web_set_int(req, "Page.step_number", (long long)step + 1);
	web_set_int(req, "Page.variant", (long long)variant);
	web_set(req, "Page.variant_letter", (const char *[]){ "A", "B", "C",
	    "D" }[variant & 3]);
	if (s == NULL)
		web_set(req, "Page.no_mail", "1");
	if (v[CPV_DONE].present)
		web_set(req, "Page.done", v[CPV_DONE].str);
	if (v[CPV_Q].present)
		search(req, v[CPV_Q].str);
	if (v[CPV_CAND].present) {
		rc = cand_get(o->st, v[CPV_CAND].num, &rec);
		if (rc == HE_NOTFOUND) {
			web_form_error(req, "cand", "There is no candidate with that "
			    "number. Find them by name instead.");
			status = 404;
		} else if (rc != HE_OK) {
			json_decref(camp);
			web_fail(req, rc);
			return;
		}
	}
	if (rec && s) {
		person_name(rec, who, sizeof who);
		web_set_int(req, "Page.cand.id", (long long)v[CPV_CAND].num);
		web_set(req, "Page.cand.name", who);
		web_set(req, "Page.cand.email", json_string_value(json_object_get(rec,
		    "email")));
		err[0] = '\0';
		/* Without the site key (comm_setup failed) no link can be signed. */
		rc = !o->have_comm ? (snprintf(err, sizeof err, "Previews need the "
		    "site's key and policy: see the set-up in the README."), HE_INVALID) :
		    campaign_mail_render(o->st, &o->comm, camp, (int)step, (int)variant,
		    v[CPV_CAND].num, rec, 0, 0, &out, err, sizeof err);
		if (rc == HE_OK) {
			web_set(req, "Page.mail.subject", out.subject);
			web_set(req, "Page.mail.text", out.text);
			web_set(req, "Page.mail.html", out.html);
			campaign_rendered_free(&out);
		} else if (rc == HE_INVALID) {
			web_set(req, "Page.render_error", err[0] ? err : "This mail "
			    "cannot be made from its template: check the step.");
		} else {
			json_decref(rec);
			json_decref(camp);
			web_fail(req, rc);
			return;
		}
	}
	json_decref(rec);
	json_decref(camp);
	web_render(req, status, "office/campaign_preview.cs");
}

void
page_campaign_test(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CTEST_ID].num;
	json_t *camp = office_camp_load(req, id);
	char path[160];
	int rc;

	if (camp == NULL)
		return;
	json_decref(camp);
	rc = campaign_test_send(o->st, id, (int)v[CTEST_STEP].num,
	    (int)v[CTEST_VARIANT].num, v[CTEST_CAND].num, req->user->id);
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "That candidate or step no longer exists. Open "
		    "the preview again.");
		return;
	}
	if (rc == HE_INVALID) {
		web_error(req, 400, "This step does not make a mail: check its "
		    "subject and message, then try again.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign/preview?id=%" PRIu64
	    "&step=%" PRIu64 "&variant=%" PRIu64 "&cand=%" PRIu64 "&done=test", id,
	    v[CTEST_STEP].num, v[CTEST_VARIANT].num, v[CTEST_CAND].num);
	web_redirect(req, 303, path);
}

/* ---- stats ---- */

static const char *const stat_metrics[] = { "sent", "delivered", "bounced",
	"opened", "clicked", "replied", "unsubscribed", "converted", NULL };

/* n of sent as a percentage for people ("12.5%"). */
static void
set_rate(struct web_req *req, const char *name, json_int_t n, json_int_t sent)
{
	char buf[32];

	if (sent <= 0)
		snprintf(buf, sizeof buf, "–");
	else
		snprintf(buf, sizeof buf, "%.1f%%", 100.0 * (double)n / (double)sent);
	web_set(req, name, buf);
}

/* The A/B test of email step s (index i) from its variants' counts. */
static void
set_ab(struct web_req *req, const char *prefix, json_t *s, json_t *counts,
    size_t nvar)
{
	struct office *o = req->ctx;
	const char *metric = json_string_value(json_object_get(json_object_get(s,
	    "ab"), "metric")) ?: "click";
	const char *key = strcmp(metric, "reply") == 0 ? "replied" : "clicked";
	uint64_t x[4], n[4];
	char name[160], buf[64];
	int best = 0, w;

	for (size_t j = 0; j < nvar && j < 4; j++) {
		char vk[24];
		json_t *c;

		snprintf(vk, sizeof vk, "%zu", j);
		c = json_object_get(counts, vk);
		x[j] = (uint64_t)json_integer_value(json_object_get(c, key));
		n[j] = (uint64_t)json_integer_value(json_object_get(c, "sent"));
		if (n[j] && (!n[best] || (double)x[j] / (double)n[j] >
		    (double)x[best] / (double)n[best]))
			best = (int)j;
	}
	snprintf(name, sizeof name, "%s.ab.metric", prefix);
	web_set(req, name, metric);
	snprintf(name, sizeof name, "%s.ab.leader", prefix);
	web_set(req, name, (const char *[]){ "A", "B", "C", "D" }[best]);
	/* The leader against each other variant. */
	for (size_t j = 0; j < nvar && j < 4; j++) {
		double z, p;

		if ((int)j == best)
			continue;
		snprintf(name, sizeof name, "%s.variants.%zu.p", prefix, j);
		if (ab_two_proportion(x[best], n[best], x[j], n[j], &z, &p) == HE_OK) {
			snprintf(buf, sizeof buf, "%.3f", p);
			web_set(req, name, buf);
			snprintf(name, sizeof name, "%s.variants.%zu.z", prefix, j);
			snprintf(buf, sizeof buf, "%.2f", z);
			web_set(req, name, buf);
			if (p < o->ab_alpha) {
				snprintf(name, sizeof name, "%s.variants.%zu.significant",
				    prefix, j);
				web_set(req, name, "1");
			}
		} else {
			web_set(req, name, "not enough data");
		}
	}
	w = ab_winner(x, n, (int)(nvar < 4 ? nvar : 4), o->ab_alpha, o->ab_min_sends);
	if (w >= 0) {
		snprintf(name, sizeof name, "%s.ab.suggested", prefix);
		web_set(req, name, (const char *[]){ "A", "B", "C", "D" }[w & 3]);
	}
}

void
page_campaign_stats(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id = req->v[CAMPID_ID].num;
	json_t *camp = office_camp_load(req, id), *stats = NULL, *s;
	size_t i, shown = 0;
	char name[160], prefix[96];
	int rc;

	if (camp == NULL)
		return;
	if ((rc = campaign_stats(o->st, id, &stats)) != HE_OK) {
		json_decref(camp);
		web_fail(req, rc);
		return;
	}
	set_camp_head(req, id, camp);
	if (req->v[CAMPID_DONE].present)
		web_set(req, "Page.done", req->v[CAMPID_DONE].str);
	web_set_int(req, "Page.enrolled", json_integer_value(json_object_get(stats,
	    "enrolled")));
	web_set_int(req, "Page.active", json_integer_value(json_object_get(stats,
	    "active")));
	json_array_foreach(json_object_get(camp, "steps"), i, s) {
		char sk[24];
		json_t *counts, *vr;
		size_t j, nvar;

		if (strcmp(json_string_value(json_object_get(s, "type")) ?: "",
		    "email") != 0)
			continue;
		snprintf(sk, sizeof sk, "%zu", i);
		counts = json_object_get(json_object_get(stats, "steps"), sk);
		nvar = json_array_size(json_object_get(s, "variants"));
		snprintf(prefix, sizeof prefix, "Page.steps.%zu", shown++);
		snprintf(name, sizeof name, "%s.index", prefix);
		web_set_int(req, name, (long long)i);
		snprintf(name, sizeof name, "%s.number", prefix);
		web_set_int(req, name, (long long)i + 1);
		snprintf(name, sizeof name, "%s.nvariants", prefix);
		web_set_int(req, name, (long long)nvar);
		if (json_is_integer(json_object_get(s, "winner"))) {
			snprintf(name, sizeof name, "%s.winner", prefix);
			web_set(req, name, (const char *[]){ "A", "B", "C", "D" }[
			    json_integer_value(json_object_get(s, "winner")) & 3]);
		}
		json_array_foreach(json_object_get(s, "variants"), j, vr) {
			char vk[24];
			json_t *c;
			json_int_t sent;

			snprintf(vk, sizeof vk, "%zu", j);
			c = json_object_get(counts, vk);
			sent = json_integer_value(json_object_get(c, "sent"));
			snprintf(name, sizeof name, "%s.variants.%zu.index", prefix, j);
			web_set_int(req, name, (long long)j);
			snprintf(name, sizeof name, "%s.variants.%zu.letter", prefix, j);
			web_set(req, name, (const char *[]){ "A", "B", "C", "D" }[j & 3]);
			snprintf(name, sizeof name, "%s.variants.%zu.subject", prefix, j);
			web_set(req, name, json_string_value(json_object_get(vr, "subject")));
			for (size_t m = 0; stat_metrics[m]; m++) {
				json_int_t k = json_integer_value(json_object_get(c,
				    stat_metrics[m]));

				snprintf(name, sizeof name, "%s.variants.%zu.%s", prefix, j,
				    stat_metrics[m]);
				web_set_int(req, name, k);
				if (m > 0) {
					snprintf(name, sizeof name, "%s.variants.%zu.%s_rate",
					    prefix, j, stat_metrics[m]);
					set_rate(req, name, k, sent);
				}
			}
		}
		if (nvar > 1)
			set_ab(req, prefix, s, counts, nvar);
	}
	json_decref(stats);
	json_decref(camp);
	web_render(req, 200, "office/campaign_stats.cs");
}

void
page_campaign_winner(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CWIN_ID].num;
	json_t *camp = office_camp_load(req, id), *s, *errors = NULL;
	char path[128];
	int rc;

	if (camp == NULL)
		return;
	s = json_array_get(json_object_get(camp, "steps"), v[CWIN_STEP].num);
	if (s == NULL || v[CWIN_VARIANT].num >= json_array_size(json_object_get(s,
	    "variants"))) {
		json_decref(camp);
		web_error(req, 409, "That step or variant is no longer there. Open "
		    "the stats again.");
		return;
	}
	json_object_set_new(s, "winner", json_integer((json_int_t)v[CWIN_VARIANT].num));
	rc = campaign_update(o->st, id, (int64_t)v[CWIN_GEN].num, camp, &errors);
	json_decref(camp);
	json_decref(errors);
	if (rc == HE_CONFLICT) {
		web_error(req, 409, "The campaign was changed since you opened its "
		    "stats, so nothing was saved. Open the stats again and decide "
		    "once more.");
		return;
	}
	if (rc == HE_INVALID) {
		web_error(req, 400, "The campaign has errors to fix first: open it "
		    "in the editor.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign/stats?id=%" PRIu64
	    "&done=winner", id);
	web_redirect(req, 303, path);
}

/* ---- members and enrolment ---- */

/* An enrolment's where and why, under prefix: its "why" and history in
 * words (campaign_why_text), newest first. */
static void
set_enrolment(struct web_req *req, const char *prefix, json_t *e, size_t nsteps)
{
	json_int_t step = json_integer_value(json_object_get(e, "step"));
	const char *why = json_string_value(json_object_get(e, "why"));
	char name[192];
	json_t *h;
	size_t i, n;

	snprintf(name, sizeof name, "%s.state", prefix);
	web_set(req, name, json_string_value(json_object_get(e, "state")));
	snprintf(name, sizeof name, "%s.why", prefix);
	web_set(req, name, why);
	if (why && *campaign_why_text(why)) {
		snprintf(name, sizeof name, "%s.why_text", prefix);
		web_set(req, name, campaign_why_text(why));
	}
	snprintf(name, sizeof name, "%s.step_number", prefix);
	web_set_int(req, name, step + 1);
	snprintf(name, sizeof name, "%s.nsteps", prefix);
	web_set_int(req, name, (long long)nsteps);
	snprintf(name, sizeof name, "%s.due", prefix);
	office_set_time(req, name, json_object_get(e, "due"), 0);
	snprintf(name, sizeof name, "%s.entered", prefix);
	office_set_time(req, name, json_object_get(e, "entered"), 0);
	snprintf(name, sizeof name, "%s.last_mail", prefix);
	office_set_time(req, name, json_object_get(e, "last_mail_at"), 0);
	n = json_array_size(json_object_get(e, "history"));
	for (i = 0; i < n; i++) {
		const char *what;
		json_int_t hs;

		h = json_array_get(json_object_get(e, "history"), n - 1 - i);
		what = json_string_value(json_object_get(h, "what"));
		hs = json_integer_value(json_object_get(h, "step"));
		snprintf(name, sizeof name, "%s.history.%zu.when", prefix, i);
		office_set_time(req, name, json_object_get(h, "at"), 0);
		snprintf(name, sizeof name, "%s.history.%zu.what", prefix, i);
		web_set(req, name, what && *campaign_why_text(what) ?
		    campaign_why_text(what) : what);
		if (hs >= 0) {
			snprintf(name, sizeof name, "%s.history.%zu.step_number", prefix, i);
			web_set_int(req, name, hs + 1);
		}
	}
}

void
page_campaign_members(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CMEM_ID].num;
	size_t page = v[CMEM_PAGE].present && v[CMEM_PAGE].num ? v[CMEM_PAGE].num : 1;
	size_t total = 0, pages, i, nsteps;
	json_t *camp = office_camp_load(req, id), *rows = NULL, *e;
	char name[96], who[300];
	int rc;

	if (camp == NULL)
		return;
	set_camp_head(req, id, camp);
	nsteps = json_array_size(json_object_get(camp, "steps"));
	json_decref(camp);
	if ((rc = campaign_members(o->st, id, page, MEMBERS_PER_PAGE, &rows,
	    &total)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	json_array_foreach(rows, i, e) {
		json_int_t cand = json_integer_value(json_object_get(e, "cand"));
		const char *rn = json_string_value(json_object_get(e, "name"));
		json_t *rec;

		snprintf(name, sizeof name, "Page.members.%zu", i);
		set_enrolment(req, name, e, nsteps);
		snprintf(name, sizeof name, "Page.members.%zu.cand", i);
		web_set_int(req, name, cand);
		if (rn && *rn) {
			snprintf(who, sizeof who, "%s", rn);
		} else if (cand_get(o->st, (uint64_t)cand, &rec) == HE_OK) {
			person_name(rec, who, sizeof who);
			json_decref(rec);
		} else {
			snprintf(who, sizeof who, "Candidate %lld", (long long)cand);
		}
		snprintf(name, sizeof name, "Page.members.%zu.name", i);
		web_set(req, name, who);
	}
	json_decref(rows);
	pages = total ? (total + MEMBERS_PER_PAGE - 1) / MEMBERS_PER_PAGE : 1;
	web_set_int(req, "Page.total", (long long)total);
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.pages", (long long)pages);
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)page - 1);
	if (page < pages)
		web_set_int(req, "Page.next", (long long)page + 1);
	if (v[CMEM_DONE].present)
		web_set(req, "Page.done", v[CMEM_DONE].str);
	web_render(req, 200, "office/campaign_members.cs");
}

void
office_camp_person_context(struct web_req *req, uint64_t cand)
{
	struct office *o = req->ctx;
	json_t *list = NULL, *camps = NULL, *e, *c;
	size_t i, k, n = 0;
	char name[96];

	if (campaign_list(o->st, &camps) != HE_OK)
		return;
	if (campaign_enrolments_of(o->st, cand, &list) == HE_OK) {
		json_array_foreach(list, i, e) {
			snprintf(name, sizeof name, "Page.enrolments.%zu", i);
			set_enrolment(req, name, e, (size_t)json_integer_value(
			    json_object_get(e, "steps")));
			snprintf(name, sizeof name, "Page.enrolments.%zu.camp", i);
			web_set_int(req, name, json_integer_value(json_object_get(e, "camp")));
			snprintf(name, sizeof name, "Page.enrolments.%zu.camp_name", i);
			web_set(req, name, json_string_value(json_object_get(e, "name")));
			snprintf(name, sizeof name, "Page.enrolments.%zu.camp_state", i);
			web_set(req, name, json_string_value(json_object_get(e,
			    "campaign_state")));
		}
	}
	/* Those they may join: not archived. */
	json_array_foreach(camps, k, c) {
		if (strcmp(json_string_value(json_object_get(c, "state")) ?: "",
		    "archived") == 0)
			continue;
		snprintf(name, sizeof name, "Page.enrol_camps.%zu", n++);
		office_set_fields(req, name, c);
	}
	json_decref(list);
	json_decref(camps);
}

void
page_campaign_enrol(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t camp = v[CENROL_CAMP].num, cand = v[CENROL_CAND].num;
	char path[128];
	int rc = campaign_enrol(o->st, camp, cand, req->user->id);

	if (rc == HE_OK) {
		snprintf(path, sizeof path, "/office/candidate?id=%" PRIu64
		    "&done=enrol#campaigns", cand);
		web_redirect(req, 303, path);
		return;
	}
	if (rc == HE_EXISTS)
		web_form_error(req, "camp", "They are already in this campaign (or "
		    "went through it): see their campaigns below.");
	else if (rc == HE_INVALID) {
		const char *why = campaign_why_text(campaign_enrol_why(o->st, camp,
		    cand));

		web_form_error(req, "camp", *why ? why : "This person cannot be sent "
		    "campaign mail now.");
	}
	else if (rc == HE_NOTFOUND)
		web_form_error(req, "camp", "That campaign no longer exists: choose "
		    "another.");
	else {
		web_fail(req, rc);
		return;
	}
	office_profile(req, cand, 1, rc == HE_NOTFOUND ? 404 : rc == HE_EXISTS ?
	    409 : 400);
}

void
office_camp_enrol_context(struct web_req *req, const struct web_value *v)
{
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0 &&
	    v[CENROL_CAND].present)
		office_profile_context(req, v[CENROL_CAND].num, 1);
}

void
page_campaign_unenrol(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t camp = v[CENROL_CAMP].num, cand = v[CENROL_CAND].num;
	char path[128];
	int rc = campaign_unenrol(o->st, camp, cand, req->user->id);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "They are not in that campaign (any more).");
		return;
	}
	if (rc != HE_OK && rc != HE_INVALID) {
		web_fail(req, rc);
		return;
	}
	if (v[CENROL_BACK].present && strcmp(v[CENROL_BACK].str, "members") == 0)
		snprintf(path, sizeof path, "/office/campaign/members?id=%" PRIu64
		    "&done=unenrol", camp);
	else
		snprintf(path, sizeof path, "/office/candidate?id=%" PRIu64
		    "&done=unenrol#campaigns", cand);
	web_redirect(req, 303, path);
}

void
office_camp_enrol_form_data(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *camps, *c;
	size_t i, n = 0;
	char name[96];

	if (campaign_list(o->st, &camps) != HE_OK)
		return;
	json_array_foreach(camps, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "state")) ?: "",
		    "archived") == 0)
			continue;
		snprintf(name, sizeof name, "Page.enrol_camps.%zu", n++);
		office_set_fields(req, name, c);
	}
	json_decref(camps);
}

void
office_camp_enrol_filter_context(struct web_req *req, const struct web_value *v)
{
	page_candidates_form(req, v);
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0)
		office_camp_enrol_form_data(req);
}

void
page_campaign_enrol_filter(struct web_req *req)
{
	struct office *o = req->ctx;
	struct cand_query q;
	enum cand_sort sort;
	uint64_t camp = req->v[CENROLF_CAMP].num, wave = 0;
	size_t n = 0;
	char path[128];
	int rc;

	filter_read(req, req->v, &q, &sort);	/* judged already */
	rc = campaign_enrol_query(o->st, camp, &q, req->user->id, &wave, &n);
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "That campaign no longer exists.");
		return;
	}
	if (rc == HE_INVALID) {
		web_error(req, 400, "Archived campaigns take no one new: choose "
		    "another.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign/wave?id=%" PRIu64 "&wave=%"
	    PRIu64, camp, wave);
	web_redirect(req, 303, path);
}

void
page_campaign_wave(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CWAVE_ID].num;
	json_t *camp = office_camp_load(req, id);
	size_t done = 0, total = 0;
	char a[32], b[32], text[96];
	int rc;

	if (camp == NULL)
		return;
	set_camp_head(req, id, camp);
	json_decref(camp);
	rc = campaign_wave_progress(o->st, v[CWAVE_WAVE].num, &done, &total);
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such enrolment in progress.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	text_thousands(a, sizeof a, done);
	text_thousands(b, sizeof b, total);
	if (total)
		snprintf(text, sizeof text, "%s of %s looked at", a, b);
	else
		snprintf(text, sizeof text, "Not started yet");
	web_set(req, "Page.progress", text);
	web_set_int(req, "Page.wave", (long long)v[CWAVE_WAVE].num);
	web_set_int(req, "Page.done", (long long)done);
	web_set_int(req, "Page.total", (long long)total);
	if (total && done >= total) {
		web_set(req, "Page.finished", "1");
	} else if (!v[CWAVE_REFRESH].present) {
		web_set_int(req, "Page.live", WAVE_REFRESH);
	} else if (v[CWAVE_REFRESH].num) {
		web_set_int(req, "Page.refresh", WAVE_REFRESH);
	} else {
		web_set(req, "Page.still", "1");
	}
	web_render(req, 200, "office/campaign_wave.cs");
}
