/* import.c: CSV imports: a file's header and first rows, its mapping, and starting the job */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "crm/audit.h"
#include "crm/clock.h"
#include "crm/import.h"
#include "store/job.h"
#include "store/layout.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/csv.h"
#include "util/he.h"

#define HEAD_RECORDS 12		/* rows read to find the header */

const struct import_field_def import_fields[IMPORT_FIELD__MAX] = {
	[IMPORT_EMAIL] = { "email", "Email address",
	    "Required: rows without a valid address are not imported." },
	[IMPORT_FIRST_NAME] = { "first_name", "First name", "" },
	[IMPORT_LAST_NAME] = { "last_name", "Last name", "" },
	[IMPORT_NAME] = { "name", "Full name",
	    "When there are no separate first and last names." },
	[IMPORT_TITLE] = { "title", "Job title", "" },
	[IMPORT_PHONE] = { "phone", "Phone",
	    "6 to 20 digits, with + ( ) - . and spaces." },
	[IMPORT_CITY] = { "city", "City", "" },
	[IMPORT_COUNTRY] = { "country", "Country", "" },
	[IMPORT_URL] = { "url", "LinkedIn or web address", "" },
	[IMPORT_SOURCE] = { "source", "Source",
	    "Where the candidate came from; else the source below." },
	[IMPORT_STATUS] = { "status", "Status",
	    "sourced, contacted, engaged, applied, interviewing, offered, hired, "
	    "declined, silver medallist or do not contact; else sourced." },
	[IMPORT_SENIORITY] = { "seniority", "Seniority",
	    "student, junior, mid, senior, lead or executive." },
	[IMPORT_TAGS] = { "tags", "Tags", "Separated by commas." },
	[IMPORT_SKILLS] = { "skills", "Skills", "Separated by commas." },
	[IMPORT_REMOTE] = { "remote", "Remote", "yes or no." },
	[IMPORT_NOTES] = { "notes", "Notes",
	    "Added to the timeline of the candidates the import creates." },
};

const char *const import_policies[] = { "create", "update", "both", NULL };
const char *const import_bases[] = { "legitimate_interest", "consent", NULL };

/*
 * Column names each field is recognised by, normalised (see norm_name), best
 * first: a header's column for a field is the one whose name comes first
 * here. OpenCATS's candidate export names its columns as its list does
 * ("E-Mail", "Cell Phone", "Key Skills", "Misc Notes", "Web Site"...), and
 * LinkedIn's connections export "First Name", "Last Name", "URL", "Email
 * Address", "Company", "Position", "Connected On".
 */
static const char *const names[IMPORT_FIELD__MAX][12] = {
	[IMPORT_EMAIL] = { "email", "e-mail", "email address", "e-mail address",
	    "mail", "email 1", "primary email", "work email", NULL },
	[IMPORT_FIRST_NAME] = { "first name", "firstname", "first_name",
	    "given name", "forename", "first", NULL },
	[IMPORT_LAST_NAME] = { "last name", "lastname", "last_name", "surname",
	    "family name", "last", NULL },
	[IMPORT_NAME] = { "name", "full name", "full_name", "candidate name",
	    "candidate", NULL },
	[IMPORT_TITLE] = { "title", "job title", "job_title", "position",
	    "current title", "current position", "headline", "role", NULL },
	[IMPORT_PHONE] = { "phone", "mobile", "cell phone", "mobile phone",
	    "phone number", "telephone", "tel", "home phone", "work phone", NULL },
	[IMPORT_CITY] = { "city", "town", "location", NULL },
	[IMPORT_COUNTRY] = { "country", NULL },
	[IMPORT_URL] = { "linkedin", "linkedin url", "linkedin profile", "url",
	    "profile url", "web site", "website", "portfolio", NULL },
	[IMPORT_SOURCE] = { "source", "lead source", NULL },
	[IMPORT_STATUS] = { "status", NULL },
	[IMPORT_SENIORITY] = { "seniority", "level", NULL },
	[IMPORT_TAGS] = { "tags", "tag", "labels", NULL },
	[IMPORT_SKILLS] = { "skills", "key skills", "skill", NULL },
	[IMPORT_REMOTE] = { "remote", NULL },
	[IMPORT_NOTES] = { "notes", "misc notes", "note", "comments", NULL },
};

/* Columns only one export has, by which its layout is told. */
static const char *const opencats_marks[] = { "2nd e-mail", "home phone",
	"cell phone", "work phone", "key skills", "misc notes", "web site",
	"current employer", "can relocate", "desired pay", "current pay", NULL };
static const char *const linkedin_marks[] = { "url", "company", "position",
	"connected on", NULL };

/* A column name as it is compared: trimmed, lower case (ASCII and the
 * Latin-1 letters: "PRÉNOM" is "prénom"), inner white space folded to one
 * space. Into out (size bytes). */
