/* import_job.c: the import job: counting the rows, writing them in steps, the report of the rest */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/audit.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/import.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/csv.h"
#include "util/he.h"
#include "util/token.h"

/*
 * Rows per step: every lock a step takes is held until it commits, and the
 * environment's lock table is shared by every process (5000 locks); a row
 * takes a few (its record, email key, index pages, touchpoint).
 */
#define ROWS_PER_STEP 250
#define IDS_AT_ONCE 64		/* candidate ids taken from the sequence at once */
#define COUNT_CHECK_EVERY 4096	/* rows counted between looks at the clock */

static json_int_t
num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* 50000 as "50,000". */
static const char *
count_text(json_int_t v, char out[32])
{
	char d[24];
	size_t n = (size_t)snprintf(d, sizeof d, "%lld", (long long)(v < 0 ? 0 : v));
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
	return out;
}

/* The counts of the rows so far, and what the job's page says of them. */
struct tally {
	json_int_t rows, created, updated, unchanged, skipped, rejected;
};

static void
tally_load(struct tally *t, json_t *resume)
{
	t->rows = num(resume, "rows");
	t->created = num(resume, "created");
	t->updated = num(resume, "updated");
	t->unchanged = num(resume, "unchanged");
	t->skipped = num(resume, "skipped");
	t->rejected = num(resume, "rejected");
}

static void
tally_store(const struct tally *t, json_t *resume, json_t *result,
    uint64_t job)
{
	char a[32], b[32], c[32], d[32], e[32], summary[256], link[96];

	json_object_set_new(resume, "rows", json_integer(t->rows));
	json_object_set_new(resume, "created", json_integer(t->created));
	json_object_set_new(resume, "updated", json_integer(t->updated));
	json_object_set_new(resume, "unchanged", json_integer(t->unchanged));
	json_object_set_new(resume, "skipped", json_integer(t->skipped));
	json_object_set_new(resume, "rejected", json_integer(t->rejected));
	json_object_set_new(result, "created", json_integer(t->created));
	json_object_set_new(result, "updated", json_integer(t->updated));
	json_object_set_new(result, "unchanged", json_integer(t->unchanged));
	json_object_set_new(result, "skipped", json_integer(t->skipped));
	json_object_set_new(result, "rejected", json_integer(t->rejected));
	snprintf(summary, sizeof summary, "%s created, %s updated, %s unchanged, "
	    "%s skipped, %s rejected.", count_text(t->created, a),
	    count_text(t->updated, b), count_text(t->unchanged, c),
	    count_text(t->skipped, d), count_text(t->rejected, e));
	json_object_set_new(result, "summary", json_string(summary));
	if (t->skipped + t->rejected > 0) {
		snprintf(link, sizeof link, "/office/import/report?id=%" PRIu64, job);
		json_object_set_new(result, "download", json_string(link));
		snprintf(summary, sizeof summary, "The %s row%s not imported, with "
		    "the reason for each (CSV)", count_text(t->skipped + t->rejected,
		    a), t->skipped + t->rejected == 1 ? "" : "s");
		json_object_set_new(result, "download_label", json_string(summary));
	}
}

/* One step's work on the rows. */
struct step {
	struct job_run *run;
	DB_TXN *txn;
	json_t *params;
	unsigned map[IMPORT_FIELD__MAX];
	size_t ncols;
	enum import_policy policy;
	const char *user_email;
	struct cand_batch *batch;
	uint64_t written[ROWS_PER_STEP];	/* since the last flush */
	size_t nwritten;
	/* Ids for new candidates, taken as a range: one write of the
	 * (uncached) candidate sequence per step instead of one per row. */
	uint64_t next_id;
	uint32_t ids_left, rows_left;
	struct csv_writer report;
	struct tally t;
};

enum outcome { ROW_CREATED, ROW_UPDATED, ROW_UNCHANGED, ROW_SKIPPED,
	ROW_REJECTED };

