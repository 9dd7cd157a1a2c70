/* office.h: what the pages of the back-office program share */
#ifndef HEARTH_OFFICE_H
#define HEARTH_OFFICE_H

#include "crm/auth.h"
#include "web/web.h"

struct store;

/* One per worker, made by worker_init in main.c. */
struct office {
	struct store *st;
	struct auth_limits limits;
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
void page_candidates(struct web_req *req);

#endif