static void
norm_name(const char *in, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;
	int space = 0;

	for (; *p && o + 3 < size; p++) {
		unsigned char c = *p;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = 0;
		if (c == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e && p[1] != 0x97) {
			out[o++] = (char)c;	/* U+00C0..U+00DE but for U+00D7 */
			out[o++] = (char)(*++p + 0x20);
			continue;
		}
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[o] = '\0';
}

void
import_header_hash(char *const *header, size_t ncols, char out[IMPORT_HASH_SIZE])
{
	crypto_hash_sha256_state s;
	unsigned char h[crypto_hash_sha256_BYTES];
	char name[512];

	crypto_hash_sha256_init(&s);
	for (size_t i = 0; i < ncols; i++) {
		norm_name(header[i], name, sizeof name);
		if (i)
			crypto_hash_sha256_update(&s, (const unsigned char *)"\x1f", 1);
		crypto_hash_sha256_update(&s, (const unsigned char *)name,
		    strlen(name));
	}
	crypto_hash_sha256_final(&s, h);
	sodium_bin2hex(out, IMPORT_HASH_SIZE, h, sizeof h);
}

static size_t
column_named(char norm[][64], size_t ncols, const char *name)
{
	for (size_t i = 0; i < ncols; i++)
		if (strcmp(norm[i], name) == 0)
			return i + 1;
	return 0;
}

static size_t
marks(char norm[][64], size_t ncols, const char *const *list)
{
	size_t n = 0;

	for (; *list; list++)
		n += column_named(norm, ncols, *list) != 0;
	return n;
}

const char *
import_guess(char *const *header, size_t ncols, unsigned map[IMPORT_FIELD__MAX])
{
	char (*norm)[64] = calloc(ncols ? ncols : 1, sizeof *norm);
	const char *layout = NULL;

	memset(map, 0, sizeof(unsigned) * IMPORT_FIELD__MAX);
	if (norm == NULL)
		return NULL;
	for (size_t i = 0; i < ncols; i++)
		norm_name(header[i], norm[i], sizeof norm[i]);
	for (int f = 0; f < IMPORT_FIELD__MAX; f++)
		for (size_t k = 0; names[f][k] && !map[f]; k++) {
			size_t col = column_named(norm, ncols, names[f][k]);
			int taken = 0;

			for (int g = 0; g < f; g++)
				taken |= map[g] == col;
			if (col && !taken)
				map[f] = (unsigned)col;
		}
	if (column_named(norm, ncols, "first name") &&
	    column_named(norm, ncols, "last name")) {
		if (column_named(norm, ncols, "e-mail") &&
		    marks(norm, ncols, opencats_marks) >= 1)
			layout = "OpenCATS candidate export";
		else if (column_named(norm, ncols, "email address") &&
		    marks(norm, ncols, linkedin_marks) >= 2)
			layout = "LinkedIn connections export";
	}
	free(norm);
	return layout;
}

/* One record kept while the header is looked for. */
struct head_rec {
	size_t ncols;
	char **cells;
	char *error;
	uint64_t line, end, next_line;
};

static void
head_rec_free(struct head_rec *r)
{
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	free(r->error);
}

static int
head_rec_copy(struct csv_reader *cr, const struct csv_record *rec,
    struct head_rec *r)
{
	char why[256];

	memset(r, 0, sizeof *r);
	r->line = rec->line;
	r->end = rec->end;
	r->next_line = rec->next_line;
	if (rec->error != CSV_E_NONE)
		return (r->error = strdup(csv_reason(cr, rec, why, sizeof why))) ?
		    HE_OK : HE_NOMEM;
	if ((r->cells = calloc(rec->ncols, sizeof *r->cells)) == NULL)
		return HE_NOMEM;
	r->ncols = rec->ncols;
	for (size_t i = 0; i < rec->ncols; i++)
		if ((r->cells[i] = strdup(rec->cells[i])) == NULL)
			return HE_NOMEM;
	return HE_OK;
}

void
import_head_free(struct import_head *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->ncols; i++)
		free(h->header[i]);
	free(h->header);
	for (size_t i = 0; i < h->nrows * h->ncols; i++)
		free(h->rows[i]);
	free(h->rows);
	for (size_t i = 0; i < h->nrows; i++)
		free(h->row_errors[i]);
	free(h->row_errors);
	free(h->row_lines);
	free(h);
}

/* The header: the first row with the cell count most rows have (ties go
 * to the larger count). */
