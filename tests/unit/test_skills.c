/* test_skills.c: skill names folded and the synonym table */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm/skills.h"
#include "util/he.h"

#define SHIPPED "conf/skills.tsv"

static int
load_shipped(void **state)
{
	char err[256];

	(void)state;
	return skills_load(SHIPPED, err, sizeof err) == HE_OK ? 0 : -1;
}

static int
unload(void **state)
{
	(void)state;
	skills_unload();
	return 0;
}

/* ---- without a table ---- */

static const struct {
	const char *in, *key;	/* key NULL: HE_INVALID */
} fold_cases[] = {
	{ "Python", "python" },
	{ "  Spring   Boot ", "spring boot" },
	{ "C#", "c#" },
	{ "C++", "c++" },
	{ "Node.JS", "node.js" },
	{ "Data\tmodelling", "data modelling" },
	{ "Español", "español" },
	{ "", NULL },
	{ "   ", NULL },
	{ NULL, NULL },
	/* 40 characters: allowed; 41: not */
	{ "abcdefghijabcdefghijabcdefghijabcdefghij",
	    "abcdefghijabcdefghijabcdefghijabcdefghij" },
	{ "abcdefghijabcdefghijabcdefghijabcdefghijk", NULL },
	/* 40 two-byte characters are 40 characters */
	{ "éééééééééééééééééééééééééééééééééééééééé",
	    "éééééééééééééééééééééééééééééééééééééééé" },
};

static void
test_fold_without_table(void **state)
{
	(void)state;
	skills_unload();
	assert_int_equal(skills_table_hash(), 0);
	for (size_t i = 0; i < sizeof fold_cases / sizeof *fold_cases; i++) {
		char out[SKILL_KEY_SIZE];
		int rc = skill_key(fold_cases[i].in, out);

		if (fold_cases[i].key == NULL)
			assert_int_equal(rc, HE_INVALID);
		else {
			assert_int_equal(rc, HE_OK);
			assert_string_equal(out, fold_cases[i].key);
		}
	}
}

/* ---- the shipped table ---- */

static const struct {
	const char *in, *key, *display;
} synonym_cases[] = {
	{ "js", "javascript", "JavaScript" },
	{ "JS", "javascript", "JavaScript" },
	{ "ECMAScript", "javascript", "JavaScript" },
	{ "javascript", "javascript", "JavaScript" },
	{ "k8s", "kubernetes", "Kubernetes" },
	{ "  Kube ", "kubernetes", "Kubernetes" },
	{ "Postgres", "postgresql", "PostgreSQL" },
	{ "psql", "postgresql", "PostgreSQL" },
	{ "pgsql", "postgresql", "PostgreSQL" },
	{ "golang", "go", "Go" },
	{ "Go", "go", "Go" },
	{ "c#", "c#", "C#" },
	{ "csharp", "c#", "C#" },
	{ "cpp", "c++", "C++" },
	{ "nodejs", "node.js", "Node.js" },
	{ "node", "node.js", "Node.js" },
	{ "sklearn", "scikit-learn", "scikit-learn" },
	{ "GCP", "google cloud", "Google Cloud" },
	{ "Amazon  Web Services", "aws", "AWS" },
	{ "ux", "ux design", "UX design" },
	{ "Lead Gen", "lead generation", "Lead generation" },
	{ "sfdc", "salesforce", "Salesforce" },
	{ "labor law", "employment law", "Employment law" },
	{ "deutsch", "german", "German" },
	{ "financial modeling", "financial modelling", "Financial modelling" },
	/* not in the table: its own key, shown as given (trimmed) */
	{ "  Brainf*ck  Golf ", "brainf*ck golf", "Brainf*ck Golf" },
};

static void
test_synonyms(void **state)
{
	(void)state;
	assert_int_not_equal(skills_table_hash(), 0);
	for (size_t i = 0; i < sizeof synonym_cases / sizeof *synonym_cases; i++) {
		char key[SKILL_KEY_SIZE], disp[SKILL_KEY_SIZE];

		assert_int_equal(skill_key(synonym_cases[i].in, key), HE_OK);
		assert_string_equal(key, synonym_cases[i].key);
		assert_int_equal(skill_display(synonym_cases[i].in, disp), HE_OK);
		assert_string_equal(disp, synonym_cases[i].display);
	}
}

static void
test_ids(void **state)
{
	char a[SKILL_KEY_SIZE], b[SKILL_KEY_SIZE], c[SKILL_KEY_SIZE];

	(void)state;
	assert_int_equal(skill_key("k8s", a), HE_OK);
	assert_int_equal(skill_key("Kubernetes", b), HE_OK);
	assert_int_equal(skill_key("Docker", c), HE_OK);
	assert_int_equal(skill_id(a), skill_id(b));
	assert_int_not_equal(skill_id(a), skill_id(c));
	assert_int_not_equal(skill_id(""), 0);
	assert_int_not_equal(skill_id("go"), 0);
}

