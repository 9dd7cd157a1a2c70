/* cvindex.h: the words of candidates' CVs in the search index, read by the worker */
#ifndef HEARTH_CVINDEX_H
#define HEARTH_CVINDEX_H

#include <stddef.h>

struct store;

/* CVs read per step, written in one transaction. */
#define CVINDEX_BATCH 4
/* A CV file larger than this is not read (uploads are 5 MB at most). */
#define CVINDEX_FILE_MAX (16 * 1024 * 1024)
/* Seconds one CV's reading may take, CPU and wall clock, and the memory
 * it may add to the worker's, in MiB. */
#define CVINDEX_SECONDS 5
#define CVINDEX_MEMORY_MB 256

struct cvindex_stats {
	size_t indexed;		/* CVs whose words are now searchable */
	size_t empty;		/* read, but with no text (a scanned PDF) */
	size_t unreadable;	/* missing, not a CV, or the reading failed */
};

/*
 * One step of the worker. Writing a record whose "resume" names a file that
 * "resume_terms_of" does not puts it under CAND_KEY_CV_TODO (index.h), in
 * the transaction of that write: a signup, a confirmation of new details,
 * a merge. This takes up to max of those records (lowest ids first), reads
 * each CV from dir with cvindex_text, outside any transaction, then in one
 * transaction gives each record that still names the same file its words
 * (cand_resume_terms_set) and "resume_terms_of", with cand_refresh: it is
 * nobody's edit and "updated" stays. A file that is missing, is not a CV
 * or cannot be read gets no words and is marked read all the same, so it
 * is never tried again. A record whose write fails is left out of later
 * steps of this process. *more is 1 while more records wait; stats (may be
 * NULL) adds up what was done. HE_PANIC when the environment needs
 * recovery; HE_IO or HE_NOMEM when this process could not read any CV
 * (tried again at the next step).
 */
int cvindex_step(struct store *st, const char *dir, size_t max,
    struct cvindex_stats *stats, int *more);

/*
 * The text of the CV file at path (cvtext_extract, kind judged by its
 * bytes), read in a child process limited to CVINDEX_SECONDS of CPU and
 * wall-clock time and CVINDEX_MEMORY_MB more memory, which dies with this
 * one: a file that crashes the reader, or makes it loop, costs that child
 * only. HE_OK with *text malloc'd (NUL-terminated, possibly empty; the
 * caller frees it); HE_INVALID when the file is missing, not a regular
 * file, larger than CVINDEX_FILE_MAX, not a CV, or the child failed or ran
 * out of time; HE_IO or HE_NOMEM when this process could not start one.
 */
int cvindex_text(const char *path, char **text);

#endif
