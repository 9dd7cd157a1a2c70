/* test_import.c: CSV imports: layouts, mappings, rows, and the job against a real store */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <sodium.h>

#include "cgi-bin/office/office.h"
#include "crm/audit.h"
#include "crm/clock.h"
#include "crm/import.h"
#include "crm/job.h"
#include "store/entities.h"
#include "store/job.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"
#include "util/token.h"

#define N(a) (sizeof (a) / sizeof *(a))

/* ---- recognising layouts ------------------------------------------------ */

struct guess_case {
	const char *name;
	const char *header[12];		/* NULL-terminated */
	const char *layout;		/* NULL: none recognised */
	/* "field=column" pairs the guess must make, space-separated; fields
	 * not named must get no column. */
	const char *want;
};

static const struct guess_case guess_cases[] = {
	{ "OpenCATS candidate export",
	    { "First Name", "Last Name", "E-Mail", "2nd E-Mail", "Home Phone",
	      "Cell Phone", "City", "State", "Key Skills", "Misc Notes", "Web Site",
	      NULL },
	    "OpenCATS candidate export",
	    "first_name=1 last_name=2 email=3 phone=6 city=7 skills=9 notes=10 url=11" },
	{ "LinkedIn connections export",
	    { "First Name", "Last Name", "URL", "Email Address", "Company",
	      "Position", "Connected On", NULL },
	    "LinkedIn connections export",
	    "first_name=1 last_name=2 url=3 email=4 title=6" },
	{ "plain names, any case and spaces",
	    { " EMAIL ", "Full  Name", "job title", "Tags", "remote", NULL }, NULL,
	    "email=1 name=2 title=3 tags=4 remote=5" },
	{ "first of a field's names wins",
	    { "Work Phone", "Mobile", "Email", NULL }, NULL,
	    "phone=2 email=3" },
	{ "nothing known", { "foo", "bar", NULL }, NULL, "" },
	{ "first/last without OpenCATS marks", { "First Name", "Last Name", "E-Mail",
	    NULL }, NULL, "first_name=1 last_name=2 email=3" },
	{ "one column", { "email", NULL }, NULL, "email=1" },
};

static size_t
count_cells(const char *const *cells)
{
	size_t n = 0;

	while (cells[n])
		n++;
	return n;
}

static void
test_guess(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(guess_cases); i++) {
		const struct guess_case *t = &guess_cases[i];
		unsigned map[IMPORT_FIELD__MAX], want[IMPORT_FIELD__MAX] = { 0 };
		const char *layout = import_guess((char *const *)t->header,
		    count_cells(t->header), map);
		char pairs[256], *tok, *save;

		if ((layout == NULL) != (t->layout == NULL) ||
		    (layout && strcmp(layout, t->layout) != 0))
			fail_msg("case '%s': layout %s, want %s", t->name,
			    layout ? layout : "none", t->layout ? t->layout : "none");
		snprintf(pairs, sizeof pairs, "%s", t->want);
		for (tok = strtok_r(pairs, " ", &save); tok;
		    tok = strtok_r(NULL, " ", &save)) {
			char *eq = strchr(tok, '=');
			int found = 0;

			*eq = '\0';
			for (int f = 0; f < IMPORT_FIELD__MAX; f++)
				if (strcmp(import_fields[f].name, tok) == 0) {
					want[f] = (unsigned)atoi(eq + 1);
					found = 1;
				}
			assert_true(found);
		}
		for (int f = 0; f < IMPORT_FIELD__MAX; f++)
			if (map[f] != want[f])
				fail_msg("case '%s': %s -> column %u, want %u", t->name,
				    import_fields[f].name, map[f], want[f]);
	}
}

