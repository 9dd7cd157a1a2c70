/* test_csv.c: the CSV reader (rows, errors, limits, resync, offsets) and writer */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/csv.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))

/*
 * Each case is an input and what the reader makes of it, one row after
 * another separated by spaces: "L<line>@<offset>" then the cells in braces,
 * or "!<error>:<cell>" for a rejected row. Cells in these inputs hold no
 * braces; "\n" inside a cell shows as itself.
 */
struct read_case {
	const char *name;
	const char *in;
	size_t len;
	struct csv_opts opts;
	const char *want;
	char sep;		/* the separator the reader must use */
};

#define R(name, lit, want) { name, lit, sizeof lit - 1, { 0 }, want, ',' }
#define RS(name, lit, sep, want) { name, lit, sizeof lit - 1, { 0 }, want, sep }
#define RO(name, lit, want, ...) { name, lit, sizeof lit - 1, __VA_ARGS__, want, ',' }

static const char *const err_names[CSV_E__MAX] = {
	[CSV_E_NONE] = "none", [CSV_E_UTF8] = "utf8", [CSV_E_CELL] = "cell",
	[CSV_E_COLS] = "cols", [CSV_E_RECORD] = "record", [CSV_E_QUOTE] = "quote",
	[CSV_E_UNCLOSED] = "unclosed",
};

