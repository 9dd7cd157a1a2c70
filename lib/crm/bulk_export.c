/* bulk_export.c: the step of the "export" kind: candidates to a CSV file, a batch at a time */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crm/bulk_int.h"
#include "crm/clock.h"
#include "crm/job.h"
#include "store/entities.h"
#include "store/pool.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/csv.h"
#include "util/he.h"
#include "util/log.h"
#include "util/text.h"

/*
 * The file is written at the end of what the last committed step wrote:
 * resume "bytes" is its length then. A step truncates it back to that
 * length first (a step that wrote and then failed, or a worker killed
 * before its commit, leaves rows no step counted), appends its rows, and
 * syncs them before its transaction commits, so the length it records is
 * always on disk.
 */

static const char *const columns[] = {
	"Name", "Email", "Phone", "City", "Country", "Title", "Status", "Tags",
	"Pools", "Source", "Seniority", "Skills", "Consent", "Owner",
	"Last engaged (UTC)", "Joined (UTC)",
};

/* Unix seconds as a spreadsheet reads a date and time; "" for none. */
static void
when(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	out[0] = '\0';
	if (t > 0 && gmtime_r(&tt, &tm))
		strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

/* The strings of an array (or the names its numbers stand for, in
 * names), joined by ", ". */
static void
joined(json_t *arr, json_t *names, char *buf, size_t size)
{
	size_t i, len = 0;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		char key[24];

		if (names && json_is_integer(v)) {
			snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			s = json_string_value(json_object_get(names, key));
		}
		if (s == NULL)
			continue;
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "", s);
		len = strlen(buf);
	}
}

/* What a step reads once for all its rows. */
struct sheet {
	struct store *st;
	DB_TXN *txn;
	struct csv_writer w;
	json_t *pools;		/* id -> name */
	json_t *owners;		/* id -> email */
	char *cell;		/* for joined lists */
	size_t cellsize;
};

static int
add_pool(uint64_t id, json_t *body, void *ctx)
{
	char key[24];

	if (strcmp(json_string_value(json_object_get(body, "state")) ?: "",
	    "deleting") == 0)
		return HE_OK;
	snprintf(key, sizeof key, "%" PRIu64, id);
	return json_object_set(ctx, key, json_object_get(body, "name")) ?
	    HE_NOMEM : HE_OK;
}

static const char *
owner_email(struct sheet *s, json_t *owner)
{
	char key[24], email[256];
	json_t *known;

	if (!json_is_integer(owner))
		return "";
	snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, json_integer_value(owner));
	if ((known = json_object_get(s->owners, key)) == NULL) {
		if (store_user_email(s->st, s->txn, (uint64_t)json_integer_value(owner),
		    email, sizeof email) != HE_OK)
			email[0] = '\0';
		json_object_set_new(s->owners, key, json_string(email));
		known = json_object_get(s->owners, key);
	}
	return json_string_value(known) ?: "";
}

static void
cell(struct sheet *s, json_t *rec, const char *field)
{
	csv_write_str(&s->w, json_string_value(json_object_get(rec, field)));
}

static void
row(struct sheet *s, json_t *rec)
{
	json_t *pools = json_array();
	char date[32];
	size_t i;
	json_t *v;

	if (json_string_value(json_object_get(rec, "name")))
		cell(s, rec, "name");
	else {
		snprintf(s->cell, s->cellsize, "%s %s",
		    json_string_value(json_object_get(rec, "first_name")) ?: "",
		    json_string_value(json_object_get(rec, "last_name")) ?: "");
		csv_write_str(&s->w, s->cell);
	}
	cell(s, rec, "email");
	cell(s, rec, "phone");
	cell(s, rec, "city");
	cell(s, rec, "country");
	cell(s, rec, "title");
	cell(s, rec, "status");
	joined(json_object_get(rec, "tags"), NULL, s->cell, s->cellsize);
	csv_write_str(&s->w, s->cell);
	/* Static pools, then the saved filters the record matches. */
	json_array_foreach(json_object_get(rec, "pools"), i, v)
		json_array_append(pools, v);
	json_array_foreach(json_object_get(rec, "dpools"), i, v)
		json_array_append(pools, v);
	joined(pools, s->pools, s->cell, s->cellsize);
	json_decref(pools);
	csv_write_str(&s->w, s->cell);
	cell(s, rec, "source");
	cell(s, rec, "seniority");
	joined(json_object_get(rec, "skills"), NULL, s->cell, s->cellsize);
	csv_write_str(&s->w, s->cell);
	cell(s, rec, "consent");
	csv_write_str(&s->w, owner_email(s, json_object_get(rec, "owner")));
	when(json_integer_value(json_object_get(rec, "last_engaged")), date);
	csv_write_str(&s->w, date);
	when(json_integer_value(json_object_get(rec, "joined")) / 1000000, date);
	csv_write_str(&s->w, date);
	csv_write_end(&s->w);
}

