/* cmd_user.c: hearthctl user add|count|list|disable|passwd */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bin/hearthctl/hearthctl.h"
#include "crm/auth.h"
#include "store/store.h"
#include "util/he.h"
#include "util/text.h"

/* The password: the first line of stdin when it is not a terminal,
 * otherwise a generated one that is printed once. */
static int
read_password(char *buf, size_t size, int *generated)
{
	*generated = !isatty(STDIN_FILENO) ? 0 : 1;
	if (!*generated) {
		if (fgets(buf, (int)size, stdin) == NULL)
			return -1;
		buf[strcspn(buf, "\r\n")] = '\0';
		return 0;
	}
	auth_password_generate(buf);
	return 0;
}

static int
user_add(HDF *conf, int argc, char **argv)
{
	enum auth_role role;
	struct store *st;
	char password[1100], *email;
	uint64_t id;
	int generated, rc;

	if (argc != 5 || strcmp(argv[3], "--role") != 0) {
		fprintf(stderr, "usage: hearthctl user add EMAIL --role admin|recruiter|hiring_manager\n");
		return 2;
	}
	if (auth_role_parse(argv[4], &role) != HE_OK) {
		fprintf(stderr, "hearthctl: unknown role '%s' (admin, recruiter, hiring_manager)\n", argv[4]);
		return 2;
	}
	if (text_email_normalise(argv[2], &email) != HE_OK) {
		fprintf(stderr, "hearthctl: '%s' is not an email address\n", argv[2]);
		return 2;
	}
	if (read_password(password, sizeof password, &generated) != 0) {
		fprintf(stderr, "hearthctl: no password on stdin\n");
		free(email);
		return 1;
	}
	if (ctl_open(conf, &st) != 0) {
		free(email);
		return 1;
	}
	rc = auth_user_add(st, NULL, email, "", password, role, &id);
	store_close(st);
	if (rc == HE_OK) {
		printf("user %s added as %s\n", email, auth_role_name(role));
		if (generated)
			printf("password: %s\n", password);
	} else if (rc == HE_EXISTS) {
		fprintf(stderr, "hearthctl: a user with email %s exists already\n", email);
	} else if (rc == HE_INVALID) {
		fprintf(stderr, "hearthctl: the password must be 8 to 1024 bytes\n");
	} else {
		fprintf(stderr, "hearthctl: cannot add the user: %s\n", he_strerror(rc));
	}
	sodium_memzero(password, sizeof password);
	free(email);
	return rc == HE_OK ? 0 : 1;
}

static int
user_count(HDF *conf)
{
	struct store *st;
	size_t n;
	int rc;

	if (ctl_open(conf, &st) != 0)
		return 1;
	rc = auth_user_count(st, &n);
	store_close(st);
	if (rc != HE_OK) {
		fprintf(stderr, "hearthctl: %s\n", he_strerror(rc));
		return 1;
	}
	printf("%zu\n", n);
	return 0;
}

static int
user_list(HDF *conf)
{
	struct auth_user_info *users;
	struct store *st;
	size_t n;
	int rc;

	if (ctl_open(conf, &st) != 0)
		return 1;
	rc = auth_user_list(st, &users, &n);
	store_close(st);
	if (rc != HE_OK) {
		fprintf(stderr, "hearthctl: %s\n", he_strerror(rc));
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		printf("%llu\t%s\t%s\t%s\n", (unsigned long long)users[i].id,
		    users[i].email, auth_role_name(users[i].role),
		    users[i].disabled ? "disabled" : "active");
	free(users);
	return 0;
}

/* The user EMAIL names, or a message and NULL. */
static int
find_user(struct store *st, const char *arg, struct auth_user_info *u)
{
	char *email;
	int rc;

	if (text_email_normalise(arg, &email) != HE_OK) {
		fprintf(stderr, "hearthctl: '%s' is not an email address\n", arg);
		return HE_INVALID;
	}
	rc = auth_user_find(st, email, u);
	if (rc == HE_NOTFOUND)
		fprintf(stderr, "hearthctl: no user has the email %s\n", email);
	else if (rc != HE_OK)
		fprintf(stderr, "hearthctl: %s\n", he_strerror(rc));
	free(email);
	return rc;
}

static int
user_disable(HDF *conf, const char *arg)
{
	struct auth_user_info u;
	struct store *st;
	int rc;

	if (ctl_open(conf, &st) != 0)
		return 1;
	if ((rc = find_user(st, arg, &u)) == HE_OK) {
		rc = auth_user_set_disabled(st, NULL, u.id, 1);
		if (rc == HE_OK)
			printf("user %s disabled\n", u.email);
		else if (rc == HE_DENIED)
			fprintf(stderr, "hearthctl: %s is the last active admin; add "
			    "or enable another admin first\n", u.email);
		else
			fprintf(stderr, "hearthctl: cannot disable %s: %s\n", u.email,
			    he_strerror(rc));
	}
	store_close(st);
	return rc == HE_OK ? 0 : 1;
}

static int
user_passwd(HDF *conf, const char *arg)
{
	struct auth_user_info u;
	struct store *st;
	char password[1100];
	int generated, rc;

	if (ctl_open(conf, &st) != 0)
		return 1;
	if ((rc = find_user(st, arg, &u)) != HE_OK) {
		store_close(st);
		return 1;
	}
	if (read_password(password, sizeof password, &generated) != 0) {
		fprintf(stderr, "hearthctl: no password on stdin\n");
		store_close(st);
		return 1;
	}
	rc = auth_user_reset(st, NULL, u.id, password);
	store_close(st);
	if (rc == HE_OK) {
		printf("password of %s set; their sessions have ended\n", u.email);
		if (generated)
			printf("password: %s\n", password);
	} else if (rc == HE_INVALID) {
		fprintf(stderr, "hearthctl: the password must be 8 to 1024 bytes\n");
	} else {
		fprintf(stderr, "hearthctl: cannot set the password: %s\n",
		    he_strerror(rc));
	}
	sodium_memzero(password, sizeof password);
	return rc == HE_OK ? 0 : 1;
}

int
cmd_user(HDF *conf, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(conf, argc, argv);
	if (argc == 2 && strcmp(argv[1], "count") == 0)
		return user_count(conf);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return user_list(conf);
	if (argc == 3 && strcmp(argv[1], "disable") == 0)
		return user_disable(conf, argv[2]);
	if (argc == 3 && strcmp(argv[1], "passwd") == 0)
		return user_passwd(conf, argv[2]);
	fprintf(stderr, "usage: hearthctl user add EMAIL --role ROLE | user count | "
	    "user list | user disable EMAIL | user passwd EMAIL\n");
	return 2;
}