static void
report_row(struct step *s, uint64_t line, const char *why,
    const char *const *cells, size_t ncols)
{
	char num_s[24];

	snprintf(num_s, sizeof num_s, "%" PRIu64, line);
	csv_write_str(&s->report, num_s);
	csv_write_str(&s->report, why);
	for (size_t i = 0; i < ncols; i++)
		csv_write_str(&s->report, cells[i]);
	csv_write_end(&s->report);
}

static int
touch(struct step *s, uint64_t cand, const char *kind, const char *text,
    json_t *detail)
{
	json_t *tp = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}",
	    "at", (json_int_t)s->run->now, "kind", kind, "channel", "office",
	    "by", (json_int_t)json_integer_value(json_object_get(s->run->job,
	    "user")), "by_name", s->user_email, "text", text);
	uint64_t id;
	int rc;

	if (tp == NULL)
		return HE_NOMEM;
	if (detail)
		json_object_set(tp, "detail", detail);
	rc = store_touch_insert(s->run->st, s->txn, cand, tp, &id);
	json_decref(tp);
	return rc;
}

/* Writes rec for cand through the batch; a candidate written twice in one
 * batch would have its index changes applied out of order: flush first. */
static int
write_cand(struct step *s, uint64_t id, json_t *old, json_t *rec)
{
	int rc;

	for (size_t i = 0; i < s->nwritten; i++)
		if (s->written[i] == id) {
			if ((rc = cand_batch_flush(s->batch, s->run->st, s->txn)) != HE_OK)
				return rc;
			s->nwritten = 0;
			break;
		}
	if ((rc = cand_batch_write(s->batch, s->run->st, s->txn, id, old, rec)) ==
	    HE_OK && s->nwritten < ROWS_PER_STEP)
		s->written[s->nwritten++] = id;
	return rc;
}

static void
compose_name(json_t *rec)
{
	const char *first = str(rec, "first_name"), *last = str(rec, "last_name");
	char name[512];

	snprintf(name, sizeof name, "%s%s%s", first, first[0] && last[0] ? " " :
	    "", last);
	if (name[0])
		json_object_set_new(rec, "name", json_string(name));
}

/* A new candidate from a row's fields. */
static json_t *
new_record(struct step *s, json_t *fields, const char *email_key)
{
	json_t *rec = json_deep_copy(fields), *basis = json_object_get(s->params,
	    "basis");
	const char *src = str(s->params, "source");

	if (rec == NULL)
		return NULL;
	json_object_del(rec, "notes");
	json_object_set_new(rec, "email_key", json_string(email_key));
	json_object_set_new(rec, "joined", json_integer(clock_now_us()));
	if (!json_object_get(rec, "status"))
		json_object_set_new(rec, "status", json_string("sourced"));
	if (!json_object_get(rec, "source"))
		json_object_set_new(rec, "source", json_string(src[0] ? src :
		    "CSV import"));
	if (!json_object_get(rec, "name"))
		compose_name(rec);
	json_object_set(rec, "basis", basis);
	return rec;
}

/* old with a row's fields over it: cells that were empty change nothing;
 * tags and skills are added to; the source of a candidate who has one and
 * the status of one who must not be contacted stay. *changed lists the
 * fields that changed. */
