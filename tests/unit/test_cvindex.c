/* test_cvindex.c: the worker reads candidates' CVs into the search words, once each */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>
#include <roaring/roaring.h>

#include "crm/candidates.h"
#include "crm/cvindex.h"
#include "crm/index.h"
#include "crm/merge.h"
#include "crm/query.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

struct env {
	char dir[64];		/* the database */
	char cvs[80];		/* Community.ResumeDir */
	struct store *st;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	unsigned char key[STORE_KEYBYTES];

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-cvindex-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	snprintf(e->cvs, sizeof e->cvs, "%s/resumes", e->dir);
	if (mkdir(e->cvs, 0700) != 0)
		return -1;
	randombytes_buf(key, sizeof key);
	store_set_site_key(e->st, key);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	store_close(e->st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

static void
put_file(struct env *e, const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", e->cvs, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

struct put {
	uint64_t id;
	json_t *old, *rec;
};

static int
put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return cand_write(st, txn, p->id, p->old, p->rec);
}

/* A candidate whose CV is file (NULL: none), as a signup stores one. */
static uint64_t
add(struct env *e, const char *name, const char *file)
{
	struct put p = { 0, NULL, NULL };

	p.rec = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "email", name,
	    "email_key", name, "status", "engaged");
	if (file)
		json_object_set_new(p.rec, "resume", json_pack("{s:s, s:s, s:s, s:i}",
		    "file", file, "kind", "txt", "name", "cv", "size", 1));
	assert_int_equal(store_next_id(e->st, SEQ_CANDIDATE, &p.id), HE_OK);
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

static json_t *
get(struct env *e, uint64_t id)
{
	json_t *rec;

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &rec), HE_OK);
	return rec;
}

/* Another CV for id, as a confirmation of new details writes it. */
static void
new_cv(struct env *e, uint64_t id, const char *file)
{
	struct put p = { id, get(e, id), NULL };

	p.rec = json_deep_copy(p.old);
	json_object_set_new(p.rec, "resume", json_pack("{s:s, s:s, s:s, s:i}",
	    "file", file, "kind", "txt", "name", "cv2", "size", 1));
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.rec);
	json_decref(p.old);
}

static void
add_note(struct env *e, uint64_t id, const char *text)
{
	struct put p = { id, get(e, id), NULL };

	p.rec = json_deep_copy(p.old);
	assert_int_equal(cand_terms_add(e->st, p.rec, text), HE_OK);
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.rec);
	json_decref(p.old);
}

/* The ids the list's search finds for text, as a bitmap's cardinality,
 * and whether want (0: none) is the one. */
static void
expect_found(struct env *e, const char *text, uint64_t want)
{
	struct cand_query q;
	roaring_bitmap_t *ids;

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
	if (roaring_bitmap_get_cardinality(ids) != (want ? 1u : 0u))
		fail_msg("\"%s\" finds %llu candidates, not %d", text,
		    (unsigned long long)roaring_bitmap_get_cardinality(ids),
		    want ? 1 : 0);
	if (want)
		assert_true(roaring_bitmap_contains(ids, (uint32_t)want));
	roaring_bitmap_free(ids);
}

static int
queued(struct env *e, uint64_t id)
{
	return store_post_has(e->st, NULL, CAND_KEY_CV_TODO, (uint32_t)id) ==
	    HE_OK;
}

/* Steps until the queue is empty; what they did. */
static struct cvindex_stats
drain(struct env *e)
{
	struct cvindex_stats s = { 0 };
	int more = 1, steps = 0;

	while (more) {
		assert_int_equal(cvindex_step(e->st, e->cvs, CVINDEX_BATCH, &s,
		    &more), HE_OK);
		assert_true(++steps < 100);
	}
	return s;
}

static void
print_problem(const char *line, void *ctx)
{
	(void)ctx;
	print_error("index: %s\n", line);
}

static void
expect_index_sound(struct env *e)
{
	size_t problems = 0;

	assert_int_equal(cand_index_verify(e->st, print_problem, NULL, &problems),
	    HE_OK);
	assert_int_equal(problems, 0);
}

