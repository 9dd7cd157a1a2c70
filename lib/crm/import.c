/* import.c: CSV imports of candidates: header, mapping, rows, and the background job */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "crm/audit.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/import.h"
#include "crm/index.h"
#include "store/entities.h"
#include "store/layout.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/conf.h"
#include "util/csv.h"
#include "util/he.h"
#include "util/text.h"
#include "util/token.h"

/*
 * Rows per step: every lock a step takes is held until it commits, and the
 * environment's lock table is shared by every process (5000 locks); a row
 * takes a few (its record, email key, index pages, touchpoint).
 */
#define ROWS_PER_STEP 250
#define COUNT_CHECK_EVERY 4096	/* rows counted between looks at the clock */
#define HEAD_RECORDS 12		/* rows read to find the header */
#define TAGS_MAX 50
#define NOTES_MAX 10000		/* characters */
#define SHOWN_MAX 60		/* bytes of a cell quoted in a reason */

const struct import_field_def import_fields[IMPORT_FIELD__MAX] = {
	[IMPORT_EMAIL] = { "email", "Email address",
	    "Required: rows without a valid address are not imported." },
	[IMPORT_FIRST_NAME] = { "first_name", "First name", "" },
	[IMPORT_LAST_NAME] = { "last_name", "Last name", "" },
	[IMPORT_NAME] = { "name", "Full name",
	    "When there are no separate first and last names." },
	[IMPORT_TITLE] = { "title", "Job title", "" },
	[IMPORT_PHONE] = { "phone", "Phone",
	    "6 to 20 digits, with + ( ) - . and spaces." },
	[IMPORT_CITY] = { "city", "City", "" },
	[IMPORT_COUNTRY] = { "country", "Country", "" },
	[IMPORT_URL] = { "url", "LinkedIn or web address", "" },
	[IMPORT_SOURCE] = { "source", "Source",
	    "Where the candidate came from; else the source below." },
	[IMPORT_STATUS] = { "status", "Status",
	    "sourced, contacted, engaged, applied, interviewing, offered, hired, "
	    "declined, silver medallist or do not contact; else sourced." },
	[IMPORT_SENIORITY] = { "seniority", "Seniority",
	    "student, junior, mid, senior, lead or executive." },
	[IMPORT_TAGS] = { "tags", "Tags", "Separated by commas." },
	[IMPORT_SKILLS] = { "skills", "Skills", "Separated by commas." },
	[IMPORT_REMOTE] = { "remote", "Remote", "yes or no." },
	[IMPORT_NOTES] = { "notes", "Notes",
	    "Added to the timeline of the candidates the import creates." },
};

const char *const import_policies[] = { "create", "update", "both", NULL };
const char *const import_bases[] = { "legitimate_interest", "consent", NULL };

/*
 * Column names each field is recognised by, normalised (see norm_name), best
 * first: a header's column for a field is the one whose name comes first
 * here. OpenCATS's candidate export names its columns as its list does
 * ("E-Mail", "Cell Phone", "Key Skills", "Misc Notes", "Web Site"...), and
 * LinkedIn's connections export "First Name", "Last Name", "URL", "Email
 * Address", "Company", "Position", "Connected On".
 */
static const char *const names[IMPORT_FIELD__MAX][12] = {
	[IMPORT_EMAIL] = { "email", "e-mail", "email address", "e-mail address",
	    "mail", "email 1", "primary email", "work email", NULL },
	[IMPORT_FIRST_NAME] = { "first name", "firstname", "first_name",
	    "given name", "forename", "first", NULL },
	[IMPORT_LAST_NAME] = { "last name", "lastname", "last_name", "surname",
	    "family name", "last", NULL },
	[IMPORT_NAME] = { "name", "full name", "full_name", "candidate name",
	    "candidate", NULL },
	[IMPORT_TITLE] = { "title", "job title", "job_title", "position",
	    "current title", "current position", "headline", "role", NULL },
	[IMPORT_PHONE] = { "phone", "mobile", "cell phone", "mobile phone",
	    "phone number", "telephone", "tel", "home phone", "work phone", NULL },
	[IMPORT_CITY] = { "city", "town", "location", NULL },
	[IMPORT_COUNTRY] = { "country", NULL },
	[IMPORT_URL] = { "linkedin", "linkedin url", "linkedin profile", "url",
	    "profile url", "web site", "website", "portfolio", NULL },
	[IMPORT_SOURCE] = { "source", "lead source", NULL },
	[IMPORT_STATUS] = { "status", NULL },
	[IMPORT_SENIORITY] = { "seniority", "level", NULL },
	[IMPORT_TAGS] = { "tags", "tag", "labels", NULL },
	[IMPORT_SKILLS] = { "skills", "key skills", "skill", NULL },
	[IMPORT_REMOTE] = { "remote", NULL },
	[IMPORT_NOTES] = { "notes", "misc notes", "note", "comments", NULL },
};