static json_t *
updated_record(json_t *old, json_t *fields, json_t **changed)
{
	json_t *rec = json_deep_copy(old), *v, *cur;
	const char *k;
	int names = 0;

	*changed = json_array();
	if (rec == NULL || *changed == NULL) {
		json_decref(rec);
		json_decref(*changed);
		return NULL;
	}
	json_object_foreach(fields, k, v) {
		if (strcmp(k, "email") == 0 || strcmp(k, "notes") == 0)
			continue;
		if (strcmp(k, "source") == 0 && str(rec, "source")[0])
			continue;
		if (strcmp(k, "status") == 0 &&
		    strcmp(str(rec, "status"), "do_not_contact") == 0)
			continue;
		cur = json_object_get(rec, k);
		if (json_is_array(v)) {
			json_t *merged = json_is_array(cur) ? json_deep_copy(cur) :
			    json_array();
			size_t i, j;
			json_t *x, *y;

			json_array_foreach(v, i, x) {
				int dup = 0;

				json_array_foreach(merged, j, y)
					dup |= json_equal(x, y);
				if (!dup)
					json_array_append(merged, x);
			}
			json_object_set_new(rec, k, merged);
		} else {
			json_object_set(rec, k, v);
		}
		names |= strcmp(k, "first_name") == 0 || strcmp(k, "last_name") == 0;
	}
	if (names && !json_object_get(fields, "name"))
		compose_name(rec);
	json_object_foreach(rec, k, v)
		if (!json_equal(v, json_object_get(old, k)))
			json_array_append_new(*changed, json_string(k));
	return rec;
}

/* One row: checked whole, then written whole, or not at all. */
static int
do_row(struct step *s, const struct csv_record *rec, enum outcome *out,
    char *why, size_t whysize)
{
	struct store *st = s->run->st;
	const char *filename = str(s->params, "filename");
	json_t *fields = NULL, *old = NULL, *cand = NULL, *changed = NULL, *detail;
	char key[TOK_MACSTRLEN], text[512];
	uint64_t id = 0;
	int rc;

	*out = ROW_REJECTED;
	if (rec->ncols != s->ncols) {
		snprintf(why, whysize, "this row has %zu cells where the header has "
		    "%zu: %s", rec->ncols, s->ncols, rec->ncols < s->ncols ?
		    "a separator is missing, or the row was cut short" :
		    "a cell holding the separator must be quoted");
		return HE_OK;
	}
	if ((rc = import_row_parse(s->map, rec->cells, rec->ncols, &fields, why,
	    whysize)) != HE_OK)
		return rc == HE_INVALID ? HE_OK : rc;
	tok_mac(st->site_key, "email", str(fields, "email"), key);
	if ((rc = store_suppress_get(st, s->txn, key)) == HE_OK) {
		snprintf(why, whysize, "this person asked for their data to be "
		    "erased: they cannot be imported again");
		rc = HE_OK;
		goto out;
	}
	if (rc != HE_NOTFOUND)
		goto out;
	rc = store_cand_by_email(st, s->txn, key, &id);
	if (rc == HE_NOTFOUND && s->policy == IMPORT_UPDATE) {
		*out = ROW_SKIPPED;
		snprintf(why, whysize, "not in Hearth: not created (this import "
		    "only updates candidates already there)");
		rc = HE_OK;
		goto out;
	}
	if (rc == HE_OK && s->policy == IMPORT_CREATE) {
		*out = ROW_SKIPPED;
		snprintf(why, whysize, "already in Hearth: not changed (this import "
		    "only creates new candidates)");
		goto out;
	}
	if (rc == HE_NOTFOUND) {
		if (s->ids_left == 0) {
			/* Enough for the rest of the step, at most IDS_AT_ONCE: ids
			 * not used are gaps, and ids must stay below 2^32. */
			uint32_t want = s->rows_left < IDS_AT_ONCE ? s->rows_left :
			    IDS_AT_ONCE;

			if ((rc = store_next_ids(st, SEQ_CANDIDATE, want,
			    &s->next_id)) != HE_OK)
				goto out;
			s->ids_left = want;
		}
		id = s->next_id++;
		s->ids_left--;
		if ((cand = new_record(s, fields, key)) == NULL) {
			rc = HE_NOMEM;
			goto out;
		}
		if (json_object_get(fields, "notes") &&
		    (rc = cand_terms_add(st, cand, str(fields, "notes"))) != HE_OK)
			goto out;
		if ((rc = write_cand(s, id, NULL, cand)) == HE_EXISTS) {
			snprintf(why, whysize, "this email address is already taken");
			rc = HE_OK;
			goto out;
		}
		if (rc != HE_OK)
			goto out;
		snprintf(text, sizeof text, "Imported from %s, line %" PRIu64,
		    filename, rec->line);
		detail = json_pack("{s:I, s:I}", "job", (json_int_t)s->run->id,
		    "line", (json_int_t)rec->line);
		rc = touch(s, id, "import", text, detail);
		json_decref(detail);
		if (rc == HE_OK && json_object_get(fields, "notes"))
			rc = touch(s, id, "note", str(fields, "notes"), NULL);
		if (rc == HE_OK)
			*out = ROW_CREATED;
		goto out;
	}
	if (rc != HE_OK)
		goto out;
	if ((rc = store_cand_get(st, s->txn, id, 1, &old)) != HE_OK)
		goto out;
	if ((cand = updated_record(old, fields, &changed)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if (json_array_size(changed) == 0) {
		*out = ROW_UNCHANGED;
		goto out;
	}
	if ((rc = write_cand(s, id, old, cand)) != HE_OK)
		goto out;
	snprintf(text, sizeof text, "Updated from %s, line %" PRIu64, filename,
	    rec->line);
	detail = json_pack("{s:I, s:I, s:O}", "job", (json_int_t)s->run->id,
	    "line", (json_int_t)rec->line, "fields", changed);
	rc = touch(s, id, "import", text, detail);
	json_decref(detail);
	if (rc == HE_OK)
		*out = ROW_UPDATED;
out:
	json_decref(fields);
	json_decref(old);
	json_decref(cand);
	json_decref(changed);
	return rc;
}

/* The report file, cut back to what committed steps wrote: a step that was
 * aborted leaves no line in it. */
static FILE *
report_open(const char *dir, uint64_t job, off_t committed)
{
	char name[64], *path;
	FILE *f = NULL;
	int fd;

	import_report_name(job, name);
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, committed) != 0 || lseek(fd, committed, SEEK_SET) < 0 ||
	    (f = fdopen(fd, "w")) == NULL)
		close(fd);
	return f;
}

