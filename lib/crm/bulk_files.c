/* bulk_files.c: the files of bulk jobs under Office.JobDir: where they live, exports to download, the sweep */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/bulk_int.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/job.h"
#include "store/job.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"

int
bulk_dir(HDF *conf, char **dir)
{
	char *d = conf_path(conf, "Office.JobDir", "var/jobs");

	if (d == NULL)
		return HE_NOMEM;
	if (mkdir(d, 0700) != 0 && errno != EEXIST) {
		log_error("cannot create %s: %s", d, strerror(errno));
		free(d);
		return HE_IO;
	}
	*dir = d;
	return HE_OK;
}

int
bulk_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = HE_OK;

	if (fd < 0 || fsync(fd) != 0) {
		log_error("cannot sync %s: %s", dir, strerror(errno));
		rc = HE_IO;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

static long
keep_hours(HDF *conf)
{
	long h = conf ? conf_int(conf, "Office.ExportKeepHours", 24) : 24;

	return h < 0 ? 0 : h;
}

/* Whether an export was removed, or is due to be at now. */
static int
expired(HDF *conf, json_t *job, int64_t now)
{
	json_t *result = json_object_get(job, "result");

	return json_is_true(json_object_get(result, "expired")) ||
	    now >= json_integer_value(json_object_get(job, "finished")) +
	    keep_hours(conf) * 3600;
}

int
bulk_export_file(struct store *st, HDF *conf, uint64_t id, uint64_t user,
    int admin, char **path, uint64_t *size)
{
	const char *name;
	struct stat sb;
	char *dir;
	json_t *job;
	int rc;

	if ((rc = job_get(st, id, &job)) != HE_OK)
		return rc;
	name = json_string_value(json_object_get(json_object_get(job, "result"),
	    "file"));
	if (strcmp(json_string_value(json_object_get(job, "kind")) ?: "",
	    "export") != 0 || name == NULL || strchr(name, '/'))
		rc = HE_NOTFOUND;
	else if (!admin && (uint64_t)json_integer_value(json_object_get(job,
	    "user")) != user)
		rc = HE_DENIED;
	else if (job_state_of(job) != JOB_DONE)
		rc = HE_INVALID;
	else if (expired(conf, job, clock_now()))
		rc = HE_EXPIRED;
	else if ((rc = bulk_dir(conf, &dir)) == HE_OK) {
		if (asprintf(path, "%s/%s", dir, name) < 0)
			rc = HE_NOMEM;
		else if (stat(*path, &sb) != 0) {
			free(*path);
			rc = HE_EXPIRED;
		} else
			*size = (uint64_t)sb.st_size;
		free(dir);
	}
	json_decref(job);
	return rc;
}

/* ---- the sweep ---- */

struct expire {
	uint64_t id;
	long hours;
};

/* The export's page says the file is gone. */
static int
expire_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct expire *e = arg;
	json_t *job, *result;
	char line[600];
	int rc;

	if ((rc = store_job_get(st, txn, e->id, 1, &job)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	result = json_object_get(job, "result");
	if (!json_is_true(json_object_get(result, "expired"))) {
		snprintf(line, sizeof line, "%s The file was removed %ld hour%s after "
		    "the export finished: start a new export to have one.",
		    json_string_value(json_object_get(result, "summary")) ?: "",
		    e->hours, e->hours == 1 ? "" : "s");
		json_object_set_new(result, "summary", json_string(line));
		json_object_set_new(result, "expired", json_true());
		json_object_del(result, "download");
		json_object_del(result, "download_label");
		rc = store_job_put(st, txn, e->id, job);
	}
	json_decref(job);
	return rc;
}

/* What to do with the file of job id: keep it (0), remove it (1), or
 * remove it after marking the export expired (2). */
static int
verdict(struct store *st, HDF *conf, uint64_t id, const char *name,
    int export, int64_t now)
{
	json_t *job, *result;
	int rc = store_job_get(st, NULL, id, 0, &job), v;

	if (rc == HE_NOTFOUND)
		return 1;
	if (rc != HE_OK)
		return 0;
	result = json_object_get(job, "result");
	if (job_is_open(job))
		v = 0;
	else if (!export)
		v = 1;
	else if (job_state_of(job) != JOB_DONE ||
	    strcmp(json_string_value(json_object_get(result, "file")) ?: "", name))
		v = 1;
	else
		v = expired(conf, job, now) ? 2 : 0;
	json_decref(job);
	return v;
}

/*
 * A deletion's step removes the files of the deletions the step before it
 * committed. A job cancelled (or failed) after a step that deleted leaves
 * those files listed in its resume "unlink": removed here, for the newest
 * jobs (the sweep runs every minute, well before many more jobs follow).
 */
#define SWEEP_JOBS 200

struct leftovers {
	uint64_t ids[SWEEP_JOBS];
	size_t n;
};

static int
find_leftover(uint64_t id, json_t *job, void *ctx)
{
	struct leftovers *l = ctx;

	if (!job_is_open(job) && l->n < SWEEP_JOBS &&
	    json_object_get(json_object_get(job, "resume"), "unlink"))
		l->ids[l->n++] = id;
	return HE_OK;
}

static int
forget_txn(struct store *st, DB_TXN *txn, void *arg)
{
	uint64_t id = *(uint64_t *)arg;
	json_t *job;
	int rc;

	if ((rc = store_job_get(st, txn, id, 1, &job)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	json_object_del(json_object_get(job, "resume"), "unlink");
	rc = store_job_put(st, txn, id, job);
	json_decref(job);
	return rc;
}

static int
sweep_leftovers(struct store *st, HDF *conf)
{
	struct leftovers l = { .n = 0 };
	char *resumes = NULL, *outbox = NULL;
	int rc;

	if ((rc = store_job_newest(st, NULL, 0, 0, SWEEP_JOBS, find_leftover, &l)) !=
	    HE_OK || l.n == 0)
		return rc;
	resumes = conf_path(conf, "Community.ResumeDir", "var/resumes");
	outbox = conf_path(conf, "Mail.OutboxDir", "var/outbox");
	for (size_t i = 0; rc == HE_OK && i < l.n; i++) {
		json_t *job;

		if (resumes == NULL || outbox == NULL) {
			rc = HE_NOMEM;
			break;
		}
		if (store_job_get(st, NULL, l.ids[i], 0, &job) != HE_OK)
			continue;
		/* Files first: if the record is not cleared, they go again. */
		comm_purge_unlink(resumes, outbox, json_object_get(json_object_get(job,
		    "resume"), "unlink"));
		json_decref(job);
		rc = store_txn(st, forget_txn, &l.ids[i]);
	}
	free(resumes);
	free(outbox);
	return rc;
}

int
bulk_sweep(struct store *st, HDF *conf, int64_t now, size_t *removed)
{
	struct dirent *de;
	char *dir;
	DIR *d;
	int rc;

	*removed = 0;
	if ((rc = sweep_leftovers(st, conf)) != HE_OK)
		return rc;
	if ((rc = bulk_dir(conf, &dir)) != HE_OK)
		return rc;
	if ((d = opendir(dir)) == NULL) {
		log_error("cannot read %s: %s", dir, strerror(errno));
		free(dir);
		return HE_IO;
	}
	while (rc == HE_OK && (de = readdir(d)) != NULL) {
		unsigned long long id;
		char tail[16], path[4096];
		int export = 0, n, v;
		struct stat sb;

		/* export-N.csv, job-N.ids and their .tmp; nothing else is ours. */
		if (sscanf(de->d_name, "export-%llu.csv%n", &id, &n) == 1 &&
		    de->d_name[n] == '\0')
			export = 1;
		else if (!(sscanf(de->d_name, "job-%llu.ids%n", &id, &n) == 1 &&
		    (de->d_name[n] == '\0' || (sscanf(de->d_name + n, "%15s", tail) == 1 &&
		    strcmp(tail, ".tmp") == 0))))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		/* A temporary file is in use only during one step. */
		if (de->d_name[n] != '\0' && (stat(path, &sb) != 0 ||
		    now - sb.st_mtim.tv_sec < 3600))
			continue;
		if ((v = verdict(st, conf, id, de->d_name, export, now)) == 0)
			continue;
		if (v == 2) {
			struct expire e = { id, keep_hours(conf) };

			if ((rc = store_txn(st, expire_txn, &e)) != HE_OK)
				break;
		}
		if (unlink(path) == 0)
			(*removed)++;
		else if (errno != ENOENT)
			log_warn("cannot remove %s: %s", path, strerror(errno));
	}
	closedir(d);
	free(dir);
	return rc;
}

/* ---- open jobs ---- */

struct open_jobs {
	struct store *st;
	uint64_t user;
	size_t max;
	json_t *jobs;
};

static int
add_open(uint64_t id, void *ctx)
{
	struct open_jobs *o = ctx;
	json_t *job;
	int rc;

	if (json_array_size(o->jobs) >= o->max)
		return HE_EXISTS;
	if ((rc = job_get(o->st, id, &job)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	if (job_is_open(job) && (o->user == 0 || (uint64_t)json_integer_value(
	    json_object_get(job, "user")) == o->user))
		rc = json_array_append(o->jobs, job) ? HE_NOMEM : HE_OK;
	json_decref(job);
	return rc;
}

int
bulk_open_jobs(struct store *st, uint64_t user, size_t max, json_t **jobs)
{
	struct open_jobs o = { st, user, max, json_array() };
	int rc;

	if (o.jobs == NULL)
		return HE_NOMEM;
	rc = store_job_open_each(st, NULL, add_open, &o);
	if (rc != HE_OK && rc != HE_EXISTS) {
		json_decref(o.jobs);
		return rc;
	}
	*jobs = o.jobs;
	return HE_OK;
}