static const struct read_case read_cases[] = {
	/* Valid input. */
	R("simple", "a,b,c\n1,2,3\n", "L1@0{a}{b}{c} L2@6{1}{2}{3}"),
	R("no final line end", "a,b\n1,2", "L1@0{a}{b} L2@4{1}{2}"),
	R("CRLF", "a,b\r\n1,2\r\n", "L1@0{a}{b} L2@5{1}{2}"),
	R("CR only", "a,b\r1,2\r3,4", "L1@0{a}{b} L2@4{1}{2} L3@8{3}{4}"),
	R("mixed line ends", "a\r\nb\rc\nd", "L1@0{a} L2@3{b} L3@5{c} L4@7{d}"),
	R("empty input", "", ""),
	R("only line ends", "\r\n\n\r", ""),
	R("blank lines skipped", "a\n\n\nb\n", "L1@0{a} L4@4{b}"),
	R("blank CRLF lines", "a\r\n\r\nb", "L1@0{a} L3@5{b}"),
	R("empty cells", ",,\n", "L1@0{}{}{}"),
	R("trailing separator", "a,b,\n", "L1@0{a}{b}{}"),
	R("single column", "email\nx@y.z\n", "L1@0{email} L2@6{x@y.z}"),
	R("spaces kept", " a , b \n", "L1@0{ a }{ b }"),
	R("quoted comma", "\"a,b\",c\n", "L1@0{a,b}{c}"),
	R("doubled quotes", "\"say \"\"hi\"\"\",x\n", "L1@0{say \"hi\"}{x}"),
	R("only a doubled quote", "\"\"\"\"\n", "L1@0{\"}"),
	R("empty quoted", "\"\",a\n", "L1@0{}{a}"),
	R("quoted newline", "\"l1\nl2\",x\ny,z\n", "L1@0{l1\nl2}{x} L3@10{y}{z}"),
	R("quoted CRLF kept", "\"l1\r\nl2\"\r\nn\r\n", "L1@0{l1\r\nl2} L3@10{n}"),
	R("quoted CR", "\"l1\rl2\"\rn", "L1@0{l1\rl2} L3@8{n}"),
	R("quoted at end of input", "a,\"b\"", "L1@0{a}{b}"),
	R("UTF-8 cells", "Zo\xc3\xab,\xe6\xbc\xa2\xe5\xad\x97,\xf0\x9f\x98\x80\n",
	    "L1@0{Zo\xc3\xab}{\xe6\xbc\xa2\xe5\xad\x97}{\xf0\x9f\x98\x80}"),
	R("BOM skipped", "\xef\xbb\xbf" "a,b\n1,2\n", "L1@3{a}{b} L2@7{1}{2}"),
	R("BOM only", "\xef\xbb\xbf", ""),
	R("BOM then quote", "\xef\xbb\xbf\"a\",b\n", "L1@3{a}{b}"),
	RS("semicolon detected", "a;b;c\n1;2,5;3\n", ';',
	    "L1@0{a}{b}{c} L2@6{1}{2,5}{3}"),
	RS("tab detected", "a\tb\tc\n1\t2\t3\n", '\t', "L1@0{a}{b}{c} L2@6{1}{2}{3}"),
	RS("comma wins a tie", "a,b;c\n", ',', "L1@0{a}{b;c}"),
	RS("quoted separators do not count", "\"a;b;c\",d\n", ',', "L1@0{a;b;c}{d}"),
	RS("semicolon in CR-only header", "a;b\r1;2\r", ';', "L1@0{a}{b} L2@4{1}{2}"),
	RS("no separator: comma", "email\n", ',', "L1@0{email}"),
	{ "separator given", "a;b,c\n", 6, { .sep = ',' }, "L1@0{a;b}{c}", ',' },
	R("long ASCII cell", "abcdefghijklmnopqrstuvwxyz0123456789,x\n",
	    "L1@0{abcdefghijklmnopqrstuvwxyz0123456789}{x}"),

	/* Rows rejected, the rest read. */
	R("invalid UTF-8", "a,b\n\xff,c\nd,e\n", "L1@0{a}{b} L2@4!utf8:1 L3@8{d}{e}"),
	R("latin-1", "n\nZo\xeb\nok\n", "L1@0{n} L2@2!utf8:1 L3@6{ok}"),
	R("NUL byte", "a,b\0c\nd\n", "L1@0!utf8:2 L2@6{d}"),
	R("UTF-16 text", "a\0,\0b\0\n\0", "L1@0!utf8:1 L2@7!utf8:1"),
	R("invalid UTF-8 in a long cell",
	    "x,abcdefghijklmnopq\xc3(rstuvwxyz\nok\n", "L1@0!utf8:2 L2@31{ok}"),
	R("truncated UTF-8 at the end", "a,\xe6\xbc", "L1@0!utf8:2"),
	R("stray quote in text", "ab\"c,d\ne,f\n", "L1@0!quote:1 L2@7{e}{f}"),
	R("text after a closing quote", "\"ab\"c,d\ne,f\n", "L1@0!quote:1 L2@8{e}{f}"),
	R("space after a closing quote", "a,\"b\" ,c\nd\n", "L1@0!quote:2 L2@9{d}"),
	R("unclosed quote on the last line", "a,b\nc,\"d,e", "L1@0{a}{b} L2@4!unclosed:2"),
	R("unclosed quote, lines read again", "a,b\n\"c,d\ne,f\ng,h\n",
	    "L1@0{a}{b} L2@4!unclosed:1 L3@9{e}{f} L4@13{g}{h}"),
	R("stray quote swallowing lines", "a,\"b\nc,d\ne,5\" x\nf,g\n",
	    "L1@0!quote:2 L2@5{c}{d} L3@9!quote:2 L4@16{f}{g}"),
	R("stray quotes paired", "\"a,b\n\"c,d\n\"e,f\nok\n",
	    "L1@0!quote:1 L2@5!quote:1 L3@10!unclosed:1 L4@15{ok}"),
	R("unclosed CRLF", "x\r\n\"a\r\nb,c\r\n", "L1@0{x} L2@3!unclosed:1 L3@7{b}{c}"),
	RO("cell too long", "abcde,x\nok,y\n", "L1@0!cell:1 L2@8{ok}{y}",
	    { .max_cell = 4 }),
	RO("cell at the limit", "abcd,x\n", "L1@0{abcd}{x}", { .max_cell = 4 }),
	RO("quoted cell too long over lines", "a,\"bc\nde\nfg\"\nok\n",
	    "L1@0!cell:2 L4@13{ok}", { .max_cell = 4 }),
	RO("doubled quotes count once", "\"a\"\"b\"\"\"\n", "L1@0{a\"b\"}",
	    { .max_cell = 4 }),
	RO("too many cells", "a,b,c\nd,e\n", "L1@0!cols:0 L2@6{d}{e}",
	    { .max_cols = 2 }),
	RO("cells at the limit", "a,b\n", "L1@0{a}{b}", { .max_cols = 2 }),
	RO("row too long", "abc,abc,abc\nx\n", "L1@0!record:0 L2@12{x}",
	    { .max_cell = 4, .max_record = 8 }),
	RO("first error counts", "abcde,\xff\n", "L1@0!cell:1",
	    { .max_cell = 4 }),
	RO("limits then a good row", "\"aaaaaaaa\",\"b\nb\"\nc\n",
	    "L1@0!cell:1 L3@17{c}", { .max_cell = 4 }),
	R("invalid UTF-8 after a good cell", "ok,\xc0\x80\n", "L1@0!utf8:2"),
};