/* Rows first counted, for the progress bar: fast, and resumable too. */
static int
count_rows(struct job_run *run, FILE *f, json_t *params, json_t *resume)
{
	struct csv_opts o = { .sep = str(params, "sep")[0],
	    .max_cols = IMPORT_COLS_MAX };
	struct csv_reader *cr;
	struct csv_record rec;
	json_int_t counted = num(resume, "counted");
	uint64_t at;
	char a[32], text[96];
	int rc;

	at = o.offset = json_object_get(resume, "count_offset") ?
	    (uint64_t)num(resume, "count_offset") : (uint64_t)num(params, "offset");
	if ((rc = csv_open_file(f, &o, &cr)) != HE_OK)
		return rc;
	for (size_t k = 1;; k++) {
		if ((rc = csv_next(cr, &rec)) != HE_OK)
			break;
		counted++;
		at = rec.end;
		if (k % COUNT_CHECK_EVERY == 0 && clock_now_us() > run->deadline_us)
			break;
	}
	csv_close(cr);
	if (rc != HE_OK && rc != HE_NOTFOUND)
		return rc;
	json_object_set_new(resume, "counted", json_integer(counted));
	json_object_set_new(resume, "count_offset", json_integer((json_int_t)at));
	if (rc == HE_NOTFOUND) {
		json_object_set_new(resume, "phase", json_string("rows"));
		job_set_progress(run->job, 0, counted);
		snprintf(text, sizeof text, "%s row%s to import.",
		    count_text(counted, a), counted == 1 ? "" : "s");
	} else {
		snprintf(text, sizeof text, "Counting the rows: %s so far.",
		    count_text(counted, a));
	}
	json_object_set_new(json_object_get(run->job, "result"), "summary",
	    json_string(text));
	return HE_OK;
}

