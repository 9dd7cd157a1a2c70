/* office.h: what the pages of the back-office program share */
#ifndef HEARTH_OFFICE_H
#define HEARTH_OFFICE_H

#include <jansson.h>

#include "crm/audit.h"
#include "crm/auth.h"
#include "crm/community.h"
#include "crm/query.h"
#include "web/web.h"

struct store;

/* One per worker, made by worker_init in main.c. */
struct office {
	struct store *st;
	struct auth_limits limits;
	struct auth_guard guard;	/* sign-in lockouts (table made before the fork) */
	char *outbox_dir;	/* the .eml files of the embedded default */
	struct comm comm;	/* site key and links: campaign mail previews */
	int have_comm;		/* comm_setup succeeded */
	double ab_alpha;	/* Campaign.ABAlpha */
	uint64_t ab_min_sends;	/* Campaign.ABMinSends */
};

/* The program: its routes, sessions and worker set-up (app.c). */
extern const struct web_app office_app;

#define OFFICE_HOME "/office/candidates"
#define OFFICE_LOGIN "/office/login"
/* Where hiring managers land: they see no candidates until roles exist. */
#define OFFICE_HM_HOME "/office/"

/* Route role masks. */
#define OFFICE_ADMIN (1u << ROLE_ADMIN)
#define OFFICE_STAFF ((1u << ROLE_ADMIN) | (1u << ROLE_RECRUITER))

extern const struct web_field login_fields[];
enum login_field { LOGIN_EMAIL, LOGIN_PASSWORD };
extern const struct web_field list_fields[];
enum list_field { LIST_PAGE };

/* The job families of Site.JobFamilies (ids), filled at start-up. */
#define OFFICE_FAMILIES_MAX 32
extern const char *office_families[OFFICE_FAMILIES_MAX + 1];

/* The candidate filter (filter.c): its fields, read into a query (field
 * errors reported; HE_INVALID then), and written back into the page: the
 * form's values (Form.*), its choices (Page.choice.FIELD.N) with those
 * given checked, the filter as a query string (Page.qs, without the sort
 * unless with_sort) and as hidden inputs (Page.hidden.N.name/value). */
extern const struct web_field filter_fields[];
enum filter_field {
	FILTER_PAGE, FILTER_Q, FILTER_TAGS_ALL, FILTER_TAGS_ANY, FILTER_TAGS_NONE,
	FILTER_STATUS, FILTER_SOURCE, FILTER_SENIORITY, FILTER_INTEREST,
	FILTER_CONSENT, FILTER_LEVEL, FILTER_POOL, FILTER_CITY, FILTER_COUNTRY,
	FILTER_REMOTE, FILTER_OWNER, FILTER_STALE, FILTER_AFTER, FILTER_BEFORE,
	FILTER_SORT, FILTER__MAX
};
int filter_read(struct web_req *req, const struct web_value *v,
    struct cand_query *q, enum cand_sort *sort);
void filter_choices(struct web_req *req, const struct web_value *v);
void filter_echo(struct web_req *req, const struct web_value *v, int with_sort);

void page_login_form(struct web_req *req);
void page_login(struct web_req *req);
void page_logout(struct web_req *req);
extern const struct web_field id_fields[];	/* "id" */

/* Likely duplicates and merges (page_dupes.c, page_merge.c). */
extern const struct web_field dupes_fields[];
enum dupes_field { DUPES_AFTER_A, DUPES_AFTER_B };
extern const struct web_field pair_fields[];	/* "a", "b" */
enum pair_field { PAIR_A, PAIR_B };
extern const struct web_field merge_fields[];	/* a, b, pick_<group> */
enum merge_field { MERGE_F_A, MERGE_F_B, MERGE_F_PICK };
extern const struct web_field merge_id_fields[];	/* "id" */
void page_dupes(struct web_req *req);
void page_dupe_dismiss(struct web_req *req);
void page_merge_form(struct web_req *req);
void page_merge(struct web_req *req);
void page_merged(struct web_req *req);
void page_unmerge(struct web_req *req);
void page_unmerged(struct web_req *req);
/* page_home.c: "/office/": the candidate list for staff, a page that
 * says why there is none for hiring managers. */
