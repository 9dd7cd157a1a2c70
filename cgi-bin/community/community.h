/* community.h: what the pages of the public program share */
#ifndef HEARTH_COMMUNITY_PROG_H
#define HEARTH_COMMUNITY_PROG_H

#include "crm/community.h"
#include "web/web.h"

/* One per worker, made by worker_init in app.c. */
struct community {
	struct comm comm;
	struct store *st;
	time_t vocab_at;		/* when Page.skills was last read */
	char **vocab;			/* skill suggestions, NULL-terminated */
	struct web_page_cache landing;	/* GET / without a source */
};

/* The program: its routes and worker set-up (app.c). */
extern const struct web_app community_app;

/* The job families of Site.JobFamilies: the choices of "interests". */
#define FAMILIES_MAX 32
extern const char *family_ids[FAMILIES_MAX + 1];

/* Fields the signup and the preference centre share, and the signed link
 * ("t") of every page reached from a mail. */
#define FIELD_LINK { "t", WEB_FT_TEXT, WEB_FF_REQUIRED, 1024, "The link", \
	"This link is incomplete. Please open it again from the email, or " \
	"copy the whole address into your browser.", NULL, NULL }
#define FIELD_CITY { "city", WEB_FT_TEXT, 0, 100, "City", NULL, NULL, NULL }
#define FIELD_COUNTRY { "country", WEB_FT_TEXT, 0, 100, "Country", NULL, \
	NULL, NULL }
#define FIELD_REMOTE { "remote", WEB_FT_CHECKBOX, 0, 0, "Remote", NULL, \
	NULL, NULL }
#define FIELD_INTERESTS { "interests", WEB_FT_MULTI, WEB_FF_REQUIRED, 0, \
	"Kinds of role", "Please choose at least one kind of role.", \
	family_ids, NULL }
#define FIELD_SENIORITY { "seniority", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, \
	"Seniority", "Please choose the level that fits you best.", \
	comm_seniorities, NULL }
/* Open tracking: allowed only when ticked (unticked by default). */
#define FIELD_TRACKING { "tracking", WEB_FT_CHECKBOX, 0, 0, "Open tracking", \
	NULL, NULL, NULL }
#define FIELD_SKILLS { "skills", WEB_FT_TEXT, 0, 1500, "Skills", NULL, NULL, \
	check_skills }

/* Field tables, each with its field numbers. */
extern const struct web_field join_fields[];
enum join_field {
	JOIN_FIRST, JOIN_LAST, JOIN_EMAIL, JOIN_PHONE, JOIN_CITY, JOIN_COUNTRY,
	JOIN_REMOTE, JOIN_INTERESTS, JOIN_SENIORITY, JOIN_SKILLS, JOIN_URL,
	JOIN_RESUME, JOIN_SOURCE, JOIN_CONSENT, JOIN_WEBSITE, JOIN_TRACKING,
};
extern const struct web_field landing_fields[];
extern const struct web_field link_fields[];	/* just "t" */
extern const struct web_field prefs_view_fields[];	/* "t", "saved" */
extern const struct web_field prefs_fields[];
enum prefs_field {
	PREFS_T, PREFS_CITY, PREFS_COUNTRY, PREFS_REMOTE, PREFS_INTERESTS,
	PREFS_SENIORITY, PREFS_SKILLS, PREFS_FREQUENCY, PREFS_PAUSE,
	PREFS_TRACKING,
};
extern const struct web_field request_fields[];	/* "t", "kind" */
extern const struct web_field data_fields[];	/* "email", "kind" */

/* Field checks shared by the signup and the preference centre. */
const char *check_skills(const char *value);
/* Where people would work: a city and a country, or remote. */
void check_location(struct web_req *req, const struct web_value *city,
    const struct web_value *country, const struct web_value *remote);
/* The routes' checks across fields. */
void check_join(struct web_req *req, const struct web_value *v);
void check_prefs(struct web_req *req, const struct web_value *v);

/* Sets Page.skills.N: suggestions from the skills people already gave. */
void set_skill_suggestions(struct web_req *req);

/*
 * The candidate a link in field "t" names, checked for purpose link (and
 * its nonce, when nonce is not NULL). Returns 0 with *cand set, or -1
 * after answering with a page that says what to do (an expired link) or
 * 400 (a link we never made).
 */
int link_candidate(struct web_req *req, enum comm_link link, uint64_t *cand,
    char nonce[COMM_NONCE_LEN + 1]);

/* Puts a freshly signed link of purpose link for cand at Page.<name>. */
void set_link(struct web_req *req, const char *name, enum comm_link link,
    uint64_t cand);

void page_landing(struct web_req *req);
void page_joined(struct web_req *req);
void page_join(struct web_req *req);
void page_confirm_form(struct web_req *req);
void page_confirm(struct web_req *req);
void page_welcome(struct web_req *req);
void page_prefs_form(struct web_req *req);
void page_prefs_save(struct web_req *req);
void page_unsubscribe_form(struct web_req *req);
void page_unsubscribe(struct web_req *req);
void page_one_click(struct web_req *req);
void page_data_form(struct web_req *req);
void page_data_request(struct web_req *req);
void page_prefs_request(struct web_req *req);
void page_export_form(struct web_req *req);
void page_export(struct web_req *req);
void page_erase_form(struct web_req *req);
void page_erase(struct web_req *req);
/* page_track.c: tracked links and the open pixel of campaign mails. */
extern const struct web_field track_click_fields[];	/* m, u, s */
extern const struct web_field track_open_fields[];	/* m, s */
void page_track_click(struct web_req *req);
void page_track_open(struct web_req *req);

#endif