static const char pdf_cv[] = "%PDF-1.4\n1 0 obj << /Length 38 >> stream\n"
	"BT (Quetzalcoatl wrangler) Tj ET\nendstream\nendobj\n%%EOF\n";

static void
cvs_are_read_into_the_search_words(void **state)
{
	struct env *e = *state;
	uint64_t ids[7], none;
	json_t *before, *after;
	struct cvindex_stats s;

	put_file(e, "a.txt", "Zanzibar logistics, Kotlin\n", 27);
	put_file(e, "b.pdf", pdf_cv, sizeof pdf_cv - 1);
	put_file(e, "c.pdf", "%PDF-1.4\n%%EOF\n", 15);	/* no text */
	put_file(e, "d.bin", "\x89PNG\r\n\x1a\n\0\0\0\0", 12);	/* not a CV */
	put_file(e, "f.txt", "Ytterbium chemist\n", 18);
	ids[0] = add(e, "Ana", "a.txt");
	ids[1] = add(e, "Bea", "b.pdf");
	ids[2] = add(e, "Cai", "c.pdf");
	ids[3] = add(e, "Dan", "d.bin");
	ids[4] = add(e, "Eli", "missing.txt");
	ids[5] = add(e, "Fay", "f.txt");
	ids[6] = add(e, "Gus", "../f.txt");	/* never a name of ours */
	none = add(e, "Hal", NULL);
	for (int i = 0; i < 7; i++)
		assert_true(queued(e, ids[i]));
	assert_false(queued(e, none));
	expect_found(e, "zanzibar", 0);
	expect_index_sound(e);
	before = get(e, ids[0]);

	s = drain(e);
	assert_int_equal(s.indexed, 3);
	assert_int_equal(s.empty, 1);
	assert_int_equal(s.unreadable, 3);
	for (int i = 0; i < 7; i++)
		assert_false(queued(e, ids[i]));
	expect_found(e, "zanzibar", ids[0]);
	expect_found(e, "kotlin", ids[0]);
	expect_found(e, "quetzalcoatl wrangler", ids[1]);
	expect_found(e, "ytterbium", ids[5]);
	expect_found(e, "ytterbium -fay", 0);
	/* Nobody's edit: "updated" stays; the file's name is noted. */
	after = get(e, ids[0]);
	assert_true(json_equal(json_object_get(before, "updated"),
	    json_object_get(after, "updated")));
	assert_string_equal(json_string_value(json_object_get(after,
	    "resume_terms_of")), "a.txt");
	assert_int_equal(json_array_size(json_object_get(after, "resume_terms")), 3);
	json_decref(before);
	json_decref(after);
	/* Unreadable ones are marked read too: never tried again. */
	after = get(e, ids[3]);
	assert_string_equal(json_string_value(json_object_get(after,
	    "resume_terms_of")), "d.bin");
	assert_null(json_object_get(after, "resume_terms"));
	json_decref(after);
	s = drain(e);
	assert_int_equal(s.indexed + s.empty + s.unreadable, 0);
	expect_index_sound(e);
}

static void
a_new_cv_replaces_the_words_of_the_old_one(void **state)
{
	struct env *e = *state;
	uint64_t ana;
	struct cvindex_stats s;
	json_t *rec;

	put_file(e, "one.txt", "Zanzibar logistics\n", 19);
	put_file(e, "two.txt", "Reykjavik geothermal\n", 21);
	ana = add(e, "Ana", "one.txt");
	add_note(e, ana, "Met at the Oslo meetup");
	drain(e);
	expect_found(e, "zanzibar", ana);
	expect_found(e, "oslo", ana);
	new_cv(e, ana, "two.txt");
	/* The old words go with the old CV, in the same write; the notes'
	 * stay. */
	expect_found(e, "zanzibar", 0);
	expect_found(e, "oslo", ana);
	assert_true(queued(e, ana));
	expect_index_sound(e);
	s = drain(e);
	assert_int_equal(s.indexed, 1);
	expect_found(e, "reykjavik", ana);
	expect_found(e, "zanzibar", 0);
	expect_found(e, "oslo", ana);
	rec = get(e, ana);
	assert_int_equal(json_array_size(json_object_get(rec, "resume_terms")), 2);
	json_decref(rec);
	expect_index_sound(e);
}