/* The shipped table is big enough and covers every family. */
static void
test_shipped_size(void **state)
{
	FILE *f = fopen(SHIPPED, "r");
	char line[4096];
	size_t n = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		if (line[0] != '#' && line[0] != '\n')
			n++;
	fclose(f);
	assert_true(n >= 150);
}

/* ---- malformed tables ---- */

static const struct {
	const char *text;
	int rc;
	const char *err;	/* a part of the message; NULL: none expected */
	const char *probe, *key;	/* after a good load: probe's key */
} table_cases[] = {
	{ "JavaScript\tjs\n", HE_OK, NULL, "JS", "javascript" },
	{ "# a comment\n\n  \nGo\tgolang\r\n", HE_OK, NULL, "golang", "go" },
	{ "C#\tcsharp\n# C# again\n", HE_OK, NULL, "csharp", "c#" },
	/* empty fields between tabs are nothing */
	{ "Go\t\tgolang\t\n", HE_OK, NULL, "golang", "go" },
	/* a second line for the same skill adds names */
	{ "Go\tgolang\ngo\tgo lang\n", HE_OK, NULL, "go lang", "go" },
	/* the same name twice for one skill is harmless */
	{ "Go\tgolang\tGolang\n", HE_OK, NULL, "GOLANG", "go" },
	{ "Go\tgolang\nGolang Two\tgolang\n", HE_INVALID, "line 2", NULL, NULL },
	{ "Go\tgolang\ngolang\tgo2\n", HE_INVALID, "line 2", NULL, NULL },
	{ "Go\tgolang\nJava\tgo\n", HE_INVALID, "another skill", NULL, NULL },
	{ "Go\tgolang\n\tno canonical\n", HE_INVALID, "line 2", NULL, NULL },
	{ "X\tabcdefghijabcdefghijabcdefghijabcdefghijk\n", HE_INVALID,
	    "longer than 40", NULL, NULL },
};

static void
test_malformed(void **state)
{
	char path[] = "/tmp/hearth-test-skills-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof table_cases / sizeof *table_cases; i++) {
		FILE *f = fopen(path, "w");
		char err[256], key[SKILL_KEY_SIZE];
		uint64_t before;

		assert_int_equal(load_shipped(NULL), 0);
		before = skills_table_hash();
		assert_non_null(f);
		fputs(table_cases[i].text, f);
		fclose(f);
		assert_int_equal(skills_load(path, err, sizeof err), table_cases[i].rc);
		if (table_cases[i].err)
			assert_non_null(strstr(err, table_cases[i].err));
		if (table_cases[i].rc != HE_OK) {
			/* A bad file leaves the table loaded before. */
			assert_int_equal(skills_table_hash(), before);
			assert_int_equal(skill_key("k8s", key), HE_OK);
			assert_string_equal(key, "kubernetes");
			continue;
		}
		assert_int_not_equal(skills_table_hash(), before);
		assert_int_equal(skill_key(table_cases[i].probe, key), HE_OK);
		assert_string_equal(key, table_cases[i].key);
		/* the new table replaced the shipped one */
		assert_int_equal(skill_key("k8s", key), HE_OK);
		assert_string_equal(key, "k8s");
	}
	unlink(path);
	assert_int_equal(skills_load("/nonexistent/skills.tsv", (char[64]){ 0 },
	    64), HE_IO);
}

/* The fingerprint follows the content, not the load. */
static void
test_hash(void **state)
{
	char path[] = "/tmp/hearth-test-skills-XXXXXX";
	int fd = mkstemp(path);
	char err[256];
	uint64_t h1, h2, h3;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(load_shipped(NULL), 0);
	h1 = skills_table_hash();
	assert_int_equal(load_shipped(NULL), 0);
	assert_int_equal(skills_table_hash(), h1);
	f = fopen(path, "w");
	fputs("Go\tgolang\n", f);
	fclose(f);
	assert_int_equal(skills_load(path, err, sizeof err), HE_OK);
	h2 = skills_table_hash();
	f = fopen(path, "w");
	fputs("Go\tgolang\tgo lang\n", f);
	fclose(f);
	assert_int_equal(skills_load(path, err, sizeof err), HE_OK);
	h3 = skills_table_hash();
	assert_int_not_equal(h1, h2);
	assert_int_not_equal(h2, h3);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_without_table),
		cmocka_unit_test_setup_teardown(test_synonyms, load_shipped, unload),
		cmocka_unit_test_setup_teardown(test_ids, load_shipped, unload),
		cmocka_unit_test(test_shipped_size),
		cmocka_unit_test_teardown(test_malformed, unload),
		cmocka_unit_test_teardown(test_hash, unload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
