/* csv.h: a streaming RFC 4180 CSV reader and a spreadsheet-safe writer */
#ifndef HEARTH_CSV_H
#define HEARTH_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The reader takes fields quoted with '"' (a quote inside doubled; commas,
 * separators and line ends inside kept as they are), CRLF, LF or CR line
 * ends (mixed too), and skips a UTF-8 byte order mark at the start of the
 * file and blank lines. It reads a FILE* in chunks: memory use is bounded by
 * the limits below whatever the size of the file.
 *
 * A row that breaks a rule or a limit is still returned, with its error
 * set and its cells left out: the reader then carries on at the next
 * record, so one bad row never costs the rest of the file. A quote that
 * runs over line ends and is never closed (or is closed and followed by
 * text, the mark of a stray quote) makes the reader go back, when the input
 * can seek, to the line after the one where the quote opened: the row that
 * held it is rejected, the rows it swallowed are read again.
 */

/* Why a row was rejected. */
enum csv_error {
	CSV_E_NONE = 0,
	CSV_E_UTF8,		/* invalid UTF-8 or a NUL byte in a cell */
	CSV_E_CELL,		/* a cell longer than max_cell bytes */
	CSV_E_COLS,		/* more than max_cols cells */
	CSV_E_RECORD,		/* a row longer than max_record bytes */
	CSV_E_QUOTE,		/* a quote inside an unquoted cell, or text
				 * after a cell's closing quote */
	CSV_E_UNCLOSED,		/* a quote that is never closed */
	CSV_E__MAX
};

#define CSV_MAX_CELL	(64 * 1024)
#define CSV_MAX_COLS	256
#define CSV_MAX_RECORD	(1024 * 1024)

struct csv_opts {
	char sep;		/* ',', ';' or '\t'; 0: the one the first
				 * line uses most (',' when none) */
	size_t max_cell;	/* bytes per cell; 0: CSV_MAX_CELL */
	size_t max_cols;	/* cells per row; 0: CSV_MAX_COLS */
	size_t max_record;	/* bytes per row as written in the file
				 * (quotes and line ends included);
				 * 0: CSV_MAX_RECORD, at least max_cell */
	/* Where to start, to resume a file where an earlier read stopped
	 * (a record's `end`): the byte offset and its line number (0 taken as
	 * 1). A byte order mark is skipped only at offset 0. */
	uint64_t offset;
	uint64_t line;
	size_t chunk;		/* bytes per read from a stream; 0: 256 KiB */
};

/* One row. Everything it points to belongs to the reader and is valid
 * until the next csv_next() or csv_close(). */
struct csv_record {
	size_t ncols;
	const char *const *cells;	/* NUL-terminated (a cell holds no NUL) */
	const size_t *lens;		/* their lengths in bytes */
	uint64_t line;		/* the line the row starts on, from 1 */
	uint64_t last_line;	/* the line it ends on (cells span lines) */
	uint64_t offset;	/* the byte offset of its first byte */
	uint64_t end;		/* just after it and its line end: where the
				 * next read starts (resume here) */
	uint64_t next_line;	/* the line number at end */
	enum csv_error error;	/* CSV_E_NONE, or why it is rejected: then
				 * ncols is 0 */
	size_t error_col;	/* the 1-based cell concerned, 0: the row */
};

struct csv_reader;

/*
 * Readers over a buffer (borrowed: it must outlive the reader) or an open
 * stream (borrowed, read from opts->offset on; it must be seekable when
 * opts->offset is not 0). opts may be NULL for the defaults. HE_INVALID for
 * a separator other than ',', ';' or TAB, or limits that make no sense;
 * HE_IO when the stream cannot be read or positioned; HE_NOMEM.
 */
int csv_open_mem(const void *data, size_t len, const struct csv_opts *opts,
    struct csv_reader **out);
int csv_open_file(FILE *f, const struct csv_opts *opts, struct csv_reader **out);
void csv_close(struct csv_reader *r);

/* The separator in use (detected or given). */
char csv_sep(const struct csv_reader *r);

/*
 * The next row: HE_OK (a row, possibly rejected: see rec->error),
 * HE_NOTFOUND at the end of the input, HE_IO when the stream failed,
 * HE_NOMEM (the buffer for a row grows up to max_record as rows need it).
 */
int csv_next(struct csv_reader *r, struct csv_record *rec);

/* What an error means, for people ("not UTF-8: save the file as UTF-8"). */
const char *csv_strerror(enum csv_error e);

/*
 * The reason a row was rejected, as one line for a report: the message,
 * the column concerned and the limit that was passed ("cell 3 is longer
 * than 65536 bytes"). Writes at most size bytes (NUL included); returns buf.
 */
char *csv_reason(const struct csv_reader *r, const struct csv_record *rec,
    char *buf, size_t size);

/*
 * The writer: RFC 4180 (a cell holding the separator, a quote, CR or LF is
 * quoted, quotes doubled; rows end with CRLF). A cell a spreadsheet would
 * take for a formula (beginning with = + - @ TAB or CR) gets a single quote
 * put before it. Errors of the stream are the caller's to check (ferror).
 */
struct csv_writer {
	FILE *f;
	char sep;
	size_t col;	/* cells written on the current row */
	int at_start;	/* nothing written yet */
};

/* Starts writing to f with separator sep (0: ','); bom writes the UTF-8
 * byte order mark first (Excel then reads the file as UTF-8). */
void csv_writer_init(struct csv_writer *w, FILE *f, char sep, int bom);
/* One cell of len bytes (s need not be NUL-terminated; NULL is empty). */
void csv_write_cell(struct csv_writer *w, const char *s, size_t len);
/* The same for a C string (NULL is empty). */
void csv_write_str(struct csv_writer *w, const char *s);
/* Ends the row. */
void csv_write_end(struct csv_writer *w);

#endif
