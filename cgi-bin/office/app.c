/* app.c: the recruiter back office: route table, sessions, worker set-up */
#include <stdio.h>
#include <stdlib.h>

#include "cgi-bin/office/office.h"
#include "crm/lockout.h"
#include "crm/setup.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"

#define STAFF OFFICE_STAFF
#define ADMIN OFFICE_ADMIN
#define ROLES OFFICE_ROLES	/* the handler checks a hiring manager's roles */

static const struct web_route routes[] = {
	{ WEB_GET, "/office/login", page_login_form, 0, 0, NULL, NULL, NULL },
	{ WEB_POST, "/office/login", page_login, 0, 0, login_fields,
	    "office/login.cs", NULL },
	{ WEB_POST, "/office/logout", page_logout, WEB_R_AUTH, 0, NULL, NULL, NULL },
	{ WEB_GET, "/office/", page_home, WEB_R_AUTH, 0, filter_fields,
	    "office/candidates.cs", page_home_form },
	{ WEB_GET, "/office/candidates", page_candidates, WEB_R_AUTH, STAFF,
	    filter_fields, "office/candidates.cs", page_candidates_form },
	{ WEB_GET, "/office/pools", page_pools, WEB_R_AUTH, STAFF, NULL, NULL, NULL },
	{ WEB_POST, "/office/pools/new", page_pool_new, WEB_R_AUTH, STAFF,
	    pool_new_fields, "office/pools.cs", NULL },
	{ WEB_POST, "/office/pools/save", page_pool_save, WEB_R_AUTH, STAFF,
	    pool_save_fields, "office/candidates.cs", page_pool_save_form },
	{ WEB_GET, "/office/pool", page_pool, WEB_R_AUTH, STAFF, pool_page_fields,
	    NULL, NULL },
	{ WEB_POST, "/office/pool/delete", page_pool_delete, WEB_R_AUTH, STAFF,
	    pool_page_fields, NULL, NULL },
	{ WEB_POST, "/office/pool/member", page_pool_member, WEB_R_AUTH, STAFF,
	    pool_member_fields, NULL, NULL },
	{ WEB_POST, "/office/bulk", page_bulk, WEB_R_AUTH, STAFF, bulk_fields,
	    "office/candidates.cs", page_bulk_check },
	{ WEB_POST, "/office/bulk/delete", page_bulk_delete, WEB_R_AUTH, ADMIN,
	    bulk_delete_fields, NULL, NULL },
	{ WEB_GET, "/office/export", page_export_download, WEB_R_AUTH, STAFF,
	    export_fields, NULL, NULL },
	{ WEB_GET, "/office/candidate", page_candidate, WEB_R_AUTH, ROLES,
	    candidate_fields, NULL, NULL },
	{ WEB_GET, "/office/candidate/edit", page_profile_form, WEB_R_AUTH, STAFF,
	    id_fields, NULL, NULL },
	{ WEB_POST, "/office/candidate/edit", page_profile_save, WEB_R_AUTH, STAFF,
	    profile_fields, "office/candidate_edit.cs", check_profile },
	{ WEB_POST, "/office/candidate/touch", page_touch, WEB_R_AUTH, STAFF,
	    touch_fields, "office/candidate.cs", check_touch },
	{ WEB_POST, "/office/candidate/note", page_note, WEB_R_AUTH, STAFF,
	    note_fields, "office/candidate.cs", check_note },
	{ WEB_POST, "/office/candidate/verify", page_verify, WEB_R_AUTH, STAFF,
	    verify_fields, NULL, NULL },
	{ WEB_GET, "/office/candidates/new", page_new_form, WEB_R_AUTH, STAFF,
	    NULL, NULL, NULL },
	{ WEB_POST, "/office/candidates/new", page_new_save, WEB_R_AUTH, STAFF,
	    new_fields, "office/candidate_new.cs", check_candidate_new },
	{ WEB_GET, "/office/mail", page_mails, WEB_R_AUTH, STAFF, list_fields,
	    NULL, NULL },
	{ WEB_GET, "/office/mail/show", page_mail, WEB_R_AUTH, STAFF, id_fields,
	    NULL, NULL },
	{ WEB_GET, "/office/duplicates", page_dupes, WEB_R_AUTH, STAFF,
	    dupes_fields, NULL, NULL },
	{ WEB_POST, "/office/duplicates/dismiss", page_dupe_dismiss, WEB_R_AUTH,
	    STAFF, pair_fields, NULL, NULL },
	{ WEB_GET, "/office/merge", page_merge_form, WEB_R_AUTH, STAFF,
	    pair_fields, NULL, NULL },
	{ WEB_POST, "/office/merge", page_merge, WEB_R_AUTH, STAFF, merge_fields,
	    NULL, NULL },
	{ WEB_GET, "/office/merge/done", page_merged, WEB_R_AUTH, STAFF,
	    merge_id_fields, NULL, NULL },
	{ WEB_POST, "/office/merge/undo", page_unmerge, WEB_R_AUTH, STAFF,
	    merge_id_fields, NULL, NULL },
	{ WEB_GET, "/office/merge/undone", page_unmerged, WEB_R_AUTH, STAFF,
	    pair_fields, NULL, NULL },
	{ WEB_GET, "/office/jobs", page_jobs, WEB_R_AUTH, STAFF, list_fields,
	    NULL, NULL },
	{ WEB_GET, "/office/job", page_job, WEB_R_AUTH, STAFF, job_view_fields,
	    NULL, NULL },
	{ WEB_POST, "/office/job/cancel", page_job_cancel, WEB_R_AUTH, STAFF,
	    job_id_fields, NULL, NULL },
	{ WEB_GET, "/office/account", page_account, WEB_R_AUTH, 0, account_fields,
	    NULL, NULL },
	{ WEB_POST, "/office/account/password", page_password, WEB_R_AUTH, 0,
	    password_fields, "office/account.cs", password_check },
	{ WEB_GET, "/office/users", page_users, WEB_R_AUTH, ADMIN, NULL, NULL,
	    NULL },
	{ WEB_GET, "/office/users/add", page_user_add_form, WEB_R_AUTH, ADMIN,
	    NULL, NULL, NULL },
	{ WEB_POST, "/office/users/add", page_user_add, WEB_R_AUTH, ADMIN,
	    user_add_fields, "office/user_add.cs", NULL },
	{ WEB_GET, "/office/user", page_user, WEB_R_AUTH, ADMIN, user_fields,
	    NULL, NULL },
	{ WEB_POST, "/office/user/role", page_user_role, WEB_R_AUTH, ADMIN,
	    user_role_fields, "office/user.cs", user_form_context },
	{ WEB_POST, "/office/user/reset", page_user_reset, WEB_R_AUTH, ADMIN,
	    user_reset_fields, "office/user.cs", user_form_context },
	{ WEB_POST, "/office/user/state", page_user_state, WEB_R_AUTH, ADMIN,
	    user_state_fields, NULL, NULL },
	{ WEB_GET, "/office/audit", page_audit, WEB_R_AUTH, ADMIN, audit_fields,
	    "office/audit.cs", audit_check },
	{ WEB_GET, "/office/import", page_import_form, WEB_R_AUTH, STAFF, NULL,
	    NULL, NULL },
	{ WEB_POST, "/office/import", page_import_upload,
	    WEB_R_AUTH | WEB_R_UPLOAD | WEB_R_LARGE, STAFF, import_upload_fields,
	    "office/import.cs", NULL },
	{ WEB_GET, "/office/import/map", page_import_map, WEB_R_AUTH, STAFF,
	    import_view_fields, NULL, NULL },
	{ WEB_POST, "/office/import/map", page_import_start, WEB_R_AUTH, STAFF,
	    import_map_fields, "office/import_map.cs", check_import_map },
	{ WEB_GET, "/office/import/report", page_import_report, WEB_R_AUTH, STAFF,
	    job_id_fields, NULL, NULL },
	{ WEB_POST, "/office/account/signature", page_signature, WEB_R_AUTH, 0,
	    signature_fields, "office/account.cs", NULL },
	{ WEB_GET, "/office/campaigns", page_campaigns, WEB_R_AUTH, STAFF,
	    camp_list_fields, NULL, NULL },
	{ WEB_POST, "/office/campaigns/new", page_campaign_new, WEB_R_AUTH, STAFF,
	    camp_new_fields, "office/campaigns.cs", office_camp_list_context },
	{ WEB_GET, "/office/campaign", page_campaign, WEB_R_AUTH, STAFF,
	    camp_id_fields, NULL, NULL },
	{ WEB_POST, "/office/campaign/save", page_campaign_save, WEB_R_AUTH, STAFF,
	    camp_settings_fields, "office/campaign.cs", office_camp_form_context },
	{ WEB_POST, "/office/campaign/state", page_campaign_state, WEB_R_AUTH,
	    STAFF, camp_state_fields, NULL, NULL },
	{ WEB_GET, "/office/campaign/step", page_campaign_step_form, WEB_R_AUTH,
	    STAFF, camp_step_view_fields, NULL, NULL },
	{ WEB_POST, "/office/campaign/step", page_campaign_step, WEB_R_AUTH, STAFF,
	    camp_step_fields, "office/campaign_step.cs", office_camp_step_context },
	{ WEB_POST, "/office/campaign/step/move", page_campaign_move, WEB_R_AUTH,
	    STAFF, camp_move_fields, NULL, NULL },
	{ WEB_GET, "/office/campaign/preview", page_campaign_preview, WEB_R_AUTH,
	    STAFF, camp_preview_fields, NULL, NULL },
	{ WEB_POST, "/office/campaign/test", page_campaign_test, WEB_R_AUTH, STAFF,
	    camp_test_fields, NULL, NULL },
	{ WEB_GET, "/office/campaign/stats", page_campaign_stats, WEB_R_AUTH,
	    STAFF, camp_id_fields, NULL, NULL },
	{ WEB_POST, "/office/campaign/winner", page_campaign_winner, WEB_R_AUTH,
	    STAFF, camp_winner_fields, NULL, NULL },
	{ WEB_GET, "/office/campaign/members", page_campaign_members, WEB_R_AUTH,
	    STAFF, camp_members_fields, NULL, NULL },
	{ WEB_POST, "/office/campaign/enrol", page_campaign_enrol, WEB_R_AUTH,
	    STAFF, camp_enrol_fields, "office/candidate.cs", office_camp_enrol_context },
	{ WEB_POST, "/office/campaign/unenrol", page_campaign_unenrol, WEB_R_AUTH,
	    STAFF, camp_unenrol_fields, NULL, NULL },
	{ WEB_POST, "/office/campaign/enrol-filter", page_campaign_enrol_filter,
	    WEB_R_AUTH, STAFF, camp_enrol_filter_fields, "office/candidates.cs",
	    office_camp_enrol_filter_context },
	{ WEB_GET, "/office/campaign/wave", page_campaign_wave, WEB_R_AUTH, STAFF,
	    camp_wave_fields, NULL, NULL },
	{ WEB_GET, "/office/notices", page_notices, WEB_R_AUTH, STAFF, list_fields,
	    NULL, NULL },
	{ WEB_POST, "/office/notices/read", page_notice_read, WEB_R_AUTH, STAFF,
	    notice_read_fields, NULL, NULL },
	{ WEB_GET, "/office/roles", page_roles, WEB_R_AUTH, ROLES, role_list_fields,
	    NULL, NULL },
	{ WEB_GET, "/office/roles/new", page_role_new_form, WEB_R_AUTH, STAFF, NULL,
	    NULL, NULL },
	{ WEB_POST, "/office/roles/new", page_role_new, WEB_R_AUTH, STAFF,
	    role_form_fields, "office/role_new.cs", office_role_form_context },
	{ WEB_GET, "/office/role", page_role, WEB_R_AUTH, ROLES, role_view_fields,
	    NULL, NULL },
	{ WEB_GET, "/office/role/edit", page_role_edit_form, WEB_R_AUTH, STAFF,
	    role_view_fields, NULL, NULL },
	{ WEB_POST, "/office/role/edit", page_role_edit, WEB_R_AUTH, STAFF,
	    role_form_fields, "office/role_edit.cs", office_role_form_context },
	{ WEB_POST, "/office/role/state", page_role_state, WEB_R_AUTH, STAFF,
	    role_state_fields, NULL, NULL },
	{ WEB_POST, "/office/role/comment", page_role_comment, WEB_R_AUTH, ROLES,
	    role_comment_fields, "office/role.cs", office_role_comment_context },
	{ WEB_POST, "/office/role/silver/undo", page_role_silver_undo, WEB_R_AUTH,
	    STAFF, role_silver_fields, NULL, NULL },
	{ WEB_GET, "/office/role/matches", page_role_matches, WEB_R_AUTH, STAFF,
	    role_match_fields, NULL, NULL },
	{ WEB_POST, "/office/role/shortlist", page_role_shortlist, WEB_R_AUTH,
	    STAFF, role_shortlist_fields, NULL, NULL },
	{ WEB_GET, "/office/role/mail", page_role_mail_form, WEB_R_AUTH, STAFF,
	    role_mail_view_fields, NULL, NULL },
	{ WEB_POST, "/office/role/mail", page_role_mail, WEB_R_AUTH, STAFF,
	    role_mail_fields, "office/role_mail.cs", office_role_mail_context },
	{ WEB_POST, "/office/role/enrol", page_role_enrol, WEB_R_AUTH, STAFF,
	    role_enrol_fields, "office/role_matches.cs", office_role_enrol_context },
	{ WEB_GET, "/office/role/pipeline", page_role_pipeline, WEB_R_AUTH, ROLES,
	    role_pipe_fields, NULL, NULL },
	{ WEB_POST, "/office/role/move", page_role_move, WEB_R_AUTH, STAFF,
	    role_move_fields, "office/role_pipeline.cs", office_role_move_context },
};