void page_home(struct web_req *req);
void page_home_form(struct web_req *req, const struct web_value *v);

/* page_account.c: "My account": anyone's own password. */
extern const struct web_field account_fields[];
enum account_field { ACCOUNT_DONE };
extern const struct web_field password_fields[];
enum password_field { PW_CURRENT, PW_NEW, PW_AGAIN };
void page_account(struct web_req *req);
void page_password(struct web_req *req);
void password_check(struct web_req *req, const struct web_value *v);

/* page_users.c: user management (admins). */
extern const struct web_field user_add_fields[];
enum user_add_field { UADD_EMAIL, UADD_NAME, UADD_ROLE, UADD_PASSWORD };
extern const struct web_field user_fields[];
enum user_field { USER_ID, USER_DONE };
extern const struct web_field user_role_fields[];
enum user_role_field { UROLE_ID, UROLE_ROLE };
extern const struct web_field user_reset_fields[];
enum user_reset_field { URESET_ID, URESET_PASSWORD };
extern const struct web_field user_state_fields[];
enum user_state_field { USTATE_ID, USTATE_STATE };
void page_users(struct web_req *req);
void page_user_add_form(struct web_req *req);
void page_user_add(struct web_req *req);
void page_user(struct web_req *req);
void page_user_role(struct web_req *req);
void page_user_reset(struct web_req *req);
void page_user_state(struct web_req *req);
/* form_check of the user page's forms: the user they are about, for the
 * page shown again with the errors. */
void user_form_context(struct web_req *req, const struct web_value *v);

/* page_audit.c: the audit log (admins), filtered by a search form. */
extern const struct web_field audit_fields[];
enum audit_field { AUD_USER, AUD_ACTION, AUD_CAND, AUD_FROM, AUD_TO, AUD_PAGE };
void page_audit(struct web_req *req);
void audit_check(struct web_req *req, const struct web_value *v);

/* The audit actor of a request: the signed-in user and the client address. */
struct audit_actor office_actor(struct web_req *req);

void page_candidates(struct web_req *req);
void page_candidates_form(struct web_req *req, const struct web_value *v);
void page_pools(struct web_req *req);
void page_pool(struct web_req *req);
void page_pool_new(struct web_req *req);
void page_pool_save(struct web_req *req);
void page_pool_member(struct web_req *req);
void page_pool_delete(struct web_req *req);
void page_pool_save_form(struct web_req *req, const struct web_value *v);
extern const struct web_field pool_new_fields[];	/* "name" */
extern const struct web_field pool_page_fields[];	/* "id", "page" */
extern const struct web_field pool_save_fields[];	/* filter + "name" */
extern const struct web_field pool_member_fields[];	/* pool, cand, member */
enum pool_member_field { MEMBER_POOL, MEMBER_CAND, MEMBER_ADD };
void page_mails(struct web_req *req);
void page_mail(struct web_req *req);

/* Background jobs (page_job.c). */
extern const struct web_field job_id_fields[];	/* "id" of a job */
extern const struct web_field job_view_fields[];
enum job_view_field { JOB_VIEW_ID, JOB_VIEW_REFRESH };
void page_jobs(struct web_req *req);
void page_job(struct web_req *req);
void page_job_cancel(struct web_req *req);

/* The profile page (page_candidate.c): ?id=N&tl=page of its timeline. */
void page_candidate(struct web_req *req);
extern const struct web_field candidate_fields[];
enum candidate_field { CAND_ID, CAND_TL, CAND_DONE };
/* Page data of the profile of candidate id with its timeline page
 * tl_page_no (1-based); HE_NOTFOUND for an unknown id. office_profile
 * renders it with status (404 and 5xx pages as they come). */
int office_profile_context(struct web_req *req, uint64_t id,
    size_t tl_page_no);
void office_profile(struct web_req *req, uint64_t id, size_t tl_page_no,
    int status);
/* Page.owners.N: who may own candidates; Page.cand.owner_name: owner's. */
void office_set_owners(struct web_req *req, uint64_t owner);

