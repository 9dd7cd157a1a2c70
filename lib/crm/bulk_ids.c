/* bulk_ids.c: the candidates of a bulk job, fixed at its start and read back in batches; its files */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <roaring/roaring.h>
#include <sodium.h>

#include "crm/bulk_int.h"
#include "crm/job.h"
#include "crm/query.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"

size_t
bulk_batch(HDF *conf)
{
	long n = conf ? conf_int(conf, "Office.BulkBatch", BULK_BATCH) : BULK_BATCH;

	return n < 1 ? 1 : n > BULK_BATCH_MAX ? BULK_BATCH_MAX : (size_t)n;
}

void
bulk_count(json_t *job, const char *field, int64_t n)
{
	json_t *result = json_object_get(job, "result");

	json_object_set_new(result, field, json_integer(
	    json_integer_value(json_object_get(result, field)) + n));
}

struct audit_actor
bulk_actor(json_t *job)
{
	json_t *params = json_object_get(job, "params");

	return (struct audit_actor){
		(uint64_t)json_integer_value(json_object_get(job, "user")),
		json_string_value(json_object_get(params, "ip")),
	};
}

int
bulk_ids_started(json_t *job)
{
	return json_is_integer(json_object_get(json_object_get(job, "resume"),
	    "next"));
}

/* Writes a file whole and durably: a temporary name, synced, renamed,
 * the directory synced. */
static int
write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096], tmp[4200];
	size_t off = 0;
	int fd, rc = HE_OK;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		log_error("cannot create %s: %s", tmp, strerror(errno));
		return HE_IO;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fsync(fd) != 0) {
		log_error("cannot write %s: %s", tmp, strerror(errno));
		rc = HE_IO;
	}
	if (close(fd) != 0 && rc == HE_OK)
		rc = HE_IO;
	if (rc == HE_OK && rename(tmp, path) != 0) {
		log_error("cannot rename %s: %s", tmp, strerror(errno));
		rc = HE_IO;
	}
	if (rc != HE_OK)
		unlink(tmp);
	return rc == HE_OK ? bulk_sync_dir(dir) : rc;
}