static int
import_rows(struct job_run *run, DB_TXN *txn, FILE *f, const char *dir,
    json_t *params, json_t *resume)
{
	struct step *s = calloc(1, sizeof *s);
	struct csv_opts o = { .sep = str(params, "sep")[0],
	    .max_cols = IMPORT_COLS_MAX };
	struct csv_reader *cr = NULL;
	struct csv_record rec;
	json_t *header = json_object_get(params, "header"), *map, *v, *user;
	const char *k;
	FILE *rf = NULL;
	off_t committed = (off_t)num(resume, "report_bytes");
	char why[512];
	size_t n;
	int rc = HE_OK, eof = 0;

	if (s == NULL)
		return HE_NOMEM;
	s->run = run;
	s->txn = txn;
	s->params = params;
	s->ncols = json_array_size(header);
	for (int p = 0; import_policies[p]; p++)
		if (strcmp(str(params, "policy"), import_policies[p]) == 0)
			s->policy = (enum import_policy)p;
	map = json_object_get(params, "map");
	json_object_foreach(map, k, v)
		for (int fi = 0; fi < IMPORT_FIELD__MAX; fi++)
			if (strcmp(k, import_fields[fi].name) == 0)
				s->map[fi] = (unsigned)json_integer_value(v);
	s->user_email = "";
	user = NULL;
	if (store_user_get(run->st, txn, (uint64_t)num(run->job, "user"), &user) ==
	    HE_OK)
		s->user_email = str(user, "email");
	tally_load(&s->t, resume);
	if ((rf = report_open(dir, run->id, committed)) == NULL) {
		rc = HE_IO;
		goto out;
	}
	csv_writer_init(&s->report, rf, ',', committed == 0);
	if (committed == 0) {	/* the report's header: the file's, after ours */
		size_t i;

		csv_write_str(&s->report, "line");
		csv_write_str(&s->report, "reason");
		json_array_foreach(header, i, v)
			csv_write_str(&s->report, json_string_value(v));
		csv_write_end(&s->report);
	}
	/* The first step starts after the header. */
	o.offset = (uint64_t)num(json_object_get(resume, "offset") ? resume :
	    params, "offset");
	o.line = (uint64_t)num(json_object_get(resume, "line") ? resume : params,
	    "line");
	if ((rc = csv_open_file(f, &o, &cr)) != HE_OK ||
	    (s->batch = cand_batch_new()) == NULL) {
		rc = rc != HE_OK ? rc : HE_NOMEM;
		goto out;
	}
	for (n = 0; n < ROWS_PER_STEP; n++) {
		enum outcome what;

		if (n > 0 && clock_now_us() > run->deadline_us)
			break;
		if ((rc = csv_next(cr, &rec)) == HE_NOTFOUND) {
			eof = 1;
			rc = HE_OK;
			break;
		}
		if (rc != HE_OK)
			goto out;
		s->rows_left = (uint32_t)(ROWS_PER_STEP - n);
		if (rec.error != CSV_E_NONE) {
			what = ROW_REJECTED;
			csv_reason(cr, &rec, why, sizeof why);
		} else if ((rc = do_row(s, &rec, &what, why, sizeof why)) != HE_OK) {
			goto out;
		}
		s->t.rows++;
		switch (what) {
		case ROW_CREATED: s->t.created++; break;
		case ROW_UPDATED: s->t.updated++; break;
		case ROW_UNCHANGED: s->t.unchanged++; break;
		case ROW_SKIPPED: s->t.skipped++; break;
		case ROW_REJECTED: s->t.rejected++; break;
		}
		if (what == ROW_SKIPPED || what == ROW_REJECTED)
			report_row(s, rec.line, why, rec.error ? NULL : rec.cells,
			    rec.error ? 0 : rec.ncols);
		json_object_set_new(resume, "offset", json_integer((json_int_t)rec.end));
		json_object_set_new(resume, "line",
		    json_integer((json_int_t)rec.next_line));
	}
	if ((rc = cand_batch_flush(s->batch, run->st, txn)) != HE_OK)
		goto out;
	/* The report reaches the disk before the step that wrote it commits. */
	if (fflush(rf) != 0 || fsync(fileno(rf)) != 0) {
		rc = HE_IO;
		goto out;
	}
	json_object_set_new(resume, "report_bytes",
	    json_integer((json_int_t)ftello(rf)));
	tally_store(&s->t, resume, json_object_get(run->job, "result"), run->id);
	job_set_progress(run->job, s->t.rows, s->t.rows > num(run->job, "total") ?
	    s->t.rows : -1);
	if (eof)
		json_object_set_new(resume, "phase", json_string("finish"));
out:
	if (rf)
		fclose(rf);
	csv_close(cr);
	cand_batch_free(s->batch);
	json_decref(user);
	free(s);
	return rc;
}

