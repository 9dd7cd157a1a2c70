/* page_landing.c: the signup page and the page after it (the consent
 * wording and the job families come from Site.* in the configuration) */
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/community/community.h"
#include "store/entities.h"
#include "util/he.h"

#define VOCAB_MAX 300		/* suggestions offered */
#define VOCAB_TTL 60		/* seconds a worker keeps them */

/* ?source=... or ?utm_source=... on the landing address says how people
 * heard of us; it travels with the form. */
const struct web_field landing_fields[] = {
	{ "source", WEB_FT_TEXT, 0, 100, "Source", NULL, NULL, NULL },
	{ "utm_source", WEB_FT_TEXT, 0, 100, "Source", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

struct vocab {
	char **words;
	size_t n;
};

static int
add_word(const char *skill, size_t len, void *ctx)
{
	struct vocab *v = ctx;

	if ((v->words[v->n] = strndup(skill, len)) == NULL)
		return HE_NOMEM;
	v->n++;
	return HE_OK;
}

/* Reads the skills people gave again when the copy is older than
 * VOCAB_TTL; a failed read keeps the old copy. */
static void
refresh_vocabulary(struct community *c)
{
	time_t now = time(NULL);
	struct vocab v;

	if (c->vocab && now - c->vocab_at < VOCAB_TTL)
		return;
	v = (struct vocab){ calloc(VOCAB_MAX + 1, sizeof(char *)), 0 };
	if (v.words && store_skill_vocabulary(c->st, NULL, VOCAB_MAX, add_word,
	    &v) == HE_OK) {
		for (size_t i = 0; c->vocab && c->vocab[i]; i++)
			free(c->vocab[i]);
		free(c->vocab);
		c->vocab = v.words;
		c->vocab_at = now;
	} else if (v.words) {
		for (size_t i = 0; i < v.n; i++)
			free(v.words[i]);
		free(v.words);
	}
}

void
set_skill_suggestions(struct web_req *req)
{
	struct community *c = req->ctx;
	char name[32];

	refresh_vocabulary(c);
	for (size_t i = 0; c->vocab && c->vocab[i]; i++) {
		snprintf(name, sizeof name, "Page.skills.%zu", i);
		web_set(req, name, c->vocab[i]);
	}
}

/* The page most people see, without a source, is rendered once per
 * worker and vocabulary: only each visitor's form token changes. */
void
page_landing(struct web_req *req)
{
	struct community *c = req->ctx;
	const char *source = req->v[0].present ? req->v[0].str : req->v[1].str;

	if (source[0] == '\0') {
		refresh_vocabulary(c);
		if (c->landing.body == NULL || c->landing.generation != c->vocab_at)
			set_skill_suggestions(req);
		web_render_cached(req, &c->landing, (long)c->vocab_at,
		    "community/landing.cs");
		return;
	}
	web_set(req, "Form.source.value", source);
	set_skill_suggestions(req);
	web_render(req, 200, "community/landing.cs");
}

void
page_joined(struct web_req *req)
{
	web_render(req, 200, "community/joined.cs");
}
