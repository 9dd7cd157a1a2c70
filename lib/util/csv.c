/* csv.c: the streaming CSV reader and the writer */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util/csv.h"
#include "util/he.h"
#include "util/text.h"

/* What a read from a stream asks for; a window of the file at a time. */
#define CHUNK (256 * 1024)

/* Byte classes of unquoted text: anything but these is copied in runs. */
enum { CL_TEXT, CL_SEP, CL_QUOTE, CL_EOL };

struct csv_reader {
	/* The input: [win, end) is in memory, p the next byte to read. */
	FILE *f;			/* NULL: a buffer, all in the window */
	const unsigned char *win, *p, *end;
	uint64_t win_off;		/* the offset of win[0] in the input */
	unsigned char *chunk;		/* the window's storage for a stream */
	size_t chunk_size;
	int eof;			/* nothing more after end */
	int seekable;
	int ioerr;

	char sep;
	size_t max_cell, max_cols, max_record;
	unsigned char cls[256];		/* unquoted text */
	unsigned char qcls[256];	/* inside quotes: '"' and line ends */
	uint64_t line;			/* the line p is on */

	/* The row being read: its cells, NUL-terminated, one after another. */
	char *buf;
	size_t cap, len;
	int nomem;
	size_t cell0;			/* where the current cell starts */
	size_t ncols;
	size_t *offs, *lens;
	const char **cells;
	uint64_t rec_start;
	uint64_t last_line;		/* the line the row ended on */
	int discard;			/* rejected: read to its end only */
	enum csv_error err;
	size_t err_col;
};

static uint64_t
at(const struct csv_reader *r)
{
	return r->win_off + (uint64_t)(r->p - r->win);
}

/* Whether a byte is there to read, reading the next chunk when needed. */
static int
fill(struct csv_reader *r)
{
	size_t n;

	if (r->p < r->end)
		return 1;
	if (r->eof || r->f == NULL)
		return 0;
	r->win_off += (uint64_t)(r->end - r->win);
	n = fread(r->chunk, 1, r->chunk_size, r->f);
	r->win = r->p = r->chunk;
	r->end = r->chunk + n;
	if (n == 0) {
		r->eof = 1;
		if (ferror(r->f))
			r->ioerr = 1;
		return 0;
	}
	return 1;
}

static int
peek(struct csv_reader *r)
{
	return fill(r) ? *r->p : -1;
}

/* Moves to offset off, which was read before. */
static void
seek_to(struct csv_reader *r, uint64_t off)
{
	if (off >= r->win_off && off <= r->win_off + (uint64_t)(r->end - r->win)) {
		r->p = r->win + (off - r->win_off);
		return;
	}
	if (fseeko(r->f, (off_t)off, SEEK_SET) != 0) {
		r->ioerr = 1;
		r->eof = 1;
	} else {
		r->eof = 0;
	}
	r->win_off = off;
	r->win = r->p = r->end = r->chunk;
}

/* Consumes the line end (CR, LF or CRLF) at p. */
static void
eat_eol(struct csv_reader *r)
{
	int c = *r->p++;

	if (c == '\r' && peek(r) == '\n')
		r->p++;
	r->line++;
}

/* The row ends here: at a line end (consumed) or the end of the input. */
static void
end_row(struct csv_reader *r)
{
	r->last_line = r->line;
	if (peek(r) >= 0)
		eat_eol(r);
}

static void
fail(struct csv_reader *r, enum csv_error e, size_t col)
{
	if (r->err == CSV_E_NONE) {
		r->err = e;
		r->err_col = col;
	}
	r->discard = 1;
}

/* Makes room for need bytes (at most max_record and a NUL per cell). */
static int
grow(struct csv_reader *r, size_t need)
{
	size_t cap = r->cap ? r->cap : 4096, max = r->max_record + r->max_cols + 1;
	char *b;

	while (cap < need)
		cap *= 2;
	if (cap > max)
		cap = max;
	if (cap < need || (b = realloc(r->buf, cap)) == NULL) {
		r->nomem = 1;
		r->discard = 1;
		return HE_NOMEM;
	}
	r->buf = b;
	r->cap = cap;
	return HE_OK;
}

