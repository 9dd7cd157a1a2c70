/* cmd_user.c: hearthctl user add|count */
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

#define GENERATED_BYTES 12	/* 16 base64url characters */

/* The password: the first line of stdin when it is not a terminal,
 * otherwise a generated one that is printed once. */
static int
read_password(char *buf, size_t size, int *generated)
{
	unsigned char raw[GENERATED_BYTES];

	*generated = !isatty(STDIN_FILENO) ? 0 : 1;
	if (!*generated) {
		if (fgets(buf, (int)size, stdin) == NULL)
			return -1;
		buf[strcspn(buf, "\r\n")] = '\0';
		return 0;
	}
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(buf, size, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
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
	rc = auth_user_add(st, email, password, role, &id);
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

int
cmd_user(HDF *conf, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(conf, argc, argv);
	if (argc == 2 && strcmp(argv[1], "count") == 0)
		return user_count(conf);
	fprintf(stderr, "usage: hearthctl user add EMAIL --role ROLE | user count\n");
	return 2;
}