static void
test_header_hash(void **state)
{
	char *a[] = { "Email", "First  Name" }, *b[] = { " email ", "first name" };
	char *c[] = { "First Name", "Email" }, *d[] = { "Email,First Name" };
	char ha[IMPORT_HASH_SIZE], hb[IMPORT_HASH_SIZE], hc[IMPORT_HASH_SIZE];
	char hd[IMPORT_HASH_SIZE];

	(void)state;
	import_header_hash(a, 2, ha);
	import_header_hash(b, 2, hb);
	import_header_hash(c, 2, hc);
	import_header_hash(d, 1, hd);
	assert_int_equal(strlen(ha), 64);
	assert_string_equal(ha, hb);		/* case and spaces do not count */
	assert_string_not_equal(ha, hc);	/* order does */
	assert_string_not_equal(ha, hd);	/* and the cells */
}

/* The form of the columns has one map_<field> per field, named alike. */
static void
test_form_fields(void **state)
{
	size_t maps = 0;

	(void)state;
	for (const struct web_field *w = import_map_fields; w->name; w++)
		maps += strncmp(w->name, "map_", 4) == 0;
	assert_int_equal(maps, IMPORT_FIELD__MAX);
	for (int f = 0; f < IMPORT_FIELD__MAX; f++) {
		char want[64];
		int found = 0;

		snprintf(want, sizeof want, "map_%s", import_fields[f].name);
		for (const struct web_field *w = import_map_fields; w->name; w++)
			found |= strcmp(w->name, want) == 0;
		if (!found)
			fail_msg("the form has no field %s", want);
	}
}

/* ---- rows --------------------------------------------------------------- */

/* Columns of the rows below: email, first, last, phone, url, status,
 * seniority, tags, skills, remote, notes, title. */
static const unsigned row_map[IMPORT_FIELD__MAX] = {
	[IMPORT_EMAIL] = 1, [IMPORT_FIRST_NAME] = 2, [IMPORT_LAST_NAME] = 3,
	[IMPORT_PHONE] = 4, [IMPORT_URL] = 5, [IMPORT_STATUS] = 6,
	[IMPORT_SENIORITY] = 7, [IMPORT_TAGS] = 8, [IMPORT_SKILLS] = 9,
	[IMPORT_REMOTE] = 10, [IMPORT_NOTES] = 11, [IMPORT_TITLE] = 12,
};
#define ROW_COLS 12

struct row_case {
	const char *name;
	const char *cells[ROW_COLS];
	const char *want;	/* the fields as compact JSON, or NULL */
	const char *why;	/* part of the reason, when rejected */
};

