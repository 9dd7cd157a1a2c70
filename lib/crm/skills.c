/* skills.c: skill names folded, and the synonym table of conf/skills.tsv */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/skills.h"
#include "util/he.h"

/* One skill of the table: its canonical name as people read it and
 * folded (the key every other name of it maps to). */
struct skill {
	char display[SKILL_KEY_SIZE];
	char key[SKILL_KEY_SIZE];
};

/* Every folded name -> index of its skill, open addressing. */
struct slot {
	char *name;		/* NULL: free */
	uint32_t skill;
};

struct table {
	struct skill *skills;
	size_t nskills, capskills;
	struct slot *slots;
	size_t nslots, used;
	uint64_t hash;
};

static struct table *loaded;

static uint64_t
fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV64_INIT 0xcbf29ce484222325ULL

/* UTF-8 characters in s[0..n) (continuation bytes not counted). */
static size_t
chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/*
 * Folds name into out: trimmed, runs of white space made one space, ASCII
 * lower-cased (other bytes as they are). lower 0 keeps the case (the
 * display form). HE_INVALID when empty or longer than SKILL_NAME_MAX.
 */
static int
fold(const char *name, char out[SKILL_KEY_SIZE], int lower)
{
	size_t len = 0;
	int space = 0;

	if (name == NULL)
		return HE_INVALID;
	for (const char *p = name; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
		    ch == '\v' || ch == '\f') {
			space = len > 0;
			continue;
		}
		if (len + 2 >= SKILL_KEY_SIZE)
			return HE_INVALID;
		if (space)
			out[len++] = ' ';
		space = 0;
		out[len++] = lower && ch < 0x80 ? (char)tolower(ch) : (char)ch;
	}
	out[len] = '\0';
	if (len == 0 || chars(out, len) > SKILL_NAME_MAX)
		return HE_INVALID;
	return HE_OK;
}

static struct slot *
lookup(const struct table *t, const char *name)
{
	size_t i;

	if (t == NULL || t->nslots == 0)
		return NULL;
	i = (size_t)fnv64(FNV64_INIT, name, strlen(name)) & (t->nslots - 1);
	for (; t->slots[i].name; i = (i + 1) & (t->nslots - 1))
		if (strcmp(t->slots[i].name, name) == 0)
			return &t->slots[i];
	return &t->slots[i];
}

static void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nslots; i++)
		free(t->slots[i].name);
	free(t->slots);
	free(t->skills);
	free(t);
}

