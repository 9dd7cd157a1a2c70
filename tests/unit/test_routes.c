/* test_routes.c: the programs' route tables, field tables and templates */
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cgi-bin/community/community.h"
#include "cgi-bin/office/office.h"
#include "util/he.h"
#include "util/tmpl.h"
#include "web/web.h"

#define N(a) (sizeof (a) / sizeof *(a))
#define FIELDS_MAX 32		/* a table longer than this is unterminated */
#define TEMPLATES "templates"	/* relative: the tests run from the repo root */

/* The programs, and where their sources live (for the templates they name). */
static const struct prog {
	const struct web_app *app;
	const char *name;
	const char *srcdir;
	int office;
} progs[] = {
	{ &community_app, "community", "cgi-bin/community", 0 },
	{ &office_app, "office", "cgi-bin/office", 1 },
};

static const char *const method_name[WEB_METHOD__MAX] = {
	[WEB_GET] = "GET", [WEB_POST] = "POST",
};

static const char *
mname(enum web_method m)
{
	return (unsigned)m < WEB_METHOD__MAX ? method_name[m] : "?";
}

static int
is_office_login(const struct web_route *r)
{
	return strcmp(r->path, OFFICE_LOGIN) == 0 &&
	    (r->method == WEB_GET || r->method == WEB_POST);
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
test_tables_sane(void **state)
{
	(void)state;
	for (size_t p = 0; p < N(progs); p++) {
		const struct web_app *app = progs[p].app;

		assert_non_null(app->name);
		assert_string_equal(app->name, progs[p].name);
		assert_non_null(app->routes);
		assert_true(app->nroutes > 0);
		for (size_t i = 0; i < app->nroutes; i++) {
			const struct web_route *r = &app->routes[i];

			if ((unsigned)r->method >= WEB_METHOD__MAX || r->path == NULL ||
			    r->handler == NULL)
				fail_msg("%s route %zu: bad method, path or handler",
				    app->name, i);
			if (r->flags & ~(unsigned)(WEB_R_AUTH | WEB_R_NOCSRF |
			    WEB_R_LIMITED | WEB_R_UPLOAD | WEB_R_LARGE))
				fail_msg("%s %s %s: unknown flags %#x", app->name,
				    mname(r->method), r->path, r->flags);
			/* Only a POST has a body to carry files. */
			if ((r->flags & WEB_R_UPLOAD) && r->method != WEB_POST)
				fail_msg("%s %s %s: WEB_R_UPLOAD on a route without a "
				    "body", app->name, mname(r->method), r->path);
			if ((r->flags & WEB_R_LARGE) && !(r->flags & WEB_R_UPLOAD))
				fail_msg("%s %s %s: WEB_R_LARGE without WEB_R_UPLOAD",
				    app->name, mname(r->method), r->path);
		}
	}
}

static void
test_paths(void **state)
{
	(void)state;
	for (size_t p = 0; p < N(progs); p++) {
		const struct web_app *app = progs[p].app;

		for (size_t i = 0; i < app->nroutes; i++) {
			const struct web_route *r = &app->routes[i];
			const char *path = r->path;

			if (path[0] != '/')
				fail_msg("%s: path '%s' does not start with /", app->name,
				    path);
			if (strpbrk(path, "?# \t\r\n%\\") || strstr(path, "//") ||
			    strstr(path, "/./") || strstr(path, "/../"))
				fail_msg("%s: path '%s' is not a plain path", app->name,
				    path);
			if (!starts_with(path, app->cookie_path))
				fail_msg("%s: path '%s' is outside the cookie path %s",
				    app->name, path, app->cookie_path);
			if (progs[p].office && !starts_with(path, "/office/"))
				fail_msg("office: path '%s' is not under /office/", path);
			if (!progs[p].office && (starts_with(path, "/office/") ||
			    strcmp(path, "/office") == 0))
				fail_msg("%s: path '%s' is under /office/", app->name, path);
		}
	}
	assert_string_equal(office_app.cookie_path, "/office/");
}

static void
test_unique(void **state)
{
	(void)state;
	for (size_t p = 0; p < N(progs); p++) {
		const struct web_app *app = progs[p].app;

		for (size_t i = 0; i < app->nroutes; i++)
			for (size_t j = i + 1; j < app->nroutes; j++) {
				const struct web_route *a = &app->routes[i];
				const struct web_route *b = &app->routes[j];

				if (a->method == b->method && strcmp(a->path, b->path) == 0)
					fail_msg("%s: %s %s is routed twice", app->name,
					    mname(a->method), a->path);
			}
	}
}

static void
test_csrf(void **state)
{
	size_t posts = 0;

	(void)state;
	for (size_t p = 0; p < N(progs); p++) {
		const struct web_app *app = progs[p].app;

		for (size_t i = 0; i < app->nroutes; i++) {
			const struct web_route *r = &app->routes[i];

			if (r->method != WEB_POST)
				continue;
			posts++;
			/* RFC 8058: mail clients post the one-click unsubscribe
			 * without cookies; its signed link is the proof. */
			if ((r->flags & WEB_R_NOCSRF) &&
			    strcmp(r->path, "/unsubscribe/one-click") != 0)
				fail_msg("%s: POST %s is not CSRF-protected", app->name,
				    r->path);
		}
	}
	assert_true(posts >= 3);	/* /join, login, logout at least */
}

static void
test_auth(void **state)
{
	int login_get = 0, login_post = 0;

	(void)state;
	for (size_t p = 0; p < N(progs); p++) {
		const struct web_app *app = progs[p].app;
		int login_route = 0;

		for (size_t i = 0; i < app->nroutes; i++) {
			const struct web_route *r = &app->routes[i];

			/* Roles are checked only for a signed-in user. */
			if (r->roles && !(r->flags & WEB_R_AUTH))
				fail_msg("%s: %s %s limits roles without WEB_R_AUTH",
				    app->name, mname(r->method), r->path);
			/* Without sessions no one could ever pass WEB_R_AUTH. */
			if (app->session == NULL && (r->flags & WEB_R_AUTH))
				fail_msg("%s: %s %s needs a session the app cannot have",
				    app->name, mname(r->method), r->path);
			if (r->method == WEB_GET && strcmp(r->path, app->login_path) == 0) {
				login_route = 1;
				if (r->flags & WEB_R_AUTH)
					fail_msg("%s: the login page %s needs a login",
					    app->name, r->path);
			}
			if (!progs[p].office)
				continue;
			if (is_office_login(r)) {
				if (r->method == WEB_GET)
					login_get = 1;
				else
					login_post = 1;
				if (r->flags & WEB_R_AUTH)
					fail_msg("office: %s %s must be open to the signed-out",
					    mname(r->method), r->path);
			} else if (!(r->flags & WEB_R_AUTH)) {
				fail_msg("office: %s %s lacks WEB_R_AUTH", mname(r->method),
				    r->path);
			}
		}
		if (!login_route)
			fail_msg("%s: login_path %s is not a GET route", app->name,
			    app->login_path);
	}
	assert_true(login_get && login_post);
	assert_non_null(office_app.session);
	assert_string_equal(office_app.login_path, OFFICE_LOGIN);
}

/* Fields a page fills in itself: the signed link ("t") and what a
 * button asks for ("kind"). */
static int
only_link_fields(const struct web_field *f)
{
	for (; f->name; f++)
		if (strcmp(f->name, "t") != 0 && strcmp(f->name, "kind") != 0 &&
		    !(f->flags & WEB_FF_HIDDEN))
			return 0;
	return 1;
}

static void
test_field_tables(void **state)
{
	size_t tables = 0;

	(void)state;
	for (size_t p = 0; p < N(progs); p++) {
		const struct web_app *app = progs[p].app;

		for (size_t i = 0; i < app->nroutes; i++) {
			const struct web_route *r = &app->routes[i];
			const struct web_field *f = r->fields;
			size_t n = 0;

			if (f == NULL)
				continue;
			tables++;
			/* A route with fields answers a failed form with its page,
			 * unless it is a GET or a button behind a link from a mail,
			 * which people never type into (the error page then says
			 * what failed). */
			if (r->method != WEB_GET && r->form_template == NULL &&
			    !only_link_fields(f))
				fail_msg("%s: %s %s has fields but no form_template",
				    app->name, mname(r->method), r->path);
			while (n < FIELDS_MAX && f[n].name != NULL)
				n++;
			if (n == FIELDS_MAX)
				fail_msg("%s %s: field table not NULL-terminated", app->name,
				    r->path);
			if (n == 0)
				fail_msg("%s %s: empty field table (use NULL)", app->name,
				    r->path);
			for (size_t j = 0; j < n; j++) {
				const char *name = f[j].name;

				if (name[0] == '\0' || strlen(name) > 64 ||
				    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
				    strlen(name))
					fail_msg("%s %s: bad field name '%s'", app->name,
					    r->path, name);
				if (strcmp(name, "csrf_token") == 0)
					fail_msg("%s %s: field shadows the CSRF token",
					    app->name, r->path);
				if ((unsigned)f[j].type >= WEB_FT__MAX)
					fail_msg("%s %s: field %s has no type", app->name,
					    r->path, name);
				if (f[j].flags & ~(unsigned)(WEB_FF_REQUIRED | WEB_FF_HIDDEN))
					fail_msg("%s %s: field %s has unknown flags", app->name,
					    r->path, name);
				if (f[j].label == NULL || f[j].label[0] == '\0')
					fail_msg("%s %s: field %s has no label", app->name,
					    r->path, name);
				for (size_t k = j + 1; k < n; k++)
					if (strcmp(name, f[k].name) == 0)
						fail_msg("%s %s: field %s appears twice", app->name,
						    r->path, name);
			}
		}
	}
	assert_true(tables >= 3);	/* join, login, the candidate list */
}

/* ---- Templates ---- */

static void
need_repo_root(void)
{
	if (access(TEMPLATES "/layout.cs", R_OK) != 0)
		fail_msg("run from the repository root (no %s/layout.cs here)",
		    TEMPLATES);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Renders a template the way pages are: HTML escaping, loadpath templates/.
 * Forms get a known CSRF token, a signed-in user and an error per field. */
static char *
render(const char *tmpl, const struct web_field *fields)
{
	HDF *hdf;
	char *out = NULL, name[160];
	size_t len;
	int rc;

	assert_int_equal(hdf_init(&hdf), STATUS_OK);
	assert_int_equal(hdf_set_value(hdf, "hdf.loadpaths.0", TEMPLATES),
	    STATUS_OK);
	assert_int_equal(hdf_set_value(hdf, "CSRF.token", "CSRFTOKEN42"), STATUS_OK);
	/* One job family, as the configuration gives them. */
	assert_int_equal(hdf_set_value(hdf, "Site.JobFamilies.engineering",
	    "Engineering"), STATUS_OK);
	assert_int_equal(hdf_set_value(hdf, "User.email", "ada@example.com"),
	    STATUS_OK);
	/* One of each list a form is made per row of (or chooses among): a
	 * hiring manager, a ranked person with a campaign to enrol them in, a
	 * person in a pipeline's list; the form's errors are said at person 1. */
	{
		static const char *const sample[][2] = {
			{ "Page.managers.0.id", "1" }, { "Page.managers.0.name", "Bo" },
			{ "Page.total", "1" }, { "Page.hits.0.id", "1" },
			{ "Page.camps.0.id", "1" }, { "Page.camps.0.name", "Hello" },
			{ "Page.view", "list" }, { "Page.people.0.cand", "1" },
			{ "Page.error_cand", "1" },
		};

		for (size_t i = 0; i < N(sample); i++)
			assert_int_equal(hdf_set_value(hdf, sample[i][0], sample[i][1]),
			    STATUS_OK);
	}
	for (size_t i = 0; fields && fields[i].name; i++) {
		snprintf(name, sizeof name, "Form.%s.error", fields[i].name);
		assert_int_equal(hdf_set_value(hdf, name, "FIELD-ERROR"), STATUS_OK);
		snprintf(name, sizeof name, "Form.errors.%zu.field", i);
		assert_int_equal(hdf_set_value(hdf, name, fields[i].name), STATUS_OK);
		snprintf(name, sizeof name, "Form.errors.%zu.message", i);
		assert_int_equal(hdf_set_value(hdf, name, "FIELD-ERROR"), STATUS_OK);
	}
	if (fields)
		assert_int_equal(hdf_set_value(hdf, "Form.error_count", "1"),
		    STATUS_OK);
	rc = tmpl_render(hdf, tmpl, TMPL_ESC_HTML, &out, &len);
	hdf_destroy(&hdf);
	if (rc != HE_OK)
		fail_msg("template %s does not render: %s", tmpl, he_strerror(rc));
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	return out;
}

/* The <form>...</form> of a rendered page whose action is path (malloc'd). */
static char *
form_for(const char *html, const char *action)
{
	char want[200];
	const char *start = html, *end;

	snprintf(want, sizeof want, "action=\"%s\"", action);
	while ((start = strstr(start, "<form")) != NULL) {
		const char *tag_end = strchr(start, '>');
		char *tag, *seg;

		if (tag_end == NULL || (end = strstr(start, "</form>")) == NULL)
			return NULL;
		tag = strndup(start, (size_t)(tag_end - start));
		assert_non_null(tag);
		if (strstr(tag, want)) {
			free(tag);
			seg = strndup(start, (size_t)(end - start));
			assert_non_null(seg);
			return seg;
		}
		free(tag);
		start = end;
	}
	return NULL;
}

/* Templates the sources of dir name in string literals ("x/y.cs"). */
static size_t
named_templates(const char *dir, char names[][64], size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		fail_msg("cannot open %s: run from the repository root", dir);
	while ((de = readdir(d)) != NULL) {
		char path[512], *src, *p;
		size_t len = strlen(de->d_name);

		if (len < 3 || strcmp(de->d_name + len - 2, ".c") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		assert_non_null(src = slurp(path));
		for (p = src; (p = strstr(p, ".cs\"")) != NULL; p += 4) {
			const char *q = p;
			size_t tl;

			while (q > src && q[-1] != '"' && !isspace((unsigned char)q[-1]))
				q--;
			if (q == src || q[-1] != '"')
				continue;
			tl = (size_t)(p + 3 - q);
			if (tl >= 64)
				fail_msg("%s: template name too long", path);
			int seen = 0;
			for (size_t i = 0; i < n; i++)
				if (strlen(names[i]) == tl && strncmp(names[i], q, tl) == 0)
					seen = 1;
			if (!seen) {
				assert_true(n < max);
				memcpy(names[n], q, tl);
				names[n][tl] = '\0';
				n++;
			}
		}
		free(src);
	}
	closedir(d);
	return n;
}

static void
expect_template_file(const char *who, const char *tmpl)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", TEMPLATES, tmpl);
	if (access(path, R_OK) != 0)
		fail_msg("%s names %s, which is not in %s/", who, tmpl, TEMPLATES);
}

/* The sources that name the templates they render. */
static const char *const page_dirs[] = { "cgi-bin/community", "cgi-bin/office",
    "lib/web" };

/* Every template the pages of page_dirs render, each once. */
static size_t
page_templates(char names[][64], size_t max)
{
	size_t total = 0;

	for (size_t d = 0; d < N(page_dirs); d++) {
		char found[64][64];
		size_t n = named_templates(page_dirs[d], found, N(found));

		if (n == 0)
			fail_msg("%s names no template at all", page_dirs[d]);
		for (size_t i = 0; i < n; i++) {
			int seen = 0;

			for (size_t j = 0; j < total; j++)
				seen |= strcmp(names[j], found[i]) == 0;
			if (!seen) {
				assert_true(total < max);
				strcpy(names[total++], found[i]);
			}
		}
	}
	return total;
}

/* Every template a page renders exists and renders into a whole page. */
static void
test_page_templates(void **state)
{
	char names[96][64];
	size_t n;

	(void)state;
	need_repo_root();
	n = page_templates(names, N(names));
	for (size_t i = 0; i < n; i++) {
		char *html;

		expect_template_file("a page", names[i]);
		html = render(names[i], NULL);
		if (strstr(html, "<!DOCTYPE html>") == NULL ||
		    strstr(html, "</html>") == NULL)
			fail_msg("%s does not render a whole page", names[i]);
		free(html);
	}
	/* The landing page, the joined page, login, the list, the error page. */
	assert_true(n >= 5);
}

/*
 * A route's form_template holds the form that posts to it: every field of
 * the table has its input and its error next to it, the CSRF token is in,
 * and there is no input the table does not validate.
 */
static void
test_form_templates(void **state)
{
	size_t forms = 0;

	(void)state;
	need_repo_root();
	for (size_t p = 0; p < N(progs); p++) {
		const struct web_app *app = progs[p].app;

		for (size_t i = 0; i < app->nroutes; i++) {
			const struct web_route *r = &app->routes[i];
			char *html, *form, want[200];
			const char *q;

			if (r->form_template == NULL)
				continue;
			expect_template_file(app->name, r->form_template);
			forms++;
			html = render(r->form_template, r->fields);
			form = r->method == WEB_POST ? form_for(html, r->path) : NULL;
			if (r->method == WEB_POST && form == NULL)
				fail_msg("%s: %s has no form posting to %s", app->name,
				    r->form_template, r->path);
			if (form == NULL) {
				free(html);
				continue;
			}
			if (strstr(form, "method=\"post\"") == NULL)
				fail_msg("%s: the form for %s is not a POST", app->name,
				    r->path);
			if (strstr(form, "name=\"csrf_token\" value=\"CSRFTOKEN42\"") ==
			    NULL)
				fail_msg("%s: the form for %s lacks the CSRF token",
				    app->name, r->path);
			for (size_t j = 0; r->fields && r->fields[j].name; j++) {
				/* Hidden inputs come from the page's data. */
				if (r->fields[j].flags & WEB_FF_HIDDEN)
					continue;
				snprintf(want, sizeof want, "name=\"%s\"", r->fields[j].name);
				if (strstr(form, want) == NULL)
					fail_msg("%s: %s has no input for field %s", app->name,
					    r->form_template, r->fields[j].name);
				snprintf(want, sizeof want, "id=\"%s-error\"",
				    r->fields[j].name);
				/* Hidden ones: the link and the honeypot, which
				 * cannot fail and only bots fill in. */
				if (strcmp(r->fields[j].name, "t") != 0 &&
				    strcmp(r->fields[j].name, "website") != 0 &&
				    strstr(form, want) == NULL)
					fail_msg("%s: %s shows no error next to %s", app->name,
					    r->form_template, r->fields[j].name);
			}
			/* Inputs the route does not know would never be validated. */
			for (q = form; (q = strstr(q, " name=\"")) != NULL; q += 7) {
				const char *v = q + 7, *e = strchr(v, '"');
				int known = 0;

				assert_non_null(e);
				if ((size_t)(e - v) == 10 && strncmp(v, "csrf_token", 10) == 0)
					continue;
				for (size_t j = 0; r->fields && r->fields[j].name; j++)
					if (strlen(r->fields[j].name) == (size_t)(e - v) &&
					    strncmp(r->fields[j].name, v, (size_t)(e - v)) == 0)
						known = 1;
				if (!known)
					fail_msg("%s: %s posts '%.*s', which %s does not "
					    "validate", app->name, r->form_template,
					    (int)(e - v), v, r->path);
			}
			free(form);
			free(html);
		}
	}
	assert_true(forms >= 2);
}

/*
 * Every form in every template posts to a POST route of a program and
 * carries the CSRF token (the sign-out form of the layout included).
 */
static void
test_every_form_posts_to_a_route(void **state)
{
	char pages[96][64];
	size_t npages, checked = 0;

	(void)state;
	need_repo_root();
	npages = page_templates(pages, N(pages));
	for (size_t t = 0; t < npages; t++) {
		char *html = render(pages[t], NULL);
		const char *s = html;

		while ((s = strstr(s, "<form")) != NULL) {
			const char *end = strstr(s, "</form>"), *a, *e;
			char action[200];
			int routed = 0;

			assert_non_null(end);
			a = strstr(s, "action=\"");
			if (a == NULL || a > end)
				fail_msg("%s: a form without an action", pages[t]);
			a += 8;
			e = strchr(a, '"');
			snprintf(action, sizeof action, "%.*s", (int)(e - a), a);
			/* A search form (GET) changes nothing: no token. */
			if (strstr(s, "method=\"get\"") != NULL &&
			    strstr(s, "method=\"get\"") < end) {
				for (size_t p = 0; p < N(progs); p++)
					for (size_t i = 0; i < progs[p].app->nroutes; i++)
						if (progs[p].app->routes[i].method == WEB_GET &&
						    strcmp(progs[p].app->routes[i].path,
						    action) == 0)
							routed = 1;
				if (!routed)
					fail_msg("%s: a search form goes to %s, which no GET "
					    "route serves", pages[t], action);
				checked++;
				s = end;
				continue;
			}
			if (strstr(s, "method=\"post\"") == NULL ||
			    strstr(s, "method=\"post\"") > end)
				fail_msg("%s: the form to %s is not a POST", pages[t],
				    action);
			for (size_t p = 0; p < N(progs); p++)
				for (size_t i = 0; i < progs[p].app->nroutes; i++) {
					const struct web_route *r = &progs[p].app->routes[i];

					if (r->method == WEB_POST && strcmp(r->path, action) == 0)
						routed = 1;
				}
			if (!routed)
				fail_msg("%s: a form posts to %s, which no POST route "
				    "serves", pages[t], action);
			{
				const char *tok = strstr(s, "name=\"csrf_token\" "
				    "value=\"CSRFTOKEN42\"");

				if (tok == NULL || tok > end)
					fail_msg("%s: the form to %s lacks the CSRF token",
					    pages[t], action);
			}
			checked++;
			s = end;
		}
		free(html);
	}
	/* The signup, the login and the sign-out of the layout (on each page). */
	assert_true(checked >= 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sane),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_field_tables),
		cmocka_unit_test(test_page_templates),
		cmocka_unit_test(test_form_templates),
		cmocka_unit_test(test_every_form_posts_to_a_route),
	};

	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