static const struct row_case row_cases[] = {
	{ "all fields", { " Ada@Example.ORG ", "Ada", "Lovelace",
	    "+44 20 7946 0000", "linkedin.com/in/ada", "Silver medallist", "Lead",
	    "Python, Founders;python", "C, SQL", "yes", "Met at PyCon\n2019",
	    "Engineer" },
	    "{\"email\": \"ada@example.org\", \"first_name\": \"Ada\", "
	    "\"last_name\": \"Lovelace\", \"title\": \"Engineer\", \"phone\": "
	    "\"+44 20 7946 0000\", \"url\": \"https://linkedin.com/in/ada\", "
	    "\"status\": \"silver_medallist\", \"seniority\": \"lead\", "
	    "\"tags\": [\"python\", \"founders\"], \"skills\": [\"c\", \"sql\"], "
	    "\"remote\": true, \"notes\": \"Met at PyCon\\n2019\"}", NULL },
	{ "only the email", { "bob@example.org", "", "", "", "", "", "", "", "",
	    "", "", "" }, "{\"email\": \"bob@example.org\"}", NULL },
	{ "formula quote taken off", { "c@example.org", "'=Carl", "", "'+44 20 7946 0001",
	    "", "", "", "", "", "no", "", "" },
	    "{\"email\": \"c@example.org\", \"first_name\": \"=Carl\", "
	    "\"phone\": \"+44 20 7946 0001\", \"remote\": false}", NULL },
	{ "spaces folded", { "d@example.org", "  Dee   Dee ", "", "", "", "", "",
	    "", "", "", "", "" },
	    "{\"email\": \"d@example.org\", \"first_name\": \"Dee Dee\"}", NULL },
	{ "status spelled with dashes", { "e@example.org", "", "", "", "", "do-not-contact",
	    "mid-level", "", "", "", "", "" },
	    "{\"email\": \"e@example.org\", \"status\": \"do_not_contact\", "
	    "\"seniority\": \"mid\"}", NULL },

	{ "no email", { "", "Ada", "", "", "", "", "", "", "", "", "", "" }, NULL,
	    "no email address" },
	{ "malformed email", { "ada at example", "", "", "", "", "", "", "", "",
	    "", "", "" }, NULL, "not an email address: \"ada at example\"" },
	{ "unknown status", { "f@example.org", "", "", "", "", "keen", "", "", "",
	    "", "", "" }, NULL, "unknown status: \"keen\"" },
	{ "unknown seniority", { "f@example.org", "", "", "", "", "", "guru", "",
	    "", "", "", "" }, NULL, "unknown seniority: \"guru\"" },
	{ "bad remote", { "f@example.org", "", "", "", "", "", "", "", "", "maybe",
	    "", "" }, NULL, "Remote must be yes or no" },
	{ "bad phone", { "f@example.org", "", "", "call me", "", "", "", "", "",
	    "", "", "" }, NULL, "not a phone number: \"call me\"" },
	{ "bad url", { "f@example.org", "", "", "", "not a url", "", "", "", "",
	    "", "", "" }, NULL, "not a web address" },
	{ "long name", { "f@example.org",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "", "", "", "", "", "", "", "", "", "" }, NULL,
	    "First name is longer than 100 characters" },
	{ "control character", { "f@example.org", "Ada\x01", "", "", "", "", "",
	    "", "", "", "", "" }, NULL, "First name holds control characters" },
	{ "long tag", { "f@example.org", "", "", "", "", "", "",
	    "an extraordinarily long tag that cannot be one", "", "", "", "" }, NULL,
	    "not a tag" },
	{ "long skill", { "f@example.org", "", "", "", "", "", "", "",
	    "an extraordinarily long skill that cannot be one", "", "", "" }, NULL,
	    "Skills: at most" },
	{ "control character in notes", { "f@example.org", "", "", "", "", "", "",
	    "", "", "", "a\x07" "b", "" }, NULL, "Notes hold control characters" },
};

static void
test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(row_cases); i++) {
		const struct row_case *t = &row_cases[i];
		json_t *fields;
		char why[512];
		int rc = import_row_parse(row_map, t->cells, ROW_COLS, &fields, why,
		    sizeof why);

		if (t->want) {
			json_t *want = json_loads(t->want, 0, NULL);

			assert_non_null(want);
			if (rc != HE_OK)
				fail_msg("case '%s': rejected: %s", t->name, why);
			if (!json_equal(fields, want)) {
				char *got = json_dumps(fields, JSON_SORT_KEYS);

				fail_msg("case '%s': got %s", t->name, got);
			}
			json_decref(want);
			json_decref(fields);
		} else {
			if (rc != HE_INVALID)
				fail_msg("case '%s': taken, want rejected", t->name);
			assert_null(fields);
			if (strstr(why, t->why) == NULL)
				fail_msg("case '%s': reason '%s', want '%s'", t->name, why,
				    t->why);
		}
	}
}

/* ---- files and the job ---------------------------------------------------- */