static int
table_grow(struct table *t)
{
	struct slot *old = t->slots;
	size_t n = t->nslots;

	t->nslots = n ? n * 2 : 1024;
	if ((t->slots = calloc(t->nslots, sizeof *t->slots)) == NULL) {
		t->slots = old;
		t->nslots = n;
		return HE_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (old[i].name)
			*lookup(t, old[i].name) = old[i];
	free(old);
	return HE_OK;
}

/* Maps the folded name to skill; HE_EXISTS when it maps to another. */
static int
table_name(struct table *t, const char *name, uint32_t skill)
{
	struct slot *s;

	if (t->used * 2 >= t->nslots && table_grow(t) != HE_OK)
		return HE_NOMEM;
	s = lookup(t, name);
	if (s->name)
		return s->skill == skill ? HE_OK : HE_EXISTS;
	if ((s->name = strdup(name)) == NULL)
		return HE_NOMEM;
	s->skill = skill;
	t->used++;
	return HE_OK;
}

/* The skill a line's canonical name stands for: the one it already
 * names (a second line for the same skill adds names to it) or a new
 * one. HE_EXISTS when the name is another skill's other name. */
static int
table_skill(struct table *t, const char *display, const char *key,
    uint32_t *skill)
{
	struct slot *s = t->nslots ? lookup(t, key) : NULL;
	int rc;

	if (s && s->name) {
		if (strcmp(t->skills[s->skill].key, key) != 0)
			return HE_EXISTS;
		*skill = s->skill;
		return HE_OK;
	}
	if (t->nskills == t->capskills) {
		size_t c = t->capskills ? t->capskills * 2 : 256;
		struct skill *p = realloc(t->skills, c * sizeof *p);

		if (p == NULL)
			return HE_NOMEM;
		t->skills = p;
		t->capskills = c;
	}
	*skill = (uint32_t)t->nskills;
	memcpy(t->skills[t->nskills].display, display, SKILL_KEY_SIZE);
	memcpy(t->skills[t->nskills].key, key, SKILL_KEY_SIZE);
	t->nskills++;
	if ((rc = table_name(t, key, *skill)) != HE_OK)
		t->nskills--;
	return rc;
}

/* One line of the file (no new line); HE_INVALID with err set. */
static int
load_line(struct table *t, char *line, size_t lineno, char *err, size_t errlen)
{
	char display[SKILL_KEY_SIZE], key[SKILL_KEY_SIZE];
	char *save = NULL, *field;
	uint32_t skill = 0;
	int first = 1, rc;
	size_t n = strlen(line);

	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	line += strspn(line, " ");
	if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
		return HE_OK;
	if (line[0] == '\t') {
		snprintf(err, errlen, "line %zu: the line starts without a "
		    "canonical name", lineno);
		return HE_INVALID;
	}
	for (field = strtok_r(line, "\t", &save); field;
	    field = strtok_r(NULL, "\t", &save)) {
		if (field[strspn(field, " ")] == '\0')
			continue;
		if (fold(field, key, 1) != HE_OK) {
			snprintf(err, errlen, "line %zu: the name \"%.60s\" is "
			    "longer than %d characters", lineno, field,
			    SKILL_NAME_MAX);
			return HE_INVALID;
		}
		if (first) {
			fold(field, display, 0);
			rc = table_skill(t, display, key, &skill);
			first = 0;
		} else
			rc = table_name(t, key, skill);
		if (rc == HE_EXISTS) {
			snprintf(err, errlen, "line %zu: \"%.60s\" already belongs "
			    "to another skill", lineno, field);
			return HE_INVALID;
		}
		if (rc != HE_OK)
			return rc;
		t->hash = fnv64(t->hash, key, strlen(key) + 1);
	}
	/* The canonical form and where each line ends count in the hash. */
	t->hash = fnv64(t->hash, display, strlen(display));
	t->hash = fnv64(t->hash, "\n", 1);
	return HE_OK;
}

int
skills_load(const char *path, char *err, size_t errlen)
{
	struct table *t;
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int rc = HE_OK;

	if (err && errlen)
		err[0] = '\0';
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return HE_IO;
	}
	if ((t = calloc(1, sizeof *t)) == NULL) {
		fclose(f);
		return HE_NOMEM;
	}
	t->hash = FNV64_INIT;
	while (rc == HE_OK && getline(&line, &cap, f) >= 0) {
		size_t n = strlen(line);

		lineno++;
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		rc = load_line(t, line, lineno, err, errlen);
	}
	if (rc == HE_OK && ferror(f)) {
		snprintf(err, errlen, "cannot read %s", path);
		rc = HE_IO;
	}
	free(line);
	fclose(f);
	if (rc != HE_OK) {
		table_free(t);
		return rc;
	}
	if (t->hash == 0)
		t->hash = 1;
	table_free(loaded);
	loaded = t;
	return HE_OK;
}

void
skills_unload(void)
{
	table_free(loaded);
	loaded = NULL;
}

static const struct skill *
find(const char *key)
{
	struct slot *s = lookup(loaded, key);

	return s && s->name ? &loaded->skills[s->skill] : NULL;
}

int
skill_key(const char *name, char out[SKILL_KEY_SIZE])
{
	const struct skill *sk;
	int rc;

	if ((rc = fold(name, out, 1)) != HE_OK) {
		out[0] = '\0';
		return rc;
	}
	if ((sk = find(out)) != NULL)
		memcpy(out, sk->key, SKILL_KEY_SIZE);
	return HE_OK;
}

int
skill_display(const char *name, char out[SKILL_KEY_SIZE])
{
	char key[SKILL_KEY_SIZE];
	const struct skill *sk;
	int rc;

	if ((rc = fold(name, key, 1)) != HE_OK) {
		out[0] = '\0';
		return rc;
	}
	if ((sk = find(key)) != NULL)
		memcpy(out, sk->display, SKILL_KEY_SIZE);
	else
		fold(name, out, 0);
	return HE_OK;
}

uint32_t
skill_id(const char *key)
{
	uint64_t h = fnv64(FNV64_INIT, key, strlen(key));
	uint32_t v = (uint32_t)(h ^ h >> 32);

	return v ? v : 1;
}

uint64_t
skills_table_hash(void)
{
	return loaded ? loaded->hash : 0;
}
