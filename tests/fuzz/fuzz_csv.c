/* fuzz_csv.c: the CSV reader on any bytes, in memory and in chunks, resumed, and the writer's round trip */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/he.h"
#include "util/text.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_csv: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/*
 * Input: one byte of options, then the file.
 *   bits 0-1: separator (detected, ',', ';', TAB)
 *   bits 2-3: max_cell (64 KiB, 4, 16, 64)
 *   bits 4-5: max_cols (256, 1, 3, 8)
 *   bit  6:   max_record (1 MiB, or 3 * max_cell)
 *   bit  7:   stream chunk (5 or 64 bytes)
 */

/* Everything one read gave, to compare reads. */
struct rows {
	char *text;
	size_t len;
	size_t n;
	uint64_t ends[64];	/* the first rows' ends and next lines */
	uint64_t next_lines[64];
	char sep;
};

static void
check_record(const struct csv_opts *o, const struct csv_record *rec,
    uint64_t prev_end, uint64_t prev_line, size_t input_len)
{
	size_t max_cell = o->max_cell ? o->max_cell : CSV_MAX_CELL;
	size_t max_cols = o->max_cols ? o->max_cols : CSV_MAX_COLS;

	CHECK(rec->offset >= prev_end);
	CHECK(rec->end > rec->offset);
	CHECK(rec->end <= input_len);
	CHECK(rec->line >= prev_line);
	CHECK(rec->last_line >= rec->line);
	CHECK(rec->next_line >= rec->last_line);
	CHECK(rec->next_line <= rec->last_line + 1);
	CHECK((unsigned)rec->error < CSV_E__MAX);
	if (rec->error != CSV_E_NONE) {
		CHECK(rec->ncols == 0);
		return;
	}
	CHECK(rec->ncols >= 1 && rec->ncols <= max_cols);
	for (size_t i = 0; i < rec->ncols; i++) {
		CHECK(rec->lens[i] <= max_cell);
		CHECK(strlen(rec->cells[i]) == rec->lens[i]);
		CHECK(text_utf8_valid(rec->cells[i], rec->lens[i]));
	}
}

/* Reads all rows of r into out, checking each. */
static void
read_all(struct csv_reader *r, const struct csv_opts *o, size_t input_len,
    struct rows *out)
{
	struct csv_record rec;
	uint64_t prev_end = o->offset, prev_line = o->line ? o->line : 1;
	FILE *m = open_memstream(&out->text, &out->len);
	int rc;

	CHECK(m != NULL);
	out->n = 0;
	out->sep = csv_sep(r);
	while ((rc = csv_next(r, &rec)) == HE_OK) {
		char reason[256];

		check_record(o, &rec, prev_end, prev_line, input_len);
		if (out->n < 64) {
			out->ends[out->n] = rec.end;
			out->next_lines[out->n] = rec.next_line;
		}
		out->n++;
		prev_end = rec.end;
		prev_line = rec.next_line;
		fprintf(m, "R%llu:%llu:%llu:%d:%zu:%zu|",
		    (unsigned long long)rec.line, (unsigned long long)rec.offset,
		    (unsigned long long)rec.end, rec.error, rec.error_col, rec.ncols);
		for (size_t i = 0; i < rec.ncols; i++) {
			fprintf(m, "%zu:", rec.lens[i]);
			fwrite(rec.cells[i], 1, rec.lens[i], m);
		}
		if (rec.error != CSV_E_NONE) {
			csv_reason(r, &rec, reason, sizeof reason);
			CHECK(reason[0] != '\0');
		}
		CHECK(out->n <= input_len);	/* every row takes a byte at least */
	}
	CHECK(rc == HE_NOTFOUND);
	CHECK(fclose(m) == 0);
}

static void
read_mem(const uint8_t *data, size_t len, const struct csv_opts *o,
    struct rows *out)
{
	struct csv_reader *r;

	CHECK(csv_open_mem(data, len, o, &r) == HE_OK);
	read_all(r, o, len, out);
	csv_close(r);
}

static void
read_file(const uint8_t *data, size_t len, const struct csv_opts *o,
    struct rows *out)
{
	struct csv_reader *r;
	FILE *f = len ? fmemopen((void *)data, len, "r") : fopen("/dev/null", "r");

	CHECK(f != NULL);
	CHECK(csv_open_file(f, o, &r) == HE_OK);
	read_all(r, o, len, out);
	csv_close(r);
	fclose(f);
}

/* Whether a row's text in a dump starts at its offset >= off: the tail of a
 * whole read that a resumed read must equal. */
