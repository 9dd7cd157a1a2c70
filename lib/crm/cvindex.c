/* cvindex.c: reading candidates' CVs into their search words, in the worker */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <roaring/roaring.h>

#include "crm/candidates.h"
#include "crm/cvindex.h"
#include "crm/index.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/cvtext.h"
#include "util/he.h"
#include "util/log.h"

/* Sanitizers reserve terabytes of address space: no RLIMIT_AS under them. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* How the reading child ends. */
enum {
	CHILD_OK = 0,
	CHILD_UNREADABLE = 10,	/* missing, not a regular file, too large */
	CHILD_NOT_CV = 11,	/* not a PDF, DOCX, ODT or text file */
	CHILD_NOMEM = 12,
	CHILD_PIPE = 13,
};

static const char *
child_failure(int code)
{
	switch (code) {
	case CHILD_UNREADABLE:
		return "missing, not a file, or too large";
	case CHILD_NOT_CV:
		return "not a PDF, Word, OpenDocument or text file";
	case CHILD_NOMEM:
		return "out of memory";
	default:
		return "failed";
	}
}

/* This process's address space, in bytes (0 when it cannot be told). */
static size_t
vm_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "re");
	unsigned long pages = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu", &pages) != 1)
		pages = 0;
	fclose(f);
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static void
limit(int resource, rlim_t v)
{
	struct rlimit r = { v, v };

	setrlimit(resource, &r);
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* In the child: the file's text to out; the exit code. */
static int
child_read(const char *path, int out)
{
	struct stat sb;
	unsigned char *buf;
	size_t got = 0, n;
	char *text;
	int fd, rc;

	/* Not following links, not waiting on a FIFO. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > CVINDEX_FILE_MAX)
		return CHILD_UNREADABLE;
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL)
		return CHILD_NOMEM;
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return CHILD_UNREADABLE;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	rc = cvtext_extract(buf, got, FT_UNKNOWN, &text, &n);
	if (rc == HE_NOMEM)
		return CHILD_NOMEM;
	if (rc != HE_OK)
		return CHILD_NOT_CV;
	return write_all(out, text, n) == 0 ? CHILD_OK : CHILD_PIPE;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
cvindex_text(const char *path, char **text)
{
	size_t vm = vm_bytes(), n = 0;
	int64_t deadline;
	int fds[2], status = 0, timed_out = 0;
	char *buf;
	pid_t pid, waited;

	*text = NULL;
	if ((buf = malloc(CVTEXT_MAX + 1)) == NULL)
		return HE_NOMEM;
	if (pipe2(fds, O_CLOEXEC) != 0) {
		log_error("CV text: pipe: %s", strerror(errno));
		free(buf);
		return HE_IO;
	}
	if ((pid = fork()) < 0) {
		log_error("CV text: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		free(buf);
		return HE_IO;
	}
	if (pid == 0) {
		close(fds[0]);
		/* Dies with the worker; never touches the database. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		limit(RLIMIT_CPU, CVINDEX_SECONDS);
		limit(RLIMIT_FSIZE, 0);
		limit(RLIMIT_CORE, 0);
		if (!SANITIZED && vm > 0)
			limit(RLIMIT_AS, vm + ((size_t)CVINDEX_MEMORY_MB << 20));
		_exit(child_read(path, fds[1]));
	}
	close(fds[1]);
	deadline = mono_ms() + CVINDEX_SECONDS * 1000;
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		int64_t left = deadline - mono_ms();
		ssize_t r;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;	/* EINTR, or the deadline: see above */
		r = read(fds[0], buf + n, CVTEXT_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n > CVTEXT_MAX) {	/* more than a reader gives: wrong */
			timed_out = 1;
			break;
		}
	}
	close(fds[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (waited < 0) {	/* not the file's fault: tried again later */
		log_error("CV text: waitpid: %s", strerror(errno));
		free(buf);
		return HE_IO;
	}
	if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != CHILD_OK ||
	    memchr(buf, '\0', n)) {
		if (timed_out)
			log_warn("CV text: %s took longer than %d s: left unread",
			    path, CVINDEX_SECONDS);
		else if (WIFSIGNALED(status))
			log_warn("CV text: reading %s died with signal %d: left "
			    "unread", path, WTERMSIG(status));
		else
			log_warn("CV text: %s: %s", path, child_failure(
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1));
		free(buf);
		return HE_INVALID;
	}
	buf[n] = '\0';
	*text = buf;
	return HE_OK;
}

/* ---- the worker's step ---- */

struct item {
	uint64_t id;
	char *file;		/* the CV read, as the record named it */
	char *text;		/* NULL: it could not be read */
};

struct batch {
	struct item it[CVINDEX_BATCH];
	size_t n;
	size_t only;		/* < n: write this item alone */
	struct cvindex_stats stats;	/* of the transaction */
};

/* Records whose write failed in this process: not taken again by it. */
static roaring_bitmap_t *failed;

static int
write_one(struct store *st, DB_TXN *txn, struct item *it,
    struct cvindex_stats *s)
{
	json_t *old, *rec;
	const char *file;
	int rc;

	if (it->file == NULL)
		return HE_OK;	/* no CV when it was read: nothing to mark */
	if ((rc = store_cand_get(st, txn, it->id, 1, &old)) == HE_NOTFOUND)
		return HE_OK;	/* erased or merged away meanwhile */
	if (rc != HE_OK)
		return rc;
	file = cand_resume_file(old);
	/* Another CV since, or read by another worker: not this one's. */
	if (file == NULL || strcmp(file, it->file) != 0 ||
	    cand_resume_indexed(old)) {
		json_decref(old);
		return HE_OK;
	}
	if ((rec = json_deep_copy(old)) == NULL) {
		json_decref(old);
		return HE_NOMEM;
	}
	rc = cand_resume_terms_set(st, rec, it->text ? it->text : "");
	if (rc == HE_OK && json_object_set_new(rec, "resume_terms_of",
	    json_string(it->file)) != 0)
		rc = HE_NOMEM;
	if (rc == HE_OK)
		rc = cand_refresh(st, txn, it->id, old, rec);
	if (rc == HE_OK) {
		if (it->text == NULL)
			s->unreadable++;
		else if (json_object_get(rec, "resume_terms"))
			s->indexed++;
		else
			s->empty++;
	}
	json_decref(rec);
	json_decref(old);
	return rc;
}

static int
batch_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct batch *b = arg;
	int rc = HE_OK;

	memset(&b->stats, 0, sizeof b->stats);
	for (size_t i = 0; rc == HE_OK && i < b->n; i++)
		if (b->only >= b->n || b->only == i)
			rc = write_one(st, txn, &b->it[i], &b->stats);
	return rc;
}