struct env {
	char dir[64];
	char imports[96];
	unsigned char key[STORE_KEYBYTES];	/* the site key */
	struct store *st;
	HDF *conf;
	uint64_t user;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-import-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(e->key, sizeof e->key);
	store_set_site_key(e->st, e->key);
	snprintf(e->imports, sizeof e->imports, "%s/imports", e->dir);
	if (hdf_init(&e->conf) != STATUS_OK ||
	    hdf_set_value(e->conf, "Office.ImportDir", e->imports) != STATUS_OK)
		return -1;
	e->user = 7;
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	store_close(e->st);
	hdf_destroy(&e->conf);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

/* Writes an upload into the import directory; returns its name there. */
static const char *
upload(struct env *e, const char *name, const char *data, size_t len)
{
	char *dir = import_dir(e->conf), path[256];
	FILE *f;

	assert_non_null(dir);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	free(dir);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return name;
}

static struct import_head *
inspect(struct env *e, const char *name, int want_rc, char *why, size_t size)
{
	struct import_head *h = NULL;
	char path[256];

	snprintf(path, sizeof path, "%s/%s", e->imports, name);
	assert_int_equal(import_inspect(e->st, path, &h, why, size), want_rc);
	return h;
}

/* Starts an import of the inspected upload and runs the job to its end. */
static json_t *
run_import(struct env *e, const char *name, struct import_head *h,
    enum import_policy policy)
{
	struct import_params p = { .file = name, .filename = "people.csv",
	    .policy = policy, .source = "spring fair", .basis = "legitimate_interest",
	    .basis_note = "met at our stand" };
	uint64_t job;
	json_t *j;
	int ran, steps = 0;

	memcpy(p.map, h->map, sizeof p.map);
	assert_int_equal(import_start(e->st, h, &p, e->user, "192.0.2.9", &job),
	    HE_OK);
	do {
		assert_int_equal(job_step_any(e->st, e->conf, clock_now_us() + 5000000,
		    &ran), HE_OK);
		assert_true(++steps < 1000);
	} while (ran);
	assert_int_equal(job_get(e->st, job, &j), HE_OK);
	return j;
}

static json_t *
cand_of(struct env *e, const char *email)
{
	char key[TOK_MACSTRLEN];
	uint64_t id;
	json_t *rec;

	tok_mac(e->st->site_key, "email", email, key);
	if (store_cand_by_email(e->st, NULL, key, &id) != HE_OK)
		return NULL;
	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &rec), HE_OK);
	json_object_set_new(rec, "id", json_integer((json_int_t)id));
	return rec;
}

static size_t
cand_count(struct env *e)
{
	size_t n;

	assert_int_equal(store_cand_count(e->st, NULL, &n), HE_OK);
	return n;
}