static const char *
tail_from(const struct rows *whole, uint64_t off)
{
	const char *p = whole->text, *end = whole->text + whole->len;

	while (p < end) {
		unsigned long long line, o, e;
		int err;
		size_t col, ncols;
		int used = 0;

		CHECK(sscanf(p, "R%llu:%llu:%llu:%d:%zu:%zu|%n", &line, &o, &e, &err,
		    &col, &ncols, &used) == 6 && used > 0);
		if (o >= off)
			return p;
		p += used;
		for (size_t i = 0; i < ncols; i++) {
			size_t n;

			CHECK(sscanf(p, "%zu:%n", &n, &used) == 1);
			p += used + n;
		}
	}
	return end;
}

/* The writer's output of every row read back gives the same cells. */
static void
round_trip(const uint8_t *data, size_t len, const struct csv_opts *o)
{
	struct csv_reader *r, *back;
	struct csv_record rec, rec2;
	struct csv_writer w;
	char *out = NULL;
	size_t outlen = 0, rows = 0;
	FILE *m = open_memstream(&out, &outlen);
	struct csv_opts bo = { .sep = 0 };

	CHECK(m != NULL);
	CHECK(csv_open_mem(data, len, o, &r) == HE_OK);
	bo.sep = csv_sep(r);
	csv_writer_init(&w, m, bo.sep, len & 1);
	while (csv_next(r, &rec) == HE_OK) {
		if (rec.error != CSV_E_NONE)
			continue;
		for (size_t i = 0; i < rec.ncols; i++)
			csv_write_cell(&w, rec.cells[i], rec.lens[i]);
		csv_write_end(&w);
		rows++;
	}
	CHECK(fclose(m) == 0);
	csv_close(r);

	/* Written with the separator in use; limits high enough for the
	 * quote a formula gets. */
	bo.max_cols = CSV_MAX_COLS;
	bo.max_cell = CSV_MAX_CELL + 1;
	bo.max_record = 2 * CSV_MAX_RECORD;
	CHECK(csv_open_mem(out, outlen, &bo, &back) == HE_OK);
	CHECK(csv_open_mem(data, len, o, &r) == HE_OK);
	while (csv_next(r, &rec) == HE_OK) {
		if (rec.error != CSV_E_NONE)
			continue;
		/* A row of one empty cell is written as an empty line, which
		 * reads as no row at all. */
		if (rec.ncols == 1 && rec.lens[0] == 0)
			continue;
		CHECK(csv_next(back, &rec2) == HE_OK);
		CHECK(rec2.error == CSV_E_NONE);
		CHECK(rec2.ncols == rec.ncols);
		for (size_t i = 0; i < rec.ncols; i++) {
			const char *c = rec.cells[i];
			int formula = rec.lens[i] && strchr("=+-@\t\r", c[0]) != NULL;

			CHECK(rec2.lens[i] == rec.lens[i] + (size_t)formula);
			if (formula)
				CHECK(rec2.cells[i][0] == '\'');
			CHECK(memcmp(rec2.cells[i] + formula, c, rec.lens[i]) == 0);
		}
	}
	CHECK(csv_next(back, &rec2) == HE_NOTFOUND);
	csv_close(r);
	csv_close(back);
	free(out);
	(void)rows;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[4] = { 0, ',', ';', '\t' };
	static const size_t cells[4] = { 0, 4, 16, 64 };
	static const size_t cols[4] = { 0, 1, 3, 8 };
	struct csv_opts o = { 0 };
	struct rows mem = { 0 }, file = { 0 };
	unsigned char mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	o.sep = seps[mode & 3];
	o.max_cell = cells[(mode >> 2) & 3];
	o.max_cols = cols[(mode >> 4) & 3];
	if ((mode & 0x40) && o.max_cell)
		o.max_record = 3 * o.max_cell;
	o.chunk = mode & 0x80 ? 64 : 5;

	read_mem(data, size, &o, &mem);
	read_file(data, size, &o, &file);
	/* Chunks or not, the same rows. */
	CHECK(mem.sep == file.sep);
	CHECK(mem.len == file.len && memcmp(mem.text, file.text, mem.len) == 0);

	/* Resumed after any of the first rows: the same rows as from the start. */
	for (size_t i = 0; i < mem.n && i < 64; i += 1 + i / 4) {
		struct csv_opts ro = o;
		struct rows rest = { 0 };
		const char *want;

		ro.offset = mem.ends[i];
		ro.line = mem.next_lines[i];
		ro.sep = mem.sep;
		read_file(data, size, &ro, &rest);
		want = tail_from(&mem, ro.offset);
		CHECK(rest.len == (size_t)(mem.text + mem.len - want));
		CHECK(memcmp(rest.text, want, rest.len) == 0);
		free(rest.text);
	}
	round_trip(data, size, &o);
	free(mem.text);
	free(file.text);
	return 0;
}