/* Columns only one export has, by which its layout is told. */
static const char *const opencats_marks[] = { "2nd e-mail", "home phone",
	"cell phone", "work phone", "key skills", "misc notes", "web site",
	"current employer", "can relocate", "desired pay", "current pay", NULL };
static const char *const linkedin_marks[] = { "url", "company", "position",
	"connected on", NULL };

/* A column name as it is compared: trimmed, lower case (ASCII and the
 * Latin-1 letters: "PRÉNOM" is "prénom"), inner white space folded to one
 * space. Into out (size bytes). */
static void
norm_name(const char *in, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;
	int space = 0;

	for (; *p && o + 3 < size; p++) {
		unsigned char c = *p;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = 0;
		if (c == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e && p[1] != 0x97) {
			out[o++] = (char)c;	/* U+00C0..U+00DE but for U+00D7 */
			out[o++] = (char)(*++p + 0x20);
			continue;
		}
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[o] = '\0';
}

void
import_header_hash(char *const *header, size_t ncols, char out[IMPORT_HASH_SIZE])
{
	crypto_hash_sha256_state s;
	unsigned char h[crypto_hash_sha256_BYTES];
	char name[512];

	crypto_hash_sha256_init(&s);
	for (size_t i = 0; i < ncols; i++) {
		norm_name(header[i], name, sizeof name);
		if (i)
			crypto_hash_sha256_update(&s, (const unsigned char *)"\x1f", 1);
		crypto_hash_sha256_update(&s, (const unsigned char *)name,
		    strlen(name));
	}
	crypto_hash_sha256_final(&s, h);
	sodium_bin2hex(out, IMPORT_HASH_SIZE, h, sizeof h);
}

static size_t
column_named(char norm[][64], size_t ncols, const char *name)
{
	for (size_t i = 0; i < ncols; i++)
		if (strcmp(norm[i], name) == 0)
			return i + 1;
	return 0;
}

static size_t
marks(char norm[][64], size_t ncols, const char *const *list)
{
	size_t n = 0;

	for (; *list; list++)
		n += column_named(norm, ncols, *list) != 0;
	return n;
}

const char *
import_guess(char *const *header, size_t ncols, unsigned map[IMPORT_FIELD__MAX])
{
	char (*norm)[64] = calloc(ncols ? ncols : 1, sizeof *norm);
	const char *layout = NULL;

	memset(map, 0, sizeof(unsigned) * IMPORT_FIELD__MAX);
	if (norm == NULL)
		return NULL;
	for (size_t i = 0; i < ncols; i++)
		norm_name(header[i], norm[i], sizeof norm[i]);
	for (int f = 0; f < IMPORT_FIELD__MAX; f++)
		for (size_t k = 0; names[f][k] && !map[f]; k++) {
			size_t col = column_named(norm, ncols, names[f][k]);
			int taken = 0;

			for (int g = 0; g < f; g++)
				taken |= map[g] == col;
			if (col && !taken)
				map[f] = (unsigned)col;
		}
	if (column_named(norm, ncols, "first name") &&
	    column_named(norm, ncols, "last name")) {
		if (column_named(norm, ncols, "e-mail") &&
		    marks(norm, ncols, opencats_marks) >= 1)
			layout = "OpenCATS candidate export";
		else if (column_named(norm, ncols, "email address") &&
		    marks(norm, ncols, linkedin_marks) >= 2)
			layout = "LinkedIn connections export";
	}
	free(norm);
	return layout;
}

/* One record kept while the header is looked for. */
struct head_rec {
	size_t ncols;
	char **cells;
	char *error;
	uint64_t line, end, next_line;
};

static void
head_rec_free(struct head_rec *r)
{
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	free(r->error);
}

static int
head_rec_copy(struct csv_reader *cr, const struct csv_record *rec,
    struct head_rec *r)
{
	char why[256];

	memset(r, 0, sizeof *r);
	r->line = rec->line;
	r->end = rec->end;
	r->next_line = rec->next_line;
	if (rec->error != CSV_E_NONE)
		return (r->error = strdup(csv_reason(cr, rec, why, sizeof why))) ?
		    HE_OK : HE_NOMEM;
	if ((r->cells = calloc(rec->ncols, sizeof *r->cells)) == NULL)
		return HE_NOMEM;
	r->ncols = rec->ncols;
	for (size_t i = 0; i < rec->ncols; i++)
		if ((r->cells[i] = strdup(rec->cells[i])) == NULL)
			return HE_NOMEM;
	return HE_OK;
}

void
import_head_free(struct import_head *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->ncols; i++)
		free(h->header[i]);
	free(h->header);
	for (size_t i = 0; i < h->nrows * h->ncols; i++)
		free(h->rows[i]);
	free(h->rows);
	for (size_t i = 0; i < h->nrows; i++)
		free(h->row_errors[i]);
	free(h->row_errors);
	free(h->row_lines);
	free(h);
}

