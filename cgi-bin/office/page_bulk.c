/* page_bulk.c: bulk actions from the candidate list, the confirmation of a deletion, export downloads */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgi-bin/office/office.h"
#include "crm/bulk.h"
#include "crm/index.h"
#include "crm/job.h"
#include "crm/pool.h"
#include "crm/profile.h"
#include "util/he.h"
#include "util/log.h"
#include "util/text.h"

const char *const bulk_scopes[] = { "selected", "all", NULL };

/* The download of an export: its job's number, from the job's page. */
const struct web_field export_fields[] = {
	{ "id", WEB_FT_UINT, WEB_FF_REQUIRED, UINT64_MAX / 2, "Export",
	    "Which export? The address is missing its number.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The actions as the form offers them; deletion to admins only. */
static const char *const action_labels[BULK__MAX] = {
	[BULK_TAG_ADD] = "Add a tag",
	[BULK_TAG_REMOVE] = "Remove a tag",
	[BULK_POOL_ADD] = "Add to a pool",
	[BULK_POOL_REMOVE] = "Remove from a pool",
	[BULK_STATUS] = "Set the status",
	[BULK_OWNER] = "Set the owner",
	[BULK_EXPORT] = "Export to a CSV file",
	[BULK_DELETE] = "Delete them",
};

/* Open jobs of the user the list links to, at most. */
#define LIST_JOBS 5

const char *
bulk_owner_check(const char *v)
{
	if (strcmp(v, "me") == 0 || strcmp(v, "none") == 0 ||
	    (strspn(v, "0123456789") == strlen(v) && strlen(v) < 12 && v[0] != '0'))
		return NULL;
	return "Please choose an owner from the list.";
}

/* The static pools people can be added to. */
static void
set_static_pools(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *pools, *p;
	size_t i, k = 0;
	char name[64];

	if (pool_names(o->st, &pools) != HE_OK)
		return;
	json_array_foreach(pools, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "kind")) ?: "",
		    "static") != 0)
			continue;
		snprintf(name, sizeof name, "Page.bulk.pools.%zu", k++);
		office_set_fields(req, name, p);
	}
	json_decref(pools);
}

/* Who may own candidates (prof_owners), "me" aside: it is offered first. */
static void
set_owners(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *users, *u;
	size_t i, k = 0;
	char name[64];

	if (prof_owners(o->st, &users) != HE_OK)
		return;
	json_array_foreach(users, i, u) {
		json_int_t id = json_integer_value(json_object_get(u, "id"));

		if ((uint64_t)id == req->user->id)
			continue;
		snprintf(name, sizeof name, "Page.bulk.owners.%zu.id", k);
		web_set_int(req, name, id);
		snprintf(name, sizeof name, "Page.bulk.owners.%zu.email", k++);
		web_set(req, name, json_string_value(json_object_get(u, "email")));
	}
	json_decref(users);
}

/* The user's jobs still running, which the list links to. */
static void
set_jobs(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *jobs, *job;
	size_t i;
	char name[64], a[32], b[32], text[80];

	if (bulk_open_jobs(o->st, req->user->id, LIST_JOBS, &jobs) != HE_OK)
		return;
	json_array_foreach(jobs, i, job) {
		json_int_t done = json_integer_value(json_object_get(job, "done"));
		json_int_t total = json_integer_value(json_object_get(job, "total"));

		snprintf(name, sizeof name, "Page.bulk.jobs.%zu.id", i);
		web_set_int(req, name, json_integer_value(json_object_get(job, "id")));
		snprintf(name, sizeof name, "Page.bulk.jobs.%zu.kind", i);
		web_set(req, name, job_kind_label(json_string_value(json_object_get(job,
		    "kind"))));
		text_thousands(a, sizeof a, done > 0 ? (uint64_t)done : 0);
		text_thousands(b, sizeof b, total > 0 ? (uint64_t)total : 0);
		if (total > 0)
			snprintf(text, sizeof text, "%s of %s done", a, b);
		else
			snprintf(text, sizeof text, "starting");
		snprintf(name, sizeof name, "Page.bulk.jobs.%zu.progress", i);
		web_set(req, name, text);
	}
	json_decref(jobs);
}

