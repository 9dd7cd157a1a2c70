/* community.c: set-up, links and the shapes of profile fields */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/campaign_mail.h"
#include "crm/candidates.h"
#include "crm/community_int.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/text.h"

const char *const comm_seniorities[] = {
	"student", "junior", "mid", "senior", "lead", "executive", NULL,
};

/* Every new matching role, a monthly digest, or only important news. */
const char *const comm_frequencies[] = { "roles", "digest", "news", NULL };

static int
in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

int
comm_seniority_known(const char *s)
{
	return in_list(comm_seniorities, s);
}

int
comm_frequency_known(const char *s)
{
	return in_list(comm_frequencies, s);
}

/* SHA-256 of the policy file, streamed. */
static int
hash_file(const char *path, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char buf[8192], digest[crypto_hash_sha256_BYTES];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		log_error("community: cannot read the policy %s: %s", path,
		    strerror(errno));
		return HE_NOTFOUND;
	}
	crypto_hash_sha256_init(&h);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return HE_IO;
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
	return HE_OK;
}

int
comm_setup(HDF *conf, struct store *st, struct comm *c)
{
	char *secret = conf_path(conf, "Site.SecretFile", "var/secret");
	char *policy = conf_path(conf, "Site.PolicyFile",
	    "htdocs/static/privacy.html");
	int rc = HE_NOMEM;

	memset(c, 0, sizeof *c);
	c->st = st;
	c->policy_version = conf_str(conf, "Site.PolicyVersion", "1");
	c->purpose = conf_str(conf, "Site.ConsentPurpose",
	    "Keep me informed about roles and news");
	c->resume_dir = conf_path(conf, "Community.ResumeDir", "var/resumes");
	c->outbox_dir = conf_path(conf, "Mail.OutboxDir", "var/outbox");
	if (secret && policy && c->resume_dir && c->outbox_dir &&
	    (rc = tok_key_load(secret, c->key)) == HE_OK) {
		store_set_site_key(st, c->key);
		rc = hash_file(policy, c->policy_sha256);
	}
	/* Campaign mails are rendered wherever there is a comm to sign them. */
	if (rc == HE_OK)
		rc = campaign_mail_configure(conf);
	free(secret);
	free(policy);
	if (rc != HE_OK)
		comm_cleanup(c);
	return rc;
}

void
comm_cleanup(struct comm *c)
{
	free(c->resume_dir);
	free(c->outbox_dir);
	c->resume_dir = c->outbox_dir = NULL;
	sodium_memzero(c->key, sizeof c->key);
}

void
comm_email_key(const struct comm *c, const char *email,
    char out[TOK_MACSTRLEN])
{
	tok_mac(c->key, "email", email, out);
}

static const struct {
	const char *purpose;
	time_t lifetime;
} links[COMM_LINK__MAX] = {
	[COMM_LINK_CONFIRM] = { "confirm", 7 * 86400 },
	/* Links in mail people keep: a preference or leave link must still
	 * work when they find an old mail. */
	[COMM_LINK_PREFS] = { "prefs", 180 * 86400 },
	[COMM_LINK_UNSUBSCRIBE] = { "unsubscribe", 365 * 86400 },
	[COMM_LINK_EXPORT] = { "export", 86400 },
	[COMM_LINK_ERASE] = { "erase", 86400 },
};

int
comm_link_sign(const struct comm *c, enum comm_link link, uint64_t cand,
    const char *nonce, time_t from, char **token)
{
	char subject[64];
	int n = snprintf(subject, sizeof subject, "%llu%s%s",
	    (unsigned long long)cand, nonce ? "." : "", nonce ? nonce : "");

	if (n < 0 || (size_t)n >= sizeof subject)
		return HE_INVALID;
	return tok_sign(c->key, links[link].purpose, subject, (size_t)n,
	    from + links[link].lifetime, token);
}

int
comm_link_check(const struct comm *c, enum comm_link link, const char *token,
    uint64_t *cand, char nonce[COMM_NONCE_LEN + 1])
{
	char *subject, *end;
	size_t len;
	unsigned long long id;
	int rc;

	if (nonce)
		nonce[0] = '\0';
	if ((rc = tok_verify(c->key, links[link].purpose, token, time(NULL),
	    &subject, &len)) != HE_OK)
		return rc;
	errno = 0;
	id = strtoull(subject, &end, 10);
	rc = HE_OK;
	if (errno || end == subject || id == 0)
		rc = HE_INVALID;
	else if (*end == '.' && nonce && strlen(end + 1) == COMM_NONCE_LEN)
		memcpy(nonce, end + 1, COMM_NONCE_LEN + 1);
	else if (*end != '\0')
		rc = HE_INVALID;
	free(subject);
	/* A link mailed before a merge finds the person where they are now. */
	if (rc == HE_OK && (rc = cand_resolve(c->st, id, cand)) == HE_NOTFOUND) {
		*cand = id;	/* the page then says what a gone record means */
		rc = HE_OK;
	}
	return rc;
}

int
comm_skills_parse(const char *text, json_t **out)
{
	json_t *arr = json_array();
	const char *p = text;

	if (arr == NULL)
		return HE_NOMEM;
	while (*p) {
		size_t n = strcspn(p, ",;\n");
		char *raw = strndup(p, n), *clean = NULL;
		int rc = raw ? text_clean_line(raw, &clean) : HE_NOMEM;
		int dup = 0;

		free(raw);
		p += n + (p[n] != '\0');
		if (rc != HE_OK) {
			json_decref(arr);
			return rc;
		}
		for (char *q = clean; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
		for (size_t i = 0; i < json_array_size(arr); i++)
			dup |= strcmp(json_string_value(json_array_get(arr, i)),
			    clean) == 0;
		if (clean[0] && !dup && (text_chars(clean) > COMM_SKILL_MAX ||
		    json_array_size(arr) == COMM_SKILLS_MAX)) {
			free(clean);
			json_decref(arr);
			return HE_INVALID;
		}
		if (clean[0] && !dup)
			json_array_append_new(arr, json_string(clean));
		free(clean);
	}
	*out = arr;
	return HE_OK;
}

int
comm_phone_ok(const char *s)
{
	size_t digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr("+()-. ", *s))
			return 0;
	}
	return digits >= 6 && digits <= 20;
}

int
comm_url_ok(const char *s)
{
	const char *host;
	size_t hlen;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	hlen = strcspn(host, "/?#");
	if (hlen == 0 || memchr(host, '.', hlen) == NULL)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '<' || *s == '>')
			return 0;
	return 1;
}
