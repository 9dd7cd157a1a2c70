/* page_import.c: CSV import: the upload, the columns' check with a preview, the start, the report of rejected rows */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "cgi-bin/office/office.h"
#include "crm/clock.h"
#include "crm/import.h"
#include "crm/job.h"
#include "util/he.h"
#include "util/log.h"

#define TOKEN_HEX 32		/* an upload's name: random, not guessable */
#define REPORT_MAX (64 * 1024 * 1024)	/* a report served at most */

const struct web_field import_upload_fields[] = {
	{ "file", WEB_FT_FILE, WEB_FF_REQUIRED, 0, "CSV file",
	    "Choose the CSV file to import.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The fields of the form of the columns: the upload, a column (from 1; 0:
 * none) per candidate field, then what to do with the rows. */
enum {
	IMPORT_VIEW_F, IMPORT_VIEW_N,
};
enum {
	IMPORT_MAP_F, IMPORT_MAP_N,
	IMPORT_MAP_COLUMN,
	IMPORT_MAP_POLICY = IMPORT_MAP_COLUMN + IMPORT_FIELD__MAX,
	IMPORT_MAP_SOURCE, IMPORT_MAP_BASIS, IMPORT_MAP_NOTE,
};

static const char *
token_check(const char *v)
{
	size_t n = strspn(v, "0123456789abcdef");

	return n == TOKEN_HEX && v[n] == '\0' ? NULL :
	    "This upload's address is not right: upload the file again.";
}

const struct web_field import_view_fields[] = {
	[IMPORT_VIEW_F] = { "f", WEB_FT_TEXT, WEB_FF_REQUIRED, TOKEN_HEX, "Upload",
	    "Which upload? Upload the file again.", NULL, token_check },
	[IMPORT_VIEW_N] = { "n", WEB_FT_TEXT, 0, 200, "File name", NULL, NULL,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const char *const policies[] = { "create", "update", "both", NULL };
static const char *const bases[] = { "legitimate_interest", "consent", NULL };

#define MAP_FIELD(f, name, label) [IMPORT_MAP_COLUMN + f] = { "map_" name, \
	WEB_FT_UINT, 0, IMPORT_COLS_MAX, label, NULL, NULL, NULL }

/* "map_" and import_fields[].name: test_import checks they agree. */
const struct web_field import_map_fields[] = {
	[IMPORT_MAP_F] = { "f", WEB_FT_TEXT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    TOKEN_HEX, "Upload", "Which upload? Upload the file again.", NULL,
	    token_check },
	[IMPORT_MAP_N] = { "n", WEB_FT_TEXT, WEB_FF_HIDDEN, 200, "File name", NULL,
	    NULL, NULL },
	MAP_FIELD(IMPORT_EMAIL, "email", "Email address"),
	MAP_FIELD(IMPORT_FIRST_NAME, "first_name", "First name"),
	MAP_FIELD(IMPORT_LAST_NAME, "last_name", "Last name"),
	MAP_FIELD(IMPORT_NAME, "name", "Full name"),
	MAP_FIELD(IMPORT_TITLE, "title", "Job title"),
	MAP_FIELD(IMPORT_PHONE, "phone", "Phone"),
	MAP_FIELD(IMPORT_CITY, "city", "City"),
	MAP_FIELD(IMPORT_COUNTRY, "country", "Country"),
	MAP_FIELD(IMPORT_URL, "url", "LinkedIn or web address"),
	MAP_FIELD(IMPORT_SOURCE, "source", "Source"),
	MAP_FIELD(IMPORT_STATUS, "status", "Status"),
	MAP_FIELD(IMPORT_SENIORITY, "seniority", "Seniority"),
	MAP_FIELD(IMPORT_TAGS, "tags", "Tags"),
	MAP_FIELD(IMPORT_SKILLS, "skills", "Skills"),
	MAP_FIELD(IMPORT_REMOTE, "remote", "Remote"),
	MAP_FIELD(IMPORT_NOTES, "notes", "Notes"),
	[IMPORT_MAP_POLICY] = { "policy", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0,
	    "Candidates already in Hearth",
	    "Choose what to do with candidates already in Hearth.", policies, NULL },
	[IMPORT_MAP_SOURCE] = { "source", WEB_FT_TEXT, 0, 100, "Source", NULL, NULL,
	    NULL },
	[IMPORT_MAP_BASIS] = { "basis", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0,
	    "Lawful basis", "Choose the lawful basis on which you keep these "
	    "people's details.", bases, NULL },
	[IMPORT_MAP_NOTE] = { "basis_note", WEB_FT_TEXT, 0, 500,
	    "Why you may keep their details", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The path of the current user's upload token, or NULL (out of memory). */
static char *
upload_path(struct web_req *req, const char *token, char **name)
{
	char *dir = import_dir(req->conf), *path = NULL;

	*name = NULL;
	if (dir == NULL)
		return NULL;
	if (asprintf(name, "upload-%" PRIu64 "-%s.csv", req->user->id, token) < 0)
		*name = NULL;
	else if (asprintf(&path, "%s/%s", dir, *name) < 0)
		path = NULL;
	free(dir);
	return path;
}

void
page_import_form(struct web_req *req)
{
	web_render(req, 200, "office/import.cs");
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void
page_import_upload(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_upload *u = web_upload_get(req, "file");
	unsigned char rnd[TOKEN_HEX / 2];
	char token[TOKEN_HEX + 1], why[512], *path, *name, *dir, loc[512];
	struct import_head *h = NULL;
	int fd, rc;

	if (u == NULL || u->len == 0) {
		web_form_error(req, "file", "This file is empty. Choose the CSV "
		    "file to import.");
		web_render(req, 400, "office/import.cs");
		return;
	}
	if ((dir = import_dir(req->conf)) != NULL) {
		import_prune(dir, clock_now());
		free(dir);
	}
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(token, sizeof token, rnd, sizeof rnd);
	if ((path = upload_path(req, token, &name)) == NULL) {
		free(name);
		web_fail(req, HE_NOMEM);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, u->data, u->len) != 0 || fsync(fd) != 0) {
		log_error("import: cannot write %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(path);
		free(name);
		web_fail(req, HE_IO);
		return;
	}
	close(fd);
	rc = import_inspect(o->st, path, &h, why, sizeof why);
	if (rc != HE_OK) {
		unlink(path);
		free(path);
		free(name);
		if (rc != HE_INVALID) {
			web_fail(req, rc);
			return;
		}
		web_form_error(req, "file", why);
		web_render(req, 400, "office/import.cs");
		return;
	}
	import_head_free(h);
	free(path);
	free(name);
	/* The name it came with rides along, for people only. */
	{
		char *esc = NULL;
		NEOERR *err = cgi_url_escape(u->filename, &esc);

		if (err != STATUS_OK) {
			nerr_ignore(&err);
			esc = NULL;
		}
		snprintf(loc, sizeof loc, "/office/import/map?f=%s&n=%s", token,
		    esc ? esc : "");
		free(esc);
	}
	web_redirect(req, 303, loc);
}

/* What the page of the columns shows of an upload: the header, the first
 * rows, the fields a column can go to. */
static void
set_preview(struct web_req *req, const struct import_head *h)
{
	char name[96];

	web_set_int(req, "Page.ncols", (long long)h->ncols);
	if (h->layout)
		web_set(req, "Page.layout", h->layout);
	web_set_int(req, "Page.remembered", h->remembered);
	for (size_t c = 0; c < h->ncols; c++) {
		snprintf(name, sizeof name, "Page.columns.%zu.num", c);
		web_set_int(req, name, (long long)c + 1);
		snprintf(name, sizeof name, "Page.columns.%zu.name", c);
		web_set(req, name, h->header[c]);
	}
	web_set_int(req, "Page.nrows", (long long)h->nrows);
	for (size_t r = 0; r < h->nrows; r++) {
		snprintf(name, sizeof name, "Page.rows.%zu.line", r);
		web_set_int(req, name, (long long)h->row_lines[r]);
		if (h->row_errors[r]) {
			snprintf(name, sizeof name, "Page.rows.%zu.error", r);
			web_set(req, name, h->row_errors[r]);
			continue;
		}
		for (size_t c = 0; c < h->ncols; c++) {
			snprintf(name, sizeof name, "Page.rows.%zu.cells.%zu", r, c);
			web_set(req, name, h->rows[r * h->ncols + c]);
		}
	}
}

/* The upload named by the request's "f", inspected; NULL when it is gone
 * or unreadable (*rc says which). */
static struct import_head *
load(struct web_req *req, const char *token, int *rc)
{
	struct office *o = req->ctx;
	struct import_head *h = NULL;
	char why[512], *name, *path = upload_path(req, token, &name);

	if (path == NULL) {
		*rc = HE_NOMEM;
	} else if (access(path, R_OK) != 0) {
		*rc = HE_NOTFOUND;
	} else {
		*rc = import_inspect(o->st, path, &h, why, sizeof why);
	}
	free(path);
	free(name);
	return h;
}

static void
gone(struct web_req *req, int rc)
{
	if (rc == HE_NOTFOUND || rc == HE_INVALID)
		web_error(req, 404, "This upload is no longer here (uploads are "
		    "kept for a few days, and an import removes its own). Upload "
		    "the file again.");
	else
		web_fail(req, rc);
}

void
page_import_map(struct web_req *req)
{
	const char *token = req->v[IMPORT_VIEW_F].str;
	struct import_head *h;
	char name[64];
	int rc;

	if ((h = load(req, token, &rc)) == NULL) {
		gone(req, rc);
		return;
	}
	set_preview(req, h);
	/* The form's first values: the suggested mapping, create only. */
	web_set(req, "Form.f.value", token);
	web_set(req, "Form.n.value", req->v[IMPORT_VIEW_N].str);
	for (int f = 0; f < IMPORT_FIELD__MAX; f++) {
		snprintf(name, sizeof name, "Form.map_%s.value", import_fields[f].name);
		web_set_int(req, name, h->map[f]);
	}
	web_set(req, "Form.policy.value", "create");
	import_head_free(h);
	web_render(req, 200, "office/import_map.cs");
}

/* Checks across the form's fields, with the preview set for the page that
 * shows what failed. */
void
check_import_map(struct web_req *req, const struct web_value *v)
{
	const struct web_field *fl = import_map_fields;
	struct import_head *h;
	int rc;

	if (v[IMPORT_MAP_F].present &&
	    (h = load(req, v[IMPORT_MAP_F].str, &rc)) != NULL) {
		set_preview(req, h);
		for (int f = 0; f < IMPORT_FIELD__MAX; f++) {
			uint64_t col = v[IMPORT_MAP_COLUMN + f].num;
			char msg[200];

			if (!v[IMPORT_MAP_COLUMN + f].present || col == 0)
				continue;
			if (col > h->ncols) {
				web_form_error(req, fl[IMPORT_MAP_COLUMN + f].name,
				    "Choose one of the file's columns.");
				continue;
			}
			for (int g = 0; g < f; g++)
				if (v[IMPORT_MAP_COLUMN + g].num == col) {
					snprintf(msg, sizeof msg, "Column %" PRIu64 " is "
					    "already chosen for %s.", col,
					    fl[IMPORT_MAP_COLUMN + g].label);
					web_form_error(req, fl[IMPORT_MAP_COLUMN + f].name, msg);
					break;
				}
		}
		import_head_free(h);
	}
	if (v[IMPORT_MAP_COLUMN + IMPORT_EMAIL].num == 0)
		web_form_error(req, "map_email", "Choose the column that holds the "
		    "email addresses: rows are matched to candidates by them.");
	if (v[IMPORT_MAP_BASIS].present &&
	    strcmp(v[IMPORT_MAP_BASIS].str, "legitimate_interest") == 0 &&
	    !v[IMPORT_MAP_NOTE].present)
		web_form_error(req, "basis_note", "Say what the legitimate interest "
		    "is: it is recorded with each candidate this import creates.");
}

void
page_import_start(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	struct import_params p = {
		.filename = v[IMPORT_MAP_N].present ? v[IMPORT_MAP_N].str :
		    "the uploaded file",
		.source = v[IMPORT_MAP_SOURCE].str,
		.basis = v[IMPORT_MAP_BASIS].str,
		.basis_note = v[IMPORT_MAP_NOTE].str,
	};
	struct import_head *h;
	char *name, *path, loc[64];
	uint64_t job;
	int rc;

	if ((h = load(req, v[IMPORT_MAP_F].str, &rc)) == NULL) {
		gone(req, rc);
		return;
	}
	if ((path = upload_path(req, v[IMPORT_MAP_F].str, &name)) == NULL) {
		free(name);
		import_head_free(h);
		web_fail(req, HE_NOMEM);
		return;
	}
	free(path);
	p.file = name;
	for (int i = 0; policies[i]; i++)
		if (strcmp(v[IMPORT_MAP_POLICY].str, policies[i]) == 0)
			p.policy = (enum import_policy)i;
	for (int f = 0; f < IMPORT_FIELD__MAX; f++)
		p.map[f] = (unsigned)v[IMPORT_MAP_COLUMN + f].num;
	rc = import_start(o->st, h, &p, req->user->id, req->remote_addr, &job);
	import_head_free(h);
	free(name);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(loc, sizeof loc, "/office/job?id=%" PRIu64, job);
	web_redirect(req, 303, loc);
}

void
page_import_report(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id = req->v[0].num;
	char name[64], *dir, *path = NULL, *body = NULL, hdr[160];
	const char *kind;
	json_t *job;
	size_t len = 0;
	FILE *f = NULL;
	long size = 0;
	int rc;

	if ((rc = job_get(o->st, id, &job)) != HE_OK) {
		if (rc == HE_NOTFOUND)
			web_error(req, 404, "There is no such import.");
		else
			web_fail(req, rc);
		return;
	}
	kind = json_string_value(json_object_get(job, "kind"));
	rc = kind && strcmp(kind, IMPORT_KIND) == 0 && (req->user->role ==
	    ROLE_ADMIN || (uint64_t)json_integer_value(json_object_get(job,
	    "user")) == req->user->id);
	json_decref(job);
	if (!rc) {
		web_error(req, 403, "This import was started by someone else: only "
		    "they and administrators can see its report.");
		return;
	}
	import_report_name(id, name);
	if ((dir = import_dir(req->conf)) == NULL ||
	    asprintf(&path, "%s/%s", dir, name) < 0) {
		free(dir);
		web_fail(req, HE_NOMEM);
		return;
	}
	free(dir);
	if ((f = fopen(path, "rb")) == NULL) {
		free(path);
		web_error(req, 404, "This import's report is no longer kept (reports "
		    "are kept for 30 days), or it had no rows to report.");
		return;
	}
	free(path);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    size > REPORT_MAX || fseek(f, 0, SEEK_SET) != 0 ||
	    (body = malloc((size_t)size + 1)) == NULL ||
	    (len = fread(body, 1, (size_t)size, f)) != (size_t)size) {
		fclose(f);
		free(body);
		log_error("import: cannot serve the report of job %" PRIu64
		    " (%ld bytes)", id, size);
		web_fail(req, HE_IO);
		return;
	}
	fclose(f);
	snprintf(hdr, sizeof hdr, "Content-Disposition: attachment; "
	    "filename=\"import-%" PRIu64 "-not-imported.csv\"\r\n", id);
	web_send(req, 200, "text/csv; charset=utf-8", hdr, body, len);
	free(body);
}