/* The rows of a reader as the cases write them; *seps gets the separator. */
static char *
render(struct csv_reader *r, struct csv_record *last, int *rc_out)
{
	struct csv_record rec;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	int rc, first = 1;

	assert_non_null(m);
	while ((rc = csv_next(r, &rec)) == HE_OK) {
		fprintf(m, "%sL%llu@%llu", first ? "" : " ",
		    (unsigned long long)rec.line, (unsigned long long)rec.offset);
		first = 0;
		if (rec.error != CSV_E_NONE) {
			assert_int_equal(rec.ncols, 0);
			fprintf(m, "!%s:%zu", err_names[rec.error], rec.error_col);
		}
		for (size_t i = 0; i < rec.ncols; i++) {
			assert_int_equal(strlen(rec.cells[i]), rec.lens[i]);
			fprintf(m, "{%s}", rec.cells[i]);
		}
		assert_true(rec.end > rec.offset);
		assert_true(rec.last_line >= rec.line);
		assert_true(rec.next_line >= rec.last_line);
		if (last)
			*last = rec;
	}
	*rc_out = rc;
	fclose(m);
	return out;
}

static char *
read_mem(const struct read_case *t, const struct csv_opts *o, char *sep)
{
	struct csv_reader *r;
	char *got;
	int rc;

	assert_int_equal(csv_open_mem(t->in, t->len, o, &r), HE_OK);
	if (sep)
		*sep = csv_sep(r);
	got = render(r, NULL, &rc);
	assert_int_equal(rc, HE_NOTFOUND);
	csv_close(r);
	return got;
}

static char *
read_file(const struct read_case *t, const struct csv_opts *o)
{
	struct csv_reader *r;
	FILE *f = fmemopen((void *)t->in, t->len, "r");
	char *got;
	int rc;

	/* fmemopen refuses a size of 0 on older glibc: use an empty file. */
	if (t->len == 0)
		f = fopen("/dev/null", "r");
	assert_non_null(f);
	assert_int_equal(csv_open_file(f, o, &r), HE_OK);
	assert_int_equal(csv_sep(r), t->sep);
	got = render(r, NULL, &rc);
	assert_int_equal(rc, HE_NOTFOUND);
	csv_close(r);
	fclose(f);
	return got;
}

static void
test_read_mem(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(read_cases); i++) {
		const struct read_case *t = &read_cases[i];
		char sep, *got = read_mem(t, &t->opts, &sep);

		if (strcmp(got, t->want) != 0)
			fail_msg("case '%s':\n got: %s\nwant: %s", t->name, got, t->want);
		if (sep != t->sep)
			fail_msg("case '%s': separator %d, want %d", t->name, sep, t->sep);
		free(got);
	}
}

/* Streams read in chunks of any size give the same rows. */
static void
test_read_chunks(void **state)
{
	static const size_t chunks[] = { 4, 5, 7, 13, 64, 0 };

	(void)state;
	for (size_t i = 0; i < N(read_cases); i++) {
		const struct read_case *t = &read_cases[i];

		for (size_t c = 0; c < N(chunks); c++) {
			struct csv_opts o = t->opts;
			char *got;

			o.chunk = chunks[c];
			got = read_file(t, &o);
			if (strcmp(got, t->want) != 0)
				fail_msg("case '%s', chunk %zu:\n got: %s\nwant: %s",
				    t->name, chunks[c], got, t->want);
			free(got);
		}
	}
}

/* Starting at any row's end (with its line and the separator) reads the
 * same rows as the whole file did from there: a job resumes exactly. */