/* Editing a profile, adding a candidate, logging touchpoints and notes,
 * verifying contact details (page_profile.c). */
extern const struct web_field profile_fields[], new_fields[], touch_fields[],
    note_fields[], verify_fields[];
void page_profile_form(struct web_req *req);
void page_profile_save(struct web_req *req);
void check_profile(struct web_req *req, const struct web_value *v);
void page_new_form(struct web_req *req);
void page_new_save(struct web_req *req);
void check_candidate_new(struct web_req *req, const struct web_value *v);
void page_touch(struct web_req *req);
void check_touch(struct web_req *req, const struct web_value *v);
void page_note(struct web_req *req);
void check_note(struct web_req *req, const struct web_value *v);
void page_verify(struct web_req *req);

/* CSV import (page_import.c). */
extern const struct web_field import_upload_fields[];
extern const struct web_field import_view_fields[];
extern const struct web_field import_map_fields[];
void check_import_map(struct web_req *req, const struct web_value *v);
void page_import_form(struct web_req *req);
void page_import_upload(struct web_req *req);
void page_import_map(struct web_req *req);
void page_import_start(struct web_req *req);
void page_import_report(struct web_req *req);

/*
 * Bulk actions on the candidate list (page_bulk.c). Their forms carry the
 * list's filter in hidden inputs (their tables start with the filter's
 * fields, in enum filter_field order), then what to do (the form's own
 * fields; hidden in the deletion's confirmation, which only repeats
 * them), then whom to do it to: scope "selected" (the ids ticked, or all
 * those shown on the page with "all_page") or "all" (everyone the filter
 * matches). Both tables are defined in filter.c, with the filter's.
 */
enum bulk_field {
	BF_ACTION = FILTER__MAX, BF_TAG, BF_POOL, BF_STATUS, BF_OWNER,
	BF_SCOPE, BF_ID, BF_SHOWN, BF_ALL_PAGE, BF__MAX
};
extern const char *const bulk_scopes[];		/* "selected", "all" */
const char *bulk_owner_check(const char *v);	/* "me", "none" or a number */
#define BULK_FIELDS(fl) \
	[BF_ACTION] = { "action", WEB_FT_CHOICE, WEB_FF_REQUIRED | (fl), 0, \
	    "Action", "Please choose what to do.", bulk_action_names, NULL }, \
	[BF_TAG] = { "tag", WEB_FT_TEXT, (fl), 40, "Tag", NULL, NULL, NULL }, \
	[BF_POOL] = { "to_pool", WEB_FT_UINT, (fl), UINT32_MAX, "Pool", NULL, \
	    NULL, NULL }, \
	[BF_STATUS] = { "new_status", WEB_FT_CHOICE, (fl), 0, "Status", NULL, \
	    cand_statuses, NULL }, \
	[BF_OWNER] = { "new_owner", WEB_FT_TEXT, (fl), 12, "Owner", NULL, NULL, \
	    bulk_owner_check }, \
	[BF_SCOPE] = { "scope", WEB_FT_CHOICE, WEB_FF_REQUIRED | WEB_FF_HIDDEN, 0, \
	    "Apply to", "Please use one of the buttons of the form.", bulk_scopes, \
	    NULL }, \
	[BF_ID] = { "id", WEB_FT_MULTI, WEB_FF_HIDDEN, 20, "Candidates ticked", \
	    NULL, NULL, NULL }, \
	[BF_SHOWN] = { "shown", WEB_FT_MULTI, WEB_FF_HIDDEN, 20, \
	    "Candidates on the page", NULL, NULL, NULL }, \
	[BF_ALL_PAGE] = { "all_page", WEB_FT_CHECKBOX, WEB_FF_HIDDEN, 0, \
	    "Select all on this page", NULL, NULL, NULL },