/* Keeps the set with the job: in the record when small, else in a file. */
static int
keep(struct job_run *run, roaring_bitmap_t *ids)
{
	json_t *resume = json_object_get(run->job, "resume");
	size_t len = roaring_bitmap_portable_size_in_bytes(ids);
	char *buf = malloc(len ? len : 1), *dir = NULL, name[64];
	int rc;

	if (buf == NULL)
		return HE_NOMEM;
	roaring_bitmap_portable_serialize(ids, buf);
	if (len <= BULK_INLINE_MAX) {
		size_t b64len = sodium_base64_ENCODED_LEN(len,
		    sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(b64len);

		rc = HE_NOMEM;
		if (b64) {
			sodium_bin2base64(b64, b64len, (const unsigned char *)buf, len,
			    sodium_base64_VARIANT_ORIGINAL);
			rc = json_object_set_new(resume, "ids", json_string(b64)) ?
			    HE_NOMEM : HE_OK;
			free(b64);
		}
		free(buf);
		return rc;
	}
	snprintf(name, sizeof name, "job-%" PRIu64 ".ids", run->id);
	if ((rc = bulk_dir(run->conf, &dir)) == HE_OK &&
	    (rc = write_file(dir, name, buf, len)) == HE_OK)
		rc = json_object_set_new(resume, "ids_file", json_string(name)) ?
		    HE_NOMEM : HE_OK;
	free(dir);
	free(buf);
	return rc;
}

int
bulk_ids_start(struct job_run *run, DB_TXN *txn, uint64_t *count)
{
	json_t *params = json_object_get(run->job, "params");
	json_t *list = json_object_get(params, "ids");
	json_t *query = json_object_get(params, "query");
	roaring_bitmap_t *ids = NULL;
	int rc = HE_OK;

	*count = 0;
	if (json_is_array(list)) {
		size_t i;
		json_t *v;

		if ((ids = roaring_bitmap_create()) == NULL)
			return HE_NOMEM;
		json_array_foreach(list, i, v) {
			json_int_t id = json_integer_value(v);

			if (id > 0 && id <= UINT32_MAX)
				roaring_bitmap_add(ids, (uint32_t)id);
		}
	} else if (json_is_object(query)) {
		struct cand_query q;

		if (cand_query_from_json(query, &q) != HE_OK ||
		    (rc = cand_search_ids(run->st, txn, &q, &ids)) == HE_INVALID) {
			job_finish(run->job, JOB_FAILED, "The filter of this job can no "
			    "longer be read, so nothing was done. Please filter the list "
			    "again and start it anew.");
			return HE_OK;
		}
		if (rc != HE_OK)
			return rc;
	} else {
		job_finish(run->job, JOB_FAILED, "This job names no candidates, so "
		    "nothing was done.");
		return HE_OK;
	}
	roaring_bitmap_run_optimize(ids);
	*count = roaring_bitmap_get_cardinality(ids);
	rc = keep(run, ids);
	roaring_bitmap_free(ids);
	if (rc != HE_OK)
		return rc;
	json_object_set_new(json_object_get(run->job, "resume"), "next",
	    json_integer(0));
	job_set_progress(run->job, 0, (int64_t)*count);
	return HE_OK;
}

/* The set of the last file read by this process: a job's steps read it
 * once, not at every step. The file never changes once its job's first
 * step committed; the key is its path, inode, size and time all the same
 * (paths repeat across the stores of unit tests). */
static struct {
	char path[4096];
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	roaring_bitmap_t *ids;
} cache;

static int
load_file(struct job_run *run, const char *name, const roaring_bitmap_t **ids)
{
	char *dir, path[4096], *buf = NULL;
	struct stat sb;
	FILE *f = NULL;
	int rc;

	if (strchr(name, '/'))
		return HE_INVALID;
	if ((rc = bulk_dir(run->conf, &dir)) != HE_OK)
		return rc;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	free(dir);
	if (stat(path, &sb) != 0) {
		log_error("job %" PRIu64 ": cannot read %s: %s", run->id, path,
		    strerror(errno));
		return HE_IO;
	}
	if (cache.ids && strcmp(cache.path, path) == 0 && cache.dev == sb.st_dev &&
	    cache.ino == sb.st_ino && cache.size == sb.st_size &&
	    cache.mtime.tv_sec == sb.st_mtim.tv_sec &&
	    cache.mtime.tv_nsec == sb.st_mtim.tv_nsec) {
		*ids = cache.ids;
		return HE_OK;
	}
	if (cache.ids)		/* this libroaring takes no NULL */
		roaring_bitmap_free(cache.ids);
	memset(&cache, 0, sizeof cache);
	rc = HE_IO;
	if ((buf = malloc(sb.st_size ? (size_t)sb.st_size : 1)) == NULL)
		rc = HE_NOMEM;
	else if ((f = fopen(path, "rb")) != NULL &&
	    fread(buf, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size &&
	    (cache.ids = roaring_bitmap_portable_deserialize_safe(buf,
	    (size_t)sb.st_size)) != NULL) {
		snprintf(cache.path, sizeof cache.path, "%s", path);
		cache.dev = sb.st_dev;
		cache.ino = sb.st_ino;
		cache.size = sb.st_size;
		cache.mtime = sb.st_mtim;
		*ids = cache.ids;
		rc = HE_OK;
	}
	if (rc == HE_IO)
		log_error("job %" PRIu64 ": %s is not a set of candidates", run->id,
		    path);
	if (f)
		fclose(f);
	free(buf);
	return rc;
}

static int
load_inline(const char *b64, roaring_bitmap_t **ids)
{
	size_t len = strlen(b64), binlen;
	unsigned char *bin = malloc(len ? len : 1);
	int rc = HE_IO;

	if (bin == NULL)
		return HE_NOMEM;
	if (sodium_base642bin(bin, len, b64, len, NULL, &binlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) == 0 &&
	    (*ids = roaring_bitmap_portable_deserialize_safe((const char *)bin,
	    binlen)) != NULL)
		rc = HE_OK;
	free(bin);
	return rc;
}

int
bulk_ids_next(struct job_run *run, uint32_t *out, size_t max, size_t *n)
{
	json_t *resume = json_object_get(run->job, "resume");
	const char *b64 = json_string_value(json_object_get(resume, "ids"));
	const char *file = json_string_value(json_object_get(resume, "ids_file"));
	json_int_t next = json_integer_value(json_object_get(resume, "next"));
	roaring_bitmap_t *owned = NULL;
	const roaring_bitmap_t *ids;
	roaring_uint32_iterator_t *it;
	int rc;

	*n = 0;
	if (b64)
		rc = load_inline(b64, &owned);
	else if (file)
		rc = load_file(run, file, &ids);
	else
		rc = HE_IO;
	if (rc != HE_OK)
		return rc;
	if (owned)
		ids = owned;
	if (next >= 0 && next <= UINT32_MAX && (it = roaring_create_iterator(ids))) {
		if (roaring_move_uint32_iterator_equalorlarger(it, (uint32_t)next))
			*n = roaring_read_uint32_iterator(it, out, (uint32_t)max);
		roaring_free_uint32_iterator(it);
	} else if (next >= 0 && next <= UINT32_MAX) {
		rc = HE_NOMEM;
	}
	if (owned)
		roaring_bitmap_free(owned);
	return rc;
}

void
bulk_ids_done(json_t *job, uint32_t last, size_t n)
{
	json_object_set_new(json_object_get(job, "resume"), "next",
	    json_integer((json_int_t)last + 1));
	job_set_progress(job, json_integer_value(json_object_get(job, "done")) +
	    (json_int_t)n, -1);
}