static void
test_resume(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(read_cases); i++) {
		const struct read_case *t = &read_cases[i];
		char *whole = read_mem(t, &t->opts, NULL);
		struct csv_reader *r;
		struct csv_record rec;
		char sep;
		int rc;

		assert_int_equal(csv_open_mem(t->in, t->len, &t->opts, &r), HE_OK);
		sep = csv_sep(r);
		while ((rc = csv_next(r, &rec)) == HE_OK) {
			struct csv_opts o = t->opts;
			struct csv_reader *r2;
			const char *rest;
			char *got;
			int rc2;

			o.offset = rec.end;
			o.line = rec.next_line;
			o.sep = sep;
			/* Through a stream, positioned by the reader. */
			{
				FILE *f = fmemopen((void *)t->in, t->len, "r");

				assert_non_null(f);
				o.chunk = 5;
				assert_int_equal(csv_open_file(f, &o, &r2), HE_OK);
				got = render(r2, NULL, &rc2);
				assert_int_equal(rc2, HE_NOTFOUND);
				csv_close(r2);
				fclose(f);
			}
			/* What the whole read gave after this row. */
			rest = whole;
			for (;;) {
				const char *sp = strstr(rest, " L");
				unsigned long long off;

				if (rest[0] == 'L' && sscanf(strchr(rest, '@') + 1,
				    "%llu", &off) == 1 && off >= rec.end)
					break;
				if (sp == NULL) {
					rest = "";
					break;
				}
				rest = sp + 1;
			}
			if (strcmp(got, rest) != 0)
				fail_msg("case '%s' from %llu:\n got: %s\nwant: %s",
				    t->name, (unsigned long long)rec.end, got, rest);
			free(got);
		}
		assert_int_equal(rc, HE_NOTFOUND);
		csv_close(r);
		free(whole);
	}
}

/* A pipe cannot go back: a stray quote costs the rows it swallowed, but
 * rows before it and everything else read the same. */
static void
test_pipe(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a,b\n1,2\n", "L1@0{a}{b} L2@4{1}{2}" },
		{ "a,b\n\xff,c\nd,e\n", "L1@0{a}{b} L2@4!utf8:1 L3@8{d}{e}" },
		{ "a,b\n\"c,d\ne,f\n", "L1@0{a}{b} L2@4!unclosed:1" },
		{ "a,\"b\nc\"x,d\ne\n", "L1@0!quote:2 L3@11{e}" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int fds[2], rc;
		struct csv_reader *r;
		struct csv_opts o = { .chunk = 3 };
		size_t n = strlen(cases[i].in);
		char *got;
		FILE *f;

		assert_int_equal(pipe(fds), 0);
		assert_int_equal(write(fds[1], cases[i].in, n), (ssize_t)n);
		close(fds[1]);
		assert_non_null(f = fdopen(fds[0], "r"));
		assert_int_equal(csv_open_file(f, &o, &r), HE_OK);
		got = render(r, NULL, &rc);
		assert_int_equal(rc, HE_NOTFOUND);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("pipe case %zu:\n got: %s\nwant: %s", i, got,
			    cases[i].want);
		free(got);
		csv_close(r);
		fclose(f);
	}
}

/* Line numbers of rows spanning lines, and where each ends. */
static void
test_lines(void **state)
{
	static const char in[] = "h1,h2\r\n\"a\r\nb\",c\r\n\r\nd,\"e\n\nf\"\rg";
	struct csv_reader *r;
	struct csv_record rec;

	(void)state;
	assert_int_equal(csv_open_mem(in, sizeof in - 1, NULL, &r), HE_OK);
	assert_int_equal(csv_next(r, &rec), HE_OK);
	assert_int_equal(rec.line, 1);
	assert_int_equal(rec.last_line, 1);
	assert_int_equal(rec.end, 7);
	assert_int_equal(rec.next_line, 2);
	assert_int_equal(csv_next(r, &rec), HE_OK);
	assert_int_equal(rec.line, 2);
	assert_int_equal(rec.last_line, 3);
	assert_int_equal(rec.next_line, 4);
	assert_string_equal(rec.cells[0], "a\r\nb");
	assert_int_equal(csv_next(r, &rec), HE_OK);
	assert_int_equal(rec.line, 5);
	assert_int_equal(rec.last_line, 7);
	assert_string_equal(rec.cells[1], "e\n\nf");
	assert_int_equal(csv_next(r, &rec), HE_OK);
	assert_int_equal(rec.line, 8);
	assert_int_equal(rec.last_line, 8);
	assert_int_equal(rec.end, sizeof in - 1);
	assert_string_equal(rec.cells[0], "g");
	assert_int_equal(csv_next(r, &rec), HE_NOTFOUND);
	assert_int_equal(csv_next(r, &rec), HE_NOTFOUND);
	csv_close(r);
}

/* A 1 MB cell among ordinary rows: that row is rejected, quoted or not,
 * and every other row read, from memory and from a stream. */