const char *office_families[OFFICE_FAMILIES_MAX + 1];

/* The job families the role-interest filter offers, in the order set. */
static void
load_families(HDF *conf)
{
	size_t n = 0;

	for (HDF *h = hdf_get_child(conf, "Site.JobFamilies"); h &&
	    n < OFFICE_FAMILIES_MAX; h = hdf_obj_next(h))
		office_families[n++] = hdf_obj_name(h);
	office_families[n] = NULL;
}

/* The sign-in failures of addresses and unknown emails, shared by the
 * workers: mapped by prefork, before they are forked. */
static struct lockout_table *lockouts;

static int
prefork(HDF *conf)
{
	(void)conf;
	return lockout_table_create(&lockouts);
}

static int
worker_init(HDF *conf, void **ctx)
{
	struct office *o = calloc(1, sizeof *o);
	int rc;

	load_families(conf);
	if (o == NULL || lockouts == NULL) {
		free(o);
		return HE_NOMEM;
	}
	if ((rc = crm_open(conf, &o->st)) != HE_OK) {
		free(o);
		return rc;
	}
	if ((o->outbox_dir = conf_path(conf, "Mail.OutboxDir", "var/outbox")) == NULL) {
		store_close(o->st);
		free(o);
		return HE_NOMEM;
	}
	o->limits.idle = conf_int(conf, "Office.SessionIdle", 2 * 3600);
	o->limits.absolute = conf_int(conf, "Office.SessionMax", 12 * 3600);
	auth_guard_defaults(&o->guard);
	o->guard.account.after = (unsigned)conf_int(conf, "Office.LockAfter",
	    o->guard.account.after);
	o->guard.account.base = conf_int(conf, "Office.LockSeconds",
	    o->guard.account.base);
	o->guard.account.max = conf_int(conf, "Office.LockMaxSeconds",
	    o->guard.account.max);
	o->guard.address = o->guard.account;
	o->guard.address.after = (unsigned)conf_int(conf,
	    "Office.LockAddressAfter", 30);
	o->guard.table = lockouts;
	/* The site key and links of campaign mail previews; without them
	 * (not initialised) previews say so. */
	o->have_comm = comm_setup(conf, o->st, &o->comm) == HE_OK;
	o->ab_alpha = strtod(hdf_get_value(conf, "Campaign.ABAlpha", "0.05"), NULL);
	if (!(o->ab_alpha > 0 && o->ab_alpha < 1))
		o->ab_alpha = 0.05;
	o->ab_min_sends = (uint64_t)conf_int(conf, "Campaign.ABMinSends", 100);
	*ctx = o;
	return HE_OK;
}

static void
worker_fini(void *ctx)
{
	struct office *o = ctx;

	if (o->have_comm)
		comm_cleanup(&o->comm);
	store_close(o->st);
	free(o->outbox_dir);
	free(o);
}

static int
session(void *ctx, const char *token, struct web_user *user)
{
	struct office *o = ctx;
	struct auth_user au;
	int rc = auth_session(o->st, &o->limits, token, &au);

	if (rc != HE_OK)
		return rc;
	user->id = au.id;
	user->role = au.role;
	snprintf(user->email, sizeof user->email, "%s", au.email);
	return HE_OK;
}

const struct web_app office_app = {
	.name = "office",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.cookie_path = "/office/",
	.login_path = OFFICE_LOGIN,
	.worker_init = worker_init,
	.worker_fini = worker_fini,
	.session = session,
	.role_names = auth_role_names,
	.prefork = prefork,
	.page_data = office_page_data,
};
