/* skills.h: skill names normalised, with the synonym table of conf/skills.tsv */
#ifndef HEARTH_SKILLS_H
#define HEARTH_SKILLS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The synonym table is a tab-separated file: each line a canonical name
 * (as people should read it: "JavaScript") then its other names
 * ("js", "ecmascript"), '#' starting a comment. skills_load reads it into
 * this process's table (replacing any loaded before); HE_INVALID with the
 * line number in err for a malformed file (a name too long, one name
 * given two canonical forms), HE_IO when it cannot be read. With no
 * table loaded every name is its own canonical form.
 */
int skills_load(const char *path, char *err, size_t errlen);

/* Frees the table (tests; the programs keep theirs). */
void skills_unload(void);

/*
 * The canonical key of a skill name: folded (lower case, inner spaces
 * single, trimmed; '.', '+', '#' kept: "C#", "C++", "Node.js"), then the
 * synonym table's canonical name folded the same way. out holds
 * SKILL_KEY_SIZE bytes. HE_INVALID for an empty name or one longer than
 * SKILL_NAME_MAX characters.
 */
#define SKILL_NAME_MAX 40
#define SKILL_KEY_SIZE 161
int skill_key(const char *name, char out[SKILL_KEY_SIZE]);

/* The canonical name people read ("JavaScript" for "js"); the name as
 * given, trimmed, when the table does not know it. out as skill_key. */
int skill_display(const char *name, char out[SKILL_KEY_SIZE]);

/* The 32-bit id of a canonical key (never 0): what match records hold. */
uint32_t skill_id(const char *key);

/* A fingerprint of the loaded table (0: none), so that match records
 * made with another table can be found and rebuilt. */
uint64_t skills_table_hash(void);

#endif
