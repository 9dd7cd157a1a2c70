/* page_job.c: background jobs: one job's progress, the list of recent ones, cancelling */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/job.h"
#include "util/he.h"

#define PER_PAGE 30
#define REFRESH_SECONDS 2	/* while a job runs, its page follows it this often */

/* The Cancel button's form: the job's number in a hidden input. */
const struct web_field job_id_fields[] = {
	{ "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, UINT64_MAX / 2, "Job",
	    "Which job? The form is missing its number.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The job's page: "refresh=0" stops it reloading itself (WCAG 2.2.1:
 * people who need time to read it can turn the refresh off). */
const struct web_field job_view_fields[] = {
	[JOB_VIEW_ID] = { "id", WEB_FT_UINT, WEB_FF_REQUIRED, UINT64_MAX / 2, "Job",
	    "Which job? The address is missing its number.", NULL, NULL },
	[JOB_VIEW_REFRESH] = { "refresh", WEB_FT_UINT, 0, 1, "Refresh", NULL,
	    NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const char *const state_labels[JOB__MAX] = {
	[JOB_QUEUED] = "Waiting to start",
	[JOB_RUNNING] = "Running",
	[JOB_DONE] = "Done",
	[JOB_FAILED] = "Failed",
	[JOB_CANCELLED] = "Cancelled",
};

/* 50000 as "50,000". */
static void
thousands(char *buf, size_t size, json_int_t v)
{
	char digits[32];
	size_t n, o = 0;

	if (v < 0)
		v = 0;
	n = (size_t)snprintf(digits, sizeof digits, "%" PRId64, (int64_t)v);
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* Whether the signed-in user may see and cancel the job: who started it,
 * or an administrator. */
static int
may_see(const struct web_req *req, json_t *job)
{
	return req->user->role == ROLE_ADMIN ||
	    (uint64_t)json_integer_value(json_object_get(job, "user")) ==
	    req->user->id;
}

/* What a page shows of one job, under prefix. */
static void
set_job(struct web_req *req, const char *prefix, json_t *job)
{
	json_int_t done = json_integer_value(json_object_get(job, "done"));
	json_int_t total = json_integer_value(json_object_get(job, "total"));
	json_t *result = json_object_get(job, "result");
	const char *download = json_string_value(json_object_get(result, "download"));
	enum job_state s = job_state_of(job);
	char name[128], a[32], b[32], text[96];

#define SET(field, value) (snprintf(name, sizeof name, "%s.%s", prefix, field), \
	web_set(req, name, value))
#define SET_INT(field, value) (snprintf(name, sizeof name, "%s.%s", prefix, \
	field), web_set_int(req, name, value))
#define SET_TIME(field) (snprintf(name, sizeof name, "%s.%s", prefix, field), \
	office_set_time(req, name, json_object_get(job, field), 0))

	SET_INT("id", json_integer_value(json_object_get(job, "id")));
	SET("kind", job_kind_label(json_string_value(json_object_get(job, "kind"))));
	SET("state", s < JOB__MAX ? job_state_name(s) : "unknown");
	SET("state_label", s < JOB__MAX ? state_labels[s] : "Unknown");
	SET_INT("open", job_is_open(job));
	SET("user_email", json_string_value(json_object_get(job, "user_email")));
	SET_TIME("created");
	SET_TIME("started");
	SET_TIME("finished");
	if (total > 0) {
		if (done > total)
			done = total;
		SET_INT("total", total);
		SET_INT("done", done);
		thousands(a, sizeof a, done);
		thousands(b, sizeof b, total);
		snprintf(text, sizeof text, "%s of %s", a, b);
	} else if (done > 0) {
		thousands(a, sizeof a, done);
		snprintf(text, sizeof text, "%s so far", a);
	} else {
		snprintf(text, sizeof text, "%s", s == JOB_QUEUED ?
		    "Not started yet" : "Nothing done yet");
	}
	SET("progress", text);
	SET("title", json_string_value(json_object_get(result, "title")));
	SET("summary", json_string_value(json_object_get(result, "summary")));
	/* Only a file of the back office: the kind's own page serves it. */
	if (download && strncmp(download, "/office/", 8) == 0) {
		const char *label = json_string_value(json_object_get(result,
		    "download_label"));

		SET("download", download);
		SET("download_label", label ? label : "Download");
	}
	SET("error", json_string_value(json_object_get(job, "error")));
#undef SET
#undef SET_INT
#undef SET_TIME
}

/* The job of the request's id if the user may see it; else the answer is
 * given and NULL returned. */
static json_t *
load(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *job;
	int rc = job_get(o->st, req->v[0].num, &job);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such job. The list of jobs shows "
		    "the ones you started.");
		return NULL;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return NULL;
	}
	if (!may_see(req, job)) {
		json_decref(job);
		web_error(req, 403, "This job was started by someone else: only "
		    "they and administrators can see it.");
		return NULL;
	}
	return job;
}

void
page_job(struct web_req *req)
{
	json_t *job = load(req);

	if (job == NULL)
		return;
	set_job(req, "Page.job", job);
	/* Followed in place by job.js unless asked otherwise: reloaded
	 * (refresh=1, without scripts) or left still (refresh=0). */
	if (job_is_open(job)) {
		if (!req->v[JOB_VIEW_REFRESH].present)
			web_set_int(req, "Page.live", REFRESH_SECONDS);
		else if (req->v[JOB_VIEW_REFRESH].num)
			web_set_int(req, "Page.refresh", REFRESH_SECONDS);
		else
			web_set_int(req, "Page.still", 1);
	}
	json_decref(job);
	web_render(req, 200, "office/job.cs");
}

void
page_job_cancel(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *job = load(req);
	char path[64];
	int rc;

	if (job == NULL)
		return;
	json_decref(job);
	/* Already finished (HE_INVALID): its page says how it ended. */
	if ((rc = job_cancel(o->st, req->v[0].num)) != HE_OK && rc != HE_INVALID) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/job?id=%" PRIu64, req->v[0].num);
	web_redirect(req, 303, path);
}

void
page_jobs(struct web_req *req)
{
	struct office *o = req->ctx;
	size_t page = req->v[LIST_PAGE].present && req->v[LIST_PAGE].num ?
	    req->v[LIST_PAGE].num : 1;
	/* Administrators see everyone's jobs, others their own. */
	uint64_t user = req->user->role == ROLE_ADMIN ? 0 : req->user->id;
	json_t *jobs, *job;
	char name[64];
	size_t i;
	int more, rc;

	if ((rc = job_page(o->st, user, page, PER_PAGE, &jobs, &more)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	json_array_foreach(jobs, i, job) {
		snprintf(name, sizeof name, "Page.jobs.%zu", i);
		set_job(req, name, job);
	}
	json_decref(jobs);
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.everyone", user == 0);
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)page - 1);
	if (more)
		web_set_int(req, "Page.next", (long long)page + 1);
	web_render(req, 200, "office/jobs.cs");
}