void
bulk_form_data(struct web_req *req)
{
	char name[64], n[32];

	for (int a = 0; a < BULK__MAX; a++) {
		if (a == BULK_DELETE && req->user->role != ROLE_ADMIN)
			continue;
		snprintf(name, sizeof name, "Page.bulk.actions.%d.value", a);
		web_set(req, name, bulk_action_names[a]);
		snprintf(name, sizeof name, "Page.bulk.actions.%d.label", a);
		web_set(req, name, action_labels[a]);
	}
	for (size_t i = 0; cand_statuses[i]; i++) {
		char label[64];

		snprintf(label, sizeof label, "%s", cand_statuses[i]);
		label[0] = (char)(label[0] - 'a' + 'A');
		for (char *p = label; *p; p++)
			if (*p == '_')
				*p = ' ';
		snprintf(name, sizeof name, "Page.bulk.statuses.%zu.value", i);
		web_set(req, name, cand_statuses[i]);
		snprintf(name, sizeof name, "Page.bulk.statuses.%zu.label", i);
		web_set(req, name, label);
	}
	set_static_pools(req);
	set_owners(req);
	set_jobs(req);
	text_thousands(n, sizeof n, (uint64_t)hdf_get_int_value(req->hdf, "Page.total", 0));
	web_set(req, "Page.bulk.total", n);
}

/* ---- the form ---- */

/* The candidates the form names: those ticked, or all those shown with
 * "all on this page". HE_INVALID when one is not an id (a broken form). */
static int
selection(const struct web_value *v, uint64_t *ids, size_t max, size_t *n)
{
	const struct web_value *from = v[BF_ALL_PAGE].present ? &v[BF_SHOWN] :
	    &v[BF_ID];

	*n = 0;
	for (size_t i = 0; i < from->count; i++) {
		const char *s = from->list[i];
		char *end;
		unsigned long long id;

		errno = 0;
		id = strtoull(s, &end, 10);
		if (s[0] < '1' || s[0] > '9' || *end || errno || id > UINT32_MAX)
			return HE_INVALID;
		if (*n < max)
			ids[(*n)++] = id;
	}
	return HE_OK;
}

/* The owner chosen: a user id, 0 for nobody; HE_INVALID for someone who
 * may not own candidates. */
static int
owner_of(struct web_req *req, const char *v, uint64_t *owner)
{
	struct office *o = req->ctx;
	struct auth_user_info u;

	if (strcmp(v, "none") == 0) {
		*owner = 0;
		return HE_OK;
	}
	*owner = strcmp(v, "me") == 0 ? req->user->id : strtoull(v, NULL, 10);
	if (auth_user_get(o->st, *owner, &u) != HE_OK || u.disabled ||
	    (u.role != ROLE_ADMIN && u.role != ROLE_RECRUITER))
		return HE_INVALID;
	return HE_OK;
}

/* Whether no field of the filter has an error. */
static int
filter_ok(struct web_req *req)
{
	char name[96];

	for (int f = 0; f < FILTER__MAX; f++) {
		snprintf(name, sizeof name, "Form.%s.error", filter_fields[f].name);
		if (hdf_get_value(req->hdf, name, NULL))
			return 0;
	}
	return 1;
}

