/* import.h: CSV imports of candidates: a file's header, its column mapping, and the job that writes its rows */
#ifndef HEARTH_IMPORT_H
#define HEARTH_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <ClearSilver.h>

#include "crm/job.h"

struct store;

/*
 * An import goes: the file is uploaded into the import directory
 * (Office.ImportDir), import_inspect reads its header and first rows and
 * suggests a mapping (the one remembered for the same header, else a
 * recognised layout, else one guessed from the column names), the person
 * checks it, and import_start remembers the mapping and queues a job of
 * kind "import". The job first counts the rows (for the progress bar),
 * then writes them a few hundred per transaction through the candidate
 * write path's batch, each row all or nothing, and writes the rows it did
 * not take, with the reason, to a report file.
 */

/* The candidate fields a column can fill. */
enum import_field {
	IMPORT_EMAIL,
	IMPORT_FIRST_NAME,
	IMPORT_LAST_NAME,
	IMPORT_NAME,
	IMPORT_TITLE,
	IMPORT_PHONE,
	IMPORT_CITY,
	IMPORT_COUNTRY,
	IMPORT_URL,
	IMPORT_SOURCE,
	IMPORT_STATUS,
	IMPORT_SENIORITY,
	IMPORT_TAGS,
	IMPORT_SKILLS,
	IMPORT_REMOTE,
	IMPORT_NOTES,
	IMPORT_FIELD__MAX
};

struct import_field_def {
	const char *name;	/* the record's field, and the form's "map_<name>" */
	const char *label;	/* for people */
	const char *hint;	/* what a cell must hold, for people */
};
extern const struct import_field_def import_fields[IMPORT_FIELD__MAX];

/* What to do with a row whose email is already known, or not. */
enum import_policy { IMPORT_CREATE, IMPORT_UPDATE, IMPORT_BOTH, IMPORT_POLICY__MAX };
extern const char *const import_policies[];	/* "create", "update", "both", NULL */

/* Lawful bases an import can record, NULL-terminated:
 * "legitimate_interest", "consent". */
extern const char *const import_bases[];

#define IMPORT_PREVIEW_ROWS 5
#define IMPORT_COLS_MAX 256
#define IMPORT_HASH_SIZE 65	/* 64 hex digits and a NUL */

/* What the beginning of a file says. */
struct import_head {
	char sep;
	size_t ncols;
	char **header;		/* ncols cells */
	char hash[IMPORT_HASH_SIZE];	/* of the normalised header */
	uint64_t data_offset;	/* where the rows after the header start */
	uint64_t data_line;
	size_t nrows;		/* preview rows, up to IMPORT_PREVIEW_ROWS */
	char **rows;		/* nrows * ncols cells, "" where a row is short */
	char **row_errors;	/* per preview row: why it cannot be read, or NULL */
	uint64_t *row_lines;	/* the line each preview row starts on */
	const char *layout;	/* a recognised export ("OpenCATS candidate
				 * export", "LinkedIn connections export") or NULL */
	int remembered;		/* map is the one saved for this header */
	unsigned map[IMPORT_FIELD__MAX];	/* column (from 1) per field, 0: none */
};

/*
 * Reads the header and the first rows of the CSV file at path. The header
 * is the first row with the number of cells most of the first rows have
 * (LinkedIn puts notes above it). The mapping comes from STORE_LAYOUT when
 * this header was imported before, else from import_guess(). HE_INVALID
 * with why (for people) when the file has no readable header; HE_IO when
 * it cannot be read. Free *out with import_head_free().
 */
int import_inspect(struct store *st, const char *path, struct import_head **out,
    char *why, size_t whysize);
void import_head_free(struct import_head *h);

/*
 * Suggests a mapping for a header: each field gets the column whose
 * normalised name is the first of that field's known names, else 0. Returns
 * the name of a recognised export layout, or NULL.
 */
const char *import_guess(char *const *header, size_t ncols,
    unsigned map[IMPORT_FIELD__MAX]);

/* The hex SHA-256 of the header's cells trimmed, lower-cased and with
 * inner white space folded, joined by U+001F. */
void import_header_hash(char *const *header, size_t ncols,
    char out[IMPORT_HASH_SIZE]);

/*
 * One row's cells read through the mapping: *fields (a new object) holds
 * the values as a record would ("email" normalised, names and text
 * cleaned, "tags" and "skills" arrays, "remote" a boolean, "status" and
 * "seniority" from their lists, "notes" text), only for cells not empty.
 * HE_INVALID with why (for people: "not an email address: ...") when a cell
 * cannot be taken, or the row has no email; the row is then not imported.
 */
int import_row_parse(const unsigned map[IMPORT_FIELD__MAX],
    const char *const *cells, size_t ncols, json_t **fields, char *why,
    size_t whysize);

struct import_params {
	const char *file;	/* the file's name inside the import directory */
	const char *filename;	/* the name it was uploaded with, for people */
	enum import_policy policy;
	const char *source;	/* for new candidates without a source cell; "" */
	const char *basis;	/* one of import_bases */
	const char *basis_note;	/* why: required for legitimate interest */
	unsigned map[IMPORT_FIELD__MAX];
};

/*
 * Starts an import of the file inspected as h, in one transaction: the
 * mapping is remembered for h's header, the job is queued and the import
 * is written to the audit log (by user from ip). HE_INVALID when p does not
 * map the email or names no known policy or basis.
 */
int import_start(struct store *st, const struct import_head *h,
    const struct import_params *p, uint64_t user, const char *ip,
    uint64_t *job);

/* The step of jobs of kind "import" (see job.h). */
#define IMPORT_KIND "import"
int import_step(struct job_run *run, DB_TXN *txn);

/* The import directory (Office.ImportDir, default var/imports), created
 * (0700) when missing; malloc'd, NULL when out of memory. */
char *import_dir(HDF *conf);

/* The report of the rows job did not take, inside dir: "report-<job>.csv".
 * Into out (at least 64 bytes). */
void import_report_name(uint64_t job, char out[64]);

/*
 * Removes what is no longer needed from the import directory: uploads
 * older than IMPORT_UPLOAD_DAYS (an import finished with deletes its own)
 * and reports older than IMPORT_REPORT_DAYS (they hold the rejected rows'
 * data). Errors are ignored: it runs again with the next upload.
 */
#define IMPORT_UPLOAD_DAYS 3
#define IMPORT_REPORT_DAYS 30
void import_prune(const char *dir, int64_t now);

#endif