static char *
report(struct env *e, uint64_t job)
{
	char name[64], path[256], *buf;
	FILE *f;
	long n;

	import_report_name(job, name);
	snprintf(path, sizeof path, "%s/%s", e->imports, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static json_int_t
res(json_t *job, const char *k)
{
	return json_integer_value(json_object_get(json_object_get(job, "result"), k));
}

static const char mixed[] =
	"Email,First Name,Last Name,Status,Notes\r\n"
	"ada@example.org,Ada,Lovelace,engaged,\"Met at \"\"PyCon\"\"\"\r\n"
	"Zo\xeb@example.org,Zo\xeb,Bad,,latin-1\r\n"		/* wrong encoding */
	"no-email-here,Bob,Nope,,\r\n"				/* malformed email */
	",Carl,Nobody,,\r\n"					/* missing email */
	"dee@example.org,Dee,Short\r\n"				/* missing columns */
	"eve@example.org,Eve,Stray\"Quote,,\r\n"		/* a stray quote */
	"fay@example.org,Fay,Fine,keen,\r\n"			/* unknown status */
	"gus@example.org,Gus,Good,,\"multi\nline note\"\r\n"
	"ADA@example.org,Ada,Again,,\r\n";			/* the same person */

static void
test_inspect(void **state)
{
	struct env *e = *state;
	static const char linkedin[] =
	    "Notes:\n"
	    "\"When exporting your connection data, you may notice that some of "
	    "the email addresses are missing.\"\n"
	    "\n"
	    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
	    "Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.org,Engines,"
	    "Engineer,01 Jan 2024\n"
	    "Bob,Babbage,https://www.linkedin.com/in/bob,,Engines,Designer,"
	    "02 Jan 2024\n";
	static const char utf16[] = "\xff\xfe" "e\0m\0a\0i\0l\0\n\0a\0@\0b\0\n\0";
	struct import_head *h;
	char why[512];

	upload(e, "upload-7-li.csv", linkedin, sizeof linkedin - 1);
	h = inspect(e, "upload-7-li.csv", HE_OK, why, sizeof why);
	assert_string_equal(h->layout, "LinkedIn connections export");
	assert_int_equal(h->ncols, 7);
	assert_string_equal(h->header[3], "Email Address");
	assert_int_equal(h->data_line, 5);
	assert_int_equal(h->nrows, 2);
	assert_string_equal(h->rows[0 * 7 + 0], "Ada");
	assert_string_equal(h->rows[1 * 7 + 5], "Designer");
	assert_int_equal(h->map[IMPORT_EMAIL], 4);
	assert_int_equal(h->remembered, 0);
	import_head_free(h);

	upload(e, "upload-7-utf16.csv", utf16, sizeof utf16 - 1);
	h = inspect(e, "upload-7-utf16.csv", HE_INVALID, why, sizeof why);
	assert_null(h);
	assert_non_null(strstr(why, "not UTF-8"));

	upload(e, "upload-7-empty.csv", "\r\n\r\n", 4);
	h = inspect(e, "upload-7-empty.csv", HE_INVALID, why, sizeof why);
	assert_string_equal(why, "This file is empty.");

	upload(e, "upload-7-mixed.csv", mixed, sizeof mixed - 1);
	h = inspect(e, "upload-7-mixed.csv", HE_OK, why, sizeof why);
	assert_int_equal(h->ncols, 5);
	assert_int_equal(h->nrows, IMPORT_PREVIEW_ROWS);
	assert_null(h->row_errors[0]);
	assert_non_null(strstr(h->row_errors[1], "not UTF-8"));
	assert_non_null(strstr(h->row_errors[4], "3 cells where the header has 5"));
	assert_int_equal(h->row_lines[4], 6);
	import_head_free(h);
}

static void
test_job(void **state)
{
	struct env *e = *state;
	struct import_head *h;
	json_t *job, *ada, *gus;
	char why[512], *rep;
	uint64_t id;

	upload(e, "upload-7-a.csv", mixed, sizeof mixed - 1);
	h = inspect(e, "upload-7-a.csv", HE_OK, why, sizeof why);
	assert_int_equal(h->map[IMPORT_EMAIL], 1);
	job = run_import(e, "upload-7-a.csv", h, IMPORT_BOTH);
	id = (uint64_t)json_integer_value(json_object_get(job, "id"));
	assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
	assert_int_equal(json_integer_value(json_object_get(job, "total")), 9);
	assert_int_equal(json_integer_value(json_object_get(job, "done")), 9);
	assert_int_equal(res(job, "created"), 2);	/* ada, gus */
	assert_int_equal(res(job, "updated"), 1);	/* ADA@ again */
	assert_int_equal(res(job, "rejected"), 6);
	assert_int_equal(cand_count(e), 2);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(
	    job, "result"), "download")), "/office/import/report?id="));
	json_decref(job);

	/* The rows taken, whole. */
	ada = cand_of(e, "ada@example.org");
	assert_non_null(ada);
	assert_string_equal(json_string_value(json_object_get(ada, "last_name")),
	    "Again");
	assert_string_equal(json_string_value(json_object_get(ada, "name")),
	    "Ada Again");
	assert_string_equal(json_string_value(json_object_get(ada, "status")),
	    "engaged");
	assert_string_equal(json_string_value(json_object_get(ada, "source")),
	    "spring fair");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ada,
	    "basis"), "kind")), "legitimate_interest");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ada,
	    "basis"), "note")), "met at our stand");
	assert_null(json_object_get(ada, "consent"));
	assert_true(json_array_size(json_object_get(ada, "extra_terms")) > 0);
	{	/* its timeline: created, the note, updated */
		size_t n;

		assert_int_equal(store_touch_count(e->st, NULL, (uint64_t)
		    json_integer_value(json_object_get(ada, "id")), &n), HE_OK);
		assert_int_equal(n, 3);
	}
	json_decref(ada);
	gus = cand_of(e, "gus@example.org");
	assert_non_null(gus);
	assert_string_equal(json_string_value(json_object_get(gus, "status")),
	    "sourced");
	json_decref(gus);
	/* Nothing of a rejected row. */
	assert_null(cand_of(e, "fay@example.org"));
	assert_null(cand_of(e, "dee@example.org"));
	assert_null(cand_of(e, "eve@example.org"));

	/* The report: every rejected row, its line and why. */
	rep = report(e, id);
	assert_non_null(rep);
	{
		static const char head[] = "\xef\xbb\xbfline,reason,Email,First Name,"
		    "Last Name,Status,Notes\r\n";

		assert_memory_equal(rep, head, sizeof head - 1);
	}
	assert_non_null(strstr(rep, "\r\n3,not UTF-8 (cell 1): save the file as UTF-8\r\n"));
	assert_non_null(strstr(rep, "\r\n4,\"not an email address: \"\"no-email-here\"\"\","
	    "no-email-here,Bob,Nope,,\r\n"));
	assert_non_null(strstr(rep, "\r\n5,no email address,,Carl,Nobody,,\r\n"));
	assert_non_null(strstr(rep, "\r\n6,\"this row has 3 cells where the header "
	    "has 5: a separator is missing"));
	assert_non_null(strstr(rep, "\r\n7,\"a stray quote in cell 3"));
	assert_non_null(strstr(rep, "\r\n8,\"unknown status: \"\"keen\"\""));
	assert_null(strstr(rep, "ada@"));
	assert_null(strstr(rep, "gus@"));
	free(rep);

	/* The upload went when the job ended; the mapping is remembered. */
	{
		char path[256];
		struct stat sb;

		snprintf(path, sizeof path, "%s/upload-7-a.csv", e->imports);
		assert_int_not_equal(stat(path, &sb), 0);
	}
	import_head_free(h);
	upload(e, "upload-7-b.csv", mixed, sizeof mixed - 1);
	h = inspect(e, "upload-7-b.csv", HE_OK, why, sizeof why);
	assert_int_equal(h->remembered, 1);
	import_head_free(h);
}