static int
pick_header(const struct head_rec *recs, size_t n)
{
	size_t best = 0, best_votes = 0;
	int at = -1;

	for (size_t i = 0; i < n; i++) {
		size_t votes = 0;

		if (recs[i].error)
			continue;
		for (size_t j = 0; j < n; j++)
			votes += !recs[j].error && recs[j].ncols == recs[i].ncols;
		if (votes > best_votes || (votes == best_votes &&
		    recs[i].ncols > best)) {
			best_votes = votes;
			best = recs[i].ncols;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!recs[i].error && recs[i].ncols == best) {
			at = (int)i;
			break;
		}
	return at;
}

/* The mapping saved for this header, if any and if it fits. */
static int
remembered(struct store *st, struct import_head *h)
{
	json_t *layout, *map, *v;
	const char *k;
	unsigned got[IMPORT_FIELD__MAX] = { 0 };
	int ok = 0;

	if (st == NULL || store_layout_get(st, NULL, h->hash, &layout) != HE_OK)
		return 0;
	map = json_object_get(layout, "map");
	json_object_foreach(map, k, v) {
		json_int_t col = json_integer_value(v);

		for (int f = 0; f < IMPORT_FIELD__MAX; f++)
			if (strcmp(k, import_fields[f].name) == 0 && col > 0 &&
			    (size_t)col <= h->ncols)
				got[f] = (unsigned)col;
	}
	if (got[IMPORT_EMAIL]) {
		memcpy(h->map, got, sizeof got);
		ok = 1;
	}
	json_decref(layout);
	return ok;
}

int
import_inspect(struct store *st, const char *path, struct import_head **out,
    char *why, size_t whysize)
{
	struct head_rec recs[HEAD_RECORDS];
	struct csv_reader *cr = NULL;
	struct csv_record rec;
	struct csv_opts o = { .max_cols = IMPORT_COLS_MAX };
	struct import_head *h = NULL;
	size_t n = 0;
	int rc, at;
	FILE *f;

	*out = NULL;
	why[0] = '\0';
	if ((f = fopen(path, "rb")) == NULL)
		return HE_IO;
	if ((rc = csv_open_file(f, &o, &cr)) != HE_OK)
		goto out;
	while (n < HEAD_RECORDS && (rc = csv_next(cr, &rec)) == HE_OK) {
		if ((rc = head_rec_copy(cr, &rec, &recs[n++])) != HE_OK)
			goto out;
	}
	if (rc != HE_OK && rc != HE_NOTFOUND)
		goto out;
	rc = HE_OK;
	if (n == 0) {
		snprintf(why, whysize, "This file is empty.");
		rc = HE_INVALID;
		goto out;
	}
	if ((at = pick_header(recs, n)) < 0) {
		snprintf(why, whysize, "The first lines of this file cannot be "
		    "read (line %" PRIu64 ": %s). Save it as CSV in UTF-8 and "
		    "upload it again.", recs[0].line, recs[0].error);
		rc = HE_INVALID;
		goto out;
	}
	if ((h = calloc(1, sizeof *h)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	h->sep = csv_sep(cr);
	h->ncols = recs[at].ncols;
	h->header = recs[at].cells;	/* taken over */
	recs[at].cells = NULL;
	recs[at].ncols = 0;
	h->data_offset = recs[at].end;
	h->data_line = recs[at].next_line;
	import_header_hash(h->header, h->ncols, h->hash);
	h->rows = calloc((size_t)IMPORT_PREVIEW_ROWS * h->ncols, sizeof *h->rows);
	h->row_errors = calloc(IMPORT_PREVIEW_ROWS, sizeof *h->row_errors);
	h->row_lines = calloc(IMPORT_PREVIEW_ROWS, sizeof *h->row_lines);
	if (h->rows == NULL || h->row_errors == NULL || h->row_lines == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	for (size_t i = (size_t)at + 1; i < n && h->nrows < IMPORT_PREVIEW_ROWS; i++) {
		size_t r = h->nrows++;

		h->row_lines[r] = recs[i].line;
		if (recs[i].error) {
			h->row_errors[r] = recs[i].error;
			recs[i].error = NULL;
		} else if (recs[i].ncols != h->ncols) {
			char msg[160];

			snprintf(msg, sizeof msg, "this row has %zu cells where the "
			    "header has %zu", recs[i].ncols, h->ncols);
			if ((h->row_errors[r] = strdup(msg)) == NULL) {
				rc = HE_NOMEM;
				goto out;
			}
		}
		for (size_t c = 0; c < h->ncols; c++) {
			const char *v = !h->row_errors[r] && c < recs[i].ncols ?
			    recs[i].cells[c] : "";

			if ((h->rows[r * h->ncols + c] = strdup(v)) == NULL) {
				rc = HE_NOMEM;
				goto out;
			}
		}
	}
	h->layout = import_guess(h->header, h->ncols, h->map);
	h->remembered = remembered(st, h);
out:
	for (size_t i = 0; i < n; i++)
		head_rec_free(&recs[i]);
	csv_close(cr);
	fclose(f);
	if (rc == HE_OK)
		*out = h;
	else
		import_head_free(h);
	return rc;
}

char *
import_dir(HDF *conf)
{
	char *dir = conf_path(conf, "Office.ImportDir", "var/imports");

	if (dir)
		(void)mkdir(dir, 0700);
	return dir;
}

void
import_report_name(uint64_t job, char out[64])
{
	snprintf(out, 64, "report-%" PRIu64 ".csv", job);
}


struct start {
	const struct import_head *h;
	const struct import_params *p;
	uint64_t user;
	const char *ip;
	uint64_t job;
};

static int
start_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct start *s = arg;
	const struct import_head *h = s->h;
	const struct import_params *p = s->p;
	struct audit_actor who = { s->user, s->ip };
	json_t *header = json_array(), *map = json_object(), *params = NULL;
	json_t *layout = NULL, *detail = NULL;
	char sep[2] = { h->sep, '\0' };
	int rc = HE_NOMEM;

	if (header == NULL || map == NULL)
		goto out;
	for (size_t i = 0; i < h->ncols; i++)
		if (json_array_append_new(header, json_string(h->header[i])) != 0)
			goto out;
	for (int f = 0; f < IMPORT_FIELD__MAX; f++)
		if (p->map[f] && json_object_set_new(map, import_fields[f].name,
		    json_integer(p->map[f])) != 0)
			goto out;
	layout = json_pack("{s:O, s:O, s:I, s:I}", "header", header, "map", map,
	    "user", (json_int_t)s->user, "saved", (json_int_t)clock_now());
	params = json_pack("{s:s, s:s, s:s, s:I, s:I, s:O, s:O, s:s, s:s, "
	    "s:{s:s, s:s}, s:s}", "file", p->file, "filename", p->filename ?
	    p->filename : "",
	    "sep", sep, "offset", (json_int_t)h->data_offset,
	    "line", (json_int_t)h->data_line, "header", header, "map", map,
	    "policy", import_policies[p->policy], "source", p->source ?
	    p->source : "", "basis", "kind", p->basis, "note", p->basis_note ?
	    p->basis_note : "", "hash", h->hash);
	if (layout == NULL || params == NULL)
		goto out;
	if ((rc = store_layout_put(st, txn, h->hash, layout)) != HE_OK ||
	    (rc = job_create(st, txn, IMPORT_KIND, s->user, params, 0,
	    &s->job)) != HE_OK)
		goto out;
	/* The file's name on the job's page from the start. */
	{
		json_t *job;

		if ((rc = store_job_get(st, txn, s->job, 1, &job)) != HE_OK)
			goto out;
		json_object_set_new(json_object_get(job, "result"), "title",
		    json_string(p->filename ? p->filename : ""));
		rc = store_job_put(st, txn, s->job, job);
		json_decref(job);
		if (rc != HE_OK)
			goto out;
	}
	detail = json_pack("{s:I, s:s, s:s, s:s}", "job", (json_int_t)s->job,
	    "file", p->filename ? p->filename : "", "policy", import_policies[p->policy],
	    "basis", p->basis);
	rc = detail ? audit_log(st, txn, &who, "import", 0, detail) : HE_NOMEM;
out:
	json_decref(header);
	json_decref(map);
	json_decref(layout);
	json_decref(params);
	json_decref(detail);
	return rc;
}

int
import_start(struct store *st, const struct import_head *h,
    const struct import_params *p, uint64_t user, const char *ip,
    uint64_t *job)
{
	struct start s = { h, p, user, ip ? ip : "", 0 };
	int basis_ok = 0, rc;

	for (int i = 0; import_bases[i]; i++)
		basis_ok |= p->basis && strcmp(p->basis, import_bases[i]) == 0;
	if (!basis_ok || (unsigned)p->policy >= IMPORT_POLICY__MAX ||
	    p->map[IMPORT_EMAIL] == 0 || p->map[IMPORT_EMAIL] > h->ncols ||
	    p->file == NULL || strchr(p->file, '/'))
		return HE_INVALID;
	for (int f = 0; f < IMPORT_FIELD__MAX; f++)
		if (p->map[f] > h->ncols)
			return HE_INVALID;
	if ((rc = store_txn(st, start_txn, &s)) == HE_OK)
		*job = s.job;
	return rc;
}

void
import_prune(const char *dir, int64_t now)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		int upload = strncmp(e->d_name, "upload-", 7) == 0;
		int report = strncmp(e->d_name, "report-", 7) == 0;
		struct stat sb;
		char *path;

		if (!upload && !report)
			continue;
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			continue;
		if (stat(path, &sb) == 0 && now - sb.st_mtime >
		    (int64_t)(upload ? IMPORT_UPLOAD_DAYS : IMPORT_REPORT_DAYS) * 86400)
			(void)unlink(path);
		free(path);
	}
	closedir(d);
}
