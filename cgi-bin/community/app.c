/* app.c: the public talent-community program: route table and worker set-up */
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/community/community.h"
#include "crm/setup.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"

#define LANDING "community/landing.cs"
#define PREFS "community/preferences.cs"

static const struct web_route routes[] = {
	{ WEB_GET, "/", page_landing, 0, 0, landing_fields, NULL, NULL },
	{ WEB_POST, "/join", page_join, WEB_R_LIMITED | WEB_R_UPLOAD, 0,
	    join_fields, LANDING,
	    check_join },
	{ WEB_GET, "/joined", page_joined, 0, 0, NULL, NULL, NULL },
	{ WEB_GET, "/confirm", page_confirm_form, 0, 0, link_fields, NULL, NULL },
	{ WEB_POST, "/confirm", page_confirm, 0, 0, link_fields, NULL, NULL },
	{ WEB_GET, "/welcome", page_welcome, 0, 0, link_fields, NULL, NULL },
	{ WEB_GET, "/preferences", page_prefs_form, 0, 0, prefs_view_fields,
	    NULL, NULL },
	{ WEB_POST, "/preferences", page_prefs_save, 0, 0, prefs_fields, PREFS,
	    check_prefs },
	{ WEB_POST, "/preferences/request", page_prefs_request, 0, 0,
	    request_fields, NULL, NULL },
	{ WEB_GET, "/unsubscribe", page_unsubscribe_form, 0, 0, link_fields, NULL, NULL },
	{ WEB_POST, "/unsubscribe", page_unsubscribe, 0, 0, link_fields, NULL, NULL },
	/* RFC 8058: mail clients post here without cookies; the signed link
	 * is the proof. A GET (a scanner's prefetch) only shows the page. */
	{ WEB_GET, "/unsubscribe/one-click", page_unsubscribe_form, 0, 0,
	    link_fields, NULL, NULL },
	{ WEB_POST, "/unsubscribe/one-click", page_one_click, WEB_R_NOCSRF, 0,
	    link_fields, NULL, NULL },
	{ WEB_GET, "/data", page_data_form, 0, 0, NULL, NULL, NULL },
	{ WEB_POST, "/data", page_data_request, WEB_R_LIMITED, 0, data_fields,
	    "community/data.cs", NULL },
	{ WEB_GET, "/export", page_export_form, 0, 0, link_fields, NULL, NULL },
	{ WEB_POST, "/export", page_export, 0, 0, link_fields, NULL, NULL },
	{ WEB_GET, "/erase", page_erase_form, 0, 0, link_fields, NULL, NULL },
	{ WEB_POST, "/erase", page_erase, 0, 0, link_fields, NULL, NULL },
	/* Campaign mail tracking: signed per mail, never an open redirect. */
	{ WEB_GET, "/r", page_track_click, 0, 0, track_click_fields, NULL, NULL },
	{ WEB_GET, "/o", page_track_open, 0, 0, track_open_fields, NULL, NULL },
};

const char *family_ids[FAMILIES_MAX + 1];

/* The job families people choose from, in the order configured. */
static void
load_families(HDF *conf)
{
	size_t n = 0;

	for (HDF *h = hdf_get_child(conf, "Site.JobFamilies"); h &&
	    n < FAMILIES_MAX; h = hdf_obj_next(h))
		family_ids[n++] = hdf_obj_name(h);
	family_ids[n] = NULL;
	if (n == 0)
		log_warn("Site.JobFamilies is empty: the signup cannot be completed");
}

static int
worker_init(HDF *conf, void **ctx)
{
	struct community *c = calloc(1, sizeof *c);
	int rc;

	if (c == NULL)
		return HE_NOMEM;
	if ((rc = crm_open(conf, &c->st)) != HE_OK) {
		free(c);
		return rc;
	}
	if ((rc = comm_setup(conf, c->st, &c->comm)) != HE_OK) {
		store_close(c->st);
		free(c);
		return rc;
	}
	load_families(conf);
	*ctx = c;
	return HE_OK;
}

static void
worker_fini(void *ctx)
{
	struct community *c = ctx;

	for (size_t i = 0; c->vocab && c->vocab[i]; i++)
		free(c->vocab[i]);
	free(c->vocab);
	free(c->landing.body);
	comm_cleanup(&c->comm);
	store_close(c->st);
	free(c);
}

const struct web_app community_app = {
	.name = "community",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.cookie_path = "/",
	.login_path = "/",
	.worker_init = worker_init,
	.worker_fini = worker_fini,
	.session = NULL,
};
