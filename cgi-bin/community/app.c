/* app.c: the public talent-community program: route table and worker set-up */
#include <stdlib.h>

#include "cgi-bin/community/community.h"
#include "crm/setup.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"

static const struct web_route routes[] = {
	{ WEB_GET, "/", page_landing, 0, 0, NULL, NULL },
	{ WEB_POST, "/join", page_join, 0, 0, join_fields, "community/landing.cs" },
	{ WEB_GET, "/joined", page_joined, 0, 0, NULL, NULL },
};

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
	c->policy_version = conf_str(conf, "Site.PolicyVersion", "1");
	c->consent_purpose = conf_str(conf, "Site.ConsentPurpose",
	    "Keep me informed about roles and news");
	*ctx = c;
	return HE_OK;
}

static void
worker_fini(void *ctx)
{
	struct community *c = ctx;

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
