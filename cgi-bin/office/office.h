/* office.h: what the pages of the back-office program share */
#ifndef HEARTH_OFFICE_H
#define HEARTH_OFFICE_H

#include <jansson.h>

#include "crm/auth.h"
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

void page_candidates(struct web_req *req);
void page_candidate(struct web_req *req);
void page_mails(struct web_req *req);
void page_mail(struct web_req *req);

/* Page data helpers (page_candidate.c): a time in people's terms, and
 * the string and number fields of a JSON object under prefix. */
void office_set_time(struct web_req *req, const char *name, json_t *v,
    int micro);
void office_set_fields(struct web_req *req, const char *prefix, json_t *obj);

#endif