extern const struct web_field bulk_fields[];		/* the list's form */
extern const struct web_field bulk_delete_fields[];	/* its confirmation */
void page_bulk(struct web_req *req);
void page_bulk_check(struct web_req *req, const struct web_value *v);
void page_bulk_delete(struct web_req *req);
extern const struct web_field export_fields[];	/* "id" of an export job */
void page_export_download(struct web_req *req);
/* The list's half of the candidate page (page_candidates.c): a page of
 * the filter's results, each ticked when in ticked (may be NULL), and the
 * data of the bulk form (bulk_form_data, page_bulk.c). */
int candidates_list(struct web_req *req, const struct web_value *v,
    const struct web_value *ticked);
void bulk_form_data(struct web_req *req);

/* Page data helpers (page_candidate.c): a time in people's terms, and
 * the string and number fields of a JSON object under prefix. */
void office_set_time(struct web_req *req, const char *name, json_t *v,
    int micro);
void office_set_fields(struct web_req *req, const char *prefix, json_t *obj);

/*
 * Nurture campaigns (page_campaign.c: the list, the editor, its settings
 * and state; page_campaign_step.c: one step's form, moving and deleting
 * steps; page_campaign_view.c: preview, test send, stats, A/B winners,
 * members, enrolment by hand and by filter; page_notices.c: notices).
 */
extern const struct web_field camp_new_fields[];	/* "name" */
extern const struct web_field camp_id_fields[];		/* "id", "done" */
enum camp_id_field { CAMPID_ID, CAMPID_DONE };
extern const struct web_field camp_list_fields[];	/* "page" */
extern const struct web_field camp_settings_fields[];
enum camp_settings_field {
	CSET_ID, CSET_GEN, CSET_NAME, CSET_POOLS, CSET_AUTO, CSET_GOAL,
	CSET_FROM, CSET_TO, CSET_WEEKDAYS, CSET__MAX
};
extern const struct web_field camp_state_fields[];	/* id, state */
enum camp_state_field { CSTATE_ID, CSTATE_STATE };
void page_campaigns(struct web_req *req);
void office_camp_list_context(struct web_req *req, const struct web_value *v);
void page_campaign_new(struct web_req *req);
void page_campaign(struct web_req *req);
void page_campaign_save(struct web_req *req);
void page_campaign_state(struct web_req *req);
/* form_check of the editor's forms: the campaign's page data, for the
 * editor shown again with the errors. */
void office_camp_form_context(struct web_req *req, const struct web_value *v);
/* The editor with the campaign id's data under Page.camp and Page.steps
 * and Form.* filled from it (unless keep_form: what was typed stays);
 * HE_NOTFOUND for none. */
int office_camp_editor_context(struct web_req *req, uint64_t id, int keep_form);
/* The editor again after a refused save (400) or a stale one (409,
 * Page.conflict): what was typed kept, the campaign as stored around it. */
void office_camp_editor_again(struct web_req *req, uint64_t id, int status);
/* The campaign id, or an answer given (404, 5xx) and NULL. */
json_t *office_camp_load(struct web_req *req, uint64_t id);
/* Puts the {field: message} of campaign_validate next to the fields of
 * the form that edits step (-1: the settings form); errors of other
 * steps go to Page.steps.N.error and the summary. */
void office_camp_errors(struct web_req *req, json_t *errors, int step);
/* The value of a branch's "goto" that means the end of the sequence. */
json_int_t office_camp_goto_end(size_t nsteps);

extern const struct web_field camp_step_view_fields[];	/* id, step, add */
enum camp_step_view_field { CSV_ID, CSV_STEP, CSV_ADD };
extern const struct web_field camp_step_fields[];
enum camp_step_field {
	CSTEP_ID, CSTEP_GEN, CSTEP_STEP, CSTEP_TYPE, CSTEP_NEW, CSTEP_NVAR,
	CSTEP_SUBJECT0, CSTEP_SUBJECT1, CSTEP_SUBJECT2, CSTEP_SUBJECT3,
	CSTEP_BODY0, CSTEP_BODY1, CSTEP_BODY2, CSTEP_BODY3,
	CSTEP_AB_METRIC, CSTEP_AB_AUTO, CSTEP_DAYS, CSTEP_HOURS, CSTEP_ON,
	CSTEP_GOTO, CSTEP_POOL, CSTEP_TEXT, CSTEP_OP, CSTEP__MAX
};
extern const struct web_field camp_move_fields[];	/* id, gen, step, op */
enum camp_move_field { CMOVE_ID, CMOVE_GEN, CMOVE_STEP, CMOVE_OP };
extern const char *const camp_step_types[];
void page_campaign_step_form(struct web_req *req);
void page_campaign_step(struct web_req *req);
void office_camp_step_context(struct web_req *req, const struct web_value *v);
void page_campaign_move(struct web_req *req);

