/* main.c: hearthctl, the admin tool: subcommand table and shared helpers */
#include <stdio.h>
#include <string.h>

#include "bin/hearthctl/hearthctl.h"
#include "crm/setup.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"

static const struct {
	const char *name;
	int (*run)(HDF *conf, int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "init", cmd_init, "init                      create var/, the site key and the database" },
	{ "user", cmd_user, "user add EMAIL --role R   add a user (R: admin, recruiter, hiring_manager;\n"
	    "                          password from stdin, or generated and printed)\n"
	    "  user count              print the number of users\n"
	    "  user list               list users: id, email, role, active or disabled\n"
	    "  user disable EMAIL      disable a user (not the last active admin)\n"
	    "  user passwd EMAIL       set a user's password (stdin, or generated and\n"
	    "                          printed) and end their sessions" },
	{ "worker", cmd_worker, "worker [--once]           run the background daemon (mail, checkpoints)" },
	{ "verify", cmd_verify, "verify                    check every index and consent chain" },
	{ "candidates", cmd_candidates, "candidates                list candidates: id, email, name" },
	{ "queue", cmd_queue, "queue CANDIDATE_ID...     print each one's mails and enrolments as stored\n"
	    "                          (state, due, attempts, claim; step, due), one a line" },
	{ "fresh", cmd_fresh, "fresh [--at UNIXTIME]     flag stale records and cool levels now (as at a time)" },
	{ "match", cmd_match, "match rebuild             rebuild every candidate's match record (after\n"
	    "                          editing the skill synonym table)" },
};

int
ctl_open(HDF *conf, struct store **st)
{
	int rc = crm_open(conf, st);

	if (rc != HE_OK)
		fprintf(stderr, "hearthctl: cannot open the database: %s\n",
		    he_strerror(rc));
	return rc == HE_OK ? 0 : 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: hearthctl COMMAND ...\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(stderr, "  %s\n", commands[i].usage);
	return 2;
}

int
main(int argc, char **argv)
{
	HDF *conf;
	int status;

	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (conf_load(&conf) != HE_OK) {
			fprintf(stderr, "hearthctl: cannot read the configuration "
			    "(HEARTH_HOME/conf/hearth.hdf, HEARTH_CONF)\n");
			return 1;
		}
		log_setup("hearthctl", conf_str(conf, "Log.Level", "info"), 0);
		status = commands[i].run(conf, argc - 1, argv + 1);
		hdf_destroy(&conf);
		return status;
	}
	return usage();
}