/* The header: the first row with the cell count most rows have (ties go
 * to the larger count). */
static int
pick_header(const struct head_rec *recs, size_t n)
{
	size_t best = 0, best_votes = 0;
	int at = -1;

	for (size_t i = 0; i < n; i++) {
		size_t votes = 0;

		if (recs[i].error)
			continue;
		for (size_t j = 0; j < n; j++)
			votes += !recs[j].error && recs[j].ncols == recs[i].ncols;
		if (votes > best_votes || (votes == best_votes &&
		    recs[i].ncols > best)) {
			best_votes = votes;
			best = recs[i].ncols;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!recs[i].error && recs[i].ncols == best) {
			at = (int)i;
			break;
		}
	return at;
}

/* The mapping saved for this header, if any and if it fits. */
static int
remembered(struct store *st, struct import_head *h)
{
	json_t *layout, *map, *v;
	const char *k;
	unsigned got[IMPORT_FIELD__MAX] = { 0 };
	int ok = 0;

	if (st == NULL || store_layout_get(st, NULL, h->hash, &layout) != HE_OK)
		return 0;
	map = json_object_get(layout, "map");
	json_object_foreach(map, k, v) {
		json_int_t col = json_integer_value(v);

		for (int f = 0; f < IMPORT_FIELD__MAX; f++)
			if (strcmp(k, import_fields[f].name) == 0 && col > 0 &&
			    (size_t)col <= h->ncols)
				got[f] = (unsigned)col;
	}
	if (got[IMPORT_EMAIL]) {
		memcpy(h->map, got, sizeof got);
		ok = 1;
	}
	json_decref(layout);
	return ok;
}

int
import_inspect(struct store *st, const char *path, struct import_head **out,
    char *why, size_t whysize)
{
	struct head_rec recs[HEAD_RECORDS];
	struct csv_reader *cr = NULL;
	struct csv_record rec;
	struct csv_opts o = { .max_cols = IMPORT_COLS_MAX };
	struct import_head *h = NULL;
	size_t n = 0;
	int rc, at;
	FILE *f;

	*out = NULL;
	why[0] = '\0';
	if ((f = fopen(path, "rb")) == NULL)
		return HE_IO;
	if ((rc = csv_open_file(f, &o, &cr)) != HE_OK)
		goto out;
	while (n < HEAD_RECORDS && (rc = csv_next(cr, &rec)) == HE_OK) {
		if ((rc = head_rec_copy(cr, &rec, &recs[n++])) != HE_OK)
			goto out;
	}
	if (rc != HE_OK && rc != HE_NOTFOUND)
		goto out;
	rc = HE_OK;
	if (n == 0) {
		snprintf(why, whysize, "This file is empty.");
		rc = HE_INVALID;
		goto out;
	}
	if ((at = pick_header(recs, n)) < 0) {
		snprintf(why, whysize, "The first lines of this file cannot be "
		    "read (line %" PRIu64 ": %s). Save it as CSV in UTF-8 and "
		    "upload it again.", recs[0].line, recs[0].error);
		rc = HE_INVALID;
		goto out;
	}
	if ((h = calloc(1, sizeof *h)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	h->sep = csv_sep(cr);
	h->ncols = recs[at].ncols;
	h->header = recs[at].cells;	/* taken over */
	recs[at].cells = NULL;
	recs[at].ncols = 0;
	h->data_offset = recs[at].end;
	h->data_line = recs[at].next_line;
	import_header_hash(h->header, h->ncols, h->hash);
	h->rows = calloc((size_t)IMPORT_PREVIEW_ROWS * h->ncols, sizeof *h->rows);
	h->row_errors = calloc(IMPORT_PREVIEW_ROWS, sizeof *h->row_errors);
	h->row_lines = calloc(IMPORT_PREVIEW_ROWS, sizeof *h->row_lines);
	if (h->rows == NULL || h->row_errors == NULL || h->row_lines == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	for (size_t i = (size_t)at + 1; i < n && h->nrows < IMPORT_PREVIEW_ROWS; i++) {
		size_t r = h->nrows++;

		h->row_lines[r] = recs[i].line;
		if (recs[i].error) {
			h->row_errors[r] = recs[i].error;
			recs[i].error = NULL;
		} else if (recs[i].ncols != h->ncols) {
			char msg[160];

			snprintf(msg, sizeof msg, "this row has %zu cells where the "
			    "header has %zu", recs[i].ncols, h->ncols);
			if ((h->row_errors[r] = strdup(msg)) == NULL) {
				rc = HE_NOMEM;
				goto out;
			}
		}
		for (size_t c = 0; c < h->ncols; c++) {
			const char *v = !h->row_errors[r] && c < recs[i].ncols ?
			    recs[i].cells[c] : "";

			if ((h->rows[r * h->ncols + c] = strdup(v)) == NULL) {
				rc = HE_NOMEM;
				goto out;
			}
		}
	}
	h->layout = import_guess(h->header, h->ncols, h->map);
	h->remembered = remembered(st, h);
out:
	for (size_t i = 0; i < n; i++)
		head_rec_free(&recs[i]);
	csv_close(cr);
	fclose(f);
	if (rc == HE_OK)
		*out = h;
	else
		import_head_free(h);
	return rc;
}

/* At most max bytes of s, cut at a character boundary, into out. */
static const char *
shown(const char *s, char *out, size_t max)
{
	size_t n = 0, k;

	while (s[n] && (k = text_utf8_len(s + n, strlen(s + n))) > 0 &&
	    n + k <= max)
		n += k;
	memcpy(out, s, n);
	strcpy(out + n, s[n] ? "..." : "");
	return out;
}

/* A cell as it was meant: without the quote a spreadsheet-safe export
 * (ours too) puts before what looks like a formula. */
static const char *
unprotect(const char *s)
{
	return s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]) ? s + 1 : s;
}

static int
lower_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* A status as people write it: "Silver medallist", "do-not-contact". */
static int
status_of(const char *clean, char *out, size_t size)
{
	size_t o = 0;

	for (const char *p = clean; *p && o + 1 < size; p++)
		out[o++] = *p == ' ' || *p == '-' ? '_' :
		    (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	out[o] = '\0';
	if (strcmp(out, "silver_medalist") == 0)
		snprintf(out, size, "silver_medallist");
	if (strcmp(out, "dnc") == 0)
		snprintf(out, size, "do_not_contact");
	return cand_status_known(out);
}

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* A single-line cell cleaned: NULL with why set when it cannot be taken. */
static char *
clean_cell(const char *cell, const char *label, size_t max_chars, char *why,
    size_t whysize)
{
	char *clean, buf[SHOWN_MAX + 4];

	if (text_clean_line(cell, &clean) != HE_OK) {
		snprintf(why, whysize, "%s holds control characters: \"%s\"", label,
		    shown(cell, buf, SHOWN_MAX));
		return NULL;
	}
	if (max_chars && text_chars(clean) > max_chars) {
		snprintf(why, whysize, "%s is longer than %zu characters", label,
		    max_chars);
		free(clean);
		return NULL;
	}
	return clean;
}

static int
parse_tags(const char *cell, json_t *out, char *why, size_t whysize)
{
	char norm[CAND_TAG_SIZE], buf[SHOWN_MAX + 4];
	const char *p = cell;

	while (*p) {
		size_t n = strcspn(p, ",;");
		char *one = strndup(p, n);
		int dup = 0, rc;

		p += n + (p[n] != '\0');
		if (one == NULL)
			return HE_NOMEM;
		if (strspn(one, " \t\r\n") == strlen(one)) {
			free(one);
			continue;
		}
		rc = cand_tag_normalise(one, norm);
		if (rc != HE_OK) {
			snprintf(why, whysize, "not a tag: \"%s\" (tags have 1 to 40 "
			    "characters)", shown(one, buf, SHOWN_MAX));
			free(one);
			return HE_INVALID;
		}
		free(one);
		for (size_t i = 0; i < json_array_size(out); i++)
			dup |= strcmp(json_string_value(json_array_get(out, i)),
			    norm) == 0;
		if (dup)
			continue;
		if (json_array_size(out) == TAGS_MAX) {
			snprintf(why, whysize, "more than %d tags", TAGS_MAX);
			return HE_INVALID;
		}
		if (json_array_append_new(out, json_string(norm)) != 0)
			return HE_NOMEM;
	}
	return HE_OK;
}

/* Notes may span lines: only other control characters are refused. */
static int
notes_ok(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n' && *s != '\r' &&
		    *s != '\t') || *s == 0x7f)
			return 0;
	return 1;
}

/* The longest cell of each single-line field, in characters (0: the
 * field's own check limits it). */
static const size_t max_chars[IMPORT_FIELD__MAX] = {
	[IMPORT_EMAIL] = 254, [IMPORT_FIRST_NAME] = 100, [IMPORT_LAST_NAME] = 100,
	[IMPORT_NAME] = 200, [IMPORT_TITLE] = 200, [IMPORT_PHONE] = 40,
	[IMPORT_CITY] = 100, [IMPORT_COUNTRY] = 100, [IMPORT_URL] = 300,
	[IMPORT_SOURCE] = 100, [IMPORT_STATUS] = 40, [IMPORT_SENIORITY] = 40,
	[IMPORT_REMOTE] = 10,
};

/* One mapped cell into fields (or why it cannot be taken). */
static int
parse_cell(enum import_field f, const char *cell, json_t *fields, char *why,
    size_t whysize)
{
	const char *label = import_fields[f].label;
	char buf[SHOWN_MAX + 4], word[64], *clean = NULL, *norm = NULL;
	json_t *v = NULL;
	int rc = HE_OK;

	if (f == IMPORT_NOTES) {
		size_t start = strspn(cell, " \t\r\n"), end = strlen(cell);

		while (end > start && strchr(" \t\r\n", cell[end - 1]))
			end--;
		if (!notes_ok(cell)) {
			snprintf(why, whysize, "Notes hold control characters");
			return HE_INVALID;
		}
		if ((clean = strndup(cell + start, end - start)) == NULL)
			return HE_NOMEM;
		if (text_chars(clean) > NOTES_MAX) {
			snprintf(why, whysize, "Notes are longer than %d characters",
			    NOTES_MAX);
			free(clean);
			return HE_INVALID;
		}
		if (clean[0])
			v = json_string(clean);
		free(clean);
		goto set;
	}
	if ((clean = clean_cell(cell, label, max_chars[f], why, whysize)) == NULL)
		return HE_INVALID;
	if (clean[0] == '\0') {
		free(clean);
		return HE_OK;
	}
	switch (f) {
	case IMPORT_EMAIL:
		if ((rc = text_email_normalise(clean, &norm)) == HE_INVALID)
			snprintf(why, whysize, "not an email address: \"%s\"",
			    shown(clean, buf, SHOWN_MAX));
		else if (rc == HE_OK)
			v = json_string(norm);
		break;
	case IMPORT_PHONE:
		if (!comm_phone_ok(clean)) {
			snprintf(why, whysize, "not a phone number: \"%s\" (6 to 20 "
			    "digits, with + ( ) - . and spaces)",
			    shown(clean, buf, SHOWN_MAX));
			rc = HE_INVALID;
		} else
			v = json_string(clean);
		break;
	case IMPORT_URL: {
		char *full = NULL;

		/* "www.example.org" or "linkedin.com/in/ada" as people paste them */
		if (strncmp(clean, "http://", 7) != 0 &&
		    strncmp(clean, "https://", 8) != 0 &&
		    asprintf(&full, "https://%s", clean) < 0)
			full = NULL;
		if (!comm_url_ok(full ? full : clean)) {
			snprintf(why, whysize, "not a web address: \"%s\"",
			    shown(clean, buf, SHOWN_MAX));
			rc = HE_INVALID;
		} else
			v = json_string(full ? full : clean);
		free(full);
		break;
	}
	case IMPORT_STATUS:
		if (!status_of(clean, word, sizeof word)) {
			snprintf(why, whysize, "unknown status: \"%s\" (use sourced, "
			    "contacted, engaged, applied, interviewing, offered, hired, "
			    "declined, silver medallist or do not contact)",
			    shown(clean, buf, SHOWN_MAX));
			rc = HE_INVALID;
		} else
			v = json_string(word);
		break;
	case IMPORT_SENIORITY:
		snprintf(word, sizeof word, "%s", clean);
		lower(word);
		if (strcmp(word, "mid-level") == 0 || strcmp(word, "mid level") == 0)
			snprintf(word, sizeof word, "mid");
		if (!comm_seniority_known(word)) {
			snprintf(why, whysize, "unknown seniority: \"%s\" (use student, "
			    "junior, mid, senior, lead or executive)",
			    shown(clean, buf, SHOWN_MAX));
			rc = HE_INVALID;
		} else
			v = json_string(word);
		break;
	case IMPORT_REMOTE: {
		static const char *const yes[] = { "yes", "y", "true", "1", "remote",
			NULL };
		static const char *const no[] = { "no", "n", "false", "0", NULL };

		snprintf(word, sizeof word, "%s", clean);
		lower(word);
		if (lower_in(word, yes))
			v = json_true();
		else if (lower_in(word, no))
			v = json_false();
		else {
			snprintf(why, whysize, "Remote must be yes or no, not \"%s\"",
			    shown(clean, buf, SHOWN_MAX));
			rc = HE_INVALID;
		}
		break;
	}
	case IMPORT_TAGS:
		if ((v = json_array()) == NULL)
			rc = HE_NOMEM;
		else if ((rc = parse_tags(clean, v, why, whysize)) != HE_OK ||
		    json_array_size(v) == 0) {
			json_decref(v);
			v = NULL;
		}
		break;
	case IMPORT_SKILLS:
		if ((rc = comm_skills_parse(clean, &v)) == HE_INVALID)
			snprintf(why, whysize, "Skills: at most %d, each at most %d "
			    "characters", COMM_SKILLS_MAX, COMM_SKILL_MAX);
		else if (rc == HE_OK && json_array_size(v) == 0) {
			json_decref(v);
			v = NULL;
		}
		break;
	default:	/* names, title, city, country, source */
		v = json_string(clean);
	}
	free(clean);
	free(norm);
	if (rc != HE_OK)
		return rc;
set:
	if (v && json_object_set_new(fields, import_fields[f].name, v) != 0)
		return HE_NOMEM;
	return HE_OK;
}

int
import_row_parse(const unsigned map[IMPORT_FIELD__MAX],
    const char *const *cells, size_t ncols, json_t **fields, char *why,
    size_t whysize)
{
	json_t *out = json_object();
	int rc = HE_OK;

	*fields = NULL;
	why[0] = '\0';
	if (out == NULL)
		return HE_NOMEM;
	for (int f = 0; rc == HE_OK && f < IMPORT_FIELD__MAX; f++)
		if (map[f] > 0 && map[f] <= ncols)
			rc = parse_cell((enum import_field)f,
			    unprotect(cells[map[f] - 1]), out, why, whysize);
	if (rc == HE_OK && json_object_get(out, "email") == NULL) {
		snprintf(why, whysize, "no email address");
		rc = HE_INVALID;
	}
	if (rc != HE_OK) {
		json_decref(out);
		return rc;
	}
	*fields = out;
	return HE_OK;
}

/* ---- the job ---------------------------------------------------------- */

char *
import_dir(HDF *conf)
{
	char *dir = conf_path(conf, "Office.ImportDir", "var/imports");

	if (dir)
		(void)mkdir(dir, 0700);
	return dir;
}

void
import_report_name(uint64_t job, char out[64])
{
	snprintf(out, 64, "report-%" PRIu64 ".csv", job);
}

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
		if ((rc = store_next_id(st, SEQ_CANDIDATE, &id)) != HE_OK)
			goto out;
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

/* ---- starting one ------------------------------------------------------ */

struct start {
	const struct import_head *h;
	const struct import_params *p;
	uint64_t user;
	const char *ip;
	uint64_t job;
};

static int
start_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct start *s = arg;
	const struct import_head *h = s->h;
	const struct import_params *p = s->p;
	struct audit_actor who = { s->user, s->ip };
	json_t *header = json_array(), *map = json_object(), *params = NULL;
	json_t *layout = NULL, *detail = NULL;
	char sep[2] = { h->sep, '\0' };
	int rc = HE_NOMEM;

	if (header == NULL || map == NULL)
		goto out;
	for (size_t i = 0; i < h->ncols; i++)
		if (json_array_append_new(header, json_string(h->header[i])) != 0)
			goto out;
	for (int f = 0; f < IMPORT_FIELD__MAX; f++)
		if (p->map[f] && json_object_set_new(map, import_fields[f].name,
		    json_integer(p->map[f])) != 0)
			goto out;
	layout = json_pack("{s:O, s:O, s:I, s:I}", "header", header, "map", map,
	    "user", (json_int_t)s->user, "saved", (json_int_t)clock_now());
	params = json_pack("{s:s, s:s, s:s, s:I, s:I, s:O, s:O, s:s, s:s, "
	    "s:{s:s, s:s}, s:s}", "file", p->file, "filename", p->filename ?
	    p->filename : "",
	    "sep", sep, "offset", (json_int_t)h->data_offset,
	    "line", (json_int_t)h->data_line, "header", header, "map", map,
	    "policy", import_policies[p->policy], "source", p->source ?
	    p->source : "", "basis", "kind", p->basis, "note", p->basis_note ?
	    p->basis_note : "", "hash", h->hash);
	if (layout == NULL || params == NULL)
		goto out;
	if ((rc = store_layout_put(st, txn, h->hash, layout)) != HE_OK ||
	    (rc = job_create(st, txn, IMPORT_KIND, s->user, params, 0,
	    &s->job)) != HE_OK)
		goto out;
	detail = json_pack("{s:I, s:s, s:s, s:s}", "job", (json_int_t)s->job,
	    "file", p->filename ? p->filename : "", "policy", import_policies[p->policy],
	    "basis", p->basis);
	rc = detail ? audit_log(st, txn, &who, "import", 0, detail) : HE_NOMEM;
out:
	json_decref(header);
	json_decref(map);
	json_decref(layout);
	json_decref(params);
	json_decref(detail);
	return rc;
}