extern const struct web_field camp_preview_fields[];
enum camp_preview_field { CPV_ID, CPV_STEP, CPV_VARIANT, CPV_CAND, CPV_Q,
	CPV_DONE };
extern const struct web_field camp_test_fields[];	/* id, step, variant, cand */
enum camp_test_field { CTEST_ID, CTEST_STEP, CTEST_VARIANT, CTEST_CAND };
extern const struct web_field camp_winner_fields[];	/* id, gen, step, variant */
enum camp_winner_field { CWIN_ID, CWIN_GEN, CWIN_STEP, CWIN_VARIANT };
extern const struct web_field camp_members_fields[];	/* id, page, done */
enum camp_members_field { CMEM_ID, CMEM_PAGE, CMEM_DONE };
extern const struct web_field camp_enrol_fields[];	/* camp, cand */
extern const struct web_field camp_unenrol_fields[];	/* camp, cand, back */
enum camp_enrol_field { CENROL_CAMP, CENROL_CAND, CENROL_BACK };
/* form_check of enrolling by hand: the candidate page around the error. */
void office_camp_enrol_context(struct web_req *req, const struct web_value *v);
/* form_check of enrolling a filter: the candidate list's form. */
void office_camp_enrol_filter_context(struct web_req *req,
    const struct web_value *v);
extern const struct web_field camp_wave_fields[];	/* id, wave, refresh */
enum camp_wave_field { CWAVE_ID, CWAVE_WAVE, CWAVE_REFRESH };
/* The filter (hidden, as the candidate list has it) and the campaign. */
extern const struct web_field camp_enrol_filter_fields[];
#define CENROLF_CAMP FILTER__MAX
void page_campaign_preview(struct web_req *req);
void page_campaign_test(struct web_req *req);
void page_campaign_stats(struct web_req *req);
void page_campaign_winner(struct web_req *req);
void page_campaign_members(struct web_req *req);
void page_campaign_enrol(struct web_req *req);
void page_campaign_unenrol(struct web_req *req);
void page_campaign_enrol_filter(struct web_req *req);
void page_campaign_wave(struct web_req *req);
/* The candidate page's section: their campaigns (Page.enrolments) and
 * the campaigns they may be added to (Page.enrol_camps). */
void office_camp_person_context(struct web_req *req, uint64_t cand);
/* The candidate list's form that enrols everyone the filter matches. */
void office_camp_enrol_form_data(struct web_req *req);

/* Notices (page_notices.c): the list, marking read, the nav's count. */
extern const struct web_field notice_read_fields[];	/* id, all */
enum notice_read_field { NREAD_ID, NREAD_ALL };
void page_notices(struct web_req *req);
void page_notice_read(struct web_req *req);
/* Unread count for the navigation bar (User.notices) and, with home, the
 * newest unread ones (Page.notices). */
void office_page_data(struct web_req *req);
void notices_home(struct web_req *req);

/* "My account": the mail signature (page_account.c). */
extern const struct web_field signature_fields[];	/* "signature" */
void page_signature(struct web_req *req);

/*
 * Roles and rediscovery (page_roles.c: the list, a new role, its page,
 * editing, states, comments, the silver list; page_role_matches.c: the
 * ranking and what is done from it; page_role_pipeline.c: the board and
 * list, moves). Hiring managers reach the routes that allow them only for
 * the roles they are attached to (office_role_load).
 */
#define OFFICE_ROLES (OFFICE_STAFF | (1u << ROLE_HIRING_MANAGER))
/* The role id as page data (Page.role.*), or an answer given (404 for
 * none; 403 for a hiring manager not attached to it, or for any hiring
 * manager when staff_only) and NULL. */
