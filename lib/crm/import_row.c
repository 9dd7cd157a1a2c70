/* import_row.c: one row of a CSV import read through its mapping, or why it cannot be */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/community.h"
#include "crm/import.h"
#include "crm/index.h"
#include "util/he.h"
#include "util/text.h"

#define TAGS_MAX 50
#define NOTES_MAX 10000		/* characters */
#define SHOWN_MAX 60		/* bytes of a cell quoted in a reason */

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
