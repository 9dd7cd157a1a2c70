/* test_tmpl.c: templates parsed once per process render every request's own data, escaped */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/he.h"
#include "util/tmpl.h"

static char *
render(const char *file, enum tmpl_escape esc, const char *name)
{
	HDF *hdf;
	char *out;
	size_t len;

	assert_null(hdf_init(&hdf));
	assert_null(hdf_set_value(hdf, "hdf.loadpaths.0", "templates"));
	assert_null(hdf_set_value(hdf, "Site.Name", "Hearth"));
	assert_null(hdf_set_value(hdf, "Mail.to_name", name));
	assert_null(hdf_set_value(hdf, "Mail.to", "a@example.org"));
	assert_null(hdf_set_value(hdf, "Error.message", name));
	assert_int_equal(tmpl_render(hdf, file, esc, &out, &len), HE_OK);
	assert_int_equal(strlen(out), len);
	hdf_destroy(&hdf);
	return out;
}

/* The second render comes from the cached tree: it must see its own data
 * and escape it exactly as the first did. */
static void
test_cached_tree_renders_each_request_escaped(void **state)
{
	static const char *const names[] = {
		"<script>alert(1)</script>", "\"'><img src=x>", "Zo\xc3\xab \xe7\x8e\x8b",
		"plainname",
	};
	/* What each name leaves in a page once escaped. */
	static const char *const marks[] = {
		"&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&#39;&gt;&lt;img src=x&gt;",
		"Zo\xc3\xab \xe7\x8e\x8b", "plainname",
	};

	(void)state;
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
			char *page = render("error.cs", TMPL_ESC_HTML, names[i]);

			assert_null(strstr(page, "<script>alert"));
			assert_null(strstr(page, "<img src=x>"));
			assert_non_null(strstr(page, marks[i]));
			/* Nothing of another request's data in this one. */
			for (size_t j = 0; j < sizeof marks / sizeof *marks; j++)
				if (j != i)
					assert_null(strstr(page, marks[j]));
			free(page);
		}
	}
}

/* The same file in text mode is a separate tree, with no escaping. */
static void
test_text_mode_is_cached_apart(void **state)
{
	char *html, *text;

	(void)state;
	html = render("mail/confirm.txt.cs", TMPL_ESC_HTML, "A & B");
	text = render("mail/confirm.txt.cs", TMPL_ESC_NONE, "A & B");
	assert_non_null(strstr(html, "Hello A &amp; B,"));
	assert_non_null(strstr(text, "Hello A & B,"));
	free(html);
	free(text);
	text = render("mail/confirm.txt.cs", TMPL_ESC_NONE, "C & D");
	assert_non_null(strstr(text, "Hello C & D,"));
	assert_null(strstr(text, "A & B"));
	free(text);
}

static void
test_missing_template_is_an_error_each_time(void **state)
{
	HDF *hdf;
	char *out;
	size_t len;

	(void)state;
	assert_null(hdf_init(&hdf));
	assert_null(hdf_set_value(hdf, "hdf.loadpaths.0", "templates"));
	for (int i = 0; i < 2; i++) {
		assert_int_not_equal(tmpl_render(hdf, "no/such.cs", TMPL_ESC_HTML,
		    &out, &len), HE_OK);
		assert_null(out);
	}
	hdf_destroy(&hdf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cached_tree_renders_each_request_escaped),
		cmocka_unit_test(test_text_mode_is_cached_apart),
		cmocka_unit_test(test_missing_template_is_an_error_each_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
