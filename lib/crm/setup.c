/* setup.c: the store, opened the same way by every program */
#include <sodium.h>
#include <stdlib.h>

#include "crm/engage.h"
#include "crm/role.h"
#include "crm/setup.h"
#include "crm/skills.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/token.h"

/* The synonym table of matching (Match.SkillsFile): every process
 * normalises skills with the same one, or match records would disagree. */
static int
load_skills(HDF *conf)
{
	char *path = conf_path(conf, "Match.SkillsFile", "conf/skills.tsv");
	char err[256];
	int rc;

	if (path == NULL)
		return HE_NOMEM;
	if ((rc = skills_load(path, err, sizeof err)) != HE_OK)
		log_error("setup: the skill synonym table %s: %s", path, err[0] ?
		    err : he_strerror(rc));
	free(path);
	return rc;
}

int
crm_open(HDF *conf, struct store **st)
{
	char *home = conf_path(conf, "Db.Home", "var/db");
	char *secret = conf_path(conf, "Site.SecretFile", "var/secret");
	unsigned char key[TOK_KEYBYTES];
	int rc = HE_NOMEM;

	/* Every program scores and levels alike: the site's settings. */
	if (engage_configure(conf) != HE_OK || load_skills(conf) != HE_OK) {
		free(home);
		free(secret);
		return HE_INVALID;
	}
	/* The roles' families, alert threshold and mail template. */
	if (role_configure(conf) != HE_OK) {
		free(home);
		free(secret);
		return HE_NOMEM;
	}
	if (home && secret && (rc = tok_key_load(secret, key)) != HE_OK)
		log_error("setup: cannot read the site key %s (run hearthctl init): %s",
		    secret, he_strerror(rc));
	if (rc == HE_OK && (rc = store_open(st, home,
	    (int)conf_int(conf, "Db.CacheMB", 8),
	    (int)conf_int(conf, "Db.Durable", 1))) == HE_OK)
		store_set_site_key(*st, key);
	sodium_memzero(key, sizeof key);
	free(home);
	free(secret);
	return rc;
}
