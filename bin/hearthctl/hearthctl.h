/* hearthctl.h: the admin tool's subcommands */
#ifndef HEARTH_HEARTHCTL_H
#define HEARTH_HEARTHCTL_H

#include <ClearSilver.h>

/* Each returns the process exit status: 0 ok, 1 failed, 2 usage. */
int cmd_init(HDF *conf, int argc, char **argv);
int cmd_user(HDF *conf, int argc, char **argv);
int cmd_worker(HDF *conf, int argc, char **argv);
int cmd_verify(HDF *conf, int argc, char **argv);
int cmd_candidates(HDF *conf, int argc, char **argv);
int cmd_fresh(HDF *conf, int argc, char **argv);
int cmd_match(HDF *conf, int argc, char **argv);
int cmd_queue(HDF *conf, int argc, char **argv);

/* Opens the store or says why not on stderr; 0 on success. */
struct store;
int ctl_open(HDF *conf, struct store **st);

#endif
