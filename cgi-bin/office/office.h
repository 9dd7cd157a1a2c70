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

void page_candidates(struct web_req *req);
void page_mails(struct web_req *req);
void page_mail(struct web_req *req);

/* The profile page (page_candidate.c): ?id=N&tl=page of its timeline. */
extern const struct web_field candidate_fields[];
enum candidate_field { CAND_ID, CAND_TL, CAND_DONE };
void page_candidate(struct web_req *req);
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
void check_new(struct web_req *req, const struct web_value *v);
void page_touch(struct web_req *req);
void check_touch(struct web_req *req, const struct web_value *v);
void page_note(struct web_req *req);
void check_note(struct web_req *req, const struct web_value *v);
void page_verify(struct web_req *req);
void check_verify(struct web_req *req, const struct web_value *v);

/* Page data helpers (page_candidate.c): a time in people's terms, and
 * the string and number fields of a JSON object under prefix. */
void office_set_time(struct web_req *req, const char *name, json_t *v,
    int micro);
void office_set_fields(struct web_req *req, const char *prefix, json_t *obj);

#endif