static void
test_huge_cell(void **state)
{
	size_t big = 1024 * 1024;
	char *in = malloc(big + 70000 + 256), *p = in;

	(void)state;
	assert_non_null(in);
	p += sprintf(p, "email,notes\na@x.org,fine\nb@x.org,\"");
	memset(p, 'x', big);
	p[big / 2] = '\n';
	p += big;
	p += sprintf(p, "\"\nc@x.org,");
	memset(p, 'y', 70000);
	p += 70000;
	p += sprintf(p, "\nd@x.org,last\n");
	for (int mode = 0; mode < 2; mode++) {
		struct csv_reader *r;
		struct csv_record rec;
		char reason[200];
		FILE *f = NULL;

		if (mode == 0) {
			assert_int_equal(csv_open_mem(in, (size_t)(p - in), NULL, &r),
			    HE_OK);
		} else {
			assert_non_null(f = fmemopen(in, (size_t)(p - in), "r"));
			assert_int_equal(csv_open_file(f, NULL, &r), HE_OK);
		}
		assert_int_equal(csv_next(r, &rec), HE_OK);
		assert_int_equal(rec.ncols, 2);
		assert_int_equal(csv_next(r, &rec), HE_OK);
		assert_string_equal(rec.cells[0], "a@x.org");
		assert_int_equal(csv_next(r, &rec), HE_OK);
		assert_int_equal(rec.error, CSV_E_CELL);
		assert_int_equal(rec.error_col, 2);
		assert_int_equal(rec.line, 3);
		assert_string_equal(csv_reason(r, &rec, reason, sizeof reason),
		    "cell 2 is longer than 65536 bytes");
		assert_int_equal(csv_next(r, &rec), HE_OK);
		assert_int_equal(rec.error, CSV_E_CELL);
		assert_int_equal(rec.line, 5);
		assert_int_equal(csv_next(r, &rec), HE_OK);
		assert_int_equal(rec.error, CSV_E_NONE);
		assert_int_equal(rec.line, 6);
		assert_string_equal(rec.cells[1], "last");
		assert_int_equal(csv_next(r, &rec), HE_NOTFOUND);
		csv_close(r);
		if (f)
			fclose(f);
	}
	free(in);
}