/* Adds n bytes to the current cell (col is its 0-based number). */
static void
append(struct csv_reader *r, size_t col, const unsigned char *s, size_t n)
{
	size_t cell_room, rec_room;

	if (r->discard || n == 0)
		return;
	/* Whichever limit the bytes pass first, however the input was cut
	 * into chunks. The buffer holds max_record bytes of text and a NUL
	 * per cell. */
	cell_room = r->max_cell - (r->len - r->cell0);
	rec_room = r->max_record - (r->len - r->ncols);
	if (n > cell_room || n > rec_room) {
		if (cell_room <= rec_room)
			fail(r, CSV_E_CELL, col + 1);
		else
			fail(r, CSV_E_RECORD, 0);
		return;
	}
	if (r->len + n + 1 > r->cap && grow(r, r->len + n + 1) != HE_OK)
		return;
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

/* The row as written has grown past its limit. */
static void
check_size(struct csv_reader *r)
{
	if (at(r) - r->rec_start > r->max_record)
		fail(r, CSV_E_RECORD, 0);
}

/* Whether s[0..n) is UTF-8 without NUL bytes; ASCII eight bytes at a time. */
static int
cell_ok(const unsigned char *s, size_t n)
{
	const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
	size_t i = 0, k;

	while (i < n) {
		while (i + 8 <= n) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if ((w & high) || ((w - ones) & ~w & high))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] == 0)
			return 0;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = text_utf8_len((const char *)s + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

static void
finish_cell(struct csv_reader *r, size_t col)
{
	if (r->discard)
		return;
	if (!cell_ok((const unsigned char *)r->buf + r->cell0, r->len - r->cell0)) {
		fail(r, CSV_E_UTF8, col + 1);
		return;
	}
	if (r->len + 1 > r->cap && grow(r, r->len + 1) != HE_OK)
		return;
	r->offs[r->ncols] = r->cell0;
	r->lens[r->ncols] = r->len - r->cell0;
	r->ncols++;
	r->buf[r->len++] = '\0';
}

/* Copies the run of bytes of class 0 in table cls at p. */
static void
run(struct csv_reader *r, size_t col, const unsigned char *cls)
{
	while (fill(r)) {
		const unsigned char *s = r->p, *e = r->end;

		while (s < e && !cls[*s])
			s++;
		append(r, col, r->p, (size_t)(s - r->p));
		r->p = s;
		if (s < e)
			return;
	}
}

/*
 * After a quote that opened at qoff on line qline turned out to be stray
 * (never closed, or closed and followed by text), goes back to the line
 * after it: the lines it swallowed are read again as rows. 0 when the input
 * cannot go back.
 */
static int
rewind_after(struct csv_reader *r, uint64_t qoff, uint64_t qline)
{
	if (!r->seekable)
		return 0;
	seek_to(r, qoff + 1);
	r->line = qline;
	while (fill(r)) {
		const unsigned char *s = r->p, *e = r->end;

		while (s < e && *s != '\r' && *s != '\n')
			s++;
		r->p = s;
		if (s < e)
			break;
	}
	end_row(r);
	return 1;
}

enum { CELL_MORE, CELL_LAST };

/* An unquoted cell (or what follows a stray quote), up to its separator or
 * the row's end, which it consumes. */
static int
unquoted(struct csv_reader *r, size_t col)
{
	for (;;) {
		int c;

		run(r, col, r->cls);
		check_size(r);
		if ((c = peek(r)) < 0) {
			finish_cell(r, col);
			end_row(r);
			return CELL_LAST;
		}
		if (c == r->sep) {
			r->p++;
			finish_cell(r, col);
			return CELL_MORE;
		}
		if (c == '\r' || c == '\n') {
			finish_cell(r, col);
			end_row(r);
			return CELL_LAST;
		}
		fail(r, CSV_E_QUOTE, col + 1);	/* a quote inside the text */
		r->p++;
	}
}

/* A quoted cell, from its opening quote at p. */
static int
quoted(struct csv_reader *r, size_t col)
{
	uint64_t qoff = at(r), qline = r->line;
	int c;

	r->p++;
	for (;;) {
		run(r, col, r->qcls);
		check_size(r);
		if ((c = peek(r)) < 0) {
			/* Never closed: the row is rejected whatever else it had. */
			r->err = CSV_E_NONE;
			fail(r, CSV_E_UNCLOSED, col + 1);
			if (r->line == qline || !rewind_after(r, qoff, qline))
				end_row(r);
			return CELL_LAST;
		}
		if (c == '"') {
			r->p++;
			if (peek(r) != '"')
				break;
			append(r, col, r->p, 1);
			r->p++;
			continue;
		}
		/* A line end inside the cell, kept as it is. */
		append(r, col, r->p, 1);
		r->p++;
		if (c == '\r' && peek(r) == '\n') {
			append(r, col, r->p, 1);
			r->p++;
		}
		r->line++;
	}
	if ((c = peek(r)) < 0) {
		finish_cell(r, col);
		end_row(r);
		return CELL_LAST;
	}
	if (c == r->sep) {
		r->p++;
		finish_cell(r, col);
		return CELL_MORE;
	}
	if (c == '\r' || c == '\n') {
		finish_cell(r, col);
		end_row(r);
		return CELL_LAST;
	}
	/* Text after the closing quote. Over line ends, the quote was most
	 * likely a stray one that swallowed them: read them again. */
	if (r->line > qline && r->seekable) {
		r->err = CSV_E_NONE;
		fail(r, CSV_E_QUOTE, col + 1);
		rewind_after(r, qoff, qline);
		return CELL_LAST;
	}
	fail(r, CSV_E_QUOTE, col + 1);
	return unquoted(r, col);
}

int
csv_next(struct csv_reader *r, struct csv_record *rec)
{
	size_t col;
	int c;

	memset(rec, 0, sizeof *rec);
	for (;;) {	/* blank lines are no rows */
		if ((c = peek(r)) < 0)
			return r->ioerr ? HE_IO : HE_NOTFOUND;
		if (c != '\r' && c != '\n')
			break;
		eat_eol(r);
	}
	r->len = r->ncols = 0;
	r->discard = r->nomem = 0;
	r->err = CSV_E_NONE;
	r->err_col = 0;
	r->rec_start = at(r);
	rec->line = r->line;
	rec->offset = r->rec_start;
	for (col = 0;; col++) {
		r->cell0 = r->len;
		if (col == r->max_cols)
			fail(r, CSV_E_COLS, 0);
		if ((peek(r) == '"' ? quoted(r, col) : unquoted(r, col)) == CELL_LAST)
			break;
	}
	if (r->ioerr)
		return HE_IO;
	if (r->nomem)
		return HE_NOMEM;
	rec->end = at(r);
	rec->next_line = r->line;
	rec->last_line = r->last_line;
	rec->error = r->err;
	rec->error_col = r->err_col;
	if (r->err != CSV_E_NONE)
		return HE_OK;
	for (size_t i = 0; i < r->ncols; i++)
		r->cells[i] = r->buf + r->offs[i];
	rec->ncols = r->ncols;
	rec->cells = r->cells;
	rec->lens = r->lens;
	return HE_OK;
}

/* The separator the first line of s[0..n) uses most, outside quotes. */
static char
detect_sep(const unsigned char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	int in_q = 0;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3, n -= 3;
	for (const unsigned char *e = s + n; s < e; s++) {
		if (*s == '"')
			in_q = !in_q;
		else if (in_q)
			continue;
		else if (*s == '\r' || *s == '\n')
			break;
		else if (*s == ',')
			comma++;
		else if (*s == ';')
			semi++;
		else if (*s == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* The separator of a stream: its first SNIFF bytes, read ahead when it can
 * seek back, else the first chunk. */
#define SNIFF (64 * 1024)
static char
detect_sep_file(struct csv_reader *r)
{
	unsigned char *tmp;
	size_t n;
	char sep;

	if (!r->seekable || (tmp = malloc(SNIFF)) == NULL) {
		fill(r);
		return detect_sep(r->p, (size_t)(r->end - r->p));
	}
	n = fread(tmp, 1, SNIFF, r->f);
	sep = detect_sep(tmp, n);
	free(tmp);
	if (ferror(r->f) || fseeko(r->f, (off_t)r->win_off, SEEK_SET) != 0)
		r->ioerr = 1;
	return sep;
}

static int
open_common(struct csv_reader *r, const struct csv_opts *opts)
{
	static const struct csv_opts defaults;
	const struct csv_opts *o = opts ? opts : &defaults;

	r->max_cell = o->max_cell ? o->max_cell : CSV_MAX_CELL;
	r->max_cols = o->max_cols ? o->max_cols : CSV_MAX_COLS;
	r->max_record = o->max_record ? o->max_record : CSV_MAX_RECORD;
	if (r->max_record < r->max_cell)
		r->max_record = r->max_cell;
	if ((o->sep && o->sep != ',' && o->sep != ';' && o->sep != '\t') ||
	    r->max_cols > 1000000 || r->max_record > ((size_t)1 << 30))
		return HE_INVALID;
	r->line = o->line ? o->line : 1;
	if (grow(r, 1) != HE_OK ||
	    (r->offs = calloc(r->max_cols, sizeof *r->offs)) == NULL ||
	    (r->lens = calloc(r->max_cols, sizeof *r->lens)) == NULL ||
	    (r->cells = calloc(r->max_cols, sizeof *r->cells)) == NULL)
		return HE_NOMEM;
	if (o->sep)
		r->sep = o->sep;
	else if (r->f)
		r->sep = detect_sep_file(r);
	else	/* as much as of a stream, so both read alike */
		r->sep = detect_sep(r->p, (size_t)(r->end - r->p) < SNIFF ?
		    (size_t)(r->end - r->p) : SNIFF);
	if (r->ioerr)
		return HE_IO;
	/* The first chunk holds at least 4 bytes (or the whole input). */
	if (o->offset == 0 && fill(r) && r->end - r->p >= 3 &&
	    memcmp(r->p, "\xef\xbb\xbf", 3) == 0)
		r->p += 3;
	if (r->ioerr)
		return HE_IO;
	r->cls[(unsigned char)r->sep] = CL_SEP;
	r->cls['"'] = r->qcls['"'] = CL_QUOTE;
	r->cls['\r'] = r->cls['\n'] = r->qcls['\r'] = r->qcls['\n'] = CL_EOL;
	return HE_OK;
}

int
csv_open_mem(const void *data, size_t len, const struct csv_opts *opts,
    struct csv_reader **out)
{
	struct csv_reader *r = calloc(1, sizeof *r);
	uint64_t off = opts ? opts->offset : 0;
	int rc;

	*out = NULL;
	if (r == NULL)
		return HE_NOMEM;
	if (off > len) {
		free(r);
		return HE_INVALID;
	}
	r->win = data ? data : (const void *)"";
	r->p = r->win + off;
	r->end = r->win + (data ? len : 0);
	r->eof = 1;
	r->seekable = 1;
	if ((rc = open_common(r, opts)) != HE_OK) {
		csv_close(r);
		return rc;
	}
	*out = r;
	return HE_OK;
}

int
csv_open_file(FILE *f, const struct csv_opts *opts, struct csv_reader **out)
{
	struct csv_reader *r = calloc(1, sizeof *r);
	uint64_t off = opts ? opts->offset : 0;
	int rc;

	*out = NULL;
	if (r == NULL)
		return HE_NOMEM;
	r->f = f;
	r->chunk_size = opts && opts->chunk ? opts->chunk : CHUNK;
	if (r->chunk_size < 4)
		r->chunk_size = 4;
	if ((r->chunk = malloc(r->chunk_size)) == NULL) {
		free(r);
		return HE_NOMEM;
	}
	r->win = r->p = r->end = r->chunk;
	/* A pipe cannot go back: a stray quote then costs the rest. */
	r->seekable = ftello(f) >= 0 && fseeko(f, (off_t)off, SEEK_SET) == 0;
	if (off && !r->seekable) {
		csv_close(r);
		return HE_IO;
	}
	r->win_off = off;
	if ((rc = open_common(r, opts)) != HE_OK) {
		csv_close(r);
		return rc;
	}
	*out = r;
	return HE_OK;
}

void
csv_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->chunk);
	free(r->buf);
	free(r->offs);
	free(r->lens);
	free(r->cells);
	free(r);
}

char
csv_sep(const struct csv_reader *r)
{
	return r->sep;
}

static const char *const messages[CSV_E__MAX] = {
	[CSV_E_NONE] = "no error",
	[CSV_E_UTF8] = "not UTF-8: save the file as UTF-8",
	[CSV_E_CELL] = "a cell is too long",
	[CSV_E_COLS] = "the row has too many cells",
	[CSV_E_RECORD] = "the row is too long",
	[CSV_E_QUOTE] = "a stray quote: a cell holding quotes must be quoted "
	    "whole, each quote inside it doubled",
	[CSV_E_UNCLOSED] = "a quote is opened and never closed",
};

const char *
csv_strerror(enum csv_error e)
{
	return (unsigned)e < CSV_E__MAX ? messages[e] : "unknown error";
}

char *
csv_reason(const struct csv_reader *r, const struct csv_record *rec,
    char *buf, size_t size)
{
	size_t c = rec->error_col;

	switch (rec->error) {
	case CSV_E_UTF8:
		snprintf(buf, size, "not UTF-8 (cell %zu): save the file as UTF-8", c);
		break;
	case CSV_E_CELL:
		snprintf(buf, size, "cell %zu is longer than %zu bytes", c,
		    r->max_cell);
		break;
	case CSV_E_COLS:
		snprintf(buf, size, "the row has more than %zu cells", r->max_cols);
		break;
	case CSV_E_RECORD:
		snprintf(buf, size, "the row is longer than %zu bytes",
		    r->max_record);
		break;
	case CSV_E_QUOTE:
		snprintf(buf, size, "a stray quote in cell %zu: a cell holding "
		    "quotes must be quoted whole, each quote inside it doubled", c);
		break;
	case CSV_E_UNCLOSED:
		snprintf(buf, size, "the quote that opens cell %zu is never closed", c);
		break;
	default:
		snprintf(buf, size, "%s", csv_strerror(rec->error));
	}
	return buf;
}

void
csv_writer_init(struct csv_writer *w, FILE *f, char sep, int bom)
{
	w->f = f;
	w->sep = sep ? sep : ',';
	w->col = 0;
	w->at_start = !bom;
	if (bom)
		fputs("\xef\xbb\xbf", f);
}

void
csv_write_cell(struct csv_writer *w, const char *s, size_t len)
{
	int quote = 0, formula;

	if (w->col++) {
		putc(w->sep, w->f);
		w->at_start = 0;
	}
	if (s == NULL || len == 0)
		return;
	/* Spreadsheets run a cell that starts like a formula: make it text. */
	formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r';
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == w->sep || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n';
	/* A cell that starts the file with a byte order mark would lose it
	 * to the reader's skipping of one. */
	if (w->at_start && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		quote = 1;
	w->at_start = 0;
	if (quote)
		putc('"', w->f);
	if (formula)
		putc('\'', w->f);
	if (!quote) {
		fwrite(s, 1, len, w->f);
		return;
	}
	for (const char *q; len > 0 && (q = memchr(s, '"', len)) != NULL;) {
		size_t n = (size_t)(q - s) + 1;

		fwrite(s, 1, n, w->f);
		putc('"', w->f);
		s += n;
		len -= n;
	}
	fwrite(s, 1, len, w->f);
	putc('"', w->f);
}

void
csv_write_str(struct csv_writer *w, const char *s)
{
	csv_write_cell(w, s, s ? strlen(s) : 0);
}

void
csv_write_end(struct csv_writer *w)
{
	fputs("\r\n", w->f);
	w->col = 0;
	w->at_start = 0;
}
