/* scrub.c: erasing records so that no copy of their bytes stays in the environment's files */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

/*
 * Berkeley DB 5.3's page layout (dbinc/db_page.h, the on-disk format of
 * B-tree version 9), as far as the page scrub needs it. Pages in the cache
 * are in host byte order. Without checksums or encryption (which Hearth
 * does not configure, and scrub_db refuses) the index array starts right
 * after the 26-byte header.
 */
#define PG_HDR		26	/* SIZEOF_PAGE */
#define PG_ENTRIES	20	/* u16: number of index entries */
#define PG_HOFFSET	22	/* u16: first byte of the item area; data length
				 * on an overflow page */
#define PG_TYPE		25	/* u8 */
#define PG_META_LEN	512	/* the B-tree meta page is a BTMETA */

enum {
	P_INVALID = 0,		/* a free page */
	P_IBTREE = 3,		/* B-tree internal */
	P_IRECNO = 4,		/* Recno internal */
	P_LBTREE = 5,		/* B-tree leaf */
	P_LRECNO = 6,		/* Recno leaf, unsorted duplicates */
	P_OVERFLOW = 7,
	P_BTREEMETA = 9,
	P_LDUP = 12,		/* sorted off-page duplicates */
};

/* Item types (BKEYDATA.type without the B_DELETE bit). */
#define B_KEYDATA	1
#define B_TYPE_MASK	0x7f
#define BKEYDATA_HDR	3	/* len u16, type u8, then the bytes */
#define BOVERFLOW_LEN	12	/* also B_DUPLICATE */
#define BINTERNAL_HDR	12	/* len u16, type, unused, pgno, nrecs */
#define RINTERNAL_LEN	8

/* Application log records start here (db.h); with a transaction id of 0
 * recovery skips them in every pass (db_dispatch.c). */
#define FILLER_RECTYPE	(DB_user_BEGIN + 0x4845)	/* "HE" */
#define LOG_HDR		12	/* HDR_NORMAL_SZ: prev, len, checksum */
#define FILLER_CHUNK	(256 * 1024)

/*
 * The cache's own entry points. Debian's libdb-5.3.so (5.3.28) loses
 * DB_MPOOL_DIRTY in the public DB_MPOOLFILE->get: __memp_fget_pp masks
 * flags with ~(DB_MPOOL_DIRTY | DB_MPOOL_EDIT) before calling __memp_fget
 * (its disassembly: "and $0xfffffff9" before the call), so a page changed
 * through it is never marked dirty and never written (measured: a checkpoint
 * left the file unchanged). libdb exports __memp_fget and __memp_fput; the
 * public wrapper adds only the panic and replication checks (the read-only
 * get before each of these calls made them) and a thread-info pointer that
 * is NULL unless DB_ENV->set_thread_count is configured, which Hearth does
 * not do.
 */
int __memp_fget(DB_MPOOLFILE *, db_pgno_t *, DB_THREAD_INFO *, DB_TXN *,
    u_int32_t, void *);
int __memp_fput(DB_MPOOLFILE *, DB_THREAD_INFO *, void *, DB_CACHE_PRIORITY);

#define REMOVE_TRIES	50	/* old logs pinned by a transaction: ~2.5 s */
#define REMOVE_WAIT_MS	50

/* ---- Deleting one record ---- */

int
store_del_scrubbed(struct store *st, DB_TXN *txn, enum store_db db,
    const void *key, size_t klen)
{
	DB *dbp;
	DBT k = { .data = (void *)key, .size = (u_int32_t)klen };
	DBT old = { .flags = DB_DBT_MALLOC };
	DBT fill = { 0 };
	int ret;

	if ((unsigned)db >= STORE__MAX || store_dbdefs[db].primary >= 0)
		return HE_INVALID;
	dbp = st->db[db];
	if ((ret = dbp->get(dbp, txn, &k, &old, DB_RMW)) != 0)
		return store_err(ret);
	/*
	 * The same number of zero bytes first: __bam_ritem copies a
	 * replacement of the same aligned size over the old bytes in place, so
	 * the live copy on the page is gone before the item is removed (and a
	 * delete that only flags the item, because a cursor still points at
	 * it, leaves zeros). Version byte 0 is no record: every secondary
	 * extractor answers DB_DONOTINDEX, so Berkeley DB removes the index
	 * entries here. An item on overflow pages is not rewritten in place
	 * (__bam_iitem deletes the chain and writes a new one); the freed
	 * pages are zeroed by store_scrub_logs.
	 */
	if ((fill.data = calloc(1, old.size ? old.size : 1)) == NULL) {
		sodium_memzero(old.data, old.size);
		free(old.data);
		return HE_NOMEM;
	}
	fill.size = old.size;
	ret = dbp->put(dbp, txn, &k, &fill, 0);
	if (ret == 0)
		ret = dbp->del(dbp, txn, &k, 0);
	sodium_memzero(old.data, old.size);
	free(old.data);
	free(fill.data);
	return store_err(ret);
}