/* The export's file, opened for writing at length bytes (create: made
 * anew). *path is malloc'd. */
static int
open_sheet(struct job_run *run, int create, int64_t bytes, FILE **f,
    char **path)
{
	const char *name = json_string_value(json_object_get(json_object_get(
	    run->job, "result"), "file"));
	char *dir;
	int fd, rc;

	if ((rc = bulk_dir(run->conf, &dir)) != HE_OK)
		return rc;
	if (asprintf(path, "%s/%s", dir, name ? name : "") < 0) {
		free(dir);
		return HE_NOMEM;
	}
	fd = open(*path, O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0),
	    0600);
	if (fd >= 0 && create)
		rc = bulk_sync_dir(dir);
	free(dir);
	if (fd < 0 || rc != HE_OK || ftruncate(fd, bytes) != 0 ||
	    lseek(fd, bytes, SEEK_SET) != bytes || (*f = fdopen(fd, "w")) == NULL) {
		log_error("job %" PRIu64 ": cannot write %s: %s", run->id, *path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return HE_IO;
	}
	return HE_OK;
}

/* Flushes and syncs the rows, closes, and records the new length. */
static int
close_sheet(struct job_run *run, FILE *f, const char *path)
{
	long end;
	int rc = HE_OK;

	if (fflush(f) != 0 || ferror(f) || (end = ftell(f)) < 0 ||
	    fsync(fileno(f)) != 0) {
		log_error("job %" PRIu64 ": cannot write %s: %s", run->id, path,
		    strerror(errno));
		rc = HE_IO;
	}
	if (fclose(f) != 0 && rc == HE_OK)
		rc = HE_IO;
	if (rc == HE_OK)
		json_object_set_new(json_object_get(run->job, "resume"), "bytes",
		    json_integer(end));
	return rc;
}

/* The first step: the candidates fixed, the file made with its header,
 * the audit entry written. */
static int
begin(struct job_run *run, DB_TXN *txn)
{
	json_t *params = json_object_get(run->job, "params");
	json_t *result = json_object_get(run->job, "result");
	struct audit_actor who = bulk_actor(run->job);
	struct csv_writer w;
	char name[64], n[32], line[128], *path = NULL;
	uint64_t count;
	json_t *detail;
	FILE *f;
	int rc;

	if ((rc = bulk_ids_start(run, txn, &count)) != HE_OK || !job_is_open(run->job))
		return rc;
	snprintf(name, sizeof name, "export-%" PRIu64 ".csv", run->id);
	json_object_set_new(result, "file", json_string(name));
	if ((rc = open_sheet(run, 1, 0, &f, &path)) != HE_OK) {
		free(path);
		return rc;
	}
	csv_writer_init(&w, f, ',', 1);
	for (size_t i = 0; i < sizeof columns / sizeof *columns; i++)
		csv_write_str(&w, columns[i]);
	csv_write_end(&w);
	rc = close_sheet(run, f, path);
	free(path);
	if (rc != HE_OK)
		return rc;
	detail = json_pack("{s:I, s:I}", "job", (json_int_t)run->id, "count",
	    (json_int_t)count);
	if (detail == NULL)
		return HE_NOMEM;
	if (json_object_get(params, "query"))
		json_object_set(detail, "filter", json_object_get(params, "query"));
	else
		json_object_set_new(detail, "selected", json_true());
	rc = audit_log(run->st, txn, &who, "export", 0, detail);
	json_decref(detail);
	text_thousands(n, sizeof n, count);
	snprintf(line, sizeof line, "Exporting %s candidate%s.", n,
	    count == 1 ? "" : "s");
	json_object_set_new(result, "summary", json_string(line));
	return rc;
}