void
page_bulk_check(struct web_req *req, const struct web_value *v)
{
	struct office *o = req->ctx;
	enum bulk_action a = bulk_action_of(v[BF_ACTION].str);
	char tag[CAND_TAG_SIZE];
	uint64_t ids[BULK_IDS_MAX], owner;
	size_t n;
	json_t *pool;

	page_candidates_form(req, v);
	switch (a) {
	case BULK_TAG_ADD:
	case BULK_TAG_REMOVE:
		if (!v[BF_TAG].present)
			web_form_error(req, "tag", "Please type the tag.");
		else if (cand_tag_normalise(v[BF_TAG].str, tag) != HE_OK)
			web_form_error(req, "tag", "A tag is up to 40 characters.");
		break;
	case BULK_POOL_ADD:
	case BULK_POOL_REMOVE:
		if (!v[BF_POOL].present) {
			web_form_error(req, "to_pool", "Please choose the pool.");
			break;
		}
		if (pool_get(o->st, v[BF_POOL].num, &pool, NULL) != HE_OK) {
			web_form_error(req, "to_pool", "That pool no longer exists: "
			    "please choose another.");
			break;
		}
		if (strcmp(json_string_value(json_object_get(pool, "kind")) ?: "",
		    "static") != 0)
			web_form_error(req, "to_pool", "People join a saved filter by "
			    "matching it: choose a pool kept by hand.");
		json_decref(pool);
		break;
	case BULK_STATUS:
		if (!v[BF_STATUS].present)
			web_form_error(req, "new_status", "Please choose the status.");
		break;
	case BULK_OWNER:
		if (!v[BF_OWNER].present)
			web_form_error(req, "new_owner", "Please choose the owner.");
		else if (owner_of(req, v[BF_OWNER].str, &owner) != HE_OK)
			web_form_error(req, "new_owner", "That person cannot own "
			    "candidates: choose an active admin or recruiter.");
		break;
	default:
		break;
	}
	if (selection(v, ids, BULK_IDS_MAX, &n) != HE_OK)
		web_form_error(req, "scope", "The candidates ticked could not be "
		    "read. Please tick them again.");
	else if (strcmp(v[BF_SCOPE].str, "selected") == 0 && n == 0)
		web_form_error(req, "scope", "Please tick at least one candidate in "
		    "the list, or apply it to all that match.");
	/* The list again, with what was ticked, under the errors (unless the
	 * filter itself is what failed: then there is no list to show). */
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0 && filter_ok(req))
		candidates_list(req, v, v[BF_ALL_PAGE].present ? &v[BF_SHOWN] :
		    &v[BF_ID]);
}

/* The bulk request of a form that passed page_bulk_check. */
static int
request_of(struct web_req *req, enum bulk_action a, uint64_t *ids,
    struct cand_query *q, struct bulk_request *r)
{
	const struct web_value *v = req->v;
	enum cand_sort sort;
	int rc;

	memset(r, 0, sizeof *r);
	r->action = a;
	r->user = req->user->id;
	r->ip = req->remote_addr;
	if (strcmp(v[BF_SCOPE].str, "all") == 0) {
		filter_read(req, v, q, &sort);
		r->q = q;
	} else {
		if ((rc = selection(v, ids, BULK_IDS_MAX, &r->nids)) != HE_OK)
			return rc;
		r->ids = ids;
	}
	switch (a) {
	case BULK_TAG_ADD:
	case BULK_TAG_REMOVE:
		r->tag = v[BF_TAG].str;
		break;
	case BULK_POOL_ADD:
	case BULK_POOL_REMOVE:
		r->pool = v[BF_POOL].num;
		break;
	case BULK_STATUS:
		r->status = v[BF_STATUS].str;
		break;
	case BULK_OWNER:
		return owner_of(req, v[BF_OWNER].str, &r->owner);
	default:
		break;
	}
	return HE_OK;
}