int
import_start(struct store *st, const struct import_head *h,
    const struct import_params *p, uint64_t user, const char *ip,
    uint64_t *job)
{
	struct start s = { h, p, user, ip ? ip : "", 0 };
	int basis_ok = 0, rc;

	for (int i = 0; import_bases[i]; i++)
		basis_ok |= p->basis && strcmp(p->basis, import_bases[i]) == 0;
	if (!basis_ok || (unsigned)p->policy >= IMPORT_POLICY__MAX ||
	    p->map[IMPORT_EMAIL] == 0 || p->map[IMPORT_EMAIL] > h->ncols ||
	    p->file == NULL || strchr(p->file, '/'))
		return HE_INVALID;
	for (int f = 0; f < IMPORT_FIELD__MAX; f++)
		if (p->map[f] > h->ncols)
			return HE_INVALID;
	if ((rc = store_txn(st, start_txn, &s)) == HE_OK)
		*job = s.job;
	return rc;
}

void
import_prune(const char *dir, int64_t now)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		int upload = strncmp(e->d_name, "upload-", 7) == 0;
		int report = strncmp(e->d_name, "report-", 7) == 0;
		struct stat sb;
		char *path;

		if (!upload && !report)
			continue;
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			continue;
		if (stat(path, &sb) == 0 && now - sb.st_mtime >
		    (int64_t)(upload ? IMPORT_UPLOAD_DAYS : IMPORT_REPORT_DAYS) * 86400)
			(void)unlink(path);
		free(path);
	}
	closedir(d);
}