/* The same file again, under each policy. */
static void
test_policies(void **state)
{
	struct env *e = *state;
	static const char first[] = "email,title\r\nada@example.org,Engineer\r\n"
	    "bob@example.org,Designer\r\n";
	static const char second[] = "email,title\r\nada@example.org,Engineer\r\n"
	    "bob@example.org,Director\r\ncat@example.org,Analyst\r\n";
	static const struct {
		enum import_policy policy;
		json_int_t created, updated, unchanged, skipped;
		const char *bob, *cat;
	} runs[] = {
		{ IMPORT_CREATE, 1, 0, 0, 2, "Designer", "Analyst" },
		{ IMPORT_UPDATE, 0, 1, 1, 1, "Director", NULL },
		{ IMPORT_BOTH, 1, 1, 1, 0, "Director", "Analyst" },
	};

	for (size_t i = 0; i < N(runs); i++) {
		struct import_head *h;
		json_t *job, *bob, *cat;
		char why[256], name[64];

		/* A fresh store each time, holding ada and bob. */
		teardown(state);
		assert_int_equal(setup(state), 0);
		e = *state;
		upload(e, "upload-7-1.csv", first, sizeof first - 1);
		h = inspect(e, "upload-7-1.csv", HE_OK, why, sizeof why);
		json_decref(run_import(e, "upload-7-1.csv", h, IMPORT_BOTH));
		import_head_free(h);
		assert_int_equal(cand_count(e), 2);

		snprintf(name, sizeof name, "upload-7-2-%zu.csv", i);
		upload(e, name, second, sizeof second - 1);
		h = inspect(e, name, HE_OK, why, sizeof why);
		job = run_import(e, name, h, runs[i].policy);
		import_head_free(h);
		assert_int_equal(res(job, "created"), runs[i].created);
		assert_int_equal(res(job, "updated"), runs[i].updated);
		assert_int_equal(res(job, "unchanged"), runs[i].unchanged);
		assert_int_equal(res(job, "skipped"), runs[i].skipped);
		assert_int_equal(res(job, "rejected"), 0);
		json_decref(job);
		bob = cand_of(e, "bob@example.org");
		assert_string_equal(json_string_value(json_object_get(bob, "title")),
		    runs[i].bob);
		json_decref(bob);
		cat = cand_of(e, "cat@example.org");
		if (runs[i].cat)
			assert_string_equal(json_string_value(json_object_get(cat,
			    "title")), runs[i].cat);
		else
			assert_null(cat);
		json_decref(cat);
	}
}