static void
start(struct web_req *req, enum bulk_action a)
{
	struct office *o = req->ctx;
	uint64_t ids[BULK_IDS_MAX], job;
	struct cand_query q;
	struct bulk_request r;
	char tag[CAND_TAG_SIZE], path[64];
	int rc = request_of(req, a, ids, &q, &r);

	if (rc == HE_OK && r.tag) {
		cand_tag_normalise(r.tag, tag);
		r.tag = tag;
	}
	if (rc == HE_OK)
		rc = bulk_start(o->st, &r, &job);
	if (rc == HE_INVALID || rc == HE_NOTFOUND) {
		/* Changed since the form was checked: a pool deleted, a user
		 * disabled. */
		web_error(req, 400, "Something this action needs changed a moment "
		    "ago (a pool was deleted, or an account disabled). Please go "
		    "back to the list and try again.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/job?id=%" PRIu64, job);
	web_redirect(req, 303, path);
}

/* A deletion asks first, saying how many. */
static void
confirm_delete(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t ids[BULK_IDS_MAX], total = 0, one;
	size_t n = 0, shown;
	char name[64], count[32];
	int rc;

	filter_echo(req, v, 0);
	if (strcmp(v[BF_SCOPE].str, "all") == 0) {
		struct cand_query q;
		enum cand_sort sort;

		filter_read(req, v, &q, &sort);
		if ((rc = cand_search(o->st, &q, sort, 1, 1, &one, &shown,
		    &total)) != HE_OK) {
			web_fail(req, rc);
			return;
		}
		web_set(req, "Page.bulk.scope", "all");
	} else {
		selection(v, ids, BULK_IDS_MAX, &n);	/* checked already */
		for (size_t i = 0; i < n; i++) {
			snprintf(name, sizeof name, "Page.bulk.ids.%zu", i);
			web_set_int(req, name, (long long)ids[i]);
		}
		total = n;
		web_set(req, "Page.bulk.scope", "selected");
	}
	text_thousands(count, sizeof count, total);
	web_set(req, "Page.bulk.count", count);
	web_set_int(req, "Page.bulk.one", total == 1);
	web_render(req, 200, "office/bulk_delete.cs");
}

void
page_bulk(struct web_req *req)
{
	enum bulk_action a = bulk_action_of(req->v[BF_ACTION].str);

	if (a == BULK_DELETE) {
		if (req->user->role != ROLE_ADMIN) {
			web_error(req, 403, "Only admins can delete candidates. Ask one "
			    "if these records should go.");
			return;
		}
		confirm_delete(req);
		return;
	}
	start(req, a);
}

void
page_bulk_delete(struct web_req *req)
{
	uint64_t ids[BULK_IDS_MAX];
	size_t n;

	if (bulk_action_of(req->v[BF_ACTION].str) != BULK_DELETE) {
		web_error(req, 400, "This form only deletes. Please go back to the "
		    "list and choose the action again.");
		return;
	}
	if (strcmp(req->v[BF_SCOPE].str, "selected") == 0 &&
	    (selection(req->v, ids, BULK_IDS_MAX, &n) != HE_OK || n == 0)) {
		web_error(req, 400, "No candidate was chosen, so nothing was "
		    "deleted. Please go back to the list and tick them again.");
		return;
	}
	start(req, BULK_DELETE);
}

/* ---- the export's file ---- */

void
page_export_download(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id = req->v[0].num, size = 0;
	char *path = NULL, hdr[160];
	int rc = bulk_export_file(o->st, req->conf, id, req->user->id,
	    req->user->role == ROLE_ADMIN, &path, &size), fd;

	switch (rc) {
	case HE_OK:
		break;
	case HE_NOTFOUND:
		web_error(req, 404, "There is no such export. The list of jobs shows "
		    "the ones you started.");
		return;
	case HE_DENIED:
		web_error(req, 403, "This export was made by someone else: only they "
		    "and admins can download it.");
		return;
	case HE_INVALID:
		web_error(req, 404, "This export is not finished yet: its page shows "
		    "how far it has come.");
		return;
	case HE_EXPIRED:
		web_error(req, 410, "This export's file was removed after the hours "
		    "it is kept. Please start a new export from the candidate list.");
		return;
	default:
		web_fail(req, rc);
		return;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_error("cannot read %s: %s", path, strerror(errno));
		free(path);
		web_error(req, 410, "This export's file was removed. Please start a "
		    "new export from the candidate list.");
		return;
	}
	free(path);
	snprintf(hdr, sizeof hdr, "Content-Disposition: attachment; "
	    "filename=\"hearth-candidates-%" PRIu64 ".csv\"\r\n", id);
	web_send_fd(req, 200, "text/csv; charset=utf-8", hdr, fd, size);
	close(fd);
}