static int
remove_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return cand_remove(st, txn, p->id, p->old, 1);
}

/* A CV replaced before the worker came, or its record erased: the CV the
 * record names when it is written is the one read. */
static void
the_cv_read_is_the_one_named_now(void **state)
{
	struct env *e = *state;
	uint64_t ana;
	struct put p = { 0, NULL, NULL };
	struct cvindex_stats s;

	put_file(e, "one.txt", "Zanzibar\n", 9);
	put_file(e, "two.txt", "Reykjavik\n", 10);
	ana = add(e, "Ana", "one.txt");
	p.id = add(e, "Bea", "one.txt");
	new_cv(e, ana, "two.txt");
	p.old = get(e, p.id);
	assert_int_equal(store_txn(e->st, remove_txn, &p), HE_OK);
	json_decref(p.old);
	s = drain(e);
	assert_int_equal(s.indexed, 1);
	expect_found(e, "reykjavik", ana);
	expect_found(e, "zanzibar", 0);
	expect_index_sound(e);
}

static void
the_reader_runs_apart_and_bounded(void **state)
{
	struct env *e = *state;
	char path[256], *text = NULL;

	put_file(e, "ok.txt", "Hello  there\n", 13);
	snprintf(path, sizeof path, "%s/ok.txt", e->cvs);
	assert_int_equal(cvindex_text(path, &text), HE_OK);
	assert_string_equal(text, "Hello there");
	free(text);
	snprintf(path, sizeof path, "%s/nothing-here.pdf", e->cvs);
	assert_int_equal(cvindex_text(path, &text), HE_INVALID);
	assert_null(text);
	/* A FIFO would block a reader that waits on it; a directory and a
	 * file over CVINDEX_FILE_MAX are not read. */
	snprintf(path, sizeof path, "%s/fifo", e->cvs);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(cvindex_text(path, &text), HE_INVALID);
	assert_int_equal(cvindex_text(e->cvs, &text), HE_INVALID);
	snprintf(path, sizeof path, "%s/huge.txt", e->cvs);
	put_file(e, "huge.txt", "x", 1);
	assert_int_equal(truncate(path, CVINDEX_FILE_MAX + 1), 0);
	assert_int_equal(cvindex_text(path, &text), HE_INVALID);
	/* A link is not followed out of the directory. */
	snprintf(path, sizeof path, "%s/link.txt", e->cvs);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	assert_int_equal(cvindex_text(path, &text), HE_INVALID);
}

/* A merge that keeps b's CV keeps the words read from it: nothing waits. */
static void
a_merge_takes_the_cv_with_its_words(void **state)
{
	struct env *e = *state;
	char picks[MERGE_PICK__MAX] = { 0 };
	uint64_t ana, bea, merge_id;

	put_file(e, "one.txt", "Zanzibar\n", 9);
	put_file(e, "two.txt", "Reykjavik\n", 10);
	ana = add(e, "Ana", "one.txt");
	bea = add(e, "Bea", "two.txt");
	drain(e);
	picks[MERGE_RESUME] = 'b';
	assert_int_equal(merge_run(e->st, ana, bea, picks, NULL, &merge_id), HE_OK);
	assert_false(queued(e, ana));
	expect_found(e, "reykjavik", ana);
	expect_found(e, "zanzibar", 0);
	expect_index_sound(e);
	/* The worker has nothing to redo, and the undo gives both back. */
	assert_int_equal(drain(e).indexed, 0);
	assert_int_equal(merge_undo(e->st, merge_id, 30, NULL, (char[200]){ 0 },
	    200), HE_OK);
	expect_found(e, "zanzibar", ana);
	expect_found(e, "reykjavik", bea);
	expect_index_sound(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cvs_are_read_into_the_search_words,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    a_new_cv_replaces_the_words_of_the_old_one, setup, teardown),
		cmocka_unit_test_setup_teardown(the_cv_read_is_the_one_named_now,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(the_reader_runs_apart_and_bounded,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(a_merge_takes_the_cv_with_its_words,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