static void
stats_add(struct cvindex_stats *to, const struct cvindex_stats *s)
{
	if (to == NULL)
		return;
	to->indexed += s->indexed;
	to->empty += s->empty;
	to->unreadable += s->unreadable;
}

/* The file name a record gives, if it is one of ours: no path. */
static int
safe_name(const char *f)
{
	return f && f[0] && f[0] != '.' && strchr(f, '/') == NULL &&
	    strlen(f) < 256;
}

/* Reads the CVs of b's records; HE_IO or HE_NOMEM when this process
 * could not. */
static int
read_all(struct store *st, const char *dir, struct batch *b)
{
	char path[4096];
	int rc = HE_OK;

	for (size_t i = 0; rc == HE_OK && i < b->n; i++) {
		struct item *it = &b->it[i];
		json_t *rec;
		const char *f;

		if ((rc = cand_get(st, it->id, &rec)) == HE_NOTFOUND) {
			rc = HE_OK;
			continue;
		}
		if (rc != HE_OK)
			break;
		f = cand_resume_file(rec);
		if (f && (it->file = strdup(f)) == NULL)
			rc = HE_NOMEM;
		json_decref(rec);
		if (rc != HE_OK || it->file == NULL)
			continue;
		if (!safe_name(it->file) || (size_t)snprintf(path, sizeof path,
		    "%s/%s", dir, it->file) >= sizeof path) {
			log_warn("CV text: candidate %llu names no file of ours",
			    (unsigned long long)it->id);
			continue;
		}
		rc = cvindex_text(path, &it->text);
		if (rc == HE_INVALID)
			rc = HE_OK;	/* the file's fault: marked unread */
	}
	return rc;
}

static void
batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->it[i].file);
		free(b->it[i].text);
	}
}

int
cvindex_step(struct store *st, const char *dir, size_t max,
    struct cvindex_stats *stats, int *more)
{
	struct batch b = { .n = 0 };
	roaring_bitmap_t *todo = roaring_bitmap_create();
	roaring_uint32_iterator_t *it;
	int rc;

	*more = 0;
	if (max == 0 || max > CVINDEX_BATCH)
		max = CVINDEX_BATCH;
	if (todo == NULL || (failed == NULL &&
	    (failed = roaring_bitmap_create()) == NULL)) {
		if (todo)
			roaring_bitmap_free(todo);
		return HE_NOMEM;
	}
	if ((rc = store_post_read(st, NULL, CAND_KEY_CV_TODO, todo)) != HE_OK) {
		roaring_bitmap_free(todo);
		return rc;
	}
	roaring_bitmap_andnot_inplace(todo, failed);
	if ((it = roaring_create_iterator(todo)) == NULL) {
		roaring_bitmap_free(todo);
		return HE_NOMEM;
	}
	for (; it->has_value && b.n < max; roaring_advance_uint32_iterator(it))
		b.it[b.n++].id = it->current_value;
	*more = it->has_value;
	roaring_free_uint32_iterator(it);
	roaring_bitmap_free(todo);
	if (b.n == 0)
		return HE_OK;
	if ((rc = read_all(st, dir, &b)) != HE_OK) {
		batch_free(&b);
		*more = 0;
		return rc;
	}
	b.only = b.n;
	rc = store_txn(st, batch_txn, &b);
	if (rc == HE_OK)
		stats_add(stats, &b.stats);
	else if (rc != HE_PANIC && rc != HE_TEMPFAIL) {
		/* One record spoils the batch: write each alone, and leave the
		 * ones that still fail to a later start of the worker. */
		log_warn("CV text: writing %zu records: %s; one at a time", b.n,
		    he_strerror(rc));
		for (b.only = 0; b.only < b.n && rc != HE_PANIC; b.only++) {
			if ((rc = store_txn(st, batch_txn, &b)) == HE_OK) {
				stats_add(stats, &b.stats);
				continue;
			}
			if (rc == HE_PANIC)
				break;
			log_warn("CV text: candidate %llu: %s; not tried again "
			    "until the worker restarts",
			    (unsigned long long)b.it[b.only].id, he_strerror(rc));
			roaring_bitmap_add(failed, (uint32_t)b.it[b.only].id);
		}
		if (rc != HE_PANIC)
			rc = HE_OK;
		*more = 1;
	}
	batch_free(&b);
	return rc;
}