/* The last step: the file is ready to download. */
static void
finish(struct job_run *run)
{
	json_t *result = json_object_get(run->job, "result");
	json_int_t rows = json_integer_value(json_object_get(result, "rows"));
	json_int_t gone = json_integer_value(json_object_get(result, "gone"));
	double bytes = (double)json_integer_value(json_object_get(json_object_get(
	    run->job, "resume"), "bytes"));
	long hours = run->conf ? conf_int(run->conf, "Office.ExportKeepHours", 24) : 24;
	char n[32], line[300], label[80], path[64];

	text_thousands(n, sizeof n, (uint64_t)rows);
	snprintf(line, sizeof line, "Exported %s candidate%s.%s The file is kept "
	    "for %ld hour%s.", n, rows == 1 ? "" : "s", gone > 0 ?
	    " Some were deleted since the export started and are left out." : "",
	    hours, hours == 1 ? "" : "s");
	json_object_set_new(result, "summary", json_string(line));
	if (bytes < 1024)
		snprintf(label, sizeof label, "Download the CSV file (%.0f bytes)", bytes);
	else if (bytes < 1024 * 1024)
		snprintf(label, sizeof label, "Download the CSV file (%.0f KB)",
		    bytes / 1024);
	else
		snprintf(label, sizeof label, "Download the CSV file (%.1f MB)",
		    bytes / (1024 * 1024));
	snprintf(path, sizeof path, "/office/export?id=%" PRIu64, run->id);
	json_object_set_new(result, "download", json_string(path));
	json_object_set_new(result, "download_label", json_string(label));
	job_finish(run->job, JOB_DONE, NULL);
}

int
bulk_export_step(struct job_run *run, DB_TXN *txn)
{
	json_t *resume = json_object_get(run->job, "resume");
	size_t max = bulk_batch(run->conf), n, i;
	struct sheet s = { .st = run->st, .txn = txn, .cellsize = 65536 };
	int64_t rows = 0, gone = 0;
	char *path = NULL;
	uint32_t *ids;
	FILE *f;
	int rc;

	if (!bulk_ids_started(run->job))
		return begin(run, txn);
	if ((ids = malloc(max * sizeof *ids)) == NULL)
		return HE_NOMEM;
	if ((rc = bulk_ids_next(run, ids, max, &n)) != HE_OK || n == 0) {
		free(ids);
		if (rc == HE_OK)
			finish(run);
		return rc;
	}
	s.pools = json_object();
	s.owners = json_object();
	s.cell = malloc(s.cellsize);
	if (s.pools == NULL || s.owners == NULL || s.cell == NULL)
		rc = HE_NOMEM;
	if (rc == HE_OK)
		rc = store_pool_each(run->st, txn, add_pool, s.pools);
	if (rc == HE_OK)
		rc = open_sheet(run, 0, json_integer_value(json_object_get(resume,
		    "bytes")), &f, &path);
	if (rc == HE_OK) {
		s.w = (struct csv_writer){ .f = f, .sep = ',' };
		for (i = 0; rc == HE_OK && i < n; i++) {
			json_t *rec;

			if (i > 0 && clock_now_us() >= run->deadline_us)
				break;
			if ((rc = store_cand_get(run->st, txn, ids[i], 0, &rec)) ==
			    HE_NOTFOUND) {
				gone++;
				rc = HE_OK;
				continue;
			}
			if (rc != HE_OK)
				break;
			row(&s, rec);
			json_decref(rec);
			rows++;
		}
		if (rc == HE_OK)
			rc = close_sheet(run, f, path);
		else
			fclose(f);
		if (rc == HE_OK) {
			bulk_ids_done(run->job, ids[i - 1], i);
			bulk_count(run->job, "rows", rows);
			if (gone)
				bulk_count(run->job, "gone", gone);
		}
	}
	free(path);
	free(s.cell);
	json_decref(s.pools);
	json_decref(s.owners);
	free(ids);
	return rc;
}