/* An aborted step leaves nothing behind, in the store or in the report;
 * a stopped worker resumes where the last step committed. */
struct abort_arg {
	HDF *conf;
	uint64_t id;
};

static int
aborted_step(struct store *st, DB_TXN *txn, void *arg)
{
	struct abort_arg *a = arg;
	struct job_run run = { .st = st, .conf = a->conf, .id = a->id,
	    .now = clock_now(), .deadline_us = clock_now_us() + 5000000 };
	int rc;

	assert_int_equal(store_job_get(st, txn, a->id, 1, &run.job), HE_OK);
	rc = import_step(&run, txn);
	json_decref(run.job);
	assert_int_equal(rc, HE_OK);
	return HE_IO;	/* as if the worker died before the commit */
}

static void
test_resume(void **state)
{
	struct env *e = *state;
	size_t rows = 700, len = 0;
	char *csv = malloc(rows * 64 + 64), why[256];
	struct import_head *h;
	struct import_params p = { .file = "upload-7-big.csv", .filename = "big.csv",
	    .policy = IMPORT_BOTH, .source = "", .basis = "consent", .basis_note = "" };
	struct abort_arg a = { e->conf, 0 };
	json_t *job;
	char *rep;
	int ran, steps = 0;

	assert_non_null(csv);
	len += (size_t)sprintf(csv + len, "email;name\n");
	for (size_t i = 0; i < rows; i++)
		len += (size_t)sprintf(csv + len, i % 100 == 50 ? "bad%zu;Bad\n" :
		    "p%zu@example.org;Person %zu\n", i, i);
	upload(e, p.file, csv, len);
	free(csv);
	h = inspect(e, p.file, HE_OK, why, sizeof why);
	assert_int_equal(h->sep, ';');
	memcpy(p.map, h->map, sizeof p.map);
	assert_int_equal(import_start(e->st, h, &p, e->user, "", &a.id), HE_OK);
	import_head_free(h);
	/* Counting, then a few rows, then a step that is lost. */
	assert_int_equal(job_step_any(e->st, e->conf, clock_now_us() + 5000000,
	    &ran), HE_OK);
	assert_int_equal(job_step_any(e->st, e->conf, clock_now_us() + 5000000,
	    &ran), HE_OK);
	assert_int_equal(cand_count(e), 248);	/* 250 rows, 2 of them bad */
	assert_int_equal(store_txn(e->st, aborted_step, &a), HE_IO);
	assert_int_equal(cand_count(e), 248);
	/* The worker stops and starts again. */
	store_close(e->st);
	assert_int_equal(store_open(&e->st, e->dir, 16, 0), HE_OK);
	store_set_site_key(e->st, e->key);
	do {
		assert_int_equal(job_step_any(e->st, e->conf, clock_now_us() + 5000000,
		    &ran), HE_OK);
		assert_true(++steps < 100);
	} while (ran);
	assert_int_equal(job_get(e->st, a.id, &job), HE_OK);
	assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
	assert_int_equal(res(job, "created"), 693);
	assert_int_equal(res(job, "rejected"), 7);
	assert_int_equal(cand_count(e), 693);
	json_decref(job);
	/* Each rejected row once in the report, in order. */
	rep = report(e, a.id);
	{
		const char *p2 = rep;
		int lines = 0;

		for (int i = 50; i < 700; i += 100) {
			char want[64];
			const char *at;

			snprintf(want, sizeof want, "\r\n%d,", i + 2);
			assert_non_null(at = strstr(p2, want));
			p2 = at + 1;
		}
		for (p2 = rep; (p2 = strchr(p2, '\n')) != NULL; p2++)
			lines++;
		assert_int_equal(lines, 1 + 7);	/* the header, then each once */
		assert_non_null(strstr(rep, ",bad350,Bad\r\n"));
	}
	free(rep);
}