static void
test_reasons(void **state)
{
	static const struct {
		const char *in;
		struct csv_opts o;
		const char *want;
	} cases[] = {
		{ "\xff\n", { 0 }, "not UTF-8 (cell 1): save the file as UTF-8" },
		{ "abcde\n", { .max_cell = 4 }, "cell 1 is longer than 4 bytes" },
		{ "a,b,c\n", { .max_cols = 2 }, "the row has more than 2 cells" },
		{ "aaa,aaa,aaa\n", { .max_cell = 4, .max_record = 6 },
		    "the row is longer than 6 bytes" },
		{ "a,b\"c\n", { 0 }, "a stray quote in cell 2: a cell holding "
		    "quotes must be quoted whole, each quote inside it doubled" },
		{ "a,\"b\n", { 0 }, "the quote that opens cell 2 is never closed" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct csv_reader *r;
		struct csv_record rec;
		char buf[256];

		assert_int_equal(csv_open_mem(cases[i].in, strlen(cases[i].in),
		    &cases[i].o, &r), HE_OK);
		assert_int_equal(csv_next(r, &rec), HE_OK);
		assert_int_not_equal(rec.error, CSV_E_NONE);
		assert_string_equal(csv_reason(r, &rec, buf, sizeof buf), cases[i].want);
		csv_close(r);
	}
	assert_string_equal(csv_strerror(CSV_E_UTF8),
	    "not UTF-8: save the file as UTF-8");
}

static void
test_bad_opts(void **state)
{
	struct csv_reader *r;
	struct csv_opts o = { .sep = '|' };

	(void)state;
	assert_int_equal(csv_open_mem("a", 1, &o, &r), HE_INVALID);
	assert_null(r);
	o = (struct csv_opts){ .offset = 5 };
	assert_int_equal(csv_open_mem("a", 1, &o, &r), HE_INVALID);
	o = (struct csv_opts){ .max_record = (size_t)1 << 31 };
	assert_int_equal(csv_open_mem("a", 1, &o, &r), HE_INVALID);
}

/* The writer: cells, then the text expected. */
struct write_case {
	const char *name;
	char sep;
	int bom;
	const char *cells[4];	/* NULL-terminated; "(null)" writes NULL */
	const char *want;
};

static const struct write_case write_cases[] = {
	{ "plain", 0, 0, { "a", "b", NULL }, "a,b\r\n" },
	{ "empty and null", 0, 0, { "", "(null)", "x", NULL }, ",,x\r\n" },
	{ "comma quoted", 0, 0, { "a,b", NULL }, "\"a,b\"\r\n" },
	{ "quote doubled", 0, 0, { "say \"hi\"", NULL }, "\"say \"\"hi\"\"\"\r\n" },
	{ "newline quoted", 0, 0, { "l1\nl2", NULL }, "\"l1\nl2\"\r\n" },
	{ "CR quoted", 0, 0, { "a\rb", NULL }, "\"a\rb\"\r\n" },
	{ "formula =", 0, 0, { "=1+1", NULL }, "'=1+1\r\n" },
	{ "formula +", 0, 0, { "+44 20 7946 0000", NULL }, "'+44 20 7946 0000\r\n" },
	{ "formula -", 0, 0, { "-5", NULL }, "'-5\r\n" },
	{ "formula @", 0, 0, { "@SUM(A1)", NULL }, "'@SUM(A1)\r\n" },
	{ "formula TAB", 0, 0, { "\t=x", NULL }, "'\t=x\r\n" },
	{ "formula CR quoted", 0, 0, { "\r=x", NULL }, "\"'\r=x\"\r\n" },
	{ "formula with comma", 0, 0, { "=HYPERLINK(\"x\",\"y\")", NULL },
	    "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n" },
	{ "not at the start", 0, 0, { "a=b", "x-y", NULL }, "a=b,x-y\r\n" },
	{ "semicolon", ';', 0, { "a;b", "c,d", NULL }, "\"a;b\";c,d\r\n" },
	{ "tab", '\t', 0, { "a\tb", "c", NULL }, "\"a\tb\"\tc\r\n" },
	{ "BOM", 0, 1, { "Zo\xc3\xab", NULL }, "\xef\xbb\xbfZo\xc3\xab\r\n" },
};

static void
test_write(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(write_cases); i++) {
		const struct write_case *t = &write_cases[i];
		struct csv_writer w;
		char *out = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&out, &len);

		assert_non_null(m);
		csv_writer_init(&w, m, t->sep, t->bom);
		for (size_t c = 0; t->cells[c]; c++)
			csv_write_str(&w, strcmp(t->cells[c], "(null)") == 0 ? NULL :
			    t->cells[c]);
		csv_write_end(&w);
		assert_int_equal(ferror(m), 0);
		fclose(m);
		if (strcmp(out, t->want) != 0)
			fail_msg("write case '%s': got [%s], want [%s]", t->name, out,
			    t->want);
		free(out);
	}
}

/* What the writer writes, the reader reads back (a formula with its quote). */
static void
test_round_trip(void **state)
{
	static const char *const cells[] = {
		"plain", "", "a,b", "say \"hi\"", "l1\r\nl2", "\"", "\"\"",
		"Zo\xc3\xab \xe6\xbc\xa2", ";", "\t", "x\ry", "trailing ",
	};
	struct csv_writer w;
	struct csv_reader *r;
	struct csv_record rec;
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	(void)state;
	for (int bom = 0; bom < 2; bom++) {
		assert_non_null(m = open_memstream(&out, &len));
		csv_writer_init(&w, m, ';', bom);
		for (int row = 0; row < 3; row++) {
			for (size_t i = 0; i < N(cells); i++)
				csv_write_str(&w, cells[i]);
			csv_write_end(&w);
		}
		fclose(m);
		assert_int_equal(csv_open_mem(out, len, NULL, &r), HE_OK);
		assert_int_equal(csv_sep(r), ';');
		for (int row = 0; row < 3; row++) {
			assert_int_equal(csv_next(r, &rec), HE_OK);
			assert_int_equal(rec.error, CSV_E_NONE);
			assert_int_equal(rec.ncols, N(cells));
			for (size_t i = 0; i < N(cells); i++) {
				const char *want = cells[i][0] == '\t' ? "'\t" : cells[i];

				assert_string_equal(rec.cells[i], want);
			}
		}
		assert_int_equal(csv_next(r, &rec), HE_NOTFOUND);
		csv_close(r);
		free(out);
		out = NULL;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_mem),
		cmocka_unit_test(test_read_chunks),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_huge_cell),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_bad_opts),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
