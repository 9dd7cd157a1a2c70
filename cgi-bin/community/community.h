/* community.h: what the pages of the public program share */
#ifndef HEARTH_COMMUNITY_PROG_H
#define HEARTH_COMMUNITY_PROG_H

#include "web/web.h"

struct store;

/* One per worker, made by worker_init in main.c. */
struct community {
	struct store *st;
	const char *policy_version;
	const char *consent_purpose;
};

/* The program: its routes and worker set-up (app.c). */
extern const struct web_app community_app;

/* The field table of the signup form, in page_join.c. */
extern const struct web_field join_fields[];
enum join_field { JOIN_NAME, JOIN_EMAIL, JOIN_CONSENT };

void page_landing(struct web_req *req);
void page_joined(struct web_req *req);
void page_join(struct web_req *req);

#endif