/* Each import is in the audit log, when it starts and when it ends. */
static void
test_audit(void **state)
{
	struct env *e = *state;
	static const char csv[] = "email\nada@example.org\n";
	struct audit_filter f = { .action = "import" };
	struct import_head *h;
	json_t *entries;
	char why[128];
	int more;
	int64_t stopped;

	upload(e, "upload-7-audit.csv", csv, sizeof csv - 1);
	h = inspect(e, "upload-7-audit.csv", HE_OK, why, sizeof why);
	json_decref(run_import(e, "upload-7-audit.csv", h, IMPORT_BOTH));
	import_head_free(h);
	assert_int_equal(audit_list(e->st, &f, 0, 10, &entries, &more, &stopped),
	    HE_OK);
	assert_int_equal(json_array_size(entries), 2);
	{
		json_t *end = json_array_get(entries, 0), *start = json_array_get(entries, 1);

		assert_true(json_is_true(json_object_get(json_object_get(end, "detail"),
		    "finished")));
		assert_int_equal(json_integer_value(json_object_get(json_object_get(end,
		    "detail"), "created")), 1);
		assert_string_equal(json_string_value(json_object_get(start, "ip")),
		    "192.0.2.9");
		assert_int_equal(json_integer_value(json_object_get(start, "user")), 7);
		assert_string_equal(json_string_value(json_object_get(json_object_get(
		    start, "detail"), "file")), "people.csv");
	}
	json_decref(entries);
}

/* Erased people stay out. */
static void
test_suppressed(void **state)
{
	struct env *e = *state;
	static const char csv[] = "email\nada@example.org\nbob@example.org\n";
	struct import_head *h;
	json_t *job;
	char why[128], key[TOK_MACSTRLEN], *rep;

	tok_mac(e->st->site_key, "email", "bob@example.org", key);
	{
		DB_TXN *txn;

		assert_int_equal(e->st->env->txn_begin(e->st->env, NULL, &txn, 0), 0);
		assert_int_equal(store_suppress_put(e->st, txn, key, clock_now()),
		    HE_OK);
		assert_int_equal(txn->commit(txn, 0), 0);
	}
	upload(e, "upload-7-s.csv", csv, sizeof csv - 1);
	h = inspect(e, "upload-7-s.csv", HE_OK, why, sizeof why);
	job = run_import(e, "upload-7-s.csv", h, IMPORT_BOTH);
	import_head_free(h);
	assert_int_equal(res(job, "created"), 1);
	assert_int_equal(res(job, "rejected"), 1);
	rep = report(e, (uint64_t)json_integer_value(json_object_get(job, "id")));
	assert_non_null(strstr(rep, "asked for their data to be erased"));
	free(rep);
	json_decref(job);
	assert_null(cand_of(e, "bob@example.org"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guess),
		cmocka_unit_test(test_header_hash),
		cmocka_unit_test(test_form_fields),
		cmocka_unit_test(test_rows),
		cmocka_unit_test_setup_teardown(test_inspect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_job, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suppressed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
