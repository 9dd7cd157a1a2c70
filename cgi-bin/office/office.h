/* office.h: what the pages of the back-office program share */
#ifndef HEARTH_OFFICE_H
#define HEARTH_OFFICE_H

#include <jansson.h>

#include "crm/auth.h"
#include "crm/query.h"
#include "web/web.h"

struct store;

/* One per worker, made by worker_init in main.c. */
struct office {
	struct store *st;
	struct auth_limits limits;
	char *outbox_dir;	/* the .eml files of the embedded default */
};

/* The program: its routes, sessions and worker set-up (app.c). */
extern const struct web_app office_app;

#define OFFICE_HOME "/office/candidates"
#define OFFICE_LOGIN "/office/login"

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
void page_candidate(struct web_req *req);
void page_mails(struct web_req *req);
void page_mail(struct web_req *req);

/* Background jobs (page_job.c). */
extern const struct web_field job_id_fields[];	/* "id" of a job */
extern const struct web_field job_view_fields[];
enum job_view_field { JOB_VIEW_ID, JOB_VIEW_REFRESH };
void page_jobs(struct web_req *req);
void page_job(struct web_req *req);
void page_job_cancel(struct web_req *req);

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

/* Page data helpers (page_candidate.c): a time in people's terms, and
 * the string and number fields of a JSON object under prefix. */
void office_set_time(struct web_req *req, const char *name, json_t *v,
    int micro);
void office_set_fields(struct web_req *req, const char *prefix, json_t *obj);

#endif
