/* merge.h: merge templates for campaign mails (fields, fallbacks, conditionals) */
/* (crm/merge.h, merging two records of one person, is another module.) */
#ifndef HEARTH_MERGE_TMPL_H
#define HEARTH_MERGE_TMPL_H

#include <stddef.h>

/*
 * People write these templates in the back office, so they are read by this
 * small parser and never by ClearSilver (whose templates can reach every
 * value of the request). What a field gives is always data: a value holding
 * "{{x}}" comes out as those characters.
 */

#define MERGE_SRC_MAX	(64 * 1024)	/* bytes of a template */
#define MERGE_DEPTH_MAX	8		/* conditionals inside conditionals */

/* The merge fields a template may use, NULL-terminated (not "merge_fields":
 * the office's record-merge form has that name): first_name, last_name, name,
 * email, city, country, seniority, interests (labels joined ", "), skills (", "),
 * title, owner_name, owner_signature, site_name, prefs_url, unsubscribe_url,
 * role_title (a personal mail's role; empty in a campaign's). */
extern const char *const merge_tmpl_fields[];

struct merge_tmpl;

/*
 * {{field}}, {{field|fallback text}}, {{#if field}}..{{else}}..{{/if}},
 * {{#unless field}}..{{else}}..{{/unless}}, nesting to MERGE_DEPTH_MAX (8).
 * Spaces inside the braces are allowed ({{ first_name | there }}); a tag
 * ends on the line it starts on. HE_INVALID with a message in err ("line 3:
 * {{#if}} is never closed", "line 1: unknown field \"frist_name\"") for what
 * it cannot read; templates are at most MERGE_SRC_MAX (64 KiB) of UTF-8
 * without NUL bytes. HE_NOMEM. On HE_OK *out is the caller's to merge_free.
 * err (errlen bytes, NUL-terminated) may be NULL.
 */
int merge_parse(const char *src, size_t len, struct merge_tmpl **out, char *err, size_t errlen);
void merge_free(struct merge_tmpl *t);

/* value of a field for this mail, NULL or "" when missing (then the fallback, or nothing);
 * {{#if field}} is true when the value is not missing */
typedef const char *(*merge_value_fn)(const char *field, void *ctx);
/* the URL to put in place of a URL found in the template's literal text (tracking);
 * malloc'd, or NULL to leave it as it is */
typedef char *(*merge_link_fn)(const char *url, void *ctx);

enum merge_mode { MERGE_SUBJECT, MERGE_TEXT, MERGE_HTML, MERGE__MAX };

/*
 * SUBJECT: one line (CR/LF in values become spaces). TEXT: as written. HTML: literal
 * text and values escaped, blank lines make paragraphs (<p>), single newlines <br>,
 * http(s) URLs in the literal text become <a href> links; link (may be NULL) rewrites
 * URLs in TEXT and HTML. *out malloc'd, NUL-terminated; len (may be NULL) gets its
 * length. HE_INVALID for a mode out of range, HE_NOMEM.
 *
 * A URL is "http://" or "https://" and what follows up to white space, a
 * non-ASCII byte or one of < > " { }; a final . , ; : ! ? ' and a ) that
 * opens nowhere in it are left out, as sentence punctuation. A URL running
 * straight into a tag ("https://x.org/?n={{first_name}}") is left alone: it
 * is not whole. Fallback text counts as a value. In HTML the values of the
 * *_url fields (prefs_url, unsubscribe_url) become links too, never passed
 * to link: the way out of the mails is not tracked.
 */
int merge_render(const struct merge_tmpl *t, enum merge_mode mode, merge_value_fn value,
    merge_link_fn link, void *ctx, char **out, size_t *len);

#endif