/* ---- Free space of every page ---- */

static u_int16_t
get16(const u_int8_t *p)
{
	u_int16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/*
 * Marks in keep[] the bytes of page p that hold something: the header and
 * index, and the exact extent of every item (alignment padding included in
 * the free bytes). Returns 0, or -1 for a page this code does not know or
 * whose index does not parse (left alone).
 */
static int
page_map(const u_int8_t *p, u_int32_t pgsize, u_int8_t *keep)
{
	u_int32_t n = get16(p + PG_ENTRIES), hoff = get16(p + PG_HOFFSET);
	u_int32_t lo = PG_HDR + 2 * n, len;
	u_int8_t type = p[PG_TYPE];

	memset(keep, 0, pgsize);
	switch (type) {
	case P_INVALID:
		memset(keep, 1, PG_HDR);
		return 0;
	case P_OVERFLOW:
		if (PG_HDR + hoff > pgsize)
			return -1;
		memset(keep, 1, PG_HDR + hoff);
		return 0;
	case P_BTREEMETA:
		memset(keep, 1, pgsize < PG_META_LEN ? pgsize : PG_META_LEN);
		return 0;
	case P_IBTREE:
	case P_IRECNO:
	case P_LBTREE:
	case P_LRECNO:
	case P_LDUP:
		break;
	default:
		return -1;
	}
	if (lo > pgsize || hoff < lo || hoff > pgsize)
		return -1;
	memset(keep, 1, lo);
	for (u_int32_t i = 0; i < n; i++) {
		u_int32_t off = get16(p + PG_HDR + 2 * i);

		if (off < hoff || off + 4 > pgsize)
			return -1;
		if (type == P_IBTREE)
			len = BINTERNAL_HDR + get16(p + off);
		else if (type == P_IRECNO)
			len = RINTERNAL_LEN;
		else if ((p[off + 2] & B_TYPE_MASK) == B_KEYDATA)
			len = BKEYDATA_HDR + get16(p + off);
		else
			len = BOVERFLOW_LEN;
		if (off + len > pgsize)
			return -1;
		memset(keep + off, 1, len);
	}
	return 0;
}

/* Whether a byte outside keep[] is not zero; zeroes them when wipe. */
static int
page_stale(u_int8_t *p, u_int32_t pgsize, const u_int8_t *keep, int wipe)
{
	int stale = 0;

	for (u_int32_t i = 0; i < pgsize; i++)
		if (!keep[i] && p[i] != 0) {
			stale = 1;
			if (!wipe)
				break;
			p[i] = 0;
		}
	return stale;
}

struct scrub_stat {
	size_t pages, wiped, unknown;
};

/* The number of the last page of the file. */
static int
last_page(DB_MPOOLFILE *mpf, db_pgno_t *last)
{
	void *p;
	int ret;

	if ((ret = mpf->get(mpf, last, NULL, DB_MPOOL_LAST, &p)) != 0)
		return ret;
	return mpf->put(mpf, p, DB_PRIORITY_UNCHANGED, 0);
}

/*
 * Zeroes every byte of every page of db that no item uses: the page free
 * space, where Berkeley DB leaves the bytes of deleted and shrunk items and
 * the old copies of items a split moved away; the bodies of free pages,
 * such as the overflow pages of a deleted record; the padding of items.
 * The change is not logged: no log record reads those bytes, and none is
 * needed to redo it, since the pages are written by the next checkpoint.
 * Each page is fetched through the shared cache with its buffer latch held
 * exclusively while it is changed, as Berkeley DB's own writers do, so
 * other processes see either the old or the new page, never a mix; pages
 * are visited one at a time and no lock is held, so this never waits for
 * more than one page's current user.
 */
static int
scrub_db(DB *dbp, struct scrub_stat *ss)
{
	DB_MPOOLFILE *mpf = dbp->get_mpf(dbp);
	u_int32_t pgsize, flags, enc = 0;
	db_pgno_t pgno = 0, last;
	u_int8_t *keep, *p;
	int ret;

	if ((ret = dbp->get_pagesize(dbp, &pgsize)) != 0 ||
	    (ret = dbp->get_flags(dbp, &flags)) != 0 ||
	    (ret = dbp->dbenv->get_encrypt_flags(dbp->dbenv, &enc)) != 0)
		return store_err(ret);
	if ((flags & DB_CHKSUM) || enc) {
		log_error("store: scrub: page checksums or encryption move the "
		    "page index; not scrubbing");
		return HE_INVALID;
	}
	if ((keep = malloc(pgsize)) == NULL)
		return HE_NOMEM;
	if ((ret = last_page(mpf, &last)) != 0)
		goto out;
	for (;;) {
		for (; pgno <= last; pgno++) {
			int known, stale;

			/* A look under a shared latch first: most pages are clean
			 * once scrubbed, and stay unwritten. */
			if ((ret = mpf->get(mpf, &pgno, NULL, 0, &p)) != 0) {
				if (ret == DB_PAGE_NOTFOUND)	/* truncated meanwhile */
					continue;
				goto out;
			}
			ss->pages++;
			known = page_map(p, pgsize, keep) == 0;
			stale = known && page_stale(p, pgsize, keep, 0);
			if ((ret = mpf->put(mpf, p, DB_PRIORITY_UNCHANGED, 0)) != 0)
				goto out;
			if (!known)
				ss->unknown++;
			if (!stale)
				continue;
			/* Again under the exclusive latch: it may have changed. */
			if ((ret = __memp_fget(mpf, &pgno, NULL, NULL,
			    DB_MPOOL_DIRTY, &p)) != 0) {
				if (ret == DB_PAGE_NOTFOUND)
					continue;
				goto out;
			}
			if (page_map(p, pgsize, keep) != 0)
				ss->unknown++;
			else if (page_stale(p, pgsize, keep, 1))
				ss->wiped++;
			if ((ret = __memp_fput(mpf, NULL, p,
			    DB_PRIORITY_UNCHANGED)) != 0)
				goto out;
		}
		/* Pages added meanwhile were made from recycled cache buffers,
		 * of which only the header is cleared: scan them too. */
		if ((ret = last_page(mpf, &last)) != 0)
			goto out;
		if (last < pgno)
			break;
	}
out:
	free(keep);
	return store_err(ret);
}

/* ---- Free memory of the shared cache ---- */

static int
cache_evictions(DB_ENV *env, uintmax_t *n, uintmax_t *bytes)
{
	DB_MPOOL_STAT *ms;
	int ret;

	if ((ret = env->memp_stat(env, &ms, NULL, 0)) != 0)
		return ret;
	*n = ms->st_ro_evict + ms->st_rw_evict;
	*bytes = (uintmax_t)ms->st_gbytes * 1024 * 1024 * 1024 + ms->st_bytes;
	free(ms);
	return 0;
}

/*
 * Overwrites the cache memory that holds no page. When Berkeley DB frees
 * the last page of a file (the overflow pages of a deleted record, an
 * emptied leaf) it truncates the file and gives the page's buffer back to
 * the region allocator as it is: the bytes stay in the cache region file
 * until the memory is reused, and a database page later made from it keeps
 * them (mpool clears only its header). Measured: a deleted 20 kB record's
 * bytes were still in the region file after every page had been scrubbed.
 * So zeroed pages of a private temporary file are created until the cache
 * starts evicting, i.e. until no free memory is left, and the file is then
 * discarded. The region file grows to the full cache size on the first
 * call. The pages have the lowest priority and other processes cannot
 * write them, so those evict their own pages meanwhile; a page that does
 * get evicted goes to the temporary file (in the system's temporary
 * directory, unlinked at once) and holds only zeros.
 */
static int
cache_sweep(DB_ENV *env, u_int32_t pgsize, size_t *swept)
{
	DB_MPOOLFILE *mpf;
	uintmax_t ev0, ev, cache, cap, step;
	int ret, t_ret;

	if ((ret = cache_evictions(env, &ev0, &cache)) != 0)
		return ret;
	cap = cache / pgsize + 64;
	step = cap / 32 + 1;
	if ((ret = env->memp_fcreate(env, &mpf, 0)) != 0)
		return ret;
	if ((ret = mpf->open(mpf, NULL, 0, 0, pgsize)) != 0) {
		(void)mpf->close(mpf, 0);
		return ret;
	}
	for (uintmax_t n = 1; n <= cap; n++) {
		db_pgno_t pgno;
		void *p;

		if ((ret = mpf->get(mpf, &pgno, NULL, DB_MPOOL_NEW, &p)) != 0)
			break;
		/* Not left to mpool: measured, it cleared none of it. */
		memset(p, 0, pgsize);
		if ((ret = mpf->put(mpf, p, DB_PRIORITY_VERY_LOW, 0)) != 0)
			break;
		(*swept)++;
		if (n % step == 0) {
			if ((ret = cache_evictions(env, &ev, &cache)) != 0)
				break;
			if (ev != ev0)
				break;
		}
	}
	if ((t_ret = mpf->close(mpf, 0)) != 0 && ret == 0)
		ret = t_ret;
	return ret;
}

/* ---- The log ---- */

static int
log_now(DB_ENV *env, u_int32_t *file, u_int32_t *offset, u_int32_t *fsize,
    u_int32_t *bsize)
{
	DB_LOG_STAT *ls;
	int ret;

	if ((ret = env->log_stat(env, &ls, 0)) != 0)
		return ret;
	*file = ls->st_cur_file;
	*offset = ls->st_cur_offset;
	*fsize = ls->st_lg_size;
	*bsize = ls->st_lg_bsize;
	free(ls);
	return 0;
}

/* A record of n bytes (header included) that recovery skips. */
static int
put_filler(DB_ENV *env, u_int8_t *buf, u_int32_t n, DB_LSN *lsn)
{
	DBT d = { .data = buf, .size = n - LOG_HDR };
	u_int32_t type = FILLER_RECTYPE;

	memset(buf, 0, n - LOG_HDR);
	memcpy(buf, &type, sizeof type);	/* then txnid 0, prev LSN 0 */
	return env->log_put(env, lsn, &d, 0);
}

/*
 * Moves the log to a new file: Berkeley DB 5.3 has no call for it, so
 * filler records are written until one lands in the next file. The space
 * left comes from the log size in DB_LOG_STAT, which is the size of files
 * still to come (DB_ENV->set_lg_max at run time changes it, not the current
 * file's): a record that ends the file exactly is written only when that
 * space is plausible; otherwise records of FILLER_CHUNK (or a quarter of a
 * file), the last of which may land in the next file. The filler is the
 * space left in the current file (at most the log file size, by default
 * 10 MB) plus at most one chunk.
 */
static int
log_switch(DB_ENV *env, u_int32_t *newfile, size_t *written)
{
	u_int32_t file, off, fsize, bsize, start;
	u_int8_t *buf;
	DB_LSN lsn = { 0, 0 };
	int ret;

	if ((ret = log_now(env, &start, &off, &fsize, &bsize)) != 0)
		return ret;
	if ((buf = malloc(FILLER_CHUNK)) == NULL)
		return ENOMEM;
	*written = 0;
	for (file = start; file == start; ) {
		/* A record must fit in a file (log_put refuses it otherwise). */
		u_int32_t chunk = fsize / 4 < FILLER_CHUNK ? fsize / 4 : FILLER_CHUNK;
		u_int32_t n = chunk;

		if (off <= fsize && fsize - off <= LOG_HDR + 64)
			n = LOG_HDR + 64;	/* does not fit: opens the next */
		else if (off < fsize && fsize - off < chunk)
			n = fsize - off;	/* ends the file exactly */
		if ((ret = put_filler(env, buf, n, &lsn)) != 0)
			break;
		*written += n;
		if (lsn.file != start)
			break;
		/* No log file holds 4 GB: something else is wrong. */
		if (*written > (size_t)UINT32_MAX) {
			log_error("store: scrub: log file %u does not end", start);
			ret = EIO;
			break;
		}
		if ((ret = log_now(env, &file, &off, &fsize, &bsize)) != 0)
			break;
	}
	free(buf);
	if (ret == 0)
		*newfile = lsn.file > file ? lsn.file : file;
	return ret;
}

/*
 * Overwrites the shared log buffer (32000 bytes by default, in a region file
 * every process maps). Records are copied into it at an offset that every
 * flush resets to 0, so bytes past the usual size of a flushed batch stay
 * there; the switch's filler passes over the whole buffer only when it is
 * longer than the buffer, not when the erasure came near the end of a log
 * file (measured: the erased email was then still in the region file). A
 * record one byte shorter than the buffer is always copied through it
 * (__log_fill writes one of a whole buffer or more directly when the offset
 * is 0) and covers all of it but the byte before where it started; two in
 * a row cover it all, or all but its last byte when a flush by another
 * process falls between them.
 */
static int
log_buffer_fill(DB_ENV *env)
{
	u_int32_t file, off, fsize, bsize;
	u_int8_t *buf;
	DB_LSN lsn;
	int ret;

	if ((ret = log_now(env, &file, &off, &fsize, &bsize)) != 0)
		return ret;
	if ((buf = malloc(bsize)) == NULL)
		return ENOMEM;
	for (int i = 0; i < 2 && ret == 0; i++)
		ret = put_filler(env, buf, bsize - 1, &lsn);
	free(buf);
	return ret;
}

/* Whether a log file older than file is still in the directory. */
static int
old_logs(DB_ENV *env, u_int32_t file, int *any)
{
	char **list = NULL;
	int ret;

	*any = 0;
	if ((ret = env->log_archive(env, &list, DB_ARCH_LOG)) != 0)
		return ret;
	for (char **l = list; l && *l; l++) {
		const char *dot = strrchr(*l, '.');
		unsigned long n = dot ? strtoul(dot + 1, NULL, 10) : 0;

		if (n && n < file)
			*any = 1;
	}
	free(list);
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Scrubs every database of the store. */
static int
scrub_all(struct store *st, struct scrub_stat *ss)
{
	int rc;

	for (int i = 0; i < STORE__MAX; i++)
		if ((rc = scrub_db(st->db[i], ss)) != HE_OK)
			return rc;
	return HE_OK;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
store_scrub_logs(struct store *st)
{
	DB_ENV *env = st->env;
	struct scrub_stat ss = { 0 };
	u_int32_t newfile = 0, sizes[STORE__MAX];
	size_t filler = 0, swept = 0, nsizes = 0;
	double t[6];
	int ret = 0, rc, any = 1;

	for (int i = 0; i < STORE__MAX; i++) {
		u_int32_t pgsize;
		size_t j;

		if ((ret = st->db[i]->get_pagesize(st->db[i], &pgsize)) != 0)
			return store_err(ret);
		for (j = 0; j < nsizes && sizes[j] != pgsize; j++)
			;
		if (j == nsizes)
			sizes[nsizes++] = pgsize;
	}
	/*
	 * Pages, then the free cache memory, then pages again: a page the
	 * first pass had not reached when its buffer was freed may have been
	 * reused for a new page before the sweep; the second pass finds it.
	 * Every page is scrubbed before the log moves on, so a split of a page
	 * that still held old bytes (its log record holds the whole page) is
	 * in a file that goes.
	 */
	t[0] = now_ms();
	if ((rc = scrub_all(st, &ss)) != HE_OK)
		return rc;
	t[1] = now_ms();
	for (size_t j = 0; j < nsizes; j++)
		if ((ret = cache_sweep(env, sizes[j], &swept)) != 0)
			return store_err(ret);
	t[2] = now_ms();
	if ((rc = scrub_all(st, &ss)) != HE_OK)
		return rc;
	t[3] = now_ms();
	if ((ret = log_switch(env, &newfile, &filler)) != 0 ||
	    (ret = log_buffer_fill(env)) != 0)
		return store_err(ret);
	t[4] = now_ms();
	/*
	 * The checkpoint writes every dirty page, the scrubbed ones too, and
	 * records that recovery needs nothing before it; then every older file
	 * can go, unless a transaction that began there is still running.
	 */
	for (int i = 0; i < REMOVE_TRIES && any; i++) {
		if (i)
			sleep_ms(REMOVE_WAIT_MS);
		if ((ret = env->txn_checkpoint(env, 0, 0, DB_FORCE)) != 0 ||
		    (ret = env->log_archive(env, NULL, DB_ARCH_REMOVE)) != 0 ||
		    (ret = old_logs(env, newfile, &any)) != 0)
			return store_err(ret);
	}
	t[5] = now_ms();
	log_info("store: scrub: %zu page reads (%zu wiped) %.0f ms, %zu cache "
	    "pages swept %.0f ms, %zu bytes of log filler %.0f ms, checkpoint "
	    "and log removal %.0f ms", ss.pages, ss.wiped,
	    t[1] - t[0] + t[3] - t[2], swept, t[2] - t[1], filler, t[4] - t[3],
	    t[5] - t[4]);
	if (any) {
		log_warn("store: scrub: a transaction still holds log files "
		    "before %u; call again", newfile);
		return HE_TEMPFAIL;
	}
	if (ss.unknown) {
		log_error("store: scrub: %zu pages of a kind this code does not "
		    "know were left as they are", ss.unknown);
		return HE_INVALID;
	}
	return HE_OK;
}