/* The rows are all in: the upload goes (the report stays), and the
 * import's outcome is audited. */
static int
finish(struct job_run *run, DB_TXN *txn, const char *path, json_t *params)
{
	struct audit_actor who = { (uint64_t)num(run->job, "user"), NULL };
	json_t *result = json_object_get(run->job, "result");
	json_t *detail = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I}",
	    "job", (json_int_t)run->id, "file", str(params, "filename"),
	    "created", num(result, "created"), "updated", num(result, "updated"),
	    "unchanged", num(result, "unchanged"), "skipped",
	    num(result, "skipped"), "rejected", num(result, "rejected"));
	int rc;

	if (detail == NULL)
		return HE_NOMEM;
	json_object_set_new(detail, "finished", json_true());
	rc = audit_log(run->st, txn, &who, "import", 0, detail);
	json_decref(detail);
	if (rc != HE_OK)
		return rc;
	/* Gone already when this step ran before and was aborted. */
	if (unlink(path) != 0 && errno != ENOENT)
		return HE_IO;
	/* A report of no rows is no report. */
	if (num(result, "skipped") + num(result, "rejected") == 0) {
		char name[64], *dir = import_dir(run->conf), *rpath = NULL;

		import_report_name(run->id, name);
		if (dir && asprintf(&rpath, "%s/%s", dir, name) >= 0) {
			(void)unlink(rpath);
			free(rpath);
		}
		free(dir);
	}
	job_finish(run->job, JOB_DONE, NULL);
	return HE_OK;
}

int
import_step(struct job_run *run, DB_TXN *txn)
{
	json_t *params = json_object_get(run->job, "params");
	json_t *resume = json_object_get(run->job, "resume");
	const char *phase = str(resume, "phase"), *file = str(params, "file");
	char *dir = import_dir(run->conf), *path = NULL;
	FILE *f = NULL;
	int rc;

	if (dir == NULL || asprintf(&path, "%s/%s", dir, file) < 0) {
		free(dir);
		return HE_NOMEM;
	}
	if (!json_is_object(resume) || !json_is_object(json_object_get(run->job,
	    "result")) || file[0] == '\0' || strchr(file, '/')) {
		job_finish(run->job, JOB_FAILED, "This import's settings are "
		    "damaged: nothing more was imported.");
		rc = HE_OK;
		goto out;
	}
	if (strcmp(phase, "finish") == 0) {
		rc = finish(run, txn, path, params);
		goto out;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		if (errno != ENOENT) {
			rc = HE_IO;
			goto out;
		}
		job_finish(run->job, JOB_FAILED, "The uploaded file is no longer "
		    "there, so nothing more was imported. Upload it again to import "
		    "the rest: rows already imported are recognised by their email.");
		rc = HE_OK;
		goto out;
	}
	if (strcmp(phase, "rows") == 0) {
		rc = import_rows(run, txn, f, dir, params, resume);
	} else {
		if (phase[0] == '\0')
			json_object_set_new(resume, "phase", json_string("count"));
		rc = count_rows(run, f, params, resume);
	}
out:
	if (f)
		fclose(f);
	free(path);
	free(dir);
	return rc;
}