json_t *office_role_load(struct web_req *req, uint64_t id, int staff_only);
/* Whether the signed-in user is a hiring manager. */
int office_is_manager(const struct web_req *req);
/* The candidate page's section: the pipelines they are in (Page.pipes). */
void office_role_person_context(struct web_req *req, uint64_t cand);
/* A hiring manager's home: their roles (Page.roles). */
void office_role_home(struct web_req *req);

extern const struct web_field role_list_fields[];	/* page, status */
enum role_list_field { RLIST_PAGE, RLIST_STATUS };
extern const struct web_field role_view_fields[];	/* id, done, cpage */
enum role_view_field { RVIEW_ID, RVIEW_DONE, RVIEW_CPAGE };
extern const struct web_field role_form_fields[];
enum role_form_field {
	RF_ID, RF_GEN, RF_TITLE, RF_TEAM, RF_FAMILY, RF_LOCATIONS, RF_REMOTE,
	RF_SENIORITY, RF_REQUIRED, RF_NICE, RF_DESCRIPTION, RF_MANAGERS,
	RF_OWNER, RF_THRESHOLD, RF_OPEN, RF__MAX
};
extern const struct web_field role_state_fields[];	/* id, status */
enum role_state_field { RSTATE_ID, RSTATE_STATUS };
extern const struct web_field role_comment_fields[];	/* id, text */
enum role_comment_field { RCOMM_ID, RCOMM_TEXT };
extern const struct web_field role_silver_fields[];	/* id, cand */
enum role_silver_field { RSILV_ID, RSILV_CAND };
void page_roles(struct web_req *req);
void page_role_new_form(struct web_req *req);
void page_role_new(struct web_req *req);
void page_role(struct web_req *req);
void page_role_edit_form(struct web_req *req);
void page_role_edit(struct web_req *req);
/* form_check of the role form: the page data around the errors. */
void office_role_form_context(struct web_req *req, const struct web_value *v);
void page_role_state(struct web_req *req);
void page_role_comment(struct web_req *req);
void office_role_comment_context(struct web_req *req,
    const struct web_value *v);
void page_role_silver_undo(struct web_req *req);

extern const struct web_field role_match_fields[];
enum role_match_field { RM_ID, RM_PAGE, RM_CITY, RM_COUNTRY, RM_SENIORITY,
	RM_POOL, RM_LEVEL, RM_DONE, RM__MAX };
extern const struct web_field role_shortlist_fields[];	/* role, cand, back, shown */
enum role_shortlist_field { RSL_ROLE, RSL_CAND, RSL_BACK, RSL_SHOWN };
extern const struct web_field role_mail_view_fields[];	/* role, cand */
extern const struct web_field role_mail_fields[];	/* role, cand, subject, body, to */
enum role_mail_field { RMAIL_ROLE, RMAIL_CAND, RMAIL_SUBJECT, RMAIL_BODY, RMAIL_TO };
extern const struct web_field role_enrol_fields[];	/* role, cand, camp, back */
enum role_enrol_field { RENR_ROLE, RENR_CAND, RENR_CAMP, RENR_BACK };
void page_role_matches(struct web_req *req);
void page_role_shortlist(struct web_req *req);
void page_role_mail_form(struct web_req *req);
void page_role_mail(struct web_req *req);
void office_role_mail_context(struct web_req *req, const struct web_value *v);
void office_role_enrol_context(struct web_req *req, const struct web_value *v);
void page_role_enrol(struct web_req *req);

extern const struct web_field role_pipe_fields[];	/* id, view, page, done */
enum role_pipe_field { RP_ID, RP_VIEW, RP_PAGE, RP_DONE };
extern const struct web_field role_move_fields[];	/* role, cand, stage, view */
enum role_move_field { RMOVE_ROLE, RMOVE_CAND, RMOVE_STAGE, RMOVE_VIEW };
void page_role_pipeline(struct web_req *req);
void office_role_move_context(struct web_req *req, const struct web_value *v);
void page_role_move(struct web_req *req);

#endif
